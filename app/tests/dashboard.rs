#![cfg(feature = "ssr")]
//! The European comparison on both engines: the public sees approved reports only (pages,
//! CSV, images, API); "include submitted" is for viewers and admins; every CSV is exactly its
//! table; a period without approved reports reads "No report" everywhere.

mod support;

use axum::http::StatusCode;
use support::{full_report, pairs, set, TestApp, TestDb, PASSWORD};

struct People {
    admin: String,
    fp_fr: String,
    fp_de: String,
    viewer: String,
    member: String,
}

async fn people(t: &TestDb, app: &TestApp) -> People {
    t.user("admin@example.org", "admin", &[]).await;
    t.user("fp-fr@example.org", "focal-point", &["FR"]).await;
    t.user("fp-de@example.org", "focal-point", &["DE"]).await;
    t.user("viewer@example.org", "viewer", &[]).await;
    t.user("member@example.org", "member", &[]).await;
    People {
        admin: app.login("admin@example.org", PASSWORD).await,
        fp_fr: app.login("fp-fr@example.org", PASSWORD).await,
        fp_de: app.login("fp-de@example.org", PASSWORD).await,
        viewer: app.login("viewer@example.org", PASSWORD).await,
        member: app.login("member@example.org", PASSWORD).await,
    }
}

/// France approved (recommendation 1 fully implemented, the rest planned); Germany submitted,
/// not approved (recommendation 1 in progress). Returns the period.
async fn france_approved_germany_submitted(app: &TestApp, p: &People) -> i64 {
    let period = app
        .open_period(&p.admin, "2026 H1", "2026-01-01", "2026-06-30")
        .await;
    let mut fr = full_report("FR", period, 0, "submit");
    set(&mut fr, "entries[0][status]", "fully-implemented");
    set(
        &mut fr,
        "entries[0][narrative]",
        "Backlog cleared in every region.",
    );
    let res = app
        .post_form("/api/save_report", &pairs(&fr), Some(&p.fp_fr))
        .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    let version = res.json()["version"].as_i64().unwrap().to_string();
    let res = app
        .post_form(
            "/api/review_report",
            &[
                ("country", "FR"),
                ("period", &period.to_string()),
                ("version", &version),
                ("decision", "approve"),
            ],
            Some(&p.admin),
        )
        .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    let mut de = full_report("DE", period, 0, "submit");
    set(&mut de, "entries[0][status]", "in-progress");
    set(
        &mut de,
        "entries[0][narrative]",
        "Secret draft narrative of Germany.",
    );
    let res = app
        .post_form("/api/save_report", &pairs(&de), Some(&p.fp_de))
        .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    period
}

/// The text of an HTML fragment: tags and comments dropped, entities decoded.
fn text(html: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for ch in html.chars() {
        match ch {
            '<' => in_tag = true,
            '>' => in_tag = false,
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out.replace("&amp;", "&")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#x27;", "'")
        .replace("&#39;", "'")
        .trim()
        .to_string()
}

/// The body rows of the data table of figure `name` on a page, as cell texts.
fn table_rows(html: &str, name: &str) -> Vec<Vec<String>> {
    let start = html
        .find(&format!("id=\"chart-{name}\""))
        .unwrap_or_else(|| panic!("no figure {name}"));
    let rest = &html[start..];
    let body = &rest[rest.find("<tbody").expect("tbody")..rest.find("</tbody>").expect("/tbody")];
    body.split("<tr")
        .skip(1)
        .map(|row| {
            row.split("</t")
                .filter_map(|cell| {
                    let open = cell.rfind("<td").or_else(|| cell.rfind("<th"))?;
                    let inner = &cell[open..];
                    Some(text(&inner[inner.find('>')? + 1..]))
                })
                .collect()
        })
        .collect()
}

fn csv_rows(body: &str) -> Vec<Vec<String>> {
    csv::Reader::from_reader(body.as_bytes())
        .records()
        .map(|r| r.unwrap().iter().map(str::to_string).collect())
        .collect()
}

/// The row of `country` in rows whose first cell is a country name.
fn row_of<'a>(rows: &'a [Vec<String>], country: &str) -> &'a [String] {
    rows.iter()
        .find(|r| r.first().map(String::as_str) == Some(country))
        .unwrap_or_else(|| panic!("no row for {country}"))
}

both_engines! {
    async fn the_public_never_sees_submitted_reports_on_the_dashboards(t) {
        let app = t.app();
        let p = people(&t, &app).await;
        let period = france_approved_germany_submitted(&app, &p).await;

        let page = app.get("/dashboard").await;
        assert_eq!(page.status, StatusCode::OK);
        let map = table_rows(&page.body, "map");
        assert_eq!(map.len(), 53, "every country is on the map");
        assert_eq!(row_of(&map, "France"), ["France", "Fully implemented"]);
        assert_eq!(row_of(&map, "Germany"), ["Germany", "No report"]);
        let heatmap = table_rows(&page.body, "heatmap");
        assert_eq!(row_of(&heatmap, "Germany")[1..], ["No report"; 7]);
        assert!(!page.body.contains("In progress</td>"), "the submitted status stays hidden");

        // The downloads of the same views.
        for figure in ["map", "heatmap", "ranking"] {
            let csv = app.get(&format!("/dashboard/download/{figure}.csv")).await;
            assert_eq!(csv.status, StatusCode::OK, "{figure}");
            assert!(!csv.body.contains("In progress"), "{figure}: {}", csv.body);
            let svg = app.get(&format!("/dashboard/download/{figure}.svg")).await;
            assert_eq!(svg.status, StatusCode::OK, "{figure}");
            assert!(svg.header("content-type").unwrap().starts_with("image/svg+xml"));
            let german: Vec<&str> = svg.body.split("<title").filter(|t| t.contains("Germany")).collect();
            assert!(german.iter().all(|t| !t.contains("In progress")), "{figure} image: {german:?}");
        }
        assert!(app.get("/dashboard/download/map.svg").await.body.contains("Germany: No report"));
        let profile = app.get("/countries/DE").await;
        assert_eq!(profile.status, StatusCode::OK);
        assert!(!profile.body.contains("Secret draft narrative"));
        let profile = app.get("/countries/FR").await;
        assert!(profile.body.contains("Backlog cleared in every region."));
        let api = app.get(&format!("/api/v1/progress?period={period}&country=DE")).await;
        assert_eq!(api.json().as_array().unwrap().len(), 0);

        // Asking for submitted reports without the right: refused, not silently ignored.
        assert_eq!(app.get("/dashboard/download/map.csv?submitted=1").await.status, StatusCode::UNAUTHORIZED);
        for cookie in [&p.member, &p.fp_fr] {
            let res = app.get_as("/dashboard/download/map.csv?submitted=1", Some(cookie)).await;
            assert_eq!(res.status, StatusCode::FORBIDDEN);
            let res = app.get_as("/dashboard?submitted=1", Some(cookie)).await;
            assert_eq!(res.status, StatusCode::FORBIDDEN);
        }
        assert!(!app.get("/dashboard").await.body.contains("name=\"submitted\""), "no switch for the public");
    }

    async fn viewers_and_admins_may_include_submitted_reports_labelled_as_such(t) {
        let app = t.app();
        let p = people(&t, &app).await;
        france_approved_germany_submitted(&app, &p).await;
        for cookie in [&p.viewer, &p.admin] {
            let page = app.get_as("/dashboard?submitted=1", Some(cookie)).await;
            assert_eq!(page.status, StatusCode::OK, "{}", page.body);
            assert!(page.body.contains("name=\"submitted\""));
            let map = table_rows(&page.body, "map");
            assert_eq!(row_of(&map, "Germany"), ["Germany", "In progress"]);
            assert!(page.body.contains("Includes submitted reports that are not yet approved."));
            let csv = app.get_as("/dashboard/download/map.csv?submitted=1", Some(cookie)).await;
            assert_eq!(csv.status, StatusCode::OK);
            assert!(csv.body.contains("Germany,In progress"), "{}", csv.body);
            assert_eq!(csv.header("cache-control").as_deref(), Some("private, no-store"));
        }
        // Without the switch, a viewer sees what the public sees.
        let page = app.get_as("/dashboard", Some(&p.viewer)).await;
        assert_eq!(row_of(&table_rows(&page.body, "map"), "Germany"), ["Germany", "No report"]);
    }

    async fn every_csv_is_exactly_its_table(t) {
        let app = t.app();
        let p = people(&t, &app).await;
        let period = france_approved_germany_submitted(&app, &p).await;
        let pages = [
            (format!("/dashboard?period={period}&group=eu27"), vec!["map", "heatmap", "distribution", "ranking"]),
            (format!("/dashboard/movement?period={period}&recommendation=3"), vec!["movement", "over-time"]),
            (format!("/countries/FR?period={period}"), vec!["timeline", "indicator-values"]),
        ];
        for (url, figures) in pages {
            let page = app.get(&url).await;
            assert_eq!(page.status, StatusCode::OK, "{url}");
            for figure in figures {
                let href_start = page.body.find(&format!("/dashboard/download/{figure}.csv")).unwrap_or_else(|| panic!("{figure} link"));
                let href = &page.body[href_start..];
                let href = text(&href[..href.find('"').unwrap()]);
                let csv = app.get(&href).await;
                assert_eq!(csv.status, StatusCode::OK, "{href}");
                assert_eq!(csv_rows(&csv.body), table_rows(&page.body, figure), "{figure} at {url}");
            }
        }
        let ranking = csv_rows(&app.get(&format!("/dashboard/download/ranking.csv?period={period}&group=eu27")).await.body);
        assert_eq!(ranking.len(), 27, "EU27 only");
        assert_eq!(ranking[0], ["1", "France", "1", "1"]);
    }

    async fn a_public_dashboard_kept_in_memory_changes_as_soon_as_a_report_is_approved(t) {
        let app = t.app();
        let p = people(&t, &app).await;
        let period = france_approved_germany_submitted(&app, &p).await;
        let first = app.get("/dashboard").await;
        let again = app.get("/dashboard").await;
        assert_eq!(row_of(&table_rows(&again.body, "map"), "Germany"), ["Germany", "No report"]);
        assert_eq!(first.body, again.body, "the same data, the same page");
        // Replayed with the policy it was built with: its nonce is the page's (inline scripts).
        assert_eq!(first.header("content-security-policy"), again.header("content-security-policy"));
        let csv = app.get("/dashboard/download/map.csv").await;
        assert!(csv.body.contains("Germany,No report"));
        // The second answer came from memory: reference data the app never changes, renamed
        // behind its back, does not show until the reports do.
        sqlx::query("UPDATE countries SET name = 'Germany (renamed)' WHERE iso2 = 'DE'")
            .execute(&t.db.pool).await.unwrap();
        let cached = app.get("/dashboard").await;
        assert_eq!(row_of(&table_rows(&cached.body, "map"), "Germany")[0], "Germany");
        assert!(app.get_as("/dashboard", Some(&p.viewer)).await.body.contains("Germany (renamed)"), "signed in: never cached");

        let version = app.version(&p.admin, "DE", period).await.to_string();
        let res = app.post_form("/api/review_report", &[
            ("country", "DE"), ("period", &period.to_string()), ("version", &version), ("decision", "approve"),
        ], Some(&p.admin)).await;
        assert_eq!(res.status, StatusCode::OK, "{}", res.body);
        let after = app.get("/dashboard").await;
        assert_eq!(row_of(&table_rows(&after.body, "map"), "Germany (renamed)"), ["Germany (renamed)", "In progress"]);
        assert!(app.get("/dashboard/download/map.csv").await.body.contains("Germany (renamed),In progress"));
        // In French, from the same data.
        let fr = app.get_as("/dashboard", Some("rt_lang=fr")).await;
        assert_eq!(row_of(&table_rows(&fr.body, "map"), "Allemagne")[1], "En cours");
    }

    async fn a_period_without_approved_reports_reads_no_report_everywhere(t) {
        let app = t.app();
        let p = people(&t, &app).await;
        let empty = app.get("/dashboard").await;
        assert_eq!(empty.status, StatusCode::OK, "no period at all is not an error");
        let period = app.open_period(&p.admin, "2026 H1", "2026-01-01", "2026-06-30").await;
        let page = app.get(&format!("/dashboard?period={period}")).await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(table_rows(&page.body, "map").iter().all(|r| r[1] == "No report"));
        let csv = csv_rows(&app.get(&format!("/dashboard/download/distribution.csv?period={period}")).await.body);
        assert_eq!(csv.len(), 14, "7 recommendations × EU27 and non-EU");
        // Columns: recommendation, group, the seven marks, countries; all in "No report".
        assert!(csv.iter().all(|r| r[8] == r[9] && r[2..8].iter().all(|n| n == "0")), "{csv:?}");
        for figure in ["map", "heatmap", "distribution", "ranking"] {
            let svg = app.get(&format!("/dashboard/download/{figure}.svg?period={period}")).await;
            assert_eq!(svg.status, StatusCode::OK, "{figure}");
        }
        for url in [format!("/dashboard/movement?period={period}"), format!("/dashboard/indicators?period={period}"), format!("/countries/MT?period={period}")] {
            assert_eq!(app.get(&url).await.status, StatusCode::OK, "{url}");
        }
        assert_eq!(app.get("/dashboard?period=999").await.status, StatusCode::NOT_FOUND);
        assert_eq!(app.get("/countries/XX").await.status, StatusCode::NOT_FOUND);
        assert_eq!(app.get("/dashboard/download/nothing.csv").await.status, StatusCode::NOT_FOUND);
    }
}
