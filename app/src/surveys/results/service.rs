//! The results' operations: each checks the caller first (`policy`), loads what it needs
//! once, and builds a view from the pure sums. Called by the server functions and by the
//! download routes alike.

use super::answer_text::answer_lines;
use super::figures::{self, Ctx};
use super::*;
use crate::auth::model::MemberType;
use crate::caller::CurrentUser;
use crate::db::Db;
use crate::error::AppError;
use crate::i18n::*;
use crate::lang::{format, Locale};
use crate::routes;
use crate::surveys::model::{Answer, Invitation, Survey, SurveyStatus};
use crate::surveys::{policy, repo, service};
use crate::ui::{Cell, Column, ColumnKind, Table};

/// A member type in words (the stored code when unknown).
pub fn member_type_label(l: Locale, code: &str) -> String {
    code.parse::<MemberType>()
        .map(|m| m.label(l).to_string())
        .unwrap_or_else(|_| code.to_string())
}

fn country_label(l: Locale, iso2: &str) -> String {
    format::country_name_or(l, iso2, iso2)
}

/// The survey's language closest to the reader's.
fn reading_language(survey: &Survey, l: Locale) -> String {
    survey.definition.language(l.tag()).to_string()
}

/// `(value, label)` pairs sorted by label, with "All" first.
fn choices(l: Locale, mut values: Vec<(String, String)>) -> Vec<FilterChoice> {
    values.sort_by(|a, b| format::compare(l, &a.1, &b.1));
    values.dedup();
    std::iter::once((String::new(), td_string!(l, survey_results.all).to_string()))
        .chain(values)
        .collect()
}

/// A response-rate table: one row per group.
fn rate_table(
    l: Locale,
    caption: String,
    key: &'static str,
    label: &'static str,
    rates: &[(String, aggregate::Rate)],
) -> Table {
    Table {
        caption,
        columns: vec![
            Column::named(key, label, ColumnKind::Text).row_header(),
            Column::named(
                "invited",
                td_string!(l, survey_results.col_invited),
                ColumnKind::Number,
            ),
            Column::named(
                "answered",
                td_string!(l, survey_results.col_answered_invitations),
                ColumnKind::Number,
            ),
            Column::named(
                "rate",
                td_string!(l, survey_results.col_rate),
                ColumnKind::Number,
            ),
        ],
        rows: rates
            .iter()
            .map(|(name, r)| {
                let rate = aggregate::whole_percent(r.answered, r.invited)
                    .map(|p| td_string!(l, survey_results.percent, value = p).to_string())
                    .unwrap_or_else(|| "–".into());
                vec![
                    Cell::Text(name.clone()),
                    Cell::from(r.invited),
                    Cell::from(r.answered),
                    Cell::Text(rate),
                ]
            })
            .collect(),
    }
}

/// The three response-rate tables: overall, by country, by member type (invitations know
/// who answered, anonymous surveys too).
fn rates(l: Locale, invitations: &[&Invitation]) -> Vec<Table> {
    let answered = |i: &Invitation| i.answered_on.is_some();
    let unknown = td_string!(l, survey_results.unknown).to_string();
    let named = |rates: Vec<aggregate::Rate>,
                 name: &dyn Fn(&str) -> String|
     -> Vec<(String, aggregate::Rate)> {
        rates
            .into_iter()
            .map(|r| {
                (
                    if r.key.is_empty() {
                        unknown.clone()
                    } else {
                        name(&r.key)
                    },
                    r,
                )
            })
            .collect()
    };
    let overall = aggregate::Rate {
        key: String::new(),
        invited: invitations.len(),
        answered: invitations.iter().filter(|i| answered(i)).count(),
    };
    vec![
        rate_table(
            l,
            td_string!(l, survey_results.rate_overall).to_string(),
            "group",
            td_string!(l, survey_results.col_group),
            &[(
                td_string!(l, survey_results.all_invited).to_string(),
                overall,
            )],
        ),
        rate_table(
            l,
            td_string!(l, survey_results.rate_by_country).to_string(),
            "country",
            td_string!(l, survey_results.col_country),
            &named(
                aggregate::rates_by(invitations.iter().map(|i| (i.country.clone(), answered(i)))),
                &|k| country_label(l, k),
            ),
        ),
        rate_table(
            l,
            td_string!(l, survey_results.rate_by_member_type).to_string(),
            "member_type",
            td_string!(l, survey_results.col_member_type),
            &named(
                aggregate::rates_by(
                    invitations
                        .iter()
                        .map(|i| (i.member_type.clone(), answered(i))),
                ),
                &|k| member_type_label(l, k),
            ),
        ),
    ]
}

/// The results of survey `id` for `query`: response rate, then every question (hidden ones
/// too, marked). Responses are read once.
pub async fn results(
    db: &Db,
    caller: Option<&CurrentUser>,
    id: i64,
    query: &ResultsQuery,
    l: Locale,
) -> Result<ResultsView, AppError> {
    policy::may_read_results(caller)?;
    let mut c = db.conn().await?;
    let survey = repo::get(&mut c, id).await?;
    let responses = repo::responses(&mut c, id, &query.filter()).await?;
    let invitations = repo::invitations(&mut c, id).await?;
    let facets = repo::response_facets(&mut c, id).await?;
    drop(c);
    let def = &survey.definition;
    let lang = reading_language(&survey, l);
    let ctx = Ctx {
        def,
        lang: &lang,
        locale: l,
        survey_id: id,
        filters: query,
        selected: responses.len(),
    };
    let questions = def
        .questions()
        .map(|q| {
            let answers: Vec<&Answer> = responses
                .iter()
                .filter_map(|r| r.answers.get(&q.code))
                .collect();
            figures::question_result(&ctx, q, &answers)
        })
        .collect();
    let invited: Vec<&Invitation> = invitations
        .iter()
        .filter(|i| {
            query.country.is_empty() || i.country.as_deref() == Some(query.country.as_str())
        })
        .filter(|i| {
            query.member_type.is_empty()
                || i.member_type.as_deref() == Some(query.member_type.as_str())
        })
        .collect();
    let mut countries: Vec<(String, String)> = invitations
        .iter()
        .filter_map(|i| i.country.clone())
        .map(|c| (c.clone(), country_label(l, &c)))
        .collect();
    countries.extend(
        facets
            .iter()
            .filter_map(|f| f.country_iso2.clone())
            .map(|c| (c.clone(), country_label(l, &c))),
    );
    let mut types: Vec<(String, String)> = invitations
        .iter()
        .filter_map(|i| i.member_type.clone())
        .map(|t| (t.clone(), member_type_label(l, &t)))
        .collect();
    types.extend(
        facets
            .iter()
            .filter_map(|f| f.member_type.clone())
            .map(|t| (t.clone(), member_type_label(l, &t))),
    );
    let mut languages: Vec<(String, String)> = def
        .languages
        .iter()
        .map(|c| {
            (
                c.clone(),
                crate::surveys::model::definition::language_name(c).to_string(),
            )
        })
        .collect();
    languages.extend(facets.iter().map(|f| {
        (
            f.language.clone(),
            crate::surveys::model::definition::language_name(&f.language).to_string(),
        )
    }));
    Ok(ResultsView {
        survey_id: id,
        title: survey.title(&lang).to_string(),
        status: survey.status,
        anonymous: survey.anonymous,
        selected: responses.len(),
        total: usize::try_from(survey.responses).unwrap_or_default(),
        filters: query.clone(),
        countries: choices(l, countries),
        member_types: choices(l, types),
        languages: choices(l, languages),
        rates: rates(l, &invited),
        questions,
        export_csv: routes::survey_export(id, "csv", &query.query(false)),
        export_xlsx: routes::survey_export(id, "xlsx", &query.query(false)),
        may_manage: policy::may_manage(caller).is_ok(),
    })
}

/// The member filter of the invitations page.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MemberFilter {
    pub country: String,
    pub member_type: String,
    pub organisation: String,
    pub pending_only: bool,
}

impl MemberFilter {
    pub fn from_query(query: &str) -> Self {
        let mut f = Self::default();
        for (k, v) in url::form_urlencoded::parse(query.as_bytes()) {
            let v: String = v.trim().chars().take(200).collect();
            match k.as_ref() {
                "country" => f.country = v.to_ascii_uppercase(),
                "member_type" => f.member_type = v,
                "organisation" => f.organisation = v,
                "pending" => f.pending_only = !v.is_empty(),
                _ => {}
            }
        }
        f
    }
}

fn invitation_line(l: Locale, base: &str, i: &Invitation) -> InvitationLine {
    InvitationLine {
        name: i.display_name.clone(),
        email: i.email.clone(),
        organisation: i.organisation.clone().unwrap_or_default(),
        member_type: i
            .member_type
            .as_deref()
            .map(|t| member_type_label(l, t))
            .unwrap_or_default(),
        country: i
            .country
            .as_deref()
            .map(|c| country_label(l, c))
            .unwrap_or_default(),
        link: routes::survey_link(base, &i.token),
        answered_on: i.answered_on.as_deref().map(|d| format::date(l, d)),
    }
}

/// The invitations page: members matching the filter, the links, the open link. Admins only.
pub async fn invitations(
    db: &Db,
    caller: Option<&CurrentUser>,
    id: i64,
    f: &MemberFilter,
    base: &str,
    l: Locale,
) -> Result<InvitationsView, AppError> {
    policy::may_manage(caller)?;
    let mut c = db.conn().await?;
    let survey = repo::get(&mut c, id).await?;
    let invitations = repo::invitations(&mut c, id).await?;
    let members = repo::members(&mut c, &f.country, &f.member_type, &f.organisation).await?;
    let countries = crate::countries::repo::list(&mut c).await?;
    drop(c);
    let lang = reading_language(&survey, l);
    let candidates = members
        .into_iter()
        .map(|m| Candidate {
            invited: invitations.iter().any(|i| i.user_id == m.id),
            id: m.id,
            name: m.display_name,
            email: m.email,
            organisation: m.organisation.unwrap_or_default(),
            member_type: m
                .member_type
                .as_deref()
                .map(|t| member_type_label(l, t))
                .unwrap_or_default(),
            country: m
                .member_country
                .as_deref()
                .map(|c| country_label(l, c))
                .unwrap_or_default(),
        })
        .collect();
    let types: Vec<(String, String)> = <MemberType as strum::VariantArray>::VARIANTS
        .iter()
        .map(|m| (m.as_str().to_string(), m.label(l).to_string()))
        .collect();
    Ok(InvitationsView {
        survey_id: id,
        title: survey.title(&lang).to_string(),
        closed: survey.status == SurveyStatus::Closed,
        open_link: survey
            .open_token
            .as_deref()
            .map(|t| routes::survey_link(base, t)),
        country: f.country.clone(),
        member_type: f.member_type.clone(),
        organisation: f.organisation.clone(),
        pending_only: f.pending_only,
        countries: choices(
            l,
            countries
                .iter()
                .map(|c| (c.iso2.clone(), country_label(l, &c.iso2)))
                .collect(),
        ),
        member_types: choices(l, types),
        candidates,
        invited: invitations.len(),
        answered: invitations
            .iter()
            .filter(|i| i.answered_on.is_some())
            .count(),
        invitations: invitations
            .iter()
            .filter(|i| !f.pending_only || i.answered_on.is_none())
            .map(|i| invitation_line(l, base, i))
            .collect(),
        csv_href: routes::survey_invitations_csv(id),
    })
}

/// The links of every invitation as CSV rows (for a mail merge). Admins only.
pub async fn invitations_csv(
    db: &Db,
    caller: Option<&CurrentUser>,
    id: i64,
    base: &str,
    l: Locale,
) -> Result<Vec<u8>, AppError> {
    policy::may_manage(caller)?;
    let mut c = db.conn().await?;
    repo::get(&mut c, id).await?;
    let invitations = repo::invitations(&mut c, id).await?;
    let mut out = export::csv_record([
        "name",
        "email",
        "organisation",
        "member_type",
        "country",
        "link",
        "answered_on",
    ])?
    .to_vec();
    for i in &invitations {
        let line = invitation_line(l, base, i);
        out.extend_from_slice(&export::csv_record([
            line.name.as_str(),
            &line.email,
            &line.organisation,
            i.member_type.as_deref().unwrap_or_default(),
            i.country.as_deref().unwrap_or_default(),
            &line.link,
            i.answered_on.as_deref().unwrap_or_default(),
        ])?);
    }
    Ok(out)
}

/// Invites `members`, or with `all` every member `shown`. Admins only; returns how many new
/// links were made.
pub async fn invite(
    db: &Db,
    caller: Option<&CurrentUser>,
    ip: &str,
    id: i64,
    members: &[i64],
    shown: &[i64],
    all: bool,
) -> Result<usize, AppError> {
    policy::may_manage(caller)?;
    let admin = caller.ok_or(AppError::Unauthorized)?;
    let chosen = if all { shown } else { members };
    service::invite(db, admin, ip, id, chosen).await
}

fn response_line(l: Locale, r: &repo::Response, with_name: bool) -> ResponseLine {
    ResponseLine {
        id: r.id,
        submitted_on: format::date(l, &r.submitted_on),
        country: r
            .country
            .as_deref()
            .map(|c| country_label(l, c))
            .unwrap_or_default(),
        member_type: r
            .member_type
            .as_deref()
            .map(|t| member_type_label(l, t))
            .unwrap_or_default(),
        language: crate::surveys::model::definition::language_name(&r.language).to_string(),
        respondent: r.respondent.clone().filter(|_| with_name),
    }
}

/// Every response of a survey, one line each. Admins only.
pub async fn responses(
    db: &Db,
    caller: Option<&CurrentUser>,
    id: i64,
    l: Locale,
) -> Result<ResponsesView, AppError> {
    policy::may_manage(caller)?;
    let mut c = db.conn().await?;
    let survey = repo::get(&mut c, id).await?;
    let list = repo::responses(&mut c, id, &repo::ResponseFilter::default()).await?;
    let with_name = policy::may_see_respondents(caller) && !survey.anonymous;
    Ok(ResponsesView {
        survey_id: id,
        title: survey.title(&reading_language(&survey, l)).to_string(),
        anonymous: survey.anonymous,
        responses: list
            .iter()
            .map(|r| response_line(l, r, with_name))
            .collect(),
    })
}

/// One response with its answers. Admins only.
pub async fn response(
    db: &Db,
    caller: Option<&CurrentUser>,
    id: i64,
    response: i64,
    l: Locale,
) -> Result<ResponseView, AppError> {
    policy::may_manage(caller)?;
    let mut c = db.conn().await?;
    let survey = repo::get(&mut c, id).await?;
    let r = repo::response(&mut c, id, response)
        .await?
        .ok_or(AppError::NotFound)?;
    let lang = reading_language(&survey, l);
    let with_name = policy::may_see_respondents(caller) && !survey.anonymous;
    Ok(ResponseView {
        survey_id: id,
        title: survey.title(&lang).to_string(),
        line: response_line(l, &r, with_name),
        answers: answer_lines(&survey.definition, &r.answers, &lang),
    })
}

/// Deletes one response once `confirmed`. Admins only; the audit log records which response,
/// never what it said.
pub async fn delete_response(
    db: &Db,
    caller: Option<&CurrentUser>,
    ip: &str,
    id: i64,
    response: i64,
    confirmed: bool,
    l: Locale,
) -> Result<(), AppError> {
    policy::may_manage(caller)?;
    let admin = caller.ok_or(AppError::Unauthorized)?;
    if !confirmed {
        return Err(AppError::invalid(
            "confirm",
            td_string!(l, survey_results.confirm_needed),
        ));
    }
    service::delete_response(db, admin, ip, id, response).await
}

/// Everything stored about the signed-in user: account, survey invitations, named responses.
pub async fn my_data(
    db: &Db,
    caller: Option<&CurrentUser>,
    base: &str,
    l: Locale,
) -> Result<MyDataView, AppError> {
    let me = caller.ok_or(AppError::Unauthorized)?;
    let mut c = db.conn().await?;
    let user = crate::users::repo::get(&mut c, me.id).await?;
    let invitations = repo::invitations_of_user(&mut c, me.id).await?;
    let responses = repo::responses_of_user(&mut c, me.id).await?;
    let mut surveys: std::collections::BTreeMap<i64, Survey> = std::collections::BTreeMap::new();
    for sid in invitations
        .iter()
        .map(|i| i.survey_id)
        .chain(responses.iter().map(|r| r.survey_id))
    {
        if let std::collections::btree_map::Entry::Vacant(e) = surveys.entry(sid) {
            e.insert(repo::get(&mut c, sid).await?);
        }
    }
    drop(c);
    let title = |sid: i64| {
        surveys
            .get(&sid)
            .map(|s| s.title(&reading_language(s, l)).to_string())
            .unwrap_or_default()
    };
    let none = td_string!(l, survey_results.none_given).to_string();
    let account = vec![
        (
            td_string!(l, survey_results.field_name).to_string(),
            user.display_name.clone(),
        ),
        (
            td_string!(l, survey_results.field_email).to_string(),
            user.email.clone(),
        ),
        (
            td_string!(l, survey_results.field_role).to_string(),
            user.role.label_in(l).to_string(),
        ),
        (
            td_string!(l, survey_results.field_status).to_string(),
            user.status.label(l).to_string(),
        ),
        (
            td_string!(l, survey_results.field_organisation).to_string(),
            user.organisation.clone().unwrap_or_else(|| none.clone()),
        ),
        (
            td_string!(l, survey_results.field_member_type).to_string(),
            user.member_type
                .map(|m| m.label(l).to_string())
                .unwrap_or_else(|| none.clone()),
        ),
        (
            td_string!(l, survey_results.field_country).to_string(),
            user.member_country
                .as_deref()
                .map(|c| country_label(l, c))
                .unwrap_or_else(|| none.clone()),
        ),
        (
            td_string!(l, survey_results.field_countries).to_string(),
            if user.countries.is_empty() {
                none.clone()
            } else {
                user.countries
                    .iter()
                    .map(|c| country_label(l, c))
                    .collect::<Vec<_>>()
                    .join(", ")
            },
        ),
        (
            td_string!(l, survey_results.field_created).to_string(),
            format::timestamp(l, &user.created_at),
        ),
    ];
    Ok(MyDataView {
        account,
        invitations: invitations
            .iter()
            .map(|i| MyInvitationLine {
                title: title(i.survey_id),
                link: routes::survey_link(base, &i.token),
                invited_on: format::timestamp(l, &i.created_at),
                answered_on: i.answered_on.as_deref().map(|d| format::date(l, d)),
                started: i.has_draft > 0,
            })
            .collect(),
        responses: responses
            .iter()
            .filter_map(|r| {
                let s = surveys.get(&r.survey_id)?;
                let lang = s.definition.language(&r.language).to_string();
                Some(MyResponse {
                    title: title(r.survey_id),
                    submitted_on: format::date(l, &r.submitted_on),
                    answers: answer_lines(&s.definition, &r.answers, &lang),
                })
            })
            .collect(),
    })
}

/// The closed surveys linked to recommendation `number`, each with its number of responses,
/// closing day and the headline of each single choice and Likert question. Public: counts
/// only, never written answers.
pub async fn evidence(db: &Db, number: i64, l: Locale) -> Result<Vec<Evidence>, AppError> {
    let mut c = db.conn().await?;
    let surveys = repo::closed_linked_to(&mut c, number).await?;
    let mut out = Vec::with_capacity(surveys.len());
    for s in surveys {
        let responses = repo::responses(&mut c, s.id, &repo::ResponseFilter::default()).await?;
        let lang = reading_language(&s, l);
        let headlines = s
            .definition
            .questions()
            .filter_map(|q| {
                let answers: Vec<&Answer> = responses
                    .iter()
                    .filter_map(|r| r.answers.get(&q.code))
                    .collect();
                figures::headline(&s.definition, &lang, q, &answers)
            })
            .collect();
        let closed_on = s
            .closes_on
            .clone()
            .filter(|d| d.as_str() <= s.updated_at.as_str())
            .unwrap_or_else(|| s.updated_at.clone());
        out.push(Evidence {
            title: s.title(&lang).to_string(),
            responses: s.responses,
            closed_on: format::date(l, &closed_on),
            headlines,
        });
    }
    Ok(out)
}
