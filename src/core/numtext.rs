//! `f64` → decimal text in exponent form (`{:e}`), built on the shortest digits of `{}`.
//!
//! The module prints `{}` and `{:.N}` anyway (plotters writes font sizes and colours with
//! `{}`, and `f64`'s `Display` carries its precision path with it), but core::fmt's exponent
//! forms and `Debug` are more code on top. Laying out the digits `{}` already produced costs a
//! few hundred bytes. Floats are printed with `{}`, `{:.N}` or [`Exp`]; never `{:?}`, `{:e}`
//! or `{:.Ne}` on an `f64`.

use std::fmt;

/// The shortest significant digits of a finite, non-zero `|x|` and the power of ten of the
/// first: |x| = d₁.d₂…dₙ × 10^`exp`.
struct Digits {
    buf: [u8; 17],
    len: usize,
    exp: i32,
}

impl Digits {
    fn of(x: f64) -> Digits {
        // Plain decimal, shortest round-trip digits; at most 17 significant, then zeros.
        let mantissa = x.abs().to_string();
        let mut d = Digits {
            buf: [0; 17],
            len: 0,
            exp: 0,
        };
        // The position of the decimal point in `mantissa`, counted in digits.
        let mut point = 0i32;
        let mut seen_point = false;
        let mut leading = true;
        for b in mantissa.bytes() {
            match b {
                b'.' => seen_point = true,
                b'0'..=b'9' => {
                    if !seen_point {
                        point += 1;
                    }
                    if leading && b == b'0' {
                        // A leading zero moves the first digit one place to the right.
                        point -= 1;
                        continue;
                    }
                    leading = false;
                    if d.len < d.buf.len() {
                        d.buf[d.len] = b - b'0';
                        d.len += 1;
                    }
                }
                _ => {}
            }
        }
        while d.len > 1 && d.buf[d.len - 1] == 0 {
            d.len -= 1;
        }
        d.exp = point - 1;
        d
    }

    fn digit(&self, i: usize) -> char {
        char::from(b'0' + self.buf[i])
    }
}

/// Writes what is not a finite non-zero number (`NaN`, `inf`, `-inf`, `zero`); `false` if
/// `x` is one.
fn special(f: &mut fmt::Formatter<'_>, x: f64, zero: &str) -> Result<bool, fmt::Error> {
    if x.is_nan() {
        f.write_str("NaN")?;
    } else if x.is_infinite() {
        f.write_str(if x > 0.0 { "inf" } else { "-inf" })?;
    } else if x == 0.0 {
        if x.is_sign_negative() {
            f.write_str("-")?;
        }
        f.write_str(zero)?;
    } else {
        return Ok(false);
    }
    Ok(true)
}

/// `x` as Rust's `{:e}` prints it: `1e6`, `2.5e-7`, `-1.25e0`.
#[derive(Clone, Copy)]
pub struct Exp(pub f64);

impl fmt::Display for Exp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if special(f, self.0, "0e0")? {
            return Ok(());
        }
        write_exp(f, self.0, Digits::of(self.0))
    }
}

/// d₁.d₂…e±k.
fn write_exp(f: &mut fmt::Formatter<'_>, x: f64, d: Digits) -> fmt::Result {
    let mut s = String::with_capacity(28);
    if x < 0.0 {
        s.push('-');
    }
    s.push(d.digit(0));
    if d.len > 1 {
        s.push('.');
        (1..d.len).for_each(|i| s.push(d.digit(i)));
    }
    s.push('e');
    f.write_str(&s)?;
    // An integer prints through core::fmt's integer code, not its float code.
    write!(f, "{}", d.exp)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exp_is_rusts_lower_exp() {
        let cases = [
            1.0,
            -1.0,
            0.1,
            -2.5,
            10.0,
            123.456,
            0.0001,
            1e-7,
            1e16,
            1e21,
            1e23,
            f64::MAX,
            f64::MIN_POSITIVE,
            5e-324,
            f64::from_bits(0x000f_ffff_ffff_ffff),
            0.30000000000000004,
            1.0 / 3.0,
            std::f64::consts::PI,
            0.0,
            -0.0,
            f64::NAN,
            f64::INFINITY,
            f64::NEG_INFINITY,
        ];
        for x in cases {
            assert_eq!(Exp(x).to_string(), format!("{x:e}"));
        }
    }

    /// Many values over the whole exponent range, from a fixed bit pattern generator.
    #[test]
    fn exp_agrees_with_core_fmt_on_many_bits() {
        let mut s: u64 = 0x9E37_79B9_7F4A_7C15;
        for _ in 0..100_000 {
            s ^= s << 13;
            s ^= s >> 7;
            s ^= s << 17;
            let x = f64::from_bits(s);
            assert_eq!(Exp(x).to_string(), format!("{x:e}"));
        }
    }
}
