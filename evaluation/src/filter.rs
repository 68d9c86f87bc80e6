//! Small image operations, written to give OpenCV's results where the
//! spectral residual model must match it.

use image::RgbImage;

/// Rec. 601 luma rounded to 8 bits, in OpenCV's fixed point (`COLOR_BGR2GRAY`:
/// 0.299 R + 0.587 G + 0.114 B with 14-bit coefficients).
pub(crate) fn grey_u8(rgb: &RgbImage) -> Vec<u8> {
    rgb.pixels()
        .map(|p| {
            let [r, g, b] = p.0.map(u32::from);
            ((r * 4899 + g * 9617 + b * 1868 + (1 << 13)) >> 14) as u8
        })
        .collect()
}

/// Rec. 601 luma in `[0, 1]` (gamma-encoded, as stored).
pub(crate) fn luma(rgb: &RgbImage) -> Vec<f32> {
    rgb.pixels()
        .map(|p| {
            let [r, g, b] = p.0.map(f32::from);
            (0.299 * r + 0.587 * g + 0.114 * b) / 255.0
        })
        .collect()
}

/// The design reduced to `dw × dh` by area averaging (each output pixel the
/// mean of the source pixels it covers, fractions weighted: OpenCV's
/// `INTER_AREA`), in two separable passes; several times faster than
/// `imageops::thumbnail` on 12 megapixels. Enlarging falls back to bilinear.
pub(crate) fn shrink(rgb: &RgbImage, dw: u32, dh: u32) -> RgbImage {
    let (sw, sh) = rgb.dimensions();
    if (sw, sh) == (dw, dh) {
        return rgb.clone();
    }
    if dw > sw || dh > sh {
        return image::imageops::resize(rgb, dw, dh, image::imageops::FilterType::Triangle);
    }
    let (cols, rows) = (coverage(sw, dw), coverage(sh, dh));
    let src = rgb.as_raw();
    let row_len = sw as usize * 3;
    let mut out = Vec::with_capacity(dw as usize * dh as usize * 3);
    let mut acc = vec![0f32; row_len];
    for (first, weights) in &rows {
        acc.fill(0.0);
        for (k, &wy) in weights.iter().enumerate() {
            let row = &src[(first + k) * row_len..(first + k + 1) * row_len];
            for (a, &v) in acc.iter_mut().zip(row) {
                *a += wy * f32::from(v);
            }
        }
        for (first, weights) in &cols {
            let mut px = [0f32; 3];
            for (k, &wx) in weights.iter().enumerate() {
                let at = (first + k) * 3;
                for (c, p) in px.iter_mut().enumerate() {
                    *p += wx * acc[at + c];
                }
            }
            out.extend(px.map(|v| v.round().clamp(0.0, 255.0) as u8));
        }
    }
    RgbImage::from_raw(dw, dh, out).unwrap_or_else(|| image::imageops::thumbnail(rgb, dw, dh))
}

/// For each destination index, the first source index it covers and the
/// share of each source pixel in it (summing to 1).
fn coverage(src: u32, dst: u32) -> Vec<(usize, Vec<f32>)> {
    let scale = f64::from(src) / f64::from(dst);
    (0..dst)
        .map(|d| {
            let (from, to) = (
                f64::from(d) * scale,
                (f64::from(d + 1) * scale).min(f64::from(src)),
            );
            let first = from.floor() as usize;
            let weights = (first..to.ceil() as usize)
                .map(|i| ((to.min(i as f64 + 1.0) - from.max(i as f64)) / scale) as f32)
                .collect();
            (first, weights)
        })
        .collect()
}

/// [`grey_u8`] then OpenCV's `resize(.., INTER_LINEAR)` to `dw × dh`, which
/// turns into `INTER_AREA` (a 2 × 2 mean) when both sides shrink exactly by
/// two. Grey is computed only at the pixels the resize reads.
pub(crate) fn grey_resized(rgb: &RgbImage, dw: u32, dh: u32) -> Vec<u8> {
    let (sw, sh) = rgb.dimensions();
    if (sw, sh) == (dw, dh) {
        return grey_u8(rgb);
    }
    let grey = |x: usize, y: usize| {
        let [r, g, b] = rgb.get_pixel(x as u32, y as u32).0.map(u32::from);
        (r * 4899 + g * 9617 + b * 1868 + (1 << 13)) >> 14
    };
    if sw == 2 * dw && sh == 2 * dh {
        let mut out = Vec::with_capacity(dw as usize * dh as usize);
        for y in 0..dh as usize {
            for x in 0..dw as usize {
                let sum = grey(2 * x, 2 * y)
                    + grey(2 * x + 1, 2 * y)
                    + grey(2 * x, 2 * y + 1)
                    + grey(2 * x + 1, 2 * y + 1);
                out.push(((sum + 2) / 4) as u8);
            }
        }
        return out;
    }
    let (xs, ys) = (taps(sw, dw), taps(sh, dh));
    let mut out = Vec::with_capacity(dw as usize * dh as usize);
    for &(y0, y1, fy) in &ys {
        for &(x0, x1, fx) in &xs {
            let row = |y| grey(x0, y) as f32 * (1.0 - fx) + grey(x1, y) as f32 * fx;
            let v = row(y0) * (1.0 - fy) + row(y1) * fy;
            out.push(v.round().clamp(0.0, 255.0) as u8);
        }
    }
    out
}

/// Source index and weight of the next one for each destination coordinate,
/// with OpenCV's half-pixel mapping and edge clamping.
fn taps(src: u32, dst: u32) -> Vec<(usize, usize, f32)> {
    let scale = f64::from(src) / f64::from(dst);
    (0..dst)
        .map(|d| {
            let f = (f64::from(d) + 0.5) * scale - 0.5;
            let mut i = f.floor();
            let mut frac = f - i;
            if i < 0.0 {
                (i, frac) = (0.0, 0.0);
            }
            if i >= f64::from(src) - 1.0 {
                (i, frac) = (f64::from(src) - 1.0, 0.0);
            }
            let i = i as usize;
            (i, (i + 1).min(src as usize - 1), frac as f32)
        })
        .collect()
}

/// Bilinear resampling of a plane (`INTER_LINEAR` without the fixed point).
pub(crate) fn bilinear(src: &[f32], sw: u32, sh: u32, dw: u32, dh: u32) -> Vec<f32> {
    let (xs, ys) = (taps(sw, dw), taps(sh, dh));
    let sw = sw as usize;
    let mut out = Vec::with_capacity(dw as usize * dh as usize);
    for &(y0, y1, fy) in &ys {
        for &(x0, x1, fx) in &xs {
            let row = |y: usize| src[y * sw + x0] * (1.0 - fx) + src[y * sw + x1] * fx;
            out.push(row(y0) * (1.0 - fy) + row(y1) * fy);
        }
    }
    out
}

/// `BORDER_REFLECT_101` (OpenCV's `BORDER_DEFAULT`): `gfedcb|abcdefgh|gfedcba`.
fn reflect101(i: isize, n: usize) -> usize {
    let n = n as isize;
    if n == 1 {
        return 0;
    }
    let mut i = i;
    while i < 0 || i >= n {
        i = if i < 0 { -i } else { 2 * n - 2 - i };
    }
    i as usize
}

/// Separable correlation with a symmetric odd kernel, reflect-101 borders.
fn separable(src: &[f64], w: usize, h: usize, kernel: &[f64]) -> Vec<f64> {
    let r = (kernel.len() / 2) as isize;
    let mut rows = vec![0.0; w * h];
    for y in 0..h {
        for x in 0..w {
            rows[y * w + x] = kernel
                .iter()
                .enumerate()
                .map(|(k, c)| c * src[y * w + reflect101(x as isize + k as isize - r, w)])
                .sum();
        }
    }
    let mut out = vec![0.0; w * h];
    for y in 0..h {
        for x in 0..w {
            out[y * w + x] = kernel
                .iter()
                .enumerate()
                .map(|(k, c)| c * rows[reflect101(y as isize + k as isize - r, h) * w + x])
                .sum();
        }
    }
    out
}

/// `blur(src, Size(3, 3))`: the 3 × 3 mean.
pub(crate) fn box3_reflect101(src: &[f64], w: usize, h: usize) -> Vec<f64> {
    separable(src, w, h, &[1.0 / 3.0; 3])
}

/// `GaussianBlur(src, Size(5, 5), sigma)`: OpenCV's kernel for an explicit
/// sigma is `exp(−x² / 2σ²)` for x = −2..2, normalised to sum 1.
pub(crate) fn gaussian5_reflect101(src: &[f64], w: usize, h: usize, sigma: f64) -> Vec<f64> {
    let raw: Vec<f64> = (-2..=2)
        .map(|x: i32| (-f64::from(x * x) / (2.0 * sigma * sigma)).exp())
        .collect();
    let sum: f64 = raw.iter().sum();
    let kernel: Vec<f64> = raw.iter().map(|v| v / sum).collect();
    separable(src, w, h, &kernel)
}

pub(crate) fn transpose<T: Copy>(src: &[T], w: usize, h: usize) -> Vec<T> {
    let mut out = Vec::with_capacity(src.len());
    for x in 0..w {
        for y in 0..h {
            out.push(src[y * w + x]);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reflect_101_mirrors_without_repeating_the_edge() {
        let idx: Vec<usize> = (-3..8).map(|i| reflect101(i, 5)).collect();
        assert_eq!(idx, vec![3, 2, 1, 0, 1, 2, 3, 4, 3, 2, 1]);
    }

    #[test]
    fn the_3x3_mean_of_a_constant_is_the_constant() {
        let out = box3_reflect101(&[2.0; 12], 4, 3);
        assert!(out.iter().all(|v| (v - 2.0).abs() < 1e-12));
    }

    #[test]
    fn halving_exactly_averages_two_by_two_blocks() {
        let img = RgbImage::from_raw(2, 2, vec![0, 0, 0, 4, 4, 4, 8, 8, 8, 12, 12, 12]);
        assert_eq!(img.map(|i| grey_resized(&i, 1, 1)), Some(vec![6]));
    }

    #[test]
    fn shrinking_averages_the_pixels_each_output_covers() {
        let src = RgbImage::from_fn(5, 1, |x, _| {
            image::Rgb([[0, 100, 200, 50, 250][x as usize]; 3])
        });
        let out = shrink(&src, 2, 1);
        // (0 + 100 + 0.5·200) / 2.5 and (0.5·200 + 50 + 250) / 2.5.
        assert_eq!(out.as_raw(), &vec![80, 80, 80, 160, 160, 160]);
    }

    #[test]
    fn upsampling_interpolates_between_pixel_centres() {
        let out = bilinear(&[0.0, 1.0], 2, 1, 4, 1);
        assert_eq!(out, vec![0.0, 0.25, 0.75, 1.0]);
    }
}
