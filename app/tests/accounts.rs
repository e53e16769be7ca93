#![cfg(feature = "ssr")]
//! Signing in and out, sessions, single-use links, user administration, the audit log.

mod support;

use app::context::Settings;
use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use support::{TestDb, PASSWORD};

/// The token at the end of the link shown once on the user's admin page.
async fn link_shown_to_admin(app: &support::TestApp, admin: &str, user_id: i64) -> String {
    let res = app
        .post_form(
            "/api/get_user",
            &[("id", &user_id.to_string())],
            Some(admin),
        )
        .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    let url = res.json()["new_link"]["url"]
        .as_str()
        .expect("a new link")
        .to_string();
    url.rsplit('/').next().unwrap().to_string()
}

/// The load balancer of the tests that run behind one.
const PROXY: [u8; 4] = [10, 0, 0, 2];

/// Settings trusting the tests' load balancers (`10.0.0.0/8`).
fn behind_proxy() -> Settings {
    Settings {
        trusted_proxies: vec!["10.0.0.0/8".parse().unwrap()],
        ..Default::default()
    }
}

/// A script's sign-in arriving from the socket address `peer` (as `axum::serve` records it)
/// with `X-Forwarded-For: forwarded`.
fn login_via(peer: [u8; 4], forwarded: &str, email: &str, password: &str) -> Request<Body> {
    let body = support::serde_urlencoded(&[("email", email), ("password", password)]);
    let mut req = Request::post("/api/login")
        .header(header::HOST, "localhost")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header("x-forwarded-for", forwarded)
        .body(Body::from(body))
        .unwrap();
    req.extensions_mut()
        .insert(axum::extract::ConnectInfo(std::net::SocketAddr::from((
            peer, 44321,
        ))));
    req
}

async fn audit_actions(t: &TestDb) -> Vec<String> {
    let rows: Vec<(String,)> = sqlx::query_as("SELECT action FROM audit_log ORDER BY id")
        .fetch_all(&t.db.pool)
        .await
        .unwrap();
    rows.into_iter().map(|r| r.0).collect()
}

both_engines! {
    async fn signing_in_sets_a_hardened_cookie_and_the_caller(t) {
        t.user("anna@example.org", "viewer", &[]).await;
        let app = t.app();
        let res = app.post_form("/api/login", &[("email", " Anna@Example.ORG "), ("password", PASSWORD)], None).await;
        assert_eq!(res.status, StatusCode::OK, "{}", res.body);
        let set_cookie = res.header("set-cookie").unwrap();
        assert!(set_cookie.starts_with("rt_session="));
        assert!(set_cookie.contains("HttpOnly"));
        assert!(set_cookie.contains("SameSite=Lax"));
        assert!(!set_cookie.contains("Secure"));
        let cookie = res.session_cookie().unwrap();
        assert_eq!(app.whoami(Some(&cookie)).await.as_deref(), Some("anna@example.org"));
        assert_eq!(app.whoami(None).await, None);
        assert_eq!(audit_actions(&t).await.last().map(String::as_str), Some("sign-in"));

        let secure = t.app_with(Settings { public_url: "https://tracker.example.eu".parse().unwrap(), ..Default::default() });
        let res = secure.post_form("/api/login", &[("email", "anna@example.org"), ("password", PASSWORD)], None).await;
        assert!(res.header("set-cookie").unwrap().contains("Secure"));
    }

    async fn a_plain_form_sign_in_redirects_to_the_next_page(t) {
        t.user("anna@example.org", "admin", &[]).await;
        let req = Request::post("/api/login")
            .header(header::HOST, "localhost")
            .header(header::ACCEPT, "text/html")
            .header(header::REFERER, "http://localhost/login?next=/admin/users")
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from(format!("email=anna%40example.org&password={}&next=%2Fadmin%2Fusers", PASSWORD.replace(' ', "+"))))
            .unwrap();
        let res = t.app().send(req).await;
        assert_eq!(res.status, StatusCode::FOUND);
        assert_eq!(res.header("location").as_deref(), Some("/admin/users"));
        let cookie = res.session_cookie().unwrap();
        let page = t.app().get_as("/admin/users", Some(&cookie)).await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(page.body.contains("Invite a user"));
    }

    async fn a_wrong_password_and_an_unknown_email_get_the_same_answer(t) {
        t.user("anna@example.org", "viewer", &[]).await;
        let app = t.app();
        let wrong = app.post_form("/api/login", &[("email", "anna@example.org"), ("password", "not the password")], None).await;
        let unknown = app.post_form("/api/login", &[("email", "nobody@example.org"), ("password", "not the password")], None).await;
        assert_eq!(wrong.status, StatusCode::CONFLICT);
        assert_eq!(wrong.status, unknown.status);
        assert_eq!(wrong.body, unknown.body);
        assert!(wrong.body.contains("email address or password is not right"));
        assert!(wrong.session_cookie().is_none());
        assert_eq!(audit_actions(&t).await.iter().filter(|a| *a == "sign-in-failed").count(), 2);
    }

    async fn repeated_failures_for_one_account_are_throttled(t) {
        t.user("anna@example.org", "viewer", &[]).await;
        let app = t.app();
        for _ in 0..5 {
            let res = app.post_form("/api/login", &[("email", "anna@example.org"), ("password", "guess guess guess")], None).await;
            assert_eq!(res.status, StatusCode::CONFLICT);
        }
        let res = app.post_form("/api/login", &[("email", "anna@example.org"), ("password", PASSWORD)], None).await;
        assert_eq!(res.status, StatusCode::TOO_MANY_REQUESTS, "{}", res.body);
        assert!(res.session_cookie().is_none());
        // Another account from the same address is not locked by these five.
        t.user("ben@example.org", "viewer", &[]).await;
        app.login("ben@example.org", PASSWORD).await;
    }

    async fn guesses_sent_at_once_get_no_more_tries_than_guesses_sent_one_by_one(t) {
        t.user("anna@example.org", "viewer", &[]).await;
        let app = t.app();
        let guesses = (0..12).map(|i| {
            let password = format!("guess number {i:02} of many");
            let app = &app;
            async move {
                app.post_form("/api/login", &[("email", "anna@example.org"), ("password", &password)], None).await.status
            }
        });
        let statuses = futures::future::join_all(guesses).await;
        let checked = statuses.iter().filter(|s| **s == StatusCode::CONFLICT).count();
        let refused = statuses.iter().filter(|s| **s == StatusCode::TOO_MANY_REQUESTS).count();
        assert_eq!(checked + refused, 12, "{statuses:?}");
        // At most five were checked (a burst may even get none checked: each guess counts the
        // ones recorded before it, and all may be recorded before any is counted).
        assert!(checked <= 5, "at most five passwords were checked, not {checked}");
        assert!(refused >= 7);
        let actions = audit_actions(&t).await;
        assert_eq!(actions.iter().filter(|a| *a == "sign-in-failed").count(), checked);
        // Fill the window one by one if the burst did not, then: refusals write one entry for
        // the whole window, not one each.
        for _ in checked..5 {
            let res = app.post_form("/api/login", &[("email", "anna@example.org"), ("password", "one more wrong guess")], None).await;
            assert_eq!(res.status, StatusCode::CONFLICT, "{}", res.body);
        }
        for _ in 0..3 {
            let res = app.post_form("/api/login", &[("email", "anna@example.org"), ("password", PASSWORD)], None).await;
            assert_eq!(res.status, StatusCode::TOO_MANY_REQUESTS);
        }
        let actions = audit_actions(&t).await;
        assert_eq!(actions.iter().filter(|a| *a == "sign-in-throttled").count(), 1, "{actions:?}");
        assert_eq!(actions.iter().filter(|a| *a == "sign-in-locked").count(), 1, "{actions:?}");
        let before = actions.len();
        let res = app.post_form("/api/login", &[("email", "anna@example.org"), ("password", PASSWORD)], None).await;
        assert_eq!(res.status, StatusCode::TOO_MANY_REQUESTS);
        assert_eq!(audit_actions(&t).await.len(), before);
    }

    async fn repeated_failures_from_one_address_are_throttled_across_accounts(t) {
        t.user("anna@example.org", "viewer", &[]).await;
        let app = t.app_with(behind_proxy());
        for i in 0..30 {
            let res = app.send(login_via(PROXY, "203.0.113.7", &format!("user{i}@example.org"), "a guessed password")).await;
            assert_eq!(res.status, StatusCode::CONFLICT);
        }
        assert_eq!(
            app.send(login_via(PROXY, "203.0.113.7", "anna@example.org", PASSWORD)).await.status,
            StatusCode::TOO_MANY_REQUESTS,
            "the 31st attempt from that address waits, whatever the account"
        );
        // The address our proxy appended counts, not what the client wrote before it.
        assert_eq!(
            app.send(login_via(PROXY, "198.51.100.1, 203.0.113.7", "anna@example.org", PASSWORD)).await.status,
            StatusCode::TOO_MANY_REQUESTS
        );
        assert_eq!(app.send(login_via(PROXY, "198.51.100.1", "anna@example.org", PASSWORD)).await.status, StatusCode::OK);
    }

    async fn only_trusted_proxies_name_the_client_and_ipv6_counts_per_64(t) {
        t.user("anna@example.org", "viewer", &[]).await;
        let app = t.app_with(behind_proxy());
        // 30 failures (the per-address limit, across accounts) from 30 addresses of one /64.
        for i in 0..30 {
            let res = app.send(login_via(PROXY, &format!("2001:db8:1:2::{:x}", i + 1), &format!("user{i}@example.org"), "a wrong guess")).await;
            assert_eq!(res.status, StatusCode::CONFLICT, "{}", res.body);
        }
        // Another address of the same /64 is the same address for throttling...
        let res = app.send(login_via(PROXY, "2001:db8:1:2::ffff", "anna@example.org", PASSWORD)).await;
        assert_eq!(res.status, StatusCode::TOO_MANY_REQUESTS, "{}", res.body);
        // ...the next /64 is not.
        let res = app.send(login_via(PROXY, "2001:db8:1:3::1", "anna@example.org", PASSWORD)).await;
        assert_eq!(res.status, StatusCode::OK, "{}", res.body);
        // A peer that is not a trusted proxy names no one: its header is ignored, the audit
        // log records the peer itself.
        let res = app.send(login_via([192, 0, 2, 50], "198.51.100.9", "nobody@example.org", "a wrong guess")).await;
        assert_eq!(res.status, StatusCode::CONFLICT);
        let (ip, key): (String, String) = sqlx::query_as("SELECT ip, ip_key FROM audit_log WHERE actor_email = 'nobody@example.org'")
            .fetch_one(&t.db.pool).await.unwrap();
        assert_eq!((ip.as_str(), key.as_str()), ("192.0.2.50", "192.0.2.50"));
        let (ip, key): (String, String) = sqlx::query_as("SELECT ip, ip_key FROM audit_log WHERE actor_email = 'anna@example.org' AND action = 'sign-in'")
            .fetch_one(&t.db.pool).await.unwrap();
        assert_eq!((ip.as_str(), key.as_str()), ("2001:db8:1:3::1", "2001:db8:1:3::/64"));
        // Without any trusted proxy, the header never counts, even from a private address.
        let direct = t.app();
        let res = direct.send(login_via(PROXY, "198.51.100.10", "nobody2@example.org", "a wrong guess")).await;
        assert_eq!(res.status, StatusCode::CONFLICT);
        let (ip,): (String,) = sqlx::query_as("SELECT ip FROM audit_log WHERE actor_email = 'nobody2@example.org'")
            .fetch_one(&t.db.pool).await.unwrap();
        assert_eq!(ip, "10.0.0.2");
    }

    async fn failures_from_one_address_lock_that_address_only_and_an_admin_can_clear_it(t) {
        t.user("admin@example.org", "admin", &[]).await;
        let anna = t.user("anna@example.org", "viewer", &[]).await;
        t.user("ben@example.org", "viewer", &[]).await;
        let app = t.app_with(behind_proxy());
        for _ in 0..5 {
            let res = app.send(login_via(PROXY, "203.0.113.7", "anna@example.org", "a wrong guess")).await;
            assert_eq!(res.status, StatusCode::CONFLICT, "{}", res.body);
        }
        for _ in 0..3 {
            let res = app.send(login_via(PROXY, "203.0.113.7", "anna@example.org", PASSWORD)).await;
            assert_eq!(res.status, StatusCode::TOO_MANY_REQUESTS, "that address is locked out of that account");
        }
        // The owner elsewhere is not locked out: once the account's short delay has passed,
        // the right password works.
        tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
        let res = app.send(login_via(PROXY, "198.51.100.1", "anna@example.org", PASSWORD)).await;
        assert_eq!(res.status, StatusCode::OK, "{}", res.body);
        // The burst is in the audit log: five failures, the lock once, the refusals once.
        let actions = audit_actions(&t).await;
        let count = |name: &str| actions.iter().filter(|a| *a == name).count();
        assert_eq!((count("sign-in-failed"), count("sign-in-locked"), count("sign-in-throttled")), (5, 1, 1), "{actions:?}");
        let (details, ip): (String, String) = sqlx::query_as("SELECT details, ip FROM audit_log WHERE action = 'sign-in-locked'")
            .fetch_one(&t.db.pool).await.unwrap();
        assert_eq!(ip, "203.0.113.7");
        assert!(details.contains("5 failed sign-ins from this address"), "{details}");
        // The admin sees the failures on the user's page; a viewer may not clear them, and
        // neither may anyone signed out: nothing changes.
        let admin = app.send(login_via(PROXY, "198.51.100.2", "admin@example.org", PASSWORD)).await.session_cookie().unwrap();
        let page = app.get_as(&format!("/admin/users/{anna}"), Some(&admin)).await;
        assert!(page.body.contains("5 failed sign-ins in the last 15 minutes."), "{}", page.body);
        assert!(page.body.contains("Allow sign-in again"));
        let ben = app.login("ben@example.org", PASSWORD).await;
        let before = t.fingerprint().await;
        let res = app.post_form("/api/allow_sign_in", &[("id", &anna.to_string())], Some(&ben)).await;
        assert_eq!(res.status, StatusCode::FORBIDDEN);
        let res = app.post_form("/api/allow_sign_in", &[("id", &anna.to_string())], None).await;
        assert_eq!(res.status, StatusCode::UNAUTHORIZED);
        assert_eq!(t.fingerprint().await, before);
        assert_eq!(app.send(login_via(PROXY, "203.0.113.7", "anna@example.org", PASSWORD)).await.status, StatusCode::TOO_MANY_REQUESTS);
        // The admin allows sign-in again: the locked address signs in at once, and the log
        // says who allowed it.
        let res = app.post_form("/api/allow_sign_in", &[("id", &anna.to_string())], Some(&admin)).await;
        assert_eq!(res.status, StatusCode::OK, "{}", res.body);
        let res = app.send(login_via(PROXY, "203.0.113.7", "anna@example.org", PASSWORD)).await;
        assert_eq!(res.status, StatusCode::OK, "{}", res.body);
        let (actor, subject): (String, String) = sqlx::query_as("SELECT actor_email, subject FROM audit_log WHERE action = 'sign-in-unlocked'")
            .fetch_one(&t.db.pool).await.unwrap();
        assert_eq!((actor.as_str(), subject), ("admin@example.org", format!("user:{anna} anna@example.org")));
        let page = app.get_as(&format!("/admin/users/{anna}"), Some(&admin)).await;
        assert!(!page.body.contains("Allow sign-in again"), "no failures count any more");
    }

    async fn failures_from_anywhere_only_make_the_account_wait_growing_up_to_a_minute(t) {
        t.user("anna@example.org", "viewer", &[]).await;
        let app = t.app_with(behind_proxy());
        // Seven failures just now, from seven addresses (one each: no address is locked).
        let failed_at = |seconds_ago: i64| app::clock::format_timestamp(time::OffsetDateTime::now_utc() - time::Duration::seconds(seconds_ago));
        for i in 1..=7 {
            let ip = format!("192.0.2.{i}");
            sqlx::query("INSERT INTO audit_log (at, actor_email, action, ip, ip_key) VALUES ($1, 'anna@example.org', 'sign-in-failed', $2, $2)")
                .bind(failed_at(0)).bind(ip).execute(&t.db.pool).await.unwrap();
        }
        // The next attempt, from anywhere, right password or not, waits 4 s after the last.
        let before = t.fingerprint().await;
        let res = app.send(login_via(PROXY, "198.51.100.1", "anna@example.org", PASSWORD)).await;
        assert_eq!(res.status, StatusCode::TOO_MANY_REQUESTS, "{}", res.body);
        assert!(res.body.contains("for this account. Wait 4 seconds"), "{}", res.body);
        assert_eq!(t.fingerprint().await, before, "a wait writes nothing");
        let res = app.send(login_via(PROXY, "198.51.100.1", "anna@example.org", PASSWORD)).await;
        assert!(res.body.contains("seconds"), "still waiting: {}", res.body);
        // Once the wait has passed, the right password works: the account is never locked.
        sqlx::query("UPDATE audit_log SET at = $1").bind(failed_at(5)).execute(&t.db.pool).await.unwrap();
        let res = app.send(login_via(PROXY, "198.51.100.1", "anna@example.org", PASSWORD)).await;
        assert_eq!(res.status, StatusCode::OK, "{}", res.body);
        // Twenty failures make it wait a minute at most, in the user's language.
        for i in 0..20 {
            sqlx::query("INSERT INTO audit_log (at, actor_email, action, ip, ip_key) VALUES ($1, 'anna@example.org', 'sign-in-failed', $2, $2)")
                .bind(failed_at(0)).bind(format!("192.0.2.{}", 100 + i)).execute(&t.db.pool).await.unwrap();
        }
        let mut req = login_via(PROXY, "198.51.100.2", "anna@example.org", PASSWORD);
        req.headers_mut().insert(header::COOKIE, "rt_lang=fr".parse().unwrap());
        let res = app.send(req).await;
        assert_eq!(res.status, StatusCode::TOO_MANY_REQUESTS);
        assert!(res.body.contains("pour ce compte. Attendez 60 secondes"), "{}", res.body);
        // The address the account just signed in from (its owner's) is not made to wait.
        let res = app.send(login_via(PROXY, "198.51.100.1", "anna@example.org", PASSWORD)).await;
        assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    }

    async fn a_scanner_at_the_administrators_address_does_not_keep_them_out(t) {
        // The field report: an automated scanner failed sign-ins from one address, and the
        // administrator, signing in from that address, got 429.
        t.user("admin@example.org", "admin", &[]).await;
        t.user("anna@example.org", "viewer", &[]).await;
        let app = t.app_with(behind_proxy());
        let office = "203.0.113.7";
        // The administrator signs in from the office as usual.
        let res = app.send(login_via(PROXY, office, "admin@example.org", PASSWORD)).await;
        assert_eq!(res.status, StatusCode::OK, "{}", res.body);
        // A scanner at the same address sprays 30 accounts, and guesses the administrator's
        // password from five other addresses.
        for i in 0..30 {
            let res = app.send(login_via(PROXY, office, &format!("user{i}@example.org"), "admin123")).await;
            assert_eq!(res.status, StatusCode::CONFLICT);
        }
        for i in 1..=5 {
            let res = app.send(login_via(PROXY, &format!("198.51.100.{i}"), "admin@example.org", "admin123")).await;
            assert_eq!(res.status, StatusCode::CONFLICT, "{}", res.body);
        }
        // The scanner is stopped at that address, and so is an account never used from there...
        let res = app.send(login_via(PROXY, office, "user99@example.org", "admin123")).await;
        assert_eq!(res.status, StatusCode::TOO_MANY_REQUESTS);
        let res = app.send(login_via(PROXY, office, "anna@example.org", PASSWORD)).await;
        assert_eq!(res.status, StatusCode::TOO_MANY_REQUESTS);
        // ...but the administrator, at the address they sign in from, gets in at once.
        let res = app.send(login_via(PROXY, office, "admin@example.org", PASSWORD)).await;
        assert_eq!(res.status, StatusCode::OK, "{}", res.body);
        // Guesses at the administrator's own account from there still lock it (five), as they
        // would for anyone: the address cannot tell the scanner from the administrator.
        for _ in 0..5 {
            let res = app.send(login_via(PROXY, office, "admin@example.org", "admin123")).await;
            assert_eq!(res.status, StatusCode::CONFLICT, "{}", res.body);
        }
        let res = app.send(login_via(PROXY, office, "admin@example.org", PASSWORD)).await;
        assert_eq!(res.status, StatusCode::TOO_MANY_REQUESTS);
    }

    async fn signing_in_again_replaces_the_session_id(t) {
        t.user("anna@example.org", "viewer", &[]).await;
        t.user("ben@example.org", "admin", &[]).await;
        let app = t.app();
        let first = app.login("anna@example.org", PASSWORD).await;
        let res = app.post_form("/api/login", &[("email", "ben@example.org"), ("password", PASSWORD)], Some(&first)).await;
        let second = res.session_cookie().unwrap();
        assert_ne!(first, second, "a new session id at sign-in");
        assert_eq!(app.whoami(Some(&second)).await.as_deref(), Some("ben@example.org"));
        assert_eq!(app.whoami(Some(&first)).await, None, "the old id no longer works");
    }

    async fn signing_out_ends_the_session_on_the_server(t) {
        t.user("anna@example.org", "viewer", &[]).await;
        let app = t.app();
        let cookie = app.login("anna@example.org", PASSWORD).await;
        let res = app.post_form("/api/logout", &[], Some(&cookie)).await;
        assert_eq!(res.status, StatusCode::OK);
        assert_eq!(app.whoami(Some(&cookie)).await, None, "replaying the old cookie does not sign in");
        assert!(audit_actions(&t).await.contains(&"sign-out".to_string()));
    }

    async fn a_session_past_its_absolute_lifetime_is_refused(t) {
        t.user("anna@example.org", "viewer", &[]).await;
        let app = t.app_with(Settings { session_absolute: time::Duration::seconds(1), ..Default::default() });
        let cookie = app.login("anna@example.org", PASSWORD).await;
        assert!(app.whoami(Some(&cookie)).await.is_some());
        tokio::time::sleep(std::time::Duration::from_millis(1300)).await;
        assert_eq!(app.whoami(Some(&cookie)).await, None);
    }

    async fn an_idle_session_expires(t) {
        t.user("anna@example.org", "viewer", &[]).await;
        let app = t.app_with(Settings { session_idle: time::Duration::seconds(1), ..Default::default() });
        let cookie = app.login("anna@example.org", PASSWORD).await;
        assert!(app.whoami(Some(&cookie)).await.is_some());
        tokio::time::sleep(std::time::Duration::from_millis(1300)).await;
        assert_eq!(app.whoami(Some(&cookie)).await, None);
    }

    async fn a_cross_origin_post_is_refused_and_changes_nothing(t) {
        t.user("anna@example.org", "viewer", &[]).await;
        let app = t.app();
        let cookie = app.login("anna@example.org", PASSWORD).await;
        for (name, value) in [("origin", "https://evil.example.com"), ("sec-fetch-site", "cross-site")] {
            let req = Request::post("/api/logout")
                .header(header::HOST, "localhost")
                .header(header::COOKIE, &cookie)
                .header(name, value)
                .body(Body::empty())
                .unwrap();
            let res = app.send(req).await;
            assert_eq!(res.status, StatusCode::FORBIDDEN, "{name}");
        }
        assert_eq!(app.whoami(Some(&cookie)).await.as_deref(), Some("anna@example.org"), "still signed in");
        let same = Request::post("/api/logout")
            .header(header::HOST, "localhost")
            .header(header::COOKIE, &cookie)
            .header("origin", "http://localhost")
            .body(Body::empty())
            .unwrap();
        assert_eq!(app.send(same).await.status, StatusCode::OK);
    }

    async fn a_cross_site_plain_form_post_is_refused_and_changes_nothing(t) {
        t.user("admin@example.org", "admin", &[]).await;
        let app = t.app();
        let admin = app.login("admin@example.org", PASSWORD).await;
        let before = t.fingerprint().await;
        // What a hidden form on another site would send with the admin's cookie.
        let req = Request::post("/api/invite_user")
            .header(header::HOST, "localhost")
            .header(header::COOKIE, &admin)
            .header(header::ACCEPT, "text/html")
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header("origin", "https://evil.example.com")
            .header("sec-fetch-site", "cross-site")
            .body(Body::from("email=mallory%40evil.example.com&role=admin&display_name=M"))
            .unwrap();
        assert_eq!(app.send(req).await.status, StatusCode::FORBIDDEN);
        assert_eq!(t.fingerprint().await, before, "no user invited");
    }

    async fn an_invited_focal_point_sets_a_password_once_and_signs_in(t) {
        t.user("admin@example.org", "admin", &[]).await;
        let app = t.app();
        let admin = app.login("admin@example.org", PASSWORD).await;
        let res = app.post_form("/api/invite_user", &[
            ("email", "Giulia@Salute.gov.it"), ("role", "focal-point"), ("countries[]", "IT"), ("display_name", ""),
        ], Some(&admin)).await;
        assert_eq!(res.status, StatusCode::OK, "{}", res.body);
        let id: i64 = res.body.parse().unwrap();
        let token = link_shown_to_admin(&app, &admin, id).await;
        // Shown once only.
        let again = app.post_form("/api/get_user", &[("id", &id.to_string())], Some(&admin)).await;
        assert!(again.json()["new_link"].is_null());
        assert_eq!(again.json()["user"]["status"], "invited");
        assert_eq!(again.json()["user"]["countries"][0], "IT");

        // Not yet able to sign in.
        let early = app.post_form("/api/login", &[("email", "giulia@salute.gov.it"), ("password", PASSWORD)], None).await;
        assert_eq!(early.status, StatusCode::CONFLICT);

        let info = app.post_form("/api/get_link", &[("token", &token), ("purpose", "invitation")], None).await;
        assert_eq!(info.json()["email"], "giulia@salute.gov.it");
        let short = app.post_form("/api/use_link", &[
            ("token", &token), ("purpose", "invitation"), ("display_name", "Giulia Bianchi"),
            ("password", "too short"), ("password_confirm", "too short"),
        ], None).await;
        assert_eq!(short.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(short.body.contains("\"password\""));
        let ok = app.post_form("/api/use_link", &[
            ("token", &token), ("purpose", "invitation"), ("display_name", "Giulia Bianchi"),
            ("password", PASSWORD), ("password_confirm", PASSWORD),
        ], None).await;
        assert_eq!(ok.status, StatusCode::OK, "{}", ok.body);
        let reuse = app.post_form("/api/use_link", &[
            ("token", &token), ("purpose", "invitation"), ("display_name", "Mallory"),
            ("password", "another long password"), ("password_confirm", "another long password"),
        ], None).await;
        assert_eq!(reuse.status, StatusCode::CONFLICT, "a link works once");

        let cookie = app.login("giulia@salute.gov.it", PASSWORD).await;
        let page = app.get_as("/", Some(&cookie)).await;
        assert!(page.body.contains("Giulia Bianchi"));
        assert!(audit_actions(&t).await.contains(&"invitation-accepted".to_string()));
    }

    async fn an_expired_invitation_link_is_refused(t) {
        t.user("admin@example.org", "admin", &[]).await;
        let app = t.app_with(Settings { invitation_ttl: time::Duration::seconds(1), ..Default::default() });
        let admin = app.login("admin@example.org", PASSWORD).await;
        let res = app.post_form("/api/invite_user", &[("email", "v@example.org"), ("role", "viewer")], Some(&admin)).await;
        let id: i64 = res.body.parse().unwrap();
        let token = link_shown_to_admin(&app, &admin, id).await;
        tokio::time::sleep(std::time::Duration::from_millis(1300)).await;
        let res = app.post_form("/api/use_link", &[
            ("token", &token), ("purpose", "invitation"), ("display_name", "V"),
            ("password", PASSWORD), ("password_confirm", PASSWORD),
        ], None).await;
        assert_eq!(res.status, StatusCode::CONFLICT);
        assert!(res.body.contains("expired"));
    }

    async fn inviting_an_existing_email_is_refused_on_the_email_field(t) {
        t.user("admin@example.org", "admin", &[]).await;
        t.user("anna@example.org", "viewer", &[]).await;
        let app = t.app();
        let admin = app.login("admin@example.org", PASSWORD).await;
        let before = t.fingerprint().await;
        let res = app.post_form("/api/invite_user", &[("email", "ANNA@example.org"), ("role", "viewer")], Some(&admin)).await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(res.body.contains("\"field\":\"email\""));
        let res = app.post_form("/api/invite_user", &[("email", "new@example.org"), ("role", "focal-point")], Some(&admin)).await;
        assert!(res.body.contains("\"field\":\"countries\""), "{}", res.body);
        assert_eq!(t.fingerprint().await, before, "nothing written");
    }

    async fn deactivating_a_user_ends_their_sessions(t) {
        t.user("admin@example.org", "admin", &[]).await;
        let fp = t.user("fp@example.org", "focal-point", &["IT"]).await;
        let app = t.app();
        let admin = app.login("admin@example.org", PASSWORD).await;
        let fp_cookie = app.login("fp@example.org", PASSWORD).await;
        let res = app.post_form("/api/create_user_link", &[("id", &fp.to_string())], Some(&admin)).await;
        assert_eq!(res.status, StatusCode::OK, "{}", res.body);
        let token = link_shown_to_admin(&app, &admin, fp).await;
        let res = app.post_form("/api/set_user_active", &[("id", &fp.to_string()), ("active", "false")], Some(&admin)).await;
        assert_eq!(res.status, StatusCode::OK, "{}", res.body);
        assert_eq!(app.whoami(Some(&fp_cookie)).await, None);
        let res = app.post_form("/api/login", &[("email", "fp@example.org"), ("password", PASSWORD)], None).await;
        assert_eq!(res.status, StatusCode::CONFLICT, "a deactivated user cannot sign in");
        // Reactivated, they sign in again; the reset link made before is void.
        app.post_form("/api/set_user_active", &[("id", &fp.to_string()), ("active", "true")], Some(&admin)).await;
        app.login("fp@example.org", PASSWORD).await;
        let other = "another long passphrase";
        let res = app.post_form("/api/use_link", &[
            ("token", &token), ("purpose", "password-reset"), ("password", other), ("password_confirm", other),
        ], None).await;
        assert_ne!(res.status, StatusCode::OK, "a link from before the deactivation is void");
        app.login("fp@example.org", PASSWORD).await;
    }

    async fn an_admin_may_demote_or_deactivate_another_admin(t) {
        t.user("admin@example.org", "admin", &[]).await;
        let other = t.user("other@example.org", "admin", &[]).await;
        let app = t.app();
        let admin = app.login("admin@example.org", PASSWORD).await;
        // Two admins: one may be demoted.
        let res = app.post_form("/api/update_user", &[("id", &other.to_string()), ("role", "viewer")], Some(&admin)).await;
        assert_eq!(res.status, StatusCode::OK, "{}", res.body);
        let res = app.post_form("/api/update_user", &[("id", &other.to_string()), ("role", "admin")], Some(&admin)).await;
        assert_eq!(res.status, StatusCode::OK, "{}", res.body);
        let res = app.post_form("/api/set_user_active", &[("id", &other.to_string()), ("active", "false")], Some(&admin)).await;
        assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    }

    async fn a_made_up_link_is_refused_before_any_hashing_and_audited(t) {
        let app = t.app();
        let res = app.post_form("/api/use_link", &[
            ("token", "made-up"), ("purpose", "password-reset"), ("password", PASSWORD), ("password_confirm", PASSWORD),
        ], None).await;
        assert_eq!(res.status, StatusCode::CONFLICT);
        assert_eq!(audit_actions(&t).await, vec!["link-failed".to_string()]);
    }

    async fn an_admin_cannot_lock_themselves_out(t) {
        let me = t.user("admin@example.org", "admin", &[]).await;
        let app = t.app();
        let admin = app.login("admin@example.org", PASSWORD).await;
        let me = me.to_string();
        // Deactivating or demoting themselves is refused and writes nothing.
        let refused_to_leave = || async {
            let before = t.fingerprint().await;
            let res = app.post_form("/api/set_user_active", &[("id", &me), ("active", "false")], Some(&admin)).await;
            assert_eq!(res.status, StatusCode::CONFLICT);
            let res = app.post_form("/api/update_user", &[("id", &me), ("role", "viewer")], Some(&admin)).await;
            assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
            assert_eq!(t.fingerprint().await, before);
        };
        refused_to_leave().await;
        // An administrator invited but not yet signed up cannot take over: still refused.
        let res = app.post_form("/api/invite_user", &[("email", "next-admin@example.org"), ("role", "admin")], Some(&admin)).await;
        assert_eq!(res.status, StatusCode::OK, "{}", res.body);
        refused_to_leave().await;
    }

    async fn a_password_reset_link_replaces_the_password_and_ends_old_sessions(t) {
        t.user("admin@example.org", "admin", &[]).await;
        let viewer = t.user("v@example.org", "viewer", &[]).await;
        let app = t.app();
        let admin = app.login("admin@example.org", PASSWORD).await;
        let old_session = app.login("v@example.org", PASSWORD).await;
        let res = app.post_form("/api/create_user_link", &[("id", &viewer.to_string())], Some(&admin)).await;
        assert_eq!(res.status, StatusCode::OK, "{}", res.body);
        let token = link_shown_to_admin(&app, &admin, viewer).await;
        let new_password = "a brand new passphrase";
        let res = app.post_form("/api/use_link", &[
            ("token", &token), ("purpose", "password-reset"), ("password", new_password), ("password_confirm", new_password),
        ], None).await;
        assert_eq!(res.status, StatusCode::OK, "{}", res.body);
        assert_eq!(app.whoami(Some(&old_session)).await, None);
        let res = app.post_form("/api/login", &[("email", "v@example.org"), ("password", PASSWORD)], None).await;
        assert_eq!(res.status, StatusCode::CONFLICT);
        app.login("v@example.org", new_password).await;
    }

    async fn changing_role_and_countries_is_audited(t) {
        t.user("admin@example.org", "admin", &[]).await;
        let fp = t.user("fp@example.org", "focal-point", &["IT"]).await;
        let app = t.app();
        let admin = app.login("admin@example.org", PASSWORD).await;
        let res = app.post_form("/api/update_user", &[
            ("id", &fp.to_string()), ("role", "focal-point"), ("countries[]", "IT"), ("countries[]", "FR"), ("display_name", "Paola"),
        ], Some(&admin)).await;
        assert_eq!(res.status, StatusCode::OK, "{}", res.body);
        let users = app.post_form("/api/list_users", &[("country", "FR")], Some(&admin)).await.json();
        assert_eq!(users.as_array().unwrap().len(), 1);
        assert_eq!(users[0]["countries"], serde_json::json!(["FR", "IT"]));
        let (details,): (String,) = sqlx::query_as("SELECT details FROM audit_log WHERE action = 'user-updated'")
            .fetch_one(&t.db.pool).await.unwrap();
        assert!(details.contains("countries [IT] → [FR, IT]"), "{details}");
        let audit = app.post_form("/api/list_audit", &[("action", "user-updated")], Some(&admin)).await.json();
        assert_eq!(audit["entries"].as_array().unwrap().len(), 1);
        assert_eq!(audit["entries"][0]["actor"], "admin@example.org");
    }

    async fn the_users_pages_speak_french_when_asked(t) {
        t.user("admin@example.org", "admin", &[]).await;
        let fp = t.user("fp@example.org", "focal-point", &["IT"]).await;
        let app = t.app();
        let admin = app.login("admin@example.org", PASSWORD).await;
        let list = app.get_as("/admin/users?lang=fr", Some(&admin)).await;
        assert_eq!(list.status, StatusCode::OK);
        for text in [
            "<h1>Utilisateurs</h1>", "Connecté en tant que", "Se déconnecter", "Tous les rôles",
            "Tous les pays", "Italie", "2 utilisateurs", "Administrateur", "Point focal", "Actif",
            "Inviter un utilisateur", "Adresse électronique", "Pays (points focaux uniquement)",
        ] {
            assert!(list.body.contains(text), "{text:?} missing");
        }
        for english in ["Invite a user", "All roles", "Focal point", "Signed in as"] {
            assert!(!list.body.contains(english), "{english:?} left in English");
        }

        let res = app.post_form("/api/create_user_link", &[("id", &fp.to_string())], Some(&admin)).await;
        assert_eq!(res.status, StatusCode::OK, "{}", res.body);
        let page = app.get_as(&format!("/admin/users/{fp}?lang=fr"), Some(&admin)).await;
        assert_eq!(page.status, StatusCode::OK);
        for text in [
            "Lien de réinitialisation du mot de passe créé.", "Il ne fonctionne qu", "expire le",
            "Rôle et pays", "Enregistrer les modifications", "Créé le",
        ] {
            assert!(page.body.contains(text), "{text:?} missing");
        }
    }

    async fn a_french_or_german_caller_gets_refusals_and_field_messages_in_their_language(t) {
        let me = t.user("admin@example.org", "admin", &[]).await;
        let app = t.app();
        let wrong = app.post_form("/api/login", &[("email", "admin@example.org"), ("password", "not the password")], Some("rt_lang=fr")).await;
        assert_eq!(wrong.status, StatusCode::CONFLICT);
        assert!(wrong.body.contains("adresse électronique ou le mot de passe est incorrect"), "{}", wrong.body);

        let admin = app.login("admin@example.org", PASSWORD).await;
        let french = format!("{admin}; rt_lang=fr");
        let res = app.post_form("/api/invite_user", &[("email", "not an address"), ("role", "")], Some(&french)).await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(res.body.contains("Saisissez une adresse électronique du type nom@example.org."), "{}", res.body);
        assert!(res.body.contains("Choisissez un rôle."), "{}", res.body);
        let res = app.post_form("/api/set_user_active", &[("id", &me.to_string()), ("active", "false")], Some(&french)).await;
        assert_eq!(res.status, StatusCode::CONFLICT);
        assert!(res.body.contains("Vous ne pouvez pas désactiver votre propre compte."), "{}", res.body);

        let german = Some("rt_lang=de");
        let short = app.post_form("/api/use_link", &[
            ("token", "made-up"), ("purpose", "password-reset"), ("password", "zu kurz"), ("password_confirm", "zu kurz"),
        ], german).await;
        assert_eq!(short.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(short.body.contains("Wählen Sie ein Passwort mit mindestens 12 Zeichen."), "{}", short.body);
        let made_up = app.post_form("/api/use_link", &[
            ("token", "made-up"), ("purpose", "password-reset"), ("password", PASSWORD), ("password_confirm", PASSWORD),
        ], german).await;
        assert_eq!(made_up.status, StatusCode::CONFLICT);
        assert!(made_up.body.contains("Dieser Link ist abgelaufen oder wurde bereits verwendet."), "{}", made_up.body);

        let cross_site = Request::post("/api/logout")
            .header(header::HOST, "localhost")
            .header(header::COOKIE, &french)
            .header("sec-fetch-site", "cross-site")
            .body(Body::empty())
            .unwrap();
        let res = app.send(cross_site).await;
        assert_eq!(res.status, StatusCode::FORBIDDEN);
        assert_eq!(res.body, "Requête d'origine externe refusée.");
    }

    async fn the_sign_in_and_invitation_pages_speak_german_when_asked(t) {
        t.user("admin@example.org", "admin", &[]).await;
        let app = t.app();
        let login = app.get("/login?lang=de").await;
        assert_eq!(login.status, StatusCode::OK);
        for text in ["<h1>Anmelden</h1>", "E-Mail-Adresse", "Passwort", "Noch kein Konto"] {
            assert!(login.body.contains(text), "{text:?} missing");
        }

        let admin = app.login("admin@example.org", PASSWORD).await;
        let res = app.post_form("/api/invite_user", &[("email", "giulia@salute.gov.it"), ("role", "focal-point"), ("countries[]", "IT")], Some(&admin)).await;
        assert_eq!(res.status, StatusCode::OK, "{}", res.body);
        let token = link_shown_to_admin(&app, &admin, res.body.parse().unwrap()).await;
        let page = app.get(&format!("/invitation/{token}?lang=de")).await;
        assert_eq!(page.status, StatusCode::OK);
        for text in [
            "Einladung annehmen", "Sie wurden mit der Adresse", "(Ansprechperson) zu Recovery Tracker eingeladen.",
            "Ihr Name", "Passwort bestätigen", "Mindestens 12 Zeichen", "Mein Konto erstellen",
        ] {
            assert!(page.body.contains(text), "{text:?} missing");
        }
        let void = app.get("/reset-password/made-up?lang=de").await;
        assert!(void.body.contains("Neues Passwort wählen"));
        assert!(void.body.contains("Dieser Link ist abgelaufen"), "{}", void.body);
    }
}

both_engines! {
    async fn an_implausible_sign_in_email_is_refused_before_the_database(t) {
        let app = t.app();
        let long = format!("{}@example.org", "a".repeat(300));
        for email in [long.as_str(), "no-at-sign", "two@@example.org"] {
            let res = app.post_form("/api/login", &[("email", email), ("password", "some password")], None).await;
            assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{email}: {}", res.body);
            assert!(res.body.contains("\"field\":\"email\""), "{}", res.body);
        }
        assert!(audit_actions(&t).await.is_empty(), "nothing counted or written to the audit log");
    }

    async fn two_links_made_at_once_for_one_user_leave_one_live(t) {
        t.user("admin@example.org", "admin", &[]).await;
        let viewer = t.user("v@example.org", "viewer", &[]).await;
        let app = t.app();
        let admin = app.login("admin@example.org", PASSWORD).await;
        // One link being made (its transaction open) while an admin asks for another.
        let mut first = t.db.begin().await.unwrap();
        for purpose in [app::auth::model::LinkPurpose::PasswordReset, app::auth::model::LinkPurpose::Invitation] {
            app::auth::repo::create_token(&mut first, viewer, purpose, None, time::Duration::hours(1)).await.unwrap();
        }
        let second = tokio::spawn({
            let (app, admin) = (app.clone(), admin.clone());
            async move { app.post_form("/api/create_user_link", &[("id", &viewer.to_string())], Some(&admin)).await }
        });
        tokio::time::sleep(std::time::Duration::from_millis(300)).await;
        first.commit().await.unwrap();
        let res = second.await.unwrap();
        assert_eq!(res.status, StatusCode::OK, "{}", res.body);
        let live: Vec<(String, i64)> = sqlx::query_as("SELECT purpose, COUNT(*) FROM user_tokens WHERE user_id = $1 AND used_at IS NULL GROUP BY purpose")
            .bind(viewer).fetch_all(&t.db.pool).await.unwrap();
        assert!(live.iter().all(|(_, n)| *n == 1), "one live link per purpose: {live:?}");
    }

    async fn nothing_a_signed_in_caller_receives_is_stored_by_caches(t) {
        t.user("anna@example.org", "viewer", &[]).await;
        let app = t.app();
        let cookie = app.login("anna@example.org", PASSWORD).await;
        let res = app.post_form("/api/get_current_user", &[], Some(&cookie)).await;
        assert_eq!(res.header("cache-control").as_deref(), Some("private, no-store"), "server functions");
        let res = app.get_as("/api/v1/periods.csv", Some(&cookie)).await;
        assert_eq!(res.header("cache-control").as_deref(), Some("private, no-store"), "downloads");
        let res = app.get("/api/v1/periods.csv").await;
        assert_ne!(res.header("cache-control").as_deref(), Some("private, no-store"), "public data stays cacheable");
    }
}

both_engines! {
    async fn error_text_in_a_url_is_not_shown_but_a_plain_forms_refusal_is_once(t) {
        t.user("anna@example.org", "viewer", &[]).await;
        let app = t.app();
        // {"Rejected":"Your account is locked. Call +1 555 0100."}, as Leptos encodes errors.
        let forged = "/login?__path=%2Fapi%2Flogin&__err=eyJSZWplY3RlZCI6IllvdXIgYWNjb3VudCBpcyBsb2NrZWQuIENhbGwgKzEgNTU1IDAxMDAuIn0%3D";
        let page = app.get(forged).await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(!page.body.contains("Call +1 555"), "the link's text is shown");
        // A sign-in refused without JavaScript still says why, once, through the session.
        let req = Request::post("/api/login")
            .header(header::HOST, "localhost")
            .header(header::ACCEPT, "text/html")
            .header(header::REFERER, "http://localhost/login?next=%2Freport")
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from("email=anna%40example.org&password=not+the+password"))
            .unwrap();
        let res = app.send(req).await;
        assert_eq!(res.status, StatusCode::FOUND, "{}", res.body);
        let location = res.header("location").unwrap();
        assert_eq!(location, "/login?next=%2Freport", "no error in the URL");
        let cookie = res.session_cookie().expect("the refusal kept in a session");
        let page = app.get_as(&location, Some(&cookie)).await;
        assert!(page.body.contains("The email address or password is not right."), "{}", page.body);
        let again = app.get_as(&location, Some(&cookie)).await;
        assert!(!again.body.contains("The email address or password is not right."), "shown once");
    }
}

both_engines! {
    async fn a_post_with_the_session_cookie_but_no_origin_is_refused(t) {
        t.user("admin@example.org", "admin", &[]).await;
        let app = t.app();
        let admin = app.login("admin@example.org", PASSWORD).await;
        let before = t.fingerprint().await;
        let req = Request::post("/api/invite_user")
            .header(header::HOST, "localhost")
            .header(header::COOKIE, &admin)
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from("email=mallory%40example.org&role=admin&display_name=M"))
            .unwrap();
        assert_eq!(app.send(req).await.status, StatusCode::FORBIDDEN);
        assert_eq!(t.fingerprint().await, before, "no one invited");
        // Without the cookie (a script signing in), no header is needed.
        let script = Request::post("/api/login")
            .header(header::HOST, "localhost")
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from(format!("email=admin%40example.org&password={}", PASSWORD.replace(' ', "+"))))
            .unwrap();
        assert_eq!(app.send(script).await.status, StatusCode::OK);
    }
}

/// The site at `https://tracker.example.eu`, whatever `Host` a request carries.
fn behind_a_public_url() -> Settings {
    Settings {
        public_url: "https://tracker.example.eu".parse().unwrap(),
        ..Default::default()
    }
}

/// Makes the session store refuse every write from now on (the database failing between a
/// handler's commit and the session's save); reads still work.
async fn refuse_session_writes(t: &TestDb) {
    let statements: &[&str] = match t.engine() {
        app::db::Engine::Sqlite => &[
            "CREATE TRIGGER no_session_insert BEFORE INSERT ON tower_sessions \
             BEGIN SELECT RAISE(ABORT, 'session store down'); END",
            "CREATE TRIGGER no_session_update BEFORE UPDATE ON tower_sessions \
             BEGIN SELECT RAISE(ABORT, 'session store down'); END",
        ],
        app::db::Engine::Postgres => &[
            "CREATE FUNCTION refuse_session_writes() RETURNS trigger AS $$ \
             BEGIN RAISE EXCEPTION 'session store down'; END $$ LANGUAGE plpgsql",
            "CREATE TRIGGER no_session_writes BEFORE INSERT OR UPDATE ON tower_sessions.session \
             FOR EACH ROW EXECUTE FUNCTION refuse_session_writes()",
        ],
    };
    for sql in statements {
        sqlx::query(sql).execute(&t.db.pool).await.unwrap();
    }
}

both_engines! {
    async fn links_and_the_cookie_follow_the_public_url_not_the_host_header(t) {
        t.user("admin@example.org", "admin", &[]).await;
        let app = t.app_with(behind_a_public_url());
        let res = app.post_form("/api/login", &[("email", "admin@example.org"), ("password", PASSWORD)], None).await;
        assert_eq!(res.status, StatusCode::OK, "{}", res.body);
        assert!(res.header("set-cookie").unwrap().contains("; Secure"), "https public URL: a Secure cookie");
        let admin = res.session_cookie().unwrap();
        // An invitation asked for through a Host header of someone else's choosing.
        let req = Request::post("/api/invite_user")
            .header(header::HOST, "evil.example.com")
            .header(header::COOKIE, &admin)
            .header("sec-fetch-site", "same-origin")
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from("email=new%40example.org&role=viewer&display_name=New"))
            .unwrap();
        let res = app.send(req).await;
        assert_eq!(res.status, StatusCode::OK, "{}", res.body);
        let detail = app.post_form("/api/get_user", &[("id", &res.body)], Some(&admin)).await.json();
        let url = detail["new_link"]["url"].as_str().unwrap();
        assert!(url.starts_with("https://tracker.example.eu/invitation/"), "{url}");
        // A password-reset link too.
        let anna = t.user("anna@example.org", "viewer", &[]).await.to_string();
        let req = Request::post("/api/create_user_link")
            .header(header::HOST, "evil.example.com")
            .header(header::COOKIE, &admin)
            .header("sec-fetch-site", "same-origin")
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from(format!("id={anna}")))
            .unwrap();
        let res = app.send(req).await;
        assert_eq!(res.status, StatusCode::OK, "{}", res.body);
        let detail = app.post_form("/api/get_user", &[("id", &anna)], Some(&admin)).await.json();
        let url = detail["new_link"]["url"].as_str().unwrap();
        assert!(url.starts_with("https://tracker.example.eu/reset-password/"), "{url}");
    }

    async fn origin_is_compared_with_the_public_url_not_the_host(t) {
        t.user("admin@example.org", "admin", &[]).await;
        let app = t.app_with(behind_a_public_url());
        let admin = app.login("admin@example.org", PASSWORD).await;
        let before = t.fingerprint().await;
        let invite = |host: &str, origin: &str| {
            Request::post("/api/invite_user")
                .header(header::HOST, host)
                .header(header::COOKIE, &admin)
                .header(header::ORIGIN, origin)
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .body(Body::from("email=mallory%40example.org&role=admin&display_name=M"))
                .unwrap()
        };
        // Host and Origin agree, but they are not the site.
        let res = app.send(invite("evil.example.com", "https://evil.example.com")).await;
        assert_eq!(res.status, StatusCode::FORBIDDEN, "{}", res.body);
        // The site's host, over http or on another port, is another origin.
        for origin in ["http://tracker.example.eu", "https://tracker.example.eu:8443"] {
            let res = app.send(invite("tracker.example.eu", origin)).await;
            assert_eq!(res.status, StatusCode::FORBIDDEN, "{origin}");
        }
        assert_eq!(t.fingerprint().await, before, "no one invited");
        // The site's origin, whatever Host the proxy passes on.
        let res = app.send(invite("10.0.0.5:3000", "https://tracker.example.eu")).await;
        assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    }

    async fn ordinary_requests_do_not_rewrite_the_session(t) {
        t.user("anna@example.org", "viewer", &[]).await;
        let app = t.app();
        let cookie = app.login("anna@example.org", PASSWORD).await;
        let res = app.post_form("/api/get_current_user", &[], Some(&cookie)).await;
        assert_eq!(res.status, StatusCode::OK, "{}", res.body);
        assert!(res.session_cookie().is_none(), "a server function does not write the session");
        let res = app.get_as("/", Some(&cookie)).await;
        assert_eq!(res.status, StatusCode::OK);
        assert!(res.session_cookie().is_none(), "nor does a page within the refresh interval");
        // The idle expiry still slides: idle 4 s, pushed back at most every second.
        let app = t.app_with(Settings { session_idle: time::Duration::seconds(4), ..Default::default() });
        let cookie = app.login("anna@example.org", PASSWORD).await;
        for _ in 0..3 {
            tokio::time::sleep(std::time::Duration::from_millis(1500)).await;
            let res = app.get_as("/", Some(&cookie)).await;
            assert_eq!(res.status, StatusCode::OK);
            assert!(res.session_cookie().is_some(), "the expiry is pushed back");
        }
        assert_eq!(
            app.whoami(Some(&cookie)).await.as_deref(),
            Some("anna@example.org"),
            "4.5 s after sign-in with an idle timeout of 4 s, still signed in"
        );
    }

    async fn a_committed_change_is_answered_even_when_the_session_cannot_be_written(t) {
        t.user("admin@example.org", "admin", &[]).await;
        let app = t.app_with(Settings { session_idle: time::Duration::seconds(4), ..Default::default() });
        let admin = app.login("admin@example.org", PASSWORD).await;
        refuse_session_writes(&t).await;
        // The invitation commits, then its link is kept in the session to be shown once: the
        // session cannot be written, yet the answer is the function's, not an empty 500.
        let res = app
            .post_form("/api/invite_user", &[("email", "new@example.org"), ("role", "viewer"), ("display_name", "New")], Some(&admin))
            .await;
        assert_eq!(res.status, StatusCode::OK, "{}", res.body);
        let id: i64 = res.body.parse().expect("the new user's id");
        let (email,): (String,) = sqlx::query_as("SELECT email FROM users WHERE id = $1")
            .bind(id)
            .fetch_one(&t.db.pool)
            .await
            .unwrap();
        assert_eq!(email, "new@example.org");
        // A page that pushes the expiry back (due after a second) is still served.
        tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
        let res = app.get_as("/admin/users", Some(&admin)).await;
        assert_eq!(res.status, StatusCode::OK, "{}", res.body);
        assert!(res.body.contains("new@example.org"));
        // A sign-in, whose purpose is the session, fails with a message, not an empty answer.
        let res = app.post_form("/api/login", &[("email", "admin@example.org"), ("password", PASSWORD)], None).await;
        assert_eq!(res.status, StatusCode::INTERNAL_SERVER_ERROR);
        assert!(!res.body.is_empty());
        assert!(res.session_cookie().is_none());
    }
}
