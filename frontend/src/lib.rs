//! The browser bundle: makes the page's islands interactive. Pages are rendered on the server
//! and work without it; only `#[island]` components of `app` are compiled in here.

// The island exports live in `app`; naming the crate links them into this bundle.
use app as _;

#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_islands();
    // The loader hydrates the page's islands right after this returns, awaiting only
    // microtasks in between; a zero-delay timeout runs after all of them. So this attribute
    // tells people and browser tests that every island on the page is live.
    leptos::prelude::set_timeout(
        || {
            if let Some(body) = leptos::prelude::document().body() {
                let _ = body.set_attribute("data-islands", "live");
            }
        },
        std::time::Duration::ZERO,
    );
}
