//! Where the gradient comes from: the full data set, shuffled mini-batches (m = 1 is SGD),
//! and seeded Gaussian noise of scale σ for analytic surfaces, which have no data set.

use crate::core::objective::Objective;
use crate::core::optim::TWO_D_FAST_PATHS;
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
/// When m does not divide N, the epoch's last batch holds the N mod m examples left and its
/// gradient is their mean (PyTorch's `drop_last=False`): every example counts once per epoch.
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
        sort_indices(&mut self.buf);
        self.pos = end;
        &self.buf
    }
}

/// Sorts `v` ascending in place: a heapsort, allocation-free and a few hundred bytes of code
/// (`sort_unstable` is about 3.5 KB of the WebAssembly module); batches are at most N long.
fn sort_indices(v: &mut [u32]) {
    fn sift(v: &mut [u32], mut root: usize, end: usize) {
        loop {
            let mut child = 2 * root + 1;
            if child >= end {
                return;
            }
            if child + 1 < end && v[child] < v[child + 1] {
                child += 1;
            }
            if v[root] >= v[child] {
                return;
            }
            v.swap(root, child);
            root = child;
        }
    }
    let n = v.len();
    for start in (0..n / 2).rev() {
        sift(v, start, n);
    }
    for end in (1..n).rev() {
        v.swap(0, end);
        sift(v, 0, end);
    }
}

/// `a == b` for two points, with θ's usual two coordinates compared inline.
#[inline(always)]
fn same_point(a: &[f64], b: &[f64]) -> bool {
    match (<&[f64; 2]>::try_from(a), <&[f64; 2]>::try_from(b)) {
        (Ok(a), Ok(b)) if TWO_D_FAST_PATHS => a[0] == b[0] && a[1] == b[1],
        _ => a == b,
    }
}

/// The gradient oracle of a run: evaluates the configured source and adds noise, reusing the
/// full gradient already computed at the current point when the source is the full batch.
pub(crate) struct SourceOracle<'a> {
    pub objective: &'a dyn Objective,
    /// `objective.examples()`, looked up once per track rather than once per update.
    pub examples: u64,
    pub source: Source,
    pub sampler: Option<&'a mut Sampler>,
    pub rng: &'a mut Rng,
    /// Point and loss of the last full evaluation.
    pub cache_point: &'a [f64],
    pub cache_loss: f64,
    /// The buffer already holding that evaluation's gradient: the run swaps it into the
    /// rule's gradient buffer (`State::g`) before the update, so a call at `cache_point`
    /// that writes there has nothing to do. Compared by address only.
    pub cache_grad_at: *const f64,
    /// Examples the last call consumed.
    pub used: u64,
}

impl SourceOracle<'_> {
    /// Everything but the cached full gradient: a mini-batch, a fresh full evaluation, noise.
    /// Kept out of line so that each rule's specialised loop carries only the fast path.
    #[inline(never)]
    fn evaluate(&mut self, theta: &[f64], g: &mut [f64], cached: bool) -> f64 {
        let loss = match self.sampler.as_deref_mut() {
            Some(sampler) => {
                let idx = sampler.next_batch(self.rng);
                self.used = idx.len() as u64;
                self.objective.batch_loss_grad(theta, idx, g)
            }
            None if cached => self.cache_loss,
            None => self.objective.loss_grad(theta, g),
        };
        if self.source.noise > 0.0 {
            for gi in g.iter_mut() {
                *gi += self.source.noise * self.rng.normal();
            }
        }
        loss
    }
}

impl crate::core::optim::GradientOracle for SourceOracle<'_> {
    // Inlined into each rule's loop natively; one shared copy in the size-bound page build.
    #[cfg_attr(not(target_arch = "wasm32"), inline(always))]
    fn gradient(&mut self, theta: &[f64], g: &mut [f64]) -> f64 {
        // `g` already holds the full gradient at θ when the rule asks at θ, into State::g.
        let cached = self.sampler.is_none()
            && same_point(theta, self.cache_point)
            && std::ptr::eq(g.as_ptr(), self.cache_grad_at);
        if self.sampler.is_none() {
            self.used = self.examples.max(1);
        }
        if cached && self.source.noise == 0.0 {
            return self.cache_loss;
        }
        self.evaluate(theta, g, cached)
    }
}

#[cfg(test)]
mod tests {
    use super::{sort_indices, Sampler};
    use crate::core::rng::Rng;

    /// The batches of the first `count` epochs of a sampler over `n` examples, batch size `m`.
    fn epochs(n: usize, m: usize, seed: u64, count: usize) -> Vec<Vec<Vec<u32>>> {
        let mut sampler = Sampler::new(n, m);
        let mut rng = Rng::new(seed, 0);
        let per_epoch = n.div_ceil(m);
        (0..count)
            .map(|_| {
                (0..per_epoch)
                    .map(|_| sampler.next_batch(&mut rng).to_vec())
                    .collect()
            })
            .collect()
    }

    /// Each epoch is a partition of 0..N into batches of m and one of N mod m; consecutive
    /// epochs are reshuffled. A repeat could happen by chance (1 in 50! for N = 50, m = 1; 1 in
    /// 16,632 for N = 12, m = 5, whose batches are sets) but happens for none of these seeds, so
    /// here a repeat means the shuffle was skipped.
    #[test]
    fn every_epoch_visits_each_example_once_in_a_new_order() {
        for (n, m) in [(50, 1), (50, 7), (12, 5), (3, 3)] {
            for seed in 1..=5 {
                let e = epochs(n, m, seed, 8);
                for (k, batches) in e.iter().enumerate() {
                    let sizes: Vec<usize> = batches.iter().map(Vec::len).collect();
                    let mut want = vec![m; n / m];
                    if n % m != 0 {
                        want.push(n % m);
                    }
                    assert_eq!(sizes, want, "N = {n}, m = {m}, seed {seed}, epoch {k}");
                    let mut seen: Vec<u32> = batches.concat();
                    seen.sort_unstable();
                    assert_eq!(
                        seen,
                        (0..n as u32).collect::<Vec<_>>(),
                        "N = {n}, m = {m}, seed {seed}, epoch {k}: each example once"
                    );
                }
                if m < n {
                    for (k, w) in e.windows(2).enumerate() {
                        assert_ne!(
                            w[0],
                            w[1],
                            "N = {n}, m = {m}, seed {seed}: epoch {} repeats epoch {k}",
                            k + 1
                        );
                    }
                }
            }
        }
    }

    /// A restart goes back to the first epoch's order: the same seed replays the same batches.
    #[test]
    fn reset_replays_the_same_epochs() {
        let mut s = Sampler::new(20, 3);
        let mut rng = Rng::new(4, 0);
        let first: Vec<Vec<u32>> = (0..21).map(|_| s.next_batch(&mut rng).to_vec()).collect();
        s.reset();
        let mut rng = Rng::new(4, 0);
        let again: Vec<Vec<u32>> = (0..21).map(|_| s.next_batch(&mut rng).to_vec()).collect();
        assert_eq!(first, again);
    }

    #[test]
    fn sort_indices_sorts_like_the_standard_sort() {
        let mut rng = Rng::new(7, 0);
        for n in [0, 1, 2, 3, 10, 64, 1000] {
            let mut v: Vec<u32> = (0..n).collect();
            rng.shuffle(&mut v);
            let mut want = v.clone();
            want.sort_unstable();
            sort_indices(&mut v);
            assert_eq!(v, want, "n = {n}");
        }
    }
}
