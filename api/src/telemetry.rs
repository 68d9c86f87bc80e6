//! Logging setup and the per-request context: a request id (the caller's
//! `X-Request-Id` when it is sane, else a new one) carried by a span that every
//! log line of the request belongs to, and echoed in the response.

use std::time::Instant;

use actix_web::{
    body::MessageBody,
    dev::{ServiceRequest, ServiceResponse},
    http::header::{HeaderName, HeaderValue},
    middleware::Next,
    web, HttpMessage,
};
use tracing::{field, Instrument, Span};
use tracing_subscriber::EnvFilter;

use crate::{config::LogFormat, state::AppState};

pub const REQUEST_ID_HEADER: HeaderName = HeaderName::from_static("x-request-id");

/// Installs the global subscriber: human-readable, or JSON lines in production.
pub fn init(format: LogFormat, filter: &str) -> anyhow::Result<()> {
    let filter = EnvFilter::try_new(filter)
        .map_err(|e| anyhow::anyhow!("CREPO_LOG: invalid filter: {e}"))?;
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stdout);
    let installed = match format {
        LogFormat::Pretty => builder.try_init(),
        LogFormat::Json => builder
            .json()
            .flatten_event(true)
            .with_current_span(true)
            .with_span_list(false)
            .try_init(),
    };
    installed.map_err(|e| anyhow::anyhow!("logging already initialised: {e}"))
}

/// The request's id, available to handlers and error rendering.
#[derive(Clone, Debug)]
pub struct RequestId(pub String);

/// The request's span, so that later layers (authentication) can record the
/// tenant and user on it.
#[derive(Clone)]
pub struct RequestSpan(pub Span);

fn is_sane_request_id(v: &str) -> bool {
    (1..=128).contains(&v.len())
        && v.bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b':'))
}

pub async fn request_context(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let request_id = req
        .headers()
        .get(&REQUEST_ID_HEADER)
        .and_then(|v| v.to_str().ok())
        .filter(|v| is_sane_request_id(v))
        .map(str::to_owned)
        .unwrap_or_else(|| uuid::Uuid::new_v4().to_string());
    let route = req
        .match_pattern()
        .unwrap_or_else(|| "unmatched".to_owned());
    let method = req.method().to_string();
    let span = tracing::info_span!(
        "request",
        request_id = %request_id,
        method = %method,
        route = %route,
        tenant_id = field::Empty,
        user_id = field::Empty,
    );
    req.extensions_mut().insert(RequestId(request_id.clone()));
    req.extensions_mut().insert(RequestSpan(span.clone()));
    let state = req.app_data::<web::Data<AppState>>().cloned();
    let path = req.path().to_owned();

    let started = Instant::now();
    // Handlers and extractors turn their errors into responses already; an
    // `Err` here comes from an inner middleware and is rendered by actix.
    let (res, statements) =
        crate::db::count_statements(next.call(req).instrument(span.clone())).await;
    let mut res = res?;
    let elapsed = started.elapsed();
    let status = res.status().as_u16();
    if let Ok(value) = HeaderValue::from_str(&request_id) {
        res.headers_mut().insert(REQUEST_ID_HEADER, value);
    }
    if let Some(state) = state {
        state
            .metrics
            .observe_request(&method, &route, status, elapsed, statements);
    }
    span.in_scope(|| {
        tracing::info!(
            status,
            path = %crate::text::escape_for_log(&path),
            latency_ms = elapsed.as_secs_f64() * 1000.0,
            db_statements = statements,
            "request finished"
        )
    });
    Ok(res)
}

#[cfg(test)]
mod tests {
    use super::is_sane_request_id;

    #[test]
    fn request_ids_with_control_or_odd_characters_are_not_honoured() {
        assert!(is_sane_request_id("abc-123_X.y:z"));
        assert!(!is_sane_request_id(""));
        assert!(!is_sane_request_id("a b"));
        assert!(!is_sane_request_id("a\nb"));
        assert!(!is_sane_request_id(&"a".repeat(129)));
    }
}
