//! Placing critical points that have no closed form: Newton from a hint, then a check that
//! the gradient really vanishes and the Hessian has the expected eigenvalue signs.

use super::{newton_refine, CriticalKind, CriticalPoint, Objective};
use crate::core::math::sqrt;

/// Largest gradient norm at which a refined point counts as critical.
const GRAD_TOL: f64 = 1e-9;
/// Critical points closer than this are the same point.
const SAME_POINT: f64 = 1e-6;

/// Eigenvalues (smaller, larger) of a symmetric 2×2 matrix given row-major.
pub(crate) fn eigen2(h: &[f64; 4]) -> (f64, f64) {
    let mid = 0.5 * (h[0] + h[3]);
    let half = 0.5 * (h[0] - h[3]);
    let off = 0.5 * (h[1] + h[2]);
    let r = sqrt(half * half + off * off);
    (mid - r, mid + r)
}

/// The kind of critical point `p` is, or `None` if ∇L(p) is not ~0 or the Hessian is singular.
pub(crate) fn classify(obj: &dyn Objective, p: [f64; 2]) -> Option<CriticalKind> {
    let mut g = [0.0; 2];
    obj.loss_grad(&p, &mut g);
    let norm = sqrt(g[0] * g[0] + g[1] * g[1]);
    if norm.is_nan() || norm >= GRAD_TOL {
        return None;
    }
    let mut h = [0.0; 4];
    obj.hessian(&p, &mut h);
    let (lo, hi) = eigen2(&h);
    if lo > 0.0 {
        Some(CriticalKind::Minimum)
    } else if hi < 0.0 {
        Some(CriticalKind::Maximum)
    } else if lo < 0.0 && hi > 0.0 {
        Some(CriticalKind::Saddle)
    } else {
        None
    }
}

/// Newton from `hint`; the point if it converged to a critical point of kind `kind`.
pub(crate) fn refine_as(
    obj: &dyn Objective,
    hint: [f64; 2],
    kind: CriticalKind,
) -> Option<CriticalPoint> {
    let p = newton_refine(obj, hint);
    if !(p[0].is_finite() && p[1].is_finite()) || classify(obj, p) != Some(kind) {
        return None;
    }
    Some(CriticalPoint {
        kind,
        at: p.to_vec(),
    })
}

/// Append `cp` unless a listed point lies within [`SAME_POINT`] of it.
pub(crate) fn push_unique(list: &mut Vec<CriticalPoint>, cp: CriticalPoint) {
    let close = |q: &CriticalPoint| {
        let d2: f64 =
            q.at.iter()
                .zip(&cp.at)
                .map(|(a, b)| (a - b) * (a - b))
                .sum();
        sqrt(d2) < SAME_POINT
    };
    if !list.iter().any(close) {
        list.push(cp);
    }
}
