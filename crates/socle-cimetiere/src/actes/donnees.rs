//! The merge fields of the acts' documents: one function per template, each returning the JSON
//! its template reads (the core adds the common fields: `collectivite`, `aujourd_hui`,
//! `signataire`, `modele`).
//!
//! Fields shared by several documents:
//!
//! - `concession`: `numero_acte`, `date_acte`, `type_concession`, `libelle_type`
//!   (« trentenaire », « temporaire de 15 ans »), `forme`, `duree_ans`, `date_echeance`,
//!   `personnes` (`role`, `nom`, `lien`: the people the act names, their kinship with the
//!   holder as a letter names it, « enfant, fille adoptive »);
//! - `concessionnaire`: the holder, the core's usager fields, or `null` when the registry no
//!   longer has them;
//! - `emplacement`: `numero`, `nature`, `cimetiere` (its name), `zone` (the carré: `code`,
//!   `nom`) and `allee` (`code`, `nom`), each `null` when there is none;
//! - `defunts`: the people resting in the concession (inhumations not exhumed, the first
//!   first): `nom`, `date_deces`, `date_inhumation`;
//! - `reprise`: the procedure: `etape`, `mode_convocation` (`lettre_recommandee`,
//!   `affichage`), `convocation_le`, `constat_le`, `publication_le`, `second_constat_le`,
//!   `deliberation_le`, `deliberation_ref`, `arrete_le`, `arrete_ref` (`null` until done).

use chrono::NaiveDate;
use sea_orm::sea_query::Condition;
use sea_orm::{ColumnTrait, ConnectionTrait, QueryFilter, QueryOrder};
use serde_json::{Value, json};
use socle::prelude::*;
use socle::usager::identite::Sexe;
use socle::usager::{Parente, UsagerError};
use uuid::Uuid;

use crate::concessions::vente::{self, Concession};
use crate::entity as cimetiere;
use crate::error::CimetiereError;
use crate::lieux::entity::{allee, emplacement, zone};
use crate::operations::entity::{exhumation, inhumation};
use crate::reprise::entity::reprise;
use crate::reprise::service::{Reprise, libelle_etape};

/// Name of the first procès-verbal's template (`templates/editions/proces-verbal-abandon.html`).
pub(crate) const PROCES_VERBAL_ABANDON: &str = "proces-verbal-abandon";
/// Name of the second procès-verbal's template
/// (`templates/editions/second-proces-verbal-abandon.html`).
pub(crate) const SECOND_PROCES_VERBAL_ABANDON: &str = "second-proces-verbal-abandon";
/// Name of the arrêté of reprise's template (`templates/editions/arrete-reprise.html`).
pub(crate) const ARRETE_REPRISE: &str = "arrete-reprise";
/// Name of the authorisation of inhumation's template
/// (`templates/editions/autorisation-inhumation.html`).
pub(crate) const AUTORISATION_INHUMATION: &str = "autorisation-inhumation";
/// Name of the authorisation of exhumation's template
/// (`templates/editions/autorisation-exhumation.html`).
pub(crate) const AUTORISATION_EXHUMATION: &str = "autorisation-exhumation";

/// The usager `id`'s merge fields, following a merge once; `null` when the registry no longer
/// has them (erased).
async fn usager_ou_rien<C: ConnectionTrait>(
    db: &C,
    collectivite_id: Uuid,
    id: Uuid,
) -> Result<Value, CimetiereError> {
    let mut cherche = id;
    for _ in 0..2 {
        match socle::usager::service::trouver(db, collectivite_id, cherche).await {
            Ok(u) => return Ok(socle::editions::contexte::usager(&u)),
            Err(UsagerError::Db(err)) => return Err(CimetiereError::Db(err)),
            Err(UsagerError::Supprime {
                fusionne_dans: Some(conserve),
            }) => cherche = conserve,
            Err(_) => break,
        }
    }
    Ok(Value::Null)
}

/// The `emplacement` fields of the emplacement `id`.
async fn lieu<C: ConnectionTrait>(
    db: &C,
    collectivite_id: Uuid,
    id: Uuid,
) -> Result<Value, CimetiereError> {
    let lieu = emplacement::Entity::find_one_in(db, collectivite_id, id)
        .await?
        .ok_or(CimetiereError::Introuvable("Emplacement"))?;
    let nom_cimetiere = cimetiere::Entity::find_one_in(db, collectivite_id, lieu.cimetiere_id)
        .await?
        .map(|m| m.nom)
        .unwrap_or_default();
    let carre = zone::Entity::find_one_in(db, collectivite_id, lieu.zone_id)
        .await?
        .map(|z| json!({"code": z.code, "nom": z.nom}));
    let allee = match lieu.allee_id {
        Some(a) => allee::Entity::find_one_in(db, collectivite_id, a)
            .await?
            .map(|a| json!({"code": a.code, "nom": a.nom})),
        None => None,
    };
    Ok(json!({
        "numero": lieu.numero,
        "nature": lieu.nature,
        "cimetiere": nom_cimetiere,
        "zone": carre,
        "allee": allee,
    }))
}

/// The `concession` fields of a concession.
fn champs_concession(c: &Concession) -> Value {
    json!({
        "numero_acte": c.numero_acte,
        "date_acte": c.date_acte,
        "type_concession": c.type_concession,
        "libelle_type": c.type_concession.map(|t| t.libelle(c.duree_ans)).unwrap_or_default(),
        "forme": c.forme,
        "duree_ans": c.duree_ans,
        "date_echeance": c.date_echeance,
        "personnes": vente::champs_personnes(&c.personnes),
    })
}

/// The `defunts` of a concession on the day `au`: the inhumations of its emplacement made under
/// it (or recorded without concession) by then and not exhumed before that day, the first
/// first — a document printed again after the remains left still names them.
async fn defunts<C: ConnectionTrait>(
    db: &C,
    collectivite_id: Uuid,
    c: &Concession,
    au: NaiveDate,
) -> Result<Vec<Value>, CimetiereError> {
    Ok(inhumation::Entity::find_in(collectivite_id)
        .filter(inhumation::Column::EmplacementId.eq(c.emplacement_id))
        .filter(inhumation::Column::DateInhumation.lte(au))
        .filter(
            Condition::any()
                .add(inhumation::Column::ExhumeLe.is_null())
                .add(inhumation::Column::ExhumeLe.gte(au)),
        )
        .filter(
            Condition::any()
                .add(inhumation::Column::ConcessionId.eq(c.id))
                .add(inhumation::Column::ConcessionId.is_null()),
        )
        .order_by_asc(inhumation::Column::DateInhumation)
        .order_by_asc(inhumation::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(|i| {
            json!({
                "nom": i.defunt_nom,
                "date_deces": i.date_deces,
                "date_inhumation": i.date_inhumation,
            })
        })
        .collect())
}

/// The procedure `id` of the collectivité.
async fn procedure<C: ConnectionTrait>(
    db: &C,
    collectivite_id: Uuid,
    id: Uuid,
) -> Result<reprise::Model, CimetiereError> {
    reprise::Entity::find_one_in(db, collectivite_id, id)
        .await?
        .ok_or(CimetiereError::Introuvable("Procédure de reprise"))
}

/// The refusal of a document whose step is not recorded yet: the step to record, where the
/// procedure is and when its next step may be done.
fn etape_non_faite(r: &reprise::Model, document: &str, etape: &str) -> CimetiereError {
    let suivie = Reprise::from(r.clone());
    let prochaine = suivie
        .prochaine_etape
        .map(|(nom, date)| {
            format!(
                " ; la prochaine, « {} », est possible à partir du {date}",
                libelle_etape(&nom)
            )
        })
        .unwrap_or_default();
    CimetiereError::Regle {
        code: "etape-non-faite",
        detail: format!(
            "{document} ne s'édite qu'une fois l'étape « {} » enregistrée dans la procédure (POST /reprises/{}/etapes). La procédure en est à l'étape « {} »{prochaine}.",
            libelle_etape(etape),
            r.id,
            libelle_etape(&r.etape)
        ),
    }
}

/// The fields every document of a procedure receives: `reprise`, `concession`,
/// `concessionnaire`, `emplacement`, `defunts`.
async fn champs_reprise<C: ConnectionTrait>(
    db: &C,
    collectivite_id: Uuid,
    r: &reprise::Model,
    au: NaiveDate,
) -> Result<Value, CimetiereError> {
    let c = vente::lire(db, collectivite_id, r.concession_id).await?;
    Ok(json!({
        "reprise": {
            "etape": r.etape,
            "mode_convocation": r.mode_convocation,
            "convocation_le": r.convocation_le,
            "constat_le": r.constat_le,
            "publication_le": r.publication_le,
            "second_constat_le": r.second_constat_le,
            "deliberation_le": r.deliberation_le,
            "deliberation_ref": r.deliberation_ref,
            "arrete_le": r.arrete_le,
            "arrete_ref": r.arrete_ref,
        },
        "concession": champs_concession(&c),
        "concessionnaire": usager_ou_rien(db, collectivite_id, c.concessionnaire_id).await?,
        "emplacement": lieu(db, collectivite_id, c.emplacement_id).await?,
        "defunts": defunts(db, collectivite_id, &c, au).await?,
    }))
}

/// The merge fields of the first procès-verbal of abandonment of the procedure `id`, available
/// as soon as the procedure is open: `reprise` (the convocation's `mode_convocation` and
/// `convocation_le`, the `constat_le` on site), `concession`, `concessionnaire`,
/// `emplacement` and `defunts`.
///
/// # Errors
/// [`CimetiereError::Introuvable`]; the database failed.
pub(crate) async fn donnees_proces_verbal<C: ConnectionTrait>(
    db: &C,
    collectivite_id: Uuid,
    id: Uuid,
) -> Result<Value, CimetiereError> {
    let r = procedure(db, collectivite_id, id).await?;
    champs_reprise(db, collectivite_id, &r, r.constat_le).await
}

/// The merge fields of the second procès-verbal of the procedure `id`: those of the first, with
/// `reprise.publication_le` (the first's publication) and `reprise.second_constat_le`.
///
/// # Errors
/// [`CimetiereError::Regle`] `etape-non-faite` while the step `second_constat` is not
/// recorded; [`CimetiereError::Introuvable`]; the database failed.
pub(crate) async fn donnees_second_proces_verbal<C: ConnectionTrait>(
    db: &C,
    collectivite_id: Uuid,
    id: Uuid,
) -> Result<Value, CimetiereError> {
    let r = procedure(db, collectivite_id, id).await?;
    let Some(au) = r.second_constat_le else {
        return Err(etape_non_faite(
            &r,
            "Le second procès-verbal de constat d'abandon",
            "second_constat",
        ));
    };
    champs_reprise(db, collectivite_id, &r, au).await
}

/// The merge fields of the maire's arrêté of reprise of the procedure `id`: those of the
/// procès-verbaux, with `reprise.deliberation_le`, `reprise.deliberation_ref` (the council's
/// deliberation), `reprise.arrete_le` and `reprise.arrete_ref` (the arrêté's date and
/// reference).
///
/// # Errors
/// [`CimetiereError::Regle`] `etape-non-faite` while the step `arrete` is not recorded;
/// [`CimetiereError::Introuvable`]; the database failed.
pub(crate) async fn donnees_arrete<C: ConnectionTrait>(
    db: &C,
    collectivite_id: Uuid,
    id: Uuid,
) -> Result<Value, CimetiereError> {
    let r = procedure(db, collectivite_id, id).await?;
    let Some(au) = r.arrete_le else {
        return Err(etape_non_faite(&r, "L'arrêté de reprise", "arrete"));
    };
    champs_reprise(db, collectivite_id, &r, au).await
}

/// The `defunt` fields of an inhumation: `nom`, `sexe` (`M`, `F`, or `null` when the deceased
/// is not a usager of the registry or their sex is unknown), `date_deces`, `date_inhumation`.
async fn defunt<C: ConnectionTrait>(
    db: &C,
    collectivite_id: Uuid,
    i: &inhumation::Model,
) -> Result<Value, CimetiereError> {
    let sexe = match i.defunt_id {
        Some(u) => usager_ou_rien(db, collectivite_id, u).await?["sexe"].clone(),
        None => Value::Null,
    };
    Ok(json!({
        "nom": i.defunt_nom,
        "sexe": sexe,
        "date_deces": i.date_deces,
        "date_inhumation": i.date_inhumation,
    }))
}

/// The `concession` and `concessionnaire` of an inhumation, both `null` without concession.
async fn concession_de<C: ConnectionTrait>(
    db: &C,
    collectivite_id: Uuid,
    i: &inhumation::Model,
) -> Result<(Value, Value), CimetiereError> {
    let Some(concession_id) = i.concession_id else {
        return Ok((Value::Null, Value::Null));
    };
    let c = vente::lire(db, collectivite_id, concession_id).await?;
    let titulaire = usager_ou_rien(db, collectivite_id, c.concessionnaire_id).await?;
    Ok((champs_concession(&c), titulaire))
}

/// The merge fields of the maire's authorisation of the inhumation `id`: `defunt` (`nom`,
/// `sexe`, `date_deces`, `date_inhumation`), `inhumation` (`date_inhumation`, `droit`: why the
/// deceased may rest there, `derogation`: the prefectoral derogation to the delays or `null`),
/// `emplacement`, `concession` and `concessionnaire` (`null` without concession).
///
/// # Errors
/// [`CimetiereError::Introuvable`]; the database failed.
pub(crate) async fn donnees_autorisation_inhumation<C: ConnectionTrait>(
    db: &C,
    collectivite_id: Uuid,
    id: Uuid,
) -> Result<Value, CimetiereError> {
    let i = inhumation::Entity::find_one_in(db, collectivite_id, id)
        .await?
        .ok_or(CimetiereError::Introuvable("Inhumation"))?;
    let (concession, concessionnaire) = concession_de(db, collectivite_id, &i).await?;
    Ok(json!({
        "defunt": defunt(db, collectivite_id, &i).await?,
        "inhumation": {
            "date_inhumation": i.date_inhumation,
            "droit": i.droit,
            "derogation": i.derogation,
        },
        "emplacement": lieu(db, collectivite_id, i.emplacement_id).await?,
        "concession": concession,
        "concessionnaire": concessionnaire,
    }))
}

/// The merge fields of the maire's authorisation of the exhumation, réduction or réunion de
/// corps `id`: `operation` (`nature`: `exhumation`, `reduction` or `reunion`, `libelle`,
/// `date_operation`, `lien`: the requester's kinship with the deceased as a letter names it
/// (« enfant », « frère ou sœur »), `attestation`: always
/// `true`, the operation is recorded only with it, `destination` or `null`), `demandeur` (the
/// core's usager fields, `null` when the registry no longer has them), `defunt`,
/// `emplacement`, `concession` and `concessionnaire` (`null` without concession).
///
/// # Errors
/// [`CimetiereError::Introuvable`]; the database failed.
pub(crate) async fn donnees_autorisation_exhumation<C: ConnectionTrait>(
    db: &C,
    collectivite_id: Uuid,
    id: Uuid,
) -> Result<Value, CimetiereError> {
    let e = exhumation::Entity::find_one_in(db, collectivite_id, id)
        .await?
        .ok_or(CimetiereError::Introuvable("Exhumation"))?;
    let i = inhumation::Entity::find_one_in(db, collectivite_id, e.inhumation_id)
        .await?
        .ok_or(CimetiereError::Introuvable("Inhumation"))?;
    let (concession, concessionnaire) = concession_de(db, collectivite_id, &i).await?;
    let libelle = match e.nature.as_str() {
        "reduction" => "réduction de corps",
        "reunion" => "réunion de corps",
        _ => "exhumation",
    };
    let demandeur = usager_ou_rien(db, collectivite_id, e.demandeur_id).await?;
    let sexe = demandeur["sexe"].as_str().and_then(Sexe::from_code);
    let lien = vente::libelle_lien(Parente::lire(&e.lien), e.lien_precision.as_deref(), sexe)
        // An operation recorded before kinship was typed keeps its words.
        .or_else(|| Some(e.lien.clone()));
    Ok(json!({
        "operation": {
            "nature": e.nature,
            "libelle": libelle,
            "date_operation": e.date_operation,
            "lien": lien,
            "attestation": true,
            "destination": e.destination,
        },
        "demandeur": demandeur,
        "defunt": defunt(db, collectivite_id, &i).await?,
        "emplacement": lieu(db, collectivite_id, i.emplacement_id).await?,
        "concession": concession,
        "concessionnaire": concessionnaire,
    }))
}
