//! Geography (SIG): geometries, Lambert-93 and WGS84, GeoJSON, areas and the addresses of the
//! Base Adresse Nationale.
//!
//! - [`geometrie`] — points, lines and polygons (the `geo` crate's types); conversion between
//!   Lambert-93 (EPSG:2154) and WGS84 (EPSG:4326), checked against reference points to the
//!   centimetre.
//! - [`geojson`] — a module shows its located records on a map: a GeoJSON (RFC 7946)
//!   `FeatureCollection` from `(id, geometry, properties)` or from a type implementing
//!   [`geojson::Geolocalise`].
//! - [`ban`] and [`import`] — Base Adresse Nationale files (BAL 1.3 or BAN export), checked line
//!   by line and imported in constant memory; a rerun changes nothing.
//! - [`service`] — what modules call: address search (autocomplete) and lookup by BAN key, the
//!   areas (bureaux de vote, school sectors…) that contain a point, recording an area.
//!
//! Addresses are public data (Licence Ouverte): reads are not journaled; imports and changes
//! to areas are. The routes live under `/api/v1/sig` (see `docs/sig.md`).

mod api;
pub mod ban;
pub mod entity;
pub mod geojson;
pub mod geometrie;
pub mod import;
mod migration;
pub mod service;

use utoipa_axum::router::OpenApiRouter;

use crate::http::AppState;
use crate::module::{Migrations, Module, Permission};

crate::migrator!(Migrator, "sig", [migration::CreateSig]);

/// The kind of record of addresses, in the journal.
pub const OBJET_ADRESSE: &str = "sig.adresse";
/// The kind of record of areas, in the journal.
pub const OBJET_ZONE: &str = "sig.zone";

const PERMISSIONS: &[Permission] = &[
    Permission::new(
        "sig.adresse.lire",
        "Rechercher et consulter les adresses (Base Adresse Nationale)",
    ),
    Permission::new(
        "sig.zone.lire",
        "Consulter les zones (bureaux de vote, secteurs…) et chercher celles qui contiennent un point",
    ),
    Permission::new("sig.zone.gerer", "Enregistrer et supprimer des zones"),
];

/// The core module of geography. Always present.
#[derive(Debug, Clone, Copy)]
pub struct Sig;

impl Module for Sig {
    fn id(&self) -> &'static str {
        "sig"
    }

    fn name(&self) -> &'static str {
        "Information géographique"
    }

    fn version(&self) -> &'static str {
        env!("CARGO_PKG_VERSION")
    }

    fn description(&self) -> &'static str {
        "Adresses de la Base Adresse Nationale et leur recherche, zones (bureaux de vote, secteurs), Lambert-93 et WGS84, cartes GeoJSON."
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
}
