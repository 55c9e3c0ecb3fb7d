//! The loss sampled on a grid over a view box: the input of the heatmap and the contours.

use crate::core::objective::Objective;

/// Loss values at the centres of an `nx × ny` grid over `view` (row 0 at the top, i.e. y max).
#[derive(Debug, Clone, PartialEq)]
pub struct Field {
    pub nx: usize,
    pub ny: usize,
    /// `[x_min, x_max, y_min, y_max]`.
    pub view: [f64; 4],
    pub values: Vec<f64>,
    /// Smallest and largest finite value (0, 0 when none is finite).
    pub min: f64,
    pub max: f64,
    /// Cells whose loss is NaN or infinite.
    pub non_finite: usize,
}

impl Field {
    /// Sample `obj` over `view`. Beyond two dimensions, the other coordinates are held at
    /// `base` (a 2-D slice through θ₀, θ₁).
    pub fn sample(
        obj: &dyn Objective,
        view: [f64; 4],
        nx: usize,
        ny: usize,
        base: &[f64],
    ) -> Field {
        let (nx, ny) = (nx.max(2), ny.max(2));
        let mut p = base.to_vec();
        if p.len() < 2 {
            p.resize(2, 0.0);
        }
        let mut values = Vec::with_capacity(nx * ny);
        let (mut min, mut max, mut non_finite) = (f64::INFINITY, f64::NEG_INFINITY, 0);
        for j in 0..ny {
            p[1] = view[3] - (j as f64 + 0.5) / ny as f64 * (view[3] - view[2]);
            for i in 0..nx {
                p[0] = view[0] + (i as f64 + 0.5) / nx as f64 * (view[1] - view[0]);
                let v = obj.loss(&p);
                if v.is_finite() {
                    min = min.min(v);
                    max = max.max(v);
                } else {
                    non_finite += 1;
                }
                values.push(v);
            }
        }
        if min > max {
            (min, max) = (0.0, 0.0);
        }
        Field {
            nx,
            ny,
            view,
            values,
            min,
            max,
            non_finite,
        }
    }

    /// Data coordinates of grid cell centre (i, j).
    pub fn centre(&self, i: usize, j: usize) -> (f64, f64) {
        let v = self.view;
        (
            v[0] + (i as f64 + 0.5) / self.nx as f64 * (v[1] - v[0]),
            v[3] - (j as f64 + 0.5) / self.ny as f64 * (v[3] - v[2]),
        )
    }

    #[inline(always)]
    pub fn at(&self, i: usize, j: usize) -> f64 {
        self.values[j * self.nx + i]
    }
}

/// How loss values map to colour and contour levels: linear, or logarithmic above the minimum
/// when the range is wide (log(L − L_min + ε)).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Scale {
    pub log: bool,
    lo: f64,
    hi: f64,
    floor: f64,
}

impl Scale {
    /// A scale for `field`; `log` asks for the logarithmic form.
    pub fn new(field: &Field, log: bool) -> Scale {
        let (lo, hi) = (field.min, field.max.max(field.min + 1e-12));
        // ε: a small fraction of the range, so the minimum itself maps to a finite value.
        let floor = (hi - lo) * 1e-6 + 1e-300;
        Scale { log, lo, hi, floor }
    }

    fn forward(&self, v: f64) -> f64 {
        if self.log {
            (v - self.lo + self.floor).max(self.floor).ln()
        } else {
            v
        }
    }

    fn inverse(&self, u: f64) -> f64 {
        if self.log {
            u.exp() + self.lo - self.floor
        } else {
            u
        }
    }

    /// Position of a loss value in [0, 1] along the scale.
    pub fn unit(&self, v: f64) -> f64 {
        let (a, b) = self.ends();
        self.unit_between(v, a, b)
    }

    /// The scale's two ends, forward-mapped (`unit` needs them for every value).
    fn ends(&self) -> (f64, f64) {
        (self.forward(self.lo), self.forward(self.hi))
    }

    fn unit_between(&self, v: f64, a: f64, b: f64) -> f64 {
        (self.forward(v) - a) / (b - a)
    }

    /// `n` contour levels evenly spaced along the scale, strictly inside the range.
    pub fn levels(&self, n: usize) -> Vec<f64> {
        let (a, b) = (self.forward(self.lo), self.forward(self.hi));
        (1..=n)
            .map(|k| self.inverse(a + (b - a) * k as f64 / (n + 1) as f64))
            .collect()
    }
}

/// RGBA pixels of the heatmap of `field` (viridis, `nx × ny`, row 0 at the top).
pub fn heatmap_rgba(field: &Field, scale: &Scale) -> Vec<u8> {
    let mut px = Vec::with_capacity(field.values.len() * 4);
    let (lo, hi) = scale.ends();
    for &v in &field.values {
        let (r, g, b) = if v.is_finite() {
            super::colour::viridis(scale.unit_between(v, lo, hi))
        } else {
            (128, 128, 128)
        };
        px.extend_from_slice(&[r, g, b, 255]);
    }
    px
}
