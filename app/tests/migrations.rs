#![cfg(feature = "ssr")]
//! The two migration folders are written by hand, one per engine: after migrating a fresh
//! database of each, their schemas, read back from the live databases, must agree.

mod support;

use std::collections::BTreeSet;

use app::db::Engine;
use support::TestDb;

/// A column as both engines can describe it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct Column {
    table: String,
    name: String,
    /// `integer`, `real` or `text`: what the `Any` driver carries.
    kind: String,
    not_null: bool,
}

/// A schema, without the names engines choose themselves (constraints, automatic indexes).
#[derive(Debug, Default, PartialEq, Eq)]
struct Schema {
    tables: BTreeSet<String>,
    columns: BTreeSet<Column>,
    /// (table, columns in order)
    primary_keys: BTreeSet<(String, Vec<String>)>,
    /// (table, column, referenced table, referenced column)
    foreign_keys: BTreeSet<(String, String, String, String)>,
    /// (table, columns in order, unique), primary keys left out.
    indexes: BTreeSet<(String, Vec<String>, bool)>,
}

/// An indexed expression (`lower(email)`) in place of a column name.
const EXPRESSION: &str = "(expression)";

/// The family of a declared type.
fn kind(declared: &str) -> String {
    let t = declared.to_ascii_lowercase();
    if t.contains("int") {
        "integer"
    } else if t.contains("real") || t.contains("double") || t.contains("numeric") {
        "real"
    } else if t.contains("text") || t.contains("char") {
        "text"
    } else if t == "blob" || t == "bytea" {
        "bytes"
    } else {
        return t;
    }
    .to_string()
}

/// Tables of the app's own migrations (not the session store's, nor sqlx's bookkeeping).
fn ours(table: &str) -> bool {
    !table.starts_with("sqlite_") && table != "_sqlx_migrations" && table != "tower_sessions"
}

async fn sqlite_schema(t: &TestDb) -> Schema {
    let pool = &t.db.pool;
    let mut s = Schema::default();
    let tables: Vec<(String,)> =
        sqlx::query_as("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
            .fetch_all(pool)
            .await
            .expect("tables");
    for (table,) in tables.into_iter().filter(|(t,)| ours(t)) {
        let columns: Vec<(String, String, i64, i64)> = sqlx::query_as(
            "SELECT name, type, \"notnull\", pk FROM pragma_table_info($1) ORDER BY cid",
        )
        .bind(table.clone())
        .fetch_all(pool)
        .await
        .expect("columns");
        let mut pk: Vec<(i64, String)> = vec![];
        for (name, declared, not_null, in_pk) in columns {
            if in_pk > 0 {
                pk.push((in_pk, name.clone()));
            }
            s.columns.insert(Column {
                table: table.clone(),
                name,
                kind: kind(&declared),
                // A primary key is never null, whatever SQLite reports for a rowid alias.
                not_null: not_null != 0 || in_pk > 0,
            });
        }
        pk.sort();
        if !pk.is_empty() {
            s.primary_keys
                .insert((table.clone(), pk.into_iter().map(|(_, c)| c).collect()));
        }
        let fks: Vec<(String, String, String)> =
            sqlx::query_as("SELECT \"table\", \"from\", \"to\" FROM pragma_foreign_key_list($1)")
                .bind(table.clone())
                .fetch_all(pool)
                .await
                .expect("foreign keys");
        for (target, from, to) in fks {
            s.foreign_keys.insert((table.clone(), from, target, to));
        }
        let indexes: Vec<(String, i64, String)> =
            sqlx::query_as("SELECT name, \"unique\", origin FROM pragma_index_list($1)")
                .bind(table.clone())
                .fetch_all(pool)
                .await
                .expect("indexes");
        for (index, unique, origin) in indexes {
            if origin == "pk" {
                continue;
            }
            let columns: Vec<(Option<String>,)> =
                sqlx::query_as("SELECT name FROM pragma_index_info($1) ORDER BY seqno")
                    .bind(index)
                    .fetch_all(pool)
                    .await
                    .expect("index columns");
            s.indexes.insert((
                table.clone(),
                columns
                    .into_iter()
                    .map(|(c,)| c.unwrap_or_else(|| EXPRESSION.into()))
                    .collect(),
                unique != 0,
            ));
        }
        s.tables.insert(table);
    }
    s
}

async fn postgres_schema(t: &TestDb) -> Schema {
    let pool = &t.db.pool;
    let mut s = Schema::default();
    let tables: Vec<(String,)> = sqlx::query_as(
        "SELECT tablename::text FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename",
    )
    .fetch_all(pool)
    .await
    .expect("tables");
    s.tables = tables
        .into_iter()
        .map(|(t,)| t)
        .filter(|t| ours(t))
        .collect();
    let columns: Vec<(String, String, String, String)> = sqlx::query_as(
        "SELECT table_name::text, column_name::text, data_type::text, is_nullable::text \
         FROM information_schema.columns WHERE table_schema = 'public'",
    )
    .fetch_all(pool)
    .await
    .expect("columns");
    for (table, name, declared, nullable) in columns {
        if s.tables.contains(&table) {
            s.columns.insert(Column {
                table,
                name,
                kind: kind(&declared),
                not_null: nullable == "NO",
            });
        }
    }
    // Keys and indexes from the catalogue: every index with its columns in order.
    let indexes: Vec<(String, String, bool, bool)> = sqlx::query_as(
        "SELECT t.relname::text, \
         string_agg(COALESCE(a.attname::text, $1), ',' ORDER BY k.n), i.indisunique, i.indisprimary \
         FROM pg_index i JOIN pg_class t ON t.oid = i.indrelid \
         JOIN pg_namespace ns ON ns.oid = t.relnamespace \
         CROSS JOIN LATERAL unnest(i.indkey) WITH ORDINALITY AS k(attnum, n) \
         LEFT JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum AND k.attnum > 0 \
         WHERE ns.nspname = 'public' GROUP BY t.relname, i.indexrelid, i.indisunique, i.indisprimary",
    )
    .bind(EXPRESSION)
    .fetch_all(pool)
    .await
    .expect("indexes");
    for (table, columns, unique, primary) in indexes.into_iter().filter(|i| s.tables.contains(&i.0))
    {
        let columns: Vec<String> = columns.split(',').map(str::to_string).collect();
        if primary {
            s.primary_keys.insert((table, columns));
        } else {
            s.indexes.insert((table, columns, unique));
        }
    }
    let fks: Vec<(String, String, String, String)> = sqlx::query_as(
        "SELECT src.relname::text, sa.attname::text, dst.relname::text, da.attname::text \
         FROM pg_constraint c JOIN pg_class src ON src.oid = c.conrelid \
         JOIN pg_class dst ON dst.oid = c.confrelid \
         JOIN pg_namespace ns ON ns.oid = src.relnamespace \
         CROSS JOIN LATERAL unnest(c.conkey, c.confkey) AS k(src_col, dst_col) \
         JOIN pg_attribute sa ON sa.attrelid = src.oid AND sa.attnum = k.src_col \
         JOIN pg_attribute da ON da.attrelid = dst.oid AND da.attnum = k.dst_col \
         WHERE c.contype = 'f' AND ns.nspname = 'public'",
    )
    .fetch_all(pool)
    .await
    .expect("foreign keys");
    for fk in fks.into_iter().filter(|f| s.tables.contains(&f.0)) {
        s.foreign_keys.insert(fk);
    }
    s
}

/// What one schema has that the other lacks, as lines.
fn differences<T: std::fmt::Debug + Ord>(
    what: &str,
    a: &BTreeSet<T>,
    b: &BTreeSet<T>,
) -> Vec<String> {
    let only = |x: &BTreeSet<T>, y: &BTreeSet<T>, engine: &str| -> Vec<String> {
        x.difference(y)
            .map(|v| format!("{what} only on {engine}: {v:?}"))
            .collect()
    };
    let mut out = only(a, b, "SQLite");
    out.extend(only(b, a, "PostgreSQL"));
    out
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn both_engines_migrate_to_the_same_schema() {
    support::within_limit(async {
        let sqlite = TestDb::new(Engine::Sqlite).await;
        let postgres = TestDb::new(Engine::Postgres).await;
        let (a, b) = (
            sqlite_schema(&sqlite).await,
            postgres_schema(&postgres).await,
        );
        assert!(a.tables.len() >= 10, "{:?}", a.tables);
        let mut problems = differences("table", &a.tables, &b.tables);
        problems.extend(differences("column", &a.columns, &b.columns));
        problems.extend(differences("primary key", &a.primary_keys, &b.primary_keys));
        problems.extend(differences("foreign key", &a.foreign_keys, &b.foreign_keys));
        problems.extend(differences("index", &a.indexes, &b.indexes));
        assert!(
            problems.is_empty(),
            "the migrations disagree:\n{}",
            problems.join("\n")
        );
    })
    .await;
}

/// (field, indicator name, old value, new value) of an `entry_history` row.
type HistoryRow = (String, Option<String>, Option<String>, Option<String>);

/// The history rows written before 0004 (English labels), as they were stored.
const LEGACY_HISTORY: [(&str, Option<&str>, Option<&str>); 5] = [
    ("status", Some("Planned"), Some("In progress")),
    ("evidence links", None, Some("https://a.example.org")),
    ("as of", Some("2026-01-31"), Some("2026-06-30")),
    ("indicator “Screening volume”", Some("12"), None),
    ("narrative", Some("Old"), Some("New")),
];

both_engines! {
    async fn history_rows_written_with_labels_are_migrated_to_codes(t) {
        let pool = &t.db.pool;
        let now = "2026-06-30T00:00:00Z".to_string();
        sqlx::query(
            "INSERT INTO reporting_periods (name, starts_on, ends_on, opens_on, closes_on, created_at) \
             VALUES ('2026 H1', '2026-01-01', '2026-06-30', '2026-06-01', '2026-07-31', $1)",
        )
        .bind(now.clone()).execute(pool).await.unwrap();
        sqlx::query(
            "INSERT INTO reports (country_iso2, period_id, state, version, created_at, updated_at) \
             SELECT 'IT', id, 'draft', 1, $1, $1 FROM reporting_periods",
        )
        .bind(now.clone()).execute(pool).await.unwrap();
        sqlx::query("INSERT INTO report_entries (report_id, recommendation_number) SELECT id, 1 FROM reports")
            .execute(pool).await.unwrap();
        for (field, old, new) in LEGACY_HISTORY {
            sqlx::query(
                "INSERT INTO entry_history (entry_id, report_version, changed_at, changed_by_name, field, old_value, new_value) \
                 SELECT id, 1, $1, 'A', $2, $3, $4 FROM report_entries",
            )
            .bind(now.clone()).bind(field.to_string())
            .bind(old.map(str::to_string)).bind(new.map(str::to_string))
            .execute(pool).await.unwrap();
        }
        // The data statements of 0004 (after its ALTER), run on these rows.
        let migration = include_str!("../../migrations/sqlite/0004_history_codes.sql");
        assert_eq!(migration, include_str!("../../migrations/postgres/0004_history_codes.sql"));
        for statement in migration.split(';').map(str::trim).filter(|s| s.contains("UPDATE")) {
            let statement = &statement[statement.find("UPDATE").unwrap()..];
            sqlx::query(statement).execute(pool).await.unwrap();
        }
        let rows: Vec<HistoryRow> = sqlx::query_as(
            "SELECT field, indicator_name, old_value, new_value FROM entry_history ORDER BY id",
        )
        .fetch_all(pool).await.unwrap();
        let some = |s: &str| Some(s.to_string());
        assert_eq!(rows, [
            ("status".into(), None, some("planned"), some("in-progress")),
            ("evidence".into(), None, None, some("https://a.example.org")),
            ("as_of".into(), None, some("2026-01-31"), some("2026-06-30")),
            ("indicator".into(), some("Screening volume"), some("12"), None),
            ("narrative".into(), None, some("Old"), some("New")),
        ]);
    }
}
