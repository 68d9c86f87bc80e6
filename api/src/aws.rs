//! Shared AWS SDK configuration for the S3 and SNS backends.

use aws_config::{BehaviorVersion, Region};

use crate::config::AwsSettings;

pub async fn sdk_config(aws: &AwsSettings) -> aws_config::SdkConfig {
    let mut loader =
        aws_config::defaults(BehaviorVersion::latest()).region(Region::new(aws.region.clone()));
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
