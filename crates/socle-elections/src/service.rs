//! Rules and storage of bureaux de vote, without HTTP.

use chrono::{DateTime, Utc};
use sea_orm::{ActiveModelTrait, ConnectionTrait, DbErr, PaginatorTrait, Set};
use serde::Deserialize;
use socle::db::on_unique;
use socle::prelude::*;
use utoipa::ToSchema;
use uuid::Uuid;
use validator::Validate;

use crate::entity;
use crate::error::ElectionsError;

/// A bureau de vote to create.
#[derive(Debug, Clone, Deserialize, Validate, ToSchema)]
pub struct NouveauBureau {
    /// Number or code, unique within the collectivité.
    #[schema(example = "1")]
    #[validate(length(max = 10), custom(function = "socle::validation::non_blank"))]
    pub code: String,
    /// Name.
    #[schema(example = "Mairie")]
    #[validate(length(max = 200), custom(function = "socle::validation::non_blank"))]
    pub nom: String,
    /// Where electors vote.
    #[schema(example = "Salle du conseil, 1 rue Joffre")]
    #[validate(length(max = 500), custom(function = "socle::validation::non_blank"))]
    pub lieu: String,
}

/// Creates a bureau de vote; two bureaux of one collectivité never share a code.
///
/// # Errors
/// [`ElectionsError::BureauExistant`] when the code is taken.
pub(crate) async fn create<C: ConnectionTrait>(
    db: &C,
    collectivite_id: Uuid,
    new: NouveauBureau,
    now: DateTime<Utc>,
) -> Result<entity::Model, ElectionsError> {
    let code = new.code.trim().to_owned();
    let model = entity::ActiveModel {
        id: Set(Uuid::now_v7()),
        collectivite_id: Set(collectivite_id),
        code: Set(code.clone()),
        nom: Set(new.nom.trim().to_owned()),
        lieu: Set(new.lieu.trim().to_owned()),
        created_at: Set(now),
    };
    model
        .insert(db)
        .await
        .map_err(|e| on_unique(e, || ElectionsError::BureauExistant(code)))
}

/// The demo commune's two bureaux de vote.
pub(crate) async fn seed_demo(ctx: &DemoContext<'_>) -> Result<(), DbErr> {
    let present = entity::Entity::find_in(ctx.collectivite_id)
        .count(ctx.db)
        .await?;
    if present == 0 {
        seed_bureaux(ctx).await?;
    }
    crate::inscription::seed_demo(ctx).await
}

async fn seed_bureaux(ctx: &DemoContext<'_>) -> Result<(), DbErr> {
    for (code, nom, lieu) in [
        ("1", "Mairie", "Salle du conseil, 1 rue Joffre"),
        ("2", "Bonvillers", "Salle des fêtes, Bonvillers Village"),
    ] {
        entity::ActiveModel {
            id: Set(Uuid::now_v7()),
            collectivite_id: Set(ctx.collectivite_id),
            code: Set(code.to_owned()),
            nom: Set(nom.to_owned()),
            lieu: Set(lieu.to_owned()),
            created_at: Set(ctx.now),
        }
        .insert(ctx.db)
        .await?;
    }
    Ok(())
}
