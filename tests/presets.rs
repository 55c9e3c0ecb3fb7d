//! The gallery: every preset is well formed, and the races' claims hold on the numbers of a
//! real run of their scenario text (the lessons' presets are checked in `tests/lessons*.rs`).
//! Each prints what it measured (`cargo test --test presets -- --nocapture`).

use gradscape::core::objective::deeplinear;
use gradscape::core::optim::RuleKind;
use gradscape::core::presets::PRESETS;
use gradscape::core::run::{Status, Track};
use gradscape::core::scenario::Scenario;

mod support;
use support::*;

fn is_kebab(s: &str) -> bool {
    !s.is_empty()
        && !s.starts_with('-')
        && !s.ends_with('-')
        && !s.contains("--")
        && s.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
}

/// Sentences: runs of text ended by '.', '!' or '?' followed by a space or the end.
fn sentences(s: &str) -> usize {
    let c: Vec<char> = s.chars().collect();
    (0..c.len())
        .filter(|&i| matches!(c[i], '.' | '!' | '?') && c.get(i + 1).is_none_or(|n| *n == ' '))
        .count()
}

#[test]
fn every_preset_is_well_formed() {
    assert!(PRESETS.len() >= 16, "the gallery needs at least 16 presets");
    let mut names: Vec<&str> = Vec::new();
    for p in PRESETS {
        assert!(is_kebab(p.name), "`{}` should be kebab-case", p.name);
        assert!(!names.contains(&p.name), "`{}` is not unique", p.name);
        names.push(p.name);
        let title = p.title.chars().count();
        assert!(
            (1..=40).contains(&title),
            "{}: a title of 1–40 characters, got {title}",
            p.name
        );
        let explain = p.explain.chars().count();
        assert!(
            (60..=400).contains(&explain),
            "{}: an explanation of 60–400 characters, got {explain}",
            p.name
        );
        let n = sentences(p.explain);
        assert!(
            (2..=3).contains(&n),
            "{}: the explanation should be 2–3 sentences, got {n}",
            p.name
        );
        assert!(p.lesson <= 12, "{}: lessons are 1–12, 0 for races", p.name);
        let s = Scenario::parse(p.text).unwrap_or_else(|e| panic!("{}: {e}", p.name));
        assert!(
            (1..=8).contains(&s.optimizers.len()),
            "{}: 1–8 optimizers, got {}",
            p.name,
            s.optimizers.len()
        );
        for key in ["v=1&", "&surface=", "&start=", "&seed=", "&steps=", "&opt="] {
            assert!(
                p.text.starts_with(key) || p.text.contains(key),
                "{}: the text should spell out `{key}`",
                p.name
            );
        }
        assert!(
            s.start.is_some(),
            "{}: an explicit start point is needed",
            p.name
        );
        let via_name = Scenario::parse(&format!("preset={}", p.name))
            .unwrap_or_else(|e| panic!("preset={}: {e}", p.name));
        assert_eq!(
            Scenario {
                preset: None,
                ..via_name.clone()
            },
            s,
            "{}: preset=NAME should expand to its text",
            p.name
        );
        assert_eq!(
            via_name.preset,
            Some(p.name),
            "{}: the link keeps the preset",
            p.name
        );
        let text = via_name.to_text();
        assert!(
            text.starts_with(&format!("v=1&preset={}&", p.name)),
            "{}: its text names the preset first: {text}",
            p.name
        );
        assert_eq!(
            Scenario::parse(&text).as_ref(),
            Ok(&via_name),
            "{}: round trip",
            p.name
        );
        let reseeded = Scenario::parse(&format!("preset={}&seed=9", p.name)).unwrap();
        assert_eq!(
            reseeded.seed, 9,
            "{}: seed=9 should override the preset's seed",
            p.name
        );
        assert_eq!(
            Scenario {
                seed: s.seed,
                ..reseeded
            },
            via_name,
            "{}: only the seed should change",
            p.name
        );
    }
    for lesson in 1..=12u8 {
        assert!(
            PRESETS.iter().any(|p| p.lesson == lesson),
            "lesson {lesson} has no preset"
        );
    }
    let e = Scenario::parse("preset=nope").unwrap_err();
    assert_eq!(
        e.key, "preset",
        "an unknown preset is an error on the `preset` key"
    );
    assert_eq!(e.value, "nope");
    assert!(
        e.message.contains("steep-and-flat"),
        "the error should list the presets: {}",
        e.message
    );
}

/// Race on Rosenbrock: momentum, Nesterov and Adam get far closer to (1, 1) than GD.
#[test]
fn rosenbrock_race() {
    let run = run_preset("rosenbrock-race");
    let target = &minima(run.objective.as_ref())[0];
    let d: Vec<(RuleKind, f64)> = run
        .tracks
        .iter()
        .map(|t| (t.config.rule.kind(), dist(&t.theta, target)))
        .collect();
    eprintln!("rosenbrock-race: distances to (1, 1) {d:.4?}");
    let kinds: Vec<RuleKind> = d.iter().map(|x| x.0).collect();
    assert!(
        RuleKind::ALL.iter().all(|k| kinds.contains(k)),
        "all six rules race"
    );
    let of = |k: RuleKind| d.iter().find(|x| x.0 == k).unwrap().1;
    assert!(
        of(RuleKind::Gd) > 0.5,
        "GD is still crawling along the valley"
    );
    for k in [RuleKind::Momentum, RuleKind::Nesterov, RuleKind::Adam] {
        assert!(
            of(k) < 1e-3 && of(k) < of(RuleKind::Gd) / 100.0,
            "{} should finish at (1, 1), >100× closer than GD ({} vs {})",
            k.title(),
            of(k),
            of(RuleKind::Gd)
        );
    }
}

/// Race on Beale: GD's α is capped by the steep start (twice it diverges) and it arrives late;
/// RMSProp and Adam reach (3, 0.5) several times sooner.
#[test]
fn beale_race() {
    let run = run_preset("beale-race");
    let target = [3.0, 0.5];
    let t = &run.tracks;
    let gds: Vec<&Track> = t
        .iter()
        .filter(|t| t.config.rule.kind() == RuleKind::Gd)
        .collect();
    assert_eq!(gds.len(), 2, "GD at its working α and at twice that");
    let (gd, gd2) = (gds[0], gds[1]);
    assert_eq!(lr(gd2), 2.0 * lr(gd));
    assert!(
        matches!(gd2.status, Status::Diverged { step, .. } if step < 50),
        "GD with α = {} should diverge on the steep flank, got {}",
        lr(gd2),
        gd2.status
    );
    let arrive = |k: RuleKind| {
        let tr = t.iter().find(|t| t.config.rule.kind() == k).unwrap();
        first_within(tr, &target, 1e-2)
    };
    let gd_at = first_within(gd, &target, 1e-2).expect("GD does get there");
    eprintln!(
        "beale-race: GD α = {}: {}; within 1e-2 of (3, 0.5) at GD {gd_at}, RMSProp {:?}, Adam {:?}, momentum {:?}",
        lr(gd2),
        gd2.status,
        arrive(RuleKind::RmsProp),
        arrive(RuleKind::Adam),
        arrive(RuleKind::Momentum)
    );
    assert!(
        gd_at > 2000,
        "GD crawls along the flat arm ({gd_at} updates)"
    );
    for k in [RuleKind::RmsProp, RuleKind::Adam] {
        let s = arrive(k).unwrap_or_else(|| panic!("{} should reach (3, 0.5)", k.title()));
        assert!(
            2 * s < gd_at,
            "{} should arrive >2× sooner than GD ({s} vs {gd_at})",
            k.title()
        );
    }
    assert!(
        arrive(RuleKind::RmsProp).unwrap() * 4 < gd_at,
        "RMSProp arrives >4× sooner than GD"
    );
    // The loss chart must not show RMSProp behind GD at the end (its α decays so it settles).
    let rms = t
        .iter()
        .find(|t| t.config.rule.kind() == RuleKind::RmsProp)
        .unwrap();
    assert!(
        rms.loss < gd.loss / 100.0,
        "RMSProp ends >100× lower than GD ({} vs {})",
        rms.loss,
        gd.loss
    );
}

/// Race off a saddle: GD lingers longest, every other rule leaves in at most ¾ of its updates,
/// Adagrad and Adam in at most ⅓. Escape: the first update with loss below −0.2 (minima: −0.25).
#[test]
fn saddle_race() {
    let run = run_preset("saddle-race");
    let escape = |t: &Track| {
        (0..t.history.len())
            .find(|&i| t.history.loss(i) < -0.2)
            .map(|i| t.history.step(i))
            .unwrap_or(u64::MAX)
    };
    let e: Vec<(RuleKind, u64)> = run
        .tracks
        .iter()
        .map(|t| (t.config.rule.kind(), escape(t)))
        .collect();
    eprintln!("saddle-race: escape updates {e:?}");
    for t in &run.tracks {
        assert!(
            t.loss < -0.24,
            "{} ends in a minimum (loss {})",
            t.config.rule.kind().title(),
            t.loss
        );
    }
    let gd = e.iter().find(|x| x.0 == RuleKind::Gd).unwrap().1;
    assert_eq!(
        gd,
        e.iter().map(|x| x.1).max().unwrap(),
        "GD is the slowest to leave"
    );
    for &(k, s) in e.iter().filter(|x| x.0 != RuleKind::Gd) {
        let frac = if matches!(k, RuleKind::Adagrad | RuleKind::Adam) {
            1.0 / 3.0
        } else {
            0.75
        };
        assert!(
            (s as f64) <= frac * gd as f64,
            "{} should escape in at most {frac:.2} of GD's updates ({s} vs {gd})",
            k.title()
        );
    }
}

/// The homework question: the runs end at different minima with the same product w₁w₂, and the
/// loss at the midpoint of two minima lies above their mean, which no convex loss allows.
#[test]
fn deep_linear_nonconvex() {
    let run = run_preset("deep-linear-nonconvex");
    let obj = run.objective.as_ref();
    let data = deeplinear(30, 1);
    let s = data.model().samples();
    let q = s.iter().map(|e| e.x * e.y).sum::<f64>() / s.iter().map(|e| e.x * e.x).sum::<f64>();
    let ends: Vec<&[f64]> = run.tracks.iter().map(|t| t.theta.as_slice()).collect();
    eprintln!("deep-linear-nonconvex: q = {q:.4}, ends {ends:.3?}");
    for (k, p) in ends.iter().enumerate() {
        assert!(
            (p[0] * p[1] - q).abs() < 1e-4,
            "run {k} should end on w₁w₂ = {q}, got {}",
            p[0] * p[1]
        );
    }
    for i in 0..ends.len() {
        for j in i + 1..ends.len() {
            let (a, b) = (ends[i], ends[j]);
            assert!(dist(a, b) > 0.3, "runs {i} and {j} end at different minima");
            let mid = [0.5 * (a[0] + b[0]), 0.5 * (a[1] + b[1])];
            let (lm, la, lb) = (obj.loss(&mid), obj.loss(a), obj.loss(b));
            assert!(
                lm > 0.5 * (la + lb) + 1e-4,
                "runs {i}, {j}: L(midpoint) = {lm} should exceed the mean {} (non-convex)",
                0.5 * (la + lb)
            );
        }
    }
    assert!(
        ends.iter().any(|p| p[0] > 0.0 && p[1] > 0.0)
            && ends.iter().any(|p| p[0] < 0.0 && p[1] < 0.0),
        "both valleys are reached: one minimum with both weights positive, one with both negative"
    );
}

/// The SVM race at equal examples processed (5 epochs): with the same α, SGD and mini-batches
/// are far below batch GD; a batch GD with a much larger α catches up on this small set.
#[test]
fn svm_examples_seen() {
    for seed in SEEDS {
        svm_examples_seen_with(seed);
    }
}

fn svm_examples_seen_with(seed: u64) {
    let run = run_text(&format!("preset=svm-examples-seen&seed={seed}"));
    let n = run.objective.examples() as u64;
    let seen = 5 * n;
    let loss_at = |t: &Track| {
        let i = t
            .history
            .examples_seen()
            .position(|e| e == seen as f64)
            .expect("a record at exactly 5 epochs");
        t.history.loss(i)
    };
    let t = &run.tracks;
    let (sgd, mini, batch, tuned) = (&t[0], &t[1], &t[2], &t[3]);
    assert_eq!(sgd.config.source.batch_size, Some(1));
    assert!(matches!(mini.config.source.batch_size, Some(m) if m > 1 && (m as u64) < n));
    assert!(batch.config.source.batch_size.is_none() && tuned.config.source.batch_size.is_none());
    assert!(lr(sgd) == lr(mini) && lr(mini) == lr(batch) && lr(tuned) > 10.0 * lr(batch));
    let (ls, lm, lb, lt) = (loss_at(sgd), loss_at(mini), loss_at(batch), loss_at(tuned));
    eprintln!(
        "svm-examples-seen seed {seed} at {seen} examples: SGD {ls:.3}, mini-batch {lm:.3}, batch {lb:.3}, batch with α = {} {lt:.3}",
        lr(tuned)
    );
    assert!(
        ls < 0.5 * lb && lm < 0.5 * lb,
        "at equal examples SGD ({ls}) and mini-batch ({lm}) should be far below batch GD ({lb})"
    );
    assert!(
        lt < 0.5 * lb && lt < 1.25 * ls,
        "the batch GD with a large α ({lt}) should come close to SGD ({ls})"
    );
}
