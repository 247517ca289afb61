//! HTTP routes of `/api/v1/journal`: entries of a record, export for an auditor, verification.

use axum::Json;
use axum::extract::State;
use axum::http::header;
use axum::response::IntoResponse;
use chrono::{DateTime, Utc};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;
use validator::Validate;

use super::entity::entree;
use super::{Evenement, Rapport, consigner_seul, verifier};
use crate::collectivite::CollectiviteCourante;
use crate::droits::Auth;
use crate::http::{ApiError, AppState, Problem, Query};

pub(super) fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(entrees))
        .routes(routes!(export))
        .routes(routes!(verification))
}

/// A journal entry as the API shows it.
#[derive(Debug, Serialize, ToSchema)]
pub(super) struct EntreeDto {
    seq: i64,
    horodatage: DateTime<Utc>,
    collectivite_id: Option<Uuid>,
    acteur_type: String,
    acteur_id: Option<Uuid>,
    action: String,
    objet_type: String,
    objet_id: String,
    motif: Option<String>,
    details: Option<serde_json::Value>,
    empreinte: String,
}

impl From<entree::Model> for EntreeDto {
    fn from(m: entree::Model) -> Self {
        Self {
            seq: m.seq,
            horodatage: m.horodatage,
            collectivite_id: m.collectivite_id,
            acteur_type: m.acteur_type,
            acteur_id: m.acteur_id,
            action: m.action,
            objet_type: m.objet_type,
            objet_id: m.objet_id,
            motif: m.motif,
            details: m.details,
            empreinte: m.empreinte,
        }
    }
}

/// Which entries.
#[derive(Debug, Deserialize, Validate, IntoParams)]
#[into_params(parameter_in = Query)]
struct Filtre {
    /// Kind of record, e.g. `cimetiere.cimetiere`.
    objet_type: Option<String>,
    /// The record's id.
    objet_id: Option<String>,
    /// Entries after this position (for the next page).
    apres: Option<i64>,
    /// How many at most (1 to 1000, 100 by default).
    #[validate(range(min = 1, max = 1000))]
    limit: Option<u64>,
}

/// Who read or changed a record of the collectivité, and when ("who looked at this act?").
#[utoipa::path(
    get,
    path = "/entrees",
    tag = "journal",
    security(("jeton" = ["journal.entree.lire"])),
    params(Filtre, CollectiviteCourante),
    responses(
        (status = 200, description = "Les entrées, dans l'ordre du journal", body = Vec<EntreeDto>),
        (status = 400, description = "Paramètre invalide", body = Problem, content_type = "application/problem+json"),
    )
)]
async fn entrees(
    State(state): State<AppState>,
    collectivite: CollectiviteCourante,
    Query(filtre): Query<Filtre>,
) -> Result<Json<Vec<EntreeDto>>, ApiError> {
    let mut query = entree::Entity::find()
        .filter(entree::Column::CollectiviteId.eq(collectivite.id))
        .filter(entree::Column::Seq.gt(filtre.apres.unwrap_or(0)))
        .order_by_asc(entree::Column::Seq)
        .limit(filtre.limit.unwrap_or(100));
    if let Some(objet_type) = filtre.objet_type {
        query = query.filter(entree::Column::ObjetType.eq(objet_type));
    }
    if let Some(objet_id) = filtre.objet_id {
        query = query.filter(entree::Column::ObjetId.eq(objet_id));
    }
    let found = query.all(state.db()).await?;
    Ok(Json(found.into_iter().map(EntreeDto::from).collect()))
}

/// A period to export.
#[derive(Debug, Deserialize, Validate, IntoParams)]
#[into_params(parameter_in = Query)]
struct Periode {
    /// From this instant (inclusive).
    du: Option<DateTime<Utc>>,
    /// Until this instant (exclusive).
    au: Option<DateTime<Utc>>,
}

/// Export the collectivité's entries of a period for an auditor: one JSON object per line,
/// with each entry's hash. The export itself is journaled.
#[utoipa::path(
    get,
    path = "/export",
    tag = "journal",
    security(("jeton" = ["journal.export"])),
    params(Periode, CollectiviteCourante),
    responses((status = 200, description = "Les entrées, une par ligne (JSON Lines)", content_type = "application/x-ndjson", body = String))
)]
async fn export(
    State(state): State<AppState>,
    auth: Auth,
    collectivite: CollectiviteCourante,
    Query(periode): Query<Periode>,
) -> Result<impl IntoResponse, ApiError> {
    const PAGE: u64 = 5_000;
    let mut out = String::new();
    let mut after = 0;
    loop {
        let mut query = entree::Entity::find()
            .filter(entree::Column::CollectiviteId.eq(collectivite.id))
            .filter(entree::Column::Seq.gt(after))
            .order_by_asc(entree::Column::Seq)
            .limit(PAGE);
        if let Some(du) = periode.du {
            query = query.filter(entree::Column::Horodatage.gte(du));
        }
        if let Some(au) = periode.au {
            query = query.filter(entree::Column::Horodatage.lt(au));
        }
        let page = query.all(state.db()).await?;
        let full = page.len() as u64 == PAGE;
        for entry in page {
            after = entry.seq;
            out.push_str(
                &serde_json::to_string(&EntreeDto::from(entry)).map_err(ApiError::internal)?,
            );
            out.push('\n');
        }
        if !full {
            break;
        }
    }
    let details = serde_json::json!({"du": periode.du, "au": periode.au});
    consigner_seul(
        state.db(),
        Evenement::par(&auth, "export", "journal.entree", "*").avec(details),
        state.clock().now(),
    )
    .await?;
    Ok(([(header::CONTENT_TYPE, "application/x-ndjson")], out))
}

/// Check the integrity of the whole journal.
#[utoipa::path(
    get,
    path = "/verification",
    tag = "journal",
    security(("jeton" = ["journal.verifier"])),
    responses((status = 200, description = "Le rapport : vide d'anomalies si le journal est intact", body = Rapport))
)]
async fn verification(State(state): State<AppState>) -> Result<Json<Rapport>, ApiError> {
    Ok(Json(verifier(state.db()).await?))
}
