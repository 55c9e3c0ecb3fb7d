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

use crate::core::math;

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

/// A function of one argument.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Func {
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
enum Op {
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
    /// a^n for a constant whole n, |n| ≤ [`MAX_POWI`].
    Powi(i32),
    /// a^c for any other constant c.
    Powf(f64),
    Call(Func),
    Min,
    Max,
}

impl Op {
    /// Change in stack height.
    fn effect(self) -> isize {
        match self {
            Op::Const(_) | Op::X | Op::Y => 1,
            Op::Neg | Op::Powi(_) | Op::Powf(_) | Op::Call(_) => 0,
            Op::Add | Op::Sub | Op::Mul | Op::Div | Op::Pow | Op::Min | Op::Max => -1,
        }
    }
}

/// What a name after which `(` follows compiles to.
#[derive(Debug, Clone, Copy)]
enum Callee {
    Unary(Func),
    Min,
    Max,
}

const FUNCTIONS: [(&str, Callee); 12] = [
    ("sin", Callee::Unary(Func::Sin)),
    ("cos", Callee::Unary(Func::Cos)),
    ("tan", Callee::Unary(Func::Tan)),
    ("exp", Callee::Unary(Func::Exp)),
    ("ln", Callee::Unary(Func::Ln)),
    ("log", Callee::Unary(Func::Ln)),
    ("sqrt", Callee::Unary(Func::Sqrt)),
    ("abs", Callee::Unary(Func::Abs)),
    ("tanh", Callee::Unary(Func::Tanh)),
    ("sigmoid", Callee::Unary(Func::Sigmoid)),
    ("min", Callee::Min),
    ("max", Callee::Max),
];

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

/// Size limits of the parser (smaller in unit tests, to reach each limit).
#[derive(Debug, Clone, Copy)]
struct Limits {
    len: usize,
    depth: usize,
    code: usize,
}

impl Limits {
    const DEFAULT: Limits = Limits {
        len: MAX_LEN,
        depth: MAX_DEPTH,
        code: MAX_INSTRUCTIONS,
    };
}

// Not inlined into its callers: the scenario decoder need not carry a copy (wasm size).
#[inline(never)]
fn compile(source: &str, limits: Limits) -> Result<Expr, ExprError> {
    let n = source.chars().count();
    if n > limits.len {
        return Err(ExprError {
            pos: None,
            message: format!(
                "expression is {n} characters long; at most {} are allowed",
                limits.len
            ),
        });
    }
    let mut p = Parser {
        src: source.chars().collect(),
        tok: Token {
            kind: Tok::End,
            start: 0,
            end: 0,
        },
        depth: 0,
        code: Vec::new(),
        limits,
    };
    p.tok = p.lex(0)?;
    if p.tok.kind == Tok::End {
        return Err(ExprError {
            pos: None,
            message: "empty expression".into(),
        });
    }
    p.expr()?;
    match p.tok.kind {
        Tok::End => {}
        Tok::Sym(')') => return fail(p.tok.start, "\")\" has no matching \"(\""),
        _ => return Err(p.unexpected("an operator (+ - * / ^) or the end")),
    }
    // Check the stack discipline once, so evaluation never meets an empty or full stack.
    let mut height: isize = 0;
    let mut stack = 0;
    let mut underflow = false;
    for op in &p.code {
        let operands = match op.effect() {
            1 => 0,
            0 => 1,
            _ => 2,
        };
        underflow |= height < operands;
        height += op.effect();
        stack = stack.max(height.max(0) as usize);
    }
    if underflow || height != 1 || stack > MAX_STACK {
        return Err(ExprError {
            pos: None,
            message: "expression is too complex to evaluate".into(),
        });
    }
    Ok(Expr {
        source: source.to_string(),
        code: p.code,
        stack,
    })
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Tok {
    Num(f64),
    Name,
    /// Any other single character: operators, parentheses, commas and strays.
    Sym(char),
    End,
}

#[derive(Debug, Clone, Copy)]
struct Token {
    kind: Tok,
    start: usize,
    end: usize,
}

struct Parser {
    src: Vec<char>,
    /// The current (not yet consumed) token.
    tok: Token,
    depth: usize,
    code: Vec<Op>,
    limits: Limits,
}

const OPERAND: &str = "a number, x, y, a function or \"(\"";

impl Parser {
    fn at(&self, i: usize) -> Option<char> {
        self.src.get(i).copied()
    }

    fn text(&self, start: usize, end: usize) -> String {
        self.src
            .get(start..end)
            .unwrap_or_default()
            .iter()
            .collect()
    }

    /// The token starting at or after `i`.
    fn lex(&self, mut i: usize) -> Result<Token, ExprError> {
        while self.at(i).is_some_and(char::is_whitespace) {
            i += 1;
        }
        let Some(c) = self.at(i) else {
            return Ok(Token {
                kind: Tok::End,
                start: i,
                end: i,
            });
        };
        let start = i;
        if c.is_ascii_digit() || c == '.' {
            return self.number(start);
        }
        if c.is_ascii_alphabetic() || c == '_' {
            while self
                .at(i)
                .is_some_and(|c| c.is_ascii_alphanumeric() || c == '_')
            {
                i += 1;
            }
            return Ok(Token {
                kind: Tok::Name,
                start,
                end: i,
            });
        }
        Ok(Token {
            kind: Tok::Sym(c),
            start,
            end: i + 1,
        })
    }

    fn number(&self, start: usize) -> Result<Token, ExprError> {
        let mut i = start;
        let (mut digits, mut dots) = (0, 0);
        while let Some(c) = self.at(i) {
            match c {
                '0'..='9' => digits += 1,
                '.' => dots += 1,
                _ => break,
            }
            i += 1;
        }
        if dots > 1 || digits == 0 {
            return fail(
                start,
                format!(
                    "bad number \"{}\"; write e.g. 2, 0.5, .5 or 1e-3",
                    self.text(start, i)
                ),
            );
        }
        if matches!(self.at(i), Some('e' | 'E')) {
            let mut j = i + 1;
            if matches!(self.at(j), Some('+' | '-')) {
                j += 1;
            }
            let first = j;
            while self.at(j).is_some_and(|c| c.is_ascii_digit()) {
                j += 1;
            }
            if j == first {
                return fail(
                    start,
                    format!(
                        "bad number \"{}\": the exponent after \"e\" needs digits, e.g. 1e-3",
                        self.text(start, j)
                    ),
                );
            }
            i = j;
        }
        let text = self.text(start, i);
        match crate::core::decimal::parse_f64(&text) {
            Some(v) if v.is_finite() => Ok(Token {
                kind: Tok::Num(v),
                start,
                end: i,
            }),
            Some(_) => fail(start, format!("number \"{text}\" is too large")),
            None => fail(start, format!("bad number \"{text}\"")),
        }
    }

    fn advance(&mut self) -> Result<(), ExprError> {
        self.tok = self.lex(self.tok.end)?;
        Ok(())
    }

    /// How the current token reads in a message.
    fn found(&self) -> String {
        match self.tok.kind {
            Tok::End => "the end".into(),
            _ => format!("\"{}\"", self.text(self.tok.start, self.tok.end)),
        }
    }

    /// "expected {what}, found …" at the current token, with a hint when an operand follows
    /// an operand (a missing `*`).
    fn unexpected(&self, what: &str) -> ExprError {
        let hint = match self.tok.kind {
            Tok::Num(_) | Tok::Name | Tok::Sym('(') => " (multiplication needs *, e.g. 3*x)",
            _ => "",
        };
        ExprError {
            pos: Some(self.tok.start),
            message: format!("expected {what}, found {}{hint}", self.found()),
        }
    }

    fn enter(&mut self, pos: usize) -> Result<(), ExprError> {
        if self.depth >= self.limits.depth {
            return fail(
                pos,
                format!(
                    "nesting is too deep: at most {} levels of parentheses, function calls, signs and ^",
                    self.limits.depth
                ),
            );
        }
        self.depth += 1;
        Ok(())
    }

    fn leave(&mut self) {
        self.depth = self.depth.saturating_sub(1);
    }

    /// Append `op`, folding it into a constant when its operands are constants (so `2^-1`,
    /// `pi/2` or `-3` cost nothing per evaluation) and turning `^ constant` into `Powi`/`Powf`.
    fn emit(&mut self, op: Op, pos: usize) -> Result<(), ExprError> {
        let n = self.code.len();
        let last = |k: usize| match n.checked_sub(k).and_then(|i| self.code.get(i)) {
            Some(Op::Const(c)) => Some(*c),
            _ => None,
        };
        let folded = match op {
            Op::Neg | Op::Powi(_) | Op::Powf(_) | Op::Call(_) => {
                last(1).map(|a| (1, apply1(op, a)))
            }
            Op::Add | Op::Sub | Op::Mul | Op::Div | Op::Pow | Op::Min | Op::Max => {
                match (last(2), last(1)) {
                    (Some(a), Some(b)) => Some((2, apply2(op, a, b))),
                    _ => None,
                }
            }
            Op::Const(_) | Op::X | Op::Y => None,
        };
        let op = match (folded, op, last(1)) {
            (Some((k, v)), _, _) => {
                self.code.truncate(n - k);
                Op::Const(v)
            }
            (None, Op::Pow, Some(c)) => {
                self.code.truncate(n - 1);
                if c.fract() == 0.0 && c.abs() <= MAX_POWI {
                    Op::Powi(c as i32)
                } else {
                    Op::Powf(c)
                }
            }
            _ => op,
        };
        if self.code.len() >= self.limits.code {
            return fail(
                pos,
                format!(
                    "expression is too long: more than {} instructions",
                    self.limits.code
                ),
            );
        }
        self.code.push(op);
        Ok(())
    }

    fn expr(&mut self) -> Result<(), ExprError> {
        self.term()?;
        loop {
            let op = match self.tok.kind {
                Tok::Sym('+') => Op::Add,
                Tok::Sym('-') => Op::Sub,
                _ => return Ok(()),
            };
            let pos = self.tok.start;
            self.advance()?;
            self.term()?;
            self.emit(op, pos)?;
        }
    }

    fn term(&mut self) -> Result<(), ExprError> {
        self.unary()?;
        loop {
            let op = match self.tok.kind {
                Tok::Sym('*') => Op::Mul,
                Tok::Sym('/') => Op::Div,
                _ => return Ok(()),
            };
            let pos = self.tok.start;
            self.advance()?;
            self.unary()?;
            self.emit(op, pos)?;
        }
    }

    fn unary(&mut self) -> Result<(), ExprError> {
        match self.tok.kind {
            Tok::Sym(sign @ ('-' | '+')) => {
                let pos = self.tok.start;
                self.enter(pos)?;
                self.advance()?;
                self.unary()?;
                self.leave();
                if sign == '-' {
                    self.emit(Op::Neg, pos)?;
                }
                Ok(())
            }
            _ => self.power(),
        }
    }

    fn power(&mut self) -> Result<(), ExprError> {
        self.primary()?;
        if self.tok.kind == Tok::Sym('^') {
            let pos = self.tok.start;
            self.enter(pos)?;
            self.advance()?;
            self.unary()?;
            self.leave();
            self.emit(Op::Pow, pos)?;
        }
        Ok(())
    }

    fn primary(&mut self) -> Result<(), ExprError> {
        let Token { kind, start, end } = self.tok;
        match kind {
            Tok::Num(v) => {
                self.advance()?;
                self.emit(Op::Const(v), start)
            }
            Tok::Name => {
                let name = self.text(start, end);
                let op = match name.as_str() {
                    "x" => Op::X,
                    "y" => Op::Y,
                    "pi" => Op::Const(std::f64::consts::PI),
                    "e" => Op::Const(std::f64::consts::E),
                    _ => {
                        return match FUNCTIONS.iter().find(|(n, _)| *n == name) {
                            Some(&(n, callee)) => self.call(n, callee),
                            None => fail(start, unknown_name(&name)),
                        }
                    }
                };
                self.advance()?;
                self.emit(op, start)
            }
            Tok::Sym('(') => {
                self.enter(start)?;
                self.advance()?;
                self.expr()?;
                match self.tok.kind {
                    Tok::Sym(')') => self.advance()?,
                    Tok::End => {
                        return fail(
                            self.tok.start,
                            format!("missing \")\" to close \"(\" at {start}"),
                        )
                    }
                    _ => {
                        return Err(self.unexpected(&format!(
                            "an operator or \")\" to close \"(\" at {start}"
                        )))
                    }
                }
                self.leave();
                Ok(())
            }
            _ => Err(self.unexpected(OPERAND)),
        }
    }

    /// `name(args…)`, the current token being the name.
    fn call(&mut self, name: &str, callee: Callee) -> Result<(), ExprError> {
        let at = self.tok.start;
        self.advance()?;
        if self.tok.kind != Tok::Sym('(') {
            return Err(self.unexpected(&format!("\"(\" after \"{name}\"")));
        }
        let open = self.tok.start;
        self.enter(open)?;
        self.advance()?;
        let mut args = 0;
        if self.tok.kind != Tok::Sym(')') {
            loop {
                self.expr()?;
                args += 1;
                match self.tok.kind {
                    Tok::Sym(',') => self.advance()?,
                    Tok::Sym(')') => break,
                    Tok::End => {
                        return fail(
                            self.tok.start,
                            format!("missing \")\" to close \"{name}(\" at {open}"),
                        )
                    }
                    _ => {
                        return Err(self.unexpected(&format!(
                            "an operator, \",\" or \")\" in \"{name}(\" at {open}"
                        )))
                    }
                }
            }
        }
        self.advance()?;
        self.leave();
        let (arity, op) = match callee {
            Callee::Unary(f) => (1, Op::Call(f)),
            Callee::Min => (2, Op::Min),
            Callee::Max => (2, Op::Max),
        };
        if args != arity {
            let noun = if arity == 1 { "argument" } else { "arguments" };
            return fail(at, format!("\"{name}\" needs {arity} {noun}, got {args}"));
        }
        self.emit(op, at)
    }
}

fn unknown_name(name: &str) -> String {
    let lower = name.to_ascii_lowercase();
    let known = matches!(lower.as_str(), "x" | "y" | "pi" | "e")
        || FUNCTIONS.iter().any(|(n, _)| *n == lower);
    let hint = if known && lower != name {
        format!(" (names are lower case: {lower})")
    } else {
        String::new()
    };
    format!("unknown name \"{name}\"{hint}; the names are {NAMES_HELP}")
}

/// Whole-number power by repeated squaring: `powi(x, 2)` is exactly `x*x`.
fn powi(x: f64, n: i32) -> f64 {
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

fn apply1(op: Op, a: f64) -> f64 {
    match op {
        Op::Neg => a.neg(),
        Op::Powi(n) => a.pow_int(n),
        Op::Powf(c) => a.pow_const(c),
        Op::Call(f) => a.func(f),
        _ => f64::NAN,
    }
}

fn apply2(op: Op, a: f64, b: f64) -> f64 {
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

/// Numbers the program runs on: `f64` for the loss, [`Dual2`] for its derivatives.
trait Scalar: Copy {
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
fn func_value(f: Func, a: f64) -> f64 {
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

/// Run the program. The top of the stack is kept in `top` and the items below it in `rest`
/// (slot 0 holds nothing), so a unary operation touches no memory. Accesses are checked:
/// an impossible overflow or underflow poisons the result with NaN instead of panicking.
fn run<T: Scalar, const N: usize>(code: &[Op], x: T, y: T) -> T {
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
    fn each_limit_is_an_error_not_a_crash() {
        let small = Limits {
            len: 40,
            depth: 3,
            code: 5,
        };
        let e = compile("x+x+x+x", small).expect_err("7 instructions");
        assert_eq!(e.pos, Some(6));
        assert!(e.message.contains("more than 5 instructions"), "{e}");
        let e = compile("((((x))))", small).expect_err("depth 4");
        assert_eq!(e.pos, Some(3));
        let e = compile(&"x".repeat(41), small).expect_err("too long");
        assert_eq!(e.pos, None);
        assert!(compile("(((x)))", small).is_ok());
    }

    #[test]
    fn depth_is_checked_before_recursing_even_without_the_length_limit() {
        let unlimited = Limits {
            len: usize::MAX,
            ..Limits::DEFAULT
        };
        let n = 100_000;
        for text in [
            format!("{}x{}", "(".repeat(n), ")".repeat(n)),
            format!("{}x", "-".repeat(n)),
            format!("x{}", "^x".repeat(n)),
            format!("{}x{}", "sin(".repeat(n), ")".repeat(n)),
        ] {
            let e = compile(&text, unlimited).expect_err("too deep");
            assert!(e.message.starts_with("nesting is too deep"), "{e}");
        }
    }

    #[test]
    fn constants_fold_and_constant_exponents_specialise() {
        let e = Expr::parse("2^-1 + pi/2 - -3").expect("valid");
        assert_eq!(
            e.code,
            vec![Op::Const(0.5 + std::f64::consts::PI / 2.0 + 3.0)]
        );
        let e = Expr::parse("x^2").expect("valid");
        assert_eq!(e.code, vec![Op::X, Op::Powi(2)]);
        let e = Expr::parse("x^0.5 + y^(1+1)").expect("valid");
        assert_eq!(
            e.code,
            vec![Op::X, Op::Powf(0.5), Op::Y, Op::Powi(2), Op::Add]
        );
        let e = Expr::parse("x^y").expect("valid");
        assert_eq!(e.code, vec![Op::X, Op::Y, Op::Pow]);
    }

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
