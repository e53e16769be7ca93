//! Warns before a page with unsaved changes is left, with JavaScript on (islands call it):
//! closing or reloading the tab, or any other navigation (`beforeunload`, whose wording the
//! browser chooses), and following a link, where the page asks first in its own words (and
//! `beforeunload` then stays silent). One pair of listeners serves the page, set up by
//! [`guard_leaving`] with the question in the reader's language (from the island's props); a
//! form then only says whether it has unsaved changes ([`set_unsaved`]).

/// Marks the current page as having unsaved changes, or not. Does nothing on the server.
pub fn set_unsaved(unsaved: bool) {
    #[cfg(feature = "hydrate")]
    browser::set(unsaved);
    #[cfg(not(feature = "hydrate"))]
    let _ = unsaved;
}

/// Asks `question` ("You have unsaved changes…", in the reader's language) before a link
/// leaves the page while it has unsaved changes. Once per page; does nothing on the server.
pub fn guard_leaving(question: &str) {
    #[cfg(feature = "hydrate")]
    browser::install(question);
    #[cfg(not(feature = "hydrate"))]
    let _ = question;
}

#[cfg(feature = "hydrate")]
mod browser {
    use std::cell::Cell;

    use leptos::wasm_bindgen::{closure::Closure, JsCast};
    use leptos::web_sys::{BeforeUnloadEvent, Element, MouseEvent};

    thread_local! {
        static UNSAVED: Cell<bool> = const { Cell::new(false) };
        static INSTALLED: Cell<bool> = const { Cell::new(false) };
    }

    pub fn set(unsaved: bool) {
        UNSAVED.with(|u| u.set(unsaved));
    }

    fn unsaved() -> bool {
        UNSAVED.with(Cell::get)
    }

    /// The link a click follows inside this tab, if any (not a new tab, a download or a
    /// jump within the page).
    fn followed_link(ev: &MouseEvent) -> Option<Element> {
        if ev.default_prevented()
            || ev.button() != 0
            || ev.meta_key()
            || ev.ctrl_key()
            || ev.shift_key()
            || ev.alt_key()
        {
            return None;
        }
        let link = ev
            .target()?
            .dyn_into::<Element>()
            .ok()?
            .closest("a[href]")
            .ok()??;
        let href = link.get_attribute("href").unwrap_or_default();
        let other_tab = link.get_attribute("target").is_some_and(|t| t != "_self");
        (!href.starts_with('#') && !other_tab && !link.has_attribute("download")).then_some(link)
    }

    pub fn install(question: &str) {
        if INSTALLED.with(|i| i.replace(true)) {
            return;
        }
        let window = leptos::prelude::window();
        let (ask, say) = (question.to_string(), question.to_string());
        let on_click = Closure::<dyn Fn(MouseEvent)>::new(move |ev: MouseEvent| {
            if !unsaved() || followed_link(&ev).is_none() {
                return;
            }
            let leave = leptos::prelude::window()
                .confirm_with_message(&ask)
                .unwrap_or(true);
            if leave {
                // Asked once: the page's own `beforeunload` must not ask again.
                UNSAVED.with(|u| u.set(false));
            } else {
                ev.prevent_default();
                ev.stop_immediate_propagation();
            }
        });
        // Capture phase, so it runs before the router's click handler.
        let _ = window.add_event_listener_with_callback_and_bool(
            "click",
            on_click.as_ref().unchecked_ref(),
            true,
        );
        on_click.forget();
        let on_unload = Closure::<dyn Fn(BeforeUnloadEvent)>::new(move |ev: BeforeUnloadEvent| {
            if unsaved() {
                ev.prevent_default();
                ev.set_return_value(&say);
            }
        });
        let _ = window
            .add_event_listener_with_callback("beforeunload", on_unload.as_ref().unchecked_ref());
        on_unload.forget();
    }
}
