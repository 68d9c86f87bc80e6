//! What the evaluation API answers and takes, and the JSON kept in the
//! `file_evaluations` row.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::entities::tenant::{
    file::SniffedType,
    file_evaluation::{self, EvaluationStatus},
};

/// The design's figures (formulas in the README, "Design evaluation").
#[derive(Debug, Clone, Copy, Serialize, Deserialize, ToSchema)]
pub struct MetricsOut {
    /// 1 − normalised entropy of the saliency map: 0 spread evenly, 1 one spot.
    pub focus: f64,
    /// Share of all saliency in the most salient 10 % of pixels.
    pub top10_share: f64,
    /// Hasler & Süsstrunk (2003): 0 grey, about 45 average, 109 extremely colourful.
    pub colourfulness: f64,
    /// Standard deviation of luma in [0, 1] (at most 0.5).
    pub rms_contrast: f64,
    /// Share of pixels on an edge (visual complexity).
    pub edge_density: f64,
}

/// The shelf test: the design at 15 % size between two plain dummy packs.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, ToSchema)]
pub struct ShelfOut {
    /// Share of the scene's saliency on the design's pack (a third or less:
    /// it does not stand out).
    pub design_share: f64,
    pub focus: f64,
    pub top10_share: f64,
}

/// A named rectangle on the design, in fractions of its width and height.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AreaIn {
    /// 1–40 characters on one line, e.g. `logo`, `price`.
    #[schema(min_length = 1, max_length = 40)]
    pub name: String,
    /// Left edge, 0..1.
    #[schema(minimum = 0.0, maximum = 1.0)]
    pub x: f64,
    /// Top edge, 0..1.
    #[schema(minimum = 0.0, maximum = 1.0)]
    pub y: f64,
    /// Width, above 0; `x + w` ≤ 1.
    #[schema(exclusive_minimum = 0.0, maximum = 1.0)]
    pub w: f64,
    /// Height, above 0; `y + h` ≤ 1.
    #[schema(exclusive_minimum = 0.0, maximum = 1.0)]
    pub h: f64,
}

/// The areas of interest of a design (the whole list, at most 20).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AreasIn {
    #[schema(max_items = 20)]
    pub areas: Vec<AreaIn>,
}

/// An area with its share of attention, once the design is evaluated.
#[derive(Debug, Serialize, ToSchema)]
pub struct AreaOut {
    pub name: String,
    pub x: f64,
    pub y: f64,
    pub w: f64,
    pub h: f64,
    /// Share of the design's saliency inside the area (null until done).
    pub share: Option<f64>,
    /// Share of the shelf scene's saliency inside the area (null until done).
    pub shelf_share: Option<f64>,
}

/// One design's evaluation.
#[derive(Debug, Serialize, ToSchema)]
pub struct EvaluationOut {
    pub file_id: Uuid,
    pub status: EvaluationStatus,
    /// Why it failed or was skipped: `unsupported_format`, `too_large`,
    /// `corrupt`, `encode_failed`, `missing_original`, `interrupted`, `unavailable`.
    pub reason: Option<String>,
    /// The saliency model, e.g. `spectral_residual`.
    pub algorithm: Option<String>,
    pub algorithm_version: Option<i32>,
    pub attempts: i32,
    /// The design's size in pixels as decoded.
    pub width: Option<u32>,
    pub height: Option<u32>,
    pub metrics: Option<MetricsOut>,
    pub shelf: Option<ShelfOut>,
    pub areas: Vec<AreaOut>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub finished_at: Option<DateTime<Utc>>,
}

/// A design of the project with its evaluation, for comparing candidates.
#[derive(Debug, Serialize, ToSchema)]
pub struct EvaluationItem {
    pub file_id: Uuid,
    pub filename: String,
    pub sniffed_type: SniffedType,
    pub file_created_at: DateTime<Utc>,
    /// Null for files uploaded while evaluations were being introduced.
    pub evaluation: Option<EvaluationOut>,
}

/// The figures kept in `file_evaluations.metrics`.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Stored {
    pub width: u32,
    pub height: u32,
    pub metrics: MetricsOut,
    pub shelf: ShelfOut,
    /// Per area, in the order of `areas`.
    pub area_shares: Vec<f64>,
    pub shelf_area_shares: Vec<f64>,
}

/// A saliency map as kept in `file_evaluations.maps`.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct MapJson {
    pub width: u32,
    pub height: u32,
    pub values: Vec<f32>,
}

/// The maps areas are measured on: the design's, and the shelf scene's with
/// where the design sits in it (`[x, y, w, h]` fractions).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct StoredMaps {
    pub design: MapJson,
    pub shelf: MapJson,
    pub design_area: [f64; 4],
}

/// The stored areas of a row (an unreadable value reads as none).
pub fn areas_of(row: &file_evaluation::Model) -> Vec<AreaIn> {
    serde_json::from_str(&row.areas).unwrap_or_default()
}

impl From<file_evaluation::Model> for EvaluationOut {
    fn from(row: file_evaluation::Model) -> Self {
        let stored: Option<Stored> = row
            .metrics
            .as_deref()
            .and_then(|m| serde_json::from_str(m).ok());
        let areas = areas_of(&row)
            .into_iter()
            .enumerate()
            .map(|(i, a)| AreaOut {
                share: stored.as_ref().and_then(|s| s.area_shares.get(i).copied()),
                shelf_share: stored
                    .as_ref()
                    .and_then(|s| s.shelf_area_shares.get(i).copied()),
                name: a.name,
                x: a.x,
                y: a.y,
                w: a.w,
                h: a.h,
            })
            .collect();
        Self {
            file_id: row.file_id,
            status: row.status,
            reason: row.reason,
            algorithm: row.algorithm,
            algorithm_version: row.algorithm_version,
            attempts: row.attempts,
            width: stored.as_ref().map(|s| s.width),
            height: stored.as_ref().map(|s| s.height),
            metrics: stored.as_ref().map(|s| s.metrics),
            shelf: stored.as_ref().map(|s| s.shelf),
            areas,
            created_at: row.created_at,
            updated_at: row.updated_at,
            finished_at: row.finished_at,
        }
    }
}
