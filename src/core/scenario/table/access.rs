//! How the table's rows reach into a configuration (the accessors its rows name), and the
//! functions that read the table: rows by scope, defaults, canonical form.

use super::PARAMS;
use crate::core::optim::{Nesterov, Rule, RuleKind};
use crate::core::param::{Access, Param, Scope, Value};
use crate::core::run::OptimizerConfig;
use crate::core::scenario::Scenario;
use crate::core::schedule::Schedule;

use RuleKind::{Adagrad, Adam, Gd, Momentum, Nesterov as Nag, RmsProp};

pub(super) fn get_lr(o: &OptimizerConfig) -> Value {
    Value::Num(o.learning_rate)
}
pub(super) fn set_lr(o: &mut OptimizerConfig, v: &Value) {
    o.learning_rate = v.num();
}

/// The momentum part of a momentum or Nesterov rule.
pub(super) fn momentum_of(o: &OptimizerConfig) -> Option<crate::core::optim::Momentum> {
    match o.rule {
        Rule::Momentum(m) | Rule::Nesterov(Nesterov(m)) => Some(m),
        _ => None,
    }
}
pub(super) fn momentum_mut(o: &mut OptimizerConfig) -> Option<&mut crate::core::optim::Momentum> {
    match &mut o.rule {
        Rule::Momentum(m) | Rule::Nesterov(Nesterov(m)) => Some(m),
        _ => None,
    }
}
/// The warm-up length of a momentum or Nesterov rule (0 for the others).
pub fn momentum_warmup(o: &OptimizerConfig) -> u64 {
    momentum_of(o).map_or(0, |m| m.warmup)
}
pub(super) fn has_warmup(o: &OptimizerConfig) -> bool {
    momentum_of(o).is_some_and(|m| m.warmup > 0)
}

/// δ of an adaptive rule.
pub(super) fn delta_of(o: &OptimizerConfig) -> Value {
    match o.rule {
        Rule::Adagrad(a) => Value::Num(a.delta),
        Rule::RmsProp(r) => Value::Num(r.delta),
        Rule::Adam(a) => Value::Num(a.delta),
        _ => Value::Absent,
    }
}
pub(super) fn set_delta(o: &mut OptimizerConfig, v: &Value) {
    match &mut o.rule {
        Rule::Adagrad(a) => a.delta = v.num(),
        Rule::RmsProp(r) => r.delta = v.num(),
        Rule::Adam(a) => a.delta = v.num(),
        _ => {}
    }
}

/// The schedule's parameters, read with the table's defaults where it has none.
pub(super) fn step_parts(o: &OptimizerConfig) -> (u64, f64, bool) {
    match o.schedule {
        Schedule::Step {
            every,
            factor,
            on_increase,
        } => (every, factor, on_increase),
        _ => (default_of("every") as u64, default_of("factor"), false),
    }
}
pub(super) fn set_step(o: &mut OptimizerConfig, f: impl FnOnce(&mut (u64, f64, bool))) {
    let mut p = step_parts(o);
    f(&mut p);
    o.schedule = Schedule::Step {
        every: p.0,
        factor: p.1,
        on_increase: p.2,
    };
}

/// A schedule by name with the table's defaults for its parameters.
pub fn schedule_named(name: &str) -> Schedule {
    match name {
        "step" => Schedule::Step {
            every: default_of("every") as u64,
            factor: default_of("factor"),
            on_increase: false,
        },
        "exp" => Schedule::Exp { k: default_of("k") },
        "inv" => Schedule::Inv { k: default_of("k") },
        _ => Schedule::Constant,
    }
}

/// The numeric default of the first row with this key (NaN if none).
pub(super) fn default_of(k: &str) -> f64 {
    PARAMS
        .iter()
        .find(|p| p.key == k)
        .map(|p| p.default_num())
        .unwrap_or(f64::NAN)
}

/// The rows of the top-level keys (scenario and page), structural ones included.
pub fn scenario_rows() -> impl Iterator<Item = &'static Param> {
    PARAMS.iter().filter(|p| !p.scope.in_optimizer())
}

/// The rows that apply to an optimizer of `rule` with schedule `schedule`, in text order.
pub fn optimizer_rows(rule: RuleKind, schedule: &str) -> impl Iterator<Item = &'static Param> + '_ {
    PARAMS.iter().filter(move |p| p.applies(rule, schedule))
}

/// The row of top-level key `key`.
pub fn scenario_row(key: &str) -> Option<&'static Param> {
    scenario_rows().find(|p| p.key == key)
}

/// The names of every top-level key.
pub fn keys() -> Vec<&'static str> {
    scenario_rows().map(|p| p.key).collect()
}

/// Apply every default of the rows of `cfg`'s rule and schedule, before [`normalize`].
fn apply_defaults(cfg: &mut OptimizerConfig) {
    let (rule, schedule) = (cfg.rule.kind(), cfg.schedule.name());
    for p in optimizer_rows(rule, schedule) {
        if let Access::Optimizer { set, .. } = p.access {
            let v = p.default_value();
            if v != Value::Absent {
                set(cfg, &v);
            }
        }
    }
}

/// Put row `key` of `cfg` back to its table default (nothing if no such row applies).
pub(in crate::core::scenario) fn reset_to_default(cfg: &mut OptimizerConfig, key: &str) {
    let row = optimizer_rows(cfg.rule.kind(), cfg.schedule.name()).find(|p| p.key == key);
    if let Some((Access::Optimizer { set, .. }, v)) = row.map(|p| (p.access, p.default_value())) {
        if v != Value::Absent {
            set(cfg, &v);
        }
    }
}

/// Why `every` is refused beside `on_increase=true` (by the decoder and by the page's edits).
pub(in crate::core::scenario) const EVERY_WITH_ON_INCREASE: &str =
    "applies only without on_increase=true: the loss-rise step schedule decays whenever the \
     loss rose, not every n updates; give one of the two";

/// Whether `cfg` runs the loss-rise variant of the step schedule (`on_increase=true`).
pub(in crate::core::scenario) fn on_increase(cfg: &OptimizerConfig) -> bool {
    matches!(
        cfg.schedule,
        Schedule::Step {
            on_increase: true,
            ..
        }
    )
}

/// Keep an optimizer's text canonical, so that printing and re-reading it is the identity:
/// γ₀ only acts during a warm-up, so without one it is γ; the loss-rise step schedule has no
/// period, so its `every` stays at the default.
pub fn normalize(cfg: &mut OptimizerConfig) {
    if let Some(m) = momentum_mut(cfg) {
        if m.warmup == 0 {
            m.gamma0 = m.gamma;
        }
    }
    if on_increase(cfg) {
        let every = default_of("every") as u64;
        set_step(cfg, |p| p.0 = every);
    }
}

/// The default configuration of a rule, from the table: the lecture's hyperparameters,
/// constant α, full batch, no noise.
pub fn default_optimizer(kind: RuleKind) -> OptimizerConfig {
    let mut cfg = fresh_optimizer(kind);
    normalize(&mut cfg);
    cfg
}

/// Every row of rule `kind` at its table default, not yet [`normalize`]d: the base a decoded
/// optimizer's keys are set on, so that a key left out keeps its own default (γ₀ = 0.5 with
/// a warm-up) rather than what normalizing made of it.
pub(in crate::core::scenario) fn fresh_optimizer(kind: RuleKind) -> OptimizerConfig {
    use crate::core::optim::{Adagrad as Ag, Adam as Ad, Gd as G, Momentum as M, RmsProp as R};
    let m = M::new(0.0);
    let rule = match kind {
        Gd => Rule::Gd(G),
        Momentum => Rule::Momentum(m),
        Nag => Rule::Nesterov(Nesterov(m)),
        Adagrad => Rule::Adagrad(Ag { delta: 0.0 }),
        RmsProp => Rule::RmsProp(R {
            rho: 0.0,
            delta: 0.0,
        }),
        Adam => Rule::Adam(Ad {
            rho1: 0.0,
            rho2: 0.0,
            delta: 0.0,
            bias_correction: false,
        }),
    };
    let mut cfg = OptimizerConfig {
        rule,
        learning_rate: 0.0,
        schedule: Schedule::Constant,
        source: Default::default(),
        colour: None,
        name: None,
    };
    apply_defaults(&mut cfg);
    cfg
}

/// `cfg` with its rule changed to `kind`: α, the gradient source, the schedule and its line
/// (colour, name) are kept,
/// the new rule's hyperparameters start at their defaults.
pub fn with_rule(cfg: &OptimizerConfig, kind: RuleKind) -> OptimizerConfig {
    let mut out = default_optimizer(kind);
    out.learning_rate = cfg.learning_rate;
    out.source = cfg.source;
    out.schedule = cfg.schedule;
    out.colour = cfg.colour;
    out.name = cfg.name;
    out
}

/// The page options at the table's defaults.
pub fn default_page() -> crate::core::scenario::PageOptions {
    let mut s = Scenario {
        page: crate::core::scenario::PageOptions::blank(),
        ..Scenario::blank()
    };
    apply_scenario_defaults(&mut s, Scope::Page);
    s.page
}

/// Set every row of `scope` of `s` to its default.
pub fn apply_scenario_defaults(s: &mut Scenario, scope: Scope) {
    for p in scenario_rows().filter(|p| p.scope == scope) {
        if let Access::Scenario { set, .. } = p.access {
            set(s, &p.default_value());
        }
    }
}
