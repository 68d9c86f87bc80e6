//! Page cursors for projects.

use base64::{engine::general_purpose::URL_SAFE_NO_PAD, Engine};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::error::ApiError;

/// Where a page ended: the sort key and id of its last item.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub enum Cursor {
    #[serde(rename = "u")]
    Updated(DateTime<Utc>, Uuid),
    #[serde(rename = "n")]
    Name(String, Uuid),
}

impl Cursor {
    pub fn encode(&self) -> String {
        URL_SAFE_NO_PAD.encode(serde_json::to_vec(self).unwrap_or_default())
    }

    pub fn decode(s: &str) -> Result<Cursor, ApiError> {
        URL_SAFE_NO_PAD
            .decode(s)
            .ok()
            .and_then(|b| serde_json::from_slice(&b).ok())
            .ok_or_else(|| {
                ApiError::field("cursor", "invalid_cursor", "is not a cursor from this list")
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursors_round_trip_and_garbage_is_refused() {
        let c = Cursor::Name("緑茶".into(), Uuid::now_v7());
        assert_eq!(Cursor::decode(&c.encode()).unwrap(), c);
        assert!(Cursor::decode("garbage!").is_err());
    }
}
