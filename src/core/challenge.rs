//! Challenges and tours, for course pages.
//!
//! A challenge is a goal for the runs (`goal=loss<1e-3`), a step budget (`within=200`) and the
//! controls the student may not change (`lock=surface,start,rule`); [`progress`] says how far
//! the runs got. A tour (`tour=lessons`, or a list of presets) is a sequence of presets to walk
//! through. All of it travels in the scenario text like any other key.

use crate::core::decimal::parse_f64;
use crate::core::join;
use crate::core::numtext::Exp;
use crate::core::objective::lowest_known_minimum;
use crate::core::param::Choice;
use crate::core::presets::PRESETS;
use crate::core::run::Run;

/// What a goal measures: L(θ), L(θ) − L* (L* the lowest known minimum) or ‖∇L(θ)‖.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Measure {
    Loss,
    Gap,
    Grad,
}

impl Measure {
    const ALL: [(Measure, &'static str); 3] = [
        (Measure::Loss, "loss"),
        (Measure::Gap, "gap"),
        (Measure::Grad, "grad"),
    ];
}

/// `MEASURE<NUMBER`: the goal is met at the first recorded step where the measure is below.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Goal {
    pub measure: Measure,
    pub below: f64,
}

/// What `goal=` accepts, for messages and the catalog.
pub const GOAL_GRAMMAR: &str =
    "MEASURE<NUMBER: loss (L), gap (L − L*, the lowest known minimum) or grad (‖∇L‖), below a positive number, e.g. loss<1e-3";

impl Goal {
    /// Read `loss<1e-3`; the message says what was wrong and what is allowed.
    pub fn parse(text: &str) -> Result<Goal, String> {
        let Some((m, x)) = text.split_once('<') else {
            return Err(format!("needs {GOAL_GRAMMAR}"));
        };
        let measure = Measure::ALL
            .iter()
            .find(|(_, n)| *n == m.trim())
            .map(|(m, _)| *m)
            .ok_or_else(|| format!("measures `{}`; use loss, gap or grad", m.trim()))?;
        match parse_f64(x.trim()) {
            Some(below) if below.is_finite() && below > 0.0 => Ok(Goal { measure, below }),
            _ => Err(format!(
                "has threshold `{}`; it must be a positive number such as 1e-3",
                x.trim()
            )),
        }
    }

    /// `loss < 1e-3`, for people.
    pub fn describe(&self) -> String {
        let what = match self.measure {
            Measure::Loss => "loss",
            Measure::Gap => "loss − L*",
            Measure::Grad => "‖∇L‖",
        };
        format!("{what} < {}", Exp(self.below))
    }
}

/// Checks `goal=` text for the parameter table.
pub fn check_goal(text: &str) -> Result<(), String> {
    Goal::parse(text).map(|_| ())
}

/// What `lock=` may name: the controls a challenge keeps fixed.
pub const LOCKS: &[Choice] = &[
    Choice {
        name: "surface",
        label: "the surface and its parameters",
        in_embed: false,
    },
    Choice {
        name: "start",
        label: "the start point",
        in_embed: false,
    },
    Choice {
        name: "rule",
        label: "each optimizer's rule",
        in_embed: false,
    },
    Choice {
        name: "lr",
        label: "learning rates and their schedules",
        in_embed: false,
    },
    Choice {
        name: "params",
        label: "the rules' other parameters and the gradient source",
        in_embed: false,
    },
    Choice {
        name: "optimizers",
        label: "adding and removing optimizers",
        in_embed: false,
    },
];

/// Where a challenge stands at the current step.
#[derive(Debug, Clone, PartialEq)]
pub enum Verdict {
    /// Not met yet, and steps are left.
    Pending,
    /// Met by optimizer `by` (0-based) at `step`.
    Passed { by: usize, step: u64 },
    /// Not met within the budget (or every run stopped without meeting it).
    Failed,
}

/// A challenge's state: the verdict, and the best value any run has reached so far.
#[derive(Debug, Clone, PartialEq)]
pub struct Progress {
    pub goal: Goal,
    pub within: Option<u64>,
    /// The step the runs are at.
    pub step: u64,
    /// The lowest value of the measure among the runs up to `step` (and the budget), with the
    /// optimizer that reached it; `None` before any finite value.
    pub best: Option<(f64, usize)>,
    pub verdict: Verdict,
}

/// How far `run`, at step `step`, is towards `goal` within `within` steps. A goal counts at
/// the first recorded step where an optimizer's measure is below the threshold (every update is
/// recorded in runs of up to 16,384 steps).
pub fn progress(run: &Run, goal: Goal, within: Option<u64>, step: u64) -> Progress {
    let last = within.map_or(step, |w| w.min(step));
    let floor = match goal.measure {
        Measure::Gap => lowest_known_minimum(run.objective.as_ref()).unwrap_or(0.0),
        _ => 0.0,
    };
    let mut best: Option<(f64, usize)> = None;
    let mut met: Option<(u64, usize)> = None;
    for (i, t) in run.tracks.iter().enumerate() {
        let h = &t.history;
        for r in 0..h.len() {
            let s = h.step(r);
            if s > last {
                break;
            }
            let v = match goal.measure {
                Measure::Grad => h.grad_norm(r),
                _ => h.loss(r) - floor,
            };
            if !v.is_finite() {
                continue;
            }
            if best.is_none_or(|(b, _)| v < b) {
                best = Some((v, i));
            }
            if v < goal.below {
                if met.is_none_or(|(ms, _)| s < ms) {
                    met = Some((s, i));
                }
                break;
            }
        }
    }
    let stopped = !run.is_running() && run.tracks.iter().all(|t| t.step <= step);
    let verdict = match met {
        Some((s, by)) => Verdict::Passed { by, step: s },
        None if within.is_some_and(|w| step >= w) || stopped => Verdict::Failed,
        None => Verdict::Pending,
    };
    Progress {
        goal,
        within,
        step,
        best,
        verdict,
    }
}

/// The name `tour=` takes for every lesson preset in the lecture's order.
pub const LESSONS_TOUR: &str = "lessons";

/// Checks `tour=` text: `lessons`, or a comma-separated list of preset names.
pub fn check_tour(text: &str) -> Result<(), String> {
    tour_stops(text).map(|_| ())
}

/// The presets a tour visits, in order.
pub fn tour_stops(text: &str) -> Result<Vec<&'static str>, String> {
    let mut out = Vec::new();
    for item in text.split(',').map(str::trim).filter(|s| !s.is_empty()) {
        if item == LESSONS_TOUR {
            out.extend(PRESETS.iter().filter(|p| p.lesson > 0).map(|p| p.name));
        } else if let Some(p) = PRESETS.iter().find(|p| p.name == item) {
            out.push(p.name);
        } else {
            let names: Vec<&str> = PRESETS.iter().map(|p| p.name).collect();
            return Err(format!(
                "has no preset `{item}`; use {LESSONS_TOUR} or presets from {}",
                join(&names, ", ")
            ));
        }
    }
    if out.is_empty() {
        return Err(format!("needs {LESSONS_TOUR} or at least one preset name"));
    }
    Ok(out)
}

/// Checks `origin=`: `scheme://host[:port]`, as `MessageEvent.origin` reports a page's origin.
pub fn check_origin(text: &str) -> Result<(), String> {
    let bad = || {
        format!("`{text}` is not an origin; write scheme://host[:port] with no path, e.g. https://course.example.edu")
    };
    let (scheme, rest) = text.split_once("://").ok_or_else(bad)?;
    // The host, and the port when one is given; an IPv6 host is bracketed: [::1]:8443.
    let (host_ok, port) = match rest.strip_prefix('[') {
        Some(r) => {
            let (h, after) = r.split_once(']').ok_or_else(bad)?;
            let ok = !h.is_empty() && h.bytes().all(|b| b.is_ascii_hexdigit() || b == b':');
            match after {
                "" => (ok, None),
                _ => (ok, Some(after.strip_prefix(':').ok_or_else(bad)?)),
            }
        }
        None => {
            let (h, p) = match rest.split_once(':') {
                Some((h, p)) => (h, Some(p)),
                None => (rest, None),
            };
            let ok = !h.is_empty()
                && h.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'.' || b == b'-');
            (ok, p)
        }
    };
    let port_ok =
        port.is_none_or(|p| (1..=5).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_digit()));
    if (scheme == "http" || scheme == "https") && host_ok && port_ok {
        Ok(())
    } else {
        Err(bad())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn goals_read_and_refuse() {
        assert_eq!(
            Goal::parse("loss<1e-3"),
            Ok(Goal {
                measure: Measure::Loss,
                below: 1e-3
            })
        );
        assert_eq!(
            Goal::parse(" grad < 0.5 ").map(|g| g.measure),
            Ok(Measure::Grad)
        );
        for bad in [
            "loss", "loss<", "loss<-1", "loss<0", "speed<1", "loss<abc", "loss<inf",
        ] {
            assert!(Goal::parse(bad).is_err(), "{bad}");
        }
        assert!(Goal::parse("speed<1")
            .unwrap_err()
            .contains("loss, gap or grad"));
    }

    #[test]
    fn tours_list_presets() {
        let all = tour_stops("lessons").unwrap();
        assert_eq!(all.len(), PRESETS.iter().filter(|p| p.lesson > 0).count());
        assert_eq!(all[0], PRESETS[0].name);
        assert_eq!(
            tour_stops("beale-race,lessons").unwrap().len(),
            all.len() + 1
        );
        assert!(tour_stops("nope").unwrap_err().contains("no preset `nope`"));
        assert!(tour_stops(",").is_err());
    }

    #[test]
    fn origins() {
        for ok in [
            "https://course.example.edu",
            "http://127.0.0.1:8001",
            "http://localhost:80",
            "https://[::1]:8443",
        ] {
            assert_eq!(check_origin(ok), Ok(()), "{ok}");
        }
        for bad in [
            "course.example.edu",
            "https://a.edu/path",
            "ftp://a.edu",
            "https://",
            "https://a.edu:",
            "https://a.edu:99999x",
            "*",
        ] {
            assert!(check_origin(bad).is_err(), "{bad}");
        }
    }
}
