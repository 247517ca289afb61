//! Editions: the documents modules print — attestations, convocations, arrêtés, lettres-types —
//! from HTML templates with merge fields, rendered to HTML and to PDF.
//!
//! What this module owns:
//!
//! - [`modele`] — the template engine (MiniJinja): HTML templates whose merge fields
//!   (`{{ usager.nom }}`) are escaped, where a missing field is an error naming it, with filters
//!   for French letters (`date_longue` gives « 24 novembre 2026 », `majuscules`, `euros`…).
//! - [`pdf`] — real PDF output: the HTML subset templates use, laid out on A4 pages with line
//!   wrapping, tables, images and page breaks, fonts embedded so that the text (accents
//!   included) can be selected, searched and extracted.
//! - [`contexte`] — the merge fields every edition gets (the collectivité, its letterhead and
//!   logo, today's date from the server's clock, the signatory) and those of a usager.
//! - [`service`] and [`reponse`] — what a module calls: [`rendre`], [`rendre_pdf`], and
//!   [`repondre`] with the [`FormatEdition`] extractor to answer a route in HTML or PDF, and
//!   [`journaliser`] for the audit journal.
//! - the tables and routes (`/api/v1/editions`) that let a collectivité rewrite any template
//!   for itself (logo, wording), without rebuilding anything, write its letterhead and upload
//!   its logo.
//!
//! A module ships its templates with [`crate::Module::editions`], usually `include_str!` of
//! files in its `templates/editions/` folder; they are reached by their full name
//! `module/nom`. This module ships two that the others include: `editions/en-tete` (logo,
//! name and address of the collectivité) and `editions/signature` (place, date, signatory).
//! See `docs/editions.md`.

mod api;
pub mod contexte;
pub mod entity;
mod migration;
pub mod modele;
pub mod pdf;
pub mod reponse;
pub mod service;

use utoipa_axum::router::OpenApiRouter;

use crate::http::AppState;
use crate::module::{EditionTemplate, Migrations, Module, Permission};

pub use contexte::Signataire;
pub use modele::ErreurModele;
pub use reponse::{Format, FormatEdition, delivrer, journaliser, repondre};
pub use service::{Edition, EditionError, Rendu, rendre, rendre_pdf};

crate::migrator!(Migrator, "editions", [migration::CreateEditions]);

/// The kind of record of a collectivité's version of a template, in the journal.
pub const OBJET_MODELE: &str = "editions.modele";
/// The kind of record of a collectivité's letterhead and logo, in the journal.
pub const OBJET_ENTETE: &str = "editions.entete";

const PERMISSIONS: &[Permission] = &[
    Permission::new(
        "editions.modele.lire",
        "Consulter les modèles d'édition et l'en-tête de la collectivité, prévisualiser un modèle",
    ),
    Permission::new(
        "editions.modele.modifier",
        "Personnaliser les modèles d'édition, l'en-tête et le logo de la collectivité",
    ),
];

const MODELES: &[EditionTemplate] = &[
    EditionTemplate::new(
        "en-tete",
        "En-tête des documents : logo, nom et adresse de la collectivité",
        include_str!("../../templates/editions/en-tete.html"),
    ),
    EditionTemplate::new(
        "signature",
        "Lieu, date et signature des documents",
        include_str!("../../templates/editions/signature.html"),
    ),
];

/// The core module of editions. Always present.
#[derive(Debug, Clone, Copy)]
pub struct Editions;

impl Module for Editions {
    fn id(&self) -> &'static str {
        "editions"
    }

    fn name(&self) -> &'static str {
        "Éditions"
    }

    fn version(&self) -> &'static str {
        env!("CARGO_PKG_VERSION")
    }

    fn description(&self) -> &'static str {
        "Modèles de documents des modules, rendus en HTML et en PDF ; chaque collectivité personnalise les siens, son en-tête et son logo."
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

    fn editions(&self) -> &'static [EditionTemplate] {
        MODELES
    }
}
