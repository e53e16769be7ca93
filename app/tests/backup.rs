#![cfg(feature = "ssr")]
//! `server backup PATH` (issue 14): a consistent copy of a live SQLite database, taken while a
//! writer is in the middle of a transaction, restores to the committed data and only that; on
//! PostgreSQL the command says to use pg_dump. An existing file is never overwritten.

mod support;

use app::db::{Db, Engine};

async fn users(db: &Db) -> Vec<String> {
    sqlx::query_scalar::<_, String>("SELECT email FROM users ORDER BY email")
        .fetch_all(&db.pool)
        .await
        .unwrap()
}

both_engines! {
    async fn a_backup_of_the_live_database_restores_what_was_committed(t) {
        let db = &t.db;
        app::demo::fill(db, time::OffsetDateTime::now_utc()).await.unwrap();
        let committed = users(db).await;
        assert!(committed.len() > 3, "the demo data has accounts");
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("backup.db");

        if db.engine == Engine::Postgres {
            let refused = db.backup_to(&path).await.unwrap_err();
            assert!(refused.contains("pg_dump"), "{refused}");
            assert!(!path.exists());
            return;
        }

        // A writer in the middle of a transaction: the backup neither waits for it nor holds
        // its uncommitted row.
        let mut writer = db.pool.begin().await.unwrap();
        sqlx::query(
            "INSERT INTO users (email, display_name, role, sessions_valid_after, created_at, \
             updated_at) VALUES ('uncommitted@example.eu', 'Uncommitted', 'viewer', \
             '2026-11-30T00:00:00Z', '2026-11-30T00:00:00Z', '2026-11-30T00:00:00Z')",
        )
        .execute(&mut *writer)
        .await
        .unwrap();
        let bytes = db.backup_to(&path).await.unwrap();
        assert!(bytes > 0);
        writer.commit().await.unwrap();

        // Restored: the backup opened as the application's database.
        let url = format!("sqlite://{}", path.display());
        let restored = Db::connect(&url, 2).await.unwrap();
        restored.migrate().await.unwrap();
        assert_eq!(users(&restored).await, committed);
        let (reports,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM reports")
            .fetch_one(&restored.pool)
            .await
            .unwrap();
        let (live_reports,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM reports")
            .fetch_one(&db.pool)
            .await
            .unwrap();
        assert!(reports > 0);
        assert_eq!(reports, live_reports);
        assert!(users(db).await.contains(&"uncommitted@example.eu".to_string()));

        // Never over an existing file.
        let refused = db.backup_to(&path).await.unwrap_err();
        assert!(refused.contains("already exists"), "{refused}");
        assert_eq!(users(&restored).await, committed, "the first backup is untouched");
    }
}
