//! The database connection.
//!
//! Socle speaks to its database through sea-orm. With nothing configured it opens an SQLite file
//! in the working directory ([`DEFAULT_URL`]), in WAL mode, so a newcomer needs nothing
//! installed. `DATABASE_URL=postgres://…` switches to PostgreSQL, the engine for production and
//! for several server instances sharing one database.
//!
//! Each module ships its own migrations (see [`crate::module::Migrations`]); the registry runs
//! them in dependency order.

use std::sync::Arc;
use std::time::Duration;

use tokio::sync::{OwnedSemaphorePermit, Semaphore};

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

/// One writer at a time on SQLite, queued in the process: waiting here costs nothing, whereas
/// SQLite's own busy handler sleeps in steps of up to 100 ms while another connection writes.
static PORTE_SQLITE: std::sync::LazyLock<Arc<Semaphore>> =
    std::sync::LazyLock::new(|| Arc::new(Semaphore::new(1)));

/// A transaction that writes, begun by [`ecriture`]: use it as a `DatabaseTransaction` (it
/// dereferences to one and runs queries itself), then [`Ecriture::commit`]. Dropping it rolls
/// back.
#[derive(Debug)]
pub(crate) struct Ecriture {
    txn: DatabaseTransaction,
    _tour: Option<OwnedSemaphorePermit>,
}

impl Ecriture {
    /// Commits the transaction (and lets the next SQLite writer in).
    ///
    /// # Errors
    /// The commit failed; nothing was written.
    pub(crate) async fn commit(self) -> Result<(), DbErr> {
        self.txn.commit().await
    }
}

impl std::ops::Deref for Ecriture {
    type Target = DatabaseTransaction;

    fn deref(&self) -> &DatabaseTransaction {
        &self.txn
    }
}

#[async_trait::async_trait]
impl ConnectionTrait for Ecriture {
    fn get_database_backend(&self) -> sea_orm::DbBackend {
        self.txn.get_database_backend()
    }

    async fn execute_raw(&self, stmt: sea_orm::Statement) -> Result<sea_orm::ExecResult, DbErr> {
        self.txn.execute_raw(stmt).await
    }

    async fn execute_unprepared(&self, sql: &str) -> Result<sea_orm::ExecResult, DbErr> {
        self.txn.execute_unprepared(sql).await
    }

    async fn query_one_raw(
        &self,
        stmt: sea_orm::Statement,
    ) -> Result<Option<sea_orm::QueryResult>, DbErr> {
        self.txn.query_one_raw(stmt).await
    }

    async fn query_all_raw(
        &self,
        stmt: sea_orm::Statement,
    ) -> Result<Vec<sea_orm::QueryResult>, DbErr> {
        self.txn.query_all_raw(stmt).await
    }

    fn support_returning(&self) -> bool {
        self.txn.support_returning()
    }
}

/// Begins a transaction that will write. On SQLite, writers of this process queue for their
/// turn, then take the write lock at once (`BEGIN IMMEDIATE`): a transaction that reads before
/// it writes never fails on its upgrade, and no writer sleeps in SQLite's busy handler behind
/// another. On PostgreSQL, a plain `BEGIN`: writers run side by side.
///
/// # Errors
/// The database refused the transaction.
pub(crate) async fn ecriture(db: &DatabaseConnection) -> Result<Ecriture, DbErr> {
    let tour = if db.get_database_backend() == sea_orm::DbBackend::Sqlite {
        let attente = Arc::clone(&PORTE_SQLITE).acquire_owned();
        let permit = tokio::time::timeout(Duration::from_secs(30), attente)
            .await
            .map_err(|_| DbErr::Custom("aucune écriture possible depuis 30 s".into()))?
            .map_err(|e| DbErr::Custom(e.to_string()))?;
        Some(permit)
    } else {
        None
    };
    #[allow(
        clippy::disallowed_methods,
        reason = "the one place a write transaction begins: units of work open theirs here"
    )]
    let txn = db
        .begin_with_options(TransactionOptions {
            sqlite_transaction_mode: Some(SqliteTransactionMode::Immediate),
            ..TransactionOptions::default()
        })
        .await?;
    Ok(Ecriture { txn, _tour: tour })
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
