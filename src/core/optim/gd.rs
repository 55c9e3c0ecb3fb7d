//! Gradient descent.
//!
//! θ ← θ − α g,  g = ∇L(θ)
//!
//! With a mini-batch oracle this is mini-batch SGD; with batch size 1, SGD.
//!
//! ## Reference
//!
//! - LECTURE.md, section "Update rules (v, r, s start at 0)", row GD (default α = 0.1); the
//!   gradient sources (batch, stochastic, mini-batch) are its section "Where the gradient
//!   comes from".
//! - A. Cauchy, "Méthode générale pour la résolution des systèmes d'équations simultanées",
//!   Comptes rendus hebdomadaires des séances de l'Académie des sciences 25, 536–538 (1847).

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

#[cfg(test)]
mod tests {
    use super::Gd;
    use crate::core::optim::testing::{trace, CURV, START};

    /// θ ← θ − α g twice on ½(a θ₀² + b θ₁² [+ c θ₂²]), each coordinate by hand. The code
    /// computes θ − α·g in the same order, so the results are equal to the last bit.
    #[test]
    fn first_two_updates_by_hand() {
        let lr = 0.1;
        for dim in [2, 3] {
            let run = trace(&Gd, dim, lr, 2);
            for (k, (c, x0)) in CURV.into_iter().zip(START).take(dim).enumerate() {
                // Update 1, at θ₀ (a = 3, θ₀ = 1: g = 3, θ = 0.7).
                let g0 = c * x0;
                let x1 = x0 - lr * g0;
                // Update 2, at θ₁ (a = 3: g = 2.1, θ = 0.49).
                let g1 = c * x1;
                let x2 = x1 - lr * g1;
                let at = format!("coordinate {k} of {dim}");
                assert_eq!(run.at[0][k], x0, "{at}: gradient of update 1 at θ₀");
                assert_eq!(run.theta[0][k], x1, "{at}: θ after update 1");
                assert_eq!(run.at[1][k], x1, "{at}: gradient of update 2 at θ₁");
                assert_eq!(run.theta[1][k], x2, "{at}: θ after update 2");
                assert_eq!(run.state.g[k], g1, "{at}: the last gradient is kept");
            }
        }
        // The decimals, for a reader (a = 3, θ₀ = 1; b = 0.5, θ₁ = −2).
        let run = trace(&Gd, 2, lr, 2);
        assert!((run.theta[1][0] - 0.49).abs() < 1e-14);
        assert!((run.theta[1][1] - -1.805).abs() < 1e-14);
    }
}
