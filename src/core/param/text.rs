//! Reading and writing a row's values as scenario text: the checks against its domain, the
//! messages that name what is allowed, and the shortest exact form of every number.

use super::{Choice, Ctx, Domain, Param, Value};
use crate::core::decimal::parse_f64;
use crate::core::join;
use crate::core::numtext::Exp;
use crate::core::scenario::{err, ScenarioError};

impl Param {
    /// "a number in (0, 10000]" style description of what is allowed.
    pub fn range_text(&self) -> String {
        match self.domain {
            Domain::Real {
                lo,
                lo_open,
                hi,
                hi_open,
                integer,
            } => format!(
                "{} in {}{}, {}{}",
                if integer {
                    "a whole number"
                } else {
                    "a number"
                },
                if lo_open { "(" } else { "[" },
                fmt_num(lo),
                fmt_num(hi),
                if hi_open { ")" } else { "]" }
            ),
            Domain::Digits { lo, hi } => format!("a whole number in [{lo}, {hi}]"),
            Domain::Bool { .. } => "true or false".into(),
            Domain::Choice(c) => format!("one of {}", names_or(c)),
            Domain::Set(c) => format!("a comma-separated list of {}", names_or(c)),
            Domain::Text { max } => format!("plain text, at most {max} characters"),
            Domain::Checked { allowed, .. } => allowed.into(),
            Domain::Point => "one number per parameter, within ±1e6".into(),
            Domain::ViewBox => "x_min,x_max,y_min,y_max within ±1e6, min < max".into(),
            Domain::Batch => "a whole number in [1, N] of the data set".into(),
            Domain::Structural => String::new(),
        }
    }

    /// The default as it would be written in the text ("" when absent).
    pub fn default_text(&self) -> String {
        self.format(&self.default_value())
    }

    /// Decode the text of this key (`what` names it in messages, e.g. `opt 2 (adam): rho1`).
    pub fn parse(&self, what: &str, text: &str, ctx: &Ctx) -> Result<Value, ScenarioError> {
        match self.domain {
            Domain::Real {
                lo,
                lo_open,
                hi,
                hi_open,
                integer,
            } => {
                let x = parse_number(what, text)?;
                let ok_lo = if lo_open { x > lo } else { x >= lo };
                let ok_hi = if hi_open { x < hi } else { x <= hi };
                if !(ok_lo && ok_hi) || (integer && x.fract() != 0.0) {
                    return Err(err(what, text, format!("must be {}", self.range_text())));
                }
                Ok(Value::Num(x))
            }
            Domain::Digits { lo, hi } => {
                let t = text.trim();
                let bad = || err(what, text, format!("must be {}", self.range_text()));
                if t.is_empty() || t.len() > 20 || !t.bytes().all(|b| b.is_ascii_digit()) {
                    return Err(bad());
                }
                match t.parse::<u64>() {
                    Ok(x) if (lo..=hi).contains(&x) => Ok(Value::Num(x as f64)),
                    _ => Err(bad()),
                }
            }
            Domain::Bool { .. } => match text.trim() {
                "true" | "1" => Ok(Value::Bool(true)),
                "false" | "0" => Ok(Value::Bool(false)),
                _ => Err(err(what, text, "must be true or false")),
            },
            Domain::Choice(list) => list
                .iter()
                .find(|c| c.name == text.trim())
                .map(|c| Value::Name(c.name))
                .ok_or_else(|| {
                    err(
                        what,
                        text,
                        format!("unknown {}; choose {}", self.key, names_or(list)),
                    )
                }),
            Domain::Set(list) => parse_set(what, text, list),
            // Plain text, and text with a grammar of its own, checked once it is plain.
            Domain::Text { max } | Domain::Checked { max, .. } => {
                let t = text.trim();
                if t.chars().count() > max {
                    return Err(err(
                        what,
                        text,
                        format!("is too long; at most {max} characters"),
                    ));
                }
                if t.chars().any(|c| c.is_control()) {
                    return Err(err(what, text, "must not contain control characters"));
                }
                if t.is_empty() {
                    return Ok(Value::Absent);
                }
                if let Domain::Checked { check, .. } = self.domain {
                    check(t).map_err(|m| err(what, text, m))?;
                }
                Ok(Value::Text(t.to_string()))
            }
            Domain::Point => parse_point(what, text, ctx),
            Domain::ViewBox => parse_view(what, text),
            Domain::Batch => {
                if ctx.examples == 0 {
                    return Err(err(
                        what,
                        text,
                        "mini-batches need a data-set surface (neuron, sparse, linreg, deeplinear, svm); on analytic surfaces use noise=σ",
                    ));
                }
                let x = parse_number(what, text)?;
                if !(1.0..=ctx.examples as f64).contains(&x) || x.fract() != 0.0 {
                    return Err(err(
                        what,
                        text,
                        format!(
                            "must be a whole number in [1, {}] (N of this data set)",
                            ctx.examples
                        ),
                    ));
                }
                Ok(Value::Num(x))
            }
            Domain::Structural => Err(err(what, text, "is not a plain value")),
        }
    }

    /// The value as written in scenario text.
    pub fn format(&self, v: &Value) -> String {
        match v {
            Value::Absent => String::new(),
            Value::Num(x) if self.integer() && x.fract() == 0.0 && x.abs() < 1e18 => {
                // An integral f64 prints as the integer (+ 0.0 makes −0 plain 0).
                (*x + 0.0).to_string()
            }
            Value::Num(x) => fmt_num(*x),
            Value::Bool(b) => match (self.domain, b) {
                (Domain::Bool { digits: true }, true) => "1".into(),
                (Domain::Bool { digits: true }, false) => "0".into(),
                (_, b) => b.to_string(),
            },
            Value::Name(n) => n.to_string(),
            Value::Names(ns) => join(ns, ","),
            Value::Text(t) => crate::core::scenario::percent_encode(t),
            Value::Nums(xs) => join_nums(xs),
        }
    }
}

/// `a, b, c or d`.
pub fn names_or(list: &[Choice]) -> String {
    let names: Vec<&str> = list.iter().map(|c| c.name).collect();
    match names.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} or {last}", join(rest, ", ")),
        _ => join(&names, ""),
    }
}

fn parse_set(what: &str, text: &str, list: &'static [Choice]) -> Result<Value, ScenarioError> {
    let all: Vec<&str> = list.iter().map(|c| c.name).collect();
    let mut out: Vec<&'static str> = Vec::new();
    for item in text.split(',').map(str::trim).filter(|s| !s.is_empty()) {
        match list.iter().find(|c| c.name == item) {
            Some(c) if !out.contains(&c.name) => out.push(c.name),
            Some(_) => {}
            None => {
                return Err(err(
                    what,
                    text,
                    format!("unknown `{item}`; choose from {}", join(&all, ", ")),
                ))
            }
        }
    }
    if out.is_empty() {
        return Err(err(
            what,
            text,
            format!("name at least one of {}", join(&all, ", ")),
        ));
    }
    Ok(Value::Names(out))
}

/// Largest |coordinate| of a start point or a view.
pub const MAX_COORD: f64 = 1e6;

fn parse_point(what: &str, text: &str, ctx: &Ctx) -> Result<Value, ScenarioError> {
    let parts: Vec<&str> = text.split(',').collect();
    if parts.len() != ctx.dim {
        return Err(err(
            what,
            text,
            format!(
                "needs {} comma-separated numbers for surface {}, got {}",
                ctx.dim,
                ctx.surface,
                parts.len()
            ),
        ));
    }
    parts
        .iter()
        .map(|p| {
            let x = parse_number(what, p).map_err(|e| err(what, text, e.message))?;
            if x.abs() > MAX_COORD {
                Err(err(
                    what,
                    text,
                    format!("coordinates must lie in [-{0}, {0}]", Exp(MAX_COORD)),
                ))
            } else {
                Ok(x)
            }
        })
        .collect::<Result<Vec<f64>, _>>()
        .map(Value::Nums)
}

fn parse_view(what: &str, text: &str) -> Result<Value, ScenarioError> {
    let parts: Vec<&str> = text.split(',').collect();
    let bad = || {
        err(
            what,
            text,
            "needs x_min,x_max,y_min,y_max: finite numbers within ±1e6 with min < max",
        )
    };
    if parts.len() != 4 {
        return Err(bad());
    }
    let mut v = Vec::with_capacity(4);
    for p in &parts {
        let x = parse_number(what, p).map_err(|_| bad())?;
        if x.abs() > MAX_COORD {
            return Err(bad());
        }
        v.push(x);
    }
    if v[1] - v[0] <= 1e-9 || v[3] - v[2] <= 1e-9 {
        return Err(bad());
    }
    Ok(Value::Nums(v))
}

/// A finite number, or an error naming the key.
pub fn parse_number(key: &str, text: &str) -> Result<f64, ScenarioError> {
    let t = text.trim();
    if t.is_empty() {
        return Err(err(key, text, "is empty; a number is needed"));
    }
    if t.len() > 64 {
        return Err(err(key, text, "is too long for a number"));
    }
    // The syntax also reads "inf", "NaN" and "infinity": refuse them by name.
    let x =
        parse_f64(t).ok_or_else(|| err(key, text, "is not a number (write e.g. 0.01 or 1e-3)"))?;
    if !x.is_finite() {
        return Err(err(key, text, "must be a finite number"));
    }
    Ok(x)
}

/// Shortest text that parses back to exactly `x`; exponent form when very small or large.
pub fn fmt_num(x: f64) -> String {
    let a = x.abs();
    if x == 0.0 {
        "0".into()
    } else if (1e-4..1e9).contains(&a) {
        x.to_string()
    } else {
        Exp(x).to_string()
    }
}

/// Numbers joined by commas, each in its shortest exact form.
pub fn join_nums(xs: &[f64]) -> String {
    join(&xs.iter().map(|x| fmt_num(*x)).collect::<Vec<_>>(), ",")
}
