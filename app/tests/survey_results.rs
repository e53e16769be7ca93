#![cfg(feature = "ssr")]
//! Survey results, exports, responses, a member's data and linked evidence, on both engines:
//! counts match the responses given through the answering operations; exports have one row
//! per response and neutralised formulas; members never read anyone else's answers; refused
//! calls write nothing.

mod support;

use app::caller::{CurrentUser, Role};
use app::surveys::model::{Choice, Kind, Question, SurveyStatus, Text};
use app::surveys::{repo, service};
use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use http_body_util::BodyExt;
use support::{TestApp, TestDb, PASSWORD};
use tower::ServiceExt;

const IP: &str = "127.0.0.1";
/// What the first member writes: a formula, which both exports must neutralise.
const FORMULA: &str = "=SUM(1,2)";
/// What only the second member writes.
const SECRET: &str = "Only the second member wrote this";

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

/// A survey with one question of each kind, three members invited, two of whom answered.
struct Setup {
    id: i64,
    admin: CurrentUser,
    /// Members: first (DE, answered), second (IT, answered), third (FR, not answered).
    members: [i64; 3],
    tokens: [String; 3],
}

async fn setup(t: &TestDb, anonymous: bool) -> Setup {
    let admin_id = t.user("admin@example.org", "admin", &[]).await;
    t.user("viewer@example.org", "viewer", &[]).await;
    t.user("fp@example.org", "focal-point", &["IT"]).await;
    let admin = CurrentUser {
        id: admin_id,
        email: "admin@example.org".into(),
        display_name: "Admin".into(),
        role: Role::Admin,
        countries: vec![],
    };
    let first = t.user("first@example.org", "member", &[]).await;
    let second = t.user("second@example.org", "member", &[]).await;
    let third = t.user("third@example.org", "member", &[]).await;
    for (id, country, kind) in [
        (second, "IT", "research"),
        (third, "FR", "patient-organisation"),
    ] {
        sqlx::query("UPDATE users SET member_country = $1, member_type = $2 WHERE id = $3")
            .bind(country)
            .bind(kind)
            .bind(id)
            .execute(&t.db.pool)
            .await
            .unwrap();
    }
    let id = service::create(&t.db, &admin, IP, "Access to care", "en")
        .await
        .unwrap();
    service::edit(&t.db, &admin, IP, id, 1, "questions", |d| {
        let mut hidden = question("Q7", Kind::Date);
        hidden.hidden = true;
        d.sections[0].questions = vec![
            question(
                "Q1",
                Kind::Single {
                    choices: choices(&["yes", "no"]),
                },
            ),
            question(
                "Q2",
                Kind::Multiple {
                    choices: choices(&["a", "b"]),
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
            question(
                "Q6",
                Kind::Matrix {
                    rows: choices(&["r1", "r2"]),
                    scale: choices(&["lo", "hi"]),
                },
            ),
            hidden,
        ];
        Ok(())
    })
    .await
    .unwrap();
    if anonymous {
        let settings = service::SettingsInput {
            anonymous: true,
            ..Default::default()
        };
        service::save_settings(&t.db, &admin, IP, id, &settings)
            .await
            .unwrap();
    }
    service::set_status(&t.db, &admin, IP, id, SurveyStatus::Open)
        .await
        .unwrap();
    service::invite(&t.db, &admin, IP, id, &[first, second, third])
        .await
        .unwrap();
    let invitations = repo::invitations(&mut t.db.conn().await.unwrap(), id)
        .await
        .unwrap();
    let token = |user: i64| {
        invitations
            .iter()
            .find(|i| i.user_id == user)
            .unwrap()
            .token
            .clone()
    };
    let tokens = [token(first), token(second), token(third)];
    answer(
        t,
        &tokens[0],
        &[
            ("q.Q1", "yes"),
            ("q.Q2", "a"),
            ("q.Q2", "_other"),
            ("q.Q2.other", "@cmd"),
            ("q.Q3", "4"),
            ("q.Q4", "-3.5"),
            ("q.Q5", FORMULA),
            ("q.Q6.r1", "lo"),
            ("q.Q6.r2", "hi"),
        ],
    )
    .await;
    answer(
        t,
        &tokens[1],
        &[
            ("q.Q1", "no"),
            ("q.Q2", "a"),
            ("q.Q2", "b"),
            ("q.Q3", "4"),
            ("q.Q4", "10"),
            ("q.Q5", SECRET),
        ],
    )
    .await;
    Setup {
        id,
        admin,
        members: [first, second, third],
        tokens,
    }
}

/// Answers through the respondents' operations: start, save the section, submit.
async fn answer(t: &TestDb, token: &str, pairs: &[(&str, &str)]) {
    let own = service::start(&t.db, token, "en", false).await.unwrap();
    let mut raw = app::surveys::model::Raw::new();
    for (k, v) in pairs {
        raw.entry(k.to_string()).or_default().push(v.to_string());
    }
    service::save(&t.db, &own, Some(0), &raw, None)
        .await
        .unwrap();
    service::submit(&t.db, &own).await.unwrap();
}

async fn count(t: &TestDb, id: i64, country: &str) -> i64 {
    let filter = repo::ResponseFilter {
        country: country.into(),
        ..Default::default()
    };
    repo::count_responses(&mut t.db.conn().await.unwrap(), id, &filter)
        .await
        .unwrap()
}

fn csv_rows(body: &str) -> Vec<Vec<String>> {
    csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(body.as_bytes())
        .records()
        .map(|r| r.unwrap().iter().map(str::to_string).collect())
        .collect()
}

fn xlsx_rows(bytes: Vec<u8>) -> Vec<Vec<String>> {
    use calamine::Reader;
    let mut book = calamine::Xlsx::new(std::io::Cursor::new(bytes)).expect("an XLSX file");
    let range = book
        .worksheet_range("Responses")
        .expect("the Responses sheet");
    range
        .rows()
        .map(|r| r.iter().map(|c| c.to_string()).collect())
        .collect()
}

/// A table of the results' JSON: its rows as text.
fn table_rows(table: &serde_json::Value) -> Vec<Vec<String>> {
    table["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|row| {
            row.as_array()
                .unwrap()
                .iter()
                .map(|cell| match cell {
                    serde_json::Value::Object(o) => o
                        .values()
                        .next()
                        .map(|v| v.to_string().trim_matches('"').to_string())
                        .unwrap_or_default(),
                    other => other.to_string(),
                })
                .collect()
        })
        .collect()
}

async fn cookies(app: &TestApp) -> [(&'static str, String); 5] {
    [
        ("admin", app.login("admin@example.org", PASSWORD).await),
        ("viewer", app.login("viewer@example.org", PASSWORD).await),
        ("focal point", app.login("fp@example.org", PASSWORD).await),
        ("first", app.login("first@example.org", PASSWORD).await),
        ("second", app.login("second@example.org", PASSWORD).await),
    ]
}

both_engines! {
    async fn results_count_the_responses_given_and_the_response_rate(t) {
        let s = setup(&t, false).await;
        let app = t.app();
        let [(_, admin), ..] = cookies(&app).await;
        let res = app.post_form("/api/survey_results", &[("id", &s.id.to_string()), ("query", "")], Some(&admin)).await;
        assert_eq!(res.status, StatusCode::OK, "{}", res.body);
        let v = res.json();
        assert_eq!(v["selected"], 2);
        assert_eq!(v["selected"].as_i64(), Some(count(&t, s.id, "").await));
        let q = |code: &str| v["questions"].as_array().unwrap().iter().find(|q| q["code"] == code).unwrap().clone();
        let single = table_rows(&q("Q1")["figure"]["table"]);
        assert_eq!(single, vec![vec!["Label yes", "1", "50%"], vec!["Label no", "1", "50%"]]);
        let multiple = table_rows(&q("Q2")["figure"]["table"]);
        assert_eq!(multiple[0][1..], ["2", "100%"], "{multiple:?}");
        assert_eq!(multiple[2][1..], ["1", "50%"], "{multiple:?}");
        assert_eq!(q("Q2")["written"]["shown"], serde_json::json!(["@cmd"]));
        let likert = table_rows(&q("Q3")["figure"]["table"]);
        assert_eq!(likert[3][1..], ["2", "100%"], "{likert:?}");
        let numbers = q("Q4")["summary"].to_string();
        assert!(numbers.contains("Median 3.25"), "{numbers}");
        let matrix = table_rows(&q("Q6")["figure"]["table"]);
        assert_eq!(matrix[0], vec!["Label r1", "1", "100%", "0", "0%", "1"]);
        assert_eq!(q("Q5")["written"]["total"], 2);
        assert_eq!(q("Q7")["hidden"], true);
        let overall = table_rows(&v["rates"][0]);
        assert_eq!(overall[0][1..], ["3", "2", "67%"], "{overall:?}");
        let by_country = table_rows(&v["rates"][1]);
        assert_eq!(by_country.len(), 3, "{by_country:?}");
        // The filter narrows the responses and the search the written answers.
        let res = app.post_form("/api/survey_results", &[("id", &s.id.to_string()), ("query", "country=IT&q=second")], Some(&admin)).await;
        let v = res.json();
        assert_eq!(v["selected"].as_i64(), Some(count(&t, s.id, "IT").await));
        assert_eq!(v["selected"], 1);
        let q5 = v["questions"].as_array().unwrap().iter().find(|q| q["code"] == "Q5").unwrap();
        assert_eq!(q5["written"]["matching"], 1);
        // The page and a question's table download.
        let page = app.get_as(&format!("/admin/surveys/{}/results?country=IT", s.id), Some(&admin)).await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(page.body.contains("Question Q1") && page.body.contains("Hidden from respondents"), "{}", page.body);
        let table = app.get_as(&format!("/admin/surveys/{}/results/Q1.csv", s.id), Some(&admin)).await;
        assert_eq!(table.status, StatusCode::OK);
        assert_eq!(table.body, "answer,count,percent\nLabel yes,1,50%\nLabel no,1,50%\n");
        let svg = app.get_as(&format!("/admin/surveys/{}/results/Q6.svg", s.id), Some(&admin)).await;
        assert!(svg.body.starts_with("<svg"), "{}", svg.body);
    }

    async fn exports_have_one_row_per_response_and_neutralised_formulas(t) {
        let s = setup(&t, false).await;
        let app = t.app();
        let [(_, admin), (_, viewer), ..] = cookies(&app).await;
        // Many more rows than the export's channel holds at once.
        let answers = app::surveys::model::Answers::from([("Q4".to_string(), app::surveys::model::Answer::Number(1.0))]);
        let mut tx = t.db.begin().await.unwrap();
        for n in 0..300 {
            let receipt = format!("receipt-{n}");
            let r = repo::NewResponse {
                survey_id: s.id,
                invitation_id: None,
                user_id: None,
                country: Some(if n % 3 == 0 { "IT" } else { "PT" }),
                member_type: None,
                language: "en",
                answers: &answers,
                receipt_hash: &receipt,
            };
            repo::insert_response(&mut tx, &r).await.unwrap();
        }
        tx.commit().await.unwrap();
        assert_eq!(count(&t, s.id, "").await, 302);
        for (query, country) in [("", ""), ("?country=IT", "IT"), ("?country=PT", "PT")] {
            let expected = count(&t, s.id, country).await as usize;
            let res = app.get_as(&format!("/admin/surveys/{}/export.csv{query}", s.id), Some(&admin)).await;
            assert_eq!(res.status, StatusCode::OK, "{}", res.body);
            let rows = csv_rows(&res.body);
            assert_eq!(rows.len() - 2, expected, "CSV {query}");
            let (status, headers, bytes) = app.get_bytes_as(&format!("/admin/surveys/{}/export.xlsx{query}", s.id), Some(&admin)).await;
            assert_eq!(status, StatusCode::OK);
            assert!(headers[header::CONTENT_TYPE].to_str().unwrap().contains("spreadsheetml"));
            let sheet = xlsx_rows(bytes);
            assert_eq!(sheet.len() - 2, expected, "XLSX {query}");
            assert_eq!(sheet[0], rows[0], "both exports have the same columns");
        }
        let csv = csv_rows(&app.get_as(&format!("/admin/surveys/{}/export.csv", s.id), Some(&admin)).await.body);
        let (_, _, bytes) = app.get_bytes_as(&format!("/admin/surveys/{}/export.xlsx", s.id), Some(&admin)).await;
        let xlsx = xlsx_rows(bytes);
        for rows in [&csv, &xlsx] {
            let col = |code: &str| rows[0].iter().position(|c| c == code).unwrap();
            let first = rows.iter().find(|r| r[col("Q1")] == "Label yes").unwrap();
            assert_eq!(first[col("Q5")], format!("'{FORMULA}"));
            assert_eq!(first[col("Q2._other")], "'@cmd");
            assert_eq!(first[col("Q2.a")], "1");
            assert_eq!(first[col("Q2.b")], "");
            assert_eq!(first[col("Q4")], "-3.5", "numbers stay numbers");
            assert_eq!(first[col("Q6.r2")], "Label hi");
            assert_eq!(first[col("respondent")], "member first@example.org");
        }
        // Compressed as a browser asks (gzip): the stream ends once, whatever polls it.
        for ext in ["csv", "xlsx"] {
            let req = Request::get(format!("/admin/surveys/{}/export.{ext}", s.id))
                .header(header::HOST, "localhost")
                .header(header::COOKIE, admin.as_str())
                .header(header::ACCEPT_ENCODING, "gzip, deflate, br")
                .body(Body::empty())
                .unwrap();
            let res = app.router.clone().oneshot(req).await.unwrap();
            assert_eq!(res.status(), StatusCode::OK, "{ext}");
            let bytes = res.into_body().collect().await.expect("the whole compressed body").to_bytes();
            assert!(!bytes.is_empty(), "{ext}");
        }
        // Viewers export without names.
        let res = app.get_as(&format!("/admin/surveys/{}/export.csv", s.id), Some(&viewer)).await;
        assert_eq!(res.status, StatusCode::OK);
        assert!(!csv_rows(&res.body)[0].contains(&"respondent".to_string()));
        assert!(!res.body.contains("first@example.org"));
    }

    async fn viewers_see_results_without_names_and_no_list_of_responses(t) {
        let s = setup(&t, false).await;
        let app = t.app();
        let [_, (_, viewer), ..] = cookies(&app).await;
        let res = app.post_form("/api/survey_results", &[("id", &s.id.to_string()), ("query", "")], Some(&viewer)).await;
        assert_eq!(res.status, StatusCode::OK);
        assert!(!res.body.contains("first@example.org") && !res.body.contains("member first"), "{}", res.body);
        assert_eq!(res.json()["may_manage"], false);
        let page = app.get_as(&format!("/admin/surveys/{}/results", s.id), Some(&viewer)).await;
        assert_eq!(page.status, StatusCode::OK);
        for path in [format!("/admin/surveys/{}/responses", s.id), format!("/admin/surveys/{}/invitations", s.id)] {
            assert_eq!(app.get_as(&path, Some(&viewer)).await.status, StatusCode::FORBIDDEN, "{path}");
        }
        let res = app.post_form("/api/survey_responses", &[("id", &s.id.to_string())], Some(&viewer)).await;
        assert_eq!(res.status, StatusCode::FORBIDDEN);
    }

    async fn a_member_reads_only_their_own_answers_through_any_url_or_function(t) {
        let s = setup(&t, false).await;
        let app = t.app();
        let [(_, admin), _, (_, fp), (_, first), (_, second)] = cookies(&app).await;
        let list = app.post_form("/api/survey_responses", &[("id", &s.id.to_string())], Some(&admin)).await.json();
        let response_of_second = list["responses"].as_array().unwrap().iter()
            .find(|r| r["respondent"] == "member second@example.org").unwrap()["id"].as_i64().unwrap();
        let id = s.id.to_string();
        let other = response_of_second.to_string();
        for cookie in [&first, &fp] {
            for path in [
                format!("/admin/surveys/{id}/results"),
                format!("/admin/surveys/{id}/responses"),
                format!("/admin/surveys/{id}/responses/{other}"),
                format!("/admin/surveys/{id}/invitations"),
            ] {
                let res = app.get_as(&path, Some(cookie)).await;
                assert_eq!(res.status, StatusCode::FORBIDDEN, "{path}");
                assert!(!res.body.contains(SECRET));
            }
            for path in [
                format!("/admin/surveys/{id}/export.csv"),
                format!("/admin/surveys/{id}/export.xlsx"),
                format!("/admin/surveys/{id}/invitations.csv"),
                format!("/admin/surveys/{id}/results/Q5.csv"),
                format!("/admin/surveys/{id}/results/Q1.svg"),
            ] {
                let (status, _, body) = app.get_bytes_as(&path, Some(cookie)).await;
                assert_eq!(status, StatusCode::FORBIDDEN, "{path}");
                assert!(!String::from_utf8_lossy(&body).contains(SECRET));
            }
            for (f, form) in [
                ("/api/survey_results", vec![("id", id.as_str()), ("query", "")]),
                ("/api/survey_responses", vec![("id", id.as_str())]),
                ("/api/survey_response", vec![("id", id.as_str()), ("response", other.as_str())]),
                ("/api/survey_invitations", vec![("id", id.as_str()), ("query", "")]),
            ] {
                let res = app.post_form(f, &form, Some(cookie)).await;
                assert_eq!(res.status, StatusCode::FORBIDDEN, "{f}");
                assert!(!res.body.contains(SECRET));
            }
        }
        // Their own data: their answers and link, never the other member's.
        let mine = app.post_form("/api/my_data", &[], Some(&first)).await;
        assert_eq!(mine.status, StatusCode::OK, "{}", mine.body);
        assert!(mine.body.contains(FORMULA) && mine.body.contains(&s.tokens[0]), "{}", mine.body);
        assert!(!mine.body.contains(SECRET) && !mine.body.contains(&s.tokens[1]));
        let page = app.get_as("/account/data", Some(&first)).await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(page.body.contains("Label yes") && !page.body.contains(SECRET));
        let theirs = app.post_form("/api/my_data", &[], Some(&second)).await;
        assert!(theirs.body.contains(SECRET) && !theirs.body.contains(FORMULA));
        assert_eq!(app.post_form("/api/my_data", &[], None).await.status, StatusCode::UNAUTHORIZED);
        assert_eq!(app.get_as("/account/data", None).await.status, StatusCode::FOUND);
    }

    async fn refused_callers_change_nothing_and_an_admin_deletes_only_after_confirming(t) {
        let s = setup(&t, false).await;
        let app = t.app();
        let [(_, admin), (_, viewer), (_, fp), (_, first), _] = cookies(&app).await;
        let list = app.post_form("/api/survey_responses", &[("id", &s.id.to_string())], Some(&admin)).await.json();
        let response = list["responses"][0]["id"].as_i64().unwrap().to_string();
        let id = s.id.to_string();
        let third = s.members[2].to_string();
        for cookie in [None, Some(first.as_str()), Some(fp.as_str()), Some(viewer.as_str())] {
            for (f, form) in [
                ("/api/delete_survey_response", vec![("id", id.as_str()), ("response", response.as_str()), ("confirm", "yes")]),
                ("/api/invite_members", vec![("id", id.as_str()), ("members[]", third.as_str())]),
            ] {
                let before = t.fingerprint().await;
                let res = app.post_form(f, &form, cookie).await;
                let expected = if cookie.is_none() { StatusCode::UNAUTHORIZED } else { StatusCode::FORBIDDEN };
                assert_eq!(res.status, expected, "{f}");
                assert_eq!(t.fingerprint().await, before, "{f} changed the database");
            }
        }
        let before = t.fingerprint().await;
        let res = app.post_form("/api/delete_survey_response", &[("id", &id), ("response", &response)], Some(&admin)).await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", res.body);
        assert_eq!(t.fingerprint().await, before, "an unconfirmed delete changed the database");
        let res = app.post_form("/api/delete_survey_response", &[("id", &id), ("response", &response), ("confirm", "yes")], Some(&admin)).await;
        assert_eq!(res.status, StatusCode::OK, "{}", res.body);
        assert_eq!(count(&t, s.id, "").await, 1);
        let audit: Vec<(String,)> = sqlx::query_as("SELECT COALESCE(details, '') FROM audit_log WHERE action = 'survey-response-deleted'")
            .fetch_all(&t.db.pool).await.unwrap();
        assert_eq!(audit.len(), 1);
        assert!(!audit[0].0.contains(FORMULA) && !audit[0].0.contains(SECRET), "{audit:?}");
        let _ = s.admin;
    }

    async fn anonymous_surveys_count_who_answered_but_name_nobody(t) {
        let s = setup(&t, true).await;
        let app = t.app();
        let [(_, admin), _, _, (_, first), _] = cookies(&app).await;
        let v = app.post_form("/api/survey_results", &[("id", &s.id.to_string()), ("query", "")], Some(&admin)).await.json();
        assert_eq!(table_rows(&v["rates"][0])[0][1..], ["3", "2", "67%"]);
        let list = app.post_form("/api/survey_responses", &[("id", &s.id.to_string())], Some(&admin)).await.json();
        assert!(list["responses"].as_array().unwrap().iter().all(|r| r["respondent"].is_null()));
        let csv = app.get_as(&format!("/admin/surveys/{}/export.csv", s.id), Some(&admin)).await;
        assert!(!csv_rows(&csv.body)[0].contains(&"respondent".to_string()));
        let mine = app.post_form("/api/my_data", &[], Some(&first)).await;
        assert!(!mine.body.contains(FORMULA), "an anonymous answer showed as the member's: {}", mine.body);
        assert!(mine.body.contains(&s.tokens[0]), "the invitation is theirs");
    }

    async fn admins_invite_all_members_shown_and_get_their_links_as_csv(t) {
        let s = setup(&t, false).await;
        let app = t.app();
        let [(_, admin), ..] = cookies(&app).await;
        let newcomer = t.user("newcomer@example.org", "member", &[]).await.to_string();
        let page = app.get_as(&format!("/admin/surveys/{}/invitations?member_type=professional-society", s.id), Some(&admin)).await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.body);
        assert!(page.body.contains("Invite all 1 shown") && page.body.contains("Already invited"), "{}", page.body);
        let res = app.post_form(
            "/api/invite_members",
            &[("id", &s.id.to_string()), ("scope", "all"), ("shown[]", &newcomer), ("members[]", &s.members[0].to_string())],
            Some(&admin),
        ).await;
        assert_eq!(res.status, StatusCode::OK, "{}", res.body);
        assert_eq!(res.body, "1");
        let csv = app.get_as(&format!("/admin/surveys/{}/invitations.csv", s.id), Some(&admin)).await;
        assert_eq!(csv.status, StatusCode::OK);
        let rows = csv_rows(&csv.body);
        assert_eq!(rows[0], ["name", "email", "organisation", "member_type", "country", "link", "answered_on"]);
        assert_eq!(rows.len(), 5);
        assert!(rows.iter().any(|r| r[1] == "newcomer@example.org" && r[5].starts_with("http://localhost/s/") && r[6].is_empty()));
        let pending = app.get_as(&format!("/admin/surveys/{}/invitations?pending=1", s.id), Some(&admin)).await;
        assert!(pending.body.contains(&s.tokens[2]) && !pending.body.contains(&s.tokens[0]));
    }

    async fn a_recommendation_shows_the_headlines_of_its_closed_linked_surveys(t) {
        let s = setup(&t, false).await;
        let app = t.app();
        let settings = service::SettingsInput { recommendations: vec![3], ..Default::default() };
        service::save_settings(&t.db, &s.admin, IP, s.id, &settings).await.unwrap();
        let open = app.get("/recommendations/3").await;
        assert!(!open.body.contains("Evidence from member surveys"), "an open survey is not evidence yet");
        service::set_status(&t.db, &s.admin, IP, s.id, SurveyStatus::Closed).await.unwrap();
        let page = app.get("/recommendations/3").await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(page.body.contains("Evidence from member surveys"), "{}", page.body);
        assert!(page.body.contains("100% answered “Agree”"), "{}", page.body);
        assert!(page.body.contains("50% answered “Label yes”"), "{}", page.body);
        assert!(!page.body.contains(FORMULA) && !page.body.contains(SECRET) && !page.body.contains("@cmd"));
        assert!(!app.get("/recommendations/4").await.body.contains("Evidence from member surveys"));
    }

    async fn survey_links_are_built_on_the_public_url_not_the_host_header(t) {
        let s = setup(&t, false).await;
        let app = t.app_with(app::context::Settings {
            public_url: "https://tracker.example.eu".parse().unwrap(),
            ..Default::default()
        });
        let admin = app.login("admin@example.org", PASSWORD).await;
        let first = app.login("first@example.org", PASSWORD).await;
        // Every request here names another host.
        let get = |path: String, cookie: &str| {
            Request::get(path)
                .header(header::HOST, "evil.example.com")
                .header(header::COOKIE, cookie)
                .body(Body::empty())
                .unwrap()
        };
        let post = |path: &str, body: String, cookie: &str| {
            Request::post(path)
                .header(header::HOST, "evil.example.com")
                .header(header::COOKIE, cookie)
                .header("sec-fetch-site", "same-origin")
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .body(Body::from(body))
                .unwrap()
        };
        // The mail-merge file.
        let csv = app.send(get(format!("/admin/surveys/{}/invitations.csv", s.id), &admin)).await;
        assert_eq!(csv.status, StatusCode::OK, "{}", csv.body);
        let rows = csv_rows(&csv.body);
        assert!(rows.len() > 1);
        for row in &rows[1..] {
            assert!(row[5].starts_with("https://tracker.example.eu/s/"), "{row:?}");
        }
        // The invitations page's links, and a member's own.
        let res = app.send(post("/api/survey_invitations", format!("id={}&query=", s.id), &admin)).await;
        assert_eq!(res.status, StatusCode::OK, "{}", res.body);
        assert!(res.body.contains("https://tracker.example.eu/s/"), "{}", res.body);
        let mine = app.send(post("/api/my_data", String::new(), &first)).await;
        assert_eq!(mine.status, StatusCode::OK, "{}", mine.body);
        for res in [&res, &mine] {
            assert!(!res.body.contains("evil.example.com"), "{}", res.body);
        }
        assert!(mine.body.contains(&format!("https://tracker.example.eu/s/{}", s.tokens[0])), "{}", mine.body);
    }
}
