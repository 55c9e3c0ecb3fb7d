//! The Hessian answers "am I in a minimum?": classification at known critical points, and the
//! stability bound 2/λ_max on quadratics (eigenvalues computed here from the formula).

use gradscape::core::geometry::{local_geometry, PointKind};
use gradscape::core::objective::{build_default, CriticalKind, SURFACES};
use gradscape::core::scenario::Scenario;

#[test]
fn every_listed_critical_point_is_classified_as_its_kind() {
    let mut checked = 0;
    for def in SURFACES {
        let obj = build_default(def.name).expect("built");
        if obj.dim() != 2 {
            continue;
        }
        for c in &obj.info().critical {
            let g = local_geometry(obj.as_ref(), &c.at);
            let want = match c.kind {
                CriticalKind::Minimum => PointKind::Minimum,
                CriticalKind::Saddle => PointKind::Saddle,
                CriticalKind::Maximum => PointKind::Maximum,
            };
            // The deep linear net's minima lie on a valley (one zero eigenvalue): degenerate.
            if def.name == "deeplinear" && c.kind == CriticalKind::Minimum {
                assert_eq!(g.kind, PointKind::Degenerate, "{} at {:?}", def.name, c.at);
            } else {
                assert_eq!(
                    g.kind, want,
                    "{} at {:?}: {:?}",
                    def.name, c.at, g.eigenvalues
                );
            }
            assert!(
                g.critical,
                "{} at {:?}: ‖∇L‖ = {}",
                def.name, c.at, g.grad_norm
            );
            checked += 1;
        }
    }
    assert!(checked >= 15, "{checked} points");
}

#[test]
fn himmelblau_has_four_minima_a_maximum_and_four_saddles() {
    let obj = build_default("himmelblau").expect("built");
    let kinds: Vec<PointKind> = obj
        .info()
        .critical
        .iter()
        .map(|c| local_geometry(obj.as_ref(), &c.at).kind)
        .collect();
    let count = |k| kinds.iter().filter(|&&x| x == k).count();
    assert_eq!(
        (
            count(PointKind::Minimum),
            count(PointKind::Maximum),
            count(PointKind::Saddle)
        ),
        (4, 1, 4)
    );
}

#[test]
fn the_saddle_surface_eigenvalues_match_the_formula() {
    // L = x² + y⁴/4 − y²/2: Hessian diag(2, 3y² − 1).
    let obj = build_default("saddle").expect("built");
    for (x, y) in [(0.0, 0.0), (0.3, 1.2), (-1.0, -1.5), (0.5, 0.2)] {
        let g = local_geometry(obj.as_ref(), &[x, y]);
        let mut want = [2.0, 3.0 * y * y - 1.0];
        want.sort_by(f64::total_cmp);
        assert!(
            (g.eigenvalues[0] - want[0]).abs() < 1e-12
                && (g.eigenvalues[1] - want[1]).abs() < 1e-12
        );
        // Eigen-directions are the axes.
        let v = g.eigenvectors[if want[0] == 2.0 { 0 } else { 1 }];
        assert!((v[0].abs() - 1.0).abs() < 1e-12, "{v:?}");
    }
    assert_eq!(
        local_geometry(obj.as_ref(), &[0.0, 0.0]).kind,
        PointKind::Saddle
    );
    assert_eq!(
        local_geometry(obj.as_ref(), &[0.0, 1.0]).kind,
        PointKind::Minimum
    );
    // On the inflection line 3y² = 1 one eigenvalue vanishes: the test cannot decide.
    assert_eq!(
        local_geometry(obj.as_ref(), &[0.0, (1.0f64 / 3.0).sqrt()]).kind,
        PointKind::Degenerate
    );
}

#[test]
fn a_typed_maximum_is_a_maximum() {
    let s = Scenario::parse("surface=custom:f=-(x^2) - 3*y^2 %2B x*y").expect("valid");
    let obj = s.build_objective();
    let g = local_geometry(obj.as_ref(), &[0.0, 0.0]);
    assert_eq!(g.kind, PointKind::Maximum);
    // Hessian [[-2, 1], [1, -6]]: eigenvalues −4 ± √5.
    assert!((g.eigenvalues[0] - (-4.0 - 5f64.sqrt())).abs() < 1e-12);
    assert!((g.eigenvalues[1] - (-4.0 + 5f64.sqrt())).abs() < 1e-12);
    assert_eq!(
        g.stability_bound,
        f64::INFINITY,
        "no positive curvature: no bound"
    );
}

#[test]
fn stability_bound_is_two_over_lambda_max_on_quadratics() {
    for kappa in [1.0f64, 4.0, 10.0, 250.0] {
        let s = Scenario::parse(&format!("surface=ellipse:kappa={kappa}")).expect("valid");
        let obj = s.build_objective();
        // ½(x² + κy²): Hessian diag(1, κ), λ_max = max(1, κ).
        for p in [[0.0, 0.0], [3.0, -1.0]] {
            let g = local_geometry(obj.as_ref(), &p);
            assert!(
                (g.stability_bound - 2.0 / kappa.max(1.0)).abs() < 1e-12,
                "κ = {kappa}"
            );
        }
    }
    // A rotated quadratic typed as text: 3x² + 2xy + 3y² has eigenvalues 2·2 and 2·4.
    let s = Scenario::parse("surface=custom:f=3*x^2 %2B 2*x*y %2B 3*y^2").expect("valid");
    let g = local_geometry(s.build_objective().as_ref(), &[1.0, 2.0]);
    assert!((g.eigenvalues[0] - 4.0).abs() < 1e-12 && (g.eigenvalues[1] - 8.0).abs() < 1e-12);
    assert!((g.stability_bound - 0.25).abs() < 1e-15);
    let s2 = 0.5f64.sqrt();
    assert!(
        (g.eigenvectors[1][0].abs() - s2).abs() < 1e-12
            && (g.eigenvectors[1][1].abs() - s2).abs() < 1e-12
    );
}

#[test]
fn the_readout_says_minimum_only_where_the_gradient_vanishes() {
    // The bowl x² + y² curves up everywhere (Hessian 2I), but only (0, 0) is a minimum: at
    // (1, 1) ‖∇L‖ = 2√2, and the readout says what the Hessian shows there, not "minimum".
    let bowl = build_default("bowl").expect("built");
    let at = |o: &dyn gradscape::core::objective::Objective, p: [f64; 2]| local_geometry(o, &p);
    for p in [[1.0, 1.0], [-3.0, 0.5], [1e-3, 0.0]] {
        let g = at(bowl.as_ref(), p);
        assert_eq!(g.kind, PointKind::Minimum, "{p:?}: positive curvature");
        assert!(!g.critical, "{p:?}: ‖∇L‖ = {}", g.grad_norm);
        assert_eq!(g.describe(), "curves up in every direction", "{p:?}");
    }
    assert_eq!(at(bowl.as_ref(), [0.0, 0.0]).describe(), "minimum");
    // The saddle x² + y⁴/4 − y²/2: (0, 0) is one; (0.5, 0) has the same curvature, ∇L = (1, 0).
    let saddle = build_default("saddle").expect("built");
    assert_eq!(at(saddle.as_ref(), [0.0, 0.0]).describe(), "saddle");
    assert_eq!(
        at(saddle.as_ref(), [0.5, 0.0]).describe(),
        "curves up one way, down another"
    );
    // Its minima (0, ±1) are critical: named so.
    assert_eq!(at(saddle.as_ref(), [0.0, 1.0]).describe(), "minimum");
}
