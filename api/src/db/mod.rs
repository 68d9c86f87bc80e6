//! Database access for both engines. Platform data (tenants, throttling, and the
//! other platform tables) lives in the platform database; each tenant's data lives
//! in its own PostgreSQL schema `tenant_<id>` or its own SQLite file. Tenant data is
//! reached only through [`Db::tenant_tx`] (and [`Db::provision_tenant`] while a
//! tenant is created): there is no other door.

mod connect;
mod migrate;
mod tenant;
mod tenants;

use std::{collections::HashMap, path::PathBuf, sync::Arc};

use sea_orm::DatabaseConnection;
use tokio::sync::Mutex;

pub use migrate::{MigrationReport, TenantOutcome};
pub use tenant::TenantTx;

use crate::ids::TenantId;

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
    sqlite_tenants: Mutex<HashMap<TenantId, DatabaseConnection>>,
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
        PoolStats {
            size,
            idle,
            max: self.inner.max_connections,
        }
    }

    /// Closes every pool (graceful shutdown).
    pub async fn close(&self) {
        let tenants: Vec<_> = self.inner.sqlite_tenants.lock().await.drain().collect();
        for (_, conn) in tenants {
            let _ = conn.close().await;
        }
        let _ = self.inner.platform.clone().close().await;
    }
}
