//! Objections of relatives to an exhumation. The request belongs to the closest relative of the
//! deceased (CGCT R2213-40), who attests that no relative of the same or a closer degree
//! objects (Conseil d'État case law). When such a relative has made an objection known, the
//! maire cannot settle it: the exhumation waits until the objection is withdrawn or the judge
//! decides, as it does for a family dispute. An objection of a more distant relative is recorded
//! but does not stop the closest one.

use chrono::NaiveDate;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set,
};
use serde::{Deserialize, Serialize};
use socle::prelude::*;
use socle::usager::{Parente, ParenteDeclaree};
use utoipa::ToSchema;
use uuid::Uuid;

use super::entity::{inhumation, opposition};
use crate::concessions::vente::{precision_du_lien, verifier_precision};
use crate::error::CimetiereError;

/// An objection to record.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NouvelleOpposition {
    /// The relative who objects, a usager.
    pub opposant_id: Uuid,
    /// Their kinship with the deceased, a code or the French word (« fille », « frère »…).
    #[schema(value_type = Parente)]
    pub lien: ParenteDeclaree,
    /// What explains the kinship, free text.
    pub lien_precision: Option<String>,
    /// What they say (their letter and its date).
    #[schema(example = "Courrier du 3 mars 2026 : s'oppose au transfert des restes de sa mère")]
    pub motif: String,
    /// The day it was received (today by default); not in the future.
    pub recue_le: Option<NaiveDate>,
}

/// An objection as the API shows it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Opposition {
    /// Identifier.
    pub id: Uuid,
    /// The inhumation whose remains are concerned.
    pub inhumation_id: Uuid,
    /// The relative who objects.
    pub opposant_id: Uuid,
    /// Their kinship with the deceased.
    pub lien: Option<Parente>,
    /// What explains the kinship.
    pub lien_precision: Option<String>,
    /// What they say.
    pub motif: String,
    /// The day it was received.
    pub recue_le: NaiveDate,
    /// The day it was withdrawn or settled; absent while it stands.
    pub levee_le: Option<NaiveDate>,
}

impl From<opposition::Model> for Opposition {
    fn from(o: opposition::Model) -> Self {
        Self {
            id: o.id,
            inhumation_id: o.inhumation_id,
            opposant_id: o.opposant_id,
            lien: Parente::lire(&o.lien),
            lien_precision: o.lien_precision,
            motif: o.motif,
            recue_le: o.recue_le,
            levee_le: o.levee_le,
        }
    }
}

/// Records the objection of a relative to the exhumation of the inhumation `inhumation_id`.
///
/// # Errors
/// [`CimetiereError::Champs`] for a person without kinship, an unknown usager, a missing motif,
/// a date in the future; [`CimetiereError::Regle`] `deja-exhume` for remains already moved;
/// [`CimetiereError::Introuvable`].
pub(crate) async fn enregistrer<C: ConnectionTrait>(
    db: &C,
    collectivite_id: Uuid,
    inhumation_id: Uuid,
    nouvelle: NouvelleOpposition,
    today: NaiveDate,
) -> Result<Opposition, CimetiereError> {
    let inhume = inhumation::Entity::find_one_in(db, collectivite_id, inhumation_id)
        .await?
        .ok_or(CimetiereError::Introuvable("Inhumation"))?;
    if let Some(le) = inhume.exhume_le {
        return Err(CimetiereError::regle(
            "deja-exhume",
            format!(
                "Les restes de {} ont déjà été déplacés le {le} : il n'y a plus d'exhumation à laquelle s'opposer.",
                inhume.defunt_nom
            ),
        ));
    }
    let mut erreurs = Vec::new();
    if nouvelle.lien.parente.degre().is_none() {
        erreurs.push(FieldError::new(
            "lien",
            "sans-parente",
            "seul un parent du défunt peut s'opposer à l'exhumation de ses restes ; une autre personne peut saisir le juge",
        ));
    }
    let motif = nouvelle.motif.trim();
    if motif.is_empty() || motif.chars().count() > 500 {
        erreurs.push(FieldError::new(
            "motif",
            "longueur",
            "obligatoire, 500 caractères au plus",
        ));
    }
    let precision = precision_du_lien(Some(&nouvelle.lien), nouvelle.lien_precision.as_deref());
    verifier_precision(
        "lien_precision",
        nouvelle.lien_precision.as_deref(),
        &mut erreurs,
    );
    let recue_le = nouvelle.recue_le.unwrap_or(today);
    if recue_le > today {
        erreurs.push(FieldError::new(
            "recue_le",
            "future",
            format!("pas après aujourd'hui ({today})"),
        ));
    }
    crate::service::usager_connu(
        db,
        collectivite_id,
        nouvelle.opposant_id,
        "opposant_id",
        &mut erreurs,
    )
    .await?;
    if !erreurs.is_empty() {
        return Err(CimetiereError::Champs(erreurs));
    }
    Ok(opposition::ActiveModel {
        id: Set(Uuid::now_v7()),
        collectivite_id: Set(collectivite_id),
        inhumation_id: Set(inhumation_id),
        opposant_id: Set(nouvelle.opposant_id),
        lien: Set(nouvelle.lien.parente.code().to_owned()),
        lien_precision: Set(precision),
        motif: Set(motif.to_owned()),
        recue_le: Set(recue_le),
        levee_le: Set(None),
    }
    .insert(db)
    .await?
    .into())
}

/// The objections to the exhumation of the inhumation `inhumation_id`, the first received first.
///
/// # Errors
/// [`CimetiereError::Introuvable`]; the database failed.
pub(crate) async fn de_l_inhumation<C: ConnectionTrait>(
    db: &C,
    collectivite_id: Uuid,
    inhumation_id: Uuid,
) -> Result<Vec<Opposition>, CimetiereError> {
    inhumation::Entity::find_one_in(db, collectivite_id, inhumation_id)
        .await?
        .ok_or(CimetiereError::Introuvable("Inhumation"))?;
    Ok(opposition::Entity::find_in(collectivite_id)
        .filter(opposition::Column::InhumationId.eq(inhumation_id))
        .order_by_asc(opposition::Column::RecueLe)
        .order_by_asc(opposition::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(Opposition::from)
        .collect())
}

/// Lifts the objection `id` on `le` (withdrawn by the relative, or settled by the judge).
///
/// # Errors
/// [`CimetiereError::Introuvable`]; [`CimetiereError::Regle`] `opposition-levee` when it was
/// lifted already.
pub(crate) async fn lever<C: ConnectionTrait>(
    db: &C,
    collectivite_id: Uuid,
    id: Uuid,
    le: NaiveDate,
) -> Result<Opposition, CimetiereError> {
    let o = opposition::Entity::find_one_in(db, collectivite_id, id)
        .await?
        .ok_or(CimetiereError::Introuvable("Opposition"))?;
    if let Some(levee) = o.levee_le {
        return Err(CimetiereError::regle(
            "opposition-levee",
            format!("Cette opposition est levée depuis le {levee}."),
        ));
    }
    let fait = opposition::Entity::update_many()
        .col_expr(opposition::Column::LeveeLe, Some(le).into())
        .filter(opposition::Column::Id.eq(id))
        .filter(opposition::Column::LeveeLe.is_null())
        .exec(db)
        .await?;
    if fait.rows_affected != 1 {
        return Err(CimetiereError::regle(
            "opposition-levee",
            "Cette opposition vient d'être levée.",
        ));
    }
    let mut levee = Opposition::from(o);
    levee.levee_le = Some(le);
    Ok(levee)
}

/// Refuses an exhumation asked by a relative of kinship `lien` while a relative of the same or
/// a closer degree objects to it (`opposition-parent`).
///
/// # Errors
/// [`CimetiereError::Regle`]; the database failed.
pub(crate) async fn verifier<C: ConnectionTrait>(
    db: &C,
    collectivite_id: Uuid,
    inhume: &inhumation::Model,
    lien: Parente,
) -> Result<(), CimetiereError> {
    let Some(degre) = lien.degre() else {
        return Ok(());
    };
    let en_cours = opposition::Entity::find_in(collectivite_id)
        .filter(opposition::Column::InhumationId.eq(inhume.id))
        .filter(opposition::Column::LeveeLe.is_null())
        .order_by_asc(opposition::Column::RecueLe)
        .all(db)
        .await?;
    let bloquante = en_cours.iter().find_map(|o| {
        let sien = Parente::lire(&o.lien)?;
        (sien.degre()? <= degre).then_some((o, sien))
    });
    if let Some((o, sien)) = bloquante {
        return Err(CimetiereError::regle(
            "opposition-parent",
            format!(
                "Un parent du même degré ou d'un degré plus proche que le demandeur ({}) s'oppose à l'exhumation des restes de {} depuis le {} (« {} ») : le maire ne peut trancher entre eux ; l'exhumation attend que l'opposition soit levée ou que le tribunal judiciaire décide.",
                sien.libelle(),
                inhume.defunt_nom,
                o.recue_le,
                o.motif
            ),
        ));
    }
    Ok(())
}
