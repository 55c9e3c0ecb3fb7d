//! One optimizer stepped on a caller's gradient function, outside a run: the engine of the
//! page's scriptable `Optimizer`. Its schedule sees what a run's sees: α_t of the update's own
//! index, and for the loss-rise step schedule L(θ) before and after each update.

use crate::core::optim::{GradientOracle, State, Update};
use crate::core::run::OptimizerConfig;
use crate::core::schedule::{Schedule, ScheduleState};

/// An optimizer's configuration, state and schedule, advanced one update at a time.
#[derive(Debug, Clone)]
pub struct Stepper {
    pub config: OptimizerConfig,
    pub state: State,
    schedule: ScheduleState,
    /// α_t of the last update (α₀ before the first).
    last_lr: f64,
    /// Scratch for the gradient of a call made only for its loss.
    scratch: Vec<f64>,
}

impl Stepper {
    /// A stepper for `dim` parameters, at t = 0.
    pub fn new(config: OptimizerConfig, dim: usize) -> Self {
        Stepper {
            config,
            state: State::new(dim),
            schedule: ScheduleState::new(config.schedule, config.learning_rate),
            last_lr: config.learning_rate,
            scratch: vec![0.0; dim],
        }
    }

    /// Whether updates need the loss: the loss-rise step schedule compares L before and after.
    pub fn needs_loss(&self) -> bool {
        matches!(
            self.config.schedule,
            Schedule::Step {
                on_increase: true,
                ..
            }
        )
    }

    /// One update of `theta` with gradients (and losses) from `oracle`; returns the loss the
    /// oracle gave for the update's gradient. With the loss-rise schedule the oracle is also
    /// asked at θ before the update and at the new θ after it, and α is multiplied by f for
    /// the next update when L rose, as in a run.
    pub fn step<O: GradientOracle + ?Sized>(&mut self, theta: &mut [f64], oracle: &mut O) -> f64 {
        let lr = self.schedule.rate(self.state.t);
        let before = self.needs_loss().then(|| self.loss_at(theta, oracle));
        let loss = self.config.rule.step(theta, &mut self.state, lr, oracle);
        self.last_lr = lr;
        if let Some(before) = before {
            let after = self.loss_at(theta, oracle);
            self.schedule.observe(before, after);
        }
        loss
    }

    /// L at `theta`, from the oracle (its gradient goes to scratch).
    fn loss_at<O: GradientOracle + ?Sized>(&mut self, theta: &[f64], oracle: &mut O) -> f64 {
        oracle.gradient(theta, &mut self.scratch)
    }

    /// α_t of the next update.
    pub fn next_rate(&self) -> f64 {
        self.schedule.rate(self.state.t)
    }

    /// α_t of the last update (α₀ before the first).
    pub fn last_rate(&self) -> f64 {
        self.last_lr
    }

    /// Back to t = 0 with zeroed state and the schedule at α₀.
    pub fn reset(&mut self) {
        self.state.reset();
        self.schedule.reset();
        self.last_lr = self.config.learning_rate;
    }
}
