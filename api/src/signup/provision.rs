//! Creating a tenant: reserve the slug in the platform, build the tenant's
//! schema (or file) with its roles and first user, then mark it active. A
//! failure part way removes what was made, so the slug is free again.

use chrono::Utc;
use sea_orm::{ActiveModelTrait, ActiveValue::Set, DbErr, EntityTrait, SqlErr};

use super::types::{SignupIn, SignupOut, SignupTenant, SignupUser};
use crate::{
    access::BUILTIN_ROLES,
    db::{Db, TenantTx},
    entities::{password_history, role, tenant, user, user_role},
    error::{ApiError, ApiResult},
    ids::{RoleId, TenantId, UserId},
    tenancy::{STATUS_ACTIVE, STATUS_PROVISIONING},
    validate,
};

pub async fn create_tenant(
    db: &Db,
    input: &SignupIn,
    password_hash: String,
) -> ApiResult<SignupOut> {
    let tenant_id = TenantId::new();
    let now = Utc::now();
    let reserved = tenant::ActiveModel {
        id: Set(tenant_id.as_uuid()),
        slug: Set(input.tenant_slug.clone()),
        name: Set(input.tenant_name.clone()),
        status: Set(STATUS_PROVISIONING.into()),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(db.platform())
    .await;
    match reserved {
        Err(e) if matches!(e.sql_err(), Some(SqlErr::UniqueConstraintViolation(_))) => {
            return Err(ApiError::conflict(
                "tenant_slug_taken",
                "this tenant slug is already taken",
            ))
        }
        other => other?,
    };

    let seeded = async {
        let tx = db.provision_tenant(tenant_id).await?;
        let user_id = seed(&tx, input, password_hash).await?;
        tx.commit().await?;
        Ok::<_, DbErr>(user_id)
    }
    .await;
    let user_id = match seeded {
        Ok(id) => id,
        Err(e) => {
            undo(db, tenant_id).await;
            return Err(e.into());
        }
    };

    let activated = tenant::ActiveModel {
        id: Set(tenant_id.as_uuid()),
        status: Set(STATUS_ACTIVE.into()),
        updated_at: Set(Utc::now()),
        ..Default::default()
    }
    .update(db.platform())
    .await;
    if let Err(e) = activated {
        undo(db, tenant_id).await;
        return Err(e.into());
    }

    Ok(SignupOut {
        tenant: SignupTenant {
            id: tenant_id,
            slug: input.tenant_slug.clone(),
            name: input.tenant_name.clone(),
            created_at: now,
        },
        user: SignupUser {
            id: user_id,
            email: input.email.clone(),
            name: input.name.clone(),
            phone: input.phone.clone(),
            roles: vec!["admin".into()],
        },
    })
}

/// Built-in roles, then the first user holding `admin`.
async fn seed(tx: &TenantTx, input: &SignupIn, password_hash: String) -> Result<UserId, DbErr> {
    let now = Utc::now();
    let mut admin_role = None;
    for builtin in BUILTIN_ROLES {
        let id = RoleId::new();
        role::ActiveModel {
            id: Set(id.as_uuid()),
            name: Set(builtin.name.into()),
            description: Set(builtin.description.into()),
            builtin: Set(true),
            permissions: Set(serde_json::to_string(builtin.permissions)
                .map_err(|e| DbErr::Custom(e.to_string()))?),
            scope_kind: Set("all".into()),
            created_at: Set(now),
            updated_at: Set(now),
        }
        .insert(&**tx)
        .await?;
        if builtin.name == "admin" {
            admin_role = Some(id);
        }
    }
    let admin_role = admin_role.ok_or_else(|| DbErr::Custom("no built-in admin role".into()))?;
    let user_id = UserId::new();
    user::ActiveModel {
        id: Set(user_id.as_uuid()),
        email: Set(input.email.clone()),
        email_key: Set(validate::email_key(&input.email)),
        name: Set(input.name.clone()),
        phone: Set(Some(input.phone.clone())),
        password_hash: Set(password_hash.clone()),
        status: Set("active".into()),
        password_change_required: Set(false),
        password_changed_at: Set(now),
        created_at: Set(now),
        updated_at: Set(now),
        failed_logins: Set(0),
        locked_until: Set(None),
    }
    .insert(&**tx)
    .await?;
    password_history::ActiveModel {
        id: Set(uuid::Uuid::now_v7()),
        user_id: Set(user_id.as_uuid()),
        password_hash: Set(password_hash),
        created_at: Set(now),
    }
    .insert(&**tx)
    .await?;
    user_role::Entity::insert(user_role::ActiveModel {
        user_id: Set(user_id.as_uuid()),
        role_id: Set(admin_role.as_uuid()),
    })
    .exec_without_returning(&**tx)
    .await?;
    Ok(user_id)
}

async fn undo(db: &Db, tenant_id: TenantId) {
    if let Err(e) = db.remove_tenant_storage(tenant_id).await {
        tracing::error!(tenant_id = %tenant_id, error = %e, "could not remove a half-provisioned tenant");
    }
    if let Err(e) = tenant::Entity::delete_by_id(tenant_id.as_uuid())
        .exec(db.platform())
        .await
    {
        tracing::error!(tenant_id = %tenant_id, error = %e, "could not release a half-provisioned tenant's slug");
    }
}
