use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

use super::api::{get_link, Login, Logout, UseLink};
use super::model::LinkPurpose;
use crate::caller::CurrentUser;
use crate::error::AppError;
use crate::i18n::*;
use crate::lang::use_locale;
use crate::ui::{error_for, last_error, FormError, TextField};

/// The sign-in and sign-out actions, shared by the header and the sign-in page, and who is
/// signed in. Created once inside the router, so a plain form post that failed comes back to
/// the right action.
#[derive(Clone, Copy)]
pub struct Auth {
    pub login: ServerAction<Login>,
    pub logout: ServerAction<Logout>,
}

impl Auth {
    pub fn provide() -> Self {
        // These actions live outside <Routes>, which is what normally hands a plain form
        // post's error (in the URL) to the actions; do it here too.
        leptos_router::hooks::use_url()
            .read_untracked()
            .provide_server_action_error();
        let login = ServerAction::<Login>::new();
        let logout = ServerAction::<Logout>::new();
        let auth = Auth { login, logout };
        provide_context(auth);
        auth
    }

    /// Who is signed in, as a resource for one `<Suspense>`/`<Transition>` (create it outside
    /// the boundary, await it inside). Each boundary gets its own: one resource read under two
    /// boundaries can leave server rendering waiting forever (leptos issue #4851, still seen
    /// with 0.8.23 under a multi-threaded runtime). The call is cheap: the server already knows
    /// the caller from the session, without a query.
    pub fn user(&self) -> Resource<Result<Option<CurrentUser>, AppError>> {
        let (login, logout) = (self.login, self.logout);
        Resource::new(
            move || (login.version().get(), logout.version().get()),
            |_| super::api::get_current_user(),
        )
    }
}

/// The header's account area: who is signed in and "Sign out", or "Sign in".
#[component]
pub fn AccountMenu() -> impl IntoView {
    let locale = use_locale();
    let auth = expect_context::<Auth>();
    let user = auth.user();
    view! {
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                match user.await {
                    Ok(Some(user)) => view! {
                        <div class="account">
                            <span>{td_string!(locale, auth.signed_in_as)}" "<strong>{user.display_name.clone()}</strong></span>
                            <ActionForm action=auth.logout>
                                <button type="submit">{td_string!(locale, auth.sign_out)}</button>
                            </ActionForm>
                        </div>
                    }.into_any(),
                    _ => view! { <div class="account"><a href=crate::routes::LOGIN>{td_string!(locale, common.sign_in)}</a></div> }.into_any(),
                }
            })}
        </Transition>
    }
}

/// `/login`.
#[component]
pub fn LoginPage() -> impl IntoView {
    let locale = use_locale();
    let auth = expect_context::<Auth>();
    let query = use_query_map();
    let next = query.read_untracked().get("next").unwrap_or_default();
    let welcome = query.read_untracked().get("welcome").is_some();
    let result = move || auth.login.value().get();
    view! {
        <Title text=format!("{} — Recovery Tracker", td_string!(locale, common.sign_in))/>
        <h1>{td_string!(locale, common.sign_in)}</h1>
        {welcome.then(|| view! {
            <p class="notice notice-success" role="status">{td_string!(locale, auth.password_set)}</p>
        })}
        <FormError error=last_error(result)/>
        <ActionForm action=auth.login attr:novalidate="true">
            <input type="hidden" name="next" value=next/>
            <TextField name="email" label=td_string!(locale, auth.email) kind="email" autocomplete="username" required=true
                error=error_for(result, "email")/>
            <TextField name="password" label=td_string!(locale, auth.password) kind="password" autocomplete="current-password" required=true
                error=error_for(result, "password")/>
            <div class="actions"><button type="submit">{td_string!(locale, common.sign_in)}</button></div>
        </ActionForm>
        <p class="hint">{td_string!(locale, auth.no_account_hint)}</p>
    }
}

/// `/invitation/{token}` and `/reset-password/{token}`: set a password through a single-use link.
#[component]
pub fn LinkPage(purpose: LinkPurpose) -> impl IntoView {
    let locale = use_locale();
    let params = use_params_map();
    let token = move || params.read().get("token").unwrap_or_default();
    let info = Resource::new(token, move |t| get_link(t, purpose.as_str().to_string()));
    let action = ServerAction::<UseLink>::new();
    let result = move || action.value().get();
    let invitation = purpose == LinkPurpose::Invitation;
    let title = if invitation {
        td_string!(locale, auth.accept_invitation)
    } else {
        td_string!(locale, auth.choose_new_password)
    };
    view! {
        <Title text=format!("{title} — Recovery Tracker")/>
        <h1>{title}</h1>
        <Suspense fallback=move || view! { <p>{td_string!(locale, common.loading)}</p> }>
            {move || Suspend::new(async move {
                match info.await {
                    Ok(info) => view! {
                        <p>
                            {if invitation { td_string!(locale, auth.invited_before) } else { td_string!(locale, auth.reset_before) }}
                            <strong>{info.email.clone()}</strong>
                            {if invitation {
                                td_string!(locale, auth.invited_after, role = info.role.label_in(locale)).to_string()
                            } else {
                                td_string!(locale, auth.reset_after).to_string()
                            }}
                        </p>
                        <FormError error=last_error(result)/>
                        <ActionForm action=action attr:novalidate="true">
                            <input type="hidden" name="token" value=token()/>
                            <input type="hidden" name="purpose" value=purpose.as_str()/>
                            {invitation.then(|| view! {
                                <TextField name="display_name" label=td_string!(locale, auth.your_name) value=info.display_name.clone()
                                    autocomplete="name" required=true error=error_for(result, "display_name")/>
                            })}
                            <TextField name="password" label=td_string!(locale, auth.password) kind="password" autocomplete="new-password" required=true
                                hint=td_string!(locale, auth.new_password_hint)
                                error=error_for(result, "password")/>
                            <TextField name="password_confirm" label=td_string!(locale, auth.confirm_password) kind="password" autocomplete="new-password"
                                required=true error=error_for(result, "password_confirm")/>
                            <div class="actions">
                                <button type="submit">{if invitation { td_string!(locale, auth.create_my_account) } else { td_string!(locale, auth.set_new_password) }}</button>
                            </div>
                        </ActionForm>
                    }.into_any(),
                    Err(AppError::Rejected(message)) => view! {
                        <p class="notice notice-error" role="alert">{message}</p>
                    }.into_any(),
                    Err(e) => view! { <crate::ui::ErrorPage error=e/> }.into_any(),
                }
            })}
        </Suspense>
    }
}
