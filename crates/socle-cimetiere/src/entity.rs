//! The `cimetiere` table.

use sea_orm::entity::prelude::*;

/// One cemetery of a collectivité.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "cimetiere")]
pub(crate) struct Model {
    /// Public identifier (UUID v7).
    #[sea_orm(primary_key, auto_increment = false)]
    pub(crate) id: Uuid,
    /// The collectivité it belongs to.
    pub(crate) collectivite_id: Uuid,
    /// Name, unique within the collectivité.
    pub(crate) nom: String,
    /// Postal address, if it has one.
    pub(crate) adresse: Option<String>,
    /// When the row was created.
    pub(crate) created_at: DateTimeUtc,
}

socle::entite_par_collectivite!(pub(crate));
