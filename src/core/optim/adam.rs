//! Adam.
//!
//! s ← ρ₁ s + (1−ρ₁) g ;  r ← ρ₂ r + (1−ρ₂) g⊙g ;
//! ŝ = s/(1−ρ₁ᵗ⁺¹) ;  r̂ = r/(1−ρ₂ᵗ⁺¹) ;  θ ← θ − α ŝ/(δ + √r̂)
//!
//! t+1 counts the updates made including this one (1 on the first). The slide's
//! `s_t = ρ₁ r_{t−1} + …` is a typo for ρ₁ s_{t−1}. Without bias correction ŝ = s and
//! r̂ = r are biased toward 0 (both start at 0), so early steps are scaled by
//! (1−ρ₁ᵗ)/√(1−ρ₂ᵗ): too short when ρ₁ is close to 1 relative to ρ₂, and about 3× too long
//! with the defaults ρ₁ = 0.9, ρ₂ = 0.999. Correction removes that distortion.

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
    fn coord(
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
        state.rho1_pow *= self.rho1;
        state.rho2_pow *= self.rho2;
        let (c1, c2) = if self.bias_correction {
            (1.0 - state.rho1_pow, 1.0 - state.rho2_pow)
        } else {
            (1.0, 1.0)
        };
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
