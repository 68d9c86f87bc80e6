//! The evaluation itself, on the blocking pool: `crepo_evaluation` over the
//! design's bytes, turned into what the row and the objects keep. Changed
//! areas are measured again on the kept maps, without the design.

use crepo_evaluation::{area_shares, evaluate, Area, EvalError, Limits, SaliencyMap};

use super::types::{AreaIn, MapJson, MetricsOut, ShelfOut, Stored, StoredMaps};

/// Heatmaps are stored at display size: at most this many pixels on the
/// long side.
pub const PICTURE_LONG_SIDE: u32 = 1600;

/// Everything one evaluation produces.
pub struct Outcome {
    pub algorithm: &'static str,
    pub algorithm_version: u32,
    pub stored: Stored,
    pub maps: StoredMaps,
    pub heatmap: Vec<u8>,
    pub raw: Vec<u8>,
}

fn to_area(a: &AreaIn) -> Area {
    Area::new(a.name.clone(), a.x, a.y, a.w, a.h)
}

fn map_json(m: &SaliencyMap) -> MapJson {
    MapJson {
        width: m.width(),
        height: m.height(),
        values: m.values().to_vec(),
    }
}

/// Evaluates a design (CPU-bound: call it on the blocking pool).
pub fn run(bytes: &[u8], areas: &[AreaIn]) -> Result<Outcome, EvalError> {
    let areas: Vec<Area> = areas.iter().map(to_area).collect();
    let e = evaluate(bytes, &areas, &Limits::default())?;
    let heatmap = e.heatmap_png(PICTURE_LONG_SIDE)?;
    let raw = e.raw_png(PICTURE_LONG_SIDE)?;
    let d = &e.shelf.design_area;
    Ok(Outcome {
        algorithm: e.model,
        algorithm_version: e.model_version,
        stored: Stored {
            width: e.width,
            height: e.height,
            metrics: MetricsOut {
                focus: e.metrics.focus,
                top10_share: e.metrics.top10_share,
                colourfulness: e.metrics.colourfulness,
                rms_contrast: e.metrics.rms_contrast,
                edge_density: e.metrics.edge_density,
            },
            shelf: ShelfOut {
                design_share: e.shelf.design_share,
                focus: e.shelf.focus,
                top10_share: e.shelf.top10_share,
            },
            area_shares: e.area_shares.clone(),
            shelf_area_shares: e.shelf.area_shares.clone(),
        },
        maps: StoredMaps {
            design: map_json(&e.map),
            shelf: map_json(&e.shelf.map),
            design_area: [d.x, d.y, d.w, d.h],
        },
        heatmap,
        raw,
    })
}

/// The shares of `areas` on kept maps: on the design's map, and on the
/// shelf scene's with each area placed within the design's pack (as the
/// shelf test places them). `None` when a map does not read back.
pub fn shares(maps: &StoredMaps, areas: &[AreaIn]) -> Option<(Vec<f64>, Vec<f64>)> {
    let design = SaliencyMap::new(
        maps.design.width,
        maps.design.height,
        maps.design.values.clone(),
    )?;
    let shelf = SaliencyMap::new(
        maps.shelf.width,
        maps.shelf.height,
        maps.shelf.values.clone(),
    )?;
    let [dx, dy, dw, dh] = maps.design_area;
    let on_design: Vec<Area> = areas.iter().map(to_area).collect();
    let on_shelf: Vec<Area> = areas
        .iter()
        .map(|a| {
            Area::new(
                a.name.clone(),
                dx + a.x * dw,
                dy + a.y * dh,
                a.w * dw,
                a.h * dh,
            )
        })
        .collect();
    Some((
        area_shares(&design, &on_design),
        area_shares(&shelf, &on_shelf),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Cursor;

    fn logo_png() -> Vec<u8> {
        let img = image::RgbImage::from_fn(600, 400, |x, y| {
            let (dx, dy) = (f64::from(x) - 300.0, f64::from(y) - 200.0);
            image::Rgb(if dx.hypot(dy) < 60.0 {
                [200, 20, 20]
            } else {
                [245, 245, 245]
            })
        });
        let mut png = Vec::new();
        img.write_to(&mut Cursor::new(&mut png), image::ImageFormat::Png)
            .unwrap();
        png
    }

    #[test]
    fn shares_measured_again_on_the_kept_maps_equal_those_of_the_evaluation() {
        let areas = vec![AreaIn {
            name: "logo".into(),
            x: 0.35,
            y: 0.25,
            w: 0.3,
            h: 0.5,
        }];
        let out = run(&logo_png(), &areas).unwrap();
        let (design, shelf) = shares(&out.maps, &areas).unwrap();
        assert!((design[0] - out.stored.area_shares[0]).abs() < 1e-9);
        assert!((shelf[0] - out.stored.shelf_area_shares[0]).abs() < 1e-9);
        assert!(design[0] > 0.5, "{design:?}");
    }
}
