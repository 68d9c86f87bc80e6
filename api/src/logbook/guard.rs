//! The writer's guard against a tampered tail. Before a batch is chained onto
//! a tenant's head, the head must agree with the anchor the platform keeps
//! outside the tenant's schema; before a checkpoint signs the head, the chain
//! from the previous checkpoint to it must verify. Otherwise nothing is
//! appended or signed: extending or signing a rewritten tail would make the
//! tampering read "intact" afterwards.

use sea_orm::{
    ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
};

use super::entry::{hash_of, GENESIS};
use crate::{
    db::Db,
    entities::{
        platform::{access_log_anchor, access_log_checkpoint},
        tenant::{access_log, access_log_head},
    },
    ids::TenantId,
};

const CHUNK: u64 = 1000;

/// Why the writer refused.
#[derive(Debug)]
pub enum Refusal {
    Db(DbErr),
    /// The log disagrees with what the platform anchored or signed.
    Tampered(String),
}

impl From<DbErr> for Refusal {
    fn from(e: DbErr) -> Self {
        Refusal::Db(e)
    }
}

fn tampered(reason: String) -> Result<(), Refusal> {
    Err(Refusal::Tampered(reason))
}

/// The head (read in `tx`) against the platform's anchor: the anchor is never
/// ahead, the same seq has the same hash, and an older anchored entry is
/// still there unchanged (or was taken by a signed purge).
pub async fn head_agrees(
    db: &Db,
    tx: &impl ConnectionTrait,
    tenant: TenantId,
    head: &access_log_head::Model,
) -> Result<(), Refusal> {
    let Some(anchor) = access_log_anchor::Entity::find_by_id(tenant.as_uuid())
        .one(db.platform())
        .await?
        .filter(|a| a.seq > 0)
    else {
        return Ok(());
    };
    if anchor.seq > head.seq {
        return tampered(format!(
            "the log's head is at seq {} but the platform anchored seq {}: entries were removed",
            head.seq, anchor.seq
        ));
    }
    if anchor.seq == head.seq {
        if anchor.hash != head.hash {
            return tampered(format!(
                "the head at seq {} differs from the one the platform anchored",
                head.seq
            ));
        }
        return Ok(());
    }
    match access_log::Entity::find_by_id(anchor.seq).one(tx).await? {
        Some(row) if row.hash == anchor.hash => Ok(()),
        Some(_) => tampered(format!(
            "the entry at anchored seq {} was rewritten",
            anchor.seq
        )),
        None if purged_through(db, tenant, anchor.seq).await? => Ok(()),
        None => tampered(format!(
            "the anchored entry at seq {} is missing",
            anchor.seq
        )),
    }
}

async fn purged_through(db: &Db, tenant: TenantId, seq: i64) -> Result<bool, DbErr> {
    Ok(access_log_checkpoint::Entity::find()
        .filter(access_log_checkpoint::Column::TenantId.eq(tenant.as_uuid()))
        .filter(access_log_checkpoint::Column::Kind.eq("purge"))
        .filter(access_log_checkpoint::Column::Seq.gte(seq))
        .one(db.platform())
        .await?
        .is_some())
}

/// The chain from the newest checkpoint to `head` links, hashes and ends at
/// the head: what a new checkpoint may sign.
pub async fn chain_since_checkpoint(
    db: &Db,
    tx: &impl ConnectionTrait,
    tenant: TenantId,
    head: &access_log_head::Model,
) -> Result<(), Refusal> {
    let last = access_log_checkpoint::Entity::find()
        .filter(access_log_checkpoint::Column::TenantId.eq(tenant.as_uuid()))
        .order_by_desc(access_log_checkpoint::Column::Seq)
        .one(db.platform())
        .await?;
    let (from, mut prev) = match &last {
        Some(cp) => (cp.seq, cp.hash.clone()),
        None => (0, GENESIS.to_owned()),
    };
    if from > head.seq {
        return tampered(format!(
            "the log's head is at seq {} but seq {from} was signed: entries were removed",
            head.seq
        ));
    }
    if from > 0 {
        // Gone only after a purge, which signed it.
        if let Some(row) = access_log::Entity::find_by_id(from).one(tx).await? {
            if row.hash != prev || hash_of(&row) != row.hash {
                return tampered(format!("the entry at signed seq {from} was altered"));
            }
        }
    }
    let mut expected = from + 1;
    while expected <= head.seq {
        let rows = access_log::Entity::find()
            .filter(access_log::Column::Seq.gte(expected))
            .filter(access_log::Column::Seq.lte(head.seq))
            .order_by_asc(access_log::Column::Seq)
            .limit(CHUNK)
            .all(tx)
            .await?;
        if rows.is_empty() {
            return tampered(format!("entries {expected} to {} are missing", head.seq));
        }
        for row in rows {
            if row.seq != expected {
                return tampered(format!("entries {expected} to {} are missing", row.seq - 1));
            }
            if row.prev_hash != prev || hash_of(&row) != row.hash {
                return tampered(format!("the entry at seq {} was altered", row.seq));
            }
            prev = row.hash;
            expected += 1;
        }
    }
    if prev != head.hash {
        return tampered(format!(
            "the head row disagrees with the entry at seq {}",
            head.seq
        ));
    }
    Ok(())
}

/// Raises or clears the tenant's tampering alarm in the platform audit (and
/// the error log) when its state changes; `/metrics` reads `state` itself.
pub async fn sound_alarm(
    db: &Db,
    state: &std::sync::atomic::AtomicBool,
    tenant: TenantId,
    reason: Option<&str>,
    at: chrono::DateTime<chrono::Utc>,
) {
    use std::sync::atomic::Ordering;
    let raised = reason.is_some();
    if state.swap(raised, Ordering::Relaxed) == raised {
        return;
    }
    let action = match reason {
        Some(reason) => {
            tracing::error!(tenant_id = %tenant, reason, "access log tampering detected: nothing is appended or signed for this tenant");
            "access_log.tampering_detected"
        }
        None => {
            tracing::warn!(tenant_id = %tenant, "access log agrees with its anchor again: appending resumes");
            "access_log.tampering_cleared"
        }
    };
    let entry = crate::audit::Entry {
        actor: crate::audit::Actor::System,
        action,
        target: Some(("tenant", tenant.to_string())),
        details: serde_json::json!({ "reason": reason }),
        ip: None,
        request_id: None,
        at,
    };
    if let Err(e) = crate::audit::append(db, entry).await {
        tracing::error!(tenant_id = %tenant, error = ?e, "the tampering alarm could not be written to the platform audit");
    }
}
