//! PostgreSQL stopped and killed under a steady load.

use std::{
    sync::{
        atomic::{AtomicBool, Ordering},
        Arc, Mutex,
    },
    time::{Duration, Instant},
};

use crepo_tests::{cluster::PgCluster, logs, Session, TestApp, TestEnv};
use reqwest::Method;
use serde_json::{json, Value};

use super::enabled;

const VIEWER_PASSWORD: &str = "a viewer under load";
/// One request of the steady load: when it started, how long it took, and
/// what it answered (0: no answer at all).
#[derive(Debug, Clone)]
struct Sample {
    started: Instant,
    took: Duration,
    status: u16,
}

#[derive(Default)]
struct Load {
    samples: Mutex<Vec<Sample>>,
    /// Project ids the server acknowledged with 201.
    acked: Mutex<Vec<String>>,
    uploads: Mutex<Vec<(String, String)>>,
    stop: AtomicBool,
}

/// Project writes, uploads and logins, until `load.stop`.
fn start_load(
    app: &Arc<TestApp>,
    s: &Session,
    project: String,
    load: &Arc<Load>,
) -> Vec<tokio::task::JoinHandle<()>> {
    let mut tasks = Vec::new();
    for worker in 0..3 {
        let (app, load, token) = (app.clone(), load.clone(), s.access.clone());
        tasks.push(tokio::spawn(async move {
            let mut i = 0;
            while !load.stop.load(Ordering::Relaxed) {
                i += 1;
                let started = Instant::now();
                let body = json!({ "name": format!("負荷 {worker}-{i}") });
                let res = tokio::time::timeout(
                    Duration::from_secs(30),
                    app.send_auth(Method::POST, "/api/v1/projects", &token, Some(&body)),
                )
                .await;
                let status = match res {
                    Ok(res) => {
                        let status = res.status().as_u16();
                        if status == 201 {
                            let p: Value = res.json().await.unwrap();
                            load.acked
                                .lock()
                                .unwrap()
                                .push(p["id"].as_str().unwrap().to_owned());
                        }
                        status
                    }
                    Err(_) => 0,
                };
                load.samples.lock().unwrap().push(Sample {
                    started,
                    took: started.elapsed(),
                    status,
                });
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
        }));
    }
    // Uploads into one project.
    let (app2, load2, token) = (app.clone(), load.clone(), s.access.clone());
    tasks.push(tokio::spawn(async move {
        let mut i = 0;
        while !load2.stop.load(Ordering::Relaxed) {
            i += 1;
            let started = Instant::now();
            let res = app2
                .client
                .post(app2.url(&format!(
                    "/api/v1/projects/{project}/files?filename=load-{i}.bin"
                )))
                .bearer_auth(&token)
                .header("content-type", "application/octet-stream")
                .body(vec![b'x'; 64 * 1024])
                .timeout(Duration::from_secs(30))
                .send()
                .await;
            let status = match res {
                Ok(res) => {
                    let status = res.status().as_u16();
                    if status == 201 {
                        let f: Value = res.json().await.unwrap();
                        load2
                            .uploads
                            .lock()
                            .unwrap()
                            .push((project.clone(), f["id"].as_str().unwrap().to_owned()));
                    }
                    status
                }
                Err(_) => 0,
            };
            load2.samples.lock().unwrap().push(Sample {
                started,
                took: started.elapsed(),
                status,
            });
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }));
    // Logins of a user without privileges (tokens at once, no texted code).
    let (app3, load3, tenant) = (app.clone(), load.clone(), s.tenant.clone());
    tasks.push(tokio::spawn(async move {
        while !load3.stop.load(Ordering::Relaxed) {
            let started = Instant::now();
            let res = tokio::time::timeout(
                Duration::from_secs(30),
                app3.login(
                    &tenant,
                    &format!("viewer@{tenant}.example"),
                    VIEWER_PASSWORD,
                ),
            )
            .await;
            let status = res.map(|r| r.status().as_u16()).unwrap_or(0);
            load3.samples.lock().unwrap().push(Sample {
                started,
                took: started.elapsed(),
                status,
            });
            tokio::time::sleep(Duration::from_millis(300)).await;
        }
    }));
    tasks
}

enum Outage {
    Stop,
    Kill,
}

async fn database_outage(kind: Outage) {
    let cluster = PgCluster::start();
    let mut env = TestEnv::new().await;
    env.set("CREPO_DATABASE_URL", cluster.url());
    env.set("CREPO_DB_MAX_CONNECTIONS", "10");
    let app = Arc::new(TestApp::spawn_with(env).await);
    let s = app.admin("faults").await;
    let project = crepo_tests::projects::project(&app, &s, "Uploads", "").await;
    app.user(
        &s,
        "viewer@faults.example",
        &["viewer"],
        None,
        VIEWER_PASSWORD,
    )
    .await;
    let load = Arc::new(Load::default());
    let tasks = start_load(&app, &s, project["id"].as_str().unwrap().to_owned(), &load);

    tokio::time::sleep(Duration::from_secs(3)).await;
    let down = Instant::now();
    match kind {
        Outage::Stop => cluster.stop(),
        Outage::Kill => cluster.kill(),
    }
    tokio::time::sleep(Duration::from_secs(10)).await;
    let up = Instant::now();
    cluster.resume();
    tokio::time::sleep(Duration::from_secs(8)).await;
    load.stop.store(true, Ordering::Relaxed);
    for t in tasks {
        t.await.unwrap();
    }

    let samples = load.samples.lock().unwrap().clone();
    let during: Vec<&Sample> = samples
        .iter()
        .filter(|x| x.started >= down && x.started < up)
        .collect();
    let first_503 = during
        .iter()
        .filter(|x| x.status == 503)
        .map(|x| x.started + x.took - down)
        .min();
    let slowest = during.iter().map(|x| x.took).max().unwrap_or_default();
    let recovered = samples
        .iter()
        .filter(|x| x.started >= up && (200..300).contains(&x.status))
        .map(|x| x.started + x.took - up)
        .min();
    let acked = load.acked.lock().unwrap().clone();
    let uploads = load.uploads.lock().unwrap().clone();
    let name = match kind {
        Outage::Stop => "PostgreSQL stopped for 10 s",
        Outage::Kill => "PostgreSQL killed (SIGKILL) for 10 s",
    };
    println!(
        "FAULT {name}: {} requests during the outage; first 503 after {:?}; slowest answer {:?}; recovered {:?} after the database returned; {} acknowledged project writes and {} uploads checked",
        during.len(),
        first_503,
        slowest,
        recovered,
        acked.len(),
        uploads.len()
    );
    assert!(!during.is_empty());
    assert!(
        during
            .iter()
            .all(|x| x.status == 503 || (200..300).contains(&x.status)),
        "{during:?}"
    );
    assert!(
        first_503.is_some_and(|t| t < Duration::from_secs(2)),
        "{first_503:?}"
    );
    assert!(
        slowest < Duration::from_secs(2),
        "a request hung for {slowest:?} during the outage"
    );
    assert!(
        recovered.is_some_and(|t| t < Duration::from_secs(5)),
        "recovery: {recovered:?}"
    );

    // Every acknowledged write is there, and the chain verifies.
    let s = app.admin_session("faults").await;
    for id in &acked {
        let res = app
            .get_auth(&format!("/api/v1/projects/{id}"), &s.access)
            .await;
        assert_eq!(res.status(), 200, "acknowledged project {id} is missing");
    }
    for (project, file) in &uploads {
        let res = app
            .get_auth(
                &format!("/api/v1/projects/{project}/files/{file}/content"),
                &s.access,
            )
            .await;
        assert_eq!(res.status(), 200, "acknowledged upload {file} is missing");
    }
    app.settle_log().await;
    let verify = logs::verify(&app, &s.access).await;
    assert_eq!(verify["status"], "intact", "{verify}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn faults_postgres_stopped_under_load() {
    if !enabled() {
        return;
    }
    database_outage(Outage::Stop).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn faults_postgres_killed_under_load() {
    if !enabled() {
        return;
    }
    database_outage(Outage::Kill).await;
}
