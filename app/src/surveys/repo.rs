//! SQL of surveys: definitions, invitations, drafts and responses.

use sqlx::AnyConnection;

use super::model::{Answers, Definition, Invitation, Raw, Survey, SurveyStatus, SurveySummary};
use crate::{
    clock,
    db::{decode, flag, Engine},
    error::AppError,
};

fn from_json<T: serde::de::DeserializeOwned>(column: &str, json: &str) -> Result<T, AppError> {
    serde_json::from_str(json).map_err(|e| {
        tracing::error!(column, error = %e, "stored JSON does not read");
        AppError::Internal
    })
}

fn to_json<T: serde::Serialize>(value: &T) -> Result<String, AppError> {
    serde_json::to_string(value).map_err(|e| {
        tracing::error!(error = %e, "JSON does not write");
        AppError::Internal
    })
}

/// A `surveys` row with its counts.
#[derive(sqlx::FromRow)]
struct SurveyRecord {
    id: i64,
    status: String,
    opens_on: Option<String>,
    closes_on: Option<String>,
    anonymous: i64,
    open_token: Option<String>,
    one_per_browser: i64,
    definition: String,
    version: i64,
    created_at: String,
    updated_at: String,
    responses: i64,
}

const SURVEY_COLUMNS: &str = "s.id, s.status, s.opens_on, s.closes_on, s.anonymous, s.open_token, \
    s.one_per_browser, s.definition, s.version, s.created_at, s.updated_at, \
    (SELECT COUNT(*) FROM survey_responses r WHERE r.survey_id = s.id) AS responses";

impl SurveyRecord {
    fn into_survey(self, recommendations: Vec<i64>) -> Result<Survey, AppError> {
        Ok(Survey {
            id: self.id,
            status: decode("surveys.status", &self.status)?,
            opens_on: self.opens_on,
            closes_on: self.closes_on,
            anonymous: flag(self.anonymous),
            open_token: self.open_token,
            one_per_browser: flag(self.one_per_browser),
            definition: from_json("surveys.definition", &self.definition)?,
            recommendations,
            version: self.version,
            responses: self.responses,
            created_at: self.created_at,
            updated_at: self.updated_at,
        })
    }
}

/// One survey, or `NotFound`.
pub async fn get(c: &mut AnyConnection, id: i64) -> Result<Survey, AppError> {
    let row: Option<SurveyRecord> = sqlx::query_as(&format!(
        "SELECT {SURVEY_COLUMNS} FROM surveys s WHERE s.id = $1"
    ))
    .bind(id)
    .fetch_optional(&mut *c)
    .await?;
    let row = row.ok_or(AppError::NotFound)?;
    let recs = recommendations(c, id).await?;
    row.into_survey(recs)
}

/// One survey, its row locked until the transaction ends: on PostgreSQL `FOR UPDATE` (an
/// edit of its questions waits); on SQLite the write transaction already excludes writers.
pub async fn get_locked(
    c: &mut AnyConnection,
    engine: crate::db::Engine,
    id: i64,
) -> Result<Survey, AppError> {
    if engine == crate::db::Engine::Postgres {
        sqlx::query("SELECT id FROM surveys WHERE id = $1 FOR UPDATE")
            .bind(id)
            .fetch_optional(&mut *c)
            .await?
            .ok_or(AppError::NotFound)?;
    }
    get(c, id).await
}

/// The survey whose open link is `token`.
pub async fn by_open_token(c: &mut AnyConnection, token: &str) -> Result<Option<Survey>, AppError> {
    let id: Option<(i64,)> = sqlx::query_as("SELECT id FROM surveys WHERE open_token = $1")
        .bind(token.to_string())
        .fetch_optional(&mut *c)
        .await?;
    match id {
        Some((id,)) => Ok(Some(get(c, id).await?)),
        None => Ok(None),
    }
}

async fn recommendations(c: &mut AnyConnection, id: i64) -> Result<Vec<i64>, AppError> {
    let rows: Vec<(i64,)> = sqlx::query_as(
        "SELECT recommendation_number FROM survey_recommendations WHERE survey_id = $1 \
         ORDER BY recommendation_number",
    )
    .bind(id)
    .fetch_all(&mut *c)
    .await?;
    Ok(rows.into_iter().map(|(n,)| n).collect())
}

#[derive(sqlx::FromRow)]
struct SummaryRecord {
    id: i64,
    status: String,
    opens_on: Option<String>,
    closes_on: Option<String>,
    anonymous: i64,
    definition: String,
    invited: i64,
    answered_invitations: i64,
    responses: i64,
}

/// Every survey, newest first, with its title in `lang`.
pub async fn list(c: &mut AnyConnection, lang: &str) -> Result<Vec<SurveySummary>, AppError> {
    let rows: Vec<SummaryRecord> = sqlx::query_as(
        "SELECT s.id, s.status, s.opens_on, s.closes_on, s.anonymous, s.definition, \
         (SELECT COUNT(*) FROM survey_invitations i WHERE i.survey_id = s.id) AS invited, \
         (SELECT COUNT(*) FROM survey_invitations i WHERE i.survey_id = s.id AND i.answered_on IS NOT NULL) AS answered_invitations, \
         (SELECT COUNT(*) FROM survey_responses r WHERE r.survey_id = s.id) AS responses \
         FROM surveys s ORDER BY s.id DESC",
    )
    .fetch_all(&mut *c)
    .await?;
    rows.into_iter()
        .map(|r| {
            let def: Definition = from_json("surveys.definition", &r.definition)?;
            Ok(SurveySummary {
                id: r.id,
                title: def.title.get(lang, &def.default_language).to_string(),
                status: decode("surveys.status", &r.status)?,
                opens_on: r.opens_on,
                closes_on: r.closes_on,
                anonymous: flag(r.anonymous),
                invited: r.invited,
                answered_invitations: r.answered_invitations,
                responses: r.responses,
            })
        })
        .collect()
}

/// Creates a draft survey.
pub async fn create(c: &mut AnyConnection, def: &Definition, by: i64) -> Result<i64, AppError> {
    let now = clock::now();
    let rows: Vec<(i64,)> = sqlx::query_as(
        "INSERT INTO surveys (status, definition, version, created_by, created_at, updated_at) \
         VALUES ('draft', $1, 1, $2, $3, $3) RETURNING id",
    )
    .bind(to_json(def)?)
    .bind(by)
    .bind(now)
    .fetch_all(&mut *c)
    .await?;
    first_id(rows)
}

/// The id an `INSERT … RETURNING id` gave. Read with `fetch_all`, not `fetch_one`: on SQLite
/// an unfinished `RETURNING` statement keeps the write lock until the connection is used
/// again (sqlx issue #2099).
fn first_id(rows: Vec<(i64,)>) -> Result<i64, AppError> {
    rows.first().map(|r| r.0).ok_or(AppError::Internal)
}

/// Stores a new definition if the survey is still at `version`; a `Conflict` otherwise (the
/// builder's page was out of date).
pub async fn save_definition(
    c: &mut AnyConnection,
    id: i64,
    version: i64,
    def: &Definition,
) -> Result<i64, AppError> {
    let r = sqlx::query(
        "UPDATE surveys SET definition = $1, version = version + 1, updated_at = $2 \
         WHERE id = $3 AND version = $4",
    )
    .bind(to_json(def)?)
    .bind(clock::now())
    .bind(id)
    .bind(version)
    .execute(&mut *c)
    .await?;
    if r.rows_affected() == 0 {
        return Err(AppError::Conflict {
            message: "The survey was changed by someone else since this page was opened. \
                      Your change was not saved; the page now shows the survey as it is."
                .into(),
            current: vec![],
            version: None,
        });
    }
    Ok(version + 1)
}

/// The survey's settings (everything but the questions).
#[derive(Debug, Clone, PartialEq)]
pub struct Settings {
    pub status: SurveyStatus,
    pub opens_on: Option<String>,
    pub closes_on: Option<String>,
    pub anonymous: bool,
    pub open_token: Option<String>,
    pub one_per_browser: bool,
    pub recommendations: Vec<i64>,
}

/// Stores the settings (and the linked recommendations).
pub async fn save_settings(c: &mut AnyConnection, id: i64, s: &Settings) -> Result<(), AppError> {
    let r = sqlx::query(
        "UPDATE surveys SET status = $1, opens_on = $2, closes_on = $3, anonymous = $4, \
         open_token = $5, one_per_browser = $6, version = version + 1, updated_at = $7 WHERE id = $8",
    )
    .bind(s.status.as_str().to_string())
    .bind(s.opens_on.clone())
    .bind(s.closes_on.clone())
    .bind(i64::from(s.anonymous))
    .bind(s.open_token.clone())
    .bind(i64::from(s.one_per_browser))
    .bind(clock::now())
    .bind(id)
    .execute(&mut *c)
    .await?;
    if r.rows_affected() == 0 {
        return Err(AppError::NotFound);
    }
    sqlx::query("DELETE FROM survey_recommendations WHERE survey_id = $1")
        .bind(id)
        .execute(&mut *c)
        .await?;
    for n in &s.recommendations {
        sqlx::query(
            "INSERT INTO survey_recommendations (survey_id, recommendation_number) VALUES ($1, $2)",
        )
        .bind(id)
        .bind(*n)
        .execute(&mut *c)
        .await?;
    }
    Ok(())
}

/// Deletes a survey that has no responses (drafts, invitations and links go with it).
pub async fn delete(c: &mut AnyConnection, id: i64) -> Result<(), AppError> {
    let r = sqlx::query(
        "DELETE FROM surveys WHERE id = $1 AND NOT EXISTS \
         (SELECT 1 FROM survey_responses r WHERE r.survey_id = surveys.id)",
    )
    .bind(id)
    .execute(&mut *c)
    .await?;
    if r.rows_affected() == 0 {
        return Err(AppError::Rejected(
            "A survey with responses cannot be deleted; close it instead.".into(),
        ));
    }
    Ok(())
}

// ---- Invitations ----------------------------------------------------------------------

#[derive(sqlx::FromRow)]
struct InvitationRecord {
    id: i64,
    user_id: i64,
    display_name: String,
    email: String,
    organisation: Option<String>,
    member_type: Option<String>,
    member_country: Option<String>,
    token: String,
    created_at: String,
    answered_on: Option<String>,
}

/// A survey's invitations, by member name.
pub async fn invitations(c: &mut AnyConnection, survey: i64) -> Result<Vec<Invitation>, AppError> {
    let rows: Vec<InvitationRecord> = sqlx::query_as(
        "SELECT i.id, i.user_id, u.display_name, u.email, u.organisation, u.member_type, \
         u.member_country, i.token, i.created_at, i.answered_on \
         FROM survey_invitations i JOIN users u ON u.id = i.user_id \
         WHERE i.survey_id = $1 ORDER BY u.display_name, u.id",
    )
    .bind(survey)
    .fetch_all(&mut *c)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| Invitation {
            id: r.id,
            user_id: r.user_id,
            display_name: r.display_name,
            email: r.email,
            organisation: r.organisation,
            member_type: r.member_type,
            country: r.member_country,
            token: r.token,
            created_at: r.created_at,
            answered_on: r.answered_on,
        })
        .collect())
}

/// A member who may be invited.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow, serde::Serialize, serde::Deserialize)]
pub struct MemberRecord {
    pub id: i64,
    pub display_name: String,
    pub email: String,
    pub organisation: Option<String>,
    pub member_type: Option<String>,
    pub member_country: Option<String>,
}

/// Active members (role `member`) matching the filters (empty = any), by name.
pub async fn members(
    c: &mut AnyConnection,
    country: &str,
    member_type: &str,
    organisation: &str,
) -> Result<Vec<MemberRecord>, AppError> {
    let rows: Vec<MemberRecord> = sqlx::query_as(
        "SELECT id, display_name, email, organisation, member_type, member_country FROM users \
         WHERE role = 'member' AND active = 1 \
         AND ($1 = '' OR member_country = $1) AND ($2 = '' OR member_type = $2) \
         AND ($3 = '' OR LOWER(COALESCE(organisation, '')) LIKE '%' || LOWER($3) || '%') \
         ORDER BY display_name, id",
    )
    .bind(country.to_string())
    .bind(member_type.to_string())
    .bind(organisation.to_string())
    .fetch_all(&mut *c)
    .await?;
    Ok(rows)
}

/// Invites `user` with `token` unless already invited; true when a link was created.
pub async fn invite(
    c: &mut AnyConnection,
    survey: i64,
    user: i64,
    token: &str,
) -> Result<bool, AppError> {
    let r = sqlx::query(
        "INSERT INTO survey_invitations (survey_id, user_id, token, created_at) \
         SELECT $1, u.id, $3, $4 FROM users u WHERE u.id = $2 AND u.role = 'member' \
         AND NOT EXISTS (SELECT 1 FROM survey_invitations i WHERE i.survey_id = $1 AND i.user_id = u.id)",
    )
    .bind(survey)
    .bind(user)
    .bind(token.to_string())
    .bind(clock::now())
    .execute(&mut *c)
    .await?;
    Ok(r.rows_affected() == 1)
}

/// An invitation as the answering pages need it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct InvitationLink {
    pub id: i64,
    pub survey_id: i64,
    pub user_id: i64,
    pub answered_on: Option<String>,
    pub member_country: Option<String>,
    pub member_type: Option<String>,
}

/// The invitation whose token is `token`.
pub async fn invitation_by_token(
    c: &mut AnyConnection,
    token: &str,
) -> Result<Option<InvitationLink>, AppError> {
    Ok(sqlx::query_as(
        "SELECT i.id, i.survey_id, i.user_id, i.answered_on, u.member_country, u.member_type \
         FROM survey_invitations i JOIN users u ON u.id = i.user_id WHERE i.token = $1",
    )
    .bind(token.to_string())
    .fetch_optional(&mut *c)
    .await?)
}

/// Marks an invitation answered today; false when it already was (the second of two
/// simultaneous submissions).
pub async fn mark_answered(c: &mut AnyConnection, invitation: i64) -> Result<bool, AppError> {
    let r = sqlx::query(
        "UPDATE survey_invitations SET answered_on = $1 WHERE id = $2 AND answered_on IS NULL",
    )
    .bind(clock::today())
    .bind(invitation)
    .execute(&mut *c)
    .await?;
    Ok(r.rows_affected() == 1)
}

// ---- Drafts -------------------------------------------------------------------------------

/// Answers being given.
#[derive(Debug, Clone)]
pub struct Draft {
    pub id: i64,
    pub survey_id: i64,
    pub token: String,
    pub invitation_id: Option<i64>,
    pub language: String,
    pub raw: Raw,
    pub updated_at: String,
}

#[derive(sqlx::FromRow)]
struct DraftRecord {
    id: i64,
    survey_id: i64,
    token: String,
    invitation_id: Option<i64>,
    language: String,
    answers: String,
    updated_at: String,
}

/// The draft resumed by `token`.
pub async fn draft(c: &mut AnyConnection, token: &str) -> Result<Option<Draft>, AppError> {
    let row: Option<DraftRecord> = sqlx::query_as(
        "SELECT id, survey_id, token, invitation_id, language, answers, updated_at \
         FROM survey_drafts WHERE token = $1",
    )
    .bind(token.to_string())
    .fetch_optional(&mut *c)
    .await?;
    row.map(|r| {
        Ok(Draft {
            id: r.id,
            survey_id: r.survey_id,
            token: r.token,
            invitation_id: r.invitation_id,
            language: r.language,
            raw: from_json("survey_drafts.answers", &r.answers)?,
            updated_at: r.updated_at,
        })
    })
    .transpose()
}

/// Starts a draft.
pub async fn create_draft(
    c: &mut AnyConnection,
    survey: i64,
    token: &str,
    invitation: Option<i64>,
    language: &str,
) -> Result<(), AppError> {
    let now = clock::now();
    sqlx::query(
        "INSERT INTO survey_drafts (survey_id, token, invitation_id, language, answers, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, '{}', $5, $5)",
    )
    .bind(survey)
    .bind(token.to_string())
    .bind(invitation)
    .bind(language.to_string())
    .bind(now)
    .execute(&mut *c)
    .await?;
    Ok(())
}

/// Saves a draft's answers and language; `Rejected` when the draft is gone (submitted by a
/// request that committed first), so nothing reports a save that did not happen.
pub async fn save_draft(
    c: &mut AnyConnection,
    id: i64,
    language: &str,
    raw: &Raw,
) -> Result<(), AppError> {
    let r = sqlx::query(
        "UPDATE survey_drafts SET language = $1, answers = $2, updated_at = $3 WHERE id = $4",
    )
    .bind(language.to_string())
    .bind(to_json(raw)?)
    .bind(clock::now())
    .bind(id)
    .execute(&mut *c)
    .await?;
    if r.rows_affected() == 0 {
        return Err(AppError::Rejected(
            "These answers have already been submitted.".into(),
        ));
    }
    Ok(())
}

/// Deletes a draft; false when it was already gone (submitted by a simultaneous request).
pub async fn delete_draft(c: &mut AnyConnection, id: i64) -> Result<bool, AppError> {
    let r = sqlx::query("DELETE FROM survey_drafts WHERE id = $1")
        .bind(id)
        .execute(&mut *c)
        .await?;
    Ok(r.rows_affected() == 1)
}

// ---- Responses ----------------------------------------------------------------------------

/// A response to store.
#[derive(Debug, Clone)]
pub struct NewResponse<'a> {
    pub survey_id: i64,
    /// `None` when the survey is anonymous or the open link was used.
    pub invitation_id: Option<i64>,
    pub user_id: Option<i64>,
    pub country: Option<&'a str>,
    pub member_type: Option<&'a str>,
    pub language: &'a str,
    pub answers: &'a Answers,
    pub receipt_hash: &'a str,
}

/// Stores a submitted response.
pub async fn insert_response(c: &mut AnyConnection, r: &NewResponse<'_>) -> Result<i64, AppError> {
    let rows: Vec<(i64,)> = sqlx::query_as(
        "INSERT INTO survey_responses (survey_id, invitation_id, user_id, country_iso2, member_type, \
         language, answers, receipt_hash, submitted_on) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
    )
    .bind(r.survey_id)
    .bind(r.invitation_id)
    .bind(r.user_id)
    .bind(r.country.map(str::to_string))
    .bind(r.member_type.map(str::to_string))
    .bind(r.language.to_string())
    .bind(to_json(r.answers)?)
    .bind(r.receipt_hash.to_string())
    .bind(clock::today())
    .fetch_all(&mut *c)
    .await?;
    first_id(rows)
}

/// A response imported from a file: no invitation and no member; the day it was given.
#[derive(Debug, Clone)]
pub struct ImportedResponse {
    pub country: Option<String>,
    pub member_type: Option<String>,
    pub language: String,
    /// The answers as stored: [`answers_json`].
    pub answers: String,
    /// Nobody holds a receipt for an imported response: the digest of a token never shown,
    /// so that the column stays unique and no receipt opens it.
    pub receipt_hash: String,
    /// `YYYY-MM-DD`.
    pub submitted_on: String,
}

/// Answers as `survey_responses.answers` stores them (JSON). Written into a buffer the size
/// of a usual response's answers (an import writes one per row).
pub fn answers_json(answers: &Answers) -> Result<String, AppError> {
    let mut out = Vec::with_capacity(1024);
    serde_json::to_writer(&mut out, answers).map_err(|e| {
        tracing::error!(error = %e, "JSON does not write");
        AppError::Internal
    })?;
    // serde_json writes UTF-8 only.
    String::from_utf8(out).map_err(|_| AppError::Internal)
}

/// Rows per `INSERT` of [`insert_imported`]: 7 values each, far below the bound parameters
/// SQLite (32,766) and PostgreSQL (65,535) take in one statement.
pub const IMPORT_BATCH: usize = 500;

/// `INSERT … VALUES (…), (…)` for `rows` imported responses: placeholders only, no value.
///
/// On SQLite the placeholders are anonymous (`?`): sqlx looks up each numbered one's name
/// (`$12`) by a walk of SQLite's parameter list, which made a batch of 3,500 quadratic (a
/// sixth of a 50,000-row import); PostgreSQL needs `$1`….
fn imported_sql(rows: usize, engine: Engine) -> String {
    const COLUMNS: usize = 7;
    let mut sql = String::from(
        "INSERT INTO survey_responses (survey_id, country_iso2, member_type, language, answers, \
         receipt_hash, submitted_on) VALUES ",
    );
    for r in 0..rows {
        if r > 0 {
            sql.push_str(", ");
        }
        sql.push('(');
        for c in 0..COLUMNS {
            if c > 0 {
                sql.push_str(", ");
            }
            match engine {
                Engine::Sqlite => sql.push('?'),
                Engine::Postgres => sql.push_str(&format!("${}", r * COLUMNS + c + 1)),
            }
        }
        sql.push(')');
    }
    sql
}

/// Stores imported responses of `survey`: one multi-row `INSERT` per [`IMPORT_BATCH`] rows
/// (the statement of a full batch is always the same text, so it is prepared once).
pub async fn insert_imported(
    c: &mut AnyConnection,
    engine: Engine,
    survey: i64,
    rows: Vec<ImportedResponse>,
) -> Result<(), AppError> {
    static FULL: [std::sync::OnceLock<String>; 2] =
        [std::sync::OnceLock::new(), std::sync::OnceLock::new()];
    let full = FULL[engine as usize].get_or_init(|| imported_sql(IMPORT_BATCH, engine));
    let mut rows = rows.into_iter().peekable();
    while rows.peek().is_some() {
        let batch: Vec<ImportedResponse> = rows.by_ref().take(IMPORT_BATCH).collect();
        let partial;
        let sql = if batch.len() == IMPORT_BATCH {
            full.as_str()
        } else {
            partial = imported_sql(batch.len(), engine);
            partial.as_str()
        };
        let mut query = sqlx::query(sql);
        for r in batch {
            query = query
                .bind(survey)
                .bind(r.country)
                .bind(r.member_type)
                .bind(r.language)
                .bind(r.answers)
                .bind(r.receipt_hash)
                .bind(r.submitted_on);
        }
        query.execute(&mut *c).await?;
    }
    Ok(())
}

/// A submitted response.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Response {
    pub id: i64,
    pub survey_id: i64,
    pub country: Option<String>,
    pub member_type: Option<String>,
    pub language: String,
    pub answers: Answers,
    pub submitted_on: String,
    /// The member, for a named response (admins see it; anonymous responses have none).
    pub respondent: Option<String>,
}

#[derive(sqlx::FromRow)]
pub(crate) struct ResponseRecord {
    id: i64,
    survey_id: i64,
    country_iso2: Option<String>,
    member_type: Option<String>,
    language: String,
    answers: String,
    submitted_on: String,
    respondent: Option<String>,
}

impl TryFrom<ResponseRecord> for Response {
    type Error = AppError;
    fn try_from(r: ResponseRecord) -> Result<Self, AppError> {
        Ok(Response {
            id: r.id,
            survey_id: r.survey_id,
            country: r.country_iso2,
            member_type: r.member_type,
            language: r.language,
            answers: from_json("survey_responses.answers", &r.answers)?,
            submitted_on: r.submitted_on,
            respondent: r.respondent,
        })
    }
}

const RESPONSE_COLUMNS: &str = "r.id, r.survey_id, r.country_iso2, r.member_type, r.language, \
    r.answers, r.submitted_on, u.display_name AS respondent";

/// Which responses: filters of the results and exports (empty = any).
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ResponseFilter {
    pub country: String,
    pub member_type: String,
    pub language: String,
}

const FILTER_SQL: &str = "r.survey_id = $1 AND ($2 = '' OR r.country_iso2 = $2) \
    AND ($3 = '' OR r.member_type = $3) AND ($4 = '' OR r.language = $4)";

fn response_query(
    filter: &ResponseFilter,
    survey: i64,
) -> sqlx::query::QueryAs<'static, sqlx::Any, ResponseRecord, sqlx::any::AnyArguments<'static>> {
    // The SQL is a constant: only the values are bound.
    static SQL: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    let sql = SQL.get_or_init(|| {
        format!(
            "SELECT {RESPONSE_COLUMNS} FROM survey_responses r LEFT JOIN users u ON u.id = r.user_id \
             WHERE {FILTER_SQL} ORDER BY r.id"
        )
    });
    sqlx::query_as(sql.as_str())
        .bind(survey)
        .bind(filter.country.clone())
        .bind(filter.member_type.clone())
        .bind(filter.language.clone())
}

/// The filtered responses of a survey, oldest first.
pub async fn responses(
    c: &mut AnyConnection,
    survey: i64,
    filter: &ResponseFilter,
) -> Result<Vec<Response>, AppError> {
    let rows = response_query(filter, survey).fetch_all(&mut *c).await?;
    rows.into_iter().map(Response::try_from).collect()
}

/// The filtered responses one by one, as the database sends them (exports: memory does not
/// grow with the number of responses).
pub fn stream_responses<'c>(
    pool: &'c sqlx::AnyPool,
    survey: i64,
    filter: &ResponseFilter,
) -> impl futures_util::Stream<Item = Result<Response, AppError>> + Send + 'c {
    use futures_util::StreamExt;
    response_query(filter, survey)
        .fetch(pool)
        .map(|row| row.map_err(AppError::from).and_then(Response::try_from))
}

/// How many responses the filters select.
pub async fn count_responses(
    c: &mut AnyConnection,
    survey: i64,
    filter: &ResponseFilter,
) -> Result<i64, AppError> {
    let (n,): (i64,) = sqlx::query_as(&format!(
        "SELECT COUNT(*) FROM survey_responses r WHERE {FILTER_SQL}"
    ))
    .bind(survey)
    .bind(filter.country.clone())
    .bind(filter.member_type.clone())
    .bind(filter.language.clone())
    .fetch_one(&mut *c)
    .await?;
    Ok(n)
}

/// The response whose receipt digest is `hash`.
pub async fn response_by_receipt(
    c: &mut AnyConnection,
    hash: &str,
) -> Result<Option<Response>, AppError> {
    let row: Option<ResponseRecord> = sqlx::query_as(&format!(
        "SELECT {RESPONSE_COLUMNS} FROM survey_responses r LEFT JOIN users u ON u.id = r.user_id \
         WHERE r.receipt_hash = $1"
    ))
    .bind(hash.to_string())
    .fetch_optional(&mut *c)
    .await?;
    row.map(Response::try_from).transpose()
}

/// A member's own named responses (anonymous ones hold nothing that leads back to them).
pub async fn responses_of_user(
    c: &mut AnyConnection,
    user: i64,
) -> Result<Vec<Response>, AppError> {
    let rows: Vec<ResponseRecord> = sqlx::query_as(&format!(
        "SELECT {RESPONSE_COLUMNS} FROM survey_responses r LEFT JOIN users u ON u.id = r.user_id \
         WHERE r.user_id = $1 ORDER BY r.id"
    ))
    .bind(user)
    .fetch_all(&mut *c)
    .await?;
    rows.into_iter().map(Response::try_from).collect()
}

/// A member's invitations: survey, link and whether answered.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow, serde::Serialize, serde::Deserialize)]
pub struct MyInvitation {
    pub survey_id: i64,
    pub token: String,
    pub created_at: String,
    pub answered_on: Option<String>,
    pub has_draft: i64,
}

pub async fn invitations_of_user(
    c: &mut AnyConnection,
    user: i64,
) -> Result<Vec<MyInvitation>, AppError> {
    Ok(sqlx::query_as(
        "SELECT i.survey_id, i.token, i.created_at, i.answered_on, \
         (SELECT COUNT(*) FROM survey_drafts d WHERE d.invitation_id = i.id) AS has_draft \
         FROM survey_invitations i WHERE i.user_id = $1 ORDER BY i.id",
    )
    .bind(user)
    .fetch_all(&mut *c)
    .await?)
}

/// Deletes one response of a survey.
pub async fn delete_response(c: &mut AnyConnection, survey: i64, id: i64) -> Result<(), AppError> {
    let r = sqlx::query("DELETE FROM survey_responses WHERE id = $1 AND survey_id = $2")
        .bind(id)
        .bind(survey)
        .execute(&mut *c)
        .await?;
    if r.rows_affected() == 0 {
        return Err(AppError::NotFound);
    }
    Ok(())
}

/// Closed surveys linked to recommendation `number`, newest first.
pub async fn closed_linked_to(c: &mut AnyConnection, number: i64) -> Result<Vec<Survey>, AppError> {
    let ids: Vec<(i64,)> = sqlx::query_as(
        "SELECT s.id FROM surveys s JOIN survey_recommendations l ON l.survey_id = s.id \
         WHERE l.recommendation_number = $1 AND s.status = 'closed' ORDER BY s.id DESC",
    )
    .bind(number)
    .fetch_all(&mut *c)
    .await?;
    let mut out = Vec::with_capacity(ids.len());
    for (id,) in ids {
        out.push(get(c, id).await?);
    }
    Ok(out)
}

// ---- Invitations, results, exports and privacy (the results' part) ------------------------

/// The distinct country, member type and language of a survey's responses (the results'
/// filter choices).
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Facet {
    pub country_iso2: Option<String>,
    pub member_type: Option<String>,
    pub language: String,
}

pub async fn response_facets(c: &mut AnyConnection, survey: i64) -> Result<Vec<Facet>, AppError> {
    Ok(sqlx::query_as(
        "SELECT DISTINCT country_iso2, member_type, language FROM survey_responses WHERE survey_id = $1",
    )
    .bind(survey)
    .fetch_all(&mut *c)
    .await?)
}

/// One response of a survey.
pub async fn response(
    c: &mut AnyConnection,
    survey: i64,
    id: i64,
) -> Result<Option<Response>, AppError> {
    let row: Option<ResponseRecord> = sqlx::query_as(&format!(
        "SELECT {RESPONSE_COLUMNS} FROM survey_responses r LEFT JOIN users u ON u.id = r.user_id \
         WHERE r.survey_id = $1 AND r.id = $2"
    ))
    .bind(survey)
    .bind(id)
    .fetch_optional(&mut *c)
    .await?;
    row.map(Response::try_from).transpose()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_import_batch_binds_seven_values_per_row_and_nothing_else() {
        let sql = imported_sql(2, Engine::Postgres);
        assert!(
            sql.ends_with("VALUES ($1, $2, $3, $4, $5, $6, $7), ($8, $9, $10, $11, $12, $13, $14)")
        );
        let full = imported_sql(IMPORT_BATCH, Engine::Postgres);
        assert!(full.ends_with(&format!("${})", IMPORT_BATCH * 7)));
        let sql = imported_sql(2, Engine::Sqlite);
        assert!(sql.ends_with("VALUES (?, ?, ?, ?, ?, ?, ?), (?, ?, ?, ?, ?, ?, ?)"));
        let full = imported_sql(IMPORT_BATCH, Engine::Sqlite);
        assert_eq!(full.matches('?').count(), IMPORT_BATCH * 7);
        assert!(!full.contains('$'));
    }
}
