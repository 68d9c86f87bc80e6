use anyhow::Context;
use async_trait::async_trait;
use aws_sdk_sns::{types::MessageAttributeValue, Client};

use super::SmsSender;
use crate::config::AwsSettings;

/// Direct SMS through AWS SNS `Publish` to a phone number.
pub struct SnsSms {
    client: Client,
}

impl SnsSms {
    pub async fn new(aws: &AwsSettings) -> Self {
        Self {
            client: Client::new(&crate::aws::sdk_config(aws).await),
        }
    }
}

#[async_trait]
impl SmsSender for SnsSms {
    fn kind(&self) -> &'static str {
        "sns"
    }

    async fn send(&self, to: &str, body: &str) -> anyhow::Result<()> {
        // One-time codes must not be dropped or delayed as promotional traffic.
        let transactional = MessageAttributeValue::builder()
            .data_type("String")
            .string_value("Transactional")
            .build()
            .context("SNS message attribute")?;
        self.client
            .publish()
            .phone_number(to)
            .message(body)
            .message_attributes("AWS.SNS.SMS.SMSType", transactional)
            .send()
            .await
            .context("SNS Publish failed")?;
        Ok(())
    }

    async fn check(&self) -> anyhow::Result<()> {
        self.client
            .get_sms_attributes()
            .send()
            .await
            .context("SNS is not reachable")?;
        Ok(())
    }
}
