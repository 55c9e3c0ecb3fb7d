//! Nesterov accelerated gradient ("look before you leap").
//!
//! θ̃ = θ − γ v ;  g̃ = ∇L(θ̃) ;  v ← γ v + α g̃ ;  θ ← θ − v      (v starts at 0)
//!
//! The gradient is taken at the look-ahead point θ̃, kept in `State::lookahead` for drawing.

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
            *v = gamma * *v + lr * g;
            *p -= *v;
        }
        state.t += 1;
        loss
    }
}
