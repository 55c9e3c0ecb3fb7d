//! What the preset tests share: running a preset to its end, and the measures the lessons are
//! judged by, computed from a run's history. Each test file uses part of it.
#![allow(dead_code)]

use gradscape::core::objective::{CriticalKind, Objective};
use gradscape::core::presets::preset;
use gradscape::core::run::{norm, Run, Status, Track};
use gradscape::core::scenario::Scenario;

/// Parse a preset's text, build its run and advance every optimizer to the end.
pub fn run_preset(name: &str) -> Run {
    let p = preset(name).unwrap_or_else(|| panic!("there is no preset `{name}`"));
    run_text(p.text)
}

pub fn run_text(text: &str) -> Run {
    let s = Scenario::parse(text).unwrap_or_else(|e| panic!("{text}: {e}"));
    let mut run = s.build_run();
    run.advance(s.stopping.max_steps);
    for (k, t) in run.tracks.iter().enumerate() {
        assert_ne!(
            t.status,
            Status::Running,
            "optimizer {k} should have finished"
        );
        assert_eq!(
            t.history.stride(),
            1,
            "optimizer {k}: the history should hold every update for these measures"
        );
    }
    run
}

/// θ of record `i`.
pub fn at(t: &Track, i: usize) -> &[f64] {
    t.history.params_at(i)
}

pub fn dist(a: &[f64], b: &[f64]) -> f64 {
    a.iter()
        .zip(b)
        .map(|(x, y)| (x - y).powi(2))
        .sum::<f64>()
        .sqrt()
}

/// ‖θₜ₊₁ − θₜ‖ for every update.
pub fn step_lengths(t: &Track) -> Vec<f64> {
    (1..t.history.len())
        .map(|i| dist(at(t, i), at(t, i - 1)))
        .collect()
}

pub fn median(xs: &[f64]) -> f64 {
    let mut v = xs.to_vec();
    v.sort_by(f64::total_cmp);
    let n = v.len();
    if n % 2 == 1 {
        v[n / 2]
    } else {
        0.5 * (v[n / 2 - 1] + v[n / 2])
    }
}

pub fn max(xs: impl IntoIterator<Item = f64>) -> f64 {
    xs.into_iter().fold(f64::NEG_INFINITY, f64::max)
}

pub fn min(xs: impl IntoIterator<Item = f64>) -> f64 {
    xs.into_iter().fold(f64::INFINITY, f64::min)
}

/// Overshoot: the farthest the path gets past θ* along the approach direction u (the unit
/// vector from the start to θ*), i.e. maxₜ (θₜ − θ*)·u. Negative: it never passes θ*.
pub fn overshoot(t: &Track, target: &[f64]) -> f64 {
    let start = at(t, 0);
    let d: Vec<f64> = target.iter().zip(start).map(|(a, b)| a - b).collect();
    let n = norm(&d);
    max((0..t.history.len()).map(|i| {
        at(t, i)
            .iter()
            .zip(target)
            .zip(&d)
            .map(|((p, s), u)| (p - s) * u / n)
            .sum::<f64>()
    }))
}

/// Path length ÷ net displacement over the whole run: 1 for a straight path, larger the more
/// the path zigzags.
pub fn tortuosity(t: &Track) -> f64 {
    let last = t.history.len() - 1;
    step_lengths(t).iter().sum::<f64>() / dist(at(t, last), at(t, 0))
}

/// First update at which θ is within `tol` of `target`.
pub fn first_within(t: &Track, target: &[f64], tol: f64) -> Option<u64> {
    (0..t.history.len())
        .find(|&i| dist(at(t, i), target) <= tol)
        .map(|i| t.history.step(i))
}

/// The surface's listed minima.
pub fn minima(obj: &dyn Objective) -> Vec<Vec<f64>> {
    obj.info()
        .critical
        .iter()
        .filter(|c| c.kind == CriticalKind::Minimum)
        .map(|c| c.at.clone())
        .collect()
}

/// Seeds every lesson that draws random numbers is checked on: the preset's own (1) and nine
/// more, so that no lesson rests on one lucky random stream.
pub const SEEDS: std::ops::RangeInclusive<u64> = 1..=10;

pub fn lr(t: &Track) -> f64 {
    t.config.learning_rate
}

/// The effective rates of records 1.. (record 0 holds α: no update has been made yet).
pub fn eff_lr(t: &Track, j: usize) -> Vec<f64> {
    (1..t.history.len())
        .map(|i| t.history.eff_lr_at(i)[j])
        .collect()
}
