//! Signed checkpoints of a tenant's chain head, stored in the platform.

use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DbErr, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
};
use uuid::Uuid;

use super::{
    guard::{self, Refusal},
    signing::{checkpoint_message, LogSigner},
};
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

impl Progress {
    /// The chain grew by `every` entries since the last checkpoint, or it is
    /// older than `interval`.
    pub fn due(&self, every: i64, interval: std::time::Duration, now: DateTime<Utc>) -> bool {
        let interval = chrono::Duration::from_std(interval).unwrap_or(chrono::Duration::minutes(5));
        self.written > self.signed_seq
            && (self.written - self.signed_seq >= every || now - self.signed_at >= interval)
    }
}

/// Signs the head as a `periodic` checkpoint when anything was written since
/// the last one, and records it in `progress`.
pub async fn sign_progress(
    db: &Db,
    signer: &LogSigner,
    tenant: TenantId,
    progress: &mut Progress,
    now: DateTime<Utc>,
) -> Result<(), Refusal> {
    if progress.written <= progress.signed_seq {
        return Ok(());
    }
    if let Some(seq) = sign_head(db, signer, tenant, "periodic", now).await? {
        progress.signed_seq = seq;
        progress.signed_at = now;
    }
    Ok(())
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
    // The head row's lock orders the checkpoints of every node: each signs
    // the one before it.
    let tx = db.tenant_tx(tenant).await?;
    access_log_head::Entity::find_by_id(1)
        .lock_exclusive()
        .one(&tx)
        .await?;
    let prev = access_log_checkpoint::Entity::find()
        .filter(access_log_checkpoint::Column::TenantId.eq(tenant.as_uuid()))
        .order_by_desc(access_log_checkpoint::Column::Id)
        .one(db.platform())
        .await?
        .map(|c| c.signature)
        .unwrap_or_default();
    let mut cp = access_log_checkpoint::Model {
        id: Uuid::now_v7(),
        tenant_id: tenant.as_uuid(),
        seq,
        hash: hash.to_owned(),
        at,
        kind: kind.to_owned(),
        key_id: signer.key_id().to_owned(),
        signature: String::new(),
        prev_signature: Some(prev),
    };
    cp.signature = signer.sign(&checkpoint_message(&cp));
    access_log_checkpoint::ActiveModel::from(cp)
        .insert(db.platform())
        .await?;
    tx.commit().await?;
    Ok(())
}

/// Signs the tenant's current head once the chain since the previous
/// checkpoint verifies and the head agrees with the anchor; `None` when the
/// log is empty.
pub async fn sign_head(
    db: &Db,
    signer: &LogSigner,
    tenant: TenantId,
    kind: &str,
    at: DateTime<Utc>,
) -> Result<Option<i64>, Refusal> {
    let head = {
        // Locked (on SQLite: the write lock from the start), so that no
        // other node moves the head and its anchor between the two reads:
        // an anchor ahead of an old snapshot of the head reads as removed
        // entries.
        let tx = db.tenant_tx_writing(tenant).await?;
        let head = access_log_head::Entity::find_by_id(1)
            .lock_exclusive()
            .one(&tx)
            .await?;
        if let Some(h) = head.as_ref().filter(|h| h.seq > 0) {
            guard::head_agrees(db, &tx, tenant, h).await?;
            guard::chain_since_checkpoint(db, &tx, tenant, h).await?;
        }
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
