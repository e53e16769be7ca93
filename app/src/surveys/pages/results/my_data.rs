//! `/account/data`: everything stored about the signed-in user (their account, their survey
//! invitations and every named response with its answers), and the header's link to it.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;

use crate::auth::pages::Auth;
use crate::i18n::*;
use crate::lang::use_locale;
use crate::surveys::api::results::my_data;
use crate::surveys::results::{AnswerLine, MyDataView};
use crate::ui::Loaded;

/// Answers as a description list: question, answer.
#[component]
pub fn Answers(answers: Vec<AnswerLine>) -> impl IntoView {
    let l = use_locale();
    if answers.is_empty() {
        return view! { <p class="hint">{td_string!(l, survey_results.no_answers)}</p> }.into_any();
    }
    view! {
        <dl class="answers">
            {answers.into_iter().map(|a| view! { <dt>{a.question}</dt><dd>{a.answer}</dd> }).collect_view()}
        </dl>
    }
    .into_any()
}

/// The header's link for signed-in users.
#[component]
pub fn MyDataLink() -> impl IntoView {
    let l = use_locale();
    let user = expect_context::<Auth>().user();
    view! {
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                user.await.ok().flatten().map(|_| view! {
                    <li><A href=crate::routes::ACCOUNT_DATA>{td_string!(l, survey_results.nav_my_data)}</A></li>
                })
            })}
        </Transition>
    }
}

/// The page.
#[component]
pub fn MyDataPage() -> impl IntoView {
    let data = Resource::new(|| (), |_| my_data());
    view! { <Loaded resource=data view=page/> }
}

fn page(v: MyDataView) -> impl IntoView {
    let l = use_locale();
    let title = td_string!(l, survey_results.my_data_title);
    view! {
        <Title text=format!("{title} — Recovery Tracker")/>
        <h1>{title}</h1>
        <p class="lead">{td_string!(l, survey_results.my_data_intro)}</p>
        <section aria-labelledby="account-heading">
            <h2 id="account-heading">{td_string!(l, survey_results.account_heading)}</h2>
            <dl class="facts">
                {v.account.into_iter().map(|(k, val)| view! { <dt>{k}</dt><dd>{val}</dd> }).collect_view()}
            </dl>
        </section>
        <section aria-labelledby="my-invitations-heading">
            <h2 id="my-invitations-heading">{td_string!(l, survey_results.my_invitations_heading)}</h2>
            {if v.invitations.is_empty() {
                view! { <p class="hint">{td_string!(l, survey_results.my_no_invitations)}</p> }.into_any()
            } else {
                view! {
                    <div class="table-wrap"><table>
                        <caption class="visually-hidden">{td_string!(l, survey_results.my_invitations_heading)}</caption>
                        <thead><tr>
                            <th scope="col">{td_string!(l, survey_results.col_survey)}</th>
                            <th scope="col">{td_string!(l, survey_results.col_invited_on)}</th>
                            <th scope="col">{td_string!(l, survey_results.col_status)}</th>
                            <th scope="col">{td_string!(l, survey_results.col_link)}</th>
                        </tr></thead>
                        <tbody>
                            {v.invitations.into_iter().map(|i| view! { <tr>
                                <th scope="row">{i.title.clone()}</th>
                                <td>{i.invited_on.clone()}</td>
                                <td>{match (i.answered_on.clone(), i.started) {
                                    (Some(d), _) => td_string!(l, survey_results.answered_on, date = d).to_string(),
                                    (None, true) => td_string!(l, survey_results.started).to_string(),
                                    (None, false) => td_string!(l, survey_results.not_answered).to_string(),
                                }}</td>
                                <td><a href=i.link.clone()>{i.link.clone()}</a></td>
                            </tr> }).collect_view()}
                        </tbody>
                    </table></div>
                }.into_any()
            }}
        </section>
        <section aria-labelledby="my-responses-heading">
            <h2 id="my-responses-heading">{td_string!(l, survey_results.my_responses_heading)}</h2>
            <p class="hint">{td_string!(l, survey_results.my_anonymous_explained)}</p>
            {if v.responses.is_empty() {
                view! { <p class="hint">{td_string!(l, survey_results.my_no_responses)}</p> }.into_any()
            } else {
                v.responses.into_iter().map(|r| view! {
                    <article class="section">
                        <h3>{r.title.clone()}</h3>
                        <p class="hint">{td_string!(l, survey_results.submitted_on, date = r.submitted_on.clone())}</p>
                        <Answers answers=r.answers/>
                    </article>
                }).collect_view().into_any()
            }}
        </section>
    }
}
