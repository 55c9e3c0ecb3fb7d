//! [`Dual2`], the second-order forward-mode number that gives an expression its exact gradient
//! and Hessian, with its arithmetic for the evaluator.

use super::eval::{func_value, powi, Func, Scalar};
use crate::core::math;

/// A second-order forward-mode ("Taylor-2", hyper-dual) number: a value u with its gradient
/// and Hessian with respect to (x, y). Running the program on `x = (x, [1, 0], 0)` and
/// `y = (y, [0, 1], 0)` gives f with its exact ∇f and ∇²f, with no finite differences.
///
/// Arithmetic rules (i, j ∈ {x, y}; subscripts are partial derivatives):
/// - sum and difference: componentwise;
/// - product w = uv: wᵢ = u vᵢ + uᵢ v, wᵢⱼ = u vᵢⱼ + uᵢ vⱼ + uⱼ vᵢ + uᵢⱼ v;
/// - quotient q = u/v (from u = qv): qᵢ = (uᵢ − q vᵢ)/v, qᵢⱼ = (uᵢⱼ − qᵢ vⱼ − qⱼ vᵢ − q vᵢⱼ)/v;
/// - function w = f(u) (chain rule): wᵢ = f′(u) uᵢ, wᵢⱼ = f″(u) uᵢ uⱼ + f′(u) uᵢⱼ, with
///   sin′ = cos, sin″ = −sin; cos′ = −sin, cos″ = −cos; tan′ = 1 + tan², tan″ = 2 tan (1 + tan²);
///   exp′ = exp″ = exp; ln′ = 1/u, ln″ = −1/u²; sqrt′ = 1/(2√u), sqrt″ = −1/(4u√u);
///   tanh′ = sech², tanh″ = −2 tanh sech²; σ′ = σ(u)σ(−u), σ″ = σ(u)σ(−u)(σ(−u) − σ(u));
///   abs′ = sign u (0 at u = 0), abs″ = 0; u^n (constant n) ′ = n u^(n−1), ″ = n(n−1) u^(n−2);
/// - power with a variable exponent w = u^v = exp(v ln u) (defined for u > 0), the two-argument
///   chain rule with f_u = v u^(v−1), f_v = u^v ln u, f_uu = v(v−1) u^(v−2),
///   f_uv = u^(v−1)(1 + v ln u), f_vv = u^v ln² u;
/// - outside a function's domain (its value is NaN) its derivatives are NaN too;
/// - min, max: the whole operand whose value is picked (ties pick the first);
/// - in the chain rules a term with an exactly zero factor is zero (0·∞ = 0), so e.g.
///   √(x² + y²) has gradient 0 at its tip instead of NaN; elsewhere IEEE arithmetic holds and
///   non-finite values simply propagate.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Dual2 {
    /// The value.
    pub v: f64,
    /// Gradient `[∂/∂x, ∂/∂y]`.
    pub d: [f64; 2],
    /// Hessian `[∂²/∂x², ∂²/∂x∂y, ∂²/∂y²]`.
    pub h: [f64; 3],
}

/// a·b, but 0 when either factor is exactly 0 (see [`Dual2`]).
#[inline]
fn mz(a: f64, b: f64) -> f64 {
    if a == 0.0 || b == 0.0 {
        0.0
    } else {
        a * b
    }
}

impl Dual2 {
    /// The variable x at `x`.
    pub fn x(x: f64) -> Dual2 {
        Dual2 {
            v: x,
            d: [1.0, 0.0],
            h: [0.0; 3],
        }
    }

    /// The variable y at `y`.
    pub fn y(y: f64) -> Dual2 {
        Dual2 {
            v: y,
            d: [0.0, 1.0],
            h: [0.0; 3],
        }
    }

    /// The Hessian row-major as a 2×2 matrix `[xx, xy, yx, yy]`.
    pub fn hessian(&self) -> [f64; 4] {
        [self.h[0], self.h[1], self.h[1], self.h[2]]
    }

    /// f(u) from f(u), f′(u), f″(u): the one-argument chain rule.
    #[inline]
    fn chain(self, v: f64, f1: f64, f2: f64) -> Dual2 {
        let [a, b] = self.d;
        let h = self.h;
        // The common case, all finite: plain products (the same as below up to signs of zero).
        // x − x is 0 exactly when x is finite: one test for all seven.
        #[allow(clippy::eq_op)]
        let all_finite = (f1 - f1)
            + (f2 - f2)
            + (a - a)
            + (b - b)
            + (h[0] - h[0])
            + (h[1] - h[1])
            + (h[2] - h[2])
            == 0.0;
        if all_finite {
            return Dual2 {
                v,
                d: [f1 * a, f1 * b],
                h: [
                    f2 * (a * a) + f1 * h[0],
                    f2 * (a * b) + f1 * h[1],
                    f2 * (b * b) + f1 * h[2],
                ],
            };
        }
        Dual2 {
            v,
            d: [mz(f1, a), mz(f1, b)],
            h: [
                mz(f2, mz(a, a)) + mz(f1, h[0]),
                mz(f2, mz(a, b)) + mz(f1, h[1]),
                mz(f2, mz(b, b)) + mz(f1, h[2]),
            ],
        }
    }
}

impl Scalar for Dual2 {
    fn constant(c: f64) -> Dual2 {
        Dual2 {
            v: c,
            d: [0.0; 2],
            h: [0.0; 3],
        }
    }
    fn value(&self) -> f64 {
        self.v
    }
    fn neg(self) -> Dual2 {
        Dual2 {
            v: -self.v,
            d: [-self.d[0], -self.d[1]],
            h: [-self.h[0], -self.h[1], -self.h[2]],
        }
    }
    fn add(self, b: Dual2) -> Dual2 {
        Dual2 {
            v: self.v + b.v,
            d: [self.d[0] + b.d[0], self.d[1] + b.d[1]],
            h: [self.h[0] + b.h[0], self.h[1] + b.h[1], self.h[2] + b.h[2]],
        }
    }
    fn sub(self, b: Dual2) -> Dual2 {
        Dual2 {
            v: self.v - b.v,
            d: [self.d[0] - b.d[0], self.d[1] - b.d[1]],
            h: [self.h[0] - b.h[0], self.h[1] - b.h[1], self.h[2] - b.h[2]],
        }
    }
    fn mul(self, b: Dual2) -> Dual2 {
        let (u, v) = (self, b);
        Dual2 {
            v: u.v * v.v,
            d: [u.v * v.d[0] + u.d[0] * v.v, u.v * v.d[1] + u.d[1] * v.v],
            h: [
                u.v * v.h[0] + 2.0 * (u.d[0] * v.d[0]) + u.h[0] * v.v,
                u.v * v.h[1] + u.d[0] * v.d[1] + u.d[1] * v.d[0] + u.h[1] * v.v,
                u.v * v.h[2] + 2.0 * (u.d[1] * v.d[1]) + u.h[2] * v.v,
            ],
        }
    }
    fn div(self, b: Dual2) -> Dual2 {
        let (u, v) = (self, b);
        let q = u.v / v.v;
        let d = [(u.d[0] - q * v.d[0]) / v.v, (u.d[1] - q * v.d[1]) / v.v];
        Dual2 {
            v: q,
            d,
            h: [
                (u.h[0] - 2.0 * (d[0] * v.d[0]) - q * v.h[0]) / v.v,
                (u.h[1] - d[0] * v.d[1] - d[1] * v.d[0] - q * v.h[1]) / v.v,
                (u.h[2] - 2.0 * (d[1] * v.d[1]) - q * v.h[2]) / v.v,
            ],
        }
    }
    fn pow_int(self, n: i32) -> Dual2 {
        let a = self.v;
        let n1 = n as f64;
        // Coefficients that are zero give exactly zero (x^1 has f″ = 0 even at x = 0).
        let f1 = if n == 0 { 0.0 } else { n1 * powi(a, n - 1) };
        let f2 = if n == 0 || n == 1 {
            0.0
        } else {
            n1 * (n1 - 1.0) * powi(a, n - 2)
        };
        self.chain(powi(a, n), f1, f2)
    }
    fn pow_const(self, c: f64) -> Dual2 {
        let a = self.v;
        self.chain(
            math::pow(a, c),
            c * math::pow(a, c - 1.0),
            c * (c - 1.0) * math::pow(a, c - 2.0),
        )
    }
    fn pow_var(self, b: Dual2) -> Dual2 {
        let (u, w) = (self, b);
        let (a, e) = (u.v, w.v);
        let p = math::pow(a, e);
        let la = math::ln(a);
        let pm1 = math::pow(a, e - 1.0);
        let fu = e * pm1;
        let fw = p * la;
        let fuu = e * (e - 1.0) * math::pow(a, e - 2.0);
        let fuw = pm1 * (1.0 + e * la);
        let fww = p * la * la;
        let second = |i: usize, j: usize, k: usize| {
            mz(fuu, mz(u.d[i], u.d[j]))
                + mz(fuw, mz(u.d[i], w.d[j]) + mz(u.d[j], w.d[i]))
                + mz(fww, mz(w.d[i], w.d[j]))
                + mz(fu, u.h[k])
                + mz(fw, w.h[k])
        };
        Dual2 {
            v: p,
            d: [
                mz(fu, u.d[0]) + mz(fw, w.d[0]),
                mz(fu, u.d[1]) + mz(fw, w.d[1]),
            ],
            h: [second(0, 0, 0), second(0, 1, 1), second(1, 1, 2)],
        }
    }
    fn func(self, f: Func) -> Dual2 {
        let a = self.v;
        let v = func_value(f, a);
        let (f1, f2) = match f {
            Func::Sin => {
                let c = math::cos(a);
                (c, -v)
            }
            Func::Cos => {
                let s = math::sin(a);
                (-s, -v)
            }
            Func::Tan => {
                let sec2 = 1.0 + v * v;
                (sec2, 2.0 * v * sec2)
            }
            Func::Exp => (v, v),
            Func::Ln => (1.0 / a, -1.0 / (a * a)),
            Func::Sqrt => (0.5 / v, -0.25 / (a * v)),
            Func::Abs => {
                let s = if a > 0.0 {
                    1.0
                } else if a < 0.0 {
                    -1.0
                } else if a == 0.0 {
                    0.0
                } else {
                    f64::NAN
                };
                (s, 0.0)
            }
            Func::Tanh => {
                // sech² = 4/(eᵃ + e⁻ᵃ)², accurate where 1 − tanh² would cancel.
                let c = 2.0 / (math::exp(a) + math::exp(-a));
                let sech2 = c * c;
                (sech2, -2.0 * v * sech2)
            }
            Func::Sigmoid => {
                // 1 − σ(a) = σ(−a), accurate on the saturated side.
                let m = math::sigmoid(-a);
                let d = v * m;
                (d, d * (m - v))
            }
        };
        if v.is_nan() {
            // Outside the domain (ln or sqrt of a negative number) nothing is defined.
            return self.chain(v, f64::NAN, f64::NAN);
        }
        self.chain(v, f1, f2)
    }
}
