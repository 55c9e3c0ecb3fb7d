//! Scenario text: the query-string format shared by share links, presets and the CLI.
//!
//! ```text
//! v=1&surface=rosenbrock&start=-1.5,2&seed=7&steps=500
//!   &opt=gd:lr=0.001&opt=adam:lr=0.05,rho1=0.9,rho2=0.999,delta=1e-8,bias_correction=true
//! ```
//!
//! The custom surface is `surface=custom:f=EXPR`: everything after `f=` is the expression
//! (percent-encoded when printed, so `+`, `^`, `/` and spaces survive a URL).
//!
//! Decoding is strict and safe: every problem becomes a [`ScenarioError`] naming the key,
//! the value and what is allowed. [`Scenario::decode`] also returns a usable scenario with
//! defaults in place of what was wrong (for links); [`Scenario::parse`] rejects on the first
//! problem (for the CLI). Printing with [`Scenario::to_text`] then parsing gives the same
//! scenario back.

use crate::core::decimal::parse_f64;
use crate::core::expr::Expr;
use crate::core::objective::{
    surface_def, Custom, Objective, SurfaceDef, CUSTOM, CUSTOM_DEF, SURFACES,
};
use crate::core::optim::{Adagrad, Adam, Gd, Momentum, Nesterov, RmsProp, Rule, RuleKind};
use crate::core::run::{OptimizerConfig, Run, Stopping};
use crate::core::sampling::Source;
use crate::core::schedule::Schedule;

/// Longest scenario text accepted (characters).
pub const MAX_TEXT_LEN: usize = 16_384;
/// Most optimizers in one scenario.
pub const MAX_OPTIMIZERS: usize = 16;
/// Most updates a scenario may ask for.
pub const MAX_STEPS: u64 = 10_000_000;
/// Longest title (characters).
pub const MAX_TITLE_LEN: usize = 200;
/// Largest |coordinate| of a start point.
pub const MAX_START: f64 = 1e6;

/// A problem in scenario text: which key, what value, and what is allowed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScenarioError {
    /// The key as it appears in the text, with context (e.g. `opt 2 (adam): rho1`).
    pub key: String,
    /// The offending value (shortened if very long).
    pub value: String,
    /// What is wrong and what is allowed.
    pub message: String,
}

impl std::fmt::Display for ScenarioError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} = \"{}\": {}", self.key, self.value, self.message)
    }
}

impl std::error::Error for ScenarioError {}

fn err(key: impl Into<String>, value: &str, message: impl Into<String>) -> ScenarioError {
    let value: String = if value.chars().count() > 60 {
        value.chars().take(57).chain("...".chars()).collect()
    } else {
        value.to_string()
    };
    ScenarioError {
        key: key.into(),
        value,
        message: message.into(),
    }
}

/// Bounds of an optimizer parameter; open ends exclude the bound.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Knob {
    pub name: &'static str,
    pub symbol: &'static str,
    pub lo: f64,
    pub lo_open: bool,
    pub hi: f64,
    pub hi_open: bool,
    pub integer: bool,
    pub help: &'static str,
}

impl Knob {
    /// "in (0, 1)" style description of the allowed range.
    pub fn range_text(&self) -> String {
        let kind = if self.integer {
            "a whole number"
        } else {
            "a number"
        };
        format!(
            "{kind} in {}{}, {}{}",
            if self.lo_open { "(" } else { "[" },
            fmt_num(self.lo),
            fmt_num(self.hi),
            if self.hi_open { ")" } else { "]" }
        )
    }

    fn check(&self, key: &str, text: &str) -> Result<f64, ScenarioError> {
        let x = parse_number(key, text)?;
        let ok_lo = if self.lo_open {
            x > self.lo
        } else {
            x >= self.lo
        };
        let ok_hi = if self.hi_open {
            x < self.hi
        } else {
            x <= self.hi
        };
        if !(ok_lo && ok_hi) || (self.integer && x.fract() != 0.0) {
            return Err(err(key, text, format!("must be {}", self.range_text())));
        }
        Ok(x)
    }
}

const fn knob(
    name: &'static str,
    symbol: &'static str,
    lo: f64,
    lo_open: bool,
    hi: f64,
    hi_open: bool,
    help: &'static str,
) -> Knob {
    Knob {
        name,
        symbol,
        lo,
        lo_open,
        hi,
        hi_open,
        integer: false,
        help,
    }
}

/// Learning rate α₀.
pub const LR: Knob = knob("lr", "α", 0.0, true, 1e4, false, "learning rate α₀");
/// Momentum γ.
pub const GAMMA: Knob = knob("gamma", "γ", 0.0, false, 1.0, true, "momentum γ");
/// Warm-up momentum γ₀.
pub const GAMMA0: Knob = knob(
    "gamma0",
    "γ₀",
    0.0,
    false,
    1.0,
    true,
    "momentum γ₀ during the warm-up",
);
/// Warm-up length.
pub const WARMUP: Knob = Knob {
    integer: true,
    ..knob(
        "warmup",
        "n",
        0.0,
        false,
        1e9,
        false,
        "updates with γ₀ before γ",
    )
};
/// RMSProp decay ρ.
pub const RHO: Knob = knob("rho", "ρ", 0.0, false, 1.0, true, "decay ρ of r");
/// Adam decay ρ₁.
pub const RHO1: Knob = knob("rho1", "ρ₁", 0.0, false, 1.0, true, "decay ρ₁ of s");
/// Adam decay ρ₂.
pub const RHO2: Knob = knob("rho2", "ρ₂", 0.0, false, 1.0, true, "decay ρ₂ of r");
/// δ.
pub const DELTA: Knob = knob("delta", "δ", 0.0, true, 1.0, false, "small constant δ");
/// Mini-batch size m (upper bound checked against N).
pub const BATCH: Knob = Knob {
    integer: true,
    ..knob(
        "batch",
        "m",
        1.0,
        false,
        1e9,
        false,
        "mini-batch size m (data-set surfaces)",
    )
};
/// Gradient noise σ.
pub const NOISE: Knob = knob(
    "noise",
    "σ",
    0.0,
    false,
    1e3,
    false,
    "σ of Gaussian gradient noise",
);
/// Step-decay period n.
pub const EVERY: Knob = Knob {
    integer: true,
    ..knob(
        "every",
        "n",
        1.0,
        false,
        1e9,
        false,
        "step decay: updates between decays",
    )
};
/// Step-decay factor f.
pub const FACTOR: Knob = knob(
    "factor",
    "f",
    0.0,
    true,
    1.0,
    false,
    "step decay: factor f per decay",
);
/// Decay rate k of exp and inv.
pub const K: Knob = knob("k", "k", 0.0, false, 1e3, false, "decay rate k");

/// Default values of the lecture (LECTURE.md) and of this playground.
pub mod defaults {
    pub const GAMMA: f64 = 0.9;
    pub const ADAGRAD_DELTA: f64 = 1e-7;
    pub const RMSPROP_RHO: f64 = 0.9;
    pub const RMSPROP_DELTA: f64 = 1e-6;
    pub const RHO1: f64 = 0.9;
    pub const RHO2: f64 = 0.999;
    pub const ADAM_DELTA: f64 = 1e-8;
    pub const EVERY: u64 = 100;
    pub const FACTOR: f64 = 0.5;
    pub const K: f64 = 0.01;
    pub const SEED: u64 = 1;
    pub const STEPS: u64 = 1000;
    pub const GTOL: f64 = 1e-8;
    pub const LTOL: f64 = 0.0;

    /// Default α₀ of each rule.
    pub fn learning_rate(rule: crate::core::optim::RuleKind) -> f64 {
        use crate::core::optim::RuleKind::*;
        match rule {
            Gd | Momentum | Nesterov => 0.1,
            Adagrad => 0.5,
            RmsProp => 0.02,
            Adam => 0.1,
        }
    }
}

/// The parameters each rule accepts besides the common ones.
pub fn rule_knobs(rule: RuleKind) -> &'static [Knob] {
    match rule {
        RuleKind::Gd => &[],
        RuleKind::Momentum | RuleKind::Nesterov => &[GAMMA, GAMMA0, WARMUP],
        RuleKind::Adagrad => &[DELTA],
        RuleKind::RmsProp => &[RHO, DELTA],
        RuleKind::Adam => &[RHO1, RHO2, DELTA],
    }
}

/// Parameters every rule accepts.
pub const COMMON_KNOBS: [Knob; 6] = [LR, BATCH, NOISE, EVERY, FACTOR, K];

/// The default configuration of a rule: the lecture's hyperparameters, constant α, full batch.
pub fn default_optimizer(kind: RuleKind) -> OptimizerConfig {
    let rule = match kind {
        RuleKind::Gd => Rule::Gd(Gd),
        RuleKind::Momentum => Rule::Momentum(Momentum::new(defaults::GAMMA)),
        RuleKind::Nesterov => Rule::Nesterov(Nesterov::new(defaults::GAMMA)),
        RuleKind::Adagrad => Rule::Adagrad(Adagrad {
            delta: defaults::ADAGRAD_DELTA,
        }),
        RuleKind::RmsProp => Rule::RmsProp(RmsProp {
            rho: defaults::RMSPROP_RHO,
            delta: defaults::RMSPROP_DELTA,
        }),
        RuleKind::Adam => Rule::Adam(Adam {
            rho1: defaults::RHO1,
            rho2: defaults::RHO2,
            delta: defaults::ADAM_DELTA,
            bias_correction: true,
        }),
    };
    OptimizerConfig {
        rule,
        learning_rate: defaults::learning_rate(kind),
        schedule: Schedule::Constant,
        source: Source::default(),
    }
}

/// A whole scenario: surface, start, seed, stopping rules, optimizers and a title.
#[derive(Debug, Clone, PartialEq)]
pub struct Scenario {
    /// Registry name of the surface, or [`CUSTOM`] (`"custom"`) for an expression.
    pub surface: &'static str,
    /// Surface parameter values, in the registry's order (empty for the custom surface).
    pub surface_params: Vec<f64>,
    /// The expression f(x, y) of the custom surface, trimmed: `Some` exactly when `surface`
    /// is [`CUSTOM`]. Set both with [`Scenario::set_custom`]; read with
    /// [`Scenario::custom_expression`].
    pub custom: Option<String>,
    /// Start point; `None` is the surface's default.
    pub start: Option<Vec<f64>>,
    pub seed: u64,
    pub stopping: Stopping,
    pub optimizers: Vec<OptimizerConfig>,
    /// Optional title shown above the playground (plain text, never markup).
    pub title: Option<String>,
    /// How the page shows the scenario (ignored by the CLI, kept so links round-trip).
    pub page: PageOptions,
}

/// Views a page or an embed can show (`show=` lists a subset).
pub const VIEWS: [&str; 7] = [
    "contour",
    "loss",
    "lr",
    "status",
    "transport",
    "controls",
    "readout",
];

/// Page-only options carried in the scenario text: embedding, visible views, chart options,
/// animation speed and the view box.
#[derive(Debug, Clone, PartialEq)]
pub struct PageOptions {
    /// `embed=1`: compact layout for an iframe, with a link back to the full playground.
    pub embed: bool,
    /// `show=contour,loss,…`: only these views (None: all).
    pub show: Option<Vec<&'static str>>,
    /// `log=0|1`: loss chart on a log axis (default on).
    pub log_loss: bool,
    /// `axis=step|epoch|examples`: the loss chart's x axis.
    pub axis: &'static str,
    /// `eff=1`: draw the adaptive rules' per-parameter rates in the learning-rate chart.
    pub effective_lr: bool,
    /// `arrows=1`: draw each optimizer's gradient step −α∇L and momentum step −v.
    pub arrows: bool,
    /// `speed=N`: updates per animation frame, 1–1000.
    pub speed: u32,
    /// `view=x0,x1,y0,y1`: the contour's view box (None: the surface's default).
    pub view: Option<[f64; 4]>,
}

impl Default for PageOptions {
    fn default() -> Self {
        PageOptions {
            embed: false,
            show: None,
            log_loss: true,
            axis: "step",
            effective_lr: false,
            arrows: false,
            speed: 5,
            view: None,
        }
    }
}

impl PageOptions {
    fn to_text(&self, out: &mut String) {
        let d = PageOptions::default();
        if self.embed {
            out.push_str("&embed=1");
        }
        if let Some(show) = &self.show {
            out.push_str("&show=");
            out.push_str(&show.join(","));
        }
        if self.log_loss != d.log_loss {
            out.push_str(if self.log_loss { "&log=1" } else { "&log=0" });
        }
        if self.axis != d.axis {
            out.push_str("&axis=");
            out.push_str(self.axis);
        }
        if self.effective_lr {
            out.push_str("&eff=1");
        }
        if self.arrows {
            out.push_str("&arrows=1");
        }
        if self.speed != d.speed {
            out.push_str(&format!("&speed={}", self.speed));
        }
        if let Some(v) = &self.view {
            out.push_str("&view=");
            out.push_str(&join_nums(v));
        }
    }
}

fn parse_view(text: &str) -> Result<[f64; 4], ScenarioError> {
    let parts: Vec<&str> = text.split(',').collect();
    let bad = || {
        err(
            "view",
            text,
            "needs x_min,x_max,y_min,y_max: finite numbers within ±1e6 with min < max",
        )
    };
    if parts.len() != 4 {
        return Err(bad());
    }
    let mut v = [0.0; 4];
    for (o, p) in v.iter_mut().zip(&parts) {
        *o = parse_number("view", p).map_err(|_| bad())?;
        if o.abs() > MAX_START {
            return Err(bad());
        }
    }
    if v[1] - v[0] <= 1e-9 || v[3] - v[2] <= 1e-9 {
        return Err(bad());
    }
    Ok(v)
}

fn parse_show(text: &str) -> Result<Vec<&'static str>, ScenarioError> {
    let mut out = Vec::new();
    for item in text.split(',').map(str::trim).filter(|s| !s.is_empty()) {
        match VIEWS.iter().find(|v| **v == item) {
            Some(v) if !out.contains(v) => out.push(*v),
            Some(_) => {}
            None => {
                return Err(err(
                    "show",
                    text,
                    format!("unknown view `{item}`; choose from {}", VIEWS.join(", ")),
                ))
            }
        }
    }
    if out.is_empty() {
        return Err(err(
            "show",
            text,
            format!("name at least one of {}", VIEWS.join(", ")),
        ));
    }
    Ok(out)
}

impl Default for Scenario {
    fn default() -> Self {
        let def = &SURFACES[0];
        Scenario {
            surface: def.name,
            surface_params: def.params.iter().map(|p| p.default).collect(),
            custom: None,
            start: None,
            seed: defaults::SEED,
            stopping: Stopping {
                max_steps: defaults::STEPS,
                grad_tol: defaults::GTOL,
                loss_tol: defaults::LTOL,
            },
            optimizers: vec![default_optimizer(RuleKind::Gd)],
            title: None,
            page: PageOptions::default(),
        }
    }
}

/// Keys of the scenario text.
pub const KEYS: [&str; 18] = [
    "v", "preset", "surface", "start", "seed", "steps", "gtol", "ltol", "opt", "title", "embed",
    "show", "log", "axis", "eff", "arrows", "speed", "view",
];

impl Scenario {
    /// The registry entry of the surface ([`CUSTOM_DEF`] for the custom surface: name, title
    /// and help; its parameters are empty and the expression is in [`Scenario::custom`]).
    pub fn surface_def(&self) -> &'static SurfaceDef {
        if self.surface == CUSTOM {
            return &CUSTOM_DEF;
        }
        surface_def(self.surface).unwrap_or(&SURFACES[0])
    }

    /// The custom surface's expression, if the surface is the custom one.
    pub fn custom_expression(&self) -> Option<&str> {
        if self.surface == CUSTOM {
            self.custom.as_deref()
        } else {
            None
        }
    }

    /// Switch to the custom surface with expression `expr` (trimmed), or explain what is wrong
    /// with it (key `surface custom: f`, message with the character position) and change
    /// nothing. A start point given for another surface is kept only if it has 2 coordinates.
    pub fn set_custom(&mut self, expr: &str) -> Result<(), ScenarioError> {
        let expr = parse_custom_expression(expr)?;
        self.surface = CUSTOM;
        self.surface_params = Vec::new();
        self.custom = Some(expr);
        if self.start.as_ref().is_some_and(|s| s.len() != 2) {
            self.start = None;
        }
        Ok(())
    }

    /// Build the objective. A custom surface whose expression is missing or does not parse
    /// (only possible for a hand-built `Scenario`) falls back to the default surface.
    pub fn build_objective(&self) -> Box<dyn Objective> {
        if self.surface == CUSTOM {
            if let Some(Ok(c)) = self.custom.as_deref().map(Custom::parse) {
                return Box::new(c);
            }
            let def = &SURFACES[0];
            let values: Vec<f64> = def.params.iter().map(|p| p.default).collect();
            return (def.build)(&values);
        }
        (self.surface_def().build)(&self.surface_params)
    }

    /// Build the objective and a run at step 0.
    pub fn build_run(&self) -> Run {
        let obj = self.build_objective();
        let start = match &self.start {
            Some(s) if s.len() == obj.dim() => s.clone(),
            _ => obj.info().start.clone(),
        };
        Run::new(obj, start, self.seed, self.stopping, &self.optimizers)
    }

    /// Strict decoding: the first problem is an error.
    pub fn parse(text: &str) -> Result<Scenario, ScenarioError> {
        let (s, errors) = Scenario::decode(text);
        match errors.into_iter().next() {
            Some(e) => Err(e),
            None => Ok(s),
        }
    }

    /// Lenient decoding: a scenario with defaults for whatever was wrong, and every problem.
    pub fn decode(text: &str) -> (Scenario, Vec<ScenarioError>) {
        let mut errors = Vec::new();
        let mut sc = Scenario::default();
        let text = text.trim();
        let text = text.strip_prefix('?').unwrap_or(text);
        if text.len() > MAX_TEXT_LEN {
            errors.push(err(
                "scenario",
                &text[..text.floor_char_boundary(60)],
                format!(
                    "is {} characters long; at most {MAX_TEXT_LEN} are allowed",
                    text.len()
                ),
            ));
            return (sc, errors);
        }
        let mut pairs: Vec<(String, String)> = Vec::new();
        for part in text.split('&').filter(|p| !p.trim().is_empty()) {
            let (k, v) = part.split_once('=').unwrap_or((part, ""));
            let k = percent_decode(k.trim());
            let v = percent_decode(v.trim());
            match (k, v) {
                (Ok(k), Ok(v)) => pairs.push((k, v)),
                (Err(m), _) => errors.push(err("key", part, m)),
                (Ok(k), Err(m)) => errors.push(err(k, part, m)),
            }
        }
        // A preset is the base; every other key overrides it (opt keys replace its optimizers).
        let mut presets = pairs.iter().filter(|(k, _)| k == "preset");
        if let Some((k, v)) = presets.next() {
            match crate::core::presets::preset(v) {
                Some(p) => match Scenario::parse(p.text) {
                    Ok(base) => sc = base,
                    Err(e) => errors.push(err(k, v, format!("preset is broken: {e}"))),
                },
                None => {
                    let names: Vec<&str> = crate::core::presets::PRESETS
                        .iter()
                        .map(|p| p.name)
                        .collect();
                    errors.push(err(
                        k,
                        v,
                        format!("unknown preset; choose one of {}", names.join(", ")),
                    ));
                }
            }
        }
        if let Some((k, v)) = presets.next() {
            errors.push(err(k, v, "is given twice; give one preset"));
        }
        // The surface first: start and batch sizes are checked against it.
        let mut seen_surface = false;
        for (k, v) in pairs.iter().filter(|(k, _)| k == "surface") {
            if seen_surface {
                errors.push(err(k, v, "is given twice; give one surface"));
                continue;
            }
            seen_surface = true;
            match parse_surface(v) {
                Ok((name, params, custom)) => {
                    if name != sc.surface || params != sc.surface_params || custom != sc.custom {
                        // A preset's start belongs to its own surface.
                        sc.start = None;
                    }
                    sc.surface = name;
                    sc.surface_params = params;
                    sc.custom = custom;
                }
                Err(e) => errors.push(e),
            }
        }
        let obj = sc.build_objective();
        let dim = obj.dim();
        let examples = obj.examples();
        drop(obj);
        // A preset's mini-batches may not fit an overriding surface: full batch instead.
        for o in &mut sc.optimizers {
            if o.source.batch_size.is_some_and(|m| m as usize > examples) {
                o.source.batch_size = None;
            }
        }
        let mut optimizers = Vec::new();
        let mut seen: Vec<&str> = Vec::new();
        for (k, v) in &pairs {
            let key = k.as_str();
            if !matches!(key, "opt" | "surface" | "preset") {
                if seen.contains(&key) {
                    errors.push(err(key, v, "is given twice; give it once"));
                    continue;
                }
                seen.push(key);
            }
            let result: Result<(), ScenarioError> = match key {
                "surface" | "preset" => Ok(()),
                "v" => {
                    if v == "1" {
                        Ok(())
                    } else {
                        Err(err(
                            key,
                            v,
                            "unsupported version; this playground reads v=1",
                        ))
                    }
                }
                "start" => parse_start(v, dim, sc.surface).map(|s| sc.start = Some(s)),
                "seed" => parse_int(key, v, 0, u32::MAX as u64).map(|x| sc.seed = x),
                "steps" => parse_int(key, v, 0, MAX_STEPS).map(|x| sc.stopping.max_steps = x),
                "gtol" => parse_range(key, v, 0.0, 1e6).map(|x| sc.stopping.grad_tol = x),
                "ltol" => parse_range(key, v, 0.0, 1e6).map(|x| sc.stopping.loss_tol = x),
                "title" => parse_title(v).map(|t| sc.title = t),
                "embed" => parse_bool(key, v).map(|b| sc.page.embed = b),
                "show" => parse_show(v).map(|s| sc.page.show = Some(s)),
                "log" => parse_bool(key, v).map(|b| sc.page.log_loss = b),
                "eff" => parse_bool(key, v).map(|b| sc.page.effective_lr = b),
                "arrows" => parse_bool(key, v).map(|b| sc.page.arrows = b),
                "speed" => parse_int(key, v, 1, 1000).map(|x| sc.page.speed = x as u32),
                "view" => parse_view(v).map(|x| sc.page.view = Some(x)),
                "axis" => ["step", "epoch", "examples"]
                    .into_iter()
                    .find(|a| a == v)
                    .map(|a| sc.page.axis = a)
                    .ok_or_else(|| err(key, v, "must be step, epoch or examples")),
                "opt" => {
                    let index = optimizers.len() + 1;
                    if optimizers.len() >= MAX_OPTIMIZERS {
                        Err(err(
                            "opt",
                            v,
                            format!("too many optimizers; at most {MAX_OPTIMIZERS} are allowed"),
                        ))
                    } else {
                        let (cfg, errs) = parse_optimizer(v, index, examples);
                        errors.extend(errs);
                        if let Some(c) = cfg {
                            optimizers.push(c);
                        }
                        Ok(())
                    }
                }
                _ => Err(err(
                    key,
                    v,
                    format!("unknown key; the keys are {}", KEYS.join(", ")),
                )),
            };
            if let Err(e) = result {
                errors.push(e);
            }
        }
        if !optimizers.is_empty() {
            sc.optimizers = optimizers;
        }
        (sc, errors)
    }

    /// Canonical text: every rule parameter written out, so a link replays the same run even
    /// if defaults change; source and schedule keys only when not the default.
    pub fn to_text(&self) -> String {
        let mut out = String::from("v=1&surface=");
        out.push_str(self.surface);
        let def = self.surface_def();
        if self.surface == CUSTOM {
            out.push_str(":f=");
            out.push_str(&percent_encode(self.custom.as_deref().unwrap_or_default()));
        } else if !def.params.is_empty() {
            out.push(':');
            let parts: Vec<String> = def
                .params
                .iter()
                .zip(&self.surface_params)
                .map(|(p, v)| format!("{}={}", p.name, fmt_num(*v)))
                .collect();
            out.push_str(&parts.join(","));
        }
        if let Some(start) = &self.start {
            out.push_str("&start=");
            out.push_str(&join_nums(start));
        }
        out.push_str(&format!(
            "&seed={}&steps={}",
            self.seed, self.stopping.max_steps
        ));
        if self.stopping.grad_tol != defaults::GTOL {
            out.push_str(&format!("&gtol={}", fmt_num(self.stopping.grad_tol)));
        }
        if self.stopping.loss_tol != defaults::LTOL {
            out.push_str(&format!("&ltol={}", fmt_num(self.stopping.loss_tol)));
        }
        for o in &self.optimizers {
            out.push_str("&opt=");
            out.push_str(&optimizer_text(o));
        }
        if let Some(t) = &self.title {
            out.push_str("&title=");
            out.push_str(&percent_encode(t));
        }
        self.page.to_text(&mut out);
        out
    }
}

/// `rule:lr=…,…` of one optimizer, every rule parameter written out.
pub fn optimizer_text(o: &OptimizerConfig) -> String {
    let mut parts = vec![format!("lr={}", fmt_num(o.learning_rate))];
    match o.rule {
        Rule::Gd(_) => {}
        Rule::Momentum(m) | Rule::Nesterov(Nesterov(m)) => {
            parts.push(format!("gamma={}", fmt_num(m.gamma)));
            if m.warmup > 0 {
                parts.push(format!("gamma0={}", fmt_num(m.gamma0)));
                parts.push(format!("warmup={}", m.warmup));
            }
        }
        Rule::Adagrad(a) => parts.push(format!("delta={}", fmt_num(a.delta))),
        Rule::RmsProp(r) => {
            parts.push(format!("rho={}", fmt_num(r.rho)));
            parts.push(format!("delta={}", fmt_num(r.delta)));
        }
        Rule::Adam(a) => {
            parts.push(format!("rho1={}", fmt_num(a.rho1)));
            parts.push(format!("rho2={}", fmt_num(a.rho2)));
            parts.push(format!("delta={}", fmt_num(a.delta)));
            parts.push(format!("bias_correction={}", a.bias_correction));
        }
    }
    if let Some(m) = o.source.batch_size {
        parts.push(format!("batch={m}"));
    }
    if o.source.noise != 0.0 {
        parts.push(format!("noise={}", fmt_num(o.source.noise)));
    }
    match o.schedule {
        Schedule::Constant => {}
        Schedule::Step {
            every,
            factor,
            on_increase,
        } => {
            parts.push("schedule=step".into());
            if on_increase {
                parts.push("on_increase=true".into());
            } else {
                parts.push(format!("every={every}"));
            }
            parts.push(format!("factor={}", fmt_num(factor)));
        }
        Schedule::Exp { k } => parts.push(format!("schedule=exp,k={}", fmt_num(k))),
        Schedule::Inv { k } => parts.push(format!("schedule=inv,k={}", fmt_num(k))),
    }
    format!("{}:{}", o.rule.kind().name(), parts.join(","))
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

fn join_nums(xs: &[f64]) -> String {
    xs.iter().map(|x| fmt_num(*x)).collect::<Vec<_>>().join(",")
}

/// A finite number, or an error naming the key.
fn parse_number(key: &str, text: &str) -> Result<f64, ScenarioError> {
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

fn parse_range(key: &str, text: &str, lo: f64, hi: f64) -> Result<f64, ScenarioError> {
    let x = parse_number(key, text)?;
    if x < lo || x > hi {
        return Err(err(
            key,
            text,
            format!("must be a number in [{}, {}]", fmt_num(lo), fmt_num(hi)),
        ));
    }
    Ok(x)
}

fn parse_int(key: &str, text: &str, lo: u64, hi: u64) -> Result<u64, ScenarioError> {
    let t = text.trim();
    let msg = || format!("must be a whole number in [{lo}, {hi}]");
    if t.is_empty() || t.len() > 20 || !t.bytes().all(|b| b.is_ascii_digit()) {
        return Err(err(key, text, msg()));
    }
    match t.parse::<u64>() {
        Ok(x) if (lo..=hi).contains(&x) => Ok(x),
        _ => Err(err(key, text, msg())),
    }
}

fn parse_bool(key: &str, text: &str) -> Result<bool, ScenarioError> {
    match text.trim() {
        "true" | "1" => Ok(true),
        "false" | "0" => Ok(false),
        _ => Err(err(key, text, "must be true or false")),
    }
}

fn parse_title(text: &str) -> Result<Option<String>, ScenarioError> {
    let t = text.trim();
    if t.chars().count() > MAX_TITLE_LEN {
        return Err(err(
            "title",
            text,
            format!("is too long; at most {MAX_TITLE_LEN} characters"),
        ));
    }
    if t.chars().any(|c| c.is_control()) {
        return Err(err("title", text, "must not contain control characters"));
    }
    Ok((!t.is_empty()).then(|| t.to_string()))
}

fn parse_start(text: &str, dim: usize, surface: &str) -> Result<Vec<f64>, ScenarioError> {
    let parts: Vec<&str> = text.split(',').collect();
    if parts.len() != dim {
        return Err(err(
            "start",
            text,
            format!(
                "needs {dim} comma-separated numbers for surface {surface}, got {}",
                parts.len()
            ),
        ));
    }
    parts
        .iter()
        .map(|p| {
            let x = parse_number("start", p).map_err(|e| err("start", text, e.message))?;
            if x.abs() > MAX_START {
                Err(err(
                    "start",
                    text,
                    format!("coordinates must lie in [-{MAX_START:e}, {MAX_START:e}]"),
                ))
            } else {
                Ok(x)
            }
        })
        .collect()
}

/// `name:k=v,k=v` split into the name and its key/value pairs.
type Spec<'a> = (&'a str, Vec<(&'a str, &'a str)>);

/// Split `name:k=v,k=v` into the name and its key/value pairs.
fn split_spec<'a>(key: &str, text: &'a str) -> Result<Spec<'a>, ScenarioError> {
    let (name, rest) = text.split_once(':').unwrap_or((text, ""));
    let mut kvs = Vec::new();
    for item in rest.split(',').filter(|s| !s.trim().is_empty()) {
        match item.split_once('=') {
            Some((k, v)) => kvs.push((k.trim(), v.trim())),
            None => {
                return Err(err(
                    key,
                    text,
                    format!("`{item}` should be name=value, e.g. lr=0.01"),
                ))
            }
        }
    }
    Ok((name.trim(), kvs))
}

/// How to write the custom surface, for error messages.
const CUSTOM_HOWTO: &str =
    "write surface=custom:f=EXPR with an expression in x and y, e.g. surface=custom:f=x^2+3*y^2";

/// Key of errors in a custom surface's expression.
pub const CUSTOM_KEY: &str = "surface custom: f";

/// Check a custom surface's expression; the trimmed text, or an error with its position.
fn parse_custom_expression(expr: &str) -> Result<String, ScenarioError> {
    let expr = expr.trim();
    match Expr::parse(expr) {
        Ok(_) => Ok(expr.to_string()),
        Err(e) => Err(err(CUSTOM_KEY, expr, e.to_string())),
    }
}

/// `custom:f=EXPR`: everything after `f=` is the expression (it may hold `,`, `=`, `(`…).
fn parse_custom(text: &str, rest: Option<&str>) -> Result<String, ScenarioError> {
    let expr = rest
        .map(str::trim_start)
        .and_then(|r| r.strip_prefix('f'))
        .map(str::trim_start)
        .and_then(|r| r.strip_prefix('='));
    match expr {
        Some(expr) => parse_custom_expression(expr),
        None => Err(err(
            "surface custom",
            text,
            format!("needs its expression: {CUSTOM_HOWTO}"),
        )),
    }
}

/// A surface's registry name, parameter values and, for the custom surface, its expression.
type SurfaceChoice = (&'static str, Vec<f64>, Option<String>);

fn parse_surface(text: &str) -> Result<SurfaceChoice, ScenarioError> {
    let (name, rest) = match text.split_once(':') {
        Some((n, r)) => (n, Some(r)),
        None => (text, None),
    };
    if name.trim() == CUSTOM {
        return parse_custom(text, rest).map(|e| (CUSTOM, Vec::new(), Some(e)));
    }
    let (name, kvs) = split_spec("surface", text)?;
    let names: Vec<&str> = SURFACES.iter().map(|d| d.name).collect();
    let def = surface_def(name).ok_or_else(|| {
        err(
            "surface",
            text,
            format!(
                "unknown surface; choose one of {}, or custom:f=EXPR (your own f(x, y))",
                names.join(", ")
            ),
        )
    })?;
    let mut values: Vec<f64> = def.params.iter().map(|p| p.default).collect();
    let mut given: Vec<&str> = Vec::new();
    for (k, v) in kvs {
        let key = format!("surface {name}: {k}");
        let Some(i) = def.params.iter().position(|p| p.name == k) else {
            let allowed: Vec<&str> = def.params.iter().map(|p| p.name).collect();
            return Err(err(
                key,
                v,
                if allowed.is_empty() {
                    format!("{name} has no parameters")
                } else {
                    format!("unknown parameter; {name} takes {}", allowed.join(", "))
                },
            ));
        };
        if given.contains(&k) {
            return Err(err(key, v, "is given twice"));
        }
        given.push(k);
        let p = &def.params[i];
        let x = parse_number(&key, v)?;
        if x < p.min || x > p.max || (p.integer && x.fract() != 0.0) {
            let kind = if p.integer {
                "a whole number"
            } else {
                "a number"
            };
            return Err(err(
                key,
                v,
                format!("must be {kind} in [{}, {}]", fmt_num(p.min), fmt_num(p.max)),
            ));
        }
        values[i] = x;
    }
    Ok((def.name, values, None))
}

/// Decode one `opt=` value. Returns the configuration (with defaults in place of bad
/// parameters) unless the rule itself is unknown, and every problem found.
fn parse_optimizer(
    text: &str,
    index: usize,
    examples: usize,
) -> (Option<OptimizerConfig>, Vec<ScenarioError>) {
    let mut errors = Vec::new();
    let (name, kvs) = match split_spec(&format!("opt {index}"), text) {
        Ok(x) => x,
        Err(e) => return (None, vec![e]),
    };
    let Some(kind) = RuleKind::from_name(name) else {
        let names: Vec<&str> = RuleKind::ALL.iter().map(|r| r.name()).collect();
        return (
            None,
            vec![err(
                format!("opt {index}"),
                text,
                format!("unknown rule `{name}`; choose one of {}", names.join(", ")),
            )],
        );
    };
    let mut cfg = default_optimizer(kind);
    let ctx = |k: &str| format!("opt {index} ({name}): {k}");
    let knobs = rule_knobs(kind);
    let mut given: Vec<&str> = Vec::new();
    // First pass: which schedule, so its parameters can be checked against it.
    let mut schedule_name = "constant";
    for (k, v) in &kvs {
        if *k == "schedule" {
            match *v {
                "constant" | "step" | "exp" | "inv" => schedule_name = v,
                _ => errors.push(err(
                    ctx(k),
                    v,
                    "unknown schedule; choose constant, step, exp or inv",
                )),
            }
        }
    }
    let (mut every, mut factor, mut on_increase, mut k_rate) =
        (defaults::EVERY, defaults::FACTOR, false, defaults::K);
    let (mut gamma, mut gamma0, mut warmup) = (defaults::GAMMA, None, 0u64);
    let (mut rho, mut rho1, mut rho2, mut delta, mut bias) = (
        defaults::RMSPROP_RHO,
        defaults::RHO1,
        defaults::RHO2,
        None,
        true,
    );
    for (k, v) in &kvs {
        let key = ctx(k);
        if given.contains(k) {
            errors.push(err(key, v, "is given twice"));
            continue;
        }
        given.push(k);
        let applies = |list: &[&str]| list.contains(&schedule_name);
        let r: Result<(), ScenarioError> = match *k {
            "schedule" => Ok(()),
            "lr" => LR.check(&key, v).map(|x| cfg.learning_rate = x),
            "noise" => NOISE.check(&key, v).map(|x| cfg.source.noise = x),
            "batch" => {
                if examples == 0 {
                    Err(err(
                        key,
                        v,
                        "mini-batches need a data-set surface (neuron, sparse, linreg, deeplinear, svm); on analytic surfaces use noise=σ",
                    ))
                } else {
                    BATCH.check(&key, v).and_then(|x| {
                        if x as usize > examples {
                            Err(err(
                                ctx(k),
                                v,
                                format!("must be a whole number in [1, {examples}] (N of this data set)"),
                            ))
                        } else {
                            cfg.source.batch_size = Some(x as u32);
                            Ok(())
                        }
                    })
                }
            }
            "every" if applies(&["step"]) => EVERY.check(&key, v).map(|x| every = x as u64),
            "factor" if applies(&["step"]) => FACTOR.check(&key, v).map(|x| factor = x),
            "on_increase" if applies(&["step"]) => parse_bool(&key, v).map(|b| on_increase = b),
            "k" if applies(&["exp", "inv"]) => K.check(&key, v).map(|x| k_rate = x),
            "every" | "factor" | "on_increase" => {
                Err(err(key, v, "applies only with schedule=step"))
            }
            "k" => Err(err(
                key,
                v,
                "applies only with schedule=exp or schedule=inv",
            )),
            "bias_correction" if kind == RuleKind::Adam => parse_bool(&key, v).map(|b| bias = b),
            _ => match knobs.iter().find(|kn| kn.name == *k) {
                Some(kn) => kn.check(&key, v).map(|x| match kn.name {
                    "gamma" => gamma = x,
                    "gamma0" => gamma0 = Some(x),
                    "warmup" => warmup = x as u64,
                    "rho" => rho = x,
                    "rho1" => rho1 = x,
                    "rho2" => rho2 = x,
                    _ => delta = Some(x),
                }),
                None => {
                    let mut allowed: Vec<&str> = vec!["lr"];
                    allowed.extend(knobs.iter().map(|kn| kn.name));
                    if kind == RuleKind::Adam {
                        allowed.push("bias_correction");
                    }
                    allowed.extend([
                        "batch",
                        "noise",
                        "schedule",
                        "every",
                        "factor",
                        "on_increase",
                        "k",
                    ]);
                    Err(err(
                        key,
                        v,
                        format!(
                            "unknown parameter for {name}; it takes {}",
                            allowed.join(", ")
                        ),
                    ))
                }
            },
        };
        if let Err(e) = r {
            errors.push(e);
        }
    }
    cfg.schedule = match schedule_name {
        "step" => Schedule::Step {
            every,
            factor,
            on_increase,
        },
        "exp" => Schedule::Exp { k: k_rate },
        "inv" => Schedule::Inv { k: k_rate },
        _ => Schedule::Constant,
    };
    // γ₀ only acts during a warm-up; without one it is γ (so the text stays canonical).
    let momentum = Momentum {
        gamma,
        gamma0: if warmup > 0 {
            gamma0.unwrap_or(gamma)
        } else {
            gamma
        },
        warmup,
    };
    cfg.rule = match kind {
        RuleKind::Gd => Rule::Gd(Gd),
        RuleKind::Momentum => Rule::Momentum(momentum),
        RuleKind::Nesterov => Rule::Nesterov(Nesterov(momentum)),
        RuleKind::Adagrad => Rule::Adagrad(Adagrad {
            delta: delta.unwrap_or(defaults::ADAGRAD_DELTA),
        }),
        RuleKind::RmsProp => Rule::RmsProp(RmsProp {
            rho,
            delta: delta.unwrap_or(defaults::RMSPROP_DELTA),
        }),
        RuleKind::Adam => Rule::Adam(Adam {
            rho1,
            rho2,
            delta: delta.unwrap_or(defaults::ADAM_DELTA),
            bias_correction: bias,
        }),
    };
    (Some(cfg), errors)
}

/// Percent-decode (RFC 3986; `+` stays `+`). Rejects malformed escapes and invalid UTF-8.
pub fn percent_decode(s: &str) -> Result<String, String> {
    if !s.contains('%') {
        return Ok(s.to_string());
    }
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' {
            let hex = |c: u8| (c as char).to_digit(16);
            match (
                b.get(i + 1).and_then(|c| hex(*c)),
                b.get(i + 2).and_then(|c| hex(*c)),
            ) {
                (Some(h), Some(l)) => {
                    out.push((h * 16 + l) as u8);
                    i += 3;
                }
                _ => return Err("has a malformed %-escape (write %XX with two hex digits)".into()),
            }
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    String::from_utf8(out).map_err(|_| "decodes to invalid UTF-8".to_string())
}

/// Percent-encode everything but letters, digits and `-._~:,()!*'` (readable links).
pub fn percent_encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for &b in s.as_bytes() {
        if b.is_ascii_alphanumeric() || b"-._~:,()!*'".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Decode one optimizer's text (`adam:lr=0.05,rho1=0.9`) on its own, for scripted use
/// outside a scenario. Mini-batches need a data set, so `batch` is refused here.
pub fn parse_optimizer_text(text: &str) -> Result<OptimizerConfig, ScenarioError> {
    let (cfg, errors) = parse_optimizer(text, 1, 0);
    match (cfg, errors.into_iter().next()) {
        (_, Some(e)) => Err(e),
        (Some(c), None) => Ok(c),
        (None, None) => Err(err("opt", text, "could not be read")),
    }
}
