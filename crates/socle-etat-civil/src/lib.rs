//! # État civil — registers, acts, mentions, copies
//!
//! The civil-status module of Socle. It owns the commune's registers and, as it grows, the
//! acts (naissance, mariage, décès, transcriptions), mentions marginales, copies and extracts,
//! annual and decennial tables and the INSEE bulletins. It depends on the core only.
//!
//! ## What it provides today
//!
//! - `GET/POST /api/v1/etat-civil/registres`, `GET /api/v1/etat-civil/registres/{id}`: the
//!   registers of the current collectivité.
//!
//! ## Rules
//!
//! - One register per year and per kind of act \\[V\\]: a second one is refused (409
//!   `registre-existant`).
//! - A register is opened within its own year, and not in the future: `ouvert_le` falls in
//!   `annee` and is not after today (422, field `ouvert_le`).
//!
//! The other rules it will implement are listed with their certainty in the project's domain
//! brief (§2, état civil); rules marked \\[P\\] or \\[G\\] there become settings per collectivité.

mod api;
mod entity;
mod error;
mod migration;
mod service;

use socle::prelude::*;
use socle::rgpd::{BaseLegale, Effacement, Traitement};

pub use entity::NatureRegistre;
pub use error::EtatCivilError;
pub use service::{NouveauRegistre, check_ouverture};

socle::migrator!(Migrator, "etat-civil", [migration::CreateRegistre]);

const PERMISSIONS: &[Permission] = &[
    Permission::new(
        "etat-civil.registre.lire",
        "Consulter les registres d'état civil",
    ),
    Permission::new(
        "etat-civil.registre.ouvrir",
        "Ouvrir un registre d'état civil",
    ),
];

const TRAITEMENTS: &[Traitement] = &[Traitement {
    objet_type: "etat-civil.registre",
    finalite: "Tenue des registres de l'état civil (naissances, mariages, décès)",
    base_legale: BaseLegale::ObligationLegale,
    textes: "Code civil, art. 34 et suivants ; décret n° 2017-890",
    conservation: "Définitive (archives publiques)",
    effacement: Effacement::Refuse {
        motif: "Les registres de l'état civil sont tenus en application du code civil et conservés définitivement ; ils ne peuvent être effacés (RGPD art. 17.3.b). Une erreur se corrige par une mention ou une rectification.",
    },
}];

/// The civil-status module. Name it (`&socle_etat_civil::EtatCivil`) where a value is needed.
#[derive(Debug, Clone, Copy)]
pub struct EtatCivil;

#[async_trait]
impl Module for EtatCivil {
    fn id(&self) -> &'static str {
        "etat-civil"
    }

    fn name(&self) -> &'static str {
        "État civil"
    }

    fn version(&self) -> &'static str {
        env!("CARGO_PKG_VERSION")
    }

    fn description(&self) -> &'static str {
        "Registres et actes d'état civil, mentions marginales, copies et avis INSEE."
    }

    fn dependencies(&self) -> &'static [&'static str] {
        &["collectivites"]
    }

    fn migrations(&self) -> Option<Migrations> {
        Some(Migrations::of::<Migrator>())
    }

    fn routes(&self) -> OpenApiRouter<AppState> {
        api::routes()
    }

    fn permissions(&self) -> &'static [Permission] {
        PERMISSIONS
    }

    fn traitements(&self) -> &'static [Traitement] {
        TRAITEMENTS
    }

    async fn seed_demo(&self, ctx: &DemoContext<'_>) -> Result<(), sea_orm::DbErr> {
        service::seed_demo(ctx).await
    }
}

socle::register_module!(EtatCivil);
