//! Every API request made in a tenant's name becomes an `http.request` entry
//! of that tenant's access log; security events take their request facts
//! from here too.

use std::time::Instant;

use actix_web::{
    body::MessageBody,
    dev::{ServiceRequest, ServiceResponse},
    middleware::Next,
    web, HttpMessage, HttpRequest,
};
use uuid::Uuid;

use super::ClientAddr;
use crate::{ids::TenantId, logbook::NewEntry, state::AppState, telemetry::RequestId};

/// Put in the request by the tenant door once the caller is known.
#[derive(Debug, Clone)]
pub struct LogSubject {
    pub tenant: TenantId,
    pub user_id: Uuid,
    pub email: String,
}

/// Request facts for an entry: address, agent, method, route, path, id.
pub fn from_request(req: &HttpRequest, event: &str) -> NewEntry {
    let trusted = req
        .app_data::<web::Data<AppState>>()
        .map(|s| s.settings.trusted_proxies.clone())
        .unwrap_or_default();
    NewEntry {
        ip: ClientAddr::resolve(req, &trusted).map(|c| c.0.to_string()),
        user_agent: req
            .headers()
            .get(actix_web::http::header::USER_AGENT)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned),
        method: Some(req.method().to_string()),
        route: req.match_pattern(),
        path: Some(req.path().to_owned()),
        request_id: req.extensions().get::<RequestId>().map(|r| r.0.clone()),
        ..NewEntry::event(event)
    }
}

pub async fn record_requests(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let started = Instant::now();
    let res = next.call(req).await?;
    let subject = res.request().extensions().get::<LogSubject>().cloned();
    if let Some(subject) = subject {
        let state = res.request().app_data::<web::Data<AppState>>().cloned();
        if let Some(state) = state.filter(|s| s.settings.log_requests) {
            let entry = NewEntry {
                user_id: Some(subject.user_id),
                user_email: Some(subject.email),
                status: Some(i32::from(res.status().as_u16())),
                latency_ms: Some(i32::try_from(started.elapsed().as_millis()).unwrap_or(i32::MAX)),
                ..from_request(res.request(), "http.request")
            };
            state.access_log.record(subject.tenant, entry).await;
        }
    }
    Ok(res)
}
