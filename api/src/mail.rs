//! Email behind one trait: an outbox file in development (one JSON object per
//! line) or Amazon SES (`CREPO_MAIL=ses`, sent from `CREPO_MAIL_FROM`).

use std::sync::Arc;

use anyhow::Context;
use async_trait::async_trait;
use aws_sdk_sesv2::{
    types::{Body, Content, Destination, EmailContent, Message, MessageTag},
    Client,
};
use serde::Serialize;

use crate::{
    clock::Clock,
    config::{MailSettings, Settings},
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

/// Amazon SES (v2 `SendEmail`) from a verified identity: transactional
/// mail reaches each administrator directly (an SNS email subscription
/// would have to be confirmed by every address first).
pub struct SesMailer {
    client: Client,
    from: String,
}

#[async_trait]
impl Mailer for SesMailer {
    async fn send(
        &self,
        tenant: TenantId,
        to: &str,
        subject: &str,
        body: &str,
    ) -> anyhow::Result<()> {
        let text = |v: &str| Content::builder().data(v).charset("UTF-8").build();
        let message = Message::builder()
            .subject(text(subject).context("SES subject")?)
            .body(
                Body::builder()
                    .text(text(body).context("SES body")?)
                    .build(),
            )
            .build();
        self.client
            .send_email()
            .from_email_address(&self.from)
            .destination(Destination::builder().to_addresses(to).build())
            .content(EmailContent::builder().simple(message).build())
            .email_tags(
                MessageTag::builder()
                    .name("tenant_id")
                    .value(tenant.to_string())
                    .build()
                    .context("SES tag")?,
            )
            .send()
            .await
            .context("SES SendEmail failed")?;
        Ok(())
    }

    async fn check(&self) -> anyhow::Result<()> {
        self.client
            .get_email_identity()
            .email_identity(&self.from)
            .send()
            .await
            .context("the SES sending identity is not reachable or not set up")?;
        Ok(())
    }
}

pub async fn from_settings(settings: &Settings, clock: Clock) -> anyhow::Result<Arc<dyn Mailer>> {
    Ok(match &settings.mail {
        MailSettings::Outbox(path) => Arc::new(MailOutbox(JsonlOutbox::open(path.clone(), clock)?)),
        MailSettings::Ses { from } => Arc::new(SesMailer {
            client: Client::new(&crate::aws::sdk_config(&settings.aws).await),
            from: from.clone(),
        }),
    })
}
