//! Errors of the civil-status module.

use sea_orm::DbErr;
use socle::http::{ApiError, FieldError};

use crate::entity::NatureRegistre;

/// Why a civil-status request is refused.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum EtatCivilError {
    /// A date breaks a rule; the field error says which and why.
    #[error("{}", .0.detail)]
    Date(FieldError),
    /// The register of this year and kind is already open.
    #[error("le registre {} de {annee} est déjà ouvert", libelle(*.nature))]
    RegistreExistant {
        /// Its year.
        annee: i32,
        /// Its kind.
        nature: NatureRegistre,
    },
    /// The database failed.
    #[error(transparent)]
    Db(#[from] DbErr),
}

fn libelle(nature: NatureRegistre) -> &'static str {
    match nature {
        NatureRegistre::Naissance => "des naissances",
        NatureRegistre::Mariage => "des mariages",
        NatureRegistre::Deces => "des décès",
    }
}

impl From<EtatCivilError> for ApiError {
    fn from(err: EtatCivilError) -> Self {
        match err {
            EtatCivilError::Date(field) => Self::validation(vec![field]),
            EtatCivilError::RegistreExistant { annee, nature } => Self::conflict(
                "registre-existant",
                format!(
                    "Le registre {} de {annee} est déjà ouvert : un seul registre par année et par nature d'acte.",
                    libelle(nature)
                ),
            ),
            EtatCivilError::Db(db) => db.into(),
        }
    }
}
