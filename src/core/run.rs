//! Runs: one objective, one start point, any number of optimizers advancing side by side.
//!
//! Each optimizer is a [`Track`]: its rule, schedule, gradient source, seeded generator,
//! status and a decimated [`History`]. Advancing is allocation-free per update; the full
//! loss and gradient at every new point are computed once and reused as the next update's
//! gradient when the source is deterministic.

use crate::core::geometry::{local_geometry, PointKind};
pub use crate::core::history::{History, HISTORY_CAPACITY};
use crate::core::label::Name;
use crate::core::objective::Objective;
#[cfg(target_arch = "wasm32")]
use crate::core::optim::GradientOracle;
use crate::core::optim::{copy_short, Rule, State, Update, TWO_D_FAST_PATHS};
use crate::core::rng::Rng;
use crate::core::sampling::{Sampler, Source, SourceOracle};
use crate::core::schedule::{Schedule, ScheduleState};

/// |θᵢ| beyond this counts as divergence (long before anything overflows).
pub const DIVERGENCE_BOUND: f64 = 1e6;

/// One optimizer of a scenario: rule with hyperparameters, α₀ and schedule, gradient source.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct OptimizerConfig {
    pub rule: Rule,
    /// α₀.
    pub learning_rate: f64,
    pub schedule: Schedule,
    pub source: Source,
    /// Its line (palette colour and dash; `None`: the one of its place), see [`crate::core::label`].
    pub colour: Option<u8>,
    /// A name the user gave it (`None`: its rule, and what differs from its namesakes).
    pub name: Option<Name>,
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
    /// Stopped (a tolerance or the step limit) where the gradient vanishes but the Hessian
    /// says saddle or maximum: no minimum, though the gradient alone cannot tell.
    AtCritical {
        step: u64,
        kind: PointKind,
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
            Status::AtCritical { step, kind } => {
                let at = match kind {
                    PointKind::Maximum => "a maximum",
                    _ => "a saddle point",
                };
                write!(f, "stopped at {at} at step {step}")
            }
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
    /// ‖∇L(θ)‖² of the full objective (squared: the root is taken only when read).
    grad_sq: f64,
    /// α_t of the last update (α₀ before the first).
    pub lr: f64,
    /// Full ∇L(θ).
    pub grad: Vec<f64>,
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
            grad_sq: 0.0,
            lr: config.learning_rate,
            grad: vec![0.0; dim],
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
        self.loss = objective.loss_grad(&self.theta, &mut self.grad);
        self.batch_loss = self.loss;
        self.cache_point.copy_from_slice(&self.theta);
        self.grad_sq = norm_sq(&self.grad);
        if let Some(reason) = self.check_finite() {
            self.status = Status::Diverged { step: 0, reason };
        }
        let rule = self.config.rule;
        self.record(&rule);
    }

    /// ‖∇L(θ)‖ of the full objective at the current θ.
    pub fn grad_norm(&self) -> f64 {
        self.grad_sq.sqrt()
    }

    /// Keep the current values in the history (decimated). The effective rates are worked
    /// out only for the records kept.
    #[inline]
    fn record<R: Update>(&mut self, rule: &R) {
        if !self.history.wants(self.step) {
            return;
        }
        let (state, lr) = (&self.state, self.lr);
        // Through i64: counts stay far below 2⁶³, and the signed conversion is one instruction.
        let head = [
            self.step as i64 as f64,
            self.examples as i64 as f64,
            self.loss,
            self.batch_loss,
            self.grad_sq,
            lr,
        ];
        // Before an adaptive rule's first update its rates are NaN (r = 0 has none), which
        // charts leave out, rather than α/δ, which would look like a jump.
        self.history
            .push(head, &self.theta, |eff| rule.effective_lr(state, lr, eff));
    }

    #[inline]
    fn check_finite(&self) -> Option<DivergeReason> {
        diverge_reason(&self.theta, self.loss, self.grad_sq)
    }

    #[cold]
    fn stopped_at(&self, objective: &dyn Objective, converged: bool) -> Status {
        stop_status(objective, &self.theta, self.step, converged)
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
        self.advance(objective, stop, 1) == 1
    }

    /// Up to `n` updates; returns how many ran.
    pub fn advance(&mut self, objective: &dyn Objective, stop: &Stopping, n: u64) -> u64 {
        // Natively the rule is matched once per call, not once per update: each arm is a
        // loop specialised to its rule, with the update and the recording inlined.
        // A two-parameter run with a deterministic gradient keeps its values in registers
        // between updates ([`Track::advance_held`]).
        #[cfg(not(target_arch = "wasm32"))]
        {
            let held =
                self.theta.len() == 2 && self.sampler.is_none() && self.config.source.noise == 0.0;
            if held {
                // A surface with a loop of its own (its formula inlined) runs it.
                return match objective.advance_held(self, stop, n) {
                    Some(done) => done,
                    None => self.advance_held_any(objective, objective, stop, n),
                };
            }
            self.advance_general(objective, stop, n)
        }
        // The page keeps one loop that matches per update (same arithmetic): six copies
        // would add 3.5 KB to the gzipped download, and the page's budgets do not need them.
        #[cfg(target_arch = "wasm32")]
        {
            let rule = self.config.rule;
            self.advance_by(&rule, objective, stop, n)
        }
    }

    fn advance_by<R: Update>(
        &mut self,
        rule: &R,
        objective: &dyn Objective,
        stop: &Stopping,
        n: u64,
    ) -> u64 {
        let mut done = 0;
        while done < n && self.update(rule, objective, stop) {
            done += 1;
        }
        done
    }

    /// [`Track::advance_by`] with the track's rule: the loop through the track's vectors, for
    /// any source and dimension.
    #[cfg(not(target_arch = "wasm32"))]
    fn advance_general(&mut self, objective: &dyn Objective, stop: &Stopping, n: u64) -> u64 {
        match self.config.rule {
            Rule::Gd(r) => self.advance_by(&r, objective, stop, n),
            Rule::Momentum(r) => self.advance_by(&r, objective, stop, n),
            Rule::Nesterov(r) => self.advance_by(&r, objective, stop, n),
            Rule::Adagrad(r) => self.advance_by(&r, objective, stop, n),
            Rule::RmsProp(r) => self.advance_by(&r, objective, stop, n),
            Rule::Adam(r) => self.advance_by(&r, objective, stop, n),
        }
    }

    /// [`Track::advance_held_on`] with the track's rule.
    #[cfg(not(target_arch = "wasm32"))]
    #[inline(always)]
    pub(crate) fn advance_held_any<O: Objective + ?Sized>(
        &mut self,
        objective: &O,
        whole: &dyn Objective,
        stop: &Stopping,
        n: u64,
    ) -> u64 {
        match self.config.rule {
            Rule::Gd(r) => self.advance_held_on(&r, objective, whole, stop, n),
            Rule::Momentum(r) => self.advance_held_on(&r, objective, whole, stop, n),
            Rule::Nesterov(r) => self.advance_held_on(&r, objective, whole, stop, n),
            Rule::Adagrad(r) => self.advance_held_on(&r, objective, whole, stop, n),
            Rule::RmsProp(r) => self.advance_held_on(&r, objective, whole, stop, n),
            Rule::Adam(r) => self.advance_held_on(&r, objective, whole, stop, n),
        }
    }

    /// [`Track::advance_by`] for a two-parameter run whose gradient is a pure function of the
    /// point: θ, the gradient, the rule's buffers and the loss stay in locals (one lane of the
    /// sweeps' kernel state) from update to update instead of going through the track's
    /// vectors, and `objective` is called directly (its formula inlined where its type is
    /// known; `whole` is the same surface as a trait object, for when a run stops). The same
    /// arithmetic in the same order as [`Track::update`] (the rules' lane updates are their
    /// per-coordinate functions), the same checks, the same records.
    #[cfg(not(target_arch = "wasm32"))]
    #[inline(always)]
    pub(crate) fn advance_held_on<
        R: Update + crate::core::lanes::LaneRule,
        O: Objective + ?Sized,
    >(
        &mut self,
        rule: &R,
        objective: &O,
        whole: &dyn Objective,
        stop: &Stopping,
        n: u64,
    ) -> u64 {
        if self.status != Status::Running {
            return 0;
        }
        let mut s = crate::core::lanes::State::default();
        let a = if R::A_IS_S {
            &self.state.s
        } else {
            &self.state.v
        };
        (s.x[0], s.y[0], s.ax[0], s.ay[0]) = (self.theta[0], self.theta[1], a[0], a[1]);
        (s.bx[0], s.by[0], s.gx[0], s.gy[0]) =
            (self.state.r[0], self.state.r[1], self.grad[0], self.grad[1]);
        (s.p1[0], s.p2[0], s.t[0]) = (self.state.rho1_pow, self.state.rho2_pow, self.state.t);
        (s.ex[0], s.ey[0]) = (self.state.eff[0], self.state.eff[1]);
        let mut used_g = (self.state.g[0], self.state.g[1]);
        let mut look = (self.state.lookahead[0], self.state.lookahead[1]);
        let mut loss = self.loss;
        let mut g = [0.0; 2];
        let mut done = 0;
        while done < n {
            if self.step >= stop.max_steps {
                self.status = self.stopped_at(whole, false);
                break;
            }
            let lr = self.schedule.rate(self.step);
            s.lr[0] = lr;
            // The gradient the update takes: the one at θ, already computed, or Nesterov's at
            // its look-ahead (the one at θ again where the look-ahead is θ, as the oracle does).
            let mut batch_loss = loss;
            used_g = (s.gx[0], s.gy[0]);
            if R::LOOKAHEAD {
                look = rule.lookahead(&s, 0);
                if !(look.0 == s.x[0] && look.1 == s.y[0]) {
                    batch_loss = objective.loss_grad(&[look.0, look.1], &mut g);
                    used_g = (g[0], g[1]);
                }
            }
            rule.update(&mut s, 0, used_g);
            s.t[0] += 1;
            let before = loss;
            self.step += 1;
            self.examples += self.n_examples.max(1);
            self.lr = lr;
            self.batch_loss = batch_loss;
            let theta = [s.x[0], s.y[0]];
            loss = objective.loss_grad(&theta, &mut g);
            (s.gx[0], s.gy[0]) = (g[0], g[1]);
            let grad_sq = g[0] * g[0] + g[1] * g[1];
            (self.theta[0], self.theta[1]) = (theta[0], theta[1]);
            (self.loss, self.grad_sq) = (loss, grad_sq);
            if R::ADAPTIVE {
                (self.state.eff[0], self.state.eff[1]) = (s.ex[0], s.ey[0]);
            }
            self.schedule.observe(before, loss);
            if let Some(end) = end_status(whole, &theta, self.step, loss, before, grad_sq, stop) {
                self.status = end;
            }
            self.record(rule);
            done += 1;
            if self.status != Status::Running {
                break;
            }
        }
        // Back into the track: what the run loop's vectors would hold now.
        let a = if R::A_IS_S {
            &mut self.state.s
        } else {
            &mut self.state.v
        };
        (a[0], a[1]) = (s.ax[0], s.ay[0]);
        (self.state.r[0], self.state.r[1]) = (s.bx[0], s.by[0]);
        (self.grad[0], self.grad[1]) = (s.gx[0], s.gy[0]);
        (self.state.g[0], self.state.g[1]) = used_g;
        if R::LOOKAHEAD {
            (self.state.lookahead[0], self.state.lookahead[1]) = look;
        }
        (self.state.rho1_pow, self.state.rho2_pow, self.state.t) = (s.p1[0], s.p2[0], s.t[0]);
        self.cache_point.copy_from_slice(&self.theta);
        done
    }

    /// One update by `rule` (the track's own) if still running; returns whether it ran.
    #[inline(always)]
    fn update<R: Update>(&mut self, rule: &R, objective: &dyn Objective, stop: &Stopping) -> bool {
        if self.status != Status::Running {
            return false;
        }
        if self.step >= stop.max_steps {
            self.status = self.stopped_at(objective, false);
            return false;
        }
        let t = self.step;
        let lr = self.schedule.rate(t);
        // Full batch: hand the full gradient at θ, computed after the last update, to the
        // rule by swapping buffers rather than copying; `self.grad` is rewritten below.
        let cache_grad_at = if self.sampler.is_none() {
            std::mem::swap(&mut self.grad, &mut self.state.g);
            self.state.g.as_ptr()
        } else {
            std::ptr::null()
        };
        let mut oracle = SourceOracle {
            objective,
            examples: self.n_examples,
            source: self.config.source,
            sampler: self.sampler.as_mut(),
            rng: &mut self.rng,
            cache_point: &self.cache_point,
            cache_loss: self.loss,
            cache_grad_at,
            used: 0,
        };
        // The page shares one copy of each rule's update between runs and the JS Optimizer
        // class by calling it through `dyn`; natively the oracle is inlined.
        #[cfg(target_arch = "wasm32")]
        let oracle_ref: &mut dyn GradientOracle = &mut oracle;
        #[cfg(not(target_arch = "wasm32"))]
        let oracle_ref = &mut oracle;
        let batch_loss = rule.step(&mut self.theta, &mut self.state, lr, oracle_ref);
        let used = oracle.used;
        let before = self.loss;
        self.step += 1;
        self.examples += used;
        self.lr = lr;
        self.batch_loss = batch_loss;
        self.loss = objective.loss_grad(&self.theta, &mut self.grad);
        copy_short(&mut self.cache_point, &self.theta);
        self.grad_sq = norm_sq(&self.grad);
        self.schedule.observe(before, self.loss);
        let (step, loss, grad_sq) = (self.step, self.loss, self.grad_sq);
        if let Some(end) = end_status(objective, &self.theta, step, loss, before, grad_sq, stop) {
            self.status = end;
        }
        self.record(rule);
        true
    }
}

/// Why a run at θ with this loss and ‖∇L‖² has diverged, if it has: a non-finite value or a
/// coordinate beyond [`DIVERGENCE_BOUND`]. The run loop and the sweeps' batched kernel share it.
#[inline]
pub(crate) fn diverge_reason(theta: &[f64], loss: f64, grad_sq: f64) -> Option<DivergeReason> {
    // The usual case in one pass: |θᵢ| ≤ bound is false for NaN, so it implies finite.
    let inside = match <&[f64; 2]>::try_from(theta) {
        Ok(&[x, y]) if TWO_D_FAST_PATHS => {
            x.abs() <= DIVERGENCE_BOUND && y.abs() <= DIVERGENCE_BOUND
        }
        _ => theta.iter().all(|p| p.abs() <= DIVERGENCE_BOUND),
    };
    if inside && loss.is_finite() && grad_sq.is_finite() {
        return None;
    }
    if theta.iter().any(|p| !p.is_finite()) {
        Some(DivergeReason::NonFiniteParameters)
    } else if theta.iter().any(|p| p.abs() > DIVERGENCE_BOUND) {
        Some(DivergeReason::OutOfBounds)
    } else if !loss.is_finite() {
        Some(DivergeReason::NonFiniteLoss)
    } else if !grad_sq.is_finite() {
        Some(DivergeReason::NonFiniteGradient)
    } else {
        None
    }
}

/// How a run stands after the update that made `step` and took its loss from `before` to
/// `loss`: ended by divergence, a tolerance or the step limit, tested in that order (`None`:
/// still running). The run loop, its held form and the sweeps' kernel all decide it here.
#[inline(always)]
pub(crate) fn end_status(
    objective: &dyn Objective,
    theta: &[f64],
    step: u64,
    loss: f64,
    before: f64,
    grad_sq: f64,
    stop: &Stopping,
) -> Option<Status> {
    if let Some(reason) = diverge_reason(theta, loss, grad_sq) {
        Some(Status::Diverged { step, reason })
    } else if (stop.grad_tol > 0.0 && grad_sq <= stop.grad_tol * stop.grad_tol)
        || (stop.loss_tol > 0.0 && (loss - before).abs() <= stop.loss_tol)
    {
        Some(stop_status(objective, theta, step, true))
    } else if step >= stop.max_steps {
        Some(stop_status(objective, theta, step, false))
    } else {
        None
    }
}

/// The status of a track that stops here: `converged` by a tolerance, else at the step
/// limit. Where the gradient vanishes (by the tolerance, or numerically) on a 2-D surface
/// the Hessian names the point, so a run parked on a saddle is not called converged.
#[cold]
pub(crate) fn stop_status(
    objective: &dyn Objective,
    theta: &[f64],
    step: u64,
    converged: bool,
) -> Status {
    if objective.dim() == 2 {
        let g = local_geometry(objective, theta);
        if (converged || g.critical) && matches!(g.kind, PointKind::Saddle | PointKind::Maximum) {
            return Status::AtCritical { step, kind: g.kind };
        }
    }
    if converged {
        Status::Converged { step }
    } else {
        Status::Stopped { step }
    }
}

/// Euclidean norm.
#[inline]
pub fn norm(v: &[f64]) -> f64 {
    norm_sq(v).sqrt()
}

/// Squared Euclidean norm, summed in index order.
#[inline]
pub fn norm_sq(v: &[f64]) -> f64 {
    match <&[f64; 2]>::try_from(v) {
        Ok(&[x, y]) if TWO_D_FAST_PATHS => x * x + y * y,
        _ => v.iter().map(|x| x * x).sum::<f64>(),
    }
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

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use crate::core::scenario::Scenario;

    /// The held loop (values in registers) leaves every track exactly as the general loop
    /// does: θ, the rule's buffers, the gradient, status, counts and every history record
    /// (effective rates included), bit for bit, also when stopped and resumed part way.
    #[test]
    fn the_held_loop_leaves_the_track_as_the_general_loop_does() {
        let surfaces = [
            "rosenbrock",
            "beale",
            "saddle",
            "cliff",
            "minima",
            "neuron",
            "linreg:n=15",
            "custom:f=x^2+3*y^2-x*y",
        ];
        let opts = [
            "gd:lr=0.02",
            "gd:lr=1.5",
            "momentum:lr=0.01,gamma=0.9,warmup=4,gamma0=0.2",
            "nesterov:lr=0.01,gamma=0.9",
            "nesterov:lr=0.02,gamma=0",
            "adagrad:lr=0.5,schedule=exp,k=0.01",
            "rmsprop:lr=0.02,schedule=step,on_increase=true,factor=0.5",
            "adam:lr=0.05,schedule=inv,k=0.1",
            "adam:lr=0.1,bias_correction=false,schedule=step,every=7,factor=0.5",
        ];
        let stops = [
            "steps=120&gtol=0",
            "steps=300&gtol=1e-3",
            "steps=200&ltol=1e-6",
            "steps=0",
            "steps=1",
        ];
        let mut compared = 0;
        for surface in surfaces {
            for opt in opts {
                for stop in stops {
                    let text = format!("v=1&surface={surface}&{stop}&opt={opt}");
                    let sc = Scenario::parse(&text).expect("scenario");
                    let (mut a, mut b) = (sc.build_run(), sc.build_run());
                    let obj = a.objective.as_ref();
                    for n in [1, 7, 50, 1000] {
                        let ga = a.tracks[0].advance_general(obj, &a.stopping, n);
                        let gb = b.tracks[0].advance(b.objective.as_ref(), &b.stopping, n);
                        assert_eq!(ga, gb, "{text}: updates made");
                    }
                    assert_eq!(
                        format!("{:?}", a.tracks[0]),
                        format!("{:?}", b.tracks[0]),
                        "{text}"
                    );
                    compared += 1;
                }
            }
        }
        assert_eq!(compared, surfaces.len() * opts.len() * stops.len());
    }
}
