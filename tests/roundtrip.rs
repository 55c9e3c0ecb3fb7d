//! The fuzz target `scenario`'s invariant, checked on generated scenario texts: whatever a text
//! decodes to (errors or not) prints to text that parses strictly to the same scenario, and a
//! text that decodes without errors parses strictly to that scenario too. The texts mix every
//! key of the table with valid, boundary and wrong values, presets with overriding surfaces,
//! and the pairs that used to change meaning quietly (a warm-up without γ₀, `every` beside
//! `on_increase=true`, a preset's mini-batch on a smaller data set, work past the bound).

use gradscape::core::objective::SURFACES;
use gradscape::core::presets::PRESETS;
use gradscape::core::scenario::table::optimizer_rows;
use gradscape::core::scenario::{Scenario, PARAMS, SCHEDULES};
use proptest::prelude::*;

/// The fuzz target's assertions on one text; `Err` says what broke.
fn invariant(text: &str) -> Result<(), String> {
    let (scenario, errors) = Scenario::decode(text);
    let printed = scenario.to_text();
    match Scenario::parse(&printed) {
        Ok(back) if back == scenario => {}
        Ok(back) => {
            return Err(format!(
                "{text}\n printed {printed}\n reads back as {back:?}"
            ))
        }
        Err(e) => return Err(format!("{text}\n printed {printed}\n is refused: {e}")),
    }
    if errors.is_empty() && Scenario::parse(text).as_ref() != Ok(&scenario) {
        return Err(format!("{text}: decodes cleanly but parses otherwise"));
    }
    Ok(())
}

/// Values worth trying for any key: valid ones of most domains, the ends of ranges, and wrong ones.
const VALUES: &[&str] = &[
    "0",
    "1",
    "2",
    "3",
    "5",
    "10",
    "50",
    "100",
    "0.5",
    "0.9",
    "0.999",
    "1e-8",
    "1e-3",
    "0.01",
    "10000",
    "1e7",
    "1e9",
    "-1",
    "1.5",
    "true",
    "false",
    "abc",
    "",
    "nan",
    "step",
    "exp",
    "inv",
    "constant",
    "-2,3",
    "0,0,0,0,0,0,0,0,0",
    "contour,loss",
    "epoch",
    "-1,1,-1,1",
];

fn value() -> impl Strategy<Value = String> {
    proptest::sample::select(VALUES).prop_map(str::to_string)
}

/// One `opt=` value: a rule and a few of the keys an optimizer can take, with any values.
fn optimizer() -> impl Strategy<Value = String> {
    let rules = ["gd", "momentum", "nesterov", "adagrad", "rmsprop", "adam"];
    let keys: Vec<&'static str> = {
        let mut k: Vec<&str> = PARAMS
            .iter()
            .filter(|p| p.scope.in_optimizer())
            .map(|p| p.key)
            .collect();
        k.dedup();
        k
    };
    let schedule = proptest::sample::select(SCHEDULES.iter().map(|c| c.name).collect::<Vec<_>>());
    (
        proptest::sample::select(rules.to_vec()),
        proptest::option::of(schedule),
        proptest::collection::vec((proptest::sample::select(keys), value()), 0..5),
    )
        .prop_map(|(rule, schedule, kvs)| {
            let mut parts: Vec<String> = schedule
                .map(|s| format!("schedule={s}"))
                .into_iter()
                .collect();
            parts.extend(kvs.into_iter().map(|(k, v)| format!("{k}={v}")));
            format!("opt={rule}:{}", parts.join(","))
        })
}

/// A surface with some of its parameters.
fn surface() -> impl Strategy<Value = String> {
    let names: Vec<usize> = (0..SURFACES.len()).collect();
    (
        proptest::sample::select(names),
        proptest::collection::vec(value(), 0..3),
    )
        .prop_map(|(i, vals)| {
            let def = &SURFACES[i];
            let kvs: Vec<String> = def
                .params
                .iter()
                .zip(vals)
                .map(|(p, v)| format!("{}={v}", p.key))
                .collect();
            if kvs.is_empty() {
                format!("surface={}", def.name)
            } else {
                format!("surface={}:{}", def.name, kvs.join(","))
            }
        })
}

/// A top-level key with any value.
fn key() -> impl Strategy<Value = String> {
    let keys: Vec<&'static str> = PARAMS
        .iter()
        .filter(|p| !p.scope.in_optimizer() && !matches!(p.key, "v" | "preset" | "surface" | "opt"))
        .map(|p| p.key)
        .collect();
    (proptest::sample::select(keys), value()).prop_map(|(k, v)| format!("{k}={v}"))
}

/// A whole text: an optional preset, an optional surface, keys and optimizers, shuffled.
fn text() -> impl Strategy<Value = String> {
    let presets: Vec<&'static str> = PRESETS.iter().map(|p| p.name).collect();
    (
        proptest::option::of(proptest::sample::select(presets)),
        proptest::option::of(surface()),
        proptest::collection::vec(key(), 0..4),
        proptest::collection::vec(optimizer(), 0..4),
    )
        .prop_map(|(preset, surface, keys, opts)| {
            let mut parts: Vec<String> =
                preset.map(|p| format!("preset={p}")).into_iter().collect();
            parts.extend(surface);
            parts.extend(keys);
            parts.extend(opts);
            parts
        })
        .prop_shuffle()
        .prop_map(|parts| parts.join("&"))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]
    #[test]
    fn every_decoded_text_prints_to_text_that_reads_back_the_same(t in text()) {
        if let Err(e) = invariant(&t) {
            prop_assert!(false, "{}", e);
        }
    }
}

/// The fuzz target's own seeds, the presets with the pairs that used to change meaning, and
/// each optimizer row given alone; each also runs, as in the `scenario_run` target.
#[test]
fn the_fuzz_seeds_and_the_former_silent_changes_keep_the_invariant() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/seeds/scenario");
    let mut texts: Vec<String> = std::fs::read_dir(&dir)
        .expect("fuzz seeds")
        .map(|e| std::fs::read_to_string(e.expect("entry").path()).expect("seed text"))
        .collect();
    assert!(texts.len() >= 5, "the seeds are there");
    texts.extend(
        [
            "opt=momentum:gamma=0.9,warmup=10",
            "opt=nesterov:warmup=5,gamma0=0.2",
            "opt=momentum:gamma=0.9,gamma0=0.5",
            "opt=gd:schedule=step,on_increase=true,every=50",
            "opt=gd:schedule=step,every=50,on_increase=true",
            "opt=gd:every=50,schedule=step,on_increase=true,factor=0.25",
            "preset=sgd-zigzag&surface=bowl",
            "preset=sgd-zigzag&surface=linreg:n=5",
            "preset=svm-examples-seen&surface=neuron",
            "surface=rosenbrock:b=0",
            "surface=svm:n=10000&steps=10000000&opt=gd&opt=adam",
            "preset=svm-examples-seen&steps=10000000",
        ]
        .map(String::from),
    );
    for p in PRESETS {
        texts.push(p.text.to_string());
        for s in SURFACES {
            texts.push(format!("preset={}&surface={}", p.name, s.name));
        }
    }
    for rule in ["gd", "momentum", "nesterov", "adagrad", "rmsprop", "adam"] {
        let kind = gradscape::core::optim::RuleKind::from_name(rule).expect("rule");
        for schedule in SCHEDULES {
            for row in optimizer_rows(kind, schedule.name) {
                for v in VALUES {
                    texts.push(format!(
                        "surface=linreg&opt={rule}:schedule={},{}={v}",
                        schedule.name, row.key
                    ));
                }
            }
        }
    }
    let broken: Vec<String> = texts.iter().filter_map(|t| invariant(t).err()).collect();
    assert!(
        broken.is_empty(),
        "{} texts break it:\n{}",
        broken.len(),
        broken.join("\n")
    );
    // And, as the `scenario_run` target does, each runs 20 updates without a panic.
    for t in &texts {
        let mut run = Scenario::decode(t).0.build_run();
        run.advance(20);
    }
}
