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

/// The active usager `id` of the collectivité; when there is none, the refusal of the field
/// `champ` is added to `erreurs` and `None` returned. A failing database is an error, never an
/// unknown usager.
///
/// # Errors
/// The database failed.
pub(crate) async fn usager_connu<C: ConnectionTrait>(
    db: &C,
    collectivite_id: Uuid,
    id: Uuid,
    champ: impl Into<String>,
    erreurs: &mut Vec<socle::http::FieldError>,
) -> Result<Option<socle::usager::entity::usager::Model>, CimetiereError> {
    match socle::usager::service::trouver(db, collectivite_id, id).await {
        Ok(usager) => Ok(Some(usager)),
        Err(socle::usager::UsagerError::Db(err)) => Err(err.into()),
        Err(_) => {
            erreurs.push(socle::http::FieldError::new(
                champ,
                "inconnu",
                "aucun usager actif de la collectivité n'a cet identifiant",
            ));
            Ok(None)
        }
    }
}

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
