//! The Recovery Tracker server: `server serve` (the default), `server migrate`.

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
}

#[tokio::main]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    init_tracing(&cli.config);
    let result = match cli.command.unwrap_or(Command::Serve) {
        Command::Serve => serve(&cli.config).await,
        Command::Migrate => connect(&cli.config).await.map(|_| {
            tracing::info!("migrations are up to date");
        }),
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
    let builder = tracing_subscriber::fmt().with_env_filter(filter).with_target(false);
    match config.log_format {
        LogFormat::Json => builder.json().init(),
        LogFormat::Text => builder.init(),
    }
}

/// Connects to the configured database and brings its schema up to date.
async fn connect(config: &Config) -> Result<Db, String> {
    let db = Db::connect(&config.database_url, config.db_max_connections)
        .await
        .map_err(|e| format!("cannot open the database at {}: {e}", redact(&config.database_url)))?;
    db.migrate().await.map_err(|e| format!("migrations failed: {e}"))?;
    tracing::info!(database = db.engine.name(), "database ready");
    Ok(db)
}

async fn serve(config: &Config) -> Result<(), String> {
    let db = connect(config).await?;
    let leptos_options = LeptosOptions::builder()
        .output_name(option_env!("LEPTOS_OUTPUT_NAME").unwrap_or("recovery-tracker"))
        .site_root(config.site_root.as_str())
        .site_pkg_dir("pkg")
        .site_addr(config.listen)
        .build();
    let state = AppState { leptos_options, db, settings: Arc::new(config.settings()) };
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

/// The URL without its password, for messages.
fn redact(url: &str) -> String {
    match url::Url::parse(url) {
        Ok(mut u) if u.password().is_some() => {
            let _ = u.set_password(Some("***"));
            u.to_string()
        }
        _ => url.to_string(),
    }
}
