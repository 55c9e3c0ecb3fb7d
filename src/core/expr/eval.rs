//! The compiled form and its evaluator: the postfix instruction set, the [`Scalar`] arithmetic
//! on `f64`, and the stack machine that runs a program on `f64` or on `Dual2` numbers.

use crate::core::math;

/// A function of one argument.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Func {
    Sin,
    Cos,
    Tan,
    Exp,
    Ln,
    Sqrt,
    Abs,
    Tanh,
    Sigmoid,
}

/// One instruction of the postfix program; operands are popped from the stack, the result pushed.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) enum Op {
    Const(f64),
    X,
    Y,
    Neg,
    Add,
    Sub,
    Mul,
    Div,
    /// a^b with a variable exponent.
    Pow,
    /// a^n for a constant whole n, |n| ≤ [`MAX_POWI`](super::MAX_POWI).
    Powi(i32),
    /// a^c for any other constant c.
    Powf(f64),
    Call(Func),
    Min,
    Max,
}

impl Op {
    /// Change in stack height.
    pub(super) fn effect(self) -> isize {
        match self {
            Op::Const(_) | Op::X | Op::Y => 1,
            Op::Neg | Op::Powi(_) | Op::Powf(_) | Op::Call(_) => 0,
            Op::Add | Op::Sub | Op::Mul | Op::Div | Op::Pow | Op::Min | Op::Max => -1,
        }
    }
}

/// Whole-number power by repeated squaring: `powi(x, 2)` is exactly `x*x`.
pub(super) fn powi(x: f64, n: i32) -> f64 {
    let mut e = n.unsigned_abs();
    let (mut base, mut acc) = (x, 1.0);
    loop {
        if e & 1 == 1 {
            acc *= base;
        }
        e >>= 1;
        if e == 0 {
            break;
        }
        base *= base;
    }
    if n < 0 {
        1.0 / acc
    } else {
        acc
    }
}

/// Whether `min`/`max` picks its first operand: NaN propagates, ties pick the first.
fn pick_first(op: Op, a: f64, b: f64) -> bool {
    if a.is_nan() {
        true
    } else if b.is_nan() {
        false
    } else if op == Op::Min {
        a <= b
    } else {
        a >= b
    }
}

pub(super) fn apply1(op: Op, a: f64) -> f64 {
    match op {
        Op::Neg => a.neg(),
        Op::Powi(n) => a.pow_int(n),
        Op::Powf(c) => a.pow_const(c),
        Op::Call(f) => a.func(f),
        _ => f64::NAN,
    }
}

pub(super) fn apply2(op: Op, a: f64, b: f64) -> f64 {
    match op {
        Op::Add => a.add(b),
        Op::Sub => a.sub(b),
        Op::Mul => a.mul(b),
        Op::Div => a.div(b),
        Op::Pow => a.pow_var(b),
        Op::Min | Op::Max => {
            if pick_first(op, a, b) {
                a
            } else {
                b
            }
        }
        _ => f64::NAN,
    }
}

/// Numbers the program runs on: `f64` for the loss, [`Dual2`](super::Dual2) for its derivatives.
pub(super) trait Scalar: Copy {
    fn constant(c: f64) -> Self;
    fn value(&self) -> f64;
    fn neg(self) -> Self;
    fn add(self, b: Self) -> Self;
    fn sub(self, b: Self) -> Self;
    fn mul(self, b: Self) -> Self;
    fn div(self, b: Self) -> Self;
    fn pow_int(self, n: i32) -> Self;
    fn pow_const(self, c: f64) -> Self;
    fn pow_var(self, b: Self) -> Self;
    fn func(self, f: Func) -> Self;
}

/// f(a) for a plain number.
pub(super) fn func_value(f: Func, a: f64) -> f64 {
    match f {
        Func::Sin => math::sin(a),
        Func::Cos => math::cos(a),
        Func::Tan => math::tan(a),
        Func::Exp => math::exp(a),
        Func::Ln => math::ln(a),
        Func::Sqrt => math::sqrt(a),
        Func::Abs => a.abs(),
        Func::Tanh => math::tanh(a),
        Func::Sigmoid => math::sigmoid(a),
    }
}

impl Scalar for f64 {
    fn constant(c: f64) -> f64 {
        c
    }
    fn value(&self) -> f64 {
        *self
    }
    fn neg(self) -> f64 {
        -self
    }
    fn add(self, b: f64) -> f64 {
        self + b
    }
    fn sub(self, b: f64) -> f64 {
        self - b
    }
    fn mul(self, b: f64) -> f64 {
        self * b
    }
    fn div(self, b: f64) -> f64 {
        self / b
    }
    fn pow_int(self, n: i32) -> f64 {
        powi(self, n)
    }
    fn pow_const(self, c: f64) -> f64 {
        math::pow(self, c)
    }
    fn pow_var(self, b: f64) -> f64 {
        math::pow(self, b)
    }
    fn func(self, f: Func) -> f64 {
        func_value(f, self)
    }
}

/// Run the program. The top of the stack is kept in `top` and the items below it in `rest`
/// (slot 0 holds nothing), so a unary operation touches no memory. Accesses are checked:
/// an impossible overflow or underflow poisons the result with NaN instead of panicking.
pub(super) fn run<T: Scalar, const N: usize>(code: &[Op], x: T, y: T) -> T {
    let nan = T::constant(f64::NAN);
    let mut rest = [nan; N];
    let mut n = 0usize;
    let mut top = nan;
    let mut broken = false;
    for &op in code {
        match op {
            Op::Const(_) | Op::X | Op::Y => {
                let v = match op {
                    Op::Const(c) => T::constant(c),
                    Op::X => x,
                    _ => y,
                };
                match rest.get_mut(n) {
                    Some(slot) => *slot = top,
                    None => broken = true,
                }
                n = n.wrapping_add(1);
                top = v;
            }
            Op::Neg => top = top.neg(),
            Op::Powi(k) => top = top.pow_int(k),
            Op::Powf(c) => top = top.pow_const(c),
            Op::Call(f) => top = top.func(f),
            Op::Add | Op::Sub | Op::Mul | Op::Div | Op::Pow | Op::Min | Op::Max => {
                n = n.wrapping_sub(1);
                let a = match rest.get(n) {
                    Some(a) if n > 0 => *a,
                    _ => {
                        broken = true;
                        nan
                    }
                };
                top = match op {
                    Op::Add => a.add(top),
                    Op::Sub => a.sub(top),
                    Op::Mul => a.mul(top),
                    Op::Div => a.div(top),
                    Op::Pow => a.pow_var(top),
                    _ => {
                        if pick_first(op, a.value(), top.value()) {
                            a
                        } else {
                            top
                        }
                    }
                };
            }
        }
    }
    if broken || n != 1 {
        nan
    } else {
        top
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn powi_is_repeated_multiplication() {
        for x in [-3.7, -0.3, 0.0, 1.1, 2.5e10] {
            assert_eq!(powi(x, 2).to_bits(), (x * x).to_bits());
            assert_eq!(powi(x, 1).to_bits(), x.to_bits());
            assert_eq!(powi(x, 0), 1.0);
            assert_eq!(powi(x, 4).to_bits(), ((x * x) * (x * x)).to_bits());
            assert_eq!(powi(x, -1).to_bits(), (1.0 / x).to_bits());
        }
    }
}
