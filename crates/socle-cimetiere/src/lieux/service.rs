//! Rules and storage of the places of a cemetery, without HTTP: zones (carrés), allées and
//! emplacements, their kinds and capacities, their outlines on the plan.

use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, QueryFilter, QueryOrder, Set,
};
use serde::{Deserialize, Serialize};
use serde_json::Value as JsonValue;
use socle::db::on_unique;
use socle::prelude::*;
use socle::sig::geojson::{self, FeatureCollection, entite_stockee, lire_surface, proprietes};
use utoipa::ToSchema;
use uuid::Uuid;

use super::entity::{allee, emplacement, zone};
use crate::entity as cimetiere;
use crate::error::CimetiereError;

/// The kinds of emplacement.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum NatureEmplacement {
    /// A plot granted as a concession (individual, collective or family).
    Concession,
    /// A case of a columbarium (urns).
    CaseColumbarium,
    /// A cavurne: a small vault in the ground for urns.
    Cavurne,
    /// An enfeu: a niche in a wall.
    Enfeu,
    /// The ossuaire, where the remains of taken-back graves rest (L2223-4).
    Ossuaire,
    /// The dépositoire: a temporary vault.
    Depositoire,
    /// A grave of the terrain commun: free, one coffin (R2223-3), for five years at least
    /// (R2223-5).
    TerrainCommun,
}

impl NatureEmplacement {
    /// Every kind, in the order agents see them.
    pub const TOUTES: [Self; 7] = [
        Self::Concession,
        Self::CaseColumbarium,
        Self::Cavurne,
        Self::Enfeu,
        Self::Ossuaire,
        Self::Depositoire,
        Self::TerrainCommun,
    ];

    /// The value kept in the table and used by the API.
    #[must_use]
    pub const fn code(self) -> &'static str {
        match self {
            Self::Concession => "concession",
            Self::CaseColumbarium => "case_columbarium",
            Self::Cavurne => "cavurne",
            Self::Enfeu => "enfeu",
            Self::Ossuaire => "ossuaire",
            Self::Depositoire => "depositoire",
            Self::TerrainCommun => "terrain_commun",
        }
    }

    /// The kind a stored code names.
    #[must_use]
    pub fn lire(code: &str) -> Option<Self> {
        Self::TOUTES.into_iter().find(|n| n.code() == code)
    }
}

/// The most places an emplacement holds (an ossuaire holds many).
pub const PLACES_MAX: i32 = 10_000;

/// A zone (carré) to create.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NouvelleZone {
    /// Its code on the plan, unique in the cemetery.
    #[schema(example = "A")]
    pub code: String,
    /// Its name, if it has one.
    #[schema(example = "Carré ancien")]
    pub nom: Option<String>,
    /// Its outline: a GeoJSON `Polygon` in WGS84.
    pub geometrie: Option<JsonValue>,
}

/// An allée to create.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NouvelleAllee {
    /// Its code, unique in the zone.
    #[schema(example = "3")]
    pub code: String,
    /// Its name, if it has one.
    #[schema(example = "Allée des Tilleuls")]
    pub nom: Option<String>,
}

/// An emplacement to create.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NouvelEmplacement {
    /// Its zone (of the same cemetery).
    pub zone_id: Uuid,
    /// Its allée (of that zone), when the zone has allées.
    pub allee_id: Option<Uuid>,
    /// Its number on the plan, unique in the cemetery.
    #[schema(example = "A-3-12")]
    pub numero: String,
    /// Its kind.
    pub nature: NatureEmplacement,
    /// How many coffins or urns it holds (1 by default; exactly 1 in the terrain commun).
    #[schema(example = 2)]
    pub places: Option<i32>,
    /// Its surface in square metres.
    #[schema(example = 2.5)]
    pub surface_m2: Option<f64>,
    /// Its outline: a GeoJSON `Polygon` in WGS84.
    pub geometrie: Option<JsonValue>,
}

/// A text field: trimmed, required, at most `max` characters.
fn code(champ: &str, valeur: &str, max: usize, erreurs: &mut Vec<FieldError>) -> String {
    let valeur = valeur.trim();
    if valeur.is_empty() || valeur.chars().count() > max {
        erreurs.push(FieldError::new(
            champ,
            "longueur",
            format!("obligatoire, {max} caractères au plus"),
        ));
    }
    valeur.to_owned()
}

/// An optional name: trimmed, empty is none, at most 200 characters.
fn nom(valeur: Option<String>, erreurs: &mut Vec<FieldError>) -> Option<String> {
    let valeur = valeur
        .map(|n| n.trim().to_owned())
        .filter(|n| !n.is_empty());
    if valeur.as_ref().is_some_and(|n| n.chars().count() > 200) {
        erreurs.push(FieldError::new("nom", "longueur", "200 caractères au plus"));
    }
    valeur
}

/// An outline given as GeoJSON, checked and kept as text.
fn contour(valeur: Option<&JsonValue>, erreurs: &mut Vec<FieldError>) -> Option<String> {
    let valeur = valeur.filter(|v| !v.is_null())?;
    match lire_surface(valeur, true) {
        Ok(geometrie) => Some(geojson::en_json(&geometrie).to_string()),
        Err(err) => {
            erreurs.push(FieldError::new("geometrie", "geometrie", err.to_string()));
            None
        }
    }
}

fn refuser(erreurs: Vec<FieldError>) -> Result<(), CimetiereError> {
    if erreurs.is_empty() {
        Ok(())
    } else {
        Err(CimetiereError::Champs(erreurs))
    }
}

/// The cemetery `id` of the collectivité.
///
/// # Errors
/// [`CimetiereError::Introuvable`].
pub(crate) async fn cimetiere<C: ConnectionTrait>(
    db: &C,
    collectivite_id: Uuid,
    id: Uuid,
) -> Result<cimetiere::Model, CimetiereError> {
    cimetiere::Entity::find_one_in(db, collectivite_id, id)
        .await?
        .ok_or(CimetiereError::Introuvable("Cimetière"))
}

/// Creates a zone in a cemetery.
///
/// # Errors
/// [`CimetiereError::Champs`], [`CimetiereError::Introuvable`], [`CimetiereError::CodePris`].
pub(crate) async fn creer_zone<C: ConnectionTrait>(
    db: &C,
    collectivite_id: Uuid,
    cimetiere_id: Uuid,
    nouvelle: NouvelleZone,
    now: DateTime<Utc>,
) -> Result<zone::Model, CimetiereError> {
    let mut erreurs = Vec::new();
    let code = code("code", &nouvelle.code, 30, &mut erreurs);
    let nom = nom(nouvelle.nom, &mut erreurs);
    let geometrie = contour(nouvelle.geometrie.as_ref(), &mut erreurs);
    refuser(erreurs)?;
    cimetiere(db, collectivite_id, cimetiere_id).await?;
    zone::ActiveModel {
        id: Set(Uuid::now_v7()),
        collectivite_id: Set(collectivite_id),
        cimetiere_id: Set(cimetiere_id),
        code: Set(code.clone()),
        nom: Set(nom),
        geometrie: Set(geometrie),
        cree_le: Set(now),
    }
    .insert(db)
    .await
    .map_err(|e| on_unique(e, || CimetiereError::CodePris("zone", code)))
}

/// The zones of a cemetery, by code.
///
/// # Errors
/// [`CimetiereError::Introuvable`]; the database failed.
pub(crate) async fn zones<C: ConnectionTrait>(
    db: &C,
    collectivite_id: Uuid,
    cimetiere_id: Uuid,
) -> Result<Vec<zone::Model>, CimetiereError> {
    cimetiere(db, collectivite_id, cimetiere_id).await?;
    Ok(zone::Entity::find_in(collectivite_id)
        .filter(zone::Column::CimetiereId.eq(cimetiere_id))
        .order_by_asc(zone::Column::Code)
        .all(db)
        .await?)
}

/// The zone `id` of the collectivité.
///
/// # Errors
/// [`CimetiereError::Introuvable`].
pub(crate) async fn zone_de<C: ConnectionTrait>(
    db: &C,
    collectivite_id: Uuid,
    id: Uuid,
) -> Result<zone::Model, CimetiereError> {
    zone(db, collectivite_id, id)
        .await?
        .ok_or(CimetiereError::Introuvable("Zone"))
}

async fn zone<C: ConnectionTrait>(
    db: &C,
    collectivite_id: Uuid,
    id: Uuid,
) -> Result<Option<zone::Model>, DbErr> {
    zone::Entity::find_one_in(db, collectivite_id, id).await
}

/// Creates an allée in a zone.
///
/// # Errors
/// [`CimetiereError::Champs`], [`CimetiereError::Introuvable`], [`CimetiereError::CodePris`].
pub(crate) async fn creer_allee<C: ConnectionTrait>(
    db: &C,
    collectivite_id: Uuid,
    zone_id: Uuid,
    nouvelle: NouvelleAllee,
    now: DateTime<Utc>,
) -> Result<allee::Model, CimetiereError> {
    let mut erreurs = Vec::new();
    let code = code("code", &nouvelle.code, 30, &mut erreurs);
    let nom = nom(nouvelle.nom, &mut erreurs);
    refuser(erreurs)?;
    zone(db, collectivite_id, zone_id)
        .await?
        .ok_or(CimetiereError::Introuvable("Zone"))?;
    allee::ActiveModel {
        id: Set(Uuid::now_v7()),
        collectivite_id: Set(collectivite_id),
        zone_id: Set(zone_id),
        code: Set(code.clone()),
        nom: Set(nom),
        cree_le: Set(now),
    }
    .insert(db)
    .await
    .map_err(|e| on_unique(e, || CimetiereError::CodePris("allée", code)))
}

/// The allées of a zone, by code.
///
/// # Errors
/// [`CimetiereError::Introuvable`]; the database failed.
pub(crate) async fn allees<C: ConnectionTrait>(
    db: &C,
    collectivite_id: Uuid,
    zone_id: Uuid,
) -> Result<Vec<allee::Model>, CimetiereError> {
    zone(db, collectivite_id, zone_id)
        .await?
        .ok_or(CimetiereError::Introuvable("Zone"))?;
    Ok(allee::Entity::find_in(collectivite_id)
        .filter(allee::Column::ZoneId.eq(zone_id))
        .order_by_asc(allee::Column::Code)
        .all(db)
        .await?)
}

/// Creates an emplacement in a cemetery: its zone must be of that cemetery, its allée of that
/// zone; a grave of the terrain commun holds one coffin.
///
/// # Errors
/// [`CimetiereError::Champs`] naming each field at fault, [`CimetiereError::Introuvable`],
/// [`CimetiereError::CodePris`] for a number already used in the cemetery.
pub(crate) async fn creer_emplacement<C: ConnectionTrait>(
    db: &C,
    collectivite_id: Uuid,
    cimetiere_id: Uuid,
    nouvel: NouvelEmplacement,
    now: DateTime<Utc>,
) -> Result<emplacement::Model, CimetiereError> {
    cimetiere(db, collectivite_id, cimetiere_id).await?;
    let mut erreurs = Vec::new();
    let numero = code("numero", &nouvel.numero, 30, &mut erreurs);
    let places = nouvel.places.unwrap_or(1);
    if !(1..=PLACES_MAX).contains(&places) {
        erreurs.push(FieldError::new(
            "places",
            "intervalle",
            format!("de 1 à {PLACES_MAX}"),
        ));
    } else if nouvel.nature == NatureEmplacement::TerrainCommun && places != 1 {
        erreurs.push(FieldError::new(
            "places",
            "terrain-commun",
            "une sépulture en terrain commun ne reçoit qu'un cercueil : chaque inhumation a lieu dans une fosse séparée (CGCT, art. R2223-3)",
        ));
    }
    if nouvel
        .surface_m2
        .is_some_and(|s| !s.is_finite() || s <= 0.0 || s > 10_000.0)
    {
        erreurs.push(FieldError::new(
            "surface_m2",
            "intervalle",
            "une surface positive, en mètres carrés, de 10 000 au plus",
        ));
    }
    let geometrie = contour(nouvel.geometrie.as_ref(), &mut erreurs);
    match zone(db, collectivite_id, nouvel.zone_id).await? {
        Some(z) if z.cimetiere_id == cimetiere_id => {}
        Some(_) => erreurs.push(FieldError::new(
            "zone_id",
            "autre-cimetiere",
            "cette zone appartient à un autre cimetière",
        )),
        None => erreurs.push(FieldError::new(
            "zone_id",
            "inconnu",
            "aucune zone de la collectivité n'a cet identifiant",
        )),
    }
    if let Some(allee_id) = nouvel.allee_id {
        match allee::Entity::find_one_in(db, collectivite_id, allee_id).await? {
            Some(a) if a.zone_id == nouvel.zone_id => {}
            Some(_) => erreurs.push(FieldError::new(
                "allee_id",
                "autre-zone",
                "cette allée appartient à une autre zone",
            )),
            None => erreurs.push(FieldError::new(
                "allee_id",
                "inconnu",
                "aucune allée de la collectivité n'a cet identifiant",
            )),
        }
    }
    refuser(erreurs)?;
    emplacement::ActiveModel {
        id: Set(Uuid::now_v7()),
        collectivite_id: Set(collectivite_id),
        cimetiere_id: Set(cimetiere_id),
        zone_id: Set(nouvel.zone_id),
        allee_id: Set(nouvel.allee_id),
        numero: Set(numero.clone()),
        nature: Set(nouvel.nature.code().to_owned()),
        places: Set(places),
        surface_m2: Set(nouvel.surface_m2),
        geometrie: Set(geometrie),
        cree_le: Set(now),
    }
    .insert(db)
    .await
    .map_err(|e| on_unique(e, || CimetiereError::CodePris("emplacement", numero)))
}

/// Which emplacements a list shows.
#[derive(Debug, Clone, Default)]
pub(crate) struct FiltreEmplacements {
    /// Only those of this zone.
    pub(crate) zone_id: Option<Uuid>,
    /// Only those of this kind.
    pub(crate) nature: Option<NatureEmplacement>,
}

/// One page of a cemetery's emplacements, in creation order.
///
/// # Errors
/// [`CimetiereError::Introuvable`]; the database failed.
pub(crate) async fn page_emplacements<C: ConnectionTrait>(
    db: &C,
    collectivite_id: Uuid,
    cimetiere_id: Uuid,
    filtre: &FiltreEmplacements,
    params: &PageParams,
) -> Result<Page<emplacement::Model>, CimetiereError> {
    cimetiere(db, collectivite_id, cimetiere_id).await?;
    let mut select = emplacement::Entity::find_in(collectivite_id)
        .filter(emplacement::Column::CimetiereId.eq(cimetiere_id));
    if let Some(zone_id) = filtre.zone_id {
        select = select.filter(emplacement::Column::ZoneId.eq(zone_id));
    }
    if let Some(nature) = filtre.nature {
        select = select.filter(emplacement::Column::Nature.eq(nature.code()));
    }
    Ok(fetch_page(db, select, emplacement::Column::Id, |e| e.id, params).await?)
}

/// The plan of a cemetery as GeoJSON: its zones and its emplacements that have an outline,
/// each with its kind (`objet`: `zone` or `emplacement`).
///
/// # Errors
/// [`CimetiereError::Introuvable`]; the database failed.
pub(crate) async fn plan<C: ConnectionTrait>(
    db: &C,
    collectivite_id: Uuid,
    cimetiere_id: Uuid,
) -> Result<FeatureCollection, CimetiereError> {
    let zones = zones(db, collectivite_id, cimetiere_id).await?;
    let emplacements = emplacement::Entity::find_in(collectivite_id)
        .filter(emplacement::Column::CimetiereId.eq(cimetiere_id))
        .filter(emplacement::Column::Geometrie.is_not_null())
        .order_by_asc(emplacement::Column::Numero)
        .all(db)
        .await?;
    let codes: std::collections::HashMap<Uuid, &str> =
        zones.iter().map(|z| (z.id, z.code.as_str())).collect();
    // Outlines were checked and rounded when received: they are read back as they are.
    let zones = zones.iter().filter_map(|z| {
        entite_stockee(
            z.id.to_string(),
            z.geometrie.as_deref()?,
            proprietes(serde_json::json!({
                "objet": "zone",
                "code": z.code,
                "nom": z.nom,
            })),
        )
    });
    let emplacements = emplacements.iter().filter_map(|e| {
        entite_stockee(
            e.id.to_string(),
            e.geometrie.as_deref()?,
            proprietes(serde_json::json!({
                "objet": "emplacement",
                "numero": e.numero,
                "nature": e.nature,
                "places": e.places,
                "zone": codes.get(&e.zone_id),
            })),
        )
    });
    Ok(zones.chain(emplacements).collect())
}
