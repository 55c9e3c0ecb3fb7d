//! Gradient descent.
//!
//! θ ← θ − α g,  g = ∇L(θ)
//!
//! With a mini-batch oracle this is mini-batch SGD; with batch size 1, SGD.

use super::{GradientOracle, State, Update};

/// Plain gradient descent: no state beyond the last gradient.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Gd;

impl Update for Gd {
    /// One update θ ← θ − α g.
    #[inline]
    fn step<O: GradientOracle + ?Sized>(
        &self,
        theta: &mut [f64],
        state: &mut State,
        lr: f64,
        oracle: &mut O,
    ) -> f64 {
        let loss = oracle.gradient(theta, &mut state.g);
        for (p, g) in theta.iter_mut().zip(&state.g) {
            *p -= lr * g;
        }
        state.t += 1;
        loss
    }
}
