//! Every API route in one place: the server mounts them and the OpenAPI
//! document is generated from them, so the two cannot disagree.

use actix_web::{get, web};
use utoipa_actix_web::{scope, service_config::ServiceConfig};

use crate::{
    access_log, auth, evaluations, exports, files, health, http, labels, me, notices, ops,
    projects, roles, settings, signup, state::AppState, support, termination, users,
};

/// Every API route, for the server and for the OpenAPI document alike.
pub fn routes(cfg: &mut ServiceConfig) {
    cfg.configure(health::routes).service(
        scope::scope("/api/v1")
            .service(openapi_json)
            .configure(signup::routes)
            .configure(support::routes)
            .configure(auth::routes)
            .configure(me::routes)
            .configure(users::routes)
            .configure(settings::routes)
            .configure(exports::routes)
            .configure(termination::routes)
            .configure(access_log::routes)
            .configure(projects::routes)
            .configure(labels::routes)
            .configure(files::routes)
            .configure(evaluations::routes)
            .configure(roles::routes)
            .configure(notices::routes)
            .configure(notices::ops::routes)
            .configure(ops::routes)
            .default_service(web::to(http::not_found)),
    );
}

/// This document, as JSON.
#[utoipa::path(
    tag = "health",
    security(()),
    responses((status = 200, description = "The OpenAPI 3.1 document", content_type = "application/json", body = Object))
)]
#[get("/openapi.json")]
pub async fn openapi_json(state: web::Data<AppState>) -> actix_web::HttpResponse {
    actix_web::HttpResponse::Ok()
        .content_type("application/json")
        .body(state.openapi_json.clone())
}
