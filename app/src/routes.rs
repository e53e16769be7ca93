//! Every internal URL of the site, built in one place: pages link with these, server
//! functions redirect with them, and the route table in `lib.rs` matches them.

/// `/`: the recommendations.
pub const HOME: &str = "/";
/// The list of countries.
pub const COUNTRIES: &str = "/countries";
/// The sign-in page.
pub const LOGIN: &str = "/login";
/// The admin's list of users.
pub const ADMIN_USERS: &str = "/admin/users";
/// The audit log.
pub const ADMIN_AUDIT: &str = "/admin/audit";
/// The list of reporting periods.
pub const ADMIN_PERIODS: &str = "/admin/periods";
/// The list of indicators.
pub const ADMIN_INDICATORS: &str = "/admin/indicators";
/// A focal point's reports.
pub const MY_REPORTS: &str = "/report";
/// The European comparison: map, heatmap, distribution, ranking.
pub const DASHBOARD: &str = "/dashboard";
/// Movement between periods.
pub const DASHBOARD_MOVEMENT: &str = "/dashboard/movement";
/// Countries ranked on one indicator.
pub const DASHBOARD_INDICATORS: &str = "/dashboard/indicators";
/// A figure's CSV and image: `{DASHBOARD_DOWNLOADS}/{figure}.csv?{filters}`.
pub const DASHBOARD_DOWNLOADS: &str = "/dashboard/download";
/// The map of Europe's boundaries, projected, for ECharts (`registerMap`).
pub const MAP_GEOJSON: &str = "/dashboard/europe.geo.json";

/// The open-data API (`/api/v1`), as the footer links it.
pub const API_RECOMMENDATIONS: &str = "/api/v1/recommendations";
pub const API_RECOMMENDATIONS_CSV: &str = "/api/v1/recommendations.csv";
pub const API_COUNTRIES: &str = "/api/v1/countries";
pub const API_COUNTRIES_CSV: &str = "/api/v1/countries.csv";
pub const API_PERIODS: &str = "/api/v1/periods";
pub const API_PROGRESS: &str = "/api/v1/progress";
pub const API_PROGRESS_CSV: &str = "/api/v1/progress.csv";

/// `path` with the flag `key` set (`?saved=1`): what the page says after a redirect.
pub fn with_flag(path: &str, key: &str) -> String {
    format!("{path}?{key}=1")
}

/// `path` with its query (`search`, without `?`) in the language `tag`: `?lang=` replaced.
pub fn with_language(path: &str, search: &str, tag: &str) -> String {
    let mut query: Vec<String> = search
        .split('&')
        .filter(|p| {
            let key = p.split('=').next().unwrap_or_default();
            // `__err` and the like carry a message in the old language: not kept.
            !p.is_empty() && key != "lang" && !key.starts_with("__")
        })
        .map(str::to_string)
        .collect();
    query.push(format!("lang={}", urlencode(tag)));
    format!("{path}?{}", query.join("&"))
}

/// The sign-in page, then back to `next`.
pub fn login_then(next: &str) -> String {
    format!("{LOGIN}?next={}", urlencode(next))
}

/// One recommendation.
pub fn recommendation(number: i64) -> String {
    format!("/recommendations/{number}")
}

/// One user, for the admin.
pub fn admin_user(id: i64) -> String {
    format!("{ADMIN_USERS}/{id}")
}

/// A period's completeness board (and settings).
pub fn period(id: i64) -> String {
    format!("{ADMIN_PERIODS}/{id}")
}

/// A period's completeness board for one group of countries.
pub fn period_group(id: i64, group: &str) -> String {
    format!("{ADMIN_PERIODS}/{id}?group={group}")
}

/// One indicator's form.
pub fn indicator(id: i64) -> String {
    format!("{ADMIN_INDICATORS}/{id}")
}

/// A country's profile.
pub fn country(iso2: &str) -> String {
    format!("{COUNTRIES}/{iso2}")
}

/// A country's report for a period.
pub fn report(iso2: &str, period_id: i64) -> String {
    format!("{MY_REPORTS}/{iso2}/{period_id}")
}

/// A country's report as a workbook (its template).
pub fn report_template(iso2: &str, period_id: i64) -> String {
    format!("{MY_REPORTS}/{iso2}/{period_id}/template.xlsx")
}

/// Every country's report for a period as one workbook (the secretariat's).
pub fn bulk_workbook(period_id: i64) -> String {
    format!("{ADMIN_PERIODS}/{period_id}/workbook.xlsx")
}

/// Where upload forms post (multipart).
pub const IMPORTS: &str = "/imports";

/// An import's dry run.
pub fn import(id: i64) -> String {
    format!("{IMPORTS}/{id}")
}

/// Applies an import (POST).
pub fn import_apply(id: i64) -> String {
    format!("{IMPORTS}/{id}/apply")
}

/// Discards an import (POST).
pub fn import_discard(id: i64) -> String {
    format!("{IMPORTS}/{id}/discard")
}

/// An invitation link (`token` is the credential).
pub fn invitation(base: &str, token: &str) -> String {
    format!("{base}/invitation/{token}")
}

/// A password-reset link (`token` is the credential).
pub fn password_reset(base: &str, token: &str) -> String {
    format!("{base}/reset-password/{token}")
}

// Surveys: the builder.

/// The admins' list of surveys.
pub const ADMIN_SURVEYS: &str = "/admin/surveys";

/// A survey's builder.
pub fn admin_survey(id: i64) -> String {
    format!("{ADMIN_SURVEYS}/{id}")
}

/// The form of one question of a survey.
pub fn admin_survey_question(id: i64, code: &str) -> String {
    format!("{ADMIN_SURVEYS}/{id}/questions/{}", urlencode(code))
}

/// The form of one section of a survey.
pub fn admin_survey_section(id: i64, code: &str) -> String {
    format!("{ADMIN_SURVEYS}/{id}/sections/{}", urlencode(code))
}

/// A survey as a respondent sees it, in `lang`.
pub fn survey_preview(id: i64, lang: &str) -> String {
    format!("{ADMIN_SURVEYS}/{id}/preview?lang={}", urlencode(lang))
}

/// A survey's invitations.
pub fn survey_invitations(id: i64) -> String {
    format!("{ADMIN_SURVEYS}/{id}/invitations")
}

/// A survey's results.
pub fn survey_results(id: i64) -> String {
    format!("{ADMIN_SURVEYS}/{id}/results")
}

// (end of the builder's URLs)

// Surveys: invitations, results, responses, a member's data.

/// A survey's answering link (personal or open): `token` is the credential.
pub fn survey_link(base: &str, token: &str) -> String {
    format!("{base}/s/{token}")
}

/// A member's own data.
pub const ACCOUNT_DATA: &str = "/account/data";

/// The links of a survey's invitations as CSV, for a mail merge.
pub fn survey_invitations_csv(id: i64) -> String {
    format!("/admin/surveys/{id}/invitations.csv")
}

/// One question's table (`csv`) or chart (`svg`) of a survey's results, with the filters
/// (`query`, without `?`).
pub fn survey_figure(id: i64, code: &str, ext: &str, query: &str) -> String {
    let sep = if query.is_empty() { "" } else { "?" };
    format!(
        "/admin/surveys/{id}/results/{}.{ext}{sep}{query}",
        urlencode(code)
    )
}

/// A survey's responses exported (`csv` or `xlsx`), with the filters (`query`, without `?`).
pub fn survey_export(id: i64, ext: &str, query: &str) -> String {
    let sep = if query.is_empty() { "" } else { "?" };
    format!("/admin/surveys/{id}/export.{ext}{sep}{query}")
}

/// A survey's definition as an XLSForm workbook (admins).
pub fn survey_xlsform(id: i64) -> String {
    format!("/admin/surveys/{id}/xlsform.xlsx")
}

/// A survey's list of responses.
pub fn survey_responses(id: i64) -> String {
    format!("/admin/surveys/{id}/responses")
}

/// One response of a survey (its answers, and deleting it).
pub fn survey_response(id: i64, response: i64) -> String {
    format!("/admin/surveys/{id}/responses/{response}")
}

// (end of the results' URLs)

// Surveys: answering.

/// The answering page of a link (`token` is the credential): `/s/{token}`.
pub fn survey_answer(token: &str) -> String {
    format!("/s/{token}")
}

/// Where the answering pages' forms post.
pub fn survey_answers_post(token: &str) -> String {
    format!("/s/{token}/answers")
}

/// The copy of a submitted response (`receipt` is the credential).
pub fn survey_copy(receipt: &str) -> String {
    format!("/s/copy/{receipt}")
}

/// The copy as a spreadsheet.
pub fn survey_copy_csv(receipt: &str) -> String {
    format!("/s/copy/{receipt}/answers.csv")
}

// (end of the answering URLs)

/// Percent-encodes a query-string value.
pub fn urlencode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => {
                out.push(b as char)
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_are_the_routes_of_the_app() {
        assert_eq!(report("IT", 3), "/report/IT/3");
        assert_eq!(with_flag(&report("IT", 3), "saved"), "/report/IT/3?saved=1");
        assert_eq!(period_group(2, "eu27"), "/admin/periods/2?group=eu27");
        assert_eq!(admin_user(5), "/admin/users/5");
        assert_eq!(login_then("/report?x=1"), "/login?next=/report%3Fx%3D1");
        assert_eq!(
            invitation("https://t.example.eu", "abc"),
            "https://t.example.eu/invitation/abc"
        );
    }

    #[test]
    fn query_values_are_percent_encoded() {
        assert_eq!(
            urlencode("/admin/users?role=admin&x=ü"),
            "/admin/users%3Frole%3Dadmin%26x%3D%C3%BC"
        );
    }
}
