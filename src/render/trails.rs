//! The trail layer: each optimizer's path drawn once and then extended by its new segments
//! only, on a canvas that persists between frames. A frame of a long race then strokes a few
//! pixels per optimizer instead of every path again.
//!
//! [`TrailCache::plan`] decides what to stroke: everything (the first frame, a new view, size
//! or run, a history that halved its resolution, a restart) or, per optimizer, the records
//! added since the last frame. Paths are thinned to one vertex per device pixel as they grow.

use super::colour::{optimizer_colour, second_eight};
use super::PlotRect;
use crate::core::run::{Run, Track};

/// One stroke to make: device-pixel vertices (x, y interleaved) of one optimizer's path.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Polyline {
    pub colour: (u8, u8, u8),
    /// A dark casing instead of the white halo: the second eight lines, which repeat the palette.
    pub cased: bool,
    /// A dot at every vertex: a run of few steps shows each update (see [`DOTS_UP_TO`]).
    pub dots: bool,
    pub xy: Vec<f64>,
    /// Leading vertices already on the layer, repeated so the new stroke joins the old one
    /// without a seam: the halo starts at the last of them, the colour at the first.
    pub overlap: usize,
}

impl Polyline {
    /// Whether there is anything new to stroke.
    pub fn is_new(&self) -> bool {
        let verts = self.xy.len() / 2;
        verts >= 2 && verts > self.overlap
    }
}

/// What the layer shows of one optimizer, to tell whether its history only grew since.
#[derive(Debug, Clone, Default)]
struct Mark {
    /// Records drawn, and the history's stride then.
    drawn: usize,
    stride: u64,
    /// Bits of θ₀, θ₁ of the first and the last drawn record: a restart changes one of them.
    first: [u64; 2],
    last: [u64; 2],
    /// The last vertices kept (x, y interleaved; `kept` of them), for the next piece's
    /// overlap: enough of the path's end that re-stroking its colour covers the next halo's cap.
    tail: [f64; 2 * TAIL_MAX],
    kept: usize,
}

/// Runs of at most this many steps get a dot per step on their path: few enough that each
/// update is a visible jump, and the dots are what the lesson (steep and flat, zigzags) is about.
pub const DOTS_UP_TO: u64 = 200;

/// Most vertices repeated at the start of a piece.
const TAIL_MAX: usize = 16;
/// Length of path end re-stroked under a new piece, in CSS px: more than the halo's half-width
/// (2 px), so the halo's round cap at the join never shows over the colour.
const TAIL_LENGTH: f64 = 4.0;

/// The trail layer's memory of what it holds, and this frame's pieces (one per optimizer).
#[derive(Debug, Default)]
pub struct TrailCache {
    key: Option<(PlotRect, u64)>,
    marks: Vec<Mark>,
    pieces: Vec<Polyline>,
}

fn bits(p: &[f64]) -> [u64; 2] {
    [p[0].to_bits(), p[1].to_bits()]
}

/// Device pixel of a data point (the same rounding as every other view).
fn px(rect: &PlotRect, p: &[f64]) -> (f64, f64) {
    let (x, y) = rect.to_px(p[0], p[1]);
    (x as f64, y as f64)
}

/// Whether `p` is more than one device pixel from `q` along either axis.
fn apart(p: (f64, f64), q: (f64, f64)) -> bool {
    (p.0 - q.0).abs() > 1.0 || (p.1 - q.1).abs() > 1.0
}

impl TrailCache {
    /// Forget what the layer holds: the next plan draws everything.
    pub fn invalidate(&mut self) {
        self.key = None;
    }

    /// Plan what to stroke so the layer shows every optimizer's recorded path of `run` in
    /// `rect`: `true` if the layer must be cleared and [`pieces`](Self::pieces) are whole
    /// paths, `false` if they are only what was recorded since the last plan.
    pub fn plan(&mut self, run: &Run, rect: &PlotRect, dpr: f64) -> bool {
        let key = (*rect, dpr.to_bits());
        let n = run.tracks.len();
        let still = self.key == Some(key)
            && self.marks.len() == n
            && run.tracks.iter().zip(&self.marks).all(|(t, m)| {
                let h = &t.history;
                m.drawn == 0 && h.is_empty()
                    || (m.drawn > 0
                        && h.len() >= m.drawn
                        && h.stride() == m.stride
                        && bits(h.params_at(0)) == m.first
                        && bits(h.params_at(m.drawn - 1)) == m.last)
            });
        if !still {
            self.key = Some(key);
            self.marks.clear();
        }
        self.marks.resize_with(n, Mark::default);
        self.pieces.resize_with(n, Polyline::default);
        for (i, (t, (m, p))) in run
            .tracks
            .iter()
            .zip(self.marks.iter_mut().zip(self.pieces.iter_mut()))
            .enumerate()
        {
            p.colour = optimizer_colour(t.config.line(i));
            p.cased = second_eight(t.config.line(i));
            p.dots = run.stopping.max_steps <= DOTS_UP_TO;
            extend(rect, t, m, p, TAIL_LENGTH * dpr);
        }
        !still
    }

    /// This plan's pieces, in optimizer order (see [`Polyline::is_new`]).
    pub fn pieces(&self) -> &[Polyline] {
        &self.pieces
    }
}

/// Into `p`, the piece of `t`'s path recorded since mark `m`, thinned; `m` moves to its end.
fn extend(rect: &PlotRect, t: &Track, m: &mut Mark, p: &mut Polyline, tail_length: f64) {
    p.xy.clear();
    p.overlap = 0;
    let h = &t.history;
    let len = h.len();
    if len == 0 || len == m.drawn {
        return;
    }
    p.overlap = m.kept;
    p.xy.extend_from_slice(&m.tail[..2 * m.kept]);
    let mut last = (m.kept > 0).then(|| (m.tail[2 * m.kept - 2], m.tail[2 * m.kept - 1]));
    for k in m.drawn..len {
        let r = h.params_at(k);
        if !(r[0].is_finite() && r[1].is_finite()) {
            continue;
        }
        let q = px(rect, r);
        // The newest record is always kept: the current point's marker sits there.
        if last.is_none_or(|l| apart(q, l)) || k + 1 == len {
            p.xy.extend_from_slice(&[q.0, q.1]);
            last = Some(q);
        }
    }
    if m.drawn == 0 {
        m.first = bits(h.params_at(0));
    }
    m.drawn = len;
    m.stride = h.stride();
    m.last = bits(h.params_at(len - 1));
    // Keep vertices back from the end until they span `tail_length` (or TAIL_MAX of them).
    let verts = p.xy.len() / 2;
    let (mut kept, mut length) = (1, 0.0);
    while kept < verts.min(TAIL_MAX) && length < tail_length {
        let (a, b) = (verts - kept, verts - kept - 1);
        length += (p.xy[2 * a] - p.xy[2 * b]).hypot(p.xy[2 * a + 1] - p.xy[2 * b + 1]);
        kept += 1;
    }
    m.kept = kept.min(verts);
    let n = p.xy.len();
    m.tail[..2 * m.kept].copy_from_slice(&p.xy[n - 2 * m.kept..]);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::scenario::Scenario;

    fn rect() -> PlotRect {
        PlotRect {
            x0: 0,
            y0: 0,
            x1: 600,
            y1: 600,
            view: [-2.0, 2.0, -1.0, 3.0],
        }
    }

    fn run(text: &str) -> Run {
        Scenario::parse(text).expect("valid").build_run()
    }

    const RACE: &str = "v=1&surface=rosenbrock&start=-1.5,2&steps=3000&gtol=0\
        &opt=gd:lr=0.001&opt=momentum:lr=0.001,gamma=0.9&opt=adam:lr=0.05";

    /// Plan, and the pieces with something new.
    fn plan(c: &mut TrailCache, r: &Run, rect: &PlotRect, dpr: f64) -> (bool, Vec<Polyline>) {
        let full = c.plan(r, rect, dpr);
        (
            full,
            c.pieces().iter().filter(|p| p.is_new()).cloned().collect(),
        )
    }

    #[test]
    fn runs_of_few_steps_get_a_dot_per_step_and_the_second_eight_a_casing() {
        let few = "v=1&surface=ellipse&steps=40&opt=gd:lr=0.15&opt=adam:lr=0.1,colour=9";
        let mut r = run(few);
        r.advance(40);
        let mut c = TrailCache::default();
        let (_, pieces) = plan(&mut c, &r, &rect(), 1.0);
        assert!(pieces.iter().all(|p| p.dots), "40 steps: dots");
        assert_eq!(
            pieces.iter().map(|p| p.cased).collect::<Vec<_>>(),
            [false, true]
        );
        let mut long = run(RACE);
        long.advance(10);
        let (_, pieces) = plan(&mut TrailCache::default(), &long, &rect(), 1.0);
        assert!(pieces.iter().all(|p| !p.dots), "3000 steps: no dots");
    }

    #[test]
    fn first_plan_is_full_then_appends_only_new_records() {
        let mut r = run(RACE);
        let mut c = TrailCache::default();
        r.advance(100);
        let (full, first) = plan(&mut c, &r, &rect(), 1.0);
        assert!(full);
        assert_eq!(first.len(), 3);
        assert!(first.iter().all(|p| p.overlap == 0));
        assert_eq!(plan(&mut c, &r, &rect(), 1.0), (false, vec![]));
        r.advance(5);
        let (full, more) = plan(&mut c, &r, &rect(), 1.0);
        assert!(!full);
        assert!(!more.is_empty());
        for (p, old) in more.iter().zip(&first) {
            assert!(p.overlap >= 1, "a piece joins the layer's last vertex");
            // The overlap is the last vertices already drawn.
            let n = old.xy.len();
            let o = 2 * p.overlap;
            assert_eq!(&p.xy[..o], &old.xy[n - o..n]);
        }
    }

    #[test]
    fn a_piece_restrokes_enough_of_the_old_end_to_cover_the_new_halo_cap() {
        let mut r = run(RACE);
        let mut c = TrailCache::default();
        r.advance(200);
        c.plan(&r, &rect(), 2.0);
        for _ in 0..30 {
            r.advance(1);
            assert!(!c.plan(&r, &rect(), 2.0));
            for p in c.pieces().iter().filter(|p| p.is_new()) {
                let o = &p.xy[..2 * p.overlap];
                let length: f64 = o
                    .chunks(2)
                    .collect::<Vec<_>>()
                    .windows(2)
                    .map(|w| (w[1][0] - w[0][0]).hypot(w[1][1] - w[0][1]))
                    .sum();
                assert!(
                    length >= TAIL_LENGTH * 2.0 || p.overlap == TAIL_MAX,
                    "overlap of {} vertices spans only {length} px",
                    p.overlap
                );
            }
        }
    }

    #[test]
    fn pieces_keep_the_newest_point_and_stay_within_a_pixel_of_every_record() {
        let mut r = run(RACE);
        let mut c = TrailCache::default();
        let mut strokes: Vec<Vec<f64>> = vec![Vec::new(); 3];
        for _ in 0..40 {
            r.advance(25);
            if c.plan(&r, &rect(), 1.0) {
                strokes.iter_mut().for_each(Vec::clear);
            }
            for (s, p) in strokes.iter_mut().zip(c.pieces()) {
                if p.is_new() {
                    s.extend_from_slice(&p.xy[2 * p.overlap..]);
                }
            }
        }
        for (i, t) in r.tracks.iter().enumerate() {
            let verts: Vec<(f64, f64)> = strokes[i].chunks(2).map(|v| (v[0], v[1])).collect();
            let newest = px(&rect(), t.history.params_at(t.history.len() - 1));
            assert_eq!(*verts.last().expect("vertices"), newest);
            // Every record lies within one pixel (either axis) of some kept vertex.
            for k in 0..t.history.len() {
                let q = px(&rect(), t.history.params_at(k));
                assert!(
                    verts.iter().any(|&v| !apart(q, v)),
                    "record {k} of track {i} is far from the stroked path"
                );
            }
            // Thinned: consecutive vertices within a pixel only where a piece ended.
            let close = verts.windows(2).filter(|w| !apart(w[0], w[1])).count();
            assert!(close <= 40, "{close} near-duplicate vertices");
            assert!(verts.len() < t.history.len(), "thinned");
        }
    }

    #[test]
    fn a_restart_a_new_view_or_a_halved_history_draws_everything_again() {
        let mut c = TrailCache::default();
        let full = |c: &mut TrailCache, r: &Run, rect: &PlotRect, dpr: f64| c.plan(r, rect, dpr);
        let mut r = run(RACE);
        r.advance(50);
        assert!(full(&mut c, &r, &rect(), 1.0));
        // A restart from another start point, run to the same step.
        let mut moved = run(&RACE.replace("start=-1.5,2", "start=-1,2"));
        moved.advance(50);
        assert!(full(&mut c, &moved, &rect(), 1.0));
        // Another α: same start, another path.
        let mut other = run(&RACE.replace("gd:lr=0.001", "gd:lr=0.002"));
        other.advance(50);
        assert!(full(&mut c, &other, &rect(), 1.0));
        // Another view or device-pixel ratio.
        let mut zoomed = rect();
        zoomed.view = [-1.0, 1.0, 0.0, 2.0];
        assert!(full(&mut c, &other, &zoomed, 1.0));
        assert!(full(&mut c, &other, &zoomed, 2.0));
        assert!(!full(&mut c, &other, &zoomed, 2.0));
        // A history that halves its resolution when full.
        let mut long = run(&RACE.replace("steps=3000", "steps=40000"));
        long.advance(16_000);
        full(&mut c, &long, &rect(), 1.0);
        long.advance(1_000);
        assert!(full(&mut c, &long, &rect(), 1.0));
        // A reset to step 0, and an explicit invalidation.
        long.reset();
        assert!(full(&mut c, &long, &rect(), 1.0));
        c.invalidate();
        assert!(full(&mut c, &long, &rect(), 1.0));
        // Fewer optimizers.
        let mut one = run("v=1&surface=rosenbrock&start=-1.5,2&opt=gd:lr=0.001");
        one.advance(10);
        assert!(full(&mut c, &one, &rect(), 1.0));
        assert_eq!(c.pieces().len(), 1);
    }

    #[test]
    fn non_finite_records_are_left_out() {
        let mut r = run("v=1&surface=bowl&start=1,1&opt=gd:lr=5");
        let mut c = TrailCache::default();
        r.advance(2_000);
        assert!(c.plan(&r, &rect(), 1.0));
        let p = &c.pieces()[0];
        assert!(p.is_new());
        assert!(p.xy.iter().all(|v| v.is_finite()));
    }
}
