//! The plain objects the page reads, serialized by serde-wasm-bindgen: notices, per-optimizer
//! status, the geometry at a point and the surface's facts.

use serde::Serialize;
use wasm_bindgen::prelude::*;

/// `v` as a plain JS object (structs become objects, `Vec`s arrays, `None` undefined).
pub(crate) fn to_js<T: Serialize + ?Sized>(v: &T) -> Result<JsValue, JsError> {
    v.serialize(&serde_wasm_bindgen::Serializer::new())
        .map_err(|e| JsError::new(&format!("internal: could not build a value for JS: {e}")))
}

/// A problem found in a shared link.
#[derive(Serialize)]
pub(crate) struct Notice {
    pub key: String,
    pub value: String,
    pub message: String,
    pub text: String,
}

/// A challenge's progress (`Playground.challenge`).
#[derive(Serialize)]
pub(crate) struct Challenge {
    /// The goal for people: `loss < 1e-3`.
    pub goal: String,
    pub within: Option<f64>,
    pub step: f64,
    /// The lowest value of the goal's measure so far, and whose it is.
    pub best: Option<f64>,
    pub best_by: Option<String>,
    pub state: &'static str,
    /// The step the goal was met at, by which optimizer.
    pub passed_at: Option<f64>,
    pub by: Option<String>,
    pub by_index: Option<usize>,
}

/// One optimizer's progress, for its status line.
#[derive(Serialize)]
pub(crate) struct Status {
    pub index: usize,
    pub rule: &'static str,
    pub title: &'static str,
    /// What the key and legends call it (its name, or its rule and what differs).
    pub name: String,
    /// Its line: palette colour and, from 8 on, the second eight's dash, casing and square.
    pub line: usize,
    /// The first optimizer before it that stands on the same point at the same step (its
    /// line hides this one's), if any.
    pub same_point_as: Option<usize>,
    pub text: String,
    pub colour: String,
    pub step: f64,
    pub epoch: f64,
    pub examples: f64,
    pub loss: f64,
    pub batch_loss: f64,
    pub grad_norm: f64,
    pub lr: f64,
    /// running | converged | stopped | saddle | maximum (stopped at one) | diverged
    pub state: &'static str,
    /// "converged at step 37", "stopped at a saddle point at step 89", "diverged at step 12 (…)", …
    pub status: String,
    pub theta: Vec<f64>,
}

/// The local geometry at a point of the contour.
#[derive(Serialize)]
pub(crate) struct Point {
    pub x: f64,
    pub y: f64,
    pub loss: f64,
    pub gradient: [f64; 2],
    pub grad_norm: f64,
    pub eigenvalues: [f64; 2],
    pub eigenvectors: [[f64; 2]; 2],
    /// What the readout shows: "minimum", "maximum" or "saddle" only at a critical point,
    /// else the shape ("curves up in every direction", …).
    pub kind: &'static str,
    pub critical: bool,
    pub stability_bound: f64,
}

#[derive(Serialize)]
pub(crate) struct Critical {
    pub kind: &'static str,
    pub at: Vec<f64>,
}

/// Facts about the current surface.
#[derive(Serialize)]
pub(crate) struct SurfaceFacts {
    pub name: &'static str,
    pub title: &'static str,
    pub help: &'static str,
    pub dim: usize,
    pub examples: usize,
    pub view: [f64; 4],
    pub default_view: [f64; 4],
    pub start: Vec<f64>,
    pub critical: Vec<Critical>,
    pub log_scale: bool,
    pub axes: (&'static str, &'static str),
    /// The SVM classifier: drawn as data with decision regions instead of a contour.
    pub data_view: bool,
    /// Heatmap cells whose loss is not finite (reported, not drawn as colour).
    pub non_finite_cells: usize,
}
