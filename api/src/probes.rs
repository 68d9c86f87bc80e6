//! The latest result of each background dependency check (object storage,
//! SMS, mail), read by readiness and `/metrics`; the prober in `health`
//! writes them.

use std::{collections::BTreeMap, sync::Arc};

use chrono::{DateTime, Utc};
use tokio::sync::RwLock;

#[derive(Debug, Clone)]
pub struct ProbeResult {
    pub ok: bool,
    pub latency_ms: f64,
    pub checked_at: DateTime<Utc>,
    pub error: Option<String>,
}

/// Latest result per dependency name.
#[derive(Clone, Default)]
pub struct Probes(Arc<RwLock<BTreeMap<&'static str, ProbeResult>>>);

impl Probes {
    pub async fn get(&self, name: &str) -> Option<ProbeResult> {
        self.0.read().await.get(name).cloned()
    }

    pub async fn set(&self, name: &'static str, result: ProbeResult) {
        self.0.write().await.insert(name, result);
    }
}
