//! Adagrad.
//!
//! r ← r + g⊙g ;  θ ← θ − α/(δ + √r) ⊙ g      (r starts at 0, δ outside the root)
//!
//! r only grows, so the effective rate α/(δ + √r) only shrinks.
//!
//! ## Reference
//!
//! - LECTURE.md, section "Update rules (v, r, s start at 0)", row Adagrad (default δ = 1e-7,
//!   outside the square root); its lesson 8 ("Adagrad helps sparse features; its
//!   accumulated r only grows, so it eventually stalls").
//! - J. Duchi, E. Hazan and Y. Singer, "Adaptive subgradient methods for online learning and
//!   stochastic optimization", Journal of Machine Learning Research 12, 2121–2159 (2011)
//!   (the diagonal form, δ added to the root there too).

use super::{rescaled_step, GradientOracle, State, Update};

/// Adagrad with constant δ.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Adagrad {
    /// δ.
    pub delta: f64,
}

impl Adagrad {
    /// r ← r + g⊙g for one coordinate.
    #[inline(always)]
    pub(crate) fn accumulate(&self, r: f64, g: f64) -> f64 {
        r + g * g
    }
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
        rescaled_step(theta, state, lr, self.delta, oracle, |r, g| {
            self.accumulate(r, g)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::Adagrad;
    use crate::core::optim::testing::{trace, CURV, START};

    /// r ← r + g⊙g ; θ ← θ − α/(δ + √r) ⊙ g twice, each coordinate by hand from r₀ = 0. The
    /// code computes the rate α/(δ + √r) first and then rate·g, as the equation reads: equal
    /// to the last bit.
    #[test]
    fn first_two_updates_by_hand() {
        let (lr, delta) = (0.5, 1e-7);
        let rule = Adagrad { delta };
        for dim in [2, 3] {
            let run = trace(&rule, dim, lr, 2);
            for (k, (c, x0)) in CURV.into_iter().zip(START).take(dim).enumerate() {
                let r0 = 0.0;
                // Update 1 (a = 3, θ₀ = 1: g = 3, r = 9, rate ≈ 0.5/3, θ ≈ 0.5: a step of
                // ≈ α whatever the gradient's size).
                let g0 = c * x0;
                let r1 = r0 + g0 * g0;
                let e1 = lr / (delta + r1.sqrt());
                let x1 = x0 - e1 * g0;
                // Update 2 (g ≈ 1.5, r ≈ 11.25, rate ≈ 0.1491, θ ≈ 0.2764).
                let g1 = c * x1;
                let r2 = r1 + g1 * g1;
                let e2 = lr / (delta + r2.sqrt());
                let x2 = x1 - e2 * g1;
                let at = format!("coordinate {k} of {dim}");
                assert_eq!(run.theta[0][k], x1, "{at}: θ after update 1");
                assert_eq!(run.eff[0][k], e1, "{at}: rate of update 1");
                assert_eq!(run.theta[1][k], x2, "{at}: θ after update 2");
                assert_eq!(run.eff[1][k], e2, "{at}: rate of update 2");
                assert_eq!(run.state.r[k], r2, "{at}: r after update 2");
                // r only grows, so the rate only shrinks.
                assert!(e2 < e1, "{at}");
            }
        }
        let run = trace(&rule, 2, lr, 2);
        assert!((run.theta[0][0] - 0.5).abs() < 1e-7);
        assert!((run.theta[1][0] - (0.5 - 0.75 / 11.25f64.sqrt())).abs() < 1e-7);
    }
}
