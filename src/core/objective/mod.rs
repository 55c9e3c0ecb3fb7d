//! Objectives (error surfaces): analytic 2-D functions and data-set losses, each with an
//! exact gradient and Hessian, a default view box, a start point and its known critical points.
//!
//! The registry [`SURFACES`] is the single table that the scenario text, the CLI's `list`
//! and the page's surface picker all read.

mod analytic;
mod critical;
mod custom;
mod data;
mod registry;

pub use analytic::*;
pub use custom::{Custom, CUSTOM, CUSTOM_DEF, DEFAULT_EXPRESSION};
pub use data::*;
pub use registry::SURFACES;

use crate::core::dataset::{Columns, Dataset};
#[cfg(any(not(target_arch = "wasm32"), feature = "sweep"))]
use crate::core::lanes::{Lanes, LANES};
use crate::core::param::Param;

/// Kind of a known critical point, for marking on the contour.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CriticalKind {
    Minimum,
    Saddle,
    Maximum,
}

impl CriticalKind {
    /// Its word in the page's readout and in a basin map's CSV.
    pub fn name(self) -> &'static str {
        match self {
            CriticalKind::Minimum => "minimum",
            CriticalKind::Saddle => "saddle",
            CriticalKind::Maximum => "maximum",
        }
    }
}

/// A known critical point of a surface (refined by Newton's method where not closed-form).
#[derive(Debug, Clone, PartialEq)]
pub struct CriticalPoint {
    pub kind: CriticalKind,
    pub at: Vec<f64>,
}

/// Facts about a built surface that the runs and the page need.
#[derive(Debug, Clone, PartialEq)]
pub struct SurfaceInfo {
    /// Default view box `[x_min, x_max, y_min, y_max]` for the first two parameters.
    pub view: [f64; 4],
    /// Default start point (length = `dim`).
    pub start: Vec<f64>,
    /// Known minima, saddles and maxima inside (or near) the view.
    pub critical: Vec<CriticalPoint>,
    /// The loss spans several orders of magnitude over the view: colour it on a log scale.
    pub log_scale: bool,
}

/// A differentiable objective L(θ). Data-set losses are means over their examples.
pub trait Objective: Send + Sync {
    /// Number of parameters.
    fn dim(&self) -> usize;
    /// L(θ).
    fn loss(&self, p: &[f64]) -> f64;
    /// L(θ), and ∇L(θ) written into `g` (length `dim`).
    fn loss_grad(&self, p: &[f64], g: &mut [f64]) -> f64;
    /// ∇²L(θ) written row-major into `h` (length `dim × dim`).
    fn hessian(&self, p: &[f64], h: &mut [f64]);
    /// Number of examples of a data-set loss; 0 for an analytic surface.
    fn examples(&self) -> usize {
        0
    }
    /// Mean loss and mean gradient over the examples `idx` (data sets only; analytic
    /// surfaces ignore `idx` and return the full loss and gradient).
    fn batch_loss_grad(&self, p: &[f64], idx: &[u32], g: &mut [f64]) -> f64 {
        let _ = idx;
        self.loss_grad(p, g)
    }
    /// L and ∇L at [`LANES`] points given as coordinate arrays (struct-of-arrays), for the
    /// sweeps' batched kernel; two-parameter surfaces only. Each point's values are
    /// `loss_grad`'s bit for bit (the analytic surfaces evaluate the same formula side by side).
    #[cfg(any(not(target_arch = "wasm32"), feature = "sweep"))]
    fn loss_grad_lanes(
        &self,
        x: &Lanes,
        y: &Lanes,
        loss: &mut Lanes,
        gx: &mut Lanes,
        gy: &mut Lanes,
    ) {
        let mut g = [0.0; 2];
        for l in 0..LANES {
            loss[l] = self.loss_grad(&[x[l], y[l]], &mut g);
            (gx[l], gy[l]) = (g[0], g[1]);
        }
    }
    /// Advance `track` (two parameters, a deterministic gradient) by up to `n` updates
    /// through the run loop compiled for this surface (its formula inlined); `None` where the
    /// surface has none and the general one runs.
    #[cfg(not(target_arch = "wasm32"))]
    fn advance_held(
        &self,
        track: &mut crate::core::run::Track,
        stop: &crate::core::run::Stopping,
        n: u64,
    ) -> Option<u64> {
        let _ = (track, stop, n);
        None
    }
    /// Run `jobs` through the batched kernel compiled for this surface (its formula inlined
    /// into the update loop), telling `done` each job's end; false where the surface has no
    /// kernel of its own and the caller runs the general one (through `loss_grad_lanes`).
    #[cfg(not(target_arch = "wasm32"))]
    fn run_lanes(
        &self,
        stop: &crate::core::run::Stopping,
        jobs: &[crate::core::lanes::Job],
        done: &mut dyn FnMut(usize, crate::core::lanes::End),
    ) -> bool {
        let _ = (stop, jobs, done);
        false
    }
    /// View box, start point, critical points.
    fn info(&self) -> &SurfaceInfo;
    /// The examples of a data-set loss as rows in its surface's columns (x, y; x₁, x₂, class
    /// for the SVM), flattened: what a code export embeds. Empty for an analytic surface.
    fn rows(&self) -> Vec<f64> {
        Vec::new()
    }
    /// The labelled 2-D points of a classification data set (SVM), for drawing decision regions.
    fn points(&self) -> Option<&[LabelledPoint]> {
        None
    }
}

/// A 2-D input with its class, for classification data sets.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LabelledPoint {
    pub x: [f64; 2],
    pub class: u8,
}

/// One entry of the surface registry.
pub struct SurfaceDef {
    /// Name in the scenario text (`surface=NAME`).
    pub name: &'static str,
    /// Human title for the picker.
    pub title: &'static str,
    /// One line on what the surface teaches.
    pub help: &'static str,
    /// Parameters after the colon (`surface=ellipse:kappa=50`), in this order.
    pub params: &'static [Param],
    /// Build the surface from its parameter values (same order as `params`, already validated).
    pub build: fn(&[f64]) -> Box<dyn Objective>,
    /// For a data-set surface: how it takes a data set of its own (`data=`).
    pub data: Option<DataDef>,
}

/// How a data-set surface takes given rows in place of its generated examples.
#[derive(Debug)]
pub struct DataDef {
    /// What each row holds.
    pub columns: Columns,
    /// The surface's first `generated` parameters describe generated examples (`n`,
    /// `data_seed`): with given rows they do not apply and are not written.
    pub generated: usize,
    /// Build the surface from its parameter values and the rows.
    pub build: fn(&[f64], &Dataset) -> Box<dyn Objective>,
}

impl std::fmt::Debug for SurfaceDef {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SurfaceDef")
            .field("name", &self.name)
            .finish()
    }
}

/// Look a surface up by its scenario name.
pub fn surface_def(name: &str) -> Option<&'static SurfaceDef> {
    SURFACES.iter().find(|d| d.name == name)
}

/// Build a surface with every parameter at its default.
pub fn build_default(name: &str) -> Option<Box<dyn Objective>> {
    let def = surface_def(name)?;
    let values: Vec<f64> = def.params.iter().map(|p| p.default_num()).collect();
    Some((def.build)(&values))
}

/// Refine a critical point of a 2-D objective by Newton's method on ∇L = 0, starting at `hint`.
/// Used to place minima and saddles that have no closed form.
/// The lowest loss at the surface's known minima (`None` where none is known): L* of the
/// loss chart's log axis and of a challenge's `gap`.
pub fn lowest_known_minimum(obj: &dyn Objective) -> Option<f64> {
    let m = obj
        .info()
        .critical
        .iter()
        .filter(|c| c.kind == CriticalKind::Minimum)
        .map(|c| obj.loss(&c.at))
        .fold(f64::INFINITY, f64::min);
    m.is_finite().then_some(m)
}

pub fn newton_refine(obj: &dyn Objective, hint: [f64; 2]) -> [f64; 2] {
    let mut p = hint;
    let mut g = [0.0; 2];
    let mut h = [0.0; 4];
    for _ in 0..100 {
        obj.loss_grad(&p, &mut g);
        obj.hessian(&p, &mut h);
        let det = h[0] * h[3] - h[1] * h[2];
        if det == 0.0 || !det.is_finite() {
            break;
        }
        let dx = (h[3] * g[0] - h[1] * g[1]) / det;
        let dy = (-h[2] * g[0] + h[0] * g[1]) / det;
        p[0] -= dx;
        p[1] -= dy;
        if dx.abs() + dy.abs() < 1e-15 {
            break;
        }
    }
    p
}

/// Names of the first two parameters, for axis titles: (x, y) on analytic surfaces, the
/// model's weights on data-set losses.
pub fn axis_names(surface: &str) -> (&'static str, &'static str) {
    match surface {
        "neuron" | "sparse" | "linreg" => ("w", "b"),
        "deeplinear" => ("w₁", "w₂"),
        "svm" => ("W₀₀", "W₀₁"),
        _ => ("x", "y"),
    }
}
