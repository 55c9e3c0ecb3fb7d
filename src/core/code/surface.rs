//! The surface part of a code export: L(θ) and its gradient in Python, one text per surface
//! of the registry, with the data set written out for the data-set losses.
//!
//! The NumPy text repeats the engine's own operations in the engine's order (the hand-written
//! gradients of `objective/analytic.rs` and `objective/data.rs`, sums taken in index order),
//! so its numbers are the engine's to rounding; the PyTorch text writes the loss alone and
//! lets autograd differentiate it, as a PyTorch user would.

use super::Lang;
use crate::core::expr::python::{py_float, Dialect};
use crate::core::expr::Expr;
use crate::core::objective::{minima_wells, Objective, CUSTOM};
use crate::core::scenario::Scenario;

/// `template` with every `{KEY}` replaced by its value.
pub(super) fn fill(template: &str, values: &[(&str, String)]) -> String {
    let mut out = template.to_string();
    for (k, v) in values {
        out = out.replace(&format!("{{{k}}}"), v);
    }
    out
}

/// What the script needs to know about the surface beyond its text.
pub(super) struct SurfaceCode {
    pub text: String,
    /// It is a data-set loss (mini-batches apply, `N` and `batch_loss_grad` exist).
    pub data: bool,
}

/// The Python for the scenario's surface; `objective` is the built one (its rows are the
/// data set the run uses, generated or given).
pub(super) fn surface_code(s: &Scenario, objective: &dyn Objective, lang: Lang) -> SurfaceCode {
    let def = s.surface_def();
    let param = |name: &str| -> f64 {
        def.params
            .iter()
            .position(|p| p.key == name)
            .and_then(|i| s.surface_params.get(i).copied())
            .unwrap_or(f64::NAN)
    };
    let title = format!("# The surface: {} ({}).\n", def.title, s.surface);
    let np = lang == Lang::Numpy;
    let analytic = |numpy: &str, torch: &str, values: &[(&str, String)]| SurfaceCode {
        text: format!("{title}{}", fill(if np { numpy } else { torch }, values)),
        data: false,
    };
    match s.surface {
        "bowl" => analytic(BOWL_NP, BOWL_PT, &[]),
        "ellipse" => analytic(
            ELLIPSE_NP,
            ELLIPSE_PT,
            &[("KAPPA", py_float(param("kappa")))],
        ),
        "plateau" => {
            let w = param("width");
            let v = [("W", py_float(w)), ("W2", py_float(w * w))];
            analytic(PLATEAU_NP, PLATEAU_PT, &v)
        }
        "minima" => {
            let wells: Vec<String> = minima_wells()
                .iter()
                .map(|w| {
                    let f: Vec<String> = w.iter().map(|v| py_float(*v)).collect();
                    format!("    ({}),", f.join(", "))
                })
                .collect();
            analytic(MINIMA_NP, MINIMA_PT, &[("WELLS", wells.join("\n"))])
        }
        "saddle" => analytic(SADDLE_NP, SADDLE_PT, &[]),
        "cliff" => {
            let v = [
                ("H", py_float(param("height"))),
                ("S", py_float(param("steepness"))),
            ];
            analytic(CLIFF_NP, CLIFF_PT, &v)
        }
        "rosenbrock" => {
            let v = [("A", py_float(param("a"))), ("B", py_float(param("b")))];
            analytic(ROSENBROCK_NP, ROSENBROCK_PT, &v)
        }
        "beale" => analytic(BEALE_NP, BEALE_PT, &[]),
        "himmelblau" => analytic(HIMMELBLAU_NP, HIMMELBLAU_PT, &[]),
        CUSTOM => {
            let source = s.custom_expression().unwrap_or_default();
            let expr = Expr::parse(source).ok();
            let (dialect, template) = if np {
                (Dialect::Dual, CUSTOM_NP)
            } else {
                (Dialect::Torch, CUSTOM_PT)
            };
            let body = expr.map_or_else(|| "0.0".to_string(), |e| e.to_python(dialect));
            // Any line break or control character would end the comment line it is in.
            let one_line: String = source
                .chars()
                .map(|c| if c.is_control() { ' ' } else { c })
                .collect();
            let v = [("SOURCE", one_line), ("BODY", body)];
            analytic(template, template, &v)
        }
        name => data_code(s, objective, name, lang, &title),
    }
}

/// A data-set loss: the rows, then the mean loss and gradient over a batch of them.
fn data_code(
    s: &Scenario,
    objective: &dyn Objective,
    name: &str,
    lang: Lang,
    title: &str,
) -> SurfaceCode {
    let rows = objective.rows();
    let svm = name == "svm";
    let width = if svm { 3 } else { 2 };
    let origin = match &s.data {
        Some(d) => match d.shipped {
            Some(set) => format!("the shipped data set `{set}` (data={set})"),
            None => "your own rows (data=)".to_string(),
        },
        None => {
            let params: Vec<String> = s
                .surface_def()
                .params
                .iter()
                .zip(&s.surface_params)
                .map(|(p, v)| format!("{}={}", p.key, v))
                .collect();
            format!(
                "generated by gradscape ({}): written out, not regenerated",
                params.join(", ")
            )
        }
    };
    let cols = if svm { "x1, x2, class" } else { "x, y" };
    let mut data = format!("# {} examples ({cols}): {origin}.\n", rows.len() / width);
    data.push_str(if lang == Lang::Numpy {
        "DATA = np.array(\n    [\n"
    } else {
        "DATA = torch.tensor(\n    [\n"
    });
    for row in rows.chunks(width) {
        let f: Vec<String> = row.iter().map(|v| py_float(*v)).collect();
        data.push_str(&format!("        [{}],\n", f.join(", ")));
    }
    data.push_str("    ]\n)\nN = len(DATA)\n");
    let param = |key: &str| -> String {
        let def = s.surface_def();
        def.params
            .iter()
            .position(|p| p.key == key)
            .and_then(|i| s.surface_params.get(i))
            .map_or_else(|| "float(\"nan\")".into(), |v| py_float(*v))
    };
    let np = lang == Lang::Numpy;
    let (template, values) = match name {
        "neuron" | "sparse" => (if np { NEURON_NP } else { NEURON_PT }, vec![]),
        "linreg" => (if np { LINREG_NP } else { LINREG_PT }, vec![]),
        "deeplinear" => (if np { DEEPLINEAR_NP } else { DEEPLINEAR_PT }, vec![]),
        _ => (
            if np { SVM_NP } else { SVM_PT },
            vec![("MARGIN", param("margin")), ("LAMBDA", param("lambda"))],
        ),
    };
    SurfaceCode {
        text: format!("{title}{data}{}", fill(template, &values)),
        data: true,
    }
}

const BOWL_NP: &str = r#"#   L(x, y) = x² + y²
def loss_grad(p):
    """L(θ) and ∇L(θ)."""
    x, y = p
    return x * x + y * y, np.array([2.0 * x, 2.0 * y])
"#;
const BOWL_PT: &str = r#"#   L(x, y) = x² + y²
def loss_fn(p):
    x, y = p[0], p[1]
    return x * x + y * y
"#;

const ELLIPSE_NP: &str = r#"#   L(x, y) = ½ (x² + κ y²)
KAPPA = {KAPPA}


def loss_grad(p):
    """L(θ) and ∇L(θ)."""
    x, y = p
    return 0.5 * (x * x + KAPPA * y * y), np.array([x, KAPPA * y])
"#;
const ELLIPSE_PT: &str = r#"#   L(x, y) = ½ (x² + κ y²)
KAPPA = {KAPPA}


def loss_fn(p):
    x, y = p[0], p[1]
    return 0.5 * (x * x + KAPPA * y * y)
"#;

const PLATEAU_NP: &str = r#"#   L(x, y) = 1 − exp(−(x² + y²) / w²), w = {W}
W2 = {W2}


def loss_grad(p):
    """L(θ) and ∇L(θ)."""
    x, y = p
    e = libm_exp(-(x * x + y * y) / W2)
    c = 2.0 / W2
    return 1.0 - e, np.array([c * x * e, c * y * e])
"#;
const PLATEAU_PT: &str = r#"#   L(x, y) = 1 − exp(−(x² + y²) / w²), w = {W}
W2 = {W2}


def loss_fn(p):
    x, y = p[0], p[1]
    return 1.0 - torch.exp(-(x * x + y * y) / W2)
"#;

const MINIMA_NP: &str = r#"#   L(x, y) = 0.05 (x² + y²) − Σ depth · exp(−((x − a)² + (y − b)²) / spread)
WELLS = [  # (a, b, depth, spread)
{WELLS}
]


def loss_grad(p):
    """L(θ) and ∇L(θ)."""
    x, y = p
    loss = 0.05 * (x * x + y * y)
    gx, gy = 0.1 * x, 0.1 * y
    for a, b, depth, spread in WELLS:
        dx, dy = x - a, y - b
        e = depth * libm_exp(-(dx * dx + dy * dy) / spread)
        c = 2.0 / spread
        loss -= e
        gx += c * dx * e
        gy += c * dy * e
    return loss, np.array([gx, gy])
"#;
const MINIMA_PT: &str = r#"#   L(x, y) = 0.05 (x² + y²) − Σ depth · exp(−((x − a)² + (y − b)²) / spread)
WELLS = [  # (a, b, depth, spread)
{WELLS}
]


def loss_fn(p):
    x, y = p[0], p[1]
    loss = 0.05 * (x * x + y * y)
    for a, b, depth, spread in WELLS:
        loss = loss - depth * torch.exp(-((x - a) ** 2 + (y - b) ** 2) / spread)
    return loss
"#;

const SADDLE_NP: &str = r#"#   L(x, y) = x² + ¼ y⁴ − ½ y²
def loss_grad(p):
    """L(θ) and ∇L(θ)."""
    x, y = p
    y2 = y * y
    return x * x + 0.25 * y2 * y2 - 0.5 * y2, np.array([2.0 * x, y2 * y - y])
"#;
const SADDLE_PT: &str = r#"#   L(x, y) = x² + ¼ y⁴ − ½ y²
def loss_fn(p):
    x, y = p[0], p[1]
    return x * x + 0.25 * y**4 - 0.5 * y**2
"#;

const CLIFF_NP: &str = r#"#   L(x, y) = 0.05 (x² + y²) + h · σ(s (x − 1))
H, S = {H}, {S}


def loss_grad(p):
    """L(θ) and ∇L(θ)."""
    x, y = p
    z = S * (x - 1.0)
    sp, sm = sigmoid(z), sigmoid(-z)
    loss = 0.05 * (x * x + y * y) + H * sp
    return loss, np.array([0.1 * x + H * S * sp * sm, 0.1 * y])
"#;
const CLIFF_PT: &str = r#"#   L(x, y) = 0.05 (x² + y²) + h · σ(s (x − 1))
H, S = {H}, {S}


def loss_fn(p):
    x, y = p[0], p[1]
    return 0.05 * (x * x + y * y) + H * torch.sigmoid(S * (x - 1.0))
"#;

const ROSENBROCK_NP: &str = r#"#   L(x, y) = (a − x)² + b (y − x²)²
A, B = {A}, {B}


def loss_grad(p):
    """L(θ) and ∇L(θ)."""
    x, y = p
    t = y - x * x
    loss = (A - x) * (A - x) + B * t * t
    return loss, np.array([-2.0 * (A - x) - 4.0 * B * x * t, 2.0 * B * t])
"#;
const ROSENBROCK_PT: &str = r#"#   L(x, y) = (a − x)² + b (y − x²)²
A, B = {A}, {B}


def loss_fn(p):
    x, y = p[0], p[1]
    return (A - x) ** 2 + B * (y - x * x) ** 2
"#;

const BEALE_NP: &str = r#"#   L(x, y) = (1.5 − x + xy)² + (2.25 − x + xy²)² + (2.625 − x + xy³)²
def loss_grad(p):
    """L(θ) and ∇L(θ): each term r² adds 2 r ∇r."""
    x, y = p
    y2, y3 = y * y, y * y * y
    terms = [  # (r, ∂r/∂x, ∂r/∂y)
        (1.5 - x + x * y, y - 1.0, x),
        (2.25 - x + x * y2, y2 - 1.0, 2.0 * x * y),
        (2.625 - x + x * y3, y3 - 1.0, 3.0 * x * y2),
    ]
    loss, gx, gy = 0.0, 0.0, 0.0
    for r, dx, dy in terms:
        loss += r * r
        gx += 2.0 * r * dx
        gy += 2.0 * r * dy
    return loss, np.array([gx, gy])
"#;
const BEALE_PT: &str = r#"#   L(x, y) = (1.5 − x + xy)² + (2.25 − x + xy²)² + (2.625 − x + xy³)²
def loss_fn(p):
    x, y = p[0], p[1]
    return (1.5 - x + x * y) ** 2 + (2.25 - x + x * y**2) ** 2 + (2.625 - x + x * y**3) ** 2
"#;

const HIMMELBLAU_NP: &str = r#"#   L(x, y) = (x² + y − 11)² + (x + y² − 7)²
def loss_grad(p):
    """L(θ) and ∇L(θ)."""
    x, y = p
    u = x * x + y - 11.0
    v = x + y * y - 7.0
    return u * u + v * v, np.array([4.0 * x * u + 2.0 * v, 2.0 * u + 4.0 * y * v])
"#;
const HIMMELBLAU_PT: &str = r#"#   L(x, y) = (x² + y − 11)² + (x + y² − 7)²
def loss_fn(p):
    x, y = p[0], p[1]
    return (x * x + y - 11.0) ** 2 + (x + y * y - 7.0) ** 2
"#;

const CUSTOM_NP: &str = r#"#   L(x, y) = {SOURCE}
# Differentiated exactly by forward-mode dual numbers (the D class below), with the same
# derivative rules as gradscape.
def loss_grad(p):
    """L(θ) and ∇L(θ)."""
    x, y = D(p[0], 1.0, 0.0), D(p[1], 0.0, 1.0)
    f = dual({BODY})
    return f.v, np.array([f.dx, f.dy])
"#;
const CUSTOM_PT: &str = r#"#   L(x, y) = {SOURCE}
def loss_fn(p):
    x, y = p[0], p[1]
    # + 0·(x + y): a constant surface stays a tensor that autograd can differentiate
    return {BODY} + 0.0 * (x + y)
"#;

const NEURON_NP: &str = r#"X, Y = DATA[:, 0], DATA[:, 1]


def batch_loss_grad(p, idx):
    """Mean of ½ (σ(w x + b) − y)² over the examples idx, and its gradient."""
    w, b = p
    x, y = X[idx], Y[idx]
    f = sigmoid(w * x + b)
    r = f - y
    dz = r * f * (1.0 - f)
    n = len(idx)
    return total(0.5 * r * r) / n, np.array([total(dz * x) / n, total(dz) / n])
"#;
const NEURON_PT: &str = r#"X, Y = DATA[:, 0], DATA[:, 1]


def batch_loss(p, idx):
    """Mean of ½ (σ(w x + b) − y)² over the examples idx."""
    w, b = p[0], p[1]
    f = torch.sigmoid(w * X[idx] + b)
    return torch.mean(0.5 * (f - Y[idx]) ** 2)
"#;

const LINREG_NP: &str = r#"X, Y = DATA[:, 0], DATA[:, 1]


def batch_loss_grad(p, idx):
    """Mean of ½ (w x + b − y)² over the examples idx, and its gradient."""
    w, b = p
    x, y = X[idx], Y[idx]
    r = w * x + b - y
    n = len(idx)
    return total(0.5 * r * r) / n, np.array([total(r * x) / n, total(r) / n])
"#;
const LINREG_PT: &str = r#"X, Y = DATA[:, 0], DATA[:, 1]


def batch_loss(p, idx):
    """Mean of ½ (w x + b − y)² over the examples idx."""
    w, b = p[0], p[1]
    return torch.mean(0.5 * (w * X[idx] + b - Y[idx]) ** 2)
"#;

const DEEPLINEAR_NP: &str = r#"X, Y = DATA[:, 0], DATA[:, 1]


def batch_loss_grad(p, idx):
    """Mean of ½ (w₁ w₂ x − y)² over the examples idx (a two-layer linear net), and its gradient."""
    w1, w2 = p
    x, y = X[idx], Y[idx]
    r = w1 * w2 * x - y
    n = len(idx)
    return total(0.5 * r * r) / n, np.array([total(r * w2 * x) / n, total(r * w1 * x) / n])
"#;
const DEEPLINEAR_PT: &str = r#"X, Y = DATA[:, 0], DATA[:, 1]


def batch_loss(p, idx):
    """Mean of ½ (w₁ w₂ x − y)² over the examples idx (a two-layer linear net)."""
    w1, w2 = p[0], p[1]
    return torch.mean(0.5 * (w1 * w2 * X[idx] - Y[idx]) ** 2)
"#;

const SVM_NP: &str = r#"X1, X2, CLASS = DATA[:, 0], DATA[:, 1], DATA[:, 2].astype(int)
MARGIN, LAMBDA = {MARGIN}, {LAMBDA}


def batch_loss_grad(p, idx):
    """Multiclass hinge loss over the examples idx plus λ Σ W², and its gradient.

    θ holds three rows of (w₁, w₂, b), one per class; the score of class k is w·(x₁, x₂, 1).
    Every other class j whose score comes within the margin of the true class c adds
    score_j − score_c + Δ to the example's loss.
    """
    g = [0.0] * 9
    loss = 0.0
    for i in idx:
        x = (X1[i], X2[i], 1.0)
        c = CLASS[i]
        score = [p[3 * k] * x[0] + p[3 * k + 1] * x[1] + p[3 * k + 2] * x[2] for k in range(3)]
        example = 0.0
        for j in range(3):
            m = score[j] - score[c] + MARGIN
            if j != c and m > 0.0:
                example += m
                for f in range(3):
                    g[3 * j + f] += x[f]
                    g[3 * c + f] -= x[f]
        loss += example
    n = len(idx)
    g = np.array(g) / n
    penalty = 0.0
    for k in range(9):
        penalty += p[k] * p[k]
        g[k] += 2.0 * LAMBDA * p[k]
    return loss / n + LAMBDA * penalty, g
"#;
const SVM_PT: &str = r#"X1, X2, CLASS = DATA[:, 0], DATA[:, 1], DATA[:, 2].long()
MARGIN, LAMBDA = {MARGIN}, {LAMBDA}


def batch_loss(p, idx):
    """Multiclass hinge loss over the examples idx plus λ Σ W².

    θ holds three rows of (w₁, w₂, b), one per class; the score of class k is w·(x₁, x₂, 1).
    Every other class j whose score comes within the margin of the true class c adds
    score_j − score_c + Δ to the example's loss.
    """
    x = torch.stack([X1[idx], X2[idx], torch.ones(len(idx))], dim=1)
    scores = x @ p.reshape(3, 3).T
    c = CLASS[idx]
    margins = torch.relu(scores - scores.gather(1, c[:, None]) + MARGIN)
    others = torch.arange(3)[None, :] != c[:, None]
    return (margins * others).sum() / len(idx) + LAMBDA * (p * p).sum()
"#;
