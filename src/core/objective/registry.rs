//! The surface registry: names, titles, parameters and builders, in picker order.

use super::{analytic, data, DataDef, LabelledPoint, Objective, Sample, SurfaceDef};
use crate::core::dataset::{Columns, Dataset};
use crate::core::param::{Access, Domain, Emit, Fallback, Param, Scope};

/// Parameter `i` of `specs` from the validated values `v`, falling back to the default if it
/// is missing, not finite or on an excluded end, and clamped into its range, so a builder
/// never panics.
fn arg(v: &[f64], specs: &[Param], i: usize) -> f64 {
    let spec = specs[i];
    let (min, max) = spec.bounds().unwrap_or((f64::MIN, f64::MAX));
    let lo_open = matches!(spec.domain, Domain::Real { lo_open: true, .. });
    let x = v
        .get(i)
        .copied()
        .filter(|x| x.is_finite() && !(lo_open && *x <= min))
        .unwrap_or(spec.default_num());
    let x = x.clamp(min, max);
    if spec.integer() {
        x.round()
    } else {
        x
    }
}

/// A surface parameter in the closed range [min, max]; always written in the text.
const fn param(
    name: &'static str,
    symbol: &'static str,
    default: f64,
    min: f64,
    max: f64,
    integer: bool,
    help: &'static str,
) -> Param {
    Param::new(
        name,
        symbol,
        Scope::Surface,
        Domain::Real {
            lo: min,
            lo_open: false,
            hi: max,
            hi_open: false,
            integer,
        },
        Fallback::Num(default),
        help,
        Access::Surface,
    )
    .emit(Emit::Always)
}

const fn real(
    name: &'static str,
    symbol: &'static str,
    default: f64,
    min: f64,
    max: f64,
    help: &'static str,
) -> Param {
    param(name, symbol, default, min, max, false, help)
}

/// A real surface parameter in (min, max]: `min` itself is excluded.
const fn above(
    name: &'static str,
    symbol: &'static str,
    default: f64,
    min: f64,
    max: f64,
    help: &'static str,
) -> Param {
    let mut p = real(name, symbol, default, min, max, help);
    if let Domain::Real { lo_open, .. } = &mut p.domain {
        *lo_open = true;
    }
    p
}

/// Number of examples `n` with its default and range.
const fn examples(default: f64, min: f64) -> Param {
    param(
        "n",
        "N",
        default,
        min,
        10000.0,
        true,
        "number of generated examples",
    )
}

const DATA_SEED: Param = param(
    "data_seed",
    "seed",
    1.0,
    0.0,
    4294967295.0,
    true,
    "seed of the generated data set",
);

const ELLIPSE: &[Param] = &[real(
    "kappa",
    "κ",
    10.0,
    1.0,
    10000.0,
    "condition number: curvature along y over curvature along x",
)];
const PLATEAU: &[Param] = &[real(
    "width",
    "w",
    1.0,
    0.1,
    10.0,
    "radius of the well; beyond it the surface is flat",
)];
const CLIFF: &[Param] = &[
    real("height", "h", 4.0, 0.0, 100.0, "height of the wall"),
    real(
        "steepness",
        "s",
        8.0,
        0.1,
        100.0,
        "sharpness of the wall; its gradient peaks at h·s/4",
    ),
];
const ROSENBROCK: &[Param] = &[
    real(
        "a",
        "a",
        1.0,
        -10.0,
        10.0,
        "position of the minimum (a, a²)",
    ),
    above(
        "b",
        "b",
        100.0,
        0.0,
        10000.0,
        "steepness of the valley walls",
    ),
];
const SPARSE: &[Param] = &[examples(100.0, 10.0), DATA_SEED];
const LINREG: &[Param] = &[examples(50.0, 2.0), DATA_SEED];
const DEEPLINEAR: &[Param] = &[examples(30.0, 2.0), DATA_SEED];
const SVM: &[Param] = &[
    examples(60.0, 3.0),
    DATA_SEED,
    real(
        "margin",
        "Δ",
        1.0,
        0.0,
        10.0,
        "score margin the correct class must win by",
    ),
    real(
        "lambda",
        "λ",
        0.01,
        0.0,
        10.0,
        "strength of the L2 penalty λ Σ W²",
    ),
];

fn build_bowl(_: &[f64]) -> Box<dyn Objective> {
    Box::new(analytic::bowl())
}
fn build_ellipse(v: &[f64]) -> Box<dyn Objective> {
    Box::new(analytic::ellipse(arg(v, ELLIPSE, 0)))
}
fn build_plateau(v: &[f64]) -> Box<dyn Objective> {
    Box::new(analytic::plateau(arg(v, PLATEAU, 0)))
}
fn build_minima(_: &[f64]) -> Box<dyn Objective> {
    Box::new(analytic::minima())
}
fn build_saddle(_: &[f64]) -> Box<dyn Objective> {
    Box::new(analytic::saddle())
}
fn build_cliff(v: &[f64]) -> Box<dyn Objective> {
    Box::new(analytic::cliff(arg(v, CLIFF, 0), arg(v, CLIFF, 1)))
}
fn build_rosenbrock(v: &[f64]) -> Box<dyn Objective> {
    Box::new(analytic::rosenbrock(
        arg(v, ROSENBROCK, 0),
        arg(v, ROSENBROCK, 1),
    ))
}
fn build_beale(_: &[f64]) -> Box<dyn Objective> {
    Box::new(analytic::beale())
}
fn build_himmelblau(_: &[f64]) -> Box<dyn Objective> {
    Box::new(analytic::himmelblau())
}
fn build_neuron(_: &[f64]) -> Box<dyn Objective> {
    Box::new(data::neuron())
}
fn build_sparse(v: &[f64]) -> Box<dyn Objective> {
    Box::new(data::sparse(
        arg(v, SPARSE, 0) as usize,
        arg(v, SPARSE, 1) as u64,
    ))
}
fn build_linreg(v: &[f64]) -> Box<dyn Objective> {
    Box::new(data::linreg(
        arg(v, LINREG, 0) as usize,
        arg(v, LINREG, 1) as u64,
    ))
}
fn build_deeplinear(v: &[f64]) -> Box<dyn Objective> {
    Box::new(data::deeplinear(
        arg(v, DEEPLINEAR, 0) as usize,
        arg(v, DEEPLINEAR, 1) as u64,
    ))
}
fn build_svm(v: &[f64]) -> Box<dyn Objective> {
    let (n, seed) = (arg(v, SVM, 0) as usize, arg(v, SVM, 1) as u64);
    Box::new(data::svm(n, seed, arg(v, SVM, 2), arg(v, SVM, 3)))
}

/// The rows of a one-input data set as examples.
fn samples(d: &Dataset) -> Vec<Sample> {
    d.rows().map(|r| Sample { x: r[0], y: r[1] }).collect()
}
fn neuron_on(_: &[f64], d: &Dataset) -> Box<dyn Objective> {
    Box::new(data::neuron_on(samples(d)))
}
fn sparse_on(_: &[f64], d: &Dataset) -> Box<dyn Objective> {
    Box::new(data::sparse_on(samples(d)))
}
fn linreg_on(_: &[f64], d: &Dataset) -> Box<dyn Objective> {
    Box::new(data::linreg_on(samples(d)))
}
fn deeplinear_on(_: &[f64], d: &Dataset) -> Box<dyn Objective> {
    Box::new(data::deeplinear_on(samples(d)))
}
fn svm_on(v: &[f64], d: &Dataset) -> Box<dyn Objective> {
    let points = d
        .rows()
        .map(|r| LabelledPoint {
            x: [r[0], r[1]],
            class: r[2] as u8,
        })
        .collect();
    Box::new(data::svm_with_points(
        points,
        arg(v, SVM, 2),
        arg(v, SVM, 3),
    ))
}

/// Every built-in surface, in picker order.
pub static SURFACES: &[SurfaceDef] = &[
    SurfaceDef {
        name: "bowl",
        title: "Convex bowl",
        help: "One minimum, the same curvature everywhere: every method gets there.",
        params: &[],
        data: None,
        build: build_bowl,
    },
    SurfaceDef {
        name: "ellipse",
        title: "Elliptic valley",
        help: "Ill-conditioned: GD zigzags across the valley and diverges for α > 2/κ.",
        params: ELLIPSE,
        data: None,
        build: build_ellipse,
    },
    SurfaceDef {
        name: "plateau",
        title: "Plateau",
        help: "GD crawls where the surface is flat: the gradient almost vanishes.",
        params: PLATEAU,
        data: None,
        build: build_plateau,
    },
    SurfaceDef {
        name: "minima",
        title: "Local minima",
        help: "Non-convex: GD stops in whichever basin it starts in, noise can escape.",
        params: &[],
        data: None,
        build: build_minima,
    },
    SurfaceDef {
        name: "saddle",
        title: "Saddle point",
        help: "Zero gradient but no minimum: noiseless GD stalls on the saddle.",
        params: &[],
        data: None,
        build: build_saddle,
    },
    SurfaceDef {
        name: "cliff",
        title: "Cliff",
        help: "At a steep wall the gradient explodes and throws the iterate far away.",
        params: CLIFF,
        data: None,
        build: build_cliff,
    },
    SurfaceDef {
        name: "rosenbrock",
        title: "Rosenbrock",
        help: "A curved, flat-bottomed valley: easy to enter, slow to follow.",
        params: ROSENBROCK,
        data: None,
        build: build_rosenbrock,
    },
    SurfaceDef {
        name: "beale",
        title: "Beale",
        help: "Flat arms and sharp corners: adaptive rates beat a single α.",
        params: &[],
        data: None,
        build: build_beale,
    },
    SurfaceDef {
        name: "himmelblau",
        title: "Himmelblau",
        help: "Four equal minima: the start and the method decide which one you reach.",
        params: &[],
        data: None,
        build: build_himmelblau,
    },
    SurfaceDef {
        name: "neuron",
        title: "Sigmoid neuron",
        help: "The lecture's two-point neuron: a plateau, then a steep drop to the minimum.",
        params: &[],
        data: Some(DataDef {
            columns: Columns::Xy,
            generated: 0,
            build: neuron_on,
        }),
        build: build_neuron,
    },
    SurfaceDef {
        name: "sparse",
        title: "Sparse features",
        help: "Most inputs are 0, so w rarely gets gradient: the case for Adagrad.",
        params: SPARSE,
        data: Some(DataDef {
            columns: Columns::Xy,
            generated: 2,
            build: sparse_on,
        }),
        build: build_sparse,
    },
    SurfaceDef {
        name: "linreg",
        title: "Linear regression",
        help: "A convex quadratic from data: compare batch, mini-batch and stochastic GD.",
        params: LINREG,
        data: Some(DataDef {
            columns: Columns::Xy,
            generated: 2,
            build: linreg_on,
        }),
        build: build_linreg,
    },
    SurfaceDef {
        name: "deeplinear",
        title: "Deep linear network",
        help: "A linear net with MSE is still non-convex: a saddle and valleys of minima.",
        params: DEEPLINEAR,
        data: Some(DataDef {
            columns: Columns::Xy,
            generated: 2,
            build: deeplinear_on,
        }),
        build: build_deeplinear,
    },
    SurfaceDef {
        name: "svm",
        title: "Multiclass SVM",
        help: "Hinge loss with L2 on 3 classes: 9 weights, watch the decision regions move.",
        params: SVM,
        data: Some(DataDef {
            columns: Columns::Classes,
            generated: 2,
            build: svm_on,
        }),
        build: build_svm,
    },
];
