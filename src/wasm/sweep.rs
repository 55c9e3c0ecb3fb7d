//! Sweeps in the page (feature `sweep`, in the export module): a job that workers run in
//! ranges of cells and the page draws as the cells arrive.

use std::cell::{Cell as Shared, OnceCell, RefCell};

use wasm_bindgen::prelude::*;
use web_sys::HtmlCanvasElement;

use super::canvas::{backend, check_dpr, context, Scratch};
use super::handle::js_err;
use crate::core::scenario::{Scenario, MAX_FILE_LEN};
use crate::core::sweep::{code_word, status_code, Axis, Grid, Row, Scale, Sweep, SweepSpec};
use crate::render::colour::tint;
use crate::render::{draw_sweep, sweep_rgba, CellColour, PlotRect, SweepAxis};
use plotters::coord::Shift;
use plotters::prelude::{DrawingArea, DrawingBackend, IntoDrawingArea};

/// A basin's colour by its minimum: muted hues apart from the optimizers' line colours, so a
/// basin map under the paths is not read as a path's.
const BASIN_COLOURS: [(u8, u8, u8); 6] = [
    (146, 112, 180),
    (96, 168, 140),
    (214, 170, 96),
    (112, 140, 206),
    (206, 118, 130),
    (160, 160, 80),
];

/// Numbers per cell in a job's results before θ: status ([`status_code`]), steps, loss, ‖∇L‖,
/// end (the known critical point reached, −1: none). θ's coordinates follow
/// ([`SweepJob::fields`]).
const PER_CELL: usize = 5;

/// A stability bound's line over the phase diagram and its formula.
type Bound = (Vec<[f64; 2]>, &'static str);

/// One sweep: its scenario, optimizer and grid.
#[wasm_bindgen]
pub struct SweepJob {
    sweep: Sweep,
    /// The axes' titles: the parameters' symbols and keys, or the start point's coordinates.
    titles: (String, String),
    /// The stability bound's line and formula, worked out once (it needs the Hessian at the
    /// start and a cell scenario per row), not at every repaint.
    bound: OnceCell<Option<Bound>>,
    /// The plot rectangle of the last drawing, for finding the cell under the pointer.
    rect: Shared<Option<PlotRect>>,
    /// What a link asked the colours to show (steps unless given).
    by: &'static str,
    /// The cells' image, blitted in one call (thousands of rectangles would cost a frame).
    scratch: RefCell<Scratch>,
    /// The surface's number of parameters (θ's length in the results).
    dim: usize,
}

/// Whether a status code is a stop on a saddle point or a maximum.
fn critical(code: f64) -> bool {
    code == 3.0 || code == 5.0
}

/// A number for the readout: four significant digits from 0.001 to 10⁴, else three in
/// exponent form.
fn short(v: f64) -> String {
    if v == 0.0 {
        "0".into()
    } else if v.is_finite() && (1e-3..1e4).contains(&v.abs()) {
        let digits = (3 - v.abs().log10().floor() as i32).clamp(0, 6) as usize;
        let s = format!("{v:.digits$}");
        if s.contains('.') {
            s.trim_end_matches('0').trim_end_matches('.').to_string()
        } else {
            s
        }
    } else {
        format!("{v:.2e}")
    }
}

impl SweepJob {
    /// The job of `sweep`, coloured by steps.
    fn of(sweep: Sweep) -> SweepJob {
        SweepJob {
            titles: titles(&sweep),
            dim: sweep.base.build_objective().dim(),
            bound: OnceCell::new(),
            sweep,
            rect: Shared::new(None),
            by: "steps",
            scratch: RefCell::new(Scratch::default()),
        }
    }

    /// The stability bound, worked out when first drawn (a worker never draws).
    fn bound(&self) -> Option<&Bound> {
        self.bound.get_or_init(|| self.sweep.bound()).as_ref()
    }
}

fn parse(text: &str) -> Result<Scenario, JsError> {
    Scenario::parse_within(text, MAX_FILE_LEN).map_err(js_err)
}

#[wasm_bindgen]
impl SweepJob {
    /// A phase diagram of optimizer `opt` (0-based) of `text` over axes `x` and `y`, each
    /// `KEY=LO..HI[:log][:CELLS]`.
    pub fn phase(text: &str, opt: usize, x: &str, y: &str) -> Result<SweepJob, JsError> {
        let grid = Grid::Phase {
            x: Axis::parse(x).map_err(js_err)?,
            y: Axis::parse(y).map_err(js_err)?,
        };
        Ok(SweepJob::of(
            Sweep::new(parse(text)?, opt, grid).map_err(js_err)?,
        ))
    }

    /// A basin map of optimizer `opt` over the scenario's view, `nx` × `ny` start points.
    pub fn basins(text: &str, opt: usize, nx: usize, ny: usize) -> Result<SweepJob, JsError> {
        Ok(SweepJob::of(
            Sweep::basins(parse(text)?, opt, nx, ny).map_err(js_err)?,
        ))
    }

    /// Run every rule's batched kernel briefly, so the engine has optimised code for them
    /// before a sweep's first cells (a worker calls it when it starts).
    pub fn warm() {
        Sweep::warm();
    }

    /// The sweep a link's `sweep=` value asks for, of scenario `text`.
    #[wasm_bindgen(js_name = fromSpec)]
    pub fn from_spec(text: &str, spec: &str) -> Result<SweepJob, JsError> {
        let s = SweepSpec::parse(spec).map_err(js_err)?;
        let job = match &s {
            SweepSpec::Phase { opt, x, y, by } => SweepJob {
                by,
                ..SweepJob::phase(text, *opt, &x.to_string(), &y.to_string())?
            },
            SweepSpec::Basins { opt, nx, ny } => SweepJob::basins(text, *opt, *nx, *ny)?,
        };
        Ok(job)
    }

    /// The `sweep=` value of this sweep coloured by `measure`, for the link.
    #[wasm_bindgen(js_name = specText)]
    pub fn spec_text(&self, measure: &str) -> String {
        let by = crate::core::sweep_spec::MEASURES
            .into_iter()
            .find(|m| *m == measure)
            .unwrap_or("steps");
        let spec = match &self.sweep.grid {
            Grid::Phase { x, y } => SweepSpec::Phase {
                opt: self.sweep.opt,
                x: x.clone(),
                y: y.clone(),
                by,
            },
            Grid::Basins { nx, ny, .. } => SweepSpec::Basins {
                opt: self.sweep.opt,
                nx: *nx,
                ny: *ny,
            },
        };
        spec.to_string()
    }

    /// What the colours show as the link asked: steps, loss or diverged.
    pub fn measure(&self) -> String {
        self.by.to_string()
    }

    /// phase or basins.
    pub fn kind(&self) -> String {
        match self.sweep.grid {
            Grid::Phase { .. } => "phase".into(),
            Grid::Basins { .. } => "basins".into(),
        }
    }

    /// The optimizer swept (0-based).
    pub fn opt(&self) -> usize {
        self.sweep.opt
    }

    /// Axis `i` (0: x, 1: y) of a phase diagram as [lo, hi, log (1 or 0), cells].
    #[wasm_bindgen(js_name = axisRange)]
    pub fn axis_range(&self, i: usize) -> Vec<f64> {
        match &self.sweep.grid {
            Grid::Phase { x, y } => {
                let a = if i == 0 { x } else { y };
                vec![
                    a.lo,
                    a.hi,
                    f64::from(u8::from(a.scale == Scale::Log)),
                    a.cells as f64,
                ]
            }
            Grid::Basins { nx, ny, .. } => {
                vec![0.0, 0.0, 0.0, if i == 0 { *nx } else { *ny } as f64]
            }
        }
    }

    /// A basin map's cells as an RGBA image (`width()` × `height()`, the top row first) and
    /// the box its cells' centres span (`[x_min, x_max, y_min, y_max]`), for a layer over the
    /// contour; empty for a phase diagram.
    #[wasm_bindgen(js_name = basinImage)]
    pub fn basin_image(&self, results: &[f64]) -> Result<Vec<u8>, JsError> {
        let Grid::Basins { .. } = self.sweep.grid else {
            return Ok(Vec::new());
        };
        let (nx, ny) = self.sweep.size();
        Ok(sweep_rgba(&self.colours(results, "steps")?, nx, ny))
    }

    /// The box a basin map's start points span, `[x_min, x_max, y_min, y_max]` (empty for a
    /// phase diagram).
    #[wasm_bindgen(js_name = basinView)]
    pub fn basin_view(&self) -> Vec<f64> {
        match self.sweep.grid {
            Grid::Basins { view, .. } => view.to_vec(),
            Grid::Phase { .. } => Vec::new(),
        }
    }

    /// Cells along x.
    pub fn width(&self) -> usize {
        self.sweep.size().0
    }

    /// Cells along y.
    pub fn height(&self) -> usize {
        self.sweep.size().1
    }

    /// Cells `from..to` (row by row, y outer): five numbers each, the status (1 converged,
    /// 2 stopped at the step limit, 3 stopped on a saddle or maximum, 4 diverged), the steps,
    /// the final loss and ‖∇L‖, and the known critical point reached (−1: none).
    pub fn run(&self, from: usize, to: usize) -> Result<Vec<f64>, JsError> {
        let mut out = Vec::with_capacity(to.saturating_sub(from) * self.fields());
        for c in self.sweep.run_range(from, to) {
            let c = c.map_err(js_err)?;
            out.extend([
                status_code(&c.status),
                c.steps as f64,
                c.loss,
                c.grad_norm,
                c.end.map_or(-1.0, |e| e as f64),
            ]);
            out.extend(&c.theta);
        }
        Ok(out)
    }

    /// Numbers per cell in the results: five, then θ's coordinates.
    pub fn fields(&self) -> usize {
        PER_CELL + self.dim
    }

    /// The CSV of the cells of `results` run so far: `gradscape sweep`'s (or `basins`') rows,
    /// written by the same code.
    pub fn csv(&self, results: &[f64]) -> String {
        let nx = self.sweep.size().0.max(1);
        let rows: Vec<Row> = results
            .chunks_exact(self.fields())
            .enumerate()
            .filter(|(_, c)| !c[0].is_nan())
            .map(|(i, c)| Row {
                at: self.sweep.at(i % nx, i / nx),
                word: code_word(c[0]),
                steps: c[1] as u64,
                loss: c[2],
                grad_norm: c[3],
                end: (c[4] >= 0.0).then_some(c[4] as usize),
                theta: &c[PER_CELL..],
            })
            .collect();
        self.sweep.csv_rows(&rows)
    }

    /// One line on cell `i` of `results`, for the readout under the pointer.
    pub fn describe(&self, results: &[f64], i: usize) -> String {
        let nx = self.sweep.size().0.max(1);
        let [a, b] = self.sweep.at(i % nx, i / nx);
        let where_ = match &self.sweep.grid {
            Grid::Basins { .. } => format!("start ({}, {})", short(a), short(b)),
            Grid::Phase { x, y } => format!("{} = {}, {} = {}", x.key, short(a), y.key, short(b)),
        };
        let Some(c) = results.chunks_exact(self.fields()).nth(i) else {
            return where_;
        };
        let how = match code_word(c[0]) {
            "" => return format!("{where_}: not run yet"),
            "stopped" => "stopped at the step limit",
            "saddle" => "stopped on a saddle point",
            "maximum" => "stopped on a maximum",
            w => w,
        };
        let mut out = format!("{where_}: {how} at step {}", c[1]);
        if code_word(c[0]) != "diverged" {
            out.push_str(&format!(", L = {}, ‖∇L‖ = {}", short(c[2]), short(c[3])));
        }
        if c[4] >= 0.0 {
            out.push_str(&format!(", at critical point {}", c[4] + 1.0));
        }
        out
    }

    /// The two values of cell `i`: the swept parameters, or the start point.
    pub fn at(&self, i: usize) -> Vec<f64> {
        let nx = self.sweep.size().0.max(1);
        self.sweep.at(i % nx, i / nx).to_vec()
    }

    /// The texts cell `i` of a phase diagram sets its two parameters to (whole numbers where
    /// the parameter table takes only those), for loading it into the playground.
    #[wasm_bindgen(js_name = cellTexts)]
    pub fn cell_texts(&self, i: usize) -> Vec<String> {
        let nx = self.sweep.size().0.max(1);
        self.sweep.cell_texts(i % nx, i / nx)
    }

    /// The keys the cells set: the two parameters, or `start`.
    pub fn keys(&self) -> Vec<String> {
        match &self.sweep.grid {
            Grid::Phase { x, y } => vec![x.key.clone(), y.key.clone()],
            Grid::Basins { .. } => vec!["start".into()],
        }
    }

    /// The cell under canvas pixel (`px`, `py`) of the last drawing, or −1.
    #[wasm_bindgen(js_name = cellAt)]
    pub fn cell_at(&self, px: f64, py: f64) -> i32 {
        let Some(rect) = self.rect.get() else {
            return -1;
        };
        if !rect.contains(px, py) {
            return -1;
        }
        let (nx, ny) = self.sweep.size();
        let fx = (px - rect.x0 as f64) / rect.width().max(1) as f64;
        let fy = (rect.y1 as f64 - py) / rect.height().max(1) as f64;
        let ix = ((fx * nx as f64) as usize).min(nx - 1);
        let iy = ((fy * ny as f64) as usize).min(ny - 1);
        (iy * nx + ix) as i32
    }

    /// Draw the cells of `results` (five numbers per cell, NaN status while pending) coloured
    /// by `measure` (steps, loss or diverged), with the current setting `mark` if given.
    pub fn draw(
        &self,
        canvas: HtmlCanvasElement,
        results: &[f64],
        measure: &str,
        dpr: f64,
        mark: Option<Vec<f64>>,
    ) -> Result<(), JsError> {
        let dpr = check_dpr(dpr)?;
        let colours = self.colours(results, measure)?;
        let root = backend(&canvas)?.into_drawing_area();
        let (nx, ny) = self.sweep.size();
        let ctx = context(&canvas)?;
        let blit = |rect: &PlotRect| {
            let rgba = sweep_rgba(&colours, nx, ny);
            self.scratch
                .borrow_mut()
                .blit(&ctx, &rgba, (nx, ny), rect, false)
        };
        let rect = self.picture(&root, dpr, mark, blit)?;
        self.rect.set(Some(rect));
        Ok(())
    }
}

/// The axes' titles of `sweep`.
fn titles(sweep: &Sweep) -> (String, String) {
    match &sweep.grid {
        Grid::Phase { x, y } => {
            let title = |key: &str| {
                crate::core::scenario::table::PARAMS
                    .iter()
                    .find(|p| p.key == key)
                    .map_or_else(|| key.to_string(), |p| format!("{} ({key})", p.symbol))
            };
            (title(&x.key), title(&y.key))
        }
        Grid::Basins { .. } => {
            let names = crate::core::objective::axis_names(sweep.base.surface);
            (format!("start {}", names.0), format!("start {}", names.1))
        }
    }
}

impl SweepJob {
    /// The picture on `root`, the canvas's or an SVG's: `blit` paints the cells, then come
    /// the axes, the bound and the mark (`mark`: the current setting, two values).
    fn picture<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
        dpr: f64,
        mark: Option<Vec<f64>>,
        blit: impl FnOnce(&PlotRect) -> Result<(), String>,
    ) -> Result<PlotRect, JsError> {
        let (x, y) = self.axes();
        let mark = mark.and_then(|m| (m.len() == 2).then(|| [m[0], m[1]]));
        let bound = self.bound().map(|(p, f)| (p.as_slice(), *f));
        let rect = draw_sweep(root, dpr, (&x, &y), blit, bound, mark).map_err(js_err)?;
        root.present().map_err(js_err)?;
        Ok(rect)
    }

    fn axes(&self) -> (SweepAxis, SweepAxis) {
        match &self.sweep.grid {
            Grid::Phase { x, y } => {
                let axis = |a: &Axis, title: &str| SweepAxis {
                    lo: a.lo,
                    hi: a.hi,
                    cells: a.cells,
                    log: a.scale == Scale::Log,
                    title: title.to_string(),
                };
                (axis(x, &self.titles.0), axis(y, &self.titles.1))
            }
            Grid::Basins { view, nx, ny } => {
                let axis = |lo: f64, hi: f64, cells: usize, title: &str| SweepAxis {
                    lo,
                    hi,
                    cells,
                    log: false,
                    title: title.to_string(),
                };
                (
                    axis(view[0], view[1], *nx, &self.titles.0),
                    axis(view[2], view[3], *ny, &self.titles.1),
                )
            }
        }
    }

    fn colours(&self, results: &[f64], measure: &str) -> Result<Vec<CellColour>, JsError> {
        let max = self.sweep.base.stopping.max_steps.max(1) as f64;
        let cells: Vec<&[f64]> = results.chunks_exact(self.fields()).collect();
        let basins = matches!(self.sweep.grid, Grid::Basins { .. });
        // Final losses on a log scale between the lowest and highest of the cells so far.
        let logs = cells
            .iter()
            .filter(|c| c[0] == 1.0 || c[0] == 2.0)
            .map(|c| c[2].max(1e-300).log10())
            .filter(|v| v.is_finite());
        let (lo, hi) = logs.fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), v| {
            (a.min(v), b.max(v))
        });
        if !basins && !matches!(measure, "steps" | "loss" | "diverged") {
            return Err(js_err(format!(
                "measure `{measure}`: one of steps, loss or diverged"
            )));
        }
        Ok(cells
            .iter()
            .map(|c| {
                let (status, steps) = (c[0], c[1]);
                if status.is_nan() {
                    return CellColour::Pending;
                }
                if status == 4.0 {
                    return CellColour::Diverged(steps / max);
                }
                if basins {
                    return match c[4] {
                        e if e >= 0.0 => {
                            let base = BASIN_COLOURS[e as usize % BASIN_COLOURS.len()];
                            let (r, g, b) = tint(base, 0.45 * steps / max);
                            CellColour::Rgb(r, g, b)
                        }
                        _ if critical(status) => CellColour::Critical,
                        _ => CellColour::Stopped,
                    };
                }
                match (measure, status) {
                    _ if critical(status) => CellColour::Critical,
                    ("steps", 1.0) => CellColour::Good(1.0 - steps / max),
                    ("steps", _) => CellColour::Stopped,
                    ("loss", _) if hi > lo => {
                        CellColour::Good(1.0 - (c[2].max(1e-300).log10() - lo) / (hi - lo))
                    }
                    ("loss", _) => CellColour::Good(1.0),
                    (_, 1.0) => CellColour::Good(0.8),
                    _ => CellColour::Stopped,
                }
            })
            .collect())
    }
}

#[cfg(feature = "svg")]
#[wasm_bindgen]
impl SweepJob {
    /// The picture as an SVG of `width` × `height`: the cells as rectangles (a row's run of one
    /// colour as one), the axes, the bound and the mark as text and lines.
    pub fn svg(
        &self,
        results: &[f64],
        measure: &str,
        width: u32,
        height: u32,
        mark: Option<Vec<f64>>,
    ) -> Result<String, JsError> {
        use plotters::prelude::{Color, RGBColor, Rectangle, SVGBackend};
        let colours = self.colours(results, measure)?;
        let (nx, ny) = self.sweep.size();
        let (width, height) = (width.clamp(200, 4000), height.clamp(150, 4000));
        let mut buf = String::new();
        {
            let root = SVGBackend::with_string(&mut buf, (width, height)).into_drawing_area();
            let cells = |rect: &PlotRect| -> Result<(), String> {
                let px = |i: usize| rect.x0 + (rect.width() as usize * i / nx) as i32;
                let py = |j: usize| rect.y1 - (rect.height() as usize * j / ny) as i32;
                for iy in 0..ny {
                    let mut ix = 0;
                    while ix < nx {
                        let c = colours
                            .get(iy * nx + ix)
                            .copied()
                            .unwrap_or(CellColour::Pending);
                        let mut end = ix + 1;
                        while end < nx && colours.get(iy * nx + end) == Some(&c) {
                            end += 1;
                        }
                        let (r, g, b) = c.rgb();
                        root.draw(&Rectangle::new(
                            [(px(ix), py(iy + 1)), (px(end), py(iy))],
                            RGBColor(r, g, b).filled(),
                        ))
                        .map_err(|e| e.to_string())?;
                        ix = end;
                    }
                }
                Ok(())
            };
            self.picture(&root, 1.0, mark, cells)?;
        }
        Ok(buf)
    }
}
