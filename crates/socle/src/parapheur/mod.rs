//! Parapheur: documents submitted to a circuit of signatories, signed in order, and the
//! modules told when a document is signed or refused.
//!
//! - [`service`] — the [`Parapheur`] contract (submit, follow, fetch the signed document), the
//!   built-in [`ParapheurLocal`] where agents sign in the back office, and what every
//!   implementation shares: the folders recorded in the core, their outcome, the events.
//! - [`entity`] — the tables: folders (the GED version submitted, its SHA-256, the record it
//!   decides about, the outcome) and the steps of their circuit (who signs, when, what digest).
//!
//! A module that needs a signature — an arrêté, an act — deposits its document in the GED,
//! submits it naming its record, and lists `parapheur.signe` / `parapheur.refuse` in
//! [`crate::Module::events_handled`]: its record becomes final when the event about it comes,
//! in the handler's transaction. The routes live under `/api/v1/parapheur` (see
//! `docs/parapheur.md`).

mod api;
pub mod entity;
mod migration;
pub mod service;

use async_trait::async_trait;
use utoipa_axum::router::OpenApiRouter;

use crate::http::AppState;
use crate::module::{EventDecl, Migrations, Module, Permission};

pub use service::{
    DocumentSigne, Dossier, EtatDossier, Issue, LOCAL, Parapheur, ParapheurError, ParapheurLocal,
    REFUSE, SIGNE, SOUMIS, Soumission,
};

crate::migrator!(Migrator, "parapheur", [migration::CreateParapheur]);

/// The kind of record of folders, in the journal.
pub const OBJET_DOSSIER: &str = "parapheur.dossier";

const PERMISSIONS: &[Permission] = &[
    Permission::new(
        "parapheur.dossier.lire",
        "Consulter les dossiers de signature et leurs documents signés",
    ),
    Permission::new(
        "parapheur.dossier.soumettre",
        "Soumettre un document à un circuit de signataires",
    ),
    Permission::new(
        service::DROIT_SIGNER,
        "Signer ou refuser, à son tour, les dossiers dont on est signataire",
    ),
];

const EVENEMENTS: &[EventDecl] = &[
    EventDecl::new(
        SOUMIS,
        "Un document a été soumis à un circuit de signataires",
    ),
    EventDecl::new(
        SIGNE,
        "Le dernier signataire a signé : le document signé est disponible",
    ),
    EventDecl::new(REFUSE, "Un signataire a refusé de signer le document"),
];

/// The core module of the parapheur. Always present.
#[derive(Debug, Clone, Copy)]
pub struct Signatures;

#[async_trait]
impl Module for Signatures {
    fn id(&self) -> &'static str {
        "parapheur"
    }

    fn name(&self) -> &'static str {
        "Parapheur"
    }

    fn version(&self) -> &'static str {
        env!("CARGO_PKG_VERSION")
    }

    fn description(&self) -> &'static str {
        "Circuits de signature des documents de la GED : parapheur intégré, ou externe par le trait Parapheur ; événements soumis, signé, refusé."
    }

    fn dependencies(&self) -> &'static [&'static str] {
        &["collectivites", "droits", "ged"]
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
}
