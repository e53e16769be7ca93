//! `/imports/{id}`: the dry run of an uploaded file — what it would change, field by field
//! (old → new), every problem by sheet, row and column — with "Apply" and "Discard"; then
//! what applying did. Plain forms: the same with and without JavaScript. While a long import
//! is applied the page refreshes itself and shows how far it has got.

use leptos::prelude::*;
use leptos_meta::{Meta, Title};
use leptos_router::hooks::use_params_map;

use super::api::get_import;
use super::model::{ChangeGroup, ImportKind, ImportState, ImportView};
use crate::error::AppError;
use crate::i18n::*;
use crate::lang::{format, use_locale, Locale};
use crate::spreadsheet::grid::Problem;
use crate::ui::Loaded;

/// `/imports/{id}`.
#[component]
pub fn ImportPage() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.read().get("id").and_then(|v| v.parse::<i64>().ok());
    let import = Resource::new(id, |id| async move {
        match id {
            Some(id) => get_import(id).await,
            None => Err(AppError::NotFound),
        }
    });
    view! { <Loaded resource=import view=move |v| view! { <ImportBody view=v/> }/> }
}

fn state_label(locale: Locale, state: ImportState) -> &'static str {
    match state {
        ImportState::Checked => td_string!(locale, imports.state_checked),
        ImportState::Applying => td_string!(locale, imports.state_applying),
        ImportState::Applied => td_string!(locale, imports.state_applied),
        ImportState::Discarded => td_string!(locale, imports.state_discarded),
        ImportState::Failed => td_string!(locale, imports.state_failed),
    }
}

#[component]
fn ImportBody(view: ImportView) -> impl IntoView {
    let locale = use_locale();
    let title = td_string!(locale, imports.page_title, target = &view.target).to_string();
    let preview = view.preview.clone();
    let can_apply = view.can_apply();
    let apply_label = match view.kind {
        ImportKind::Progress | ImportKind::Bulk => {
            td_string!(locale, imports.apply, count = preview.change_count()).to_string()
        }
        ImportKind::Xlsform => td_string!(locale, imports.xlsform_apply).to_string(),
        ImportKind::Responses => td_string!(
            locale,
            imports.responses_apply,
            count = format::number(locale, &preview.records.to_string())
        )
        .to_string(),
    };
    let applying = view.state == ImportState::Applying;
    let (done, total) = (view.done, view.total);
    view! {
        <Title text=format!("{title} — Recovery Tracker")/>
        {applying.then(|| view! { <Meta http_equiv="refresh" content="2"/> })}
        <p class="eyebrow">{td_string!(locale, imports.eyebrow)}</p>
        <h1>{title}</h1>
        <dl class="meta">
            <dt>{td_string!(locale, imports.file)}</dt><dd>{view.file_name.clone()}</dd>
            <dt>{td_string!(locale, imports.uploaded)}</dt><dd>{format::timestamp(locale, &view.created_at)}</dd>
            <dt>{td_string!(locale, imports.state)}</dt><dd>{state_label(locale, view.state)}</dd>
        </dl>
        {applying.then(|| view! {
            <p role="status">
                <label for="import-progress">{td_string!(locale, imports.progress, done = done, total = total).to_string()}</label>
                <progress id="import-progress" max=total.max(1) value=done>{format!("{done}/{total}")}</progress>
            </p>
        })}
        {match view.state {
            ImportState::Applied => view! {
                <p class="notice notice-success" role="status">{view.outcome.clone().unwrap_or_default()}</p>
            }.into_any(),
            ImportState::Failed => view! {
                <div class="error-summary" role="alert">
                    <h2>{td_string!(locale, imports.failed_title)}</h2>
                    {view.outcome.clone().unwrap_or_default().lines().map(|l| view! { <p>{l.to_string()}</p> }).collect_view()}
                </div>
            }.into_any(),
            ImportState::Discarded => view! {
                <p class="notice" role="status">{td_string!(locale, imports.discarded)}</p>
            }.into_any(),
            _ => view! {
                <p class=if preview.can_apply() { "notice notice-success" } else { "notice notice-warning" } role="status">{preview.summary.clone()}</p>
            }.into_any(),
        }}
        {(!preview.conflict.is_empty()).then(|| view! {
            <div class="error-summary" role="alert">
                <h2>{td_string!(locale, imports.conflict_title)}</h2>
                <ul>{preview.conflict.iter().map(|l| view! { <li>{l.clone()}</li> }).collect_view()}</ul>
            </div>
        })}
        {(!preview.problems.is_empty()).then(|| view! {
            <ProblemTable caption=td_string!(locale, imports.problems_caption).to_string() problems=preview.problems.clone()/>
        })}
        {(!preview.notices.is_empty()).then(|| view! {
            <ProblemTable caption=td_string!(locale, imports.notices_caption).to_string() problems=preview.notices.clone()/>
        })}
        {(view.state == ImportState::Checked).then(|| view! {
            <Changes groups=preview.groups.clone()/>
        })}
        <div class="actions">
            {can_apply.then(|| view! {
                <form method="post" action=crate::routes::import_apply(view.id)>
                    <button type="submit">{apply_label.clone()}</button>
                </form>
            })}
            {(view.state == ImportState::Checked).then(|| view! {
                <form method="post" action=crate::routes::import_discard(view.id)>
                    <button type="submit" class="secondary">{td_string!(locale, imports.discard)}</button>
                </form>
            })}
            {view.created.clone().map(|href| view! { <a href=href>{td_string!(locale, imports.open_created)}</a> })}
            <a href=view.back.clone()>{td_string!(locale, imports.back)}</a>
        </div>
    }
}

#[component]
fn ProblemTable(caption: String, problems: Vec<Problem>) -> impl IntoView {
    let locale = use_locale();
    view! {
        <table class="data">
            <caption>{caption}</caption>
            <thead><tr>
                <th scope="col">{td_string!(locale, imports.col_sheet)}</th>
                <th scope="col">{td_string!(locale, imports.col_row)}</th>
                <th scope="col">{td_string!(locale, imports.col_column)}</th>
                <th scope="col">{td_string!(locale, imports.col_problem)}</th>
            </tr></thead>
            <tbody>
                {problems.into_iter().map(|p| {
                    let place = p.place.clone();
                    view! { <tr>
                        <td>{place.as_ref().map(|p| p.sheet.clone()).unwrap_or_else(|| td_string!(locale, imports.whole_file).to_string())}</td>
                        <td>{place.as_ref().and_then(|p| p.row).map(|r| r.to_string()).unwrap_or_default()}</td>
                        <td>{place.as_ref().and_then(|p| p.column_letters()).unwrap_or_default()}</td>
                        <td>{p.message.clone()}</td>
                    </tr> }
                }).collect_view()}
            </tbody>
        </table>
    }
}

#[component]
fn Changes(groups: Vec<ChangeGroup>) -> impl IntoView {
    let locale = use_locale();
    let empty = td_string!(locale, imports.empty_value);
    groups
        .into_iter()
        .map(|g| {
            view! {
                <table class="data">
                    <caption>{g.title.clone()}</caption>
                    <thead><tr>
                        <th scope="col">{td_string!(locale, imports.col_field)}</th>
                        <th scope="col">{td_string!(locale, imports.col_before)}</th>
                        <th scope="col">{td_string!(locale, imports.col_after)}</th>
                    </tr></thead>
                    <tbody>
                        {g.lines.into_iter().map(|l| view! { <tr>
                            <th scope="row">{l.field}</th>
                            <td class="pre">{l.old.unwrap_or_else(|| empty.to_string())}</td>
                            <td class="pre">{l.new.unwrap_or_else(|| empty.to_string())}</td>
                        </tr> }).collect_view()}
                    </tbody>
                </table>
            }
        })
        .collect_view()
}

/// The "work in Excel" box: download the workbook (when there is one to fill), upload it for
/// a dry run. A plain multipart form (the same with and without JavaScript); the hidden fields
/// come before the file so the server knows what the file is for before reading it.
#[component]
pub fn ExcelBox(
    /// `progress`, `bulk`, `xlsform` or `responses`.
    kind: &'static str,
    #[prop(optional)] country: Option<String>,
    #[prop(optional)] period: Option<i64>,
    #[prop(optional)] survey: Option<i64>,
    /// The workbook to fill, and the link's words (default: "Download as Excel").
    #[prop(optional)]
    download: Option<String>,
    #[prop(optional)] download_label: Option<String>,
    heading: String,
    intro: String,
) -> impl IntoView {
    let locale = use_locale();
    let id = format!("excel-file-{kind}");
    let hint_id = format!("{id}-hint");
    let heading_id = format!("{id}-heading");
    let labelled_by = heading_id.clone();
    let download_label =
        download_label.unwrap_or_else(|| td_string!(locale, imports.download).to_string());
    view! {
        <section class="summary-box" aria-labelledby=labelled_by>
            <h2 id=heading_id>{heading}</h2>
            <p>{intro}</p>
            {download.map(|href| view! { <p><a href=href download="">{download_label}</a></p> })}
            <form method="post" action=crate::routes::IMPORTS enctype="multipart/form-data">
                <input type="hidden" name="kind" value=kind/>
                {country.map(|c| view! { <input type="hidden" name="country" value=c/> })}
                {period.map(|p| view! { <input type="hidden" name="period" value=p/> })}
                {survey.map(|s| view! { <input type="hidden" name="survey" value=s/> })}
                <div class="field">
                    <label for=id.clone()>{td_string!(locale, imports.file_label)}</label>
                    <p class="hint" id=hint_id.clone()>{td_string!(locale, imports.file_hint, limit = super::model::MAX_FILE_MB).to_string()}</p>
                    <input type="file" id=id name="file" required accept=".xlsx,.xls,.ods,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet,application/vnd.ms-excel,application/vnd.oasis.opendocument.spreadsheet" aria-describedby=hint_id/>
                </div>
                <button type="submit" class="secondary">{td_string!(locale, imports.upload)}</button>
            </form>
        </section>
    }
}
