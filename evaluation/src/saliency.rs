//! Where a viewer's eye is drawn: the saliency trait and the spectral residual model.

use image::RgbImage;
use rustfft::num_complex::Complex;
use rustfft::FftPlanner;

use crate::filter;

/// A model that predicts, for every location of an image, how strongly it
/// draws attention. Results name the model and its version, so that stored
/// maps can be told apart when the model changes.
pub trait Saliency {
    /// A stable identifier, e.g. `spectral_residual`.
    fn name(&self) -> &'static str;
    /// Bumped whenever the output for the same input may change.
    fn version(&self) -> u32;
    /// The saliency map of the image, at the model's own (small) resolution.
    fn map(&self, rgb: &RgbImage) -> SaliencyMap;
}

/// A saliency map: `width × height` values in `[0, 1]`, row-major, the
/// most salient location at 1 (or all equal when nothing stands out).
#[derive(Debug, Clone, PartialEq)]
pub struct SaliencyMap {
    width: u32,
    height: u32,
    values: Vec<f32>,
}

impl SaliencyMap {
    /// `None` unless `values.len() == width * height` and both are positive.
    pub fn new(width: u32, height: u32, values: Vec<f32>) -> Option<Self> {
        let ok = width > 0 && height > 0 && values.len() == width as usize * height as usize;
        ok.then_some(Self {
            width,
            height,
            values,
        })
    }

    /// A map in which no location is preferred.
    pub fn uniform(width: u32, height: u32) -> Self {
        let (width, height) = (width.max(1), height.max(1));
        Self {
            width,
            height,
            values: vec![1.0; width as usize * height as usize],
        }
    }

    pub fn width(&self) -> u32 {
        self.width
    }

    pub fn height(&self) -> u32 {
        self.height
    }

    /// Row-major values.
    pub fn values(&self) -> &[f32] {
        &self.values
    }

    /// The map resampled bilinearly to `width × height` (pixel centres
    /// aligned, edges clamped: OpenCV's `INTER_LINEAR`), e.g. to lay it over
    /// the design.
    pub fn resized(&self, width: u32, height: u32) -> SaliencyMap {
        let (width, height) = (width.max(1), height.max(1));
        let values = filter::bilinear(&self.values, self.width, self.height, width, height);
        Self {
            width,
            height,
            values,
        }
    }
}

/// Spectral residual saliency (Hou & Zhang, "Saliency Detection: A Spectral
/// Residual Approach", CVPR 2007), computed step for step as OpenCV's
/// `saliency::StaticSaliencySpectralResidual::computeSaliencyImpl`:
///
/// 1. grey `Y = 0.299 R + 0.587 G + 0.114 B`, rounded to 8 bits (`COLOR_BGR2GRAY`);
/// 2. resized bilinearly (`INTER_LINEAR`) to `long_side` pixels on the long
///    side, keeping the aspect (OpenCV's default is a fixed 64 × 64; we set
///    its width and height to our size instead, see `validation/reference.py`);
/// 3. `F = DFT(I)`, amplitude `A = |F|`, phase `P = arg F`;
/// 4. log amplitude `L = log A`, spectral residual `R = L − h₃ * L` with `h₃`
///    the 3 × 3 mean filter, borders reflected (`BORDER_REFLECT_101`);
/// 5. `S = |IDFT(exp(R + iP))|`;
/// 6. `S` smoothed by a 5 × 5 Gaussian with σ = 8 (reflect-101 borders),
///    *then* squared — OpenCV's order; the paper squares before smoothing
///    (a 5 × 5 kernel at σ = 8 is nearly a box, so the difference is small) —
///    and divided by its maximum (not min–max: the least salient place
///    keeps its value).
///
/// An image of a single grey level has no spectrum besides its mean, so its
/// log amplitude is undefined; it gets a uniform map (nothing stands out).
/// Amplitudes are floored at `0.1 √N` before the logarithm, below the 8-bit
/// rounding noise: a departure from OpenCV only where its result is noise.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SpectralResidual {
    /// Pixels on the long side of the working resolution (64 in the paper).
    pub long_side: u32,
}

impl Default for SpectralResidual {
    fn default() -> Self {
        Self { long_side: 64 }
    }
}

impl SpectralResidual {
    /// The size the map is computed at for an image of `width × height`:
    /// `long_side` on the long side, the short side rounded (at least 1).
    pub fn map_size(&self, width: u32, height: u32) -> (u32, u32) {
        let long = self.long_side.max(1);
        let short = |s: u32, l: u32| {
            ((f64::from(long) * f64::from(s) / f64::from(l)).round() as u32).max(1)
        };
        if width >= height {
            (long, short(height, width))
        } else {
            (short(width, height), long)
        }
    }
}

impl Saliency for SpectralResidual {
    fn name(&self) -> &'static str {
        "spectral_residual"
    }

    fn version(&self) -> u32 {
        1
    }

    fn map(&self, rgb: &RgbImage) -> SaliencyMap {
        let (w, h) = self.map_size(rgb.width(), rgb.height());
        let small = filter::grey_resized(rgb, w, h);
        if small.iter().all(|&v| v == small[0]) {
            return SaliencyMap::uniform(w, h);
        }
        let values = spectral_residual(&small, w as usize, h as usize);
        SaliencyMap::new(w, h, values).unwrap_or_else(|| SaliencyMap::uniform(w, h))
    }
}

/// The amplitude floor, per √N (see `spectral_residual`).
const AMPLITUDE_FLOOR: f64 = 0.1;

/// Steps 3–6 on the resized grey image.
fn spectral_residual(grey: &[u8], w: usize, h: usize) -> Vec<f32> {
    let mut planner = FftPlanner::<f64>::new();
    let mut spectrum: Vec<Complex<f64>> = grey
        .iter()
        .map(|&v| Complex::new(f64::from(v), 0.0))
        .collect();
    fft2(&mut planner, &mut spectrum, w, h, false);

    // A zero amplitude has no logarithm (OpenCV's log gives −inf, or −30 for
    // rounding noise), and near-zeros dominate the residual of flat synthetic
    // artwork with map-aligned edges. Amplitudes are raised to a third of the
    // spectrum of the 8-bit rounding noise (σ = 1/√12 a pixel, |F| ≈ 0.29 √N):
    // below it they carry no image content. Natural images hardly get there
    // (r ≥ 0.9999 against OpenCV on every validation sample).
    let floor = AMPLITUDE_FLOOR * ((w * h) as f64).sqrt();
    let log_amplitude: Vec<f64> = spectrum.iter().map(|c| c.norm().max(floor).ln()).collect();
    let mean = filter::box3_reflect101(&log_amplitude, w, h);
    for ((c, &l), &m) in spectrum.iter_mut().zip(&log_amplitude).zip(&mean) {
        let norm = c.norm();
        // exp(R + iP) = exp(R) · F/|F|; an angle of 0 where |F| = 0, as atan2(0, 0).
        let phase = if norm > 0.0 {
            *c / norm
        } else {
            Complex::new(1.0, 0.0)
        };
        *c = phase * (l - m).exp();
    }
    fft2(&mut planner, &mut spectrum, w, h, true);

    let magnitude: Vec<f64> = spectrum.iter().map(|c| c.norm()).collect();
    let smoothed = filter::gaussian5_reflect101(&magnitude, w, h, 8.0);
    let squared: Vec<f64> = smoothed.iter().map(|v| v * v).collect();
    let max = squared.iter().copied().fold(0.0, f64::max);
    if !(max.is_finite() && max > 0.0) {
        return vec![1.0; w * h];
    }
    squared.iter().map(|v| (v / max) as f32).collect()
}

/// In-place 2-D DFT (unnormalised both ways, as OpenCV's `dft` without
/// `DFT_SCALE`; the final division by the maximum removes the scale): FFTs of
/// the rows, then of the columns.
fn fft2(
    planner: &mut FftPlanner<f64>,
    data: &mut [Complex<f64>],
    w: usize,
    h: usize,
    inverse: bool,
) {
    let plan = |planner: &mut FftPlanner<f64>, n| {
        if inverse {
            planner.plan_fft_inverse(n)
        } else {
            planner.plan_fft_forward(n)
        }
    };
    plan(planner, w).process(data);
    let mut columns = filter::transpose(data, w, h);
    plan(planner, h).process(&mut columns);
    data.copy_from_slice(&filter::transpose(&columns, h, w));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_map_keeps_the_aspect_at_64_pixels_on_the_long_side() {
        let sr = SpectralResidual::default();
        assert_eq!(sr.map_size(4000, 3000), (64, 48));
        assert_eq!(sr.map_size(451, 300), (64, 43));
        assert_eq!(sr.map_size(300, 900), (21, 64));
    }

    #[test]
    fn a_uniform_image_has_a_uniform_map() {
        let map = SpectralResidual::default().map(&RgbImage::from_pixel(
            200,
            100,
            image::Rgb([90, 90, 90]),
        ));
        assert!(map.values().iter().all(|&v| v == 1.0));
        assert_eq!((map.width(), map.height()), (64, 32));
    }

    #[test]
    fn a_dark_spot_on_a_light_ground_is_the_most_salient_place() {
        let img = RgbImage::from_fn(256, 256, |x, y| {
            let inside = (100..140).contains(&x) && (150..190).contains(&y);
            image::Rgb(if inside {
                [20, 20, 20]
            } else {
                [235, 235, 235]
            })
        });
        let map = SpectralResidual::default().map(&img);
        let (i, _) = map
            .values()
            .iter()
            .enumerate()
            .fold(
                (0, f32::MIN),
                |best, (i, &v)| if v > best.1 { (i, v) } else { best },
            );
        let (x, y) = (i as u32 % map.width(), i as u32 / map.width());
        assert!(
            (22..38).contains(&x) && (35..50).contains(&y),
            "peak at {x},{y}"
        );
    }

    #[test]
    fn a_map_resized_to_its_own_size_is_unchanged() {
        let map = SaliencyMap::new(3, 2, vec![0.0, 0.5, 1.0, 0.25, 0.75, 0.1]);
        assert_eq!(map.as_ref().map(|m| m.resized(3, 2)), map);
    }
}
