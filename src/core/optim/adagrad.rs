//! Adagrad.
//!
//! r ← r + g⊙g ;  θ ← θ − α/(δ + √r) ⊙ g      (r starts at 0, δ outside the root)
//!
//! r only grows, so the effective rate α/(δ + √r) only shrinks.

use super::{rescaled_step, GradientOracle, State, Update};

/// Adagrad with constant δ.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Adagrad {
    /// δ.
    pub delta: f64,
}

impl Update for Adagrad {
    const ADAPTIVE: bool = true;

    /// One update: r ← r + g⊙g ; θ ← θ − α/(δ + √r) ⊙ g.
    #[inline]
    fn step<O: GradientOracle + ?Sized>(
        &self,
        theta: &mut [f64],
        state: &mut State,
        lr: f64,
        oracle: &mut O,
    ) -> f64 {
        rescaled_step(theta, state, lr, self.delta, oracle, |r, g| r + g * g)
    }
}
