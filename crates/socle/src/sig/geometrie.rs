//! Geometries and the conversion between Lambert-93 and WGS84.
//!
//! The geometry types are those of the `geo` crate ([`Point`], [`LineString`], [`Polygon`],
//! [`MultiPolygon`], and [`Geometrie`] for any of them), in `f64`: `x` is the easting (Lambert-93)
//! or the longitude (WGS84), `y` the northing or the latitude — always in that order, as
//! GeoJSON (RFC 7946) writes them.
//!
//! Two systems matter in mainland France:
//!
//! - **Lambert-93** (EPSG:2154), the legal projection: the conformal conic projection of the
//!   RGF93 datum on the GRS 80 ellipsoid, standard parallels 44° N and 49° N, origin 46° 30′ N
//!   3° E at X 700 000 m, Y 6 600 000 m (IGN's definition). Cadastre, BAN and most GIS files of
//!   communes use it.
//! - **WGS84** (EPSG:4326), longitude and latitude in degrees: the system of GeoJSON and of web
//!   maps. RGF93 and WGS84 differ by less than a metre, so the conversion is the projection alone
//!   (as EPSG's own transformation between them, with null parameters).
//!
//! The projection is computed by the `proj4rs` crate (a pure Rust port of PROJ): no C library
//! to install. Its results agree with PROJ to the millimetre; the tests check reference points
//! to the centimetre.
//!
//! ```
//! use socle::sig::geometrie::{lambert93_vers_wgs84, wgs84_vers_lambert93};
//!
//! let (lon, lat) = lambert93_vers_wgs84(700_000.0, 6_600_000.0)?;
//! assert!((lon - 3.0).abs() < 1e-9 && (lat - 46.5).abs() < 1e-9);
//! let (x, y) = wgs84_vers_lambert93(5.833622, 49.322203)?;
//! assert!((x - 906_010.92).abs() < 0.1 && (y - 6_917_321.29).abs() < 0.1);
//! # Ok::<(), socle::sig::geometrie::HorsDomaine>(())
//! ```

use std::sync::LazyLock;

use geo::{Coord, MapCoords};
use proj4rs::Proj;

pub use geo::{LineString, MultiPolygon, Point, Polygon};

/// Any geometry: point, line, polygon, multi-polygon…
pub type Geometrie = geo::Geometry<f64>;

/// The Lambert-93 projection (EPSG:2154) as IGN defines it.
const LAMBERT93: &str = "+proj=lcc +lat_0=46.5 +lon_0=3 +lat_1=49 +lat_2=44 +x_0=700000 +y_0=6600000 +ellps=GRS80 +towgs84=0,0,0,0,0,0,0 +units=m +no_defs";

/// WGS84 longitude and latitude (EPSG:4326).
const WGS84: &str = "+proj=longlat +ellps=WGS84 +datum=WGS84 +no_defs";

/// Both systems, parsed once. `None` if a definition did not parse (it always does; a test
/// checks it).
static SYSTEMES: LazyLock<Option<(Proj, Proj)>> = LazyLock::new(|| {
    Some((
        Proj::from_proj_string(LAMBERT93).ok()?,
        Proj::from_proj_string(WGS84).ok()?,
    ))
});

/// Where Lambert-93 is meant to be used (EPSG's area of use of EPSG:2154: mainland France and
/// Corsica, with its coastal waters), in WGS84 degrees: west, south, east, north.
pub const DOMAINE_LAMBERT93: [f64; 4] = [-9.86, 41.15, 10.38, 51.56];

/// A coordinate outside the domain of the conversion.
#[derive(Debug, Clone, Copy, PartialEq, thiserror::Error)]
#[error(
    "coordonnées ({0}, {1}) hors du domaine de Lambert-93 (France métropolitaine et Corse) ou non numériques"
)]
pub struct HorsDomaine(pub f64, pub f64);

/// Whether WGS84 `lon`, `lat` lie where Lambert-93 is used.
#[must_use]
pub fn dans_domaine_lambert93(lon: f64, lat: f64) -> bool {
    let [ouest, sud, est, nord] = DOMAINE_LAMBERT93;
    (ouest..=est).contains(&lon) && (sud..=nord).contains(&lat)
}

/// Whether `lon`, `lat` are WGS84 degrees at all (longitude −180 to 180, latitude −90 to 90).
#[must_use]
pub fn wgs84_valide(lon: f64, lat: f64) -> bool {
    (-180.0..=180.0).contains(&lon) && (-90.0..=90.0).contains(&lat)
}

/// Lambert-93 `x`, `y` (metres) to WGS84 `(longitude, latitude)` in degrees.
///
/// # Errors
/// [`HorsDomaine`] when the point is not a number or falls outside the area where Lambert-93
/// is used (mainland France and Corsica): overseas coordinates use other projections.
pub fn lambert93_vers_wgs84(x: f64, y: f64) -> Result<(f64, f64), HorsDomaine> {
    let hors = HorsDomaine(x, y);
    if !x.is_finite() || !y.is_finite() {
        return Err(hors);
    }
    let (lambert, wgs84) = SYSTEMES.as_ref().ok_or(hors)?;
    let mut point = (x, y, 0.0);
    proj4rs::transform::transform(lambert, wgs84, &mut point).map_err(|_| hors)?;
    let (lon, lat) = (point.0.to_degrees(), point.1.to_degrees());
    if dans_domaine_lambert93(lon, lat) {
        Ok((lon, lat))
    } else {
        Err(hors)
    }
}

/// WGS84 `lon`, `lat` (degrees) to Lambert-93 `(x, y)` in metres.
///
/// # Errors
/// [`HorsDomaine`] when the point is not a number or falls outside the area where Lambert-93
/// is used.
pub fn wgs84_vers_lambert93(lon: f64, lat: f64) -> Result<(f64, f64), HorsDomaine> {
    let hors = HorsDomaine(lon, lat);
    if !lon.is_finite() || !lat.is_finite() || !dans_domaine_lambert93(lon, lat) {
        return Err(hors);
    }
    let (lambert, wgs84) = SYSTEMES.as_ref().ok_or(hors)?;
    let mut point = (lon.to_radians(), lat.to_radians(), 0.0);
    proj4rs::transform::transform(wgs84, lambert, &mut point).map_err(|_| hors)?;
    Ok((point.0, point.1))
}

/// A whole geometry from Lambert-93 to WGS84.
///
/// # Errors
/// [`HorsDomaine`] for the first coordinate outside the domain.
pub fn geometrie_vers_wgs84(geometrie: &Geometrie) -> Result<Geometrie, HorsDomaine> {
    geometrie
        .try_map_coords(|Coord { x, y }| lambert93_vers_wgs84(x, y).map(|(x, y)| Coord { x, y }))
}

/// A whole geometry from WGS84 to Lambert-93.
///
/// # Errors
/// [`HorsDomaine`] for the first coordinate outside the domain.
pub fn geometrie_vers_lambert93(geometrie: &Geometrie) -> Result<Geometrie, HorsDomaine> {
    geometrie
        .try_map_coords(|Coord { x, y }| wgs84_vers_lambert93(x, y).map(|(x, y)| Coord { x, y }))
}

/// The distance in metres between two Lambert-93 points (the plane distance: Lambert-93
/// distorts lengths by less than 0.1 % over mainland France).
#[must_use]
pub fn distance_lambert93(a: (f64, f64), b: (f64, f64)) -> f64 {
    (a.0 - b.0).hypot(a.1 - b.1)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A point given in both systems by a published source.
    struct Reference {
        nom: &'static str,
        x: f64,
        y: f64,
        lon: f64,
        lat: f64,
        /// Metres: how precisely the source's two forms agree (their rounding).
        tolerance: f64,
    }

    /// Points with both forms published:
    /// - the projection's origin, by IGN's definition of Lambert-93 (exact);
    /// - two addresses of Acigné (Rennes Métropole's BAL, coordinates given to 1e-9 m and
    ///   1e-14°) and one of Plougastel-Daoulas (Brest métropole), whose two forms agree to the
    ///   millimetre; one of Strasbourg (x/y to the decimetre);
    /// - addresses of Mont-Bonvillers from the Base Adresse Nationale (x/y to the centimetre,
    ///   longitude/latitude to 1e-6°, about 10 cm).
    const REFERENCES: &[Reference] = &[
        Reference {
            nom: "origine de la projection",
            x: 700_000.0,
            y: 6_600_000.0,
            lon: 3.0,
            lat: 46.5,
            tolerance: 1e-6,
        },
        Reference {
            nom: "Acigné, 3 square Ella Maillart",
            x: 363_406.065_895_971,
            y: 6_791_854.242_553_02,
            lon: -1.527_668_748_650_78,
            lat: 48.140_180_336_425_2,
            tolerance: 0.001,
        },
        Reference {
            nom: "Acigné, 5 square Ella Maillart",
            x: 363_405.727_692_226,
            y: 6_791_858.392_161_99,
            lon: -1.527_676_485_093_85,
            lat: 48.140_217_440_014_2,
            tolerance: 0.001,
        },
        Reference {
            nom: "Plougastel-Daoulas, 163 rue Eric Tabarly",
            x: 156_513.07,
            y: 6_834_959.14,
            lon: -4.351_580_945_612_15,
            lat: 48.387_066_456_883_5,
            tolerance: 0.001,
        },
        Reference {
            nom: "Strasbourg, 43 rue de l'Aubépine",
            x: 1_051_485.9,
            y: 6_844_700.9,
            lon: 7.770_409,
            lat: 48.606_923,
            tolerance: 0.15,
        },
        Reference {
            nom: "Mont-Bonvillers, 1 rue Joffre",
            x: 906_010.92,
            y: 6_917_321.29,
            lon: 5.833_622,
            lat: 49.322_203,
            tolerance: 0.1,
        },
        Reference {
            nom: "Mont-Bonvillers, 16 b Bonvillers Village",
            x: 906_609.88,
            y: 6_917_459.71,
            lon: 5.841_922,
            lat: 49.323_253,
            tolerance: 0.1,
        },
    ];

    /// Metres between two WGS84 points a few metres apart (local equirectangular).
    fn ecart_metres(a: (f64, f64), b: (f64, f64)) -> f64 {
        let metres_par_degre = 111_320.0;
        let dx = (a.0 - b.0) * metres_par_degre * a.1.to_radians().cos();
        let dy = (a.1 - b.1) * metres_par_degre;
        dx.hypot(dy)
    }

    #[test]
    fn the_definitions_parse() {
        assert!(SYSTEMES.is_some());
    }

    #[test]
    fn reference_points_agree_in_both_directions() {
        for r in REFERENCES {
            let (x, y) = wgs84_vers_lambert93(r.lon, r.lat).expect(r.nom);
            let ecart = distance_lambert93((x, y), (r.x, r.y));
            assert!(
                ecart <= r.tolerance,
                "{} : vers Lambert-93 à {ecart} m",
                r.nom
            );
            let (lon, lat) = lambert93_vers_wgs84(r.x, r.y).expect(r.nom);
            let ecart = ecart_metres((lon, lat), (r.lon, r.lat));
            assert!(ecart <= r.tolerance, "{} : vers WGS84 à {ecart} m", r.nom);
        }
    }

    #[test]
    fn round_trips_stay_under_a_centimetre() {
        for r in REFERENCES {
            let (lon, lat) = lambert93_vers_wgs84(r.x, r.y).expect(r.nom);
            let (x, y) = wgs84_vers_lambert93(lon, lat).expect(r.nom);
            assert!(distance_lambert93((x, y), (r.x, r.y)) < 0.001, "{}", r.nom);
        }
        // Corners of the mainland, far from the origin.
        for (lon, lat) in [(-4.79, 48.41), (8.23, 48.96), (9.53, 42.55), (1.78, 42.43)] {
            let (x, y) = wgs84_vers_lambert93(lon, lat).expect("in the mainland");
            let back = lambert93_vers_wgs84(x, y).expect("back");
            assert!(ecart_metres(back, (lon, lat)) < 0.001, "{lon} {lat}");
        }
    }

    #[test]
    fn points_outside_the_mainland_are_refused() {
        // Saint-Denis de La Réunion: Lambert-93 is not its projection.
        assert!(wgs84_vers_lambert93(55.45, -20.88).is_err());
        assert!(wgs84_vers_lambert93(f64::NAN, 46.0).is_err());
        assert!(lambert93_vers_wgs84(f64::INFINITY, 6_600_000.0).is_err());
        // Longitude and latitude given where x and y are expected.
        assert!(lambert93_vers_wgs84(5.83, 49.32).is_err());
        // x and y swapped.
        assert!(lambert93_vers_wgs84(6_917_321.29, 906_010.92).is_err());
    }

    #[test]
    fn whole_geometries_convert() {
        let carre: Geometrie = Polygon::new(
            LineString::from(vec![
                (906_000.0, 6_917_300.0),
                (906_100.0, 6_917_300.0),
                (906_100.0, 6_917_400.0),
                (906_000.0, 6_917_300.0),
            ]),
            vec![],
        )
        .into();
        let wgs = geometrie_vers_wgs84(&carre).expect("converts");
        let back = geometrie_vers_lambert93(&wgs).expect("back");
        let Geometrie::Polygon(back) = back else {
            panic!("still a polygon")
        };
        let first = back.exterior().0[0];
        assert!(distance_lambert93((first.x, first.y), (906_000.0, 6_917_300.0)) < 0.001);
    }
}
