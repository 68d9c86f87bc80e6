//! Object storage behind one trait: a local directory (default) or S3, where
//! every object is written with SSE-S3 (AES256). Keys always start with the
//! owning tenant's id.
//!
//! Design files (up to tens of MiB) go through the streaming methods so that
//! no node ever holds a whole file in memory.

mod dir;
mod s3;
mod s3_multipart;
pub mod sniff;

use std::{pin::Pin, sync::Arc};

use async_trait::async_trait;
use bytes::Bytes;
use futures_util::{Stream, StreamExt};
use sha2::{Digest, Sha256};

pub use dir::DirectoryStore;
pub use s3::S3Store;
pub use sniff::{sniff, SniffedType};

use crate::{
    config::{Settings, StorageSettings},
    ids::TenantId,
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

    /// `<tenant id>/`: everything the tenant stores, for [`ObjectStore::delete_prefix`].
    pub fn tenant_prefix(tenant: TenantId) -> Self {
        Self(format!("{tenant}/"))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The key without its `<tenant id>/` prefix: the path stored in rows.
    pub fn path(&self) -> &str {
        self.0.split_once('/').map_or("", |(_, p)| p)
    }
}

/// A body arriving or leaving in chunks.
pub type ByteStream = Pin<Box<dyn Stream<Item = Result<Bytes, std::io::Error>> + Send>>;

/// What [`ObjectStore::put_stream`] learnt while writing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredObject {
    pub size: u64,
    /// Lowercase hex SHA-256 of the whole body.
    pub sha256: String,
    pub sniffed: SniffedType,
}

#[derive(Debug, thiserror::Error)]
pub enum PutError {
    /// The body exceeded the limit; nothing was kept.
    #[error("the body is larger than {limit} bytes")]
    TooLarge { limit: u64 },
    /// The client's stream failed (disconnect, bad chunking …).
    #[error("reading the request body failed: {0}")]
    Body(#[source] std::io::Error),
    #[error("object storage failed: {0:#}")]
    Storage(anyhow::Error),
}

impl From<anyhow::Error> for PutError {
    fn from(e: anyhow::Error) -> Self {
        Self::Storage(e)
    }
}

/// An object (or a byte range of it) being read.
pub struct ObjectStream {
    pub body: ByteStream,
    /// The whole object's size.
    pub size: u64,
    /// Bytes `body` yields: the range's length, or `size`.
    pub content_length: u64,
}

impl std::fmt::Debug for ObjectStream {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ObjectStream")
            .field("size", &self.size)
            .field("content_length", &self.content_length)
            .finish_non_exhaustive()
    }
}

/// Where the thumbnail of the object at `path` is kept: beside it.
pub fn thumbnail_path(path: &str) -> String {
    format!("{path}.thumb.png")
}

/// Where a design's evaluation heatmap (the map over the design) is kept,
/// beside the original.
pub fn heatmap_path(path: &str) -> String {
    format!("{path}.heatmap.png")
}

/// Where a design's grey saliency map is kept, beside the original.
pub fn saliency_path(path: &str) -> String {
    format!("{path}.saliency.png")
}

/// Everything stored because of a design file: its thumbnail and its
/// evaluation's pictures.
pub fn derived_paths(path: &str) -> [String; 3] {
    [
        thumbnail_path(path),
        heatmap_path(path),
        saliency_path(path),
    ]
}

/// Deletes the objects of rows already deleted (a file, a project's files),
/// with what was derived from them (thumbnails, evaluation heatmaps).
/// Best effort: the rows are gone whatever happens here, so a failure is
/// logged for `crepo storage gc` rather than reported to the client.
pub async fn remove_objects(store: &dyn ObjectStore, tenant: TenantId, paths: Vec<String>) {
    let derived = paths
        .iter()
        .flat_map(|p| derived_paths(p))
        .collect::<Vec<_>>();
    for path in paths.into_iter().chain(derived) {
        let removed = match ObjectKey::for_tenant(tenant, &path) {
            Ok(key) => store.delete(&key).await,
            Err(e) => Err(e),
        };
        if let Err(e) = removed {
            tracing::error!(
                error = format!("{e:#}"),
                path,
                "object of deleted rows not removed"
            );
        }
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

    /// Writes `body` chunk by chunk, hashing and sniffing it on the way. A body
    /// longer than `max_size` is cut off and leaves nothing behind; so does any
    /// other failure. The object appears only once it is complete.
    async fn put_stream(
        &self,
        key: &ObjectKey,
        body: ByteStream,
        content_type: &str,
        max_size: u64,
    ) -> Result<StoredObject, PutError>;
    /// The object, or the inclusive byte `range` of it (already checked
    /// against the size by the caller), or `None` when it does not exist.
    async fn get_stream(
        &self,
        key: &ObjectKey,
        range: Option<(u64, u64)>,
    ) -> anyhow::Result<Option<ObjectStream>>;
    /// The object's size, or `None` when it does not exist.
    async fn head(&self, key: &ObjectKey) -> anyhow::Result<Option<u64>>;
    /// Deletes every object under `prefix` (taken as a directory: `a/b`
    /// covers `a/b/c` but not `a/bc`); returns how many there were.
    async fn delete_prefix(&self, prefix: &ObjectKey) -> anyhow::Result<u64>;
    /// Everything stored under `prefix` (a directory, as above), temporary
    /// leftovers of interrupted writes included; for `crepo storage gc`.
    async fn list(&self, prefix: &ObjectKey) -> anyhow::Result<Vec<Listed>>;
}

/// One entry of [`ObjectStore::list`].
#[derive(Debug, Clone)]
pub struct Listed {
    pub key: ObjectKey,
    pub size: u64,
    pub modified: chrono::DateTime<chrono::Utc>,
    /// A temporary file of a write that never finished (directory store).
    pub temp: bool,
}

pub async fn from_settings(settings: &Settings) -> anyhow::Result<Arc<dyn ObjectStore>> {
    Ok(match &settings.storage {
        StorageSettings::Directory(dir) => Arc::new(DirectoryStore::open(dir.clone())?),
        StorageSettings::S3 { bucket, prefix } => {
            Arc::new(S3Store::new(&settings.aws, bucket.clone(), prefix.clone()).await)
        }
    })
}

/// Reads an upload for a backend: counts, hashes and keeps the first bytes
/// for sniffing, and stops at the size limit before the excess is written.
struct Ingest {
    body: ByteStream,
    limit: u64,
    size: u64,
    hasher: Sha256,
    head: Vec<u8>,
}

impl Ingest {
    fn new(body: ByteStream, limit: u64) -> Self {
        Self {
            body,
            limit,
            size: 0,
            hasher: Sha256::new(),
            head: Vec::with_capacity(sniff::SNIFF_LEN),
        }
    }

    /// The next non-empty chunk, or `None` at the end of the body.
    async fn next_chunk(&mut self) -> Result<Option<Bytes>, PutError> {
        loop {
            let chunk = match self.body.next().await {
                None => return Ok(None),
                Some(Err(e)) => return Err(PutError::Body(e)),
                Some(Ok(chunk)) if chunk.is_empty() => continue,
                Some(Ok(chunk)) => chunk,
            };
            self.size = self.size.saturating_add(chunk.len() as u64);
            if self.size > self.limit {
                return Err(PutError::TooLarge { limit: self.limit });
            }
            self.hasher.update(&chunk);
            // Chunks can be tiny: collect the first kilobyte across them.
            let want = sniff::SNIFF_LEN.saturating_sub(self.head.len());
            self.head.extend_from_slice(&chunk[..want.min(chunk.len())]);
            return Ok(Some(chunk));
        }
    }

    fn finish(self) -> StoredObject {
        StoredObject {
            size: self.size,
            sha256: hex::encode(self.hasher.finalize()),
            sniffed: sniff(&self.head),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn body(chunks: &[&'static [u8]]) -> ByteStream {
        let items: Vec<Result<Bytes, std::io::Error>> =
            chunks.iter().map(|c| Ok(Bytes::from_static(c))).collect();
        Box::pin(futures_util::stream::iter(items))
    }

    async fn drain(ingest: &mut Ingest) -> Result<(), PutError> {
        while ingest.next_chunk().await?.is_some() {}
        Ok(())
    }

    #[tokio::test]
    async fn ingest_sniffs_across_tiny_chunks_and_hashes_everything() {
        let mut ingest = Ingest::new(body(&[b"\x89P", b"", b"NG\r", b"\n\x1a\nrest"]), 100);
        drain(&mut ingest).await.unwrap();
        let stored = ingest.finish();
        assert_eq!(stored.sniffed, SniffedType::Png);
        assert_eq!(stored.size, 12);
        assert_eq!(
            stored.sha256,
            hex::encode(Sha256::digest(b"\x89PNG\r\n\x1a\nrest"))
        );
    }

    #[tokio::test]
    async fn ingest_stops_at_the_limit() {
        let mut ingest = Ingest::new(body(&[b"12345", b"6"]), 5);
        assert!(ingest.next_chunk().await.unwrap().is_some());
        assert!(matches!(
            ingest.next_chunk().await,
            Err(PutError::TooLarge { limit: 5 })
        ));
    }
}
