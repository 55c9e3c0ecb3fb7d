//! RMSProp.
//!
//! r ← ρ r + (1−ρ) g⊙g ;  θ ← θ − α/(δ + √r) ⊙ g      (r starts at 0, δ outside the root)
//!
//! The decayed average forgets old gradients, so the effective rate can grow again.

use super::{rescaled_step, GradientOracle, State, Update};

/// RMSProp with decay ρ and constant δ.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RmsProp {
    /// ρ.
    pub rho: f64,
    /// δ.
    pub delta: f64,
}

impl Update for RmsProp {
    const ADAPTIVE: bool = true;

    /// One update: r ← ρ r + (1−ρ) g⊙g ; θ ← θ − α/(δ + √r) ⊙ g.
    #[inline]
    fn step<O: GradientOracle + ?Sized>(
        &self,
        theta: &mut [f64],
        state: &mut State,
        lr: f64,
        oracle: &mut O,
    ) -> f64 {
        rescaled_step(theta, state, lr, self.delta, oracle, |r, g| {
            self.rho * r + (1.0 - self.rho) * g * g
        })
    }
}
