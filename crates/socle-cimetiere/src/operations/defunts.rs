//! The deceased as usagers of the registry: deaths heard of through events (`usager.deces` from
//! the core, `etat-civil.deces_enregistre` from a civil-status module) become proposals to link
//! an inhumation recorded by name to the usager who died that day under that name; an agent
//! accepts a proposal, or links a deceased directly.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, Set,
};
use serde::{Deserialize, Serialize};
use socle::prelude::*;
use socle::usager::entity::usager;
use socle::usager::identite::normaliser_nom;
use utoipa::ToSchema;
use uuid::Uuid;

use super::entity::{deces_connu, inhumation};
use crate::error::CimetiereError;

/// The core's event: a usager is known to have died (subject: the usager's id).
pub(crate) const DECES_USAGER: &str = "usager.deces";
/// A civil-status module recorded a death act (`usager_id` and `date_deces` in its data).
pub(crate) const DECES_ETAT_CIVIL: &str = "etat-civil.deces_enregistre";
/// The usager-link kind of a deceased resting in a grave.
pub(crate) const OBJET_DEFUNT: &str = "cimetiere.inhumation";

/// A proposal: this inhumation may be that usager's.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PropositionDefunt {
    /// The inhumation, recorded without a usager.
    pub inhumation_id: Uuid,
    /// Its emplacement.
    pub emplacement_id: Uuid,
    /// The name the inhumation gives.
    pub defunt_nom: String,
    /// The day of death they share.
    pub date_deces: NaiveDate,
    /// The usager who died that day under that name.
    pub usager_id: Uuid,
    /// The usager's name.
    pub usager_nom: String,
    /// The event that made the death known.
    pub source: String,
}

/// The usager to link an inhumation to.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LienDefunt {
    /// The deceased usager.
    pub usager_id: Uuid,
}

/// A full date `YYYY-MM-DD` (partial dates of death cannot be matched).
fn date_complete(valeur: &serde_json::Value) -> Option<NaiveDate> {
    valeur
        .as_str()
        .and_then(|t| NaiveDate::parse_from_str(t, "%Y-%m-%d").ok())
}

/// Records a death an event made known; an event seen twice changes nothing more.
///
/// # Errors
/// A database failure (the event comes again).
pub(crate) async fn deces_connu(ctx: &EvenementRecu<'_>) -> Result<(), DbErr> {
    let usager_id = if ctx.type_ == DECES_USAGER {
        ctx.sujet.parse::<Uuid>().ok()
    } else {
        ctx.donnees["usager_id"]
            .as_str()
            .and_then(|t| t.parse::<Uuid>().ok())
    };
    let Some(usager_id) = usager_id else {
        return Ok(());
    };
    // A usager merged or erased since: nothing to propose.
    let Some(defunt) = usager::Entity::find_one_in(ctx.db, ctx.collectivite_id, usager_id)
        .await?
        .filter(|u| u.supprime_le.is_none())
    else {
        return Ok(());
    };
    let date = date_complete(&ctx.donnees["date_deces"])
        .or_else(|| date_complete(&ctx.donnees["date"]))
        .or_else(|| {
            defunt
                .date_deces
                .as_deref()
                .and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok())
        });
    let Some(date) = date else {
        return Ok(());
    };
    let nom = format!(
        "{} {}",
        defunt.prenoms,
        defunt.nom_usage.as_ref().unwrap_or(&defunt.nom_naissance)
    );
    let existant = deces_connu::Entity::find_in(ctx.collectivite_id)
        .filter(deces_connu::Column::UsagerId.eq(usager_id))
        .one(ctx.db)
        .await?;
    match existant {
        // An older event delivered late changes nothing.
        Some(d) if d.recu_le > ctx.publie_le => {}
        Some(d) => {
            let mut modele: deces_connu::ActiveModel = d.into();
            modele.nom = Set(nom);
            modele.date_deces = Set(date);
            modele.source = Set(ctx.type_.to_owned());
            modele.recu_le = Set(ctx.publie_le);
            modele.update(ctx.db).await?;
        }
        None => {
            deces_connu::ActiveModel {
                id: Set(Uuid::now_v7()),
                collectivite_id: Set(ctx.collectivite_id),
                usager_id: Set(usager_id),
                nom: Set(nom),
                date_deces: Set(date),
                source: Set(ctx.type_.to_owned()),
                recu_le: Set(ctx.publie_le),
            }
            .insert(ctx.db)
            .await?;
        }
    }
    Ok(())
}

/// Whether the name an inhumation gives is this usager's: the birth or usage name and the first
/// first name are all among its words, accents and case aside.
fn meme_personne(defunt_nom: &str, u: &usager::Model) -> bool {
    let mots: HashSet<String> = normaliser_nom(defunt_nom)
        .split(' ')
        .map(str::to_owned)
        .collect();
    let contient = |nom: &str| {
        let n = normaliser_nom(nom);
        !n.is_empty() && n.split(' ').all(|m| mots.contains(m))
    };
    let prenom = u.prenoms.split_whitespace().next().unwrap_or_default();
    contient(prenom) && (contient(&u.nom_naissance) || u.nom_usage.as_deref().is_some_and(contient))
}

/// The proposals of the collectivité: inhumations recorded without a usager whose name and day
/// of death are those of a death made known by an event.
///
/// # Errors
/// The database failed.
pub(crate) async fn propositions<C: ConnectionTrait>(
    db: &C,
    collectivite_id: Uuid,
) -> Result<Vec<PropositionDefunt>, CimetiereError> {
    use sea_orm::sea_query::Query;

    // The days of death both sides know, computed by the database.
    let dates_connues = Query::select()
        .column(deces_connu::Column::DateDeces)
        .from(deces_connu::Entity)
        .and_where(deces_connu::Column::CollectiviteId.eq(collectivite_id))
        .to_owned();
    let dates_sans_usager = Query::select()
        .column(inhumation::Column::DateDeces)
        .from(inhumation::Entity)
        .and_where(inhumation::Column::CollectiviteId.eq(collectivite_id))
        .and_where(inhumation::Column::DefuntId.is_null())
        .to_owned();
    let inhumations = inhumation::Entity::find_in(collectivite_id)
        .filter(inhumation::Column::DefuntId.is_null())
        .filter(inhumation::Column::DateDeces.in_subquery(dates_connues))
        .all(db)
        .await?;
    if inhumations.is_empty() {
        return Ok(Vec::new());
    }
    let deces = deces_connu::Entity::find_in(collectivite_id)
        .filter(deces_connu::Column::DateDeces.in_subquery(dates_sans_usager.clone()))
        .all(db)
        .await?;
    let defunts_connus = Query::select()
        .column(deces_connu::Column::UsagerId)
        .from(deces_connu::Entity)
        .and_where(deces_connu::Column::CollectiviteId.eq(collectivite_id))
        .and_where(deces_connu::Column::DateDeces.in_subquery(dates_sans_usager))
        .to_owned();
    let usagers: HashMap<Uuid, usager::Model> = usager::Entity::find_in(collectivite_id)
        .filter(usager::Column::Id.in_subquery(defunts_connus))
        .filter(usager::Column::SupprimeLe.is_null())
        .all(db)
        .await?
        .into_iter()
        .map(|u| (u.id, u))
        .collect();
    let mut proposees = Vec::new();
    for i in &inhumations {
        for d in deces.iter().filter(|d| d.date_deces == i.date_deces) {
            if let Some(u) = usagers.get(&d.usager_id)
                && meme_personne(&i.defunt_nom, u)
            {
                proposees.push(PropositionDefunt {
                    inhumation_id: i.id,
                    emplacement_id: i.emplacement_id,
                    defunt_nom: i.defunt_nom.clone(),
                    date_deces: i.date_deces,
                    usager_id: d.usager_id,
                    usager_nom: d.nom.clone(),
                    source: d.source.clone(),
                });
            }
        }
    }
    Ok(proposees)
}

/// Links the inhumation `id` to the deceased usager `lien.usager_id`.
///
/// # Errors
/// [`CimetiereError::Champs`] for an unknown usager; [`CimetiereError::Regle`]:
/// `usager-non-decede` (no death recorded in the registry), `defunt-deja-lie` (linked to
/// another usager); [`CimetiereError::Introuvable`].
pub(crate) async fn lier<C: ConnectionTrait>(
    db: &C,
    collectivite_id: Uuid,
    id: Uuid,
    lien: &LienDefunt,
    now: DateTime<Utc>,
) -> Result<super::inhumation::Inhumation, CimetiereError> {
    let inhume = inhumation::Entity::find_one_in(db, collectivite_id, id)
        .await?
        .ok_or(CimetiereError::Introuvable("Inhumation"))?;
    let defunt = socle::usager::service::trouver(db, collectivite_id, lien.usager_id)
        .await
        .map_err(|_| {
            CimetiereError::Champs(vec![FieldError::new(
                "usager_id",
                "inconnu",
                "aucun usager actif de la collectivité n'a cet identifiant",
            )])
        })?;
    if defunt.date_deces.is_none() {
        return Err(CimetiereError::Regle {
            code: "usager-non-decede",
            detail: "Le référentiel des usagers n'indique pas le décès de cette personne : enregistrez d'abord son décès.".to_owned(),
        });
    }
    match inhume.defunt_id {
        Some(autre) if autre != defunt.id => {
            return Err(CimetiereError::Regle {
                code: "defunt-deja-lie",
                detail: format!(
                    "Cette inhumation de {} est déjà liée à un autre usager.",
                    inhume.defunt_nom
                ),
            });
        }
        _ => {}
    }
    let mut modele: inhumation::ActiveModel = inhume.into();
    modele.defunt_id = Set(Some(defunt.id));
    let lie = modele.update(db).await?;
    inscrire_lien(db, collectivite_id, defunt.id, &lie, now).await?;
    Ok(lie.into())
}

/// Lists the inhumation `inhume` on the record of the usager `defunt_id` (the core's links).
///
/// # Errors
/// [`CimetiereError::Introuvable`] for a usager deleted meanwhile; a database failure.
pub(crate) async fn inscrire_lien<C: ConnectionTrait>(
    db: &C,
    collectivite_id: Uuid,
    defunt_id: Uuid,
    inhume: &inhumation::Model,
    now: DateTime<Utc>,
) -> Result<(), CimetiereError> {
    socle::usager::lier(
        db,
        collectivite_id,
        defunt_id,
        OBJET_DEFUNT,
        inhume.id,
        &format!("Défunt inhumé le {}", inhume.date_inhumation),
        now,
    )
    .await
    .map_err(|e| match e {
        socle::usager::UsagerError::Db(err) => CimetiereError::Db(err),
        _ => CimetiereError::Introuvable("Usager"),
    })
}

/// Re-points the module's operations from a merged usager to the one kept: deceased,
/// requesters of exhumations, declarants of works, deaths known.
///
/// # Errors
/// A database failure rolls the merge back.
pub(crate) async fn fusionner(ctx: &FusionUsager<'_>) -> Result<(), DbErr> {
    use crate::travaux::entity::travaux;
    use sea_orm::sea_query::Expr;

    use super::entity::{exhumation, opposition};

    inhumation::Entity::update_many()
        .col_expr(inhumation::Column::DefuntId, Expr::value(ctx.conserve))
        .filter(inhumation::Column::CollectiviteId.eq(ctx.collectivite_id))
        .filter(inhumation::Column::DefuntId.eq(ctx.absorbe))
        .exec(ctx.db)
        .await?;
    exhumation::Entity::update_many()
        .col_expr(exhumation::Column::DemandeurId, Expr::value(ctx.conserve))
        .filter(exhumation::Column::CollectiviteId.eq(ctx.collectivite_id))
        .filter(exhumation::Column::DemandeurId.eq(ctx.absorbe))
        .exec(ctx.db)
        .await?;
    travaux::Entity::update_many()
        .col_expr(travaux::Column::DeclarantId, Expr::value(ctx.conserve))
        .filter(travaux::Column::CollectiviteId.eq(ctx.collectivite_id))
        .filter(travaux::Column::DeclarantId.eq(ctx.absorbe))
        .exec(ctx.db)
        .await?;
    opposition::Entity::update_many()
        .col_expr(opposition::Column::OpposantId, Expr::value(ctx.conserve))
        .filter(opposition::Column::CollectiviteId.eq(ctx.collectivite_id))
        .filter(opposition::Column::OpposantId.eq(ctx.absorbe))
        .exec(ctx.db)
        .await?;
    // One known death per usager: the kept one's, else the merged one's, moved.
    let garde = deces_connu::Entity::find_in(ctx.collectivite_id)
        .filter(deces_connu::Column::UsagerId.eq(ctx.conserve))
        .one(ctx.db)
        .await?
        .is_some();
    let absorbe = deces_connu::Entity::find_in(ctx.collectivite_id)
        .filter(deces_connu::Column::UsagerId.eq(ctx.absorbe));
    if garde {
        deces_connu::Entity::delete_many()
            .filter(deces_connu::Column::CollectiviteId.eq(ctx.collectivite_id))
            .filter(deces_connu::Column::UsagerId.eq(ctx.absorbe))
            .exec(ctx.db)
            .await?;
    } else if let Some(d) = absorbe.one(ctx.db).await? {
        let mut modele: deces_connu::ActiveModel = d.into();
        modele.usager_id = Set(ctx.conserve);
        modele.update(ctx.db).await?;
    }
    Ok(())
}

/// What the module holds about a usager beyond their concessions: where they rest, the
/// exhumations they asked for, their objections to exhumations, the works they declared.
///
/// # Errors
/// The database failed.
pub(crate) async fn donnees(ctx: &DonneesUsager<'_>) -> Result<Option<serde_json::Value>, DbErr> {
    use super::entity::{exhumation, opposition};
    use crate::travaux::entity::travaux;

    let inhumations = inhumation::Entity::find_in(ctx.collectivite_id)
        .filter(inhumation::Column::DefuntId.eq(ctx.usager_id))
        .all(ctx.db)
        .await?;
    let exhumations = exhumation::Entity::find_in(ctx.collectivite_id)
        .filter(exhumation::Column::DemandeurId.eq(ctx.usager_id))
        .all(ctx.db)
        .await?;
    let declares = travaux::Entity::find_in(ctx.collectivite_id)
        .filter(travaux::Column::DeclarantId.eq(ctx.usager_id))
        .all(ctx.db)
        .await?;
    let oppositions = opposition::Entity::find_in(ctx.collectivite_id)
        .filter(opposition::Column::OpposantId.eq(ctx.usager_id))
        .all(ctx.db)
        .await?;
    if inhumations.is_empty()
        && exhumations.is_empty()
        && oppositions.is_empty()
        && declares.is_empty()
    {
        return Ok(None);
    }
    Ok(Some(serde_json::json!({
        "inhumations": inhumations.iter().map(|i| serde_json::json!({
            "id": i.id,
            "emplacement_id": i.emplacement_id,
            "date_deces": i.date_deces,
            "date_inhumation": i.date_inhumation,
            "exhume_le": i.exhume_le,
        })).collect::<Vec<_>>(),
        "exhumations_demandees": exhumations.iter().map(|e| serde_json::json!({
            "id": e.id,
            "nature": e.nature,
            "date_operation": e.date_operation,
            "lien": e.lien,
            "lien_precision": e.lien_precision,
        })).collect::<Vec<_>>(),
        "oppositions": oppositions.iter().map(|o| serde_json::json!({
            "id": o.id,
            "inhumation_id": o.inhumation_id,
            "lien": o.lien,
            "motif": o.motif,
            "recue_le": o.recue_le,
            "levee_le": o.levee_le,
        })).collect::<Vec<_>>(),
        "travaux_declares": declares.iter().map(|t| serde_json::json!({
            "id": t.id,
            "emplacement_id": t.emplacement_id,
            "nature": t.nature,
            "debut": t.debut,
        })).collect::<Vec<_>>(),
    })))
}
