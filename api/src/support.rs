//! The provider's support desk, as the white paper promises customers: who
//! to contact and when, from the server's configuration.

use actix_web::{get, web, HttpResponse};
use serde::Serialize;
use utoipa::ToSchema;

use crate::state::AppState;

#[derive(Serialize, ToSchema)]
pub struct SupportOut {
    pub email: Option<String>,
    pub phone: Option<String>,
    /// A help centre or contact form.
    pub url: Option<String>,
    /// Opening hours, in Japanese and English.
    pub hours_ja: String,
    pub hours_en: String,
}

/// The support contacts and hours (public: shown on sign-in pages too).
#[utoipa::path(
    tag = "support",
    security(()),
    responses((status = 200, body = SupportOut)),
)]
#[get("/support")]
async fn support(state: web::Data<AppState>) -> HttpResponse {
    let s = &state.settings.support;
    HttpResponse::Ok().json(SupportOut {
        email: s.email.clone(),
        phone: s.phone.clone(),
        url: s.url.clone(),
        hours_ja: s.hours_ja.clone(),
        hours_en: s.hours_en.clone(),
    })
}

pub fn routes(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(support);
}
