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

impl LocalGeometry {
    /// What the readout calls the point. The Hessian's signs name a minimum, maximum or saddle
    /// only where the gradient vanishes; elsewhere they describe the shape alone, since a point
    /// with ∇L ≠ 0 is none of them (the lecture's "how do you know you are in a minimum?").
    pub fn describe(&self) -> &'static str {
        match (self.critical, self.kind) {
            (true, PointKind::Minimum) => "minimum",
            (true, PointKind::Maximum) => "maximum",
            (true, PointKind::Saddle) => "saddle",
            (true, PointKind::Degenerate) => "critical, undecided",
            (false, PointKind::Minimum) => "curves up in every direction",
            (false, PointKind::Maximum) => "curves down in every direction",
            (false, PointKind::Saddle) => "curves up one way, down another",
            (false, PointKind::Degenerate) => "flat in one direction",
        }
    }
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

/// The largest constant α for which `rule` is stable on a quadratic of top curvature
/// `lambda_max`, with the bound's formula; `None` for the adaptive rules (their step is
/// rescaled per coordinate, so no single α bound applies) or when λ_max ≤ 0.
///
/// On L = ½λθ², with h = αλ: GD θ ← (1 − h)θ needs h < 2. Momentum's characteristic
/// polynomial z² − (1 + γ − h)z + γ has its roots inside the unit circle iff h < 2(1 + γ).
/// Nesterov's, z² − (1 + γ)(1 − h)z + γ(1 − h), iff h < 2(1 + γ)/(1 + 2γ) (Jury's test).
pub fn stability_limit(
    rule: &crate::core::optim::Rule,
    lambda_max: f64,
) -> Option<(f64, &'static str)> {
    use crate::core::optim::{Nesterov, Rule};
    if !(lambda_max > 0.0 && lambda_max.is_finite()) {
        return None;
    }
    match rule {
        Rule::Gd(_) => Some((2.0 / lambda_max, "2/λ_max")),
        Rule::Momentum(m) => Some((2.0 * (1.0 + m.gamma) / lambda_max, "2(1+γ)/λ_max")),
        Rule::Nesterov(Nesterov(m)) => Some((
            2.0 * (1.0 + m.gamma) / ((1.0 + 2.0 * m.gamma) * lambda_max),
            "2(1+γ)/((1+2γ)λ_max)",
        )),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::optim::{Gd, Momentum, Nesterov, Rule, State, Update};

    /// |θ| after 400 updates of `rule` with α on L = ½λθ² from θ = 1.
    fn after(rule: Rule, lr: f64, lambda: f64) -> f64 {
        let mut theta = [1.0];
        let mut st = State::new(1);
        let mut oracle = |p: &[f64], g: &mut [f64]| {
            g[0] = lambda * p[0];
            0.5 * lambda * p[0] * p[0]
        };
        for _ in 0..400 {
            rule.step(&mut theta, &mut st, lr, &mut oracle);
        }
        theta[0].abs()
    }

    #[test]
    fn stability_limits_separate_converging_from_diverging_runs() {
        let lambda = 4.0;
        for rule in [
            Rule::Gd(Gd),
            Rule::Momentum(Momentum::new(0.9)),
            Rule::Nesterov(Nesterov::new(0.9)),
            Rule::Momentum(Momentum::new(0.5)),
            Rule::Nesterov(Nesterov::new(0.3)),
        ] {
            let (bound, _) = stability_limit(&rule, lambda).expect("a bound");
            assert!(
                after(rule, 0.97 * bound, lambda) < 1.0,
                "{rule:?} below its bound"
            );
            assert!(
                after(rule, 1.03 * bound, lambda) > 1.0,
                "{rule:?} above its bound"
            );
        }
        // γ = 0.9 with α = 3/λ: above GD's 2/λ, yet momentum converges (its bound is 3.8/λ).
        assert!(after(Rule::Momentum(Momentum::new(0.9)), 3.0 / lambda, lambda) < 1e-3);
    }

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
