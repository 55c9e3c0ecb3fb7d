//! Runs: one objective, one start point, any number of optimizers advancing side by side.
//!
//! Each optimizer is a [`Track`]: its rule, schedule, gradient source, seeded generator,
//! status and a decimated [`History`]. Advancing is allocation-free per update; the full
//! loss and gradient at every new point are computed once and reused as the next update's
//! gradient when the source is deterministic.

use crate::core::objective::Objective;
use crate::core::optim::{Rule, State};
use crate::core::rng::Rng;
use crate::core::sampling::{copy_short, Sampler, Source, SourceOracle};
use crate::core::schedule::{Schedule, ScheduleState};

/// |θᵢ| beyond this counts as divergence (long before anything overflows).
pub const DIVERGENCE_BOUND: f64 = 1e6;

/// Records kept per optimizer before the history halves its resolution.
pub const HISTORY_CAPACITY: usize = 16_384;

/// One optimizer of a scenario: rule with hyperparameters, α₀ and schedule, gradient source.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct OptimizerConfig {
    pub rule: Rule,
    /// α₀.
    pub learning_rate: f64,
    pub schedule: Schedule,
    pub source: Source,
}

/// Stopping rules shared by every optimizer of a run.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Stopping {
    /// Stop after this many updates.
    pub max_steps: u64,
    /// Converged when ‖∇L(θ)‖ ≤ this (0: off).
    pub grad_tol: f64,
    /// Converged when |L_t − L_{t−1}| ≤ this (0: off).
    pub loss_tol: f64,
}

impl Default for Stopping {
    fn default() -> Self {
        Stopping {
            max_steps: 1000,
            grad_tol: 1e-8,
            loss_tol: 0.0,
        }
    }
}

/// Where an optimizer is.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Status {
    Running,
    /// Met a tolerance at update `step`.
    Converged {
        step: u64,
    },
    /// Reached the step limit.
    Stopped {
        step: u64,
    },
    /// Produced a non-finite value or left the bounded region at update `step`.
    Diverged {
        step: u64,
        reason: DivergeReason,
    },
}

/// Why a run was declared diverged.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DivergeReason {
    NonFiniteLoss,
    NonFiniteGradient,
    NonFiniteParameters,
    OutOfBounds,
}

impl std::fmt::Display for Status {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Status::Running => write!(f, "running"),
            Status::Converged { step } => write!(f, "converged at step {step}"),
            Status::Stopped { step } => write!(f, "stopped at step {step}"),
            Status::Diverged { step, reason } => {
                let why = match reason {
                    DivergeReason::NonFiniteLoss => "the loss is not finite",
                    DivergeReason::NonFiniteGradient => "the gradient is not finite",
                    DivergeReason::NonFiniteParameters => "the parameters are not finite",
                    DivergeReason::OutOfBounds => "a parameter passed ±1e6",
                };
                write!(f, "diverged at step {step} ({why})")
            }
        }
    }
}

/// Per-update records in columns, decimated by halving when full, so memory stays bounded
/// (at most [`HISTORY_CAPACITY`] records) however long a run goes.
#[derive(Debug, Clone, PartialEq)]
pub struct History {
    dim: usize,
    capacity: usize,
    /// Only steps that are multiples of `stride` are kept.
    stride: u64,
    pub step: Vec<u64>,
    pub examples: Vec<u64>,
    pub loss: Vec<f64>,
    pub batch_loss: Vec<f64>,
    pub grad_norm: Vec<f64>,
    pub lr: Vec<f64>,
    /// θ of every record, `dim` values each.
    pub params: Vec<f64>,
    /// Effective per-parameter rate of every record, `dim` values each.
    pub eff_lr: Vec<f64>,
}

/// One record, borrowed from a track's live values.
#[derive(Debug, Clone, Copy)]
pub struct Record<'a> {
    pub step: u64,
    pub examples: u64,
    pub loss: f64,
    pub batch_loss: f64,
    pub grad_norm: f64,
    pub lr: f64,
    pub params: &'a [f64],
    pub eff_lr: &'a [f64],
}

impl History {
    pub fn new(dim: usize, capacity: usize, expected: usize) -> Self {
        let capacity = capacity.max(2);
        let n = expected.min(capacity);
        History {
            dim,
            capacity,
            stride: 1,
            step: Vec::with_capacity(n),
            examples: Vec::with_capacity(n),
            loss: Vec::with_capacity(n),
            batch_loss: Vec::with_capacity(n),
            grad_norm: Vec::with_capacity(n),
            lr: Vec::with_capacity(n),
            params: Vec::with_capacity(n * dim),
            eff_lr: Vec::with_capacity(n * dim),
        }
    }

    pub fn len(&self) -> usize {
        self.step.len()
    }

    pub fn is_empty(&self) -> bool {
        self.step.is_empty()
    }

    /// Steps between kept records (1 until the history first fills).
    pub fn stride(&self) -> u64 {
        self.stride
    }

    pub fn clear(&mut self) {
        self.stride = 1;
        self.step.clear();
        self.examples.clear();
        self.loss.clear();
        self.batch_loss.clear();
        self.grad_norm.clear();
        self.lr.clear();
        self.params.clear();
        self.eff_lr.clear();
    }

    /// θ of record `i`.
    pub fn params_at(&self, i: usize) -> &[f64] {
        &self.params[i * self.dim..(i + 1) * self.dim]
    }

    /// Whether a record of `step` is on the current stride. The stride is a power of two
    /// (1, doubled by each halving), so this is a mask rather than a division.
    #[inline]
    fn on_stride(&self, step: u64) -> bool {
        step & (self.stride - 1) == 0
    }

    /// Keep the record if its step is on the current stride; halve when full.
    #[inline]
    pub fn push(&mut self, r: &Record) {
        if !self.on_stride(r.step) {
            return;
        }
        if self.len() >= self.capacity {
            self.halve();
            if !self.on_stride(r.step) {
                return;
            }
        }
        self.step.push(r.step);
        self.examples.push(r.examples);
        self.loss.push(r.loss);
        self.batch_loss.push(r.batch_loss);
        self.grad_norm.push(r.grad_norm);
        self.lr.push(r.lr);
        extend_short(&mut self.params, r.params);
        extend_short(&mut self.eff_lr, r.eff_lr);
    }

    /// Drop every record whose step is not a multiple of twice the stride.
    fn halve(&mut self) {
        let stride = self.stride * 2;
        let dim = self.dim;
        let mut w = 0;
        for i in 0..self.len() {
            if self.step[i].is_multiple_of(stride) {
                self.step[w] = self.step[i];
                self.examples[w] = self.examples[i];
                self.loss[w] = self.loss[i];
                self.batch_loss[w] = self.batch_loss[i];
                self.grad_norm[w] = self.grad_norm[i];
                self.lr[w] = self.lr[i];
                self.params.copy_within(i * dim..(i + 1) * dim, w * dim);
                self.eff_lr.copy_within(i * dim..(i + 1) * dim, w * dim);
                w += 1;
            }
        }
        self.step.truncate(w);
        self.examples.truncate(w);
        self.loss.truncate(w);
        self.batch_loss.truncate(w);
        self.grad_norm.truncate(w);
        self.lr.truncate(w);
        self.params.truncate(w * dim);
        self.eff_lr.truncate(w * dim);
        self.stride = stride;
    }
}

/// `v.extend_from_slice(s)`, with a few values pushed one by one: the general form calls
/// `memcpy`, which costs more than the copy for θ's usual two values.
#[inline(always)]
fn extend_short(v: &mut Vec<f64>, s: &[f64]) {
    if s.len() <= 4 {
        for &x in s {
            v.push(x);
        }
    } else {
        v.extend_from_slice(s);
    }
}

/// One optimizer advancing on the run's objective.
#[derive(Debug, Clone)]
pub struct Track {
    pub config: OptimizerConfig,
    /// Current θ.
    pub theta: Vec<f64>,
    /// Rule buffers (v, s, r, last gradient, look-ahead).
    pub state: State,
    pub status: Status,
    pub history: History,
    /// Updates made.
    pub step: u64,
    /// Examples whose gradients have been evaluated (N per full-batch update).
    pub examples: u64,
    /// Full-objective loss at θ.
    pub loss: f64,
    /// Loss of the last gradient's batch (equals `loss`'s predecessor for full batch).
    pub batch_loss: f64,
    /// ‖∇L(θ)‖ of the full objective.
    pub grad_norm: f64,
    /// α_t of the last update (α₀ before the first).
    pub lr: f64,
    /// Full ∇L(θ).
    pub grad: Vec<f64>,
    /// Effective per-parameter rate of the last update.
    pub eff_lr: Vec<f64>,
    seed: u64,
    stream: u64,
    schedule: ScheduleState,
    sampler: Option<Sampler>,
    rng: Rng,
    cache_point: Vec<f64>,
    /// `objective.examples()` (fixed for the objective).
    n_examples: u64,
}

impl Track {
    /// A track at `start` on `objective`; `stream` separates its random numbers from the
    /// other optimizers' of the same seed.
    pub fn new(
        objective: &dyn Objective,
        config: OptimizerConfig,
        start: &[f64],
        seed: u64,
        stream: u64,
        expected_steps: u64,
    ) -> Self {
        let dim = objective.dim();
        let n = objective.examples();
        let sampler = match (config.source.batch_size, n) {
            (Some(m), n) if n > 0 => Some(Sampler::new(n, m as usize)),
            _ => None,
        };
        let expected = usize::try_from(expected_steps.saturating_add(1)).unwrap_or(usize::MAX);
        let mut t = Track {
            config,
            theta: start.to_vec(),
            state: State::new(dim),
            status: Status::Running,
            history: History::new(dim, HISTORY_CAPACITY, expected),
            step: 0,
            examples: 0,
            loss: 0.0,
            batch_loss: 0.0,
            grad_norm: 0.0,
            lr: config.learning_rate,
            grad: vec![0.0; dim],
            eff_lr: vec![config.learning_rate; dim],
            seed,
            stream,
            schedule: ScheduleState::new(config.schedule, config.learning_rate),
            sampler,
            rng: Rng::new(seed, stream),
            cache_point: start.to_vec(),
            n_examples: n as u64,
        };
        t.restart(objective, start);
        t
    }

    /// Back to step 0 at `start` with fresh state and the same random sequence.
    pub fn restart(&mut self, objective: &dyn Objective, start: &[f64]) {
        self.theta.copy_from_slice(start);
        self.state.reset();
        self.status = Status::Running;
        self.history.clear();
        self.step = 0;
        self.examples = 0;
        self.schedule.reset();
        if let Some(s) = self.sampler.as_mut() {
            s.reset();
        }
        self.rng = Rng::new(self.seed, self.stream);
        self.lr = self.schedule.rate(0);
        // Before the first update an adaptive rule has no effective rate yet (r = 0): NaN,
        // which charts leave out, rather than α, which would look like a jump.
        let eff0 = if self.config.rule.kind().is_adaptive() {
            f64::NAN
        } else {
            self.lr
        };
        self.eff_lr.iter_mut().for_each(|e| *e = eff0);
        self.loss = objective.loss_grad(&self.theta, &mut self.grad);
        self.batch_loss = self.loss;
        self.cache_point.copy_from_slice(&self.theta);
        self.grad_norm = norm(&self.grad);
        if let Some(reason) = self.check_finite() {
            self.status = Status::Diverged { step: 0, reason };
        }
        self.record();
    }

    /// Keep the current values in the history (decimated).
    fn record(&mut self) {
        let r = Record {
            step: self.step,
            examples: self.examples,
            loss: self.loss,
            batch_loss: self.batch_loss,
            grad_norm: self.grad_norm,
            lr: self.lr,
            params: &self.theta,
            eff_lr: &self.eff_lr,
        };
        self.history.push(&r);
    }

    #[inline]
    fn check_finite(&self) -> Option<DivergeReason> {
        // The usual case in one pass: |θᵢ| ≤ bound is false for NaN, so it implies finite.
        if self.theta.iter().all(|p| p.abs() <= DIVERGENCE_BOUND)
            && self.loss.is_finite()
            && self.grad_norm.is_finite()
        {
            return None;
        }
        if self.theta.iter().any(|p| !p.is_finite()) {
            Some(DivergeReason::NonFiniteParameters)
        } else if self.theta.iter().any(|p| p.abs() > DIVERGENCE_BOUND) {
            Some(DivergeReason::OutOfBounds)
        } else if !self.loss.is_finite() {
            Some(DivergeReason::NonFiniteLoss)
        } else if !self.grad_norm.is_finite() {
            Some(DivergeReason::NonFiniteGradient)
        } else {
            None
        }
    }

    /// Epochs completed, fractional (examples seen / N; updates on an analytic surface).
    pub fn epoch(&self, objective: &dyn Objective) -> f64 {
        match objective.examples() {
            0 => self.step as f64,
            n => self.examples as f64 / n as f64,
        }
    }

    /// One update if still running; returns whether it ran.
    pub fn step_once(&mut self, objective: &dyn Objective, stop: &Stopping) -> bool {
        if self.status != Status::Running {
            return false;
        }
        if self.step >= stop.max_steps {
            self.status = Status::Stopped { step: self.step };
            return false;
        }
        let t = self.step;
        let lr = self.schedule.rate(t);
        let mut oracle = SourceOracle {
            objective,
            examples: self.n_examples,
            source: self.config.source,
            sampler: self.sampler.as_mut(),
            rng: &mut self.rng,
            cache_point: &self.cache_point,
            cache_grad: &self.grad,
            cache_loss: self.loss,
            used: 0,
        };
        let batch_loss = self
            .config
            .rule
            .step(&mut self.theta, &mut self.state, lr, &mut oracle);
        let used = oracle.used;
        let before = self.loss;
        self.step += 1;
        self.examples += used;
        self.lr = lr;
        self.batch_loss = batch_loss;
        self.config
            .rule
            .effective_lr(&self.state, lr, &mut self.eff_lr);
        self.loss = objective.loss_grad(&self.theta, &mut self.grad);
        copy_short(&mut self.cache_point, &self.theta);
        self.grad_norm = norm(&self.grad);
        self.schedule.observe(before, self.loss);
        if let Some(reason) = self.check_finite() {
            self.status = Status::Diverged {
                step: self.step,
                reason,
            };
        } else if (stop.grad_tol > 0.0 && self.grad_norm <= stop.grad_tol)
            || (stop.loss_tol > 0.0 && (self.loss - before).abs() <= stop.loss_tol)
        {
            self.status = Status::Converged { step: self.step };
        } else if self.step >= stop.max_steps {
            self.status = Status::Stopped { step: self.step };
        }
        self.record();
        true
    }

    /// Up to `n` updates; returns how many ran.
    pub fn advance(&mut self, objective: &dyn Objective, stop: &Stopping, n: u64) -> u64 {
        let mut done = 0;
        while done < n && self.step_once(objective, stop) {
            done += 1;
        }
        done
    }
}

/// Euclidean norm.
#[inline]
pub fn norm(v: &[f64]) -> f64 {
    v.iter().map(|x| x * x).sum::<f64>().sqrt()
}

/// A scenario in motion: the built objective and one track per optimizer.
pub struct Run {
    pub objective: Box<dyn Objective>,
    pub tracks: Vec<Track>,
    pub start: Vec<f64>,
    pub stopping: Stopping,
    pub seed: u64,
}

impl std::fmt::Debug for Run {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Run")
            .field("tracks", &self.tracks.len())
            .field("start", &self.start)
            .finish()
    }
}

impl Run {
    /// A run of `optimizers` from `start` (its length must equal the objective's dimension;
    /// the scenario decoder guarantees that).
    pub fn new(
        objective: Box<dyn Objective>,
        start: Vec<f64>,
        seed: u64,
        stopping: Stopping,
        optimizers: &[OptimizerConfig],
    ) -> Self {
        let tracks = optimizers
            .iter()
            .enumerate()
            .map(|(i, c)| {
                Track::new(
                    objective.as_ref(),
                    *c,
                    &start,
                    seed,
                    i as u64,
                    stopping.max_steps,
                )
            })
            .collect();
        Run {
            objective,
            tracks,
            start,
            stopping,
            seed,
        }
    }

    /// Advance every running optimizer by up to `n` updates; returns the most any made.
    pub fn advance(&mut self, n: u64) -> u64 {
        let obj = self.objective.as_ref();
        let stop = self.stopping;
        self.tracks
            .iter_mut()
            .map(|t| t.advance(obj, &stop, n))
            .max()
            .unwrap_or(0)
    }

    /// Whether any optimizer can still move.
    pub fn is_running(&self) -> bool {
        self.tracks.iter().any(|t| t.status == Status::Running)
    }

    /// Restart every optimizer at a new start point (length must be the dimension).
    pub fn restart_at(&mut self, start: &[f64]) {
        if start.len() != self.start.len() {
            return;
        }
        self.start.copy_from_slice(start);
        let obj = self.objective.as_ref();
        for t in &mut self.tracks {
            t.restart(obj, start);
        }
    }

    /// Restart every optimizer at the current start point.
    pub fn reset(&mut self) {
        let start = self.start.clone();
        self.restart_at(&start);
    }
}
