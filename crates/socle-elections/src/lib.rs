//! # Élections — electoral lists, bureaux de vote, procurations
//!
//! The elections module of Socle. It owns the commune's bureaux de vote and, as it grows, the
//! electoral list synchronised with the REU, mouvements, procurations, cartes électorales and
//! the jury d'assises draw. It depends on the core only.
//!
//! ## What it provides today
//!
//! - `GET/POST /api/v1/elections/bureaux`, `GET /api/v1/elections/bureaux/{id}`: the bureaux
//!   de vote of the current collectivité, each with a code unique within it.
//! - `GET/POST /api/v1/elections/inscriptions`, `GET /api/v1/elections/inscriptions/{id}`: the
//!   electoral list, each registration linked to its usager in the core's registry (who then
//!   cannot be erased, RGPD art. 17.3.b). When a registered elector's death becomes known
//!   (`usager.deces`), the registration is flagged for an agent (`a_verifier`): the radiation
//!   goes through the REU, never automatically.
//! - `GET /api/v1/elections/inscriptions/{id}/attestation`: the attestation of registration, in
//!   PDF or HTML, from the template `templates/editions/attestation-inscription.html` that each
//!   collectivité may rewrite through the core's editions service (`/api/v1/editions`).
//!
//! ## Rules
//!
//! The legal rules it will implement are listed with their certainty in the project's domain
//! brief (§1, elections); rules marked \\[P\\] or \\[G\\] there become settings per collectivité.

mod api;
mod entity;
mod error;
mod inscription;
mod migration;
mod service;

use socle::prelude::*;
use socle::rgpd::{BaseLegale, Effacement, Traitement};
use socle::usager::UsagerError;

pub use error::ElectionsError;
pub use inscription::NouvelleInscription;
pub use service::NouveauBureau;

socle::migrator!(
    Migrator,
    "elections",
    [migration::CreateBureau, migration::CreateInscription]
);

const PERMISSIONS: &[Permission] = &[
    Permission::new("elections.bureau.lire", "Consulter les bureaux de vote"),
    Permission::new("elections.bureau.creer", "Créer un bureau de vote"),
    Permission::new(
        "elections.inscription.lire",
        "Consulter les inscriptions sur la liste électorale",
    ),
    Permission::new(
        "elections.inscription.creer",
        "Inscrire un électeur sur la liste électorale",
    ),
];

const EDITIONS: &[EditionTemplate] = &[EditionTemplate::new(
    inscription::ATTESTATION,
    "Attestation d'inscription sur la liste électorale",
    include_str!("../templates/editions/attestation-inscription.html"),
)];

const TRAITEMENTS: &[Traitement] = &[Traitement {
    objet_type: inscription::OBJET,
    finalite: "Tenue de la liste électorale de la commune",
    base_legale: BaseLegale::ObligationLegale,
    textes: "Code électoral, art. L. 9 à L. 43 et R. 1 à R. 18 ; répertoire électoral unique (loi n° 2016-1048)",
    conservation: "Pendant l'inscription, puis 3 ans après la radiation",
    effacement: Effacement::Refuse {
        motif: "La liste électorale est tenue en application du code électoral : une inscription ne peut être effacée sur demande (RGPD art. 17.3.b) ; elle prend fin par une radiation selon la procédure du code électoral.",
    },
}];

/// The elections module. Name it (`&socle_elections::Elections`) where a value is needed.
#[derive(Debug, Clone, Copy)]
pub struct Elections;

#[async_trait]
impl Module for Elections {
    fn id(&self) -> &'static str {
        "elections"
    }

    fn name(&self) -> &'static str {
        "Élections"
    }

    fn version(&self) -> &'static str {
        env!("CARGO_PKG_VERSION")
    }

    fn description(&self) -> &'static str {
        "Liste électorale, bureaux de vote, procurations et jury d'assises."
    }

    fn dependencies(&self) -> &'static [&'static str] {
        &["collectivites", "usagers"]
    }

    fn migrations(&self) -> Option<Migrations> {
        Some(Migrations::of::<Migrator>())
    }

    fn routes(&self) -> OpenApiRouter<AppState> {
        api::routes().merge(inscription::routes())
    }

    fn permissions(&self) -> &'static [Permission] {
        PERMISSIONS
    }

    fn traitements(&self) -> &'static [Traitement] {
        TRAITEMENTS
    }

    fn editions(&self) -> &'static [EditionTemplate] {
        EDITIONS
    }

    fn events_handled(&self) -> &'static [&'static str] {
        &[inscription::DECES]
    }

    async fn traiter_evenement(&self, ctx: &EvenementRecu<'_>) -> Result<(), sea_orm::DbErr> {
        inscription::deces_connu(ctx).await
    }

    async fn usager_fusionne(&self, ctx: &FusionUsager<'_>) -> Result<(), UsagerError> {
        inscription::fusionner(ctx).await
    }

    async fn donnees_usager(
        &self,
        ctx: &DonneesUsager<'_>,
    ) -> Result<Option<serde_json::Value>, sea_orm::DbErr> {
        inscription::donnees(ctx).await
    }

    async fn seed_demo(&self, ctx: &DemoContext<'_>) -> Result<(), sea_orm::DbErr> {
        service::seed_demo(ctx).await
    }
}

socle::register_module!(Elections);
