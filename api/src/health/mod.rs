//! Liveness, readiness and Prometheus metrics for operators.

pub mod prober;

use std::time::Instant;

use actix_web::{get, http::header, web, HttpResponse};
use chrono::{DateTime, Utc};
use sea_orm::{ConnectionTrait, DbBackend, Statement};
use serde::Serialize;
use utoipa::ToSchema;

use crate::{error::ApiError, metrics::Readings, state::AppState};

/// Skew beyond this between node and database clock is reported as `skewed`.
const MAX_SKEW_MS: i64 = 1000;

#[derive(Serialize, ToSchema)]
pub struct Liveness {
    /// Always `alive`.
    pub status: String,
}

#[derive(Serialize, ToSchema, Clone, Copy, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum CheckStatus {
    Up,
    Down,
    /// Not checked yet since the node started.
    Unknown,
    /// Clock only: the node and the database disagree by more than a second.
    Skewed,
}

#[derive(Serialize, ToSchema)]
pub struct Check {
    pub status: CheckStatus,
    pub latency_ms: Option<f64>,
    /// When the check ran (background checks run every `CREPO_PROBE_INTERVAL_SECS`).
    pub checked_at: Option<DateTime<Utc>>,
    /// Set when the check failed. Says only that: the cause is in the log.
    pub error: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct ClockCheck {
    pub status: CheckStatus,
    /// Database clock minus this node's clock, in milliseconds.
    pub skew_ms: Option<i64>,
}

#[derive(Serialize, ToSchema)]
pub struct ReadinessChecks {
    pub database: Check,
    pub object_storage: Check,
    pub sms: Check,
    /// Email of incident notices: the outbox file, or the SNS notice topic.
    pub mail: Check,
    pub clock_skew: ClockCheck,
}

#[derive(Serialize, ToSchema)]
pub struct Readiness {
    /// `ready` (everything up), `degraded` (database up, something else not) or
    /// `unavailable` (database down: the node cannot serve).
    pub status: String,
    pub checks: ReadinessChecks,
    /// Configuration an operator must fix (e.g. SMS codes written to a file
    /// on a reachable address).
    pub warnings: Vec<String>,
}

/// Liveness: the process is running. Touches no dependency, so a database
/// outage does not get every node restarted.
#[utoipa::path(tag = "health", security(()), responses((status = 200, body = Liveness)))]
#[get("/health/live")]
async fn live() -> HttpResponse {
    HttpResponse::Ok()
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .json(Liveness {
            status: "alive".into(),
        })
}

async fn database_time_ms(state: &AppState) -> Result<i64, sea_orm::DbErr> {
    let conn = state.db.platform();
    let sql = match conn.get_database_backend() {
        DbBackend::Postgres => {
            "SELECT CAST(EXTRACT(EPOCH FROM clock_timestamp()) * 1000 AS BIGINT) AS ms"
        }
        _ => "SELECT CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER) AS ms",
    };
    let row = conn
        .query_one(Statement::from_string(conn.get_database_backend(), sql))
        .await?
        .ok_or_else(|| sea_orm::DbErr::Custom("no row".into()))?;
    row.try_get("", "ms")
}

fn from_probe(result: Option<crate::probes::ProbeResult>) -> Check {
    match result {
        None => Check {
            status: CheckStatus::Unknown,
            latency_ms: None,
            checked_at: None,
            error: None,
        },
        Some(r) => Check {
            status: if r.ok {
                CheckStatus::Up
            } else {
                CheckStatus::Down
            },
            latency_ms: Some(r.latency_ms),
            checked_at: Some(r.checked_at),
            // Anyone may ask: the cause (paths, bucket names, ARNs, account
            // ids) goes to the server log, where the prober writes it.
            error: r
                .error
                .map(|_| "the check failed; the server log says why".into()),
        },
    }
}

/// Readiness: 200 while the database answers, 503 when it does not. Object
/// storage and SMS come from the background prober; the database and the clock
/// skew are checked on each call.
#[utoipa::path(
    tag = "health",
    security(()),
    responses(
        (status = 200, description = "The database is reachable", body = Readiness),
        (status = 503, description = "The database is unreachable", body = Readiness),
    )
)]
#[get("/health/ready")]
async fn ready(state: web::Data<AppState>) -> HttpResponse {
    let started = Instant::now();
    let before = state.clock.now().timestamp_millis();
    let db =
        tokio::time::timeout(std::time::Duration::from_secs(2), database_time_ms(&state)).await;
    let latency_ms = started.elapsed().as_secs_f64() * 1000.0;
    let (database, clock_skew) = match db {
        Ok(Ok(db_ms)) => {
            // Compare against the midpoint of the round trip.
            let skew = db_ms - (before + (latency_ms / 2.0) as i64);
            (
                Check {
                    status: CheckStatus::Up,
                    latency_ms: Some(latency_ms),
                    checked_at: Some(state.clock.now()),
                    error: None,
                },
                ClockCheck {
                    status: if skew.abs() > MAX_SKEW_MS {
                        CheckStatus::Skewed
                    } else {
                        CheckStatus::Up
                    },
                    skew_ms: Some(skew),
                },
            )
        }
        failed => {
            let error = match failed {
                Ok(Err(e)) => format!("{e}"),
                _ => "timed out after 2 s".into(),
            };
            tracing::warn!(error, "readiness: database unreachable");
            (
                Check {
                    status: CheckStatus::Down,
                    latency_ms: Some(latency_ms),
                    checked_at: Some(state.clock.now()),
                    error: Some("the database is unreachable".into()),
                },
                ClockCheck {
                    status: CheckStatus::Unknown,
                    skew_ms: None,
                },
            )
        }
    };
    let checks = ReadinessChecks {
        database,
        object_storage: from_probe(state.probes.get("object_storage").await),
        sms: from_probe(state.probes.get("sms").await),
        mail: from_probe(state.probes.get("mail").await),
        clock_skew,
    };
    let db_up = checks.database.status == CheckStatus::Up;
    let all_up = db_up
        && checks.object_storage.status == CheckStatus::Up
        && checks.sms.status == CheckStatus::Up
        && checks.mail.status == CheckStatus::Up
        && checks.clock_skew.status == CheckStatus::Up;
    let status = match (db_up, all_up) {
        (true, true) => "ready",
        (true, false) => "degraded",
        _ => "unavailable",
    };
    let mut res = if db_up {
        HttpResponse::Ok()
    } else {
        HttpResponse::ServiceUnavailable()
    };
    res.insert_header((header::CACHE_CONTROL, "no-store"))
        .json(Readiness {
            status: status.into(),
            checks,
            warnings: state.settings.warnings(),
        })
}

/// Marks the app on `CREPO_METRICS_LISTEN`, the one that serves `/metrics`
/// when that is set.
pub struct MetricsListener;

/// Prometheus metrics: request counts and latency histograms by route
/// template and status, dependency state from the prober, pool gauges.
#[utoipa::path(
    tag = "health",
    security(()),
    responses(
        (status = 200, description = "Prometheus text exposition format", content_type = "text/plain", body = String),
        (status = 500, description = "Metrics could not be rendered", content_type = "application/problem+json", body = crate::error::Problem),
    )
)]
#[get("/metrics")]
pub async fn prometheus_metrics(
    state: web::Data<AppState>,
    internal: Option<web::Data<MetricsListener>>,
) -> Result<HttpResponse, ApiError> {
    // With CREPO_METRICS_LISTEN the public address does not serve them.
    if state.settings.metrics_listen.is_some() && internal.is_none() {
        return Err(ApiError::NotFound);
    }
    let body = state
        .metrics
        .render(Readings {
            pool: state.db.pool_stats(),
            refused_hashes: state.passwords.refused_hashes(),
            log_backlog: state.access_log.backlog(),
            log_dropped: state.access_log.dropped(),
        })
        .map_err(ApiError::internal)?;
    Ok(HttpResponse::Ok()
        .content_type("text/plain; version=0.0.4; charset=utf-8")
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .body(body))
}

pub fn routes(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(live).service(ready).service(prometheus_metrics);
}
