//! What modules call: find addresses, find the areas that contain a point, record an area.
//!
//! Every function takes the collectivité: a module never sees another collectivité's addresses
//! or areas.

use chrono::{DateTime, Utc};
use geo::{BoundingRect, Covers};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, DbErr, QueryFilter, QueryOrder,
    QuerySelect, Set,
};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use super::entity::{adresse, zone};
use super::geojson::{GeometrieInvalide, en_json, lire_surface};
use super::geometrie::{Geometrie, Point, geometrie_vers_wgs84};
use crate::collectivite::TenantScoped;
use crate::http::FieldError;
use crate::usager::identite::normaliser_nom;

/// What `q=` asks for: a number (with the start of a suffix) and words.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Demande {
    /// The number the text starts with.
    pub numero: Option<i32>,
    /// Letters stuck to that number (`16b`, `16bis`): the start of the suffix.
    pub suffixe: Option<String>,
    /// Normalised words, each the start of a word of the address.
    pub mots: Vec<String>,
}

impl Demande {
    /// Reads the text typed: « 16 bonvillers », « 16b bonv », « rue joffre ».
    #[must_use]
    pub fn lire(q: &str) -> Self {
        let mut mots: Vec<String> = normaliser_nom(q)
            .split(' ')
            .map(|m| {
                m.chars()
                    .filter(|c| c.is_alphanumeric())
                    .collect::<String>()
            })
            .filter(|m| !m.is_empty())
            .collect();
        let mut demande = Self::default();
        if let Some(premier) = mots.first() {
            let chiffres: String = premier.chars().take_while(char::is_ascii_digit).collect();
            let reste = &premier[chiffres.len()..];
            if !chiffres.is_empty()
                && chiffres.len() <= 5
                && reste.chars().all(|c| c.is_ascii_alphabetic())
                && let Ok(numero) = chiffres.parse()
            {
                demande.numero = Some(numero);
                demande.suffixe = (!reste.is_empty()).then(|| reste.to_lowercase());
                mots.remove(0);
            }
        }
        demande.mots = mots;
        demande
    }

    /// The same request reading the number as a word (« 8 mai 1945 »).
    fn sans_numero(&self, q: &str) -> Self {
        Self {
            numero: None,
            suffixe: None,
            mots: Self::lire(&format!("x {q}"))
                .mots
                .into_iter()
                .skip(1)
                .collect(),
        }
    }

    fn condition(&self) -> Condition {
        let mut condition = Condition::all();
        if let Some(numero) = self.numero {
            condition = condition.add(adresse::Column::Numero.eq(numero));
        }
        if let Some(suffixe) = &self.suffixe {
            condition = condition.add(adresse::Column::Suffixe.like(format!("{suffixe}%")));
        }
        for mot in &self.mots {
            condition = condition.add(adresse::Column::Recherche.like(format!("% {mot}%")));
        }
        condition
    }
}

/// The addresses that match `q` (see [`Demande::lire`]): accents, case, hyphens and apostrophes
/// do not matter, each word matches the start of a word of the street or lieu-dit (or the
/// suffix); a leading number is the address number. Best `limite` first: by street, then
/// number.
///
/// When nothing has the leading number as address number, the number is read as a word of the
/// street (« 8 mai » finds the « Impasse du 8 Mai 1945 »).
///
/// # Errors
/// A database failure.
pub async fn rechercher_adresses<C: ConnectionTrait>(
    db: &C,
    collectivite_id: Uuid,
    q: &str,
    limite: u64,
) -> Result<Vec<adresse::Model>, DbErr> {
    let demande = Demande::lire(q);
    let trouver = |demande: Demande| async move {
        adresse::Entity::find_in(collectivite_id)
            .filter(demande.condition())
            .order_by_asc(adresse::Column::VoieNom)
            .order_by_asc(adresse::Column::Numero)
            .order_by_asc(adresse::Column::CleInterop)
            .limit(limite)
            .all(db)
            .await
    };
    let avec_numero = demande.numero.is_some();
    let trouvees = trouver(demande.clone()).await?;
    if trouvees.is_empty() && avec_numero {
        return trouver(demande.sans_numero(q)).await;
    }
    Ok(trouvees)
}

/// The address with this id, or this BAN key (`cle_interop`).
///
/// # Errors
/// A database failure.
pub async fn adresse<C: ConnectionTrait>(
    db: &C,
    collectivite_id: Uuid,
    id_ou_cle: &str,
) -> Result<Option<adresse::Model>, DbErr> {
    let condition = match id_ou_cle.parse::<Uuid>() {
        Ok(id) => adresse::Column::Id.eq(id),
        Err(_) => adresse::Column::CleInterop.eq(id_ou_cle.trim().to_lowercase()),
    };
    adresse::Entity::find_in(collectivite_id)
        .filter(condition)
        .one(db)
        .await
}

/// The geometry of an area.
///
/// # Errors
/// [`GeometrieInvalide`] if the stored text is not a polygon (it always is: areas are checked
/// when recorded).
pub fn geometrie(zone: &zone::Model) -> Result<Geometrie, GeometrieInvalide> {
    let valeur: serde_json::Value = serde_json::from_str(&zone.geometrie)
        .map_err(|e| GeometrieInvalide::Illisible(e.to_string()))?;
    lire_surface(&valeur, true)
}

/// The areas of the collectivité that contain the WGS84 point `lon`, `lat` — on their border
/// included — optionally of one kind only, by kind then name.
///
/// # Errors
/// A database failure.
pub async fn zones_contenant<C: ConnectionTrait>(
    db: &C,
    collectivite_id: Uuid,
    lon: f64,
    lat: f64,
    nature: Option<&str>,
) -> Result<Vec<zone::Model>, DbErr> {
    let mut select = zone::Entity::find_in(collectivite_id)
        .filter(zone::Column::MinLon.lte(lon))
        .filter(zone::Column::MaxLon.gte(lon))
        .filter(zone::Column::MinLat.lte(lat))
        .filter(zone::Column::MaxLat.gte(lat));
    if let Some(nature) = nature {
        select = select.filter(zone::Column::Nature.eq(nature));
    }
    let candidates = select
        .order_by_asc(zone::Column::Nature)
        .order_by_asc(zone::Column::Nom)
        .order_by_asc(zone::Column::Id)
        .all(db)
        .await?;
    let point = Point::new(lon, lat);
    Ok(candidates
        .into_iter()
        .filter(|z| geometrie(z).is_ok_and(|g| g.covers(&point)))
        .collect())
}

/// The coordinate system of a geometry sent to the API.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Systeme {
    /// Longitude and latitude in degrees (EPSG:4326), as RFC 7946 requires.
    #[default]
    Wgs84,
    /// Lambert-93 metres (EPSG:2154), converted to WGS84 when recorded.
    Lambert93,
}

/// An area to record.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NouvelleZone {
    /// Kind of area, lower case letters, digits and `_`: `bureau_de_vote`, `secteur_scolaire`.
    #[schema(example = "bureau_de_vote")]
    pub nature: String,
    /// The id of the module's record the area belongs to (one area per kind and record).
    #[schema(example = "0193a5b2-8f41-7c3e-9d2a-5b6c7d8e9f01")]
    pub reference: String,
    /// Name shown on maps.
    #[schema(example = "Bureau 1 — Mairie")]
    pub nom: String,
    /// A GeoJSON `Polygon` or `MultiPolygon` geometry.
    #[schema(value_type = Object, example = json!({"type": "Polygon", "coordinates": [[[5.82, 49.32], [5.84, 49.32], [5.84, 49.33], [5.82, 49.32]]]}))]
    pub geometrie: serde_json::Value,
    /// The system of its coordinates: `wgs84` (by default) or `lambert93`.
    #[serde(default)]
    pub systeme: Systeme,
}

/// Why an area cannot be recorded.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ZoneInvalide {
    /// Fields at fault.
    #[error("zone invalide")]
    Champs(Vec<FieldError>),
    /// A database failure (a duplicate kind and reference included).
    #[error(transparent)]
    Db(#[from] DbErr),
}

fn texte_valide(
    champ: &'static str,
    valeur: &str,
    max: usize,
    erreurs: &mut Vec<FieldError>,
) -> String {
    let valeur = valeur.trim();
    if valeur.is_empty() {
        erreurs.push(FieldError::new(champ, "vide", "ne doit pas être vide"));
    } else if valeur.chars().count() > max {
        erreurs.push(FieldError::new(
            champ,
            "longueur",
            format!("{max} caractères au plus"),
        ));
    }
    valeur.to_owned()
}

/// Records an area, in the caller's transaction.
///
/// # Errors
/// [`ZoneInvalide::Champs`] for fields at fault (kind, reference, name, geometry);
/// [`ZoneInvalide::Db`] for a database failure, a unique violation when the kind and reference
/// already have an area.
pub async fn creer_zone<C: ConnectionTrait>(
    db: &C,
    collectivite_id: Uuid,
    nouvelle: NouvelleZone,
    now: DateTime<Utc>,
) -> Result<zone::Model, ZoneInvalide> {
    let mut erreurs = Vec::new();
    let nature = texte_valide("nature", &nouvelle.nature, 50, &mut erreurs);
    let bien_formee = nature.starts_with(|c: char| c.is_ascii_lowercase())
        && nature
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
    if !nature.is_empty() && !bien_formee {
        erreurs.push(FieldError::new(
            "nature",
            "format",
            "lettres minuscules sans accent, chiffres et « _ » (ex. bureau_de_vote)",
        ));
    }
    let reference = texte_valide("reference", &nouvelle.reference, 100, &mut erreurs);
    let nom = texte_valide("nom", &nouvelle.nom, 200, &mut erreurs);
    let wgs84 = nouvelle.systeme == Systeme::Wgs84;
    let geometrie = match lire_surface(&nouvelle.geometrie, wgs84) {
        Ok(g) if wgs84 => Some(g),
        Ok(g) => match geometrie_vers_wgs84(&g) {
            Ok(g) => Some(g),
            Err(err) => {
                erreurs.push(FieldError::new(
                    "geometrie",
                    "hors-domaine",
                    err.to_string(),
                ));
                None
            }
        },
        Err(err) => {
            erreurs.push(FieldError::new("geometrie", "geometrie", err.to_string()));
            None
        }
    };
    let rect = geometrie.as_ref().and_then(BoundingRect::bounding_rect);
    let (Some(geometrie), Some(rect), true) = (geometrie.as_ref(), rect, erreurs.is_empty()) else {
        return Err(ZoneInvalide::Champs(erreurs));
    };
    let modele = zone::ActiveModel {
        id: Set(Uuid::now_v7()),
        collectivite_id: Set(collectivite_id),
        nature: Set(nature),
        reference: Set(reference),
        nom: Set(nom),
        geometrie: Set(en_json(geometrie).to_string()),
        min_lon: Set(rect.min().x),
        min_lat: Set(rect.min().y),
        max_lon: Set(rect.max().x),
        max_lat: Set(rect.max().y),
        cree_le: Set(now),
    };
    Ok(modele.insert(db).await?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn what_people_type_is_understood() {
        assert_eq!(
            Demande::lire("16 bonvillers"),
            Demande {
                numero: Some(16),
                suffixe: None,
                mots: vec!["BONVILLERS".into()]
            }
        );
        assert_eq!(
            Demande::lire("16b Bonvillers"),
            Demande {
                numero: Some(16),
                suffixe: Some("b".into()),
                mots: vec!["BONVILLERS".into()]
            }
        );
        assert_eq!(
            Demande::lire("rue Jeanne-d’Arc"),
            Demande {
                numero: None,
                suffixe: None,
                mots: vec!["RUE".into(), "JEANNE".into(), "D".into(), "ARC".into()]
            }
        );
        assert_eq!(
            Demande::lire("8 mai").sans_numero("8 mai").mots,
            ["8", "MAI"]
        );
        assert_eq!(Demande::lire("  "), Demande::default());
        assert_eq!(Demande::lire("123456 rue").numero, None);
    }
}
