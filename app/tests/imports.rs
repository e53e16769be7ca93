#![cfg(feature = "ssr")]
//! Excel imports on both engines: the progress template (download, upload, dry run, apply,
//! conflict, refusals), the secretariat's bulk workbook, and bad files — each refused with
//! its message and nothing written.

mod support;

use std::io::Cursor;

use axum::http::StatusCode;
use calamine::{open_workbook_from_rs, Data, Reader, Xlsx};
use rust_xlsxwriter::{Format, Workbook};
use serde_json::Value;
use support::{full_report, pairs, TestApp, TestDb, PASSWORD};

struct People {
    admin: String,
    fp_it: String,
    fp_fr: String,
    viewer: String,
}

async fn people(t: &TestDb, app: &TestApp) -> People {
    t.user("admin@example.org", "admin", &[]).await;
    t.user("fp-it@example.org", "focal-point", &["IT"]).await;
    t.user("fp-fr@example.org", "focal-point", &["FR"]).await;
    t.user("viewer@example.org", "viewer", &[]).await;
    People {
        admin: app.login("admin@example.org", PASSWORD).await,
        fp_it: app.login("fp-it@example.org", PASSWORD).await,
        fp_fr: app.login("fp-fr@example.org", PASSWORD).await,
        viewer: app.login("viewer@example.org", PASSWORD).await,
    }
}

/// An indicator of recommendation 1 (a number from 0 to 1000, in cases).
async fn indicator(app: &TestApp, admin: &str) -> i64 {
    let res = app
        .post_form(
            "/api/save_indicator",
            &[
                ("recommendation", "1"),
                ("name", "Screenings postponed"),
                ("kind", "number"),
                ("unit", "cases"),
                ("min", "0"),
                ("max", "1000"),
            ],
            Some(admin),
        )
        .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    res.body.parse().expect("indicator id")
}

/// The import's id from the upload's redirect.
fn import_id(res: &support::TestResponse) -> i64 {
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    let location = res.header("location").expect("location");
    location
        .strip_prefix("/imports/")
        .and_then(|id| id.parse().ok())
        .unwrap_or_else(|| panic!("redirected to {location}"))
}

async fn import(app: &TestApp, cookie: &str, id: i64) -> Value {
    let res = app
        .post_form("/api/get_import", &[("id", &id.to_string())], Some(cookie))
        .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    res.json()
}

async fn apply(app: &TestApp, cookie: &str, id: i64) -> support::TestResponse {
    app.post_form(&format!("/imports/{id}/apply"), &[], Some(cookie))
        .await
}

async fn count(t: &TestDb, table: &str) -> i64 {
    let (n,): (i64,) = sqlx::query_as(&format!("SELECT COUNT(*) FROM {table}"))
        .fetch_one(&t.db.pool)
        .await
        .unwrap();
    n
}

/// A cell's new content in [`edit`].
enum New<'a> {
    Text(&'a str),
    Number(f64),
}

/// The workbook as a person would save it after typing `edits` (row found by its key in
/// column A, column by index): every sheet read and written again, the meta sheet hidden.
fn edit(bytes: &[u8], edits: &[(&str, u16, New<'_>)]) -> Vec<u8> {
    let mut wb: Xlsx<_> = open_workbook_from_rs(Cursor::new(bytes.to_vec())).expect("xlsx");
    let mut out = Workbook::new();
    let date = Format::new().set_num_format("yyyy-mm-dd");
    for name in wb.sheet_names() {
        let range = wb.worksheet_range(&name).expect("sheet");
        let (r0, c0) = range.start().unwrap_or((0, 0));
        let sheet = out.add_worksheet();
        sheet.set_name(&name).unwrap();
        if name == "_template" {
            sheet.set_hidden(true);
        }
        for (i, row) in range.rows().enumerate() {
            let r = r0 + i as u32;
            let key = row.first().map(|d| d.to_string()).unwrap_or_default();
            for (j, cell) in row.iter().enumerate() {
                let c = (c0 as usize + j) as u16;
                if let Some((_, _, new)) = edits.iter().find(|(k, col, _)| *k == key && *col == c) {
                    match new {
                        New::Text(s) => sheet.write_string(r, c, *s).unwrap(),
                        New::Number(n) => sheet.write_number(r, c, *n).unwrap(),
                    };
                    continue;
                }
                match cell {
                    Data::String(s) => {
                        sheet.write_string(r, c, s).unwrap();
                    }
                    Data::Float(f) => {
                        sheet.write_number(r, c, *f).unwrap();
                    }
                    Data::Int(n) => {
                        sheet.write_number(r, c, *n as f64).unwrap();
                    }
                    Data::DateTime(d) => {
                        sheet
                            .write_number_with_format(r, c, d.as_f64(), &date)
                            .unwrap();
                    }
                    Data::Bool(b) => {
                        sheet.write_boolean(r, c, *b).unwrap();
                    }
                    _ => {}
                }
            }
            // Edits of cells the template left blank (beyond the row's last value).
            for (k, col, new) in edits {
                if *k == key && (*col as usize) >= c0 as usize + row.len() {
                    match new {
                        New::Text(s) => sheet.write_string(r, *col, *s).unwrap(),
                        New::Number(n) => sheet.write_number(r, *col, *n).unwrap(),
                    };
                }
            }
        }
    }
    out.save_to_buffer().unwrap()
}

const STATUS: u16 = 3;
const NARRATIVE: u16 = 4;
const VALUE: u16 = 7;

fn progress_fields(country: &str, period: i64) -> Vec<(&'static str, String)> {
    vec![
        ("kind", "progress".into()),
        ("country", country.into()),
        ("period", period.to_string()),
    ]
}

fn borrowed<'a>(fields: &'a [(&'static str, String)]) -> Vec<(&'a str, &'a str)> {
    fields.iter().map(|(k, v)| (*k, v.as_str())).collect()
}

both_engines! {
    async fn a_template_uploaded_unchanged_has_no_changes_and_three_edited_cells_are_three_changes_applied_with_history_and_audit(t) {
        let app = t.app();
        let p = people(&t, &app).await;
        let ind = indicator(&app, &p.admin).await;
        let period = app.open_period(&p.admin, "2026 H1", "2026-01-01", "2026-06-30").await;
        let res = app.post_form("/api/save_report", &pairs(&full_report("IT", period, 0, "save")), Some(&p.fp_it)).await;
        assert_eq!(res.status, StatusCode::OK, "{}", res.body);

        let (status, template) = app.download(&format!("/report/IT/{period}/template.xlsx"), Some(&p.fp_it)).await;
        assert_eq!(status, StatusCode::OK);
        let fields = progress_fields("IT", period);

        // Unchanged: no changes, nothing to apply.
        let id = import_id(&app.upload(Some(&p.fp_it), &borrowed(&fields), "it.xlsx", &template).await);
        let view = import(&app, &p.fp_it, id).await;
        assert_eq!(view["preview"]["problems"], serde_json::json!([]), "{view}");
        assert_eq!(view["preview"]["groups"], serde_json::json!([]), "{view}");
        assert!(view["preview"]["summary"].as_str().unwrap().contains("No changes"), "{view}");

        // Three cells edited: three changes, in two entries, shown before anything is written.
        let key = format!("IT.R1.I{ind}");
        let edited = edit(&template, &[
            ("IT.R1", STATUS, New::Text("In progress")),
            ("IT.R2", NARRATIVE, New::Text("Backlog cleared in two regions.")),
            (key.as_str(), VALUE, New::Number(120.0)),
        ]);
        let history_before = count(&t, "entry_history").await;
        let id = import_id(&app.upload(Some(&p.fp_it), &borrowed(&fields), "it-edited.xlsx", &edited).await);
        let view = import(&app, &p.fp_it, id).await;
        assert_eq!(view["preview"]["problems"], serde_json::json!([]), "{view}");
        let groups = view["preview"]["groups"].as_array().unwrap();
        let lines: Vec<(String, Value, Value)> = groups.iter().flat_map(|g| g["lines"].as_array().unwrap().iter().map(|l| (l["field"].as_str().unwrap().to_string(), l["old"].clone(), l["new"].clone()))).collect();
        assert_eq!(lines.len(), 3, "{lines:?}");
        assert!(lines.iter().any(|(field, old, new)| field == "Status" && old == "Planned" && new == "In progress"), "{lines:?}");
        assert!(lines.iter().any(|(field, _, new)| field == "Narrative" && new == "Backlog cleared in two regions."), "{lines:?}");
        assert!(lines.iter().any(|(_, old, new)| old.is_null() && new == "120"), "{lines:?}");
        assert_eq!(count(&t, "entry_history").await, history_before, "a dry run writes nothing");
        assert_eq!(app.version(&p.admin, "IT", period).await, 1);

        // Applied: through the form's save (a new version, history per field), audited.
        let res = apply(&app, &p.fp_it, id).await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
        let view = import(&app, &p.fp_it, id).await;
        assert_eq!(view["state"], "applied", "{view}");
        assert_eq!(app.version(&p.admin, "IT", period).await, 2);
        assert_eq!(count(&t, "entry_history").await, history_before + 3);
        let report = app.report("IT", period, Some(&p.fp_it)).await.json();
        assert_eq!(report["entries"][0]["values"]["status"], "in-progress");
        assert_eq!(report["entries"][1]["values"]["narrative"], "Backlog cleared in two regions.");
        let (audited,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM audit_log WHERE action = 'report-imported' AND details LIKE '%it-edited.xlsx%'")
            .fetch_one(&t.db.pool).await.unwrap();
        assert_eq!(audited, 1);

        // Applying twice writes nothing more.
        apply(&app, &p.fp_it, id).await;
        assert_eq!(app.version(&p.admin, "IT", period).await, 2);
    }

    async fn a_report_saved_since_the_download_is_a_conflict_and_nothing_is_overwritten(t) {
        let app = t.app();
        let p = people(&t, &app).await;
        let period = app.open_period(&p.admin, "2026 H1", "2026-01-01", "2026-06-30").await;
        app.post_form("/api/save_report", &pairs(&full_report("IT", period, 0, "save")), Some(&p.fp_it)).await;
        let (_, template) = app.download(&format!("/report/IT/{period}/template.xlsx"), Some(&p.fp_it)).await;
        // A colleague saves in the browser meanwhile.
        let mut form = full_report("IT", period, 1, "save");
        support::set(&mut form, "entries[2][narrative]", "Colleague's words");
        let res = app.post_form("/api/save_report", &pairs(&form), Some(&p.fp_it)).await;
        assert_eq!(res.status, StatusCode::OK, "{}", res.body);
        let edited = edit(&template, &[("IT.R3", NARRATIVE, New::Text("My words"))]);
        let fields = progress_fields("IT", period);
        let id = import_id(&app.upload(Some(&p.fp_it), &borrowed(&fields), "it.xlsx", &edited).await);
        let view = import(&app, &p.fp_it, id).await;
        assert_eq!(view["preview"]["conflict"].as_array().map(Vec::len), Some(1), "{view}");
        let history = count(&t, "entry_history").await;
        apply(&app, &p.fp_it, id).await;
        let view = import(&app, &p.fp_it, id).await;
        assert_ne!(view["state"], "applied", "{view}");
        assert_eq!(count(&t, "entry_history").await, history);
        let report = app.report("IT", period, Some(&p.fp_it)).await.json();
        assert_eq!(report["entries"][2]["values"]["narrative"], "Colleague's words");
    }

    async fn only_the_countrys_focal_points_download_and_upload_its_template_and_only_the_uploader_sees_the_import(t) {
        let app = t.app();
        let p = people(&t, &app).await;
        let period = app.open_period(&p.admin, "2026 H1", "2026-01-01", "2026-06-30").await;
        let path = format!("/report/IT/{period}/template.xlsx");
        assert_eq!(app.download(&path, None).await.0, StatusCode::UNAUTHORIZED);
        assert_eq!(app.download(&path, Some(&p.fp_fr)).await.0, StatusCode::FORBIDDEN);
        assert_eq!(app.download(&path, Some(&p.viewer)).await.0, StatusCode::FORBIDDEN);
        let (status, template) = app.download(&path, Some(&p.fp_it)).await;
        assert_eq!(status, StatusCode::OK);
        let bulk = format!("/admin/periods/{period}/workbook.xlsx");
        assert_eq!(app.download(&bulk, Some(&p.fp_it)).await.0, StatusCode::FORBIDDEN);
        assert_eq!(app.download(&bulk, Some(&p.viewer)).await.0, StatusCode::FORBIDDEN);

        let fields = progress_fields("IT", period);
        for cookie in [None, Some(p.fp_fr.as_str()), Some(p.viewer.as_str())] {
            let res = app.upload(cookie, &borrowed(&fields), "it.xlsx", &template).await;
            assert!(matches!(res.status, StatusCode::UNAUTHORIZED | StatusCode::FORBIDDEN), "{:?}", res.status);
        }
        let bulk_fields = [("kind", "bulk".to_string()), ("period", period.to_string())];
        let res = app.upload(Some(&p.fp_it), &borrowed(&bulk_fields), "all.xlsx", &template).await;
        assert_eq!(res.status, StatusCode::FORBIDDEN);
        assert_eq!(count(&t, "imports").await, 0, "nothing kept from a refused upload");

        let edited = edit(&template, &[("IT.R1", NARRATIVE, New::Text("Started"))]);
        let id = import_id(&app.upload(Some(&p.fp_it), &borrowed(&fields), "it.xlsx", &edited).await);
        // Someone else cannot see, apply or discard it.
        for cookie in [&p.fp_fr, &p.admin, &p.viewer] {
            let res = app.post_form("/api/get_import", &[("id", &id.to_string())], Some(cookie)).await;
            assert_eq!(res.status, StatusCode::FORBIDDEN, "{}", res.body);
            assert_eq!(apply(&app, cookie, id).await.status, StatusCode::FORBIDDEN);
            assert_eq!(app.post_form(&format!("/imports/{id}/discard"), &[], Some(cookie)).await.status, StatusCode::FORBIDDEN);
        }
        assert_eq!(apply(&app, "", id).await.status, StatusCode::UNAUTHORIZED);
        assert_eq!(count(&t, "reports").await, 0, "nothing applied");
        // The uploader discards it: nothing written.
        let res = app.post_form(&format!("/imports/{id}/discard"), &[], Some(&p.fp_it)).await;
        assert_eq!(res.status, StatusCode::SEE_OTHER);
        assert_eq!(import(&app, &p.fp_it, id).await["state"], "discarded");
        assert_eq!(apply(&app, &p.fp_it, id).await.status, StatusCode::SEE_OTHER);
        assert_eq!(count(&t, "reports").await, 0, "a discarded import cannot be applied");
    }

    async fn bad_files_and_workbooks_made_for_something_else_are_refused_with_their_message_and_nothing_is_written(t) {
        let app = t.app();
        let p = people(&t, &app).await;
        let period = app.open_period(&p.admin, "2026 H1", "2026-01-01", "2026-06-30").await;
        // Another period (its submissions closed: one period takes them at a time).
        let res = app.post_form("/api/save_period", &[
            ("name", "2025 H2"), ("starts_on", "2025-07-01"), ("ends_on", "2025-12-31"),
            ("opens_on", "2026-01-01"), ("closes_on", "2026-01-31"),
        ], Some(&p.admin)).await;
        assert_eq!(res.status, StatusCode::OK, "{}", res.body);
        let other: i64 = res.body.parse().unwrap();
        let (_, it) = app.download(&format!("/report/IT/{period}/template.xlsx"), Some(&p.fp_it)).await;
        let (_, fr) = app.download(&format!("/report/FR/{period}/template.xlsx"), Some(&p.fp_fr)).await;
        let (_, it_other) = app.download(&format!("/report/IT/{other}/template.xlsx"), Some(&p.fp_it)).await;
        let mut plain = Workbook::new();
        plain.add_worksheet().write_string(0, 0, "type").unwrap();
        let plain = plain.save_to_buffer().unwrap();
        let renamed = edit(&it, &[("Key", 0, New::Text("Clef"))]);
        let cases: Vec<(&str, Vec<u8>, &str)> = vec![
            ("not a spreadsheet", b"country,status\nIT,planned\n".to_vec(), "spreadsheet"),
            ("truncated", it[..it.len() / 2].to_vec(), "damaged"),
            ("another country's template", fr, "for FR, not IT"),
            ("another period's template", it_other, "2025 H2"),
            ("any other workbook", plain, "not a Recovery Tracker progress workbook"),
            ("a moved column", renamed, "Column A should be headed"),
            ("a bad status", edit(&it, &[("IT.R4", STATUS, New::Text("Almost done"))]), "is not a status"),
            ("a bad date", edit(&it, &[("IT.R5", 6, New::Text("next spring"))]), ""),
        ];
        let fields = progress_fields("IT", period);
        for (what, bytes, message) in cases {
            let id = import_id(&app.upload(Some(&p.fp_it), &borrowed(&fields), "x.xlsx", &bytes).await);
            let view = import(&app, &p.fp_it, id).await;
            let problems = view["preview"]["problems"].as_array().unwrap();
            assert!(!problems.is_empty(), "{what}: {view}");
            let text = problems.iter().map(|p| p["message"].as_str().unwrap()).collect::<Vec<_>>().join(" | ");
            assert!(text.contains(message), "{what}: {text}");
            assert_eq!(apply(&app, &p.fp_it, id).await.status, StatusCode::SEE_OTHER);
            assert_ne!(import(&app, &p.fp_it, id).await["state"], "applied", "{what}");
        }
        // The status problem is placed on its cell.
        let id = import_id(&app.upload(Some(&p.fp_it), &borrowed(&fields), "x.xlsx", &edit(&it, &[("IT.R4", STATUS, New::Text("Almost done"))])).await);
        let view = import(&app, &p.fp_it, id).await;
        let place = &view["preview"]["problems"][0]["place"];
        assert_eq!(place["column"], 3, "{view}");
        assert!(place["row"].as_u64().unwrap() > 1, "{view}");
        assert_eq!(count(&t, "reports").await, 0, "nothing written by any refused file");
        assert_eq!(count(&t, "entry_history").await, 0);
    }

    async fn the_secretariats_bulk_workbook_changes_several_countries_at_once_or_none(t) {
        let app = t.app();
        let p = people(&t, &app).await;
        let period = app.open_period(&p.admin, "2026 H1", "2026-01-01", "2026-06-30").await;
        // Italy submitted: the secretariat cannot change it; France has not started.
        app.post_form("/api/save_report", &pairs(&full_report("IT", period, 0, "submit")), Some(&p.fp_it)).await;
        let (status, bulk) = app.download(&format!("/admin/periods/{period}/workbook.xlsx"), Some(&p.admin)).await;
        assert_eq!(status, StatusCode::OK);
        let fields = [("kind", "bulk".to_string()), ("period", period.to_string())];

        let with_italy = edit(&bulk, &[
            ("FR.R1", STATUS, New::Text("Planned")),
            ("DE.R1", STATUS, New::Text("Planned")),
            ("IT.R1", NARRATIVE, New::Text("Changed by e-mail")),
        ]);
        let id = import_id(&app.upload(Some(&p.admin), &borrowed(&fields), "all.xlsx", &with_italy).await);
        let view = import(&app, &p.admin, id).await;
        let text = view["preview"]["problems"].to_string();
        assert!(text.contains("cannot be changed now"), "{view}");
        apply(&app, &p.admin, id).await;
        assert_eq!(count(&t, "reports").await, 1, "all or nothing: France and Germany not written either");

        let good = edit(&bulk, &[
            ("FR.R1", STATUS, New::Text("Planned")),
            ("DE.R1", STATUS, New::Text("Geplant")),
        ]);
        let id = import_id(&app.upload(Some(&p.admin), &borrowed(&fields), "all.xlsx", &good).await);
        let view = import(&app, &p.admin, id).await;
        assert_eq!(view["preview"]["problems"], serde_json::json!([]), "{view}");
        let titles: Vec<&str> = view["preview"]["groups"].as_array().unwrap().iter().map(|g| g["title"].as_str().unwrap()).collect();
        assert_eq!(titles.len(), 2, "{titles:?}");
        assert!(titles.iter().any(|t| t.starts_with("France")) && titles.iter().any(|t| t.starts_with("Germany")), "{titles:?}");
        let res = apply(&app, &p.admin, id).await;
        assert_eq!(res.status, StatusCode::SEE_OTHER);
        assert_eq!(import(&app, &p.admin, id).await["state"], "applied");
        assert_eq!(count(&t, "reports").await, 3);
        let fr = app.report("FR", period, Some(&p.admin)).await.json();
        assert_eq!(fr["entries"][0]["values"]["status"], "planned");
        let (audited,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM audit_log WHERE action = 'report-imported' AND actor_email = 'admin@example.org'")
            .fetch_one(&t.db.pool).await.unwrap();
        assert_eq!(audited, 2, "one entry per report, by the admin, naming the file");
    }
}

/// An admin as the services see them.
fn admin_user(id: i64) -> app::caller::CurrentUser {
    app::caller::CurrentUser {
        id,
        email: "admin@example.org".into(),
        display_name: "Admin".into(),
        role: app::caller::Role::Admin,
        countries: vec![],
    }
}

/// A survey holding `def`, moved to `status`; returns its id.
async fn survey_with(
    t: &TestDb,
    admin: i64,
    def: app::surveys::model::Definition,
    status: app::surveys::model::SurveyStatus,
) -> i64 {
    use app::surveys::{repo, service};
    let admin = admin_user(admin);
    let id = service::create(&t.db, &admin, "127.0.0.1", "Draft", "en")
        .await
        .unwrap();
    let version = repo::get(&mut t.db.conn().await.unwrap(), id)
        .await
        .unwrap()
        .version;
    service::edit(&t.db, &admin, "127.0.0.1", id, version, "questions", |d| {
        *d = def;
        Ok(())
    })
    .await
    .unwrap();
    if status != app::surveys::model::SurveyStatus::Draft {
        service::set_status(&t.db, &admin, "127.0.0.1", id, status)
            .await
            .unwrap();
    }
    id
}

/// Two questions: a single choice (`a`, `b`) and a number from 0 to 10.
fn past_round() -> app::surveys::model::Definition {
    use app::surveys::model::{Choice, Definition, Kind, Question, Text};
    let mut def = Definition::new("en", "Past round");
    let question = |code: &str, kind: Kind| Question {
        code: code.into(),
        kind,
        text: Text::new("en", format!("Question {code}")),
        help: Text::default(),
        required: false,
        hidden: false,
        show_if: None,
    };
    def.sections[0].questions = vec![
        question(
            "Q1",
            Kind::Single {
                choices: ["a", "b"]
                    .iter()
                    .map(|c| Choice {
                        code: c.to_string(),
                        label: Text::new("en", format!("Answer {c}")),
                    })
                    .collect(),
            },
        ),
        question(
            "Q2",
            Kind::Number {
                min: Some(0.0),
                max: Some(10.0),
                integer: false,
            },
        ),
    ];
    def
}

/// A sheet of `rows` (the first names the columns) as an .xlsx file.
fn sheet_file(name: &str, rows: &[&[&str]]) -> Vec<u8> {
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name(name).unwrap();
    for (r, row) in rows.iter().enumerate() {
        for (c, value) in row.iter().enumerate() {
            match value.parse::<f64>() {
                Ok(n) => sheet.write_number(r as u32, c as u16, n).unwrap(),
                Err(_) => sheet.write_string(r as u32, c as u16, *value).unwrap(),
            };
        }
    }
    book.save_to_buffer().unwrap()
}

/// Waits for an import applied in the background to finish; returns its view.
async fn settled(app: &TestApp, cookie: &str, id: i64) -> Value {
    for _ in 0..400 {
        let view = import(app, cookie, id).await;
        if view["state"] != "applying" {
            return view;
        }
        tokio::time::sleep(std::time::Duration::from_millis(25)).await;
    }
    panic!("import {id} still applying after 10 s");
}

both_engines! {
    async fn an_xlsform_upload_shows_its_questions_then_creates_a_draft_survey_and_others_are_refused_before_the_file_is_read(t) {
        let app = t.app();
        let p = people(&t, &app).await;
        let admin_id: (i64,) = sqlx::query_as("SELECT id FROM users WHERE email = 'admin@example.org'").fetch_one(&t.db.pool).await.unwrap();
        let def = app::demo::surveys::closed_survey();
        let source = survey_with(&t, admin_id.0, def.clone(), app::surveys::model::SurveyStatus::Draft).await;
        let (status, _, form) = app.get_bytes_as(&format!("/admin/surveys/{source}/xlsform.xlsx"), Some(&p.admin)).await;
        assert_eq!(status, StatusCode::OK);
        let fields = [("kind", "xlsform")];

        // Anyone but an admin: refused before the file is read, nothing kept.
        for (who, cookie, expected) in [("focal point", Some(p.fp_it.as_str()), StatusCode::FORBIDDEN), ("viewer", Some(p.viewer.as_str()), StatusCode::FORBIDDEN), ("anonymous", None, StatusCode::UNAUTHORIZED)] {
            let res = app.upload(cookie, &fields, "form.xlsx", &form).await;
            assert_eq!(res.status, expected, "{who}: {}", res.body);
        }
        assert_eq!(count(&t, "imports").await, 0);

        // The dry run: every section and question, nothing created yet.
        let surveys_before = count(&t, "surveys").await;
        let id = import_id(&app.upload(Some(&p.admin), &fields, "form.xlsx", &form).await);
        let view = import(&app, &p.admin, id).await;
        assert_eq!(view["preview"]["problems"], serde_json::json!([]), "{view}");
        let questions: usize = view["preview"]["groups"].as_array().unwrap().iter().map(|g| g["lines"].as_array().unwrap().len()).sum();
        assert_eq!(questions, def.questions().count(), "{view}");
        assert!(view["preview"]["summary"].as_str().unwrap().contains("new draft survey"), "{view}");
        assert_eq!(count(&t, "surveys").await, surveys_before, "a dry run creates nothing");
        let page = app.get_as(&format!("/imports/{id}"), Some(&p.admin)).await;
        assert!(page.body.contains("Create the draft survey"), "{}", page.body);

        // Applied: a new draft holding the same survey, audited.
        let res = apply(&app, &p.admin, id).await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
        let view = import(&app, &p.admin, id).await;
        assert_eq!(view["state"], "applied", "{view}");
        assert_eq!(count(&t, "surveys").await, surveys_before + 1);
        let created = view["created"].as_str().expect("a link to the new survey");
        let new_id: i64 = created.rsplit('/').next().unwrap().parse().unwrap();
        let stored = app::surveys::repo::get(&mut t.db.conn().await.unwrap(), new_id).await.unwrap();
        assert_eq!(stored.definition, def, "export then import gives the same survey");
        assert_eq!(stored.status, app::surveys::model::SurveyStatus::Draft);
        assert_eq!(count(&t, "audit_log WHERE action = 'survey-imported'").await, 1);
        // Applying again does nothing more.
        apply(&app, &p.admin, id).await;
        assert_eq!(count(&t, "surveys").await, surveys_before + 1);

        // A form with what surveys cannot take: the row named, nothing created.
        let repeat = sheet_file("survey", &[&["type", "name", "label"], &["text", "name", "Your name"], &["begin_repeat", "visits", "Visits"], &["integer", "count", "How many"], &["end_repeat", "", ""]]);
        let id = import_id(&app.upload(Some(&p.admin), &fields, "repeat.xlsx", &repeat).await);
        let view = import(&app, &p.admin, id).await;
        let problems = view["preview"]["problems"].as_array().unwrap();
        assert!(problems.iter().any(|p| p["place"]["sheet"] == "survey" && p["place"]["row"] == 3), "{view}");
        apply(&app, &p.admin, id).await;
        assert_eq!(import(&app, &p.admin, id).await["state"], "failed");
        assert_eq!(count(&t, "surveys").await, surveys_before + 1, "nothing created from a refused form");
    }

    async fn past_responses_upload_as_a_dry_run_then_import_in_the_background_all_or_nothing(t) {
        let app = t.app();
        let p = people(&t, &app).await;
        let (admin_id,): (i64,) = sqlx::query_as("SELECT id FROM users WHERE email = 'admin@example.org'").fetch_one(&t.db.pool).await.unwrap();
        let closed = survey_with(&t, admin_id, past_round(), app::surveys::model::SurveyStatus::Closed).await;
        let draft = survey_with(&t, admin_id, past_round(), app::surveys::model::SurveyStatus::Draft).await;
        let good = sheet_file("Responses", &[&["Q1", "Q2", "country"], &["a", "3", "IT"], &["Answer b", "7.5", "France"], &["b", "", "DE"]]);
        let fields = [("kind", "responses".to_string()), ("survey", closed.to_string())];
        let responses = || count(&t, "survey_responses");

        // Anyone but an admin is refused before the file is read.
        let res = app.upload(Some(&p.fp_it), &borrowed(&fields), "past.xlsx", &good).await;
        assert_eq!(res.status, StatusCode::FORBIDDEN, "{}", res.body);
        // A draft takes no responses: the message says what to do.
        let res = app.upload(Some(&p.admin), &[("kind", "responses"), ("survey", &draft.to_string())], "past.xlsx", &good).await;
        assert!(res.status.is_client_error() && res.body.contains("draft"), "{} {}", res.status, res.body);

        // A bad cell: named by row and column (B3; columns count from 0), nothing written.
        let bad = sheet_file("Responses", &[&["Q1", "Q2"], &["a", "3"], &["b", "eleven"]]);
        let id = import_id(&app.upload(Some(&p.admin), &borrowed(&fields), "bad.xlsx", &bad).await);
        let view = import(&app, &p.admin, id).await;
        let problems = view["preview"]["problems"].as_array().unwrap();
        assert!(problems.iter().any(|p| p["place"]["row"] == 3 && p["place"]["column"] == 1), "{view}");
        apply(&app, &p.admin, id).await;
        assert_eq!(settled(&app, &p.admin, id).await["state"], "failed");
        assert_eq!(responses().await, 0);

        // The dry run counts; applying runs in the background and shows its progress.
        let id = import_id(&app.upload(Some(&p.admin), &borrowed(&fields), "past.xlsx", &good).await);
        let view = import(&app, &p.admin, id).await;
        assert_eq!(view["preview"]["problems"], serde_json::json!([]), "{view}");
        assert_eq!(view["preview"]["records"], 3, "{view}");
        assert!(view["preview"]["summary"].as_str().unwrap().contains("3 response(s)"), "{view}");
        let lines = view["preview"]["groups"].to_string();
        assert!(lines.contains("Q2 — Question Q2") && lines.contains("2 answer(s)"), "{lines}");
        assert_eq!(responses().await, 0, "a dry run writes nothing");
        let res = apply(&app, &p.admin, id).await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
        let view = settled(&app, &p.admin, id).await;
        assert_eq!(view["state"], "applied", "{view}");
        assert_eq!((view["done"].as_i64(), view["total"].as_i64()), (Some(3), Some(3)), "{view}");
        assert_eq!(responses().await, 3);
        let (countries,): (i64,) = sqlx::query_as("SELECT COUNT(DISTINCT country_iso2) FROM survey_responses").fetch_one(&t.db.pool).await.unwrap();
        assert_eq!(countries, 3, "countries by code and by name");
        assert_eq!(count(&t, "audit_log WHERE action = 'survey-responses-imported'").await, 1);
        let page = app.get_as(&format!("/imports/{id}"), Some(&p.admin)).await;
        assert!(page.body.contains("Imported: 3 response(s)."), "{}", page.body);
    }
}

both_engines! {
    async fn the_command_line_checks_then_imports_xlsforms_and_past_responses_as_an_admin_only(t) {
        use app::imports::cli;
        let (admin_id,): (i64,) = {
            t.user("admin@example.org", "admin", &[]).await;
            sqlx::query_as("SELECT id FROM users WHERE email = 'admin@example.org'").fetch_one(&t.db.pool).await.unwrap()
        };
        t.user("fp@example.org", "focal-point", &["IT"]).await;
        let form = app::surveys::xlsform::export::to_xlsx(&past_round(), "past", app::lang::Locale::en).unwrap();
        let surveys = count(&t, "surveys").await;

        // --dry-run prints the questions and writes nothing; a focal point is refused.
        let dry = cli::import_xlsform(&t.db, "admin@example.org", "past.xlsx", form.clone(), true).await.unwrap();
        assert!(dry.ok, "{}", dry.text);
        assert!(dry.text.contains("Q2: ") && dry.text.contains("new draft survey"), "{}", dry.text);
        assert_eq!(count(&t, "surveys").await, surveys);
        let refused = cli::import_xlsform(&t.db, "fp@example.org", "past.xlsx", form.clone(), false).await;
        assert!(refused.is_err_and(|e| e.contains("not allowed") || e.contains("permission")), "a focal point imports no survey");
        assert_eq!(count(&t, "surveys").await, surveys);
        let done = cli::import_xlsform(&t.db, "admin@example.org", "past.xlsx", form, false).await.unwrap();
        assert!(done.ok && done.text.contains("created: /admin/surveys/"), "{}", done.text);
        assert_eq!(count(&t, "surveys").await, surveys + 1);

        // Responses: a refused file prints each problem by cell and exits non-zero.
        let survey = survey_with(&t, admin_id, past_round(), app::surveys::model::SurveyStatus::Closed).await;
        let bad = sheet_file("Responses", &[&["Q1", "Q2"], &["a", "3"], &["c", "4"]]);
        let out = cli::import_responses(&t.db, "admin@example.org", survey, "bad.xlsx", bad, false).await.unwrap();
        assert!(!out.ok, "{}", out.text);
        assert!(out.text.contains("error: sheet \"Responses\", cell A3"), "{}", out.text);
        assert_eq!(count(&t, "survey_responses").await, 0);
        let good = sheet_file("Responses", &[&["Q1", "Q2"], &["a", "3"], &["b", "4"]]);
        let out = cli::import_responses(&t.db, "admin@example.org", survey, "good.xlsx", good, false).await.unwrap();
        assert!(out.ok && out.text.contains("Imported: 2 response(s)."), "{}", out.text);
        assert_eq!(count(&t, "survey_responses").await, 2);
    }
}
