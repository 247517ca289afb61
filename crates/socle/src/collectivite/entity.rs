//! The `collectivite` table.

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// What kind of collectivité.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, EnumIter, DeriveActiveEnum, Serialize, Deserialize, ToSchema,
)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(20))")]
#[serde(rename_all = "snake_case")]
pub enum Nature {
    /// A commune, identified by its COG code.
    #[sea_orm(string_value = "commune")]
    Commune,
    /// An EPCI or syndicat, identified by its SIREN.
    #[sea_orm(string_value = "intercommunalite")]
    Intercommunalite,
}

/// One collectivité.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "collectivite")]
pub struct Model {
    /// Public identifier (UUID v7).
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    /// COG code of a commune, SIREN of an intercommunalité.
    #[sea_orm(unique)]
    pub code: String,
    /// Commune or intercommunalité.
    pub nature: Nature,
    /// Official name, e.g. « Mont-Bonvillers ».
    pub nom: String,
    /// When the row was created.
    pub created_at: DateTimeUtc,
}

/// No relation is declared from the core side: modules point at collectivités, not the reverse.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
