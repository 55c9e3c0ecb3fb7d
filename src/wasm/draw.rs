//! The handle's drawing calls: background (heatmap, contours, axes) cached until the surface
//! or view changes, the per-frame overlay (each path one stroke), the charts and the 3-D view.
//! What to draw is assembled by `render::scene`; this file only hands it to the canvases.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters_canvas::CanvasBackend;
use wasm_bindgen::prelude::*;
use web_sys::HtmlCanvasElement;

use super::canvas::{backend, check_dpr, clip_to, context};
use super::handle::{js_err, Background, Playground};
use crate::core::geometry::local_geometry;
use crate::core::join;
use crate::core::objective::{axis_names, LabelledPoint};
use crate::render::contour::contour_set;
use crate::render::field::{heatmap_rgba, Field, Scale};
use crate::render::scene::{current_points, loss_lines, lr_lines, path_specs, paths_3d, Lines};
use crate::render::{
    class_regions_rgba, contour_rect, draw_chart, draw_contour_frame, draw_data_view, draw_overlay,
    draw_surface_3d, ContourSet, EigenCross, PlotRect,
};

/// Number of contour levels drawn.
const LEVELS: usize = 14;
/// Upper bound on loss evaluations × examples for one heatmap, so data-set surfaces stay fast.
const SAMPLE_BUDGET: usize = 3_000_000;
/// The SVM data view's box for the generated points (centred on the origin).
const DATA_VIEW: [f64; 4] = [-4.5, 4.5, -4.5, 4.5];

/// The data view's box: the generated points' fixed box when every point lies inside it,
/// else the points' bounding box with a margin of a tenth of its size on every side.
pub(crate) fn points_box(points: &[LabelledPoint]) -> [f64; 4] {
    let inside = |p: &LabelledPoint| p.x.iter().all(|v| v.abs() <= DATA_VIEW[1]);
    if points.iter().all(inside) {
        return DATA_VIEW;
    }
    let (mut b, pad) = ([f64::MAX, f64::MIN, f64::MAX, f64::MIN], 0.1);
    for p in points {
        b = [
            b[0].min(p.x[0]),
            b[1].max(p.x[0]),
            b[2].min(p.x[1]),
            b[3].max(p.x[1]),
        ];
    }
    let (dx, dy) = ((b[1] - b[0]).max(1e-3), (b[3] - b[2]).max(1e-3));
    [
        b[0] - pad * dx,
        b[1] + pad * dx,
        b[2] - pad * dy,
        b[3] + pad * dy,
    ]
}

impl Playground {
    fn background_key(&self, nx: usize, ny: usize) -> String {
        // Bit patterns, not printed floats: exact, and no float formatting code in the module.
        let bits = |xs: &[f64]| {
            xs.iter()
                .map(|x| x.to_bits().to_string())
                .collect::<Vec<_>>()
        };
        format!(
            "{}|{}|{}|{}|{nx}x{ny}|{}",
            self.scenario.surface,
            join(&bits(&self.scenario.surface_params), ","),
            self.scenario.custom.as_deref().unwrap_or(""),
            join(&bits(&self.view()), ","),
            join(&bits(&self.run.start), ",")
        )
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

    pub(crate) fn ensure_background(&mut self, nx: usize, ny: usize) {
        let key = self.background_key(nx, ny);
        if self.background.as_ref().is_some_and(|b| b.key == key) {
            return;
        }
        let obj = self.run.objective.as_ref();
        let field = Field::sample(obj, self.view(), nx, ny, &self.run.start);
        let scale = Scale::new(&field, obj.info().log_scale);
        let lines = contour_set(&field, &scale.levels(LEVELS));
        let rgba = heatmap_rgba(&field, &scale);
        self.background = Some(Background {
            key,
            field,
            scale,
            lines,
            rgba,
        });
    }
}

/// Hand what was drawn on `root` to its canvas.
fn present(root: &DrawingArea<CanvasBackend, Shift>) -> Result<(), JsError> {
    root.present()
        .map_err(|e| js_err(format!("drawing failed: {e}")))
}

/// Draw `lines` as a labelled chart on `canvas` (log y with `log`).
fn chart(canvas: &HtmlCanvasElement, dpr: f64, lines: &Lines, log: bool) -> Result<(), JsError> {
    let dpr = check_dpr(dpr)?;
    let root = backend(canvas)?.into_drawing_area();
    draw_chart(&root, dpr, &lines.series(), log, lines.x_desc, lines.y_desc)
        .map_err(|e| JsError::new(&e))?;
    present(&root)
}

#[wasm_bindgen]
impl Playground {
    /// Draw the background layer (heatmap, labelled contours, axes, critical points) on
    /// `canvas`, whose size is CSS size × `dpr`. Cheap when nothing changed since last time.
    #[wasm_bindgen(js_name = drawBackground)]
    pub fn draw_background(&mut self, canvas: &HtmlCanvasElement, dpr: f64) -> Result<(), JsError> {
        let dpr = check_dpr(dpr)?;
        self.dpr = dpr;
        let ctx = context(canvas)?;
        let rect = contour_rect(canvas.width(), canvas.height(), dpr, self.view());
        self.plot = Some((canvas.width(), canvas.height()));
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
        let scratch = &mut self.scratch;
        let result = draw_contour_frame(
            &root,
            dpr,
            view,
            axes,
            &ContourSet {
                lines: &bg.lines,
                scale: &bg.scale,
            },
            &info.critical,
            |r| scratch.blit(&ctx, &bg.rgba, (bg.field.nx, bg.field.ny), r, true),
        );
        self.background = Some(bg);
        result.map_err(|e| JsError::new(&e))?;
        present(&root)?;
        Ok(())
    }

    /// Draw the per-frame layer on a transparent `canvas` stacked over the trail layer: each
    /// optimizer's current point, arrows and Nesterov's look-ahead, the start point and the
    /// eigen-cross (the paths are on the trail layer, `drawTrails`), or for the SVM the data
    /// with the decision regions of optimizer `selected`.
    #[wasm_bindgen(js_name = drawOverlay)]
    pub fn draw_overlay(
        &mut self,
        canvas: &HtmlCanvasElement,
        dpr: f64,
        selected: usize,
    ) -> Result<(), JsError> {
        let dpr = check_dpr(dpr)?;
        self.catch_up();
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
            let view = points_box(&points);
            let rect = contour_rect(w, h, dpr, view);
            let cells = |v: i32| ((v as f64 / dpr / 3.0) as usize).clamp(16, 200);
            let (nx, ny) = (cells(rect.width()), cells(rect.height()));
            let rgba = class_regions_rgba(&wts, view, nx, ny);
            let scratch = &mut self.scratch;
            draw_data_view(&root, dpr, view, &points, |r| {
                scratch.blit(&ctx, &rgba, (nx, ny), r, false)
            })
            .map_err(|e| JsError::new(&e))?;
            present(&root)?;
            return Ok(());
        }
        let rect = contour_rect(w, h, dpr, self.view());
        current_points(&self.run, &mut self.paths);
        let specs = path_specs(&self.run, &self.paths, self.scenario.page.arrows);
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
        clip_to(&ctx, &rect);
        let start = (self.run.start[0], self.run.start[1]);
        // The paths are on the trail layer: here only the short stroke from each last record
        // to a newer current point (`current_points`), under the markers.
        let result = draw_overlay(&root, dpr, &rect, start, &specs, cross.as_ref());
        ctx.restore();
        result.map_err(|e| JsError::new(&e))?;
        Ok(())
    }

    /// Loss per optimizer against the scenario's `axis` (step, epoch or examples); with `log`,
    /// the loss above the lowest known value, L − L*, on a log axis.
    #[wasm_bindgen(js_name = drawLoss)]
    pub fn draw_loss(&mut self, canvas: &HtmlCanvasElement, dpr: f64) -> Result<(), JsError> {
        self.catch_up();
        let page = &self.scenario.page;
        chart(
            canvas,
            dpr,
            &loss_lines(&self.run, page.axis, page.log),
            page.log,
        )
    }

    /// α_t per optimizer against the step (log axis); with the scenario's `eff`, also the
    /// adaptive rules' per-parameter rate α/(δ + √r), dashed, one line per coordinate.
    #[wasm_bindgen(js_name = drawLearningRate)]
    pub fn draw_learning_rate(
        &mut self,
        canvas: &HtmlCanvasElement,
        dpr: f64,
    ) -> Result<(), JsError> {
        self.catch_up();
        chart(
            canvas,
            dpr,
            &lr_lines(&self.run, self.scenario.page.eff),
            true,
        )
    }

    /// The contour canvas is `width × height` device pixels at `dpr`, for `toData` when this
    /// handle does not draw it (the painter worker does, www/painter.js).
    #[wasm_bindgen(js_name = setPlotSize)]
    pub fn set_plot_size(&mut self, width: u32, height: u32, dpr: f64) -> Result<(), JsError> {
        self.dpr = check_dpr(dpr)?;
        self.plot = Some((width, height));
        Ok(())
    }

    /// Data coordinates of a point given in CSS pixels on the contour canvas, or `undefined`
    /// outside the plot.
    #[wasm_bindgen(js_name = toData)]
    pub fn to_data(&self, css_x: f64, css_y: f64) -> Option<Vec<f64>> {
        let (w, h) = self.plot?;
        let rect = &contour_rect(w, h, self.dpr, self.view());
        let (px, py) = (css_x * self.dpr, css_y * self.dpr);
        if !rect.contains(px, py) || self.is_data_view() {
            return None;
        }
        let (x, y) = rect.to_data(px, py);
        Some(vec![x, y])
    }

    /// The contour's plot rectangle in CSS pixels and the view it shows, `[x0, y0, x1, y1,
    /// x_min, x_max, y_min, y_max]`, for layers drawn over it (a basin map); `undefined`
    /// before the first drawing and on the data view.
    #[wasm_bindgen(js_name = plotRect)]
    pub fn plot_rect(&self) -> Option<Vec<f64>> {
        let (w, h) = self.plot?;
        if self.is_data_view() {
            return None;
        }
        let v = self.view();
        let r = contour_rect(w, h, self.dpr, v);
        let d = self.dpr;
        let css = |p: i32| f64::from(p) / d;
        Some(vec![
            css(r.x0),
            css(r.y0),
            css(r.x1),
            css(r.y1),
            v[0],
            v[1],
            v[2],
            v[3],
        ])
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
        self.catch_up();
        // 36 × 36 polygons, each the mean of 3 × 3 samples.
        const N: usize = 36;
        const SUB: usize = 3;
        let key = self.background_key(N * SUB, N * SUB);
        if self.coarse.as_ref().is_none_or(|c| c.0 != key) {
            let obj = self.run.objective.as_ref();
            let field = Field::sample(obj, self.view(), N * SUB, N * SUB, &self.run.start);
            let scale = Scale::new(&field, obj.info().log_scale);
            self.coarse = Some((key, field, scale));
        }
        let Some((_, field, scale)) = self.coarse.as_ref() else {
            return Err(JsError::new("internal: no samples for the 3-D view"));
        };
        let paths = paths_3d(&self.run, self.view(), scale);
        let root = backend(canvas)?.into_drawing_area();
        draw_surface_3d(
            &root,
            dpr,
            (field, SUB),
            scale,
            (yaw, pitch),
            axis_names(self.scenario.surface),
            &paths,
        )
        .map_err(|e| JsError::new(&e))?;
        present(&root)?;
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
}
