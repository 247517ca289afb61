//! The table of works declarations.

/// Works declared on an emplacement.
pub(crate) mod travaux {
    use sea_orm::entity::prelude::*;

    /// One declaration.
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "cimetiere_travaux")]
    pub(crate) struct Model {
        /// Identifier.
        #[sea_orm(primary_key, auto_increment = false)]
        pub(crate) id: Uuid,
        /// The collectivité.
        pub(crate) collectivite_id: Uuid,
        /// The emplacement.
        pub(crate) emplacement_id: Uuid,
        /// Who declared them, a usager.
        pub(crate) declarant_id: Uuid,
        /// What kind of works (`pose_monument`, `construction_caveau`…).
        pub(crate) nature: String,
        /// What exactly.
        pub(crate) description: Option<String>,
        /// The firm that does them.
        pub(crate) entreprise: Option<String>,
        /// The first day.
        pub(crate) debut: Date,
        /// The last day planned.
        pub(crate) fin_prevue: Date,
        /// The day they were done.
        pub(crate) termine_le: Option<Date>,
        /// When it was recorded.
        pub(crate) cree_le: DateTimeUtc,
    }

    socle::entite_par_collectivite!(pub(crate));
}
