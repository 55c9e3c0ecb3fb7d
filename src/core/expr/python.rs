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

impl Expr {
    /// The expression as Python in `x` and `y` (see [`Dialect`]).
    pub fn to_python(&self, d: Dialect) -> String {
        let mut stack: Vec<String> = Vec::new();
        for &op in &self.code {
            let text = match op {
                Op::Const(c) => py_float(c),
                Op::X => "x".into(),
                Op::Y => "y".into(),
                Op::Neg | Op::Powi(_) | Op::Powf(_) | Op::Call(_) => {
                    let a = stack.pop().unwrap_or_default();
                    match (op, d) {
                        (Op::Neg, _) => format!("(-{a})"),
                        (Op::Powi(n), Dialect::Dual) => format!("powi({a}, {n})"),
                        (Op::Powf(c), Dialect::Dual) => format!("powc({a}, {})", py_float(c)),
                        (Op::Powi(n), Dialect::Torch) => format!("({a} ** {n})"),
                        (Op::Powf(c), Dialect::Torch) => format!("({a} ** {})", py_float(c)),
                        (Op::Call(f), _) => format!("{}({a})", func_name(f, d)),
                        _ => a,
                    }
                }
                _ => {
                    let b = stack.pop().unwrap_or_default();
                    let a = stack.pop().unwrap_or_default();
                    match (op, d) {
                        (Op::Add, _) => format!("({a} + {b})"),
                        (Op::Sub, _) => format!("({a} - {b})"),
                        (Op::Mul, _) => format!("({a} * {b})"),
                        (Op::Div, _) => format!("({a} / {b})"),
                        (Op::Pow, Dialect::Dual) => format!("pw({a}, {b})"),
                        (Op::Pow, Dialect::Torch) => format!("({a} ** {b})"),
                        (Op::Min, Dialect::Dual) => format!("fmin({a}, {b})"),
                        (Op::Max, Dialect::Dual) => format!("fmax({a}, {b})"),
                        (Op::Min, Dialect::Torch) => format!("torch.minimum({a}, {b})"),
                        (_, Dialect::Torch) => format!("torch.maximum({a}, {b})"),
                        _ => a,
                    }
                }
            };
            stack.push(text);
        }
        let top = stack.pop().unwrap_or_else(|| "0.0".into());
        match top.strip_prefix('(').and_then(|t| t.strip_suffix(')')) {
            // Only the outermost pair: "(a) + (b)" must keep its own.
            Some(inner) if balanced(inner) => inner.to_string(),
            _ => top,
        }
    }
}

/// Whether every parenthesis of `s` closes within it.
fn balanced(s: &str) -> bool {
    let mut depth = 0i32;
    for c in s.chars() {
        match c {
            '(' => depth += 1,
            ')' => {
                depth -= 1;
                if depth < 0 {
                    return false;
                }
            }
            _ => {}
        }
    }
    depth == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn infix_keeps_the_order_of_the_program() {
        let e = Expr::parse("0.1*(x^2 + y^2) + sin(x)*cos(y)").expect("ok");
        assert_eq!(
            e.to_python(Dialect::Dual),
            "(0.1 * (powi(x, 2) + powi(y, 2))) + (sin(x) * cos(y))"
        );
        assert_eq!(
            e.to_python(Dialect::Torch),
            "(0.1 * ((x ** 2) + (y ** 2))) + (torch.sin(x) * torch.cos(y))"
        );
        let e = Expr::parse("-x^2 - y / 3 + max(x, y)^y").expect("ok");
        assert_eq!(
            e.to_python(Dialect::Dual),
            "((-powi(x, 2)) - (y / 3.0)) + pw(fmax(x, y), y)"
        );
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
