//! The page's handle on a running scenario. The page edits the scenario only through the
//! narrow calls here (`setParam`, `setKey`, `setSurface`, `addOptimizer`, …), each checked by
//! the parameter table and returning what changed, so Rust is the only writer of scenario text.

use wasm_bindgen::prelude::*;

use super::canvas::Scratch;
use super::dto::{self, to_js};
use crate::core::catalog::Config;
use crate::core::challenge::{progress, tour_stops, Goal, Verdict};
use crate::core::geometry::{local_geometry, stability_limit, PointKind};
use crate::core::label::{line_names, same_point_as};
use crate::core::numtext::Exp;
use crate::core::objective::axis_names;
use crate::core::param::fmt_num;
use crate::core::run::{Run, Status};
use crate::core::scenario::{
    optimizer_text, Change, Scenario, ScenarioError, MAX_FILE_LEN, MAX_START,
};
use crate::render::colour::optimizer_css;
use crate::render::contour::Contour;
use crate::render::field::{Field, Scale};
use crate::render::trails::TrailCache;

pub(crate) fn js_err(e: impl std::fmt::Display) -> JsError {
    JsError::new(&e.to_string())
}

/// The cached background layer: samples, colour scale, contour lines and heatmap pixels.
pub(crate) struct Background {
    pub key: String,
    pub field: Field,
    pub scale: Scale,
    pub lines: Vec<Contour>,
    pub rgba: Vec<u8>,
}

/// A scenario in the page: the run, its view box, and cached drawing state.
#[wasm_bindgen]
pub struct Playground {
    pub(crate) scenario: Scenario,
    pub(crate) run: Run,
    notices: Vec<ScenarioError>,
    pub(crate) background: Option<Background>,
    /// Device-pixel size of the contour canvas (last drawn, or set by `setPlotSize`) and its
    /// device-pixel ratio: `toData` maps the pointer through the plot rectangle they give.
    pub(crate) plot: Option<(u32, u32)>,
    pub(crate) dpr: f64,
    pub(crate) scratch: Scratch,
    pub(crate) paths: Vec<Vec<f64>>,
    /// What the trail layer's canvas holds (`drawTrails`).
    pub(crate) trails: TrailCache,
    /// Point whose Hessian eigen-directions the overlay shows (the cursor).
    pub(crate) hover: Option<(f64, f64)>,
    /// Coarse samples for the 3-D view, keyed like the background.
    pub(crate) coarse: Option<(String, Field, Scale)>,
    /// `setLazy`: updates are owed, not made, until something reads the run.
    lazy: bool,
    /// Updates asked for (by `step` or an edit's recompute) and not yet made.
    owed: u64,
}

impl Playground {
    fn from_scenario(scenario: Scenario, notices: Vec<ScenarioError>) -> Playground {
        let run = scenario.build_run();
        Playground {
            scenario,
            run,
            notices,
            background: None,
            plot: None,
            dpr: 1.0,
            scratch: Scratch::default(),
            paths: Vec::new(),
            trails: TrailCache::default(),
            hover: None,
            coarse: None,
            lazy: false,
            owed: 0,
        }
    }

    /// The view box: the scenario's `view=`, else the surface's default.
    pub(crate) fn view(&self) -> [f64; 4] {
        self.scenario
            .page
            .view
            .unwrap_or(self.run.objective.info().view)
    }

    pub(crate) fn is_data_view(&self) -> bool {
        self.run.objective.points().is_some()
    }

    /// Make the updates owed (`setLazy`): called before anything reads the run.
    pub(crate) fn catch_up(&mut self) {
        if self.owed > 0 {
            self.run.advance(self.owed);
            self.owed = 0;
        }
    }

    /// Advance by up to `n` updates now, or owe them (`setLazy`).
    fn advance(&mut self, n: u64) {
        if self.lazy {
            // No further than the step limit, where every optimizer stops.
            let room = self
                .scenario
                .stopping
                .max_steps
                .saturating_sub(self.current_step());
            self.owed = (self.owed + n).min(room);
        } else {
            self.run.advance(n);
        }
    }

    /// The furthest step any optimizer has reached (not counting updates owed).
    /// The scenario as the full playground opens it: without the embed's page options.
    fn outside_embed(&self) -> Scenario {
        let mut s = self.scenario.clone();
        s.page.embed = false;
        s.page.show = None;
        s.page.autoheight = false;
        s.page.origin = None;
        s
    }

    pub(crate) fn current_step(&self) -> u64 {
        self.run.tracks.iter().map(|t| t.step).max().unwrap_or(0)
    }

    /// Install `next`: the run is rebuilt only when more than page options changed, and then
    /// brought back to the step it had reached (unless the surface changed: a new surface
    /// starts at step 0).
    fn install(&mut self, next: Scenario) -> Change {
        let mut change = Change::between(&self.scenario, &next);
        // Owed updates count as made: a lazy handle does not make them to learn whether every
        // optimizer would have stopped before them (an eager one returns to where they stopped).
        let step = self.current_step() + self.owed;
        self.scenario = next;
        if change.restarted {
            self.run = self.scenario.build_run();
            self.owed = 0;
            if !change.surface {
                let keep = step.min(self.scenario.stopping.max_steps);
                self.advance(keep);
                change.step = keep;
            }
        } else {
            change.step = step;
        }
        if change.surface {
            self.background = None;
        }
        change
    }

    /// Apply an edit to a copy of the scenario; on error nothing changes.
    fn edit(
        &mut self,
        f: impl FnOnce(&mut Scenario) -> Result<(), ScenarioError>,
    ) -> Result<JsValue, JsError> {
        let mut next = self.scenario.clone();
        f(&mut next).map_err(js_err)?;
        let change = self.install(next);
        to_js(&change)
    }

    /// The warning for optimizer `i`: α above its rule's stability bound at the start point.
    fn warning(&self, i: usize, lambda_max: f64) -> Option<String> {
        let t = self.run.tracks.get(i)?;
        let (bound, formula) = stability_limit(&t.config.rule, lambda_max)?;
        let lr = t.config.learning_rate;
        (lr > bound).then(|| {
            format!(
                "α = {} is above {formula} = {} at the start: expect zig-zags or divergence there.",
                fmt_num(lr),
                fmt_short(bound)
            )
        })
    }
}

/// Three significant digits, for messages.
fn fmt_short(x: f64) -> String {
    if x == 0.0 || !x.is_finite() {
        return fmt_num(x);
    }
    let e = x.abs().log10().floor() as i32;
    if (1e-3..1e5).contains(&x.abs()) {
        let digits = (2 - e).max(0) as usize;
        format!("{x:.digits$}")
    } else {
        // d.dd × 10^e from a whole-number mantissa: integer printing only (core::fmt's
        // exponent forms of floats are code the module does not otherwise need).
        let mut m = (x.abs() / 10f64.powi(e) * 100.0).round() as i32;
        let mut e = e;
        if m >= 1000 {
            m = (m + 5) / 10;
            e += 1;
        }
        let sign = if x < 0.0 { "-" } else { "" };
        format!("{sign}{}.{:02}e{e}", m / 100, m % 100)
    }
}

#[wasm_bindgen]
impl Playground {
    /// A playground for `text` (scenario text, as long as a scenario file may be: the page's
    /// own texts carry data sets); any problem is an error naming the key.
    #[wasm_bindgen(constructor)]
    pub fn new(text: &str) -> Result<Playground, JsError> {
        let s = Scenario::parse_within(text, MAX_FILE_LEN).map_err(js_err)?;
        Ok(Playground::from_scenario(s, Vec::new()))
    }

    /// A playground for possibly bad text (a shared link): what was wrong falls back to
    /// defaults and is listed by `notices()`. Never fails.
    pub fn decode(text: &str) -> Playground {
        let (s, errors) = Scenario::decode(text);
        Playground::from_scenario(s, errors)
    }

    /// `decode` for a text as long as a scenario file may be: the page's own history entries,
    /// which carry data sets too large for a link.
    #[wasm_bindgen(js_name = decodeFile)]
    pub fn decode_file(text: &str) -> Playground {
        let (s, errors) = Scenario::decode_within(text, MAX_FILE_LEN);
        Playground::from_scenario(s, errors)
    }

    /// Problems found by `decode`: `[{key, value, message, text}]`.
    pub fn notices(&self) -> Result<JsValue, JsError> {
        let n: Vec<dto::Notice> = self
            .notices
            .iter()
            .map(|e| dto::Notice {
                key: e.key.clone(),
                value: e.value.clone(),
                message: e.message.clone(),
                text: e.to_string(),
            })
            .collect();
        to_js(&n)
    }

    /// The canonical scenario text (what a share link carries).
    pub fn text(&self) -> String {
        self.scenario.to_text()
    }

    /// The text without the embed options: the full playground's link from an embed.
    #[wasm_bindgen(js_name = fullText)]
    pub fn full_text(&self) -> String {
        self.outside_embed().to_text()
    }

    /// The text of a link to this moment: the scenario, opening at the current step (`t=`).
    #[wasm_bindgen(js_name = linkText)]
    pub fn link_text(&self, full: bool) -> String {
        let mut s = if full {
            self.outside_embed()
        } else {
            self.scenario.clone()
        };
        s.page.t = (self.current_step() + self.owed).min(crate::core::scenario::MAX_STEPS) as u32;
        s.to_text()
    }

    /// The text of an embed showing `views` (comma-separated view names).
    #[wasm_bindgen(js_name = embedText)]
    pub fn embed_text(&self, views: &str) -> Result<String, JsError> {
        let mut s = self.scenario.clone();
        s.set_key("embed", "1").map_err(js_err)?;
        s.set_key("show", views).map_err(js_err)?;
        Ok(s.to_text())
    }

    /// Replace the scenario (strict; as long as a scenario file may be, since the page's own
    /// history and opened files carry data sets); on error nothing changes. Returns what
    /// changed (`{restarted, surface, view, step}`).
    #[wasm_bindgen(js_name = setText)]
    pub fn set_text(&mut self, text: &str) -> Result<JsValue, JsError> {
        let s = Scenario::parse_within(text, MAX_FILE_LEN).map_err(js_err)?;
        let change = self.install(s);
        to_js(&change)
    }

    /// The current value of every setting, by catalog row: `{surface, expression,
    /// surface_params, keys, optimizers: [{rule, title, schedule, params}], text}`.
    pub fn config(&self) -> Result<JsValue, JsError> {
        to_js(&Config::of(&self.scenario))
    }

    /// Set parameter `key` of optimizer `i` (0-based) from the text typed.
    #[wasm_bindgen(js_name = setParam)]
    pub fn set_param(&mut self, i: usize, key: &str, value: &str) -> Result<JsValue, JsError> {
        self.edit(|s| s.set_opt_param(i, key, value))
    }

    /// Set a scenario or page key (`seed`, `steps`, `gtol`, `ltol`, `title`, `start`, `log`,
    /// `axis`, `eff`, `arrows`, `speed`, `show`, `embed`, `view`) from its text.
    #[wasm_bindgen(js_name = setKey)]
    pub fn set_key(&mut self, key: &str, value: &str) -> Result<JsValue, JsError> {
        self.edit(|s| s.set_key(key, value))
    }

    /// Use a shipped data set (`iris`), `data=` rows, or (empty) the generated examples.
    #[wasm_bindgen(js_name = setData)]
    pub fn set_data(&mut self, text: &str) -> Result<JsValue, JsError> {
        self.edit(|s| s.set_data(text))
    }

    /// Use the user's CSV as the surface's data set; errors name the line and column.
    #[wasm_bindgen(js_name = setDataCsv)]
    pub fn set_data_csv(&mut self, csv: &str) -> Result<JsValue, JsError> {
        self.edit(|s| s.set_data_csv(csv))
    }

    /// The rows in use as CSV with a header (empty for generated examples), to edit or save.
    #[wasm_bindgen(js_name = dataCsv)]
    pub fn data_csv(&self) -> String {
        self.scenario
            .data
            .as_ref()
            .map(|d| d.to_csv())
            .unwrap_or_default()
    }

    /// Switch to surface `name` with its defaults.
    #[wasm_bindgen(js_name = setSurface)]
    pub fn set_surface(&mut self, name: &str) -> Result<JsValue, JsError> {
        self.edit(|s| s.set_surface(name))
    }

    /// Set a parameter of the current surface.
    #[wasm_bindgen(js_name = setSurfaceParam)]
    pub fn set_surface_param(&mut self, key: &str, value: &str) -> Result<JsValue, JsError> {
        self.edit(|s| s.set_surface_param(key, value))
    }

    /// Use your own surface f(x, y); the error names the position of a mistake.
    #[wasm_bindgen(js_name = setExpression)]
    pub fn set_expression(&mut self, expr: &str) -> Result<JsValue, JsError> {
        self.edit(|s| s.set_expression(expr))
    }

    /// Change optimizer `i`'s rule (α, source and schedule stay).
    #[wasm_bindgen(js_name = setRule)]
    pub fn set_rule(&mut self, i: usize, rule: &str) -> Result<JsValue, JsError> {
        self.edit(|s| s.set_rule(i, rule))
    }

    /// Add an optimizer of `rule` ("" for the first rule not yet racing).
    #[wasm_bindgen(js_name = addOptimizer)]
    pub fn add_optimizer(&mut self, rule: &str) -> Result<JsValue, JsError> {
        self.edit(|s| s.add_optimizer(rule).map(|_| ()))
    }

    /// Insert a copy of optimizer `i` after it.
    #[wasm_bindgen(js_name = duplicateOptimizer)]
    pub fn duplicate_optimizer(&mut self, i: usize) -> Result<JsValue, JsError> {
        self.edit(|s| s.duplicate_optimizer(i).map(|_| ()))
    }

    /// Remove optimizer `i` (not the last one).
    #[wasm_bindgen(js_name = removeOptimizer)]
    pub fn remove_optimizer(&mut self, i: usize) -> Result<JsValue, JsError> {
        self.edit(|s| s.remove_optimizer(i))
    }

    /// Advance every running optimizer by up to `n` updates (lazily: see `setLazy`).
    pub fn step(&mut self, n: u32) {
        self.advance(n as u64);
    }

    /// With `lazy`, updates asked for (by `step`, or to bring an edited run back to its step)
    /// are owed and made only when something reads the run (`status`, `isRunning`, exports,
    /// drawing): the page's handle, whose runs the painter worker draws, reads them only for
    /// the status list, so a drag or a slider does not recompute them on the main thread.
    /// An edit returns to the step reached counting owed updates; it differs from an eager
    /// handle's only where every optimizer would have stopped within the owed updates.
    #[wasm_bindgen(js_name = setLazy)]
    pub fn set_lazy(&mut self, lazy: bool) {
        self.lazy = lazy;
        if !lazy {
            self.catch_up();
        }
    }

    /// Back to step 0 (same start, same random numbers).
    pub fn reset(&mut self) {
        self.owed = 0;
        self.run.reset();
    }

    /// Whether any optimizer can still move.
    #[wasm_bindgen(js_name = isRunning)]
    pub fn is_running(&mut self) -> bool {
        self.catch_up();
        self.run.is_running()
    }

    /// The furthest step any optimizer has reached, counting updates owed (`setLazy`).
    #[wasm_bindgen(js_name = currentStep)]
    pub fn current_step_js(&self) -> f64 {
        (self.current_step() + self.owed) as f64
    }

    /// Move the start point (first two parameters) and restart every optimizer there.
    #[wasm_bindgen(js_name = setStart)]
    pub fn set_start(&mut self, x: f64, y: f64) -> Result<(), JsError> {
        self.scenario
            .check_unlocked("start", "start", "")
            .map_err(js_err)?;
        if !(x.is_finite() && y.is_finite()) || x.abs() > MAX_START || y.abs() > MAX_START {
            return Err(JsError::new(&format!(
                "start = ({x}, {y}): coordinates must be finite and within ±{}",
                Exp(MAX_START)
            )));
        }
        let mut start = self.run.start.clone();
        start[0] = x;
        start[1] = y;
        self.scenario.start = Some(start.clone());
        self.owed = 0;
        self.run.restart_at(&start);
        // The heatmap of a slice (SVM) depends on the start; analytic ones do not.
        if self.run.objective.dim() > 2 {
            self.background = None;
        }
        Ok(())
    }

    /// Per optimizer, for its controls: a warning when α is above the rule's stability bound
    /// at the start point, else undefined. It depends on the settings only, so the page asks
    /// when they change, not with every status refresh.
    pub fn warnings(&self) -> Result<JsValue, JsError> {
        let obj = self.run.objective.as_ref();
        let lambda_max = if obj.dim() == 2 {
            local_geometry(obj, &self.run.start).eigenvalues[1]
        } else {
            f64::NAN
        };
        let w: Vec<Option<String>> = (0..self.run.tracks.len())
            .map(|i| self.warning(i, lambda_max))
            .collect();
        to_js(&w)
    }

    /// The challenge (`goal=`, `within=`) at the current step, or undefined without one:
    /// `{goal, within, step, best, best_by, state: "pending" | "passed" | "failed", passed_at, by}`.
    pub fn challenge(&mut self) -> Result<JsValue, JsError> {
        let page = &self.scenario.page;
        let Some(goal) = page.goal.as_deref().and_then(|g| Goal::parse(g).ok()) else {
            return Ok(JsValue::UNDEFINED);
        };
        let within = page.within;
        self.catch_up();
        let p = progress(&self.run, goal, within, self.current_step());
        let names = line_names(&self.scenario.optimizers);
        let name = |i: usize| names.get(i).cloned().unwrap_or_default();
        let (state, passed_at, by) = match p.verdict {
            Verdict::Pending => ("pending", None, None),
            Verdict::Passed { by, step } => ("passed", Some(step as f64), Some(by)),
            Verdict::Failed => ("failed", None, None),
        };
        to_js(&dto::Challenge {
            goal: goal.describe(),
            within: p.within.map(|w| w as f64),
            step: p.step as f64,
            best: p.best.map(|b| b.0),
            best_by: p.best.map(|b| name(b.1)),
            state,
            passed_at,
            by: by.map(name),
            by_index: by,
        })
    }

    /// The presets of the tour (`tour=`), in order; empty without one.
    #[wasm_bindgen(js_name = tourStops)]
    pub fn tour_stops(&self) -> Vec<String> {
        self.scenario
            .page
            .tour
            .as_deref()
            .and_then(|t| tour_stops(t).ok())
            .unwrap_or_default()
            .into_iter()
            .map(String::from)
            .collect()
    }

    /// Per optimizer: step, epoch, examples, loss, ‖∇L‖, α_t, state and status text, θ.
    pub fn status(&mut self) -> Result<JsValue, JsError> {
        self.catch_up();
        let obj = self.run.objective.as_ref();
        let names = line_names(&self.scenario.optimizers);
        let s: Vec<dto::Status> = self
            .run
            .tracks
            .iter()
            .zip(names)
            .enumerate()
            .map(|(i, (t, name))| dto::Status {
                index: i,
                rule: t.config.rule.kind().name(),
                title: t.config.rule.kind().title(),
                name,
                line: t.config.line(i),
                same_point_as: same_point_as(&self.run, i),
                text: optimizer_text(&t.config),
                colour: optimizer_css(t.config.line(i)),
                step: t.step as f64,
                epoch: t.epoch(obj),
                examples: t.examples as f64,
                loss: t.loss,
                batch_loss: t.batch_loss,
                grad_norm: t.grad_norm(),
                lr: t.lr,
                state: match t.status {
                    Status::Running => "running",
                    Status::Converged { .. } => "converged",
                    Status::Stopped { .. } => "stopped",
                    Status::AtCritical {
                        kind: PointKind::Maximum,
                        ..
                    } => "maximum",
                    Status::AtCritical { .. } => "saddle",
                    Status::Diverged { .. } => "diverged",
                },
                status: t.status.to_string(),
                theta: t.theta.clone(),
            })
            .collect();
        to_js(&s)
    }

    /// The surface: name, dimension, view boxes, start, critical points, axes.
    #[wasm_bindgen(js_name = surfaceInfo)]
    pub fn surface_info(&self) -> Result<JsValue, JsError> {
        let obj = self.run.objective.as_ref();
        let info = obj.info();
        let def = self.scenario.surface_def();
        to_js(&dto::SurfaceFacts {
            name: def.name,
            title: def.title,
            help: def.help,
            dim: obj.dim(),
            examples: obj.examples(),
            view: self.view(),
            default_view: info.view,
            start: self.run.start.clone(),
            critical: info
                .critical
                .iter()
                .map(|c| dto::Critical {
                    kind: c.kind.name(),
                    at: c.at.clone(),
                })
                .collect(),
            log_scale: info.log_scale,
            axes: axis_names(def.name),
            data_view: self.is_data_view(),
            non_finite_cells: self
                .background
                .as_ref()
                .map(|b| b.field.non_finite)
                .unwrap_or(0),
        })
    }

    /// Show `[x0, x1] × [y0, y1]` of the first two parameters.
    #[wasm_bindgen(js_name = setView)]
    pub fn set_view(&mut self, x0: f64, x1: f64, y0: f64, y1: f64) -> Result<(), JsError> {
        let ok = [x0, x1, y0, y1]
            .iter()
            .all(|v| v.is_finite() && v.abs() <= MAX_START)
            && x1 - x0 > 1e-9
            && y1 - y0 > 1e-9;
        if !ok {
            return Err(JsError::new(&format!(
                "view [{x0}, {x1}] × [{y0}, {y1}]: needs finite bounds within ±{} with min < max",
                Exp(MAX_START)
            )));
        }
        self.scenario.page.view = Some([x0, x1, y0, y1]);
        Ok(())
    }

    /// Zoom the view by `factor` (< 1 zooms in) about the data point (cx, cy).
    pub fn zoom(&mut self, factor: f64, cx: f64, cy: f64) -> Result<(), JsError> {
        if !(factor.is_finite() && factor > 0.0 && cx.is_finite() && cy.is_finite()) {
            return Err(JsError::new(
                "zoom needs a positive factor and a finite centre",
            ));
        }
        let v = self.view();
        let nv = [
            cx + (v[0] - cx) * factor,
            cx + (v[1] - cx) * factor,
            cy + (v[2] - cy) * factor,
            cy + (v[3] - cy) * factor,
        ];
        self.set_view(nv[0], nv[1], nv[2], nv[3])
    }

    /// Back to the surface's default view.
    #[wasm_bindgen(js_name = resetView)]
    pub fn reset_view(&mut self) {
        self.scenario.page.view = None;
    }

    /// The local geometry at data point (x, y) (other parameters at the start point): loss,
    /// gradient, Hessian eigenvalues and eigen-directions, classification and the GD
    /// stability bound 2/λ_max.
    #[wasm_bindgen(js_name = pointInfo)]
    pub fn point_info(&self, x: f64, y: f64) -> Result<JsValue, JsError> {
        if !(x.is_finite() && y.is_finite()) {
            return Err(JsError::new("the point must have finite coordinates"));
        }
        let mut p = self.run.start.clone();
        p[0] = x;
        p[1] = y;
        let g = local_geometry(self.run.objective.as_ref(), &p);
        to_js(&dto::Point {
            x,
            y,
            loss: g.loss,
            gradient: g.gradient,
            grad_norm: g.grad_norm,
            eigenvalues: g.eigenvalues,
            eigenvectors: g.eigenvectors,
            kind: g.describe(),
            critical: g.critical,
            stability_bound: g.stability_bound,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::fmt_short;

    #[test]
    fn three_significant_digits() {
        for (x, want) in [
            (0.2, "0.200"),
            (1.0 / 3.0, "0.333"),
            (2.0 / 3.0 * 1e4, "6667"),
            (123.456, "123"),
            (4.0e-5, "4.00e-5"),
            (-1.2345e7, "-1.23e7"),
            (9.996e-4, "1.00e-3"),
            (2.5e-10, "2.50e-10"),
            (0.0, "0"),
        ] {
            assert_eq!(fmt_short(x), want, "{want}");
        }
    }
}
