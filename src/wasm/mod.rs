//! The JavaScript-facing API, exported with `wasm-bindgen` (see `www/main.js`).
//!
//! Everything here is a thin wrapper over [`crate::core`]; it compiles natively too, so
//! `cargo test` and clippy check it.

use wasm_bindgen::prelude::*;

/// The crate version, e.g. `"0.1.0"`.
#[wasm_bindgen]
pub fn version() -> String {
    env!("CARGO_PKG_VERSION").to_string()
}

/// The scenario names of every surface in the registry, in registry order.
#[wasm_bindgen]
pub fn surface_names() -> Vec<String> {
    crate::core::objective::SURFACES
        .iter()
        .map(|d| d.name.to_string())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn version_is_the_crate_version() {
        assert_eq!(version(), env!("CARGO_PKG_VERSION"));
    }

    #[test]
    fn surface_names_follow_the_registry() {
        let names = surface_names();
        assert_eq!(names.len(), crate::core::objective::SURFACES.len());
        for (n, d) in names.iter().zip(crate::core::objective::SURFACES) {
            assert_eq!(n, d.name);
        }
    }
}
