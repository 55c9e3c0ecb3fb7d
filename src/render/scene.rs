//! From a run to what the views draw: each optimizer's path, its markers and arrows, the
//! loss and learning-rate series, the 3-D paths. Kept apart from the canvas code so that it is
//! tested natively.

use super::chart::Series;
use super::colour::{optimizer_colour, second_eight};
use super::field::Scale;
use super::overlay::PathSpec;
use super::surface3d::Path3d;
use crate::core::objective::lowest_known_minimum;
use crate::core::optim::Rule;
use crate::core::run::{Run, Status};

/// θ₀, θ₁ of every kept record of each optimizer plus its current point, non-finite points
/// left out; `out` is reused between frames.
pub fn collect_paths(run: &Run, out: &mut Vec<Vec<f64>>) {
    out.resize_with(run.tracks.len(), Vec::new);
    out.truncate(run.tracks.len());
    for (t, xy) in run.tracks.iter().zip(out.iter_mut()) {
        xy.clear();
        let h = &t.history;
        for i in 0..h.len() {
            let p = h.params_at(i);
            if p[0].is_finite() && p[1].is_finite() {
                xy.extend_from_slice(&p[..2]);
            }
        }
        let last_step = h.len().checked_sub(1).map(|i| h.step(i));
        if last_step != Some(t.step) && t.theta[0].is_finite() && t.theta[1].is_finite() {
            xy.extend_from_slice(&t.theta[..2]);
        }
    }
}

/// What the marker layer needs of each optimizer's path, the trail layer holding the rest:
/// its last finite record and, when the current point is newer than that (a history that
/// keeps every other step), the current point, so a short stroke joins the two.
pub fn current_points(run: &Run, out: &mut Vec<Vec<f64>>) {
    out.resize_with(run.tracks.len(), Vec::new);
    out.truncate(run.tracks.len());
    for (t, xy) in run.tracks.iter().zip(out.iter_mut()) {
        xy.clear();
        let h = &t.history;
        let last = (0..h.len()).rev().find(|&i| {
            let p = h.params_at(i);
            p[0].is_finite() && p[1].is_finite()
        });
        if let Some(i) = last {
            xy.extend_from_slice(&h.params_at(i)[..2]);
        }
        let newer = h.len().checked_sub(1).map(|i| h.step(i)) != Some(t.step);
        if newer && t.theta[0].is_finite() && t.theta[1].is_finite() {
            xy.extend_from_slice(&t.theta[..2]);
        }
    }
}

/// The overlay's description of each optimizer: path, Nesterov's look-ahead ring, whether it
/// diverged, and (with `arrows`) the gradient step −α∇L and the momentum step −v.
pub fn path_specs<'a>(run: &Run, paths: &'a [Vec<f64>], arrows: bool) -> Vec<PathSpec<'a>> {
    run.tracks
        .iter()
        .zip(paths)
        .enumerate()
        .map(|(i, (t, xy))| PathSpec {
            colour: optimizer_colour(t.config.line(i)),
            square: second_eight(t.config.line(i)),
            xy,
            lookahead: match t.config.rule {
                Rule::Nesterov(_) if t.step > 0 => {
                    Some((t.state.lookahead[0], t.state.lookahead[1]))
                }
                _ => None,
            },
            diverged: matches!(t.status, Status::Diverged { .. }),
            gradient_step: (arrows && t.grad[0].is_finite() && t.grad[1].is_finite())
                .then(|| (-t.lr * t.grad[0], -t.lr * t.grad[1])),
            velocity_step: match t.config.rule {
                Rule::Momentum(_) | Rule::Nesterov(_) if arrows && t.step > 0 => {
                    Some((-t.state.v[0], -t.state.v[1]))
                }
                _ => None,
            },
        })
        .collect()
}

/// Lines of a chart, owned, with each line's optimizer line (colour) and whether it is one
/// coordinate's rate (thin, dashed).
#[derive(Debug, Default)]
pub struct Lines {
    pub xs: Vec<Vec<f64>>,
    pub ys: Vec<Vec<f64>>,
    pub meta: Vec<(usize, bool)>,
    /// Axis titles.
    pub x_desc: &'static str,
    pub y_desc: &'static str,
}

impl Lines {
    /// The lines as the chart takes them.
    pub fn series(&self) -> Vec<Series<'_>> {
        self.meta
            .iter()
            .zip(self.xs.iter().zip(&self.ys))
            .map(|(&(line, dashed), (x, y))| Series {
                colour: optimizer_colour(line),
                xs: x,
                ys: y,
                dashed,
                long_dash: second_eight(line),
            })
            .collect()
    }
}

/// The lowest loss known: the surface's minima, else the lowest seen in any history.
pub fn loss_floor(run: &Run) -> f64 {
    let known = lowest_known_minimum(run.objective.as_ref()).unwrap_or(f64::INFINITY);
    let seen = run
        .tracks
        .iter()
        .flat_map(|t| t.history.losses())
        .filter(|l| l.is_finite())
        .fold(f64::INFINITY, f64::min);
    let floor = known.min(seen);
    if floor.is_finite() {
        floor
    } else {
        0.0
    }
}

/// Loss per optimizer against `axis` (step, epoch or examples; the latter two only on a data
/// set, else steps). With `log`, L − L* for a log axis.
pub fn loss_lines(run: &Run, axis: &str, log: bool) -> Lines {
    let examples = run.objective.examples();
    let n = examples.max(1) as f64;
    let by = match axis {
        "epoch" if examples > 0 => "epoch",
        "examples" if examples > 0 => "examples",
        _ => "step",
    };
    let floor = if log { loss_floor(run) } else { 0.0 };
    let mut out = Lines {
        x_desc: match by {
            "epoch" => "epoch",
            "examples" => "examples seen",
            _ => "step",
        },
        y_desc: if log { "loss − L* (log)" } else { "loss" },
        ..Lines::default()
    };
    for (i, t) in run.tracks.iter().enumerate() {
        let h = &t.history;
        out.xs.push(match by {
            "epoch" => h.examples_seen().map(|e| e / n).collect(),
            "examples" => h.examples_seen().collect(),
            _ => h.steps().collect(),
        });
        out.ys.push(h.losses().map(|l| l - floor).collect());
        out.meta.push((t.config.line(i), false));
    }
    if by != "step" {
        common_range(run, &mut out);
    }
    clip_diverged(run, &mut out.ys);
    out
}

/// Against epochs or examples the runs cover different ranges (SGD's 600 updates see 600
/// examples, batch GD's 36,000): end every line where the shortest still-going run ends, so
/// they are compared over the same examples. Runs that converged or diverged early do not
/// shorten the others.
fn common_range(run: &Run, lines: &mut Lines) {
    let going = |i: usize| {
        matches!(
            run.tracks[i].status,
            Status::Running | Status::Stopped { .. }
        )
    };
    let end = (0..lines.xs.len())
        .filter(|&i| going(i))
        .filter_map(|i| lines.xs[i].last().copied())
        .fold(f64::INFINITY, f64::min);
    if !end.is_finite() {
        return;
    }
    for (xs, ys) in lines.xs.iter_mut().zip(lines.ys.iter_mut()) {
        let keep = xs.partition_point(|&x| x <= end);
        xs.truncate(keep);
        ys.truncate(keep);
    }
}

/// A diverged run's loss may reach 1e150 or ∞ and would stretch the axis until every other
/// line is flat: cap it at 10× the largest finite loss of the runs that did not diverge, so
/// it runs along the chart's top edge from where it left the range (that edge marks it).
fn clip_diverged(run: &Run, ys: &mut [Vec<f64>]) {
    let diverged = |i: usize| matches!(run.tracks[i].status, Status::Diverged { .. });
    let top = (0..ys.len())
        .filter(|&i| !diverged(i))
        .flat_map(|i| ys[i].iter().copied())
        .filter(|y| y.is_finite())
        .fold(f64::NEG_INFINITY, f64::max);
    if top <= 0.0 {
        return;
    }
    let cap = 10.0 * top;
    for (i, y) in ys.iter_mut().enumerate() {
        if diverged(i) {
            for v in y.iter_mut().filter(|v| v.is_nan() || **v > cap) {
                *v = cap;
            }
        }
    }
}

/// α_t per optimizer against the step; with `effective`, also the adaptive rules'
/// per-parameter rate α/(δ + √r), dashed, one line per coordinate.
pub fn lr_lines(run: &Run, effective: bool) -> Lines {
    let dim = run.objective.dim();
    let mut out = Lines {
        x_desc: "step",
        y_desc: if effective {
            "α_t, α/(δ+√r) dashed"
        } else {
            "learning rate α_t"
        },
        ..Lines::default()
    };
    for (i, t) in run.tracks.iter().enumerate() {
        let h = &t.history;
        let x: Vec<f64> = h.steps().collect();
        out.xs.push(x.clone());
        out.ys.push(h.lrs().collect());
        out.meta.push((t.config.line(i), false));
        if effective && t.config.rule.kind().is_adaptive() {
            for j in 0..dim {
                out.xs.push(x.clone());
                out.ys
                    .push((0..h.len()).map(|k| h.eff_lr_at(k)[j]).collect());
                out.meta.push((t.config.line(i), true));
            }
        }
    }
    out
}

/// Each optimizer's path on the 3-D surface: about 240 points, inside `view`, with the
/// height on the heatmap's scale.
pub fn paths_3d(run: &Run, view: [f64; 4], scale: &Scale) -> Vec<Path3d> {
    let v = view;
    let inside = |x: f64, z: f64| x >= v[0] && x <= v[1] && z >= v[2] && z <= v[3];
    run.tracks
        .iter()
        .enumerate()
        .map(|(i, t)| {
            let h = &t.history;
            let every = (h.len() / 240).max(1);
            let points = (0..h.len())
                .filter(|k| k % every == 0 || k + 1 == h.len())
                .filter_map(|k| {
                    let p = h.params_at(k);
                    let u = scale.unit(h.loss(k));
                    (inside(p[0], p[1]) && u.is_finite()).then(|| (p[0], u.clamp(0.0, 1.0), p[1]))
                })
                .collect();
            Path3d {
                colour: optimizer_colour(t.config.line(i)),
                points,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::scenario::Scenario;

    fn run(text: &str, steps: u64) -> Run {
        let mut r = Scenario::parse(text).expect("valid").build_run();
        r.advance(steps);
        r
    }

    #[test]
    fn paths_hold_every_record_and_the_current_point() {
        let r = run(
            "surface=bowl&start=1,1&steps=10&opt=gd:lr=0.1&opt=nesterov:lr=0.1",
            5,
        );
        let mut paths = Vec::new();
        collect_paths(&r, &mut paths);
        assert_eq!(paths.len(), 2);
        let t = &r.tracks[0];
        let n = paths[0].len();
        assert_eq!(&paths[0][n - 2..], &t.theta[..2], "ends at θ");
        assert_eq!(&paths[0][..2], &[1.0, 1.0], "starts at the start");
        let specs = path_specs(&r, &paths, true);
        assert!(specs[0].lookahead.is_none() && specs[0].velocity_step.is_none());
        let nag = &r.tracks[1];
        assert_eq!(
            specs[1].lookahead,
            Some((nag.state.lookahead[0], nag.state.lookahead[1]))
        );
        assert_eq!(
            specs[1].velocity_step,
            Some((-nag.state.v[0], -nag.state.v[1]))
        );
        let g = specs[0].gradient_step.expect("arrows on");
        assert_eq!(g, (-t.lr * t.grad[0], -t.lr * t.grad[1]));
        assert!(path_specs(&r, &paths, false)[0].gradient_step.is_none());
        // Fewer optimizers next time: the reused buffer shrinks.
        let r1 = run("surface=bowl&start=1,1&opt=gd:lr=0.1", 2);
        collect_paths(&r1, &mut paths);
        assert_eq!(paths.len(), 1);
    }

    #[test]
    fn current_points_are_the_last_record_and_a_newer_current_point() {
        let r = run("surface=bowl&start=1,1&steps=10&opt=gd:lr=0.1", 5);
        let mut pts = Vec::new();
        current_points(&r, &mut pts);
        assert_eq!(
            pts,
            vec![r.tracks[0].theta[..2].to_vec()],
            "every step is recorded"
        );
        // A history that halved keeps every other step: the current point may be newer.
        let mut long = run(
            "surface=bowl&start=1,1&steps=40000&gtol=0&opt=gd:lr=1e-5",
            0,
        );
        long.advance(16_385);
        let t = &long.tracks[0];
        assert!(t.history.stride() > 1);
        current_points(&long, &mut pts);
        let h = &t.history;
        let last = h.params_at(h.len() - 1);
        // Stride 2 keeps even steps only: step 16,385 is newer than the last record.
        assert_ne!(h.step(h.len() - 1), t.step);
        assert_eq!(pts[0], [&last[..2], &t.theta[..2]].concat());
        // A diverged run: the last finite record, no current point.
        let d = run("surface=bowl&start=1,1&steps=5000&opt=gd:lr=5", 5000);
        current_points(&d, &mut pts);
        assert!(pts[0].iter().all(|v| v.is_finite()) && pts[0].len() == 2);
    }

    #[test]
    fn loss_lines_measure_above_the_floor_and_use_epochs_on_data_sets() {
        let r = run("surface=bowl&start=1,1&opt=gd:lr=0.1", 3);
        let l = loss_lines(&r, "step", true);
        assert_eq!(loss_floor(&r), 0.0, "the bowl's minimum is 0");
        assert_eq!(l.xs[0], vec![0.0, 1.0, 2.0, 3.0]);
        let losses: Vec<f64> = r.tracks[0].history.losses().collect();
        assert_eq!(l.ys[0], losses);
        // No data set: epochs fall back to steps.
        assert_eq!(loss_lines(&r, "epoch", false).x_desc, "step");
        let d = run("surface=linreg&opt=gd:lr=0.1,batch=5", 20);
        let e = loss_lines(&d, "epoch", false);
        assert_eq!(e.x_desc, "epoch");
        let n = d.objective.examples() as f64;
        assert_eq!(e.xs[0].last().copied(), Some(20.0 * 5.0 / n));
    }

    #[test]
    fn against_examples_every_line_ends_where_the_shortest_going_run_ends() {
        // 20 updates: SGD sees 20 examples, batches of 5 see 100, the full batch (N = 50) 1000.
        let d = run(
            "surface=linreg:n=50&opt=gd:lr=0.01,batch=1&opt=gd:lr=0.01,batch=5&opt=gd:lr=0.01",
            20,
        );
        let e = loss_lines(&d, "examples", false);
        let ends: Vec<f64> = e.xs.iter().map(|x| *x.last().unwrap()).collect();
        assert_eq!(ends, [20.0, 20.0, 0.0]);
        assert!(e.xs.iter().zip(&e.ys).all(|(x, y)| x.len() == y.len()));
        assert_eq!(e.xs[1], [0.0, 5.0, 10.0, 15.0, 20.0]);
        // Against steps nothing is cut.
        assert!(loss_lines(&d, "step", false)
            .xs
            .iter()
            .all(|x| x.len() == 21));
    }

    #[test]
    fn a_diverged_run_does_not_stretch_the_loss_axis() {
        // GD at α = 5 on the bowl x² + y² multiplies θ by −9 each step: it diverges; α = 0.1
        // from (1, 1) starts at loss 2, its largest, so the cap is 20.
        let r = run(
            "surface=bowl&start=1,1&steps=50&opt=gd:lr=0.1&opt=gd:lr=5",
            50,
        );
        assert!(matches!(r.tracks[1].status, Status::Diverged { .. }));
        for log in [false, true] {
            let l = loss_lines(&r, "step", log);
            let own: Vec<f64> = r.tracks[0].history.losses().collect();
            assert_eq!(l.ys[0], own, "the converging run is untouched");
            let top = l.ys[1].iter().copied().fold(0.0, f64::max);
            assert_eq!(
                top, 20.0,
                "the diverged run is capped at 10× the other's largest"
            );
            assert_eq!(l.ys[1][0], 2.0, "its start, inside the range, is kept");
            assert_eq!(
                l.ys[1][1], 20.0,
                "step 1: θ = (−9, −9), L = 162, capped at 20"
            );
        }
    }

    #[test]
    fn lr_lines_add_one_dashed_line_per_coordinate_for_adaptive_rules() {
        let r = run("surface=bowl&start=1,1&opt=gd:lr=0.1&opt=adam:lr=0.1", 4);
        assert_eq!(lr_lines(&r, false).meta, vec![(0, false), (1, false)]);
        let e = lr_lines(&r, true);
        assert_eq!(e.meta, vec![(0, false), (1, false), (1, true), (1, true)]);
        assert_eq!(e.series().len(), 4);
    }
}
