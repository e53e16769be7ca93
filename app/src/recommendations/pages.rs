use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::{components::A, hooks::use_params_map};

use super::api::{get_recommendation, list_recommendations};
use super::model::Recommendation;
use crate::routes;
use crate::ui::Loaded;

/// `/`: what Recommendation Tracker is and the seven recommendations.
#[component]
pub fn HomePage() -> impl IntoView {
    let recommendations = Resource::new(|| (), |_| list_recommendations());
    view! {
        <Title text="Recovery Tracker"/>
        <h1>"Recovery Tracker"</h1>
        <p class="lead">
            "Following up the seven urgent recommendations of the European Cancer Organisation's "
            "Special Network on the Impact of COVID-19 on Cancer: how each country of the WHO European "
            "Region is progressing, reported by national focal points and reviewed by the network."
        </p>
        <h2 id="recommendations-heading">"The seven recommendations"</h2>
        <Loaded resource=recommendations view=list/>
    }
}

fn list(list: Vec<Recommendation>) -> impl IntoView {
    view! {
        <ol class="recommendations" aria-labelledby="recommendations-heading">
            {list.into_iter().map(|r| view! {
                <li>
                    <A href=routes::recommendation(r.number)>{r.title}</A>
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
    view! {
        <Title text=format!("Recommendation {}: {} — Recovery Tracker", r.number, r.title)/>
        <p class="eyebrow">{format!("Recommendation {} of 7", r.number)}</p>
        <h1>{r.title}</h1>
        <p>{r.description}</p>
        <nav aria-label="Other recommendations" class="pager">
            {(r.number > 1).then(|| view! {
                <A href=routes::recommendation(r.number - 1)>"← Previous recommendation"</A>
            })}
            {(r.number < 7).then(|| view! {
                <A href=routes::recommendation(r.number + 1)>"Next recommendation →"</A>
            })}
        </nav>
    }
}
