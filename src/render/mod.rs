//! Pure drawing code, generic over a plotters `DrawingBackend`: heatmap pixels, contour lines,
//! the path overlay and the charts. The page draws onto canvases through `src/wasm`; tests
//! and tools draw the same views to SVG or bitmaps natively.
//!
//! Every size in the views is in device pixels: CSS pixels × `dpr`, so text and strokes stay
//! crisp on HiDPI.

pub mod colour;
pub mod contour;
pub mod field;

mod axes;
mod chart;
mod contour_frame;
mod data_view;
mod legend;
mod overlay;
pub mod scene;
mod surface3d;
#[cfg(any(not(target_arch = "wasm32"), feature = "sweep"))]
mod sweep;
pub mod trails;

pub use axes::{
    contour_margins, contour_rect, level_label, log_tick_label, nice_ticks, tick_label, PlotRect,
};
pub use chart::{chart_x_max, draw_chart, Series, CHART_LEFT, CHART_RIGHT};
pub use contour_frame::{draw_contour_frame, ContourSet};
pub use data_view::{class_regions_rgba, draw_data_view};
pub use legend::{draw_cells, draw_legend, legend_height, LegendEntry};
pub use overlay::{decimate, draw_markers, draw_overlay, draw_paths, EigenCross, PathSpec};
pub use surface3d::{draw_surface_3d, Path3d};
#[cfg(any(not(target_arch = "wasm32"), feature = "sweep"))]
pub use sweep::{draw_sweep, sweep_rgba, CellColour, SweepAxis};
