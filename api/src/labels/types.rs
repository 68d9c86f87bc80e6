use chrono::{DateTime, Utc};
use serde::{Deserialize, Deserializer, Serialize};
use utoipa::{IntoParams, ToSchema};

pub use crate::entities::tenant::label::LabelKind;
use crate::{
    entities::tenant::label,
    error::ApiError,
    ids::LabelId,
    values::{Check, DisplayName, LabelCode},
};

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LabelIn {
    /// The product code; unique in the tenant regardless of case.
    #[schema(
        example = "4901234567894",
        pattern = "^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$"
    )]
    pub code: String,
    pub kind: Option<LabelKind>,
    #[schema(
        example = "緑茶 500ml",
        min_length = 1,
        max_length = 200,
        pattern = r"^[^\x00-\x1F\x7F-\x9F\u2028\u2029\u202A-\u202E\u2066-\u2069]*[^\s\x00-\x1F\x7F-\x9F\u2028\u2029\u202A-\u202E\u2066-\u2069][^\x00-\x1F\x7F-\x9F\u2028\u2029\u202A-\u202E\u2066-\u2069]*$"
    )]
    pub name: String,
}

fn double_option<'de, D, T>(d: D) -> Result<Option<Option<T>>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    Option::<T>::deserialize(d).map(Some)
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LabelPatch {
    #[schema(pattern = "^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")]
    pub code: Option<String>,
    /// `jan`, or null to drop the check.
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<LabelKind>)]
    pub kind: Option<Option<LabelKind>>,
    #[schema(
        min_length = 1,
        max_length = 200,
        pattern = r"^[^\x00-\x1F\x7F-\x9F\u2028\u2029\u202A-\u202E\u2066-\u2069]*[^\s\x00-\x1F\x7F-\x9F\u2028\u2029\u202A-\u202E\u2066-\u2069][^\x00-\x1F\x7F-\x9F\u2028\u2029\u202A-\u202E\u2066-\u2069]*$"
    )]
    pub name: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct LabelOut {
    pub id: LabelId,
    pub code: String,
    pub kind: Option<LabelKind>,
    pub name: String,
    /// Projects carrying this label.
    pub project_count: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl LabelOut {
    pub fn new(m: label::Model, project_count: i64) -> Self {
        Self {
            id: LabelId(m.id),
            kind: m.kind,
            code: m.code,
            name: m.name,
            project_count,
            created_at: m.created_at,
            updated_at: m.updated_at,
        }
    }
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct LabelQuery {
    /// Part of the code or name (case-insensitive).
    #[param(max_length = 200)]
    pub q: Option<String>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DeleteQuery {
    /// Delete even when projects carry the label (it is detached from them).
    pub force: Option<bool>,
}

/// A label whose every field passed its rule.
pub struct NewLabel {
    pub code: LabelCode,
    pub kind: Option<LabelKind>,
    pub name: DisplayName,
}

impl LabelIn {
    pub fn parse(self) -> Result<NewLabel, ApiError> {
        let mut check = Check::default();
        let code = check.take(LabelCode::parse("code", &self.code, self.kind));
        let name = check.take(DisplayName::parse("name", &self.name));
        check.done(|| {
            Some(NewLabel {
                code: code?,
                kind: self.kind,
                name: name?,
            })
        })
    }
}
