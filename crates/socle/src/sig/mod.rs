//! Geography (SIG): geometries, Lambert-93 and WGS84, GeoJSON.
//!
//! - [`geometrie`] — points, lines and polygons (the `geo` crate's types); conversion between
//!   Lambert-93 (EPSG:2154) and WGS84 (EPSG:4326), checked against reference points to the
//!   centimetre.
//! - [`geojson`] — a module shows its located records on a map: a GeoJSON (RFC 7946)
//!   `FeatureCollection` from `(id, geometry, properties)` or from a type implementing
//!   [`geojson::Geolocalise`].

pub mod geojson;
pub mod geometrie;
