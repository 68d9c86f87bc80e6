//! Building one export: the ZIP streamed into object storage while the
//! job's row follows its progress, and the outcome recorded.

use std::time::Duration;

use sea_orm::{ActiveValue::Set, DbErr, EntityTrait};
use tokio::sync::mpsc;
use uuid::Uuid;

use super::{
    archive::{Archive, Progress},
    job::{finish, object_path, remove_object},
    zip::ZipWriter,
};
use crate::{
    entities::tenant::{
        access_log,
        export::{self, ExportStatus},
        file, label, project, role, user,
    },
    ids::TenantId,
    logbook::entry::NewEntry,
    state::AppState,
    storage::ObjectKey,
};

/// Items an export works through: rows, log entries and files.
pub async fn count_items(state: &AppState, tenant: TenantId) -> anyhow::Result<u64> {
    use sea_orm::PaginatorTrait;
    let n = state
        .db
        .in_tenant(tenant, async |tx| {
            Ok::<u64, sea_orm::DbErr>(
                user::Entity::find().count(tx).await?
                    + role::Entity::find().count(tx).await?
                    + label::Entity::find().count(tx).await?
                    + project::Entity::find().count(tx).await?
                    + file::Entity::find().count(tx).await?
                    + access_log::Entity::find().count(tx).await?,
            )
        })
        .await?;
    Ok(n)
}

/// Writes progress and the heartbeat at most once a second.
struct JobProgress<'a> {
    state: &'a AppState,
    tenant: TenantId,
    id: Uuid,
    done: u64,
    written_at: std::time::Instant,
}

#[async_trait::async_trait]
impl Progress for JobProgress<'_> {
    async fn advance(&mut self, items: u64) -> anyhow::Result<()> {
        self.done += items;
        if self.written_at.elapsed() < Duration::from_secs(1) {
            return Ok(());
        }
        self.written_at = std::time::Instant::now();
        let (id, done, now) = (self.id, self.done as i64, self.state.clock.now());
        self.state
            .db
            .in_tenant(self.tenant, async |tx| {
                export::Entity::update(export::ActiveModel {
                    id: Set(id),
                    items_done: Set(done),
                    heartbeat_at: Set(Some(now)),
                    ..Default::default()
                })
                .exec(tx)
                .await
            })
            .await?;
        Ok(())
    }
}

/// Builds the export and records how it ended; never returns an error
/// (the job's row says what went wrong).
pub(super) async fn run(
    state: &AppState,
    tenant: &crate::entities::platform::tenant::Model,
    job: export::Model,
) {
    let tid = TenantId(tenant.id);
    let outcome = build(state, tenant, &job).await;
    let now = state.clock.now();
    let ttl =
        chrono::Duration::from_std(state.settings.export_ttl).unwrap_or(chrono::Duration::days(7));
    let recorded = state
        .db
        .in_tenant(tid, async |tx| {
            match &outcome {
                Ok((size, sha256, done)) => {
                    finish(tx, job.id, ExportStatus::Ready, now, |m| {
                        // The total was counted before the log's cut: settle it.
                        m.items_done = Set(*done as i64);
                        m.items_total = Set(*done as i64);
                        m.size = Set(Some(*size as i64));
                        m.sha256 = Set(Some(sha256.clone()));
                        m.expires_at = Set(Some(now + ttl));
                        m.heartbeat_at = Set(Some(now));
                    })
                    .await?;
                }
                Err(e) => {
                    finish(tx, job.id, ExportStatus::Failed, now, |m| {
                        m.error = Set(Some(format!("the export failed: {e:#}")));
                    })
                    .await?;
                }
            }
            let mut entry = NewEntry::event(if outcome.is_ok() {
                "export.ready"
            } else {
                "export.failed"
            });
            entry.details = serde_json::json!({ "export_id": job.id });
            crate::logbook::outbox::put(tx, &entry, now).await?;
            Ok::<_, DbErr>(())
        })
        .await;
    state.access_log.drain(tid).await;
    if let Err(e) = &outcome {
        tracing::error!(error = format!("{e:#}"), export_id = %job.id, "export failed");
        remove_object(state, tid, job.id).await;
    }
    if let Err(e) = recorded {
        tracing::error!(error = %e, export_id = %job.id, "export outcome not recorded");
    }
}

async fn build(
    state: &AppState,
    tenant: &crate::entities::platform::tenant::Model,
    job: &export::Model,
) -> anyhow::Result<(u64, String, u64)> {
    let tid = TenantId(tenant.id);
    let total = count_items(state, tid).await? as i64;
    let id = job.id;
    state
        .db
        .in_tenant(tid, async |tx| {
            export::Entity::update(export::ActiveModel {
                id: Set(id),
                items_total: Set(total),
                ..Default::default()
            })
            .exec(tx)
            .await
        })
        .await?;
    let key = ObjectKey::for_tenant(tid, &object_path(job.id))?;
    // A few chunks in flight at most: the archive is written as fast as
    // the store takes it, in constant memory.
    let (tx, mut rx) = mpsc::channel::<std::io::Result<bytes::Bytes>>(4);
    let body = Box::pin(futures_util::stream::poll_fn(move |cx| rx.poll_recv(cx)));
    let at = state.clock.now();
    let writer = async move {
        let mut zip = ZipWriter::new(tx.clone(), at);
        let archive = Archive {
            state,
            tenant,
            export_id: id,
            at,
        };
        let mut progress = JobProgress {
            state,
            tenant: tid,
            id,
            done: 0,
            written_at: std::time::Instant::now(),
        };
        let written = match archive.write(&mut zip, &mut progress).await {
            Ok(()) => zip
                .finish()
                .await
                .map_err(anyhow::Error::from)
                .map(|_| progress.done),
            Err(e) => Err(e),
        };
        if let Err(e) = &written {
            // The store sees a failed body and keeps nothing.
            let _ = tx.send(Err(std::io::Error::other(format!("{e:#}")))).await;
        }
        written
    };
    let store = state
        .storage
        .put_stream(&key, body, "application/zip", u64::MAX);
    let (written, stored) = tokio::join!(writer, store);
    let done = written?;
    let stored = stored.map_err(|e| anyhow::anyhow!("{e}"))?;
    Ok((stored.size, stored.sha256, done))
}
