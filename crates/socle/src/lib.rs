//! # Socle — the core of a commune's application
//!
//! Socle lets a commune, an intercommunal IT service or an integrator assemble a municipal
//! application out of shared building blocks. This crate is the **core**: the plug-in kernel and
//! the horizontal services every module shares. It depends on no vertical module.
//!
//! ## What the core owns
//!
//! | module | what it owns |
//! |---|---|
//! | [`module`] | the [`Module`] trait, its `inventory` registration ([`register_module!`]) and the [`ModuleRegistry`] that validates and orders every linked module |
//! | [`db`] | the sea-orm connection: an SQLite file (WAL) by default, PostgreSQL through `DATABASE_URL`; per-module migrations |
//! | [`collectivite`] | tenants: every domain row belongs to one collectivité |
//! | [`journal`] | the append-only, hash-chained audit journal, its verification and retention |
//! | [`droits`] | agents, sessions, API tokens, roles per collectivité, and the guard that enforces each route's permission |
//! | [`editions`] | document templates of every module (MiniJinja, merge fields escaped, missing fields refused), rendered to HTML and to PDF with embedded fonts; each collectivité's versions of them, letterhead and logo |
//! | [`evenements`] | the outbox of domain events, written in the transaction of each change, and its signed webhook deliveries with retries and replay |
//! | [`rgpd`] | declared processing activities, the register (art. 30), erasure refusals with their legal reason, retention sweeps |
//! | [`sig`] | geography: Lambert-93 (EPSG:2154) and WGS84 (EPSG:4326), GeoJSON (RFC 7946) maps of any module's records, areas and point-in-polygon (which bureau de vote covers an address), Base Adresse Nationale imports and address search |
//! | [`usager`] | the citizen registry: one identity per person (FranceConnect identité pivot fields), search, duplicates and merge, links from every module, erasure with legal refusals, subject-access export, INSEE deaths and CSV imports |
//! | [`temps`] | the clock: domain rules take "today" as input |
//! | [`http`] | the shared HTTP layer: application state, RFC 9457 problem+json errors, validated JSON input |
//! | [`error`] | the core's error types |
//! | [`validation`] | validation rules shared by every module's request types |
//!
//! ## Writing a module
//!
//! A module is a value implementing [`Module`], registered once with [`register_module!`]:
//!
//! ```
//! use socle::prelude::*;
//!
//! /// Room booking for the commune's halls.
//! pub struct Salles;
//!
//! impl Module for Salles {
//!     fn id(&self) -> &'static str { "salles" }
//!     fn name(&self) -> &'static str { "Réservation de salles" }
//!     fn version(&self) -> &'static str { env!("CARGO_PKG_VERSION") }
//!     fn dependencies(&self) -> &'static [&'static str] { &["collectivites"] }
//! }
//!
//! socle::register_module!(Salles);
//! ```
//!
//! Linking the crate into a server is the whole act of installing it: the server collects every
//! registration at start-up, refuses duplicates and missing dependencies, runs migrations in
//! dependency order and mounts the routes under `/api/v1/<id>/`. See `docs/` for the guide.

pub mod collectivite;
pub mod db;
pub mod droits;
pub mod editions;
pub mod error;
pub mod evenements;
pub mod ged;
pub mod http;
pub mod journal;
pub mod module;
pub mod parapheur;
pub mod rgpd;
pub mod sig;
pub mod temps;
#[cfg(feature = "testing")]
pub mod testing;
pub mod unite;
pub mod usager;
pub mod validation;

pub use error::Error;
pub use module::{Module, ModuleRegistry};

/// Re-exports used by plug-in authors, so that a module depends on `socle` alone for the
/// plug-in machinery. Kept small and without renames.
pub mod prelude {
    pub use crate::collectivite::{CollectiviteCourante, TenantScoped};
    pub use crate::droits::Auth;
    pub use crate::http::pagination::{Page, PageParams, fetch_page};
    pub use crate::http::{
        ApiError, AppState, CorpsJson, FieldError, Path, Problem, Query, ValidatedJson, parse_json,
    };
    pub use crate::module::{
        DemoContext, DonneesUsager, EditionTemplate, EvenementRecu, EventDecl, FusionUsager,
        Migrations, Module, Permission,
    };
    pub use crate::temps::Clock;
    pub use async_trait::async_trait;
    pub use utoipa_axum::router::OpenApiRouter;
}

#[doc(hidden)]
pub mod __private {
    //! Items used by the crate's macros; not part of the public API.
    pub use inventory;
    pub use sea_orm_migration;
}
