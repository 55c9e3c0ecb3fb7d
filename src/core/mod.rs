//! The pure-Rust engine: no web, drawing or wasm code lives here.

pub mod catalog;
pub mod challenge;
#[cfg(any(not(target_arch = "wasm32"), feature = "code"))]
pub mod code;
pub mod dataset;
pub mod decimal;
pub mod export;
pub mod expr;
pub mod geometry;
pub mod history;
pub mod label;
#[cfg(any(not(target_arch = "wasm32"), feature = "sweep"))]
pub mod lanes;
pub mod math;
pub mod numtext;
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
// In the page, sweeps are in the export module (feature `sweep`), run in Web Workers.
#[cfg(any(not(target_arch = "wasm32"), feature = "sweep"))]
pub mod sweep;
pub mod sweep_spec;

/// `parts` joined by `sep`. Every list the crate prints goes through this one small loop:
/// `[T]::join` is two copies of a 1 KB routine in the WebAssembly module (one for `String`s,
/// one for `&str`s).
pub fn join<S: AsRef<str>>(parts: &[S], sep: &str) -> String {
    let mut out = String::new();
    for (i, p) in parts.iter().enumerate() {
        if i > 0 {
            out.push_str(sep);
        }
        out.push_str(p.as_ref());
    }
    out
}
