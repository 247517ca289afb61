//! Taking an emplacement back and placing its remains in the ossuaire, without HTTP.

use chrono::{DateTime, Months, NaiveDate, Utc};
use sea_orm::sea_query::{Expr, ExprTrait, Func};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set,
};
use serde::{Deserialize, Serialize};
use socle::prelude::*;
use utoipa::ToSchema;
use uuid::Uuid;

use super::entity::depot;
use crate::concessions::entity::concession;
use crate::concessions::renouvellement::dernier_jour_pour_renouveler;
use crate::entity as cimetiere;
use crate::error::CimetiereError;
use crate::lieux::entity::emplacement;
use crate::lieux::service::NatureEmplacement;
use crate::operations::entity::inhumation;
use crate::operations::inhumation::TERRAIN_COMMUN_ANS;
use crate::reprise::entity::reprise;
use crate::reprise::service::premier_jour_enlevement;

/// What becomes of one person's remains.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Devenir {
    /// Placed in the ossuaire (the default).
    Ossuaire,
    /// Cremated: only without the deceased's objection, the relatives told beforehand.
    Cremation,
}

impl Devenir {
    const fn code(self) -> &'static str {
        match self {
            Self::Ossuaire => "ossuaire",
            Self::Cremation => "cremation",
        }
    }
}

/// What is decided for the remains of one inhumation; the ones not listed go to the ossuaire.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DevenirRestes {
    /// The inhumation, among those still in the emplacement.
    pub inhumation_id: Uuid,
    /// Ossuaire or cremation.
    pub devenir: Devenir,
    /// The deceased is known to have objected to cremation: the remains are set apart in the
    /// ossuaire.
    #[serde(default)]
    pub opposition_cremation: bool,
    /// For a cremation: the day the relatives able to make the deceased's wishes known were
    /// told (before the reprise).
    pub proches_informes_le: Option<NaiveDate>,
    /// For a cremation: how they were told (« lettre recommandée du 2 mars à M. X », « avis
    /// affiché »…).
    pub moyen_information: Option<String>,
}

/// The taking back of an emplacement.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RepriseEmplacement {
    /// The day (today by default); not in the future.
    pub date: Option<NaiveDate>,
    /// The ossuaire that receives the remains (an emplacement of that kind).
    pub ossuaire_id: Uuid,
    /// Decisions for some of the remains; the others go to the ossuaire.
    #[serde(default)]
    pub restes: Vec<DevenirRestes>,
}

/// One line of the ossuaire's register.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Depot {
    /// Identifier.
    pub id: Uuid,
    /// The ossuaire.
    pub ossuaire_id: Uuid,
    /// The deceased's name.
    pub defunt_nom: String,
    /// The day of death.
    pub date_deces: NaiveDate,
    /// The day of the inhumation.
    pub date_inhumation: NaiveDate,
    /// Where the remains come from.
    pub provenance: String,
    /// Why the grave was taken back: `echeance`, `abandon` or `terrain_commun`.
    pub motif: String,
    /// The day of the deposit.
    pub date_depot: NaiveDate,
    /// `ossuaire` or `cremation`.
    pub devenir: String,
    /// Set apart in the ossuaire: the deceased objected to cremation.
    pub opposition_cremation: bool,
    /// For a cremation: when the relatives were told.
    pub proches_informes_le: Option<NaiveDate>,
    /// For a cremation: how.
    pub moyen_information: Option<String>,
}

impl From<depot::Model> for Depot {
    fn from(d: depot::Model) -> Self {
        Self {
            id: d.id,
            ossuaire_id: d.ossuaire_id,
            defunt_nom: d.defunt_nom,
            date_deces: d.date_deces,
            date_inhumation: d.date_inhumation,
            provenance: d.provenance,
            motif: d.motif,
            date_depot: d.date_depot,
            devenir: d.devenir,
            opposition_cremation: d.opposition_cremation,
            proches_informes_le: d.proches_informes_le,
            moyen_information: d.moyen_information,
        }
    }
}

/// An emplacement taken back.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct EmplacementRepris {
    /// The emplacement, free again.
    pub emplacement_id: Uuid,
    /// `echeance`, `abandon` or `terrain_commun`.
    pub motif: String,
    /// The concession that ended, if any.
    pub concession_id: Option<Uuid>,
    /// The day.
    pub date: NaiveDate,
    /// The lines written in the ossuaire's register.
    pub depots: Vec<Depot>,
}

/// Why the commune may take `lieu` back on `date` (motif and concession ended), or the rule
/// that refuses it with the first day it will be possible.
async fn motif_de_reprise<C: ConnectionTrait>(
    db: &C,
    collectivite_id: Uuid,
    lieu: &emplacement::Model,
    nature: NatureEmplacement,
    restants: &[inhumation::Model],
    date: NaiveDate,
) -> Result<(&'static str, Option<concession::Model>), CimetiereError> {
    let concession = concession::Entity::find_in(collectivite_id)
        .filter(concession::Column::EmplacementId.eq(lieu.id))
        .filter(concession::Column::FinLe.is_null())
        .filter(concession::Column::DateActe.lte(date))
        .order_by_desc(concession::Column::DateActe)
        .one(db)
        .await?;
    if let Some(c) = concession {
        let arrete = reprise::Entity::find_in(collectivite_id)
            .filter(reprise::Column::ConcessionId.eq(c.id))
            .filter(reprise::Column::Etape.eq("arrete"))
            .one(db)
            .await?;
        if let Some(premier) = arrete.as_ref().and_then(premier_jour_enlevement) {
            if date < premier {
                return Err(CimetiereError::regle(
                    "reprise-prematuree",
                    format!(
                        "La reprise de la concession (acte {}) est prononcée par arrêté ; la commune fait enlever les monuments et exhumer les restes trente jours après sa publication et sa notification, à partir du {premier} (CGCT, art. R2223-20).",
                        c.numero_acte
                    ),
                ));
            }
            return Ok(("abandon", Some(c)));
        }
        let Some(fin) = c.date_echeance else {
            return Err(CimetiereError::regle(
                "concession-en-cours",
                format!(
                    "La concession perpétuelle (acte {}) ne peut être reprise qu'au terme de la procédure de reprise pour abandon, par l'arrêté du maire (CGCT, art. L2223-17).",
                    c.numero_acte
                ),
            ));
        };
        let dernier = dernier_jour_pour_renouveler(fin).unwrap_or(NaiveDate::MAX);
        if date <= dernier {
            return Err(CimetiereError::regle(
                "reprise-prematuree",
                format!(
                    "La concession (acte {}) expire ou a expiré le {fin} ; ses ayants droit peuvent la renouveler jusqu'au {dernier} : la commune ne peut reprendre l'emplacement qu'à partir du {} (CGCT, art. L2223-15).",
                    c.numero_acte,
                    dernier.succ_opt().unwrap_or(dernier)
                ),
            ));
        }
        return Ok(("echeance", Some(c)));
    }
    if nature == NatureEmplacement::TerrainCommun
        && let Some(derniere) = restants.iter().map(|i| i.date_inhumation).max()
    {
        let premier = derniere
            .checked_add_months(Months::new(12 * TERRAIN_COMMUN_ANS))
            .unwrap_or(NaiveDate::MAX);
        if date < premier {
            return Err(CimetiereError::regle(
                "terrain-commun-5-ans",
                format!(
                    "La sépulture du terrain commun {} a reçu une inhumation le {derniere} : la commune ne peut la reprendre avant le {premier} (CGCT, art. R2223-5).",
                    lieu.numero
                ),
            ));
        }
        return Ok(("terrain_commun", None));
    }
    Err(CimetiereError::regle(
        "rien-a-reprendre",
        format!(
            "L'emplacement {} ne porte ni concession en cours ni sépulture du terrain commun : il n'y a rien à reprendre.",
            lieu.numero
        ),
    ))
}

/// Checks the decision for the cremation of one person's remains: no objection known, the
/// relatives told by some means before the reprise (decision 2024-1110 QPC).
fn verifier_cremation(
    restes: &DevenirRestes,
    nom: &str,
    date: NaiveDate,
) -> Result<(), CimetiereError> {
    if restes.devenir != Devenir::Cremation {
        return Ok(());
    }
    let moyen = restes
        .moyen_information
        .as_deref()
        .map(str::trim)
        .filter(|m| !m.is_empty());
    match (restes.proches_informes_le, moyen) {
        (Some(le), Some(_)) if le < date => Ok(()),
        _ => Err(CimetiereError::regle(
            "information-des-proches",
            format!(
                "Avant de faire procéder à la crémation des restes de {nom}, les proches susceptibles de faire connaître la volonté du défunt sont informés par tout moyen utile : le Conseil constitutionnel l'a exigé (décision n° 2024-1110 QPC du 31 octobre 2024) et la commune le fait par précaution tant que l'article L2223-4 n'a pas été réécrit. Indiquez le jour de cette information, antérieur au {date}, et le moyen employé (« proches_informes_le », « moyen_information »)."
            ),
        )),
    }
}

/// Takes the emplacement `emplacement_id` back on the day asked: ends its concession, moves
/// every remains still there to the ossuaire (or to cremation, as decided) and writes each in
/// the ossuaire's register, in one transaction.
///
/// # Errors
/// [`CimetiereError::Champs`] for the ossuaire, the date or the decisions;
/// [`CimetiereError::Regle`]: `reprise-prematuree`, `concession-en-cours`,
/// `terrain-commun-5-ans`, `rien-a-reprendre`, `information-des-proches`;
/// [`CimetiereError::Introuvable`].
pub(crate) async fn reprendre<C: ConnectionTrait>(
    db: &C,
    collectivite_id: Uuid,
    emplacement_id: Uuid,
    demande: RepriseEmplacement,
    today: NaiveDate,
    now: DateTime<Utc>,
) -> Result<EmplacementRepris, CimetiereError> {
    let lieu = emplacement::Entity::find_one_in(db, collectivite_id, emplacement_id)
        .await?
        .ok_or(CimetiereError::Introuvable("Emplacement"))?;
    let nature = NatureEmplacement::lire(&lieu.nature)
        .ok_or(CimetiereError::Introuvable("Nature d'emplacement"))?;
    let date = demande.date.unwrap_or(today);
    let mut erreurs = Vec::new();
    if date > today {
        erreurs.push(FieldError::new(
            "date",
            "future",
            format!("pas après aujourd'hui ({today})"),
        ));
    }
    if nature == NatureEmplacement::Ossuaire {
        erreurs.push(FieldError::new(
            "emplacement",
            "ossuaire",
            "l'ossuaire est affecté à perpétuité : il ne se reprend pas (CGCT, art. L2223-4)",
        ));
    }
    let ossuaire = emplacement::Entity::find_one_in(db, collectivite_id, demande.ossuaire_id)
        .await?
        .filter(|o| o.nature == NatureEmplacement::Ossuaire.code());
    if ossuaire.is_none() {
        erreurs.push(FieldError::new(
            "ossuaire_id",
            "ossuaire",
            "l'identifiant d'un emplacement de nature « ossuaire » de la collectivité",
        ));
    }
    let restants = inhumation::Entity::find_in(collectivite_id)
        .filter(inhumation::Column::EmplacementId.eq(emplacement_id))
        .filter(inhumation::Column::ExhumeLe.is_null())
        .order_by_asc(inhumation::Column::DateInhumation)
        .all(db)
        .await?;
    for (i, restes) in demande.restes.iter().enumerate() {
        if !restants.iter().any(|r| r.id == restes.inhumation_id) {
            erreurs.push(FieldError::new(
                format!("restes[{i}].inhumation_id"),
                "inconnue",
                "aucune inhumation encore présente dans cet emplacement n'a cet identifiant",
            ));
        }
        if demande.restes[..i]
            .iter()
            .any(|r| r.inhumation_id == restes.inhumation_id)
        {
            erreurs.push(FieldError::new(
                format!("restes[{i}].inhumation_id"),
                "doublon",
                "une seule décision par défunt",
            ));
        }
        if restes.devenir == Devenir::Cremation && restes.opposition_cremation {
            erreurs.push(FieldError::new(
                format!("restes[{i}].devenir"),
                "opposition",
                "le défunt s'est opposé à la crémation : ses restes vont à l'ossuaire, où ils sont distingués (CGCT, art. L2223-4)",
            ));
        }
    }
    if let Some(derniere) = restants.iter().map(|r| r.date_inhumation).max()
        && date < derniere
    {
        erreurs.push(FieldError::new(
            "date",
            "avant-inhumation",
            format!("pas avant la dernière inhumation dans l'emplacement ({derniere})"),
        ));
    }
    let Some(ossuaire) = ossuaire.filter(|_| erreurs.is_empty()) else {
        return Err(CimetiereError::Champs(erreurs));
    };
    let (motif, concession) =
        motif_de_reprise(db, collectivite_id, &lieu, nature, &restants, date).await?;
    let decision = |i: &inhumation::Model| demande.restes.iter().find(|r| r.inhumation_id == i.id);
    for i in &restants {
        if let Some(restes) = decision(i) {
            verifier_cremation(restes, &i.defunt_nom, date)?;
        }
    }

    let nom_cimetiere = cimetiere::Entity::find_one_in(db, collectivite_id, lieu.cimetiere_id)
        .await?
        .map(|c| c.nom)
        .unwrap_or_default();
    let provenance = format!("{nom_cimetiere}, emplacement {}", lieu.numero);
    let concession_id = concession.as_ref().map(|c| c.id);
    if let Some(c) = concession {
        let fin = concession::Entity::update_many()
            .col_expr(concession::Column::FinLe, Some(date).into())
            .col_expr(concession::Column::MotifFin, Some(motif.to_owned()).into())
            .filter(concession::Column::Id.eq(c.id))
            .filter(concession::Column::FinLe.is_null())
            .exec(db)
            .await?;
        if fin.rows_affected == 0 {
            return Err(CimetiereError::regle(
                "concession-terminee",
                format!(
                    "La concession (acte {}) vient d'être terminée par une autre opération.",
                    c.numero_acte
                ),
            ));
        }
    }
    let mut depots = Vec::with_capacity(restants.len());
    for i in restants {
        crate::operations::exhumation::sortir(db, &i, date).await?;
        let restes = decision(&i);
        let devenir = restes.map_or(Devenir::Ossuaire, |r| r.devenir);
        let cremation = devenir == Devenir::Cremation;
        let ligne = depot::ActiveModel {
            id: Set(Uuid::now_v7()),
            collectivite_id: Set(collectivite_id),
            ossuaire_id: Set(ossuaire.id),
            inhumation_id: Set(i.id),
            defunt_nom: Set(i.defunt_nom.clone()),
            date_deces: Set(i.date_deces),
            date_inhumation: Set(i.date_inhumation),
            emplacement_id: Set(lieu.id),
            provenance: Set(provenance.clone()),
            concession_id: Set(concession_id),
            motif: Set(motif.to_owned()),
            date_depot: Set(date),
            devenir: Set(devenir.code().to_owned()),
            opposition_cremation: Set(restes.is_some_and(|r| r.opposition_cremation)),
            proches_informes_le: Set(restes
                .and_then(|r| r.proches_informes_le)
                .filter(|_| cremation)),
            moyen_information: Set(restes
                .and_then(|r| r.moyen_information.as_deref())
                .filter(|_| cremation)
                .map(|m| m.trim().chars().take(300).collect())),
            cree_le: Set(now),
        }
        .insert(db)
        .await?;
        depots.push(Depot::from(ligne));
    }
    Ok(EmplacementRepris {
        emplacement_id: lieu.id,
        motif: motif.to_owned(),
        concession_id,
        date,
        depots,
    })
}

/// Name of the printable register's template (`templates/editions/registre-ossuaire.html`).
pub(crate) const REGISTRE_OSSUAIRE: &str = "registre-ossuaire";

/// The merge fields of the printable register of the ossuaire `ossuaire_id`: `ossuaire`
/// (`numero`, `cimetiere`) and every line, in the order of deposit (`lignes`: the fields of
/// [`Depot`]).
///
/// # Errors
/// [`CimetiereError::Introuvable`] when it is not an ossuaire of the collectivité.
pub(crate) async fn donnees_registre<C: ConnectionTrait>(
    db: &C,
    collectivite_id: Uuid,
    ossuaire_id: Uuid,
) -> Result<serde_json::Value, CimetiereError> {
    let ossuaire = emplacement::Entity::find_one_in(db, collectivite_id, ossuaire_id)
        .await?
        .filter(|o| o.nature == NatureEmplacement::Ossuaire.code())
        .ok_or(CimetiereError::Introuvable("Ossuaire"))?;
    let nom_cimetiere = cimetiere::Entity::find_one_in(db, collectivite_id, ossuaire.cimetiere_id)
        .await?
        .map(|c| c.nom)
        .unwrap_or_default();
    let lignes: Vec<Depot> = depot::Entity::find_in(collectivite_id)
        .filter(depot::Column::OssuaireId.eq(ossuaire_id))
        .order_by_asc(depot::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(Depot::from)
        .collect();
    Ok(serde_json::json!({
        "ossuaire": {"numero": ossuaire.numero, "cimetiere": nom_cimetiere},
        "lignes": lignes,
    }))
}

/// A page of the register of the ossuaire `ossuaire_id`, in the order of deposit; only the
/// names containing `nom` when given.
///
/// # Errors
/// [`CimetiereError::Introuvable`] when it is not an ossuaire of the collectivité.
pub(crate) async fn registre<C: ConnectionTrait>(
    db: &C,
    collectivite_id: Uuid,
    ossuaire_id: Uuid,
    nom: Option<&str>,
    params: &PageParams,
) -> Result<Page<Depot>, CimetiereError> {
    emplacement::Entity::find_one_in(db, collectivite_id, ossuaire_id)
        .await?
        .filter(|o| o.nature == NatureEmplacement::Ossuaire.code())
        .ok_or(CimetiereError::Introuvable("Ossuaire"))?;
    let mut select =
        depot::Entity::find_in(collectivite_id).filter(depot::Column::OssuaireId.eq(ossuaire_id));
    if let Some(nom) = nom.map(str::trim).filter(|n| !n.is_empty()) {
        let motif = format!("%{}%", nom.to_lowercase().replace(['%', '_'], ""));
        select =
            select.filter(Expr::expr(Func::lower(Expr::col(depot::Column::DefuntNom))).like(motif));
    }
    let page = fetch_page(db, select, depot::Column::Id, |d| d.id, params).await?;
    Ok(page.map(Depot::from))
}
