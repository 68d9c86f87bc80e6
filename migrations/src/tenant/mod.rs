use sea_orm_migration::prelude::*;

mod m20261125_100001_create_users;
mod m20261125_100002_create_roles;
mod m20261125_100003_create_user_roles;

/// Migrates one tenant: run it inside a transaction whose `search_path` is that
/// tenant's schema (PostgreSQL) or on that tenant's own file (SQLite).
pub struct TenantMigrator;

#[async_trait::async_trait]
impl MigratorTrait for TenantMigrator {
    fn migration_table_name() -> DynIden {
        Alias::new("tenant_migrations").into_iden()
    }

    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261125_100001_create_users::Migration),
            Box::new(m20261125_100002_create_roles::Migration),
            Box::new(m20261125_100003_create_user_roles::Migration),
        ]
    }
}
