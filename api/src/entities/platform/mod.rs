//! Tables of the platform database.

pub mod access_log_anchor;
pub mod access_log_checkpoint;
pub mod evaluation_queue;
pub mod export_queue;
pub mod notice;
pub mod notice_delivery;
pub mod notice_update;
pub mod operator;
pub mod platform_audit;
pub mod slug_quarantine;
pub mod tenant;
pub mod tenant_erasure;
