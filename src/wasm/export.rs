//! The handle's read-outs for scripts and downloads: paths and losses as typed arrays, the
//! CSV and JSON exports, which equal `gradscape run` of the same text, and the legend and SVG
//! of the exported pictures (the SVG exporter is src/wasm/svg.rs).

use plotters::prelude::IntoDrawingArea;
use wasm_bindgen::prelude::*;
use web_sys::HtmlCanvasElement;

use super::canvas::{backend, check_dpr};
use super::handle::{js_err, Playground};
use crate::core::export;
use crate::core::label::line_names;
use crate::core::scenario::Scenario;
use crate::render::colour::{optimizer_colour, second_eight};
use crate::render::{draw_legend, legend_height, LegendEntry};

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
    /// Names and lines of every optimizer, for a legend.
    pub(super) fn legend_names(&self) -> Vec<(String, usize)> {
        line_names(&self.scenario.optimizers)
            .into_iter()
            .zip(self.scenario.optimizers.iter().enumerate())
            .map(|(name, (i, o))| (name, o.line(i)))
            .collect()
    }

    fn replay_scenario(&self) -> Scenario {
        let mut s = self.scenario.clone();
        s.start = Some(self.run.start.clone());
        s.stopping.max_steps = self.current_step();
        s
    }
}

#[wasm_bindgen]
impl Playground {
    /// Height in device pixels of the legend under an exported view `width` pixels wide.
    #[wasm_bindgen(js_name = legendHeight)]
    pub fn legend_height(&self, width: u32, dpr: f64) -> Result<u32, JsError> {
        let dpr = check_dpr(dpr)?;
        let names = self.legend_names();
        Ok(legend_height(&entries(&names), width, dpr))
    }

    /// Draw the legend (every optimizer's line sample and name) over all of `canvas`.
    #[wasm_bindgen(js_name = drawLegend)]
    pub fn draw_legend(&self, canvas: &HtmlCanvasElement, dpr: f64) -> Result<(), JsError> {
        let dpr = check_dpr(dpr)?;
        let names = self.legend_names();
        let root = backend(canvas)?.into_drawing_area();
        draw_legend(&root, dpr, &entries(&names)).map_err(|e| JsError::new(&e))?;
        root.present()
            .map_err(|e| js_err(format!("drawing failed: {e}")))
    }
}

/// Legend entries of `(name, line)` pairs.
pub(super) fn entries(names: &[(String, usize)]) -> Vec<LegendEntry<'_>> {
    names
        .iter()
        .map(|(name, line)| LegendEntry {
            colour: optimizer_colour(*line),
            second: second_eight(*line),
            name,
        })
        .collect()
}
