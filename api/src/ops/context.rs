//! The operator door: an access token of the `ops` audience, a live platform
//! session, an active operator. Tenant tokens are refused here, and operator
//! tokens at every tenant endpoint.

use std::{future::Future, pin::Pin};

use actix_web::{dev::Payload, web, FromRequest, HttpMessage, HttpRequest};
use chrono::Duration;
use sea_orm::{DatabaseConnection, EntityTrait};
use uuid::Uuid;

use crate::audit::{self, Actor, Entry};
use crate::{
    auth::{context::bearer, session},
    entities::platform::operator::{self, OperatorStatus},
    error::ApiError,
    error::ErrorCode,
    http::ClientAddr,
    state::AppState,
    telemetry::{RequestId, RequestSpan},
    tokens::{AccessClaims, AUD_OPS},
};

/// Operator sessions end after 30 idle minutes or 12 hours.
pub const OPS_IDLE: Duration = Duration::minutes(30);
pub const OPS_ABSOLUTE: Duration = Duration::hours(12);

pub struct OpsCtx {
    pub operator: operator::Model,
    pub session_id: Uuid,
    pub state: web::Data<AppState>,
    pub ip: Option<String>,
    pub request_id: Option<String>,
}

impl OpsCtx {
    pub fn db(&self) -> &DatabaseConnection {
        self.state.db.platform()
    }

    /// Days between a termination request and its deletion date.
    pub fn grace(&self) -> chrono::Duration {
        chrono::Duration::from_std(self.state.settings.termination_grace)
            .unwrap_or(chrono::Duration::days(30))
    }

    /// Appends this operator's action to the platform audit.
    pub async fn audit(
        &self,
        action: &str,
        target: Option<(&str, String)>,
        details: serde_json::Value,
    ) -> Result<(), ApiError> {
        audit::append(
            &self.state.db,
            Entry {
                at: self.state.clock.now(),
                actor: Actor::Operator {
                    id: self.operator.id,
                    email: &self.operator.email,
                },
                action,
                target,
                details,
                ip: self.ip.clone(),
                request_id: self.request_id.clone(),
            },
        )
        .await
    }
}

async fn authenticate(req: HttpRequest) -> Result<OpsCtx, ApiError> {
    let state = req
        .app_data::<web::Data<AppState>>()
        .cloned()
        .ok_or_else(|| ApiError::internal(anyhow::anyhow!("application state missing")))?;
    let claims: AccessClaims = state.keys.verify(bearer(&req)?, AUD_OPS)?;
    let db = state.db.platform();
    let s = session::live(db, claims.sid, claims.sub, OPS_IDLE, state.clock.now()).await?;
    let operator = operator::Entity::find_by_id(claims.sub)
        .one(db)
        .await?
        .filter(|o| o.status == OperatorStatus::Active)
        .ok_or_else(|| {
            ApiError::unauthorized(
                ErrorCode::SessionExpired,
                "the session has ended; log in again",
            )
        })?;
    if let Some(span) = req.extensions().get::<RequestSpan>() {
        span.0
            .record("user_id", tracing::field::display(operator.id));
    }
    let ip = ClientAddr::resolve(&req, &state.settings.trusted_proxies).map(|c| c.0.to_string());
    let request_id = req.extensions().get::<RequestId>().map(|r| r.0.clone());
    Ok(OpsCtx {
        operator,
        session_id: s.id,
        state,
        ip,
        request_id,
    })
}

impl FromRequest for OpsCtx {
    type Error = ApiError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, ApiError>>>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        Box::pin(authenticate(req.clone()))
    }
}
