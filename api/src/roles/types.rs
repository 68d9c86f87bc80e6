use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::{
    access::permissions,
    entities::role,
    error::FieldError,
    ids::{LabelId, RoleId},
    validate,
};

#[derive(Debug, Serialize, ToSchema)]
pub struct PermissionDescription {
    pub ja: String,
    pub en: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PermissionOut {
    /// Stable name, e.g. `projects.write`.
    pub name: String,
    /// Holding it means an SMS code at login.
    pub privileged: bool,
    pub description: PermissionDescription,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ScopeKind {
    /// Every project.
    All,
    /// Projects carrying any of `label_ids`.
    Labels,
    /// Projects the user is a member of.
    Assigned,
}

impl ScopeKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ScopeKind::All => "all",
            ScopeKind::Labels => "labels",
            ScopeKind::Assigned => "assigned",
        }
    }

    pub fn parse(s: &str) -> ScopeKind {
        match s {
            "labels" => ScopeKind::Labels,
            "assigned" => ScopeKind::Assigned,
            _ => ScopeKind::All,
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ScopeIn {
    pub kind: ScopeKind,
    /// For `labels`: at least one label id.
    #[serde(default)]
    pub label_ids: Vec<LabelId>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RoleIn {
    #[schema(
        example = "緑茶チーム",
        min_length = 1,
        max_length = 100,
        pattern = r"^[^\x00-\x1F\x7F-\x9F]*[^\s\x00-\x1F\x7F-\x9F][^\x00-\x1F\x7F-\x9F]*$"
    )]
    pub name: String,
    #[schema(max_length = 1000)]
    pub description: Option<String>,
    /// Names from `GET /api/v1/permissions`.
    pub permissions: Vec<String>,
    pub scope: ScopeIn,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RolePatch {
    #[schema(
        min_length = 1,
        max_length = 100,
        pattern = r"^[^\x00-\x1F\x7F-\x9F]*[^\s\x00-\x1F\x7F-\x9F][^\x00-\x1F\x7F-\x9F]*$"
    )]
    pub name: Option<String>,
    #[schema(max_length = 1000)]
    pub description: Option<String>,
    pub permissions: Option<Vec<String>>,
    pub scope: Option<ScopeIn>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ScopeOut {
    pub kind: ScopeKind,
    pub label_ids: Vec<LabelId>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct RoleOut {
    pub id: RoleId,
    pub name: String,
    pub description: String,
    /// Built-in roles (admin, editor, viewer) cannot be changed or deleted.
    pub builtin: bool,
    pub permissions: Vec<String>,
    pub scope: ScopeOut,
    /// Users holding the role.
    pub user_count: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl RoleOut {
    pub fn new(r: role::Model, labels: Vec<LabelId>, user_count: i64) -> Self {
        Self {
            id: RoleId(r.id),
            permissions: serde_json::from_str(&r.permissions).unwrap_or_default(),
            scope: ScopeOut {
                kind: ScopeKind::parse(&r.scope_kind),
                label_ids: labels,
            },
            name: r.name,
            description: r.description,
            builtin: r.builtin,
            user_count,
            created_at: r.created_at,
            updated_at: r.updated_at,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct RoleList {
    pub items: Vec<RoleOut>,
}

/// Every failing field of a role definition.
pub fn violations(
    name: &str,
    description: &str,
    perms: &[String],
    scope: &ScopeIn,
) -> Vec<FieldError> {
    let mut out: Vec<FieldError> = validate::name("name", name, 100).into_iter().collect();
    if description.chars().count() > 1000 {
        out.push(FieldError::new(
            "description",
            "too_long",
            "must be at most 1000 characters",
        ));
    }
    let unknown: Vec<&str> = perms
        .iter()
        .filter(|p| permissions::find(p).is_none())
        .map(String::as_str)
        .collect();
    if !unknown.is_empty() {
        out.push(FieldError::new(
            "permissions",
            "unknown_permission",
            format!("no such permission: {}", unknown.join(", ")),
        ));
    }
    match scope.kind {
        ScopeKind::Labels if scope.label_ids.is_empty() => out.push(FieldError::new(
            "scope.label_ids",
            "required",
            "a labels scope needs at least one label",
        )),
        ScopeKind::All | ScopeKind::Assigned if !scope.label_ids.is_empty() => {
            out.push(FieldError::new(
                "scope.label_ids",
                "not_allowed",
                "only a labels scope takes label ids",
            ))
        }
        _ => {}
    }
    out
}
