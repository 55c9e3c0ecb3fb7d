//! gradscape: a gradient-descent playground.
//!
//! `core` holds the mathematics (objectives, optimizers, schedules, gradient sources,
//! runs and the scenario text); it is pure Rust and tested natively. `wasm` is the
//! JavaScript-facing API that `www/` loads.

pub mod core;
pub mod wasm;
