use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

use super::api::{get_user, list_users, CreateUserLink, InviteUser, SetUserActive, UpdateUser};
use super::model::{User, UserDetail, UserStatus};
use crate::auth::model::MemberType;
use crate::caller::Role;
use crate::countries::{api::list_countries, model::Country};
use crate::error::AppError;
use crate::ui::{
    enum_options, error_for, last_error, CheckboxGroup, ErrorPage, FormError, SelectField,
    TextField,
};

fn role_options(with_all: bool) -> Vec<(String, String)> {
    let prompt = if with_all {
        "All roles"
    } else {
        "Choose a role"
    };
    enum_options(prompt, Role::label)
}

fn country_options(countries: &[Country], first: &str) -> Vec<(String, String)> {
    let mut options = vec![(String::new(), first.to_string())];
    options.extend(countries.iter().map(|c| (c.iso2.clone(), c.name.clone())));
    options
}

/// The fields shared by the invitation and edit forms.
#[component]
fn UserFields<T: Clone + Send + Sync + 'static>(
    countries: Vec<Country>,
    #[prop(optional)] user: Option<User>,
    result: Signal<Option<Result<T, AppError>>>,
) -> impl IntoView {
    let r = move || result.get();
    let checked = user
        .as_ref()
        .map(|u| u.countries.clone())
        .unwrap_or_default();
    let member_type_options = enum_options("Choose a kind", MemberType::label);
    let country_boxes: Vec<(String, String)> = countries
        .iter()
        .map(|c| (c.iso2.clone(), c.name.clone()))
        .collect();
    view! {
        <TextField name="display_name" label="Name" value=user.as_ref().map(|u| u.display_name.clone()).unwrap_or_default()
            hint="Optional for an invitation: the person can enter or correct it when accepting."
            error=error_for(r, "display_name")/>
        <SelectField name="role" label="Role" options=role_options(false) required=true
            selected=user.as_ref().map(|u| u.role.as_str().to_string()).unwrap_or_default()
            error=error_for(r, "role")/>
        <CheckboxGroup name="countries" legend="Countries (focal points only)" options=country_boxes checked
            hint="The countries whose progress this focal point reports."
            error=error_for(r, "countries")/>
        <fieldset>
            <legend>"Network member details (members only)"</legend>
            <TextField name="organisation" label="Organisation"
                value=user.as_ref().and_then(|u| u.organisation.clone()).unwrap_or_default()
                error=error_for(r, "organisation")/>
            <SelectField name="member_type" label="Kind of member" options=member_type_options
                selected=user.as_ref().and_then(|u| u.member_type).map(|m| m.as_str().to_string()).unwrap_or_default()
                error=error_for(r, "member_type")/>
            <SelectField name="member_country" label="Member's country" options=country_options(&countries, "Choose a country")
                selected=user.as_ref().and_then(|u| u.member_country.clone()).unwrap_or_default()
                error=error_for(r, "member_country")/>
        </fieldset>
    }
}

/// `/admin/users`: the user list with filters, and the invitation form. Admins only.
#[component]
pub fn AdminUsersPage() -> impl IntoView {
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
        <Title text="Users — Recovery Tracker"/>
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || Suspend::new(async move {
                let (role, country) = filter();
                let (users, countries) = match (users.await, countries.await) {
                    (Ok(u), Ok(c)) => (u, c),
                    (Err(e), _) | (_, Err(e)) => return view! { <ErrorPage error=e/> }.into_any(),
                };
                view! {
                    <h1>"Users"</h1>
                    <form method="get" action=crate::routes::ADMIN_USERS class="inline-form" aria-label="Filter users">
                        <SelectField name="role" id="filter-role" label="Role" options=role_options(true) selected=role.unwrap_or_default()/>
                        <SelectField name="country" id="filter-country" label="Country" options=country_options(&countries, "All countries")
                            selected=country.unwrap_or_default()/>
                        <button type="submit">"Filter"</button>
                    </form>
                    <UserTable users/>
                    <section class="section" aria-labelledby="invite-heading">
                        <h2 id="invite-heading">"Invite a user"</h2>
                        <p>"The new user gets a single-use link, valid for 7 days, to set their name and password. Copy it to them."</p>
                        <FormError error=last_error(move || invite_result.get())/>
                        <ActionForm action=invite attr:novalidate="true">
                            <TextField name="email" label="Email address" kind="email" required=true
                                error=error_for(move || invite_result.get(), "email")/>
                            <UserFields countries result=invite_result/>
                            <div class="actions"><button type="submit">"Create invitation"</button></div>
                        </ActionForm>
                    </section>
                }.into_any()
            })}
        </Suspense>
    }
}

#[component]
fn StatusBadge(status: UserStatus) -> impl IntoView {
    view! { <span class=status.css()>{status.label()}</span> }
}

#[component]
fn UserTable(users: Vec<User>) -> impl IntoView {
    let count = users.len();
    view! {
        <div class="table-wrap">
            <table>
                <caption>{format!("{count} users")}</caption>
                <thead><tr>
                    <th scope="col">"Name"</th><th scope="col">"Email"</th><th scope="col">"Role"</th>
                    <th scope="col">"Countries"</th><th scope="col">"Status"</th><th scope="col"><span class="visually-hidden">"Actions"</span></th>
                </tr></thead>
                <tbody>
                    {users.into_iter().map(|u| {
                        let who = if u.display_name.is_empty() { u.email.clone() } else { u.display_name.clone() };
                        let countries = if u.role == Role::Member { u.member_country.clone().unwrap_or_default() } else { u.countries.join(", ") };
                        view! {
                            <tr>
                                <td>{if u.display_name.is_empty() { "—".to_string() } else { u.display_name.clone() }}</td>
                                <td>{u.email.clone()}</td>
                                <td>{u.role.label()}</td>
                                <td>{countries}</td>
                                <td><StatusBadge status=u.status/></td>
                                <td><a href=crate::routes::admin_user(u.id) aria-label=format!("Manage {who}")>"Manage"</a></td>
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
    let params = use_params_map();
    let query = use_query_map();
    let id = move || params.read().get("id").and_then(|v| v.parse::<i64>().ok());
    let update = ServerAction::<UpdateUser>::new();
    let set_active = ServerAction::<SetUserActive>::new();
    let link = ServerAction::<CreateUserLink>::new();
    let detail = Resource::new(
        move || {
            (
                id(),
                update.version().get(),
                set_active.version().get(),
                link.version().get(),
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
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || Suspend::new(async move {
                let (detail, countries) = match (detail.await, countries.await) {
                    (Ok(d), Ok(c)) => (d, c),
                    (Err(e), _) | (_, Err(e)) => return view! { <ErrorPage error=e/> }.into_any(),
                };
                let saved = query.read_untracked().get("saved").is_some() && update_result.get_untracked().is_none();
                let UserDetail { user, new_link, invitation_expires_at } = detail;
                let who = if user.display_name.is_empty() { user.email.clone() } else { user.display_name.clone() };
                let active = user.status != UserStatus::Deactivated;
                let email = user.email.clone();
                let edit_user = user.clone();
                let user_id = user.id;
                view! {
                    <Title text=format!("{who} — Users — Recovery Tracker")/>
                    <p><a href=crate::routes::ADMIN_USERS>"← All users"</a></p>
                    <h1>{who.clone()}</h1>
                    {saved.then(|| view! { <p class="notice notice-success" role="status">"Changes saved."</p> })}
                    {new_link.map(|l| {
                        let label = if l.purpose == crate::auth::model::LinkPurpose::Invitation { "Invitation link" } else { "Password-reset link" };
                        view! {
                            <div class="notice notice-success" role="status">
                                <p><strong>{format!("{label} created.")}</strong>" Copy it to "{email}
                                    ". It works once and expires "{crate::clock::display(&l.expires_at)}". It is shown only now."</p>
                                <label for="new-link">{label}</label>
                                <input id="new-link" type="text" readonly value=l.url.clone() class="copy-link"/>
                            </div>
                        }
                    })}
                    <dl class="meta">
                        <dt>"Email"</dt><dd>{user.email.clone()}</dd>
                        <dt>"Role"</dt><dd>{user.role.label()}</dd>
                        <dt>"Status"</dt><dd><StatusBadge status=user.status/></dd>
                        {(!user.countries.is_empty()).then(|| view! { <dt>"Countries"</dt><dd>{user.countries.join(", ")}</dd> })}
                        {invitation_expires_at.map(|e| view! { <dt>"Invitation expires"</dt><dd>{crate::clock::display(&e)}</dd> })}
                        <dt>"Created"</dt><dd>{crate::clock::display(&user.created_at)}</dd>
                    </dl>

                    <section class="section" aria-labelledby="edit-heading">
                        <h2 id="edit-heading">"Role and countries"</h2>
                        <FormError error=last_error(move || update_result.get())/>
                        <ActionForm action=update attr:novalidate="true">
                            <input type="hidden" name="id" value=user_id/>
                            <UserFields countries user=edit_user result=update_result/>
                            <div class="actions"><button type="submit">"Save changes"</button></div>
                        </ActionForm>
                    </section>

                    <section class="section" aria-labelledby="access-heading">
                        <h2 id="access-heading">"Access"</h2>
                        <FormError error=last_error(move || link.value().get())/>
                        <FormError error=last_error(move || set_active.value().get())/>
                        <div class="actions">
                            {active.then(|| view! {
                                <ActionForm action=link>
                                    <input type="hidden" name="id" value=user_id/>
                                    <button type="submit" class="secondary">
                                        {if user.status == UserStatus::Invited { "Create a new invitation link" } else { "Create a password-reset link" }}
                                    </button>
                                </ActionForm>
                            })}
                            <ActionForm action=set_active>
                                <input type="hidden" name="id" value=user_id/>
                                <input type="hidden" name="active" value=(!active).to_string()/>
                                <button type="submit" class=if active { "danger" } else { "secondary" }>
                                    {if active { "Deactivate user" } else { "Reactivate user" }}
                                </button>
                            </ActionForm>
                        </div>
                        {active.then(|| view! { <p class="hint">"Deactivating ends all of this user's sessions at once."</p> })}
                    </section>
                }.into_any()
            })}
        </Suspense>
    }
}
