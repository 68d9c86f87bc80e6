//! `crepo access-log verify` and `crepo access-log purge`: every tenant in
//! turn, one line each; one tenant's failure does not stop the others.

use chrono::Utc;

use super::{purge, signing::LogSigner, verify};
use crate::{
    audit::{self, Actor, Entry},
    db::Db,
    entities::platform::tenant::TenantStatus,
    ids::TenantId,
};

/// Returns whether every tenant verified (or purged) cleanly.
pub async fn run(
    db: &Db,
    signer: &LogSigner,
    purging: bool,
    checkpoint_interval: std::time::Duration,
) -> anyhow::Result<bool> {
    let mut ok = true;
    let mut report = Vec::new();
    for t in db
        .tenants()
        .await?
        .into_iter()
        .filter(|t| t.status == TenantStatus::Active)
    {
        let id = TenantId(t.id);
        if purging {
            match purge::purge(db, signer, id, Utc::now()).await {
                Ok(n) => {
                    println!("tenant {} ({id}): {n} entries purged", t.slug);
                    report.push(serde_json::json!({ "tenant": id, "purged": n }));
                }
                Err(e) => {
                    ok = false;
                    println!("tenant {} ({id}): purge FAILED: {e}", t.slug);
                }
            }
        } else {
            match verify::verify_signed_on_time(db, signer, id, Utc::now(), checkpoint_interval)
                .await
            {
                Ok(v) if v.status == "intact" => {
                    println!(
                        "tenant {} ({id}): intact, {} entries",
                        t.slug, v.entries_checked
                    );
                    report.push(serde_json::json!({ "tenant": id, "status": "intact" }));
                }
                Ok(v) => {
                    ok = false;
                    println!(
                        "tenant {} ({id}): BROKEN at seq {}: {}",
                        t.slug,
                        v.first_bad_seq.unwrap_or_default(),
                        v.reason.clone().unwrap_or_default()
                    );
                    report.push(serde_json::json!({ "tenant": id, "status": "broken", "first_bad_seq": v.first_bad_seq }));
                }
                Err(e) => {
                    ok = false;
                    println!("tenant {} ({id}): verification FAILED: {e}", t.slug);
                }
            }
        }
    }
    audit::append(
        db,
        Entry {
            at: Utc::now(),
            actor: Actor::Cli,
            action: if purging {
                "access_log.purged"
            } else {
                "access_log.verified"
            },
            target: None,
            details: serde_json::json!({ "tenants": report, "ok": ok }),
            ip: None,
            request_id: None,
        },
    )
    .await
    .map_err(|e| anyhow::anyhow!("{e}"))?;
    Ok(ok)
}
