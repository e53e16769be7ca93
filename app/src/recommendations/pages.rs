use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::{components::A, hooks::use_params_map};

use super::api::{get_recommendation, list_recommendations};
use super::model::Recommendation;
use crate::i18n::*;
use crate::lang::{use_locale, Locale};
use crate::routes;
use crate::ui::Loaded;

/// `/`: what Recommendation Tracker is and the seven recommendations.
#[component]
pub fn HomePage() -> impl IntoView {
    let locale = use_locale();
    let recommendations = Resource::new(|| (), |_| list_recommendations());
    view! {
        <Title text="Recovery Tracker"/>
        <h1>"Recovery Tracker"</h1>
        <p class="lead">{td_string!(locale, recommendations.lead)}</p>
        <h2 id="recommendations-heading">{td_string!(locale, recommendations.heading)}</h2>
        <Loaded resource=recommendations view=list/>
    }
}

fn list(list: Vec<Recommendation>) -> impl IntoView {
    let locale = use_locale();
    view! {
        <ol class="recommendations" aria-labelledby="recommendations-heading">
            {list.into_iter().map(|r| view! {
                <li>
                    <A href=routes::recommendation(r.number)>{title(locale, &r)}</A>
                </li>
            }).collect_view()}
        </ol>
    }
}

/// `/recommendations/{number}`: one recommendation.
#[component]
pub fn RecommendationPage() -> impl IntoView {
    let params = use_params_map();
    let number = move || {
        params
            .read()
            .get("number")
            .and_then(|n| n.parse::<i64>().ok())
    };
    let recommendation = Resource::new(number, |n| async move {
        match n {
            Some(n) => get_recommendation(n).await,
            None => Err(crate::error::AppError::NotFound),
        }
    });
    view! { <Loaded resource=recommendation view=one/> }
}

fn one(r: Recommendation) -> impl IntoView {
    let locale = use_locale();
    let number = r.number;
    let heading = title(locale, &r);
    view! {
        <Title text=format!("{} — Recovery Tracker", td_string!(locale, recommendations.title, number = number, title = heading.clone()))/>
        <p class="eyebrow">{td_string!(locale, recommendations.eyebrow, number = number)}</p>
        <h1>{heading}</h1>
        <p>{description(locale, &r)}</p>
        <crate::surveys::pages::results::SurveyEvidence number=number/>
        <nav aria-label=td_string!(locale, recommendations.other) class="pager">
            {(number > 1).then(|| view! {
                <A href=routes::recommendation(number - 1)>{td_string!(locale, recommendations.previous)}</A>
            })}
            {(number < 7).then(|| view! {
                <A href=routes::recommendation(number + 1)>{td_string!(locale, recommendations.next)}</A>
            })}
        </nav>
    }
}

/// A recommendation's title in the language (the database keeps the English source text,
/// which the open data serves).
pub fn title(locale: Locale, r: &Recommendation) -> String {
    match r.number {
        1 => td_string!(locale, recommendations.r1_title).to_string(),
        2 => td_string!(locale, recommendations.r2_title).to_string(),
        3 => td_string!(locale, recommendations.r3_title).to_string(),
        4 => td_string!(locale, recommendations.r4_title).to_string(),
        5 => td_string!(locale, recommendations.r5_title).to_string(),
        6 => td_string!(locale, recommendations.r6_title).to_string(),
        7 => td_string!(locale, recommendations.r7_title).to_string(),
        _ => r.title.clone(),
    }
}

/// A recommendation's description in the language.
pub fn description(locale: Locale, r: &Recommendation) -> String {
    match r.number {
        1 => td_string!(locale, recommendations.r1_description).to_string(),
        2 => td_string!(locale, recommendations.r2_description).to_string(),
        3 => td_string!(locale, recommendations.r3_description).to_string(),
        4 => td_string!(locale, recommendations.r4_description).to_string(),
        5 => td_string!(locale, recommendations.r5_description).to_string(),
        6 => td_string!(locale, recommendations.r6_description).to_string(),
        7 => td_string!(locale, recommendations.r7_description).to_string(),
        _ => r.description.clone(),
    }
}
