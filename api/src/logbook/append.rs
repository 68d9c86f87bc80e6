//! Appending a batch to a tenant's chain: the head row is locked, entries
//! hashed onto it, the head moved, and the platform anchor updated after the
//! commit.

use std::{
    sync::atomic::{AtomicBool, Ordering},
    time::Duration,
};

use chrono::{DateTime, Utc};
use sea_orm::{
    sea_query::{Expr, OnConflict},
    ActiveValue::Set,
    DbErr, EntityTrait, QuerySelect,
};

use super::{
    entry::NewEntry,
    guard::{self, Refusal},
    outbox,
};
use crate::{
    db::Db,
    entities::{
        platform::{access_log_anchor, tenant},
        tenant::{access_log, access_log_head},
    },
    ids::TenantId,
};

const INSERT_CHUNK: usize = 400;

/// One entry waiting to be appended.
pub(super) struct Pending {
    pub entry: NewEntry,
    pub at: DateTime<Utc>,
}

/// Why a batch was not written.
pub(super) enum NotWritten {
    /// The tenant no longer exists.
    Gone,
    /// The log disagrees with the platform's anchor: nothing is chained onto it.
    Tampered(String),
}

/// Appends, retrying with backoff while the database is unavailable (only
/// this tenant's queue waits meanwhile; `failing` says so to `/metrics`).
/// Gives up when the tenant no longer exists or its log was tampered with.
/// Returns the new head seq.
pub(super) async fn append_with_retry(
    db: &Db,
    writers: &tokio::sync::Semaphore,
    tenant: TenantId,
    entries: &[Pending],
    failing: &AtomicBool,
) -> Result<i64, NotWritten> {
    let mut delay = Duration::from_millis(50);
    loop {
        // A turn per attempt (see the writer's `writers`), given back
        // while a failing tenant waits to retry.
        let turn = writers.acquire().await.ok();
        let attempt = append(db, tenant, entries).await;
        drop(turn);
        match attempt {
            Ok(seq) => {
                failing.store(false, Ordering::Relaxed);
                return Ok(seq);
            }
            Err(Refusal::Tampered(reason)) => {
                failing.store(false, Ordering::Relaxed);
                return Err(NotWritten::Tampered(reason));
            }
            Err(Refusal::Db(e)) => {
                let exists = tenant::Entity::find_by_id(tenant.as_uuid())
                    .one(db.platform())
                    .await;
                if let Ok(None) = exists {
                    tracing::error!(tenant_id = %tenant, count = entries.len(), "tenant gone; its queued access log entries are discarded");
                    return Err(NotWritten::Gone);
                }
                failing.store(true, Ordering::Relaxed);
                tracing::warn!(tenant_id = %tenant, error = %e, "access log append failed; retrying");
                tokio::time::sleep(delay).await;
                delay = (delay * 2).min(Duration::from_secs(5));
            }
        }
    }
}

async fn append(db: &Db, tenant: TenantId, entries: &[Pending]) -> Result<i64, Refusal> {
    // The head row lock orders batches of every node; on SQLite, where it
    // locks nothing, the write lock is taken first, so the head read is not
    // an old snapshot beside a newer platform anchor (a false alarm).
    let tx = db.tenant_tx_writing(tenant).await?;
    let head = access_log_head::Entity::find_by_id(1)
        .lock_exclusive()
        .one(&tx)
        .await?
        .ok_or_else(|| DbErr::RecordNotFound("access_log_head".into()))?;
    guard::head_agrees(db, &tx, tenant, &head).await?;
    // Security events committed with their change come first.
    let (waiting, chained) = outbox::take(&tx).await?;
    if waiting.is_empty() && entries.is_empty() {
        tx.commit().await?;
        return Ok(head.seq);
    }
    let mut seq = head.seq;
    let mut prev = head.hash;
    let mut rows = Vec::with_capacity(waiting.len() + entries.len());
    for p in waiting.iter().chain(entries) {
        seq += 1;
        let model = p.entry.clone().into_model(seq, &prev, p.at);
        prev = model.hash.clone();
        rows.push(model);
    }
    for chunk in rows.chunks(INSERT_CHUNK) {
        let models = chunk.iter().cloned().map(|m| access_log::ActiveModel {
            seq: Set(m.seq),
            at: Set(m.at),
            event: Set(m.event),
            user_id: Set(m.user_id),
            user_email: Set(m.user_email),
            ip: Set(m.ip),
            user_agent: Set(m.user_agent),
            method: Set(m.method),
            route: Set(m.route),
            path: Set(m.path),
            status: Set(m.status),
            latency_ms: Set(m.latency_ms),
            request_id: Set(m.request_id),
            details: Set(m.details),
            prev_hash: Set(m.prev_hash),
            hash: Set(m.hash),
        });
        access_log::Entity::insert_many(models)
            .exec_without_returning(&tx)
            .await?;
    }
    access_log_head::Entity::update(access_log_head::ActiveModel {
        id: Set(1),
        seq: Set(seq),
        hash: Set(prev.clone()),
        ..Default::default()
    })
    .exec(&tx)
    .await?;
    outbox::remove(&tx, chained).await?;
    tx.commit().await?;
    // Committed: from here on nothing may make the caller append again.
    let at = rows.last().map(|m| m.at).unwrap_or_default();
    if let Err(e) = anchor(db, tenant, seq, &prev, at).await {
        tracing::warn!(tenant_id = %tenant, error = %e, "access log anchor not updated; the next batch will");
    }
    Ok(seq)
}

/// Records the head outside the tenant's schema.
async fn anchor(
    db: &Db,
    tenant: TenantId,
    seq: i64,
    hash: &str,
    at: DateTime<Utc>,
) -> Result<(), DbErr> {
    use access_log_anchor::Column as C;
    access_log_anchor::Entity::insert(access_log_anchor::ActiveModel {
        tenant_id: Set(tenant.as_uuid()),
        seq: Set(seq),
        hash: Set(hash.to_owned()),
        updated_at: Set(at),
    })
    .on_conflict(
        OnConflict::column(C::TenantId)
            .update_columns([C::Seq, C::Hash, C::UpdatedAt])
            // Nodes may finish out of order: the anchor only moves forward.
            .action_and_where(Expr::col((access_log_anchor::Entity, C::Seq)).lt(seq))
            .to_owned(),
    )
    .exec_without_returning(db.platform())
    .await?;
    Ok(())
}
