//! Momentum (heavy ball).
//!
//! v ← γ v + α g ;  θ ← θ − v      (v starts at 0)
//!
//! Optional warm-up from the slides: γ₀ for the first `warmup` updates, then γ.

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
            *v = gamma * *v + lr * g;
            *p -= *v;
        }
        state.t += 1;
        loss
    }
}
