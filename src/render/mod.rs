//! Pure drawing code, generic over a plotters `DrawingBackend`: heatmap pixels, contour lines,
//! the path overlay and the charts. The page draws onto canvases through `src/wasm`; tests
//! and tools draw the same views to SVG or bitmaps natively.

pub mod colour;
pub mod contour;
pub mod field;
pub mod views;
