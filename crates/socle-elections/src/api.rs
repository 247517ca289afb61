//! HTTP routes of `/api/v1/elections`.

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
use crate::service::{self, NouveauBureau};

/// A bureau de vote as the API shows it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub(crate) struct BureauDto {
    /// Public identifier.
    id: Uuid,
    /// Number or code within the collectivité.
    #[schema(example = "1")]
    code: String,
    /// Name.
    #[schema(example = "Mairie")]
    nom: String,
    /// Where electors vote.
    lieu: String,
    /// When it was created.
    created_at: DateTime<Utc>,
}

impl From<entity::Model> for BureauDto {
    fn from(m: entity::Model) -> Self {
        Self {
            id: m.id,
            code: m.code,
            nom: m.nom,
            lieu: m.lieu,
            created_at: m.created_at,
        }
    }
}

pub(crate) fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list, create))
        .routes(routes!(get_one))
}

/// List the bureaux de vote of the collectivité.
#[utoipa::path(
    get,
    path = "/bureaux",
    tag = "elections",
    security(("jeton" = ["elections.bureau.lire"])),
    params(PageParams, CollectiviteCourante),
    responses(
        (status = 200, description = "Une page de bureaux de vote", body = Page<BureauDto>),
        (status = 400, description = "Paramètre invalide", body = Problem, content_type = "application/problem+json"),
    )
)]
async fn list(
    State(state): State<AppState>,
    auth: Auth,
    collectivite: CollectiviteCourante,
    Query(params): Query<PageParams>,
) -> Result<Json<Page<BureauDto>>, ApiError> {
    let select = entity::Entity::find_in(collectivite.id);
    let page = fetch_page(state.db(), select, entity::Column::Id, |m| m.id, &params).await?;
    socle::journal::liste(&state, &auth, "elections.bureau", page.items.len()).await?;
    Ok(Json(page.map(BureauDto::from)))
}

/// Create a bureau de vote.
#[utoipa::path(
    post,
    path = "/bureaux",
    tag = "elections",
    security(("jeton" = ["elections.bureau.creer"])),
    params(CollectiviteCourante),
    request_body = NouveauBureau,
    responses(
        (status = 201, description = "Bureau de vote créé", body = BureauDto),
        (status = 409, description = "Un bureau de vote porte déjà ce numéro", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Données invalides", body = Problem, content_type = "application/problem+json"),
    )
)]
async fn create(
    State(state): State<AppState>,
    auth: Auth,
    collectivite: CollectiviteCourante,
    ValidatedJson(new): ValidatedJson<NouveauBureau>,
) -> Result<(StatusCode, Json<BureauDto>), ApiError> {
    let mut txn = state.ecrire(&auth).await?;
    let created = service::create(&txn, collectivite.id, new, state.clock().now()).await?;
    socle::journal::creation(&mut txn, "elections.bureau", created.id);
    txn.valider().await?;
    Ok((StatusCode::CREATED, Json(created.into())))
}

/// Read one bureau de vote.
#[utoipa::path(
    get,
    path = "/bureaux/{id}",
    tag = "elections",
    security(("jeton" = ["elections.bureau.lire"])),
    params(("id" = Uuid, Path, description = "Identifiant du bureau de vote"), CollectiviteCourante),
    responses(
        (status = 200, description = "Le bureau de vote", body = BureauDto),
        (status = 404, description = "Aucun bureau de vote de la collectivité n'a cet identifiant", body = Problem, content_type = "application/problem+json"),
    )
)]
async fn get_one(
    State(state): State<AppState>,
    auth: Auth,
    collectivite: CollectiviteCourante,
    Path(id): Path<Uuid>,
) -> Result<Json<BureauDto>, ApiError> {
    let found = entity::Entity::find_one_in(state.db(), collectivite.id, id)
        .await?
        .ok_or_else(|| ApiError::not_found("Bureau de vote"))?;
    socle::journal::lecture(&state, &auth, "elections.bureau", id).await?;
    Ok(Json(found.into()))
}
