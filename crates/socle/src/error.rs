//! The core's error types.
//!
//! Each concern has its own `thiserror` enum with structured fields ([`ModuleError`] for the
//! plug-in registry, [`DbError`] for the database); [`Error`] gathers them for callers that do
//! not care which. The HTTP edge turns domain errors into [`crate::http::ApiError`].

pub use crate::db::DbError;
pub use crate::module::ModuleError;

/// Any error the core can report outside an HTTP request.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The set of linked modules is not consistent.
    #[error(transparent)]
    Module(#[from] ModuleError),
    /// The database could not be reached, configured or migrated.
    #[error(transparent)]
    Db(#[from] DbError),
    /// A collectivité could not be created.
    #[error(transparent)]
    Collectivite(#[from] crate::collectivite::CollectiviteError),
    /// An agent, role or token could not be created.
    #[error(transparent)]
    Droits(#[from] crate::droits::service::DroitsError),
    /// A query failed.
    #[error("requête en base de données en échec : {0}")]
    Query(#[from] sea_orm::DbErr),
}
