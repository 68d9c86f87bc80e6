//! The one door to tenant data for API handlers: an extractor that checks the
//! bearer token, the tenant, the live session and the user, and yields them
//! with a transaction scoped to that tenant.

use std::{collections::BTreeSet, future::Future, pin::Pin};

use actix_web::{dev::Payload, http::header, web, FromRequest, HttpMessage, HttpRequest};
use chrono::{Duration, Utc};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QuerySelect, RelationTrait,
};
use uuid::Uuid;

use super::{keys::AccessClaims, keys::AUD_TENANT, session};
use crate::{
    db::TenantTx,
    entities::{role, tenant, user, user_role},
    error::ApiError,
    ids::UserId,
    settings::policy::{self, PasswordPolicy},
    startup::AppState,
    telemetry::RequestSpan,
    tenancy::{TenantId, STATUS_ACTIVE},
};

/// An authenticated tenant user, with its tenant transaction. Handlers commit
/// `tx` when they succeed; dropping it rolls back.
pub struct TenantCtx {
    pub tenant: tenant::Model,
    pub user: user::Model,
    pub session_id: Uuid,
    pub roles: Vec<role::Model>,
    pub permissions: BTreeSet<String>,
    /// Per role: what it grants and where (reference scope).
    pub grants: Vec<crate::access::scope::Grant>,
    pub policy: PasswordPolicy,
    pub tx: TenantTx,
}

impl TenantCtx {
    pub fn tenant_id(&self) -> TenantId {
        TenantId(self.tenant.id)
    }

    pub fn user_id(&self) -> UserId {
        UserId(self.user.id)
    }

    pub fn can(&self, permission: &str) -> bool {
        self.permissions.contains(permission)
    }

    /// 403 unless the user holds `permission`.
    pub fn require(&self, permission: &str) -> Result<(), ApiError> {
        if self.can(permission) {
            Ok(())
        } else {
            Err(ApiError::forbidden(
                "permission_denied",
                format!("this needs the `{permission}` permission"),
            ))
        }
    }

    /// The projects `permission` reaches, as a query condition; 403 when no
    /// role grants it.
    pub fn project_scope(&self, permission: &str) -> Result<sea_orm::Condition, ApiError> {
        crate::access::scope::projects_condition(&self.grants, permission, self.user.id).ok_or_else(
            || {
                ApiError::forbidden(
                    "permission_denied",
                    format!("this needs the `{permission}` permission"),
                )
            },
        )
    }

    /// The project, if `permission` reaches it: 403 without the permission,
    /// 404 when it is outside every granting role's scope (or absent).
    pub async fn project(
        &self,
        permission: &str,
        id: Uuid,
    ) -> Result<crate::entities::project::Model, ApiError> {
        self.project_scope(permission)?;
        crate::access::scope::project_in_scope(
            &*self.tx,
            &self.grants,
            permission,
            self.user.id,
            id,
        )
        .await?
        .ok_or(ApiError::NotFound)
    }

    /// A security event by this user, with the request's facts.
    pub fn event(&self, req: &HttpRequest, event: &str) -> crate::access_log::NewEntry {
        crate::access_log::NewEntry {
            user_id: Some(self.user.id),
            user_email: Some(self.user.email.clone()),
            ..crate::access_log::from_request(req, event)
        }
    }

    pub async fn commit(self) -> Result<(), ApiError> {
        Ok(self.tx.commit().await?)
    }
}

/// Like [`TenantCtx`], but also admits a user who must change the password
/// first (for `/me`, `PUT /me/password` and logout).
pub struct PasswordChangeCtx(pub TenantCtx);

pub fn bearer(req: &HttpRequest) -> Result<&str, ApiError> {
    req.headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| {
            v.strip_prefix("Bearer ")
                .or_else(|| v.strip_prefix("bearer "))
        })
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .ok_or_else(|| {
            ApiError::unauthorized(
                "missing_token",
                "send `Authorization: Bearer <access_token>`",
            )
        })
}

/// The roles of `user` and the union of their permissions.
pub async fn roles_of(
    conn: &impl ConnectionTrait,
    user: Uuid,
) -> Result<(Vec<role::Model>, BTreeSet<String>), DbErr> {
    let roles = role::Entity::find()
        .join(sea_orm::JoinType::InnerJoin, role::Relation::UserRole.def())
        .filter(user_role::Column::UserId.eq(user))
        .all(conn)
        .await?;
    let permissions = roles
        .iter()
        .flat_map(|r| serde_json::from_str::<Vec<String>>(&r.permissions).unwrap_or_default())
        .collect();
    Ok((roles, permissions))
}

async fn authenticate(
    req: HttpRequest,
    allow_password_change: bool,
) -> Result<TenantCtx, ApiError> {
    let state = req
        .app_data::<web::Data<AppState>>()
        .cloned()
        .ok_or_else(|| ApiError::internal(anyhow::anyhow!("application state missing")))?;
    let claims: AccessClaims = state.keys.verify(bearer(&req)?, AUD_TENANT)?;
    let invalid = || ApiError::unauthorized("invalid_token", "the token is invalid or has expired");
    let tenant_id = claims.tid.ok_or_else(invalid)?;
    let tenant = tenant::Entity::find_by_id(tenant_id)
        .one(state.db.platform())
        .await?
        .filter(|t| t.status == STATUS_ACTIVE)
        .ok_or_else(invalid)?;

    let tx = state.db.tenant_tx(TenantId(tenant_id)).await?;
    let policy = policy::load(&*tx).await?;
    let now = Utc::now();
    let idle = Duration::minutes(i64::from(policy.session_idle_minutes));
    let session = session::live(&*tx, claims.sid, claims.sub, idle, now).await?;
    let user = user::Entity::find_by_id(claims.sub)
        .one(&*tx)
        .await?
        .filter(|u| u.status == "active")
        .ok_or_else(|| {
            ApiError::unauthorized("session_expired", "the session has ended; log in again")
        })?;
    if let Some(span) = req.extensions().get::<RequestSpan>() {
        span.0
            .record("tenant_id", tracing::field::display(tenant_id));
        span.0.record("user_id", tracing::field::display(user.id));
    }
    // From here on the request is made in this tenant's name: log it.
    req.extensions_mut().insert(crate::access_log::LogSubject {
        tenant: TenantId(tenant_id),
        user_id: user.id,
        email: user.email.clone(),
    });
    if user.password_change_required && !allow_password_change {
        return Err(ApiError::forbidden(
            "password_change_required",
            "set a new password with PUT /api/v1/me/password first",
        ));
    }
    let (roles, permissions) = roles_of(&*tx, user.id).await?;
    let grants = crate::access::scope::grants(&*tx, &roles).await?;
    Ok(TenantCtx {
        tenant,
        user,
        session_id: session.id,
        roles,
        permissions,
        grants,
        policy,
        tx,
    })
}

impl FromRequest for TenantCtx {
    type Error = ApiError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, ApiError>>>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        Box::pin(authenticate(req.clone(), false))
    }
}

impl FromRequest for PasswordChangeCtx {
    type Error = ApiError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, ApiError>>>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move { authenticate(req, true).await.map(PasswordChangeCtx) })
    }
}
