//! The problem answers operations share, declared once for the OpenAPI
//! document: `responses((status = 200, body = …), Unauthenticated, …)`.
//! Answers whose meaning differs per operation (403, 404, 409, 422) keep
//! their own description where they are declared.

use utoipa::IntoResponses;

use super::Problem;

/// No valid token or session
#[derive(IntoResponses)]
#[response(status = 401, content_type = "application/problem+json")]
pub struct Unauthenticated(pub Problem);

/// No valid operator token
#[derive(IntoResponses)]
#[response(status = 401, content_type = "application/problem+json")]
pub struct OperatorUnauthenticated(pub Problem);

/// Database unavailable
#[derive(IntoResponses)]
#[response(status = 503, content_type = "application/problem+json")]
pub struct DatabaseUnavailable(pub Problem);

/// The id is not a UUID
#[derive(IntoResponses)]
#[response(status = 400, content_type = "application/problem+json")]
pub struct BadId(pub Problem);

/// The problems of an operation that takes a JSON body.
#[derive(IntoResponses)]
pub enum JsonBody {
    /// Malformed JSON
    #[response(status = 400, content_type = "application/problem+json")]
    Malformed(#[allow(dead_code)] Problem),
    /// Body too large
    #[response(status = 413, content_type = "application/problem+json")]
    TooLarge(#[allow(dead_code)] Problem),
    /// Body is not JSON
    #[response(status = 415, content_type = "application/problem+json")]
    NotJson(#[allow(dead_code)] Problem),
    /// `body_timeout`: the body stopped arriving
    #[response(status = 408, content_type = "application/problem+json")]
    SlowBody(#[allow(dead_code)] Problem),
}

/// The problems of an operation that takes an id in its path and a JSON body.
#[derive(IntoResponses)]
pub enum JsonBodyAndId {
    /// Malformed JSON or id
    #[response(status = 400, content_type = "application/problem+json")]
    Malformed(#[allow(dead_code)] Problem),
    /// Body too large
    #[response(status = 413, content_type = "application/problem+json")]
    TooLarge(#[allow(dead_code)] Problem),
    /// Body is not JSON
    #[response(status = 415, content_type = "application/problem+json")]
    NotJson(#[allow(dead_code)] Problem),
    /// `body_timeout`: the body stopped arriving
    #[response(status = 408, content_type = "application/problem+json")]
    SlowBody(#[allow(dead_code)] Problem),
}
