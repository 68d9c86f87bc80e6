//! The platform audit log: every operator action and operator tool use is
//! appended here (operators read it through `ops::audit`).

use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, DatabaseTransaction,
    DbBackend, DbErr, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Statement,
};
use sha2::{Digest, Sha256};
use uuid::Uuid;

use crate::{
    clock::{format_time, truncate_to_millis},
    db::Db,
    entities::platform::platform_audit,
    error::ApiError,
};

/// Who acted.
pub enum Actor<'a> {
    Operator {
        id: Uuid,
        email: &'a str,
    },
    /// The `crepo` command line.
    Cli,
    /// Someone who did not authenticate (a failed operator login).
    Anonymous,
    /// The service itself (an alarm it raised).
    System,
}

/// One entry to append.
pub struct Entry<'a> {
    pub actor: Actor<'a>,
    pub action: &'a str,
    pub target: Option<(&'a str, String)>,
    pub details: serde_json::Value,
    pub ip: Option<String>,
    pub request_id: Option<String>,
    /// By the application's clock (the command line uses the system's).
    pub at: DateTime<Utc>,
}

/// Appends `e`, chained onto the newest entry (under a lock, so API nodes
/// and the command line build one chain).
pub async fn append(db: &Db, e: Entry<'_>) -> Result<(), ApiError> {
    let (kind, id, email) = match e.actor {
        Actor::Operator { id, email } => ("operator", Some(id), Some(email.to_owned())),
        Actor::Cli => ("cli", None, None),
        Actor::Anonymous => ("anonymous", None, None),
        Actor::System => ("system", None, None),
    };
    db.in_platform(async |txn| {
        lock_chain(txn).await?;
        let prev = platform_audit::Entity::find()
            .order_by_desc(platform_audit::Column::Id)
            .one(txn)
            .await?
            .and_then(|m| m.hash)
            .unwrap_or_default();
        let mut row = platform_audit::Model {
            id: Uuid::now_v7(),
            at: truncate_to_millis(e.at),
            actor_kind: kind.into(),
            actor_id: id,
            actor_email: email,
            action: e.action.into(),
            target_kind: e.target.as_ref().map(|(k, _)| (*k).to_owned()),
            target_id: e.target.map(|(_, id)| id),
            details: e.details.to_string(),
            ip: e.ip,
            request_id: e.request_id,
            prev_hash: Some(prev),
            hash: None,
            redacted_digest: None,
        };
        row.hash = Some(hash_of(&row));
        platform_audit::ActiveModel::from(row).insert(txn).await?;
        Ok::<_, ApiError>(())
    })
    .await
}

async fn lock_chain(txn: &DatabaseTransaction) -> Result<(), DbErr> {
    let sql = match txn.get_database_backend() {
        DbBackend::Postgres => "SELECT pg_advisory_xact_lock(7240001)",
        // SQLite: `in_platform` took the write lock first.
        _ => return Ok(()),
    };
    txn.execute(Statement::from_string(txn.get_database_backend(), sql))
        .await?;
    Ok(())
}

/// SHA-256 of what an entry says about its target (`target_id` and
/// `details`): the chain covers this digest, so the two can be redacted
/// (a deleted tenant's data) without breaking it.
pub fn content_digest(target_id: Option<&str>, details: &str) -> String {
    let content = serde_json::json!([target_id, details]);
    hex::encode(Sha256::digest(content.to_string().as_bytes()))
}

/// SHA-256 over the previous hash and every field, in a fixed order.
pub fn hash_of(m: &platform_audit::Model) -> String {
    let content = m
        .redacted_digest
        .clone()
        .unwrap_or_else(|| content_digest(m.target_id.as_deref(), &m.details));
    let canonical = serde_json::json!([
        m.prev_hash,
        m.id,
        format_time(m.at),
        m.actor_kind,
        m.actor_id,
        m.actor_email,
        m.action,
        m.target_kind,
        content,
        m.ip,
        m.request_id,
    ]);
    hex::encode(Sha256::digest(canonical.to_string().as_bytes()))
}

/// What replaces a redacted entry's details.
pub const REDACTED: &str = r#"{"redacted":true}"#;

/// Redacts every entry that targets `tenant` or mentions one of `needles`
/// (its id, its slug and its people's addresses and phones, each as a JSON
/// string), except deletion certificates; returns how many. The entries stay
/// in the chain with the digest of what they said.
pub async fn redact(
    txn: &DatabaseTransaction,
    tenant: Uuid,
    needles: &[String],
) -> Result<u64, DbErr> {
    use sea_orm::{
        sea_query::{Expr, LikeExpr},
        Condition,
    };
    let mut mentions = Condition::any()
        .add(platform_audit::Column::TargetId.eq(tenant.to_string()))
        .add(
            Expr::col(platform_audit::Column::Details)
                .like(LikeExpr::new(crate::text::like_contains(&tenant.to_string())).escape('\\')),
        );
    for n in needles {
        let quoted = serde_json::Value::String(n.clone()).to_string();
        mentions = mentions.add(
            Expr::col(platform_audit::Column::Details)
                .like(LikeExpr::new(crate::text::like_contains(&quoted)).escape('\\')),
        );
    }
    let rows = platform_audit::Entity::find()
        .filter(mentions)
        .filter(platform_audit::Column::RedactedDigest.is_null())
        .filter(platform_audit::Column::Action.ne(CERTIFICATE))
        .all(txn)
        .await?;
    for row in &rows {
        let digest = content_digest(row.target_id.as_deref(), &row.details);
        platform_audit::Entity::update_many()
            .col_expr(
                platform_audit::Column::TargetId,
                Expr::value(Option::<String>::None),
            )
            .col_expr(platform_audit::Column::Details, Expr::value(REDACTED))
            .col_expr(platform_audit::Column::RedactedDigest, Expr::value(digest))
            .filter(platform_audit::Column::Id.eq(row.id))
            .exec(txn)
            .await?;
    }
    Ok(rows.len() as u64)
}

/// The action of a deletion certificate (never redacted).
pub const CERTIFICATE: &str = "tenant.deleted";

/// Walks the platform audit oldest first: `Ok(count)` when every chained
/// entry links to the one before and matches its hash, else the first bad
/// entry's id and why.
pub async fn verify(db: &DatabaseConnection) -> Result<Result<u64, (Uuid, String)>, DbErr> {
    let mut before = String::new();
    let mut checked = 0u64;
    let mut after: Option<Uuid> = None;
    loop {
        let mut q = platform_audit::Entity::find()
            .order_by_asc(platform_audit::Column::Id)
            .limit(1000);
        if let Some(a) = after {
            q = q.filter(platform_audit::Column::Id.gt(a));
        }
        let rows = q.all(db).await?;
        if rows.is_empty() {
            return Ok(Ok(checked));
        }
        for row in rows {
            after = Some(row.id);
            let Some(hash) = row.hash.clone() else {
                // Written before the chain existed.
                before = String::new();
                continue;
            };
            if row.prev_hash.as_deref() != Some(before.as_str()) {
                return Ok(Err((
                    row.id,
                    "does not link to the entry before it: an entry was removed or inserted".into(),
                )));
            }
            if hash_of(&row) != hash {
                return Ok(Err((
                    row.id,
                    "was altered: its content no longer matches its hash".into(),
                )));
            }
            before = hash;
            checked += 1;
        }
    }
}
