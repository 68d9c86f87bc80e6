//! `crepo storage gc`: objects no file row points at. A server killed between
//! storing an object and committing its row, a delete whose object removal
//! failed, or a write cut off mid-way (a temporary file) leave them behind.
//! Dry run by default; anything younger than the grace period is left alone,
//! since an upload in progress looks the same.

use std::collections::HashSet;

use chrono::{DateTime, Duration, Utc};
use sea_orm::EntityTrait;

use crate::{
    db::Db,
    entities::tenant::file,
    ids::TenantId,
    storage::{self, Listed, ObjectKey, ObjectStore},
};

/// What a run found, and removed when asked to.
#[derive(Debug, Default)]
pub struct GcReport {
    pub tenants: usize,
    pub objects: usize,
    pub orphans: Vec<Listed>,
    pub removed: usize,
}

pub async fn run(
    db: &Db,
    store: &dyn ObjectStore,
    now: DateTime<Utc>,
    grace: Duration,
    delete: bool,
) -> anyhow::Result<GcReport> {
    let mut report = GcReport::default();
    for tenant in db.tenants().await? {
        let tenant = TenantId(tenant.id);
        report.tenants += 1;
        // The rows first: an object stored after this read is younger than
        // the grace period, so it is not taken for an orphan.
        let rows = db
            .in_tenant(tenant, async |tx| file::Entity::find().all(tx).await)
            .await?;
        let mut kept: HashSet<String> = HashSet::new();
        for f in rows {
            kept.extend(storage::derived_paths(&f.object_key));
            kept.insert(f.object_key);
        }
        let listed = store.list(&ObjectKey::for_tenant(tenant, "files")?).await?;
        report.objects += listed.len();
        for object in listed {
            let referenced = !object.temp && kept.contains(object.key.path());
            if referenced || now - object.modified < grace {
                continue;
            }
            if delete {
                store.delete(&object.key).await?;
                report.removed += 1;
            }
            report.orphans.push(object);
        }
    }
    Ok(report)
}
