//! The table-free decimal parser against Rust's own: on any text both refuse it or both give
//! the same bits (any NaN for NaN).
#![no_main]

use gradscape::core::decimal::parse_f64;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    match (parse_f64(text), text.parse::<f64>().ok()) {
        (Some(a), Some(b)) => assert!(a.to_bits() == b.to_bits() || (a.is_nan() && b.is_nan())),
        (None, None) => {}
        (a, b) => panic!("{text:?}: ours {a:?}, std {b:?}"),
    }
});
