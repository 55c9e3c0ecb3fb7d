//! Learning-rate schedules: α_t for update t (t = 0 for the first update).
//!
//! | schedule | α_t |
//! |---|---|
//! | constant | α₀ |
//! | step | α₀ · f^⌊t/n⌋ ; variant `on_increase`: α ← f·α whenever the loss rose over the last update |
//! | exp | α₀ · e^(−k t) |
//! | inv | α₀ / (1 + k t) |

use crate::core::math;

/// Which schedule, with its parameters.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub enum Schedule {
    #[default]
    Constant,
    /// Multiply by `factor` every `every` updates, or (with `on_increase`) whenever the loss rose.
    Step {
        every: u64,
        factor: f64,
        on_increase: bool,
    },
    /// α₀ e^(−k t).
    Exp { k: f64 },
    /// α₀ / (1 + k t).
    Inv { k: f64 },
}

impl Schedule {
    /// Name in the scenario text.
    pub fn name(&self) -> &'static str {
        match self {
            Schedule::Constant => "constant",
            Schedule::Step { .. } => "step",
            Schedule::Exp { .. } => "exp",
            Schedule::Inv { .. } => "inv",
        }
    }
}

/// A schedule in progress: the stateless forms are closed formulas, the loss-rise variant
/// keeps its current multiplier.
#[derive(Debug, Clone, PartialEq)]
pub struct ScheduleState {
    pub schedule: Schedule,
    pub lr0: f64,
    /// Accumulated factor of the loss-rise variant.
    multiplier: f64,
}

impl ScheduleState {
    pub fn new(schedule: Schedule, lr0: f64) -> Self {
        ScheduleState {
            schedule,
            lr0,
            multiplier: 1.0,
        }
    }

    pub fn reset(&mut self) {
        self.multiplier = 1.0;
    }

    /// α_t of update `t`.
    #[inline]
    pub fn rate(&self, t: u64) -> f64 {
        match self.schedule {
            Schedule::Constant => self.lr0,
            Schedule::Step {
                on_increase: true, ..
            } => self.lr0 * self.multiplier,
            Schedule::Step { every, factor, .. } => {
                let k = (t / every.max(1)) as f64;
                self.lr0 * math::pow(factor, k)
            }
            Schedule::Exp { k } => self.lr0 * math::exp(-k * t as f64),
            Schedule::Inv { k } => self.lr0 / (1.0 + k * t as f64),
        }
    }

    /// Tell the schedule the loss before and after an update (used by the loss-rise variant).
    #[inline]
    pub fn observe(&mut self, loss_before: f64, loss_after: f64) {
        if let Schedule::Step {
            on_increase: true,
            factor,
            ..
        } = self.schedule
        {
            if loss_after > loss_before {
                self.multiplier *= factor;
            }
        }
    }
}
