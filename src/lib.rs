//! gradscape: a gradient-descent playground.
//!
//! `core` holds the mathematics (objectives, optimizers, schedules, gradient sources,
//! runs and the scenario text); it is pure Rust and tested natively.
//!
//! # Example
//!
//! One update rule on its own: every rule of [`core::optim`] is an [`Update`](core::optim::Update)
//! whose `step` makes one update of θ from a gradient oracle, here a closure that writes
//! ∇L into `g` and returns L, for the elliptic valley L(x, y) = ½(x² + 10 y²):
//!
//! ```
//! use gradscape::core::optim::{Momentum, State, Update};
//!
//! let mut valley = |p: &[f64], g: &mut [f64]| {
//!     g[0] = p[0];
//!     g[1] = 10.0 * p[1];
//!     0.5 * (p[0] * p[0] + 10.0 * p[1] * p[1])
//! };
//! let rule = Momentum::new(0.9); // v ← γ v + α g ; θ ← θ − v
//! let mut theta = vec![1.0, 1.0];
//! let mut state = State::new(2); // v starts at 0
//! let alpha = 0.05;
//! let first = rule.step(&mut theta, &mut state, alpha, &mut valley); // L at θ₀ = 5.5
//! for _ in 1..200 {
//!     rule.step(&mut theta, &mut state, alpha, &mut valley);
//! }
//! assert_eq!(state.t, 200);
//! let last = valley(&theta, &mut [0.0; 2]);
//! assert!(last < 1e-6 * first, "momentum should have reached the minimum: L = {last}");
//! ```
//!
//! A whole scenario, as a share link or the CLI writes it: Adam and GD side by side on
//! Rosenbrock's valley from (−1.5, 2), each a track of the [`Run`](core::run::Run):
//!
//! ```
//! use gradscape::core::scenario::Scenario;
//!
//! let scenario =
//!     Scenario::parse("v=1&surface=rosenbrock&start=-1.5,2&opt=adam:lr=0.05&opt=gd:lr=0.001")
//!         .unwrap();
//! let mut run = scenario.build_run();
//! let start = run.tracks[0].loss; // L(−1.5, 2) = 12.5
//! run.advance(1000);
//! let (adam, gd) = (&run.tracks[0], &run.tracks[1]);
//! assert_eq!(adam.step, 1000);
//! assert!(adam.loss < 1e-3 * start, "Adam: L = {}", adam.loss);
//! assert!(adam.loss < gd.loss, "Adam should be ahead of GD after 1000 updates");
//! ```

pub mod core;
pub mod render;
pub mod wasm;

/// The page's allocator: talc rather than the default dlmalloc, about 3 KB less to download
/// (the page is single-threaded; the module grows WebAssembly memory as it needs).
#[cfg(all(target_arch = "wasm32", not(target_feature = "atomics")))]
#[global_allocator]
static ALLOCATOR: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();
