//! The one door to tenant data: a transaction that sees one tenant only.
//! Request handlers get theirs from `auth::TenantCtx` (opened when first
//! used, committed by the door when the handler succeeds) or, before anyone
//! is signed in, from [`Db::in_tenant`]; background workers open their own.

use std::{str::FromStr, sync::atomic::Ordering};

use sea_orm::{
    ConnectionTrait, DatabaseConnection, DatabaseTransaction, DbBackend, DbErr, ExecResult,
    QueryResult, Statement, TransactionTrait,
};
use sqlx::sqlite::SqliteConnectOptions;

use super::{connect::open_sqlite_tenant, Db, Engine};
use crate::ids::TenantId;
use crepo_migrations::{MigratorTrait, TenantMigrator};

/// A transaction that sees exactly one tenant's tables: on PostgreSQL its
/// `search_path` holds only the tenant's schema (set with `SET LOCAL`, so it
/// cannot leak into another transaction on the same pooled connection); on
/// SQLite it runs on the tenant's own file. Dropping it rolls back. Use it
/// wherever sea-orm wants a connection (`&tx`).
pub struct TenantTx {
    tenant: TenantId,
    txn: DatabaseTransaction,
}

impl TenantTx {
    pub fn tenant(&self) -> TenantId {
        self.tenant
    }

    /// For the doors and the background workers; handlers never commit.
    pub async fn commit(self) -> Result<(), DbErr> {
        super::round_trip();
        self.txn.commit().await
    }
}

#[async_trait::async_trait]
impl ConnectionTrait for TenantTx {
    fn get_database_backend(&self) -> DbBackend {
        self.txn.get_database_backend()
    }

    async fn execute(&self, stmt: Statement) -> Result<ExecResult, DbErr> {
        self.txn.execute(stmt).await
    }

    async fn execute_unprepared(&self, sql: &str) -> Result<ExecResult, DbErr> {
        self.txn.execute_unprepared(sql).await
    }

    async fn query_one(&self, stmt: Statement) -> Result<Option<QueryResult>, DbErr> {
        self.txn.query_one(stmt).await
    }

    async fn query_all(&self, stmt: Statement) -> Result<Vec<QueryResult>, DbErr> {
        self.txn.query_all(stmt).await
    }
}

/// One tenant's tables outside any transaction: each statement is its own
/// snapshot, committed on its own. For the authentication step, which reads
/// a few rows on every request, where a transaction would add the BEGIN,
/// `SET LOCAL` and COMMIT round trips. Statements name every table `{t}.name`
/// and their parameters `$1`, `$2` …; the door qualifies the tables with the
/// tenant's schema on PostgreSQL (whose pool otherwise sees the platform's
/// tables, `sessions` among them) and with `main`, the tenant's own file, on
/// SQLite.
pub struct TenantDirect {
    conn: DatabaseConnection,
    schema: String,
}

impl TenantDirect {
    fn statement(&self, template: &str, values: Vec<sea_orm::Value>) -> Statement {
        let backend = self.conn.get_database_backend();
        let mut sql = template.replace("{t}", &self.schema);
        if backend == DbBackend::Sqlite {
            // SQLite's numbered parameters are `?N`.
            sql = sql.replace('$', "?");
        }
        Statement::from_sql_and_values(backend, sql, values)
    }

    pub async fn one(
        &self,
        template: &str,
        values: Vec<sea_orm::Value>,
    ) -> Result<Option<QueryResult>, DbErr> {
        self.conn.query_one(self.statement(template, values)).await
    }

    pub async fn all(
        &self,
        template: &str,
        values: Vec<sea_orm::Value>,
    ) -> Result<Vec<QueryResult>, DbErr> {
        self.conn.query_all(self.statement(template, values)).await
    }

    pub async fn execute(
        &self,
        template: &str,
        values: Vec<sea_orm::Value>,
    ) -> Result<ExecResult, DbErr> {
        self.conn.execute(self.statement(template, values)).await
    }
}

impl Db {
    /// See [`TenantDirect`]. The tenant must exist.
    pub async fn tenant_direct(&self, tenant: TenantId) -> Result<TenantDirect, DbErr> {
        Ok(match self.inner.engine {
            Engine::Postgres => TenantDirect {
                conn: self.inner.platform.clone(),
                schema: format!("\"{}\"", tenant.schema_name()),
            },
            Engine::Sqlite => TenantDirect {
                conn: self.sqlite_tenant(tenant, false).await?,
                schema: "main".into(),
            },
        })
    }

    /// Runs `work` in a transaction of `tenant`, committed when it returns
    /// `Ok` and rolled back otherwise: for the requests that come before a
    /// sign-in (login, codes, refresh, sign-up) and for short steps that
    /// must not hold a connection while something slow runs.
    pub async fn in_tenant<T, E, F>(&self, tenant: TenantId, work: F) -> Result<T, E>
    where
        E: From<DbErr>,
        F: AsyncFnOnce(&TenantTx) -> Result<T, E>,
    {
        let tx = self.tenant_tx(tenant).await?;
        let out = work(&tx).await?;
        tx.commit().await?;
        Ok(out)
    }

    /// Like [`Db::in_tenant`] for work that writes, from outside the server
    /// (the command line) as well: on SQLite the write lock is taken first,
    /// so waiting for a server's writer honours the busy timeout instead of
    /// failing half-way with `SQLITE_BUSY`.
    pub async fn in_tenant_writing<T, E, F>(&self, tenant: TenantId, work: F) -> Result<T, E>
    where
        E: From<DbErr>,
        F: AsyncFnOnce(&TenantTx) -> Result<T, E>,
    {
        let tx = self.tenant_tx_writing(tenant).await?;
        let out = work(&tx).await?;
        tx.commit().await?;
        Ok(out)
    }

    /// A transaction of `tenant` that holds the write lock from its start on
    /// SQLite (where `SELECT … FOR UPDATE` locks nothing and a deferred
    /// transaction reads an old snapshot while another connection writes);
    /// on PostgreSQL the same as [`Db::tenant_tx`].
    pub async fn tenant_tx_writing(&self, tenant: TenantId) -> Result<TenantTx, DbErr> {
        let mut tries = 0;
        loop {
            let tx = self.tenant_tx(tenant).await?;
            if self.inner.engine != Engine::Sqlite {
                return Ok(tx);
            }
            // A busy server may hold the lock past one busy timeout: wait
            // for it a few times before giving up.
            match exec(&tx.txn, "UPDATE access_log_head SET id = id WHERE 0").await {
                Ok(_) => return Ok(tx),
                Err(e) if tries < 3 && e.to_string().contains("database is locked") => tries += 1,
                Err(e) => return Err(e),
            }
        }
    }

    /// Brings one tenant's schema up to date in one transaction; returns how
    /// many migrations ran.
    pub(super) async fn migrate_tenant(&self, tenant: TenantId) -> Result<usize, DbErr> {
        let tx = self.tenant_tx(tenant).await?;
        let pending = TenantMigrator::get_pending_migrations(&tx.txn).await?.len();
        TenantMigrator::up(&tx.txn, None).await?;
        tx.commit().await?;
        Ok(pending)
    }

    /// Runs `work` in a transaction of the platform database, committed
    /// when it returns `Ok` (operator sign-in, which writes as it checks).
    pub async fn in_platform<T, E, F>(&self, work: F) -> Result<T, E>
    where
        E: From<DbErr>,
        F: AsyncFnOnce(&DatabaseTransaction) -> Result<T, E>,
    {
        let txn = self.inner.platform.begin().await?;
        if self.inner.engine == Engine::Sqlite {
            // Take the write lock first (a write that changes nothing): a
            // deferred transaction that reads and then writes fails at once
            // with SQLITE_BUSY when another connection wrote in between,
            // while waiting for the lock honours the busy timeout.
            exec(
                &txn,
                "UPDATE platform_migrations SET version = version WHERE 0",
            )
            .await?;
        }
        let out = work(&txn).await?;
        txn.commit().await?;
        Ok(out)
    }

    /// Opens a transaction scoped to `tenant`. The tenant must exist.
    pub async fn tenant_tx(&self, tenant: TenantId) -> Result<TenantTx, DbErr> {
        super::round_trip(); // BEGIN
        let txn = match self.inner.engine {
            Engine::Postgres => self.scoped_pg_txn(tenant).await?,
            Engine::Sqlite => self.sqlite_tenant(tenant, false).await?.begin().await?,
        };
        Ok(TenantTx { tenant, txn })
    }

    /// Creates the tenant's schema (or file), runs the tenant migrations in it
    /// and `seed` its first rows, all in one transaction committed when `seed`
    /// succeeds. On PostgreSQL a failure leaves no schema behind; on SQLite
    /// call [`Db::remove_tenant_storage`] when provisioning fails.
    pub async fn provision_tenant<T, F>(&self, tenant: TenantId, seed: F) -> Result<T, DbErr>
    where
        F: AsyncFnOnce(&TenantTx) -> Result<T, DbErr>,
    {
        let tx = self.begin_provisioning(tenant).await?;
        let out = seed(&tx).await?;
        tx.commit().await?;
        if self.inner.engine == Engine::Sqlite {
            // The connection that ran the migrations holds their prepared
            // statements and pages (about 1.7 MB): close it; the tenant's
            // first request opens a fresh one.
            self.close_sqlite_tenant(tenant).await;
        }
        Ok(out)
    }

    /// SQLite: closes the tenant's pool if it is open.
    async fn close_sqlite_tenant(&self, tenant: TenantId) {
        let open = {
            let mut pools = self.inner.sqlite_tenants.lock().await;
            let conn = pools.remove(tenant);
            self.inner
                .tenant_pools_open
                .store(pools.len(), Ordering::Relaxed);
            conn
        };
        if let Some(conn) = open {
            let _ = conn.close().await;
        }
    }

    async fn begin_provisioning(&self, tenant: TenantId) -> Result<TenantTx, DbErr> {
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
                self.close_sqlite_tenant(tenant).await;
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
        if let Some(conn) = open.get(tenant) {
            return Ok(conn);
        }
        let path = self.tenant_file(tenant);
        if !create && !path.exists() {
            return Err(DbErr::RecordNotFound(format!(
                "tenant {tenant} has no database"
            )));
        }
        if create {
            crate::private_fs::touch(&path).map_err(|e| DbErr::Custom(e.to_string()))?;
        }
        let options = SqliteConnectOptions::from_str("sqlite://")
            .map_err(|e| DbErr::Custom(e.to_string()))?
            .filename(&path);
        let conn = open_sqlite_tenant(options);
        open.insert(tenant, conn.clone());
        self.inner
            .tenant_pools_open
            .store(open.len(), Ordering::Relaxed);
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
