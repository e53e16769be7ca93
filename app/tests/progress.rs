#![cfg(feature = "ssr")]
//! Progress reporting on both engines: the lifecycle, country scope, concurrent edits, copy
//! forward, history, and what the public sees.

mod support;

use app::error::FieldError;
use app::progress::enhancer::FormChecks;
use axum::http::StatusCode;
use support::{day, full_report, pairs, set, TestApp, TestDb, PASSWORD};

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

async fn save(app: &TestApp, cookie: &str, form: &[(String, String)]) -> support::TestResponse {
    app.post_form("/api/save_report", &pairs(form), Some(cookie))
        .await
}

async fn history_count(t: &TestDb) -> i64 {
    let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM entry_history")
        .fetch_one(&t.db.pool)
        .await
        .unwrap();
    n
}

both_engines! {
    async fn a_report_goes_from_draft_to_published_through_return_and_resubmission(t) {
        let app = t.app();
        let p = people(&t, &app).await;
        let period = app.open_period(&p.admin, "2026 H1", "2026-01-01", "2026-06-30").await;

        // A first draft: only recommendation 1, In progress, without a narrative.
        let mut form = full_report("IT", period, 0, "save");
        form.retain(|(k, _)| !k.starts_with("entries[") || k.starts_with("entries[0]"));
        set(&mut form, "entries[0][status]", "in-progress");
        set(&mut form, "entries[0][narrative]", "");
        let res = save(&app, &p.fp_it, &form).await;
        assert_eq!(res.status, StatusCode::OK, "{}", res.body);
        assert_eq!(res.json()["version"], 1);
        assert_eq!(res.json()["state"], "draft");
        let view = app.report("IT", period, Some(&p.fp_it)).await.json();
        assert_eq!(view["can_edit"], true);
        let missing: Vec<String> = view["missing"].as_array().unwrap().iter().map(|m| m["field"].as_str().unwrap().to_string()).collect();
        assert!(missing.contains(&"entries[0][narrative]".to_string()), "{missing:?}");
        assert!(missing.contains(&"entries[6][status]".to_string()));
        assert!(history_count(&t).await >= 3, "status, evidence and as-of of entry 1 recorded");

        // Submitting an incomplete report saves it but does not submit it.
        let mut form = full_report("IT", period, 1, "submit");
        set(&mut form, "entries[3][status]", "");
        let res = save(&app, &p.fp_it, &form).await;
        assert_eq!(res.status, StatusCode::OK, "{}", res.body);
        assert_eq!(res.json()["state"], "draft");
        assert_eq!(res.json()["missing"][0]["field"], "entries[3][status]");

        // Complete: submitted.
        let res = save(&app, &p.fp_it, &full_report("IT", period, 2, "submit")).await;
        assert_eq!(res.json()["state"], "submitted", "{}", res.body);
        let version = res.json()["version"].as_i64().unwrap();
        // Locked for the focal point while under review.
        let res = save(&app, &p.fp_it, &full_report("IT", period, version, "save")).await;
        assert_eq!(res.status, StatusCode::CONFLICT);
        // Not public yet.
        assert_eq!(app.get("/api/v1/progress?country=IT").await.json().as_array().unwrap().len(), 0);
        assert_eq!(app.report("IT", period, None).await.status, StatusCode::UNAUTHORIZED);
        assert_eq!(app.report("IT", period, Some(&p.viewer)).await.status, StatusCode::OK);

        // Returned with a comment on recommendation 2 (a return without any comment is refused).
        let base = [
            ("country", "IT".to_string()), ("period", period.to_string()), ("version", version.to_string()), ("decision", "return".to_string()),
        ];
        let no_comment: Vec<(&str, &str)> = base.iter().map(|(k, v)| (*k, v.as_str())).collect();
        assert_eq!(app.post_form("/api/review_report", &no_comment, Some(&p.admin)).await.status, StatusCode::UNPROCESSABLE_ENTITY);
        let mut with_comment = no_comment.clone();
        with_comment.extend([("comments[1][recommendation]", "2"), ("comments[1][comment]", "Please cite the national plan.")]);
        let res = app.post_form("/api/review_report", &with_comment, Some(&p.admin)).await;
        assert_eq!(res.status, StatusCode::OK, "{}", res.body);

        let view = app.report("IT", period, Some(&p.fp_it)).await.json();
        assert_eq!(view["state"], "returned");
        assert_eq!(view["entries"][1]["review_comment"], "Please cite the national plan.");
        assert_eq!(view["can_edit"], true);
        let version = view["version"].as_i64().unwrap();

        // Fixed and resubmitted, then approved.
        let mut form = full_report("IT", period, version, "submit");
        set(&mut form, "entries[1][evidence]", "https://www.salute.gov.it/piano-oncologico");
        let res = save(&app, &p.fp_it, &form).await;
        assert_eq!(res.json()["state"], "submitted", "{}", res.body);
        let version = res.json()["version"].as_i64().unwrap();
        let res = app.post_form("/api/review_report", &[
            ("country", "IT"), ("period", &period.to_string()), ("version", &version.to_string()), ("decision", "approve"),
        ], Some(&p.admin)).await;
        assert_eq!(res.status, StatusCode::OK, "{}", res.body);

        // Published: the API shows the approved entries.
        let published = app.get(&format!("/api/v1/progress?period={period}&country=it")).await.json();
        let entries = published.as_array().unwrap();
        assert_eq!(entries.len(), 7);
        assert_eq!(entries[1]["evidence"][0], "https://www.salute.gov.it/piano-oncologico");
        assert_eq!(entries[0]["status"], "planned");
        assert_eq!(app.get("/api/v1/progress?period=2026%20H1").await.json().as_array().unwrap().len(), 7);
        let csv = app.get("/api/v1/progress.csv?country=IT").await;
        assert_eq!(csv::Reader::from_reader(csv.body.as_bytes()).records().count(), 7);
        let public = app.report("IT", period, None).await;
        assert_eq!(public.status, StatusCode::OK, "the public reads approved reports");
        let public = public.json();
        assert!(public["entries"][1]["history"].as_array().unwrap().is_empty(), "no working history for the public");
        assert!(public["updated_by"].is_null());
        let viewer = app.report("IT", period, Some(&p.viewer)).await.json();
        assert!(viewer["entries"][1]["history"].as_array().unwrap().is_empty());
        let insider = app.report("IT", period, Some(&p.fp_it)).await.json();
        assert!(!insider["entries"][1]["history"].as_array().unwrap().is_empty());

        // Approved is locked; an admin reopens with a reason.
        let view = app.report("IT", period, Some(&p.fp_it)).await.json();
        assert_eq!(view["can_edit"], false);
        let res = save(&app, &p.fp_it, &full_report("IT", period, view["version"].as_i64().unwrap(), "save")).await;
        assert_eq!(res.status, StatusCode::CONFLICT);
        let res = app.post_form("/api/reopen_report", &[("country", "IT"), ("period", &period.to_string()), ("reason", "")], Some(&p.admin)).await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
        let res = app.post_form("/api/reopen_report", &[
            ("country", "IT"), ("period", &period.to_string()), ("reason", "The 2026 budget changed."),
        ], Some(&p.admin)).await;
        assert_eq!(res.status, StatusCode::OK, "{}", res.body);
        let view = app.report("IT", period, Some(&p.fp_it)).await.json();
        assert_eq!(view["state"], "returned");
        assert_eq!(view["review_note"], "The 2026 budget changed.");
        assert_eq!(app.get("/api/v1/progress?country=IT").await.json().as_array().unwrap().len(), 0, "no longer published");

        let (transitions,): (i64,) = sqlx::query_as(
            "SELECT COUNT(*) FROM audit_log WHERE action IN ('report-submitted', 'report-returned', 'report-approved', 'report-reopened')",
        ).fetch_one(&t.db.pool).await.unwrap();
        assert_eq!(transitions, 5);
    }

    async fn a_focal_point_cannot_read_or_write_another_countrys_draft(t) {
        let app = t.app();
        let p = people(&t, &app).await;
        let period = app.open_period(&p.admin, "2026 H1", "2026-01-01", "2026-06-30").await;
        assert_eq!(save(&app, &p.fp_fr, &full_report("FR", period, 0, "save")).await.status, StatusCode::OK);
        let before = t.fingerprint().await;

        assert_eq!(app.report("FR", period, Some(&p.fp_it)).await.status, StatusCode::FORBIDDEN);
        assert_eq!(app.report("fr", period, Some(&p.fp_it)).await.status, StatusCode::FORBIDDEN);
        assert_eq!(save(&app, &p.fp_it, &full_report("FR", period, 1, "submit")).await.status, StatusCode::FORBIDDEN);
        assert_eq!(save(&app, &p.fp_it, &full_report("fr", period, 1, "save")).await.status, StatusCode::FORBIDDEN);
        let res = app.post_form("/api/copy_forward", &[("country", "FR"), ("period", &period.to_string())], Some(&p.fp_it)).await;
        assert_eq!(res.status, StatusCode::FORBIDDEN);
        let res = app.post_form("/api/review_report", &[
            ("country", "FR"), ("period", &period.to_string()), ("version", "1"), ("decision", "approve"),
        ], Some(&p.fp_it)).await;
        assert_eq!(res.status, StatusCode::FORBIDDEN);
        let page = app.get_as(&format!("/report/FR/{period}"), Some(&p.fp_it)).await;
        assert_eq!(page.status, StatusCode::FORBIDDEN);
        assert!(!page.body.contains("Plan for recommendation"));
        assert_eq!(app.get_as(&format!("/report/FR/{period}"), Some(&p.viewer)).await.status, StatusCode::FORBIDDEN, "a draft is not for viewers");
        assert_eq!(t.fingerprint().await, before, "nothing changed");

        // Their own country works, and the admin sees the draft.
        assert_eq!(app.get_as(&format!("/report/IT/{period}"), Some(&p.fp_it)).await.status, StatusCode::OK);
        assert_eq!(app.get_as(&format!("/report/FR/{period}"), Some(&p.admin)).await.status, StatusCode::OK);
    }

    async fn a_save_based_on_an_old_version_is_refused_and_changes_nothing(t) {
        let app = t.app();
        let p = people(&t, &app).await;
        t.user("fp-it-2@example.org", "focal-point", &["IT"]).await;
        let second = app.login("fp-it-2@example.org", PASSWORD).await;
        let period = app.open_period(&p.admin, "2026 H1", "2026-01-01", "2026-06-30").await;
        assert_eq!(save(&app, &p.fp_it, &full_report("IT", period, 0, "save")).await.status, StatusCode::OK);

        // Both open version 1; the second person saves first.
        let mut theirs = full_report("IT", period, 1, "save");
        set(&mut theirs, "entries[2][status]", "in-progress");
        assert_eq!(save(&app, &second, &theirs).await.status, StatusCode::OK);
        let before = t.fingerprint().await;

        let mut mine = full_report("IT", period, 1, "save");
        set(&mut mine, "entries[2][narrative]", "My version of events.");
        let res = save(&app, &p.fp_it, &mine).await;
        assert_eq!(res.status, StatusCode::CONFLICT, "{}", res.body);
        let conflict = &res.json()["Conflict"];
        assert_eq!(conflict["version"], 2, "{}", res.body);
        let lines: Vec<&str> = conflict["current"].as_array().unwrap().iter().map(|l| l.as_str().unwrap()).collect();
        assert!(lines.iter().any(|l| l.contains("recommendation 3, status") && l.contains("“In progress”")), "{lines:?}");
        assert_eq!(t.fingerprint().await, before, "nothing overwritten");
        let view = app.report("IT", period, Some(&p.fp_it)).await.json();
        assert_eq!(view["entries"][2]["values"]["status"], "in-progress");
        assert_eq!(view["entries"][2]["values"]["narrative"], "Plan for recommendation 3 agreed.");

        // Saving again on the current version keeps mine, knowingly.
        set(&mut mine, "version", "2");
        assert_eq!(save(&app, &p.fp_it, &mine).await.status, StatusCode::OK);
    }

    async fn invalid_values_are_refused_by_field_and_nothing_is_written(t) {
        let app = t.app();
        let p = people(&t, &app).await;
        let period = app.open_period(&p.admin, "2026 H1", "2026-01-01", "2026-06-30").await;
        let res = app.post_form("/api/save_indicator", &[
            ("recommendation", "1"), ("name", "Screening volume as % of 2019"), ("kind", "percentage"),
        ], Some(&p.admin)).await;
        let indicator: i64 = res.body.parse().unwrap();
        let before = t.fingerprint().await;
        let mut form = full_report("IT", period, 0, "save");
        set(&mut form, "entries[4][evidence]", "https://ok.example.org\nnot a link");
        set(&mut form, "entries[5][as_of]", &day(3));
        set(&mut form, "entries[0][indicators][0][id]", &indicator.to_string());
        set(&mut form, "entries[0][indicators][0][value]", "140");
        let res = save(&app, &p.fp_it, &form).await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
        let fields: Vec<String> = res.json()["Invalid"].as_array().unwrap().iter().map(|e| e["field"].as_str().unwrap().to_string()).collect();
        assert_eq!(fields, ["entries[0][indicators][0][value]", "entries[4][evidence]", "entries[5][as_of]"]);
        assert_eq!(t.fingerprint().await, before);
    }

    async fn a_french_focal_point_saving_an_invalid_report_gets_the_messages_in_french(t) {
        let app = t.app();
        let p = people(&t, &app).await;
        let period = app.open_period(&p.admin, "2026 H1", "2026-01-01", "2026-06-30").await;
        let res = app.post_form("/api/save_indicator", &[
            ("recommendation", "1"), ("name", "Volume de dépistage"), ("kind", "number"), ("max", "1500.5"),
        ], Some(&p.admin)).await;
        let indicator: i64 = res.body.parse().unwrap();
        let french = format!("{}; rt_lang=fr", p.fp_it);
        let mut form = full_report("IT", period, 0, "save");
        set(&mut form, "entries[4][evidence]", "pas un lien");
        set(&mut form, "entries[0][indicators][0][id]", &indicator.to_string());
        set(&mut form, "entries[0][indicators][0][value]", "2000");
        let res = save(&app, &french, &form).await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", res.body);
        let errors: Vec<FieldError> = serde_json::from_value(res.json()["Invalid"].clone()).unwrap();
        let message = |field: &str| errors.iter().find(|e| e.field == field).map(|e| e.message.clone()).unwrap_or_default();
        assert_eq!(
            message("entries[4][evidence]"),
            "« pas un lien » n'est pas une adresse web. Saisissez des liens complets commençant par https://, un par ligne."
        );
        // The bound is written the French way.
        assert_eq!(message("entries[0][indicators][0][value]"), "« Volume de dépistage » doit être au plus égal à 1\u{202f}500,5.");

        // The island on the French page says the same as the server.
        let page = app.get_as(&format!("/report/IT/{period}"), Some(&french)).await;
        let checks: FormChecks = serde_json::from_value(island_props(&page.body, "ReportFormEnhancer")["checks"].clone()).unwrap();
        assert_eq!(checks.check("entries[4][evidence]", "pas un lien").as_deref(), Some(message("entries[4][evidence]").as_str()));
        assert_eq!(checks.check("entries[0][indicators][0][value]", "2000").as_deref(), Some(message("entries[0][indicators][0][value]").as_str()));
        assert_eq!(checks.messages.there_is_a_problem(), "Il y a un problème");
        assert_eq!(checks.messages.error_prefix(), "Erreur : ");
        assert!(checks.messages.unsaved_changes().starts_with("Vous avez des modifications non enregistrées"));

        // What blocks submission, and a refusal of a stale save, are in French too.
        let mut incomplete = full_report("IT", period, 0, "submit");
        set(&mut incomplete, "entries[3][status]", "");
        let res = save(&app, &french, &incomplete).await;
        assert_eq!(res.json()["missing"][0]["message"], "Recommandation 4 : choisissez un statut.", "{}", res.body);
        let res = save(&app, &french, &full_report("IT", period, 0, "save")).await;
        assert_eq!(res.status, StatusCode::CONFLICT);
        let conflict = &res.json()["Conflict"];
        assert!(conflict["message"].as_str().unwrap().starts_with("Une autre personne a enregistré ce rapport"), "{}", res.body);
        let lines: Vec<&str> = conflict["current"].as_array().unwrap().iter().map(|l| l.as_str().unwrap()).collect();
        assert!(lines.iter().any(|l| l.contains("a modifié la recommandation 1, statut : (vide) → « Planifié »")), "{lines:?}");
    }

    async fn the_report_page_speaks_german_when_asked(t) {
        let app = t.app();
        let p = people(&t, &app).await;
        let period = app.open_period(&p.admin, "2026 H1", "2026-01-01", "2026-06-30").await;
        let page = app.get_as(&format!("/report/IT/{period}?lang=de"), Some(&p.fp_it)).await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(page.body.contains("<html lang=\"de\""));
        for text in [
            "Italien — 2026 H1",
            "Fortschrittsbericht",
            "Status der Empfehlung 1",
            "Stichtag (Empfehlung 1)",
            "Status auswählen",
            "Vollständig umgesetzt",
            "Noch fehlend, bevor Sie einreichen können (7)",
            "Empfehlung 1: Wählen Sie einen Status.",
            "Entwurf speichern",
            "Zur Prüfung einreichen",
            "Für Einreichungen geöffnet",
            "1. Januar 2026",
        ] {
            assert!(page.body.contains(text), "{text} missing from the German page");
        }
        assert!(!page.body.contains("Save draft"));
        // The language is kept (cookie): the next page, a saved draft, is German too.
        save(&app, &p.fp_it, &full_report("IT", period, 0, "save")).await;
        let cookie = format!("{}; rt_lang=de", p.fp_it);
        let page = app.get_as(&format!("/report/IT/{period}?saved=1"), Some(&cookie)).await;
        assert!(page.body.contains("Entwurf gespeichert."));
        assert!(page.body.contains("Änderungsverlauf"));
        assert!(page.body.contains("<td>Geplant</td>"), "the history shows the status label, not its code");
    }

    async fn the_board_speaks_french_with_country_names_in_french(t) {
        let app = t.app();
        let p = people(&t, &app).await;
        let period = app.open_period(&p.admin, "2026 H1", "2026-01-01", "2026-06-30").await;
        save(&app, &p.fp_it, &full_report("IT", period, 0, "submit")).await;
        let page = app.get_as(&format!("/admin/periods/{period}?lang=fr&group=non-eu"), Some(&p.admin)).await;
        assert_eq!(page.status, StatusCode::OK);
        for text in ["26 pays", "Rapports par état (Hors UE)", "Toute la Région européenne de l'OMS", "Non commencé", "Royaume-Uni", "Clore les soumissions maintenant"] {
            assert!(page.body.contains(text), "{text} missing from the French board");
        }
        let page = app.get_as(&format!("/admin/periods/{period}?lang=fr&group=eu27"), Some(&p.admin)).await;
        assert!(page.body.contains(&format!("<a href=\"/report/IT/{period}\">Italie</a>")), "{}", page.body);
        assert!(page.body.find("Allemagne") < page.body.find("Autriche"), "French alphabetical order");
        let board = app.post_form("/api/get_board", &[("period", &period.to_string())], Some(&format!("{}; rt_lang=fr", p.admin))).await.json();
        assert_eq!(board["counts"][2], serde_json::json!(["Soumis", 1]));
    }

    async fn copy_forward_starts_from_the_last_approved_report(t) {
        let app = t.app();
        let p = people(&t, &app).await;
        let first = app.open_period(&p.admin, "2025 H2", "2025-07-01", "2025-12-31").await;
        let mut form = full_report("IT", first, 0, "submit");
        set(&mut form, "entries[0][status]", "fully-implemented");
        assert_eq!(save(&app, &p.fp_it, &form).await.json()["state"], "submitted");
        let version = app.version(&p.admin, "IT", first).await;
        app.post_form("/api/review_report", &[
            ("country", "IT"), ("period", &first.to_string()), ("version", &version.to_string()), ("decision", "approve"),
        ], Some(&p.admin)).await;
        let res = app.post_form("/api/close_period", &[("id", &first.to_string()), ("closed", "true")], Some(&p.admin)).await;
        assert_eq!(res.status, StatusCode::OK, "{}", res.body);
        // Closed: no more saves to the first period.
        let res = save(&app, &p.fp_it, &full_report("IT", first, 0, "save")).await;
        assert_eq!(res.status, StatusCode::CONFLICT);
        assert!(res.body.contains("closed"));
        // Nor is an approved report of a closed period reopened: nobody could edit it.
        let res = app.post_form("/api/reopen_report", &[
            ("country", "IT"), ("period", &first.to_string()), ("reason", "A figure was wrong."),
        ], Some(&p.admin)).await;
        assert_eq!(res.status, StatusCode::CONFLICT);
        assert!(res.body.contains("Open the period's submissions again first"), "{}", res.body);
        assert_eq!(app.report("IT", first, Some(&p.admin)).await.json()["state"], "approved");
        // Once its closing date is past, "open again" asks for a later date instead.
        sqlx::query("UPDATE reporting_periods SET opens_on = '2026-01-01', closes_on = '2026-01-31' WHERE id = $1")
            .bind(first).execute(&t.db.pool).await.unwrap();
        let res = app.post_form("/api/close_period", &[("id", &first.to_string()), ("closed", "false")], Some(&p.admin)).await;
        assert_eq!(res.status, StatusCode::CONFLICT);
        assert!(res.body.contains("set a later"), "{}", res.body);

        let second = app.open_period(&p.admin, "2026 H1", "2026-01-01", "2026-06-30").await;
        let view = app.report("IT", second, Some(&p.fp_it)).await.json();
        assert_eq!(view["copy_forward_from"], "2025 H2");
        assert!(app.report("FR", second, Some(&p.fp_fr)).await.json()["copy_forward_from"].is_null(), "FR has nothing approved");

        let res = app.post_form("/api/copy_forward", &[("country", "IT"), ("period", &second.to_string())], Some(&p.fp_it)).await;
        assert_eq!(res.status, StatusCode::OK, "{}", res.body);
        let view = app.report("IT", second, Some(&p.fp_it)).await.json();
        assert_eq!(view["state"], "draft");
        assert_eq!(view["copied_from"], "2025 H2");
        assert_eq!(view["entries"][0]["values"]["status"], "fully-implemented");
        assert_eq!(view["entries"][6]["values"]["narrative"], "Plan for recommendation 7 agreed.");
        assert!(!view["entries"][0]["history"].as_array().unwrap().is_empty(), "the copy is in the history");
        // Only once: a started report is not overwritten.
        let res = app.post_form("/api/copy_forward", &[("country", "IT"), ("period", &second.to_string())], Some(&p.fp_it)).await;
        assert_eq!(res.status, StatusCode::CONFLICT);
        // Two periods cannot take submissions at once.
        let res = app.post_form("/api/save_period", &[
            ("name", "2026 H2"), ("starts_on", "2026-07-01"), ("ends_on", "2026-12-31"), ("opens_on", &day(0)), ("closes_on", &day(5)),
        ], Some(&p.admin)).await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    }

    async fn every_change_to_an_entry_is_kept_with_who_and_old_and_new(t) {
        let app = t.app();
        let p = people(&t, &app).await;
        let period = app.open_period(&p.admin, "2026 H1", "2026-01-01", "2026-06-30").await;
        save(&app, &p.fp_it, &full_report("IT", period, 0, "save")).await;
        let mut form = full_report("IT", period, 1, "save");
        set(&mut form, "entries[0][status]", "in-progress");
        save(&app, &p.fp_it, &form).await;
        let history = &app.report("IT", period, Some(&p.fp_it)).await.json()["entries"][0]["history"];
        let latest = &history[0];
        assert_eq!(latest["field"], "status");
        // Stored as codes; the page shows the labels ("Planned" → "In progress").
        assert_eq!(latest["old"], "planned");
        assert_eq!(latest["new"], "in-progress");
        assert_eq!(latest["by"], "focal-point fp-it@example.org");
        assert_eq!(latest["version"], 2);
        // An unchanged save writes no history.
        let n = history_count(&t).await;
        let res = save(&app, &p.fp_it, &{ let mut f = form.clone(); set(&mut f, "version", "2"); f }).await;
        assert_eq!(res.status, StatusCode::OK, "{}", res.body);
        assert_eq!(res.json()["version"], 3);
        assert_eq!(history_count(&t).await, n);
    }

    async fn changing_an_indicator_does_not_rewrite_past_reports(t) {
        let app = t.app();
        let p = people(&t, &app).await;
        let period = app.open_period(&p.admin, "2026 H1", "2026-01-01", "2026-06-30").await;
        let res = app.post_form("/api/save_indicator", &[
            ("recommendation", "1"), ("name", "Screening volume"), ("kind", "number"), ("unit", "tests"), ("min", "0"),
        ], Some(&p.admin)).await;
        let id = res.body.clone();
        let mut form = full_report("IT", period, 0, "submit");
        set(&mut form, "entries[0][indicators][0][id]", &id);
        set(&mut form, "entries[0][indicators][0][value]", "1200");
        save(&app, &p.fp_it, &form).await;
        let version = app.version(&p.admin, "IT", period).await;
        app.post_form("/api/review_report", &[
            ("country", "IT"), ("period", &period.to_string()), ("version", &version.to_string()), ("decision", "approve"),
        ], Some(&p.admin)).await;
        let res = app.post_form("/api/save_indicator", &[
            ("id", &id), ("recommendation", "1"), ("name", "Screening volume (thousands)"), ("kind", "number"), ("unit", "thousand tests"),
        ], Some(&p.admin)).await;
        assert_eq!(res.status, StatusCode::OK, "{}", res.body);
        let published = app.get("/api/v1/progress?country=IT").await.json();
        assert_eq!(published[0]["indicators"][0]["name"], "Screening volume");
        assert_eq!(published[0]["indicators"][0]["unit"], "tests");
        assert_eq!(published[0]["indicators"][0]["value"], "1200");
    }

    async fn the_board_counts_reports_by_state_and_filters_eu27(t) {
        let app = t.app();
        let p = people(&t, &app).await;
        let period = app.open_period(&p.admin, "2026 H1", "2026-01-01", "2026-06-30").await;
        save(&app, &p.fp_it, &full_report("IT", period, 0, "submit")).await;
        save(&app, &p.fp_fr, &full_report("FR", period, 0, "save")).await;
        let board = app.post_form("/api/get_board", &[("period", &period.to_string())], Some(&p.viewer)).await.json();
        assert_eq!(board["rows"].as_array().unwrap().len(), 53);
        assert_eq!(board["counts"][0], serde_json::json!(["Not started", 51]));
        assert_eq!(board["counts"][1], serde_json::json!(["Draft", 1]));
        assert_eq!(board["counts"][2], serde_json::json!(["Submitted", 1]));
        let italy = board["rows"].as_array().unwrap().iter().find(|r| r["iso2"] == "IT").unwrap().clone();
        assert!(italy["submitted_at"].is_string());
        let eu = app.post_form("/api/get_board", &[("period", &period.to_string()), ("group", "eu27")], Some(&p.admin)).await.json();
        assert_eq!(eu["rows"].as_array().unwrap().len(), 27);
        let non_eu = app.post_form("/api/get_board", &[("period", &period.to_string()), ("group", "non-eu")], Some(&p.admin)).await.json();
        assert_eq!(non_eu["rows"].as_array().unwrap().len(), 26);
        let page = app.get_as(&format!("/admin/periods/{period}?group=eu27"), Some(&p.viewer)).await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(page.body.contains("27 countries"));
        assert!(page.body.contains(&format!("href=\"/report/IT/{period}\"")), "a submitted report is linked for viewers");
        assert!(!page.body.contains(&format!("href=\"/report/FR/{period}\"")), "a draft they may not open is not");
        let admin_page = app.get_as(&format!("/admin/periods/{period}?group=eu27"), Some(&p.admin)).await;
        assert!(admin_page.body.contains(&format!("href=\"/report/FR/{period}\"")));
        let periods = app.get("/api/v1/periods").await.json();
        assert_eq!(periods[0]["name"], "2026 H1");
        assert_eq!(periods[0]["submissions"], "open");
    }

    async fn without_javascript_a_refused_submit_marks_each_missing_field(t) {
        let app = t.app();
        let p = people(&t, &app).await;
        let period = app.open_period(&p.admin, "2026 H1", "2026-01-01", "2026-06-30").await;
        // A plain-form "Submit" of an incomplete report comes back as `?incomplete=1`.
        let page = app.get_as(&format!("/report/IT/{period}?incomplete=1"), Some(&p.fp_it)).await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(page.body.contains("Still missing before you can submit"));
        assert!(page.body.contains("id=\"f-entries-0-status-error\""), "the message is at the field too");
        assert!(page.body.contains("id=\"f-entries-6-status-error\""));
        let page = app.get_as(&format!("/report/IT/{period}"), Some(&p.fp_it)).await;
        assert!(page.body.contains("Still missing before you can submit"));
        assert!(!page.body.contains("f-entries-0-status-error"), "no field errors before a submit was tried");
    }

    async fn the_report_form_island_gets_its_rules_and_the_refused_saves_errors_as_json_props(t) {
        let app = t.app();
        let p = people(&t, &app).await;
        let period = app.open_period(&p.admin, "2026 H1", "2026-01-01", "2026-06-30").await;
        let page = app.get_as(&format!("/report/IT/{period}"), Some(&p.fp_it)).await;
        assert_eq!(page.status, StatusCode::OK);
        // The page loads the islands bundle, once.
        assert_eq!(page.body.matches("<script type=\"module\"").count(), 1);
        assert!(page.body.contains("hydrateIslands"));
        assert_eq!(page.body.matches("rel=\"modulepreload\"").count(), 1);
        let props = island_props(&page.body, "ReportFormEnhancer");
        let checks: FormChecks = serde_json::from_value(props["checks"].clone()).unwrap();
        assert_eq!(checks.today, day(1), "the latest \"as of\" date: tomorrow in UTC");
        assert_eq!(props["server_errors"], serde_json::json!([]));
        assert_eq!(props["start_unsaved"], false);
        // The island's rules are the server's: a link the server refuses is refused.
        assert!(checks.check("entries[0][evidence]", "www example").is_some());

        // A refused plain-form save comes back with its errors in the URL; the island gets
        // them, and the values typed count as unsaved.
        let mut form = full_report("IT", period, 0, "save");
        set(&mut form, "entries[2][evidence]", "not a link");
        let body: String = support::serde_urlencoded(&pairs(&form));
        let req = axum::http::Request::post("/api/save_report")
            .header("host", "localhost")
            .header("accept", "text/html")
            .header("referer", format!("http://localhost/report/IT/{period}"))
            .header("content-type", "application/x-www-form-urlencoded")
            .header("cookie", &p.fp_it)
            .header("sec-fetch-site", "same-origin")
            .body(axum::body::Body::from(body))
            .unwrap();
        let res = app.send(req).await;
        assert_eq!(res.status, StatusCode::FOUND, "{}", res.body);
        // Back to the form; the refusal travels in the session, never in the URL.
        let location = res.header("location").unwrap();
        assert_eq!(location, format!("/report/IT/{period}"));
        let page = app.get_as(&location, Some(&p.fp_it)).await;
        let props = island_props(&page.body, "ReportFormEnhancer");
        let errors: Vec<FieldError> = serde_json::from_value(props["server_errors"].clone()).unwrap();
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert_eq!(errors[0].field, "entries[2][evidence]");
        assert_eq!(props["start_unsaved"], true);
        assert!(page.body.contains("id=\"f-entries-2-evidence-error\""), "the server shows it at the field too");
    }
}

/// The JSON props of the first island named `name` in a server-rendered page.
fn island_props(html: &str, name: &str) -> serde_json::Value {
    let start = html
        // Leptos names an island's component `{name}_{hash of its source}`.
        .find(&format!("data-component=\"{name}_"))
        .unwrap_or_else(|| panic!("no {name} island in the page"));
    let rest = &html[start..];
    let props = rest.split("data-props=\"").nth(1).expect("island props");
    let props = &props[..props.find('"').expect("end of the attribute")];
    let json = props
        .replace("&quot;", "\"")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&#x27;", "'")
        .replace("&amp;", "&");
    serde_json::from_str(&json).expect("island props are JSON")
}

both_engines! {
    async fn no_cell_of_the_public_csvs_starts_a_formula(t) {
        let app = t.app();
        let p = people(&t, &app).await;
        let period = app.open_period(&p.admin, "2026 H1", "2026-01-01", "2026-06-30").await;
        let mut form = full_report("IT", period, 0, "submit");
        set(&mut form, "entries[0][narrative]", "=HYPERLINK(\"https://evil.example\",\"Click\")");
        set(&mut form, "entries[1][narrative]", "@SUM(1+1)");
        let res = save(&app, &p.fp_it, &form).await;
        assert_eq!(res.json()["state"], "submitted", "{}", res.body);
        let version = res.json()["version"].as_i64().unwrap();
        let res = app.post_form("/api/review_report", &[
            ("country", "IT"), ("period", &period.to_string()), ("version", &version.to_string()), ("decision", "approve"),
        ], Some(&p.admin)).await;
        assert_eq!(res.status, StatusCode::OK, "{}", res.body);

        let csv = app.get("/api/v1/progress.csv?country=IT").await;
        let mut records = 0;
        for record in csv::Reader::from_reader(csv.body.as_bytes()).records() {
            records += 1;
            for field in record.unwrap().iter() {
                assert!(!field.starts_with(['=', '+', '@', '\t', '\r']), "{field:?}");
                assert!(!field.starts_with('-') || field.parse::<f64>().is_ok(), "{field:?}");
            }
        }
        assert_eq!(records, 7);
        assert!(csv.body.contains("'=HYPERLINK") && csv.body.contains("'@SUM"), "the text kept, neutralised: {}", csv.body);
        // What an admin types, in the other open-data CSVs too.
        let res = app.post_form("/api/save_period", &[("name", "=1+1"), ("starts_on", "2027-01-01"),
            ("ends_on", "2027-06-30"), ("opens_on", "2027-07-01"), ("closes_on", "2027-08-01")], Some(&p.admin)).await;
        assert_eq!(res.status, StatusCode::OK, "{}", res.body);
        let periods = app.get("/api/v1/periods.csv").await;
        assert!(periods.body.contains("'=1+1"), "{}", periods.body);
    }
}

both_engines! {
    async fn a_save_racing_a_period_close_writes_nothing_into_the_closed_period(t) {
        let app = t.app();
        let p = people(&t, &app).await;
        let period = app.open_period(&p.admin, "2026 H1", "2026-01-01", "2026-06-30").await;
        // What closing does, held open: SQLite's write lock, PostgreSQL's admin lock.
        let mut close = t.db.begin().await.unwrap();
        t.db.serialize_admin_changes(&mut close).await.unwrap();
        sqlx::query("UPDATE reporting_periods SET closed_at = $1 WHERE id = $2")
            .bind(app::clock::now())
            .bind(period)
            .execute(&mut *close)
            .await
            .unwrap();
        let saving = tokio::spawn({
            let (app, cookie, form) = (app.clone(), p.fp_it.clone(), full_report("IT", period, 0, "save"));
            async move { app.post_form("/api/save_report", &pairs(&form), Some(&cookie)).await }
        });
        tokio::time::sleep(std::time::Duration::from_millis(300)).await;
        close.commit().await.unwrap();
        let res = saving.await.unwrap();
        assert_eq!(res.status, StatusCode::CONFLICT, "{}", res.body);
        assert!(res.body.contains("closed"), "{}", res.body);
        let (reports,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM reports").fetch_one(&t.db.pool).await.unwrap();
        assert_eq!(reports, 0, "no report written into the closed period");
    }
}

both_engines! {
    async fn control_characters_and_oversized_forms_are_refused_alike_on_both_engines(t) {
        let app = t.app();
        let p = people(&t, &app).await;
        let period = app.open_period(&p.admin, "2026 H1", "2026-01-01", "2026-06-30").await;
        let before = t.fingerprint().await;
        let mut form = full_report("IT", period, 0, "save");
        set(&mut form, "entries[0][narrative]", "Agreed\u{0} in May");
        let res = save(&app, &p.fp_it, &form).await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", res.body);
        assert!(res.body.contains("\"field\":\"entries[0][narrative]\""), "{}", res.body);
        let res = app.post_form("/api/save_period", &[("name", "H\u{7}2"), ("starts_on", "2027-01-01"),
            ("ends_on", "2027-06-30"), ("opens_on", "2027-07-01"), ("closes_on", "2027-08-01")], Some(&p.admin)).await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", res.body);
        assert!(res.body.contains("\"field\":\"name\""), "{}", res.body);
        // A huge evidence field: refused at once, at the field.
        let links: String = (0..40_000).map(|i| format!("https://e.example/{i}\n")).collect();
        set(&mut form, "entries[0][narrative]", "Agreed in May");
        set(&mut form, "entries[0][evidence]", &links);
        let res = save(&app, &p.fp_it, &form).await;
        assert_eq!(res.status, StatusCode::PAYLOAD_TOO_LARGE, "over the report's 1 MB: {}", res.body);
        let links: String = (0..800).map(|i| format!("https://e.example/{i}\n")).collect();
        set(&mut form, "entries[0][evidence]", &links);
        let res = save(&app, &p.fp_it, &form).await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", res.body);
        assert!(res.body.contains("\"field\":\"entries[0][evidence]\""), "{}", res.body);
        // Any other form: a few hundred KB.
        let big = "x".repeat(300 * 1024);
        let res = app.post_form("/api/save_period", &[("name", big.as_str())], Some(&p.admin)).await;
        assert_eq!(res.status, StatusCode::PAYLOAD_TOO_LARGE);
        assert_eq!(t.fingerprint().await, before, "nothing written");
        // Line breaks and tabs are text.
        set(&mut form, "entries[0][evidence]", "");
        set(&mut form, "entries[0][narrative]", "Agreed\n\tin May");
        assert_eq!(save(&app, &p.fp_it, &form).await.status, StatusCode::OK);
    }
}

both_engines! {
    async fn an_as_of_date_of_tomorrow_in_utc_is_accepted_for_people_east_of_utc(t) {
        let app = t.app();
        let p = people(&t, &app).await;
        let period = app.open_period(&p.admin, "2026 H1", "2026-01-01", "2026-06-30").await;
        let mut form = full_report("IT", period, 0, "save");
        // Just after midnight in Rome, UTC still says yesterday.
        set(&mut form, "entries[5][as_of]", &day(2));
        let res = save(&app, &p.fp_it, &form).await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "the day after tomorrow is the future everywhere: {}", res.body);
        assert!(res.body.contains("entries[5][as_of]"), "{}", res.body);
        set(&mut form, "entries[5][as_of]", &day(1));
        let res = save(&app, &p.fp_it, &form).await;
        assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    }
}
