//! The per-frame overlay over the contour view: optimizer paths, current points, Nesterov's
//! look-ahead ring, step arrows and the Hessian's eigen-cross; redrawn every animation frame.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::axes::{de, rgb, DrawResult, PlotRect};

/// One optimizer's path for the overlay: its points in data space and its current position.
pub struct PathSpec<'a> {
    pub colour: (u8, u8, u8),
    /// Its current point is a square (the second eight lines), else a disc.
    pub square: bool,
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

/// An arrow from `from` by `delta` (data units), its pixel length clamped to [min, max]: a
/// white outline `outline` px wide under the arrow in `colour`, `width` px wide. Both strokes
/// share one geometry (shaft, tip and wings), so the outline is even all round the tip.
#[allow(clippy::too_many_arguments)]
fn arrow<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    rect: &PlotRect,
    from: (f64, f64),
    delta: (f64, f64),
    (min, max): (f64, f64),
    colour: RGBColor,
    (width, outline): (u32, u32),
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
    for style in [WHITE.stroke_width(outline), colour.stroke_width(width)] {
        root.draw(&PathElement::new(vec![(x0, y0), t], style))
            .map_err(de)?;
        root.draw(&PathElement::new(vec![wing(1.0), t, wing(-1.0)], style))
            .map_err(de)?;
    }
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

/// Each path as one stroke over a white halo (the page strokes its trail layer itself,
/// piece by piece; see `render::trails`).
pub fn draw_paths<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    dpr: f64,
    rect: &PlotRect,
    paths: &[PathSpec],
) -> DrawResult<()> {
    let w = |v: f64| (v * dpr).round().max(1.0) as u32;
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
    Ok(())
}

/// The whole overlay: the paths ([`draw_paths`]) under the markers ([`draw_markers`]).
pub fn draw_overlay<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    dpr: f64,
    rect: &PlotRect,
    start: (f64, f64),
    paths: &[PathSpec],
    cross: Option<&EigenCross>,
) -> DrawResult<()> {
    draw_paths(root, dpr, rect, paths)?;
    draw_markers(root, dpr, rect, start, paths, cross)
}

/// What moves every frame, over the paths: the Hessian's eigen-cross, the start point, and at
/// each path's last point its arrows, Nesterov's look-ahead ring and the current point. No
/// text (text is slow on a canvas and belongs to the frame).
pub fn draw_markers<DB: DrawingBackend>(
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
            arrow(root, rect, here, d, limits, rgb(p.colour), (w(2.5), w(5.0)))?;
        }
        if let Some(d) = p.gradient_step {
            arrow(
                root,
                rect,
                here,
                d,
                limits,
                RGBColor(25, 25, 25),
                (w(2.0), w(4.0)),
            )?;
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
        let style = if p.diverged {
            RGBColor(200, 0, 0).filled()
        } else {
            rgb(p.colour).filled()
        };
        if p.square {
            let (a, b) = (w(6.0) as i32, w(4.0) as i32);
            root.draw(&Rectangle::new(
                [(cx - a, cy - a), (cx + a, cy + a)],
                WHITE.filled(),
            ))
            .map_err(de)?;
            root.draw(&Rectangle::new([(cx - b, cy - b), (cx + b, cy + b)], style))
                .map_err(de)?;
        } else {
            root.draw(&Circle::new((cx, cy), w(6.0), WHITE.filled()))
                .map_err(de)?;
            root.draw(&Circle::new((cx, cy), w(4.5), style))
                .map_err(de)?;
        }
    }
    Ok(())
}
