#![cfg(feature = "ssr")]
//! The demo data set on both engines: what an empty database gets, that the accounts sign in,
//! and that a database with reports (or with a clashing period) is refused untouched.

mod support;

use app::error::AppError;
use axum::http::StatusCode;
use support::{full_report, pairs, PASSWORD};

#[derive(sqlx::FromRow)]
struct PerPeriod {
    name: String,
    reports: i64,
    approved: i64,
}

#[derive(sqlx::FromRow)]
struct Value {
    value: String,
    min_value: Option<f64>,
    max_value: Option<f64>,
}

#[derive(sqlx::FromRow)]
struct Entry {
    status: Option<String>,
    narrative: String,
}

fn now() -> time::OffsetDateTime {
    time::OffsetDateTime::now_utc()
}

both_engines! {
    async fn an_empty_database_gets_the_whole_data_set_once(t) {
        let data = app::demo::fill(&t.db, now()).await.expect("demo data");
        let c = &data.counts;
        let members = app::demo::surveys::MEMBERS as i64;
        assert_eq!((c.periods, c.indicators, c.users), (4, 4, 4 + members));
        // Surveys: a closed one with a few hundred responses across countries and member
        // types, and an open one.
        assert_eq!((c.surveys, c.members), (2, members + 1));
        assert!((200..=members).contains(&c.survey_responses), "{c:?}");
        let spread: (i64, i64) = sqlx::query_as(
            "SELECT COUNT(DISTINCT country_iso2), COUNT(DISTINCT member_type) FROM survey_responses",
        )
        .fetch_one(&t.db.pool)
        .await
        .unwrap();
        assert!(spread.0 >= 40 && spread.1 == 4, "{spread:?}");
        let statuses: Vec<(String,)> = sqlx::query_as("SELECT status FROM surveys ORDER BY id")
            .fetch_all(&t.db.pool)
            .await
            .unwrap();
        assert_eq!(statuses, [("closed".to_string(),), ("open".to_string(),)]);
        assert_eq!(c.reports, 3 * 53 + 49, "four countries have no report in the newest period");
        assert_eq!((c.approved, c.submitted, c.drafts), (3 * 53 + 36, 7, 6));
        assert_eq!(c.entries, c.reports * 7);
        assert!(c.indicator_values > 600, "{c:?}");
        assert!(c.history > c.entries, "{c:?}");

        // The three older periods: all 53 countries, approved; the newest, oldest last.
        let periods: Vec<PerPeriod> = sqlx::query_as(
            "SELECT p.name, COUNT(r.id) AS reports, \
             SUM(CASE WHEN r.state = 'approved' THEN 1 ELSE 0 END) AS approved \
             FROM reporting_periods p LEFT JOIN reports r ON r.period_id = p.id \
             GROUP BY p.name, p.starts_on ORDER BY p.starts_on",
        )
        .fetch_all(&t.db.pool)
        .await
        .unwrap();
        assert_eq!(periods.len(), 4);
        for p in &periods[..3] {
            assert_eq!((p.reports, p.approved), (53, 53), "{}", p.name);
        }
        assert_eq!((periods[3].reports, periods[3].approved), (49, 36));
        assert_eq!(data.periods, periods.iter().map(|p| p.name.clone()).collect::<Vec<_>>());

        // Every entry has a status and a narrative marked as synthetic.
        let entries: Vec<Entry> = sqlx::query_as("SELECT status, narrative FROM report_entries")
            .fetch_all(&t.db.pool)
            .await
            .unwrap();
        assert_eq!(entries.len() as i64, c.entries);
        assert!(entries.iter().all(|e| e.status.is_some()));
        assert!(entries.iter().all(|e| e.narrative.starts_with("Demo — ")));
        let statuses: std::collections::BTreeSet<&str> =
            entries.iter().filter_map(|e| e.status.as_deref()).collect();
        assert!(statuses.len() >= 5, "the scale is used: {statuses:?}");

        // Indicator values are numbers within their indicator's bounds.
        let values: Vec<Value> = sqlx::query_as(
            "SELECT v.value, i.min_value, i.max_value FROM indicator_values v \
             JOIN indicators i ON i.id = v.indicator_id",
        )
        .fetch_all(&t.db.pool)
        .await
        .unwrap();
        assert_eq!(values.len() as i64, c.indicator_values);
        for v in &values {
            let n: f64 = v.value.parse().unwrap_or_else(|_| panic!("not a number: {}", v.value));
            assert!(v.min_value.is_some_and(|m| n >= m) && v.max_value.is_some_and(|m| n <= m),
                "{} outside [{:?}, {:?}]", v.value, v.min_value, v.max_value);
        }

        // One account per role, each signing in with the password printed once.
        let app = t.app();
        let roles: Vec<&str> = data.accounts.iter().map(|a| a.role.as_str()).collect();
        assert_eq!(roles, ["admin", "focal-point", "member", "viewer"]);
        for a in &data.accounts {
            assert!(a.email.ends_with("@demo.invalid"));
            assert!(a.password.len() >= 20);
            let cookie = app.login(&a.email, &a.password).await;
            assert_eq!(app.whoami(Some(&cookie)).await.as_deref(), Some(a.email.as_str()));
            assert!(!format!("{a:?}").contains(&a.password), "Debug hides the password");
        }
        let summary = data.summary("http://127.0.0.1:3000");
        assert!(data.accounts.iter().all(|a| summary.contains(&a.password)));

        // A second run is refused and changes nothing.
        let before = t.fingerprint().await;
        match app::demo::fill(&t.db, now()).await {
            Err(AppError::Rejected(m)) => assert!(m.contains("already has reports"), "{m}"),
            other => panic!("a second run was not refused: {other:?}"),
        }
        assert_eq!(t.fingerprint().await, before);
    }

    async fn a_database_with_one_report_is_refused_untouched(t) {
        let app = t.app();
        t.user("admin@example.org", "admin", &[]).await;
        t.user("fp-it@example.org", "focal-point", &["IT"]).await;
        let admin = app.login("admin@example.org", PASSWORD).await;
        let fp = app.login("fp-it@example.org", PASSWORD).await;
        let period = app.open_period(&admin, "Pilot", "2020-01-01", "2020-06-30").await;
        let form = full_report("IT", period, 0, "save");
        let res = app.post_form("/api/save_report", &pairs(&form), Some(&fp)).await;
        assert_eq!(res.status, StatusCode::OK, "{}", res.body);

        let before = t.fingerprint().await;
        match app::demo::fill(&t.db, now()).await {
            Err(AppError::Rejected(m)) => assert!(m.contains("already has reports"), "{m}"),
            other => panic!("not refused: {other:?}"),
        }
        assert_eq!(t.fingerprint().await, before);
    }

    async fn a_clash_after_the_accounts_are_written_leaves_nothing_behind(t) {
        // No report, but a period named like the demo's newest: refused after the accounts
        // were written in the transaction, which then writes nothing at all.
        let app = t.app();
        t.user("admin@example.org", "admin", &[]).await;
        let admin = app.login("admin@example.org", PASSWORD).await;
        let newest = app::demo::plan::periods(now().date()).pop().expect("four periods");
        let start = app::demo::plan::iso_date(newest.starts_on);
        let end = app::demo::plan::iso_date(newest.ends_on);
        app.open_period(&admin, &newest.name, &start, &end).await;

        let before = t.fingerprint().await;
        match app::demo::fill(&t.db, now()).await {
            Err(AppError::Rejected(m)) => assert!(m.contains(&newest.name), "{m}"),
            other => panic!("not refused: {other:?}"),
        }
        assert_eq!(t.fingerprint().await, before);
    }
}
