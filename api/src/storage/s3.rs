use anyhow::Context;
use async_trait::async_trait;
use aws_sdk_s3::{
    primitives::ByteStream as S3Body,
    types::{Delete, ObjectIdentifier, ServerSideEncryption},
    Client,
};
use bytes::Bytes;

use super::{
    s3_multipart::{abort, Multipart},
    ByteStream, Ingest, Listed, ObjectKey, ObjectStore, ObjectStream, PutError, StoredObject,
};
use crate::config::AwsSettings;

/// Multipart parts are exactly this long (S3's minimum), except the last; one
/// part is all an upload holds in memory.
const PART_SIZE: usize = 5 * 1024 * 1024;

/// Objects in one S3 bucket under an optional prefix, encrypted with SSE-S3.
pub struct S3Store {
    client: Client,
    bucket: String,
    prefix: String,
}

impl S3Store {
    pub async fn new(aws: &AwsSettings, bucket: String, prefix: String) -> Self {
        let sdk = crate::aws::sdk_config(aws).await;
        // S3-compatible endpoints (moto, MinIO) want path-style addressing.
        let config = aws_sdk_s3::config::Builder::from(&sdk)
            .force_path_style(aws.endpoint_url.is_some())
            .build();
        Self {
            client: Client::from_conf(config),
            bucket,
            prefix,
        }
    }

    fn key(&self, key: &ObjectKey) -> String {
        if self.prefix.is_empty() {
            key.as_str().to_owned()
        } else {
            format!("{}/{}", self.prefix, key.as_str())
        }
    }

    async fn put_bytes(&self, key: String, body: Bytes, content_type: &str) -> anyhow::Result<()> {
        self.client
            .put_object()
            .bucket(&self.bucket)
            .key(key)
            .content_type(content_type)
            .server_side_encryption(ServerSideEncryption::Aes256)
            .body(S3Body::from(body))
            .customize()
            .config_override(crate::aws::bulk_timeouts())
            .send()
            .await
            .context("S3 PutObject failed")?;
        Ok(())
    }

    /// Reads the body, sending every full part; what is left over (less than
    /// a part) stays in `buf`. The multipart upload starts with the first full
    /// part. `buf` is allocated once at its final size, so that growing it
    /// never holds more than a part.
    async fn send_full_parts(
        &self,
        key: &str,
        content_type: &str,
        ingest: &mut Ingest,
        buf: &mut Vec<u8>,
        upload: &mut Option<Multipart>,
    ) -> Result<(), PutError> {
        let part_cap = usize::try_from(ingest.limit).map_or(PART_SIZE, |l| l.min(PART_SIZE));
        while let Some(mut chunk) = ingest.next_chunk().await? {
            while !chunk.is_empty() {
                if buf.capacity() == 0 {
                    buf.reserve_exact(part_cap);
                }
                let take = (PART_SIZE - buf.len()).min(chunk.len());
                buf.extend_from_slice(&chunk.split_to(take));
                if buf.len() == PART_SIZE {
                    let part = Bytes::from(std::mem::take(buf));
                    let mp = match upload {
                        Some(mp) => mp,
                        None => upload.insert(self.start_multipart(key, content_type).await?),
                    };
                    mp.upload(part).await?;
                }
            }
        }
        Ok(())
    }

    async fn start_multipart(&self, key: &str, content_type: &str) -> anyhow::Result<Multipart> {
        Multipart::start(&self.client, &self.bucket, key, content_type).await
    }

    async fn get_object(
        &self,
        key: &ObjectKey,
        range: Option<(u64, u64)>,
    ) -> anyhow::Result<Option<aws_sdk_s3::operation::get_object::GetObjectOutput>> {
        let res = self
            .client
            .get_object()
            .bucket(&self.bucket)
            .key(self.key(key))
            .set_range(range.map(|(start, end)| format!("bytes={start}-{end}")))
            .send()
            .await;
        match res {
            Ok(out) => Ok(Some(out)),
            Err(e) if e.as_service_error().is_some_and(|s| s.is_no_such_key()) => Ok(None),
            Err(e) => Err(anyhow::Error::new(e).context("S3 GetObject failed")),
        }
    }

    /// Aborts the multipart uploads in progress under `prefix`.
    async fn abort_uploads(&self, prefix: &str) -> anyhow::Result<()> {
        loop {
            let page = self
                .client
                .list_multipart_uploads()
                .bucket(&self.bucket)
                .prefix(prefix)
                .send()
                .await
                .context("S3 ListMultipartUploads failed")?;
            for up in page.uploads() {
                if let (Some(key), Some(id)) = (up.key(), up.upload_id()) {
                    abort(&self.client, &self.bucket, key, id).await?;
                }
            }
            // Aborted uploads drop out of the listing: list again from the start.
            if page.is_truncated() != Some(true) || page.uploads().is_empty() {
                return Ok(());
            }
        }
    }
}

fn length(header: Option<i64>, op: &str) -> anyhow::Result<u64> {
    let len = header.and_then(|n| u64::try_from(n).ok());
    len.with_context(|| format!("S3 {op} returned no Content-Length"))
}

/// The total size from a `Content-Range: bytes 0-99/1234` header.
fn total_from_content_range(header: Option<&str>) -> anyhow::Result<u64> {
    header
        .and_then(|h| h.rsplit_once('/'))
        .and_then(|(_, total)| total.trim().parse().ok())
        .with_context(|| format!("S3 sent an unusable Content-Range {header:?}"))
}

#[async_trait]
impl ObjectStore for S3Store {
    fn kind(&self) -> &'static str {
        "s3"
    }

    async fn put(&self, key: &ObjectKey, body: Bytes, content_type: &str) -> anyhow::Result<()> {
        self.put_bytes(self.key(key), body, content_type).await
    }

    async fn get(&self, key: &ObjectKey) -> anyhow::Result<Option<Bytes>> {
        let Some(out) = self.get_object(key, None).await? else {
            return Ok(None);
        };
        let body = out.body.collect().await.context("S3 body read failed")?;
        Ok(Some(body.into_bytes()))
    }

    async fn delete(&self, key: &ObjectKey) -> anyhow::Result<()> {
        self.client
            .delete_object()
            .bucket(&self.bucket)
            .key(self.key(key))
            .send()
            .await
            .context("S3 DeleteObject failed")?;
        Ok(())
    }

    async fn check(&self) -> anyhow::Result<()> {
        self.client
            .head_bucket()
            .bucket(&self.bucket)
            .send()
            .await
            .with_context(|| format!("S3 bucket {} is not reachable", self.bucket))?;
        Ok(())
    }

    async fn put_stream(
        &self,
        key: &ObjectKey,
        body: ByteStream,
        content_type: &str,
        max_size: u64,
    ) -> Result<StoredObject, PutError> {
        let key = self.key(key);
        let mut ingest = Ingest::new(body, max_size);
        let mut buf = Vec::new();
        let mut upload = None;
        let sent = self
            .send_full_parts(&key, content_type, &mut ingest, &mut buf, &mut upload)
            .await;
        match (sent, upload) {
            (Err(e), mut upload) => {
                if let Some(mp) = upload.as_mut() {
                    mp.abort().await;
                }
                Err(e)
            }
            // Less than one part in all: a plain PutObject.
            (Ok(()), None) => {
                self.put_bytes(key, Bytes::from(buf), content_type).await?;
                Ok(ingest.finish())
            }
            (Ok(()), Some(mp)) => {
                mp.finish(Bytes::from(buf)).await?;
                Ok(ingest.finish())
            }
        }
    }

    async fn get_stream(
        &self,
        key: &ObjectKey,
        range: Option<(u64, u64)>,
    ) -> anyhow::Result<Option<ObjectStream>> {
        let Some(out) = self.get_object(key, range).await? else {
            return Ok(None);
        };
        let content_length = length(out.content_length(), "GetObject")?;
        let size = match range {
            None => content_length,
            Some(_) => total_from_content_range(out.content_range())?,
        };
        let body = futures_util::stream::unfold(out.body, |mut body| async move {
            let next = body.next().await?;
            Some((next.map_err(std::io::Error::other), body))
        });
        Ok(Some(ObjectStream {
            body: Box::pin(body),
            size,
            content_length,
        }))
    }

    async fn head(&self, key: &ObjectKey) -> anyhow::Result<Option<u64>> {
        let res = self
            .client
            .head_object()
            .bucket(&self.bucket)
            .key(self.key(key))
            .send()
            .await;
        match res {
            Ok(out) => Ok(Some(length(out.content_length(), "HeadObject")?)),
            Err(e) if e.as_service_error().is_some_and(|s| s.is_not_found()) => Ok(None),
            Err(e) => Err(anyhow::Error::new(e).context("S3 HeadObject failed")),
        }
    }

    async fn delete_prefix(&self, prefix: &ObjectKey) -> anyhow::Result<u64> {
        let mut prefix = self.key(prefix);
        if !prefix.ends_with('/') {
            prefix.push('/');
        }
        // Unfinished uploads hold data too (and would otherwise outlive the tenant).
        self.abort_uploads(&prefix).await?;
        let mut deleted = 0;
        loop {
            // Deleted keys drop out of the listing: list again from the start.
            let page = self
                .client
                .list_objects_v2()
                .bucket(&self.bucket)
                .prefix(&prefix)
                .max_keys(1000)
                .send()
                .await
                .context("S3 ListObjectsV2 failed")?;
            let ids = page
                .contents()
                .iter()
                .filter_map(|o| o.key())
                .map(|k| ObjectIdentifier::builder().key(k).build())
                .collect::<Result<Vec<_>, _>>()?;
            if ids.is_empty() {
                return Ok(deleted);
            }
            let count = ids.len() as u64;
            let batch = Delete::builder().set_objects(Some(ids)).quiet(true);
            let out = self
                .client
                .delete_objects()
                .bucket(&self.bucket)
                .delete(batch.build()?)
                .send()
                .await
                .context("S3 DeleteObjects failed")?;
            if let Some(err) = out.errors().first() {
                let (n, key, msg) = (out.errors().len(), err.key(), err.message());
                anyhow::bail!("S3 DeleteObjects failed for {n} of {count}, e.g. {key:?}: {msg:?}");
            }
            deleted += count;
        }
    }

    async fn list(&self, prefix: &ObjectKey) -> anyhow::Result<Vec<Listed>> {
        let mut full = self.key(prefix);
        if !full.ends_with('/') {
            full.push('/');
        }
        let strip = if self.prefix.is_empty() {
            String::new()
        } else {
            format!("{}/", self.prefix)
        };
        let mut out = Vec::new();
        let mut token = None;
        loop {
            let page = self
                .client
                .list_objects_v2()
                .bucket(&self.bucket)
                .prefix(&full)
                .set_continuation_token(token)
                .send()
                .await
                .context("S3 ListObjectsV2 failed")?;
            for o in page.contents() {
                let Some(key) = o.key().and_then(|k| k.strip_prefix(&strip)) else {
                    continue;
                };
                let modified = o
                    .last_modified()
                    .and_then(|t| chrono::DateTime::from_timestamp(t.secs(), t.subsec_nanos()))
                    .unwrap_or_default();
                out.push(Listed {
                    key: ObjectKey(key.to_owned()),
                    size: u64::try_from(o.size().unwrap_or(0)).unwrap_or(0),
                    modified,
                    temp: false,
                });
            }
            match page.next_continuation_token() {
                Some(t) => token = Some(t.to_owned()),
                None => return Ok(out),
            }
        }
    }
}
