//! The pure-Rust engine: no web, drawing or wasm code lives here.

pub mod catalog;
pub mod decimal;
pub mod export;
pub mod expr;
pub mod geometry;
pub mod history;
pub mod math;
pub mod objective;
pub mod optim;
pub mod param;
pub mod presets;
pub mod rng;
pub mod run;
pub mod sampling;
pub mod scenario;
pub mod schedule;
pub mod stepper;
