//! The surveys' operations, as plain async functions taking the database, the caller and
//! typed input: called by the server functions, the answering routes, the command line and the
//! demo data alike. Every write is one transaction; admin changes are recorded in the audit
//! log inside it.

use super::model::answers::{self, Raw, Walk};
use super::model::{Definition, Survey, SurveyStatus};
use super::repo::{self, Draft, InvitationLink, NewResponse, Settings};
use crate::audit::{
    model::AuditEvent,
    repo::{Actor, AuditedTx},
};
use crate::auth::token;
use crate::caller::{CurrentUser, Role};
use crate::clock;
use crate::db::Db;
use crate::error::AppError;

fn admin_only(user: &CurrentUser) -> Result<(), AppError> {
    crate::context::check_role(user, &[Role::Admin])
}

/// Creates a draft survey titled `title` in `language`; returns its id.
pub async fn create(
    db: &Db,
    admin: &CurrentUser,
    ip: &str,
    title: &str,
    language: &str,
) -> Result<i64, AppError> {
    admin_only(admin)?;
    let title = title.trim();
    if title.is_empty() {
        return Err(AppError::invalid("title", "Give the survey a title."));
    }
    if title.chars().count() > 200 {
        return Err(AppError::invalid(
            "title",
            "A title has at most 200 characters.",
        ));
    }
    if !super::model::definition::is_language_code(language) {
        return Err(AppError::invalid(
            "language",
            "Choose the survey's language.",
        ));
    }
    let def = Definition::new(language, title);
    let mut w = AuditedTx::begin(db, Actor::of(admin, ip)).await?;
    let id = repo::create(&mut w.tx, &def, admin.id).await?;
    w.commit(
        AuditEvent::SurveyCreated,
        format!("survey:{id}"),
        Some(title.to_string()),
    )
    .await?;
    Ok(id)
}

/// Refuses a change that would lose answers: once a survey has responses its questions can
/// be hidden and their texts corrected, but not deleted or given another kind, and choices
/// already answered cannot disappear.
pub fn check_locked(old: &Definition, new: &Definition) -> Result<(), AppError> {
    for q in old.questions() {
        let Some(n) = new.question(&q.code) else {
            return Err(AppError::Rejected(format!(
                "Question {} has answers: it cannot be deleted (hide it instead).",
                q.code
            )));
        };
        if n.kind.name() != q.kind.name() {
            return Err(AppError::Rejected(format!(
                "Question {} has answers: its kind cannot change.",
                q.code
            )));
        }
        let codes = |k: &super::model::Kind| -> Vec<String> {
            match k {
                super::model::Kind::Matrix { rows, scale } => rows
                    .iter()
                    .map(|r| format!("row {}", r.code))
                    .chain(scale.iter().map(|c| format!("scale {}", c.code)))
                    .collect(),
                other => other.options().into_iter().map(|c| c.code).collect(),
            }
        };
        let kept = codes(&n.kind);
        if let Some(gone) = codes(&q.kind).into_iter().find(|c| !kept.contains(c)) {
            return Err(AppError::Rejected(format!(
                "Question {} has answers: its choice {gone} cannot be removed.",
                q.code
            )));
        }
    }
    Ok(())
}

/// Changes a survey's questions: `change` edits the definition read at `version`; the result
/// must be a valid survey and, once there are responses, keep every answered question
/// ([`check_locked`]). Returns the new version.
pub async fn edit(
    db: &Db,
    admin: &CurrentUser,
    ip: &str,
    id: i64,
    version: i64,
    what: &str,
    change: impl FnOnce(&mut Definition) -> Result<(), AppError>,
) -> Result<i64, AppError> {
    admin_only(admin)?;
    let mut w = AuditedTx::begin(db, Actor::of(admin, ip)).await?;
    let survey = repo::get(&mut w.tx, id).await?;
    if survey.version != version {
        return Err(stale());
    }
    let mut def = survey.definition.clone();
    change(&mut def)?;
    if let Some((at, message)) = def.problems().into_iter().next() {
        return Err(AppError::invalid(at, message));
    }
    if survey.responses > 0 {
        check_locked(&survey.definition, &def)?;
    }
    let version = repo::save_definition(&mut w.tx, id, version, &def).await?;
    w.commit(
        AuditEvent::SurveyEdited,
        format!("survey:{id}"),
        Some(what.to_string()),
    )
    .await?;
    Ok(version)
}

fn stale() -> AppError {
    AppError::Conflict {
        message: "The survey was changed since this page was opened (perhaps in another tab). \
                  Nothing was saved; the page now shows the survey as it is."
            .into(),
        current: vec![],
        version: None,
    }
}

/// The settings an admin posts.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SettingsInput {
    pub opens_on: String,
    pub closes_on: String,
    pub anonymous: bool,
    pub open_link: bool,
    pub one_per_browser: bool,
    pub recommendations: Vec<i64>,
}

/// Saves dates, anonymity, the open link and the linked recommendations. Anonymity cannot
/// change once there are responses (it would reveal or lose who answered).
pub async fn save_settings(
    db: &Db,
    admin: &CurrentUser,
    ip: &str,
    id: i64,
    input: &SettingsInput,
) -> Result<(), AppError> {
    admin_only(admin)?;
    let mut errors = Vec::new();
    let date = |field: &str, s: &str, errors: &mut Vec<crate::error::FieldError>| {
        if s.trim().is_empty() {
            return None;
        }
        let d = answers::parse_date(s);
        if d.is_none() {
            errors.push(crate::error::FieldError::new(
                field,
                "Write the date as YYYY-MM-DD.",
            ));
        }
        d
    };
    let opens_on = date("opens_on", &input.opens_on, &mut errors);
    let closes_on = date("closes_on", &input.closes_on, &mut errors);
    if let (Some(a), Some(b)) = (&opens_on, &closes_on) {
        if a > b {
            errors.push(crate::error::FieldError::new(
                "closes_on",
                "The closing day is before the opening day.",
            ));
        }
    }
    if input.recommendations.iter().any(|n| !(1..=7).contains(n)) {
        errors.push(crate::error::FieldError::new(
            "recommendations",
            "Choose among the seven recommendations.",
        ));
    }
    if !errors.is_empty() {
        return Err(AppError::Invalid(errors));
    }
    let mut w = AuditedTx::begin(db, Actor::of(admin, ip)).await?;
    let survey = repo::get(&mut w.tx, id).await?;
    if survey.responses > 0 && survey.anonymous != input.anonymous {
        return Err(AppError::Rejected(
            "The survey has responses: whether it is anonymous can no longer change.".into(),
        ));
    }
    let open_token = match (input.open_link, survey.open_token.clone()) {
        (true, Some(t)) => Some(t),
        (true, None) => Some(token::generate()),
        (false, _) => None,
    };
    let mut recommendations = input.recommendations.clone();
    recommendations.sort_unstable();
    recommendations.dedup();
    let settings = Settings {
        status: survey.status,
        opens_on,
        closes_on,
        anonymous: input.anonymous,
        open_token,
        one_per_browser: input.one_per_browser,
        recommendations,
    };
    repo::save_settings(&mut w.tx, id, &settings).await?;
    w.commit(
        AuditEvent::SurveySettingsSaved,
        format!("survey:{id}"),
        None,
    )
    .await
}

/// Opens (from draft or closed) or closes a survey. Opening needs a valid survey with at
/// least one question.
pub async fn set_status(
    db: &Db,
    admin: &CurrentUser,
    ip: &str,
    id: i64,
    status: SurveyStatus,
) -> Result<(), AppError> {
    admin_only(admin)?;
    let mut w = AuditedTx::begin(db, Actor::of(admin, ip)).await?;
    let survey = repo::get(&mut w.tx, id).await?;
    let event = match status {
        SurveyStatus::Open => {
            if survey.definition.questions().next().is_none() {
                return Err(AppError::Rejected(
                    "Add at least one question before opening the survey.".into(),
                ));
            }
            if let Some((at, problem)) = survey.definition.problems().into_iter().next() {
                return Err(AppError::Rejected(format!("{at}: {problem}")));
            }
            AuditEvent::SurveyOpened
        }
        SurveyStatus::Closed => AuditEvent::SurveyClosed,
        SurveyStatus::Draft => {
            if survey.responses > 0 {
                return Err(AppError::Rejected(
                    "A survey with responses cannot go back to draft.".into(),
                ));
            }
            AuditEvent::SurveySettingsSaved
        }
    };
    let settings = Settings {
        status,
        opens_on: survey.opens_on,
        closes_on: survey.closes_on,
        anonymous: survey.anonymous,
        open_token: survey.open_token,
        one_per_browser: survey.one_per_browser,
        recommendations: survey.recommendations,
    };
    repo::save_settings(&mut w.tx, id, &settings).await?;
    w.commit(
        event,
        format!("survey:{id}"),
        Some(status.as_str().to_string()),
    )
    .await
}

/// Deletes a survey without responses.
pub async fn delete(db: &Db, admin: &CurrentUser, ip: &str, id: i64) -> Result<(), AppError> {
    admin_only(admin)?;
    let mut w = AuditedTx::begin(db, Actor::of(admin, ip)).await?;
    repo::get(&mut w.tx, id).await?;
    repo::delete(&mut w.tx, id).await?;
    w.commit(AuditEvent::SurveyDeleted, format!("survey:{id}"), None)
        .await
}

/// Creates a personal link for each of `members` not yet invited; returns how many.
pub async fn invite(
    db: &Db,
    admin: &CurrentUser,
    ip: &str,
    id: i64,
    members: &[i64],
) -> Result<usize, AppError> {
    admin_only(admin)?;
    if members.is_empty() {
        return Err(AppError::invalid("members", "Choose at least one member."));
    }
    let mut w = AuditedTx::begin(db, Actor::of(admin, ip)).await?;
    let survey = repo::get(&mut w.tx, id).await?;
    if survey.status == SurveyStatus::Closed {
        return Err(AppError::Rejected("The survey is closed.".into()));
    }
    let mut created = 0;
    for m in members {
        if repo::invite(&mut w.tx, id, *m, &token::generate()).await? {
            created += 1;
        }
    }
    w.commit(
        AuditEvent::SurveyMembersInvited,
        format!("survey:{id}"),
        Some(format!("{created} new links")),
    )
    .await?;
    Ok(created)
}

/// Deletes one response (the audit log records which, never what it said).
pub async fn delete_response(
    db: &Db,
    admin: &CurrentUser,
    ip: &str,
    survey: i64,
    response: i64,
) -> Result<(), AppError> {
    admin_only(admin)?;
    let mut w = AuditedTx::begin(db, Actor::of(admin, ip)).await?;
    repo::delete_response(&mut w.tx, survey, response).await?;
    w.commit(
        AuditEvent::SurveyResponseDeleted,
        format!("survey:{survey}"),
        Some(format!("response {response}")),
    )
    .await
}

// ---- Answering ------------------------------------------------------------------------------

/// What a link (`/s/{token}`) leads to.
#[derive(Debug, Clone)]
pub struct Respondent {
    pub survey: Survey,
    /// The member's invitation, when the link is personal.
    pub invitation: Option<InvitationLink>,
    /// The answers being given, once started.
    pub draft: Option<Draft>,
    /// The link is the survey's open link (starting gives the respondent a link of their own).
    pub open_link: bool,
}

impl Respondent {
    /// Already answered through this (personal) link.
    pub fn answered(&self) -> bool {
        self.invitation
            .as_ref()
            .is_some_and(|i| i.answered_on.is_some())
    }

    /// The language the pages are in.
    pub fn language<'a>(&'a self, asked: &'a str) -> &'a str {
        match &self.draft {
            Some(d) => self.survey.definition.language(&d.language),
            None => self.survey.definition.language(asked),
        }
    }

    /// The conditions applied to the answers so far.
    pub fn walk(&self) -> Walk {
        let empty = Raw::new();
        let raw = self.draft.as_ref().map(|d| &d.raw).unwrap_or(&empty);
        answers::walk(&self.survey.definition, raw)
    }
}

/// What `token` opens: a personal link, the open link, or an open-link respondent's own
/// link. `NotFound` for anything else (and for draft surveys: their preview is the admin's).
pub async fn respondent(db: &Db, token: &str) -> Result<Respondent, AppError> {
    if token.is_empty() || token.len() > 64 {
        return Err(AppError::NotFound);
    }
    let mut c = db.conn().await?;
    if let Some(inv) = repo::invitation_by_token(&mut c, token).await? {
        let survey = repo::get(&mut c, inv.survey_id).await?;
        let draft = repo::draft(&mut c, token).await?;
        return Ok(Respondent {
            survey,
            invitation: Some(inv),
            draft,
            open_link: false,
        });
    }
    if let Some(survey) = repo::by_open_token(&mut c, token).await? {
        return Ok(Respondent {
            survey,
            invitation: None,
            draft: None,
            open_link: true,
        });
    }
    if let Some(draft) = repo::draft(&mut c, token).await? {
        if draft.invitation_id.is_none() {
            let survey = repo::get(&mut c, draft.survey_id).await?;
            return Ok(Respondent {
                survey,
                invitation: None,
                draft: Some(draft),
                open_link: false,
            });
        }
    }
    Err(AppError::NotFound)
}

fn refuse_unless_accepting(survey: &Survey) -> Result<(), AppError> {
    use super::model::NotAccepting;
    survey.accepting(&clock::today()).map_err(|why| {
        AppError::Rejected(
            match why {
                NotAccepting::Draft => "This survey is not open yet.",
                NotAccepting::NotYetOpen => "This survey is not open yet.",
                NotAccepting::Closed => "This survey is closed: it no longer takes answers.",
            }
            .into(),
        )
    })
}

/// Starts answering in `language`: returns the link to continue with (the same personal
/// link, or for the open link a new link of the respondent's own). `answered_in_browser`:
/// the browser says it already answered this survey (its cookie), for surveys that allow one
/// response per browser.
pub async fn start(
    db: &Db,
    token: &str,
    language: &str,
    answered_in_browser: bool,
) -> Result<String, AppError> {
    let r = respondent(db, token).await?;
    refuse_unless_accepting(&r.survey)?;
    if r.answered() {
        return Err(AppError::Rejected(
            "This link has already been used to answer.".into(),
        ));
    }
    if r.draft.is_some() {
        return Ok(token.to_string());
    }
    let language = r.survey.definition.language(language).to_string();
    let mut tx = db.begin().await?;
    let own = match &r.invitation {
        Some(inv) => {
            repo::create_draft(&mut tx, r.survey.id, token, Some(inv.id), &language).await?;
            token.to_string()
        }
        None => {
            if r.survey.one_per_browser && answered_in_browser {
                return Err(AppError::Rejected(
                    "This browser has already answered this survey.".into(),
                ));
            }
            let own = token::generate();
            repo::create_draft(&mut tx, r.survey.id, &own, None, &language).await?;
            own
        }
    };
    tx.commit().await?;
    Ok(own)
}

/// Does form field `name` belong to question `code`?
fn belongs(name: &str, code: &str) -> bool {
    name.strip_prefix("q.")
        .and_then(|rest| rest.strip_prefix(code))
        .is_some_and(|tail| tail.is_empty() || tail.starts_with('.'))
}

/// Saves the answers posted for section `section` (the other sections' answers stay as they
/// were; fields that belong to no question of the section are ignored; `None`: answers
/// untouched) and the language.
/// Returns the walk of the saved answers.
pub async fn save(
    db: &Db,
    token: &str,
    section: Option<usize>,
    posted: &Raw,
    language: Option<&str>,
) -> Result<(Respondent, Walk), AppError> {
    let mut r = respondent(db, token).await?;
    refuse_unless_accepting(&r.survey)?;
    let Some(mut draft) = r.draft.take() else {
        return Err(AppError::Rejected(
            "Choose your language and start the survey first.".into(),
        ));
    };
    let def = &r.survey.definition;
    if let Some(section) = section {
        let section = def.sections.get(section).ok_or(AppError::NotFound)?;
        let codes: Vec<&str> = section.questions.iter().map(|q| q.code.as_str()).collect();
        draft
            .raw
            .retain(|name, _| !codes.iter().any(|c| belongs(name, c)));
        for (name, values) in posted {
            if codes.iter().any(|c| belongs(name, c)) {
                let values: Vec<String> =
                    values.iter().filter(|v| !v.is_empty()).cloned().collect();
                if !values.is_empty() {
                    draft.raw.insert(name.clone(), values);
                }
            }
        }
    }
    if let Some(lang) = language {
        draft.language = def.language(lang).to_string();
    }
    let mut tx = db.begin().await?;
    repo::save_draft(&mut tx, draft.id, &draft.language, &draft.raw).await?;
    tx.commit().await?;
    let walk = answers::walk(def, &draft.raw);
    r.draft = Some(draft);
    Ok((r, walk))
}

/// A submission that went through.
#[derive(Debug, Clone)]
pub struct Submitted {
    pub survey_id: i64,
    /// The survey allows one response per browser (the browser is told it answered).
    pub one_per_browser: bool,
    /// The respondent's key to their copy (shown once, stored only as a digest).
    pub receipt: String,
}

/// Submits the saved answers: every shown question is checked; a problem refuses the whole
/// submission (`Invalid`, fields named). One transaction stores the response, deletes the
/// draft and marks the invitation: of two simultaneous submissions, one wins and the other
/// is refused, and nothing is half-written.
pub async fn submit(db: &Db, token: &str) -> Result<Submitted, AppError> {
    let r = respondent(db, token).await?;
    refuse_unless_accepting(&r.survey)?;
    if r.answered() {
        return Err(AppError::Rejected(
            "This link has already been used to answer.".into(),
        ));
    }
    let Some(draft) = &r.draft else {
        return Err(AppError::Rejected(
            "Choose your language and start the survey first.".into(),
        ));
    };
    let walk = r.walk();
    if !walk.errors.is_empty() {
        return Err(AppError::Invalid(
            walk.errors
                .iter()
                .map(|e| {
                    crate::error::FieldError::new(e.field.clone(), "This answer needs attention.")
                })
                .collect(),
        ));
    }
    let receipt = token::generate();
    let mut tx = db.begin().await?;
    // The survey may have closed since the page was read: checked again inside the
    // transaction (on SQLite it holds the write lock; on PostgreSQL the row is locked).
    let status: Option<(String,)> = match db.engine {
        crate::db::Engine::Postgres => {
            sqlx::query_as("SELECT status FROM surveys WHERE id = $1 FOR UPDATE")
                .bind(r.survey.id)
                .fetch_optional(&mut *tx)
                .await?
        }
        crate::db::Engine::Sqlite => {
            sqlx::query_as("SELECT status FROM surveys WHERE id = $1")
                .bind(r.survey.id)
                .fetch_optional(&mut *tx)
                .await?
        }
    };
    if status.map(|s| s.0).as_deref() != Some(SurveyStatus::Open.as_str()) {
        return Err(AppError::Rejected(
            "This survey is closed: it no longer takes answers.".into(),
        ));
    }
    if !repo::delete_draft(&mut tx, draft.id).await? {
        return Err(already_submitted());
    }
    let named = !r.survey.anonymous;
    if let Some(inv) = &r.invitation {
        if !repo::mark_answered(&mut tx, inv.id).await? {
            return Err(already_submitted());
        }
    }
    let inv = r.invitation.as_ref();
    repo::insert_response(
        &mut tx,
        &NewResponse {
            survey_id: r.survey.id,
            invitation_id: inv.filter(|_| named).map(|i| i.id),
            user_id: inv.filter(|_| named).map(|i| i.user_id),
            country: inv.and_then(|i| i.member_country.as_deref()),
            member_type: inv.and_then(|i| i.member_type.as_deref()),
            language: &draft.language,
            answers: &walk.answers,
            receipt_hash: &token::digest(&receipt),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(Submitted {
        survey_id: r.survey.id,
        one_per_browser: r.survey.one_per_browser,
        receipt,
    })
}

fn already_submitted() -> AppError {
    AppError::Rejected("These answers have already been submitted.".into())
}

/// The response a receipt opens.
pub async fn by_receipt(db: &Db, receipt: &str) -> Result<(Survey, repo::Response), AppError> {
    if receipt.is_empty() || receipt.len() > 64 {
        return Err(AppError::NotFound);
    }
    let mut c = db.conn().await?;
    let response = repo::response_by_receipt(&mut c, &token::digest(receipt))
        .await?
        .ok_or(AppError::NotFound)?;
    let survey = repo::get(&mut c, response.survey_id).await?;
    Ok((survey, response))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::surveys::model::{Choice, Kind, Question, Text};

    #[test]
    fn a_field_belongs_to_its_question_only() {
        assert!(belongs("q.Q1", "Q1"));
        assert!(belongs("q.Q1.other", "Q1"));
        assert!(belongs("q.Q1.r2", "Q1"));
        assert!(!belongs("q.Q10", "Q1"));
        assert!(!belongs("_action", "Q1"));
    }

    fn def(kind: Kind) -> Definition {
        let mut d = Definition::new("en", "T");
        d.sections[0].questions.push(Question {
            code: "Q1".into(),
            kind,
            text: Text::new("en", "?"),
            help: Text::default(),
            required: false,
            hidden: false,
            show_if: None,
        });
        d
    }

    fn yes_no(codes: &[&str]) -> Kind {
        Kind::Single {
            choices: codes
                .iter()
                .map(|c| Choice {
                    code: c.to_string(),
                    label: Text::new("en", *c),
                })
                .collect(),
        }
    }

    #[test]
    fn answered_questions_can_be_hidden_and_reworded_but_not_deleted_or_retyped() {
        let old = def(yes_no(&["yes", "no"]));
        let mut hidden = old.clone();
        hidden.sections[0].questions[0].hidden = true;
        hidden.sections[0].questions[0].text.set("en", "Reworded?");
        assert!(check_locked(&old, &hidden).is_ok());
        let mut more = old.clone();
        more.sections[0].questions[0].kind = yes_no(&["yes", "no", "unsure"]);
        assert!(check_locked(&old, &more).is_ok());
        let mut deleted = old.clone();
        deleted.sections[0].questions.clear();
        assert!(matches!(
            check_locked(&old, &deleted),
            Err(AppError::Rejected(_))
        ));
        let retyped = def(Kind::ShortText);
        assert!(matches!(
            check_locked(&old, &retyped),
            Err(AppError::Rejected(_))
        ));
        let fewer = def(yes_no(&["yes"]));
        assert!(matches!(
            check_locked(&old, &fewer),
            Err(AppError::Rejected(_))
        ));
    }
}
