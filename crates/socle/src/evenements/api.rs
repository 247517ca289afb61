//! HTTP routes of `/api/v1/evenements`: the event feed, webhook subscriptions, the delivery log
//! and replays.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
    QuerySelect, Set,
};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;
use validator::{Validate, ValidationError};

use super::entity::{abonnement, evenement, livraison, tentative};
use super::{ABANDONNEE, EN_ATTENTE, LIVREE, correspond, nouvelle_livraison, types_of};
use crate::collectivite::CollectiviteCourante;
use crate::droits::Auth;
use crate::http::{ApiError, AppState, Path, Problem, Query, ValidatedJson};
use crate::journal::{self, Evenement};

pub(super) fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(fil))
        .routes(routes!(abonnements, creer_abonnement))
        .routes(routes!(
            abonnement_un,
            modifier_abonnement,
            supprimer_abonnement
        ))
        .routes(routes!(livraisons))
        .routes(routes!(rejouer_livraison))
        .routes(routes!(rejouer_depuis))
}

/// An event as the feed shows it.
#[derive(Debug, Serialize, ToSchema)]
pub(super) struct EvenementDto {
    /// Position in the feed; pass the last one as `apres` to read on.
    seq: i64,
    /// Identifier (the `webhook-id` of its deliveries).
    id: Uuid,
    /// `<module>.<event>`.
    #[serde(rename = "type")]
    type_: String,
    /// What it is about.
    sujet: String,
    /// The event's data.
    data: serde_json::Value,
    /// When it was published.
    timestamp: DateTime<Utc>,
}

impl From<evenement::Model> for EvenementDto {
    fn from(m: evenement::Model) -> Self {
        Self {
            seq: m.seq,
            id: m.id,
            type_: m.type_,
            sujet: m.sujet,
            data: m.donnees,
            timestamp: m.cree_le,
        }
    }
}

/// Where to read the feed from.
#[derive(Debug, Deserialize, Validate, IntoParams)]
#[into_params(parameter_in = Query)]
struct Position {
    /// Events after this position (0 or absent: from the start).
    apres: Option<i64>,
    /// Only events of this type, or of this prefix ending in `*`.
    #[serde(rename = "type")]
    type_: Option<String>,
    /// How many at most (1 to 1000, 100 by default).
    #[validate(range(min = 1, max = 1000))]
    limit: Option<u64>,
}

/// The collectivité's events in publication order: a partner without a webhook can poll it.
#[utoipa::path(
    get,
    path = "/",
    tag = "evenements",
    security(("jeton" = ["evenements.abonnement.lire"])),
    params(Position, CollectiviteCourante),
    responses((status = 200, description = "Les événements suivants", body = [EvenementDto]))
)]
async fn fil(
    State(state): State<AppState>,
    collectivite: CollectiviteCourante,
    Query(position): Query<Position>,
) -> Result<Json<Vec<EvenementDto>>, ApiError> {
    let mut select = evenement::Entity::find()
        .filter(evenement::Column::CollectiviteId.eq(collectivite.id))
        .filter(evenement::Column::Seq.gt(position.apres.unwrap_or(0)))
        .order_by_asc(evenement::Column::Seq)
        .limit(position.limit.unwrap_or(100));
    if let Some(motif) = &position.type_ {
        select = match motif.strip_suffix('*') {
            Some(prefix) => select.filter(evenement::Column::Type.starts_with(prefix)),
            None => select.filter(evenement::Column::Type.eq(motif.as_str())),
        };
    }
    let events = select.all(state.db()).await?;
    Ok(Json(events.into_iter().map(EvenementDto::from).collect()))
}

/// A webhook subscription.
#[derive(Debug, Serialize, ToSchema)]
pub(super) struct AbonnementDto {
    /// Identifier.
    id: Uuid,
    /// The receiver's URL.
    url: String,
    /// What it is for.
    description: Option<String>,
    /// Event names or prefixes ending in `*`.
    types: Vec<String>,
    /// Paused subscriptions receive nothing until they are active again.
    actif: bool,
    /// The signing secret: shown once, when the subscription is created.
    #[serde(skip_serializing_if = "Option::is_none")]
    secret: Option<String>,
    /// Deliveries waiting (including retries).
    en_attente: u64,
    /// When it was created.
    cree_le: DateTime<Utc>,
}

async fn dto(
    state: &AppState,
    m: abonnement::Model,
    show_secret: bool,
) -> Result<AbonnementDto, ApiError> {
    let en_attente = livraison::Entity::find()
        .filter(livraison::Column::AbonnementId.eq(m.id))
        .filter(livraison::Column::Statut.eq(EN_ATTENTE))
        .count(state.db())
        .await?;
    Ok(AbonnementDto {
        types: types_of(&m),
        id: m.id,
        url: m.url,
        description: m.description,
        actif: m.actif,
        secret: show_secret.then_some(m.secret),
        en_attente,
        cree_le: m.cree_le,
    })
}

fn url_http(url: &str) -> Result<(), ValidationError> {
    match url::Url::parse(url) {
        Ok(u) if matches!(u.scheme(), "http" | "https") && u.host().is_some() => Ok(()),
        _ => Err(ValidationError::new("url")
            .with_message("adresse http:// ou https:// complète attendue".into())),
    }
}

fn motifs(types: &[String]) -> Result<(), ValidationError> {
    let valid = |t: &String| {
        !t.is_empty()
            && t.len() <= 100
            && t.chars()
                .all(|c| c.is_ascii_alphanumeric() || "._-*".contains(c))
            && !t[..t.len() - 1].contains('*')
    };
    if types.is_empty() || !types.iter().all(valid) {
        return Err(ValidationError::new("types").with_message(
            "au moins un nom d'événement (usager.cree) ou préfixe terminé par * (usager.*)".into(),
        ));
    }
    Ok(())
}

/// A subscription to create.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub(super) struct NouvelAbonnement {
    /// The receiver's URL (http or https).
    #[schema(example = "https://grc.example.fr/webhooks/socle")]
    #[validate(length(max = 2000), custom(function = "url_http"))]
    url: String,
    /// What it is for.
    #[validate(length(max = 200))]
    description: Option<String>,
    /// Event names or prefixes ending in `*`.
    #[schema(example = json!(["usager.*"]))]
    #[validate(custom(function = "motifs"))]
    types: Vec<String>,
}

/// The collectivité's webhook subscriptions.
#[utoipa::path(
    get,
    path = "/abonnements",
    tag = "evenements",
    security(("jeton" = ["evenements.abonnement.lire"])),
    params(CollectiviteCourante),
    responses((status = 200, description = "Les abonnements", body = [AbonnementDto]))
)]
async fn abonnements(
    State(state): State<AppState>,
    collectivite: CollectiviteCourante,
) -> Result<Json<Vec<AbonnementDto>>, ApiError> {
    let all = abonnement::Entity::find()
        .filter(abonnement::Column::CollectiviteId.eq(collectivite.id))
        .order_by_asc(abonnement::Column::Id)
        .all(state.db())
        .await?;
    let mut out = Vec::with_capacity(all.len());
    for m in all {
        out.push(dto(&state, m, false).await?);
    }
    Ok(Json(out))
}

/// Subscribe a receiver to events. The answer holds the signing secret, shown this once.
#[utoipa::path(
    post,
    path = "/abonnements",
    tag = "evenements",
    security(("jeton" = ["evenements.abonnement.gerer"])),
    params(CollectiviteCourante),
    request_body = NouvelAbonnement,
    responses(
        (status = 201, description = "Abonnement créé, avec son secret", body = AbonnementDto),
        (status = 422, description = "Données invalides", body = Problem, content_type = "application/problem+json"),
    )
)]
async fn creer_abonnement(
    State(state): State<AppState>,
    auth: Auth,
    collectivite: CollectiviteCourante,
    ValidatedJson(new): ValidatedJson<NouvelAbonnement>,
) -> Result<(StatusCode, Json<AbonnementDto>), ApiError> {
    let secret = super::signature::nouveau_secret().map_err(ApiError::internal)?;
    let mut txn = state.ecrire(&auth).await?;
    let created = abonnement::ActiveModel {
        id: Set(Uuid::now_v7()),
        collectivite_id: Set(collectivite.id),
        url: Set(new.url),
        description: Set(new.description),
        types: Set(serde_json::json!(new.types)),
        secret: Set(secret),
        actif: Set(true),
        cree_le: Set(state.clock().now()),
    }
    .insert(&txn)
    .await?;
    journal::creation(&mut txn, "evenements.abonnement", created.id);
    txn.valider().await?;
    Ok((StatusCode::CREATED, Json(dto(&state, created, true).await?)))
}

async fn trouver(
    state: &AppState,
    collectivite: &CollectiviteCourante,
    id: Uuid,
) -> Result<abonnement::Model, ApiError> {
    abonnement::Entity::find_by_id(id)
        .filter(abonnement::Column::CollectiviteId.eq(collectivite.id))
        .one(state.db())
        .await?
        .ok_or_else(|| ApiError::not_found("Abonnement"))
}

/// One subscription.
#[utoipa::path(
    get,
    path = "/abonnements/{id}",
    tag = "evenements",
    security(("jeton" = ["evenements.abonnement.lire"])),
    params(("id" = Uuid, Path, description = "Identifiant de l'abonnement"), CollectiviteCourante),
    responses(
        (status = 200, description = "L'abonnement", body = AbonnementDto),
        (status = 404, description = "Aucun abonnement de la collectivité n'a cet identifiant", body = Problem, content_type = "application/problem+json"),
    )
)]
async fn abonnement_un(
    State(state): State<AppState>,
    collectivite: CollectiviteCourante,
    Path(id): Path<Uuid>,
) -> Result<Json<AbonnementDto>, ApiError> {
    let found = trouver(&state, &collectivite, id).await?;
    Ok(Json(dto(&state, found, false).await?))
}

/// Changes to a subscription.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub(super) struct ModificationAbonnement {
    /// A new URL.
    #[validate(length(max = 2000), custom(function = "url_http"))]
    url: Option<String>,
    /// New patterns.
    #[validate(custom(function = "motifs"))]
    types: Option<Vec<String>>,
    /// Pause (`false`) or resume (`true`).
    actif: Option<bool>,
}

/// Change a subscription's URL or types, pause or resume it (deliveries wait while paused).
#[utoipa::path(
    patch,
    path = "/abonnements/{id}",
    tag = "evenements",
    security(("jeton" = ["evenements.abonnement.gerer"])),
    params(("id" = Uuid, Path, description = "Identifiant de l'abonnement"), CollectiviteCourante),
    request_body = ModificationAbonnement,
    responses(
        (status = 200, description = "L'abonnement modifié", body = AbonnementDto),
        (status = 404, description = "Aucun abonnement de la collectivité n'a cet identifiant", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Données invalides", body = Problem, content_type = "application/problem+json"),
    )
)]
async fn modifier_abonnement(
    State(state): State<AppState>,
    auth: Auth,
    collectivite: CollectiviteCourante,
    Path(id): Path<Uuid>,
    ValidatedJson(change): ValidatedJson<ModificationAbonnement>,
) -> Result<Json<AbonnementDto>, ApiError> {
    let found = trouver(&state, &collectivite, id).await?;
    let mut model: abonnement::ActiveModel = found.into();
    if let Some(url) = change.url {
        model.url = Set(url);
    }
    if let Some(types) = change.types {
        model.types = Set(serde_json::json!(types));
    }
    if let Some(actif) = change.actif {
        model.actif = Set(actif);
    }
    let mut txn = state.ecrire(&auth).await?;
    let updated = model.update(&txn).await?;
    let event = Evenement::par(&auth, "modification", "evenements.abonnement", id);
    journal::consigner(&mut txn, event);
    txn.valider().await?;
    Ok(Json(dto(&state, updated, false).await?))
}

/// Delete a subscription and its delivery log.
#[utoipa::path(
    delete,
    path = "/abonnements/{id}",
    tag = "evenements",
    security(("jeton" = ["evenements.abonnement.gerer"])),
    params(("id" = Uuid, Path, description = "Identifiant de l'abonnement"), CollectiviteCourante),
    responses(
        (status = 204, description = "Abonnement supprimé"),
        (status = 404, description = "Aucun abonnement de la collectivité n'a cet identifiant", body = Problem, content_type = "application/problem+json"),
    )
)]
async fn supprimer_abonnement(
    State(state): State<AppState>,
    auth: Auth,
    collectivite: CollectiviteCourante,
    Path(id): Path<Uuid>,
) -> Result<StatusCode, ApiError> {
    let found = trouver(&state, &collectivite, id).await?;
    let mut txn = state.ecrire(&auth).await?;
    let deliveries = livraison::Entity::find()
        .select_only()
        .column(livraison::Column::Id)
        .filter(livraison::Column::AbonnementId.eq(found.id))
        .into_tuple::<Uuid>()
        .all(&txn)
        .await?;
    for chunk in deliveries.chunks(500) {
        tentative::Entity::delete_many()
            .filter(tentative::Column::LivraisonId.is_in(chunk.to_vec()))
            .exec(&txn)
            .await?;
    }
    livraison::Entity::delete_many()
        .filter(livraison::Column::AbonnementId.eq(found.id))
        .exec(&txn)
        .await?;
    abonnement::Entity::delete_by_id(found.id)
        .exec(&txn)
        .await?;
    let event = Evenement::par(&auth, "suppression", "evenements.abonnement", id);
    journal::consigner(&mut txn, event);
    txn.valider().await?;
    Ok(StatusCode::NO_CONTENT)
}

/// One attempt of a delivery.
#[derive(Debug, Serialize, ToSchema)]
pub(super) struct TentativeDto {
    /// When.
    horodatage: DateTime<Utc>,
    /// The receiver's HTTP status, if it answered.
    statut_http: Option<i32>,
    /// Why it failed.
    erreur: Option<String>,
    /// How long it took, in milliseconds.
    duree_ms: i64,
}

/// A delivery and its attempts.
#[derive(Debug, Serialize, ToSchema)]
pub(super) struct LivraisonDto {
    /// Identifier (to replay it).
    id: Uuid,
    /// The event's position in the feed.
    evenement_seq: i64,
    /// The event's type.
    #[serde(rename = "type")]
    type_: String,
    /// The event's subject.
    sujet: String,
    /// `en_attente`, `livree` or `abandonnee`.
    statut: String,
    /// Attempts made.
    tentatives: i32,
    /// Next attempt (pending deliveries).
    prochaine_tentative: Option<DateTime<Utc>>,
    /// When the receiver accepted it.
    livree_le: Option<DateTime<Utc>>,
    /// Every attempt, oldest first.
    historique: Vec<TentativeDto>,
}

/// Which deliveries.
#[derive(Debug, Deserialize, Validate, IntoParams)]
#[into_params(parameter_in = Query)]
struct FiltreLivraisons {
    /// `en_attente`, `livree` or `abandonnee`.
    statut: Option<String>,
    /// Deliveries of events after this position.
    apres: Option<i64>,
    /// How many at most (1 to 500, 100 by default).
    #[validate(range(min = 1, max = 500))]
    limit: Option<u64>,
}

/// The delivery log of a subscription, in event order, with every attempt.
#[utoipa::path(
    get,
    path = "/abonnements/{id}/livraisons",
    tag = "evenements",
    security(("jeton" = ["evenements.abonnement.lire"])),
    params(("id" = Uuid, Path, description = "Identifiant de l'abonnement"), FiltreLivraisons, CollectiviteCourante),
    responses(
        (status = 200, description = "Les livraisons", body = [LivraisonDto]),
        (status = 404, description = "Aucun abonnement de la collectivité n'a cet identifiant", body = Problem, content_type = "application/problem+json"),
    )
)]
async fn livraisons(
    State(state): State<AppState>,
    collectivite: CollectiviteCourante,
    Path(id): Path<Uuid>,
    Query(filtre): Query<FiltreLivraisons>,
) -> Result<Json<Vec<LivraisonDto>>, ApiError> {
    let found = trouver(&state, &collectivite, id).await?;
    let mut select = livraison::Entity::find()
        .filter(livraison::Column::AbonnementId.eq(found.id))
        .filter(livraison::Column::EvenementSeq.gt(filtre.apres.unwrap_or(0)))
        .order_by_asc(livraison::Column::EvenementSeq)
        .order_by_asc(livraison::Column::Id)
        .limit(filtre.limit.unwrap_or(100));
    if let Some(statut) = &filtre.statut {
        if ![EN_ATTENTE, LIVREE, ABANDONNEE].contains(&statut.as_str()) {
            return Err(ApiError::bad_request(
                "parametre-invalide",
                "statut : en_attente, livree ou abandonnee.",
            ));
        }
        select = select.filter(livraison::Column::Statut.eq(statut.as_str()));
    }
    let deliveries = select.all(state.db()).await?;
    let seqs: Vec<i64> = deliveries.iter().map(|d| d.evenement_seq).collect();
    let ids: Vec<Uuid> = deliveries.iter().map(|d| d.id).collect();
    let events: std::collections::HashMap<i64, String> = evenement::Entity::find()
        .filter(evenement::Column::Seq.is_in(seqs))
        .all(state.db())
        .await?
        .into_iter()
        .map(|e| (e.seq, e.type_))
        .collect();
    let mut attempts: std::collections::HashMap<Uuid, Vec<TentativeDto>> =
        std::collections::HashMap::new();
    for t in tentative::Entity::find()
        .filter(tentative::Column::LivraisonId.is_in(ids))
        .order_by_asc(tentative::Column::Id)
        .all(state.db())
        .await?
    {
        attempts
            .entry(t.livraison_id)
            .or_default()
            .push(TentativeDto {
                horodatage: t.horodatage,
                statut_http: t.statut_http,
                erreur: t.erreur,
                duree_ms: t.duree_ms,
            });
    }
    Ok(Json(
        deliveries
            .into_iter()
            .map(|d| LivraisonDto {
                id: d.id,
                evenement_seq: d.evenement_seq,
                type_: events.get(&d.evenement_seq).cloned().unwrap_or_default(),
                sujet: d.sujet,
                prochaine_tentative: (d.statut == EN_ATTENTE).then_some(d.prochaine_tentative),
                statut: d.statut,
                tentatives: d.tentatives,
                livree_le: d.livree_le,
                historique: attempts.remove(&d.id).unwrap_or_default(),
            })
            .collect(),
    ))
}

/// Send one delivery again (delivered or abandoned), as soon as possible.
#[utoipa::path(
    post,
    path = "/livraisons/{id}/rejouer",
    tag = "evenements",
    security(("jeton" = ["evenements.abonnement.gerer"])),
    params(("id" = Uuid, Path, description = "Identifiant de la livraison"), CollectiviteCourante),
    responses(
        (status = 202, description = "Livraison remise en file"),
        (status = 404, description = "Aucune livraison de la collectivité n'a cet identifiant", body = Problem, content_type = "application/problem+json"),
    )
)]
async fn rejouer_livraison(
    State(state): State<AppState>,
    auth: Auth,
    collectivite: CollectiviteCourante,
    Path(id): Path<Uuid>,
) -> Result<StatusCode, ApiError> {
    let delivery = livraison::Entity::find_by_id(id)
        .one(state.db())
        .await?
        .ok_or_else(|| ApiError::not_found("Livraison"))?;
    trouver(&state, &collectivite, delivery.abonnement_id)
        .await
        .map_err(|_| ApiError::not_found("Livraison"))?;
    let mut txn = state.ecrire(&auth).await?;
    remettre_en_file(&txn, delivery, state.clock().now()).await?;
    let event = Evenement::par(&auth, "rejeu", "evenements.livraison", id);
    journal::consigner(&mut txn, event);
    txn.valider().await?;
    Ok(StatusCode::ACCEPTED)
}

async fn remettre_en_file(
    txn: &sea_orm::DatabaseTransaction,
    delivery: livraison::Model,
    now: DateTime<Utc>,
) -> Result<(), sea_orm::DbErr> {
    let mut model: livraison::ActiveModel = delivery.into();
    model.statut = Set(EN_ATTENTE.to_owned());
    model.prochaine_tentative = Set(now);
    model.reservee_jusqu_a = Set(None);
    model.tentatives = Set(0);
    model.cree_le = Set(now);
    model.update(txn).await.map(drop)
}

/// Events replayed per transaction.
const REJEU_PAGE: u64 = 500;

/// From when to replay.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub(super) struct Rejeu {
    /// Every event published at or after this instant is sent again.
    #[schema(example = "2026-11-23T00:00:00Z")]
    depuis: DateTime<Utc>,
}

/// What a replay queued.
#[derive(Debug, Serialize, ToSchema)]
pub(super) struct RejeuDto {
    /// Deliveries queued.
    livraisons: u64,
}

/// Send again every event since an instant that matches the subscription (a receiver that lost
/// its data, or events published before it subscribed).
#[utoipa::path(
    post,
    path = "/abonnements/{id}/rejouer",
    tag = "evenements",
    security(("jeton" = ["evenements.abonnement.gerer"])),
    params(("id" = Uuid, Path, description = "Identifiant de l'abonnement"), CollectiviteCourante),
    request_body = Rejeu,
    responses(
        (status = 202, description = "Livraisons remises en file", body = RejeuDto),
        (status = 404, description = "Aucun abonnement de la collectivité n'a cet identifiant", body = Problem, content_type = "application/problem+json"),
    )
)]
async fn rejouer_depuis(
    State(state): State<AppState>,
    auth: Auth,
    collectivite: CollectiviteCourante,
    Path(id): Path<Uuid>,
    ValidatedJson(rejeu): ValidatedJson<Rejeu>,
) -> Result<(StatusCode, Json<RejeuDto>), ApiError> {
    let subscription = trouver(&state, &collectivite, id).await?;
    let patterns = types_of(&subscription);
    let now = state.clock().now();
    // Page by page, each in a short transaction: a replay from long ago never holds the
    // writers back for long.
    let mut queued = 0;
    let mut after = 0;
    loop {
        let mut txn = state.ecrire(&auth).await?;
        txn.sans_journal("une page du rejeu : le rejeu entier est journalisé à la fin");
        let events = evenement::Entity::find()
            .filter(evenement::Column::CollectiviteId.eq(collectivite.id))
            .filter(evenement::Column::CreeLe.gte(rejeu.depuis))
            .filter(evenement::Column::Seq.gt(after))
            .order_by_asc(evenement::Column::Seq)
            .limit(REJEU_PAGE)
            .all(&*txn)
            .await?;
        let Some(last) = events.last() else {
            break;
        };
        after = last.seq;
        for event in events
            .iter()
            .filter(|e| patterns.iter().any(|p| correspond(p, &e.type_)))
        {
            let existing = livraison::Entity::find()
                .filter(livraison::Column::AbonnementId.eq(subscription.id))
                .filter(livraison::Column::EvenementSeq.eq(event.seq))
                .one(&*txn)
                .await?;
            match existing {
                Some(d) if d.statut == EN_ATTENTE => continue,
                Some(d) => remettre_en_file(&txn, d, now).await?,
                None => {
                    nouvelle_livraison(subscription.id, event, now)
                        .insert(&*txn)
                        .await?;
                }
            }
            queued += 1;
        }
        txn.valider().await?;
    }
    let mut txn = state.ecrire(&auth).await?;
    let event = Evenement::par(&auth, "rejeu", "evenements.abonnement", id)
        .avec(serde_json::json!({ "depuis": rejeu.depuis, "livraisons": queued }));
    journal::consigner(&mut txn, event);
    txn.valider().await?;
    Ok((StatusCode::ACCEPTED, Json(RejeuDto { livraisons: queued })))
}
