//! Portable math: every transcendental function goes through `libm`, so a scenario gives
//! bit-identical numbers natively and in WebAssembly (the platform `exp`/`ln` may differ).

#[inline]
pub fn exp(x: f64) -> f64 {
    libm::exp(x)
}
#[inline]
pub fn ln(x: f64) -> f64 {
    libm::log(x)
}
#[inline]
pub fn sin(x: f64) -> f64 {
    libm::sin(x)
}
#[inline]
pub fn cos(x: f64) -> f64 {
    libm::cos(x)
}
#[inline]
pub fn tan(x: f64) -> f64 {
    libm::tan(x)
}
#[inline]
pub fn tanh(x: f64) -> f64 {
    libm::tanh(x)
}
#[inline]
pub fn pow(x: f64, y: f64) -> f64 {
    libm::pow(x, y)
}
/// IEEE square root is correctly rounded on every platform, so `f64::sqrt` is portable.
#[inline]
pub fn sqrt(x: f64) -> f64 {
    x.sqrt()
}
/// Logistic sigmoid σ(z) = 1/(1+e^(−z)), written to avoid overflow for large |z|.
#[inline]
pub fn sigmoid(z: f64) -> f64 {
    if z >= 0.0 {
        1.0 / (1.0 + exp(-z))
    } else {
        let e = exp(z);
        e / (1.0 + e)
    }
}
