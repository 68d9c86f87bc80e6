//! `file_evaluations` in a tenant schema: one design evaluation per file
//! (issue 19), both the job the workers claim and its result.

use sea_orm::entity::prelude::*;

use super::file::SniffedType;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize)]
#[sea_orm(table_name = "file_evaluations")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub file_id: Uuid,
    pub status: EvaluationStatus,
    pub reason: Option<String>,
    pub algorithm: Option<String>,
    pub algorithm_version: Option<i32>,
    /// JSON: the figures (`evaluations::types::Stored`).
    pub metrics: Option<String>,
    /// JSON: the design's and the shelf scene's saliency maps.
    pub maps: Option<String>,
    /// JSON: the areas of interest, `[{name, x, y, w, h}]`.
    pub areas: String,
    pub attempts: i32,
    pub heatmap_key: Option<String>,
    pub raw_key: Option<String>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub claimed_at: Option<DateTimeUtc>,
    pub finished_at: Option<DateTimeUtc>,
}

stored_enum! {
    /// `pending` → `running` → `done` or `failed`; `skipped` for designs
    /// that are not evaluated (PDF, SVG, other).
    pub enum EvaluationStatus {
        Pending,
        Running,
        Done,
        Failed,
        Skipped,
    }
}

/// Whether designs of this type are evaluated: the raster types the
/// evaluation decodes. SVG is not rasterised yet; PDF is a document.
pub fn evaluated(kind: SniffedType) -> bool {
    matches!(
        kind,
        SniffedType::Png | SniffedType::Jpeg | SniffedType::Webp | SniffedType::Gif
    )
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
