//! Black-box tests over HTTP against the real app: one test binary (one link
//! step) whose modules are the capabilities. Each test still starts its own
//! app on a free port with its own data directory or PostgreSQL database, and
//! nextest runs each test in its own process, so they run in parallel.

mod access_log;
mod access_log_guard;
mod access_log_integrity;
mod access_log_maintenance;
mod access_log_tamper;
mod admin_console;
mod architecture;
mod auth_hardening;
mod auth_login;
mod auth_mfa;
mod auth_tokens;
mod authz_matrix;
mod backends;
mod bad_input;
mod binary;
mod browser_session;
mod exports;
mod faults;
mod files;
mod files_memory;
mod files_thumbnails;
mod health;
mod hostile_bodies;
mod hostile_clients;
mod http_basics;
mod log_isolation;
mod migrate;
mod my_sessions;
mod notice_delivery;
mod notice_lifecycle;
mod notices;
mod openapi;
mod ops;
mod password_policy;
mod phone_change;
mod platform_records;
mod project_access;
mod projects;
mod resource_bounds;
mod role_rules;
mod roles;
mod scope_escalation;
mod secrets;
mod signup;
mod slow_clients;
mod sms_limits;
mod storage_streaming;
mod suspension;
mod temporary_passwords;
mod termination;
mod tenancy;
mod tls;
mod users;
