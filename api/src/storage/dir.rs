use std::{
    io::SeekFrom,
    path::{Path, PathBuf},
};

use anyhow::Context;
use async_trait::async_trait;
use bytes::{Bytes, BytesMut};
use tokio::io::{AsyncReadExt, AsyncSeekExt, AsyncWriteExt};

use super::{
    ByteStream, Ingest, Listed, ObjectKey, ObjectStore, ObjectStream, PutError, StoredObject,
};

/// Reads are streamed in chunks of this size.
const READ_CHUNK: usize = 64 * 1024;
/// Temp files end with this, so listings can tell them from objects.
const TEMP_SUFFIX: &str = ".part";

/// Objects as files under one directory (development and single-node setups).
pub struct DirectoryStore {
    root: PathBuf,
}

impl DirectoryStore {
    pub fn open(root: PathBuf) -> anyhow::Result<Self> {
        crate::private_fs::create_dir(&root)
            .with_context(|| format!("cannot create {}", root.display()))?;
        Ok(Self { root })
    }

    fn path(&self, key: &ObjectKey) -> PathBuf {
        self.root.join(key.as_str())
    }

    /// Creates the parent directories and returns a temp file path beside
    /// `path`: write there, then rename, so a reader never sees half an object.
    async fn prepare(&self, path: &Path) -> anyhow::Result<TempFile> {
        let parent = path.parent().context("object path without a parent")?;
        crate::private_fs::create_dirs_under(&self.root, parent)
            .await
            .with_context(|| format!("cannot create {}", parent.display()))?;
        let name = path.file_name().unwrap_or_default().to_string_lossy();
        let tmp = parent.join(format!(".{name}.{}{TEMP_SUFFIX}", uuid::Uuid::new_v4()));
        Ok(TempFile(Some(tmp)))
    }
}

/// Removes the temp file unless it was renamed into place, also when the
/// upload future is dropped midway (a client that disconnects).
struct TempFile(Option<PathBuf>);

impl TempFile {
    fn path(&self) -> &Path {
        self.0.as_deref().unwrap_or(Path::new(""))
    }

    async fn persist(mut self, dest: &Path) -> anyhow::Result<()> {
        let tmp = self.0.take().context("temp file already persisted")?;
        if let Err(e) = tokio::fs::rename(&tmp, dest).await {
            self.0 = Some(tmp);
            return Err(e).with_context(|| format!("cannot move into {}", dest.display()));
        }
        Ok(())
    }
}

impl Drop for TempFile {
    fn drop(&mut self) {
        if let Some(tmp) = self.0.take() {
            // Synchronous, as Drop cannot await; it is one unlink.
            let _ = std::fs::remove_file(tmp);
        }
    }
}

async fn write_body(file: &mut tokio::fs::File, ingest: &mut Ingest) -> Result<(), PutError> {
    while let Some(chunk) = ingest.next_chunk().await? {
        file.write_all(&chunk)
            .await
            .context("cannot write object file")?;
    }
    // tokio's File finishes the last write in the background; wait for it.
    file.flush().await.context("cannot write object file")?;
    Ok(())
}

#[async_trait]
impl ObjectStore for DirectoryStore {
    fn kind(&self) -> &'static str {
        "directory"
    }

    async fn put(&self, key: &ObjectKey, body: Bytes, _content_type: &str) -> anyhow::Result<()> {
        let path = self.path(key);
        let tmp = self.prepare(&path).await?;
        crate::private_fs::write(tmp.path(), &body).await?;
        tmp.persist(&path).await
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
        crate::private_fs::write(&probe, b"ok")
            .await
            .with_context(|| format!("{} is not writable", self.root.display()))?;
        tokio::fs::remove_file(&probe).await?;
        Ok(())
    }

    async fn put_stream(
        &self,
        key: &ObjectKey,
        body: ByteStream,
        _content_type: &str,
        max_size: u64,
    ) -> Result<StoredObject, PutError> {
        let path = self.path(key);
        let tmp = self.prepare(&path).await?;
        let mut file = crate::private_fs::new_file()
            .open(tmp.path())
            .await
            .with_context(|| format!("cannot create {}", tmp.path().display()))?;
        let mut ingest = Ingest::new(body, max_size);
        let written = write_body(&mut file, &mut ingest).await;
        // Close before renaming or removing (Windows cares; tidy elsewhere).
        drop(file);
        written?;
        tmp.persist(&path).await?;
        Ok(ingest.finish())
    }

    async fn get_stream(
        &self,
        key: &ObjectKey,
        range: Option<(u64, u64)>,
    ) -> anyhow::Result<Option<ObjectStream>> {
        let mut file = match tokio::fs::File::open(self.path(key)).await {
            Ok(file) => file,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(e.into()),
        };
        let meta = file.metadata().await?;
        if !meta.is_file() {
            return Ok(None);
        }
        let size = meta.len();
        let content_length = match range {
            None => size,
            Some((start, end)) => {
                if start > end || end >= size {
                    anyhow::bail!("range {start}-{end} outside an object of {size} bytes");
                }
                file.seek(SeekFrom::Start(start)).await?;
                end - start + 1
            }
        };
        let body = futures_util::stream::try_unfold(
            (file, content_length),
            |(mut file, remaining)| async move {
                if remaining == 0 {
                    return Ok(None);
                }
                let want = READ_CHUNK.min(usize::try_from(remaining).unwrap_or(READ_CHUNK));
                let mut buf = BytesMut::zeroed(want);
                let n = file.read(&mut buf).await?;
                if n == 0 {
                    return Err(std::io::Error::new(
                        std::io::ErrorKind::UnexpectedEof,
                        "object file shorter than its size",
                    ));
                }
                buf.truncate(n);
                Ok(Some((buf.freeze(), (file, remaining - n as u64))))
            },
        );
        Ok(Some(ObjectStream {
            body: Box::pin(body),
            size,
            content_length,
        }))
    }

    async fn head(&self, key: &ObjectKey) -> anyhow::Result<Option<u64>> {
        match tokio::fs::metadata(self.path(key)).await {
            Ok(meta) if meta.is_file() => Ok(Some(meta.len())),
            Ok(_) => Ok(None),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(e.into()),
        }
    }

    async fn delete_prefix(&self, prefix: &ObjectKey) -> anyhow::Result<u64> {
        let root = self.path(prefix);
        match tokio::fs::symlink_metadata(&root).await {
            Ok(meta) if meta.is_dir() => {}
            Ok(_) => return Ok(0),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(0),
            Err(e) => return Err(e.into()),
        }
        let count = count_objects(&root).await?;
        match tokio::fs::remove_dir_all(&root).await {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
                Err(e).with_context(|| format!("cannot remove {}", root.display()))
            }
            _ => Ok(count),
        }
    }

    async fn list(&self, prefix: &ObjectKey) -> anyhow::Result<Vec<Listed>> {
        let mut out = Vec::new();
        let mut dirs = vec![self.path(prefix)];
        while let Some(dir) = dirs.pop() {
            let mut entries = match tokio::fs::read_dir(&dir).await {
                Ok(entries) => entries,
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => continue,
                Err(e) => return Err(e).with_context(|| format!("cannot list {}", dir.display())),
            };
            while let Some(entry) = entries.next_entry().await? {
                let meta = entry.metadata().await?;
                if meta.is_dir() {
                    dirs.push(entry.path());
                    continue;
                }
                let rel = entry.path();
                let rel = rel.strip_prefix(&self.root).unwrap_or(&rel);
                let key = rel
                    .components()
                    .map(|c| c.as_os_str().to_string_lossy())
                    .collect::<Vec<_>>()
                    .join("/");
                out.push(Listed {
                    key: ObjectKey(key),
                    size: meta.len(),
                    modified: meta.modified().map(Into::into).unwrap_or_default(),
                    temp: is_temp(&entry.file_name().to_string_lossy()),
                });
            }
        }
        Ok(out)
    }
}

fn is_temp(name: &str) -> bool {
    name.starts_with('.') && name.ends_with(TEMP_SUFFIX)
}

/// Files under `root`, not counting temp files of uploads in progress.
async fn count_objects(root: &Path) -> anyhow::Result<u64> {
    let mut count = 0;
    let mut dirs = vec![root.to_path_buf()];
    while let Some(dir) = dirs.pop() {
        let mut entries = tokio::fs::read_dir(&dir)
            .await
            .with_context(|| format!("cannot list {}", dir.display()))?;
        while let Some(entry) = entries.next_entry().await? {
            let kind = entry.file_type().await?;
            if kind.is_dir() {
                dirs.push(entry.path());
            } else if !is_temp(&entry.file_name().to_string_lossy()) {
                count += 1;
            }
        }
    }
    Ok(count)
}
