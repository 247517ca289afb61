//! The kinds of concession and their tariffs, without HTTP.
//!
//! A commune offers a subset of the kinds the law allows (CGCT L2223-14): temporary concessions
//! of 15 years at most, 30-year, 50-year and perpetual ones. Its council sets a price for each
//! kind, duration and kind of emplacement, from a date of effect; a new deliberation adds rows
//! from a later date, a row without price withdraws the kind from its date. A sale or a renewal
//! is charged at the tariff in force on its own date ([`offre`]).

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::{ActiveModelTrait, ConnectionTrait, DbErr, QueryOrder, Set};
use serde::{Deserialize, Serialize};
use socle::db::on_unique;
use socle::prelude::*;
use utoipa::ToSchema;
use uuid::Uuid;

use super::entity::tarif;
use crate::error::CimetiereError;
use crate::lieux::service::NatureEmplacement;

/// The kinds of concession the law allows (CGCT L2223-14).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum TypeConcession {
    /// Temporary: 15 years at most.
    Temporaire,
    /// 30 years.
    Trentenaire,
    /// 50 years.
    Cinquantenaire,
    /// Perpetual.
    Perpetuelle,
}

impl TypeConcession {
    /// Every kind, shortest first.
    pub const TOUS: [Self; 4] = [
        Self::Temporaire,
        Self::Trentenaire,
        Self::Cinquantenaire,
        Self::Perpetuelle,
    ];

    /// The value kept in the table and used by the API.
    #[must_use]
    pub const fn code(self) -> &'static str {
        match self {
            Self::Temporaire => "temporaire",
            Self::Trentenaire => "trentenaire",
            Self::Cinquantenaire => "cinquantenaire",
            Self::Perpetuelle => "perpetuelle",
        }
    }

    /// The kind a stored code names.
    #[must_use]
    pub fn lire(code: &str) -> Option<Self> {
        Self::TOUS.into_iter().find(|t| t.code() == code)
    }

    /// How a letter names a concession of this kind lasting `duree_ans` years
    /// (« temporaire de 15 ans », « trentenaire », « perpétuelle »).
    #[must_use]
    pub fn libelle(self, duree_ans: i32) -> String {
        match self {
            Self::Temporaire => format!("temporaire de {duree_ans} ans"),
            Self::Trentenaire => "trentenaire".to_owned(),
            Self::Cinquantenaire => "cinquantenaire".to_owned(),
            Self::Perpetuelle => "perpétuelle".to_owned(),
        }
    }

    /// The duration in years this kind has, given the one asked (only a temporary concession
    /// chooses it, from 1 to 15 years); 0 for a perpetual one.
    ///
    /// # Errors
    /// Why the duration does not fit the kind, in French.
    pub fn duree(self, demandee: Option<i32>) -> Result<i32, String> {
        let legale = match self {
            Self::Temporaire => {
                return match demandee {
                    Some(ans @ 1..=15) => Ok(ans),
                    Some(_) => Err(
                        "une concession temporaire dure 15 ans au plus (CGCT, art. L2223-14)"
                            .to_owned(),
                    ),
                    None => Err(
                        "la durée d'une concession temporaire est obligatoire (1 à 15 ans)"
                            .to_owned(),
                    ),
                };
            }
            Self::Trentenaire => 30,
            Self::Cinquantenaire => 50,
            Self::Perpetuelle => 0,
        };
        match demandee {
            None => Ok(legale),
            Some(ans) if ans == legale => Ok(legale),
            Some(_) if self == Self::Perpetuelle => {
                Err("une concession perpétuelle n'a pas de durée".to_owned())
            }
            Some(_) => Err(format!(
                "une concession {} dure {legale} ans",
                self.libelle(legale)
            )),
        }
    }
}

/// Whether an emplacement of this kind can be granted as a concession.
#[must_use]
pub const fn concessible(nature: NatureEmplacement) -> bool {
    matches!(
        nature,
        NatureEmplacement::Concession
            | NatureEmplacement::CaseColumbarium
            | NatureEmplacement::Cavurne
            | NatureEmplacement::Enfeu
    )
}

/// A row of the tariff schedule to record.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NouveauTarif {
    /// The kind of concession.
    pub type_concession: TypeConcession,
    /// Its duration in years: required for a temporary concession (1 to 15), implied otherwise.
    #[schema(example = 15)]
    pub duree_ans: Option<i32>,
    /// The kind of emplacement (a plot by default).
    pub nature_emplacement: Option<NatureEmplacement>,
    /// The price in euro cents; absent with `propose: false`.
    #[schema(example = 25000)]
    pub montant_centimes: Option<i64>,
    /// `false`: the commune stops offering this concession from `date_effet`.
    pub propose: Option<bool>,
    /// The first day it applies.
    pub date_effet: NaiveDate,
    /// The council deliberation that set it (« 2026-041 du 12 octobre 2026 »).
    pub deliberation: Option<String>,
}

/// Records a row of the tariff schedule.
///
/// # Errors
/// [`CimetiereError::Champs`] naming each field at fault; [`CimetiereError::CodePris`] when the
/// schedule already has a row for this concession from this date.
pub(crate) async fn creer_tarif<C: ConnectionTrait>(
    db: &C,
    collectivite_id: Uuid,
    nouveau: NouveauTarif,
    now: DateTime<Utc>,
) -> Result<tarif::Model, CimetiereError> {
    let mut erreurs = Vec::new();
    let duree = nouveau
        .type_concession
        .duree(nouveau.duree_ans)
        .unwrap_or_else(|raison| {
            erreurs.push(FieldError::new("duree_ans", "duree", raison));
            0
        });
    let nature = nouveau
        .nature_emplacement
        .unwrap_or(NatureEmplacement::Concession);
    if !concessible(nature) {
        erreurs.push(FieldError::new(
            "nature_emplacement",
            "non-concessible",
            "seuls un terrain, une case de columbarium, une cavurne ou un enfeu se concèdent",
        ));
    }
    let propose = nouveau.propose.unwrap_or(true);
    match (propose, nouveau.montant_centimes) {
        (true, Some(0..=1_000_000_000)) | (false, None) => {}
        (true, None) => erreurs.push(FieldError::new(
            "montant_centimes",
            "obligatoire",
            "le prix, en centimes d'euro, est obligatoire (ou « propose »: false pour retirer cette concession)",
        )),
        (true, Some(_)) => erreurs.push(FieldError::new(
            "montant_centimes",
            "intervalle",
            "un prix en centimes d'euro, de 0 à 10 000 000 €",
        )),
        (false, Some(_)) => erreurs.push(FieldError::new(
            "montant_centimes",
            "retrait",
            "une concession retirée de l'offre n'a pas de prix",
        )),
    }
    let deliberation = nouveau
        .deliberation
        .map(|d| d.trim().to_owned())
        .filter(|d| !d.is_empty());
    if deliberation
        .as_ref()
        .is_some_and(|d| d.chars().count() > 200)
    {
        erreurs.push(FieldError::new(
            "deliberation",
            "longueur",
            "200 caractères au plus",
        ));
    }
    if !erreurs.is_empty() {
        return Err(CimetiereError::Champs(erreurs));
    }
    let libelle = format!(
        "{} au {}",
        nouveau.type_concession.libelle(duree),
        nouveau.date_effet
    );
    tarif::ActiveModel {
        id: Set(Uuid::now_v7()),
        collectivite_id: Set(collectivite_id),
        type_concession: Set(nouveau.type_concession.code().to_owned()),
        duree_ans: Set(duree),
        nature_emplacement: Set(nature.code().to_owned()),
        montant_centimes: Set(nouveau.montant_centimes.filter(|_| propose)),
        date_effet: Set(nouveau.date_effet),
        deliberation: Set(deliberation),
        cree_le: Set(now),
    }
    .insert(db)
    .await
    .map_err(|e| on_unique(e, || CimetiereError::CodePris("ligne de tarif", libelle)))
}

/// The whole schedule, by emplacement, kind, duration, then date of effect.
///
/// # Errors
/// The database failed.
pub(crate) async fn tarifs<C: ConnectionTrait>(
    db: &C,
    collectivite_id: Uuid,
) -> Result<Vec<tarif::Model>, DbErr> {
    tarif::Entity::find_in(collectivite_id)
        .order_by_asc(tarif::Column::NatureEmplacement)
        .order_by_asc(tarif::Column::TypeConcession)
        .order_by_asc(tarif::Column::DureeAns)
        .order_by_asc(tarif::Column::DateEffet)
        .all(db)
        .await
}

/// What the commune offers on `date`: for each emplacement, kind and duration, the tariff in
/// force (withdrawn ones left out).
///
/// # Errors
/// The database failed.
pub(crate) async fn offre<C: ConnectionTrait>(
    db: &C,
    collectivite_id: Uuid,
    date: NaiveDate,
) -> Result<Vec<tarif::Model>, DbErr> {
    let mut en_vigueur: BTreeMap<(String, String, i32), tarif::Model> = BTreeMap::new();
    for ligne in tarifs(db, collectivite_id).await? {
        if ligne.date_effet <= date {
            // Rows come in date order: the last one kept is the one in force.
            en_vigueur.insert(
                (
                    ligne.nature_emplacement.clone(),
                    ligne.type_concession.clone(),
                    ligne.duree_ans,
                ),
                ligne,
            );
        }
    }
    Ok(en_vigueur
        .into_values()
        .filter(|l| l.montant_centimes.is_some())
        .collect())
}
