//! Roles: a function scope (permissions) and a reference scope (all projects,
//! those carrying given labels, or those the user is assigned to). Built-in
//! roles cannot be changed or deleted; custom roles need `roles.manage`.

mod store;
pub mod types;

use std::collections::BTreeSet;

use actix_web::{delete, get, patch, post, web, HttpRequest, HttpResponse};
use chrono::Utc;
use sea_orm::{ActiveModelTrait, ActiveValue::Set, EntityTrait, QueryOrder};
use uuid::Uuid;

use crate::{
    access::permissions::CATALOGUE,
    auth::TenantCtx,
    entities::role,
    error::{ApiError, ApiResult},
    ids::RoleId,
    startup::AppState,
    users::service as users,
};
use store::{
    find, name_taken, on_privilege_gain, out, privileged, record, role_labels, save_scope,
};
use types::{
    PermissionDescription, PermissionOut, RoleIn, RoleList, RoleOut, RolePatch, ScopeIn, ScopeKind,
};

/// The permission catalogue, with Japanese and English descriptions.
#[utoipa::path(
    tag = "roles",
    responses(
        (status = 200, body = Vec<PermissionOut>),
        (status = 401, description = "No valid token or session", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 403, description = "`password_change_required`", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 503, description = "Database unavailable", body = crate::error::Problem, content_type = "application/problem+json"),
    )
)]
#[get("/permissions")]
async fn list_permissions(ctx: TenantCtx) -> ApiResult<HttpResponse> {
    ctx.commit().await?;
    let out: Vec<PermissionOut> = CATALOGUE
        .iter()
        .map(|p| PermissionOut {
            name: p.name.into(),
            privileged: p.privileged,
            description: PermissionDescription {
                ja: p.description_ja.into(),
                en: p.description_en.into(),
            },
        })
        .collect();
    Ok(HttpResponse::Ok().json(out))
}

/// Every role, built-in first.
#[utoipa::path(
    tag = "roles",
    responses(
        (status = 200, body = RoleList),
        (status = 401, description = "No valid token or session", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 403, description = "`permission_denied` (needs `roles.manage`)", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 503, description = "Database unavailable", body = crate::error::Problem, content_type = "application/problem+json"),
    )
)]
#[get("/roles")]
async fn list_roles(ctx: TenantCtx) -> ApiResult<HttpResponse> {
    ctx.require("roles.manage")?;
    let rows = role::Entity::find()
        .order_by_desc(role::Column::Builtin)
        .order_by_asc(role::Column::Name)
        .all(&*ctx.tx)
        .await?;
    let mut items = Vec::with_capacity(rows.len());
    for r in rows {
        items.push(out(&*ctx.tx, r).await?);
    }
    ctx.commit().await?;
    Ok(HttpResponse::Ok().json(RoleList { items }))
}

/// Create a custom role.
#[utoipa::path(
    tag = "roles",
    request_body = RoleIn,
    responses(
        (status = 201, body = RoleOut),
        (status = 400, description = "Malformed JSON", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 401, description = "No valid token or session", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 403, description = "`permission_denied` (needs `roles.manage`)", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 409, description = "`role_name_taken`", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 413, description = "Body too large", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 415, description = "Body is not JSON", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields, unknown permissions or labels", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 503, description = "Database unavailable", body = crate::error::Problem, content_type = "application/problem+json"),
    )
)]
#[post("/roles")]
async fn create_role(
    state: web::Data<AppState>,
    req: HttpRequest,
    ctx: TenantCtx,
    body: web::Json<RoleIn>,
) -> ApiResult<HttpResponse> {
    ctx.require("roles.manage")?;
    let input = body.into_inner();
    let description = input.description.clone().unwrap_or_default();
    let errors = types::violations(&input.name, &description, &input.permissions, &input.scope);
    if !errors.is_empty() {
        return Err(ApiError::Validation(errors));
    }
    let perms: Vec<String> = input
        .permissions
        .iter()
        .cloned()
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let now = Utc::now();
    let created = role::ActiveModel {
        id: Set(Uuid::now_v7()),
        name: Set(input.name.trim().to_owned()),
        description: Set(description),
        builtin: Set(false),
        permissions: Set(serde_json::to_string(&perms).map_err(ApiError::internal)?),
        scope_kind: Set(input.scope.kind.as_str().to_owned()),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(&*ctx.tx)
    .await
    .map_err(name_taken)?;
    save_scope(&*ctx.tx, created.id, &input.scope).await?;
    let body = out(&*ctx.tx, created).await?;
    let details = serde_json::json!({ "role_id": body.id, "name": body.name, "permissions": body.permissions, "scope": input.scope.kind.as_str() });
    record(&state, ctx, &req, "role.created", details).await?;
    Ok(HttpResponse::Created().json(body))
}

/// One role.
#[utoipa::path(
    tag = "roles",
    params(("id" = RoleId, Path, description = "Role id")),
    responses(
        (status = 200, body = RoleOut),
        (status = 400, description = "The id is not a UUID", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 401, description = "No valid token or session", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 403, description = "`permission_denied` (needs `roles.manage`)", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such role here", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 503, description = "Database unavailable", body = crate::error::Problem, content_type = "application/problem+json"),
    )
)]
#[get("/roles/{id}")]
async fn get_role(ctx: TenantCtx, id: web::Path<RoleId>) -> ApiResult<HttpResponse> {
    ctx.require("roles.manage")?;
    let body = out(&*ctx.tx, find(&*ctx.tx, id.as_uuid()).await?).await?;
    ctx.commit().await?;
    Ok(HttpResponse::Ok().json(body))
}

/// Change a custom role. Its holders' rights change on their next request;
/// a role turning privileged ends its holders' sessions (they log in again,
/// with the SMS code).
#[utoipa::path(
    tag = "roles",
    params(("id" = RoleId, Path, description = "Role id")),
    request_body = RolePatch,
    responses(
        (status = 200, body = RoleOut),
        (status = 400, description = "Malformed JSON or id", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 401, description = "No valid token or session", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 403, description = "`permission_denied` (needs `roles.manage`)", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such role here", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 409, description = "`builtin_role`, `role_name_taken` or `last_administrator`", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 413, description = "Body too large", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 415, description = "Body is not JSON", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields; `phone_required` when a holder has no phone for a privileged role", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 503, description = "Database unavailable", body = crate::error::Problem, content_type = "application/problem+json"),
    )
)]
#[patch("/roles/{id}")]
async fn update_role(
    state: web::Data<AppState>,
    req: HttpRequest,
    ctx: TenantCtx,
    id: web::Path<RoleId>,
    body: web::Json<RolePatch>,
) -> ApiResult<HttpResponse> {
    ctx.require("roles.manage")?;
    users::lock_guard_rails(&*ctx.tx, ctx.tenant_id()).await?;
    let existing = find(&*ctx.tx, id.as_uuid()).await?;
    if existing.builtin {
        return Err(ApiError::conflict(
            "builtin_role",
            "built-in roles cannot be changed",
        ));
    }
    let patch = body.into_inner();
    let before: Vec<String> = serde_json::from_str(&existing.permissions).unwrap_or_default();
    let current_labels = role_labels(&*ctx.tx, &[existing.id])
        .await?
        .remove(&existing.id)
        .unwrap_or_default();
    let scope = patch.scope.clone().unwrap_or(ScopeIn {
        kind: ScopeKind::parse(&existing.scope_kind),
        label_ids: current_labels,
    });
    let name = patch.name.clone().unwrap_or_else(|| existing.name.clone());
    let description = patch
        .description
        .clone()
        .unwrap_or_else(|| existing.description.clone());
    let perms: Vec<String> = patch
        .permissions
        .clone()
        .unwrap_or_else(|| before.clone())
        .into_iter()
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let errors = types::violations(&name, &description, &perms, &scope);
    if !errors.is_empty() {
        return Err(ApiError::Validation(errors));
    }
    let mut row: role::ActiveModel = existing.clone().into();
    row.name = Set(name.trim().to_owned());
    row.description = Set(description);
    row.permissions = Set(serde_json::to_string(&perms).map_err(ApiError::internal)?);
    row.scope_kind = Set(scope.kind.as_str().to_owned());
    row.updated_at = Set(Utc::now());
    let updated = row.update(&*ctx.tx).await.map_err(name_taken)?;
    save_scope(&*ctx.tx, updated.id, &scope).await?;
    if privileged(&perms) && !privileged(&before) {
        on_privilege_gain(&*ctx.tx, updated.id).await?;
    }
    users::ensure_an_administrator_remains(&*ctx.tx).await?;
    let body = out(&*ctx.tx, updated).await?;
    let details = serde_json::json!({ "role_id": body.id, "before": before, "after": perms, "scope": scope.kind.as_str() });
    record(&state, ctx, &req, "role.updated", details).await?;
    Ok(HttpResponse::Ok().json(body))
}

/// Delete a custom role; its holders lose it at once.
#[utoipa::path(
    tag = "roles",
    params(("id" = RoleId, Path, description = "Role id")),
    responses(
        (status = 204, description = "Deleted"),
        (status = 400, description = "The id is not a UUID", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 401, description = "No valid token or session", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 403, description = "`permission_denied` (needs `roles.manage`)", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such role here", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 409, description = "`builtin_role` or `last_administrator`", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 503, description = "Database unavailable", body = crate::error::Problem, content_type = "application/problem+json"),
    )
)]
#[delete("/roles/{id}")]
async fn delete_role(
    state: web::Data<AppState>,
    req: HttpRequest,
    ctx: TenantCtx,
    id: web::Path<RoleId>,
) -> ApiResult<HttpResponse> {
    ctx.require("roles.manage")?;
    users::lock_guard_rails(&*ctx.tx, ctx.tenant_id()).await?;
    let existing = find(&*ctx.tx, id.as_uuid()).await?;
    if existing.builtin {
        return Err(ApiError::conflict(
            "builtin_role",
            "built-in roles cannot be deleted",
        ));
    }
    role::Entity::delete_by_id(existing.id)
        .exec(&*ctx.tx)
        .await?;
    users::ensure_an_administrator_remains(&*ctx.tx).await?;
    let details = serde_json::json!({ "role_id": existing.id, "name": existing.name });
    record(&state, ctx, &req, "role.deleted", details).await?;
    Ok(HttpResponse::NoContent().finish())
}

pub fn routes(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(list_permissions)
        .service(list_roles)
        .service(create_role)
        .service(get_role)
        .service(update_role)
        .service(delete_role);
}
