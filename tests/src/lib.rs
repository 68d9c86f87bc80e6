//! Test harness: the real application on a random port, against a fresh SQLite
//! data directory or a fresh PostgreSQL database per test (dropped afterwards),
//! plus moto_server for the S3 and SNS backends.
//!
//! `CREPO_TEST_ENGINE=sqlite|postgres` picks the engine (sqlite by default);
//! `CREPO_TEST_PG_URL` names the PostgreSQL server (postgres://postgres@127.0.0.1:5432).

pub mod authz;
pub mod baseline;
pub mod binary;
pub mod cluster;
pub mod evaluation_bench;
pub mod export_bench;
pub mod load;
pub mod logs;
pub mod moto;
pub mod notices;
pub mod operators;
pub mod pg;
pub mod projects;
pub mod roles;
pub mod scan;
mod session;
pub mod tenants_bench;

use std::{collections::HashMap, path::PathBuf};

use crepo_api::{startup::Application, Settings};
use serde_json::{json, Value};

pub use pg::PgDatabase;
pub use session::Session;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Engine {
    Sqlite,
    Postgres,
}

pub fn engine() -> Engine {
    match std::env::var("CREPO_TEST_ENGINE").as_deref() {
        Ok("postgres") | Ok("pg") => Engine::Postgres,
        Ok("sqlite") | Err(_) => Engine::Sqlite,
        Ok(other) => panic!("CREPO_TEST_ENGINE={other}: expected sqlite or postgres"),
    }
}

/// The workspace root (for openapi.yaml, .venv …).
pub fn workspace_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

/// Once per test process: aws-lc-rs as rustls' provider (reqwest brings
/// none of its own, so this comes before any client is built) and, with
/// `CREPO_TEST_LOG`, the app's logs.
pub(crate) fn init_once() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        let _ = rustls::crypto::aws_lc_rs::default_provider().install_default();
        if let Ok(filter) = std::env::var("CREPO_TEST_LOG") {
            let _ = crepo_api::telemetry::init(crepo_api::config::LogFormat::Pretty, &filter);
        }
    });
}

/// Environment for a test application; tweak it before [`TestApp::spawn_with`].
pub struct TestEnv {
    pub vars: HashMap<String, String>,
    pub data_dir: tempfile::TempDir,
    pub pg: Option<PgDatabase>,
}

impl TestEnv {
    pub async fn new() -> TestEnv {
        TestEnv::for_engine(engine()).await
    }

    /// Like [`TestEnv::new`] on the engine given (the bench runs both).
    pub async fn for_engine(engine: Engine) -> TestEnv {
        init_once();
        let data_dir = tempfile::tempdir().unwrap();
        let mut vars = HashMap::new();
        vars.insert("CREPO_LISTEN".into(), "127.0.0.1:0".into());
        vars.insert(
            "CREPO_DATA_DIR".into(),
            data_dir.path().display().to_string(),
        );
        vars.insert("CREPO_WORKERS".into(), "2".into());
        vars.insert("CREPO_DB_MAX_CONNECTIONS".into(), "5".into());
        vars.insert("CREPO_SHUTDOWN_TIMEOUT_SECS".into(), "5".into());
        // Tests sign up many tenants from 127.0.0.1; the throttling test sets its own.
        vars.insert("CREPO_SIGNUP_RATE_LIMIT".into(), "10000/3600".into());
        vars.insert("CREPO_LOGIN_RATE_LIMIT".into(), "10000/60".into());
        vars.insert("CREPO_TENANT_LOGIN_RATE_LIMIT".into(), "10000/60".into());
        vars.insert("CREPO_JWT_SECRET".into(), TEST_JWT_SECRET.into());
        vars.insert("CREPO_WEB_DIR".into(), "off".into());
        let pg = match engine {
            Engine::Sqlite => None,
            Engine::Postgres => {
                let db = PgDatabase::create().await;
                vars.insert("CREPO_DATABASE_URL".into(), db.url.clone());
                Some(db)
            }
        };
        TestEnv { vars, data_dir, pg }
    }

    /// Another node's environment: the same database, data directory and
    /// secrets (this one keeps owning them).
    pub fn sibling(&self) -> TestEnv {
        TestEnv {
            vars: self.vars.clone(),
            data_dir: tempfile::tempdir().unwrap(),
            pg: None,
        }
    }

    pub fn set(&mut self, key: &str, value: impl Into<String>) -> &mut Self {
        self.vars.insert(key.into(), value.into());
        self
    }

    pub fn settings(&self) -> Settings {
        Settings::from_lookup(|k| self.vars.get(k).cloned()).unwrap()
    }

    /// Every message the SMS outbox of this data directory holds, oldest first.
    pub fn outbox(&self) -> Vec<Value> {
        let path = self.data_dir.path().join("sms-outbox.jsonl");
        std::fs::read_to_string(path)
            .unwrap_or_default()
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect()
    }

    /// The code in the latest message to `phone`.
    pub fn last_code(&self, phone: &str) -> String {
        let messages = self.outbox();
        let body = messages
            .iter()
            .rev()
            .find(|m| m["to"] == phone)
            .unwrap_or_else(|| panic!("no message to {phone}: {messages:?}"))["body"]
            .as_str()
            .unwrap()
            .to_owned();
        code_in(&body)
    }
}

/// A running application.
pub struct TestApp {
    pub address: String,
    pub port: u16,
    pub client: reqwest::Client,
    pub env: TestEnv,
    pub state: actix_web::web::Data<crepo_api::state::AppState>,
    /// The port of `CREPO_METRICS_LISTEN`, when the test set it.
    pub metrics_port: Option<u16>,
    handle: actix_web::dev::ServerHandle,
}

impl TestApp {
    pub async fn spawn() -> TestApp {
        Self::spawn_with(TestEnv::new().await).await
    }

    pub async fn spawn_with(env: TestEnv) -> TestApp {
        let app = Application::build(env.settings()).await.unwrap();
        let port = app.port();
        let metrics_port = app.metrics_port();
        let handle = app.handle();
        let state = app.state();
        tokio::spawn(app.run_until_stopped());
        let scheme = if env.vars.contains_key("CREPO_TLS_CERT") {
            "https"
        } else {
            "http"
        };
        TestApp {
            address: format!("{scheme}://127.0.0.1:{port}"),
            port,
            client: reqwest::Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .unwrap(),
            env,
            state,
            metrics_port,
            handle,
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.address, path)
    }

    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.client.get(self.url(path)).send().await.unwrap()
    }

    pub async fn post_json(&self, path: &str, body: &Value) -> reqwest::Response {
        self.client
            .post(self.url(path))
            .json(body)
            .send()
            .await
            .unwrap()
    }

    pub async fn signup(&self, body: &Value) -> reqwest::Response {
        self.post_json("/api/v1/signup", body).await
    }

    /// Signs up a tenant with valid data and returns the response body.
    pub async fn signup_ok(&self, slug: &str) -> Value {
        let res = self.signup(&signup_body(slug)).await;
        let status = res.status();
        let body: Value = res.json().await.unwrap();
        assert_eq!(status, 201, "{body}");
        body
    }

    /// A `Db` of the library opened on this app's database, for checks the API
    /// does not offer (schemas, raw rows).
    pub async fn db(&self) -> crepo_api::db::Db {
        crepo_api::db::Db::connect(&self.env.settings())
            .await
            .unwrap()
    }

    /// Waits until every access-log entry queued so far is written.
    pub async fn settle_log(&self) {
        self.state.access_log.flush().await;
    }

    pub async fn stop(&self) {
        self.handle.stop(true).await;
    }
}

/// The one-time code in an SMS text.
pub fn code_in(body: &str) -> String {
    let runs: Vec<String> = body
        .split(|c: char| !c.is_ascii_digit())
        .filter(|run| run.len() == 6)
        .map(str::to_owned)
        .collect();
    assert_eq!(runs.len(), 1, "expected one 6-digit run in {body:?}");
    runs[0].clone()
}

/// Valid sign-up data for `slug`.
pub fn signup_body(slug: &str) -> Value {
    json!({
        "tenant_slug": slug,
        "tenant_name": "アクメ食品株式会社",
        "email": format!("owner@{slug}.example"),
        "password": "correct horse battery staple",
        "name": "山田 花子",
        "phone": "+819012345678",
        "accept_terms_version": "2026-12-01",
    })
}

/// Throttles count in fixed windows: a test that must stay inside one
/// window of `secs` waits when the current one is about to end.
pub async fn inside_one_window(secs: u64) {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap_or_default();
    let into = now.as_millis() as u64 % (secs * 1000);
    if into > (secs - 10) * 1000 {
        tokio::time::sleep(std::time::Duration::from_millis(secs * 1000 - into + 100)).await;
    }
}

/// Asserts `res` is problem+json with `status` and `code`; returns the body.
pub async fn assert_problem(res: reqwest::Response, status: u16, code: &str) -> Value {
    let actual = res.status().as_u16();
    let content_type = res
        .headers()
        .get("content-type")
        .map(|v| v.to_str().unwrap().to_owned())
        .unwrap_or_default();
    let text = res.text().await.unwrap();
    assert_eq!(actual, status, "{text}");
    assert!(
        content_type.starts_with("application/problem+json"),
        "content-type {content_type}: {text}"
    );
    let body: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(body["code"], code, "{body}");
    assert_eq!(body["status"], status, "{body}");
    for field in ["type", "title", "detail"] {
        assert!(body[field].is_string(), "problem without {field}: {body}");
    }
    body
}

/// The secret every test app signs with, so tests can forge tokens.
pub const TEST_JWT_SECRET: &str = "test-secret-0123456789abcdef0123456789abcdef";
