//! The OpenAPI document, collected from the routes themselves.

use utoipa::{
    openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme},
    Modify, OpenApi,
};
use utoipa_actix_web::AppExt;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Crepo API",
        description = "Multi-tenant API of Crepo, the package-design service. Errors are \
            `application/problem+json` (RFC 9457) with a stable `code`; ids are UUIDs; \
            timestamps are UTC (RFC 3339).",
    ),
    modifiers(&BearerAuth),
    security(("bearer" = [])),
    components(schemas(crate::error::Problem, crate::error::FieldError)),
    tags(
        (name = "health", description = "Liveness, readiness and metrics"),
        (name = "signup", description = "Self sign-up of a new tenant"),
        (name = "auth", description = "Login, SMS one-time codes, token refresh, logout"),
        (name = "me", description = "The signed-in user"),
        (name = "users", description = "Users of the tenant"),
        (name = "settings", description = "Tenant settings: password and session policy"),
        (name = "projects", description = "Design projects (案件)"),
        (name = "labels", description = "Product-code labels"),
        (name = "files", description = "Design files in object storage"),
        (name = "roles", description = "Roles: permissions (function scope) and reference scope"),
        (name = "notices", description = "Maintenance, vulnerability, incident and release notices"),
        (name = "access-log", description = "The tenant's tamper-evident access log"),
        (name = "ops", description = "Operator API (provider staff; operator tokens only)"),
    )
)]
struct ApiDoc;

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .bearer_format("JWT")
                    .build(),
            ),
        );
    }
}

/// The document for the routes [`crate::routes::routes`] registers.
pub fn spec() -> utoipa::openapi::OpenApi {
    let (_, mut api) = actix_web::App::new()
        .into_utoipa_app()
        .openapi(ApiDoc::openapi())
        .configure(crate::routes::routes)
        .split_for_parts();
    api.info.version = env!("CARGO_PKG_VERSION").to_owned();
    api.info.license = None;
    api
}

/// What `crepo openapi` prints and `openapi.yaml` holds.
pub fn yaml() -> anyhow::Result<String> {
    Ok(spec().to_yaml()?)
}
