//! Signed checkpoints of a tenant's chain head, stored in the platform.

use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, DbErr, EntityTrait, QueryFilter, QueryOrder,
};
use uuid::Uuid;

use super::signing::{message, LogSigner};
use crate::{
    db::Db,
    entities::{platform::access_log_checkpoint, tenant::access_log_head},
    ids::TenantId,
};

/// What the writer knows of a tenant's signing progress.
#[derive(Debug, Clone, Copy)]
pub struct Progress {
    pub signed_seq: i64,
    pub signed_at: DateTime<Utc>,
    pub written: i64,
}

impl Default for Progress {
    fn default() -> Self {
        Self {
            signed_seq: 0,
            signed_at: DateTime::<Utc>::UNIX_EPOCH,
            written: 0,
        }
    }
}

/// Signs (`tenant`, `seq`, `hash`) as a checkpoint of `kind`.
pub async fn store(
    db: &Db,
    signer: &LogSigner,
    tenant: TenantId,
    seq: i64,
    hash: &str,
    kind: &str,
    at: DateTime<Utc>,
) -> Result<(), DbErr> {
    let at = super::entry::truncate_to_millis(at);
    access_log_checkpoint::ActiveModel {
        id: Set(Uuid::now_v7()),
        tenant_id: Set(tenant.as_uuid()),
        seq: Set(seq),
        hash: Set(hash.to_owned()),
        at: Set(at),
        kind: Set(kind.to_owned()),
        key_id: Set(signer.key_id().to_owned()),
        signature: Set(signer.sign(&message(tenant.as_uuid(), seq, hash, at, kind))),
    }
    .insert(db.platform())
    .await?;
    Ok(())
}

/// Signs the tenant's current head; `None` when its log is empty.
pub async fn sign_head(
    db: &Db,
    signer: &LogSigner,
    tenant: TenantId,
    kind: &str,
    at: DateTime<Utc>,
) -> Result<Option<i64>, DbErr> {
    let head = {
        let tx = db.tenant_tx(tenant).await?;
        let head = access_log_head::Entity::find_by_id(1).one(&tx).await?;
        tx.commit().await?;
        head
    };
    match head {
        Some(h) if h.seq > 0 => {
            store(db, signer, tenant, h.seq, &h.hash, kind, at).await?;
            Ok(Some(h.seq))
        }
        _ => Ok(None),
    }
}

/// Every checkpoint of `tenant`, oldest first.
pub async fn all(db: &Db, tenant: TenantId) -> Result<Vec<access_log_checkpoint::Model>, DbErr> {
    access_log_checkpoint::Entity::find()
        .filter(access_log_checkpoint::Column::TenantId.eq(tenant.as_uuid()))
        .order_by_asc(access_log_checkpoint::Column::Seq)
        .order_by_asc(access_log_checkpoint::Column::At)
        .all(db.platform())
        .await
}
