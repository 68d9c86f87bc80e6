//! The one door to tenant data.

use std::{ops::Deref, str::FromStr};

use sea_orm::{
    ConnectionTrait, DatabaseConnection, DatabaseTransaction, DbErr, Statement, TransactionTrait,
};
use sqlx::sqlite::SqliteConnectOptions;

use super::{connect::open_sqlite_tenant, Db, Engine};
use crate::tenancy::TenantId;
use crepo_migrations::{MigratorTrait, TenantMigrator};

/// A transaction that sees exactly one tenant's tables: on PostgreSQL its
/// `search_path` holds only the tenant's schema (set with `SET LOCAL`, so it
/// cannot leak into another transaction on the same pooled connection); on
/// SQLite it runs on the tenant's own file. Dropping it rolls back.
pub struct TenantTx {
    tenant: TenantId,
    txn: DatabaseTransaction,
}

impl TenantTx {
    pub fn tenant(&self) -> TenantId {
        self.tenant
    }

    pub async fn commit(self) -> Result<(), DbErr> {
        self.txn.commit().await
    }
}

impl Deref for TenantTx {
    type Target = DatabaseTransaction;
    fn deref(&self) -> &DatabaseTransaction {
        &self.txn
    }
}

impl Db {
    /// Opens a transaction scoped to `tenant`. The tenant must exist.
    pub async fn tenant_tx(&self, tenant: TenantId) -> Result<TenantTx, DbErr> {
        let txn = match self.inner.engine {
            Engine::Postgres => self.scoped_pg_txn(tenant).await?,
            Engine::Sqlite => self.sqlite_tenant(tenant, false).await?.begin().await?,
        };
        Ok(TenantTx { tenant, txn })
    }

    /// Creates the tenant's schema (or file) and runs the tenant migrations in
    /// it, all inside the returned transaction: the caller seeds its first rows
    /// and commits. On PostgreSQL a rollback leaves no schema behind; on SQLite
    /// call [`Db::remove_tenant_storage`] when provisioning fails.
    pub async fn provision_tenant(&self, tenant: TenantId) -> Result<TenantTx, DbErr> {
        let txn = match self.inner.engine {
            Engine::Postgres => {
                let txn = self.inner.platform.begin().await?;
                exec(&txn, &format!("CREATE SCHEMA \"{}\"", tenant.schema_name())).await?;
                exec(
                    &txn,
                    &format!("SET LOCAL search_path TO \"{}\"", tenant.schema_name()),
                )
                .await?;
                txn
            }
            Engine::Sqlite => {
                let path = self.tenant_file(tenant);
                if path.exists() {
                    return Err(DbErr::Custom(format!(
                        "tenant file {} already exists",
                        path.display()
                    )));
                }
                self.sqlite_tenant(tenant, true).await?.begin().await?
            }
        };
        TenantMigrator::up(&txn, None).await?;
        Ok(TenantTx { tenant, txn })
    }

    /// Drops the tenant's schema or file (failed provisioning, termination).
    pub async fn remove_tenant_storage(&self, tenant: TenantId) -> Result<(), DbErr> {
        match self.inner.engine {
            Engine::Postgres => {
                exec(
                    &self.inner.platform,
                    &format!("DROP SCHEMA IF EXISTS \"{}\" CASCADE", tenant.schema_name()),
                )
                .await
            }
            Engine::Sqlite => {
                if let Some(conn) = self.inner.sqlite_tenants.lock().await.remove(&tenant) {
                    let _ = conn.close().await;
                }
                let path = self.tenant_file(tenant);
                for suffix in ["", "-wal", "-shm"] {
                    let file = format!("{}{suffix}", path.display());
                    match std::fs::remove_file(&file) {
                        Ok(()) => {}
                        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                        Err(e) => return Err(DbErr::Custom(format!("cannot remove {file}: {e}"))),
                    }
                }
                Ok(())
            }
        }
    }

    async fn scoped_pg_txn(&self, tenant: TenantId) -> Result<DatabaseTransaction, DbErr> {
        let txn = self.inner.platform.begin().await?;
        exec(
            &txn,
            &format!("SET LOCAL search_path TO \"{}\"", tenant.schema_name()),
        )
        .await?;
        Ok(txn)
    }

    fn tenant_file(&self, tenant: TenantId) -> std::path::PathBuf {
        self.inner
            .tenant_dir
            .join(format!("{}.db", tenant.as_uuid()))
    }

    async fn sqlite_tenant(
        &self,
        tenant: TenantId,
        create: bool,
    ) -> Result<DatabaseConnection, DbErr> {
        let mut open = self.inner.sqlite_tenants.lock().await;
        if let Some(conn) = open.get(&tenant) {
            return Ok(conn.clone());
        }
        let path = self.tenant_file(tenant);
        if !create && !path.exists() {
            return Err(DbErr::RecordNotFound(format!(
                "tenant {tenant} has no database"
            )));
        }
        let options = SqliteConnectOptions::from_str("sqlite://")
            .map_err(|e| DbErr::Custom(e.to_string()))?
            .filename(&path);
        let conn = open_sqlite_tenant(options);
        open.insert(tenant, conn.clone());
        Ok(conn)
    }
}

async fn exec(conn: &impl ConnectionTrait, sql: &str) -> Result<(), DbErr> {
    conn.execute(Statement::from_string(
        conn.get_database_backend(),
        sql.to_owned(),
    ))
    .await
    .map(|_| ())
}
