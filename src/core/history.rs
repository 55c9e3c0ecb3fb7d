//! The per-update records of a run: one row per kept update, decimated by halving when full,
//! so the memory of a run stays bounded however long it goes.

use crate::core::optim::TWO_D_FAST_PATHS;

/// Records kept per optimizer before the history halves its resolution.
pub const HISTORY_CAPACITY: usize = 16_384;

/// Per-update records, one row of `6 + 2·dim` values each, decimated by halving when full, so
/// memory stays bounded (at most [`HISTORY_CAPACITY`] records) however long a run goes.
///
/// A row is written in one go (a single growth check rather than one per column), which
/// keeps recording cheap next to the update it records; read it through the accessors.
#[derive(Debug, Clone, PartialEq)]
pub struct History {
    dim: usize,
    capacity: usize,
    /// Only steps that are multiples of `stride` are kept.
    stride: u64,
    /// Records kept.
    len: usize,
    /// Rows of [step, examples, loss, batch loss, ‖∇L‖², α_t, θ…, effective rates…].
    rows: Vec<f64>,
}

/// Offsets of a row's fields.
const STEP: usize = 0;
const EXAMPLES: usize = 1;
const LOSS: usize = 2;
const BATCH_LOSS: usize = 3;
const GRAD_SQ: usize = 4;
const LR: usize = 5;
const PARAMS: usize = 6;

impl History {
    pub fn new(dim: usize, capacity: usize, expected: usize) -> Self {
        let capacity = capacity.max(2);
        let n = expected.min(capacity);
        History {
            dim,
            capacity,
            stride: 1,
            len: 0,
            rows: Vec::with_capacity(n * (PARAMS + 2 * dim)),
        }
    }

    fn width(&self) -> usize {
        PARAMS + 2 * self.dim
    }

    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Bytes the records' buffer has reserved.
    pub fn capacity_bytes(&self) -> usize {
        std::mem::size_of::<f64>() * self.rows.capacity()
    }

    /// Steps between kept records (1 until the history first fills).
    pub fn stride(&self) -> u64 {
        self.stride
    }

    pub fn clear(&mut self) {
        self.stride = 1;
        self.len = 0;
        self.rows.clear();
    }

    fn row(&self, i: usize) -> &[f64] {
        let w = self.width();
        &self.rows[i * w..(i + 1) * w]
    }

    /// One field of every record, oldest first.
    fn column(&self, field: usize) -> impl ExactSizeIterator<Item = f64> + '_ {
        self.rows.chunks_exact(self.width()).map(move |r| r[field])
    }

    /// Update count of record `i`.
    pub fn step(&self, i: usize) -> u64 {
        self.row(i)[STEP] as u64
    }

    /// Full-objective loss of record `i`.
    pub fn loss(&self, i: usize) -> f64 {
        self.row(i)[LOSS]
    }

    /// ‖∇L(θ)‖ of record `i`.
    pub fn grad_norm(&self, i: usize) -> f64 {
        self.row(i)[GRAD_SQ].sqrt()
    }

    /// θ of record `i`.
    pub fn params_at(&self, i: usize) -> &[f64] {
        &self.row(i)[PARAMS..PARAMS + self.dim]
    }

    /// Effective per-parameter rate of record `i` (NaN before an adaptive rule's first update).
    pub fn eff_lr_at(&self, i: usize) -> &[f64] {
        &self.row(i)[PARAMS + self.dim..]
    }

    /// θ of every record, oldest first.
    pub fn params(&self) -> impl ExactSizeIterator<Item = &[f64]> + '_ {
        let dim = self.dim;
        self.rows
            .chunks_exact(self.width())
            .map(move |r| &r[PARAMS..PARAMS + dim])
    }

    /// Update counts of every record (exact: they stay far below 2⁵³).
    pub fn steps(&self) -> impl ExactSizeIterator<Item = f64> + '_ {
        self.column(STEP)
    }

    /// Examples whose gradients were evaluated up to each record.
    pub fn examples_seen(&self) -> impl ExactSizeIterator<Item = f64> + '_ {
        self.column(EXAMPLES)
    }

    /// Full-objective loss of every record.
    pub fn losses(&self) -> impl ExactSizeIterator<Item = f64> + '_ {
        self.column(LOSS)
    }

    /// Loss of the batch each record's update used.
    pub fn batch_losses(&self) -> impl ExactSizeIterator<Item = f64> + '_ {
        self.column(BATCH_LOSS)
    }

    /// ‖∇L(θ)‖ of every record.
    pub fn grad_norms(&self) -> impl ExactSizeIterator<Item = f64> + '_ {
        self.column(GRAD_SQ).map(f64::sqrt)
    }

    /// α_t of every record.
    pub fn lrs(&self) -> impl ExactSizeIterator<Item = f64> + '_ {
        self.column(LR)
    }

    /// Whether a record of `step` is on the current stride. The stride is a power of two
    /// (1, doubled by each halving), so this is a mask rather than a division.
    #[inline]
    fn on_stride(&self, step: u64) -> bool {
        step & (self.stride - 1) == 0
    }

    /// Whether a record of `step` would be kept; halves first when full, so that a `true`
    /// is followed by [`History::push`] of that step.
    #[inline]
    pub(crate) fn wants(&mut self, step: u64) -> bool {
        if !self.on_stride(step) {
            return false;
        }
        if self.len() >= self.capacity {
            self.halve();
            return self.on_stride(step);
        }
        true
    }

    /// Append one row: the six scalars, θ, and the effective rates that `eff` writes into
    /// the row's last `dim` slots.
    #[inline]
    pub(crate) fn push(
        &mut self,
        head: [f64; PARAMS],
        theta: &[f64],
        eff: impl FnOnce(&mut [f64]),
    ) {
        if let (true, Ok(&[x, y])) = (TWO_D_FAST_PATHS, <&[f64; 2]>::try_from(theta)) {
            // The surfaces' case: the whole row in one copy of a fixed size.
            let [a, b, c, d, e, f] = head;
            self.rows
                .extend_from_slice(&[a, b, c, d, e, f, x, y, 0.0, 0.0]);
            let at = self.rows.len() - 2;
            eff(&mut self.rows[at..]);
            self.len += 1;
            return;
        }
        self.rows.reserve(PARAMS + 2 * theta.len());
        self.rows.extend_from_slice(&head);
        extend_short(&mut self.rows, theta);
        // Room for the rates (θ again, overwritten at once).
        extend_short(&mut self.rows, theta);
        let at = self.rows.len() - theta.len();
        eff(&mut self.rows[at..]);
        self.len += 1;
    }

    /// Drop every record whose step is not a multiple of twice the stride.
    fn halve(&mut self) {
        let stride = self.stride * 2;
        let w = self.width();
        let mut kept = 0;
        for i in 0..self.len() {
            if (self.rows[i * w + STEP] as u64).is_multiple_of(stride) {
                self.rows.copy_within(i * w..(i + 1) * w, kept * w);
                kept += 1;
            }
        }
        self.rows.truncate(kept * w);
        self.len = kept;
        self.stride = stride;
    }
}

/// `v.extend_from_slice(s)`, with a few values pushed one by one: the general form calls
/// `memcpy`, which costs more than the copy for θ's usual two values.
#[inline(always)]
fn extend_short(v: &mut Vec<f64>, s: &[f64]) {
    if s.len() <= 4 {
        for &x in s {
            v.push(x);
        }
    } else {
        v.extend_from_slice(s);
    }
}
