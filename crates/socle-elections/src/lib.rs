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
//!
//! ## Rules
//!
//! The legal rules it will implement are listed with their certainty in the project's domain
//! brief (§1, elections); rules marked \\[P\\] or \\[G\\] there become settings per collectivité.

mod api;
mod entity;
mod error;
mod migration;
mod service;

use socle::prelude::*;

pub use error::ElectionsError;
pub use service::NouveauBureau;

socle::migrator!(Migrator, "elections", [migration::CreateBureau]);

const PERMISSIONS: &[Permission] = &[
    Permission::new("elections.bureau.lire", "Consulter les bureaux de vote"),
    Permission::new("elections.bureau.creer", "Créer un bureau de vote"),
];

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

socle::register_module!(Elections);
