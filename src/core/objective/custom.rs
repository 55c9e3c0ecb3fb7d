//! "Your own surface": an expression f(x, y) typed by the user, with its exact gradient and
//! Hessian by forward-mode differentiation (see [`crate::core::expr`]).
//!
//! It is not in the registry [`super::SURFACES`] (which lists the built-in surfaces); the
//! scenario text names it `surface=custom:f=EXPR` and keeps the expression beside the name.

use super::critical::{classify, push_unique};
use super::{CriticalPoint, Objective, SurfaceDef, SurfaceInfo};
use crate::core::expr::{Expr, ExprError};
use crate::core::math::sqrt;

/// The surface's name in the scenario text.
pub const CUSTOM: &str = "custom";

/// The expression offered when a user first picks the custom surface.
pub const DEFAULT_EXPRESSION: &str = "0.1*(x^2 + y^2) + sin(x)*cos(y)";

/// Default view box.
const VIEW: [f64; 4] = [-5.0, 5.0, -5.0, 5.0];
/// Preferred start point.
const START: [f64; 2] = [-3.0, 3.0];
/// Most critical points kept.
const MAX_CRITICAL: usize = 16;
/// Newton iterations per hint when looking for critical points.
const NEWTON_STEPS: usize = 40;

/// Registry-style entry of the custom surface, for code that shows a surface's name, title
/// and parameters. Its `build` gives [`DEFAULT_EXPRESSION`]: the expression itself lives in
/// the scenario (`Scenario::custom`), so build through `Scenario::build_objective`.
pub static CUSTOM_DEF: SurfaceDef = SurfaceDef {
    name: CUSTOM,
    title: "Your own surface",
    help: "Type f(x, y): + - * / ^, sin cos tan exp ln log sqrt abs tanh sigmoid min max, pi, e.",
    params: &[],
    build: build_default_custom,
    data: None,
};

fn build_default_custom(_: &[f64]) -> Box<dyn Objective> {
    match Custom::parse(DEFAULT_EXPRESSION) {
        Ok(c) => Box::new(c),
        Err(_) => Box::new(super::bowl()),
    }
}

/// A surface given by an expression f(x, y).
///
/// Its info: the view [−5, 5]², the start (−3, 3) unless f or ∇f is not finite there (then
/// the nearest point of an 11 × 11 grid over the view where both are), the critical points
/// Newton's method reaches from a 9 × 9 grid of hints and that check out (∇f ≈ 0, Hessian
/// non-singular, inside the view; at most 16), and a log colour scale when the sampled
/// values above their minimum, f − f_min, span at least 3 decades.
///
/// Where f is not defined (`ln(x)` for x < 0, `1/x` at 0) the loss and derivatives are NaN
/// or infinite: the run's divergence check and the heatmap deal with them.
#[derive(Debug, Clone)]
pub struct Custom {
    expr: Expr,
    info: SurfaceInfo,
}

impl Custom {
    /// Parse `source` and build the surface.
    pub fn parse(source: &str) -> Result<Custom, ExprError> {
        Expr::parse(source).map(Custom::new)
    }

    /// The surface of a compiled expression.
    #[inline(never)]
    pub fn new(expr: Expr) -> Custom {
        let start = start_point(&expr);
        let log_scale = wide_range(&expr);
        let mut c = Custom {
            expr,
            info: SurfaceInfo {
                view: VIEW,
                start: start.to_vec(),
                critical: Vec::new(),
                log_scale,
            },
        };
        c.info.critical = critical_points(&c);
        c
    }

    /// The expression.
    pub fn expr(&self) -> &Expr {
        &self.expr
    }
}

fn xy(p: &[f64]) -> (f64, f64) {
    (
        p.first().copied().unwrap_or(f64::NAN),
        p.get(1).copied().unwrap_or(f64::NAN),
    )
}

impl Objective for Custom {
    fn dim(&self) -> usize {
        2
    }
    fn loss(&self, p: &[f64]) -> f64 {
        let (x, y) = xy(p);
        self.expr.eval(x, y)
    }
    fn loss_grad(&self, p: &[f64], g: &mut [f64]) -> f64 {
        let (x, y) = xy(p);
        let f = self.expr.eval2(x, y);
        for (o, d) in g.iter_mut().zip(f.d) {
            *o = d;
        }
        f.v
    }
    fn hessian(&self, p: &[f64], h: &mut [f64]) {
        let (x, y) = xy(p);
        let f = self.expr.eval2(x, y);
        for (o, d) in h.iter_mut().zip(f.hessian()) {
            *o = d;
        }
    }
    fn info(&self) -> &SurfaceInfo {
        &self.info
    }
}

/// Points of an `n × n` grid over the view, edges included.
fn grid(n: usize) -> impl Iterator<Item = [f64; 2]> {
    let at = move |k: usize, lo: f64, hi: f64| lo + (hi - lo) * k as f64 / (n - 1) as f64;
    (0..n)
        .flat_map(move |j| (0..n).map(move |i| [at(i, VIEW[0], VIEW[1]), at(j, VIEW[2], VIEW[3])]))
}

fn finite_at(expr: &Expr, p: [f64; 2]) -> bool {
    let f = expr.eval2(p[0], p[1]);
    f.v.is_finite() && f.d.iter().all(|d| d.is_finite())
}

/// [`START`], or the nearest grid point where f and ∇f are finite.
fn start_point(expr: &Expr) -> [f64; 2] {
    if finite_at(expr, START) {
        return START;
    }
    let dist = |p: &[f64; 2]| {
        let (dx, dy) = (p[0] - START[0], p[1] - START[1]);
        dx * dx + dy * dy
    };
    grid(11)
        .filter(|p| finite_at(expr, *p))
        .min_by(|a, b| dist(a).total_cmp(&dist(b)))
        .unwrap_or(START)
}

/// Whether f − f_min over a 21 × 21 grid spans at least 3 decades (log colour scale).
fn wide_range(expr: &Expr) -> bool {
    let values: Vec<f64> = grid(21)
        .map(|p| expr.eval(p[0], p[1]))
        .filter(|v| v.is_finite())
        .collect();
    let min = values.iter().copied().fold(f64::INFINITY, f64::min);
    let (mut lo, mut hi) = (f64::INFINITY, 0.0f64);
    for v in &values {
        let d = v - min;
        if d > 0.0 {
            lo = lo.min(d);
            hi = hi.max(d);
        }
    }
    lo.is_finite() && hi >= 1e3 * lo
}

/// Newton's method on ∇f = 0 from every point of a 9 × 9 grid, keeping the points that
/// [`classify`] confirms, that lie in the view and whose Hessian is not nearly singular.
fn critical_points(c: &Custom) -> Vec<CriticalPoint> {
    let mut out: Vec<CriticalPoint> = Vec::new();
    for hint in grid(9) {
        if out.len() >= MAX_CRITICAL {
            break;
        }
        let Some(p) = newton(&c.expr, hint) else {
            continue;
        };
        let inside = VIEW[0] <= p[0] && p[0] <= VIEW[1] && VIEW[2] <= p[1] && p[1] <= VIEW[3];
        if !inside {
            continue;
        }
        let f = c.expr.eval2(p[0], p[1]);
        let [a, b, d] = f.h;
        // Eigenvalues of [[a, b], [b, d]]: both clearly away from zero.
        let (mid, r) = (0.5 * (a + d), sqrt(0.25 * (a - d) * (a - d) + b * b));
        let (lo, hi) = (mid - r, mid + r);
        if lo.abs().min(hi.abs()) <= 1e-8 * lo.abs().max(hi.abs()) {
            continue;
        }
        if let Some(kind) = classify(c, p) {
            push_unique(
                &mut out,
                CriticalPoint {
                    kind,
                    at: p.to_vec(),
                },
            );
        }
    }
    out
}

/// Newton's method on ∇f = 0 from `hint`, with gradient and Hessian from one evaluation.
fn newton(expr: &Expr, hint: [f64; 2]) -> Option<[f64; 2]> {
    let mut p = hint;
    for _ in 0..NEWTON_STEPS {
        let f = expr.eval2(p[0], p[1]);
        let [a, b, d] = f.h;
        let det = a * d - b * b;
        if det == 0.0 || !det.is_finite() {
            return None;
        }
        let dx = (d * f.d[0] - b * f.d[1]) / det;
        let dy = (-b * f.d[0] + a * f.d[1]) / det;
        if !(dx.is_finite() && dy.is_finite()) {
            return None;
        }
        p = [p[0] - dx, p[1] - dy];
        if p[0].abs().max(p[1].abs()) > 1e3 {
            return None;
        }
        if dx.abs() + dy.abs() <= 1e-14 * (1.0 + p[0].abs() + p[1].abs()) {
            return Some(p);
        }
    }
    Some(p)
}
