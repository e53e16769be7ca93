//! The data layer's connection: one `sqlx::AnyPool` serves SQLite and PostgreSQL.
//!
//! All SQL in `repo.rs` files is written once, in the subset both engines understand, with `$1`
//! placeholders. The schema keeps to types the `Any` driver can carry on both engines: integers
//! (`INTEGER` on SQLite, `BIGINT` on PostgreSQL; flags are 0/1), text, and dates and
//! timestamps as ISO 8601 text in UTC, which sorts correctly as text.

use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::{AnyPool, Executor};
use std::str::FromStr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use crate::error::AppError;

mod sessions;
pub use sessions::SessionBackend;

/// Which database engine the pool talks to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Engine {
    Sqlite,
    Postgres,
}

impl Engine {
    /// The engine a URL points at, or `None` if it is neither SQLite nor PostgreSQL.
    pub fn from_url(url: &str) -> Option<Self> {
        if url.starts_with("sqlite:") {
            Some(Self::Sqlite)
        } else if url.starts_with("postgres:") || url.starts_with("postgresql:") {
            Some(Self::Postgres)
        } else {
            None
        }
    }

    /// The name used by `/health`.
    pub fn name(self) -> &'static str {
        match self {
            Self::Sqlite => "sqlite",
            Self::Postgres => "postgres",
        }
    }
}

/// The application's database: a pool and the engine behind it.
#[derive(Clone, Debug)]
pub struct Db {
    pub pool: AnyPool,
    pub engine: Engine,
    /// The session store, on the same database.
    pub sessions: SessionBackend,
    /// Whether the database answered lately (see [`Availability`]).
    availability: Arc<Availability>,
}

/// A circuit breaker on the pool. While the database cannot be reached (restarting, network
/// down), getting a connection waits for the pool's acquire timeout (sqlx retries a refused
/// connection until then); a crowd of requests would each wait that long. Once one
/// request has found the database unreachable, the others are refused at once (503, see
/// `AppError::Unavailable`) while a single request at a time probes it again; the first probe
/// that gets a connection closes the breaker, so the app recovers by itself.
#[derive(Debug, Default)]
struct Availability {
    /// Milliseconds since the Unix epoch until which connections are not even tried; 0 while
    /// the database answers.
    down_until_ms: AtomicU64,
    /// When the request probing the database now started (milliseconds since the epoch), 0
    /// when none is. A probe abandoned halfway (its client went away) is replaced after
    /// [`PROBE_LIMIT`].
    probing_since_ms: AtomicU64,
}

/// How long requests are refused at once after the database was found unreachable.
const UNREACHABLE_PAUSE: Duration = Duration::from_secs(1);
/// How long a request waits for a connection: every pooled connection busy for this long, or
/// a database that does not answer, is a 503. Requests queue before they reach the pool
/// (`RT_MAX_CONCURRENT_REQUESTS`), so a healthy pool never comes close.
const ACQUIRE_TIMEOUT: Duration = Duration::from_secs(5);
/// How long a probe waits: the database was unreachable a moment ago.
const PROBE_TIMEOUT: Duration = Duration::from_secs(1);
/// Longer than a probe's wait: a probe that started this long ago was abandoned.
const PROBE_LIMIT: Duration = Duration::from_secs(10);

/// `connect`, bounded by [`PROBE_TIMEOUT`] when it probes a database that was unreachable.
async fn probe_within<T>(
    probing: bool,
    connect: impl std::future::Future<Output = Result<T, sqlx::Error>>,
) -> Result<T, sqlx::Error> {
    if !probing {
        return connect.await;
    }
    tokio::time::timeout(PROBE_TIMEOUT, connect)
        .await
        .unwrap_or(Err(sqlx::Error::PoolTimedOut))
}

fn sqlite_busy(e: &sqlx::Error) -> bool {
    matches!(e, sqlx::Error::Database(db) if db.try_downcast_ref::<sqlx::sqlite::SqliteError>().is_some())
}

fn now_ms() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as u64)
        .unwrap_or(0)
}

impl Availability {
    /// Whether this request may try the database: always while it answers; after a failure,
    /// one request at a time once the pause is over. `Ok(true)` means this request probes
    /// (and must report back through [`Availability::outcome`]).
    fn admit(&self) -> Result<bool, AppError> {
        let until = self.down_until_ms.load(Ordering::Acquire);
        if until == 0 {
            return Ok(false);
        }
        let now = now_ms();
        if now < until {
            return Err(AppError::Unavailable);
        }
        let since = self.probing_since_ms.load(Ordering::Acquire);
        if since != 0 && now.saturating_sub(since) < PROBE_LIMIT.as_millis() as u64 {
            return Err(AppError::Unavailable);
        }
        self.probing_since_ms
            .compare_exchange(since, now, Ordering::AcqRel, Ordering::Acquire)
            .map(|_| true)
            .map_err(|_| AppError::Unavailable)
    }

    /// What getting a connection told about the database.
    fn outcome<T>(&self, result: Result<T, sqlx::Error>, probing: bool) -> Result<T, sqlx::Error> {
        match &result {
            Ok(_) => {
                if self.down_until_ms.load(Ordering::Acquire) != 0
                    && self.down_until_ms.swap(0, Ordering::AcqRel) != 0
                {
                    tracing::warn!("database reachable again");
                }
            }
            // SQLite's busy database is a queue, not an outage: only that request is refused.
            Err(e) if crate::error::database_unreachable(e) && !sqlite_busy(e) => {
                let until = now_ms() + UNREACHABLE_PAUSE.as_millis() as u64;
                if self.down_until_ms.swap(until, Ordering::AcqRel) == 0 {
                    tracing::warn!(error = %e, "database unreachable: requests answered 503 until it is back");
                }
            }
            Err(_) => {}
        }
        if probing {
            self.probing_since_ms.store(0, Ordering::Release);
        }
        result
    }
}

/// A write transaction (see [`Db::begin`]).
pub type Tx = sqlx::Transaction<'static, sqlx::Any>;

static SQLITE_MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("../migrations/sqlite");
static POSTGRES_MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("../migrations/postgres");

impl Db {
    /// Connects to `url`, creating the SQLite file (and its folder) when it does not exist.
    pub async fn connect(url: &str, max_connections: u32) -> Result<Self, sqlx::Error> {
        sqlx::any::install_default_drivers();
        let engine = Engine::from_url(url).ok_or_else(|| {
            // Never the value itself: a mistyped scheme still holds the password.
            sqlx::Error::Configuration(
                "DATABASE_URL must start with sqlite: or postgres: (its value is not repeated: \
                 it may hold a password)"
                    .into(),
            )
        })?;
        let mut url = url.to_string();
        if engine == Engine::Sqlite {
            ensure_sqlite_folder(&url);
            if !url.contains("mode=") && !url.contains(":memory:") {
                url.push(if url.contains('?') { '&' } else { '?' });
                url.push_str("mode=rwc");
            }
        }
        let options = AnyConnectOptions::from_str(&url)?;
        let sessions = SessionBackend::connect(engine, &url).await?;
        let pool = AnyPoolOptions::new()
            .max_connections(max_connections)
            .acquire_timeout(ACQUIRE_TIMEOUT)
            .after_connect(move |conn, _meta| {
                Box::pin(async move {
                    if engine == Engine::Sqlite {
                        // WAL lets readers and the one writer work at the same time; FULL
                        // syncs every commit; the busy timeout queues writers instead of
                        // failing them; temporary data (a multi-row insert's statement
                        // journal, a sort) in memory rather than in files that are never
                        // kept (a sixth of a 50,000-response import went to writing them).
                        conn.execute(
                            "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; \
                             PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 5000; \
                             PRAGMA temp_store = MEMORY;",
                        )
                        .await?;
                    }
                    Ok(())
                })
            })
            .connect_with(options)
            .await?;
        Ok(Self {
            pool,
            engine,
            sessions,
            availability: Arc::default(),
        })
    }

    /// Writes a consistent copy of this (live) SQLite database to the new file `path` and
    /// returns its size in bytes: SQLite's `VACUUM INTO`, one read transaction, so the copy is
    /// the database as of its start, writers carry on meanwhile, and the copy is compacted (not
    /// a copy of the file, which a write in progress or the WAL would leave inconsistent).
    /// Refused when `path` exists (a backup never overwrites) and on PostgreSQL, whose own tools
    /// do this (`pg_dump`: see docs/operations.md). Errors are sentences for the operator.
    pub async fn backup_to(&self, path: &std::path::Path) -> Result<u64, String> {
        if self.engine == Engine::Postgres {
            return Err(
                "this database is PostgreSQL: back it up with its own tools, e.g. \
                        pg_dump --format=custom --file=recovery-tracker.dump DATABASE_URL \
                        (docs/operations.md shows how to restore it)"
                    .into(),
            );
        }
        if path.exists() {
            return Err(format!(
                "{} already exists: a backup never overwrites a file, give a new name",
                path.display()
            ));
        }
        let name = path
            .to_str()
            .ok_or_else(|| format!("{}: the file name must be UTF-8", path.display()))?;
        sqlx::query("VACUUM INTO $1")
            .bind(name)
            .execute(&self.pool)
            .await
            .map_err(|e| format!("the backup to {} failed: {e}", path.display()))?;
        std::fs::metadata(path)
            .map(|m| m.len())
            .map_err(|e| format!("the backup to {} is not there: {e}", path.display()))
    }

    /// Runs the migrations of this engine.
    pub async fn migrate(&self) -> Result<(), sqlx::migrate::MigrateError> {
        match self.engine {
            Engine::Sqlite => SQLITE_MIGRATOR.run(&self.pool).await?,
            Engine::Postgres => POSTGRES_MIGRATOR.run(&self.pool).await?,
        }
        self.sessions.migrate().await?;
        Ok(())
    }

    /// Starts a write transaction. On SQLite it takes the write lock at once (`BEGIN
    /// IMMEDIATE`), so two writers queue on the busy timeout instead of one failing midway.
    pub async fn begin(&self) -> Result<Tx, AppError> {
        let probing = self.availability.admit()?;
        let tx = probe_within(probing, async {
            match self.engine {
                Engine::Sqlite => self.pool.begin_with("BEGIN IMMEDIATE").await,
                Engine::Postgres => self.pool.begin().await,
            }
        })
        .await;
        Ok(self.availability.outcome(tx, probing)?)
    }

    /// Whether the database was found unreachable and has not answered since.
    pub fn is_down(&self) -> bool {
        self.availability.down_until_ms.load(Ordering::Acquire) != 0
    }

    /// Another part (the session store, on its own small pool) found the database
    /// unreachable: requests are refused at once for a moment, as after a failed connection.
    pub fn note_unreachable(&self) {
        let _ = self
            .availability
            .outcome::<()>(Err(sqlx::Error::PoolTimedOut), false);
    }

    /// Serialises transactions that check a rule across rows before writing (no two periods
    /// open at once; never zero administrators). SQLite already runs one writer at a time
    /// (`BEGIN IMMEDIATE`); on PostgreSQL, which several app instances share, a
    /// transaction-scoped advisory lock does it.
    pub async fn serialize_admin_changes(&self, tx: &mut Tx) -> Result<(), AppError> {
        if self.engine == Engine::Postgres {
            sqlx::query("SELECT 1 FROM (SELECT pg_advisory_xact_lock(7301)) AS l")
                .execute(&mut **tx)
                .await?;
        }
        Ok(())
    }

    /// Serialises the writes that record a sign-in limit once per window (`audit::repo::
    /// record_sign_in_limit_once`): on PostgreSQL two refusals at once would each find no
    /// entry yet and both write one. SQLite: `BEGIN IMMEDIATE` already does.
    pub async fn serialize_sign_in_limits(&self, tx: &mut Tx) -> Result<(), AppError> {
        if self.engine == Engine::Postgres {
            sqlx::query("SELECT 1 FROM (SELECT pg_advisory_xact_lock(7302)) AS l")
                .execute(&mut **tx)
                .await?;
        }
        Ok(())
    }

    /// The shared side of [`Db::serialize_admin_changes`]: writes that depend on what an admin
    /// change decides (a report saved into a period that may be closing) take it, so that they
    /// run alongside each other but never across such a change. SQLite: `BEGIN IMMEDIATE`
    /// already serialises every writer.
    pub async fn share_admin_lock(&self, tx: &mut Tx) -> Result<(), AppError> {
        if self.engine == Engine::Postgres {
            sqlx::query("SELECT 1 FROM (SELECT pg_advisory_xact_lock_shared(7301)) AS l")
                .execute(&mut **tx)
                .await?;
        }
        Ok(())
    }

    /// A connection from the pool, for reads (and writes that need no transaction): what every
    /// repo function takes first, as it takes a transaction.
    pub async fn conn(&self) -> Result<sqlx::pool::PoolConnection<sqlx::Any>, AppError> {
        let probing = self.availability.admit()?;
        let conn = probe_within(probing, self.pool.acquire()).await;
        Ok(self.availability.outcome(conn, probing)?)
    }

    /// Checks that the database answers.
    pub async fn ping(&self) -> Result<(), AppError> {
        let mut c = self.conn().await?;
        sqlx::query("SELECT 1").execute(&mut *c).await?;
        Ok(())
    }
}

fn ensure_sqlite_folder(url: &str) {
    let path = url
        .trim_start_matches("sqlite://")
        .trim_start_matches("sqlite:");
    let path = path.split('?').next().unwrap_or_default();
    if path.is_empty() || path == ":memory:" {
        return;
    }
    if let Some(parent) = std::path::Path::new(path).parent() {
        if !parent.as_os_str().is_empty() {
            // An error here shows up as a clearer connection error right after.
            let _ = std::fs::create_dir_all(parent);
        }
    }
}

/// A stored code (a role, a state…) as its enum. An unknown value means the data and the code
/// disagree: it is logged and refused as an internal error, never guessed.
pub fn decode<T: FromStr>(column: &str, value: &str) -> Result<T, AppError> {
    value.parse().map_err(|_| {
        tracing::error!(column, value, "unknown value stored");
        AppError::Internal
    })
}

/// [`decode`] for a nullable column.
pub fn decode_opt<T: FromStr>(column: &str, value: Option<&str>) -> Result<Option<T>, AppError> {
    value.map(|v| decode(column, v)).transpose()
}

/// A 0/1 integer column as a flag.
pub fn flag(value: i64) -> bool {
    value != 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn engine_is_read_from_the_url_scheme() {
        assert_eq!(Engine::from_url("sqlite://data/x.db"), Some(Engine::Sqlite));
        assert_eq!(Engine::from_url("sqlite::memory:"), Some(Engine::Sqlite));
        assert_eq!(
            Engine::from_url("postgres://postgres@127.0.0.1/x"),
            Some(Engine::Postgres)
        );
        assert_eq!(Engine::from_url("postgresql://h/x"), Some(Engine::Postgres));
        assert_eq!(Engine::from_url("mysql://h/x"), None);
    }

    fn unreachable() -> Result<(), sqlx::Error> {
        Err(sqlx::Error::PoolTimedOut)
    }

    #[test]
    fn once_the_database_is_unreachable_requests_are_refused_at_once_then_one_probes() {
        let a = Availability::default();
        // Healthy: every request tries, none probes.
        assert_eq!(a.admit(), Ok(false));
        assert!(a.outcome(unreachable(), false).is_err());
        // Within the pause: refused without trying.
        assert_eq!(a.admit(), Err(AppError::Unavailable));
        // The pause is over: one request probes, the others are still refused meanwhile.
        a.down_until_ms.store(now_ms() - 1, Ordering::Release);
        assert_eq!(a.admit(), Ok(true));
        assert_eq!(a.admit(), Err(AppError::Unavailable));
        // The probe fails: a new pause.
        assert!(a.outcome(unreachable(), true).is_err());
        assert_eq!(a.admit(), Err(AppError::Unavailable));
        // The next probe gets a connection: every request tries again.
        a.down_until_ms.store(now_ms() - 1, Ordering::Release);
        assert_eq!(a.admit(), Ok(true));
        assert!(a.outcome(Ok(()), true).is_ok());
        assert_eq!(a.admit(), Ok(false));
        assert_eq!(a.admit(), Ok(false));
    }

    #[test]
    fn a_probe_abandoned_by_its_client_is_replaced() {
        let a = Availability::default();
        assert!(a.outcome(unreachable(), false).is_err());
        a.down_until_ms.store(now_ms() - 1, Ordering::Release);
        assert_eq!(a.admit(), Ok(true));
        assert_eq!(a.admit(), Err(AppError::Unavailable));
        // Its future was dropped: it never reports. After the limit another request probes.
        a.probing_since_ms.store(
            now_ms() - PROBE_LIMIT.as_millis() as u64 - 1,
            Ordering::Release,
        );
        assert_eq!(a.admit(), Ok(true));
    }

    #[test]
    fn errors_that_are_not_about_reaching_the_database_leave_it_open() {
        let a = Availability::default();
        assert!(a
            .outcome::<()>(Err(sqlx::Error::RowNotFound), false)
            .is_err());
        assert_eq!(a.admit(), Ok(false));
        assert!(!crate::error::database_unreachable(
            &sqlx::Error::RowNotFound
        ));
        assert!(crate::error::database_unreachable(
            &sqlx::Error::PoolTimedOut
        ));
    }
}
