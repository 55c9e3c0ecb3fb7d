//! The views, drawn through plotters onto any `DrawingBackend` (a canvas in the page, SVG or
//! bitmaps natively): the contour frame (axes, contour lines, labels, critical points), the
//! per-frame overlay of optimizer paths, the loss and learning-rate charts, and the data view
//! of the SVM classifier.
//!
//! Every size is in device pixels: CSS pixels × `dpr`, so text and strokes stay crisp on HiDPI.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor;

use super::colour::{optimizer_colour, tint};
use super::contour::Contour;
use super::field::Scale;
use crate::core::objective::{CriticalKind, CriticalPoint, LabelledPoint};

type DrawResult<T> = Result<T, String>;

fn de<E: std::fmt::Debug>(e: E) -> String {
    format!("drawing failed: {e:?}")
}

fn rgb((r, g, b): (u8, u8, u8)) -> RGBColor {
    RGBColor(r, g, b)
}

/// Pixel rectangle of a plot and the data box it shows; maps both ways.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PlotRect {
    pub x0: i32,
    pub y0: i32,
    pub x1: i32,
    pub y1: i32,
    pub view: [f64; 4],
}

/// Pixel coordinates are clamped to this, so a diverged path cannot overflow `i32`.
const PX_LIMIT: f64 = 1e6;

impl PlotRect {
    /// Data → device pixel (y grows downwards).
    pub fn to_px(&self, x: f64, y: f64) -> (i32, i32) {
        let v = self.view;
        let px = self.x0 as f64 + (x - v[0]) / (v[1] - v[0]) * (self.x1 - self.x0) as f64;
        let py = self.y1 as f64 - (y - v[2]) / (v[3] - v[2]) * (self.y1 - self.y0) as f64;
        let c = |p: f64| {
            if p.is_nan() {
                0
            } else {
                p.clamp(-PX_LIMIT, PX_LIMIT).round() as i32
            }
        };
        (c(px), c(py))
    }

    /// Device pixel → data.
    pub fn to_data(&self, px: f64, py: f64) -> (f64, f64) {
        let v = self.view;
        (
            v[0] + (px - self.x0 as f64) / (self.x1 - self.x0) as f64 * (v[1] - v[0]),
            v[2] + (self.y1 as f64 - py) / (self.y1 - self.y0) as f64 * (v[3] - v[2]),
        )
    }

    pub fn contains(&self, px: f64, py: f64) -> bool {
        px >= self.x0 as f64 && px <= self.x1 as f64 && py >= self.y0 as f64 && py <= self.y1 as f64
    }

    pub fn width(&self) -> i32 {
        self.x1 - self.x0
    }

    pub fn height(&self) -> i32 {
        self.y1 - self.y0
    }
}

/// Margins of the contour view around its plot, in device pixels.
pub fn contour_margins(dpr: f64) -> (i32, i32, i32, i32) {
    // left (y labels), top, right, bottom (x labels)
    let s = |v: f64| (v * dpr).round() as i32;
    (s(50.0), s(12.0), s(12.0), s(40.0))
}

/// The plot rectangle of a `width × height` contour view.
pub fn contour_rect(width: u32, height: u32, dpr: f64, view: [f64; 4]) -> PlotRect {
    let (l, t, r, b) = contour_margins(dpr);
    PlotRect {
        x0: l,
        y0: t,
        x1: (width as i32 - r).max(l + 1),
        y1: (height as i32 - b).max(t + 1),
        view,
    }
}

fn font(dpr: f64, size: f64) -> TextStyle<'static> {
    (FontFamily::SansSerif, size * dpr)
        .into_font()
        .color(&RGBColor(40, 40, 40))
}

/// Contour lines with their labels, for [`draw_contour_frame`].
pub struct ContourSet<'a> {
    pub lines: &'a [Contour],
    pub scale: &'a Scale,
}

/// `v` rounded to `decimals` places, printed shortest (no trailing zeros). Written without
/// `{:.N}` precision formatting, whose code would add kilobytes to the wasm download.
fn rounded(v: f64, decimals: i32) -> String {
    let p = 10f64.powi(decimals);
    let r = (v * p).round() / p;
    format!("{}", if r == 0.0 { 0.0 } else { r })
}

/// `v` as one significant digit in exponent form, e.g. `2e-5`.
fn one_digit_exp(v: f64) -> String {
    let mut e = v.abs().log10().floor() as i32;
    let mut m = (v / 10f64.powi(e)).round();
    if m.abs() >= 10.0 {
        m /= 10.0;
        e += 1;
    }
    format!("{m}e{e}")
}

/// Short label of a loss level.
pub fn level_label(v: f64) -> String {
    let a = v.abs();
    if a == 0.0 {
        "0".into()
    } else if !(1e-3..1e4).contains(&a) {
        one_digit_exp(v)
    } else if a >= 100.0 {
        rounded(v, 0)
    } else if a >= 1.0 {
        rounded(v, 2)
    } else {
        rounded(v, 3)
    }
}

/// Up to about `max` round tick values (1, 2 or 5 × 10ᵏ apart) within [lo, hi].
pub fn nice_ticks(lo: f64, hi: f64, max: usize) -> Vec<f64> {
    let span = hi - lo;
    if !(span.is_finite() && span > 0.0) {
        return vec![lo];
    }
    let raw = span / max.max(1) as f64;
    let mag = 10f64.powi(raw.log10().floor() as i32);
    let step = [1.0, 2.0, 5.0, 10.0]
        .iter()
        .map(|m| m * mag)
        .find(|s| *s >= raw * (1.0 - 1e-9))
        .unwrap_or(10.0 * mag);
    // A step within a few units in the last place of the values (a range only a few doubles
    // wide) would give repeated ticks: one tick then.
    if step <= 4.0 * f64::EPSILON * lo.abs().max(hi.abs()) {
        return vec![lo];
    }
    let (first, last) = ((lo / step).ceil() as i64, (hi / step).floor() as i64);
    let mut ticks: Vec<f64> = (first..=last).map(|k| k as f64 * step).collect();
    ticks.dedup();
    ticks
}

/// A grid under a chart's series: lines at the ticks and fainter ones between them.
struct Grid {
    bold: RGBColor,
    light: RGBColor,
}

/// Axis lines on the left and bottom of `rect`, outward tick marks with their labels, the
/// axis titles (the y title turned), and optionally a grid: drawn straight through plotters'
/// drawing area, so the download carries no generic chart code for them.
#[allow(clippy::too_many_arguments)]
fn draw_axes<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    dpr: f64,
    rect: &PlotRect,
    x_ticks: &[(f64, String)],
    y_ticks: &[(f64, String)],
    (x_desc, y_desc): (&str, &str),
    grid: Option<Grid>,
) -> DrawResult<()> {
    let (_, h) = root.dim_in_pixel();
    let px = |v: f64| (v * dpr).round() as i32;
    let thin = (dpr.round() as u32).max(1);
    let (x0, y0, x1, y1) = (rect.x0, rect.y0, rect.x1, rect.y1);
    let line = |a: (i32, i32), b: (i32, i32), c: RGBColor| {
        root.draw(&PathElement::new(vec![a, b], c.stroke_width(thin)))
            .map_err(de)
    };
    if let Some(g) = grid {
        for (ticks, vertical) in [(x_ticks, true), (y_ticks, false)] {
            // Four fainter lines between neighbouring ticks (and past the ends, inside).
            let (lo, hi) = if vertical {
                (rect.view[0], rect.view[1])
            } else {
                (rect.view[2], rect.view[3])
            };
            let sub = match ticks {
                [(a, _), (b, _), ..] => (b - a) / 5.0,
                _ => 0.0,
            };
            // At most a few dozen fainter lines, whatever the ticks.
            let lines = (hi - lo) / sub;
            if let ([(a, _), ..], true) = (ticks, sub > 0.0 && lines <= 200.0) {
                let mut k = ((lo - a) / sub).ceil() as i64;
                loop {
                    let v = a + k as f64 * sub;
                    if v > hi {
                        break;
                    }
                    let (p, q) = rect.to_px(v, v);
                    if vertical {
                        line((p, y0), (p, y1), g.light)?;
                    } else {
                        line((x0, q), (x1, q), g.light)?;
                    }
                    k += 1;
                }
            }
            for (v, _) in ticks {
                let (p, q) = rect.to_px(*v, *v);
                if vertical {
                    line((p, y0), (p, y1), g.bold)?;
                } else {
                    line((x0, q), (x1, q), g.bold)?;
                }
            }
        }
    }
    let ink = RGBColor(0, 0, 0);
    line((x0, y0), (x0, y1), ink)?;
    line((x0, y1), (x1, y1), ink)?;
    let (tick, gap) = (px(5.0), px(10.0));
    let label = font(dpr, 11.0);
    for (v, text) in x_ticks {
        let (p, _) = rect.to_px(*v, rect.view[2]);
        line((p, y1), (p, y1 + tick), ink)?;
        let style = label.pos(text_anchor::Pos::new(
            text_anchor::HPos::Center,
            text_anchor::VPos::Top,
        ));
        root.draw_text(text, &style, (p, y1 + gap)).map_err(de)?;
    }
    for (v, text) in y_ticks {
        let (_, q) = rect.to_px(rect.view[0], *v);
        line((x0 - tick, q), (x0, q), ink)?;
        let style = label.pos(text_anchor::Pos::new(
            text_anchor::HPos::Right,
            text_anchor::VPos::Center,
        ));
        root.draw_text(text, &style, (x0 - gap, q)).map_err(de)?;
    }
    let desc = font(dpr, 12.0);
    let bottom = desc.pos(text_anchor::Pos::new(
        text_anchor::HPos::Center,
        text_anchor::VPos::Bottom,
    ));
    root.draw_text(x_desc, &bottom, ((x0 + x1) / 2, h as i32 - px(2.0)))
        .map_err(de)?;
    let left = desc
        .transform(FontTransform::Rotate270)
        .pos(text_anchor::Pos::new(
            text_anchor::HPos::Center,
            text_anchor::VPos::Top,
        ));
    root.draw_text(y_desc, &left, (px(2.0), (y0 + y1) / 2))
        .map_err(de)?;
    Ok(())
}

/// Ticks of a linear axis over [lo, hi] with their labels.
fn labelled_ticks(lo: f64, hi: f64, max: usize) -> Vec<(f64, String)> {
    nice_ticks(lo, hi, max)
        .into_iter()
        .map(|v| (v, tick_label(v)))
        .collect()
}

/// The frame shared by the contour and data views: white, `blit` into the plot rectangle,
/// then the axes with their titles (no grid over the picture).
fn framed_plot<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    dpr: f64,
    view: [f64; 4],
    axis_names: (&str, &str),
    blit: impl FnOnce(&PlotRect) -> DrawResult<()>,
) -> DrawResult<PlotRect> {
    let (w, h) = root.dim_in_pixel();
    let rect = contour_rect(w, h, dpr, view);
    root.fill(&WHITE).map_err(de)?;
    blit(&rect)?;
    let xs = labelled_ticks(view[0], view[1], 7);
    let ys = labelled_ticks(view[2], view[3], 7);
    draw_axes(root, dpr, &rect, &xs, &ys, axis_names, None)?;
    Ok(rect)
}

/// Axes, contour lines (labelled) and critical points over an already painted heatmap.
/// `blit` paints the heatmap into the plot rectangle first; it is called before any line.
pub fn draw_contour_frame<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    dpr: f64,
    view: [f64; 4],
    axis_names: (&str, &str),
    contours: &ContourSet,
    critical: &[CriticalPoint],
    blit: impl FnOnce(&PlotRect) -> DrawResult<()>,
) -> DrawResult<PlotRect> {
    let rect = framed_plot(root, dpr, view, axis_names, blit)?;
    let line_style = RGBAColor(255, 255, 255, 0.55).stroke_width((dpr).round().max(1.0) as u32);
    for c in contours.lines {
        let px: Vec<(i32, i32)> = c.points.iter().map(|p| rect.to_px(p.0, p.1)).collect();
        root.draw(&PathElement::new(px, line_style)).map_err(de)?;
    }
    // One label per level, on its longest line, at a spot clear of the labels placed so far.
    let mut levels: Vec<f64> = contours.lines.iter().map(|c| c.level).collect();
    levels.dedup();
    let label_font = (FontFamily::SansSerif, 10.0 * dpr).into_font();
    let mut placed: Vec<(i32, i32)> = Vec::new();
    let clearance = (36.0 * dpr) as i32;
    let margin = (12.0 * dpr) as i32;
    for lv in levels {
        let Some(c) = contours
            .lines
            .iter()
            .filter(|c| c.level == lv)
            .max_by_key(|c| c.points.len())
        else {
            continue;
        };
        if c.points.len() < 8 {
            continue;
        }
        let spot = [0.3, 0.7, 0.1, 0.5, 0.9, 0.2, 0.8, 0.4, 0.6]
            .iter()
            .map(|f| c.points[((c.points.len() - 1) as f64 * f) as usize])
            .find(|p| {
                let (px, py) = rect.to_px(p.0, p.1);
                px > rect.x0 + margin
                    && px < rect.x1 - margin
                    && py > rect.y0 + margin
                    && py < rect.y1 - margin
                    && placed
                        .iter()
                        .all(|q| (q.0 - px).abs() + (q.1 - py).abs() > clearance)
            });
        let Some(p) = spot else {
            continue;
        };
        placed.push(rect.to_px(p.0, p.1));
        let light = contours.scale.unit(lv) > 0.55;
        let colour = if light {
            RGBColor(20, 20, 20)
        } else {
            RGBColor(255, 255, 255)
        };
        let style = label_font.clone().color(&colour).pos(text_anchor::Pos::new(
            text_anchor::HPos::Center,
            text_anchor::VPos::Center,
        ));
        root.draw(&Text::new(level_label(lv), rect.to_px(p.0, p.1), style))
            .map_err(de)?;
    }
    // Critical points: minimum ✕, saddle ◇, maximum △ — white with a dark outline.
    let s = (5.0 * dpr).round() as i32;
    let thick = (2.0 * dpr).round().max(1.0) as u32;
    for cp in critical {
        if cp.at.len() < 2 {
            continue;
        }
        let (px, py) = rect.to_px(cp.at[0], cp.at[1]);
        if !rect.contains(px as f64, py as f64) {
            continue;
        }
        let shape: Vec<(i32, i32)> = match cp.kind {
            CriticalKind::Minimum => vec![],
            CriticalKind::Saddle => vec![
                (px, py - s),
                (px + s, py),
                (px, py + s),
                (px - s, py),
                (px, py - s),
            ],
            CriticalKind::Maximum => vec![
                (px, py - s),
                (px + s, py + s),
                (px - s, py + s),
                (px, py - s),
            ],
        };
        for (colour, width) in [(BLACK.mix(0.7), thick + 2), (WHITE.mix(1.0), thick)] {
            let st = colour.stroke_width(width);
            if shape.is_empty() {
                root.draw(&PathElement::new(
                    vec![(px - s, py - s), (px + s, py + s)],
                    st,
                ))
                .map_err(de)?;
                root.draw(&PathElement::new(
                    vec![(px - s, py + s), (px + s, py - s)],
                    st,
                ))
                .map_err(de)?;
            } else {
                root.draw(&PathElement::new(shape.clone(), st))
                    .map_err(de)?;
            }
        }
    }
    Ok(rect)
}

/// Axis tick text: short, no float noise.
pub fn tick_label(v: f64) -> String {
    let a = v.abs();
    if a < 1e-12 {
        "0".into()
    } else if !(1e-3..1e5).contains(&a) {
        one_digit_exp(v)
    } else {
        rounded(v, 3)
    }
}

/// Tick text on a log axis, where tiny values are real, not float noise.
pub fn log_tick_label(v: f64) -> String {
    if (1e-3..1e5).contains(&v.abs()) {
        rounded(v, 3)
    } else {
        one_digit_exp(v)
    }
}

/// One optimizer's path for the overlay: its points in data space and its current position.
pub struct PathSpec<'a> {
    pub colour: (u8, u8, u8),
    /// θ₀, θ₁ pairs (interleaved x, y).
    pub xy: &'a [f64],
    /// Nesterov's look-ahead point, drawn as a hollow ring when present.
    pub lookahead: Option<(f64, f64)>,
    pub diverged: bool,
    /// The GD step −α∇L at the current point (data units), drawn as a dark arrow.
    pub gradient_step: Option<(f64, f64)>,
    /// The momentum step −v at the current point (data units), drawn in the path's colour.
    pub velocity_step: Option<(f64, f64)>,
}

/// The Hessian's eigen-directions at a point, drawn as a cross whose arms are scaled by |λ|:
/// blue where the surface curves up (λ > 0), vermillion where it curves down.
pub struct EigenCross {
    pub at: (f64, f64),
    pub eigenvalues: [f64; 2],
    pub eigenvectors: [[f64; 2]; 2],
}

/// An arrow from `from` by `delta` (data units), its pixel length clamped to [min, max].
fn arrow<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    rect: &PlotRect,
    from: (f64, f64),
    delta: (f64, f64),
    (min, max): (f64, f64),
    colour: RGBColor,
    width: u32,
) -> DrawResult<()> {
    let (x0, y0) = rect.to_px(from.0, from.1);
    let sx = rect.width() as f64 / (rect.view[1] - rect.view[0]);
    let sy = rect.height() as f64 / (rect.view[3] - rect.view[2]);
    let (dx, dy) = (delta.0 * sx, -delta.1 * sy);
    let len = (dx * dx + dy * dy).sqrt();
    if !(len.is_finite() && len > 0.0) {
        return Ok(());
    }
    let l = len.clamp(min, max);
    let (ux, uy) = (dx / len, dy / len);
    let tip = (x0 as f64 + ux * l, y0 as f64 + uy * l);
    let head = (l * 0.35).min(10.0 * width as f64);
    let wing = |s: f64| {
        (
            (tip.0 - ux * head - s * uy * head * 0.6).round() as i32,
            (tip.1 - uy * head + s * ux * head * 0.6).round() as i32,
        )
    };
    let t = (tip.0.round() as i32, tip.1.round() as i32);
    let style = colour.stroke_width(width);
    root.draw(&PathElement::new(vec![(x0, y0), t], style))
        .map_err(de)?;
    root.draw(&PathElement::new(vec![wing(1.0), t, wing(-1.0)], style))
        .map_err(de)?;
    Ok(())
}

/// Pixel points of a path, skipping points within one device pixel of the previous kept one.
pub fn decimate(rect: &PlotRect, xy: &[f64], out: &mut Vec<(i32, i32)>) {
    out.clear();
    let mut last: Option<(i32, i32)> = None;
    let n = xy.len() / 2;
    for k in 0..n {
        let p = rect.to_px(xy[2 * k], xy[2 * k + 1]);
        let keep = match last {
            None => true,
            Some(q) => (p.0 - q.0).abs() > 1 || (p.1 - q.1).abs() > 1 || k + 1 == n,
        };
        if keep {
            out.push(p);
            last = Some(p);
        }
    }
}

/// The per-frame overlay: start point, each path as one stroke over a white halo, and each
/// optimizer's current point. No text (text is slow on a canvas and belongs to the frame).
pub fn draw_overlay<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    dpr: f64,
    rect: &PlotRect,
    start: (f64, f64),
    paths: &[PathSpec],
    cross: Option<&EigenCross>,
) -> DrawResult<()> {
    let w = |v: f64| (v * dpr).round().max(1.0) as u32;
    if let Some(c) = cross {
        let (px, py) = rect.to_px(c.at.0, c.at.1);
        let big = c.eigenvalues[0].abs().max(c.eigenvalues[1].abs());
        if big.is_finite() && big > 0.0 {
            for (l, v) in c.eigenvalues.iter().zip(&c.eigenvectors) {
                let arm = 34.0 * dpr * (l.abs() / big).max(0.15);
                let colour = if *l >= 0.0 {
                    RGBColor(0, 114, 178)
                } else {
                    RGBColor(213, 94, 0)
                };
                // Eigenvectors are in data space; show their direction on screen.
                let sx = rect.width() as f64 / (rect.view[1] - rect.view[0]);
                let sy = rect.height() as f64 / (rect.view[3] - rect.view[2]);
                let (dx, dy) = (v[0] * sx, -v[1] * sy);
                let n = (dx * dx + dy * dy).sqrt().max(1e-300);
                let (ex, ey) = ((dx / n * arm) as i32, (dy / n * arm) as i32);
                let seg = vec![(px - ex, py - ey), (px + ex, py + ey)];
                root.draw(&PathElement::new(seg.clone(), WHITE.stroke_width(w(4.0))))
                    .map_err(de)?;
                root.draw(&PathElement::new(seg, colour.stroke_width(w(2.0))))
                    .map_err(de)?;
            }
        }
    }
    let mut pts = Vec::new();
    for p in paths {
        decimate(rect, p.xy, &mut pts);
        if pts.len() >= 2 {
            root.draw(&PathElement::new(
                pts.clone(),
                WHITE.mix(0.85).stroke_width(w(4.0)),
            ))
            .map_err(de)?;
            root.draw(&PathElement::new(
                pts.clone(),
                rgb(p.colour).stroke_width(w(2.0)),
            ))
            .map_err(de)?;
        }
    }
    let (sx, sy) = rect.to_px(start.0, start.1);
    root.draw(&Circle::new((sx, sy), w(6.0), BLACK.stroke_width(w(2.0))))
        .map_err(de)?;
    root.draw(&Circle::new((sx, sy), w(4.0), WHITE.filled()))
        .map_err(de)?;
    for p in paths {
        let n = p.xy.len() / 2;
        if n == 0 {
            continue;
        }
        let here = (p.xy[2 * n - 2], p.xy[2 * n - 1]);
        let (cx, cy) = rect.to_px(here.0, here.1);
        let limits = (10.0 * dpr, 140.0 * dpr);
        if let Some(d) = p.velocity_step {
            arrow(root, rect, here, d, limits, WHITE, w(5.0))?;
            arrow(root, rect, here, d, limits, rgb(p.colour), w(2.5))?;
        }
        if let Some(d) = p.gradient_step {
            arrow(root, rect, here, d, limits, WHITE, w(4.0))?;
            arrow(root, rect, here, d, limits, RGBColor(25, 25, 25), w(2.0))?;
        }
        if let Some((lx, ly)) = p.lookahead {
            let (qx, qy) = rect.to_px(lx, ly);
            root.draw(&PathElement::new(
                vec![(cx, cy), (qx, qy)],
                rgb(p.colour).mix(0.9).stroke_width(w(1.0)),
            ))
            .map_err(de)?;
            root.draw(&Circle::new(
                (qx, qy),
                w(4.0),
                rgb(p.colour).stroke_width(w(2.0)),
            ))
            .map_err(de)?;
        }
        root.draw(&Circle::new((cx, cy), w(6.0), WHITE.filled()))
            .map_err(de)?;
        let style = if p.diverged {
            RGBColor(200, 0, 0).filled()
        } else {
            rgb(p.colour).filled()
        };
        root.draw(&Circle::new((cx, cy), w(4.5), style))
            .map_err(de)?;
    }
    Ok(())
}

/// One line of a chart.
pub struct Series<'a> {
    pub colour: (u8, u8, u8),
    pub xs: &'a [f64],
    pub ys: &'a [f64],
    /// Drawn dashed (e.g. per-coordinate effective rates).
    pub dashed: bool,
}

/// A line chart of several series: linear or log y, with axis titles. Non-finite and (for a
/// log axis) non-positive values are left out; each series is thinned to about one point
/// per device pixel.
pub fn draw_chart<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    dpr: f64,
    series: &[Series],
    log_y: bool,
    x_desc: &str,
    y_desc: &str,
) -> DrawResult<()> {
    root.fill(&WHITE).map_err(de)?;
    let (w, _) = root.dim_in_pixel();
    let keep = |y: f64| y.is_finite() && (!log_y || y > 0.0);
    let (mut x_max, mut y_min, mut y_max) = (1.0f64, f64::INFINITY, f64::NEG_INFINITY);
    for s in series {
        for (x, y) in s.xs.iter().zip(s.ys) {
            if keep(*y) && x.is_finite() {
                x_max = x_max.max(*x);
                y_min = y_min.min(*y);
                y_max = y_max.max(*y);
            }
        }
    }
    if y_min > y_max {
        (y_min, y_max) = if log_y { (1e-3, 1.0) } else { (0.0, 1.0) };
    }
    if log_y {
        // Whole decades with a little room, so a constant line never sits on the frame.
        // Exponents clamped to finite powers of ten (subnormal or huge values otherwise give
        // an axis from 0 or to infinity).
        let decade = |e: f64| 10f64.powf(e.clamp(-307.0, 307.0));
        y_min = decade((y_min.log10() - 0.05).floor());
        y_max = decade((y_max.log10() + 0.05).ceil()).max(y_min * 10.0);
    } else {
        // Room above and below, at least a billionth of the values (a constant line).
        let pad = ((y_max - y_min) * 0.05)
            .max(1e-9 * y_min.abs().max(y_max.abs()))
            .max(1e-12);
        y_min -= pad;
        y_max += pad;
    }
    let s = |v: f64| (v * dpr).round() as i32;
    // A log axis is drawn as a linear one over log₁₀ y, labelled at whole decades.
    let to_axis = |y: f64| if log_y { y.log10() } else { y };
    let (lo, hi) = (to_axis(y_min), to_axis(y_max));
    let (_, h) = root.dim_in_pixel();
    // left (y labels), top, right, bottom (x labels)
    let rect = PlotRect {
        x0: s(60.0),
        y0: s(8.0),
        x1: (w as i32 - s(14.0)).max(s(60.0) + 1),
        y1: (h as i32 - s(40.0)).max(s(8.0) + 1),
        view: [0.0, x_max, lo, hi],
    };
    let xs = labelled_ticks(0.0, x_max, 6);
    let ys: Vec<(f64, String)> = if log_y {
        let decades = (hi - lo).round().max(1.0) as usize;
        nice_ticks(lo, hi, (decades + 1).min(7))
            .into_iter()
            .filter(|v| v.fract() == 0.0)
            .map(|v| (v, log_tick_label(10f64.powi(v as i32))))
            .collect()
    } else {
        labelled_ticks(lo, hi, 5)
    };
    let grid = Grid {
        bold: RGBColor(220, 220, 220),
        light: RGBColor(235, 235, 235),
    };
    draw_axes(root, dpr, &rect, &xs, &ys, (x_desc, y_desc), Some(grid))?;
    let thin = |xs: &[f64], ys: &[f64]| -> Vec<(i32, i32)> {
        let n = xs.len().min(ys.len());
        let step = (n / (w as usize).max(1)).max(1);
        (0..n)
            .filter(|&i| i.is_multiple_of(step) || i + 1 == n)
            .filter(|&i| keep(ys[i]) && xs[i].is_finite())
            .map(|i| rect.to_px(xs[i], to_axis(ys[i])))
            .collect()
    };
    let width = (2.0 * dpr).round().max(1.0) as u32;
    for se in series {
        let pts = thin(se.xs, se.ys);
        if se.dashed {
            let style = rgb(se.colour).stroke_width((dpr).round().max(1.0) as u32);
            root.draw(&plotters::element::DashedPathElement::new(
                pts,
                s(6.0),
                s(4.0),
                style,
            ))
            .map_err(de)?;
        } else {
            let style = rgb(se.colour).stroke_width(width);
            root.draw(&PathElement::new(pts, style)).map_err(de)?;
        }
    }
    Ok(())
}

/// The SVM data view: class regions of a linear classifier W (3 × 3, rows = classes, columns
/// = x₁, x₂, bias) painted by `blit` from [`class_regions_rgba`], then the labelled points.
pub fn draw_data_view<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    dpr: f64,
    view: [f64; 4],
    points: &[LabelledPoint],
    blit: impl FnOnce(&PlotRect) -> DrawResult<()>,
) -> DrawResult<PlotRect> {
    let rect = framed_plot(root, dpr, view, ("x₁", "x₂"), blit)?;
    let size = (4.0 * dpr).round() as i32;
    let thick = (1.5 * dpr).round().max(1.0) as u32;
    for p in points {
        let (px, py) = rect.to_px(p.x[0], p.x[1]);
        let colour = rgb(optimizer_colour(p.class as usize + 4));
        // Shapes differ by class as well as colour: circle, triangle, square.
        match p.class % 3 {
            0 => {
                root.draw(&Circle::new((px, py), size as u32, colour.filled()))
                    .map_err(de)?;
                root.draw(&Circle::new(
                    (px, py),
                    size as u32,
                    BLACK.stroke_width(thick),
                ))
                .map_err(de)?;
            }
            1 => {
                let tri = vec![
                    (px, py - size - 1),
                    (px + size + 1, py + size),
                    (px - size - 1, py + size),
                ];
                root.draw(&Polygon::new(tri.clone(), colour.filled()))
                    .map_err(de)?;
                let mut outline = tri;
                outline.push(outline[0]);
                root.draw(&PathElement::new(outline, BLACK.stroke_width(thick)))
                    .map_err(de)?;
            }
            _ => {
                root.draw(&Rectangle::new(
                    [(px - size, py - size), (px + size, py + size)],
                    colour.filled(),
                ))
                .map_err(de)?;
                root.draw(&Rectangle::new(
                    [(px - size, py - size), (px + size, py + size)],
                    BLACK.stroke_width(thick),
                ))
                .map_err(de)?;
            }
        }
    }
    Ok(rect)
}

/// RGBA pixels (`nx × ny`, row 0 at the top) of the class a linear classifier W assigns to
/// each point of `view`: argmaxₖ wₖ·(x₁, x₂, 1), tinted with the class colour.
pub fn class_regions_rgba(w: &[f64], view: [f64; 4], nx: usize, ny: usize) -> Vec<u8> {
    let mut px = Vec::with_capacity(nx * ny * 4);
    let classes = w.len() / 3;
    for j in 0..ny {
        let y = view[3] - (j as f64 + 0.5) / ny as f64 * (view[3] - view[2]);
        for i in 0..nx {
            let x = view[0] + (i as f64 + 0.5) / nx as f64 * (view[1] - view[0]);
            let mut best = (0usize, f64::NEG_INFINITY);
            for k in 0..classes {
                let s = w[3 * k] * x + w[3 * k + 1] * y + w[3 * k + 2];
                if s > best.1 {
                    best = (k, s);
                }
            }
            let (r, g, b) = tint(optimizer_colour(best.0 + 4), 0.72);
            px.extend_from_slice(&[r, g, b, 255]);
        }
    }
    px
}

/// A path in the 3-D view: points (θ₀, height, θ₁), height on the surface's colour scale.
pub struct Path3d {
    pub colour: (u8, u8, u8),
    pub points: Vec<(f64, f64, f64)>,
}

/// The loss as a 3-D surface over the view (height and colour on the heatmap's scale, so a
/// log-scaled surface is drawn in log height), with the paths on it, seen from `yaw`/`pitch`
/// (radians). `field` should be coarse (about 30 × 30): each cell is one polygon.
pub fn draw_surface_3d<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    dpr: f64,
    field: &super::field::Field,
    scale: &Scale,
    (yaw, pitch): (f64, f64),
    axis_names: (&str, &str),
    paths: &[Path3d],
) -> DrawResult<()> {
    root.fill(&WHITE).map_err(de)?;
    let v = field.view;
    let s = |x: f64| (x * dpr).round() as i32;
    let mut chart = ChartBuilder::on(root)
        .margin(s(6.0))
        .build_cartesian_3d(v[0]..v[1], 0.0..1.0f64, v[2]..v[3])
        .map_err(de)?;
    chart.with_projection(|mut p| {
        p.yaw = yaw;
        p.pitch = pitch;
        p.scale = 0.78;
        p.into_matrix()
    });

    // A light floor grid with tick labels (plotters' own 3-D axes cost 17 KB of download).
    let grid = RGBAColor(0, 0, 0, 0.12).stroke_width(1);
    let ticks = |lo: f64, hi: f64| -> Vec<f64> {
        (0..=4).map(|k| lo + (hi - lo) * k as f64 / 4.0).collect()
    };
    let label = font(dpr, 10.0);
    for x in ticks(v[0], v[1]) {
        chart
            .draw_series(LineSeries::new([(x, 0.0, v[2]), (x, 0.0, v[3])], grid))
            .map_err(de)?;
        chart
            .draw_series(std::iter::once(Text::new(
                tick_label(x),
                (x, 0.0, v[2]),
                label.clone(),
            )))
            .map_err(de)?;
    }
    for z in ticks(v[2], v[3]) {
        chart
            .draw_series(LineSeries::new([(v[0], 0.0, z), (v[1], 0.0, z)], grid))
            .map_err(de)?;
        chart
            .draw_series(std::iter::once(Text::new(
                tick_label(z),
                (v[1], 0.0, z),
                label.clone(),
            )))
            .map_err(de)?;
    }
    let (nx, ny) = (field.nx, field.ny);
    let xs: Vec<f64> = (0..nx).map(|i| field.centre(i, 0).0).collect();
    let zs: Vec<f64> = (0..ny).map(|j| field.centre(0, j).1).collect();
    let height = |x: f64, z: f64| {
        let i = (((x - v[0]) / (v[1] - v[0]) * nx as f64 - 0.5).round() as usize).min(nx - 1);
        let j = (((v[3] - z) / (v[3] - v[2]) * ny as f64 - 0.5).round() as usize).min(ny - 1);
        let u = scale.unit(field.at(i, j));
        if u.is_finite() {
            u.clamp(0.0, 1.0)
        } else {
            0.0
        }
    };
    let colour = |h: &f64| rgb(super::colour::viridis(*h)).mix(0.92).filled();
    chart
        .draw_series(SurfaceSeries::xoz(xs.into_iter(), zs.into_iter(), height).style_func(&colour))
        .map_err(de)?;
    let width = (2.5 * dpr).round().max(1.0) as u32;
    for p in paths {
        if p.points.len() >= 2 {
            chart
                .draw_series(LineSeries::new(
                    p.points.iter().copied(),
                    WHITE.stroke_width(width + 2),
                ))
                .map_err(de)?;
            chart
                .draw_series(LineSeries::new(
                    p.points.iter().copied(),
                    rgb(p.colour).stroke_width(width),
                ))
                .map_err(de)?;
        }
        if let Some(&last) = p.points.last() {
            chart
                .draw_series(std::iter::once(Circle::new(
                    last,
                    (4.0 * dpr) as u32,
                    rgb(p.colour).filled(),
                )))
                .map_err(de)?;
        }
    }
    let title = format!(
        "L({}, {}); height and colour on the heatmap's scale",
        axis_names.0, axis_names.1
    );
    root.draw(&Text::new(title, (s(8.0), s(6.0)), font(dpr, 11.0)))
        .map_err(de)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_are_short_and_exact() {
        assert_eq!(tick_label(0.30000000000000004), "0.3");
        assert_eq!(tick_label(-1.5), "-1.5");
        assert_eq!(tick_label(2e-5), "2e-5");
        assert_eq!(tick_label(123456.0), "1e5");
        assert_eq!(tick_label(960000.0), "1e6");
        assert_eq!(
            tick_label(1e-13),
            "0",
            "float noise around zero on a linear axis"
        );
        assert_eq!(log_tick_label(1e-13), "1e-13");
        assert_eq!(log_tick_label(0.01), "0.01");
        assert_eq!(level_label(12.3456), "12.35");
        assert_eq!(level_label(0.061234), "0.061");
        assert_eq!(level_label(388.7), "389");
        assert_eq!(level_label(-2.3), "-2.3");
        assert_eq!(level_label(4.2e-6), "4e-6");
    }
}
