//! Who may act on a concession: its holder (the concessionnaire) or an heir — an ayant droit
//! the act or an earlier request recorded, or one who proves that quality with the request (an
//! acte de notoriété, an attestation de dévolution successorale…), who is then recorded on the
//! concession. Renewals (CGCT L2223-15) and conversions (L2223-16) are asked this way; anyone
//! else is refused with the reason.

use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set};
use serde::Deserialize;
use socle::prelude::*;
use socle::usager::{Parente, ParenteDeclaree};
use utoipa::ToSchema;
use uuid::Uuid;

use super::entity::{concession, personne};
use super::vente::{precision_du_lien, texte_libre, verifier_precision};
use crate::error::CimetiereError;

/// The proof an heir gives of their quality, with a request on a concession.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PreuveAyantDroit {
    /// Their kinship with the holder, a code or the French word (« fils », « nièce »…);
    /// `sans_lien` for a legatee.
    #[schema(value_type = Parente)]
    pub lien: ParenteDeclaree,
    /// What explains the kinship, free text.
    pub lien_precision: Option<String>,
    /// The document that proves it.
    #[schema(example = "Acte de notoriété de Me Durand, notaire à Nancy, du 12 janvier 2026")]
    pub justificatif: String,
}

/// Checks that `demandeur_id` may ask for `acte` (« son renouvellement ») on the concession `c`:
/// its holder, an heir recorded on it, or one who gives `preuve` — then recorded as an heir.
///
/// # Errors
/// [`CimetiereError::Regle`] `demandeur-sans-qualite`; [`CimetiereError::Champs`] for a proof
/// without its document or an unknown usager; the database failed.
pub(crate) async fn verifier_demandeur<C: ConnectionTrait>(
    db: &C,
    collectivite_id: Uuid,
    c: &concession::Model,
    demandeur_id: Uuid,
    preuve: Option<&PreuveAyantDroit>,
    acte: &str,
) -> Result<(), CimetiereError> {
    if demandeur_id == c.concessionnaire_id {
        return Ok(());
    }
    let inscrit = personne::Entity::find()
        .filter(personne::Column::ConcessionId.eq(c.id))
        .filter(personne::Column::UsagerId.eq(demandeur_id))
        .filter(personne::Column::Role.eq("ayant_droit"))
        .one(db)
        .await?
        .is_some();
    if inscrit {
        return Ok(());
    }
    let Some(preuve) = preuve else {
        return Err(CimetiereError::regle(
            "demandeur-sans-qualite",
            format!(
                "Le titulaire de la concession (acte {}) ou un ayant droit demande {acte} (CGCT, art. L2223-15 et L2223-16) : le demandeur n'est ni l'un ni l'autre à l'acte. Un ayant droit prouve sa qualité avec la demande (champ « ayant_droit » : lien avec le titulaire et justificatif, acte de notoriété ou attestation de dévolution successorale).",
                c.numero_acte
            ),
        ));
    };
    let justificatif = texte_libre(Some(&preuve.justificatif));
    let precision = precision_du_lien(Some(&preuve.lien), preuve.lien_precision.as_deref());
    let mut erreurs = Vec::new();
    if justificatif
        .as_ref()
        .is_none_or(|j| j.chars().count() > 300)
    {
        erreurs.push(FieldError::new(
            "ayant_droit.justificatif",
            "obligatoire",
            "le document qui prouve la qualité d'ayant droit (acte de notoriété, attestation de dévolution successorale…), 300 caractères au plus",
        ));
    }
    verifier_precision(
        "ayant_droit.lien_precision",
        preuve.lien_precision.as_deref(),
        &mut erreurs,
    );
    let usager = crate::service::usager_connu(
        db,
        collectivite_id,
        demandeur_id,
        "demandeur_id",
        &mut erreurs,
    )
    .await?;
    let Some(usager) = usager.filter(|_| erreurs.is_empty()) else {
        return Err(CimetiereError::Champs(erreurs));
    };
    personne::ActiveModel {
        id: Set(Uuid::now_v7()),
        concession_id: Set(c.id),
        role: Set("ayant_droit".to_owned()),
        usager_id: Set(Some(demandeur_id)),
        nom: Set(format!(
            "{} {}",
            usager.prenoms,
            usager.nom_usage.as_deref().unwrap_or(&usager.nom_naissance)
        )
        .trim()
        .chars()
        .take(200)
        .collect()),
        lien: Set(Some(preuve.lien.parente.code().to_owned())),
        lien_precision: Set(precision),
        justificatif: Set(justificatif),
    }
    .insert(db)
    .await?;
    Ok(())
}
