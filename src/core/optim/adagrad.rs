//! Adagrad.
//!
//! r ← r + g⊙g ;  θ ← θ − α/(δ + √r) ⊙ g      (r starts at 0, δ outside the root)
//!
//! r only grows, so the effective rate α/(δ + √r) only shrinks.

use super::{copy_short, each_coord, GradientOracle, State, Update};

/// Adagrad with constant δ.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Adagrad {
    /// δ.
    pub delta: f64,
}

impl Update for Adagrad {
    /// One update: r ← r + g⊙g ; θ ← θ − α/(δ + √r) ⊙ g.
    #[inline]
    fn step<O: GradientOracle + ?Sized>(
        &self,
        theta: &mut [f64],
        state: &mut State,
        lr: f64,
        oracle: &mut O,
    ) -> f64 {
        let loss = oracle.gradient(theta, &mut state.g);
        let n = theta.len();
        let (r, g, eff) = (&mut state.r[..n], &state.g[..n], &mut state.eff[..n]);
        each_coord!(n, |k| {
            r[k] += g[k] * g[k];
            eff[k] = lr / (self.delta + r[k].sqrt());
            theta[k] -= eff[k] * g[k];
        });
        state.t += 1;
        loss
    }

    /// α/(δ + √r) per parameter, as the last update applied it.
    #[inline]
    fn effective_lr(&self, state: &State, _lr: f64, out: &mut [f64]) {
        copy_short(out, &state.eff);
    }
}
