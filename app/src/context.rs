//! Server-side request context: the application state, the database, and who is calling.
//!
//! Every server function starts by asking this module who the caller is and whether they may
//! do what they ask (`require_role`, or `public_caller` for the few public reads; each feature's
//! `policy` for finer rules). The caller is resolved once per request by the session middleware
//! (`auth::session::resolve_caller`) and read here from the request's extensions.

use std::sync::Arc;

use axum::extract::FromRef;
use leptos::config::LeptosOptions;
use leptos::prelude::*;

use crate::caller::{CurrentUser, Role};
use crate::db::Db;
use crate::error::AppError;

/// Settings the request handlers need (a subset of the server's configuration).
#[derive(Debug, Clone)]
pub struct Settings {
    /// The address users reach the site at (`RT_PUBLIC_URL`, e.g. `https://tracker.example.eu`):
    /// the links the site hands out are built on it, the session cookie is `Secure` when it is
    /// https, and only forms posted from its origin are accepted. Never the request's `Host`
    /// header, which the client (or a proxy) chooses.
    pub public_url: url::Url,
    /// The load balancers and reverse proxies (addresses or blocks) whose `X-Forwarded-For`
    /// names the client (`http::client`); empty: the socket's peer is the client.
    pub trusted_proxies: Vec<crate::http::client::IpNet>,
    /// A session ends after this long without a request.
    pub session_idle: time::Duration,
    /// A session ends this long after sign-in, however active.
    pub session_absolute: time::Duration,
    /// Invitation links expire after this long.
    pub invitation_ttl: time::Duration,
    /// Password-reset links expire after this long.
    pub reset_ttl: time::Duration,
    /// Pages, server functions and API answers served at once; static files and `/health`
    /// are not counted (`http::limit`).
    pub max_concurrent_requests: usize,
    /// Requests waiting for their turn beyond those; the next ones are answered 503 at once.
    pub request_queue: usize,
}

/// The default bound on requests served at once: four per core. Rendering is mostly CPU
/// work with short waits on the database, so a few per core keep the cores busy; more only
/// hold more memory (docs/benchmarks.md, "Memory under bursts").
pub fn default_max_concurrent_requests() -> usize {
    4 * std::thread::available_parallelism().map_or(1, |n| n.get())
}

/// The default queue: 1,024 requests. A waiting request holds its connection's buffers (kept
/// open anyway by a client that would come straight back after a refusal), not a render, so
/// its memory is small; refusing instead was measured to cost more: under 1,000 connections
/// thousands of 503s a second took the CPU from the pages being rendered (docs/benchmarks.md,
/// "Memory under bursts").
pub fn default_request_queue() -> usize {
    1024
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            // What the tests send as `Host`; the server always sets its own.
            public_url: url::Url::parse("http://localhost/").expect("a URL"),
            trusted_proxies: vec![],
            session_idle: time::Duration::hours(2),
            session_absolute: time::Duration::hours(12),
            invitation_ttl: time::Duration::days(7),
            reset_ttl: time::Duration::hours(24),
            max_concurrent_requests: default_max_concurrent_requests(),
            request_queue: default_request_queue(),
        }
    }
}

impl Settings {
    /// The public URL's origin as a browser writes it in `Origin` (scheme, host and port when
    /// not the scheme's default; no trailing slash): `https://tracker.example.eu`. It is also the
    /// base of every link the site hands out.
    pub fn public_origin(&self) -> String {
        self.public_url.origin().ascii_serialization()
    }

    /// Is the session cookie (and any other cookie the site sets) marked `Secure`? When the
    /// public URL is https.
    pub fn cookies_secure(&self) -> bool {
        self.public_url.scheme() == "https"
    }
}

/// Everything a request handler may need; provided to Leptos as context.
#[derive(Clone, FromRef)]
pub struct AppState {
    pub leptos_options: LeptosOptions,
    pub db: Db,
    pub settings: Arc<Settings>,
}

/// The signed-in user of this request, if any (a request extension).
#[derive(Debug, Clone, Default)]
pub struct Caller(pub Option<CurrentUser>);

/// The client's address as the server sees it (a request extension).
#[derive(Debug, Clone)]
pub struct ClientIp(pub String);

/// The application state.
pub fn state() -> Result<AppState, AppError> {
    use_context::<AppState>().ok_or_else(|| {
        tracing::error!("AppState missing from context");
        AppError::Internal
    })
}

/// The database.
pub fn db() -> Result<Db, AppError> {
    Ok(state()?.db)
}

fn parts() -> Option<axum::http::request::Parts> {
    use_context::<axum::http::request::Parts>()
}

/// The signed-in user, if any.
pub fn caller() -> Option<CurrentUser> {
    parts().and_then(|p| p.extensions.get::<Caller>().and_then(|c| c.0.clone()))
}

/// The client's address, for the audit log and throttling.
pub fn client_ip() -> String {
    parts()
        .and_then(|p| p.extensions.get::<ClientIp>().map(|ip| ip.0.clone()))
        .unwrap_or_else(|| "unknown".into())
}

/// For public reads: anyone may call; returns the caller if signed in.
pub fn public_caller() -> Option<CurrentUser> {
    caller()
}

/// Any signed-in user, or `Unauthorized`.
pub fn require_user() -> Result<CurrentUser, AppError> {
    caller().ok_or(AppError::Unauthorized)
}

/// A signed-in user with one of `roles`; `Unauthorized` when signed out, `Forbidden` otherwise.
pub fn require_role(roles: &[Role]) -> Result<CurrentUser, AppError> {
    let user = require_user()?;
    check_role(&user, roles)?;
    Ok(user)
}

/// `Forbidden` unless `user` has one of `roles`.
pub fn check_role(user: &CurrentUser, roles: &[Role]) -> Result<(), AppError> {
    if roles.contains(&user.role) {
        Ok(())
    } else {
        Err(AppError::Forbidden)
    }
}

/// The site's public address (`RT_PUBLIC_URL`, without a trailing slash), for the links the
/// site hands out (invitations, password resets, survey links). Never the request's `Host`.
pub fn base_url() -> Result<String, AppError> {
    Ok(state()?.settings.public_origin())
}

/// The session of this request.
pub fn session() -> Result<tower_sessions::Session, AppError> {
    parts()
        .and_then(|p| p.extensions.get::<tower_sessions::Session>().cloned())
        .ok_or_else(|| {
            tracing::error!("session layer missing");
            AppError::Internal
        })
}

/// Is this a plain HTML form post (JavaScript off)? Such a post is answered with a redirect,
/// so whatever the page must show afterwards has to be kept in the session.
pub fn is_plain_form_post() -> bool {
    parts()
        .and_then(|p| {
            p.headers
                .get(axum::http::header::ACCEPT)
                .and_then(|v| v.to_str().ok())
                .map(|v| v.contains("text/html"))
        })
        .unwrap_or(false)
}
