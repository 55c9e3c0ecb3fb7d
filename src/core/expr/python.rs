//! An expression as Python source, for the code exports: the postfix program read back into
//! one fully parenthesised infix expression, so Python evaluates the same operations in the
//! same order (constants already folded, as the engine folded them).

use super::eval::{Func, Op};
use super::Expr;

/// Which Python the text is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dialect {
    /// The NumPy script's forward-mode dual numbers: `sin`, `powi`, `powc`, `pw`, `fmin`,
    /// `fmax` are functions the script defines, mirroring the engine's derivative rules.
    Dual,
    /// PyTorch tensors (`x`, `y` 0-d tensors), differentiated by autograd.
    Torch,
}

/// A Python float literal that reads back as exactly `c` (`float("inf")` and `float("nan")`
/// for what has no literal).
pub fn py_float(c: f64) -> String {
    if c.is_nan() {
        "float(\"nan\")".into()
    } else if c.is_infinite() {
        if c > 0.0 {
            "float(\"inf\")"
        } else {
            "-float(\"inf\")"
        }
        .into()
    } else {
        // The shortest digits that read back exactly (`{}`), in exponent form where plain
        // decimals would be long; a `.0` keeps a whole number a Python float.
        let a = c.abs();
        if a != 0.0 && !(1e-5..1e16).contains(&a) {
            crate::core::numtext::Exp(c).to_string()
        } else {
            let t = c.to_string();
            if t.contains('.') {
                t
            } else {
                t + ".0"
            }
        }
    }
}

fn func_name(f: Func, d: Dialect) -> &'static str {
    let (dual, torch) = match f {
        Func::Sin => ("sin", "torch.sin"),
        Func::Cos => ("cos", "torch.cos"),
        Func::Tan => ("tan", "torch.tan"),
        Func::Exp => ("exp", "torch.exp"),
        Func::Ln => ("log", "torch.log"),
        Func::Sqrt => ("sqrt", "torch.sqrt"),
        Func::Abs => ("fabs", "torch.abs"),
        Func::Tanh => ("tanh", "torch.tanh"),
        Func::Sigmoid => ("sigmoid", "torch.sigmoid"),
    };
    match d {
        Dialect::Dual => dual,
        Dialect::Torch => torch,
    }
}

/// Python's binding strength of what a piece of text is: sums 1, products 2, a sign 3,
/// powers 4, calls, names and non-negative numbers 5.
const SUM: u8 = 1;
const PRODUCT: u8 = 2;
const SIGN: u8 = 3;
const POWER: u8 = 4;
const ATOM: u8 = 5;

/// `text` of binding strength `has`, parenthesised where the place needs `need` or more.
fn wrap((text, has): (String, u8), need: u8) -> String {
    if has >= need {
        text
    } else {
        format!("({text})")
    }
}

/// A piece for torch.minimum and torch.maximum, which take tensors only: a number becomes one.
fn tensor((text, has): (String, u8)) -> String {
    if has == ATOM && !text.starts_with(|c: char| c.is_ascii_digit()) {
        text
    } else {
        format!("torch.as_tensor({text})")
    }
}

impl Expr {
    /// The expression as Python in `x` and `y` (see [`Dialect`]), with the parentheses the
    /// program's order needs and no others: Python then evaluates the same operations in the
    /// same order (`a - b + c` is `(a - b) + c` in both), and a long chain does not nest.
    pub fn to_python(&self, d: Dialect) -> String {
        let torch = d == Dialect::Torch;
        let mut stack: Vec<(String, u8)> = Vec::new();
        for &op in &self.code {
            let piece = match op {
                Op::Const(c) => {
                    let t = py_float(c);
                    let strength = if t.starts_with('-') { SIGN } else { ATOM };
                    (t, strength)
                }
                Op::X => ("x".into(), ATOM),
                Op::Y => ("y".into(), ATOM),
                Op::Neg | Op::Powi(_) | Op::Powf(_) | Op::Call(_) => {
                    let a = stack.pop().unwrap_or(("0.0".into(), ATOM));
                    match op {
                        // A sign binds less than a power: -(x ** 2) is written -x ** 2.
                        Op::Neg => (format!("-{}", wrap(a, SIGN)), SIGN),
                        Op::Powi(n) if torch => (format!("{} ** {n}", wrap(a, ATOM)), POWER),
                        Op::Powf(c) if torch => {
                            let e = wrap((py_float(c), ATOM), ATOM);
                            (format!("{} ** {e}", wrap(a, ATOM)), POWER)
                        }
                        Op::Powi(n) => (format!("powi({}, {n})", a.0), ATOM),
                        Op::Powf(c) => (format!("powc({}, {})", a.0, py_float(c)), ATOM),
                        Op::Call(f) => (format!("{}({})", func_name(f, d), a.0), ATOM),
                        _ => a,
                    }
                }
                _ => {
                    let b = stack.pop().unwrap_or(("0.0".into(), ATOM));
                    let a = stack.pop().unwrap_or(("0.0".into(), ATOM));
                    // Left-associative: the left operand may be of the same strength, the
                    // right one must bind more.
                    let infix = |sym: &str, strength: u8, a: (String, u8), b: (String, u8)| {
                        let (l, r) = (wrap(a, strength), wrap(b, strength + 1));
                        (format!("{l} {sym} {r}"), strength)
                    };
                    match op {
                        Op::Add => infix("+", SUM, a, b),
                        Op::Sub => infix("-", SUM, a, b),
                        Op::Mul => infix("*", PRODUCT, a, b),
                        Op::Div => infix("/", PRODUCT, a, b),
                        // Right-associative and tighter than a sign on its left: (-2) ** x.
                        Op::Pow if torch => {
                            (format!("{} ** {}", wrap(a, ATOM), wrap(b, POWER)), POWER)
                        }
                        Op::Pow => (format!("pw({}, {})", a.0, b.0), ATOM),
                        Op::Min if torch => {
                            (format!("torch.minimum({}, {})", tensor(a), tensor(b)), ATOM)
                        }
                        Op::Max if torch => {
                            (format!("torch.maximum({}, {})", tensor(a), tensor(b)), ATOM)
                        }
                        Op::Min => (format!("fmin({}, {})", a.0, b.0), ATOM),
                        _ => (format!("fmax({}, {})", a.0, b.0), ATOM),
                    }
                }
            };
            stack.push(piece);
        }
        stack.pop().map_or_else(|| "0.0".into(), |t| t.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn infix_keeps_the_order_of_the_program() {
        let e = Expr::parse("0.1*(x^2 + y^2) + sin(x)*cos(y)").expect("ok");
        assert_eq!(
            e.to_python(Dialect::Dual),
            "0.1 * (powi(x, 2) + powi(y, 2)) + sin(x) * cos(y)"
        );
        assert_eq!(
            e.to_python(Dialect::Torch),
            "0.1 * (x ** 2 + y ** 2) + torch.sin(x) * torch.cos(y)"
        );
        let e = Expr::parse("-x^2 - y / 3 + max(x, y)^y").expect("ok");
        assert_eq!(
            e.to_python(Dialect::Dual),
            "-powi(x, 2) - y / 3.0 + pw(fmax(x, y), y)"
        );
        // A right operand of the same strength keeps its parentheses; a left one does not.
        let e = Expr::parse("x - (y - x) / (x * y) * 2").expect("ok");
        assert_eq!(e.to_python(Dialect::Dual), "x - (y - x) / (x * y) * 2.0");
        // A negative base, a power of a power, numbers in min and max.
        let e = Expr::parse("(0-2)^x + (x^y)^2 + max(x, 0) + min(1, y)").expect("ok");
        assert_eq!(
            e.to_python(Dialect::Torch),
            "(-2.0) ** x + (x ** y) ** 2 + torch.maximum(x, torch.as_tensor(0.0)) \
             + torch.minimum(torch.as_tensor(1.0), y)"
        );
        // A long chain does not nest: Python refuses more than 200 open parentheses.
        let chain = vec!["x"; 240].join("-");
        let e = Expr::parse(&chain).expect("ok");
        assert!(!e.to_python(Dialect::Dual).contains('('));
    }

    #[test]
    fn literals_read_back_exactly() {
        assert_eq!(py_float(1e-7), "1e-7");
        assert_eq!(py_float(-0.0), "-0.0");
        assert_eq!(py_float(1.5e300), "1.5e300");
        assert_eq!(py_float(2.0), "2.0");
        assert_eq!(py_float(f64::INFINITY), "float(\"inf\")");
        assert_eq!(py_float(0.1 + 0.2), "0.30000000000000004");
    }
}
