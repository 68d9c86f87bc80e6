use sea_orm_migration::prelude::*;

mod m20261125_000001_create_tenants;
mod m20261125_000002_create_rate_limits;

/// Migrates the platform schema (`public` on PostgreSQL, the main file on SQLite).
pub struct PlatformMigrator;

#[async_trait::async_trait]
impl MigratorTrait for PlatformMigrator {
    fn migration_table_name() -> DynIden {
        Alias::new("platform_migrations").into_iden()
    }

    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261125_000001_create_tenants::Migration),
            Box::new(m20261125_000002_create_rate_limits::Migration),
        ]
    }
}
