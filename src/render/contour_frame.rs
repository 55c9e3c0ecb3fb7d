//! The contour view's background frame: the heatmap (painted by a blit callback), labelled
//! contour lines and critical points, drawn once per view change under the per-frame overlay.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor;

use super::axes::{de, framed_plot, level_label, DrawResult, PlotRect};
use super::colour::{text_on, viridis};
use super::contour::Contour;
use super::field::Scale;
use crate::core::objective::{CriticalKind, CriticalPoint};

/// Contour lines with their labels, for [`draw_contour_frame`].
pub struct ContourSet<'a> {
    pub lines: &'a [Contour],
    pub scale: &'a Scale,
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
        // Black or white, whichever reads better on the heatmap's colour at this level.
        let (r, g, b) = text_on(viridis(contours.scale.unit(lv)));
        let colour = RGBColor(r, g, b);
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
