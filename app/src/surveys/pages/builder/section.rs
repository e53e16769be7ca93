//! `/admin/surveys/{id}/sections/{code}`: one section's form — its title and introduction
//! in every language of the survey, and its condition.

use leptos::prelude::*;
use leptos_meta::Title;

use super::fields::{language_legend, ConditionFields, LangTextField, UntranslatedHint};
use super::{param, title_in};
use crate::error::AppError;
use crate::i18n::*;
use crate::lang::use_locale;
use crate::routes;
use crate::surveys::api::builder::form::earlier_than_section;
use crate::surveys::api::builder::{get_survey, SaveSection};
use crate::surveys::model::Survey;
use crate::ui::{last_error, FormError, Loaded};

/// `/admin/surveys/{id}/sections/{code}`: edit one section.
#[component]
pub fn SurveySectionPage() -> impl IntoView {
    let locale = use_locale();
    let id = super::survey_id();
    let code = param("code");
    let data = Resource::new(
        || (),
        move |_| async move { get_survey(id.ok_or(AppError::NotFound)?).await },
    );
    let page = move |survey: Survey| {
        let Some(section) = survey
            .definition
            .sections
            .iter()
            .find(|s| s.code == code)
            .cloned()
        else {
            return view! { <crate::ui::ErrorPage error=AppError::NotFound/> }.into_any();
        };
        let title = title_in(locale, &survey.definition);
        let save = ServerAction::<SaveSection>::new();
        let errors = last_error(move || save.value().get());
        let def = survey.definition.clone();
        let earlier = earlier_than_section(&def, &section.code);
        view! {
            <Title text=format!("{} — {title} — Recovery Tracker", section.code)/>
            <p><a href=format!("{}#section-{}", routes::admin_survey(survey.id), section.code)>
                {td_string!(locale, survey_builder.back_to_survey, title = title.clone())}
            </a></p>
            <h1>{td_string!(locale, survey_builder.section_title, code = section.code.clone())}</h1>
            <FormError error=errors/>
            <ActionForm action=save attr:novalidate="true">
                <input type="hidden" name="id" value=survey.id/>
                <input type="hidden" name="version" value=survey.version/>
                <input type="hidden" name="code" value=section.code.clone()/>
                {def.languages.iter().map(|lang| {
                    view! {
                        <fieldset lang=lang.clone()>
                            <legend>{language_legend(lang, &def)}</legend>
                            <UntranslatedHint lang=lang.clone() def=def.clone() only=section.code.clone()/>
                            <LangTextField name="title" lang=lang.clone() label=td_string!(locale, survey_builder.field_section_title) text=section.title.clone() errors/>
                            <LangTextField name="intro" lang=lang.clone() label=td_string!(locale, survey_builder.field_intro) text=section.intro.clone() multiline=true errors/>
                        </fieldset>
                    }
                }).collect_view()}
                <ConditionFields condition=section.show_if.clone() earlier def=def.clone() errors/>
                <div class="actions"><button type="submit">{td_string!(locale, survey_builder.save_section)}</button></div>
            </ActionForm>
        }
        .into_any()
    };
    view! { <Loaded resource=data view=page/> }
}
