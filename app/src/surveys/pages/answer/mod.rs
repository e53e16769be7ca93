//! The answering pages: `/s/{token}` (start, one section per page, review), the copy kept
//! after submitting (`/s/copy/{receipt}`), and the admin's preview, which renders exactly
//! what a respondent sees. Forms post to the answering route (`surveys::answering`); the
//! [`conditions::SurveyConditions`] island only shows and hides conditional questions at
//! once.

pub mod conditions;
mod questions;

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

use super::super::api::answering::{
    load_answer_page, load_copy, load_preview, AnswerView, CopyView, ReviewSection, SectionPage,
    Step, Unavailable,
};
use super::super::model::definition::language_name;
use crate::error::FieldError;
use crate::i18n::*;
use crate::lang::{use_locale, Locale};
use crate::ui::{ErrorSummary, IslandsScript, Loaded};
use questions::{problem_message, QuestionBlock};

fn flag(q: &leptos_router::params::ParamsMap, key: &str) -> bool {
    q.get(key).is_some_and(|v| v == "1" || v == "true")
}

/// `/s/{token}`: the answering page of a link.
#[component]
pub fn AnswerPage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let view = Resource::new(
        move || {
            let q = query.read();
            (
                params.read().get("token").unwrap_or_default(),
                q.get("section").and_then(|s| s.parse::<usize>().ok()),
                flag(&q, "review"),
                flag(&q, "check"),
                q.get("lang").unwrap_or_default(),
            )
        },
        |(token, section, review, check, lang)| {
            load_answer_page(token, section, review, check, lang)
        },
    );
    let notes = move || {
        let q = query.read();
        Notes {
            saved: flag(&q, "saved"),
            more: flag(&q, "more"),
            refused: flag(&q, "refused"),
        }
    };
    view! { <Loaded resource=view view=move |v| answer_page(v, notes())/> }
}

/// `/admin/surveys/{id}/preview`: an admin's preview (any section, nothing saved).
#[component]
pub fn PreviewPage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let view = Resource::new(
        move || {
            let q = query.read();
            (
                params
                    .read()
                    .get("id")
                    .and_then(|v| v.parse::<i64>().ok())
                    .unwrap_or_default(),
                q.get("section").and_then(|s| s.parse::<usize>().ok()),
                q.get("lang").unwrap_or_default(),
            )
        },
        |(id, section, lang)| load_preview(id, section, lang),
    );
    let id = move || params.read().get("id").unwrap_or_default();
    view! { <Loaded resource=view view=move |v| preview_page(id(), v)/> }
}

/// `/s/copy/{receipt}`: the copy of a submitted response.
#[component]
pub fn CopyPage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let view = Resource::new(
        move || params.read().get("receipt").unwrap_or_default(),
        load_copy,
    );
    let receipt = move || params.read().get("receipt").unwrap_or_default();
    let submitted = move || flag(&query.read(), "submitted");
    view! { <Loaded resource=view view=move |v| copy_page(receipt(), submitted(), v)/> }
}

/// What the page says after a redirect.
#[derive(Clone, Copy, Default)]
struct Notes {
    saved: bool,
    more: bool,
    refused: bool,
}

fn answer_page(v: AnswerView, notes: Notes) -> AnyView {
    let l = use_locale();
    let head = view! {
        <Title text=format!("{} — Recovery Tracker", v.title)/>
        <h1>{v.title.clone()}</h1>
    };
    let body = match v.step.clone() {
        Step::Unavailable(why) => {
            crate::ui::set_status(if why == Unavailable::Answered {
                200
            } else {
                409
            });
            let text = match why {
                Unavailable::Answered => td_string!(l, surveys.already_answered),
                Unavailable::NotYetOpen => td_string!(l, surveys.not_open_yet),
                Unavailable::Closed => td_string!(l, surveys.closed),
            };
            view! { <p class="notice" role="status">{text}</p> }.into_any()
        }
        Step::Start => start_form(&v, notes).into_any(),
        Step::Section(page) => view! { <SectionForm v=v.clone() page notes/> }.into_any(),
        Step::Review(sections) => review_page(&v, sections).into_any(),
    };
    view! { {head} {body} }.into_any()
}

fn start_form(v: &AnswerView, notes: Notes) -> impl IntoView {
    let l = use_locale();
    let action = crate::routes::survey_answers_post(&v.token_or_link());
    let languages: Vec<(String, String)> = v
        .languages
        .iter()
        .map(|c| (c.clone(), language_name(c).to_string()))
        .collect();
    let chosen = v.language.clone();
    view! {
        {notes.refused.then(|| view! { <p class="notice notice-error" role="alert">{td_string!(l, surveys.refused_browser)}</p> })}
        {(!v.intro.is_empty()).then(|| view! { <div class="survey-intro">{paragraphs(&v.intro)}</div> })}
        <p>{if v.anonymous { td_string!(l, surveys.anonymous_note) } else { td_string!(l, surveys.named_note) }}</p>
        {v.closes_on.clone().map(|d| view! { <p>{td_string!(l, surveys.closes_on, date = crate::lang::format::date(l, &d))}</p> })}
        <form method="post" action=action class="survey-start">
            <input type="hidden" name="_action" value="start"/>
            {(languages.len() > 1).then(|| view! {
                <div class="field">
                    <label for="f-lang">{td_string!(l, surveys.choose_language)}</label>
                    <select id="f-lang" name="_lang">
                        {languages.into_iter().map(|(code, name)| {
                            let selected = code == chosen;
                            view! { <option value=code.clone() selected=selected lang=code>{name}</option> }
                        }).collect_view()}
                    </select>
                </div>
            })}
            {(v.languages.len() <= 1).then(|| view! { <input type="hidden" name="_lang" value=v.language.clone()/> })}
            <div class="actions"><button type="submit">{td_string!(l, surveys.start)}</button></div>
        </form>
    }
}

impl AnswerView {
    /// The link this page posts to: the respondent's own once started, else the one opened
    /// (the page knows it from the URL; an empty token means "the URL's").
    fn token_or_link(&self) -> String {
        if self.token.is_empty() {
            leptos_router::hooks::use_params_map()
                .read_untracked()
                .get("token")
                .unwrap_or_default()
        } else {
            self.token.clone()
        }
    }
}

/// A text's paragraphs (blank lines separate them).
fn paragraphs(text: &str) -> impl IntoView {
    text.split("\n\n")
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(|p| view! { <p>{p.to_string()}</p> })
        .collect_view()
}

/// One section of questions, as a form (or, in a preview, a form that does not post).
#[component]
fn SectionForm(v: AnswerView, page: SectionPage, notes: Notes) -> impl IntoView {
    let l = use_locale();
    let lang = v.language.clone();
    let default = v.default_language.clone();
    let section = page.section.clone();
    let title = section.title.get(&lang, &default).to_string();
    let intro = section.intro.get(&lang, &default).to_string();
    let errors: Vec<FieldError> = page
        .errors
        .iter()
        .map(|e| FieldError::new(e.field.clone(), problem_message(l, e.problem)))
        .collect();
    let token = v.token_or_link();
    let action = if v.preview {
        String::new()
    } else {
        crate::routes::survey_answers_post(&token)
    };
    let link = format!("{}", crate::routes::survey_answer(&token));
    let last = page.position >= page.total;
    let progress_label =
        td_string!(l, surveys.progress, n = page.position, total = page.total).to_string();
    let questions = section
        .questions
        .iter()
        .filter(|q| !q.hidden)
        .map(|q| {
            let shown = v.preview && q.show_if.is_none() || page.shown.contains(&q.code);
            let error = page.errors.iter().find(|e| e.question == q.code).cloned();
            view! { <QuestionBlock q=q.clone() lang=lang.clone() default=default.clone() raw=page.raw.clone() shown error/> }
        })
        .collect_view();
    let has_rules = !page.rules.is_empty();
    let rules = page.rules.clone();
    let earlier = page.earlier.clone();
    let shown_codes = page.shown.join(",");
    let form = view! {
        <form method="post" action=action class="survey-section" novalidate=true>
            <input type="hidden" name="_section" value=page.index.to_string()/>
            <input type="hidden" name="_shown" value=shown_codes/>
            {questions}
            {(!v.preview).then(|| view! {
                <div class="actions survey-actions">
                    <button type="submit" name="_action" value="next">
                        {if last { td_string!(l, surveys.review_answers) } else { td_string!(l, surveys.next) }}
                    </button>
                    <button type="submit" name="_action" value="save" class="secondary">{td_string!(l, surveys.save_later)}</button>
                    {(page.position > 1).then(|| view! {
                        <button type="submit" name="_action" value="back" class="secondary">{td_string!(l, surveys.back)}</button>
                    })}
                </div>
            })}
        </form>
    };
    view! {
        <p class="survey-progress">
            <label for="survey-progress">{progress_label}</label>
            " "<progress id="survey-progress" max=page.total.to_string() value=page.position.to_string()>{format!("{}/{}", page.position, page.total)}</progress>
        </p>
        {notes.saved.then(|| view! {
            <div class="notice notice-success" role="status">
                <p>{td_string!(l, surveys.saved)}</p>
                <p>{td_string!(l, surveys.resume_with)}" "<a href=link.clone()>{td_string!(l, surveys.resume_link)}</a></p>
            </div>
        })}
        {notes.more.then(|| view! { <p class="notice" role="status">{td_string!(l, surveys.more_questions)}</p> })}
        <ErrorSummary errors/>
        <h2>{title}</h2>
        {(!intro.is_empty()).then(|| paragraphs(&intro))}
        {if has_rules {
            view! {
                <conditions::SurveyConditions rules earlier>{form}</conditions::SurveyConditions>
                <IslandsScript/>
            }.into_any()
        } else {
            form.into_any()
        }}
        {(!v.preview && v.languages.len() > 1).then(|| language_form(&v, &token, page.index))}
    }
}

fn language_form(v: &AnswerView, token: &str, section: usize) -> impl IntoView {
    let l = use_locale();
    let chosen = v.language.clone();
    view! {
        <form method="post" action=crate::routes::survey_answers_post(token) class="survey-language">
            <input type="hidden" name="_action" value="language"/>
            <input type="hidden" name="_section" value=section.to_string()/>
            <div class="field">
                <label for="f-survey-lang">{td_string!(l, surveys.survey_language)}</label>
                <select id="f-survey-lang" name="_lang">
                    {v.languages.iter().map(|code| {
                        let selected = *code == chosen;
                        view! { <option value=code.clone() selected=selected lang=code.clone()>{language_name(code).to_string()}</option> }
                    }).collect_view()}
                </select>
            </div>
            <button type="submit" class="secondary">{td_string!(l, surveys.change_language)}</button>
        </form>
    }
}

fn review_list(l: Locale, sections: &[ReviewSection], change: Option<&str>) -> impl IntoView {
    sections
        .iter()
        .map(|s| {
            let heading_id = format!("review-{}", s.index);
            let change_link = change.map(|token| format!("{}?section={}", crate::routes::survey_answer(token), s.index));
            let labelled = heading_id.clone();
            view! {
                <section class="survey-review" aria-labelledby=labelled>
                    <h2 id=heading_id>{s.title.clone()}</h2>
                    {s.has_errors.then(|| view! { <p class="error-message">{td_string!(l, surveys.section_has_problems)}</p> })}
                    <dl>
                        {s.lines.iter().map(|line| view! {
                            <dt>{line.question.clone()}</dt>
                            <dd>{if line.answer.is_empty() { td_string!(l, surveys.not_answered).to_string() } else { line.answer.clone() }}</dd>
                        }).collect_view()}
                    </dl>
                    {change_link.map(|href| view! {
                        <p><a href=href aria-label=td_string!(l, surveys.change_named, section = s.title.clone()).to_string()>{td_string!(l, surveys.change)}</a></p>
                    })}
                </section>
            }
        })
        .collect_view()
}

fn review_page(v: &AnswerView, sections: Vec<ReviewSection>) -> impl IntoView {
    let l = use_locale();
    let token = v.token_or_link();
    let problems = sections.iter().any(|s| s.has_errors);
    view! {
        <h2>{td_string!(l, surveys.review_title)}</h2>
        <p>{td_string!(l, surveys.review_intro)}</p>
        {problems.then(|| view! { <p class="notice notice-error" role="alert">{td_string!(l, surveys.review_problems)}</p> })}
        {review_list(l, &sections, Some(&token))}
        <form method="post" action=crate::routes::survey_answers_post(&token)>
            <div class="actions">
                <button type="submit" name="_action" value="submit">{td_string!(l, surveys.submit)}</button>
            </div>
        </form>
    }
}

fn preview_page(id: String, v: AnswerView) -> impl IntoView {
    let l = use_locale();
    let Step::Section(page) = v.step.clone() else {
        return view! { <h1>{v.title.clone()}</h1><p>{td_string!(l, surveys.preview_empty)}</p> }
            .into_any();
    };
    let sections = page.total;
    let current = page.index;
    let lang = v.language.clone();
    let base = format!("/admin/surveys/{id}");
    view! {
        <Title text=format!("{} — {} — Recovery Tracker", td_string!(l, surveys.preview), v.title)/>
        <p><a href=base.clone()>{td_string!(l, surveys.back_to_builder)}</a></p>
        <p class="notice" role="note">{td_string!(l, surveys.preview_note)}</p>
        <nav aria-label=td_string!(l, surveys.preview_sections).to_string() class="tabs">
            <ul>
                {(0..sections).map(|i| {
                    let href = format!("{base}/preview?section={i}&lang={}", crate::routes::urlencode(&lang));
                    let here = (i == current).then_some("page");
                    view! { <li><a href=href aria-current=here>{td_string!(l, surveys.section_n, n = i + 1)}</a></li> }
                }).collect_view()}
            </ul>
        </nav>
        <nav aria-label=td_string!(l, surveys.survey_language).to_string()>
            <ul class="inline-list">
                {v.languages.iter().map(|code| {
                    let href = format!("{base}/preview?section={current}&lang={}", crate::routes::urlencode(code));
                    let here = (*code == lang).then_some("true");
                    view! { <li><a href=href aria-current=here lang=code.clone()>{language_name(code).to_string()}</a></li> }
                }).collect_view()}
            </ul>
        </nav>
        <h1>{v.title.clone()}</h1>
        <SectionForm v=v.clone() page notes=Notes::default()/>
    }
    .into_any()
}

fn copy_page(receipt: String, submitted: bool, v: CopyView) -> impl IntoView {
    let l = use_locale();
    view! {
        <Title text=format!("{} — {} — Recovery Tracker", td_string!(l, surveys.copy_title), v.title)/>
        {submitted.then(|| view! {
            <div class="notice notice-success" role="status">
                <h1>{td_string!(l, surveys.thank_you)}</h1>
                <p>{td_string!(l, surveys.submitted)}</p>
            </div>
        })}
        {(!submitted).then(|| view! { <h1>{td_string!(l, surveys.copy_title)}</h1> })}
        <p>{td_string!(l, surveys.copy_intro, title = v.title.clone(), date = crate::lang::format::date(l, &v.submitted_on))}</p>
        <p>{td_string!(l, surveys.copy_keep)}</p>
        <p><a href=crate::routes::survey_copy_csv(&receipt) download="">{td_string!(l, surveys.download_copy)}</a></p>
        {review_list(l, &v.sections, None)}
    }
}
