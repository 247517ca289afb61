//! Errors of the module.

use sea_orm::DbErr;
use socle::http::ApiError;

/// Why a request is refused.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ModeleError {
    /// The collectivité already has an element of this name.
    #[error("la collectivité a déjà un élément nommé « {0} »")]
    NomDejaPris(String),
    /// The database failed.
    #[error(transparent)]
    Db(#[from] DbErr),
}

impl From<ModeleError> for ApiError {
    fn from(err: ModeleError) -> Self {
        match err {
            ModeleError::NomDejaPris(nom) => Self::conflict(
                "element-existant",
                format!("La collectivité a déjà un élément nommé « {nom} »."),
            ),
            ModeleError::Db(db) => db.into(),
        }
    }
}
