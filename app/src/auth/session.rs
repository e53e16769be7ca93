//! Sessions in the database (tower-sessions with its sqlx stores), so any number of app
//! instances can serve a user, and the middleware that turns a session into the request's
//! caller.

use axum::{
    extract::{ConnectInfo, Request, State},
    http::{header, Method, StatusCode},
    middleware::Next,
    response::{IntoResponse, Response},
};
use serde::{Deserialize, Serialize};
use tower_sessions::{
    cookie::SameSite,
    session::{Id, Record},
    session_store, Expiry, Session, SessionManagerLayer, SessionStore,
};

use crate::clock;
use crate::context::{AppState, Caller, ClientIp, Settings};
use crate::db::SessionBackend;

/// Keys in the session record.
const USER_ID: &str = "uid";
const SIGNED_IN_AT: &str = "signed_in_at";
const FLASH_LINK: &str = "flash_link";
/// When the session's expiry was last pushed back (Unix seconds).
const REFRESHED_AT: &str = "refreshed_at";

/// How often a signed-in session's expiry is pushed back (the record and the cookie written
/// again): every five minutes, or a quarter of the idle timeout if that is shorter. A session
/// therefore ends between `idle - refresh_every(idle)` and `idle` after its last request.
pub fn refresh_every(idle: time::Duration) -> time::Duration {
    (idle / 4_i32).min(time::Duration::minutes(5))
}

/// The session cookie: `rt_session`, HttpOnly, SameSite=Lax, `Secure` when the public URL is
/// https, ending after the idle timeout. The record is written only when it changes (sign-in, a
/// kept link or error) or when its expiry is pushed back ([`refresh_every`]), not on every
/// request.
pub fn layer(db: &crate::db::Db, settings: &Settings) -> SessionManagerLayer<SessionWrites> {
    SessionManagerLayer::new(SessionWrites {
        store: db.sessions.clone(),
        db: db.clone(),
    })
    .with_name("rt_session")
    .with_http_only(true)
    .with_same_site(SameSite::Lax)
    .with_secure(settings.cookies_secure())
    .with_expiry(Expiry::OnInactivity(settings.session_idle))
    .with_always_save(false)
}

/// The session store as the session layer writes to it. tower-sessions saves a changed session
/// after the handler has answered, and when that save fails it throws the answer away for an
/// empty 500: a report that was committed would look failed. Here a session that exists but
/// cannot be rewritten keeps what it had (the failure is logged) and the handler's answer is
/// sent: what is lost is a pushed-back expiry, or a link or error kept to be shown once.
/// Creating a session (at sign-in, written by [`sign_in`] itself) and deleting one (sign-out)
/// still fail as errors.
///
/// Reading goes through the database's circuit breaker (`Db::conn`): while the database is
/// known to be down, a signed-in request is answered 503 at once instead of waiting for the
/// store's own connection, and a store that fails to answer opens the breaker.
#[derive(Debug, Clone)]
pub struct SessionWrites {
    store: SessionBackend,
    db: crate::db::Db,
}

fn store_unavailable() -> session_store::Error {
    session_store::Error::Backend("the database is unavailable".into())
}

#[async_trait::async_trait]
impl SessionStore for SessionWrites {
    async fn create(&self, record: &mut Record) -> session_store::Result<()> {
        self.store.create(record).await
    }
    async fn save(&self, record: &Record) -> session_store::Result<()> {
        if let Err(e) = self.store.save(record).await {
            tracing::error!(
                error = %e,
                "session store error: the session keeps its previous state; the answer is sent"
            );
        }
        Ok(())
    }
    async fn load(&self, id: &Id) -> session_store::Result<Option<Record>> {
        if self.db.is_down() {
            // Refused at once, or this request probes whether the database is back.
            drop(self.db.conn().await.map_err(|_| store_unavailable())?);
        }
        let loaded = self.store.load(id).await;
        if loaded.is_err() {
            self.db.note_unreachable();
        }
        loaded
    }
    async fn delete(&self, id: &Id) -> session_store::Result<()> {
        self.store.delete(id).await
    }
}

fn session_error(e: impl std::fmt::Display) -> crate::error::AppError {
    tracing::error!(error = %e, "session store error");
    crate::error::AppError::Internal
}

/// Starts a signed-in session for `user_id` under a new session id (no fixation) and with
/// nothing carried over from before: on a shared browser, the previous user's kept links
/// and unsaved form values do not reach the next one. The new session is written here, so a
/// store that fails makes the sign-in fail with a message (not an empty answer afterwards).
pub async fn sign_in(session: &Session, user_id: i64) -> Result<(), crate::error::AppError> {
    session.clear().await;
    session.cycle_id().await.map_err(session_error)?;
    session
        .insert(USER_ID, user_id)
        .await
        .map_err(session_error)?;
    session
        .insert(SIGNED_IN_AT, clock::now())
        .await
        .map_err(session_error)?;
    session
        .insert(REFRESHED_AT, unix_now())
        .await
        .map_err(session_error)?;
    session.save().await.map_err(session_error)
}

fn unix_now() -> i64 {
    time::OffsetDateTime::now_utc().unix_timestamp()
}

/// Pushes the signed-in session's expiry back when it was last pushed back at least
/// [`refresh_every`] ago: the session is written then, at most every few minutes, instead of
/// after every request.
async fn refresh(session: &Session, idle: time::Duration) {
    let now = unix_now();
    let every = refresh_every(idle).whole_seconds();
    let refreshed: Option<i64> = session.get(REFRESHED_AT).await.ok().flatten();
    if refreshed.is_none_or(|at| now - at >= every || at > now) {
        let _ = session.insert(REFRESHED_AT, now).await;
    }
}

/// Ends the session on the server and removes the cookie.
pub async fn sign_out(session: &Session) -> Result<(), crate::error::AppError> {
    session.flush().await.map_err(session_error)
}

/// A link shown once to the admin who created it (invitation or password reset).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FlashLink {
    pub user_id: i64,
    pub purpose: crate::auth::model::LinkPurpose,
    pub url: String,
    pub expires_at: String,
}

/// Keeps a link for the next page the admin sees.
pub async fn put_flash_link(
    session: &Session,
    link: FlashLink,
) -> Result<(), crate::error::AppError> {
    session
        .insert(FLASH_LINK, link)
        .await
        .map_err(session_error)
}

/// Takes the link kept for `user_id`, if any (it is shown only once).
pub async fn take_flash_link(session: &Session, user_id: i64) -> Option<FlashLink> {
    let link: FlashLink = session.get(FLASH_LINK).await.ok().flatten()?;
    if link.user_id != user_id {
        return None;
    }
    let _ = session.remove::<FlashLink>(FLASH_LINK).await;
    Some(link)
}

/// Middleware: resolves the session into the request's [`Caller`] and [`ClientIp`], once per
/// request. A session is refused (and ended) when it is older than the absolute lifetime, when
/// the user was deactivated, or when their sessions were revoked after it began.
pub async fn resolve_caller(
    State(state): State<AppState>,
    session: Session,
    mut req: Request,
    next: Next,
) -> Response {
    let peer = req
        .extensions()
        .get::<ConnectInfo<std::net::SocketAddr>>()
        .map(|c| c.0.ip());
    let forwarded = crate::http::client::forwarded_for(req.headers());
    let ip = crate::http::client::client_ip(peer, &forwarded, &state.settings.trusted_proxies);
    let user = match load_caller(&state, &session).await {
        Ok(user) => user,
        // A signed-in caller whose session or account cannot be read (the database is
        // restarting): not signed out (a page would send them to sign in again), 503.
        Err(e) => return crate::http::error_response(&e, &req),
    };
    if user.is_some() {
        refresh(&session, state.settings.session_idle).await;
    }
    req.extensions_mut().insert(Caller(user));
    req.extensions_mut().insert(ClientIp(ip));
    next.run(req).await
}

/// The signed-in user, `Ok(None)` when signed out (or their session has just ended), and
/// `Err` when the session store or the database cannot be reached.
async fn load_caller(
    state: &AppState,
    session: &Session,
) -> Result<Option<crate::caller::CurrentUser>, crate::error::AppError> {
    use crate::error::AppError;
    let unavailable = |e: &dyn std::fmt::Display| {
        tracing::warn!(error = %e, "session store unavailable");
        AppError::Unavailable
    };
    let Some(user_id) = session
        .get::<i64>(USER_ID)
        .await
        .map_err(|e| unavailable(&e))?
    else {
        return Ok(None);
    };
    let Some(signed_in_at) = session
        .get::<String>(SIGNED_IN_AT)
        .await
        .map_err(|e| unavailable(&e))?
    else {
        return Ok(None);
    };
    let Some(started) = clock::parse_timestamp(&signed_in_at) else {
        return Ok(None);
    };
    let too_old = time::OffsetDateTime::now_utc() - started > state.settings.session_absolute;
    let found = if too_old {
        None
    } else {
        let mut c = state.db.conn().await?;
        crate::auth::repo::session_user(&mut c, user_id, &signed_in_at).await?
    };
    if found.is_none() {
        // Expired, deactivated or revoked: the session ends for good.
        let _ = session.flush().await;
    }
    Ok(found)
}

/// Middleware: refuses state-changing requests that a browser marks as coming from another
/// site (`Sec-Fetch-Site`), or whose `Origin` is not the public URL's (`RT_PUBLIC_URL`; never
/// compared with `Host`, which a client or a proxy chooses), and those that carry the session
/// cookie with neither header (a browser that sent neither cannot be told apart from a forged
/// request). Requests without the cookie and without either header come from scripts, which
/// hold no one's session, and pass.
pub async fn refuse_cross_origin(
    State(state): State<AppState>,
    req: Request,
    next: Next,
) -> Response {
    if matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS)
        || is_same_origin(&req, &state.settings.public_origin())
    {
        next.run(req).await
    } else {
        // The path only: a query or a link's token is not for the log.
        tracing::warn!(
            method = %req.method(),
            path = %crate::http::logged_path(req.uri().path()),
            "cross-origin request refused"
        );
        // Outside the language layer: the request's language is chosen here the same way.
        let locale = crate::lang::negotiate::choose_for(&req).locale;
        let message = crate::i18n::td_string!(locale, auth.cross_origin_refused);
        (StatusCode::FORBIDDEN, message).into_response()
    }
}

/// `public_origin` is the site's origin as a browser writes it in `Origin`
/// (`https://tracker.example.eu`: scheme, host, and port unless the scheme's default).
fn is_same_origin(req: &Request, public_origin: &str) -> bool {
    let headers = req.headers();
    if let Some(site) = headers.get("sec-fetch-site").and_then(|v| v.to_str().ok()) {
        return matches!(site, "same-origin" | "none");
    }
    let Some(origin) = headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()) else {
        return !carries_session_cookie(headers);
    };
    origin.eq_ignore_ascii_case(public_origin)
}

/// Does the request carry the session cookie (whether or not its session is still valid)?
pub(crate) fn carries_session_cookie(headers: &axum::http::HeaderMap) -> bool {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .any(|c| c.trim_start().starts_with("rt_session="))
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::body::Body;

    fn post(headers: &[(&str, &str)]) -> Request {
        let mut b = axum::http::Request::post("/api/logout").header("host", "tracker.example.eu");
        for (k, v) in headers {
            b = b.header(*k, *v);
        }
        b.body(Body::empty()).unwrap()
    }

    const SITE: &str = "https://tracker.example.eu";

    fn is_same_origin(req: &Request) -> bool {
        super::is_same_origin(req, SITE)
    }

    #[test]
    fn same_origin_and_header_less_posts_pass() {
        assert!(is_same_origin(&post(&[("sec-fetch-site", "same-origin")])));
        assert!(is_same_origin(&post(&[(
            "origin",
            "https://tracker.example.eu"
        )])));
        assert!(is_same_origin(&post(&[])));
        // With the session cookie, a post must say where it comes from.
        assert!(!is_same_origin(&post(&[("cookie", "rt_session=abc")])));
        assert!(is_same_origin(&post(&[
            ("cookie", "lang=fr; rt_session=abc"),
            ("sec-fetch-site", "same-origin")
        ])));
    }

    #[test]
    fn cross_site_posts_are_refused() {
        assert!(!is_same_origin(&post(&[("sec-fetch-site", "cross-site")])));
        assert!(!is_same_origin(&post(&[("sec-fetch-site", "same-site")])));
        assert!(!is_same_origin(&post(&[(
            "origin",
            "https://evil.example.com"
        )])));
        assert!(!is_same_origin(&post(&[("origin", "null")])));
    }

    #[test]
    fn origin_is_compared_with_the_public_url_not_the_host_header() {
        // A Host header of the attacker's choosing (a proxy passing it on, DNS rebinding)
        // no longer makes their origin "same".
        let forged = |origin: &str| {
            let mut req = post(&[("origin", origin), ("cookie", "rt_session=abc")]);
            req.headers_mut()
                .insert(header::HOST, "evil.example.com".parse().unwrap());
            req
        };
        assert!(!is_same_origin(&forged("https://evil.example.com")));
        assert!(is_same_origin(&forged("https://tracker.example.eu")));
        // Scheme and port are part of the origin.
        assert!(!is_same_origin(&forged("http://tracker.example.eu")));
        assert!(!is_same_origin(&forged("https://tracker.example.eu:8443")));
        assert!(!super::is_same_origin(
            &forged("http://127.0.0.1:3000"),
            "http://127.0.0.1:3001"
        ));
        assert!(super::is_same_origin(
            &forged("http://127.0.0.1:3000"),
            "http://127.0.0.1:3000"
        ));
    }

    #[test]
    fn the_expiry_is_pushed_back_at_most_every_five_minutes() {
        assert_eq!(
            refresh_every(time::Duration::hours(2)),
            time::Duration::minutes(5)
        );
        assert_eq!(
            refresh_every(time::Duration::seconds(4)),
            time::Duration::seconds(1)
        );
    }
}
