//! HTTP routes of the acts' documents: `/reprises/{id}/proces-verbal`,
//! `/reprises/{id}/second-proces-verbal`, `/reprises/{id}/arrete`,
//! `/inhumations/{id}/autorisation`, `/exhumations/{id}/autorisation`.

use axum::extract::State;
use axum::response::Response;
use socle::editions::FormatEdition;
use socle::prelude::*;
use utoipa_axum::routes;
use uuid::Uuid;

use super::donnees;
use crate::api::editer;

/// The kind of record of reprise procedures, in the journal.
const OBJET_REPRISE: &str = "cimetiere.reprise";
/// The kind of record of inhumations, in the journal.
const OBJET_INHUMATION: &str = "cimetiere.inhumation";
/// The kind of record of exhumations, réductions and réunions de corps, in the journal.
const OBJET_EXHUMATION: &str = "cimetiere.exhumation";

/// The routes of the acts' documents.
pub(crate) fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(proces_verbal))
        .routes(routes!(second_proces_verbal))
        .routes(routes!(arrete))
        .routes(routes!(autorisation_inhumation))
        .routes(routes!(autorisation_exhumation))
}

/// The first procès-verbal of abandonment of a reprise procedure (CGCT L2223-17, R2223-13), in
/// PDF (by default) or HTML: the concession, its holder and emplacement, the people resting
/// there, the heirs' convocation and the day of the constat on site; the collectivité's own
/// version of `cimetiere/proces-verbal-abandon` if it has one. Available as soon as the
/// procedure is open. Journaled.
#[utoipa::path(
    get,
    path = "/reprises/{id}/proces-verbal",
    tag = "cimetiere",
    security(("jeton" = ["cimetiere.concession.lire"])),
    params(
        ("id" = Uuid, Path, description = "Identifiant de la procédure"),
        FormatEdition,
        CollectiviteCourante
    ),
    responses(
        (status = 200, description = "Le procès-verbal, en PDF ou en HTML", content(
            (String = "application/pdf"),
            (String = "text/html"),
        )),
        (status = 404, description = "Procédure introuvable", body = Problem, content_type = "application/problem+json"),
    )
)]
async fn proces_verbal(
    State(state): State<AppState>,
    auth: Auth,
    collectivite: CollectiviteCourante,
    Path(id): Path<Uuid>,
    FormatEdition(format): FormatEdition,
) -> Result<Response, ApiError> {
    let donnees = donnees::donnees_proces_verbal(state.db(), collectivite.id, id).await?;
    editer(
        &state,
        &auth,
        &collectivite,
        (OBJET_REPRISE, id),
        donnees::PROCES_VERBAL_ABANDON,
        donnees,
        format,
    )
    .await
}

/// The second procès-verbal of abandonment, a year after the first was published (CGCT
/// L2223-17, R2223-18), in PDF (by default) or HTML: it recalls the first and its publication,
/// notes that the abandonment persists and that the council will be asked to deliberate a
/// month after its notification; the collectivité's own version of
/// `cimetiere/second-proces-verbal-abandon` if it has one. Refused until the step
/// `second_constat` is recorded. Journaled.
#[utoipa::path(
    get,
    path = "/reprises/{id}/second-proces-verbal",
    tag = "cimetiere",
    security(("jeton" = ["cimetiere.concession.lire"])),
    params(
        ("id" = Uuid, Path, description = "Identifiant de la procédure"),
        FormatEdition,
        CollectiviteCourante
    ),
    responses(
        (status = 200, description = "Le second procès-verbal, en PDF ou en HTML", content(
            (String = "application/pdf"),
            (String = "text/html"),
        )),
        (status = 404, description = "Procédure introuvable", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Étape « second procès-verbal » pas encore enregistrée (etape-non-faite)", body = Problem, content_type = "application/problem+json"),
    )
)]
async fn second_proces_verbal(
    State(state): State<AppState>,
    auth: Auth,
    collectivite: CollectiviteCourante,
    Path(id): Path<Uuid>,
    FormatEdition(format): FormatEdition,
) -> Result<Response, ApiError> {
    let donnees = donnees::donnees_second_proces_verbal(state.db(), collectivite.id, id).await?;
    editer(
        &state,
        &auth,
        &collectivite,
        (OBJET_REPRISE, id),
        donnees::SECOND_PROCES_VERBAL_ABANDON,
        donnees,
        format,
    )
    .await
}

/// The maire's arrêté of reprise of a concession in a state of abandonment (CGCT L2223-17,
/// L2223-18, R2223-12 to R2223-23), in PDF (by default) or HTML: its visas (the two
/// procès-verbaux, the council's deliberation), the reprise, the remains to the ossuaire
/// (L2223-4), its publication and notification; the collectivité's own version of
/// `cimetiere/arrete-reprise` if it has one. Refused until the step `arrete` is recorded, with
/// its date and reference. Journaled.
#[utoipa::path(
    get,
    path = "/reprises/{id}/arrete",
    tag = "cimetiere",
    security(("jeton" = ["cimetiere.concession.lire"])),
    params(
        ("id" = Uuid, Path, description = "Identifiant de la procédure"),
        FormatEdition,
        CollectiviteCourante
    ),
    responses(
        (status = 200, description = "L'arrêté, en PDF ou en HTML", content(
            (String = "application/pdf"),
            (String = "text/html"),
        )),
        (status = 404, description = "Procédure introuvable", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Étape « arrêté de reprise » pas encore enregistrée (etape-non-faite)", body = Problem, content_type = "application/problem+json"),
    )
)]
async fn arrete(
    State(state): State<AppState>,
    auth: Auth,
    collectivite: CollectiviteCourante,
    Path(id): Path<Uuid>,
    FormatEdition(format): FormatEdition,
) -> Result<Response, ApiError> {
    let donnees = donnees::donnees_arrete(state.db(), collectivite.id, id).await?;
    editer(
        &state,
        &auth,
        &collectivite,
        (OBJET_REPRISE, id),
        donnees::ARRETE_REPRISE,
        donnees,
        format,
    )
    .await
}

/// The maire's authorisation of an inhumation (CGCT R2213-31), in PDF (by default) or HTML: the
/// deceased, the days of death and inhumation, the emplacement, the concession act if any, the
/// right to rest there and the prefectoral derogation to the delays if one was needed; the
/// collectivité's own version of `cimetiere/autorisation-inhumation` if it has one. Journaled.
#[utoipa::path(
    get,
    path = "/inhumations/{id}/autorisation",
    tag = "cimetiere",
    security(("jeton" = ["cimetiere.inhumation.lire"])),
    params(
        ("id" = Uuid, Path, description = "Identifiant de l'inhumation"),
        FormatEdition,
        CollectiviteCourante
    ),
    responses(
        (status = 200, description = "L'autorisation, en PDF ou en HTML", content(
            (String = "application/pdf"),
            (String = "text/html"),
        )),
        (status = 404, description = "Inhumation introuvable", body = Problem, content_type = "application/problem+json"),
    )
)]
async fn autorisation_inhumation(
    State(state): State<AppState>,
    auth: Auth,
    collectivite: CollectiviteCourante,
    Path(id): Path<Uuid>,
    FormatEdition(format): FormatEdition,
) -> Result<Response, ApiError> {
    let donnees = donnees::donnees_autorisation_inhumation(state.db(), collectivite.id, id).await?;
    editer(
        &state,
        &auth,
        &collectivite,
        (OBJET_INHUMATION, id),
        donnees::AUTORISATION_INHUMATION,
        donnees,
        format,
    )
    .await
}

/// The maire's authorisation of an exhumation, a réduction or a réunion de corps (CGCT
/// R2213-40), in PDF (by default) or HTML: the deceased, the emplacement, the requester, their
/// kinship and their attestation that no relative of the same degree objects, the day and the
/// destination of the remains; the collectivité's own version of
/// `cimetiere/autorisation-exhumation` if it has one. Journaled.
#[utoipa::path(
    get,
    path = "/exhumations/{id}/autorisation",
    tag = "cimetiere",
    security(("jeton" = ["cimetiere.inhumation.lire"])),
    params(
        ("id" = Uuid, Path, description = "Identifiant de l'exhumation, de la réduction ou de la réunion de corps"),
        FormatEdition,
        CollectiviteCourante
    ),
    responses(
        (status = 200, description = "L'autorisation, en PDF ou en HTML", content(
            (String = "application/pdf"),
            (String = "text/html"),
        )),
        (status = 404, description = "Opération introuvable", body = Problem, content_type = "application/problem+json"),
    )
)]
async fn autorisation_exhumation(
    State(state): State<AppState>,
    auth: Auth,
    collectivite: CollectiviteCourante,
    Path(id): Path<Uuid>,
    FormatEdition(format): FormatEdition,
) -> Result<Response, ApiError> {
    let donnees = donnees::donnees_autorisation_exhumation(state.db(), collectivite.id, id).await?;
    editer(
        &state,
        &auth,
        &collectivite,
        (OBJET_EXHUMATION, id),
        donnees::AUTORISATION_EXHUMATION,
        donnees,
        format,
    )
    .await
}
