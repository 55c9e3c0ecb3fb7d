//! Canvas plumbing: 2-D contexts, plotters backends, the device-pixel-ratio check, and the
//! heatmap blit (one `putImageData` on a small scratch canvas, then one scaled `drawImage`).

use plotters_canvas::CanvasBackend;
use wasm_bindgen::prelude::*;
use wasm_bindgen::{Clamped, JsCast};
use web_sys::{CanvasRenderingContext2d, HtmlCanvasElement, ImageData, OffscreenCanvas};

use crate::render::PlotRect;

pub(crate) fn context(canvas: &HtmlCanvasElement) -> Result<CanvasRenderingContext2d, JsError> {
    // Unchecked: an OffscreenCanvas (the painter worker's canvases, the heatmap's scratch)
    // has an OffscreenCanvasRenderingContext2D, which has the same calls under another name.
    canvas
        .get_context("2d")
        .ok()
        .flatten()
        .map(JsCast::unchecked_into::<CanvasRenderingContext2d>)
        .ok_or_else(|| JsError::new("this canvas has no 2-D context"))
}

/// Save the context's state and clip it to `rect` (undo with `ctx.restore()`).
pub(crate) fn clip_to(ctx: &CanvasRenderingContext2d, rect: &PlotRect) {
    ctx.save();
    ctx.begin_path();
    ctx.rect(
        rect.x0 as f64,
        rect.y0 as f64,
        rect.width() as f64,
        rect.height() as f64,
    );
    ctx.clip();
}

pub(crate) fn backend(canvas: &HtmlCanvasElement) -> Result<CanvasBackend, JsError> {
    CanvasBackend::with_canvas_object(canvas.clone())
        .ok_or_else(|| JsError::new("could not draw on this canvas"))
}

pub(crate) fn check_dpr(dpr: f64) -> Result<f64, JsError> {
    if dpr.is_finite() && (0.25..=8.0).contains(&dpr) {
        Ok(dpr)
    } else {
        Err(JsError::new(&format!(
            "dpr = {dpr}: the device-pixel ratio must be in [0.25, 8]"
        )))
    }
}

/// A reusable off-screen canvas for blitting pixel buffers.
#[derive(Default)]
pub(crate) struct Scratch(Option<HtmlCanvasElement>);

impl Scratch {
    fn canvas(&mut self, w: u32, h: u32) -> Result<HtmlCanvasElement, String> {
        if self.0.is_none() {
            // The views are drawn in a worker (www/painter.js), which has no document: an
            // OffscreenCanvas, which has the same size and drawing calls.
            let c = OffscreenCanvas::new(w, h)
                .map_err(|_| "could not create a canvas")?
                .unchecked_into();
            self.0 = Some(c);
        }
        let c = self.0.clone().ok_or("could not create a canvas")?;
        if c.width() != w || c.height() != h {
            c.set_width(w);
            c.set_height(h);
        }
        Ok(c)
    }

    /// Show an `nx × ny` RGBA buffer scaled into `rect` of `ctx` (`smooth`: interpolated).
    pub(crate) fn blit(
        &mut self,
        ctx: &CanvasRenderingContext2d,
        rgba: &[u8],
        (nx, ny): (usize, usize),
        rect: &PlotRect,
        smooth: bool,
    ) -> Result<(), String> {
        let scratch = self.canvas(nx as u32, ny as u32)?;
        let sctx = context(&scratch).map_err(|_| "no 2-D context".to_string())?;
        let img = ImageData::new_with_u8_clamped_array_and_sh(Clamped(rgba), nx as u32, ny as u32)
            .map_err(|_| "could not build the heatmap image".to_string())?;
        sctx.put_image_data(&img, 0.0, 0.0)
            .map_err(|_| "could not put the heatmap image".to_string())?;
        ctx.set_image_smoothing_enabled(smooth);
        ctx.draw_image_with_html_canvas_element_and_sw_and_sh_and_dx_and_dy_and_dw_and_dh(
            &scratch,
            0.0,
            0.0,
            nx as f64,
            ny as f64,
            rect.x0 as f64,
            rect.y0 as f64,
            rect.width() as f64,
            rect.height() as f64,
        )
        .map_err(|_| "could not draw the heatmap".to_string())?;
        ctx.set_image_smoothing_enabled(true);
        Ok(())
    }
}
