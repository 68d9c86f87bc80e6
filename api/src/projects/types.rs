use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::{
    entities::tenant::{label, project},
    error::FieldError,
    ids::{LabelId, ProjectId, UserId},
    page::PageQuery,
    validate,
};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ProjectStatus {
    Active,
    Archived,
}

impl ProjectStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            ProjectStatus::Active => "active",
            ProjectStatus::Archived => "archived",
        }
    }
}

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

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ProjectIn {
    /// 1–200 characters; Japanese welcome.
    #[schema(
        example = "新商品 緑茶ボトル リニューアル",
        min_length = 1,
        max_length = 200,
        pattern = r"^[^\x00-\x1F\x7F-\x9F]*[^\s\x00-\x1F\x7F-\x9F][^\x00-\x1F\x7F-\x9F]*$"
    )]
    pub name: String,
    /// Up to 10,000 characters.
    #[schema(max_length = 10000)]
    pub description: Option<String>,
    pub status: Option<ProjectStatus>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ProjectPatch {
    #[schema(
        min_length = 1,
        max_length = 200,
        pattern = r"^[^\x00-\x1F\x7F-\x9F]*[^\s\x00-\x1F\x7F-\x9F][^\x00-\x1F\x7F-\x9F]*$"
    )]
    pub name: Option<String>,
    #[schema(max_length = 10000)]
    pub description: Option<String>,
    pub status: Option<ProjectStatus>,
}

pub fn description_violation(d: &str) -> Option<FieldError> {
    (d.chars().count() > 10_000).then(|| {
        FieldError::new(
            "description",
            "too_long",
            "must be at most 10000 characters",
        )
    })
}

impl ProjectIn {
    pub fn violations(&self) -> Vec<FieldError> {
        [
            validate::name("name", &self.name, 200),
            self.description.as_deref().and_then(description_violation),
        ]
        .into_iter()
        .flatten()
        .collect()
    }
}

impl ProjectPatch {
    pub fn violations(&self) -> Vec<FieldError> {
        [
            self.name
                .as_deref()
                .and_then(|n| validate::name("name", n, 200)),
            self.description.as_deref().and_then(description_violation),
        ]
        .into_iter()
        .flatten()
        .collect()
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
            status: if p.status == "archived" {
                ProjectStatus::Archived
            } else {
                ProjectStatus::Active
            },
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
