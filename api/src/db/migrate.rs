//! `crepo migrate`: the platform, then every tenant, each reported on its own.
//! One tenant failing does not stop the others.

use sea_orm::DbErr;

use super::Db;
use crate::ids::TenantId;
use crepo_migrations::{MigratorTrait, PlatformMigrator};

#[derive(Debug)]
pub struct TenantOutcome {
    pub tenant: TenantId,
    pub slug: String,
    /// Migrations applied, or the error.
    pub result: Result<usize, String>,
}

#[derive(Debug)]
pub struct MigrationReport {
    pub platform_applied: usize,
    pub tenants: Vec<TenantOutcome>,
}

impl MigrationReport {
    pub fn failures(&self) -> usize {
        self.tenants.iter().filter(|t| t.result.is_err()).count()
    }
}

impl Db {
    pub async fn migrate_platform(&self) -> Result<usize, DbErr> {
        let pending = PlatformMigrator::get_pending_migrations(self.platform())
            .await?
            .len();
        PlatformMigrator::up(self.platform(), None).await?;
        Ok(pending)
    }

    /// Migrates the platform and then each tenant in turn. Tenants are done one
    /// at a time: migrating many schemas in parallel deadlocks on catalog locks.
    pub async fn migrate_all(&self) -> Result<MigrationReport, DbErr> {
        let platform_applied = self.migrate_platform().await?;
        let mut tenants = Vec::new();
        for t in self.tenants().await? {
            let id = TenantId(t.id);
            let result = self.migrate_one(id).await.map_err(|e| e.to_string());
            match &result {
                Ok(n) => {
                    tracing::info!(tenant_id = %id, slug = %t.slug, applied = n, "tenant migrated")
                }
                Err(e) => {
                    tracing::error!(tenant_id = %id, slug = %t.slug, error = %e, "tenant migration failed")
                }
            }
            tenants.push(TenantOutcome {
                tenant: id,
                slug: t.slug,
                result,
            });
        }
        Ok(MigrationReport {
            platform_applied,
            tenants,
        })
    }

    async fn migrate_one(&self, tenant: TenantId) -> Result<usize, DbErr> {
        self.migrate_tenant(tenant).await
    }
}
