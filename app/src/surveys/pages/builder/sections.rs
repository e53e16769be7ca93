//! The builder's sections and their questions in order: each question with its kind, whether
//! it is required, its condition in words, a hidden badge, and its buttons (edit, move, delete
//! or hide); per section a form that adds a question; at the end one that adds a section.

use leptos::prelude::*;

use super::fields::field_error;
use super::{condition_words, kind_label, kind_options};
use crate::i18n::*;
use crate::lang::use_locale;
use crate::routes;
use crate::surveys::api::builder::{
    AddQuestion, AddSection, DeleteQuestion, DeleteSection, MoveQuestion, MoveSection,
    SetQuestionHidden,
};
use crate::surveys::model::{Question, Section, Survey};
use crate::ui::{last_error, FormError, SelectField, TextField};

/// The first error among the builder's buttons.
fn first_error(
    actions: Vec<Signal<Option<crate::error::AppError>>>,
) -> Signal<Option<crate::error::AppError>> {
    Signal::derive(move || actions.iter().find_map(|a| a.get()))
}

/// Every section with its questions.
#[component]
pub fn Sections(survey: Survey) -> impl IntoView {
    let locale = use_locale();
    let add_section = ServerAction::<AddSection>::new();
    let move_section = ServerAction::<MoveSection>::new();
    let delete_section = ServerAction::<DeleteSection>::new();
    let add_question = ServerAction::<AddQuestion>::new();
    let move_question = ServerAction::<MoveQuestion>::new();
    let hide = ServerAction::<SetQuestionHidden>::new();
    let delete_question = ServerAction::<DeleteQuestion>::new();
    let add_errors = last_error(move || add_question.value().get());
    let errors = first_error(vec![
        add_errors,
        last_error(move || add_section.value().get()),
        last_error(move || move_section.value().get()),
        last_error(move || delete_section.value().get()),
        last_error(move || move_question.value().get()),
        last_error(move || hide.value().get()),
        last_error(move || delete_question.value().get()),
    ]);
    let actions = QuestionActions {
        move_question,
        hide,
        delete_question,
    };
    let at = At {
        id: survey.id,
        version: survey.version,
    };
    let count = survey.definition.sections.len();
    let blocks = survey
        .definition
        .sections
        .iter()
        .enumerate()
        .map(|(i, section)| {
            view! {
                <SectionBlock survey=survey.clone() section=section.clone() index=i count actions
                    move_section delete_section add_question add_errors/>
            }
        })
        .collect_view();
    view! {
        <section class="section" id="sections" aria-labelledby="sections-heading">
            <h2 id="sections-heading">{td_string!(locale, survey_builder.sections_heading)}</h2>
            <FormError error=errors/>
            {blocks}
            <ActionForm action=add_section>
                <input type="hidden" name="id" value=at.id/>
                <input type="hidden" name="version" value=at.version/>
                <button type="submit" class="secondary">{td_string!(locale, survey_builder.add_section)}</button>
            </ActionForm>
        </section>
    }
}

/// One section: its heading, condition and buttons, its questions, and the form that adds
/// one.
#[component]
#[allow(clippy::too_many_arguments)]
fn SectionBlock(
    survey: Survey,
    section: Section,
    index: usize,
    count: usize,
    actions: QuestionActions,
    move_section: ServerAction<MoveSection>,
    delete_section: ServerAction<DeleteSection>,
    add_question: ServerAction<AddQuestion>,
    add_errors: Signal<Option<crate::error::AppError>>,
) -> impl IntoView {
    let locale = use_locale();
    let at = At {
        id: survey.id,
        version: survey.version,
    };
    let heading = format!("section-{}-heading", section.code);
    let labelled_by = heading.clone();
    let section_id = format!("section-{}", section.code);
    let title = section
        .title
        .get(locale.tag(), &survey.definition.default_language)
        .to_string();
    let code = section.code.clone();
    let (up_code, down_code, delete_code) = (code.clone(), code.clone(), code.clone());
    let delete_label =
        td_string!(locale, survey_builder.delete_section, code = code.clone()).to_string();
    let can_delete = count > 1 && survey.responses == 0;
    view! {
        <section id=section_id aria-labelledby=labelled_by>
            <h3 id=heading>
                {td_string!(locale, survey_builder.section_heading, n = index + 1, code = code.clone()).to_string()}
                {(!title.is_empty()).then(|| format!(": {title}"))}
            </h3>
            {section.show_if.as_ref().map(|c| view! { <p>{condition_words(locale, c)}</p> })}
            <div class="actions">
                <a href=routes::admin_survey_section(at.id, &code)>
                    {td_string!(locale, survey_builder.edit_section, code = code.clone()).to_string()}
                </a>
                {(index > 0).then(move || view! { <ActionForm action=move_section><MoveFields at code=up_code up=true/></ActionForm> })}
                {(index + 1 < count).then(move || view! { <ActionForm action=move_section><MoveFields at code=down_code up=false/></ActionForm> })}
                {can_delete.then(move || view! {
                    <ActionForm action=delete_section>
                        <Hidden at code=delete_code/>
                        <button type="submit" class="secondary">{delete_label}</button>
                    </ActionForm>
                })}
            </div>
            <QuestionTable survey=survey.clone() section=section.clone() actions/>
            <AddQuestionForm survey section action=add_question errors=add_errors/>
        </section>
    }
}

/// The buttons of a question row.
#[derive(Clone, Copy)]
struct QuestionActions {
    move_question: ServerAction<MoveQuestion>,
    hide: ServerAction<SetQuestionHidden>,
    delete_question: ServerAction<DeleteQuestion>,
}

/// The survey and its version as the page shows them (`id`, `version`).
#[derive(Clone, Copy)]
struct At {
    id: i64,
    version: i64,
}

/// The survey, its version and the code a button acts on.
#[component]
fn Hidden(at: At, code: String) -> impl IntoView {
    view! {
        <input type="hidden" name="id" value=at.id/>
        <input type="hidden" name="version" value=at.version/>
        <input type="hidden" name="code" value=code/>
    }
}

/// The fields of a "Move up" / "Move down" form, for a section or a question.
#[component]
fn MoveFields(at: At, code: String, up: bool) -> impl IntoView {
    let locale = use_locale();
    let (direction, words) = if up {
        (
            "up",
            td_string!(locale, survey_builder.move_up, code = code.clone()).to_string(),
        )
    } else {
        (
            "down",
            td_string!(locale, survey_builder.move_down, code = code.clone()).to_string(),
        )
    };
    let short = if up { "↑" } else { "↓" };
    view! {
        <Hidden at code/>
        <input type="hidden" name="direction" value=direction/>
        <button type="submit" class="secondary" aria-label=words.clone() title=words>{short}</button>
    }
}

/// A section's questions in order.
#[component]
fn QuestionTable(survey: Survey, section: Section, actions: QuestionActions) -> impl IntoView {
    let locale = use_locale();
    if section.questions.is_empty() {
        return view! { <p>{td_string!(locale, survey_builder.no_questions)}</p> }.into_any();
    }
    let def = &survey.definition;
    let first = def.questions().next().map(|q| q.code.clone());
    let last = def.questions().last().map(|q| q.code.clone());
    let at = At {
        id: survey.id,
        version: survey.version,
    };
    let locked = survey.responses > 0;
    let rows = section
        .questions
        .iter()
        .map(|q| {
            let text = q.text.get(locale.tag(), &def.default_language).to_string();
            let (up, down) = (
                first.as_ref() != Some(&q.code),
                last.as_ref() != Some(&q.code),
            );
            view! { <QuestionRow at q=q.clone() text up down locked actions/> }
        })
        .collect_view();
    view! {
        <div class="table-wrap"><table>
            <caption class="visually-hidden">{td_string!(locale, survey_builder.questions_caption, code = section.code.clone()).to_string()}</caption>
            <thead><tr>
                <th scope="col">{td_string!(locale, survey_builder.col_code)}</th>
                <th scope="col">{td_string!(locale, survey_builder.col_question)}</th>
                <th scope="col">{td_string!(locale, survey_builder.col_kind)}</th>
                <th scope="col">{td_string!(locale, survey_builder.col_required)}</th>
                <th scope="col">{td_string!(locale, survey_builder.col_shown)}</th>
                <th scope="col">{td_string!(locale, survey_builder.col_actions)}</th>
            </tr></thead>
            <tbody>{rows}</tbody>
        </table></div>
    }
    .into_any()
}

/// One question's row: `up` / `down` whether it can move; `locked` once there are responses
/// (hide instead of delete).
#[component]
fn QuestionRow(
    at: At,
    q: Question,
    text: String,
    up: bool,
    down: bool,
    locked: bool,
    actions: QuestionActions,
) -> impl IntoView {
    let locale = use_locale();
    let code = q.code.clone();
    let shown = match (&q.show_if, q.hidden) {
        (_, true) => view! { <span class="badge badge-inactive">{td_string!(locale, survey_builder.hidden_badge)}</span> }.into_any(),
        (Some(c), false) => condition_words(locale, c).into_any(),
        (None, false) => td_string!(locale, survey_builder.always_shown).into_any(),
    };
    let (up_code, down_code, last_code) = (code.clone(), code.clone(), code.clone());
    let last_button = if !locked {
        let label =
            td_string!(locale, survey_builder.delete_question, code = code.clone()).to_string();
        view! {
            <ActionForm action=actions.delete_question>
                <Hidden at code=last_code/>
                <button type="submit" class="secondary">{label}</button>
            </ActionForm>
        }
        .into_any()
    } else {
        let label = if q.hidden {
            td_string!(locale, survey_builder.show_question, code = code.clone()).to_string()
        } else {
            td_string!(locale, survey_builder.hide_question, code = code.clone()).to_string()
        };
        let hide = (!q.hidden).to_string();
        view! {
            <ActionForm action=actions.hide>
                <Hidden at code=last_code/>
                <input type="hidden" name="hidden" value=hide/>
                <button type="submit" class="secondary">{label}</button>
            </ActionForm>
        }
        .into_any()
    };
    view! {
        <tr id=format!("question-{code}")>
            <th scope="row">{code.clone()}</th>
            <td>{text}</td>
            <td>{kind_label(locale, q.kind.name())}</td>
            <td>{if q.required { td_string!(locale, common.yes) } else { td_string!(locale, common.no) }}</td>
            <td>{shown}</td>
            <td class="actions">
                <a href=routes::admin_survey_question(at.id, &code)>{td_string!(locale, survey_builder.edit_question, code = code.clone()).to_string()}</a>
                {up.then(move || view! { <ActionForm action=actions.move_question><MoveFields at code=up_code up=true/></ActionForm> })}
                {down.then(move || view! { <ActionForm action=actions.move_question><MoveFields at code=down_code up=false/></ActionForm> })}
                {last_button}
            </td>
        </tr>
    }
}

/// "Add a question" to one section: its kind and its text in the default language.
#[component]
fn AddQuestionForm(
    survey: Survey,
    section: Section,
    action: ServerAction<AddQuestion>,
    errors: Signal<Option<crate::error::AppError>>,
) -> impl IntoView {
    let locale = use_locale();
    // The server names the fields with the section (`S2-text`), so the error shows at the
    // form that was sent.
    let (kind_field, text_field) = (
        format!("{}-kind", section.code),
        format!("{}-text", section.code),
    );
    let (kind_id, text_id) = (
        crate::ui::field_id(&kind_field),
        crate::ui::field_id(&text_field),
    );
    let heading = td_string!(
        locale,
        survey_builder.add_question_to,
        code = section.code.clone()
    )
    .to_string();
    let language =
        crate::surveys::model::definition::language_name(&survey.definition.default_language)
            .to_string();
    let hint = td_string!(
        locale,
        survey_builder.field_new_question_hint,
        language = language
    )
    .to_string();
    let (id, version, code) = (survey.id, survey.version, section.code.clone());
    view! {
        <ActionForm action attr:novalidate="true">
            <h4>{heading}</h4>
            <input type="hidden" name="id" value=id/>
            <input type="hidden" name="version" value=version/>
            <input type="hidden" name="section" value=code/>
            <SelectField name="kind" id=kind_id label=td_string!(locale, survey_builder.field_kind) options=kind_options(locale) error=field_error(errors, kind_field)/>
            <TextField name="text" id=text_id label=td_string!(locale, survey_builder.field_new_question_text) hint error=field_error(errors, text_field)/>
            <div class="actions"><button type="submit">{td_string!(locale, survey_builder.add_question)}</button></div>
        </ActionForm>
    }
}
