//! Adam.
//!
//! s ← ρ₁ s + (1−ρ₁) g ;  r ← ρ₂ r + (1−ρ₂) g⊙g ;
//! ŝ = s/(1−ρ₁ᵗ⁺¹) ;  r̂ = r/(1−ρ₂ᵗ⁺¹) ;  θ ← θ − α ŝ/(δ + √r̂)      (s, r start at 0)
//!
//! t+1 counts the updates made including this one (1 on the first). The slide's
//! `s_t = ρ₁ r_{t−1} + …` is a typo for ρ₁ s_{t−1}. δ sits outside the root. Bias correction
//! can be switched off (ŝ = s, r̂ = r): both start at 0 and are then biased toward 0, so the
//! first step is mis-scaled by (1−ρ₁)/√(1−ρ₂): about 3.2× too long at the defaults
//! ρ₁ = 0.9, ρ₂ = 0.999, 0.32× too short with ρ₁ = 0.99. With correction the first step is
//! α·g/(δ + |g|) ≈ α in every coordinate.
//!
//! ## Reference
//!
//! - LECTURE.md, section "Update rules (v, r, s start at 0)", row Adam (defaults ρ₁ = 0.9,
//!   ρ₂ = 0.999, δ = 1e-8) and the notes under its table (the slide's typo, the update count
//!   of bias correction, δ outside the root); its lesson 10 ("Adam = momentum + RMSProp;
//!   without bias correction its first steps are mis-scaled …").
//! - D. P. Kingma and J. Ba, "Adam: A method for stochastic optimization", ICLR 2015
//!   (arXiv:1412.6980); its m, v, ε, β₁, β₂ are s, r, δ, ρ₁, ρ₂ here.

use super::{GradientOracle, State, Update, TWO_D_FAST_PATHS};

/// Adam with decays ρ₁, ρ₂, constant δ and switchable bias correction.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Adam {
    /// ρ₁.
    pub rho1: f64,
    /// ρ₂.
    pub rho2: f64,
    /// δ.
    pub delta: f64,
    /// Divide s and r by (1 − ρᵗ⁺¹).
    pub bias_correction: bool,
}

impl Adam {
    /// The update of one coordinate; c₁ = 1−ρ₁ᵗ⁺¹ and c₂ = 1−ρ₂ᵗ⁺¹ (1 without correction).
    #[allow(clippy::too_many_arguments)]
    #[inline(always)]
    pub(crate) fn coord(
        &self,
        p: &mut f64,
        s: &mut f64,
        r: &mut f64,
        eff: &mut f64,
        g: f64,
        lr: f64,
        c1: f64,
        c2: f64,
    ) {
        *s = self.rho1 * *s + (1.0 - self.rho1) * g;
        *r = self.rho2 * *r + (1.0 - self.rho2) * g * g;
        let s_hat = *s / c1;
        let r_hat = *r / c2;
        // α ŝ/(δ + √r̂) as (α/(δ + √r̂))·ŝ: the effective rate, kept, times ŝ.
        *eff = lr / (self.delta + r_hat.sqrt());
        *p -= *eff * s_hat;
    }
}

impl Adam {
    /// Advance the running powers ρ₁ᵗ⁺¹, ρ₂ᵗ⁺¹ to this update's and return its c₁, c₂.
    #[inline(always)]
    pub(crate) fn corrections(&self, rho1_pow: &mut f64, rho2_pow: &mut f64) -> (f64, f64) {
        *rho1_pow *= self.rho1;
        *rho2_pow *= self.rho2;
        if self.bias_correction {
            (1.0 - *rho1_pow, 1.0 - *rho2_pow)
        } else {
            (1.0, 1.0)
        }
    }
}

impl Update for Adam {
    /// The rate kept is α/(δ + √r̂), the one applied to ŝ.
    const ADAPTIVE: bool = true;

    /// One update (see the module equation).
    #[inline]
    fn step<O: GradientOracle + ?Sized>(
        &self,
        theta: &mut [f64],
        state: &mut State,
        lr: f64,
        oracle: &mut O,
    ) -> f64 {
        let loss = oracle.gradient(theta, &mut state.g);
        let (c1, c2) = self.corrections(&mut state.rho1_pow, &mut state.rho2_pow);
        let n = theta.len();
        let (s, r) = (&mut state.s[..n], &mut state.r[..n]);
        let (g, eff) = (&state.g[..n], &mut state.eff[..n]);
        if TWO_D_FAST_PATHS && n == 2 {
            // The surfaces' case: both coordinates in registers, updated side by side (the
            // compiler pairs them into vector instructions).
            let (mut pv, mut sv, mut rv) = ([theta[0], theta[1]], [s[0], s[1]], [r[0], r[1]]);
            let (gv, mut ev) = ([g[0], g[1]], [0.0; 2]);
            for k in 0..2 {
                self.coord(
                    &mut pv[k], &mut sv[k], &mut rv[k], &mut ev[k], gv[k], lr, c1, c2,
                );
            }
            (theta[0], theta[1], s[0], s[1]) = (pv[0], pv[1], sv[0], sv[1]);
            (r[0], r[1], eff[0], eff[1]) = (rv[0], rv[1], ev[0], ev[1]);
        } else {
            for k in 0..n {
                self.coord(
                    &mut theta[k],
                    &mut s[k],
                    &mut r[k],
                    &mut eff[k],
                    g[k],
                    lr,
                    c1,
                    c2,
                );
            }
        }
        state.t += 1;
        loss
    }
}

#[cfg(test)]
mod tests {
    use super::Adam;
    use crate::core::optim::testing::{assert_close, trace, CURV, START};

    const LR: f64 = 0.1;

    fn adam(bias_correction: bool) -> Adam {
        Adam {
            rho1: 0.9,
            rho2: 0.999,
            delta: 1e-8,
            bias_correction,
        }
    }

    // Why a tolerance for θ: the equation reads α ŝ/(δ + √r̂), the code computes
    // (α/(δ + √r̂))·ŝ so that the rate it keeps in `State::eff` is the one it applied; the
    // two orders can differ in the last bit. The rate of update 1 follows the code's order
    // exactly (assert_eq!); from update 2 on a last-bit difference in θ₁ would flow into g₁,
    // so θ, s, r and the rate are compared within a relative 1e-15.

    /// Two updates with bias correction, each coordinate by hand from s₀ = r₀ = 0:
    /// ŝ = s/(1−ρ₁ᵗ⁺¹), r̂ = r/(1−ρ₂ᵗ⁺¹) with t+1 = 1, then 2.
    #[test]
    fn first_two_updates_by_hand_with_bias_correction() {
        let (rho1, rho2, delta) = (0.9, 0.999, 1e-8);
        for dim in [2, 3] {
            let run = trace(&adam(true), dim, LR, 2);
            let (mut x1s, mut x2s, mut e2s, mut s2s, mut r2s) =
                (vec![], vec![], vec![], vec![], vec![]);
            for (k, (c, x0)) in CURV.into_iter().zip(START).take(dim).enumerate() {
                let (s0, r0) = (0.0, 0.0);
                // Update 1 (t+1 = 1): ŝ ≈ g, r̂ ≈ g², a step of α·g/(δ + |g|) ≈ α.
                let g0 = c * x0;
                let s1 = rho1 * s0 + (1.0 - rho1) * g0;
                let r1 = rho2 * r0 + (1.0 - rho2) * g0 * g0;
                let s1_hat = s1 / (1.0 - rho1);
                let r1_hat = r1 / (1.0 - rho2);
                let x1 = x0 - LR * s1_hat / (delta + r1_hat.sqrt());
                // Update 2 (t+1 = 2): divide by 1−ρ₁² and 1−ρ₂².
                let g1 = c * x1;
                let s2 = rho1 * s1 + (1.0 - rho1) * g1;
                let r2 = rho2 * r1 + (1.0 - rho2) * g1 * g1;
                let s2_hat = s2 / (1.0 - rho1 * rho1);
                let r2_hat = r2 / (1.0 - rho2 * rho2);
                let x2 = x1 - LR * s2_hat / (delta + r2_hat.sqrt());
                let at = format!("coordinate {k} of {dim}");
                assert_eq!(run.eff[0][k], LR / (delta + r1_hat.sqrt()), "{at}: rate 1");
                assert!(
                    (x1 - x0 + LR * g0.signum()).abs() < 1e-8,
                    "{at}: step 1 ≈ α"
                );
                x1s.push(x1);
                x2s.push(x2);
                e2s.push(LR / (delta + r2_hat.sqrt()));
                s2s.push(s2);
                r2s.push(r2);
            }
            assert_close(&run.theta[0], &x1s, "θ after update 1");
            assert_close(&run.theta[1], &x2s, "θ after update 2");
            assert_close(&run.eff[1], &e2s, "rate of update 2");
            assert_close(&run.state.s, &s2s, "s after update 2");
            assert_close(&run.state.r, &r2s, "r after update 2");
            assert_eq!(run.state.rho1_pow, rho1 * rho1);
            assert_eq!(run.state.rho2_pow, rho2 * rho2);
        }
    }

    /// The same two updates with bias correction off: ŝ = s, r̂ = r.
    #[test]
    fn first_two_updates_by_hand_without_bias_correction() {
        let (rho1, rho2, delta) = (0.9, 0.999, 1e-8);
        for dim in [2, 3] {
            let run = trace(&adam(false), dim, LR, 2);
            let (mut x1s, mut x2s, mut e2s) = (vec![], vec![], vec![]);
            for (k, (c, x0)) in CURV.into_iter().zip(START).take(dim).enumerate() {
                let (s0, r0) = (0.0, 0.0);
                // Update 1: s = 0.1 g, r = 0.001 g², a step of α·0.1/√0.001 ≈ 3.16 α.
                let g0 = c * x0;
                let s1 = rho1 * s0 + (1.0 - rho1) * g0;
                let r1 = rho2 * r0 + (1.0 - rho2) * g0 * g0;
                let x1 = x0 - LR * s1 / (delta + r1.sqrt());
                // Update 2.
                let g1 = c * x1;
                let s2 = rho1 * s1 + (1.0 - rho1) * g1;
                let r2 = rho2 * r1 + (1.0 - rho2) * g1 * g1;
                let x2 = x1 - LR * s2 / (delta + r2.sqrt());
                let at = format!("coordinate {k} of {dim}");
                assert_eq!(run.eff[0][k], LR / (delta + r1.sqrt()), "{at}: rate 1");
                let too_long = (1.0 - rho1) / (1.0 - rho2).sqrt(); // ≈ 3.16
                assert!(
                    ((x0 - x1).abs() - too_long * LR).abs() < 1e-6,
                    "{at}: step 1 mis-scaled by (1−ρ₁)/√(1−ρ₂)"
                );
                x1s.push(x1);
                x2s.push(x2);
                e2s.push(LR / (delta + r2.sqrt()));
            }
            assert_close(&run.theta[0], &x1s, "θ after update 1");
            assert_close(&run.theta[1], &x2s, "θ after update 2");
            assert_close(&run.eff[1], &e2s, "rate of update 2");
        }
    }
}
