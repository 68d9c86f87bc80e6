//! Shared AWS SDK configuration for the S3 and SNS backends.

use std::time::Duration;

use aws_config::{retry::RetryConfig, timeout::TimeoutConfig, BehaviorVersion, Region};

use crate::config::AwsSettings;

pub async fn sdk_config(aws: &AwsSettings) -> aws_config::SdkConfig {
    // An endpoint that does not answer (a black hole, not a refusal) must not
    // hold requests: a second to connect, three seconds until the answer
    // begins, one retry. Sending a body takes longer: see `bulk_timeouts`.
    let mut loader = aws_config::defaults(BehaviorVersion::latest())
        .region(Region::new(aws.region.clone()))
        .timeout_config(
            TimeoutConfig::builder()
                .connect_timeout(Duration::from_secs(1))
                .read_timeout(Duration::from_secs(3))
                .build(),
        )
        .retry_config(RetryConfig::standard().with_max_attempts(2));
    if let Some(endpoint) = &aws.endpoint_url {
        loader = loader.endpoint_url(endpoint);
    }
    if let (Some(id), Some(secret)) = (&aws.access_key_id, &aws.secret_access_key) {
        loader = loader.credentials_provider(aws_sdk_s3::config::Credentials::new(
            id,
            secret.expose(),
            aws.session_token.as_ref().map(|t| t.expose().to_owned()),
            None,
            "crepo-settings",
        ));
    }
    loader.load().await
}

/// For calls that send a body (up to a 5 MiB part): the answer may begin only
/// after the whole body went out, so the read timeout is longer.
pub fn bulk_timeouts() -> aws_sdk_s3::config::Builder {
    aws_sdk_s3::config::Builder::default().timeout_config(
        TimeoutConfig::builder()
            .read_timeout(Duration::from_secs(10))
            .build(),
    )
}
