//! Object storage behind one trait: a local directory (default) or S3, where
//! every object is written with SSE-S3 (AES256). Keys always start with the
//! owning tenant's id.

mod dir;
mod s3;

use std::sync::Arc;

use async_trait::async_trait;
use bytes::Bytes;

pub use dir::DirectoryStore;
pub use s3::S3Store;

use crate::{
    config::{Settings, StorageSettings},
    tenancy::TenantId,
};

/// A key inside the store, always under a tenant's prefix.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ObjectKey(String);

impl ObjectKey {
    /// `<tenant id>/<path>`; `path` uses `/` separators and no `..` segments.
    pub fn for_tenant(tenant: TenantId, path: &str) -> Result<Self, anyhow::Error> {
        let clean = path
            .split('/')
            .all(|s| !s.is_empty() && s != "." && s != "..");
        if !clean {
            anyhow::bail!("invalid object path `{path}`");
        }
        Ok(Self(format!("{tenant}/{path}")))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[async_trait]
pub trait ObjectStore: Send + Sync {
    /// `directory` or `s3`, for health reports.
    fn kind(&self) -> &'static str;
    async fn put(&self, key: &ObjectKey, body: Bytes, content_type: &str) -> anyhow::Result<()>;
    /// The object's bytes, or `None` when it does not exist.
    async fn get(&self, key: &ObjectKey) -> anyhow::Result<Option<Bytes>>;
    /// Deleting a missing object is not an error.
    async fn delete(&self, key: &ObjectKey) -> anyhow::Result<()>;
    /// Readiness: can this node reach and use the store?
    async fn check(&self) -> anyhow::Result<()>;
}

pub async fn from_settings(settings: &Settings) -> anyhow::Result<Arc<dyn ObjectStore>> {
    Ok(match &settings.storage {
        StorageSettings::Directory(dir) => Arc::new(DirectoryStore::open(dir.clone())?),
        StorageSettings::S3 { bucket, prefix } => {
            Arc::new(S3Store::new(&settings.aws, bucket.clone(), prefix.clone()).await)
        }
    })
}
