//! The multiclass SVM loss of the second lecture, by hand: loss and subgradient of small
//! examples, the subgradient exactly at a hinge's kink, the generated data and the Hessian.

use gradscape::core::objective::{svm, svm_with_points, LabelledPoint, Objective};

fn grad(o: &dyn Objective, p: &[f64]) -> (f64, Vec<f64>) {
    let mut g = vec![f64::NAN; o.dim()];
    let l = o.loss_grad(p, &mut g);
    (l, g)
}

#[test]
fn svm_hand_computed_example() {
    let points = vec![
        LabelledPoint {
            x: [1.0, 2.0],
            class: 0,
        },
        LabelledPoint {
            x: [-1.0, 0.5],
            class: 2,
        },
    ];
    let o = svm_with_points(points, 1.0, 0.1);
    let th = [0.5, -0.25, 0.1, 1.0, 0.5, -0.5, -1.0, 0.0, 0.3];
    // Point 0: scores 0.1, 1.5, −0.7; margins 2.4 and 0.2 both count: hinge 2.6.
    // λΣW² = 0.1 · 2.9125. Gradient: w₁, w₂ += x, w₀ −= 2x, plus 2λW.
    let mut g = [0.0; 9];
    let l = o.batch_loss_grad(&th, &[0], &mut g);
    assert!((l - 2.89125).abs() < 1e-12, "{l}");
    let want = [-1.9, -4.05, -1.98, 1.2, 2.1, 0.9, 0.8, 2.0, 1.06];
    for k in 0..9 {
        assert!((g[k] - want[k]).abs() < 1e-12, "g[{k}] = {}", g[k]);
    }
    // Point 1 (class 2): scores −0.525, −1.25, 1.3: both margins negative, only λΣW².
    let l = o.batch_loss_grad(&th, &[1], &mut g);
    assert!((l - 0.29125).abs() < 1e-12, "{l}");
    for k in 0..9 {
        assert!((g[k] - 0.2 * th[k]).abs() < 1e-12);
    }
    assert!((o.loss(&th) - (1.3 + 0.29125)).abs() < 1e-12);
    let mut h = [f64::NAN; 81];
    o.hessian(&th, &mut h);
    for (k, hk) in h.iter().enumerate() {
        assert_eq!(*hk, if k % 10 == 0 { 0.2 } else { 0.0 });
    }
}

/// At a margin of exactly 0 the hinge max(0, m) has a kink. The lecture's gradient counts a
/// term through the indicator 1[wⱼ·xᵢ − w_{yᵢ}·xᵢ + Δ > 0], strict, so at m = 0 the term adds
/// nothing and only 2λW remains; just past the kink it adds x to wⱼ and −x to w_{yᵢ}.
#[test]
fn svm_subgradient_at_the_kink_follows_the_strict_indicator() {
    // One point x = (1, 2), class 0, with the bias feature: (1, 2, 1).
    let point = LabelledPoint {
        x: [1.0, 2.0],
        class: 0,
    };
    let lambda = 0.5;
    // w₀ = (1, 0, 0): score 1; w₁ = 0: score 0, margin 0 − 1 + Δ = 0 with Δ = 1 (the kink);
    // w₂ = (−1, −1, −1): score −4, margin −4 (inactive).
    let w = [1.0, 0.0, 0.0, 0.0, 0.0, 0.0, -1.0, -1.0, -1.0];
    let at_kink = svm_with_points(vec![point], 1.0, lambda);
    let (l, g) = grad(&at_kink, &w);
    // L = max(0, 0) + max(0, −4) + λΣW² = 0.5 · 4 = 2; ∇L = 2λW = W.
    assert_eq!(l, 2.0);
    let want: Vec<f64> = w.iter().map(|wk| 2.0 * lambda * wk).collect();
    assert_eq!(
        g, want,
        "at m = 0 the indicator is 0: only the penalty's gradient"
    );
    // Δ = 1.5: margin 0.5 > 0, the term counts: w₁ += x, w₀ −= x.
    let past = svm_with_points(vec![point], 1.5, lambda);
    let (l, g) = grad(&past, &w);
    assert_eq!(l, 0.5 + 2.0);
    let x = [1.0, 2.0, 1.0];
    let mut want = want.clone();
    for f in 0..3 {
        want[f] -= x[f];
        want[3 + f] += x[f];
    }
    assert_eq!(g, want, "past the kink the term's x enters");
}

#[test]
fn svm_data_and_hessian() {
    let o = svm(61, 2, 1.0, 0.05);
    let pts = o.points().expect("points");
    assert_eq!(pts.len(), 61);
    assert!(pts
        .iter()
        .enumerate()
        .all(|(i, p)| p.class as usize == i % 3));
    // Class k is centred at radius 2, angle 90° + 120°k.
    let big = svm(3000, 2, 1.0, 0.05);
    let all = big.points().expect("points");
    for k in 0..3u8 {
        let mine: Vec<&LabelledPoint> = all.iter().filter(|p| p.class == k).collect();
        let n = mine.len() as f64;
        let mx = mine.iter().map(|p| p.x[0]).sum::<f64>() / n;
        let my = mine.iter().map(|p| p.x[1]).sum::<f64>() / n;
        let a = (90.0 + 120.0 * k as f64).to_radians();
        assert!(
            (mx - 2.0 * a.cos()).abs() < 0.1 && (my - 2.0 * a.sin()).abs() < 0.1,
            "class {k}: {mx}, {my}"
        );
    }
    assert_eq!(o.info().start, vec![0.0; 9]);
    assert!(o.info().critical.is_empty());
    let mut h = [f64::NAN; 81];
    o.hessian(&[0.3; 9], &mut h);
    assert!(h
        .iter()
        .enumerate()
        .all(|(k, &v)| v == if k % 10 == 0 { 0.1 } else { 0.0 }));
    // At W = 0 every margin is Δ > 0: each example pushes its class up and the others down.
    let (l, _) = grad(&o, &[0.0; 9]);
    assert_eq!(l, 2.0);
}
