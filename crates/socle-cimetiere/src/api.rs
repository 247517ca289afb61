//! HTTP routes of `/api/v1/cimetiere`.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use chrono::{DateTime, Utc};
use serde::Serialize;
use socle::prelude::*;
use utoipa::ToSchema;
use utoipa_axum::routes;
use uuid::Uuid;

use crate::entity;
use crate::service::{self, NouveauCimetiere};

/// A cemetery as the API shows it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub(crate) struct CimetiereDto {
    /// Public identifier.
    id: Uuid,
    /// Name.
    #[schema(example = "Cimetière communal")]
    nom: String,
    /// Postal address.
    adresse: Option<String>,
    /// When it was created.
    created_at: DateTime<Utc>,
}

impl From<entity::Model> for CimetiereDto {
    fn from(m: entity::Model) -> Self {
        Self {
            id: m.id,
            nom: m.nom,
            adresse: m.adresse,
            created_at: m.created_at,
        }
    }
}

pub(crate) fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list, create))
        .routes(routes!(get_one))
}

/// List the cemeteries of the collectivité.
#[utoipa::path(
    get,
    path = "/cimetieres",
    tag = "cimetiere",
    security(("jeton" = ["cimetiere.cimetiere.lire"])),
    params(PageParams, CollectiviteCourante),
    responses(
        (status = 200, description = "Une page de cimetières", body = Page<CimetiereDto>),
        (status = 400, description = "Paramètre invalide", body = Problem, content_type = "application/problem+json"),
    )
)]
async fn list(
    State(state): State<AppState>,
    auth: Auth,
    collectivite: CollectiviteCourante,
    Query(params): Query<PageParams>,
) -> Result<Json<Page<CimetiereDto>>, ApiError> {
    let select = entity::Entity::find_in(collectivite.id);
    let page = fetch_page(state.db(), select, entity::Column::Id, |m| m.id, &params).await?;
    socle::journal::liste(&state, &auth, "cimetiere.cimetiere", page.items.len()).await?;
    Ok(Json(page.map(CimetiereDto::from)))
}

/// Create a cemetery.
#[utoipa::path(
    post,
    path = "/cimetieres",
    tag = "cimetiere",
    security(("jeton" = ["cimetiere.cimetiere.creer"])),
    params(CollectiviteCourante),
    request_body = NouveauCimetiere,
    responses(
        (status = 201, description = "Cimetière créé", body = CimetiereDto),
        (status = 409, description = "Un cimetière porte déjà ce nom", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Données invalides", body = Problem, content_type = "application/problem+json"),
    )
)]
async fn create(
    State(state): State<AppState>,
    auth: Auth,
    collectivite: CollectiviteCourante,
    ValidatedJson(new): ValidatedJson<NouveauCimetiere>,
) -> Result<(StatusCode, Json<CimetiereDto>), ApiError> {
    let mut txn = state.ecrire(&auth).await?;
    let created = service::create(&txn, collectivite.id, new, state.clock().now()).await?;
    socle::journal::creation(&mut txn, "cimetiere.cimetiere", created.id);
    txn.valider().await?;
    Ok((StatusCode::CREATED, Json(created.into())))
}

/// Read one cemetery.
#[utoipa::path(
    get,
    path = "/cimetieres/{id}",
    tag = "cimetiere",
    security(("jeton" = ["cimetiere.cimetiere.lire"])),
    params(("id" = Uuid, Path, description = "Identifiant du cimetière"), CollectiviteCourante),
    responses(
        (status = 200, description = "Le cimetière", body = CimetiereDto),
        (status = 404, description = "Aucun cimetière de la collectivité n'a cet identifiant", body = Problem, content_type = "application/problem+json"),
    )
)]
async fn get_one(
    State(state): State<AppState>,
    auth: Auth,
    collectivite: CollectiviteCourante,
    Path(id): Path<Uuid>,
) -> Result<Json<CimetiereDto>, ApiError> {
    let found = entity::Entity::find_one_in(state.db(), collectivite.id, id)
        .await?
        .ok_or_else(|| ApiError::not_found("Cimetière"))?;
    socle::journal::lecture(&state, &auth, "cimetiere.cimetiere", id).await?;
    Ok(Json(found.into()))
}

/// Answers the cemetery's edition `nom` of the record `objet` with `donnees` (the
/// collectivité's own version of the template if it has one), and journals it.
pub(crate) async fn editer(
    state: &AppState,
    auth: &Auth,
    collectivite: &CollectiviteCourante,
    objet: (&'static str, Uuid),
    nom: &'static str,
    donnees: serde_json::Value,
    format: socle::editions::Format,
) -> Result<axum::response::Response, ApiError> {
    let edition = socle::editions::Edition::new("cimetiere", nom, donnees);
    socle::editions::delivrer(state, auth, collectivite.id, objet, &edition, format).await
}
