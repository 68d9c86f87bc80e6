//! Schema migrations. Platform tables (tenants, operators, notices, platform audit)
//! live apart from tenant tables; each tenant schema (PostgreSQL) or file (SQLite)
//! runs the tenant migrator on its own and tracks it in its own table.

pub use sea_orm_migration::MigratorTrait;

pub mod platform;
mod shared;
pub mod tenant;

pub use platform::PlatformMigrator;
pub use tenant::TenantMigrator;
