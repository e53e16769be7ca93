//! A bound on the work in flight: at most `max_concurrent_requests` pages, server functions and
//! API answers at once, up to `request_queue` more waiting their turn, and beyond that an
//! immediate `503 Service Unavailable` with `Retry-After`.
//!
//! Why: memory follows the number of pages being rendered at the same moment (each render
//! holds its reactive owner, its resources' data and its HTML), and allocators keep much of
//! what a peak took. A burst of 1,000 connections rendered all at once left the server at
//! 330 MB (issue 15); rendering a few at a time is as fast on a small machine, and a queued
//! request costs a few hundred bytes instead of a render.
//!
//! What is not bounded: `/health` (probes must see a busy server as alive), the compiled site
//! files (`/pkg`), the charts' files (`/charts`) and the public files at the site's root
//! (`/favicon.svg`): they are read from disk without rendering anything.
//!
//! The permit is held until the response body has been sent (or dropped), not just until the
//! handler returns: a streamed body (CSV downloads, pages rendered as they are sent) is still
//! work in flight.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::pin::Pin;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::task::{Context, Poll};

use axum::{
    body::{Body, Bytes, HttpBody},
    extract::{Request, State},
    http::{header, HeaderValue, StatusCode},
    middleware::Next,
    response::{IntoResponse, Response},
};
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

use crate::context::Settings;

/// Seconds a refused client is asked to wait before trying again.
pub const RETRY_AFTER_SECONDS: u32 = 1;

/// The limit of one application (one router): its permits, its queue, and which paths it
/// lets through unbounded.
#[derive(Clone)]
pub struct Limit {
    permits: Arc<Semaphore>,
    queue: usize,
    waiting: Arc<AtomicUsize>,
    exempt: Arc<Exempt>,
}

impl Limit {
    /// The limit of `settings`, exempting the static files of the site in `site_root`
    /// (its `pkg_dir`, `/charts`, and whatever lies at its root).
    pub fn new(settings: &Settings, site_root: &Path, pkg_dir: &str) -> Self {
        Self {
            permits: Arc::new(Semaphore::new(settings.max_concurrent_requests.max(1))),
            queue: settings.request_queue,
            waiting: Arc::new(AtomicUsize::new(0)),
            exempt: Arc::new(Exempt::new(site_root, pkg_dir)),
        }
    }

    /// A permit, at once or after waiting in the queue; `None` when the queue is full.
    async fn admit(&self) -> Option<OwnedSemaphorePermit> {
        // Tokio's semaphore hands released permits to waiters first, so this does not let a
        // newcomer overtake the queue.
        if let Ok(permit) = self.permits.clone().try_acquire_owned() {
            return Some(permit);
        }
        let _seat = Seat::take(&self.waiting, self.queue)?;
        self.permits.clone().acquire_owned().await.ok()
    }
}

/// A place in the queue, given back when the request gets its permit or is cancelled.
struct Seat<'a>(&'a AtomicUsize);

impl<'a> Seat<'a> {
    fn take(waiting: &'a AtomicUsize, queue: usize) -> Option<Self> {
        waiting
            .fetch_update(Ordering::AcqRel, Ordering::Acquire, |n| {
                (n < queue).then_some(n + 1)
            })
            .ok()
            .map(|_| Seat(waiting))
    }
}

impl Drop for Seat<'_> {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::AcqRel);
    }
}

/// The paths served without a permit.
struct Exempt {
    /// `/pkg/`, `/charts/`: served by `ServeDir`, which never renders a page.
    prefixes: Vec<String>,
    site_root: PathBuf,
    /// The names at the site's root when the application started (`favicon.svg`, `pkg`...):
    /// only a path under one of them may be a public file, so pages never pay for a look at
    /// the disk.
    root_names: HashSet<String>,
}

impl Exempt {
    fn new(site_root: &Path, pkg_dir: &str) -> Self {
        let root_names = std::fs::read_dir(site_root)
            .map(|dir| {
                dir.filter_map(Result::ok)
                    .filter_map(|e| e.file_name().into_string().ok())
                    .collect()
            })
            .unwrap_or_default();
        Self {
            prefixes: vec![
                format!("/{}/", pkg_dir.trim_matches('/')),
                format!("/{}/", crate::dashboard::bundle::CHARTS_DIR),
            ],
            site_root: site_root.to_path_buf(),
            root_names,
        }
    }

    /// Does `path` bypass the limit: `/health`, the site's and the charts' files, or a file
    /// at or under the site's root? A missing public file is not exempt: the fallback renders
    /// the not-found page for it.
    async fn covers(&self, path: &str) -> bool {
        if path == "/health" || self.prefixes.iter().any(|p| path.starts_with(p.as_str())) {
            return true;
        }
        let Some(relative) = path.strip_prefix('/') else {
            return false;
        };
        let first = relative.split('/').next().unwrap_or_default();
        if !self.root_names.contains(first)
            || relative
                .split('/')
                .any(|s| s.is_empty() || s == "." || s == ".." || s.contains('\\'))
        {
            return false;
        }
        tokio::fs::metadata(self.site_root.join(relative))
            .await
            .is_ok_and(|m| m.is_file())
    }
}

/// The middleware: admits, queues or refuses each request that is not exempt.
pub async fn limit(State(limit): State<Limit>, req: Request, next: Next) -> Response {
    if limit.exempt.covers(req.uri().path()).await {
        return next.run(req).await;
    }
    let Some(permit) = limit.admit().await else {
        return busy();
    };
    next.run(req)
        .await
        .map(|body| Body::new(PermitBody::new(body, permit)))
}

/// What a refused request reads. Under 32 bytes, so that the compression layer leaves it
/// alone: gzip's state for one response weighs more than a page, and a burst is answered
/// thousands of times a second with this.
const BUSY: &str = "Busy. Please retry shortly.\n";

/// The answer beyond the queue: quick, small, never stored.
fn busy() -> Response {
    (
        StatusCode::SERVICE_UNAVAILABLE,
        [
            (header::RETRY_AFTER, HeaderValue::from(RETRY_AFTER_SECONDS)),
            (header::CACHE_CONTROL, HeaderValue::from_static("no-store")),
        ],
        BUSY,
    )
        .into_response()
}

/// A response body that holds its request's permit until it has been sent or dropped.
struct PermitBody {
    body: Body,
    permit: Option<OwnedSemaphorePermit>,
}

impl PermitBody {
    fn new(body: Body, permit: OwnedSemaphorePermit) -> Self {
        Self {
            body,
            permit: Some(permit),
        }
    }
}

impl HttpBody for PermitBody {
    type Data = Bytes;
    type Error = axum::Error;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<http_body::Frame<Bytes>, Self::Error>>> {
        let polled = Pin::new(&mut self.body).poll_frame(cx);
        if matches!(polled, Poll::Ready(None) | Poll::Ready(Some(Err(_)))) {
            self.permit = None;
        }
        polled
    }

    fn is_end_stream(&self) -> bool {
        self.body.is_end_stream()
    }

    fn size_hint(&self) -> http_body::SizeHint {
        self.body.size_hint()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_queue_has_as_many_seats_as_configured_and_gives_them_back() {
        let waiting = AtomicUsize::new(0);
        let a = Seat::take(&waiting, 2).expect("first seat");
        let b = Seat::take(&waiting, 2).expect("second seat");
        assert!(Seat::take(&waiting, 2).is_none(), "the queue is full");
        drop(a);
        let c = Seat::take(&waiting, 2).expect("a seat given back is taken again");
        drop((b, c));
        assert_eq!(waiting.load(Ordering::Acquire), 0);
        assert!(Seat::take(&waiting, 0).is_none(), "no queue at all");
    }

    #[test]
    fn the_refusal_is_too_small_to_be_compressed() {
        let res = busy();
        // tower-http's compression skips bodies whose exact size is under 32 bytes.
        let size = res.body().size_hint().exact();
        assert!(size.is_some_and(|n| n < 32), "{size:?}");
        assert_eq!(res.status(), StatusCode::SERVICE_UNAVAILABLE);
        assert_eq!(res.headers()[header::RETRY_AFTER], "1");
    }

    #[tokio::test]
    async fn health_and_static_files_pass_but_pages_and_missing_files_do_not() {
        let dir = tempfile::tempdir().unwrap();
        let site = dir.path();
        std::fs::write(site.join("favicon.svg"), "<svg/>").unwrap();
        std::fs::create_dir_all(site.join("fonts")).unwrap();
        std::fs::write(site.join("fonts/a.woff2"), "x").unwrap();
        let exempt = Exempt::new(site, "pkg");
        for path in [
            "/health",
            "/pkg/recovery-tracker.css",
            "/pkg/missing.js",
            "/charts/echarts.0123456789abcdef.js",
            "/favicon.svg",
            "/fonts/a.woff2",
        ] {
            assert!(exempt.covers(path).await, "{path} passes");
        }
        for path in [
            "/",
            "/dashboard",
            "/health/x",
            "/api/login",
            "/favicon.svg/x",
            "/fonts/missing.woff2",
            "/fonts/../favicon.svg",
            "/fonts",
            "/pkg",
        ] {
            assert!(!exempt.covers(path).await, "{path} is bounded");
        }
    }
}
