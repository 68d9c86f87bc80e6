//! What one log entry holds, and its hash: SHA-256 over a canonical JSON
//! encoding of the sequence number, the previous hash and every recorded field.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use uuid::Uuid;

use crate::{entities::tenant::access_log, text::escape_for_log};

/// The hash before the first entry.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// An entry waiting for its place in the chain.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct NewEntry {
    pub event: String,
    pub user_id: Option<Uuid>,
    pub user_email: Option<String>,
    pub ip: Option<String>,
    pub user_agent: Option<String>,
    pub method: Option<String>,
    pub route: Option<String>,
    pub path: Option<String>,
    pub status: Option<i32>,
    pub latency_ms: Option<i32>,
    pub request_id: Option<String>,
    pub details: serde_json::Value,
}

impl NewEntry {
    pub fn event(event: &str) -> Self {
        Self {
            event: event.into(),
            details: serde_json::json!({}),
            ..Default::default()
        }
    }

    /// Control characters escaped in every string, so no entry can forge
    /// lines or fields in a viewer or an export.
    fn clean(s: Option<String>, max: usize) -> Option<String> {
        s.map(|v| escape_for_log(&v).chars().take(max).collect())
    }

    /// The stored row at `seq` after `prev_hash`, hash included.
    pub fn into_model(self, seq: i64, prev_hash: &str, at: DateTime<Utc>) -> access_log::Model {
        let mut m = access_log::Model {
            seq,
            at: truncate_to_millis(at),
            event: escape_for_log(&self.event),
            user_id: self.user_id,
            user_email: Self::clean(self.user_email, 320),
            ip: Self::clean(self.ip, 64),
            user_agent: Self::clean(self.user_agent, 512),
            method: Self::clean(self.method, 16),
            route: Self::clean(self.route, 512),
            path: Self::clean(self.path, 2048),
            status: self.status,
            latency_ms: self.latency_ms,
            request_id: Self::clean(self.request_id, 128),
            details: escape_strings(self.details).to_string(),
            prev_hash: prev_hash.to_owned(),
            hash: String::new(),
        };
        m.hash = hash_of(&m);
        m
    }
}

fn escape_strings(v: serde_json::Value) -> serde_json::Value {
    use serde_json::Value;
    match v {
        Value::String(s) => Value::String(escape_for_log(&s)),
        Value::Array(items) => Value::Array(items.into_iter().map(escape_strings).collect()),
        Value::Object(map) => Value::Object(
            map.into_iter()
                .map(|(k, v)| (escape_for_log(&k), escape_strings(v)))
                .collect(),
        ),
        other => other,
    }
}

/// Timestamps are kept to the millisecond, so what is stored is what is hashed.
pub use crate::clock::{format_time, truncate_to_millis};

/// Field order is fixed by this struct: the encoding is canonical.
#[derive(Serialize)]
struct Canonical<'a> {
    seq: i64,
    prev_hash: &'a str,
    at: String,
    event: &'a str,
    user_id: Option<String>,
    user_email: Option<&'a str>,
    ip: Option<&'a str>,
    user_agent: Option<&'a str>,
    method: Option<&'a str>,
    route: Option<&'a str>,
    path: Option<&'a str>,
    status: Option<i32>,
    latency_ms: Option<i32>,
    request_id: Option<&'a str>,
    details: &'a str,
}

/// The hash an entry must carry (its own `hash` field is not an input).
pub fn hash_of(m: &access_log::Model) -> String {
    let canonical = Canonical {
        seq: m.seq,
        prev_hash: &m.prev_hash,
        at: format_time(m.at),
        event: &m.event,
        user_id: m.user_id.map(|u| u.to_string()),
        user_email: m.user_email.as_deref(),
        ip: m.ip.as_deref(),
        user_agent: m.user_agent.as_deref(),
        method: m.method.as_deref(),
        route: m.route.as_deref(),
        path: m.path.as_deref(),
        status: m.status,
        latency_ms: m.latency_ms,
        request_id: m.request_id.as_deref(),
        details: &m.details,
    };
    let bytes = serde_json::to_vec(&canonical).unwrap_or_default();
    hex::encode(Sha256::digest(&bytes))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn any_field_change_changes_the_hash() {
        let at = Utc::now();
        let base = NewEntry {
            user_email: Some("a@b.example".into()),
            status: Some(200),
            ..NewEntry::event("http.request")
        }
        .into_model(7, GENESIS, at);
        assert_eq!(hash_of(&base), base.hash);
        let mut edited = base.clone();
        edited.status = Some(500);
        assert_ne!(hash_of(&edited), base.hash);
        let mut moved = base.clone();
        moved.seq = 8;
        assert_ne!(hash_of(&moved), base.hash);
        let mut relinked = base.clone();
        relinked.prev_hash = "1".repeat(64);
        assert_ne!(hash_of(&relinked), base.hash);
    }

    #[test]
    fn control_characters_are_escaped_before_hashing() {
        let m = NewEntry {
            user_agent: Some("evil\nlevel=admin".into()),
            details: serde_json::json!({ "email": "x\r\ny" }),
            ..NewEntry::event("auth.login.failed")
        }
        .into_model(1, GENESIS, Utc::now());
        assert_eq!(m.user_agent.as_deref(), Some("evil\\u{a}level=admin"));
        assert!(!m.details.contains('\r'));
    }
}
