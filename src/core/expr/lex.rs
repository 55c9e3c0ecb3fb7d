//! The tokenizer: splits the expression text into numbers, names and single-character
//! symbols for the parser (`parse.rs`), which reads one token ahead.

use super::parse::Parser;
use super::{fail, ExprError};

#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) enum Tok {
    Num(f64),
    Name,
    /// Any other single character: operators, parentheses, commas and strays.
    Sym(char),
    End,
}

#[derive(Debug, Clone, Copy)]
pub(super) struct Token {
    pub(super) kind: Tok,
    pub(super) start: usize,
    pub(super) end: usize,
}

impl Parser {
    fn at(&self, i: usize) -> Option<char> {
        self.src.get(i).copied()
    }

    pub(super) fn text(&self, start: usize, end: usize) -> String {
        self.src
            .get(start..end)
            .unwrap_or_default()
            .iter()
            .collect()
    }

    /// The token starting at or after `i`.
    pub(super) fn lex(&self, mut i: usize) -> Result<Token, ExprError> {
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
}
