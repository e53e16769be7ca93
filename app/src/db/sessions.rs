//! The session store on the application's database: tower-sessions' sqlx stores need a
//! typed pool, so this opens a small one of the configured engine beside the `AnyPool`.

use std::str::FromStr;

use async_trait::async_trait;
use tower_sessions::{
    session::{Id, Record},
    session_store::{self, ExpiredDeletion, SessionStore},
};
use tower_sessions_sqlx_store::{sqlx, PostgresStore, SqliteStore};

use super::Engine;

/// How long a request waits for the store's connection: a signed-in request reads its
/// session first, and while the database is restarting it is answered 503 after this (not
/// after sqlx's default 30 s).
const ACQUIRE_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(3);

/// The session store of whichever engine is configured.
#[derive(Debug, Clone)]
pub enum SessionBackend {
    Sqlite(SqliteStore),
    Postgres(PostgresStore),
}

impl SessionBackend {
    /// Opens a small typed pool for the store on the same database as the application.
    pub async fn connect(engine: Engine, url: &str) -> Result<Self, sqlx::Error> {
        Ok(match engine {
            Engine::Sqlite => {
                let options = sqlx::sqlite::SqliteConnectOptions::from_str(url)?
                    .create_if_missing(true)
                    .journal_mode(sqlx::sqlite::SqliteJournalMode::Wal)
                    .synchronous(sqlx::sqlite::SqliteSynchronous::Full)
                    .busy_timeout(std::time::Duration::from_secs(5))
                    .foreign_keys(true);
                let pool = sqlx::sqlite::SqlitePoolOptions::new()
                    .max_connections(4)
                    .acquire_timeout(ACQUIRE_TIMEOUT)
                    .connect_with(options)
                    .await?;
                Self::Sqlite(SqliteStore::new(pool))
            }
            Engine::Postgres => {
                let pool = sqlx::postgres::PgPoolOptions::new()
                    .max_connections(4)
                    .acquire_timeout(ACQUIRE_TIMEOUT)
                    .connect(url)
                    .await?;
                Self::Postgres(PostgresStore::new(pool))
            }
        })
    }

    /// Creates the store's table.
    pub async fn migrate(&self) -> Result<(), sqlx::Error> {
        match self {
            Self::Sqlite(s) => s.migrate().await,
            Self::Postgres(s) => s.migrate().await,
        }
    }

    /// Deletes expired sessions every `period`, forever (run it as a task).
    pub async fn delete_expired_every(self, period: std::time::Duration) {
        let result = match self {
            Self::Sqlite(s) => s.continuously_delete_expired(period).await,
            Self::Postgres(s) => s.continuously_delete_expired(period).await,
        };
        if let Err(e) = result {
            tracing::error!(error = %e, "expired-session cleanup stopped");
        }
    }
}

#[async_trait]
impl SessionStore for SessionBackend {
    async fn create(&self, record: &mut Record) -> session_store::Result<()> {
        match self {
            Self::Sqlite(s) => s.create(record).await,
            Self::Postgres(s) => s.create(record).await,
        }
    }
    async fn save(&self, record: &Record) -> session_store::Result<()> {
        match self {
            Self::Sqlite(s) => s.save(record).await,
            Self::Postgres(s) => s.save(record).await,
        }
    }
    async fn load(&self, id: &Id) -> session_store::Result<Option<Record>> {
        match self {
            Self::Sqlite(s) => s.load(id).await,
            Self::Postgres(s) => s.load(id).await,
        }
    }
    async fn delete(&self, id: &Id) -> session_store::Result<()> {
        match self {
            Self::Sqlite(s) => s.delete(id).await,
            Self::Postgres(s) => s.delete(id).await,
        }
    }
}
