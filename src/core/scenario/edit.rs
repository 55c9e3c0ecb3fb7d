//! Narrow edits of a scenario, each checked by the same table rows as the decoder: what the
//! page's controls call (through the wasm handle) so that the page never writes scenario text.
//! On error nothing changes.

use super::decode::{parse_key, set_surface_param, surface_named};
use super::table::{self, normalize, on_increase, reset_to_default, with_rule};
use super::{check_work, err, Scenario, ScenarioError, MAX_OPTIMIZERS};
use crate::core::challenge::LOCKS;
use crate::core::dataset::{Columns, Dataset};
use crate::core::join;
use crate::core::label::{pin_lines, settle_lines};
use crate::core::objective::{surface_def, CUSTOM, DEFAULT_EXPRESSION};
use crate::core::optim::RuleKind;
use crate::core::param::{Access, Ctx, Fallback, Scope, Value};
use crate::core::run::OptimizerConfig;

/// What an edit changed, so the page redraws only what it must.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize)]
pub struct Change {
    /// The runs were rebuilt (anything but a page option changed).
    pub restarted: bool,
    /// The surface or its parameters changed (new background, new view).
    pub surface: bool,
    /// The view box changed.
    pub view: bool,
    /// The step the runs were brought back to after a restart.
    pub step: u64,
}

impl Change {
    /// What differs between `old` and `new` (the step is filled in by whoever re-runs).
    pub fn between(old: &Scenario, new: &Scenario) -> Change {
        let surface = old.surface != new.surface
            || old.surface_params != new.surface_params
            || old.custom != new.custom
            || old.data != new.data;
        let mut a = new.clone();
        a.page = old.page.clone();
        Change {
            restarted: a != *old,
            surface,
            view: surface || old.page.view != new.page.view,
            step: 0,
        }
    }
}

impl Scenario {
    /// What values are checked against: the surface's dimension and data set.
    fn ctx(&self) -> (usize, usize) {
        let obj = self.build_objective();
        (obj.dim(), obj.examples())
    }

    /// Whether this scenario with `optimizers` optimizers on `examples` examples stays within
    /// the work bound ([`Scenario::check_work`]), asked before an edit that adds any.
    fn fits(&self, optimizers: usize, examples: usize) -> Result<(), ScenarioError> {
        check_work(self.stopping.max_steps, optimizers, examples)
    }

    /// Refuse an edit of something this scenario's challenge keeps fixed (`lock=`): `lock`
    /// names it, `key` and `text` the edit.
    pub fn check_unlocked(&self, lock: &str, key: &str, text: &str) -> Result<(), ScenarioError> {
        match LOCKS.iter().find(|c| c.name == lock) {
            Some(c) if self.page.lock.contains(&c.name) => Err(err(
                key,
                text,
                format!(
                    "is locked by this challenge: {} stay as set (lock={})",
                    c.label, c.name
                ),
            )),
            _ => Ok(()),
        }
    }

    fn optimizer_index(&self, i: usize) -> Result<usize, ScenarioError> {
        if i < self.optimizers.len() {
            Ok(i)
        } else {
            Err(err(
                "opt",
                &(i + 1).to_string(),
                format!(
                    "there is no optimizer {}; there are {}",
                    i + 1,
                    self.optimizers.len()
                ),
            ))
        }
    }

    /// Set top-level key `key` (a scenario or page key such as `seed`, `gtol`, `start`, `speed`,
    /// `show`) from its text. Empty text puts back a key whose default is "not set".
    pub fn set_key(&mut self, key: &str, text: &str) -> Result<(), ScenarioError> {
        let (dim, examples) = self.ctx();
        let ctx = Ctx {
            dim,
            examples,
            surface: self.surface,
        };
        let (row, value) = parse_key(key, text, &ctx)?;
        if key == "start" {
            self.check_unlocked("start", key, text)?;
        }
        // A challenge's own keys stay while it locks anything.
        if matches!(key, "goal" | "within" | "lock") && !self.page.lock.is_empty() {
            return Err(err(
                key,
                text,
                "cannot change while the challenge locks controls (open a new link instead)",
            ));
        }
        if key == "steps" {
            check_work(value.num() as u64, self.optimizers.len(), examples)?;
        }
        if let Access::Scenario { set, .. } = row.access {
            set(self, &value);
        }
        Ok(())
    }

    /// Set parameter `key` of optimizer `i` (0-based) from its text. `schedule` starts the new
    /// schedule's parameters at their defaults; an empty `batch` is the full batch.
    pub fn set_opt_param(&mut self, i: usize, key: &str, text: &str) -> Result<(), ScenarioError> {
        let i = self.optimizer_index(i)?;
        let (dim, examples) = self.ctx();
        let ctx = Ctx {
            dim,
            examples,
            surface: self.surface,
        };
        let (kind, schedule) = (
            self.optimizers[i].rule.kind(),
            self.optimizers[i].schedule.name(),
        );
        let what = format!("opt {} ({}): {key}", i + 1, kind.name());
        let row = table::optimizer_rows(kind, schedule)
            .find(|p| p.key == key)
            .ok_or_else(|| {
                let keys: Vec<&str> = table::optimizer_rows(kind, schedule)
                    .map(|p| p.key)
                    .collect();
                err(
                    &what,
                    text,
                    format!(
                        "does not apply to this optimizer; it takes {}",
                        join(&keys, ", ")
                    ),
                )
            })?;
        // What a challenge locks: α with its schedule, or the rest; never the line's name and colour.
        match row.scope {
            Scope::Line => {}
            Scope::Schedule(_) => self.check_unlocked("lr", &what, text)?,
            _ if key == "lr" => self.check_unlocked("lr", &what, text)?,
            _ => self.check_unlocked("params", &what, text)?,
        }
        let cfg = &mut self.optimizers[i];
        if key == "gamma0" && table::momentum_warmup(cfg) == 0 {
            return Err(err(
                &what,
                text,
                "γ₀ acts only during a warm-up: set warmup (updates with γ₀) first",
            ));
        }
        if key == "every" && on_increase(cfg) {
            return Err(err(&what, text, table::EVERY_WITH_ON_INCREASE));
        }
        let value = match (text.trim().is_empty(), row.default) {
            (true, Fallback::Absent) => Value::Absent,
            // An emptied γ₀ goes back to its default, as a γ₀ left out of the text does.
            (true, _) if key == "gamma0" => row.default_value(),
            _ => row.parse(&what, text, &ctx)?,
        };
        if key == "colour" {
            self.set_line(i, value);
            return Ok(());
        }
        let had_warmup = table::momentum_warmup(cfg) > 0;
        if let Access::Optimizer { set, .. } = row.access {
            set(cfg, &value);
        }
        // A warm-up just switched on starts from the slides' γ₀, as `warmup=n` in text does.
        if key == "warmup" && !had_warmup {
            reset_to_default(cfg, "gamma0");
        }
        normalize(cfg);
        Ok(())
    }

    /// Change optimizer `i`'s rule: α, the gradient source and the schedule stay, the new
    /// rule's hyperparameters start at their defaults.
    pub fn set_rule(&mut self, i: usize, rule: &str) -> Result<(), ScenarioError> {
        let i = self.optimizer_index(i)?;
        self.check_unlocked("rule", &format!("opt {} rule", i + 1), rule)?;
        let kind = rule_named(rule)?;
        self.optimizers[i] = with_rule(&self.optimizers[i], kind);
        Ok(())
    }

    /// Add an optimizer of `rule` at its defaults ("" picks the first rule not yet in the
    /// race). Returns its index.
    pub fn add_optimizer(&mut self, rule: &str) -> Result<usize, ScenarioError> {
        self.check_unlocked("optimizers", "opt", rule)?;
        if self.optimizers.len() >= MAX_OPTIMIZERS {
            return Err(err(
                "opt",
                rule,
                format!("too many optimizers; at most {MAX_OPTIMIZERS} are allowed"),
            ));
        }
        let kind = if rule.is_empty() {
            RuleKind::ALL
                .into_iter()
                .find(|r| self.optimizers.iter().all(|o| o.rule.kind() != *r))
                .unwrap_or(RuleKind::Gd)
        } else {
            rule_named(rule)?
        };
        self.fits(self.optimizers.len() + 1, self.ctx().1)?;
        self.optimizers.push(table::default_optimizer(kind));
        settle_lines(&mut self.optimizers);
        Ok(self.optimizers.len() - 1)
    }

    /// Give optimizer `i` line `value` (`Absent`: its place's); an optimizer that had that
    /// line takes `i`'s old one, so every line stays one optimizer's.
    fn set_line(&mut self, i: usize, value: Value) {
        pin_lines(&mut self.optimizers);
        let old = self.optimizers[i].line(i);
        let new = match value {
            Value::Num(c) => c as usize,
            _ => i,
        };
        for (j, o) in self.optimizers.iter_mut().enumerate() {
            if j != i && o.line(j) == new {
                o.colour = Some(old as u8);
            }
        }
        self.optimizers[i].colour = Some(new as u8);
        settle_lines(&mut self.optimizers);
    }

    /// Insert a copy of optimizer `i` after it; returns the copy's index.
    pub fn duplicate_optimizer(&mut self, i: usize) -> Result<usize, ScenarioError> {
        let i = self.optimizer_index(i)?;
        self.check_unlocked("optimizers", "opt", &(i + 1).to_string())?;
        if self.optimizers.len() >= MAX_OPTIMIZERS {
            return Err(err(
                "opt",
                &(i + 1).to_string(),
                format!("too many optimizers; at most {MAX_OPTIMIZERS} are allowed"),
            ));
        }
        self.fits(self.optimizers.len() + 1, self.ctx().1)?;
        // The copy gets a line (and a name) of its own; the others keep theirs.
        pin_lines(&mut self.optimizers);
        let copy = OptimizerConfig {
            colour: None,
            name: None,
            ..self.optimizers[i]
        };
        self.optimizers.insert(i + 1, copy);
        settle_lines(&mut self.optimizers);
        Ok(i + 1)
    }

    /// Remove optimizer `i`; the last one stays.
    pub fn remove_optimizer(&mut self, i: usize) -> Result<(), ScenarioError> {
        let i = self.optimizer_index(i)?;
        self.check_unlocked("optimizers", "opt", &(i + 1).to_string())?;
        if self.optimizers.len() == 1 {
            return Err(err("opt", "1", "a scenario needs at least one optimizer"));
        }
        pin_lines(&mut self.optimizers);
        self.optimizers.remove(i);
        settle_lines(&mut self.optimizers);
        Ok(())
    }

    /// Switch to surface `name` with its parameters at their defaults (`custom` keeps the
    /// expression it had, or starts from an example). The start point and view go back to the
    /// surface's own, and every optimizer to the full batch.
    pub fn set_surface(&mut self, name: &str) -> Result<(), ScenarioError> {
        self.check_unlocked("surface", "surface", name)?;
        if name == CUSTOM {
            let expr = self
                .custom
                .clone()
                .unwrap_or_else(|| DEFAULT_EXPRESSION.into());
            self.set_custom(&expr)?;
        } else {
            let choice = surface_named(name)?;
            self.fits(self.optimizers.len(), examples_of(choice.0, &choice.1))?;
            self.put_surface(choice);
        }
        self.leave_surface();
        Ok(())
    }

    /// Use your own surface f(x, y) = `expr`; the start point and view go back to its own.
    pub fn set_expression(&mut self, expr: &str) -> Result<(), ScenarioError> {
        self.check_unlocked("surface", "surface", expr)?;
        self.set_custom(expr)?;
        self.leave_surface();
        Ok(())
    }

    /// What belonged to the previous surface goes: start point, view box, mini-batches.
    fn leave_surface(&mut self) {
        // A preset's note is about its own surface.
        self.preset = None;
        self.start = None;
        self.page.view = None;
        for o in &mut self.optimizers {
            o.source.batch_size = None;
        }
    }

    /// Set parameter `key` of the current surface from its text.
    pub fn set_surface_param(&mut self, key: &str, text: &str) -> Result<(), ScenarioError> {
        self.check_unlocked("surface", key, text)?;
        let mut values = self.surface_params.clone();
        set_surface_param(self.surface, &mut values, key, text)?;
        let examples = match &self.data {
            Some(d) => d.len(),
            None => examples_of(self.surface, &values),
        };
        self.fits(self.optimizers.len(), examples)?;
        let (name, custom, start) = (self.surface, self.custom.clone(), self.start.clone());
        self.put_surface((name, values, custom));
        self.settle_data();
        self.start = start;
        // A data set of another size: mini-batches that no longer fit become the full batch,
        // which the optimizer's batch control then shows.
        for o in &mut self.optimizers {
            if o.source.batch_size.is_some_and(|m| m as usize > examples) {
                o.source.batch_size = None;
            }
        }
        Ok(())
    }
}

/// The size of the data set of registry surface `name` with parameter values `params` (0 for
/// an analytic surface).
impl Scenario {
    /// The rows `data=TEXT` gives this scenario's surface (`None` for an empty text: the
    /// generated examples), or why it cannot take them.
    pub(crate) fn data_from(&self, text: &str) -> Result<Option<Dataset>, ScenarioError> {
        if text.trim().is_empty() {
            return Ok(None);
        }
        let columns = self.data_columns(text)?;
        Dataset::decode(text, columns)
            .map(Some)
            .map_err(|e| err("data", text, e.to_string()))
    }

    /// What rows of this scenario's surface hold, or an error on `data` if it takes none.
    pub fn data_columns(&self, text: &str) -> Result<Columns, ScenarioError> {
        self.surface_def()
            .data
            .as_ref()
            .map(|d| d.columns)
            .ok_or_else(|| {
                let takes: Vec<&str> = crate::core::objective::SURFACES
                    .iter()
                    .filter(|d| d.data.is_some())
                    .map(|d| d.name)
                    .collect();
                err(
                    "data",
                    text,
                    format!(
                        "surface {} takes no data; the data-set surfaces are {}",
                        self.surface,
                        join(&takes, ", ")
                    ),
                )
            })
    }

    /// Use the user's CSV (see [`Dataset::from_csv`]) in place of the surface's examples;
    /// errors name the line and column. The start point, view and mini-batches start afresh.
    pub fn set_data_csv(&mut self, csv: &str) -> Result<(), ScenarioError> {
        self.check_unlocked("surface", "data", "CSV")?;
        let columns = self.data_columns("CSV")?;
        let d = Dataset::from_csv(csv, columns).map_err(|e| {
            let line = csv.lines().nth(e.line.wrapping_sub(1)).unwrap_or_default();
            err("data (CSV)", line.trim(), e.to_string())
        })?;
        self.use_data(Some(d))
    }

    /// Use shipped data set `name`, or `data=` rows, or (empty) the generated examples again.
    pub fn set_data(&mut self, text: &str) -> Result<(), ScenarioError> {
        self.check_unlocked("surface", "data", text)?;
        let d = self.data_from(text)?;
        self.use_data(d)
    }

    fn use_data(&mut self, d: Option<Dataset>) -> Result<(), ScenarioError> {
        let examples = match &d {
            Some(d) => d.len(),
            None => examples_of(self.surface, &self.surface_params),
        };
        self.fits(self.optimizers.len(), examples)?;
        self.data = d;
        self.settle_data();
        self.leave_surface();
        Ok(())
    }
}

fn examples_of(name: &str, params: &[f64]) -> usize {
    surface_def(name).map_or(0, |d| (d.build)(params).examples())
}

fn rule_named(rule: &str) -> Result<RuleKind, ScenarioError> {
    RuleKind::from_name(rule).ok_or_else(|| {
        let names: Vec<&str> = RuleKind::ALL.iter().map(|r| r.name()).collect();
        err(
            "opt",
            rule,
            format!(
                "unknown rule `{rule}`; choose one of {}",
                join(&names, ", ")
            ),
        )
    })
}
