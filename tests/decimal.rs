//! The table-free decimal parser (`core::decimal`) against Rust's own `str::parse::<f64>`,
//! an independent, correctly rounded implementation: the same bits for every input, the
//! same verdict on what is a number.

use gradscape::core::decimal::parse_f64;
use proptest::prelude::*;

/// Both parsers agree on `text`: both refuse it, or both give the same bits (any NaN for NaN).
fn agree(text: &str) {
    let ours = parse_f64(text);
    let std = text.parse::<f64>().ok();
    match (ours, std) {
        (Some(a), Some(b)) if a.is_nan() && b.is_nan() => {}
        (Some(a), Some(b)) => {
            assert_eq!(a.to_bits(), b.to_bits(), "{text:?}: ours {a:e}, std {b:e}")
        }
        (None, None) => {}
        _ => panic!("{text:?}: ours {ours:?}, std {std:?}"),
    }
}

#[test]
fn edge_cases() {
    for t in [
        "0",
        "-0",
        "+0",
        "0.0",
        "00.000",
        ".5",
        "5.",
        "-.5e-3",
        "+1E5",
        "1e0",
        "1e+0",
        "1e-0",
        "0.1",
        "0.2",
        "0.3",
        "0.30000000000000004",
        "1.7976931348623157e308",
        "1.7976931348623158e308",
        "1.7976931348623159e308",
        "1.797693134862315807e308",
        "1.7976931348623157081e308",
        "1e308",
        "1e309",
        "2e308",
        "4.9406564584124654e-324",
        "5e-324",
        "2.4703282292062327e-324",
        "2.4703282292062328e-324",
        "2.47e-324",
        "3e-324",
        "1e-323",
        "2.2250738585072014e-308",
        "2.2250738585072011e-308",
        "2.225073858507201136057409796709131975934819546351645648e-308",
        "9007199254740993",
        "9007199254740992.5",
        "9007199254740993.0000000001",
        "123456789012345678901234567890",
        "0.000000000000000000000000000001",
        "1e22",
        "1e23",
        "8.41e21",
        "9.5e-5",
        "1e-4",
        "1e9",
        "3.14159265358979323846",
        "1e-400",
        "1e400",
        "1e1000000000000",
        "1e-1000000000000",
        "inf",
        "-Infinity",
        "INF",
        "nan",
        "NaN",
        "-nan",
        "",
        "-",
        "+",
        ".",
        "e5",
        "1e",
        "1e+",
        "1e-",
        "1.e3",
        ".e3",
        "1..2",
        "1e5.5",
        "0x10",
        "1_000",
        " 1",
        "1 ",
        "--1",
        "+-1",
        "1f",
        "infinit",
        "∞",
        "١",
    ] {
        agree(t);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(20_000))]

    /// Every double, printed shortest (as the scenario text prints it) and in full.
    #[test]
    fn every_double_round_trips(bits in any::<u64>()) {
        let x = f64::from_bits(bits);
        for t in [format!("{x}"), format!("{x:e}"), format!("{x:?}"), format!("{x:.20e}")] {
            agree(&t);
        }
    }

    /// Arbitrary digit strings with points and exponents, including long ones and halfway
    /// cases between doubles.
    #[test]
    fn digit_strings(
        int in "[0-9]{0,40}",
        frac in proptest::option::of("[0-9]{0,40}"),
        exp in proptest::option::of(-400i32..400),
        sign in "[+-]?",
    ) {
        let mut t = format!("{sign}{int}");
        if let Some(f) = frac {
            t.push('.');
            t.push_str(&f);
        }
        if let Some(e) = exp {
            t.push_str(&format!("e{e}"));
        }
        agree(&t);
    }

    /// Exactly halfway between two neighbouring doubles (ties go to the even mantissa).
    #[test]
    fn halfway_points(bits in 0u64..0x7fef_ffff_ffff_ffff) {
        let a = f64::from_bits(bits);
        let b = a.next_up();
        // a + (b − a)/2 exactly, as a decimal: both are dyadic, so the decimal expansion of
        // their mean terminates; print it with enough digits to be exact.
        let mid = format!("{:.1100e}", (a / 2.0) + (b / 2.0));
        agree(&mid);
        let exact = exact_mean(a, b);
        agree(&exact);
    }
}

/// The exact decimal expansion of (a + b)/2 for neighbouring non-negative doubles.
fn exact_mean(a: f64, b: f64) -> String {
    // a = m·2^q and b = (m+1)·2^q (also across a binade: b's mantissa is then m+1 = 2^53), so
    // the mean is (2m+1)·2^(q−1): an integer times 2^e when e ≥ 0, else times 5^−e · 10^e.
    let bits = a.to_bits();
    let biased = ((bits >> 52) & 0x7ff) as i64;
    let frac = bits & ((1u64 << 52) - 1);
    let (m, q) = if biased == 0 {
        (frac, -1074i64)
    } else {
        (frac | (1 << 52), biased - 1075)
    };
    assert_eq!(b, a.next_up());
    let e = q - 1;
    let (factor, times) = if e >= 0 { (2, e) } else { (5, -e) };
    // The integer (2m+1)·factor^times in base 10⁹, least significant first.
    let mut n = vec![(2 * m + 1) % 1_000_000_000, (2 * m + 1) / 1_000_000_000];
    for _ in 0..times {
        let mut carry = 0u64;
        for x in n.iter_mut() {
            let t = *x * factor + carry;
            *x = t % 1_000_000_000;
            carry = t / 1_000_000_000;
        }
        if carry > 0 {
            n.push(carry);
        }
    }
    while n.len() > 1 && n.last() == Some(&0) {
        n.pop();
    }
    let mut s = format!("{}", n.last().unwrap());
    for d in n.iter().rev().skip(1) {
        s.push_str(&format!("{d:09}"));
    }
    if e >= 0 {
        s
    } else {
        format!("{s}e{e}")
    }
}
