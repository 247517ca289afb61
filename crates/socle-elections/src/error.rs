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
    /// No bureau de vote of the collectivité has that id.
    #[error("bureau de vote introuvable")]
    BureauInconnu,
    /// The usager is already on the list.
    #[error("usager déjà inscrit sur la liste électorale")]
    DejaInscrit,
    /// A deceased usager cannot be registered.
    #[error("usager décédé")]
    UsagerDecede,
    /// The date of registration is after today.
    #[error("date d'inscription {0} dans le futur")]
    DateFuture(chrono::NaiveDate),
    /// The usager is unknown or deleted.
    #[error(transparent)]
    Usager(socle::usager::UsagerError),
    /// The database failed.
    #[error(transparent)]
    Db(#[from] DbErr),
}

impl ElectionsError {
    /// The core registry's refusal, kept as such (a database failure stays one).
    pub(crate) fn from_usager(err: socle::usager::UsagerError) -> Self {
        match err {
            socle::usager::UsagerError::Db(db) => Self::Db(db),
            other => Self::Usager(other),
        }
    }
}

impl From<ElectionsError> for ApiError {
    fn from(err: ElectionsError) -> Self {
        match err {
            ElectionsError::BureauExistant(code) => Self::conflict(
                "bureau-existant",
                format!("La collectivité a déjà un bureau de vote numéro {code}."),
            ),
            ElectionsError::BureauInconnu => Self::not_found("Bureau de vote"),
            ElectionsError::DejaInscrit => Self::conflict(
                "deja-inscrit",
                "Cet usager est déjà inscrit sur la liste électorale de la collectivité.",
            ),
            ElectionsError::UsagerDecede => Self::conflict(
                "usager-decede",
                "Cet usager est décédé : il ne peut pas être inscrit sur la liste électorale.",
            ),
            ElectionsError::DateFuture(date) => {
                Self::validation(vec![socle::http::FieldError::new(
                    "date_inscription",
                    "future",
                    format!("la date d'inscription {date} est postérieure à aujourd'hui"),
                )])
            }
            ElectionsError::Usager(err) => err.into(),
            ElectionsError::Db(db) => db.into(),
        }
    }
}
