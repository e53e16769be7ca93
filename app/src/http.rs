//! The HTTP application: Leptos pages and server functions, the open-data API, `/health`,
//! the compiled site files, and the middleware every request passes (logging, security
//! headers, caching, compression).
//!
//! `router(state)` is what the server binary serves and what the integration tests drive
//! with `tower::ServiceExt::oneshot`, without a socket.

use axum::{
    body::Body,
    extract::{Request, State},
    http::{header, HeaderValue, StatusCode},
    middleware::{self, Next},
    response::{IntoResponse, Response},
    routing::get,
    Json, Router,
};
use leptos::config::LeptosOptions;
use leptos::prelude::*;
use leptos_axum::{generate_route_list, AxumRouteListing, LeptosRoutes};
use tower::ServiceBuilder;
use tower_http::{
    classify::ServerErrorsFailureClass,
    compression::CompressionLayer,
    services::{fs::ServeFileSystemResponseBody, ServeDir},
    set_header::SetResponseHeaderLayer,
    trace::{DefaultOnResponse, TraceLayer},
};
use tracing::Level;

use crate::context::AppState;
use crate::error::AppError;
use crate::{shell, App};

pub mod client;
pub mod form_errors;
pub mod forms;
pub mod limit;

/// The policy of every response that is not a page: nothing may run, nothing may frame it.
const STRICT_CSP: &str =
    "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

/// The policy of pages: the app's own files, plus this response's nonce for the inline
/// hydration script and `wasm-unsafe-eval` to instantiate the WebAssembly module.
fn page_csp(nonce: &str) -> String {
    format!(
        "default-src 'self'; script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval'; \
         style-src 'self'; img-src 'self' data:; connect-src 'self'; font-src 'self'; \
         object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
    )
}

/// Called by the shell while rendering a page: sets the page's CSP with its nonce.
pub fn set_page_csp() {
    if let (Some(nonce), Some(options)) = (
        leptos::nonce::use_nonce(),
        use_context::<leptos_axum::ResponseOptions>(),
    ) {
        if let Ok(value) = HeaderValue::from_str(&page_csp(&nonce)) {
            options.insert_header(header::CONTENT_SECURITY_POLICY, value);
        }
    }
}

/// How long browsers keep the compiled site files under `/pkg`: a year when their names carry
/// a content hash (a new build has new names), otherwise they are revalidated each time.
const PKG_HASHED: &str = "public, max-age=31536000, immutable";
const PKG_UNHASHED: &str = "no-cache";
/// Pages depend on who is signed in, so browsers revalidate them every time; a signed-in
/// user's pages are not stored at all.
const PAGE_PUBLIC: &str = "no-cache";
const PAGE_SIGNED_IN: &str = "private, no-store";

/// The compiled site files (`/pkg`: wasm, JS, CSS), served as the precompressed brotli or
/// gzip file beside each one when the browser accepts it (`cargo leptos build --precompress`).
fn site_files(options: &LeptosOptions) -> Router<AppState> {
    let dir = std::path::Path::new(options.site_root.as_ref()).join(options.site_pkg_dir.as_ref());
    let cache = HeaderValue::from_static(if options.hash_files {
        PKG_HASHED
    } else {
        PKG_UNHASHED
    });
    let files = ServiceBuilder::new()
        .layer(SetResponseHeaderLayer::overriding(
            header::CACHE_CONTROL,
            move |res: &axum::http::Response<ServeFileSystemResponseBody>| {
                res.status().is_success().then(|| cache.clone())
            },
        ))
        .service(ServeDir::new(dir).precompressed_br().precompressed_gzip());
    Router::new().nest_service(&format!("/{}", options.site_pkg_dir), files)
}

/// The charts' files (`/charts`: the ECharts build, the mount script, map boundaries),
/// built by `scripts/build-charts`, served as their precompressed brotli or gzip copies when
/// the browser accepts them. Only a page with a chart loads them.
fn chart_files(options: &LeptosOptions) -> Router<AppState> {
    use crate::dashboard::bundle::CHARTS_DIR;
    let dir = std::path::Path::new(options.site_root.as_ref()).join(CHARTS_DIR);
    Router::new()
        .nest_service(
            &format!("/{CHARTS_DIR}"),
            ServeDir::new(dir).precompressed_br().precompressed_gzip(),
        )
        .layer(middleware::from_fn(chart_files_cache_policy))
}

/// A year for the charts' files whose names carry a content hash, revalidation for the rest
/// (the manifest, files named without a hash).
async fn chart_files_cache_policy(req: Request, next: Next) -> Response {
    let hashed = has_content_hash(req.uri().path());
    let mut res = next.run(req).await;
    if res.status().is_success() {
        let policy = if hashed { PKG_HASHED } else { PKG_UNHASHED };
        res.headers_mut()
            .insert(header::CACHE_CONTROL, HeaderValue::from_static(policy));
    }
    res
}

/// Is the file named `name.HASH.ext`, HASH being the 16 hex digits `scripts/build-charts`
/// writes?
fn has_content_hash(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or_default();
    let parts: Vec<&str> = name.split('.').collect();
    parts.len() >= 3
        && parts[1..parts.len() - 1]
            .iter()
            .any(|p| p.len() == 16 && p.chars().all(|c| c.is_ascii_hexdigit()))
}

/// Sets the caching of what is answered: whatever a signed-in caller receives (pages, server
/// functions, downloads) is theirs and never stored, by the browser or anything in between;
/// public pages get the public policy unless they set their own. The compiled site files
/// (the same for everyone) keep theirs.
async fn page_cache_policy(req: Request, next: Next) -> Response {
    let signed_in = crate::auth::session::carries_session_cookie(req.headers());
    let path = req.uri().path();
    let site_file = path.starts_with("/pkg/")
        || path
            .strip_prefix('/')
            .and_then(|p| p.strip_prefix(crate::dashboard::bundle::CHARTS_DIR))
            .is_some_and(|rest| rest.starts_with('/'));
    let mut res = next.run(req).await;
    let is_html = res
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"));
    if signed_in && !site_file {
        res.headers_mut().insert(
            header::CACHE_CONTROL,
            HeaderValue::from_static(PAGE_SIGNED_IN),
        );
    } else if is_html && !res.headers().contains_key(header::CACHE_CONTROL) {
        res.headers_mut()
            .insert(header::CACHE_CONTROL, HeaderValue::from_static(PAGE_PUBLIC));
    }
    res
}

/// The page routes, generated once per process. Leptos suppresses resource loading in the
/// whole process while it generates the list (leptos-rs/leptos#4773): a page whose resource
/// first runs during a second generation would never answer. The server builds one router, but
/// the tests build many in parallel.
pub fn route_list() -> Vec<AxumRouteListing> {
    static ROUTES: std::sync::OnceLock<Vec<AxumRouteListing>> = std::sync::OnceLock::new();
    ROUTES.get_or_init(|| generate_route_list(App)).clone()
}

/// The whole application.
pub fn router(state: AppState) -> Router {
    let routes = route_list();
    let pages_context = || leptos::nonce::provide_nonce();
    let shell_options = state.leptos_options.clone();
    let limit = limit::Limit::new(
        &state.settings,
        std::path::Path::new(state.leptos_options.site_root.as_ref()),
        &state.leptos_options.site_pkg_dir,
    );

    Router::new()
        .route("/health", get(health))
        .merge(site_files(&state.leptos_options))
        .merge(chart_files(&state.leptos_options))
        .nest("/api/v1", crate::open_data::router())
        .merge(crate::dashboard::downloads::router())
        .merge(crate::surveys::answering::router())
        .merge(crate::surveys::results::downloads::router())
        .merge(crate::imports::routes::router())
        .leptos_routes_with_context(&state, routes, pages_context, move || {
            shell(shell_options.clone())
        })
        .fallback(leptos_axum::file_and_error_handler_with_context::<
            AppState,
            _,
        >(pages_context, shell))
        // Inner to outer: status of server-function errors, the language, the caller of the
        // request, server-function forms checked (size, field lengths, control characters),
        // plain forms' refusals carried in the session (never in URLs), the session cookie, cross-origin refusal, the bound on requests served at
        // once (outside the session, so a refused request costs no database work), security
        // headers, compression, the public dashboards' cache (outside the bound: a page
        // replayed from memory needs no slot), logging.
        .layer(middleware::from_fn(server_fn_status))
        .layer(middleware::from_fn(crate::lang::negotiate::layer))
        .layer(middleware::from_fn_with_state(
            state.clone(),
            crate::auth::session::resolve_caller,
        ))
        .layer(middleware::from_fn(forms::check))
        .layer(middleware::from_fn(form_errors::carry))
        .layer(crate::auth::session::layer(&state.db, &state.settings))
        .layer(middleware::from_fn_with_state(
            state.clone(),
            crate::auth::session::refuse_cross_origin,
        ))
        .layer(middleware::from_fn_with_state(limit, limit::limit))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(STRICT_CSP),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::REFERRER_POLICY,
            HeaderValue::from_static("strict-origin-when-cross-origin"),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::X_FRAME_OPTIONS,
            HeaderValue::from_static("DENY"),
        ))
        .layer(middleware::from_fn(page_cache_policy))
        // Pages and API answers are gzipped as they go; `/pkg` files arrive precompressed
        // (brotli or gzip at their highest levels) and pass through untouched. Brotli on the
        // fly was measured: at level 5 it saved 0.3 KB on a 1.3 KB page and cost 15% of the
        // pages served per second at 64 connections (docs/benchmarks.md).
        .layer(CompressionLayer::new())
        // Outside compression: a public dashboard answered from memory is not compressed again.
        .layer(middleware::from_fn_with_state(
            crate::page_cache::PageCache::new(state.db.clone()),
            crate::page_cache::layer,
        ))
        .layer(
            TraceLayer::new_for_http()
                .make_span_with(|req: &Request| {
                    tracing::info_span!(
                        "request",
                        method = %req.method(),
                        path = %logged_path(req.uri().path()),
                    )
                })
                .on_response(DefaultOnResponse::new().level(Level::INFO))
                .on_failure(log_failure),
        )
        .with_state(state)
}

/// Logs a server error (5xx or a failed body) as an error, except 503: under a burst the
/// bound on requests refuses thousands a second (`limit`), which would flood the log and cost
/// the CPU the answered requests need. They remain in the log of every response (INFO).
fn log_failure(
    class: ServerErrorsFailureClass,
    latency: std::time::Duration,
    _span: &tracing::Span,
) {
    if !matches!(
        class,
        ServerErrorsFailureClass::StatusCode(StatusCode::SERVICE_UNAVAILABLE)
    ) {
        tracing::error!(classification = %class, latency_ms = latency.as_millis() as u64, "response failed");
    }
}

/// The path as written to the log: the secret of an invitation or password-reset link is
/// left out (only its hash is stored; the log must not hold the token itself). Query strings
/// are not logged at all.
pub(crate) fn logged_path(path: &str) -> std::borrow::Cow<'_, str> {
    for prefix in ["/invitation/", "/reset-password/", "/s/copy/", "/s/"] {
        if let Some(rest) = path.strip_prefix(prefix) {
            if !rest.is_empty() {
                return format!("{prefix}[token]").into();
            }
        }
    }
    path.into()
}

/// `GET /health`: is the database reachable, and which engine is it.
async fn health(State(state): State<AppState>) -> Response {
    let database = state.db.engine.name();
    match state.db.ping().await {
        Ok(()) => Json(serde_json::json!({ "status": "ok", "database": database })).into_response(),
        Err(_) => (
            StatusCode::SERVICE_UNAVAILABLE,
            Json(serde_json::json!({ "status": "unavailable", "database": database })),
        )
            .into_response(),
    }
}

/// An error answered by a middleware, before any page is built: a short page in the reader's
/// language for a browser's page load, the error as JSON for a server function or a script.
pub(crate) fn error_response(error: &AppError, req: &Request) -> Response {
    let wants_page = req
        .headers()
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains("text/html"));
    if !wants_page {
        return error.clone().into_response();
    }
    let locale = crate::lang::negotiate::choose_for(req).locale;
    let message = error.message(locale);
    let page = format!(
        "<!DOCTYPE html><html lang=\"{lang}\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>{title} — Recovery Tracker</title></head><body><main>\
         <h1>{title}</h1><p role=\"alert\">{message}</p></main></body></html>",
        lang = locale.tag(),
        title = crate::dashboard::svg::escape(crate::i18n::td_string!(locale, common.error_title)),
        message = crate::dashboard::svg::escape(&message),
    );
    let mut res = (
        StatusCode::from_u16(error.status_code()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR),
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static("text/html; charset=utf-8"),
            ),
            (header::CACHE_CONTROL, HeaderValue::from_static("no-store")),
        ],
        page,
    )
        .into_response();
    if *error == AppError::Unavailable {
        res.headers_mut().insert(
            header::RETRY_AFTER,
            HeaderValue::from_static(crate::error::RETRY_AFTER_UNAVAILABLE),
        );
    }
    res
}

/// Server functions answer every error with status 500 and the encoded `AppError` in the body;
/// this gives the response the status the error stands for (401, 403, 404, 409, 422, 429).
async fn server_fn_status(req: Request, next: Next) -> Response {
    let res = next.run(req).await;
    if res.status() != StatusCode::INTERNAL_SERVER_ERROR
        || !res
            .headers()
            .contains_key(server_fn::error::SERVER_FN_ERROR_HEADER)
    {
        return res;
    }
    let (mut parts, body) = res.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, 1 << 20).await else {
        return (StatusCode::INTERNAL_SERVER_ERROR, "error body too large").into_response();
    };
    if let Ok(error) = serde_json::from_slice::<AppError>(&bytes) {
        parts.status =
            StatusCode::from_u16(error.status_code()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        if error == AppError::Unavailable {
            parts.headers.insert(
                header::RETRY_AFTER,
                HeaderValue::from_static(crate::error::RETRY_AFTER_UNAVAILABLE),
            );
        }
    }
    Response::from_parts(parts, Body::from(bytes))
}

#[cfg(test)]
mod tests {
    use super::{has_content_hash, logged_path};

    #[test]
    fn only_charts_files_named_by_their_content_are_kept_for_a_year() {
        assert!(has_content_hash("/charts/echarts.d3e483f9f25ec326.js"));
        assert!(has_content_hash("/charts/europe.0123456789abcdef.geo.json"));
        assert!(!has_content_hash("/charts/manifest.json"));
        assert!(!has_content_hash("/charts/europe.geo.json"));
        assert!(!has_content_hash("/charts/d3e483f9f25ec326.js"));
        assert!(!has_content_hash("/charts/echarts.d3e483f9f25ec32.js"));
    }

    #[test]
    fn link_tokens_never_reach_the_log() {
        assert_eq!(
            logged_path("/invitation/Qm9vbGVhbiB0b2tlbg"),
            "/invitation/[token]"
        );
        assert_eq!(
            logged_path("/reset-password/abc123"),
            "/reset-password/[token]"
        );
        assert_eq!(logged_path("/report/IT/3"), "/report/IT/3");
        assert_eq!(logged_path("/invitation/"), "/invitation/");
    }
}
