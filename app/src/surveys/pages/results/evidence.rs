//! "Evidence from member surveys" on a recommendation's page: the closed surveys linked to
//! it, with their headline results (counts and percentages only). Nothing when there are none.

use leptos::prelude::*;

use crate::i18n::*;
use crate::lang::{format, use_locale};
use crate::surveys::api::results::survey_evidence;

/// The section for recommendation `number`.
#[component]
pub fn SurveyEvidence(number: i64) -> impl IntoView {
    let l = use_locale();
    let evidence = Resource::new(move || number, survey_evidence);
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                let list = evidence.await.unwrap_or_default();
                (!list.is_empty()).then(|| view! {
                    <section aria-labelledby="survey-evidence-heading">
                        <h2 id="survey-evidence-heading">{td_string!(l, survey_results.evidence_heading)}</h2>
                        {list.into_iter().map(|e| view! {
                            <article class="section">
                                <h3>{e.title.clone()}</h3>
                                <p class="hint">{td_string!(l, survey_results.evidence_facts, n = format::count(l, e.responses), date = e.closed_on.clone())}</p>
                                {(!e.headlines.is_empty()).then(|| view! {
                                    <ul>
                                        {e.headlines.into_iter().map(|h| view! {
                                            <li>
                                                <strong>{h.question.clone()}</strong>" "
                                                {td_string!(l, survey_results.evidence_headline, percent = h.percent, answer = h.answer.clone(), count = h.count, answered = h.answered)}
                                            </li>
                                        }).collect_view()}
                                    </ul>
                                })}
                            </article>
                        }).collect_view()}
                    </section>
                })
            })}
        </Suspense>
    }
}
