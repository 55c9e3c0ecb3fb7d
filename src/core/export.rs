//! Trajectories as CSV and JSON, shared by the CLI and the page's export buttons, so an
//! exported file and `gradscape run` on the same scenario text are identical.

use std::fmt::{self, Write};

use crate::core::join;
use crate::core::objective::Objective;
use crate::core::run::{Run, Stopping, Track};
use crate::core::scenario::{optimizer_text, Scenario};

/// Drive one track to its end, calling `row` for step 0 and after every update.
fn drive(
    track: &mut Track,
    obj: &dyn Objective,
    stop: &Stopping,
    mut row: impl FnMut(&Track) -> fmt::Result,
) -> fmt::Result {
    row(track)?;
    while track.step_once(obj, stop) {
        row(track)?;
    }
    Ok(())
}

/// Every step of every optimizer as CSV (`opt,step,loss,lr,grad_norm,p0,p1,…`), driving each
/// from where it is to the end of the run; step 0 is the start point on a fresh run.
pub fn write_csv(out: &mut impl Write, run: &mut Run) -> fmt::Result {
    let dim = run.objective.dim();
    write!(out, "opt,step,loss,lr,grad_norm")?;
    for j in 0..dim {
        write!(out, ",p{j}")?;
    }
    writeln!(out)?;
    let obj = run.objective.as_ref();
    let stop = run.stopping;
    for (k, track) in run.tracks.iter_mut().enumerate() {
        drive(track, obj, &stop, |t| {
            write!(out, "{k},{},{},{},{}", t.step, t.loss, t.lr, t.grad_norm())?;
            for p in &t.theta {
                write!(out, ",{p}")?;
            }
            writeln!(out)
        })?;
    }
    Ok(())
}

/// JSON number, or null for NaN/±inf (which JSON cannot carry).
fn jnum(x: f64) -> String {
    if x.is_finite() {
        x.to_string()
    } else {
        "null".into()
    }
}

/// A JSON string literal (also a Python one: the code exports write names with it).
pub(crate) fn jstr(s: &str) -> String {
    let mut o = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => o.push_str("\\\""),
            '\\' => o.push_str("\\\\"),
            c if (c as u32) < 0x20 => o.push_str(&format!("\\u{:04x}", c as u32)),
            c => o.push(c),
        }
    }
    o.push('"');
    o
}

/// The same trajectories as JSON: the scenario text and, per optimizer, its rule, its
/// configuration text, every step and its final status. Non-finite numbers become null.
pub fn write_json(out: &mut impl Write, run: &mut Run, scenario: &Scenario) -> fmt::Result {
    write!(
        out,
        "{{\"scenario\":{},\"surface\":{},\"optimizers\":[",
        jstr(&scenario.to_text()),
        jstr(scenario.surface)
    )?;
    let obj = run.objective.as_ref();
    let stop = run.stopping;
    for (k, track) in run.tracks.iter_mut().enumerate() {
        if k > 0 {
            write!(out, ",")?;
        }
        write!(
            out,
            "{{\"opt\":{k},\"rule\":{},\"config\":{},\"steps\":[",
            jstr(track.config.rule.kind().name()),
            jstr(&optimizer_text(&track.config))
        )?;
        let mut first = true;
        drive(track, obj, &stop, |t| {
            if !first {
                write!(out, ",")?;
            }
            first = false;
            let params: Vec<String> = t.theta.iter().map(|p| jnum(*p)).collect();
            write!(
                out,
                "{{\"step\":{},\"loss\":{},\"lr\":{},\"grad_norm\":{},\"params\":[{}]}}",
                t.step,
                jnum(t.loss),
                jnum(t.lr),
                jnum(t.grad_norm()),
                join(&params, ",")
            )
        })?;
        write!(out, "],\"status\":{}}}", jstr(&track.status.to_string()))?;
    }
    writeln!(out, "]}}")
}
