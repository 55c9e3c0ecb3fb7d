//! The SVG exporter (feature `svg`): a view and its legend as vector lines and text, drawn by
//! the same code as the page's canvases through plotters' SVG backend. Built as a module of its
//! own (www/pkg-svg/) that the page loads only when an SVG is asked for.

use plotters::coord::Shift;
use plotters::prelude::*;
use wasm_bindgen::prelude::*;

use super::draw::points_box;
use super::export::entries;
use super::handle::{js_err, Playground};
use crate::core::objective::axis_names;
use crate::render::scene::{collect_paths, loss_lines, lr_lines, path_specs};
use crate::render::{
    class_regions_rgba, draw_cells, draw_chart, draw_contour_frame, draw_data_view, draw_legend,
    draw_overlay, legend_height, ContourSet,
};

/// Most heatmap cells along an axis of an SVG (each is one `<rect>`).
const SVG_CELLS: usize = 64;

impl Playground {
    /// Draw view `kind` (contour, loss, lr) on `root`, as the page shows it.
    fn draw_view<DB: DrawingBackend>(
        &mut self,
        root: &DrawingArea<DB, Shift>,
        kind: &str,
    ) -> Result<(), String> {
        match kind {
            "loss" => {
                let page = &self.scenario.page;
                let lines = loss_lines(&self.run, page.axis, page.log);
                draw_chart(
                    root,
                    1.0,
                    &lines.series(),
                    page.log,
                    lines.x_desc,
                    lines.y_desc,
                )
            }
            "lr" => {
                let lines = lr_lines(&self.run, self.scenario.page.eff);
                draw_chart(root, 1.0, &lines.series(), true, lines.x_desc, lines.y_desc)
            }
            "contour" => {
                if let Some(points) = self.run.objective.points().map(|p| p.to_vec()) {
                    let wts = self.run.tracks.first().map(|t| t.theta.clone());
                    let wts = wts.ok_or("no optimizer to show")?;
                    let n = SVG_CELLS;
                    let view = points_box(&points);
                    let rgba = class_regions_rgba(&wts, view, n, n);
                    draw_data_view(root, 1.0, view, &points, |r| {
                        draw_cells(root, r, &rgba, (n, n), n)
                    })?;
                    return Ok(());
                }
                self.ensure_background(SVG_CELLS, SVG_CELLS);
                let bg = self.background.take().ok_or("internal: no background")?;
                let info = self.run.objective.info().clone();
                let contours = ContourSet {
                    lines: &bg.lines,
                    scale: &bg.scale,
                };
                let (nx, ny) = (bg.field.nx, bg.field.ny);
                let framed = draw_contour_frame(
                    root,
                    1.0,
                    self.view(),
                    axis_names(self.scenario.surface),
                    &contours,
                    &info.critical,
                    |r| draw_cells(root, r, &bg.rgba, (nx, ny), SVG_CELLS),
                );
                self.background = None;
                let rect = framed?;
                let mut paths = Vec::new();
                collect_paths(&self.run, &mut paths);
                let specs = path_specs(&self.run, &paths, self.scenario.page.arrows);
                let start = (self.run.start[0], self.run.start[1]);
                draw_overlay(root, 1.0, &rect, start, &specs, None)
            }
            _ => Err(format!("no view `{kind}`; export contour, loss or lr")),
        }
    }
}

#[wasm_bindgen]
impl Playground {
    /// View `kind` (contour, loss or lr) as an SVG `width × height` pixels with its legend
    /// under it: vector lines and text for print (the heatmap as at most 64 × 64 cells).
    #[wasm_bindgen(js_name = exportSvg)]
    pub fn export_svg(&mut self, kind: &str, width: u32, height: u32) -> Result<String, JsError> {
        self.catch_up();
        let (width, height) = (width.clamp(200, 4000), height.clamp(150, 4000));
        let names = self.legend_names();
        let below = legend_height(&entries(&names), width, 1.0);
        let mut buf = String::new();
        {
            let root =
                SVGBackend::with_string(&mut buf, (width, height + below)).into_drawing_area();
            let (view, key) = root.split_vertically(height);
            self.draw_view(&view, kind).map_err(|e| JsError::new(&e))?;
            draw_legend(&key, 1.0, &entries(&names)).map_err(|e| JsError::new(&e))?;
            root.present()
                .map_err(|e| js_err(format!("drawing failed: {e}")))?;
        }
        Ok(buf)
    }
}
