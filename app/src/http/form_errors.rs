//! A plain form post (JavaScript off) that a server function refuses is answered by Leptos
//! with a redirect whose URL carries the error (`?__path=…&__err=…`), and pages show what
//! such a URL says: anyone could send a link whose "error" says what they like. Here the
//! error travels in the session instead — shown once, on the page the form came from — and
//! `__err` and `__path` arriving in a URL are dropped.

use axum::{
    extract::Request,
    http::{header, HeaderValue, Method},
    middleware::Next,
    response::Response,
};
use serde::{Deserialize, Serialize};
use tower_sessions::Session;

const KEY: &str = "form_error";

/// A refusal kept for the next view of the page its form was on.
#[derive(Serialize, Deserialize)]
struct Carried {
    /// The page the form was on (the Referer's path): only its next GET shows the error.
    page: String,
    /// The server function (`/api/login`): it picks the action that shows the error.
    function: String,
    /// The encoded error, exactly as Leptos wrote it.
    error: String,
}

fn is_leptos_error(key: &str) -> bool {
    key == "__err" || key == "__path"
}

fn with_query(path: &str, pairs: &[(String, String)]) -> String {
    if pairs.is_empty() {
        return path.to_string();
    }
    let query = url::form_urlencoded::Serializer::new(String::new())
        .extend_pairs(pairs)
        .finish();
    format!("{path}?{query}")
}

/// Middleware (inside the session layer): on a page view, puts back the error kept for that
/// page and drops any other; after a refused plain form post, moves the error from the
/// redirect's URL into the session.
pub async fn carry(session: Session, mut req: Request, next: Next) -> Response {
    let view = req.method() == Method::GET;
    if view {
        restore(&session, &mut req).await;
    }
    let mut res = next.run(req).await;
    if !view {
        keep(&session, &mut res).await;
    }
    res
}

async fn restore(session: &Session, req: &mut Request) {
    let path = req.uri().path().to_string();
    let query = req.uri().query().unwrap_or_default().to_string();
    let foreign = query.contains("__err") || query.contains("__path");
    // Read only when this browser has a session: a visitor without one costs no lookup.
    let has_session = crate::auth::session::carries_session_cookie(req.headers());
    let carried = if has_session {
        match session.get::<Carried>(KEY).await.ok().flatten() {
            Some(c) if c.page == path => {
                let _ = session.remove::<Carried>(KEY).await;
                Some(c)
            }
            _ => None,
        }
    } else {
        None
    };
    if !foreign && carried.is_none() {
        return;
    }
    let mut pairs: Vec<(String, String)> = url::form_urlencoded::parse(query.as_bytes())
        .into_owned()
        .filter(|(k, _)| !is_leptos_error(k))
        .collect();
    if let Some(c) = carried {
        pairs.push(("__path".into(), c.function));
        pairs.push(("__err".into(), c.error));
    }
    if let Ok(uri) = with_query(&path, &pairs).parse() {
        *req.uri_mut() = uri;
    }
}

async fn keep(session: &Session, res: &mut Response) {
    let Some(location) = res
        .headers()
        .get(header::LOCATION)
        .and_then(|v| v.to_str().ok())
    else {
        return;
    };
    if !location.contains("__err=") {
        return;
    }
    // Leptos writes the Referer (an absolute URL) with the error added.
    let base = url::Url::parse("http://localhost/").expect("a URL");
    let Ok(url) = base.join(location) else {
        return;
    };
    let find = |key: &str| {
        url.query_pairs()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.into_owned())
    };
    let (Some(function), Some(error)) = (find("__path"), find("__err")) else {
        return;
    };
    let rest: Vec<(String, String)> = url
        .query_pairs()
        .into_owned()
        .filter(|(k, _)| !is_leptos_error(k))
        .collect();
    let target = with_query(url.path(), &rest);
    let carried = Carried {
        page: url.path().to_string(),
        function,
        error,
    };
    if session.insert(KEY, carried).await.is_ok() {
        if let Ok(v) = HeaderValue::from_str(&target) {
            res.headers_mut().insert(header::LOCATION, v);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn queries_keep_their_other_parameters() {
        let pairs = vec![("next".to_string(), "/report".to_string())];
        assert_eq!(with_query("/login", &pairs), "/login?next=%2Freport");
        assert_eq!(with_query("/login", &[]), "/login");
        assert!(is_leptos_error("__err") && is_leptos_error("__path") && !is_leptos_error("next"));
    }
}
