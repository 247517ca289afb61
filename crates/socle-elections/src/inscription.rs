//! Registrations on the electoral list (inscriptions): which usager votes in which bureau.
//!
//! Each registration is linked to its usager in the core's registry ([`socle::usager::lier`]),
//! so that the usager cannot be erased while registered (the list is kept under the Code
//! électoral), the subject-access export lists it, and a merge of two usagers moves it.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, Set,
};
use serde::{Deserialize, Serialize};
use socle::module::{DonneesUsager, EvenementRecu, FusionUsager};
use socle::prelude::*;
use socle::usager::{Statut, UsagerError};
use utoipa::ToSchema;
use utoipa_axum::routes;
use uuid::Uuid;
use validator::Validate;

use crate::entity as bureau;
use crate::error::ElectionsError;

/// The kind of record, in the journal, the links and the RGPD register.
pub(crate) const OBJET: &str = "elections.inscription";

/// The `elections_inscription` table.
pub(crate) mod entity {
    use sea_orm::entity::prelude::*;

    /// One registration on the electoral list.
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "elections_inscription")]
    pub(crate) struct Model {
        /// Public identifier.
        #[sea_orm(primary_key, auto_increment = false)]
        pub(crate) id: Uuid,
        /// The collectivité whose list it is.
        pub(crate) collectivite_id: Uuid,
        /// The elector, in the core's registry.
        pub(crate) usager_id: Uuid,
        /// The bureau de vote.
        pub(crate) bureau_id: Uuid,
        /// Date of registration.
        pub(crate) date_inscription: Date,
        /// Why an agent must review the registration (the elector died…), if they must.
        pub(crate) a_verifier: Option<String>,
        /// When the row was created.
        pub(crate) created_at: DateTimeUtc,
    }

    socle::entite_par_collectivite!(pub(crate));
}

/// A registration to record.
#[derive(Debug, Clone, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NouvelleInscription {
    /// The elector (a living usager of the collectivité).
    pub usager_id: Uuid,
    /// The bureau de vote.
    pub bureau_id: Uuid,
    /// Date of registration (today by default).
    #[schema(value_type = Option<String>, example = "2026-11-24")]
    pub date_inscription: Option<NaiveDate>,
}

/// A registration as the API shows it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub(crate) struct InscriptionDto {
    /// Identifier.
    id: Uuid,
    /// The elector.
    usager_id: Uuid,
    /// The bureau de vote.
    bureau_id: Uuid,
    /// Date of registration.
    date_inscription: NaiveDate,
    /// Why an agent must review the registration (a radiation to examine), if they must.
    #[serde(skip_serializing_if = "Option::is_none")]
    a_verifier: Option<String>,
}

impl From<entity::Model> for InscriptionDto {
    fn from(m: entity::Model) -> Self {
        Self {
            id: m.id,
            usager_id: m.usager_id,
            bureau_id: m.bureau_id,
            date_inscription: m.date_inscription,
            a_verifier: m.a_verifier,
        }
    }
}

/// Registers a usager on the list, in the bureau given, and links the registration to them.
///
/// # Errors
/// Unknown bureau or usager, a deceased usager, a usager already registered, a date in the
/// future.
pub(crate) async fn inscrire<C: ConnectionTrait>(
    db: &C,
    collectivite_id: Uuid,
    new: NouvelleInscription,
    today: NaiveDate,
    now: DateTime<Utc>,
) -> Result<entity::Model, ElectionsError> {
    let date = new.date_inscription.unwrap_or(today);
    if date > today {
        return Err(ElectionsError::DateFuture(date));
    }
    let bureau = bureau::Entity::find_one_in(db, collectivite_id, new.bureau_id)
        .await?
        .ok_or(ElectionsError::BureauInconnu)?;
    let usager = socle::usager::service::trouver(db, collectivite_id, new.usager_id)
        .await
        .map_err(ElectionsError::from_usager)?;
    if usager.statut == Statut::Decede.code() {
        return Err(ElectionsError::UsagerDecede);
    }
    let already = entity::Entity::find_in(collectivite_id)
        .filter(entity::Column::UsagerId.eq(new.usager_id))
        .count(db)
        .await?;
    if already > 0 {
        return Err(ElectionsError::DejaInscrit);
    }
    let created = entity::ActiveModel {
        id: Set(Uuid::now_v7()),
        collectivite_id: Set(collectivite_id),
        usager_id: Set(new.usager_id),
        bureau_id: Set(bureau.id),
        date_inscription: Set(date),
        a_verifier: Set(None),
        created_at: Set(now),
    }
    .insert(db)
    .await
    // Two registrations of one person at the same time: the unique index decides.
    .map_err(|e| socle::db::on_unique(e, || ElectionsError::DejaInscrit))?;
    let libelle = format!(
        "Inscription sur la liste électorale (bureau {} – {})",
        bureau.code, bureau.nom
    );
    socle::usager::lier(
        db,
        collectivite_id,
        new.usager_id,
        OBJET,
        created.id,
        &libelle,
        now,
    )
    .await
    .map_err(ElectionsError::from_usager)?;
    Ok(created)
}

/// Moves the registrations of a merged usager to the usager kept; refused when both are
/// registered (a double registration is resolved by a radiation first).
pub(crate) async fn fusionner(ctx: &FusionUsager<'_>) -> Result<(), UsagerError> {
    let count = |usager: Uuid| {
        entity::Entity::find_in(ctx.collectivite_id)
            .filter(entity::Column::UsagerId.eq(usager))
            .count(ctx.db)
    };
    if count(ctx.conserve).await? > 0 && count(ctx.absorbe).await? > 0 {
        return Err(UsagerError::FusionImpossible(
            "Les deux usagers sont inscrits sur la liste électorale : radiez d'abord l'inscription en double.".to_owned(),
        ));
    }
    entity::Entity::update_many()
        .col_expr(entity::Column::UsagerId, Expr::value(ctx.conserve))
        .filter(entity::Column::CollectiviteId.eq(ctx.collectivite_id))
        .filter(entity::Column::UsagerId.eq(ctx.absorbe))
        .exec(ctx.db)
        .await?;
    Ok(())
}

/// The usager's registrations, for the subject-access export.
pub(crate) async fn donnees(
    ctx: &DonneesUsager<'_>,
) -> Result<Option<serde_json::Value>, sea_orm::DbErr> {
    let found = entity::Entity::find_in(ctx.collectivite_id)
        .filter(entity::Column::UsagerId.eq(ctx.usager_id))
        .all(ctx.db)
        .await?;
    if found.is_empty() {
        return Ok(None);
    }
    let items: Vec<InscriptionDto> = found.into_iter().map(InscriptionDto::from).collect();
    Ok(Some(serde_json::json!({ "inscriptions": items })))
}

pub(crate) fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list, create))
        .routes(routes!(get_one))
        .routes(routes!(attestation))
}

/// List the registrations of the collectivité's electoral list.
#[utoipa::path(
    get,
    path = "/inscriptions",
    tag = "elections",
    security(("jeton" = ["elections.inscription.lire"])),
    params(PageParams, CollectiviteCourante),
    responses(
        (status = 200, description = "Une page d'inscriptions", body = Page<InscriptionDto>),
        (status = 400, description = "Paramètre invalide", body = Problem, content_type = "application/problem+json"),
    )
)]
async fn list(
    State(state): State<AppState>,
    auth: Auth,
    collectivite: CollectiviteCourante,
    Query(params): Query<PageParams>,
) -> Result<Json<Page<InscriptionDto>>, ApiError> {
    let select = entity::Entity::find_in(collectivite.id);
    let page = fetch_page(state.db(), select, entity::Column::Id, |m| m.id, &params).await?;
    socle::journal::liste(&state, &auth, OBJET, page.items.len()).await?;
    Ok(Json(page.map(InscriptionDto::from)))
}

/// Register a usager on the electoral list.
#[utoipa::path(
    post,
    path = "/inscriptions",
    tag = "elections",
    security(("jeton" = ["elections.inscription.creer"])),
    params(CollectiviteCourante),
    request_body = NouvelleInscription,
    responses(
        (status = 201, description = "Inscription enregistrée", body = InscriptionDto),
        (status = 404, description = "Bureau ou usager introuvable", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Usager déjà inscrit, ou décédé", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Données invalides", body = Problem, content_type = "application/problem+json"),
    )
)]
async fn create(
    State(state): State<AppState>,
    auth: Auth,
    collectivite: CollectiviteCourante,
    ValidatedJson(new): ValidatedJson<NouvelleInscription>,
) -> Result<(StatusCode, Json<InscriptionDto>), ApiError> {
    let mut txn = state.ecrire(&auth).await?;
    let created = inscrire(
        &txn,
        collectivite.id,
        new,
        state.today(),
        state.clock().now(),
    )
    .await?;
    socle::journal::creation(&mut txn, OBJET, created.id);
    txn.valider().await?;
    Ok((StatusCode::CREATED, Json(created.into())))
}

/// Read one registration.
#[utoipa::path(
    get,
    path = "/inscriptions/{id}",
    tag = "elections",
    security(("jeton" = ["elections.inscription.lire"])),
    params(("id" = Uuid, Path, description = "Identifiant de l'inscription"), CollectiviteCourante),
    responses(
        (status = 200, description = "L'inscription", body = InscriptionDto),
        (status = 404, description = "Aucune inscription de la collectivité n'a cet identifiant", body = Problem, content_type = "application/problem+json"),
    )
)]
async fn get_one(
    State(state): State<AppState>,
    auth: Auth,
    collectivite: CollectiviteCourante,
    Path(id): Path<Uuid>,
) -> Result<Json<InscriptionDto>, ApiError> {
    let found = entity::Entity::find_one_in(state.db(), collectivite.id, id)
        .await?
        .ok_or_else(|| ApiError::not_found("Inscription"))?;
    socle::journal::lecture(&state, &auth, OBJET, id).await?;
    Ok(Json(found.into()))
}

/// Name of the attestation template (`templates/editions/attestation-inscription.html`).
pub(crate) const ATTESTATION: &str = "attestation-inscription";

/// The merge fields of a registration's attestation: `usager` (the core's usager fields),
/// `inscription` (`id`, `date_inscription`) and `bureau` (`code`, `nom`, `lieu`).
async fn donnees_attestation<C: ConnectionTrait>(
    db: &C,
    collectivite_id: Uuid,
    inscription: &entity::Model,
) -> Result<serde_json::Value, ElectionsError> {
    let bureau = bureau::Entity::find_one_in(db, collectivite_id, inscription.bureau_id)
        .await?
        .ok_or(ElectionsError::BureauInconnu)?;
    let usager = socle::usager::service::trouver(db, collectivite_id, inscription.usager_id)
        .await
        .map_err(ElectionsError::from_usager)?;
    Ok(serde_json::json!({
        "usager": socle::editions::contexte::usager(&usager),
        "inscription": {
            "id": inscription.id,
            "date_inscription": inscription.date_inscription,
        },
        "bureau": {"code": bureau.code, "nom": bureau.nom, "lieu": bureau.lieu},
    }))
}

/// The attestation of registration on the electoral list, in PDF (by default) or HTML
/// (`?format=html`, or `Accept: text/html`), from the collectivité's version of the template
/// `elections/attestation-inscription` (else the shipped one). Journaled.
#[utoipa::path(
    get,
    path = "/inscriptions/{id}/attestation",
    tag = "elections",
    security(("jeton" = ["elections.inscription.lire"])),
    params(
        ("id" = Uuid, Path, description = "Identifiant de l'inscription"),
        socle::editions::FormatEdition,
        CollectiviteCourante
    ),
    responses(
        (status = 200, description = "L'attestation, en PDF ou en HTML", content(
            (String = "application/pdf"),
            (String = "text/html"),
        )),
        (status = 400, description = "Format inconnu", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "Aucune inscription de la collectivité n'a cet identifiant", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "La version du modèle propre à la collectivité échoue (champ de fusion absent, erreur)", body = Problem, content_type = "application/problem+json"),
    )
)]
async fn attestation(
    State(state): State<AppState>,
    auth: Auth,
    collectivite: CollectiviteCourante,
    Path(id): Path<Uuid>,
    socle::editions::FormatEdition(format): socle::editions::FormatEdition,
) -> Result<axum::response::Response, ApiError> {
    let found = entity::Entity::find_one_in(state.db(), collectivite.id, id)
        .await?
        .ok_or_else(|| ApiError::not_found("Inscription"))?;
    let donnees = donnees_attestation(state.db(), collectivite.id, &found).await?;
    let edition = socle::editions::Edition::new(crate::Elections.id(), ATTESTATION, donnees);
    socle::editions::delivrer(
        &state,
        &auth,
        collectivite.id,
        (OBJET, id),
        &edition,
        format,
    )
    .await
}

/// The event the module reacts to: a registered elector's death.
pub(crate) const DECES: &str = "usager.deces";

/// A registered elector died: the registration is flagged for an agent, who examines the
/// radiation (the list is kept by the REU; nothing is removed automatically).
pub(crate) async fn deces_connu(ctx: &EvenementRecu<'_>) -> Result<(), sea_orm::DbErr> {
    let Ok(usager) = ctx.sujet.parse::<Uuid>() else {
        return Ok(());
    };
    let date = ctx.donnees["date"].as_str().unwrap_or("date inconnue");
    let motif = format!("Décès connu ({date}) : radiation à examiner");
    entity::Entity::update_many()
        .col_expr(entity::Column::AVerifier, Expr::value(motif))
        .filter(entity::Column::CollectiviteId.eq(ctx.collectivite_id))
        .filter(entity::Column::UsagerId.eq(usager))
        .exec(ctx.db)
        .await?;
    Ok(())
}

/// Registers the demo commune's first living adult usagers, alternately in each bureau.
pub(crate) async fn seed_demo(ctx: &DemoContext<'_>) -> Result<(), sea_orm::DbErr> {
    use sea_orm::QueryOrder;
    use socle::usager::entity::usager;

    let present = entity::Entity::find_in(ctx.collectivite_id)
        .count(ctx.db)
        .await?;
    if present > 0 {
        return Ok(());
    }
    let bureaux = bureau::Entity::find_in(ctx.collectivite_id)
        .order_by_asc(bureau::Column::Code)
        .all(ctx.db)
        .await?;
    let electeurs = usager::Entity::find_in(ctx.collectivite_id)
        .filter(usager::Column::SupprimeLe.is_null())
        .filter(usager::Column::Statut.eq(Statut::Vivant.code()))
        .order_by_asc(usager::Column::Id)
        .all(ctx.db)
        .await?;
    if bureaux.is_empty() {
        return Ok(());
    }
    // Adults whose civil status is fully known (the demo's duplicate has a partial birth date).
    let adult = |u: &usager::Model| {
        u.annee_naissance.is_some_and(|y| y <= 2008)
            && u.date_naissance
                .as_deref()
                .is_some_and(|d| !d.ends_with("-00"))
    };
    for (n, electeur) in electeurs.iter().filter(|u| adult(u)).take(4).enumerate() {
        let new = NouvelleInscription {
            usager_id: electeur.id,
            bureau_id: bureaux[n % bureaux.len()].id,
            date_inscription: None,
        };
        inscrire(ctx.db, ctx.collectivite_id, new, ctx.today, ctx.now)
            .await
            .map_err(|e| sea_orm::DbErr::Custom(e.to_string()))?;
    }
    Ok(())
}
