//! The code exports in the page (feature `code`, built into the on-demand export module with
//! the SVG exporter): the scenario as a NumPy or PyTorch script, as `gradscape code` writes it.

use wasm_bindgen::prelude::*;

use super::handle::{js_err, Playground};
use crate::core::code::{script, Lang};

#[wasm_bindgen]
impl Playground {
    /// The scenario as a self-contained Python script in `lang` (numpy or pytorch) that
    /// reproduces its runs and prints the CSV of `gradscape run`.
    pub fn code(&self, lang: &str) -> Result<String, JsError> {
        let lang = Lang::from_name(lang)
            .ok_or_else(|| js_err(format!("language `{lang}`: must be {}", Lang::NAMES)))?;
        Ok(script(&self.scenario, lang))
    }
}
