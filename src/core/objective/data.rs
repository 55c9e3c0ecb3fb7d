//! Data-set losses: the mean of a per-example loss ℓᵢ(θ) over seeded examples.
//!
//! Each model implements the private [`PerExample`] trait (ℓᵢ, ∇ℓᵢ, ∇²ℓᵢ); the generic
//! [`MeanLoss`] wrapper averages it and implements [`Objective`]. The full gradient and a
//! mini-batch gradient run through the same function over an index iterator, so a sorted
//! batch covering every example gives bit-identical results to the full gradient.

use super::critical::{push_unique, refine_as};
use super::{CriticalKind, CriticalPoint, LabelledPoint, Objective, SurfaceInfo};
use crate::core::math::{cos, ln, sigmoid, sin, sqrt};
use crate::core::rng::Rng;

/// RNG streams of the generated data sets (one per surface, so equal seeds give unrelated data).
const STREAM_SPARSE: u64 = 0x5EED_0001;
const STREAM_LINREG: u64 = 0x5EED_0002;
const STREAM_DEEPLINEAR: u64 = 0x5EED_0003;
const STREAM_SVM: u64 = 0x5EED_0004;

/// Largest parameter count of a data-set model (the SVM's 3×3 weights).
const MAX_DIM: usize = 9;

/// One (x, y) example of a one-input data set.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Sample {
    pub x: f64,
    pub y: f64,
}

/// A model with a per-example loss; [`MeanLoss`] turns it into the mean-loss objective.
trait PerExample: Send + Sync {
    /// Number of parameters (at most [`MAX_DIM`]).
    const DIM: usize;
    /// Number of examples.
    fn len(&self) -> usize;
    /// ℓᵢ(θ), with ∇ℓᵢ(θ) added into `g`.
    fn add_grad(&self, p: &[f64], i: usize, g: &mut [f64]) -> f64;
    /// ∇²ℓᵢ(θ) added into `h` (row-major `DIM × DIM`).
    fn add_hessian(&self, p: &[f64], i: usize, h: &mut [f64]);
    /// A regulariser R(θ) added to every (batch) mean, with ∇R added into `g`.
    fn add_regulariser(&self, _p: &[f64], _g: &mut [f64]) -> f64 {
        0.0
    }
    /// ∇²R added into `h`.
    fn add_regulariser_hessian(&self, _h: &mut [f64]) {}
    /// Labelled 2-D inputs of a classification data set.
    fn labelled(&self) -> Option<&[LabelledPoint]> {
        None
    }
    /// The examples as flat rows (see [`Objective::rows`]).
    fn rows(&self) -> Vec<f64>;
}

/// A data-set loss L(θ) = (1/N) Σᵢ ℓᵢ(θ) (+ a regulariser), with its view, start and critical points.
#[derive(Debug, Clone)]
pub struct MeanLoss<M> {
    model: M,
    info: SurfaceInfo,
}

impl<M> MeanLoss<M> {
    /// The model with its data.
    pub fn model(&self) -> &M {
        &self.model
    }

    fn new(model: M, view: [f64; 4], start: Vec<f64>, log_scale: bool) -> Self {
        let info = SurfaceInfo {
            view,
            start,
            critical: Vec::new(),
            log_scale,
        };
        MeanLoss { model, info }
    }

    fn exact(mut self, kind: CriticalKind, at: [f64; 2]) -> Self {
        push_unique(
            &mut self.info.critical,
            CriticalPoint {
                kind,
                at: at.to_vec(),
            },
        );
        self
    }
}

/// Mean loss and gradient of `model` over the examples `idx`, summed in the order given: the
/// one function behind both the full and the mini-batch gradient. An empty batch gives the
/// regulariser alone.
fn mean<M: PerExample>(
    model: &M,
    p: &[f64],
    idx: impl Iterator<Item = usize>,
    g: &mut [f64],
) -> f64 {
    g.fill(0.0);
    let mut sum = 0.0;
    let mut count = 0usize;
    for i in idx {
        sum += model.add_grad(p, i, g);
        count += 1;
    }
    let mut loss = 0.0;
    if count > 0 {
        let n = count as f64;
        g.iter_mut().for_each(|gi| *gi /= n);
        loss = sum / n;
    }
    loss + model.add_regulariser(p, g)
}

impl<M: PerExample> Objective for MeanLoss<M> {
    fn dim(&self) -> usize {
        M::DIM
    }
    fn loss(&self, p: &[f64]) -> f64 {
        let mut g = [0.0; MAX_DIM];
        self.loss_grad(p, &mut g[..M::DIM])
    }
    fn loss_grad(&self, p: &[f64], g: &mut [f64]) -> f64 {
        mean(&self.model, p, 0..self.model.len(), g)
    }
    fn hessian(&self, p: &[f64], h: &mut [f64]) {
        h.fill(0.0);
        let n = self.model.len();
        for i in 0..n {
            self.model.add_hessian(p, i, h);
        }
        if n > 0 {
            h.iter_mut().for_each(|hi| *hi /= n as f64);
        }
        self.model.add_regulariser_hessian(h);
    }
    fn examples(&self) -> usize {
        self.model.len()
    }
    /// Indices must be below [`Objective::examples`].
    fn batch_loss_grad(&self, p: &[f64], idx: &[u32], g: &mut [f64]) -> f64 {
        mean(&self.model, p, idx.iter().map(|&i| i as usize), g)
    }
    fn info(&self) -> &SurfaceInfo {
        &self.info
    }
    fn points(&self) -> Option<&[LabelledPoint]> {
        self.model.labelled()
    }
    fn rows(&self) -> Vec<f64> {
        self.model.rows()
    }
}

/// A sigmoid neuron f(x) = σ(w x + b) with squared error ℓ = ½(f(x) − y)², θ = (w, b).
/// (x, y) examples as flat rows.
fn sample_rows(data: &[Sample]) -> Vec<f64> {
    data.iter().flat_map(|s| [s.x, s.y]).collect()
}

#[derive(Debug, Clone)]
pub struct SigmoidNeuron {
    data: Vec<Sample>,
}

impl SigmoidNeuron {
    /// The examples.
    pub fn samples(&self) -> &[Sample] {
        &self.data
    }
}

impl PerExample for SigmoidNeuron {
    const DIM: usize = 2;
    fn rows(&self) -> Vec<f64> {
        sample_rows(&self.data)
    }
    fn len(&self) -> usize {
        self.data.len()
    }
    fn add_grad(&self, p: &[f64], i: usize, g: &mut [f64]) -> f64 {
        let s = self.data[i];
        let f = sigmoid(p[0] * s.x + p[1]);
        let r = f - s.y;
        let dz = r * f * (1.0 - f);
        g[0] += dz * s.x;
        g[1] += dz;
        0.5 * r * r
    }
    fn add_hessian(&self, p: &[f64], i: usize, h: &mut [f64]) {
        let s = self.data[i];
        let f = sigmoid(p[0] * s.x + p[1]);
        let d1 = f * (1.0 - f);
        // d²ℓ/dz² = σ'² + (f − y)σ'', σ'' = σ'(1 − 2f).
        let d2 = d1 * d1 + (f - s.y) * d1 * (1.0 - 2.0 * f);
        h[0] += d2 * s.x * s.x;
        h[1] += d2 * s.x;
        h[2] += d2 * s.x;
        h[3] += d2;
    }
}

/// logit(p) = ln(p / (1 − p)).
fn logit(p: f64) -> f64 {
    ln(p / (1.0 - p))
}

/// The lecture's sigmoid neuron on (0.5, 0.2) and (2.5, 0.9), started at (−2, −2). Two points
/// are fitted exactly: w* = (logit 0.9 − logit 0.2)/2, b* = logit 0.2 − 0.5 w*, loss 0.
pub fn neuron() -> MeanLoss<SigmoidNeuron> {
    let data = vec![Sample { x: 0.5, y: 0.2 }, Sample { x: 2.5, y: 0.9 }];
    let w = (logit(0.9) - logit(0.2)) / 2.0;
    let b = logit(0.2) - 0.5 * w;
    MeanLoss::new(
        SigmoidNeuron { data },
        [-6.0, 6.0, -6.0, 6.0],
        vec![-2.0, -2.0],
        false,
    )
    .exact(CriticalKind::Minimum, [w, b])
}

/// Start of `sparse`: there the x = 0 examples give a strong gradient along b while the few
/// x > 0 ones are saturated, so ∂L/∂w is tiny (the Adagrad lesson).
const SPARSE_START: [f64; 2] = [-3.0, -3.0];

/// The neuron on `n` seeded points, 80% of them with x = 0 and the rest x ~ U(0.5, 3), and
/// y = clamp(σ(1.5x − 0.5) + 0.05·N(0, 1), 0.01, 0.99): w rarely receives gradient.
/// The minimum is refined by Newton from (1.5, −0.5) and listed only if it is one.
pub fn sparse(n: usize, data_seed: u64) -> MeanLoss<SigmoidNeuron> {
    let mut rng = Rng::new(data_seed, STREAM_SPARSE);
    let data = (0..n)
        .map(|_| {
            let x = if rng.uniform() < 0.8 {
                0.0
            } else {
                rng.range(0.5, 3.0)
            };
            let y = (sigmoid(1.5 * x - 0.5) + 0.05 * rng.normal()).clamp(0.01, 0.99);
            Sample { x, y }
        })
        .collect();
    sparse_on(data)
}

/// The sparse surface's neuron on given examples: its view and start; the minimum is
/// refined by Newton from (1.5, −0.5) and listed only if it is one.
pub fn sparse_on(data: Vec<Sample>) -> MeanLoss<SigmoidNeuron> {
    let mut s = MeanLoss::new(
        SigmoidNeuron { data },
        [-6.0, 6.0, -6.0, 6.0],
        SPARSE_START.to_vec(),
        false,
    );
    if let Some(cp) = refine_as(&s, [1.5, -0.5], CriticalKind::Minimum) {
        s.info.critical.push(cp);
    }
    s
}

/// The lecture's neuron surface (view ±6, start (−2, −2)) on given examples; its minimum is
/// listed where Newton from the least-squares fit of the logits finds one.
pub fn neuron_on(data: Vec<Sample>) -> MeanLoss<SigmoidNeuron> {
    let logits: Vec<Sample> = data
        .iter()
        .map(|s| Sample {
            x: s.x,
            y: logit(s.y.clamp(0.01, 0.99)),
        })
        .collect();
    let guess = least_squares(&logits).unwrap_or([0.0, 0.0]);
    let mut s = MeanLoss::new(
        SigmoidNeuron { data },
        [-6.0, 6.0, -6.0, 6.0],
        vec![-2.0, -2.0],
        false,
    );
    if let Some(cp) = refine_as(&s, guess, CriticalKind::Minimum) {
        s.info.critical.push(cp);
    }
    s
}

/// Linear regression ŷ = w x + b with ℓ = ½(ŷ − y)², θ = (w, b): a convex quadratic.
#[derive(Debug, Clone)]
pub struct LinReg {
    data: Vec<Sample>,
}

impl LinReg {
    /// The examples.
    pub fn samples(&self) -> &[Sample] {
        &self.data
    }
}

impl PerExample for LinReg {
    const DIM: usize = 2;
    fn rows(&self) -> Vec<f64> {
        sample_rows(&self.data)
    }
    fn len(&self) -> usize {
        self.data.len()
    }
    fn add_grad(&self, p: &[f64], i: usize, g: &mut [f64]) -> f64 {
        let s = self.data[i];
        let r = p[0] * s.x + p[1] - s.y;
        g[0] += r * s.x;
        g[1] += r;
        0.5 * r * r
    }
    fn add_hessian(&self, _p: &[f64], i: usize, h: &mut [f64]) {
        let x = self.data[i].x;
        h[0] += x * x;
        h[1] += x;
        h[2] += x;
        h[3] += 1.0;
    }
}

/// Least-squares fit (w, b) of `data`, `None` if all x are equal.
fn least_squares(data: &[Sample]) -> Option<[f64; 2]> {
    let n = data.len() as f64;
    let mx = data.iter().map(|s| s.x).sum::<f64>() / n;
    let my = data.iter().map(|s| s.y).sum::<f64>() / n;
    let sxx: f64 = data.iter().map(|s| (s.x - mx) * (s.x - mx)).sum();
    let sxy: f64 = data.iter().map(|s| (s.x - mx) * (s.y - my)).sum();
    if sxx.is_nan() || sxx <= 0.0 {
        return None;
    }
    let w = sxy / sxx;
    Some([w, my - w * mx])
}

/// Linear regression on `n` seeded points x ~ U(−1, 3), y = 2x − 1 + 0.5·N(0, 1). The view
/// is ±5 around the least-squares minimum and the start (w* − 4, b* + 4) lies mostly along
/// the valley's flat direction, so GD converges slowly along it.
pub fn linreg(n: usize, data_seed: u64) -> MeanLoss<LinReg> {
    let mut rng = Rng::new(data_seed, STREAM_LINREG);
    let data: Vec<Sample> = (0..n)
        .map(|_| {
            let x = rng.range(-1.0, 3.0);
            Sample {
                x,
                y: 2.0 * x - 1.0 + 0.5 * rng.normal(),
            }
        })
        .collect();
    linreg_on(data)
}

/// Linear regression on given examples: the view is ±5 around the least-squares minimum
/// and the start is (w* − 4, b* + 4).
pub fn linreg_on(data: Vec<Sample>) -> MeanLoss<LinReg> {
    let fit = least_squares(&data);
    let [w, b] = fit.unwrap_or([2.0, -1.0]);
    let view = [w - 5.0, w + 5.0, b - 5.0, b + 5.0];
    let s = MeanLoss::new(LinReg { data }, view, vec![w - 4.0, b + 4.0], true);
    match fit {
        Some(at) => s.exact(CriticalKind::Minimum, at),
        None => s,
    }
}

/// Deep linear network ŷ = w₂ w₁ x with ℓ = ½(ŷ − y)², θ = (w₁, w₂): non-convex although
/// linear, with a saddle at the origin and a curve of minima w₁w₂ = mean(xy)/mean(x²).
#[derive(Debug, Clone)]
pub struct DeepLinear {
    data: Vec<Sample>,
}

impl DeepLinear {
    /// The examples.
    pub fn samples(&self) -> &[Sample] {
        &self.data
    }
}

impl PerExample for DeepLinear {
    const DIM: usize = 2;
    fn rows(&self) -> Vec<f64> {
        sample_rows(&self.data)
    }
    fn len(&self) -> usize {
        self.data.len()
    }
    fn add_grad(&self, p: &[f64], i: usize, g: &mut [f64]) -> f64 {
        let s = self.data[i];
        let r = p[0] * p[1] * s.x - s.y;
        g[0] += r * p[1] * s.x;
        g[1] += r * p[0] * s.x;
        0.5 * r * r
    }
    fn add_hessian(&self, p: &[f64], i: usize, h: &mut [f64]) {
        let s = self.data[i];
        let r = p[0] * p[1] * s.x - s.y;
        let x2 = s.x * s.x;
        let xy = p[0] * p[1] * x2 + r * s.x;
        h[0] += p[1] * p[1] * x2;
        h[1] += xy;
        h[2] += xy;
        h[3] += p[0] * p[0] * x2;
    }
}

/// Start of `deeplinear`: just off the saddle's stable line w₁ = −w₂ (on it, GD would converge
/// to the saddle), so GD first slides towards the saddle, then turns away into a valley of minima.
const DEEPLINEAR_START: [f64; 2] = [2.0, -1.95];

/// The deep linear network on `n` seeded points x ~ N(0, 1), y = x + 0.1·N(0, 1). Marks the
/// saddle at the origin (Hessian [[0, −c], [−c, 0]], c = mean(xy)) and the two balanced
/// minima w₁ = ±w₂ with w₁w₂ = q = c/mean(x²) (their Hessian is singular along the valley).
pub fn deeplinear(n: usize, data_seed: u64) -> MeanLoss<DeepLinear> {
    let mut rng = Rng::new(data_seed, STREAM_DEEPLINEAR);
    let data: Vec<Sample> = (0..n)
        .map(|_| {
            let x = rng.normal();
            Sample {
                x,
                y: x + 0.1 * rng.normal(),
            }
        })
        .collect();
    deeplinear_on(data)
}

/// The deep linear network on given examples, with its saddle and minima where they exist.
pub fn deeplinear_on(data: Vec<Sample>) -> MeanLoss<DeepLinear> {
    let len = data.len().max(1) as f64;
    let c = data.iter().map(|s| s.x * s.y).sum::<f64>() / len;
    let m = data.iter().map(|s| s.x * s.x).sum::<f64>() / len;
    let view = [-2.5, 2.5, -2.5, 2.5];
    let mut s = MeanLoss::new(DeepLinear { data }, view, DEEPLINEAR_START.to_vec(), true);
    if c != 0.0 && m > 0.0 {
        let q = c / m;
        let r = sqrt(q.abs());
        let sign = q.signum();
        s = s
            .exact(CriticalKind::Saddle, [0.0, 0.0])
            .exact(CriticalKind::Minimum, [r, sign * r])
            .exact(CriticalKind::Minimum, [-r, -sign * r]);
    }
    s
}

/// Multiclass SVM on 2-D points with a bias feature x = (x₁, x₂, 1): θ = W (3×3, index
/// class·3 + feature), ℓᵢ = Σ_{j≠yᵢ} max(0, wⱼ·xᵢ − w_{yᵢ}·xᵢ + Δ), plus λ Σ W² on every mean.
#[derive(Debug, Clone)]
pub struct Svm {
    points: Vec<LabelledPoint>,
    margin: f64,
    lambda: f64,
}

impl Svm {
    /// Δ.
    pub fn margin(&self) -> f64 {
        self.margin
    }
    /// λ.
    pub fn lambda(&self) -> f64 {
        self.lambda
    }
}

/// Number of SVM classes.
const CLASSES: usize = 3;

impl PerExample for Svm {
    const DIM: usize = CLASSES * 3;
    fn rows(&self) -> Vec<f64> {
        self.points
            .iter()
            .flat_map(|p| [p.x[0], p.x[1], f64::from(p.class)])
            .collect()
    }
    fn len(&self) -> usize {
        self.points.len()
    }
    /// Subgradient: a hinge term contributes only where its margin is > 0.
    fn add_grad(&self, p: &[f64], i: usize, g: &mut [f64]) -> f64 {
        let pt = self.points[i];
        let x = [pt.x[0], pt.x[1], 1.0];
        let score = |k: usize| p[3 * k] * x[0] + p[3 * k + 1] * x[1] + p[3 * k + 2] * x[2];
        let yi = usize::from(pt.class);
        let sy = score(yi);
        let mut loss = 0.0;
        for j in (0..CLASSES).filter(|&j| j != yi) {
            let m = score(j) - sy + self.margin;
            if m > 0.0 {
                loss += m;
                for f in 0..3 {
                    g[3 * j + f] += x[f];
                    g[3 * yi + f] -= x[f];
                }
            }
        }
        loss
    }
    /// The hinge is piecewise linear: zero Hessian almost everywhere.
    fn add_hessian(&self, _p: &[f64], _i: usize, _h: &mut [f64]) {}
    fn add_regulariser(&self, p: &[f64], g: &mut [f64]) -> f64 {
        let mut r = 0.0;
        for (gk, &pk) in g.iter_mut().zip(p).take(Self::DIM) {
            r += pk * pk;
            *gk += 2.0 * self.lambda * pk;
        }
        self.lambda * r
    }
    fn add_regulariser_hessian(&self, h: &mut [f64]) {
        for k in 0..Self::DIM {
            h[k * Self::DIM + k] += 2.0 * self.lambda;
        }
    }
    fn labelled(&self) -> Option<&[LabelledPoint]> {
        Some(&self.points)
    }
}

/// The SVM objective on given labelled points (points of a class ≥ 3 are dropped), started
/// at W = 0; the view is a slice through θ₀, θ₁.
pub fn svm_with_points(points: Vec<LabelledPoint>, margin: f64, lambda: f64) -> MeanLoss<Svm> {
    let points = points
        .into_iter()
        .filter(|p| usize::from(p.class) < CLASSES)
        .collect();
    let model = Svm {
        points,
        margin,
        lambda,
    };
    MeanLoss::new(model, [-3.0, 3.0, -3.0, 3.0], vec![0.0; Svm::DIM], false)
}

/// The SVM on `n` seeded points, classes round-robin; class k is centred at radius 2,
/// angle 90° + 120°·k, with spread 0.8·N(0, 1) per coordinate.
pub fn svm(n: usize, data_seed: u64, margin: f64, lambda: f64) -> MeanLoss<Svm> {
    let mut rng = Rng::new(data_seed, STREAM_SVM);
    let points = (0..n)
        .map(|i| {
            let k = i % CLASSES;
            let angle = std::f64::consts::FRAC_PI_2 + k as f64 * 2.0 * std::f64::consts::FRAC_PI_3;
            let x1 = 2.0 * cos(angle) + 0.8 * rng.normal();
            let x2 = 2.0 * sin(angle) + 0.8 * rng.normal();
            LabelledPoint {
                x: [x1, x2],
                class: k as u8,
            }
        })
        .collect();
    svm_with_points(points, margin, lambda)
}
