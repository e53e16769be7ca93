//! Test support: a fresh, migrated database per test on either engine, and an in-process
//! application driven with `tower::ServiceExt::oneshot` (no socket).
#![allow(dead_code)]

use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::Arc;

use app::context::{AppState, Settings};
use app::db::{Db, Engine};
use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use axum::Router;
use http_body_util::BodyExt;
use leptos::config::LeptosOptions;
use tower::ServiceExt;

/// Runs each test body once against SQLite and once against PostgreSQL: `name::sqlite` and
/// `name::postgres`.
#[macro_export]
macro_rules! both_engines {
    ($(async fn $name:ident($db:ident) $body:block)*) => {
        $(
            mod $name {
                #[allow(unused_imports)]
                use super::*;
                async fn run($db: $crate::support::TestDb) $body

                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn sqlite() {
                    $crate::support::within_limit(async {
                        run($crate::support::TestDb::new(app::db::Engine::Sqlite).await).await
                    })
                    .await;
                }

                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn postgres() {
                    $crate::support::within_limit(async {
                        run($crate::support::TestDb::new(app::db::Engine::Postgres).await).await
                    })
                    .await;
                }
            }
        )*
    };
}

/// Fails a test that runs for more than two minutes (they take seconds), so that a hang is
/// reported with the test's name instead of stalling the whole run.
pub async fn within_limit<F: std::future::Future>(test: F) -> F::Output {
    tokio::time::timeout(std::time::Duration::from_secs(120), test)
        .await
        .expect("the test ran for more than 120 s")
}

/// The PostgreSQL server the tests create their databases on.
pub fn postgres_admin_url() -> String {
    std::env::var("RT_TEST_POSTGRES_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".into())
}

static COUNTER: AtomicU32 = AtomicU32::new(0);

/// A migrated database of its own, dropped when the test ends (even when it fails).
pub struct TestDb {
    pub db: Db,
    /// Where the database is: what a second app instance connects to.
    url: String,
    cleanup: Cleanup,
}

enum Cleanup {
    SqliteFile(#[allow(dead_code)] tempfile::TempDir),
    PostgresDatabase(String),
}

impl TestDb {
    pub async fn new(engine: Engine) -> Self {
        let n = COUNTER.fetch_add(1, Ordering::SeqCst);
        match engine {
            Engine::Sqlite => {
                let dir = tempfile::tempdir().expect("temp dir");
                let url = format!("sqlite://{}/test.db", dir.path().display());
                let db = Db::connect(&url, 5).await.expect("open sqlite");
                db.migrate().await.expect("migrate sqlite");
                TestDb {
                    db,
                    url,
                    cleanup: Cleanup::SqliteFile(dir),
                }
            }
            Engine::Postgres => {
                let name = format!("rt_test_{}_{}_{}", std::process::id(), n, rand_suffix());
                let admin = admin_pool().await;
                sqlx::query(&format!("CREATE DATABASE {name}"))
                    .execute(&admin)
                    .await
                    .expect("create test database (is PostgreSQL running on 127.0.0.1:5432?)");
                admin.close().await;
                let base = postgres_admin_url();
                let url = match base.rfind('/') {
                    Some(i) => format!("{}/{name}", &base[..i]),
                    None => panic!("RT_TEST_POSTGRES_URL must end with /DATABASE"),
                };
                let db = Db::connect(&url, 5).await.expect("connect test database");
                db.migrate().await.expect("migrate postgres");
                TestDb {
                    db,
                    url,
                    cleanup: Cleanup::PostgresDatabase(name),
                }
            }
        }
    }

    pub fn engine(&self) -> Engine {
        self.db.engine
    }

    /// The application on this database.
    pub fn app(&self) -> TestApp {
        self.app_with(Settings::default())
    }

    /// Another app instance on the same database, as a second server behind a load balancer
    /// would be: a pool of its own (and a session store of its own), a router of its own;
    /// nothing in memory is shared with [`TestDb::app`]'s instance but the process.
    pub async fn second_instance(&self) -> TestApp {
        self.second_instance_with(Settings::default()).await
    }

    /// [`TestDb::second_instance`] with other settings.
    pub async fn second_instance_with(&self, settings: Settings) -> TestApp {
        let db = Db::connect(&self.url, 5)
            .await
            .expect("connect a second instance to the test database");
        app_on(db, settings)
    }
}

/// An app instance on `db`, built as the server builds it.
fn app_on(db: Db, settings: Settings) -> TestApp {
    let state = AppState {
        leptos_options: LeptosOptions::builder()
            .output_name("recovery-tracker")
            .build(),
        db,
        settings: Arc::new(settings),
    };
    TestApp {
        router: app::http::router(state),
    }
}

fn rand_suffix() -> u64 {
    use std::time::{SystemTime, UNIX_EPOCH};
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.subsec_nanos() as u64)
        .unwrap_or(0)
}

async fn admin_pool() -> sqlx::AnyPool {
    sqlx::any::install_default_drivers();
    sqlx::AnyPool::connect(&postgres_admin_url())
        .await
        .expect("connect to PostgreSQL")
}

impl Drop for TestDb {
    fn drop(&mut self) {
        if let Cleanup::PostgresDatabase(name) = &self.cleanup {
            let name = name.clone();
            // Drop runs outside async; a short-lived runtime on its own thread does the cleanup.
            let _ = std::thread::spawn(move || {
                let rt = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build();
                if let Ok(rt) = rt {
                    rt.block_on(async move {
                        // Bounded: a cleanup that cannot finish leaves a database behind
                        // rather than stalling the test run.
                        let drop = async {
                            let admin = admin_pool().await;
                            let _ = sqlx::query(&format!(
                                "DROP DATABASE IF EXISTS {name} WITH (FORCE)"
                            ))
                            .execute(&admin)
                            .await;
                            admin.close().await;
                        };
                        let limit = std::time::Duration::from_secs(30);
                        if tokio::time::timeout(limit, drop).await.is_err() {
                            eprintln!("could not drop test database {name} within 30 s");
                        }
                    });
                }
            })
            .join();
        }
    }
}

/// The application under test.
#[derive(Clone)]
pub struct TestApp {
    pub router: Router,
}

/// A response, read to the end.
#[derive(Debug)]
pub struct TestResponse {
    pub status: StatusCode,
    pub headers: axum::http::HeaderMap,
    pub body: String,
}

impl TestResponse {
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }

    pub fn header(&self, name: &str) -> Option<String> {
        self.headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_string)
    }

    /// The session cookie set by this response, as `name=value`.
    pub fn session_cookie(&self) -> Option<String> {
        self.headers
            .get_all(header::SET_COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .find(|c| c.starts_with("rt_session="))
            .map(|c| c.split(';').next().unwrap_or_default().to_string())
    }
}

impl TestApp {
    pub async fn send(&self, request: Request<Body>) -> TestResponse {
        let what = format!("{} {}", request.method(), request.uri());
        let response = tokio::time::timeout(
            std::time::Duration::from_secs(30),
            self.router.clone().oneshot(request),
        )
        .await
        .unwrap_or_else(|_| panic!("no answer within 30 s to {what}"))
        .expect("infallible");
        let status = response.status();
        let headers = response.headers().clone();
        let bytes = response
            .into_body()
            .collect()
            .await
            .expect("body")
            .to_bytes();
        TestResponse {
            status,
            headers,
            body: String::from_utf8_lossy(&bytes).into_owned(),
        }
    }

    pub async fn get(&self, path: &str) -> TestResponse {
        self.get_as(path, None).await
    }

    pub async fn get_as(&self, path: &str, cookie: Option<&str>) -> TestResponse {
        self.send(get_request(path, cookie)).await
    }

    /// A GET whose body is kept as bytes (a file such as an XLSX download).
    pub async fn get_bytes_as(
        &self,
        path: &str,
        cookie: Option<&str>,
    ) -> (StatusCode, axum::http::HeaderMap, Vec<u8>) {
        let response = self
            .router
            .clone()
            .oneshot(get_request(path, cookie))
            .await
            .expect("infallible");
        let (status, headers) = (response.status(), response.headers().clone());
        let bytes = response
            .into_body()
            .collect()
            .await
            .expect("body")
            .to_bytes();
        (status, headers, bytes.to_vec())
    }

    /// A form post as a script would send it (no `Accept: text/html`, so server functions
    /// answer with their result instead of redirecting).
    pub async fn post_form(
        &self,
        path: &str,
        form: &[(&str, &str)],
        cookie: Option<&str>,
    ) -> TestResponse {
        let body = serde_urlencoded(form);
        let mut req = Request::post(path)
            .header(header::HOST, "localhost")
            // What a browser sends with a form of the site's own.
            .header("sec-fetch-site", "same-origin")
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
        if let Some(c) = cookie {
            req = req.header(header::COOKIE, c);
        }
        self.send(req.body(Body::from(body)).expect("request"))
            .await
    }
}

/// A GET of `path`, signed in with `cookie` if given.
fn get_request(path: &str, cookie: Option<&str>) -> Request<Body> {
    let mut req = Request::get(path).header(header::HOST, "localhost");
    if let Some(c) = cookie {
        req = req.header(header::COOKIE, c);
    }
    req.body(Body::empty()).expect("request")
}

/// `application/x-www-form-urlencoded` of `pairs`.
pub fn serde_urlencoded(pairs: &[(&str, &str)]) -> String {
    url::form_urlencoded::Serializer::new(String::new())
        .extend_pairs(pairs)
        .finish()
}

/// The password every test user gets.
pub const PASSWORD: &str = "correct horse battery staple";

impl TestDb {
    /// The application serving the compiled site files of `site_root` (`/pkg`), named with
    /// content hashes or not.
    pub fn app_with_site(&self, site_root: &std::path::Path, hash_files: bool) -> TestApp {
        let state = AppState {
            leptos_options: LeptosOptions::builder()
                .output_name("recovery-tracker")
                .site_root(site_root.to_string_lossy().to_string())
                .site_pkg_dir("pkg")
                .hash_files(hash_files)
                .build(),
            db: self.db.clone(),
            settings: Arc::new(Settings::default()),
        };
        TestApp {
            router: app::http::router(state),
        }
    }

    /// The application with other settings (short session lifetimes, secure cookies).
    pub fn app_with(&self, settings: Settings) -> TestApp {
        app_on(self.db.clone(), settings)
    }

    /// Creates an active user with [`PASSWORD`]; `countries` for focal points.
    pub async fn user(&self, email: &str, role: &str, countries: &[&str]) -> i64 {
        let input = app::users::model::UserInput {
            email: email.into(),
            display_name: format!("{role} {email}"),
            role: role.into(),
            countries: countries.iter().map(|c| c.to_string()).collect(),
            organisation: if role == "member" {
                "European Society".into()
            } else {
                String::new()
            },
            member_type: if role == "member" {
                "professional-society".into()
            } else {
                String::new()
            },
            member_country: if role == "member" {
                "DE".into()
            } else {
                String::new()
            },
        };
        app::users::cli::add_user(&self.db, input, PASSWORD.into())
            .await
            .expect("create user")
    }

    /// A text dump of every application table, to prove a refused request changed nothing.
    pub async fn fingerprint(&self) -> String {
        let tables: Vec<(String,)> = match self.engine() {
            Engine::Sqlite => sqlx::query_as(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' \
                 AND name NOT IN ('_sqlx_migrations', 'tower_sessions') ORDER BY name",
            ),
            Engine::Postgres => sqlx::query_as(
                "SELECT tablename::text FROM pg_tables WHERE schemaname = 'public' \
                 AND tablename <> '_sqlx_migrations' ORDER BY tablename",
            ),
        }
        .fetch_all(&self.db.pool)
        .await
        .expect("list tables");
        let mut out = String::new();
        for (table,) in tables {
            let columns: Vec<(String,)> = match self.engine() {
                Engine::Sqlite => {
                    sqlx::query_as("SELECT name FROM pragma_table_info($1) ORDER BY cid")
                }
                Engine::Postgres => sqlx::query_as(
                    "SELECT column_name::text FROM information_schema.columns \
                     WHERE table_schema = 'public' AND table_name = $1 ORDER BY ordinal_position",
                ),
            }
            .bind(table.clone())
            .fetch_all(&self.db.pool)
            .await
            .expect("list columns");
            // Files (BLOBs) as hex on SQLite: their bytes are not text.
            let select = columns
                .iter()
                .map(|(c,)| match self.engine() {
                    Engine::Sqlite => format!(
                        "COALESCE(CASE WHEN typeof({c}) = 'blob' THEN hex({c}) ELSE CAST({c} AS TEXT) END, '∅')"
                    ),
                    Engine::Postgres => format!("COALESCE(CAST({c} AS TEXT), '∅')"),
                })
                .collect::<Vec<_>>()
                .join(" || '|' || ");
            let rows: Vec<(String,)> =
                sqlx::query_as(&format!("SELECT {select} FROM {table} ORDER BY 1"))
                    .fetch_all(&self.db.pool)
                    .await
                    .expect("dump table");
            out.push_str(&format!("## {table} ({})\n", rows.len()));
            for (row,) in rows {
                out.push_str(&row);
                out.push('\n');
            }
        }
        out
    }
}

impl TestApp {
    /// Signs in through the `login` server function; returns the session cookie.
    pub async fn login(&self, email: &str, password: &str) -> String {
        let res = self
            .post_form(
                "/api/login",
                &[("email", email), ("password", password)],
                None,
            )
            .await;
        assert_eq!(
            res.status,
            StatusCode::OK,
            "sign-in of {email} failed: {}",
            res.body
        );
        res.session_cookie().expect("a session cookie")
    }

    /// Who the server thinks is signed in with this cookie.
    pub async fn whoami(&self, cookie: Option<&str>) -> Option<String> {
        let res = self.post_form("/api/get_current_user", &[], cookie).await;
        assert_eq!(res.status, StatusCode::OK, "{}", res.body);
        res.json()["email"].as_str().map(str::to_string)
    }
}

/// Today, tomorrow and so on as `YYYY-MM-DD` (UTC), for periods open now.
pub fn day(offset: i64) -> String {
    let d = time::OffsetDateTime::now_utc().date() + time::Duration::days(offset);
    format!("{:04}-{:02}-{:02}", d.year(), u8::from(d.month()), d.day())
}

/// Owned form pairs as `post_form` wants them.
pub fn pairs(form: &[(String, String)]) -> Vec<(&str, &str)> {
    form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect()
}

/// A complete report: every recommendation "Planned" as of yesterday, with a narrative.
pub fn full_report(
    country: &str,
    period: i64,
    version: i64,
    intent: &str,
) -> Vec<(String, String)> {
    let mut form = vec![
        ("country".to_string(), country.to_string()),
        ("period".to_string(), period.to_string()),
        ("version".to_string(), version.to_string()),
        ("intent".to_string(), intent.to_string()),
    ];
    for i in 0..7 {
        form.push((format!("entries[{i}][recommendation]"), (i + 1).to_string()));
        form.push((format!("entries[{i}][status]"), "planned".into()));
        form.push((
            format!("entries[{i}][narrative]"),
            format!("Plan for recommendation {} agreed.", i + 1),
        ));
        form.push((
            format!("entries[{i}][evidence]"),
            "https://www.example.gov/plan".into(),
        ));
        form.push((format!("entries[{i}][as_of]"), day(-1)));
    }
    form
}

/// Replaces (or adds) one field of a form.
pub fn set(form: &mut Vec<(String, String)>, key: &str, value: &str) {
    match form.iter_mut().find(|(k, _)| k == key) {
        Some(pair) => pair.1 = value.to_string(),
        None => form.push((key.to_string(), value.to_string())),
    }
}

impl TestApp {
    /// Creates a period whose submissions are open today; returns its id.
    pub async fn open_period(
        &self,
        admin: &str,
        name: &str,
        starts_on: &str,
        ends_on: &str,
    ) -> i64 {
        let res = self
            .post_form(
                "/api/save_period",
                &[
                    ("name", name),
                    ("starts_on", starts_on),
                    ("ends_on", ends_on),
                    ("opens_on", &day(-1)),
                    ("closes_on", &day(30)),
                ],
                Some(admin),
            )
            .await;
        assert_eq!(res.status, StatusCode::OK, "{}", res.body);
        res.body.parse().expect("period id")
    }

    /// The report as `cookie` sees it.
    pub async fn report(&self, country: &str, period: i64, cookie: Option<&str>) -> TestResponse {
        self.post_form(
            "/api/get_report",
            &[("country", country), ("period", &period.to_string())],
            cookie,
        )
        .await
    }

    /// The report's current version, read as an admin.
    pub async fn version(&self, admin: &str, country: &str, period: i64) -> i64 {
        let res = self.report(country, period, Some(admin)).await;
        assert_eq!(res.status, StatusCode::OK, "{}", res.body);
        res.json()["version"].as_i64().expect("version")
    }
}

impl TestApp {
    /// A GET answered with bytes (a downloaded file).
    pub async fn download(&self, path: &str, cookie: Option<&str>) -> (StatusCode, Vec<u8>) {
        let mut req = Request::get(path).header(header::HOST, "localhost");
        if let Some(c) = cookie {
            req = req.header(header::COOKIE, c);
        }
        let res = self
            .router
            .clone()
            .oneshot(req.body(Body::empty()).expect("request"))
            .await
            .expect("infallible");
        let status = res.status();
        let bytes = res
            .into_body()
            .collect()
            .await
            .expect("body")
            .to_bytes()
            .to_vec();
        (status, bytes)
    }

    /// An upload form's post (multipart, as browsers send it): `fields`, then the file.
    pub async fn upload(
        &self,
        cookie: Option<&str>,
        fields: &[(&str, &str)],
        file_name: &str,
        bytes: &[u8],
    ) -> TestResponse {
        let boundary = "----recovery-tracker-test-boundary";
        let mut body = Vec::new();
        for (k, v) in fields {
            body.extend_from_slice(
                format!(
                    "--{boundary}\r\nContent-Disposition: form-data; name=\"{k}\"\r\n\r\n{v}\r\n"
                )
                .as_bytes(),
            );
        }
        body.extend_from_slice(
            format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{file_name}\"\r\n\
                 Content-Type: application/octet-stream\r\n\r\n"
            )
            .as_bytes(),
        );
        body.extend_from_slice(bytes);
        body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
        let mut req = Request::post("/imports")
            .header(header::HOST, "localhost")
            .header("sec-fetch-site", "same-origin")
            .header(
                header::CONTENT_TYPE,
                format!("multipart/form-data; boundary={boundary}"),
            );
        if let Some(c) = cookie {
            req = req.header(header::COOKIE, c);
        }
        self.send(req.body(Body::from(body)).expect("request"))
            .await
    }
}
