//! The sweeps' batched kernel: [`LANES`] independent runs of one rule on one two-parameter
//! surface advanced side by side, struct-of-arrays. One update is a latency-bound chain (a
//! division and a root per coordinate feed the next update); interleaving lanes lets the CPU
//! overlap the chains and the compiler pair lanes into vector instructions.
//!
//! Each lane does the run loop's arithmetic in the run loop's order (the rules' own
//! per-coordinate functions, the surfaces' own formulas, the same checks), so a lane ends
//! where [`crate::core::run::Run`] ends its scenario, bit for bit (tests/sweep.rs). The
//! stopping tests are computed for every lane without branches; a lane that ends is refilled
//! with the next run, so lanes stay busy while runs end at different steps.

// Lanes are indexed side by side across several arrays: an index, not an iterator, is the
// struct-of-arrays form the vectoriser pairs.
#![allow(clippy::needless_range_loop)]

use crate::core::objective::Objective;
use crate::core::optim::{rescaled_coord, Adagrad, Adam, Gd, Momentum, Nesterov, RmsProp, Rule};
use crate::core::run::{
    diverge_reason, end_status, stop_status, OptimizerConfig, Status, Stopping, DIVERGENCE_BOUND,
};
use crate::core::schedule::{Schedule, ScheduleState};

/// Runs advanced together. Eight keeps four two-wide vectors in flight per operation, enough
/// to cover the divider's latency (docs/PERFORMANCE.md, "Sweeps").
pub const LANES: usize = 8;

/// One value per lane.
pub type Lanes = [f64; LANES];

/// One run for a lane: its optimizer and start point (the scenario's stopping rules and
/// surface are the batch's).
#[derive(Debug, Clone, Copy)]
pub struct Job {
    pub config: OptimizerConfig,
    pub start: [f64; 2],
}

/// Where a lane's run ended: what the run loop's track holds at its end.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct End {
    pub status: Status,
    /// Updates made.
    pub steps: u64,
    pub loss: f64,
    /// ‖∇L(θ)‖².
    pub grad_sq: f64,
    pub theta: [f64; 2],
}

/// Whether `config` on `objective` can run in a lane: a two-parameter surface and a
/// gradient that is a pure function of the point (no mini-batch of a data set, no noise).
pub fn batchable(objective: &dyn Objective, config: &OptimizerConfig) -> bool {
    objective.dim() == 2
        && config.source.noise == 0.0
        && (config.source.batch_size.is_none() || objective.examples() == 0)
}

/// Every lane's state, one array per quantity. The run loop keeps one run in lane 0 of one, so
/// that its values live in registers between updates.
#[derive(Default)]
pub(crate) struct State {
    /// θ.
    pub(crate) x: Lanes,
    pub(crate) y: Lanes,
    /// ∇L(θ), computed after the last update (the next update's gradient).
    pub(crate) gx: Lanes,
    pub(crate) gy: Lanes,
    pub(crate) loss: Lanes,
    pub(crate) grad_sq: Lanes,
    /// v (momentum, Nesterov) or s (Adam).
    pub(crate) ax: Lanes,
    pub(crate) ay: Lanes,
    /// r (Adagrad, RMSProp, Adam).
    pub(crate) bx: Lanes,
    pub(crate) by: Lanes,
    /// Adam's ρ₁ᵗ⁺¹ and ρ₂ᵗ⁺¹.
    pub(crate) p1: Lanes,
    pub(crate) p2: Lanes,
    /// α_t of the next update.
    pub(crate) lr: Lanes,
    /// Updates made.
    pub(crate) t: [u64; LANES],
    /// The adaptive rules' per-parameter rates of the last update (what the run loop records).
    pub(crate) ex: Lanes,
    pub(crate) ey: Lanes,
}

/// A rule as a lane sees it: one update of lane `l`'s two coordinates.
pub(crate) trait LaneRule: Copy {
    /// Takes its gradient at a look-ahead point (Nesterov), not at θ.
    const LOOKAHEAD: bool = false;
    /// `ax`, `ay` hold Adam's s (else the velocity v of momentum and Nesterov); the native run
    /// loop reads it to load a track's buffers.
    #[cfg_attr(target_arch = "wasm32", allow(dead_code))]
    const A_IS_S: bool = false;
    fn of(rule: &Rule) -> Option<Self>;
    /// Nesterov's θ̃ = θ − γ v of lane `l`.
    #[inline(always)]
    fn lookahead(&self, _s: &State, l: usize) -> (f64, f64) {
        let _ = l;
        (0.0, 0.0)
    }
    fn update(&self, s: &mut State, l: usize, g: (f64, f64));
}

/// `LaneRule::of` for the rule of variant `$v`.
macro_rules! of {
    ($v:ident) => {
        fn of(rule: &Rule) -> Option<Self> {
            match rule {
                Rule::$v(r) => Some(*r),
                _ => None,
            }
        }
    };
}

impl LaneRule for Gd {
    of!(Gd);
    /// θ ← θ − α g.
    #[inline(always)]
    fn update(&self, s: &mut State, l: usize, g: (f64, f64)) {
        s.x[l] -= s.lr[l] * g.0;
        s.y[l] -= s.lr[l] * g.1;
    }
}

impl LaneRule for Momentum {
    of!(Momentum);
    /// v ← γ v + α g ; θ ← θ − v.
    #[inline(always)]
    fn update(&self, s: &mut State, l: usize, g: (f64, f64)) {
        let gamma = self.gamma_at(s.t[l]);
        Momentum::coord(gamma, s.lr[l], &mut s.x[l], &mut s.ax[l], g.0);
        Momentum::coord(gamma, s.lr[l], &mut s.y[l], &mut s.ay[l], g.1);
    }
}

impl LaneRule for Nesterov {
    const LOOKAHEAD: bool = true;
    of!(Nesterov);
    #[inline(always)]
    fn lookahead(&self, s: &State, l: usize) -> (f64, f64) {
        let gamma = self.0.gamma_at(s.t[l]);
        (s.x[l] - gamma * s.ax[l], s.y[l] - gamma * s.ay[l])
    }
    /// v ← γ v + α g̃ ; θ ← θ − v, g̃ the gradient at the look-ahead.
    #[inline(always)]
    fn update(&self, s: &mut State, l: usize, g: (f64, f64)) {
        self.0.update(s, l, g);
    }
}

/// The update Adagrad and RMSProp share, for lane `l`: r by `accumulate`, then the rescaled step.
#[inline(always)]
fn rescaled_lane(
    s: &mut State,
    l: usize,
    g: (f64, f64),
    delta: f64,
    accumulate: impl Fn(f64, f64) -> f64,
) {
    s.bx[l] = accumulate(s.bx[l], g.0);
    s.by[l] = accumulate(s.by[l], g.1);
    s.ex[l] = rescaled_coord(&mut s.x[l], s.bx[l], g.0, s.lr[l], delta);
    s.ey[l] = rescaled_coord(&mut s.y[l], s.by[l], g.1, s.lr[l], delta);
}

impl LaneRule for Adagrad {
    of!(Adagrad);
    /// r ← r + g⊙g ; θ ← θ − α/(δ + √r) ⊙ g.
    #[inline(always)]
    fn update(&self, s: &mut State, l: usize, g: (f64, f64)) {
        rescaled_lane(s, l, g, self.delta, |r, g| self.accumulate(r, g));
    }
}

impl LaneRule for RmsProp {
    of!(RmsProp);
    /// r ← ρ r + (1 − ρ) g⊙g ; θ ← θ − α/(δ + √r) ⊙ g.
    #[inline(always)]
    fn update(&self, s: &mut State, l: usize, g: (f64, f64)) {
        rescaled_lane(s, l, g, self.delta, |r, g| self.accumulate(r, g));
    }
}

impl LaneRule for Adam {
    const A_IS_S: bool = true;
    of!(Adam);
    /// s ← ρ₁ s + (1−ρ₁) g ; r ← ρ₂ r + (1−ρ₂) g⊙g ; θ ← θ − α ŝ/(δ + √r̂).
    #[inline(always)]
    fn update(&self, s: &mut State, l: usize, g: (f64, f64)) {
        let (c1, c2) = self.corrections(&mut s.p1[l], &mut s.p2[l]);
        let lr = s.lr[l];
        self.coord(
            &mut s.x[l],
            &mut s.ax[l],
            &mut s.bx[l],
            &mut s.ex[l],
            g.0,
            lr,
            c1,
            c2,
        );
        self.coord(
            &mut s.y[l],
            &mut s.ay[l],
            &mut s.by[l],
            &mut s.ey[l],
            g.1,
            lr,
            c1,
            c2,
        );
    }
}

/// Run every job to its end on `objective` (`whole` is the same surface as a trait object,
/// for the rare work done once per run) under `stop`; `done` gets each job's index in
/// `jobs` and its end, in the order runs end. Jobs must be [`batchable`]; a job whose rule is
/// not the first job's kind is run in a batch of its own kind.
pub fn run<O: Objective + ?Sized>(
    objective: &O,
    whole: &dyn Objective,
    stop: &Stopping,
    jobs: &[Job],
    done: &mut dyn FnMut(usize, End),
) {
    let mut rest: Vec<usize> = (0..jobs.len()).collect();
    while let Some(&first) = rest.first() {
        let kind = jobs[first].config.rule.kind();
        let (mine, other): (Vec<usize>, Vec<usize>) = rest
            .iter()
            .partition(|&&i| jobs[i].config.rule.kind() == kind);
        match jobs[first].config.rule {
            Rule::Gd(_) => batch::<Gd, O>(objective, whole, stop, jobs, &mine, done),
            Rule::Momentum(_) => batch::<Momentum, O>(objective, whole, stop, jobs, &mine, done),
            Rule::Nesterov(_) => batch::<Nesterov, O>(objective, whole, stop, jobs, &mine, done),
            Rule::Adagrad(_) => batch::<Adagrad, O>(objective, whole, stop, jobs, &mine, done),
            Rule::RmsProp(_) => batch::<RmsProp, O>(objective, whole, stop, jobs, &mine, done),
            Rule::Adam(_) => batch::<Adam, O>(objective, whole, stop, jobs, &mine, done),
        }
        rest = other;
    }
}

/// The batch of one rule, compiled for AVX where the CPU has it: wider vectors, the same
/// IEEE operations (no fused multiply-add), so the same bits.
fn batch<R: LaneRule, O: Objective + ?Sized>(
    objective: &O,
    whole: &dyn Objective,
    stop: &Stopping,
    jobs: &[Job],
    order: &[usize],
    done: &mut dyn FnMut(usize, End),
) {
    #[cfg(target_arch = "x86_64")]
    if std::arch::is_x86_feature_detected!("avx") {
        // SAFETY: the CPU has AVX, checked just above.
        unsafe { batch_avx::<R, O>(objective, whole, stop, jobs, order, done) };
        return;
    }
    run_rule::<R, O>(objective, whole, stop, jobs, order, done);
}

/// [`run_rule`] compiled with AVX.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx")]
unsafe fn batch_avx<R: LaneRule, O: Objective + ?Sized>(
    objective: &O,
    whole: &dyn Objective,
    stop: &Stopping,
    jobs: &[Job],
    order: &[usize],
    done: &mut dyn FnMut(usize, End),
) {
    run_rule::<R, O>(objective, whole, stop, jobs, order, done);
}

/// The batch of one rule: `order` indexes `jobs`, all of rule `R`.
#[inline(always)]
fn run_rule<R: LaneRule, O: Objective + ?Sized>(
    objective: &O,
    whole: &dyn Objective,
    stop: &Stopping,
    jobs: &[Job],
    order: &[usize],
    done: &mut dyn FnMut(usize, End),
) {
    let Some(first) = order.first().and_then(|&i| R::of(&jobs[i].config.rule)) else {
        return;
    };
    let mut s = State::default();
    let mut rules = [first; LANES];
    let mut schedules: [ScheduleState; LANES] =
        std::array::from_fn(|_| ScheduleState::new(Schedule::Constant, 0.0));
    // The job each lane runs (`None`: idle, computing a copy of another lane's run).
    let mut who: [Option<usize>; LANES] = [None; LANES];
    let mut next = 0;
    // Put the next job that does not end at its start into lane `l` and return its index;
    // `None` when no job is left. Jobs that end at their start are reported to `done` here.
    let mut load = |l: usize,
                    s: &mut State,
                    rules: &mut [R; LANES],
                    sch: &mut [ScheduleState],
                    done: &mut dyn FnMut(usize, End)| {
        while let Some(&i) = order.get(next) {
            next += 1;
            let job = &jobs[i];
            let Some(rule) = R::of(&job.config.rule) else {
                continue;
            };
            let [x, y] = job.start;
            let mut g = [0.0; 2];
            let loss = objective.loss_grad(&job.start, &mut g);
            let grad_sq = g[0] * g[0] + g[1] * g[1];
            let status = match diverge_reason(&job.start, loss, grad_sq) {
                Some(reason) => Some(Status::Diverged { step: 0, reason }),
                None if stop.max_steps == 0 => Some(stop_status(whole, &job.start, 0, false)),
                None => None,
            };
            if let Some(status) = status {
                let theta = job.start;
                done(
                    i,
                    End {
                        status,
                        steps: 0,
                        loss,
                        grad_sq,
                        theta,
                    },
                );
                continue;
            }
            (s.x[l], s.y[l], s.gx[l], s.gy[l]) = (x, y, g[0], g[1]);
            (s.loss[l], s.grad_sq[l]) = (loss, grad_sq);
            (s.ax[l], s.ay[l], s.bx[l], s.by[l]) = (0.0, 0.0, 0.0, 0.0);
            (s.p1[l], s.p2[l], s.t[l]) = (1.0, 1.0, 0);
            rules[l] = rule;
            sch[l] = ScheduleState::new(job.config.schedule, job.config.learning_rate);
            s.lr[l] = sch[l].rate(0);
            return Some(i);
        }
        None
    };
    for l in 0..LANES {
        who[l] = load(l, &mut s, &mut rules, &mut schedules, done);
    }
    fill_idle(&mut s, &mut rules, &mut schedules, &who);
    let constant = |sch: &[ScheduleState]| sch.iter().all(|c| c.schedule == Schedule::Constant);
    let observes = |sch: &[ScheduleState]| {
        sch.iter().any(|c| {
            matches!(
                c.schedule,
                Schedule::Step {
                    on_increase: true,
                    ..
                }
            )
        })
    };
    let (mut fixed_rate, mut observe) = (constant(&schedules), observes(&schedules));
    let (gtol, ltol, max) = (stop.grad_tol, stop.loss_tol, stop.max_steps);
    let gtol_sq = gtol * gtol;
    // The tolerances as bounds that a test against them fails when the tolerance is off.
    let (gtol_test, ltol_test) = (
        if gtol > 0.0 { gtol_sq } else { -1.0 },
        if ltol > 0.0 { ltol } else { -1.0 },
    );
    let mut before = s.loss;
    while who.iter().any(Option::is_some) {
        // Updates until the first busy lane reaches the step limit: within them only a
        // divergence or a tolerance ends a lane, tested for all lanes at once.
        let segment = (0..LANES)
            .filter(|&l| who[l].is_some())
            .map(|l| max - s.t[l])
            .min()
            .unwrap_or(1);
        for _ in 0..segment {
            if !fixed_rate {
                for l in 0..LANES {
                    s.lr[l] = schedules[l].rate(s.t[l]);
                }
            }
            if R::LOOKAHEAD {
                let (mut lx, mut ly) = ([0.0; LANES], [0.0; LANES]);
                for l in 0..LANES {
                    (lx[l], ly[l]) = rules[l].lookahead(&s, l);
                }
                let (mut hx, mut hy, mut junk) = ([0.0; LANES], [0.0; LANES], [0.0; LANES]);
                objective.loss_grad_lanes(&lx, &ly, &mut junk, &mut hx, &mut hy);
                for l in 0..LANES {
                    // At θ itself (v = 0) the run loop reuses the gradient it has at θ.
                    let same = lx[l] == s.x[l] && ly[l] == s.y[l];
                    let g = if same {
                        (s.gx[l], s.gy[l])
                    } else {
                        (hx[l], hy[l])
                    };
                    rules[l].update(&mut s, l, g);
                }
            } else {
                for l in 0..LANES {
                    let g = (s.gx[l], s.gy[l]);
                    rules[l].update(&mut s, l, g);
                }
            }
            before = s.loss;
            objective.loss_grad_lanes(&s.x, &s.y, &mut s.loss, &mut s.gx, &mut s.gy);
            if observe {
                for l in 0..LANES {
                    schedules[l].observe(before[l], s.loss[l]);
                }
            }
            let mut any = false;
            for l in 0..LANES {
                s.t[l] += 1;
                let (x, y, loss) = (s.x[l], s.y[l], s.loss[l]);
                let gsq = s.gx[l] * s.gx[l] + s.gy[l] * s.gy[l];
                s.grad_sq[l] = gsq;
                let inside = (x.abs() <= DIVERGENCE_BOUND)
                    & (y.abs() <= DIVERGENCE_BOUND)
                    & (loss.abs() < f64::INFINITY)
                    & (gsq < f64::INFINITY);
                any |= !inside | (gsq <= gtol_test) | ((loss - before[l]).abs() <= ltol_test);
            }
            if any {
                break;
            }
        }
        // Which lanes ended, each decided as the run loop decides it.
        for l in 0..LANES {
            let Some(i) = who[l] else {
                continue;
            };
            let theta = [s.x[l], s.y[l]];
            let (steps, loss, grad_sq) = (s.t[l], s.loss[l], s.grad_sq[l]);
            let Some(status) = end_status(whole, &theta, steps, loss, before[l], grad_sq, stop)
            else {
                continue;
            };
            let end = End {
                status,
                steps,
                loss,
                grad_sq,
                theta,
            };
            done(i, end);
            who[l] = load(l, &mut s, &mut rules, &mut schedules, done);
        }
        fill_idle(&mut s, &mut rules, &mut schedules, &who);
        fixed_rate = constant(&schedules);
        observe = observes(&schedules);
    }
}

/// Give every idle lane a copy of a busy lane's run, so idle lanes compute ordinary numbers
/// (no overflow or subnormal slowdowns) while the others finish.
fn fill_idle<R: LaneRule>(
    s: &mut State,
    rules: &mut [R; LANES],
    schedules: &mut [ScheduleState; LANES],
    who: &[Option<usize>; LANES],
) {
    let Some(busy) = who.iter().position(Option::is_some) else {
        return;
    };
    for l in (0..LANES).filter(|&l| who[l].is_none()) {
        for a in [
            &mut s.x,
            &mut s.y,
            &mut s.gx,
            &mut s.gy,
            &mut s.loss,
            &mut s.grad_sq,
            &mut s.ax,
            &mut s.ay,
            &mut s.bx,
            &mut s.by,
            &mut s.p1,
            &mut s.p2,
            &mut s.lr,
        ] {
            a[l] = a[busy];
        }
        s.t[l] = s.t[busy];
        rules[l] = rules[busy];
        schedules[l] = schedules[busy].clone();
    }
}
