//! The reprise procedure's rules, without HTTP.

use chrono::{DateTime, Months, NaiveDate, Utc};
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, QueryFilter, QueryOrder, Set};
use serde::{Deserialize, Serialize};
use socle::prelude::*;
use utoipa::ToSchema;
use uuid::Uuid;

use super::entity::reprise;
use crate::concessions::entity::concession;
use crate::error::CimetiereError;
use crate::operations::entity::inhumation;

/// Years the act of concession must be old when the procedure opens.
pub const ACTE_ANS: u32 = 30;
/// Years since the last inhumation when the procedure opens.
pub const INHUMATION_ANS: u32 = 10;
/// Years between the publication of the first procès-verbal and the second (CGCT L2223-17 as
/// law n° 2022-217 of 21 February 2022, called 3DS, wrote it: three years before).
pub const ABANDON_ANS: u32 = 1;
/// Years the law required between the two procès-verbaux before the 3DS law.
const ABANDON_ANS_AVANT_3DS: u32 = 3;
/// Years after the inhumation of a person « Mort pour la France » before a perpetual concession
/// holding them can be taken back (CGCT R2223-22).
pub const MORT_POUR_LA_FRANCE_ANS: u32 = 50;
/// Days after the arrêté's publication and notification before the commune clears the grave
/// (CGCT R2223-20).
pub const ENLEVEMENT_JOURS: u64 = 30;

/// The day the 3DS law came into force: the day after its publication in the Journal officiel
/// of 22 February 2022.
fn loi_3ds() -> NaiveDate {
    NaiveDate::from_ymd_opt(2022, 2, 23).unwrap_or(NaiveDate::MIN)
}

/// The first day the second procès-verbal may be drawn up after the first was published on
/// `publication`: one year after; for a publication before the 3DS law, three years, unless the
/// law's coming into force on 23 February 2022 falls earlier and the year has passed by then.
#[must_use]
pub fn premier_jour_second_constat(publication: NaiveDate) -> NaiveDate {
    let un_an = plus(publication, 12 * ABANDON_ANS);
    let ancien = plus(publication, 12 * ABANDON_ANS_AVANT_3DS).min(loi_3ds());
    un_an.max(ancien)
}

/// The first day the commune may clear a grave taken back by the arrêté of a procedure:
/// thirty days after its publication and notification.
pub(crate) fn premier_jour_enlevement(r: &reprise::Model) -> Option<NaiveDate> {
    r.arrete_notification_le
        .or(r.arrete_le)
        .map(|d| d + chrono::Days::new(ENLEVEMENT_JOURS))
}

/// How the heirs were called to the first procès-verbal.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ModeConvocation {
    /// A registered letter to the known heirs, a month before.
    LettreRecommandee,
    /// A notice posted at the town hall and the cemetery, a month before (heirs unknown).
    Affichage,
}

/// The steps after the first procès-verbal, in order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Etape {
    /// The first procès-verbal is published (posted, notified).
    Publication,
    /// The second procès-verbal, a year after the publication (three before the 3DS law).
    SecondConstat,
    /// The council's deliberation, a month after the second procès-verbal is notified.
    Deliberation,
    /// The maire's arrêté of reprise: the procedure ends, the emplacement returns to the commune.
    Arrete,
}

impl Etape {
    const fn code(self) -> &'static str {
        match self {
            Self::Publication => "publication",
            Self::SecondConstat => "second_constat",
            Self::Deliberation => "deliberation",
            Self::Arrete => "arrete",
        }
    }

    /// The step that must come before this one.
    const fn apres(self) -> &'static str {
        match self {
            Self::Publication => "constat",
            Self::SecondConstat => "publication",
            Self::Deliberation => "second_constat",
            Self::Arrete => "deliberation",
        }
    }
}

/// How a message or a letter names the step a stored code names (« second procès-verbal »).
pub(crate) fn libelle_etape(code: &str) -> &str {
    match code {
        "constat" => "premier procès-verbal",
        "publication" => "publication du premier procès-verbal",
        "second_constat" => "second procès-verbal",
        "deliberation" => "délibération du conseil municipal",
        "arrete" => "arrêté de reprise",
        "abandonnee" => "procédure abandonnée",
        autre => autre,
    }
}

/// The opening of a procedure: the first procès-verbal.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OuvertureReprise {
    /// How the heirs were called.
    pub mode_convocation: ModeConvocation,
    /// The day they were (letters sent, notice posted).
    pub convocation_le: NaiveDate,
    /// The day of the first procès-verbal on site (today by default).
    pub constat_le: Option<NaiveDate>,
    /// `true` when the commune accepted the upkeep of the grave through a gift or bequest: the
    /// concession cannot then be taken back.
    #[serde(default)]
    pub entretien_par_la_commune: bool,
}

/// A step done.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EtapeFaite {
    /// Which step.
    pub etape: Etape,
    /// Its day (today by default).
    pub date: Option<NaiveDate>,
    /// The reference of the deliberation or the arrêté.
    pub reference: Option<String>,
    /// For the second procès-verbal and the arrêté: the day it was notified (and, for the
    /// arrêté, published), when later than the step's day.
    pub notifie_le: Option<NaiveDate>,
}

/// A procedure as the API shows it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Reprise {
    /// Identifier.
    pub id: Uuid,
    /// The concession.
    pub concession_id: Uuid,
    /// The last step done.
    pub etape: String,
    /// How the heirs were called, and when.
    pub mode_convocation: String,
    /// The day of the convocation.
    pub convocation_le: NaiveDate,
    /// The first procès-verbal.
    pub constat_le: NaiveDate,
    /// Its publication.
    pub publication_le: Option<NaiveDate>,
    /// The second procès-verbal.
    pub second_constat_le: Option<NaiveDate>,
    /// The day the second procès-verbal was notified.
    pub second_notification_le: Option<NaiveDate>,
    /// The deliberation, and its reference.
    pub deliberation_le: Option<NaiveDate>,
    /// The deliberation's reference.
    pub deliberation_ref: Option<String>,
    /// The arrêté, and its reference.
    pub arrete_le: Option<NaiveDate>,
    /// The arrêté's reference.
    pub arrete_ref: Option<String>,
    /// The day the arrêté was published and notified.
    pub arrete_notification_le: Option<NaiveDate>,
    /// The first day the commune may clear the grave (thirty days after the arrêté's
    /// publication and notification, CGCT R2223-20).
    pub enlevement_le: Option<NaiveDate>,
    /// The next step and the first day it may be done, while the procedure runs.
    pub prochaine_etape: Option<(String, NaiveDate)>,
}

fn plus(date: NaiveDate, mois: u32) -> NaiveDate {
    date.checked_add_months(Months::new(mois)).unwrap_or(date)
}

impl From<reprise::Model> for Reprise {
    fn from(r: reprise::Model) -> Self {
        let prochaine_etape = match r.etape.as_str() {
            "constat" => Some(("publication".to_owned(), r.constat_le)),
            "publication" => r
                .publication_le
                .map(|p| ("second_constat".to_owned(), premier_jour_second_constat(p))),
            "second_constat" => r
                .second_notification_le
                .or(r.second_constat_le)
                .map(|d| ("deliberation".to_owned(), plus(d, 1))),
            "deliberation" => r.deliberation_le.map(|d| ("arrete".to_owned(), d)),
            _ => None,
        };
        let enlevement_le = premier_jour_enlevement(&r);
        Self {
            id: r.id,
            concession_id: r.concession_id,
            etape: r.etape,
            mode_convocation: r.mode_convocation,
            convocation_le: r.convocation_le,
            constat_le: r.constat_le,
            publication_le: r.publication_le,
            second_constat_le: r.second_constat_le,
            second_notification_le: r.second_notification_le,
            deliberation_le: r.deliberation_le,
            deliberation_ref: r.deliberation_ref,
            arrete_le: r.arrete_le,
            arrete_ref: r.arrete_ref,
            arrete_notification_le: r.arrete_notification_le,
            enlevement_le,
            prochaine_etape,
        }
    }
}

/// Opens the procedure on the concession `concession_id` with its first procès-verbal, after
/// checking the preconditions.
///
/// # Errors
/// [`CimetiereError::Regle`]: `acte-trop-recent`, `inhumation-trop-recente`, `mort-pour-la-france`,
/// `entretien-par-la-commune`, `convocation-tardive`, `reprise-en-cours`;
/// [`CimetiereError::Champs`] for dates in the future.
pub(crate) async fn ouvrir<C: ConnectionTrait>(
    db: &C,
    collectivite_id: Uuid,
    concession_id: Uuid,
    ouverture: OuvertureReprise,
    today: NaiveDate,
    now: DateTime<Utc>,
) -> Result<Reprise, CimetiereError> {
    let c = concession::Entity::find_one_in(db, collectivite_id, concession_id)
        .await?
        .ok_or(CimetiereError::Introuvable("Concession"))?;
    crate::concessions::vente::en_cours(&c)?;
    let constat = ouverture.constat_le.unwrap_or(today);
    if constat > today || ouverture.convocation_le > today {
        return Err(CimetiereError::Champs(vec![FieldError::new(
            "constat_le",
            "future",
            format!("les dates ne peuvent être postérieures à aujourd'hui ({today})"),
        )]));
    }
    if ouverture.entretien_par_la_commune {
        return Err(CimetiereError::regle(
            "entretien-par-la-commune",
            "La commune a accepté l'entretien de cette sépulture par don ou legs : elle ne peut être reprise pour abandon (CGCT, art. R2223-23).".to_owned(),
        ));
    }
    let trente_ans = plus(c.date_acte, 12 * ACTE_ANS);
    if constat < trente_ans {
        return Err(CimetiereError::regle(
            "acte-trop-recent",
            format!(
                "L'acte de concession date du {} : la procédure de reprise pour abandon ne peut commencer qu'après trente ans, à partir du {trente_ans} (CGCT, art. L2223-17 et R2223-12).",
                c.date_acte
            ),
        ));
    }
    if let Some(derniere) = inhumation::Entity::find_in(collectivite_id)
        .filter(inhumation::Column::ConcessionId.eq(c.id))
        .order_by_desc(inhumation::Column::DateInhumation)
        .one(db)
        .await?
    {
        let dix_ans = plus(derniere.date_inhumation, 12 * INHUMATION_ANS);
        if constat < dix_ans {
            return Err(CimetiereError::regle(
                "inhumation-trop-recente",
                format!(
                    "La dernière inhumation date du {} : la procédure ne peut commencer que dix ans après, à partir du {dix_ans} (CGCT, art. R2223-12).",
                    derniere.date_inhumation
                ),
            ));
        }
    }
    if c.duree_ans == 0
        && let Some(mort) = inhumation::Entity::find_in(collectivite_id)
            .filter(inhumation::Column::ConcessionId.eq(c.id))
            .filter(inhumation::Column::MortPourLaFrance.eq(true))
            .order_by_desc(inhumation::Column::DateInhumation)
            .one(db)
            .await?
    {
        let cinquante_ans = plus(mort.date_inhumation, 12 * MORT_POUR_LA_FRANCE_ANS);
        if constat < cinquante_ans {
            return Err(CimetiereError::regle(
                "mort-pour-la-france",
                format!(
                    "{}, « Mort pour la France », repose dans cette concession perpétuelle depuis le {} : elle ne peut être reprise avant cinquante ans, le {cinquante_ans} (CGCT, art. R2223-22).",
                    mort.defunt_nom, mort.date_inhumation
                ),
            ));
        }
    }
    let un_mois = plus(ouverture.convocation_le, 1);
    if constat < un_mois {
        return Err(CimetiereError::regle(
            "convocation-tardive",
            format!(
                "Les descendants ou successeurs sont avisés un mois au moins avant le constat (CGCT, art. R2223-13) : convoqués le {}, le constat a lieu le {un_mois} au plus tôt.",
                ouverture.convocation_le
            ),
        ));
    }
    if reprise::Entity::find_in(collectivite_id)
        .filter(reprise::Column::ConcessionId.eq(c.id))
        .filter(reprise::Column::Etape.ne("abandonnee"))
        .one(db)
        .await?
        .is_some()
    {
        return Err(CimetiereError::regle(
            "reprise-en-cours",
            "Une procédure de reprise existe déjà pour cette concession.".to_owned(),
        ));
    }
    Ok(reprise::ActiveModel {
        id: Set(Uuid::now_v7()),
        collectivite_id: Set(collectivite_id),
        concession_id: Set(c.id),
        etape: Set("constat".to_owned()),
        convocation_le: Set(ouverture.convocation_le),
        mode_convocation: Set(match ouverture.mode_convocation {
            ModeConvocation::LettreRecommandee => "lettre_recommandee",
            ModeConvocation::Affichage => "affichage",
        }
        .to_owned()),
        constat_le: Set(constat),
        publication_le: Set(None),
        second_constat_le: Set(None),
        deliberation_le: Set(None),
        deliberation_ref: Set(None),
        arrete_le: Set(None),
        arrete_ref: Set(None),
        cree_le: Set(now),
        second_notification_le: Set(None),
        arrete_notification_le: Set(None),
    }
    .insert(db)
    .await?
    .into())
}

/// Records the next step of the procedure `id`, refusing it out of order or before its date.
///
/// # Errors
/// [`CimetiereError::Regle`]: `etape-hors-ordre`, `etape-prematuree` (with the first day
/// allowed), `reprise-terminee`; [`CimetiereError::Champs`] for a missing reference or a date
/// in the future.
pub(crate) async fn avancer<C: ConnectionTrait>(
    db: &C,
    collectivite_id: Uuid,
    id: Uuid,
    faite: EtapeFaite,
    today: NaiveDate,
) -> Result<Reprise, CimetiereError> {
    let r = reprise::Entity::find_one_in(db, collectivite_id, id)
        .await?
        .ok_or(CimetiereError::Introuvable("Procédure de reprise"))?;
    if r.etape == "arrete" || r.etape == "abandonnee" {
        return Err(CimetiereError::regle(
            "reprise-terminee",
            "La procédure est terminée.".to_owned(),
        ));
    }
    if r.etape != faite.etape.apres() {
        return Err(CimetiereError::regle(
            "etape-hors-ordre",
            format!(
                "La dernière étape faite est « {} » : l'étape « {} » vient après « {} ».",
                libelle_etape(&r.etape),
                libelle_etape(faite.etape.code()),
                libelle_etape(faite.etape.apres())
            ),
        ));
    }
    let date = faite.date.unwrap_or(today);
    if date > today {
        return Err(CimetiereError::Champs(vec![FieldError::new(
            "date",
            "future",
            format!("pas après aujourd'hui ({today})"),
        )]));
    }
    let reference = faite
        .reference
        .as_deref()
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .map(|t| t.chars().take(100).collect::<String>());
    let (premier_jour, regle_texte) = match faite.etape {
        Etape::Publication => (r.constat_le, "après le premier procès-verbal"),
        Etape::SecondConstat => (
            premier_jour_second_constat(r.publication_le.unwrap_or(r.constat_le)),
            "un an après la publication du premier procès-verbal (trois ans avant la loi n° 2022-217 du 21 février 2022), si l'abandon dure (CGCT, art. L2223-17 et R2223-18)",
        ),
        Etape::Deliberation => (
            plus(
                r.second_notification_le
                    .or(r.second_constat_le)
                    .unwrap_or(r.constat_le),
                1,
            ),
            "un mois après la notification du second procès-verbal (CGCT, art. R2223-18)",
        ),
        Etape::Arrete => (
            r.deliberation_le.unwrap_or(r.constat_le),
            "après la délibération du conseil municipal",
        ),
    };
    if date < premier_jour {
        return Err(CimetiereError::regle(
            "etape-prematuree",
            format!(
                "L'étape « {} » a lieu {regle_texte} : le {premier_jour} au plus tôt.",
                libelle_etape(faite.etape.code())
            ),
        ));
    }
    if matches!(faite.etape, Etape::Deliberation | Etape::Arrete) && reference.is_none() {
        return Err(CimetiereError::Champs(vec![FieldError::new(
            "reference",
            "obligatoire",
            "la référence de la délibération ou de l'arrêté",
        )]));
    }
    let notifie_le = match (faite.etape, faite.notifie_le) {
        (_, None) => None,
        (Etape::SecondConstat | Etape::Arrete, Some(le)) if le >= date && le <= today => Some(le),
        (Etape::SecondConstat | Etape::Arrete, Some(_)) => {
            return Err(CimetiereError::Champs(vec![FieldError::new(
                "notifie_le",
                "intervalle",
                format!("entre le jour de l'étape ({date}) et aujourd'hui ({today})"),
            )]));
        }
        (_, Some(_)) => {
            return Err(CimetiereError::Champs(vec![FieldError::new(
                "notifie_le",
                "etape",
                "seuls le second procès-verbal et l'arrêté portent une date de notification",
            )]));
        }
    };
    let mut modele: reprise::ActiveModel = r.into();
    modele.etape = Set(faite.etape.code().to_owned());
    match faite.etape {
        Etape::Publication => modele.publication_le = Set(Some(date)),
        Etape::SecondConstat => {
            modele.second_constat_le = Set(Some(date));
            modele.second_notification_le = Set(Some(notifie_le.unwrap_or(date)));
        }
        Etape::Deliberation => {
            modele.deliberation_le = Set(Some(date));
            modele.deliberation_ref = Set(reference);
        }
        Etape::Arrete => {
            modele.arrete_le = Set(Some(date));
            modele.arrete_ref = Set(reference);
            modele.arrete_notification_le = Set(Some(notifie_le.unwrap_or(date)));
        }
    }
    Ok(modele.update(db).await?.into())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn jour(a: i32, m: u32, j: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(a, m, j).expect("date")
    }

    #[test]
    fn the_second_proces_verbal_waits_a_year_since_the_3ds_law() {
        // Published after the law: one year.
        assert_eq!(
            premier_jour_second_constat(jour(2024, 3, 10)),
            jour(2025, 3, 10)
        );
        // Published a year before the law: the law's day, the year having passed by then.
        assert_eq!(
            premier_jour_second_constat(jour(2020, 6, 1)),
            jour(2022, 2, 23)
        );
        // Published three years before: the old three years ended first.
        assert_eq!(
            premier_jour_second_constat(jour(2019, 1, 10)),
            jour(2022, 1, 10)
        );
        // Published months before the law: one year after.
        assert_eq!(
            premier_jour_second_constat(jour(2021, 6, 1)),
            jour(2022, 6, 1)
        );
    }
}
