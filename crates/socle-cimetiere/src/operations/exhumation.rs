//! Exhumations, réductions and réunions de corps (CGCT R2213-40): asked by the closest relative
//! of the deceased, whose kinship is recorded and who attests that no relative of the same or a
//! closer degree objects; refused to a person without kinship, while a family dispute is
//! recorded on the emplacement, and while a relative of the same or a closer degree objects
//! ([`super::opposition`]). Each frees the place the coffin held.

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set};
use serde::{Deserialize, Serialize};
use socle::prelude::*;
use socle::usager::{Parente, ParenteDeclaree};
use utoipa::ToSchema;
use uuid::Uuid;

use super::entity::{exhumation, inhumation, litige};
use super::inhumation::{Admission, DroitSepulture, admettre};
use crate::concessions::vente::{libelle_lien, precision_du_lien, verifier_precision};
use crate::entity as cimetiere;
use crate::error::CimetiereError;
use crate::lieux::entity::emplacement;
use crate::lieux::service::NatureEmplacement;

/// What is done with the remains.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum NatureOperation {
    /// The remains leave the grave (another cemetery, the ossuaire, cremation).
    Exhumation,
    /// The remains are gathered in a box in the same grave, to free the place.
    Reduction,
    /// The remains are gathered with those of another person of the grave.
    Reunion,
}

impl NatureOperation {
    const fn code(self) -> &'static str {
        match self {
            Self::Exhumation => "exhumation",
            Self::Reduction => "reduction",
            Self::Reunion => "reunion",
        }
    }
}

/// An exhumation, réduction or réunion asked for.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NouvelleExhumation {
    /// What is done.
    pub nature: NatureOperation,
    /// The day (today by default); not in the future.
    pub date: Option<NaiveDate>,
    /// The closest relative who asks, a usager.
    pub demandeur_id: Uuid,
    /// Their kinship with the deceased, a code or the French word (« fils », « épouse »…).
    #[schema(value_type = Parente)]
    pub lien: ParenteDeclaree,
    /// What explains the kinship, free text.
    pub lien_precision: Option<String>,
    /// They attest that no relative of the same or a closer degree objects.
    pub attestation: bool,
    /// For an exhumation: where the remains go.
    pub destination: Option<String>,
    /// For an exhumation: the emplacement of the commune's cemeteries that receives the remains
    /// (a transfer), checked as an inhumation there would be, the delays after death aside.
    pub transfert: Option<Transfert>,
}

/// A transfer of remains to another emplacement of the commune's cemeteries.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Transfert {
    /// The emplacement that receives them.
    pub emplacement_id: Uuid,
    /// In a family concession: the deceased's kinship with its holder, a code or the French word.
    #[schema(value_type = Option<Parente>)]
    pub lien: Option<ParenteDeclaree>,
    /// In a family concession, for a person outside the family: the heirs' unanimous consent.
    pub consentement_ayants_droit: Option<bool>,
    /// In a grave without concession: the ground of the right to burial.
    pub droit: Option<DroitSepulture>,
}

/// An operation as the API shows it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Exhumation {
    /// Identifier.
    pub id: Uuid,
    /// The inhumation concerned.
    pub inhumation_id: Uuid,
    /// `exhumation`, `reduction` or `reunion`.
    pub nature: String,
    /// The day.
    pub date_operation: NaiveDate,
    /// Who asked.
    pub demandeur_id: Uuid,
    /// Their kinship with the deceased (absent for an operation recorded before kinship was
    /// typed, whose words named none: `lien_precision` keeps them).
    pub lien: Option<Parente>,
    /// What explains the kinship.
    pub lien_precision: Option<String>,
    /// Where the remains went.
    pub destination: Option<String>,
    /// For a transfer: the new inhumation, in the emplacement that received the remains.
    pub reinhumation_id: Option<Uuid>,
}

/// A family dispute to record.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NouveauLitige {
    /// What it is about.
    #[schema(example = "Opposition de la sœur du défunt, courrier du 3 mars 2026")]
    pub motif: String,
    /// The day it was made known (today by default).
    pub ouvert_le: Option<NaiveDate>,
}

/// A family dispute as the API shows it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Litige {
    /// Identifier.
    pub id: Uuid,
    /// The emplacement.
    pub emplacement_id: Uuid,
    /// What it is about.
    pub motif: String,
    /// When it was made known.
    pub ouvert_le: NaiveDate,
    /// When it ended.
    pub clos_le: Option<NaiveDate>,
}

impl From<litige::Model> for Litige {
    fn from(l: litige::Model) -> Self {
        Self {
            id: l.id,
            emplacement_id: l.emplacement_id,
            motif: l.motif,
            ouvert_le: l.ouvert_le,
            clos_le: l.clos_le,
        }
    }
}

/// Records a family dispute on the emplacement `emplacement_id`.
///
/// # Errors
/// [`CimetiereError::Champs`] without a reason.
pub(crate) async fn ouvrir_litige<C: ConnectionTrait>(
    db: &C,
    collectivite_id: Uuid,
    emplacement_id: Uuid,
    nouveau: NouveauLitige,
    today: NaiveDate,
) -> Result<Litige, CimetiereError> {
    let motif = nouveau.motif.trim();
    if motif.is_empty() || motif.chars().count() > 500 {
        return Err(CimetiereError::Champs(vec![FieldError::new(
            "motif",
            "longueur",
            "obligatoire, 500 caractères au plus",
        )]));
    }
    Ok(litige::ActiveModel {
        id: Set(Uuid::now_v7()),
        collectivite_id: Set(collectivite_id),
        emplacement_id: Set(emplacement_id),
        motif: Set(motif.to_owned()),
        ouvert_le: Set(nouveau.ouvert_le.unwrap_or(today).min(today)),
        clos_le: Set(None),
    }
    .insert(db)
    .await?
    .into())
}

/// Ends the dispute `id` on `le`.
///
/// # Errors
/// [`CimetiereError::Introuvable`]; [`CimetiereError::Regle`] when it has already ended.
pub(crate) async fn clore_litige<C: ConnectionTrait>(
    db: &C,
    collectivite_id: Uuid,
    id: Uuid,
    le: NaiveDate,
) -> Result<Litige, CimetiereError> {
    let ouvert = litige::Entity::find_one_in(db, collectivite_id, id)
        .await?
        .ok_or(CimetiereError::Introuvable("Litige"))?;
    if let Some(clos) = ouvert.clos_le {
        return Err(CimetiereError::Regle {
            code: "litige-clos",
            detail: format!("Ce litige est clos depuis le {clos}."),
        });
    }
    let mut modele: litige::ActiveModel = ouvert.into();
    modele.clos_le = Set(Some(le));
    Ok(modele.update(db).await?.into())
}

/// Records an exhumation, a réduction or a réunion of the remains of the inhumation
/// `inhumation_id`, after checking the request; the place the coffin held is freed.
///
/// # Errors
/// [`CimetiereError::Champs`] (no attestation, no kinship, no destination, unknown relative, a
/// date before the inhumation or in the future); [`CimetiereError::Regle`] while a family
/// dispute is open (`litige-familial`) or for remains already moved (`deja-exhume`).
pub(crate) async fn exhumer<C: ConnectionTrait>(
    db: &C,
    collectivite_id: Uuid,
    inhumation_id: Uuid,
    demande: NouvelleExhumation,
    today: NaiveDate,
    now: DateTime<Utc>,
) -> Result<Exhumation, CimetiereError> {
    let inhume = inhumation::Entity::find_one_in(db, collectivite_id, inhumation_id)
        .await?
        .ok_or(CimetiereError::Introuvable("Inhumation"))?;
    if let Some(le) = inhume.exhume_le {
        return Err(CimetiereError::Regle {
            code: "deja-exhume",
            detail: format!(
                "Les restes de {} ont déjà été déplacés le {le}.",
                inhume.defunt_nom
            ),
        });
    }
    let date = demande.date.unwrap_or(today);
    let mut erreurs = Vec::new();
    if date > today || date < inhume.date_inhumation {
        erreurs.push(FieldError::new(
            "date",
            "intervalle",
            format!(
                "entre l'inhumation ({}) et aujourd'hui ({today})",
                inhume.date_inhumation
            ),
        ));
    }
    let lien = demande.lien.parente;
    if lien.degre().is_none() {
        erreurs.push(FieldError::new(
            "lien",
            "sans-parente",
            format!(
                "l'exhumation est demandée par le plus proche parent du défunt (CGCT, art. R2213-40) : une personne {} ne peut la demander",
                lien.libelle()
            ),
        ));
    }
    let precision = precision_du_lien(Some(&demande.lien), demande.lien_precision.as_deref());
    verifier_precision(
        "lien_precision",
        demande.lien_precision.as_deref(),
        &mut erreurs,
    );
    if !demande.attestation {
        erreurs.push(FieldError::new(
            "attestation",
            "obligatoire",
            "le plus proche parent, qui demande l'exhumation (CGCT, art. R2213-40), atteste qu'aucun parent de même degré ou d'un degré plus proche ne s'y oppose (jurisprudence du Conseil d'État)",
        ));
    }
    let vers = match &demande.transfert {
        Some(t) => {
            let lieu = emplacement::Entity::find_one_in(db, collectivite_id, t.emplacement_id)
                .await?
                .filter(|l| {
                    l.id != inhume.emplacement_id && l.nature != NatureEmplacement::Ossuaire.code()
                });
            if lieu.is_none() || demande.nature != NatureOperation::Exhumation {
                erreurs.push(FieldError::new(
                    "transfert.emplacement_id",
                    "emplacement",
                    "une exhumation seulement, vers un autre emplacement de la collectivité qui n'est pas l'ossuaire",
                ));
            }
            lieu
        }
        None => None,
    };
    let destination = match &vers {
        Some(lieu) => {
            let nom = cimetiere::Entity::find_one_in(db, collectivite_id, lieu.cimetiere_id)
                .await?
                .map(|c| c.nom)
                .unwrap_or_default();
            Some(format!("transfert : {nom}, emplacement {}", lieu.numero))
        }
        None => demande
            .destination
            .as_deref()
            .map(str::trim)
            .filter(|d| !d.is_empty())
            .map(|d| d.chars().take(300).collect::<String>()),
    };
    if demande.nature == NatureOperation::Exhumation && destination.is_none() {
        erreurs.push(FieldError::new(
            "destination",
            "obligatoire",
            "où vont les restes : autre cimetière, ossuaire, crémation…",
        ));
    }
    crate::service::usager_connu(
        db,
        collectivite_id,
        demande.demandeur_id,
        "demandeur_id",
        &mut erreurs,
    )
    .await?;
    if !erreurs.is_empty() {
        return Err(CimetiereError::Champs(erreurs));
    }
    if let Some(ouvert) = litige::Entity::find_in(collectivite_id)
        .filter(litige::Column::EmplacementId.eq(inhume.emplacement_id))
        .filter(litige::Column::ClosLe.is_null())
        .one(db)
        .await?
    {
        return Err(CimetiereError::Regle {
            code: "litige-familial",
            detail: format!(
                "Un litige familial est en cours sur cette sépulture depuis le {} (« {} ») : aucune exhumation tant qu'il n'est pas clos.",
                ouvert.ouvert_le, ouvert.motif
            ),
        });
    }
    super::opposition::verifier(db, collectivite_id, &inhume, lien).await?;
    let reinhumation_id = match (&vers, &demande.transfert) {
        (Some(lieu), Some(t)) => {
            Some(transferer(db, collectivite_id, &inhume, lieu, t, date, now).await?)
        }
        _ => None,
    };
    let cree = exhumation::ActiveModel {
        id: Set(Uuid::now_v7()),
        collectivite_id: Set(collectivite_id),
        inhumation_id: Set(inhumation_id),
        nature: Set(demande.nature.code().to_owned()),
        date_operation: Set(date),
        demandeur_id: Set(demande.demandeur_id),
        lien: Set(lien.code().to_owned()),
        destination: Set(destination),
        cree_le: Set(now),
        lien_precision: Set(precision),
    }
    .insert(db)
    .await?;
    sortir(db, &inhume, date).await?;
    Ok(Exhumation {
        id: cree.id,
        inhumation_id,
        nature: cree.nature,
        date_operation: cree.date_operation,
        demandeur_id: cree.demandeur_id,
        lien: Parente::lire(&cree.lien),
        lien_precision: cree.lien_precision,
        destination: cree.destination,
        reinhumation_id,
    })
}

/// Marks the remains of `inhume` gone on `date`, unless an operation recorded meanwhile (a
/// concurrent request) moved them first.
///
/// # Errors
/// [`CimetiereError::Regle`] `deja-exhume`; the database failed.
pub(crate) async fn sortir<C: ConnectionTrait>(
    db: &C,
    inhume: &inhumation::Model,
    date: NaiveDate,
) -> Result<(), CimetiereError> {
    let fait = inhumation::Entity::update_many()
        .col_expr(inhumation::Column::ExhumeLe, Some(date).into())
        .filter(inhumation::Column::Id.eq(inhume.id))
        .filter(inhumation::Column::ExhumeLe.is_null())
        .exec(db)
        .await?;
    if fait.rows_affected == 0 {
        return Err(CimetiereError::Regle {
            code: "deja-exhume",
            detail: format!(
                "Les restes de {} viennent d'être déplacés par une autre opération.",
                inhume.defunt_nom
            ),
        });
    }
    Ok(())
}

/// Lays the remains of `inhume` in `lieu` on `date` after checking that it may receive them
/// (places, concession, right); returns the new inhumation.
async fn transferer<C: ConnectionTrait>(
    db: &C,
    collectivite_id: Uuid,
    inhume: &inhumation::Model,
    lieu: &emplacement::Model,
    transfert: &Transfert,
    date: NaiveDate,
    now: DateTime<Utc>,
) -> Result<Uuid, CimetiereError> {
    let admis = admettre(
        db,
        collectivite_id,
        lieu,
        Admission {
            defunt_id: inhume.defunt_id,
            nom: &inhume.defunt_nom,
            date,
            droit: transfert.droit,
            lien: transfert.lien.as_ref().map(|l| l.parente),
            libelle_lien: transfert
                .lien
                .as_ref()
                .and_then(|l| libelle_lien(Some(l.parente), l.mot.as_deref(), None)),
            consentement_ayants_droit: transfert.consentement_ayants_droit,
        },
    )
    .await
    .map_err(|err| match err {
        CimetiereError::Champs(erreurs) => CimetiereError::Champs(
            erreurs
                .into_iter()
                .map(|mut e| {
                    e.field = format!("transfert.{}", e.field);
                    e
                })
                .collect(),
        ),
        autre => autre,
    })?;
    let cree = inhumation::ActiveModel {
        id: Set(Uuid::now_v7()),
        collectivite_id: Set(collectivite_id),
        emplacement_id: Set(lieu.id),
        concession_id: Set(admis.concession_id),
        defunt_id: Set(inhume.defunt_id),
        defunt_nom: Set(inhume.defunt_nom.clone()),
        date_deces: Set(inhume.date_deces),
        date_inhumation: Set(date),
        derogation: Set(None),
        droit: Set(format!("{} — restes transférés le {date}", admis.droit)
            .chars()
            .take(300)
            .collect()),
        exhume_le: Set(None),
        cree_le: Set(now),
        mort_pour_la_france: Set(inhume.mort_pour_la_france),
        lien: Set(transfert.lien.as_ref().map(|l| l.parente.code().to_owned())),
        lien_precision: Set(precision_du_lien(transfert.lien.as_ref(), None)),
        consentement_ayants_droit: Set(admis.consentement_ayants_droit),
    }
    .insert(db)
    .await?;
    if let Some(defunt_id) = cree.defunt_id {
        super::defunts::inscrire_lien(db, collectivite_id, defunt_id, &cree, now).await?;
    }
    Ok(cree.id)
}
