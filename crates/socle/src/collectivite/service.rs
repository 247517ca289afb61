//! Rules and storage of collectivités, without HTTP.

use std::sync::LazyLock;

use chrono::{DateTime, Utc};
use regex::Regex;
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set};
use serde::Deserialize;
use utoipa::ToSchema;
use uuid::Uuid;
use validator::Validate;

use super::entity::{self, Nature};
use crate::http::{ApiError, FieldError};

/// A COG commune code: département (01–19, 21–95, 2A, 2B) and 3 digits, or an overseas
/// département or collectivity (971–978, 984–989) and 2 digits.
static COG_COMMUNE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:(?:0[1-9]|1\d|2[1-9AB]|[3-8]\d|9[0-5])\d{3}|97[1-8]\d{2}|98[4-9]\d{2})$")
        .expect("constant regex")
});

/// A collectivité to create.
#[derive(Debug, Clone, Deserialize, Validate, ToSchema)]
pub struct NouvelleCollectivite {
    /// COG code (commune) or SIREN (intercommunalité).
    #[schema(example = "54084")]
    #[validate(length(min = 1, max = 9))]
    pub code: String,
    /// Commune or intercommunalité.
    pub nature: Nature,
    /// Official name.
    #[schema(example = "Mont-Bonvillers")]
    #[validate(length(min = 1, max = 200))]
    pub nom: String,
}

/// Luhn check of a SIREN (9 digits).
fn luhn_ok(digits: &str) -> bool {
    let sum: u32 = digits
        .chars()
        .rev()
        .filter_map(|c| c.to_digit(10))
        .enumerate()
        .map(|(i, d)| match (i % 2 == 1, d * 2) {
            (true, doubled) if doubled > 9 => doubled - 9,
            (true, doubled) => doubled,
            (false, _) => d,
        })
        .sum();
    sum.is_multiple_of(10)
}

/// Checks that `code` is a valid identifier for a collectivité of this `nature`.
///
/// # Errors
/// A field error on `code` saying what is expected.
pub fn check_code(nature: Nature, code: &str) -> Result<(), FieldError> {
    match nature {
        Nature::Commune if COG_COMMUNE.is_match(code) => Ok(()),
        Nature::Commune => Err(FieldError::new(
            "code",
            "format",
            "code commune INSEE (COG) attendu : 5 caractères, par exemple 54084 ou 2A004",
        )),
        Nature::Intercommunalite
            if code.len() == 9 && code.chars().all(|c| c.is_ascii_digit()) && luhn_ok(code) =>
        {
            Ok(())
        }
        Nature::Intercommunalite => Err(FieldError::new(
            "code",
            "format",
            "numéro SIREN attendu : 9 chiffres dont une clé de contrôle valide",
        )),
    }
}

/// Why a collectivité cannot be created.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum CollectiviteError {
    /// The code does not fit the nature.
    #[error("code de collectivité invalide : {}", .0.detail)]
    InvalidCode(FieldError),
    /// Another collectivité has this code.
    #[error("une collectivité de code {0} existe déjà")]
    AlreadyExists(String),
    /// The database failed.
    #[error(transparent)]
    Db(#[from] sea_orm::DbErr),
}

impl From<CollectiviteError> for ApiError {
    fn from(err: CollectiviteError) -> Self {
        match err {
            CollectiviteError::InvalidCode(field) => Self::validation(vec![field]),
            CollectiviteError::AlreadyExists(code) => Self::conflict(
                "collectivite-existante",
                format!("Une collectivité de code {code} existe déjà."),
            ),
            CollectiviteError::Db(db) => db.into(),
        }
    }
}

/// Creates a collectivité.
///
/// # Errors
/// An invalid code, a code already taken, or a database failure.
pub async fn create<C: ConnectionTrait>(
    db: &C,
    new: NouvelleCollectivite,
    now: DateTime<Utc>,
) -> Result<entity::Model, CollectiviteError> {
    let code = new.code.trim().to_uppercase();
    check_code(new.nature, &code).map_err(CollectiviteError::InvalidCode)?;
    if find(db, &code).await?.is_some() {
        return Err(CollectiviteError::AlreadyExists(code));
    }
    let model = entity::ActiveModel {
        id: Set(Uuid::now_v7()),
        code: Set(code),
        nature: Set(new.nature),
        nom: Set(new.nom.trim().to_owned()),
        created_at: Set(now),
    };
    Ok(model.insert(db).await?)
}

/// The collectivité whose id or code is `reference`.
///
/// # Errors
/// The query failed.
pub async fn find<C: ConnectionTrait>(
    db: &C,
    reference: &str,
) -> Result<Option<entity::Model>, sea_orm::DbErr> {
    let query = entity::Entity::find();
    let query = match Uuid::parse_str(reference) {
        Ok(id) => query.filter(entity::Column::Id.eq(id)),
        Err(_) => query.filter(entity::Column::Code.eq(reference.trim().to_uppercase())),
    };
    query.one(db).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn commune_codes() {
        for good in [
            "54084", "01001", "2A004", "2B033", "97411", "97611", "98735", "75056",
        ] {
            assert!(check_code(Nature::Commune, good).is_ok(), "{good}");
        }
        for bad in [
            "5408", "540840", "00001", "20004", "2C004", "96001", "97901", "ABCDE", "",
        ] {
            assert!(check_code(Nature::Commune, bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn siren_needs_its_check_digit() {
        // Ville de Paris, Métropole du Grand Paris.
        assert!(check_code(Nature::Intercommunalite, "217500016").is_ok());
        assert!(check_code(Nature::Intercommunalite, "200054781").is_ok());
        assert!(check_code(Nature::Intercommunalite, "200054782").is_err());
        assert!(check_code(Nature::Intercommunalite, "217500017").is_err());
        assert!(check_code(Nature::Intercommunalite, "21750001").is_err());
        assert!(check_code(Nature::Intercommunalite, "21750001A").is_err());
    }
}
