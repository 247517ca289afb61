//! The database connection.
//!
//! Socle speaks to its database through sea-orm. With nothing configured it opens an SQLite file
//! in the working directory ([`DEFAULT_URL`]), in WAL mode, so a newcomer needs nothing
//! installed. `DATABASE_URL=postgres://…` switches to PostgreSQL, the engine for production and
//! for several server instances sharing one database.
//!
//! Each module ships its own migrations (see [`crate::module::Migrations`]); the registry runs
//! them in dependency order.

use std::time::Duration;

use sea_orm::sqlx::sqlite::{SqliteJournalMode, SqliteSynchronous};
use sea_orm::{
    ConnectOptions, ConnectionTrait, Database, DatabaseConnection, DatabaseTransaction, DbErr,
    SqliteTransactionMode, TransactionOptions, TransactionTrait,
};

/// The database used when none is configured: `socle.db` in the working directory.
pub const DEFAULT_URL: &str = "sqlite://socle.db?mode=rwc";

/// Why the database cannot be used.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum DbError {
    /// The URL cannot be parsed.
    #[error("adresse de base de données invalide « {url} » : {reason}")]
    InvalidUrl {
        /// The URL, password hidden.
        url: String,
        /// What is wrong with it.
        reason: String,
    },
    /// The URL names an engine Socle does not support.
    #[error(
        "moteur de base de données « {scheme} » non pris en charge : utilisez sqlite://… ou postgres://…"
    )]
    UnsupportedEngine {
        /// The URL scheme.
        scheme: String,
    },
    /// The server could not be reached or refused the connection.
    #[error("connexion impossible à la base de données {url} : {source}")]
    Unreachable {
        /// The URL, password hidden.
        url: String,
        /// What the driver said.
        source: DbErr,
    },
    /// A module's migration failed.
    #[error("la migration du module « {module} » a échoué : {source}")]
    Migration {
        /// The module id.
        module: String,
        /// What the database said.
        source: DbErr,
    },
}

/// The database engines Socle runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Engine {
    /// An SQLite file: the embedded default.
    Sqlite,
    /// A PostgreSQL server: production and multi-instance deployments.
    Postgres,
}

impl Engine {
    /// The engine a URL names.
    ///
    /// # Errors
    /// [`DbError::InvalidUrl`] when the URL has no scheme, [`DbError::UnsupportedEngine`] when
    /// the scheme is not SQLite or PostgreSQL.
    pub fn of_url(url: &str) -> Result<Self, DbError> {
        let Some((scheme, _)) = url.split_once(':') else {
            return Err(DbError::InvalidUrl {
                url: redact(url),
                reason: "elle doit commencer par sqlite:// ou postgres://".into(),
            });
        };
        match scheme {
            "sqlite" => Ok(Self::Sqlite),
            "postgres" | "postgresql" => {
                url::Url::parse(url).map_err(|e| DbError::InvalidUrl {
                    url: redact(url),
                    reason: e.to_string(),
                })?;
                Ok(Self::Postgres)
            }
            other => Err(DbError::UnsupportedEngine {
                scheme: other.to_owned(),
            }),
        }
    }
}

/// The URL with its password replaced by `***`, fit for logs and error messages. A URL that
/// does not parse has everything between `://` and the last `@` masked.
#[must_use]
pub fn redact(url: &str) -> String {
    match url::Url::parse(url) {
        Ok(mut parsed) if parsed.password().is_some() => {
            // Setting a password only fails on URLs that cannot have one.
            let _ = parsed.set_password(Some("***"));
            parsed.to_string()
        }
        Ok(_) => url.to_owned(),
        Err(_) => match (url.find("://"), url.rfind('@')) {
            (Some(start), Some(end)) if end > start + 3 => {
                format!("{}***{}", &url[..start + 3], &url[end..])
            }
            _ => url.to_owned(),
        },
    }
}

/// How to connect: the URL and the pool's limits.
#[derive(Clone)]
pub struct DbConfig {
    /// `sqlite://…` or `postgres://…`.
    pub url: String,
    /// PostgreSQL search path, used to give each test its own schema.
    pub schema: Option<String>,
    /// Largest number of pooled connections.
    pub max_connections: u32,
    /// How long to wait for the server before giving up.
    pub connect_timeout: Duration,
}

impl std::fmt::Debug for DbConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DbConfig")
            .field("url", &redact(&self.url))
            .field("schema", &self.schema)
            .field("max_connections", &self.max_connections)
            .field("connect_timeout", &self.connect_timeout)
            .finish()
    }
}

impl DbConfig {
    /// The configuration for `url`, with the default pool limits.
    #[must_use]
    pub fn new(url: impl Into<String>) -> Self {
        Self {
            url: url.into(),
            schema: None,
            max_connections: 16,
            connect_timeout: Duration::from_secs(5),
        }
    }

    /// Opens the pool and checks that the database answers.
    ///
    /// On SQLite every connection uses WAL, `synchronous=NORMAL`, foreign keys and a 5 s busy
    /// timeout.
    ///
    /// # Errors
    /// A malformed URL, an unsupported engine, or a database that does not answer.
    pub async fn connect(&self) -> Result<DatabaseConnection, DbError> {
        let engine = Engine::of_url(&self.url)?;
        let mut options = ConnectOptions::new(self.url.clone());
        options
            .max_connections(self.max_connections)
            .connect_timeout(self.connect_timeout)
            .acquire_timeout(self.connect_timeout)
            .sqlx_logging(false);
        match engine {
            Engine::Sqlite => {
                options.map_sqlx_sqlite_opts(|o| {
                    o.journal_mode(SqliteJournalMode::Wal)
                        .synchronous(SqliteSynchronous::Normal)
                        .foreign_keys(true)
                        .busy_timeout(Duration::from_secs(5))
                });
            }
            Engine::Postgres => {
                if let Some(schema) = &self.schema {
                    options.set_schema_search_path(schema.clone());
                }
            }
        }
        let unreachable = |source| DbError::Unreachable {
            url: redact(&self.url),
            source,
        };
        let db = Database::connect(options).await.map_err(unreachable)?;
        db.execute_unprepared("SELECT 1")
            .await
            .map_err(unreachable)?;
        Ok(db)
    }
}

/// Begins a transaction that will write: on SQLite it takes the write lock at once (`BEGIN
/// IMMEDIATE`), so that a transaction which reads before it writes waits for a concurrent
/// writer (busy timeout) instead of failing when it upgrades; on PostgreSQL, a plain `BEGIN`.
///
/// # Errors
/// The database refused the transaction.
pub async fn ecriture(db: &DatabaseConnection) -> Result<DatabaseTransaction, DbErr> {
    db.begin_with_options(TransactionOptions {
        sqlite_transaction_mode: Some(SqliteTransactionMode::Immediate),
        ..TransactionOptions::default()
    })
    .await
}

/// Whether `err` is the violation of a unique constraint or index: the record already exists.
///
/// Services turn it into their own "already exists" error, after the insert rather than with a
/// prior query, so that two concurrent requests cannot both pass the check.
#[must_use]
pub fn is_unique_violation(err: &DbErr) -> bool {
    matches!(
        err.sql_err(),
        Some(sea_orm::SqlErr::UniqueConstraintViolation(_))
    )
}

/// `already_exists()` when `err` is a unique violation, `err` itself otherwise:
///
/// ```ignore
/// model.insert(db).await.map_err(|e| on_unique(e, || CimetiereError::NomDejaPris(nom)))?;
/// ```
pub fn on_unique<E: From<DbErr>>(err: DbErr, already_exists: impl FnOnce() -> E) -> E {
    if is_unique_violation(&err) {
        already_exists()
    } else {
        E::from(err)
    }
}

/// Connects to `url` with the default pool limits. See [`DbConfig::connect`].
///
/// # Errors
/// See [`DbConfig::connect`].
pub async fn connect(url: &str) -> Result<DatabaseConnection, DbError> {
    DbConfig::new(url).connect().await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn engine_from_url() {
        assert_eq!(Engine::of_url(DEFAULT_URL).ok(), Some(Engine::Sqlite));
        assert_eq!(
            Engine::of_url("postgres://u:p@127.0.0.1:5432/test").ok(),
            Some(Engine::Postgres)
        );
        assert_eq!(
            Engine::of_url("postgresql://127.0.0.1/test").ok(),
            Some(Engine::Postgres)
        );
        assert!(matches!(
            Engine::of_url("mysql://root@localhost/x"),
            Err(DbError::UnsupportedEngine { scheme }) if scheme == "mysql"
        ));
        assert!(matches!(
            Engine::of_url("socle.db"),
            Err(DbError::InvalidUrl { .. })
        ));
        assert!(matches!(
            Engine::of_url("postgres://u:p@[::1:5432/x"),
            Err(DbError::InvalidUrl { .. })
        ));
    }

    #[test]
    fn password_is_hidden() {
        assert_eq!(
            redact("postgres://agent:secret@db.mairie.fr/socle"),
            "postgres://agent:***@db.mairie.fr/socle"
        );
        assert_eq!(redact(DEFAULT_URL), DEFAULT_URL);
        assert_eq!(
            redact("postgres://agent:se@cret@[::1:5432/socle"),
            "postgres://***@[::1:5432/socle"
        );
        let config = DbConfig::new("postgres://agent:secret@db/socle");
        assert!(!format!("{config:?}").contains("secret"));
    }

    #[tokio::test]
    async fn missing_directory_is_a_clear_error() {
        let err = connect("sqlite:///nonexistent-dir/sub/socle.db?mode=rwc")
            .await
            .expect_err("no such directory");
        assert!(matches!(err, DbError::Unreachable { .. }), "{err:?}");
    }
}
