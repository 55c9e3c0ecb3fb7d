//! Analytic 2-D surfaces.
