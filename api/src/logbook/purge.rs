//! Retention: the only removal, run by `crepo access-log purge`. It signs a
//! `purge` checkpoint of the last removed entry first, so verification holds
//! from the new first entry.

use chrono::{DateTime, Duration, Utc};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DbBackend, DbErr, EntityTrait, QueryFilter, QueryOrder, Statement,
};

use super::{checkpoint, signing::LogSigner};
use crate::{
    db::Db,
    entities::tenant::{access_log, access_log_head},
    ids::TenantId,
};

/// Removes entries older than the tenant's retention; returns how many.
pub async fn purge(
    db: &Db,
    signer: &LogSigner,
    tenant: TenantId,
    now: DateTime<Utc>,
) -> Result<u64, DbErr> {
    let cut = {
        let tx = db.tenant_tx(tenant).await?;
        let days = access_log_head::Entity::find_by_id(1)
            .one(&tx)
            .await?
            .map(|h| h.retention_days)
            .unwrap_or(400);
        let cutoff = now - Duration::days(i64::from(days));
        let last_old = access_log::Entity::find()
            .filter(access_log::Column::At.lt(cutoff))
            .order_by_desc(access_log::Column::Seq)
            .one(&tx)
            .await?;
        tx.commit().await?;
        last_old
    };
    let Some(cut) = cut else {
        return Ok(0);
    };
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
