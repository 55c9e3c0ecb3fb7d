//! The SVM data view: the class regions of the linear classifier being trained and the
//! labelled points, so the page shows what the optimizers are fitting.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::axes::{de, framed_plot, rgb, DrawResult, PlotRect};
use super::colour::{optimizer_colour, tint};
use crate::core::objective::LabelledPoint;

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
