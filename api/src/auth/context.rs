//! The one door to tenant data for API handlers. The [`TenantCtx`] extractor
//! checks the bearer token, the tenant, the live session and the user in one
//! short transaction; the handler's working transaction is opened when it
//! first asks for it ([`TenantCtx::tx`]), after its body has arrived, and
//! [`end_of_request`] commits it when the handler answered with success and
//! rolls it back otherwise. Handlers never commit.

use std::{cell::RefCell, collections::BTreeSet, future::Future, pin::Pin, rc::Rc};

use actix_web::{
    body::{EitherBody, MessageBody},
    dev::{Payload, ServiceRequest, ServiceResponse},
    http::header,
    middleware::Next,
    web, FromRequest, HttpMessage, HttpRequest,
};
use chrono::{DateTime, Utc};
use futures_util::future::LocalBoxFuture;
use sea_orm::{EntityTrait, QueryFilter};
use tokio::sync::OnceCell;
use uuid::Uuid;

use super::principal;
use crate::{
    access::{
        scope::{self, Grant},
        Permission,
    },
    db::{Db, TenantTx},
    entities::{
        platform::tenant::{self, TenantStatus},
        tenant::{project, role, user},
    },
    error::ErrorCode,
    error::{ApiError, ApiResult},
    http::request_log::{self, LogSubject},
    ids::{ProjectId, TenantId, UserId},
    logbook::NewEntry,
    passwords::policy::PasswordPolicy,
    state::AppState,
    telemetry::RequestSpan,
    tokens::{AccessClaims, AUD_TENANT},
};

/// An authenticated tenant user. Holds no database connection until the
/// handler asks for its transaction.
pub struct TenantCtx {
    pub tenant: tenant::Model,
    pub user: user::Model,
    pub session_id: Uuid,
    pub roles: Vec<role::Model>,
    pub permissions: BTreeSet<Permission>,
    /// Per role: what it grants and where (reference scope).
    pub grants: Vec<Grant>,
    pub policy: PasswordPolicy,
    state: web::Data<AppState>,
    work: Rc<Work>,
}

type Hook = LocalBoxFuture<'static, ApiResult<()>>;

/// The request's unit of work, shared with [`end_of_request`], which ends it.
struct Work {
    db: Db,
    tenant: TenantId,
    tx: OnceCell<TenantTx>,
    /// Runs after a successful commit (security events, object deletions).
    after_commit: RefCell<Vec<Hook>>,
}

impl TenantCtx {
    pub fn tenant_id(&self) -> TenantId {
        TenantId(self.tenant.id)
    }

    pub fn user_id(&self) -> UserId {
        UserId(self.user.id)
    }

    /// Now, by the application's clock (tests move it).
    pub fn now(&self) -> DateTime<Utc> {
        self.state.clock.now()
    }

    pub fn can(&self, permission: Permission) -> bool {
        self.permissions.contains(&permission)
    }

    /// 403 unless the user holds `permission`.
    pub fn require(&self, permission: Permission) -> Result<(), ApiError> {
        if self.can(permission) {
            Ok(())
        } else {
            Err(denied(permission))
        }
    }

    /// The request's tenant transaction, opened on first use. The door
    /// commits it when the handler succeeds.
    pub async fn tx(&self) -> Result<&TenantTx, ApiError> {
        let work = &self.work;
        Ok(work
            .tx
            .get_or_try_init(|| work.db.tenant_tx(work.tenant))
            .await?)
    }

    /// Runs `hook` once the transaction has committed (and not at all when
    /// the request fails). An error it returns becomes the answer.
    pub fn after_commit(&self, hook: impl Future<Output = ApiResult<()>> + 'static) {
        self.work.after_commit.borrow_mut().push(Box::pin(hook));
    }

    /// Records `entry` in the tenant's access log in the request's own
    /// transaction (its outbox), so the change it reports never commits
    /// without it; once committed, the writer chains it before the answer.
    pub async fn record(&self, entry: NewEntry) -> ApiResult<()> {
        crate::logbook::outbox::put(self.tx().await?, &entry, self.now()).await?;
        if self.state.settings.fault_exit_after_commit.as_deref() == Some(entry.event.as_str()) {
            self.after_commit(async {
                tracing::error!("CREPO_FAULT_EXIT_AFTER_COMMIT: exiting after the commit");
                std::process::exit(86)
            });
        }
        let (state, tenant) = (self.state.clone(), self.tenant_id());
        self.after_commit(async move {
            state.access_log.drain(tenant).await;
            Ok(())
        });
        Ok(())
    }

    /// The projects `permission` reaches, as a query condition; 403 when no
    /// role grants it.
    pub fn project_scope(&self, permission: Permission) -> Result<sea_orm::Condition, ApiError> {
        scope::projects_condition(&self.grants, permission, self.user.id)
            .ok_or_else(|| denied(permission))
    }

    /// The project, if `permission` reaches it: 403 without the permission,
    /// 404 when it is outside every granting role's scope (or absent).
    pub async fn project(
        &self,
        permission: Permission,
        id: ProjectId,
    ) -> Result<project::Model, ApiError> {
        let within = self.project_scope(permission)?;
        project::Entity::find_by_id(id.as_uuid())
            .filter(within)
            .one(self.tx().await?)
            .await?
            .ok_or(ApiError::NotFound)
    }

    /// Like [`TenantCtx::project`], in a short transaction of its own: for
    /// handlers that check access, then do slow work (an upload) before
    /// they write, and must not hold a connection meanwhile.
    pub async fn project_briefly(
        &self,
        permission: Permission,
        id: ProjectId,
    ) -> Result<project::Model, ApiError> {
        let within = self.project_scope(permission)?;
        self.state
            .db
            .in_tenant(self.tenant_id(), async |tx| {
                project::Entity::find_by_id(id.as_uuid())
                    .filter(within)
                    .one(tx)
                    .await?
                    .ok_or(ApiError::NotFound)
            })
            .await
    }

    /// A security event by this user, with the request's facts.
    pub fn event(&self, req: &HttpRequest, event: &str) -> NewEntry {
        NewEntry {
            user_id: Some(self.user.id),
            user_email: Some(self.user.email.clone()),
            ..request_log::from_request(req, event)
        }
    }
}

/// 403 for every request of a suspended tenant's user.
pub fn suspended() -> ApiError {
    ApiError::forbidden(
        ErrorCode::TenantSuspended,
        "this organisation's service is suspended by the provider; contact your administrator or the provider's support",
    )
}

fn denied(permission: Permission) -> ApiError {
    ApiError::forbidden(
        ErrorCode::PermissionDenied,
        format!("this needs the `{permission}` permission"),
    )
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
                ErrorCode::MissingToken,
                "send `Authorization: Bearer <access_token>`",
            )
        })
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
    let invalid = || {
        ApiError::unauthorized(
            ErrorCode::InvalidToken,
            "the token is invalid or has expired",
        )
    };
    let tenant_id = TenantId(claims.tid.ok_or_else(invalid)?);
    let tenant = state.db.tenant(tenant_id).await?.ok_or_else(invalid)?;
    match tenant.status {
        TenantStatus::Active => {}
        TenantStatus::Suspended => return Err(suspended()),
        TenantStatus::Provisioning | TenantStatus::Deleting => return Err(invalid()),
    }

    let p = principal::load(&state.db, tenant_id, &claims, state.clock.now()).await?;
    if let Some(span) = req.extensions().get::<RequestSpan>() {
        span.0
            .record("tenant_id", tracing::field::display(tenant_id));
        span.0.record("user_id", tracing::field::display(p.user.id));
    }
    // From here on the request is made in this tenant's name: log it.
    req.extensions_mut().insert(LogSubject {
        tenant: tenant_id,
        user_id: p.user.id,
        email: p.user.email.clone(),
    });
    if p.user.password_change_required && !allow_password_change {
        return Err(ApiError::forbidden(
            ErrorCode::PasswordChangeRequired,
            "set a new password with PUT /api/v1/me/password first",
        ));
    }
    // No connection is held from here until the handler asks for its
    // transaction (after the body has arrived).
    let work = Rc::new(Work {
        db: state.db.clone(),
        tenant: tenant_id,
        tx: OnceCell::new(),
        after_commit: RefCell::new(Vec::new()),
    });
    req.extensions_mut().insert(work.clone());
    Ok(TenantCtx {
        tenant,
        user: p.user,
        session_id: p.session_id,
        roles: p.roles,
        permissions: p.permissions,
        grants: p.grants,
        policy: p.policy,
        state,
        work,
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

/// Middleware that ends each tenant request's unit of work: commits when the
/// handler answered with success (below 400), then runs the after-commit
/// hooks; rolls back otherwise. A failed commit turns the answer into an
/// error, so a change that did not persist is never reported as done.
pub async fn end_of_request(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<EitherBody<impl MessageBody>>, actix_web::Error> {
    let res = next.call(req).await?;
    let work = res.request().extensions_mut().remove::<Rc<Work>>();
    let Some(work) = work else {
        return Ok(res.map_into_left_body());
    };
    let succeeded = res.status().as_u16() < 400 && res.response().error().is_none();
    match finish(work, succeeded).await {
        Ok(()) => Ok(res.map_into_left_body()),
        Err(e) => {
            let (req, _) = res.into_parts();
            Ok(ServiceResponse::from_err(e, req).map_into_right_body())
        }
    }
}

async fn finish(work: Rc<Work>, succeeded: bool) -> ApiResult<()> {
    if !succeeded {
        return Ok(()); // dropping the transaction rolls it back
    }
    let Ok(work) = Rc::try_unwrap(work) else {
        // A handler kept its context beyond the answer: nothing is committed.
        return Err(ApiError::internal(anyhow::anyhow!(
            "the request's transaction outlived its handler"
        )));
    };
    if let Some(tx) = work.tx.into_inner() {
        settle(tx).await?;
    }
    for hook in work.after_commit.into_inner() {
        hook.await?;
    }
    Ok(())
}

/// The door's one commit: the end of the authentication step, and the end of
/// a request that succeeded.
async fn settle(tx: TenantTx) -> ApiResult<()> {
    Ok(tx.commit().await?)
}
