//! HTTP route of `/api/v1/rgpd`: the register of processing activities.

use axum::Json;
use axum::extract::State;
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::Traitement;
use crate::http::AppState;

pub(super) fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(traitements))
}

/// One line of the register: a processing activity and the module that carries it out.
#[derive(Debug, Serialize, ToSchema)]
struct Ligne {
    /// The module.
    module: &'static str,
    /// The activity.
    #[serde(flatten)]
    traitement: Traitement,
}

/// The register of processing activities (RGPD art. 30) of every installed module.
#[utoipa::path(
    get,
    path = "/traitements",
    tag = "rgpd",
    security(("jeton" = ["rgpd.registre.lire"])),
    responses((status = 200, description = "Le registre des traitements", body = Vec<Ligne>))
)]
async fn traitements(State(state): State<AppState>) -> Json<Vec<Ligne>> {
    Json(
        state
            .registry()
            .iter()
            .flat_map(|m| {
                m.traitements().iter().map(move |t| Ligne {
                    module: m.id(),
                    traitement: *t,
                })
            })
            .collect(),
    )
}
