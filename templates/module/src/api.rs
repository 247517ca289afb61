//! HTTP routes of `/api/v1/modele`.

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
use crate::service::{self, NouvelElement};

/// An element as the API shows it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub(crate) struct ElementDto {
    /// Public identifier.
    id: Uuid,
    /// Name.
    #[schema(example = "Premier élément")]
    nom: String,
    /// When it was created.
    created_at: DateTime<Utc>,
}

impl From<entity::Model> for ElementDto {
    fn from(m: entity::Model) -> Self {
        Self {
            id: m.id,
            nom: m.nom,
            created_at: m.created_at,
        }
    }
}

pub(crate) fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list, create))
        .routes(routes!(get_one))
}

/// List the elements of the collectivité.
#[utoipa::path(
    get,
    path = "/elements",
    tag = "modele",
    security(("jeton" = ["modele.element.lire"])),
    params(PageParams, CollectiviteCourante),
    responses(
        (status = 200, description = "Une page d'éléments", body = Page<ElementDto>),
        (status = 400, description = "Paramètre invalide", body = Problem, content_type = "application/problem+json"),
    )
)]
async fn list(
    State(state): State<AppState>,
    auth: Auth,
    collectivite: CollectiviteCourante,
    Query(params): Query<PageParams>,
) -> Result<Json<Page<ElementDto>>, ApiError> {
    let select = entity::Entity::find_in(collectivite.id);
    let page = fetch_page(state.db(), select, entity::Column::Id, |m| m.id, &params).await?;
    socle::journal::liste(&state, &auth, "modele.element", page.items.len()).await?;
    Ok(Json(page.map(ElementDto::from)))
}

/// Create an element.
#[utoipa::path(
    post,
    path = "/elements",
    tag = "modele",
    security(("jeton" = ["modele.element.creer"])),
    params(CollectiviteCourante),
    request_body = NouvelElement,
    responses(
        (status = 201, description = "Élément créé", body = ElementDto),
        (status = 409, description = "Un élément porte déjà ce nom", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Données invalides", body = Problem, content_type = "application/problem+json"),
    )
)]
async fn create(
    State(state): State<AppState>,
    auth: Auth,
    collectivite: CollectiviteCourante,
    ValidatedJson(new): ValidatedJson<NouvelElement>,
) -> Result<(StatusCode, Json<ElementDto>), ApiError> {
    let mut txn = state.ecrire(&auth).await?;
    let created = service::create(&txn, collectivite.id, new, state.clock().now()).await?;
    socle::journal::creation(&mut txn, "modele.element", created.id);
    txn.valider().await?;
    Ok((StatusCode::CREATED, Json(created.into())))
}

/// Read one element.
#[utoipa::path(
    get,
    path = "/elements/{id}",
    tag = "modele",
    security(("jeton" = ["modele.element.lire"])),
    params(("id" = Uuid, Path, description = "Identifiant de l'élément"), CollectiviteCourante),
    responses(
        (status = 200, description = "L'élément", body = ElementDto),
        (status = 404, description = "Aucun élément de la collectivité n'a cet identifiant", body = Problem, content_type = "application/problem+json"),
    )
)]
async fn get_one(
    State(state): State<AppState>,
    auth: Auth,
    collectivite: CollectiviteCourante,
    Path(id): Path<Uuid>,
) -> Result<Json<ElementDto>, ApiError> {
    let found = entity::Entity::find_one_in(state.db(), collectivite.id, id)
        .await?
        .ok_or_else(|| ApiError::not_found("Élément"))?;
    socle::journal::lecture(&state, &auth, "modele.element", id).await?;
    Ok(Json(found.into()))
}
