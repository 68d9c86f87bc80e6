//! The one error type. Every error leaves as `application/problem+json`
//! (RFC 9457) with a stable snake_case `code`; 5xx causes are logged with their
//! chain and never sent to the client.

use actix_web::{
    http::{header, StatusCode},
    HttpResponse, ResponseError,
};
use sea_orm::{DbErr, SqlErr};
use std::collections::BTreeSet;

use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

mod codes;
mod responses;

pub use codes::ErrorCode;

pub use responses::{
    BadId, DatabaseUnavailable, JsonBody, JsonBodyAndId, OperatorUnauthenticated, Unauthenticated,
};

pub const PROBLEM_JSON: &str = "application/problem+json";

impl std::fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// An RFC 9457 problem document.
#[derive(Debug, Serialize, ToSchema)]
pub struct Problem {
    /// A URI naming the kind of problem: `urn:crepo:problem:<code>`.
    #[serde(rename = "type")]
    pub kind: String,
    pub title: String,
    pub status: u16,
    pub detail: String,
    /// Stable, machine-readable code.
    pub code: ErrorCode,
    /// For 422: one entry per failing field and rule.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    #[schema(nullable = false)]
    pub errors: Vec<FieldError>,
}

#[derive(Debug, Clone, Serialize, ToSchema, PartialEq, Eq)]
pub struct FieldError {
    /// The field's name in the request body (or query).
    pub field: String,
    /// Stable rule code, e.g. `too_short`, `invalid_format`, `common_password`.
    pub code: String,
    pub message: String,
}

impl FieldError {
    pub fn new(field: &str, code: &str, message: impl Into<String>) -> Self {
        Self {
            field: field.into(),
            code: code.into(),
            message: message.into(),
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error("the request has invalid fields")]
    Validation(Vec<FieldError>),
    /// A 422 business rule with its own stable code (the field errors say where).
    #[error("{detail}")]
    Rule {
        code: ErrorCode,
        detail: String,
        errors: Vec<FieldError>,
    },
    #[error("{detail}")]
    BadRequest { code: ErrorCode, detail: String },
    #[error("{detail}")]
    Unauthorized { code: ErrorCode, detail: String },
    #[error("{detail}")]
    Forbidden { code: ErrorCode, detail: String },
    #[error("the resource does not exist")]
    NotFound,
    #[error("this resource does not support the method; it allows {allow}")]
    MethodNotAllowed { allow: String },
    #[error("{detail}")]
    Conflict { code: ErrorCode, detail: String },
    /// 410: it existed and is gone for good.
    #[error("{detail}")]
    Gone { code: ErrorCode, detail: String },
    #[error("the resource changed since it was read")]
    PreconditionFailed,
    #[error("the range lies outside the file of {size} bytes")]
    RangeNotSatisfiable { size: u64 },
    #[error("the request body is larger than the limit of {limit} bytes")]
    PayloadTooLarge { limit: usize },
    #[error("{detail}")]
    UnsupportedMediaType { detail: String },
    #[error("{detail}")]
    RequestTimeout { detail: String },
    #[error("too many requests; retry after {retry_after} seconds")]
    TooManyRequests { retry_after: u64 },
    #[error("{detail}")]
    Unavailable { detail: String },
    #[error("internal error")]
    Internal(#[source] anyhow::Error),
}

impl ApiError {
    pub fn code(&self) -> ErrorCode {
        match self {
            ApiError::Validation(_) => ErrorCode::ValidationFailed,
            ApiError::BadRequest { code, .. }
            | ApiError::Rule { code, .. }
            | ApiError::Unauthorized { code, .. }
            | ApiError::Forbidden { code, .. }
            | ApiError::Conflict { code, .. }
            | ApiError::Gone { code, .. } => *code,
            ApiError::NotFound => ErrorCode::NotFound,
            ApiError::MethodNotAllowed { .. } => ErrorCode::MethodNotAllowed,
            ApiError::PreconditionFailed => ErrorCode::PreconditionFailed,
            ApiError::PayloadTooLarge { .. } => ErrorCode::PayloadTooLarge,
            ApiError::RangeNotSatisfiable { .. } => ErrorCode::RangeNotSatisfiable,
            ApiError::UnsupportedMediaType { .. } => ErrorCode::UnsupportedMediaType,
            ApiError::RequestTimeout { .. } => ErrorCode::BodyTimeout,
            ApiError::TooManyRequests { .. } => ErrorCode::RateLimited,
            ApiError::Unavailable { .. } => ErrorCode::ServiceUnavailable,
            ApiError::Internal(_) => ErrorCode::InternalError,
        }
    }

    pub fn internal(e: impl Into<anyhow::Error>) -> Self {
        ApiError::Internal(e.into())
    }

    pub fn conflict(code: ErrorCode, detail: impl Into<String>) -> Self {
        ApiError::Conflict {
            code,
            detail: detail.into(),
        }
    }

    pub fn unauthorized(code: ErrorCode, detail: impl Into<String>) -> Self {
        ApiError::Unauthorized {
            code,
            detail: detail.into(),
        }
    }

    pub fn forbidden(code: ErrorCode, detail: impl Into<String>) -> Self {
        ApiError::Forbidden {
            code,
            detail: detail.into(),
        }
    }

    pub fn bad_request(code: ErrorCode, detail: impl Into<String>) -> Self {
        ApiError::BadRequest {
            code,
            detail: detail.into(),
        }
    }

    /// 422 listing every failure, ordered by field (a field's rules keep
    /// their order), so the answer does not depend on how it was gathered.
    pub fn invalid(mut errors: Vec<FieldError>) -> Self {
        errors.sort_by(|a, b| a.field.cmp(&b.field));
        ApiError::Validation(errors)
    }

    pub fn field(field: &str, code: &str, message: impl Into<String>) -> Self {
        ApiError::Validation(vec![FieldError::new(field, code, message)])
    }

    /// 422 on `field` (code `unknown_<noun>`) naming each of `wanted` not in
    /// `found`; `Ok` when every one was found.
    pub fn unless_all_found(
        field: &str,
        noun: &str,
        wanted: &BTreeSet<Uuid>,
        found: &[Uuid],
    ) -> Result<(), ApiError> {
        let missing: Vec<String> = wanted
            .iter()
            .filter(|id| !found.contains(id))
            .map(Uuid::to_string)
            .collect();
        if missing.is_empty() {
            return Ok(());
        }
        Err(ApiError::field(
            field,
            &format!("unknown_{noun}"),
            format!("no such {noun}: {}", missing.join(", ")),
        ))
    }

    fn problem(&self) -> Problem {
        let status = self.status_code();
        let detail = match self {
            ApiError::Internal(_) => {
                "An unexpected error occurred. Quote the X-Request-Id header when reporting it."
                    .to_owned()
            }
            other => other.to_string(),
        };
        Problem {
            kind: format!("urn:crepo:problem:{}", self.code()),
            title: status.canonical_reason().unwrap_or("Error").to_owned(),
            status: status.as_u16(),
            detail,
            code: self.code(),
            errors: match self {
                ApiError::Validation(errors) | ApiError::Rule { errors, .. } => errors.clone(),
                _ => Vec::new(),
            },
        }
    }
}

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        match self {
            ApiError::Validation(_) | ApiError::Rule { .. } => StatusCode::UNPROCESSABLE_ENTITY,
            ApiError::BadRequest { .. } => StatusCode::BAD_REQUEST,
            ApiError::Unauthorized { .. } => StatusCode::UNAUTHORIZED,
            ApiError::Forbidden { .. } => StatusCode::FORBIDDEN,
            ApiError::NotFound => StatusCode::NOT_FOUND,
            ApiError::MethodNotAllowed { .. } => StatusCode::METHOD_NOT_ALLOWED,
            ApiError::Conflict { .. } => StatusCode::CONFLICT,
            ApiError::Gone { .. } => StatusCode::GONE,
            ApiError::PreconditionFailed => StatusCode::PRECONDITION_FAILED,
            ApiError::PayloadTooLarge { .. } => StatusCode::PAYLOAD_TOO_LARGE,
            ApiError::RangeNotSatisfiable { .. } => StatusCode::RANGE_NOT_SATISFIABLE,
            ApiError::UnsupportedMediaType { .. } => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            ApiError::RequestTimeout { .. } => StatusCode::REQUEST_TIMEOUT,
            ApiError::TooManyRequests { .. } => StatusCode::TOO_MANY_REQUESTS,
            ApiError::Unavailable { .. } => StatusCode::SERVICE_UNAVAILABLE,
            ApiError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn error_response(&self) -> HttpResponse {
        match self {
            ApiError::Internal(cause) => {
                tracing::error!(error = format!("{cause:#}"), "request failed")
            }
            ApiError::Unavailable { detail } => tracing::warn!(detail, "dependency unavailable"),
            _ => {}
        }
        let mut res = HttpResponse::build(self.status_code());
        res.content_type(PROBLEM_JSON);
        match self {
            ApiError::TooManyRequests { retry_after } => {
                res.insert_header((header::RETRY_AFTER, retry_after.to_string()));
            }
            ApiError::MethodNotAllowed { allow } => {
                res.insert_header((header::ALLOW, allow.clone()));
            }
            ApiError::RangeNotSatisfiable { size } => {
                res.insert_header((header::CONTENT_RANGE, format!("bytes */{size}")));
            }
            ApiError::Unauthorized { .. } => {
                res.insert_header((header::WWW_AUTHENTICATE, "Bearer realm=\"crepo\""));
            }
            _ => {}
        }
        res.json(self.problem())
    }
}

impl From<DbErr> for ApiError {
    fn from(e: DbErr) -> Self {
        match e.sql_err() {
            Some(SqlErr::UniqueConstraintViolation(_)) => {
                return ApiError::conflict(
                    ErrorCode::Conflict,
                    "a resource with the same unique value already exists",
                )
            }
            Some(SqlErr::ForeignKeyConstraintViolation(_)) => {
                return ApiError::conflict(
                    ErrorCode::ReferenceChanged,
                    "a resource this refers to changed meanwhile; retry",
                )
            }
            _ => {}
        }
        match e {
            DbErr::RecordNotFound(_) => ApiError::NotFound,
            e if crate::db::is_unavailable(&e) => {
                tracing::warn!(error = %e, "database unavailable");
                ApiError::Unavailable {
                    detail: "the database is unreachable".into(),
                }
            }
            other => ApiError::Internal(other.into()),
        }
    }
}

pub type ApiResult<T> = Result<T, ApiError>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn error_codes_serialise_as_their_stable_names() {
        for code in ErrorCode::ALL {
            assert_eq!(serde_json::to_value(code).unwrap(), code.as_str());
        }
        let problem = ApiError::forbidden(ErrorCode::PermissionDenied, "no").problem();
        assert_eq!(problem.kind, "urn:crepo:problem:permission_denied");
    }
}
