//! The application state shared by every handler.

use std::sync::Arc;

use chrono::NaiveDate;
use sea_orm::DatabaseConnection;

use crate::module::ModuleRegistry;
use crate::temps::Clock;

/// What every handler can reach: the database, the clock and the registry of modules.
///
/// Cheap to clone: everything inside is shared.
#[derive(Clone)]
pub struct AppState {
    db: DatabaseConnection,
    clock: Arc<dyn Clock>,
    registry: Arc<ModuleRegistry>,
}

impl std::fmt::Debug for AppState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AppState")
            .field("clock", &self.clock)
            .field("registry", &self.registry)
            .finish_non_exhaustive()
    }
}

impl AppState {
    /// The state for an application made of `registry`'s modules.
    #[must_use]
    pub fn new(db: DatabaseConnection, clock: Arc<dyn Clock>, registry: ModuleRegistry) -> Self {
        Self {
            db,
            clock,
            registry: Arc::new(registry),
        }
    }

    /// The database connection pool.
    #[must_use]
    pub fn db(&self) -> &DatabaseConnection {
        &self.db
    }

    /// The clock.
    #[must_use]
    pub fn clock(&self) -> &dyn Clock {
        self.clock.as_ref()
    }

    /// Today's date, as domain rules must see it.
    #[must_use]
    pub fn today(&self) -> NaiveDate {
        self.clock.today()
    }

    /// The modules of this application.
    #[must_use]
    pub fn registry(&self) -> &ModuleRegistry {
        &self.registry
    }
}
