//! Code exports: a scenario as a self-contained Python script (NumPy or PyTorch) that
//! reproduces its runs and prints the CSV of `gradscape run` (see [`crate::core::export`]).
//!
//! The NumPy script repeats the engine's operations in the engine's order, update rules and
//! schedules written out from the lecture's equations, so its numbers are the engine's to
//! rounding (a CI test holds it to 1e-12). The PyTorch script uses `torch.optim` and its
//! schedulers wherever they compute the lecture's rule, and writes the rule out, saying why,
//! where they do not. Random numbers (mini-batches, noise) come from a port of the engine's
//! generator in both, so they are the same draws.

mod surface;

use crate::core::export::jstr;
use crate::core::expr::python::py_float;
use crate::core::label::line_names;
use crate::core::optim::Rule;
use crate::core::run::{OptimizerConfig, DIVERGENCE_BOUND};
use crate::core::scenario::Scenario;
use crate::core::schedule::Schedule;
use surface::{fill, surface_code};

/// The language of a code export.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    Numpy,
    Pytorch,
}

impl Lang {
    /// The names `--lang` and the page take.
    pub const NAMES: &'static str = "numpy or pytorch";

    pub fn from_name(name: &str) -> Option<Lang> {
        match name {
            "numpy" => Some(Lang::Numpy),
            "pytorch" | "torch" => Some(Lang::Pytorch),
            _ => None,
        }
    }

    /// Name for people.
    pub fn title(self) -> &'static str {
        match self {
            Lang::Numpy => "NumPy",
            Lang::Pytorch => "PyTorch",
        }
    }
}

/// The script for `scenario` in `lang`.
pub fn script(scenario: &Scenario, lang: Lang) -> String {
    let run = scenario.build_run();
    let objective = run.objective.as_ref();
    let surface = surface_code(scenario, objective, lang);
    let opts = &scenario.optimizers;
    let uses_rng = opts
        .iter()
        .any(|o| o.source.noise > 0.0 || (surface.data && o.source.batch_size.is_some()));
    let uses_batches = surface.data && opts.iter().any(|o| o.source.batch_size.is_some());
    let np = lang == Lang::Numpy;

    let libm = matches!(
        scenario.surface,
        "plateau" | "minima" | "cliff" | "neuron" | "sparse" | "custom"
    ) || uses_rng
        || opts
            .iter()
            .any(|o| matches!(o.schedule, Schedule::Exp { .. }));
    // A preset's lesson note, as the page shows it beside the run.
    let note = match scenario.preset.and_then(crate::core::presets::preset) {
        Some(p) => format!("\n{}\n", wrap(&p.explain.replace('"', "'"), "")),
        None => String::new(),
    };
    let text = scenario.to_text();
    // The scenario's own title, else its preset's, else the surface's.
    let title = scenario
        .title
        .clone()
        .or_else(|| {
            scenario
                .preset
                .and_then(crate::core::presets::preset)
                .map(|p| p.title.to_string())
        })
        .unwrap_or_else(|| scenario.surface_def().title.to_string());
    // The title and the note last: text of the user's is never read for placeholders.
    let head = fill(
        if np { HEAD_NP } else { HEAD_PT },
        &[
            ("TEXT", text.clone()),
            ("QUOTED", shell_quote(&text)),
            (
                "STRUCT",
                if libm && (np || uses_rng) {
                    "import struct\n"
                } else {
                    ""
                }
                .into(),
            ),
        ],
    );
    let head = head.replacen("{NOTE}", &note, 1);
    let mut out = head.replacen("{TITLE}", &title.replace('"', "'"), 1);
    let sigmoid = matches!(scenario.surface, "cliff" | "neuron" | "sparse");
    if libm && (np || uses_rng) {
        out.push_str(LIBM);
    }
    if np {
        out.push_str(TOTAL_NP);
        if sigmoid {
            out.push_str(SIGMOID_NP);
        }
        if scenario.surface == "custom" {
            out.push_str(DUAL_NP);
        }
    }
    out.push('\n');
    out.push_str(&surface.text);
    if surface.data {
        out.push_str(if np { ALL_NP } else { ALL_PT });
    }
    if !np {
        out.push_str(AUTOGRAD_PT);
    }

    // The array type of the language, for the start point and the batches.
    let array = if np { "np.array" } else { "torch.tensor" };
    let start: Vec<String> = run.start.iter().map(|v| py_float(*v)).collect();
    let stop = &scenario.stopping;
    out.push_str(&fill(
        SETTINGS,
        &[
            ("ARRAY", array.into()),
            ("START", start.join(", ")),
            ("SEED", scenario.seed.to_string()),
            ("MAX_STEPS", stop.max_steps.to_string()),
            ("GRAD_TOL", py_float(stop.grad_tol)),
            ("LOSS_TOL", py_float(stop.loss_tol)),
            ("BOUND", py_float(DIVERGENCE_BOUND)),
        ],
    ));
    if uses_rng {
        out.push_str(RNG);
    }
    if uses_batches {
        out.push_str(&fill(SAMPLER, &[("ARRAY", array.into())]));
    }
    out.push_str(&source_code(lang, uses_rng, uses_batches));
    out.push_str(&rules_code(opts, lang));
    out.push_str(&schedules_code(opts, lang));
    out.push_str(NUM);
    let rise = opts.iter().any(|o| {
        matches!(
            o.schedule,
            Schedule::Step {
                on_increase: true,
                ..
            }
        )
    });
    out.push_str(&fill(
        if np { RUN_NP } else { RUN_PT },
        &[
            ("RNG", if uses_rng { "Rng(SEED, k)" } else { "None" }.into()),
            (
                "RISE",
                if rise {
                    "schedule if isinstance(schedule, LossRise) else None"
                } else {
                    "None"
                }
                .into(),
            ),
        ],
    ));

    let names = line_names(opts);
    out.push_str("\nOPTIMIZERS = [  # name, rule, schedule, batch size (None: all), noise σ\n");
    for (o, name) in opts.iter().zip(&names) {
        let batch = match (surface.data, o.source.batch_size) {
            (true, Some(m)) => m.to_string(),
            _ => "None".into(),
        };
        let fields = [
            // A JSON string literal is a Python one (the same escapes).
            jstr(name),
            rule_ctor(o, lang),
            schedule_ctor(o, lang),
            batch,
            py_float(o.source.noise),
        ];
        let one_line = format!("    ({}),\n", fields.join(", "));
        if one_line.chars().count() <= 101 {
            out.push_str(&one_line);
        } else {
            out.push_str("    (\n");
            for f in &fields {
                out.push_str(&format!("        {f},\n"));
            }
            out.push_str("    ),\n");
        }
    }
    out.push_str("]\n");
    out.push_str(MAIN);
    layout(&out)
}

/// PEP 8's blank lines: two around every top-level `def` and `class` (with the comments and
/// decorators right above it), at most one elsewhere, none at the end. The pieces above are
/// written without minding how they meet.
fn layout(text: &str) -> String {
    let lines: Vec<&str> = text.lines().collect();
    let top = |l: &str| !l.is_empty() && !l.starts_with([' ', ')', ']', '}']);
    let opens = |l: &str| l.starts_with("def ") || l.starts_with("class ") || l.starts_with('@');
    // Whether the block at `i` (a top-level line) is a definition, counting the comments and
    // decorators that lead into one.
    let definition = |i: usize| {
        lines[i..]
            .iter()
            .find(|l| !l.starts_with('#'))
            .is_some_and(|l| opens(l))
    };
    let mut out: Vec<&str> = Vec::new();
    let mut in_def = false;
    let mut docstring = false;
    for (i, &line) in lines.iter().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let starts = !docstring && top(line);
        if line.matches("\"\"\"").count() % 2 == 1 {
            docstring = !docstring;
        }
        let blank = if out.is_empty() {
            0
        } else if starts {
            let def = definition(i) && !lines[i - 1].starts_with('#');
            let after_comment =
                lines[i - 1].starts_with('#') && line.starts_with(['d', 'c', '@', '#']);
            let wanted = if after_comment && !lines[i - 1].trim().is_empty() {
                0
            } else if def || in_def {
                2
            } else {
                usize::from(lines[i - 1].trim().is_empty())
            };
            if !line.starts_with('#') || def || !lines[i - 1].starts_with('#') {
                in_def = definition(i);
            }
            wanted
        } else {
            usize::from(lines[i - 1].trim().is_empty())
        };
        out.extend(std::iter::repeat_n("", blank));
        out.push(line);
    }
    let mut s = out.join("\n");
    s.push('\n');
    s
}

/// `text` as `#` comment lines of at most 92 characters.
fn comment(text: &str) -> String {
    wrap(text, "# ")
}

/// `text` in lines of at most 92 characters, each after `prefix`.
fn wrap(text: &str, prefix: &str) -> String {
    let mut out = String::new();
    let mut line = String::from(prefix);
    for word in text.split_whitespace() {
        if line.chars().count() + 1 + word.chars().count() > 92 && line.len() > prefix.len() {
            out.push_str(line.trim_end());
            out.push('\n');
            line = String::from(prefix);
        }
        if line.len() > prefix.len() {
            line.push(' ');
        }
        line.push_str(word);
    }
    out.push_str(&line);
    out
}

/// `s` quoted for a POSIX shell.
fn shell_quote(s: &str) -> String {
    format!("'{}'", s.replace('\'', "'\\''"))
}

/// Whether PyTorch's own optimizer computes this optimizer's rule; `None` says it does, a
/// text says why the rule is written out instead.
fn torch_differs(o: &OptimizerConfig) -> Option<&'static str> {
    let scheduled = !matches!(o.schedule, Schedule::Constant);
    match o.rule {
        Rule::Nesterov(_) => Some(
            "torch.optim.SGD(nesterov=True) takes the gradient at θ and steps a reformulated point; \
             the lecture's Nesterov takes it at the look-ahead θ − γv",
        ),
        Rule::Momentum(m) if m.warmup > 0 => {
            Some("torch.optim.SGD has one momentum γ; this one starts with γ₀ for a warm-up")
        }
        Rule::Momentum(_) if scheduled => Some(
            "torch.optim.SGD(momentum) keeps v/α and multiplies by α_t outside it, which differs \
             from v ← γv + α_t g once α changes",
        ),
        Rule::Adam(a) if !a.bias_correction => {
            Some("torch.optim.Adam always divides by (1 − ρᵗ); this run has no bias correction")
        }
        _ => None,
    }
}

/// The rule's constructor call in OPTIMIZERS: an object with `step` for NumPy, a function
/// from the parameter list to a `torch.optim.Optimizer` for PyTorch.
fn rule_ctor(o: &OptimizerConfig, lang: Lang) -> String {
    let f = |x: f64| py_float(x);
    let momentum = |m: &crate::core::optim::Momentum| {
        format!(
            "gamma={}, gamma0={}, warmup={}",
            f(m.gamma),
            f(m.gamma0),
            m.warmup
        )
    };
    let (class, args) = match o.rule {
        Rule::Gd(_) => ("GD", String::new()),
        Rule::Momentum(m) => ("Momentum", momentum(&m)),
        Rule::Nesterov(n) => ("Nesterov", momentum(&n.0)),
        Rule::Adagrad(a) => ("Adagrad", format!("delta={}", f(a.delta))),
        Rule::RmsProp(r) => ("RMSProp", format!("rho={}, delta={}", f(r.rho), f(r.delta))),
        Rule::Adam(a) => (
            "Adam",
            format!(
                "rho1={}, rho2={}, delta={}, bias_correction={}",
                f(a.rho1),
                f(a.rho2),
                f(a.delta),
                if a.bias_correction { "True" } else { "False" }
            ),
        ),
    };
    if lang == Lang::Numpy {
        return format!("{class}({args})");
    }
    let lr = f(o.learning_rate);
    if torch_differs(o).is_some() {
        return format!("lambda p: {class}(p, lr={lr}, {args})");
    }
    let torch = match o.rule {
        Rule::Gd(_) => format!("torch.optim.SGD(p, lr={lr})"),
        Rule::Momentum(m) => format!("torch.optim.SGD(p, lr={lr}, momentum={})", f(m.gamma)),
        Rule::Adagrad(a) => format!("torch.optim.Adagrad(p, lr={lr}, eps={})", f(a.delta)),
        Rule::RmsProp(r) => format!(
            "torch.optim.RMSprop(p, lr={lr}, alpha={}, eps={})",
            f(r.rho),
            f(r.delta)
        ),
        Rule::Adam(a) => format!(
            "torch.optim.Adam(p, lr={lr}, betas=({}, {}), eps={})",
            f(a.rho1),
            f(a.rho2),
            f(a.delta)
        ),
        Rule::Nesterov(_) => String::new(),
    };
    format!("lambda p: {torch}")
}

/// The schedule in OPTIMIZERS: an object with `rate` and `observe` for NumPy; for PyTorch a
/// function from the optimizer to its LR scheduler (None: constant), or the loss-rise rule,
/// which no torch scheduler computes.
fn schedule_ctor(o: &OptimizerConfig, lang: Lang) -> String {
    let lr = py_float(o.learning_rate);
    let np = lang == Lang::Numpy;
    match o.schedule {
        Schedule::Constant if np => format!("Constant({lr})"),
        Schedule::Constant => "None".into(),
        Schedule::Step {
            on_increase: true,
            factor,
            ..
        } => format!("LossRise({lr}, factor={})", py_float(factor)),
        Schedule::Step { every, factor, .. } if np => {
            format!(
                "StepDecay({lr}, every={every}, factor={})",
                py_float(factor)
            )
        }
        Schedule::Step { every, factor, .. } => format!(
            "lambda o: torch.optim.lr_scheduler.StepLR(o, step_size={}, gamma={})",
            every.max(1),
            py_float(factor)
        ),
        Schedule::Exp { k } if np => format!("ExpDecay({lr}, k={})", py_float(k)),
        Schedule::Exp { k } => format!(
            "lambda o: torch.optim.lr_scheduler.LambdaLR(o, lambda t: math.exp(-{} * t))",
            py_float(k)
        ),
        Schedule::Inv { k } if np => format!("InvDecay({lr}, k={})", py_float(k)),
        Schedule::Inv { k } => format!(
            "lambda o: torch.optim.lr_scheduler.LambdaLR(o, lambda t: 1.0 / (1.0 + {} * t))",
            py_float(k)
        ),
    }
}

/// The gradient an update uses: full or mini-batch, plus noise.
fn source_code(lang: Lang, rng: bool, batches: bool) -> String {
    let np = lang == Lang::Numpy;
    let grad = match (np, batches) {
        (true, true) => "_, g = batch_loss_grad(p, sampler.next_batch()) if sampler else loss_grad(p)",
        (true, false) => "_, g = loss_grad(p)",
        (false, true) => {
            "loss = batch_loss(p, sampler.next_batch()) if sampler else loss_fn(p)\n        (g,) = torch.autograd.grad(loss, p)"
        }
        (false, false) => "(g,) = torch.autograd.grad(loss_fn(p), p)",
    };
    let noise = if np {
        "g = g + noise * np.array([rng.normal() for _ in range(len(g))])"
    } else {
        "g = g + noise * torch.tensor([rng.normal() for _ in range(len(g))])"
    };
    let mut s = String::from("\n\ndef source(rng, batch, noise):\n");
    s.push_str(
        "    \"\"\"The gradient an update uses at p: over all examples or a shuffled mini-batch of\n    `batch`, plus N(0, noise²) in every coordinate.\"\"\"\n",
    );
    if batches {
        s.push_str("    sampler = Sampler(N, batch, rng) if batch else None\n");
    }
    s.push_str(&format!("\n    def gradient(p):\n        {grad}\n"));
    if rng {
        s.push_str(&format!("        if noise > 0.0:\n            {noise}\n"));
    }
    s.push_str("        return g\n\n    return gradient\n");
    s
}

/// The update rules the scenario uses, each once.
fn rules_code(opts: &[OptimizerConfig], lang: Lang) -> String {
    let np = lang == Lang::Numpy;
    let mut out = String::new();
    let mut seen: Vec<&str> = Vec::new();
    for o in opts {
        let hand = np || torch_differs(o).is_some();
        if !hand {
            continue;
        }
        let (key, text) = match (o.rule, np) {
            (Rule::Gd(_), _) => ("gd", GD_NP),
            (Rule::Momentum(_), true) => ("momentum", MOMENTUM_NP),
            (Rule::Momentum(_), false) => ("momentum", MOMENTUM_PT),
            (Rule::Nesterov(_), true) => ("nesterov", NESTEROV_NP),
            (Rule::Nesterov(_), false) => ("nesterov", NESTEROV_PT),
            (Rule::Adagrad(_), _) => ("adagrad", ADAGRAD_NP),
            (Rule::RmsProp(_), _) => ("rmsprop", RMSPROP_NP),
            (Rule::Adam(_), true) => ("adam", ADAM_NP),
            (Rule::Adam(_), false) => ("adam", ADAM_PT),
        };
        if seen.contains(&key) {
            continue;
        }
        seen.push(key);
        if !np {
            if let Some(why) = torch_differs(o) {
                out.push_str(&format!("\n\n{}", comment(&format!("Written out: {why}."))));
            }
        }
        out.push_str(if np || out.ends_with('.') {
            "\n"
        } else {
            "\n\n"
        });
        out.push_str(text);
    }
    if !np && out.is_empty() {
        out.push_str(
            "\n\n# Every rule here is torch.optim's own: it computes the lecture's update.\n",
        );
    }
    out
}

/// The schedule classes the scenario uses, each once.
fn schedules_code(opts: &[OptimizerConfig], lang: Lang) -> String {
    let mut out = String::new();
    let mut seen: Vec<&str> = Vec::new();
    for o in opts {
        let (key, text) = match o.schedule {
            Schedule::Step {
                on_increase: true, ..
            } => ("rise", LOSS_RISE),
            // PyTorch's schedulers compute the other schedules.
            _ if lang == Lang::Pytorch => continue,
            Schedule::Constant => ("constant", CONSTANT),
            Schedule::Step { .. } => ("step", STEP_DECAY),
            Schedule::Exp { .. } => ("exp", EXP_DECAY),
            Schedule::Inv { .. } => ("inv", INV_DECAY),
        };
        if !seen.contains(&key) {
            seen.push(key);
            out.push_str("\n\n");
            out.push_str(text);
        }
    }
    out
}

const HEAD_NP: &str = r#"#!/usr/bin/env python3
r"""{TITLE}: a gradscape scenario as a NumPy script.
{NOTE}
    {TEXT}

`python3 THIS_FILE` prints the CSV that `gradscape run` prints for the scenario: one row per
optimizer per step (step 0 is the start point), columns opt,step,loss,lr,grad_norm,p0,p1,...

    gradscape run {QUOTED}

The script does gradscape's operations in gradscape's order (update rules, schedules, sums over
examples in index order, gradscape's own exp, log, sin and cos, the same random numbers), so
the numbers are gradscape's. What is Python's or NumPy's and may differ from gradscape's in the
last bit: the step decay's power f^k, and tan, tanh and non-integer powers in your own
function; a long run that amplifies rounding (noise on a bumpy surface) can grow that bit.
"""

import math
{STRUCT}import sys
from decimal import Decimal

import numpy as np

np.seterr(all="ignore")  # a diverging run makes inf and NaN, as in gradscape; it is stopped below
"#;

const HEAD_PT: &str = r#"#!/usr/bin/env python3
r"""{TITLE}: a gradscape scenario as a PyTorch script.
{NOTE}
    {TEXT}

`python3 THIS_FILE` prints the CSV that `gradscape run` prints for the scenario: one row per
optimizer per step (step 0 is the start point), columns opt,step,loss,lr,grad_norm,p0,p1,...

    gradscape run {QUOTED}

The loss is written once and differentiated by autograd; torch.optim and its schedulers make
the updates wherever they compute the lecture's rule, and the rule is written out (saying why)
where they do not. Mini-batches and noise come from gradscape's own generator, ported below,
so they are the same draws. The numbers agree with gradscape's to rounding (PyTorch orders
some operations differently), in float64 throughout, except where autograd's conventions are
not gradscape's: a tie in min or max splits the gradient, 0·∞ is NaN (sqrt at 0, a power of
0), and outside a function's domain the gradient can be finite where gradscape's is NaN.
"""

import math
{STRUCT}import sys
from decimal import Decimal

import torch

torch.set_default_dtype(torch.float64)
"#;

const LIBM: &str = r#"

# exp and log as gradscape computes them (FreeBSD's msun algorithms, which Rust's libm and
# WebAssembly use), bit for bit: the platform's exp differs in the last bit for about one
# argument in ten, and a loss like 1 − e^(−r²) near its minimum shows that bit at once.
LN2HI = 6.93147180369123816490e-01
LN2LO = 1.90821492927058770002e-10
INVLN2 = 1.44269504088896338700e00
P1, P2, P3 = 1.66666666666666019037e-01, -2.77777777770155933842e-03, 6.61375632143793436117e-05
P4, P5 = -1.65339022054652515390e-06, 4.13813679705723846039e-08
LG1, LG2, LG3 = 6.666666666666735130e-01, 3.999999999940941908e-01, 2.857142874366239149e-01
LG4, LG5, LG6 = 2.222219843214978396e-01, 1.818357216161805012e-01, 1.531383769920937332e-01
LG7 = 1.479819860511658591e-01


def _bits(x):
    return struct.unpack("<Q", struct.pack("<d", x))[0]


def libm_exp(x):
    x = float(x)
    hx, sign = (_bits(x) >> 32) & 0x7FFFFFFF, _bits(x) >> 63
    if hx >= 0x4086232B:
        if x != x:
            return x
        if x > 709.782712893383973096:
            return math.inf
        if x < -745.13321910194110842:
            return 0.0
    if hx > 0x3FD62E42:
        k = int(INVLN2 * x + (0.5, -0.5)[sign]) if hx >= 0x3FF0A2B2 else 1 - sign - sign
        hi = x - k * LN2HI
        lo = k * LN2LO
        x = hi - lo
    elif hx > 0x3E300000:
        k, hi, lo = 0, x, 0.0
    else:
        return 1.0 + x
    xx = x * x
    c = x - xx * (P1 + xx * (P2 + xx * (P3 + xx * (P4 + xx * P5))))
    y = 1.0 + (x * c / (2.0 - c) - lo + hi)
    return y if k == 0 else math.ldexp(y, k)


def libm_log(x):
    x = float(x)
    ui = _bits(x)
    hx, k = ui >> 32, 0
    if hx < 0x00100000 or hx >> 31:
        if ui << 1 & ((1 << 64) - 1) == 0:
            return -math.inf
        if hx >> 31:
            return math.nan
        k, x = -54, x * 2.0**54
        ui = _bits(x)
        hx = ui >> 32
    elif hx >= 0x7FF00000:
        return x
    elif hx == 0x3FF00000 and ui & 0xFFFFFFFF == 0:
        return 0.0
    hx += 0x3FF00000 - 0x3FE6A09E
    k += (hx >> 20) - 0x3FF
    hx = (hx & 0x000FFFFF) + 0x3FE6A09E
    x = struct.unpack("<d", struct.pack("<Q", hx << 32 | ui & 0xFFFFFFFF))[0]
    f = x - 1.0
    hfsq = 0.5 * f * f
    s = f / (2.0 + f)
    z = s * s
    w = z * z
    t1 = w * (LG2 + w * (LG4 + w * LG6))
    t2 = z * (LG1 + w * (LG3 + w * (LG5 + w * LG7)))
    r = t2 + t1
    dk = float(k)
    return s * (hfsq + r) + dk * LN2LO - hfsq + f + dk * LN2HI

# sin and cos as gradscape computes them (msun's kernels and argument reduction), bit for bit
# for |x| < 2^20·π/2; beyond that, Python's.
S1, S2, S3 = -1.66666666666666324348e-01, 8.33333333332248946124e-03, -1.98412698298579493134e-04
S4, S5, S6 = 2.75573137070700676789e-06, -2.50507602534068634195e-08, 1.58969099521155010221e-10
C1, C2, C3 = 4.16666666666666019037e-02, -1.38888888888741095749e-03, 2.48015872894767294178e-05
C4, C5, C6 = -2.75573143513906633035e-07, 2.08757232129817482790e-09, -1.13596475577881948265e-11
TO_INT, INV_PIO2 = 1.5 / 2.2204460492503131e-16, 6.36619772367581382433e-01
PIO2_1, PIO2_1T = 1.57079632673412561417e00, 6.07710050650619224932e-11
PIO2_2, PIO2_2T = 6.07710050630396597660e-11, 2.02226624879595063154e-21
PIO2_3, PIO2_3T = 2.02226624871116645580e-21, 8.47842766036889956997e-32


def _k_sin(x, y, iy):
    z = x * x
    w = z * z
    r = S2 + z * (S3 + z * S4) + z * w * (S5 + z * S6)
    v = z * x
    if iy == 0:
        return x + v * (S1 + z * r)
    return x - ((z * (0.5 * y - v * r) - y) - v * S1)


def _k_cos(x, y):
    z = x * x
    w = z * z
    r = z * (C1 + z * (C2 + z * C3)) + w * w * (C4 + z * (C5 + z * C6))
    hz = 0.5 * z
    w = 1.0 - hz
    return w + (((1.0 - w) - hz) + (z * r - x * y))


def _medium(x, ix):
    f_n = x * INV_PIO2 + TO_INT - TO_INT
    n = int(f_n)
    r = x - f_n * PIO2_1
    w = f_n * PIO2_1T
    y0 = r - w
    ex = ix >> 20
    if ex - ((_bits(y0) >> 52) & 0x7FF) > 16:
        t = r
        w = f_n * PIO2_2
        r = t - w
        w = f_n * PIO2_2T - ((t - r) - w)
        y0 = r - w
        if ex - ((_bits(y0) >> 52) & 0x7FF) > 49:
            t = r
            w = f_n * PIO2_3
            r = t - w
            w = f_n * PIO2_3T - ((t - r) - w)
            y0 = r - w
    return n, y0, (r - y0) - w


def _rem_pio2(x, ix):
    """x = n·π/2 + y0 + y1 with |y0 + y1| ≤ π/4, for |x| < 2^20·π/2."""
    if ix <= 0x400F6A7A:
        if ix & 0xFFFFF == 0x921FB:
            return _medium(x, ix)
        k = 1 if ix <= 0x4002D97C else 2
    elif ix <= 0x401C463B:
        if ix in (0x4012D97C, 0x401921FB):
            return _medium(x, ix)
        k = 3 if ix <= 0x4015FDBC else 4
    else:
        return _medium(x, ix)
    a, b = (k * PIO2_1, k * PIO2_1T) if k > 1 else (PIO2_1, PIO2_1T)
    if _bits(x) >> 63 == 0:
        z = x - a
        y0 = z - b
        return k, y0, (z - y0) - b
    z = x + a
    y0 = z + b
    return -k, y0, (z - y0) + b


def libm_sin(x):
    x = float(x)
    ix = (_bits(x) >> 32) & 0x7FFFFFFF
    if ix <= 0x3FE921FB:
        return x if ix < 0x3E500000 else _k_sin(x, 0.0, 0)
    if ix >= 0x7FF00000:
        return x - x
    if ix >= 0x413921FB:
        return math.sin(x)
    n, y0, y1 = _rem_pio2(x, ix)
    q = n & 3
    if q == 0:
        return _k_sin(y0, y1, 1)
    if q == 1:
        return _k_cos(y0, y1)
    return -_k_sin(y0, y1, 1) if q == 2 else -_k_cos(y0, y1)


def libm_cos(x):
    x = float(x)
    ix = (_bits(x) >> 32) & 0x7FFFFFFF
    if ix <= 0x3FE921FB:
        return 1.0 if ix < 0x3E46A09E else _k_cos(x, 0.0)
    if ix >= 0x7FF00000:
        return x - x
    if ix >= 0x413921FB:
        return math.cos(x)
    n, y0, y1 = _rem_pio2(x, ix)
    q = n & 3
    if q == 0:
        return _k_cos(y0, y1)
    if q == 1:
        return -_k_sin(y0, y1, 1)
    return -_k_cos(y0, y1) if q == 2 else _k_sin(y0, y1, 1)
"#;

const TOTAL_NP: &str = r#"

def total(v):
    """0 + Σ v in index order, as gradscape adds (np.sum adds in pairs and rounds differently)."""
    return np.add.accumulate(np.concatenate(([0.0], v)))[-1]
"#;

const SIGMOID_NP: &str = r#"

def _sigmoid(z):
    """σ(z) = 1 / (1 + e^(−z)), without overflow for large |z|."""
    if z >= 0.0:
        return 1.0 / (1.0 + libm_exp(-z))
    e = libm_exp(z)
    return e / (1.0 + e)


sigmoid = np.vectorize(_sigmoid, otypes=[np.float64])
"#;

const DUAL_NP: &str = r#"

class D:
    """A dual number v + dx·εx + dy·εy: the value and the gradient, carried through each step."""

    def __init__(self, v, dx=0.0, dy=0.0):
        self.v, self.dx, self.dy = np.float64(v), np.float64(dx), np.float64(dy)

    def chain(self, v, f1):
        """f(self) with f(a) = v and f'(a) = f1; an infinite or NaN factor times 0 counts as 0."""
        if np.isfinite(f1) and np.isfinite(self.dx) and np.isfinite(self.dy):
            return D(v, f1 * self.dx, f1 * self.dy)
        return D(v, mz(f1, self.dx), mz(f1, self.dy))

    def __neg__(self):
        return D(-self.v, -self.dx, -self.dy)

    def __add__(self, b):
        b = dual(b)
        return D(self.v + b.v, self.dx + b.dx, self.dy + b.dy)

    def __radd__(self, a):
        return dual(a) + self

    def __sub__(self, b):
        b = dual(b)
        return D(self.v - b.v, self.dx - b.dx, self.dy - b.dy)

    def __rsub__(self, a):
        return dual(a) - self

    def __mul__(self, b):
        u, w = self, dual(b)
        return D(u.v * w.v, u.v * w.dx + u.dx * w.v, u.v * w.dy + u.dy * w.v)

    def __rmul__(self, a):
        return dual(a) * self

    def __truediv__(self, b):
        u, w = self, dual(b)
        q = u.v / w.v
        return D(q, (u.dx - q * w.dx) / w.v, (u.dy - q * w.dy) / w.v)

    def __rtruediv__(self, a):
        return dual(a) / self


def dual(a):
    return a if isinstance(a, D) else D(a)


def mz(a, b):
    return 0.0 if a == 0.0 or b == 0.0 else a * b


def ipow(a, n):
    """a^n for a whole n by repeated squaring, so a^2 is exactly a·a."""
    e, base, acc = abs(n), a, np.float64(1.0)
    while True:
        if e & 1:
            acc *= base
        e >>= 1
        if e == 0:
            break
        base *= base
    return 1.0 / acc if n < 0 else acc


def powi(a, n):
    a = dual(a)
    f1 = 0.0 if n == 0 else n * ipow(a.v, n - 1)
    return a.chain(ipow(a.v, n), f1)


def powc(a, c):
    a = dual(a)
    return a.chain(np.power(a.v, c), c * np.power(a.v, c - 1.0))


def pw(u, w):
    """u^w with both varying: d(u^w) = w u^(w−1) du + u^w ln u dw."""
    u, w = dual(u), dual(w)
    p = np.power(u.v, w.v)
    fu, fw = w.v * np.power(u.v, w.v - 1.0), p * libm_log(u.v)
    return D(p, mz(fu, u.dx) + mz(fw, w.dx), mz(fu, u.dy) + mz(fw, w.dy))


def _sigmoid(z):
    if z >= 0.0:
        return 1.0 / (1.0 + libm_exp(-z))
    e = libm_exp(z)
    return e / (1.0 + e)


def func(a, value, slope):
    a = dual(a)
    v = value(a.v)
    return a.chain(v, np.nan if np.isnan(v) else slope(a.v, v))


def sin(a):
    return func(a, libm_sin, lambda x, v: libm_cos(x))


def cos(a):
    return func(a, libm_cos, lambda x, v: -libm_sin(x))


def tan(a):
    return func(a, np.tan, lambda x, v: 1.0 + v * v)


def exp(a):
    return func(a, libm_exp, lambda x, v: v)


def log(a):
    return func(a, libm_log, lambda x, v: 1.0 / x)


def sqrt(a):
    return func(a, np.sqrt, lambda x, v: 0.5 / v)


def fabs(a):
    return func(a, np.abs, lambda x, v: np.sign(x))


def tanh(a):
    return func(a, np.tanh, lambda x, v: (2.0 / (libm_exp(x) + libm_exp(-x))) ** 2)


def sigmoid(a):
    return func(a, _sigmoid, lambda x, v: v * _sigmoid(-x))


def fmin(a, b):
    a, b = dual(a), dual(b)
    return a if np.isnan(a.v) or (not np.isnan(b.v) and a.v <= b.v) else b


def fmax(a, b):
    a, b = dual(a), dual(b)
    return a if np.isnan(a.v) or (not np.isnan(b.v) and a.v >= b.v) else b
"#;

const ALL_NP: &str = r#"ALL = np.arange(N)


def loss_grad(p):
    """L(θ) and ∇L(θ) over every example."""
    return batch_loss_grad(p, ALL)
"#;

const ALL_PT: &str = r#"ALL = torch.arange(N)


def loss_fn(p):
    return batch_loss(p, ALL)
"#;

/// The full loss and gradient of a PyTorch script, from its `loss_fn`.
const AUTOGRAD_PT: &str = r#"

def loss_grad(p):
    """L(θ) and ∇L(θ), by autograd."""
    p = p.detach().requires_grad_(True)
    loss = loss_fn(p)
    (g,) = torch.autograd.grad(loss, p)
    return loss.item(), g
"#;

const SETTINGS: &str = r#"

START = {ARRAY}([{START}])
SEED = {SEED}
MAX_STEPS = {MAX_STEPS}  # updates per optimizer
GRAD_TOL = {GRAD_TOL}  # converged when ‖∇L‖ ≤ GRAD_TOL (0: off)
LOSS_TOL = {LOSS_TOL}  # converged when |L_t − L_(t−1)| ≤ LOSS_TOL (0: off)
BOUND = {BOUND}  # a parameter beyond ±BOUND, or a loss or gradient that is not finite: diverged
"#;

const RNG: &str = r#"

# gradscape's random numbers: PCG-64 (MCG, XSL-RR output) seeded through SplitMix64, one
# stream per optimizer (its place k), Box–Muller normals, Lemire's unbiased integers.
M64 = (1 << 64) - 1


def mix(z):
    z = (z + 0x9E3779B97F4A7C15) & M64
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & M64
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & M64
    return z ^ (z >> 31)


class Rng:
    MULTIPLIER = 0x2360ED051FC65DA44385DF649FCCF645

    def __init__(self, seed, stream):
        self.state = (mix(seed) << 64 | mix(stream ^ 0xD1B54A32D192ED03)) | 1
        self.spare = None

    def next_u64(self):
        self.state = (self.state * self.MULTIPLIER) & ((1 << 128) - 1)
        rot = self.state >> 122
        xsl = ((self.state >> 64) ^ self.state) & M64
        return ((xsl >> rot) | (xsl << (64 - rot))) & M64

    def uniform(self):
        """Uniform in [0, 1) with 53 random bits."""
        return (self.next_u64() >> 11) * (1.0 / (1 << 53))

    def normal(self):
        """Standard normal (Box–Muller; the second value is kept for the next call)."""
        if self.spare is not None:
            z, self.spare = self.spare, None
            return z
        u1 = 1.0 - self.uniform()
        u2 = self.uniform()
        r = math.sqrt(-2.0 * libm_log(u1))
        a = 2.0 * math.pi * u2
        self.spare = r * libm_sin(a)
        return r * libm_cos(a)

    def below(self, n):
        """Uniform integer in [0, n)."""
        while True:
            m = self.next_u64() * n
            if m & M64 >= ((1 << 64) - n) % n:
                return m >> 64

    def shuffle(self, xs):
        for i in range(len(xs) - 1, 0, -1):
            j = self.below(i + 1)
            xs[i], xs[j] = xs[j], xs[i]
"#;

const SAMPLER: &str = r#"

class Sampler:
    """Mini-batches of m examples: a new shuffled order every epoch (gradscape's shuffle, so
    these are its batches), taken m at a time; the epoch's last batch holds the N mod m left
    over. Each batch is sorted."""

    def __init__(self, n, m, rng):
        self.order, self.pos, self.m, self.rng = list(range(n)), 0, max(1, min(m, n)), rng

    def next_batch(self):
        if self.pos >= len(self.order):
            self.pos = 0
        if self.pos == 0:
            self.rng.shuffle(self.order)
        end = min(self.pos + self.m, len(self.order))
        batch = sorted(self.order[self.pos : end])
        self.pos = end
        return {ARRAY}(batch)
"#;

const GD_NP: &str = r#"
class GD:
    """θ ← θ − α g"""

    def step(self, theta, lr, gradient):
        return theta - lr * gradient(theta)
"#;

const MOMENTUM_NP: &str = r#"
class Momentum:
    """v ← γ v + α g ; θ ← θ − v   (γ₀ in place of γ for the first `warmup` updates)"""

    def __init__(self, gamma, gamma0, warmup):
        self.gamma, self.gamma0, self.warmup, self.t, self.v = gamma, gamma0, warmup, 0, 0.0

    def step(self, theta, lr, gradient):
        gamma = self.gamma0 if self.t < self.warmup else self.gamma
        self.v = gamma * self.v + lr * gradient(theta)
        self.t += 1
        return theta - self.v
"#;

const NESTEROV_NP: &str = r#"
class Nesterov:
    """θ̃ = θ − γ v ; v ← γ v + α ∇L(θ̃) ; θ ← θ − v   (γ₀ for the first `warmup` updates)"""

    def __init__(self, gamma, gamma0, warmup):
        self.gamma, self.gamma0, self.warmup, self.t, self.v = gamma, gamma0, warmup, 0, 0.0

    def step(self, theta, lr, gradient):
        gamma = self.gamma0 if self.t < self.warmup else self.gamma
        lookahead = theta - gamma * self.v
        self.v = gamma * self.v + lr * gradient(lookahead)
        self.t += 1
        return theta - self.v
"#;

const ADAGRAD_NP: &str = r#"
class Adagrad:
    """r ← r + g⊙g ; θ ← θ − α/(δ + √r) ⊙ g"""

    def __init__(self, delta):
        self.delta, self.r = delta, 0.0

    def step(self, theta, lr, gradient):
        g = gradient(theta)
        self.r = self.r + g * g
        return theta - lr / (self.delta + np.sqrt(self.r)) * g
"#;

const RMSPROP_NP: &str = r#"
class RMSProp:
    """r ← ρ r + (1 − ρ) g⊙g ; θ ← θ − α/(δ + √r) ⊙ g"""

    def __init__(self, rho, delta):
        self.rho, self.delta, self.r = rho, delta, 0.0

    def step(self, theta, lr, gradient):
        g = gradient(theta)
        self.r = self.rho * self.r + (1.0 - self.rho) * g * g
        return theta - lr / (self.delta + np.sqrt(self.r)) * g
"#;

const ADAM_NP: &str = r#"
class Adam:
    """s ← ρ₁ s + (1 − ρ₁) g ; r ← ρ₂ r + (1 − ρ₂) g⊙g ;
    ŝ = s/(1 − ρ₁ᵗ⁺¹) ; r̂ = r/(1 − ρ₂ᵗ⁺¹) ; θ ← θ − α ŝ/(δ + √r̂)   (t from 0)"""

    def __init__(self, rho1, rho2, delta, bias_correction):
        self.rho1, self.rho2, self.delta, self.bias = rho1, rho2, delta, bias_correction
        self.s, self.r, self.rho1_t, self.rho2_t = 0.0, 0.0, 1.0, 1.0

    def step(self, theta, lr, gradient):
        g = gradient(theta)
        self.rho1_t *= self.rho1
        self.rho2_t *= self.rho2
        c1, c2 = (1.0 - self.rho1_t, 1.0 - self.rho2_t) if self.bias else (1.0, 1.0)
        self.s = self.rho1 * self.s + (1.0 - self.rho1) * g
        self.r = self.rho2 * self.r + (1.0 - self.rho2) * g * g
        s_hat, r_hat = self.s / c1, self.r / c2
        return theta - lr / (self.delta + np.sqrt(r_hat)) * s_hat
"#;

const MOMENTUM_PT: &str = r#"
class Momentum(torch.optim.Optimizer):
    """v ← γ v + α g ; θ ← θ − v   (γ₀ in place of γ for the first `warmup` updates)"""

    def __init__(self, params, lr, gamma, gamma0, warmup):
        super().__init__(params, dict(lr=lr, gamma=gamma, gamma0=gamma0, warmup=warmup))

    @torch.no_grad()
    def step(self, closure):
        with torch.enable_grad():
            closure()
        for group in self.param_groups:
            for p in group["params"]:
                state = self.state[p]
                t, v = state.get("t", 0), state.get("v", torch.zeros_like(p))
                gamma = group["gamma0"] if t < group["warmup"] else group["gamma"]
                state["v"], state["t"] = gamma * v + group["lr"] * p.grad, t + 1
                p.sub_(state["v"])
"#;

const NESTEROV_PT: &str = r#"
class Nesterov(torch.optim.Optimizer):
    """θ̃ = θ − γ v ; v ← γ v + α ∇L(θ̃) ; θ ← θ − v   (γ₀ for the first `warmup` updates)"""

    def __init__(self, params, lr, gamma, gamma0, warmup):
        super().__init__(params, dict(lr=lr, gamma=gamma, gamma0=gamma0, warmup=warmup))

    @torch.no_grad()
    def step(self, closure):
        group = self.param_groups[0]
        (p,) = group["params"]
        state = self.state[p]
        t, v = state.get("t", 0), state.get("v", torch.zeros_like(p))
        gamma = group["gamma0"] if t < group["warmup"] else group["gamma"]
        theta = p.clone()
        p.sub_(gamma * v)  # to the look-ahead θ̃, where the closure takes the gradient
        with torch.enable_grad():
            closure()
        state["v"], state["t"] = gamma * v + group["lr"] * p.grad, t + 1
        p.copy_(theta - state["v"])
"#;

const ADAM_PT: &str = r#"
class Adam(torch.optim.Optimizer):
    """s ← ρ₁ s + (1 − ρ₁) g ; r ← ρ₂ r + (1 − ρ₂) g⊙g ;
    ŝ = s/(1 − ρ₁ᵗ⁺¹) ; r̂ = r/(1 − ρ₂ᵗ⁺¹) ; θ ← θ − α ŝ/(δ + √r̂)   (without bias correction:
    ŝ = s, r̂ = r)"""

    def __init__(self, params, lr, rho1, rho2, delta, bias_correction):
        defaults = dict(lr=lr, rho1=rho1, rho2=rho2, delta=delta, bias=bias_correction)
        super().__init__(params, defaults)

    @torch.no_grad()
    def step(self, closure):
        with torch.enable_grad():
            closure()
        for group in self.param_groups:
            for p in group["params"]:
                st = self.state[p]
                if not st:
                    st.update(s=torch.zeros_like(p), r=torch.zeros_like(p), rho1_t=1.0, rho2_t=1.0)
                g = p.grad
                st["rho1_t"] *= group["rho1"]
                st["rho2_t"] *= group["rho2"]
                c1, c2 = (1.0 - st["rho1_t"], 1.0 - st["rho2_t"]) if group["bias"] else (1.0, 1.0)
                st["s"] = group["rho1"] * st["s"] + (1.0 - group["rho1"]) * g
                st["r"] = group["rho2"] * st["r"] + (1.0 - group["rho2"]) * g * g
                p.sub_(group["lr"] / (group["delta"] + torch.sqrt(st["r"] / c2)) * (st["s"] / c1))
"#;

const CONSTANT: &str = r#"class Constant:
    """α_t = α₀"""

    def __init__(self, lr0):
        self.lr0 = lr0

    def rate(self, t):
        return self.lr0

    def observe(self, before, after):
        pass
"#;

const STEP_DECAY: &str = r#"class StepDecay:
    """α_t = α₀ · f^⌊t/n⌋"""

    def __init__(self, lr0, every, factor):
        self.lr0, self.every, self.factor = lr0, max(1, every), factor

    def rate(self, t):
        return self.lr0 * self.factor ** float(t // self.every)

    def observe(self, before, after):
        pass
"#;

const EXP_DECAY: &str = r#"class ExpDecay:
    """α_t = α₀ · e^(−k t)"""

    def __init__(self, lr0, k):
        self.lr0, self.k = lr0, k

    def rate(self, t):
        return self.lr0 * libm_exp(-self.k * t)

    def observe(self, before, after):
        pass
"#;

const INV_DECAY: &str = r#"class InvDecay:
    """α_t = α₀ / (1 + k t)"""

    def __init__(self, lr0, k):
        self.lr0, self.k = lr0, k

    def rate(self, t):
        return self.lr0 / (1.0 + self.k * t)

    def observe(self, before, after):
        pass
"#;

const LOSS_RISE: &str = r#"class LossRise:
    """α ← f·α whenever the loss rose over the last update (the lecture's step decay on a rise;
    torch's ReduceLROnPlateau waits for `patience` epochs and compares with the best loss)."""

    def __init__(self, lr0, factor):
        self.lr0, self.factor, self.multiplier = lr0, factor, 1.0

    def rate(self, t):
        return self.lr0 * self.multiplier

    def observe(self, before, after):
        if after > before:
            self.multiplier *= self.factor
"#;

const NUM: &str = r#"

def num(x):
    """x as gradscape prints it: the shortest digits that read back exactly, never an exponent."""
    x = float(x)
    if math.isnan(x):
        return "NaN"
    if math.isinf(x):
        return "inf" if x > 0 else "-inf"
    s = format(Decimal(repr(x)), "f")
    return s[:-2] if s.endswith(".0") else s


def row(k, step, loss, lr, gsq, theta):
    values = [loss, lr, math.sqrt(gsq)] + [float(p) for p in theta]
    return ",".join([str(k), str(step)] + [num(v) for v in values])


def diverged(theta, loss, gsq):
    inside = all(abs(float(p)) <= BOUND for p in theta)
    return not (inside and math.isfinite(loss) and math.isfinite(gsq))
"#;

const RUN_NP: &str = r#"

def run(k, rule, schedule, batch, noise):
    """Optimizer k from START to its stop, as CSV rows."""
    gradient = source({RNG}, batch, noise)
    theta = START.copy()
    loss, grad = loss_grad(theta)
    gsq = float(total(grad * grad))
    step = 0
    yield row(k, step, loss, schedule.rate(0), gsq, theta)
    if diverged(theta, loss, gsq):
        return
    while step < MAX_STEPS:
        lr = schedule.rate(step)
        theta = rule.step(theta, lr, gradient)
        step += 1
        before = loss
        loss, grad = loss_grad(theta)
        gsq = float(total(grad * grad))
        schedule.observe(before, loss)
        yield row(k, step, loss, lr, gsq, theta)
        if diverged(theta, loss, gsq):
            return
        if (GRAD_TOL > 0.0 and gsq <= GRAD_TOL * GRAD_TOL) or (
            LOSS_TOL > 0.0 and abs(loss - before) <= LOSS_TOL
        ):
            return
"#;

const RUN_PT: &str = r#"

def run(k, make_optimizer, schedule, batch, noise):
    """Optimizer k from START to its stop, as CSV rows."""
    gradient = source({RNG}, batch, noise)
    theta = START.clone().requires_grad_(True)
    optimizer = make_optimizer([theta])
    rise = {RISE}
    scheduler = schedule(optimizer) if callable(schedule) else None

    def closure():
        theta.grad = gradient(theta)

    loss, grad = loss_grad(theta)
    gsq = float((grad * grad).sum())
    step = 0
    yield row(k, step, loss, optimizer.param_groups[0]["lr"], gsq, theta.detach())
    if diverged(theta.detach(), loss, gsq):
        return
    while step < MAX_STEPS:
        lr = optimizer.param_groups[0]["lr"]
        optimizer.step(closure)
        if scheduler:
            scheduler.step()
        step += 1
        before = loss
        loss, grad = loss_grad(theta)
        gsq = float((grad * grad).sum())
        if rise:
            rise.observe(before, loss)
            optimizer.param_groups[0]["lr"] = rise.rate(step)
        yield row(k, step, loss, lr, gsq, theta.detach())
        if diverged(theta.detach(), loss, gsq):
            return
        if (GRAD_TOL > 0.0 and gsq <= GRAD_TOL * GRAD_TOL) or (
            LOSS_TOL > 0.0 and abs(loss - before) <= LOSS_TOL
        ):
            return
"#;

const MAIN: &str = r#"

def main():
    out = sys.stdout
    out.write("opt,step,loss,lr,grad_norm," + ",".join(f"p{j}" for j in range(len(START))) + "\n")
    for k, (name, rule, schedule, batch, noise) in enumerate(OPTIMIZERS):
        for line in run(k, rule, schedule, batch, noise):
            out.write(line + "\n")


if __name__ == "__main__":
    main()
"#;
