//! Expiry tracking: the concessions that expire in a period (to send renewal notices), and the
//! renewal letter of one concession (the edition `cimetiere/lettre-renouvellement`).

use chrono::NaiveDate;
use sea_orm::sea_query::Condition;
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, QueryTrait,
};
use serde::Serialize;
use socle::prelude::*;
use socle::usager::entity::usager;
use utoipa::ToSchema;
use uuid::Uuid;

use super::entity::concession;
use super::renouvellement::dernier_jour_pour_renouveler;
use super::service::TypeConcession;
use super::vente::tarif_en_vigueur;
use crate::entity as cimetiere;
use crate::error::CimetiereError;
use crate::lieux::entity::emplacement;
use crate::lieux::service::NatureEmplacement;

/// Name of the renewal letter's template (`templates/editions/lettre-renouvellement.html`).
pub(crate) const LETTRE_RENOUVELLEMENT: &str = "lettre-renouvellement";

/// The most concessions one page of expiries holds.
pub const ECHEANCES_MAX: u64 = 1000;

/// A concession that expires in the period asked.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Echeance {
    /// The concession.
    pub id: Uuid,
    /// The number of its act.
    pub numero_acte: String,
    /// Its kind.
    pub type_concession: Option<TypeConcession>,
    /// The day it expires.
    pub date_echeance: NaiveDate,
    /// The last day it can be renewed (two full years after).
    pub dernier_jour: Option<NaiveDate>,
    /// The emplacement.
    pub emplacement_id: Uuid,
    /// Its number on the plan.
    pub emplacement: String,
    /// The concessionnaire.
    pub concessionnaire_id: Uuid,
    /// Their name (« MARTIN Paul »).
    pub concessionnaire: String,
}

/// One page of expiries: by date of expiry, then by id.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PageEcheances {
    /// The concessions of this page.
    pub items: Vec<Echeance>,
    /// Pass it as `apres` to get the next page; absent on the last page.
    pub suite: Option<String>,
}

/// Which expiries.
#[derive(Debug, Clone)]
pub(crate) struct Periode {
    /// First day of the period.
    pub(crate) du: NaiveDate,
    /// Last day of the period.
    pub(crate) au: NaiveDate,
    /// Only those of this cemetery.
    pub(crate) cimetiere_id: Option<Uuid>,
    /// After this point of the list (`<date>_<id>` of the last one seen).
    pub(crate) apres: Option<(NaiveDate, Uuid)>,
    /// How many at most.
    pub(crate) limite: u64,
}

/// Reads the `apres` cursor of a page of expiries.
#[must_use]
pub(crate) fn lire_curseur(texte: &str) -> Option<(NaiveDate, Uuid)> {
    let (date, id) = texte.split_once('_')?;
    Some((date.parse().ok()?, id.parse().ok()?))
}

/// The concessions of the collectivité expiring between `du` and `au` (both included), by date
/// of expiry: one query on the index (collectivité, expiry), then the emplacements and the
/// concessionnaires of the page.
///
/// # Errors
/// The database failed.
pub(crate) async fn echeances<C: ConnectionTrait>(
    db: &C,
    collectivite_id: Uuid,
    periode: &Periode,
) -> Result<PageEcheances, CimetiereError> {
    let mut select = concession::Entity::find_in(collectivite_id)
        .filter(concession::Column::FinLe.is_null())
        .filter(concession::Column::DateEcheance.gte(periode.du))
        .filter(concession::Column::DateEcheance.lte(periode.au));
    if let Some(cimetiere_id) = periode.cimetiere_id {
        select = select.filter(
            concession::Column::EmplacementId.in_subquery(
                emplacement::Entity::find()
                    .filter(emplacement::Column::CimetiereId.eq(cimetiere_id))
                    .select_only()
                    .column(emplacement::Column::Id)
                    .into_query(),
            ),
        );
    }
    if let Some((date, id)) = periode.apres {
        // The plain bound keeps the index range; the condition then skips the rows seen.
        select = select
            .filter(concession::Column::DateEcheance.gte(date))
            .filter(
                Condition::any()
                    .add(concession::Column::DateEcheance.gt(date))
                    .add(
                        Condition::all()
                            .add(concession::Column::DateEcheance.eq(date))
                            .add(concession::Column::Id.gt(id)),
                    ),
            );
    }
    let limite = periode.limite.clamp(1, ECHEANCES_MAX);
    let mut lignes = select
        .order_by_asc(concession::Column::DateEcheance)
        .order_by_asc(concession::Column::Id)
        .limit(limite + 1)
        .all(db)
        .await?;
    let encore = lignes.len() as u64 > limite;
    lignes.truncate(usize::try_from(limite).unwrap_or(usize::MAX));
    let emplacements: std::collections::HashMap<Uuid, String> = emplacement::Entity::find()
        .filter(emplacement::Column::Id.is_in(lignes.iter().map(|c| c.emplacement_id)))
        .all(db)
        .await?
        .into_iter()
        .map(|e| (e.id, e.numero))
        .collect();
    let titulaires: std::collections::BTreeSet<Uuid> =
        lignes.iter().map(|c| c.concessionnaire_id).collect();
    let noms: std::collections::HashMap<Uuid, String> = usager::Entity::find()
        .filter(usager::Column::Id.is_in(titulaires))
        .all(db)
        .await?
        .into_iter()
        .map(|u| {
            let nom = u.nom_usage.clone().unwrap_or(u.nom_naissance.clone());
            (u.id, format!("{nom} {}", u.prenoms).trim().to_owned())
        })
        .collect();
    let suite = encore
        .then(|| lignes.last())
        .flatten()
        .and_then(|c| Some(format!("{}_{}", c.date_echeance?, c.id)));
    let items = lignes
        .into_iter()
        .filter_map(|c| {
            let date_echeance = c.date_echeance?;
            Some(Echeance {
                id: c.id,
                type_concession: TypeConcession::lire(&c.type_concession),
                dernier_jour: dernier_jour_pour_renouveler(date_echeance),
                date_echeance,
                emplacement: emplacements
                    .get(&c.emplacement_id)
                    .cloned()
                    .unwrap_or_default(),
                emplacement_id: c.emplacement_id,
                concessionnaire: noms.get(&c.concessionnaire_id).cloned().unwrap_or_default(),
                concessionnaire_id: c.concessionnaire_id,
                numero_acte: c.numero_acte,
            })
        })
        .collect();
    Ok(PageEcheances { items, suite })
}

/// The merge fields of a concession's renewal letter: `concessionnaire` (the core's usager
/// fields), `concession`, `emplacement` and the `tarif` in force `aujourd_hui` for the same
/// kind and duration (`null` when the commune no longer offers it).
///
/// # Errors
/// [`CimetiereError::Introuvable`]; [`CimetiereError::Regle`] for a perpetual concession.
pub(crate) async fn donnees_lettre<C: ConnectionTrait>(
    db: &C,
    collectivite_id: Uuid,
    id: Uuid,
    aujourd_hui: NaiveDate,
) -> Result<serde_json::Value, CimetiereError> {
    let c = concession::Entity::find_one_in(db, collectivite_id, id)
        .await?
        .ok_or(CimetiereError::Introuvable("Concession"))?;
    let Some(fin) = c.date_echeance else {
        return Err(CimetiereError::Regle {
            code: "concession-perpetuelle",
            detail: "Une concession perpétuelle n'a pas d'échéance : elle ne se renouvelle pas."
                .to_owned(),
        });
    };
    let lieu = emplacement::Entity::find_one_in(db, collectivite_id, c.emplacement_id)
        .await?
        .ok_or(CimetiereError::Introuvable("Emplacement"))?;
    let nom_cimetiere = cimetiere::Entity::find_one_in(db, collectivite_id, lieu.cimetiere_id)
        .await?
        .map(|m| m.nom)
        .unwrap_or_default();
    let titulaire = socle::usager::service::trouver(db, collectivite_id, c.concessionnaire_id)
        .await
        .map_err(|_| CimetiereError::Introuvable("Concessionnaire"))?;
    let type_concession = TypeConcession::lire(&c.type_concession);
    let tarif = match (type_concession, NatureEmplacement::lire(&lieu.nature)) {
        (Some(t), Some(n)) => {
            tarif_en_vigueur(db, collectivite_id, n, t, c.duree_ans, aujourd_hui).await?
        }
        _ => None,
    };
    let libelle_type = type_concession.map_or_else(String::new, |t| t.libelle(c.duree_ans));
    Ok(serde_json::json!({
        "concessionnaire": socle::editions::contexte::usager(&titulaire),
        "concession": {
            "id": c.id,
            "numero_acte": c.numero_acte,
            "date_acte": c.date_acte,
            "type_concession": c.type_concession,
            "libelle_type": libelle_type,
            "duree_ans": c.duree_ans,
            "date_echeance": fin,
            "dernier_jour": dernier_jour_pour_renouveler(fin),
        },
        "emplacement": {"numero": lieu.numero, "cimetiere": nom_cimetiere},
        "tarif": tarif.map(|t| serde_json::json!({
            "montant_centimes": t.montant_centimes,
            "duree_ans": t.duree_ans,
        })),
    }))
}

/// Name of the title of concession's template (`templates/editions/titre-de-concession.html`).
pub(crate) const TITRE_DE_CONCESSION: &str = "titre-de-concession";

/// The merge fields of a concession's title: `concessionnaire`, `concession`, `emplacement` and
/// `personnes` (`role`, `nom`, `lien`: the kinship as a letter names it, `justificatif`).
///
/// # Errors
/// [`CimetiereError::Introuvable`]; the database failed.
pub(crate) async fn donnees_titre<C: ConnectionTrait>(
    db: &C,
    collectivite_id: Uuid,
    id: Uuid,
) -> Result<serde_json::Value, CimetiereError> {
    let vendue = super::vente::lire(db, collectivite_id, id).await?;
    let lieu = emplacement::Entity::find_one_in(db, collectivite_id, vendue.emplacement_id)
        .await?
        .ok_or(CimetiereError::Introuvable("Emplacement"))?;
    let nom_cimetiere = cimetiere::Entity::find_one_in(db, collectivite_id, lieu.cimetiere_id)
        .await?
        .map(|m| m.nom)
        .unwrap_or_default();
    let titulaire = socle::usager::service::trouver(db, collectivite_id, vendue.concessionnaire_id)
        .await
        .map_err(|_| CimetiereError::Introuvable("Concessionnaire"))?;
    let libelle_type = vendue
        .type_concession
        .map(|t| t.libelle(vendue.duree_ans))
        .unwrap_or_default();
    Ok(serde_json::json!({
        "concessionnaire": socle::editions::contexte::usager(&titulaire),
        "concession": {
            "numero_acte": vendue.numero_acte,
            "date_acte": vendue.date_acte,
            "libelle_type": libelle_type,
            "duree_ans": vendue.duree_ans,
            "forme": vendue.forme,
            "date_echeance": vendue.date_echeance,
            "montant_centimes": vendue.montant_centimes,
        },
        "emplacement": {
            "numero": lieu.numero,
            "cimetiere": nom_cimetiere,
            "places": lieu.places,
            "surface_m2": lieu.surface_m2,
        },
        "personnes": super::vente::champs_personnes(&vendue.personnes),
    }))
}
