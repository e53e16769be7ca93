#![cfg(feature = "ssr")]
//! Memory kept per render, on both engines: thousands of page renders (public pages on the
//! demo data set, a signed-in admin page, the not-found page, requests whose client went away
//! before reading the answer) must leave the heap where it was once the caches are warm.
//! A leaked reactive owner, a per-request cache entry or session data kept past its request
//! would show here as bytes per render.
//!
//! The heap is counted by this test binary's own allocator (bytes allocated and not yet
//! freed), so the check does not depend on how much the real allocator gives back to the
//! system (that is what `scripts/bench-memory` measures).

mod support;

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicIsize, Ordering};

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use futures::future::join_all;
use http_body_util::BodyExt;
use support::{TestApp, PASSWORD};
use tower::ServiceExt;

/// The system allocator, counting the bytes in use.
struct Counting;

static IN_USE: AtomicIsize = AtomicIsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let p = System.alloc(layout);
        if !p.is_null() {
            IN_USE.fetch_add(layout.size() as isize, Ordering::Relaxed);
        }
        p
    }
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        let p = System.alloc_zeroed(layout);
        if !p.is_null() {
            IN_USE.fetch_add(layout.size() as isize, Ordering::Relaxed);
        }
        p
    }
    unsafe fn dealloc(&self, p: *mut u8, layout: Layout) {
        System.dealloc(p, layout);
        IN_USE.fetch_sub(layout.size() as isize, Ordering::Relaxed);
    }
    unsafe fn realloc(&self, p: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let q = System.realloc(p, layout, new_size);
        if !q.is_null() {
            IN_USE.fetch_add(
                new_size as isize - layout.size() as isize,
                Ordering::Relaxed,
            );
        }
        q
    }
}

#[global_allocator]
static HEAP: Counting = Counting;

/// The two engines' runs share the counter: one measures at a time.
static ONE_AT_A_TIME: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

/// The public pages a burst from a newsletter link would hit, and the not-found page.
const PUBLIC: [&str; 8] = [
    "/",
    "/countries",
    "/countries/IT",
    "/dashboard",
    "/dashboard/movement",
    "/dashboard/indicators",
    "/recommendations/1",
    "/no-such-page",
];

fn request(path: &str, cookie: Option<&str>) -> Request<Body> {
    let mut req = Request::get(path).header(header::HOST, "localhost");
    if let Some(c) = cookie {
        req = req.header(header::COOKIE, c);
    }
    req.body(Body::empty()).unwrap()
}

/// One round: every public page and the admin's page, 9 at once, read to the end; then the
/// same again by clients that go away without reading the answer. 18 renders.
async fn round(app: &TestApp, admin: &str) {
    let read = PUBLIC
        .iter()
        .map(|p| (*p, None))
        .chain([("/admin/users", Some(admin))])
        .map(|(path, cookie)| async move {
            let res = app
                .router
                .clone()
                .oneshot(request(path, cookie))
                .await
                .unwrap();
            let status = res.status();
            res.into_body().collect().await.unwrap();
            assert!(
                status == StatusCode::OK
                    || (path == "/no-such-page" && status == StatusCode::NOT_FOUND),
                "{path}: {status}"
            );
        });
    join_all(read).await;
    let dropped = PUBLIC
        .iter()
        .map(|p| (*p, None))
        .chain([("/admin/users", Some(admin))])
        .map(|(path, cookie)| async move {
            // Answered, then dropped unread.
            drop(
                app.router
                    .clone()
                    .oneshot(request(path, cookie))
                    .await
                    .unwrap(),
            );
        });
    join_all(dropped).await;
}

fn in_use() -> isize {
    IN_USE.load(Ordering::Relaxed)
}

both_engines! {
    async fn thousands_of_renders_leave_the_heap_where_it_was(t) {
        let _one = ONE_AT_A_TIME.lock().await;
        app::demo::fill(&t.db, time::OffsetDateTime::now_utc()).await.expect("demo data");
        t.user("memory-admin@example.org", "admin", &[]).await;
        let app = t.app();
        let admin = app.login("memory-admin@example.org", PASSWORD).await;

        // Warm up: the caches filled once per process or per connection (routes, CLDR data,
        // the map, prepared statements of every pooled connection).
        for _ in 0..10 {
            round(&app, &admin).await;
        }
        let warm = in_use();
        const ROUNDS: usize = 60;
        for _ in 0..ROUNDS {
            round(&app, &admin).await;
        }
        let middle = in_use();
        for _ in 0..ROUNDS {
            round(&app, &admin).await;
        }
        let end = in_use();
        let renders = 2 * ROUNDS * 18;
        let per_render = (end - warm) / renders as isize;
        eprintln!(
            "{:?}: heap in use after warm-up {warm} B, after {} renders {middle} B, after {renders} {end} B ({per_render} B per render)",
            t.engine(),
            renders / 2,
        );
        // A leaked owner or response is kilobytes per render; what is allowed here is noise
        // (a connection's statement cache settling, buffers of the pool) well under that.
        assert!(per_render < 64, "{per_render} bytes kept per render ({warm} -> {middle} -> {end})");
        assert!(
            end - middle < 512 * 1024,
            "the heap still grows in the second half: {middle} -> {end}"
        );
    }
}
