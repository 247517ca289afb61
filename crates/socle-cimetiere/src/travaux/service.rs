//! The rules of works declarations, without HTTP.

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set};
use serde::{Deserialize, Serialize};
use socle::prelude::*;
use utoipa::ToSchema;
use uuid::Uuid;

use super::entity::travaux;
use crate::concessions::entity::personne;
use crate::concessions::service::concessible;
use crate::error::CimetiereError;
use crate::lieux::entity::emplacement;
use crate::lieux::service::NatureEmplacement;
use crate::operations::inhumation::concession_en_cours;

/// The kinds of works.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum NatureTravaux {
    /// A vault (caveau) built.
    ConstructionCaveau,
    /// A monument, a slab or a stele laid.
    PoseMonument,
    /// A monument removed (before an inhumation, a transfer…).
    DeposeMonument,
    /// An inscription engraved.
    Gravure,
    /// Repairs, cleaning, restoration of the grave.
    Restauration,
    /// Anything else (say what in `description`).
    Autre,
}

impl NatureTravaux {
    const fn code(self) -> &'static str {
        match self {
            Self::ConstructionCaveau => "construction_caveau",
            Self::PoseMonument => "pose_monument",
            Self::DeposeMonument => "depose_monument",
            Self::Gravure => "gravure",
            Self::Restauration => "restauration",
            Self::Autre => "autre",
        }
    }
}

/// Works declared.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NouveauxTravaux {
    /// Who declares them, a usager: the concessionnaire or a person the act names.
    pub declarant_id: Uuid,
    /// What kind of works.
    pub nature: NatureTravaux,
    /// What exactly (required for `autre`).
    #[schema(example = "Stèle en granit gris, 80 × 60 cm")]
    pub description: Option<String>,
    /// The firm that does them.
    pub entreprise: Option<String>,
    /// The first day: not before the declaration.
    pub debut: NaiveDate,
    /// The last day planned.
    pub fin_prevue: NaiveDate,
}

/// A declaration as the API shows it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Travaux {
    /// Identifier.
    pub id: Uuid,
    /// The emplacement.
    pub emplacement_id: Uuid,
    /// Who declared them.
    pub declarant_id: Uuid,
    /// What kind.
    pub nature: String,
    /// What exactly.
    pub description: Option<String>,
    /// The firm.
    pub entreprise: Option<String>,
    /// The first day.
    pub debut: NaiveDate,
    /// The last day planned.
    pub fin_prevue: NaiveDate,
    /// The day they were done.
    pub termine_le: Option<NaiveDate>,
}

impl From<travaux::Model> for Travaux {
    fn from(t: travaux::Model) -> Self {
        Self {
            id: t.id,
            emplacement_id: t.emplacement_id,
            declarant_id: t.declarant_id,
            nature: t.nature,
            description: t.description,
            entreprise: t.entreprise,
            debut: t.debut,
            fin_prevue: t.fin_prevue,
            termine_le: t.termine_le,
        }
    }
}

/// Works done.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Achevement {
    /// The day they were done (today by default).
    pub date: Option<NaiveDate>,
}

fn texte(valeur: Option<&str>, max: usize) -> Option<String> {
    valeur
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .map(|t| t.chars().take(max).collect())
}

/// Records works on the emplacement `emplacement_id`, declared `today`.
///
/// # Errors
/// [`CimetiereError::Champs`] for the dates, the description, an unknown declarant;
/// [`CimetiereError::Regle`]: `sans-concession` (no concession in force on the first day),
/// `declarant-sans-qualite` (neither the concessionnaire nor a person the act names);
/// [`CimetiereError::Introuvable`].
pub(crate) async fn declarer<C: ConnectionTrait>(
    db: &C,
    collectivite_id: Uuid,
    emplacement_id: Uuid,
    nouveaux: NouveauxTravaux,
    today: NaiveDate,
    now: DateTime<Utc>,
) -> Result<Travaux, CimetiereError> {
    let lieu = emplacement::Entity::find_one_in(db, collectivite_id, emplacement_id)
        .await?
        .ok_or(CimetiereError::Introuvable("Emplacement"))?;
    let nature = NatureEmplacement::lire(&lieu.nature)
        .ok_or(CimetiereError::Introuvable("Nature d'emplacement"))?;
    let mut erreurs = Vec::new();
    if nouveaux.debut < today {
        erreurs.push(FieldError::new(
            "debut",
            "passe",
            format!("les travaux se déclarent avant de commencer : le {today} au plus tôt"),
        ));
    }
    if nouveaux.fin_prevue < nouveaux.debut {
        erreurs.push(FieldError::new(
            "fin_prevue",
            "avant-debut",
            "la fin prévue ne peut précéder le début",
        ));
    }
    let description = texte(nouveaux.description.as_deref(), 500);
    if nouveaux.nature == NatureTravaux::Autre && description.is_none() {
        erreurs.push(FieldError::new(
            "description",
            "obligatoire",
            "pour des travaux « autre », dites lesquels",
        ));
    }
    crate::service::usager_connu(
        db,
        collectivite_id,
        nouveaux.declarant_id,
        "declarant_id",
        &mut erreurs,
    )
    .await?;
    if !erreurs.is_empty() {
        return Err(CimetiereError::Champs(erreurs));
    }
    if concessible(nature) {
        let c = concession_en_cours(db, collectivite_id, lieu.id, nouveaux.debut)
            .await?
            .ok_or_else(|| CimetiereError::Regle {
                code: "sans-concession",
                detail: format!(
                    "Aucune concession n'est en cours sur l'emplacement {} le {} : les travaux s'y font sur une concession en cours (renouvelez-la d'abord si elle a expiré).",
                    lieu.numero, nouveaux.debut
                ),
            })?;
        let nomme = personne::Entity::find()
            .filter(personne::Column::ConcessionId.eq(c.id))
            .filter(personne::Column::UsagerId.eq(nouveaux.declarant_id))
            .filter(personne::Column::Role.ne("exclu"))
            .one(db)
            .await?
            .is_some();
        if c.concessionnaire_id != nouveaux.declarant_id && !nomme {
            return Err(CimetiereError::Regle {
                code: "declarant-sans-qualite",
                detail: format!(
                    "Les travaux sur la concession (acte {}) sont déclarés par son titulaire ou par un ayant droit ou une personne que l'acte nomme.",
                    c.numero_acte
                ),
            });
        }
    }
    Ok(travaux::ActiveModel {
        id: Set(Uuid::now_v7()),
        collectivite_id: Set(collectivite_id),
        emplacement_id: Set(lieu.id),
        declarant_id: Set(nouveaux.declarant_id),
        nature: Set(nouveaux.nature.code().to_owned()),
        description: Set(description),
        entreprise: Set(texte(nouveaux.entreprise.as_deref(), 200)),
        debut: Set(nouveaux.debut),
        fin_prevue: Set(nouveaux.fin_prevue),
        termine_le: Set(None),
        cree_le: Set(now),
    }
    .insert(db)
    .await?
    .into())
}

/// Marks the works `id` done.
///
/// # Errors
/// [`CimetiereError::Champs`] for a day before they began or after today;
/// [`CimetiereError::Regle`] `travaux-acheves` when already done; [`CimetiereError::Introuvable`].
pub(crate) async fn achever<C: ConnectionTrait>(
    db: &C,
    collectivite_id: Uuid,
    id: Uuid,
    achevement: Achevement,
    today: NaiveDate,
) -> Result<Travaux, CimetiereError> {
    let t = travaux::Entity::find_one_in(db, collectivite_id, id)
        .await?
        .ok_or(CimetiereError::Introuvable("Travaux"))?;
    if let Some(le) = t.termine_le {
        return Err(CimetiereError::Regle {
            code: "travaux-acheves",
            detail: format!("Ces travaux sont achevés depuis le {le}."),
        });
    }
    let date = achevement.date.unwrap_or(today);
    if date < t.debut || date > today {
        return Err(CimetiereError::Champs(vec![FieldError::new(
            "date",
            "intervalle",
            format!(
                "entre le début des travaux ({}) et aujourd'hui ({today})",
                t.debut
            ),
        )]));
    }
    let mut modele: travaux::ActiveModel = t.into();
    modele.termine_le = Set(Some(date));
    Ok(modele.update(db).await?.into())
}

/// The works declared on the emplacement `emplacement_id`, the latest first.
///
/// # Errors
/// [`CimetiereError::Introuvable`]; the database failed.
pub(crate) async fn de_l_emplacement<C: ConnectionTrait>(
    db: &C,
    collectivite_id: Uuid,
    emplacement_id: Uuid,
) -> Result<Vec<Travaux>, CimetiereError> {
    use sea_orm::QueryOrder;
    emplacement::Entity::find_one_in(db, collectivite_id, emplacement_id)
        .await?
        .ok_or(CimetiereError::Introuvable("Emplacement"))?;
    Ok(travaux::Entity::find_in(collectivite_id)
        .filter(travaux::Column::EmplacementId.eq(emplacement_id))
        .order_by_desc(travaux::Column::Debut)
        .all(db)
        .await?
        .into_iter()
        .map(Travaux::from)
        .collect())
}
