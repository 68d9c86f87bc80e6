//! The browser mode of the auth endpoints (`X-Crepo-Client: browser`): the
//! refresh token travels in an HttpOnly cookie that the page's JavaScript
//! never sees, instead of in the JSON body. API clients that do not send the
//! header get the JSON mode unchanged.

use actix_web::{
    http::header::{self, HeaderValue},
    HttpRequest, HttpResponse,
};
use chrono::{DateTime, Utc};

use super::{session::TokensOut, types::LoginOut};
use crate::error::{ApiError, ErrorCode};

pub const CLIENT_HEADER: &str = "x-crepo-client";
pub const REFRESH_COOKIE: &str = "crepo_refresh";
/// The cookie goes back only to the auth endpoints, not to every API call.
const COOKIE_PATH: &str = "/api/v1/auth";

/// Does the request ask for the browser mode?
pub fn is_browser(req: &HttpRequest) -> bool {
    req.headers()
        .get(CLIENT_HEADER)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.trim().eq_ignore_ascii_case("browser"))
}

fn csrf(detail: &str) -> ApiError {
    ApiError::forbidden(ErrorCode::CsrfRejected, detail)
}

/// The defence of the cookie against cross-site requests, on top of
/// `SameSite=Strict`: the custom header (which a cross-site page cannot send
/// without a CORS preflight this server never grants), an `Origin` equal to
/// this server's own, and `Sec-Fetch-Site` (when the browser sends it) saying
/// `same-origin`.
pub fn check_same_origin(req: &HttpRequest) -> Result<(), ApiError> {
    let origin = req
        .headers()
        .get(header::ORIGIN)
        .and_then(|v| v.to_str().ok())
        .ok_or_else(|| csrf("a browser refresh must carry the Origin header"))?;
    let expected = {
        let info = req.connection_info();
        format!("{}://{}", info.scheme(), info.host())
    };
    if !origin.trim().eq_ignore_ascii_case(&expected) {
        return Err(csrf("the request comes from another origin"));
    }
    let site = req
        .headers()
        .get("sec-fetch-site")
        .and_then(|v| v.to_str().ok());
    if site.is_some_and(|s| !s.eq_ignore_ascii_case("same-origin")) {
        return Err(csrf("the request comes from another site"));
    }
    Ok(())
}

/// The refresh token from the cookie, if the browser sent one.
pub fn refresh_cookie(req: &HttpRequest) -> Option<String> {
    req.headers()
        .get_all(header::COOKIE)
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == REFRESH_COOKIE)
        .map(|(_, value)| value.trim().trim_matches('"').to_owned())
        .filter(|v| !v.is_empty())
}

fn secure(req: &HttpRequest) -> &'static str {
    if req.connection_info().scheme() == "https" {
        "; Secure"
    } else {
        ""
    }
}

fn set_cookie(req: &HttpRequest, value: &str, max_age: i64) -> Option<HeaderValue> {
    let cookie = format!(
        "{REFRESH_COOKIE}={value}; Path={COOKIE_PATH}; Max-Age={max_age}; HttpOnly; SameSite=Strict{}",
        secure(req)
    );
    // The token is `crt_<hex>_<base64url>`: always a valid header value.
    HeaderValue::from_str(&cookie).ok()
}

/// A `Set-Cookie` that removes the refresh cookie.
pub fn clear_cookie(req: &HttpRequest) -> Option<HeaderValue> {
    set_cookie(req, "", 0)
}

/// 200 with the tokens; in browser mode the refresh token moves from the
/// body into the cookie, which lives as long as the session at most.
pub fn tokens_response(req: &HttpRequest, now: DateTime<Utc>, tokens: TokensOut) -> HttpResponse {
    let mut resp = HttpResponse::Ok();
    let tokens = if is_browser(req) {
        let TokensOut {
            refresh_token,
            session_expires_at,
            ..
        } = &tokens;
        if let Some(refresh) = refresh_token {
            let max_age = session_expires_at.map_or(0, |end| (end - now).num_seconds().max(0));
            if let Some(cookie) = set_cookie(req, refresh, max_age) {
                resp.append_header((header::SET_COOKIE, cookie));
            }
        }
        TokensOut {
            refresh_token: None,
            ..tokens
        }
    } else {
        tokens
    };
    resp.insert_header((header::CACHE_CONTROL, "no-store"));
    resp.json(tokens)
}

/// The answer to a login: tokens as in [`tokens_response`], or the request
/// for an SMS code.
pub fn login_response(req: &HttpRequest, now: DateTime<Utc>, out: LoginOut) -> HttpResponse {
    match out {
        LoginOut::Tokens(tokens) => tokens_response(req, now, tokens),
        other => HttpResponse::Ok()
            .insert_header((header::CACHE_CONTROL, "no-store"))
            .json(other),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use actix_web::test::TestRequest;

    #[test]
    fn the_refresh_cookie_is_found_among_others() {
        let req = TestRequest::default()
            .insert_header((header::COOKIE, "a=1; crepo_refresh=crt_x_y; b=2"))
            .to_http_request();
        assert_eq!(refresh_cookie(&req).as_deref(), Some("crt_x_y"));
        let none = TestRequest::default()
            .insert_header((header::COOKIE, "xcrepo_refresh=1; crepo_refresh="))
            .to_http_request();
        assert_eq!(refresh_cookie(&none), None);
    }

    #[test]
    fn another_origin_or_site_is_rejected() {
        let ok = TestRequest::default()
            .insert_header((header::HOST, "crepo.test"))
            .insert_header((header::ORIGIN, "http://crepo.test"))
            .insert_header(("sec-fetch-site", "same-origin"))
            .to_http_request();
        assert!(check_same_origin(&ok).is_ok());
        let other = TestRequest::default()
            .insert_header((header::HOST, "crepo.test"))
            .insert_header((header::ORIGIN, "http://evil.test"))
            .to_http_request();
        assert_eq!(
            check_same_origin(&other).err().map(|e| e.code()),
            Some(ErrorCode::CsrfRejected)
        );
        let cross_site = TestRequest::default()
            .insert_header((header::HOST, "crepo.test"))
            .insert_header((header::ORIGIN, "http://crepo.test"))
            .insert_header(("sec-fetch-site", "cross-site"))
            .to_http_request();
        assert!(check_same_origin(&cross_site).is_err());
    }
}
