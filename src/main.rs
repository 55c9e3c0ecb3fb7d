//! The `gradscape` command line: run a scenario headless and print its trajectories, or list
//! what the playground knows.

use std::io::{self, Write};
use std::process::ExitCode;

use gradscape::core::code::{self, Lang};
use gradscape::core::dataset::Dataset;
use gradscape::core::scenario::{Scenario, ScenarioError, MAX_FILE_LEN, MAX_STEPS};
use gradscape::core::sweep::{Axis, Grid, Sweep};
use gradscape::core::sweep_spec::parse_grid;
use gradscape::core::{catalog, export};

const USAGE: &str = "\
usage:
  gradscape run [--steps N] [--format csv|json] [--data FILE] 'SCENARIO'
  gradscape code --lang numpy|pytorch [--steps N] [--data FILE] 'SCENARIO'
  gradscape sweep --x KEY=LO..HI[:log][:CELLS] --y KEY=LO..HI[:log][:CELLS] [--opt N] [--threads N] [--steps N] [--data FILE] 'SCENARIO'
  gradscape basins [--grid NXxNY] [--opt N] [--threads N] [--steps N] [--data FILE] 'SCENARIO'
  gradscape list [--format text|json]
  gradscape help

SCENARIO is the playground's scenario text (the query string of a share link), e.g.
  'v=1&surface=rosenbrock&start=-1.5,2&steps=500&opt=gd:lr=0.001&opt=adam:lr=0.05'
`run` prints one row per optimizer per step (step 0 is the start point):
  CSV header opt,step,loss,lr,grad_norm,p0,p1,...
--data FILE: a data-set surface's own rows, CSV with columns x,y (x1,x2,class for svm),
  in place of its generated examples (at most 2000 rows; a header line is skipped).
`code` prints a self-contained Python script (NumPy or PyTorch) that runs the same
  optimizers and prints the same CSV as `run`.
`sweep` runs optimizer N (1 unless given) alone over a grid of two of its parameters (a phase
  diagram, e.g. --x lr=1e-4..1:log:64 --y gamma=0..0.99:32); `basins` over a grid of start
  points across the view (64x64 unless given). Both print one CSV row per cell (how its run
  ended) and use every core unless --threads is given.";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("run") => run(&args[1..]),
        Some("code") => code(&args[1..]),
        Some("sweep") => sweep(&args[1..], false),
        Some("basins") => sweep(&args[1..], true),
        Some("list") => list(&args[1..]),
        Some("help" | "--help" | "-h") | None => {
            println!("{USAGE}");
            Ok(())
        }
        Some(other) => Err(format!(
            "unknown command `{other}`; commands are run, code, sweep, basins, list, help"
        )),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(msg) => {
            eprintln!("gradscape: {msg}");
            ExitCode::from(2)
        }
    }
}

/// Streams the exporters' text (`fmt::Write`) to an `io::Write`, keeping the first I/O error.
struct IoFmt<W: Write> {
    inner: W,
    error: Option<io::Error>,
}

impl<W: Write> std::fmt::Write for IoFmt<W> {
    fn write_str(&mut self, s: &str) -> std::fmt::Result {
        self.inner.write_all(s.as_bytes()).map_err(|e| {
            self.error.get_or_insert(e);
            std::fmt::Error
        })
    }
}

#[derive(Clone, Copy, PartialEq)]
enum Format {
    Csv,
    Json,
}

/// What `run`, `code`, `sweep` and `basins` were given.
struct Args<'a> {
    scenario: Scenario,
    format: Format,
    lang: Option<&'a str>,
    /// `sweep`: the two axes.
    x: Option<Axis>,
    y: Option<Axis>,
    /// `basins`: the grid.
    grid: Option<(usize, usize)>,
    /// `sweep`, `basins`: the optimizer's place (1 for the first) and the threads.
    opt: usize,
    threads: Option<usize>,
}

/// The scenario and options of a command: `--steps`, `--data` and the scenario text for
/// every one, `--format` for `run`, `--lang` for `code`, `--x`, `--y` for `sweep`, `--grid`
/// for `basins`, `--opt` and `--threads` for both.
fn parse_args<'a>(args: &'a [String], command: &str) -> Result<Args<'a>, String> {
    let mut steps: Option<u64> = None;
    let mut format = Format::Csv;
    let mut lang: Option<&str> = None;
    let mut text: Option<&str> = None;
    let mut data: Option<&str> = None;
    let (mut x, mut y, mut grid, mut opt, mut threads) = (None, None, None, 1, None);
    let sweeps = matches!(command, "sweep" | "basins");
    let mut i = 0;
    while i < args.len() {
        let value = || args.get(i + 1).map_or("", String::as_str);
        match args[i].as_str() {
            "--x" if command == "sweep" => {
                x = Some(Axis::parse(value())?);
                i += 2;
            }
            "--y" if command == "sweep" => {
                y = Some(Axis::parse(value())?);
                i += 2;
            }
            "--grid" if command == "basins" => {
                grid = Some(parse_grid(value()).map_err(|e| format!("--{e}"))?);
                i += 2;
            }
            "--opt" if sweeps => {
                let v = value();
                opt =
                    v.parse::<usize>().ok().filter(|&n| n >= 1).ok_or_else(|| {
                        format!("--opt `{v}`: an optimizer's place, 1 for the first")
                    })?;
                i += 2;
            }
            "--threads" if sweeps => {
                let v = value();
                threads = Some(
                    v.parse::<usize>()
                        .ok()
                        .filter(|&n| (1..=256).contains(&n))
                        .ok_or_else(|| format!("--threads `{v}`: a whole number in [1, 256]"))?,
                );
                i += 2;
            }
            "--steps" => {
                let v = args.get(i + 1).ok_or("--steps needs a number")?;
                let n: u64 = v.parse().map_err(|_| {
                    format!("--steps `{v}`: must be a whole number in [0, {MAX_STEPS}]")
                })?;
                if n > MAX_STEPS {
                    return Err(format!(
                        "--steps `{v}`: must be a whole number in [0, {MAX_STEPS}]"
                    ));
                }
                steps = Some(n);
                i += 2;
            }
            "--format" if command == "run" => {
                format = match args.get(i + 1).map(String::as_str) {
                    Some("csv") => Format::Csv,
                    Some("json") => Format::Json,
                    other => {
                        return Err(format!(
                            "--format `{}`: must be csv or json",
                            other.unwrap_or("")
                        ))
                    }
                };
                i += 2;
            }
            "--lang" if command == "code" => {
                lang = Some(args.get(i + 1).map_or("", String::as_str));
                i += 2;
            }
            "--data" => {
                data = Some(args.get(i + 1).ok_or("--data needs a CSV file")?);
                i += 2;
            }
            a if a.starts_with("--") => return Err(format!("unknown option `{a}`\n{USAGE}")),
            a => {
                if text.is_some() {
                    return Err("give exactly one scenario (quote it: it contains &)".into());
                }
                text = Some(a);
                i += 1;
            }
        }
    }
    let text = text.ok_or_else(|| format!("missing scenario\n{USAGE}"))?;
    let mut scenario = load(text, data)?;
    if let Some(n) = steps {
        scenario.stopping.max_steps = n;
        scenario
            .check_work()
            .map_err(|e| format!("--steps `{n}`: {}", e.message))?;
    }
    Ok(Args {
        scenario,
        format,
        lang,
        x,
        y,
        grid,
        opt,
        threads,
    })
}

/// The scenario of `text`, with the rows of CSV file `data` if given.
fn load(text: &str, data: Option<&str>) -> Result<Scenario, String> {
    let bad = |e: ScenarioError| format!("bad scenario: {e}");
    Ok(match data {
        None => Scenario::parse_within(text, MAX_FILE_LEN).map_err(bad)?,
        Some(file) => {
            // The surface decides the columns; the rows then decide N, which batch sizes and
            // the work bound are checked against, so the text is decoded strictly with them.
            let (probe, _) = Scenario::decode_within(text, MAX_FILE_LEN);
            if probe.data.is_some() {
                return Err("give the rows once: data= in the scenario or --data, not both".into());
            }
            let columns = match probe.data_columns(file) {
                Ok(c) => c,
                Err(e) => {
                    return Err(bad(Scenario::parse_within(text, MAX_FILE_LEN)
                        .err()
                        .unwrap_or(e)))
                }
            };
            let csv = std::fs::read_to_string(file).map_err(|e| format!("--data {file}: {e}"))?;
            let rows = Dataset::from_csv(&csv, columns).map_err(|e| format!("{file}: {e}"))?;
            Scenario::parse_within(&format!("{text}&data={}", rows.encode()), MAX_FILE_LEN)
                .map_err(bad)?
        }
    })
}

fn code(args: &[String]) -> Result<(), String> {
    let a = parse_args(args, "code")?;
    let lang = match a.lang {
        None => return Err(format!("code needs --lang {}", Lang::NAMES)),
        Some(name) => Lang::from_name(name)
            .ok_or_else(|| format!("--lang `{name}`: must be {}", Lang::NAMES))?,
    };
    let mut out = io::stdout().lock();
    match out.write_all(code::script(&a.scenario, lang).as_bytes()) {
        Err(e) if e.kind() != io::ErrorKind::BrokenPipe => Err(format!("writing output: {e}")),
        _ => Ok(()),
    }
}

/// `sweep` (a phase diagram) and `basins` (a basin map).
fn sweep(args: &[String], basins: bool) -> Result<(), String> {
    let a = parse_args(args, if basins { "basins" } else { "sweep" })?;
    let opt = a.opt - 1;
    let sweep = if basins {
        let (nx, ny) = a.grid.unwrap_or((64, 64));
        Sweep::basins(a.scenario, opt, nx, ny)?
    } else {
        match (a.x, a.y) {
            (Some(x), Some(y)) => Sweep::new(a.scenario, opt, Grid::Phase { x, y })?,
            _ => {
                return Err(
                    "sweep needs --x and --y, e.g. --x lr=1e-4..1:log:64 --y gamma=0..0.99".into(),
                )
            }
        }
    };
    let threads = a
        .threads
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()));
    let (nx, ny) = sweep.size();
    let started = std::time::Instant::now();
    let cells = sweep.run(threads, &|_| {})?;
    let seconds = started.elapsed().as_secs_f64();
    let updates: u64 = cells.iter().map(|c| c.steps).sum();
    eprintln!(
        "gradscape: {nx}×{ny} cells, {updates} updates in {seconds:.2} s on {threads} thread(s): {:.3e} updates/s, {:.3e} per thread",
        updates as f64 / seconds,
        updates as f64 / seconds / threads as f64
    );
    let mut out = io::stdout().lock();
    match out.write_all(sweep.csv(&cells).as_bytes()) {
        Err(e) if e.kind() != io::ErrorKind::BrokenPipe => Err(format!("writing output: {e}")),
        _ => Ok(()),
    }
}

fn run(args: &[String]) -> Result<(), String> {
    let Args {
        scenario, format, ..
    } = parse_args(args, "run")?;
    let mut run = scenario.build_run();
    let stdout = io::stdout();
    let mut out = IoFmt {
        inner: io::BufWriter::new(stdout.lock()),
        error: None,
    };
    let written = match format {
        Format::Csv => export::write_csv(&mut out, &mut run),
        Format::Json => export::write_json(&mut out, &mut run, &scenario),
    };
    let result = match (written, out.error.take()) {
        (Ok(()), None) => out.inner.flush(),
        (_, Some(e)) => Err(e),
        (Err(_), None) => Err(io::Error::other("formatting failed")),
    };
    result.or_else(|e| {
        // A closed pipe (e.g. `| head`) is not an error of the scenario.
        if e.kind() == io::ErrorKind::BrokenPipe {
            Ok(())
        } else {
            Err(format!("writing output: {e}"))
        }
    })
}

fn list(args: &[String]) -> Result<(), String> {
    match args {
        [] => print!("{}", catalog::list_text()),
        [f, v] if f == "--format" && v == "json" => {
            let json = serde_json::to_string_pretty(&catalog::Catalog::new())
                .map_err(|e| format!("writing the catalog: {e}"))?;
            println!("{json}");
        }
        [f, v] if f == "--format" && v == "text" => print!("{}", catalog::list_text()),
        _ => return Err(format!("list takes [--format text|json]\n{USAGE}")),
    }
    Ok(())
}
