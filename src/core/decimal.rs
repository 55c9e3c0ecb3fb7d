//! Decimal text → `f64`, correctly rounded (the same bits as Rust's `str::parse::<f64>`),
//! without the standard parser's 10 KB table of powers of five.
//!
//! That table is most of what Rust's float parsing adds to the WebAssembly download (about
//! 14 KB gzipped with its code). Numbers in scenario text and expressions are short, so:
//! up to 15 significant digits and a power of ten within 10^±22 are exact in `f64` and one
//! correctly rounded multiplication or division gives the answer (Clinger's fast path);
//! anything else starts from a close approximation and moves it one unit in the last place at
//! a time, deciding each move by comparing the exact decimal value with the midpoint between
//! neighbouring doubles in big-integer arithmetic. Ties go to the even mantissa.
//!
//! The work grows with the square of the number of digits; the decoders hand it at most 64
//! (scenario values) or 500 (expressions) characters.

use std::cmp::Ordering;

/// The value of `text` in Rust's float syntax: `[+-]` then `inf`, `infinity` or `nan` (any
/// case), or digits with an optional `.` (at least one digit in all) and an optional exponent
/// `e`/`E` `[+-]` digits. `None` if the text is not in that syntax.
pub fn parse_f64(text: &str) -> Option<f64> {
    let (negative, body) = match text.as_bytes().first() {
        Some(b'-') => (true, &text[1..]),
        Some(b'+') => (false, &text[1..]),
        _ => (false, text),
    };
    let magnitude = if body.eq_ignore_ascii_case("inf") || body.eq_ignore_ascii_case("infinity") {
        f64::INFINITY
    } else if body.eq_ignore_ascii_case("nan") {
        f64::NAN
    } else {
        let d = Decimal::read(body.as_bytes())?;
        d.to_f64()
    };
    Some(if negative { -magnitude } else { magnitude })
}

/// A non-negative decimal: the integer `digits` (most significant first, no leading zeros)
/// times 10^`exp10`.
struct Decimal {
    digits: Vec<u8>,
    exp10: i64,
}

/// Powers of ten exactly representable in `f64`.
const POW10: [f64; 23] = [
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16,
    1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
];

impl Decimal {
    /// Digits, optional point, optional exponent; `None` on anything else.
    fn read(s: &[u8]) -> Option<Decimal> {
        let mut i = 0;
        let mut digits = Vec::new();
        let mut exp10: i64 = 0;
        let mut any = false;
        while let Some(c) = s.get(i).filter(|c| c.is_ascii_digit()) {
            any = true;
            if !(digits.is_empty() && *c == b'0') {
                digits.push(c - b'0');
            }
            i += 1;
        }
        if s.get(i) == Some(&b'.') {
            i += 1;
            while let Some(c) = s.get(i).filter(|c| c.is_ascii_digit()) {
                any = true;
                if !(digits.is_empty() && *c == b'0') {
                    digits.push(c - b'0');
                }
                exp10 -= 1;
                i += 1;
            }
        }
        if !any {
            return None;
        }
        if let Some(b'e' | b'E') = s.get(i) {
            i += 1;
            let negative = match s.get(i) {
                Some(b'-') => {
                    i += 1;
                    true
                }
                Some(b'+') => {
                    i += 1;
                    false
                }
                _ => false,
            };
            let start = i;
            let mut e: i64 = 0;
            while let Some(c) = s.get(i).filter(|c| c.is_ascii_digit()) {
                // Saturate: beyond ±10^9 every value is 0 or infinite anyway.
                e = (e * 10 + i64::from(c - b'0')).min(1_000_000_000);
                i += 1;
            }
            if i == start {
                return None;
            }
            exp10 += if negative { -e } else { e };
        }
        if i != s.len() {
            return None;
        }
        // Trailing zeros move into the exponent.
        while digits.last() == Some(&0) {
            digits.pop();
            exp10 += 1;
        }
        Some(Decimal { digits, exp10 })
    }

    fn to_f64(&self) -> f64 {
        let n = self.digits.len() as i64;
        if n == 0 {
            return 0.0;
        }
        // The value lies in [10^(n+exp10−1), 10^(n+exp10)).
        let order = n + self.exp10;
        if order > 310 {
            return f64::INFINITY;
        }
        if order < -324 {
            return 0.0;
        }
        // The leading digits (at most 19 fit a u64) and the power of ten that goes with them.
        let lead = n.min(19) as usize;
        let w = self.digits[..lead]
            .iter()
            .fold(0u64, |w, &d| w * 10 + u64::from(d));
        let e = self.exp10 + (n - lead as i64);
        if n <= 15 && e.abs() <= 22 {
            // Exact operands, one correctly rounded operation.
            let p = POW10[e.unsigned_abs() as usize];
            return if e >= 0 { w as f64 * p } else { w as f64 / p };
        }
        let mut z = approximate(w, e);
        if z.is_infinite() {
            z = f64::MAX;
        }
        self.correct(z)
    }

    /// Move `z` to the double nearest the exact value (ties to even).
    fn correct(&self, mut z: f64) -> f64 {
        let exact = self.big();
        loop {
            let (m, q) = decompose(z);
            match compare(&exact, self.exp10, m, q) {
                Ordering::Greater => {
                    z = z.next_up();
                    if z.is_infinite() {
                        return z;
                    }
                    continue;
                }
                Ordering::Equal => return if m & 1 == 1 { z.next_up() } else { z },
                Ordering::Less => {}
            }
            if z == 0.0 {
                return z;
            }
            let below = z.next_down();
            let (mb, qb) = decompose(below);
            match compare(&exact, self.exp10, mb, qb) {
                Ordering::Less => z = below,
                Ordering::Equal => return if mb & 1 == 1 { z } else { below },
                Ordering::Greater => return z,
            }
        }
    }

    /// The integer of all the digits.
    fn big(&self) -> Big {
        let mut b = Big::from_u64(0);
        for chunk in self.digits.chunks(9) {
            let (mut v, mut scale) = (0u32, 1u32);
            for &d in chunk {
                v = v * 10 + u32::from(d);
                scale *= 10;
            }
            b.mul_small(scale);
            b.add_small(v);
        }
        b
    }
}

/// `w · 10^e` to within a few units in the last place, by exact powers of ten in steps: the
/// partial results move monotonically toward the value, so nothing overflows or underflows
/// before the value itself would.
fn approximate(w: u64, e: i64) -> f64 {
    let mut z = w as f64;
    let mut left = e.unsigned_abs();
    while left > 0 {
        let k = left.min(22);
        z = if e > 0 {
            z * POW10[k as usize]
        } else {
            z / POW10[k as usize]
        };
        left -= k;
    }
    z
}

/// `z` (finite, ≥ 0) as m · 2^q with an integer mantissa m.
fn decompose(z: f64) -> (u64, i64) {
    let bits = z.to_bits();
    let biased = ((bits >> 52) & 0x7ff) as i64;
    let frac = bits & ((1 << 52) - 1);
    if biased == 0 {
        (frac, -1074)
    } else {
        (frac | (1 << 52), biased - 1075)
    }
}

/// Compares digits · 10^exp10 with the midpoint (2m + 1) · 2^(q−1) between m · 2^q and the
/// next double up.
fn compare(digits: &Big, exp10: i64, m: u64, q: i64) -> Ordering {
    let mut left = digits.clone();
    let mut right = Big::from_u64(2 * m + 1);
    // digits · 5^e · 2^e  vs  (2m + 1) · 2^(q−1): powers of five to their side, twos balanced.
    if exp10 >= 0 {
        left.mul_pow5(exp10 as u64);
    } else {
        right.mul_pow5(exp10.unsigned_abs());
    }
    let shift = exp10 - (q - 1);
    if shift >= 0 {
        left.shl(shift as u64);
    } else {
        right.shl(shift.unsigned_abs());
    }
    left.cmp(&right)
}

/// A non-negative big integer in base 2³², least significant limb first.
#[derive(Clone)]
struct Big(Vec<u32>);

impl Big {
    fn from_u64(v: u64) -> Big {
        Big(vec![v as u32, (v >> 32) as u32])
    }

    fn mul_small(&mut self, k: u32) {
        let mut carry = 0u64;
        for limb in &mut self.0 {
            let t = u64::from(*limb) * u64::from(k) + carry;
            *limb = t as u32;
            carry = t >> 32;
        }
        if carry > 0 {
            self.0.push(carry as u32);
        }
    }

    fn add_small(&mut self, k: u32) {
        let mut carry = u64::from(k);
        for limb in &mut self.0 {
            if carry == 0 {
                return;
            }
            let t = u64::from(*limb) + carry;
            *limb = t as u32;
            carry = t >> 32;
        }
        if carry > 0 {
            self.0.push(carry as u32);
        }
    }

    /// Multiply by 5^e, 5^13 (the largest power within a limb) at a time.
    fn mul_pow5(&mut self, mut e: u64) {
        while e > 0 {
            let k = e.min(13);
            self.mul_small(5u32.pow(k as u32));
            e -= k;
        }
    }

    fn shl(&mut self, bits: u64) {
        let (limbs, rest) = ((bits / 32) as usize, (bits % 32) as u32);
        if rest > 0 {
            let mut carry = 0u32;
            for limb in &mut self.0 {
                let v = *limb;
                *limb = (v << rest) | carry;
                carry = v >> (32 - rest);
            }
            if carry > 0 {
                self.0.push(carry);
            }
        }
        self.0.splice(0..0, std::iter::repeat_n(0, limbs));
    }

    fn trimmed(&self) -> &[u32] {
        let n = self.0.iter().rposition(|&l| l != 0).map_or(0, |i| i + 1);
        &self.0[..n]
    }

    fn cmp(&self, other: &Big) -> Ordering {
        let (a, b) = (self.trimmed(), other.trimmed());
        a.len()
            .cmp(&b.len())
            .then_with(|| a.iter().rev().cmp(b.iter().rev()))
    }
}
