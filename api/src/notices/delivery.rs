//! Incident notices addressed to given tenants also go to those tenants'
//! admins by email and SMS. Sending happens off the request: rows are queued
//! in the platform database and a worker on each node claims, sends and
//! retries them with backoff, recording every attempt.

use std::time::Duration;

use sea_orm::{
    sea_query::Expr, ActiveEnum, ActiveValue::Set, ColumnTrait, Condition, EntityTrait, JoinType,
    QueryFilter, QueryOrder, QuerySelect, RelationTrait,
};
use uuid::Uuid;

use crate::{
    access::Permission,
    entities::{
        platform::{
            notice,
            notice_delivery::{self, DeliveryChannel, DeliveryStatus},
            notice_update,
        },
        tenant::{
            role, security_contact,
            user::{self, UserStatus},
            user_role,
        },
    },
    ids::TenantId,
    state::AppState,
};

pub const MAX_ATTEMPTS: i32 = 5;

/// Permissions that make a user one of the tenant's administrators, who
/// hear of incidents: whoever manages its users, roles or settings.
const ADMINISTRATION: [Permission; 3] = [
    Permission::UsersManage,
    Permission::RolesManage,
    Permission::SettingsManage,
];

struct Recipient {
    id: Uuid,
    kind: &'static str,
    name: String,
    channel: DeliveryChannel,
    destination: String,
}

/// Every active user holding an administration permission (in any role),
/// and the tenant's security contacts: by mail, and by SMS where a phone is
/// known; each address once.
async fn recipients(state: &AppState, tenant: TenantId) -> Result<Vec<Recipient>, sea_orm::DbErr> {
    let (users, contacts) = state
        .db
        .in_tenant(tenant, async |tx| {
            let roles: Vec<Uuid> = role::Entity::find()
                .all(tx)
                .await?
                .into_iter()
                .filter(|r| {
                    let perms: Vec<Permission> =
                        serde_json::from_str(&r.permissions).unwrap_or_default();
                    perms.iter().any(|p| ADMINISTRATION.contains(p))
                })
                .map(|r| r.id)
                .collect();
            let users = user::Entity::find()
                .join(JoinType::InnerJoin, user::Relation::UserRole.def())
                .filter(user_role::Column::RoleId.is_in(roles))
                .filter(user::Column::Status.eq(UserStatus::Active))
                .distinct()
                .all(tx)
                .await?;
            let contacts = security_contact::Entity::find()
                .order_by_asc(security_contact::Column::Position)
                .all(tx)
                .await?;
            Ok::<_, sea_orm::DbErr>((users, contacts))
        })
        .await?;
    let mut out = Vec::new();
    let mut seen = std::collections::HashSet::new();
    let people = users
        .into_iter()
        .map(|u| (u.id, "user", u.name, u.email, u.phone))
        .chain(
            contacts
                .into_iter()
                .map(|c| (c.id, "security_contact", c.name, c.email, c.phone)),
        );
    for (id, kind, name, email, phone) in people {
        let mut channels = vec![(DeliveryChannel::Email, email)];
        channels.extend(phone.map(|p| (DeliveryChannel::Sms, p)));
        for (channel, destination) in channels {
            if seen.insert((channel.to_value(), destination.to_lowercase())) {
                out.push(Recipient {
                    id,
                    kind,
                    name: name.clone(),
                    channel,
                    destination,
                });
            }
        }
    }
    Ok(out)
}

/// One try at sending a delivery.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct AttemptOut {
    pub at: chrono::DateTime<chrono::Utc>,
    /// `sent` or `failed`.
    pub outcome: String,
    pub error: Option<String>,
}
const CLAIM: chrono::Duration = chrono::Duration::seconds(60);

/// Queues an email and an SMS for every admin of each tenant: of the
/// incident itself, or of `update` to it.
pub async fn enqueue(
    state: &AppState,
    n: &notice::Model,
    tenants: &[Uuid],
    update: Option<&notice_update::Model>,
) -> Result<usize, sea_orm::DbErr> {
    let now = state.clock.now();
    let mut rows = Vec::new();
    for t in tenants {
        let active = state.db.active_tenant(TenantId(*t)).await?.is_some();
        if !active {
            continue;
        }
        let recipients = recipients(state, TenantId(*t)).await?;
        for r in recipients {
            rows.push(notice_delivery::ActiveModel {
                id: Set(Uuid::now_v7()),
                notice_id: Set(n.id),
                update_id: Set(update.map(|u| u.id)),
                tenant_id: Set(*t),
                user_id: Set(r.id),
                channel: Set(r.channel),
                destination: Set(r.destination),
                status: Set(DeliveryStatus::Pending),
                attempts: Set(0),
                last_error: Set(None),
                attempt_log: Set("[]".into()),
                next_attempt_at: Set(now),
                claimed_until: Set(None),
                sent_at: Set(None),
                created_at: Set(now),
                recipient_kind: Set(Some(r.kind.into())),
                recipient_name: Set(Some(r.name)),
            });
        }
    }
    let count = rows.len();
    if !rows.is_empty() {
        notice_delivery::Entity::insert_many(rows)
            .exec_without_returning(state.db.platform())
            .await?;
    }
    state.delivery_wakeup.notify_one();
    Ok(count)
}

/// The support desk's contacts, for the foot of every notice mail (the
/// white paper promises customers where to reach the provider).
fn support_footer(support: &crate::config::SupportSettings) -> String {
    let mut lines = vec!["---".to_owned(), "お問い合わせ / Support".to_owned()];
    if let Some(email) = &support.email {
        lines.push(format!("Mail: {email}"));
    }
    if let Some(phone) = &support.phone {
        lines.push(format!("Tel: {phone}"));
    }
    if let Some(url) = &support.url {
        lines.push(format!("Web: {url}"));
    }
    lines.push(format!("{} / {}", support.hours_ja, support.hours_en));
    lines.join("\n")
}

/// Subject, email body and SMS text.
fn message(
    n: &notice::Model,
    update: Option<&notice_update::Model>,
    support: &crate::config::SupportSettings,
) -> (String, String, String) {
    let (subject, ja, en) = match update {
        None => (
            format!("[Crepo] Incident / 障害のお知らせ: {}", n.title_ja),
            n.body_ja.as_str(),
            n.body_en.as_deref(),
        ),
        Some(u) => (
            format!(
                "[Crepo] Incident update ({}) / 障害情報の更新: {}",
                u.status.to_value(),
                n.title_ja
            ),
            u.body_ja.as_str(),
            u.body_en.as_deref(),
        ),
    };
    let mut body = format!("{}\n\n{ja}", n.title_ja);
    if let Some(en) = en {
        body.push_str(&format!(
            "\n\n---\n{}\n\n{en}",
            n.title_en.as_deref().unwrap_or("")
        ));
    }
    body.push_str("\n\n");
    body.push_str(&support_footer(support));
    let sms = format!("{subject}\n{ja}");
    (subject, body, sms)
}

/// One delivery: claim it (so no other node sends it too), send, record.
async fn attempt(state: &AppState, d: notice_delivery::Model) -> Result<(), sea_orm::DbErr> {
    let db = state.db.platform();
    let now = state.clock.now();
    let claimed = notice_delivery::Entity::update_many()
        .col_expr(
            notice_delivery::Column::ClaimedUntil,
            Expr::value(now + CLAIM),
        )
        .filter(notice_delivery::Column::Id.eq(d.id))
        .filter(notice_delivery::Column::Status.eq(DeliveryStatus::Pending))
        .filter(
            Condition::any()
                .add(notice_delivery::Column::ClaimedUntil.is_null())
                .add(notice_delivery::Column::ClaimedUntil.lt(now)),
        )
        .exec(db)
        .await?;
    if claimed.rows_affected != 1 {
        return Ok(());
    }
    let Some(n) = notice::Entity::find_by_id(d.notice_id).one(db).await? else {
        return Ok(());
    };
    let update = match d.update_id {
        Some(id) => notice_update::Entity::find_by_id(id).one(db).await?,
        None => None,
    };
    let (subject, body, sms) = message(&n, update.as_ref(), &state.settings.support);
    let sent = match d.channel {
        DeliveryChannel::Sms => match crate::auth::otp::number_allowed(state, &d.destination) {
            Ok(()) => state.sms.send(&d.destination, &sms).await,
            Err(e) => Err(anyhow::anyhow!("{e}")),
        },
        DeliveryChannel::Email => {
            state
                .mailer
                .send(TenantId(d.tenant_id), &d.destination, &subject, &body)
                .await
        }
    };
    let attempts = d.attempts + 1;
    let mut log: Vec<AttemptOut> = serde_json::from_str(&d.attempt_log).unwrap_or_default();
    log.push(AttemptOut {
        at: state.clock.now(),
        outcome: if sent.is_ok() { "sent" } else { "failed" }.into(),
        error: sent
            .as_ref()
            .err()
            .map(|e| format!("{e:#}").chars().take(500).collect()),
    });
    let mut row = notice_delivery::ActiveModel {
        attempt_log: Set(serde_json::to_string(&log).unwrap_or_else(|_| "[]".into())),
        id: Set(d.id),
        attempts: Set(attempts),
        claimed_until: Set(None),
        ..Default::default()
    };
    match sent {
        Ok(()) => {
            row.status = Set(DeliveryStatus::Sent);
            row.sent_at = Set(Some(state.clock.now()));
            row.last_error = Set(None);
        }
        Err(e) => {
            let error = format!("{e:#}");
            tracing::warn!(delivery_id = %d.id, attempts, error, "notice delivery failed");
            row.last_error = Set(Some(error.chars().take(1000).collect()));
            if attempts >= MAX_ATTEMPTS {
                row.status = Set(DeliveryStatus::Failed);
            } else {
                let factor = 2u32.saturating_pow(u32::try_from(attempts - 1).unwrap_or(0));
                let delay = chrono::Duration::from_std(state.settings.delivery_retry * factor)
                    .unwrap_or(CLAIM);
                row.next_attempt_at = Set(state.clock.now() + delay);
            }
        }
    }
    notice_delivery::Entity::update(row).exec(db).await?;
    Ok(())
}

/// Sends what is due; returns how many were tried.
pub async fn run_due(state: &AppState) -> Result<usize, sea_orm::DbErr> {
    let due = notice_delivery::Entity::find()
        .filter(notice_delivery::Column::Status.eq(DeliveryStatus::Pending))
        .filter(notice_delivery::Column::NextAttemptAt.lte(state.clock.now()))
        .order_by_asc(notice_delivery::Column::NextAttemptAt)
        .limit(50)
        .all(state.db.platform())
        .await?;
    let count = due.len();
    for d in due {
        attempt(state, d).await?;
    }
    Ok(count)
}

/// The worker: wakes when deliveries are queued, and every half second for
/// retries that come due.
pub fn spawn(state: actix_web::web::Data<AppState>) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        loop {
            match run_due(&state).await {
                Ok(n) if n > 0 => continue,
                Ok(_) => {}
                Err(e) => {
                    tracing::warn!(error = %e, "notice delivery worker: database unavailable")
                }
            }
            let _ =
                tokio::time::timeout(Duration::from_millis(500), state.delivery_wakeup.notified())
                    .await;
        }
    })
}

/// `+81******5678`, `h***@acme.example`: who was reached, without spelling it out.
pub fn masked(channel: DeliveryChannel, destination: &str) -> String {
    match channel {
        DeliveryChannel::Sms => crate::auth::otp::mask_phone(destination),
        DeliveryChannel::Email => match destination.split_once('@') {
            Some((local, domain)) => format!("{}***@{domain}", local.chars().next().unwrap_or('*')),
            None => "***".into(),
        },
    }
}
