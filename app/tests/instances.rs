#![cfg(feature = "ssr")]
//! Two app instances behind one PostgreSQL database behave as one service (issue 14): each
//! instance has a pool and a router of its own (as two servers behind a load balancer would),
//! and nothing but the database connects them. A session made on one is valid on the other and
//! ends on both; the sign-in throttle counts the failures seen by both; a report saved from
//! both at once is saved once; an invitation answered on both at once counts once.
//!
//! PostgreSQL only: the engine that several servers can share.

mod support;

use app::caller::{CurrentUser, Role};
use app::context::Settings;
use app::db::Engine;
use app::surveys::model::SurveyStatus;
use app::surveys::{repo, service};
use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use support::{full_report, pairs, set, within_limit, TestApp, TestDb, TestResponse, PASSWORD};

/// Instance A ([`TestDb::app`], on the test's own pool) and instance B (a second pool and
/// router on the same database), both with `settings`.
async fn two_instances(t: &TestDb, settings: fn() -> Settings) -> (TestApp, TestApp) {
    (
        t.app_with(settings()),
        t.second_instance_with(settings()).await,
    )
}

async fn count(t: &TestDb, sql: &str) -> i64 {
    let (n,): (i64,) = sqlx::query_as(sql).fetch_one(&t.db.pool).await.unwrap();
    n
}

async fn audit_actions(t: &TestDb) -> Vec<String> {
    let rows: Vec<(String,)> = sqlx::query_as("SELECT action FROM audit_log ORDER BY id")
        .fetch_all(&t.db.pool)
        .await
        .unwrap();
    rows.into_iter().map(|r| r.0).collect()
}

// Sessions.

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_session_made_on_one_instance_is_valid_on_the_other_and_signing_out_ends_it_on_both() {
    within_limit(async {
        let t = TestDb::new(Engine::Postgres).await;
        t.user("anna@example.org", "viewer", &[]).await;
        t.user("admin@example.org", "admin", &[]).await;
        let (a, b) = two_instances(&t, Settings::default).await;

        // Signed in on A: B knows who it is, and so does A.
        let anna = a.login("anna@example.org", PASSWORD).await;
        assert_eq!(
            b.whoami(Some(&anna)).await.as_deref(),
            Some("anna@example.org")
        );
        assert_eq!(
            a.whoami(Some(&anna)).await.as_deref(),
            Some("anna@example.org")
        );
        // And the other way round, with a role that opens an admin page.
        let admin = b.login("admin@example.org", PASSWORD).await;
        assert_eq!(
            a.whoami(Some(&admin)).await.as_deref(),
            Some("admin@example.org")
        );
        let page = a.get_as("/admin/users", Some(&admin)).await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.body);
        assert!(page.body.contains("Invite a user"), "{}", page.body);

        // Signed out on B: the session is over on A too (and on B), the cookie is worthless.
        let res = b.post_form("/api/logout", &[], Some(&anna)).await;
        assert_eq!(res.status, StatusCode::OK, "{}", res.body);
        assert_eq!(
            a.whoami(Some(&anna)).await,
            None,
            "signed out on B, still signed in on A"
        );
        assert_eq!(b.whoami(Some(&anna)).await, None);
        assert_eq!(
            count(
                &t,
                "SELECT COUNT(*) FROM audit_log WHERE action = 'sign-out'"
            )
            .await,
            1
        );
        // The admin's session, made on B, is untouched on both; signed out on A, it ends on B.
        assert_eq!(
            a.whoami(Some(&admin)).await.as_deref(),
            Some("admin@example.org")
        );
        let res = a.post_form("/api/logout", &[], Some(&admin)).await;
        assert_eq!(res.status, StatusCode::OK, "{}", res.body);
        assert_eq!(
            b.whoami(Some(&admin)).await,
            None,
            "signed out on A, still signed in on B"
        );
        let page = b.get_as("/admin/users", Some(&admin)).await;
        assert!(
            !page.body.contains("Invite a user"),
            "the admin page after sign-out"
        );
    })
    .await;
}

// The sign-in throttle.

/// The load balancer in front of both instances.
const PROXY: [u8; 4] = [10, 0, 0, 2];

/// Settings trusting the load balancer (`10.0.0.0/8`), as both instances would have.
fn behind_proxy() -> Settings {
    Settings {
        trusted_proxies: vec!["10.0.0.0/8".parse().unwrap()],
        ..Default::default()
    }
}

/// A script's sign-in from `client`, as the load balancer passes it on (peer `PROXY`,
/// `X-Forwarded-For: client`).
fn login_via(client: &str, email: &str, password: &str) -> Request<Body> {
    let body = support::serde_urlencoded(&[("email", email), ("password", password)]);
    let mut req = Request::post("/api/login")
        .header(header::HOST, "localhost")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header("x-forwarded-for", client)
        .body(Body::from(body))
        .unwrap();
    req.extensions_mut()
        .insert(axum::extract::ConnectInfo(std::net::SocketAddr::from((
            PROXY, 44321,
        ))));
    req
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn wrong_passwords_alternated_between_instances_lock_the_address_out_of_the_account() {
    within_limit(async {
        let t = TestDb::new(Engine::Postgres).await;
        t.user("anna@example.org", "viewer", &[]).await;
        let (a, b) = two_instances(&t, behind_proxy).await;
        // Five wrong passwords from one address, A, B, A, B, A: A saw three, B two, each under
        // the limit of five on its own.
        for i in 0..5 {
            let app = if i % 2 == 0 { &a } else { &b };
            let res = app
                .send(login_via(
                    "203.0.113.7",
                    "anna@example.org",
                    "a wrong guess",
                ))
                .await;
            assert_eq!(res.status, StatusCode::CONFLICT, "guess {i}: {}", res.body);
        }
        // That address is now locked out of that account on both, right password included:
        // first on B, which saw only two of the failures.
        for app in [&b, &a, &b] {
            let res = app
                .send(login_via("203.0.113.7", "anna@example.org", PASSWORD))
                .await;
            assert_eq!(res.status, StatusCode::TOO_MANY_REQUESTS, "{}", res.body);
            assert!(
                res.body
                    .contains("Too many failed sign-in attempts. Wait 15 minutes"),
                "{}",
                res.body
            );
            assert!(res.session_cookie().is_none());
        }
        // The log shows the burst as one instance would: five failures, the lock once, the
        // refusals once.
        let actions = audit_actions(&t).await;
        let n = |name: &str| actions.iter().filter(|a| *a == name).count();
        assert_eq!(
            (
                n("sign-in-failed"),
                n("sign-in-locked"),
                n("sign-in-throttled")
            ),
            (5, 1, 1),
            "{actions:?}"
        );
        // The owner elsewhere is only made to wait the account's short delay.
        tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
        let res = b
            .send(login_via("198.51.100.1", "anna@example.org", PASSWORD))
            .await;
        assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn failures_on_both_instances_make_the_account_wait_on_both() {
    within_limit(async {
        let t = TestDb::new(Engine::Postgres).await;
        t.user("anna@example.org", "viewer", &[]).await;
        let (a, b) = two_instances(&t, behind_proxy).await;
        // Five failures from five addresses (no address is locked), A, B, A, B, A.
        for i in 0..5 {
            let app = if i % 2 == 0 { &a } else { &b };
            let res = app
                .send(login_via(
                    &format!("192.0.2.{}", i + 1),
                    "anna@example.org",
                    "a wrong guess",
                ))
                .await;
            assert_eq!(res.status, StatusCode::CONFLICT, "guess {i}: {}", res.body);
        }
        // Five failures: the next attempt waits 1 s after the last. Once it has passed, B takes
        // a sixth guess; now the account waits 2 s...
        tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
        let res = b
            .send(login_via("192.0.2.6", "anna@example.org", "a wrong guess"))
            .await;
        assert_eq!(
            res.status,
            StatusCode::CONFLICT,
            "the 1 s wait is over: {}",
            res.body
        );
        // ...on A too, which saw three of the six failures (under the five that start the
        // delay), right password or not, and the wait writes nothing.
        let before = t.fingerprint().await;
        let res = a
            .send(login_via("198.51.100.1", "anna@example.org", PASSWORD))
            .await;
        assert_eq!(res.status, StatusCode::TOO_MANY_REQUESTS, "{}", res.body);
        assert!(
            res.body.contains("for this account. Wait"),
            "the account's delay: {}",
            res.body
        );
        assert!(res.session_cookie().is_none());
        assert_eq!(t.fingerprint().await, before, "a wait writes nothing");
        // Once the wait has passed, the right password works on A.
        tokio::time::sleep(std::time::Duration::from_millis(2100)).await;
        let res = a
            .send(login_via("198.51.100.1", "anna@example.org", PASSWORD))
            .await;
        assert_eq!(res.status, StatusCode::OK, "{}", res.body);
        let actions = audit_actions(&t).await;
        let n = |name: &str| actions.iter().filter(|a| *a == name).count();
        assert_eq!(
            (n("sign-in-failed"), n("sign-in-slowed"), n("sign-in")),
            (6, 1, 1),
            "{actions:?}"
        );
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn failures_from_one_address_seen_by_one_instance_stop_that_address_on_the_other() {
    within_limit(async {
        let t = TestDb::new(Engine::Postgres).await;
        t.user("anna@example.org", "viewer", &[]).await;
        let (a, b) = two_instances(&t, behind_proxy).await;
        // Password spraying: thirty accounts from one address, all through A.
        for i in 0..30 {
            let res = a
                .send(login_via(
                    "203.0.113.7",
                    &format!("user{i}@example.org"),
                    "a guessed password",
                ))
                .await;
            assert_eq!(res.status, StatusCode::CONFLICT, "guess {i}: {}", res.body);
        }
        // B, which saw none of them, stops the 31st from that address, whatever the account.
        let res = b
            .send(login_via("203.0.113.7", "anna@example.org", PASSWORD))
            .await;
        assert_eq!(res.status, StatusCode::TOO_MANY_REQUESTS, "{}", res.body);
        assert!(
            res.body
                .contains("Too many failed sign-in attempts. Wait 15 minutes"),
            "{}",
            res.body
        );
        let res = a
            .send(login_via(
                "203.0.113.7",
                "user99@example.org",
                "a guessed password",
            ))
            .await;
        assert_eq!(res.status, StatusCode::TOO_MANY_REQUESTS, "{}", res.body);
        // Another address is not held, on either.
        let res = b
            .send(login_via("198.51.100.1", "anna@example.org", PASSWORD))
            .await;
        assert_eq!(res.status, StatusCode::OK, "{}", res.body);
        assert_eq!(
            count(
                &t,
                "SELECT COUNT(*) FROM audit_log WHERE action = 'sign-in-failed'"
            )
            .await,
            30
        );
    })
    .await;
}

// Saving a report.

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_same_report_saved_on_both_instances_at_once_is_saved_once() {
    within_limit(async {
        let t = TestDb::new(Engine::Postgres).await;
        t.user("admin@example.org", "admin", &[]).await;
        t.user("fp-it@example.org", "focal-point", &["IT"]).await;
        t.user("fp-it-2@example.org", "focal-point", &["IT"]).await;
        let (a, b) = two_instances(&t, Settings::default).await;
        let admin = a.login("admin@example.org", PASSWORD).await;
        let on_a = a.login("fp-it-2@example.org", PASSWORD).await;
        let on_b = b.login("fp-it@example.org", PASSWORD).await;
        let period = a
            .open_period(&admin, "2026 H1", "2026-01-01", "2026-06-30")
            .await;

        // Each round, both open the report at the same version and save it at once, one
        // through each instance: one save goes through, the other is told of the conflict.
        for round in 0..11 {
            let base = if round == 0 {
                0 // The report's very first save: both would start it.
            } else {
                b.version(&admin, "IT", period).await
            };
            let mut mine = full_report("IT", period, base, "save");
            set(
                &mut mine,
                "entries[0][narrative]",
                &format!("Saved on A in round {round}."),
            );
            let mut theirs = full_report("IT", period, base, "save");
            set(
                &mut theirs,
                "entries[0][narrative]",
                &format!("Saved on B in round {round}."),
            );
            let (mine, theirs) = (pairs(&mine), pairs(&theirs));
            let (ra, rb) = tokio::join!(
                a.post_form("/api/save_report", &mine, Some(&on_a)),
                b.post_form("/api/save_report", &theirs, Some(&on_b)),
            );
            let (won, lost, winner): (&TestResponse, &TestResponse, &str) =
                match (ra.status, rb.status) {
                    (StatusCode::OK, StatusCode::CONFLICT) => (&ra, &rb, "A"),
                    (StatusCode::CONFLICT, StatusCode::OK) => (&rb, &ra, "B"),
                    _ => panic!(
                        "round {round}: one success and one conflict, not {} {} / {} {}",
                        ra.status, ra.body, rb.status, rb.body
                    ),
                };
            assert_eq!(
                won.json()["version"],
                base + 1,
                "round {round}: {}",
                won.body
            );
            assert!(
                lost.body.contains("Conflict"),
                "round {round}: {}",
                lost.body
            );
            // Read back on both instances: one version more, the winner's text.
            for app in [&a, &b] {
                assert_eq!(
                    app.version(&admin, "IT", period).await,
                    base + 1,
                    "round {round}"
                );
                let view = app.report("IT", period, Some(&admin)).await.json();
                assert_eq!(
                    view["entries"][0]["values"]["narrative"],
                    format!("Saved on {winner} in round {round}."),
                    "round {round}"
                );
            }
        }
        assert_eq!(count(&t, "SELECT COUNT(*) FROM reports").await, 1);
        assert_eq!(
            count(&t, "SELECT version FROM reports").await,
            11,
            "one version per round"
        );
        // The narrative's history: one change per round, none from a refused save.
        assert_eq!(
            count(
                &t,
                "SELECT COUNT(*) FROM entry_history h JOIN report_entries e ON e.id = h.entry_id \
                 WHERE e.recommendation_number = 1 AND h.field = 'narrative'"
            )
            .await,
            11
        );
    })
    .await;
}

// Answering a survey.

fn admin(id: i64) -> CurrentUser {
    CurrentUser {
        id,
        email: "admin@example.org".into(),
        display_name: "Admin".into(),
        role: Role::Admin,
        countries: vec![],
    }
}

async fn post(app: &TestApp, token: &str, form: &[(&str, &str)]) -> TestResponse {
    app.post_form(&format!("/s/{token}/answers"), form, None)
        .await
}

fn location(res: &TestResponse) -> String {
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    res.header("location").unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_invitation_answered_on_both_instances_at_once_counts_once() {
    within_limit(async {
        let t = TestDb::new(Engine::Postgres).await;
        // The demo's closed survey, opened.
        let a_user = admin(t.user("admin@example.org", "admin", &[]).await);
        let id = service::create(&t.db, &a_user, "test", "Test survey", "en")
            .await
            .unwrap();
        let version = repo::get(&mut t.db.conn().await.unwrap(), id)
            .await
            .unwrap()
            .version;
        service::edit(&t.db, &a_user, "test", id, version, "questions", |d| {
            *d = app::demo::surveys::closed_survey();
            Ok(())
        })
        .await
        .unwrap();
        service::set_status(&t.db, &a_user, "test", id, SurveyStatus::Open)
            .await
            .unwrap();
        let (a, b) = two_instances(&t, Settings::default).await;

        const ROUNDS: i64 = 6;
        for round in 0..ROUNDS {
            let member = t
                .user(&format!("member{round}@example.org"), "member", &[])
                .await;
            service::invite(&t.db, &a_user, "test", id, &[member])
                .await
                .unwrap();
            let token = repo::invitations(&mut t.db.conn().await.unwrap(), id)
                .await
                .unwrap()
                .into_iter()
                .find(|i| i.user_id == member)
                .unwrap()
                .token;
            // The answers are given through both instances (the draft is in the database)...
            location(&post(&a, &token, &[("_action", "start"), ("_lang", "en")]).await);
            location(
                &post(
                    &b,
                    &token,
                    &[
                        ("_action", "next"),
                        ("_section", "0"),
                        ("_shown", "B1"),
                        ("q.B1", "no"),
                    ],
                )
                .await,
            );
            location(
                &post(
                    &a,
                    &token,
                    &[
                        ("_action", "next"),
                        ("_section", "1"),
                        ("_shown", "W1,W2,W3"),
                        ("q.W2", "5"),
                    ],
                )
                .await,
            );
            // ...and submitted on both at once (a double click that two servers received).
            let (ra, rb) = tokio::join!(
                post(&a, &token, &[("_action", "submit")]),
                post(&b, &token, &[("_action", "submit")]),
            );
            let (la, lb) = (location(&ra), location(&rb));
            let copies = [&la, &lb]
                .iter()
                .filter(|l| l.starts_with("/s/copy/"))
                .count();
            assert_eq!(
                copies, 1,
                "round {round}: one submission went through: {la} {lb}"
            );
            // The other is sent back to the link, which says it has been used.
            let back = if la.starts_with("/s/copy/") { &lb } else { &la };
            assert_eq!(*back, format!("/s/{token}"), "round {round}");
            for app in [&a, &b] {
                let page = app.get(&format!("/s/{token}")).await;
                assert!(
                    page.body.contains("already been used"),
                    "round {round}: {}",
                    page.body
                );
            }
            let answered = count(
                &t,
                &format!(
                    "SELECT COUNT(*) FROM survey_invitations \
                     WHERE user_id = {member} AND answered_on IS NOT NULL"
                ),
            )
            .await;
            assert_eq!(answered, 1, "round {round}: the invitation is answered");
            assert_eq!(
                count(
                    &t,
                    &format!("SELECT COUNT(*) FROM survey_responses WHERE user_id = {member}")
                )
                .await,
                1,
                "round {round}: one response"
            );
        }
        assert_eq!(
            count(&t, "SELECT COUNT(*) FROM survey_responses").await,
            ROUNDS
        );
        assert_eq!(count(&t, "SELECT COUNT(*) FROM survey_drafts").await, 0);
        assert_eq!(
            count(
                &t,
                "SELECT COUNT(*) FROM survey_invitations WHERE answered_on IS NOT NULL"
            )
            .await,
            ROUNDS
        );
    })
    .await;
}
