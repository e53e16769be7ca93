#![cfg(feature = "ssr")]
//! The survey builder on both engines, driven through its server functions with the forms a
//! browser without JavaScript posts: building a survey with every kind of question and a
//! condition, reordering, translating, opening; stale versions; the lock once responses
//! exist; and refusals for everyone but admins.

mod support;

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use support::{pairs, TestApp, TestDb, PASSWORD};

/// `(name, value)` pairs owned.
fn form(list: &[(&str, &str)]) -> Vec<(String, String)> {
    list.iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

struct Builder<'a> {
    app: &'a TestApp,
    admin: &'a str,
    id: i64,
    version: i64,
}

impl Builder<'_> {
    /// Posts `fields` (with the survey's id and version) to `function`; on success the
    /// answer is the new version.
    async fn post(&mut self, function: &str, fields: &[(&str, &str)]) -> support::TestResponse {
        let mut f = form(&[
            ("id", &self.id.to_string()),
            ("version", &self.version.to_string()),
        ]);
        f.extend(form(fields));
        let res = self
            .app
            .post_form(&format!("/api/{function}"), &pairs(&f), Some(self.admin))
            .await;
        if res.status == StatusCode::OK {
            if let Ok(v) = res.body.parse() {
                self.version = v;
            }
        }
        res
    }

    async fn ok(&mut self, function: &str, fields: &[(&str, &str)]) {
        let res = self.post(function, fields).await;
        assert_eq!(res.status, StatusCode::OK, "{function}: {}", res.body);
    }

    /// The survey as the builder reads it (and its version, which settings also change).
    async fn survey(&mut self) -> serde_json::Value {
        let res = self
            .app
            .post_form(
                "/api/get_survey",
                &[("id", &self.id.to_string())],
                Some(self.admin),
            )
            .await;
        assert_eq!(res.status, StatusCode::OK, "{}", res.body);
        let survey = res.json();
        self.version = survey["version"].as_i64().expect("version");
        survey
    }

    async fn codes(&mut self) -> Vec<Vec<String>> {
        self.survey().await["definition"]["sections"]
            .as_array()
            .expect("sections")
            .iter()
            .map(|s| {
                s["questions"]
                    .as_array()
                    .expect("questions")
                    .iter()
                    .map(|q| q["code"].as_str().unwrap_or_default().to_string())
                    .collect()
            })
            .collect()
    }
}

async fn create(app: &TestApp, admin: &str, title: &str) -> i64 {
    let res = app
        .post_form(
            "/api/create_survey",
            &[("title", title), ("language", "en")],
            Some(admin),
        )
        .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    res.body.parse().expect("survey id")
}

/// The number of French texts not yet translated, as the builder lists them.
async fn untranslated_fr(b: &mut Builder<'_>) -> usize {
    let survey = b.survey().await;
    let def: app::surveys::model::Definition =
        serde_json::from_value(survey["definition"].clone()).expect("definition");
    def.untranslated()
        .into_iter()
        .find(|u| u.language == "fr")
        .map_or(0, |u| u.missing.len())
}

/// A survey with one optional yes/no question, opened, and a member's answer submitted
/// through a personal invitation.
async fn survey_with_a_response(t: &TestDb, b: &mut Builder<'_>, admin_id: i64) {
    b.ok(
        "add_question",
        &[
            ("section", "S1"),
            ("kind", "single"),
            ("text", "Shortages?"),
        ],
    )
    .await;
    b.ok(
        "save_question",
        &[
            ("code", "Q1"),
            ("kind", "single"),
            ("choices[en]", "yes = Yes\nno = No"),
        ],
    )
    .await;
    b.ok(
        "add_question",
        &[("section", "S1"), ("kind", "short-text"), ("text", "Why?")],
    )
    .await;
    let res = b
        .app
        .post_form(
            "/api/set_survey_status",
            &[("id", &b.id.to_string()), ("status", "open")],
            Some(b.admin),
        )
        .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    let member = t.user("member@example.org", "member", &[]).await;
    let admin = app::caller::CurrentUser {
        id: admin_id,
        email: "admin@example.org".into(),
        display_name: "Admin".into(),
        role: app::caller::Role::Admin,
        countries: vec![],
    };
    app::surveys::service::invite(&t.db, &admin, "127.0.0.1", b.id, &[member])
        .await
        .expect("invite");
    let mut c = t.db.conn().await.expect("connection");
    let links = app::surveys::repo::invitations(&mut c, b.id)
        .await
        .expect("invitations");
    drop(c);
    let token = app::surveys::service::start(&t.db, &links[0].token, "en", false)
        .await
        .expect("start");
    let raw = app::surveys::model::Raw::from([("q.Q1".to_string(), vec!["yes".to_string()])]);
    app::surveys::service::save(&t.db, &token, Some(0), &raw, None)
        .await
        .expect("save");
    app::surveys::service::submit(&t.db, &token)
        .await
        .expect("submit");
    assert_eq!(b.survey().await["responses"], 1);
}

both_engines! {
    async fn an_admin_builds_a_survey_with_every_kind_and_a_condition_reorders_translates_and_opens_it(t) {
        let app = t.app();
        t.user("admin@example.org", "admin", &[]).await;
        let admin = app.login("admin@example.org", PASSWORD).await;
        let id = create(&app, &admin, "Workforce").await;
        let mut b = Builder { app: &app, admin: &admin, id, version: 1 };
        b.ok("save_survey_texts", &[
            ("title[en]", "Workforce"), ("title[fr]", "Main-d’œuvre"), ("intro[en]", "Ten minutes."),
            ("languages[]", "en"), ("languages[]", "fr"), ("default_language", "en"),
        ]).await;
        let kinds = ["single", "multiple", "likert", "number", "short-text", "long-text", "date", "matrix"];
        for (i, kind) in kinds.iter().enumerate() {
            b.ok("add_question", &[("section", "S1"), ("kind", kind), ("text", &format!("Question {}", i + 1))]).await;
        }
        b.ok("save_question", &[
            ("code", "Q1"), ("kind", "single"), ("text[en]", "Shortages?"), ("choices[en]", "yes = Yes\nno = No"), ("required", "true"),
        ]).await;
        b.ok("save_question", &[
            ("code", "Q2"), ("kind", "multiple"), ("text[en]", "Which professions?"), ("choices[en]", "nurses = Nurses\ndoctors = Doctors"),
            ("other", "true"), ("join", "all"),
            ("conditions[0][question]", "Q1"), ("conditions[0][op]", "equals"), ("conditions[0][value]", "yes"),
            ("conditions[1][question]", ""), ("conditions[1][op]", "equals"), ("conditions[1][value]", ""),
        ]).await;
        b.ok("save_question", &[("code", "Q4"), ("kind", "number"), ("min", "0"), ("max", "100"), ("integer", "true")]).await;
        let survey = b.survey().await;
        let questions = &survey["definition"]["sections"][0]["questions"];
        let types: Vec<&str> = (0..8).map(|i| questions[i]["kind"]["type"].as_str().unwrap_or_default()).collect();
        assert_eq!(types, kinds);
        assert_eq!(questions[1]["show_if"]["compare"]["question"], "Q1");
        assert_eq!(questions[1]["kind"]["other"], true);
        assert_eq!(questions[2]["kind"]["scale"].as_array().map(Vec::len), Some(5));
        assert_eq!(questions[3]["kind"]["max"], 100.0);

        // A condition on a later question, and a value the question cannot take, are refused
        // at the condition's fields.
        let res = b.post("save_question", &[
            ("code", "Q1"), ("kind", "single"), ("conditions[0][question]", "Q2"), ("conditions[0][op]", "includes"), ("conditions[0][value]", "nurses"),
        ]).await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", res.body);
        assert!(res.body.contains("conditions[0][question]"), "{}", res.body);
        let res = b.post("save_question", &[
            ("code", "Q2"), ("kind", "multiple"), ("conditions[0][question]", "Q1"), ("conditions[0][op]", "equals"), ("conditions[0][value]", "maybe"),
        ]).await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", res.body);

        // Reorder: Q3 up, within the section; then a new section and the last question down
        // into it; moving Q1 below Q2 would break Q2's condition and is refused.
        b.ok("move_question", &[("code", "Q3"), ("direction", "up")]).await;
        b.ok("add_section", &[]).await;
        b.ok("move_question", &[("code", "Q8"), ("direction", "down")]).await;
        assert_eq!(b.codes().await, vec![
            vec!["Q1", "Q3", "Q2", "Q4", "Q5", "Q6", "Q7"].into_iter().map(String::from).collect::<Vec<_>>(),
            vec!["Q8".to_string()],
        ]);
        b.ok("move_question", &[("code", "Q3"), ("direction", "down")]).await;
        let res = b.post("move_question", &[("code", "Q1"), ("direction", "down")]).await;
        assert_eq!(res.status, StatusCode::CONFLICT, "{}", res.body);
        assert!(res.body.contains("Q2"), "{}", res.body);
        b.ok("save_section", &[("code", "S2"), ("title[en]", "Matrix"), ("title[fr]", "Matrice")]).await;
        b.ok("move_section", &[("code", "S2"), ("direction", "up")]).await;
        b.ok("move_section", &[("code", "S2"), ("direction", "down")]).await;

        // Translate: the list of untranslated French texts shrinks.
        let before = untranslated_fr(&mut b).await;
        assert!(before >= 10, "{before}");
        b.ok("save_question", &[
            ("code", "Q1"), ("kind", "single"), ("text[en]", "Shortages?"), ("text[fr]", "Pénuries ?"),
            ("choices[en]", "yes = Yes\nno = No"), ("choices[fr]", "yes = Oui\nno = Non"), ("required", "true"),
        ]).await;
        assert_eq!(untranslated_fr(&mut b).await, before - 3);

        // The pages show it all.
        let page = app.get_as(&format!("/admin/surveys/{id}"), Some(&admin)).await;
        assert_eq!(page.status, StatusCode::OK);
        for expected in ["Workforce", "Multiple choice", "Matrix (rows on one scale)", "Shown if Q1 is “yes”", "/admin/surveys/1/preview?lang=fr", "Untranslated texts"] {
            let expected = expected.replace("/1/", &format!("/{id}/"));
            assert!(page.body.contains(&expected), "{expected} missing");
        }
        let page = app.get_as(&format!("/admin/surveys/{id}/questions/Q2"), Some(&admin)).await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(page.body.contains("Français (fr)") && page.body.contains("nurses = Nurses"), "question page");
        let list = app.get_as("/admin/surveys", Some(&admin)).await;
        assert!(list.body.contains("Workforce") && list.body.contains("Draft"));

        // Open it.
        let res = app.post_form("/api/set_survey_status", &[("id", &id.to_string()), ("status", "open")], Some(&admin)).await;
        assert_eq!(res.status, StatusCode::OK, "{}", res.body);
        assert_eq!(b.survey().await["status"], "open");
    }

    async fn a_form_posted_without_javascript_comes_back_to_the_builder(t) {
        let app = t.app();
        t.user("admin@example.org", "admin", &[]).await;
        let admin = app.login("admin@example.org", PASSWORD).await;
        let id = create(&app, &admin, "Workforce").await;
        let body = support::serde_urlencoded(&[("id", &id.to_string()), ("version", "1"), ("section", "S1"), ("kind", "date"), ("text", "Since when?")]);
        let req = Request::post("/api/add_question")
            .header(header::HOST, "localhost")
            .header(header::ACCEPT, "text/html")
            .header(header::REFERER, format!("http://localhost/admin/surveys/{id}"))
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(header::COOKIE, &admin)
            .header("sec-fetch-site", "same-origin")
            .body(Body::from(body))
            .expect("request");
        let res = app.send(req).await;
        assert_eq!(res.status, StatusCode::FOUND);
        assert_eq!(res.header("location").as_deref(), Some(format!("/admin/surveys/{id}/questions/Q1").as_str()));
    }

    async fn a_stale_version_is_refused_with_a_conflict_and_nothing_changes(t) {
        let app = t.app();
        t.user("admin@example.org", "admin", &[]).await;
        let admin = app.login("admin@example.org", PASSWORD).await;
        let id = create(&app, &admin, "Workforce").await;
        let mut b = Builder { app: &app, admin: &admin, id, version: 1 };
        b.ok("add_question", &[("section", "S1"), ("kind", "short-text"), ("text", "Why?")]).await;
        // Another tab still shows version 1.
        b.version = 1;
        let before = t.fingerprint().await;
        for (function, fields) in [
            ("save_question", vec![("code", "Q1"), ("kind", "short-text"), ("text[en]", "Why not?")]),
            ("add_question", vec![("section", "S1"), ("kind", "date"), ("text", "When?")]),
            ("delete_question", vec![("code", "Q1")]),
            ("save_survey_texts", vec![("title[en]", "Staff")]),
            ("add_section", vec![]),
        ] {
            let res = b.post(function, &fields).await;
            assert_eq!(res.status, StatusCode::CONFLICT, "{function}: {}", res.body);
            assert!(res.body.contains("changed since this page was opened"), "{}", res.body);
        }
        assert_eq!(t.fingerprint().await, before);
    }

    async fn once_a_response_exists_questions_cannot_be_deleted_or_retyped_but_can_be_hidden(t) {
        let app = t.app();
        let admin_id = t.user("admin@example.org", "admin", &[]).await;
        let admin = app.login("admin@example.org", PASSWORD).await;
        let id = create(&app, &admin, "Workforce").await;
        let mut b = Builder { app: &app, admin: &admin, id, version: 1 };
        survey_with_a_response(&t, &mut b, admin_id).await;
        b.survey().await;
        let before = t.fingerprint().await;
        for (function, fields) in [
            ("delete_question", vec![("code", "Q1")]),
            ("delete_question", vec![("code", "Q2")]),
            ("save_question", vec![("code", "Q1"), ("kind", "short-text")]),
            ("save_question", vec![("code", "Q1"), ("kind", "single"), ("choices[en]", "yes = Yes\nunsure = Unsure")]),
        ] {
            let res = b.post(function, &fields).await;
            assert_eq!(res.status, StatusCode::CONFLICT, "{function}: {}", res.body);
            assert!(res.body.contains("Q1") || res.body.contains("Q2"), "{}", res.body);
        }
        let res = app.post_form("/api/delete_survey", &[("id", &id.to_string()), ("confirm", "true")], Some(&admin)).await;
        assert_eq!(res.status, StatusCode::CONFLICT, "{}", res.body);
        assert_eq!(t.fingerprint().await, before, "refusals wrote nothing but the reads");
        // Hiding works, and so does correcting a text or adding a choice.
        b.ok("set_question_hidden", &[("code", "Q1"), ("hidden", "true")]).await;
        b.ok("save_question", &[("code", "Q1"), ("kind", "single"), ("text[en]", "Staff shortages?"),
            ("choices[en]", "yes = Yes\nno = No\nunsure = Unsure"), ("hidden", "true")]).await;
        let survey = b.survey().await;
        let q1 = &survey["definition"]["sections"][0]["questions"][0];
        assert_eq!(q1["hidden"], true);
        assert_eq!(q1["text"]["en"], "Staff shortages?");
        let page = app.get_as(&format!("/admin/surveys/{id}"), Some(&admin)).await;
        assert!(page.body.contains("Show Q1 again") && page.body.contains("Hide Q2") && !page.body.contains("Delete Q1"));
    }

    async fn non_admins_are_refused_every_builder_function_and_nothing_is_written(t) {
        let app = t.app();
        t.user("admin@example.org", "admin", &[]).await;
        t.user("member@example.org", "member", &[]).await;
        t.user("viewer@example.org", "viewer", &[]).await;
        t.user("fp@example.org", "focal-point", &["IT"]).await;
        let admin = app.login("admin@example.org", PASSWORD).await;
        let id = create(&app, &admin, "Workforce").await;
        let mut b = Builder { app: &app, admin: &admin, id, version: 1 };
        b.ok("add_question", &[("section", "S1"), ("kind", "short-text"), ("text", "Why?")]).await;
        let (id, version) = (id.to_string(), b.version.to_string());
        let (id, version) = (id.as_str(), version.as_str());
        let calls: Vec<(&str, Vec<(&str, &str)>)> = vec![
            ("list_surveys", vec![]),
            ("get_survey", vec![("id", id)]),
            ("create_survey", vec![("title", "Mine"), ("language", "en")]),
            ("save_survey_settings", vec![("id", id), ("anonymous", "true")]),
            ("set_survey_status", vec![("id", id), ("status", "open")]),
            ("delete_survey", vec![("id", id), ("confirm", "true")]),
            ("save_survey_texts", vec![("id", id), ("version", version), ("title[en]", "Mine")]),
            ("add_section", vec![("id", id), ("version", version)]),
            ("save_section", vec![("id", id), ("version", version), ("code", "S1"), ("title[en]", "Mine")]),
            ("move_section", vec![("id", id), ("version", version), ("code", "S1"), ("direction", "down")]),
            ("delete_section", vec![("id", id), ("version", version), ("code", "S1")]),
            ("add_question", vec![("id", id), ("version", version), ("section", "S1"), ("kind", "date"), ("text", "When?")]),
            ("save_question", vec![("id", id), ("version", version), ("code", "Q1"), ("kind", "short-text"), ("text[en]", "Mine")]),
            ("move_question", vec![("id", id), ("version", version), ("code", "Q1"), ("direction", "up")]),
            ("set_question_hidden", vec![("id", id), ("version", version), ("code", "Q1"), ("hidden", "true")]),
            ("delete_question", vec![("id", id), ("version", version), ("code", "Q1")]),
        ];
        let mut cookies = vec![(None, StatusCode::UNAUTHORIZED)];
        for email in ["member@example.org", "viewer@example.org", "fp@example.org"] {
            cookies.push((Some(app.login(email, PASSWORD).await), StatusCode::FORBIDDEN));
        }
        let before = t.fingerprint().await;
        for (function, fields) in &calls {
            for (cookie, expected) in &cookies {
                let res = app.post_form(&format!("/api/{function}"), fields, cookie.as_deref()).await;
                assert_eq!(res.status, *expected, "{function}: {}", res.body);
            }
        }
        assert_eq!(t.fingerprint().await, before);
        for page in [String::from("/admin/surveys"), format!("/admin/surveys/{id}"), format!("/admin/surveys/{id}/questions/Q1"), format!("/admin/surveys/{id}/sections/S1")] {
            for (cookie, expected) in &cookies {
                let res = app.get_as(&page, cookie.as_deref()).await;
                let expected = if *expected == StatusCode::UNAUTHORIZED { StatusCode::FOUND } else { *expected };
                assert_eq!(res.status, expected, "{page}");
            }
        }
    }
}
