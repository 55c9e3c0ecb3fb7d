//! Analytic 2-D surfaces: closed-form L(x, y) with exact gradient and Hessian.
//!
//! Each surface is a small struct implementing the private [`Field2`] trait (value, gradient,
//! Hessian at a point); the generic [`Analytic`] wrapper adds its view, start and critical
//! points and implements [`Objective`].

use super::critical::{push_unique, refine_as};
use super::{CriticalKind, CriticalPoint, Objective, SurfaceInfo};
#[cfg(any(not(target_arch = "wasm32"), feature = "sweep"))]
use crate::core::lanes::{Lanes, LANES};
use crate::core::math::{exp, sigmoid};

use CriticalKind::{Maximum, Minimum, Saddle};

/// A closed-form function of two variables.
trait Field2: Send + Sync {
    /// L(x, y) and its gradient.
    fn eval(&self, x: f64, y: f64) -> (f64, [f64; 2]);
    /// The Hessian, row-major `[Lxx, Lxy, Lyx, Lyy]`.
    fn hess(&self, x: f64, y: f64) -> [f64; 4];
}

/// An analytic surface: a closed-form function plus its view box, start and critical points.
#[derive(Debug, Clone)]
pub struct Analytic<F> {
    f: F,
    info: SurfaceInfo,
}

impl<F> Analytic<F> {
    fn new(f: F, view: [f64; 4], start: [f64; 2], log_scale: bool) -> Self {
        let info = SurfaceInfo {
            view,
            start: start.to_vec(),
            critical: Vec::new(),
            log_scale,
        };
        Analytic { f, info }
    }

    /// Add critical points known in closed form.
    fn exact(mut self, kind: CriticalKind, points: &[[f64; 2]]) -> Self {
        for p in points {
            let cp = CriticalPoint {
                kind,
                at: p.to_vec(),
            };
            push_unique(&mut self.info.critical, cp);
        }
        self
    }

    /// Add the critical points Newton's method finds from `hints`, keeping only those that
    /// converged to a point of the expected `kind`.
    fn refined(mut self, kind: CriticalKind, hints: &[[f64; 2]]) -> Self
    where
        Self: Objective,
    {
        for &hint in hints {
            if let Some(cp) = refine_as(&self, hint, kind) {
                push_unique(&mut self.info.critical, cp);
            }
        }
        self
    }
}

impl<F: Field2> Objective for Analytic<F> {
    fn dim(&self) -> usize {
        2
    }
    fn loss(&self, p: &[f64]) -> f64 {
        self.f.eval(p[0], p[1]).0
    }
    fn loss_grad(&self, p: &[f64], g: &mut [f64]) -> f64 {
        let (l, d) = self.f.eval(p[0], p[1]);
        g[..2].copy_from_slice(&d);
        l
    }
    fn hessian(&self, p: &[f64], h: &mut [f64]) {
        h[..4].copy_from_slice(&self.f.hess(p[0], p[1]));
    }
    #[cfg(any(not(target_arch = "wasm32"), feature = "sweep"))]
    #[inline(always)]
    fn loss_grad_lanes(
        &self,
        x: &Lanes,
        y: &Lanes,
        loss: &mut Lanes,
        gx: &mut Lanes,
        gy: &mut Lanes,
    ) {
        for l in 0..LANES {
            let (v, d) = self.f.eval(x[l], y[l]);
            (loss[l], gx[l], gy[l]) = (v, d[0], d[1]);
        }
    }
    #[cfg(not(target_arch = "wasm32"))]
    fn advance_held(
        &self,
        track: &mut crate::core::run::Track,
        stop: &crate::core::run::Stopping,
        n: u64,
    ) -> Option<u64> {
        Some(track.advance_held_any(self, self, stop, n))
    }
    #[cfg(not(target_arch = "wasm32"))]
    fn run_lanes(
        &self,
        stop: &crate::core::run::Stopping,
        jobs: &[crate::core::lanes::Job],
        done: &mut dyn FnMut(usize, crate::core::lanes::End),
    ) -> bool {
        crate::core::lanes::run(self, self, stop, jobs, done);
        true
    }
    fn info(&self) -> &SurfaceInfo {
        &self.info
    }
}

/// Convex bowl L = x² + y²: the easy case every method solves.
#[derive(Debug, Clone, Copy)]
pub struct Bowl;

impl Field2 for Bowl {
    fn eval(&self, x: f64, y: f64) -> (f64, [f64; 2]) {
        (x * x + y * y, [2.0 * x, 2.0 * y])
    }
    fn hess(&self, _x: f64, _y: f64) -> [f64; 4] {
        [2.0, 0.0, 0.0, 2.0]
    }
}

/// The bowl, started at (−4, 3.5).
pub fn bowl() -> Analytic<Bowl> {
    Analytic::new(Bowl, [-5.0, 5.0, -5.0, 5.0], [-4.0, 3.5], true).exact(Minimum, &[[0.0, 0.0]])
}

/// Elliptic valley L = ½(x² + κy²): Hessian eigenvalues 1 and κ, so GD diverges for α > 2/κ
/// while crawling along x.
#[derive(Debug, Clone, Copy)]
pub struct Ellipse {
    kappa: f64,
}

impl Field2 for Ellipse {
    fn eval(&self, x: f64, y: f64) -> (f64, [f64; 2]) {
        (0.5 * (x * x + self.kappa * y * y), [x, self.kappa * y])
    }
    fn hess(&self, _x: f64, _y: f64) -> [f64; 4] {
        [1.0, 0.0, 0.0, self.kappa]
    }
}

/// The elliptic valley with condition number `kappa`.
pub fn ellipse(kappa: f64) -> Analytic<Ellipse> {
    let f = Ellipse { kappa };
    Analytic::new(f, [-5.0, 5.0, -5.0, 5.0], [-4.5, 2.0], true).exact(Minimum, &[[0.0, 0.0]])
}

/// Plateau L = 1 − exp(−(x² + y²)/w²): a narrow well in a flat plain, where the gradient
/// almost vanishes and GD crawls.
#[derive(Debug, Clone, Copy)]
pub struct Plateau {
    /// w².
    w2: f64,
}

impl Field2 for Plateau {
    fn eval(&self, x: f64, y: f64) -> (f64, [f64; 2]) {
        let e = exp(-(x * x + y * y) / self.w2);
        let c = 2.0 / self.w2;
        (1.0 - e, [c * x * e, c * y * e])
    }
    fn hess(&self, x: f64, y: f64) -> [f64; 4] {
        let e = exp(-(x * x + y * y) / self.w2);
        let c = 2.0 / self.w2;
        let xy = -c * c * x * y * e;
        [c * e * (1.0 - c * x * x), xy, xy, c * e * (1.0 - c * y * y)]
    }
}

/// The plateau with well width `width`; view and start scale with it, the start (2.2w, 1.6w)
/// lies far out on the flat part.
pub fn plateau(width: f64) -> Analytic<Plateau> {
    let w = width;
    let f = Plateau { w2: w * w };
    let view = [-4.0 * w, 4.0 * w, -4.0 * w, 4.0 * w];
    Analytic::new(f, view, [2.2 * w, 1.6 * w], false).exact(Minimum, &[[0.0, 0.0]])
}

/// One Gaussian well d·exp(−((x−a)² + (y−b)²)/s) of the [`Minima`] surface.
#[derive(Debug, Clone, Copy)]
struct Well {
    a: f64,
    b: f64,
    depth: f64,
    spread: f64,
}

/// The wells of the local-minima surface as (a, b, depth, spread): the code exports write
/// the same surface.
pub fn minima_wells() -> [[f64; 4]; 3] {
    WELLS.map(|w| [w.a, w.b, w.depth, w.spread])
}

/// Wells of [`Minima`]: deep (global), medium, shallow.
const WELLS: [Well; 3] = [
    Well {
        a: 2.0,
        b: -1.5,
        depth: 3.0,
        spread: 2.0,
    },
    Well {
        a: -2.5,
        b: -1.5,
        depth: 2.0,
        spread: 1.5,
    },
    Well {
        a: -0.5,
        b: 2.5,
        depth: 1.0,
        spread: 1.0,
    },
];

/// Several basins L = 0.05(x² + y²) − Σₖ dₖ exp(−((x−aₖ)² + (y−bₖ)²)/sₖ): a deep global
/// minimum, a medium and a shallow local one, where GD gets stuck.
#[derive(Debug, Clone, Copy)]
pub struct Minima {
    wells: [Well; 3],
}

impl Field2 for Minima {
    fn eval(&self, x: f64, y: f64) -> (f64, [f64; 2]) {
        let mut l = 0.05 * (x * x + y * y);
        let mut g = [0.1 * x, 0.1 * y];
        for w in &self.wells {
            let (dx, dy) = (x - w.a, y - w.b);
            let e = w.depth * exp(-(dx * dx + dy * dy) / w.spread);
            let c = 2.0 / w.spread;
            l -= e;
            g[0] += c * dx * e;
            g[1] += c * dy * e;
        }
        (l, g)
    }
    fn hess(&self, x: f64, y: f64) -> [f64; 4] {
        let mut h = [0.1, 0.0, 0.0, 0.1];
        for w in &self.wells {
            let (dx, dy) = (x - w.a, y - w.b);
            let e = w.depth * exp(-(dx * dx + dy * dy) / w.spread);
            let c = 2.0 / w.spread;
            let xy = -c * c * dx * dy * e;
            h[0] += c * e * (1.0 - c * dx * dx);
            h[1] += xy;
            h[2] += xy;
            h[3] += c * e * (1.0 - c * dy * dy);
        }
        h
    }
}

/// The several-minima surface. Minima are refined from the well centres, saddles from the
/// midpoints between wells; the start lies in the basin of the shallow well.
pub fn minima() -> Analytic<Minima> {
    let wells = WELLS;
    let centres: Vec<[f64; 2]> = wells.iter().map(|w| [w.a, w.b]).collect();
    let mut mids = Vec::new();
    for (i, p) in centres.iter().enumerate() {
        for q in &centres[i + 1..] {
            mids.push([0.5 * (p[0] + q[0]), 0.5 * (p[1] + q[1])]);
        }
    }
    Analytic::new(Minima { wells }, [-5.0, 5.0, -5.0, 5.0], [-3.5, 4.0], false)
        .refined(Minimum, &centres)
        .refined(Saddle, &mids)
}

/// Saddle L = x² + y⁴/4 − y²/2: zero gradient at the origin, which is no minimum; the
/// minima are (0, ±1).
#[derive(Debug, Clone, Copy)]
pub struct SaddlePoint;

impl Field2 for SaddlePoint {
    fn eval(&self, x: f64, y: f64) -> (f64, [f64; 2]) {
        let y2 = y * y;
        (x * x + 0.25 * y2 * y2 - 0.5 * y2, [2.0 * x, y2 * y - y])
    }
    fn hess(&self, _x: f64, y: f64) -> [f64; 4] {
        [2.0, 0.0, 0.0, 3.0 * y * y - 1.0]
    }
}

/// The saddle, started at (2, 0) on its stable line: noiseless GD converges to the saddle.
pub fn saddle() -> Analytic<SaddlePoint> {
    Analytic::new(SaddlePoint, [-2.5, 2.5, -2.0, 2.0], [2.0, 0.0], false)
        .exact(Saddle, &[[0.0, 0.0]])
        .exact(Minimum, &[[0.0, 1.0], [0.0, -1.0]])
}

/// Cliff L = 0.05(x² + y²) + h·σ(s(x − 1)): a wall of height h at x = 1 whose gradient
/// h·s/4 explodes and throws GD far away.
#[derive(Debug, Clone, Copy)]
pub struct Cliff {
    height: f64,
    steepness: f64,
}

impl Field2 for Cliff {
    fn eval(&self, x: f64, y: f64) -> (f64, [f64; 2]) {
        let z = self.steepness * (x - 1.0);
        let (sp, sm) = (sigmoid(z), sigmoid(-z));
        let l = 0.05 * (x * x + y * y) + self.height * sp;
        (
            l,
            [0.1 * x + self.height * self.steepness * sp * sm, 0.1 * y],
        )
    }
    fn hess(&self, x: f64, _y: f64) -> [f64; 4] {
        let z = self.steepness * (x - 1.0);
        let (sp, sm) = (sigmoid(z), sigmoid(-z));
        // σ'' = σ(1 − σ)(1 − 2σ), with 1 − σ(z) = σ(−z) to keep precision on the plateau.
        let s2 = self.steepness * self.steepness;
        [0.1 + self.height * s2 * sp * sm * (sm - sp), 0.0, 0.0, 0.1]
    }
}

/// The cliff with wall `height` and `steepness`, started on the high side at (3, 1).
/// Its single minimum (left of the wall) is refined by Newton from the origin.
pub fn cliff(height: f64, steepness: f64) -> Analytic<Cliff> {
    let f = Cliff { height, steepness };
    Analytic::new(f, [-6.0, 6.0, -4.0, 4.0], [3.0, 1.0], false).refined(Minimum, &[[0.0, 0.0]])
}

/// Rosenbrock L = (a − x)² + b(y − x²)²: a curved, flat-bottomed valley with its minimum at (a, a²).
#[derive(Debug, Clone, Copy)]
pub struct Rosenbrock {
    a: f64,
    b: f64,
}

impl Field2 for Rosenbrock {
    fn eval(&self, x: f64, y: f64) -> (f64, [f64; 2]) {
        let (a, b) = (self.a, self.b);
        let t = y - x * x;
        let l = (a - x) * (a - x) + b * t * t;
        (l, [-2.0 * (a - x) - 4.0 * b * x * t, 2.0 * b * t])
    }
    fn hess(&self, x: f64, y: f64) -> [f64; 4] {
        let b = self.b;
        let xy = -4.0 * b * x;
        [
            2.0 - 4.0 * b * (y - x * x) + 8.0 * b * x * x,
            xy,
            xy,
            2.0 * b,
        ]
    }
}

/// Rosenbrock with parameters `a`, `b`, started at (−1.5, 2). The view is [−2, 2] × [−1, 3],
/// widened when needed so that the minimum (a, a²) stays inside it.
pub fn rosenbrock(a: f64, b: f64) -> Analytic<Rosenbrock> {
    let view = [
        (a - 1.0).min(-2.0),
        (a + 1.0).max(2.0),
        -1.0,
        (a * a + 1.0).max(3.0),
    ];
    Analytic::new(Rosenbrock { a, b }, view, [-1.5, 2.0], true).exact(Minimum, &[[a, a * a]])
}

/// Beale L = Σᵢ₌₁³ (cᵢ − x + x yⁱ)², c = (1.5, 2.25, 2.625): flat arms and sharp corners,
/// minimum (3, 0.5), a saddle at (0, 1).
#[derive(Debug, Clone, Copy)]
pub struct Beale;

/// The three residuals of Beale with their gradients and second derivatives:
/// `(r, [∂r/∂x, ∂r/∂y], [∂²r/∂x∂y, ∂²r/∂y²])` (∂²r/∂x² = 0).
fn beale_terms(x: f64, y: f64) -> [(f64, [f64; 2], [f64; 2]); 3] {
    let (y2, y3) = (y * y, y * y * y);
    [
        (1.5 - x + x * y, [y - 1.0, x], [1.0, 0.0]),
        (
            2.25 - x + x * y2,
            [y2 - 1.0, 2.0 * x * y],
            [2.0 * y, 2.0 * x],
        ),
        (
            2.625 - x + x * y3,
            [y3 - 1.0, 3.0 * x * y2],
            [3.0 * y2, 6.0 * x * y],
        ),
    ]
}

impl Field2 for Beale {
    fn eval(&self, x: f64, y: f64) -> (f64, [f64; 2]) {
        let (mut l, mut g) = (0.0, [0.0; 2]);
        for (r, d, _) in beale_terms(x, y) {
            l += r * r;
            g[0] += 2.0 * r * d[0];
            g[1] += 2.0 * r * d[1];
        }
        (l, g)
    }
    fn hess(&self, x: f64, y: f64) -> [f64; 4] {
        let mut h = [0.0; 4];
        for (r, d, s) in beale_terms(x, y) {
            let xy = 2.0 * (d[0] * d[1] + r * s[0]);
            h[0] += 2.0 * d[0] * d[0];
            h[1] += xy;
            h[2] += xy;
            h[3] += 2.0 * (d[1] * d[1] + r * s[1]);
        }
        h
    }
}

/// Beale, started at [`BEALE_START`].
pub fn beale() -> Analytic<Beale> {
    Analytic::new(Beale, [-4.5, 4.5, -4.5, 4.5], BEALE_START, true)
        .exact(Minimum, &[[3.0, 0.5]])
        .exact(Saddle, &[[0.0, 1.0]])
}

/// Start of Beale, (1, 1.5): Adam (α = 0.01…0.05) reaches the minimum from here within 5000
/// updates (checked in the tests).
const BEALE_START: [f64; 2] = [1.0, 1.5];

/// Himmelblau L = (x² + y − 11)² + (x + y² − 7)²: four minima of equal height, a maximum
/// and four saddles.
#[derive(Debug, Clone, Copy)]
pub struct Himmelblau;

impl Field2 for Himmelblau {
    fn eval(&self, x: f64, y: f64) -> (f64, [f64; 2]) {
        let u = x * x + y - 11.0;
        let v = x + y * y - 7.0;
        (
            u * u + v * v,
            [4.0 * x * u + 2.0 * v, 2.0 * u + 4.0 * y * v],
        )
    }
    fn hess(&self, x: f64, y: f64) -> [f64; 4] {
        let u = x * x + y - 11.0;
        let v = x + y * y - 7.0;
        let xy = 4.0 * (x + y);
        [
            4.0 * u + 8.0 * x * x + 2.0,
            xy,
            xy,
            4.0 * v + 8.0 * y * y + 2.0,
        ]
    }
}

/// Himmelblau, started at (−0.5, −0.5) near the maximum, from where the four basins compete.
pub fn himmelblau() -> Analytic<Himmelblau> {
    Analytic::new(Himmelblau, [-5.0, 5.0, -5.0, 5.0], [-0.5, -0.5], true)
        .exact(Minimum, &[[3.0, 2.0]])
        .refined(
            Minimum,
            &[
                [-2.805118, 3.131312],
                [-3.779310, -3.283186],
                [3.584428, -1.848126],
            ],
        )
        .refined(Maximum, &[[-0.270845, -0.923039]])
        .refined(
            Saddle,
            &[
                [0.086677, 2.884254],
                [-3.073025, -0.081353],
                [3.385154, 0.073852],
                [-0.127961, -1.953715],
            ],
        )
}
