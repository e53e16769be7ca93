//! The compiled site's file names. cargo-leptos (`hash-files`) puts a content hash in the names
//! of the CSS, JS and wasm files and lists the hashes in `hash.txt` beside the server binary, so
//! browsers may keep them for a year: a new build has new names.

use std::path::Path;
use std::sync::OnceLock;

/// The output name of the site's files (`output-name` in `Cargo.toml`).
pub const OUTPUT_NAME: &str = "recovery-tracker";

static STYLESHEET: OnceLock<String> = OnceLock::new();

/// The hashes of one build, as cargo-leptos writes them (`css: AbC…` one per line).
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Hashes {
    pub css: Option<String>,
    pub js: Option<String>,
    pub wasm: Option<String>,
}

impl Hashes {
    /// Reads `hash.txt`'s text; unknown lines are ignored.
    pub fn parse(text: &str) -> Self {
        let mut out = Self::default();
        for line in text.lines() {
            let Some((kind, hash)) = line.split_once(':') else {
                continue;
            };
            let hash = hash.trim();
            let safe = !hash.is_empty()
                && hash
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
            if !safe {
                continue;
            }
            match kind.trim() {
                "css" => out.css = Some(hash.to_string()),
                "js" => out.js = Some(hash.to_string()),
                "wasm" => out.wasm = Some(hash.to_string()),
                _ => {}
            }
        }
        out
    }

    /// Reads the hash file; `None` when it is missing or unreadable.
    pub fn read(path: &Path) -> Option<Self> {
        std::fs::read_to_string(path)
            .ok()
            .map(|text| Self::parse(&text))
    }

    /// The stylesheet's URL for these hashes.
    pub fn stylesheet_href(&self, pkg_dir: &str) -> String {
        match &self.css {
            Some(h) => format!("/{pkg_dir}/{OUTPUT_NAME}.{h}.css"),
            None => format!("/{pkg_dir}/{OUTPUT_NAME}.css"),
        }
    }
}

/// The file cargo-leptos writes beside the server binary.
pub fn hash_file_beside_exe() -> Option<std::path::PathBuf> {
    std::env::current_exe()
        .ok()
        .and_then(|exe| exe.parent().map(|dir| dir.join("hash.txt")))
}

/// Sets the stylesheet's URL once, at start-up (later calls change nothing).
pub fn set_stylesheet_href(href: String) {
    let _ = STYLESHEET.set(href);
}

/// The stylesheet's URL: hashed when the server was started with hashed files.
pub fn stylesheet_href() -> &'static str {
    STYLESHEET
        .get()
        .map(String::as_str)
        .unwrap_or("/pkg/recovery-tracker.css")
}

#[cfg(test)]
mod tests {
    use super::Hashes;

    #[test]
    fn the_hash_file_of_cargo_leptos_gives_the_stylesheet_name() {
        let h = Hashes::parse("js: AbC_1\nwasm: dEf-2\ncss: Xyz9\nmanifest: q\n");
        assert_eq!(h.js.as_deref(), Some("AbC_1"));
        assert_eq!(h.wasm.as_deref(), Some("dEf-2"));
        assert_eq!(h.stylesheet_href("pkg"), "/pkg/recovery-tracker.Xyz9.css");
    }

    #[test]
    fn a_hash_that_could_break_out_of_a_url_is_ignored() {
        let h = Hashes::parse("css: a\"><script>\n");
        assert_eq!(h.css, None);
        assert_eq!(h.stylesheet_href("pkg"), "/pkg/recovery-tracker.css");
    }
}
