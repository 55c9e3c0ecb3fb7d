//! The loss and learning-rate line charts ([`Series`] on a linear or log y axis), showing how
//! each optimizer's run evolves step by step.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::axes::{
    de, draw_axes, labelled_ticks, log_tick_label, nice_ticks, rgb, DrawResult, Grid, PlotRect,
};

/// One line of a chart.
pub struct Series<'a> {
    pub colour: (u8, u8, u8),
    pub xs: &'a [f64],
    pub ys: &'a [f64],
    /// Drawn thin and dashed (e.g. per-coordinate effective rates).
    pub dashed: bool,
    /// Drawn in long dashes at full width: the second eight lines, which repeat the palette.
    pub long_dash: bool,
}

/// The plot's left and right margins in CSS pixels (y labels; room for the last x label).
pub const CHART_LEFT: f64 = 60.0;
pub const CHART_RIGHT: f64 = 14.0;

/// The right end of a chart's x axis: the largest x with a value drawn (at least 1).
pub fn chart_x_max(series: &[Series], log_y: bool) -> f64 {
    let keep = |y: f64| y.is_finite() && (!log_y || y > 0.0);
    series
        .iter()
        .flat_map(|s| s.xs.iter().zip(s.ys))
        .filter(|(x, y)| keep(**y) && x.is_finite())
        .fold(1.0f64, |m, (x, _)| m.max(*x))
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
    let x_max = chart_x_max(series, log_y);
    let (mut y_min, mut y_max) = (f64::INFINITY, f64::NEG_INFINITY);
    for s in series {
        for (x, y) in s.xs.iter().zip(s.ys) {
            if keep(*y) && x.is_finite() {
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
        x0: s(CHART_LEFT),
        y0: s(8.0),
        x1: (w as i32 - s(CHART_RIGHT)).max(s(CHART_LEFT) + 1),
        y1: (h as i32 - s(40.0)).max(s(8.0) + 1),
        view: [0.0, x_max, lo, hi],
    };
    // As many x labels as fit side by side (about 6.5 CSS px a character and a gap): a
    // narrow embedded chart gets fewer rather than overlapping ones.
    let plot_css = f64::from(rect.x1 - rect.x0) / dpr;
    let fits = |n: usize| {
        let ticks = labelled_ticks(0.0, x_max, n);
        let widest = ticks.iter().map(|t| t.1.chars().count()).max().unwrap_or(1) as f64;
        (ticks.len() as f64) * (widest * 6.5 + 10.0) <= plot_css
    };
    let n = (2..=6).rev().find(|&n| fits(n)).unwrap_or(2);
    let xs = labelled_ticks(0.0, x_max, n);
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
        } else if se.long_dash {
            let style = rgb(se.colour).stroke_width(width);
            root.draw(&plotters::element::DashedPathElement::new(
                pts,
                s(12.0),
                s(5.0),
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
