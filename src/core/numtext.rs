//! `f64` → decimal text in exponent form (`{:e}`) and with a fixed number of digits
//! (`{:.N}`, `{:.Ne}`), built on the shortest digits of `{}`.
//!
//! The module must print `{}` anyway (plotters writes font sizes and colours with it), but
//! core::fmt's exponent form, `Debug` and precision formatting (`format_exact`: Dragon4 and
//! Grisu's exact mode) are about 10 KB more of the WebAssembly module. Laying out the digits
//! `{}` already produced costs a few hundred bytes. Every float the crate prints goes through
//! [`Num`], [`Exp`], [`Fix`] or [`Sig`]; never `{:?}`, `{:e}` or `{:.N}` on an `f64`.

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

    /// Rounded to `n` ≥ 1 significant digits, half away from zero (on the shortest digits).
    fn rounded(mut self, n: usize) -> Digits {
        if self.len > n {
            let up = self.buf[n] >= 5;
            self.len = n;
            if up {
                let mut i = n;
                loop {
                    if i == 0 {
                        // 9.99… rounded up: 10.0…
                        self.buf[0] = 1;
                        self.buf[1..n].fill(0);
                        self.exp += 1;
                        break;
                    }
                    i -= 1;
                    if self.buf[i] == 9 {
                        self.buf[i] = 0;
                    } else {
                        self.buf[i] += 1;
                        break;
                    }
                }
            }
        }
        self
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

/// `x` as Rust's `{}` prints it: plain decimal, no exponent, the shortest round-trip digits
/// (`0.0001`, `1`, `-2.5`, `1000000000000000000000`). The one path to core::fmt's floats.
#[derive(Clone, Copy)]
pub struct Num(pub f64);

impl fmt::Display for Num {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.0, f)
    }
}

/// `x` as Rust's `{:e}` prints it: `1e6`, `2.5e-7`, `-1.25e0`.
#[derive(Clone, Copy)]
pub struct Exp(pub f64);

impl fmt::Display for Exp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if special(f, self.0, "0e0")? {
            return Ok(());
        }
        write_exp(f, self.0, Digits::of(self.0), None)
    }
}

/// `x` with `.0` digits after the first, as Rust's `{:.N e}` lays it out (`1.23e-4`), for
/// readouts; rounding is of the shortest digits, not of the exact binary value.
#[derive(Clone, Copy)]
pub struct Sig(pub f64, pub usize);

impl fmt::Display for Sig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let Sig(x, after) = *self;
        if x.is_finite() && x == 0.0 {
            if x.is_sign_negative() {
                f.write_str("-")?;
            }
            f.write_str("0")?;
            if after > 0 {
                f.write_str(".")?;
                (0..after.min(16)).try_for_each(|_| f.write_str("0"))?;
            }
            return f.write_str("e0");
        }
        if special(f, x, "")? {
            return Ok(());
        }
        let n = after.min(16) + 1;
        write_exp(f, x, Digits::of(x).rounded(n), Some(n))
    }
}

/// `x` with exactly `.1` digits after the point, as Rust's `{:.N}` lays it out (`1.50`,
/// `0.0312`), for readouts; rounding is of the shortest digits, not of the exact binary value.
#[derive(Clone, Copy)]
pub struct Fix(pub f64, pub usize);

impl fmt::Display for Fix {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let Fix(x, after) = *self;
        if !x.is_finite() {
            return special(f, x, "").map(|_| ());
        }
        let after = after.min(30);
        let mut s = String::with_capacity(40);
        if x.is_sign_negative() {
            s.push('-');
        }
        // Significant digits that land at or before the last place kept.
        let (digits, int_len) = if x == 0.0 {
            (None, 1)
        } else {
            let d = Digits::of(x);
            let keep = d.exp + 1 + after as i32;
            if keep <= 0 {
                // Everything is below the last place: 0, or one unit of it if it rounds up.
                let up = keep == 0 && d.buf[0] >= 5;
                let mut unit = Digits {
                    buf: [0; 17],
                    len: 1,
                    exp: -(after as i32),
                };
                unit.buf[0] = 1;
                (up.then_some(unit), 1)
            } else {
                let r = d.rounded(keep as usize);
                let int_len = (r.exp + 1).max(1) as usize;
                (Some(r), int_len)
            }
        };
        // The digit at place 10^p (p = 0 units, -1 tenths, …).
        let at = |p: i32| -> char {
            match &digits {
                Some(d) => {
                    let i = d.exp - p;
                    if i >= 0 && (i as usize) < d.len {
                        d.digit(i as usize)
                    } else {
                        '0'
                    }
                }
                None => '0',
            }
        };
        for p in (0..int_len as i32).rev() {
            s.push(at(p));
        }
        if after > 0 {
            s.push('.');
            for p in 1..=after as i32 {
                s.push(at(-p));
            }
        }
        f.write_str(&s)
    }
}

/// d₁.d₂…e±k, padded with zeros to `width` significant digits when given.
fn write_exp(f: &mut fmt::Formatter<'_>, x: f64, d: Digits, width: Option<usize>) -> fmt::Result {
    let mut s = String::with_capacity(28);
    if x < 0.0 {
        s.push('-');
    }
    s.push(d.digit(0));
    let n = width.unwrap_or(d.len);
    if n > 1 {
        s.push('.');
        for i in 1..n {
            s.push(if i < d.len { d.digit(i) } else { '0' });
        }
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
    fn fix_matches_rust_away_from_ties() {
        for &x in CASES
            .iter()
            .chain(&[0.0, -0.0, 0.004, 0.006, 0.0449, 99.96, -7.28125, 1234.5678])
        {
            if x.abs() > 1e20 || (x != 0.0 && x.abs() < 1e-20) {
                continue;
            }
            for n in [0, 1, 2, 3, 6] {
                let tie = x != 0.0 && {
                    let d = Digits::of(x);
                    let keep = d.exp + 1 + n as i32;
                    keep >= 0 && d.len == keep as usize + 1 && d.buf[keep as usize] == 5
                };
                if !tie {
                    assert_eq!(Fix(x, n).to_string(), format!("{x:.n$}"), "{x} .{n}");
                }
            }
        }
        assert_eq!(Fix(f64::NAN, 2).to_string(), "NaN");
        assert_eq!(Fix(0.96, 0).to_string(), "1");
    }

    /// Values whose `{}`/`{:e}` text exercises every branch: tiny, huge, integral, the
    /// extremes of the range, subnormals, and round-trip-hard cases.
    const CASES: &[f64] = &[
        1.0,
        -1.0,
        0.1,
        0.5,
        2.5,
        -2.5,
        10.0,
        100.0,
        123.456,
        0.0001,
        0.00012,
        1e-7,
        1e-5,
        1e15,
        1e16,
        1e17,
        1e21,
        1e22,
        1e23,
        f64::from_bits(0x44b5_2d02_c7e1_4af5),
        1.7976931348623157e308,
        f64::MIN_POSITIVE,
        5e-324,
        f64::from_bits(0x000f_ffff_ffff_ffff),
        0.30000000000000004,
        1.0 / 3.0,
        2.0 / 3.0,
        std::f64::consts::PI,
        std::f64::consts::E,
        1e9,
        999999999.0,
        123456789012345680.0,
        0.000123456789,
        4.35,
        5e-5,
    ];

    #[test]
    fn exp_is_rusts_lower_exp() {
        for &x in CASES.iter().chain(&[-0.1, -1e-7, -1e21]) {
            assert_eq!(Exp(x).to_string(), format!("{x:e}"));
        }
        for x in [0.0, -0.0, f64::NAN, f64::INFINITY, f64::NEG_INFINITY] {
            assert_eq!(Exp(x).to_string(), format!("{x:e}"));
        }
    }

    #[test]
    fn sig_matches_rust_away_from_ties() {
        for &x in CASES {
            for n in [0, 1, 2, 3, 5] {
                let d = Digits::of(x);
                // A tie in the shortest digits (…d5 exactly) may not be one in binary: 4.35
                // is 4.34999…, which Rust rounds down; a readout may round either way.
                // Nor are a subnormal's few shortest digits its exact value (5e-324 is 4.94…e-324).
                if (d.len == n + 2 && d.buf[n + 1] == 5) || x < f64::MIN_POSITIVE {
                    continue;
                }
                assert_eq!(Sig(x, n).to_string(), format!("{x:.n$e}"), "{x} .{n}");
            }
        }
        assert_eq!(Sig(9.996, 2).to_string(), "1.00e1");
        assert_eq!(Sig(0.0, 2).to_string(), "0.00e0");
        assert_eq!(Sig(f64::INFINITY, 2).to_string(), "inf");
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
