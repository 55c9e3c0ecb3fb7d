//! The text of a sweep: its axes (`KEY=LO..HI[:log][:CELLS]`) and the `sweep=` key that
//! carries a phase diagram or a basin map in a link. Read by the decoder of every scenario,
//! so it is in the page's own module; the sweep itself ([`crate::core::sweep`]) is not.

use crate::core::math;

/// Most cells along an axis.
pub const MAX_CELLS: usize = 128;

/// How an axis spaces its values.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scale {
    Linear,
    Log,
}

/// One axis of a phase diagram: an optimizer parameter from `lo` to `hi` in `cells` values.
#[derive(Debug, Clone, PartialEq)]
pub struct Axis {
    pub key: String,
    pub lo: f64,
    pub hi: f64,
    pub cells: usize,
    pub scale: Scale,
}

impl Axis {
    /// `KEY=LO..HI[:log|:lin][:CELLS]`, e.g. `lr=1e-4..1:log:64` (32 cells unless given);
    /// `KEY:LO..HI…` the same (the form inside a `sweep=` key).
    pub fn parse(spec: &str) -> Result<Axis, String> {
        let form = "KEY=LO..HI[:log|:lin][:CELLS], e.g. lr=1e-4..1:log:64";
        let bad = |why: &str| format!("axis `{spec}`: {why}; the form is {form}");
        let (key, rest) = spec
            .split_once('=')
            .or_else(|| spec.split_once(':'))
            .ok_or_else(|| bad("no `=`"))?;
        let mut parts = rest.split(':');
        let range = parts.next().unwrap_or_default();
        let (lo, hi) = range.split_once("..").ok_or_else(|| bad("no `LO..HI`"))?;
        let num = |t: &str| {
            crate::core::decimal::parse_f64(t.trim())
                .filter(|v| v.is_finite())
                .ok_or_else(|| bad(&format!("`{t}` is not a number")))
        };
        let (lo, hi) = (num(lo)?, num(hi)?);
        let (mut scale, mut cells) = (Scale::Linear, 32);
        for p in parts {
            match p.trim() {
                "log" => scale = Scale::Log,
                "lin" => scale = Scale::Linear,
                n => {
                    cells = n
                        .parse::<usize>()
                        .ok()
                        .filter(|c| (1..=MAX_CELLS).contains(c))
                        .ok_or_else(|| {
                            bad(&format!(
                                "`{n}` is not log, lin or a count in 1..={MAX_CELLS}"
                            ))
                        })?
                }
            }
        }
        if lo >= hi && cells > 1 {
            return Err(bad("LO must be below HI"));
        }
        if scale == Scale::Log && lo <= 0.0 {
            return Err(bad("a log axis needs LO > 0"));
        }
        let key = key.trim();
        if key.is_empty() || !key.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
            return Err(bad("the key is not a parameter name"));
        }
        Ok(Axis {
            key: key.to_string(),
            lo,
            hi,
            cells,
            scale,
        })
    }

    /// The value of cell `i` (0 at `lo`, the last at `hi`).
    pub fn value(&self, i: usize) -> f64 {
        if self.cells <= 1 {
            return self.lo;
        }
        let f = i as f64 / (self.cells - 1) as f64;
        match self.scale {
            Scale::Linear => self.lo + (self.hi - self.lo) * f,
            Scale::Log => self.lo * math::pow(self.hi / self.lo, f),
        }
    }
}

/// What a link's `sweep=` asks the page to run: `phase,opt=N,x=AXIS,y=AXIS[,by=MEASURE]` with
/// AXIS as `KEY:LO..HI[:log][:CELLS]`, or `basins,opt=N[,grid=CELLS|NXxNY]`.
#[derive(Debug, Clone, PartialEq)]
pub enum SweepSpec {
    Phase {
        opt: usize,
        x: Axis,
        y: Axis,
        /// What the colours show: steps, loss or diverged.
        by: &'static str,
    },
    Basins {
        opt: usize,
        nx: usize,
        ny: usize,
    },
}

/// What the colours of a phase diagram can show.
pub const MEASURES: [&str; 3] = ["steps", "loss", "diverged"];

/// The form of `sweep=`, for messages and help.
pub const SWEEP_FORM: &str = "phase,opt=N,x=KEY:LO..HI[:log][:CELLS],y=KEY:LO..HI[:log][:CELLS][,by=steps|loss|diverged], or basins,opt=N[,grid=CELLS or NXxNY]";

impl SweepSpec {
    /// Read a `sweep=` value; an error says what is wrong and the form.
    pub fn parse(text: &str) -> Result<SweepSpec, String> {
        let mut parts = text.split(',').map(str::trim);
        let kind = parts.next().unwrap_or_default();
        let (mut opt, mut x, mut y, mut by, mut grid) = (1usize, None, None, "steps", (64, 64));
        for part in parts {
            let (k, v) = part
                .split_once('=')
                .ok_or_else(|| format!("`{part}` is not KEY=VALUE; the form is {SWEEP_FORM}"))?;
            match (kind, k.trim()) {
                (_, "opt") => {
                    opt = v
                        .trim()
                        .parse::<usize>()
                        .ok()
                        .filter(|&n| (1..=16).contains(&n))
                        .ok_or_else(|| format!("opt `{v}`: an optimizer's place, 1 to 16"))?;
                }
                ("phase", "x") => x = Some(Axis::parse(v)?),
                ("phase", "y") => y = Some(Axis::parse(v)?),
                ("phase", "by") => {
                    by = MEASURES
                        .into_iter()
                        .find(|m| *m == v.trim())
                        .ok_or_else(|| format!("by `{v}`: one of steps, loss or diverged"))?;
                }
                ("basins", "grid") => grid = parse_grid(v)?,
                (_, other) => {
                    return Err(format!(
                        "`{other}` is not part of a {kind} sweep; the form is {SWEEP_FORM}"
                    ))
                }
            }
        }
        match kind {
            "phase" => match (x, y) {
                (Some(x), Some(y)) => Ok(SweepSpec::Phase {
                    opt: opt - 1,
                    x,
                    y,
                    by,
                }),
                _ => Err(format!(
                    "a phase diagram needs x= and y=; the form is {SWEEP_FORM}"
                )),
            },
            "basins" => Ok(SweepSpec::Basins {
                opt: opt - 1,
                nx: grid.0,
                ny: grid.1,
            }),
            _ => Err(format!(
                "`{kind}` is not phase or basins; the form is {SWEEP_FORM}"
            )),
        }
    }
}

impl std::fmt::Display for Axis {
    /// `KEY:LO..HI:log|lin:CELLS`, the axis as `sweep=` writes it.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let scale = match self.scale {
            Scale::Log => "log",
            Scale::Linear => "lin",
        };
        write!(
            f,
            "{}:{}..{}:{scale}:{}",
            self.key, self.lo, self.hi, self.cells
        )
    }
}

impl std::fmt::Display for SweepSpec {
    /// The `sweep=` value: what [`SweepSpec::parse`] reads back.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SweepSpec::Phase { opt, x, y, by } => {
                write!(f, "phase,opt={},x={x},y={y},by={by}", opt + 1)
            }
            SweepSpec::Basins { opt, nx, ny } if nx == ny => {
                write!(f, "basins,opt={},grid={nx}", opt + 1)
            }
            SweepSpec::Basins { opt, nx, ny } => write!(f, "basins,opt={},grid={nx}x{ny}", opt + 1),
        }
    }
}

/// A basin map's grid, `CELLS` or `NXxNY` (1 to [`MAX_CELLS`] a side): the `grid=` of
/// `sweep=` and the CLI's `--grid`.
pub fn parse_grid(v: &str) -> Result<(usize, usize), String> {
    let n = |t: &str| {
        t.trim()
            .parse::<usize>()
            .ok()
            .filter(|c| (1..=MAX_CELLS).contains(c))
    };
    match v.split_once(['x', '×']) {
        Some((a, b)) => n(a).zip(n(b)),
        None => n(v).map(|c| (c, c)),
    }
    .ok_or_else(|| format!("grid `{v}`: CELLS or NXxNY, 1 to {MAX_CELLS} a side"))
}

/// The check of the `sweep=` row.
pub fn check(text: &str) -> Result<(), String> {
    SweepSpec::parse(text).map(|_| ())
}
