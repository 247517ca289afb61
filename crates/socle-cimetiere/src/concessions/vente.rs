//! The sale of a concession: the act (number, date), the emplacement, the concessionnaire (a
//! usager of the registry), the kind and duration at the tariff in force on the date of the
//! act, the form (individuelle, collective, familiale) and the people the act names.

use chrono::{DateTime, Months, NaiveDate, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder,
    Set,
};
use serde::{Deserialize, Serialize};
use socle::db::on_unique;
use socle::prelude::*;
use socle::usager::identite::Sexe;
use socle::usager::{Parente, ParenteDeclaree, UsagerError};
use utoipa::ToSchema;
use uuid::Uuid;

use super::entity::{concession, conversion, personne, renouvellement, tarif};
use super::service::{TypeConcession, concessible};
use crate::error::CimetiereError;
use crate::lieux::entity::emplacement;
use crate::lieux::service::NatureEmplacement;
use crate::service::usager_connu;

/// The kind of record of concessions, in the journal and in the usager's links.
pub(crate) const OBJET_CONCESSION: &str = "cimetiere.concession";

/// Full years after its expiry during which a concession can be renewed and its emplacement
/// cannot be taken back (CGCT L2223-15).
pub const DELAI_RENOUVELLEMENT_ANS: u32 = 2;

/// Who a concession is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Forme {
    /// For the one person the act names.
    Individuelle,
    /// For the people the act names.
    Collective,
    /// For the holder and their family, less those the holder excludes.
    Familiale,
}

impl Forme {
    const fn code(self) -> &'static str {
        match self {
            Self::Individuelle => "individuelle",
            Self::Collective => "collective",
            Self::Familiale => "familiale",
        }
    }

    /// How a letter or a message names it (« individuelle », « familiale »).
    pub(crate) const fn libelle(self) -> &'static str {
        self.code()
    }

    /// The form a stored code names.
    pub(crate) fn lire(code: &str) -> Option<Self> {
        [Self::Individuelle, Self::Collective, Self::Familiale]
            .into_iter()
            .find(|f| f.code() == code)
    }
}

/// What a person is to an act of concession.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// An heir of the concession.
    AyantDroit,
    /// A person the act names for burial.
    Nomme,
    /// A person the holder excludes from a family concession.
    Exclu,
}

impl Role {
    const fn code(self) -> &'static str {
        match self {
            Self::AyantDroit => "ayant_droit",
            Self::Nomme => "nomme",
            Self::Exclu => "exclu",
        }
    }

    fn lire(code: &str) -> Option<Self> {
        [Self::AyantDroit, Self::Nomme, Self::Exclu]
            .into_iter()
            .find(|r| r.code() == code)
    }
}

/// A person an act names.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PersonneActe {
    /// Ayant droit, named for burial, or excluded.
    pub role: Role,
    /// The usager, when known in the registry.
    pub usager_id: Option<Uuid>,
    /// The name as the act gives it.
    #[schema(example = "Jeanne MARTIN")]
    pub nom: String,
    /// Kinship with the holder: a code or the French word (« fille », « gendre »…).
    #[schema(value_type = Option<Parente>)]
    pub lien: Option<ParenteDeclaree>,
    /// What explains the kinship, free text (« fille adoptive », « du premier mariage »).
    pub lien_precision: Option<String>,
    /// For an heir: the document that proves it (acte de notoriété, attestation de dévolution
    /// successorale…).
    pub justificatif: Option<String>,
}

/// A concession to sell.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NouvelleConcession {
    /// The emplacement granted.
    pub emplacement_id: Uuid,
    /// The number of the act, unique in the collectivité.
    #[schema(example = "2026-CON-0042")]
    pub numero_acte: String,
    /// The date of the act (today by default); not in the future.
    pub date_acte: Option<NaiveDate>,
    /// Its kind.
    pub type_concession: TypeConcession,
    /// Its duration: required for a temporary concession (1 to 15 years).
    pub duree_ans: Option<i32>,
    /// Who it is for.
    pub forme: Forme,
    /// The concessionnaire, a usager of the registry.
    pub concessionnaire_id: Uuid,
    /// The people the act names.
    #[serde(default)]
    pub personnes: Vec<PersonneActe>,
}

/// A concession as the API shows it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Concession {
    /// Identifier.
    pub id: Uuid,
    /// The emplacement.
    pub emplacement_id: Uuid,
    /// The number of the act.
    pub numero_acte: String,
    /// The date of the act.
    pub date_acte: NaiveDate,
    /// Its kind.
    pub type_concession: Option<TypeConcession>,
    /// Its duration in years (0: perpetual).
    pub duree_ans: i32,
    /// Who it is for.
    pub forme: Option<Forme>,
    /// The day it expires; absent for a perpetual concession.
    pub date_echeance: Option<NaiveDate>,
    /// The price paid, in euro cents.
    pub montant_centimes: i64,
    /// The concessionnaire (usager).
    pub concessionnaire_id: Uuid,
    /// The people the act names.
    pub personnes: Vec<PersonneActe>,
    /// When it was recorded.
    pub cree_le: DateTime<Utc>,
    /// The day the commune took the emplacement back, when the concession has ended.
    pub fin_le: Option<NaiveDate>,
    /// Why it ended: `echeance` (not renewed in time) or `abandon`.
    pub motif_fin: Option<String>,
}

impl Concession {
    fn new(c: concession::Model, personnes: Vec<personne::Model>) -> Self {
        Self {
            id: c.id,
            emplacement_id: c.emplacement_id,
            numero_acte: c.numero_acte,
            date_acte: c.date_acte,
            type_concession: TypeConcession::lire(&c.type_concession),
            duree_ans: c.duree_ans,
            forme: Forme::lire(&c.forme),
            date_echeance: c.date_echeance,
            montant_centimes: c.montant_centimes,
            concessionnaire_id: c.concessionnaire_id,
            personnes: personnes
                .into_iter()
                .filter_map(|p| {
                    Some(PersonneActe {
                        role: Role::lire(&p.role)?,
                        usager_id: p.usager_id,
                        nom: p.nom,
                        lien: p.lien.as_deref().and_then(Parente::lire).map(Into::into),
                        lien_precision: p.lien_precision,
                        justificatif: p.justificatif,
                    })
                })
                .collect(),
            cree_le: c.cree_le,
            fin_le: c.fin_le,
            motif_fin: c.motif_fin,
        }
    }
}

/// The day a concession of `duree_ans` years from `debut` expires: its anniversary; `None` for
/// a perpetual one.
#[must_use]
pub fn echeance(debut: NaiveDate, duree_ans: i32) -> Option<NaiveDate> {
    let mois = u32::try_from(duree_ans).ok().filter(|a| *a > 0)? * 12;
    debut.checked_add_months(Months::new(mois))
}

/// Ends, on the day of a new sale, the concessions of the emplacement that expired more than two
/// years before without being taken back, when no remains are left in it; with remains, the
/// emplacement must be taken back first (`restes-presents`).
async fn liberer_anciennes<C: ConnectionTrait>(
    db: &C,
    collectivite_id: Uuid,
    emplacement_id: Uuid,
    date: NaiveDate,
) -> Result<(), CimetiereError> {
    use crate::operations::entity::inhumation;
    use sea_orm::PaginatorTrait;

    let anciennes = concession::Entity::find_in(collectivite_id)
        .filter(concession::Column::EmplacementId.eq(emplacement_id))
        .filter(concession::Column::FinLe.is_null())
        .all(db)
        .await?;
    let Some(ancienne) = anciennes.first() else {
        return Ok(());
    };
    let restes = inhumation::Entity::find_in(collectivite_id)
        .filter(inhumation::Column::EmplacementId.eq(emplacement_id))
        .filter(inhumation::Column::ExhumeLe.is_null())
        .count(db)
        .await?;
    if restes > 0 {
        return Err(CimetiereError::Regle {
            code: "restes-presents",
            detail: format!(
                "La concession (acte {}) a expiré sans être renouvelée, mais {restes} défunt(s) reposent encore dans l'emplacement : reprenez d'abord l'emplacement (POST /emplacements/{emplacement_id}/reprise), les restes allant à l'ossuaire.",
                ancienne.numero_acte
            ),
        });
    }
    concession::Entity::update_many()
        .col_expr(concession::Column::FinLe, Some(date).into())
        .col_expr(
            concession::Column::MotifFin,
            Some("echeance".to_owned()).into(),
        )
        .filter(concession::Column::Id.is_in(anciennes.iter().map(|c| c.id)))
        .exec(db)
        .await?;
    Ok(())
}

/// What is kept to explain a kinship: the explanation given, else the agent's own word when a
/// word rather than a code was given (« fille »).
pub(crate) fn precision_du_lien(
    lien: Option<&ParenteDeclaree>,
    precision: Option<&str>,
) -> Option<String> {
    texte_libre(precision)
        .or_else(|| lien.and_then(|l| l.mot.clone()))
        .map(|p| p.chars().take(PRECISION_MAX).collect())
}

/// A kinship as a letter names it: the agent's words when they name that kinship (« fille »,
/// « fille adoptive »); else its label for a person of sex `sexe` when known, with the
/// explanation (« enfant, du premier mariage »); the explanation alone for a free text that no
/// kinship named.
pub(crate) fn libelle_lien(
    lien: Option<Parente>,
    precision: Option<&str>,
    sexe: Option<Sexe>,
) -> Option<String> {
    let precision = precision.map(str::trim).filter(|p| !p.is_empty());
    match (lien, precision) {
        (Some(l), Some(p)) if Parente::depuis_mot(p) == Some(l) => Some(p.to_owned()),
        (Some(l), Some(p)) => Some(format!("{}, {p}", l.libelle_pour(sexe))),
        (Some(l), None) => Some(l.libelle_pour(sexe).to_owned()),
        (None, p) => p.map(str::to_owned),
    }
}

/// The merge fields of the people an act names: `role`, `nom`, `lien` (the kinship as a letter
/// names it, see [`libelle_lien`]), `justificatif`.
pub(crate) fn champs_personnes(personnes: &[PersonneActe]) -> serde_json::Value {
    personnes
        .iter()
        .map(|p| {
            serde_json::json!({
                "role": p.role,
                "nom": p.nom,
                "lien": libelle_lien(
                    p.lien.as_ref().map(|l| l.parente),
                    p.lien_precision.as_deref(),
                    None,
                ),
                "justificatif": p.justificatif,
            })
        })
        .collect()
}

/// Longest explanation of a kinship kept, in characters.
pub(crate) const PRECISION_MAX: usize = 200;

/// Adds to `erreurs` the refusal of an explanation of kinship longer than [`PRECISION_MAX`].
pub(crate) fn verifier_precision(
    champ: &str,
    precision: Option<&str>,
    erreurs: &mut Vec<FieldError>,
) {
    if precision.is_some_and(|p| p.trim().chars().count() > PRECISION_MAX) {
        erreurs.push(FieldError::new(
            champ,
            "longueur",
            format!("{PRECISION_MAX} caractères au plus"),
        ));
    }
}

/// A free text trimmed, `None` when empty.
pub(crate) fn texte_libre(texte: Option<&str>) -> Option<String> {
    texte
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .map(str::to_owned)
}

/// Refuses to act on a concession the commune took back (`concession-terminee`).
///
/// # Errors
/// [`CimetiereError::Regle`] when it has ended.
pub(crate) fn en_cours(c: &concession::Model) -> Result<(), CimetiereError> {
    match c.fin_le {
        None => Ok(()),
        Some(fin) => Err(CimetiereError::Regle {
            code: "concession-terminee",
            detail: format!(
                "La concession (acte {}) a pris fin le {fin} : la commune a repris l'emplacement.",
                c.numero_acte
            ),
        }),
    }
}

/// The tariff row in force on `date` for this concession (latest date of effect not after it),
/// if the commune offers it on that date.
pub(crate) async fn tarif_en_vigueur<C: ConnectionTrait>(
    db: &C,
    collectivite_id: Uuid,
    nature: NatureEmplacement,
    type_concession: TypeConcession,
    duree_ans: i32,
    date: NaiveDate,
) -> Result<Option<tarif::Model>, DbErr> {
    let ligne = tarif::Entity::find_in(collectivite_id)
        .filter(tarif::Column::NatureEmplacement.eq(nature.code()))
        .filter(tarif::Column::TypeConcession.eq(type_concession.code()))
        .filter(tarif::Column::DureeAns.eq(duree_ans))
        .filter(tarif::Column::DateEffet.lte(date))
        .order_by_desc(tarif::Column::DateEffet)
        .one(db)
        .await?;
    Ok(ligne.filter(|l| l.montant_centimes.is_some()))
}

/// The concession that still holds `emplacement_id` on `date`: in force, or expired less than
/// [`DELAI_RENOUVELLEMENT_ANS`] full years before (it can still be renewed).
async fn concession_qui_occupe<C: ConnectionTrait>(
    db: &C,
    collectivite_id: Uuid,
    emplacement_id: Uuid,
    date: NaiveDate,
) -> Result<Option<concession::Model>, DbErr> {
    let concessions = concession::Entity::find_in(collectivite_id)
        .filter(concession::Column::EmplacementId.eq(emplacement_id))
        .filter(concession::Column::FinLe.is_null())
        .all(db)
        .await?;
    Ok(concessions.into_iter().find(|c| {
        c.date_echeance.is_none_or(|fin| {
            fin.checked_add_months(Months::new(12 * DELAI_RENOUVELLEMENT_ANS))
                .is_none_or(|libre| date < libre)
        })
    }))
}

fn verifier_personnes(forme: Forme, personnes: &[PersonneActe], erreurs: &mut Vec<FieldError>) {
    for (i, p) in personnes.iter().enumerate() {
        let nom = p.nom.trim();
        if nom.is_empty() || nom.chars().count() > 200 {
            erreurs.push(FieldError::new(
                format!("personnes[{i}].nom"),
                "longueur",
                "obligatoire, 200 caractères au plus",
            ));
        }
        verifier_precision(
            &format!("personnes[{i}].lien_precision"),
            p.lien_precision.as_deref(),
            erreurs,
        );
        if p.justificatif
            .as_ref()
            .is_some_and(|t| t.chars().count() > 300)
        {
            erreurs.push(FieldError::new(
                format!("personnes[{i}].justificatif"),
                "longueur",
                "300 caractères au plus",
            ));
        }
        if p.role == Role::Exclu && forme != Forme::Familiale {
            erreurs.push(FieldError::new(
                format!("personnes[{i}].role"),
                "exclusion",
                "seul le titulaire d'une concession familiale exclut des membres de sa famille",
            ));
        }
    }
    let nommes = personnes.iter().filter(|p| p.role == Role::Nomme).count();
    match forme {
        Forme::Individuelle if nommes != 1 => erreurs.push(FieldError::new(
            "personnes",
            "individuelle",
            "une concession individuelle nomme une seule personne, celle qui y sera inhumée",
        )),
        Forme::Collective if nommes < 2 => erreurs.push(FieldError::new(
            "personnes",
            "collective",
            "une concession collective nomme les personnes qui y seront inhumées (deux au moins)",
        )),
        _ => {}
    }
}

/// Sells a concession: checks the act, the emplacement (concessible, free on the date of the
/// act), the kind and duration against the law and against the commune's offer on that date
/// (its price is the tariff then in force), the concessionnaire (a living usager of the
/// registry, linked to the concession) and the people the act names.
///
/// # Errors
/// [`CimetiereError::Champs`] naming each field at fault, [`CimetiereError::Occupe`] when a
/// concession still holds the emplacement, [`CimetiereError::CodePris`] for an act number
/// already used.
pub(crate) async fn vendre<C: ConnectionTrait>(
    db: &C,
    collectivite_id: Uuid,
    nouvelle: NouvelleConcession,
    today: NaiveDate,
    now: DateTime<Utc>,
) -> Result<Concession, CimetiereError> {
    let mut erreurs = Vec::new();
    let numero = nouvelle.numero_acte.trim().to_owned();
    if numero.is_empty() || numero.chars().count() > 50 {
        erreurs.push(FieldError::new(
            "numero_acte",
            "longueur",
            "obligatoire, 50 caractères au plus",
        ));
    }
    let date = nouvelle.date_acte.unwrap_or(today);
    if date > today {
        erreurs.push(FieldError::new(
            "date_acte",
            "future",
            format!("l'acte ne peut pas être daté d'après aujourd'hui ({today})"),
        ));
    }
    let duree = nouvelle
        .type_concession
        .duree(nouvelle.duree_ans)
        .unwrap_or_else(|raison| {
            erreurs.push(FieldError::new("duree_ans", "duree", raison));
            0
        });
    verifier_personnes(nouvelle.forme, &nouvelle.personnes, &mut erreurs);
    let emplacement =
        emplacement::Entity::find_one_in(db, collectivite_id, nouvelle.emplacement_id).await?;
    let nature = emplacement
        .as_ref()
        .and_then(|e| NatureEmplacement::lire(&e.nature));
    match nature {
        None => erreurs.push(FieldError::new(
            "emplacement_id",
            "inconnu",
            "aucun emplacement de la collectivité n'a cet identifiant",
        )),
        Some(n) if !concessible(n) => erreurs.push(FieldError::new(
            "emplacement_id",
            "non-concessible",
            "un ossuaire, un dépositoire ou une sépulture en terrain commun ne se concède pas",
        )),
        Some(_) => {}
    }
    let tarif = match nature {
        Some(n) if erreurs.is_empty() => {
            tarif_en_vigueur(
                db,
                collectivite_id,
                n,
                nouvelle.type_concession,
                duree,
                date,
            )
            .await?
        }
        _ => None,
    };
    if erreurs.is_empty() && tarif.is_none() {
        erreurs.push(FieldError::new(
            "type_concession",
            "non-propose",
            format!(
                "la commune ne propose pas de concession {} pour cet emplacement au {date} (voir son tarif)",
                nouvelle.type_concession.libelle(duree)
            ),
        ));
    }
    for (i, p) in nouvelle.personnes.iter().enumerate() {
        if let Some(usager) = p.usager_id {
            let champ = format!("personnes[{i}].usager_id");
            usager_connu(db, collectivite_id, usager, champ, &mut erreurs).await?;
        }
    }
    usager_connu(
        db,
        collectivite_id,
        nouvelle.concessionnaire_id,
        "concessionnaire_id",
        &mut erreurs,
    )
    .await?;
    let (Some(tarif), true) = (tarif, erreurs.is_empty()) else {
        return Err(CimetiereError::Champs(erreurs));
    };
    if let Some(occupe) =
        concession_qui_occupe(db, collectivite_id, nouvelle.emplacement_id, date).await?
    {
        return Err(CimetiereError::Occupe {
            acte: occupe.numero_acte,
            echeance: occupe.date_echeance,
        });
    }
    liberer_anciennes(db, collectivite_id, nouvelle.emplacement_id, date).await?;

    let id = Uuid::now_v7();
    concession::ActiveModel {
        id: Set(id),
        collectivite_id: Set(collectivite_id),
        emplacement_id: Set(nouvelle.emplacement_id),
        numero_acte: Set(numero.clone()),
        date_acte: Set(date),
        type_concession: Set(nouvelle.type_concession.code().to_owned()),
        duree_ans: Set(duree),
        forme: Set(nouvelle.forme.code().to_owned()),
        date_echeance: Set(echeance(date, duree)),
        montant_centimes: Set(tarif.montant_centimes.unwrap_or_default()),
        concessionnaire_id: Set(nouvelle.concessionnaire_id),
        cree_le: Set(now),
        fin_le: Set(None),
        motif_fin: Set(None),
    }
    .insert(db)
    .await
    .map_err(|e| {
        on_unique(e, || {
            CimetiereError::CodePris("acte de concession", numero.clone())
        })
    })?;
    for p in &nouvelle.personnes {
        personne::ActiveModel {
            id: Set(Uuid::now_v7()),
            concession_id: Set(id),
            role: Set(p.role.code().to_owned()),
            usager_id: Set(p.usager_id),
            nom: Set(p.nom.trim().to_owned()),
            lien: Set(p.lien.as_ref().map(|l| l.parente.code().to_owned())),
            lien_precision: Set(precision_du_lien(
                p.lien.as_ref(),
                p.lien_precision.as_deref(),
            )),
            justificatif: Set(texte_libre(p.justificatif.as_deref())),
        }
        .insert(db)
        .await?;
    }
    socle::usager::lier(
        db,
        collectivite_id,
        nouvelle.concessionnaire_id,
        OBJET_CONCESSION,
        id,
        &format!("Concessionnaire (acte {numero})"),
        now,
    )
    .await
    .map_err(|e| match e {
        UsagerError::Db(err) => CimetiereError::Db(err),
        _ => CimetiereError::Champs(vec![FieldError::new(
            "concessionnaire_id",
            "inconnu",
            "aucun usager actif de la collectivité n'a cet identifiant",
        )]),
    })?;
    lire(db, collectivite_id, id).await
}

/// A concession of the collectivité with the people its act names.
///
/// # Errors
/// [`CimetiereError::Introuvable`]; the database failed.
pub(crate) async fn lire<C: ConnectionTrait>(
    db: &C,
    collectivite_id: Uuid,
    id: Uuid,
) -> Result<Concession, CimetiereError> {
    let c = concession::Entity::find_one_in(db, collectivite_id, id)
        .await?
        .ok_or(CimetiereError::Introuvable("Concession"))?;
    let personnes = personne::Entity::find()
        .filter(personne::Column::ConcessionId.eq(id))
        .order_by_asc(personne::Column::Id)
        .all(db)
        .await?;
    Ok(Concession::new(c, personnes))
}

/// The concessions of an emplacement, the oldest act first.
///
/// # Errors
/// The database failed.
pub(crate) async fn de_l_emplacement<C: ConnectionTrait>(
    db: &C,
    collectivite_id: Uuid,
    emplacement_id: Uuid,
) -> Result<Vec<Concession>, CimetiereError> {
    let concessions = concession::Entity::find_in(collectivite_id)
        .filter(concession::Column::EmplacementId.eq(emplacement_id))
        .order_by_asc(concession::Column::DateActe)
        .all(db)
        .await?;
    // The people of every act in one query.
    let mut personnes = personne::Entity::find()
        .filter(personne::Column::ConcessionId.is_in(concessions.iter().map(|c| c.id)))
        .order_by_asc(personne::Column::Id)
        .all(db)
        .await?;
    Ok(concessions
        .into_iter()
        .map(|c| {
            let siennes = personnes
                .extract_if(.., |p| p.concession_id == c.id)
                .collect();
            Concession::new(c, siennes)
        })
        .collect())
}

/// Moves the concessions, mentions, renewals and conversions asked by a merged usager to the
/// usager kept.
///
/// # Errors
/// The database failed.
pub(crate) async fn fusionner(ctx: &FusionUsager<'_>) -> Result<(), DbErr> {
    concession::Entity::update_many()
        .col_expr(
            concession::Column::ConcessionnaireId,
            Expr::value(ctx.conserve),
        )
        .filter(concession::Column::CollectiviteId.eq(ctx.collectivite_id))
        .filter(concession::Column::ConcessionnaireId.eq(ctx.absorbe))
        .exec(ctx.db)
        .await?;
    personne::Entity::update_many()
        .col_expr(personne::Column::UsagerId, Expr::value(ctx.conserve))
        .filter(personne::Column::UsagerId.eq(ctx.absorbe))
        .exec(ctx.db)
        .await?;
    renouvellement::Entity::update_many()
        .col_expr(
            renouvellement::Column::DemandeurId,
            Expr::value(ctx.conserve),
        )
        .filter(renouvellement::Column::CollectiviteId.eq(ctx.collectivite_id))
        .filter(renouvellement::Column::DemandeurId.eq(ctx.absorbe))
        .exec(ctx.db)
        .await?;
    conversion::Entity::update_many()
        .col_expr(conversion::Column::DemandeurId, Expr::value(ctx.conserve))
        .filter(conversion::Column::CollectiviteId.eq(ctx.collectivite_id))
        .filter(conversion::Column::DemandeurId.eq(ctx.absorbe))
        .exec(ctx.db)
        .await?;
    Ok(())
}

/// The usager's concessions, for the subject-access export.
///
/// # Errors
/// The database failed.
pub(crate) async fn donnees(ctx: &DonneesUsager<'_>) -> Result<Option<serde_json::Value>, DbErr> {
    let concessions = concession::Entity::find_in(ctx.collectivite_id)
        .filter(concession::Column::ConcessionnaireId.eq(ctx.usager_id))
        .all(ctx.db)
        .await?;
    if concessions.is_empty() {
        return Ok(None);
    }
    Ok(Some(serde_json::json!({
        "concessions": concessions.iter().map(|c| serde_json::json!({
            "id": c.id,
            "numero_acte": c.numero_acte,
            "date_acte": c.date_acte,
            "type_concession": c.type_concession,
            "date_echeance": c.date_echeance,
        })).collect::<Vec<_>>(),
    })))
}
