//! Errors of the cemetery module.

use sea_orm::DbErr;
use socle::http::ApiError;

/// Why a cemetery request is refused.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum CimetiereError {
    /// The collectivité already has a cemetery of this name.
    #[error("la collectivité a déjà un cimetière nommé « {0} »")]
    NomDejaPris(String),
    /// The database failed.
    #[error(transparent)]
    Db(#[from] DbErr),
}

impl From<CimetiereError> for ApiError {
    fn from(err: CimetiereError) -> Self {
        match err {
            CimetiereError::NomDejaPris(nom) => Self::conflict(
                "cimetiere-existant",
                format!("La collectivité a déjà un cimetière nommé « {nom} »."),
            ),
            CimetiereError::Db(db) => db.into(),
        }
    }
}
