//! Inhumations: the delays after death (CGCT R2213-33: from 24 hours to the 14th calendar day,
//! else a prefectoral derogation), who may rest in which kind of concession (L2223-13: the
//! people an individual or collective act names; the holder's family in a family concession,
//! less those the holder excluded, others with the heirs' unanimous consent), the free places,
//! the grounds of the right to burial in the terrain commun (L2223-3) and its five years
//! before a grave is reopened (R2223-5).

use chrono::{DateTime, Days, Months, NaiveDate, NaiveDateTime, NaiveTime, TimeDelta, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, Set,
};
use serde::{Deserialize, Serialize};
use socle::prelude::*;
use socle::usager::identite::Sexe;
use socle::usager::{Parente, ParenteDeclaree};
use utoipa::ToSchema;
use uuid::Uuid;

use super::entity::inhumation;
use crate::concessions::entity::{concession, personne};
use crate::concessions::service::concessible;
use crate::concessions::vente::{Forme, libelle_lien, precision_du_lien, verifier_precision};
use crate::error::CimetiereError;
use crate::lieux::entity::emplacement;
use crate::lieux::service::NatureEmplacement;
use crate::reprise::entity::reprise;

/// The last calendar day after death an inhumation may take place without derogation.
pub const DELAI_MAX_JOURS: u64 = 14;
/// Years before a grave of the terrain commun receives another coffin (R2223-5).
pub const TERRAIN_COMMUN_ANS: u32 = 5;

/// The grounds of the right to burial in the commune (CGCT L2223-3), for a grave without
/// concession.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum DroitSepulture {
    /// Died in the commune.
    DecesDansLaCommune,
    /// Domiciled in the commune.
    DomicileDansLaCommune,
    /// French, settled abroad, on (or entitled to be on) the commune's electoral list.
    FrancaisEtabliHorsDeFrance,
}

impl DroitSepulture {
    pub(crate) const fn libelle(self) -> &'static str {
        match self {
            Self::DecesDansLaCommune => "décédé dans la commune (CGCT L2223-3, 1°)",
            Self::DomicileDansLaCommune => "domicilié dans la commune (CGCT L2223-3, 2°)",
            Self::FrancaisEtabliHorsDeFrance => {
                "Français établi hors de France, sans sépulture de famille dans la commune, inscrit ou remplissant les conditions pour être inscrit sur sa liste électorale (CGCT L2223-3, 4°)"
            }
        }
    }
}

/// An inhumation asked for.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NouvelleInhumation {
    /// The deceased, a usager of the registry when known.
    pub defunt_id: Option<Uuid>,
    /// The deceased's name (required without `defunt_id`).
    #[schema(example = "Paul MARTIN")]
    pub defunt_nom: Option<String>,
    /// The day of death.
    pub date_deces: NaiveDate,
    /// The day of the inhumation.
    pub date_inhumation: NaiveDate,
    /// The hour of death, when known (`HH:MM`): with `heure_inhumation`, the 24 hours are
    /// counted to the minute; without, the day after death is the first day.
    #[schema(value_type = Option<String>, example = "18:30")]
    pub heure_deces: Option<NaiveTime>,
    /// The hour of the inhumation (`HH:MM`), given with `heure_deces`.
    #[schema(value_type = Option<String>, example = "10:00")]
    pub heure_inhumation: Option<NaiveTime>,
    /// The reference of the prefectoral derogation, when outside the delays.
    pub derogation: Option<String>,
    /// In a grave without concession: the ground of the right to burial.
    pub droit: Option<DroitSepulture>,
    /// In a family concession: the deceased's kinship with the holder, a code or the French word
    /// (« épouse », « fils », « belle-fille »…); the holder is recognised by `defunt_id`.
    #[schema(value_type = Option<Parente>)]
    pub lien: Option<ParenteDeclaree>,
    /// What explains the kinship, free text (« fille adoptive »).
    pub lien_precision: Option<String>,
    /// In a family concession, for a person outside the holder's family (a brother, a nephew, a
    /// friend…): the unanimous consent of the heirs, given in writing.
    pub consentement_ayants_droit: Option<bool>,
    /// The deceased bears the mention « Mort pour la France »: the concession cannot be taken
    /// back for abandonment within fifty years of this inhumation.
    #[serde(default)]
    pub mort_pour_la_france: bool,
}

/// An inhumation as the API shows it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Inhumation {
    /// Identifier.
    pub id: Uuid,
    /// The emplacement.
    pub emplacement_id: Uuid,
    /// The concession, if any.
    pub concession_id: Option<Uuid>,
    /// The deceased (usager), when known.
    pub defunt_id: Option<Uuid>,
    /// The deceased's name.
    pub defunt_nom: String,
    /// The day of death.
    pub date_deces: NaiveDate,
    /// The day of the inhumation.
    pub date_inhumation: NaiveDate,
    /// The prefectoral derogation, if one was needed.
    pub derogation: Option<String>,
    /// Why the deceased may rest here.
    pub droit: String,
    /// When the remains were exhumed.
    pub exhume_le: Option<NaiveDate>,
    /// The deceased bears the mention « Mort pour la France ».
    pub mort_pour_la_france: bool,
    /// In a family concession: the deceased's kinship with the holder.
    pub lien: Option<Parente>,
    /// What explains the kinship.
    pub lien_precision: Option<String>,
    /// The heirs' unanimous consent was given (a person outside the holder's family).
    pub consentement_ayants_droit: bool,
}

impl From<inhumation::Model> for Inhumation {
    fn from(i: inhumation::Model) -> Self {
        Self {
            id: i.id,
            emplacement_id: i.emplacement_id,
            concession_id: i.concession_id,
            defunt_id: i.defunt_id,
            defunt_nom: i.defunt_nom,
            date_deces: i.date_deces,
            date_inhumation: i.date_inhumation,
            derogation: i.derogation,
            droit: i.droit,
            exhume_le: i.exhume_le,
            mort_pour_la_france: i.mort_pour_la_france,
            lien: i.lien.as_deref().and_then(Parente::lire),
            lien_precision: i.lien_precision,
            consentement_ayants_droit: i.consentement_ayants_droit,
        }
    }
}

/// Who rests in an emplacement, and how many places are left.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Occupation {
    /// The emplacement's places.
    pub places: i32,
    /// Places free.
    pub places_libres: i32,
    /// Every inhumation, the first first (exhumed ones included).
    pub inhumations: Vec<Inhumation>,
}

fn meme_nom(a: &str, b: &str) -> bool {
    let simple = |t: &str| {
        t.split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
            .to_lowercase()
    };
    simple(a) == simple(b)
}

/// Records an inhumation in the emplacement `emplacement_id` after checking every rule; each
/// refusal says the rule and the dates concerned.
///
/// # Errors
/// [`CimetiereError::Champs`] for missing or invalid fields; [`CimetiereError::Regle`] for a
/// rule that refuses it (`delai-inhumation`, `emplacement-complet`, `terrain-commun-5-ans`,
/// `sans-concession`, `non-nomme`, `exclu`); [`CimetiereError::Introuvable`].
pub(crate) async fn inhumer<C: ConnectionTrait>(
    db: &C,
    collectivite_id: Uuid,
    emplacement_id: Uuid,
    demande: NouvelleInhumation,
    now: DateTime<Utc>,
) -> Result<Inhumation, CimetiereError> {
    let lieu = emplacement::Entity::find_one_in(db, collectivite_id, emplacement_id)
        .await?
        .ok_or(CimetiereError::Introuvable("Emplacement"))?;
    let nature = NatureEmplacement::lire(&lieu.nature)
        .ok_or(CimetiereError::Introuvable("Nature d'emplacement"))?;
    let mut erreurs = Vec::new();
    let defunt = match demande.defunt_id {
        Some(id) => match socle::usager::service::trouver(db, collectivite_id, id).await {
            Ok(u) => Some(u),
            Err(_) => {
                erreurs.push(FieldError::new(
                    "defunt_id",
                    "inconnu",
                    "aucun usager de la collectivité n'a cet identifiant",
                ));
                None
            }
        },
        None => None,
    };
    let nom = demande
        .defunt_nom
        .as_deref()
        .map(str::trim)
        .filter(|n| !n.is_empty())
        .map(str::to_owned)
        .or_else(|| {
            defunt.as_ref().map(|u| {
                format!(
                    "{} {}",
                    u.prenoms,
                    u.nom_usage.as_ref().unwrap_or(&u.nom_naissance)
                )
            })
        });
    let Some(nom) = nom.filter(|n| n.chars().count() <= 200) else {
        erreurs.push(FieldError::new(
            "defunt_nom",
            "obligatoire",
            "le nom du défunt (200 caractères au plus), ou defunt_id",
        ));
        return Err(CimetiereError::Champs(erreurs));
    };
    if demande.date_inhumation < demande.date_deces {
        erreurs.push(FieldError::new(
            "date_inhumation",
            "avant-deces",
            "l'inhumation ne peut précéder le décès",
        ));
    }
    if demande.heure_deces.is_some() != demande.heure_inhumation.is_some() {
        erreurs.push(FieldError::new(
            if demande.heure_deces.is_none() {
                "heure_deces"
            } else {
                "heure_inhumation"
            },
            "heures",
            "l'heure du décès et celle de l'inhumation se donnent ensemble, ou aucune",
        ));
    }
    verifier_precision(
        "lien_precision",
        demande.lien_precision.as_deref(),
        &mut erreurs,
    );
    if nature == NatureEmplacement::Ossuaire {
        erreurs.push(FieldError::new(
            "emplacement",
            "ossuaire",
            "l'ossuaire reçoit les restes des sépultures reprises, pas une inhumation",
        ));
    }
    if !erreurs.is_empty() {
        return Err(CimetiereError::Champs(erreurs));
    }

    // The delays after death.
    let (Some(premier), Some(dernier)) = (
        demande.date_deces.checked_add_days(Days::new(1)),
        demande
            .date_deces
            .checked_add_days(Days::new(DELAI_MAX_JOURS)),
    ) else {
        return Err(CimetiereError::Champs(vec![FieldError::new(
            "date_deces",
            "intervalle",
            "une date de décès du calendrier",
        )]));
    };
    let derogation = demande
        .derogation
        .as_deref()
        .map(str::trim)
        .filter(|d| !d.is_empty())
        .map(|d| d.chars().take(200).collect::<String>());
    if (demande.date_inhumation < premier || demande.date_inhumation > dernier)
        && derogation.is_none()
    {
        return Err(CimetiereError::regle(
            "delai-inhumation",
            format!(
                "Décès le {} : l'inhumation a lieu 24 heures au moins et 14 jours calendaires au plus après le décès (CGCT, art. R2213-33), soit du {premier} au {dernier} ; le {} demande une dérogation du préfet (champ « derogation »).",
                demande.date_deces, demande.date_inhumation
            ),
        ));
    }

    if let (Some(h_deces), Some(h_inhumation), None) =
        (demande.heure_deces, demande.heure_inhumation, &derogation)
    {
        let deces = demande.date_deces.and_time(h_deces);
        let premier_moment = deces
            .checked_add_signed(TimeDelta::hours(24))
            .unwrap_or(NaiveDateTime::MAX);
        if demande.date_inhumation.and_time(h_inhumation) < premier_moment {
            return Err(CimetiereError::regle(
                "delai-inhumation",
                format!(
                    "Décès le {} à {} : l'inhumation a lieu 24 heures au moins après le décès (CGCT, art. R2213-33), soit le {} à {} au plus tôt ; avant, elle demande une dérogation du préfet (champ « derogation »).",
                    demande.date_deces,
                    h_deces.format("%H:%M"),
                    premier_moment.date(),
                    premier_moment.time().format("%H:%M")
                ),
            ));
        }
    }

    let admis = admettre(
        db,
        collectivite_id,
        &lieu,
        Admission {
            defunt_id: defunt.as_ref().map(|u| u.id),
            nom: &nom,
            date: demande.date_inhumation,
            droit: demande.droit,
            lien: demande.lien.as_ref().map(|l| l.parente),
            libelle_lien: libelle_lien(
                demande.lien.as_ref().map(|l| l.parente),
                precision_du_lien(demande.lien.as_ref(), demande.lien_precision.as_deref())
                    .as_deref(),
                defunt
                    .as_ref()
                    .and_then(|u| u.sexe.as_deref())
                    .and_then(Sexe::from_code),
            ),
            consentement_ayants_droit: demande.consentement_ayants_droit,
        },
    )
    .await?;

    let cree = inhumation::ActiveModel {
        id: Set(Uuid::now_v7()),
        collectivite_id: Set(collectivite_id),
        emplacement_id: Set(emplacement_id),
        concession_id: Set(admis.concession_id),
        defunt_id: Set(defunt.map(|u| u.id)),
        defunt_nom: Set(nom),
        date_deces: Set(demande.date_deces),
        date_inhumation: Set(demande.date_inhumation),
        derogation: Set(derogation),
        droit: Set(admis.droit),
        exhume_le: Set(None),
        cree_le: Set(now),
        mort_pour_la_france: Set(demande.mort_pour_la_france),
        lien: Set(demande.lien.as_ref().map(|l| l.parente.code().to_owned())),
        lien_precision: Set(precision_du_lien(
            demande.lien.as_ref(),
            demande.lien_precision.as_deref(),
        )),
        consentement_ayants_droit: Set(admis.consentement_ayants_droit),
    }
    .insert(db)
    .await?;
    if let Some(defunt_id) = cree.defunt_id {
        super::defunts::inscrire_lien(db, collectivite_id, defunt_id, &cree, now).await?;
    }
    Ok(cree.into())
}

/// Who is to rest in an emplacement, and on what grounds.
pub(crate) struct Admission<'a> {
    /// The deceased, a usager, when known.
    pub(crate) defunt_id: Option<Uuid>,
    /// The deceased's name.
    pub(crate) nom: &'a str,
    /// The day the coffin or the remains are laid there.
    pub(crate) date: NaiveDate,
    /// Without concession: the ground of the right to burial.
    pub(crate) droit: Option<DroitSepulture>,
    /// In a family concession: the kinship with the holder.
    pub(crate) lien: Option<Parente>,
    /// How the kinship is written in the right recorded (the agent's words when they name it).
    pub(crate) libelle_lien: Option<String>,
    /// In a family concession, outside the family: the heirs' unanimous consent.
    pub(crate) consentement_ayants_droit: Option<bool>,
}

/// Where and on what grounds a deceased is admitted.
pub(crate) struct Admis {
    /// The concession in force, if any.
    pub(crate) concession_id: Option<Uuid>,
    /// Why the deceased may rest there, as recorded.
    pub(crate) droit: String,
    /// The heirs' consent was needed and given.
    pub(crate) consentement_ayants_droit: bool,
}

/// Whether a person of this kinship with the holder belongs to the holder's family, who rest
/// in a family concession of right: the spouse, ascendants and descendants (adopted children
/// among them), the allies (spouses of descendants and ascendants, the spouse's relatives).
/// Collaterals (brothers, sisters, nephews, uncles, cousins), a PACS partner and people without
/// kinship rest there only with the heirs' unanimous consent.
#[must_use]
pub const fn famille_du_titulaire(lien: Parente) -> bool {
    lien.ligne_directe()
        || matches!(
            lien,
            Parente::Conjoint | Parente::Allie | Parente::AllieCollateral
        )
}

/// Checks that `lieu` may receive the deceased of `admission`: a free place, the right to rest
/// in its concession in force or, without one, the ground of the right to burial and the
/// terrain commun's five years. Returns the concession and the right, as recorded.
///
/// # Errors
/// [`CimetiereError::Regle`] (`emplacement-complet`, `sans-concession`, `non-nomme`, `exclu`,
/// `terrain-commun-5-ans`); [`CimetiereError::Champs`] for a missing kinship or ground, or a
/// person outside the family without the heirs' consent.
pub(crate) async fn admettre<C: ConnectionTrait>(
    db: &C,
    collectivite_id: Uuid,
    lieu: &emplacement::Model,
    admission: Admission<'_>,
) -> Result<Admis, CimetiereError> {
    let nature = NatureEmplacement::lire(&lieu.nature)
        .ok_or(CimetiereError::Introuvable("Nature d'emplacement"))?;
    // Free places.
    let occupants = inhumation::Entity::find_in(collectivite_id)
        .filter(inhumation::Column::EmplacementId.eq(lieu.id))
        .filter(inhumation::Column::ExhumeLe.is_null())
        .count(db)
        .await?;
    if occupants >= u64::try_from(lieu.places).unwrap_or(0) {
        return Err(CimetiereError::regle(
            "emplacement-complet",
            format!(
                "L'emplacement {} compte {} place(s), toutes occupées.",
                lieu.numero, lieu.places
            ),
        ));
    }

    Ok(if concessible(nature) {
        let c = concession_en_cours(db, collectivite_id, lieu.id, admission.date)
            .await?
            .ok_or_else(|| {
                CimetiereError::regle(
                    "sans-concession",
                    format!(
                        "Aucune concession n'est en cours sur l'emplacement {} le {} : une inhumation y demande une concession.",
                        lieu.numero, admission.date
                    ),
                )
            })?;
        let (droit, consentement_ayants_droit) =
            droit_dans_la_concession(db, &c, &admission).await?;
        Admis {
            concession_id: Some(c.id),
            droit,
            consentement_ayants_droit,
        }
    } else {
        if nature == NatureEmplacement::TerrainCommun
            && let Some(derniere) = inhumation::Entity::find_in(collectivite_id)
                .filter(inhumation::Column::EmplacementId.eq(lieu.id))
                .order_by_desc(inhumation::Column::DateInhumation)
                .one(db)
                .await?
        {
            let reouverture = derniere
                .date_inhumation
                .checked_add_months(Months::new(12 * TERRAIN_COMMUN_ANS))
                .unwrap_or(derniere.date_inhumation);
            if admission.date < reouverture {
                return Err(CimetiereError::regle(
                    "terrain-commun-5-ans",
                    format!(
                        "Cette sépulture du terrain commun a reçu une inhumation le {} : elle ne peut en recevoir une autre avant le {reouverture} (CGCT, art. R2223-5).",
                        derniere.date_inhumation
                    ),
                ));
            }
        }
        let Some(droit) = admission.droit else {
            return Err(CimetiereError::Champs(vec![FieldError::new(
                "droit",
                "obligatoire",
                "hors concession, le droit à sépulture dans la commune : décès dans la commune, domicile dans la commune, ou Français établi hors de France inscrit ou pouvant être inscrit sur sa liste électorale (CGCT, art. L2223-3)",
            )]));
        };
        Admis {
            concession_id: None,
            droit: droit.libelle().to_owned(),
            consentement_ayants_droit: false,
        }
    })
}

/// The concession of the emplacement in force on `date`: not expired, not ended, and not taken
/// back by the arrêté of a reprise for abandonment.
pub(crate) async fn concession_en_cours<C: ConnectionTrait>(
    db: &C,
    collectivite_id: Uuid,
    emplacement_id: Uuid,
    date: NaiveDate,
) -> Result<Option<concession::Model>, CimetiereError> {
    let reprises_prononcees = sea_orm::sea_query::Query::select()
        .column(reprise::Column::ConcessionId)
        .from(reprise::Entity)
        .and_where(reprise::Column::CollectiviteId.eq(collectivite_id))
        .and_where(reprise::Column::Etape.eq("arrete"))
        .to_owned();
    Ok(concession::Entity::find_in(collectivite_id)
        .filter(concession::Column::Id.not_in_subquery(reprises_prononcees))
        .filter(concession::Column::EmplacementId.eq(emplacement_id))
        .filter(concession::Column::FinLe.is_null())
        .filter(concession::Column::DateActe.lte(date))
        .order_by_desc(concession::Column::DateActe)
        .all(db)
        .await?
        .into_iter()
        .find(|c| c.date_echeance.is_none_or(|fin| date < fin)))
}

/// Whether a deceased recorded by name alone (`defunt_id` absent) bears the holder's name as the
/// registry gives it (« Paul MARTIN » or « MARTIN Paul », birth or usage name): in a family
/// concession, the holder rests of right.
async fn est_le_titulaire<C: ConnectionTrait>(
    db: &C,
    c: &concession::Model,
    defunt_id: Option<Uuid>,
    nom: &str,
) -> Result<bool, CimetiereError> {
    if defunt_id.is_some() {
        return Ok(false);
    }
    let Ok(titulaire) =
        socle::usager::service::trouver(db, c.collectivite_id, c.concessionnaire_id).await
    else {
        return Ok(false);
    };
    let noms = [Some(&titulaire.nom_naissance), titulaire.nom_usage.as_ref()];
    Ok(noms.into_iter().flatten().any(|n| {
        meme_nom(&format!("{} {n}", titulaire.prenoms), nom)
            || meme_nom(&format!("{n} {}", titulaire.prenoms), nom)
    }))
}

/// Why the deceased may rest in the concession `c` and whether the heirs' consent was needed,
/// or the rule that refuses it.
async fn droit_dans_la_concession<C: ConnectionTrait>(
    db: &C,
    c: &concession::Model,
    admission: &Admission<'_>,
) -> Result<(String, bool), CimetiereError> {
    let (defunt_id, nom) = (admission.defunt_id, admission.nom);
    let personnes = personne::Entity::find()
        .filter(personne::Column::ConcessionId.eq(c.id))
        .all(db)
        .await?;
    let est = |p: &personne::Model| {
        defunt_id.is_some_and(|id| p.usager_id == Some(id)) || meme_nom(&p.nom, nom)
    };
    let titulaire = defunt_id == Some(c.concessionnaire_id)
        || (c.forme == "familiale" && est_le_titulaire(db, c, defunt_id, nom).await?);
    if titulaire {
        return Ok((
            format!("titulaire de la concession (acte {})", c.numero_acte),
            false,
        ));
    }
    let Some(forme) = Forme::lire(&c.forme) else {
        return Err(CimetiereError::Introuvable("Forme de concession"));
    };
    if forme != Forme::Familiale {
        return if personnes.iter().any(|p| p.role == "nomme" && est(p)) {
            Ok((
                format!(
                    "personne nommée dans l'acte de concession {} {}",
                    forme.libelle(),
                    c.numero_acte
                ),
                false,
            ))
        } else {
            Err(CimetiereError::regle(
                "non-nomme",
                format!(
                    "La concession {} (acte {}) ne reçoit que les personnes que son acte nomme ; {nom} n'en fait pas partie.",
                    forme.libelle(),
                    c.numero_acte
                ),
            ))
        };
    }
    if personnes.iter().any(|p| p.role == "exclu" && est(p)) {
        return Err(CimetiereError::regle(
            "exclu",
            format!(
                "{nom} est exclu(e) de la concession familiale (acte {}) par son titulaire : le consentement des ayants droit n'y change rien.",
                c.numero_acte
            ),
        ));
    }
    let consentement = admission.consentement_ayants_droit == Some(true);
    let libelle = |lien: Parente| {
        admission
            .libelle_lien
            .clone()
            .unwrap_or_else(|| lien.libelle().to_owned())
    };
    match admission.lien {
        Some(lien) if famille_du_titulaire(lien) => Ok((
            format!(
                "concession familiale (acte {}) : {} du titulaire",
                c.numero_acte,
                libelle(lien)
            ),
            false,
        )),
        Some(lien) if consentement => Ok((
            format!(
                "concession familiale (acte {}) : {} du titulaire, hors de sa famille, avec le consentement unanime des ayants droit",
                c.numero_acte,
                libelle(lien)
            ),
            true,
        )),
        Some(lien) => Err(CimetiereError::Champs(vec![FieldError::new(
            "consentement_ayants_droit",
            "hors-famille",
            format!(
                "{nom} est {} du titulaire : hors de sa famille (conjoint, ascendants, descendants et leurs conjoints, enfants adoptés, alliés), une personne ne repose dans une concession familiale qu'avec le consentement unanime des ayants droit",
                libelle(lien)
            ),
        )])),
        None => Err(CimetiereError::Champs(vec![FieldError::new(
            "lien",
            "obligatoire",
            "dans une concession familiale : le lien de parenté du défunt avec le titulaire (conjoint, enfant, gendre… ou sans_lien) ; le titulaire lui-même se reconnaît à defunt_id",
        )])),
    }
}

/// Who rests in the emplacement and how many places are left.
///
/// # Errors
/// [`CimetiereError::Introuvable`]; the database failed.
pub(crate) async fn occupation<C: ConnectionTrait>(
    db: &C,
    collectivite_id: Uuid,
    emplacement_id: Uuid,
) -> Result<Occupation, CimetiereError> {
    let lieu = emplacement::Entity::find_one_in(db, collectivite_id, emplacement_id)
        .await?
        .ok_or(CimetiereError::Introuvable("Emplacement"))?;
    let inhumations: Vec<Inhumation> = inhumation::Entity::find_in(collectivite_id)
        .filter(inhumation::Column::EmplacementId.eq(emplacement_id))
        .order_by_asc(inhumation::Column::DateInhumation)
        .all(db)
        .await?
        .into_iter()
        .map(Inhumation::from)
        .collect();
    let occupees = inhumations.iter().filter(|i| i.exhume_le.is_none()).count();
    Ok(Occupation {
        places: lieu.places,
        places_libres: (lieu.places - i32::try_from(occupees).unwrap_or(i32::MAX)).max(0),
        inhumations,
    })
}
