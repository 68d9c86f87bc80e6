//! HTTP plumbing shared by every capability: body limits and their errors,
//! the problem+json catch-all, security headers, the client address.

use std::{
    future::{ready, Ready},
    net::IpAddr,
};

use actix_web::{
    body::{BoxBody, MessageBody},
    dev::{Payload, ServiceResponse},
    error::{PathError, QueryPayloadError},
    http::header,
    middleware::{ErrorHandlerResponse, ErrorHandlers},
    web, FromRequest, HttpRequest, HttpResponse, ResponseError,
};

pub mod body;
pub mod forwarded;
pub mod headers;
pub mod json;
pub mod request_log;

pub use headers::security_headers;
pub use json::Json;

use crate::{
    error::ErrorCode,
    error::{ApiError, PROBLEM_JSON},
    state::AppState,
};

fn path_error(err: PathError, _req: &HttpRequest) -> actix_web::Error {
    ApiError::bad_request(
        ErrorCode::InvalidPath,
        format!("invalid path parameter: {err}"),
    )
    .into()
}

fn query_error(err: QueryPayloadError, _req: &HttpRequest) -> actix_web::Error {
    ApiError::Validation(vec![crate::error::FieldError::new(
        "query",
        "invalid_query",
        err.to_string(),
    )])
    .into()
}

/// Extractor configuration: bodies read whole ([`Json`]) capped at
/// `json_limit` bytes, and every extractor failure answered as problem+json.
pub fn extractor_config(
    json_limit: usize,
) -> (web::PayloadConfig, web::PathConfig, web::QueryConfig) {
    (
        web::PayloadConfig::new(json_limit),
        web::PathConfig::default().error_handler(path_error),
        web::QueryConfig::default().error_handler(query_error),
    )
}

/// Turns any error response that is not already problem+json (actix's own 404,
/// 405, 413 …) into one, so clients meet a single error format.
pub fn problem_catch_all<B: MessageBody + 'static>() -> ErrorHandlers<B> {
    ErrorHandlers::new().default_handler(|res: ServiceResponse<B>| {
        // Problem documents and deliberate JSON bodies (readiness' 503) stay.
        let keep = res.headers().get(header::CONTENT_TYPE).is_some_and(|v| {
            v.as_bytes().starts_with(PROBLEM_JSON.as_bytes())
                || v.as_bytes().starts_with(b"application/json")
        });
        if keep {
            return Ok(ErrorHandlerResponse::Response(res.map_into_left_body()));
        }
        let status = res.status();
        let api = match status.as_u16() {
            404 => ApiError::NotFound,
            405 => ApiError::MethodNotAllowed {
                allow: allowed_methods(res.request()).unwrap_or_default(),
            },
            413 => ApiError::PayloadTooLarge { limit: 0 },
            415 => ApiError::UnsupportedMediaType {
                detail: "unsupported content type".into(),
            },
            s if s >= 500 => ApiError::internal(anyhow::anyhow!("unhandled {status} response")),
            _ => ApiError::bad_request(
                ErrorCode::BadRequest,
                status.canonical_reason().unwrap_or("bad request"),
            ),
        };
        let (req, old) = res.into_parts();
        let mut new: HttpResponse<BoxBody> = api.error_response();
        *new.status_mut() = status;
        for (name, value) in old.headers() {
            if name != header::CONTENT_TYPE && name != header::CONTENT_LENGTH {
                new.headers_mut().insert(name.clone(), value.clone());
            }
        }
        Ok(ErrorHandlerResponse::Response(
            ServiceResponse::new(req, new).map_into_right_body(),
        ))
    })
}

/// The caller's address: the peer, or when the peer is a trusted proxy, the
/// right-most `X-Forwarded-For` entry that is not itself a trusted proxy
/// (see [`forwarded::client`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClientAddr(pub IpAddr);

impl ClientAddr {
    pub fn resolve(req: &HttpRequest, trusted: &[ipnet::IpNet]) -> Option<ClientAddr> {
        let peer = req.peer_addr()?.ip();
        let headers: Vec<&str> = req
            .headers()
            .get_all("x-forwarded-for")
            .filter_map(|v| v.to_str().ok())
            .collect();
        Some(ClientAddr(forwarded::client(peer, &headers, trusted)))
    }
}

impl FromRequest for ClientAddr {
    type Error = ApiError;
    type Future = Ready<Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let trusted = req
            .app_data::<web::Data<AppState>>()
            .map(|s| s.settings.trusted_proxies.as_slice())
            .unwrap_or(&[]);
        ready(
            ClientAddr::resolve(req, trusted).ok_or_else(|| {
                ApiError::internal(anyhow::anyhow!("request without a peer address"))
            }),
        )
    }
}

/// Answers requests no route took: 405 with `Allow` when the path exists
/// under other methods, else 404.
pub async fn not_found(req: HttpRequest) -> Result<HttpResponse, ApiError> {
    match allowed_methods(&req) {
        Some(allow) => Err(ApiError::MethodNotAllowed { allow }),
        None => Err(ApiError::NotFound),
    }
}

/// The `Allow` value for the route template `req`'s path fits, if any.
fn allowed_methods(req: &HttpRequest) -> Option<String> {
    let state = req.app_data::<web::Data<AppState>>()?;
    let path: Vec<&str> = req.path().trim_end_matches('/').split('/').collect();
    state
        .route_methods
        .iter()
        .find(|(template, _)| {
            let parts: Vec<&str> = template.split('/').collect();
            parts.len() == path.len()
                && parts.iter().zip(&path).all(|(t, p)| {
                    (t.starts_with('{') && t.ends_with('}') && !p.is_empty()) || t == p
                })
        })
        .map(|(_, methods)| methods.join(", "))
}

/// Methods per route template, from the OpenAPI document.
pub fn route_methods(
    spec: &utoipa::openapi::OpenApi,
) -> std::collections::HashMap<String, Vec<String>> {
    let value = serde_json::to_value(spec).unwrap_or_default();
    let mut out = std::collections::HashMap::new();
    if let Some(paths) = value.get("paths").and_then(|p| p.as_object()) {
        for (path, item) in paths {
            let mut methods: Vec<String> = item
                .as_object()
                .map(|ops| ops.keys().map(|m| m.to_uppercase()).collect())
                .unwrap_or_default();
            if methods.iter().any(|m| m == "GET") {
                methods.push("HEAD".into());
            }
            methods.sort();
            out.insert(path.clone(), methods);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use actix_web::test::TestRequest;

    #[test]
    fn forwarded_for_is_honoured_only_from_trusted_proxies() {
        let trusted: Vec<ipnet::IpNet> = vec!["10.0.0.0/8".parse().unwrap()];
        let direct = TestRequest::default()
            .peer_addr("203.0.113.9:5000".parse().unwrap())
            .insert_header(("x-forwarded-for", "198.51.100.1"))
            .to_http_request();
        assert_eq!(
            ClientAddr::resolve(&direct, &trusted)
                .unwrap()
                .0
                .to_string(),
            "203.0.113.9"
        );
        let proxied = TestRequest::default()
            .peer_addr("10.1.2.3:5000".parse().unwrap())
            .insert_header(("x-forwarded-for", "198.51.100.1, 10.0.0.7"))
            .to_http_request();
        assert_eq!(
            ClientAddr::resolve(&proxied, &trusted)
                .unwrap()
                .0
                .to_string(),
            "198.51.100.1"
        );
    }
}
