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

use super::{GradientOracle, State};

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
    /// One update (see the module equation).
    #[inline]
    pub fn step<O: GradientOracle + ?Sized>(
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
        for (((p, s), r), g) in theta
            .iter_mut()
            .zip(&mut state.s)
            .zip(&mut state.r)
            .zip(&state.g)
        {
            *s = self.rho1 * *s + (1.0 - self.rho1) * g;
            *r = self.rho2 * *r + (1.0 - self.rho2) * g * g;
            let s_hat = *s / c1;
            let r_hat = *r / c2;
            *p -= lr * s_hat / (self.delta + r_hat.sqrt());
        }
        state.t += 1;
        loss
    }
}
