//! Rules and storage of cemeteries, without HTTP.

use chrono::{DateTime, Utc};
use sea_orm::{ActiveModelTrait, ConnectionTrait, Set};
use serde::Deserialize;
use socle::db::on_unique;
use utoipa::ToSchema;
use uuid::Uuid;
use validator::Validate;

use crate::entity;
use crate::error::CimetiereError;

/// A cemetery to create.
#[derive(Debug, Clone, Deserialize, Validate, ToSchema)]
pub struct NouveauCimetiere {
    /// Name, unique within the collectivité.
    #[schema(example = "Cimetière communal")]
    #[validate(length(max = 200), custom(function = "socle::validation::non_blank"))]
    pub nom: String,
    /// Postal address.
    #[schema(example = "Rue Joffre, 54111 Mont-Bonvillers")]
    #[validate(length(max = 500))]
    pub adresse: Option<String>,
}

/// Creates a cemetery in the collectivité.
///
/// # Errors
/// [`CimetiereError::NomDejaPris`] when the collectivité already has a cemetery of that name.
pub(crate) async fn create<C: ConnectionTrait>(
    db: &C,
    collectivite_id: Uuid,
    new: NouveauCimetiere,
    now: DateTime<Utc>,
) -> Result<entity::Model, CimetiereError> {
    let nom = new.nom.trim().to_owned();
    let model = entity::ActiveModel {
        id: Set(Uuid::now_v7()),
        collectivite_id: Set(collectivite_id),
        nom: Set(nom.clone()),
        adresse: Set(new
            .adresse
            .map(|a| a.trim().to_owned())
            .filter(|a| !a.is_empty())),
        created_at: Set(now),
    };
    model
        .insert(db)
        .await
        .map_err(|e| on_unique(e, || CimetiereError::NomDejaPris(nom)))
}
