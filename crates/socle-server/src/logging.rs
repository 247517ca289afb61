//! Structured logs with `tracing`: human-readable text by default, JSON lines for log
//! collectors (`SOCLE_LOG_FORMAT=json`).

use tracing_subscriber::EnvFilter;

/// How log lines are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum LogFormat {
    /// One readable line per event.
    Text,
    /// One JSON object per line.
    Json,
}

/// Installs the global subscriber.
///
/// # Errors
/// A filter that does not parse. `filter` uses the `RUST_LOG` syntax (`info`,
/// `socle=debug,tower_http=info`…).
pub fn init(filter: &str, format: LogFormat) -> Result<(), String> {
    let filter = EnvFilter::try_new(filter)
        .map_err(|e| format!("niveau de journalisation invalide « {filter} » : {e}"))?;
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    let installed = match format {
        LogFormat::Text => builder.try_init(),
        LogFormat::Json => builder.json().try_init(),
    };
    // A subscriber already installed (tests calling run twice) is not an error.
    drop(installed);
    Ok(())
}
