//! The `elections_bureau` table.

use sea_orm::entity::prelude::*;

/// One bureau de vote of a collectivité.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "elections_bureau")]
pub(crate) struct Model {
    /// Public identifier (UUID v7).
    #[sea_orm(primary_key, auto_increment = false)]
    pub(crate) id: Uuid,
    /// The collectivité it belongs to.
    pub(crate) collectivite_id: Uuid,
    /// Its number or code, unique within the collectivité (« 1 », « 2 »…).
    pub(crate) code: String,
    /// Its name (« Mairie », « Salle des fêtes »).
    pub(crate) nom: String,
    /// Where electors vote.
    pub(crate) lieu: String,
    /// When the row was created.
    pub(crate) created_at: DateTimeUtc,
}

socle::entite_par_collectivite!(pub(crate));
