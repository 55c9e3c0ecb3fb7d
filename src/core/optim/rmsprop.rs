//! RMSProp.
//!
//! r ← ρ r + (1−ρ) g⊙g ;  θ ← θ − α/(δ + √r) ⊙ g      (r starts at 0, δ outside the root)
//!
//! The decayed average forgets old gradients, so the effective rate can grow again.

use super::{GradientOracle, State};

/// RMSProp with decay ρ and constant δ.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RmsProp {
    /// ρ.
    pub rho: f64,
    /// δ.
    pub delta: f64,
}

impl RmsProp {
    /// One update: r ← ρ r + (1−ρ) g⊙g ; θ ← θ − α/(δ + √r) ⊙ g.
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
            *r = self.rho * *r + (1.0 - self.rho) * g * g;
            *p -= lr / (self.delta + r.sqrt()) * g;
        }
        state.t += 1;
        loss
    }
}
