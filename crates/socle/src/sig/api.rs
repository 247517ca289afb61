//! HTTP routes of `/api/v1/sig`.

use axum::Json;
use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Utc};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;
use validator::Validate;

use super::OBJET_ZONE;
use super::entity::{adresse, zone};
use super::geojson::{collection, proprietes, reponse};
use super::geometrie::{Point, lambert93_vers_wgs84, wgs84_valide};
use super::service::{self, NouvelleZone, ZoneInvalide};
use crate::collectivite::{CollectiviteCourante, TenantScoped};
use crate::droits::Auth;
use crate::http::{ApiError, AppState, CorpsJson, Path, Problem, Query};
use crate::journal::{self, Evenement};

pub(super) fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(adresses))
        .routes(routes!(carte_adresses))
        .routes(routes!(lire_adresse))
        .routes(routes!(zones, creer_zone))
        .routes(routes!(rechercher_zones))
        .routes(routes!(lire_zone, supprimer_zone))
}

/// An address of the Base Adresse Nationale.
#[derive(Debug, Serialize, ToSchema)]
pub(super) struct AdresseDto {
    /// Identifier.
    id: Uuid,
    /// BAN key, to keep in a module's records (the `ban_id` of a usager's address).
    #[schema(example = "54084_b114_00016_b")]
    cle_interop: String,
    /// Street line: number, suffix, street.
    #[schema(example = "16 b Bonvillers Village")]
    libelle: String,
    /// Number (`99999` for a place without a number).
    numero: i32,
    /// Suffix (`bis`, `ter`, `a`…).
    suffixe: Option<String>,
    /// Street.
    voie_nom: String,
    /// Lieu-dit complementing the street.
    lieudit: Option<String>,
    /// COG code of the commune.
    commune_insee: String,
    /// Name of the commune.
    commune_nom: Option<String>,
    /// Postcode, when the imported file gave it.
    code_postal: Option<String>,
    /// Kind of position (`entrée`, `segment`…).
    position: Option<String>,
    /// WGS84 longitude.
    lon: f64,
    /// WGS84 latitude.
    lat: f64,
    /// Lambert-93 easting (mainland France).
    x: Option<f64>,
    /// Lambert-93 northing (mainland France).
    y: Option<f64>,
}

impl From<adresse::Model> for AdresseDto {
    fn from(m: adresse::Model) -> Self {
        Self {
            id: m.id,
            cle_interop: m.cle_interop,
            libelle: m.libelle,
            numero: m.numero,
            suffixe: m.suffixe,
            voie_nom: m.voie_nom,
            lieudit: m.lieudit,
            commune_insee: m.commune_insee,
            commune_nom: m.commune_nom,
            code_postal: m.code_postal,
            position: m.position,
            lon: m.lon,
            lat: m.lat,
            x: m.x,
            y: m.y,
        }
    }
}

/// A page of addresses.
#[derive(Debug, Serialize, ToSchema)]
pub(super) struct PageAdresses {
    /// The addresses.
    items: Vec<AdresseDto>,
    /// Without `q`: pass it as `cursor` for the next page; absent on the last page.
    next_cursor: Option<Uuid>,
}

/// Search or list the addresses.
#[derive(Debug, Default, Deserialize, Validate, IntoParams)]
#[into_params(parameter_in = Query)]
pub(super) struct FiltreAdresses {
    /// What the agent types: a number then words of the street, lieu-dit or commune, whatever
    /// the accents and case (`16 bonvillers`, `16b bonv`, `rue joffre`). Without it, every
    /// address, page by page.
    #[validate(length(max = 200))]
    q: Option<String>,
    /// Only this commune (COG code), in a collectivité of several.
    #[validate(length(equal = 5))]
    commune: Option<String>,
    /// How many at most (1 to 500; 20 by default).
    #[validate(range(min = 1, max = 500))]
    limit: Option<u64>,
    /// Without `q`: the `next_cursor` of the previous page.
    cursor: Option<Uuid>,
}

/// The addresses `filtre` asks for, and the cursor of the next page.
async fn chercher(
    state: &AppState,
    collectivite_id: Uuid,
    filtre: &FiltreAdresses,
    limite: u64,
) -> Result<(Vec<adresse::Model>, Option<Uuid>), ApiError> {
    let commune = filtre.commune.as_ref().map(|c| c.to_ascii_uppercase());
    if let Some(q) = filtre.q.as_deref().filter(|q| !q.trim().is_empty()) {
        let mut trouvees = service::rechercher_adresses(
            state.db(),
            collectivite_id,
            q,
            if commune.is_some() {
                limite * 10
            } else {
                limite
            },
        )
        .await?;
        if let Some(commune) = &commune {
            trouvees.retain(|a| &a.commune_insee == commune);
            trouvees.truncate(usize::try_from(limite).unwrap_or(usize::MAX));
        }
        return Ok((trouvees, None));
    }
    let mut select = adresse::Entity::find_in(collectivite_id).order_by_asc(adresse::Column::Id);
    if let Some(commune) = commune {
        select = select.filter(adresse::Column::CommuneInsee.eq(commune));
    }
    if let Some(cursor) = filtre.cursor {
        select = select.filter(adresse::Column::Id.gt(cursor));
    }
    let mut lignes = select.limit(limite + 1).all(state.db()).await?;
    let suivant = if lignes.len() as u64 > limite {
        lignes.truncate(usize::try_from(limite).unwrap_or(usize::MAX));
        lignes.last().map(|a| a.id)
    } else {
        None
    };
    Ok((lignes, suivant))
}

/// Search addresses (autocomplete) or list them. Addresses are public data: reads are not
/// journaled.
#[utoipa::path(
    get,
    path = "/adresses",
    tag = "sig",
    security(("jeton" = ["sig.adresse.lire"])),
    params(FiltreAdresses, CollectiviteCourante),
    responses(
        (status = 200, description = "Les adresses trouvées, les plus proches de la saisie d'abord", body = PageAdresses),
        (status = 400, description = "Paramètre invalide", body = Problem, content_type = "application/problem+json"),
    )
)]
async fn adresses(
    State(state): State<AppState>,
    collectivite: CollectiviteCourante,
    Query(filtre): Query<FiltreAdresses>,
) -> Result<Json<PageAdresses>, ApiError> {
    let limite = filtre.limit.unwrap_or(20);
    let (lignes, next_cursor) = chercher(&state, collectivite.id, &filtre, limite).await?;
    Ok(Json(PageAdresses {
        items: lignes.into_iter().map(AdresseDto::from).collect(),
        next_cursor,
    }))
}

/// Map of the addresses.
#[derive(Debug, Default, Deserialize, Validate, IntoParams)]
#[into_params(parameter_in = Query)]
pub(super) struct FiltreCarte {
    /// As for the list: a number then words (`rue joffre`); without it, every address.
    #[validate(length(max = 200))]
    q: Option<String>,
    /// Only this commune (COG code).
    #[validate(length(equal = 5))]
    commune: Option<String>,
    /// How many at most (1 to 10,000; 5,000 by default).
    #[validate(range(min = 1, max = 10000))]
    limit: Option<u64>,
    /// Without `q`: the `next_cursor` member of the previous collection.
    cursor: Option<Uuid>,
}

/// The addresses as a GeoJSON `FeatureCollection` (RFC 7946: WGS84, longitude then latitude),
/// one `Point` per address. Without `q`, a collection holds `limit` addresses; a
/// `next_cursor` member gives the next one.
#[utoipa::path(
    get,
    path = "/adresses.geojson",
    tag = "sig",
    security(("jeton" = ["sig.adresse.lire"])),
    params(FiltreCarte, CollectiviteCourante),
    responses(
        (status = 200, description = "FeatureCollection GeoJSON des adresses", body = serde_json::Value, content_type = "application/geo+json"),
        (status = 400, description = "Paramètre invalide", body = Problem, content_type = "application/problem+json"),
    )
)]
async fn carte_adresses(
    State(state): State<AppState>,
    collectivite: CollectiviteCourante,
    Query(filtre): Query<FiltreCarte>,
) -> Result<Response, ApiError> {
    let limite = filtre.limit.unwrap_or(5000);
    let filtre = FiltreAdresses {
        q: filtre.q,
        commune: filtre.commune,
        limit: None,
        cursor: filtre.cursor,
    };
    let (lignes, suivant) = chercher(&state, collectivite.id, &filtre, limite).await?;
    let mut carte = collection(lignes.into_iter().map(|a| {
        let point = Point::new(a.lon, a.lat).into();
        let props = proprietes(serde_json::json!({
            "cle_interop": a.cle_interop,
            "libelle": a.libelle,
            "numero": a.numero,
            "suffixe": a.suffixe,
            "voie_nom": a.voie_nom,
            "lieudit": a.lieudit,
            "commune_insee": a.commune_insee,
            "commune_nom": a.commune_nom,
            "code_postal": a.code_postal,
            "position": a.position,
        }));
        (a.id.to_string(), point, props)
    }));
    if let Some(suivant) = suivant {
        carte.foreign_members = Some(proprietes(
            serde_json::json!({"next_cursor": suivant.to_string()}),
        ));
    }
    Ok(reponse(&carte))
}

/// Read one address, by its id or its BAN key (`cle_interop`).
#[utoipa::path(
    get,
    path = "/adresses/{id}",
    tag = "sig",
    security(("jeton" = ["sig.adresse.lire"])),
    params(("id" = String, Path, description = "Identifiant de l'adresse, ou sa clé BAN (cle_interop, ex. 54084_0200_00001)"), CollectiviteCourante),
    responses(
        (status = 200, description = "L'adresse", body = AdresseDto),
        (status = 404, description = "Aucune adresse de la collectivité n'a cet identifiant ni cette clé", body = Problem, content_type = "application/problem+json"),
    )
)]
async fn lire_adresse(
    State(state): State<AppState>,
    collectivite: CollectiviteCourante,
    Path(id): Path<String>,
) -> Result<Json<AdresseDto>, ApiError> {
    service::adresse(state.db(), collectivite.id, &id)
        .await?
        .map(|a| Json(a.into()))
        .ok_or_else(|| ApiError::not_found(&format!("Adresse « {id} »")))
}

/// An area as the API shows it.
#[derive(Debug, Serialize, ToSchema)]
pub(super) struct ZoneDto {
    /// Identifier.
    id: Uuid,
    /// Kind of area.
    nature: String,
    /// The module's record it belongs to.
    reference: String,
    /// Name.
    nom: String,
    /// GeoJSON geometry (WGS84).
    #[schema(value_type = Object)]
    geometrie: serde_json::Value,
    /// When it was recorded.
    cree_le: DateTime<Utc>,
}

impl From<zone::Model> for ZoneDto {
    fn from(z: zone::Model) -> Self {
        Self {
            geometrie: serde_json::from_str(&z.geometrie).unwrap_or(serde_json::Value::Null),
            id: z.id,
            nature: z.nature,
            reference: z.reference,
            nom: z.nom,
            cree_le: z.cree_le,
        }
    }
}

/// An area, without its geometry.
#[derive(Debug, Serialize, ToSchema)]
pub(super) struct ZoneResume {
    /// Identifier.
    id: Uuid,
    /// Kind of area.
    nature: String,
    /// The module's record it belongs to.
    reference: String,
    /// Name.
    nom: String,
}

impl From<zone::Model> for ZoneResume {
    fn from(z: zone::Model) -> Self {
        Self {
            id: z.id,
            nature: z.nature,
            reference: z.reference,
            nom: z.nom,
        }
    }
}

/// Filters of the areas' map.
#[derive(Debug, Default, Deserialize, Validate, IntoParams)]
#[into_params(parameter_in = Query)]
pub(super) struct FiltreZones {
    /// Only this kind (`bureau_de_vote`).
    #[validate(length(max = 50))]
    nature: Option<String>,
    /// Only the area of this record.
    #[validate(length(max = 100))]
    reference: Option<String>,
}

/// The areas as a GeoJSON `FeatureCollection` (WGS84): one feature per area, with its `nature`,
/// `reference` and `nom`.
#[utoipa::path(
    get,
    path = "/zones",
    tag = "sig",
    security(("jeton" = ["sig.zone.lire"])),
    params(FiltreZones, CollectiviteCourante),
    responses(
        (status = 200, description = "FeatureCollection GeoJSON des zones", body = serde_json::Value, content_type = "application/geo+json"),
    )
)]
async fn zones(
    State(state): State<AppState>,
    collectivite: CollectiviteCourante,
    Query(filtre): Query<FiltreZones>,
) -> Result<Response, ApiError> {
    let mut select = zone::Entity::find_in(collectivite.id);
    if let Some(nature) = &filtre.nature {
        select = select.filter(zone::Column::Nature.eq(nature.as_str()));
    }
    if let Some(reference) = &filtre.reference {
        select = select.filter(zone::Column::Reference.eq(reference.as_str()));
    }
    let lignes = select
        .order_by_asc(zone::Column::Nature)
        .order_by_asc(zone::Column::Nom)
        .order_by_asc(zone::Column::Id)
        .all(state.db())
        .await?;
    let carte = collection(lignes.into_iter().filter_map(|z| {
        let geometrie = service::geometrie(&z).ok()?;
        let props = proprietes(serde_json::json!({
            "nature": z.nature,
            "reference": z.reference,
            "nom": z.nom,
        }));
        Some((z.id.to_string(), geometrie, props))
    }));
    Ok(reponse(&carte))
}

/// Record an area: a polygon or multi-polygon tied to a module's record (a bureau de vote, a
/// school sector…). Coordinates in WGS84 by default, or Lambert-93 with `"systeme":
/// "lambert93"`; stored in WGS84. One area per kind and record.
#[utoipa::path(
    post,
    path = "/zones",
    tag = "sig",
    security(("jeton" = ["sig.zone.gerer"])),
    params(CollectiviteCourante),
    request_body = NouvelleZone,
    responses(
        (status = 201, description = "Zone enregistrée", body = ZoneDto, headers(("Location" = String, description = "Adresse de la zone"))),
        (status = 409, description = "Une zone de cette nature existe déjà pour cette référence", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Données invalides (géométrie comprise)", body = Problem, content_type = "application/problem+json"),
    )
)]
async fn creer_zone(
    State(state): State<AppState>,
    auth: Auth,
    collectivite: CollectiviteCourante,
    CorpsJson(corps): CorpsJson,
) -> Result<Response, ApiError> {
    let nouvelle: NouvelleZone = crate::http::parse_json(&corps)?;
    let (nature, reference) = (nouvelle.nature.clone(), nouvelle.reference.clone());
    let now = state.clock().now();
    let mut txn = state.ecrire(&auth).await?;
    let creee = match service::creer_zone(&*txn, collectivite.id, nouvelle, now).await {
        Ok(zone) => zone,
        Err(ZoneInvalide::Champs(erreurs)) => return Err(ApiError::validation(erreurs)),
        Err(ZoneInvalide::Db(err)) if crate::db::is_unique_violation(&err) => {
            return Err(ApiError::conflict(
                "zone-existante",
                format!(
                    "Une zone « {} » existe déjà pour la référence « {} » : supprimez-la avant d'en enregistrer une autre.",
                    nature.trim(),
                    reference.trim()
                ),
            ));
        }
        Err(ZoneInvalide::Db(err)) => return Err(err.into()),
    };
    journal::creation(&mut txn, OBJET_ZONE, creee.id);
    txn.valider().await?;
    let id = creee.id;
    let mut response = (StatusCode::CREATED, Json(ZoneDto::from(creee))).into_response();
    if let Ok(location) = HeaderValue::from_str(&format!("/api/v1/sig/zones/{id}")) {
        response.headers_mut().insert(header::LOCATION, location);
    }
    Ok(response)
}

async fn trouver_zone(
    state: &AppState,
    collectivite_id: Uuid,
    id: Uuid,
) -> Result<zone::Model, ApiError> {
    zone::Entity::find_in(collectivite_id)
        .filter(zone::Column::Id.eq(id))
        .one(state.db())
        .await?
        .ok_or_else(|| ApiError::not_found("Zone"))
}

/// Read one area, with its geometry.
#[utoipa::path(
    get,
    path = "/zones/{id}",
    tag = "sig",
    security(("jeton" = ["sig.zone.lire"])),
    params(("id" = Uuid, Path, description = "Identifiant de la zone"), CollectiviteCourante),
    responses(
        (status = 200, description = "La zone", body = ZoneDto),
        (status = 404, description = "Aucune zone de la collectivité n'a cet identifiant", body = Problem, content_type = "application/problem+json"),
    )
)]
async fn lire_zone(
    State(state): State<AppState>,
    collectivite: CollectiviteCourante,
    Path(id): Path<Uuid>,
) -> Result<Json<ZoneDto>, ApiError> {
    Ok(Json(
        trouver_zone(&state, collectivite.id, id).await?.into(),
    ))
}

/// Delete an area (to record a new outline, delete the old one first).
#[utoipa::path(
    delete,
    path = "/zones/{id}",
    tag = "sig",
    security(("jeton" = ["sig.zone.gerer"])),
    params(("id" = Uuid, Path, description = "Identifiant de la zone"), CollectiviteCourante),
    responses(
        (status = 204, description = "Zone supprimée"),
        (status = 404, description = "Aucune zone de la collectivité n'a cet identifiant", body = Problem, content_type = "application/problem+json"),
    )
)]
async fn supprimer_zone(
    State(state): State<AppState>,
    auth: Auth,
    collectivite: CollectiviteCourante,
    Path(id): Path<Uuid>,
) -> Result<StatusCode, ApiError> {
    let mut txn = state.ecrire(&auth).await?;
    let supprimees = zone::Entity::delete_many()
        .filter(zone::Column::CollectiviteId.eq(collectivite.id))
        .filter(zone::Column::Id.eq(id))
        .exec(&*txn)
        .await?;
    if supprimees.rows_affected == 0 {
        return Err(ApiError::not_found("Zone"));
    }
    journal::consigner(
        &mut txn,
        Evenement::par(&auth, "suppression", OBJET_ZONE, id),
    );
    txn.valider().await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Which point to look up: `lon` and `lat`, `x` and `y`, or `adresse`.
#[derive(Debug, Default, Deserialize, Validate, IntoParams)]
#[into_params(parameter_in = Query)]
pub(super) struct Localisation {
    /// WGS84 longitude (with `lat`).
    lon: Option<f64>,
    /// WGS84 latitude (with `lon`).
    lat: Option<f64>,
    /// Lambert-93 easting in metres (with `y`).
    x: Option<f64>,
    /// Lambert-93 northing in metres (with `x`).
    y: Option<f64>,
    /// An address: its id or its BAN key (`cle_interop`).
    #[validate(length(max = 60))]
    adresse: Option<String>,
    /// Only areas of this kind (`bureau_de_vote`).
    #[validate(length(max = 50))]
    nature: Option<String>,
}

/// A WGS84 point.
#[derive(Debug, Serialize, ToSchema)]
pub(super) struct PointDto {
    /// Longitude.
    lon: f64,
    /// Latitude.
    lat: f64,
}

/// The areas that contain a point.
#[derive(Debug, Serialize, ToSchema)]
pub(super) struct ZonesDuPoint {
    /// The point looked up, in WGS84.
    point: PointDto,
    /// The address, when the point was given by one.
    adresse: Option<AdresseDto>,
    /// The areas that contain it (its border included), by kind then name.
    zones: Vec<ZoneResume>,
}

fn localisation_invalide() -> ApiError {
    ApiError::bad_request(
        "parametre-invalide",
        "Donnez le point par lon et lat (WGS84), par x et y (Lambert-93), ou par adresse (identifiant ou clé BAN), et d'une seule façon.",
    )
}

/// Which areas contain a point: e.g. which bureau de vote covers an address
/// (`?adresse=54084_0200_00001&nature=bureau_de_vote`).
#[utoipa::path(
    get,
    path = "/zones/recherche",
    tag = "sig",
    security(("jeton" = ["sig.zone.lire"])),
    params(Localisation, CollectiviteCourante),
    responses(
        (status = 200, description = "Les zones qui contiennent le point", body = ZonesDuPoint),
        (status = 400, description = "Point absent, donné de plusieurs façons, ou hors du domaine", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "Adresse inconnue", body = Problem, content_type = "application/problem+json"),
    )
)]
async fn rechercher_zones(
    State(state): State<AppState>,
    collectivite: CollectiviteCourante,
    Query(loc): Query<Localisation>,
) -> Result<Json<ZonesDuPoint>, ApiError> {
    let (lon, lat, adresse) = match (loc.lon, loc.lat, loc.x, loc.y, &loc.adresse) {
        (Some(lon), Some(lat), None, None, None) if wgs84_valide(lon, lat) => (lon, lat, None),
        (None, None, Some(x), Some(y), None) => {
            let (lon, lat) = lambert93_vers_wgs84(x, y)
                .map_err(|e| ApiError::bad_request("parametre-invalide", format!("x, y : {e}.")))?;
            (lon, lat, None)
        }
        (None, None, None, None, Some(id)) => {
            let trouvee = service::adresse(state.db(), collectivite.id, id)
                .await?
                .ok_or_else(|| ApiError::not_found(&format!("Adresse « {id} »")))?;
            (trouvee.lon, trouvee.lat, Some(trouvee))
        }
        _ => return Err(localisation_invalide()),
    };
    let trouvees =
        service::zones_contenant(state.db(), collectivite.id, lon, lat, loc.nature.as_deref())
            .await?;
    Ok(Json(ZonesDuPoint {
        point: PointDto { lon, lat },
        adresse: adresse.map(AdresseDto::from),
        zones: trouvees.into_iter().map(ZoneResume::from).collect(),
    }))
}
