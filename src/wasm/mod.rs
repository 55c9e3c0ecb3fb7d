//! The thin WebAssembly layer: an opaque [`Playground`] handle for the page, the catalog it
//! builds its controls from, and a scriptable [`Optimizer`] whose `step` runs one update of any
//! rule on a gradient given by a JavaScript function.
//!
//! Every binding returns `Result<_, JsError>` with a message a person can act on; nothing here
//! panics on user input (a panic would abort the whole module). Objects cross the boundary
//! through serde-wasm-bindgen.

mod canvas;
#[cfg(feature = "code")]
mod code;
mod cursor;
mod draw;
mod dto;
mod export;
mod handle;
mod optimizer;
#[cfg(feature = "svg")]
mod svg;
#[cfg(feature = "sweep")]
mod sweep;
mod trails;

pub use handle::Playground;
pub use optimizer::Optimizer;

use wasm_bindgen::prelude::*;

use crate::core::catalog::Catalog;
use crate::render::colour::optimizer_css;

/// The crate version, shown in the page footer.
#[wasm_bindgen]
pub fn version() -> String {
    env!("CARGO_PKG_VERSION").to_string()
}

/// The scenario a page without a link opens on (`catalog().welcome`, without building the
/// catalog: the painter worker's first figure needs only this).
#[wasm_bindgen]
pub fn welcome() -> String {
    crate::core::presets::WELCOME.to_string()
}

/// CSS colour of optimizer `i` (the same palette the views draw with).
#[wasm_bindgen(js_name = optimizerColour)]
pub fn optimizer_colour(i: usize) -> String {
    optimizer_css(i)
}

/// Everything the page builds its controls from: the parameter table (keys, symbols, scopes,
/// ranges, defaults, choices, help), surfaces, rules, presets and the opening scenario.
#[wasm_bindgen]
pub fn catalog() -> Result<JsValue, JsError> {
    dto::to_js(&Catalog::new())
}
