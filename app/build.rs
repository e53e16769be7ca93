//! Build steps: the interface languages are compiled into the `i18n` module (every key a
//! checked path), and `sqlx::migrate!` embeds the migrations (without the rerun line, a new or
//! changed migration would not rebuild the crate).

use std::path::PathBuf;

use leptos_i18n_build::{Config, ParseOptions, TranslationsInfos};

/// One file per language and namespace: `locales/{language}/{namespace}.json`.
const LANGUAGES: &[&str] = &["fr", "de"];
const NAMESPACES: &[&str] = &[
    "common",
    "recommendations",
    "countries",
    "auth",
    "users",
    "periods",
    "indicators",
    "progress",
    "audit",
    "dashboard",
    "surveys",
    "survey_builder",
    "survey_results",
    "spreadsheet",
    "xlsform",
    "imports",
];

fn main() -> Result<(), Box<dyn std::error::Error>> {
    println!("cargo:rerun-if-changed=../migrations");
    println!("cargo:rerun-if-changed=build.rs");
    let out = PathBuf::from(std::env::var_os("OUT_DIR").ok_or("OUT_DIR")?).join("i18n");
    // `interpolate_display`: `td_string!` with `{{ variables }}` gives a `Display` value.
    let options = ParseOptions::default().interpolate_display(true);
    let config = Config::new("en")?
        .add_locales(LANGUAGES)?
        .add_namespaces(NAMESPACES)?
        .parse_options(options);
    let infos = TranslationsInfos::parse(config)?;
    infos.emit_diagnostics();
    infos.rerun_if_locales_changed();
    infos.generate_i18n_module(out)?;
    Ok(())
}
