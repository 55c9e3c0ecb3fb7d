//! The parser: expression text to the postfix program, by recursive descent over the grammar
//! in the module doc, folding constants and enforcing the size and depth limits.

use super::eval::{apply1, apply2, Func, Op};
use super::lex::{Tok, Token};
use super::{
    fail, Expr, ExprError, MAX_DEPTH, MAX_INSTRUCTIONS, MAX_LEN, MAX_POWI, MAX_STACK, NAMES_HELP,
};

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

/// Size limits of the parser (smaller in unit tests, to reach each limit).
#[derive(Debug, Clone, Copy)]
pub(super) struct Limits {
    len: usize,
    depth: usize,
    code: usize,
}

impl Limits {
    pub(super) const DEFAULT: Limits = Limits {
        len: MAX_LEN,
        depth: MAX_DEPTH,
        code: MAX_INSTRUCTIONS,
    };
}

// Not inlined into its callers: the scenario decoder need not carry a copy (wasm size).
#[inline(never)]
pub(super) fn compile(source: &str, limits: Limits) -> Result<Expr, ExprError> {
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

pub(super) struct Parser {
    pub(super) src: Vec<char>,
    /// The current (not yet consumed) token.
    tok: Token,
    depth: usize,
    code: Vec<Op>,
    limits: Limits,
}

const OPERAND: &str = "a number, x, y, a function or \"(\"";

impl Parser {
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
}
