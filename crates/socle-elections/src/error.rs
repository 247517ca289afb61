//! Errors of the elections module.

use sea_orm::DbErr;
use socle::http::ApiError;

/// Why an elections request is refused.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ElectionsError {
    /// The collectivité already has a bureau de vote with this code.
    #[error("la collectivité a déjà un bureau de vote numéro {0}")]
    BureauExistant(String),
    /// The database failed.
    #[error(transparent)]
    Db(#[from] DbErr),
}

impl From<ElectionsError> for ApiError {
    fn from(err: ElectionsError) -> Self {
        match err {
            ElectionsError::BureauExistant(code) => Self::conflict(
                "bureau-existant",
                format!("La collectivité a déjà un bureau de vote numéro {code}."),
            ),
            ElectionsError::Db(db) => db.into(),
        }
    }
}
