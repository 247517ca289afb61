//! HTTP routes of the places: `/api/v1/cimetiere/cimetieres/{id}/zones`, `/zones/{id}/allees`,
//! `/cimetieres/{id}/emplacements`, `/emplacements/{id}` and the plan of a cemetery.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use socle::prelude::*;
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::routes;
use uuid::Uuid;

use super::entity::{allee, emplacement, zone};
use super::service::{
    self, FiltreEmplacements, NatureEmplacement, NouvelEmplacement, NouvelleAllee, NouvelleZone,
};
use crate::error::CimetiereError;

/// The kind of record of emplacements, in the journal and for documents attached to them.
pub(crate) const OBJET_EMPLACEMENT: &str = "cimetiere.emplacement";
const OBJET_ZONE: &str = "cimetiere.zone";
const OBJET_ALLEE: &str = "cimetiere.allee";

pub(crate) fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(lister_zones, creer_zone))
        .routes(routes!(lister_allees, creer_allee))
        .routes(routes!(lister_emplacements, creer_emplacement))
        .routes(routes!(lire_emplacement))
        .routes(routes!(plan))
}

fn json_geometrie(texte: Option<&str>) -> Option<serde_json::Value> {
    texte.and_then(|t| serde_json::from_str(t).ok())
}

/// A zone as the API shows it.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct ZoneDto {
    /// Identifier.
    id: Uuid,
    /// The cemetery.
    cimetiere_id: Uuid,
    /// Its code on the plan.
    code: String,
    /// Its name.
    nom: Option<String>,
    /// Its outline (GeoJSON, WGS84).
    geometrie: Option<serde_json::Value>,
    /// When it was created.
    cree_le: DateTime<Utc>,
}

impl From<zone::Model> for ZoneDto {
    fn from(z: zone::Model) -> Self {
        Self {
            id: z.id,
            cimetiere_id: z.cimetiere_id,
            geometrie: json_geometrie(z.geometrie.as_deref()),
            code: z.code,
            nom: z.nom,
            cree_le: z.cree_le,
        }
    }
}

/// An allée as the API shows it.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct AlleeDto {
    /// Identifier.
    id: Uuid,
    /// The zone.
    zone_id: Uuid,
    /// Its code.
    code: String,
    /// Its name.
    nom: Option<String>,
    /// When it was created.
    cree_le: DateTime<Utc>,
}

impl From<allee::Model> for AlleeDto {
    fn from(a: allee::Model) -> Self {
        Self {
            id: a.id,
            zone_id: a.zone_id,
            code: a.code,
            nom: a.nom,
            cree_le: a.cree_le,
        }
    }
}

/// An emplacement as the API shows it.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct EmplacementDto {
    /// Identifier.
    id: Uuid,
    /// The cemetery.
    cimetiere_id: Uuid,
    /// The zone.
    zone_id: Uuid,
    /// The allée.
    allee_id: Option<Uuid>,
    /// Its number on the plan.
    numero: String,
    /// Its kind.
    nature: Option<NatureEmplacement>,
    /// How many coffins or urns it holds.
    places: i32,
    /// Its surface in square metres.
    surface_m2: Option<f64>,
    /// Its outline (GeoJSON, WGS84).
    geometrie: Option<serde_json::Value>,
    /// When it was created.
    cree_le: DateTime<Utc>,
}

impl From<emplacement::Model> for EmplacementDto {
    fn from(e: emplacement::Model) -> Self {
        Self {
            id: e.id,
            cimetiere_id: e.cimetiere_id,
            zone_id: e.zone_id,
            allee_id: e.allee_id,
            nature: NatureEmplacement::lire(&e.nature),
            geometrie: json_geometrie(e.geometrie.as_deref()),
            numero: e.numero,
            places: e.places,
            surface_m2: e.surface_m2,
            cree_le: e.cree_le,
        }
    }
}

/// The zones (carrés) of a cemetery, by code.
#[utoipa::path(
    get,
    path = "/cimetieres/{id}/zones",
    tag = "cimetiere",
    security(("jeton" = ["cimetiere.emplacement.lire"])),
    params(("id" = Uuid, Path, description = "Identifiant du cimetière"), CollectiviteCourante),
    responses(
        (status = 200, description = "Les zones du cimetière", body = [ZoneDto]),
        (status = 404, description = "Cimetière introuvable", body = Problem, content_type = "application/problem+json"),
    )
)]
async fn lister_zones(
    State(state): State<AppState>,
    auth: Auth,
    collectivite: CollectiviteCourante,
    Path(id): Path<Uuid>,
) -> Result<Json<Vec<ZoneDto>>, ApiError> {
    let zones = service::zones(state.db(), collectivite.id, id).await?;
    socle::journal::liste(&state, &auth, OBJET_ZONE, zones.len()).await?;
    Ok(Json(zones.into_iter().map(ZoneDto::from).collect()))
}

/// Create a zone (carré) in a cemetery, with its outline on the plan if known.
#[utoipa::path(
    post,
    path = "/cimetieres/{id}/zones",
    tag = "cimetiere",
    security(("jeton" = ["cimetiere.emplacement.gerer"])),
    params(("id" = Uuid, Path, description = "Identifiant du cimetière"), CollectiviteCourante),
    request_body = NouvelleZone,
    responses(
        (status = 201, description = "Zone créée", body = ZoneDto),
        (status = 404, description = "Cimetière introuvable", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Code déjà pris dans ce cimetière", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Code ou contour invalide", body = Problem, content_type = "application/problem+json"),
    )
)]
async fn creer_zone(
    State(state): State<AppState>,
    auth: Auth,
    collectivite: CollectiviteCourante,
    Path(id): Path<Uuid>,
    CorpsJson(corps): CorpsJson,
) -> Result<(StatusCode, Json<ZoneDto>), ApiError> {
    // The place named in the path first: another collectivité's id is a 404, whatever the body.
    service::cimetiere(state.db(), collectivite.id, id).await?;
    let nouvelle: NouvelleZone = parse_json(&corps)?;
    let mut txn = state.ecrire(&auth).await?;
    let zone =
        service::creer_zone(&*txn, collectivite.id, id, nouvelle, state.clock().now()).await?;
    socle::journal::creation(&mut txn, OBJET_ZONE, zone.id);
    txn.valider().await?;
    Ok((StatusCode::CREATED, Json(zone.into())))
}

/// The allées of a zone, by code.
#[utoipa::path(
    get,
    path = "/zones/{id}/allees",
    tag = "cimetiere",
    security(("jeton" = ["cimetiere.emplacement.lire"])),
    params(("id" = Uuid, Path, description = "Identifiant de la zone"), CollectiviteCourante),
    responses(
        (status = 200, description = "Les allées de la zone", body = [AlleeDto]),
        (status = 404, description = "Zone introuvable", body = Problem, content_type = "application/problem+json"),
    )
)]
async fn lister_allees(
    State(state): State<AppState>,
    auth: Auth,
    collectivite: CollectiviteCourante,
    Path(id): Path<Uuid>,
) -> Result<Json<Vec<AlleeDto>>, ApiError> {
    let allees = service::allees(state.db(), collectivite.id, id).await?;
    socle::journal::liste(&state, &auth, OBJET_ALLEE, allees.len()).await?;
    Ok(Json(allees.into_iter().map(AlleeDto::from).collect()))
}

/// Create an allée in a zone.
#[utoipa::path(
    post,
    path = "/zones/{id}/allees",
    tag = "cimetiere",
    security(("jeton" = ["cimetiere.emplacement.gerer"])),
    params(("id" = Uuid, Path, description = "Identifiant de la zone"), CollectiviteCourante),
    request_body = NouvelleAllee,
    responses(
        (status = 201, description = "Allée créée", body = AlleeDto),
        (status = 404, description = "Zone introuvable", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Code déjà pris dans cette zone", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Code invalide", body = Problem, content_type = "application/problem+json"),
    )
)]
async fn creer_allee(
    State(state): State<AppState>,
    auth: Auth,
    collectivite: CollectiviteCourante,
    Path(id): Path<Uuid>,
    CorpsJson(corps): CorpsJson,
) -> Result<(StatusCode, Json<AlleeDto>), ApiError> {
    // The place named in the path first: another collectivité's id is a 404, whatever the body.
    service::zone_de(state.db(), collectivite.id, id).await?;
    let nouvelle: NouvelleAllee = parse_json(&corps)?;
    let mut txn = state.ecrire(&auth).await?;
    let allee =
        service::creer_allee(&*txn, collectivite.id, id, nouvelle, state.clock().now()).await?;
    socle::journal::creation(&mut txn, OBJET_ALLEE, allee.id);
    txn.valider().await?;
    Ok((StatusCode::CREATED, Json(allee.into())))
}

/// Which emplacements.
#[derive(Debug, Deserialize, validator::Validate, IntoParams)]
#[into_params(parameter_in = Query)]
pub(crate) struct FiltreDto {
    /// Only those of this zone.
    zone_id: Option<Uuid>,
    /// Only those of this kind.
    nature: Option<NatureEmplacement>,
    /// How many at most (1 to 500, 50 by default).
    #[validate(range(min = 1, max = 500))]
    limit: Option<u64>,
    /// The `next_cursor` of the previous page.
    cursor: Option<Uuid>,
}

/// The emplacements of a cemetery, in creation order; by zone or kind.
#[utoipa::path(
    get,
    path = "/cimetieres/{id}/emplacements",
    tag = "cimetiere",
    security(("jeton" = ["cimetiere.emplacement.lire"])),
    params(("id" = Uuid, Path, description = "Identifiant du cimetière"), FiltreDto, CollectiviteCourante),
    responses(
        (status = 200, description = "Une page d'emplacements", body = Page<EmplacementDto>),
        (status = 400, description = "Paramètre invalide", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "Cimetière introuvable", body = Problem, content_type = "application/problem+json"),
    )
)]
async fn lister_emplacements(
    State(state): State<AppState>,
    auth: Auth,
    collectivite: CollectiviteCourante,
    Path(id): Path<Uuid>,
    Query(filtre): Query<FiltreDto>,
) -> Result<Json<Page<EmplacementDto>>, ApiError> {
    let params = PageParams {
        limit: filtre.limit,
        cursor: filtre.cursor,
    };
    let page = service::page_emplacements(
        state.db(),
        collectivite.id,
        id,
        &FiltreEmplacements {
            zone_id: filtre.zone_id,
            nature: filtre.nature,
        },
        &params,
    )
    .await?;
    socle::journal::liste(&state, &auth, OBJET_EMPLACEMENT, page.items.len()).await?;
    Ok(Json(page.map(EmplacementDto::from)))
}

/// Create an emplacement in a cemetery: its zone, its allée, its number, kind, places,
/// surface and outline.
#[utoipa::path(
    post,
    path = "/cimetieres/{id}/emplacements",
    tag = "cimetiere",
    security(("jeton" = ["cimetiere.emplacement.gerer"])),
    params(("id" = Uuid, Path, description = "Identifiant du cimetière"), CollectiviteCourante),
    request_body = NouvelEmplacement,
    responses(
        (status = 201, description = "Emplacement créé", body = EmplacementDto),
        (status = 404, description = "Cimetière introuvable", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Numéro déjà pris dans ce cimetière", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Champs invalides (zone d'un autre cimetière, places, contour…)", body = Problem, content_type = "application/problem+json"),
    )
)]
async fn creer_emplacement(
    State(state): State<AppState>,
    auth: Auth,
    collectivite: CollectiviteCourante,
    Path(id): Path<Uuid>,
    CorpsJson(corps): CorpsJson,
) -> Result<(StatusCode, Json<EmplacementDto>), ApiError> {
    // The place named in the path first: another collectivité's id is a 404, whatever the body.
    service::cimetiere(state.db(), collectivite.id, id).await?;
    let nouvel: NouvelEmplacement = parse_json(&corps)?;
    let mut txn = state.ecrire(&auth).await?;
    let cree =
        service::creer_emplacement(&*txn, collectivite.id, id, nouvel, state.clock().now()).await?;
    socle::journal::creation(&mut txn, OBJET_EMPLACEMENT, cree.id);
    txn.valider().await?;
    Ok((StatusCode::CREATED, Json(cree.into())))
}

/// One emplacement. Its photos and documents are in the GED, attached to
/// `cimetiere/emplacement/{id}`.
#[utoipa::path(
    get,
    path = "/emplacements/{id}",
    tag = "cimetiere",
    security(("jeton" = ["cimetiere.emplacement.lire"])),
    params(("id" = Uuid, Path, description = "Identifiant de l'emplacement"), CollectiviteCourante),
    responses(
        (status = 200, description = "L'emplacement", body = EmplacementDto),
        (status = 404, description = "Emplacement introuvable", body = Problem, content_type = "application/problem+json"),
    )
)]
async fn lire_emplacement(
    State(state): State<AppState>,
    auth: Auth,
    collectivite: CollectiviteCourante,
    Path(id): Path<Uuid>,
) -> Result<Json<EmplacementDto>, ApiError> {
    let trouve = emplacement::Entity::find_one_in(state.db(), collectivite.id, id)
        .await?
        .ok_or(CimetiereError::Introuvable("Emplacement"))?;
    socle::journal::lecture(&state, &auth, OBJET_EMPLACEMENT, id).await?;
    Ok(Json(trouve.into()))
}

/// The plan of a cemetery (GeoJSON, WGS84): its zones and its emplacements that have an
/// outline, with their number, kind and places.
#[utoipa::path(
    get,
    path = "/cimetieres/{id}/plan",
    tag = "cimetiere",
    security(("jeton" = ["cimetiere.emplacement.lire"])),
    params(("id" = Uuid, Path, description = "Identifiant du cimetière"), CollectiviteCourante),
    responses(
        (status = 200, description = "Le plan du cimetière", content_type = "application/geo+json"),
        (status = 404, description = "Cimetière introuvable", body = Problem, content_type = "application/problem+json"),
    )
)]
async fn plan(
    State(state): State<AppState>,
    collectivite: CollectiviteCourante,
    Path(id): Path<Uuid>,
) -> Result<Response, ApiError> {
    let plan = service::plan(state.db(), collectivite.id, id).await?;
    Ok(socle::sig::geojson::reponse(&plan))
}
