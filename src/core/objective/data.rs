//! Data-set losses.

use super::SurfaceDef;

/// Every built-in surface, in picker order.
pub static SURFACES: &[SurfaceDef] = &[];
