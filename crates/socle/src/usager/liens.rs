//! How modules tie their records to a usager.
//!
//! A module that holds a record about a person (an electoral registration, a concession, an
//! act) calls [`lier`] in the transaction that writes the record. The core then knows, for
//! each usager, which records concern them: erasure is refused while a record the law requires
//! is linked (the module's [`crate::rgpd::Traitement`] for that kind of record says why), the
//! subject-access export lists them, and a merge moves them.
//!
//! ```ignore
//! socle::usager::lier(&txn, collectivite.id, usager_id, "elections.inscription",
//!     inscription.id, "Inscription sur la liste électorale", now).await?;
//! ```

use chrono::{DateTime, Utc};
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set};
use uuid::Uuid;

use super::entity::lien;
use super::error::UsagerError;
use super::service::verrouiller;

/// Links a module's record to a usager of the same collectivité (replacing the record's
/// previous link, if any).
///
/// # Errors
/// The usager does not exist in the collectivité or was deleted; a database failure.
pub async fn lier<C: ConnectionTrait>(
    db: &C,
    collectivite_id: Uuid,
    usager_id: Uuid,
    objet_type: &str,
    objet_id: impl ToString,
    libelle: &str,
    now: DateTime<Utc>,
) -> Result<(), UsagerError> {
    // The usager's lock: no erasure can pass between this check and the link.
    verrouiller(db, collectivite_id, usager_id).await?;
    let objet_id = objet_id.to_string();
    delier(db, collectivite_id, objet_type, &objet_id).await?;
    lien::ActiveModel {
        id: Set(Uuid::now_v7()),
        collectivite_id: Set(collectivite_id),
        usager_id: Set(usager_id),
        objet_type: Set(objet_type.to_owned()),
        objet_id: Set(objet_id),
        libelle: Set(libelle.chars().take(200).collect()),
        cree_le: Set(now),
    }
    .insert(db)
    .await?;
    Ok(())
}

/// Removes the link of a record (the record was deleted, or no longer concerns the usager).
///
/// # Errors
/// A database failure.
pub async fn delier<C: ConnectionTrait>(
    db: &C,
    collectivite_id: Uuid,
    objet_type: &str,
    objet_id: &str,
) -> Result<(), UsagerError> {
    lien::Entity::delete_many()
        .filter(lien::Column::CollectiviteId.eq(collectivite_id))
        .filter(lien::Column::ObjetType.eq(objet_type))
        .filter(lien::Column::ObjetId.eq(objet_id))
        .exec(db)
        .await?;
    Ok(())
}

/// The usager a record is linked to.
///
/// # Errors
/// A database failure.
pub async fn usager_de<C: ConnectionTrait>(
    db: &C,
    collectivite_id: Uuid,
    objet_type: &str,
    objet_id: &str,
) -> Result<Option<Uuid>, UsagerError> {
    Ok(lien::Entity::find()
        .filter(lien::Column::CollectiviteId.eq(collectivite_id))
        .filter(lien::Column::ObjetType.eq(objet_type))
        .filter(lien::Column::ObjetId.eq(objet_id))
        .one(db)
        .await?
        .map(|l| l.usager_id))
}
