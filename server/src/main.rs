//! The Recovery Tracker server: `server serve` (the default), `server migrate`, `server user add`,
//! `server demo-data`, `server routes`.

mod allocator;
mod config;

use std::process::ExitCode;
use std::sync::Arc;

use clap::{Parser, Subcommand};
use leptos::config::LeptosOptions;
use tracing_subscriber::EnvFilter;

use app::context::AppState;
use app::db::Db;
use config::{Config, LogFormat};

/// Recovery Tracker: follow-up of the European Cancer Organisation's COVID-19 and cancer
/// recommendations.
#[derive(Debug, Parser)]
#[command(version, about)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
    #[command(flatten)]
    config: Config,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Run the migrations, then serve the site (the default).
    Serve,
    /// Run the database migrations and exit.
    Migrate,
    /// Manage users from the command line.
    #[command(subcommand)]
    User(UserCommand),
    /// Fill an empty database with a synthetic demo data set (four periods, 53 countries'
    /// reports, indicators, one account per role) and print the accounts' passwords, once.
    /// Refused if the database has any report.
    DemoData {
        /// When the database already has reports, say so and succeed without writing (what
        /// `scripts/demo` does on every start after the first).
        #[arg(long)]
        if_empty: bool,
    },
    /// Import a workbook, as the pages do: read safely, checked, shown as a dry run (changes,
    /// then every problem by sheet, row and column), applied all or nothing. Exits non-zero
    /// when the file is refused.
    #[command(subcommand)]
    Import(ImportCommand),
    /// Write a consistent copy of the live SQLite database to the new file PATH (SQLite's
    /// online `VACUUM INTO`: the site keeps running; an existing file is never overwritten).
    /// On PostgreSQL, says to use pg_dump. Restore: docs/operations.md.
    Backup {
        /// The backup file to create, e.g. backups/tracker-2026-11-30.db.
        path: std::path::PathBuf,
    },
    /// Print the page routes, one pattern per line (`/report/:country/:period`): the browser
    /// tests audit every one of them.
    Routes,
}

#[derive(Debug, Subcommand)]
enum ImportCommand {
    /// A progress workbook: a country's template (as one of its focal points) or the
    /// secretariat's bulk workbook (as an admin); the file says which period.
    Progress {
        /// The .xlsx, .xls or .ods file.
        file: std::path::PathBuf,
        /// The account the import acts as (its rights are checked; history and the audit log
        /// name it).
        #[arg(long = "as", value_name = "EMAIL")]
        as_email: String,
        /// Check and print what would change; write nothing.
        #[arg(long)]
        dry_run: bool,
    },
    /// An XLSForm (ODK, KoboToolbox): its survey, choices and settings sheets become a new
    /// draft survey (as an admin); prints its questions, or every row it cannot take.
    Xlsform {
        /// The .xlsx, .xls or .ods file.
        file: std::path::PathBuf,
        /// The admin account the import acts as (the audit log names it).
        #[arg(long = "as", value_name = "EMAIL")]
        as_email: String,
        /// Check and print what would be created; write nothing.
        #[arg(long)]
        dry_run: bool,
    },
    /// Past responses into a survey that is open or closed (as an admin): a row per response,
    /// columns named by question code, as the responses export writes them.
    Responses {
        /// The survey's number (as in /admin/surveys/NUMBER).
        survey: i64,
        /// The .xlsx, .xls or .ods file.
        file: std::path::PathBuf,
        /// The admin account the import acts as (the audit log names it).
        #[arg(long = "as", value_name = "EMAIL")]
        as_email: String,
        /// Check and print what would be imported; write nothing.
        #[arg(long)]
        dry_run: bool,
    },
}

#[derive(Debug, Subcommand)]
enum UserCommand {
    /// Create a user with a password read from standard input (the first line), e.g.
    /// `printf '%s\n' "$PASSWORD" | server user add --email a@example.org --role admin --name "A. Admin"`.
    Add {
        /// Email address (the sign-in name).
        #[arg(long)]
        email: String,
        /// admin, focal-point, member or viewer.
        #[arg(long)]
        role: String,
        /// Name shown in the header and the audit log.
        #[arg(long)]
        name: String,
        /// A country a focal point reports for (ISO alpha-2); repeat for several.
        #[arg(long = "country")]
        countries: Vec<String>,
        /// A member's organisation.
        #[arg(long, default_value = "")]
        organisation: String,
        /// A member's kind: professional-society, patient-organisation, research or other.
        #[arg(long, default_value = "")]
        member_type: String,
        /// A member's country (ISO alpha-2).
        #[arg(long, default_value = "")]
        member_country: String,
    },
}

#[tokio::main]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    init_tracing(&cli.config);
    let result = match cli.command.unwrap_or(Command::Serve) {
        Command::Serve => serve(&cli.config).await,
        Command::Routes => {
            for route in app::http::route_list() {
                println!("{}", route.path());
            }
            Ok(())
        }
        Command::DemoData { if_empty } => demo_data(&cli.config, if_empty).await,
        Command::Import(command) => import(&cli.config, command).await,
        Command::Backup { path } => backup(&cli.config, &path).await,
        Command::Migrate => connect(&cli.config).await.map(|_| {
            tracing::info!("migrations are up to date");
        }),
        Command::User(UserCommand::Add {
            email,
            role,
            name,
            countries,
            organisation,
            member_type,
            member_country,
        }) => {
            let input = app::users::model::UserInput {
                email,
                display_name: name,
                role,
                countries,
                organisation,
                member_type,
                member_country,
            };
            add_user(&cli.config, input).await
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            tracing::error!("{message}");
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}

fn init_tracing(config: &Config) {
    let filter = EnvFilter::try_new(&config.log).unwrap_or_else(|_| EnvFilter::new("info"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_target(false);
    match config.log_format {
        LogFormat::Json => builder.json().init(),
        LogFormat::Text => builder.init(),
    }
}

/// Connects to the configured database and brings its schema up to date.
async fn connect(config: &Config) -> Result<Db, String> {
    let db = Db::connect(&config.database_url, config.db_max_connections)
        .await
        .map_err(|e| {
            format!(
                "cannot open the database at {}: {e}",
                redact(&config.database_url)
            )
        })?;
    db.migrate()
        .await
        .map_err(|e| format!("migrations failed: {e}"))?;
    tracing::info!(database = db.engine.name(), "database ready");
    Ok(db)
}

/// `server backup PATH`.
async fn backup(config: &Config, path: &std::path::Path) -> Result<(), String> {
    let db = connect(config).await?;
    let bytes = db.backup_to(path).await?;
    println!(
        "backup written to {} ({:.1} MB)",
        path.display(),
        bytes as f64 / 1e6
    );
    Ok(())
}

/// `server user add`: validates like the admin page does, reads the password from stdin.
async fn add_user(config: &Config, input: app::users::model::UserInput) -> Result<(), String> {
    let mut password = String::new();
    std::io::stdin()
        .read_line(&mut password)
        .map_err(|e| format!("cannot read the password from standard input: {e}"))?;
    let password = password.trim_end_matches(['\r', '\n']).to_string();
    let db = connect(config).await?;
    let id = app::users::cli::add_user(&db, input, password)
        .await
        .map_err(|e| match e {
            app::error::AppError::Invalid(errors) => errors
                .iter()
                .map(|e| format!("{}: {}", e.field, e.message))
                .collect::<Vec<_>>()
                .join("\n"),
            other => other.to_string(),
        })?;
    println!("created user {id}");
    Ok(())
}

/// `server import …`: prints the dry run (and what applying did); fails when refused.
async fn import(config: &Config, command: ImportCommand) -> Result<(), String> {
    use app::imports::cli;
    let outcome = match command {
        ImportCommand::Progress {
            file,
            as_email,
            dry_run,
        } => {
            let bytes = read_file(&file)?;
            let db = connect(config).await?;
            cli::import_progress(&db, &as_email, &file_name(&file), bytes, dry_run).await?
        }
        ImportCommand::Xlsform {
            file,
            as_email,
            dry_run,
        } => {
            let bytes = read_file(&file)?;
            let db = connect(config).await?;
            cli::import_xlsform(&db, &as_email, &file_name(&file), bytes, dry_run).await?
        }
        ImportCommand::Responses {
            survey,
            file,
            as_email,
            dry_run,
        } => {
            let bytes = read_file(&file)?;
            let db = connect(config).await?;
            let name = file_name(&file);
            cli::import_responses(&db, &as_email, survey, &name, bytes, dry_run).await?
        }
    };
    print!("{}", outcome.text);
    if outcome.ok {
        Ok(())
    } else {
        Err("the file was refused; nothing was written".into())
    }
}

/// A file to import, up to the pages' limit.
fn read_file(path: &std::path::Path) -> Result<Vec<u8>, String> {
    let limit = app::imports::model::MAX_FILE_MB as u64 * 1024 * 1024;
    let size = std::fs::metadata(path)
        .map_err(|e| format!("cannot read {}: {e}", path.display()))?
        .len();
    if size > limit {
        return Err(format!(
            "{} is {size} bytes; the limit is {} MB",
            path.display(),
            app::imports::model::MAX_FILE_MB
        ));
    }
    std::fs::read(path).map_err(|e| format!("cannot read {}: {e}", path.display()))
}

fn file_name(path: &std::path::Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// `server demo-data`: the passwords go to standard output only, never to the log.
async fn demo_data(config: &Config, if_empty: bool) -> Result<(), String> {
    let db = connect(config).await?;
    if if_empty {
        let filled = app::demo::has_reports(&db)
            .await
            .map_err(|e| format!("cannot read the database: {e}"))?;
        if filled {
            println!(
                "{} already has reports; nothing written (the demo accounts' passwords were \
                 printed when it was filled; to start over, delete the database)",
                redact(&config.database_url)
            );
            return Ok(());
        }
    }
    let started = std::time::Instant::now();
    let data = app::demo::fill(&db, time::OffsetDateTime::now_utc())
        .await
        .map_err(|e| format!("demo data not written: {e}"))?;
    tracing::info!(
        reports = data.counts.reports,
        ms = started.elapsed().as_millis() as u64,
        "demo data written"
    );
    let site = config
        .public_url()
        .map(|u| u.origin().ascii_serialization())
        .unwrap_or_else(|_| format!("http://{}", config.listen));
    print!("{}", data.summary(&site));
    Ok(())
}

async fn serve(config: &Config) -> Result<(), String> {
    config::refuse_replaced(|name| std::env::var_os(name))?;
    // Before anything else: without its public URL the server does not start.
    let settings = config.settings()?;
    let db = connect(config).await?;
    let any_admin = match db.conn().await {
        Ok(mut c) => app::auth::repo::any_admin(&mut c).await,
        Err(e) => Err(e),
    };
    match any_admin {
        Ok(false) => tracing::warn!(
            "there is no administrator yet; create one with: printf '%s\\n' \"$PASSWORD\" | \
             server user add --email you@example.org --role admin --name \"Your Name\""
        ),
        Ok(true) => {}
        Err(e) => tracing::warn!("could not check for an administrator: {e}"),
    }
    if config.public_url.is_none() {
        tracing::info!(
            "RT_PUBLIC_URL is not set: links are built on {} (set it when users reach the site \
             at another address, e.g. through a proxy)",
            settings.public_origin()
        );
    } else if !settings.cookies_secure() && !config.listen.ip().is_loopback() {
        tracing::warn!(
            "RT_PUBLIC_URL is http: session cookies are not marked Secure; users should reach \
             this site over https"
        );
    }
    if config.secure_cookies.is_some() {
        tracing::warn!(
            "RT_SECURE_COOKIES is no longer read: the session cookie is Secure when \
             RT_PUBLIC_URL is https"
        );
    }
    tokio::spawn(
        db.sessions
            .clone()
            .delete_expired_every(std::time::Duration::from_secs(600)),
    );
    // A release build names its CSS, JS and wasm files with content hashes, listed in
    // `hash.txt` beside this binary; without that file the plain names are served.
    let hashes = app::assets::hash_file_beside_exe().and_then(|p| app::assets::Hashes::read(&p));
    if let Some(h) = &hashes {
        app::assets::set_stylesheet_href(h.stylesheet_href("pkg"));
    }
    // The charts' files, named by content hash too, are listed in `charts/manifest.json` in
    // the site (scripts/build-charts); without it pages show the charts' tables only.
    match app::dashboard::bundle::Manifest::read(std::path::Path::new(&config.site_root)) {
        Some(m) => app::dashboard::bundle::set_manifest(m),
        None => tracing::warn!(
            "no charts in the site ({}/charts/manifest.json): run scripts/build-charts \
             before building the site",
            config.site_root
        ),
    }
    let leptos_options = LeptosOptions::builder()
        .output_name(option_env!("LEPTOS_OUTPUT_NAME").unwrap_or(app::assets::OUTPUT_NAME))
        .site_root(config.site_root.as_str())
        .site_pkg_dir("pkg")
        .site_addr(config.listen)
        .hash_files(hashes.is_some())
        .build();
    let state = AppState {
        leptos_options,
        db,
        settings: Arc::new(settings),
    };
    let router = app::http::router(state);

    let listener = tokio::net::TcpListener::bind(config.listen)
        .await
        .map_err(|e| format!("cannot listen on {}: {e}", config.listen))?;
    tracing::info!("listening on http://{}", config.listen);
    axum::serve(
        listener,
        router.into_make_service_with_connect_info::<std::net::SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown_signal())
    .await
    .map_err(|e| format!("server error: {e}"))?;
    tracing::info!("shut down cleanly");
    Ok(())
}

/// Resolves on SIGTERM (what process managers send) or Ctrl-C.
async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = terminate => {},
    }
    tracing::info!("shutdown signal received, finishing requests in flight");
}

/// The URL without its password, for messages; a value that is not a SQLite or PostgreSQL
/// URL (a mistyped scheme) is not repeated at all, since where its password is cannot be told.
fn redact(url: &str) -> String {
    if app::db::Engine::from_url(url).is_none() {
        return "(DATABASE_URL not shown)".into();
    }
    match url::Url::parse(url) {
        Ok(mut u) if u.password().is_some() => {
            let _ = u.set_password(Some("***"));
            u.to_string()
        }
        Ok(u) => u.to_string(),
        Err(_) => "(DATABASE_URL not shown)".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn the_command_line_is_well_formed() {
        Cli::command().debug_assert();
    }

    #[test]
    fn serve_is_the_default_and_the_defaults_are_the_documented_ones() {
        let cli = Cli::try_parse_from(["server"]).unwrap();
        assert!(cli.command.is_none());
        // The environment of the test run may set these; only check when it does not.
        if std::env::var_os("DATABASE_URL").is_none() {
            assert_eq!(cli.config.database_url, "sqlite://data/recovery-tracker.db");
        }
        if std::env::var_os("LEPTOS_SITE_ADDR").is_none() {
            assert_eq!(cli.config.listen.to_string(), "127.0.0.1:3000");
        }
        assert_eq!(cli.config.session_idle_minutes, 120);
        assert_eq!(cli.config.session_absolute_hours, 12);
    }

    #[test]
    fn requests_served_at_once_default_to_four_per_core_with_a_queue_of_1024() {
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        if std::env::var_os("RT_MAX_CONCURRENT_REQUESTS").is_none()
            && std::env::var_os("RT_REQUEST_QUEUE").is_none()
        {
            let settings = Cli::try_parse_from(["server", "--listen", "127.0.0.1:3000"])
                .unwrap()
                .config
                .settings()
                .unwrap();
            assert_eq!(settings.max_concurrent_requests, 4 * cores);
            assert_eq!(settings.request_queue, 1024);
        }
        let cli = Cli::try_parse_from([
            "server",
            "--listen",
            "127.0.0.1:3000",
            "--max-concurrent-requests",
            "3",
            "--request-queue",
            "0",
        ])
        .unwrap();
        let settings = cli.config.settings().unwrap();
        assert_eq!(
            (settings.max_concurrent_requests, settings.request_queue),
            (3, 0)
        );
        assert!(
            Cli::try_parse_from(["server", "--max-concurrent-requests", "0"]).is_err(),
            "a bound of 0 would refuse every page"
        );
    }

    /// The configuration of `args`, with the public URL, the listen address and the old
    /// cookie flag as the test sets them (whatever the environment says).
    fn config_with(listen: &str, public_url: Option<&str>, secure_cookies: Option<bool>) -> Config {
        let mut config = Cli::try_parse_from(["server"]).unwrap().config;
        config.listen = listen.parse().unwrap();
        config.public_url = public_url.map(|u| u.parse().unwrap());
        config.secure_cookies = secure_cookies;
        config
    }

    #[test]
    fn the_public_url_is_required_beyond_loopback() {
        // Development, on loopback: the listen address.
        let settings = config_with("127.0.0.1:3100", None, None)
            .settings()
            .unwrap();
        assert_eq!(settings.public_origin(), "http://127.0.0.1:3100");
        assert!(!settings.cookies_secure());
        let settings = config_with("[::1]:3000", None, None).settings().unwrap();
        assert_eq!(settings.public_origin(), "http://[::1]:3000");
        // Beyond loopback: refused without it.
        let refused = config_with("0.0.0.0:3000", None, None)
            .settings()
            .unwrap_err();
        assert!(refused.contains("RT_PUBLIC_URL is required"), "{refused}");
        // Given: links, the cookie's Secure and the allowed origin follow it.
        let settings = config_with("0.0.0.0:3000", Some("https://Tracker.example.eu"), None)
            .settings()
            .unwrap();
        assert_eq!(settings.public_origin(), "https://tracker.example.eu");
        assert!(settings.cookies_secure());
        let settings = config_with("10.0.0.5:3000", Some("http://10.0.0.5:3000/"), None)
            .settings()
            .unwrap();
        assert_eq!(settings.public_origin(), "http://10.0.0.5:3000");
        assert!(!settings.cookies_secure());
        // As a flag.
        let cli = Cli::try_parse_from(["server", "--public-url", "https://t.example.eu"]).unwrap();
        assert_eq!(
            cli.config.public_url.unwrap().as_str(),
            "https://t.example.eu/"
        );
    }

    #[test]
    fn the_public_url_must_be_an_http_origin() {
        for url in [
            "https://tracker.example.eu/tracker",
            "https://tracker.example.eu/?a=1",
            "https://tracker.example.eu/#top",
            "https://user:pw@tracker.example.eu",
            "ftp://tracker.example.eu",
            "file:///srv/site",
        ] {
            let refused = config_with("0.0.0.0:3000", Some(url), None)
                .settings()
                .unwrap_err();
            assert!(refused.contains("without a path"), "{url}: {refused}");
        }
        // The old flag may not ask for Secure cookies on an http site (they would never come
        // back); with https it is redundant and harmless.
        let refused = config_with(
            "0.0.0.0:3000",
            Some("http://tracker.example.eu"),
            Some(true),
        )
        .settings()
        .unwrap_err();
        assert!(
            refused.contains("RT_SECURE_COOKIES is replaced"),
            "{refused}"
        );
        assert!(config_with("127.0.0.1:3000", None, Some(true))
            .settings()
            .is_err());
        assert!(config_with(
            "0.0.0.0:3000",
            Some("https://tracker.example.eu"),
            Some(true)
        )
        .settings()
        .unwrap()
        .cookies_secure());
    }

    #[test]
    fn trusted_proxies_are_a_list_of_addresses_and_blocks() {
        if std::env::var_os("RT_TRUSTED_PROXIES").is_none() {
            let settings = Cli::try_parse_from(["server"])
                .unwrap()
                .config
                .settings()
                .unwrap();
            assert!(
                settings.trusted_proxies.is_empty(),
                "no proxy trusted by default"
            );
        }
        let cli = Cli::try_parse_from(["server", "--trusted-proxies", "10.0.0.5, 2001:db8::/64"])
            .unwrap();
        let trusted: Vec<String> = cli
            .config
            .settings()
            .unwrap()
            .trusted_proxies
            .iter()
            .map(ToString::to_string)
            .collect();
        assert_eq!(trusted, ["10.0.0.5/32", "2001:db8::/64"]);
        for bad in ["true", "10.0.0.0/33", "proxy.example.org"] {
            assert!(
                Cli::try_parse_from(["server", "--trusted-proxies", bad]).is_err(),
                "{bad}"
            );
        }
        assert!(Cli::try_parse_from(["server", "--trust-proxy"]).is_err());
    }

    #[test]
    fn the_replaced_proxy_setting_is_refused_with_what_to_set_instead() {
        let set = |value: &'static str| {
            move |name: &str| (name == "RT_TRUST_PROXY").then(|| value.into())
        };
        for value in ["true", "false", ""] {
            let message = config::refuse_replaced(set(value)).unwrap_err();
            assert!(message.contains("RT_TRUSTED_PROXIES=10.0.0.5"), "{message}");
        }
        assert!(config::refuse_replaced(|_| None).is_ok());
    }

    #[test]
    fn user_add_takes_repeated_countries() {
        let cli = Cli::try_parse_from([
            "server",
            "user",
            "add",
            "--email",
            "fp@example.org",
            "--role",
            "focal-point",
            "--name",
            "F P",
            "--country",
            "IT",
            "--country",
            "FR",
        ])
        .unwrap();
        match cli.command {
            Some(Command::User(UserCommand::Add {
                countries, role, ..
            })) => {
                assert_eq!(countries, ["IT", "FR"]);
                assert_eq!(role, "focal-point");
            }
            other => panic!("parsed as {other:?}"),
        }
        assert!(
            Cli::try_parse_from(["server", "user", "add", "--email", "x@example.org"]).is_err(),
            "role and name are required"
        );
    }

    #[test]
    fn demo_data_is_a_subcommand() {
        let cli = Cli::try_parse_from(["server", "demo-data"]).unwrap();
        assert!(matches!(
            cli.command,
            Some(Command::DemoData { if_empty: false })
        ));
        let cli = Cli::try_parse_from(["server", "demo-data", "--if-empty"]).unwrap();
        assert!(matches!(
            cli.command,
            Some(Command::DemoData { if_empty: true })
        ));
    }

    #[test]
    fn database_passwords_are_not_repeated_in_messages() {
        assert_eq!(
            redact("postgres://app:secret@db:5432/rt"),
            "postgres://app:***@db:5432/rt"
        );
        assert_eq!(redact("sqlite://data/x.db"), "sqlite://data/x.db");
        for mistyped in [
            "postgress://app:s3cret@db:5432/rt",
            "app:s3cret@db:5432/rt",
            "postgres//app:s3cret@db/rt",
        ] {
            assert!(!redact(mistyped).contains("s3cret"), "{mistyped}");
        }
    }

    #[tokio::test]
    async fn a_mistyped_database_url_is_refused_without_its_password() {
        for url in ["postgress://app:s3cret@db:5432/rt", "app:s3cret@db:5432/rt"] {
            let message = match app::db::Db::connect(url, 1).await {
                Ok(_) => panic!("{url} connected"),
                Err(e) => e.to_string(),
            };
            assert!(!message.contains("s3cret"), "{message}");
        }
    }
}
