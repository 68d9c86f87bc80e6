//! Verification: walks the chain from its start (the genesis, or the last
//! retention purge) and checks every link, every hash, the sequence, the
//! signed checkpoints and the head anchored in the platform.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};

use sea_orm::{ColumnTrait, DbErr, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use serde::Serialize;
use utoipa::ToSchema;

use super::{
    checkpoint,
    entry::{hash_of, GENESIS},
    signing::{checkpoint_message, LogSigner},
};
use crate::{
    db::Db,
    entities::{
        platform::{access_log_anchor, access_log_checkpoint},
        tenant::{access_log, access_log_head},
    },
    ids::TenantId,
};

const CHUNK: u64 = 1000;

#[derive(Debug, Clone, Serialize, ToSchema, PartialEq, Eq)]
pub struct Head {
    pub seq: i64,
    pub hash: String,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct VerifyOut {
    /// `intact` or `broken`.
    pub status: String,
    pub entries_checked: i64,
    /// The last entry reached.
    pub head: Option<Head>,
    /// Where the chain first fails.
    pub first_bad_seq: Option<i64>,
    pub reason: Option<String>,
    /// Signed checkpoints the chain was compared with.
    pub checkpoints_checked: usize,
    /// When the newest checkpoint was signed.
    pub last_checkpoint_at: Option<DateTime<Utc>>,
}

struct Walk {
    checked: i64,
    head: Option<Head>,
    checkpoints: usize,
    last_checkpoint_at: Option<DateTime<Utc>>,
}

impl Walk {
    fn broken(&self, seq: i64, reason: String) -> VerifyOut {
        VerifyOut {
            status: "broken".into(),
            entries_checked: self.checked,
            head: self.head.clone(),
            first_bad_seq: Some(seq),
            reason: Some(reason),
            checkpoints_checked: self.checkpoints,
            last_checkpoint_at: self.last_checkpoint_at,
        }
    }
}

pub async fn verify(db: &Db, signer: &LogSigner, tenant: TenantId) -> Result<VerifyOut, DbErr> {
    let checkpoints = checkpoint::all(db, tenant).await?;
    let mut walk = Walk {
        checked: 0,
        head: None,
        checkpoints: checkpoints.len(),
        last_checkpoint_at: checkpoints.iter().map(|c| c.at).max(),
    };
    for cp in &checkpoints {
        if !signer.verify(&cp.key_id, &checkpoint_message(cp), &cp.signature) {
            return Ok(walk.broken(
                cp.seq,
                format!("the checkpoint at seq {} has an invalid signature", cp.seq),
            ));
        }
    }
    // Each checkpoint signed the one before it: a removed one shows.
    let mut by_creation: Vec<_> = checkpoints.iter().collect();
    by_creation.sort_by_key(|c| c.id);
    let mut before = String::new();
    for cp in by_creation {
        if cp.prev_signature.as_ref().is_some_and(|p| *p != before) {
            return Ok(walk.broken(
                cp.seq,
                format!(
                    "the chain of checkpoints is broken before the one at seq {}: a checkpoint was removed",
                    cp.seq
                ),
            ));
        }
        before = cp.signature.clone();
    }
    let (base_seq, base_hash) = checkpoints
        .iter()
        .filter(|c| c.kind == "purge")
        .max_by_key(|c| c.seq)
        .map(|c| (c.seq, c.hash.clone()))
        .unwrap_or((0, GENESIS.to_owned()));
    // Signed hashes the chain must contain, by seq.
    let mut signed: BTreeMap<i64, String> = checkpoints
        .iter()
        .filter(|c| c.kind == "periodic" && c.seq > base_seq)
        .map(|c| (c.seq, c.hash.clone()))
        .collect();
    let anchor = access_log_anchor::Entity::find_by_id(tenant.as_uuid())
        .one(db.platform())
        .await?;
    if let Some(a) = anchor.as_ref().filter(|a| a.seq > base_seq) {
        if signed.get(&a.seq).is_some_and(|h| *h != a.hash) {
            return Ok(walk.broken(
                a.seq,
                "the anchored head disagrees with a signed checkpoint".into(),
            ));
        }
        signed.insert(a.seq, a.hash.clone());
    }

    let mut expected = base_seq + 1;
    let mut prev = base_hash;
    let mut last_good_signed = base_seq;
    // Entries appended while we walk are welcome: keep walking until the rows
    // end and the head row (read afterwards) is reached.
    let mut retried = false;
    loop {
        let rows = fetch(db, tenant, expected).await?;
        if rows.is_empty() {
            let head = head_seq(db, tenant).await?;
            if head > expected - 1 && !retried {
                retried = true;
                continue;
            }
            if head > expected - 1 {
                let last = expected - 1;
                return Ok(walk.broken(
                    expected,
                    format!("entries after seq {last} are missing (truncated): the head is at seq {head}"),
                ));
            }
            break;
        }
        retried = false;
        for row in rows {
            if row.seq != expected {
                return Ok(walk.broken(
                    expected,
                    format!(
                        "entries {expected} to {} are missing (deleted)",
                        row.seq - 1
                    ),
                ));
            }
            if row.prev_hash != prev {
                return Ok(walk.broken(
                    row.seq,
                    "the entry does not link to the one before it (moved, inserted or rewritten)"
                        .into(),
                ));
            }
            if hash_of(&row) != row.hash {
                return Ok(walk.broken(
                    row.seq,
                    "the entry was altered: its content no longer matches its hash".into(),
                ));
            }
            if let Some(h) = signed.get(&row.seq) {
                if *h != row.hash {
                    return Ok(walk.broken(
                        last_good_signed + 1,
                        format!("the chain was rewritten after seq {last_good_signed}: the entry at signed seq {} differs", row.seq),
                    ));
                }
                last_good_signed = row.seq;
            }
            walk.checked += 1;
            walk.head = Some(Head {
                seq: row.seq,
                hash: row.hash.clone(),
            });
            prev = row.hash;
            expected += 1;
        }
    }
    let last = expected - 1;
    // Checkpoints and the anchor were read before the walk: they cannot be
    // ahead of an intact chain.
    if let Some((&cp_seq, _)) = signed.iter().next_back().filter(|(s, _)| **s > last) {
        return Ok(walk.broken(
            last + 1,
            format!("entries after seq {last} are missing (truncated): the signed head is at seq {cp_seq}"),
        ));
    }
    Ok(VerifyOut {
        status: "intact".into(),
        entries_checked: walk.checked,
        head: walk.head,
        first_bad_seq: None,
        reason: None,
        checkpoints_checked: walk.checkpoints,
        last_checkpoint_at: walk.last_checkpoint_at,
    })
}

async fn fetch(db: &Db, tenant: TenantId, from: i64) -> Result<Vec<access_log::Model>, DbErr> {
    let tx = db.tenant_tx(tenant).await?;
    let rows = access_log::Entity::find()
        .filter(access_log::Column::Seq.gte(from))
        .order_by_asc(access_log::Column::Seq)
        .limit(CHUNK)
        .all(&tx)
        .await?;
    tx.commit().await?;
    Ok(rows)
}

async fn head_seq(db: &Db, tenant: TenantId) -> Result<i64, DbErr> {
    let tx = db.tenant_tx(tenant).await?;
    let head = access_log_head::Entity::find_by_id(1).one(&tx).await?;
    tx.commit().await?;
    Ok(head.map(|h| h.seq).unwrap_or(0))
}

/// What an operator's tenant list shows without walking the chain.
pub struct LogGlance {
    /// When the newest entry was written.
    pub last_entry_at: Option<DateTime<Utc>>,
    /// The log still holds the entry the platform anchored, unchanged. A cut
    /// or rewritten tail fails this; a full walk ([`verify`]) finds the rest.
    pub anchor_holds: bool,
}

pub async fn glance(db: &Db, tenant: TenantId) -> Result<LogGlance, DbErr> {
    let anchor = access_log_anchor::Entity::find_by_id(tenant.as_uuid())
        .one(db.platform())
        .await?;
    let tx = db.tenant_tx(tenant).await?;
    let newest = access_log::Entity::find()
        .order_by_desc(access_log::Column::Seq)
        .one(&tx)
        .await?;
    let anchored = match anchor.as_ref().filter(|a| a.seq > 0) {
        Some(a) => access_log::Entity::find_by_id(a.seq).one(&tx).await?,
        None => None,
    };
    let head = access_log_head::Entity::find_by_id(1).one(&tx).await?;
    tx.commit().await?;
    let anchor_holds = match anchor.filter(|a| a.seq > 0) {
        None => true,
        Some(a) => {
            let kept = match anchored {
                Some(row) => row.hash == a.hash,
                // Gone is fine only when a signed purge took it.
                None => access_log_checkpoint::Entity::find()
                    .filter(access_log_checkpoint::Column::TenantId.eq(tenant.as_uuid()))
                    .filter(access_log_checkpoint::Column::Kind.eq("purge"))
                    .filter(access_log_checkpoint::Column::Seq.gte(a.seq))
                    .one(db.platform())
                    .await?
                    .is_some(),
            };
            kept && head.is_some_and(|h| h.seq >= a.seq)
        }
    };
    Ok(LogGlance {
        last_entry_at: newest.map(|r| r.at),
        anchor_holds,
    })
}

/// How late a checkpoint may be beyond its interval before verification
/// calls the unsigned tail suspect (a writer signs within a minute of due).
const CHECKPOINT_SLACK: chrono::Duration = chrono::Duration::minutes(10);

/// [`verify`], and the chain's tail must be signed on time: entries left
/// unsigned longer than the checkpoint interval (plus slack) mean the
/// writer stopped signing or the newest checkpoints were removed.
pub async fn verify_signed_on_time(
    db: &Db,
    signer: &LogSigner,
    tenant: TenantId,
    now: DateTime<Utc>,
    interval: std::time::Duration,
) -> Result<VerifyOut, DbErr> {
    let out = verify(db, signer, tenant).await?;
    let Some(head) = out.head.clone().filter(|_| out.status == "intact") else {
        return Ok(out);
    };
    let newest = checkpoint::all(db, tenant)
        .await?
        .into_iter()
        .max_by_key(|c| (c.seq, c.at));
    let signed_seq = newest.as_ref().map(|c| c.seq).unwrap_or(0);
    if head.seq <= signed_seq {
        return Ok(out);
    }
    let since = match &newest {
        Some(c) => c.at,
        None => {
            let tx = db.tenant_tx(tenant).await?;
            let first = access_log::Entity::find()
                .order_by_asc(access_log::Column::Seq)
                .one(&tx)
                .await?;
            tx.commit().await?;
            match first {
                Some(f) => f.at,
                None => return Ok(out),
            }
        }
    };
    let allowed = chrono::Duration::from_std(interval).unwrap_or(chrono::Duration::minutes(5))
        + CHECKPOINT_SLACK;
    if now - since <= allowed {
        return Ok(out);
    }
    Ok(VerifyOut {
        status: "broken".into(),
        first_bad_seq: Some(signed_seq + 1),
        reason: Some(format!(
            "entries after seq {signed_seq} have had no checkpoint since {} (one is due every {} min): the writer stopped signing, or the newest checkpoints were removed",
            crate::clock::format_time(since),
            allowed.num_minutes() - CHECKPOINT_SLACK.num_minutes()
        )),
        ..out
    })
}
