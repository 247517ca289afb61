//! `Idempotency-Key` on creations: a client that did not get the answer (timeout, lost
//! connection) sends the same request again with the same key and receives the first answer,
//! without a second usager. The same key with another body is refused. Keys are kept 24 hours.

use axum::http::HeaderMap;
use chrono::{DateTime, Duration, NaiveDate, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, Set,
};
use sha2::{Digest, Sha256};
use uuid::Uuid;

use super::entity::idempotence;
use crate::http::ApiError;

/// The request header.
pub const EN_TETE: &str = "idempotency-key";
/// The header marking a replayed answer.
pub const EN_TETE_REJEU: &str = "idempotent-replayed";

/// How long a key is remembered.
pub const DUREE_HEURES: i64 = 24;

/// The first answer to a keyed request.
#[derive(Debug, Clone)]
pub struct Reponse {
    /// HTTP status.
    pub statut: u16,
    /// JSON body.
    pub corps: String,
}

/// The key of a request, if it has one.
///
/// # Errors
/// 400 `idempotence-cle-invalide` for an empty, too long or non-printable key.
pub fn cle(headers: &HeaderMap) -> Result<Option<String>, ApiError> {
    let Some(value) = headers.get(EN_TETE) else {
        return Ok(None);
    };
    match value.to_str() {
        Ok(text)
            if (1..=255).contains(&text.len()) && text.bytes().all(|b| b.is_ascii_graphic()) =>
        {
            Ok(Some(text.to_owned()))
        }
        _ => Err(ApiError::bad_request(
            "idempotence-cle-invalide",
            "L'en-tête Idempotency-Key doit contenir de 1 à 255 caractères ASCII imprimables (un UUID, par exemple).",
        )),
    }
}

/// SHA-256 of what makes two requests the same: method, path and body.
#[must_use]
pub fn empreinte(methode: &str, chemin: &str, corps: &[u8]) -> String {
    let mut hash = Sha256::new();
    hash.update(methode.as_bytes());
    hash.update([0]);
    hash.update(chemin.as_bytes());
    hash.update([0]);
    hash.update(corps);
    hex::encode(hash.finalize())
}

/// The first answer to this key, if it was given within 24 hours to the same request.
///
/// # Errors
/// 422 `idempotence-conflit` when the key was used for another request; a database failure.
pub async fn rejouer<C: ConnectionTrait>(
    db: &C,
    collectivite_id: Uuid,
    cle: &str,
    empreinte: &str,
    now: DateTime<Utc>,
) -> Result<Option<Reponse>, ApiError> {
    let Some(found) = idempotence::Entity::find_by_id((collectivite_id, cle.to_owned()))
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    if found.cree_le < now - Duration::hours(DUREE_HEURES) {
        idempotence::Entity::delete_by_id((collectivite_id, cle.to_owned()))
            .exec(db)
            .await?;
        return Ok(None);
    }
    if found.empreinte != empreinte {
        return Err(ApiError::new(
            axum::http::StatusCode::UNPROCESSABLE_ENTITY,
            "idempotence-conflit",
            "Clé d'idempotence déjà utilisée",
            "Cette clé Idempotency-Key a déjà servi pour une autre requête : utilisez une nouvelle clé pour une nouvelle création.",
        ));
    }
    Ok(Some(Reponse {
        statut: u16::try_from(found.statut).unwrap_or(200),
        corps: found.corps,
    }))
}

/// Remembers the answer to a keyed request, in the transaction of the change it answers.
///
/// # Errors
/// A database failure; a unique violation when a concurrent request with the same key
/// committed first (the caller then replays its answer).
pub async fn memoriser<C: ConnectionTrait>(
    db: &C,
    collectivite_id: Uuid,
    cle: &str,
    empreinte: &str,
    reponse: &Reponse,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    idempotence::ActiveModel {
        collectivite_id: Set(collectivite_id),
        cle: Set(cle.to_owned()),
        empreinte: Set(empreinte.to_owned()),
        statut: Set(i32::from(reponse.statut)),
        corps: Set(reponse.corps.clone()),
        cree_le: Set(now),
    }
    .insert(db)
    .await
    .map(drop)
}

/// Deletes the answers kept for more than two days before `today` (run by `socle rgpd
/// purger`); returns how many.
///
/// # Errors
/// A database failure.
pub async fn purger<C: ConnectionTrait>(db: &C, today: NaiveDate) -> Result<u64, DbErr> {
    let cutoff = (today - Duration::days(2))
        .and_time(chrono::NaiveTime::MIN)
        .and_utc();
    let done = idempotence::Entity::delete_many()
        .filter(idempotence::Column::CreeLe.lt(cutoff))
        .exec(db)
        .await?;
    Ok(done.rows_affected)
}
