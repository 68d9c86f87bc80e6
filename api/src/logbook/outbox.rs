//! Security events written in the request's own transaction: a committed
//! change always has its event, even when the node dies right after the
//! commit. The writer chains them (and deletes them) in its next append for
//! the tenant, in one transaction.

use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DbErr, EntityTrait,
    QueryFilter, QueryOrder,
};
use uuid::Uuid;

use super::{append::Pending, entry::NewEntry};
use crate::entities::tenant::access_log_outbox;

/// Adds `entry` to the tenant's outbox inside `tx`.
pub async fn put(
    tx: &impl ConnectionTrait,
    entry: &NewEntry,
    at: DateTime<Utc>,
) -> Result<(), DbErr> {
    let json = serde_json::to_string(entry).map_err(|e| DbErr::Custom(e.to_string()))?;
    access_log_outbox::ActiveModel {
        id: Set(Uuid::now_v7()),
        at: Set(at),
        entry: Set(json),
    }
    .insert(tx)
    .await?;
    Ok(())
}

/// Everything waiting, oldest first, and the ids to delete once chained.
pub(super) async fn take(tx: &impl ConnectionTrait) -> Result<(Vec<Pending>, Vec<Uuid>), DbErr> {
    let rows = access_log_outbox::Entity::find()
        .order_by_asc(access_log_outbox::Column::Id)
        .all(tx)
        .await?;
    let mut pending = Vec::with_capacity(rows.len());
    let mut ids = Vec::with_capacity(rows.len());
    for row in rows {
        let entry: NewEntry =
            serde_json::from_str(&row.entry).map_err(|e| DbErr::Custom(e.to_string()))?;
        pending.push(Pending { entry, at: row.at });
        ids.push(row.id);
    }
    Ok((pending, ids))
}

pub(super) async fn remove(tx: &impl ConnectionTrait, ids: Vec<Uuid>) -> Result<(), DbErr> {
    if ids.is_empty() {
        return Ok(());
    }
    access_log_outbox::Entity::delete_many()
        .filter(access_log_outbox::Column::Id.is_in(ids))
        .exec(tx)
        .await?;
    Ok(())
}
