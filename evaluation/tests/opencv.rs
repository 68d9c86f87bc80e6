//! Our spectral residual saliency against OpenCV's, the reference
//! implementation (`evaluation/validation/reference.py`), on the sample
//! images shipped inside scikit-image and on three synthetic designs.
//!
//! Needs the Python environment `scripts/setup.sh` installs (`.venv` at the
//! workspace root, or `$CREPO_VENV`); without it the test fails, never skips.

use std::path::{Path, PathBuf};
use std::process::Command;

use crepo_evaluation::{decode, Saliency, SpectralResidual};
use image::{Rgb, RgbImage};

const MIN_CORRELATION: f64 = 0.95;
const SKIMAGE_SAMPLES: [&str; 6] = [
    "astronaut.png",
    "coffee.png",
    "chelsea.png",
    "camera.png",
    "rocket.jpg",
    "page.png",
];

fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn python() -> PathBuf {
    let venv = std::env::var_os("CREPO_VENV")
        .map_or_else(|| workspace_root().join(".venv"), PathBuf::from);
    let python = venv.join("bin").join("python");
    assert!(
        python.exists(),
        "{} is missing: run scripts/setup.sh (make test does) to install the Python tools, \
         or point CREPO_VENV at a virtualenv with tests/requirements.txt installed",
        python.display()
    );
    python
}

fn reference(args: &[String]) -> String {
    let script = workspace_root().join("evaluation/validation/reference.py");
    let out = Command::new(python()).arg(script).args(args).output();
    let out = out.unwrap_or_else(|e| panic!("cannot run the reference script: {e}"));
    assert!(
        out.status.success(),
        "the reference script failed (is opencv-contrib-python-headless installed?):\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).trim().to_owned()
}

/// A small deterministic pseudo-random sequence, so the designs never change.
fn lcg(seed: &mut u32) -> u32 {
    *seed = seed.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
    *seed >> 8
}

/// A dark, anti-aliased disc off-centre on a plain light background.
fn logo_on_plain_background() -> RgbImage {
    RgbImage::from_fn(600, 400, |x, y| {
        let mut inside = 0.0;
        for s in 0..16 {
            let (sx, sy) = (
                f64::from(x) + f64::from(s % 4) / 4.0,
                f64::from(y) + f64::from(s / 4) / 4.0,
            );
            if (sx - 380.0).powi(2) + (sy - 170.0).powi(2) < 70.0f64.powi(2) {
                inside += 1.0 / 16.0;
            }
        }
        let mix = |ground: f64, ink: f64| (ground * (1.0 - inside) + ink * inside).round() as u8;
        Rgb([mix(242.0, 25.0), mix(238.0, 40.0), mix(228.0, 90.0)])
    })
}

/// Lines of dark "words" of random lengths on white, like a block of text.
fn text_like_stripes() -> RgbImage {
    let mut img = RgbImage::from_pixel(500, 700, Rgb([255, 255, 255]));
    let mut seed = 19;
    for line in 0..22 {
        let top = 60 + line * 26;
        let mut x = 50 + lcg(&mut seed) % 20;
        while x < 440 {
            let len = 12 + lcg(&mut seed) % 60;
            for px in x..(x + len).min(450) {
                for py in top..top + 12 {
                    img.put_pixel(px, py, Rgb([30, 30, 30]));
                }
            }
            x += len + 8 + lcg(&mut seed) % 6;
        }
    }
    img
}

/// Hue turning around an off-centre point, lightness falling off with
/// distance: colourful, smooth and not separable in x and y.
fn colourful_gradient() -> RgbImage {
    RgbImage::from_fn(640, 480, |x, y| {
        let (dx, dy) = (f64::from(x) - 260.0, f64::from(y) - 200.0);
        let angle = dy.atan2(dx);
        let fade = 1.0 - (dx.hypot(dy) / 700.0).min(0.8);
        let channel =
            |phase: f64| ((0.5 + 0.5 * (angle + phase).cos()) * 255.0 * fade).round() as u8;
        Rgb([channel(0.0), channel(2.094), channel(4.189)])
    })
}

fn pearson(a: &[f32], b: &[f32]) -> f64 {
    let n = a.len() as f64;
    let (ma, mb) = (
        a.iter().map(|&v| f64::from(v)).sum::<f64>() / n,
        b.iter().map(|&v| f64::from(v)).sum::<f64>() / n,
    );
    let (mut sab, mut saa, mut sbb) = (0.0, 0.0, 0.0);
    for (&x, &y) in a.iter().zip(b) {
        let (x, y) = (f64::from(x) - ma, f64::from(y) - mb);
        sab += x * y;
        saa += x * x;
        sbb += y * y;
    }
    sab / (saa * sbb).sqrt()
}

#[test]
fn our_saliency_agrees_with_opencv_on_every_sample() {
    let data = PathBuf::from(reference(&["--skimage-data-dir".to_owned()]));
    let work = std::env::temp_dir().join(format!("crepo-evaluation-opencv-{}", std::process::id()));
    std::fs::create_dir_all(&work)
        .unwrap_or_else(|e| panic!("cannot create {}: {e}", work.display()));
    let mut images: Vec<PathBuf> = SKIMAGE_SAMPLES.iter().map(|name| data.join(name)).collect();
    for (name, img) in [
        ("logo.png", logo_on_plain_background()),
        ("text.png", text_like_stripes()),
        ("gradient.png", colourful_gradient()),
    ] {
        let path = work.join(name);
        img.save(&path)
            .unwrap_or_else(|e| panic!("cannot write {}: {e}", path.display()));
        images.push(path);
    }

    let model = SpectralResidual::default();
    let mut ours = Vec::new();
    let mut specs = vec![work.join("reference").display().to_string()];
    for path in &images {
        let bytes =
            std::fs::read(path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
        let rgb = decode(&bytes, 50_000_000)
            .unwrap_or_else(|e| panic!("cannot decode {}: {e}", path.display()));
        let map = model.map(&rgb);
        specs.push(format!(
            "{}x{}:{}",
            map.width(),
            map.height(),
            path.display()
        ));
        ours.push(map);
    }
    reference(&specs);

    let mut failures = Vec::new();
    for (n, (path, map)) in images.iter().zip(&ours).enumerate() {
        let dir = work.join("reference");
        let size = std::fs::read_to_string(dir.join(format!("{n}.txt"))).unwrap_or_default();
        let dims: Vec<u32> = size
            .split_whitespace()
            .filter_map(|v| v.parse().ok())
            .collect();
        let raw = std::fs::read(dir.join(format!("{n}.f32"))).unwrap_or_default();
        let theirs: Vec<f32> = raw
            .chunks_exact(4)
            .map(|b| f32::from_le_bytes([b[0], b[1], b[2], b[3]]))
            .collect();
        assert!(
            dims.len() == 2 && theirs.len() == (dims[0] * dims[1]) as usize,
            "bad reference for {}",
            path.display()
        );
        let r = pearson(map.resized(dims[0], dims[1]).values(), &theirs);
        let name = path
            .file_name()
            .map(|f| f.to_string_lossy().into_owned())
            .unwrap_or_default();
        println!(
            "{name}: map {}x{}, Pearson r = {r:.6}",
            map.width(),
            map.height()
        );
        // NaN (a constant map) fails too.
        if r.is_nan() || r < MIN_CORRELATION {
            failures.push(format!("{name}: r = {r:.4}"));
        }
    }
    let _ = std::fs::remove_dir_all(&work);
    assert!(
        failures.is_empty(),
        "below {MIN_CORRELATION} against OpenCV: {failures:?}"
    );
}
