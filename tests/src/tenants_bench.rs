//! `make bench`, tenants: a `crepo serve` process of its own (the server's
//! default pool and worker sizes) signs up 1,000 tenants, four at a time;
//! printed: sign-up p50/p99, and the resident memory and open files of a
//! fresh process, right after the sign-ups and after 20 s idle. Memory must
//! follow the work, not the history: idle within 100 MB of fresh.

use std::time::{Duration, Instant};

use futures_util::{stream, StreamExt};

use crate::{
    binary::{free_port, serve, Server},
    load::{ms, percentile},
    signup_body, Engine, TestEnv,
};

const TENANTS: usize = 1_000;
const CONCURRENCY: usize = 4;
const IDLE: Duration = Duration::from_secs(20);

/// A field of /proc/PID/status in kB.
pub fn status_kb(pid: u32, field: &str) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .unwrap_or_default()
        .lines()
        .find(|l| l.starts_with(field))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(0)
}

fn open_files(pid: u32) -> usize {
    std::fs::read_dir(format!("/proc/{pid}/fd")).map_or(0, |d| d.count())
}

struct Reading {
    rss_mb: f64,
    files: usize,
}

fn read(pid: u32) -> Reading {
    Reading {
        rss_mb: status_kb(pid, "VmRSS:") as f64 / 1024.0,
        files: open_files(pid),
    }
}

pub async fn run(engine: Engine) {
    let mut env = TestEnv::for_engine(engine).await;
    // The server's own defaults for pools and workers, not the tests' small ones.
    env.vars.remove("CREPO_DB_MAX_CONNECTIONS");
    env.vars.remove("CREPO_WORKERS");
    env.set("CREPO_SIGNUP_RATE_LIMIT", "1000000/60");
    let port = free_port();
    let server = Server::start(serve(&env, port), port).await;
    let pid = server.pid();
    tokio::time::sleep(Duration::from_secs(2)).await;
    let fresh = read(pid);

    let url = server.url("/api/v1/signup");
    let http = server.http.clone();
    let started = Instant::now();
    let mut took: Vec<Duration> = stream::iter(0..TENANTS)
        .map(|i| {
            let (http, url) = (http.clone(), url.clone());
            async move {
                let at = Instant::now();
                let res = http
                    .post(&url)
                    .json(&signup_body(&format!("idle-{i:04}")))
                    .send()
                    .await
                    .unwrap();
                let status = res.status();
                assert_eq!(status, 201, "{}", res.text().await.unwrap());
                at.elapsed()
            }
        })
        .buffer_unordered(CONCURRENCY)
        .collect()
        .await;
    let all = started.elapsed();
    took.sort();
    let busy = read(pid);
    tokio::time::sleep(IDLE).await;
    let idle = read(pid);

    println!("tenants ({engine:?}, {TENANTS} sign-ups, {CONCURRENCY} at a time, a separate `crepo serve`)");
    println!(
        "  sign-up: p50 {:.1} ms, p99 {:.1} ms, {:.1} sign-ups/s (target p50 < 250 ms on PostgreSQL)",
        ms(percentile(&took, 0.5)),
        ms(percentile(&took, 0.99)),
        TENANTS as f64 / all.as_secs_f64()
    );
    println!(
        "  resident memory: fresh {:.1} MB, after the sign-ups {:.1} MB, after {} s idle {:.1} MB",
        fresh.rss_mb,
        busy.rss_mb,
        IDLE.as_secs(),
        idle.rss_mb
    );
    let grew = idle.rss_mb - fresh.rss_mb;
    println!(
        "  idle - fresh: {grew:.1} MB, {:.1} kB per tenant (target < 100 MB) {}",
        grew * 1024.0 / TENANTS as f64,
        if grew < 100.0 { "OK" } else { "OVER TARGET" }
    );
    println!(
        "  open files: fresh {}, after the sign-ups {}, idle {}",
        fresh.files, busy.files, idle.files
    );
}
