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

/// Colour of line `i` (an optimizer's [`line`](crate::core::run::OptimizerConfig::line)).
pub fn optimizer_colour(i: usize) -> (u8, u8, u8) {
    PALETTE[i % PALETTE.len()]
}

/// Whether line `i` is one of the second eight, which repeat the palette: drawn dashed in the
/// charts, with a dark casing and a square point on the contour.
pub fn second_eight(i: usize) -> bool {
    i >= PALETTE.len()
}

/// CSS `#rrggbb` of line `i`, for the page's legend and status lines.
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

/// WCAG relative luminance of an sRGB colour (0 black, 1 white).
fn luminance((r, g, b): (u8, u8, u8)) -> f64 {
    let lin = |c: u8| {
        let c = c as f64 / 255.0;
        if c <= 0.04045 {
            c / 12.92
        } else {
            ((c + 0.055) / 1.055).powf(2.4)
        }
    };
    0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b)
}

/// Black or white, whichever contrasts more with `bg`: text on any viridis colour then
/// reaches at least 4.5:1 (the two contrasts are equal at luminance 0.18, both 4.58:1).
pub fn text_on((r, g, b): (u8, u8, u8)) -> (u8, u8, u8) {
    let l = luminance((r, g, b));
    if (l + 0.05) / 0.05 >= 1.05 / (l + 0.05) {
        (0, 0, 0)
    } else {
        (255, 255, 255)
    }
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
    fn labels_on_viridis_reach_4_5_to_1() {
        // WCAG contrast from the sRGB channels, written out here: (L₁ + 0.05)/(L₂ + 0.05).
        let lum = |(r, g, b): (u8, u8, u8)| {
            let f = |c: u8| {
                let c = f64::from(c) / 255.0;
                if c <= 0.04045 {
                    c / 12.92
                } else {
                    ((c + 0.055) / 1.055).powf(2.4)
                }
            };
            0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b)
        };
        let contrast = |a, b| {
            let (x, y): (f64, f64) = (lum(a), lum(b));
            (x.max(y) + 0.05) / (x.min(y) + 0.05)
        };
        let mut worst = f64::INFINITY;
        for i in 0..=1000 {
            let bg = viridis(i as f64 / 1000.0);
            worst = worst.min(contrast(text_on(bg), bg));
        }
        assert!(worst >= 4.5, "worst label contrast {worst:.2}:1");
        // The old rule (white up to t = 0.55) gave about 3.6:1 at mid viridis.
        assert!(contrast((255, 255, 255), viridis(0.55)) < 4.0);
        assert_eq!(text_on(viridis(0.0)), (255, 255, 255));
        assert_eq!(text_on(viridis(1.0)), (0, 0, 0));
    }

    #[test]
    fn css_colour_of_the_first_optimizer() {
        assert_eq!(optimizer_css(0), "#e69f00");
        assert_eq!(optimizer_css(8), "#e69f00");
    }
}
