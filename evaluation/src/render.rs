//! Pictures of a saliency map: a heatmap over the design, and the raw map.

use image::codecs::png::{CompressionType, FilterType, PngEncoder};
use image::{ExtendedColorType, ImageEncoder, RgbImage};

use crate::decode::EvalError;
use crate::saliency::SaliencyMap;

/// `(width, height)` fitted within `max_long_side` on the long side, never enlarged.
pub(crate) fn fit(width: u32, height: u32, max_long_side: u32) -> (u32, u32) {
    let long = width.max(height);
    if long <= max_long_side {
        return (width, height);
    }
    let scale = f64::from(max_long_side.max(1)) / f64::from(long);
    let side = |s: u32| ((f64::from(s) * scale).round() as u32).max(1);
    (side(width), side(height))
}

/// The 'jet' ramp: dark blue (0) → blue → cyan → yellow → red → dark red (1).
fn jet(v: f32) -> [f32; 3] {
    let channel = |centre: f32| (1.5 - (4.0 * v - centre).abs()).clamp(0.0, 1.0);
    [channel(3.0), channel(2.0), channel(1.0)]
}

/// The map in the jet ramp, blended over the design with an opacity rising
/// from 0.25 (least salient) to 0.75 (most), so that the design stays legible
/// where nothing draws the eye. At most `max_long_side` px on the long side
/// and never larger than `design`.
pub fn heatmap_png(
    design: &RgbImage,
    map: &SaliencyMap,
    max_long_side: u32,
) -> Result<Vec<u8>, EvalError> {
    let (w, h) = fit(design.width(), design.height(), max_long_side);
    let base = if (w, h) == design.dimensions() {
        design.clone()
    } else {
        crate::filter::shrink(design, w, h)
    };
    let map = map.resized(w, h);
    let mut out = base;
    for (p, &s) in out.pixels_mut().zip(map.values()) {
        let colour = jet(s);
        let alpha = 0.25 + 0.5 * s.clamp(0.0, 1.0);
        for (c, ramp) in p.0.iter_mut().zip(colour) {
            *c = (f32::from(*c) * (1.0 - alpha) + 255.0 * ramp * alpha).round() as u8;
        }
    }
    encode(out.as_raw(), w, h, ExtendedColorType::Rgb8)
}

/// The map itself as an 8-bit grey PNG (0 = least, 255 = most salient) of
/// `width × height` fitted within `max_long_side`.
pub fn raw_png(
    map: &SaliencyMap,
    width: u32,
    height: u32,
    max_long_side: u32,
) -> Result<Vec<u8>, EvalError> {
    let (w, h) = fit(width, height, max_long_side);
    let grey: Vec<u8> = map
        .resized(w, h)
        .values()
        .iter()
        .map(|v| (v.clamp(0.0, 1.0) * 255.0).round() as u8)
        .collect();
    encode(&grey, w, h, ExtendedColorType::L8)
}

fn encode(pixels: &[u8], w: u32, h: u32, colour: ExtendedColorType) -> Result<Vec<u8>, EvalError> {
    let mut png = Vec::new();
    // Fast compression: these are previews, and the default level costs more
    // than the whole evaluation.
    PngEncoder::new_with_quality(&mut png, CompressionType::Fast, FilterType::Adaptive)
        .write_image(pixels, w, h, colour)
        .map_err(|e| EvalError::Encode(e.to_string()))?;
    Ok(png)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_large_design_is_fitted_and_a_small_one_kept() {
        assert_eq!(fit(4000, 3000, 1600), (1600, 1200));
        assert_eq!(fit(300, 200, 1600), (300, 200));
    }

    #[test]
    fn the_ramp_runs_from_blue_to_red() {
        assert_eq!(jet(0.0), [0.0, 0.0, 0.5]);
        assert_eq!(jet(1.0), [0.5, 0.0, 0.0]);
    }

    #[test]
    fn the_raw_map_decodes_as_a_grey_png_of_the_fitted_size() {
        let png = raw_png(&SaliencyMap::uniform(64, 48), 4000, 3000, 800);
        let img = png.ok().and_then(|p| image::load_from_memory(&p).ok());
        assert_eq!(
            img.as_ref().map(|i| (i.width(), i.height())),
            Some((800, 600))
        );
        assert_eq!(img.map(|i| i.to_luma8().get_pixel(10, 10).0), Some([255]));
    }
}
