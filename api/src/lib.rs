//! Crepo platform API: a multi-tenant JSON API with one PostgreSQL schema (or
//! SQLite file) per tenant. The layers and the rules between them are in
//! `docs/architecture.md`; modules are listed here from the bottom up.

// Foundation: no I/O, no application state.
pub mod clock;
pub mod config;
pub mod entities;
pub mod error;
pub mod ids;
pub mod page;
pub mod serde_ext;
pub mod text;
pub mod values;

// Infrastructure: databases, stores, senders, keys, the access-log recorder.
pub mod audit;
pub mod aws;
pub mod db;
pub mod logbook;
pub mod mail;
pub mod metrics;
pub mod outbox;
pub mod passwords;
pub mod private_fs;
pub mod probes;
pub mod sms;
pub mod storage;
pub mod throttle;
pub mod tls;
pub mod tokens;

// The application state, and the HTTP plumbing that reads it.
pub mod http;
pub mod state;
pub mod telemetry;

// Capabilities, in groups: a capability imports only capabilities of the
// groups before its own (docs/architecture.md).
pub mod access;

pub mod accounts;

pub mod auth;

pub mod labels;
pub mod ops;

pub mod access_log;
pub mod evaluations;
pub mod health;
pub mod me;
pub mod notices;
pub mod projects;
pub mod roles;
pub mod settings;
pub mod signup;
pub mod support;
pub mod termination;
pub mod users;

pub mod exports;
pub mod files;

// Composition: the route table, the OpenAPI document, the server, the CLI.
pub mod cli;
pub mod openapi;
pub mod routes;
pub mod startup;

pub use config::Settings;
pub use startup::Application;
