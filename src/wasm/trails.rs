//! The trail layer's canvas: the pieces `render::trails` plans, each stroked by one call into
//! a small JavaScript function that walks a `Float64Array` view of the vertices, instead of a
//! call from wasm per vertex (plotters' canvas backend makes one `lineTo` call per point).

use wasm_bindgen::prelude::*;
use web_sys::{CanvasRenderingContext2d, HtmlCanvasElement};

use super::canvas::{check_dpr, clip_to, context};
use super::handle::Playground;
use crate::render::contour_rect;
use crate::render::trails::Polyline;

#[wasm_bindgen(inline_js = "
export function stroke_polyline(ctx, xy, from, style, width) {
  const n = xy.length >> 1;
  if (n - from < 2) return;
  ctx.beginPath();
  ctx.moveTo(xy[2 * from], xy[2 * from + 1]);
  for (let i = from + 1; i < n; i++) ctx.lineTo(xy[2 * i], xy[2 * i + 1]);
  ctx.strokeStyle = style;
  ctx.lineWidth = width;
  ctx.stroke();
}
export function dot_polyline(ctx, xy, style, r) {
  ctx.beginPath();
  for (let i = 0; i < xy.length; i += 2) {
    ctx.moveTo(xy[i] + r, xy[i + 1]);
    ctx.arc(xy[i], xy[i + 1], r, 0, 2 * Math.PI);
  }
  ctx.fillStyle = style;
  ctx.fill();
  ctx.lineWidth = 1;
  ctx.strokeStyle = \"rgba(255,255,255,0.9)\";
  ctx.stroke();
}
")]
extern "C" {
    /// Stroke vertices `from..` of `xy` (x, y interleaved, device pixels) in one path.
    fn stroke_polyline(
        ctx: &CanvasRenderingContext2d,
        xy: &[f64],
        from: usize,
        style: &str,
        width: f64,
    );
    /// A dot of radius `r` at every vertex of `xy`, ringed in white.
    fn dot_polyline(ctx: &CanvasRenderingContext2d, xy: &[f64], style: &str, r: f64);
}

/// The white halo under a path, as the overlay always drew it.
const HALO: &str = "rgba(255,255,255,0.85)";
/// The casing of the second eight lines: dark, so they differ from the first eight's.
const CASING: &str = "rgba(20,20,20,0.9)";

/// Halo then colour: the halo from the last vertex already on the layer, the colour from the
/// first of the overlap, so the new stroke covers the old one's end without a seam.
fn stroke(ctx: &CanvasRenderingContext2d, p: &Polyline, dpr: f64) {
    let w = |v: f64| (v * dpr).round().max(1.0);
    let (r, g, b) = p.colour;
    let halo = if p.cased { CASING } else { HALO };
    stroke_polyline(
        ctx,
        &p.xy,
        p.overlap.saturating_sub(1),
        halo,
        w(if p.cased { 5.0 } else { 4.0 }),
    );
    let colour = format!("rgb({r},{g},{b})");
    stroke_polyline(ctx, &p.xy, 0, &colour, w(2.0));
    if p.dots {
        dot_polyline(ctx, &p.xy, &colour, (2.5 * dpr).max(1.5));
    }
}

#[wasm_bindgen]
impl Playground {
    /// Bring the trail layer (a transparent `canvas` between the background and the overlay)
    /// up to date: every optimizer's recorded path, stroking only what was added since the
    /// last call unless the view, size or run changed. Empty for the SVM's data view.
    #[wasm_bindgen(js_name = drawTrails)]
    pub fn draw_trails(&mut self, canvas: &HtmlCanvasElement, dpr: f64) -> Result<(), JsError> {
        let dpr = check_dpr(dpr)?;
        self.catch_up();
        let ctx = context(canvas)?;
        let (w, h) = (canvas.width(), canvas.height());
        if self.is_data_view() {
            self.trails.invalidate();
            ctx.clear_rect(0.0, 0.0, w as f64, h as f64);
            return Ok(());
        }
        let rect = contour_rect(w, h, dpr, self.view());
        if self.trails.plan(&self.run, &rect, dpr) {
            ctx.clear_rect(0.0, 0.0, w as f64, h as f64);
        }
        let pieces = self.trails.pieces();
        if !pieces.iter().any(Polyline::is_new) {
            return Ok(());
        }
        clip_to(&ctx, &rect);
        ctx.set_line_join("round");
        ctx.set_line_cap("round");
        for p in pieces.iter().filter(|p| p.is_new()) {
            stroke(&ctx, p, dpr);
        }
        ctx.restore();
        Ok(())
    }
}
