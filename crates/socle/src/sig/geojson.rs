//! GeoJSON (RFC 7946) output of any module's geolocated records.
//!
//! A module shows its records on a map by turning them into a `FeatureCollection`: one
//! `Feature` per record, with its id, its geometry in WGS84 (longitude then latitude, 7
//! decimals: about a centimetre) and the properties it chooses. Either implement
//! [`Geolocalise`] on the record type and call [`collection_de`], or give
//! `(id, geometry, properties)` triples to [`collection`]; answer with [`reponse`], which sets
//! the `application/geo+json` media type.
//!
//! ```
//! use serde_json::json;
//! use socle::sig::geojson::{collection, proprietes};
//! use socle::sig::geometrie::{Geometrie, Point, lambert93_vers_wgs84};
//!
//! // A plot of a cemetery, located in Lambert-93 by the surveyor.
//! let (lon, lat) = lambert93_vers_wgs84(906_010.92, 6_917_321.29)?;
//! let emplacement: Geometrie = Point::new(lon, lat).into();
//! let carte = collection([(
//!     "0193a5b2-…".to_owned(),
//!     emplacement,
//!     proprietes(json!({"allee": "B", "numero": 12})),
//! )]);
//! let texte = serde_json::to_value(&carte)?;
//! assert_eq!(texte["type"], "FeatureCollection");
//! assert_eq!(texte["features"][0]["geometry"]["coordinates"][0], 5.833622);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use geo::{Coord, MapCoords};
use geojson::{GeometryValue, JsonValue, feature::Id};

/// The GeoJSON types a module handles, from the `geojson` crate: a feature, a collection, the
/// properties of a feature (a JSON object).
pub use geojson::{Feature, FeatureCollection, JsonObject};

use super::geometrie::{Geometrie, wgs84_valide};

/// The media type of GeoJSON (RFC 7946 § 12).
pub const MEDIA_TYPE: &str = "application/geo+json";

/// Decimals kept in coordinates: 1e-7° is about a centimetre.
const DECIMALES: f64 = 1e7;

/// A record a module can show on a map.
pub trait Geolocalise {
    /// The record's id, as the module's API names it.
    fn identifiant(&self) -> String;
    /// Where it is, in WGS84 (longitude, latitude); `None` when it is not located (it is left
    /// out of the map).
    fn geometrie(&self) -> Option<Geometrie>;
    /// What the map shows about it.
    fn proprietes(&self) -> JsonObject;
}

/// The members of a JSON object, for the properties of a feature (anything else gives no
/// properties).
#[must_use]
pub fn proprietes(valeur: JsonValue) -> JsonObject {
    match valeur {
        JsonValue::Object(map) => map,
        _ => JsonObject::new(),
    }
}

/// `geometrie` with its coordinates rounded to 7 decimals.
#[must_use]
pub fn arrondie(geometrie: &Geometrie) -> Geometrie {
    geometrie.map_coords(|Coord { x, y }| Coord {
        x: (x * DECIMALES).round() / DECIMALES,
        y: (y * DECIMALES).round() / DECIMALES,
    })
}

/// One feature: a WGS84 geometry, its id and properties.
#[must_use]
pub fn entite(id: impl Into<String>, geometrie: &Geometrie, proprietes: JsonObject) -> Feature {
    Feature {
        bbox: None,
        geometry: Some(geojson::Geometry::new(GeometryValue::from(&arrondie(
            geometrie,
        )))),
        id: Some(Id::String(id.into())),
        properties: Some(proprietes),
        foreign_members: None,
    }
}

/// One feature from a geometry a module stored as GeoJSON text written by [`en_json`] (checked
/// and rounded when it was received): read as it is, without converting it again — the fast
/// way to map thousands of stored outlines. `None` when the text is not a GeoJSON geometry.
#[must_use]
pub fn entite_stockee(
    id: impl Into<String>,
    texte: &str,
    proprietes: JsonObject,
) -> Option<Feature> {
    let geometrie: geojson::Geometry = serde_json::from_str(texte).ok()?;
    Some(Feature {
        bbox: None,
        geometry: Some(geometrie),
        id: Some(Id::String(id.into())),
        properties: Some(proprietes),
        foreign_members: None,
    })
}

/// A `FeatureCollection` of `(id, WGS84 geometry, properties)`.
#[must_use]
pub fn collection<I>(objets: I) -> FeatureCollection
where
    I: IntoIterator<Item = (String, Geometrie, JsonObject)>,
{
    objets
        .into_iter()
        .map(|(id, geometrie, proprietes)| entite(id, &geometrie, proprietes))
        .collect()
}

/// A `FeatureCollection` of the located records among `objets`.
#[must_use]
pub fn collection_de<'a, T, I>(objets: I) -> FeatureCollection
where
    T: Geolocalise + 'a,
    I: IntoIterator<Item = &'a T>,
{
    objets
        .into_iter()
        .filter_map(|o| {
            o.geometrie()
                .map(|g| entite(o.identifiant(), &g, o.proprietes()))
        })
        .collect()
}

/// The HTTP answer: the collection as `application/geo+json`.
#[must_use]
pub fn reponse(collection: &FeatureCollection) -> Response {
    match serde_json::to_vec(collection) {
        Ok(corps) => (
            [(header::CONTENT_TYPE, HeaderValue::from_static(MEDIA_TYPE))],
            corps,
        )
            .into_response(),
        Err(err) => crate::http::ApiError::internal(err).into_response(),
    }
}

/// Why a GeoJSON geometry is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum GeometrieInvalide {
    /// Not a GeoJSON geometry object.
    #[error("géométrie GeoJSON illisible : {0}")]
    Illisible(String),
    /// A geometry of another type than those allowed.
    #[error("type de géométrie « {trouve} » refusé : {attendu} attendu")]
    Type {
        /// The type given.
        trouve: String,
        /// The types allowed.
        attendu: &'static str,
    },
    /// A polygon ring that is not closed or has fewer than four positions (RFC 7946 § 3.1.6).
    #[error(
        "anneau de polygone invalide : au moins quatre positions, la dernière égale à la première"
    )]
    Anneau,
    /// A position outside longitude −180…180, latitude −90…90.
    #[error("position hors des bornes de WGS84 (longitude −180 à 180, latitude −90 à 90)")]
    HorsBornes,
}

/// Reads a GeoJSON `Polygon` or `MultiPolygon` geometry, checking its rings (closed, four
/// positions at least). `wgs84`: also check that positions are longitudes and latitudes.
///
/// # Errors
/// [`GeometrieInvalide`] says what is wrong.
pub fn lire_surface(valeur: &JsonValue, wgs84: bool) -> Result<Geometrie, GeometrieInvalide> {
    let geometrie: geojson::Geometry = serde_json::from_value(valeur.clone())
        .map_err(|e| GeometrieInvalide::Illisible(e.to_string()))?;
    let attendu = "Polygon ou MultiPolygon";
    let anneaux: Vec<&Vec<geojson::Position>> = match &geometrie.value {
        GeometryValue::Polygon { coordinates } => coordinates.iter().collect(),
        GeometryValue::MultiPolygon { coordinates } => coordinates.iter().flatten().collect(),
        autre => {
            return Err(GeometrieInvalide::Type {
                trouve: autre.type_name().to_owned(),
                attendu,
            });
        }
    };
    for anneau in anneaux {
        if anneau.len() < 4 || anneau.first() != anneau.last() {
            return Err(GeometrieInvalide::Anneau);
        }
        if anneau.iter().any(|p| {
            p.len() < 2
                || !p[0].is_finite()
                || !p[1].is_finite()
                || wgs84 && !wgs84_valide(p[0], p[1])
        }) {
            return Err(GeometrieInvalide::HorsBornes);
        }
    }
    Geometrie::try_from(geometrie.value).map_err(|e| GeometrieInvalide::Illisible(e.to_string()))
}

/// The GeoJSON object of a geometry, coordinates rounded to 7 decimals.
#[must_use]
pub fn en_json(geometrie: &Geometrie) -> JsonValue {
    serde_json::to_value(geojson::Geometry::new(GeometryValue::from(&arrondie(
        geometrie,
    ))))
    .unwrap_or(JsonValue::Null)
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::sig::geometrie::Point;

    struct Borne {
        numero: u32,
        lon: Option<f64>,
        lat: f64,
    }

    impl Geolocalise for Borne {
        fn identifiant(&self) -> String {
            format!("borne-{}", self.numero)
        }
        fn geometrie(&self) -> Option<Geometrie> {
            self.lon.map(|lon| Point::new(lon, self.lat).into())
        }
        fn proprietes(&self) -> JsonObject {
            proprietes(json!({"numero": self.numero}))
        }
    }

    #[test]
    fn a_collection_follows_rfc_7946() {
        let bornes = [
            Borne {
                numero: 1,
                lon: Some(5.833_622_049_9),
                lat: 49.322_203_000_04,
            },
            Borne {
                numero: 2,
                lon: None,
                lat: 0.0,
            },
        ];
        let json = serde_json::to_value(collection_de(&bornes)).expect("serialises");
        assert_eq!(
            json,
            json!({
                "type": "FeatureCollection",
                "features": [{
                    "type": "Feature",
                    "id": "borne-1",
                    "geometry": {"type": "Point", "coordinates": [5.833_622, 49.322_203]},
                    "properties": {"numero": 1}
                }]
            })
        );
    }

    #[test]
    fn surfaces_are_checked() {
        let carre = json!({"type": "Polygon", "coordinates": [[[5.0, 49.0], [5.1, 49.0], [5.1, 49.1], [5.0, 49.0]]]});
        assert!(matches!(
            lire_surface(&carre, true),
            Ok(Geometrie::Polygon(_))
        ));
        let ouvert = json!({"type": "Polygon", "coordinates": [[[5.0, 49.0], [5.1, 49.0], [5.1, 49.1], [5.0, 49.1]]]});
        assert_eq!(lire_surface(&ouvert, true), Err(GeometrieInvalide::Anneau));
        let point = json!({"type": "Point", "coordinates": [5.0, 49.0]});
        assert!(matches!(
            lire_surface(&point, true),
            Err(GeometrieInvalide::Type { .. })
        ));
        let lambert = json!({"type": "Polygon", "coordinates": [[[906000.0, 6917300.0], [906100.0, 6917300.0], [906100.0, 6917400.0], [906000.0, 6917300.0]]]});
        assert_eq!(
            lire_surface(&lambert, true),
            Err(GeometrieInvalide::HorsBornes)
        );
        assert!(lire_surface(&lambert, false).is_ok());
        assert!(matches!(
            lire_surface(&json!({"type": "Polygon"}), true),
            Err(GeometrieInvalide::Illisible(_))
        ));
    }
}
