//! Adagrad.
//!
//! r ← r + g⊙g ;  θ ← θ − α/(δ + √r) ⊙ g      (r starts at 0, δ outside the root)
//!
//! r only grows, so the effective rate α/(δ + √r) only shrinks.

use super::{GradientOracle, State};

/// Adagrad with constant δ.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Adagrad {
    /// δ.
    pub delta: f64,
}

impl Adagrad {
    /// One update: r ← r + g⊙g ; θ ← θ − α/(δ + √r) ⊙ g.
    #[inline]
    pub fn step<O: GradientOracle + ?Sized>(
        &self,
        theta: &mut [f64],
        state: &mut State,
        lr: f64,
        oracle: &mut O,
    ) -> f64 {
        let loss = oracle.gradient(theta, &mut state.g);
        for ((p, r), g) in theta.iter_mut().zip(&mut state.r).zip(&state.g) {
            *r += g * g;
            *p -= lr / (self.delta + r.sqrt()) * g;
        }
        state.t += 1;
        loss
    }
}
