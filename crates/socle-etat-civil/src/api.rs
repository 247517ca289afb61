//! HTTP routes of `/api/v1/etat-civil`.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;
use socle::prelude::*;
use utoipa::ToSchema;
use utoipa_axum::routes;
use uuid::Uuid;

use crate::entity::{self, NatureRegistre};
use crate::service::{self, NouveauRegistre};

/// A register as the API shows it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub(crate) struct RegistreDto {
    /// Public identifier.
    id: Uuid,
    /// The year it covers.
    #[schema(example = 2026)]
    annee: i32,
    /// The kind of acts it holds.
    nature: NatureRegistre,
    /// The day it was opened.
    ouvert_le: NaiveDate,
    /// The day it was closed, once closed.
    clos_le: Option<NaiveDate>,
    /// When it was created.
    created_at: DateTime<Utc>,
}

impl From<entity::Model> for RegistreDto {
    fn from(m: entity::Model) -> Self {
        Self {
            id: m.id,
            annee: m.annee,
            nature: m.nature,
            ouvert_le: m.ouvert_le,
            clos_le: m.clos_le,
            created_at: m.created_at,
        }
    }
}

pub(crate) fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list, create))
        .routes(routes!(get_one))
}

/// List the registers of the collectivité.
#[utoipa::path(
    get,
    path = "/registres",
    tag = "etat-civil",
    security(("jeton" = ["etat-civil.registre.lire"])),
    params(PageParams, CollectiviteCourante),
    responses(
        (status = 200, description = "Une page de registres", body = Page<RegistreDto>),
        (status = 400, description = "Paramètre invalide", body = Problem, content_type = "application/problem+json"),
    )
)]
async fn list(
    State(state): State<AppState>,
    auth: Auth,
    collectivite: CollectiviteCourante,
    Query(params): Query<PageParams>,
) -> Result<Json<Page<RegistreDto>>, ApiError> {
    let select = entity::Entity::find_in(collectivite.id);
    let page = fetch_page(state.db(), select, entity::Column::Id, |m| m.id, &params).await?;
    socle::journal::liste(&state, &auth, "etat-civil.registre", page.items.len()).await?;
    Ok(Json(page.map(RegistreDto::from)))
}

/// Open a register.
#[utoipa::path(
    post,
    path = "/registres",
    tag = "etat-civil",
    security(("jeton" = ["etat-civil.registre.ouvrir"])),
    params(CollectiviteCourante),
    request_body = NouveauRegistre,
    responses(
        (status = 201, description = "Registre ouvert", body = RegistreDto),
        (status = 409, description = "Le registre de cette année et de cette nature est déjà ouvert", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Données invalides", body = Problem, content_type = "application/problem+json"),
    )
)]
async fn create(
    State(state): State<AppState>,
    auth: Auth,
    collectivite: CollectiviteCourante,
    ValidatedJson(new): ValidatedJson<NouveauRegistre>,
) -> Result<(StatusCode, Json<RegistreDto>), ApiError> {
    let mut txn = state.ecrire(&auth).await?;
    let created = service::open(
        &txn,
        collectivite.id,
        new,
        state.today(),
        state.clock().now(),
    )
    .await?;
    socle::journal::creation(&mut txn, "etat-civil.registre", created.id);
    txn.valider().await?;
    Ok((StatusCode::CREATED, Json(created.into())))
}

/// Read one register.
#[utoipa::path(
    get,
    path = "/registres/{id}",
    tag = "etat-civil",
    security(("jeton" = ["etat-civil.registre.lire"])),
    params(("id" = Uuid, Path, description = "Identifiant du registre"), CollectiviteCourante),
    responses(
        (status = 200, description = "Le registre", body = RegistreDto),
        (status = 404, description = "Aucun registre de la collectivité n'a cet identifiant", body = Problem, content_type = "application/problem+json"),
    )
)]
async fn get_one(
    State(state): State<AppState>,
    auth: Auth,
    collectivite: CollectiviteCourante,
    Path(id): Path<Uuid>,
) -> Result<Json<RegistreDto>, ApiError> {
    let found = entity::Entity::find_one_in(state.db(), collectivite.id, id)
        .await?
        .ok_or_else(|| ApiError::not_found("Registre"))?;
    socle::journal::lecture(&state, &auth, "etat-civil.registre", id).await?;
    Ok(Json(found.into()))
}
