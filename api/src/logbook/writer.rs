//! The writer: entries are queued, then appended in batches per tenant with
//! chain order preserved. Each batch locks the tenant's head row, so several
//! API nodes still build one chain. A full queue makes senders wait; nothing
//! is dropped; [`AccessLog::close`] drains the queue before shutdown.

use std::{collections::HashMap, sync::Arc, time::Duration};

use chrono::{DateTime, Utc};
use futures_util::future::join_all;
use sea_orm::{
    sea_query::{Expr, OnConflict},
    ActiveValue::Set,
    DbErr, EntityTrait, QuerySelect,
};
use tokio::sync::{mpsc, oneshot};

use super::{checkpoint, entry::NewEntry, signing::LogSigner};
use crate::{
    clock::Clock,
    db::Db,
    entities::{
        platform::{access_log_anchor, tenant},
        tenant::{access_log, access_log_head},
    },
    error::ApiError,
    ids::TenantId,
};

const MAX_BATCH: usize = 1000;
const INSERT_CHUNK: usize = 400;

enum Msg {
    Entry {
        tenant: TenantId,
        entry: Box<NewEntry>,
        at: DateTime<Utc>,
        ack: Option<oneshot::Sender<()>>,
    },
    /// Answered once everything queued before it is written.
    Flush(oneshot::Sender<()>),
    /// Like `Flush`, then a final checkpoint and the writer stops (shutdown).
    Close(oneshot::Sender<()>),
}

/// The handle requests use. Cheap to clone.
#[derive(Clone)]
pub struct AccessLog {
    sender: mpsc::Sender<Msg>,
    clock: Clock,
}

impl AccessLog {
    /// Starts the writer task.
    pub fn start(
        db: Db,
        signer: Arc<LogSigner>,
        every: i64,
        interval: Duration,
        capacity: usize,
        clock: Clock,
    ) -> (AccessLog, tokio::task::JoinHandle<()>) {
        let (sender, receiver) = mpsc::channel(capacity);
        let writer = Writer {
            db,
            signer,
            every,
            interval,
            signed: HashMap::new(),
            clock: clock.clone(),
        };
        (
            AccessLog { sender, clock },
            tokio::spawn(writer.run(receiver)),
        )
    }

    /// Queues an entry (waits only while the queue is full).
    pub async fn record(&self, tenant: TenantId, entry: NewEntry) {
        let msg = Msg::Entry {
            tenant,
            entry: Box::new(entry),
            at: self.clock.now(),
            ack: None,
        };
        if self.sender.send(msg).await.is_err() {
            tracing::error!(tenant_id = %tenant, "access log writer stopped; entry not recorded");
        }
    }

    /// Queues a security event and waits until it is committed.
    pub async fn record_durable(&self, tenant: TenantId, entry: NewEntry) -> Result<(), ApiError> {
        let (ack, done) = oneshot::channel();
        let msg = Msg::Entry {
            tenant,
            entry: Box::new(entry),
            at: self.clock.now(),
            ack: Some(ack),
        };
        self.sender
            .send(msg)
            .await
            .map_err(|_| ApiError::internal(anyhow::anyhow!("access log writer stopped")))?;
        done.await.map_err(|_| ApiError::Unavailable {
            detail: "the access log could not be written".into(),
        })
    }

    /// Writes everything queued, signs the heads and stops the writer.
    pub async fn close(&self) {
        let (ack, done) = oneshot::channel();
        if self.sender.send(Msg::Close(ack)).await.is_ok() {
            let _ = done.await;
        }
    }

    /// Waits until everything queued so far is written.
    pub async fn flush(&self) {
        let (ack, done) = oneshot::channel();
        if self.sender.send(Msg::Flush(ack)).await.is_ok() {
            let _ = done.await;
        }
    }
}

struct Pending {
    entry: NewEntry,
    at: DateTime<Utc>,
    ack: Option<oneshot::Sender<()>>,
}

struct Writer {
    db: Db,
    signer: Arc<LogSigner>,
    every: i64,
    interval: Duration,
    /// Per tenant: the last signed (seq, time) and the last written seq.
    signed: HashMap<TenantId, checkpoint::Progress>,
    clock: Clock,
}

impl Writer {
    async fn run(mut self, mut receiver: mpsc::Receiver<Msg>) {
        let mut tick = tokio::time::interval(self.interval.min(Duration::from_secs(60)));
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            let first = tokio::select! {
                msg = receiver.recv() => match msg {
                    Some(m) => m,
                    None => break,
                },
                _ = tick.tick() => {
                    self.checkpoint_due(false).await;
                    continue;
                }
            };
            let mut batch = vec![first];
            let mut close = None;
            while batch.len() < MAX_BATCH {
                match receiver.try_recv() {
                    Ok(Msg::Close(ack)) => {
                        close = Some(ack);
                        break;
                    }
                    Ok(m) => batch.push(m),
                    Err(_) => break,
                }
            }
            if let Some(Msg::Close(_)) = batch.first() {
                if let Some(Msg::Close(ack)) = batch.pop() {
                    close = Some(ack);
                }
            }
            self.write(batch).await;
            if let Some(ack) = close {
                // A clean stop leaves no unsigned tail.
                self.checkpoint_due(true).await;
                let _ = ack.send(());
                return;
            }
        }
        self.checkpoint_due(true).await;
    }

    async fn write(&mut self, batch: Vec<Msg>) {
        let mut by_tenant: Vec<(TenantId, Vec<Pending>)> = Vec::new();
        let mut flushes = Vec::new();
        for msg in batch {
            match msg {
                Msg::Flush(ack) | Msg::Close(ack) => flushes.push(ack),
                Msg::Entry {
                    tenant,
                    entry,
                    at,
                    ack,
                } => {
                    let pending = Pending {
                        entry: *entry,
                        at,
                        ack,
                    };
                    match by_tenant.iter_mut().find(|(t, _)| *t == tenant) {
                        Some((_, list)) => list.push(pending),
                        None => by_tenant.push((tenant, vec![pending])),
                    }
                }
            }
        }
        let db = &self.db;
        let heads = join_all(by_tenant.into_iter().map(|(tenant, entries)| async move {
            let head = append_with_retry(db, tenant, &entries).await;
            for p in entries {
                if let Some(ack) = p.ack {
                    let _ = ack.send(());
                }
            }
            (tenant, head)
        }))
        .await;
        for (tenant, head) in heads {
            if let Some(seq) = head {
                self.signed.entry(tenant).or_default().written = seq;
            }
        }
        self.checkpoint_due(false).await;
        for ack in flushes {
            let _ = ack.send(());
        }
    }

    /// Signs every tenant whose chain grew by `every` entries or whose last
    /// checkpoint is older than the interval (all of them when `all`).
    async fn checkpoint_due(&mut self, all: bool) {
        let now = self.clock.now();
        let interval =
            chrono::Duration::from_std(self.interval).unwrap_or(chrono::Duration::minutes(5));
        for (tenant, progress) in self.signed.iter_mut() {
            if progress.written <= progress.signed_seq {
                continue;
            }
            let due = all
                || progress.written - progress.signed_seq >= self.every
                || now - progress.signed_at >= interval;
            if due {
                match checkpoint::sign_head(&self.db, &self.signer, *tenant, "periodic", now).await
                {
                    Ok(Some(seq)) => {
                        progress.signed_seq = seq;
                        progress.signed_at = now;
                    }
                    Ok(None) => {}
                    Err(e) => {
                        tracing::warn!(tenant_id = %tenant, error = %e, "access log checkpoint failed; will retry")
                    }
                }
            }
        }
    }
}

/// Appends, retrying with backoff while the database is unavailable. Gives up
/// only when the tenant no longer exists. Returns the new head seq.
async fn append_with_retry(db: &Db, tenant: TenantId, entries: &[Pending]) -> Option<i64> {
    let mut delay = Duration::from_millis(50);
    loop {
        match append(db, tenant, entries).await {
            Ok(seq) => return Some(seq),
            Err(e) => {
                let exists = tenant::Entity::find_by_id(tenant.as_uuid())
                    .one(db.platform())
                    .await;
                if let Ok(None) = exists {
                    tracing::error!(tenant_id = %tenant, count = entries.len(), "tenant gone; its queued access log entries are discarded");
                    return None;
                }
                tracing::warn!(tenant_id = %tenant, error = %e, "access log append failed; retrying");
                tokio::time::sleep(delay).await;
                delay = (delay * 2).min(Duration::from_secs(5));
            }
        }
    }
}

async fn append(db: &Db, tenant: TenantId, entries: &[Pending]) -> Result<i64, DbErr> {
    let tx = db.tenant_tx(tenant).await?;
    // The head row lock orders batches of every node (SQLite: one writer).
    let head = access_log_head::Entity::find_by_id(1)
        .lock_exclusive()
        .one(&tx)
        .await?
        .ok_or_else(|| DbErr::RecordNotFound("access_log_head".into()))?;
    let mut seq = head.seq;
    let mut prev = head.hash;
    let mut rows = Vec::with_capacity(entries.len());
    for p in entries {
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
    tx.commit().await?;
    // Committed: from here on nothing may make the caller append again.
    let at = entries.last().map(|p| p.at).unwrap_or_default();
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
