//! The gallery: one preset per lesson of the lecture plus the classic races. Each is plain
//! scenario text (so `?preset=NAME` expands to text that can be edited and shared), with a
//! title and a short note on what to notice. `tests/presets.rs`, `tests/lessons.rs` and
//! `tests/lessons_late.rs` run every preset and check its lesson on the numbers.

/// A named scenario with its lesson.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct Preset {
    /// `?preset=NAME`.
    pub name: &'static str,
    pub title: &'static str,
    /// What to watch and why, in two or three sentences.
    pub explain: &'static str,
    /// Lesson number in the lecture's list (1–12), or 0 for a race.
    pub lesson: u8,
    /// Full scenario text.
    pub text: &'static str,
}

/// The scenario the page opens with when its link carries none: the four classic rules racing
/// down Rosenbrock's valley.
pub const WELCOME: &str = "v=1&surface=rosenbrock&start=-1.5,2&seed=1&steps=3000&opt=gd:lr=0.001&opt=momentum:lr=0.001,gamma=0.9&opt=nesterov:lr=0.001,gamma=0.9&opt=adam:lr=0.05,rho1=0.9,rho2=0.999,delta=1e-8,bias_correction=true";

/// Every preset, in gallery order: the lessons 1–12, then the races.
pub static PRESETS: &[Preset] = &[
    Preset {
        name: "steep-and-flat",
        title: "Long steps where it is steep",
        explain: "A GD step is α times the gradient, so its length follows the slope. On the \
                  neuron's plateau the dots are packed together, down the steep drop they \
                  spread far apart, and near the flat minimum they bunch up again.",
        lesson: 1,
        text: "v=1&surface=neuron&start=-2,-2&seed=1&steps=200&opt=gd:lr=2&arrows=true&speed=1",
    },
    Preset {
        name: "plateau-crawl",
        title: "Crawling across a plateau",
        explain: "Far from the well the surface is almost flat, so GD with α = 0.1 has barely \
                  moved after 500 steps while α = 0.9 is down in under 200. Past the well's \
                  stability bound 2/λ_max = 1 a larger α does not help: α = 1.5 bounces \
                  across the well for ever and α = 5 is thrown back onto the plain.",
        lesson: 2,
        text: "v=1&surface=plateau:width=1&start=2.2,1.6&seed=1&steps=500\
               &opt=gd:lr=0.1&opt=gd:lr=0.9&opt=gd:lr=1.5&opt=gd:lr=5",
    },
    Preset {
        name: "stability-bound",
        title: "Just below and just above 2/κ",
        explain: "On the valley ½(x² + κy²) the steepest curvature is κ = 10, so GD is stable \
                  only for α < 2/κ = 0.2. At α = 0.19 each step across the valley flips sign \
                  and shrinks by 10%; at α = 0.21 it flips and grows by 10% until the run \
                  is reported diverged.",
        lesson: 2,
        text: "v=1&surface=ellipse:kappa=10&start=-4.5,2&seed=1&steps=300\
               &opt=gd:lr=0.19&opt=gd:lr=0.21",
    },
    Preset {
        name: "momentum-overshoots",
        title: "Momentum: fast, but overshoots",
        explain: "Same α, same start on the sigmoid neuron. GD creeps along the plateau, while \
                  momentum's velocity builds up: after 100 updates its loss is about a hundred \
                  times lower. The price: it runs past the minimum and has to swing back.",
        lesson: 3,
        text: "v=1&surface=neuron&start=-2,-2&seed=1&steps=300\
               &opt=gd:lr=1&opt=momentum:lr=1,gamma=0.9",
    },
    Preset {
        name: "nesterov-looks-ahead",
        title: "Nesterov looks before it leaps",
        explain: "Same α and γ for both. Nesterov takes its gradient at the look-ahead point \
                  θ − γv, so it feels the slope turn before it gets there and brakes earlier: \
                  it runs about half as far past the minimum as plain momentum.",
        lesson: 4,
        text: "v=1&surface=neuron&start=-2,-2&seed=1&steps=300\
               &opt=momentum:lr=1,gamma=0.9&opt=nesterov:lr=1,gamma=0.9",
    },
    Preset {
        name: "sgd-zigzag",
        title: "SGD zigzags, batches smooth it",
        explain: "The same α and number of updates, with gradients from 1, 2, 10 or all 50 \
                  examples. One example's gradient points in a rather random direction, so \
                  SGD's path zigzags; averaging over a mini-batch straightens it, and the full \
                  batch follows a smooth curve.",
        lesson: 5,
        text: "v=1&surface=linreg:n=50,data_seed=1&start=-2,3&seed=1&steps=150\
               &opt=gd:lr=0.05,batch=1&opt=gd:lr=0.05,batch=2&opt=gd:lr=0.05,batch=10\
               &opt=gd:lr=0.05",
    },
    Preset {
        name: "noise-escapes-saddle",
        title: "Noise escapes a saddle",
        explain: "Started on the saddle's stable line, plain GD slides straight into the saddle \
                  and stops: the gradient there is zero. Five noisy runs (each with its own \
                  random stream) are nudged off the line and roll down into one of the two \
                  minima.",
        lesson: 6,
        text: "v=1&surface=saddle&start=2,0&seed=1&steps=300&opt=gd:lr=0.1\
               &opt=gd:lr=0.1,noise=0.05&opt=gd:lr=0.1,noise=0.05&opt=gd:lr=0.1,noise=0.05\
               &opt=gd:lr=0.1,noise=0.05&opt=gd:lr=0.1,noise=0.05",
    },
    Preset {
        name: "noise-escapes-local-minimum",
        title: "Noise escapes a shallow minimum",
        explain: "Plain GD settles in the shallow basin it starts in, top left. Four runs with \
                  strong gradient noise are kicked over its rim; a step schedule halves α every \
                  200 updates, so they calm down in one of the two deeper basins below.",
        lesson: 6,
        text: "v=1&surface=minima&start=-3.5,4&seed=1&steps=800&opt=gd:lr=0.3,name=plain GD\
               &opt=gd:lr=0.3,noise=2,schedule=step,every=200,factor=0.5,name=noisy 1\
               &opt=gd:lr=0.3,noise=2,schedule=step,every=200,factor=0.5,name=noisy 2\
               &opt=gd:lr=0.3,noise=2,schedule=step,every=200,factor=0.5,name=noisy 3\
               &opt=gd:lr=0.3,noise=2,schedule=step,every=200,factor=0.5,name=noisy 4\
               &speed=10",
    },
    Preset {
        name: "learning-rate-schedules",
        title: "Too small, too large, scheduled",
        explain: "On the bowl, α = 0.001 is still far from the minimum after 1000 steps and \
                  α = 1.05 (above 2/λ_max = 1) diverges. With noisy gradients a constant α = 0.1 \
                  keeps jittering around the minimum; the step, exponential and 1/t schedules \
                  shrink α and settle much closer.",
        lesson: 7,
        text: "v=1&surface=bowl&start=-4,3.5&seed=1&steps=1000\
               &opt=gd:lr=0.001&opt=gd:lr=1.05&opt=gd:lr=0.1,noise=1\
               &opt=gd:lr=0.1,noise=1,schedule=step,every=100,factor=0.5\
               &opt=gd:lr=0.1,noise=1,schedule=exp,k=0.01\
               &opt=gd:lr=0.1,noise=1,schedule=inv,k=0.1",
    },
    Preset {
        name: "adagrad-sparse",
        title: "Adagrad and sparse features",
        explain: "Most examples have x = 0, so the weight w rarely gets a gradient and GD \
                  hardly moves it. Adagrad divides by the root of each parameter's own summed \
                  squared gradients, so the rare w gets a large rate and moves early; its \
                  effective rates only ever shrink.",
        lesson: 8,
        text: "v=1&surface=sparse:n=100,data_seed=1&start=-3,-3&seed=1&steps=300\
               &opt=gd:lr=0.5&opt=adagrad:lr=0.5,delta=1e-7&eff=true",
    },
    Preset {
        name: "rmsprop-keeps-going",
        title: "Where Adagrad stalls, RMSProp goes",
        explain: "Same α on the plateau. Adagrad's sum r only grows, so its effective rate \
                  keeps falling and it stalls on the flat plain. RMSProp's decaying average \
                  forgets old gradients: its rate drops on the slope, recovers at the bottom, \
                  and it reaches the minimum.",
        lesson: 9,
        text: "v=1&surface=plateau:width=1&start=2.2,1.6&seed=1&steps=1000\
               &opt=adagrad:lr=0.01,delta=1e-7&opt=rmsprop:lr=0.01,rho=0.9,delta=1e-6&eff=true",
    },
    Preset {
        name: "adam-bias-correction",
        title: "Adam's bias correction",
        explain: "Corrected, Adam's first step (the first dot) is α long per coordinate. \
                  Without correction it is scaled by (1−ρ₁)/√(1−ρ₂): 0.32 with ρ₁ = 0.99, so \
                  the early steps are too small as the lecture says, but 3.2 with the default \
                  ρ₁ = 0.9, so there they are too large. After 60 updates each corrected run is \
                  the lower of its pair.",
        lesson: 10,
        text: "v=1&surface=bowl&start=-4,3.5&seed=1&steps=60\
               &opt=adam:lr=0.1,rho1=0.99,rho2=0.999,delta=1e-8,bias_correction=true,name=ρ₁ 0.99 corrected\
               &opt=adam:lr=0.1,rho1=0.99,rho2=0.999,delta=1e-8,bias_correction=false,name=ρ₁ 0.99 uncorrected\
               &opt=adam:lr=0.1,rho1=0.9,rho2=0.999,delta=1e-8,bias_correction=true,name=ρ₁ 0.9 corrected\
               &opt=adam:lr=0.1,rho1=0.9,rho2=0.999,delta=1e-8,bias_correction=false,name=ρ₁ 0.9 uncorrected\
               &speed=0.25",
    },
    Preset {
        name: "cliff-explodes",
        title: "A cliff throws GD away",
        explain: "On the wall the gradient is many times larger than on the way there, and \
                  with α = 1 one step hurls the iterate 23 units across the basin, to five times \
                  the loss it started at: the spike in its loss curve (drawn on a linear axis). It finds its way back \
                  only because this basin is a plain bowl; with α = 0.2 GD walks down the wall \
                  without being thrown.",
        lesson: 11,
        text: "v=1&surface=cliff:height=5,steepness=24&start=3,1&seed=1&steps=400\
               &opt=gd:lr=1&opt=gd:lr=0.2&view=-25,5,-15,15&log=0",
    },
    Preset {
        name: "saddle-vanishing-gradient",
        title: "A saddle: no slope, no minimum",
        explain: "The linear network starts almost on the saddle's stable line. GD slides to \
                  the origin, where the gradient all but vanishes although the loss is still \
                  about 90 times the minimum's: the flat stretch of the loss curve. Then it \
                  slowly turns away into a valley.",
        lesson: 11,
        text: "v=1&surface=deeplinear:n=30,data_seed=1&start=2,-1.99999&seed=1&steps=400\
               &opt=gd:lr=0.1",
    },
    Preset {
        name: "hessian-test",
        title: "Am I in a minimum? Ask the Hessian",
        explain: "All four runs stop moving with a near-zero gradient, so the gradient cannot \
                  tell them apart. The Hessian can: where GD and momentum stopped its \
                  eigenvalues are 2 and −1 (a saddle); where the noisy runs settled both are \
                  positive (a minimum).",
        lesson: 12,
        text: "v=1&surface=saddle&start=2,0&seed=1&steps=1000\
               &opt=gd:lr=0.1&opt=momentum:lr=0.05,gamma=0.9\
               &opt=gd:lr=0.1,noise=0.05,schedule=exp,k=0.01\
               &opt=gd:lr=0.1,noise=0.05,schedule=step,every=100,factor=0.5",
    },
    Preset {
        name: "rosenbrock-race",
        title: "Race on Rosenbrock",
        explain: "All six rules from the same start in Rosenbrock's curved valley. GD reaches \
                  the valley floor fast and then crawls along it; momentum, Nesterov and Adam \
                  carry speed along the floor and finish at (1, 1).",
        lesson: 0,
        text: "v=1&surface=rosenbrock:a=1,b=100&start=-1.5,2&seed=1&steps=2000\
               &opt=gd:lr=0.001&opt=momentum:lr=0.001,gamma=0.9&opt=nesterov:lr=0.001,gamma=0.9\
               &opt=adagrad:lr=0.5,delta=1e-7&opt=rmsprop:lr=0.01,rho=0.9,delta=1e-6\
               &opt=adam:lr=0.05,rho1=0.9,rho2=0.999,delta=1e-8",
    },
    Preset {
        name: "beale-race",
        title: "Race on Beale",
        explain: "From this steep flank GD can use at most α ≈ 0.005 (twice that diverges at \
                  once), so it crawls along Beale's flat arm and needs about 2400 updates to \
                  reach (3, 0.5). RMSProp and Adam scale each step by the gradient's own size \
                  and arrive several times sooner; RMSProp's α halves every 200 updates so it \
                  settles instead of jittering around the minimum.",
        lesson: 0,
        text: "v=1&surface=beale&start=2,2&seed=1&steps=3000\
               &opt=gd:lr=0.005&opt=gd:lr=0.01&opt=momentum:lr=0.001,gamma=0.9\
               &opt=nesterov:lr=0.0005,gamma=0.9&opt=adagrad:lr=2,delta=1e-7\
               &opt=rmsprop:lr=0.01,rho=0.9,delta=1e-6,schedule=step,every=200,factor=0.5\
               &opt=adam:lr=0.2,rho1=0.9,rho2=0.999,delta=1e-8",
    },
    Preset {
        name: "saddle-race",
        title: "Race off a saddle",
        explain: "Every rule starts a millionth off the saddle's stable line. The slope away \
                  from the saddle is proportional to that tiny distance, so GD lingers \
                  longest; momentum gathers speed and the adaptive rules rescale the small \
                  gradient, so they all leave sooner, Adagrad and Adam much sooner.",
        lesson: 0,
        text: "v=1&surface=saddle&start=2,0.000001&seed=1&steps=500\
               &opt=gd:lr=0.1&opt=momentum:lr=0.05,gamma=0.9&opt=nesterov:lr=0.05,gamma=0.9\
               &opt=adagrad:lr=0.5,delta=1e-7&opt=rmsprop:lr=0.02,rho=0.9,delta=1e-6\
               &opt=adam:lr=0.05,rho1=0.9,rho2=0.999,delta=1e-8",
    },
    Preset {
        name: "deep-linear-nonconvex",
        title: "Is a deep linear net convex?",
        explain: "No. From one start, three GD runs end at three different minima, the largest \
                  α jumping over the saddle into the mirror valley where both weights are \
                  negative; all share the product w₁w₂. The loss halfway between two minima is \
                  higher than at both, which a convex loss cannot do.",
        lesson: 0,
        text: "v=1&surface=deeplinear:n=30,data_seed=1&start=2.5,1.5&seed=1&steps=500\
               &opt=gd:lr=0.05&opt=gd:lr=0.3&opt=gd:lr=0.45",
    },
    Preset {
        name: "svm-examples-seen",
        title: "SGD vs batch per example seen",
        explain: "The loss chart counts examples seen, up to the 600 that SGD's 600 updates \
                  use (10 epochs). At the same α, SGD and mini-batches update after every few \
                  examples and are far ahead of batch GD, which has made 10 updates by then. On \
                  this small, easy data set a batch GD with a much larger α catches up, though.",
        lesson: 0,
        text: "v=1&surface=svm:n=60,data_seed=1,margin=1,lambda=0.01&start=0,0,0,0,0,0,0,0,0\
               &seed=1&steps=600&opt=gd:lr=0.03,batch=1&opt=gd:lr=0.03,batch=10\
               &opt=gd:lr=0.03&opt=gd:lr=0.5&axis=examples",
    },
    Preset {
        name: "cars-valley",
        title: "Real data: a long, narrow valley",
        explain: "Stopping distance = w · speed + b on 50 real cars: the speeds (4–25 mph) are \
                  far from 0, so w and b trade off and the loss is a valley 2,600 times longer \
                  than wide. GD at α = 0.007, just under 2/λ_max, drops into it at once, then \
                  crawls along it: b is still 2 ft off after 1,300 steps. Momentum and \
                  Adam reach the least-squares line 3.93 · speed − 17.6 in about 800.",
        lesson: 0,
        text: "v=1&surface=linreg&data=cars&start=0,-13&seed=1&steps=1300\
               &opt=gd:lr=0.007&opt=momentum:lr=0.007,gamma=0.9&opt=adam:lr=0.5",
    },
    Preset {
        name: "iris-svm",
        title: "Real data: Fisher's irises",
        explain: "The SVM learns three species of iris from petal length and width. Adam is \
                  at the bottom within 200 steps; GD is still above it after 600. Neither reaches a loss \
                  of 0: setosa stands apart, but a few versicolor and virginica flowers have \
                  the same petals and stay on the wrong side whatever the optimizer does.",
        lesson: 0,
        text: "v=1&surface=svm:margin=1,lambda=0.01&data=iris&start=0,0,0,0,0,0,0,0,0&seed=1\
               &steps=600&opt=gd:lr=0.05&opt=adam:lr=0.05",
    },
];

/// Look a preset up by name.
pub fn preset(name: &str) -> Option<&'static Preset> {
    PRESETS.iter().find(|p| p.name == name)
}
