#![cfg(feature = "ssr")]
//! The bound on requests served at once (`app::http::limit`), on both engines: requests
//! within the limit and the queue are all answered; beyond them a page, a server function or
//! an API answer is refused at once with 503 and `Retry-After`, while `/health` and the static
//! files still answer; a request's permit is held until its body has been sent.
//!
//! A request is held "in flight" deterministically by not reading its response body: the
//! permit travels with the body.

mod support;

use std::future::Future;
use std::path::Path;
use std::sync::Arc;

use app::context::{AppState, Settings};
use axum::body::Body;
use axum::http::{header, Request, Response, StatusCode};
use axum::Router;
use futures::FutureExt;
use http_body_util::BodyExt;
use leptos::config::LeptosOptions;
use support::{TestApp, TestDb};
use tower::ServiceExt;

/// The application with at most `max` requests served at once and `queue` waiting, serving
/// the site files of `site`.
fn limited(t: &TestDb, max: usize, queue: usize, site: &Path) -> TestApp {
    let state = AppState {
        leptos_options: LeptosOptions::builder()
            .output_name("recovery-tracker")
            .site_root(site.to_string_lossy().to_string())
            .site_pkg_dir("pkg")
            .build(),
        db: t.db.clone(),
        settings: Arc::new(Settings {
            max_concurrent_requests: max,
            request_queue: queue,
            ..Default::default()
        }),
    };
    TestApp {
        router: app::http::router(state),
    }
}

/// A site folder with a compiled file and a public file.
fn site() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::create_dir_all(dir.path().join("pkg")).unwrap();
    std::fs::write(dir.path().join("pkg/recovery-tracker.css"), "body{}").unwrap();
    std::fs::write(dir.path().join("favicon.svg"), "<svg/>").unwrap();
    dir
}

fn get(path: &str) -> Request<Body> {
    Request::get(path)
        .header(header::HOST, "localhost")
        .body(Body::empty())
        .unwrap()
}

/// A request answered but whose body is not read yet: it is still in flight.
async fn hold(router: &Router, path: &str) -> Response<Body> {
    let res = tokio::time::timeout(
        std::time::Duration::from_secs(30),
        router.clone().oneshot(get(path)),
    )
    .await
    .unwrap_or_else(|_| panic!("no answer to {path}"))
    .unwrap();
    assert_eq!(res.status(), StatusCode::OK, "{path}");
    res
}

/// Polls `request` a few times and checks it is still waiting (in the queue).
async fn still_waiting<F: Future + Unpin>(request: &mut F) {
    for _ in 0..20 {
        assert!(
            (&mut *request).now_or_never().is_none(),
            "answered although every permit is taken"
        );
        tokio::task::yield_now().await;
    }
}

fn assert_refused(res: &support::TestResponse, what: &str) {
    assert_eq!(
        res.status,
        StatusCode::SERVICE_UNAVAILABLE,
        "{what}: {}",
        res.body
    );
    assert_eq!(res.header("retry-after").as_deref(), Some("1"), "{what}");
    assert_eq!(
        res.header("cache-control").as_deref(),
        Some("no-store"),
        "{what}"
    );
}

both_engines! {
    async fn beyond_the_limit_pages_server_functions_and_the_api_get_503_while_health_and_files_answer(t) {
        let dir = site();
        let app = limited(&t, 1, 0, dir.path());
        let held = hold(&app.router, "/").await;

        assert_refused(&app.get("/countries").await, "a page");
        assert_refused(&app.get("/api/v1/countries").await, "the open-data API");
        assert_refused(
            &app.post_form("/api/login", &[("email", "a@example.org"), ("password", "x")], None).await,
            "a server function",
        );
        assert_refused(&app.get("/favicon-missing.svg").await, "the not-found page");

        let health = app.get("/health").await;
        assert_eq!(health.status, StatusCode::OK, "{}", health.body);
        let css = app.get("/pkg/recovery-tracker.css").await;
        assert_eq!((css.status, css.body.as_str()), (StatusCode::OK, "body{}"));
        let icon = app.get("/favicon.svg").await;
        assert_eq!((icon.status, icon.body.as_str()), (StatusCode::OK, "<svg/>"));

        // Sending the held page to the end gives its permit back.
        let page = held.into_body().collect().await.unwrap().to_bytes();
        assert!(String::from_utf8_lossy(&page).contains("<html"));
        let res = app.get("/countries").await;
        assert_eq!(res.status, StatusCode::OK, "{}", res.body);
        assert!(res.header("retry-after").is_none());
    }

    async fn requests_within_the_limit_and_the_queue_are_all_answered_in_turn(t) {
        let dir = site();
        let app = limited(&t, 3, 2, dir.path());
        let mut held = Vec::new();
        for path in ["/", "/countries", "/recommendations/1"] {
            held.push(hold(&app.router, path).await);
        }
        // Two more wait in the queue...
        let mut queued: Vec<_> = ["/login", "/recommendations/2"]
            .into_iter()
            .map(|path| Box::pin(app.router.clone().oneshot(get(path))))
            .collect();
        for request in &mut queued {
            still_waiting(request).await;
        }
        // ...the next one finds the queue full...
        assert_refused(&app.get("/recommendations/3").await, "beyond the queue");
        // ...and a refused request took nothing: once the three held ones end (one answered
        // to the end, two dropped as a client that went away would), the queued ones are
        // answered.
        let first = held.remove(0);
        first.into_body().collect().await.unwrap();
        drop(held);
        for request in queued {
            let res = tokio::time::timeout(std::time::Duration::from_secs(30), request)
                .await
                .expect("a queued request is answered once permits are free")
                .unwrap();
            assert_eq!(res.status(), StatusCode::OK);
            res.into_body().collect().await.unwrap();
        }
        // Everything is free again: as many at once as the limit, all answered.
        let again = futures::future::join_all(
            ["/", "/countries", "/login"].map(|path| app.get(path)),
        )
        .await;
        assert!(again.iter().all(|r| r.status == StatusCode::OK), "{:?}", again.iter().map(|r| r.status).collect::<Vec<_>>());
    }

    async fn a_request_that_waits_in_the_queue_and_gives_up_leaves_its_seat(t) {
        let dir = site();
        let app = limited(&t, 1, 1, dir.path());
        let held = hold(&app.router, "/").await;
        let mut waiting = Box::pin(app.router.clone().oneshot(get("/countries")));
        still_waiting(&mut waiting).await;
        assert_refused(&app.get("/login").await, "the one seat is taken");
        // The client goes away: its seat is free for the next one.
        drop(waiting);
        let mut next = Box::pin(app.router.clone().oneshot(get("/login")));
        still_waiting(&mut next).await;
        drop(held);
        let res = tokio::time::timeout(std::time::Duration::from_secs(30), next)
            .await
            .expect("answered")
            .unwrap();
        assert_eq!(res.status(), StatusCode::OK);
    }
}
