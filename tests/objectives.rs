//! Error surfaces: derivatives against finite differences, critical points against their
//! Hessians, data-set determinism and batch arithmetic, the registry, and the starts the
//! lessons rely on.

use gradscape::core::objective::{
    build_default, deeplinear, linreg, sparse, surface_def, svm, CriticalKind, Objective, SURFACES,
};
use gradscape::core::rng::Rng;
use proptest::prelude::*;
use std::sync::OnceLock;

const NAMES: [&str; 14] = [
    "bowl",
    "ellipse",
    "plateau",
    "minima",
    "saddle",
    "cliff",
    "rosenbrock",
    "beale",
    "himmelblau",
    "neuron",
    "sparse",
    "linreg",
    "deeplinear",
    "svm",
];

fn default_surface(name: &str) -> Box<dyn Objective> {
    build_default(name).unwrap_or_else(|| panic!("no surface {name}"))
}

fn build(name: &str, values: &[f64]) -> Box<dyn Objective> {
    (surface_def(name)
        .unwrap_or_else(|| panic!("no surface {name}"))
        .build)(values)
}

/// Every surface built with its defaults, built once for all property tests.
fn defaults() -> &'static [Box<dyn Objective>] {
    static ALL: OnceLock<Vec<Box<dyn Objective>>> = OnceLock::new();
    ALL.get_or_init(|| NAMES.iter().map(|n| default_surface(n)).collect())
}

/// Parameter values from fractions in [0, 1]: log-uniform for wide positive ranges.
fn param_values(name: &str, u: &[f64]) -> Vec<f64> {
    let def = surface_def(name).expect("registered");
    def.params
        .iter()
        .zip(u)
        .map(|(p, &t)| {
            let (min, max) = p.bounds().expect("numeric");
            let v = if min > 0.0 && max / min >= 100.0 {
                min * (max / min).powf(t)
            } else {
                min + t * (max - min)
            };
            let v = v.clamp(min, max);
            if p.integer() {
                v.round()
            } else {
                v
            }
        })
        .collect()
}

/// A point of the view box from fractions in [0, 1]; coordinates past the second use the
/// x range (the SVM's view is [−3, 3] in every direction).
fn point_in_view(o: &dyn Objective, u: &[f64]) -> Vec<f64> {
    let v = o.info().view;
    (0..o.dim())
        .map(|i| {
            let (lo, hi) = if i % 2 == 1 {
                (v[2], v[3])
            } else {
                (v[0], v[1])
            };
            lo + u[i] * (hi - lo)
        })
        .collect()
}

/// Fourth-order central difference of a scalar function at `x`.
fn diff(f: impl Fn(f64) -> f64, x: f64) -> f64 {
    let h = 1e-5 * (1.0 + x.abs());
    (-f(x + 2.0 * h) + 8.0 * f(x + h) - 8.0 * f(x - h) + f(x - 2.0 * h)) / (12.0 * h)
}

fn grad(o: &dyn Objective, p: &[f64]) -> (f64, Vec<f64>) {
    let mut g = vec![f64::NAN; o.dim()];
    let l = o.loss_grad(p, &mut g);
    (l, g)
}

fn hess(o: &dyn Objective, p: &[f64]) -> Vec<f64> {
    let mut h = vec![f64::NAN; o.dim() * o.dim()];
    o.hessian(p, &mut h);
    h
}

fn moved(p: &[f64], i: usize, x: f64) -> Vec<f64> {
    let mut q = p.to_vec();
    q[i] = x;
    q
}

/// Smallest distance of any SVM hinge margin from its kink at `p`, computed from the data.
fn svm_kink_distance(o: &dyn Objective, p: &[f64], margin: f64) -> f64 {
    let points = o.points().expect("svm has points");
    let mut closest = f64::INFINITY;
    for pt in points {
        let x = [pt.x[0], pt.x[1], 1.0];
        let s: Vec<f64> = (0..3)
            .map(|k| (0..3).map(|f| p[3 * k + f] * x[f]).sum::<f64>())
            .collect();
        let y = pt.class as usize;
        for (j, sj) in s.iter().enumerate() {
            if j != y {
                closest = closest.min((sj - s[y] + margin).abs());
            }
        }
    }
    closest
}

/// Gradient against differences of `loss`, Hessian against differences of the gradient.
fn check_derivatives(name: &str, o: &dyn Objective, p: &[f64]) -> Result<(), TestCaseError> {
    let n = o.dim();
    let (l, g) = grad(o, p);
    prop_assert_eq!(
        l.to_bits(),
        o.loss(p).to_bits(),
        "{}: loss_grad vs loss at {:?}",
        name,
        p
    );
    prop_assert!(
        l.is_finite() && g.iter().all(|x| x.is_finite()),
        "{name}: not finite at {p:?}"
    );
    let h = hess(o, p);
    prop_assert!(
        h.iter().all(|x| x.is_finite()),
        "{name}: Hessian not finite at {p:?}"
    );
    for i in 0..n {
        let fd = diff(|x| o.loss(&moved(p, i, x)), p[i]);
        let tol = 1e-6 * (1.0 + g[i].abs()) + 1e-10 * l.abs();
        prop_assert!(
            (g[i] - fd).abs() <= tol,
            "{name}: ∂L/∂θ{i} = {} but FD {fd} at {p:?}",
            g[i]
        );
        for j in 0..n {
            let fd = diff(|x| grad(o, &moved(p, i, x)).1[j], p[i]);
            let hij = h[j * n + i];
            let tol = 1e-6 * (1.0 + hij.abs()) + 1e-10 * g[j].abs();
            prop_assert!(
                (hij - fd).abs() <= tol,
                "{name}: H[{j}][{i}] = {hij} but FD {fd} at {p:?}"
            );
        }
    }
    Ok(())
}

/// Eigenvalues (smaller, larger) of a symmetric 2×2 matrix.
fn eigen2(h: &[f64]) -> (f64, f64) {
    let mid = 0.5 * (h[0] + h[3]);
    let r = (0.25 * (h[0] - h[3]) * (h[0] - h[3]) + h[1] * h[2]).sqrt();
    (mid - r, mid + r)
}

fn norm(v: &[f64]) -> f64 {
    v.iter().map(|x| x * x).sum::<f64>().sqrt()
}

/// Every listed critical point has a vanishing gradient and Hessian signs of its kind.
/// `semidefinite` accepts a zero eigenvalue at a minimum (valleys of minima).
fn check_critical(name: &str, o: &dyn Objective, semidefinite: bool) {
    for cp in &o.info().critical {
        assert_eq!(cp.at.len(), o.dim(), "{name}");
        let (_, g) = grad(o, &cp.at);
        assert!(
            norm(&g) < 1e-8,
            "{name}: |∇L| = {} at {:?} {:?}",
            norm(&g),
            cp.kind,
            cp.at
        );
        let (lo, hi) = eigen2(&hess(o, &cp.at));
        let ok = match cp.kind {
            CriticalKind::Minimum if semidefinite => lo >= -1e-9 * (1.0 + hi.abs()) && hi > 0.0,
            CriticalKind::Minimum => lo > 0.0,
            CriticalKind::Maximum => hi < 0.0,
            CriticalKind::Saddle => lo < 0.0 && hi > 0.0,
        };
        assert!(
            ok,
            "{name}: {:?} at {:?} has eigenvalues {lo}, {hi}",
            cp.kind, cp.at
        );
    }
}

fn has_point(o: &dyn Objective, kind: CriticalKind, at: [f64; 2], tol: f64) -> bool {
    o.info()
        .critical
        .iter()
        .any(|c| c.kind == kind && (c.at[0] - at[0]).abs() <= tol && (c.at[1] - at[1]).abs() <= tol)
}

fn count(o: &dyn Objective, kind: CriticalKind) -> usize {
    o.info().critical.iter().filter(|c| c.kind == kind).count()
}

fn in_view(o: &dyn Objective, p: &[f64]) -> bool {
    let v = o.info().view;
    p.iter().enumerate().all(|(i, &x)| {
        let (lo, hi) = if i % 2 == 1 {
            (v[2], v[3])
        } else {
            (v[0], v[1])
        };
        lo <= x && x <= hi
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    /// Defaults: exact derivatives at random points of every view box.
    #[test]
    fn derivatives_match_finite_differences(s in 0..NAMES.len(), u in prop::collection::vec(0.0..1.0f64, 9)) {
        let o = &*defaults()[s];
        let p = point_in_view(o, &u);
        if NAMES[s] == "svm" && svm_kink_distance(o, &p, 1.0) < 1e-2 {
            return Ok(()); // a kink within the stencil: the difference quotient is meaningless
        }
        check_derivatives(NAMES[s], o, &p)?;
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(120))]

    /// Random in-range parameters: exact derivatives, critical points still valid.
    #[test]
    fn derivatives_match_finite_differences_for_any_parameters(
        s in 0..NAMES.len(),
        pu in prop::collection::vec(0.0..1.0f64, 4),
        u in prop::collection::vec(0.0..1.0f64, 9),
    ) {
        let name = NAMES[s];
        let values = param_values(name, &pu);
        let o = build(name, &values);
        let p = point_in_view(&*o, &u);
        if name == "svm" && svm_kink_distance(&*o, &p, values[2]) < 1e-2 {
            return Ok(());
        }
        check_derivatives(name, &*o, &p)?;
        check_critical(name, &*o, true);
    }
}

#[test]
fn svm_derivative_check_is_not_mostly_skipped() {
    let o = default_surface("svm");
    let mut rng = Rng::new(5, 0);
    let checked = (0..200)
        .filter(|_| {
            let u: Vec<f64> = (0..9).map(|_| rng.uniform()).collect();
            svm_kink_distance(&*o, &point_in_view(&*o, &u), 1.0) >= 1e-2
        })
        .count();
    assert!(
        checked > 100,
        "only {checked} of 200 points away from kinks"
    );
}

#[test]
fn registry_lists_the_surfaces_in_picker_order() {
    let names: Vec<&str> = SURFACES.iter().map(|d| d.name).collect();
    assert_eq!(names, NAMES);
    for d in SURFACES {
        assert!(!d.title.is_empty() && !d.help.is_empty(), "{}", d.name);
        for p in d.params {
            assert!(
                p.bounds()
                    .is_some_and(|(min, max)| min <= p.default_num() && p.default_num() <= max),
                "{}.{}",
                d.name,
                p.key
            );
            assert!(
                !p.symbol.is_empty() && !p.help.is_empty(),
                "{}.{}",
                d.name,
                p.key
            );
            if p.integer() {
                let (min, max) = p.bounds().expect("numeric");
                assert_eq!(p.default_num().fract(), 0.0, "{}.{}", d.name, p.key);
                assert_eq!(min.fract(), 0.0, "{}.{}", d.name, p.key);
                assert_eq!(max.fract(), 0.0, "{}.{}", d.name, p.key);
            }
        }
    }
    let params = |n: &str| -> Vec<&str> {
        surface_def(n)
            .map(|d| d.params.iter().map(|p| p.key).collect())
            .unwrap_or_default()
    };
    assert_eq!(params("ellipse"), ["kappa"]);
    assert_eq!(params("cliff"), ["height", "steepness"]);
    assert_eq!(params("svm"), ["n", "data_seed", "margin", "lambda"]);
    assert!(surface_def("nope").is_none());
}

fn check_info(name: &str, o: &dyn Objective) {
    let info = o.info();
    let v = info.view;
    assert!(
        v.iter().all(|x| x.is_finite()) && v[0] < v[1] && v[2] < v[3],
        "{name}: view {v:?}"
    );
    assert_eq!(info.start.len(), o.dim(), "{name}");
    assert!(
        in_view(o, &info.start),
        "{name}: start {:?} outside {v:?}",
        info.start
    );
    let (l, g) = grad(o, &info.start);
    assert!(
        l.is_finite() && g.iter().all(|x| x.is_finite()),
        "{name}: at start"
    );
}

#[test]
fn default_builds_have_consistent_info() {
    for (name, o) in NAMES.iter().zip(defaults()) {
        check_info(name, &**o);
        let data = matches!(*name, "neuron" | "sparse" | "linreg" | "deeplinear" | "svm");
        assert_eq!(o.examples() > 0, data, "{name}");
        assert_eq!(o.points().is_some(), *name == "svm", "{name}");
    }
    assert_eq!(default_surface("svm").dim(), 9);
    assert!(NAMES[..13].iter().all(|n| default_surface(n).dim() == 2));
}

#[test]
fn builds_at_parameter_extremes_work() {
    for def in SURFACES {
        let k = def.params.len();
        for combo in 0..3usize.pow(k as u32) {
            let values: Vec<f64> = (0..k)
                .map(|i| {
                    let p = def.params[i];
                    [
                        p.bounds().map_or(0.0, |b| b.0),
                        p.default_num(),
                        p.bounds().map_or(0.0, |b| b.1),
                    ][combo / 3usize.pow(i as u32) % 3]
                })
                .collect();
            let o = (def.build)(&values);
            let name = format!("{}{values:?}", def.name);
            check_info(&name, &*o);
            check_critical(&name, &*o, true);
        }
    }
}

#[test]
fn builders_survive_malformed_values() {
    for def in SURFACES {
        for values in [vec![], vec![f64::NAN; 4], vec![-1e300; 4], vec![1e300; 4]] {
            let o = (def.build)(&values);
            check_info(def.name, &*o);
        }
    }
}

#[test]
fn loss_and_derivatives_are_finite_over_each_view() {
    for (name, o) in NAMES.iter().zip(defaults()) {
        for i in 0..=20 {
            for j in 0..=20 {
                let u = [
                    i as f64 / 20.0,
                    j as f64 / 20.0,
                    0.3,
                    0.7,
                    0.1,
                    0.9,
                    0.5,
                    0.2,
                    0.8,
                ];
                let p = point_in_view(&**o, &u);
                let (l, g) = grad(&**o, &p);
                assert_eq!(l.to_bits(), o.loss(&p).to_bits(), "{name} at {p:?}");
                assert!(
                    l.is_finite() && g.iter().all(|x| x.is_finite()),
                    "{name} at {p:?}"
                );
                assert!(
                    hess(&**o, &p).iter().all(|x| x.is_finite()),
                    "{name} at {p:?}"
                );
            }
        }
    }
}

#[test]
fn critical_points_are_critical_with_matching_hessian() {
    for (name, o) in NAMES.iter().zip(defaults()) {
        // The deep linear net's minima lie on a curve: zero curvature along it.
        check_critical(name, &**o, *name == "deeplinear");
    }
}

#[test]
fn minima_sit_at_their_closed_form_positions() {
    use CriticalKind::*;
    let exact = |name: &str, at: [f64; 2]| {
        let o = default_surface(name);
        assert!(
            has_point(&*o, Minimum, at, 1e-12),
            "{name}: {:?}",
            o.info().critical
        );
    };
    exact("bowl", [0.0, 0.0]);
    exact("ellipse", [0.0, 0.0]);
    exact("rosenbrock", [1.0, 1.0]);
    exact("beale", [3.0, 0.5]);
    exact("himmelblau", [3.0, 2.0]);
    let w = ((0.9f64 / 0.1).ln() - (0.2f64 / 0.8).ln()) / 2.0;
    exact("neuron", [w, (0.2f64 / 0.8).ln() - 0.5 * w]);
    assert!(has_point(
        &*build("rosenbrock", &[-2.0, 5.0]),
        Minimum,
        [-2.0, 4.0],
        0.0
    ));
    assert!(has_point(
        &*default_surface("beale"),
        Saddle,
        [0.0, 1.0],
        0.0
    ));
    let s = default_surface("saddle");
    assert!(has_point(&*s, Saddle, [0.0, 0.0], 0.0));
    assert!(has_point(&*s, Minimum, [0.0, 1.0], 0.0) && has_point(&*s, Minimum, [0.0, -1.0], 0.0));
    let neuron = default_surface("neuron");
    assert!(neuron.loss(&neuron.info().critical[0].at) < 1e-30);
}

#[test]
fn himmelblau_has_four_minima_a_maximum_and_four_saddles() {
    use CriticalKind::*;
    let o = default_surface("himmelblau");
    assert_eq!(
        (count(&*o, Minimum), count(&*o, Maximum), count(&*o, Saddle)),
        (4, 1, 4)
    );
    for m in [
        [-2.805118, 3.131312],
        [-3.779310, -3.283186],
        [3.584428, -1.848126],
    ] {
        assert!(has_point(&*o, Minimum, m, 1e-5), "{m:?}");
        let at = o
            .info()
            .critical
            .iter()
            .find(|c| (c.at[0] - m[0]).abs() < 1e-5)
            .expect("listed");
        assert!(o.loss(&at.at) < 1e-20, "himmelblau minima have L = 0");
    }
    assert!(has_point(&*o, Maximum, [-0.270845, -0.923039], 1e-5));
    for s in [
        [0.086677, 2.884254],
        [-3.073025, -0.081353],
        [3.385154, 0.073852],
        [-0.127961, -1.953715],
    ] {
        assert!(has_point(&*o, Saddle, s, 1e-5), "{s:?}");
    }
}

#[test]
fn minima_has_three_basins_of_different_depth() {
    use CriticalKind::*;
    let o = default_surface("minima");
    let mut depths: Vec<f64> = o
        .info()
        .critical
        .iter()
        .filter(|c| c.kind == Minimum)
        .map(|c| o.loss(&c.at))
        .collect();
    depths.sort_by(f64::total_cmp);
    assert_eq!(depths.len(), 3, "{:?}", o.info().critical);
    assert!(
        depths[1] - depths[0] > 0.5 && depths[2] - depths[1] > 0.5,
        "{depths:?}"
    );
    assert!(count(&*o, Saddle) >= 2, "{:?}", o.info().critical);
    assert!(o.info().critical.iter().all(|c| in_view(&*o, &c.at)));
}

#[test]
fn plain_gd_from_the_minima_start_ends_in_the_shallow_minimum() {
    let o = default_surface("minima");
    let mut p = o.info().start.clone();
    let mut g = [0.0; 2];
    for _ in 0..2000 {
        o.loss_grad(&p, &mut g);
        p[0] -= 0.1 * g[0];
        p[1] -= 0.1 * g[1];
    }
    let shallow = o
        .info()
        .critical
        .iter()
        .filter(|c| c.kind == CriticalKind::Minimum)
        .max_by(|a, b| o.loss(&a.at).total_cmp(&o.loss(&b.at)))
        .expect("minima listed");
    assert!(
        norm(&[p[0] - shallow.at[0], p[1] - shallow.at[1]]) < 1e-6,
        "ended at {p:?}"
    );
}

#[test]
fn adam_reaches_the_beale_minimum_within_5000_updates() {
    let o = default_surface("beale");
    for alpha in [0.01, 0.02, 0.05] {
        let (mut p, mut s, mut r) = (o.info().start.clone(), [0.0; 2], [0.0; 2]);
        let mut g = [0.0; 2];
        let reached = (1..=5000).find(|&t| {
            o.loss_grad(&p, &mut g);
            for i in 0..2 {
                s[i] = 0.9 * s[i] + 0.1 * g[i];
                r[i] = 0.999 * r[i] + 0.001 * g[i] * g[i];
                let sh = s[i] / (1.0 - 0.9f64.powi(t));
                let rh = r[i] / (1.0 - 0.999f64.powi(t));
                p[i] -= alpha * sh / (1e-8 + rh.sqrt());
            }
            (p[0] - 3.0).abs() < 1e-3 && (p[1] - 0.5).abs() < 1e-3
        });
        assert!(reached.is_some(), "α = {alpha}: ended at {p:?}");
    }
}

#[test]
fn gd_from_the_saddle_start_stalls_on_the_saddle() {
    let o = default_surface("saddle");
    let mut p = o.info().start.clone();
    let mut g = [0.0; 2];
    for _ in 0..500 {
        o.loss_grad(&p, &mut g);
        p[0] -= 0.1 * g[0];
        p[1] -= 0.1 * g[1];
    }
    assert!(norm(&p) < 1e-12, "{p:?}");
}

#[test]
fn plateau_start_is_flat_and_cliff_wall_is_steep() {
    let p = default_surface("plateau");
    let (_, g) = grad(&*p, &p.info().start);
    assert!(norm(&g) < 5e-3, "{g:?}");
    let wide = build("plateau", &[5.0]);
    assert_eq!(wide.info().start, [11.0, 8.0]);
    let c = build("cliff", &[4.0, 8.0]);
    let (_, g) = grad(&*c, &[1.0, 0.0]);
    assert!((g[0] - (0.1 + 4.0 * 8.0 / 4.0)).abs() < 1e-12, "{g:?}");
    let m = &c.info().critical;
    assert!(
        m.len() == 1 && m[0].at[0] < 0.0 && m[0].at[0] > -0.5,
        "{m:?}"
    );
}

#[test]
fn ellipse_gd_diverges_above_two_over_kappa() {
    let o = build("ellipse", &[50.0]);
    let run = |alpha: f64| {
        let mut p = o.info().start.clone();
        let mut g = [0.0; 2];
        for _ in 0..300 {
            o.loss_grad(&p, &mut g);
            p[0] -= alpha * g[0];
            p[1] -= alpha * g[1];
        }
        o.loss(&p)
    };
    assert!(run(1.9 / 50.0) < 1e-3);
    assert!(run(2.1 / 50.0) > 1e3);
}

// ---- data sets ----

const DATA: [&str; 5] = ["neuron", "sparse", "linreg", "deeplinear", "svm"];

#[test]
fn batch_over_all_examples_is_bit_identical_to_the_full_gradient() {
    for name in DATA {
        let o = default_surface(name);
        let all: Vec<u32> = (0..o.examples() as u32).collect();
        for k in 0..10 {
            let u: Vec<f64> = (0..9)
                .map(|i| ((k * 9 + i) as f64 * 0.618).fract())
                .collect();
            let p = point_in_view(&*o, &u);
            let (l, g) = grad(&*o, &p);
            let mut gb = vec![f64::NAN; o.dim()];
            let lb = o.batch_loss_grad(&p, &all, &mut gb);
            assert_eq!(l.to_bits(), lb.to_bits(), "{name} at {p:?}");
            let bits = |v: &[f64]| v.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
            assert_eq!(bits(&g), bits(&gb), "{name} at {p:?}");
        }
    }
}

#[test]
fn batch_mean_is_the_mean_of_single_examples() {
    for name in DATA {
        let o = default_surface(name);
        let p = point_in_view(&*o, &[0.3, 0.6, 0.2, 0.9, 0.4, 0.5, 0.1, 0.7, 0.8]);
        let batch = [0u32, 1];
        let mut g = vec![0.0; o.dim()];
        let l = o.batch_loss_grad(&p, &batch, &mut g);
        let (mut g0, mut g1) = (vec![0.0; o.dim()], vec![0.0; o.dim()]);
        let l0 = o.batch_loss_grad(&p, &[0], &mut g0);
        let l1 = o.batch_loss_grad(&p, &[1], &mut g1);
        assert!((l - 0.5 * (l0 + l1)).abs() < 1e-12, "{name}");
        for i in 0..o.dim() {
            assert!((g[i] - 0.5 * (g0[i] + g1[i])).abs() < 1e-12, "{name}");
        }
    }
}

#[test]
fn neuron_single_examples_match_hand_computed_values() {
    let o = default_surface("neuron");
    assert_eq!(o.examples(), 2);
    let mut g = [0.0; 2];
    // (x, y) = (0.5, 0.2) at (w, b) = (1, 0): f = σ(0.5), ℓ = ½(f − 0.2)², ∇ℓ = (f − y)f(1 − f)(x, 1).
    let l = o.batch_loss_grad(&[1.0, 0.0], &[0], &mut g);
    assert!((l - 0.08923594325975913).abs() < 1e-15, "{l}");
    assert!(
        (g[0] - 0.04963975554331936).abs() < 1e-15 && (g[1] - 0.09927951108663872).abs() < 1e-15
    );
    // (2.5, 0.9) at (1, 0).
    let l = o.batch_loss_grad(&[1.0, 0.0], &[1], &mut g);
    assert!((l - 0.00029141373594334394).abs() < 1e-16, "{l}");
    assert!(
        (g[0] - 0.004231078261684436).abs() < 1e-15 && (g[1] - 0.0016924313046737746).abs() < 1e-15
    );
}

fn sigmoid(z: f64) -> f64 {
    1.0 / (1.0 + (-z).exp())
}

#[test]
fn generated_single_examples_match_their_formulas() {
    let mut g = [0.0; 2];
    // Linear regression: ℓ = ½(w x + b − y)², ∇ℓ = r (x, 1).
    let lr = linreg(50, 1);
    let (w, b) = (0.7, -0.3);
    for (i, s) in lr.model().samples().iter().enumerate().take(5) {
        let r = w * s.x + b - s.y;
        let l = lr.batch_loss_grad(&[w, b], &[i as u32], &mut g);
        assert!(
            (l - 0.5 * r * r).abs() < 1e-14
                && (g[0] - r * s.x).abs() < 1e-14
                && (g[1] - r).abs() < 1e-14
        );
    }
    // Deep linear: ℓ = ½(w₂w₁x − y)², ∇ℓ = r x (w₂, w₁).
    let dl = deeplinear(30, 1);
    let (w1, w2) = (0.8, -1.2);
    for (i, s) in dl.model().samples().iter().enumerate().take(5) {
        let r = w2 * w1 * s.x - s.y;
        let l = dl.batch_loss_grad(&[w1, w2], &[i as u32], &mut g);
        assert!((l - 0.5 * r * r).abs() < 1e-14);
        assert!((g[0] - r * w2 * s.x).abs() < 1e-14 && (g[1] - r * w1 * s.x).abs() < 1e-14);
    }
    // Sparse: the neuron's formula.
    let sp = sparse(100, 1);
    let (w, b) = (0.4, -0.1);
    for (i, s) in sp.model().samples().iter().enumerate().take(5) {
        let f = sigmoid(w * s.x + b);
        let l = sp.batch_loss_grad(&[w, b], &[i as u32], &mut g);
        assert!((l - 0.5 * (f - s.y) * (f - s.y)).abs() < 1e-14);
        let dz = (f - s.y) * f * (1.0 - f);
        assert!((g[0] - dz * s.x).abs() < 1e-14 && (g[1] - dz).abs() < 1e-14);
    }
    // SVM: Σ_{j≠y} max(0, sⱼ − s_y + Δ) + λΣW² for the first generated point.
    let o = svm(60, 1, 1.0, 0.01);
    let th: Vec<f64> = (0..9).map(|k| 0.3 * k as f64 - 1.1).collect();
    let pt = o.points().expect("points")[0];
    let x = [pt.x[0], pt.x[1], 1.0];
    let s: Vec<f64> = (0..3)
        .map(|k| th[3 * k] * x[0] + th[3 * k + 1] * x[1] + th[3 * k + 2])
        .collect();
    let y = pt.class as usize;
    let hinge: f64 = (0..3)
        .filter(|&j| j != y)
        .map(|j| (s[j] - s[y] + 1.0).max(0.0))
        .sum();
    let reg = 0.01 * th.iter().map(|t| t * t).sum::<f64>();
    let mut g9 = [0.0; 9];
    let l = o.batch_loss_grad(&th, &[0], &mut g9);
    assert!((l - (hinge + reg)).abs() < 1e-13, "{l} vs {}", hinge + reg);
}

#[test]
fn data_is_reproducible_per_seed() {
    assert_eq!(
        sparse(100, 7).model().samples(),
        sparse(100, 7).model().samples()
    );
    assert_ne!(
        sparse(100, 7).model().samples(),
        sparse(100, 8).model().samples()
    );
    assert_eq!(
        linreg(50, 7).model().samples(),
        linreg(50, 7).model().samples()
    );
    assert_ne!(
        linreg(50, 7).model().samples(),
        linreg(50, 8).model().samples()
    );
    assert_eq!(
        deeplinear(30, 7).model().samples(),
        deeplinear(30, 7).model().samples()
    );
    assert_ne!(
        deeplinear(30, 7).model().samples(),
        deeplinear(30, 8).model().samples()
    );
    assert_eq!(
        svm(60, 7, 1.0, 0.01).points(),
        svm(60, 7, 1.0, 0.01).points()
    );
    assert_ne!(
        svm(60, 7, 1.0, 0.01).points(),
        svm(60, 8, 1.0, 0.01).points()
    );
    // Through the registry, with the loss as the witness.
    for (name, extra) in [
        ("sparse", vec![]),
        ("linreg", vec![]),
        ("deeplinear", vec![]),
        ("svm", vec![1.0, 0.01]),
    ] {
        let o = |seed: f64| {
            let mut v = vec![40.0, seed];
            v.extend(&extra);
            build(name, &v)
        };
        let p = o(0.0)
            .info()
            .start
            .iter()
            .enumerate()
            .map(|(k, x)| x + 0.37 + 0.1 * k as f64)
            .collect::<Vec<_>>();
        assert_eq!(
            o(3.0).loss(&p).to_bits(),
            o(3.0).loss(&p).to_bits(),
            "{name}"
        );
        assert_ne!(o(3.0).loss(&p), o(4.0).loss(&p), "{name}");
        assert_eq!(o(3.0).examples(), 40, "{name}");
    }
}

#[test]
fn sparse_inputs_are_mostly_zero_and_the_start_favours_b() {
    let o = sparse(2000, 1);
    let zeros = o.model().samples().iter().filter(|s| s.x == 0.0).count();
    assert!((1500..=1700).contains(&zeros), "{zeros}");
    assert!(o
        .model()
        .samples()
        .iter()
        .all(|s| (0.01..=0.99).contains(&s.y)));
    assert!(o
        .model()
        .samples()
        .iter()
        .all(|s| s.x == 0.0 || (0.5..3.0).contains(&s.x)));
    let d = default_surface("sparse");
    let (_, g) = grad(&*d, &d.info().start);
    assert!(g[0].abs() < 0.05 * g[1].abs(), "{g:?}");
    let m = &d.info().critical;
    assert!(m.len() == 1 && m[0].kind == CriticalKind::Minimum, "{m:?}");
    assert!(
        (m[0].at[0] - 1.5).abs() < 0.5 && (m[0].at[1] + 0.5).abs() < 0.5,
        "{m:?}"
    );
}

#[test]
fn linreg_minimum_is_the_least_squares_fit() {
    for (n, seed) in [(50, 1), (2, 5), (1000, 9)] {
        let o = linreg(n, seed);
        let s = o.model().samples();
        let nf = s.len() as f64;
        let (sx, sy) = (
            s.iter().map(|e| e.x).sum::<f64>(),
            s.iter().map(|e| e.y).sum::<f64>(),
        );
        let sxx = s.iter().map(|e| e.x * e.x).sum::<f64>();
        let sxy = s.iter().map(|e| e.x * e.y).sum::<f64>();
        // Normal equations [sxx sx; sx n] (w, b) = (sxy, sy).
        let det = sxx * nf - sx * sx;
        let w = (sxy * nf - sx * sy) / det;
        let b = (sxx * sy - sx * sxy) / det;
        assert!(
            has_point(&o, CriticalKind::Minimum, [w, b], 1e-8),
            "{:?} vs {w}, {b}",
            o.info().critical
        );
        assert!(s.iter().all(|e| (-1.0..3.0).contains(&e.x)));
    }
    let d = linreg(50, 1);
    assert!(
        (d.info().critical[0].at[0] - 2.0).abs() < 0.3
            && (d.info().critical[0].at[1] + 1.0).abs() < 0.3
    );
}

#[test]
fn deeplinear_has_a_saddle_at_the_origin_and_balanced_minima() {
    let o = deeplinear(30, 1);
    let s = o.model().samples();
    let c = s.iter().map(|e| e.x * e.y).sum::<f64>() / s.len() as f64;
    let m = s.iter().map(|e| e.x * e.x).sum::<f64>() / s.len() as f64;
    let h = hess(&o, &[0.0, 0.0]);
    assert!(
        h[0] == 0.0 && h[3] == 0.0 && (h[1] + c).abs() < 1e-15 && (h[2] + c).abs() < 1e-15,
        "{h:?}"
    );
    assert!(has_point(&o, CriticalKind::Saddle, [0.0, 0.0], 0.0));
    let q = c / m;
    let r = q.sqrt();
    assert!(has_point(&o, CriticalKind::Minimum, [r, r], 1e-12));
    assert!(has_point(&o, CriticalKind::Minimum, [-r, -r], 1e-12));
    // Every point of the curve w₁w₂ = q is a minimum of equal loss.
    let l0 = o.loss(&[r, r]);
    for w1 in [0.5, 2.0, -1.5] {
        let (_, g) = grad(&o, &[w1, q / w1]);
        assert!(norm(&g) < 1e-12 && (o.loss(&[w1, q / w1]) - l0).abs() < 1e-12);
    }
}

#[test]
fn gd_from_the_deeplinear_start_passes_the_saddle_then_reaches_the_valley() {
    let o = default_surface("deeplinear");
    let saddle_and_minimum = &o.info().critical;
    assert_eq!(saddle_and_minimum[0].kind, CriticalKind::Saddle);
    let q = {
        let m = &saddle_and_minimum[1].at;
        m[0] * m[1]
    };
    let mut p = o.info().start.clone();
    let mut g = [0.0; 2];
    let mut closest = f64::INFINITY;
    for _ in 0..3000 {
        o.loss_grad(&p, &mut g);
        p[0] -= 0.1 * g[0];
        p[1] -= 0.1 * g[1];
        closest = closest.min(norm(&p));
    }
    assert!(closest < 0.5, "never came near the saddle: {closest}");
    assert!(
        (p[0] * p[1] - q).abs() < 1e-6 && norm(&g) < 1e-9,
        "ended at {p:?}"
    );
}
