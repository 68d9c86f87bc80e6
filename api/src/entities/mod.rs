//! Storage shapes, one folder per place they live. API types live with their
//! capability and convert from these.
//!
//! - `platform`: the platform database (tenants, operators, audit, notices,
//!   the access-log anchors and checkpoints kept outside the tenant).
//! - `tenant`: every tenant's own schema (or SQLite file).
//! - `shared`: tables that exist in both, with the same shape: sessions,
//!   one-time codes and SMS sends (operators in the platform, users in a tenant).

pub mod platform;
pub mod shared;
pub mod tenant;
