use std::path::PathBuf;

use async_trait::async_trait;
use serde::Serialize;

use super::SmsSender;
use crate::{clock::Clock, outbox::JsonlOutbox};

/// Appends `{"to", "body", "sent_at"}` lines to a file instead of sending.
pub struct Outbox(JsonlOutbox);

#[derive(Serialize)]
struct Line<'a> {
    to: &'a str,
    body: &'a str,
}

impl Outbox {
    pub fn open(path: PathBuf, clock: Clock) -> anyhow::Result<Self> {
        Ok(Self(JsonlOutbox::open(path, clock)?))
    }
}

#[async_trait]
impl SmsSender for Outbox {
    fn kind(&self) -> &'static str {
        "outbox"
    }

    async fn send(&self, to: &str, body: &str) -> anyhow::Result<()> {
        self.0.append(Line { to, body }).await
    }

    async fn check(&self) -> anyhow::Result<()> {
        self.0.check().await
    }
}
