//! Every update rule's first two updates, computed here from LECTURE.md's equations (not by
//! calling the rule), plus the exact equivalences between rules and the schedules' α_t.

use gradscape::core::optim::{Adagrad, Adam, Gd, Momentum, Nesterov, RmsProp, Rule, State, Update};
use gradscape::core::schedule::{Schedule, ScheduleState};

/// L(x, y) = ½(a x² + b y²): ∇L = (a x, b y).
const A: f64 = 1.0;
const B: f64 = 4.0;

fn grad(p: &[f64]) -> [f64; 2] {
    [A * p[0], B * p[1]]
}

fn oracle(p: &[f64], g: &mut [f64]) -> f64 {
    let gg = grad(p);
    g.copy_from_slice(&gg);
    0.5 * (A * p[0] * p[0] + B * p[1] * p[1])
}

const START: [f64; 2] = [1.0, -2.0];
const LR: f64 = 0.1;

fn two_steps(rule: Rule) -> [[f64; 2]; 2] {
    let mut theta = START.to_vec();
    let mut st = State::new(2);
    rule.step(&mut theta, &mut st, LR, &mut oracle);
    let first = [theta[0], theta[1]];
    rule.step(&mut theta, &mut st, LR, &mut oracle);
    [first, [theta[0], theta[1]]]
}

fn close(a: [f64; 2], b: [f64; 2]) {
    for i in 0..2 {
        assert!(
            (a[i] - b[i]).abs() <= 1e-14 * (1.0 + b[i].abs()),
            "got {a:?}, expected {b:?}"
        );
    }
}

#[test]
fn gd_first_two_updates() {
    // θ₁ = θ₀ − α∇L(θ₀); θ₂ = θ₁ − α∇L(θ₁)
    let t1 = [1.0 - 0.1 * 1.0, -2.0 - 0.1 * 4.0 * -2.0]; // (0.9, -1.2)
    let t2 = [t1[0] - 0.1 * t1[0], t1[1] - 0.1 * 4.0 * t1[1]]; // (0.81, -0.72)
    let got = two_steps(Rule::Gd(Gd));
    close(got[0], t1);
    close(got[1], t2);
    close(got[1], [0.81, -0.72]);
}

#[test]
fn momentum_first_two_updates() {
    let gamma = 0.9;
    // v₁ = α g₀ = 0.1·(1, −8) = (0.1, −0.8); θ₁ = (0.9, −1.2)
    // g₁ = (0.9, −4.8); v₂ = 0.9·v₁ + 0.1·g₁ = (0.18, −1.2); θ₂ = (0.72, 0.0)
    let got = two_steps(Rule::Momentum(Momentum::new(gamma)));
    close(got[0], [0.9, -1.2]);
    close(
        got[1],
        [
            0.9 - (0.9 * 0.1 + 0.1 * 0.9),
            -1.2 - (0.9 * -0.8 + 0.1 * -4.8),
        ],
    );
    close(got[1], [0.72, 0.0]);
}

#[test]
fn nesterov_first_two_updates_use_the_lookahead_gradient() {
    let gamma = 0.9;
    // Update 1: v = 0, θ̃ = θ, so as momentum: v₁ = (0.1, −0.8), θ₁ = (0.9, −1.2).
    // Update 2: θ̃ = θ₁ − γ v₁ = (0.81, −0.48); g̃ = (0.81, −1.92);
    // v₂ = 0.9·(0.1, −0.8) + 0.1·(0.81, −1.92) = (0.171, −0.912); θ₂ = (0.729, −0.288).
    let mut theta = START.to_vec();
    let mut st = State::new(2);
    let rule = Rule::Nesterov(Nesterov::new(gamma));
    rule.step(&mut theta, &mut st, LR, &mut oracle);
    close([theta[0], theta[1]], [0.9, -1.2]);
    rule.step(&mut theta, &mut st, LR, &mut oracle);
    close(
        [st.lookahead[0], st.lookahead[1]],
        [0.9 - 0.9 * 0.1, -1.2 - 0.9 * -0.8],
    );
    let v2 = [0.9 * 0.1 + 0.1 * 0.81, 0.9 * -0.8 + 0.1 * (4.0 * -0.48)];
    close([theta[0], theta[1]], [0.9 - v2[0], -1.2 - v2[1]]);
    close([theta[0], theta[1]], [0.729, -0.288]);
}

#[test]
fn adagrad_first_two_updates() {
    let delta = 1e-7;
    let g0 = grad(&START);
    let r1 = [g0[0] * g0[0], g0[1] * g0[1]];
    let t1 = [
        START[0] - LR / (delta + r1[0].sqrt()) * g0[0],
        START[1] - LR / (delta + r1[1].sqrt()) * g0[1],
    ];
    let g1 = grad(&t1);
    let r2 = [r1[0] + g1[0] * g1[0], r1[1] + g1[1] * g1[1]];
    let t2 = [
        t1[0] - LR / (delta + r2[0].sqrt()) * g1[0],
        t1[1] - LR / (delta + r2[1].sqrt()) * g1[1],
    ];
    let got = two_steps(Rule::Adagrad(Adagrad { delta }));
    close(got[0], t1);
    close(got[1], t2);
    // The first Adagrad step moves every coordinate by α (up to δ).
    assert!((got[0][0] - (1.0 - 0.1)).abs() < 1e-7);
    assert!((got[0][1] - (-2.0 + 0.1)).abs() < 1e-7);
}

#[test]
fn rmsprop_first_two_updates() {
    let (rho, delta) = (0.9, 1e-6);
    let g0 = grad(&START);
    let r1 = [(1.0 - rho) * g0[0] * g0[0], (1.0 - rho) * g0[1] * g0[1]];
    let t1 = [
        START[0] - LR / (delta + r1[0].sqrt()) * g0[0],
        START[1] - LR / (delta + r1[1].sqrt()) * g0[1],
    ];
    let g1 = grad(&t1);
    let r2 = [
        rho * r1[0] + (1.0 - rho) * g1[0] * g1[0],
        rho * r1[1] + (1.0 - rho) * g1[1] * g1[1],
    ];
    let t2 = [
        t1[0] - LR / (delta + r2[0].sqrt()) * g1[0],
        t1[1] - LR / (delta + r2[1].sqrt()) * g1[1],
    ];
    let got = two_steps(Rule::RmsProp(RmsProp { rho, delta }));
    close(got[0], t1);
    close(got[1], t2);
}

/// Adam by the equation, t counting updates including the current one.
fn adam_expected(bias: bool) -> [[f64; 2]; 2] {
    let (r1c, r2c, delta) = (0.9, 0.999, 1e-8);
    let mut theta = START;
    let mut s = [0.0; 2];
    let mut r = [0.0; 2];
    let mut out = [[0.0; 2]; 2];
    for (t, slot) in out.iter_mut().enumerate() {
        let g = grad(&theta);
        let n = (t + 1) as i32;
        for i in 0..2 {
            s[i] = r1c * s[i] + (1.0 - r1c) * g[i];
            r[i] = r2c * r[i] + (1.0 - r2c) * g[i] * g[i];
            let (sh, rh) = if bias {
                (s[i] / (1.0 - r1c.powi(n)), r[i] / (1.0 - r2c.powi(n)))
            } else {
                (s[i], r[i])
            };
            theta[i] -= LR * sh / (delta + rh.sqrt());
        }
        *slot = theta;
    }
    out
}

#[test]
fn adam_first_two_updates_with_and_without_bias_correction() {
    for bias in [true, false] {
        let rule = Rule::Adam(Adam {
            rho1: 0.9,
            rho2: 0.999,
            delta: 1e-8,
            bias_correction: bias,
        });
        let got = two_steps(rule);
        let want = adam_expected(bias);
        close(got[0], want[0]);
        close(got[1], want[1]);
    }
    // Without correction the first step is (1−ρ₁)/√(1−ρ₂) ≈ 3.16 times α per coordinate
    // (|Δθ| = α·0.1|g|/(δ + √0.001|g|)): with these ρ's the uncorrected step is too long.
    let nb = adam_expected(false);
    assert!(((START[0] - nb[0][0]).abs() - LR * 0.1 / 0.001f64.sqrt()).abs() < 1e-6);
}

#[test]
fn adam_first_step_length_is_alpha_per_coordinate() {
    let rule = Rule::Adam(Adam {
        rho1: 0.9,
        rho2: 0.999,
        delta: 1e-14,
        bias_correction: true,
    });
    for start in [[3.0, -0.5], [-0.01, 200.0], [1e-3, 7.0]] {
        let mut theta = start.to_vec();
        let mut st = State::new(2);
        rule.step(&mut theta, &mut st, 0.05, &mut oracle);
        for i in 0..2 {
            let step = (theta[i] - start[i]).abs();
            assert!((step - 0.05).abs() < 1e-9, "coordinate {i}: step {step}");
        }
    }
}

/// Rosenbrock as a plain closure: a non-quadratic oracle for the equivalence checks.
fn rosen(p: &[f64], g: &mut [f64]) -> f64 {
    let (x, y) = (p[0], p[1]);
    g[0] = -2.0 * (1.0 - x) - 400.0 * x * (y - x * x);
    g[1] = 200.0 * (y - x * x);
    (1.0 - x) * (1.0 - x) + 100.0 * (y - x * x) * (y - x * x)
}

fn trajectory(rule: Rule, n: usize) -> Vec<Vec<f64>> {
    let mut theta = vec![-1.5, 2.0];
    let mut st = State::new(2);
    (0..n)
        .map(|_| {
            rule.step(&mut theta, &mut st, 1e-3, &mut rosen);
            theta.clone()
        })
        .collect()
}

#[test]
fn momentum_and_nesterov_with_zero_gamma_are_gd_bit_for_bit() {
    let gd = trajectory(Rule::Gd(Gd), 500);
    assert_eq!(trajectory(Rule::Momentum(Momentum::new(0.0)), 500), gd);
    assert_eq!(trajectory(Rule::Nesterov(Nesterov::new(0.0)), 500), gd);
    // And γ > 0 really differs (the test can fail).
    assert_ne!(trajectory(Rule::Momentum(Momentum::new(0.5)), 500), gd);
}

#[test]
fn momentum_warmup_uses_gamma0_for_its_updates_then_gamma() {
    // γ₀ = 0 for the first two updates, then γ = 0.9. Update 1 cannot show γ₀ (v₀ = 0), so the
    // warm-up covers two: update 2 must then be a plain GD step.
    let rule = Rule::Momentum(Momentum {
        gamma: 0.9,
        gamma0: 0.0,
        warmup: 2,
    });
    // Update 1: v₁ = α g₀ = (0.1, −0.8), θ₁ = (0.9, −1.2).
    // Update 2 (γ₀ = 0): v₂ = α g₁ = 0.1·(0.9, −4.8) = (0.09, −0.48), θ₂ = (0.81, −0.72),
    //   exactly GD's second step (with γ = 0.9 it would be (0.72, 0)).
    // Update 3 (γ): g₂ = (0.81, −2.88), v₃ = 0.9·(0.09, −0.48) + 0.1·g₂ = (0.162, −0.72),
    //   θ₃ = (0.648, 0).
    let mut theta = START.to_vec();
    let mut st = State::new(2);
    let mut got = Vec::new();
    for _ in 0..3 {
        rule.step(&mut theta, &mut st, LR, &mut oracle);
        got.push([theta[0], theta[1]]);
    }
    close(got[0], [0.9, -1.2]);
    close(got[1], [0.9 - 0.1 * 0.9, -1.2 - 0.1 * (4.0 * -1.2)]);
    close(got[1], two_steps(Rule::Gd(Gd))[1]);
    close(
        got[2],
        [
            0.81 - (0.9 * 0.09 + 0.1 * 0.81),
            -0.72 - (0.9 * -0.48 + 0.1 * -2.88),
        ],
    );
    close(got[2], [0.648, 0.0]);
    // Without the warm-up the second update differs (the test can fail).
    assert_ne!(two_steps(Rule::Momentum(Momentum::new(0.9)))[1], got[1]);
}

#[test]
fn schedules_give_the_lecture_formulas() {
    let a0 = 0.4;
    let c = ScheduleState::new(Schedule::Constant, a0);
    assert_eq!(c.rate(0), a0);
    assert_eq!(c.rate(12345), a0);
    let s = ScheduleState::new(
        Schedule::Step {
            every: 100,
            factor: 0.5,
            on_increase: false,
        },
        a0,
    );
    for (t, want) in [
        (0, 0.4),
        (99, 0.4),
        (100, 0.2),
        (199, 0.2),
        (250, 0.1),
        (1000, 0.4 / 1024.0),
    ] {
        assert!((s.rate(t) - want).abs() < 1e-15, "step t={t}");
    }
    let e = ScheduleState::new(Schedule::Exp { k: 0.01 }, a0);
    for t in [0u64, 1, 10, 100, 1000] {
        let want = a0 * (-0.01 * t as f64).exp();
        assert!((e.rate(t) - want).abs() < 1e-15, "exp t={t}");
    }
    let i = ScheduleState::new(Schedule::Inv { k: 0.05 }, a0);
    for t in [0u64, 1, 10, 100, 1000] {
        let want = a0 / (1.0 + 0.05 * t as f64);
        assert!((i.rate(t) - want).abs() < 1e-15, "inv t={t}");
    }
    let mut r = ScheduleState::new(
        Schedule::Step {
            every: 100,
            factor: 0.5,
            on_increase: true,
        },
        a0,
    );
    r.observe(1.0, 0.5); // fell: unchanged
    assert_eq!(r.rate(1), 0.4);
    r.observe(0.5, 0.7); // rose: halve
    assert_eq!(r.rate(2), 0.2);
    r.observe(0.7, 0.9);
    assert_eq!(r.rate(3), 0.1);
}
