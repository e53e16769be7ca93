#![cfg(feature = "ssr")]
//! The data layer and the open-data API over the reference data, on both engines.

mod support;

use app::{countries, recommendations};
use axum::http::StatusCode;

const TITLES: [&str; 7] = [
    "Urgently address the cancer backlog",
    "Restore the confidence of European citizens and patients in cancer health services",
    "Tackle medicines, products and equipment shortages",
    "Address cancer workforce gaps across the European continent",
    "Employ innovative technologies and solutions to strengthen cancer systems and provide optimal care to cancer patients",
    "Embed data collection and the rapid deployment of cancer intelligence to enhance policy delivery",
    "Secure deeper long-term European health cooperation",
];

const EU27: [&str; 27] = [
    "AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR", "DE", "GR", "HU", "IE", "IT", "LV",
    "LT", "LU", "MT", "NL", "PL", "PT", "RO", "SK", "SI", "ES", "SE",
];

both_engines! {
    async fn migrations_seed_the_seven_recommendations_in_order(t) {
        let list = recommendations::repo::list(&mut t.db.conn().await.unwrap()).await.unwrap();
        let titles: Vec<&str> = list.iter().map(|r| r.title.as_str()).collect();
        assert_eq!(titles, TITLES);
        assert_eq!(list.iter().map(|r| r.number).collect::<Vec<_>>(), (1..=7).collect::<Vec<_>>());
        for r in &list {
            let sentences = r.description.matches(". ").count() + 1;
            assert!((2..=3).contains(&sentences), "{}: {} sentences", r.number, sentences);
        }
    }

    async fn migrations_seed_53_countries_with_exactly_the_eu27_flagged(t) {
        let list = countries::repo::list(&mut t.db.conn().await.unwrap()).await.unwrap();
        assert_eq!(list.len(), 53);
        let mut eu: Vec<&str> = list.iter().filter(|c| c.eu_member).map(|c| c.iso2.as_str()).collect();
        eu.sort();
        let mut expected = EU27.to_vec();
        expected.sort();
        assert_eq!(eu, expected);
        let italy = countries::repo::get(&mut t.db.conn().await.unwrap(), "it").await.unwrap();
        assert_eq!((italy.iso3.as_str(), italy.name.as_str()), ("ITA", "Italy"));
    }

    async fn an_unknown_recommendation_or_country_is_not_found(t) {
        assert_eq!(recommendations::repo::get(&mut t.db.conn().await.unwrap(), 8).await, Err(app::error::AppError::NotFound));
        assert_eq!(countries::repo::get(&mut t.db.conn().await.unwrap(), "XX").await, Err(app::error::AppError::NotFound));
    }

    async fn the_api_lists_recommendations_as_json_and_csv(t) {
        let app = t.app();
        let res = app.get("/api/v1/recommendations").await;
        assert_eq!(res.status, StatusCode::OK);
        let json = res.json();
        let list = json.as_array().unwrap();
        assert_eq!(list.len(), 7);
        assert_eq!(list[0]["number"], 1);
        assert_eq!(list[0]["title"], TITLES[0]);
        assert!(list[0]["description"].as_str().unwrap().len() > 40);

        let csv = app.get("/api/v1/recommendations.csv").await;
        assert_eq!(csv.status, StatusCode::OK);
        assert!(csv.header("content-type").unwrap().starts_with("text/csv"));
        let mut reader = csv::Reader::from_reader(csv.body.as_bytes());
        assert_eq!(reader.headers().unwrap(), vec!["number", "title", "description", "title_label", "description_label"]);
        let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
        assert_eq!(rows.len(), 7);
        assert_eq!(&rows[6][1], TITLES[6]);
        assert_eq!(&rows[6][3], TITLES[6], "labels are English by default");
    }

    async fn the_api_lists_53_countries_of_which_27_are_eu_members(t) {
        let app = t.app();
        let res = app.get("/api/v1/countries").await;
        assert_eq!(res.status, StatusCode::OK);
        let json = res.json();
        let list = json.as_array().unwrap();
        assert_eq!(list.len(), 53);
        assert_eq!(list.iter().filter(|c| c["eu_member"] == true).count(), 27);
        let keys: Vec<&String> = list[0].as_object().unwrap().keys().collect();
        assert_eq!(keys.len(), 5);
        let italy = list.iter().find(|c| c["iso2"] == "IT").unwrap();
        assert_eq!((&italy["name"], &italy["name_label"]), (&"Italy".into(), &"Italy".into()));
        assert_eq!(res.header("access-control-allow-origin").as_deref(), Some("*"));

        let csv = app.get("/api/v1/countries.csv").await;
        let mut reader = csv::Reader::from_reader(csv.body.as_bytes());
        assert_eq!(reader.headers().unwrap(), vec!["iso2", "iso3", "name", "eu_member", "name_label"]);
        assert_eq!(reader.records().count(), 53);
    }

    async fn one_country_by_code_and_a_json_404_for_an_unknown_code(t) {
        let app = t.app();
        let res = app.get("/api/v1/countries/fr").await;
        assert_eq!(res.status, StatusCode::OK);
        assert_eq!(res.json()["iso3"], "FRA");
        assert_eq!(res.json()["eu_member"], true);

        for code in ["XX", "FRA", "1"] {
            let res = app.get(&format!("/api/v1/countries/{code}")).await;
            assert_eq!(res.status, StatusCode::NOT_FOUND, "{code}");
            assert!(res.header("content-type").unwrap().starts_with("application/json"));
            assert_eq!(res.json()["status"], 404);
            assert!(res.json()["error"].as_str().unwrap().contains("does not exist"));
        }
    }

    async fn the_open_data_keeps_its_columns_and_adds_labels_in_the_language_asked_for(t) {
        let app = t.app();
        let csv = app.get("/api/v1/countries.csv?lang=fr").await;
        assert_eq!(csv.status, StatusCode::OK);
        let mut reader = csv::Reader::from_reader(csv.body.as_bytes());
        assert_eq!(reader.headers().unwrap(), vec!["iso2", "iso3", "name", "eu_member", "name_label"]);
        let germany = reader.records().map(Result::unwrap).find(|r| &r[0] == "DE").unwrap();
        assert_eq!((&germany[2], &germany[4]), ("Germany", "Allemagne"));

        let one = app.get("/api/v1/countries/de?lang=de").await.json();
        assert_eq!((&one["iso3"], &one["name"], &one["name_label"]), (&"DEU".into(), &"Germany".into(), &"Deutschland".into()));
        let missing = app.get("/api/v1/countries/XX?lang=fr").await;
        assert_eq!(missing.status, StatusCode::NOT_FOUND);
        assert_eq!(missing.json()["error"], "La page ou l'enregistrement demandé n'existe pas.");

        let recs = app.get("/api/v1/recommendations?lang=de").await.json();
        assert_eq!(recs[0]["title"], TITLES[0]);
        assert_eq!(recs[0]["title_label"], "Den Rückstau in der Krebsversorgung dringend abbauen");
    }

    async fn the_progress_csv_in_german_keeps_machine_headers_and_adds_german_labels(t) {
        let app = t.app();
        t.user("admin@example.org", "admin", &[]).await;
        t.user("fp-it@example.org", "focal-point", &["IT"]).await;
        let admin = app.login("admin@example.org", support::PASSWORD).await;
        let fp = app.login("fp-it@example.org", support::PASSWORD).await;
        let period = app.open_period(&admin, "2026 H1", "2026-01-01", "2026-06-30").await;
        let form = support::full_report("IT", period, 0, "submit");
        let res = app.post_form("/api/save_report", &support::pairs(&form), Some(&fp)).await;
        assert_eq!(res.json()["state"], "submitted", "{}", res.body);
        let version = res.json()["version"].as_i64().unwrap().to_string();
        let res = app.post_form("/api/review_report", &[
            ("country", "IT"), ("period", &period.to_string()), ("version", &version), ("decision", "approve"),
        ], Some(&admin)).await;
        assert_eq!(res.status, StatusCode::OK, "{}", res.body);

        let csv = app.get("/api/v1/progress.csv?lang=de").await;
        assert_eq!(csv.status, StatusCode::OK);
        let mut reader = csv::Reader::from_reader(csv.body.as_bytes());
        assert_eq!(reader.headers().unwrap(), vec![
            "country", "country_name", "period", "recommendation", "recommendation_title", "status", "narrative", "as_of",
            "evidence", "indicators", "approved_at", "country_label", "recommendation_title_label", "status_label",
        ]);
        let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
        assert_eq!(rows.len(), 7);
        let first = &rows[0];
        assert_eq!((&first[0], &first[1], &first[3], &first[4], &first[5]), ("IT", "Italy", "1", TITLES[0], "planned"));
        assert_eq!((&first[11], &first[12], &first[13]), ("Italien", "Den Rückstau in der Krebsversorgung dringend abbauen", "Geplant"));

        let json = app.get("/api/v1/progress?lang=fr").await.json();
        assert_eq!(json[0]["status"], "planned");
        assert_eq!((&json[0]["country_label"], &json[0]["status_label"]), (&"Italie".into(), &"Planifié".into()));
        let english = app.get("/api/v1/progress.csv").await;
        let mut reader = csv::Reader::from_reader(english.body.as_bytes());
        let row = reader.records().next().unwrap().unwrap();
        assert_eq!((&row[11], &row[13]), ("Italy", "Planned"));

        let periods = app.get("/api/v1/periods.csv?lang=de").await;
        let mut reader = csv::Reader::from_reader(periods.body.as_bytes());
        assert_eq!(reader.headers().unwrap().iter().next_back(), Some("submissions_label"));
        let row = reader.records().next().unwrap().unwrap();
        assert_eq!((&row[6], &row[7]), ("open", "Für Einreichungen geöffnet"));
    }

    async fn health_names_the_engine(t) {
        let res = t.app().get("/health").await;
        assert_eq!(res.status, StatusCode::OK);
        assert_eq!(res.json()["status"], "ok");
        assert_eq!(res.json()["database"], t.engine().name());
    }
}
