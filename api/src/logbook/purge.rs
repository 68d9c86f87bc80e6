//! Retention: the only removal, run by `crepo access-log purge`. It removes
//! the contiguous prefix of entries older than the tenant's retention (the
//! first entry inside it bounds the cut, so an entry stamped old by a node
//! whose clock is behind, or edited to look old, cannot pull newer ones
//! along), and only from a chain that verifies: a purge signs a `purge`
//! checkpoint of the last removed entry, which must not bless a tampered log.

use chrono::{DateTime, Duration, Utc};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DbBackend, DbErr, EntityTrait, QueryFilter, QueryOrder, Statement,
};

use super::{checkpoint, signing::LogSigner, verify};
use crate::{
    db::Db,
    entities::tenant::{access_log, access_log_head},
    ids::TenantId,
};

#[derive(Debug, thiserror::Error)]
pub enum PurgeError {
    #[error(transparent)]
    Db(#[from] DbErr),
    #[error("refused: the chain is broken at seq {seq}: {reason}")]
    Broken { seq: i64, reason: String },
}

/// Removes entries older than the tenant's retention; returns how many.
pub async fn purge(
    db: &Db,
    signer: &LogSigner,
    tenant: TenantId,
    now: DateTime<Utc>,
) -> Result<u64, PurgeError> {
    let Some(cut) = cut(db, tenant, now).await? else {
        return Ok(0);
    };
    let v = verify::verify(db, signer, tenant).await?;
    if v.status != "intact" {
        return Err(PurgeError::Broken {
            seq: v.first_bad_seq.unwrap_or_default(),
            reason: v.reason.unwrap_or_default(),
        });
    }
    checkpoint::store(db, signer, tenant, cut.seq, &cut.hash, "purge", now).await?;
    let tx = db.tenant_tx(tenant).await?;
    let backend = tx.get_database_backend();
    let permit = match backend {
        DbBackend::Postgres => "SET LOCAL crepo.access_log_purge = 'on'",
        _ => "INSERT INTO access_log_purge_permit (id) VALUES (1)",
    };
    tx.execute(Statement::from_string(backend, permit)).await?;
    let removed = access_log::Entity::delete_many()
        .filter(access_log::Column::Seq.lte(cut.seq))
        .exec(&tx)
        .await?
        .rows_affected;
    if backend != DbBackend::Postgres {
        tx.execute(Statement::from_string(
            backend,
            "DELETE FROM access_log_purge_permit",
        ))
        .await?;
    }
    tx.commit().await?;
    Ok(removed)
}

/// The last entry of the contiguous prefix older than the retention.
async fn cut(
    db: &Db,
    tenant: TenantId,
    now: DateTime<Utc>,
) -> Result<Option<access_log::Model>, DbErr> {
    let tx = db.tenant_tx(tenant).await?;
    let days = access_log_head::Entity::find_by_id(1)
        .one(&tx)
        .await?
        .map(|h| h.retention_days)
        .unwrap_or(400);
    let cutoff = now - Duration::days(i64::from(days));
    let first_kept = access_log::Entity::find()
        .filter(access_log::Column::At.gte(cutoff))
        .order_by_asc(access_log::Column::Seq)
        .one(&tx)
        .await?;
    let mut last_old = access_log::Entity::find().order_by_desc(access_log::Column::Seq);
    if let Some(kept) = first_kept {
        last_old = last_old.filter(access_log::Column::Seq.lt(kept.seq));
    }
    let last_old = last_old.one(&tx).await?;
    tx.commit().await?;
    Ok(last_old)
}
