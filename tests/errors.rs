//! Bad scenario text: each malformed input gets an error naming its key, its value and what is
//! allowed, including the pairs whose meaning would otherwise change quietly (a preset's
//! mini-batch on a smaller data set, `every` beside `on_increase=true`, work past the bound);
//! limits on size; and lenient decoding that keeps what was good.

use gradscape::core::scenario::Scenario;

/// (text, key fragment, message fragment): each bad input and the error it must give.
const MALFORMED: &[(&str, &str, &str)] = &[
    (
        "surface=banana",
        "surface",
        "unknown surface; choose one of bowl",
    ),
    (
        "surface=ellipse:kappa=0",
        "kappa",
        "must be a number in [1, 10000]",
    ),
    ("surface=ellipse:kapa=5", "kapa", "ellipse takes kappa"),
    ("surface=bowl:x=1", "x", "bowl has no parameters"),
    ("surface=sparse:n=2.5", "n", "whole number"),
    ("start=1", "start", "needs 2 comma-separated numbers"),
    ("start=1,abc", "start", "is not a number"),
    ("start=1,1e7", "start", "coordinates must lie in"),
    ("start=NaN,0", "start", "finite"),
    ("seed=-3", "seed", "whole number in [0, 4294967295]"),
    ("seed=99999999999", "seed", "whole number"),
    ("steps=1e99", "steps", "whole number in [0, 10000000]"),
    ("steps=20000000", "steps", "whole number in [0, 10000000]"),
    ("gtol=-1", "gtol", "must be a number in [0, 1000000]"),
    ("v=2", "v", "unsupported version"),
    ("colour=red", "colour", "unknown key; the keys are"),
    ("seed=1&seed=2", "seed", "given twice"),
    (
        "opt=sgd:lr=0.1",
        "opt 1",
        "unknown rule `sgd`; choose one of gd, momentum",
    ),
    ("opt=gd:lr=0", "lr", "must be a number in (0, 10000]"),
    ("opt=gd:lr=-0.1", "lr", "(0, 10000]"),
    ("opt=gd:lr=1e300", "lr", "(0, 10000]"),
    ("opt=gd:lr=inf", "lr", "finite"),
    ("opt=gd:lr=NaN", "lr", "finite"),
    ("opt=gd:lr=", "lr", "is empty"),
    ("opt=gd:lr=0.1.2", "lr", "is not a number"),
    (
        "opt=momentum:gamma=1",
        "gamma",
        "must be a number in [0, 1)",
    ),
    ("opt=rmsprop:rho=1.5", "rho", "[0, 1)"),
    ("opt=adam:rho2=-0.1", "rho2", "[0, 1)"),
    ("opt=adam:delta=0", "delta", "(0, 1]"),
    (
        "opt=adam:bias_correction=maybe",
        "bias_correction",
        "true or false",
    ),
    (
        "opt=gd:gamma=0.9",
        "gamma",
        "unknown parameter for gd; it takes lr",
    ),
    ("opt=gd:batch=4", "batch", "need a data-set surface"),
    ("surface=neuron&opt=gd:batch=3", "batch", "[1, 2]"),
    ("surface=linreg&opt=gd:batch=0", "batch", "whole number"),
    ("opt=gd:noise=-1", "noise", "[0, 1000]"),
    (
        "opt=gd:schedule=cosine",
        "schedule",
        "choose constant, step, exp or inv",
    ),
    (
        "opt=gd:k=0.1",
        "k",
        "only with schedule=exp or schedule=inv",
    ),
    (
        "opt=gd:schedule=exp,every=3",
        "every",
        "only with schedule=step",
    ),
    ("opt=gd:schedule=step,factor=2", "factor", "(0, 1]"),
    (
        "opt=gd:schedule=step,on_increase=true,every=50",
        "every",
        "applies only without on_increase=true",
    ),
    (
        "opt=gd:schedule=step,every=50,on_increase=true",
        "every",
        "not every n updates; give one of the two",
    ),
    (
        "surface=rosenbrock:b=0",
        "b",
        "must be a number in (0, 10000]",
    ),
    (
        "surface=svm:n=10000&steps=10000000&opt=gd&opt=adam",
        "steps",
        "10000000 steps × 2 optimizers × N = 10000 is 200000000000 example gradients; a \
         scenario may ask for at most 200000000: here at most 10000 steps",
    ),
    (
        "preset=sgd-zigzag&surface=bowl",
        "opt 1 (gd): batch",
        "preset sgd-zigzag's mini-batch of 1 is more than N = 0 of surface bowl; give the \
         optimizers with opt=",
    ),
    ("opt=gd:lr", "opt 1", "should be name=value"),
    ("opt=gd:lr=0.1,lr=0.2", "lr", "given twice"),
    ("opt=gd%ZZ", "opt", "malformed %-escape"),
    ("title=%FF%FE", "title", "invalid UTF-8"),
    ("title=a%0Ab", "title", "control characters"),
    (
        "show=contour,bogus",
        "show",
        "unknown `bogus`; choose from contour",
    ),
    ("axis=time", "axis", "step, epoch or examples"),
    ("speed=0", "speed", "[0.0167, 1000]"),
    ("view=1,0,0,1", "view", "min < max"),
    ("embed=yes", "embed", "true or false"),
    ("preset=nope", "preset", "unknown preset"),
    ("surface=banana", "surface", "or custom:f=EXPR"),
    ("surface=custom", "surface custom", "surface=custom:f=EXPR"),
    ("surface=custom:", "surface custom", "surface=custom:f=EXPR"),
    (
        "surface=custom:g=x",
        "surface custom",
        "surface=custom:f=EXPR",
    ),
    ("surface=custom:f=", "surface custom: f", "empty expression"),
    (
        "surface=custom:f=sn(x)",
        "surface custom: f",
        "at 0: unknown name \"sn\"",
    ),
    (
        "surface=custom:f=x%2B",
        "surface custom: f",
        "at 2: expected a number, x, y, a function or \"(\", found the end",
    ),
    (
        "surface=custom:f=x^2 %2B max(y)",
        "surface custom: f",
        "at 6: \"max\" needs 2 arguments, got 1",
    ),
    (
        "surface=custom:f=(x*(y-1)",
        "surface custom: f",
        "at 8: missing \")\" to close \"(\" at 0",
    ),
    (
        "surface=custom:f=3x",
        "surface custom: f",
        "at 1: expected an operator",
    ),
    (
        "surface=custom:f=1..2",
        "surface custom: f",
        "at 0: bad number \"1..2\"",
    ),
    ("surface=custom:f=x,y", "surface custom: f", "at 1:"),
    ("surface=custom:f=x&surface=bowl", "surface", "given twice"),
    (
        "surface=custom:f=x^2&start=1,2,3",
        "start",
        "needs 2 comma-separated numbers for surface custom",
    ),
];

#[test]
fn malformed_inputs_give_clear_errors() {
    for (text, key, msg) in MALFORMED {
        let e = match Scenario::parse(text) {
            Err(e) => e,
            Ok(s) => panic!("`{text}` parsed to {s:?}"),
        };
        let shown = e.to_string();
        assert!(
            e.key.contains(key),
            "`{text}`: key `{}` lacks `{key}` ({shown})",
            e.key
        );
        assert!(
            shown.contains(msg),
            "`{text}`: message lacks `{msg}`: {shown}"
        );
    }
}

#[test]
fn too_many_optimizers_and_too_long_text_are_refused() {
    let many = vec!["opt=gd"; 17].join("&");
    let e = Scenario::parse(&many).expect_err("17 optimizers");
    assert!(e.to_string().contains("at most 16"));
    let long = format!("title={}", "a".repeat(20_000));
    let e = Scenario::parse(&long).expect_err("too long");
    assert!(e.to_string().contains("at most 16384"));
    let e = Scenario::parse(&format!("title={}", "b".repeat(201))).expect_err("title");
    assert!(e.to_string().contains("at most 200"));
}

#[test]
fn lenient_decoding_keeps_what_was_good() {
    let (s, errors) = Scenario::decode(
        "surface=rosenbrock&start=1,zz&seed=5&opt=gd:lr=-1&opt=adam:lr=0.05&opt=nope&bogus=1",
    );
    assert_eq!(s.surface, "rosenbrock");
    assert_eq!(s.start, None, "bad start falls back to the surface's");
    assert_eq!(s.seed, 5);
    assert_eq!(
        s.optimizers.len(),
        2,
        "bad lr keeps the optimizer with the default α"
    );
    assert_eq!(s.optimizers[0].learning_rate, 0.1);
    assert_eq!(s.optimizers[1].learning_rate, 0.05);
    let keys: Vec<&str> = errors.iter().map(|e| e.key.as_str()).collect();
    assert_eq!(keys.len(), 4, "{errors:?}");
    assert!(keys[0].contains("start"));
    assert!(keys[1].contains("lr"));
    assert!(keys[2].contains("opt 3"));
    assert_eq!(keys[3], "bogus");
}
