//! Security headers on every answer, and the Content-Security-Policy that
//! keeps the SPA free of inline script, eval and framing.

use actix_web::{
    body::MessageBody,
    dev::{ServiceRequest, ServiceResponse},
    http::header::{self, HeaderValue},
    middleware::{DefaultHeaders, Next},
    Error,
};

/// The SPA and the API: scripts, styles and connections from this origin
/// only; no inline script, no eval, no framing, no plugins.
const APP_CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";
/// Swagger UI styles some of its markup inline.
const DOCS_CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

/// Headers on every response. HSTS only when this server terminates TLS.
pub fn security_headers(tls: bool) -> DefaultHeaders {
    let mut headers = DefaultHeaders::new()
        .add((
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .add((
            header::REFERRER_POLICY,
            HeaderValue::from_static("no-referrer"),
        ))
        .add((header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY")));
    if tls {
        headers = headers.add((
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static("max-age=63072000; includeSubDomains"),
        ));
    }
    headers
}

/// Sets the Content-Security-Policy of the answer by where it was asked,
/// unless the handler chose a stricter one (a downloaded file's sandbox).
pub async fn content_security_policy(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, Error> {
    let docs = req.path() == "/docs" || req.path().starts_with("/docs/");
    let mut res = next.call(req).await?;
    let policy = if docs { DOCS_CSP } else { APP_CSP };
    if !res.headers().contains_key(header::CONTENT_SECURITY_POLICY) {
        res.headers_mut().insert(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(policy),
        );
    }
    Ok(res)
}
