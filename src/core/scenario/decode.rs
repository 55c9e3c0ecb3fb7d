//! Decoding scenario text, strictly and safely: every key is looked up in the parameter table,
//! every value checked against its row, and each problem becomes a [`ScenarioError`] naming the
//! key, the value and what is allowed.

use super::table::{self, normalize, on_increase, schedule_named};
use super::{err, percent_decode, Scenario, ScenarioError, MAX_OPTIMIZERS, MAX_TEXT_LEN};
use crate::core::expr::Expr;
use crate::core::join;
use crate::core::objective::{surface_def, CUSTOM, SURFACES};
use crate::core::optim::RuleKind;
use crate::core::param::{Access, Ctx, Domain, Param, Scope, Value};
use crate::core::run::OptimizerConfig;

/// `name:k=v,k=v` split into the name and its key/value pairs.
type Spec<'a> = (&'a str, Vec<(&'a str, &'a str)>);

/// Split `name:k=v,k=v` into the name and its key/value pairs.
fn split_spec<'a>(key: &str, text: &'a str) -> Result<Spec<'a>, ScenarioError> {
    let (name, rest) = text.split_once(':').unwrap_or((text, ""));
    let mut kvs = Vec::new();
    for item in rest.split(',').filter(|s| !s.trim().is_empty()) {
        match item.split_once('=') {
            Some((k, v)) => kvs.push((k.trim(), v.trim())),
            None => {
                return Err(err(
                    key,
                    text,
                    format!("`{item}` should be name=value, e.g. lr=0.01"),
                ))
            }
        }
    }
    Ok((name.trim(), kvs))
}

/// How to write the custom surface, for error messages.
const CUSTOM_HOWTO: &str =
    "write surface=custom:f=EXPR with an expression in x and y, e.g. surface=custom:f=x^2+3*y^2";

/// Key of errors in a custom surface's expression.
pub const CUSTOM_KEY: &str = "surface custom: f";

/// Check a custom surface's expression; the trimmed text, or an error with its position.
pub(super) fn parse_custom_expression(expr: &str) -> Result<String, ScenarioError> {
    let expr = expr.trim();
    match Expr::parse(expr) {
        Ok(_) => Ok(expr.to_string()),
        Err(e) => Err(err(CUSTOM_KEY, expr, e.to_string())),
    }
}

/// `custom:f=EXPR`: everything after `f=` is the expression (it may hold `,`, `=`, `(`…).
fn parse_custom(text: &str, rest: Option<&str>) -> Result<String, ScenarioError> {
    let expr = rest
        .map(str::trim_start)
        .and_then(|r| r.strip_prefix('f'))
        .map(str::trim_start)
        .and_then(|r| r.strip_prefix('='));
    match expr {
        Some(expr) => parse_custom_expression(expr),
        None => Err(err(
            "surface custom",
            text,
            format!("needs its expression: {CUSTOM_HOWTO}"),
        )),
    }
}

/// A surface's registry name, parameter values and, for the custom surface, its expression.
pub(super) type SurfaceChoice = (&'static str, Vec<f64>, Option<String>);

/// The surface named `name` with its parameters at their defaults.
pub(super) fn surface_named(name: &str) -> Result<SurfaceChoice, ScenarioError> {
    let def = surface_def(name).ok_or_else(|| unknown_surface(name))?;
    Ok((
        def.name,
        def.params.iter().map(Param::default_num).collect(),
        None,
    ))
}

fn unknown_surface(text: &str) -> ScenarioError {
    let names: Vec<&str> = SURFACES.iter().map(|d| d.name).collect();
    err(
        "surface",
        text,
        format!(
            "unknown surface; choose one of {}, or custom:f=EXPR (your own f(x, y))",
            join(&names, ", ")
        ),
    )
}

/// Decode surface parameter `k` = `v` of surface `name` into `values`.
pub(super) fn set_surface_param(
    name: &'static str,
    values: &mut [f64],
    k: &str,
    v: &str,
) -> Result<(), ScenarioError> {
    let key = format!("surface {name}: {k}");
    let params = surface_def(name).map(|d| d.params).unwrap_or(&[]);
    let Some(i) = params.iter().position(|p| p.key == k) else {
        let allowed: Vec<&str> = params.iter().map(|p| p.key).collect();
        return Err(err(
            key,
            v,
            if allowed.is_empty() {
                format!("{name} has no parameters")
            } else {
                format!("unknown parameter; {name} takes {}", join(&allowed, ", "))
            },
        ));
    };
    let ctx = Ctx {
        dim: 0,
        examples: 0,
        surface: name,
    };
    if let (Value::Num(x), Some(slot)) = (params[i].parse(&key, v, &ctx)?, values.get_mut(i)) {
        *slot = x;
    }
    Ok(())
}

fn parse_surface(text: &str) -> Result<SurfaceChoice, ScenarioError> {
    let (name, rest) = match text.split_once(':') {
        Some((n, r)) => (n, Some(r)),
        None => (text, None),
    };
    if name.trim() == CUSTOM {
        return parse_custom(text, rest).map(|e| (CUSTOM, Vec::new(), Some(e)));
    }
    let (name, kvs) = split_spec("surface", text)?;
    let (name, mut values, _) = surface_named(name).map_err(|_| unknown_surface(text))?;
    let mut given: Vec<&str> = Vec::new();
    for (k, v) in kvs {
        if given.contains(&k) {
            return Err(err(format!("surface {name}: {k}"), v, "is given twice"));
        }
        given.push(k);
        set_surface_param(name, &mut values, k, v)?;
    }
    Ok((name, values, None))
}

/// Why key `k` does not apply to an optimizer of `kind` with schedule `schedule`.
fn not_applicable(kind: RuleKind, schedule: &str, what: String, k: &str, v: &str) -> ScenarioError {
    let rows: Vec<&Param> = table::PARAMS
        .iter()
        .filter(|p| p.key == k && p.scope.in_optimizer())
        .collect();
    if let Some(Scope::Schedule(list)) = rows.first().map(|p| p.scope) {
        let with: Vec<String> = list.iter().map(|s| format!("schedule={s}")).collect();
        return err(
            what,
            v,
            format!("applies only with {}", join(&with, " or ")),
        );
    }
    let mut allowed: Vec<&str> = Vec::new();
    for p in table::PARAMS.iter().filter(|p| {
        p.scope.in_optimizer()
            && (p.applies(kind, schedule) || matches!(p.scope, Scope::Schedule(_)))
    }) {
        if !allowed.contains(&p.key) {
            allowed.push(p.key);
        }
    }
    err(
        what,
        v,
        format!(
            "unknown parameter for {}; it takes {}",
            kind.name(),
            join(&allowed, ", ")
        ),
    )
}

/// Decode one `opt=` value. Returns the configuration (with defaults in place of bad
/// parameters) unless the rule itself is unknown, and every problem found.
pub(super) fn parse_optimizer(
    text: &str,
    index: usize,
    ctx: &Ctx,
) -> (Option<OptimizerConfig>, Vec<ScenarioError>) {
    let mut errors = Vec::new();
    let (name, kvs) = match split_spec(&format!("opt {index}"), text) {
        Ok(x) => x,
        Err(e) => return (None, vec![e]),
    };
    let Some(kind) = RuleKind::from_name(name) else {
        let names: Vec<&str> = RuleKind::ALL.iter().map(|r| r.name()).collect();
        return (
            None,
            vec![err(
                format!("opt {index}"),
                text,
                format!(
                    "unknown rule `{name}`; choose one of {}",
                    join(&names, ", ")
                ),
            )],
        );
    };
    // Every key at its default, so that one left out keeps its own (γ₀ = 0.5 with a warm-up).
    let mut cfg = table::fresh_optimizer(kind);
    let what = |k: &str| format!("opt {index} ({name}): {k}");
    // First the schedule, so that its parameters are checked against it.
    // The last one, as a lenient decoder keeps (a repeat is reported as given twice).
    if let Some((k, v)) = kvs.iter().rfind(|(k, _)| *k == "schedule") {
        match table::PARAMS.iter().find(|p| p.key == "schedule") {
            Some(row) => match row.parse(&what(k), v, ctx) {
                Ok(Value::Name(s)) => cfg.schedule = schedule_named(s),
                Ok(_) => {}
                Err(e) => errors.push(e),
            },
            None => errors.push(err(what(k), v, "is not known")),
        }
    }
    let schedule = cfg.schedule.name();
    let mut given: Vec<&str> = Vec::new();
    for (k, v) in &kvs {
        if given.contains(k) {
            errors.push(err(what(k), v, "is given twice"));
            continue;
        }
        given.push(k);
        if *k == "schedule" {
            continue;
        }
        let Some(row) = table::optimizer_rows(kind, schedule).find(|p| p.key == *k) else {
            errors.push(not_applicable(kind, schedule, what(k), k, v));
            continue;
        };
        // Text inside opt= is percent-coded once more than the rest (see `optimizer_text`), so
        // that a comma in a name does not end it.
        let inner;
        let v = match row.domain {
            Domain::Text { .. } => match percent_decode(v) {
                Ok(t) => {
                    inner = t;
                    inner.as_str()
                }
                Err(m) => {
                    errors.push(err(what(k), v, m));
                    continue;
                }
            },
            _ => v,
        };
        match (row.parse(&what(k), v, ctx), row.access) {
            (Ok(x), Access::Optimizer { set, .. }) => set(&mut cfg, &x),
            (Ok(_), _) => {}
            (Err(e), _) => errors.push(e),
        }
    }
    // The loss-rise variant has no period: an `every` beside it would be read and then ignored.
    if let Some((k, v)) = kvs.iter().find(|(k, _)| *k == "every" && on_increase(&cfg)) {
        errors.push(err(what(k), v, table::EVERY_WITH_ON_INCREASE));
    }
    normalize(&mut cfg);
    (Some(cfg), errors)
}

/// Decode one optimizer's text (`adam:lr=0.05,rho1=0.9`) on its own, for scripted use
/// outside a scenario. Mini-batches need a data set, so `batch` is refused here.
pub fn parse_optimizer_text(text: &str) -> Result<OptimizerConfig, ScenarioError> {
    let ctx = Ctx {
        dim: 0,
        examples: 0,
        surface: "",
    };
    let (cfg, errors) = parse_optimizer(text, 1, &ctx);
    match (cfg, errors.into_iter().next()) {
        (_, Some(e)) => Err(e),
        (Some(c), None) => Ok(c),
        (None, None) => Err(err("opt", text, "could not be read")),
    }
}

impl Scenario {
    /// Strict decoding of a link's text: the first problem is an error.
    pub fn parse(text: &str) -> Result<Scenario, ScenarioError> {
        Scenario::parse_within(text, MAX_TEXT_LEN)
    }

    /// Strict decoding of a text of at most `limit` characters ([`MAX_TEXT_LEN`] for links,
    /// [`MAX_FILE_LEN`](super::MAX_FILE_LEN) for scenario files and the CLI).
    pub fn parse_within(text: &str, limit: usize) -> Result<Scenario, ScenarioError> {
        let (s, errors) = Scenario::decode_within(text, limit);
        match errors.into_iter().next() {
            Some(e) => Err(e),
            None => Ok(s),
        }
    }

    /// Lenient decoding of a link's text: a scenario with defaults for whatever was wrong,
    /// and every problem.
    pub fn decode(text: &str) -> (Scenario, Vec<ScenarioError>) {
        Scenario::decode_within(text, MAX_TEXT_LEN)
    }

    /// Lenient decoding of a text of at most `limit` characters.
    pub fn decode_within(text: &str, limit: usize) -> (Scenario, Vec<ScenarioError>) {
        let mut errors = Vec::new();
        let mut sc = Scenario::default();
        let text = text.trim();
        let text = text.strip_prefix('?').unwrap_or(text);
        if text.len() > limit {
            let what = if limit == MAX_TEXT_LEN {
                "a link"
            } else {
                "a scenario file"
            };
            errors.push(err(
                "scenario",
                &text[..text.floor_char_boundary(60)],
                format!(
                    "is {} characters long; {what} may have at most {limit}",
                    text.len()
                ),
            ));
            return (sc, errors);
        }
        let mut pairs: Vec<(String, String)> = Vec::new();
        for part in text.split('&').filter(|p| !p.trim().is_empty()) {
            let (k, v) = part.split_once('=').unwrap_or((part, ""));
            let k = percent_decode(k.trim());
            let v = percent_decode(v.trim());
            match (k, v) {
                (Ok(k), Ok(v)) => pairs.push((k, v)),
                (Err(m), _) => errors.push(err("key", part, m)),
                (Ok(k), Err(m)) => errors.push(err(k, part, m)),
            }
        }
        // A preset is the base; every other key overrides it (opt keys replace its optimizers).
        let mut from_preset = None;
        if let Some(v) = once(&pairs, "preset", "preset", &mut errors) {
            let k = "preset";
            match crate::core::presets::preset(v) {
                Some(p) => match Scenario::parse(p.text) {
                    Ok(base) => {
                        sc = base;
                        from_preset = Some(p.name);
                    }
                    Err(e) => errors.push(err(k, v, format!("preset is broken: {e}"))),
                },
                None => {
                    let names: Vec<&str> = crate::core::presets::PRESETS
                        .iter()
                        .map(|p| p.name)
                        .collect();
                    errors.push(err(
                        k,
                        v,
                        format!("unknown preset; choose one of {}", join(&names, ", ")),
                    ));
                }
            }
        }
        // The surface first: start and batch sizes are checked against it.
        if let Some(v) = once(&pairs, "surface", "surface", &mut errors) {
            match parse_surface(v) {
                Ok(choice) => sc.put_surface(choice),
                Err(e) => errors.push(e),
            }
        }
        // Then its rows, which set N for the batch sizes.
        if let Some(v) = once(&pairs, "data", "data set", &mut errors) {
            match sc.data_from(v) {
                Ok(d) => sc.data = d,
                Err(e) => errors.push(e),
            }
        }
        sc.settle_data();
        let obj = sc.build_objective();
        let (dim, examples) = (obj.dim(), obj.examples());
        drop(obj);
        let ctx = Ctx {
            dim,
            examples,
            surface: sc.surface,
        };
        // A preset's mini-batch may not fit an overriding surface. Its optimizers are kept only
        // if no opt= replaces them, and then a batch larger than N is an error (run, if at all,
        // with the full batch), not a quiet change to batch GD.
        let keeps_preset_optimizers = !pairs.iter().any(|(k, _)| k == "opt");
        for (i, o) in sc.optimizers.iter_mut().enumerate() {
            let Some(m) = o.source.batch_size.filter(|&m| m as usize > examples) else {
                continue;
            };
            o.source.batch_size = None;
            if let (true, Some(name)) = (keeps_preset_optimizers, from_preset) {
                errors.push(preset_batch_error(name, i, o, m, examples, sc.surface));
            }
        }
        let mut optimizers = Vec::new();
        let mut seen: Vec<&str> = Vec::new();
        for (k, v) in &pairs {
            let key = k.as_str();
            if !matches!(key, "opt" | "surface" | "preset" | "data") {
                if seen.contains(&key) {
                    errors.push(err(key, v, "is given twice; give it once"));
                    continue;
                }
                seen.push(key);
            }
            let row = table::scenario_row(key);
            let result: Result<(), ScenarioError> = match (key, row) {
                ("surface" | "preset" | "data", _) => Ok(()),
                ("v", _) => {
                    if v == "1" {
                        Ok(())
                    } else {
                        Err(err(
                            key,
                            v,
                            "unsupported version; this playground reads v=1",
                        ))
                    }
                }
                ("opt", _) => {
                    let index = optimizers.len() + 1;
                    if optimizers.len() >= MAX_OPTIMIZERS {
                        Err(err(
                            "opt",
                            v,
                            format!("too many optimizers; at most {MAX_OPTIMIZERS} are allowed"),
                        ))
                    } else {
                        let (cfg, errs) = parse_optimizer(v, index, &ctx);
                        errors.extend(errs);
                        if let Some(c) = cfg {
                            optimizers.push(c);
                        }
                        Ok(())
                    }
                }
                // An empty value of a key whose default is "not set" unsets it (over a preset's).
                (_, Some(row)) if v.trim().is_empty() && row.default_value() == Value::Absent => {
                    if let Access::Scenario { set, .. } = row.access {
                        set(&mut sc, &Value::Absent);
                    }
                    Ok(())
                }
                (_, Some(row)) => match (row.parse(key, v, &ctx), row.access) {
                    (Ok(x), Access::Scenario { set, .. }) => {
                        set(&mut sc, &x);
                        Ok(())
                    }
                    (Ok(_), _) => Ok(()),
                    (Err(e), _) => Err(e),
                },
                (_, None) => Err(err(
                    key,
                    v,
                    format!("unknown key; the keys are {}", join(&table::keys(), ", ")),
                )),
            };
            if let Err(e) = result {
                errors.push(e);
            }
        }
        if !optimizers.is_empty() {
            sc.optimizers = optimizers;
        }
        crate::core::label::settle_lines(&mut sc.optimizers);
        sc.preset = from_preset;
        // Bounded work: over the bound, the lenient scenario runs as many steps as it allows.
        let optimizers = sc.optimizers.len();
        if let Err(e) = super::check_work(sc.stopping.max_steps, optimizers, examples) {
            errors.push(e);
            sc.stopping.max_steps = super::steps_within_work(optimizers, examples);
        }
        (sc, errors)
    }
}

/// The value of `key`, which a text may give once (`preset`, `surface`, `data`): the first
/// one, with an error for every repeat ("give one `noun`").
fn once<'a>(
    pairs: &'a [(String, String)],
    key: &str,
    noun: &str,
    errors: &mut Vec<ScenarioError>,
) -> Option<&'a str> {
    let mut given = pairs
        .iter()
        .filter(|(k, _)| k == key)
        .map(|(_, v)| v.as_str());
    let first = given.next();
    for v in given {
        errors.push(err(key, v, format!("is given twice; give one {noun}")));
    }
    first
}

/// Why optimizer `i` (0-based) of preset `preset`, with mini-batch `m`, does not fit `surface`
/// with `examples` examples.
fn preset_batch_error(
    preset: &str,
    i: usize,
    o: &OptimizerConfig,
    m: u32,
    examples: usize,
    surface: &str,
) -> ScenarioError {
    err(
        format!("opt {} ({}): batch", i + 1, o.rule.kind().name()),
        &m.to_string(),
        format!(
            "preset {preset}'s mini-batch of {m} is more than N = {examples} of surface \
             {surface}; give the optimizers with opt=…"
        ),
    )
}

/// Parse `text` as the value of top-level key `key` (scenario or page) against `ctx`; an empty
/// text means the default for keys whose default is "not set".
pub(super) fn parse_key(
    key: &str,
    text: &str,
    ctx: &Ctx,
) -> Result<(&'static Param, Value), ScenarioError> {
    let row = table::scenario_row(key)
        .filter(|p| !matches!(p.domain, Domain::Structural))
        .ok_or_else(|| {
            err(
                key,
                text,
                format!(
                    "is not a plain key; the plain keys are {}",
                    join(
                        &table::scenario_rows()
                            .filter(|p| !matches!(p.domain, Domain::Structural))
                            .map(|p| p.key)
                            .collect::<Vec<_>>(),
                        ", "
                    )
                ),
            )
        })?;
    if text.trim().is_empty() && row.default_value() == Value::Absent {
        return Ok((row, Value::Absent));
    }
    Ok((row, row.parse(key, text, ctx)?))
}
