//! Opening pools. On PostgreSQL one shared pool serves the platform and every
//! tenant; on SQLite the platform file has a pool and each tenant file gets a
//! one-connection pool, opened on first use.

use std::{
    str::FromStr,
    sync::{atomic::AtomicU32, Arc},
    time::Duration,
};

use anyhow::Context;
use sea_orm::{DatabaseConnection, SqlxPostgresConnector, SqlxSqliteConnector};
use sqlx::{
    postgres::{PgConnectOptions, PgPoolOptions},
    sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous},
};
use tokio::sync::Mutex;

use super::{Db, Engine, Inner, TenantPools};
use crate::config::Settings;

pub(super) fn sqlite_options(options: SqliteConnectOptions) -> SqliteConnectOptions {
    options
        .create_if_missing(true)
        .journal_mode(SqliteJournalMode::Wal)
        .synchronous(SqliteSynchronous::Normal)
        .foreign_keys(true)
        .busy_timeout(Duration::from_secs(5))
}

/// One connection per tenant file: SQLite allows one writer at a time, and a
/// single connection keeps transactions from failing with `SQLITE_BUSY`.
pub(super) fn open_sqlite_tenant(options: SqliteConnectOptions) -> DatabaseConnection {
    let pool = SqlitePoolOptions::new()
        .max_connections(1)
        .acquire_timeout(Duration::from_secs(30))
        // An idle tenant's file is closed after a minute; its pool stays.
        .idle_timeout(Duration::from_secs(60))
        .connect_lazy_with(sqlite_options(options));
    let mut conn = SqlxSqliteConnector::from_sqlx_sqlite_pool(pool);
    conn.set_metric_callback(super::statement_ran);
    conn
}

impl Db {
    /// Opens the pools. PostgreSQL connects lazily so that a node whose database
    /// is down still starts, answers liveness and reports 503 on readiness.
    pub async fn connect(settings: &Settings) -> anyhow::Result<Db> {
        let url = settings.database_url.expose();
        let (mut platform, engine) = if settings.is_postgres() {
            let options = PgConnectOptions::from_str(url)
                .context("CREPO_DATABASE_URL is not a valid PostgreSQL URL")?
                // Platform tables live in `public`; tenant transactions replace the
                // search path with their own schema (SET LOCAL).
                .options([
                    ("search_path", "public".to_owned()),
                    // A statement or an abandoned transaction cannot hold
                    // a connection (and its locks) for long.
                    (
                        "statement_timeout",
                        format!("{}s", settings.db_statement_timeout.as_secs()),
                    ),
                    (
                        "idle_in_transaction_session_timeout",
                        format!("{}s", 2 * settings.db_statement_timeout.as_secs()),
                    ),
                ])
                .application_name("crepo");
            let pool = PgPoolOptions::new()
                .max_connections(settings.db_max_connections)
                .min_connections(0)
                .acquire_timeout(settings.db_acquire_timeout)
                .idle_timeout(Duration::from_secs(300))
                .connect_lazy_with(options);
            (
                SqlxPostgresConnector::from_sqlx_postgres_pool(pool),
                Engine::Postgres,
            )
        } else {
            let options = SqliteConnectOptions::from_str(url)
                .context("CREPO_DATABASE_URL is not a valid SQLite URL")?;
            if let Some(parent) = options.get_filename().parent() {
                std::fs::create_dir_all(parent)
                    .with_context(|| format!("cannot create {}", parent.display()))?;
            }
            let file = options.get_filename();
            if !file.as_os_str().is_empty() && file != std::path::Path::new(":memory:") {
                crate::private_fs::touch(file)
                    .with_context(|| format!("cannot create {}", file.display()))?;
            }
            let pool = SqlitePoolOptions::new()
                .max_connections(settings.db_max_connections.min(4))
                .acquire_timeout(settings.db_acquire_timeout)
                .connect_with(sqlite_options(options))
                .await
                .context("cannot open the SQLite database")?;
            (
                SqlxSqliteConnector::from_sqlx_sqlite_pool(pool),
                Engine::Sqlite,
            )
        };
        platform.set_metric_callback(super::statement_ran);
        let tenant_dir = settings.data_dir.join("tenants");
        if engine == Engine::Sqlite {
            crate::private_fs::create_dir(&tenant_dir)
                .with_context(|| format!("cannot create {}", tenant_dir.display()))?;
        }
        Ok(Db {
            inner: Arc::new(Inner {
                platform,
                engine,
                tenant_dir,
                sqlite_tenants: Mutex::new(TenantPools::new(settings.sqlite_open_tenants)),
                tenant_pools_open: AtomicU32::new(0),
                max_connections: settings.db_max_connections,
            }),
        })
    }
}
