//! # Cimetière — cemeteries, plots, concessions, operations
//!
//! The cemetery module of Socle. It owns the commune's cemeteries and their plots, concessions
//! from sale to reprise, burials and other operations, works declarations, reprise procedures
//! for abandonment and the ossuaire's register. It depends on the core only, and cooperates
//! with other modules through the core's usager registry, journal, events and editions.
//!
//! ## What it provides
//!
//! Routes under `/api/v1/cimetiere`, one folder per part of the domain:
//!
//! - `lieux`: cemeteries, zones (carrés), allées and emplacements, the plan in GeoJSON;
//! - `concessions`: tariffs with dates of effect, sale, renewal and conversion (asked by the
//!   holder or an heir), the expiry list, the renewal letter and the title of concession;
//! - `operations`: inhumations (delays, places, right to rest there, decided from the typed
//!   kinship with the holder — `socle::usager::Parente`), exhumations, réductions, réunions and
//!   transfers at the request of the closest relative, family disputes and relatives'
//!   objections, the deceased linked to the usager registry from the `usager.deces` and
//!   `etat-civil.deces_enregistre` events;
//! - `reprise`: the procedure of reprise for abandonment, step by step;
//! - `ossuaire`: taking an emplacement back after its legal delay, the remains to the
//!   ossuaire's public register (or cremation, the relatives told beforehand);
//! - `travaux`: works declared on a grave;
//! - `actes`: the procès-verbaux, the arrêté of reprise and the authorisations, as editions.
//!
//! ## Rules
//!
//! The legal rules are listed with their certainty in the project's domain brief (§3,
//! cimetière); each refusal is a problem+json with a stable code and the rule in French.
//! `docs/cimetiere.md` describes them for cemetery staff and integrators.
//!
//! Install it by linking the crate into a server (the `cimetiere` feature of `socle-server`).

mod actes;
mod api;
mod concessions;
mod demo;
mod entity;
mod error;
mod lieux;
mod migration;
mod operations;
mod ossuaire;
mod reprise;
mod service;
mod travaux;

use socle::prelude::*;
use socle::rgpd::{BaseLegale, Effacement, Traitement};
use socle::usager::UsagerError;

pub use concessions::ayants_droit::PreuveAyantDroit;
pub use concessions::conversion::{Conversion, NouvelleConversion, valeur_restante};
pub use concessions::echeances::{ECHEANCES_MAX, Echeance, PageEcheances};
pub use concessions::renouvellement::{
    NouveauRenouvellement, Renouvellement, dernier_jour_pour_renouveler,
};
pub use concessions::service::{NouveauTarif, TypeConcession, concessible};
pub use concessions::vente::{
    Concession, DELAI_RENOUVELLEMENT_ANS, Forme, NouvelleConcession, PersonneActe, Role, echeance,
};
pub use error::CimetiereError;
pub use lieux::service::{
    NatureEmplacement, NouvelEmplacement, NouvelleAllee, NouvelleZone, PLACES_MAX,
};
pub use operations::defunts::{LienDefunt, PropositionDefunt};
pub use operations::exhumation::{
    Exhumation, Litige, NatureOperation, NouveauLitige, NouvelleExhumation, Transfert,
};
pub use operations::inhumation::{
    DELAI_MAX_JOURS, DroitSepulture, Inhumation, NouvelleInhumation, Occupation,
    TERRAIN_COMMUN_ANS, famille_du_titulaire,
};
pub use operations::opposition::{NouvelleOpposition, Opposition};
pub use ossuaire::service::{Depot, Devenir, DevenirRestes, EmplacementRepris, RepriseEmplacement};
pub use reprise::service::{
    ABANDON_ANS, ACTE_ANS, ENLEVEMENT_JOURS, Etape, EtapeFaite, INHUMATION_ANS,
    MORT_POUR_LA_FRANCE_ANS, ModeConvocation, OuvertureReprise, Reprise,
    premier_jour_second_constat,
};
pub use service::NouveauCimetiere;
pub use travaux::service::{Achevement, NatureTravaux, NouveauxTravaux, Travaux};

socle::migrator!(
    Migrator,
    "cimetiere",
    [
        migration::CreateCimetiere,
        migration::CreateLieux,
        migration::CreateTarifs,
        migration::CreateConcessions,
        migration::CreateRenouvellements,
        migration::CreateConversions,
        migration::CreateInhumations,
        migration::CreateExhumations,
        migration::CreateReprises,
        migration::CreateOssuaire,
        migration::CreateTravaux,
        migration::CreateDecesConnus,
        migration::AddNotifications,
        migration::RecordKinship
    ]
);

const PERMISSIONS: &[Permission] = &[
    Permission::new("cimetiere.cimetiere.lire", "Consulter les cimetières"),
    Permission::new("cimetiere.cimetiere.creer", "Créer un cimetière"),
    Permission::new(
        "cimetiere.emplacement.lire",
        "Consulter les zones, allées et emplacements, le plan du cimetière et les documents des emplacements",
    ),
    Permission::new(
        "cimetiere.emplacement.gerer",
        "Créer les zones, allées et emplacements d'un cimetière",
    ),
    Permission::new(
        "cimetiere.concession.lire",
        "Consulter les concessions, leurs actes et les personnes qu'ils nomment",
    ),
    Permission::new(
        "cimetiere.concession.gerer",
        "Vendre une concession (acte, concessionnaire, ayants droit)",
    ),
    Permission::new(
        "cimetiere.inhumation.lire",
        "Consulter les inhumations d'un emplacement et ses places libres",
    ),
    Permission::new(
        "cimetiere.inhumation.autoriser",
        "Enregistrer une inhumation autorisée par le maire",
    ),
    Permission::new(
        "cimetiere.reprise.conduire",
        "Conduire une procédure de reprise pour abandon (constats, délibération, arrêté)",
    ),
    Permission::new(
        "cimetiere.travaux.gerer",
        "Enregistrer les déclarations de travaux sur les sépultures et leur achèvement",
    ),
    Permission::new(
        "cimetiere.tarif.gerer",
        "Fixer le tarif des concessions (prix par type et durée, date d'effet)",
    ),
];

const EDITIONS: &[EditionTemplate] = &[
    EditionTemplate::new(
        concessions::echeances::LETTRE_RENOUVELLEMENT,
        "Lettre de renouvellement d'une concession",
        include_str!("../templates/editions/lettre-renouvellement.html"),
    ),
    EditionTemplate::new(
        ossuaire::service::REGISTRE_OSSUAIRE,
        "Registre de l'ossuaire",
        include_str!("../templates/editions/registre-ossuaire.html"),
    ),
    EditionTemplate::new(
        concessions::echeances::TITRE_DE_CONCESSION,
        "Titre de concession funéraire",
        include_str!("../templates/editions/titre-de-concession.html"),
    ),
    EditionTemplate::new(
        actes::donnees::PROCES_VERBAL_ABANDON,
        "Procès-verbal de constat d'abandon d'une concession",
        include_str!("../templates/editions/proces-verbal-abandon.html"),
    ),
    EditionTemplate::new(
        actes::donnees::SECOND_PROCES_VERBAL_ABANDON,
        "Second procès-verbal de constat d'abandon d'une concession",
        include_str!("../templates/editions/second-proces-verbal-abandon.html"),
    ),
    EditionTemplate::new(
        actes::donnees::ARRETE_REPRISE,
        "Arrêté de reprise de concession en état d'abandon",
        include_str!("../templates/editions/arrete-reprise.html"),
    ),
    EditionTemplate::new(
        actes::donnees::AUTORISATION_INHUMATION,
        "Autorisation d'inhumation",
        include_str!("../templates/editions/autorisation-inhumation.html"),
    ),
    EditionTemplate::new(
        actes::donnees::AUTORISATION_EXHUMATION,
        "Autorisation d'exhumation, de réduction ou de réunion de corps",
        include_str!("../templates/editions/autorisation-exhumation.html"),
    ),
];

const TRAITEMENTS: &[Traitement] = &[
    Traitement {
        objet_type: concessions::vente::OBJET_CONCESSION,
        finalite: "Gestion des concessions funéraires : actes, concessionnaires, ayants droit, personnes nommées ou exclues",
        base_legale: BaseLegale::Contrat,
        textes: "CGCT, art. L2223-13 à L2223-18 et R2223-11 et suivants",
        conservation: "Pendant la concession, puis aux archives de la commune (registre des concessions)",
        effacement: Effacement::Refuse {
            motif: "L'acte de concession fonde le droit d'inhumer et sa durée : il est conservé par la commune tant que la concession existe, puis archivé (RGPD art. 17.3.b).",
        },
    },
    Traitement {
        objet_type: operations::defunts::OBJET_DEFUNT,
        finalite: "Tenue des inhumations et des opérations funéraires du cimetière : défunts, autorisations du maire, exhumations et transferts",
        base_legale: BaseLegale::ObligationLegale,
        textes: "CGCT, art. L2213-8 à L2213-14, L2223-1 et suivants, R2213-31 à R2213-42",
        conservation: "Définitive : registres et autorisations des opérations funéraires (archives de la commune)",
        effacement: Effacement::Refuse {
            motif: "Les inhumations et les autorisations du maire sont des actes de police des funérailles conservés par la commune (RGPD art. 17.3.b) ; ils concernent des personnes décédées.",
        },
    },
];

/// The cemetery module. Name it (`&socle_cimetiere::Cimetiere`) where a value is needed.
#[derive(Debug, Clone, Copy)]
pub struct Cimetiere;

#[async_trait]
impl Module for Cimetiere {
    fn id(&self) -> &'static str {
        "cimetiere"
    }

    fn name(&self) -> &'static str {
        "Cimetière"
    }

    fn version(&self) -> &'static str {
        env!("CARGO_PKG_VERSION")
    }

    fn description(&self) -> &'static str {
        "Cimetières, emplacements, concessions, inhumations et reprises."
    }

    fn dependencies(&self) -> &'static [&'static str] {
        &["collectivites", "usagers"]
    }

    fn migrations(&self) -> Option<Migrations> {
        Some(Migrations::of::<Migrator>())
    }

    fn routes(&self) -> OpenApiRouter<AppState> {
        api::routes()
            .merge(actes::api::routes())
            .merge(lieux::api::routes())
            .merge(concessions::api::routes())
            .merge(operations::api::routes())
            .merge(reprise::api::routes())
            .merge(ossuaire::api::routes())
            .merge(travaux::api::routes())
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
        &[
            operations::defunts::DECES_USAGER,
            operations::defunts::DECES_ETAT_CIVIL,
        ]
    }

    async fn traiter_evenement(&self, ctx: &EvenementRecu<'_>) -> Result<(), sea_orm::DbErr> {
        operations::defunts::deces_connu(ctx).await
    }

    async fn usager_fusionne(&self, ctx: &FusionUsager<'_>) -> Result<(), UsagerError> {
        concessions::vente::fusionner(ctx).await?;
        operations::defunts::fusionner(ctx).await?;
        Ok(())
    }

    async fn donnees_usager(
        &self,
        ctx: &DonneesUsager<'_>,
    ) -> Result<Option<serde_json::Value>, sea_orm::DbErr> {
        let concessions = concessions::vente::donnees(ctx).await?;
        let operations = operations::defunts::donnees(ctx).await?;
        Ok(match (concessions, operations) {
            (None, None) => None,
            (Some(c), None) => Some(c),
            (None, Some(o)) => Some(o),
            (Some(mut c), Some(o)) => {
                if let (Some(c), Some(o)) = (c.as_object_mut(), o.as_object()) {
                    c.extend(o.clone());
                }
                Some(c)
            }
        })
    }

    async fn seed_demo(&self, ctx: &DemoContext<'_>) -> Result<(), sea_orm::DbErr> {
        demo::seed(ctx).await
    }
}

socle::register_module!(Cimetiere);
