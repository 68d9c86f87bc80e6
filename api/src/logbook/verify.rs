//! Verification: walks the chain from its start (the genesis, or the last
//! retention purge) and checks every link, every hash, the sequence, the
//! signed checkpoints and the head anchored in the platform.

use std::collections::BTreeMap;

use sea_orm::{ColumnTrait, DbErr, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use serde::Serialize;
use utoipa::ToSchema;

use super::{
    checkpoint,
    entry::{hash_of, GENESIS},
    signing::{message, LogSigner},
};
use crate::{
    db::Db,
    entities::{
        platform::access_log_anchor,
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
}

struct Walk {
    checked: i64,
    head: Option<Head>,
    checkpoints: usize,
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
        }
    }
}

pub async fn verify(db: &Db, signer: &LogSigner, tenant: TenantId) -> Result<VerifyOut, DbErr> {
    let checkpoints = checkpoint::all(db, tenant).await?;
    let mut walk = Walk {
        checked: 0,
        head: None,
        checkpoints: checkpoints.len(),
    };
    for cp in &checkpoints {
        if !signer.verify(
            &cp.key_id,
            &message(cp.tenant_id, cp.seq, &cp.hash, cp.at, &cp.kind),
            &cp.signature,
        ) {
            return Ok(walk.broken(
                cp.seq,
                format!("the checkpoint at seq {} has an invalid signature", cp.seq),
            ));
        }
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
