//! The OpenAPI document, collected from the routes themselves.

use utoipa::{
    openapi::{
        schema::{
            AdditionalProperties, ArrayItems, KnownFormat, Schema, SchemaFormat, SchemaType, Type,
        },
        security::{HttpAuthScheme, HttpBuilder, SecurityScheme},
        RefOr,
    },
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
        (name = "evaluations", description = "Design evaluation: predicted-attention heatmaps, metrics, areas of interest, shelf test"),
        (name = "roles", description = "Roles: permissions (function scope) and reference scope"),
        (name = "notices", description = "Maintenance, vulnerability, incident and release notices"),
        (name = "access-log", description = "The tenant's tamper-evident access log"),
        (name = "ops", description = "Operator API (provider staff; operator tokens only)"),
        (name = "support", description = "The provider's support contacts and hours"),
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
    forbid_nul(&mut api);
    api
}

/// The rule of [`crate::http::json`], stated on every free-text string the
/// document describes (request bodies, parameters, and the components they
/// share): no NUL character.
const NO_NUL: &str = "^[^\\u0000]*$";

fn forbid_nul(api: &mut utoipa::openapi::OpenApi) {
    if let Some(components) = api.components.as_mut() {
        components.schemas.values_mut().for_each(forbid_nul_in);
    }
    for item in api.paths.paths.values_mut() {
        let operations = [
            &mut item.get,
            &mut item.put,
            &mut item.post,
            &mut item.delete,
            &mut item.patch,
        ];
        for op in operations.into_iter().flatten() {
            for p in op.parameters.iter_mut().flatten() {
                p.schema.iter_mut().for_each(forbid_nul_in);
            }
            if let Some(body) = op.request_body.as_mut() {
                for content in body.content.values_mut() {
                    content.schema.iter_mut().for_each(forbid_nul_in);
                }
            }
        }
    }
}

fn forbid_nul_in(schema: &mut RefOr<Schema>) {
    let RefOr::T(schema) = schema else { return };
    match schema {
        Schema::Object(o) => {
            let is_string = match &o.schema_type {
                SchemaType::Type(Type::String) => true,
                SchemaType::Array(types) => types.contains(&Type::String),
                _ => false,
            };
            // Formats that parse strictly (uuid, date-time, email, binary) and
            // enums need no rule; an existing pattern is the field's own,
            // stricter one. Passwords are free text.
            let free = match &o.format {
                None => true,
                Some(SchemaFormat::KnownFormat(KnownFormat::Password)) => true,
                Some(_) => false,
            };
            if is_string && free && o.enum_values.is_none() && o.pattern.is_none() {
                o.pattern = Some(NO_NUL.to_owned());
            }
            o.properties.values_mut().for_each(forbid_nul_in);
            if let Some(AdditionalProperties::RefOr(s)) = o.additional_properties.as_deref_mut() {
                forbid_nul_in(s);
            }
        }
        Schema::Array(a) => {
            if let ArrayItems::RefOrSchema(items) = &mut a.items {
                forbid_nul_in(items);
            }
        }
        Schema::OneOf(x) => x.items.iter_mut().for_each(forbid_nul_in),
        Schema::AllOf(x) => x.items.iter_mut().for_each(forbid_nul_in),
        Schema::AnyOf(x) => x.items.iter_mut().for_each(forbid_nul_in),
        _ => {}
    }
}

/// What `crepo openapi` prints and `openapi.yaml` holds.
pub fn yaml() -> anyhow::Result<String> {
    Ok(spec().to_yaml()?)
}
