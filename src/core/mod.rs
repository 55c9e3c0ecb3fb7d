//! The pure-Rust engine: no web, drawing or wasm code lives here.

pub mod math;
pub mod objective;
pub mod rng;
