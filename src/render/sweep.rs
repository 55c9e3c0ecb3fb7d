//! A sweep's picture: one coloured cell per run over the two swept values (a log axis drawn
//! as a linear one over log₁₀), the stability bound where it applies, the current setting.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::axes::{
    de, draw_axes, font, labelled_ticks, log_tick_label, nice_ticks, DrawResult, PlotRect,
};
use super::colour::viridis;

/// One axis of the picture.
#[derive(Debug, Clone)]
pub struct SweepAxis {
    pub lo: f64,
    pub hi: f64,
    pub cells: usize,
    pub log: bool,
    pub title: String,
}

impl SweepAxis {
    fn to_axis(&self, v: f64) -> f64 {
        if self.log {
            v.log10()
        } else {
            v
        }
    }
    /// The axis span in drawn units: half a cell beyond the first and last values.
    fn span(&self) -> (f64, f64) {
        let (a, b) = (self.to_axis(self.lo), self.to_axis(self.hi));
        let half = if self.cells > 1 {
            0.5 * (b - a) / (self.cells - 1) as f64
        } else {
            0.5 * a.abs().max(1.0)
        };
        (a - half, b + half)
    }
    fn ticks(&self) -> Vec<(f64, String)> {
        let (lo, hi) = self.span();
        if self.log {
            let whole: Vec<f64> = nice_ticks(lo, hi, 7)
                .into_iter()
                .filter(|v| v.fract() == 0.0)
                .collect();
            if whole.len() >= 2 {
                return whole
                    .into_iter()
                    .map(|v| (v, log_tick_label(10f64.powi(v as i32))))
                    .collect();
            }
            // Less than a decade: plain values at their places.
            return labelled_ticks(10f64.powf(lo), 10f64.powf(hi), 4)
                .into_iter()
                .filter(|(v, _)| *v > 0.0)
                .map(|(v, t)| (v.log10(), t))
                .collect();
        }
        labelled_ticks(lo, hi, 6)
    }
}

/// The colour of a cell by what it measures: `t` in [0, 1] for a run that ended well (1 the
/// best), or how it failed.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum CellColour {
    Pending,
    Good(f64),
    /// Not converged within the steps.
    Stopped,
    /// Parked on a saddle or maximum.
    Critical,
    /// Diverged; `t` in [0, 1], 0 at the first update, 1 at the last.
    Diverged(f64),
    /// A colour of its own (a basin: the minimum's).
    Rgb(u8, u8, u8),
}

impl CellColour {
    pub fn rgb(self) -> (u8, u8, u8) {
        match self {
            CellColour::Pending => (245, 245, 245),
            CellColour::Good(t) => viridis(t.clamp(0.0, 1.0)),
            CellColour::Stopped => (190, 190, 190),
            CellColour::Critical => (120, 130, 150),
            // Early divergence dark red, late light red.
            CellColour::Diverged(t) => {
                let t = t.clamp(0.0, 1.0);
                let mix = |a: f64, b: f64| (a + (b - a) * t).round() as u8;
                (mix(120.0, 240.0), mix(10.0, 150.0), mix(20.0, 140.0))
            }
            CellColour::Rgb(r, g, b) => (r, g, b),
        }
    }
}

/// The cells' colours as an RGBA image, top row first (the highest y), one pixel a cell.
pub fn sweep_rgba(cells: &[CellColour], nx: usize, ny: usize) -> Vec<u8> {
    let mut out = vec![0u8; nx * ny * 4];
    for (i, c) in cells.iter().enumerate().take(nx * ny) {
        let (ix, iy) = (i % nx, i / nx);
        let at = ((ny - 1 - iy) * nx + ix) * 4;
        let (r, g, b) = c.rgb();
        out[at..at + 4].copy_from_slice(&[r, g, b, 255]);
    }
    out
}

/// Draw the sweep: `blit` paints the cells (one image over the plot rectangle, see
/// [`sweep_rgba`]), then the axes, `bound` (a polyline in the axes' values) and `mark`, the
/// current setting.
pub fn draw_sweep<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    dpr: f64,
    (x, y): (&SweepAxis, &SweepAxis),
    blit: impl FnOnce(&PlotRect) -> DrawResult<()>,
    bound: Option<(&[[f64; 2]], &str)>,
    mark: Option<[f64; 2]>,
) -> DrawResult<PlotRect> {
    root.fill(&WHITE).map_err(de)?;
    let (w, h) = root.dim_in_pixel();
    let s = |v: f64| (v * dpr).round() as i32;
    let (xl, xh) = x.span();
    let (yl, yh) = y.span();
    let rect = PlotRect {
        x0: s(62.0),
        y0: s(8.0),
        x1: (w as i32 - s(10.0)).max(s(62.0) + 1),
        y1: (h as i32 - s(42.0)).max(s(8.0) + 1),
        view: [xl, xh, yl, yh],
    };
    blit(&rect)?;
    draw_axes(
        root,
        dpr,
        &rect,
        &x.ticks(),
        &y.ticks(),
        (&x.title, &y.title),
        None,
    )?;
    let inside = |p: &[f64; 2]| {
        let (u, v) = (x.to_axis(p[0]), y.to_axis(p[1]));
        (u.is_finite() && v.is_finite() && u >= xl && u <= xh && v >= yl && v <= yh)
            .then(|| rect.to_px(u, v))
    };
    if let Some((points, formula)) = bound {
        let pts: Vec<(i32, i32)> = points.iter().filter_map(inside).collect();
        let ink = RGBColor(255, 255, 255);
        let width = (2.0 * dpr).round().max(1.0) as u32;
        if pts.len() >= 2 {
            root.draw(&plotters::element::DashedPathElement::new(
                pts.clone(),
                s(6.0),
                s(4.0),
                ink.stroke_width(width + 2),
            ))
            .map_err(de)?;
            root.draw(&plotters::element::DashedPathElement::new(
                pts.clone(),
                s(6.0),
                s(4.0),
                RGBColor(0, 0, 0).stroke_width(width),
            ))
            .map_err(de)?;
            let (px, py) = pts[pts.len() / 2];
            let style = font(dpr, 11.0).color(&RGBColor(0, 0, 0));
            let text = format!("α = {formula}");
            let (tw, th) = root.estimate_text_size(&text, &style).unwrap_or((0, 0));
            // Right of the line, or left of it where the label would leave the plot.
            let right = px + s(6.0);
            let x = if right + tw as i32 > rect.x1 {
                (px - s(6.0) - tw as i32).max(rect.x0)
            } else {
                right
            };
            let at = (x, py - th as i32 / 2);
            root.draw(&Rectangle::new(
                [
                    (at.0 - s(2.0), at.1 - s(1.0)),
                    (at.0 + tw as i32 + s(2.0), at.1 + th as i32 + s(1.0)),
                ],
                RGBColor(255, 255, 255).mix(0.85).filled(),
            ))
            .map_err(de)?;
            root.draw_text(&text, &style, at).map_err(de)?;
        }
    }
    if let Some(p) = mark.as_ref().and_then(inside) {
        let r = s(6.0);
        for (colour, width) in [
            (RGBColor(255, 255, 255), s(4.0)),
            (RGBColor(0, 0, 0), s(2.0)),
        ] {
            let stroke = colour.stroke_width(width.max(1) as u32);
            root.draw(&PathElement::new(
                vec![(p.0 - r, p.1 - r), (p.0 + r, p.1 + r)],
                stroke,
            ))
            .map_err(de)?;
            root.draw(&PathElement::new(
                vec![(p.0 - r, p.1 + r), (p.0 + r, p.1 - r)],
                stroke,
            ))
            .map_err(de)?;
        }
    }
    Ok(rect)
}
