//! The platform's register of tenants: the one home of its queries.

use sea_orm::{ColumnTrait, DbErr, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use uuid::Uuid;

use super::Db;
use crate::{
    entities::platform::tenant::{self, TenantStatus},
    ids::TenantId,
};

impl Db {
    /// Every tenant, oldest first.
    pub async fn tenants(&self) -> Result<Vec<tenant::Model>, DbErr> {
        tenant::Entity::find()
            .order_by_asc(tenant::Column::CreatedAt)
            .all(self.platform())
            .await
    }

    /// The tenant, if it exists and is active (requests and jobs of any
    /// other tenant are refused).
    pub async fn active_tenant(&self, id: TenantId) -> Result<Option<tenant::Model>, DbErr> {
        tenant::Entity::find_by_id(id.as_uuid())
            .filter(tenant::Column::Status.eq(TenantStatus::Active))
            .one(self.platform())
            .await
    }

    /// Which of `ids` name a tenant (in any state).
    pub async fn existing_tenants(&self, ids: &[Uuid]) -> Result<Vec<Uuid>, DbErr> {
        tenant::Entity::find()
            .select_only()
            .column(tenant::Column::Id)
            .filter(tenant::Column::Id.is_in(ids.iter().copied()))
            .into_tuple()
            .all(self.platform())
            .await
    }

    /// The tenant in any state.
    pub async fn tenant(&self, id: TenantId) -> Result<Option<tenant::Model>, DbErr> {
        tenant::Entity::find_by_id(id.as_uuid())
            .one(self.platform())
            .await
    }

    /// The active or suspended tenant with this slug: sign-in checks the
    /// password of a suspended tenant's user before saying it is suspended.
    pub async fn signin_tenant_by_slug(&self, slug: &str) -> Result<Option<tenant::Model>, DbErr> {
        tenant::Entity::find()
            .filter(tenant::Column::Slug.eq(slug))
            .filter(tenant::Column::Status.is_in([TenantStatus::Active, TenantStatus::Suspended]))
            .one(self.platform())
            .await
    }

    /// The active tenant with this slug (login names the tenant by its slug).
    pub async fn active_tenant_by_slug(&self, slug: &str) -> Result<Option<tenant::Model>, DbErr> {
        tenant::Entity::find()
            .filter(tenant::Column::Slug.eq(slug))
            .filter(tenant::Column::Status.eq(TenantStatus::Active))
            .one(self.platform())
            .await
    }
}
