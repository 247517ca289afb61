//! # Modèle — the skeleton of a Socle module
//!
//! A complete, working module with one resource (`element`), to copy when starting a new one:
//! `templates/module/nouveau-module.sh <id> <Type> <ressource> <Ressource>` writes
//! `crates/socle-<id>/` with every name replaced. Then fill in the rules.
//!
//! ## What it provides
//!
//! - `GET/POST /api/v1/modele/elements`, `GET /api/v1/modele/elements/{id}`: the elements of the
//!   current collectivité; a name is unique within it.
//!
//! ## Layout
//!
//! | file | what it holds |
//! |---|---|
//! | `lib.rs` | the module docs (with the legal rules and their certainty), `impl Module`, the registration |
//! | `entity.rs` | the tables, as sea-orm entities; each implements `TenantScoped` |
//! | `migration.rs` | the migrations, `mYYYYMMDD_NNNNNN_<verb>_<noun>`, tables prefixed with the module id |
//! | `service.rs` | the rules, without HTTP; today's date comes in as a parameter |
//! | `error.rs` | the module's errors and their problem+json form |
//! | `api.rs` | the routes and their OpenAPI description |

mod api;
mod entity;
mod error;
mod migration;
mod service;

use socle::prelude::*;

pub use error::ModeleError;
pub use service::NouvelElement;

socle::migrator!(Migrator, "modele", [migration::CreateElement]);

const PERMISSIONS: &[Permission] = &[
    Permission::new("modele.element.lire", "Consulter les éléments"),
    Permission::new("modele.element.creer", "Créer un élément"),
];

/// The module. Name it (`&socle_modele::Modele`) where a value is needed.
#[derive(Debug, Clone, Copy)]
pub struct Modele;

#[async_trait]
impl Module for Modele {
    fn id(&self) -> &'static str {
        "modele"
    }

    fn name(&self) -> &'static str {
        "Modèle"
    }

    fn version(&self) -> &'static str {
        env!("CARGO_PKG_VERSION")
    }

    fn description(&self) -> &'static str {
        "Squelette d'un module Socle."
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

    async fn seed_demo(&self, ctx: &DemoContext<'_>) -> Result<(), sea_orm::DbErr> {
        service::seed_demo(ctx).await
    }
}

socle::register_module!(Modele);
