//! Portable math: a scenario gives bit-identical numbers natively and in WebAssembly.
//!
//! Natively every transcendental function goes through the `libm` crate, since the
//! platform's C library may round differently. In WebAssembly, Rust's own `f64` methods
//! already are that library (wasm32-unknown-unknown has no C library; its `exp`, `sin`, …
//! come from the same musl-derived code, shipped with the compiler), and plotters uses them
//! too; calling them rather than a second copy keeps one copy in the download. A browser
//! test compares the page's numbers with the CLI's, byte for byte, for every function here.

#[cfg(not(target_arch = "wasm32"))]
mod imp {
    pub use libm::{cos, exp, log as ln, pow, sin, tan, tanh};
}

#[cfg(target_arch = "wasm32")]
mod imp {
    #[inline]
    pub fn exp(x: f64) -> f64 {
        x.exp()
    }
    #[inline]
    pub fn ln(x: f64) -> f64 {
        x.ln()
    }
    #[inline]
    pub fn sin(x: f64) -> f64 {
        x.sin()
    }
    #[inline]
    pub fn cos(x: f64) -> f64 {
        x.cos()
    }
    #[inline]
    pub fn tan(x: f64) -> f64 {
        x.tan()
    }
    #[inline]
    pub fn tanh(x: f64) -> f64 {
        x.tanh()
    }
    #[inline]
    pub fn pow(x: f64, y: f64) -> f64 {
        x.powf(y)
    }
}

pub use imp::{cos, exp, ln, pow, sin, tan, tanh};

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
