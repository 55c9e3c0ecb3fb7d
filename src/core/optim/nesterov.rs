//! Nesterov accelerated gradient ("look before you leap").
//!
//! θ̃ = θ − γ v ;  g̃ = ∇L(θ̃) ;  v ← γ v + α g̃ ;  θ ← θ − v      (v starts at 0)
//!
//! The gradient is taken at the look-ahead point θ̃, kept in `State::lookahead` for drawing.
//!
//! ## Reference
//!
//! - LECTURE.md, section "Update rules (v, r, s start at 0)", row Nesterov (NAG) (default
//!   γ = 0.9); γ's warm-up as for Momentum (its section "Learning-rate schedules (α₀ initial
//!   rate, t update index)"), applied to the look-ahead and to v alike.
//! - Yu. E. Nesterov, "A method for solving the convex programming problem with convergence
//!   rate O(1/k²)", Soviet Mathematics Doklady 27(2), 372–376 (1983). The look-ahead form
//!   above is the momentum formulation of that method given by I. Sutskever, J. Martens,
//!   G. Dahl and G. Hinton, "On the importance of initialization and momentum in deep
//!   learning", ICML 2013.

use super::{GradientOracle, Momentum, State, Update};

/// Nesterov momentum; γ and its warm-up behave as in [`Momentum`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Nesterov(pub Momentum);

impl Nesterov {
    /// Nesterov with coefficient γ and no warm-up.
    pub fn new(gamma: f64) -> Self {
        Nesterov(Momentum::new(gamma))
    }
}

impl Update for Nesterov {
    /// One update with the gradient at θ̃ = θ − γ v.
    #[inline]
    fn step<O: GradientOracle + ?Sized>(
        &self,
        theta: &mut [f64],
        state: &mut State,
        lr: f64,
        oracle: &mut O,
    ) -> f64 {
        let gamma = self.0.gamma_at(state.t);
        for ((l, p), v) in state.lookahead.iter_mut().zip(theta.iter()).zip(&state.v) {
            *l = p - gamma * v;
        }
        let loss = oracle.gradient(&state.lookahead, &mut state.g);
        for ((p, v), g) in theta.iter_mut().zip(&mut state.v).zip(&state.g) {
            Momentum::coord(gamma, lr, p, v, *g);
        }
        state.t += 1;
        loss
    }
}

#[cfg(test)]
mod tests {
    use super::Nesterov;
    use crate::core::optim::testing::{trace, CURV, START};
    use crate::core::optim::Momentum;

    /// θ̃ = θ − γ v ; g̃ = ∇L(θ̃) ; v ← γ v + α g̃ ; θ ← θ − v twice, each coordinate by hand
    /// from v₀ = 0. The code computes θ − γ·v, γ·v + α·g̃ and θ − v in the same order:
    /// equal to the last bit.
    #[test]
    fn first_two_updates_by_hand_take_the_gradient_at_the_lookahead() {
        let (lr, gamma) = (0.1, 0.9);
        for dim in [2, 3] {
            let run = trace(&Nesterov::new(gamma), dim, lr, 2);
            for (k, (c, x0)) in CURV.into_iter().zip(START).take(dim).enumerate() {
                let v0 = 0.0;
                // Update 1: v₀ = 0, so θ̃ = θ₀ (a = 3, θ₀ = 1: g̃ = 3, v = 0.3, θ = 0.7).
                let l0 = x0 - gamma * v0;
                let g0 = c * l0;
                let v1 = gamma * v0 + lr * g0;
                let x1 = x0 - v1;
                // Update 2: θ̃ = 0.7 − 0.27 = 0.43, g̃ = 1.29, v = 0.27 + 0.129 = 0.399,
                // θ = 0.301 (momentum, with the gradient at θ₁, gives 0.22).
                let l1 = x1 - gamma * v1;
                let g1 = c * l1;
                let v2 = gamma * v1 + lr * g1;
                let x2 = x1 - v2;
                let at = format!("coordinate {k} of {dim}");
                assert_eq!(run.at[0][k], l0, "{at}: gradient of update 1 at θ̃₀ = θ₀");
                assert_eq!(run.theta[0][k], x1, "{at}: θ after update 1");
                assert_eq!(run.at[1][k], l1, "{at}: gradient of update 2 at θ̃₁");
                assert_eq!(run.state.lookahead[k], l1, "{at}: θ̃ kept for drawing");
                assert_eq!(run.state.g[k], g1, "{at}: g̃ kept");
                assert_eq!(run.theta[1][k], x2, "{at}: θ after update 2");
                assert_eq!(run.state.v[k], v2, "{at}: v after update 2");
            }
        }
        let run = trace(&Nesterov::new(gamma), 2, lr, 2);
        assert!((run.theta[1][0] - 0.301).abs() < 1e-14);
    }

    /// With a two-update warm-up, γ₀ sets both the look-ahead and v in updates 1 and 2, and
    /// γ takes over in update 3. Same operation order as the code.
    #[test]
    fn warmup_uses_gamma0_in_lookahead_and_velocity() {
        let (lr, gamma0, gamma) = (0.1, 0.5, 0.9);
        let rule = Nesterov(Momentum {
            gamma,
            gamma0,
            warmup: 2,
        });
        for dim in [2, 3] {
            let run = trace(&rule, dim, lr, 3);
            for (k, (c, x0)) in CURV.into_iter().zip(START).take(dim).enumerate() {
                let v0 = 0.0;
                // Update 1 (γ₀): a = 3, θ₀ = 1: θ̃ = 1, v = 0.3, θ = 0.7.
                let l0 = x0 - gamma0 * v0;
                let v1 = gamma0 * v0 + lr * (c * l0);
                let x1 = x0 - v1;
                // Update 2 (γ₀): θ̃ = 0.7 − 0.15 = 0.55, v = 0.15 + 0.165 = 0.315, θ = 0.385.
                let l1 = x1 - gamma0 * v1;
                let v2 = gamma0 * v1 + lr * (c * l1);
                let x2 = x1 - v2;
                // Update 3 (γ): θ̃ = 0.385 − 0.2835 = 0.1015, v = 0.2835 + 0.03045 = 0.31395,
                // θ = 0.07105.
                let l2 = x2 - gamma * v2;
                let v3 = gamma * v2 + lr * (c * l2);
                let x3 = x2 - v3;
                let at = format!("coordinate {k} of {dim}");
                assert_eq!(run.at[1][k], l1, "{at}: look-ahead of update 2 with γ₀");
                assert_eq!(run.at[2][k], l2, "{at}: look-ahead of update 3 with γ");
                assert_eq!(run.theta[0][k], x1, "{at}: θ after update 1");
                assert_eq!(run.theta[1][k], x2, "{at}: θ after update 2");
                assert_eq!(run.theta[2][k], x3, "{at}: θ after update 3");
            }
        }
        let run = trace(&rule, 2, lr, 3);
        assert!((run.theta[1][0] - 0.385).abs() < 1e-14);
        assert!((run.theta[2][0] - 0.07105).abs() < 1e-14);
    }
}
