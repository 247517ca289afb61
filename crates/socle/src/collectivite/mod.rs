//! Collectivités: the tenants of a Socle deployment.
//!
//! Every domain row belongs to one collectivité. A commune's server holds one; an
//! intercommunal IT service hosts many in one deployment. This module owns the `collectivite`
//! table, its API (`/api/v1/collectivites`), the extractor [`CollectiviteCourante`] that tells a
//! handler which collectivité a request acts for, and the migration helpers that give every
//! module's tables their `collectivite_id` column ([`schema`]).
//!
//! Identification: a commune by its code officiel géographique (COG, 5 characters, `2A`/`2B` for
//! Corsica), an intercommunalité by its SIREN (9 digits with a Luhn check digit).

mod api;
mod courante;
pub mod entity;
mod migration;
pub mod schema;
mod scope;
mod service;

use crate::http::AppState;
use crate::module::{Migrations, Module, Permission};
use utoipa_axum::router::OpenApiRouter;

pub use courante::{CollectiviteCourante, HEADER};
pub use entity::Nature;
pub use scope::TenantScoped;
pub use service::{CollectiviteError, NouvelleCollectivite, check_code, create, find};

crate::migrator!(Migrator, "collectivites", [migration::CreateCollectivite]);

const PERMISSIONS: &[Permission] = &[
    Permission::new(
        "collectivites.collectivite.lire",
        "Consulter une collectivité",
    ),
    Permission::plateforme(
        "collectivites.collectivite.lister",
        "Lister les collectivités hébergées",
    ),
    Permission::plateforme("collectivites.collectivite.creer", "Créer une collectivité"),
];

/// The core module that owns collectivités. Always present; every module that stores records
/// depends on it.
#[derive(Debug, Clone, Copy)]
pub struct Collectivites;

impl Module for Collectivites {
    fn id(&self) -> &'static str {
        "collectivites"
    }

    fn name(&self) -> &'static str {
        "Collectivités"
    }

    fn version(&self) -> &'static str {
        env!("CARGO_PKG_VERSION")
    }

    fn description(&self) -> &'static str {
        "Communes et intercommunalités hébergées par ce serveur ; chaque enregistrement appartient à l'une d'elles."
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
}
