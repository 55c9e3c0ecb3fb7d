//! The local geometry that explains a step: the Hessian's eigenvalues and eigen-directions at a
//! point, the point's classification, and GD's local stability bound α < 2/λ_max.
//!
//! This answers the lecture's open question "how do you know you are in a local minimum?":
//! at a critical point, all eigenvalues positive means a minimum, mixed signs a saddle.

use crate::core::objective::Objective;

/// What the Hessian says about a point.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PointKind {
    /// All eigenvalues > 0 (a minimum if the gradient is also zero).
    Minimum,
    /// All eigenvalues < 0.
    Maximum,
    /// Eigenvalues of both signs.
    Saddle,
    /// Some eigenvalue is (numerically) zero: the second-order test cannot decide.
    Degenerate,
}

impl PointKind {
    pub fn name(self) -> &'static str {
        match self {
            PointKind::Minimum => "minimum",
            PointKind::Maximum => "maximum",
            PointKind::Saddle => "saddle",
            PointKind::Degenerate => "flat/degenerate",
        }
    }
}

/// Eigen-decomposition of a symmetric 2×2 matrix [[a, b], [b, d]]: eigenvalues ascending and
/// unit eigenvectors (columns), in closed form.
pub fn eigen_sym2(a: f64, b: f64, d: f64) -> ([f64; 2], [[f64; 2]; 2]) {
    let mean = 0.5 * (a + d);
    let half = 0.5 * (a - d);
    let r = (half * half + b * b).sqrt();
    let (l1, l2) = (mean - r, mean + r);
    // Eigenvector of l2: (b, l2 − a) or (l2 − d, b), whichever is better conditioned.
    let v2 = if b == 0.0 {
        if a >= d {
            [1.0, 0.0]
        } else {
            [0.0, 1.0]
        }
    } else {
        let (x, y) = if (l2 - a).abs() > (l2 - d).abs() {
            (b, l2 - a)
        } else {
            (l2 - d, b)
        };
        let n = (x * x + y * y).sqrt();
        [x / n, y / n]
    };
    let v1 = [-v2[1], v2[0]];
    ([l1, l2], [v1, v2])
}

/// The second-order picture at a point of a 2-D slice (first two parameters).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LocalGeometry {
    pub loss: f64,
    pub gradient: [f64; 2],
    pub grad_norm: f64,
    /// Eigenvalues λ₁ ≤ λ₂ of the Hessian.
    pub eigenvalues: [f64; 2],
    /// Unit eigen-directions, matching `eigenvalues`.
    pub eigenvectors: [[f64; 2]; 2],
    pub kind: PointKind,
    /// Whether ‖∇L‖ is small enough to call this a critical point.
    pub critical: bool,
    /// GD's (and the linearised rules') local stability bound 2/λ_max (∞ if λ_max ≤ 0).
    pub stability_bound: f64,
}

/// Hessian eigenvalues below this (relative to the largest magnitude) count as zero.
const ZERO_EIGEN: f64 = 1e-8;

/// Classify the point `p` of `obj` (its first two coordinates; the rest held fixed).
pub fn local_geometry(obj: &dyn Objective, p: &[f64]) -> LocalGeometry {
    let n = obj.dim();
    let mut g = vec![0.0; n];
    let loss = obj.loss_grad(p, &mut g);
    let mut h = vec![0.0; n * n];
    obj.hessian(p, &mut h);
    let (a, b, d) = (h[0], 0.5 * (h[1] + h[n]), h[n + 1]);
    let (eig, vecs) = eigen_sym2(a, b, d);
    let scale = eig[0].abs().max(eig[1].abs()).max(1e-300);
    let zero = |l: f64| l.abs() <= ZERO_EIGEN * scale || l.abs() < 1e-12;
    let kind = if !(eig[0].is_finite() && eig[1].is_finite()) || zero(eig[0]) || zero(eig[1]) {
        PointKind::Degenerate
    } else if eig[0] > 0.0 {
        PointKind::Minimum
    } else if eig[1] < 0.0 {
        PointKind::Maximum
    } else {
        PointKind::Saddle
    };
    let grad_norm = (g[0] * g[0] + g[1] * g[1]).sqrt();
    LocalGeometry {
        loss,
        gradient: [g[0], g[1]],
        grad_norm,
        eigenvalues: eig,
        eigenvectors: vecs,
        kind,
        critical: grad_norm <= 1e-6 * (1.0 + loss.abs()),
        stability_bound: if eig[1] > 0.0 {
            2.0 / eig[1]
        } else {
            f64::INFINITY
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn eigen_of_diagonal_and_rotated_matrices() {
        let (l, v) = eigen_sym2(3.0, 0.0, 1.0);
        assert_eq!(l, [1.0, 3.0]);
        assert_eq!(v[1], [1.0, 0.0]);
        // [[2, 1], [1, 2]]: eigenvalues 1 and 3 with directions (1, −1)/√2 and (1, 1)/√2.
        let (l, v) = eigen_sym2(2.0, 1.0, 2.0);
        assert!((l[0] - 1.0).abs() < 1e-15 && (l[1] - 3.0).abs() < 1e-15);
        let s = 0.5f64.sqrt();
        assert!((v[1][0].abs() - s).abs() < 1e-15 && (v[1][0] - v[1][1]).abs() < 1e-15);
        assert!((v[0][0] + v[0][1]).abs() < 1e-15);
    }
}
