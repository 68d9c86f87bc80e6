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

use std::{collections::HashMap, path::PathBuf};

use crepo_api::{startup::Application, Settings};
use serde_json::{json, Value};

pub use pg::PgDatabase;

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
        let pg = match engine() {
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

/// Tokens of a signed-in user.
#[derive(Debug, Clone)]
pub struct Session {
    /// The tenant's slug, as given at login.
    pub tenant: String,
    pub access: String,
    pub refresh: String,
    pub tenant_id: crepo_api::ids::TenantId,
    pub user_id: uuid::Uuid,
}

impl TestApp {
    /// Every message the outbox has sent, oldest first.
    pub fn outbox(&self) -> Vec<Value> {
        self.env.outbox()
    }

    /// The code in the latest message to `phone`.
    pub fn last_code(&self, phone: &str) -> String {
        self.env.last_code(phone)
    }

    pub async fn login(&self, tenant: &str, email: &str, password: &str) -> reqwest::Response {
        self.post_json(
            "/api/v1/auth/login",
            &json!({ "tenant": tenant, "email": email, "password": password }),
        )
        .await
    }

    /// Logs in, entering the SMS code when asked; panics on failure.
    pub async fn session(
        &self,
        tenant: &str,
        email: &str,
        password: &str,
        phone: Option<&str>,
    ) -> Session {
        let res = self.login(tenant, email, password).await;
        assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
        let mut body: Value = res.json().await.unwrap();
        if body["mfa_required"] == true {
            let code = self.last_code(phone.expect("a privileged user needs a phone"));
            let res = self
                .post_json(
                    "/api/v1/auth/mfa",
                    &json!({ "mfa_token": body["mfa_token"], "code": code }),
                )
                .await;
            assert_eq!(res.status(), 200);
            body = res.json().await.unwrap();
        }
        let me: Value = self
            .get_auth("/api/v1/me", body["access_token"].as_str().unwrap())
            .await
            .json()
            .await
            .unwrap();
        Session {
            tenant: tenant.to_owned(),
            access: body["access_token"].as_str().unwrap().to_owned(),
            refresh: body["refresh_token"].as_str().unwrap().to_owned(),
            tenant_id: me["tenant"]["id"].as_str().unwrap().parse().unwrap(),
            user_id: me["id"].as_str().unwrap().parse().unwrap(),
        }
    }

    /// Signs up `slug` and signs its admin in (with the SMS code).
    pub async fn admin(&self, slug: &str) -> Session {
        self.signup_ok(slug).await;
        self.admin_session(slug).await
    }

    /// A new session of `slug`'s admin (after the app's clock moved past the
    /// last one's timeout).
    pub async fn admin_session(&self, slug: &str) -> Session {
        self.session(
            slug,
            &format!("owner@{slug}.example"),
            "correct horse battery staple",
            Some("+819012345678"),
        )
        .await
    }

    pub async fn get_auth(&self, path: &str, token: &str) -> reqwest::Response {
        self.client
            .get(self.url(path))
            .bearer_auth(token)
            .send()
            .await
            .unwrap()
    }

    pub async fn send_auth(
        &self,
        method: reqwest::Method,
        path: &str,
        token: &str,
        body: Option<&Value>,
    ) -> reqwest::Response {
        let mut req = self
            .client
            .request(method, self.url(path))
            .bearer_auth(token);
        if let Some(body) = body {
            req = req.json(body);
        }
        req.send().await.unwrap()
    }

    /// Creates a user through the API; returns (user json, temporary password).
    pub async fn create_user(
        &self,
        admin: &Session,
        email: &str,
        roles: &[&str],
        phone: Option<&str>,
    ) -> (Value, String) {
        let role_ids = self.role_ids(admin, roles).await;
        let body = json!({ "email": email, "name": "テスト ユーザー", "phone": phone, "role_ids": role_ids });
        let res = self
            .send_auth(
                reqwest::Method::POST,
                "/api/v1/users",
                &admin.access,
                Some(&body),
            )
            .await;
        assert_eq!(res.status(), 201, "{}", res.text().await.unwrap());
        let created: Value = res.json().await.unwrap();
        (
            created["user"].clone(),
            created["temporary_password"].as_str().unwrap().to_owned(),
        )
    }

    /// A user's first login, as one created by an admin must make it: logs in
    /// with the temporary password (entering the SMS code when asked) and
    /// changes it to `new_password`. The session stays valid.
    pub async fn first_login(
        &self,
        tenant: &str,
        email: &str,
        temporary: &str,
        phone: Option<&str>,
        new_password: &str,
    ) -> Session {
        let session = self.session(tenant, email, temporary, phone).await;
        let change = json!({ "current_password": temporary, "new_password": new_password });
        let res = self
            .send_auth(
                reqwest::Method::PUT,
                "/api/v1/me/password",
                &session.access,
                Some(&change),
            )
            .await;
        assert_eq!(res.status(), 204, "{}", res.text().await.unwrap());
        session
    }

    /// A user created by `admin` with the built-in `roles`, signed in after
    /// changing its temporary password to `password`: (user json, session).
    pub async fn user(
        &self,
        admin: &Session,
        email: &str,
        roles: &[&str],
        phone: Option<&str>,
        password: &str,
    ) -> (Value, Session) {
        let (user, temporary) = self.create_user(admin, email, roles, phone).await;
        let session = self
            .first_login(&admin.tenant, email, &temporary, phone, password)
            .await;
        (user, session)
    }

    /// Changes the tenant's password policy as `edit` says (the rest stays).
    pub async fn edit_policy(&self, admin: &Session, edit: impl FnOnce(&mut Value)) {
        let path = "/api/v1/settings/password-policy";
        let mut policy: Value = self
            .get_auth(path, &admin.access)
            .await
            .json()
            .await
            .unwrap();
        edit(&mut policy);
        let res = self
            .send_auth(reqwest::Method::PUT, path, &admin.access, Some(&policy))
            .await;
        assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    }

    /// Ids of the built-in roles named, read from the tenant's database.
    pub async fn role_ids(&self, admin: &Session, names: &[&str]) -> Vec<String> {
        use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
        let db = self.db().await;
        let tx = db.tenant_tx(admin.tenant_id).await.unwrap();
        let roles = crepo_api::entities::tenant::role::Entity::find()
            .filter(
                crepo_api::entities::tenant::role::Column::Name
                    .is_in(names.iter().map(|n| n.to_string())),
            )
            .all(&tx)
            .await
            .unwrap();
        assert_eq!(roles.len(), names.len(), "unknown role among {names:?}");
        roles.into_iter().map(|r| r.id.to_string()).collect()
    }
}
