//! Where the gradient comes from: the full data set, shuffled mini-batches (m = 1 is SGD),
//! and seeded Gaussian noise of scale σ for analytic surfaces, which have no data set.

use crate::core::objective::Objective;
use crate::core::rng::Rng;

/// The gradient source of one optimizer.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Source {
    /// Mini-batch size m; `None` is the full batch.
    pub batch_size: Option<u32>,
    /// σ of the Gaussian noise added to every gradient coordinate (0: none).
    pub noise: f64,
}

impl Source {
    /// Full-batch, noiseless: the gradient at a point is a pure function of the point.
    pub fn is_deterministic(&self) -> bool {
        self.batch_size.is_none() && self.noise == 0.0
    }
}

/// Shuffles the example indices every epoch and hands out consecutive batches of m of them.
/// Each batch is sorted, so a batch covering the whole set sums in the same order as the
/// full gradient (m = N is batch GD bit for bit).
#[derive(Debug, Clone)]
pub struct Sampler {
    perm: Vec<u32>,
    pos: usize,
    batch: usize,
    buf: Vec<u32>,
}

impl Sampler {
    /// A sampler over `n` examples with batch size `m` (clamped to 1..=n).
    pub fn new(n: usize, m: usize) -> Self {
        let m = m.clamp(1, n.max(1));
        Sampler {
            perm: (0..n as u32).collect(),
            pos: 0,
            batch: m,
            buf: Vec::with_capacity(m),
        }
    }

    /// Start over at the beginning of an epoch, with the identity order.
    pub fn reset(&mut self) {
        for (i, p) in self.perm.iter_mut().enumerate() {
            *p = i as u32;
        }
        self.pos = 0;
    }

    /// The next batch; reshuffles when a new epoch starts. Allocation-free.
    pub fn next_batch(&mut self, rng: &mut Rng) -> &[u32] {
        if self.pos >= self.perm.len() {
            self.pos = 0;
        }
        if self.pos == 0 {
            rng.shuffle(&mut self.perm);
        }
        let end = (self.pos + self.batch).min(self.perm.len());
        self.buf.clear();
        self.buf.extend_from_slice(&self.perm[self.pos..end]);
        self.buf.sort_unstable();
        self.pos = end;
        &self.buf
    }
}

/// `dst.copy_from_slice(src)`, with θ's usual two values copied inline: the general form
/// is a call into `memcpy`, which costs more than the copy on this per-update path.
#[inline(always)]
pub(crate) fn copy_short(dst: &mut [f64], src: &[f64]) {
    match (
        <&mut [f64; 2]>::try_from(&mut *dst),
        <&[f64; 2]>::try_from(src),
    ) {
        (Ok(d), Ok(s)) => *d = *s,
        _ => dst.copy_from_slice(src),
    }
}

/// The gradient oracle of a run: evaluates the configured source and adds noise, reusing the
/// full gradient already computed at the current point when the source is deterministic.
pub(crate) struct SourceOracle<'a> {
    pub objective: &'a dyn Objective,
    /// `objective.examples()`, looked up once per track rather than once per update.
    pub examples: u64,
    pub source: Source,
    pub sampler: Option<&'a mut Sampler>,
    pub rng: &'a mut Rng,
    /// Point, loss and gradient of the last full evaluation.
    pub cache_point: &'a [f64],
    pub cache_grad: &'a [f64],
    pub cache_loss: f64,
    /// Examples the last call consumed.
    pub used: u64,
}

impl crate::core::optim::GradientOracle for SourceOracle<'_> {
    fn gradient(&mut self, theta: &[f64], g: &mut [f64]) -> f64 {
        let loss = match self.sampler.as_deref_mut() {
            Some(sampler) => {
                let idx = sampler.next_batch(self.rng);
                self.used = idx.len() as u64;
                self.objective.batch_loss_grad(theta, idx, g)
            }
            None => {
                self.used = self.examples.max(1);
                if theta == self.cache_point {
                    copy_short(g, self.cache_grad);
                    self.cache_loss
                } else {
                    self.objective.loss_grad(theta, g)
                }
            }
        };
        if self.source.noise > 0.0 {
            for gi in g.iter_mut() {
                *gi += self.source.noise * self.rng.normal();
            }
        }
        loss
    }
}
