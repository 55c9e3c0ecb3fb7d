//! Lessons 8–12 of the lecture, each asserted on the numbers of a real run of its preset:
//! Adagrad on sparse data, RMSProp where Adagrad stalls, Adam's bias correction, cliffs and
//! saddles, and the Hessian test. Each test prints what it measured (`-- --nocapture`).

use gradscape::core::geometry::{local_geometry, PointKind};
use gradscape::core::objective::deeplinear;
use gradscape::core::optim::{Rule, RuleKind};
use gradscape::core::run::{Status, Track};

mod support;
use support::*;

/// Lesson 8: on sparse data Adagrad moves the rarely active w far more than GD and gets a lower
/// loss; its effective rates never increase.
#[test]
fn adagrad_sparse() {
    let run = run_preset("adagrad-sparse");
    let (gd, ada) = (&run.tracks[0], &run.tracks[1]);
    assert_eq!(ada.config.rule.kind(), RuleKind::Adagrad);
    let moved = |t: &Track| (t.theta[0] - at(t, 0)[0]).abs();
    eprintln!(
        "adagrad-sparse: |Δw| GD {:.3}, Adagrad {:.3}; loss GD {:.3e}, Adagrad {:.3e}",
        moved(gd),
        moved(ada),
        gd.loss,
        ada.loss
    );
    assert!(
        moved(ada) > 10.0 * moved(gd),
        "Adagrad should move w >10× as far as GD ({} vs {})",
        moved(ada),
        moved(gd)
    );
    assert!(
        ada.loss < gd.loss / 10.0,
        "Adagrad's loss ({}) should be >10× below GD's ({})",
        ada.loss,
        gd.loss
    );
    for j in 0..2 {
        let e = eff_lr(ada, j);
        assert!(
            e.windows(2).all(|w| w[1] <= w[0]),
            "Adagrad's effective rate of parameter {j} should never increase"
        );
    }
}

/// Lesson 9: with the same α, Adagrad's effective rate only shrinks and it stalls; RMSProp's
/// recovers and it reaches the minimum.
#[test]
fn rmsprop_keeps_going() {
    let run = run_preset("rmsprop-keeps-going");
    let (ada, rms) = (&run.tracks[0], &run.tracks[1]);
    assert_eq!(
        (ada.config.rule.kind(), rms.config.rule.kind()),
        (RuleKind::Adagrad, RuleKind::RmsProp)
    );
    assert_eq!(lr(ada), lr(rms), "same α");
    for j in 0..2 {
        let a = eff_lr(ada, j);
        let r = eff_lr(rms, j);
        let (r_min, r_end) = (min(r.iter().copied()), *r.last().unwrap());
        eprintln!(
            "rmsprop-keeps-going θ{j}: Adagrad rate {:.3e} → {:.3e}; RMSProp min {r_min:.3e} → end {r_end:.3e}",
            a[0],
            a.last().unwrap()
        );
        assert!(
            a.windows(2).all(|w| w[1] <= w[0]),
            "Adagrad's rate of θ{j} should only shrink"
        );
        assert!(
            *a.last().unwrap() < 1e-2 * a[0],
            "Adagrad's rate of θ{j} should end far below its start"
        );
        assert!(
            r_end > 10.0 * r_min,
            "RMSProp's rate of θ{j} should recover to >10× its low point ({r_end} vs {r_min})"
        );
    }
    eprintln!(
        "rmsprop-keeps-going: loss Adagrad {:.3e}, RMSProp {:.3e}",
        ada.loss, rms.loss
    );
    assert!(
        ada.loss > 0.5,
        "Adagrad should stall on the plateau (loss {})",
        ada.loss
    );
    assert!(
        rms.loss < ada.loss / 100.0,
        "RMSProp should end >100× lower ({} vs {})",
        rms.loss,
        ada.loss
    );
}

/// Lesson 10: without bias correction Adam's first step is scaled by (1−ρ₁)/√(1−ρ₂): shorter
/// for ρ₁ = 0.99, longer for the default ρ₁ = 0.9. Corrected, it is α per coordinate.
#[test]
fn adam_bias_correction() {
    let run = run_preset("adam-bias-correction");
    let adam = |t: &Track| match t.config.rule {
        Rule::Adam(a) => a,
        _ => panic!("Adam expected"),
    };
    let first = |t: &Track| -> Vec<f64> {
        at(t, 1)
            .iter()
            .zip(at(t, 0))
            .map(|(a, b)| (a - b).abs())
            .collect()
    };
    let early = |t: &Track| step_lengths(t)[..5].iter().sum::<f64>();
    let t = &run.tracks;
    for pair in t.chunks(2) {
        let (on, off) = (&pair[0], &pair[1]);
        let (a_on, a_off) = (adam(on), adam(off));
        assert!(a_on.bias_correction && !a_off.bias_correction);
        assert_eq!(
            (a_on.rho1, a_on.rho2, lr(on)),
            (a_off.rho1, a_off.rho2, lr(off))
        );
        let scale = (1.0 - a_on.rho1) / (1.0 - a_on.rho2).sqrt();
        for (j, (s_on, s_off)) in first(on).iter().zip(first(off)).enumerate() {
            assert!(
                (s_on - lr(on)).abs() < 1e-6 * lr(on),
                "corrected first step of θ{j} should be α = {} long, was {s_on}",
                lr(on)
            );
            assert!(
                (s_off / s_on - scale).abs() < 1e-6 * scale,
                "uncorrected first step of θ{j} should be (1−ρ₁)/√(1−ρ₂) = {scale} times the corrected one, was {}",
                s_off / s_on
            );
        }
        assert!(
            on.loss < off.loss,
            "ρ₁ = {}: at the end the corrected run ({}) is below the uncorrected ({})",
            a_on.rho1,
            on.loss,
            off.loss
        );
        let ratio = early(off) / early(on);
        eprintln!(
            "adam-bias-correction ρ₁ = {}: first-step ratio {scale:.3}, first-5-steps path ratio {ratio:.3}",
            a_on.rho1
        );
        if a_on.rho1 >= 0.99 {
            assert!(
                scale < 0.5 && ratio < 0.75,
                "with ρ₁ = {} uncorrected early steps should be clearly shorter ({ratio})",
                a_on.rho1
            );
        } else {
            assert!(
                scale > 2.0 && ratio > 2.0,
                "with ρ₁ = {} uncorrected early steps should be clearly longer ({ratio})",
                a_on.rho1
            );
        }
    }
    let rho1: Vec<f64> = t.iter().map(|t| adam(t).rho1).collect();
    assert!(
        rho1.contains(&0.99) && rho1.contains(&0.9),
        "both the too-short (ρ₁ = 0.99) and the default (ρ₁ = 0.9) case are shown"
    );
}

/// Lesson 11 at a cliff: on the wall ‖∇L‖ is many times its typical value on the way there,
/// and the step taken there throws GD across the basin.
#[test]
fn cliff_explodes() {
    let run = run_preset("cliff-explodes");
    let (big, small) = (&run.tracks[0], &run.tracks[1]);
    let steps = step_lengths(big);
    let k = (0..steps.len())
        .max_by(|&a, &b| steps[a].total_cmp(&steps[b]))
        .unwrap();
    let approach_steps = median(&steps[..k]);
    let grads: Vec<f64> = big.history.grad_norms().collect();
    let approach_grads = median(&grads[..k]);
    let spike = grads[k];
    eprintln!(
        "cliff-explodes: update {k}: ‖∇L‖ {spike:.3} vs approach median {approach_grads:.3}; step {:.3} vs approach median {approach_steps:.3}, whole-run median {:.2e}",
        steps[k],
        median(&steps)
    );
    assert!(
        k >= 3,
        "GD should walk to the wall for a few steps first (spike at update {k})"
    );
    assert_eq!(
        spike,
        max(grads.iter().copied()),
        "the longest step is taken where ‖∇L‖ peaks"
    );
    assert!(
        spike > 10.0 * approach_grads,
        "‖∇L‖ on the wall ({spike}) should be >10× its median on the way ({approach_grads})"
    );
    assert!(
        steps[k] > 10.0 * approach_steps && steps[k] > 10.0 * median(&steps),
        "the wall's step ({}) should be >10× the median step",
        steps[k]
    );
    assert!(
        steps[k] > 3.0,
        "the step should throw GD far across the basin ({})",
        steps[k]
    );
    let (before, after) = (big.history.loss(0), big.history.loss(k + 1));
    assert!(
        after > 3.0 * before,
        "the throw lands far up the other side: loss {after} after it, {before} at the start"
    );
    let small_max = max(step_lengths(small));
    assert!(
        small_max < steps[k] / 4.0,
        "α = {} survives the wall without a wild jump (longest step {small_max})",
        lr(small)
    );
    assert!(
        matches!(big.status, Status::Converged { .. })
            && !matches!(small.status, Status::Converged { .. }),
        "the small α takes longer: {} vs {}",
        big.status,
        small.status
    );
}

/// Lesson 11 at a saddle: along GD's path ‖∇L‖ nearly vanishes where the loss is still far
/// above the valley's, at a point the Hessian calls a saddle.
#[test]
fn saddle_vanishing_gradient() {
    let run = run_preset("saddle-vanishing-gradient");
    let obj = run.objective.as_ref();
    let t = &run.tracks[0];
    let data = deeplinear(30, 1);
    let s = data.model().samples();
    let n = s.len() as f64;
    let (c, m) = (
        s.iter().map(|e| e.x * e.y).sum::<f64>() / n,
        s.iter().map(|e| e.x * e.x).sum::<f64>() / n,
    );
    let best = 0.5 * (s.iter().map(|e| e.y * e.y).sum::<f64>() / n - c * c / m);
    assert!(
        (t.loss - best).abs() < 1e-6 * (1.0 + best),
        "GD should end in the valley of minima (loss {} vs {best})",
        t.loss
    );
    let h = &t.history;
    let i = (0..h.len())
        .filter(|&i| h.loss(i) > 10.0 * best)
        .min_by(|&a, &b| h.grad_norm(a).total_cmp(&h.grad_norm(b)))
        .unwrap();
    eprintln!(
        "saddle-vanishing-gradient: update {}: ‖∇L‖ {:.3e} (start {:.3}), loss {:.3} vs minimum {best:.4}",
        h.step(i), h.grad_norm(i), h.grad_norm(0), h.loss(i)
    );
    assert!(
        h.grad_norm(i) < 1e-3 * h.grad_norm(0),
        "the gradient should all but vanish near the saddle ({} vs {} at the start)",
        h.grad_norm(i),
        h.grad_norm(0)
    );
    assert!(
        h.loss(i) > 50.0 * best,
        "while the loss there ({}) is still far above the minimum's ({best})",
        h.loss(i)
    );
    assert_eq!(
        local_geometry(obj, at(t, i)).kind,
        PointKind::Saddle,
        "the Hessian calls that point a saddle"
    );
}

/// Lesson 12: every run stops with a near-zero gradient; the Hessian's eigenvalues tell the
/// saddle (mixed signs) from the minimum (all positive).
#[test]
fn hessian_test() {
    for seed in SEEDS {
        hessian_test_with(seed);
    }
}

fn hessian_test_with(seed: u64) {
    let run = run_text(&format!("preset=hessian-test&seed={seed}"));
    let obj = run.objective.as_ref();
    for (k, t) in run.tracks.iter().enumerate() {
        let g = local_geometry(obj, &t.theta);
        eprintln!(
            "hessian-test seed {seed} run {k}: ‖∇L‖ {:.2e}, eigenvalues {:.3?}, {:?}",
            g.grad_norm, g.eigenvalues, g.kind
        );
        assert!(
            g.grad_norm < 1e-2,
            "run {k} should have stopped moving (‖∇L‖ {})",
            g.grad_norm
        );
        if t.config.source.noise == 0.0 {
            assert!(
                matches!(
                    t.status,
                    Status::AtCritical {
                        kind: PointKind::Saddle,
                        ..
                    }
                ),
                "run {k} stops by the gradient test at a saddle, got {}",
                t.status
            );
            assert!(
                g.eigenvalues[0] < 0.0 && g.eigenvalues[1] > 0.0 && g.kind == PointKind::Saddle,
                "noiseless run {k} ends at a saddle: mixed-sign eigenvalues {:?}",
                g.eigenvalues
            );
        } else {
            assert!(
                g.eigenvalues[0] > 0.0 && g.kind == PointKind::Minimum,
                "noisy run {k} ends at a minimum: positive eigenvalues {:?}",
                g.eigenvalues
            );
        }
    }
    let noisy = run
        .tracks
        .iter()
        .filter(|t| t.config.source.noise > 0.0)
        .count();
    assert!(
        noisy >= 1 && noisy < run.tracks.len(),
        "both kinds of end point are shown"
    );
}

/// The Hessian by central differences of the loss alone (not the surface's own Hessian):
/// its two eigenvalues, ascending, from the 2×2 characteristic polynomial.
fn fd_eigenvalues(obj: &dyn gradscape::core::objective::Objective, p: &[f64]) -> [f64; 2] {
    let h = 1e-4;
    let mut g = vec![0.0; 2];
    let mut f = |dx: f64, dy: f64| obj.loss_grad(&[p[0] + dx, p[1] + dy], &mut g);
    let f0 = f(0.0, 0.0);
    let fxx = (f(h, 0.0) - 2.0 * f0 + f(-h, 0.0)) / (h * h);
    let fyy = (f(0.0, h) - 2.0 * f0 + f(0.0, -h)) / (h * h);
    let fxy = (f(h, h) - f(h, -h) - f(-h, h) + f(-h, -h)) / (4.0 * h * h);
    let (mean, det) = (0.5 * (fxx + fyy), fxx * fyy - fxy * fxy);
    let r = (mean * mean - det).max(0.0).sqrt();
    [mean - r, mean + r]
}

/// The status words say what the Hessian says: on the saddle x² + y⁴/4 − y²/2 (hessian-test and
/// noise-escapes-saddle) the noiseless runs that stop with ‖∇L‖ ≤ ε_g stop where the
/// finite-difference Hessian has eigenvalues ≈ −1 and 2 and are reported "stopped at a saddle
/// point", never "converged"; a run that settles in a minimum (both positive) is never so
/// reported; a run started on a maximum of −(x² + y²) says "stopped at a maximum".
#[test]
fn status_words_follow_the_hessian() {
    for name in ["hessian-test", "noise-escapes-saddle"] {
        let run = run_preset(name);
        let obj = run.objective.as_ref();
        for (k, t) in run.tracks.iter().enumerate() {
            let eig = fd_eigenvalues(obj, &t.theta);
            let words = t.status.to_string();
            eprintln!("{name} run {k}: eigenvalues {eig:.3?}, {words}");
            if t.config.source.noise == 0.0 {
                assert!(
                    (eig[0] + 1.0).abs() < 1e-3 && (eig[1] - 2.0).abs() < 1e-3,
                    "{name} run {k} is parked on the saddle (eigenvalues −1 and 2): {eig:?}"
                );
                assert!(
                    words.starts_with("stopped at a saddle point at step "),
                    "{name} run {k}: {words}"
                );
            } else if eig[0] > 0.0 {
                assert!(
                    !words.contains("saddle") && !words.contains("maximum"),
                    "{name} run {k} ended in a minimum: {words}"
                );
            }
        }
    }
    let run = run_text("surface=custom:f=-(x^2+y^2)&start=0,0&steps=10&opt=gd:lr=0.1");
    let t = &run.tracks[0];
    let eig = fd_eigenvalues(run.objective.as_ref(), &t.theta);
    assert!(eig[1] < 0.0, "both eigenvalues negative: {eig:?}");
    assert_eq!(t.status.to_string(), "stopped at a maximum at step 1");
    // A minimum stays "converged".
    let run = run_text("surface=custom:f=x^2+y^2&start=0,0&steps=10&opt=gd:lr=0.1");
    assert_eq!(run.tracks[0].status.to_string(), "converged at step 1");
}
