//! Sweeps: one optimizer run over a grid of settings. A phase diagram varies two of its
//! parameters (α × γ, α × ρ, α × batch, α × σ, a schedule's k × α, …); a basin map varies the
//! start point over the view. Every cell is the scenario with that optimizer alone and the
//! cell's values set through the parameter table's own setters, so a cell's numbers are those
//! of `gradscape run` on its scenario text ([`Sweep::cell_scenario`]).
//!
//! Natively cells run on every core given: threads take the next cell from one shared
//! counter. The page hands ranges of cells to Web Workers, each with its own module.

#[cfg(not(target_arch = "wasm32"))]
use std::sync::atomic::{AtomicUsize, Ordering};

use crate::core::lanes;
use crate::core::run::{norm, Status};
use crate::core::scenario::Scenario;
pub use crate::core::sweep_spec::{Axis, Scale, SweepSpec, MAX_CELLS};

/// Cells a native thread takes at a time: enough to keep the batched kernel's lanes full.
#[cfg(not(target_arch = "wasm32"))]
const CHUNK: usize = 64;

/// What varies over the grid.
#[derive(Debug, Clone, PartialEq)]
pub enum Grid {
    /// Two parameters of the optimizer.
    Phase { x: Axis, y: Axis },
    /// The start point, over `view` (x_min, x_max, y_min, y_max) in `nx` × `ny` points.
    Basins {
        view: [f64; 4],
        nx: usize,
        ny: usize,
    },
}

/// A sweep of optimizer `opt` of `base` over `grid`.
#[derive(Debug, Clone)]
pub struct Sweep {
    pub base: Scenario,
    pub opt: usize,
    pub grid: Grid,
}

/// Where one cell's run ended.
#[derive(Debug, Clone, PartialEq)]
pub struct Cell {
    /// The cell's two values (parameters, or the start point).
    pub at: [f64; 2],
    pub status: Status,
    /// Updates made.
    pub steps: u64,
    pub loss: f64,
    pub grad_norm: f64,
    pub theta: Vec<f64>,
    /// Basins: the index in the surface's known critical points of the one the run ended at
    /// (within 1e-3 of the view's size), if any.
    pub end: Option<usize>,
}

impl Sweep {
    /// A phase diagram or basin map; checks the optimizer, the axes (their end values go
    /// through the table's setters, so an impossible value is an error naming it) and, for
    /// basins, that the surface is two-dimensional.
    pub fn new(base: Scenario, opt: usize, grid: Grid) -> Result<Sweep, String> {
        if opt >= base.optimizers.len() {
            return Err(format!(
                "--opt {}: the scenario has {} optimizer(s)",
                opt + 1,
                base.optimizers.len()
            ));
        }
        let sweep = Sweep { base, opt, grid };
        match &sweep.grid {
            Grid::Phase { x, y } => {
                if x.key == y.key {
                    return Err(format!("both axes vary `{}`: give two parameters", x.key));
                }
                for (ix, iy) in [(0, 0), (x.cells - 1, y.cells - 1)] {
                    sweep.cell_scenario(ix, iy)?;
                }
            }
            Grid::Basins { view, nx, ny } => {
                if sweep.base.build_objective().dim() != 2 {
                    return Err("basins need a surface of two parameters".into());
                }
                if !(1..=MAX_CELLS).contains(nx) || !(1..=MAX_CELLS).contains(ny) {
                    return Err(format!("a basin grid has 1 to {MAX_CELLS} points per side"));
                }
                if !(view[0] < view[1] && view[2] < view[3]) {
                    return Err("the view must have x_min < x_max and y_min < y_max".into());
                }
            }
        }
        Ok(sweep)
    }

    /// A basin map of optimizer `opt` of `base`, `nx` × `ny` start points over the view the
    /// scenario shows (its `view=`, else the surface's own).
    pub fn basins(base: Scenario, opt: usize, nx: usize, ny: usize) -> Result<Sweep, String> {
        let view = base
            .page
            .view
            .unwrap_or_else(|| base.build_objective().info().view);
        Sweep::new(base, opt, Grid::Basins { view, nx, ny })
    }

    /// Grid size (columns, rows).
    pub fn size(&self) -> (usize, usize) {
        match &self.grid {
            Grid::Phase { x, y } => (x.cells, y.cells),
            Grid::Basins { nx, ny, .. } => (*nx, *ny),
        }
    }

    /// The two values of cell (ix, iy).
    pub fn at(&self, ix: usize, iy: usize) -> [f64; 2] {
        match &self.grid {
            Grid::Phase { x, y } => [x.value(ix), y.value(iy)],
            Grid::Basins { view, nx, ny } => {
                let along = |i: usize, n: usize, lo: f64, hi: f64| {
                    if n <= 1 {
                        0.5 * (lo + hi)
                    } else {
                        lo + (hi - lo) * i as f64 / (n - 1) as f64
                    }
                };
                [
                    along(ix, *nx, view[0], view[1]),
                    along(iy, *ny, view[2], view[3]),
                ]
            }
        }
    }

    /// The scenario of cell (ix, iy): the optimizer alone, with the cell's values; an error
    /// names a value the table refuses.
    pub fn cell_scenario(&self, ix: usize, iy: usize) -> Result<Scenario, String> {
        let mut s = self.template();
        self.set_cell(&mut s, ix, iy)?;
        s.check_work().map_err(|e| e.to_string())?;
        Ok(s)
    }

    /// The scenario every cell starts from: the base with the swept optimizer alone.
    fn template(&self) -> Scenario {
        let mut s = self.base.clone();
        s.optimizers = vec![self.base.optimizers[self.opt]];
        s.page.t = 0;
        s
    }

    /// Make `s` (a [`Sweep::template`]) cell (ix, iy): the optimizer back to the base's, then
    /// the cell's values through the table's setters.
    fn set_cell(&self, s: &mut Scenario, ix: usize, iy: usize) -> Result<(), String> {
        s.optimizers[0] = self.base.optimizers[self.opt];
        let [a, b] = self.at(ix, iy);
        match &self.grid {
            Grid::Phase { x, y } => {
                for (axis, text) in [x, y].into_iter().zip(self.cell_texts(ix, iy)) {
                    s.set_opt_param(0, &axis.key, &text)
                        .map_err(|e| format!("axis {}: {e}", axis.key))?;
                }
            }
            Grid::Basins { .. } => s.start = Some(vec![a, b]),
        }
        Ok(())
    }

    /// The texts a phase diagram's cell (ix, iy) gives its two parameters: the axes' values,
    /// rounded where the parameter table takes whole numbers only (empty for basins).
    pub fn cell_texts(&self, ix: usize, iy: usize) -> Vec<String> {
        let Grid::Phase { x, y } = &self.grid else {
            return Vec::new();
        };
        let o = &self.base.optimizers[self.opt];
        let whole = |key: &str| {
            crate::core::scenario::table::optimizer_rows(o.rule.kind(), o.schedule.name())
                .any(|p| p.key == key && p.integer())
        };
        let [a, b] = self.at(ix, iy);
        [(x, a), (y, b)]
            .into_iter()
            .map(|(axis, v)| {
                if whole(&axis.key) {
                    format!("{}", v.round())
                } else {
                    format!("{v}")
                }
            })
            .collect()
    }

    /// Run cell (ix, iy) to its end through the run loop: the reference every batched cell
    /// equals, and the way for cells the batched kernel does not take.
    pub fn run_cell(&self, ix: usize, iy: usize) -> Result<Cell, String> {
        let s = self.cell_scenario(ix, iy)?;
        let mut run = s.build_run();
        while run.advance(1 << 20) > 0 {}
        let t = &run.tracks[0];
        Ok(Cell {
            at: self.at(ix, iy),
            status: t.status,
            steps: t.step,
            loss: t.loss,
            grad_norm: t.grad_norm(),
            theta: t.theta.clone(),
            end: self.end_at(run.objective.as_ref(), &t.theta),
        })
    }

    /// Cells `from..to` (row by row, y outer), each equal to [`Sweep::run_cell`]'s: those the
    /// batched kernel takes (a two-parameter surface, a deterministic gradient) run
    /// [`LANES`](crate::core::lanes::LANES) at a time, the others through the run loop.
    pub fn run_range(&self, from: usize, to: usize) -> Vec<Result<Cell, String>> {
        let (nx, ny) = self.size();
        let (from, to) = (from.min(nx * ny), to.min(nx * ny));
        let obj = self.base.build_objective();
        let mut s = self.template();
        let mut out: Vec<Option<Result<Cell, String>>> = (from..to).map(|_| None).collect();
        let (mut jobs, mut cells) = (Vec::new(), Vec::new());
        for i in from..to {
            let (ix, iy) = (i % nx, i / nx);
            if let Err(e) = self.set_cell(&mut s, ix, iy) {
                out[i - from] = Some(Err(e));
                continue;
            }
            let config = s.optimizers[0];
            let start = s.start_on(obj.as_ref());
            match <[f64; 2]>::try_from(&start[..]) {
                Ok(start) if lanes::batchable(obj.as_ref(), &config) => {
                    jobs.push(lanes::Job { config, start });
                    cells.push(i);
                }
                _ => out[i - from] = Some(self.run_cell(ix, iy)),
            }
        }
        let mut finish = |j: usize, end: lanes::End| {
            let i = cells[j];
            out[i - from] = Some(Ok(Cell {
                at: self.at(i % nx, i / nx),
                status: end.status,
                steps: end.steps,
                loss: end.loss,
                grad_norm: end.grad_sq.sqrt(),
                theta: end.theta.to_vec(),
                end: self.end_at(obj.as_ref(), &end.theta),
            }));
        };
        let stop = &self.base.stopping;
        #[cfg(not(target_arch = "wasm32"))]
        let done = obj.run_lanes(stop, &jobs, &mut finish);
        #[cfg(target_arch = "wasm32")]
        let done = false;
        if !done {
            lanes::run(obj.as_ref(), obj.as_ref(), stop, &jobs, &mut finish);
        }
        out.into_iter()
            .map(|c| c.unwrap_or_else(|| Err("a sweep cell was not run".into())))
            .collect()
    }

    /// The sweeps a page's worker runs when it starts ([`Sweep::warm`]): per rule a phase
    /// diagram of 8 cells × 3,000 steps on Rosenbrock, half noiseless (the batched kernel),
    /// half noisy (the run loop).
    pub fn warm_ups() -> Result<Vec<Sweep>, String> {
        crate::core::optim::RuleKind::ALL
            .iter()
            .map(|kind| {
                let text = format!(
                    "v=1&surface=rosenbrock&steps=3000&gtol=0&opt={}:lr=0.0001",
                    kind.name()
                );
                let grid = Grid::Phase {
                    x: Axis::parse("lr=0.0001..0.0002:4")?,
                    y: Axis::parse("noise=0..0.01:2")?,
                };
                Sweep::new(Scenario::parse(&text).map_err(|e| e.to_string())?, 0, grid)
            })
            .collect()
    }

    /// Run [`Sweep::warm_ups`] four times each, so that the engine has compiled its optimised
    /// code for the kernels and the cells' set-up before the first real cells (its first tier
    /// runs them about 2× slower).
    pub fn warm() {
        for sweep in Sweep::warm_ups().unwrap_or_default() {
            for _ in 0..4 {
                std::hint::black_box(sweep.run_range(0, 8));
            }
        }
    }

    /// Basins: the index in the surface's known critical points of the one `theta` is at
    /// (within 1e-3 of the view's size), if any.
    fn end_at(&self, obj: &dyn crate::core::objective::Objective, theta: &[f64]) -> Option<usize> {
        let Grid::Basins { view, .. } = &self.grid else {
            return None;
        };
        let tol = 1e-3 * (view[1] - view[0]).max(view[3] - view[2]);
        obj.info()
            .critical
            .iter()
            .enumerate()
            .filter(|(_, c)| c.at.len() == theta.len())
            .map(|(i, c)| {
                let d: Vec<f64> = c.at.iter().zip(theta).map(|(a, b)| a - b).collect();
                (i, norm(&d))
            })
            .filter(|&(_, d)| d <= tol)
            .min_by(|a, b| a.1.total_cmp(&b.1))
            .map(|(i, _)| i)
    }

    /// Every cell, row by row (y outer, x inner), on `threads` threads taking [`CHUNK`] cells
    /// at a time from one counter; `done` is told each cell's index as it finishes (from the
    /// thread that ran it).
    #[cfg(not(target_arch = "wasm32"))]
    pub fn run(&self, threads: usize, done: &(dyn Fn(usize) + Sync)) -> Result<Vec<Cell>, String> {
        let (nx, ny) = self.size();
        let n = nx * ny;
        let next = AtomicUsize::new(0);
        let mut parts: Vec<Vec<(usize, Result<Cell, String>)>> = Vec::new();
        std::thread::scope(|scope| {
            let workers: Vec<_> = (0..threads.clamp(1, n.div_ceil(CHUNK).max(1)))
                .map(|_| {
                    scope.spawn(|| {
                        let mut mine = Vec::new();
                        loop {
                            let from = next.fetch_add(CHUNK, Ordering::Relaxed);
                            if from >= n {
                                break;
                            }
                            for (k, c) in self.run_range(from, from + CHUNK).into_iter().enumerate()
                            {
                                mine.push((from + k, c));
                                done(from + k);
                            }
                        }
                        mine
                    })
                })
                .collect();
            parts = workers
                .into_iter()
                .map(|w| w.join().unwrap_or_default())
                .collect();
        });
        let mut cells: Vec<(usize, Result<Cell, String>)> = parts.into_iter().flatten().collect();
        if cells.len() < n {
            return Err("a sweep thread stopped early".into());
        }
        cells.sort_by_key(|(i, _)| *i);
        cells.into_iter().map(|(_, c)| c).collect()
    }

    /// The CSV of `cells`: the two axes, then how the run ended.
    pub fn csv(&self, cells: &[Cell]) -> String {
        let rows: Vec<Row> = cells
            .iter()
            .map(|c| Row {
                at: c.at,
                word: status_word(&c.status),
                steps: c.steps,
                loss: c.loss,
                grad_norm: c.grad_norm,
                end: c.end,
                theta: &c.theta,
            })
            .collect();
        self.csv_rows(&rows)
    }

    /// The CSV of `rows`: what [`Sweep::csv`] writes, from the values a page's workers send.
    pub fn csv_rows(&self, rows: &[Row]) -> String {
        let (a, b) = match &self.grid {
            Grid::Phase { x, y } => (x.key.as_str(), y.key.as_str()),
            Grid::Basins { .. } => ("x0", "y0"),
        };
        let basins = matches!(self.grid, Grid::Basins { .. });
        let dim = rows.first().map_or(0, |c| c.theta.len());
        let mut out = format!("{a},{b},status,steps,loss,grad_norm");
        if basins {
            out.push_str(",end");
        }
        for j in 0..dim {
            out.push_str(&format!(",p{j}"));
        }
        out.push('\n');
        let critical = self.base.build_objective().info().critical.clone();
        for c in rows {
            out.push_str(&format!(
                "{},{},{},{},{},{}",
                c.at[0], c.at[1], c.word, c.steps, c.loss, c.grad_norm
            ));
            if basins {
                let end = match (c.word, c.end.and_then(|i| Some((i, critical.get(i)?)))) {
                    ("diverged", _) => "diverged".to_string(),
                    (_, Some((i, p))) => format!("{} {}", p.kind.name(), i + 1),
                    (_, None) => "elsewhere".to_string(),
                };
                out.push_str(&format!(",{end}"));
            }
            for p in c.theta {
                out.push_str(&format!(",{p}"));
            }
            out.push('\n');
        }
        out
    }
}

/// One CSV row of a sweep: a cell's values, its status as [`status_word`]'s word.
#[derive(Debug, Clone)]
pub struct Row<'a> {
    pub at: [f64; 2],
    pub word: &'static str,
    pub steps: u64,
    pub loss: f64,
    pub grad_norm: f64,
    pub end: Option<usize>,
    pub theta: &'a [f64],
}

/// A status as the number a page's worker sends: 1 converged, 2 stopped at the step limit,
/// 3 stopped on a saddle point, 5 on a maximum, 4 diverged (0 running).
pub fn status_code(s: &Status) -> f64 {
    match s {
        Status::Running => 0.0,
        Status::Converged { .. } => 1.0,
        Status::Stopped { .. } => 2.0,
        Status::AtCritical { kind, .. } => match kind {
            crate::core::geometry::PointKind::Maximum => 5.0,
            _ => 3.0,
        },
        Status::Diverged { .. } => 4.0,
    }
}

/// [`status_word`] of the status a [`status_code`] stands for ("" for no code).
pub fn code_word(code: f64) -> &'static str {
    match code as i64 {
        _ if code.is_nan() => "",
        0 => "running",
        1 => "converged",
        2 => "stopped",
        3 => "saddle",
        5 => "maximum",
        4 => "diverged",
        _ => "",
    }
}

impl Sweep {
    /// The optimizer's stability bound over the phase diagram, as points (x, y) in the axes'
    /// values, with its formula: where one axis is α, the rule has a bound (GD, momentum,
    /// Nesterov) and the start point's Hessian is positive definite (a quadratic's bound then
    /// applies near it). Along the other axis the bound moves where that axis is γ.
    pub fn bound(&self) -> Option<(Vec<[f64; 2]>, &'static str)> {
        let Grid::Phase { x, y } = &self.grid else {
            return None;
        };
        let (lr_is_x, other) = match (x.key.as_str(), y.key.as_str()) {
            ("lr", _) => (true, y),
            (_, "lr") => (false, x),
            _ => return None,
        };
        let obj = self.base.build_objective();
        if obj.dim() != 2 {
            return None;
        }
        let start = self.base.start_on(obj.as_ref());
        let g = crate::core::geometry::local_geometry(obj.as_ref(), &start);
        if g.eigenvalues[0].is_nan() || g.eigenvalues[0] <= 0.0 {
            return None;
        }
        let mut points = Vec::new();
        let mut formula = "";
        for i in 0..other.cells {
            let (ix, iy) = if lr_is_x { (0, i) } else { (i, 0) };
            let s = self.cell_scenario(ix, iy).ok()?;
            let (bound, f) =
                crate::core::geometry::stability_limit(&s.optimizers[0].rule, g.eigenvalues[1])?;
            formula = f;
            let v = other.value(i);
            points.push(if lr_is_x { [bound, v] } else { [v, bound] });
        }
        Some((points, formula))
    }
}

/// One word for how a run ended: converged, stopped, saddle, maximum, diverged.
pub fn status_word(s: &Status) -> &'static str {
    match s {
        Status::Running => "running",
        Status::Converged { .. } => "converged",
        Status::Stopped { .. } => "stopped",
        Status::AtCritical { kind, .. } => match kind {
            crate::core::geometry::PointKind::Maximum => "maximum",
            _ => "saddle",
        },
        Status::Diverged { .. } => "diverged",
    }
}
