//! The parameter table drives decoding, encoding, the page's edits, the catalog and
//! `gradscape list`: every row round-trips at a value that is not its default, every row is
//! printed with its range and default, and the narrow edits change exactly what they name.

use gradscape::core::catalog::{list_text, Catalog, Config};
use gradscape::core::objective::SURFACES;
use gradscape::core::optim::{Rule, RuleKind};
use gradscape::core::param::{Access, Domain, Fallback, Param, Scope};
use gradscape::core::scenario::{optimizer_text, Scenario, PARAMS, VIEWS};
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
        (Domain::Set(_), _) => "contour,surface3d".into(),
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
    for p in PARAMS.iter().filter(|p| p.domain != Domain::Structural) {
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
            Scope::Source => s.set_opt_param(opt, p.key, &v),
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
    // With a warm-up, an emptied γ₀ goes back to following γ.
    s.set_opt_param(0, "warmup", "10").expect("warmup");
    s.set_opt_param(0, "gamma0", "0.5").expect("gamma0");
    s.set_opt_param(0, "gamma0", "").expect("back to γ");
    match s.optimizers[0].rule {
        Rule::Momentum(m) => assert_eq!((m.gamma0, m.warmup), (m.gamma, 10)),
        r => panic!("{r:?}"),
    }
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
    assert_eq!(s.optimizers[1], s.optimizers[0]);
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
    // Every optimizer and page default is the table's row default.
    for kind in RuleKind::ALL {
        let cfg = gradscape::core::scenario::default_optimizer(kind);
        for p in PARAMS.iter().filter(|p| p.applies(kind, "constant")) {
            if let (Access::Optimizer { get, .. }, Fallback::Num(_) | Fallback::Bool(_)) =
                (p.access, p.default)
            {
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
