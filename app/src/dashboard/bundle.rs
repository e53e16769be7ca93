//! The charts' browser files: the custom ECharts build and the script that mounts the charts,
//! built by `scripts/build-charts` into `public/charts` (copied into the site as `charts/`)
//! with a content hash in their names, listed in `charts/manifest.json`. The server reads the
//! manifest once at start-up; a page with a chart places [`ChartsScript`] once, and pages
//! without one download neither file.
//!
//! The module compiles for the browser too, so that pages may name [`ChartsScript`]; there it
//! renders nothing (islands never render it).

use std::sync::OnceLock;

use leptos::prelude::*;

/// The folder of the charts' files in the site, and the URL path they are served under.
pub const CHARTS_DIR: &str = "charts";

static MANIFEST: OnceLock<Manifest> = OnceLock::new();

/// The file names of one charts build, as `scripts/build-charts` writes them.
#[derive(Debug, Clone, PartialEq, Eq, serde::Deserialize)]
pub struct Manifest {
    /// The mount script, e.g. `mount.4d747f70efaca988.js`.
    pub mount: String,
    /// The ECharts build, e.g. `echarts.d3e483f9f25ec326.js`.
    pub echarts: String,
}

impl Manifest {
    /// Reads `manifest.json`'s text; `None` when it is not the manifest or a name could do
    /// anything but name a script file in the charts folder.
    pub fn parse(text: &str) -> Option<Self> {
        let manifest: Self = serde_json::from_str(text).ok()?;
        (is_script_name(&manifest.mount) && is_script_name(&manifest.echarts)).then_some(manifest)
    }

    /// Reads `{site_root}/charts/manifest.json`; `None` when it is missing, unreadable or
    /// invalid (the charts' files were not built).
    #[cfg(feature = "ssr")]
    pub fn read(site_root: &std::path::Path) -> Option<Self> {
        std::fs::read_to_string(site_root.join(CHARTS_DIR).join("manifest.json"))
            .ok()
            .and_then(|text| Self::parse(&text))
    }

    /// The mount script's URL.
    pub fn mount_href(&self) -> String {
        format!("/{CHARTS_DIR}/{}", self.mount)
    }

    /// The ECharts build's URL.
    pub fn echarts_href(&self) -> String {
        format!("/{CHARTS_DIR}/{}", self.echarts)
    }
}

/// `name.js` or `name.hash.js` made of letters, digits, `-` and `_`: nothing that could leave
/// the folder or the attribute it is written into.
fn is_script_name(name: &str) -> bool {
    name.strip_suffix(".js").is_some_and(|stem| {
        stem.split('.').all(|part| {
            !part.is_empty()
                && part
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        })
    })
}

/// Sets the charts' file names once, at start-up (later calls change nothing).
pub fn set_manifest(manifest: Manifest) {
    let _ = MANIFEST.set(manifest);
}

/// The charts' file names, when the server was started with the charts built.
pub fn manifest() -> Option<&'static Manifest> {
    MANIFEST.get()
}

/// The charts' loader: a module script that draws every chart of the page (and a preload of
/// the ECharts build it imports, so both download at once). Place it once, at the end of a
/// page with charts. Without a manifest it renders nothing and the charts' tables stay open.
#[component]
pub fn ChartsScript() -> impl IntoView {
    manifest().map(loader)
}

fn loader(manifest: &Manifest) -> impl IntoView {
    let echarts = manifest.echarts_href();
    view! {
        <link rel="modulepreload" href=echarts.clone()/>
        <script type="module" src=manifest.mount_href() data-echarts=echarts></script>
    }
}

#[cfg(test)]
mod tests {
    use super::{loader, Manifest};
    use leptos::prelude::RenderHtml;

    #[test]
    fn the_manifest_of_build_charts_gives_the_two_urls() {
        let m = Manifest::parse(
            r#"{ "mount": "mount.4d747f70efaca988.js", "echarts": "echarts.d3e483f9f25ec326.js" }"#,
        )
        .expect("a valid manifest");
        assert_eq!(m.mount_href(), "/charts/mount.4d747f70efaca988.js");
        assert_eq!(m.echarts_href(), "/charts/echarts.d3e483f9f25ec326.js");
    }

    #[test]
    fn the_loader_is_a_module_script_that_knows_where_echarts_is() {
        let m = Manifest {
            mount: "mount.abc.js".into(),
            echarts: "echarts.def.js".into(),
        };
        let html = loader(&m).to_html();
        assert!(
            html.contains(r#"<link rel="modulepreload" href="/charts/echarts.def.js">"#),
            "{html}"
        );
        assert!(
            html.contains(
                r#"<script type="module" src="/charts/mount.abc.js" data-echarts="/charts/echarts.def.js"></script>"#
            ),
            "{html}"
        );
    }

    #[test]
    fn a_name_that_could_leave_the_folder_or_the_attribute_is_refused() {
        for bad in [
            "../secret.js",
            "mount.js\"><script>",
            "/mount.js",
            "mount..js",
            ".js",
            "mount.css",
            "https://elsewhere.example/mount.js",
        ] {
            let text = format!(
                r#"{{ "mount": "mount.1.js", "echarts": {} }}"#,
                serde_json::json!(bad)
            );
            assert_eq!(Manifest::parse(&text), None, "{bad}");
        }
    }

    #[test]
    fn a_file_that_is_not_the_manifest_gives_none() {
        assert_eq!(Manifest::parse(""), None);
        assert_eq!(Manifest::parse(r#"{ "mount": "mount.1.js" }"#), None);
        assert_eq!(Manifest::parse("css: abc"), None);
    }
}
