//! Crepo platform API: a multi-tenant JSON API with one PostgreSQL schema (or
//! SQLite file) per tenant.

pub mod access;
pub mod access_log;
pub mod auth;
pub mod aws;
pub mod cli;
pub mod clock;
pub mod config;
pub mod db;
pub mod entities;
pub mod error;
pub mod files;
pub mod health;
pub mod http;
pub mod ids;
pub mod labels;
pub mod mail;
pub mod me;
pub mod notices;
pub mod openapi;
pub mod ops;
pub mod passwords;
pub mod projects;
pub mod roles;
pub mod serde_ext;
pub mod settings;
pub mod signup;
pub mod sms;
pub mod startup;
pub mod storage;
pub mod telemetry;
pub mod tenancy;
pub mod throttle;
pub mod tls;
pub mod users;
pub mod validate;

pub use config::Settings;
pub use startup::Application;
