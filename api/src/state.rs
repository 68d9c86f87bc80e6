//! The application state: everything a request handler or background task
//! may use, built once by `startup` and shared by every worker. It sits below
//! the capabilities (they import it) and above the infrastructure it holds.

use std::{collections::HashMap, sync::Arc};

use crate::{
    clock::Clock,
    config::Settings,
    db::Db,
    logbook::{signing::LogSigner, AccessLog},
    mail::Mailer,
    metrics::Metrics,
    passwords::PasswordRules,
    probes::Probes,
    sms::SmsSender,
    storage::ObjectStore,
    tokens::Keys,
};

/// Everything a request handler may use; built once, shared by all workers.
pub struct AppState {
    pub settings: Arc<Settings>,
    pub db: Db,
    pub storage: Arc<dyn ObjectStore>,
    pub sms: Arc<dyn SmsSender>,
    pub metrics: Metrics,
    pub probes: Probes,
    pub passwords: PasswordRules,
    pub keys: Keys,
    pub clock: Clock,
    pub mailer: Arc<dyn Mailer>,
    /// Wakes the notice delivery worker when something is queued.
    pub delivery_wakeup: Arc<tokio::sync::Notify>,
    /// Wakes this node's export worker when an export is requested.
    pub export_wakeup: Arc<tokio::sync::Notify>,
    pub access_log: AccessLog,
    pub log_signer: Arc<LogSigner>,
    /// Verified when there is no account, so failures take equally long.
    pub dummy_hash: String,
    /// The OpenAPI document as served at `/api/v1/openapi.json`.
    pub openapi_json: String,
    /// Methods per route template, for 405 answers.
    pub route_methods: HashMap<String, Vec<String>>,
    /// Wakes this node's evaluation worker when a design is uploaded or re-run.
    pub evaluation_wakeup: Arc<tokio::sync::Notify>,
    /// Designs evaluated at once on this node: one per core.
    pub evaluations: Arc<tokio::sync::Semaphore>,
    /// Thumbnails decoded at once on this node.
    pub thumbnails: Arc<tokio::sync::Semaphore>,
}
