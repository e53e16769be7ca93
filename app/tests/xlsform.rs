#![cfg(feature = "ssr")]
//! XLSForm survey definitions on both engines: an admin downloads a survey as an XLSForm
//! that reads back as the same survey; focal points, viewers and anonymous visitors are
//! refused; `import_xlsform` creates a draft whose definition is the imported one, with its
//! audit entry, and refuses anyone but an admin without writing anything.

mod support;

use app::caller::{CurrentUser, Role};
use app::error::AppError;
use app::lang::Locale;
use app::spreadsheet::grid::{Cell, Format, Sheet, Workbook};
use app::surveys::model::{Definition, SurveyStatus};
use app::surveys::xlsform::{self, service::import_xlsform};
use app::surveys::{repo, service};
use axum::http::{header, StatusCode};
use support::{TestDb, PASSWORD};

const IP: &str = "127.0.0.1";

fn user(id: i64, role: Role) -> CurrentUser {
    CurrentUser {
        id,
        email: "admin@example.org".into(),
        display_name: "Admin".into(),
        role,
        countries: vec![],
    }
}

/// A draft survey holding `def`; returns its id.
async fn survey(t: &TestDb, admin: &CurrentUser, def: Definition) -> i64 {
    let id = service::create(&t.db, admin, IP, "Draft", "en")
        .await
        .unwrap();
    let version = repo::get(&mut t.db.conn().await.unwrap(), id)
        .await
        .unwrap()
        .version;
    service::edit(&t.db, admin, IP, id, version, "questions", |d| {
        *d = def;
        Ok(())
    })
    .await
    .unwrap();
    id
}

/// An XLSX file as a grid of cells (what the upload's reader gives the importer).
fn read_xlsx(bytes: Vec<u8>) -> Workbook {
    use calamine::{Data, Reader};
    let mut x = calamine::Xlsx::new(std::io::Cursor::new(bytes)).expect("an XLSX file");
    let sheets = x
        .sheet_names()
        .iter()
        .map(|name| {
            let range = x.worksheet_range(name).expect("a sheet");
            let (r0, c0) = range.start().unwrap_or((0, 0));
            let mut rows = vec![Vec::new(); r0 as usize];
            for row in range.rows() {
                let mut cells = vec![Cell::Empty; c0 as usize];
                cells.extend(row.iter().map(|d| match d {
                    Data::String(s) => Cell::Text(s.clone()),
                    Data::Empty => Cell::Empty,
                    other => Cell::Text(other.to_string()),
                }));
                rows.push(cells);
            }
            Sheet {
                name: name.clone(),
                rows,
                ..Sheet::default()
            }
        })
        .collect();
    Workbook {
        format: Format::Xlsx,
        sheets,
    }
}

async fn count(t: &TestDb, sql: &str) -> i64 {
    let (n,): (i64,) = sqlx::query_as(sql).fetch_one(&t.db.pool).await.unwrap();
    n
}

both_engines! {
    async fn an_admin_downloads_the_xlsform_and_everyone_else_is_refused(t) {
        let admin_id = t.user("admin@example.org", "admin", &[]).await;
        t.user("viewer@example.org", "viewer", &[]).await;
        t.user("fp@example.org", "focal-point", &["IT"]).await;
        let def = app::demo::surveys::closed_survey();
        let id = survey(&t, &user(admin_id, Role::Admin), def.clone()).await;
        let app = t.app();
        let admin = app.login("admin@example.org", PASSWORD).await;
        let path = format!("/admin/surveys/{id}/xlsform.xlsx");

        let (status, headers, bytes) = app.get_bytes_as(&path, Some(&admin)).await;
        assert_eq!(status, StatusCode::OK, "{}", String::from_utf8_lossy(&bytes));
        assert_eq!(
            headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()),
            Some("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        );
        assert!(headers
            .get(header::CONTENT_DISPOSITION)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("attachment")));
        let imported = xlsform::from_workbook(&read_xlsx(bytes), Locale::en).expect("imported");
        assert_eq!(imported.definition, def);

        // The builder links to it.
        let page = app.get_as(&format!("/admin/surveys/{id}"), Some(&admin)).await;
        assert!(page.body.contains(&path), "{}", page.body);
        assert!(page.body.contains("Download as XLSForm"));

        let viewer = app.login("viewer@example.org", PASSWORD).await;
        let fp = app.login("fp@example.org", PASSWORD).await;
        for (who, cookie, expected) in [
            ("viewer", Some(viewer.as_str()), StatusCode::FORBIDDEN),
            ("focal point", Some(fp.as_str()), StatusCode::FORBIDDEN),
            ("anonymous", None, StatusCode::UNAUTHORIZED),
        ] {
            let (status, _, bytes) = app.get_bytes_as(&path, cookie).await;
            assert_eq!(status, expected, "{who}");
            assert!(!bytes.starts_with(b"PK"), "{who} got a workbook");
        }
        // An unknown survey is not found, for an admin.
        let (status, _, _) = app.get_bytes_as("/admin/surveys/999999/xlsform.xlsx", Some(&admin)).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
    }

    async fn import_xlsform_creates_a_draft_with_the_imported_definition(t) {
        let admin_id = t.user("admin@example.org", "admin", &[]).await;
        let fp_id = t.user("fp@example.org", "focal-point", &["IT"]).await;
        let wb = xlsform::export::to_workbook(&app::demo::surveys::closed_survey(), "f").unwrap();
        let imported = xlsform::from_workbook(&wb, Locale::en).expect("imported");

        // Anyone but an admin is refused, and nothing is written.
        let before = t.fingerprint().await;
        let refused = import_xlsform(&t.db, &user(fp_id, Role::FocalPoint), IP, &imported).await;
        assert_eq!(refused, Err(AppError::Forbidden));
        assert_eq!(t.fingerprint().await, before);

        // A definition that does not hold (edited after the dry run) is refused too.
        let mut broken = imported.clone();
        broken.definition.sections[0].questions[1].code = "B1".into();
        let refused = import_xlsform(&t.db, &user(admin_id, Role::Admin), IP, &broken).await;
        assert!(matches!(refused, Err(AppError::Invalid(_))), "{refused:?}");
        assert_eq!(t.fingerprint().await, before);

        let id = import_xlsform(&t.db, &user(admin_id, Role::Admin), IP, &imported)
            .await
            .unwrap();
        let stored = repo::get(&mut t.db.conn().await.unwrap(), id).await.unwrap();
        assert_eq!(stored.definition, imported.definition);
        assert_eq!(stored.status, SurveyStatus::Draft);
        assert_eq!(count(&t, "SELECT COUNT(*) FROM surveys").await, 1);
        assert_eq!(
            count(
                &t,
                &format!(
                    "SELECT COUNT(*) FROM audit_log WHERE action = 'survey-imported' \
                     AND subject = 'survey:{id}'"
                )
            )
            .await,
            1
        );
    }
}
