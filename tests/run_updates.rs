//! What a run hands each update, computed here from LECTURE.md's formulas: α_t of the update's
//! own index for every schedule, the loss-rise step schedule's decay on the update after a
//! rise, gradient noise σz from the track's own generator; and divergence, reproducibility and
//! bounded history on a quadratic.

use gradscape::core::objective::{Objective, SurfaceInfo};
use gradscape::core::optim::{Gd, Rule};
use gradscape::core::rng::Rng;
use gradscape::core::run::{OptimizerConfig, Run, Status, Stopping};
use gradscape::core::sampling::Source;
use gradscape::core::schedule::Schedule;

/// The quadratic as an `Objective`, for runs.
struct Quad {
    a: f64,
    b: f64,
    info: SurfaceInfo,
}

impl Quad {
    fn new(a: f64, b: f64) -> Self {
        Quad {
            a,
            b,
            info: SurfaceInfo {
                view: [-5.0, 5.0, -5.0, 5.0],
                start: vec![1.0, -2.0],
                critical: vec![],
                log_scale: false,
            },
        }
    }
}

impl Objective for Quad {
    fn dim(&self) -> usize {
        2
    }
    fn loss(&self, p: &[f64]) -> f64 {
        0.5 * (self.a * p[0] * p[0] + self.b * p[1] * p[1])
    }
    fn loss_grad(&self, p: &[f64], g: &mut [f64]) -> f64 {
        g[0] = self.a * p[0];
        g[1] = self.b * p[1];
        self.loss(p)
    }
    fn hessian(&self, _p: &[f64], h: &mut [f64]) {
        h.copy_from_slice(&[self.a, 0.0, 0.0, self.b]);
    }
    fn info(&self) -> &SurfaceInfo {
        &self.info
    }
}

fn gd(lr: f64, noise: f64) -> OptimizerConfig {
    OptimizerConfig {
        rule: Rule::Gd(Gd),
        learning_rate: lr,
        schedule: Schedule::Constant,
        source: Source {
            batch_size: None,
            noise,
        },
        colour: None,
        name: None,
    }
}

#[test]
fn gd_above_two_over_lambda_max_diverges_with_its_step() {
    // λ_max = 4, so α > 0.5 diverges and α < 0.5 converges.
    let stop = Stopping {
        max_steps: 10_000,
        grad_tol: 1e-10,
        loss_tol: 0.0,
    };
    let mut run = Run::new(
        Box::new(Quad::new(1.0, 4.0)),
        vec![1.0, -2.0],
        1,
        stop,
        &[gd(0.55, 0.0), gd(0.45, 0.0)],
    );
    run.advance(10_000);
    // |1 − 0.55·4| = 1.2: |y| = 2·1.2ᵏ passes 1e6 at k = ⌈ln(5e5)/ln 1.2⌉ = 72.
    let k = ((5e5f64).ln() / 1.2f64.ln()).ceil() as u64;
    match run.tracks[0].status {
        Status::Diverged { step, .. } => assert_eq!(step, k),
        s => panic!("expected divergence, got {s}"),
    }
    assert!(matches!(run.tracks[1].status, Status::Converged { .. }));
    assert!(!run.is_running());
    // A diverged track stays put and further advances are no-ops.
    assert_eq!(run.advance(10), 0);
}

#[test]
fn noisy_runs_repeat_by_seed_and_differ_across_seeds() {
    let stop = Stopping {
        max_steps: 200,
        grad_tol: 0.0,
        loss_tol: 0.0,
    };
    let path = |seed: u64| {
        let mut run = Run::new(
            Box::new(Quad::new(1.0, 4.0)),
            vec![1.0, -2.0],
            seed,
            stop,
            &[gd(0.1, 0.5), gd(0.1, 0.5)],
        );
        run.advance(200);
        (
            params(&run.tracks[0].history),
            params(&run.tracks[1].history),
        )
    };
    let (a0, a1) = path(7);
    let (b0, _) = path(7);
    let (c0, _) = path(8);
    assert_eq!(a0, b0, "same seed, same path bit for bit");
    assert_ne!(a0, c0, "another seed, another path");
    assert_ne!(a0, a1, "each optimizer draws its own stream");
    assert_eq!(a0.len(), 2 * 201);
}

#[test]
fn history_stays_bounded_and_keeps_an_even_stride() {
    let stop = Stopping {
        max_steps: 1_000_000,
        grad_tol: 0.0,
        loss_tol: 0.0,
    };
    let mut run = Run::new(
        Box::new(Quad::new(1.0, 4.0)),
        vec![1.0, -2.0],
        1,
        stop,
        &[gd(0.01, 0.1)],
    );
    run.advance(1_000_000);
    let h = &run.tracks[0].history;
    assert!(h.len() <= gradscape::core::run::HISTORY_CAPACITY);
    assert!(h.len() > gradscape::core::run::HISTORY_CAPACITY / 2);
    assert_eq!(run.tracks[0].step, 1_000_000);
    assert_eq!(h.step(0), 0);
    let stride = h.stride();
    assert!(stride >= 64);
    assert!((1..h.len()).all(|i| h.step(i) - h.step(i - 1) == stride));
    assert!(matches!(
        run.tracks[0].status,
        Status::Stopped { step: 1_000_000 }
    ));
}

/// θ of every kept record, flattened.
fn params(h: &gradscape::core::run::History) -> Vec<f64> {
    h.params().flatten().copied().collect()
}

/// A run of `optimizers` on ½(x² + 4y²) from (1, −2) for `steps` updates, tolerances off.
fn run_quad(optimizers: &[OptimizerConfig], seed: u64, steps: u64) -> Run {
    let stop = Stopping {
        max_steps: steps,
        grad_tol: 0.0,
        loss_tol: 0.0,
    };
    let mut run = Run::new(
        Box::new(Quad::new(1.0, 4.0)),
        vec![1.0, -2.0],
        seed,
        stop,
        optimizers,
    );
    run.advance(steps);
    run
}

fn scheduled(lr: f64, schedule: Schedule) -> OptimizerConfig {
    OptimizerConfig {
        schedule,
        ..gd(lr, 0.0)
    }
}

/// α_t as a function of the update index t, by the lecture's formula.
type RateOf = Box<dyn Fn(u64) -> f64>;

/// `got` within a relative `tol` of `want`.
fn near(got: f64, want: f64, tol: f64, what: &str) {
    assert!(
        (got - want).abs() <= tol * want.abs(),
        "{what}: got {got:e}, want {want:e}"
    );
}

#[test]
fn every_schedule_gives_each_update_the_rate_of_its_own_index() {
    // GD on ½(x² + 4y²): x_{t+1} = (1 − α_t) x_t, so the α_t update t really used is
    // (x_t − x_{t+1}) / x_t, read back from the path. Updates 0, 1, n − 1 and n, with n the
    // step schedule's period: α_{n−1} is still α₀, α_n the first decayed rate.
    let (a0, n) = (0.05, 7u64);
    let cases: Vec<(Schedule, RateOf)> = vec![
        (Schedule::Constant, Box::new(move |_| a0)),
        (
            Schedule::Step {
                every: n,
                factor: 0.5,
                on_increase: false,
            },
            Box::new(move |t| a0 * 0.5f64.powi((t / n) as i32)),
        ),
        (
            Schedule::Exp { k: 0.03 },
            Box::new(move |t| a0 * (-0.03 * t as f64).exp()),
        ),
        (
            Schedule::Inv { k: 0.2 },
            Box::new(move |t| a0 / (1.0 + 0.2 * t as f64)),
        ),
    ];
    for (schedule, alpha) in &cases {
        let run = run_quad(&[scheduled(a0, *schedule)], 1, n + 1);
        let h = &run.tracks[0].history;
        assert_eq!(h.len() as u64, n + 2, "every update recorded");
        let lrs: Vec<f64> = h.lrs().collect();
        for t in [0, 1, n - 1, n] {
            let (x, next) = (h.params_at(t as usize)[0], h.params_at(t as usize + 1)[0]);
            let what = format!("{} update {t}", schedule.name());
            near(
                (x - next) / x,
                alpha(t),
                1e-12,
                &format!("{what}: α_t moving θ"),
            );
            near(
                lrs[t as usize + 1],
                alpha(t),
                1e-15,
                &format!("{what}: α_t recorded"),
            );
        }
    }
    // The rates of the step schedule's updates n − 1 and n differ (the check can fail).
    assert_ne!(cases[1].1(n - 1), cases[1].1(n));
}

#[test]
fn loss_rise_schedule_decays_the_rate_of_the_update_after_each_rise() {
    // GD with α₀ = 0.6 on ½(x² + 4y²) from (1, −2): y ← (1 − 4α) y = −1.4 y, so update 0 raises
    // L from 8.5 to 15.76 and update 1 must use α₁ = f·α₀ = 0.3. By hand, the lecture's rule:
    // α ← f·α whenever L(θ_{t+1}) > L(θ_t).
    let (a0, f, steps) = (0.6, 0.5, 8usize);
    let loss = |p: [f64; 2]| 0.5 * (p[0] * p[0] + 4.0 * p[1] * p[1]);
    let mut theta = [1.0, -2.0];
    let mut alpha = a0;
    let (mut want_theta, mut want_alpha) = (vec![theta], Vec::new());
    for _ in 0..steps {
        let next = [
            theta[0] - alpha * theta[0],
            theta[1] - alpha * (4.0 * theta[1]),
        ];
        want_alpha.push(alpha);
        if loss(next) > loss(theta) {
            alpha *= f;
        }
        theta = next;
        want_theta.push(theta);
    }
    assert_eq!(
        want_alpha[..2],
        [0.6, 0.3],
        "the first update raises the loss"
    );
    let rule = Schedule::Step {
        every: 100,
        factor: f,
        on_increase: true,
    };
    let run = run_quad(&[scheduled(a0, rule)], 1, steps as u64);
    let h = &run.tracks[0].history;
    let lrs: Vec<f64> = h.lrs().collect();
    for t in 0..steps {
        assert_eq!(lrs[t + 1], want_alpha[t], "α of update {t}");
        let got = h.params_at(t + 1);
        for k in 0..2 {
            near(
                got[k],
                want_theta[t + 1][k],
                1e-14,
                &format!("θ_{} [{k}]", t + 1),
            );
        }
    }
}

#[test]
fn first_noisy_update_is_theta_minus_alpha_times_g_plus_sigma_z() {
    // θ₁ = θ₀ − α(∇L(θ₀) + σz), z two standard normals drawn, coordinate by coordinate, from
    // the track's own generator: seed `seed`, stream = the optimizer's index.
    let (lr, seed) = (0.1, 7);
    let sigmas = [0.5, 2.0];
    let run = run_quad(&[gd(lr, sigmas[0]), gd(lr, sigmas[1])], seed, 1);
    let g0 = [1.0, 4.0 * -2.0];
    for (i, sigma) in sigmas.iter().enumerate() {
        let mut rng = Rng::new(seed, i as u64);
        let z = [rng.normal(), rng.normal()];
        let want = [
            1.0 - lr * (g0[0] + sigma * z[0]),
            -2.0 - lr * (g0[1] + sigma * z[1]),
        ];
        let got = &run.tracks[i].theta;
        for k in 0..2 {
            near(got[k], want[k], 1e-15, &format!("optimizer {i}, θ₁[{k}]"));
        }
        // The noise moved θ by more than rounding (the check can fail).
        assert!((got[0] - (1.0 - lr * g0[0])).abs() > 1e-3);
    }
}

#[test]
fn a_scripted_optimizer_decays_on_a_loss_rise_exactly_as_a_run_does() {
    // The page's scriptable `Optimizer` runs a `Stepper` on the caller's gradient function. With
    // the loss-rise schedule it must compare L(θ) before and after each update, as a run does:
    // the same θ and α_t, bit for bit, for GD and for Nesterov (whose own gradient is taken at
    // the look-ahead point, not at θ).
    use gradscape::core::stepper::Stepper;
    let rise = Schedule::Step {
        every: 100,
        factor: 0.5,
        on_increase: true,
    };
    let nesterov = OptimizerConfig {
        rule: Rule::Nesterov(gradscape::core::optim::Nesterov::new(0.9)),
        ..scheduled(0.3, rise)
    };
    for config in [scheduled(0.6, rise), nesterov] {
        let steps = 30;
        let run = run_quad(&[config], 1, steps);
        let h = &run.tracks[0].history;
        let lrs: Vec<f64> = h.lrs().collect();
        assert!(
            lrs.windows(2).any(|w| w[1] < w[0]),
            "the loss rises at least once, so α decays: {lrs:?}"
        );
        let mut stepper = Stepper::new(config, 2);
        let mut theta = vec![1.0, -2.0];
        let mut calls = 0;
        let mut oracle = |p: &[f64], g: &mut [f64]| {
            calls += 1;
            g[0] = p[0];
            g[1] = 4.0 * p[1];
            0.5 * (p[0] * p[0] + 4.0 * p[1] * p[1])
        };
        for t in 0..steps as usize {
            stepper.step(&mut theta, &mut oracle);
            assert_eq!(
                stepper.last_rate(),
                lrs[t + 1],
                "{config:?}: α of update {t}"
            );
            assert_eq!(theta, h.params_at(t + 1), "{config:?}: θ after update {t}");
        }
        // One gradient per update, plus L before and after it.
        assert_eq!(calls, 3 * steps);
    }
}
