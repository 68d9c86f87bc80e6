//! Creating a tenant: reserve the slug in the platform, build the tenant's
//! schema (or file) with its roles and first user, then mark it active. A
//! failure part way removes what was made, so the slug is free again.

use chrono::{DateTime, Utc};
use sea_orm::{ActiveModelTrait, ActiveValue::Set, DbErr, EntityTrait, SqlErr};

use super::types::{Signup, SignupOut, SignupTenant, SignupUser};
use crate::{
    access::{permissions, BUILTIN_ROLES},
    db::{Db, TenantTx},
    entities::{
        platform::tenant::{self, TenantStatus},
        tenant::{
            password_history,
            role::{self, ScopeKind},
            user::{self, UserStatus},
            user_role,
        },
    },
    error::ErrorCode,
    error::{ApiError, ApiResult},
    ids::{RoleId, TenantId, UserId},
};

pub async fn create_tenant(
    db: &Db,
    input: &Signup,
    password_hash: String,
    now: DateTime<Utc>,
) -> ApiResult<SignupOut> {
    // A deleted tenant's slug rests a while: links and bookmarks to it must
    // not reach a stranger's organisation right away.
    let resting = crate::entities::platform::slug_quarantine::Entity::find_by_id(
        crate::termination::erase::slug_digest(input.tenant_slug.as_str()),
    )
    .one(db.platform())
    .await?
    .is_some_and(|q| q.until > now);
    if resting {
        return Err(ApiError::conflict(
            ErrorCode::TenantSlugTaken,
            "this tenant slug is already taken",
        ));
    }
    let tenant_id = TenantId::new();
    let reserved = tenant::ActiveModel {
        id: Set(tenant_id.as_uuid()),
        slug: Set(input.tenant_slug.as_str().into()),
        name: Set(input.tenant_name.as_str().into()),
        status: Set(TenantStatus::Provisioning),
        created_at: Set(now),
        updated_at: Set(now),
        suspended_at: Set(None),
        suspended_reason: Set(None),
        termination_requested_at: Set(None),
        termination_requested_by: Set(None),
        terms_version: Set(Some(input.terms_version.clone())),
        terms_accepted_at: Set(Some(now)),
    }
    .insert(db.platform())
    .await;
    match reserved {
        Err(e) if matches!(e.sql_err(), Some(SqlErr::UniqueConstraintViolation(_))) => {
            return Err(ApiError::conflict(
                ErrorCode::TenantSlugTaken,
                "this tenant slug is already taken",
            ))
        }
        other => other?,
    };

    let seeded = db
        .provision_tenant(tenant_id, async |tx| {
            seed(tx, input, password_hash, now).await
        })
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
        status: Set(TenantStatus::Active),
        updated_at: Set(now),
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
            slug: input.tenant_slug.as_str().into(),
            name: input.tenant_name.as_str().into(),
            created_at: now,
            terms_version: input.terms_version.clone(),
        },
        user: SignupUser {
            id: user_id,
            email: input.email.as_str().into(),
            name: input.name.as_str().into(),
            phone: input.phone.as_str().into(),
            roles: vec!["admin".into()],
        },
    })
}

/// Built-in roles, then the first user holding `admin`.
async fn seed(
    tx: &TenantTx,
    input: &Signup,
    password_hash: String,
    now: DateTime<Utc>,
) -> Result<UserId, DbErr> {
    let mut admin_role = None;
    for builtin in BUILTIN_ROLES {
        let id = RoleId::new();
        role::ActiveModel {
            id: Set(id.as_uuid()),
            name: Set(builtin.name.into()),
            description: Set(builtin.description.into()),
            builtin: Set(true),
            permissions: Set(permissions::to_stored(builtin.permissions)),
            scope_kind: Set(ScopeKind::All),
            created_at: Set(now),
            updated_at: Set(now),
        }
        .insert(tx)
        .await?;
        if builtin.name == "admin" {
            admin_role = Some(id);
        }
    }
    let admin_role = admin_role.ok_or_else(|| DbErr::Custom("no built-in admin role".into()))?;
    let user_id = UserId::new();
    user::ActiveModel {
        id: Set(user_id.as_uuid()),
        email: Set(input.email.as_str().into()),
        email_key: Set(input.email.key().into()),
        name: Set(input.name.as_str().into()),
        phone: Set(Some(input.phone.as_str().into())),
        password_hash: Set(password_hash.clone()),
        status: Set(UserStatus::Active),
        password_change_required: Set(false),
        password_changed_at: Set(now),
        created_at: Set(now),
        updated_at: Set(now),
        failed_logins: Set(0),
        locked_until: Set(None),
        temporary_until: Set(None),
    }
    .insert(tx)
    .await?;
    password_history::ActiveModel {
        id: Set(uuid::Uuid::now_v7()),
        user_id: Set(user_id.as_uuid()),
        password_hash: Set(password_hash),
        created_at: Set(now),
    }
    .insert(tx)
    .await?;
    user_role::Entity::insert(user_role::ActiveModel {
        user_id: Set(user_id.as_uuid()),
        role_id: Set(admin_role.as_uuid()),
    })
    .exec_without_returning(tx)
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
