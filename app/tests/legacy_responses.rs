#![cfg(feature = "ssr")]
//! Legacy responses imported from a workbook, on both engines: N rows make N responses in one
//! transaction with one audit entry; a refused file, a refused caller, a changed survey or an
//! import stopped midway write nothing; an export imported into an empty copy of its survey
//! gives the same answers.

mod support;

use app::caller::{CurrentUser, Role};
use app::spreadsheet::grid::{Cell, Format, Sheet, Workbook};
use app::surveys::legacy::{self, service as legacy_service};
use app::surveys::model::{Answers, Choice, Definition, Kind, Question, SurveyStatus, Text};
use app::surveys::{repo, service};
use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use http_body_util::BodyExt;
use support::{TestDb, PASSWORD};
use tower::ServiceExt;

const IP: &str = "127.0.0.1";

fn choices(codes: &[&str]) -> Vec<Choice> {
    codes
        .iter()
        .map(|c| Choice {
            code: c.to_string(),
            label: Text::new("en", format!("Label {c}")),
        })
        .collect()
}

fn question(code: &str, kind: Kind) -> Question {
    Question {
        code: code.into(),
        kind,
        text: Text::new("en", format!("Question {code}")),
        help: Text::default(),
        required: false,
        hidden: false,
        show_if: None,
    }
}

/// One question of each kind (and one the admin hid).
fn questions() -> Vec<Question> {
    let mut hidden = question("Q9", Kind::ShortText);
    hidden.hidden = true;
    vec![
        question(
            "Q1",
            Kind::Single {
                choices: choices(&["yes", "no"]),
            },
        ),
        question(
            "Q2",
            Kind::Multiple {
                choices: choices(&["a", "b", "c"]),
                other: true,
            },
        ),
        question(
            "Q3",
            Kind::Likert {
                scale: app::surveys::model::definition::default_likert_scale(),
            },
        ),
        question(
            "Q4",
            Kind::Number {
                min: None,
                max: None,
                integer: false,
            },
        ),
        question("Q5", Kind::ShortText),
        question("Q6", Kind::LongText),
        question("Q7", Kind::Date),
        question(
            "Q8",
            Kind::Matrix {
                rows: choices(&["r1", "r2"]),
                scale: choices(&["lo", "hi"]),
            },
        ),
        hidden,
    ]
}

async fn admin(t: &TestDb) -> CurrentUser {
    let id = t.user("admin@example.org", "admin", &[]).await;
    CurrentUser {
        id,
        email: "admin@example.org".into(),
        display_name: "Admin".into(),
        role: Role::Admin,
        countries: vec![],
    }
}

/// A survey with [`questions`], in `status`.
async fn survey(t: &TestDb, admin: &CurrentUser, status: SurveyStatus) -> i64 {
    let id = service::create(&t.db, admin, IP, "Past round", "en")
        .await
        .unwrap();
    service::edit(&t.db, admin, IP, id, 1, "questions", |d| {
        d.sections[0].questions = questions();
        Ok(())
    })
    .await
    .unwrap();
    if status != SurveyStatus::Draft {
        service::set_status(&t.db, admin, IP, id, status)
            .await
            .unwrap();
    }
    id
}

fn text(s: &str) -> Cell {
    Cell::Text(s.into())
}

/// `n` rows of past answers, by code and by label, with a country and a date.
fn workbook(n: usize) -> Workbook {
    let mut rows = vec![[
        "Q1",
        "Q2",
        "Q3",
        "Q4",
        "Q7",
        "Q8.r1",
        "Q8.r2",
        "country",
        "submitted_on",
    ]
    .iter()
    .map(|h| text(h))
    .collect::<Vec<_>>()];
    for i in 0..n {
        rows.push(vec![
            text(if i % 2 == 0 { "yes" } else { "Label no" }),
            text("a; Label c"),
            Cell::Number((1 + i % 5) as f64),
            Cell::Number(i as f64 / 4.0),
            Cell::Date(time::macros::date!(2019 - 06 - 30)),
            text("lo"),
            text("Label hi"),
            text(if i % 3 == 0 { "IT" } else { "Portugal" }),
            text("2019-07-01"),
        ]);
    }
    Workbook {
        format: Format::Xlsx,
        sheets: vec![Sheet {
            name: "Responses".into(),
            rows,
            ..Default::default()
        }],
    }
}

async fn count(t: &TestDb, survey: i64) -> i64 {
    repo::count_responses(
        &mut t.db.conn().await.unwrap(),
        survey,
        &repo::ResponseFilter::default(),
    )
    .await
    .unwrap()
}

async fn checked(t: &TestDb, admin: &CurrentUser, survey: i64, wb: &Workbook) -> legacy::Plan {
    legacy_service::prepare(&t.db, admin, survey, wb, app::lang::Locale::en)
        .await
        .unwrap()
        .unwrap_or_else(|p| panic!("refused: {p:#?}"))
}

/// The export's first sheet as the importers read a workbook.
fn grid(bytes: Vec<u8>) -> Workbook {
    use calamine::{Data, Reader};
    let mut book = calamine::Xlsx::new(std::io::Cursor::new(bytes)).expect("an XLSX file");
    let range = book
        .worksheet_range("Responses")
        .expect("the Responses sheet");
    let rows = range
        .rows()
        .map(|r| {
            r.iter()
                .map(|c| match c {
                    Data::Empty => Cell::Empty,
                    Data::String(s) => Cell::Text(s.clone()),
                    Data::Float(f) => Cell::Number(*f),
                    Data::Int(i) => Cell::Number(*i as f64),
                    Data::Bool(b) => Cell::Bool(*b),
                    other => Cell::Text(other.to_string()),
                })
                .collect()
        })
        .collect();
    Workbook {
        format: Format::Xlsx,
        sheets: vec![Sheet {
            name: "Responses".into(),
            rows,
            ..Default::default()
        }],
    }
}

async fn answers_of(
    t: &TestDb,
    survey: i64,
) -> Vec<(String, Option<String>, Option<String>, Answers)> {
    repo::responses(
        &mut t.db.conn().await.unwrap(),
        survey,
        &repo::ResponseFilter::default(),
    )
    .await
    .unwrap()
    .into_iter()
    .map(|r| (r.language, r.country, r.member_type, r.answers))
    .collect()
}

/// [`workbook`] as an XLSX file, its cells as a spreadsheet keeps them (numbers, a date
/// cell, texts); `merge` merges those areas `(first row, first column, last row, last
/// column)`, numbered from 0.
fn xlsx_of(wb: &Workbook, merge: &[(u32, u16, u32, u16)]) -> Vec<u8> {
    let mut book = rust_xlsxwriter::Workbook::new();
    let date = rust_xlsxwriter::Format::new().set_num_format("yyyy-mm-dd");
    let sheet = book.add_worksheet();
    sheet.set_name(&wb.sheets[0].name).unwrap();
    for (r, row) in wb.sheets[0].rows.iter().enumerate() {
        for (c, cell) in row.iter().enumerate() {
            let (r, c) = (r as u32, c as u16);
            match cell {
                Cell::Text(t) => {
                    sheet.write_string(r, c, t).unwrap();
                }
                Cell::Number(n) => {
                    sheet.write_number(r, c, *n).unwrap();
                }
                Cell::Date(d) => {
                    let d = rust_xlsxwriter::ExcelDateTime::from_ymd(
                        d.year() as u16,
                        u8::from(d.month()),
                        d.day(),
                    )
                    .unwrap();
                    sheet.write_datetime_with_format(r, c, &d, &date).unwrap();
                }
                _ => {}
            }
        }
    }
    for &(r1, c1, r2, c2) in merge {
        sheet
            .merge_range(r1, c1, r2, c2, "", &rust_xlsxwriter::Format::new())
            .unwrap();
    }
    book.save_to_buffer().unwrap()
}

/// The streamed import of `bytes` (as applying a checked file runs it), with the progress it
/// reported.
async fn import_file(
    t: &TestDb,
    admin: &CurrentUser,
    survey: i64,
    bytes: Vec<u8>,
) -> (Result<usize, Vec<String>>, Vec<usize>) {
    let seen = std::sync::Mutex::new(Vec::new());
    let outcome = legacy_service::import_file(
        &t.db,
        admin,
        IP,
        survey,
        bytes,
        app::lang::Locale::en,
        &|done: usize| seen.lock().unwrap().push(done),
    )
    .await
    .unwrap();
    let seen = seen.into_inner().unwrap();
    (
        outcome.map_err(|problems| problems.iter().map(|p| p.to_string()).collect()),
        seen,
    )
}

/// An ODS of texts (a sheet named "Responses"), as LibreOffice lays one out: the mimetype
/// stored first, then the content.
fn ods_of(rows: &[&[&str]]) -> Vec<u8> {
    use std::io::Write;
    let mut table = String::from(r#"<table:table table:name="Responses">"#);
    for row in rows {
        table.push_str("<table:table-row>");
        for value in *row {
            table.push_str(&format!(
                r#"<table:table-cell office:value-type="string"><text:p>{value}</text:p></table:table-cell>"#
            ));
        }
        table.push_str("</table:table-row>");
    }
    table.push_str("</table:table>");
    let content = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" office:version="1.2"><office:automatic-styles/><office:body><office:spreadsheet>{table}</office:spreadsheet></office:body></office:document-content>"#
    );
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let stored =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    zip.start_file("mimetype", stored).unwrap();
    zip.write_all(b"application/vnd.oasis.opendocument.spreadsheet")
        .unwrap();
    zip.start_file("content.xml", zip::write::SimpleFileOptions::default())
        .unwrap();
    zip.write_all(content.as_bytes()).unwrap();
    zip.start_file(
        "META-INF/manifest.xml",
        zip::write::SimpleFileOptions::default(),
    )
    .unwrap();
    zip.write_all(
        br#"<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2"><manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/><manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>"#,
    )
    .unwrap();
    zip.finish().unwrap().into_inner()
}

both_engines! {
    async fn a_workbook_read_checked_and_written_at_once_stores_what_the_dry_run_planned(t) {
        let admin = admin(&t).await;
        // Several chunks of rows on several checking threads, the last one partial.
        let n = 2345;
        let wb = workbook(n);
        let bytes = xlsx_of(&wb, &[]);
        let streamed = survey(&t, &admin, SurveyStatus::Closed).await;
        let (outcome, progress) = import_file(&t, &admin, streamed, bytes.clone()).await;
        assert_eq!(outcome, Ok(n));
        assert!(progress.windows(2).all(|w| w[0] < w[1]), "{progress:?}");
        assert_eq!(progress.last(), Some(&n));
        assert!(progress.len() >= 4, "written as it was read: {progress:?}");

        // The same file read whole, planned, then written.
        let planned = survey(&t, &admin, SurveyStatus::Closed).await;
        let read = app::spreadsheet::read::read(&bytes, &Default::default(), app::lang::Locale::en).unwrap();
        let plan = checked(&t, &admin, planned, &read.workbook).await;
        assert_eq!(legacy_service::import_responses(&t.db, &admin, IP, planned, &plan).await, Ok(n));
        let (a, b) = (answers_of(&t, streamed).await, answers_of(&t, planned).await);
        assert_eq!(a.len(), n);
        assert_eq!(a, b, "the streamed import stored other answers than the plan");
        assert_eq!(a[1].1.as_deref(), Some("PT"));

        // No receipt opens an imported response: their keys are not digests, and unique.
        let (keys, distinct, imported): (i64, i64, i64) = sqlx::query_as(
            "SELECT COUNT(*), COUNT(DISTINCT receipt_hash), \
             SUM(CASE WHEN receipt_hash LIKE 'imported:%' THEN 1 ELSE 0 END) FROM survey_responses",
        )
        .fetch_one(&t.db.pool)
        .await
        .unwrap();
        assert_eq!((keys, distinct, imported), (2 * n as i64, 2 * n as i64, 2 * n as i64));
        let audit: (i64,) = sqlx::query_as(
            "SELECT COUNT(*) FROM audit_log WHERE action = 'survey-responses-imported' AND subject = $1",
        )
        .bind(format!("survey:{streamed}"))
        .fetch_one(&t.db.pool)
        .await
        .unwrap();
        assert_eq!(audit.0, 1);
    }

    async fn a_streamed_workbook_refused_late_writes_nothing(t) {
        let admin = admin(&t).await;
        let id = survey(&t, &admin, SurveyStatus::Closed).await;
        let n = 1800;
        let before = t.fingerprint().await;

        // A bad number far down, after several chunks were already written.
        let mut wb = workbook(n);
        wb.sheets[0].rows[1700][3] = text("thirty");
        let (outcome, _) = import_file(&t, &admin, id, xlsx_of(&wb, &[])).await;
        assert_eq!(
            outcome,
            Err(vec!["sheet \"Responses\", cell D1701 (row 1701, column D): “thirty” is not a number (write 12 or 12.5).".to_string()])
        );
        assert_eq!(t.fingerprint().await, before, "a refused import changed the database");

        // A country the database does not know.
        let mut wb = workbook(n);
        wb.sheets[0].rows[1600][7] = text("Atlantis");
        let (outcome, _) = import_file(&t, &admin, id, xlsx_of(&wb, &[])).await;
        let problems = outcome.unwrap_err();
        assert_eq!(problems.len(), 1, "{problems:#?}");
        assert!(problems[0].contains("cell H1601") && problems[0].contains("Atlantis"), "{problems:#?}");
        assert_eq!(t.fingerprint().await, before);

        // Merged cells among the responses (found after the rows: a second pass).
        let wb = workbook(n);
        let (outcome, _) = import_file(&t, &admin, id, xlsx_of(&wb, &[(1500, 4, 1502, 4)])).await;
        let problems = outcome.unwrap_err();
        assert_eq!(problems.len(), 1, "{problems:#?}");
        assert!(problems[0].contains("cell E1501") && problems[0].contains("E1501:E1503"), "{problems:#?}");
        assert_eq!(t.fingerprint().await, before);

        // Not a spreadsheet, and a workbook without responses.
        let (outcome, _) = import_file(&t, &admin, id, b"PK\x03\x04 not a zip".to_vec()).await;
        assert!(outcome.is_err());
        let empty = Workbook { sheets: vec![Sheet { name: "Responses".into(), rows: vec![vec![text("Q1")]], ..Default::default() }], ..wb };
        let (outcome, _) = import_file(&t, &admin, id, xlsx_of(&empty, &[])).await;
        assert_eq!(outcome, Err(vec!["sheet \"Responses\": The sheet has no responses below its column names.".to_string()]));
        assert_eq!(t.fingerprint().await, before);

        // A file calamine cannot stream (an ODS) is read whole, then checked and written.
        let ods = ods_of(&[&["Q1", "Q5", "country"], &["yes", "by hand", "IT"], &["Label no", "", "France"]]);
        let (outcome, progress) = import_file(&t, &admin, id, ods).await;
        assert_eq!((outcome, progress), (Ok(2), vec![2]));
        let stored = answers_of(&t, id).await;
        assert_eq!(stored.len(), 2);
        assert_eq!(stored[1].1.as_deref(), Some("FR"));
        assert_eq!(stored[0].3["Q5"], app::surveys::model::Answer::Text("by hand".into()));
        let before = t.fingerprint().await;
        let bad = ods_of(&[&["Q1"], &["maybe"]]);
        let (outcome, _) = import_file(&t, &admin, id, bad).await;
        assert!(outcome.unwrap_err()[0].contains("cell A2"));
        assert_eq!(t.fingerprint().await, before);

        // A refused caller, before anything is read.
        let viewer = CurrentUser { role: Role::Viewer, ..admin.clone() };
        let refused = legacy_service::import_file(
            &t.db, &viewer, IP, id, xlsx_of(&workbook(3), &[]), app::lang::Locale::en, &|_| {},
        )
        .await;
        assert_eq!(refused, Err(app::error::AppError::Forbidden));
        assert_eq!(t.fingerprint().await, before);
    }
}

both_engines! {
    async fn an_import_of_n_rows_creates_n_responses_in_one_audited_transaction(t) {
        let admin = admin(&t).await;
        let id = survey(&t, &admin, SurveyStatus::Closed).await;
        // More than two batches, the last one partial.
        let n = 1234;
        let plan = checked(&t, &admin, id, &workbook(n)).await;
        assert_eq!(plan.rows.len(), n);
        let seen = std::sync::Mutex::new(Vec::new());
        let imported = legacy_service::import_responses_with_progress(
            &t.db, &admin, IP, id, &plan, app::lang::Locale::en,
            &|done: usize| seen.lock().unwrap().push(done),
        )
        .await
        .unwrap();
        assert_eq!(imported, n);
        assert_eq!(count(&t, id).await, n as i64);
        assert_eq!(*seen.lock().unwrap(), [500, 1000, 1234]);
        let stored = answers_of(&t, id).await;
        let (language, country, _, answers) = &stored[3];
        assert_eq!((language.as_str(), country.as_deref()), ("en", Some("IT")));
        assert_eq!(stored[1].1.as_deref(), Some("PT"), "a country found by its name");
        assert_eq!(answers["Q1"], app::surveys::model::Answer::Choice("no".into()));
        assert_eq!(
            answers["Q2"],
            app::surveys::model::Answer::Choices { codes: vec!["a".into(), "c".into()], other: None }
        );
        assert_eq!(answers["Q7"], app::surveys::model::Answer::Date("2019-06-30".into()));
        let (on,): (String,) = sqlx::query_as("SELECT MIN(submitted_on) FROM survey_responses WHERE survey_id = $1")
            .bind(id)
            .fetch_one(&t.db.pool)
            .await
            .unwrap();
        assert_eq!(on, "2019-07-01");
        let audit: Vec<(String, String)> = sqlx::query_as(
            "SELECT subject, details FROM audit_log WHERE action = 'survey-responses-imported'",
        )
        .fetch_all(&t.db.pool)
        .await
        .unwrap();
        assert_eq!(audit, [(format!("survey:{id}"), format!("{n} responses from sheet \"Responses\""))]);
        // An open survey takes imports too.
        let open = survey(&t, &admin, SurveyStatus::Open).await;
        let plan = checked(&t, &admin, open, &workbook(3)).await;
        assert_eq!(legacy_service::import_responses(&t.db, &admin, IP, open, &plan).await, Ok(3));
    }

    async fn a_file_with_one_bad_row_is_refused_and_writes_nothing(t) {
        let admin = admin(&t).await;
        let id = survey(&t, &admin, SurveyStatus::Closed).await;
        let mut wb = workbook(50);
        wb.sheets[0].rows[31][3] = text("thirty");
        let before = t.fingerprint().await;
        let problems = legacy_service::prepare(&t.db, &admin, id, &wb, app::lang::Locale::en)
            .await
            .unwrap()
            .unwrap_err();
        assert_eq!(problems.len(), 1, "{problems:#?}");
        assert_eq!(
            problems[0].to_string(),
            "sheet \"Responses\", cell D32 (row 32, column D): “thirty” is not a number (write 12 or 12.5)."
        );
        // A country the database does not know: found in the dry run, refused by the import.
        let mut wb = workbook(50);
        wb.sheets[0].rows[7][7] = text("Atlantis");
        let problems = legacy_service::prepare(&t.db, &admin, id, &wb, app::lang::Locale::en)
            .await
            .unwrap()
            .unwrap_err();
        assert!(problems[0].to_string().contains("cell H8"), "{problems:#?}");
        let mut plan = checked(&t, &admin, id, &workbook(50)).await;
        plan.rows[40].country = Some("Atlantis".into());
        let refused = legacy_service::import_responses(&t.db, &admin, IP, id, &plan).await;
        assert!(matches!(&refused, Err(app::error::AppError::Rejected(m)) if m.contains("H42")), "{refused:?}");
        assert_eq!(count(&t, id).await, 0);
        assert_eq!(t.fingerprint().await, before, "a refused import changed the database");
    }

    async fn only_admins_import_and_a_refused_caller_writes_nothing(t) {
        let admin = admin(&t).await;
        let id = survey(&t, &admin, SurveyStatus::Closed).await;
        let plan = checked(&t, &admin, id, &workbook(10)).await;
        let before = t.fingerprint().await;
        for role in [Role::Viewer, Role::FocalPoint, Role::Member] {
            let caller = CurrentUser { role, ..admin.clone() };
            assert_eq!(
                legacy_service::import_responses(&t.db, &caller, IP, id, &plan).await,
                Err(app::error::AppError::Forbidden),
                "{role:?}"
            );
            assert!(matches!(
                legacy_service::prepare(&t.db, &caller, id, &workbook(1), app::lang::Locale::en).await,
                Err(app::error::AppError::Forbidden)
            ));
        }
        assert_eq!(t.fingerprint().await, before, "a refused caller changed the database");
    }

    async fn a_draft_or_a_changed_survey_is_refused_and_nothing_is_written(t) {
        let admin = admin(&t).await;
        let draft = survey(&t, &admin, SurveyStatus::Draft).await;
        assert!(matches!(
            legacy_service::prepare(&t.db, &admin, draft, &workbook(1), app::lang::Locale::en).await,
            Err(app::error::AppError::Rejected(m)) if m.contains("draft")
        ));
        let id = survey(&t, &admin, SurveyStatus::Closed).await;
        let plan = checked(&t, &admin, id, &workbook(10)).await;
        let version = repo::get(&mut t.db.conn().await.unwrap(), id).await.unwrap().version;
        service::edit(&t.db, &admin, IP, id, version, "text", |d| {
            d.sections[0].questions[0].text.set("en", "Reworded");
            Ok(())
        })
        .await
        .unwrap();
        let before = t.fingerprint().await;
        assert!(matches!(
            legacy_service::import_responses(&t.db, &admin, IP, id, &plan).await,
            Err(app::error::AppError::Conflict { .. })
        ));
        assert_eq!(t.fingerprint().await, before);
    }

    async fn an_import_stopped_midway_writes_nothing(t) {
        let admin = admin(&t).await;
        let id = survey(&t, &admin, SurveyStatus::Closed).await;
        let plan = checked(&t, &admin, id, &workbook(3000)).await;
        let before = t.fingerprint().await;
        let first_batch = tokio::sync::Notify::new();
        let notify = |_: usize| first_batch.notify_one();
        {
            let import = legacy_service::import_responses_with_progress(
                &t.db, &admin, IP, id, &plan, app::lang::Locale::en, &notify,
            );
            tokio::pin!(import);
            tokio::select! {
                biased;
                _ = first_batch.notified() => {}
                done = &mut import => panic!("the import ended before it was stopped: {done:?}"),
            }
            // Dropped here, after its first batch and before its commit (the client went away).
        }
        assert_eq!(count(&t, id).await, 0);
        assert_eq!(t.fingerprint().await, before);
    }

    async fn an_export_imported_into_an_empty_copy_of_its_survey_gives_the_same_answers(t) {
        let admin = admin(&t).await;
        let id = survey(&t, &admin, SurveyStatus::Open).await;
        let first = t.user("first@example.org", "member", &[]).await;
        let second = t.user("second@example.org", "member", &[]).await;
        sqlx::query("UPDATE users SET member_country = 'IT', member_type = 'research' WHERE id = $1")
            .bind(second)
            .execute(&t.db.pool)
            .await
            .unwrap();
        service::invite(&t.db, &admin, IP, id, &[first, second]).await.unwrap();
        let invitations = repo::invitations(&mut t.db.conn().await.unwrap(), id).await.unwrap();
        let given: [&[(&str, &str)]; 2] = [
            &[
                ("q.Q1", "yes"), ("q.Q2", "a"), ("q.Q2", "_other"), ("q.Q2.other", "=HYPERLINK(1)"),
                ("q.Q3", "4"), ("q.Q4", "-3.5"), ("q.Q5", "'=quoted"), ("q.Q6", "Two\nlines"),
                ("q.Q7", "2026-03-31"), ("q.Q8.r1", "lo"), ("q.Q8.r2", "hi"),
            ],
            &[("q.Q1", "no"), ("q.Q2", "b"), ("q.Q2", "c"), ("q.Q4", "1000000.25"), ("q.Q5", "@cmd")],
        ];
        for (inv, pairs) in invitations.iter().zip(given) {
            let own = service::start(&t.db, &inv.token, "en", false).await.unwrap();
            let mut raw = app::surveys::model::Raw::new();
            for (k, v) in pairs {
                raw.entry(k.to_string()).or_default().push(v.to_string());
            }
            service::save(&t.db, &own, Some(0), &raw, None).await.unwrap();
            service::submit(&t.db, &own).await.unwrap();
        }
        let mut original = answers_of(&t, id).await;
        assert_eq!(original.len(), 2);
        // The second member's answer to Q9 was given before the admin hid it.
        let mut hidden_answer = original[1].3.clone();
        hidden_answer.insert("Q9".into(), app::surveys::model::Answer::Text("asked once".into()));
        sqlx::query("UPDATE survey_responses SET answers = $1 WHERE survey_id = $2 AND country_iso2 = 'IT'")
            .bind(serde_json::to_string(&hidden_answer).unwrap())
            .bind(id)
            .execute(&t.db.pool)
            .await
            .unwrap();
        original[1].3 = hidden_answer;

        let app = t.app();
        let cookie = app.login("admin@example.org", PASSWORD).await;
        let req = Request::get(format!("/admin/surveys/{id}/export.xlsx"))
            .header(header::HOST, "localhost")
            .header(header::COOKIE, cookie)
            .body(Body::empty())
            .unwrap();
        let res = app.router.clone().oneshot(req).await.unwrap();
        assert_eq!(res.status(), StatusCode::OK);
        let bytes = res.into_body().collect().await.unwrap().to_bytes().to_vec();

        let copy = survey(&t, &admin, SurveyStatus::Closed).await;
        let definition: Definition = repo::get(&mut t.db.conn().await.unwrap(), id).await.unwrap().definition;
        assert_eq!(repo::get(&mut t.db.conn().await.unwrap(), copy).await.unwrap().definition, definition);
        let plan = checked(&t, &admin, copy, &grid(bytes)).await;
        assert_eq!(legacy_service::import_responses(&t.db, &admin, IP, copy, &plan).await, Ok(2));
        assert_eq!(answers_of(&t, copy).await, original);
    }
}
