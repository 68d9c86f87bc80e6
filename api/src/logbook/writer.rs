//! The writer: one task per tenant with a queue of its own, appending in
//! batches with chain order preserved (each batch locks the tenant's head
//! row, so several API nodes still build one chain). A tenant whose database
//! fails retries alone: its queue fills and its own requests wait, up to a
//! deadline; every other tenant is served as usual. [`AccessLog::close`]
//! drains every queue and signs every head before shutdown.

use std::{
    collections::HashMap,
    sync::{
        atomic::{AtomicBool, AtomicU64, Ordering},
        Arc, Mutex,
    },
    time::{Duration, Instant},
};

use futures_util::future::join_all;
use tokio::sync::{mpsc, oneshot};

use super::{
    append::{append_with_retry, NotWritten, Pending},
    batch::{take_waiting, Msg, LINGER, LINGER_BELOW},
    checkpoint,
    entry::NewEntry,
    guard::{self, Refusal},
    signing::LogSigner,
    TenantBacklog, WriterSettings,
};
use crate::{clock::Clock, db::Db, error::ApiError, ids::TenantId};

/// A tenant task with nothing to do for this long signs its head and ends.
const RETIRE_AFTER: Duration = Duration::from_secs(600);

struct Queue {
    sender: mpsc::Sender<Msg>,
    failing: Arc<AtomicBool>,
    tampered: Arc<AtomicBool>,
}

struct Shared {
    db: Db,
    signer: Arc<LogSigner>,
    settings: WriterSettings,
    clock: Clock,
    queues: Mutex<HashMap<TenantId, Queue>>,
    dropped: AtomicU64,
    /// Tenant tasks run here, not on the HTTP worker that first queued for
    /// the tenant: a worker's runtime is dropped at graceful shutdown, which
    /// would cancel a task with entries still queued.
    runtime: tokio::runtime::Handle,
    /// Writers at work at once, at most half the pool: an append holds its
    /// tenant transaction while it reads and moves the platform anchor on a
    /// second connection, so with every connection held by a writer none is
    /// left for the anchors (50 tenants on a pool of 5 wrote 361 entries/s).
    writers: tokio::sync::Semaphore,
}

/// The handle requests use. Cheap to clone.
#[derive(Clone)]
pub struct AccessLog {
    shared: Arc<Shared>,
}

impl AccessLog {
    /// Must be called inside the runtime that outlives the HTTP server.
    pub fn start(db: Db, signer: Arc<LogSigner>, settings: WriterSettings, clock: Clock) -> Self {
        let writers = (db.pool_stats().max / 2).max(1) as usize;
        AccessLog {
            shared: Arc::new(Shared {
                db,
                signer,
                settings,
                clock,
                queues: Mutex::new(HashMap::new()),
                dropped: AtomicU64::new(0),
                runtime: tokio::runtime::Handle::current(),
                writers: tokio::sync::Semaphore::new(writers),
            }),
        }
    }

    /// Queues an entry, waiting while the tenant's queue is full, at most the
    /// deadline: beyond it the entry is dropped, logged and counted
    /// (`crepo_access_log_dropped_total`) rather than holding the request.
    pub async fn record(&self, tenant: TenantId, entry: NewEntry) {
        let msg = Msg::Entry {
            entry: Box::new(entry),
            at: self.shared.clock.now(),
            ack: None,
        };
        if !self.send(tenant, msg).await {
            self.shared.dropped.fetch_add(1, Ordering::Relaxed);
            tracing::error!(tenant_id = %tenant, "access log queue full past the deadline; entry dropped");
        }
    }

    /// Queues a security event and waits until it is committed: 503 when
    /// that takes longer than the deadline (the entry stays queued).
    pub async fn record_durable(&self, tenant: TenantId, entry: NewEntry) -> Result<(), ApiError> {
        let unavailable = || ApiError::Unavailable {
            detail: "the access log could not be written in time".into(),
        };
        let started = Instant::now();
        let (ack, done) = oneshot::channel();
        let msg = Msg::Entry {
            entry: Box::new(entry),
            at: self.shared.clock.now(),
            ack: Some(ack),
        };
        if !self.send(tenant, msg).await {
            return Err(unavailable());
        }
        let left = self
            .shared
            .settings
            .deadline
            .saturating_sub(started.elapsed());
        match tokio::time::timeout(left, done).await {
            Ok(Ok(())) => Ok(()),
            _ => Err(unavailable()),
        }
    }

    /// Chains the tenant's outbox now and waits for it, at most the
    /// deadline (the events are safe in the outbox meanwhile).
    pub async fn drain(&self, tenant: TenantId) {
        let (ack, done) = oneshot::channel();
        if self.send(tenant, Msg::Drain(ack)).await {
            let _ = tokio::time::timeout(self.shared.settings.deadline, done).await;
        }
    }

    /// Sends to the tenant's queue, starting its task when there is none (or
    /// it has just retired). `false` when the deadline passed.
    async fn send(&self, tenant: TenantId, mut msg: Msg) -> bool {
        let deadline = self.shared.settings.deadline;
        for _ in 0..3 {
            let sender = self.queue(tenant);
            match tokio::time::timeout(deadline, sender.send(msg)).await {
                Ok(Ok(())) => return true,
                Ok(Err(mpsc::error::SendError(back))) => msg = back,
                Err(_) => return false,
            }
        }
        false
    }

    fn queue(&self, tenant: TenantId) -> mpsc::Sender<Msg> {
        let mut queues = self.shared.queues.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(q) = queues.get(&tenant).filter(|q| !q.sender.is_closed()) {
            return q.sender.clone();
        }
        let (sender, receiver) = mpsc::channel(self.shared.settings.capacity);
        let failing = Arc::new(AtomicBool::new(false));
        let tampered = Arc::new(AtomicBool::new(false));
        let task = TenantTask {
            shared: self.shared.clone(),
            tenant,
            failing: failing.clone(),
            tampered: tampered.clone(),
            progress: checkpoint::Progress::default(),
        };
        self.shared.runtime.spawn(task.run(receiver));
        queues.insert(
            tenant,
            Queue {
                sender: sender.clone(),
                failing,
                tampered,
            },
        );
        sender
    }

    async fn to_every_queue(&self, make: impl Fn(oneshot::Sender<()>) -> Msg) {
        let senders: Vec<mpsc::Sender<Msg>> = {
            let queues = self.shared.queues.lock().unwrap_or_else(|e| e.into_inner());
            queues.values().map(|q| q.sender.clone()).collect()
        };
        join_all(senders.into_iter().map(|s| {
            let (ack, done) = oneshot::channel();
            let msg = make(ack);
            async move {
                if s.send(msg).await.is_ok() {
                    let _ = done.await;
                }
            }
        }))
        .await;
    }

    /// Writes everything queued, signs the heads and stops every task.
    pub async fn close(&self) {
        self.to_every_queue(Msg::Close).await;
    }

    /// Waits until everything queued so far is written.
    pub async fn flush(&self) {
        self.to_every_queue(Msg::Flush).await;
    }

    /// Tenants with entries waiting or a failing append, for `/metrics`.
    pub fn backlog(&self) -> Vec<TenantBacklog> {
        let queues = self.shared.queues.lock().unwrap_or_else(|e| e.into_inner());
        queues
            .iter()
            .map(|(tenant, q)| TenantBacklog {
                tenant: *tenant,
                waiting: q.sender.max_capacity() - q.sender.capacity(),
                failing: q.failing.load(Ordering::Relaxed),
                tampered: q.tampered.load(Ordering::Relaxed),
            })
            .filter(|b| b.waiting > 0 || b.failing || b.tampered)
            .collect()
    }

    /// Entries dropped because a tenant's queue stayed full.
    pub fn dropped(&self) -> u64 {
        self.shared.dropped.load(Ordering::Relaxed)
    }
}

struct TenantTask {
    shared: Arc<Shared>,
    tenant: TenantId,
    failing: Arc<AtomicBool>,
    tampered: Arc<AtomicBool>,
    progress: checkpoint::Progress,
}

impl TenantTask {
    async fn run(mut self, mut receiver: mpsc::Receiver<Msg>) {
        let every = self.shared.settings.interval.min(Duration::from_secs(60));
        let mut tick = tokio::time::interval(every);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        let mut active = Instant::now();
        loop {
            let first = tokio::select! {
                msg = receiver.recv() => match msg {
                    Some(m) => m,
                    None => break,
                },
                _ = tick.tick() => {
                    self.checkpoint_due(false).await;
                    if active.elapsed() >= RETIRE_AFTER && self.retire(&mut receiver) {
                        break;
                    }
                    continue;
                }
            };
            active = Instant::now();
            let mut batch = vec![first];
            take_waiting(&mut receiver, &mut batch);
            if batch.len() < LINGER_BELOW && !batch.iter().any(Msg::is_awaited) {
                tokio::time::sleep(LINGER).await;
                take_waiting(&mut receiver, &mut batch);
            }
            if self.write(batch).await {
                return;
            }
        }
        // Closed: what was sent before the close is still written.
        let mut rest = Vec::new();
        while let Ok(m) = receiver.try_recv() {
            rest.push(m);
        }
        if !rest.is_empty() && self.write(rest).await {
            return;
        }
        self.checkpoint_due(true).await;
    }

    /// Writes a batch and answers its flushes; `true` after a close.
    async fn write(&mut self, batch: Vec<Msg>) -> bool {
        let mut entries = Vec::new();
        let mut acks = Vec::new();
        let mut flushes = Vec::new();
        let mut close = None;
        let mut drain = false;
        for msg in batch {
            match msg {
                Msg::Entry { entry, at, ack } => {
                    entries.push(Pending { entry: *entry, at });
                    acks.extend(ack);
                }
                Msg::Flush(ack) => flushes.push(ack),
                Msg::Drain(ack) => {
                    drain = true;
                    flushes.push(ack);
                }
                Msg::Close(ack) => close = Some(ack),
            }
        }
        // Every append also chains the outbox (security events committed
        // with their change); a drain asks for one with nothing queued.
        if !entries.is_empty() || drain {
            match append_with_retry(
                &self.shared.db,
                &self.shared.writers,
                self.tenant,
                &entries,
                &self.failing,
            )
            .await
            {
                Ok(seq) => {
                    self.progress.written = seq;
                    self.alarm(None).await;
                }
                Err(NotWritten::Gone) => {}
                Err(NotWritten::Tampered(reason)) => {
                    // Dropped, not chained onto a rewritten tail; security
                    // events are answered 503 (their acks are dropped).
                    let count = u64::try_from(entries.len()).unwrap_or(u64::MAX);
                    self.shared.dropped.fetch_add(count, Ordering::Relaxed);
                    self.alarm(Some(&reason)).await;
                    acks.clear();
                }
            }
            for ack in acks {
                let _ = ack.send(());
            }
        }
        self.checkpoint_due(false).await;
        for ack in flushes {
            let _ = ack.send(());
        }
        match close {
            Some(ack) => {
                // A clean stop leaves no unsigned tail.
                self.checkpoint_due(true).await;
                let _ = ack.send(());
                true
            }
            None => false,
        }
    }

    /// Leaves the map when nothing is queued, so idle tenants cost nothing.
    /// A sender cloned just before is refused and starts a fresh task.
    fn retire(&mut self, receiver: &mut mpsc::Receiver<Msg>) -> bool {
        let mut queues = self.shared.queues.lock().unwrap_or_else(|e| e.into_inner());
        if !receiver.is_empty() || self.progress.written > self.progress.signed_seq {
            return false;
        }
        if queues
            .get(&self.tenant)
            .is_some_and(|q| Arc::ptr_eq(&q.failing, &self.failing))
        {
            queues.remove(&self.tenant);
        }
        receiver.close();
        true
    }

    /// Signs the head when the chain grew by `every` entries or the last
    /// checkpoint is older than the interval (always when `all`).
    async fn checkpoint_due(&mut self, all: bool) {
        let now = self.shared.clock.now();
        let settings = &self.shared.settings;
        if !all && !self.progress.due(settings.every, settings.interval, now) {
            return;
        }
        let shared = self.shared.clone();
        // Never closed, so acquiring cannot fail.
        let _turn = shared.writers.acquire().await.ok();
        let db = &self.shared.db;
        match checkpoint::sign_progress(
            db,
            &self.shared.signer,
            self.tenant,
            &mut self.progress,
            now,
        )
        .await
        {
            Ok(()) => {}
            Err(Refusal::Tampered(reason)) => self.alarm(Some(&reason)).await,
            Err(Refusal::Db(e)) => {
                tracing::warn!(tenant_id = %self.tenant, error = %e, "access log checkpoint failed; will retry")
            }
        }
    }

    async fn alarm(&self, reason: Option<&str>) {
        let now = self.shared.clock.now();
        guard::sound_alarm(&self.shared.db, &self.tampered, self.tenant, reason, now).await;
    }
}
