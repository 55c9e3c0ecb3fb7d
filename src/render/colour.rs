//! Colours: a colour-blind-safe palette for optimizers (Okabe–Ito) and the viridis
//! colormap for the loss heatmap (perceptually uniform, readable in greyscale).

/// Okabe–Ito, reordered so the first four (the usual race) are the most distinct.
pub const PALETTE: [(u8, u8, u8); 8] = [
    (230, 159, 0),   // orange
    (86, 180, 233),  // sky blue
    (0, 158, 115),   // bluish green
    (204, 121, 167), // reddish purple
    (213, 94, 0),    // vermillion
    (0, 114, 178),   // blue
    (240, 228, 66),  // yellow
    (0, 0, 0),       // black
];

/// Colour of optimizer `i`.
pub fn optimizer_colour(i: usize) -> (u8, u8, u8) {
    PALETTE[i % PALETTE.len()]
}

/// CSS `#rrggbb` of optimizer `i`, for the page's legend and status lines.
pub fn optimizer_css(i: usize) -> String {
    let (r, g, b) = optimizer_colour(i);
    format!("#{r:02x}{g:02x}{b:02x}")
}

/// Viridis sampled at 17 evenly spaced points (matplotlib's table).
const VIRIDIS: [(u8, u8, u8); 17] = [
    (68, 1, 84),
    (72, 24, 106),
    (71, 45, 123),
    (66, 64, 134),
    (59, 82, 139),
    (51, 99, 141),
    (44, 114, 142),
    (38, 130, 142),
    (33, 145, 140),
    (31, 161, 135),
    (42, 176, 127),
    (68, 191, 112),
    (104, 204, 92),
    (146, 215, 65),
    (194, 223, 35),
    (241, 229, 29),
    (253, 231, 37),
];

/// Viridis at t ∈ [0, 1] (clamped; NaN maps to grey so junk is visible as junk).
#[inline]
pub fn viridis(t: f64) -> (u8, u8, u8) {
    if t.is_nan() {
        return (128, 128, 128);
    }
    let t = t.clamp(0.0, 1.0) * (VIRIDIS.len() - 1) as f64;
    let i = (t.floor() as usize).min(VIRIDIS.len() - 2);
    let f = t - i as f64;
    let (a, b) = (VIRIDIS[i], VIRIDIS[i + 1]);
    let mix = |x: u8, y: u8| (x as f64 + (y as f64 - x as f64) * f).round() as u8;
    (mix(a.0, b.0), mix(a.1, b.1), mix(a.2, b.2))
}

/// A light tint of a palette colour, for class regions behind data points.
pub fn tint((r, g, b): (u8, u8, u8), amount: f64) -> (u8, u8, u8) {
    let m = |c: u8| (c as f64 + (255.0 - c as f64) * amount).round() as u8;
    (m(r), m(g), m(b))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn viridis_ends_and_clamps() {
        assert_eq!(viridis(0.0), (68, 1, 84));
        assert_eq!(viridis(1.0), (253, 231, 37));
        assert_eq!(viridis(-3.0), viridis(0.0));
        assert_eq!(viridis(f64::NAN), (128, 128, 128));
        // Monotone brightness (sum of channels rises past the dark start).
        assert!(viridis(0.9).1 > viridis(0.5).1 && viridis(0.5).1 > viridis(0.1).1);
    }

    #[test]
    fn css_colour_of_the_first_optimizer() {
        assert_eq!(optimizer_css(0), "#e69f00");
        assert_eq!(optimizer_css(8), "#e69f00");
    }
}
