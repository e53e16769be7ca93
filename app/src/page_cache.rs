//! A cache of public dashboard responses. The European comparison is the site's heaviest page
//! (a 175 KB page with four figures, about 7 ms of CPU with its compression) and the one a
//! newsletter link sends crowds to; what it shows changes only when a report, a period or an
//! indicator does. So a signed-out `GET` of a dashboard, a country profile or a figure's
//! download is answered from memory while the data it was built from is unchanged.
//!
//! - **Correct across instances**: every request reads a cheap fingerprint of the data
//!   (`reports`: count and the sum of their versions, which every save and transition
//!   increments; the periods' and indicators' rows, few) and a cached answer is used only if it
//!   was built from the same fingerprint. Several app servers on one PostgreSQL database each
//!   keep their own cache and never serve another's stale page. An entry also expires after
//!   [`TTL`].
//! - **Only what is the same for everyone**: no session cookie, no `submitted` switch (that is
//!   for signed-in viewers and admins), status 200, no `Set-Cookie`. The key holds everything
//!   else that changes the answer: path and query (filters, `?lang=`), the language cookie,
//!   `Accept-Language`, and whether the body is gzipped (the cache sits outside compression,
//!   so a hit costs no compression either).
//! - **The page and its policy travel together**: a replayed answer keeps the
//!   Content-Security-Policy it was built with, nonce included, because the page carries that
//!   nonce in Leptos's two inline bookkeeping scripts (a new nonce in the header alone blocked
//!   them, which the browser tests caught). The reuse admits nothing: the replayed page is
//!   fixed content, and every page built anew still gets its own nonce.
//! - **One build serves everyone waiting**: a crowd on a page being built waits for that
//!   build; a request also takes a build that began after it arrived even if the data changed
//!   since (so it holds everything saved before the request came). Without that, under a
//!   stream of saves each waiter rebuilt the page in turn: 500 clients mixing pages and saves
//!   saw a p99 of 13 s on public pages (docs/benchmarks.md, "Mixed load").
//! - **Bounded**: at most [`MAX_ENTRIES`] answers (a few MB); when full, the oldest goes.
//!
//! Written here rather than taken from a crate: the HTTP caching crates for tower key on the
//! URI and expire on time only; this one needs the data fingerprint to stay correct.

use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::{
    body::{Body, Bytes},
    extract::{Request, State},
    http::{header, HeaderMap, Method, StatusCode},
    middleware::Next,
    response::Response,
};

use crate::db::Db;

/// An answer is rebuilt at least this often, whatever the fingerprint says.
pub const TTL: Duration = Duration::from_secs(300);
/// At most this many answers are kept.
pub const MAX_ENTRIES: usize = 256;
/// Bodies larger than this are not kept (none of the dashboards comes near).
const MAX_BODY: usize = 4 << 20;

#[derive(Clone)]
struct Entry {
    fingerprint: u64,
    /// When its build began: it reflects the data as of then, or newer.
    began: Instant,
    stored: Instant,
    headers: HeaderMap,
    body: Bytes,
}

/// The cache of one router, with the database whose data it reflects.
#[derive(Clone)]
pub struct PageCache {
    db: Db,
    entries: Arc<Mutex<HashMap<String, Entry>>>,
    /// One build per key at a time: when a crowd arrives at once, the first request builds
    /// the page and the others wait for it, instead of all building it together.
    building: Arc<Mutex<HashMap<String, Arc<tokio::sync::Mutex<()>>>>>,
}

impl PageCache {
    pub fn new(db: Db) -> Self {
        Self {
            db,
            entries: Arc::new(Mutex::new(HashMap::new())),
            building: Arc::new(Mutex::new(HashMap::new())),
        }
    }

    /// The kept answer for `key`, if it was built from this `fingerprint` and is fresh.
    fn get(&self, key: &str, fingerprint: u64) -> Option<Entry> {
        self.entries
            .lock()
            .ok()
            .and_then(|entries| entries.get(key).cloned())
            .filter(|e| e.fingerprint == fingerprint && e.stored.elapsed() < TTL)
    }

    /// The kept answer for `key` if its build began after `arrived` (the request's arrival):
    /// whatever was saved before the request came is in it. What a request that waited for
    /// another's build takes even if the data changed meanwhile (the fingerprint it read
    /// first no longer matches): under a stream of saves, every waiter would otherwise build
    /// the page again in turn, one after the other.
    fn get_begun_after(&self, key: &str, arrived: Instant) -> Option<Entry> {
        self.entries
            .lock()
            .ok()
            .and_then(|entries| entries.get(key).cloned())
            .filter(|e| e.began >= arrived && e.stored.elapsed() < TTL)
    }

    fn lock_for(&self, key: &str) -> Option<Arc<tokio::sync::Mutex<()>>> {
        let mut building = self.building.lock().ok()?;
        // Locks nobody holds or waits for any more are dropped with the map's growth.
        if building.len() > MAX_ENTRIES {
            building.retain(|_, lock| Arc::strong_count(lock) > 1);
        }
        Some(building.entry(key.to_string()).or_default().clone())
    }
}

/// A kept answer as a response.
fn replay(entry: Entry) -> Response {
    let mut res = Response::new(Body::from(entry.body));
    *res.headers_mut() = entry.headers;
    res
}

/// Whether a request may be answered from the cache, and under which key.
fn key(req: &Request) -> Option<String> {
    if req.method() != Method::GET {
        return None;
    }
    let path = req.uri().path();
    let cacheable = path == crate::routes::DASHBOARD
        || path.starts_with("/dashboard/")
        || (path.starts_with("/countries/") && path.len() == "/countries/XX".len());
    let query = req.uri().query().unwrap_or_default();
    if !cacheable || query.split('&').any(|p| p.starts_with("submitted=")) {
        return None;
    }
    let headers = req.headers();
    let cookies: Vec<&str> = headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .map(str::trim)
        .collect();
    if cookies.iter().any(|c| c.starts_with("rt_session=")) {
        return None;
    }
    let language_cookie = cookies
        .iter()
        .find(|c| c.starts_with(crate::lang::negotiate::COOKIE))
        .copied()
        .unwrap_or_default();
    let accept_language = headers
        .get(header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    let gzip = headers
        .get(header::ACCEPT_ENCODING)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains("gzip"));
    Some(format!(
        "{path}?{query}|{language_cookie}|{accept_language}|{}",
        if gzip { "gzip" } else { "identity" }
    ))
}

/// The fingerprint of everything the dashboards read that can change.
async fn fingerprint(db: &Db) -> Option<u64> {
    let mut c = db.conn().await.ok()?;
    let reports: (i64, i64) =
        sqlx::query_as("SELECT COUNT(*), CAST(COALESCE(SUM(version), 0) AS BIGINT) FROM reports")
            .fetch_one(&mut *c)
            .await
            .ok()?;
    let periods: Vec<(i64, String, String, String, Option<String>)> = sqlx::query_as(
        "SELECT id, name, starts_on, ends_on, closed_at FROM reporting_periods ORDER BY id",
    )
    .fetch_all(&mut *c)
    .await
    .ok()?;
    let indicators: Vec<(i64, String, String, Option<String>, i64)> = sqlx::query_as(
        "SELECT id, name, kind, unit, CAST(archived AS BIGINT) FROM indicators ORDER BY id",
    )
    .fetch_all(&mut *c)
    .await
    .ok()?;
    let mut h = std::collections::hash_map::DefaultHasher::new();
    (reports, periods, indicators).hash(&mut h);
    Some(h.finish())
}

/// The middleware: answers from the cache when it can, stores what it may.
pub async fn layer(State(cache): State<PageCache>, req: Request, next: Next) -> Response {
    let Some(key) = key(&req) else {
        return next.run(req).await;
    };
    let arrived = Instant::now();
    let Some(fingerprint) = fingerprint(&cache.db).await else {
        return next.run(req).await;
    };
    if let Some(entry) = cache.get(&key, fingerprint) {
        return replay(entry);
    }
    let lock = cache.lock_for(&key);
    let _building = match &lock {
        Some(lock) => Some(lock.lock().await),
        None => None,
    };
    // Built by the request this one waited for?
    if let Some(entry) = cache
        .get(&key, fingerprint)
        .or_else(|| cache.get_begun_after(&key, arrived))
    {
        return replay(entry);
    }
    let began = Instant::now();
    let res = next.run(req).await;
    // The language cookie a `?lang=` link sets is the same for everyone with that link; any
    // other cookie is someone's own.
    let own_cookie = res.headers().get_all(header::SET_COOKIE).iter().any(|v| {
        !v.to_str()
            .is_ok_and(|v| v.starts_with(crate::lang::negotiate::COOKIE))
    });
    if res.status() != StatusCode::OK || own_cookie {
        return res;
    }
    let (parts, body) = res.into_parts();
    let body = match axum::body::to_bytes(body, MAX_BODY).await {
        Ok(body) => body,
        Err(e) => {
            tracing::error!(error = %e, "page cache: could not read a response body");
            let mut res = Response::from_parts(parts, Body::empty());
            *res.status_mut() = StatusCode::INTERNAL_SERVER_ERROR;
            return res;
        }
    };
    if let Ok(mut entries) = cache.entries.lock() {
        if entries.len() >= MAX_ENTRIES && !entries.contains_key(&key) {
            if let Some(oldest) = entries
                .iter()
                .min_by_key(|(_, e)| e.stored)
                .map(|(k, _)| k.clone())
            {
                entries.remove(&oldest);
            }
        }
        entries.insert(
            key,
            Entry {
                fingerprint,
                began,
                stored: Instant::now(),
                headers: parts.headers.clone(),
                body: body.clone(),
            },
        );
    }
    Response::from_parts(parts, Body::from(body))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(uri: &str, cookie: Option<&str>) -> Request {
        let mut b = axum::http::Request::builder().uri(uri);
        if let Some(c) = cookie {
            b = b.header(header::COOKIE, c);
        }
        b.header(header::ACCEPT_ENCODING, "gzip, br")
            .body(Body::empty())
            .unwrap()
    }

    #[test]
    fn only_public_views_of_the_dashboards_are_kept() {
        assert!(key(&request("/dashboard?period=3", None)).is_some());
        assert!(key(&request("/countries/FR", None)).is_some());
        assert!(key(&request("/dashboard/download/map.csv", Some("rt_lang=fr"))).is_some());
        assert_eq!(key(&request("/countries", None)), None);
        assert_eq!(key(&request("/admin/users", None)), None);
        assert_eq!(key(&request("/dashboard?submitted=1", None)), None);
        assert_eq!(key(&request("/dashboard", Some("a=1; rt_session=x"))), None);
    }

    #[test]
    fn the_language_and_the_encoding_are_part_of_the_key() {
        let en = key(&request("/dashboard", None)).unwrap();
        let fr = key(&request("/dashboard", Some("rt_lang=fr"))).unwrap();
        assert_ne!(en, fr);
        let plain = axum::http::Request::builder()
            .uri("/dashboard")
            .body(Body::empty())
            .unwrap();
        assert_ne!(key(&plain).unwrap(), en);
    }
}
