//! Self sign-up: a new tenant and its first user, who holds the `admin` role.

mod provision;
mod types;

use actix_web::{get, post, web, HttpResponse};

pub use types::{Signup, SignupIn, SignupOut, SignupTenant, SignupUser};

use crate::{
    error::ApiResult,
    http::ClientAddr,
    passwords::policy::{PasswordPolicy, PasswordRulesOut},
    state::AppState,
    throttle,
};

/// Sign up: creates a tenant with its own schema and its first user, who holds
/// the built-in `admin` role. The password is never returned or logged.
#[utoipa::path(
    tag = "signup",
    security(()),
    request_body = SignupIn,
    responses(
        (status = 201, description = "Tenant and first user created", body = SignupOut),
        (status = 400, description = "Malformed JSON", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 409, description = "`tenant_slug_taken`", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 413, description = "Body over the JSON limit", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 415, description = "Body is not JSON", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields, listed in `errors`", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 429, description = "Too many sign-ups from this address; see `Retry-After`", body = crate::error::Problem, content_type = "application/problem+json",
            headers(("Retry-After" = u64, description = "Seconds to wait"))),
        (status = 503, description = "The database is unreachable", body = crate::error::Problem, content_type = "application/problem+json"),
    )
)]
#[post("/signup")]
async fn signup(
    state: web::Data<AppState>,
    client: ClientAddr,
    body: crate::http::Json<SignupIn>,
) -> ApiResult<HttpResponse> {
    throttle::hit(
        &state.db,
        &throttle::client_key("signup", client.0),
        state.settings.signup_limit,
        state.clock.now(),
    )
    .await?;
    let input = body
        .into_inner()
        .parse(&state.passwords, &state.settings.terms_version)?;
    let hash = state.passwords.hash(input.password.clone()).await?;
    let out = provision::create_tenant(&state.db, &input, hash, state.clock.now()).await?;
    tracing::info!(tenant_id = %out.tenant.id, slug = %out.tenant.slug, "tenant signed up");
    Ok(HttpResponse::Created().json(out))
}

/// The password rules of a new organisation (the platform's defaults), for
/// the sign-up form to show before the password is sent.
#[utoipa::path(
    tag = "signup",
    security(()),
    responses((status = 200, body = PasswordRulesOut)),
)]
#[get("/signup/password-rules")]
async fn signup_password_rules() -> HttpResponse {
    HttpResponse::Ok().json(PasswordRulesOut::from(&PasswordPolicy::default()))
}

/// The current terms of use, which a sign-up must accept.
#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct TermsOut {
    /// Send it back as `accept_terms_version`.
    pub version: String,
    /// Where the terms can be read, when configured.
    pub url: Option<String>,
}

/// The terms of use a sign-up accepts (`CREPO_TERMS_VERSION`, `CREPO_TERMS_URL`).
#[utoipa::path(
    tag = "signup",
    security(()),
    responses((status = 200, body = TermsOut)),
)]
#[get("/signup/terms")]
async fn signup_terms(state: web::Data<AppState>) -> HttpResponse {
    HttpResponse::Ok().json(TermsOut {
        version: state.settings.terms_version.clone(),
        url: state.settings.terms_url.clone(),
    })
}

pub fn routes(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(signup)
        .service(signup_password_rules)
        .service(signup_terms);
}
