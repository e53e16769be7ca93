#![cfg(feature = "ssr")]
//! Server-rendered pages: what a browser without JavaScript receives.

mod support;

use axum::body::Body;
use axum::http::{header, Request, StatusCode};

both_engines! {
    async fn the_home_page_lists_and_links_the_seven_recommendations(t) {
        let res = t.app().get("/").await;
        assert_eq!(res.status, StatusCode::OK);
        assert!(res.body.contains("<html lang=\"en\""));
        assert!(res.body.contains("Skip to main content"));
        for n in 1..=7 {
            assert!(res.body.contains(&format!("href=\"/recommendations/{n}\"")), "link {n}");
        }
        assert!(res.body.contains("Urgently address the cancer backlog"));
        assert!(res.body.contains("Secure deeper long-term European health cooperation"));
    }

    async fn a_recommendation_page_shows_its_title_and_description(t) {
        let res = t.app().get("/recommendations/4").await;
        assert_eq!(res.status, StatusCode::OK);
        assert!(res.body.contains("Address cancer workforce gaps across the European continent"));
        assert!(res.body.contains("Recommendation 4 of 7"));
    }

    async fn an_unknown_recommendation_answers_404(t) {
        for path in ["/recommendations/8", "/recommendations/0", "/recommendations/abc"] {
            let res = t.app().get(path).await;
            assert_eq!(res.status, StatusCode::NOT_FOUND, "{path}");
            assert!(res.body.contains("Page not found"), "{path}");
        }
    }

    async fn the_countries_page_groups_eu27_and_the_rest(t) {
        let res = t.app().get("/countries").await;
        assert_eq!(res.status, StatusCode::OK);
        let eu = res.body.find("EU27 (27)").expect("EU27 heading");
        let other = res.body.find("Other WHO Europe Member States (26)").expect("non-EU heading");
        assert!(eu < other);
        let italy = res.body.find("Italy").unwrap();
        let norway = res.body.find("Norway").unwrap();
        assert!(eu < italy && italy < other && other < norway);
    }

    async fn an_unknown_address_answers_a_real_404_page(t) {
        let res = t.app().get("/no/such/page").await;
        assert_eq!(res.status, StatusCode::NOT_FOUND);
        assert!(res.body.contains("Page not found"));
        assert!(res.body.contains("<html lang=\"en\""));
    }

    async fn pages_carry_security_headers_with_a_nonce_for_the_hydration_script(t) {
        let res = t.app().get("/").await;
        let csp = res.header("content-security-policy").expect("CSP");
        assert!(csp.contains("frame-ancestors 'none'"));
        let nonce = csp.split("'nonce-").nth(1).and_then(|s| s.split('\'').next()).expect("nonce");
        assert!(res.body.contains(&format!("nonce=\"{nonce}\"")), "hydration script carries the nonce");
        assert_eq!(res.header("x-content-type-options").as_deref(), Some("nosniff"));
        assert_eq!(res.header("referrer-policy").as_deref(), Some("strict-origin-when-cross-origin"));
        let other = t.app().get("/").await.header("content-security-policy").unwrap();
        assert_ne!(csp, other, "a fresh nonce per response");

        let api = t.app().get("/api/v1/countries").await;
        assert!(api.header("content-security-policy").unwrap().starts_with("default-src 'none'"));
    }

    async fn site_files_are_served_precompressed_and_kept_a_year_when_their_names_are_hashed(t) {
        let site = tempfile::tempdir().unwrap();
        let pkg = site.path().join("pkg");
        std::fs::create_dir_all(&pkg).unwrap();
        let name = "recovery-tracker.AbC123.wasm";
        std::fs::write(pkg.join(name), "plain wasm").unwrap();
        std::fs::write(pkg.join(format!("{name}.br")), "brotli wasm").unwrap();
        std::fs::write(pkg.join(format!("{name}.gz")), "gzip wasm").unwrap();
        let get = |encoding: &'static str| {
            Request::get(format!("/pkg/{name}"))
                .header(header::HOST, "localhost")
                .header(header::ACCEPT_ENCODING, encoding)
                .body(Body::empty())
                .unwrap()
        };
        let app = t.app_with_site(site.path(), true);
        let res = app.send(get("gzip, deflate, br")).await;
        assert_eq!(res.status, StatusCode::OK);
        assert_eq!(res.header("content-encoding").as_deref(), Some("br"));
        assert_eq!(res.header("content-type").as_deref(), Some("application/wasm"));
        assert_eq!(res.body, "brotli wasm");
        assert_eq!(res.header("cache-control").as_deref(), Some("public, max-age=31536000, immutable"));
        let res = app.send(get("gzip")).await;
        assert_eq!(res.header("content-encoding").as_deref(), Some("gzip"));
        assert_eq!(res.body, "gzip wasm");
        let res = app.send(get("identity")).await;
        assert_eq!(res.header("content-encoding"), None);
        assert_eq!(res.body, "plain wasm");
        // A missing file is not cached for a year.
        let res = app.get("/pkg/recovery-tracker.Old999.wasm").await;
        assert_eq!(res.status, StatusCode::NOT_FOUND);
        assert_eq!(res.header("cache-control"), None);
        // Without hashed names a new build keeps the names: browsers must revalidate.
        let unhashed = t.app_with_site(site.path(), false);
        let res = unhashed.send(get("br")).await;
        assert_eq!(res.header("cache-control").as_deref(), Some("no-cache"));
    }

    async fn pages_are_revalidated_and_a_signed_in_users_pages_are_not_stored(t) {
        let app = t.app();
        let res = app.get("/countries").await;
        assert_eq!(res.status, StatusCode::OK);
        assert_eq!(res.header("cache-control").as_deref(), Some("no-cache"));
        t.user("viewer@example.org", "viewer", &[]).await;
        let cookie = app.login("viewer@example.org", support::PASSWORD).await;
        let res = app.get_as("/countries", Some(&cookie)).await;
        assert_eq!(res.status, StatusCode::OK);
        assert_eq!(res.header("cache-control").as_deref(), Some("private, no-store"));
        // The open data keeps its own policy.
        let res = app.get("/api/v1/countries").await;
        assert_ne!(res.header("cache-control").as_deref(), Some("no-cache"));
    }

    async fn pages_answer_while_other_routers_are_being_built(t) {
        // Leptos suppresses resources process-wide while it lists routes (leptos-rs/leptos#4773);
        // a page rendered meanwhile used to wait forever. The list is now built once.
        let app = t.app();
        for _ in 0..20 {
            let build = async { tokio::task::block_in_place(|| drop(t.app())) };
            let (res, _) = tokio::join!(app.get("/"), build);
            assert!(res.body.contains("The seven recommendations"), "{}", res.body);
        }
    }

    async fn a_page_without_an_island_loads_no_script_and_serialises_no_data(t) {
        let res = t.app().get("/").await;
        assert!(res.body.contains("<link rel=\"stylesheet\" href=\"/pkg/recovery-tracker"));
        assert!(!res.body.contains("<leptos-island"));
        assert!(!res.body.contains(".wasm"), "no preload of the wasm");
        // Leptos's stream always ends with two inline scripts declaring empty lists; nothing
        // else may be there: no script file, no module, no serialised resource.
        let scripts: Vec<&str> = res.body.split("<script").skip(1).map(|s| &s[..s.find("</script>").unwrap_or(s.len())]).collect();
        for script in &scripts {
            let (attributes, code) = script.split_once('>').unwrap();
            assert!(!attributes.contains("src") && !attributes.contains("module"), "{script}");
            assert!(code.split(';').all(|d| d.is_empty() || d.ends_with("=[]")), "{script}");
        }
    }
}
