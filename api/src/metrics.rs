//! Prometheus metrics, kept in the application's own registry (no globals).

use std::time::Duration;

use prometheus::{
    Encoder, GaugeVec, HistogramOpts, HistogramVec, IntCounter, IntCounterVec, IntGaugeVec, Opts,
    Registry, TextEncoder,
};

use crate::{db::PoolStats, logbook::TenantBacklog};

/// What other parts of the application report when `/metrics` is read.
pub struct Readings {
    pub pool: PoolStats,
    pub refused_hashes: u64,
    pub log_backlog: Vec<TenantBacklog>,
    pub log_dropped: u64,
}

#[derive(Clone)]
pub struct Metrics {
    registry: Registry,
    requests: IntCounterVec,
    latency: HistogramVec,
    statements: HistogramVec,
    dependency_up: IntGaugeVec,
    dependency_latency: GaugeVec,
    dependency_checked: GaugeVec,
    pool: IntGaugeVec,
    hashes_refused: IntCounter,
    sms_refused: IntCounterVec,
    log_backlog: IntGaugeVec,
    log_failing: IntGaugeVec,
    log_tampered: IntGaugeVec,
    log_dropped: IntCounter,
}

/// The method as a label value: the standard ones by name, any other token a
/// client makes up as `other` (else each would be a new series, forever).
fn method_label(method: &str) -> &'static str {
    const STANDARD: [&str; 9] = [
        "GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "CONNECT", "TRACE",
    ];
    STANDARD
        .into_iter()
        .find(|m| *m == method)
        .unwrap_or("other")
}

impl Metrics {
    pub fn new() -> anyhow::Result<Self> {
        let registry = Registry::new_custom(Some("crepo".into()), None)?;
        let requests = IntCounterVec::new(
            Opts::new(
                "http_requests_total",
                "HTTP requests by route template and status",
            ),
            &["method", "route", "status"],
        )?;
        let latency = HistogramVec::new(
            HistogramOpts::new(
                "http_request_duration_seconds",
                "HTTP request latency by route template and status",
            )
            .buckets(vec![
                0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0,
            ]),
            &["method", "route", "status"],
        )?;
        let statements = HistogramVec::new(
            HistogramOpts::new(
                "http_request_db_statements",
                "SQL statements one request ran, by route template",
            )
            .buckets(vec![
                1.0, 2.0, 4.0, 6.0, 8.0, 10.0, 12.0, 16.0, 24.0, 32.0, 64.0,
            ]),
            &["method", "route"],
        )?;
        let dependency_up = IntGaugeVec::new(
            Opts::new(
                "dependency_up",
                "1 when the last check of a dependency succeeded",
            ),
            &["dependency"],
        )?;
        let dependency_latency = GaugeVec::new(
            Opts::new(
                "dependency_check_seconds",
                "Duration of the last dependency check",
            ),
            &["dependency"],
        )?;
        let dependency_checked = GaugeVec::new(
            Opts::new(
                "dependency_checked_timestamp_seconds",
                "When a dependency was last checked (Unix time)",
            ),
            &["dependency"],
        )?;
        let pool = IntGaugeVec::new(
            Opts::new("db_pool_connections", "Database pool connections by state"),
            &["state"],
        )?;
        let hashes_refused = IntCounter::new(
            "password_hashes_refused_total",
            "Logins and password changes refused (429) because too many waited for argon2",
        )?;
        // Per tenant, but only tenants with a backlog or a failing append:
        // the series vanish when the queue is empty again.
        let log_backlog = IntGaugeVec::new(
            Opts::new(
                "access_log_backlog",
                "Access-log entries waiting to be written, per tenant with any waiting",
            ),
            &["tenant_id"],
        )?;
        let log_failing = IntGaugeVec::new(
            Opts::new(
                "access_log_append_failing",
                "1 for a tenant whose last access-log append failed and is being retried",
            ),
            &["tenant_id"],
        )?;
        let log_tampered = IntGaugeVec::new(
            Opts::new(
                "access_log_tampered",
                "1 for a tenant whose access log disagrees with the platform's anchor or last checkpoint: nothing is appended or signed for it",
            ),
            &["tenant_id"],
        )?;
        let log_dropped = IntCounter::new(
            "access_log_dropped_total",
            "Request entries dropped because their tenant's queue stayed full past the deadline",
        )?;
        registry.register(Box::new(log_backlog.clone()))?;
        registry.register(Box::new(log_failing.clone()))?;
        registry.register(Box::new(log_tampered.clone()))?;
        registry.register(Box::new(log_dropped.clone()))?;
        registry.register(Box::new(hashes_refused.clone()))?;
        let sms_refused = IntCounterVec::new(
            Opts::new(
                "sms_refused_total",
                "Texts not sent: tenant_budget, platform_budget or denied_prefix",
            ),
            &["reason"],
        )?;
        registry.register(Box::new(sms_refused.clone()))?;
        registry.register(Box::new(requests.clone()))?;
        registry.register(Box::new(latency.clone()))?;
        registry.register(Box::new(statements.clone()))?;
        registry.register(Box::new(dependency_up.clone()))?;
        registry.register(Box::new(dependency_latency.clone()))?;
        registry.register(Box::new(dependency_checked.clone()))?;
        registry.register(Box::new(pool.clone()))?;
        Ok(Self {
            registry,
            requests,
            latency,
            statements,
            dependency_up,
            dependency_latency,
            dependency_checked,
            pool,
            hashes_refused,
            sms_refused,
            log_backlog,
            log_failing,
            log_tampered,
            log_dropped,
        })
    }

    pub fn observe_request(
        &self,
        method: &str,
        route: &str,
        status: u16,
        elapsed: Duration,
        statements: u32,
    ) {
        let status = status.to_string();
        let labels = [method_label(method), route, status.as_str()];
        self.requests.with_label_values(&labels).inc();
        self.latency
            .with_label_values(&labels)
            .observe(elapsed.as_secs_f64());
        self.statements
            .with_label_values(&labels[..2])
            .observe(f64::from(statements));
    }

    pub fn observe_dependency(
        &self,
        name: &str,
        up: bool,
        elapsed: Duration,
        at: chrono::DateTime<chrono::Utc>,
    ) {
        self.dependency_up
            .with_label_values(&[name])
            .set(i64::from(up));
        self.dependency_latency
            .with_label_values(&[name])
            .set(elapsed.as_secs_f64());
        self.dependency_checked
            .with_label_values(&[name])
            .set(at.timestamp_millis() as f64 / 1000.0);
    }

    /// One text refused by the SMS limits.
    pub fn sms_refused(&self, reason: &'static str) {
        self.sms_refused.with_label_values(&[reason]).inc();
    }

    pub fn render(&self, readings: Readings) -> anyhow::Result<String> {
        let Readings {
            pool,
            refused_hashes,
            log_backlog,
            log_dropped,
        } = readings;
        // Counters kept elsewhere: catch up with them.
        let seen = self.hashes_refused.get();
        self.hashes_refused
            .inc_by(refused_hashes.saturating_sub(seen));
        let seen = self.log_dropped.get();
        self.log_dropped.inc_by(log_dropped.saturating_sub(seen));
        self.log_backlog.reset();
        self.log_failing.reset();
        self.log_tampered.reset();
        for b in log_backlog {
            let tenant = b.tenant.to_string();
            self.log_backlog
                .with_label_values(&[tenant.as_str()])
                .set(i64::try_from(b.waiting).unwrap_or(i64::MAX));
            if b.failing {
                self.log_failing
                    .with_label_values(&[tenant.as_str()])
                    .set(1);
            }
            if b.tampered {
                self.log_tampered
                    .with_label_values(&[tenant.as_str()])
                    .set(1);
            }
        }
        self.pool
            .with_label_values(&["open"])
            .set(i64::from(pool.size));
        self.pool
            .with_label_values(&["idle"])
            .set(i64::from(pool.idle));
        self.pool
            .with_label_values(&["in_use"])
            .set(i64::from(pool.size.saturating_sub(pool.idle)));
        self.pool
            .with_label_values(&["max"])
            .set(i64::from(pool.max));
        self.pool
            .with_label_values(&["sqlite_tenant_pools"])
            .set(i64::from(pool.tenant_pools));
        let mut out = Vec::new();
        TextEncoder::new().encode(&self.registry.gather(), &mut out)?;
        Ok(String::from_utf8(out)?)
    }
}
