//! The tenant's security contacts: people the provider tells of incidents
//! (mail, and SMS when a phone is given) besides its administrators.

use actix_web::{get, put, HttpRequest, HttpResponse};
use sea_orm::{ActiveModelTrait, ActiveValue::Set, EntityTrait, QueryOrder};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::{
    access::Permission,
    auth::TenantCtx,
    entities::tenant::security_contact,
    error::{ApiError, ApiResult, FieldError},
    values::{Check, DisplayName, Email, Phone},
};

/// At most this many contacts.
const MAX: usize = 10;

#[derive(Serialize, ToSchema)]
pub struct SecurityContactOut {
    pub id: Uuid,
    pub name: String,
    pub email: String,
    pub phone: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct SecurityContactsOut {
    pub items: Vec<SecurityContactOut>,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SecurityContactIn {
    #[schema(
        min_length = 1,
        max_length = 200,
        pattern = r"^[^\x00-\x1F\x7F-\x9F\u2028\u2029\u202A-\u202E\u2066-\u2069]*[^\s\x00-\x1F\x7F-\x9F\u2028\u2029\u202A-\u202E\u2066-\u2069][^\x00-\x1F\x7F-\x9F\u2028\u2029\u202A-\u202E\u2066-\u2069]*$"
    )]
    pub name: String,
    #[schema(format = Email, max_length = 254)]
    pub email: String,
    /// E.164; texts go here when given.
    #[schema(example = "+819012345678", pattern = "^\\+[1-9][0-9]{6,14}$")]
    pub phone: Option<String>,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SecurityContactsIn {
    /// The whole list, in order (at most 10).
    #[schema(max_items = 10)]
    pub contacts: Vec<SecurityContactIn>,
}

fn out(rows: Vec<security_contact::Model>) -> SecurityContactsOut {
    SecurityContactsOut {
        items: rows
            .into_iter()
            .map(|c| SecurityContactOut {
                id: c.id,
                name: c.name,
                email: c.email,
                phone: c.phone,
            })
            .collect(),
    }
}

/// The tenant's security contacts, in order.
#[utoipa::path(
    tag = "settings",
    responses(
        (status = 200, body = SecurityContactsOut),
        crate::error::Unauthenticated,
        (status = 403, description = "`permission_denied` (needs `settings.manage`)", body = crate::error::Problem, content_type = "application/problem+json"),
        crate::error::DatabaseUnavailable,
    )
)]
#[get("/settings/security-contacts")]
pub async fn get_contacts(ctx: TenantCtx) -> ApiResult<HttpResponse> {
    ctx.require(Permission::SettingsManage)?;
    let rows = security_contact::Entity::find()
        .order_by_asc(security_contact::Column::Position)
        .all(ctx.tx().await?)
        .await?;
    Ok(HttpResponse::Ok().json(out(rows)))
}

/// Replace the security contacts (the whole list, at most 10).
#[utoipa::path(
    tag = "settings",
    request_body = SecurityContactsIn,
    responses(
        (status = 200, body = SecurityContactsOut),
        crate::error::JsonBody,
        crate::error::Unauthenticated,
        (status = 403, description = "`permission_denied` (needs `settings.manage`)", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid contacts (`contacts[i].field` per error) or more than 10", body = crate::error::Problem, content_type = "application/problem+json"),
        crate::error::DatabaseUnavailable,
    )
)]
#[put("/settings/security-contacts")]
pub async fn put_contacts(
    state: actix_web::web::Data<crate::state::AppState>,
    req: HttpRequest,
    ctx: TenantCtx,
    body: crate::http::Json<SecurityContactsIn>,
) -> ApiResult<HttpResponse> {
    ctx.require(Permission::SettingsManage)?;
    let body = body.into_inner();
    let mut check = Check::default();
    if body.contacts.len() > MAX {
        check.push(FieldError::new(
            "contacts",
            "too_many",
            format!("at most {MAX} contacts"),
        ));
    }
    let mut parsed = Vec::new();
    for (i, c) in body.contacts.iter().enumerate() {
        let name = check.take(DisplayName::parse(&format!("contacts[{i}].name"), &c.name));
        let email = check.take(Email::parse(&format!("contacts[{i}].email"), &c.email));
        // No phone is `null`; an empty string is a bad phone, as the schema says.
        let phone = match c.phone.as_deref() {
            Some(p) => check
                .take(Phone::parse(&format!("contacts[{i}].phone"), p))
                .map(Some),
            None => Some(None),
        };
        if let Some(Some(p)) = &phone {
            if crate::auth::otp::number_allowed(&state, p.as_str()).is_err() {
                check.push(FieldError::new(
                    &format!("contacts[{i}].phone"),
                    "not_allowed",
                    "text messages are not sent to this number range",
                ));
            }
        }
        parsed.push((name, email, phone));
    }
    let contacts = check.done(|| {
        parsed
            .into_iter()
            .map(|(n, e, p)| Some((n?, e?, p?)))
            .collect::<Option<Vec<_>>>()
    })?;
    let tx = ctx.tx().await?;
    security_contact::Entity::delete_many().exec(tx).await?;
    let now = ctx.now();
    for (i, (name, email, phone)) in contacts.iter().enumerate() {
        security_contact::ActiveModel {
            id: Set(Uuid::now_v7()),
            position: Set(i32::try_from(i).map_err(ApiError::internal)?),
            name: Set(name.as_str().to_owned()),
            email: Set(email.as_str().to_owned()),
            phone: Set(phone.as_ref().map(|p| p.as_str().to_owned())),
            created_at: Set(now),
        }
        .insert(tx)
        .await?;
    }
    let rows = security_contact::Entity::find()
        .order_by_asc(security_contact::Column::Position)
        .all(tx)
        .await?;
    let mut event = ctx.event(&req, "settings.security_contacts.changed");
    event.details = serde_json::json!({ "count": rows.len() });
    ctx.record(event).await?;
    Ok(HttpResponse::Ok().json(out(rows)))
}
