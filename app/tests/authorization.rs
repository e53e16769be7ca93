#![cfg(feature = "ssr")]
//! The authorization matrix: every server function and every protected page, called by every
//! role and by an anonymous visitor. Allowed callers succeed; everyone else is refused (401
//! signed out, 403 otherwise) and the database is exactly as it was.
//!
//! Features add their rows to `server_functions()` and `protected_pages()` (or, for a page
//! anyone may open, to `PUBLIC_PAGES`); `every_server_function_is_in_the_matrix` and the page
//! test fail when a server function or a page route is missing.

mod support;

use axum::http::StatusCode;
use support::{TestApp, TestDb, PASSWORD};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Who {
    Anonymous,
    Admin,
    FocalPoint,
    Member,
    Viewer,
}

const EVERYONE: &[Who] = &[
    Who::Anonymous,
    Who::Admin,
    Who::FocalPoint,
    Who::Member,
    Who::Viewer,
];
const ADMIN: &[Who] = &[Who::Admin];
const FOCAL_POINT: &[Who] = &[Who::FocalPoint];
const ADMIN_OR_FOCAL_POINT: &[Who] = &[Who::Admin, Who::FocalPoint];
const ADMIN_OR_VIEWER: &[Who] = &[Who::Admin, Who::Viewer];
const SIGNED_IN: &[Who] = &[Who::Admin, Who::FocalPoint, Who::Member, Who::Viewer];
/// Callers in the order they are tried: refusals first, so allowed writes come last.
const ORDER: [Who; 5] = [
    Who::Anonymous,
    Who::Member,
    Who::Viewer,
    Who::FocalPoint,
    Who::Admin,
];

/// What the rows may refer to.
struct Fixture {
    cookies: Vec<(Who, Option<String>)>,
    /// Users the admin's allowed calls change.
    target_a: i64,
    target_b: i64,
    /// A closed period with IT's approved report, and the open period after it, where PT has
    /// a draft (`pt_version`) and ES a submitted report (`es_version`); IT has none yet.
    past: i64,
    open: i64,
    pt_version: i64,
    es_version: i64,
    indicator: i64,
    /// An open survey the member was invited to and answered (`survey_response`).
    survey: i64,
    survey_response: i64,
    member: i64,
    /// Draft surveys for the builder's rows, one per row that changes one, each at
    /// [`BUILDER_VERSION`] with question Q1 in section S1 and an empty section S2.
    builder_surveys: Vec<i64>,
    /// The admin's upload of the open period's bulk workbook (only its uploader sees it).
    import: i64,
}

/// The version of each of the fixture's builder surveys.
const BUILDER_VERSION: &str = "3";

/// Creates a draft survey with question Q1 in section S1 and an empty section S2 (version 3).
async fn builder_survey(app: &TestApp, admin: &str) -> i64 {
    let res = app
        .post_form(
            "/api/create_survey",
            &[("title", "Workforce"), ("language", "en")],
            Some(admin),
        )
        .await;
    let id: i64 = res.body.parse().expect("survey id");
    let id_text = id.to_string();
    for (function, version, extra) in [
        (
            "add_question",
            "1",
            vec![("section", "S1"), ("kind", "short-text"), ("text", "Why?")],
        ),
        ("add_section", "2", vec![]),
    ] {
        let mut form = vec![("id", id_text.as_str()), ("version", version)];
        form.extend(extra);
        let res = app
            .post_form(&format!("/api/{function}"), &form, Some(admin))
            .await;
        assert_eq!(res.status, StatusCode::OK, "{function}: {}", res.body);
    }
    id
}

impl Fixture {
    async fn new(t: &TestDb, app: &TestApp) -> Self {
        let admin_id = t.user("admin@example.org", "admin", &[]).await;
        t.user("fp-it@example.org", "focal-point", &["IT", "PT", "ES"])
            .await;
        let member = t.user("member@example.org", "member", &[]).await;
        t.user("viewer@example.org", "viewer", &[]).await;
        let target_a = t.user("target-a@example.org", "viewer", &[]).await;
        let target_b = t.user("target-b@example.org", "viewer", &[]).await;
        let mut cookies = vec![(Who::Anonymous, None)];
        for (who, email) in [
            (Who::Admin, "admin@example.org"),
            (Who::FocalPoint, "fp-it@example.org"),
            (Who::Member, "member@example.org"),
            (Who::Viewer, "viewer@example.org"),
        ] {
            cookies.push((who, Some(app.login(email, PASSWORD).await)));
        }
        let admin = cookies[1].1.clone().unwrap();
        let fp = cookies[2].1.clone().unwrap();
        let past = app
            .open_period(&admin, "2025 H2", "2025-07-01", "2025-12-31")
            .await;
        let res = app
            .post_form(
                "/api/save_report",
                &support::pairs(&support::full_report("IT", past, 0, "submit")),
                Some(&fp),
            )
            .await;
        assert_eq!(res.json()["state"], "submitted", "{}", res.body);
        let v = app.version(&admin, "IT", past).await.to_string();
        let res = app
            .post_form(
                "/api/review_report",
                &[
                    ("country", "IT"),
                    ("period", &past.to_string()),
                    ("version", &v),
                    ("decision", "approve"),
                ],
                Some(&admin),
            )
            .await;
        assert_eq!(res.status, StatusCode::OK, "{}", res.body);
        app.post_form(
            "/api/close_period",
            &[("id", &past.to_string()), ("closed", "true")],
            Some(&admin),
        )
        .await;
        let open = app
            .open_period(&admin, "2026 H1", "2026-01-01", "2026-06-30")
            .await;
        app.post_form(
            "/api/save_report",
            &support::pairs(&support::full_report("PT", open, 0, "save")),
            Some(&fp),
        )
        .await;
        app.post_form(
            "/api/save_report",
            &support::pairs(&support::full_report("ES", open, 0, "submit")),
            Some(&fp),
        )
        .await;
        let pt_version = app.version(&admin, "PT", open).await;
        let es_version = app.version(&admin, "ES", open).await;
        let res = app
            .post_form(
                "/api/save_indicator",
                &[
                    ("recommendation", "2"),
                    ("name", "Waiting time"),
                    ("kind", "number"),
                ],
                Some(&admin),
            )
            .await;
        let indicator = res.body.parse().expect("indicator id");
        let mut builder_surveys = Vec::new();
        for _ in 0..13 {
            builder_surveys.push(builder_survey(app, &admin).await);
        }
        let (survey, survey_response) = answered_survey(t, admin_id, member).await;
        let (status, workbook) = app
            .download(
                &format!("/admin/periods/{open}/workbook.xlsx"),
                Some(&admin),
            )
            .await;
        assert_eq!(status, StatusCode::OK);
        let res = app
            .upload(
                Some(&admin),
                &[("kind", "bulk"), ("period", &open.to_string())],
                "all.xlsx",
                &workbook,
            )
            .await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
        let import = res
            .header("location")
            .and_then(|l| l.rsplit('/').next().map(str::to_string))
            .and_then(|id| id.parse().ok())
            .expect("import id");
        Fixture {
            import,
            cookies,
            target_a,
            target_b,
            past,
            open,
            pt_version,
            es_version,
            indicator,
            builder_surveys,
            survey,
            survey_response,
            member,
        }
    }

    fn cookie(&self, who: Who) -> Option<&str> {
        self.cookies
            .iter()
            .find(|(w, _)| *w == who)
            .and_then(|(_, c)| c.as_deref())
    }
}

/// An open survey with one question, the member invited and their response submitted.
async fn answered_survey(t: &TestDb, admin_id: i64, member: i64) -> (i64, i64) {
    use app::surveys::{model, repo, service};
    let admin = app::caller::CurrentUser {
        id: admin_id,
        email: "admin@example.org".into(),
        display_name: "Admin".into(),
        role: app::caller::Role::Admin,
        countries: vec![],
    };
    let id = service::create(&t.db, &admin, "127.0.0.1", "Access", "en")
        .await
        .unwrap();
    service::edit(&t.db, &admin, "127.0.0.1", id, 1, "question", |d| {
        d.sections[0].questions.push(model::Question {
            code: "Q1".into(),
            kind: model::Kind::ShortText,
            text: model::Text::new("en", "Why?"),
            help: model::Text::default(),
            required: false,
            hidden: false,
            show_if: None,
        });
        Ok(())
    })
    .await
    .unwrap();
    service::set_status(&t.db, &admin, "127.0.0.1", id, model::SurveyStatus::Open)
        .await
        .unwrap();
    service::invite(&t.db, &admin, "127.0.0.1", id, &[member])
        .await
        .unwrap();
    let token = repo::invitations(&mut t.db.conn().await.unwrap(), id)
        .await
        .unwrap()[0]
        .token
        .clone();
    let own = service::start(&t.db, &token, "en", false).await.unwrap();
    let raw = model::Raw::from([("q.Q1".to_string(), vec!["Because".to_string()])]);
    service::save(&t.db, &own, Some(0), &raw, None)
        .await
        .unwrap();
    service::submit(&t.db, &own).await.unwrap();
    let responses = repo::responses(&mut t.db.conn().await.unwrap(), id, &Default::default())
        .await
        .unwrap();
    (id, responses[0].id)
}

/// One server function: its path, who may call it, and a valid request body.
struct Row {
    path: &'static str,
    allowed: &'static [Who],
    form: fn(&Fixture) -> Vec<(String, String)>,
    /// Public functions whose answer does not depend on the role (sign-in with a wrong
    /// password fails for everyone alike); only "not refused" is checked for them.
    public_any_outcome: bool,
}

fn row(
    path: &'static str,
    allowed: &'static [Who],
    form: fn(&Fixture) -> Vec<(String, String)>,
) -> Row {
    Row {
        path,
        allowed,
        form,
        public_any_outcome: false,
    }
}

fn public_any(path: &'static str, form: fn(&Fixture) -> Vec<(String, String)>) -> Row {
    Row {
        path,
        allowed: EVERYONE,
        form,
        public_any_outcome: true,
    }
}

fn server_functions() -> Vec<Row> {
    vec![
        // Reference data: public.
        row("/api/list_recommendations", EVERYONE, |_| vec![]),
        row("/api/get_recommendation", EVERYONE, |_| {
            vec![("number".into(), "3".into())]
        }),
        row("/api/list_countries", EVERYONE, |_| vec![]),
        // Dashboards: public; including submitted reports is for viewers and admins.
        row("/api/dashboard", EVERYONE, |_| {
            vec![
                ("page".into(), "overview".into()),
                ("query".into(), "group=eu27".into()),
            ]
        }),
        row("/api/dashboard", ADMIN_OR_VIEWER, |_| {
            vec![
                ("page".into(), "movement".into()),
                ("query".into(), "submitted=1".into()),
            ]
        }),
        row("/api/country_profile", EVERYONE, |_| {
            vec![("iso2".into(), "IT".into()), ("query".into(), "".into())]
        }),
        row("/api/country_profile", ADMIN_OR_VIEWER, |_| {
            vec![
                ("iso2".into(), "ES".into()),
                ("query".into(), "submitted=1".into()),
            ]
        }),
        // Accounts: public entry points (the password or the link token is the credential).
        row("/api/get_current_user", EVERYONE, |_| vec![]),
        public_any("/api/login", |_| {
            vec![
                ("email".into(), "nobody@example.org".into()),
                ("password".into(), "wrong password".into()),
            ]
        }),
        public_any("/api/get_link", |_| {
            vec![
                ("token".into(), "not-a-token".into()),
                ("purpose".into(), "invitation".into()),
            ]
        }),
        public_any("/api/use_link", |_| {
            vec![
                ("token".into(), "not-a-token".into()),
                ("purpose".into(), "password-reset".into()),
                ("password".into(), "a long enough password".into()),
                ("password_confirm".into(), "a long enough password".into()),
            ]
        }),
        // User administration and the audit log: admins only.
        row("/api/list_users", ADMIN, |_| {
            vec![("role".into(), "viewer".into())]
        }),
        row("/api/get_user", ADMIN, |f| {
            vec![("id".into(), f.target_b.to_string())]
        }),
        row("/api/invite_user", ADMIN, |_| {
            vec![
                ("email".into(), "invited@example.org".into()),
                ("role".into(), "focal-point".into()),
                ("countries[]".into(), "FR".into()),
            ]
        }),
        row("/api/update_user", ADMIN, |f| {
            vec![
                ("id".into(), f.target_b.to_string()),
                ("role".into(), "focal-point".into()),
                ("countries[]".into(), "PT".into()),
            ]
        }),
        row("/api/create_user_link", ADMIN, |f| {
            vec![("id".into(), f.target_b.to_string())]
        }),
        row("/api/set_user_active", ADMIN, |f| {
            vec![
                ("id".into(), f.target_a.to_string()),
                ("active".into(), "false".into()),
            ]
        }),
        row("/api/allow_sign_in", ADMIN, |f| {
            vec![("id".into(), f.target_b.to_string())]
        }),
        row("/api/list_audit", ADMIN, |_| vec![]),
        // Periods and indicators: definitions are public, changes are the admin's.
        row("/api/list_periods", EVERYONE, |_| vec![]),
        row("/api/save_period", ADMIN, |f| {
            vec![
                ("id".into(), f.past.to_string()),
                ("name".into(), "2025 H2 (second half)".into()),
                ("starts_on".into(), "2025-07-01".into()),
                ("ends_on".into(), "2025-12-31".into()),
                ("opens_on".into(), "2026-01-01".into()),
                ("closes_on".into(), "2026-01-31".into()),
            ]
        }),
        row("/api/close_period", ADMIN, |f| {
            vec![
                ("id".into(), f.past.to_string()),
                ("closed".into(), "true".into()),
            ]
        }),
        row("/api/list_indicators", EVERYONE, |_| vec![]),
        row("/api/save_indicator", ADMIN, |_| {
            vec![
                ("recommendation".into(), "1".into()),
                ("name".into(), "Backlog".into()),
                ("kind".into(), "number".into()),
            ]
        }),
        row("/api/archive_indicator", ADMIN, |f| {
            vec![
                ("id".into(), f.indicator.to_string()),
                ("archived".into(), "true".into()),
            ]
        }),
        // Progress: a draft is the admin's and its country's focal points' only.
        // Imports: only the person who uploaded one sees it (here, the admin).
        row("/api/get_import", ADMIN, |f| {
            vec![("id".into(), f.import.to_string())]
        }),
        row("/api/get_report", ADMIN_OR_FOCAL_POINT, |f| {
            vec![
                ("country".into(), "PT".into()),
                ("period".into(), f.open.to_string()),
            ]
        }),
        row("/api/save_report", FOCAL_POINT, |f| {
            support::full_report("PT", f.open, f.pt_version, "save")
        }),
        row("/api/copy_forward", FOCAL_POINT, |f| {
            vec![
                ("country".into(), "IT".into()),
                ("period".into(), f.open.to_string()),
            ]
        }),
        row("/api/review_report", ADMIN, |f| {
            vec![
                ("country".into(), "ES".into()),
                ("period".into(), f.open.to_string()),
                ("version".into(), f.es_version.to_string()),
                ("decision".into(), "approve".into()),
            ]
        }),
        // ES was approved by the admin's call in the row above.
        row("/api/reopen_report", ADMIN, |f| {
            vec![
                ("country".into(), "ES".into()),
                ("period".into(), f.open.to_string()),
                ("reason".into(), "Correction".into()),
            ]
        }),
        row("/api/get_board", ADMIN_OR_VIEWER, |f| {
            vec![("period".into(), f.open.to_string())]
        }),
        row("/api/list_my_reports", FOCAL_POINT, |_| vec![]),
        // Answering: the link (or the receipt) is the credential, whoever calls; unknown ones
        // are not found for everyone alike. The preview is the admins'.
        public_any("/api/survey_answer_view", |_| {
            vec![("token".into(), "not-a-link".into())]
        }),
        public_any("/api/survey_copy_view", |_| {
            vec![("receipt".into(), "not-a-receipt".into())]
        }),
        row("/api/survey_preview_view", ADMIN, |f| {
            survey_form(f, 0, &[])
        }),
        // The survey builder: admins only; each row that changes a survey has its own.
        row("/api/list_surveys", ADMIN, |_| vec![]),
        row("/api/get_survey", ADMIN, |f| survey_form(f, 0, &[])),
        row("/api/create_survey", ADMIN, |_| {
            vec![
                ("title".into(), "Staff".into()),
                ("language".into(), "fr".into()),
            ]
        }),
        row("/api/save_survey_settings", ADMIN, |f| {
            survey_form(f, 0, &[("anonymous", "true"), ("recommendations[]", "2")])
        }),
        row("/api/set_survey_status", ADMIN, |f| {
            survey_form(f, 1, &[("status", "open")])
        }),
        row("/api/delete_survey", ADMIN, |f| {
            survey_form(f, 2, &[("confirm", "true")])
        }),
        row("/api/save_survey_texts", ADMIN, |f| {
            survey_form(
                f,
                3,
                &[("version", BUILDER_VERSION), ("title[en]", "Staff")],
            )
        }),
        row("/api/add_section", ADMIN, |f| {
            survey_form(f, 4, &[("version", BUILDER_VERSION)])
        }),
        row("/api/save_section", ADMIN, |f| {
            survey_form(
                f,
                5,
                &[
                    ("version", BUILDER_VERSION),
                    ("code", "S1"),
                    ("title[en]", "About you"),
                ],
            )
        }),
        row("/api/move_section", ADMIN, |f| {
            survey_form(
                f,
                6,
                &[
                    ("version", BUILDER_VERSION),
                    ("code", "S2"),
                    ("direction", "up"),
                ],
            )
        }),
        row("/api/delete_section", ADMIN, |f| {
            survey_form(f, 7, &[("version", BUILDER_VERSION), ("code", "S2")])
        }),
        row("/api/add_question", ADMIN, |f| {
            survey_form(
                f,
                8,
                &[
                    ("version", BUILDER_VERSION),
                    ("section", "S2"),
                    ("kind", "date"),
                    ("text", "When?"),
                ],
            )
        }),
        row("/api/save_question", ADMIN, |f| {
            survey_form(
                f,
                9,
                &[
                    ("version", BUILDER_VERSION),
                    ("code", "Q1"),
                    ("kind", "long-text"),
                    ("required", "true"),
                ],
            )
        }),
        row("/api/move_question", ADMIN, |f| {
            survey_form(
                f,
                10,
                &[
                    ("version", BUILDER_VERSION),
                    ("code", "Q1"),
                    ("direction", "down"),
                ],
            )
        }),
        row("/api/set_question_hidden", ADMIN, |f| {
            survey_form(
                f,
                11,
                &[
                    ("version", BUILDER_VERSION),
                    ("code", "Q1"),
                    ("hidden", "true"),
                ],
            )
        }),
        row("/api/delete_question", ADMIN, |f| {
            survey_form(f, 12, &[("version", BUILDER_VERSION), ("code", "Q1")])
        }),
        // Surveys: invitations, results, responses (admins; results also viewers), a member's
        // own data (any signed-in user), evidence (public). Deleting comes last of these.
        row("/api/survey_invitations", ADMIN, |f| {
            vec![
                ("id".into(), f.survey.to_string()),
                ("query".into(), "country=DE".into()),
            ]
        }),
        row("/api/invite_members", ADMIN, |f| {
            vec![
                ("id".into(), f.survey.to_string()),
                ("members[]".into(), f.member.to_string()),
            ]
        }),
        row("/api/survey_results", ADMIN_OR_VIEWER, |f| {
            vec![
                ("id".into(), f.survey.to_string()),
                ("query".into(), "".into()),
            ]
        }),
        row("/api/survey_responses", ADMIN, |f| {
            vec![("id".into(), f.survey.to_string())]
        }),
        row("/api/survey_response", ADMIN, |f| {
            vec![
                ("id".into(), f.survey.to_string()),
                ("response".into(), f.survey_response.to_string()),
            ]
        }),
        row("/api/my_data", SIGNED_IN, |_| vec![]),
        row("/api/survey_evidence", EVERYONE, |_| {
            vec![("number".into(), "3".into())]
        }),
        row("/api/delete_survey_response", ADMIN, |f| {
            vec![
                ("id".into(), f.survey.to_string()),
                ("response".into(), f.survey_response.to_string()),
                ("confirm".into(), "yes".into()),
            ]
        }),
        // Signing out changes only the caller's own session, and comes last.
        public_any("/api/logout", |_| vec![]),
    ]
}

/// A form on the fixture's builder survey `n`: its `id`, then `fields`.
fn survey_form(f: &Fixture, n: usize, fields: &[(&str, &str)]) -> Vec<(String, String)> {
    std::iter::once(("id".to_string(), f.builder_surveys[n].to_string()))
        .chain(fields.iter().map(|(k, v)| (k.to_string(), v.to_string())))
        .collect()
}

/// Pages anyone may open (route patterns as the router lists them).
const PUBLIC_PAGES: &[&str] = &[
    "/",
    "/recommendations/{number}",
    "/countries",
    "/countries/{iso2}",
    "/dashboard",
    "/dashboard/movement",
    "/dashboard/indicators",
    "/login",
    "/invitation/{token}",
    "/reset-password/{token}",
    "/s/{token}",
    "/s/copy/{receipt}",
];

/// The page routes of the application, as `/report/{country}/{period}`.
fn page_routes() -> Vec<String> {
    app::http::route_list()
        .into_iter()
        .map(|r| {
            r.path()
                .split('/')
                .map(|s| match s.strip_prefix(':') {
                    Some(name) => format!("{{{name}}}"),
                    None => s.to_string(),
                })
                .collect::<Vec<_>>()
                .join("/")
        })
        .collect()
}

/// Whether a concrete path (its query ignored) is an instance of a route pattern.
fn instance_of(path: &str, pattern: &str) -> bool {
    let path = path.split('?').next().unwrap_or_default();
    let (a, b): (Vec<&str>, Vec<&str>) = (path.split('/').collect(), pattern.split('/').collect());
    a.len() == b.len()
        && a.iter()
            .zip(&b)
            .all(|(seg, pat)| pat.starts_with('{') || seg == pat)
}

/// Pages that need a role: path and who may see them.
fn protected_pages(f: &Fixture) -> Vec<(String, &'static [Who])> {
    vec![
        (format!("/imports/{}", f.import), ADMIN),
        ("/admin/users".into(), ADMIN),
        ("/admin/users?role=viewer&country=IT".into(), ADMIN),
        (format!("/admin/users/{}", f.target_b), ADMIN),
        ("/admin/audit".into(), ADMIN),
        ("/admin/periods".into(), ADMIN_OR_VIEWER),
        (format!("/admin/periods/{}", f.open), ADMIN_OR_VIEWER),
        (
            format!("/admin/periods/{}?group=non-eu", f.open),
            ADMIN_OR_VIEWER,
        ),
        ("/admin/indicators".into(), ADMIN),
        ("/dashboard?submitted=1".into(), ADMIN_OR_VIEWER),
        (
            format!("/dashboard/movement?period={}&submitted=1", f.open),
            ADMIN_OR_VIEWER,
        ),
        ("/dashboard/indicators?submitted=1".into(), ADMIN_OR_VIEWER),
        ("/countries/ES?submitted=1".into(), ADMIN_OR_VIEWER),
        (format!("/admin/indicators/{}", f.indicator), ADMIN),
        ("/report".into(), FOCAL_POINT),
        (format!("/admin/surveys/{}/invitations", f.survey), ADMIN),
        (
            format!("/admin/surveys/{}/results", f.survey),
            ADMIN_OR_VIEWER,
        ),
        (
            format!("/admin/surveys/{}/results?country=DE&q=x", f.survey),
            ADMIN_OR_VIEWER,
        ),
        (format!("/admin/surveys/{}/responses", f.survey), ADMIN),
        (
            format!(
                "/admin/surveys/{}/responses/{}",
                f.survey, f.survey_response
            ),
            ADMIN,
        ),
        ("/account/data".into(), SIGNED_IN),
        (format!("/report/PT/{}", f.open), ADMIN_OR_FOCAL_POINT),
        ("/admin/surveys".into(), ADMIN),
        (
            format!("/admin/surveys/{}/preview?section=0", f.builder_surveys[0]),
            ADMIN,
        ),
        (format!("/admin/surveys/{}", f.builder_surveys[0]), ADMIN),
        (
            format!("/admin/surveys/{}/sections/S1", f.builder_surveys[0]),
            ADMIN,
        ),
        (
            format!("/admin/surveys/{}/questions/Q1", f.builder_surveys[0]),
            ADMIN,
        ),
        (
            format!("/report/ES/{}", f.open),
            &[Who::Admin, Who::FocalPoint, Who::Viewer],
        ),
    ]
}

both_engines! {
    async fn every_server_function_allows_its_roles_and_refuses_the_rest_without_writing(t) {
        let app = t.app();
        let f = Fixture::new(&t, &app).await;
        for row in server_functions() {
            for who in ORDER {
                let form = (row.form)(&f);
                let pairs = support::pairs(&form);
                let before = t.fingerprint().await;
                let res = app.post_form(row.path, &pairs, f.cookie(who)).await;
                if row.allowed.contains(&who) {
                    if row.public_any_outcome {
                        assert!(
                            ![StatusCode::UNAUTHORIZED, StatusCode::FORBIDDEN].contains(&res.status),
                            "{} as {who:?} was refused: {}", row.path, res.body
                        );
                    } else {
                        assert_eq!(res.status, StatusCode::OK, "{} as {who:?}: {}", row.path, res.body);
                    }
                } else {
                    let expected = if who == Who::Anonymous { StatusCode::UNAUTHORIZED } else { StatusCode::FORBIDDEN };
                    assert_eq!(res.status, expected, "{} as {who:?}: {}", row.path, res.body);
                    assert_eq!(t.fingerprint().await, before, "{} as {who:?} changed the database", row.path);
                }
            }
        }
    }

    async fn protected_pages_redirect_visitors_and_forbid_other_roles(t) {
        let app = t.app();
        let f = Fixture::new(&t, &app).await;
        let unlisted: Vec<String> = page_routes()
            .into_iter()
            .filter(|route| !PUBLIC_PAGES.contains(&route.as_str()))
            .filter(|route| !protected_pages(&f).iter().any(|(path, _)| instance_of(path, route)))
            .collect();
        assert!(unlisted.is_empty(), "pages neither public nor in the matrix: {unlisted:?}");
        let routes = page_routes();
        for page in PUBLIC_PAGES {
            assert!(routes.iter().any(|r| r == page), "{page} is not a route: {routes:?}");
        }
        assert!(instance_of("/report/PT/7?group=x", "/report/{country}/{period}"));
        assert!(!instance_of("/report", "/report/{country}/{period}"));
        for (path, allowed) in protected_pages(&f) {
            for who in ORDER {
                let res = app.get_as(&path, f.cookie(who)).await;
                if allowed.contains(&who) {
                    assert_eq!(res.status, StatusCode::OK, "{path} as {who:?}");
                } else if who == Who::Anonymous {
                    assert_eq!(res.status, StatusCode::FOUND, "{path} as {who:?}");
                    let location = res.header("location").unwrap();
                    assert!(location.starts_with("/login?next="), "{location}");
                } else {
                    assert_eq!(res.status, StatusCode::FORBIDDEN, "{path} as {who:?}");
                    assert!(res.body.contains("Not allowed"), "{path} as {who:?}");
                }
            }
        }
    }
}

#[test]
fn every_server_function_is_in_the_matrix() {
    let listed: Vec<&str> = server_functions().iter().map(|r| r.path).collect();
    let mut missing: Vec<String> = server_fn::axum::server_fn_paths()
        .map(|(path, _)| path.to_string())
        .filter(|p| !listed.contains(&p.as_str()))
        .collect();
    missing.sort();
    assert!(
        missing.is_empty(),
        "server functions missing from the authorization matrix: {missing:?}"
    );
    // A function may have several rows (public, and with a switch for some roles only).
    let distinct: std::collections::BTreeSet<&str> = listed.iter().copied().collect();
    assert!(server_fn::axum::server_fn_paths().count() >= distinct.len());
}
