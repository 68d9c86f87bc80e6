use std::path::PathBuf;

use anyhow::Context;
use async_trait::async_trait;
use serde::Serialize;
use tokio::{io::AsyncWriteExt, sync::Mutex};

use super::SmsSender;

/// Appends `{"to", "body", "sent_at"}` lines to a file instead of sending.
pub struct Outbox {
    path: PathBuf,
    /// Serialises this node's appends; O_APPEND keeps other writers' lines whole.
    lock: Mutex<()>,
}

#[derive(Serialize)]
struct Line<'a> {
    to: &'a str,
    body: &'a str,
    sent_at: String,
}

impl Outbox {
    pub fn open(path: PathBuf) -> anyhow::Result<Self> {
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)
                .with_context(|| format!("cannot create {}", parent.display()))?;
        }
        Ok(Self {
            path,
            lock: Mutex::new(()),
        })
    }

    async fn append(&self, line: &[u8]) -> anyhow::Result<()> {
        let _guard = self.lock.lock().await;
        let mut file = tokio::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&self.path)
            .await
            .with_context(|| format!("cannot open {}", self.path.display()))?;
        file.write_all(line).await?;
        file.flush().await?;
        Ok(())
    }
}

#[async_trait]
impl SmsSender for Outbox {
    fn kind(&self) -> &'static str {
        "outbox"
    }

    async fn send(&self, to: &str, body: &str) -> anyhow::Result<()> {
        let line = Line {
            to,
            body,
            sent_at: chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
        };
        let mut bytes = serde_json::to_vec(&line)?;
        bytes.push(b'\n');
        self.append(&bytes).await
    }

    async fn check(&self) -> anyhow::Result<()> {
        self.append(b"").await
    }
}
