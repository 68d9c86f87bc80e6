use std::collections::BTreeSet;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use validator::Validate;

use crate::{
    access::permissions::{self, Permission},
    entities::tenant::role::{self, ScopeKind},
    error::{ApiError, FieldError},
    ids::{LabelId, RoleId},
    values::{Check, RoleName},
};

#[derive(Debug, Serialize, ToSchema)]
pub struct PermissionDescription {
    pub ja: String,
    pub en: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PermissionOut {
    /// Stable name, e.g. `projects.write`.
    pub name: Permission,
    /// Holding it means an SMS code at login.
    pub privileged: bool,
    pub description: PermissionDescription,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ScopeIn {
    pub kind: ScopeKind,
    /// For `labels`: at least one label id.
    #[serde(default)]
    pub label_ids: Vec<LabelId>,
}

#[derive(Debug, Deserialize, ToSchema, Validate)]
#[serde(deny_unknown_fields)]
pub struct RoleIn {
    #[schema(
        example = "緑茶チーム",
        min_length = 1,
        max_length = 100,
        pattern = r"^[^\x00-\x1F\x7F-\x9F\u2028\u2029\u202A-\u202E\u2066-\u2069]*[^\s\x00-\x1F\x7F-\x9F\u2028\u2029\u202A-\u202E\u2066-\u2069][^\x00-\x1F\x7F-\x9F\u2028\u2029\u202A-\u202E\u2066-\u2069]*$"
    )]
    pub name: String,
    #[schema(max_length = 1000)]
    #[validate(length(
        max = 1000,
        code = "too_long",
        message = "must be at most 1000 characters"
    ))]
    pub description: Option<String>,
    /// Names from `GET /api/v1/permissions`.
    #[schema(value_type = Vec<Permission>)]
    pub permissions: Vec<String>,
    pub scope: ScopeIn,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RolePatch {
    #[schema(
        min_length = 1,
        max_length = 100,
        pattern = r"^[^\x00-\x1F\x7F-\x9F\u2028\u2029\u202A-\u202E\u2066-\u2069]*[^\s\x00-\x1F\x7F-\x9F\u2028\u2029\u202A-\u202E\u2066-\u2069][^\x00-\x1F\x7F-\x9F\u2028\u2029\u202A-\u202E\u2066-\u2069]*$"
    )]
    pub name: Option<String>,
    #[schema(max_length = 1000)]
    pub description: Option<String>,
    #[schema(value_type = Option<Vec<Permission>>)]
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
    pub permissions: Vec<Permission>,
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
            permissions: permissions::parse_stored(&r.permissions)
                .into_iter()
                .collect(),
            scope: ScopeOut {
                kind: r.scope_kind,
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

/// A role definition whose every field passed its rule.
pub struct RoleDef {
    pub name: RoleName,
    pub description: String,
    pub permissions: BTreeSet<Permission>,
    pub scope: ScopeIn,
}

impl RoleIn {
    /// 422 listing every failing field of the definition.
    pub fn parse(self) -> Result<RoleDef, ApiError> {
        let mut check = Check::new(self.validate());
        let name = check.take(RoleName::parse("name", &self.name));
        let permissions = check.take(parse_permissions(&self.permissions));
        check.extend(scope_violation(&self.scope));
        check.done(|| {
            Some(RoleDef {
                name: name?,
                description: self.description.unwrap_or_default(),
                permissions: permissions?,
                scope: self.scope,
            })
        })
    }
}

fn parse_permissions(names: &[String]) -> Result<BTreeSet<Permission>, FieldError> {
    let unknown: Vec<&str> = names
        .iter()
        .filter(|p| p.parse::<Permission>().is_err())
        .map(String::as_str)
        .collect();
    if !unknown.is_empty() {
        return Err(FieldError::new(
            "permissions",
            "unknown_permission",
            format!("no such permission: {}", unknown.join(", ")),
        ));
    }
    Ok(names.iter().filter_map(|p| p.parse().ok()).collect())
}

/// Only a labels scope takes labels, and it needs one at least.
fn scope_violation(scope: &ScopeIn) -> Option<FieldError> {
    match scope.kind {
        ScopeKind::Labels if scope.label_ids.is_empty() => Some(FieldError::new(
            "scope.label_ids",
            "required",
            "a labels scope needs at least one label",
        )),
        ScopeKind::All | ScopeKind::Assigned if !scope.label_ids.is_empty() => {
            Some(FieldError::new(
                "scope.label_ids",
                "not_allowed",
                "only a labels scope takes label ids",
            ))
        }
        _ => None,
    }
}
