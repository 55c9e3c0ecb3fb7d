//! Benchmarks of the engine (criterion): updates per second of every rule through the real
//! run loop, the run loop against a hand-written minimal Adam loop, and the cost of sampling
//! a surface on a grid and extracting its contours.
//!
//!     cargo bench --bench core                 everything, then the budget summary
//!     cargo bench --bench core -- run_loop/    one group (criterion's filter)
//!     cargo bench --bench core -- summary-only a filter that matches nothing: the summary alone
//!
//! After criterion's groups, a summary times the run loop and the minimal loop interleaved
//! (so both see the same machine load) and prints the cost ratio against the budget
//! "run loop ≤ 1.2× the minimal loop per update". Numbers are printed, never asserted.

use std::hint::black_box;
use std::time::{Duration, Instant};

use criterion::{criterion_group, BenchmarkId, Criterion, Throughput};
use gradscape::core::lanes;
use gradscape::core::objective::build_default;
use gradscape::core::run::Run;
use gradscape::core::scenario::Scenario;
use gradscape::render::contour::contour_set;
use gradscape::render::field::{heatmap_rgba, Field, Scale};

/// Updates per measured call: a run of this many steps from a fresh start, the length of
/// a typical page scenario (the history keeps every step, no halving).
const UPDATES: u64 = 10_000;

/// The six rules with step sizes that neither diverge nor stall within `UPDATES` steps.
/// (name, optimizer text) of each rule.
type Rules = [(&'static str, &'static str); 6];

const RULES_ROSENBROCK: Rules = [
    ("gd", "gd:lr=0.001"),
    ("momentum", "momentum:lr=0.001,gamma=0.9"),
    ("nesterov", "nesterov:lr=0.001,gamma=0.9"),
    ("adagrad", "adagrad:lr=0.5"),
    ("rmsprop", "rmsprop:lr=0.01"),
    ("adam", "adam:lr=0.05"),
];

const RULES_NEURON: Rules = [
    ("gd", "gd:lr=1"),
    ("momentum", "momentum:lr=0.5,gamma=0.9"),
    ("nesterov", "nesterov:lr=0.5,gamma=0.9"),
    ("adagrad", "adagrad:lr=0.5"),
    ("rmsprop", "rmsprop:lr=0.05"),
    ("adam", "adam:lr=0.05"),
];

/// A one-optimizer scenario of `UPDATES` steps with gradient convergence off, so every
/// update of the measured call really runs.
fn scenario(surface: &str, opt: &str) -> Scenario {
    let text = format!("v=1&surface={surface}&seed=1&steps={UPDATES}&gtol=0&opt={opt}");
    Scenario::parse(&text).unwrap_or_else(|e| panic!("{text}: {e}"))
}

/// Reset `run` to step 0 (untimed), then time `advance(UPDATES)`.
fn time_advance(run: &mut Run) -> Duration {
    run.reset();
    let t0 = Instant::now();
    let done = black_box(&mut *run).advance(black_box(UPDATES));
    let elapsed = t0.elapsed();
    assert_eq!(
        done, UPDATES,
        "the benchmark run stopped early: {:?}",
        run.tracks[0].status
    );
    elapsed
}

/// `iters` timed calls on one run, reset before each: the page's steady state (a reset or
/// a drag restarts the run in place, so the history's buffers are reused, already touched).
fn time_runs(sc: &Scenario, iters: u64) -> Duration {
    let mut run = sc.build_run();
    time_advance(&mut run);
    (0..iters).map(|_| time_advance(&mut run)).sum()
}

fn bench_rules(c: &mut Criterion) {
    let mut g = c.benchmark_group("run_loop");
    g.throughput(Throughput::Elements(UPDATES));
    g.measurement_time(Duration::from_secs(3));
    // (label, surface, rules, what the stochastic variant adds to every optimizer)
    let variants: [(&str, &str, &Rules, &str); 4] = [
        ("rosenbrock", "rosenbrock", &RULES_ROSENBROCK, ""),
        (
            "rosenbrock+noise",
            "rosenbrock",
            &RULES_ROSENBROCK,
            ",noise=0.5",
        ),
        ("neuron", "neuron", &RULES_NEURON, ""),
        ("neuron+batch1", "neuron", &RULES_NEURON, ",batch=1"),
    ];
    for (label, surface, rules, extra) in variants {
        for (name, opt) in rules.iter() {
            let sc = scenario(surface, &format!("{opt}{extra}"));
            g.bench_function(BenchmarkId::new(label, name), |b| {
                b.iter_custom(|iters| time_runs(&sc, iters))
            });
        }
    }
    g.finish();
}

/// Adam on Rosenbrock (a = 1, b = 100) from (−1.5, 2) with ρ₁ = 0.9, ρ₂ = 0.999, δ = 1e−8:
/// the equations of `optim/adam.rs` with the gradient of `objective/analytic.rs` inlined,
/// no allocation, no recording. Returns θ after `n` updates.
#[inline(never)]
fn minimal_adam(n: u64, lr: f64) -> [f64; 2] {
    let (a, b) = (1.0f64, 100.0f64);
    let (rho1, rho2, delta) = (0.9f64, 0.999f64, 1e-8f64);
    let mut p = [-1.5f64, 2.0];
    let (mut s, mut r) = ([0.0f64; 2], [0.0f64; 2]);
    let (mut rho1_pow, mut rho2_pow) = (1.0f64, 1.0f64);
    for _ in 0..n {
        let (x, y) = (p[0], p[1]);
        let t = y - x * x;
        let g = [-2.0 * (a - x) - 4.0 * b * x * t, 2.0 * b * t];
        rho1_pow *= rho1;
        rho2_pow *= rho2;
        let (c1, c2) = (1.0 - rho1_pow, 1.0 - rho2_pow);
        for k in 0..2 {
            s[k] = rho1 * s[k] + (1.0 - rho1) * g[k];
            r[k] = rho2 * r[k] + (1.0 - rho2) * g[k] * g[k];
            let s_hat = s[k] / c1;
            let r_hat = r[k] / c2;
            p[k] -= lr / (delta + r_hat.sqrt()) * s_hat;
        }
    }
    p
}

const ADAM_LR: f64 = 0.05;

fn adam_scenario() -> Scenario {
    scenario("rosenbrock", &format!("adam:lr={ADAM_LR}"))
}

/// Runs the batched kernel's benchmark takes at once: a sweep's chunk of identical cells.
const BATCH_JOBS: usize = 64;

/// `BATCH_JOBS` runs of the Adam scenario (each `UPDATES` updates) through the sweeps'
/// batched kernel; returns the end points.
fn batched_adam(sc: &Scenario) -> Vec<[f64; 2]> {
    let obj = sc.build_objective();
    let job = lanes::Job {
        config: sc.optimizers[0],
        start: [-1.5, 2.0],
    };
    let jobs = vec![job; BATCH_JOBS];
    let mut ends = vec![[0.0; 2]; BATCH_JOBS];
    let kernel = obj.run_lanes(&sc.stopping, &jobs, &mut |i, end| ends[i] = end.theta);
    assert!(kernel, "Rosenbrock has a batched kernel of its own");
    ends
}

fn bench_adam_vs_minimal(c: &mut Criterion) {
    let mut g = c.benchmark_group("adam_rosenbrock");
    g.throughput(Throughput::Elements(UPDATES));
    g.measurement_time(Duration::from_secs(3));
    let sc = adam_scenario();
    g.bench_function("run_loop", |b| b.iter_custom(|iters| time_runs(&sc, iters)));
    g.bench_function("minimal_loop", |b| {
        b.iter(|| minimal_adam(black_box(UPDATES), black_box(ADAM_LR)))
    });
    g.throughput(Throughput::Elements(UPDATES * BATCH_JOBS as u64));
    g.bench_function("batched_kernel_64_runs", |b| {
        b.iter(|| batched_adam(black_box(&sc)))
    });
    g.finish();
}

/// Grid size of the surface benchmarks (the page samples about one point per 2 CSS px, at
/// most 320 a side).
const GRID: usize = 300;
/// Contour levels the page draws.
const LEVELS: usize = 14;

fn bench_surface(c: &mut Criterion) {
    let mut g = c.benchmark_group("surface");
    g.sample_size(20);
    g.measurement_time(Duration::from_secs(4));
    for name in ["rosenbrock", "sparse"] {
        let obj = build_default(name).expect("surface");
        let info = obj.info().clone();
        g.throughput(Throughput::Elements((GRID * GRID) as u64));
        g.bench_function(BenchmarkId::new("field_sample_300x300", name), |b| {
            b.iter(|| Field::sample(obj.as_ref(), info.view, GRID, GRID, &info.start))
        });
        let field = Field::sample(obj.as_ref(), info.view, GRID, GRID, &info.start);
        let scale = Scale::new(&field, info.log_scale);
        let levels = scale.levels(LEVELS);
        g.bench_function(BenchmarkId::new("contours_14_levels", name), |b| {
            b.iter(|| contour_set(black_box(&field), &levels).len())
        });
        g.bench_function(BenchmarkId::new("heatmap_rgba", name), |b| {
            b.iter(|| heatmap_rgba(black_box(&field), &scale))
        });
    }
    g.finish();
}

criterion_group!(benches, bench_rules, bench_adam_vs_minimal, bench_surface);

/// The `q` quantile of `v` (sorted in place), interpolated.
fn quantile(v: &mut [f64], q: f64) -> f64 {
    v.sort_by(|a, b| a.total_cmp(b));
    let i = (v.len() - 1) as f64 * q;
    let (lo, hi) = (i.floor() as usize, i.ceil() as usize);
    v[lo] + (v[hi] - v[lo]) * (i - lo as f64)
}

/// The budget check: both loops timed in alternation, 101 rounds of `UPDATES` updates.
fn budget_summary() {
    let sc = adam_scenario();
    // Same numbers: the run loop and the minimal loop compute the same trajectory.
    let mut run: Run = sc.build_run();
    run.advance(UPDATES);
    let p = minimal_adam(UPDATES, ADAM_LR);
    let same = run.tracks[0].theta == p;
    let theta = run.tracks[0].theta.clone();
    let rounds = 101;
    let (mut full, mut minimal) = (Vec::new(), Vec::new());
    for _ in 0..5 {
        time_advance(&mut run);
        black_box(minimal_adam(black_box(UPDATES), black_box(ADAM_LR)));
    }
    for _ in 0..rounds {
        full.push(time_advance(&mut run).as_secs_f64() * 1e9 / UPDATES as f64);
        let t0 = Instant::now();
        black_box(minimal_adam(black_box(UPDATES), black_box(ADAM_LR)));
        minimal.push(t0.elapsed().as_secs_f64() * 1e9 / UPDATES as f64);
    }
    let mut ratios: Vec<f64> = full.iter().zip(&minimal).map(|(f, m)| f / m).collect();
    let q = |v: &mut Vec<f64>| (quantile(v, 0.5), quantile(v, 0.95));
    let ((f, f95), (m, m95), (r, r95)) = (q(&mut full), q(&mut minimal), q(&mut ratios));
    println!();
    println!("budget: one Adam update on Rosenbrock, run loop vs minimal loop ({rounds} alternating rounds of {UPDATES} updates)");
    println!("  run loop      {f:8.2} ns/update (median), {f95:8.2} (p95)");
    println!("  minimal loop  {m:8.2} ns/update (median), {m95:8.2} (p95)");
    println!(
        "  ratio         {r:8.2}x (median of per-round ratios), {r95:7.2}x (p95); budget <= 1.20x: {}",
        if r <= 1.2 { "met" } else { "MISSED" }
    );
    println!(
        "  same trajectory: {} (run loop theta {:?}, minimal loop {:?})",
        if same { "yes, bit for bit" } else { "NO" },
        theta,
        p
    );
    batched_summary(&sc, p);
}

/// The batched kernel against the minimal loop, in alternation: updates per second on one
/// core (budget: at least 3× the minimal loop's).
fn batched_summary(sc: &Scenario, minimal_end: [f64; 2]) {
    let ends = batched_adam(sc);
    let same = ends.iter().all(|e| *e == minimal_end);
    let per = (UPDATES * BATCH_JOBS as u64) as f64;
    let rounds = 31;
    let (mut batched, mut minimal) = (Vec::new(), Vec::new());
    for _ in 0..rounds {
        let t0 = Instant::now();
        black_box(batched_adam(black_box(sc)));
        batched.push(t0.elapsed().as_secs_f64() * 1e9 / per);
        let t0 = Instant::now();
        black_box(minimal_adam(black_box(UPDATES), black_box(ADAM_LR)));
        minimal.push(t0.elapsed().as_secs_f64() * 1e9 / UPDATES as f64);
    }
    let mut gains: Vec<f64> = minimal.iter().zip(&batched).map(|(m, b)| m / b).collect();
    let (b, m, x) = (
        quantile(&mut batched, 0.5),
        quantile(&mut minimal, 0.5),
        quantile(&mut gains, 0.5),
    );
    println!();
    println!(
        "budget: the sweeps' batched kernel ({} lanes, {BATCH_JOBS} runs of {UPDATES} Adam updates on Rosenbrock) vs the minimal loop, one core ({rounds} alternating rounds)",
        lanes::LANES
    );
    println!(
        "  batched kernel {b:8.2} ns/update (median), {:.3e} updates/s",
        1e9 / b
    );
    println!(
        "  minimal loop   {m:8.2} ns/update (median), {:.3e} updates/s",
        1e9 / m
    );
    println!(
        "  throughput     {x:8.2}x the minimal loop's (median of per-round ratios); budget >= 3x: {}",
        if x >= 3.0 { "met" } else { "MISSED" }
    );
    println!(
        "  same trajectory: {}",
        if same {
            "yes, every run bit for bit"
        } else {
            "NO"
        }
    );
}

fn main() {
    benches();
    criterion::Criterion::default()
        .configure_from_args()
        .final_summary();
    budget_summary();
}
