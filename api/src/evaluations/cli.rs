//! `crepo evaluate FILE`: the server's evaluation of a design on a local
//! file, for trying designs and checking the figures by hand.

use std::{path::Path, process::ExitCode};

use anyhow::Context;
use serde::Serialize;

use super::{
    areas::check,
    compute::{self, PICTURE_LONG_SIDE},
    types::{AreaIn, Stored},
};

/// What `--json` prints.
#[derive(Serialize)]
struct Report<'a> {
    file: String,
    algorithm: &'a str,
    algorithm_version: u32,
    #[serde(flatten)]
    stored: &'a Stored,
    areas: &'a [AreaIn],
}

/// Reads `name:x,y,w,h` (fractions of the design).
pub fn parse_area(raw: &str) -> Result<AreaIn, String> {
    let (name, rect) = raw
        .rsplit_once(':')
        .ok_or_else(|| format!("`{raw}`: write an area as name:x,y,w,h"))?;
    let n: Vec<f64> = rect
        .split(',')
        .map(|v| v.trim().parse::<f64>())
        .collect::<Result<_, _>>()
        .map_err(|e| format!("`{raw}`: {e}"))?;
    let [x, y, w, h] = n[..] else {
        return Err(format!("`{raw}`: four numbers x,y,w,h"));
    };
    Ok(AreaIn {
        name: name.to_owned(),
        x,
        y,
        w,
        h,
    })
}

pub fn run(
    file: &Path,
    json: bool,
    areas: &[AreaIn],
    heatmap: Option<&Path>,
    raw: Option<&Path>,
) -> anyhow::Result<ExitCode> {
    let problems = check(areas);
    if !problems.is_empty() {
        for p in problems {
            eprintln!("{}: {} ({})", p.field, p.message, p.code);
        }
        return Ok(ExitCode::FAILURE);
    }
    let bytes = std::fs::read(file).with_context(|| format!("cannot read {}", file.display()))?;
    let out = match compute::run(&bytes, areas) {
        Ok(out) => out,
        Err(e) => {
            eprintln!("{}: not evaluated: {e}", file.display());
            return Ok(ExitCode::FAILURE);
        }
    };
    for (path, png) in [(heatmap, &out.heatmap), (raw, &out.raw)] {
        if let Some(path) = path {
            std::fs::write(path, png)
                .with_context(|| format!("cannot write {}", path.display()))?;
        }
    }
    let report = Report {
        file: file.display().to_string(),
        algorithm: out.algorithm,
        algorithm_version: out.algorithm_version,
        stored: &out.stored,
        areas,
    };
    if json {
        println!("{}", serde_json::to_string_pretty(&report)?);
    } else {
        print!("{}", table(&report));
    }
    Ok(ExitCode::SUCCESS)
}

fn table(r: &Report) -> String {
    let s = r.stored;
    let mut out = format!(
        "{}: {} × {} px, {} v{} (heatmaps at most {PICTURE_LONG_SIDE} px)\n",
        r.file, s.width, s.height, r.algorithm, r.algorithm_version
    );
    let rows = [
        ("focus", s.metrics.focus),
        ("top10_share", s.metrics.top10_share),
        ("colourfulness", s.metrics.colourfulness),
        ("rms_contrast", s.metrics.rms_contrast),
        ("edge_density", s.metrics.edge_density),
        ("shelf.design_share", s.shelf.design_share),
        ("shelf.focus", s.shelf.focus),
        ("shelf.top10_share", s.shelf.top10_share),
    ];
    for (name, v) in rows {
        out.push_str(&format!("{name:<22}{v:>10.4}\n"));
    }
    for (i, a) in r.areas.iter().enumerate() {
        let share = s.area_shares.get(i).copied().unwrap_or(0.0);
        let shelf = s.shelf_area_shares.get(i).copied().unwrap_or(0.0);
        out.push_str(&format!(
            "area {:<17}{share:>10.4}  (shelf {shelf:.4})\n",
            a.name
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_area_is_read_as_name_colon_four_fractions() {
        let a = parse_area("logo:0.1,0.2,0.3,0.4").unwrap();
        assert_eq!(
            (a.name.as_str(), a.x, a.y, a.w, a.h),
            ("logo", 0.1, 0.2, 0.3, 0.4)
        );
        assert!(parse_area("logo:0.1,0.2,0.3").is_err());
        assert!(parse_area("0.1,0.2,0.3,0.4").is_err());
    }
}
