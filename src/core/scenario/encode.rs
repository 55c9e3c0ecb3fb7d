//! Printing a scenario as canonical text: the surface and every row of the parameter table
//! that applies, in table order. Rust is the only writer of scenario text; printing then
//! decoding gives the same scenario back.

use super::table::{self, optimizer_rows};
use super::{percent_encode, Scenario};
use crate::core::join;
use crate::core::objective::CUSTOM;
use crate::core::param::{Access, Domain, Param, Value};
use crate::core::run::OptimizerConfig;

/// `key=value` of `row` for the encoder, when it writes one.
fn pair(
    row: &Param,
    value: crate::core::param::Value,
    o: Option<&OptimizerConfig>,
) -> Option<String> {
    row.written(&value, o)
        .then(|| format!("{}={}", row.key, row.format(&value)))
}

impl Scenario {
    /// The surface's part of the text: `ellipse:kappa=10`, or `custom:f=…` percent-encoded.
    pub fn surface_text(&self) -> String {
        let mut out = String::from(self.surface);
        if self.surface == CUSTOM {
            out.push_str(":f=");
            out.push_str(&percent_encode(self.custom.as_deref().unwrap_or_default()));
            return out;
        }
        // Given rows replace the generated examples: their count and seed are not written.
        let def = self.surface_def();
        let skip = match (&self.data, &def.data) {
            (Some(_), Some(d)) => d.generated,
            _ => 0,
        };
        let parts: Vec<String> = def
            .params
            .iter()
            .zip(&self.surface_params)
            .skip(skip)
            .map(|(p, v)| {
                format!(
                    "{}={}",
                    p.key,
                    p.format(&crate::core::param::Value::Num(*v))
                )
            })
            .collect();
        if !parts.is_empty() {
            out.push(':');
            out.push_str(&join(&parts, ","));
        }
        out
    }

    /// Canonical text: every rule parameter written out, so a link replays the same run even
    /// if defaults change; other keys only when not at their default. A scenario from a
    /// preset names it first and also writes every key where it differs from the preset
    /// (even back at the default), so the link keeps the lesson and still says everything.
    pub fn to_text(&self) -> String {
        let base = self
            .preset
            .and_then(crate::core::presets::preset)
            .and_then(|p| Scenario::parse(p.text).ok());
        let mut parts: Vec<String> = Vec::new();
        for row in table::scenario_rows() {
            match (row.key, row.access) {
                ("v", _) => parts.push("v=1".into()),
                ("preset", _) => parts.extend(self.preset.map(|p| format!("preset={p}"))),
                ("surface", _) => parts.push(format!("surface={}", self.surface_text())),
                // Empty where the preset has rows and this scenario does not: its own examples.
                ("data", _) => match &self.data {
                    Some(d) => parts.push(format!("data={}", d.encode())),
                    None if base.as_ref().is_some_and(|b| b.data.is_some()) => {
                        parts.push("data=".into())
                    }
                    None => {}
                },
                ("opt", _) => parts.extend(
                    self.optimizers
                        .iter()
                        .map(|o| format!("opt={}", optimizer_text(o))),
                ),
                (_, Access::Scenario { get, .. }) => {
                    let value = get(self);
                    let differs = base.as_ref().is_some_and(|b| get(b) != value);
                    match pair(row, value.clone(), None) {
                        Some(p) => parts.push(p),
                        None if differs => {
                            parts.push(format!("{}={}", row.key, row.format(&value)))
                        }
                        None => {}
                    }
                }
                _ => {}
            }
        }
        join(&parts, "&")
    }
}

/// `rule:lr=…,…` of one optimizer: its rule's parameters always, its gradient source,
/// schedule and line when not at their defaults. Text (a name) is percent-coded twice where
/// it has `%` or `,`, because the whole `opt=` value is decoded once before it is split at
/// commas: `name=a%252Cb` reads as `a,b`.
pub fn optimizer_text(o: &OptimizerConfig) -> String {
    let parts: Vec<String> = optimizer_rows(o.rule.kind(), o.schedule.name())
        .filter_map(|row| match row.access {
            Access::Optimizer { get, .. } => match (row.domain, get(o)) {
                (Domain::Text { .. }, Value::Text(t)) => Some(format!(
                    "{}={}",
                    row.key,
                    percent_encode(&t.replace('%', "%25").replace(',', "%2C"))
                )),
                (_, v) => pair(row, v, Some(o)),
            },
            _ => None,
        })
        .collect();
    format!("{}:{}", o.rule.kind().name(), join(&parts, ","))
}
