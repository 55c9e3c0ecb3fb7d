//! The catalog: the parameter table, surfaces, rules and presets as plain serializable data.
//! The page builds every control from it (through serde-wasm-bindgen) and `gradscape list
//! --format json` prints it, so both show the same parameters, ranges and defaults.

use serde::Serialize;

use crate::core::dataset;
use crate::core::join;
use crate::core::objective::{axis_names, CUSTOM_DEF, DEFAULT_EXPRESSION, SURFACES};
use crate::core::optim::RuleKind;
use crate::core::param::{Domain, Param, Scope, Value};
use crate::core::presets::{Preset, PRESETS};
use crate::core::scenario::table::PARAMS;
use crate::core::scenario::{Scenario, MAX_OPTIMIZERS};

/// One allowed value of a choice.
#[derive(Debug, Clone, Serialize)]
pub struct ChoiceInfo {
    pub name: &'static str,
    pub label: &'static str,
    pub in_embed: bool,
}

/// A slider's range.
#[derive(Debug, Clone, Serialize)]
pub struct SliderInfo {
    pub lo: f64,
    pub hi: f64,
    pub log: bool,
}

/// One row of the parameter table, as the page and `list --format json` see it.
#[derive(Debug, Clone, Serialize)]
pub struct ParamInfo {
    /// Position in [`Catalog::params`]; configurations refer to rows by it.
    pub id: usize,
    pub key: &'static str,
    pub symbol: &'static str,
    /// scenario | page | rule | schedule | source | surface
    pub scope: &'static str,
    /// The rules a `rule` row applies to.
    pub rules: Vec<&'static str>,
    /// The schedules a `schedule` row applies to.
    pub schedules: Vec<&'static str>,
    /// The surface of a `surface` row.
    pub surface: Option<&'static str>,
    /// real | whole | bool | choice | set | text | point | view | batch | structural
    pub kind: &'static str,
    pub min: Option<f64>,
    pub max: Option<f64>,
    pub min_open: bool,
    pub max_open: bool,
    /// The default as written in the text ("" when the key is simply absent).
    pub default: String,
    pub choices: Vec<ChoiceInfo>,
    pub unit: &'static str,
    pub help: &'static str,
    /// What is allowed, in words ("a number in (0, 10000]").
    pub range: String,
    pub slider: Option<SliderInfo>,
}

/// A surface of the picker.
#[derive(Debug, Clone, Serialize)]
pub struct SurfaceEntry {
    pub name: &'static str,
    pub title: &'static str,
    pub help: &'static str,
    pub axes: (&'static str, &'static str),
    /// Ids of its parameters in [`Catalog::params`].
    pub params: Vec<usize>,
    /// A data-set surface's rows: what they hold and the shipped sets that fit.
    pub data: Option<DataEntry>,
}

/// What a data-set surface's own rows (`data=`) hold, and the shipped sets it can take.
#[derive(Debug, Clone, Serialize)]
pub struct DataEntry {
    pub columns: &'static [&'static str],
    pub shipped: Vec<&'static dataset::Shipped>,
}

/// An update rule.
#[derive(Debug, Clone, Serialize)]
pub struct RuleEntry {
    pub name: &'static str,
    pub title: &'static str,
    pub equation: &'static str,
    pub adaptive: bool,
}

/// Everything the page needs to build its controls.
#[derive(Debug, Clone, Serialize)]
pub struct Catalog {
    pub params: Vec<ParamInfo>,
    pub surfaces: Vec<SurfaceEntry>,
    pub rules: Vec<RuleEntry>,
    pub presets: &'static [Preset],
    /// A first expression for the custom surface, and its grammar in one line.
    pub default_expression: &'static str,
    pub grammar: &'static str,
    /// The scenario the page opens with when its link carries none.
    pub welcome: &'static str,
    pub max_optimizers: usize,
    /// Most rows of a data set, and most characters of a link and of a scenario file.
    pub max_rows: usize,
    pub max_link: usize,
    pub max_file: usize,
}

fn kind_name(d: &Domain) -> &'static str {
    match d {
        Domain::Real { integer: false, .. } => "real",
        Domain::Real { integer: true, .. } | Domain::Digits { .. } => "whole",
        Domain::Bool { .. } => "bool",
        Domain::Choice(_) => "choice",
        Domain::Set(_) => "set",
        Domain::Text { .. } | Domain::Checked { .. } => "text",
        Domain::Point => "point",
        Domain::ViewBox => "view",
        Domain::Batch => "batch",
        Domain::Structural => "structural",
    }
}

fn info(id: usize, p: &Param, surface: Option<&'static str>) -> ParamInfo {
    let (min_open, max_open) = match p.domain {
        Domain::Real {
            lo_open, hi_open, ..
        } => (lo_open, hi_open),
        _ => (false, false),
    };
    ParamInfo {
        id,
        key: p.key,
        symbol: p.symbol,
        scope: p.scope.name(),
        rules: match p.scope {
            Scope::Rule(rules) => rules.iter().map(|r| r.name()).collect(),
            _ => Vec::new(),
        },
        schedules: match p.scope {
            Scope::Schedule(s) => s.to_vec(),
            _ => Vec::new(),
        },
        surface,
        kind: kind_name(&p.domain),
        min: p.bounds().map(|b| b.0),
        max: p.bounds().map(|b| b.1),
        min_open,
        max_open,
        default: p.default_text(),
        choices: p
            .choices()
            .iter()
            .map(|c| ChoiceInfo {
                name: c.name,
                label: c.label,
                in_embed: c.in_embed,
            })
            .collect(),
        unit: p.unit,
        help: p.help,
        range: p.range_text(),
        slider: p.slider.map(|s| SliderInfo {
            lo: s.lo,
            hi: s.hi,
            log: s.log,
        }),
    }
}

/// Id of parameter `j` of surface `name` in the catalog (after the table's own rows).
pub fn surface_param_id(name: &str, j: usize) -> usize {
    let mut id = PARAMS.len();
    for d in SURFACES {
        if d.name == name {
            return id + j;
        }
        id += d.params.len();
    }
    id + j
}

impl Catalog {
    /// The catalog of this build.
    pub fn new() -> Catalog {
        let mut params: Vec<ParamInfo> = PARAMS
            .iter()
            .enumerate()
            .map(|(i, p)| info(i, p, None))
            .collect();
        let mut surfaces = Vec::new();
        for d in SURFACES.iter().chain(std::iter::once(&CUSTOM_DEF)) {
            let mut ids = Vec::new();
            for p in d.params {
                ids.push(params.len());
                params.push(info(params.len(), p, Some(d.name)));
            }
            surfaces.push(SurfaceEntry {
                name: d.name,
                title: d.title,
                help: d.help,
                axes: axis_names(d.name),
                params: ids,
                data: d.data.as_ref().map(|dd| DataEntry {
                    columns: dd.columns.names(),
                    shipped: dataset::SHIPPED
                        .iter()
                        .filter(|s| s.columns == dd.columns)
                        .collect(),
                }),
            });
        }
        Catalog {
            params,
            surfaces,
            rules: RuleKind::ALL
                .iter()
                .map(|&r| RuleEntry {
                    name: r.name(),
                    title: r.title(),
                    equation: r.equation(),
                    adaptive: r.is_adaptive(),
                })
                .collect(),
            presets: PRESETS,
            default_expression: DEFAULT_EXPRESSION,
            grammar: crate::core::expr::GRAMMAR_HELP,
            welcome: crate::core::presets::WELCOME,
            max_optimizers: MAX_OPTIMIZERS,
            max_rows: dataset::MAX_ROWS,
            max_link: crate::core::scenario::MAX_TEXT_LEN,
            max_file: crate::core::scenario::MAX_FILE_LEN,
        }
    }
}

impl Default for Catalog {
    fn default() -> Self {
        Catalog::new()
    }
}

/// A parameter's current value: the row (an id of the catalog) and its text.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Setting {
    pub id: usize,
    pub key: &'static str,
    /// The value for a control: numbers as the link writes them, booleans as true/false,
    /// text unescaped, lists comma-separated, "" when not set.
    pub value: String,
}

/// One optimizer's settings.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OptimizerSettings {
    pub rule: &'static str,
    pub title: &'static str,
    pub schedule: &'static str,
    /// Every row that applies to it, in table order.
    pub params: Vec<Setting>,
}

/// A scenario as the controls show it: the current value of every row that applies.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Config {
    pub surface: &'static str,
    /// The custom surface's expression.
    pub expression: Option<String>,
    pub surface_params: Vec<Setting>,
    /// Every plain scenario and page key.
    pub keys: Vec<Setting>,
    pub optimizers: Vec<OptimizerSettings>,
    /// The preset the scenario started from (its note is shown), if any.
    pub preset: Option<&'static str>,
    /// The surface's own rows, if it has any in place of generated examples.
    pub data: Option<DataSetting>,
    /// The canonical text (what a share link carries).
    pub text: String,
}

/// The rows a data-set surface uses in place of its generated examples.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DataSetting {
    /// The shipped set's name, `None` for the user's own rows.
    pub shipped: Option<&'static str>,
    pub rows: usize,
}

/// The text of `v` for a control.
fn display(p: &Param, v: &Value) -> String {
    match v {
        Value::Bool(b) => b.to_string(),
        Value::Text(t) => t.clone(),
        other => p.format(other),
    }
}

impl Config {
    /// The settings of `s`.
    pub fn of(s: &Scenario) -> Config {
        use crate::core::param::Access;
        let keys = PARAMS
            .iter()
            .enumerate()
            .filter(|(_, p)| !p.scope.in_optimizer())
            .filter_map(|(id, p)| match p.access {
                Access::Scenario { get, .. } => Some(Setting {
                    id,
                    key: p.key,
                    value: display(p, &get(s)),
                }),
                _ => None,
            })
            .collect();
        let optimizers = s
            .optimizers
            .iter()
            .map(|o| {
                let (kind, schedule) = (o.rule.kind(), o.schedule.name());
                let params = PARAMS
                    .iter()
                    .enumerate()
                    .filter(|(_, p)| p.applies(kind, schedule))
                    .filter_map(|(id, p)| match p.access {
                        Access::Optimizer { get, .. } => Some(Setting {
                            id,
                            key: p.key,
                            value: display(p, &get(o)),
                        }),
                        _ => None,
                    })
                    .collect();
                OptimizerSettings {
                    rule: kind.name(),
                    title: kind.title(),
                    schedule,
                    params,
                }
            })
            .collect();
        let def = s.surface_def();
        // With rows of its own, the count and seed of generated examples do not apply.
        let skip = match (&s.data, &def.data) {
            (Some(_), Some(d)) => d.generated,
            _ => 0,
        };
        Config {
            surface: s.surface,
            expression: s.custom_expression().map(str::to_string),
            surface_params: def
                .params
                .iter()
                .zip(&s.surface_params)
                .enumerate()
                .skip(skip)
                .map(|(j, (p, v))| Setting {
                    id: surface_param_id(s.surface, j),
                    key: p.key,
                    value: p.format(&Value::Num(*v)),
                })
                .collect(),
            keys,
            optimizers,
            preset: s.preset,
            data: s.data.as_ref().map(|d| DataSetting {
                shipped: d.shipped,
                rows: d.len(),
            }),
            text: s.to_text(),
        }
    }
}

/// The table as `gradscape list` prints it: one line per row, grouped by scope.
pub fn list_text() -> String {
    let cat = Catalog::new();
    let mut o = String::new();
    let line = |o: &mut String, p: &ParamInfo| {
        let default = if p.default.is_empty() {
            "unset".to_string()
        } else {
            p.default.clone()
        };
        let unit = if p.unit.is_empty() {
            String::new()
        } else {
            format!(" {}", p.unit)
        };
        let only = if p.scope == "schedule" && p.key != "schedule" {
            format!(" (schedule={})", join(&p.schedules, "|"))
        } else {
            String::new()
        };
        o.push_str(&format!(
            "      {:<15} {} = {default}{unit} — {}{only}; {}\n",
            p.key, p.symbol, p.help, p.range
        ));
    };
    o.push_str("SURFACES  (surface=NAME[:param=value,...])\n");
    for s in &cat.surfaces {
        o.push_str(&format!("  {:<11} {} — {}\n", s.name, s.title, s.help));
        for id in &s.params {
            line(&mut o, &cat.params[*id]);
        }
    }
    o.push_str(&format!(
        "      custom:f=EXPR: {}\n",
        crate::core::expr::GRAMMAR_HELP
    ));
    o.push_str("\nRULES  (opt=NAME[:param=value,...])\n");
    for r in &cat.rules {
        o.push_str(&format!("  {:<9} {}\n", r.name, r.equation));
        for p in cat
            .params
            .iter()
            .filter(|p| p.scope == "rule" && p.rules.contains(&r.name))
        {
            line(&mut o, p);
        }
    }
    o.push_str("\nGRADIENT SOURCE  (inside opt=, every rule)\n");
    for p in cat.params.iter().filter(|p| p.scope == "source") {
        line(&mut o, p);
    }
    o.push_str("\nSCHEDULES  (inside opt=, every rule)\n");
    o.push_str("  constant  α_t = α₀\n  step      α_t = α₀·f^⌊t/n⌋ ; on_increase: α ← f·α when the loss rose\n  exp       α_t = α₀·e^(−k t)\n  inv       α_t = α₀/(1 + k t)\n");
    for p in cat.params.iter().filter(|p| p.scope == "schedule") {
        line(&mut o, p);
    }
    o.push_str("\nLINE  (inside opt=, every rule: how the optimizer is drawn and called)\n");
    for p in cat.params.iter().filter(|p| p.scope == "line") {
        line(&mut o, p);
    }
    for (scope, title) in [
        ("scenario", "SCENARIO KEYS"),
        ("page", "PAGE KEYS  (ignored by the CLI)"),
    ] {
        o.push_str(&format!("\n{title}\n"));
        for p in cat.params.iter().filter(|p| p.scope == scope) {
            if p.kind == "structural" {
                o.push_str(&format!("      {:<15} {}\n", p.key, p.help));
            } else {
                line(&mut o, p);
            }
        }
    }
    o
}
