//! Sweeps (`gradscape sweep`, `gradscape basins`): each cell is the run of its own scenario
//! text, any number of threads give the same cells, GD's phase diagram on the bowl follows
//! θₖ = (1 − 2α)ᵏ θ₀, and the basin map of Himmelblau finds its four minima.

use gradscape::core::run::Status;
use gradscape::core::scenario::Scenario;
use gradscape::core::sweep::{Axis, Grid, Sweep};

fn scenario(text: &str) -> Scenario {
    Scenario::parse(text).unwrap_or_else(|e| panic!("{text}: {e}"))
}

fn phase(text: &str, x: &str, y: &str) -> Sweep {
    let grid = Grid::Phase {
        x: Axis::parse(x).expect("x axis"),
        y: Axis::parse(y).expect("y axis"),
    };
    Sweep::new(scenario(text), 0, grid).expect("sweep")
}

/// The cell's numbers are those of its scenario's text run on its own.
fn assert_cells_replay(sweep: &Sweep, cells: &[(usize, usize)]) {
    for &(ix, iy) in cells {
        let cell = sweep.run_cell(ix, iy).expect("cell");
        let text = sweep
            .cell_scenario(ix, iy)
            .expect("cell scenario")
            .to_text();
        let mut run = scenario(&text).build_run();
        while run.advance(1 << 20) > 0 {}
        let t = &run.tracks[0];
        assert_eq!(cell.steps, t.step, "{text}");
        assert_eq!(cell.status, t.status, "{text}");
        assert_eq!(cell.loss.to_bits(), t.loss.to_bits(), "{text}");
        let bits = |v: &[f64]| v.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
        assert_eq!(bits(&cell.theta), bits(&t.theta), "{text}");
    }
}

#[test]
fn every_kind_of_cell_is_the_run_of_its_own_text() {
    let cases = [
        phase(
            "v=1&surface=rosenbrock&steps=300&opt=momentum:lr=0.001",
            "lr=1e-4..1e-2:log:9",
            "gamma=0..0.99:7",
        ),
        phase(
            "v=1&surface=linreg:n=40&seed=3&steps=200&opt=gd:lr=0.1,noise=0.2",
            "lr=0.01..0.5:log:6",
            "batch=1..40:5",
        ),
        phase(
            "v=1&surface=beale&steps=400&opt=adam:schedule=exp,k=0.01",
            "k=0..0.1:4",
            "lr=0.01..1:log:5",
        ),
        phase(
            "v=1&surface=minima&steps=300&opt=rmsprop:noise=0.5",
            "rho=0.5..0.99:4",
            "noise=0..2:3",
        ),
    ];
    for sweep in &cases {
        let (nx, ny) = sweep.size();
        assert_cells_replay(
            sweep,
            &[(0, 0), (nx - 1, ny - 1), (nx / 2, ny / 3), (1, ny - 1)],
        );
    }
    let basins = Sweep::new(
        scenario("v=1&surface=himmelblau&steps=300&opt=nesterov:lr=0.005"),
        0,
        Grid::Basins {
            view: [-5.0, 5.0, -5.0, 5.0],
            nx: 9,
            ny: 7,
        },
    )
    .expect("basins");
    assert_cells_replay(&basins, &[(0, 0), (8, 6), (4, 3), (2, 5)]);
}

#[test]
fn one_thread_or_several_give_the_same_cells() {
    let sweep = phase(
        "v=1&surface=linreg:n=30&seed=5&steps=150&opt=momentum:lr=0.05,batch=4,noise=0.1",
        "lr=0.001..0.3:log:7",
        "gamma=0..0.95:5",
    );
    let one = sweep.run(1, &|_| {}).expect("1 thread");
    let four = sweep.run(4, &|_| {}).expect("4 threads");
    assert_eq!(one.len(), 35);
    assert_eq!(one, four);
}

/// GD on x² + y² from θ₀: θₖ = (1 − 2α)ᵏ θ₀ and ‖∇L‖ = 2|θₖ|, so it converges (‖∇L‖ ≤ 1e-8)
/// at the first k with 2|1 − 2α|ᵏ |θ₀| ≤ 1e-8, and for α > 1 diverges when its larger
/// coordinate, 4|1 − 2α|ᵏ, passes 1e6.
#[test]
fn gd_phase_diagram_on_the_bowl_follows_the_iteration() {
    let sweep = phase(
        "v=1&surface=bowl&start=3,4&steps=2000&gtol=1e-8&opt=gd",
        "lr=0.05..1.2:24",
        "noise=0..0:1",
    );
    let cells = sweep.run(2, &|_| {}).expect("cells");
    for c in &cells {
        let a = c.at[0];
        let q = (1.0 - 2.0 * a).abs();
        if q < 1.0 {
            // 2 qᵏ · 5 ≤ 1e-8; the iterate's rounding can move the boundary by one step.
            let k = ((1e-8f64 / 10.0).ln() / q.ln()).ceil() as u64;
            assert!(
                matches!(c.status, Status::Converged { .. }),
                "α = {a}: {:?}",
                c.status
            );
            assert!(
                c.steps.abs_diff(k) <= 1,
                "α = {a}: {} steps, the iteration says {k}",
                c.steps
            );
        } else if q > 1.0 {
            // 4 qᵏ > 1e6 first at k = ⌊ln(2.5e5)/ln q⌋ + 1.
            let k = ((2.5e5f64).ln() / q.ln()).floor() as u64 + 1;
            assert!(
                matches!(c.status, Status::Diverged { .. }),
                "α = {a}: {:?}",
                c.status
            );
            assert!(
                c.steps.abs_diff(k) <= 1,
                "α = {a}: diverged at {}, the iteration says {k}",
                c.steps
            );
        }
    }
}

#[test]
fn himmelblau_basins_reach_its_four_minima() {
    let sweep = Sweep::new(
        scenario("v=1&surface=himmelblau&steps=2000&opt=gd:lr=0.01"),
        0,
        Grid::Basins {
            view: [-5.0, 5.0, -5.0, 5.0],
            nx: 12,
            ny: 12,
        },
    )
    .expect("basins");
    let cells = sweep.run(2, &|_| {}).expect("cells");
    let csv = sweep.csv(&cells);
    let ends: std::collections::BTreeSet<&str> = csv
        .lines()
        .skip(1)
        .filter_map(|l| l.split(',').nth(6))
        .filter(|e| e.starts_with("minimum"))
        .collect();
    assert_eq!(ends.len(), 4, "the four minima: {ends:?}");
}

#[test]
fn bad_sweeps_say_what_is_wrong() {
    let s = scenario("v=1&surface=bowl&opt=momentum");
    let err = |x: &str, y: &str| {
        let grid = Grid::Phase {
            x: Axis::parse(x).expect("x"),
            y: Axis::parse(y).expect("y"),
        };
        Sweep::new(s.clone(), 0, grid).err().unwrap_or_default()
    };
    assert!(
        err("lr=0.1..1", "gamma=0.5..1.5").contains("gamma"),
        "γ ≥ 1 is refused"
    );
    assert!(err("lr=0.1..1", "lr=0.1..1").contains("both axes"));
    assert!(err("lr=0.1..1", "beta=0..1").contains("does not apply"));
    for bad in ["lr", "lr=1..0.1", "lr=0..1:log", "lr=a..1", "lr=0..1:500"] {
        assert!(Axis::parse(bad).is_err(), "{bad}");
    }
    let three_d = Sweep::new(
        scenario("v=1&surface=svm&opt=gd"),
        0,
        Grid::Basins {
            view: [-1.0, 1.0, -1.0, 1.0],
            nx: 4,
            ny: 4,
        },
    );
    assert!(three_d.is_err(), "basins need two parameters");
}

#[test]
fn a_sweep_spec_reads_back_what_it_writes() {
    use gradscape::core::sweep_spec::SweepSpec;
    for text in [
        "phase,opt=2,x=lr:0.0001..1:log:64,y=gamma:0..0.99:lin:32,by=loss",
        "phase,x=k:0..0.1,y=lr=0.01..1:log",
        "basins,opt=1,grid=48",
        "basins,grid=32x16",
    ] {
        let spec = SweepSpec::parse(text).unwrap_or_else(|e| panic!("{text}: {e}"));
        let again = SweepSpec::parse(&spec.to_string()).expect("its own text");
        assert_eq!(spec, again, "{text} → {spec}");
    }
    for (bad, says) in [
        ("phase,opt=1,x=lr:0..1", "needs x= and y="),
        ("spiral,opt=1", "not phase or basins"),
        ("basins,grid=0", "1 to 128"),
        ("phase,x=lr:1..0,y=gamma:0..1", "below"),
        (
            "phase,x=lr:0..1,y=gamma:0..1,by=speed",
            "steps, loss or diverged",
        ),
        ("basins,x=lr:0..1", "not part of a basins sweep"),
    ] {
        let e = SweepSpec::parse(bad).err().unwrap_or_default();
        assert!(e.contains(says), "{bad}: {e}");
    }
}

/// A small deterministic generator for the random sweeps below (SplitMix64).
struct Pick(u64);

impl Pick {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn of<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[(self.next() % items.len() as u64) as usize]
    }
}

/// `run_range` (the batched kernel for the cells it takes, [`LANES`] at a time with lanes
/// refilled as runs end) gives every cell exactly [`Sweep::run_cell`]'s numbers: the run loop
/// of the cell's own scenario. Random sweeps of every rule over analytic, custom and data-set
/// surfaces, with schedules (the loss-rise decay too), warm-up, Adam without correction,
/// tolerances, diverging cells, basin maps, and grids whose size is not a multiple of the
/// lanes; each cell compared bit for bit.
#[test]
fn batched_cells_equal_the_run_loop_bit_for_bit() {
    use gradscape::core::lanes::LANES;
    let surfaces = [
        "rosenbrock",
        "beale",
        "himmelblau",
        "ellipse:kappa=50",
        "cliff",
        "saddle",
        "plateau",
        "minima",
        "bowl",
        "neuron",
        "linreg:n=20",
        "custom:f=sin(x)*cos(y)+0.1*x^2+abs(y)",
    ];
    let rules: [(&str, &[&str]); 6] = [
        ("gd", &["lr=0.001..3:log", "noise=0..0.5"]),
        (
            "momentum",
            &[
                "lr=0.0005..2:log",
                "gamma=0..0.99",
                "warmup=0..30",
                "noise=0..0.5",
            ],
        ),
        (
            "nesterov",
            &["lr=0.0005..2:log", "gamma=0..0.99", "warmup=0..30"],
        ),
        ("adagrad", &["lr=0.01..3:log", "delta=1e-8..0.1:log"]),
        (
            "rmsprop",
            &["lr=0.001..1:log", "rho=0..0.999", "delta=1e-8..0.1:log"],
        ),
        (
            "adam",
            &["lr=0.001..2:log", "rho1=0..0.99", "rho2=0.5..0.9999"],
        ),
    ];
    let extras = [
        "",
        ",schedule=exp,k=0.02",
        ",schedule=inv,k=0.1",
        ",schedule=step,every=25,factor=0.7",
        ",schedule=step,on_increase=true,factor=0.5",
        ",warmup=10,gamma0=0.3",
        ",bias_correction=false",
    ];
    let stops = [
        "steps=120&gtol=0",
        "steps=200",
        "steps=150&gtol=1e-3",
        "steps=300&ltol=1e-6",
        "steps=0",
        "steps=1",
    ];
    let mut pick = Pick(7);
    let mut cells = 0;
    for case in 0..90 {
        let surface = pick.of(&surfaces);
        let (rule, axes) = rules[case % rules.len()];
        let mut extra = pick.of(&extras);
        if (extra.contains("warmup") && !rule.contains("momentum") && rule != "nesterov")
            || (extra.contains("bias") && rule != "adam")
        {
            extra = "";
        }
        let stop = pick.of(&stops);
        let text = format!("v=1&surface={surface}&{stop}&opt={rule}:lr=0.01{extra}");
        let base = scenario(&text);
        let (nx, ny) = (
            1 + (pick.next() % 6) as usize,
            1 + (pick.next() % 5) as usize,
        );
        let sweep = if case % 5 == 4 {
            Sweep::basins(base, 0, nx, ny).expect("basins")
        } else {
            let x = axes[(pick.next() % axes.len() as u64) as usize];
            let y = axes
                .iter()
                .copied()
                .find(|a| a.split('=').next() != x.split('=').next())
                .unwrap_or("lr=0.001..1:log");
            let grid = Grid::Phase {
                x: Axis::parse(&format!("{x}:{nx}")).expect("x"),
                y: Axis::parse(&format!("{y}:{ny}")).expect("y"),
            };
            match Sweep::new(base, 0, grid) {
                Ok(s) => s,
                Err(e) => panic!("{text}: {e}"),
            }
        };
        let got = sweep.run_range(0, nx * ny);
        assert_eq!(got.len(), nx * ny);
        for (i, c) in got.iter().enumerate() {
            let c = c.as_ref().expect("batched cell");
            let want = sweep.run_cell(i % nx, i / nx).expect("cell");
            let at = format!("{text}, cell {i} of {nx}x{ny}");
            assert_eq!(c.status, want.status, "{at}");
            assert_eq!(c.steps, want.steps, "{at}");
            assert_eq!(c.loss.to_bits(), want.loss.to_bits(), "{at}");
            assert_eq!(c.grad_norm.to_bits(), want.grad_norm.to_bits(), "{at}");
            let bits = |v: &[f64]| v.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
            assert_eq!(bits(&c.theta), bits(&want.theta), "{at}");
            assert_eq!(c.end, want.end, "{at}");
            cells += 1;
        }
    }
    assert!(cells > 10 * LANES, "{cells} cells compared");
}

/// The workers' warm-up runs real sweeps (every rule's kernel and the run loop), so a change
/// that makes one of them invalid shows here rather than as a silently skipped warm-up.
#[test]
fn the_warm_up_sweeps_are_valid() {
    let sweeps = Sweep::warm_ups().expect("warm-up sweeps");
    assert_eq!(sweeps.len(), 6, "one per rule");
    for sweep in &sweeps {
        let cells = sweep.run_range(0, 8);
        assert!(
            cells.iter().all(Result::is_ok),
            "{:?}",
            sweep.base.optimizers
        );
    }
}

/// The page's workers send a status as a number; its word in the page's CSV is the CLI's.
#[test]
fn a_status_code_reads_back_as_its_word() {
    use gradscape::core::geometry::PointKind;
    use gradscape::core::run::DivergeReason;
    use gradscape::core::sweep::{code_word, status_code, status_word};
    for s in [
        Status::Running,
        Status::Converged { step: 3 },
        Status::Stopped { step: 9 },
        Status::AtCritical {
            step: 4,
            kind: PointKind::Saddle,
        },
        Status::AtCritical {
            step: 4,
            kind: PointKind::Maximum,
        },
        Status::Diverged {
            step: 2,
            reason: DivergeReason::OutOfBounds,
        },
    ] {
        assert_eq!(code_word(status_code(&s)), status_word(&s), "{s:?}");
    }
    assert_eq!(code_word(f64::NAN), "", "a cell not run yet has no word");
}
