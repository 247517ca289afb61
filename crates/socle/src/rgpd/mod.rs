//! RGPD plumbing shared by every module.
//!
//! - Each module declares its processing activities ([`Traitement`], through
//!   [`crate::Module::traitements`]): the kind of record, purpose, legal basis, retention, and
//!   whether a data subject's erasure request can be granted.
//! - The server publishes them as the register of processing activities (RGPD art. 30) at
//!   `GET /api/v1/rgpd/traitements`.
//! - [`effacement`] answers an erasure request: registers the law requires (état civil,
//!   electoral list, concessions…) are refused **with the reason** (RGPD art. 17.3.b: erasure
//!   does not apply to processing required by a legal obligation or a public-interest mission).
//! - Each module's retention sweep ([`crate::Module::purger_donnees`]) runs with
//!   `socle rgpd purger`, every run journaled.
//!
//! The legal texts named in the declarations are documentation for the agents and the DPO; no
//! rule reads them.

mod api;

use serde::Serialize;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;

use crate::http::{ApiError, AppState};
use crate::module::{Module, ModuleRegistry, Permission};

/// The legal basis of a processing activity (RGPD art. 6.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum BaseLegale {
    /// 6.1.a — consent of the person.
    Consentement,
    /// 6.1.b — performance of a contract (e.g. a concession).
    Contrat,
    /// 6.1.c — a legal obligation of the commune.
    ObligationLegale,
    /// 6.1.d — vital interests.
    InteretVital,
    /// 6.1.e — a task in the public interest or in the exercise of official authority.
    MissionInteretPublic,
}

/// Whether a data subject's erasure request can be granted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(tag = "effacement", rename_all = "snake_case")]
pub enum Effacement {
    /// The record can be erased on request.
    Possible,
    /// The record is kept whatever the request; `motif` says why, in French, for the person.
    Refuse {
        /// The legal reason given to the person.
        motif: &'static str,
    },
}

/// A processing activity a module declares for one kind of record.
#[derive(Debug, Clone, Copy, Serialize, ToSchema)]
pub struct Traitement {
    /// `<module>.<resource>`, as in the journal.
    pub objet_type: &'static str,
    /// What the data is processed for, in French.
    pub finalite: &'static str,
    /// The legal basis.
    pub base_legale: BaseLegale,
    /// The texts that found it, for the DPO.
    pub textes: &'static str,
    /// How long it is kept, in French.
    pub conservation: &'static str,
    /// Whether erasure on request is possible.
    #[serde(flatten)]
    pub effacement: Effacement,
}

/// Why an erasure request is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum RefusEffacement {
    /// The record is required by law; the reason is given to the person.
    #[error("{motif}")]
    Obligation {
        /// The kind of record.
        objet_type: String,
        /// The legal reason.
        motif: &'static str,
    },
    /// No module declares this kind of record: nothing says it may be erased.
    #[error("aucun traitement déclaré pour « {0} »")]
    NonDeclare(String),
}

impl From<RefusEffacement> for ApiError {
    fn from(err: RefusEffacement) -> Self {
        Self::conflict("effacement-refuse", err.to_string())
    }
}

/// Answers an erasure request on a record of `objet_type`.
///
/// # Errors
/// The refusal, with its legal reason, when the module declares the record mandated by law, or
/// when no module declares it.
pub fn effacement(registry: &ModuleRegistry, objet_type: &str) -> Result<(), RefusEffacement> {
    let declared = registry
        .iter()
        .flat_map(|m| m.traitements().iter())
        .find(|t| t.objet_type == objet_type)
        .ok_or_else(|| RefusEffacement::NonDeclare(objet_type.to_owned()))?;
    match declared.effacement {
        Effacement::Possible => Ok(()),
        Effacement::Refuse { motif } => Err(RefusEffacement::Obligation {
            objet_type: objet_type.to_owned(),
            motif,
        }),
    }
}

const PERMISSIONS: &[Permission] = &[Permission::new(
    "rgpd.registre.lire",
    "Consulter le registre des traitements",
)];

/// The core module that publishes the register of processing activities. Always present.
#[derive(Debug, Clone, Copy)]
pub struct Rgpd;

impl Module for Rgpd {
    fn id(&self) -> &'static str {
        "rgpd"
    }

    fn name(&self) -> &'static str {
        "RGPD"
    }

    fn version(&self) -> &'static str {
        env!("CARGO_PKG_VERSION")
    }

    fn description(&self) -> &'static str {
        "Registre des traitements, bases légales, durées de conservation et effacement."
    }

    fn routes(&self) -> OpenApiRouter<AppState> {
        api::routes()
    }

    fn permissions(&self) -> &'static [Permission] {
        PERMISSIONS
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Registres;
    impl Module for Registres {
        fn id(&self) -> &'static str {
            "registres"
        }
        fn name(&self) -> &'static str {
            "Registres"
        }
        fn version(&self) -> &'static str {
            "0"
        }
        fn traitements(&self) -> &'static [Traitement] {
            &[
                Traitement {
                    objet_type: "registres.acte",
                    finalite: "Tenue des registres",
                    base_legale: BaseLegale::ObligationLegale,
                    textes: "Code civil",
                    conservation: "Définitive",
                    effacement: Effacement::Refuse {
                        motif: "Les actes sont tenus en application de la loi.",
                    },
                },
                Traitement {
                    objet_type: "registres.abonnement",
                    finalite: "Lettre d'information",
                    base_legale: BaseLegale::Consentement,
                    textes: "RGPD art. 6.1.a",
                    conservation: "Jusqu'au retrait du consentement",
                    effacement: Effacement::Possible,
                },
            ]
        }
    }

    #[test]
    fn erasure_follows_the_declaration() {
        let registry = ModuleRegistry::builder()
            .module(&Registres)
            .build()
            .expect("valid");
        assert_eq!(effacement(&registry, "registres.abonnement"), Ok(()));
        let refused = effacement(&registry, "registres.acte").expect_err("mandated");
        assert_eq!(
            refused.to_string(),
            "Les actes sont tenus en application de la loi."
        );
        let api = ApiError::from(refused);
        assert_eq!(api.code(), "effacement-refuse");
        assert_eq!(api.status(), axum::http::StatusCode::CONFLICT);
        assert!(matches!(
            effacement(&registry, "registres.inconnu"),
            Err(RefusEffacement::NonDeclare(_))
        ));
    }
}
