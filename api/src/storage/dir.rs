use std::path::PathBuf;

use anyhow::Context;
use async_trait::async_trait;
use bytes::Bytes;

use super::{ObjectKey, ObjectStore};

/// Objects as files under one directory (development and single-node setups).
pub struct DirectoryStore {
    root: PathBuf,
}

impl DirectoryStore {
    pub fn open(root: PathBuf) -> anyhow::Result<Self> {
        std::fs::create_dir_all(&root)
            .with_context(|| format!("cannot create {}", root.display()))?;
        Ok(Self { root })
    }

    fn path(&self, key: &ObjectKey) -> PathBuf {
        self.root.join(key.as_str())
    }
}

#[async_trait]
impl ObjectStore for DirectoryStore {
    fn kind(&self) -> &'static str {
        "directory"
    }

    async fn put(&self, key: &ObjectKey, body: Bytes, _content_type: &str) -> anyhow::Result<()> {
        let path = self.path(key);
        if let Some(parent) = path.parent() {
            tokio::fs::create_dir_all(parent).await?;
        }
        // Write beside, then rename: a reader never sees half an object.
        let tmp = path.with_extension(format!("part-{}", uuid::Uuid::new_v4()));
        tokio::fs::write(&tmp, &body).await?;
        tokio::fs::rename(&tmp, &path).await?;
        Ok(())
    }

    async fn get(&self, key: &ObjectKey) -> anyhow::Result<Option<Bytes>> {
        match tokio::fs::read(self.path(key)).await {
            Ok(data) => Ok(Some(Bytes::from(data))),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(e.into()),
        }
    }

    async fn delete(&self, key: &ObjectKey) -> anyhow::Result<()> {
        match tokio::fs::remove_file(self.path(key)).await {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(e.into()),
            _ => Ok(()),
        }
    }

    async fn check(&self) -> anyhow::Result<()> {
        let probe = self.root.join(format!(".probe-{}", uuid::Uuid::new_v4()));
        tokio::fs::write(&probe, b"ok")
            .await
            .with_context(|| format!("{} is not writable", self.root.display()))?;
        tokio::fs::remove_file(&probe).await?;
        Ok(())
    }
}
