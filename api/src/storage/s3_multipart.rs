//! S3 multipart uploads: parts of exactly 5 MiB with CRC32 checksums,
//! completed at the end, aborted on failure or when dropped unfinished.

use anyhow::Context;
use aws_sdk_s3::{
    primitives::ByteStream as S3Body,
    types::{ChecksumAlgorithm, CompletedMultipartUpload, CompletedPart, ServerSideEncryption},
    Client,
};
use bytes::Bytes;

/// A multipart upload in progress. Aborted when dropped while still open, so
/// a cancelled request (client gone) leaves no parts behind either.
pub(super) struct Multipart {
    client: Client,
    bucket: String,
    key: String,
    upload_id: String,
    parts: Vec<CompletedPart>,
    open: bool,
}

impl Multipart {
    /// Starts an upload to `key`, SSE-S3 encrypted, CRC32 on every part.
    pub(super) async fn start(
        client: &Client,
        bucket: &str,
        key: &str,
        content_type: &str,
    ) -> anyhow::Result<Multipart> {
        let out = client
            .create_multipart_upload()
            .bucket(bucket)
            .key(key)
            .content_type(content_type)
            .server_side_encryption(ServerSideEncryption::Aes256)
            // Named explicitly so every part and the completion agree on it.
            .checksum_algorithm(ChecksumAlgorithm::Crc32)
            .send()
            .await
            .context("S3 CreateMultipartUpload failed")?;
        Ok(Multipart {
            client: client.clone(),
            bucket: bucket.to_owned(),
            key: key.to_owned(),
            upload_id: out
                .upload_id()
                .context("S3 CreateMultipartUpload returned no upload id")?
                .to_owned(),
            parts: Vec::new(),
            open: true,
        })
    }

    pub(super) async fn upload(&mut self, body: Bytes) -> anyhow::Result<()> {
        let number = i32::try_from(self.parts.len() + 1).context("too many parts")?;
        let out = self
            .client
            .upload_part()
            .bucket(&self.bucket)
            .key(&self.key)
            .upload_id(&self.upload_id)
            .part_number(number)
            .checksum_algorithm(ChecksumAlgorithm::Crc32)
            .body(S3Body::from(body))
            .customize()
            .config_override(crate::aws::bulk_timeouts())
            .send()
            .await
            .with_context(|| format!("S3 UploadPart {number} failed"))?;
        let mut part = CompletedPart::builder()
            .part_number(number)
            .set_e_tag(out.e_tag().map(str::to_owned));
        if let Some(crc) = out.checksum_crc32() {
            part = part.checksum_crc32(crc);
        }
        self.parts.push(part.build());
        Ok(())
    }

    /// Sends the last part and completes the upload; aborts it on failure.
    pub(super) async fn finish(mut self, last: Bytes) -> anyhow::Result<()> {
        let mut done = Ok(());
        if !last.is_empty() {
            done = self.upload(last).await;
        }
        if done.is_ok() {
            let parts = CompletedMultipartUpload::builder()
                .set_parts(Some(std::mem::take(&mut self.parts)))
                .build();
            done = self
                .client
                .complete_multipart_upload()
                .bucket(&self.bucket)
                .key(&self.key)
                .upload_id(&self.upload_id)
                .multipart_upload(parts)
                .send()
                .await
                .map(|_| self.open = false)
                .context("S3 CompleteMultipartUpload failed");
        }
        if done.is_err() {
            self.abort().await;
        }
        done
    }

    /// Aborting as an owned future, which Drop can spawn. Best effort: a
    /// failure is logged, as the caller is already failing.
    pub(super) fn abort(&mut self) -> impl std::future::Future<Output = ()> + Send + 'static {
        self.open = false;
        let (client, bucket) = (self.client.clone(), self.bucket.clone());
        let (key, id) = (self.key.clone(), self.upload_id.clone());
        async move {
            if let Err(e) = abort(&client, &bucket, &key, &id).await {
                tracing::warn!(error = format!("{e:#}"), %key, "multipart upload left behind");
            }
        }
    }
}

impl Drop for Multipart {
    fn drop(&mut self) {
        // Drop cannot await: abort on the runtime, if there still is one.
        if let (true, Ok(rt)) = (self.open, tokio::runtime::Handle::try_current()) {
            rt.spawn(self.abort());
        }
    }
}

pub(super) async fn abort(
    client: &Client,
    bucket: &str,
    key: &str,
    upload_id: &str,
) -> anyhow::Result<()> {
    client
        .abort_multipart_upload()
        .bucket(bucket)
        .key(key)
        .upload_id(upload_id)
        .send()
        .await
        .context("S3 AbortMultipartUpload failed")?;
    Ok(())
}
