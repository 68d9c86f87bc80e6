//! `files` in a tenant schema: metadata of design files in object storage.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize)]
#[sea_orm(table_name = "files")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub project_id: Uuid,
    pub filename: String,
    pub declared_type: String,
    pub sniffed_type: SniffedType,
    pub size: i64,
    pub sha256: String,
    pub object_key: String,
    pub created_by: Option<Uuid>,
    pub created_at: DateTimeUtc,
}

// What the first bytes of a file show it to be (`storage::sniff`).
stored_enum! {
    pub enum SniffedType {
        Png,
        Jpeg,
        Webp,
        Gif,
        Pdf,
        Svg,
        Other,
    }
}

impl SniffedType {
    /// The IANA media type to serve the object with.
    pub fn mime(self) -> &'static str {
        match self {
            Self::Png => "image/png",
            Self::Jpeg => "image/jpeg",
            Self::Webp => "image/webp",
            Self::Gif => "image/gif",
            Self::Pdf => "application/pdf",
            Self::Svg => "image/svg+xml",
            Self::Other => "application/octet-stream",
        }
    }
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
