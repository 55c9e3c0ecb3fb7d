//! The row type of the parameter table: one declarative description of every setting a
//! scenario carries (key, symbol, what it applies to, allowed values, default, help).
//!
//! The decoder, the encoder, `gradscape list`, the page's catalog and so its controls all read
//! these rows, so a default, a range or a list of choices is written once. The rows themselves
//! live beside what they describe: [`crate::core::scenario::table`] for scenario, page and
//! optimizer keys, the surface registry for surface parameters.

use crate::core::optim::RuleKind;
use crate::core::run::OptimizerConfig;
use crate::core::scenario::Scenario;

mod text;

pub use text::{fmt_num, join_nums, names_or, parse_number, MAX_COORD};

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
    /// Every optimizer's own line inside `opt=`, whatever its rule: its colour and name.
    Line,
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
            Scope::Line => "line",
            Scope::Surface => "surface",
        }
    }

    /// Whether the key is written inside an optimizer's `opt=` value.
    pub fn in_optimizer(&self) -> bool {
        matches!(
            self,
            Scope::Rule(_) | Scope::Schedule(_) | Scope::Source | Scope::Line
        )
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
#[derive(Debug, Clone, Copy)]
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
    /// Text with a grammar of its own (a goal, a tour, an origin): `allowed` describes it and
    /// `check` says what is wrong with a text that does not follow it.
    Checked {
        max: usize,
        allowed: &'static str,
        check: fn(&str) -> Result<(), String>,
    },
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
            Scope::Source | Scope::Line => true,
            _ => false,
        }
    }

    /// The default as a value.
    pub fn default_value(&self) -> Value {
        match self.default {
            Fallback::Absent => Value::Absent,
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
