//! The update rules of the lecture, one file each, sharing one [`State`] of buffers.
//!
//! Every rule exposes a `step` that performs exactly one update given θ, its state, the
//! learning rate α_t of this update and a [`GradientOracle`]; the same functions drive the
//! runs, the CLI and the page, and can be called on their own (see the README's JS API).

pub mod adagrad;
pub mod adam;
pub mod gd;
pub mod momentum;
pub mod nesterov;
pub mod rmsprop;

pub use adagrad::Adagrad;
pub use adam::Adam;
pub use gd::Gd;
pub use momentum::Momentum;
pub use nesterov::Nesterov;
pub use rmsprop::RmsProp;

/// Gives the gradient of the loss at a point: the full gradient, a mini-batch gradient, or a
/// noisy one. Returns the loss the gradient belongs to (the mini-batch loss for a batch).
pub trait GradientOracle {
    fn gradient(&mut self, theta: &[f64], g: &mut [f64]) -> f64;
}

/// One update rule: how it moves θ, and the per-parameter rate it applies.
pub trait Update {
    /// One update of θ with learning rate `lr` (α_t). Returns the loss reported by the oracle
    /// for the gradient used (the mini-batch loss for a mini-batch source).
    fn step<O: GradientOracle + ?Sized>(
        &self,
        theta: &mut [f64],
        state: &mut State,
        lr: f64,
        oracle: &mut O,
    ) -> f64;

    /// Whether the rule scales each coordinate by its own rate, kept in `State::eff`.
    const ADAPTIVE: bool = false;

    /// The per-parameter rate the last update applied to its gradient direction: what an
    /// adaptive rule kept in `State::eff` (NaN before its first update), α for the others.
    #[inline]
    fn effective_lr(&self, state: &State, lr: f64, out: &mut [f64]) {
        if Self::ADAPTIVE {
            copy_short(out, &state.eff);
        } else {
            out.fill(lr);
        }
    }
}

/// r ← accumulate(r, g) ; θ ← θ − α/(δ + √r) ⊙ g: the update Adagrad and RMSProp share (they
/// differ only in how r takes in g⊙g). The per-parameter rate is kept in `State::eff`.
#[inline(always)]
pub(crate) fn rescaled_step<O: GradientOracle + ?Sized>(
    theta: &mut [f64],
    state: &mut State,
    lr: f64,
    delta: f64,
    oracle: &mut O,
    accumulate: impl Fn(f64, f64) -> f64,
) -> f64 {
    let loss = oracle.gradient(theta, &mut state.g);
    let n = theta.len();
    let (r, g, eff) = (&mut state.r[..n], &state.g[..n], &mut state.eff[..n]);
    each_coord!(n, |k| {
        r[k] = accumulate(r[k], g[k]);
        eff[k] = rescaled_coord(&mut theta[k], r[k], g[k], lr, delta);
    });
    state.t += 1;
    loss
}

/// θ ← θ − α/(δ + √r)·g for one coordinate, r already updated; returns the rate α/(δ + √r).
#[inline(always)]
pub(crate) fn rescaled_coord(p: &mut f64, r: f64, g: f64, lr: f64, delta: f64) -> f64 {
    let eff = lr / (delta + r.sqrt());
    *p -= eff * g;
    eff
}

impl<F: FnMut(&[f64], &mut [f64]) -> f64> GradientOracle for F {
    fn gradient(&mut self, theta: &[f64], g: &mut [f64]) -> f64 {
        self(theta, g)
    }
}

/// Whether the per-update code spells out the two-parameter case (the surfaces') next to
/// the general one. Natively it does, for speed (docs/PERFORMANCE.md); the page's build
/// leaves the copies out, for size, and its budgets are met without them.
pub(crate) const TWO_D_FAST_PATHS: bool = cfg!(not(target_arch = "wasm32"));

/// `dst.copy_from_slice(src)`, with θ's usual two values copied inline: the general form
/// is a call into `memcpy`, which costs more than the copy on the per-update path.
#[inline(always)]
pub(crate) fn copy_short(dst: &mut [f64], src: &[f64]) {
    match (
        <&mut [f64; 2]>::try_from(&mut *dst),
        <&[f64; 2]>::try_from(src),
    ) {
        (Ok(d), Ok(s)) if TWO_D_FAST_PATHS => *d = *s,
        _ => dst.copy_from_slice(src),
    }
}

/// Runs `$body` for each coordinate `$k` in 0..`$n`. Two parameters, the surfaces' case, are
/// written out twice so that the update compiles to straight-line code with no loop and no
/// bounds checks (the slices it indexes are cut to `$n` first).
macro_rules! each_coord {
    ($n:expr, |$k:ident| $body:block) => {{
        let n: usize = $n;
        if $crate::core::optim::TWO_D_FAST_PATHS && n == 2 {
            {
                let $k = 0;
                $body
            }
            {
                let $k = 1;
                $body
            }
        } else {
            for $k in 0..n $body
        }
    }};
}
pub(crate) use each_coord;

/// The buffers every rule may use; all start at zero, as in the lecture.
#[derive(Debug, Clone, PartialEq)]
pub struct State {
    /// Updates made so far (t of the next update).
    pub t: u64,
    /// Velocity v (Momentum, Nesterov).
    pub v: Vec<f64>,
    /// First moment s (Adam).
    pub s: Vec<f64>,
    /// Accumulated squared gradient r (Adagrad, RMSProp, Adam).
    pub r: Vec<f64>,
    /// The gradient used by the last update (g, or g̃ at the look-ahead for Nesterov).
    pub g: Vec<f64>,
    /// Nesterov's look-ahead point θ̃ = θ − γv of the last update.
    pub lookahead: Vec<f64>,
    /// The per-parameter rate of the last adaptive update, α/(δ + √r) (α/(δ + √r̂) for Adam):
    /// kept by the rule that computes it, so reading it costs nothing. NaN before the first.
    pub eff: Vec<f64>,
    /// Adam's running powers ρ₁ᵗ⁺¹ and ρ₂ᵗ⁺¹ for bias correction (exact products, no `pow`).
    pub rho1_pow: f64,
    pub rho2_pow: f64,
}

impl State {
    /// Fresh state for `dim` parameters.
    pub fn new(dim: usize) -> Self {
        State {
            t: 0,
            v: vec![0.0; dim],
            s: vec![0.0; dim],
            r: vec![0.0; dim],
            g: vec![0.0; dim],
            lookahead: vec![0.0; dim],
            eff: vec![f64::NAN; dim],
            rho1_pow: 1.0,
            rho2_pow: 1.0,
        }
    }

    /// Back to the start: zero buffers, t = 0, without reallocating.
    pub fn reset(&mut self) {
        self.t = 0;
        for b in [
            &mut self.v,
            &mut self.s,
            &mut self.r,
            &mut self.g,
            &mut self.lookahead,
        ] {
            b.iter_mut().for_each(|x| *x = 0.0);
        }
        self.eff.fill(f64::NAN);
        self.rho1_pow = 1.0;
        self.rho2_pow = 1.0;
    }
}

/// Which update rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RuleKind {
    Gd,
    Momentum,
    Nesterov,
    Adagrad,
    RmsProp,
    Adam,
}

impl RuleKind {
    pub const ALL: [RuleKind; 6] = [
        RuleKind::Gd,
        RuleKind::Momentum,
        RuleKind::Nesterov,
        RuleKind::Adagrad,
        RuleKind::RmsProp,
        RuleKind::Adam,
    ];

    /// Name in the scenario text.
    pub fn name(self) -> &'static str {
        match self {
            RuleKind::Gd => "gd",
            RuleKind::Momentum => "momentum",
            RuleKind::Nesterov => "nesterov",
            RuleKind::Adagrad => "adagrad",
            RuleKind::RmsProp => "rmsprop",
            RuleKind::Adam => "adam",
        }
    }

    /// Name for people.
    pub fn title(self) -> &'static str {
        match self {
            RuleKind::Gd => "GD",
            RuleKind::Momentum => "Momentum",
            RuleKind::Nesterov => "Nesterov",
            RuleKind::Adagrad => "Adagrad",
            RuleKind::RmsProp => "RMSProp",
            RuleKind::Adam => "Adam",
        }
    }

    /// The update equation, as printed by `gradscape list` and shown in the page.
    pub fn equation(self) -> &'static str {
        match self {
            RuleKind::Gd => "θ ← θ − α g",
            RuleKind::Momentum => "v ← γ v + α g ; θ ← θ − v",
            RuleKind::Nesterov => "θ̃ = θ − γ v ; v ← γ v + α ∇L(θ̃) ; θ ← θ − v",
            RuleKind::Adagrad => "r ← r + g⊙g ; θ ← θ − α/(δ + √r) ⊙ g",
            RuleKind::RmsProp => "r ← ρ r + (1−ρ) g⊙g ; θ ← θ − α/(δ + √r) ⊙ g",
            RuleKind::Adam => {
                "s ← ρ₁ s + (1−ρ₁) g ; r ← ρ₂ r + (1−ρ₂) g⊙g ; ŝ = s/(1−ρ₁ᵗ⁺¹) ; r̂ = r/(1−ρ₂ᵗ⁺¹) ; θ ← θ − α ŝ/(δ + √r̂)"
            }
        }
    }

    pub fn from_name(name: &str) -> Option<RuleKind> {
        RuleKind::ALL.into_iter().find(|r| r.name() == name)
    }

    /// Whether the rule keeps an accumulated r and so a per-parameter effective rate.
    pub fn is_adaptive(self) -> bool {
        matches!(self, RuleKind::Adagrad | RuleKind::RmsProp | RuleKind::Adam)
    }
}

/// A rule with its hyperparameters (everything but α, which the schedule gives per update).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Rule {
    Gd(Gd),
    Momentum(Momentum),
    Nesterov(Nesterov),
    Adagrad(Adagrad),
    RmsProp(RmsProp),
    Adam(Adam),
}

impl Rule {
    pub fn kind(&self) -> RuleKind {
        match self {
            Rule::Gd(_) => RuleKind::Gd,
            Rule::Momentum(_) => RuleKind::Momentum,
            Rule::Nesterov(_) => RuleKind::Nesterov,
            Rule::Adagrad(_) => RuleKind::Adagrad,
            Rule::RmsProp(_) => RuleKind::RmsProp,
            Rule::Adam(_) => RuleKind::Adam,
        }
    }
}

/// Dispatch to the rule of the variant.
impl Update for Rule {
    /// One update of θ with learning rate `lr` (α_t). Returns the loss reported by the oracle
    /// for the gradient used (the mini-batch loss for a mini-batch source).
    #[inline]
    fn step<O: GradientOracle + ?Sized>(
        &self,
        theta: &mut [f64],
        state: &mut State,
        lr: f64,
        oracle: &mut O,
    ) -> f64 {
        match self {
            Rule::Gd(r) => r.step(theta, state, lr, oracle),
            Rule::Momentum(r) => r.step(theta, state, lr, oracle),
            Rule::Nesterov(r) => r.step(theta, state, lr, oracle),
            Rule::Adagrad(r) => r.step(theta, state, lr, oracle),
            Rule::RmsProp(r) => r.step(theta, state, lr, oracle),
            Rule::Adam(r) => r.step(theta, state, lr, oracle),
        }
    }

    /// α/(δ + √r) for Adagrad and RMSProp, α/(δ + √r̂) for Adam (applied to ŝ), α otherwise.
    #[inline]
    fn effective_lr(&self, state: &State, lr: f64, out: &mut [f64]) {
        if self.kind().is_adaptive() {
            copy_short(out, &state.eff);
        } else {
            out.fill(lr);
        }
    }
}

/// The driver of the rule files' hand-computed tests: a diagonal quadratic and a loop of
/// `step` calls that records θ after each update and every point the gradient was taken at.
#[cfg(test)]
pub(crate) mod testing {
    use super::{State, Update};

    /// Curvatures of L(θ) = ½(a θ₀² + b θ₁² + c θ₂²), all different so that a rule mixing
    /// coordinates up would show; ∇L = (a θ₀, b θ₁, c θ₂).
    pub(crate) const CURV: [f64; 3] = [3.0, 0.5, 2.0];
    /// θ at update 0 (the first `dim` coordinates are used).
    pub(crate) const START: [f64; 3] = [1.0, -2.0, 0.75];

    /// What `updates` calls of `step` did.
    pub(crate) struct Trace {
        /// θ after update 1, 2, …
        pub(crate) theta: Vec<Vec<f64>>,
        /// The point the gradient was taken at in update 1, 2, … (θ, or Nesterov's θ̃).
        pub(crate) at: Vec<Vec<f64>>,
        /// `State::eff` after update 1, 2, … (the adaptive rules' per-parameter rate).
        pub(crate) eff: Vec<Vec<f64>>,
        /// The state after the last update.
        pub(crate) state: State,
    }

    /// `updates` updates of `rule` at rate `lr` on the quadratic in `dim` (2 or 3)
    /// dimensions, from `START`. Two dimensions take the rules' written-out 2-D path, three
    /// the general loop. Checks the calling convention on the way: one gradient per update,
    /// the loss returned is the oracle's, `t` counts the updates.
    pub(crate) fn trace<U: Update>(rule: &U, dim: usize, lr: f64, updates: usize) -> Trace {
        let mut theta = START[..dim].to_vec();
        let mut state = State::new(dim);
        let (mut thetas, mut at, mut eff) = (Vec::new(), Vec::new(), Vec::new());
        for update in 1..=updates {
            let mut calls = Vec::new();
            let mut oracle = |p: &[f64], g: &mut [f64]| {
                let mut loss = 0.0;
                for ((gk, pk), c) in g.iter_mut().zip(p).zip(CURV) {
                    *gk = c * pk;
                    loss += 0.5 * c * pk * pk;
                }
                calls.push((p.to_vec(), loss));
                loss
            };
            let loss = rule.step(&mut theta, &mut state, lr, &mut oracle);
            assert_eq!(calls.len(), 1, "update {update}: one gradient per update");
            let (point, oracle_loss) = calls.pop().unwrap();
            assert_eq!(
                loss, oracle_loss,
                "update {update}: step returns the oracle's loss"
            );
            assert_eq!(state.t, update as u64);
            thetas.push(theta.clone());
            at.push(point);
            eff.push(state.eff.clone());
        }
        Trace {
            theta: thetas,
            at,
            eff,
            state,
        }
    }

    /// `got[k]` within a relative 1e-15 of `want[k]`, for where the code's operation order
    /// differs from the equation's (a last-bit difference).
    pub(crate) fn assert_close(got: &[f64], want: &[f64], what: &str) {
        assert_eq!(got.len(), want.len(), "{what}");
        for (k, (g, w)) in got.iter().zip(want).enumerate() {
            assert!(
                (g - w).abs() <= 1e-15 * w.abs(),
                "{what}, coordinate {k}: got {g:e}, want {w:e} (relative {:e})",
                ((g - w) / w).abs()
            );
        }
    }
}
