//! The handle's read-outs for scripts and downloads: paths and losses as typed arrays, and the
//! CSV and JSON exports, which equal `gradscape run` of the same text.

use wasm_bindgen::prelude::*;

use super::handle::{js_err, Playground};
use crate::core::export;
use crate::core::scenario::Scenario;

#[wasm_bindgen]
impl Playground {
    /// θ₀, θ₁ pairs of optimizer `i`'s kept records (interleaved), for scripts and tests.
    pub fn path(&mut self, i: usize) -> Result<Vec<f64>, JsError> {
        self.catch_up();
        let t = self
            .run
            .tracks
            .get(i)
            .ok_or_else(|| JsError::new(&format!("no optimizer {i}")))?;
        let h = &t.history;
        Ok((0..h.len())
            .flat_map(|k| h.params_at(k)[..2].to_vec())
            .collect())
    }

    /// Full-objective loss of optimizer `i`'s kept records.
    pub fn losses(&mut self, i: usize) -> Result<Vec<f64>, JsError> {
        self.catch_up();
        self.run
            .tracks
            .get(i)
            .map(|t| t.history.losses().collect())
            .ok_or_else(|| JsError::new(&format!("no optimizer {i}")))
    }

    /// Every step so far as CSV, the CLI's columns (`gradscape run` on the scenario text with
    /// `steps` set to how far the run has gone gives the same file).
    #[wasm_bindgen(js_name = exportCsv)]
    pub fn export_csv(&mut self) -> Result<String, JsError> {
        self.catch_up();
        let mut run = self.replay_scenario().build_run();
        let mut out = String::new();
        export::write_csv(&mut out, &mut run).map_err(js_err)?;
        Ok(out)
    }

    /// Every step so far as JSON (the CLI's `--format json`).
    #[wasm_bindgen(js_name = exportJson)]
    pub fn export_json(&mut self) -> Result<String, JsError> {
        self.catch_up();
        let s = self.replay_scenario();
        let mut run = s.build_run();
        let mut out = String::new();
        export::write_json(&mut out, &mut run, &s).map_err(js_err)?;
        Ok(out)
    }
}

impl Playground {
    fn replay_scenario(&self) -> Scenario {
        let mut s = self.scenario.clone();
        s.start = Some(self.run.start.clone());
        s.stopping.max_steps = self.current_step();
        s
    }
}
