//! Storage shapes. API types live with their capability and convert from these.
//! `session`, `mfa_challenge` and `sms_send` exist both in the platform (for
//! operators) and in each tenant (for users).

pub mod access_log;
pub mod access_log_anchor;
pub mod access_log_checkpoint;
pub mod access_log_head;
pub mod file;
pub mod label;
pub mod mfa_challenge;
pub mod notice;
pub mod notice_delivery;
pub mod notice_read;
pub mod notice_update;
pub mod operator;
pub mod password_history;
pub mod password_policy;
pub mod platform_audit;
pub mod project;
pub mod project_label;
pub mod project_member;
pub mod refresh_token;
pub mod role;
pub mod role_label;
pub mod session;
pub mod sms_send;
pub mod tenant;
pub mod user;
pub mod user_role;
