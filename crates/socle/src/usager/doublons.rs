//! Duplicate detection: which usagers may be the same person.
//!
//! Two records are compared on what French civil status makes stable: birth name (or the usage
//! name of one against the birth name of the other, for a married name), first names (any of
//! them, compound ones whole or split), date of birth (partial dates compatible where one does
//! not know), sex and commune of birth. Names are compared normalised (accents, case, hyphens,
//! particles) then by phonetic key, so that « Lefèvre » finds « LEFEBVRE ». A contradiction on
//! sex, date or first names rules a pair out; the rest adds up to a score, and pairs from
//! [`SEUIL`] are shown to an agent, never merged without one.

use std::collections::BTreeSet;

use sea_orm::sea_query::{Expr, ExprTrait, Func};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, DbErr, QueryFilter, QueryOrder, QuerySelect,
};
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

use super::entity::usager;
use super::fiche::FicheUsager;
use super::identite::{DateNaissance, Sexe, normaliser_nom};
use super::phonetique::{cle_nom, cle_prenom, nom_sans_particule};
use crate::collectivite::TenantScoped;

/// Score from which two usagers are shown as possible duplicates.
pub const SEUIL: u32 = 60;

/// Most candidates read for one lookup.
const CANDIDATS_MAX: u64 = 200;

/// A possible duplicate and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct Doublon {
    /// The other usager.
    pub id: Uuid,
    /// 0 to 100: how alike they are.
    pub score: u32,
    /// What matches, in French.
    pub raisons: Vec<String>,
}

/// What is compared of a usager.
#[derive(Debug, Clone)]
pub struct Identite {
    noms: Vec<(String, String, bool)>,
    prenoms: Vec<String>,
    prenoms_phon: BTreeSet<String>,
    /// The first first name, and the first two joined (« Jean Pierre » may be « Jean-Pierre »).
    premiers: Vec<String>,
    date: Option<DateNaissance>,
    sexe: Option<Sexe>,
    commune: Option<String>,
}

impl Identite {
    /// The comparable identity of a fiche.
    #[must_use]
    pub fn de(fiche: &FicheUsager) -> Self {
        let mut noms = vec![(
            nom_sans_particule(&fiche.nom_naissance),
            cle_nom(&fiche.nom_naissance),
            false,
        )];
        if let Some(usage) = &fiche.nom_usage {
            noms.push((nom_sans_particule(usage), cle_nom(usage), true));
        }
        let words: Vec<String> = fiche
            .prenoms
            .split_whitespace()
            .map(normaliser_nom)
            .filter(|p| !p.is_empty())
            .collect();
        // « Jean-Pierre » is one first name and two words: both forms are compared.
        let mut prenoms: Vec<String> = words
            .iter()
            .flat_map(|p| {
                let mut forms = vec![p.replace(' ', "")];
                forms.extend(p.split(' ').map(str::to_owned));
                forms
            })
            .collect();
        prenoms.sort();
        prenoms.dedup();
        let prenoms_phon = prenoms.iter().map(|p| cle_prenom(p)).collect();
        Self {
            noms,
            premiers: {
                let joined: Vec<String> = words.iter().map(|p| p.replace(' ', "")).collect();
                let mut firsts: Vec<String> = joined.first().cloned().into_iter().collect();
                if let [one, two, ..] = joined.as_slice() {
                    firsts.push(format!("{one}{two}"));
                }
                firsts
            },
            prenoms,
            prenoms_phon,
            date: fiche.date_naissance,
            sexe: fiche.sexe,
            commune: fiche.commune_naissance.clone(),
        }
    }

    /// The phonetic keys of the names, to look candidates up.
    #[must_use]
    pub fn cles(&self) -> Vec<String> {
        let mut keys: Vec<String> = self.noms.iter().map(|(_, k, _)| k.clone()).collect();
        keys.sort();
        keys.dedup();
        keys.retain(|k| !k.is_empty());
        keys
    }

    /// How alike two identities are; `None` when something rules the pair out.
    #[must_use]
    pub fn comparer(&self, other: &Self) -> Option<(u32, Vec<String>)> {
        let mut score: u32 = 0;
        let mut raisons = Vec::new();
        let exact = self.noms.iter().find_map(|a| {
            other
                .noms
                .iter()
                .find(|b| !a.0.is_empty() && a.0 == b.0)
                .map(|b| (a, b))
        });
        let phonetic = || {
            self.noms.iter().find_map(|a| {
                other
                    .noms
                    .iter()
                    .find(|b| !a.1.is_empty() && a.1 == b.1)
                    .map(|b| (a, b))
            })
        };
        let (a, b) = if let Some(pair) = exact {
            score += 40;
            raisons.push("même nom".to_owned());
            pair
        } else {
            let pair = phonetic()?;
            score += 30;
            raisons.push("nom de même prononciation".to_owned());
            pair
        };
        if a.2 != b.2 {
            raisons.push("nom d'usage de l'un, nom de naissance de l'autre".to_owned());
        }
        let same_first = self.premiers.iter().any(|p| other.premiers.contains(p));
        match (self.premiers.first(), other.premiers.first()) {
            (Some(_), Some(_)) if same_first => {
                score += 30;
                raisons.push("même premier prénom".to_owned());
            }
            (Some(_), Some(_)) => {
                if self.prenoms.iter().any(|p| other.prenoms.contains(p)) {
                    score += 20;
                    raisons.push("un prénom en commun".to_owned());
                } else if !self.prenoms_phon.is_disjoint(&other.prenoms_phon) {
                    score += 15;
                    raisons.push("prénom de même prononciation".to_owned());
                } else {
                    return None;
                }
            }
            _ => {}
        }
        match (self.date, other.date) {
            (Some(x), Some(y)) if !x.compatible(&y) => return None,
            (Some(x), Some(y)) if x.complete().is_some() && x == y => {
                score += 25;
                raisons.push("même date de naissance".to_owned());
            }
            (Some(_), Some(_)) => {
                score += 10;
                raisons.push("dates de naissance compatibles (partielles)".to_owned());
            }
            _ => {}
        }
        if let (Some(x), Some(y)) = (self.sexe, other.sexe)
            && x != y
        {
            return None;
        }
        match (&self.commune, &other.commune) {
            (Some(x), Some(y)) if x == y => {
                score += 5;
                raisons.push("même commune de naissance".to_owned());
            }
            (Some(_), Some(_)) => score = score.saturating_sub(10),
            _ => {}
        }
        Some((Ord::min(score, 100), raisons))
    }
}

/// The usagers of the collectivité that may be the person of `fiche` (best first), leaving
/// `excepte` out. One indexed query on the names' phonetic keys and the year of birth.
///
/// # Errors
/// A database failure.
pub async fn candidats<C: ConnectionTrait>(
    db: &C,
    collectivite_id: Uuid,
    fiche: &FicheUsager,
    excepte: Option<Uuid>,
) -> Result<Vec<Doublon>, DbErr> {
    let identite = Identite::de(fiche);
    let keys = identite.cles();
    let year = fiche.date_naissance.map(|d| d.annee());
    let mut rows: Vec<usager::Model> = Vec::new();
    // One equality lookup per key, column and year (the year or unknown): each one a range of
    // an index, whatever the size of the registry.
    for key in &keys {
        for column in [usager::Column::PhonNom, usager::Column::PhonNomUsage] {
            // Without a year of birth, every year.
            let years = match year {
                Some(y) => vec![
                    Some(usager::Column::AnneeNaissance.eq(y)),
                    Some(usager::Column::AnneeNaissance.is_null()),
                ],
                None => vec![None],
            };
            for year_condition in years {
                let mut select = usager::Entity::find_in(collectivite_id)
                    .filter(column.eq(key.as_str()))
                    .filter(usager::Column::SupprimeLe.is_null());
                if let Some(condition) = year_condition {
                    select = select.filter(condition);
                }
                if let Some(id) = excepte {
                    select = select.filter(usager::Column::Id.ne(id));
                }
                rows.extend(select.limit(CANDIDATS_MAX).all(db).await?);
            }
        }
    }
    rows.sort_by_key(|r| r.id);
    rows.dedup_by_key(|r| r.id);
    Ok(classer(&identite, &rows))
}

fn classer(identite: &Identite, rows: &[usager::Model]) -> Vec<Doublon> {
    let mut found: Vec<Doublon> = rows
        .iter()
        .filter_map(|row| {
            let (score, raisons) = identite.comparer(&Identite::de(&FicheUsager::from(row)))?;
            (score >= SEUIL).then_some(Doublon {
                id: row.id,
                score,
                raisons,
            })
        })
        .collect();
    found.sort_by(|a, b| b.score.cmp(&a.score).then(a.id.cmp(&b.id)));
    found
}

/// Two usagers that may be one person.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PaireDoublon {
    /// One of them (the older record).
    pub a: Uuid,
    /// The other.
    pub b: Uuid,
    /// 0 to 100.
    pub score: u32,
    /// What matches, in French.
    pub raisons: Vec<String>,
}

/// Every pair of possible duplicates of the collectivité, best first, at most `limit`. Reads
/// the registry one phonetic key at a time (the keys shared by several usagers, then the usage
/// names that are someone's birth name).
///
/// # Errors
/// A database failure.
pub async fn rapport<C: ConnectionTrait>(
    db: &C,
    collectivite_id: Uuid,
    limit: usize,
) -> Result<Vec<PaireDoublon>, DbErr> {
    let live =
        || usager::Entity::find_in(collectivite_id).filter(usager::Column::SupprimeLe.is_null());
    let shared: Vec<String> = live()
        .select_only()
        .column(usager::Column::PhonNom)
        .group_by(usager::Column::PhonNom)
        .having(Expr::expr(Func::count(Expr::col(usager::Column::Id))).gt(1))
        .into_tuple()
        .all(db)
        .await?;
    let usage: Vec<String> = live()
        .select_only()
        .column(usager::Column::PhonNomUsage)
        .filter(usager::Column::PhonNomUsage.is_not_null())
        .distinct()
        .into_tuple::<Option<String>>()
        .all(db)
        .await?
        .into_iter()
        .flatten()
        .collect();
    let mut keys: BTreeSet<String> = shared.into_iter().collect();
    keys.extend(usage);
    let mut pairs = Vec::new();
    let mut seen = BTreeSet::new();
    for key in keys {
        let rows = live()
            .filter(
                Condition::any()
                    .add(usager::Column::PhonNom.eq(key.as_str()))
                    .add(usager::Column::PhonNomUsage.eq(key.as_str())),
            )
            .order_by_asc(usager::Column::Id)
            .limit(CANDIDATS_MAX)
            .all(db)
            .await?;
        let identites: Vec<Identite> = rows
            .iter()
            .map(|r| Identite::de(&FicheUsager::from(r)))
            .collect();
        for i in 0..rows.len() {
            for j in i + 1..rows.len() {
                if !seen.insert((rows[i].id, rows[j].id)) {
                    continue;
                }
                if let Some((score, raisons)) = identites[i].comparer(&identites[j])
                    && score >= SEUIL
                {
                    pairs.push(PaireDoublon {
                        a: rows[i].id,
                        b: rows[j].id,
                        score,
                        raisons,
                    });
                }
            }
        }
    }
    pairs.sort_by(|x, y| y.score.cmp(&x.score).then(x.a.cmp(&y.a)));
    pairs.truncate(limit);
    Ok(pairs)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn id(json: serde_json::Value) -> Identite {
        Identite::de(&serde_json::from_value::<FicheUsager>(json).expect("fiche"))
    }

    #[test]
    fn same_person_written_differently_is_found() {
        let a = id(serde_json::json!({
            "nom_naissance": "Lefèvre", "prenoms": "Marie-Hélène Anne",
            "date_naissance": "1954-06-01", "sexe": "F", "commune_naissance": "54084"
        }));
        let b = id(serde_json::json!({
            "nom_naissance": "LEFEVRE", "prenoms": "Marie Hélène", "date_naissance": "1954-06-00"
        }));
        let (score, raisons) = a.comparer(&b).expect("candidate");
        assert!(score >= SEUIL, "{score} {raisons:?}");
        assert!(raisons.iter().any(|r| r == "même nom"));
    }

    #[test]
    fn a_compound_first_name_written_in_two_words() {
        let hyphen = id(serde_json::json!({"nom_naissance": "Lefevre", "prenoms": "Jean-Pierre"}));
        let words =
            id(serde_json::json!({"nom_naissance": "Lefevre", "prenoms": "Jean Pierre Louis"}));
        let (score, raisons) = hyphen.comparer(&words).expect("candidate");
        assert_eq!(score, 70);
        assert!(
            raisons.iter().any(|r| r == "même premier prénom"),
            "{raisons:?}"
        );
        let other = id(serde_json::json!({"nom_naissance": "Lefevre", "prenoms": "Pierre Jean"}));
        let (score, _) = hyphen.comparer(&other).expect("a first name in common");
        assert_eq!(score, 60);
    }

    #[test]
    fn married_name_against_birth_name() {
        let birth = id(serde_json::json!({
            "nom_naissance": "Dupont", "prenoms": "Marie", "date_naissance": "1980-03-12"
        }));
        let married = id(serde_json::json!({
            "nom_naissance": "Martin", "nom_usage": "Dupont", "prenoms": "Marie",
            "date_naissance": "1980-03-12"
        }));
        let (score, raisons) = married.comparer(&birth).expect("candidate");
        assert_eq!(score, 95);
        assert!(raisons.iter().any(|r| r.contains("nom d'usage")));
    }

    #[test]
    fn contradictions_rule_a_pair_out() {
        let base = serde_json::json!({
            "nom_naissance": "Dupont", "prenoms": "Marie", "date_naissance": "1980-03-12", "sexe": "F"
        });
        let a = id(base.clone());
        let with = |field: &str, value: &str| {
            let mut json = base.clone();
            json[field] = serde_json::json!(value);
            a.comparer(&id(json))
        };
        assert!(with("date_naissance", "1980-03-13").is_none(), "other day");
        assert!(with("sexe", "M").is_none(), "other sex");
        assert!(with("prenoms", "Paul").is_none(), "other first name");
        assert!(with("nom_naissance", "Durand").is_none(), "other name");
        assert!(
            with("date_naissance", "1980-00-00").is_some(),
            "partial date"
        );
    }
}
