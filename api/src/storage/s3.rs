use anyhow::Context;
use async_trait::async_trait;
use aws_sdk_s3::{primitives::ByteStream, types::ServerSideEncryption, Client};
use bytes::Bytes;

use super::{ObjectKey, ObjectStore};
use crate::config::AwsSettings;

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
}

#[async_trait]
impl ObjectStore for S3Store {
    fn kind(&self) -> &'static str {
        "s3"
    }

    async fn put(&self, key: &ObjectKey, body: Bytes, content_type: &str) -> anyhow::Result<()> {
        self.client
            .put_object()
            .bucket(&self.bucket)
            .key(self.key(key))
            .content_type(content_type)
            .server_side_encryption(ServerSideEncryption::Aes256)
            .body(ByteStream::from(body))
            .send()
            .await
            .context("S3 PutObject failed")?;
        Ok(())
    }

    async fn get(&self, key: &ObjectKey) -> anyhow::Result<Option<Bytes>> {
        let res = self
            .client
            .get_object()
            .bucket(&self.bucket)
            .key(self.key(key))
            .send()
            .await;
        match res {
            Ok(out) => Ok(Some(
                out.body
                    .collect()
                    .await
                    .context("S3 body read failed")?
                    .into_bytes(),
            )),
            Err(e) if e.as_service_error().is_some_and(|s| s.is_no_such_key()) => Ok(None),
            Err(e) => Err(anyhow::Error::new(e).context("S3 GetObject failed")),
        }
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
}
