//! Test support: a fresh, empty database for each test.
//!
//! By default each [`TestDb`] is a new SQLite file in a temporary directory. When
//! `SOCLE_TEST_DATABASE_URL` names a PostgreSQL database, each [`TestDb`] is a new schema in it,
//! so tests run in parallel without seeing each other. A configured database that cannot be
//! reached fails the test: it is never skipped.

use sea_orm::{ConnectionTrait, DatabaseConnection};
use uuid::Uuid;

use crate::db::{DbConfig, Engine};

/// Environment variable naming the PostgreSQL database tests run against.
pub const TEST_DATABASE_ENV: &str = "SOCLE_TEST_DATABASE_URL";

/// An empty database of its own for one test.
pub struct TestDb {
    /// The connection pool.
    pub db: DatabaseConnection,
    config: DbConfig,
    _dir: Option<tempfile::TempDir>,
}

impl std::fmt::Debug for TestDb {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TestDb")
            .field("config", &self.config)
            .finish_non_exhaustive()
    }
}

impl TestDb {
    /// A new empty database: PostgreSQL schema if `SOCLE_TEST_DATABASE_URL` is set, SQLite file
    /// otherwise.
    ///
    /// # Panics
    /// When the database cannot be created or reached: a test must not pass without it.
    pub async fn new() -> Self {
        match std::env::var(TEST_DATABASE_ENV) {
            Ok(url) if !url.is_empty() => Self::postgres(&url).await,
            _ => Self::sqlite().await,
        }
    }

    async fn sqlite() -> Self {
        let dir = tempfile::tempdir().expect("temporary directory for the test database");
        let path = dir.path().join("socle-test.db");
        let config = DbConfig::new(format!("sqlite://{}?mode=rwc", path.display()));
        let db = config
            .connect()
            .await
            .unwrap_or_else(|e| panic!("test database: {e}"));
        Self {
            db,
            config,
            _dir: Some(dir),
        }
    }

    async fn postgres(url: &str) -> Self {
        let admin = DbConfig::new(url)
            .connect()
            .await
            .unwrap_or_else(|e| panic!("{TEST_DATABASE_ENV} is set but unusable: {e}"));
        let schema = format!("t_{}", Uuid::now_v7().simple());
        admin
            .execute_unprepared(&format!("CREATE SCHEMA \"{schema}\""))
            .await
            .unwrap_or_else(|e| panic!("cannot create test schema {schema}: {e}"));
        drop(admin);
        let separator = if url.contains('?') { '&' } else { '?' };
        let mut config = DbConfig::new(format!(
            "{url}{separator}options=-c%20search_path%3D{schema}"
        ));
        config.schema = Some(schema);
        config.max_connections = 5;
        let db = config
            .connect()
            .await
            .unwrap_or_else(|e| panic!("test schema: {e}"));
        Self {
            db,
            config,
            _dir: None,
        }
    }

    /// The URL of this database, for a server process started by the test. On PostgreSQL it
    /// selects the test's schema.
    #[must_use]
    pub fn url(&self) -> &str {
        &self.config.url
    }

    /// The engine under test.
    #[must_use]
    pub fn engine(&self) -> Engine {
        // The URL was built above from a supported scheme.
        Engine::of_url(&self.config.url).unwrap_or(Engine::Sqlite)
    }
}
