//! The shelf test: how much attention the design wins beside other packs.

use image::imageops;
use image::{Rgb, RgbImage};

use crate::metrics::{area_shares, focus, top10_share, Area};
use crate::saliency::{Saliency, SaliencyMap, SpectralResidual};

/// The design's size on the shelf, relative to the image it is given.
pub const DESIGN_SCALE: f64 = 0.15;
/// A pack is never drawn smaller than this on its long side, so that tiny
/// designs still have pixels for the dummies' label band.
const MIN_PACK_LONG_SIDE: u32 = 32;
const BACKGROUND: Rgb<u8> = Rgb([235, 235, 230]);
const DUMMY_BODY: Rgb<u8> = Rgb([128, 128, 128]);
const DUMMY_LABEL: Rgb<u8> = Rgb([80, 80, 80]);

/// What the shelf test found. Shares are of the whole scene's saliency.
#[derive(Debug, Clone, PartialEq)]
pub struct ShelfResult {
    /// Share of the scene's saliency inside the design's pack (1/3 of the
    /// packs; a design that does not stand out scores about a third or less).
    pub design_share: f64,
    /// For each area, in order, its share of the whole scene's saliency.
    pub area_shares: Vec<f64>,
    /// [`crate::metrics::focus`] of the scene's map.
    pub focus: f64,
    /// [`crate::metrics::top10_share`] of the scene's map.
    pub top10_share: f64,
    /// Where the design sits in the scene, in fractions of the scene.
    pub design_area: Area,
    /// The scene's saliency map.
    pub map: SaliencyMap,
}

/// Runs the shelf test with the spectral residual model; see [`shelf_scene`].
pub fn shelf(rgb: &RgbImage, areas: &[Area]) -> ShelfResult {
    shelf_with(&SpectralResidual::default(), rgb, areas)
}

/// Runs the shelf test with any saliency model.
pub fn shelf_with(model: &dyn Saliency, rgb: &RgbImage, areas: &[Area]) -> ShelfResult {
    let (scene, design_area) = shelf_scene(rgb);
    let map = model.map(&scene);
    // One pass: the design's pack first, then the areas within it.
    let measured: Vec<Area> = std::iter::once(design_area.clone())
        .chain(areas.iter().map(|a| within(&design_area, a)))
        .collect();
    let mut shares = area_shares(&map, &measured);
    let design_share = shares.remove(0);
    ShelfResult {
        design_share,
        area_shares: shares,
        focus: focus(&map),
        top10_share: top10_share(&map),
        design_area,
        map,
    }
}

/// Builds the shelf scene and tells where the design is in it.
///
/// - Packs: the design scaled to [`DESIGN_SCALE`] (15 %) of the given image's
///   width and height (area-averaged; enlarged if needed to 32 px on its
///   long side), and two dummies of the same size: mid-grey (128) with a
///   darker (80) label band across the full width from 35 % to 65 % of the
///   height — plain, deterministic packs that draw some attention of their own.
/// - Order, left to right: dummy, design, dummy, so the design has a
///   neighbour on each side and sits in the middle.
/// - Spacing, in pack widths `pw` and heights `ph`: gaps of 0.2 pw between
///   packs, margins of 0.5 pw left and right and 0.3 ph above and below, on a
///   light background (235, 235, 230). The scene is thus
///   `(4.4 pw) × (1.6 ph)` pixels.
pub fn shelf_scene(rgb: &RgbImage) -> (RgbImage, Area) {
    let (pw, ph) = pack_size(rgb.width(), rgb.height());
    let design = crate::filter::shrink(rgb, pw, ph);
    let gap = (0.2 * f64::from(pw)).round() as u32;
    let (mx, my) = (
        (0.5 * f64::from(pw)).round() as u32,
        (0.3 * f64::from(ph)).round() as u32,
    );
    let (w, h) = (3 * pw + 2 * gap + 2 * mx, ph + 2 * my);
    let mut scene = RgbImage::from_pixel(w, h, BACKGROUND);
    let band = ((0.35 * f64::from(ph)).round() as u32)..((0.65 * f64::from(ph)).round() as u32);
    let dummy = RgbImage::from_fn(pw, ph, |_, y| {
        if band.contains(&y) {
            DUMMY_LABEL
        } else {
            DUMMY_BODY
        }
    });
    let xs = [mx, mx + pw + gap, mx + 2 * (pw + gap)];
    imageops::replace(&mut scene, &dummy, i64::from(xs[0]), i64::from(my));
    imageops::replace(&mut scene, &design, i64::from(xs[1]), i64::from(my));
    imageops::replace(&mut scene, &dummy, i64::from(xs[2]), i64::from(my));
    let (sw, sh) = (f64::from(w), f64::from(h));
    let area = Area::new(
        "design",
        f64::from(xs[1]) / sw,
        f64::from(my) / sh,
        f64::from(pw) / sw,
        f64::from(ph) / sh,
    );
    (scene, area)
}

fn pack_size(width: u32, height: u32) -> (u32, u32) {
    let (w, h) = (
        f64::from(width) * DESIGN_SCALE,
        f64::from(height) * DESIGN_SCALE,
    );
    let grow = (f64::from(MIN_PACK_LONG_SIDE) / w.max(h)).max(1.0);
    (
        ((w * grow).round() as u32).max(1),
        ((h * grow).round() as u32).max(1),
    )
}

/// An area of the design expressed in the scene's fractions.
fn within(design: &Area, a: &Area) -> Area {
    Area::new(
        a.name.clone(),
        design.x + a.x * design.w,
        design.y + a.y * design.h,
        a.w * design.w,
        a.h * design.h,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_scene_puts_the_design_in_the_middle_at_fifteen_percent() {
        let (scene, area) = shelf_scene(&RgbImage::from_pixel(1000, 600, Rgb([255, 0, 0])));
        assert_eq!((scene.width(), scene.height()), (660, 144));
        assert_eq!(scene.get_pixel(330, 72), &Rgb([255, 0, 0]));
        assert_eq!(scene.get_pixel(5, 5), &BACKGROUND);
        assert!((area.x - 255.0 / 660.0).abs() < 1e-12 && (area.w - 150.0 / 660.0).abs() < 1e-12);
    }

    #[test]
    fn a_dark_pack_with_a_bright_logo_beats_the_plain_dummies_on_the_shelf() {
        let design = RgbImage::from_fn(600, 400, |x, y| {
            let (dx, dy) = (f64::from(x) - 300.0, f64::from(y) - 200.0);
            Rgb(if dx.hypot(dy) < 120.0 {
                [250, 220, 0]
            } else {
                [20, 30, 90]
            })
        });
        let result = shelf(&design, &[Area::new("whole", 0.0, 0.0, 1.0, 1.0)]);
        assert!(result.design_share > 1.0 / 3.0, "{}", result.design_share);
        assert!((result.area_shares[0] - result.design_share).abs() < 1e-9);
    }

    #[test]
    fn a_tiny_design_still_gets_a_visible_pack() {
        assert_eq!(pack_size(40, 20), (32, 16));
    }
}
