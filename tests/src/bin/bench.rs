//! `make bench`: load figures that must not regress, printed for people to
//! read. Runs the real app in-process (PostgreSQL when CREPO_TEST_ENGINE says
//! so, SQLite otherwise) and drives it over HTTP.
//!
//! Login storm: p99 of `GET /api/v1/me` alone, then while 16 clients log in
//! without pause. argon2 runs off the async executor behind a gate, so the
//! ratio should stay within 2×.
//!
//! Access log: appended entries per second for one tenant and for 50, and the
//! throughput of an authenticated read with request logging on and off.
//!
//! Projects: 10,000 projects and 500 labels; `GET /api/v1/projects?label=…`
//! (page of 50) at 64 concurrent connections.
//!
//! Tenants: 1,000 sign-ups to a separate `crepo serve` on each engine;
//! sign-up p50 and resident memory fresh, busy and idle (target: idle within
//! 100 MB of fresh).
//!
//! Evaluation: a 4,000 × 3,000 JPEG evaluated on one core (< 300 ms), and
//! `GET /me` p99 while 50 designs are uploaded and evaluated.
//!
//! Export: 200,000 log entries and 500 MB of files exported by a separate
//! `crepo serve`, whose resident memory growth is printed (budget 64 MB).

// The allocator of `crepo serve` (api/src/main.rs), so the in-process
// figures are the server's.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use std::{
    sync::{
        atomic::{AtomicBool, AtomicU64, Ordering},
        Arc,
    },
    time::{Duration, Instant},
};

use crepo_tests::{
    engine,
    load::{closed_loop, get_until, ms, open_loop, percentile},
    TestApp, TestEnv,
};
use reqwest::Method;
use serde_json::json;

const READERS: usize = 8;
const LOGGERS: usize = 16;
const WINDOW: Duration = Duration::from_secs(6);

/// `GET /me` from `READERS` clients for `WINDOW`; sorted latencies.
async fn read_me(app: &TestApp, token: &str) -> Vec<Duration> {
    let url = app.url("/api/v1/me");
    get_until(&app.client, &url, token, READERS, Instant::now() + WINDOW).await
}

async fn login_storm(app: &TestApp) {
    let admin = app.admin("bench").await;
    // The storm's logins: a viewer's, so no SMS code is needed.
    app.user(
        &admin,
        "reader@bench.example",
        &["viewer"],
        None,
        "bench viewer passphrase",
    )
    .await;

    // Warm up, then measure alone.
    read_me(app, &admin.access).await;
    let quiet = read_me(app, &admin.access).await;

    let stop = Arc::new(AtomicBool::new(false));
    let logins = Arc::new(AtomicU64::new(0));
    let mut storm = Vec::new();
    for _ in 0..LOGGERS {
        let client = app.client.clone();
        let url = app.url("/api/v1/auth/login");
        let (stop, logins) = (stop.clone(), logins.clone());
        storm.push(tokio::spawn(async move {
            let body = json!({ "tenant": "bench", "email": "reader@bench.example", "password": "bench viewer passphrase" });
            while !stop.load(Ordering::Relaxed) {
                let res = client.post(&url).json(&body).send().await.unwrap();
                assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
                logins.fetch_add(1, Ordering::Relaxed);
            }
        }));
    }
    tokio::time::sleep(Duration::from_millis(500)).await;
    let busy = read_me(app, &admin.access).await;
    stop.store(true, Ordering::Relaxed);
    for t in storm {
        t.await.unwrap();
    }

    let (q50, q99) = (percentile(&quiet, 0.5), percentile(&quiet, 0.99));
    let (b50, b99) = (percentile(&busy, 0.5), percentile(&busy, 0.99));
    let ratio = b99.as_secs_f64() / q99.as_secs_f64().max(1e-9);
    println!(
        "login storm ({:?}, {READERS} readers of GET /api/v1/me, {LOGGERS} clients logging in)",
        engine()
    );
    println!(
        "  GET /me alone:        {:>6} requests  p50 {:>7.2} ms  p99 {:>7.2} ms",
        quiet.len(),
        ms(q50),
        ms(q99)
    );
    println!(
        "  GET /me during storm: {:>6} requests  p50 {:>7.2} ms  p99 {:>7.2} ms  ({} logins)",
        busy.len(),
        ms(b50),
        ms(b99),
        logins.load(Ordering::Relaxed)
    );
    println!(
        "  p99 ratio (storm / alone): {ratio:.2}  (target ≤ 2.00) {}",
        if ratio <= 2.0 { "OK" } else { "OVER TARGET" }
    );
}

/// Entries per second through the writer: enqueue, then wait for the flush.
async fn append_rate(app: &TestApp, tenants: &[crepo_api::ids::TenantId], total: usize) -> f64 {
    let log = &app.state.access_log;
    log.flush().await;
    let started = Instant::now();
    for i in 0..total {
        let entry = crepo_api::logbook::NewEntry {
            method: Some("GET".into()),
            route: Some("/api/v1/bench".into()),
            status: Some(200),
            ..crepo_api::logbook::NewEntry::event("http.request")
        };
        log.record(tenants[i % tenants.len()], entry).await;
    }
    log.flush().await;
    total as f64 / started.elapsed().as_secs_f64()
}

async fn access_log_bench() {
    let mut env = TestEnv::new().await;
    env.set("CREPO_SIGNUP_RATE_LIMIT", "100000/60");
    let app = TestApp::spawn_with(env).await;
    let mut tenants = Vec::new();
    for i in 0..50 {
        let body = app.signup_ok(&format!("bench-{i:02}")).await;
        tenants.push(body["tenant"]["id"].as_str().unwrap().parse().unwrap());
    }
    let one = append_rate(&app, &tenants[..1], 20_000).await;
    let fifty = append_rate(&app, &tenants, 20_000).await;
    println!("access log appends ({:?})", engine());
    let verdict = |rate: f64| {
        if rate >= 20_000.0 {
            "OK"
        } else {
            "UNDER TARGET"
        }
    };
    println!(
        "  one tenant:  {one:>9.0} entries/s (target ≥ 20,000) {}",
        verdict(one)
    );
    println!(
        "  50 tenants:  {fifty:>9.0} entries/s (target ≥ 20,000) {}",
        verdict(fifty)
    );

    // An authenticated read with request logging on, then off.
    let mut rates = Vec::new();
    for logging in ["true", "false"] {
        let mut env = TestEnv::new().await;
        env.set("CREPO_LOG_REQUESTS", logging);
        let app = TestApp::spawn_with(env).await;
        let admin = app.admin("reader").await;
        read_me(&app, &admin.access).await;
        let samples = read_me(&app, &admin.access).await;
        rates.push(samples.len() as f64 / WINDOW.as_secs_f64());
    }
    println!("  GET /api/v1/me, {READERS} clients: {:.0} req/s with request logging, {:.0} req/s without", rates[0], rates[1]);
    let overhead = (1.0 - rates[0] / rates[1]) * 100.0;
    println!(
        "  logging overhead: {overhead:.1}% (throughput ratio {:.2}; target ≤ 15%) {}",
        rates[0] / rates[1],
        if overhead <= 15.0 {
            "OK"
        } else {
            "OVER TARGET"
        }
    );
}

/// Seeds `projects` projects and `labels` labels straight into the tenant's
/// tables (the API would take minutes); each project carries three labels.
async fn seed(
    app: &TestApp,
    admin: &crepo_tests::Session,
    projects: usize,
    labels: usize,
) -> Vec<String> {
    use crepo_api::entities::tenant::{
        label,
        project::{self, ProjectStatus},
        project_label,
    };
    use sea_orm::{ActiveValue::Set, EntityTrait};
    let tx = app.state.db.tenant_tx(admin.tenant_id).await.unwrap();
    let now = chrono::Utc::now();
    let label_ids: Vec<(uuid::Uuid, String)> = (0..labels)
        .map(|i| (uuid::Uuid::now_v7(), format!("BENCH-{i:04}")))
        .collect();
    for chunk in label_ids.chunks(250) {
        label::Entity::insert_many(chunk.iter().map(|(id, code)| label::ActiveModel {
            id: Set(*id),
            code: Set(code.clone()),
            code_key: Set(code.to_lowercase()),
            kind: Set(None),
            name: Set(format!("ラベル {code}")),
            created_at: Set(now),
            updated_at: Set(now),
        }))
        .exec_without_returning(&tx)
        .await
        .unwrap();
    }
    let mut links = Vec::new();
    let mut rows = Vec::new();
    for i in 0..projects {
        let id = uuid::Uuid::now_v7();
        let at = now - chrono::Duration::seconds(i as i64);
        let name = format!("ベンチ案件 {i:05}");
        rows.push(project::ActiveModel {
            id: Set(id),
            search_key: Set(name.to_lowercase()),
            name_key: Set(name.to_lowercase()),
            name: Set(name),
            description: Set(String::new()),
            status: Set(ProjectStatus::Active),
            created_by: Set(Some(admin.user_id)),
            created_at: Set(at),
            updated_at: Set(at),
            version: Set(1),
        });
        for k in 0..3 {
            links.push(project_label::ActiveModel {
                project_id: Set(id),
                label_id: Set(label_ids[(i * 7 + k * 131) % labels].0),
            });
        }
    }
    for chunk in rows.chunks(500) {
        project::Entity::insert_many(chunk.to_vec())
            .exec_without_returning(&tx)
            .await
            .unwrap();
    }
    for chunk in links.chunks(1000) {
        project_label::Entity::insert_many(chunk.to_vec())
            .exec_without_returning(&tx)
            .await
            .unwrap();
    }
    tx.commit().await.unwrap();
    label_ids.into_iter().map(|(_, code)| code).collect()
}

/// SQL statements run by `GET /api/v1/projects` so far, and how many
/// requests ran them (from `/metrics`).
async fn list_statements(app: &TestApp) -> (f64, f64) {
    let text = app.get("/metrics").await.text().await.unwrap();
    let value = |name: &str| {
        text.lines()
            .find(|l| {
                l.starts_with(name)
                    && l.contains("route=\"/api/v1/projects\"")
                    && l.contains("method=\"GET\"")
            })
            .and_then(|l| l.rsplit(' ').next())
            .and_then(|v| v.parse::<f64>().ok())
            .unwrap_or(0.0)
    };
    (
        value("crepo_http_request_db_statements_sum"),
        value("crepo_http_request_db_statements_count"),
    )
}

async fn projects_bench() {
    const CONNECTIONS: usize = 64;
    let mut env = TestEnv::new().await;
    env.set("CREPO_DB_MAX_CONNECTIONS", "32");
    let app = TestApp::spawn_with(env).await;
    let admin = app.admin("catalogue").await;
    let codes = seed(&app, &admin, 10_000, 500).await;
    // A label-scoped reader reaching half of the labels.
    let half: Vec<String> = {
        use sea_orm::EntityTrait;
        let tx = app.state.db.tenant_tx(admin.tenant_id).await.unwrap();
        let labels = crepo_api::entities::tenant::label::Entity::find()
            .all(&tx)
            .await
            .unwrap();
        labels
            .iter()
            .filter(|l| l.code.starts_with("BENCH-"))
            .step_by(2)
            .map(|l| l.id.to_string())
            .collect()
    };
    let role: serde_json::Value = app
        .send_auth(
            Method::POST,
            "/api/v1/roles",
            &admin.access,
            Some(&json!({ "name": "half", "permissions": ["projects.read"], "scope": { "kind": "labels", "label_ids": half } })),
        )
        .await
        .json()
        .await
        .unwrap();
    let created: serde_json::Value = app
        .send_auth(
            Method::POST,
            "/api/v1/users",
            &admin.access,
            Some(&json!({ "email": "scoped@catalogue.example", "name": "Scoped", "role_ids": [role["id"]] })),
        )
        .await
        .json()
        .await
        .unwrap();
    let temp = created["temporary_password"].as_str().unwrap().to_owned();
    let t: serde_json::Value = app
        .login("catalogue", "scoped@catalogue.example", &temp)
        .await
        .json()
        .await
        .unwrap();
    let scoped = t["access_token"].as_str().unwrap().to_owned();
    app.send_auth(
        Method::PUT,
        "/api/v1/me/password",
        &scoped,
        Some(&json!({ "current_password": temp, "new_password": "scoped bench passphrase" })),
    )
    .await;

    println!("projects by label ({:?}, 10,000 projects, 500 labels, page of 50, {CONNECTIONS} connections)", engine());
    let real = app.url("/api/v1/projects");
    let mut rates = Vec::new();
    for (who, token) in [
        ("admin (scope all)", admin.access.clone()),
        ("label-scoped (250 labels)", scoped),
    ] {
        let (sum_before, count_before) = list_statements(&app).await;
        let (rate, p50, p99) = closed_loop(&real, Some(token), &codes, CONNECTIONS, WINDOW).await;
        let (sum_after, count_after) = list_statements(&app).await;
        rates.push(rate);
        println!(
            "  {who:<27} {rate:>6.0} req/s  p50 {p50:>7.2} ms  p99 {p99:>7.2} ms  {:.1} SQL statements per request",
            (sum_after - sum_before) / (count_after - count_before).max(1.0)
        );
    }
    // The same query, bare: no authentication, scope, logging or middleware.
    let bare = crepo_tests::baseline::serve(
        app.state.db.clone(),
        admin.tenant_id,
        app.state.settings.workers,
    );
    let (rate, p50, p99) = closed_loop(
        &format!("{bare}/api/v1/projects"),
        None,
        &codes,
        CONNECTIONS,
        WINDOW,
    )
    .await;
    println!(
        "  {:<27} {rate:>6.0} req/s  p50 {p50:>7.2} ms  p99 {p99:>7.2} ms",
        "baseline (bare handler)"
    );
    println!(
        "  admin / baseline: {:.2} (target ≥ 0.6); label-scoped / baseline: {:.2} (target ≥ 0.5)",
        rates[0] / rate.max(1.0),
        rates[1] / rate.max(1.0)
    );
    let admin_rate = rates[0];
    // Open loop: requests offered at half the admin's maximum, latency
    // counted from when each was due (no coordinated omission).
    let offered = (admin_rate / 2.0).max(1.0);
    let (done, p50, p99) = open_loop(&real, &admin.access, &codes, offered, WINDOW).await;
    println!("  admin at {offered:.0} req/s offered (half the maximum): {done:.0} req/s done, p50 {p50:.2} ms, p99 {p99:.2} ms (target p99 < 25 ms)");
}

#[tokio::main]
async fn main() {
    // `CREPO_BENCH=log|projects|tenants|evaluation|export make bench` runs one part.
    match std::env::var("CREPO_BENCH").as_deref() {
        Ok("export") => return crepo_tests::export_bench::run().await,
        Ok("projects") => return projects_bench().await,
        Ok("tenants") => return tenants().await,
        Ok("log") => return access_log_bench().await,
        Ok("evaluation") => return crepo_tests::evaluation_bench::run().await,
        _ => {}
    }
    let mut env = TestEnv::new().await;
    env.set("CREPO_LOGIN_RATE_LIMIT", "1000000/60");
    let app = TestApp::spawn_with(env).await;
    login_storm(&app).await;
    access_log_bench().await;
    projects_bench().await;
    tenants().await;
    crepo_tests::evaluation_bench::run().await;
    crepo_tests::export_bench::run().await;
}

/// Sign-ups and memory per tenant on both engines (SQLite needs no server).
async fn tenants() {
    use crepo_tests::{tenants_bench, Engine};
    tenants_bench::run(Engine::Sqlite).await;
    if engine() == Engine::Postgres {
        tenants_bench::run(Engine::Postgres).await;
    }
}
