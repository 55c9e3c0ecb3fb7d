//! The charts' hover read-out: at the step under the pointer, every run's value as the chart
//! draws it, and where on the chart that step is (for the cursor line).

use serde::Serialize;
use wasm_bindgen::prelude::*;

use super::dto::to_js;
use super::handle::Playground;
use crate::core::label::line_names;
use crate::render::colour::optimizer_css;
use crate::render::scene::{loss_lines, lr_lines};
use crate::render::{chart_x_max, CHART_LEFT, CHART_RIGHT};

/// One run's value at the cursor.
#[derive(Serialize)]
struct Row {
    name: String,
    colour: String,
    /// The x (step, epoch or examples) of its record nearest the cursor and its value there
    /// (a run that stopped earlier shows its last).
    x: Option<f64>,
    value: Option<f64>,
}

/// What the cursor shows.
#[derive(Serialize)]
struct ChartAt {
    /// The x of the first run's record nearest the pointer (axis units) and its CSS pixel.
    x: f64,
    px: f64,
    x_desc: &'static str,
    y_desc: &'static str,
    rows: Vec<Row>,
}

/// Index of the value of `xs` (ascending) nearest `x`.
fn nearest(xs: &[f64], x: f64) -> Option<usize> {
    let i = xs.partition_point(|v| *v < x);
    match (i.checked_sub(1), xs.get(i)) {
        (Some(j), Some(v)) if x - xs[j] <= v - x => Some(j),
        (_, Some(_)) => Some(i),
        (Some(j), None) => Some(j),
        (None, None) => None,
    }
}

#[wasm_bindgen]
impl Playground {
    /// The chart `kind` ("loss" or "lr") `css_width` CSS pixels wide, read at CSS pixel
    /// `css_x`: the x there and every run's drawn value at its record nearest that x.
    #[wasm_bindgen(js_name = chartAt)]
    pub fn chart_at(&mut self, kind: &str, css_x: f64, css_width: f64) -> Result<JsValue, JsError> {
        self.catch_up();
        let page = &self.scenario.page;
        let (lines, log) = match kind {
            "loss" => (loss_lines(&self.run, page.axis, page.log), page.log),
            "lr" => (lr_lines(&self.run, false), true),
            _ => return Err(JsError::new("chartAt: the charts are loss and lr")),
        };
        let x_max = chart_x_max(&lines.series(), log);
        let span = (css_width - CHART_LEFT - CHART_RIGHT).max(1.0);
        let x = ((css_x - CHART_LEFT) / span).clamp(0.0, 1.0) * x_max;
        let names = line_names(&self.scenario.optimizers);
        let rows = lines
            .xs
            .iter()
            .zip(&lines.ys)
            .zip(lines.meta.iter().filter(|m| !m.1))
            .zip(names)
            .map(|(((xs, ys), &(line, _)), name)| {
                let k = nearest(xs, x);
                Row {
                    name,
                    colour: optimizer_css(line),
                    x: k.map(|k| xs[k]),
                    value: k.map(|k| ys[k]).filter(|y| y.is_finite()),
                }
            })
            .collect::<Vec<Row>>();
        // The cursor snaps to the first run's record (a whole step on a step axis).
        let x = rows.iter().find_map(|r| r.x).unwrap_or(x);
        to_js(&ChartAt {
            x,
            px: CHART_LEFT + x / x_max * span,
            x_desc: lines.x_desc,
            y_desc: lines.y_desc,
            rows,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::nearest;

    #[test]
    fn nearest_picks_the_closer_neighbour_and_the_ends() {
        let xs = [0.0, 1.0, 2.0, 4.0];
        assert_eq!(nearest(&xs, 2.9), Some(2));
        assert_eq!(nearest(&xs, 3.1), Some(3));
        assert_eq!(nearest(&xs, -5.0), Some(0));
        assert_eq!(nearest(&xs, 9.0), Some(3));
        assert_eq!(nearest(&[], 1.0), None);
    }
}
