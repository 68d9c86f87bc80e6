use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::{
    entities::tenant::file,
    ids::{FileId, ProjectId, UserId},
    storage::SniffedType,
};

#[derive(Debug, Serialize, ToSchema)]
pub struct FileOut {
    pub id: FileId,
    pub project_id: ProjectId,
    pub filename: String,
    /// The type the uploader declared.
    pub declared_type: String,
    /// The type found in the bytes themselves.
    #[schema(inline)]
    pub sniffed_type: SniffedType,
    pub size: i64,
    /// Lower-case hex SHA-256 of the bytes; also the download's ETag.
    pub sha256: String,
    pub created_by: Option<UserId>,
    pub created_at: DateTime<Utc>,
}

impl From<file::Model> for FileOut {
    fn from(f: file::Model) -> Self {
        Self {
            id: FileId(f.id),
            project_id: ProjectId(f.project_id),
            sniffed_type: f.sniffed_type,
            filename: f.filename,
            declared_type: f.declared_type,
            size: f.size,
            sha256: f.sha256,
            created_by: f.created_by.map(UserId),
            created_at: f.created_at,
        }
    }
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct UploadQuery {
    /// The file's name, for a raw (non-multipart) body.
    #[param(min_length = 1, max_length = 255)]
    pub filename: Option<String>,
}

/// `Content-Disposition` with an ASCII fallback and the RFC 5987 UTF-8 name,
/// so Japanese names survive every browser.
pub fn content_disposition(filename: &str) -> String {
    let ascii: String = filename
        .chars()
        .map(|c| {
            if c.is_ascii_graphic() && c != '"' && c != '\\' || c == ' ' {
                c
            } else {
                '_'
            }
        })
        .collect();
    let encoded: String = filename
        .bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"!#$&+-.^_`|~".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect();
    format!("attachment; filename=\"{ascii}\"; filename*=UTF-8''{encoded}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn japanese_names_survive_in_rfc5987_form() {
        let h = content_disposition("パッケージ案 v2.pdf");
        assert!(
            h.starts_with("attachment; filename=\"______ v2.pdf\""),
            "{h}"
        );
        assert!(
            h.ends_with(
                "filename*=UTF-8''%E3%83%91%E3%83%83%E3%82%B1%E3%83%BC%E3%82%B8%E6%A1%88%20v2.pdf"
            ),
            "{h}"
        );
    }
}
