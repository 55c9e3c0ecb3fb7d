//! RMSProp.
//!
//! r ← ρ r + (1−ρ) g⊙g ;  θ ← θ − α/(δ + √r) ⊙ g      (r starts at 0, δ outside the root)
//!
//! The decayed average forgets old gradients, so the effective rate can grow again.
//!
//! ## Reference
//!
//! - LECTURE.md, section "Update rules (v, r, s start at 0)", row RMSProp (defaults ρ = 0.9,
//!   δ = 1e-6, outside the square root); its lesson 9 ("RMSProp's decayed r keeps the
//!   effective rate alive where Adagrad stalls").
//! - T. Tieleman and G. Hinton, "Lecture 6.5 — rmsprop: Divide the gradient by a running
//!   average of its recent magnitude", COURSERA: Neural Networks for Machine Learning (2012).

use super::{rescaled_step, GradientOracle, State, Update};

/// RMSProp with decay ρ and constant δ.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RmsProp {
    /// ρ.
    pub rho: f64,
    /// δ.
    pub delta: f64,
}

impl RmsProp {
    /// r ← ρ r + (1 − ρ) g⊙g for one coordinate.
    #[inline(always)]
    pub(crate) fn accumulate(&self, r: f64, g: f64) -> f64 {
        self.rho * r + (1.0 - self.rho) * g * g
    }
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
            self.accumulate(r, g)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::RmsProp;
    use crate::core::optim::testing::{trace, CURV, START};

    /// r ← ρ r + (1−ρ) g⊙g ; θ ← θ − α/(δ + √r) ⊙ g twice, each coordinate by hand from
    /// r₀ = 0. The code computes ρ·r + ((1−ρ)·g)·g, the rate, then rate·g, in this order:
    /// equal to the last bit.
    #[test]
    fn first_two_updates_by_hand() {
        let (lr, rho, delta) = (0.02, 0.9, 1e-6);
        let rule = RmsProp { rho, delta };
        for dim in [2, 3] {
            let run = trace(&rule, dim, lr, 2);
            for (k, (c, x0)) in CURV.into_iter().zip(START).take(dim).enumerate() {
                let r0 = 0.0;
                // Update 1 (a = 3, θ₀ = 1: g = 3, r = 0.9, rate ≈ 0.02/0.9487 ≈ 0.02108,
                // θ ≈ 0.93675: the first step is α/√(1−ρ) ≈ 3.16 α).
                let g0 = c * x0;
                let r1 = rho * r0 + (1.0 - rho) * g0 * g0;
                let e1 = lr / (delta + r1.sqrt());
                let x1 = x0 - e1 * g0;
                // Update 2.
                let g1 = c * x1;
                let r2 = rho * r1 + (1.0 - rho) * g1 * g1;
                let e2 = lr / (delta + r2.sqrt());
                let x2 = x1 - e2 * g1;
                let at = format!("coordinate {k} of {dim}");
                assert_eq!(run.theta[0][k], x1, "{at}: θ after update 1");
                assert_eq!(run.eff[0][k], e1, "{at}: rate of update 1");
                assert_eq!(run.theta[1][k], x2, "{at}: θ after update 2");
                assert_eq!(run.eff[1][k], e2, "{at}: rate of update 2");
                assert_eq!(run.state.r[k], r2, "{at}: r after update 2");
            }
        }
        let run = trace(&rule, 2, lr, 2);
        assert!((run.theta[0][0] - (1.0 - 0.02 / 0.1f64.sqrt())).abs() < 1e-6);
    }
}
