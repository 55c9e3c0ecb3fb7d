//! The parameter table: every key of the scenario text (scenario, page and optimizer keys;
//! surface parameters live in the surface registry), in the order the text writes them.
//!
//! Adding a parameter is one row here plus the code that uses its value: the decoder, the
//! encoder, `gradscape list` and the page's controls all read the table.

use crate::core::challenge;
use crate::core::label::{Name, LINES, MAX_NAME_CHARS};
use crate::core::optim::{Rule, RuleKind};
use crate::core::param::{choice, Access, Choice, Domain, Emit, Fallback, Param, Scope, Value};
use crate::core::run::OptimizerConfig;
use crate::core::scenario::{Scenario, MAX_STEPS, MAX_TITLE_LEN};
use crate::core::schedule::Schedule;

use RuleKind::{Adagrad, Adam, Gd, Momentum, Nesterov as Nag, RmsProp};

mod access;

pub use access::{
    apply_scenario_defaults, default_optimizer, default_page, keys, momentum_warmup, normalize,
    optimizer_rows, scenario_row, scenario_rows, schedule_named, with_rule,
};
use access::{
    default_of, delta_of, get_lr, has_warmup, momentum_mut, momentum_of, set_delta, set_lr,
    set_step, step_parts,
};
pub(super) use access::{fresh_optimizer, on_increase, reset_to_default, EVERY_WITH_ON_INCREASE};

/// The learning-rate schedules, in picker order.
pub const SCHEDULES: &[Choice] = &[
    choice("constant", "constant α"),
    choice("step", "step decay"),
    choice("exp", "exponential"),
    choice("inv", "1/t decay"),
];

/// Views a page or an embed can show (`show=` lists a subset); `in_embed`: ticked by default
/// in the Embed dialog.
pub const VIEWS: &[Choice] = &[
    Choice {
        name: "contour",
        label: "contour",
        in_embed: true,
    },
    Choice {
        name: "surface3d",
        label: "3-D surface",
        in_embed: false,
    },
    Choice {
        name: "transport",
        label: "play controls",
        in_embed: true,
    },
    Choice {
        name: "status",
        label: "status lines",
        in_embed: true,
    },
    Choice {
        name: "loss",
        label: "loss chart",
        in_embed: true,
    },
    Choice {
        name: "lr",
        label: "learning-rate chart",
        in_embed: true,
    },
    Choice {
        name: "readout",
        label: "Hessian readout",
        in_embed: false,
    },
    Choice {
        name: "controls",
        label: "all controls",
        in_embed: false,
    },
];

/// What the loss chart's x axis counts.
pub const AXES: &[Choice] = &[
    choice("step", "steps"),
    choice("epoch", "epochs"),
    choice("examples", "examples seen"),
];

const fn real(lo: f64, lo_open: bool, hi: f64, hi_open: bool) -> Domain {
    Domain::Real {
        lo,
        lo_open,
        hi,
        hi_open,
        integer: false,
    }
}

const fn whole(lo: f64, hi: f64) -> Domain {
    Domain::Real {
        lo,
        lo_open: false,
        hi,
        hi_open: false,
        integer: true,
    }
}

/// The largest step budget of a challenge: runs record every update up to 16,384 steps, so
/// the step that met a goal is exact.
pub const MAX_WITHIN: u64 = 16_000;

/// A text key's value (absent when not set).
fn text_value(t: &Option<String>) -> Value {
    t.clone().map_or(Value::Absent, Value::Text)
}

/// The text a text key was set to (`None` when emptied).
fn text_of(v: &Value) -> Option<String> {
    match v {
        Value::Text(t) => Some(t.clone()),
        _ => None,
    }
}

/// An optional count's value (absent when not set).
fn count_value(c: Option<u64>) -> Value {
    c.map_or(Value::Absent, |c| Value::Num(c as f64))
}

/// The count an optional whole-number key was set to (`None` when emptied).
fn count_of(v: &Value) -> Option<u64> {
    match v {
        Value::Num(x) => Some(*x as u64),
        _ => None,
    }
}

/// The slowest play: an update about every 60 frames, about one a second.
const MIN_SPEED: f64 = 0.0167;

/// [0, 1): decay rates and momentum.
const UNIT: Domain = real(0.0, false, 1.0, true);
/// (0, 1]: δ.
const DELTA: Domain = real(0.0, true, 1.0, false);

/// An optimizer row (the columns of the table, in order).
#[allow(clippy::too_many_arguments)]
const fn opt(
    key: &'static str,
    symbol: &'static str,
    scope: Scope,
    domain: Domain,
    default: Fallback,
    help: &'static str,
    get: fn(&OptimizerConfig) -> Value,
    set: fn(&mut OptimizerConfig, &Value),
) -> Param {
    Param::new(
        key,
        symbol,
        scope,
        domain,
        default,
        help,
        Access::Optimizer { get, set },
    )
}

/// A scenario or page row (the columns of the table, in order).
#[allow(clippy::too_many_arguments)]
const fn key(
    key: &'static str,
    symbol: &'static str,
    scope: Scope,
    domain: Domain,
    default: Fallback,
    help: &'static str,
    get: fn(&Scenario) -> Value,
    set: fn(&mut Scenario, &Value),
) -> Param {
    Param::new(
        key,
        symbol,
        scope,
        domain,
        default,
        help,
        Access::Scenario { get, set },
    )
}

/// α₀ of `rules`, whose default differs by rule: a log slider over five decades.
const fn lr(rules: &'static [RuleKind], default: f64) -> Param {
    opt(
        "lr",
        "α",
        Scope::Rule(rules),
        real(0.0, true, 1e4, false),
        Fallback::Num(default),
        "learning rate α₀",
        get_lr,
        set_lr,
    )
    .slider(1e-5, 10.0, true)
    .emit(Emit::Always)
}

/// δ of an adaptive rule, whose default differs by rule.
const fn delta(rules: &'static [RuleKind], default: f64) -> Param {
    opt(
        "delta",
        "δ",
        Scope::Rule(rules),
        DELTA,
        Fallback::Num(default),
        "small constant δ",
        delta_of,
        set_delta,
    )
    .emit(Emit::Always)
}

const fn structural(k: &'static str, help: &'static str) -> Param {
    Param::new(
        k,
        "",
        Scope::Scenario,
        Domain::Structural,
        Fallback::Absent,
        help,
        Access::Structural,
    )
    .emit(Emit::Never)
}

const GD_LIKE: &[RuleKind] = &[Gd, Momentum, Nag, Adam];
const MOMENTUM: &[RuleKind] = &[Momentum, Nag];

/// Every scenario, page and optimizer key, in the order the text writes them.
pub static PARAMS: &[Param] = &[
    structural("v", "format version; this playground reads v=1"),
    structural(
        "preset",
        "start from a named preset; the other keys override it",
    ),
    structural(
        "surface",
        "the error surface, NAME[:param=value,…] or custom:f=EXPR",
    ),
    structural(
        "data",
        "a data-set surface's own rows, x,y;x,y;… (x1,x2,class;… for svm), or a shipped set: iris, cars",
    ),
    key(
        "start",
        "θ₀",
        Scope::Scenario,
        Domain::Point,
        Fallback::Absent,
        "start point, one coordinate per parameter (absent: the surface's own)",
        |s| s.start.clone().map_or(Value::Absent, Value::Nums),
        |s, v| {
            s.start = match v {
                Value::Nums(xs) => Some(xs.clone()),
                _ => None,
            }
        },
    ),
    key(
        "seed",
        "seed",
        Scope::Scenario,
        Domain::Digits {
            lo: 0,
            hi: u32::MAX as u64,
        },
        Fallback::Num(1.0),
        "seed of every random choice (mini-batches, noise): same seed, same run",
        |s| Value::Num(s.seed as f64),
        |s, v| s.seed = v.num() as u64,
    )
    .emit(Emit::Always),
    key(
        "steps",
        "T",
        Scope::Scenario,
        Domain::Digits {
            lo: 0,
            hi: MAX_STEPS,
        },
        Fallback::Num(1000.0),
        "stop after this many updates",
        |s| Value::Num(s.stopping.max_steps as f64),
        |s, v| s.stopping.max_steps = v.num() as u64,
    )
    .unit("updates")
    .emit(Emit::Always),
    key(
        "gtol",
        "ε_g",
        Scope::Scenario,
        real(0.0, false, 1e6, false),
        Fallback::Num(1e-8),
        "converged when ‖∇L‖ ≤ this (0: off)",
        |s| Value::Num(s.stopping.grad_tol),
        |s, v| s.stopping.grad_tol = v.num(),
    ),
    key(
        "ltol",
        "ε_L",
        Scope::Scenario,
        real(0.0, false, 1e6, false),
        Fallback::Num(0.0),
        "converged when the loss changes by ≤ this in one update (0: off)",
        |s| Value::Num(s.stopping.loss_tol),
        |s, v| s.stopping.loss_tol = v.num(),
    ),
    structural(
        "opt",
        "an optimizer, RULE[:param=value,…]; repeat for a race",
    ),
    key(
        "title",
        "title",
        Scope::Scenario,
        Domain::Text { max: MAX_TITLE_LEN },
        Fallback::Absent,
        "shown above the playground (plain text)",
        |s| s.title.clone().map_or(Value::Absent, Value::Text),
        |s, v| {
            s.title = match v {
                Value::Text(t) => Some(t.clone()),
                _ => None,
            }
        },
    ),
    key(
        "embed",
        "embed",
        Scope::Page,
        Domain::Bool { digits: true },
        Fallback::Bool(false),
        "compact layout for an iframe, with a link to the full playground",
        |s| Value::Bool(s.page.embed),
        |s, v| s.page.embed = v.flag(),
    ),
    key(
        "show",
        "show",
        Scope::Page,
        Domain::Set(VIEWS),
        Fallback::Absent,
        "only these views (absent: all)",
        |s| s.page.show.clone().map_or(Value::Absent, Value::Names),
        |s, v| {
            s.page.show = match v {
                Value::Names(n) => Some(n.clone()),
                _ => None,
            }
        },
    ),
    key(
        "log",
        "log",
        Scope::Page,
        Domain::Bool { digits: true },
        Fallback::Bool(true),
        "loss chart on a log axis, as L − L*",
        |s| Value::Bool(s.page.log),
        |s, v| s.page.log = v.flag(),
    ),
    key(
        "axis",
        "axis",
        Scope::Page,
        Domain::Choice(AXES),
        Fallback::Name("step"),
        "the loss chart's x axis",
        |s| Value::Name(s.page.axis),
        |s, v| s.page.axis = v.name(),
    ),
    key(
        "eff",
        "α/(δ+√r)",
        Scope::Page,
        Domain::Bool { digits: true },
        Fallback::Bool(false),
        "draw the adaptive rules' per-parameter rates in the learning-rate chart",
        |s| Value::Bool(s.page.eff),
        |s, v| s.page.eff = v.flag(),
    ),
    key(
        "arrows",
        "arrows",
        Scope::Page,
        Domain::Bool { digits: true },
        Fallback::Bool(false),
        "draw each optimizer's gradient step −α∇L and momentum step −v",
        |s| Value::Bool(s.page.arrows),
        |s, v| s.page.arrows = v.flag(),
    ),
    key(
        "speed",
        "speed",
        Scope::Page,
        real(MIN_SPEED, false, 1000.0, false),
        Fallback::Num(5.0),
        "updates per animation frame while playing; below 1 an update every 1/speed frames \
         (0.0167: about one a second)",
        |s| Value::Num(s.page.speed),
        |s, v| s.page.speed = v.num(),
    )
    .unit("/ frame")
    .slider(MIN_SPEED, 1000.0, true),
    key(
        "view",
        "view",
        Scope::Page,
        Domain::ViewBox,
        Fallback::Absent,
        "the contour's view box (absent: the surface's own)",
        |s| {
            s.page
                .view
                .map_or(Value::Absent, |v| Value::Nums(v.to_vec()))
        },
        |s, v| {
            s.page.view = match v {
                Value::Nums(x) if x.len() == 4 => Some([x[0], x[1], x[2], x[3]]),
                _ => None,
            }
        },
    ),
    key(
        "t",
        "t",
        Scope::Page,
        Domain::Digits {
            lo: 0,
            hi: MAX_STEPS,
        },
        Fallback::Num(0.0),
        "open the run at this step (a link to a moment of the run)",
        |s| Value::Num(s.page.t as f64),
        |s, v| s.page.t = v.num() as u32,
    ),
    key(
        "autoheight",
        "autoheight",
        Scope::Page,
        Domain::Bool { digits: true },
        Fallback::Bool(false),
        "embed: as tall as its content, telling the parent page its height (postMessage)",
        |s| Value::Bool(s.page.autoheight),
        |s, v| s.page.autoheight = v.flag(),
    ),
    key(
        "origin",
        "origin",
        Scope::Page,
        Domain::Checked {
            max: 200,
            allowed: "an origin, scheme://host[:port]",
            check: challenge::check_origin,
        },
        Fallback::Absent,
        "embed: take commands (the gradscape:1 API) only from a parent page of this origin, and \
         post events only to it (absent: any parent)",
        |s| text_value(&s.page.origin),
        |s, v| s.page.origin = text_of(v),
    ),
    key(
        "goal",
        "goal",
        Scope::Page,
        Domain::Checked {
            max: 40,
            allowed: challenge::GOAL_GRAMMAR,
            check: challenge::check_goal,
        },
        Fallback::Absent,
        "a challenge: met when any optimizer's measure falls below the number, e.g. loss<1e-3",
        |s| text_value(&s.page.goal),
        |s, v| s.page.goal = text_of(v),
    ),
    key(
        "within",
        "within",
        Scope::Page,
        Domain::Digits {
            lo: 1,
            hi: MAX_WITHIN,
        },
        Fallback::Absent,
        "the challenge's step budget: the goal must be met by this step (absent: no limit)",
        |s| count_value(s.page.within),
        |s, v| s.page.within = count_of(v),
    ),
    key(
        "lock",
        "lock",
        Scope::Page,
        Domain::Set(challenge::LOCKS),
        Fallback::Absent,
        "the controls a challenge keeps fixed (absent: none)",
        |s| {
            if s.page.lock.is_empty() {
                Value::Absent
            } else {
                Value::Names(s.page.lock.clone())
            }
        },
        |s, v| {
            s.page.lock = match v {
                Value::Names(n) => n.clone(),
                _ => Vec::new(),
            }
        },
    ),
    key(
        "tour",
        "tour",
        Scope::Page,
        Domain::Checked {
            max: 2000,
            allowed: "lessons, or a comma-separated list of preset names",
            check: challenge::check_tour,
        },
        Fallback::Absent,
        "a guided tour: these presets one after another, with Next and Back (lessons: every \
         lesson of the lecture)",
        |s| text_value(&s.page.tour),
        |s, v| s.page.tour = text_of(v),
    ),
    key(
        "sweep",
        "sweep",
        Scope::Page,
        Domain::Checked {
            max: 400,
            allowed: "phase,opt=N,x=KEY:LO..HI[:log][:CELLS],y=KEY:LO..HI[:log][:CELLS][,by=steps|loss|diverged], or basins,opt=N[,grid=CELLS]",
            check: crate::core::sweep_spec::check,
        },
        Fallback::Absent,
        "a sweep the page opens and runs: a phase diagram of one optimizer over two of its \
         settings, or a basin map of its start points",
        |s| text_value(&s.page.sweep),
        |s, v| s.page.sweep = text_of(v),
    ),
    // Inside opt=: rule hyperparameters first, then the gradient source, then the schedule,
    // then the optimizer's line.
    lr(GD_LIKE, 0.1),
    lr(&[Adagrad], 0.5),
    lr(&[RmsProp], 0.02),
    opt(
        "gamma",
        "γ",
        Scope::Rule(MOMENTUM),
        UNIT,
        Fallback::Num(0.9),
        "momentum γ",
        |o| momentum_of(o).map_or(Value::Absent, |m| Value::Num(m.gamma)),
        |o, v| {
            if let Some(m) = momentum_mut(o) {
                m.gamma = v.num();
            }
        },
    )
    .emit(Emit::Always),
    opt(
        "gamma0",
        "γ₀",
        Scope::Rule(MOMENTUM),
        UNIT,
        Fallback::Num(0.5),
        "momentum γ₀ during the warm-up (the slides' 0.5 unless given)",
        |o| momentum_of(o).map_or(Value::Absent, |m| Value::Num(m.gamma0)),
        |o, v| {
            if let Some(m) = momentum_mut(o) {
                m.gamma0 = v.num();
            }
        },
    )
    .emit(Emit::If(has_warmup)),
    opt(
        "warmup",
        "n_w",
        Scope::Rule(MOMENTUM),
        whole(0.0, 1e9),
        Fallback::Num(0.0),
        "updates with γ₀ before γ",
        |o| momentum_of(o).map_or(Value::Absent, |m| Value::Num(m.warmup as f64)),
        |o, v| {
            if let Some(m) = momentum_mut(o) {
                m.warmup = v.num() as u64;
            }
        },
    )
    .unit("updates")
    .emit(Emit::If(has_warmup)),
    opt(
        "rho",
        "ρ",
        Scope::Rule(&[RmsProp]),
        UNIT,
        Fallback::Num(0.9),
        "decay ρ of r",
        |o| match o.rule {
            Rule::RmsProp(r) => Value::Num(r.rho),
            _ => Value::Absent,
        },
        |o, v| {
            if let Rule::RmsProp(r) = &mut o.rule {
                r.rho = v.num();
            }
        },
    )
    .emit(Emit::Always),
    opt(
        "rho1",
        "ρ₁",
        Scope::Rule(&[Adam]),
        UNIT,
        Fallback::Num(0.9),
        "decay ρ₁ of s",
        |o| match o.rule {
            Rule::Adam(a) => Value::Num(a.rho1),
            _ => Value::Absent,
        },
        |o, v| {
            if let Rule::Adam(a) = &mut o.rule {
                a.rho1 = v.num();
            }
        },
    )
    .emit(Emit::Always),
    opt(
        "rho2",
        "ρ₂",
        Scope::Rule(&[Adam]),
        UNIT,
        Fallback::Num(0.999),
        "decay ρ₂ of r",
        |o| match o.rule {
            Rule::Adam(a) => Value::Num(a.rho2),
            _ => Value::Absent,
        },
        |o, v| {
            if let Rule::Adam(a) = &mut o.rule {
                a.rho2 = v.num();
            }
        },
    )
    .emit(Emit::Always),
    delta(&[Adagrad], 1e-7),
    delta(&[RmsProp], 1e-6),
    delta(&[Adam], 1e-8),
    opt(
        "bias_correction",
        "bias",
        Scope::Rule(&[Adam]),
        Domain::Bool { digits: false },
        Fallback::Bool(true),
        "divide s and r by (1 − ρᵗ⁺¹)",
        |o| match o.rule {
            Rule::Adam(a) => Value::Bool(a.bias_correction),
            _ => Value::Absent,
        },
        |o, v| {
            if let Rule::Adam(a) = &mut o.rule {
                a.bias_correction = v.flag();
            }
        },
    )
    .emit(Emit::Always),
    opt(
        "batch",
        "m",
        Scope::Source,
        Domain::Batch,
        Fallback::Absent,
        "mini-batch size m on a data-set surface: 1 is SGD, N is batch GD (absent: all; an \
         epoch's last holds N mod m)",
        |o| count_value(o.source.batch_size.map(u64::from)),
        |o, v| o.source.batch_size = count_of(v).map(|m| m as u32),
    ),
    opt(
        "noise",
        "σ",
        Scope::Source,
        real(0.0, false, 1e3, false),
        Fallback::Num(0.0),
        "σ of Gaussian noise added to every gradient coordinate",
        |o| Value::Num(o.source.noise),
        |o, v| o.source.noise = v.num(),
    ),
    opt(
        "schedule",
        "α_t",
        Scope::Schedule(&["constant", "step", "exp", "inv"]),
        Domain::Choice(SCHEDULES),
        Fallback::Name("constant"),
        "learning-rate schedule",
        |o| Value::Name(o.schedule.name()),
        |o, v| o.schedule = schedule_named(v.name()),
    ),
    opt(
        "on_increase",
        "f↑",
        Scope::Schedule(&["step"]),
        Domain::Bool { digits: false },
        Fallback::Bool(false),
        "step decay: α ← f·α whenever the loss rose, instead of every n updates",
        |o| Value::Bool(step_parts(o).2),
        |o, v| set_step(o, |p| p.2 = v.flag()),
    ),
    opt(
        "every",
        "n",
        Scope::Schedule(&["step"]),
        whole(1.0, 1e9),
        Fallback::Num(100.0),
        "step decay: updates between decays (not with on_increase)",
        |o| Value::Num(step_parts(o).0 as f64),
        |o, v| set_step(o, |p| p.0 = v.num() as u64),
    )
    .unit("updates")
    .emit(Emit::If(|o| !step_parts(o).2)),
    opt(
        "factor",
        "f",
        Scope::Schedule(&["step"]),
        real(0.0, true, 1.0, false),
        Fallback::Num(0.5),
        "step decay: factor f per decay",
        |o| Value::Num(step_parts(o).1),
        |o, v| set_step(o, |p| p.1 = v.num()),
    )
    .emit(Emit::Always),
    opt(
        "k",
        "k",
        Scope::Schedule(&["exp", "inv"]),
        real(0.0, false, 1e3, false),
        Fallback::Num(0.01),
        "decay rate k",
        |o| match o.schedule {
            Schedule::Exp { k } | Schedule::Inv { k } => Value::Num(k),
            _ => Value::Num(default_of("k")),
        },
        |o, v| match &mut o.schedule {
            Schedule::Exp { k } | Schedule::Inv { k } => *k = v.num(),
            _ => {}
        },
    )
    .emit(Emit::Always),
    opt(
        "colour",
        "colour",
        Scope::Line,
        Domain::Digits {
            lo: 0,
            hi: LINES as u64 - 1,
        },
        Fallback::Absent,
        "its line's colour and dash, kept when others come and go (absent: the one of its place)",
        |o| o.colour.map_or(Value::Absent, |c| Value::Num(c as f64)),
        |o, v| {
            o.colour = match v {
                Value::Num(c) => Some(*c as u8),
                _ => None,
            }
        },
    ),
    opt(
        "name",
        "name",
        Scope::Line,
        Domain::Text {
            max: MAX_NAME_CHARS,
        },
        Fallback::Absent,
        "its name in the key and the legends (absent: its rule, and what differs from its namesakes)",
        |o| {
            o.name
                .map_or(Value::Absent, |n| Value::Text(n.as_str().to_string()))
        },
        |o, v| {
            o.name = match v {
                Value::Text(t) => Name::new(t),
                _ => None,
            }
        },
    ),
];
