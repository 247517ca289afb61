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
    /// No record of the collectivité has this id (what is named: « Cimetière », « Zone »…).
    #[error("{0} introuvable")]
    Introuvable(&'static str),
    /// A code or number already used where it must be unique (what, which).
    #[error("le code « {1} » est déjà celui d'un(e) autre {0}")]
    CodePris(&'static str, String),
    /// A concession still holds the emplacement (in force, or expired less than two full
    /// years ago: it can still be renewed).
    #[error("l'emplacement est encore concédé (acte {acte})")]
    Occupe {
        /// The act of that concession.
        acte: String,
        /// Its expiry; `None` when perpetual.
        echeance: Option<chrono::NaiveDate>,
    },
    /// A rule of the law or of the procedure refuses the request now (its stable code, and the
    /// rule in plain French with the dates concerned).
    #[error("{detail}")]
    Regle {
        /// Stable code (`renouvellement-premature`…).
        code: &'static str,
        /// The rule and why it refuses, in French.
        detail: String,
    },
    /// Fields of the request are invalid.
    #[error("données invalides")]
    Champs(Vec<socle::http::FieldError>),
    /// The database failed.
    #[error(transparent)]
    Db(#[from] DbErr),
}

impl CimetiereError {
    /// The refusal of a rule: its stable code and, in French, the rule with the dates concerned.
    pub(crate) fn regle(code: &'static str, detail: impl Into<String>) -> Self {
        Self::Regle {
            code,
            detail: detail.into(),
        }
    }
}

impl From<CimetiereError> for ApiError {
    fn from(err: CimetiereError) -> Self {
        match err {
            CimetiereError::NomDejaPris(nom) => Self::conflict(
                "cimetiere-existant",
                format!("La collectivité a déjà un cimetière nommé « {nom} »."),
            ),
            CimetiereError::Introuvable(quoi) => Self::not_found(quoi),
            CimetiereError::CodePris(quoi, code) => Self::conflict(
                "code-existant",
                format!(
                    "Le code « {code} » est déjà pris par un(e) autre {quoi} ; choisissez-en un autre."
                ),
            ),
            CimetiereError::Occupe { acte, echeance } => Self::conflict(
                "emplacement-concede",
                match echeance {
                    None => format!("L'emplacement est concédé à perpétuité (acte {acte})."),
                    Some(fin) => format!(
                        "L'emplacement est concédé par l'acte {acte}, qui expire le {fin} ; il ne peut être concédé à nouveau qu'après le délai de renouvellement de deux ans révolus suivant l'échéance (CGCT, art. L2223-15)."
                    ),
                },
            ),
            CimetiereError::Regle { code, detail } => Self::conflict(code, detail),
            CimetiereError::Champs(erreurs) => Self::validation(erreurs),
            CimetiereError::Db(db) => db.into(),
        }
    }
}
