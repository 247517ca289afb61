//! HTTP routes of `/api/v1/usagers`.

use axum::Json;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{DateTime, Utc};
use sea_orm::{ColumnTrait, Condition, QueryFilter, QueryOrder, QuerySelect};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;
use validator::Validate;

use super::doublons::{self, Doublon, PaireDoublon};
use super::entity::usager;
use super::error::etag;
use super::fiche::{FicheUsager, InfoDeces, Statut, UsagerDto, cog_commune};
use super::identite::{DateNaissance, normaliser_nom};
use super::phonetique::cle_nom;
use super::{OBJET, idempotence, service};
use crate::collectivite::{CollectiviteCourante, TenantScoped};
use crate::droits::Auth;
use crate::http::{ApiError, AppState, CorpsJson, Path, Problem, Query};
use crate::journal::{self, Evenement};

pub(super) fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(liste, creer))
        .routes(routes!(lire, modifier, supprimer))
        .routes(routes!(exporter))
        .routes(routes!(fusionner))
        .routes(routes!(deces))
        .routes(routes!(rapport_doublons))
        .routes(routes!(rechercher_doublons))
        .routes(routes!(source_gru))
}

/// Filters and page of the list.
#[derive(Debug, Default, Deserialize, Validate, IntoParams)]
#[into_params(parameter_in = Query)]
pub(super) struct Filtre {
    /// Words of the names or first names, whatever the accents, case and hyphens
    /// (`lefevre marie` finds « Lefèvre-Dupont, Marie-Hélène »); a name also matches what sounds
    /// the same.
    #[validate(length(max = 200))]
    q: Option<String>,
    /// Date of birth, `00` for unknown parts: `1954-06-00` finds every day of June 1954.
    #[param(value_type = Option<String>, example = "1954-06-00")]
    date_naissance: Option<DateNaissance>,
    /// COG code of the commune of birth.
    #[validate(custom(function = "cog_commune"))]
    commune_naissance: Option<String>,
    /// `vivant` or `decede`.
    statut: Option<Statut>,
    /// Only usagers changed at or after this instant, deleted ones included (tombstones),
    /// ordered by change: incremental synchronisation.
    modifie_depuis: Option<DateTime<Utc>>,
    /// How many at most (1 to 500, 50 by default).
    #[validate(range(min = 1, max = 500))]
    limit: Option<u64>,
    /// The `next_cursor` of the previous page.
    cursor: Option<String>,
}

/// A page of usagers.
#[derive(Debug, Serialize, ToSchema)]
pub(super) struct PageUsagers {
    /// The usagers of this page.
    items: Vec<UsagerDto>,
    /// Pass it as `cursor` for the next page; absent on the last page. When synchronising,
    /// keep the `modifie_le` of the last usager received for the next run.
    next_cursor: Option<String>,
}

fn curseur_invalide() -> ApiError {
    ApiError::bad_request(
        "parametre-invalide",
        "Le paramètre cursor n'est pas un curseur rendu par cette liste.",
    )
}

fn lire_curseur(cursor: &str) -> Result<(i64, Uuid), ApiError> {
    let bytes = URL_SAFE_NO_PAD
        .decode(cursor)
        .map_err(|_| curseur_invalide())?;
    let text = String::from_utf8(bytes).map_err(|_| curseur_invalide())?;
    let (micros, id) = text.split_once('_').ok_or_else(curseur_invalide)?;
    let micros: i64 = micros.parse().map_err(|_| curseur_invalide())?;
    Ok((micros, id.parse().map_err(|_| curseur_invalide())?))
}

fn ecrire_curseur(m: &usager::Model) -> String {
    URL_SAFE_NO_PAD.encode(format!("{}_{}", m.modifie_us, m.id))
}

/// The conditions of `q`: every word must start a name or first name, or sound like a name.
fn condition_q(q: &str) -> Condition {
    let mut all = Condition::all();
    for word in normaliser_nom(q).split(' ').filter(|w| !w.is_empty()) {
        let word: String = word.chars().filter(|c| c.is_alphanumeric()).collect();
        if word.is_empty() {
            continue;
        }
        let sound = cle_nom(&word);
        all = all.add(
            Condition::any()
                .add(usager::Column::Recherche.like(format!("% {word}%")))
                .add(usager::Column::PhonNom.eq(sound.as_str()))
                .add(usager::Column::PhonNomUsage.eq(sound.as_str())),
        );
    }
    all
}

fn condition_date(date: DateNaissance) -> Condition {
    let year = date.annee();
    let year_only = format!("{year:04}-00-00");
    match (date.mois(), date.jour()) {
        (Some(month), Some(_)) => Condition::any()
            .add(usager::Column::DateNaissance.eq(date.to_string()))
            .add(usager::Column::DateNaissance.eq(format!("{year:04}-{month:02}-00")))
            .add(usager::Column::DateNaissance.eq(year_only)),
        (Some(month), None) => Condition::any()
            .add(usager::Column::DateNaissance.like(format!("{year:04}-{month:02}-%")))
            .add(usager::Column::DateNaissance.eq(year_only)),
        _ => Condition::all().add(usager::Column::AnneeNaissance.eq(year)),
    }
}

/// Search and list the usagers of the collectivité, or synchronise (`modifie_depuis`).
#[utoipa::path(
    get,
    path = "/",
    tag = "usagers",
    security(("jeton" = ["usagers.usager.lire"])),
    params(Filtre, CollectiviteCourante),
    responses(
        (status = 200, description = "Une page d'usagers", body = PageUsagers),
        (status = 400, description = "Paramètre invalide", body = Problem, content_type = "application/problem+json"),
    )
)]
async fn liste(
    State(state): State<AppState>,
    auth: Auth,
    collectivite: CollectiviteCourante,
    Query(filtre): Query<Filtre>,
) -> Result<Json<PageUsagers>, ApiError> {
    let limit = filtre.limit.unwrap_or(50);
    let mut select = usager::Entity::find_in(collectivite.id);
    if let Some(q) = &filtre.q {
        select = select.filter(condition_q(q));
    }
    if let Some(date) = filtre.date_naissance {
        select = select.filter(condition_date(date));
    }
    if let Some(commune) = &filtre.commune_naissance {
        select = select.filter(usager::Column::CommuneNaissance.eq(commune.to_ascii_uppercase()));
    }
    if let Some(statut) = filtre.statut {
        select = select.filter(usager::Column::Statut.eq(statut.code()));
    }
    let synchronising = filtre.modifie_depuis.is_some();
    if let Some(since) = filtre.modifie_depuis {
        select = select
            .filter(usager::Column::ModifieUs.gte(since.timestamp_micros()))
            .order_by_asc(usager::Column::ModifieUs)
            .order_by_asc(usager::Column::Id);
        if let Some(cursor) = &filtre.cursor {
            let (at, id) = lire_curseur(cursor)?;
            select = select.filter(
                Condition::any().add(usager::Column::ModifieUs.gt(at)).add(
                    Condition::all()
                        .add(usager::Column::ModifieUs.eq(at))
                        .add(usager::Column::Id.gt(id)),
                ),
            );
        }
    } else {
        select = select
            .filter(usager::Column::SupprimeLe.is_null())
            .order_by_asc(usager::Column::Id);
        if let Some(cursor) = &filtre.cursor {
            let id: Uuid = cursor.parse().map_err(|_| curseur_invalide())?;
            select = select.filter(usager::Column::Id.gt(id));
        }
    }
    let mut rows = select.limit(limit + 1).all(state.db()).await?;
    let next_cursor = if rows.len() as u64 > limit {
        rows.truncate(usize::try_from(limit).unwrap_or(usize::MAX));
        rows.last().map(|m| {
            if synchronising {
                ecrire_curseur(m)
            } else {
                m.id.to_string()
            }
        })
    } else {
        None
    };
    journal::liste(&state, &auth, OBJET, rows.len()).await?;
    Ok(Json(PageUsagers {
        items: rows.iter().map(|m| UsagerDto::new(m, Vec::new())).collect(),
        next_cursor,
    }))
}

/// A created usager, with the usagers that may be the same person.
#[derive(Debug, Serialize, ToSchema)]
pub(super) struct CreationDto {
    /// The usager.
    #[serde(flatten)]
    usager: UsagerDto,
    /// Usagers that may be the same person (best first): check them, and merge if they are.
    doublons_possibles: Vec<Doublon>,
}

/// A usager as the answer, with its version as `ETag`.
fn reponse_usager(model: &usager::Model, liens: Vec<super::entity::lien::Model>) -> Response {
    avec_etag(
        Json(UsagerDto::new(model, liens)).into_response(),
        model.version,
    )
}

fn avec_etag(mut response: Response, version: i64) -> Response {
    if let Ok(value) = HeaderValue::from_str(&etag(version)) {
        response.headers_mut().insert(header::ETAG, value);
    }
    response
}

fn reponse_json(statut: StatusCode, corps: String) -> Response {
    (
        statut,
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        )],
        corps,
    )
        .into_response()
}

/// The first answer again, with the headers it had: `ETag` and `Location` of the usager it
/// created, and `Idempotent-Replayed`.
fn rejeu(reponse: idempotence::Reponse) -> Response {
    let statut = StatusCode::from_u16(reponse.statut).unwrap_or(StatusCode::OK);
    let first: serde_json::Value = serde_json::from_str(&reponse.corps).unwrap_or_default();
    let mut response = reponse_json(statut, reponse.corps);
    if let Some(version) = first["version"].as_i64() {
        response = avec_etag(response, version);
    }
    if let Some(location) = first["id"]
        .as_str()
        .and_then(|id| HeaderValue::from_str(&format!("/api/v1/usagers/{id}")).ok())
    {
        response.headers_mut().insert(header::LOCATION, location);
    }
    response
        .headers_mut()
        .insert(idempotence::EN_TETE_REJEU, HeaderValue::from_static("true"));
    response
}

/// Create a usager. With an `Idempotency-Key`, sending the same request again returns the
/// first answer instead of creating a second usager. The answer lists possible duplicates.
#[utoipa::path(
    post,
    path = "/",
    tag = "usagers",
    security(("jeton" = ["usagers.usager.creer"])),
    params(
        ("Idempotency-Key" = Option<String>, Header, description = "Clé choisie par le client (un UUID, par exemple) : un nouvel envoi avec la même clé et le même corps rend la première réponse"),
        CollectiviteCourante
    ),
    request_body = FicheUsager,
    responses(
        (status = 201, description = "Usager créé (ou réponse rejouée, en-tête Idempotent-Replayed)", body = CreationDto,
            headers(("ETag" = String, description = "Version"), ("Location" = String, description = "Adresse de l'usager"))),
        (status = 400, description = "JSON illisible ou clé d'idempotence mal formée", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "Corps trop volumineux", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "Corps qui n'est pas du JSON", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Données invalides, ou clé d'idempotence déjà utilisée pour une autre requête", body = Problem, content_type = "application/problem+json"),
    )
)]
async fn creer(
    State(state): State<AppState>,
    auth: Auth,
    collectivite: CollectiviteCourante,
    headers: HeaderMap,
    CorpsJson(body): CorpsJson,
) -> Result<Response, ApiError> {
    let now = state.clock().now();
    let key = idempotence::cle(&headers)?;
    let fingerprint = idempotence::empreinte("POST", "/api/v1/usagers", &body);
    if let Some(key) = &key
        && let Some(first) =
            idempotence::rejouer(state.db(), collectivite.id, key, &fingerprint, now).await?
    {
        return Ok(rejeu(first));
    }
    let fiche: FicheUsager = crate::http::parse_json(&body)?;
    let fiche = service::valider(fiche, state.today())?;
    // Read before the write transaction: a warning, not a rule, so it need not hold the lock.
    let candidates = doublons::candidats(state.db(), collectivite.id, &fiche, None).await?;
    let mut txn = state.ecrire(&auth).await?;
    let created = service::creer(&txn, collectivite.id, &fiche, now).await?;
    journal::creation(&mut txn, OBJET, created.id);
    let dto = CreationDto {
        usager: UsagerDto::new(&created, Vec::new()),
        doublons_possibles: candidates,
    };
    let corps = serde_json::to_string(&dto).map_err(ApiError::internal)?;
    if let Some(key) = &key {
        let reponse = idempotence::Reponse {
            statut: StatusCode::CREATED.as_u16(),
            corps: corps.clone(),
        };
        let stored =
            idempotence::memoriser(&txn, collectivite.id, key, &fingerprint, &reponse, now).await;
        if let Err(err) = stored {
            drop(txn);
            // A concurrent request with the same key committed first: answer as it did.
            if crate::db::is_unique_violation(&err)
                && let Some(first) =
                    idempotence::rejouer(state.db(), collectivite.id, key, &fingerprint, now)
                        .await?
            {
                return Ok(rejeu(first));
            }
            return Err(err.into());
        }
    }
    txn.valider().await?;
    let mut response = avec_etag(reponse_json(StatusCode::CREATED, corps), created.version);
    if let Ok(location) = HeaderValue::from_str(&format!("/api/v1/usagers/{}", created.id)) {
        response.headers_mut().insert(header::LOCATION, location);
    }
    Ok(response)
}

/// Read one usager, with the records modules hold on them.
#[utoipa::path(
    get,
    path = "/{id}",
    tag = "usagers",
    security(("jeton" = ["usagers.usager.lire"])),
    params(("id" = Uuid, Path, description = "Identifiant de l'usager"), CollectiviteCourante),
    responses(
        (status = 200, description = "L'usager", body = UsagerDto, headers(("ETag" = String, description = "Version, à renvoyer dans If-Match"))),
        (status = 404, description = "Aucun usager de la collectivité n'a cet identifiant", body = Problem, content_type = "application/problem+json"),
        (status = 410, description = "Usager supprimé ou fusionné (Location : l'usager qui le remplace)", body = Problem, content_type = "application/problem+json"),
    )
)]
async fn lire(
    State(state): State<AppState>,
    auth: Auth,
    collectivite: CollectiviteCourante,
    Path(id): Path<Uuid>,
) -> Result<Response, ApiError> {
    let found = service::trouver(state.db(), collectivite.id, id).await?;
    let links = service::liens(state.db(), id).await?;
    journal::lecture(&state, &auth, OBJET, id).await?;
    Ok(reponse_usager(&found, links))
}

/// The version an `If-Match` header asks for: `None` for `*`.
fn if_match(headers: &HeaderMap) -> Result<Option<Option<i64>>, ApiError> {
    let Some(value) = headers.get(header::IF_MATCH) else {
        return Ok(None);
    };
    let text = value.to_str().unwrap_or("").trim();
    if text == "*" {
        return Ok(Some(None));
    }
    let bare = text.trim_start_matches("W/").trim_matches('"');
    bare.parse::<i64>().map(|v| Some(Some(v))).map_err(|_| {
        ApiError::bad_request(
            "if-match-invalide",
            "L'en-tête If-Match doit reprendre l'ETag rendu par la lecture de l'usager (ex. \"3\").",
        )
    })
}

/// Change a usager: a JSON Merge Patch (RFC 7396) of its fiche — members given replace, `null`
/// removes. `If-Match` with the `ETag` read is required: a stale version is refused (412), so
/// no change made meanwhile by someone else is lost.
#[utoipa::path(
    patch,
    path = "/{id}",
    tag = "usagers",
    security(("jeton" = ["usagers.usager.modifier"])),
    params(
        ("id" = Uuid, Path, description = "Identifiant de l'usager"),
        ("If-Match" = String, Header, description = "ETag de la version lue"),
        CollectiviteCourante
    ),
    request_body(content = serde_json::Value, content_type = "application/merge-patch+json", description = "Les champs de FicheUsager à changer ; null pour effacer"),
    responses(
        (status = 200, description = "L'usager modifié", body = UsagerDto, headers(("ETag" = String, description = "Nouvelle version"))),
        (status = 404, description = "Aucun usager de la collectivité n'a cet identifiant", body = Problem, content_type = "application/problem+json"),
        (status = 410, description = "Usager supprimé ou fusionné", body = Problem, content_type = "application/problem+json"),
        (status = 412, description = "Version périmée : l'usager a changé depuis la lecture", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Données invalides", body = Problem, content_type = "application/problem+json"),
        (status = 428, description = "En-tête If-Match manquant", body = Problem, content_type = "application/problem+json"),
    )
)]
async fn modifier(
    State(state): State<AppState>,
    auth: Auth,
    collectivite: CollectiviteCourante,
    Path(id): Path<Uuid>,
    headers: HeaderMap,
    CorpsJson(body): CorpsJson,
) -> Result<Response, ApiError> {
    let expected = if_match(&headers)?;
    let patch: serde_json::Value = crate::http::parse_json(&body)?;
    let mut txn = state.ecrire(&auth).await?;
    let updated = service::modifier(
        &txn,
        collectivite.id,
        id,
        expected,
        &patch,
        state.today(),
        state.clock().now(),
    )
    .await?;
    let event = Evenement::par(&auth, "modification", OBJET, id);
    journal::consigner(&mut txn, event);
    let links = service::liens(&txn, id).await?;
    txn.valider().await?;
    Ok(reponse_usager(&updated, links))
}

/// Delete a usager. Refused (409 `effacement-refuse`, with the legal reasons) while records the
/// law requires are linked to them (état civil, electoral list, concession). Otherwise the
/// identity is erased and a tombstone remains, so that partners learn of the deletion.
#[utoipa::path(
    delete,
    path = "/{id}",
    tag = "usagers",
    security(("jeton" = ["usagers.usager.supprimer"])),
    params(
        ("id" = Uuid, Path, description = "Identifiant de l'usager"),
        ("If-Match" = Option<String>, Header, description = "ETag de la version lue (facultatif)"),
        CollectiviteCourante
    ),
    responses(
        (status = 204, description = "Usager supprimé"),
        (status = 404, description = "Aucun usager de la collectivité n'a cet identifiant", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Effacement refusé : motif légal", body = Problem, content_type = "application/problem+json"),
        (status = 410, description = "Usager déjà supprimé", body = Problem, content_type = "application/problem+json"),
        (status = 412, description = "Version périmée", body = Problem, content_type = "application/problem+json"),
    )
)]
async fn supprimer(
    State(state): State<AppState>,
    auth: Auth,
    collectivite: CollectiviteCourante,
    Path(id): Path<Uuid>,
    headers: HeaderMap,
) -> Result<StatusCode, ApiError> {
    let expected = if_match(&headers)?.flatten();
    let now = state.clock().now();
    let mut txn = state.ecrire(&auth).await?;
    service::supprimer(&txn, state.registry(), collectivite.id, id, expected, now).await?;
    journal::consigner(&mut txn, Evenement::par(&auth, "suppression", OBJET, id));
    txn.valider().await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Everything the collectivité holds on a usager, as one JSON document (right of access, RGPD
/// art. 15): the fiche, each module's records, and who read or changed it.
#[utoipa::path(
    get,
    path = "/{id}/export",
    tag = "usagers",
    security(("jeton" = ["usagers.usager.exporter"])),
    params(("id" = Uuid, Path, description = "Identifiant de l'usager"), CollectiviteCourante),
    responses(
        (status = 200, description = "Les données de l'usager", body = serde_json::Value),
        (status = 404, description = "Aucun usager de la collectivité n'a cet identifiant", body = Problem, content_type = "application/problem+json"),
        (status = 410, description = "Usager supprimé ou fusionné", body = Problem, content_type = "application/problem+json"),
    )
)]
async fn exporter(
    State(state): State<AppState>,
    auth: Auth,
    collectivite: CollectiviteCourante,
    Path(id): Path<Uuid>,
) -> Result<Json<serde_json::Value>, ApiError> {
    let now = state.clock().now();
    let mut txn = state.ecrire(&auth).await?;
    let document = service::exporter(&txn, state.registry(), collectivite.id, id, now).await?;
    journal::consigner(&mut txn, Evenement::par(&auth, "export", OBJET, id));
    txn.valider().await?;
    Ok(Json(document))
}

/// The body of an action on the usager `id`, read once the usager is found: a usager of
/// another collectivité is not found, whatever the body says.
async fn corps_apres_usager<T: serde::de::DeserializeOwned>(
    state: &AppState,
    collectivite: &CollectiviteCourante,
    id: Uuid,
    body: &[u8],
) -> Result<T, ApiError> {
    service::trouver(state.db(), collectivite.id, id).await?;
    crate::http::parse_json(body)
}

/// Which usager to merge into this one.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub(super) struct Fusion {
    /// The duplicate: its records move to the usager of the path, then it is deleted.
    absorbe: Uuid,
}

/// Merge a duplicate into this usager: every module's records move here, what this usager
/// lacks is taken from the duplicate, and the duplicate becomes a tombstone pointing here.
#[utoipa::path(
    post,
    path = "/{id}/fusion",
    tag = "usagers",
    security(("jeton" = ["usagers.usager.fusionner"])),
    params(("id" = Uuid, Path, description = "Identifiant de l'usager conservé"), CollectiviteCourante),
    request_body = Fusion,
    responses(
        (status = 200, description = "L'usager conservé, avec tous les liens", body = UsagerDto),
        (status = 404, description = "Un des usagers est introuvable", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Fusion impossible (identités contradictoires, ou refusée par un module)", body = Problem, content_type = "application/problem+json"),
        (status = 410, description = "Un des usagers est déjà supprimé ou fusionné", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Corps invalide, ou fiche fusionnée invalide", body = Problem, content_type = "application/problem+json"),
    )
)]
async fn fusionner(
    State(state): State<AppState>,
    auth: Auth,
    collectivite: CollectiviteCourante,
    Path(id): Path<Uuid>,
    CorpsJson(body): CorpsJson,
) -> Result<Response, ApiError> {
    let fusion: Fusion = corps_apres_usager(&state, &collectivite, id, &body).await?;
    let now = state.clock().now();
    let mut txn = state.ecrire(&auth).await?;
    let kept = service::fusionner(
        &txn,
        state.registry(),
        collectivite.id,
        id,
        fusion.absorbe,
        state.today(),
        now,
    )
    .await?;
    let event = Evenement::par(&auth, "fusion", OBJET, id)
        .avec(serde_json::json!({ "absorbe": fusion.absorbe }));
    journal::consigner(&mut txn, event);
    let links = service::liens(&txn, id).await?;
    txn.valider().await?;
    Ok(reponse_usager(&kept, links))
}

/// Record a usager's death (publishes `usager.deces`).
#[utoipa::path(
    post,
    path = "/{id}/deces",
    tag = "usagers",
    security(("jeton" = ["usagers.usager.modifier"])),
    params(("id" = Uuid, Path, description = "Identifiant de l'usager"), CollectiviteCourante),
    request_body = InfoDeces,
    responses(
        (status = 200, description = "L'usager, décédé", body = UsagerDto),
        (status = 404, description = "Aucun usager de la collectivité n'a cet identifiant", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Un autre décès est déjà enregistré", body = Problem, content_type = "application/problem+json"),
        (status = 410, description = "Usager supprimé ou fusionné", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Date invalide (future, avant la naissance)", body = Problem, content_type = "application/problem+json"),
    )
)]
async fn deces(
    State(state): State<AppState>,
    auth: Auth,
    collectivite: CollectiviteCourante,
    Path(id): Path<Uuid>,
    CorpsJson(body): CorpsJson,
) -> Result<Response, ApiError> {
    let info: InfoDeces = corps_apres_usager(&state, &collectivite, id, &body).await?;
    let now = state.clock().now();
    let mut txn = state.ecrire(&auth).await?;
    let updated =
        service::marquer_deces(&txn, collectivite.id, id, info, state.today(), now).await?;
    journal::consigner(&mut txn, Evenement::par(&auth, "deces", OBJET, id));
    txn.valider().await?;
    Ok(reponse_usager(&updated, Vec::new()))
}

/// How many pairs.
#[derive(Debug, Deserialize, Validate, IntoParams)]
#[into_params(parameter_in = Query)]
struct Limite {
    /// At most (1 to 1000, 100 by default).
    #[validate(range(min = 1, max = 1000))]
    limit: Option<usize>,
}

/// Possible duplicates over the whole registry, best first, for an agent to review.
#[utoipa::path(
    get,
    path = "/doublons",
    tag = "usagers",
    security(("jeton" = ["usagers.usager.lire"])),
    params(Limite, CollectiviteCourante),
    responses((status = 200, description = "Les paires d'usagers qui sont peut-être la même personne", body = [PaireDoublon]))
)]
async fn rapport_doublons(
    State(state): State<AppState>,
    auth: Auth,
    collectivite: CollectiviteCourante,
    Query(limite): Query<Limite>,
) -> Result<Json<Vec<PaireDoublon>>, ApiError> {
    let pairs = doublons::rapport(state.db(), collectivite.id, limite.limit.unwrap_or(100)).await?;
    journal::liste(&state, &auth, OBJET, pairs.len() * 2).await?;
    Ok(Json(pairs))
}

/// The usagers that may be the person described, without creating anything (a form checking
/// whether the person is already known).
#[utoipa::path(
    post,
    path = "/doublons/recherche",
    tag = "usagers",
    security(("jeton" = ["usagers.usager.lire"])),
    params(CollectiviteCourante),
    request_body = FicheUsager,
    responses(
        (status = 200, description = "Les usagers qui sont peut-être cette personne", body = [Doublon]),
        (status = 422, description = "Données invalides", body = Problem, content_type = "application/problem+json"),
    )
)]
async fn rechercher_doublons(
    State(state): State<AppState>,
    auth: Auth,
    collectivite: CollectiviteCourante,
    CorpsJson(body): CorpsJson,
) -> Result<Json<Vec<Doublon>>, ApiError> {
    let fiche: FicheUsager = crate::http::parse_json(&body)?;
    let fiche = service::valider(fiche, state.today())?;
    let found = doublons::candidats(state.db(), collectivite.id, &fiche, None).await?;
    journal::liste(&state, &auth, OBJET, found.len()).await?;
    Ok(Json(found))
}

/// Parameters of the GRU data source.
#[derive(Debug, Deserialize, Validate, IntoParams)]
#[into_params(parameter_in = Query)]
struct SourceParams {
    /// Words typed in the form (three letters at least).
    #[validate(length(max = 200))]
    q: Option<String>,
    /// One usager by id (to show the value a form stored).
    id: Option<Uuid>,
    /// At most (1 to 100, 20 by default).
    #[validate(range(min = 1, max = 100))]
    limit: Option<u64>,
}

/// One choice of the data source.
#[derive(Debug, Serialize, ToSchema)]
pub(super) struct Choix {
    /// The usager's id.
    id: Uuid,
    /// What the form shows: names, first names, date of birth.
    text: String,
    /// Nom de naissance.
    nom_naissance: String,
    /// Nom d'usage.
    nom_usage: Option<String>,
    /// First names.
    prenoms: String,
    /// Date of birth.
    date_naissance: Option<String>,
}

/// The answer of the data source.
#[derive(Debug, Serialize, ToSchema)]
pub(super) struct SourceGru {
    /// 0: no error.
    err: u8,
    /// The matching usagers.
    data: Vec<Choix>,
}

/// Data source for GRU form engines (w.c.s. « source de données JSON »):
/// `{"err": 0, "data": [{"id": …, "text": …}]}`, filtered by `q=` (three letters at least) or
/// one `id=`; nothing without either, so that a form cannot list the registry.
#[utoipa::path(
    get,
    path = "/source-gru",
    tag = "usagers",
    security(("jeton" = ["usagers.usager.lire"])),
    params(SourceParams, CollectiviteCourante),
    responses((status = 200, description = "Les usagers correspondants", body = SourceGru))
)]
async fn source_gru(
    State(state): State<AppState>,
    auth: Auth,
    collectivite: CollectiviteCourante,
    Query(params): Query<SourceParams>,
) -> Result<Json<SourceGru>, ApiError> {
    let mut select = usager::Entity::find_in(collectivite.id)
        .filter(usager::Column::SupprimeLe.is_null())
        .order_by_asc(usager::Column::CleNom)
        .order_by_asc(usager::Column::Id)
        .limit(params.limit.unwrap_or(20));
    if let Some(id) = params.id {
        select = select.filter(usager::Column::Id.eq(id));
    }
    match params.q.as_deref().map(str::trim).filter(|q| !q.is_empty()) {
        Some(q) if q.chars().filter(|c| c.is_alphanumeric()).count() >= 3 => {
            select = select.filter(condition_q(q));
        }
        // A form must not page through the registry: three letters at least, or one id.
        _ if params.id.is_none() => {
            return Ok(Json(SourceGru {
                err: 0,
                data: Vec::new(),
            }));
        }
        _ => {}
    }
    let rows = select.all(state.db()).await?;
    journal::liste(&state, &auth, OBJET, rows.len()).await?;
    let data = rows
        .into_iter()
        .map(|m| {
            let mut text = match &m.nom_usage {
                Some(usage) => {
                    let ne = if m.sexe.as_deref() == Some("F") {
                        "née"
                    } else {
                        "né"
                    };
                    format!("{usage} ({ne} {})", m.nom_naissance)
                }
                None => m.nom_naissance.clone(),
            };
            if !m.prenoms.is_empty() {
                text = format!("{text} {}", m.prenoms);
            }
            if let Some(date) = m
                .date_naissance
                .as_deref()
                .and_then(|d| d.parse::<DateNaissance>().ok())
            {
                text = format!("{text}, {}", date_fr(date));
            }
            Choix {
                id: m.id,
                text,
                nom_naissance: m.nom_naissance,
                nom_usage: m.nom_usage,
                prenoms: m.prenoms,
                date_naissance: m.date_naissance,
            }
        })
        .collect();
    Ok(Json(SourceGru { err: 0, data }))
}

/// A birth date as French readers write it: `01/06/1954`, `06/1954`, `1954`.
fn date_fr(date: DateNaissance) -> String {
    match (date.mois(), date.jour()) {
        (Some(m), Some(d)) => format!("{d:02}/{m:02}/{:04}", date.annee()),
        (Some(m), None) => format!("{m:02}/{:04}", date.annee()),
        _ => format!("{:04}", date.annee()),
    }
}
