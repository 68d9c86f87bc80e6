//! Text messages behind one trait: an outbox file (development and tests, one
//! JSON object per line) or AWS SNS direct SMS.

mod outbox;
mod sns;

use std::sync::Arc;

use async_trait::async_trait;

pub use outbox::Outbox;
pub use sns::SnsSms;

use crate::{
    clock::Clock,
    config::{Settings, SmsSettings},
};

#[async_trait]
pub trait SmsSender: Send + Sync {
    /// `outbox` or `sns`, for health reports.
    fn kind(&self) -> &'static str;
    /// Sends `body` to the E.164 number `to`.
    async fn send(&self, to: &str, body: &str) -> anyhow::Result<()>;
    /// Readiness: can this node hand messages to the provider?
    async fn check(&self) -> anyhow::Result<()>;
}

pub async fn from_settings(
    settings: &Settings,
    clock: Clock,
) -> anyhow::Result<Arc<dyn SmsSender>> {
    Ok(match &settings.sms {
        SmsSettings::Outbox(path) => Arc::new(Outbox::open(path.clone(), clock)?),
        SmsSettings::Sns => Arc::new(SnsSms::new(&settings.aws).await),
    })
}
