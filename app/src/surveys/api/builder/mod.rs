//! Server functions of the survey builder, admins only: each checks the caller first
//! (`policy::may_manage`), reads the posted form (`form`), calls the service and sends the
//! browser back to the page it came from. Every change to the questions goes through
//! `service::edit`, which refuses a stale version, an invalid structure and, once there are
//! responses, deleting or retyping a question.

pub mod form;

use std::collections::BTreeMap;

use leptos::prelude::*;

use crate::error::AppError;
use crate::surveys::model::{Survey, SurveySummary};
use form::ComparisonInput;

#[cfg(feature = "ssr")]
mod server {
    use super::form::{self, FieldProblem};
    use crate::caller::CurrentUser;
    use crate::error::AppError;
    use crate::surveys::model::Definition;

    /// The caller, if they may build surveys; checked before anything else.
    pub fn admin() -> Result<CurrentUser, AppError> {
        let caller = crate::context::caller();
        crate::surveys::policy::may_manage(caller.as_ref())?;
        caller.ok_or(AppError::Unauthorized)
    }

    /// A checkbox's value: ticked or not.
    pub fn ticked(value: &Option<String>) -> bool {
        value.as_deref().is_some_and(|v| v == "true" || v == "on")
    }

    /// Changes survey `id` read at `version` through `service::edit`; the form's problems
    /// come back as field errors in the caller's language.
    pub async fn edit(
        admin: &CurrentUser,
        id: i64,
        version: i64,
        what: &str,
        change: impl FnOnce(&mut Definition) -> Result<(), Vec<FieldProblem>>,
    ) -> Result<i64, AppError> {
        let locale = crate::lang::use_locale();
        let (db, ip) = (crate::context::db()?, crate::context::client_ip());
        crate::surveys::service::edit(&db, admin, &ip, id, version, what, |def| {
            change(def).map_err(|p| form::invalid(p, locale))
        })
        .await
    }

    /// For buttons without fields of their own (move, delete, hide): a structure problem
    /// becomes one sentence naming where it is.
    pub fn as_refusal(e: AppError) -> AppError {
        match e {
            AppError::Invalid(errors) => AppError::Rejected(
                errors
                    .into_iter()
                    .map(|e| format!("{}: {}", e.field, e.message))
                    .collect::<Vec<_>>()
                    .join(" "),
            ),
            other => other,
        }
    }

    /// Moves section or question (`noun`) `code` one place with `mover`; a survey that would
    /// no longer hold together (a condition now reading a later question) is refused.
    pub async fn move_one(
        admin: &CurrentUser,
        id: i64,
        version: i64,
        code: &str,
        direction: &str,
        noun: &str,
        mover: fn(&mut Definition, &str, form::Direction) -> bool,
    ) -> Result<i64, AppError> {
        let direction = form::Direction::parse(direction)
            .ok_or_else(|| AppError::invalid("direction", "up or down"))?;
        let what = format!("{noun} {code} moved {}", direction.as_str());
        edit(admin, id, version, &what, |def| {
            if mover(def, code, direction) {
                Ok(())
            } else {
                Err(vec![FieldProblem {
                    field: code.into(),
                    problem: form::Problem::CannotMove,
                }])
            }
        })
        .await
        .map_err(as_refusal)
    }

    /// Back to the builder, at `anchor`.
    pub fn back(id: i64, anchor: &str) {
        let mut to = crate::routes::admin_survey(id);
        if !anchor.is_empty() {
            to.push('#');
            to.push_str(anchor);
        }
        leptos_axum::redirect(&to);
    }
}

/// Every survey, newest first, with its title in the reader's language.
#[server(endpoint = "list_surveys")]
pub async fn list_surveys() -> Result<Vec<SurveySummary>, AppError> {
    server::admin()?;
    let db = crate::context::db()?;
    let lang = crate::lang::use_locale().tag();
    crate::surveys::repo::list(&mut *db.conn().await?, lang).await
}

/// One survey, as the builder edits it.
#[server(endpoint = "get_survey")]
pub async fn get_survey(id: i64) -> Result<Survey, AppError> {
    server::admin()?;
    let db = crate::context::db()?;
    crate::surveys::repo::get(&mut *db.conn().await?, id).await
}

/// Creates a draft survey titled `title` in `language`, and opens its builder.
#[server(endpoint = "create_survey")]
pub async fn create_survey(title: String, language: String) -> Result<i64, AppError> {
    let admin = server::admin()?;
    let (db, ip) = (crate::context::db()?, crate::context::client_ip());
    let id = crate::surveys::service::create(&db, &admin, &ip, &title, language.trim()).await?;
    leptos_axum::redirect(&crate::routes::admin_survey(id));
    Ok(id)
}

/// Saves a survey's dates, anonymity, open link and linked recommendations.
#[server(endpoint = "save_survey_settings")]
#[allow(clippy::too_many_arguments)]
pub async fn save_survey_settings(
    id: i64,
    #[server(default)] opens_on: String,
    #[server(default)] closes_on: String,
    #[server(default)] anonymous: Option<String>,
    #[server(default)] open_link: Option<String>,
    #[server(default)] one_per_browser: Option<String>,
    #[server(default)] recommendations: Vec<String>,
) -> Result<(), AppError> {
    let admin = server::admin()?;
    let locale = crate::lang::use_locale();
    let recommendations = recommendations
        .iter()
        .map(|r| r.trim().parse::<i64>())
        .collect::<Result<Vec<_>, _>>()
        .map_err(|_| {
            use crate::i18n::*;
            AppError::invalid(
                "recommendations",
                td_string!(locale, survey_builder.problem_recommendations),
            )
        })?;
    let input = crate::surveys::service::SettingsInput {
        opens_on,
        closes_on,
        anonymous: server::ticked(&anonymous),
        open_link: server::ticked(&open_link),
        one_per_browser: server::ticked(&one_per_browser),
        recommendations,
    };
    let (db, ip) = (crate::context::db()?, crate::context::client_ip());
    crate::surveys::service::save_settings(&db, &admin, &ip, id, &input).await?;
    server::back(id, "settings");
    Ok(())
}

/// Opens, closes or reopens a survey (`status`: `open`, `closed`; `draft` takes a survey
/// without responses back to draft).
#[server(endpoint = "set_survey_status")]
pub async fn set_survey_status(id: i64, status: String) -> Result<(), AppError> {
    let admin = server::admin()?;
    let status = status
        .parse::<crate::surveys::model::SurveyStatus>()
        .map_err(|_| AppError::invalid("status", "open, closed or draft"))?;
    let (db, ip) = (crate::context::db()?, crate::context::client_ip());
    crate::surveys::service::set_status(&db, &admin, &ip, id, status).await?;
    server::back(id, "");
    Ok(())
}

/// Deletes a survey without responses (`confirm` ticked), and goes back to the list.
#[server(endpoint = "delete_survey")]
pub async fn delete_survey(
    id: i64,
    #[server(default)] confirm: Option<String>,
) -> Result<(), AppError> {
    let admin = server::admin()?;
    if !server::ticked(&confirm) {
        use crate::i18n::*;
        let locale = crate::lang::use_locale();
        return Err(AppError::invalid(
            "confirm",
            td_string!(locale, survey_builder.problem_confirm_delete),
        ));
    }
    let (db, ip) = (crate::context::db()?, crate::context::client_ip());
    crate::surveys::service::delete(&db, &admin, &ip, id).await?;
    leptos_axum::redirect(crate::routes::ADMIN_SURVEYS);
    Ok(())
}

/// Saves the survey's title and introduction per language, and which languages it offers
/// (ticked ones, plus `add_language`) with the default one.
#[server(endpoint = "save_survey_texts")]
pub async fn save_survey_texts(
    id: i64,
    version: i64,
    #[server(default)] title: BTreeMap<String, String>,
    #[server(default)] intro: BTreeMap<String, String>,
    #[server(default)] languages: Vec<String>,
    #[server(default)] add_language: String,
    #[server(default)] default_language: String,
) -> Result<i64, AppError> {
    let admin = server::admin()?;
    let input = form::TextsInput {
        title,
        intro,
        languages,
        add_language,
        default_language,
    };
    let version = server::edit(&admin, id, version, "texts and languages", |def| {
        form::apply_texts(def, &input)
    })
    .await?;
    server::back(id, "texts");
    Ok(version)
}

/// Adds an empty section at the end.
#[server(endpoint = "add_section")]
pub async fn add_section(id: i64, version: i64) -> Result<i64, AppError> {
    let admin = server::admin()?;
    let mut code = String::new();
    let version = server::edit(&admin, id, version, "section added", |def| {
        code = def.next_section_code();
        def.sections.push(crate::surveys::model::Section {
            code: code.clone(),
            title: Default::default(),
            intro: Default::default(),
            show_if: None,
            questions: Vec::new(),
        });
        Ok(())
    })
    .await?;
    server::back(id, &format!("section-{code}"));
    Ok(version)
}

/// Saves a section's title and introduction per language and its condition.
#[server(endpoint = "save_section")]
pub async fn save_section(
    id: i64,
    version: i64,
    code: String,
    #[server(default)] title: BTreeMap<String, String>,
    #[server(default)] intro: BTreeMap<String, String>,
    #[server(default)] join: String,
    #[server(default)] conditions: Vec<ComparisonInput>,
) -> Result<i64, AppError> {
    let admin = server::admin()?;
    let input = form::SectionInput {
        title,
        intro,
        join,
        conditions,
    };
    let what = format!("section {code}");
    let version = server::edit(&admin, id, version, &what, |def| {
        form::apply_section(def, &code, &input)
    })
    .await?;
    server::back(id, &format!("section-{code}"));
    Ok(version)
}

/// Moves a section up or down.
#[server(endpoint = "move_section")]
pub async fn move_section(
    id: i64,
    version: i64,
    code: String,
    direction: String,
) -> Result<i64, AppError> {
    let admin = server::admin()?;
    let version = server::move_one(
        &admin,
        id,
        version,
        &code,
        &direction,
        "section",
        form::move_section,
    )
    .await?;
    server::back(id, &format!("section-{code}"));
    Ok(version)
}

/// Deletes a section and its questions (refused once the survey has responses, and for the
/// last section).
#[server(endpoint = "delete_section")]
pub async fn delete_section(id: i64, version: i64, code: String) -> Result<i64, AppError> {
    let admin = server::admin()?;
    let what = format!("section {code} deleted");
    let version = server::edit(&admin, id, version, &what, |def| {
        if def.sections.len() < 2 {
            return Err(vec![form::FieldProblem {
                field: code.clone(),
                problem: form::Problem::LastSection,
            }]);
        }
        def.sections.retain(|s| s.code != code);
        Ok(())
    })
    .await
    .map_err(server::as_refusal)?;
    server::back(id, "sections");
    Ok(version)
}

/// Adds a question of `kind` asking `text` at the end of section `section`, and opens its
/// form.
#[server(endpoint = "add_question")]
pub async fn add_question(
    id: i64,
    version: i64,
    section: String,
    kind: String,
    #[server(default)] text: String,
) -> Result<i64, AppError> {
    let admin = server::admin()?;
    let mut code = String::new();
    let version = server::edit(&admin, id, version, "question added", |def| {
        // Fields named with the section: the page has one such form per section.
        let q = form::new_question(def, &kind, &text).map_err(|problems| {
            problems
                .into_iter()
                .map(|p| form::FieldProblem {
                    field: format!("{section}-{}", p.field),
                    problem: p.problem,
                })
                .collect::<Vec<_>>()
        })?;
        code = q.code.clone();
        let s = def
            .sections
            .iter_mut()
            .find(|s| s.code == section)
            .ok_or_else(|| {
                vec![form::FieldProblem {
                    field: "section".into(),
                    problem: form::Problem::Structure(format!("There is no section {section}.")),
                }]
            })?;
        s.questions.push(q);
        Ok(())
    })
    .await?;
    leptos_axum::redirect(&crate::routes::admin_survey_question(id, &code));
    Ok(version)
}

/// Saves a question: texts, help and lists in every language, kind, bounds, flags and
/// condition; `new_code` renames it (conditions follow).
#[server(endpoint = "save_question")]
#[allow(clippy::too_many_arguments)]
pub async fn save_question(
    id: i64,
    version: i64,
    code: String,
    kind: String,
    #[server(default)] new_code: String,
    #[server(default)] text: BTreeMap<String, String>,
    #[server(default)] help: BTreeMap<String, String>,
    #[server(default)] choices: BTreeMap<String, String>,
    #[server(default)] scale: BTreeMap<String, String>,
    #[server(default)] rows: BTreeMap<String, String>,
    #[server(default)] min: String,
    #[server(default)] max: String,
    #[server(default)] integer: Option<String>,
    #[server(default)] other: Option<String>,
    #[server(default)] required: Option<String>,
    #[server(default)] hidden: Option<String>,
    #[server(default)] join: String,
    #[server(default)] conditions: Vec<ComparisonInput>,
) -> Result<i64, AppError> {
    let admin = server::admin()?;
    let input = form::QuestionInput {
        new_code,
        kind,
        text,
        help,
        choices,
        scale,
        rows,
        min,
        max,
        integer: server::ticked(&integer),
        other: server::ticked(&other),
        required: server::ticked(&required),
        hidden: server::ticked(&hidden),
        join,
        conditions,
    };
    let what = format!("question {code}");
    let version = server::edit(&admin, id, version, &what, |def| {
        form::apply_question(def, &code, &input)
    })
    .await?;
    let now = Some(input.new_code.trim())
        .filter(|c| !c.is_empty())
        .unwrap_or(&code);
    server::back(id, &format!("question-{now}"));
    Ok(version)
}

/// Moves a question up or down (into the section before or after at its section's ends).
#[server(endpoint = "move_question")]
pub async fn move_question(
    id: i64,
    version: i64,
    code: String,
    direction: String,
) -> Result<i64, AppError> {
    let admin = server::admin()?;
    let version = server::move_one(
        &admin,
        id,
        version,
        &code,
        &direction,
        "question",
        form::move_question,
    )
    .await?;
    server::back(id, &format!("question-{code}"));
    Ok(version)
}

/// Hides a question from respondents (or shows it again); its answers stay.
#[server(endpoint = "set_question_hidden")]
pub async fn set_question_hidden(
    id: i64,
    version: i64,
    code: String,
    hidden: bool,
) -> Result<i64, AppError> {
    let admin = server::admin()?;
    let what = format!(
        "question {code} {}",
        if hidden { "hidden" } else { "shown" }
    );
    let version = server::edit(&admin, id, version, &what, |def| {
        let q = def.question_mut(&code).ok_or_else(|| {
            vec![form::FieldProblem {
                field: "code".into(),
                problem: form::Problem::Structure(format!("There is no question {code}.")),
            }]
        })?;
        q.hidden = hidden;
        Ok(())
    })
    .await
    .map_err(server::as_refusal)?;
    server::back(id, &format!("question-{code}"));
    Ok(version)
}

/// Deletes a question (refused once the survey has responses: hide it instead).
#[server(endpoint = "delete_question")]
pub async fn delete_question(id: i64, version: i64, code: String) -> Result<i64, AppError> {
    let admin = server::admin()?;
    let what = format!("question {code} deleted");
    let version = server::edit(&admin, id, version, &what, |def| {
        let s = def.section_of(&code).ok_or_else(|| {
            vec![form::FieldProblem {
                field: "code".into(),
                problem: form::Problem::Structure(format!("There is no question {code}.")),
            }]
        })?;
        def.sections[s].questions.retain(|q| q.code != code);
        Ok(())
    })
    .await
    .map_err(server::as_refusal)?;
    server::back(id, "sections");
    Ok(version)
}
