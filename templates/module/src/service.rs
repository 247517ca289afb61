//! Rules and storage, without HTTP.

use chrono::{DateTime, Utc};
use sea_orm::{ActiveModelTrait, ConnectionTrait, DbErr, PaginatorTrait, Set};
use serde::Deserialize;
use socle::db::on_unique;
use socle::prelude::*;
use utoipa::ToSchema;
use uuid::Uuid;
use validator::Validate;

use crate::entity;
use crate::error::ModeleError;

/// An element to create.
#[derive(Debug, Clone, Deserialize, Validate, ToSchema)]
pub struct NouvelElement {
    /// Name, unique within the collectivité.
    #[schema(example = "Premier élément")]
    #[validate(length(max = 200), custom(function = "socle::validation::non_blank"))]
    pub nom: String,
}

/// Creates an element in the collectivité.
///
/// # Errors
/// [`ModeleError::NomDejaPris`] when the name is taken.
pub(crate) async fn create<C: ConnectionTrait>(
    db: &C,
    collectivite_id: Uuid,
    new: NouvelElement,
    now: DateTime<Utc>,
) -> Result<entity::Model, ModeleError> {
    let nom = new.nom.trim().to_owned();
    let model = entity::ActiveModel {
        id: Set(Uuid::now_v7()),
        collectivite_id: Set(collectivite_id),
        nom: Set(nom.clone()),
        created_at: Set(now),
    };
    model
        .insert(db)
        .await
        .map_err(|e| on_unique(e, || ModeleError::NomDejaPris(nom)))
}

/// The demo collectivité's elements; nothing when they are already there.
pub(crate) async fn seed_demo(ctx: &DemoContext<'_>) -> Result<(), DbErr> {
    if entity::Entity::find_in(ctx.collectivite_id)
        .count(ctx.db)
        .await?
        > 0
    {
        return Ok(());
    }
    entity::ActiveModel {
        id: Set(Uuid::now_v7()),
        collectivite_id: Set(ctx.collectivite_id),
        nom: Set("Élément de démonstration".to_owned()),
        created_at: Set(ctx.now),
    }
    .insert(ctx.db)
    .await?;
    Ok(())
}
