//! Typed settings read from the `CREPO_*` environment (see the contract in
//! DESIGN.md). Everything is validated up front: a bad value stops the server
//! with a message naming the variable. Secrets never reach `Debug` output.

use std::{net::SocketAddr, path::PathBuf, time::Duration};

use ipnet::IpNet;

mod parse;
mod values;

use parse::{number, parse_bool, parse_proxies, parse_storage, sms_limits};
use values::err;
pub use values::{
    AwsSettings, ConfigError, LogFormat, MailSettings, RateLimit, Secret, SmsLimits, SmsSettings,
    StorageSettings, SupportSettings, TlsSettings,
};

#[derive(Debug, Clone)]
pub struct Settings {
    pub listen: SocketAddr,
    /// Serve `/metrics` here instead of on `listen` (`CREPO_METRICS_LISTEN`).
    pub metrics_listen: Option<SocketAddr>,
    pub data_dir: PathBuf,
    /// Contains credentials on PostgreSQL, hence secret.
    pub database_url: Secret,
    pub db_max_connections: u32,
    /// SQLite: tenant files kept open at once (`CREPO_SQLITE_OPEN_TENANTS`);
    /// the least recently used beyond it is closed.
    pub sqlite_open_tenants: usize,
    /// How long a request waits for a pooled connection, or for the database
    /// to accept one, before 503 (`CREPO_DB_ACQUIRE_TIMEOUT_MS`).
    pub db_acquire_timeout: Duration,
    /// PostgreSQL: `statement_timeout` of the application's sessions
    /// (`CREPO_DB_STATEMENT_TIMEOUT_SECS`); `idle_in_transaction_session_timeout`
    /// is twice it.
    pub db_statement_timeout: Duration,
    pub storage: StorageSettings,
    pub sms: SmsSettings,
    pub tls: Option<TlsSettings>,
    pub jwt_secret: Option<Secret>,
    /// The secret before the last change: tokens it signed stay valid.
    pub jwt_previous_secret: Option<Secret>,
    /// Requests that may wait for an argon2 hash before 429 (`CREPO_HASH_QUEUE`).
    pub hash_queue: usize,
    /// How long a ready export can be downloaded before it is deleted
    /// (`CREPO_EXPORT_TTL_HOURS`, default 168: seven days).
    pub export_ttl: Duration,
    /// The terms of use a sign-up accepts (`CREPO_TERMS_VERSION`), and
    /// where they are published (`CREPO_TERMS_URL`).
    pub terms_version: String,
    pub terms_url: Option<String>,
    /// Days between a tenant's termination request and the date by which
    /// its data is deleted (`CREPO_TERMINATION_GRACE_DAYS`).
    pub termination_grace: Duration,
    /// How long a deleted tenant's slug cannot be taken again
    /// (`CREPO_SLUG_QUARANTINE_DAYS`).
    pub slug_quarantine: Duration,
    /// A running export whose worker was silent this long was cut off (its
    /// node died) and is marked failed (`CREPO_EXPORT_STALE_SECS`).
    pub export_stale: Duration,
    /// How long an access token lives (`CREPO_ACCESS_TOKEN_TTL_SECS`, 5–3600).
    pub access_token_ttl_secs: i64,
    pub login_limit: RateLimit,
    /// Login attempts per tenant, from every address together
    /// (`CREPO_TENANT_LOGIN_RATE_LIMIT`): a botnet spread over many
    /// addresses still gets this many guesses at one tenant.
    pub tenant_login_limit: RateLimit,
    /// Base64 Ed25519 seed signing access-log checkpoints (else generated).
    pub log_signing_key: Option<Secret>,
    /// Earlier checkpoint public keys (base64) that still verify.
    pub log_trusted_keys: Vec<String>,
    /// A checkpoint after this many entries…
    pub log_checkpoint_entries: i64,
    /// …or this long after the last one, whichever comes first.
    pub log_checkpoint_interval: Duration,
    /// Entries one tenant may have waiting; a full queue makes that
    /// tenant's requests wait, up to `log_deadline`.
    pub log_queue_capacity: usize,
    /// How long a request waits for the access log (`CREPO_LOG_DEADLINE_SECS`):
    /// a security event not written by then is 503.
    pub log_deadline: Duration,
    /// `http.request` entries on (the promise); off only to measure their cost.
    pub log_requests: bool,
    /// Largest design file accepted (413 beyond).
    pub file_max_bytes: u64,
    /// Where notice mail goes (`CREPO_MAIL`, `CREPO_MAIL_FROM`).
    pub mail: MailSettings,
    /// First retry delay of a failed notice delivery (doubles each time).
    pub delivery_retry: Duration,
    pub log_format: LogFormat,
    pub log_filter: String,
    pub json_limit: usize,
    pub probe_interval: Duration,
    pub trusted_proxies: Vec<IpNet>,
    pub signup_limit: RateLimit,
    pub migrate_on_start: bool,
    pub web_dir: Option<PathBuf>,
    pub shutdown_timeout: Duration,
    /// A request body that sends nothing for this long is answered 408
    /// (`CREPO_BODY_IDLE_TIMEOUT_SECS`).
    pub body_idle_timeout: Duration,
    /// HTTP worker threads.
    pub workers: usize,
    pub aws: AwsSettings,
    /// `CREPO_SUPPORT_EMAIL`, `_PHONE`, `_URL`, `_HOURS_JA`, `_HOURS_EN`.
    pub support: SupportSettings,
    pub sms_limits: SmsLimits,
    /// Tests only (`CREPO_FAULT_EXIT_AFTER_COMMIT`): the process exits right
    /// after committing a change that records this event, before anything
    /// else runs, as a crash there would.
    pub fault_exit_after_commit: Option<String>,
}

impl Settings {
    /// Reads the process environment.
    pub fn from_env() -> Result<Self, ConfigError> {
        Self::from_lookup(|name| std::env::var(name).ok().filter(|v| !v.is_empty()))
    }

    /// Reads settings through `lookup`, so tests can feed their own values.
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Result<Self, ConfigError> {
        let get = |var: &'static str| lookup(var).map(|v| (var, v));

        let listen = match get("CREPO_LISTEN") {
            Some((var, v)) => v
                .parse()
                .map_err(|_| err(var, format!("`{v}` is not an address like 127.0.0.1:8080")))?,
            None => SocketAddr::from(([127, 0, 0, 1], 8080)),
        };
        let metrics_listen =
            match get("CREPO_METRICS_LISTEN") {
                Some((var, v)) => Some(v.parse().map_err(|_| {
                    err(var, format!("`{v}` is not an address like 127.0.0.1:9090"))
                })?),
                None => None,
            };
        let data_dir = PathBuf::from(lookup("CREPO_DATA_DIR").unwrap_or_else(|| "./data".into()));

        let database_url = match get("CREPO_DATABASE_URL") {
            Some((var, v)) => {
                if !(v.starts_with("postgres://")
                    || v.starts_with("postgresql://")
                    || v.starts_with("sqlite:"))
                {
                    return Err(err(
                        var,
                        "must start with postgres://, postgresql:// or sqlite:",
                    ));
                }
                v
            }
            None => format!("sqlite://{}", data_dir.join("crepo.db").display()),
        };

        let storage = match get("CREPO_STORAGE") {
            None => StorageSettings::Directory(data_dir.join("objects")),
            Some((var, v)) => parse_storage(&v).map_err(|m| err(var, m))?,
        };
        let (sms, mail) = parse::messaging(&get, &data_dir)?;
        let tls = match (lookup("CREPO_TLS_CERT"), lookup("CREPO_TLS_KEY")) {
            (None, None) => None,
            (Some(cert), Some(key)) => Some(TlsSettings {
                cert: cert.into(),
                key: key.into(),
            }),
            (Some(_), None) => return Err(err("CREPO_TLS_KEY", "is required with CREPO_TLS_CERT")),
            (None, Some(_)) => return Err(err("CREPO_TLS_CERT", "is required with CREPO_TLS_KEY")),
        };
        let jwt_secret = match get("CREPO_JWT_SECRET") {
            Some((var, v)) if v.len() < 32 => {
                return Err(err(var, "must be at least 32 characters long"))
            }
            other => other.map(|(_, v)| Secret::new(v)),
        };
        let jwt_previous_secret = match get("CREPO_JWT_PREVIOUS_SECRET") {
            Some((var, v)) if v.len() < 32 => {
                return Err(err(var, "must be at least 32 characters long"))
            }
            other => other.map(|(_, v)| Secret::new(v)),
        };
        let log_format = match get("CREPO_LOG_FORMAT").map(|(_, v)| v) {
            None => LogFormat::Pretty,
            Some(v) if v == "pretty" || v == "text" => LogFormat::Pretty,
            Some(v) if v == "json" => LogFormat::Json,
            Some(v) => {
                return Err(err(
                    "CREPO_LOG_FORMAT",
                    format!("`{v}` is neither text nor json"),
                ))
            }
        };

        Ok(Settings {
            listen,
            metrics_listen,
            database_url: Secret::new(database_url),
            db_max_connections: number(&get, "CREPO_DB_MAX_CONNECTIONS", 10, 1..=1000)?,
            sqlite_open_tenants: number(&get, "CREPO_SQLITE_OPEN_TENANTS", 256, 1..=100_000)?,
            db_acquire_timeout: Duration::from_millis(number(
                &get,
                "CREPO_DB_ACQUIRE_TIMEOUT_MS",
                1500,
                100..=60_000,
            )?),
            db_statement_timeout: Duration::from_secs(number(
                &get,
                "CREPO_DB_STATEMENT_TIMEOUT_SECS",
                30,
                1..=3600,
            )?),
            storage,
            sms,
            tls,
            jwt_secret,
            jwt_previous_secret,
            login_limit: match get("CREPO_LOGIN_RATE_LIMIT") {
                None => RateLimit {
                    count: 30,
                    window: Duration::from_secs(60),
                },
                Some((var, v)) => v.parse().map_err(|m: String| err(var, m))?,
            },
            tenant_login_limit: match get("CREPO_TENANT_LOGIN_RATE_LIMIT") {
                None => RateLimit {
                    count: 300,
                    window: Duration::from_secs(60),
                },
                Some((var, v)) => v.parse().map_err(|m: String| err(var, m))?,
            },
            log_signing_key: lookup("CREPO_LOG_SIGNING_KEY").map(Secret::new),
            log_trusted_keys: lookup("CREPO_LOG_TRUSTED_KEYS")
                .map(|v| {
                    v.split(',')
                        .map(str::trim)
                        .filter(|s| !s.is_empty())
                        .map(str::to_owned)
                        .collect()
                })
                .unwrap_or_default(),
            log_checkpoint_entries: number(
                &get,
                "CREPO_LOG_CHECKPOINT_ENTRIES",
                1000,
                1..=1_000_000,
            )?,
            log_checkpoint_interval: Duration::from_secs(number(
                &get,
                "CREPO_LOG_CHECKPOINT_SECS",
                300,
                1..=86_400,
            )?),
            log_queue_capacity: number(&get, "CREPO_LOG_QUEUE", 10_000, 10..=1_000_000)?,
            log_deadline: Duration::from_secs(number(&get, "CREPO_LOG_DEADLINE_SECS", 5, 1..=120)?),
            mail,
            delivery_retry: Duration::from_millis(number(
                &get,
                "CREPO_DELIVERY_RETRY_MS",
                2000,
                10..=3_600_000,
            )?),
            file_max_bytes: number(
                &get,
                "CREPO_FILE_MAX_BYTES",
                50 * 1024 * 1024,
                1..=(5u64 << 30),
            )?,
            log_requests: match get("CREPO_LOG_REQUESTS") {
                None => true,
                Some((var, v)) => {
                    parse_bool(&v).ok_or_else(|| err(var, "must be true or false"))?
                }
            },
            log_format,
            log_filter: lookup("CREPO_LOG").unwrap_or_else(|| "info".into()),
            hash_queue: number(&get, "CREPO_HASH_QUEUE", 32, 1..=10_000)?,
            export_ttl: Duration::from_secs(
                3600 * number(&get, "CREPO_EXPORT_TTL_HOURS", 168u64, 1..=8760)?,
            ),
            terms_version: lookup("CREPO_TERMS_VERSION").unwrap_or_else(|| "2026-12-01".into()),
            terms_url: lookup("CREPO_TERMS_URL"),
            termination_grace: Duration::from_secs(
                86_400 * number(&get, "CREPO_TERMINATION_GRACE_DAYS", 30u64, 1..=365)?,
            ),
            slug_quarantine: Duration::from_secs(
                86_400 * number(&get, "CREPO_SLUG_QUARANTINE_DAYS", 30u64, 0..=3650)?,
            ),
            export_stale: Duration::from_secs(number(
                &get,
                "CREPO_EXPORT_STALE_SECS",
                120,
                2..=86_400,
            )?),
            access_token_ttl_secs: number(&get, "CREPO_ACCESS_TOKEN_TTL_SECS", 900, 5..=3600)?,
            json_limit: number(
                &get,
                "CREPO_JSON_LIMIT",
                1024 * 1024,
                1024..=64 * 1024 * 1024,
            )?,
            probe_interval: Duration::from_secs(number(
                &get,
                "CREPO_PROBE_INTERVAL_SECS",
                30,
                1..=3600,
            )?),
            trusted_proxies: match get("CREPO_TRUSTED_PROXIES") {
                None => Vec::new(),
                Some((var, v)) => parse_proxies(&v).map_err(|m| err(var, m))?,
            },
            signup_limit: match get("CREPO_SIGNUP_RATE_LIMIT") {
                None => RateLimit {
                    count: 10,
                    window: Duration::from_secs(3600),
                },
                Some((var, v)) => v.parse().map_err(|m: String| err(var, m))?,
            },
            migrate_on_start: match get("CREPO_MIGRATE_ON_START") {
                None => true,
                Some((var, v)) => {
                    parse_bool(&v).ok_or_else(|| err(var, "must be true or false"))?
                }
            },
            web_dir: match get("CREPO_WEB_DIR") {
                Some((_, v)) if v == "off" => None,
                Some((var, v)) if !std::path::Path::new(&v).is_dir() => {
                    return Err(err(
                        var,
                        format!("`{v}` is not a directory (use `off` to serve no SPA)"),
                    ))
                }
                Some((_, v)) => Some(v.into()),
                None => Some(PathBuf::from("web/dist")).filter(|p| p.is_dir()),
            },
            shutdown_timeout: Duration::from_secs(number(
                &get,
                "CREPO_SHUTDOWN_TIMEOUT_SECS",
                30,
                1..=600,
            )?),
            body_idle_timeout: Duration::from_secs(number(
                &get,
                "CREPO_BODY_IDLE_TIMEOUT_SECS",
                20,
                1..=600,
            )?),
            workers: number(
                &get,
                "CREPO_WORKERS",
                std::thread::available_parallelism()
                    .map(|n| n.get())
                    .unwrap_or(2),
                1..=256,
            )?,
            aws: AwsSettings {
                region: lookup("AWS_REGION")
                    .or_else(|| lookup("AWS_DEFAULT_REGION"))
                    .unwrap_or_else(|| "ap-northeast-1".into()),
                endpoint_url: lookup("AWS_ENDPOINT_URL"),
                access_key_id: lookup("AWS_ACCESS_KEY_ID"),
                secret_access_key: lookup("AWS_SECRET_ACCESS_KEY").map(Secret::new),
                session_token: lookup("AWS_SESSION_TOKEN").map(Secret::new),
            },
            support: SupportSettings {
                email: lookup("CREPO_SUPPORT_EMAIL"),
                phone: lookup("CREPO_SUPPORT_PHONE"),
                url: lookup("CREPO_SUPPORT_URL"),
                hours_ja: lookup("CREPO_SUPPORT_HOURS_JA")
                    .unwrap_or_else(|| "平日 9:00〜18:00（日本時間、祝日と年末年始を除く）".into()),
                hours_en: lookup("CREPO_SUPPORT_HOURS_EN").unwrap_or_else(|| {
                    "Weekdays 9:00–18:00 JST, except public holidays and the new-year break".into()
                }),
            },
            fault_exit_after_commit: lookup("CREPO_FAULT_EXIT_AFTER_COMMIT"),
            sms_limits: sms_limits(&get)?,
            data_dir,
        })
    }

    /// What an operator must hear about, at start and in readiness: the SMS
    /// outbox (codes in a plain file) on an address others can reach.
    pub fn warnings(&self) -> Vec<String> {
        let mut out = Vec::new();
        if matches!(self.sms, SmsSettings::Outbox(_)) && !self.listen.ip().is_loopback() {
            out.push(format!(
                "SMS codes go to a file (CREPO_SMS=outbox) while the API listens on {}: anyone with the data directory can sign in as anyone; set CREPO_SMS=sns outside development",
                self.listen
            ));
        }
        out
    }

    pub fn is_postgres(&self) -> bool {
        !self.database_url.expose().starts_with("sqlite:")
    }
}

#[cfg(test)]
mod tests;
