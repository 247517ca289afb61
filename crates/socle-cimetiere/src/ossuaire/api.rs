//! HTTP routes of the end of a grave and the ossuaire: `/emplacements/{id}/reprise`,
//! `/ossuaires/{id}/registre`.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde::Deserialize;
use socle::prelude::*;
use utoipa::IntoParams;
use utoipa_axum::routes;
use uuid::Uuid;

use super::service::{self, Depot, EmplacementRepris, RepriseEmplacement};
use crate::error::CimetiereError;
use crate::lieux::entity::emplacement;

const OBJET_EMPLACEMENT: &str = "cimetiere.emplacement";

pub(crate) fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(reprendre))
        .routes(routes!(registre))
        .routes(routes!(registre_imprime))
}

/// The register of an ossuaire to print or post, in PDF (by default) or HTML: every line in the
/// order of deposit; the collectivité's own version of `cimetiere/registre-ossuaire` if it has
/// one. Journaled.
#[utoipa::path(
    get,
    path = "/ossuaires/{id}/registre/edition",
    tag = "cimetiere",
    security(("jeton" = ["cimetiere.emplacement.lire"])),
    params(
        ("id" = Uuid, Path, description = "Identifiant de l'ossuaire"),
        socle::editions::FormatEdition,
        CollectiviteCourante
    ),
    responses(
        (status = 200, description = "Le registre, en PDF ou en HTML", content(
            (String = "application/pdf"),
            (String = "text/html"),
        )),
        (status = 404, description = "Ossuaire introuvable", body = Problem, content_type = "application/problem+json"),
    )
)]
async fn registre_imprime(
    State(state): State<AppState>,
    auth: Auth,
    collectivite: CollectiviteCourante,
    Path(id): Path<Uuid>,
    socle::editions::FormatEdition(format): socle::editions::FormatEdition,
) -> Result<axum::response::Response, ApiError> {
    let donnees = service::donnees_registre(state.db(), collectivite.id, id).await?;
    crate::api::editer(
        &state,
        &auth,
        &collectivite,
        ("cimetiere.ossuaire", id),
        service::REGISTRE_OSSUAIRE,
        donnees,
        format,
    )
    .await
}

/// Take an emplacement back: a concession not renewed within two full years of its expiry,
/// a concession whose reprise for abandonment ended with the arrêté, a grave of the terrain
/// commun after its five years. The concession ends, the remains go to the ossuaire's register
/// (or to cremation: only without the deceased's objection, the relatives told beforehand) and
/// the emplacement is free.
#[utoipa::path(
    post,
    path = "/emplacements/{id}/reprise",
    tag = "cimetiere",
    security(("jeton" = ["cimetiere.reprise.conduire"])),
    params(("id" = Uuid, Path, description = "Identifiant de l'emplacement"), CollectiviteCourante),
    request_body = RepriseEmplacement,
    responses(
        (status = 201, description = "Emplacement repris, restes inscrits au registre de l'ossuaire", body = EmplacementRepris),
        (status = 404, description = "Emplacement introuvable", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Reprise pas encore permise (le détail dit à partir de quand), rien à reprendre, proches non informés avant une crémation", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Ossuaire, date ou décisions invalides", body = Problem, content_type = "application/problem+json"),
    )
)]
async fn reprendre(
    State(state): State<AppState>,
    auth: Auth,
    collectivite: CollectiviteCourante,
    Path(id): Path<Uuid>,
    CorpsJson(corps): CorpsJson,
) -> Result<(StatusCode, Json<EmplacementRepris>), ApiError> {
    emplacement::Entity::find_one_in(state.db(), collectivite.id, id)
        .await?
        .ok_or(CimetiereError::Introuvable("Emplacement"))?;
    let demande: RepriseEmplacement = parse_json(&corps)?;
    let mut txn = state.ecrire(&auth).await?;
    let repris = service::reprendre(
        &*txn,
        collectivite.id,
        id,
        demande,
        state.clock().today(),
        state.clock().now(),
    )
    .await?;
    let evenement = socle::journal::Evenement::par(&auth, "reprise", OBJET_EMPLACEMENT, id).avec(
        serde_json::json!({
            "motif": repris.motif,
            "concession_id": repris.concession_id,
            "depots": repris.depots.len(),
        }),
    );
    socle::journal::consigner(&mut txn, evenement);
    txn.valider().await?;
    Ok((StatusCode::CREATED, Json(repris)))
}

/// Which lines of the register.
#[derive(Debug, Deserialize, validator::Validate, IntoParams)]
#[into_params(parameter_in = Query)]
pub(crate) struct FiltreRegistre {
    /// Only the names containing this text (case ignored).
    nom: Option<String>,
    /// How many at most (1 to 500, 50 by default).
    #[validate(range(min = 1, max = 500))]
    limit: Option<u64>,
    /// The `next_cursor` of the previous page.
    cursor: Option<Uuid>,
}

/// The register of an ossuaire, open to the public: the names of the people
/// whose remains it received, where they came from and when; the remains of those who objected
/// to cremation are marked as set apart.
#[utoipa::path(
    get,
    path = "/ossuaires/{id}/registre",
    tag = "cimetiere",
    security(("jeton" = ["cimetiere.emplacement.lire"])),
    params(("id" = Uuid, Path, description = "Identifiant de l'ossuaire"), FiltreRegistre, CollectiviteCourante),
    responses(
        (status = 200, description = "Une page du registre, dans l'ordre des dépôts", body = Page<Depot>),
        (status = 404, description = "Ossuaire introuvable", body = Problem, content_type = "application/problem+json"),
    )
)]
async fn registre(
    State(state): State<AppState>,
    auth: Auth,
    collectivite: CollectiviteCourante,
    Path(id): Path<Uuid>,
    Query(filtre): Query<FiltreRegistre>,
) -> Result<Json<Page<Depot>>, ApiError> {
    let params = PageParams {
        limit: filtre.limit,
        cursor: filtre.cursor,
    };
    let page = service::registre(
        state.db(),
        collectivite.id,
        id,
        filtre.nom.as_deref(),
        &params,
    )
    .await?;
    socle::journal::liste(&state, &auth, "cimetiere.ossuaire", page.items.len()).await?;
    Ok(Json(page))
}
