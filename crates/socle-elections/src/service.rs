//! Rules and storage of bureaux de vote, without HTTP.

use chrono::{DateTime, Utc};
use sea_orm::{ActiveModelTrait, ConnectionTrait, DbErr, PaginatorTrait, Set};
use serde::Deserialize;
use socle::prelude::*;
use utoipa::ToSchema;
use uuid::Uuid;
use validator::Validate;

use crate::entity;

/// A bureau de vote to create.
#[derive(Debug, Clone, Deserialize, Validate, ToSchema)]
pub struct NouveauBureau {
    /// Number or code, unique within the collectivité.
    #[schema(example = "1")]
    #[validate(length(min = 1, max = 10))]
    pub code: String,
    /// Name.
    #[schema(example = "Mairie")]
    #[validate(length(min = 1, max = 200))]
    pub nom: String,
    /// Where electors vote.
    #[schema(example = "Salle du conseil, 1 rue Joffre")]
    #[validate(length(min = 1, max = 500))]
    pub lieu: String,
}

/// Creates a bureau de vote; two bureaux of one collectivité never share a code (the unique
/// index answers 409 `doublon`).
pub(crate) async fn create<C: ConnectionTrait>(
    db: &C,
    collectivite_id: Uuid,
    new: NouveauBureau,
    now: DateTime<Utc>,
) -> Result<entity::Model, ApiError> {
    let model = entity::ActiveModel {
        id: Set(Uuid::now_v7()),
        collectivite_id: Set(collectivite_id),
        code: Set(new.code.trim().to_owned()),
        nom: Set(new.nom.trim().to_owned()),
        lieu: Set(new.lieu.trim().to_owned()),
        created_at: Set(now),
    };
    model
        .insert(db)
        .await
        .map_err(|err| match ApiError::from(err) {
            conflict if conflict.code() == "doublon" => ApiError::conflict(
                "bureau-existant",
                format!(
                    "La collectivité a déjà un bureau de vote numéro {}.",
                    new.code.trim()
                ),
            ),
            other => other,
        })
}

/// The demo commune's two bureaux de vote.
pub(crate) async fn seed_demo(ctx: &DemoContext<'_>) -> Result<(), DbErr> {
    let present = entity::Entity::find_in(ctx.collectivite_id)
        .count(ctx.db)
        .await?;
    if present > 0 {
        return Ok(());
    }
    let now = Utc::now();
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
            created_at: Set(now),
        }
        .insert(ctx.db)
        .await?;
    }
    Ok(())
}
