//! Errors of the citizen registry.

use axum::http::{StatusCode, header};
use sea_orm::DbErr;
use uuid::Uuid;

use crate::http::{ApiError, FieldError};

/// Why a registry operation failed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum UsagerError {
    /// No usager of the collectivité has that id.
    #[error("usager introuvable")]
    Introuvable,
    /// The usager was deleted, or merged into another.
    #[error("usager supprimé")]
    Supprime {
        /// The usager it was merged into, if it was.
        fusionne_dans: Option<Uuid>,
    },
    /// The `If-Match` version is not the current one.
    #[error("version {attendue} périmée : la version actuelle est {actuelle}")]
    VersionPerimee {
        /// The version the client had.
        attendue: i64,
        /// The current version.
        actuelle: i64,
    },
    /// Another death is already recorded for the usager.
    #[error("un autre décès est déjà enregistré")]
    DecesDejaEnregistre,
    /// A change without `If-Match`.
    #[error("en-tête If-Match requis")]
    IfMatchRequis,
    /// Invalid data.
    #[error("données invalides")]
    Invalide(Vec<FieldError>),
    /// The usager is linked to records the law requires: the reasons, in French.
    #[error("{0}")]
    EffacementRefuse(String),
    /// The merge cannot be made.
    #[error("{0}")]
    FusionImpossible(String),
    /// A database failure.
    #[error(transparent)]
    Db(#[from] DbErr),
}

impl From<UsagerError> for ApiError {
    fn from(err: UsagerError) -> Self {
        match err {
            UsagerError::Introuvable => ApiError::not_found("Usager"),
            UsagerError::Supprime { fusionne_dans } => {
                let detail = match fusionne_dans {
                    Some(id) => format!(
                        "Cet usager a été fusionné dans l'usager {id} ; utilisez ce dernier."
                    ),
                    None => "Cet usager a été supprimé.".to_owned(),
                };
                let err = ApiError::new(StatusCode::GONE, "usager-supprime", "Usager supprimé", detail);
                match fusionne_dans {
                    Some(id) => err.with_header(header::LOCATION, format!("/api/v1/usagers/{id}")),
                    None => err,
                }
            }
            UsagerError::VersionPerimee { attendue, actuelle } => ApiError::new(
                StatusCode::PRECONDITION_FAILED,
                "version-perimee",
                "Version périmée",
                format!(
                    "L'usager a été modifié depuis votre lecture (version {attendue}, version actuelle {actuelle}) : relisez-le puis recommencez."
                ),
            )
            .with_header(header::ETAG, etag(actuelle)),
            UsagerError::DecesDejaEnregistre => ApiError::conflict(
                "deces-deja-enregistre",
                "Un autre décès est déjà enregistré pour cet usager : corrigez-le par une modification (PATCH) si l'enregistrement existant est faux.",
            ),
            UsagerError::IfMatchRequis => ApiError::new(
                StatusCode::PRECONDITION_REQUIRED,
                "if-match-requis",
                "En-tête If-Match requis",
                "Renvoyez dans l'en-tête If-Match l'ETag rendu par la lecture de l'usager, pour ne pas écraser une modification faite entre-temps.",
            ),
            UsagerError::Invalide(errors) => ApiError::validation(errors),
            UsagerError::EffacementRefuse(motifs) => ApiError::conflict(
                "effacement-refuse",
                format!("L'usager ne peut pas être effacé : {motifs}"),
            ),
            UsagerError::FusionImpossible(why) => ApiError::conflict("fusion-impossible", why),
            UsagerError::Db(err) => err.into(),
        }
    }
}

/// The `ETag` of a version: `"<version>"`.
#[must_use]
pub fn etag(version: i64) -> String {
    format!("\"{version}\"")
}
