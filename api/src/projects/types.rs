use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use validator::Validate;

pub use crate::entities::tenant::project::ProjectStatus;
use crate::{
    entities::tenant::{label, project},
    error::ApiError,
    ids::{LabelId, ProjectId, UserId},
    page::PageQuery,
    values::{Check, DisplayName},
};

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct LabelRef {
    pub id: LabelId,
    pub code: String,
    pub name: String,
}

impl From<&label::Model> for LabelRef {
    fn from(l: &label::Model) -> Self {
        Self {
            id: LabelId(l.id),
            code: l.code.clone(),
            name: l.name.clone(),
        }
    }
}

#[derive(Debug, Deserialize, ToSchema, Validate)]
#[serde(deny_unknown_fields)]
pub struct ProjectIn {
    /// 1–200 characters; Japanese welcome.
    #[schema(
        example = "新商品 緑茶ボトル リニューアル",
        min_length = 1,
        max_length = 200,
        pattern = r"^[^\x00-\x1F\x7F-\x9F\u2028\u2029\u202A-\u202E\u2066-\u2069]*[^\s\x00-\x1F\x7F-\x9F\u2028\u2029\u202A-\u202E\u2066-\u2069][^\x00-\x1F\x7F-\x9F\u2028\u2029\u202A-\u202E\u2066-\u2069]*$"
    )]
    pub name: String,
    /// Up to 10,000 characters.
    #[schema(max_length = 10000)]
    #[validate(length(
        max = 10_000,
        code = "too_long",
        message = "must be at most 10000 characters"
    ))]
    pub description: Option<String>,
    pub status: Option<ProjectStatus>,
    /// Labels to carry from the start (at most 100, all must exist): the
    /// project and its labels are created together or not at all.
    #[serde(default)]
    #[schema(max_items = 100)]
    pub label_ids: Vec<crate::ids::LabelId>,
}

#[derive(Debug, Deserialize, ToSchema, Validate)]
#[serde(deny_unknown_fields)]
pub struct ProjectPatch {
    #[schema(
        min_length = 1,
        max_length = 200,
        pattern = r"^[^\x00-\x1F\x7F-\x9F\u2028\u2029\u202A-\u202E\u2066-\u2069]*[^\s\x00-\x1F\x7F-\x9F\u2028\u2029\u202A-\u202E\u2066-\u2069][^\x00-\x1F\x7F-\x9F\u2028\u2029\u202A-\u202E\u2066-\u2069]*$"
    )]
    pub name: Option<String>,
    #[schema(max_length = 10000)]
    #[validate(length(
        max = 10_000,
        code = "too_long",
        message = "must be at most 10000 characters"
    ))]
    pub description: Option<String>,
    pub status: Option<ProjectStatus>,
}

/// A new project whose every field passed its rule.
pub struct NewProject {
    pub name: DisplayName,
    pub description: String,
    pub status: ProjectStatus,
    pub label_ids: std::collections::BTreeSet<uuid::Uuid>,
}

/// A project's change, every field given passed its rule.
pub struct ProjectChange {
    pub name: Option<DisplayName>,
    pub description: Option<String>,
    pub status: Option<ProjectStatus>,
}

impl ProjectIn {
    pub fn parse(self) -> Result<NewProject, ApiError> {
        let mut check = Check::new(self.validate());
        let name = check.take(DisplayName::parse("name", &self.name));
        check.done(|| {
            Some(NewProject {
                name: name?,
                description: self.description.unwrap_or_default(),
                status: self.status.unwrap_or(ProjectStatus::Active),
                label_ids: self.label_ids.iter().map(|l| l.as_uuid()).collect(),
            })
        })
    }
}

impl ProjectPatch {
    pub fn parse(self) -> Result<ProjectChange, ApiError> {
        let mut check = Check::new(self.validate());
        let name = check.take(
            self.name
                .as_deref()
                .map(|n| DisplayName::parse("name", n))
                .transpose(),
        );
        check.done(|| {
            Some(ProjectChange {
                name: name?,
                description: self.description,
                status: self.status,
            })
        })
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ProjectOut {
    pub id: ProjectId,
    pub name: String,
    pub description: String,
    pub status: ProjectStatus,
    pub labels: Vec<LabelRef>,
    pub created_by: Option<UserId>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// Also sent as the `ETag` header; send it back in `If-Match`.
    pub version: i32,
}

impl ProjectOut {
    pub fn new(p: project::Model, labels: Vec<LabelRef>) -> Self {
        Self {
            id: ProjectId(p.id),
            status: p.status,
            name: p.name,
            description: p.description,
            labels,
            created_by: p.created_by.map(UserId),
            created_at: p.created_at,
            updated_at: p.updated_at,
            version: p.version,
        }
    }
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ProjectSort {
    /// Most recently updated first (default).
    #[default]
    Updated,
    /// By name.
    Name,
}

/// `label` may repeat: projects must carry every code given.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ProjectQuery {
    /// A product code; repeat for several (all must match).
    #[param(style = Form, explode, max_length = 64)]
    #[serde(default)]
    pub label: Vec<String>,
    /// Part of the name or description (case- and width-insensitive).
    #[param(max_length = 200)]
    pub q: Option<String>,
    #[param(inline)]
    pub status: Option<ProjectStatus>,
    #[param(inline)]
    pub sort: Option<ProjectSort>,
    /// `cursor` and `limit`, documented as [`PageQuery`].
    #[param(ignore)]
    #[serde(skip)]
    pub page: PageQuery,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LabelIdsIn {
    /// The complete new set (empty removes every label).
    pub label_ids: Vec<LabelId>,
}
