//! Roles: a function scope (permissions) and a reference scope (all projects,
//! those carrying given labels, or those the user is assigned to). Built-in
//! roles cannot be changed or deleted; custom roles need `roles.manage`.

mod store;
pub mod types;

use actix_web::{delete, get, patch, post, web, HttpRequest, HttpResponse};
use sea_orm::{ActiveModelTrait, ActiveValue::Set, EntityTrait, QueryOrder};
use uuid::Uuid;

use crate::{
    access::{permissions, Permission},
    accounts,
    auth::TenantCtx,
    entities::tenant::role,
    error::ErrorCode,
    error::{ApiError, ApiResult},
    ids::RoleId,
};
use store::{
    find, name_taken, on_privilege_gain, out, privileged, record, role_labels, save_scope,
};
use types::{
    PermissionDescription, PermissionOut, RoleDef, RoleIn, RoleList, RoleOut, RolePatch, ScopeIn,
};

/// The permission catalogue, with Japanese and English descriptions.
#[utoipa::path(
    tag = "roles",
    responses(
        (status = 200, body = Vec<PermissionOut>),
        crate::error::Unauthenticated,
        (status = 403, description = "`password_change_required`", body = crate::error::Problem, content_type = "application/problem+json"),
        crate::error::DatabaseUnavailable,
    )
)]
#[get("/permissions")]
async fn list_permissions(ctx: TenantCtx) -> ApiResult<HttpResponse> {
    let _ = ctx; // any signed-in user may read the catalogue
    let out: Vec<PermissionOut> = Permission::ALL
        .into_iter()
        .map(|p| {
            let (ja, en) = p.description();
            PermissionOut {
                name: p,
                privileged: p.privileged(),
                description: PermissionDescription {
                    ja: ja.into(),
                    en: en.into(),
                },
            }
        })
        .collect();
    Ok(HttpResponse::Ok().json(out))
}

/// Every role, built-in first.
#[utoipa::path(
    tag = "roles",
    responses(
        (status = 200, body = RoleList),
        crate::error::Unauthenticated,
        (status = 403, description = "`permission_denied` (needs `roles.manage`)", body = crate::error::Problem, content_type = "application/problem+json"),
        crate::error::DatabaseUnavailable,
    )
)]
#[get("/roles")]
async fn list_roles(ctx: TenantCtx) -> ApiResult<HttpResponse> {
    ctx.require(Permission::RolesManage)?;
    let rows = role::Entity::find()
        .order_by_desc(role::Column::Builtin)
        .order_by_asc(role::Column::Name)
        .all(ctx.tx().await?)
        .await?;
    let mut items = Vec::with_capacity(rows.len());
    for r in rows {
        items.push(out(ctx.tx().await?, r).await?);
    }
    Ok(HttpResponse::Ok().json(RoleList { items }))
}

/// Create a custom role.
#[utoipa::path(
    tag = "roles",
    request_body = RoleIn,
    responses(
        (status = 201, body = RoleOut),
        crate::error::JsonBody,
        crate::error::Unauthenticated,
        (status = 403, description = "`permission_denied` (needs `roles.manage`)", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 409, description = "`role_name_taken`", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields, unknown permissions or labels", body = crate::error::Problem, content_type = "application/problem+json"),
        crate::error::DatabaseUnavailable,
    )
)]
#[post("/roles")]
async fn create_role(
    req: HttpRequest,
    ctx: TenantCtx,
    body: crate::http::Json<RoleIn>,
) -> ApiResult<HttpResponse> {
    ctx.require(Permission::RolesManage)?;
    let input = body.into_inner().parse()?;
    let now = ctx.now();
    let created = role::ActiveModel {
        id: Set(Uuid::now_v7()),
        name: Set(input.name.into()),
        description: Set(input.description),
        builtin: Set(false),
        permissions: Set(permissions::to_stored(&input.permissions)),
        scope_kind: Set(input.scope.kind),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(ctx.tx().await?)
    .await
    .map_err(name_taken)?;
    save_scope(ctx.tx().await?, created.id, &input.scope).await?;
    let body = out(ctx.tx().await?, created).await?;
    let details = serde_json::json!({ "role_id": body.id, "name": body.name, "permissions": body.permissions, "scope": input.scope.kind });
    record(&ctx, &req, "role.created", details).await?;
    Ok(HttpResponse::Created().json(body))
}

/// One role.
#[utoipa::path(
    tag = "roles",
    params(("id" = RoleId, Path, description = "Role id")),
    responses(
        (status = 200, body = RoleOut),
        crate::error::BadId,
        crate::error::Unauthenticated,
        (status = 403, description = "`permission_denied` (needs `roles.manage`)", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such role here", body = crate::error::Problem, content_type = "application/problem+json"),
        crate::error::DatabaseUnavailable,
    )
)]
#[get("/roles/{id}")]
async fn get_role(ctx: TenantCtx, id: web::Path<RoleId>) -> ApiResult<HttpResponse> {
    ctx.require(Permission::RolesManage)?;
    let body = out(ctx.tx().await?, find(ctx.tx().await?, id.as_uuid()).await?).await?;
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
        crate::error::JsonBodyAndId,
        crate::error::Unauthenticated,
        (status = 403, description = "`permission_denied` (needs `roles.manage`)", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such role here", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 409, description = "`builtin_role`, `role_name_taken` or `last_administrator`", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields; `phone_required` when a holder has no phone for a privileged role", body = crate::error::Problem, content_type = "application/problem+json"),
        crate::error::DatabaseUnavailable,
    )
)]
#[patch("/roles/{id}")]
async fn update_role(
    req: HttpRequest,
    ctx: TenantCtx,
    id: web::Path<RoleId>,
    body: crate::http::Json<RolePatch>,
) -> ApiResult<HttpResponse> {
    ctx.require(Permission::RolesManage)?;
    accounts::lock_guard_rails(ctx.tx().await?, ctx.tenant_id()).await?;
    let existing = find(ctx.tx().await?, id.as_uuid()).await?;
    if existing.builtin {
        return Err(ApiError::conflict(
            ErrorCode::BuiltinRole,
            "built-in roles cannot be changed",
        ));
    }
    let patch = body.into_inner();
    let before = permissions::parse_stored(&existing.permissions);
    let current_labels = role_labels(ctx.tx().await?, &[existing.id])
        .await?
        .remove(&existing.id)
        .unwrap_or_default();
    // The role as it would be is checked whole.
    let RoleDef {
        name,
        description,
        permissions: perms,
        scope,
    } = RoleIn {
        name: patch.name.unwrap_or_else(|| existing.name.clone()),
        description: Some(
            patch
                .description
                .unwrap_or_else(|| existing.description.clone()),
        ),
        permissions: patch
            .permissions
            .unwrap_or_else(|| before.iter().map(|p| p.name().to_owned()).collect()),
        scope: patch.scope.unwrap_or(ScopeIn {
            kind: existing.scope_kind,
            label_ids: current_labels,
        }),
    }
    .parse()?;
    let mut row: role::ActiveModel = existing.clone().into();
    row.name = Set(name.into());
    row.description = Set(description);
    row.permissions = Set(permissions::to_stored(&perms));
    row.scope_kind = Set(scope.kind);
    row.updated_at = Set(ctx.now());
    let updated = row.update(ctx.tx().await?).await.map_err(name_taken)?;
    save_scope(ctx.tx().await?, updated.id, &scope).await?;
    if privileged(&perms) && !privileged(&before) {
        on_privilege_gain(ctx.tx().await?, updated.id, ctx.now()).await?;
    }
    accounts::ensure_an_administrator_remains(ctx.tx().await?).await?;
    let body = out(ctx.tx().await?, updated).await?;
    let details = serde_json::json!({ "role_id": body.id, "before": before, "after": perms, "scope": scope.kind });
    record(&ctx, &req, "role.updated", details).await?;
    Ok(HttpResponse::Ok().json(body))
}

/// Delete a custom role; its holders lose it at once.
#[utoipa::path(
    tag = "roles",
    params(("id" = RoleId, Path, description = "Role id")),
    responses(
        (status = 204, description = "Deleted"),
        crate::error::BadId,
        crate::error::Unauthenticated,
        (status = 403, description = "`permission_denied` (needs `roles.manage`)", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such role here", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 409, description = "`builtin_role` or `last_administrator`", body = crate::error::Problem, content_type = "application/problem+json"),
        crate::error::DatabaseUnavailable,
    )
)]
#[delete("/roles/{id}")]
async fn delete_role(
    req: HttpRequest,
    ctx: TenantCtx,
    id: web::Path<RoleId>,
) -> ApiResult<HttpResponse> {
    ctx.require(Permission::RolesManage)?;
    accounts::lock_guard_rails(ctx.tx().await?, ctx.tenant_id()).await?;
    let existing = find(ctx.tx().await?, id.as_uuid()).await?;
    if existing.builtin {
        return Err(ApiError::conflict(
            ErrorCode::BuiltinRole,
            "built-in roles cannot be deleted",
        ));
    }
    role::Entity::delete_by_id(existing.id)
        .exec(ctx.tx().await?)
        .await?;
    accounts::ensure_an_administrator_remains(ctx.tx().await?).await?;
    let details = serde_json::json!({ "role_id": existing.id, "name": existing.name });
    record(&ctx, &req, "role.deleted", details).await?;
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
