#![cfg(feature = "ssr")]
//! Answering surveys on both engines, through the routes a browser without JavaScript uses:
//! start in a language, save and resume, conditions that skip questions, review, submit once
//! (also under two simultaneous submissions), the copy kept after; a closed survey refuses and
//! writes nothing; anonymous responses hold nothing that leads back to the person; the open
//! link gives each respondent a link of their own.

mod support;

use app::caller::{CurrentUser, Role};
use app::surveys::model::{Definition, SurveyStatus};
use app::surveys::{repo, service};
use axum::http::StatusCode;
use support::{TestApp, TestDb};

fn admin(id: i64) -> CurrentUser {
    CurrentUser {
        id,
        email: "admin@example.org".into(),
        display_name: "Admin".into(),
        role: Role::Admin,
        countries: vec![],
    }
}

/// An open survey with `def`'s questions; returns (admin, survey id).
async fn open_survey(
    t: &TestDb,
    def: Definition,
    settings: service::SettingsInput,
) -> (CurrentUser, i64) {
    let admin_id = t.user("admin@example.org", "admin", &[]).await;
    let a = admin(admin_id);
    let id = service::create(&t.db, &a, "test", "Test survey", "en")
        .await
        .unwrap();
    let version = repo::get(&mut t.db.conn().await.unwrap(), id)
        .await
        .unwrap()
        .version;
    service::edit(&t.db, &a, "test", id, version, "questions", |d| {
        *d = def;
        Ok(())
    })
    .await
    .unwrap();
    service::save_settings(&t.db, &a, "test", id, &settings)
        .await
        .unwrap();
    service::set_status(&t.db, &a, "test", id, SurveyStatus::Open)
        .await
        .unwrap();
    (a, id)
}

/// Invites a new member; returns their link's token.
async fn invite(t: &TestDb, a: &CurrentUser, survey: i64, email: &str) -> String {
    let member = t.user(email, "member", &[]).await;
    service::invite(&t.db, a, "test", survey, &[member])
        .await
        .unwrap();
    let invitations = repo::invitations(&mut t.db.conn().await.unwrap(), survey)
        .await
        .unwrap();
    invitations
        .into_iter()
        .find(|i| i.user_id == member)
        .unwrap()
        .token
}

async fn post(app: &TestApp, token: &str, form: &[(&str, &str)]) -> support::TestResponse {
    app.post_form(&format!("/s/{token}/answers"), form, None)
        .await
}

fn location(res: &support::TestResponse) -> String {
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    res.header("location").unwrap()
}

async fn count(t: &TestDb, sql: &str) -> i64 {
    let (n,): (i64,) = sqlx::query_as(sql).fetch_one(&t.db.pool).await.unwrap();
    n
}

/// The demo's closed survey, in three languages: B1 yes/no/unsure (required), B2 a number
/// shown when B1 is "yes" (required), B3 a matrix; W1 multiple with "Other", W2 Likert
/// (required), W3 long text.
fn survey() -> Definition {
    app::demo::surveys::closed_survey()
}

/// Answers every required question of both sections; returns the copy's address.
async fn answer_all(app: &TestApp, token: &str) -> String {
    location(
        &post(
            app,
            token,
            &[
                ("_action", "next"),
                ("_section", "0"),
                ("_shown", "B1,B2,B3"),
                ("q.B1", "no"),
            ],
        )
        .await,
    );
    location(
        &post(
            app,
            token,
            &[
                ("_action", "next"),
                ("_section", "1"),
                ("_shown", "W1,W2,W3"),
                ("q.W2", "4"),
            ],
        )
        .await,
    );
    location(&post(app, token, &[("_action", "submit")]).await)
}

both_engines! {
    async fn a_member_answers_in_french_saves_resumes_reviews_and_submits_once(t) {
        let (a, id) = open_survey(&t, survey(), service::SettingsInput::default()).await;
        let token = invite(&t, &a, id, "marie@example.org").await;
        let app = t.app();

        // The start page offers the languages; starting in French keeps the same link.
        let start = app.get(&format!("/s/{token}")).await;
        assert_eq!(start.status, StatusCode::OK);
        assert!(start.body.contains("Français"), "{}", start.body);
        let to = location(&post(&app, &token, &[("_action", "start"), ("_lang", "fr")]).await);
        assert_eq!(to, format!("/s/{token}?lang=fr"));
        let page = app.get(&to).await;
        assert!(page.body.contains("Existe-t-il encore un retard"), "the questions are in French");
        assert!(page.body.contains("Section 1 sur 2"));
        // B2 waits for its condition.
        assert!(page.body.contains(r#"data-question="B2" hidden"#), "{}", page.body);

        // Save part of the section and come back later: the answers are there.
        let to = location(&post(&app, &token, &[("_action", "save"), ("_section", "0"), ("_shown", "B1,B3"), ("q.B1", "yes"), ("q.B3.screening", "worse")]).await);
        assert_eq!(to, format!("/s/{token}?section=0&saved=1&lang=fr"));
        let resumed = app.get(&format!("/s/{token}")).await;
        assert!(resumed.body.contains(r#"value="yes" checked"#), "the saved answer is shown again");

        // "Next": B2 appeared (B1 is yes) — back to the same section to answer it.
        let to = location(&post(&app, &token, &[("_action", "next"), ("_section", "0"), ("_shown", "B1,B3"), ("q.B1", "yes")]).await);
        assert_eq!(to, format!("/s/{token}?section=0&more=1&lang=fr"));
        // Now B2 is shown and required, and the started matrix needs every row.
        let to = location(&post(&app, &token, &[("_action", "next"), ("_section", "0"), ("_shown", "B1,B2,B3"), ("q.B1", "yes"), ("q.B3.screening", "worse")]).await);
        assert_eq!(to, format!("/s/{token}?section=0&check=1&lang=fr"));
        let problems = app.get(&to).await;
        assert!(problems.body.contains("Répondez à cette question"), "the problem, in French, at B2");
        assert!(problems.body.contains(r##"href="#f-q-b2""##), "the summary links to the field");
        assert!(problems.body.contains(r##"href="#f-q-b3-diagnosis""##), "and to the matrix row");
        // A number out of bounds is refused, then fixed.
        let to = location(&post(&app, &token, &[("_action", "next"), ("_section", "0"), ("_shown", "B1,B2,B3"), ("q.B1", "yes"), ("q.B2", "99")]).await);
        assert!(to.ends_with("check=1&lang=fr"));
        let to = location(&post(&app, &token, &[("_action", "next"), ("_section", "0"), ("_shown", "B1,B2,B3"), ("q.B1", "yes"), ("q.B2", "6")]).await);
        assert_eq!(to, format!("/s/{token}?section=1&lang=fr"));
        let to = location(&post(&app, &token, &[("_action", "next"), ("_section", "1"), ("_shown", "W1,W2,W3"), ("q.W1", "staff"), ("q.W1", "_other"), ("q.W1.other", "Radiotherapy slots"), ("q.W2", "2"), ("q.W3", "=HYPERLINK(\"x\")")]).await);
        assert_eq!(to, format!("/s/{token}?review=1&lang=fr"));
        let review = app.get(&to).await;
        assert!(review.body.contains("Personnel"), "answers in words: {}", review.body);
        assert_eq!(count(&t, "SELECT COUNT(*) FROM survey_responses").await, 0, "nothing submitted yet");

        // Submit: one response, the draft gone, the invitation answered, a copy to keep.
        let copy = location(&post(&app, &token, &[("_action", "submit")]).await);
        assert!(copy.starts_with("/s/copy/") && copy.ends_with("?submitted=1"), "{copy}");
        let page = app.get(&copy).await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(page.body.contains("Merci") || page.body.contains("Thank you"));
        assert!(page.body.contains("Personnel"));
        let csv = app.get(&format!("{}/answers.csv", copy.trim_end_matches("?submitted=1"))).await;
        assert_eq!(csv.status, StatusCode::OK);
        assert!(csv.body.contains("'=HYPERLINK"), "a formula is neutralised in the copy: {}", csv.body);
        assert_eq!(count(&t, "SELECT COUNT(*) FROM survey_responses").await, 1);
        assert_eq!(count(&t, "SELECT COUNT(*) FROM survey_drafts").await, 0);
        assert_eq!(count(&t, "SELECT COUNT(*) FROM survey_invitations WHERE answered_on IS NOT NULL").await, 1);
        let r = repo::responses(&mut t.db.conn().await.unwrap(), id, &Default::default()).await.unwrap();
        assert_eq!(r[0].language, "fr");
        assert_eq!(r[0].country.as_deref(), Some("DE"));
        assert_eq!(r[0].answers.len(), 5, "B1, B2, W1, W2, W3: {:?}", r[0].answers);

        // The link is used: the page says so, and a second submission writes nothing.
        let again = app.get(&format!("/s/{token}")).await;
        assert!(again.body.contains("déjà servi") || again.body.contains("already been used"));
        let before = t.fingerprint().await;
        post(&app, &token, &[("_action", "submit")]).await;
        post(&app, &token, &[("_action", "start"), ("_lang", "en")]).await;
        assert_eq!(t.fingerprint().await, before);
    }

    async fn two_simultaneous_submissions_of_one_invitation_count_once(t) {
        let (a, id) = open_survey(&t, survey(), service::SettingsInput::default()).await;
        let token = invite(&t, &a, id, "twice@example.org").await;
        let app = t.app();
        location(&post(&app, &token, &[("_action", "start"), ("_lang", "en")]).await);
        location(&post(&app, &token, &[("_action", "next"), ("_section", "0"), ("_shown", "B1"), ("q.B1", "no")]).await);
        location(&post(&app, &token, &[("_action", "next"), ("_section", "1"), ("_shown", "W1,W2,W3"), ("q.W2", "5")]).await);
        let (one, two) = tokio::join!(
            post(&app, &token, &[("_action", "submit")]),
            post(&app, &token, &[("_action", "submit")]),
        );
        let copies = [&one, &two]
            .iter()
            .filter(|r| r.header("location").is_some_and(|l| l.starts_with("/s/copy/")))
            .count();
        assert_eq!(copies, 1, "one submission went through: {one:?} {two:?}");
        // A save that comes after the submission is refused, not reported as saved.
        let late = post(&app, &token, &[("_action", "save"), ("_section", "1"), ("q.W2", "1")]).await;
        assert_eq!(location(&late), format!("/s/{token}"));
        assert!(matches!(
            service::save(&t.db, &token, Some(1), &Default::default(), None).await,
            Err(app::error::AppError::Rejected(_))
        ));
        assert_eq!(count(&t, "SELECT COUNT(*) FROM survey_responses").await, 1);
        assert_eq!(count(&t, "SELECT COUNT(*) FROM survey_drafts").await, 0);
    }

    async fn a_closed_survey_refuses_submissions_and_writes_nothing(t) {
        let (a, id) = open_survey(&t, survey(), service::SettingsInput::default()).await;
        let token = invite(&t, &a, id, "late@example.org").await;
        let app = t.app();
        location(&post(&app, &token, &[("_action", "start"), ("_lang", "en")]).await);
        location(&post(&app, &token, &[("_action", "next"), ("_section", "0"), ("_shown", "B1"), ("q.B1", "no")]).await);
        location(&post(&app, &token, &[("_action", "next"), ("_section", "1"), ("_shown", "W1,W2,W3"), ("q.W2", "5")]).await);
        service::set_status(&t.db, &a, "test", id, SurveyStatus::Closed).await.unwrap();
        let before = t.fingerprint().await;
        let res = post(&app, &token, &[("_action", "submit")]).await;
        assert_eq!(location(&res), format!("/s/{token}"));
        post(&app, &token, &[("_action", "save"), ("_section", "1"), ("q.W2", "1")]).await;
        assert_eq!(t.fingerprint().await, before, "nothing written after the close");
        assert_eq!(count(&t, "SELECT COUNT(*) FROM survey_responses").await, 0);
        let page = app.get(&format!("/s/{token}")).await;
        assert!(page.body.contains("no longer takes answers"), "{}", page.body);
        assert!(matches!(service::submit(&t.db, &token).await, Err(app::error::AppError::Rejected(_))));
    }

    async fn anonymous_responses_hold_nothing_that_leads_back_to_the_person(t) {
        let settings = service::SettingsInput { anonymous: true, ..Default::default() };
        let (a, id) = open_survey(&t, survey(), settings).await;
        let token = invite(&t, &a, id, "anna.nonymous@example.org").await;
        let app = t.app();
        location(&post(&app, &token, &[("_action", "start"), ("_lang", "en")]).await);
        answer_all(&app, &token).await;
        // Who answered is known (for reminders)…
        assert_eq!(count(&t, "SELECT COUNT(*) FROM survey_invitations WHERE answered_on IS NOT NULL").await, 1);
        // …the response is not linked to them: no invitation, no user, the day only.
        assert_eq!(count(&t, "SELECT COUNT(*) FROM survey_responses WHERE invitation_id IS NULL AND user_id IS NULL").await, 1);
        let (day, answers): (String, String) = sqlx::query_as("SELECT submitted_on, answers FROM survey_responses")
            .fetch_one(&t.db.pool).await.unwrap();
        assert_eq!(day.len(), 10, "a day, not a time: {day}");
        assert!(!answers.contains("anna"), "{answers}");
        let columns: Vec<(String,)> = match t.engine() {
            app::db::Engine::Sqlite => sqlx::query_as("SELECT name FROM pragma_table_info('survey_responses') ORDER BY cid"),
            app::db::Engine::Postgres => sqlx::query_as("SELECT column_name::text FROM information_schema.columns WHERE table_name = 'survey_responses' ORDER BY ordinal_position"),
        }
        .fetch_all(&t.db.pool).await.unwrap();
        let columns: Vec<&str> = columns.iter().map(|c| c.0.as_str()).collect();
        assert_eq!(columns, ["id", "survey_id", "invitation_id", "user_id", "country_iso2", "member_type", "language", "answers", "receipt_hash", "submitted_on"],
            "no address, e-mail, name or token column");
        // The member's own data shows no anonymous response.
        let member = repo::invitations(&mut t.db.conn().await.unwrap(), id).await.unwrap()[0].user_id;
        assert!(repo::responses_of_user(&mut t.db.conn().await.unwrap(), member).await.unwrap().is_empty());
    }

    async fn the_open_link_gives_each_respondent_their_own_link_and_one_response_per_browser(t) {
        let settings = service::SettingsInput { open_link: true, one_per_browser: true, ..Default::default() };
        let (_, id) = open_survey(&t, survey(), settings).await;
        let open = repo::get(&mut t.db.conn().await.unwrap(), id).await.unwrap().open_token.unwrap();
        let app = t.app();
        let to = location(&post(&app, &open, &[("_action", "start"), ("_lang", "de")]).await);
        let own = to.trim_start_matches("/s/").split('?').next().unwrap().to_string();
        assert_ne!(own, open, "a link of the respondent's own");
        let res = answer_all(&app, &own).await;
        assert!(res.starts_with("/s/copy/"));
        // The submission told the browser; the same browser is refused a second time.
        assert_eq!(post(&app, &own, &[("_action", "submit")]).await.status, StatusCode::NOT_FOUND, "the own link ends with the submission");
        let cookie = format!("rt_survey_{id}=1");
        let req = axum::http::Request::post(format!("/s/{open}/answers"))
            .header("host", "localhost")
            .header("content-type", "application/x-www-form-urlencoded")
            .header("cookie", cookie)
            .body(axum::body::Body::from("_action=start&_lang=en"))
            .unwrap();
        let refused = app.send(req).await;
        assert_eq!(location(&refused), format!("/s/{open}?refused=1"));
        assert_eq!(count(&t, "SELECT COUNT(*) FROM survey_drafts").await, 0);
        assert_eq!(count(&t, "SELECT COUNT(*) FROM survey_responses").await, 1);
        let r = repo::responses(&mut t.db.conn().await.unwrap(), id, &Default::default()).await.unwrap();
        assert_eq!((r[0].language.as_str(), r[0].country.as_deref()), ("de", None));
    }

    async fn unknown_links_and_receipts_are_not_found_and_change_nothing(t) {
        let (_a, _id) = open_survey(&t, survey(), service::SettingsInput::default()).await;
        let app = t.app();
        let before = t.fingerprint().await;
        assert_eq!(app.get("/s/not-a-token").await.status, StatusCode::NOT_FOUND);
        assert_eq!(app.get("/s/copy/not-a-receipt").await.status, StatusCode::NOT_FOUND);
        assert_eq!(app.get("/s/copy/not-a-receipt/answers.csv").await.status, StatusCode::NOT_FOUND);
        assert_eq!(post(&app, "not-a-token", &[("_action", "start"), ("_lang", "en")]).await.status, StatusCode::NOT_FOUND);
        assert_eq!(post(&app, "not-a-token", &[("_action", "submit")]).await.status, StatusCode::NOT_FOUND);
        assert_eq!(t.fingerprint().await, before);
    }

    async fn the_preview_is_for_admins_and_shows_what_respondents_see(t) {
        let (_a, id) = open_survey(&t, survey(), service::SettingsInput::default()).await;
        t.user("member@example.org", "member", &[]).await;
        t.user("viewer@example.org", "viewer", &[]).await;
        let app = t.app();
        let url = format!("/admin/surveys/{id}/preview?section=1&lang=de");
        assert_eq!(app.get(&url).await.status, StatusCode::FOUND, "signed out: to the sign-in page");
        for who in ["member@example.org", "viewer@example.org"] {
            let cookie = app.login(who, support::PASSWORD).await;
            assert_eq!(app.get_as(&url, Some(&cookie)).await.status, StatusCode::FORBIDDEN, "{who}");
        }
        let cookie = app.login("admin@example.org", support::PASSWORD).await;
        let page = app.get_as(&url, Some(&cookie)).await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(page.body.contains("Welche Engpässe"), "section 2 in German");
        assert!(page.body.contains("Sonstiges, bitte angeben"), "the \"Other\" field");
        assert!(!page.body.contains(r#"name="_action""#), "a preview does not post");
    }
}
