//! An optimizer's line: the palette slot its colour and dash come from, and a name the user
//! may give it. Both belong to the optimizer, not to its place in the list, so a line keeps
//! its look when another is duplicated or removed, and both travel in links.

use crate::core::param::{Access, Param, Scope};
use crate::core::run::{OptimizerConfig, Run};
use crate::core::scenario::PARAMS;

/// Most characters in an optimizer's name.
pub const MAX_NAME_CHARS: usize = 24;
/// Distinct lines: one per optimizer a scenario may hold.
pub const LINES: usize = crate::core::scenario::MAX_OPTIMIZERS;

/// Bytes a name of [`MAX_NAME_CHARS`] characters may need in UTF-8.
const NAME_BYTES: usize = 4 * MAX_NAME_CHARS;

/// A name of at most [`MAX_NAME_CHARS`] characters, stored inline so that an optimizer's
/// configuration stays `Copy` (the engine copies it into every track).
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct Name {
    len: u8,
    bytes: [u8; NAME_BYTES],
}

impl Name {
    /// `text` as a name, or `None` when it is empty or longer than [`MAX_NAME_CHARS`].
    pub fn new(text: &str) -> Option<Name> {
        let text = text.trim();
        if text.is_empty() || text.chars().count() > MAX_NAME_CHARS {
            return None;
        }
        let mut bytes = [0; NAME_BYTES];
        bytes[..text.len()].copy_from_slice(text.as_bytes());
        Some(Name {
            len: text.len() as u8,
            bytes,
        })
    }

    pub fn as_str(&self) -> &str {
        // Built from a &str only, cut at its own length: always UTF-8.
        std::str::from_utf8(&self.bytes[..self.len as usize]).unwrap_or_default()
    }
}

impl std::fmt::Debug for Name {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.as_str().fmt(f)
    }
}

impl OptimizerConfig {
    /// The line of the optimizer at `index`: its own when set, else its place.
    pub fn line(&self, index: usize) -> usize {
        self.colour.map_or(index, usize::from)
    }
}

/// Give every optimizer a line of its own, and write it the short way: explicit lines are
/// kept (the first wins a clash), an optimizer without one takes its place's line when free,
/// else the lowest free one; a line equal to its place is then stored as `None` (what the text
/// leaves out), so printing and reading back gives the same scenario.
pub fn settle_lines(optimizers: &mut [OptimizerConfig]) {
    let mut used = [false; LINES];
    let mut line = vec![usize::MAX; optimizers.len()];
    for (i, o) in optimizers.iter().enumerate() {
        if let Some(c) = o.colour.map(usize::from).filter(|&c| c < LINES && !used[c]) {
            used[c] = true;
            line[i] = c;
        }
    }
    for (i, o) in optimizers.iter().enumerate() {
        if o.colour.is_none() && i < LINES && !used[i] {
            used[i] = true;
            line[i] = i;
        }
    }
    for l in line.iter_mut().filter(|l| **l == usize::MAX) {
        let free = used.iter().position(|u| !u).unwrap_or(0);
        used[free] = true;
        *l = free;
    }
    for (i, (o, l)) in optimizers.iter_mut().zip(line).enumerate() {
        o.colour = (l != i).then_some(l as u8);
    }
}

/// Fix every optimizer's line to the one it shows now, before a change of places (remove,
/// duplicate), so that the others keep theirs.
pub fn pin_lines(optimizers: &mut [OptimizerConfig]) {
    for (i, o) in optimizers.iter_mut().enumerate() {
        o.colour = Some(o.line(i) as u8);
    }
}

/// What the key and the legends call each optimizer: its name when it has one, else its rule,
/// followed where other unnamed optimizers share the rule by the settings that differ among
/// them (`Adam α=0.05`), or by its number among them when nothing does (`Adam #2`).
pub fn line_names(optimizers: &[OptimizerConfig]) -> Vec<String> {
    let title = |o: &OptimizerConfig| o.rule.kind().title();
    // The text of every optimizer setting of `o` (empty where the row does not apply to it).
    let settings = |o: &OptimizerConfig| -> Vec<String> {
        let (rule, schedule) = (o.rule.kind(), o.schedule.name());
        PARAMS
            .iter()
            .filter(|p| p.scope.in_optimizer() && p.scope != Scope::Line)
            .map(|p| match p.access {
                Access::Optimizer { get, .. } if p.applies(rule, schedule) => p.format(&get(o)),
                _ => String::new(),
            })
            .collect()
    };
    let rows: Vec<&Param> = PARAMS
        .iter()
        .filter(|p| p.scope.in_optimizer() && p.scope != Scope::Line)
        .collect();
    let unnamed: Vec<(usize, Vec<String>)> = optimizers
        .iter()
        .enumerate()
        .filter(|(_, o)| o.name.is_none())
        .map(|(i, o)| (i, settings(o)))
        .collect();
    let names: Vec<String> = optimizers
        .iter()
        .enumerate()
        .map(|(i, o)| {
            if let Some(n) = o.name {
                return n.as_str().to_string();
            }
            let mine = &unnamed.iter().find(|(j, _)| *j == i).map(|(_, s)| s);
            let kin: Vec<&(usize, Vec<String>)> = unnamed
                .iter()
                .filter(|(j, _)| title(&optimizers[*j]) == title(o))
                .collect();
            let (Some(mine), true) = (mine, kin.len() > 1) else {
                return title(o).to_string();
            };
            let differs: Vec<String> = rows
                .iter()
                .enumerate()
                .filter(|(k, _)| !mine[*k].is_empty() && kin.iter().any(|(_, s)| s[*k] != mine[*k]))
                .map(|(k, p)| format!("{}={}", p.symbol, mine[k]))
                .take(2)
                .collect();
            if differs.is_empty() {
                let nth = kin.iter().position(|(j, _)| *j == i).unwrap_or(0) + 1;
                format!("{} #{nth}", title(o))
            } else {
                format!("{} {}", title(o), crate::core::join(&differs, ", "))
            }
        })
        .collect();
    // Settings that differ from some namesakes may still equal others': number those alike.
    let mut out = names.clone();
    for (i, n) in names.iter().enumerate() {
        let alike: Vec<usize> = (0..names.len())
            .filter(|&j| names[j] == *n && optimizers[j].name.is_none())
            .collect();
        if alike.len() > 1 && optimizers[i].name.is_none() && !n.contains(" #") {
            let nth = alike.iter().position(|&j| j == i).unwrap_or(0) + 1;
            out[i] = format!("{n} #{nth}");
        }
    }
    out
}

/// The first optimizer before `i` that stands where `i` does at the same step (to a
/// billionth of the coordinates' size): drawn later, its line and point cover `i`'s, so the
/// key says so.
pub fn same_point_as(run: &Run, i: usize) -> Option<usize> {
    let t = run.tracks.get(i)?;
    let near = |a: &[f64], b: &[f64]| {
        a.iter()
            .zip(b)
            .all(|(x, y)| (x - y).abs() <= 1e-9 * (1.0 + x.abs().max(y.abs())))
    };
    run.tracks[..i]
        .iter()
        .position(|u| u.step == t.step && near(&u.theta, &t.theta))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_trimmed_bounded_and_kept_whole() {
        assert_eq!(
            Name::new("  fast α  ").map(|n| n.as_str().to_string()),
            Some("fast α".into())
        );
        assert!(Name::new("   ").is_none());
        let long = "λ".repeat(MAX_NAME_CHARS);
        assert_eq!(
            Name::new(&long).map(|n| n.as_str().chars().count()),
            Some(MAX_NAME_CHARS)
        );
        assert!(Name::new(&format!("{long}x")).is_none());
    }
}
