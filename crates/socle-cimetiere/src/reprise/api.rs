//! HTTP routes of the reprise procedure: `/concessions/{id}/reprise`, `/reprises/{id}`.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use sea_orm::QueryOrder;
use socle::prelude::*;
use utoipa_axum::routes;
use uuid::Uuid;

use super::entity::reprise;
use super::service::{self, EtapeFaite, OuvertureReprise, Reprise};
use crate::concessions::vente;
use crate::error::CimetiereError;

const OBJET_REPRISE: &str = "cimetiere.reprise";

pub(crate) fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(ouvrir))
        .routes(routes!(lister))
        .routes(routes!(lire))
        .routes(routes!(avancer))
}

/// Open the reprise for abandonment of a concession with the first procès-verbal: its act is
/// thirty years old at least, its last inhumation ten years, the heirs were called a month
/// before, the commune did not accept its upkeep by gift or bequest.
#[utoipa::path(
    post,
    path = "/concessions/{id}/reprise",
    tag = "cimetiere",
    security(("jeton" = ["cimetiere.reprise.conduire"])),
    params(("id" = Uuid, Path, description = "Identifiant de la concession"), CollectiviteCourante),
    request_body = OuvertureReprise,
    responses(
        (status = 201, description = "Procédure ouverte par le premier procès-verbal", body = Reprise),
        (status = 404, description = "Concession introuvable", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Une condition légale manque (le détail dit laquelle et jusqu'à quand)", body = Problem, content_type = "application/problem+json"),
    )
)]
async fn ouvrir(
    State(state): State<AppState>,
    auth: Auth,
    collectivite: CollectiviteCourante,
    Path(id): Path<Uuid>,
    CorpsJson(corps): CorpsJson,
) -> Result<(StatusCode, Json<Reprise>), ApiError> {
    vente::lire(state.db(), collectivite.id, id).await?;
    let ouverture: OuvertureReprise = parse_json(&corps)?;
    let mut txn = state.ecrire(&auth).await?;
    let ouverte = service::ouvrir(
        &*txn,
        collectivite.id,
        id,
        ouverture,
        state.clock().today(),
        state.clock().now(),
    )
    .await?;
    socle::journal::creation(&mut txn, OBJET_REPRISE, ouverte.id);
    txn.valider().await?;
    Ok((StatusCode::CREATED, Json(ouverte)))
}

/// The reprise procedures of the collectivité, the oldest first: each with its next step and
/// the first day it may be done.
#[utoipa::path(
    get,
    path = "/reprises",
    tag = "cimetiere",
    security(("jeton" = ["cimetiere.concession.lire"])),
    params(CollectiviteCourante),
    responses(
        (status = 200, description = "Les procédures", body = Vec<Reprise>),
    )
)]
async fn lister(
    State(state): State<AppState>,
    auth: Auth,
    collectivite: CollectiviteCourante,
) -> Result<Json<Vec<Reprise>>, ApiError> {
    let liste: Vec<Reprise> = reprise::Entity::find_in(collectivite.id)
        .order_by_asc(reprise::Column::Id)
        .all(state.db())
        .await?
        .into_iter()
        .map(Reprise::from)
        .collect();
    socle::journal::liste(&state, &auth, OBJET_REPRISE, liste.len()).await?;
    Ok(Json(liste))
}

/// A reprise procedure: the dates of its steps, the next one and the first day it may be done.
#[utoipa::path(
    get,
    path = "/reprises/{id}",
    tag = "cimetiere",
    security(("jeton" = ["cimetiere.concession.lire"])),
    params(("id" = Uuid, Path, description = "Identifiant de la procédure"), CollectiviteCourante),
    responses(
        (status = 200, description = "La procédure", body = Reprise),
        (status = 404, description = "Procédure introuvable", body = Problem, content_type = "application/problem+json"),
    )
)]
async fn lire(
    State(state): State<AppState>,
    auth: Auth,
    collectivite: CollectiviteCourante,
    Path(id): Path<Uuid>,
) -> Result<Json<Reprise>, ApiError> {
    let r = reprise::Entity::find_one_in(state.db(), collectivite.id, id)
        .await?
        .ok_or(CimetiereError::Introuvable("Procédure de reprise"))?;
    socle::journal::lecture(&state, &auth, OBJET_REPRISE, id).await?;
    Ok(Json(r.into()))
}

/// Record the next step of a reprise procedure: publication of the first procès-verbal, the
/// second a year later, the deliberation a month after its notification, the arrêté. A step out
/// of order or before its legal date is refused with that date.
#[utoipa::path(
    post,
    path = "/reprises/{id}/etapes",
    tag = "cimetiere",
    security(("jeton" = ["cimetiere.reprise.conduire"])),
    params(("id" = Uuid, Path, description = "Identifiant de la procédure"), CollectiviteCourante),
    request_body = EtapeFaite,
    responses(
        (status = 200, description = "Étape enregistrée", body = Reprise),
        (status = 404, description = "Procédure introuvable", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Étape hors d'ordre, prématurée, ou procédure terminée", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Référence manquante, date future", body = Problem, content_type = "application/problem+json"),
    )
)]
async fn avancer(
    State(state): State<AppState>,
    auth: Auth,
    collectivite: CollectiviteCourante,
    Path(id): Path<Uuid>,
    CorpsJson(corps): CorpsJson,
) -> Result<Json<Reprise>, ApiError> {
    reprise::Entity::find_one_in(state.db(), collectivite.id, id)
        .await?
        .ok_or(CimetiereError::Introuvable("Procédure de reprise"))?;
    let faite: EtapeFaite = parse_json(&corps)?;
    let mut txn = state.ecrire(&auth).await?;
    let r = service::avancer(&*txn, collectivite.id, id, faite, state.clock().today()).await?;
    let evenement = socle::journal::Evenement::par(&auth, "etape", OBJET_REPRISE, id)
        .avec(serde_json::json!({"etape": r.etape}));
    socle::journal::consigner(&mut txn, evenement);
    txn.valider().await?;
    Ok(Json(r))
}
