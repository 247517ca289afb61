//! HTTP routes of the tariff schedule: `/api/v1/cimetiere/tarifs`.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use socle::prelude::*;
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::routes;
use uuid::Uuid;

use super::conversion::{self, Conversion, NouvelleConversion};
use super::echeances::{self, PageEcheances, Periode};
use super::entity::tarif;
use super::renouvellement::{self, NouveauRenouvellement, Renouvellement};
use super::service::{self, NouveauTarif, TypeConcession};
use super::vente::{self, Concession, NouvelleConcession, OBJET_CONCESSION};
use crate::lieux::service::NatureEmplacement;

const OBJET_TARIF: &str = "cimetiere.tarif";

pub(crate) fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(lister, creer))
        .routes(routes!(en_vigueur))
        .routes(routes!(vendre))
        .routes(routes!(lire_concession))
        .routes(routes!(concessions_de_l_emplacement))
        .routes(routes!(lister_renouvellements, renouveler))
        .routes(routes!(lister_echeances))
        .routes(routes!(lettre_renouvellement))
        .routes(routes!(titre_de_concession))
        .routes(routes!(convertir))
}

/// A row of the tariff schedule as the API shows it.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct TarifDto {
    /// Identifier.
    id: Uuid,
    /// The kind of concession.
    type_concession: Option<TypeConcession>,
    /// Its duration in years (0: perpetual).
    duree_ans: i32,
    /// The kind of emplacement.
    nature_emplacement: Option<NatureEmplacement>,
    /// The price in euro cents; absent: withdrawn from the offer from `date_effet`.
    montant_centimes: Option<i64>,
    /// The first day it applies.
    date_effet: NaiveDate,
    /// The council deliberation that set it.
    deliberation: Option<String>,
    /// When it was recorded.
    cree_le: DateTime<Utc>,
}

impl From<tarif::Model> for TarifDto {
    fn from(t: tarif::Model) -> Self {
        Self {
            id: t.id,
            type_concession: TypeConcession::lire(&t.type_concession),
            duree_ans: t.duree_ans,
            nature_emplacement: NatureEmplacement::lire(&t.nature_emplacement),
            montant_centimes: t.montant_centimes,
            date_effet: t.date_effet,
            deliberation: t.deliberation,
            cree_le: t.cree_le,
        }
    }
}

/// The whole tariff schedule of the commune's concessions, past and future rows included.
#[utoipa::path(
    get,
    path = "/tarifs",
    tag = "cimetiere",
    security(("jeton" = ["cimetiere.cimetiere.lire"])),
    params(CollectiviteCourante),
    responses((status = 200, description = "Les lignes du tarif", body = [TarifDto]))
)]
async fn lister(
    State(state): State<AppState>,
    auth: Auth,
    collectivite: CollectiviteCourante,
) -> Result<Json<Vec<TarifDto>>, ApiError> {
    let lignes = service::tarifs(state.db(), collectivite.id).await?;
    socle::journal::liste(&state, &auth, OBJET_TARIF, lignes.len()).await?;
    Ok(Json(lignes.into_iter().map(TarifDto::from).collect()))
}

/// Record a row of the tariff schedule: a price for a kind and duration of concession from a
/// date of effect, or (`propose: false`) its withdrawal from that date.
#[utoipa::path(
    post,
    path = "/tarifs",
    tag = "cimetiere",
    security(("jeton" = ["cimetiere.tarif.gerer"])),
    params(CollectiviteCourante),
    request_body = NouveauTarif,
    responses(
        (status = 201, description = "Ligne de tarif enregistrée", body = TarifDto),
        (status = 409, description = "Une ligne existe déjà pour cette concession à cette date", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Durée hors la loi, prix manquant, emplacement non concessible", body = Problem, content_type = "application/problem+json"),
    )
)]
async fn creer(
    State(state): State<AppState>,
    auth: Auth,
    collectivite: CollectiviteCourante,
    CorpsJson(corps): CorpsJson,
) -> Result<(StatusCode, Json<TarifDto>), ApiError> {
    let nouveau: NouveauTarif = parse_json(&corps)?;
    let mut txn = state.ecrire(&auth).await?;
    let cree = service::creer_tarif(&*txn, collectivite.id, nouveau, state.clock().now()).await?;
    socle::journal::creation(&mut txn, OBJET_TARIF, cree.id);
    txn.valider().await?;
    Ok((StatusCode::CREATED, Json(cree.into())))
}

/// On which date.
#[derive(Debug, Deserialize, validator::Validate, IntoParams)]
#[into_params(parameter_in = Query)]
pub(crate) struct Le {
    /// The date (today by default).
    date: Option<NaiveDate>,
}

/// What the commune offers on a date: for each emplacement, kind and duration of concession,
/// the price in force.
#[utoipa::path(
    get,
    path = "/tarifs/en-vigueur",
    tag = "cimetiere",
    security(("jeton" = ["cimetiere.cimetiere.lire"])),
    params(Le, CollectiviteCourante),
    responses((status = 200, description = "Les concessions proposées ce jour-là et leur prix", body = [TarifDto]))
)]
async fn en_vigueur(
    State(state): State<AppState>,
    auth: Auth,
    collectivite: CollectiviteCourante,
    Query(le): Query<Le>,
) -> Result<Json<Vec<TarifDto>>, ApiError> {
    let date = le.date.unwrap_or_else(|| state.clock().today());
    let lignes = service::offre(state.db(), collectivite.id, date).await?;
    socle::journal::liste(&state, &auth, OBJET_TARIF, lignes.len()).await?;
    Ok(Json(lignes.into_iter().map(TarifDto::from).collect()))
}

/// Sell a concession: the act, the emplacement, the concessionnaire (a usager of the registry),
/// the kind and duration (priced at the tariff in force on the date of the act), the form and
/// the people the act names.
#[utoipa::path(
    post,
    path = "/concessions",
    tag = "cimetiere",
    security(("jeton" = ["cimetiere.concession.gerer"])),
    params(CollectiviteCourante),
    request_body = NouvelleConcession,
    responses(
        (status = 201, description = "Concession enregistrée", body = Concession),
        (status = 409, description = "Emplacement encore concédé, ou numéro d'acte déjà pris", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Champs invalides (durée, concession non proposée à cette date, personnes de l'acte…)", body = Problem, content_type = "application/problem+json"),
    )
)]
async fn vendre(
    State(state): State<AppState>,
    auth: Auth,
    collectivite: CollectiviteCourante,
    CorpsJson(corps): CorpsJson,
) -> Result<(StatusCode, Json<Concession>), ApiError> {
    let nouvelle: NouvelleConcession = parse_json(&corps)?;
    let mut txn = state.ecrire(&auth).await?;
    let vendue = vente::vendre(
        &*txn,
        collectivite.id,
        nouvelle,
        state.clock().today(),
        state.clock().now(),
    )
    .await?;
    socle::journal::creation(&mut txn, OBJET_CONCESSION, vendue.id);
    txn.valider().await?;
    Ok((StatusCode::CREATED, Json(vendue)))
}

/// A concession and the people its act names.
#[utoipa::path(
    get,
    path = "/concessions/{id}",
    tag = "cimetiere",
    security(("jeton" = ["cimetiere.concession.lire"])),
    params(("id" = Uuid, Path, description = "Identifiant de la concession"), CollectiviteCourante),
    responses(
        (status = 200, description = "La concession", body = Concession),
        (status = 404, description = "Concession introuvable", body = Problem, content_type = "application/problem+json"),
    )
)]
async fn lire_concession(
    State(state): State<AppState>,
    auth: Auth,
    collectivite: CollectiviteCourante,
    Path(id): Path<Uuid>,
) -> Result<Json<Concession>, ApiError> {
    let concession = vente::lire(state.db(), collectivite.id, id).await?;
    socle::journal::lecture(&state, &auth, OBJET_CONCESSION, id).await?;
    Ok(Json(concession))
}

/// The concessions an emplacement has had, the oldest act first.
#[utoipa::path(
    get,
    path = "/emplacements/{id}/concessions",
    tag = "cimetiere",
    security(("jeton" = ["cimetiere.concession.lire"])),
    params(("id" = Uuid, Path, description = "Identifiant de l'emplacement"), CollectiviteCourante),
    responses(
        (status = 200, description = "Les concessions de l'emplacement", body = [Concession]),
        (status = 404, description = "Emplacement introuvable", body = Problem, content_type = "application/problem+json"),
    )
)]
async fn concessions_de_l_emplacement(
    State(state): State<AppState>,
    auth: Auth,
    collectivite: CollectiviteCourante,
    Path(id): Path<Uuid>,
) -> Result<Json<Vec<Concession>>, ApiError> {
    crate::lieux::entity::emplacement::Entity::find_one_in(state.db(), collectivite.id, id)
        .await?
        .ok_or(crate::error::CimetiereError::Introuvable("Emplacement"))?;
    let liste = vente::de_l_emplacement(state.db(), collectivite.id, id).await?;
    socle::journal::liste(&state, &auth, OBJET_CONCESSION, liste.len()).await?;
    Ok(Json(liste))
}

/// The renewals of a concession, oldest first.
#[utoipa::path(
    get,
    path = "/concessions/{id}/renouvellements",
    tag = "cimetiere",
    security(("jeton" = ["cimetiere.concession.lire"])),
    params(("id" = Uuid, Path, description = "Identifiant de la concession"), CollectiviteCourante),
    responses(
        (status = 200, description = "Les renouvellements", body = [Renouvellement]),
        (status = 404, description = "Concession introuvable", body = Problem, content_type = "application/problem+json"),
    )
)]
async fn lister_renouvellements(
    State(state): State<AppState>,
    auth: Auth,
    collectivite: CollectiviteCourante,
    Path(id): Path<Uuid>,
) -> Result<Json<Vec<Renouvellement>>, ApiError> {
    let liste = renouvellement::renouvellements(state.db(), collectivite.id, id).await?;
    socle::journal::lecture(&state, &auth, OBJET_CONCESSION, id).await?;
    Ok(Json(liste))
}

/// Renew a concession (CGCT L2223-15): from its expiry and for two full years after it, at the
/// tariff in force on the day of the renewal; the new period starts at the previous expiry.
#[utoipa::path(
    post,
    path = "/concessions/{id}/renouvellements",
    tag = "cimetiere",
    security(("jeton" = ["cimetiere.concession.gerer"])),
    params(("id" = Uuid, Path, description = "Identifiant de la concession"), CollectiviteCourante),
    request_body = NouveauRenouvellement,
    responses(
        (status = 201, description = "Concession renouvelée", body = Renouvellement),
        (status = 404, description = "Concession introuvable", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Hors du délai de renouvellement, concession perpétuelle, période déjà renouvelée", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Durée, date ou demandeur invalide, concession plus proposée", body = Problem, content_type = "application/problem+json"),
    )
)]
async fn renouveler(
    State(state): State<AppState>,
    auth: Auth,
    collectivite: CollectiviteCourante,
    Path(id): Path<Uuid>,
    CorpsJson(corps): CorpsJson,
) -> Result<(StatusCode, Json<Renouvellement>), ApiError> {
    vente::lire(state.db(), collectivite.id, id).await?;
    let demande: NouveauRenouvellement = if corps.is_empty() {
        NouveauRenouvellement::default()
    } else {
        parse_json(&corps)?
    };
    let mut txn = state.ecrire(&auth).await?;
    let fait = renouvellement::renouveler(
        &*txn,
        collectivite.id,
        id,
        demande,
        state.clock().today(),
        state.clock().now(),
    )
    .await?;
    let evenement = socle::journal::Evenement::par(&auth, "renouvellement", OBJET_CONCESSION, id)
        .avec(serde_json::json!({
            "ancienne_echeance": fait.ancienne_echeance,
            "nouvelle_echeance": fait.nouvelle_echeance,
            "montant_centimes": fait.montant_centimes,
        }));
    socle::journal::consigner(&mut txn, evenement);
    txn.valider().await?;
    Ok((StatusCode::CREATED, Json(fait)))
}

/// Which expiries.
#[derive(Debug, Deserialize, validator::Validate, IntoParams)]
#[into_params(parameter_in = Query)]
pub(crate) struct FiltreEcheances {
    /// First day of the period (today by default).
    du: Option<NaiveDate>,
    /// Last day of the period (a year after `du` by default).
    au: Option<NaiveDate>,
    /// Only the concessions of this cemetery.
    cimetiere_id: Option<Uuid>,
    /// How many at most (1 to 1000, 100 by default).
    #[validate(range(min = 1, max = 1000))]
    limit: Option<u64>,
    /// The `suite` of the previous page.
    apres: Option<String>,
}

/// The concessions expiring in a period, by date of expiry: the list renewal notices are sent
/// from, with the last day each can be renewed.
#[utoipa::path(
    get,
    path = "/concessions/echeances",
    tag = "cimetiere",
    security(("jeton" = ["cimetiere.concession.lire"])),
    params(FiltreEcheances, CollectiviteCourante),
    responses(
        (status = 200, description = "Une page de concessions arrivant à échéance", body = PageEcheances),
        (status = 400, description = "Période ou curseur invalide", body = Problem, content_type = "application/problem+json"),
    )
)]
async fn lister_echeances(
    State(state): State<AppState>,
    auth: Auth,
    collectivite: CollectiviteCourante,
    Query(filtre): Query<FiltreEcheances>,
) -> Result<Json<PageEcheances>, ApiError> {
    let du = filtre.du.unwrap_or_else(|| state.clock().today());
    let au = filtre
        .au
        .or_else(|| du.checked_add_months(chrono::Months::new(12)))
        .unwrap_or(du);
    if au < du {
        return Err(ApiError::bad_request(
            "parametre-invalide",
            format!("La période finit ({au}) avant de commencer ({du})."),
        ));
    }
    let apres = match filtre.apres.as_deref() {
        None => None,
        Some(texte) => Some(echeances::lire_curseur(texte).ok_or_else(|| {
            ApiError::bad_request(
                "parametre-invalide",
                "Le paramètre « apres » n'est pas la « suite » d'une page précédente.",
            )
        })?),
    };
    let page = echeances::echeances(
        state.db(),
        collectivite.id,
        &Periode {
            du,
            au,
            cimetiere_id: filtre.cimetiere_id,
            apres,
            limite: filtre.limit.unwrap_or(100),
        },
    )
    .await?;
    socle::journal::liste(&state, &auth, OBJET_CONCESSION, page.items.len()).await?;
    Ok(Json(page))
}

/// The renewal letter of a concession, in PDF (by default) or HTML: its expiry, the last day to
/// renew it and today's tariff; the collectivité's own version of
/// `cimetiere/lettre-renouvellement` if it has one. Journaled.
#[utoipa::path(
    get,
    path = "/concessions/{id}/lettre-renouvellement",
    tag = "cimetiere",
    security(("jeton" = ["cimetiere.concession.lire"])),
    params(
        ("id" = Uuid, Path, description = "Identifiant de la concession"),
        socle::editions::FormatEdition,
        CollectiviteCourante
    ),
    responses(
        (status = 200, description = "La lettre, en PDF ou en HTML", content(
            (String = "application/pdf"),
            (String = "text/html"),
        )),
        (status = 404, description = "Concession introuvable", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Concession perpétuelle : rien à renouveler", body = Problem, content_type = "application/problem+json"),
    )
)]
async fn lettre_renouvellement(
    State(state): State<AppState>,
    auth: Auth,
    collectivite: CollectiviteCourante,
    Path(id): Path<Uuid>,
    socle::editions::FormatEdition(format): socle::editions::FormatEdition,
) -> Result<axum::response::Response, ApiError> {
    let donnees =
        echeances::donnees_lettre(state.db(), collectivite.id, id, state.clock().today()).await?;
    crate::api::editer(
        &state,
        &auth,
        &collectivite,
        (OBJET_CONCESSION, id),
        echeances::LETTRE_RENOUVELLEMENT,
        donnees,
        format,
    )
    .await
}

/// Convert a concession in force into a longer kind (CGCT L2223-16): the value of the time left
/// on its period is credited against the new kind's tariff of the day; the new period starts
/// that day.
#[utoipa::path(
    post,
    path = "/concessions/{id}/conversions",
    tag = "cimetiere",
    security(("jeton" = ["cimetiere.concession.gerer"])),
    params(("id" = Uuid, Path, description = "Identifiant de la concession"), CollectiviteCourante),
    request_body = NouvelleConversion,
    responses(
        (status = 201, description = "Concession convertie : prix, crédit et reste à payer", body = Conversion),
        (status = 404, description = "Concession introuvable", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Concession échue ou perpétuelle", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Type pas plus long, durée contraire au type, concession non proposée ce jour-là", body = Problem, content_type = "application/problem+json"),
    )
)]
async fn convertir(
    State(state): State<AppState>,
    auth: Auth,
    collectivite: CollectiviteCourante,
    Path(id): Path<Uuid>,
    CorpsJson(corps): CorpsJson,
) -> Result<(StatusCode, Json<Conversion>), ApiError> {
    vente::lire(state.db(), collectivite.id, id).await?;
    let demande: NouvelleConversion = parse_json(&corps)?;
    let mut txn = state.ecrire(&auth).await?;
    let fait = conversion::convertir(
        &*txn,
        collectivite.id,
        id,
        demande,
        state.clock().today(),
        state.clock().now(),
    )
    .await?;
    let evenement = socle::journal::Evenement::par(&auth, "conversion", OBJET_CONCESSION, id)
        .avec(serde_json::to_value(&fait).unwrap_or_default());
    socle::journal::consigner(&mut txn, evenement);
    txn.valider().await?;
    Ok((StatusCode::CREATED, Json(fait)))
}

/// The title of a concession, in PDF (by default) or HTML: the holder, the emplacement, the kind,
/// the expiry, the price and the people the act names; the collectivité's own version of
/// `cimetiere/titre-de-concession` if it has one. Journaled.
#[utoipa::path(
    get,
    path = "/concessions/{id}/titre",
    tag = "cimetiere",
    security(("jeton" = ["cimetiere.concession.lire"])),
    params(
        ("id" = Uuid, Path, description = "Identifiant de la concession"),
        socle::editions::FormatEdition,
        CollectiviteCourante
    ),
    responses(
        (status = 200, description = "Le titre, en PDF ou en HTML", content(
            (String = "application/pdf"),
            (String = "text/html"),
        )),
        (status = 404, description = "Concession introuvable", body = Problem, content_type = "application/problem+json"),
    )
)]
async fn titre_de_concession(
    State(state): State<AppState>,
    auth: Auth,
    collectivite: CollectiviteCourante,
    Path(id): Path<Uuid>,
    socle::editions::FormatEdition(format): socle::editions::FormatEdition,
) -> Result<axum::response::Response, ApiError> {
    let donnees = echeances::donnees_titre(state.db(), collectivite.id, id).await?;
    crate::api::editer(
        &state,
        &auth,
        &collectivite,
        (OBJET_CONCESSION, id),
        echeances::TITRE_DE_CONCESSION,
        donnees,
        format,
    )
    .await
}
