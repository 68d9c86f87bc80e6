//! Reading the log: filters, newest first, cursor pages stable under appends.

use chrono::{DateTime, Utc};
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Select,
};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use crate::{
    entities::tenant::access_log,
    error::ApiError,
    page::{Page, PageQuery},
};

#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct LogFilter {
    /// Entries of this user.
    pub user_id: Option<Uuid>,
    /// An event name (`auth.login.failed`), or a prefix ending in a dot (`auth.`).
    #[param(max_length = 64)]
    pub event: Option<String>,
    /// HTTP status of request entries.
    #[param(minimum = 100, maximum = 599)]
    pub status: Option<i32>,
    /// Client address.
    #[param(max_length = 64)]
    pub ip: Option<String>,
    /// From this time (inclusive, RFC 3339).
    pub from: Option<DateTime<Utc>>,
    /// Until this time (exclusive, RFC 3339).
    pub to: Option<DateTime<Utc>>,
}

impl LogFilter {
    pub fn check(&self) -> Result<(), ApiError> {
        if self
            .event
            .as_deref()
            .is_some_and(|e| e.chars().count() > 64)
        {
            return Err(ApiError::field(
                "event",
                "too_long",
                "must be at most 64 characters",
            ));
        }
        if self.ip.as_deref().is_some_and(|e| e.chars().count() > 64) {
            return Err(ApiError::field(
                "ip",
                "too_long",
                "must be at most 64 characters",
            ));
        }
        if self.status.is_some_and(|s| !(100..=599).contains(&s)) {
            return Err(ApiError::field(
                "status",
                "out_of_range",
                "must be between 100 and 599",
            ));
        }
        Ok(())
    }

    pub fn apply(&self, mut select: Select<access_log::Entity>) -> Select<access_log::Entity> {
        use access_log::Column as C;
        if let Some(user) = self.user_id {
            select = select.filter(C::UserId.eq(user));
        }
        if let Some(event) = self.event.as_deref().filter(|e| !e.is_empty()) {
            select = select.filter(crate::text::dotted_filter(C::Event, event));
        }
        if let Some(status) = self.status {
            select = select.filter(C::Status.eq(status));
        }
        if let Some(ip) = self.ip.as_deref().filter(|i| !i.is_empty()) {
            select = select.filter(C::Ip.eq(ip));
        }
        if let Some(from) = self.from {
            select = select.filter(C::At.gte(from));
        }
        if let Some(to) = self.to {
            select = select.filter(C::At.lt(to));
        }
        select
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct LogEntryOut {
    pub seq: i64,
    /// UTC, to the millisecond.
    pub at: DateTime<Utc>,
    /// Dot-separated: `http.request`, `auth.login.succeeded`, `user.deleted` …
    pub event: String,
    pub user_id: Option<Uuid>,
    /// The user's email at the time.
    pub user_email: Option<String>,
    pub ip: Option<String>,
    pub user_agent: Option<String>,
    pub method: Option<String>,
    /// Route template, e.g. `/api/v1/users/{id}`.
    pub route: Option<String>,
    pub path: Option<String>,
    pub status: Option<i32>,
    pub latency_ms: Option<i32>,
    pub request_id: Option<String>,
    #[schema(value_type = Object)]
    pub details: serde_json::Value,
    pub prev_hash: String,
    pub hash: String,
}

impl From<access_log::Model> for LogEntryOut {
    fn from(m: access_log::Model) -> Self {
        Self {
            seq: m.seq,
            at: m.at,
            event: m.event,
            user_id: m.user_id,
            user_email: m.user_email,
            ip: m.ip,
            user_agent: m.user_agent,
            method: m.method,
            route: m.route,
            path: m.path,
            status: m.status,
            latency_ms: m.latency_ms,
            request_id: m.request_id,
            details: serde_json::from_str(&m.details).unwrap_or_default(),
            prev_hash: m.prev_hash,
            hash: m.hash,
        }
    }
}

/// One page, newest first. New entries only ever get larger sequence numbers,
/// so paging with `seq < cursor` neither skips nor repeats.
pub async fn page(
    conn: &impl ConnectionTrait,
    filter: &LogFilter,
    params: &PageQuery<200>,
) -> Result<Page<LogEntryOut>, ApiError> {
    filter.check()?;
    let limit = params.limit()?;
    let mut select = filter
        .apply(access_log::Entity::find())
        .order_by_desc(access_log::Column::Seq)
        .limit(limit + 1);
    if let Some(before) = params.after::<i64>()? {
        select = select.filter(access_log::Column::Seq.lt(before));
    }
    let rows = select.all(conn).await?;
    Ok(Page::from_rows(rows, limit, |r| r.seq).map(LogEntryOut::from))
}
