//! Momentum (heavy ball).
//!
//! v ← γ v + α g ;  θ ← θ − v      (v starts at 0)
//!
//! Optional warm-up from the slides: γ₀ for the first `warmup` updates, then γ.
//!
//! ## Reference
//!
//! - LECTURE.md, section "Update rules (v, r, s start at 0)", row Momentum (default γ = 0.9);
//!   the warm-up is the last paragraph of its section "Learning-rate schedules (α₀ initial
//!   rate, t update index)" ("γ is set to 0.5 until initial learning stabilizes and then
//!   increased to 0.9 or higher"); with a schedule, α is α_t and enters v.
//! - B. T. Polyak, "Some methods of speeding up the convergence of iteration methods",
//!   USSR Computational Mathematics and Mathematical Physics 4(5), 1–17 (1964).

use super::{GradientOracle, State, Update};

/// Momentum with coefficient γ and an optional γ₀ warm-up.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Momentum {
    /// γ.
    pub gamma: f64,
    /// γ₀ used while t < `warmup`.
    pub gamma0: f64,
    /// Number of warm-up updates (0: no warm-up).
    pub warmup: u64,
}

impl Momentum {
    /// Momentum γ with no warm-up.
    pub fn new(gamma: f64) -> Self {
        Momentum {
            gamma,
            gamma0: gamma,
            warmup: 0,
        }
    }

    /// γ of update t.
    #[inline]
    pub fn gamma_at(&self, t: u64) -> f64 {
        if t < self.warmup {
            self.gamma0
        } else {
            self.gamma
        }
    }

    /// v ← γ v + α g ; θ ← θ − v for one coordinate (Nesterov's too, with g at its look-ahead).
    #[inline(always)]
    pub(crate) fn coord(gamma: f64, lr: f64, p: &mut f64, v: &mut f64, g: f64) {
        *v = gamma * *v + lr * g;
        *p -= *v;
    }
}

impl Update for Momentum {
    /// One update: v ← γ v + α g ; θ ← θ − v.
    #[inline]
    fn step<O: GradientOracle + ?Sized>(
        &self,
        theta: &mut [f64],
        state: &mut State,
        lr: f64,
        oracle: &mut O,
    ) -> f64 {
        let gamma = self.gamma_at(state.t);
        let loss = oracle.gradient(theta, &mut state.g);
        for ((p, v), g) in theta.iter_mut().zip(&mut state.v).zip(&state.g) {
            Momentum::coord(gamma, lr, p, v, *g);
        }
        state.t += 1;
        loss
    }
}

#[cfg(test)]
mod tests {
    use super::Momentum;
    use crate::core::optim::testing::{trace, CURV, START};

    /// v ← γ v + α g ; θ ← θ − v twice, each coordinate by hand from v₀ = 0. The code
    /// computes γ·v + α·g and θ − v in the same order: equal to the last bit.
    #[test]
    fn first_two_updates_by_hand() {
        let (lr, gamma) = (0.1, 0.9);
        for dim in [2, 3] {
            let run = trace(&Momentum::new(gamma), dim, lr, 2);
            for (k, (c, x0)) in CURV.into_iter().zip(START).take(dim).enumerate() {
                let v0 = 0.0;
                // Update 1 (a = 3, θ₀ = 1: g = 3, v = 0.3, θ = 0.7).
                let g0 = c * x0;
                let v1 = gamma * v0 + lr * g0;
                let x1 = x0 - v1;
                // Update 2 (a = 3: g = 2.1, v = 0.27 + 0.21 = 0.48, θ = 0.22).
                let g1 = c * x1;
                let v2 = gamma * v1 + lr * g1;
                let x2 = x1 - v2;
                let at = format!("coordinate {k} of {dim}");
                assert_eq!(run.at[0][k], x0, "{at}: gradient of update 1 at θ₀");
                assert_eq!(run.theta[0][k], x1, "{at}: θ after update 1");
                assert_eq!(run.at[1][k], x1, "{at}: gradient of update 2 at θ₁");
                assert_eq!(run.theta[1][k], x2, "{at}: θ after update 2");
                assert_eq!(run.state.v[k], v2, "{at}: v after update 2");
            }
        }
        let run = trace(&Momentum::new(gamma), 2, lr, 2);
        assert!((run.theta[1][0] - 0.22).abs() < 1e-14);
    }

    /// Warm-up over two updates: γ₀ in updates 1 and 2 (in update 1 it multiplies v₀ = 0, so
    /// only update 2 shows it), then γ from update 3 on. Same operation order as the code.
    #[test]
    fn warmup_uses_gamma0_for_its_updates_then_gamma() {
        let (lr, gamma0, gamma) = (0.1, 0.5, 0.9);
        let rule = Momentum {
            gamma,
            gamma0,
            warmup: 2,
        };
        assert_eq!(rule.gamma_at(0), gamma0);
        assert_eq!(rule.gamma_at(1), gamma0);
        assert_eq!(rule.gamma_at(2), gamma);
        for dim in [2, 3] {
            let run = trace(&rule, dim, lr, 3);
            for (k, (c, x0)) in CURV.into_iter().zip(START).take(dim).enumerate() {
                let v0 = 0.0;
                // Update 1 (t = 0 < 2): γ₀. a = 3, θ₀ = 1: v = 0.3, θ = 0.7.
                let g0 = c * x0;
                let v1 = gamma0 * v0 + lr * g0;
                let x1 = x0 - v1;
                // Update 2 (t = 1 < 2): γ₀. v = 0.15 + 0.21 = 0.36, θ = 0.34 (0.22 with γ).
                let g1 = c * x1;
                let v2 = gamma0 * v1 + lr * g1;
                let x2 = x1 - v2;
                // Update 3 (t = 2): γ. g = 1.02, v = 0.324 + 0.102 = 0.426, θ = −0.086.
                let g2 = c * x2;
                let v3 = gamma * v2 + lr * g2;
                let x3 = x2 - v3;
                let at = format!("coordinate {k} of {dim}");
                assert_eq!(run.theta[0][k], x1, "{at}: θ after update 1");
                assert_eq!(run.theta[1][k], x2, "{at}: θ after update 2");
                assert_eq!(run.theta[2][k], x3, "{at}: θ after update 3");
                assert_eq!(run.state.v[k], v3, "{at}: v after update 3");
            }
        }
        let run = trace(&rule, 2, lr, 3);
        assert!((run.theta[1][0] - 0.34).abs() < 1e-14);
        assert!((run.theta[2][0] - -0.086).abs() < 1e-14);
    }
}
