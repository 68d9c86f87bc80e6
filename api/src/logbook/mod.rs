//! The recording side of the tenant's tamper-evident access log: entries,
//! the hash chain, the batching writer, signed checkpoints anchored in the
//! platform, verification, retention purges and reads. No HTTP here: the
//! handlers are in `access_log` (tenant API) and `ops` (operator API), and
//! the request middleware in `http::request_log`.

pub mod checkpoint;
pub mod entry;
pub mod export;
pub mod maintenance;
pub mod purge;
pub mod read;
pub mod signing;
pub mod verify;
pub mod writer;

pub use entry::NewEntry;
pub use writer::AccessLog;
