//! Renewals (CGCT L2223-15): a temporary, 30-year or 50-year concession is renewed from its
//! expiry, and for two years after it, at the tariff in force on the day of the renewal; the
//! new period starts at the previous expiry. A perpetual concession is not renewed.

use chrono::{DateTime, Months, NaiveDate, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set,
};
use serde::{Deserialize, Serialize};
use socle::db::on_unique;
use socle::prelude::*;
use utoipa::ToSchema;
use uuid::Uuid;

use super::ayants_droit::{PreuveAyantDroit, verifier_demandeur};
use super::entity::{concession, renouvellement};
use super::service::TypeConcession;
use super::vente::{DELAI_RENOUVELLEMENT_ANS, echeance, tarif_en_vigueur};
use crate::error::CimetiereError;
use crate::lieux::entity::emplacement;
use crate::lieux::service::NatureEmplacement;

/// A renewal asked for.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NouveauRenouvellement {
    /// The day of the renewal (today by default); not in the future.
    pub date: Option<NaiveDate>,
    /// The duration of the new period: the concession's own by default (a temporary
    /// concession may choose 1 to 15 years).
    pub duree_ans: Option<i32>,
    /// Who asks (the concessionnaire by default, or an heir), a usager.
    pub demandeur_id: Option<Uuid>,
    /// For an heir not yet recorded on the concession: the proof of that quality; the heir is
    /// then recorded.
    pub ayant_droit: Option<PreuveAyantDroit>,
}

/// A renewal as the API shows it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Renouvellement {
    /// Identifier.
    pub id: Uuid,
    /// The concession.
    pub concession_id: Uuid,
    /// The day of the renewal.
    pub date_renouvellement: NaiveDate,
    /// The duration of the new period, in years.
    pub duree_ans: i32,
    /// The expiry it replaces (the new period starts there).
    pub ancienne_echeance: NaiveDate,
    /// The new expiry.
    pub nouvelle_echeance: NaiveDate,
    /// The price paid, in euro cents (the tariff in force on the day of the renewal).
    pub montant_centimes: i64,
    /// Who asked for it.
    pub demandeur_id: Uuid,
    /// When it was recorded.
    pub cree_le: DateTime<Utc>,
}

impl From<renouvellement::Model> for Renouvellement {
    fn from(r: renouvellement::Model) -> Self {
        Self {
            id: r.id,
            concession_id: r.concession_id,
            date_renouvellement: r.date_renouvellement,
            duree_ans: r.duree_ans,
            ancienne_echeance: r.ancienne_echeance,
            nouvelle_echeance: r.nouvelle_echeance,
            montant_centimes: r.montant_centimes,
            demandeur_id: r.demandeur_id,
            cree_le: r.cree_le,
        }
    }
}

/// The last day a concession expired on `fin` can be renewed: the day before the second
/// anniversary of its expiry (two full years).
#[must_use]
pub fn dernier_jour_pour_renouveler(fin: NaiveDate) -> Option<NaiveDate> {
    fin.checked_add_months(Months::new(12 * DELAI_RENOUVELLEMENT_ANS))?
        .pred_opt()
}

/// Renews the concession `concession_id`: checks the window (from its expiry to two full
/// years after), the duration against its kind, the tariff in force on the day (the price), the
/// person who asks; records the renewal and moves the expiry.
///
/// # Errors
/// [`CimetiereError::Regle`] for a perpetual concession, a renewal before the expiry or after
/// the two years, a requester neither holder nor heir (`demandeur-sans-qualite`); [`CimetiereError::Champs`] naming each field at fault;
/// [`CimetiereError::Introuvable`].
pub(crate) async fn renouveler<C: ConnectionTrait>(
    db: &C,
    collectivite_id: Uuid,
    concession_id: Uuid,
    demande: NouveauRenouvellement,
    today: NaiveDate,
    now: DateTime<Utc>,
) -> Result<Renouvellement, CimetiereError> {
    let concession = concession::Entity::find_one_in(db, collectivite_id, concession_id)
        .await?
        .ok_or(CimetiereError::Introuvable("Concession"))?;
    crate::concessions::vente::en_cours(&concession)?;
    let type_concession = TypeConcession::lire(&concession.type_concession)
        .ok_or(CimetiereError::Introuvable("Type de concession"))?;
    let Some(fin) = concession.date_echeance else {
        return Err(CimetiereError::Regle {
            code: "concession-perpetuelle",
            detail: "Une concession perpétuelle n'a pas d'échéance : elle ne se renouvelle pas."
                .to_owned(),
        });
    };
    let date = demande.date.unwrap_or(today);
    let mut erreurs = Vec::new();
    if date > today {
        erreurs.push(FieldError::new(
            "date",
            "future",
            format!("le renouvellement ne peut pas être daté d'après aujourd'hui ({today})"),
        ));
    }
    let duree = type_concession
        .duree(demande.duree_ans.or(Some(concession.duree_ans)))
        .unwrap_or_else(|raison| {
            erreurs.push(FieldError::new("duree_ans", "duree", raison));
            0
        });
    let demandeur = demande
        .demandeur_id
        .unwrap_or(concession.concessionnaire_id);
    crate::service::usager_connu(db, collectivite_id, demandeur, "demandeur_id", &mut erreurs)
        .await?;
    if !erreurs.is_empty() {
        return Err(CimetiereError::Champs(erreurs));
    }
    if date < fin {
        return Err(CimetiereError::Regle {
            code: "renouvellement-premature",
            detail: format!(
                "La concession expire le {fin} : son renouvellement est possible à partir de cette date, et pendant deux ans (CGCT, art. L2223-15)."
            ),
        });
    }
    let dernier_jour = dernier_jour_pour_renouveler(fin).unwrap_or(fin);
    if date > dernier_jour {
        return Err(CimetiereError::Regle {
            code: "renouvellement-forclos",
            detail: format!(
                "La concession a expiré le {fin} : le délai de deux ans pour la renouveler a pris fin le {dernier_jour} (CGCT, art. L2223-15). L'emplacement peut être repris ; une nouvelle concession s'achète."
            ),
        });
    }
    verifier_demandeur(
        db,
        collectivite_id,
        &concession,
        demandeur,
        demande.ayant_droit.as_ref(),
        "son renouvellement",
    )
    .await?;
    let nature = emplacement::Entity::find_one_in(db, collectivite_id, concession.emplacement_id)
        .await?
        .and_then(|e| NatureEmplacement::lire(&e.nature))
        .ok_or(CimetiereError::Introuvable("Emplacement"))?;
    let tarif = tarif_en_vigueur(db, collectivite_id, nature, type_concession, duree, date)
        .await?
        .and_then(|t| t.montant_centimes)
        .ok_or_else(|| {
            CimetiereError::Champs(vec![FieldError::new(
                "duree_ans",
                "non-propose",
                format!(
                    "la commune ne propose pas de concession {} au {date} (voir son tarif)",
                    type_concession.libelle(duree)
                ),
            )])
        })?;
    let nouvelle = echeance(fin, duree).ok_or(CimetiereError::Introuvable("Échéance"))?;
    let cree = renouvellement::ActiveModel {
        id: Set(Uuid::now_v7()),
        collectivite_id: Set(collectivite_id),
        concession_id: Set(concession.id),
        date_renouvellement: Set(date),
        duree_ans: Set(duree),
        ancienne_echeance: Set(fin),
        nouvelle_echeance: Set(nouvelle),
        montant_centimes: Set(tarif),
        demandeur_id: Set(demandeur),
        cree_le: Set(now),
    }
    .insert(db)
    .await
    .map_err(|e| {
        on_unique(e, || CimetiereError::Regle {
            code: "deja-renouvelee",
            detail: format!("La période qui expirait le {fin} a déjà été renouvelée."),
        })
    })?;
    concession::Entity::update_many()
        .col_expr(concession::Column::DateEcheance, Some(nouvelle).into())
        .filter(concession::Column::Id.eq(concession.id))
        .filter(concession::Column::DateEcheance.eq(fin))
        .exec(db)
        .await?;
    Ok(cree.into())
}

/// The renewals of a concession, oldest first.
///
/// # Errors
/// [`CimetiereError::Introuvable`]; the database failed.
pub(crate) async fn renouvellements<C: ConnectionTrait>(
    db: &C,
    collectivite_id: Uuid,
    concession_id: Uuid,
) -> Result<Vec<Renouvellement>, CimetiereError> {
    concession::Entity::find_one_in(db, collectivite_id, concession_id)
        .await?
        .ok_or(CimetiereError::Introuvable("Concession"))?;
    Ok(renouvellement::Entity::find_in(collectivite_id)
        .filter(renouvellement::Column::ConcessionId.eq(concession_id))
        .order_by_asc(renouvellement::Column::AncienneEcheance)
        .all(db)
        .await?
        .into_iter()
        .map(Renouvellement::from)
        .collect())
}
