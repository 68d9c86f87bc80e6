//! Database access for both engines. Platform data (tenants, throttling, and the
//! other platform tables) lives in the platform database; each tenant's data lives
//! in its own PostgreSQL schema `tenant_<id>` or its own SQLite file. Tenant data is
//! reached only through [`Db::tenant_tx`] (and [`Db::provision_tenant`] while a
//! tenant is created): there is no other door.

mod connect;
mod migrate;
mod tenant;
mod tenants;

use std::{
    collections::HashMap,
    path::PathBuf,
    sync::{
        atomic::{AtomicU32, Ordering},
        Arc,
    },
};

use sea_orm::DatabaseConnection;
use tokio::sync::Mutex;

pub use migrate::{MigrationReport, TenantOutcome};
pub use tenant::{TenantDirect, TenantTx};

use crate::ids::TenantId;

tokio::task_local! {
    /// Statements the current request has run (see [`count_statements`]).
    static STATEMENTS: std::cell::Cell<u32>;
}

/// Runs `work` counting the SQL statements it sends (on any pool, in any
/// transaction), for the per-request figure in `/metrics` and the request
/// log: a regression in round trips shows there, and tests compare paths
/// that must not differ (a login's, whether the user exists or not).
pub async fn count_statements<F: std::future::Future>(work: F) -> (F::Output, u32) {
    STATEMENTS
        .scope(std::cell::Cell::new(0), async move {
            let out = work.await;
            (out, STATEMENTS.with(std::cell::Cell::get))
        })
        .await
}

/// sea-orm's per-statement callback, installed on every pool.
fn statement_ran(_: &sea_orm::metric::Info<'_>) {
    round_trip();
}

/// Counts one more statement for [`count_statements`]: also BEGIN and
/// COMMIT, which sea-orm's callback does not see but cost a round trip each.
fn round_trip() {
    let _ = STATEMENTS.try_with(|c| c.set(c.get().saturating_add(1)));
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Engine {
    Postgres,
    Sqlite,
}

/// Pool occupancy, exported as gauges.
#[derive(Debug, Clone, Copy, Default)]
pub struct PoolStats {
    pub size: u32,
    pub idle: u32,
    pub max: u32,
    /// SQLite: tenant files with an open pool (0 on PostgreSQL).
    pub tenant_pools: u32,
}

#[derive(Clone)]
pub struct Db {
    inner: Arc<Inner>,
}

struct Inner {
    platform: DatabaseConnection,
    engine: Engine,
    /// SQLite only: where tenant files live, and their open pools.
    tenant_dir: PathBuf,
    sqlite_tenants: Mutex<TenantPools>,
    /// How many `sqlite_tenants` holds, for `/metrics` (which cannot wait
    /// for the lock).
    tenant_pools_open: AtomicU32,
    max_connections: u32,
}

impl Db {
    pub fn engine(&self) -> Engine {
        self.inner.engine
    }

    /// The platform database. Never holds tenant rows.
    pub fn platform(&self) -> &DatabaseConnection {
        &self.inner.platform
    }

    /// Checks that the platform database answers.
    pub async fn ping(&self) -> Result<(), sea_orm::DbErr> {
        self.inner.platform.ping().await
    }

    pub fn pool_stats(&self) -> PoolStats {
        let (size, idle) = match self.inner.engine {
            Engine::Postgres => {
                let pool = self.inner.platform.get_postgres_connection_pool();
                (pool.size(), pool.num_idle() as u32)
            }
            Engine::Sqlite => {
                let pool = self.inner.platform.get_sqlite_connection_pool();
                (pool.size(), pool.num_idle() as u32)
            }
        };
        let tenant_pools = self.inner.tenant_pools_open.load(Ordering::Relaxed);
        PoolStats {
            size,
            idle,
            max: self.inner.max_connections,
            tenant_pools,
        }
    }

    /// Closes every pool (graceful shutdown).
    pub async fn close(&self) {
        let tenants: Vec<_> = self.inner.sqlite_tenants.lock().await.drain();
        self.inner.tenant_pools_open.store(0, Ordering::Relaxed);
        for conn in tenants {
            let _ = conn.close().await;
        }
        let _ = self.inner.platform.clone().close().await;
    }
}

/// SQLite: the open tenant pools, at most `max`; the least recently used is
/// dropped to make room (its file closes once the requests using it end).
struct TenantPools {
    open: HashMap<TenantId, (DatabaseConnection, u64)>,
    tick: u64,
    max: usize,
}

impl TenantPools {
    fn new(max: usize) -> TenantPools {
        TenantPools {
            open: HashMap::new(),
            tick: 0,
            max: max.max(1),
        }
    }

    fn get(&mut self, tenant: TenantId) -> Option<DatabaseConnection> {
        self.tick += 1;
        let tick = self.tick;
        self.open.get_mut(&tenant).map(|(conn, used)| {
            *used = tick;
            conn.clone()
        })
    }

    fn insert(&mut self, tenant: TenantId, conn: DatabaseConnection) {
        while self.open.len() >= self.max {
            let oldest = self
                .open
                .iter()
                .min_by_key(|(_, (_, used))| *used)
                .map(|(t, _)| *t);
            match oldest {
                Some(t) => self.open.remove(&t),
                None => break,
            };
        }
        self.tick += 1;
        self.open.insert(tenant, (conn, self.tick));
    }

    fn remove(&mut self, tenant: TenantId) -> Option<DatabaseConnection> {
        self.open.remove(&tenant).map(|(conn, _)| conn)
    }

    fn drain(&mut self) -> Vec<DatabaseConnection> {
        self.open.drain().map(|(_, (conn, _))| conn).collect()
    }

    fn len(&self) -> u32 {
        u32::try_from(self.open.len()).unwrap_or(u32::MAX)
    }
}

/// Is `e` the database being away (down, restarting, connection lost, too
/// busy) rather than a fault of the request or of the code? Such errors are
/// 503: the client may retry.
pub fn is_unavailable(e: &sea_orm::DbErr) -> bool {
    use sea_orm::{DbErr, RuntimeErr};
    let sqlx = match e {
        DbErr::ConnectionAcquire(_) => return true,
        DbErr::Conn(RuntimeErr::SqlxError(s))
        | DbErr::Query(RuntimeErr::SqlxError(s))
        | DbErr::Exec(RuntimeErr::SqlxError(s)) => s,
        DbErr::Conn(_) => return true,
        _ => return false,
    };
    match sqlx {
        sqlx::Error::Io(_)
        | sqlx::Error::PoolTimedOut
        | sqlx::Error::PoolClosed
        | sqlx::Error::WorkerCrashed
        | sqlx::Error::Tls(_)
        | sqlx::Error::Protocol(_) => true,
        // Connection exceptions (08), shutdowns and restarts (57P), a
        // cancelled (timed-out) statement, and as below.
        sqlx::Error::Database(d) => d.code().is_some_and(|c| {
            c.starts_with("08")
                || c.starts_with("57P")
                || c == "57014"
                // PostgreSQL: insufficient resources (disk full, memory,
                // too many connections).
                || c.starts_with("53")
                // SQLite: SQLITE_FULL (13) and SQLITE_IOERR (10), with
                // their extended codes.
                || c.parse::<i32>().is_ok_and(|n| matches!(n & 0xff, 10 | 13))
        }),
        _ => false,
    }
}
