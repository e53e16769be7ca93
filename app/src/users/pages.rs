use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

use super::api::{
    get_user, list_users, AllowSignIn, CreateUserLink, InviteUser, SetUserActive, UpdateUser,
};
use super::model::{User, UserDetail, UserStatus};
use crate::auth::model::MemberType;
use crate::caller::Role;
use crate::countries::{api::list_countries, model::Country};
use crate::error::AppError;
use crate::i18n::*;
use crate::lang::{format, use_locale, Locale};
use crate::ui::{
    enum_options, error_for, last_error, CheckboxGroup, ErrorPage, FormError, SelectField,
    TextField,
};

fn role_options(locale: Locale, with_all: bool) -> Vec<(String, String)> {
    let prompt = if with_all {
        td_string!(locale, users.all_roles)
    } else {
        td_string!(locale, users.choose_role)
    };
    enum_options(prompt, |r: Role| r.label_in(locale))
}

/// The countries as (code, name in the language), in the language's alphabetical order.
/// English keeps the names and order of the database (the WHO short names); other languages
/// get CLDR's names.
fn country_names(locale: Locale, countries: &[Country]) -> Vec<(String, String)> {
    let english = locale == Locale::default();
    let mut names: Vec<(String, String)> = countries
        .iter()
        .map(|c| {
            let name = if english {
                c.name.clone()
            } else {
                format::country_name_or(locale, &c.iso2, &c.name)
            };
            (c.iso2.clone(), name)
        })
        .collect();
    if !english {
        names.sort_by(|a, b| format::compare(locale, &a.1, &b.1));
    }
    names
}

fn country_options(locale: Locale, countries: &[Country], first: &str) -> Vec<(String, String)> {
    let mut options = vec![(String::new(), first.to_string())];
    options.extend(country_names(locale, countries));
    options
}

/// The fields shared by the invitation and edit forms.
#[component]
fn UserFields<T: Clone + Send + Sync + 'static>(
    countries: Vec<Country>,
    #[prop(optional)] user: Option<User>,
    result: Signal<Option<Result<T, AppError>>>,
) -> impl IntoView {
    let locale = use_locale();
    let r = move || result.get();
    let checked = user
        .as_ref()
        .map(|u| u.countries.clone())
        .unwrap_or_default();
    let member_type_options =
        enum_options(td_string!(locale, users.choose_kind), |m: MemberType| {
            m.label(locale)
        });
    let country_boxes = country_names(locale, &countries);
    view! {
        <TextField name="display_name" label=td_string!(locale, users.name) value=user.as_ref().map(|u| u.display_name.clone()).unwrap_or_default()
            hint=td_string!(locale, users.name_hint)
            error=error_for(r, "display_name")/>
        <SelectField name="role" label=td_string!(locale, users.role) options=role_options(locale, false) required=true
            selected=user.as_ref().map(|u| u.role.as_str().to_string()).unwrap_or_default()
            error=error_for(r, "role")/>
        <CheckboxGroup name="countries" legend=td_string!(locale, users.countries_legend) options=country_boxes checked
            hint=td_string!(locale, users.countries_hint)
            error=error_for(r, "countries")/>
        <fieldset>
            <legend>{td_string!(locale, users.member_details)}</legend>
            <TextField name="organisation" label=td_string!(locale, users.organisation)
                value=user.as_ref().and_then(|u| u.organisation.clone()).unwrap_or_default()
                error=error_for(r, "organisation")/>
            <SelectField name="member_type" label=td_string!(locale, users.member_type) options=member_type_options
                selected=user.as_ref().and_then(|u| u.member_type).map(|m| m.as_str().to_string()).unwrap_or_default()
                error=error_for(r, "member_type")/>
            <SelectField name="member_country" label=td_string!(locale, users.member_country)
                options=country_options(locale, &countries, td_string!(locale, users.choose_country))
                selected=user.as_ref().and_then(|u| u.member_country.clone()).unwrap_or_default()
                error=error_for(r, "member_country")/>
        </fieldset>
    }
}

/// `/admin/users`: the user list with filters, and the invitation form. Admins only.
#[component]
pub fn AdminUsersPage() -> impl IntoView {
    let locale = use_locale();
    let query = use_query_map();
    let filter = move || {
        let q = query.read();
        (
            q.get("role").filter(|v| !v.is_empty()),
            q.get("country").filter(|v| !v.is_empty()),
        )
    };
    let users = Resource::new(filter, |(role, country)| list_users(role, country));
    let countries = Resource::new(|| (), |_| list_countries());
    let invite = ServerAction::<InviteUser>::new();
    let invite_result = Signal::derive(move || invite.value().get());
    view! {
        <Title text=format!("{} — Recovery Tracker", td_string!(locale, users.title))/>
        <Suspense fallback=move || view! { <p>{td_string!(locale, common.loading)}</p> }>
            {move || Suspend::new(async move {
                let (role, country) = filter();
                let (users, countries) = match (users.await, countries.await) {
                    (Ok(u), Ok(c)) => (u, c),
                    (Err(e), _) | (_, Err(e)) => return view! { <ErrorPage error=e/> }.into_any(),
                };
                view! {
                    <h1>{td_string!(locale, users.title)}</h1>
                    <form method="get" action=crate::routes::ADMIN_USERS class="inline-form" aria-label=td_string!(locale, users.filter_users)>
                        <SelectField name="role" id="filter-role" label=td_string!(locale, users.role) options=role_options(locale, true) selected=role.unwrap_or_default()/>
                        <SelectField name="country" id="filter-country" label=td_string!(locale, users.country)
                            options=country_options(locale, &countries, td_string!(locale, users.all_countries))
                            selected=country.unwrap_or_default()/>
                        <button type="submit">{td_string!(locale, users.filter)}</button>
                    </form>
                    <UserTable users/>
                    <section class="section" aria-labelledby="invite-heading">
                        <h2 id="invite-heading">{td_string!(locale, users.invite_heading)}</h2>
                        <p>{td_string!(locale, users.invite_text)}</p>
                        <FormError error=last_error(move || invite_result.get())/>
                        <ActionForm action=invite attr:novalidate="true">
                            <TextField name="email" label=td_string!(locale, users.email_address) kind="email" required=true
                                error=error_for(move || invite_result.get(), "email")/>
                            <UserFields countries result=invite_result/>
                            <div class="actions"><button type="submit">{td_string!(locale, users.create_invitation)}</button></div>
                        </ActionForm>
                    </section>
                }.into_any()
            })}
        </Suspense>
    }
}

#[component]
fn StatusBadge(status: UserStatus) -> impl IntoView {
    view! { <span class=status.css()>{status.label(use_locale())}</span> }
}

#[component]
fn UserTable(users: Vec<User>) -> impl IntoView {
    let locale = use_locale();
    let count = users.len();
    view! {
        <div class="table-wrap">
            <table>
                <caption>{td_string!(locale, users.user_count, count = count)}</caption>
                <thead><tr>
                    <th scope="col">{td_string!(locale, users.name)}</th>
                    <th scope="col">{td_string!(locale, users.email)}</th>
                    <th scope="col">{td_string!(locale, users.role)}</th>
                    <th scope="col">{td_string!(locale, users.countries)}</th>
                    <th scope="col">{td_string!(locale, users.status)}</th>
                    <th scope="col"><span class="visually-hidden">{td_string!(locale, users.actions)}</span></th>
                </tr></thead>
                <tbody>
                    {users.into_iter().map(|u| {
                        let who = if u.display_name.is_empty() { u.email.clone() } else { u.display_name.clone() };
                        let countries = if u.role == Role::Member { u.member_country.clone().unwrap_or_default() } else { u.countries.join(", ") };
                        view! {
                            <tr>
                                <td>{if u.display_name.is_empty() { "—".to_string() } else { u.display_name.clone() }}</td>
                                <td>{u.email.clone()}</td>
                                <td>{u.role.label_in(locale)}</td>
                                <td>{countries}</td>
                                <td><StatusBadge status=u.status/></td>
                                <td><a href=crate::routes::admin_user(u.id) aria-label=td_string!(locale, users.manage_who, who = who).to_string()>
                                    {td_string!(locale, users.manage)}
                                </a></td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}

/// `/admin/users/{id}`: one user: the link just created, edit, deactivate, new link. Admins only.
#[component]
pub fn AdminUserPage() -> impl IntoView {
    let locale = use_locale();
    let params = use_params_map();
    let query = use_query_map();
    let id = move || params.read().get("id").and_then(|v| v.parse::<i64>().ok());
    let update = ServerAction::<UpdateUser>::new();
    let set_active = ServerAction::<SetUserActive>::new();
    let link = ServerAction::<CreateUserLink>::new();
    let allow = ServerAction::<AllowSignIn>::new();
    let detail = Resource::new(
        move || {
            (
                id(),
                update.version().get(),
                set_active.version().get(),
                link.version().get(),
                allow.version().get(),
            )
        },
        |(id, ..)| async move {
            match id {
                Some(id) => get_user(id).await,
                None => Err(AppError::NotFound),
            }
        },
    );
    let countries = Resource::new(|| (), |_| list_countries());
    let update_result = Signal::derive(move || update.value().get());
    view! {
        <Suspense fallback=move || view! { <p>{td_string!(locale, common.loading)}</p> }>
            {move || Suspend::new(async move {
                let (detail, countries) = match (detail.await, countries.await) {
                    (Ok(d), Ok(c)) => (d, c),
                    (Err(e), _) | (_, Err(e)) => return view! { <ErrorPage error=e/> }.into_any(),
                };
                let saved = query.read_untracked().get("saved").is_some() && update_result.get_untracked().is_none();
                let allowed = query.read_untracked().get("unlocked").is_some() && allow.value().get_untracked().is_none();
                let UserDetail { user, new_link, invitation_expires_at, sign_in_failures } = detail;
                let who = if user.display_name.is_empty() { user.email.clone() } else { user.display_name.clone() };
                let active = user.status != UserStatus::Deactivated;
                let email = user.email.clone();
                let edit_user = user.clone();
                let user_id = user.id;
                view! {
                    <Title text=format!("{who} — {} — Recovery Tracker", td_string!(locale, users.title))/>
                    <p><a href=crate::routes::ADMIN_USERS>{td_string!(locale, users.all_users)}</a></p>
                    <h1>{who.clone()}</h1>
                    {saved.then(|| view! { <p class="notice notice-success" role="status">{td_string!(locale, users.changes_saved)}</p> })}
                    {new_link.map(|l| {
                        let invitation = l.purpose == crate::auth::model::LinkPurpose::Invitation;
                        let (label, created) = if invitation {
                            (td_string!(locale, users.invitation_link), td_string!(locale, users.invitation_link_created))
                        } else {
                            (td_string!(locale, users.reset_link), td_string!(locale, users.reset_link_created))
                        };
                        let expires = format::timestamp(locale, &l.expires_at);
                        view! {
                            <div class="notice notice-success" role="status">
                                <p><strong>{created}</strong>{td_string!(locale, users.link_copy_before)}{email}
                                    {td_string!(locale, users.link_copy_after, expires = expires).to_string()}</p>
                                <label for="new-link">{label}</label>
                                <input id="new-link" type="text" readonly value=l.url.clone() class="copy-link"/>
                            </div>
                        }
                    })}
                    <dl class="meta">
                        <dt>{td_string!(locale, users.email)}</dt><dd>{user.email.clone()}</dd>
                        <dt>{td_string!(locale, users.role)}</dt><dd>{user.role.label_in(locale)}</dd>
                        <dt>{td_string!(locale, users.status)}</dt><dd><StatusBadge status=user.status/></dd>
                        {(!user.countries.is_empty()).then(|| view! {
                            <dt>{td_string!(locale, users.countries)}</dt><dd>{user.countries.join(", ")}</dd>
                        })}
                        {invitation_expires_at.map(|e| view! {
                            <dt>{td_string!(locale, users.invitation_expires)}</dt><dd>{format::timestamp(locale, &e)}</dd>
                        })}
                        <dt>{td_string!(locale, users.created)}</dt><dd>{format::timestamp(locale, &user.created_at)}</dd>
                    </dl>

                    <section class="section" aria-labelledby="edit-heading">
                        <h2 id="edit-heading">{td_string!(locale, users.role_and_countries)}</h2>
                        <FormError error=last_error(move || update_result.get())/>
                        <ActionForm action=update attr:novalidate="true">
                            <input type="hidden" name="id" value=user_id/>
                            <UserFields countries user=edit_user result=update_result/>
                            <div class="actions"><button type="submit">{td_string!(locale, users.save_changes)}</button></div>
                        </ActionForm>
                    </section>

                    <section class="section" aria-labelledby="access-heading">
                        <h2 id="access-heading">{td_string!(locale, users.access)}</h2>
                        <FormError error=last_error(move || link.value().get())/>
                        <FormError error=last_error(move || set_active.value().get())/>
                        <div class="actions">
                            {active.then(|| view! {
                                <ActionForm action=link>
                                    <input type="hidden" name="id" value=user_id/>
                                    <button type="submit" class="secondary">
                                        {if user.status == UserStatus::Invited {
                                            td_string!(locale, users.new_invitation_link)
                                        } else {
                                            td_string!(locale, users.new_reset_link)
                                        }}
                                    </button>
                                </ActionForm>
                            })}
                            <ActionForm action=set_active>
                                <input type="hidden" name="id" value=user_id/>
                                <input type="hidden" name="active" value=(!active).to_string()/>
                                <button type="submit" class=if active { "danger" } else { "secondary" }>
                                    {if active { td_string!(locale, users.deactivate) } else { td_string!(locale, users.reactivate) }}
                                </button>
                            </ActionForm>
                        </div>
                        {active.then(|| view! { <p class="hint">{td_string!(locale, users.deactivate_hint)}</p> })}
                        {allowed.then(|| view! { <p class="notice notice-success" role="status">{td_string!(locale, users.sign_in_allowed)}</p> })}
                        {(sign_in_failures > 0).then(|| view! {
                            <div class="notice notice-warning" role="status">
                                <p>{td_string!(locale, users.sign_in_failures, count = sign_in_failures, minutes = crate::auth::api::THROTTLE_MINUTES).to_string()}</p>
                                <FormError error=last_error(move || allow.value().get())/>
                                <ActionForm action=allow>
                                    <input type="hidden" name="id" value=user_id/>
                                    <button type="submit" class="secondary">{td_string!(locale, users.allow_sign_in)}</button>
                                </ActionForm>
                                <p class="hint">{td_string!(locale, users.allow_sign_in_hint)}</p>
                            </div>
                        })}
                    </section>
                }.into_any()
            })}
        </Suspense>
    }
}
