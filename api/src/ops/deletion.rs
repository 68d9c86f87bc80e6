//! An operator deletes a tenant for good (the termination it requested, or
//! a contract's end): see `termination::erase`.

use actix_web::{delete, web, HttpResponse};

use super::context::OpsCtx;
use crate::{
    audit::Actor,
    error::ApiResult,
    ids::TenantId,
    termination::erase::{erase, Deleter, DeletionCertificateOut},
};

/// Delete a tenant and everything it registered, in the database, object
/// storage and the platform's own rows; only a deletion certificate stays
/// in the platform audit. Run it again after an interruption: it finishes.
#[utoipa::path(
    tag = "ops",
    params(("id" = TenantId, Path, description = "Tenant id")),
    responses(
        (status = 200, description = "Deleted: the certificate", body = DeletionCertificateOut),
        crate::error::BadId,
        crate::error::OperatorUnauthenticated,
        (status = 404, description = "No such tenant", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 503, description = "Database or object storage unavailable: run it again", body = crate::error::Problem, content_type = "application/problem+json"),
    )
)]
#[delete("/ops/tenants/{id}")]
pub async fn delete_tenant(ctx: OpsCtx, id: web::Path<TenantId>) -> ApiResult<HttpResponse> {
    let state = &ctx.state;
    let certificate: DeletionCertificateOut = erase(
        &state.db,
        state.storage.as_ref(),
        &state.log_signer,
        &state.settings,
        id.into_inner(),
        Deleter {
            actor: Actor::Operator {
                id: ctx.operator.id,
                email: &ctx.operator.email,
            },
            operator_email: Some(ctx.operator.email.clone()),
        },
        state.clock.now(),
    )
    .await?;
    Ok(HttpResponse::Ok().json(certificate))
}
