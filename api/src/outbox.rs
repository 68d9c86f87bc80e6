//! JSON-lines outbox files: where text messages and mail go in development
//! and tests instead of to a provider. One object per line, each stamped
//! with `sent_at` by the application's clock.

use std::path::PathBuf;

use anyhow::Context;
use chrono::SecondsFormat;
use serde::Serialize;
use tokio::{io::AsyncWriteExt, sync::Mutex};

use crate::clock::Clock;

pub struct JsonlOutbox {
    path: PathBuf,
    /// Serialises this node's appends; O_APPEND keeps other writers' lines whole.
    lock: Mutex<()>,
    clock: Clock,
}

#[derive(Serialize)]
struct Stamped<T> {
    #[serde(flatten)]
    record: T,
    sent_at: String,
}

impl JsonlOutbox {
    /// Creates the file's folder; the file itself appears with the first line.
    pub fn open(path: PathBuf, clock: Clock) -> anyhow::Result<Self> {
        if let Some(parent) = path.parent() {
            crate::private_fs::create_dir(parent)
                .with_context(|| format!("cannot create {}", parent.display()))?;
        }
        Ok(Self {
            path,
            lock: Mutex::new(()),
            clock,
        })
    }

    /// Appends `record` with its `sent_at` as one line.
    pub async fn append(&self, record: impl Serialize) -> anyhow::Result<()> {
        let stamped = Stamped {
            record,
            sent_at: self
                .clock
                .now()
                .to_rfc3339_opts(SecondsFormat::Millis, true),
        };
        let mut line = serde_json::to_vec(&stamped)?;
        line.push(b'\n');
        self.write(&line).await
    }

    /// Readiness: can this node write the file?
    pub async fn check(&self) -> anyhow::Result<()> {
        self.write(b"").await
    }

    async fn write(&self, bytes: &[u8]) -> anyhow::Result<()> {
        let _guard = self.lock.lock().await;
        let mut file = tokio::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .mode(crate::private_fs::FILE_MODE)
            .open(&self.path)
            .await
            .with_context(|| format!("cannot open {}", self.path.display()))?;
        file.write_all(bytes).await?;
        file.flush().await?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn each_record_is_one_stamped_json_line() {
        let dir = std::env::temp_dir().join(format!("crepo-outbox-{}", uuid::Uuid::new_v4()));
        let path = dir.join("out/box.jsonl");
        let outbox = JsonlOutbox::open(path.clone(), Clock::default()).unwrap();
        outbox
            .append(serde_json::json!({"to": "+81", "body": "a\nb"}))
            .await
            .unwrap();
        outbox
            .append(serde_json::json!({"to": "+82", "body": "c"}))
            .await
            .unwrap();
        let text = std::fs::read_to_string(path).unwrap();
        let lines: Vec<serde_json::Value> = text
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        assert_eq!(lines.len(), 2);
        assert_eq!(lines[0]["body"], "a\nb");
        assert!(lines[1]["sent_at"].as_str().unwrap().ends_with('Z'));
        std::fs::remove_dir_all(dir).unwrap();
    }
}
