//! `make bench`'s load generators: closed loop (a fixed number of clients
//! as fast as answers come) for the maximum, open loop (a fixed offered
//! rate) for latency at a given load.

use std::time::{Duration, Instant};

pub fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let idx = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[idx]
}

pub fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// `connections` clients each sending the next request as soon as the last
/// answered, for a two-second warm-up and then `window`: (requests/s, p50
/// ms, p99 ms).
pub async fn closed_loop(
    base: &str,
    token: Option<String>,
    codes: &[String],
    connections: usize,
    window: Duration,
) -> (f64, f64, f64) {
    let mut measured = Vec::new();
    for phase in [Duration::from_secs(2), window] {
        let deadline = Instant::now() + phase;
        let mut tasks = Vec::new();
        for c in 0..connections {
            let client = reqwest::Client::new();
            let token = token.clone();
            let codes = codes.to_vec();
            let base = base.to_owned();
            tasks.push(tokio::spawn(async move {
                let mut samples = Vec::new();
                let mut i = c;
                while Instant::now() < deadline {
                    let url = format!("{base}?label={}&limit=50", codes[i % codes.len()]);
                    i += 17;
                    let started = Instant::now();
                    let mut req = client.get(&url);
                    if let Some(t) = &token {
                        req = req.bearer_auth(t);
                    }
                    let res = req.send().await.unwrap();
                    assert_eq!(res.status(), 200);
                    res.bytes().await.unwrap();
                    samples.push(started.elapsed());
                }
                samples
            }));
        }
        measured.clear();
        for t in tasks {
            measured.extend(t.await.unwrap());
        }
    }
    measured.sort();
    (
        measured.len() as f64 / window.as_secs_f64(),
        ms(percentile(&measured, 0.5)),
        ms(percentile(&measured, 0.99)),
    )
}

/// Requests started at a fixed `rate` for `window` whatever the answers do:
/// (requests/s completed, p50 ms, p99 ms), each measured from its due time.
pub async fn open_loop(
    base: &str,
    token: &str,
    codes: &[String],
    rate: f64,
    window: Duration,
) -> (f64, f64, f64) {
    let client = reqwest::Client::new();
    let interval = Duration::from_secs_f64(1.0 / rate);
    let started = Instant::now();
    let mut tasks = Vec::new();
    let mut i = 0usize;
    while started.elapsed() < window {
        let due = started + interval * i as u32;
        tokio::time::sleep_until(due.into()).await;
        let url = format!("{base}?label={}&limit=50", codes[(i * 17) % codes.len()]);
        let (client, token) = (client.clone(), token.to_owned());
        tasks.push(tokio::spawn(async move {
            let res = client.get(&url).bearer_auth(&token).send().await.unwrap();
            assert_eq!(res.status(), 200);
            res.bytes().await.unwrap();
            due.elapsed()
        }));
        i += 1;
    }
    let mut measured = Vec::new();
    for t in tasks {
        measured.push(t.await.unwrap());
    }
    let took = started.elapsed().as_secs_f64();
    measured.sort();
    (
        measured.len() as f64 / took,
        ms(percentile(&measured, 0.5)),
        ms(percentile(&measured, 0.99)),
    )
}

/// `GET url` with `token` from `clients` clients, each sending the next
/// request as soon as the last answered, until `stop`; sorted latencies.
pub async fn get_until(
    client: &reqwest::Client,
    url: &str,
    token: &str,
    clients: usize,
    stop: std::time::Instant,
) -> Vec<Duration> {
    let mut tasks = Vec::new();
    for _ in 0..clients {
        let (client, url, token) = (client.clone(), url.to_owned(), token.to_owned());
        tasks.push(tokio::spawn(async move {
            let mut samples = Vec::new();
            while std::time::Instant::now() < stop {
                let started = std::time::Instant::now();
                let res = client.get(&url).bearer_auth(&token).send().await.unwrap();
                assert_eq!(res.status(), 200);
                res.bytes().await.unwrap();
                samples.push(started.elapsed());
            }
            samples
        }));
    }
    let mut all = Vec::new();
    for t in tasks {
        all.extend(t.await.unwrap());
    }
    all.sort();
    all
}
