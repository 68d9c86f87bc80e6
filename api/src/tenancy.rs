//! Tenants as the platform sees them: ids, slugs, lookup.

use sea_orm::{ColumnTrait, DbErr, EntityTrait, QueryFilter, QueryOrder};

pub use crate::ids::TenantId;
use crate::{db::Db, entities::tenant};

pub const STATUS_PROVISIONING: &str = "provisioning";
pub const STATUS_ACTIVE: &str = "active";

impl TenantId {
    /// The PostgreSQL schema holding this tenant's tables. Only hex digits
    /// follow the prefix, so it is safe to put in a statement.
    pub fn schema_name(&self) -> String {
        format!("tenant_{}", self.0.simple())
    }
}

/// Slugs that name parts of the service, or could be mistaken for them.
pub const RESERVED_SLUGS: &[&str] = &[
    "admin",
    "administrator",
    "api",
    "app",
    "apps",
    "assets",
    "auth",
    "billing",
    "blog",
    "cdn",
    "crepo",
    "dashboard",
    "dev",
    "docs",
    "help",
    "login",
    "logout",
    "mail",
    "metrics",
    "new",
    "null",
    "ops",
    "operator",
    "platform",
    "public",
    "root",
    "security",
    "settings",
    "signup",
    "sso",
    "staging",
    "static",
    "status",
    "support",
    "system",
    "test",
    "undefined",
    "www",
];

pub async fn find_by_slug(db: &Db, slug: &str) -> Result<Option<tenant::Model>, DbErr> {
    tenant::Entity::find()
        .filter(tenant::Column::Slug.eq(slug))
        .one(db.platform())
        .await
}

pub async fn all(db: &Db) -> Result<Vec<tenant::Model>, DbErr> {
    tenant::Entity::find()
        .order_by_asc(tenant::Column::CreatedAt)
        .all(db.platform())
        .await
}
