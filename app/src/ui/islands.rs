//! The islands bundle (wasm and its JS glue) loads only on pages that have an island: a page
//! that places an island also places [`IslandsScript`] once, and every other page downloads no
//! script at all. The shell provides what the script needs (the site options) per request.

use leptos::config::LeptosOptions;
use leptos::prelude::*;

/// Per request: the site options the loader needs.
#[derive(Clone)]
struct IslandsBundle(LeptosOptions);

/// Called by the shell for every page it renders.
pub fn provide_islands_bundle(options: LeptosOptions) {
    provide_context(IslandsBundle(options));
}

/// The islands loader (preload links and the nonce'd module script that hydrates every
/// `<leptos-island>` of the page once the browser is idle). Place it once on a page with
/// islands, beside them. (No "already placed" flag: a `<Suspense>` may render its children
/// more than once on the server, and only the last rendering is sent.)
#[component]
pub fn IslandsScript() -> impl IntoView {
    use_context::<IslandsBundle>()
        .map(|IslandsBundle(options)| view! { <HydrationScripts options islands=true/> })
}
