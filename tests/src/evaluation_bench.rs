//! `make bench`, design evaluation: one 4,000 × 3,000 JPEG evaluated on one
//! core (decode, saliency, metrics, shelf test and both PNGs at 1,600 px;
//! target < 300 ms), then `GET /api/v1/me` p99 alone and while 50 such
//! designs are uploaded and evaluated by the worker (one image per core).

use std::time::{Duration, Instant};

use crepo_evaluation::{evaluate, Area, Limits, WORKING_LONG_SIDE};
use serde_json::json;

use crate::{
    engine,
    load::{get_until, ms, percentile},
    TestApp,
};

const UPLOADS: usize = 50;

/// A photo-like 4,000 × 3,000 design: gradients, a logo disc and stripes.
pub fn design_jpeg() -> Vec<u8> {
    let (w, h) = (4000u32, 3000u32);
    let img = image::RgbImage::from_fn(w, h, |x, y| {
        let (fx, fy) = (x as f32 / w as f32, y as f32 / h as f32);
        let (dx, dy) = (fx - 0.3, fy - 0.4);
        if dx * dx + dy * dy < 0.01 {
            image::Rgb([180, 20, 30])
        } else if (1200..2800).contains(&y) && (x / 40) % 3 == 0 && fx > 0.6 {
            image::Rgb([20, 20, 20])
        } else {
            let n = ((x.wrapping_mul(2_654_435_761) ^ y.wrapping_mul(40_503)) >> 27) as u8;
            image::Rgb([
                (200.0 * fx) as u8 + n,
                (160.0 * fy) as u8 + n,
                120u8.saturating_add(n),
            ])
        }
    });
    let mut out = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 90)
        .encode_image(&img)
        .unwrap();
    out
}

/// `GET /api/v1/me` from 4 clients until `stop`; sorted latencies.
async fn read_me_until(app: &TestApp, token: &str, stop: Instant) -> Vec<Duration> {
    get_until(&app.client, &app.url("/api/v1/me"), token, 4, stop).await
}

pub async fn run() {
    let jpeg = design_jpeg();
    let areas = [Area::new("logo", 0.2, 0.3, 0.2, 0.2)];
    let mut runs = Vec::new();
    for _ in 0..5 {
        let started = Instant::now();
        let e = evaluate(&jpeg, &areas, &Limits::default()).unwrap();
        e.heatmap_png(WORKING_LONG_SIDE).unwrap();
        e.raw_png(WORKING_LONG_SIDE).unwrap();
        runs.push(started.elapsed());
    }
    runs.sort();
    println!(
        "design evaluation (one 4,000 × 3,000 JPEG of {:.1} MB, one core, both PNGs at {WORKING_LONG_SIDE} px)",
        jpeg.len() as f64 / 1e6
    );
    println!(
        "  best {:.0} ms, median {:.0} ms of 5 (target < 300 ms) {}",
        ms(runs[0]),
        ms(runs[2]),
        if runs[2] < Duration::from_millis(300) {
            "OK"
        } else {
            "OVER TARGET"
        }
    );

    println!("  API during uploads ({:?}, in-process server):", engine());
    let app = TestApp::spawn().await;
    let admin = app.admin("evalbench").await;
    let p: serde_json::Value = app
        .send_auth(
            reqwest::Method::POST,
            "/api/v1/projects",
            &admin.access,
            Some(&json!({ "name": "候補デザイン" })),
        )
        .await
        .json()
        .await
        .unwrap();
    let project = p["id"].as_str().unwrap().to_owned();
    let quiet = read_me_until(&app, &admin.access, Instant::now() + Duration::from_secs(4)).await;
    let started = Instant::now();
    let readers = read_me_until(&app, &admin.access, started + Duration::from_secs(15));
    let uploads = async {
        for i in 0..UPLOADS {
            let res = app
                .client
                .post(app.url(&format!("/api/v1/projects/{project}/files")))
                .query(&[("filename", format!("案-{i:02}.jpg"))])
                .bearer_auth(&admin.access)
                .header("content-type", "image/jpeg")
                .body(jpeg.clone())
                .send()
                .await
                .unwrap();
            assert_eq!(res.status(), 201, "{}", res.text().await.unwrap());
        }
        started.elapsed()
    };
    let (busy, uploaded) = tokio::join!(readers, uploads);
    let (q99, b99) = (percentile(&quiet, 0.99), percentile(&busy, 0.99));
    println!(
        "  GET /me p99 {:.2} ms alone, {:.2} ms while {UPLOADS} designs were uploaded ({:.1} s) and evaluated: ratio {:.2}",
        ms(q99),
        ms(b99),
        uploaded.as_secs_f64(),
        b99.as_secs_f64() / q99.as_secs_f64().max(1e-9)
    );
}
