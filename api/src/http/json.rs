//! The JSON body extractor every handler uses, and the query check beside
//! it. Both refuse the NUL character (`\u0000`, `%00`) with a 422 naming the
//! field: PostgreSQL cannot store it in text, and no Crepo value holds one.

use std::ops::Deref;

use actix_web::{
    body::{BoxBody, MessageBody},
    dev::{Payload, ServiceRequest, ServiceResponse},
    error::PayloadError,
    middleware::Next,
    web, FromRequest, HttpMessage, HttpRequest, ResponseError,
};
use futures_util::future::LocalBoxFuture;
use serde::de::DeserializeOwned;
use serde_json::Value;

use super::body;
use crate::{
    error::{ApiError, ErrorCode},
    state::AppState,
};

const NUL_CODE: &str = "nul_character";
const NUL_MESSAGE: &str = "must not contain the NUL character (U+0000)";

/// A JSON request body deserialised into `T`.
#[derive(Debug)]
pub struct Json<T>(pub T);

impl<T> Json<T> {
    pub fn into_inner(self) -> T {
        self.0
    }
}

impl<T> Deref for Json<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.0
    }
}

impl<T: DeserializeOwned + 'static> FromRequest for Json<T> {
    type Error = actix_web::Error;
    type Future = LocalBoxFuture<'static, Result<Self, Self::Error>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let is_json = matches!(req.mime_type(), Ok(Some(m))
            if m.subtype() == actix_web::mime::JSON || m.suffix() == Some(actix_web::mime::JSON));
        let settings = req
            .app_data::<web::Data<AppState>>()
            .map(|s| (s.settings.json_limit, s.settings.body_idle_timeout))
            .unwrap_or((64 * 1024, std::time::Duration::from_secs(20)));
        let bytes = web::Bytes::from_request(req, payload);
        Box::pin(async move {
            if !is_json {
                return Err(ApiError::UnsupportedMediaType {
                    detail: "the request body must be JSON (Content-Type: application/json)".into(),
                }
                .into());
            }
            let (limit, idle) = settings;
            let body = bytes.await.map_err(|e| read_error(&e, limit, idle))?;
            parse(&body).map(Json).map_err(Into::into)
        })
    }
}

fn read_error(e: &actix_web::Error, limit: usize, idle: std::time::Duration) -> ApiError {
    match e.as_error::<PayloadError>() {
        Some(PayloadError::Overflow) => ApiError::PayloadTooLarge { limit },
        Some(PayloadError::Io(io)) if body::is_idle_timeout(io) => body::timed_out(idle),
        // The Bytes extractor refuses a declared length over the limit with
        // its own error type: 413 too.
        _ if e.as_response_error().status_code() == 413 => ApiError::PayloadTooLarge { limit },
        _ => ApiError::bad_request(
            ErrorCode::InvalidBody,
            format!("the request body could not be read: {e}"),
        ),
    }
}

/// `body` as a `T`; a NUL anywhere in a string or key is a 422 on its field.
pub fn parse<T: DeserializeOwned>(body: &[u8]) -> Result<T, ApiError> {
    // The only way to write NUL in JSON is the escape: look for it first, so
    // the usual body is parsed once, straight into `T`.
    if contains_nul_escape(body) {
        if let Ok(value) = serde_json::from_slice::<Value>(body) {
            if let Some(field) = nul_field(&value, String::new()) {
                return Err(ApiError::field(&field, NUL_CODE, NUL_MESSAGE));
            }
        }
    }
    serde_json::from_slice(body).map_err(|e| {
        if e.is_data() {
            ApiError::Validation(vec![crate::error::FieldError::new(
                "body",
                "invalid_body",
                e.to_string(),
            )])
        } else {
            ApiError::bad_request(
                ErrorCode::MalformedJson,
                format!("the request body is not valid JSON: {e}"),
            )
        }
    })
}

fn contains_nul_escape(body: &[u8]) -> bool {
    body.windows(6)
        .any(|w| w[0] == b'\\' && w[1] == b'u' && &w[2..] == b"0000")
}

/// The path (`description`, `items[2].name`) of the first string or key
/// holding a NUL.
fn nul_field(value: &Value, path: String) -> Option<String> {
    let at = |p: &str| {
        if p.is_empty() {
            "body".to_owned()
        } else {
            p.to_owned()
        }
    };
    match value {
        Value::String(s) if s.contains('\0') => Some(at(&path)),
        Value::Array(items) => items
            .iter()
            .enumerate()
            .find_map(|(i, v)| nul_field(v, format!("{path}[{i}]"))),
        Value::Object(map) => map.iter().find_map(|(k, v)| {
            let child = if path.is_empty() {
                k.clone()
            } else {
                format!("{path}.{k}")
            };
            if k.contains('\0') {
                Some(at(&path))
            } else {
                nul_field(v, child)
            }
        }),
        _ => None,
    }
}

/// Middleware: a NUL in a query value (or name) is a 422 on that parameter,
/// before any handler can pass it to the database.
pub async fn refuse_nul_in_query(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    let query = req.query_string();
    if query.contains("%00") || query.contains('\0') {
        let field = query
            .split('&')
            .map(|pair| pair.split_once('=').unwrap_or((pair, "")))
            .find(|(k, v)| has_nul(k) || has_nul(v))
            .map(|(k, _)| decode(k).replace('\0', ""));
        if let Some(field) = field {
            let field = if field.is_empty() {
                "query".into()
            } else {
                field
            };
            let (req, _) = req.into_parts();
            let res = ApiError::field(&field, NUL_CODE, NUL_MESSAGE).error_response();
            return Ok(ServiceResponse::new(req, res));
        }
    }
    next.call(req)
        .await
        .map(ServiceResponse::map_into_boxed_body)
}

fn has_nul(s: &str) -> bool {
    s.contains('\0') || s.contains("%00")
}

/// Percent-decodes a query name for the error message (lossy: it is only
/// shown).
fn decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| char::from(b).to_digit(16);
        match bytes[i] {
            b'%' if i + 2 < bytes.len() => match (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                (Some(h), Some(l)) => {
                    out.push(u8::try_from(h * 16 + l).unwrap_or(b'?'));
                    i += 3;
                    continue;
                }
                _ => out.push(b'%'),
            },
            b'+' => out.push(b' '),
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_nul_names_its_field_and_escaped_backslashes_are_not_mistaken() {
        #[derive(serde::Deserialize, Debug)]
        #[allow(dead_code)]
        struct In {
            name: String,
            tags: Vec<String>,
        }
        let err = parse::<In>(br#"{"name":"a","tags":["x","b\u0000"]}"#).unwrap_err();
        let ApiError::Validation(errors) = err else {
            panic!("{err:?}")
        };
        assert_eq!(errors[0].field, "tags[1]");
        assert!(parse::<In>(br#"{"name":"\\u0000","tags":[]}"#).is_ok());
        assert!(matches!(
            parse::<In>(br#"{"name":"a","#),
            Err(ApiError::BadRequest { .. })
        ));
        assert!(matches!(
            parse::<In>(br#"{"name":1,"tags":[]}"#),
            Err(ApiError::Validation(_))
        ));
    }

    #[test]
    fn query_names_are_decoded_for_the_message() {
        assert_eq!(decode("label%5B%5D"), "label[]");
        assert_eq!(decode("a+b%2"), "a b%2");
        assert!(has_nul("x%00y") && !has_nul("x%2500"));
    }
}
