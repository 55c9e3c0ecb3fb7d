//! Scenario text: printing then parsing gives the same scenario (proptest), the design's
//! example, presets under an overriding surface, titles and custom surfaces (bad text is in
//! `tests/errors.rs`).

use gradscape::core::label::{settle_lines, Name};
use gradscape::core::objective::SURFACES;
use gradscape::core::optim::{Adagrad, Adam, Gd, Momentum, Nesterov, RmsProp, Rule};
use gradscape::core::presets::PRESETS;
use gradscape::core::run::{OptimizerConfig, Stopping, Track};
use gradscape::core::sampling::Source;
use gradscape::core::scenario::{PageOptions, Scenario, MAX_WORK, VIEWS};
use gradscape::core::schedule::Schedule;
use proptest::prelude::*;

fn unit_open() -> impl Strategy<Value = f64> {
    prop_oneof![Just(0.0), Just(0.9), Just(0.999), 0.0..0.999_999f64]
}

fn positive() -> impl Strategy<Value = f64> {
    prop_oneof![Just(1e-8), Just(0.1), Just(1e-3), 1e-12..10.0f64]
}

fn rule() -> impl Strategy<Value = Rule> {
    prop_oneof![
        Just(Rule::Gd(Gd)),
        (unit_open(), unit_open(), 0u64..50).prop_map(|(g, g0, w)| Rule::Momentum(Momentum {
            gamma: g,
            gamma0: if w == 0 { g } else { g0 },
            warmup: w,
        })),
        (unit_open(), unit_open(), 0u64..50).prop_map(|(g, g0, w)| Rule::Nesterov(Nesterov(
            Momentum {
                gamma: g,
                gamma0: if w == 0 { g } else { g0 },
                warmup: w,
            }
        ))),
        (1e-12..1.0f64).prop_map(|d| Rule::Adagrad(Adagrad { delta: d })),
        (unit_open(), 1e-12..1.0f64).prop_map(|(r, d)| Rule::RmsProp(RmsProp { rho: r, delta: d })),
        (unit_open(), unit_open(), 1e-12..1.0f64, any::<bool>()).prop_map(|(a, b, d, c)| {
            Rule::Adam(Adam {
                rho1: a,
                rho2: b,
                delta: d,
                bias_correction: c,
            })
        }),
    ]
}

fn schedule() -> impl Strategy<Value = Schedule> {
    prop_oneof![
        Just(Schedule::Constant),
        (1u64..10_000, 1e-6..1.0f64, any::<bool>()).prop_map(|(every, factor, on)| {
            Schedule::Step {
                every: if on { 100 } else { every },
                factor,
                on_increase: on,
            }
        }),
        (0.0..10.0f64).prop_map(|k| Schedule::Exp { k }),
        (0.0..10.0f64).prop_map(|k| Schedule::Inv { k }),
    ]
}

fn optimizer(examples: usize) -> impl Strategy<Value = OptimizerConfig> {
    let batch = if examples == 0 {
        Just(None).boxed()
    } else {
        prop_oneof![Just(None), (1..=examples as u32).prop_map(Some)].boxed()
    };
    (
        rule(),
        positive(),
        schedule(),
        batch,
        prop_oneof![Just(0.0), 0.0..5.0f64],
        // Lines are settled by the scenario (below); names with what needs escaping.
        proptest::option::of(0u8..16),
        proptest::option::of("[a-z ,%&=:#λ→]{1,24}"),
    )
        .prop_map(
            |(rule, lr, schedule, batch_size, noise, colour, name)| OptimizerConfig {
                rule,
                learning_rate: lr,
                schedule,
                source: Source { batch_size, noise },
                colour,
                name: name.as_deref().and_then(Name::new),
            },
        )
}

fn page() -> impl Strategy<Value = PageOptions> {
    (
        any::<bool>(),
        proptest::option::of(proptest::sample::subsequence(
            VIEWS.iter().map(|c| c.name).collect::<Vec<_>>(),
            1..=VIEWS.len(),
        )),
        any::<bool>(),
        proptest::sample::select(vec!["step", "epoch", "examples"]),
        any::<bool>(),
        any::<bool>(),
        prop_oneof![(1u32..=1000).prop_map(f64::from), 0.0167..1000.0f64],
        proptest::option::of((
            -100.0..0.0f64,
            0.001..100.0f64,
            -100.0..0.0f64,
            0.001..100.0f64,
        )),
        prop_oneof![Just(0u32), 0u32..=1_000_000],
        any::<bool>(),
        challenge(),
        proptest::option::of(proptest::sample::select(vec![
            "phase,opt=1,x=lr:0.0001..1:log:64,y=gamma:0..0.99:32",
            "phase,opt=2,x=k:0..0.1:lin:16,y=lr:0.01..1:log:16,by=loss",
            "basins,opt=1,grid=48",
            "basins,opt=1,grid=32x16",
        ])),
    )
        .prop_map(
            |(
                embed,
                show,
                log,
                axis,
                eff,
                arrows,
                speed,
                view,
                t,
                autoheight,
                (origin, goal, within, lock, tour),
                sweep,
            )| PageOptions {
                embed,
                show,
                log,
                axis,
                eff,
                arrows,
                speed,
                view: view.map(|(a, w, b, h)| [a, a + w, b, b + h]),
                t,
                autoheight,
                origin,
                goal,
                within,
                lock,
                tour,
                sweep: sweep.map(String::from),
            },
        )
}

/// A challenge's and a tour's keys: origin, goal, within, lock, tour.
#[allow(clippy::type_complexity)]
fn challenge() -> impl Strategy<
    Value = (
        Option<String>,
        Option<String>,
        Option<u64>,
        Vec<&'static str>,
        Option<String>,
    ),
> {
    let text = |list: &[&str]| {
        proptest::option::of(proptest::sample::select(
            list.iter().map(|s| s.to_string()).collect::<Vec<_>>(),
        ))
    };
    (
        text(&["https://course.example.edu", "http://127.0.0.1:8001"]),
        text(&["loss<0.001", "gap<1e-6", "grad<0.5"]),
        proptest::option::of(1u64..=16_000),
        proptest::sample::subsequence(
            gradscape::core::challenge::LOCKS
                .iter()
                .map(|c| c.name)
                .collect::<Vec<_>>(),
            0..=3,
        ),
        text(&["lessons", "beale-race,cliff-explodes"]),
    )
}

/// Custom surfaces for the round trip: characters a URL must escape (`+ ^ / *`, spaces, tabs)
/// and ones it may keep (`, ( ) . -`).
const EXPRESSIONS: &[&str] = &[
    "x^2 + y^2",
    "(1 - x)^2 + 100*(y - x^2)^2",
    "max(x, y) / (1 + abs(x*y))",
    "sin(x)*cos(y) + 0.1*x^2",
    "-x^2 + y^4/4 - y^2/2",
    "min(x,y)+2^-1",
    "sigmoid(x - y) * tanh(.5E+1*y) \t- ln(1 + e^x) + sqrt(pi)",
    "log(x^2 + 1e-3) + exp(-y)",
];

fn scenario() -> impl Strategy<Value = Scenario> {
    // One past the registry: the custom surface.
    (0..=SURFACES.len()).prop_flat_map(|si| {
        // Position of the data set's size `n` among the parameters: batch sizes must not exceed it.
        let size_param = SURFACES
            .get(si)
            .and_then(|d| d.params.iter().position(|p| p.key == "n"));
        let (name, params, custom, dim, examples) = match SURFACES.get(si) {
            Some(def) => {
                let params: Vec<BoxedStrategy<f64>> = def
                    .params
                    .iter()
                    .map(|p| {
                        let (min, max) = p.bounds().expect("numeric");
                        if p.integer() {
                            (min as u64..=max.min(1e6) as u64)
                                .prop_map(|x| x as f64)
                                .boxed()
                        } else {
                            prop_oneof![Just(p.default_num()), min..=max].boxed()
                        }
                    })
                    .collect();
                let obj = gradscape::core::objective::build_default(def.name).expect("registered");
                let custom: BoxedStrategy<Option<String>> = Just(None).boxed();
                (def.name, params, custom, obj.dim(), obj.examples())
            }
            None => {
                let custom = proptest::sample::select(EXPRESSIONS)
                    .prop_map(|e| Some(e.to_string()))
                    .boxed();
                ("custom", Vec::new(), custom, 2, 0)
            }
        };
        (
            (params, custom),
            proptest::option::of(proptest::collection::vec(-1e3..1e3f64, dim)),
            0u64..=u32::MAX as u64,
            0u64..100_000,
            prop_oneof![Just(1e-8), 0.0..1.0f64],
            prop_oneof![Just(0.0), 0.0..1.0f64],
            proptest::collection::vec(optimizer(examples), 1..6),
            proptest::option::of("[ -~éλ→]{0,40}"),
            page(),
            // A scenario from any preset, edited into anything: the link still says it all.
            proptest::option::of(proptest::sample::select(
                PRESETS.iter().map(|p| p.name).collect::<Vec<_>>(),
            )),
        )
            .prop_map(
                move |(
                    (surface_params, custom),
                    start,
                    seed,
                    steps,
                    gtol,
                    ltol,
                    mut optimizers,
                    title,
                    page,
                    preset,
                )| {
                    if let Some(n) = size_param.and_then(|i| surface_params.get(i)) {
                        for o in &mut optimizers {
                            if let Some(b) = &mut o.source.batch_size {
                                *b = (*b).min(*n as u32);
                            }
                        }
                    }
                    // Within the work bound: steps × optimizers × N ≤ MAX_WORK.
                    let n = size_param
                        .and_then(|i| surface_params.get(i))
                        .map_or(examples, |n| *n as usize);
                    let steps = steps.min(MAX_WORK / (optimizers.len() * n.max(1)) as u64);
                    settle_lines(&mut optimizers);
                    Scenario {
                        surface: name,
                        surface_params,
                        custom,
                        data: None,
                        start,
                        seed,
                        stopping: Stopping {
                            max_steps: steps,
                            grad_tol: gtol,
                            loss_tol: ltol,
                        },
                        optimizers,
                        title: title
                            .map(|t| t.trim().to_string())
                            .filter(|t| !t.is_empty()),
                        preset,
                        page,
                    }
                },
            )
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]
    #[test]
    fn print_then_parse_gives_the_same_scenario(s in scenario()) {
        let text = s.to_text();
        let back = Scenario::parse(&text);
        prop_assert_eq!(back.as_ref(), Ok(&s), "text: {}", text);
        // And the text is stable: printing again gives the same characters.
        prop_assert_eq!(back.map(|b| b.to_text()), Ok(text));
    }

    #[test]
    fn decoding_arbitrary_text_never_panics(text in ".{0,300}") {
        let _ = Scenario::decode(&text);
    }

    #[test]
    fn decoding_arbitrary_key_values_never_panics(
        parts in proptest::collection::vec(("[a-z_]{1,8}", "[-a-z0-9.,:=%eE+]{0,30}"), 0..8)
    ) {
        let text: Vec<String> = parts.iter().map(|(k, v)| format!("{k}={v}")).collect();
        let _ = Scenario::decode(&text.join("&"));
    }
}

#[test]
fn the_design_example_parses() {
    let text = "v=1&surface=rosenbrock&start=-1.5,2&seed=7&steps=500\
        &opt=gd:lr=0.001&opt=momentum:lr=0.001,gamma=0.9&opt=nesterov:lr=0.001,gamma=0.9\
        &opt=adam:lr=0.05,rho1=0.9,rho2=0.999,delta=1e-8,bias_correction=true\
        &opt=rmsprop:lr=0.01,rho=0.9,schedule=exp,k=0.01\
        &opt=gd:lr=0.1,noise=0.5&opt=gd:lr=0.1,schedule=step,every=100,factor=0.5\
        &opt=gd:lr=0.1,schedule=inv,k=0.05";
    let s = Scenario::parse(text).expect("valid");
    assert_eq!(s.surface, "rosenbrock");
    assert_eq!(s.start, Some(vec![-1.5, 2.0]));
    assert_eq!(s.seed, 7);
    assert_eq!(s.stopping.max_steps, 500);
    assert_eq!(s.optimizers.len(), 8);
    assert_eq!(s.optimizers[4].schedule, Schedule::Exp { k: 0.01 });
    assert_eq!(s.optimizers[5].source.noise, 0.5);
    // Batch size on a data set, surface parameters, percent-encoded text as URLSearchParams writes it.
    let s = Scenario::parse("surface=linreg:n=40&opt=gd%3Alr%3D0.1%2Cbatch%3D1").expect("valid");
    assert_eq!(s.surface_params[0], 40.0);
    assert_eq!(s.optimizers[0].source.batch_size, Some(1));
    let s = Scenario::parse("surface=ellipse:kappa=50&opt=adam").expect("valid");
    assert_eq!(s.surface_params, vec![50.0]);
}

#[test]
fn hostile_title_stays_plain_text_and_round_trips() {
    let s = Scenario {
        title: Some("<script>alert('x')</script> & more = 100%".into()),
        ..Scenario::default()
    };
    let text = s.to_text();
    assert!(!text.contains('<') && !text.contains(' '));
    assert!(!text.contains("& more"), "an & inside the title is escaped");
    assert_eq!(Scenario::parse(&text), Ok(s));
}

#[test]
fn a_surface_overriding_a_preset_drops_what_belonged_to_the_preset_surface() {
    // Found by fuzzing: the preset's 2-D start and its mini-batches do not fit another surface.
    let s = Scenario::parse("preset=rosenbrock-race&surface=svm").expect("valid");
    assert_eq!(s.surface, "svm");
    assert_eq!(s.start, None);
    // A preset's mini-batch larger than the new surface's N is an error naming the optimizer
    // and N (the lenient decoding runs it with the full batch); opt= keys replace the preset's
    // optimizers, and then nothing is wrong.
    let (s, errors) = Scenario::decode("preset=sgd-zigzag&surface=bowl");
    assert!(s.optimizers.iter().all(|o| o.source.batch_size.is_none()));
    let keys: Vec<&str> = errors.iter().map(|e| e.key.as_str()).collect();
    assert_eq!(
        keys,
        [
            "opt 1 (gd): batch",
            "opt 2 (gd): batch",
            "opt 3 (gd): batch"
        ]
    );
    assert!(
        errors[2].to_string().contains("mini-batch of 10") && errors[2].message.contains("N = 0"),
        "{}",
        errors[2]
    );
    let e = Scenario::parse("preset=sgd-zigzag&surface=linreg:n=5").expect_err("m = 10 > N = 5");
    assert_eq!(
        (e.key.as_str(), e.value.as_str()),
        ("opt 3 (gd): batch", "10")
    );
    assert!(e.message.contains("N = 5"), "{e}");
    let (s, errors) = Scenario::decode("preset=sgd-zigzag&surface=linreg:n=5");
    assert_eq!(errors.len(), 1, "m = 1 and 2 fit: {errors:?}");
    let batches: Vec<Option<u32>> = s.optimizers.iter().map(|o| o.source.batch_size).collect();
    assert_eq!(batches, [Some(1), Some(2), None, None]);
    let s = Scenario::parse("preset=sgd-zigzag&surface=bowl&opt=gd").expect("opt= replaces them");
    assert_eq!(s.optimizers.len(), 1);
    // γ₀ without a warm-up is γ, so the text prints and re-reads the same.
    let s = Scenario::parse("opt=momentum:gamma=0.9,gamma0=0.5").expect("valid");
    assert_eq!(Scenario::parse(&s.to_text()), Ok(s));
}

#[test]
fn custom_surface_text_is_escaped_and_round_trips() {
    let text = "surface=custom:f=(1 - x)^2 + 100*(y - x^2)^2&start=-1.5,2";
    let s = Scenario::parse(text).expect("valid");
    assert_eq!(s.surface, "custom");
    assert!(s.surface_params.is_empty());
    assert_eq!(s.custom_expression(), Some("(1 - x)^2 + 100*(y - x^2)^2"));
    assert_eq!(s.surface_def().name, "custom");
    let printed = s.to_text();
    assert!(
        printed.contains("surface=custom:f=(1%20-%20x)%5E2%20%2B%20100*(y%20-%20x%5E2)%5E2&"),
        "{printed}"
    );
    assert!(!printed.contains(' ') && !printed.contains('+') && !printed.contains('^'));
    assert_eq!(Scenario::parse(&printed), Ok(s.clone()));
    // As a browser would send it: the whole value percent-encoded, `=` and `,` included.
    let encoded =
        "surface=custom%3Af%3D(1%20-%20x)%5E2%20%2B%20100*(y%20-%20x%5E2)%5E2&start=-1.5%2C2";
    assert_eq!(Scenario::parse(encoded), Ok(s));
    // Surrounding spaces are not part of the expression; `f = …` is accepted.
    let s = Scenario::parse("surface=custom: f =  max(x, y)  ").expect("valid");
    assert_eq!(s.custom.as_deref(), Some("max(x, y)"));
}

#[test]
fn set_custom_checks_the_expression_and_switches_the_surface() {
    let mut s = Scenario::parse("surface=svm&start=0,0,0,0,0,0,0,0,0&seed=4").expect("valid");
    let e = s.set_custom("x +* y").expect_err("bad");
    assert_eq!(e.key, "surface custom: f");
    assert_eq!(e.value, "x +* y");
    assert!(e.message.starts_with("at 3: expected a number"), "{e}");
    assert_eq!(s.surface, "svm", "a bad expression changes nothing");
    s.set_custom("  x^2 + 3*y^2 ").expect("valid");
    assert_eq!(s.surface, "custom");
    assert_eq!(s.custom_expression(), Some("x^2 + 3*y^2"));
    assert_eq!(s.start, None, "a 9-D start does not carry over");
    assert_eq!(s.seed, 4);
    let obj = s.build_objective();
    assert_eq!(obj.loss(&[1.0, 2.0]), 13.0);
    assert_eq!(Scenario::parse(&s.to_text()), Ok(s));
}

#[test]
fn lenient_decoding_of_a_bad_expression_keeps_the_default_surface() {
    let (s, errors) = Scenario::decode("surface=custom:f=sin(x&seed=3&opt=adam");
    assert_eq!(s.surface, "bowl");
    assert_eq!(s.custom, None);
    assert_eq!(s.seed, 3);
    assert_eq!(s.optimizers.len(), 1);
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert_eq!(errors[0].key, "surface custom: f");
    assert_eq!(errors[0].value, "sin(x");
    assert_eq!(
        errors[0].message,
        "at 5: missing \")\" to close \"sin(\" at 3"
    );
    // A preset's surface stays when the override is bad.
    let (s, errors) = Scenario::decode("preset=rosenbrock-race&surface=custom:f=");
    assert_eq!(s.surface, "rosenbrock");
    assert_eq!(errors.len(), 1);
}

#[test]
fn custom_bowl_runs_exactly_like_the_built_in_bowl() {
    // x^2 compiles to x*x and its derivative to 2*x, the built-in's arithmetic: every rule
    // follows the same trajectory bit for bit.
    let opts = "&opt=gd:lr=0.1&opt=momentum&opt=nesterov&opt=adagrad&opt=rmsprop&opt=adam";
    let mut runs = ["surface=bowl", "surface=custom:f=x^2 %2B y^2"].map(|s| {
        let text = format!("{s}&start=-4,3.5&steps=400{opts}");
        let sc = Scenario::parse(&text).expect("valid");
        let mut run = sc.build_run();
        run.advance(400);
        run
    });
    let [a, b] = &mut runs;
    for (ta, tb) in a.tracks.iter().zip(&b.tracks) {
        let bits = |v: &mut dyn Iterator<Item = f64>| v.map(f64::to_bits).collect::<Vec<_>>();
        let params = |t: &Track| bits(&mut t.history.params().flatten().copied());
        assert_eq!(
            bits(&mut ta.theta.iter().copied()),
            bits(&mut tb.theta.iter().copied())
        );
        assert_eq!(ta.loss.to_bits(), tb.loss.to_bits());
        assert_eq!(params(ta), params(tb));
        assert_eq!(
            bits(&mut ta.history.losses()),
            bits(&mut tb.history.losses())
        );
        assert_eq!(
            bits(&mut ta.history.grad_norms()),
            bits(&mut tb.history.grad_norms())
        );
        assert_eq!(ta.status, tb.status);
        assert!(
            ta.loss < 1e-6,
            "{}: {}",
            ta.config.rule.kind().name(),
            ta.loss
        );
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]
    #[test]
    fn decoding_arbitrary_custom_expressions_never_panics(expr in ".{0,200}") {
        let text = format!("surface=custom:f={expr}&start=1,2");
        let (s, errors) = Scenario::decode(&text);
        if errors.is_empty() {
            prop_assert_eq!(s.surface, "custom");
            let mut run = s.build_run();
            run.advance(3);
        }
        let _ = Scenario::decode(&format!("surface=custom:f={}", gradscape::core::scenario::percent_encode(&expr)));
    }
}
