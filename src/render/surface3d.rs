//! The 3-D view: the loss surface seen from a chosen angle with the optimizer paths
//! ([`Path3d`]) on it, for a feel of the landscape the contours flatten.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::axes::{de, font, nice_ticks, rgb, tick_label, DrawResult};
use super::field::Scale;

/// A path in the 3-D view: points (θ₀, height, θ₁), height on the surface's colour scale.
pub struct Path3d {
    pub colour: (u8, u8, u8),
    pub points: Vec<(f64, f64, f64)>,
}

/// A surface cell's four corners (θ₀, height, θ₁).
type Quad = [(f64, f64, f64); 4];

/// The loss as a 3-D surface over the view (height and colour on the heatmap's scale, so a
/// log-scaled surface is drawn in log height), with the paths on it, seen from `yaw`/`pitch`
/// (radians). Each `sub` × `sub` block of `field`'s samples is one polygon (about 36 × 36).
pub fn draw_surface_3d<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    dpr: f64,
    (field, sub): (&super::field::Field, usize),
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
    // The floor's edges, and round tick values (1, 2 or 5 × 10ᵏ apart) as the 2-D axes have.
    let lines = |lo: f64, hi: f64| {
        let mut at = nice_ticks(lo, hi, 5);
        if at.first() != Some(&lo) {
            at.insert(0, lo);
        }
        if at.last() != Some(&hi) {
            at.push(hi);
        }
        at
    };
    let label = font(dpr, 10.0);
    // Labels sit a little outside the floor, each axis's off its own edge, so the two
    // labels at the shared corner do not overlap.
    let (out_x, out_z) = (0.1 * (v[1] - v[0]), 0.1 * (v[3] - v[2]));
    for x in lines(v[0], v[1]) {
        chart
            .draw_series(LineSeries::new([(x, 0.0, v[2]), (x, 0.0, v[3])], grid))
            .map_err(de)?;
    }
    for z in lines(v[2], v[3]) {
        chart
            .draw_series(LineSeries::new([(v[0], 0.0, z), (v[1], 0.0, z)], grid))
            .map_err(de)?;
    }
    for x in nice_ticks(v[0], v[1], 5) {
        chart
            .draw_series(std::iter::once(Text::new(
                tick_label(x),
                (x, 0.0, v[2] - out_z),
                label.clone(),
            )))
            .map_err(de)?;
    }
    // A z tick on the x axis's edge shares its corner with the x labels: left to them.
    for z in nice_ticks(v[2], v[3], 5).into_iter().filter(|&z| z != v[2]) {
        chart
            .draw_series(std::iter::once(Text::new(
                tick_label(z),
                (v[1] + out_x, 0.0, z),
                label.clone(),
            )))
            .map_err(de)?;
    }
    // Vertices on a grid `sub` times coarser than the samples, each the mean height of its
    // sub × sub block: a valley narrower than a cell becomes a smooth groove instead of a comb
    // of single-sample spikes (aliasing).
    let sub = sub.max(1);
    let (nx, ny) = ((field.nx / sub).max(2), (field.ny / sub).max(2));
    let unit = |i: usize, j: usize| {
        let u = scale.unit(field.at(i.min(field.nx - 1), j.min(field.ny - 1)));
        if u.is_finite() {
            u.clamp(0.0, 1.0)
        } else {
            0.0
        }
    };
    let mut heights = vec![0.0; nx * ny];
    for j in 0..ny {
        for i in 0..nx {
            let block = (0..sub).flat_map(|b| (0..sub).map(move |a| (i * sub + a, j * sub + b)));
            heights[j * nx + i] = block.map(|(a, b)| unit(a, b)).sum::<f64>() / (sub * sub) as f64;
        }
    }
    let xs: Vec<f64> = (0..nx)
        .map(|i| v[0] + (i as f64 + 0.5) / nx as f64 * (v[1] - v[0]))
        .collect();
    let zs: Vec<f64> = (0..ny)
        .map(|j| v[3] - (j as f64 + 0.5) / ny as f64 * (v[3] - v[2]))
        .collect();
    // One quad per cell, drawn from the farthest to the nearest (painter's order), so a
    // near wall hides the far one instead of showing through it.
    let mut quads: Vec<(i32, f64, Quad)> = Vec::with_capacity(nx * ny);
    let coord = chart.as_coord_spec();
    for i in 0..nx - 1 {
        for j in 0..ny - 1 {
            let corner = |a: usize, b: usize| (xs[a], heights[b * nx + a], zs[b]);
            let q = [
                corner(i, j),
                corner(i + 1, j),
                corner(i + 1, j + 1),
                corner(i, j + 1),
            ];
            let mid = |k: usize| q.iter().map(|c| [c.0, c.1, c.2][k]).sum::<f64>() / 4.0;
            let (cx, cy, cz) = (mid(0), mid(1), mid(2));
            quads.push((coord.projected_depth(&cx, &cy, &cz), cy, q));
        }
    }
    quads.sort_by_key(|q| std::cmp::Reverse(q.0));
    chart
        .draw_series(quads.into_iter().map(|(_, h, q)| {
            Polygon::new(
                q.to_vec(),
                rgb(super::colour::viridis(h)).mix(0.92).filled(),
            )
        }))
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
