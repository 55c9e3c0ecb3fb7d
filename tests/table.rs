//! The parameter table drives decoding, encoding, the page's edits, the catalog and
//! `gradscape list`: every row round-trips at a value that is not its default, every row is
//! printed with its range and default, and the narrow edits change exactly what they name.

use gradscape::core::catalog::{list_text, Catalog, Config};
use gradscape::core::objective::SURFACES;
use gradscape::core::optim::{Rule, RuleKind};
use gradscape::core::param::{Access, Domain, Fallback, Param, Scope, Value};
use gradscape::core::run::OptimizerConfig;
use gradscape::core::scenario::{optimizer_text, Scenario, MAX_WORK, PARAMS, VIEWS};
use gradscape::core::schedule::Schedule;

/// A value of `p` other than its default, as text.
fn other(p: &Param) -> String {
    match (p.domain, p.default) {
        (Domain::Bool { .. }, Fallback::Bool(b)) => (!b).to_string(),
        (Domain::Choice(c), Fallback::Name(n)) => c
            .iter()
            .find(|c| c.name != n)
            .expect("two choices")
            .name
            .into(),
        (Domain::Text { .. }, _) => "A title".into(),
        (Domain::Point, _) => "0.5,-1".into(),
        (Domain::ViewBox, _) => "-2,2,-1,3".into(),
        (Domain::Batch, _) => "3".into(),
        (Domain::Set(c), _) => format!("{},{}", c[0].name, c[1].name),
        (Domain::Checked { .. }, _) => match p.key {
            "origin" => "https://course.example.edu".into(),
            "goal" => "loss<1e-3".into(),
            "tour" => "lessons".into(),
            "sweep" => "phase,opt=1,x=lr:0.001..1:log:16,y=noise:0..1:8".into(),
            k => panic!("no example value for text key {k}"),
        },
        _ => {
            let (lo, hi) = p.bounds().expect("numeric");
            let d = match p.default {
                Fallback::Num(x) => x,
                _ => lo,
            };
            let x = if p.integer() {
                (d + 2.0).min(hi)
            } else {
                let v = lo + 0.7 * (hi.min(lo + 1.0) - lo);
                if v == d {
                    lo + 0.3 * (hi.min(lo + 1.0) - lo)
                } else {
                    v
                }
            };
            format!("{x}")
        }
    }
}

fn value_of(s: &Scenario, p: &Param, opt: usize) -> String {
    let c = Config::of(s);
    let settings = if p.scope.in_optimizer() {
        &c.optimizers[opt].params
    } else {
        &c.keys
    };
    let id = PARAMS
        .iter()
        .position(|q| std::ptr::eq(q, p))
        .expect("a row of the table");
    settings
        .iter()
        .find(|x| x.id == id)
        .map(|x| x.value.clone())
        .unwrap_or_default()
}

#[test]
fn every_row_set_through_an_edit_survives_printing_and_decoding() {
    let mut count = 0;
    for p in PARAMS
        .iter()
        .filter(|p| !matches!(p.domain, Domain::Structural))
    {
        let v = other(p);
        let mut s = Scenario::parse("surface=linreg&opt=gd:lr=0.1").expect("valid");
        let opt = 0;
        match p.scope {
            Scope::Rule(rules) => {
                s.set_rule(opt, rules[0].name()).expect("rule");
                if p.key == "gamma0" {
                    s.set_opt_param(opt, "warmup", "5").expect("warmup");
                }
                s.set_opt_param(opt, p.key, &v)
            }
            Scope::Schedule(list) => {
                if p.key != "schedule" {
                    s.set_opt_param(opt, "schedule", list[0]).expect("schedule");
                }
                s.set_opt_param(opt, p.key, &v)
            }
            Scope::Source | Scope::Line => s.set_opt_param(opt, p.key, &v),
            _ => s.set_key(p.key, &v),
        }
        .unwrap_or_else(|e| panic!("{} = {v}: {e}", p.key));
        let shown = value_of(&s, p, opt);
        assert_ne!(
            shown,
            p.default_text(),
            "{} {}: not the default any more",
            p.scope.name(),
            p.key
        );
        let text = s.to_text();
        let back = Scenario::parse(&text).unwrap_or_else(|e| panic!("{text}: {e}"));
        assert_eq!(back, s, "{} {}: {text}", p.scope.name(), p.key);
        // An unrelated edit keeps it.
        let mut t = back.clone();
        let unrelated = if p.key == "arrows" { "log" } else { "arrows" };
        let flip = !(if p.key == "arrows" {
            t.page.log
        } else {
            t.page.arrows
        });
        t.set_key(unrelated, &flip.to_string()).expect("unrelated");
        assert_eq!(value_of(&t, p, opt), shown, "{}: kept after an edit", p.key);
        count += 1;
    }
    assert!(count >= 30, "{count} rows");
}

#[test]
fn every_surface_parameter_survives_an_edit() {
    for d in SURFACES {
        for p in d.params {
            let mut s = Scenario::parse(&format!("surface={}&opt=gd:lr=0.1", d.name)).expect("ok");
            let v = other(p);
            s.set_surface_param(p.key, &v)
                .unwrap_or_else(|e| panic!("{}.{}: {e}", d.name, p.key));
            let text = s.to_text();
            assert!(
                text.contains(&format!("{}={v}", p.key)),
                "{}.{} = {v} in {text}",
                d.name,
                p.key
            );
            assert_eq!(Scenario::parse(&text).expect("round trip"), s);
        }
    }
}

#[test]
fn the_two_drifted_keys_now_hold() {
    // surface3d is a view like the others.
    let s = Scenario::parse("show=contour,surface3d").expect("surface3d is a view");
    assert_eq!(s.page.show, Some(vec!["contour", "surface3d"]));
    assert!(VIEWS.iter().any(|v| v.name == "surface3d"));
    // gtol=0 survives an edit of something else.
    let mut s = Scenario::parse("gtol=0&ltol=1e-9&opt=gd:lr=0.1").expect("valid");
    s.set_opt_param(0, "lr", "0.2").expect("lr");
    let text = s.to_text();
    assert!(
        text.contains("gtol=0&") && text.contains("ltol=1e-9"),
        "{text}"
    );
}

#[test]
fn a_refused_edit_says_why_and_changes_nothing() {
    let s0 = Scenario::parse("surface=bowl&opt=momentum:lr=0.1").expect("valid");
    let cases: &[(&str, &str, &str)] = &[
        ("lr", "1e9", "(0, 10000]"),
        ("lr", "-1", "(0, 10000]"),
        ("lr", "abc", "is not a number"),
        ("lr", "", "is empty"),
        ("gamma", "1", "[0, 1)"),
        (
            "rho",
            "0.5",
            "does not apply to this optimizer; it takes lr, gamma",
        ),
        ("batch", "2", "need a data-set surface"),
        ("schedule", "cosine", "choose constant, step, exp or inv"),
    ];
    for (k, v, msg) in cases {
        let mut s = s0.clone();
        let e = s.set_opt_param(0, k, v).expect_err("refused");
        assert!(e.to_string().contains(msg), "{k}={v}: {e}");
        assert_eq!(s, s0, "{k}={v}: nothing changed");
    }
    // γ₀ only acts during a warm-up: setting it without one says so.
    let mut s = s0.clone();
    let e = s.set_opt_param(0, "gamma0", "0.5").expect_err("no warm-up");
    assert!(e.message.contains("set warmup"), "{e}");
    assert_eq!(s, s0);
    // Switching a warm-up on starts it from the slides' γ₀ = 0.5, as `warmup=10` in a link
    // does; an emptied γ₀ goes back to 0.5; no warm-up, γ₀ = γ again.
    let gamma0 = |s: &Scenario| match s.optimizers[0].rule {
        Rule::Momentum(m) => (m.gamma, m.gamma0, m.warmup),
        r => panic!("{r:?}"),
    };
    s.set_opt_param(0, "warmup", "10").expect("warmup");
    assert_eq!(gamma0(&s), (0.9, 0.5, 10));
    let link = Scenario::parse("surface=bowl&opt=momentum:lr=0.1,gamma=0.9,warmup=10");
    assert_eq!(
        link.as_ref().map(gamma0),
        Ok((0.9, 0.5, 10)),
        "the edit matches the link"
    );
    s.set_opt_param(0, "gamma0", "0.3").expect("gamma0");
    s.set_opt_param(0, "warmup", "20")
        .expect("a longer warm-up keeps γ₀");
    assert_eq!(gamma0(&s), (0.9, 0.3, 20));
    s.set_opt_param(0, "gamma0", "").expect("back to 0.5");
    assert_eq!(gamma0(&s), (0.9, 0.5, 20));
    s.set_opt_param(0, "warmup", "0").expect("no warm-up");
    assert_eq!(gamma0(&s), (0.9, 0.9, 0));
    let mut s = s0.clone();
    assert!(s.remove_optimizer(0).is_err(), "the last optimizer stays");
    assert!(s.set_rule(0, "sgd").is_err());
    assert!(s.set_key("speed", "0").is_err());
    assert!(s.set_key("show", "contour,bogus").is_err());
    assert_eq!(s, s0);
}

#[test]
fn edits_change_what_they_name_and_start_new_parts_at_the_table_defaults() {
    let mut s = Scenario::parse("surface=ellipse:kappa=20&start=1,1&opt=gd:lr=0.05").expect("ok");
    // A new schedule starts with its parameters' defaults; changing the rule keeps α.
    s.set_opt_param(0, "schedule", "step").expect("step");
    assert_eq!(
        s.optimizers[0].schedule,
        Schedule::Step {
            every: 100,
            factor: 0.5,
            on_increase: false
        }
    );
    s.set_rule(0, "adam").expect("adam");
    assert_eq!(
        optimizer_text(&s.optimizers[0]),
        "adam:lr=0.05,rho1=0.9,rho2=0.999,delta=1e-8,bias_correction=true,schedule=step,every=100,factor=0.5"
    );
    // The first rule not yet racing.
    assert_eq!(s.add_optimizer("").expect("added"), 1);
    assert_eq!(s.optimizers[1].rule.kind(), RuleKind::Gd);
    assert_eq!(optimizer_text(&s.optimizers[1]), "gd:lr=0.1");
    s.duplicate_optimizer(0).expect("copy");
    // The copy has every setting of the original, and a line (colour) of its own.
    let (original, copy) = (s.optimizers[0], s.optimizers[1]);
    assert_eq!(
        OptimizerConfig {
            colour: original.colour,
            ..copy
        },
        original
    );
    assert_ne!(copy.line(1), original.line(0));
    // A surface parameter keeps the start; another surface drops start, view and batch.
    s.set_surface_param("kappa", "50").expect("kappa");
    assert_eq!(s.start, Some(vec![1.0, 1.0]));
    s.set_key("view", "-1,1,-1,1").expect("view");
    s.set_surface("linreg").expect("linreg");
    s.set_opt_param(0, "batch", "5").expect("batch");
    s.set_surface("bowl").expect("bowl");
    assert_eq!((s.start.clone(), s.page.view), (None, None));
    assert_eq!(s.optimizers[0].source.batch_size, None);
    // γ₀ follows γ unless a warm-up uses it.
    s.set_rule(0, "momentum").expect("momentum");
    s.set_opt_param(0, "gamma", "0.5").expect("gamma");
    match s.optimizers[0].rule {
        Rule::Momentum(m) => assert_eq!((m.gamma, m.gamma0, m.warmup), (0.5, 0.5, 0)),
        r => panic!("{r:?}"),
    }
}

#[test]
fn the_loss_rise_step_schedule_takes_no_period() {
    let mut s = Scenario::parse("surface=bowl&opt=gd:lr=0.1,schedule=step,every=50").expect("ok");
    let step = |s: &Scenario| s.optimizers[0].schedule;
    // Switching to the loss-rise variant puts the unused period back to its default, so the
    // text (which leaves `every` out) reads back to the same scenario.
    s.set_opt_param(0, "on_increase", "true")
        .expect("on_increase");
    assert_eq!(
        step(&s),
        Schedule::Step {
            every: 100,
            factor: 0.5,
            on_increase: true
        }
    );
    assert_eq!(Scenario::parse(&s.to_text()), Ok(s.clone()));
    // A period beside it is refused, naming both keys; nothing changes.
    let before = s.clone();
    let e = s.set_opt_param(0, "every", "50").expect_err("no period");
    assert!(
        e.key.ends_with("every") && e.message.contains("on_increase=true"),
        "{e}"
    );
    assert_eq!(s, before);
    s.set_opt_param(0, "on_increase", "false").expect("off");
    s.set_opt_param(0, "every", "50").expect("a period again");
}

#[test]
fn no_preset_comes_near_the_work_bound() {
    for p in gradscape::core::presets::PRESETS {
        let s = Scenario::parse(p.text).expect("valid");
        let n = s.build_objective().examples().max(1) as u64;
        let work = s.stopping.max_steps * s.optimizers.len() as u64 * n;
        assert_eq!(s.work(), work, "{}", p.name);
        assert!(
            work * 1000 < MAX_WORK,
            "{}: {work} example gradients, within a thousandth of the bound",
            p.name
        );
    }
}

#[test]
fn edits_that_raise_the_work_past_the_bound_are_refused() {
    // steps × optimizers × N ≤ 2·10⁸: 16 optimizers on 10⁴ examples allow 1250 steps.
    let mut s = Scenario::parse("surface=svm:n=10000&steps=1250&opt=gd").expect("ok");
    for _ in 0..15 {
        s.add_optimizer("gd")
            .expect("16 × 1250 × 10⁴ = 2·10⁸ is allowed");
    }
    let e = s.set_key("steps", "1251").expect_err("past the bound");
    assert_eq!(e.key, "steps");
    assert!(
        e.message
            .contains("1251 steps × 16 optimizers × N = 10000 is 200160000 example gradients")
            && e.message.contains("at most 200000000")
            && e.message.contains("at most 1250 steps"),
        "{e}"
    );
    assert!(
        s.duplicate_optimizer(0).is_err(),
        "a 17th is refused anyway"
    );
    s.remove_optimizer(15).expect("remove");
    s.set_key("steps", "1300").expect("15 × 1300 × 10⁴ fits");
    assert!(s.add_optimizer("gd").is_err(), "16 × 1300 × 10⁴ does not");
    assert!(s.set_surface_param("n", "10000").is_ok(), "unchanged N");
    s.set_key("steps", "1333").expect("15 × 1333 × 10⁴ fits");
    let mut t = Scenario::parse("surface=svm:n=100&steps=100000&opt=gd&opt=adam").expect("ok");
    let e = t
        .set_surface_param("n", "5000")
        .expect_err("2 × 10⁵ × 5000 = 10⁹");
    assert!(e.message.contains("is 1000000000 example gradients"), "{e}");
    assert_eq!(t.surface_params[0], 100.0, "nothing changed");
}

#[test]
fn a_repeated_schedule_decodes_leniently_to_the_last_one() {
    let (s, errors) = Scenario::decode("opt=gd:schedule=step,schedule=exp,k=0.1");
    assert_eq!(s.optimizers[0].schedule, Schedule::Exp { k: 0.1 });
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(errors[0].message.contains("given twice"));
}

#[test]
fn list_prints_every_row_with_its_range_and_default() {
    let text = list_text();
    let cat = Catalog::new();
    for p in cat.params.iter().filter(|p| p.kind != "structural") {
        let default = if p.default.is_empty() {
            "unset"
        } else {
            &p.default
        };
        let line = format!("{} = {default}", p.symbol);
        assert!(
            text.lines().any(|l| l.contains(&format!(" {} ", p.key))
                && l.contains(&line)
                && l.contains(&p.range)),
            "`gradscape list` shows {} ({line}; {}):\n{text}",
            p.key,
            p.range
        );
    }
    for r in &cat.rules {
        assert!(text.contains(r.equation), "{}", r.name);
    }
}

#[test]
fn the_defaults_come_from_the_table_alone() {
    // Every optimizer and page default is the table's row default; γ₀'s applies with a
    // warm-up (without one, γ₀ is γ and acts nowhere).
    for kind in RuleKind::ALL {
        let cfg = gradscape::core::scenario::default_optimizer(kind);
        let warm = Scenario::parse(&format!("opt={}:warmup=3", kind.name()));
        for p in PARAMS.iter().filter(|p| p.applies(kind, "constant")) {
            if let (Access::Optimizer { get, .. }, Fallback::Num(_) | Fallback::Bool(_)) =
                (p.access, p.default)
            {
                if p.key == "gamma0" {
                    let warm = warm.as_ref().expect("momentum takes warmup");
                    assert_eq!(
                        get(&warm.optimizers[0]),
                        p.default_value(),
                        "{}",
                        kind.name()
                    );
                    assert_eq!(get(&cfg), Value::Num(0.9), "{}: γ₀ = γ", kind.name());
                    continue;
                }
                assert_eq!(get(&cfg), p.default_value(), "{} {}", kind.name(), p.key);
            }
        }
    }
    let s = Scenario::default();
    for p in PARAMS.iter().filter(|p| !p.scope.in_optimizer()) {
        if let Access::Scenario { get, .. } = p.access {
            assert_eq!(get(&s), p.default_value(), "{}", p.key);
        }
    }
}
