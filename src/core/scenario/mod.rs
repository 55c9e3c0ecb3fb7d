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

mod decode;
mod edit;
mod encode;
mod percent;
pub mod table;

pub use decode::{parse_optimizer_text, CUSTOM_KEY};
pub use edit::Change;
pub use encode::optimizer_text;
pub use percent::{percent_decode, percent_encode};
pub use table::{default_optimizer, PARAMS, SCHEDULES, VIEWS};

pub use crate::core::param::{fmt_num, MAX_COORD as MAX_START};

use crate::core::dataset::Dataset;
use crate::core::objective::{
    surface_def, Custom, Objective, SurfaceDef, CUSTOM, CUSTOM_DEF, SURFACES,
};
use crate::core::param::Scope;
use crate::core::run::{OptimizerConfig, Run, Stopping};

/// Longest scenario text a link may carry (characters).
pub const MAX_TEXT_LEN: usize = 16_384;
/// Longest scenario text of a scenario file or the CLI: room for the largest data set
/// (2,000 rows) with every other key.
pub const MAX_FILE_LEN: usize = 262_144;
/// Most optimizers in one scenario.
pub const MAX_OPTIMIZERS: usize = 16;
/// Most updates a scenario may ask for.
pub const MAX_STEPS: u64 = 10_000_000;
/// Longest title (characters).
pub const MAX_TITLE_LEN: usize = 200;
/// Most example gradients a scenario may ask for: steps × optimizers × N (see
/// [`Scenario::work`]). Far above every preset (the largest asks for 1.5·10⁵) and above any
/// scenario on an analytic surface (10⁷ steps × 16 optimizers × 1), it keeps a data-set
/// scenario to seconds of work instead of days (10⁷ × 16 × 10⁴ = 1.6·10¹² was possible).
pub const MAX_WORK: u64 = 200_000_000;

/// steps × optimizers × N (N = 1 without a data set): see [`Scenario::work`].
fn work(steps: u64, optimizers: usize, examples: usize) -> u64 {
    // 10⁷ steps × 16 × 10⁴ = 1.6·10¹² is far inside u64; saturating for hand-built counts.
    steps
        .saturating_mul(optimizers as u64)
        .saturating_mul(examples.max(1) as u64)
}

/// The most steps `optimizers` optimizers on `examples` examples may take within [`MAX_WORK`].
pub(crate) fn steps_within_work(optimizers: usize, examples: usize) -> u64 {
    (MAX_WORK / work(1, optimizers.max(1), examples)).min(MAX_STEPS)
}

/// Whether `steps` steps of `optimizers` optimizers on `examples` examples stay within
/// [`MAX_WORK`]; if not, an error on `steps` naming the product, the limit and the most steps
/// allowed. The decoder and every edit that adds steps, optimizers or examples ask it first.
pub(crate) fn check_work(
    steps: u64,
    optimizers: usize,
    examples: usize,
) -> Result<(), ScenarioError> {
    let total = work(steps, optimizers, examples);
    if total <= MAX_WORK {
        return Ok(());
    }
    Err(err(
        "steps",
        &steps.to_string(),
        format!(
            "{steps} steps × {optimizers} optimizers × N = {} is {total} example gradients; a \
             scenario may ask for at most {MAX_WORK}: here at most {} steps",
            examples.max(1),
            steps_within_work(optimizers, examples)
        ),
    ))
}

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

pub(crate) fn err(
    key: impl Into<String>,
    value: &str,
    message: impl Into<String>,
) -> ScenarioError {
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
    /// A data-set surface's own rows (`data=`) in place of its generated examples; only
    /// on a surface that takes data, with its columns.
    pub data: Option<Dataset>,
    /// Start point; `None` is the surface's default.
    pub start: Option<Vec<f64>>,
    pub seed: u64,
    pub stopping: Stopping,
    pub optimizers: Vec<OptimizerConfig>,
    /// Optional title shown above the playground (plain text, never markup).
    pub title: Option<String>,
    /// The preset this scenario started from (`preset=NAME`), whose note the page shows: kept
    /// through edits, dropped with the surface. Its text is written as the base of the link.
    pub preset: Option<&'static str>,
    /// How the page shows the scenario (ignored by the CLI, kept so links round-trip).
    pub page: PageOptions,
}

/// Page-only options carried in the scenario text: embedding, visible views, chart options,
/// animation speed and the view box. Each field is named as its key; the table has their
/// defaults, ranges and help.
#[derive(Debug, Clone, PartialEq)]
pub struct PageOptions {
    pub embed: bool,
    pub show: Option<Vec<&'static str>>,
    pub log: bool,
    pub axis: &'static str,
    pub eff: bool,
    pub arrows: bool,
    /// Updates per animation frame (a fraction: one every 1/speed frames).
    pub speed: f64,
    pub view: Option<[f64; 4]>,
    /// The step a link opens at (0: the start), so the receiver sees what the sender saw.
    pub t: u32,
    /// Embed: the frame is as tall as the page and tells its parent that height.
    pub autoheight: bool,
    /// Embed: the only parent origin whose commands are taken (and that events go to).
    pub origin: Option<String>,
    /// A challenge's goal (`loss<1e-3`), its step budget and the controls it keeps fixed.
    pub goal: Option<String>,
    pub within: Option<u64>,
    pub lock: Vec<&'static str>,
    /// A guided tour: `lessons` or preset names.
    pub tour: Option<String>,
    /// A sweep the page opens and runs (`phase,…` or `basins,…`, see [`crate::core::sweep_spec`]).
    pub sweep: Option<String>,
}

impl PageOptions {
    /// Every field empty, before the table's defaults are applied.
    pub(crate) fn blank() -> Self {
        PageOptions {
            embed: false,
            show: None,
            log: false,
            axis: "",
            eff: false,
            arrows: false,
            speed: 0.0,
            view: None,
            t: 0,
            autoheight: false,
            origin: None,
            goal: None,
            within: None,
            lock: Vec::new(),
            tour: None,
            sweep: None,
        }
    }
}

impl Default for PageOptions {
    fn default() -> Self {
        table::default_page()
    }
}

impl Scenario {
    /// The first surface with its defaults and nothing else set (the table fills the rest).
    pub(crate) fn blank() -> Self {
        let def = &SURFACES[0];
        Scenario {
            surface: def.name,
            surface_params: def.params.iter().map(|p| p.default_num()).collect(),
            custom: None,
            data: None,
            start: None,
            seed: 0,
            stopping: Stopping {
                max_steps: 0,
                grad_tol: 0.0,
                loss_tol: 0.0,
            },
            optimizers: Vec::new(),
            title: None,
            preset: None,
            page: PageOptions::blank(),
        }
    }
}

impl Default for Scenario {
    /// The first surface, one GD optimizer, every key at the table's default.
    fn default() -> Self {
        let mut s = Scenario::blank();
        table::apply_scenario_defaults(&mut s, Scope::Scenario);
        table::apply_scenario_defaults(&mut s, Scope::Page);
        s.optimizers = vec![default_optimizer(crate::core::optim::RuleKind::Gd)];
        s
    }
}

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
        let expr = decode::parse_custom_expression(expr)?;
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
            let values: Vec<f64> = def.params.iter().map(|p| p.default_num()).collect();
            return (def.build)(&values);
        }
        let def = self.surface_def();
        match (&self.data, &def.data) {
            (Some(d), Some(dd)) if d.columns == dd.columns => (dd.build)(&self.surface_params, d),
            _ => (def.build)(&self.surface_params),
        }
    }

    /// Build the objective and a run at step 0.
    pub fn build_run(&self) -> Run {
        let obj = self.build_objective();
        let start = self.start_on(obj.as_ref());
        Run::new(obj, start, self.seed, self.stopping, &self.optimizers)
    }

    /// The start point on `obj` (this scenario's surface): `start=` where it has the surface's
    /// dimension, else the surface's own.
    pub fn start_on(&self, obj: &dyn Objective) -> Vec<f64> {
        match &self.start {
            Some(s) if s.len() == obj.dim() => s.clone(),
            _ => obj.info().start.clone(),
        }
    }

    /// The example gradients the scenario asks for: steps × optimizers × N, N being the data
    /// set's size (1 on an analytic surface), because every update evaluates the loss and
    /// gradient on the whole data set at its new point (the loss curve's value). A mini-batch
    /// or Nesterov's look-ahead adds at most as much again.
    pub fn work(&self) -> u64 {
        work(
            self.stopping.max_steps,
            self.optimizers.len(),
            self.build_objective().examples(),
        )
    }

    /// Whether [`Scenario::work`] is within [`MAX_WORK`]; if not, an error on `steps` that
    /// names the product, the limit and the most steps allowed.
    pub fn check_work(&self) -> Result<(), ScenarioError> {
        check_work(
            self.stopping.max_steps,
            self.optimizers.len(),
            self.build_objective().examples(),
        )
    }

    /// With rows of its own, the surface's parameters of generated examples (`n`, `data_seed`)
    /// do not apply: they stay at their defaults, as the text (which leaves them out) reads.
    pub(crate) fn settle_data(&mut self) {
        let def = self.surface_def();
        if let (Some(_), Some(d)) = (&self.data, &def.data) {
            for (v, p) in self
                .surface_params
                .iter_mut()
                .zip(def.params)
                .take(d.generated)
            {
                *v = p.default_num();
            }
        }
    }

    /// Install a decoded surface choice; a start point belonging to another surface goes, and
    /// so do rows given for another surface.
    pub(crate) fn put_surface(&mut self, (name, params, custom): decode::SurfaceChoice) {
        if name != self.surface || params != self.surface_params || custom != self.custom {
            self.start = None;
        }
        if name != self.surface {
            self.data = None;
        }
        self.surface = name;
        self.surface_params = params;
        self.custom = custom;
    }
}
