//! Tables of one tenant's schema (PostgreSQL) or file (SQLite).

pub mod access_log;
pub mod access_log_head;
pub mod access_log_outbox;
pub mod export;
pub mod file;
pub mod file_evaluation;
pub mod label;
pub mod notice_read;
pub mod password_history;
pub mod password_policy;
pub mod project;
pub mod project_label;
pub mod project_member;
pub mod refresh_token;
pub mod role;
pub mod role_label;
pub mod security_contact;
pub mod user;
pub mod user_role;
