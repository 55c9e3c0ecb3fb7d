//! Memory a long run holds: 1,000,000 updates, measured with a counting allocator and
//! checked against the bound the decimated history gives.
//!
//!     cargo run --release --example run_memory
//!
//! Each optimizer keeps at most `HISTORY_CAPACITY` (C) records; a record is a row of six
//! 8-byte values (step, examples, loss, batch loss, ‖∇L‖², α) plus θ and the effective rates
//! (d values each), so a history holds at most 8·C·(6 + 2d) bytes, whatever the run's length.
//! Prints numbers; asserts nothing about time.

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

use gradscape::core::run::{Run, HISTORY_CAPACITY};
use gradscape::core::scenario::Scenario;

/// The system allocator, counting the bytes live and the most ever live.
struct Counting;

static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

fn grew(n: usize) {
    let now = LIVE.fetch_add(n, Ordering::Relaxed) + n;
    PEAK.fetch_max(now, Ordering::Relaxed);
}

// SAFETY: every call is forwarded unchanged to `System`; only counters are added.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let p = unsafe { System.alloc(layout) };
        if !p.is_null() {
            grew(layout.size());
        }
        p
    }
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        let p = unsafe { System.alloc_zeroed(layout) };
        if !p.is_null() {
            grew(layout.size());
        }
        p
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) };
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let p = unsafe { System.realloc(ptr, layout, new_size) };
        if !p.is_null() {
            LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
            grew(new_size);
        }
        p
    }
}

#[global_allocator]
static ALLOC: Counting = Counting;

const STEPS: u64 = 1_000_000;

/// Bytes of the history buffers, from their capacities.
fn history_bytes(run: &Run) -> usize {
    run.tracks.iter().map(|t| t.history.capacity_bytes()).sum()
}

fn mib(b: usize) -> String {
    format!("{:.2} MiB", b as f64 / (1024.0 * 1024.0))
}

fn measure(label: &str, text: &str) {
    let sc = Scenario::parse(text).unwrap_or_else(|e| panic!("{text}: {e}"));
    let base = LIVE.load(Ordering::Relaxed);
    PEAK.store(base, Ordering::Relaxed);
    let mut run = sc.build_run();
    let built = LIVE.load(Ordering::Relaxed) - base;
    let t0 = Instant::now();
    let done = run.advance(STEPS);
    let secs = t0.elapsed().as_secs_f64();
    let held = LIVE.load(Ordering::Relaxed) - base;
    let peak = PEAK.load(Ordering::Relaxed) - base;
    let dim = run.objective.dim();
    let k = run.tracks.len();
    let bound_one = 8 * HISTORY_CAPACITY * (6 + 2 * dim);
    let t = &run.tracks[0];
    println!("{label}: {k} optimizer(s), d = {dim}, {done} updates each in {secs:.2} s");
    println!(
        "  history: {} records kept of {} (stride {}), capacity {HISTORY_CAPACITY}",
        t.history.len(),
        t.step + 1,
        t.history.stride()
    );
    println!(
        "  held after the run {} B ({}); peak while running {} B; at build {} B",
        held,
        mib(held),
        peak,
        built
    );
    println!(
        "  history buffers by capacity {} B ({}); bound 8·C·(6+2d)·k = {} B ({})",
        history_bytes(&run),
        mib(history_bytes(&run)),
        bound_one * k,
        mib(bound_one * k)
    );
    for t in &run.tracks {
        assert!(
            t.history.len() <= HISTORY_CAPACITY,
            "the history outgrew its cap"
        );
    }
    drop(run);
}

fn main() {
    let steps = format!("steps={STEPS}&gtol=0");
    measure(
        "adam on rosenbrock",
        &format!("v=1&surface=rosenbrock&seed=1&{steps}&opt=adam:lr=0.05"),
    );
    measure(
        "the six rules on rosenbrock",
        &format!(
            "v=1&surface=rosenbrock&seed=1&{steps}&opt=gd:lr=0.001&opt=momentum:lr=0.001,gamma=0.9\
             &opt=nesterov:lr=0.001,gamma=0.9&opt=adagrad:lr=0.5&opt=rmsprop:lr=0.01&opt=adam:lr=0.05"
        ),
    );
    measure(
        "sgd (batch=1) on neuron",
        &format!("v=1&surface=neuron&seed=1&{steps}&opt=gd:lr=1,batch=1"),
    );
    measure(
        "adam on svm (the largest d)",
        &format!("v=1&surface=svm&seed=1&{steps}&opt=adam:lr=0.01"),
    );
}
