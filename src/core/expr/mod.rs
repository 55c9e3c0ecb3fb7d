//! Expressions f(x, y) typed by the user: a small hand-written parser compiled to a flat
//! postfix program, evaluated on plain numbers (the loss) or on [`Dual2`] numbers (exact
//! gradient and Hessian by second-order forward-mode differentiation).
//!
//! Grammar (whitespace is allowed anywhere between tokens):
//!
//! ```text
//! expr    = term (("+" | "-") term)*
//! term    = unary (("*" | "/") unary)*
//! unary   = ("-" | "+") unary | power
//! power   = primary ("^" unary)?            right-associative, binds tighter than a sign
//! primary = number | "x" | "y" | "pi" | "e" | "(" expr ")" | name "(" expr ("," expr)* ")"
//! number  = digits ["." digits] | "." digits, then optionally ("e" | "E") ["+" | "-"] digits
//! ```
//!
//! So `-x^2` is −(x²), `2^-1` is ½ and `x^y^2` is x^(y²). Functions of one argument: `sin cos
//! tan exp ln log sqrt abs tanh sigmoid` (`log` is the natural logarithm, the same as `ln`, as
//! in most of the machine-learning literature); of two: `min max`. There is no implicit
//! multiplication: write `3*x`, not `3x`.
//!
//! Nothing here allocates per evaluation or can panic on user input: the text is limited to
//! [`MAX_LEN`] characters, nesting to [`MAX_DEPTH`] levels (checked before every recursive
//! step, so a deep input is an error and never a stack overflow) and the program to
//! [`MAX_INSTRUCTIONS`] instructions. Every transcendental function goes through
//! [`crate::core::math`], so values are bit-identical natively and in WebAssembly.
//!
//! Layout: `parse.rs` compiles the text to the postfix program (reading tokens from
//! `lex.rs`), `eval.rs` holds that program's instruction set and runs it, and `dual2.rs` holds
//! [`Dual2`] and its arithmetic.

mod dual2;
mod eval;
mod lex;
mod parse;
#[cfg(any(not(target_arch = "wasm32"), feature = "code"))]
pub mod python;

pub use dual2::Dual2;

use eval::{run, Op, Scalar};
use parse::{compile, Limits};

/// Longest expression accepted (characters).
pub const MAX_LEN: usize = 500;
/// Deepest nesting of parentheses, function calls, signs and `^` exponents.
pub const MAX_DEPTH: usize = 64;
/// Most instructions of a compiled expression.
pub const MAX_INSTRUCTIONS: usize = 2000;
/// Deepest evaluation stack. The length and depth limits keep real expressions far below it
/// (a 500-character text holds at most 250 operands); it is checked all the same.
const MAX_STACK: usize = 256;
/// Constant integer exponents up to this size are computed by repeated multiplication, so
/// `x^2` is exactly `x*x`; larger or fractional ones use `pow`.
const MAX_POWI: f64 = 16.0;

/// The names an expression may use, for error messages and help text.
pub const NAMES_HELP: &str = "x, y, pi, e and the functions sin, cos, tan, exp, ln, log, sqrt, abs, tanh, sigmoid (one argument), min, max (two)";

/// One-line grammar summary for help screens.
pub const GRAMMAR_HELP: &str = "numbers (3, .5, 1e-3), x, y, pi, e; + - * / ^ (right-associative, -x^2 = -(x^2)), parentheses; sin cos tan exp ln log sqrt abs tanh sigmoid min(a,b) max(a,b); log = ln";

/// A problem in an expression: where (0-based character index) and what was found and expected.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExprError {
    /// Character index of the problem; `None` when it concerns the whole text (empty, too long).
    pub pos: Option<usize>,
    pub message: String,
}

impl std::fmt::Display for ExprError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.pos {
            Some(p) => write!(f, "at {p}: {}", self.message),
            None => f.write_str(&self.message),
        }
    }
}

impl std::error::Error for ExprError {}

fn fail<T>(pos: usize, message: impl Into<String>) -> Result<T, ExprError> {
    Err(ExprError {
        pos: Some(pos),
        message: message.into(),
    })
}

/// A compiled expression f(x, y).
#[derive(Debug, Clone, PartialEq)]
pub struct Expr {
    source: String,
    code: Vec<Op>,
    /// Deepest stack the program needs.
    stack: usize,
}

impl Expr {
    /// Parse and compile `source`.
    pub fn parse(source: &str) -> Result<Expr, ExprError> {
        compile(source, Limits::DEFAULT)
    }

    /// The text the expression was parsed from.
    pub fn source(&self) -> &str {
        &self.source
    }

    /// Number of instructions after constant folding.
    pub fn instructions(&self) -> usize {
        self.code.len()
    }

    /// f(x, y).
    pub fn eval(&self, x: f64, y: f64) -> f64 {
        self.run(x, y)
    }

    /// f(x, y) with its gradient and Hessian. The value is bit-identical to [`Expr::eval`].
    pub fn eval2(&self, x: f64, y: f64) -> Dual2 {
        self.run(Dual2::x(x), Dual2::y(y))
    }

    fn run<T: Scalar>(&self, x: T, y: T) -> T {
        // A stack sized to the program: small expressions do not clear a large buffer.
        if self.stack <= 8 {
            run::<T, 8>(&self.code, x, y)
        } else if self.stack <= 32 {
            run::<T, 32>(&self.code, x, y)
        } else {
            run::<T, MAX_STACK>(&self.code, x, y)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stack_sizes_follow_the_program() {
        let e = Expr::parse("x + (y * (x - (y / (x + (y * (x - (y / (x + 1))))))))").expect("ok");
        assert_eq!(e.stack, 10);
        let deep = format!("{}x{}", "(x+".repeat(20), ")".repeat(20));
        let e = Expr::parse(&deep).expect("ok");
        assert_eq!(e.stack, 21);
        assert_eq!(e.eval(1.0, 0.0), 21.0);
        assert!(e.eval(1.0, 2.0).is_finite());
    }
}
