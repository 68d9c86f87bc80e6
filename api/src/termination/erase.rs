//! Deleting a tenant for good (CLD.8.1.5): every session, its schema or
//! database file, every stored object (exports included, unfinished S3
//! uploads aborted) and every platform row about it (deliveries with
//! addresses and phones, throttles, the export queue, the log's anchor and
//! checkpoints, mentions in the platform audit, which are redacted). What is
//! kept is a deletion certificate in the platform audit. Each step can run
//! again: interrupted anywhere, running the deletion again finishes it.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use sea_orm::{
    sea_query::{Alias, Condition, Expr, OnConflict, Query},
    ActiveModelTrait,
    ActiveValue::Set,
    ColumnTrait, ConnectionTrait, DbErr, EntityTrait, PaginatorTrait, QueryFilter,
};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use utoipa::ToSchema;

use crate::{
    audit::{self, Actor, CERTIFICATE},
    config::Settings,
    db::Db,
    entities::{
        platform::{
            access_log_anchor, access_log_checkpoint, evaluation_queue, export_queue, notice,
            notice_delivery, platform_audit, slug_quarantine,
            tenant::{self, TenantStatus},
            tenant_erasure,
        },
        tenant::{access_log, export, file, label, project, role, user},
    },
    error::{ApiError, ApiResult},
    ids::TenantId,
    logbook::{checkpoint, signing::LogSigner},
    storage::{ObjectKey, ObjectStore},
};

/// What a deletion leaves behind: the certificate, also in the platform audit.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct DeletionCertificateOut {
    pub tenant_id: TenantId,
    pub slug: String,
    /// When the tenant's administrator asked for it, if they did.
    pub requested_at: Option<DateTime<Utc>>,
    pub completed_at: DateTime<Utc>,
    pub operator_email: Option<String>,
    /// Rows of the tenant's tables that were deleted.
    pub rows_removed: i64,
    /// Stored objects that were deleted (design files, thumbnails, exports).
    pub objects_removed: i64,
    /// The head hash of the access log's last signed checkpoint.
    pub last_checkpoint_sha256: Option<String>,
}

/// The SHA-256 under which a deleted tenant's slug is quarantined.
pub fn slug_digest(slug: &str) -> String {
    hex::encode(Sha256::digest(slug.as_bytes()))
}

/// Who deletes, for the certificate.
pub struct Deleter<'a> {
    pub actor: Actor<'a>,
    pub operator_email: Option<String>,
}

pub async fn erase(
    db: &Db,
    storage: &dyn ObjectStore,
    signer: &LogSigner,
    settings: &Settings,
    id: TenantId,
    by: Deleter<'_>,
    now: DateTime<Utc>,
) -> ApiResult<DeletionCertificateOut> {
    let platform = db.platform();
    let mut erasure = tenant_erasure::Entity::find_by_id(id.as_uuid())
        .one(platform)
        .await?;
    let row = tenant::Entity::find_by_id(id.as_uuid())
        .one(platform)
        .await?;
    if erasure.is_none() {
        let Some(row) = &row else {
            return Err(ApiError::NotFound);
        };
        erasure = Some(begin(db, row, by.operator_email.clone(), now).await?);
    }
    let Some(mut erasure) = erasure else {
        return Err(ApiError::NotFound);
    };
    if row
        .as_ref()
        .is_some_and(|t| t.status != TenantStatus::Deleting)
    {
        // Nobody signs in or acts for it any more (its tokens are refused).
        tenant::Entity::update_many()
            .col_expr(
                tenant::Column::Status,
                Expr::value(sea_orm::ActiveEnum::to_value(&TenantStatus::Deleting)),
            )
            .filter(tenant::Column::Id.eq(id.as_uuid()))
            .exec(platform)
            .await?;
    }
    let schema_left = row.is_some_and(|t| t.status != TenantStatus::Provisioning);
    if schema_left && erasure.last_checkpoint.is_none() {
        // The log's final state, signed: the certificate commits to it.
        if let Err(e) = checkpoint::sign_head(db, signer, id, "deletion", now).await {
            tracing::warn!(tenant_id = %id, error = ?e, "no final checkpoint before deletion");
        }
        let last = checkpoint::all(db, id)
            .await?
            .into_iter()
            .max_by_key(|c| (c.seq, c.at));
        if let Some(last) = last {
            erasure.last_checkpoint = Some(last.hash.clone());
            tenant_erasure::ActiveModel {
                tenant_id: Set(erasure.tenant_id),
                last_checkpoint: Set(erasure.last_checkpoint.clone()),
                ..Default::default()
            }
            .update(platform)
            .await?;
        }
    }

    // On S3 this also aborts unfinished multipart uploads.
    let removed = storage
        .delete_prefix(&ObjectKey::tenant_prefix(id))
        .await
        .map_err(unavailable)?;
    erasure.objects_removed += i64::try_from(removed).unwrap_or(i64::MAX);
    tenant_erasure::ActiveModel {
        tenant_id: Set(erasure.tenant_id),
        objects_removed: Set(erasure.objects_removed),
        ..Default::default()
    }
    .update(platform)
    .await?;
    if settings.fault_exit_after_commit.as_deref() == Some("tenant.erase.objects") {
        tracing::error!("CREPO_FAULT_EXIT_AFTER_COMMIT=tenant.erase.objects: exiting mid-deletion");
        std::process::exit(86);
    }

    db.remove_tenant_storage(id).await?;
    scrub_platform(db, &erasure).await?;

    let quarantine =
        chrono::Duration::from_std(settings.slug_quarantine).unwrap_or(chrono::Duration::days(30));
    slug_quarantine::Entity::insert(slug_quarantine::ActiveModel {
        slug_sha256: Set(slug_digest(&erasure.slug)),
        until: Set(now + quarantine),
    })
    .on_conflict(
        OnConflict::column(slug_quarantine::Column::SlugSha256)
            .update_column(slug_quarantine::Column::Until)
            .to_owned(),
    )
    .exec(platform)
    .await?;
    tenant::Entity::delete_by_id(id.as_uuid())
        .exec(platform)
        .await?;

    let certificate = match existing_certificate(db, id).await? {
        Some(c) => c,
        None => {
            let counts: BTreeMap<String, i64> =
                serde_json::from_str(&erasure.counts).unwrap_or_default();
            let c = DeletionCertificateOut {
                tenant_id: id,
                slug: erasure.slug.clone(),
                requested_at: erasure.requested_at,
                completed_at: now,
                operator_email: erasure.operator_email.clone(),
                rows_removed: counts.values().sum(),
                objects_removed: erasure.objects_removed,
                last_checkpoint_sha256: erasure.last_checkpoint.clone(),
            };
            let mut details = serde_json::to_value(&c).map_err(ApiError::internal)?;
            details["started_at"] = serde_json::json!(erasure.started_at);
            details["counts"] = serde_json::json!(counts);
            audit::append(
                db,
                audit::Entry {
                    actor: by.actor,
                    action: CERTIFICATE,
                    target: Some(("tenant", id.to_string())),
                    details,
                    ip: None,
                    request_id: None,
                    at: now,
                },
            )
            .await?;
            c
        }
    };
    // Last: with it goes the permission to remove the tenant's checkpoints.
    tenant_erasure::Entity::delete_by_id(id.as_uuid())
        .exec(platform)
        .await?;
    Ok(certificate)
}

fn unavailable(e: anyhow::Error) -> ApiError {
    tracing::error!(
        error = format!("{e:#}"),
        "object storage failed during a deletion"
    );
    ApiError::Unavailable {
        detail: "object storage is unavailable; run the deletion again".into(),
    }
}

/// Counts what will go and notes what to scrub from platform rows, before
/// anything is removed.
async fn begin(
    db: &Db,
    t: &tenant::Model,
    operator_email: Option<String>,
    now: DateTime<Utc>,
) -> Result<tenant_erasure::Model, ApiError> {
    let id = TenantId(t.id);
    let mut counts = BTreeMap::new();
    let mut needles = vec![t.slug.clone()];
    if t.status != TenantStatus::Provisioning {
        let (c, people) = db
            .in_tenant(id, async |tx| {
                let mut c = BTreeMap::new();
                c.insert("users", user::Entity::find().count(tx).await?);
                c.insert("roles", role::Entity::find().count(tx).await?);
                c.insert("labels", label::Entity::find().count(tx).await?);
                c.insert("projects", project::Entity::find().count(tx).await?);
                c.insert("files", file::Entity::find().count(tx).await?);
                c.insert("access_log", access_log::Entity::find().count(tx).await?);
                c.insert("exports", export::Entity::find().count(tx).await?);
                let people = user::Entity::find().all(tx).await?;
                Ok::<_, DbErr>((c, people))
            })
            .await?;
        counts = c
            .into_iter()
            .map(|(k, v)| (k.to_owned(), v as i64))
            .collect();
        for u in people {
            needles.push(u.email);
            needles.extend(u.phone);
        }
    }
    let delivered = notice_delivery::Entity::find()
        .filter(notice_delivery::Column::TenantId.eq(t.id))
        .all(db.platform())
        .await?;
    needles.extend(delivered.into_iter().map(|d| d.destination));
    needles.sort();
    needles.dedup();
    let row = tenant_erasure::Model {
        tenant_id: t.id,
        slug: t.slug.clone(),
        requested_at: t.termination_requested_at,
        started_at: now,
        operator_email,
        counts: serde_json::to_string(&counts).map_err(ApiError::internal)?,
        needles: serde_json::to_string(&needles).map_err(ApiError::internal)?,
        objects_removed: 0,
        last_checkpoint: None,
    };
    tenant_erasure::ActiveModel::from(row.clone())
        .insert(db.platform())
        .await?;
    Ok(row)
}

/// Every platform row about the tenant: removed, or redacted where a chain
/// must hold (the audit).
async fn scrub_platform(db: &Db, erasure: &tenant_erasure::Model) -> Result<(), ApiError> {
    let id = erasure.tenant_id;
    let needles: Vec<String> = serde_json::from_str(&erasure.needles).unwrap_or_default();
    db.in_platform(async |txn| {
        notice_delivery::Entity::delete_many()
            .filter(notice_delivery::Column::TenantId.eq(id))
            .exec(txn)
            .await?;
        export_queue::Entity::delete_by_id(id).exec(txn).await?;
        evaluation_queue::Entity::delete_by_id(id).exec(txn).await?;
        access_log_anchor::Entity::delete_many()
            .filter(access_log_anchor::Column::TenantId.eq(id))
            .exec(txn)
            .await?;
        access_log_checkpoint::Entity::delete_many()
            .filter(access_log_checkpoint::Column::TenantId.eq(id))
            .exec(txn)
            .await?;
        let throttles = Query::delete()
            .from_table(Alias::new("rate_limits"))
            .cond_where(
                Condition::any()
                    .add(
                        Expr::col(Alias::new("key"))
                            .like(crate::text::like_contains(&id.to_string())),
                    )
                    .add(Expr::col(Alias::new("key")).eq(format!("tenant-login:{}", erasure.slug))),
            )
            .to_owned();
        txn.execute(txn.get_database_backend().build(&throttles))
            .await?;
        // Notices addressed to it no longer name it.
        let addressed = notice::Entity::find()
            .filter(
                notice::Column::AudienceTenantIds.like(crate::text::like_contains(&id.to_string())),
            )
            .all(txn)
            .await?;
        for n in addressed {
            let ids: Vec<uuid::Uuid> = n
                .audience_tenant_ids
                .as_deref()
                .and_then(|a| serde_json::from_str(a).ok())
                .unwrap_or_default();
            let kept: Vec<uuid::Uuid> = ids.into_iter().filter(|t| *t != id).collect();
            notice::ActiveModel {
                id: Set(n.id),
                audience_tenant_ids: Set(Some(
                    serde_json::to_string(&kept).unwrap_or_else(|_| "[]".into()),
                )),
                ..Default::default()
            }
            .update(txn)
            .await?;
        }
        audit::redact(txn, id, &needles).await?;
        Ok::<_, ApiError>(())
    })
    .await
}

async fn existing_certificate(
    db: &Db,
    id: TenantId,
) -> Result<Option<DeletionCertificateOut>, DbErr> {
    let row = platform_audit::Entity::find()
        .filter(platform_audit::Column::Action.eq(CERTIFICATE))
        .filter(platform_audit::Column::TargetId.eq(id.to_string()))
        .one(db.platform())
        .await?;
    Ok(row.and_then(|r| serde_json::from_str(&r.details).ok()))
}
