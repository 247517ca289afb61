//! The citizen registry (référentiel usager): one identity per person, shared by every module.
//!
//! - [`identite`] — birth dates as INSEE and FranceConnect give them (possibly partial), sex
//!   codes, and the normalisation of French names used to search and to detect duplicates.
//! - [`phonetique`] — phonetic keys of French names, so that spellings pronounced alike
//!   (« Lefèvre », « Lefebvre ») meet in duplicate detection.
//! - [`fiche`] — the fiche usager (FranceConnect identité pivot fields, addresses linked to the
//!   Base Adresse Nationale, contacts, death) and its checks.
//! - [`service`] — create, change (JSON Merge Patch with a version check), record a death,
//!   delete (refused with the legal reason while a mandated record is linked; a tombstone
//!   otherwise), merge, export; each publishes its event (`usager.cree`, `usager.modifie`,
//!   `usager.deces`, `usager.supprime`, `usager.fusionne`) in its transaction.
//! - [`doublons`] — possible duplicates, on creation and over the whole registry.
//! - [`liens`] — how modules tie their records to a usager ([`lier`]).
//! - [`parente`] — kinship between two people as a typed value with its degree ([`Parente`]),
//!   read from the French words agents use.
//! - [`idempotence`] — `Idempotency-Key` replays of creations.
//! - [`deces_insee`] and [`import`] — the INSEE deaths file and CSV imports.
//!
//! The routes live under `/api/v1/usagers` (see `docs/usagers.md`).

mod api;
pub mod deces_insee;
mod demo;
pub mod doublons;
pub mod entity;
mod error;
pub mod fiche;
pub mod idempotence;
pub mod identite;
pub mod import;
pub mod liens;
mod migration;
pub mod parente;
pub mod phonetique;
pub mod service;

use utoipa_axum::router::OpenApiRouter;

use crate::http::AppState;
use async_trait::async_trait;

use crate::module::{DemoContext, EventDecl, Migrations, Module, Permission, PurgeContext};
use crate::rgpd::{BaseLegale, Effacement, Traitement};

pub use error::{UsagerError, etag};
pub use fiche::{FicheUsager, InfoDeces, SourceDeces, Statut, UsagerDto};
pub use liens::{delier, lier, usager_de};
pub use parente::{Parente, ParenteDeclaree};

crate::migrator!(Migrator, "usagers", [migration::CreateUsagers]);

/// The kind of record, in the journal and the RGPD register.
pub const OBJET: &str = "usagers.usager";

const PERMISSIONS: &[Permission] = &[
    Permission::new("usagers.usager.lire", "Consulter et rechercher les usagers"),
    Permission::new("usagers.usager.creer", "Créer un usager"),
    Permission::new(
        "usagers.usager.modifier",
        "Modifier un usager, enregistrer un décès",
    ),
    Permission::new("usagers.usager.supprimer", "Supprimer un usager"),
    Permission::new(
        "usagers.usager.fusionner",
        "Fusionner deux usagers en doublon",
    ),
    Permission::new(
        "usagers.usager.exporter",
        "Exporter toutes les données d'un usager (droit d'accès)",
    ),
];

const EVENEMENTS: &[EventDecl] = &[
    EventDecl::new(service::CREE, "Un usager a été créé"),
    EventDecl::new(
        service::MODIFIE,
        "L'identité ou les coordonnées d'un usager ont changé",
    ),
    EventDecl::new(
        service::SUPPRIME,
        "Un usager a été supprimé (il reste une trace)",
    ),
    EventDecl::new(
        service::FUSIONNE,
        "Un doublon a été fusionné dans un usager",
    ),
    EventDecl::new(service::DECES, "Le décès d'un usager est connu"),
];

const TRAITEMENTS: &[Traitement] = &[Traitement {
    objet_type: OBJET,
    finalite: "Référentiel des usagers : identité, coordonnées et liens vers les dossiers des services de la collectivité",
    base_legale: BaseLegale::MissionInteretPublic,
    textes: "RGPD art. 6.1.e ; code des relations entre le public et l'administration (art. L. 114-8 et suivants)",
    conservation: "Tant que l'usager a un dossier ouvert dans un service ; l'usager sans dossier peut être effacé à sa demande",
    effacement: Effacement::Possible,
}];

/// The core module that owns the citizen registry. Always present.
#[derive(Debug, Clone, Copy)]
pub struct Usagers;

#[async_trait]
impl Module for Usagers {
    fn id(&self) -> &'static str {
        "usagers"
    }

    fn name(&self) -> &'static str {
        "Usagers"
    }

    fn version(&self) -> &'static str {
        env!("CARGO_PKG_VERSION")
    }

    fn description(&self) -> &'static str {
        "Référentiel usager : une identité par personne, partagée par tous les modules, avec détection des doublons."
    }

    fn dependencies(&self) -> &'static [&'static str] {
        &["collectivites", "evenements"]
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

    fn events_emitted(&self) -> &'static [EventDecl] {
        EVENEMENTS
    }

    fn traitements(&self) -> &'static [Traitement] {
        TRAITEMENTS
    }

    async fn seed_demo(&self, ctx: &DemoContext<'_>) -> Result<(), sea_orm::DbErr> {
        demo::seed(ctx).await
    }

    /// Forgets the `Idempotency-Key` answers older than two days (they are honoured 24 hours).
    async fn purger_donnees(&self, ctx: &PurgeContext<'_>) -> Result<u64, sea_orm::DbErr> {
        idempotence::purger(ctx.db, ctx.today).await
    }
}
