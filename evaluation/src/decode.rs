//! Decoding uploaded designs into RGB, refusing what would not fit in memory.

use std::fmt;
use std::io::Cursor;

use image::{DynamicImage, ImageDecoder, ImageError, ImageFormat, ImageReader, RgbImage};

/// Why a design could not be evaluated. [`EvalError::reason`] is the stable
/// code callers store and show; the text is for logs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EvalError {
    /// Not PNG, JPEG, WebP or GIF (SVG and PDF included: the caller skips those).
    UnsupportedFormat(String),
    /// More pixels than the limit, or more memory than the decoder may take.
    TooLarge(String),
    /// The bytes are not a readable image of a supported format.
    Corrupt(String),
    /// A rendered PNG could not be encoded (only for absurd sizes).
    Encode(String),
}

impl EvalError {
    /// The stable reason code: `unsupported_format`, `too_large`, `corrupt` or `encode_failed`.
    pub fn reason(&self) -> &'static str {
        match self {
            Self::UnsupportedFormat(_) => "unsupported_format",
            Self::TooLarge(_) => "too_large",
            Self::Corrupt(_) => "corrupt",
            Self::Encode(_) => "encode_failed",
        }
    }
}

impl fmt::Display for EvalError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let detail = match self {
            Self::UnsupportedFormat(d) | Self::TooLarge(d) | Self::Corrupt(d) | Self::Encode(d) => {
                d
            }
        };
        write!(f, "{}: {detail}", self.reason())
    }
}

impl std::error::Error for EvalError {}

/// Decodes a PNG, JPEG, WebP or GIF (its first frame) into 8-bit RGB.
///
/// The pixel count is checked from the header before any pixel is decoded,
/// and the decoder's allocations are capped as well, so a small file that
/// claims a huge canvas (a decompression bomb) is refused with `too_large`
/// without being expanded. EXIF orientation is applied. Transparent pixels
/// are composited over white, since artwork with a transparent background is
/// printed on (or shown against) a light ground; treating them as black would
/// invent edges that no viewer sees.
pub fn decode(bytes: &[u8], max_pixels: u64) -> Result<RgbImage, EvalError> {
    let format = sniff(bytes)?;
    let mut reader = ImageReader::with_format(Cursor::new(bytes), format);
    let mut limits = image::Limits::default();
    // 8 bytes a pixel covers 16-bit RGBA; the slack covers decoder buffers.
    limits.max_alloc = Some(max_pixels.saturating_mul(8).saturating_add(64 << 20));
    reader.limits(limits);
    let mut decoder = reader.into_decoder().map_err(from_image_error)?;
    let (w, h) = decoder.dimensions();
    if u64::from(w) * u64::from(h) > max_pixels {
        return Err(EvalError::TooLarge(format!(
            "{w}×{h} pixels is over the limit of {max_pixels}"
        )));
    }
    if w == 0 || h == 0 {
        return Err(EvalError::Corrupt("the image has no pixels".into()));
    }
    let orientation = decoder.orientation().ok();
    let mut image = DynamicImage::from_decoder(decoder).map_err(from_image_error)?;
    if let Some(orientation) = orientation {
        image.apply_orientation(orientation);
    }
    Ok(if image.color().has_alpha() {
        over_white(&image)
    } else {
        image.into_rgb8()
    })
}

fn sniff(bytes: &[u8]) -> Result<ImageFormat, EvalError> {
    let head = String::from_utf8_lossy(&bytes[..bytes.len().min(256)]).to_ascii_lowercase();
    if head.starts_with("%pdf") || head.contains("<svg") || head.trim_start().starts_with("<?xml") {
        return Err(EvalError::UnsupportedFormat(
            "SVG and PDF are not raster images".into(),
        ));
    }
    match image::guess_format(bytes) {
        Ok(f @ (ImageFormat::Png | ImageFormat::Jpeg | ImageFormat::WebP | ImageFormat::Gif)) => {
            Ok(f)
        }
        Ok(other) => Err(EvalError::UnsupportedFormat(format!(
            "{other:?} is not supported"
        ))),
        Err(_) => Err(EvalError::Corrupt("not a recognisable image".into())),
    }
}

fn from_image_error(e: ImageError) -> EvalError {
    match e {
        ImageError::Limits(l) => EvalError::TooLarge(l.to_string()),
        ImageError::Unsupported(u) => EvalError::UnsupportedFormat(u.to_string()),
        other => EvalError::Corrupt(other.to_string()),
    }
}

fn over_white(image: &DynamicImage) -> RgbImage {
    let rgba = image.to_rgba8();
    RgbImage::from_fn(rgba.width(), rgba.height(), |x, y| {
        let [r, g, b, a] = rgba.get_pixel(x, y).0;
        let a = u32::from(a);
        let blend = |c: u8| ((u32::from(c) * a + 255 * (255 - a) + 127) / 255) as u8;
        image::Rgb([blend(r), blend(g), blend(b)])
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn crc32(bytes: &[u8]) -> u32 {
        let mut crc = !0u32;
        for &b in bytes {
            crc ^= u32::from(b);
            for _ in 0..8 {
                crc = if crc & 1 == 1 {
                    (crc >> 1) ^ 0xEDB8_8320
                } else {
                    crc >> 1
                };
            }
        }
        !crc
    }

    fn chunk(png: &mut Vec<u8>, kind: &[u8], data: &[u8]) {
        let mut body = kind.to_vec();
        body.extend_from_slice(data);
        png.extend_from_slice(&(data.len() as u32).to_be_bytes());
        png.extend_from_slice(&body);
        png.extend_from_slice(&crc32(&body).to_be_bytes());
    }

    /// A 50-byte PNG whose header claims `w × h` pixels: a decompression bomb's shape.
    fn png_claiming(w: u32, h: u32) -> Vec<u8> {
        let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
        let mut ihdr = w.to_be_bytes().to_vec();
        ihdr.extend_from_slice(&h.to_be_bytes());
        ihdr.extend_from_slice(&[8, 2, 0, 0, 0]);
        chunk(&mut png, b"IHDR", &ihdr);
        chunk(
            &mut png,
            b"IDAT",
            &[0x78, 0x9c, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01],
        );
        chunk(&mut png, b"IEND", &[]);
        png
    }

    #[test]
    fn garbage_is_refused_as_corrupt() {
        let err = decode(b"this is not an image at all", 1_000_000).err();
        assert_eq!(err.map(|e| e.reason()), Some("corrupt"));
    }

    #[test]
    fn a_huge_canvas_is_refused_from_its_header_alone() {
        let err = decode(&png_claiming(30_000, 30_000), 50_000_000).err();
        assert_eq!(err.map(|e| e.reason()), Some("too_large"));
    }

    #[test]
    fn svg_and_pdf_are_unsupported() {
        for bytes in [
            &b"<svg xmlns='http://www.w3.org/2000/svg'/>"[..],
            b"%PDF-1.7\n",
        ] {
            assert_eq!(
                decode(bytes, 1_000).err().map(|e| e.reason()),
                Some("unsupported_format")
            );
        }
    }

    #[test]
    fn a_png_round_trips_and_transparency_becomes_white() {
        let mut rgba = image::RgbaImage::new(3, 2);
        rgba.put_pixel(0, 0, image::Rgba([10, 20, 30, 255]));
        let mut bytes = Vec::new();
        let encoded = DynamicImage::ImageRgba8(rgba)
            .write_to(&mut Cursor::new(&mut bytes), ImageFormat::Png)
            .is_ok();
        assert!(encoded);
        let rgb = decode(&bytes, 100).ok();
        assert_eq!(
            rgb.as_ref().map(|i| i.get_pixel(0, 0).0),
            Some([10, 20, 30])
        );
        assert_eq!(
            rgb.as_ref().map(|i| i.get_pixel(1, 1).0),
            Some([255, 255, 255])
        );
    }
}
