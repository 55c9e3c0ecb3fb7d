//! Expressions typed by the user: accepted inputs against the same formula written in Rust,
//! rejected inputs with their exact error position and message, limits that never crash,
//! forward-mode derivatives against the built-in surfaces' hand-written derivatives and
//! against finite differences, and the custom surface's start, scale and critical points.

use gradscape::core::expr::{Expr, MAX_DEPTH, MAX_LEN};
use gradscape::core::objective::{
    build_default, CriticalKind, Custom, Objective, CUSTOM_DEF, DEFAULT_EXPRESSION,
};
use proptest::prelude::*;
use std::f64::consts::{E, PI};

type F = fn(f64, f64) -> f64;

/// (text, the same function in Rust).
const ACCEPTED: &[(&str, F)] = &[
    ("3", |_, _| 3.0),
    ("0.5", |_, _| 0.5),
    (".5", |_, _| 0.5),
    ("5.", |_, _| 5.0),
    ("1e-3", |_, _| 1e-3),
    ("2.5E+2", |_, _| 250.0),
    ("007", |_, _| 7.0),
    ("x", |x, _| x),
    ("y", |_, y| y),
    ("pi", |_, _| PI),
    ("e", |_, _| E),
    ("x + y", |x, y| x + y),
    ("x - y", |x, y| x - y),
    ("x * y", |x, y| x * y),
    ("x / y", |x, y| x / y),
    ("x ^ y", |x, y| x.powf(y)),
    ("3*x", |x, _| 3.0 * x),
    ("-x^2", |x, _| -(x * x)),
    ("(-x)^2", |x, _| x * x),
    ("-2^2", |_, _| -4.0),
    ("2^-1", |_, _| 0.5),
    ("2^3^2", |_, _| 512.0),
    ("x^y^2", |x, y| x.powf(y * y)),
    ("x^-1", |x, _| 1.0 / x),
    ("x^0.5", |x, _| x.sqrt()),
    ("x^1.5e0", |x, _| x.powf(1.5)),
    ("2^x", |x, _| 2f64.powf(x)),
    ("e^x", |x, _| x.exp()),
    ("--x", |x, _| x),
    ("+x", |x, _| x),
    ("x - -y", |x, y| x + y),
    ("x*-y", |x, y| -x * y),
    ("1 - 2 - 3", |_, _| -4.0),
    ("8 / 4 / 2", |_, _| 1.0),
    ("2 * 3 + 4 * 5", |_, _| 26.0),
    ("2 + 3 * 4 ^ 2", |_, _| 50.0),
    ("  x\t+\ny  ", |x, y| x + y),
    ("((((x))))", |x, _| x),
    ("sin(x)", |x, _| x.sin()),
    ("cos(y)", |_, y| y.cos()),
    ("tan(x)", |x, _| x.tan()),
    ("exp(x)", |x, _| x.exp()),
    ("ln(x)", |x, _| x.ln()),
    ("log(x)", |x, _| x.ln()),
    ("sqrt(x)", |x, _| x.sqrt()),
    ("abs(x - 1)", |x, _| (x - 1.0).abs()),
    ("abs(-3)", |_, _| 3.0),
    ("tanh(y)", |_, y| y.tanh()),
    ("sigmoid(x)", |x, _| 1.0 / (1.0 + (-x).exp())),
    ("min(x, y)", |x, y| x.min(y)),
    ("max(x,y)", |x, y| x.max(y)),
    ("min(x, max(y, 1))", |x, y| x.min(y.max(1.0))),
    ("sin(pi*x)/2", |x, _| (PI * x).sin() / 2.0),
    ("exp(-(x^2 + y^2))", |x, y| (-(x * x + y * y)).exp()),
    ("(1 - x)^2 + 100*(y - x^2)^2", |x, y| {
        (1.0 - x).powi(2) + 100.0 * (y - x * x).powi(2)
    }),
    ("x^2 + y^4/4 - y^2/2", |x, y| {
        x * x + y.powi(4) / 4.0 - y * y / 2.0
    }),
    ("1/0", |_, _| f64::INFINITY),
    ("ln(0)", |_, _| f64::NEG_INFINITY),
    ("sqrt(-1)", |_, _| f64::NAN),
];

fn close(a: f64, b: f64, rel: f64) -> bool {
    (a.is_nan() && b.is_nan()) || a == b || (a - b).abs() <= rel * (1.0 + a.abs().max(b.abs()))
}

#[test]
fn accepted_inputs_compute_their_formula() {
    for (text, f) in ACCEPTED {
        let e = Expr::parse(text).unwrap_or_else(|err| panic!("`{text}`: {err}"));
        assert_eq!(e.source(), *text);
        for (x, y) in [(0.7, 1.3), (-0.4, 2.1), (2.5, -0.6)] {
            let (got, want) = (e.eval(x, y), f(x, y));
            assert!(
                close(got, want, 1e-13),
                "`{text}` at ({x}, {y}): {got} vs {want}"
            );
            let d = e.eval2(x, y);
            assert_eq!(d.v.to_bits(), got.to_bits(), "`{text}`: eval2 value");
        }
    }
}

/// (text, position, message fragment).
const REJECTED: &[(&str, Option<usize>, &str)] = &[
    ("", None, "empty expression"),
    ("  \t ", None, "empty expression"),
    (
        "sn(x)",
        Some(0),
        "unknown name \"sn\"; the names are x, y, pi, e and the functions sin, cos",
    ),
    ("x + foo", Some(4), "unknown name \"foo\""),
    (
        "Sin(x)",
        Some(0),
        "unknown name \"Sin\" (names are lower case: sin)",
    ),
    ("z", Some(0), "unknown name \"z\""),
    (
        "x +",
        Some(3),
        "expected a number, x, y, a function or \"(\", found the end",
    ),
    (
        "*x",
        Some(0),
        "expected a number, x, y, a function or \"(\", found \"*\"",
    ),
    ("x * / y", Some(4), "found \"/\""),
    ("x^", Some(2), "found the end"),
    (
        "()",
        Some(1),
        "expected a number, x, y, a function or \"(\", found \")\"",
    ),
    ("(x + 1", Some(6), "missing \")\" to close \"(\" at 0"),
    ("((x) + 1", Some(8), "missing \")\" to close \"(\" at 0"),
    ("x + 1)", Some(5), "\")\" has no matching \"(\""),
    (
        "(x y)",
        Some(3),
        "expected an operator or \")\" to close \"(\" at 0, found \"y\"",
    ),
    (
        "1e",
        Some(0),
        "bad number \"1e\": the exponent after \"e\" needs digits",
    ),
    ("2 * 1e+", Some(4), "bad number \"1e+\""),
    ("1..2", Some(0), "bad number \"1..2\""),
    ("x + 1.2.3", Some(4), "bad number \"1.2.3\""),
    (". + x", Some(0), "bad number \".\""),
    ("1e999", Some(0), "number \"1e999\" is too large"),
    (
        "3x",
        Some(1),
        "expected an operator (+ - * / ^) or the end, found \"x\" (multiplication needs *",
    ),
    ("2 (x)", Some(2), "found \"(\" (multiplication needs *"),
    ("x y", Some(2), "found \"y\""),
    (
        "x, y",
        Some(1),
        "expected an operator (+ - * / ^) or the end, found \",\"",
    ),
    ("x # y", Some(2), "found \"#\""),
    ("x = 1", Some(2), "found \"=\""),
    ("x² + y", Some(1), "found \"²\""),
    ("max(x)", Some(0), "\"max\" needs 2 arguments, got 1"),
    ("x + min()", Some(4), "\"min\" needs 2 arguments, got 0"),
    ("sin(x, y)", Some(0), "\"sin\" needs 1 argument, got 2"),
    ("sin()", Some(0), "\"sin\" needs 1 argument, got 0"),
    (
        "max(x,)",
        Some(6),
        "expected a number, x, y, a function or \"(\", found \")\"",
    ),
    (
        "sin x",
        Some(4),
        "expected \"(\" after \"sin\", found \"x\"",
    ),
    (
        "1 + exp",
        Some(7),
        "expected \"(\" after \"exp\", found the end",
    ),
    ("max(x, y", Some(8), "missing \")\" to close \"max(\" at 3"),
    (
        "max(x y)",
        Some(6),
        "expected an operator, \",\" or \")\" in \"max(\" at 3, found \"y\"",
    ),
];

#[test]
fn rejected_inputs_say_where_and_what() {
    for (text, pos, msg) in REJECTED {
        let e = match Expr::parse(text) {
            Err(e) => e,
            Ok(e) => panic!("`{text}` parsed to {e:?}"),
        };
        assert_eq!(e.pos, *pos, "`{text}`: {e}");
        let shown = e.to_string();
        assert!(shown.contains(msg), "`{text}`: `{shown}` lacks `{msg}`");
        match pos {
            Some(p) => assert!(shown.starts_with(&format!("at {p}: "))),
            None => assert_eq!(shown, e.message),
        }
    }
}

#[test]
fn limits_are_errors_never_crashes() {
    // Too long, including the 1000-fold nestings (checked before parsing).
    let long = format!("{}x{}", "(".repeat(1000), ")".repeat(1000));
    let e = Expr::parse(&long).expect_err("too long");
    assert_eq!(
        e.to_string(),
        "expression is 2001 characters long; at most 500 are allowed"
    );
    let e = Expr::parse(&format!("{}x", "-".repeat(1000))).expect_err("too long");
    assert!(e.message.contains("at most 500"));
    let ok = format!("x{}", " + x".repeat((MAX_LEN - 1) / 4));
    assert!(ok.chars().count() <= MAX_LEN);
    assert_eq!(Expr::parse(&ok).expect("fits").eval(1.0, 0.0), 125.0);
    // Too deep, within the length limit: the error is at the first level too many.
    let deep =
        |open: &str, close: &str, n: usize| format!("{}x{}", open.repeat(n), close.repeat(n));
    let cases = [
        (deep("(", ")", 200), MAX_DEPTH),
        (deep("-", "", 499), MAX_DEPTH),
        (deep("+", "", 499), MAX_DEPTH),
        (deep("sin(", ")", 90), 4 * MAX_DEPTH + 3),
        (deep("max(1,", ")", 70), 6 * MAX_DEPTH + 3),
        (format!("x{}", "^x".repeat(200)), 2 * MAX_DEPTH + 1),
        (format!("2{}", "^-2".repeat(120)), 3 * MAX_DEPTH / 2 + 1),
    ];
    for (text, pos) in cases {
        let e = Expr::parse(&text).expect_err("too deep");
        assert!(
            e.message.starts_with("nesting is too deep: at most 64"),
            "{e}"
        );
        assert_eq!(e.pos, Some(pos), "{}…", &text[..20]);
    }
    // Exactly at the limit is fine.
    let e = Expr::parse(&deep("(", ")", MAX_DEPTH)).expect("64 levels");
    assert_eq!(e.eval(2.0, 0.0), 2.0);
    let e = Expr::parse(&deep("-", "", MAX_DEPTH)).expect("64 signs");
    assert_eq!(e.eval(2.0, 0.0), 2.0);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]
    #[test]
    fn arbitrary_text_never_panics(text in ".{0,200}") {
        if let Ok(e) = Expr::parse(&text) {
            let _ = (e.eval(0.3, -0.7), e.eval2(0.3, -0.7));
        }
    }

    #[test]
    fn grammar_soup_never_panics(text in "[-+*/^(), .0-9eExypisnclogtarqbmd]{0,200}") {
        match Expr::parse(&text) {
            Ok(e) => {
                let (v, d) = (e.eval(1.5, -0.25), e.eval2(1.5, -0.25));
                prop_assert_eq!(v.to_bits(), d.v.to_bits());
            }
            Err(err) => {
                prop_assert!(err.pos.is_none_or(|p| p <= text.chars().count()));
                prop_assert!(!err.message.is_empty());
            }
        }
    }
}

/// The built-in analytic surfaces at their default parameters, typed as text.
const AS_TEXT: &[(&str, &str)] = &[
    ("bowl", "x^2 + y^2"),
    ("ellipse", "0.5*(x^2 + 10*y^2)"),
    ("plateau", "1 - exp(-(x^2 + y^2)/1)"),
    (
        "minima",
        "0.05*(x^2 + y^2) - 3*exp(-((x - 2)^2 + (y + 1.5)^2)/2) \
         - 2*exp(-((x + 2.5)^2 + (y + 1.5)^2)/1.5) - exp(-((x + 0.5)^2 + (y - 2.5)^2)/1)",
    ),
    ("saddle", "x^2 + y^4/4 - y^2/2"),
    ("cliff", "0.05*(x^2 + y^2) + 4*sigmoid(8*(x - 1))"),
    ("rosenbrock", "(1 - x)^2 + 100*(y - x^2)^2"),
    (
        "beale",
        "(1.5 - x + x*y)^2 + (2.25 - x + x*y^2)^2 + (2.625 - x + x*y^3)^2",
    ),
    ("himmelblau", "(x^2 + y - 11)^2 + (x + y^2 - 7)^2"),
];

fn pairs() -> &'static [(Box<dyn Objective>, Custom)] {
    static ALL: std::sync::OnceLock<Vec<(Box<dyn Objective>, Custom)>> = std::sync::OnceLock::new();
    ALL.get_or_init(|| {
        AS_TEXT
            .iter()
            .map(|(name, text)| {
                let built = build_default(name).expect("registered");
                let custom = Custom::parse(text).unwrap_or_else(|e| panic!("{name}: {e}"));
                (built, custom)
            })
            .collect()
    })
}

fn derivatives(o: &dyn Objective, p: &[f64]) -> (f64, [f64; 2], [f64; 4]) {
    let (mut g, mut h) = ([0.0; 2], [0.0; 4]);
    let l = o.loss_grad(p, &mut g);
    o.hessian(p, &mut h);
    (l, g, h)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]
    #[test]
    fn forward_mode_matches_the_hand_written_derivatives(u in 0.0..1.0f64, v in 0.0..1.0f64) {
        for ((name, _), (built, custom)) in AS_TEXT.iter().zip(pairs()) {
            let view = built.info().view;
            let p = [view[0] + u * (view[1] - view[0]), view[2] + v * (view[3] - view[2])];
            let (l0, g0, h0) = derivatives(&**built, &p);
            let (l1, g1, h1) = derivatives(custom, &p);
            prop_assert!(close(l0, l1, 1e-12), "{} at {:?}: loss {} vs {}", name, p, l0, l1);
            prop_assert_eq!(custom.loss(&p).to_bits(), l1.to_bits());
            for i in 0..2 {
                prop_assert!(close(g0[i], g1[i], 1e-9), "{} at {:?}: ∇ {:?} vs {:?}", name, p, g0, g1);
            }
            for i in 0..4 {
                prop_assert!(close(h0[i], h1[i], 1e-9), "{} at {:?}: H {:?} vs {:?}", name, p, h0, h1);
            }
        }
    }
}

/// Every function, both powers, both constants; abs, min and max switch branch inside
/// [−1, 1]² (points near the kinks are skipped).
const ZOO: &str = "sin(x)*cos(y) + tan(0.5*x) + exp(0.3*y) + ln(2 + x) + log(3 - y) \
    + sqrt(x^2 + y^2 + 1) + abs(x - 0.3) + tanh(x*y) + sigmoid(2*x - y) + min(x, y)^2 \
    + max(x, -y)/(1 + x^2) + (1.5 + 0.5*sin(y))^(x + 1) + 2^-1*x^3 - y/pi + e^(-x) - -x^-2";

fn zoo(x: f64, y: f64) -> f64 {
    x.sin() * y.cos()
        + (0.5 * x).tan()
        + (0.3 * y).exp()
        + (2.0 + x).ln()
        + (3.0 - y).ln()
        + (x * x + y * y + 1.0).sqrt()
        + (x - 0.3).abs()
        + (x * y).tanh()
        + 1.0 / (1.0 + (-(2.0 * x - y)).exp())
        + x.min(y).powi(2)
        + x.max(-y) / (1.0 + x * x)
        + (1.5 + 0.5 * y.sin()).powf(x + 1.0)
        + 0.5 * x.powi(3)
        - y / PI
        + (-x).exp()
        + 1.0 / (x * x)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]
    #[test]
    fn forward_mode_matches_finite_differences_on_every_function(
        x in -1.0..1.0f64,
        y in -1.0..1.0f64,
    ) {
        prop_assume!((x - 0.3).abs() > 1e-2 && (x - y).abs() > 1e-2 && (x + y).abs() > 1e-2);
        prop_assume!(x.abs() > 0.2);
        let c = Custom::parse(ZOO).expect("valid");
        let f = |x: f64, y: f64| c.loss(&[x, y]);
        prop_assert!(close(f(x, y), zoo(x, y), 1e-12), "{} vs {}", f(x, y), zoo(x, y));
        let (_, g, h) = derivatives(&c, &[x, y]);
        let d = 1e-6;
        let fd_g = [
            (f(x + d, y) - f(x - d, y)) / (2.0 * d),
            (f(x, y + d) - f(x, y - d)) / (2.0 * d),
        ];
        let d = 1e-4;
        let (f0, d2) = (f(x, y), d * d);
        let hxy = (f(x + d, y + d) - f(x + d, y - d) - f(x - d, y + d) + f(x - d, y - d)) / (4.0 * d2);
        let fd_h = [
            (f(x + d, y) - 2.0 * f0 + f(x - d, y)) / d2,
            hxy,
            hxy,
            (f(x, y + d) - 2.0 * f0 + f(x, y - d)) / d2,
        ];
        for i in 0..2 {
            prop_assert!(close(g[i], fd_g[i], 1e-6), "∇ {:?} vs {:?}", g, fd_g);
        }
        for i in 0..4 {
            prop_assert!(close(h[i], fd_h[i], 1e-4), "H {:?} vs {:?}", h, fd_h);
        }
        prop_assert_eq!(h[1].to_bits(), h[2].to_bits());
    }
}

#[test]
fn kinks_pick_a_branch() {
    let d = |text: &str, x: f64, y: f64| Expr::parse(text).expect("valid").eval2(x, y);
    assert_eq!(d("abs(x)", 0.0, 0.0).d, [0.0, 0.0], "abs′(0) is taken as 0");
    assert_eq!(d("abs(x)", -2.0, 0.0).d, [-1.0, 0.0]);
    assert_eq!(d("min(x, y)", 1.0, 2.0).d, [1.0, 0.0]);
    assert_eq!(d("min(x, y)", 3.0, 2.0).d, [0.0, 1.0]);
    assert_eq!(
        d("max(x, y)", 3.0, 3.0).d,
        [1.0, 0.0],
        "ties pick the first"
    );
    assert!(d("max(x, y)", f64::NAN, 3.0).v.is_nan(), "NaN propagates");
    assert!(d("min(x, y)", 3.0, f64::NAN).v.is_nan(), "NaN propagates");
    // The tip of a cone: zero derivative factors win over infinite ones.
    assert_eq!(d("sqrt(x^2 + y^2)", 0.0, 0.0).d, [0.0, 0.0]);
    assert_eq!(d("sqrt(y) + x", 4.0, 0.0).d, [1.0, f64::INFINITY]);
}

#[test]
fn log_is_the_natural_logarithm() {
    let (a, b) = (
        Expr::parse("log(x)").expect("ok"),
        Expr::parse("ln(x)").expect("ok"),
    );
    for x in [0.1, 1.0, E, 10.0, 1e300] {
        assert_eq!(a.eval(x, 0.0).to_bits(), b.eval(x, 0.0).to_bits());
    }
    assert_eq!(a.eval(E, 0.0), 1.0);
}

#[test]
fn undefined_points_give_nan_or_infinity_without_panicking() {
    let c = Custom::parse("ln(x) + 1/y").expect("valid");
    let (l, g, h) = derivatives(&c, &[-1.0, 2.0]);
    assert!(l.is_nan() && g[0].is_nan() && h[0].is_nan());
    let (l, g, _) = derivatives(&c, &[1.0, 0.0]);
    assert_eq!(l, f64::INFINITY);
    assert!(!g[1].is_finite());
    // Short or long parameter slices do not panic either.
    assert!(c.loss(&[]).is_nan());
    let mut g3 = [7.0; 3];
    assert!(c.loss_grad(&[1.0, 1.0, 5.0], &mut g3).is_finite());
    assert_eq!(g3, [1.0, -1.0, 7.0]);
}

#[test]
fn custom_surface_info() {
    let c = Custom::parse("x^2 + y^2").expect("valid");
    let info = c.info();
    assert_eq!(info.view, [-5.0, 5.0, -5.0, 5.0]);
    assert_eq!(info.start, vec![-3.0, 3.0]);
    assert!(
        !info.log_scale,
        "x² + y² spans 2.3 decades on the sampling grid"
    );
    assert_eq!(info.critical.len(), 1);
    assert_eq!(info.critical[0].kind, CriticalKind::Minimum);
    assert!(info.critical[0].at.iter().all(|v| v.abs() < 1e-12));
    assert_eq!(c.dim(), 2);
    assert_eq!(c.examples(), 0);
    assert_eq!(c.expr().source(), "x^2 + y^2");
    // The registry-style entry builds the default expression.
    let d = (CUSTOM_DEF.build)(&[]);
    let want = Custom::parse(DEFAULT_EXPRESSION).expect("the default parses");
    assert_eq!(d.loss(&[0.5, -1.0]), want.loss(&[0.5, -1.0]));
    assert_eq!(CUSTOM_DEF.name, "custom");
    assert!(CUSTOM_DEF.params.is_empty());

    // Where f is undefined at (−3, 3), the nearest grid point where it is defined.
    let c = Custom::parse("ln(x) + y").expect("valid");
    assert_eq!(c.info().start, vec![1.0, 3.0]);
    let c = Custom::parse("sqrt(-1)").expect("valid");
    assert_eq!(c.info().start, vec![-3.0, 3.0]);
    assert!(c.info().critical.is_empty());

    assert!(
        Custom::parse("(1 - x)^2 + 100*(y - x^2)^2")
            .expect("ok")
            .info()
            .log_scale
    );
    assert!(
        !Custom::parse("1 - exp(-(x^2 + y^2))")
            .expect("ok")
            .info()
            .log_scale
    );
    // Flat valleys and constants have no isolated critical points.
    assert!(Custom::parse("(x - y)^2")
        .expect("ok")
        .info()
        .critical
        .is_empty());
    assert!(Custom::parse("3").expect("ok").info().critical.is_empty());
}

#[test]
fn critical_points_match_the_built_in_surfaces() {
    for name in ["bowl", "saddle", "rosenbrock", "himmelblau", "minima"] {
        let text = AS_TEXT.iter().find(|(n, _)| *n == name).expect("listed").1;
        let built = build_default(name).expect("registered");
        let custom = Custom::parse(text).expect("valid");
        let (mut want, mut got) = (
            built.info().critical.clone(),
            custom.info().critical.clone(),
        );
        // The custom view is [−5, 5]²: keep the built-in points inside it.
        want.retain(|c| c.at.iter().all(|v| v.abs() <= 5.0));
        let key = |c: &gradscape::core::objective::CriticalPoint| {
            (
                format!("{:?}", c.kind),
                (c.at[0] * 1e4).round() as i64,
                (c.at[1] * 1e4).round() as i64,
            )
        };
        want.sort_by_key(key);
        got.sort_by_key(key);
        assert_eq!(want.len(), got.len(), "{name}: {want:?} vs {got:?}");
        for (w, g) in want.iter().zip(&got) {
            assert_eq!(w.kind, g.kind, "{name}");
            let dist = ((w.at[0] - g.at[0]).powi(2) + (w.at[1] - g.at[1]).powi(2)).sqrt();
            assert!(dist < 1e-6, "{name}: {w:?} vs {g:?}");
        }
    }
}
