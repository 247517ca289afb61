//! The `etat_civil_registre` table.

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// The kind of acts a register holds.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, EnumIter, DeriveActiveEnum, Serialize, Deserialize, ToSchema,
)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(20))")]
#[serde(rename_all = "snake_case")]
pub enum NatureRegistre {
    /// Births, with reconnaissances and name-change declarations.
    #[sea_orm(string_value = "naissance")]
    Naissance,
    /// Marriages.
    #[sea_orm(string_value = "mariage")]
    Mariage,
    /// Deaths, including enfants sans vie.
    #[sea_orm(string_value = "deces")]
    Deces,
}

/// One register: one year, one kind of acts, one collectivité.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "etat_civil_registre")]
pub(crate) struct Model {
    /// Public identifier (UUID v7).
    #[sea_orm(primary_key, auto_increment = false)]
    pub(crate) id: Uuid,
    /// The collectivité it belongs to.
    pub(crate) collectivite_id: Uuid,
    /// The year it covers.
    pub(crate) annee: i32,
    /// The kind of acts it holds.
    pub(crate) nature: NatureRegistre,
    /// The day the officier opened it.
    pub(crate) ouvert_le: Date,
    /// The day it was closed, once closed.
    pub(crate) clos_le: Option<Date>,
    /// When the row was created.
    pub(crate) created_at: DateTimeUtc,
}

socle::entite_par_collectivite!(pub(crate));
