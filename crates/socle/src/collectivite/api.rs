//! HTTP routes of `/api/v1/collectivites`.

use axum::Json;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use chrono::{DateTime, Utc};
use sea_orm::EntityTrait;
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

use super::entity::{self, Nature};
use super::service::{self, NouvelleCollectivite};
use crate::droits::Auth;
use crate::http::pagination::{Page, PageParams, fetch_page};
use crate::http::{ApiError, AppState, Path, Problem, Query, ValidatedJson};

/// A collectivité as the API shows it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub(super) struct Collectivite {
    /// Public identifier.
    id: Uuid,
    /// COG code (commune) or SIREN (intercommunalité).
    #[schema(example = "54084")]
    code: String,
    /// Commune or intercommunalité.
    nature: Nature,
    /// Official name.
    #[schema(example = "Mont-Bonvillers")]
    nom: String,
    /// When it was created.
    created_at: DateTime<Utc>,
}

impl From<entity::Model> for Collectivite {
    fn from(m: entity::Model) -> Self {
        Self {
            id: m.id,
            code: m.code,
            nature: m.nature,
            nom: m.nom,
            created_at: m.created_at,
        }
    }
}

pub(super) fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list, create))
        .routes(routes!(get_one))
}

/// List the collectivités hosted by this server.
#[utoipa::path(
    get,
    path = "",
    tag = "collectivites",
    security(("jeton" = ["collectivites.collectivite.lister"])),
    params(PageParams),
    responses(
        (status = 200, description = "Une page de collectivités", body = Page<Collectivite>),
        (status = 400, description = "Paramètre invalide", body = Problem, content_type = "application/problem+json"),
    )
)]
async fn list(
    State(state): State<AppState>,
    Query(params): Query<PageParams>,
) -> Result<Json<Page<Collectivite>>, ApiError> {
    let page = fetch_page(
        state.db(),
        entity::Entity::find(),
        entity::Column::Id,
        |m| m.id,
        &params,
    )
    .await?;
    Ok(Json(page.map(Collectivite::from)))
}

/// Create a collectivité.
#[utoipa::path(
    post,
    path = "",
    tag = "collectivites",
    security(("jeton" = ["collectivites.collectivite.creer"])),
    request_body = NouvelleCollectivite,
    responses(
        (status = 201, description = "Collectivité créée", body = Collectivite),
        (status = 409, description = "Une collectivité a déjà ce code", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Données invalides", body = Problem, content_type = "application/problem+json"),
    )
)]
async fn create(
    State(state): State<AppState>,
    auth: Auth,
    ValidatedJson(new): ValidatedJson<NouvelleCollectivite>,
) -> Result<(StatusCode, HeaderMap, Json<Collectivite>), ApiError> {
    let mut txn = state.ecrire(&auth).await?;
    let created = service::create(&txn, new, state.clock().now()).await?;
    crate::journal::creation(&mut txn, "collectivites.collectivite", created.id);
    txn.valider().await?;
    let mut headers = HeaderMap::new();
    if let Ok(location) = HeaderValue::from_str(&format!("/api/v1/collectivites/{}", created.id)) {
        headers.insert(header::LOCATION, location);
    }
    Ok((StatusCode::CREATED, headers, Json(created.into())))
}

/// Read one collectivité, by id or by code: the caller's own (any, for a platform
/// administrator).
#[utoipa::path(
    get,
    path = "/{reference}",
    tag = "collectivites",
    security(("jeton" = ["collectivites.collectivite.lire"])),
    params(("reference" = String, Path, description = "Identifiant, code INSEE ou SIREN", example = "54084")),
    responses(
        (status = 200, description = "La collectivité", body = Collectivite),
        (status = 404, description = "Aucune collectivité ne porte cette référence", body = Problem, content_type = "application/problem+json"),
    )
)]
async fn get_one(
    State(state): State<AppState>,
    auth: Auth,
    Path(reference): Path<String>,
) -> Result<Json<Collectivite>, ApiError> {
    // Outside platform administrators, a caller sees only the collectivité it acts for.
    let own = auth.collectivite.as_ref().map(|c| c.id);
    service::find(state.db(), &reference)
        .await?
        .filter(|m| auth.est_administrateur() || Some(m.id) == own)
        .map(|m| Json(m.into()))
        .ok_or_else(|| ApiError::not_found(&format!("Collectivité « {reference} »")))
}
