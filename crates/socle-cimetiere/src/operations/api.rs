//! HTTP routes of the operations: `/api/v1/cimetiere/emplacements/{id}/inhumations`.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use socle::prelude::*;
use utoipa_axum::routes;
use uuid::Uuid;

use super::defunts::{self, LienDefunt, PropositionDefunt};
use super::exhumation::{self, Exhumation, Litige, NouveauLitige, NouvelleExhumation};
use super::inhumation::{self, Inhumation, NouvelleInhumation, Occupation};
use super::opposition::{self, NouvelleOpposition, Opposition};
use crate::error::CimetiereError;
use crate::lieux::entity::emplacement;

const OBJET_INHUMATION: &str = "cimetiere.inhumation";
/// The kind of record of relatives' objections, in the journal.
const OBJET_OPPOSITION: &str = "cimetiere.opposition";

pub(crate) fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(occupation, inhumer))
        .routes(routes!(exhumer))
        .routes(routes!(ouvrir_litige))
        .routes(routes!(clore_litige))
        .routes(routes!(oppositions, enregistrer_opposition))
        .routes(routes!(lever_opposition))
        .routes(routes!(propositions))
        .routes(routes!(lier_defunt))
}

/// Inhumations recorded by name that may be a deceased usager's: the same name and day of death
/// as a death the registry or the civil status made known (events `usager.deces`,
/// `etat-civil.deces_enregistre`). An agent confirms each by linking it.
#[utoipa::path(
    get,
    path = "/defunts/propositions",
    tag = "cimetiere",
    security(("jeton" = ["cimetiere.inhumation.lire"])),
    params(CollectiviteCourante),
    responses(
        (status = 200, description = "Les liens proposés", body = Vec<PropositionDefunt>),
    )
)]
async fn propositions(
    State(state): State<AppState>,
    auth: Auth,
    collectivite: CollectiviteCourante,
) -> Result<Json<Vec<PropositionDefunt>>, ApiError> {
    let liste = defunts::propositions(state.db(), collectivite.id).await?;
    socle::journal::liste(&state, &auth, OBJET_INHUMATION, liste.len()).await?;
    Ok(Json(liste))
}

/// Link an inhumation to the deceased usager it concerns (a proposal accepted, or directly):
/// the usager's record then lists where they rest.
#[utoipa::path(
    post,
    path = "/inhumations/{id}/defunt",
    tag = "cimetiere",
    security(("jeton" = ["cimetiere.inhumation.autoriser"])),
    params(("id" = Uuid, Path, description = "Identifiant de l'inhumation"), CollectiviteCourante),
    request_body = LienDefunt,
    responses(
        (status = 200, description = "Inhumation liée", body = Inhumation),
        (status = 404, description = "Inhumation introuvable", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Usager dont le décès n'est pas enregistré, inhumation liée à un autre usager", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Usager inconnu", body = Problem, content_type = "application/problem+json"),
    )
)]
async fn lier_defunt(
    State(state): State<AppState>,
    auth: Auth,
    collectivite: CollectiviteCourante,
    Path(id): Path<Uuid>,
    CorpsJson(corps): CorpsJson,
) -> Result<Json<Inhumation>, ApiError> {
    super::entity::inhumation::Entity::find_one_in(state.db(), collectivite.id, id)
        .await?
        .ok_or(CimetiereError::Introuvable("Inhumation"))?;
    let lien: LienDefunt = parse_json(&corps)?;
    let mut txn = state.ecrire(&auth).await?;
    let lie = defunts::lier(&*txn, collectivite.id, id, &lien, state.clock().now()).await?;
    let evenement = socle::journal::Evenement::par(&auth, "lien-defunt", OBJET_INHUMATION, id)
        .avec(serde_json::json!({"usager_id": lien.usager_id}));
    socle::journal::consigner(&mut txn, evenement);
    txn.valider().await?;
    Ok(Json(lie))
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
    let mut txn = state.ecrire(&auth).await?;
    let faite =
        inhumation::inhumer(&*txn, collectivite.id, id, demande, state.clock().now()).await?;
    socle::journal::creation(&mut txn, OBJET_INHUMATION, faite.id);
    txn.valider().await?;
    Ok((StatusCode::CREATED, Json(faite)))
}

/// Exhume, reduce or gather the remains of an inhumation, at the request of the closest
/// relative (CGCT R2213-40) who attests that no relative of the same or a closer degree
/// objects; refused to a person without kinship, while a family dispute is recorded on the
/// grave and while a relative of the same or a closer degree objects. The place is freed. With `transfert`, the
/// remains are laid in another emplacement of the commune, checked as an inhumation there.
#[utoipa::path(
    post,
    path = "/inhumations/{id}/exhumation",
    tag = "cimetiere",
    security(("jeton" = ["cimetiere.inhumation.autoriser"])),
    params(("id" = Uuid, Path, description = "Identifiant de l'inhumation"), CollectiviteCourante),
    request_body = NouvelleExhumation,
    responses(
        (status = 201, description = "Opération enregistrée", body = Exhumation),
        (status = 404, description = "Inhumation introuvable", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Litige familial en cours, opposition d'un parent du même degré ou d'un degré plus proche (opposition-parent), restes déjà déplacés ; pour un transfert, la sépulture d'arrivée le refuse (emplacement-complet, sans-concession, non-nomme, exclu, terrain-commun-5-ans)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Attestation, lien, destination ou demandeur manquant ; demandeur sans lien de parenté (sans-parente) ; transfert invalide (transfert.emplacement_id, transfert.lien, transfert.droit)", body = Problem, content_type = "application/problem+json"),
    )
)]
async fn exhumer(
    State(state): State<AppState>,
    auth: Auth,
    collectivite: CollectiviteCourante,
    Path(id): Path<Uuid>,
    CorpsJson(corps): CorpsJson,
) -> Result<(StatusCode, Json<Exhumation>), ApiError> {
    super::entity::inhumation::Entity::find_one_in(state.db(), collectivite.id, id)
        .await?
        .ok_or(CimetiereError::Introuvable("Inhumation"))?;
    let demande: NouvelleExhumation = parse_json(&corps)?;
    let mut txn = state.ecrire(&auth).await?;
    let faite = exhumation::exhumer(
        &*txn,
        collectivite.id,
        id,
        demande,
        state.clock().today(),
        state.clock().now(),
    )
    .await?;
    let evenement = socle::journal::Evenement::par(&auth, "exhumation", OBJET_INHUMATION, id)
        .avec(serde_json::to_value(&faite).unwrap_or_default());
    socle::journal::consigner(&mut txn, evenement);
    txn.valider().await?;
    Ok((StatusCode::CREATED, Json(faite)))
}

/// Record a family dispute on a grave: no exhumation while it is open.
#[utoipa::path(
    post,
    path = "/emplacements/{id}/litiges",
    tag = "cimetiere",
    security(("jeton" = ["cimetiere.inhumation.autoriser"])),
    params(("id" = Uuid, Path, description = "Identifiant de l'emplacement"), CollectiviteCourante),
    request_body = NouveauLitige,
    responses(
        (status = 201, description = "Litige enregistré", body = Litige),
        (status = 404, description = "Emplacement introuvable", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Motif manquant", body = Problem, content_type = "application/problem+json"),
    )
)]
async fn ouvrir_litige(
    State(state): State<AppState>,
    auth: Auth,
    collectivite: CollectiviteCourante,
    Path(id): Path<Uuid>,
    CorpsJson(corps): CorpsJson,
) -> Result<(StatusCode, Json<Litige>), ApiError> {
    emplacement::Entity::find_one_in(state.db(), collectivite.id, id)
        .await?
        .ok_or(CimetiereError::Introuvable("Emplacement"))?;
    let nouveau: NouveauLitige = parse_json(&corps)?;
    let mut txn = state.ecrire(&auth).await?;
    let litige =
        exhumation::ouvrir_litige(&*txn, collectivite.id, id, nouveau, state.clock().today())
            .await?;
    socle::journal::creation(&mut txn, "cimetiere.litige", litige.id);
    txn.valider().await?;
    Ok((StatusCode::CREATED, Json(litige)))
}

/// End a family dispute (agreement, court decision): exhumations are possible again.
#[utoipa::path(
    post,
    path = "/litiges/{id}/cloture",
    tag = "cimetiere",
    security(("jeton" = ["cimetiere.inhumation.autoriser"])),
    params(("id" = Uuid, Path, description = "Identifiant du litige"), CollectiviteCourante),
    responses(
        (status = 200, description = "Litige clos", body = Litige),
        (status = 404, description = "Litige introuvable", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Litige déjà clos", body = Problem, content_type = "application/problem+json"),
    )
)]
async fn clore_litige(
    State(state): State<AppState>,
    auth: Auth,
    collectivite: CollectiviteCourante,
    Path(id): Path<Uuid>,
) -> Result<Json<Litige>, ApiError> {
    let mut txn = state.ecrire(&auth).await?;
    let litige =
        exhumation::clore_litige(&*txn, collectivite.id, id, state.clock().today()).await?;
    let evenement = socle::journal::Evenement::par(&auth, "cloture", "cimetiere.litige", id);
    socle::journal::consigner(&mut txn, evenement);
    txn.valider().await?;
    Ok(Json(litige))
}

/// The objections of relatives to the exhumation of an inhumation's remains, lifted ones
/// included.
#[utoipa::path(
    get,
    path = "/inhumations/{id}/oppositions",
    tag = "cimetiere",
    security(("jeton" = ["cimetiere.inhumation.lire"])),
    params(("id" = Uuid, Path, description = "Identifiant de l'inhumation"), CollectiviteCourante),
    responses(
        (status = 200, description = "Les oppositions, la première reçue d'abord", body = Vec<Opposition>),
        (status = 404, description = "Inhumation introuvable", body = Problem, content_type = "application/problem+json"),
    )
)]
async fn oppositions(
    State(state): State<AppState>,
    auth: Auth,
    collectivite: CollectiviteCourante,
    Path(id): Path<Uuid>,
) -> Result<Json<Vec<Opposition>>, ApiError> {
    let liste = opposition::de_l_inhumation(state.db(), collectivite.id, id).await?;
    socle::journal::lecture(&state, &auth, OBJET_INHUMATION, id).await?;
    Ok(Json(liste))
}

/// Record a relative's objection to the exhumation of an inhumation's remains: while it
/// stands, no relative of the same or a more distant degree obtains the exhumation.
#[utoipa::path(
    post,
    path = "/inhumations/{id}/oppositions",
    tag = "cimetiere",
    security(("jeton" = ["cimetiere.inhumation.autoriser"])),
    params(("id" = Uuid, Path, description = "Identifiant de l'inhumation"), CollectiviteCourante),
    request_body = NouvelleOpposition,
    responses(
        (status = 201, description = "Opposition enregistrée", body = Opposition),
        (status = 404, description = "Inhumation introuvable", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Personne sans lien de parenté (sans-parente), usager inconnu, motif manquant, date future", body = Problem, content_type = "application/problem+json"),
    )
)]
async fn enregistrer_opposition(
    State(state): State<AppState>,
    auth: Auth,
    collectivite: CollectiviteCourante,
    Path(id): Path<Uuid>,
    CorpsJson(corps): CorpsJson,
) -> Result<(StatusCode, Json<Opposition>), ApiError> {
    super::entity::inhumation::Entity::find_one_in(state.db(), collectivite.id, id)
        .await?
        .ok_or(CimetiereError::Introuvable("Inhumation"))?;
    let nouvelle: NouvelleOpposition = parse_json(&corps)?;
    let mut txn = state.ecrire(&auth).await?;
    let faite =
        opposition::enregistrer(&*txn, collectivite.id, id, nouvelle, state.clock().today())
            .await?;
    socle::journal::creation(&mut txn, OBJET_OPPOSITION, faite.id);
    txn.valider().await?;
    Ok((StatusCode::CREATED, Json(faite)))
}

/// Lift a relative's objection (withdrawn, or settled by the judge): the exhumation is
/// possible again.
#[utoipa::path(
    post,
    path = "/oppositions/{id}/levee",
    tag = "cimetiere",
    security(("jeton" = ["cimetiere.inhumation.autoriser"])),
    params(("id" = Uuid, Path, description = "Identifiant de l'opposition"), CollectiviteCourante),
    responses(
        (status = 200, description = "Opposition levée", body = Opposition),
        (status = 404, description = "Opposition introuvable", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Opposition déjà levée", body = Problem, content_type = "application/problem+json"),
    )
)]
async fn lever_opposition(
    State(state): State<AppState>,
    auth: Auth,
    collectivite: CollectiviteCourante,
    Path(id): Path<Uuid>,
) -> Result<Json<Opposition>, ApiError> {
    let mut txn = state.ecrire(&auth).await?;
    let levee = opposition::lever(&*txn, collectivite.id, id, state.clock().today()).await?;
    let evenement = socle::journal::Evenement::par(&auth, "levee", OBJET_OPPOSITION, id);
    socle::journal::consigner(&mut txn, evenement);
    txn.valider().await?;
    Ok(Json(levee))
}
