//! `/admin/surveys/{id}/invitations`: choose members (a GET filter), invite them (a plain
//! form post; "Invite all shown" is a second submit button, so no script is needed), and the
//! personal links with who has answered.

use leptos::prelude::*;
use leptos_meta::Title;

use super::{query_value, search, survey_id, SurveyNav};
use crate::i18n::*;
use crate::lang::use_locale;
use crate::surveys::api::results::{survey_invitations, InviteMembers};
use crate::surveys::results::InvitationsView;
use crate::ui::{error_for, last_error, FormError, Loaded, SelectField, TextField};

/// The invitations page.
#[component]
pub fn SurveyInvitationsPage() -> impl IntoView {
    let id = survey_id();
    let query = search();
    let invite = ServerAction::<InviteMembers>::new();
    let view_data = Resource::new(
        move || (id(), query(), invite.version().get()),
        |(id, q, _)| survey_invitations(id, q),
    );
    let result = Signal::derive(move || invite.value().get());
    view! {
        <FormError error=last_error(move || result.get())/>
        <Loaded resource=view_data view=move |v| page(v, query(), invite, result)/>
    }
}

fn page(
    v: InvitationsView,
    query: String,
    invite: ServerAction<InviteMembers>,
    result: Signal<Option<Result<usize, crate::error::AppError>>>,
) -> impl IntoView {
    let l = use_locale();
    let title =
        td_string!(l, survey_results.invitations_title, title = v.title.clone()).to_string();
    let invited_now = query_value(&query, "invited");
    let filter_query = {
        let mut s = url::form_urlencoded::Serializer::new(String::new());
        for (k, val) in [
            ("country", &v.country),
            ("member_type", &v.member_type),
            ("organisation", &v.organisation),
        ] {
            if !val.is_empty() {
                s.append_pair(k, val);
            }
        }
        s.finish()
    };
    let shown: Vec<i64> = v
        .candidates
        .iter()
        .filter(|c| !c.invited)
        .map(|c| c.id)
        .collect();
    let shown_count = shown.len();
    let action = crate::routes::survey_invitations(v.survey_id);
    view! {
        <Title text=format!("{title} — Recovery Tracker")/>
        <h1>{title.clone()}</h1>
        <SurveyNav id=v.survey_id manage=true/>
        {invited_now.map(|n| view! {
            <p class="notice notice-success" role="status">{td_string!(l, survey_results.invited_now, n = n)}</p>
        })}
        {v.open_link.clone().map(|link| view! {
            <section aria-labelledby="open-link-heading">
                <h2 id="open-link-heading">{td_string!(l, survey_results.open_link)}</h2>
                <div class="field">
                    <label for="open-link">{td_string!(l, survey_results.open_link_label)}</label>
                    <input id="open-link" type="text" readonly=true value=link/>
                </div>
            </section>
        })}
        <section aria-labelledby="invite-heading">
            <h2 id="invite-heading">{td_string!(l, survey_results.invite_heading)}</h2>
            <form method="get" action=action.clone() class="inline-form filters" aria-label=td_string!(l, survey_results.member_filter_label)>
                <SelectField name="country" id="member-country" label=td_string!(l, survey_results.col_country) options=v.countries.clone() selected=v.country.clone()/>
                <SelectField name="member_type" id="member-type" label=td_string!(l, survey_results.col_member_type) options=v.member_types.clone() selected=v.member_type.clone()/>
                <TextField name="organisation" id="member-organisation" label=td_string!(l, survey_results.col_organisation) value=v.organisation.clone()/>
                <button type="submit">{td_string!(l, survey_results.show_members)}</button>
            </form>
            {if v.closed {
                view! { <p class="notice">{td_string!(l, survey_results.closed_no_invitations)}</p> }.into_any()
            } else if v.candidates.is_empty() {
                view! { <p class="hint">{td_string!(l, survey_results.no_members)}</p> }.into_any()
            } else {
                view! {
                    <ActionForm action=invite>
                        <input type="hidden" name="id" value=v.survey_id/>
                        <input type="hidden" name="query" value=filter_query/>
                        {shown.iter().map(|m| view! { <input type="hidden" name="shown[]" value=*m/> }).collect_view()}
                        <div class="table-wrap" id="f-members" tabindex="-1"><table>
                            <caption>{td_string!(l, survey_results.members_caption, n = v.candidates.len())}</caption>
                            <thead><tr>
                                <th scope="col">{td_string!(l, survey_results.col_invite)}</th>
                                <th scope="col">{td_string!(l, survey_results.col_name)}</th>
                                <th scope="col">{td_string!(l, survey_results.col_email)}</th>
                                <th scope="col">{td_string!(l, survey_results.col_organisation)}</th>
                                <th scope="col">{td_string!(l, survey_results.col_member_type)}</th>
                                <th scope="col">{td_string!(l, survey_results.col_country)}</th>
                            </tr></thead>
                            <tbody>
                                {v.candidates.iter().map(|c| {
                                    let box_id = format!("invite-{}", c.id);
                                    view! { <tr>
                                        <td>{if c.invited {
                                            view! { <span class="badge badge-active">{td_string!(l, survey_results.already_invited)}</span> }.into_any()
                                        } else {
                                            view! {
                                                <input type="checkbox" id=box_id.clone() name="members[]" value=c.id/>
                                                <label for=box_id class="visually-hidden">{td_string!(l, survey_results.invite_named, name = c.name.clone())}</label>
                                            }.into_any()
                                        }}</td>
                                        <th scope="row">{c.name.clone()}</th>
                                        <td>{c.email.clone()}</td>
                                        <td>{c.organisation.clone()}</td>
                                        <td>{c.member_type.clone()}</td>
                                        <td>{c.country.clone()}</td>
                                    </tr> }
                                }).collect_view()}
                            </tbody>
                        </table></div>
                        {move || error_for(move || result.get(), "members").get().map(|e| view! { <p class="error-message">{e}</p> })}
                        <div class="actions">
                            <button type="submit" name="scope" value="selected">{td_string!(l, survey_results.invite_selected)}</button>
                            {(shown_count > 0).then(|| view! {
                                <button type="submit" name="scope" value="all" class="secondary">{td_string!(l, survey_results.invite_all_shown, n = shown_count)}</button>
                            })}
                        </div>
                    </ActionForm>
                }.into_any()
            }}
        </section>
        <section aria-labelledby="links-heading">
            <h2 id="links-heading">{td_string!(l, survey_results.links_heading)}</h2>
            <p>{td_string!(l, survey_results.links_summary, invited = v.invited, answered = v.answered)}</p>
            <p><a href=v.csv_href.clone() download="">{td_string!(l, survey_results.links_csv)}</a></p>
            <form method="get" action=action class="inline-form filters" aria-label=td_string!(l, survey_results.links_filter_label)>
                <input type="hidden" name="country" value=v.country.clone()/>
                <input type="hidden" name="member_type" value=v.member_type.clone()/>
                <input type="hidden" name="organisation" value=v.organisation.clone()/>
                <div class="field checkbox-field">
                    <input type="checkbox" id="pending-only" name="pending" value="1" checked=v.pending_only/>
                    <label for="pending-only">{td_string!(l, survey_results.pending_only)}</label>
                </div>
                <button type="submit">{td_string!(l, survey_results.apply)}</button>
            </form>
            {if v.invitations.is_empty() {
                view! { <p class="hint">{td_string!(l, survey_results.no_invitations)}</p> }.into_any()
            } else {
                view! {
                    <div class="table-wrap"><table>
                        <caption>{td_string!(l, survey_results.links_caption)}</caption>
                        <thead><tr>
                            <th scope="col">{td_string!(l, survey_results.col_name)}</th>
                            <th scope="col">{td_string!(l, survey_results.col_organisation)}</th>
                            <th scope="col">{td_string!(l, survey_results.col_country)}</th>
                            <th scope="col">{td_string!(l, survey_results.col_status)}</th>
                            <th scope="col">{td_string!(l, survey_results.col_link)}</th>
                        </tr></thead>
                        <tbody>
                            {v.invitations.iter().enumerate().map(|(i, inv)| {
                                let link_id = format!("link-{i}");
                                view! { <tr>
                                    <th scope="row">{inv.name.clone()}<br/><span class="hint">{inv.email.clone()}</span></th>
                                    <td>{inv.organisation.clone()}</td>
                                    <td>{inv.country.clone()}</td>
                                    <td>{match inv.answered_on.clone() {
                                        Some(d) => view! { <span class="badge badge-active">{td_string!(l, survey_results.answered_on, date = d)}</span> }.into_any(),
                                        None => view! { <span class="badge badge-submitted">{td_string!(l, survey_results.not_answered)}</span> }.into_any(),
                                    }}</td>
                                    <td>
                                        <label for=link_id.clone() class="visually-hidden">{td_string!(l, survey_results.link_of, name = inv.name.clone())}</label>
                                        <input id=link_id type="text" readonly=true value=inv.link.clone()/>
                                    </td>
                                </tr> }
                            }).collect_view()}
                        </tbody>
                    </table></div>
                }.into_any()
            }}
        </section>
    }
}
