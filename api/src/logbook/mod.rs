//! The recording side of the tenant's tamper-evident access log: entries,
//! the hash chain, the batching writer, signed checkpoints anchored in the
//! platform, verification, retention purges and reads. No HTTP here: the
//! handlers are in `access_log` (tenant API) and `ops` (operator API), and
//! the request middleware in `http::request_log`.

mod append;
mod batch;
pub mod checkpoint;
pub mod entry;
pub mod export;
pub mod guard;
pub mod maintenance;
pub mod outbox;
pub mod purge;
pub mod read;
pub mod signing;
pub mod verify;
pub mod writer;

pub use entry::NewEntry;
pub use writer::AccessLog;

use std::time::Duration;

use crate::ids::TenantId;

/// How the writer is tuned.
#[derive(Debug, Clone)]
pub struct WriterSettings {
    /// Sign after this many entries…
    pub every: i64,
    /// …or this long after the last checkpoint.
    pub interval: Duration,
    /// Entries one tenant may have waiting.
    pub capacity: usize,
    /// How long a request waits for its entry to be queued (and a security
    /// event to be written) before it fails.
    pub deadline: Duration,
}

/// One tenant's queue, as `/metrics` sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TenantBacklog {
    pub tenant: TenantId,
    pub waiting: usize,
    /// Its last append failed and is being retried.
    pub failing: bool,
    /// Its log disagrees with the platform's anchor: nothing is appended.
    pub tampered: bool,
}
