//! What goes into an export and in which order: the tenant's tables as JSON
//! Lines, the access log with its chain fields and the signed checkpoints
//! that cover it, every design file's original bytes, and last the manifest
//! with every member's digest. Rows are read a page at a time and files
//! streamed from object storage, so memory stays flat whatever the size.

use std::collections::{BTreeMap, HashSet};

use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use serde::Serialize;
use uuid::Uuid;

use super::{
    paths::unique_path,
    zip::{MemberDigest, ZipWriter},
};
use crate::{
    entities::{platform::tenant as tenant_row, tenant::*},
    ids::TenantId,
    state::AppState,
    storage::{self, ObjectKey},
};

/// Rows read per query.
const PAGE: u64 = 1000;
/// The archive's layout version, in the manifest.
pub const FORMAT_VERSION: u32 = 1;

/// One member as the manifest lists it.
#[derive(Debug, Serialize, serde::Deserialize)]
pub struct ManifestMember {
    pub path: String,
    pub size: u64,
    pub sha256: String,
}

/// Reports progress (items done so far) to the job's row.
#[async_trait::async_trait]
pub trait Progress: Send {
    async fn advance(&mut self, items: u64) -> anyhow::Result<()>;
}

pub struct Archive<'a> {
    pub state: &'a AppState,
    pub tenant: &'a tenant_row::Model,
    pub export_id: Uuid,
    pub at: chrono::DateTime<chrono::Utc>,
}

impl Archive<'_> {
    fn tenant_id(&self) -> TenantId {
        TenantId(self.tenant.id)
    }

    /// Writes every member, then the manifest.
    pub async fn write(
        &self,
        zip: &mut ZipWriter,
        progress: &mut dyn Progress,
    ) -> anyhow::Result<()> {
        let mut members = Vec::new();
        let mut counts = BTreeMap::new();
        let tenant_json = serde_json::to_vec_pretty(&serde_json::json!({
            "id": self.tenant.id,
            "slug": self.tenant.slug,
            "name": self.tenant.name,
            "created_at": self.tenant.created_at,
        }))?;
        members.push(self.small(zip, "tenant.json", &tenant_json).await?);

        macro_rules! table {
            ($path:literal, $key:literal, $module:ident, [$($col:ident),+], $counted:literal) => {{
                let (member, rows) = self
                    .table::<$module::Entity>(zip, $path, vec![$($module::Column::$col),+], progress, $counted)
                    .await?;
                counts.insert($key, rows);
                members.push(member);
            }};
        }
        table!("users.jsonl", "users", user, [Id], true);
        table!("roles.jsonl", "roles", role, [Id], true);
        table!(
            "user_roles.jsonl",
            "user_roles",
            user_role,
            [UserId, RoleId],
            false
        );
        table!(
            "role_labels.jsonl",
            "role_labels",
            role_label,
            [RoleId, LabelId],
            false
        );
        table!("labels.jsonl", "labels", label, [Id], true);
        table!("projects.jsonl", "projects", project, [Id], true);
        table!(
            "project_labels.jsonl",
            "project_labels",
            project_label,
            [ProjectId, LabelId],
            false
        );
        table!(
            "project_members.jsonl",
            "project_members",
            project_member,
            [ProjectId, UserId],
            false
        );
        table!("settings.jsonl", "settings", password_policy, [Id], false);
        table!(
            "file_evaluations.jsonl",
            "file_evaluations",
            file_evaluation,
            [FileId],
            false
        );
        table!(
            "access_log_head.jsonl",
            "access_log_head",
            access_log_head,
            [Id],
            false
        );
        table!(
            "notice_reads.jsonl",
            "notice_reads",
            notice_read,
            [NoticeId, UserId, Phase],
            false
        );

        let (log_member, log) = self.access_log(zip, progress).await?;
        counts.insert("access_log_entries", log.entries);
        members.push(log_member);
        let checkpoints = crate::logbook::checkpoint::all(&self.state.db, self.tenant_id())
            .await?
            .into_iter()
            .filter(|c| c.seq <= log.last_seq)
            .collect::<Vec<_>>();
        counts.insert("access_log_checkpoints", checkpoints.len() as u64);
        let mut buf = Vec::new();
        for c in &checkpoints {
            serde_json::to_writer(&mut buf, c)?;
            buf.push(b'\n');
        }
        members.push(
            self.small(zip, "access_log_checkpoints.jsonl", &buf)
                .await?,
        );

        let (files_members, files) = self.files(zip, progress).await?;
        counts.insert("files", files);
        members.extend(files_members);

        let manifest = serde_json::json!({
            "format": "crepo-export",
            "format_version": FORMAT_VERSION,
            "export_id": self.export_id,
            "created_at": self.at,
            "tenant": { "id": self.tenant.id, "slug": self.tenant.slug, "name": self.tenant.name },
            "counts": counts,
            "access_log": {
                "first_seq": log.first_seq,
                "last_seq": log.last_seq,
                "last_hash": log.last_hash,
                "signing_key_id": self.state.log_signer.key_id(),
                "signing_public_key": self.state.log_signer.public_key_base64(),
            },
            "members": members,
        });
        let manifest = serde_json::to_vec_pretty(&manifest)?;
        let mut m = zip.member("manifest.json", true).await?;
        m.write(&manifest).await?;
        m.finish().await?;
        Ok(())
    }

    async fn small(
        &self,
        zip: &mut ZipWriter,
        path: &str,
        bytes: &[u8],
    ) -> anyhow::Result<ManifestMember> {
        let mut m = zip.member(path, true).await?;
        m.write(bytes).await?;
        Ok(listed(path, m.finish().await?))
    }

    async fn table<E>(
        &self,
        zip: &mut ZipWriter,
        path: &str,
        order: Vec<E::Column>,
        progress: &mut dyn Progress,
        counted: bool,
    ) -> anyhow::Result<(ManifestMember, u64)>
    where
        E: EntityTrait,
        E::Model: Serialize + Sync,
    {
        let mut m = zip.member(path, true).await?;
        let mut rows = 0u64;
        loop {
            let order = order.clone();
            let page = self
                .state
                .db
                .in_tenant(self.tenant_id(), async |tx| {
                    let mut q = E::find();
                    for c in order {
                        q = q.order_by_asc(c);
                    }
                    q.offset(rows).limit(PAGE).all(tx).await
                })
                .await?;
            let mut buf = Vec::new();
            for row in &page {
                serde_json::to_writer(&mut buf, row)?;
                buf.push(b'\n');
            }
            m.write(&buf).await?;
            rows += page.len() as u64;
            if counted {
                progress.advance(page.len() as u64).await?;
            }
            if (page.len() as u64) < PAGE {
                break;
            }
        }
        Ok((listed(path, m.finish().await?), rows))
    }

    /// The log up to the head seen at the start (entries arriving meanwhile
    /// belong to the next export), in seq order.
    async fn access_log(
        &self,
        zip: &mut ZipWriter,
        progress: &mut dyn Progress,
    ) -> anyhow::Result<(ManifestMember, LogSpan)> {
        let path = "access_log.jsonl";
        let tenant = self.tenant_id();
        let cut = self
            .state
            .db
            .in_tenant(tenant, async |tx| {
                access_log_head::Entity::find_by_id(1).one(tx).await
            })
            .await?
            .map_or(0, |h| h.seq);
        let mut span = LogSpan::default();
        let mut m = zip.member(path, true).await?;
        let mut next = 0i64;
        while next <= cut {
            let from = next;
            let page = self
                .state
                .db
                .in_tenant(tenant, async |tx| {
                    access_log::Entity::find()
                        .filter(access_log::Column::Seq.gte(from))
                        .filter(access_log::Column::Seq.lte(cut))
                        .order_by_asc(access_log::Column::Seq)
                        .limit(PAGE)
                        .all(tx)
                        .await
                })
                .await?;
            let Some(last) = page.last() else { break };
            next = last.seq + 1;
            let mut buf = Vec::new();
            for row in &page {
                if span.entries == 0 {
                    span.first_seq = row.seq;
                }
                span.entries += 1;
                span.last_seq = row.seq;
                span.last_hash.clone_from(&row.hash);
                serde_json::to_writer(&mut buf, row)?;
                buf.push(b'\n');
            }
            m.write(&buf).await?;
            progress.advance(page.len() as u64).await?;
        }
        Ok((listed(path, m.finish().await?), span))
    }

    /// `files/<project id>/<original name>`, plus `files.jsonl` saying which
    /// row each member is.
    async fn files(
        &self,
        zip: &mut ZipWriter,
        progress: &mut dyn Progress,
    ) -> anyhow::Result<(Vec<ManifestMember>, u64)> {
        let tenant = self.tenant_id();
        let mut members = Vec::new();
        let mut index = Vec::new();
        let mut taken = HashSet::new();
        let mut done = 0u64;
        loop {
            let page = self
                .state
                .db
                .in_tenant(tenant, async |tx| {
                    file::Entity::find()
                        .order_by_asc(file::Column::ProjectId)
                        .order_by_asc(file::Column::CreatedAt)
                        .order_by_asc(file::Column::Id)
                        .offset(done)
                        .limit(PAGE)
                        .all(tx)
                        .await
                })
                .await?;
            for f in &page {
                let path = unique_path(&mut taken, f.project_id, &f.filename);
                let key = ObjectKey::for_tenant(tenant, &f.object_key)?;
                let object = self
                    .state
                    .storage
                    .get_stream(&key, None)
                    .await?
                    .ok_or_else(|| anyhow::anyhow!("the object of file {} is missing", f.id))?;
                let mut m = zip.member(&path, false).await?;
                let mut body = object.body;
                while let Some(chunk) = futures_util::StreamExt::next(&mut body).await {
                    m.write(&chunk?).await?;
                }
                let digest = m.finish().await?;
                if digest.sha256 != f.sha256 {
                    anyhow::bail!(
                        "the object of file {} does not match its recorded digest",
                        f.id
                    );
                }
                #[derive(Serialize)]
                struct Indexed<'a> {
                    #[serde(flatten)]
                    file: &'a file::Model,
                    archive_path: &'a str,
                }
                serde_json::to_writer(
                    &mut index,
                    &Indexed {
                        file: f,
                        archive_path: &path,
                    },
                )?;
                index.push(b'\n');
                members.push(listed(&path, digest));
                // The evaluation's heatmap beside it, when there is one:
                // `heatmaps/<project id>/<name>.png` (a small PNG, read whole).
                let heat = ObjectKey::for_tenant(tenant, &storage::heatmap_path(&f.object_key))?;
                if let Some(png) = self.state.storage.get(&heat).await? {
                    let heat_path = format!(
                        "heatmaps/{}.png",
                        path.strip_prefix("files/").unwrap_or(&path)
                    );
                    members.push(self.small(zip, &heat_path, &png).await?);
                }
                progress.advance(1).await?;
                if self.state.settings.fault_exit_after_commit.as_deref() == Some("export.file") {
                    // Tests only: the node dies mid-export.
                    tracing::error!(
                        "CREPO_FAULT_EXIT_AFTER_COMMIT=export.file: exiting mid-export"
                    );
                    std::process::exit(86);
                }
            }
            done += page.len() as u64;
            if (page.len() as u64) < PAGE {
                break;
            }
        }
        members.push(self.small(zip, "files.jsonl", &index).await?);
        Ok((members, done))
    }
}

#[derive(Default)]
struct LogSpan {
    entries: u64,
    first_seq: i64,
    last_seq: i64,
    last_hash: String,
}

fn listed(path: &str, d: MemberDigest) -> ManifestMember {
    ManifestMember {
        path: path.to_owned(),
        size: d.size,
        sha256: d.sha256,
    }
}
