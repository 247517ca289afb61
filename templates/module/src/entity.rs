//! The `modele_element` table.

use sea_orm::entity::prelude::*;

/// One element of a collectivité.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "modele_element")]
pub(crate) struct Model {
    /// Public identifier (UUID v7).
    #[sea_orm(primary_key, auto_increment = false)]
    pub(crate) id: Uuid,
    /// The collectivité it belongs to.
    pub(crate) collectivite_id: Uuid,
    /// Name, unique within the collectivité.
    pub(crate) nom: String,
    /// When the row was created.
    pub(crate) created_at: DateTimeUtc,
}

// No relations, the default behaviour, and the rows read per collectivité (`TenantScoped`).
socle::entite_par_collectivite!(pub(crate));
