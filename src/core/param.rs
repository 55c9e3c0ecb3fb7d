//! The row type of the parameter table: one declarative description of every setting a
//! scenario carries (key, symbol, what it applies to, allowed values, default, help).
//!
//! The decoder, the encoder, `gradscape list`, the page's catalog and so its controls all read
//! these rows, so a default, a range or a list of choices is written once. The rows themselves
//! live beside what they describe: [`crate::core::scenario::table`] for scenario, page and
//! optimizer keys, the surface registry for surface parameters.

use crate::core::decimal::parse_f64;
use crate::core::optim::RuleKind;
use crate::core::run::OptimizerConfig;
use crate::core::scenario::{err, Scenario, ScenarioError};

/// What a parameter applies to.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Scope {
    /// A top-level scenario key (`seed=…`).
    Scenario,
    /// A page-only key (`speed=…`): how the scenario is shown, ignored by the CLI.
    Page,
    /// An update rule's hyperparameter inside `opt=` (these rules only).
    Rule(&'static [RuleKind]),
    /// A learning-rate schedule's parameter inside `opt=` (these schedules only).
    Schedule(&'static [&'static str]),
    /// The gradient source inside `opt=` (mini-batches, noise).
    Source,
    /// A surface's parameter after its name (`surface=ellipse:kappa=50`).
    Surface,
}

impl Scope {
    /// The scope's name as the catalog and `gradscape list` print it.
    pub fn name(&self) -> &'static str {
        match self {
            Scope::Scenario => "scenario",
            Scope::Page => "page",
            Scope::Rule(_) => "rule",
            Scope::Schedule(_) => "schedule",
            Scope::Source => "source",
            Scope::Surface => "surface",
        }
    }

    /// Whether the key is written inside an optimizer's `opt=` value.
    pub fn in_optimizer(&self) -> bool {
        matches!(self, Scope::Rule(_) | Scope::Schedule(_) | Scope::Source)
    }
}

/// One allowed value of a choice or set, with its label for people.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Choice {
    pub name: &'static str,
    pub label: &'static str,
    /// For views: shown by default in an embedded playground.
    pub in_embed: bool,
}

/// A choice with no embed meaning.
pub const fn choice(name: &'static str, label: &'static str) -> Choice {
    Choice {
        name,
        label,
        in_embed: false,
    }
}

/// The values a parameter may take.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Domain {
    /// A finite number in a range; open ends exclude the bound. `integer`: whole numbers
    /// only (written like any number: `100`, `1e2`).
    Real {
        lo: f64,
        lo_open: bool,
        hi: f64,
        hi_open: bool,
        integer: bool,
    },
    /// A whole number written with digits only (seeds, counts of steps).
    Digits { lo: u64, hi: u64 },
    /// `true`/`false` (also `1`/`0`); `digits` says which form the text is written in.
    Bool { digits: bool },
    /// One of the names.
    Choice(&'static [Choice]),
    /// A comma-separated, non-empty subset of the names.
    Set(&'static [Choice]),
    /// Plain text (never markup), at most this many characters.
    Text { max: usize },
    /// One coordinate per parameter of the surface (the start point).
    Point,
    /// `x_min,x_max,y_min,y_max` of the contour's view.
    ViewBox,
    /// A mini-batch size: a whole number in [1, N] of the surface's data set.
    Batch,
    /// A key with its own grammar, decoded by the scenario code (`v`, `preset`, `surface`, `opt`).
    Structural,
}

/// A parameter's default.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Fallback {
    /// Not set: what that means is in the row's help (full batch, the surface's own start…).
    Absent,
    Num(f64),
    Bool(bool),
    Name(&'static str),
    /// The value of another key of the same optimizer (γ₀ defaults to γ).
    Same(&'static str),
}

/// A range shown as a slider: its ends and whether it moves on a log scale.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Slider {
    pub lo: f64,
    pub hi: f64,
    pub log: bool,
}

/// A decoded value.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Absent,
    Num(f64),
    Bool(bool),
    Name(&'static str),
    Names(Vec<&'static str>),
    Text(String),
    Nums(Vec<f64>),
}

impl Value {
    /// The number (0 for anything else: rows only hand each setter its own domain's values).
    pub fn num(&self) -> f64 {
        match self {
            Value::Num(x) => *x,
            _ => 0.0,
        }
    }

    pub fn flag(&self) -> bool {
        matches!(self, Value::Bool(true))
    }

    pub fn name(&self) -> &'static str {
        match self {
            Value::Name(n) => n,
            _ => "",
        }
    }
}

/// When the encoder writes a key.
#[derive(Clone, Copy)]
pub enum Emit {
    /// Always (rule hyperparameters: a link replays the same run even if a default changes).
    Always,
    /// Only when the value differs from the default.
    UnlessDefault,
    /// When this says so (e.g. γ₀ only with a warm-up).
    If(fn(&OptimizerConfig) -> bool),
    /// Never by the generic encoder (structural keys).
    Never,
}

/// How a row reads and writes its value in a scenario.
#[derive(Clone, Copy)]
pub enum Access {
    /// A field of the scenario (or of its page options).
    Scenario {
        get: fn(&Scenario) -> Value,
        set: fn(&mut Scenario, &Value),
    },
    /// A field of one optimizer's configuration.
    Optimizer {
        get: fn(&OptimizerConfig) -> Value,
        set: fn(&mut OptimizerConfig, &Value),
    },
    /// A surface parameter: its position in the surface's list of values.
    Surface,
    /// Decoded and encoded by the scenario code itself.
    Structural,
}

/// One row of the parameter table.
#[derive(Clone, Copy)]
pub struct Param {
    /// Name in the scenario text.
    pub key: &'static str,
    /// The lecture's symbol, shown in the interface.
    pub symbol: &'static str,
    pub scope: Scope,
    pub domain: Domain,
    pub default: Fallback,
    /// Unit or what the number counts ("updates", "per frame"), or "".
    pub unit: &'static str,
    /// One line of help.
    pub help: &'static str,
    /// Shown as a slider over this range (else as a text field).
    pub slider: Option<Slider>,
    pub emit: Emit,
    pub access: Access,
}

impl std::fmt::Debug for Param {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Param")
            .field("key", &self.key)
            .field("scope", &self.scope)
            .finish()
    }
}

/// What a value is checked against besides its own domain.
#[derive(Debug, Clone, Copy)]
pub struct Ctx<'a> {
    /// Parameters of the surface (coordinates of a start point).
    pub dim: usize,
    /// Examples of the surface's data set (0: analytic).
    pub examples: usize,
    /// The surface's name, for messages.
    pub surface: &'a str,
}

impl Param {
    /// A row with the common parts filled in: text field, written unless default.
    pub const fn new(
        key: &'static str,
        symbol: &'static str,
        scope: Scope,
        domain: Domain,
        default: Fallback,
        help: &'static str,
        access: Access,
    ) -> Param {
        Param {
            key,
            symbol,
            scope,
            domain,
            default,
            unit: "",
            help,
            slider: None,
            emit: Emit::UnlessDefault,
            access,
        }
    }

    pub const fn unit(self, unit: &'static str) -> Param {
        Param { unit, ..self }
    }

    pub const fn emit(self, emit: Emit) -> Param {
        Param { emit, ..self }
    }

    pub const fn slider(self, lo: f64, hi: f64, log: bool) -> Param {
        Param {
            slider: Some(Slider { lo, hi, log }),
            ..self
        }
    }

    /// Whether an optimizer row applies to `rule` with schedule `schedule`.
    pub fn applies(&self, rule: RuleKind, schedule: &str) -> bool {
        match self.scope {
            Scope::Rule(rules) => rules.contains(&rule),
            Scope::Schedule(list) => list.contains(&schedule),
            Scope::Source => true,
            _ => false,
        }
    }

    /// The default as a value (`Same` reads nothing here: it is resolved by the optimizer code).
    pub fn default_value(&self) -> Value {
        match self.default {
            Fallback::Absent | Fallback::Same(_) => Value::Absent,
            Fallback::Num(x) => Value::Num(x),
            Fallback::Bool(b) => Value::Bool(b),
            Fallback::Name(n) => Value::Name(n),
        }
    }

    /// The numeric default (NaN if the row has none).
    pub fn default_num(&self) -> f64 {
        match self.default {
            Fallback::Num(x) => x,
            _ => f64::NAN,
        }
    }

    /// Lower and upper bound of a numeric row (whole-number rows included).
    pub fn bounds(&self) -> Option<(f64, f64)> {
        match self.domain {
            Domain::Real { lo, hi, .. } => Some((lo, hi)),
            Domain::Digits { lo, hi } => Some((lo as f64, hi as f64)),
            _ => None,
        }
    }

    /// Whether only whole numbers are allowed.
    pub fn integer(&self) -> bool {
        matches!(
            self.domain,
            Domain::Real { integer: true, .. } | Domain::Digits { .. } | Domain::Batch
        )
    }

    /// The choices of a choice or set row.
    pub fn choices(&self) -> &'static [Choice] {
        match self.domain {
            Domain::Choice(c) | Domain::Set(c) => c,
            _ => &[],
        }
    }

    /// "a number in (0, 10000]" style description of what is allowed.
    pub fn range_text(&self) -> String {
        match self.domain {
            Domain::Real {
                lo,
                lo_open,
                hi,
                hi_open,
                integer,
            } => format!(
                "{} in {}{}, {}{}",
                if integer {
                    "a whole number"
                } else {
                    "a number"
                },
                if lo_open { "(" } else { "[" },
                fmt_num(lo),
                fmt_num(hi),
                if hi_open { ")" } else { "]" }
            ),
            Domain::Digits { lo, hi } => format!("a whole number in [{lo}, {hi}]"),
            Domain::Bool { .. } => "true or false".into(),
            Domain::Choice(c) => format!("one of {}", names_or(c)),
            Domain::Set(c) => format!("a comma-separated list of {}", names_or(c)),
            Domain::Text { max } => format!("plain text, at most {max} characters"),
            Domain::Point => "one number per parameter, within ±1e6".into(),
            Domain::ViewBox => "x_min,x_max,y_min,y_max within ±1e6, min < max".into(),
            Domain::Batch => "a whole number in [1, N] of the data set".into(),
            Domain::Structural => String::new(),
        }
    }

    /// The default as it would be written in the text ("" when absent).
    pub fn default_text(&self) -> String {
        match self.default {
            Fallback::Same(other) => format!("= {other}"),
            _ => self.format(&self.default_value()),
        }
    }

    /// Decode the text of this key (`what` names it in messages, e.g. `opt 2 (adam): rho1`).
    pub fn parse(&self, what: &str, text: &str, ctx: &Ctx) -> Result<Value, ScenarioError> {
        match self.domain {
            Domain::Real {
                lo,
                lo_open,
                hi,
                hi_open,
                integer,
            } => {
                let x = parse_number(what, text)?;
                let ok_lo = if lo_open { x > lo } else { x >= lo };
                let ok_hi = if hi_open { x < hi } else { x <= hi };
                if !(ok_lo && ok_hi) || (integer && x.fract() != 0.0) {
                    return Err(err(what, text, format!("must be {}", self.range_text())));
                }
                Ok(Value::Num(x))
            }
            Domain::Digits { lo, hi } => {
                let t = text.trim();
                let bad = || err(what, text, format!("must be {}", self.range_text()));
                if t.is_empty() || t.len() > 20 || !t.bytes().all(|b| b.is_ascii_digit()) {
                    return Err(bad());
                }
                match t.parse::<u64>() {
                    Ok(x) if (lo..=hi).contains(&x) => Ok(Value::Num(x as f64)),
                    _ => Err(bad()),
                }
            }
            Domain::Bool { .. } => match text.trim() {
                "true" | "1" => Ok(Value::Bool(true)),
                "false" | "0" => Ok(Value::Bool(false)),
                _ => Err(err(what, text, "must be true or false")),
            },
            Domain::Choice(list) => list
                .iter()
                .find(|c| c.name == text.trim())
                .map(|c| Value::Name(c.name))
                .ok_or_else(|| {
                    err(
                        what,
                        text,
                        format!("unknown {}; choose {}", self.key, names_or(list)),
                    )
                }),
            Domain::Set(list) => parse_set(what, text, list),
            Domain::Text { max } => {
                let t = text.trim();
                if t.chars().count() > max {
                    return Err(err(
                        what,
                        text,
                        format!("is too long; at most {max} characters"),
                    ));
                }
                if t.chars().any(|c| c.is_control()) {
                    return Err(err(what, text, "must not contain control characters"));
                }
                Ok(if t.is_empty() {
                    Value::Absent
                } else {
                    Value::Text(t.to_string())
                })
            }
            Domain::Point => parse_point(what, text, ctx),
            Domain::ViewBox => parse_view(what, text),
            Domain::Batch => {
                if ctx.examples == 0 {
                    return Err(err(
                        what,
                        text,
                        "mini-batches need a data-set surface (neuron, sparse, linreg, deeplinear, svm); on analytic surfaces use noise=σ",
                    ));
                }
                let x = parse_number(what, text)?;
                if !(1.0..=ctx.examples as f64).contains(&x) || x.fract() != 0.0 {
                    return Err(err(
                        what,
                        text,
                        format!(
                            "must be a whole number in [1, {}] (N of this data set)",
                            ctx.examples
                        ),
                    ));
                }
                Ok(Value::Num(x))
            }
            Domain::Structural => Err(err(what, text, "is not a plain value")),
        }
    }

    /// The value as written in scenario text.
    pub fn format(&self, v: &Value) -> String {
        match v {
            Value::Absent => String::new(),
            Value::Num(x) if self.integer() && x.fract() == 0.0 && x.abs() < 1e18 => {
                format!("{}", *x as i64)
            }
            Value::Num(x) => fmt_num(*x),
            Value::Bool(b) => match (self.domain, b) {
                (Domain::Bool { digits: true }, true) => "1".into(),
                (Domain::Bool { digits: true }, false) => "0".into(),
                (_, b) => b.to_string(),
            },
            Value::Name(n) => n.to_string(),
            Value::Names(ns) => ns.join(","),
            Value::Text(t) => crate::core::scenario::percent_encode(t),
            Value::Nums(xs) => join_nums(xs),
        }
    }

    /// Whether the encoder writes `v` for this row (of optimizer `o` when it is one's).
    pub fn written(&self, v: &Value, o: Option<&OptimizerConfig>) -> bool {
        match self.emit {
            Emit::Always => *v != Value::Absent,
            Emit::UnlessDefault => *v != self.default_value() && *v != Value::Absent,
            Emit::If(f) => o.is_some_and(f),
            Emit::Never => false,
        }
    }
}

/// `a, b, c or d`.
pub fn names_or(list: &[Choice]) -> String {
    let names: Vec<&str> = list.iter().map(|c| c.name).collect();
    match names.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} or {last}", rest.join(", ")),
        _ => names.join(""),
    }
}

fn parse_set(what: &str, text: &str, list: &'static [Choice]) -> Result<Value, ScenarioError> {
    let all: Vec<&str> = list.iter().map(|c| c.name).collect();
    let mut out: Vec<&'static str> = Vec::new();
    for item in text.split(',').map(str::trim).filter(|s| !s.is_empty()) {
        match list.iter().find(|c| c.name == item) {
            Some(c) if !out.contains(&c.name) => out.push(c.name),
            Some(_) => {}
            None => {
                return Err(err(
                    what,
                    text,
                    format!("unknown view `{item}`; choose from {}", all.join(", ")),
                ))
            }
        }
    }
    if out.is_empty() {
        return Err(err(
            what,
            text,
            format!("name at least one of {}", all.join(", ")),
        ));
    }
    Ok(Value::Names(out))
}

/// Largest |coordinate| of a start point or a view.
pub const MAX_COORD: f64 = 1e6;

fn parse_point(what: &str, text: &str, ctx: &Ctx) -> Result<Value, ScenarioError> {
    let parts: Vec<&str> = text.split(',').collect();
    if parts.len() != ctx.dim {
        return Err(err(
            what,
            text,
            format!(
                "needs {} comma-separated numbers for surface {}, got {}",
                ctx.dim,
                ctx.surface,
                parts.len()
            ),
        ));
    }
    parts
        .iter()
        .map(|p| {
            let x = parse_number(what, p).map_err(|e| err(what, text, e.message))?;
            if x.abs() > MAX_COORD {
                Err(err(
                    what,
                    text,
                    format!("coordinates must lie in [-{MAX_COORD:e}, {MAX_COORD:e}]"),
                ))
            } else {
                Ok(x)
            }
        })
        .collect::<Result<Vec<f64>, _>>()
        .map(Value::Nums)
}

fn parse_view(what: &str, text: &str) -> Result<Value, ScenarioError> {
    let parts: Vec<&str> = text.split(',').collect();
    let bad = || {
        err(
            what,
            text,
            "needs x_min,x_max,y_min,y_max: finite numbers within ±1e6 with min < max",
        )
    };
    if parts.len() != 4 {
        return Err(bad());
    }
    let mut v = Vec::with_capacity(4);
    for p in &parts {
        let x = parse_number(what, p).map_err(|_| bad())?;
        if x.abs() > MAX_COORD {
            return Err(bad());
        }
        v.push(x);
    }
    if v[1] - v[0] <= 1e-9 || v[3] - v[2] <= 1e-9 {
        return Err(bad());
    }
    Ok(Value::Nums(v))
}

/// A finite number, or an error naming the key.
pub fn parse_number(key: &str, text: &str) -> Result<f64, ScenarioError> {
    let t = text.trim();
    if t.is_empty() {
        return Err(err(key, text, "is empty; a number is needed"));
    }
    if t.len() > 64 {
        return Err(err(key, text, "is too long for a number"));
    }
    // The syntax also reads "inf", "NaN" and "infinity": refuse them by name.
    let x =
        parse_f64(t).ok_or_else(|| err(key, text, "is not a number (write e.g. 0.01 or 1e-3)"))?;
    if !x.is_finite() {
        return Err(err(key, text, "must be a finite number"));
    }
    Ok(x)
}

/// Shortest text that parses back to exactly `x`; exponent form when very small or large.
pub fn fmt_num(x: f64) -> String {
    let a = x.abs();
    if x == 0.0 {
        "0".into()
    } else if (1e-4..1e9).contains(&a) {
        format!("{x}")
    } else {
        format!("{x:e}")
    }
}

/// Numbers joined by commas, each in its shortest exact form.
pub fn join_nums(xs: &[f64]) -> String {
    xs.iter().map(|x| fmt_num(*x)).collect::<Vec<_>>().join(",")
}
