//! The numbers reported for a design. Each says what it measures, how, and
//! where the formula comes from.

use image::RgbImage;

use crate::filter;
use crate::saliency::SaliencyMap;

/// The measurements of one design. Attention metrics are computed on the
/// saliency map (its own resolution); image metrics on the design as
/// evaluated, downscaled to at most 1,600 px on the long side (see
/// [`crate::evaluate`]).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Metrics {
    /// See [`focus`].
    pub focus: f64,
    /// See [`top10_share`].
    pub top10_share: f64,
    /// See [`colourfulness`].
    pub colourfulness: f64,
    /// See [`rms_contrast`].
    pub rms_contrast: f64,
    /// See [`edge_density`].
    pub edge_density: f64,
}

impl Metrics {
    pub fn measure(rgb: &RgbImage, map: &SaliencyMap) -> Self {
        let luma = filter::luma(rgb);
        Self {
            focus: focus(map),
            top10_share: top10_share(map),
            colourfulness: colourfulness(rgb),
            rms_contrast: rms_contrast_of(&luma),
            edge_density: edge_density_of(&luma, rgb.width() as usize, rgb.height() as usize),
        }
    }
}

/// How concentrated attention is, from 0 (spread evenly) to 1 (one spot).
///
/// `focus = 1 − H(p) / log N`, where `p_i = s_i / Σ s` is the saliency map
/// normalised to sum 1 over its `N` pixels and `H(p) = −Σ p_i log p_i` is its
/// Shannon entropy (Shannon 1948); `log N` is the entropy of a uniform map, so
/// a uniform map scores 0. An all-zero map, or one of a single pixel, scores 0.
pub fn focus(map: &SaliencyMap) -> f64 {
    let values = map.values();
    let total: f64 = values.iter().map(|&v| f64::from(v)).sum();
    if values.len() < 2 || total <= 0.0 {
        return 0.0;
    }
    let entropy: f64 = values
        .iter()
        .map(|&v| f64::from(v) / total)
        .filter(|&p| p > 0.0)
        .map(|p| -p * p.ln())
        .sum();
    (1.0 - entropy / (values.len() as f64).ln()).clamp(0.0, 1.0)
}

/// The share of all saliency held by the most salient 10 % of the map's
/// pixels (`⌈0.1 N⌉` of them): `Σ top s_i / Σ s_i`. 0.1 for a uniform map,
/// approaching 1 when attention gathers on a small part of the design.
pub fn top10_share(map: &SaliencyMap) -> f64 {
    let mut values: Vec<f64> = map.values().iter().map(|&v| f64::from(v)).collect();
    let total: f64 = values.iter().sum();
    if total <= 0.0 {
        return 0.0;
    }
    values.sort_by(|a, b| b.total_cmp(a));
    let top = values.len().div_ceil(10);
    values[..top].iter().sum::<f64>() / total
}

/// Colourfulness after Hasler & Süsstrunk, "Measuring colourfulness in
/// natural images", SPIE 5007 (2003), on 8-bit sRGB values (0–255):
///
/// `rg = R − G`, `yb = ½(R + G) − B`,
/// `M = √(σ_rg² + σ_yb²) + 0.3 · √(μ_rg² + μ_yb²)`.
///
/// Their scale: about 0 not colourful, 15 slightly, 33 moderately, 45 average,
/// 59 quite, 82 highly, 109 extremely colourful. A grey image is exactly 0.
pub fn colourfulness(rgb: &RgbImage) -> f64 {
    let n = f64::from(rgb.width()) * f64::from(rgb.height());
    if n == 0.0 {
        return 0.0;
    }
    let (mut s_rg, mut s_yb, mut ss_rg, mut ss_yb) = (0.0, 0.0, 0.0, 0.0);
    for p in rgb.pixels() {
        let [r, g, b] = p.0.map(f64::from);
        let (rg, yb) = (r - g, 0.5 * (r + g) - b);
        s_rg += rg;
        s_yb += yb;
        ss_rg += rg * rg;
        ss_yb += yb * yb;
    }
    let (m_rg, m_yb) = (s_rg / n, s_yb / n);
    let var = |ss: f64, m: f64| (ss / n - m * m).max(0.0);
    (var(ss_rg, m_rg) + var(ss_yb, m_yb)).sqrt() + 0.3 * (m_rg * m_rg + m_yb * m_yb).sqrt()
}

/// RMS contrast (Peli, "Contrast in complex images", JOSA A 7, 1990): the
/// standard deviation of luminance `Y ∈ [0, 1]`, with `Y` the Rec. 601 luma
/// `0.299 R' + 0.587 G' + 0.114 B'` of the gamma-encoded values (the same
/// grey the saliency model sees). 0 for a uniform image, 0.5 at most.
pub fn rms_contrast(rgb: &RgbImage) -> f64 {
    rms_contrast_of(&filter::luma(rgb))
}

fn rms_contrast_of(luma: &[f32]) -> f64 {
    let n = luma.len() as f64;
    if n == 0.0 {
        return 0.0;
    }
    let mean = luma.iter().map(|&v| f64::from(v)).sum::<f64>() / n;
    let var = luma
        .iter()
        .map(|&v| (f64::from(v) - mean).powi(2))
        .sum::<f64>()
        / n;
    var.sqrt()
}

/// Luma change across a pixel above which it counts as an edge in
/// [`edge_density`].
pub const EDGE_THRESHOLD: f64 = 0.1;

/// Visual complexity as edge density (cf. Rosenholtz et al., "Measuring visual
/// clutter", J. Vision 7, 2007; Pieters, Wedel & Batra, "The stopping power of
/// advertising", J. Marketing 74, 2010): the share of interior pixels whose
/// Sobel gradient magnitude on luma `Y ∈ [0, 1]` (Rec. 601), divided by 4 so
/// that a sharp step of height Δ reads Δ, exceeds [`EDGE_THRESHOLD`] (0.1, a
/// tenth of the luma range):
///
/// `g = √(Gx² + Gy²) / 4`, `Gx = [−1 0 1; −2 0 2; −1 0 1] * Y`, `Gy = Gxᵀ`.
///
/// It depends on resolution; it is measured at ≤ 1,600 px on the long side.
pub fn edge_density(rgb: &RgbImage) -> f64 {
    edge_density_of(
        &filter::luma(rgb),
        rgb.width() as usize,
        rgb.height() as usize,
    )
}

fn edge_density_of(y: &[f32], w: usize, h: usize) -> f64 {
    if w < 3 || h < 3 {
        return 0.0;
    }
    // Compared squared, and on the undivided sum: (4 · threshold)².
    let limit = (4.0 * EDGE_THRESHOLD as f32).powi(2);
    let mut edges = 0usize;
    for r in 1..h - 1 {
        let (up, mid, down) = (
            &y[(r - 1) * w..r * w],
            &y[r * w..(r + 1) * w],
            &y[(r + 1) * w..(r + 2) * w],
        );
        for c in 1..w - 1 {
            let gx = (up[c + 1] + 2.0 * mid[c + 1] + down[c + 1])
                - (up[c - 1] + 2.0 * mid[c - 1] + down[c - 1]);
            let gy =
                (down[c - 1] + 2.0 * down[c] + down[c + 1]) - (up[c - 1] + 2.0 * up[c] + up[c + 1]);
            if gx * gx + gy * gy > limit {
                edges += 1;
            }
        }
    }
    edges as f64 / ((w - 2) * (h - 2)) as f64
}

/// A named rectangle of the design (logo, product name, claim…), in fractions
/// `0..1` of the design's width and height from its top-left corner.
#[derive(Debug, Clone, PartialEq)]
pub struct Area {
    pub name: String,
    pub x: f64,
    pub y: f64,
    pub w: f64,
    pub h: f64,
}

impl Area {
    pub fn new(name: impl Into<String>, x: f64, y: f64, w: f64, h: f64) -> Self {
        Self {
            name: name.into(),
            x,
            y,
            w,
            h,
        }
    }

    fn contains(&self, fx: f64, fy: f64) -> bool {
        fx >= self.x && fx < self.x + self.w && fy >= self.y && fy < self.y + self.h
    }
}

/// Measuring resolution for [`area_shares`]: the map is resampled bilinearly
/// to at least this many pixels on its long side so that a rectangle's edge
/// cuts between fine pixels rather than between the 64-px map's coarse ones.
const AREA_GRID: u32 = 256;

/// For each area, in order, the share of the map's total saliency inside it:
/// `Σ_{i ∈ area} s_i / Σ_i s_i`, on the map resampled to 256 px on the long
/// side, a pixel counting when its centre lies in the rectangle. Overlapping
/// areas each count fully, so the shares may add up to more than 1. A
/// uniform map gives each area its share of the surface.
pub fn area_shares(map: &SaliencyMap, areas: &[Area]) -> Vec<f64> {
    let long = map.width().max(map.height());
    let scale = f64::from(AREA_GRID.max(long)) / f64::from(long);
    let (w, h) = (
        ((f64::from(map.width()) * scale).round() as u32).max(1),
        ((f64::from(map.height()) * scale).round() as u32).max(1),
    );
    let grid = map.resized(w, h);
    let total: f64 = grid.values().iter().map(|&v| f64::from(v)).sum();
    areas
        .iter()
        .map(|area| {
            if total <= 0.0 {
                return 0.0;
            }
            let mut inside = 0.0;
            for (i, &v) in grid.values().iter().enumerate() {
                let (x, y) = ((i as u32 % w) as f64, (i as u32 / w) as f64);
                if area.contains((x + 0.5) / f64::from(w), (y + 0.5) / f64::from(h)) {
                    inside += f64::from(v);
                }
            }
            inside / total
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::saliency::{Saliency, SpectralResidual};

    fn logo_on_light_ground() -> (RgbImage, Area) {
        let img = RgbImage::from_fn(400, 300, |x, y| {
            let (dx, dy) = (f64::from(x) - 200.0, f64::from(y) - 150.0);
            image::Rgb(if dx * dx + dy * dy < 50.0 * 50.0 {
                [30, 30, 60]
            } else {
                [240, 240, 235]
            })
        });
        (img, Area::new("logo", 0.35, 0.3, 0.3, 0.4))
    }

    #[test]
    fn a_single_dark_logo_on_a_light_ground_draws_most_of_the_attention() {
        let (img, logo) = logo_on_light_ground();
        let map = SpectralResidual::default().map(&img);
        let share = area_shares(&map, &[logo])[0];
        assert!(share > 0.5, "logo share {share}");
        assert!(focus(&map) > 0.1, "focus {}", focus(&map));
    }

    #[test]
    fn a_uniform_image_has_no_preferred_area() {
        let map = SpectralResidual::default().map(&RgbImage::from_pixel(
            320,
            240,
            image::Rgb([200, 10, 10]),
        ));
        assert!(focus(&map) < 0.05);
        let areas = [
            Area::new("left half", 0.0, 0.0, 0.5, 1.0),
            Area::new("corner", 0.75, 0.75, 0.25, 0.25),
        ];
        let shares = area_shares(&map, &areas);
        assert!(
            (shares[0] - 0.5).abs() < 0.01 && (shares[1] - 0.0625).abs() < 0.01,
            "{shares:?}"
        );
        assert!((top10_share(&map) - 0.1).abs() < 0.01);
    }

    #[test]
    fn overlapping_areas_each_count_fully() {
        let map = SaliencyMap::uniform(10, 10);
        let whole = Area::new("all", 0.0, 0.0, 1.0, 1.0);
        assert_eq!(area_shares(&map, &[whole.clone(), whole]), vec![1.0, 1.0]);
    }

    #[test]
    fn a_grey_image_has_no_colourfulness() {
        let img = RgbImage::from_fn(50, 40, |x, y| {
            let v = ((x * 5 + y * 3) % 256) as u8;
            image::Rgb([v, v, v])
        });
        assert_eq!(colourfulness(&img), 0.0);
    }

    #[test]
    fn pure_red_and_green_halves_are_highly_colourful() {
        let img = RgbImage::from_fn(20, 10, |x, _| {
            image::Rgb(if x < 10 { [255, 0, 0] } else { [0, 255, 0] })
        });
        assert!(colourfulness(&img) > 109.0);
    }

    #[test]
    fn a_uniform_image_has_no_contrast_and_no_edges() {
        let img = RgbImage::from_pixel(30, 30, image::Rgb([120, 130, 140]));
        assert_eq!(rms_contrast(&img), 0.0);
        assert_eq!(edge_density(&img), 0.0);
    }

    #[test]
    fn black_and_white_halves_have_the_highest_contrast_and_one_edge() {
        let img = RgbImage::from_fn(102, 12, |x, _| {
            image::Rgb(if x < 51 { [0; 3] } else { [255; 3] })
        });
        assert!((rms_contrast(&img) - 0.5).abs() < 1e-6);
        // The two pixel columns either side of the step, of 100 interior columns.
        assert!((edge_density(&img) - 0.02).abs() < 1e-9);
    }
}
