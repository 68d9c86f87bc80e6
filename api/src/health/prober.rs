//! Background checks of the external dependencies (object storage, SMS
//! provider), so that readiness and `/metrics` report their state without
//! calling them on every poll.

use std::time::Instant;

use crate::{clock::Clock, probes::ProbeResult, state::AppState};

async fn timed<F>(clock: &Clock, check: F) -> ProbeResult
where
    F: std::future::Future<Output = anyhow::Result<()>>,
{
    let started = Instant::now();
    let outcome = tokio::time::timeout(std::time::Duration::from_secs(10), check).await;
    let error = match outcome {
        Ok(Ok(())) => None,
        Ok(Err(e)) => Some(format!("{e:#}")),
        Err(_) => Some("timed out after 10 s".to_owned()),
    };
    ProbeResult {
        ok: error.is_none(),
        latency_ms: started.elapsed().as_secs_f64() * 1000.0,
        checked_at: clock.now(),
        error,
    }
}

/// Runs every check once and records the results.
pub async fn probe_once(state: &AppState) {
    let checks = [
        (
            "object_storage",
            timed(&state.clock, state.storage.check()).await,
        ),
        ("sms", timed(&state.clock, state.sms.check()).await),
        ("mail", timed(&state.clock, state.mailer.check()).await),
    ];
    for (name, result) in checks {
        if let Some(e) = &result.error {
            tracing::warn!(dependency = name, error = %e, "dependency check failed");
        }
        state.metrics.observe_dependency(
            name,
            result.ok,
            std::time::Duration::from_secs_f64(result.latency_ms / 1000.0),
            result.checked_at,
        );
        state.probes.set(name, result).await;
    }
    if let Err(e) = crate::throttle::purge_expired(&state.db, state.clock.now()).await {
        tracing::debug!(error = %e, "could not purge expired rate-limit windows");
    }
}

/// Loops until the returned handle is aborted.
pub fn spawn(state: actix_web::web::Data<AppState>) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(state.settings.probe_interval);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tick.tick().await;
            probe_once(&state).await;
        }
    })
}
