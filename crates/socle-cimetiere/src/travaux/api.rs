//! HTTP routes of works declarations: `/emplacements/{id}/travaux`, `/travaux/{id}/achevement`.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use socle::prelude::*;
use utoipa_axum::routes;
use uuid::Uuid;

use super::entity::travaux;
use super::service::{self, Achevement, NouveauxTravaux, Travaux};
use crate::error::CimetiereError;
use crate::lieux::entity::emplacement;

const OBJET_TRAVAUX: &str = "cimetiere.travaux";

pub(crate) fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(lister, declarer))
        .routes(routes!(achever))
}

/// The works declared on an emplacement, the latest first.
#[utoipa::path(
    get,
    path = "/emplacements/{id}/travaux",
    tag = "cimetiere",
    security(("jeton" = ["cimetiere.emplacement.lire"])),
    params(("id" = Uuid, Path, description = "Identifiant de l'emplacement"), CollectiviteCourante),
    responses(
        (status = 200, description = "Les déclarations de travaux", body = Vec<Travaux>),
        (status = 404, description = "Emplacement introuvable", body = Problem, content_type = "application/problem+json"),
    )
)]
async fn lister(
    State(state): State<AppState>,
    auth: Auth,
    collectivite: CollectiviteCourante,
    Path(id): Path<Uuid>,
) -> Result<Json<Vec<Travaux>>, ApiError> {
    let liste = service::de_l_emplacement(state.db(), collectivite.id, id).await?;
    socle::journal::liste(&state, &auth, OBJET_TRAVAUX, liste.len()).await?;
    Ok(Json(liste))
}

/// Declare works on an emplacement before they start: on a concession in force on their first
/// day, by its concessionnaire or a person its act names (not an excluded one).
#[utoipa::path(
    post,
    path = "/emplacements/{id}/travaux",
    tag = "cimetiere",
    security(("jeton" = ["cimetiere.travaux.gerer"])),
    params(("id" = Uuid, Path, description = "Identifiant de l'emplacement"), CollectiviteCourante),
    request_body = NouveauxTravaux,
    responses(
        (status = 201, description = "Travaux déclarés", body = Travaux),
        (status = 404, description = "Emplacement introuvable", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Pas de concession en cours, déclarant sans qualité", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Dates, description ou déclarant invalides", body = Problem, content_type = "application/problem+json"),
    )
)]
async fn declarer(
    State(state): State<AppState>,
    auth: Auth,
    collectivite: CollectiviteCourante,
    Path(id): Path<Uuid>,
    CorpsJson(corps): CorpsJson,
) -> Result<(StatusCode, Json<Travaux>), ApiError> {
    emplacement::Entity::find_one_in(state.db(), collectivite.id, id)
        .await?
        .ok_or(CimetiereError::Introuvable("Emplacement"))?;
    let nouveaux: NouveauxTravaux = parse_json(&corps)?;
    let mut txn = state.ecrire(&auth).await?;
    let faits = service::declarer(
        &*txn,
        collectivite.id,
        id,
        nouveaux,
        state.clock().today(),
        state.clock().now(),
    )
    .await?;
    socle::journal::creation(&mut txn, OBJET_TRAVAUX, faits.id);
    txn.valider().await?;
    Ok((StatusCode::CREATED, Json(faits)))
}

/// Mark declared works done.
#[utoipa::path(
    post,
    path = "/travaux/{id}/achevement",
    tag = "cimetiere",
    security(("jeton" = ["cimetiere.travaux.gerer"])),
    params(("id" = Uuid, Path, description = "Identifiant des travaux"), CollectiviteCourante),
    request_body = Achevement,
    responses(
        (status = 200, description = "Travaux achevés", body = Travaux),
        (status = 404, description = "Travaux introuvables", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Déjà achevés", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Date avant le début ou future", body = Problem, content_type = "application/problem+json"),
    )
)]
async fn achever(
    State(state): State<AppState>,
    auth: Auth,
    collectivite: CollectiviteCourante,
    Path(id): Path<Uuid>,
    CorpsJson(corps): CorpsJson,
) -> Result<Json<Travaux>, ApiError> {
    travaux::Entity::find_one_in(state.db(), collectivite.id, id)
        .await?
        .ok_or(CimetiereError::Introuvable("Travaux"))?;
    let achevement: Achevement = parse_json(&corps)?;
    let mut txn = state.ecrire(&auth).await?;
    let faits = service::achever(
        &*txn,
        collectivite.id,
        id,
        achevement,
        state.clock().today(),
    )
    .await?;
    let evenement = socle::journal::Evenement::par(&auth, "achevement", OBJET_TRAVAUX, id);
    socle::journal::consigner(&mut txn, evenement);
    txn.valider().await?;
    Ok(Json(faits))
}
