//! Every setting the server reads, with its environment variable and default.
//!
//! Each one can also be given as a command-line flag (`server --help` lists them). The README's
//! configuration table mirrors this file.

use clap::Args;
use std::net::SocketAddr;

/// The server's configuration.
#[derive(Debug, Clone, Args)]
pub struct Config {
    /// Where the data lives: `sqlite://PATH` (the file and its folder are created on first
    /// start) or `postgres://USER@HOST:PORT/DB` for several app instances behind a load balancer.
    #[arg(
        long,
        env = "DATABASE_URL",
        default_value = "sqlite://data/recovery-tracker.db",
        global = true
    )]
    pub database_url: String,

    /// Largest number of database connections this instance opens.
    #[arg(
        long,
        env = "RT_DB_MAX_CONNECTIONS",
        default_value_t = 10,
        global = true
    )]
    pub db_max_connections: u32,

    /// Address and port to listen on. (cargo-leptos sets it from `site-addr` in Cargo.toml.)
    #[arg(
        long,
        env = "LEPTOS_SITE_ADDR",
        default_value = "127.0.0.1:3000",
        global = true
    )]
    pub listen: SocketAddr,

    /// Folder of the compiled site (wasm, JS, CSS and public files), as built by cargo-leptos.
    #[arg(
        long,
        env = "LEPTOS_SITE_ROOT",
        default_value = "target/site",
        global = true
    )]
    pub site_root: String,

    /// The address users reach the site at, e.g. `https://tracker.example.eu` (scheme, host and
    /// port; no path): invitation, password-reset and survey links are built on it, the session
    /// cookie is `Secure` when it is https, and only forms posted from it are accepted (never
    /// the request's `Host` header). Required when the server listens beyond loopback; on
    /// loopback (development) it defaults to `http://` and the listen address.
    #[arg(long, env = "RT_PUBLIC_URL", global = true)]
    pub public_url: Option<url::Url>,

    /// Replaced by `RT_PUBLIC_URL` (the cookie is `Secure` when it is https). Still read so
    /// that a deployment which set it to true does not silently lose `Secure`.
    #[arg(long, env = "RT_SECURE_COOKIES", hide = true, global = true)]
    pub secure_cookies: Option<bool>,

    /// The load balancers' or reverse proxies' addresses or blocks, comma-separated (e.g.
    /// `10.0.0.5,2001:db8::/64`): only a request from one of them may name the client in
    /// `X-Forwarded-For` (the right-most address there that is not one of them). Used for
    /// sign-in throttling and the audit log. Empty: the connecting address is the client.
    #[arg(
        long,
        env = "RT_TRUSTED_PROXIES",
        value_delimiter = ',',
        value_parser = app::http::client::parse_trusted_proxy,
        global = true
    )]
    pub trusted_proxies: Vec<app::http::client::IpNet>,

    /// Minutes without a request after which a session ends.
    #[arg(
        long,
        env = "RT_SESSION_IDLE_MINUTES",
        default_value_t = 120,
        global = true
    )]
    pub session_idle_minutes: i64,

    /// Hours after sign-in after which a session ends, however active.
    #[arg(
        long,
        env = "RT_SESSION_ABSOLUTE_HOURS",
        default_value_t = 12,
        global = true
    )]
    pub session_absolute_hours: i64,

    /// Pages, server functions and API answers served at once (static files and `/health` are
    /// not counted). Default: four per core. Memory under load follows this number.
    #[arg(
        long,
        env = "RT_MAX_CONCURRENT_REQUESTS",
        default_value_t = app::context::default_max_concurrent_requests(),
        value_parser = clap::builder::RangedU64ValueParser::<usize>::new().range(1..),
        global = true
    )]
    pub max_concurrent_requests: usize,

    /// Requests that wait for their turn when that many are being served; beyond them, requests
    /// are answered at once with 503 and `Retry-After: 1`. Default: 1,024.
    #[arg(
        long,
        env = "RT_REQUEST_QUEUE",
        default_value_t = app::context::default_request_queue(),
        global = true
    )]
    pub request_queue: usize,

    /// Log filter, e.g. `info` or `app=debug,tower_http=info`.
    #[arg(long, env = "RUST_LOG", default_value = "info", global = true)]
    pub log: String,

    /// Log format: `text` for people, `json` for log collectors.
    #[arg(long, env = "RT_LOG_FORMAT", default_value = "text", global = true)]
    pub log_format: LogFormat,
}

/// How log lines are written.
#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum LogFormat {
    Text,
    Json,
}

/// Settings that are no longer read, each with what replaced it: refused at start-up rather
/// than silently ignored, since ignoring one would change what the server does.
const REPLACED: &[(&str, &str)] = &[(
    "RT_TRUST_PROXY",
    "RT_TRUST_PROXY is no longer read: it trusted X-Forwarded-For from any peer. List your load \
     balancers' or reverse proxies' addresses instead, e.g. RT_TRUSTED_PROXIES=10.0.0.5 or \
     RT_TRUSTED_PROXIES=10.0.0.0/8,2001:db8::/64, and remove RT_TRUST_PROXY",
)];

/// Refuses a setting that was replaced, with what to set instead; `var` reads the environment.
pub fn refuse_replaced(var: impl Fn(&str) -> Option<std::ffi::OsString>) -> Result<(), String> {
    match REPLACED.iter().find(|(name, _)| var(name).is_some()) {
        Some((_, message)) => Err((*message).to_string()),
        None => Ok(()),
    }
}

impl Config {
    /// The site's public URL: `RT_PUBLIC_URL`, or on loopback only `http://` and the listen
    /// address. An error says what to set: the server does not start without it.
    pub fn public_url(&self) -> Result<url::Url, String> {
        let url = match &self.public_url {
            Some(u) => u.clone(),
            None if self.listen.ip().is_loopback() => {
                url::Url::parse(&format!("http://{}/", self.listen)).map_err(|e| e.to_string())?
            }
            None => {
                return Err(format!(
                    "RT_PUBLIC_URL is required when the server listens beyond loopback ({}): \
                     set it to the address users reach the site at, e.g. \
                     RT_PUBLIC_URL=https://tracker.example.eu",
                    self.listen
                ))
            }
        };
        let origin_only = matches!(url.scheme(), "http" | "https")
            && url.host_str().is_some()
            && url.username().is_empty()
            && url.password().is_none()
            && url.path() == "/"
            && url.query().is_none()
            && url.fragment().is_none();
        if !origin_only {
            return Err(format!(
                "RT_PUBLIC_URL must be an http or https address without a path, such as \
                 https://tracker.example.eu, not {url}"
            ));
        }
        if self.secure_cookies == Some(true) && url.scheme() != "https" {
            return Err(format!(
                "RT_SECURE_COOKIES is replaced by RT_PUBLIC_URL: the session cookie is Secure \
                 when RT_PUBLIC_URL is https (it is {url}); set RT_PUBLIC_URL=https://… and \
                 remove RT_SECURE_COOKIES"
            ));
        }
        Ok(url)
    }

    /// The settings request handlers need.
    pub fn settings(&self) -> Result<app::context::Settings, String> {
        Ok(app::context::Settings {
            public_url: self.public_url()?,
            trusted_proxies: self.trusted_proxies.clone(),
            session_idle: time::Duration::minutes(self.session_idle_minutes.max(1)),
            session_absolute: time::Duration::hours(self.session_absolute_hours.max(1)),
            max_concurrent_requests: self.max_concurrent_requests,
            request_queue: self.request_queue,
            ..Default::default()
        })
    }
}
