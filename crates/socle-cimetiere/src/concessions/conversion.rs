//! Conversions (CGCT L2223-16): a concession in force is converted into a longer kind; the value
//! of the time left on its current period is credited against the price of the new kind on the
//! day of the conversion, and the new period starts that day. An expired concession is not
//! converted (it is renewed, or taken back).

use chrono::{DateTime, Months, NaiveDate, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set,
};
use serde::{Deserialize, Serialize};
use socle::prelude::*;
use utoipa::ToSchema;
use uuid::Uuid;

use super::ayants_droit::{PreuveAyantDroit, verifier_demandeur};
use super::entity::{concession, conversion, renouvellement};
use super::service::TypeConcession;
use super::vente::{echeance, tarif_en_vigueur};
use crate::error::CimetiereError;
use crate::lieux::entity::emplacement;
use crate::lieux::service::NatureEmplacement;

/// A conversion asked for.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NouvelleConversion {
    /// The day of the conversion (today by default); not in the future.
    pub date: Option<NaiveDate>,
    /// The new kind.
    pub type_concession: TypeConcession,
    /// Its duration: required for a temporary concession (1 to 15 years).
    pub duree_ans: Option<i32>,
    /// Who asks (the concessionnaire by default, or an heir), a usager.
    pub demandeur_id: Option<Uuid>,
    /// For an heir not yet recorded on the concession: the proof of that quality; the heir is
    /// then recorded.
    pub ayant_droit: Option<PreuveAyantDroit>,
}

/// A conversion as the API shows it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Conversion {
    /// Identifier.
    pub id: Uuid,
    /// The concession.
    pub concession_id: Uuid,
    /// The day of the conversion.
    pub date_conversion: NaiveDate,
    /// The kind before.
    pub ancien_type: Option<TypeConcession>,
    /// The expiry before.
    pub ancienne_echeance: Option<NaiveDate>,
    /// The kind after.
    pub nouveau_type: Option<TypeConcession>,
    /// Its duration (0: perpetual).
    pub nouvelle_duree: i32,
    /// The expiry after; absent when perpetual.
    pub nouvelle_echeance: Option<NaiveDate>,
    /// The tariff of the new kind that day, in euro cents.
    pub prix_centimes: i64,
    /// The value of the time left, credited, in euro cents.
    pub credit_centimes: i64,
    /// What is paid: the price less the credit, not below zero.
    pub a_payer_centimes: i64,
    /// Who asked for it (absent for conversions recorded before the requester was).
    pub demandeur_id: Option<Uuid>,
}

impl From<conversion::Model> for Conversion {
    fn from(c: conversion::Model) -> Self {
        Self {
            id: c.id,
            concession_id: c.concession_id,
            date_conversion: c.date_conversion,
            ancien_type: TypeConcession::lire(&c.ancien_type),
            ancienne_echeance: c.ancienne_echeance,
            nouveau_type: TypeConcession::lire(&c.nouveau_type),
            nouvelle_duree: c.nouvelle_duree,
            nouvelle_echeance: c.nouvelle_echeance,
            prix_centimes: c.prix_centimes,
            credit_centimes: c.credit_centimes,
            a_payer_centimes: c.a_payer_centimes,
            demandeur_id: c.demandeur_id,
        }
    }
}

/// The value of the time left on a period from `debut` to `fin` paid `prix`, on `date`: the
/// price in proportion of the days left (rounded down to the cent).
#[must_use]
pub fn valeur_restante(prix: i64, debut: NaiveDate, fin: NaiveDate, date: NaiveDate) -> i64 {
    let total = (fin - debut).num_days();
    let reste = (fin - date).num_days().clamp(0, total.max(0));
    if total <= 0 {
        return 0;
    }
    i64::try_from(i128::from(prix) * i128::from(reste) / i128::from(total)).unwrap_or(0)
}

/// What the current period (ending on `fin`) of a concession was paid: the renewal or the
/// conversion that opened it, else the sale.
async fn prix_de_la_periode<C: ConnectionTrait>(
    db: &C,
    c: &concession::Model,
    fin: NaiveDate,
) -> Result<i64, CimetiereError> {
    if let Some(r) = renouvellement::Entity::find()
        .filter(renouvellement::Column::ConcessionId.eq(c.id))
        .filter(renouvellement::Column::NouvelleEcheance.eq(fin))
        .order_by_desc(renouvellement::Column::CreeLe)
        .one(db)
        .await?
    {
        return Ok(r.montant_centimes);
    }
    if let Some(v) = conversion::Entity::find()
        .filter(conversion::Column::ConcessionId.eq(c.id))
        .filter(conversion::Column::NouvelleEcheance.eq(fin))
        .order_by_desc(conversion::Column::CreeLe)
        .one(db)
        .await?
    {
        return Ok(v.prix_centimes);
    }
    Ok(c.montant_centimes)
}

/// Converts the concession `concession_id` into a longer kind.
///
/// # Errors
/// [`CimetiereError::Regle`] for a perpetual or an expired concession, a requester neither
/// holder nor heir (`demandeur-sans-qualite`);
/// [`CimetiereError::Champs`] for a kind not longer, a duration contrary to the kind, a date in
/// the future, a kind the commune does not offer that day; [`CimetiereError::Introuvable`].
pub(crate) async fn convertir<C: ConnectionTrait>(
    db: &C,
    collectivite_id: Uuid,
    concession_id: Uuid,
    demande: NouvelleConversion,
    today: NaiveDate,
    now: DateTime<Utc>,
) -> Result<Conversion, CimetiereError> {
    let c = concession::Entity::find_one_in(db, collectivite_id, concession_id)
        .await?
        .ok_or(CimetiereError::Introuvable("Concession"))?;
    crate::concessions::vente::en_cours(&c)?;
    let Some(fin) = c.date_echeance else {
        return Err(CimetiereError::Regle {
            code: "concession-perpetuelle",
            detail:
                "Une concession perpétuelle est déjà la plus longue : elle ne se convertit pas."
                    .to_owned(),
        });
    };
    let date = demande.date.unwrap_or(today);
    let mut erreurs = Vec::new();
    if date > today {
        erreurs.push(FieldError::new(
            "date",
            "future",
            format!("la conversion ne peut pas être datée d'après aujourd'hui ({today})"),
        ));
    }
    let duree = demande
        .type_concession
        .duree(demande.duree_ans)
        .unwrap_or_else(|raison| {
            erreurs.push(FieldError::new("duree_ans", "duree", raison));
            -1
        });
    let plus_longue = duree == 0 || duree > c.duree_ans;
    if duree >= 0 && !plus_longue {
        erreurs.push(FieldError::new(
            "type_concession",
            "plus-courte",
            format!(
                "une concession ne se convertit qu'en une concession plus longue que ses {} ans (CGCT, art. L2223-16)",
                c.duree_ans
            ),
        ));
    }
    let demandeur = demande.demandeur_id.unwrap_or(c.concessionnaire_id);
    crate::service::usager_connu(db, collectivite_id, demandeur, "demandeur_id", &mut erreurs)
        .await?;
    if !erreurs.is_empty() {
        return Err(CimetiereError::Champs(erreurs));
    }
    if date >= fin {
        return Err(CimetiereError::Regle {
            code: "concession-echue",
            detail: format!(
                "La concession a expiré le {fin} : elle ne peut plus être convertie (CGCT, art. L2223-16) ; elle peut être renouvelée dans les deux ans qui suivent."
            ),
        });
    }
    verifier_demandeur(
        db,
        collectivite_id,
        &c,
        demandeur,
        demande.ayant_droit.as_ref(),
        "sa conversion",
    )
    .await?;
    let nature = emplacement::Entity::find_one_in(db, collectivite_id, c.emplacement_id)
        .await?
        .and_then(|e| NatureEmplacement::lire(&e.nature))
        .ok_or(CimetiereError::Introuvable("Emplacement"))?;
    let prix = tarif_en_vigueur(
        db,
        collectivite_id,
        nature,
        demande.type_concession,
        duree,
        date,
    )
    .await?
    .and_then(|t| t.montant_centimes)
    .ok_or_else(|| {
        CimetiereError::Champs(vec![FieldError::new(
            "type_concession",
            "non-propose",
            format!(
                "la commune ne propose pas de concession {} au {date} (voir son tarif)",
                demande.type_concession.libelle(duree)
            ),
        )])
    })?;
    let debut = u32::try_from(c.duree_ans)
        .ok()
        .and_then(|ans| fin.checked_sub_months(Months::new(12 * ans)))
        .unwrap_or(c.date_acte);
    let credit = valeur_restante(prix_de_la_periode(db, &c, fin).await?, debut, fin, date);
    let nouvelle_echeance = echeance(date, duree);
    let cree = conversion::ActiveModel {
        id: Set(Uuid::now_v7()),
        collectivite_id: Set(collectivite_id),
        concession_id: Set(c.id),
        date_conversion: Set(date),
        ancien_type: Set(c.type_concession.clone()),
        ancienne_duree: Set(c.duree_ans),
        ancienne_echeance: Set(Some(fin)),
        nouveau_type: Set(demande.type_concession.code().to_owned()),
        nouvelle_duree: Set(duree),
        nouvelle_echeance: Set(nouvelle_echeance),
        prix_centimes: Set(prix),
        credit_centimes: Set(credit),
        a_payer_centimes: Set((prix - credit).max(0)),
        cree_le: Set(now),
        demandeur_id: Set(Some(demandeur)),
    }
    .insert(db)
    .await?;
    let fait = concession::Entity::update_many()
        .col_expr(
            concession::Column::TypeConcession,
            demande.type_concession.code().into(),
        )
        .col_expr(concession::Column::DureeAns, duree.into())
        .col_expr(concession::Column::DateEcheance, nouvelle_echeance.into())
        .filter(concession::Column::Id.eq(c.id))
        .filter(concession::Column::DateEcheance.eq(fin))
        .exec(db)
        .await?;
    if fait.rows_affected != 1 {
        return Err(CimetiereError::Regle {
            code: "concession-modifiee",
            detail: "La concession vient d'être modifiée ; rechargez-la puis recommencez."
                .to_owned(),
        });
    }
    Ok(cree.into())
}
