//! gradscape: a gradient-descent playground.
//!
//! `core` holds the mathematics (objectives, optimizers, schedules, gradient sources,
//! runs and the scenario text); it is pure Rust and tested natively.

pub mod core;
pub mod render;
pub mod wasm;

/// The page's allocator: talc rather than the default dlmalloc, about 3 KB less to download
/// (the page is single-threaded; the module grows WebAssembly memory as it needs).
#[cfg(all(target_arch = "wasm32", not(target_feature = "atomics")))]
#[global_allocator]
static ALLOCATOR: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();
