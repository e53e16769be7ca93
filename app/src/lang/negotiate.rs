//! Which language a request is answered in: `?lang=` on the URL (which is also remembered in a
//! cookie, so a shared French link stays French as the reader moves on), else the cookie, else
//! the browser's `Accept-Language`, else English.

use axum::{
    extract::Request,
    http::{header, HeaderValue},
    middleware::Next,
    response::Response,
};

use super::Locale;

/// The cookie that remembers the chosen language.
pub const COOKIE: &str = "rt_lang";
/// The query parameter that fixes the language of a page (`?lang=fr`).
pub const PARAM: &str = "lang";
/// A year, in seconds: how long the choice is remembered.
const COOKIE_MAX_AGE: u32 = 365 * 24 * 60 * 60;

/// What a request says about its language.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Choice {
    pub locale: Locale,
    /// The language was fixed by `?lang=` (and differs from the cookie): remember it.
    pub remember: bool,
}

/// Chooses the language from the query string, the cookie header and `Accept-Language`.
pub fn choose(query: Option<&str>, cookies: &[&str], accept_language: Option<&str>) -> Choice {
    let from_cookie = cookies
        .iter()
        .flat_map(|h| h.split(';'))
        .filter_map(|c| c.trim().strip_prefix(COOKIE)?.strip_prefix('='))
        .find_map(Locale::from_tag);
    let from_query = query.and_then(|q| {
        url::form_urlencoded::parse(q.as_bytes())
            .find(|(k, _)| k == PARAM)
            .and_then(|(_, v)| Locale::from_tag(&v))
    });
    if let Some(locale) = from_query {
        return Choice {
            locale,
            remember: from_cookie != Some(locale),
        };
    }
    if let Some(locale) = from_cookie {
        return Choice {
            locale,
            remember: false,
        };
    }
    let from_header = accept_language.and_then(|h| {
        accept_language::parse(h).iter().find_map(|tag| {
            let primary = tag.split(['-', '_']).next().unwrap_or_default();
            Locale::from_tag(primary)
        })
    });
    Choice {
        locale: from_header.unwrap_or_default(),
        remember: false,
    }
}

/// [`choose`] for a request: its query, `Cookie` headers and `Accept-Language`.
pub fn choose_for(req: &Request) -> Choice {
    let cookies: Vec<&str> = req
        .headers()
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .collect();
    let accept = req
        .headers()
        .get(header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok());
    choose(req.uri().query(), &cookies, accept)
}

/// Middleware: puts the request's [`Locale`] in its extensions (pages and server functions
/// read it from there) and remembers a language chosen with `?lang=` in a cookie.
pub async fn layer(mut req: Request, next: Next) -> Response {
    let choice = choose_for(&req);
    req.extensions_mut().insert(choice.locale);
    let mut res = next.run(req).await;
    if choice.remember {
        let cookie = format!(
            "{COOKIE}={}; Path=/; Max-Age={COOKIE_MAX_AGE}; SameSite=Lax",
            choice.locale.tag()
        );
        if let Ok(value) = HeaderValue::from_str(&cookie) {
            res.headers_mut().append(header::SET_COOKIE, value);
        }
    }
    // Shared caches must not give a French page to a German reader.
    let is_html = res
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"));
    if is_html {
        res.headers_mut().append(
            header::VARY,
            HeaderValue::from_static("Accept-Language, Cookie"),
        );
    }
    res
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_query_wins_and_is_remembered_unless_the_cookie_already_says_so() {
        let c = choose(Some("period=3&lang=fr"), &["rt_lang=de"], Some("en"));
        assert_eq!(
            c,
            Choice {
                locale: Locale::fr,
                remember: true
            }
        );
        let c = choose(Some("lang=fr"), &["a=1; rt_lang=fr"], None);
        assert_eq!(
            c,
            Choice {
                locale: Locale::fr,
                remember: false
            }
        );
    }

    #[test]
    fn the_cookie_wins_over_the_browser() {
        let c = choose(None, &["rt_lang=de"], Some("fr-FR,fr;q=0.9"));
        assert_eq!(c.locale, Locale::de);
    }

    #[test]
    fn the_browser_languages_are_tried_in_order_of_preference() {
        let c = choose(None, &[], Some("it-IT,it;q=0.9,de-AT;q=0.8,fr;q=0.5"));
        assert_eq!(c.locale, Locale::de);
        assert_eq!(choose(None, &[], Some("fr-CH")).locale, Locale::fr);
    }

    #[test]
    fn unknown_or_missing_languages_fall_back_to_english() {
        assert_eq!(
            choose(Some("lang=xx"), &["rt_lang=zz"], Some("ja")).locale,
            Locale::en
        );
        assert_eq!(choose(None, &[], None).locale, Locale::en);
    }
}
