//! The legend under an exported view: each optimizer's line sample (the second eight in long
//! dashes, as in the charts) and its name, in rows that wrap to the picture's width. The same
//! code draws it onto a PNG's canvas and into an SVG.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::axes::{de, rgb, DrawResult};

/// One entry: the line's colour, whether it is one of the second eight, and its name.
pub struct LegendEntry<'a> {
    pub colour: (u8, u8, u8),
    pub second: bool,
    pub name: &'a str,
}

/// Sizes in CSS pixels (× dpr on the picture): sample, gap, font, row height, padding.
const SAMPLE: f64 = 20.0;
const GAP: f64 = 6.0;
const SPACE: f64 = 18.0;
const FONT: f64 = 13.0;
const ROW: f64 = 20.0;
const PAD: f64 = 10.0;

/// Width of an entry (text estimated at 0.6 em a character: no font metrics are needed, so an
/// SVG and a canvas lay out alike).
fn entry_width(e: &LegendEntry, dpr: f64) -> f64 {
    (SAMPLE + GAP + 0.6 * FONT * e.name.chars().count() as f64 + SPACE) * dpr
}

/// The entries' rows (indices) in a picture `width` device pixels wide.
fn rows(entries: &[LegendEntry], width: u32, dpr: f64) -> Vec<Vec<usize>> {
    let mut out: Vec<Vec<usize>> = vec![Vec::new()];
    let mut x = PAD * dpr;
    for (i, e) in entries.iter().enumerate() {
        let w = entry_width(e, dpr);
        let row_full = out.last().is_some_and(|r| !r.is_empty());
        if x + w > width as f64 - PAD * dpr && row_full {
            out.push(Vec::new());
            x = PAD * dpr;
        }
        if let Some(r) = out.last_mut() {
            r.push(i);
        }
        x += w;
    }
    out
}

/// Height in device pixels of the legend of `entries` in a picture `width` wide.
pub fn legend_height(entries: &[LegendEntry], width: u32, dpr: f64) -> u32 {
    let n = rows(entries, width, dpr).len() as f64;
    ((n * ROW + PAD) * dpr).round() as u32
}

/// Draw the legend over all of `root` (white first).
pub fn draw_legend<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    dpr: f64,
    entries: &[LegendEntry],
) -> DrawResult<()> {
    root.fill(&WHITE).map_err(de)?;
    let (w, _) = root.dim_in_pixel();
    let s = |v: f64| (v * dpr).round() as i32;
    let font = (FontFamily::SansSerif, FONT * dpr)
        .into_font()
        .color(&RGBColor(27, 31, 36))
        .pos(Pos::new(HPos::Left, VPos::Center));
    let stroke = (3.0 * dpr).round().max(1.0) as u32;
    for (r, row) in rows(entries, w, dpr).iter().enumerate() {
        let y = s(PAD / 2.0 + ROW * r as f64 + ROW / 2.0);
        let mut x = PAD * dpr;
        for &i in row {
            let e = &entries[i];
            let x0 = x.round() as i32;
            let style = rgb(e.colour).stroke_width(stroke);
            let sample = vec![(x0, y), (x0 + s(SAMPLE), y)];
            if e.second {
                root.draw(&plotters::element::DashedPathElement::new(
                    sample,
                    s(6.0),
                    s(3.0),
                    style,
                ))
                .map_err(de)?;
            } else {
                root.draw(&PathElement::new(sample, style)).map_err(de)?;
            }
            root.draw(&Text::new(
                e.name.to_string(),
                (x0 + s(SAMPLE + GAP), y),
                font.clone(),
            ))
            .map_err(de)?;
            x += entry_width(e, dpr);
        }
    }
    Ok(())
}

/// Paint `rgba` (an `nx × ny` image, top row first) into `rect` as at most `most` × `most`
/// filled cells: a heatmap for vector output (an SVG has no bitmap without an image encoder).
pub fn draw_cells<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    rect: &super::PlotRect,
    rgba: &[u8],
    (nx, ny): (usize, usize),
    most: usize,
) -> DrawResult<()> {
    let (cx, cy) = (nx.min(most).max(1), ny.min(most).max(1));
    let edge =
        |i: usize, n: usize, lo: i32, len: i32| lo + (i as i64 * len as i64 / n as i64) as i32;
    for j in 0..cy {
        for i in 0..cx {
            let (sx, sy) = ((2 * i + 1) * nx / (2 * cx), (2 * j + 1) * ny / (2 * cy));
            let k = 4 * (sy * nx + sx);
            let Some(px) = rgba.get(k..k + 3) else {
                continue;
            };
            let a = (
                edge(i, cx, rect.x0, rect.width()),
                edge(j, cy, rect.y0, rect.height()),
            );
            let b = (
                edge(i + 1, cx, rect.x0, rect.width()),
                edge(j + 1, cy, rect.y0, rect.height()),
            );
            root.draw(&Rectangle::new(
                [a, b],
                RGBColor(px[0], px[1], px[2]).filled(),
            ))
            .map_err(de)?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entries(names: &[&'static str]) -> Vec<LegendEntry<'static>> {
        names
            .iter()
            .map(|n| LegendEntry {
                colour: (0, 0, 0),
                second: false,
                name: n,
            })
            .collect()
    }

    #[test]
    fn rows_wrap_at_the_width_and_keep_every_entry_once() {
        let e = entries(&["GD", "Momentum", "Adam α=0.05, ρ₁=0.9", "RMSProp", "x"]);
        let r = rows(&e, 300, 1.0);
        assert!(r.len() >= 2, "{r:?}");
        assert_eq!(r.concat(), [0, 1, 2, 3, 4]);
        // One wide entry alone on a narrow picture still gets a row.
        assert_eq!(rows(&e[2..3], 50, 1.0), [[0]]);
        assert_eq!(legend_height(&e[..1], 300, 2.0), 60);
    }
}
