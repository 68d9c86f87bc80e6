//! Request bodies that stop arriving, or never end: every body gets an idle
//! deadline (a gap between chunks longer than `CREPO_BODY_IDLE_TIMEOUT_SECS`
//! ends it with 408), and an upload counts its whole body against a cap, so
//! a multipart body without a boundary cannot grow the server.

use std::{
    io,
    pin::Pin,
    sync::{
        atomic::{AtomicBool, AtomicU64, Ordering},
        Arc,
    },
    time::Duration,
};

use actix_web::{
    body::MessageBody,
    dev::{Payload, ServiceRequest, ServiceResponse},
    error::PayloadError,
    middleware::Next,
    web, HttpMessage,
};
use bytes::Bytes;
use futures_util::{Stream, StreamExt};

use crate::{error::ApiError, state::AppState};

/// Marks the error a body deadline produces, so extractors and uploads can
/// answer 408 instead of a generic "broken body".
const IDLE_MESSAGE: &str = "the request body stopped arriving";

/// Is `e` the idle deadline's error?
pub fn is_idle_timeout(e: &io::Error) -> bool {
    e.kind() == io::ErrorKind::TimedOut && e.to_string() == IDLE_MESSAGE
}

/// The answer to a body that stopped arriving.
pub fn timed_out(idle: Duration) -> ApiError {
    ApiError::RequestTimeout {
        detail: format!(
            "{IDLE_MESSAGE}: nothing was received for {} s",
            idle.as_secs()
        ),
    }
}

/// Middleware: wraps every request body in the idle deadline.
pub async fn idle_deadline(
    mut req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    // Most requests carry no body: leave their (empty) payload alone.
    let has_body = req
        .headers()
        .contains_key(actix_web::http::header::TRANSFER_ENCODING)
        || req
            .headers()
            .get(actix_web::http::header::CONTENT_LENGTH)
            .is_some_and(|v| v.as_bytes() != b"0");
    let idle = req
        .app_data::<web::Data<AppState>>()
        .filter(|_| has_body)
        .map(|s| s.settings.body_idle_timeout);
    if let Some(idle) = idle {
        let payload = req.take_payload();
        let guarded = Box::pin(futures_util::stream::unfold(
            Some(payload),
            move |state| async move {
                let mut payload = state?;
                match tokio::time::timeout(idle, payload.next()).await {
                    Ok(Some(item)) => Some((item, Some(payload))),
                    Ok(None) => None,
                    Err(_) => Some((
                        Err(PayloadError::Io(io::Error::new(
                            io::ErrorKind::TimedOut,
                            IDLE_MESSAGE,
                        ))),
                        None,
                    )),
                }
            },
        ))
        // Readers may poll again after the end (multipart does).
        .fuse();
        let boxed: Pin<Box<dyn Stream<Item = Result<Bytes, PayloadError>>>> = Box::pin(guarded);
        req.set_payload(Payload::from(boxed));
    }
    next.call(req).await
}

/// Counts an upload's body against a cap that the handler may raise once it
/// knows what follows (the file part's headers are small; its bytes are
/// bounded by the file limit). Remembers why the body ended early.
#[derive(Debug)]
pub struct BodyGuard {
    seen: AtomicU64,
    cap: AtomicU64,
    over: AtomicBool,
    idle: AtomicBool,
}

impl BodyGuard {
    pub fn new(cap: u64) -> Arc<BodyGuard> {
        Arc::new(BodyGuard {
            seen: AtomicU64::new(0),
            cap: AtomicU64::new(cap),
            over: AtomicBool::new(false),
            idle: AtomicBool::new(false),
        })
    }

    /// Allows `more` bytes beyond those read so far.
    pub fn allow_more(&self, more: u64) {
        let seen = self.seen.load(Ordering::Relaxed);
        self.cap.store(seen.saturating_add(more), Ordering::Relaxed);
    }

    /// Why the body failed, when the guard knows: too large or too slow.
    pub fn verdict(&self, limit: u64, idle: Duration) -> Option<ApiError> {
        if self.over.load(Ordering::Relaxed) {
            Some(ApiError::PayloadTooLarge {
                limit: usize::try_from(limit).unwrap_or(usize::MAX),
            })
        } else if self.idle.load(Ordering::Relaxed) {
            Some(timed_out(idle))
        } else {
            None
        }
    }

    /// `body`, ended with an error once it passes the cap.
    pub fn watch<S>(
        self: &Arc<Self>,
        body: S,
    ) -> impl Stream<Item = Result<Bytes, PayloadError>> + Unpin + 'static
    where
        S: Stream<Item = Result<Bytes, PayloadError>> + Unpin + 'static,
    {
        let guard = self.clone();
        Box::pin(futures_util::stream::unfold(Some(body), move |state| {
            let guard = guard.clone();
            async move {
                let mut body = state?;
                match body.next().await? {
                    Ok(chunk) => {
                        let len = u64::try_from(chunk.len()).unwrap_or(u64::MAX);
                        let seen = guard.seen.fetch_add(len, Ordering::Relaxed) + len;
                        if seen > guard.cap.load(Ordering::Relaxed) {
                            guard.over.store(true, Ordering::Relaxed);
                            return Some((Err(PayloadError::Overflow), None));
                        }
                        Some((Ok(chunk), Some(body)))
                    }
                    Err(e) => {
                        if matches!(&e, PayloadError::Io(io) if is_idle_timeout(io)) {
                            guard.idle.store(true, Ordering::Relaxed);
                        }
                        Some((Err(e), None))
                    }
                }
            }
        }))
        .fuse()
    }
}
