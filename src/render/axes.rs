//! Axes, ticks, grid and the plot rectangle ([`PlotRect`]) shared by every 2-D view, plus the
//! short number labels they print: one place for the frame every view draws around its data.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor;

pub(super) type DrawResult<T> = Result<T, String>;

pub(super) fn de<E: std::fmt::Display>(e: E) -> String {
    format!("drawing failed: {e}")
}

pub(super) fn rgb((r, g, b): (u8, u8, u8)) -> RGBColor {
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

pub(super) fn font(dpr: f64, size: f64) -> TextStyle<'static> {
    (FontFamily::SansSerif, size * dpr)
        .into_font()
        .color(&RGBColor(40, 40, 40))
}

/// `v` rounded to `decimals` places, printed shortest (no trailing zeros). Written without
/// `{:.N}` precision formatting, whose code would add kilobytes to the wasm download.
fn rounded(v: f64, decimals: i32) -> String {
    let p = 10f64.powi(decimals);
    let r = (v * p).round() / p;
    (if r == 0.0 { 0.0 } else { r }).to_string()
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

/// A grid under a chart's series: lines at the ticks and fainter ones between them.
pub(super) struct Grid {
    pub(super) bold: RGBColor,
    pub(super) light: RGBColor,
}

/// Axis lines on the left and bottom of `rect`, outward tick marks with their labels, the
/// axis titles (the y title turned), and optionally a grid: drawn straight through plotters'
/// drawing area, so the download carries no generic chart code for them.
#[allow(clippy::too_many_arguments)]
pub(super) fn draw_axes<DB: DrawingBackend>(
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
pub(super) fn labelled_ticks(lo: f64, hi: f64, max: usize) -> Vec<(f64, String)> {
    nice_ticks(lo, hi, max)
        .into_iter()
        .map(|v| (v, tick_label(v)))
        .collect()
}

/// The frame shared by the contour and data views: white, `blit` into the plot rectangle,
/// then the axes with their titles (no grid over the picture).
pub(super) fn framed_plot<DB: DrawingBackend>(
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
