//! Runs on the built-in surfaces: convergence at default settings, divergence detection,
//! the mini-batch equivalence, reproducibility, and the CLI's output.

use gradscape::core::optim::RuleKind;
use gradscape::core::run::Status;
use gradscape::core::scenario::Scenario;

fn run_text(text: &str) -> gradscape::core::run::Run {
    let s = Scenario::parse(text).unwrap_or_else(|e| panic!("{text}: {e}"));
    let mut run = s.build_run();
    run.advance(s.stopping.max_steps);
    run
}

#[test]
fn every_rule_converges_on_the_bowl_at_default_settings() {
    for rule in RuleKind::ALL {
        let run = run_text(&format!("surface=bowl&steps=3000&opt={}", rule.name()));
        let t = &run.tracks[0];
        let dist = (t.theta[0].powi(2) + t.theta[1].powi(2)).sqrt();
        assert!(
            dist < 1e-2 && t.loss < 1e-4,
            "{}: ended at {:?} (loss {}, {})",
            rule.name(),
            t.theta,
            t.loss,
            t.status
        );
        assert!(!matches!(t.status, Status::Diverged { .. }));
    }
}

#[test]
fn plain_gd_reports_convergence_with_its_step() {
    // Bowl L = x² + y², GD α = 0.1: θ_k = 0.8ᵏ θ₀, ‖∇L‖ = 2·0.8ᵏ‖θ₀‖ ≤ 1e-8 first at
    // k = ⌈ln(2‖θ₀‖/1e-8)/ln(1/0.8)⌉.
    let run = run_text("surface=bowl&start=-4,3&steps=1000&opt=gd:lr=0.1");
    let k = ((2.0 * 5.0 / 1e-8f64).ln() / (1.0 / 0.8f64).ln()).ceil() as u64;
    assert_eq!(run.tracks[0].status, Status::Converged { step: k });
}

#[test]
fn gd_diverges_above_two_over_lambda_max_on_the_ellipse() {
    // ½(x² + κy²) with κ = 10: λ_max = 10, the bound is α < 0.2.
    let run = run_text("surface=ellipse:kappa=10&steps=2000&opt=gd:lr=0.21&opt=gd:lr=0.19");
    assert!(
        matches!(run.tracks[0].status, Status::Diverged { .. }),
        "{}",
        run.tracks[0].status
    );
    assert!(run.tracks[0]
        .status
        .to_string()
        .starts_with("diverged at step "));
    assert!(!matches!(run.tracks[1].status, Status::Diverged { .. }));
}

/// α = 10⁴ on every surface: a track either is reported diverged, at the step it stopped on,
/// with its path kept up to that step and no update after it, or is still inside the bounded
/// region with a finite loss. Most tracks must diverge, so both branches are exercised.
#[test]
fn absurd_learning_rates_stop_at_divergence_or_stay_bounded_on_every_surface() {
    let mut diverged = 0;
    let mut tracks = 0;
    for def in gradscape::core::objective::SURFACES {
        let mut run = run_text(&format!(
            "surface={}&steps=500&opt=gd:lr=10000&opt=adam:lr=10000&opt=nesterov:lr=10000,gamma=0.99",
            def.name
        ));
        assert_eq!(
            run.advance(100),
            0,
            "{}: every track has finished",
            def.name
        );
        for (k, t) in run.tracks.iter().enumerate() {
            let what = format!("{} optimizer {k} ({})", def.name, t.status);
            tracks += 1;
            match t.status {
                Status::Diverged { step, .. } => {
                    diverged += 1;
                    let h = &t.history;
                    assert_eq!(t.step, step, "{what}: stopped at the step reported");
                    assert_eq!(h.step(h.len() - 1), step, "{what}: path kept to that step");
                    assert!(
                        (0..h.len() - 1).all(|i| h.params_at(i).iter().all(|p| p.abs() <= 1e6)
                            && h.loss(i).is_finite()),
                        "{what}: every point before the divergence is finite and in bounds"
                    );
                }
                _ => assert!(
                    t.theta.iter().all(|p| p.abs() <= 1e6) && t.loss.is_finite(),
                    "{what}: not diverged, so θ = {:?} is finite and in bounds, loss {}",
                    t.theta,
                    t.loss
                ),
            }
        }
    }
    assert!(
        diverged * 2 > tracks,
        "α = 10⁴ should blow up most runs: {diverged} of {tracks} diverged"
    );
}

#[test]
fn minibatch_of_all_examples_is_batch_gd_bit_for_bit() {
    for (surface, n) in [
        ("linreg", 50),
        ("neuron", 2),
        ("sparse", 100),
        ("svm", 60),
        ("deeplinear", 30),
    ] {
        for rule in ["gd", "momentum", "adam"] {
            let run = run_text(&format!(
                "surface={surface}&steps=300&gtol=0&opt={rule}:lr=0.05&opt={rule}:lr=0.05,batch={n}"
            ));
            let (a, b) = (&run.tracks[0], &run.tracks[1]);
            assert_eq!(params(&a.history), params(&b.history), "{surface} {rule}");
            assert!(a.history.losses().eq(b.history.losses()));
            assert_eq!(a.examples, b.examples, "both see N examples per update");
        }
    }
    // And m < N really differs (the test can fail).
    let run = run_text("surface=linreg&steps=50&opt=gd:lr=0.05&opt=gd:lr=0.05,batch=49");
    assert_ne!(
        params(&run.tracks[0].history),
        params(&run.tracks[1].history)
    );
}

#[test]
fn sgd_counts_epochs_and_examples() {
    let run = run_text(
        "surface=linreg:n=50&steps=120&gtol=0&opt=gd:lr=0.01,batch=1&opt=gd:lr=0.01,batch=20",
    );
    let obj = run.objective.as_ref();
    assert_eq!(run.tracks[0].examples, 120);
    assert_eq!(run.tracks[0].epoch(obj), 2.4);
    // m = 20 on N = 50: batches 20, 20, 10 per epoch → 120 updates = 40 epochs.
    assert_eq!(run.tracks[1].examples, 40 * 50);
    assert_eq!(run.tracks[1].epoch(obj), 40.0);
}

/// The last mini-batch of an epoch holds the N mod m examples left, and its gradient is their
/// mean: with N = 5, m = 2 the third update moves θ by −α times one example's gradient, with
/// N = 5, m = 3 the second by the mean over two. The linear-regression gradient is computed
/// here: ∂ℓ/∂(w, b) = (r x, r), r = w x + b − y.
#[test]
fn the_last_short_minibatch_is_the_mean_of_the_examples_left() {
    let lr = 0.05;
    let data = gradscape::core::objective::linreg(5, 1);
    let samples = data.model().samples();
    let mean_grad = |p: &[f64], batch: &[usize]| {
        let mut g = [0.0; 2];
        for &i in batch {
            let s = samples[i];
            let r = p[0] * s.x + p[1] - s.y;
            g[0] += r * s.x;
            g[1] += r;
        }
        g.map(|x| x / batch.len() as f64)
    };
    for (m, update, left) in [(2, 2, 1), (3, 1, 2)] {
        let run = run_text(&format!(
            "surface=linreg:n=5,data_seed=1&seed=3&steps={}&gtol=0&opt=gd:lr={lr},batch={m}",
            update + 1
        ));
        let t = &run.tracks[0];
        assert_eq!(t.examples, 5, "m = {m}: one epoch is every example once");
        let (before, after) = (t.history.params_at(update), t.history.params_at(update + 1));
        // Every subset of `left` examples; exactly one must be the batch the update used.
        let subsets: Vec<Vec<usize>> = (0u32..32)
            .filter(|b| b.count_ones() == left)
            .map(|b| (0..5).filter(|i| b & (1 << i) != 0).collect())
            .collect();
        let matching: Vec<&Vec<usize>> = subsets
            .iter()
            .filter(|batch| {
                let g = mean_grad(before, batch);
                (0..2).all(|k| (after[k] - (before[k] - lr * g[k])).abs() < 1e-12)
            })
            .collect();
        assert_eq!(
            matching.len(),
            1,
            "m = {m}: update {update} should use the mean gradient of the {left} examples left, \
             matched {matching:?}"
        );
    }
}

#[test]
fn stochastic_runs_repeat_by_seed_and_differ_across_seeds() {
    let text = |seed: u32| {
        format!(
            "surface=sparse&seed={seed}&steps=400&opt=adagrad:lr=0.5,batch=4&opt=gd:lr=0.1,batch=1"
        )
    };
    let a = run_text(&text(3));
    let b = run_text(&text(3));
    let c = run_text(&text(4));
    for i in 0..2 {
        assert_eq!(params(&a.tracks[i].history), params(&b.tracks[i].history));
        assert_ne!(params(&a.tracks[i].history), params(&c.tracks[i].history));
    }
}

#[test]
fn restart_replays_the_same_trajectory() {
    let s = Scenario::parse(
        "surface=rosenbrock&steps=300&opt=adam:lr=0.05,noise=0.3&opt=nesterov:lr=0.001",
    )
    .expect("valid");
    let mut run = s.build_run();
    run.advance(300);
    let first: Vec<Vec<f64>> = run.tracks.iter().map(|t| params(&t.history)).collect();
    run.reset();
    run.advance(300);
    let second: Vec<Vec<f64>> = run.tracks.iter().map(|t| params(&t.history)).collect();
    assert_eq!(first, second);
}

fn cli(args: &[&str]) -> (bool, String, String) {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_gradscape"))
        .args(args)
        .output()
        .expect("runs");
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

const ALL_SIX: &str = "v=1&surface=rosenbrock&start=-1.5,2&seed=7&steps=500&opt=gd:lr=0.001\
    &opt=momentum:lr=0.001,gamma=0.9&opt=nesterov:lr=0.001,gamma=0.9\
    &opt=adagrad:lr=0.5&opt=rmsprop:lr=0.01,rho=0.9,schedule=exp,k=0.01\
    &opt=adam:lr=0.05,rho1=0.9,rho2=0.999,delta=1e-8,bias_correction=true";

#[test]
fn cli_prints_csv_trajectories_for_all_six_rules_on_rosenbrock() {
    let (ok, out, err) = cli(&["run", "--steps", "40", ALL_SIX]);
    assert!(ok, "{err}");
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines[0], "opt,step,loss,lr,grad_norm,p0,p1");
    assert_eq!(lines.len(), 1 + 6 * 41);
    for k in 0..6 {
        let first = lines[1 + k * 41];
        assert!(first.starts_with(&format!("{k},0,")), "{first}");
        assert!(
            first.ends_with(",-1.5,2"),
            "step 0 is the start point: {first}"
        );
        // Rosenbrock at (−1.5, 2): (1 + 1.5)² + 100(2 − 2.25)² = 6.25 + 6.25.
        let loss: f64 = first
            .split(',')
            .nth(2)
            .and_then(|x| x.parse().ok())
            .expect("loss");
        assert_eq!(loss, 12.5);
    }
    // GD's first update by hand: g = (−2(1−x) − 400x(y−x²), 200(y−x²)) at (−1.5, 2).
    let (x, y) = (-1.5f64, 2.0f64);
    let g = [
        -2.0 * (1.0 - x) - 400.0 * x * (y - x * x),
        200.0 * (y - x * x),
    ];
    let row: Vec<f64> = lines[2]
        .split(',')
        .map(|v| v.parse().expect("number"))
        .collect();
    assert_eq!(row[1], 1.0);
    assert!((row[5] - (x - 0.001 * g[0])).abs() < 1e-12);
    assert!((row[6] - (y - 0.001 * g[1])).abs() < 1e-12);
    // Same text, same output, bit for bit.
    assert_eq!(cli(&["run", "--steps", "40", ALL_SIX]).1, out);
}

#[test]
fn cli_prints_json_and_rejects_bad_scenarios() {
    let (ok, out, _) = cli(&[
        "run",
        "--steps",
        "3",
        "--format",
        "json",
        "surface=bowl&opt=gd&opt=adam",
    ]);
    assert!(ok);
    let v: serde_json::Value = serde_json::from_str(&out).expect("valid JSON");
    assert_eq!(v["optimizers"].as_array().map(Vec::len), Some(2));
    assert_eq!(v["optimizers"][1]["rule"], "adam");
    assert_eq!(
        v["optimizers"][0]["steps"].as_array().map(Vec::len),
        Some(4)
    );
    assert_eq!(v["optimizers"][0]["status"], "stopped at step 3");
    let (ok, _, err) = cli(&["run", "surface=bowl&opt=gd:lr=-1"]);
    assert!(!ok);
    assert!(err.contains("lr") && err.contains("(0, 10000]"), "{err}");
    assert_eq!(err.lines().count(), 1, "one-line message: {err}");
    // --steps is held to the same work bound as the text's steps.
    let (ok, _, err) = cli(&["run", "--steps", "10000000", "surface=svm:n=10000&opt=gd"]);
    assert!(!ok);
    assert!(
        err.contains("--steps `10000000`")
            && err.contains("is 100000000000 example gradients")
            && err.contains("at most 20000 steps"),
        "{err}"
    );
    let (ok, _, err) = cli(&["run", "--format", "xml", "surface=bowl"]);
    assert!(!ok && err.contains("csv or json"));
    let (ok, out, _) = cli(&["list"]);
    assert!(ok);
    for name in ["rosenbrock", "svm", "nesterov", "bias_correction", "inv"] {
        assert!(out.contains(name), "list lacks {name}");
    }
}

#[test]
fn cli_accepts_its_own_canonical_text() {
    let s = Scenario::parse(ALL_SIX).expect("valid");
    let (ok, out, err) = cli(&["run", "--steps", "5", &s.to_text()]);
    assert!(ok, "{err}");
    assert_eq!(out, cli(&["run", "--steps", "5", ALL_SIX]).1);
}

/// θ of every kept record, flattened.
fn params(h: &gradscape::core::run::History) -> Vec<f64> {
    h.params().flatten().copied().collect()
}
