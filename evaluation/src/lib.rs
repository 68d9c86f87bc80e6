//! Design evaluation: where a package design draws the eye, and a few
//! measures of its look, computed from the image alone.
//!
//! Pure computation, no I/O: a background worker and the command line feed it
//! the bytes of an uploaded design. [`evaluate`] does everything; the parts
//! are public for tests and tools.

mod decode;
mod filter;
pub mod metrics;
mod render;
mod saliency;
mod shelf;

use image::RgbImage;

pub use decode::{decode, EvalError};
pub use metrics::{area_shares, Area, Metrics};
pub use render::{heatmap_png, raw_png};
pub use saliency::{Saliency, SaliencyMap, SpectralResidual};
pub use shelf::{shelf, shelf_scene, shelf_with, ShelfResult, DESIGN_SCALE};

/// Image metrics and the shelf scene are computed on the design reduced to
/// this many pixels on its long side: enough for every edge a shopper sees,
/// and it keeps a 12-megapixel photo of a design to a fraction of a second.
pub const WORKING_LONG_SIDE: u32 = 1600;

/// What an evaluation may take on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Designs with more pixels (from their header) are refused as `too_large`.
    pub max_pixels: u64,
}

impl Default for Limits {
    /// 50 megapixels: well above print artwork at 300 dpi on A3 (~17 Mpx).
    fn default() -> Self {
        Self {
            max_pixels: 50_000_000,
        }
    }
}

/// Everything found about one design.
#[derive(Clone)]
pub struct Evaluation {
    /// The design's size as decoded (after EXIF orientation).
    pub width: u32,
    pub height: u32,
    /// The saliency model, as [`Saliency::name`] and [`Saliency::version`].
    pub model: &'static str,
    pub model_version: u32,
    pub metrics: Metrics,
    /// For each area passed to [`evaluate`], in order, its share of the
    /// design's saliency ([`area_shares`]).
    pub area_shares: Vec<f64>,
    pub shelf: ShelfResult,
    /// The design's saliency map at the model's resolution.
    pub map: SaliencyMap,
    /// The design at ≤ [`WORKING_LONG_SIDE`] px, for the pictures.
    design: RgbImage,
}

// By hand: the derived one would print every pixel of the design.
impl std::fmt::Debug for Evaluation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Evaluation")
            .field("width", &self.width)
            .field("height", &self.height)
            .field("model", &self.model)
            .field("model_version", &self.model_version)
            .field("metrics", &self.metrics)
            .field("area_shares", &self.area_shares)
            .field("shelf", &self.shelf)
            .finish_non_exhaustive()
    }
}

impl Evaluation {
    /// The heatmap over the design ([`heatmap_png`]), at most `max_long_side`
    /// px on the long side and at most [`WORKING_LONG_SIDE`].
    pub fn heatmap_png(&self, max_long_side: u32) -> Result<Vec<u8>, EvalError> {
        heatmap_png(&self.design, &self.map, max_long_side)
    }

    /// The grey map ([`raw_png`]) with the design's aspect, at most
    /// `max_long_side` px and at most [`WORKING_LONG_SIDE`] on the long side.
    pub fn raw_png(&self, max_long_side: u32) -> Result<Vec<u8>, EvalError> {
        raw_png(
            &self.map,
            self.design.width(),
            self.design.height(),
            max_long_side,
        )
    }
}

/// Decodes the design and evaluates it with the spectral residual model:
///
/// 1. [`decode`] within `limits`;
/// 2. the design is reduced to ≤ [`WORKING_LONG_SIDE`] px on the long side
///    by area averaging (a Lanczos filter would take longer than all the rest);
/// 3. its saliency map (64 px long side, see [`SpectralResidual`]) and
///    [`Metrics`] on the reduced design, [`area_shares`] of `areas`;
/// 4. the shelf test ([`shelf`]) on the reduced design.
pub fn evaluate(bytes: &[u8], areas: &[Area], limits: &Limits) -> Result<Evaluation, EvalError> {
    let full = decode(bytes, limits.max_pixels)?;
    let (width, height) = full.dimensions();
    let (w, h) = render::fit(width, height, WORKING_LONG_SIDE);
    let design = if (w, h) == (width, height) {
        full
    } else {
        filter::shrink(&full, w, h)
    };
    let model = SpectralResidual::default();
    let map = model.map(&design);
    Ok(Evaluation {
        width,
        height,
        model: model.name(),
        model_version: model.version(),
        metrics: Metrics::measure(&design, &map),
        area_shares: area_shares(&map, areas),
        shelf: shelf_with(&model, &design, areas),
        map,
        design,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Cursor;

    #[test]
    fn a_png_is_evaluated_end_to_end() {
        let img = RgbImage::from_fn(2000, 1000, |x, y| {
            let (dx, dy) = (f64::from(x) - 1000.0, f64::from(y) - 500.0);
            image::Rgb(if dx.hypot(dy) < 180.0 {
                [200, 20, 20]
            } else {
                [245, 245, 245]
            })
        });
        let mut png = Vec::new();
        assert!(img
            .write_to(&mut Cursor::new(&mut png), image::ImageFormat::Png)
            .is_ok());
        let areas = [Area::new("logo", 0.35, 0.2, 0.3, 0.6)];
        let Ok(eval) = evaluate(&png, &areas, &Limits::default()) else {
            panic!("evaluation failed");
        };
        assert_eq!(
            (eval.width, eval.height, eval.model),
            (2000, 1000, "spectral_residual")
        );
        assert_eq!((eval.map.width(), eval.map.height()), (64, 32));
        assert!(eval.area_shares[0] > 0.5, "{:?}", eval.area_shares);
        assert!(eval.shelf.design_share > 0.0 && eval.shelf.area_shares.len() == 1);
        let heatmap = eval
            .heatmap_png(800)
            .ok()
            .and_then(|p| image::load_from_memory(&p).ok());
        assert_eq!(heatmap.map(|i| (i.width(), i.height())), Some((800, 400)));
        let raw = eval
            .raw_png(4000)
            .ok()
            .and_then(|p| image::load_from_memory(&p).ok());
        assert_eq!(raw.map(|i| (i.width(), i.height())), Some((1600, 800)));
    }
}
