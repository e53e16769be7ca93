//! The islands bundle (wasm and its JS glue) loads only on pages that have an island: a page
//! that places an island also places [`IslandsScript`] once, and every other page downloads no
//! script at all. The shell provides what the script needs (the site options) per request.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use leptos::config::LeptosOptions;
use leptos::prelude::*;

/// Per request: the site options, and whether the loader is already on the page.
#[derive(Clone)]
struct IslandsBundle {
    options: LeptosOptions,
    placed: Arc<AtomicBool>,
}

/// Called by the shell for every page it renders.
pub fn provide_islands_bundle(options: LeptosOptions) {
    provide_context(IslandsBundle {
        options,
        placed: Arc::new(AtomicBool::new(false)),
    });
}

/// The islands loader (preload links and the nonce'd module script that hydrates every
/// `<leptos-island>` of the page once the browser is idle). Place it beside the islands of a
/// page; a second one on the same page renders nothing.
#[component]
pub fn IslandsScript() -> impl IntoView {
    use_context::<IslandsBundle>()
        .filter(|bundle| !bundle.placed.swap(true, Ordering::Relaxed))
        .map(|bundle| view! { <HydrationScripts options=bundle.options islands=true/> })
}
