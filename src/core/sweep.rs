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

use crate::core::objective::CriticalKind;
use crate::core::run::{norm, Status};
use crate::core::scenario::Scenario;
pub use crate::core::sweep_spec::{Axis, Scale, SweepSpec, MAX_CELLS};

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
        let mut s = self.base.clone();
        s.optimizers = vec![self.base.optimizers[self.opt]];
        s.page.t = 0;
        let [a, b] = self.at(ix, iy);
        match &self.grid {
            Grid::Phase { x, y } => {
                for (axis, v) in [(x, a), (y, b)] {
                    let text = if is_whole(&axis.key) {
                        format!("{}", v.round())
                    } else {
                        format!("{v}")
                    };
                    s.set_opt_param(0, &axis.key, &text)
                        .map_err(|e| format!("axis {}: {e}", axis.key))?;
                }
            }
            Grid::Basins { .. } => s.start = Some(vec![a, b]),
        }
        s.check_work().map_err(|e| e.to_string())?;
        Ok(s)
    }

    /// Run cell (ix, iy) to its end.
    pub fn run_cell(&self, ix: usize, iy: usize) -> Result<Cell, String> {
        let s = self.cell_scenario(ix, iy)?;
        let mut run = s.build_run();
        while run.advance(1 << 20) > 0 {}
        let t = &run.tracks[0];
        let end = match &self.grid {
            Grid::Basins { view, .. } => {
                let tol = 1e-3 * (view[1] - view[0]).max(view[3] - view[2]);
                let info = run.objective.info();
                info.critical
                    .iter()
                    .enumerate()
                    .filter(|(_, c)| c.at.len() == t.theta.len())
                    .map(|(i, c)| {
                        let d: Vec<f64> = c.at.iter().zip(&t.theta).map(|(a, b)| a - b).collect();
                        (i, norm(&d))
                    })
                    .filter(|&(_, d)| d <= tol)
                    .min_by(|a, b| a.1.total_cmp(&b.1))
                    .map(|(i, _)| i)
            }
            Grid::Phase { .. } => None,
        };
        Ok(Cell {
            at: self.at(ix, iy),
            status: t.status,
            steps: t.step,
            loss: t.loss,
            grad_norm: t.grad_norm(),
            theta: t.theta.clone(),
            end,
        })
    }

    /// Every cell, row by row (y outer, x inner), on `threads` threads; `done` is told each
    /// cell's index as it finishes (from the thread that ran it).
    #[cfg(not(target_arch = "wasm32"))]
    pub fn run(&self, threads: usize, done: &(dyn Fn(usize) + Sync)) -> Result<Vec<Cell>, String> {
        let (nx, ny) = self.size();
        let n = nx * ny;
        let next = AtomicUsize::new(0);
        let mut parts: Vec<Vec<(usize, Result<Cell, String>)>> = Vec::new();
        std::thread::scope(|scope| {
            let workers: Vec<_> = (0..threads.clamp(1, n.max(1)))
                .map(|_| {
                    scope.spawn(|| {
                        let mut mine = Vec::new();
                        loop {
                            let i = next.fetch_add(1, Ordering::Relaxed);
                            if i >= n {
                                break;
                            }
                            mine.push((i, self.run_cell(i % nx, i / nx)));
                            done(i);
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
        let (a, b) = match &self.grid {
            Grid::Phase { x, y } => (x.key.as_str(), y.key.as_str()),
            Grid::Basins { .. } => ("x0", "y0"),
        };
        let dim = cells.first().map_or(0, |c| c.theta.len());
        let mut out = format!("{a},{b},status,steps,loss,grad_norm");
        if matches!(self.grid, Grid::Basins { .. }) {
            out.push_str(",end");
        }
        for j in 0..dim {
            out.push_str(&format!(",p{j}"));
        }
        out.push('\n');
        let critical = self.base.build_objective().info().critical.clone();
        for c in cells {
            out.push_str(&format!(
                "{},{},{},{},{},{}",
                c.at[0],
                c.at[1],
                status_word(&c.status),
                c.steps,
                c.loss,
                c.grad_norm
            ));
            if matches!(self.grid, Grid::Basins { .. }) {
                let end = match (c.end, c.status) {
                    (_, Status::Diverged { .. }) => "diverged".to_string(),
                    (Some(i), _) => {
                        let kind = match critical[i].kind {
                            CriticalKind::Minimum => "minimum",
                            CriticalKind::Saddle => "saddle",
                            CriticalKind::Maximum => "maximum",
                        };
                        format!("{kind} {}", i + 1)
                    }
                    (None, _) => "elsewhere".to_string(),
                };
                out.push_str(&format!(",{end}"));
            }
            for p in &c.theta {
                out.push_str(&format!(",{p}"));
            }
            out.push('\n');
        }
        out
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
        let start = self
            .base
            .start
            .clone()
            .unwrap_or_else(|| obj.info().start.clone());
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

/// Whether an optimizer parameter takes whole numbers only (its cells are rounded).
fn is_whole(key: &str) -> bool {
    matches!(key, "batch" | "warmup" | "every")
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
