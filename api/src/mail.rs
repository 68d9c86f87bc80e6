//! Email behind one trait: an outbox file in development (one JSON object per
//! line) or an SNS topic whose email subscriptions filter on the `tenant_id`
//! and `email` message attributes. Follows `CREPO_SMS`: outbox with outbox,
//! SNS with SNS (`CREPO_NOTICE_TOPIC_ARN` names the topic).

use std::sync::Arc;

use anyhow::Context;
use async_trait::async_trait;
use aws_sdk_sns::{types::MessageAttributeValue, Client};
use serde::Serialize;

use crate::{
    clock::Clock,
    config::{Settings, SmsSettings},
    ids::TenantId,
    outbox::JsonlOutbox,
};

#[async_trait]
pub trait Mailer: Send + Sync {
    async fn send(
        &self,
        tenant: TenantId,
        to: &str,
        subject: &str,
        body: &str,
    ) -> anyhow::Result<()>;

    /// For readiness: can mail be sent now?
    async fn check(&self) -> anyhow::Result<()>;
}

/// Appends `{"tenant_id", "to", "subject", "body", "sent_at"}` lines.
pub struct MailOutbox(JsonlOutbox);

#[derive(Serialize)]
struct Line<'a> {
    tenant_id: String,
    to: &'a str,
    subject: &'a str,
    body: &'a str,
}

#[async_trait]
impl Mailer for MailOutbox {
    async fn send(
        &self,
        tenant: TenantId,
        to: &str,
        subject: &str,
        body: &str,
    ) -> anyhow::Result<()> {
        let line = Line {
            tenant_id: tenant.to_string(),
            to,
            subject,
            body,
        };
        self.0.append(line).await
    }

    async fn check(&self) -> anyhow::Result<()> {
        self.0.check().await
    }
}

pub struct SnsTopicMailer {
    client: Client,
    topic_arn: String,
}

#[async_trait]
impl Mailer for SnsTopicMailer {
    async fn send(
        &self,
        tenant: TenantId,
        to: &str,
        subject: &str,
        body: &str,
    ) -> anyhow::Result<()> {
        let attribute = |v: String| {
            MessageAttributeValue::builder()
                .data_type("String")
                .string_value(v)
                .build()
        };
        self.client
            .publish()
            .topic_arn(&self.topic_arn)
            .subject(sns_subject(subject))
            .message(format!("{subject}\n\n{body}"))
            .message_attributes(
                "tenant_id",
                attribute(tenant.to_string()).context("SNS attribute")?,
            )
            .message_attributes("email", attribute(to.to_owned()).context("SNS attribute")?)
            .send()
            .await
            .context("SNS Publish to the notice topic failed")?;
        Ok(())
    }

    async fn check(&self) -> anyhow::Result<()> {
        self.client
            .get_topic_attributes()
            .topic_arn(&self.topic_arn)
            .send()
            .await
            .context("the SNS notice topic is not reachable")?;
        Ok(())
    }
}

/// SNS takes only printable ASCII subjects under 100 characters; the full
/// (Japanese) subject leads the message instead.
fn sns_subject(subject: &str) -> String {
    let ascii: String = subject
        .chars()
        .filter(|c| c.is_ascii_graphic() || *c == ' ')
        .collect();
    let words: Vec<&str> = ascii
        .split_whitespace()
        .filter(|w| w.chars().any(|c| c.is_ascii_alphanumeric()))
        .collect();
    match words.join(" ").chars().take(99).collect::<String>() {
        s if s.trim().is_empty() => "Crepo notice".to_owned(),
        s => s,
    }
}

pub async fn from_settings(settings: &Settings, clock: Clock) -> anyhow::Result<Arc<dyn Mailer>> {
    Ok(match &settings.sms {
        SmsSettings::Outbox(_) => Arc::new(MailOutbox(JsonlOutbox::open(
            settings.data_dir.join("mail-outbox.jsonl"),
            clock,
        )?)),
        SmsSettings::Sns => Arc::new(SnsTopicMailer {
            client: Client::new(&crate::aws::sdk_config(&settings.aws).await),
            topic_arn: settings
                .notice_topic_arn
                .clone()
                .context("CREPO_NOTICE_TOPIC_ARN: required with CREPO_SMS=sns")?,
        }),
    })
}

#[cfg(test)]
mod tests {
    use super::sns_subject;

    #[test]
    fn sns_subjects_are_short_printable_ascii() {
        let s = sns_subject("[Crepo] Incident / 障害のお知らせ: DB 障害");
        assert_eq!(s, "[Crepo] Incident DB");
        assert_eq!(sns_subject("障害"), "Crepo notice");
        assert!(sns_subject(&"x".repeat(300)).len() < 100);
    }
}
