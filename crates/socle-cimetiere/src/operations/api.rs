//! HTTP routes of the operations: `/api/v1/cimetiere/emplacements/{id}/inhumations`.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use socle::prelude::*;
use utoipa_axum::routes;
use uuid::Uuid;

use super::inhumation::{self, Inhumation, NouvelleInhumation, Occupation};
use crate::error::CimetiereError;
use crate::lieux::entity::emplacement;

const OBJET_INHUMATION: &str = "cimetiere.inhumation";

pub(crate) fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(occupation, inhumer))
}

/// Who rests in an emplacement (exhumed ones included) and how many places are free.
#[utoipa::path(
    get,
    path = "/emplacements/{id}/inhumations",
    tag = "cimetiere",
    security(("jeton" = ["cimetiere.inhumation.lire"])),
    params(("id" = Uuid, Path, description = "Identifiant de l'emplacement"), CollectiviteCourante),
    responses(
        (status = 200, description = "Les inhumations et les places libres", body = Occupation),
        (status = 404, description = "Emplacement introuvable", body = Problem, content_type = "application/problem+json"),
    )
)]
async fn occupation(
    State(state): State<AppState>,
    auth: Auth,
    collectivite: CollectiviteCourante,
    Path(id): Path<Uuid>,
) -> Result<Json<Occupation>, ApiError> {
    let occupation = inhumation::occupation(state.db(), collectivite.id, id).await?;
    socle::journal::lecture(&state, &auth, OBJET_INHUMATION, id).await?;
    Ok(Json(occupation))
}

/// Record an inhumation: the delays after death (24 hours to 14 calendar days, else a
/// prefectoral derogation), a free place, the right to rest in this concession (named person,
/// family, heirs' consent, exclusions) or, without concession, the ground of the right to burial
/// and the terrain commun's five years.
#[utoipa::path(
    post,
    path = "/emplacements/{id}/inhumations",
    tag = "cimetiere",
    security(("jeton" = ["cimetiere.inhumation.autoriser"])),
    params(("id" = Uuid, Path, description = "Identifiant de l'emplacement"), CollectiviteCourante),
    request_body = NouvelleInhumation,
    responses(
        (status = 201, description = "Inhumation enregistrée", body = Inhumation),
        (status = 404, description = "Emplacement introuvable", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Une règle la refuse : délai, place, concession, personne exclue ou non nommée, terrain commun", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Champs manquants ou invalides", body = Problem, content_type = "application/problem+json"),
    )
)]
async fn inhumer(
    State(state): State<AppState>,
    auth: Auth,
    collectivite: CollectiviteCourante,
    Path(id): Path<Uuid>,
    CorpsJson(corps): CorpsJson,
) -> Result<(StatusCode, Json<Inhumation>), ApiError> {
    emplacement::Entity::find_one_in(state.db(), collectivite.id, id)
        .await?
        .ok_or(CimetiereError::Introuvable("Emplacement"))?;
    let demande: NouvelleInhumation = parse_json(&corps)?;
    let txn = socle::db::ecriture(state.db()).await?;
    let faite =
        inhumation::inhumer(&*txn, collectivite.id, id, demande, state.clock().now()).await?;
    socle::journal::creation(&txn, &state, &auth, OBJET_INHUMATION, faite.id).await?;
    state.valider(txn).await?;
    Ok((StatusCode::CREATED, Json(faite)))
}
