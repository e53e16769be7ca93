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

    async fn the_countries_page_speaks_french_with_cldr_names_in_french_order(t) {
        let res = t.app().get("/countries?lang=fr").await;
        assert_eq!(res.status, StatusCode::OK);
        assert!(res.body.contains("<html lang=\"fr\""));
        assert!(res.body.contains("<h1>Pays</h1>"), "{}", res.body);
        let eu = res.body.find("UE-27 (27)").expect("EU27 heading");
        let other = res.body.find("Autres États membres de la Région européenne de l’OMS (26)").expect("non-EU heading");
        let at = |name: &str| res.body.find(&format!(">{name}<")).unwrap_or_else(|| panic!("{name} missing"));
        // EU27 in French order: Germany is first ("Allemagne"), Austria before Belgium.
        assert!(eu < at("Allemagne") && at("Allemagne") < at("Autriche") && at("Autriche") < at("Belgique"));
        assert!(at("Espagne") < at("Estonie") && at("Suède") < at("Tchéquie") && at("Tchéquie") < other);
        assert!(!res.body.contains(">Germany<"));
        // The rest: accents sort as their letter ("Géorgie" before "Grèce" would be, bytes
        // would put it after "Islande").
        assert!(other < at("Albanie") && at("Azerbaïdjan") < at("Biélorussie") && at("Biélorussie") < at("Bosnie-Herzégovine"));
        assert!(at("Géorgie") < at("Islande") && at("Islande") < at("Israël"));
        assert!(at("Royaume-Uni") < at("Russie") && at("Turquie") < at("Ukraine"));

        let de = t.app().get("/countries?lang=de").await;
        let at = |name: &str| de.body.find(&format!(">{name}<")).unwrap_or_else(|| panic!("{name} missing"));
        assert!(de.body.contains("EU-27 (27)"));
        assert!(at("Niederlande") < at("Österreich") && at("Österreich") < at("Polen"), "Ö sorts as O");
        assert!(at("Türkei") < at("Turkmenistan"), "ü sorts as u");
    }

    async fn the_admin_pages_speak_french_when_asked(t) {
        let app = t.app();
        t.user("admin@example.org", "admin", &[]).await;
        let admin = app.login("admin@example.org", support::PASSWORD).await;
        app.open_period(&admin, "2026 H1", "2026-01-01", "2026-06-30").await;

        let res = app.get_as("/admin/periods?lang=fr", Some(&admin)).await;
        assert_eq!(res.status, StatusCode::OK);
        for text in ["<title>Périodes de rapport — Recovery Tracker</title>", "Périodes, de la plus récente à la plus ancienne",
                     "du 1 janvier 2026 au 30 juin 2026", "Ouverte aux soumissions", "Nouvelle période", "Clôture des soumissions",
                     "Créer la période"] {
            assert!(res.body.contains(text), "{text}: {}", res.body);
        }
        assert!(!res.body.contains("Reporting periods"));

        // The language stays with the reader (the cookie) on the next pages.
        let cookie = format!("{admin}; rt_lang=fr");
        let res = app.get_as("/admin/indicators", Some(&cookie)).await;
        assert_eq!(res.status, StatusCode::OK);
        for text in ["<h1>Indicateurs</h1>", "Nouvel indicateur", "Choisissez une recommandation", "Type de valeur", "Pourcentage",
                     "Obligatoire avant qu’un rapport puisse être soumis", "Créer l’indicateur"] {
            assert!(res.body.contains(text), "{text}: {}", res.body);
        }

        let res = app.get_as("/admin/audit", Some(&cookie)).await;
        assert_eq!(res.status, StatusCode::OK);
        for text in ["<h1>Journal d’audit</h1>", "Toutes les actions", "Période enregistrée", "period-saved", "Connexion",
                     "entrées, de la plus récente à la plus ancienne", "Provenance"] {
            assert!(res.body.contains(text), "{text}: {}", res.body);
        }
        let res = app.get_as("/admin/audit?lang=de", Some(&admin)).await;
        assert!(res.body.contains("<h1>Prüfprotokoll</h1>") && res.body.contains("Zeitraum gespeichert"), "{}", res.body);
    }

    async fn a_french_admin_gets_period_and_indicator_messages_in_french(t) {
        let app = t.app();
        t.user("admin@example.org", "admin", &[]).await;
        let admin = app.login("admin@example.org", support::PASSWORD).await;
        let french = format!("{admin}; rt_lang=fr");

        let res = app.post_form("/api/save_period", &[
            ("name", ""), ("starts_on", "2026-01-01"), ("ends_on", "30/06/2026"), ("opens_on", "2026-07-01"), ("closes_on", "2026-09-30"),
        ], Some(&french)).await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(res.body.contains("Saisissez un nom, par exemple 2026 H1."), "{}", res.body);
        assert!(res.body.contains("Saisissez la date de fin sous forme de date"), "{}", res.body);

        let res = app.post_form("/api/save_indicator", &[
            ("recommendation", "9"), ("name", "Volume"), ("kind", "percentage"), ("min", "-5"), ("max", "cent"),
        ], Some(&french)).await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
        for text in ["Choisissez la recommandation.", "Un pourcentage ne peut pas être inférieur à 0.",
                     "Saisissez un nombre, ou laissez le champ vide pour ne fixer aucune borne."] {
            assert!(res.body.contains(text), "{text}: {}", res.body);
        }
        let form = [("recommendation", "1"), ("name", "Volume"), ("kind", "number")];
        assert_eq!(app.post_form("/api/save_indicator", &form, Some(&french)).await.status, StatusCode::OK);
        let res = app.post_form("/api/save_indicator", &form, Some(&french)).await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(res.body.contains("Cette recommandation a déjà un indicateur portant ce nom."), "{}", res.body);

        // A period whose closing date is past is not opened again; the date is written for
        // the reader.
        let period = app.open_period(&admin, "2025 H2", "2025-07-01", "2025-12-31").await;
        let res = app.post_form("/api/close_period", &[("id", &period.to_string()), ("closed", "true")], Some(&admin)).await;
        assert_eq!(res.status, StatusCode::OK, "{}", res.body);
        sqlx::query("UPDATE reporting_periods SET opens_on = '2026-01-01', closes_on = '2026-01-31' WHERE id = $1")
            .bind(period).execute(&t.db.pool).await.unwrap();
        let reopen = [("id", period.to_string()), ("closed", "false".to_string())];
        let reopen: Vec<(&str, &str)> = reopen.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let res = app.post_form("/api/close_period", &reopen, Some(&french)).await;
        assert_eq!(res.status, StatusCode::CONFLICT);
        assert!(res.body.contains("étaient attendues au plus tard le 31 janvier 2026"), "{}", res.body);
        let res = app.post_form("/api/close_period", &reopen, Some(&format!("{admin}; rt_lang=de"))).await;
        assert!(res.body.contains("waren bis zum 31. Januar 2026 fällig"), "{}", res.body);
        let res = app.post_form("/api/close_period", &reopen, Some(&admin)).await;
        assert!(res.body.contains("were due by 31 January 2026"), "{}", res.body);
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

    async fn chart_files_are_served_precompressed_and_kept_a_year_when_their_names_are_hashed(t) {
        let site = tempfile::tempdir().unwrap();
        let charts = site.path().join("charts");
        std::fs::create_dir_all(&charts).unwrap();
        let name = "echarts.0123456789abcdef.js";
        std::fs::write(charts.join(name), "plain js").unwrap();
        std::fs::write(charts.join(format!("{name}.br")), "brotli js").unwrap();
        std::fs::write(charts.join(format!("{name}.gz")), "gzip js").unwrap();
        std::fs::write(charts.join("manifest.json"), "{}").unwrap();
        let get = |path: String, encoding: &'static str| {
            Request::get(path)
                .header(header::HOST, "localhost")
                .header(header::ACCEPT_ENCODING, encoding)
                .body(Body::empty())
                .unwrap()
        };
        let app = t.app_with_site(site.path(), true);
        let res = app.send(get(format!("/charts/{name}"), "gzip, deflate, br")).await;
        assert_eq!(res.status, StatusCode::OK);
        assert_eq!(res.header("content-encoding").as_deref(), Some("br"));
        assert_eq!(res.header("content-type").as_deref(), Some("text/javascript"));
        assert_eq!(res.body, "brotli js");
        assert_eq!(res.header("cache-control").as_deref(), Some("public, max-age=31536000, immutable"));
        let res = app.send(get(format!("/charts/{name}"), "gzip")).await;
        assert_eq!(res.header("content-encoding").as_deref(), Some("gzip"));
        assert_eq!(res.body, "gzip js");
        let res = app.send(get(format!("/charts/{name}"), "identity")).await;
        assert_eq!(res.header("content-encoding"), None);
        assert_eq!(res.body, "plain js");
        // A name without a hash stays the same across builds: browsers must revalidate it.
        let res = app.send(get("/charts/manifest.json".into(), "identity")).await;
        assert_eq!(res.status, StatusCode::OK);
        assert_eq!(res.header("cache-control").as_deref(), Some("no-cache"));
        // A missing file is not cached at all, and is not a page.
        let res = app.get("/charts/echarts.fedcba9876543210.js").await;
        assert_eq!(res.status, StatusCode::NOT_FOUND);
        assert_eq!(res.header("cache-control"), None);
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

both_engines! {
    async fn while_the_database_cannot_be_reached_pages_functions_and_health_answer_503(t) {
        t.user("fp@example.org", "focal-point", &["IT"]).await;
        let app = t.app();
        let cookie = app.login("fp@example.org", support::PASSWORD).await;
        // The database goes away (here: its pool is closed, as a restart or a network cut
        // would fail every connection).
        t.db.pool.close().await;
        let page = |path: &str, cookie: Option<&str>| {
            let mut req = Request::get(path)
                .header(header::HOST, "localhost")
                .header(header::ACCEPT, "text/html");
            if let Some(c) = cookie {
                req = req.header(header::COOKIE, c);
            }
            req.body(Body::empty()).unwrap()
        };
        let retry = |res: &support::TestResponse| res.header("retry-after").is_some();
        // A public page: the site's page with the reason, in the reader's language.
        let res = app.send(page("/dashboard", None)).await;
        assert_eq!(res.status, StatusCode::SERVICE_UNAVAILABLE, "{}", res.body);
        assert!(retry(&res));
        assert!(res.body.contains("The service is briefly unavailable"), "{}", res.body);
        let res = app
            .send(
                Request::get("/countries/IT")
                    .header(header::HOST, "localhost")
                    .header(header::ACCEPT, "text/html")
                    .header(header::ACCEPT_LANGUAGE, "fr")
                    .body(Body::empty())
                    .unwrap(),
            )
            .await;
        assert_eq!(res.status, StatusCode::SERVICE_UNAVAILABLE);
        assert!(res.body.contains("momentanément indisponible"), "{}", res.body);
        // A signed-in page: not "signed out" (which would send them to sign in again).
        let res = app.send(page("/report", Some(&cookie))).await;
        assert_eq!(res.status, StatusCode::SERVICE_UNAVAILABLE, "{}", res.body);
        assert!(retry(&res));
        assert!(res.body.contains("The service is briefly unavailable"), "{}", res.body);
        assert!(res.header("location").is_none());
        // A server function of a signed-out caller: the error as JSON, 503.
        let res = app.post_form("/api/login", &[("email", "fp@example.org"), ("password", support::PASSWORD)], None).await;
        assert_eq!(res.status, StatusCode::SERVICE_UNAVAILABLE, "{}", res.body);
        assert!(retry(&res));
        // The load balancer's check.
        let res = app.get("/health").await;
        assert_eq!(res.status, StatusCode::SERVICE_UNAVAILABLE);
        assert_eq!(res.json()["status"], "unavailable");
    }
}
