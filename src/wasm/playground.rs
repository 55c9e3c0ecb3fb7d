//! The page's handle on a running scenario: config in (scenario text), `step(n)`, numbers out,
//! and drawing onto the canvases the page gives it.
//!
//! Rendering follows the fast path: the heatmap is a Rust RGBA buffer shown with one
//! `putImageData` (then scaled into the plot by `drawImage`); the background (heatmap,
//! contours, axes) is cached and redrawn only when the surface or view changes; the overlay
//! draws each path as one stroke, thinned to about one point per device pixel.

use plotters::prelude::*;
use plotters_canvas::CanvasBackend;
use wasm_bindgen::prelude::*;
use wasm_bindgen::{Clamped, JsCast};
use web_sys::{CanvasRenderingContext2d, HtmlCanvasElement, ImageData};

use super::json::{json_object, to_js};
use crate::core::export;
use crate::core::geometry::local_geometry;
use crate::core::objective::{axis_names, CriticalKind};
use crate::core::run::{Run, Status};
use crate::core::scenario::{optimizer_text, Scenario, ScenarioError, MAX_START};
use crate::render::colour::{optimizer_colour, optimizer_css};
use crate::render::contour::{contours, Contour};
use crate::render::field::{heatmap_rgba, Field, Scale};
use crate::render::views::{
    class_regions_rgba, contour_rect, draw_chart, draw_contour_frame, draw_data_view, draw_overlay,
    draw_surface_3d, EigenCross, Path3d, PathSpec, PlotRect, Series,
};

/// Number of contour levels drawn.
const LEVELS: usize = 14;
/// Upper bound on loss evaluations × examples for one heatmap, so data-set surfaces stay fast.
const SAMPLE_BUDGET: usize = 3_000_000;

struct Background {
    key: String,
    field: Field,
    scale: Scale,
    lines: Vec<Contour>,
    rgba: Vec<u8>,
}

/// A scenario in the page: the run, its view box, and cached drawing state.
#[wasm_bindgen]
pub struct Playground {
    scenario: Scenario,
    run: Run,
    notices: Vec<ScenarioError>,
    background: Option<Background>,
    /// Plot rectangle of the last contour/data view drawn, and its device-pixel ratio.
    rect: Option<PlotRect>,
    dpr: f64,
    scratch: Option<HtmlCanvasElement>,
    paths: Vec<Vec<f64>>,
    /// Point whose Hessian eigen-directions the overlay shows (the cursor).
    hover: Option<(f64, f64)>,
    /// Coarse samples for the 3-D view, keyed like the background.
    coarse: Option<(String, Field, Scale)>,
}

fn js_err(e: impl std::fmt::Display) -> JsError {
    JsError::new(&e.to_string())
}

fn context(canvas: &HtmlCanvasElement) -> Result<CanvasRenderingContext2d, JsError> {
    canvas
        .get_context("2d")
        .ok()
        .flatten()
        .and_then(|c| c.dyn_into::<CanvasRenderingContext2d>().ok())
        .ok_or_else(|| JsError::new("this canvas has no 2-D context"))
}

fn backend(canvas: &HtmlCanvasElement) -> Result<CanvasBackend, JsError> {
    CanvasBackend::with_canvas_object(canvas.clone())
        .ok_or_else(|| JsError::new("could not draw on this canvas"))
}

fn check_dpr(dpr: f64) -> Result<f64, JsError> {
    if dpr.is_finite() && (0.25..=8.0).contains(&dpr) {
        Ok(dpr)
    } else {
        Err(JsError::new(&format!(
            "dpr = {dpr}: the device-pixel ratio must be in [0.25, 8]"
        )))
    }
}

struct NoticeJs {
    key: String,
    value: String,
    message: String,
    text: String,
}
json_object!(NoticeJs {
    key,
    value,
    message,
    text
});

struct OptimizerJs {
    rule: &'static str,
    text: String,
    params: Vec<(String, String)>,
}
json_object!(OptimizerJs { rule, text, params });

struct PageJs {
    embed: bool,
    show: Option<Vec<&'static str>>,
    log: bool,
    axis: &'static str,
    eff: bool,
    arrows: bool,
    speed: u32,
    view: Option<[f64; 4]>,
}
json_object!(PageJs {
    embed,
    show,
    log,
    axis,
    eff,
    arrows,
    speed,
    view
});

struct ConfigJs {
    surface: &'static str,
    /// The expression of the custom surface (`surface=custom:f=…`).
    custom: Option<String>,
    surface_params: Vec<(String, String)>,
    start: Option<Vec<f64>>,
    seed: u64,
    steps: u64,
    title: Option<String>,
    optimizers: Vec<OptimizerJs>,
    page: PageJs,
}
json_object!(ConfigJs {
    surface,
    custom,
    surface_params,
    start,
    seed,
    steps,
    title,
    optimizers,
    page
});

struct StatusJs {
    index: usize,
    rule: &'static str,
    title: &'static str,
    text: String,
    colour: String,
    step: f64,
    epoch: f64,
    examples: f64,
    loss: f64,
    batch_loss: f64,
    grad_norm: f64,
    lr: f64,
    /// running | converged | stopped | diverged
    state: &'static str,
    /// "converged at step 37", "diverged at step 12 (…)", …
    status: String,
    theta: Vec<f64>,
}
json_object!(StatusJs {
    index,
    rule,
    title,
    text,
    colour,
    step,
    epoch,
    examples,
    loss,
    batch_loss,
    grad_norm,
    lr,
    state,
    status,
    theta
});

struct PointJs {
    x: f64,
    y: f64,
    loss: f64,
    gradient: [f64; 2],
    grad_norm: f64,
    eigenvalues: [f64; 2],
    eigenvectors: [[f64; 2]; 2],
    /// minimum | maximum | saddle | flat/degenerate
    kind: &'static str,
    critical: bool,
    stability_bound: f64,
}
json_object!(PointJs {
    x,
    y,
    loss,
    gradient,
    grad_norm,
    eigenvalues,
    eigenvectors,
    kind,
    critical,
    stability_bound
});

struct CriticalJs {
    kind: &'static str,
    at: Vec<f64>,
}
json_object!(CriticalJs { kind, at });

struct SurfaceInfoJs {
    name: &'static str,
    title: &'static str,
    help: &'static str,
    dim: usize,
    examples: usize,
    view: [f64; 4],
    default_view: [f64; 4],
    start: Vec<f64>,
    critical: Vec<CriticalJs>,
    log_scale: bool,
    axes: (&'static str, &'static str),
    /// The SVM classifier: drawn as data with decision regions instead of a contour.
    data_view: bool,
    /// Heatmap cells whose loss is not finite (reported, not drawn as colour).
    non_finite_cells: usize,
}
json_object!(SurfaceInfoJs {
    name,
    title,
    help,
    dim,
    examples,
    view,
    default_view,
    start,
    critical,
    log_scale,
    axes,
    data_view,
    non_finite_cells
});

/// Split `rule:k=v,k=v` into its pairs (the canonical text has no escapes).
fn pairs(spec: &str) -> Vec<(String, String)> {
    let rest = spec.split_once(':').map(|(_, r)| r).unwrap_or("");
    rest.split(',')
        .filter_map(|kv| kv.split_once('='))
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

impl Playground {
    fn from_scenario(scenario: Scenario, notices: Vec<ScenarioError>) -> Playground {
        let run = scenario.build_run();
        Playground {
            scenario,
            run,
            notices,
            background: None,
            rect: None,
            dpr: 1.0,
            scratch: None,
            paths: Vec::new(),
            hover: None,
            coarse: None,
        }
    }

    /// The view box: the scenario's `view=`, else the surface's default.
    fn view(&self) -> [f64; 4] {
        self.scenario
            .page
            .view
            .unwrap_or(self.run.objective.info().view)
    }

    fn is_data_view(&self) -> bool {
        self.run.objective.points().is_some()
    }

    /// Install a new scenario. The run is rebuilt only when something besides the page
    /// options changed (returns whether it was).
    fn replace(&mut self, scenario: Scenario) -> bool {
        let same_surface = scenario.surface == self.scenario.surface
            && scenario.surface_params == self.scenario.surface_params
            && scenario.custom == self.scenario.custom;
        let same_run = {
            let mut a = scenario.clone();
            a.page = self.scenario.page.clone();
            a == self.scenario
        };
        if !same_run {
            self.run = scenario.build_run();
        }
        if !same_surface {
            self.background = None;
        }
        self.scenario = scenario;
        !same_run
    }

    fn background_key(&self, nx: usize, ny: usize) -> String {
        format!(
            "{}|{:?}|{:?}|{:?}|{nx}x{ny}|{:?}",
            self.scenario.surface,
            self.scenario.surface_params,
            self.scenario.custom,
            self.view(),
            self.run.start
        )
    }

    fn scratch_canvas(&mut self, w: u32, h: u32) -> Result<HtmlCanvasElement, JsError> {
        if self.scratch.is_none() {
            let doc = web_sys::window()
                .and_then(|w| w.document())
                .ok_or_else(|| JsError::new("no document to draw in"))?;
            let c = doc
                .create_element("canvas")
                .map_err(|_| JsError::new("could not create a canvas"))?
                .dyn_into::<HtmlCanvasElement>()
                .map_err(|_| JsError::new("could not create a canvas"))?;
            self.scratch = Some(c);
        }
        let c = self
            .scratch
            .clone()
            .ok_or_else(|| JsError::new("could not create a canvas"))?;
        if c.width() != w || c.height() != h {
            c.set_width(w);
            c.set_height(h);
        }
        Ok(c)
    }

    /// Show an `nx × ny` RGBA buffer scaled into `rect` of `ctx`: one putImageData on a small
    /// scratch canvas, then one smoothed drawImage.
    fn blit(
        &mut self,
        ctx: &CanvasRenderingContext2d,
        rgba: &[u8],
        nx: usize,
        ny: usize,
        rect: &PlotRect,
        smooth: bool,
    ) -> Result<(), String> {
        let scratch = self
            .scratch_canvas(nx as u32, ny as u32)
            .map_err(|_| "could not create a canvas".to_string())?;
        let sctx = context(&scratch).map_err(|_| "no 2-D context".to_string())?;
        let img = ImageData::new_with_u8_clamped_array_and_sh(Clamped(rgba), nx as u32, ny as u32)
            .map_err(|_| "could not build the heatmap image".to_string())?;
        sctx.put_image_data(&img, 0.0, 0.0)
            .map_err(|_| "could not put the heatmap image".to_string())?;
        ctx.set_image_smoothing_enabled(smooth);
        ctx.draw_image_with_html_canvas_element_and_sw_and_sh_and_dx_and_dy_and_dw_and_dh(
            &scratch,
            0.0,
            0.0,
            nx as f64,
            ny as f64,
            rect.x0 as f64,
            rect.y0 as f64,
            rect.width() as f64,
            rect.height() as f64,
        )
        .map_err(|_| "could not draw the heatmap".to_string())?;
        ctx.set_image_smoothing_enabled(true);
        Ok(())
    }

    /// Sample resolution for a plot `w × h` device pixels: about one sample per 2 CSS pixels,
    /// fewer on data-set surfaces so the evaluation count stays within budget.
    fn resolution(&self, rect: &PlotRect, dpr: f64) -> (usize, usize) {
        let css = |v: i32| (v as f64 / dpr / 2.0).round() as usize;
        let (mut nx, mut ny) = (
            css(rect.width()).clamp(48, 320),
            css(rect.height()).clamp(48, 320),
        );
        let per = self.run.objective.examples().max(1);
        while nx * ny * per > SAMPLE_BUDGET && nx > 48 && ny > 48 {
            nx = nx * 4 / 5;
            ny = ny * 4 / 5;
        }
        (nx, ny)
    }

    fn ensure_background(&mut self, nx: usize, ny: usize) {
        let key = self.background_key(nx, ny);
        if self.background.as_ref().is_some_and(|b| b.key == key) {
            return;
        }
        let obj = self.run.objective.as_ref();
        let field = Field::sample(obj, self.view(), nx, ny, &self.run.start);
        let scale = Scale::new(&field, obj.info().log_scale);
        let lines = scale
            .levels(LEVELS)
            .into_iter()
            .flat_map(|l| contours(&field, l))
            .collect();
        let rgba = heatmap_rgba(&field, &scale);
        self.background = Some(Background {
            key,
            field,
            scale,
            lines,
            rgba,
        });
    }

    /// θ₀, θ₁ of every kept record plus the current point, non-finite points left out.
    fn collect_paths(&mut self) {
        self.paths.resize_with(self.run.tracks.len(), Vec::new);
        for (t, out) in self.run.tracks.iter().zip(self.paths.iter_mut()) {
            out.clear();
            let h = &t.history;
            for i in 0..h.len() {
                let p = h.params_at(i);
                if p[0].is_finite() && p[1].is_finite() {
                    out.extend_from_slice(&p[..2]);
                }
            }
            let last_step = h.len().checked_sub(1).map(|i| h.step(i));
            if last_step != Some(t.step) && t.theta[0].is_finite() && t.theta[1].is_finite() {
                out.extend_from_slice(&t.theta[..2]);
            }
        }
    }
}

#[wasm_bindgen]
impl Playground {
    /// A playground for `text` (scenario text); any problem is an error naming the key.
    #[wasm_bindgen(constructor)]
    pub fn new(text: &str) -> Result<Playground, JsError> {
        let s = Scenario::parse(text).map_err(js_err)?;
        Ok(Playground::from_scenario(s, Vec::new()))
    }

    /// A playground for possibly bad text (a shared link): what was wrong falls back to
    /// defaults and is listed by `notices()`. Never fails.
    pub fn decode(text: &str) -> Playground {
        let (s, errors) = Scenario::decode(text);
        Playground::from_scenario(s, errors)
    }

    /// Problems found by `decode`: `[{key, value, message, text}]`.
    pub fn notices(&self) -> Result<JsValue, JsError> {
        let n: Vec<NoticeJs> = self
            .notices
            .iter()
            .map(|e| NoticeJs {
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

    /// Replace the scenario (strict); on error nothing changes. Returns whether the run
    /// restarted (false when only page options such as `log` or `speed` changed).
    #[wasm_bindgen(js_name = setText)]
    pub fn set_text(&mut self, text: &str) -> Result<bool, JsError> {
        let s = Scenario::parse(text).map_err(js_err)?;
        Ok(self.replace(s))
    }

    /// The scenario as an object for the controls: surface and its parameters, start, seed,
    /// steps, title and each optimizer's rule and parameters (as exact text).
    pub fn config(&self) -> Result<JsValue, JsError> {
        let def = self.scenario.surface_def();
        let c = ConfigJs {
            surface: self.scenario.surface,
            custom: self.scenario.custom_expression().map(str::to_string),
            surface_params: def
                .params
                .iter()
                .zip(&self.scenario.surface_params)
                .map(|(p, v)| (p.name.to_string(), crate::core::scenario::fmt_num(*v)))
                .collect(),
            start: self.scenario.start.clone(),
            seed: self.scenario.seed,
            steps: self.scenario.stopping.max_steps,
            title: self.scenario.title.clone(),
            optimizers: self
                .scenario
                .optimizers
                .iter()
                .map(|o| {
                    let text = optimizer_text(o);
                    OptimizerJs {
                        rule: o.rule.kind().name(),
                        params: pairs(&text),
                        text,
                    }
                })
                .collect(),
            page: {
                let p = &self.scenario.page;
                PageJs {
                    embed: p.embed,
                    show: p.show.clone(),
                    log: p.log_loss,
                    axis: p.axis,
                    eff: p.effective_lr,
                    arrows: p.arrows,
                    speed: p.speed,
                    view: p.view,
                }
            },
        };
        to_js(&c)
    }

    /// Advance every running optimizer by up to `n` updates; returns the most any made.
    pub fn step(&mut self, n: u32) -> u32 {
        self.run.advance(n as u64) as u32
    }

    /// Back to step 0 (same start, same random numbers).
    pub fn reset(&mut self) {
        self.run.reset();
    }

    /// Whether any optimizer can still move.
    #[wasm_bindgen(js_name = isRunning)]
    pub fn is_running(&self) -> bool {
        self.run.is_running()
    }

    /// Move the start point (first two parameters) and restart every optimizer there.
    #[wasm_bindgen(js_name = setStart)]
    pub fn set_start(&mut self, x: f64, y: f64) -> Result<(), JsError> {
        if !(x.is_finite() && y.is_finite()) || x.abs() > MAX_START || y.abs() > MAX_START {
            return Err(JsError::new(&format!(
                "start = ({x}, {y}): coordinates must be finite and within ±{MAX_START:e}"
            )));
        }
        let mut start = self.run.start.clone();
        start[0] = x;
        start[1] = y;
        self.scenario.start = Some(start.clone());
        self.run.restart_at(&start);
        // The heatmap of a slice (SVM) depends on the start; analytic ones do not.
        if self.run.objective.dim() > 2 {
            self.background = None;
        }
        Ok(())
    }

    /// Per optimizer: step, epoch, examples, loss, ‖∇L‖, α_t, state and status text, θ.
    pub fn status(&self) -> Result<JsValue, JsError> {
        let obj = self.run.objective.as_ref();
        let s: Vec<StatusJs> = self
            .run
            .tracks
            .iter()
            .enumerate()
            .map(|(i, t)| StatusJs {
                index: i,
                rule: t.config.rule.kind().name(),
                title: t.config.rule.kind().title(),
                text: optimizer_text(&t.config),
                colour: optimizer_css(i),
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
        let s = SurfaceInfoJs {
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
                .map(|c| CriticalJs {
                    kind: match c.kind {
                        CriticalKind::Minimum => "minimum",
                        CriticalKind::Saddle => "saddle",
                        CriticalKind::Maximum => "maximum",
                    },
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
        };
        to_js(&s)
    }

    /// Show `[x0, x1] × [y0, y1]` of the first two parameters.
    #[wasm_bindgen(js_name = setView)]
    pub fn set_view(&mut self, x0: f64, x1: f64, y0: f64, y1: f64) -> Result<(), JsError> {
        let ok = [x0, x1, y0, y1]
            .iter()
            .all(|v| v.is_finite() && v.abs() <= 1e6)
            && x1 - x0 > 1e-9
            && y1 - y0 > 1e-9;
        if !ok {
            return Err(JsError::new(&format!(
                "view [{x0}, {x1}] × [{y0}, {y1}]: needs finite bounds within ±1e6 with min < max"
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

    /// Draw the background layer (heatmap, labelled contours, axes, critical points) on
    /// `canvas`, whose size is CSS size × `dpr`. Cheap when nothing changed since last time.
    #[wasm_bindgen(js_name = drawBackground)]
    pub fn draw_background(&mut self, canvas: &HtmlCanvasElement, dpr: f64) -> Result<(), JsError> {
        let dpr = check_dpr(dpr)?;
        self.dpr = dpr;
        let ctx = context(canvas)?;
        let rect = contour_rect(canvas.width(), canvas.height(), dpr, self.view());
        self.rect = Some(rect);
        if self.is_data_view() {
            // The SVM's data view changes every update; it is drawn by drawOverlay.
            ctx.clear_rect(0.0, 0.0, canvas.width() as f64, canvas.height() as f64);
            return Ok(());
        }
        let (nx, ny) = self.resolution(&rect, dpr);
        self.ensure_background(nx, ny);
        let bg = self
            .background
            .take()
            .ok_or_else(|| JsError::new("internal: no background"))?;
        let root = backend(canvas)?.into_drawing_area();
        let info = self.run.objective.info().clone();
        let axes = axis_names(self.scenario.surface);
        let view = self.view();
        let result = draw_contour_frame(
            &root,
            dpr,
            view,
            axes,
            &crate::render::views::ContourSet {
                lines: &bg.lines,
                scale: &bg.scale,
            },
            &info.critical,
            |r| self.blit(&ctx, &bg.rgba, bg.field.nx, bg.field.ny, r, true),
        );
        self.background = Some(bg);
        result.map_err(|e| JsError::new(&e))?;
        root.present().map_err(|e| js_err(format!("{e:?}")))?;
        Ok(())
    }

    /// Draw the per-frame layer on a transparent `canvas` stacked over the background: each
    /// optimizer's path and current point (Nesterov's look-ahead too), or for the SVM the data
    /// with the decision regions of optimizer `selected`.
    #[wasm_bindgen(js_name = drawOverlay)]
    pub fn draw_overlay(
        &mut self,
        canvas: &HtmlCanvasElement,
        dpr: f64,
        selected: usize,
    ) -> Result<(), JsError> {
        let dpr = check_dpr(dpr)?;
        let ctx = context(canvas)?;
        let (w, h) = (canvas.width(), canvas.height());
        ctx.clear_rect(0.0, 0.0, w as f64, h as f64);
        let root = backend(canvas)?.into_drawing_area();
        if let Some(points) = self.run.objective.points().map(|p| p.to_vec()) {
            let track = self
                .run
                .tracks
                .get(selected)
                .or_else(|| self.run.tracks.first())
                .ok_or_else(|| JsError::new("no optimizer to show"))?;
            let wts = track.theta.clone();
            let view = [-4.5, 4.5, -4.5, 4.5];
            let rect = contour_rect(w, h, dpr, view);
            let (nx, ny) = (
                (rect.width() as f64 / dpr / 3.0) as usize,
                (rect.height() as f64 / dpr / 3.0) as usize,
            );
            let (nx, ny) = (nx.clamp(16, 200), ny.clamp(16, 200));
            let rgba = class_regions_rgba(&wts, view, nx, ny);
            draw_data_view(&root, dpr, view, &points, |r| {
                self.blit(&ctx, &rgba, nx, ny, r, false)
            })
            .map_err(|e| JsError::new(&e))?;
            root.present().map_err(|e| js_err(format!("{e:?}")))?;
            return Ok(());
        }
        let rect = contour_rect(w, h, dpr, self.view());
        self.collect_paths();
        let arrows = self.scenario.page.arrows;
        let specs: Vec<PathSpec> = self
            .run
            .tracks
            .iter()
            .zip(&self.paths)
            .enumerate()
            .map(|(i, (t, xy))| PathSpec {
                colour: optimizer_colour(i),
                xy,
                lookahead: match t.config.rule {
                    crate::core::optim::Rule::Nesterov(_) if t.step > 0 => {
                        Some((t.state.lookahead[0], t.state.lookahead[1]))
                    }
                    _ => None,
                },
                diverged: matches!(t.status, Status::Diverged { .. }),
                gradient_step: (arrows && t.grad[0].is_finite() && t.grad[1].is_finite())
                    .then(|| (-t.lr * t.grad[0], -t.lr * t.grad[1])),
                velocity_step: match t.config.rule {
                    crate::core::optim::Rule::Momentum(_)
                    | crate::core::optim::Rule::Nesterov(_)
                        if arrows && t.step > 0 =>
                    {
                        Some((-t.state.v[0], -t.state.v[1]))
                    }
                    _ => None,
                },
            })
            .collect();
        let cross = self.hover.map(|(x, y)| {
            let mut p = self.run.start.clone();
            p[0] = x;
            p[1] = y;
            let g = local_geometry(self.run.objective.as_ref(), &p);
            EigenCross {
                at: (x, y),
                eigenvalues: g.eigenvalues,
                eigenvectors: g.eigenvectors,
            }
        });
        ctx.save();
        ctx.begin_path();
        ctx.rect(
            rect.x0 as f64,
            rect.y0 as f64,
            rect.width() as f64,
            rect.height() as f64,
        );
        ctx.clip();
        let start = (self.run.start[0], self.run.start[1]);
        let result = draw_overlay(&root, dpr, &rect, start, &specs, cross.as_ref());
        ctx.restore();
        result.map_err(|e| JsError::new(&e))?;
        Ok(())
    }

    /// Loss per optimizer against `axis` ("step", "epoch" or "examples"). With `log`, the
    /// loss above the lowest known value, L − L*, on a log axis.
    #[wasm_bindgen(js_name = drawLoss)]
    pub fn draw_loss(
        &self,
        canvas: &HtmlCanvasElement,
        dpr: f64,
        log: bool,
        axis: &str,
    ) -> Result<(), JsError> {
        let dpr = check_dpr(dpr)?;
        let n = self.run.objective.examples().max(1) as f64;
        let xs: Vec<Vec<f64>> = self
            .run
            .tracks
            .iter()
            .map(|t| {
                let h = &t.history;
                match axis {
                    "epoch" if self.run.objective.examples() > 0 => {
                        h.examples_seen().map(|e| e / n).collect()
                    }
                    "examples" if self.run.objective.examples() > 0 => h.examples_seen().collect(),
                    "step" | "epoch" | "examples" => h.steps().collect(),
                    _ => Vec::new(),
                }
            })
            .collect();
        if xs.iter().any(|x| x.is_empty()) && !self.run.tracks.is_empty() {
            return Err(JsError::new(&format!(
                "axis = \"{axis}\": choose step, epoch or examples"
            )));
        }
        let floor = if log { self.loss_floor() } else { 0.0 };
        let ys: Vec<Vec<f64>> = self
            .run
            .tracks
            .iter()
            .map(|t| t.history.losses().map(|l| l - floor).collect())
            .collect();
        let series: Vec<Series> = xs
            .iter()
            .zip(&ys)
            .enumerate()
            .map(|(i, (x, y))| Series {
                colour: optimizer_colour(i),
                xs: x,
                ys: y,
                dashed: false,
            })
            .collect();
        let x_desc = match axis {
            "epoch" if n > 1.0 => "epoch",
            "examples" if n > 1.0 => "examples seen",
            _ => "step",
        };
        let y_desc = if log { "loss − L* (log)" } else { "loss" };
        let root = backend(canvas)?.into_drawing_area();
        draw_chart(&root, dpr, &series, log, x_desc, y_desc).map_err(|e| JsError::new(&e))?;
        root.present().map_err(|e| js_err(format!("{e:?}")))?;
        Ok(())
    }

    /// α_t per optimizer against the step (log axis); with `effective`, also the adaptive
    /// rules' per-parameter rate α/(δ + √r), dashed, one line per coordinate.
    #[wasm_bindgen(js_name = drawLearningRate)]
    pub fn draw_learning_rate(
        &self,
        canvas: &HtmlCanvasElement,
        dpr: f64,
        effective: bool,
    ) -> Result<(), JsError> {
        let dpr = check_dpr(dpr)?;
        let dim = self.run.objective.dim();
        let mut xs: Vec<Vec<f64>> = Vec::new();
        let mut ys: Vec<Vec<f64>> = Vec::new();
        let mut meta: Vec<(usize, bool)> = Vec::new();
        for (i, t) in self.run.tracks.iter().enumerate() {
            let h = &t.history;
            let x: Vec<f64> = h.steps().collect();
            xs.push(x.clone());
            ys.push(h.lrs().collect());
            meta.push((i, false));
            if effective && t.config.rule.kind().is_adaptive() {
                for j in 0..dim {
                    xs.push(x.clone());
                    ys.push((0..h.len()).map(|k| h.eff_lr_at(k)[j]).collect());
                    meta.push((i, true));
                }
            }
        }
        let series: Vec<Series> = meta
            .iter()
            .zip(xs.iter().zip(&ys))
            .map(|(&(i, dashed), (x, y))| Series {
                colour: optimizer_colour(i),
                xs: x,
                ys: y,
                dashed,
            })
            .collect();
        let root = backend(canvas)?.into_drawing_area();
        let y_desc = if effective {
            "α_t, α/(δ+√r) dashed"
        } else {
            "learning rate α_t"
        };
        draw_chart(&root, dpr, &series, true, "step", y_desc).map_err(|e| JsError::new(&e))?;
        root.present().map_err(|e| js_err(format!("{e:?}")))?;
        Ok(())
    }

    /// Data coordinates of a point given in CSS pixels on the contour canvas, or `undefined`
    /// outside the plot (uses the last drawn background).
    #[wasm_bindgen(js_name = toData)]
    pub fn to_data(&self, css_x: f64, css_y: f64) -> Option<Vec<f64>> {
        let rect = self.rect.as_ref()?;
        let (px, py) = (css_x * self.dpr, css_y * self.dpr);
        if !rect.contains(px, py) || self.is_data_view() {
            return None;
        }
        let (x, y) = rect.to_data(px, py);
        Some(vec![x, y])
    }

    /// The local geometry at data point (x, y) (other parameters at the start point): loss,
    /// gradient, Hessian eigenvalues and eigen-directions, classification and the GD
    /// stability bound 2/λ_max. Non-finite values are reported as null, never drawn.
    #[wasm_bindgen(js_name = pointInfo)]
    pub fn point_info(&self, x: f64, y: f64) -> Result<JsValue, JsError> {
        if !(x.is_finite() && y.is_finite()) {
            return Err(JsError::new("the point must have finite coordinates"));
        }
        let mut p = self.run.start.clone();
        p[0] = x;
        p[1] = y;
        let g = local_geometry(self.run.objective.as_ref(), &p);
        to_js(&PointJs {
            x,
            y,
            loss: g.loss,
            gradient: g.gradient,
            grad_norm: g.grad_norm,
            eigenvalues: g.eigenvalues,
            eigenvectors: g.eigenvectors,
            kind: g.kind.name(),
            critical: g.critical,
            stability_bound: g.stability_bound,
        })
    }

    /// The loss as a 3-D surface with every optimizer's path on it, seen from `yaw` and
    /// `pitch` (radians; the page turns them by drag).
    #[wasm_bindgen(js_name = drawSurface3d)]
    pub fn draw_surface_3d(
        &mut self,
        canvas: &HtmlCanvasElement,
        dpr: f64,
        yaw: f64,
        pitch: f64,
    ) -> Result<(), JsError> {
        let dpr = check_dpr(dpr)?;
        if !(yaw.is_finite() && pitch.is_finite()) {
            return Err(JsError::new(
                "yaw and pitch must be finite angles in radians",
            ));
        }
        const N: usize = 36;
        let key = self.background_key(N, N);
        if self.coarse.as_ref().is_none_or(|c| c.0 != key) {
            let obj = self.run.objective.as_ref();
            let field = Field::sample(obj, self.view(), N, N, &self.run.start);
            let scale = Scale::new(&field, obj.info().log_scale);
            self.coarse = Some((key, field, scale));
        }
        let Some((_, field, scale)) = self.coarse.as_ref() else {
            return Err(JsError::new("internal: no samples for the 3-D view"));
        };
        let v = self.view();
        let inside = |x: f64, z: f64| x >= v[0] && x <= v[1] && z >= v[2] && z <= v[3];
        let paths: Vec<Path3d> = self
            .run
            .tracks
            .iter()
            .enumerate()
            .map(|(i, t)| {
                let h = &t.history;
                let every = (h.len() / 240).max(1);
                let points = (0..h.len())
                    .filter(|k| k % every == 0 || k + 1 == h.len())
                    .filter_map(|k| {
                        let p = h.params_at(k);
                        let u = scale.unit(h.loss(k));
                        (inside(p[0], p[1]) && u.is_finite())
                            .then(|| (p[0], u.clamp(0.0, 1.0), p[1]))
                    })
                    .collect();
                Path3d {
                    colour: optimizer_colour(i),
                    points,
                }
            })
            .collect();
        let root = backend(canvas)?.into_drawing_area();
        draw_surface_3d(
            &root,
            dpr,
            field,
            scale,
            (yaw, pitch),
            axis_names(self.scenario.surface),
            &paths,
        )
        .map_err(|e| JsError::new(&e))?;
        root.present().map_err(|e| js_err(format!("{e:?}")))?;
        Ok(())
    }

    /// Show the Hessian's eigen-directions at data point (x, y) on the overlay (the cursor).
    #[wasm_bindgen(js_name = setHover)]
    pub fn set_hover(&mut self, x: f64, y: f64) {
        self.hover = (x.is_finite() && y.is_finite()).then_some((x, y));
    }

    /// Stop showing the eigen-directions.
    #[wasm_bindgen(js_name = clearHover)]
    pub fn clear_hover(&mut self) {
        self.hover = None;
    }

    /// θ₀, θ₁ pairs of optimizer `i`'s kept records (interleaved), for scripts and tests.
    pub fn path(&self, i: usize) -> Result<Vec<f64>, JsError> {
        let t = self
            .run
            .tracks
            .get(i)
            .ok_or_else(|| JsError::new(&format!("no optimizer {i}")))?;
        let h = &t.history;
        Ok((0..h.len())
            .flat_map(|k| h.params_at(k)[..2].to_vec())
            .collect())
    }

    /// Full-objective loss of optimizer `i`'s kept records.
    pub fn losses(&self, i: usize) -> Result<Vec<f64>, JsError> {
        self.run
            .tracks
            .get(i)
            .map(|t| t.history.losses().collect())
            .ok_or_else(|| JsError::new(&format!("no optimizer {i}")))
    }

    /// Every step so far as CSV, the CLI's columns (`gradscape run` on `text()` with
    /// `--steps` = the current step gives the same file).
    #[wasm_bindgen(js_name = exportCsv)]
    pub fn export_csv(&self) -> Result<String, JsError> {
        let mut run = self.replay();
        let mut out = String::new();
        export::write_csv(&mut out, &mut run).map_err(js_err)?;
        Ok(out)
    }

    /// Every step so far as JSON (the CLI's `--format json`).
    #[wasm_bindgen(js_name = exportJson)]
    pub fn export_json(&self) -> Result<String, JsError> {
        let mut run = self.replay();
        let mut out = String::new();
        export::write_json(&mut out, &mut run, &self.replay_scenario()).map_err(js_err)?;
        Ok(out)
    }

    /// The scenario text with `steps` set to how far the run has gone (for exports).
    #[wasm_bindgen(js_name = textAtCurrentStep)]
    pub fn text_at_current_step(&self) -> String {
        self.replay_scenario().to_text()
    }
}

impl Playground {
    fn replay_scenario(&self) -> Scenario {
        let mut s = self.scenario.clone();
        s.start = Some(self.run.start.clone());
        s.stopping.max_steps = self.run.tracks.iter().map(|t| t.step).max().unwrap_or(0);
        s
    }

    fn replay(&self) -> Run {
        self.replay_scenario().build_run()
    }

    /// The lowest loss known: the surface's minima, else the lowest seen in any history.
    fn loss_floor(&self) -> f64 {
        let obj = self.run.objective.as_ref();
        let known = obj
            .info()
            .critical
            .iter()
            .filter(|c| c.kind == CriticalKind::Minimum)
            .map(|c| obj.loss(&c.at))
            .fold(f64::INFINITY, f64::min);
        let seen = self
            .run
            .tracks
            .iter()
            .flat_map(|t| t.history.losses())
            .filter(|l| l.is_finite())
            .fold(f64::INFINITY, f64::min);
        let floor = known.min(seen);
        if floor.is_finite() {
            floor
        } else {
            0.0
        }
    }
}
