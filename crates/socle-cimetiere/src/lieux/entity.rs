//! The tables of the places: zones (carrés), allées and emplacements of a cemetery.

/// Zones (carrés, divisions) of a cemetery.
pub(crate) mod zone {
    use sea_orm::entity::prelude::*;

    /// One zone.
    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "cimetiere_zone")]
    pub(crate) struct Model {
        /// Identifier.
        #[sea_orm(primary_key, auto_increment = false)]
        pub(crate) id: Uuid,
        /// The collectivité.
        pub(crate) collectivite_id: Uuid,
        /// The cemetery.
        pub(crate) cimetiere_id: Uuid,
        /// Its code on the plan (« A », « Carré 3 »), unique in the cemetery.
        pub(crate) code: String,
        /// Its name, if it has one (« Carré militaire »).
        pub(crate) nom: Option<String>,
        /// Its outline, a GeoJSON polygon in WGS84.
        pub(crate) geometrie: Option<String>,
        /// When it was created.
        pub(crate) cree_le: DateTimeUtc,
    }

    socle::entite_par_collectivite!(pub(crate));
}

/// Allées of a zone.
pub(crate) mod allee {
    use sea_orm::entity::prelude::*;

    /// One allée.
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "cimetiere_allee")]
    pub(crate) struct Model {
        /// Identifier.
        #[sea_orm(primary_key, auto_increment = false)]
        pub(crate) id: Uuid,
        /// The collectivité.
        pub(crate) collectivite_id: Uuid,
        /// The zone.
        pub(crate) zone_id: Uuid,
        /// Its code (« 3 », « B »), unique in the zone.
        pub(crate) code: String,
        /// Its name, if it has one (« Allée des Tilleuls »).
        pub(crate) nom: Option<String>,
        /// When it was created.
        pub(crate) cree_le: DateTimeUtc,
    }

    socle::entite_par_collectivite!(pub(crate));
}

/// Emplacements: the places where the dead rest.
pub(crate) mod emplacement {
    use sea_orm::entity::prelude::*;

    /// One emplacement.
    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "cimetiere_emplacement")]
    pub(crate) struct Model {
        /// Identifier.
        #[sea_orm(primary_key, auto_increment = false)]
        pub(crate) id: Uuid,
        /// The collectivité.
        pub(crate) collectivite_id: Uuid,
        /// The cemetery.
        pub(crate) cimetiere_id: Uuid,
        /// The zone.
        pub(crate) zone_id: Uuid,
        /// The allée, when the zone has allées.
        pub(crate) allee_id: Option<Uuid>,
        /// Its number on the plan, unique in the cemetery (« A-3-12 »).
        pub(crate) numero: String,
        /// Its kind (see `NatureEmplacement`).
        pub(crate) nature: String,
        /// How many coffins or urns it holds.
        pub(crate) places: i32,
        /// Its surface in square metres.
        pub(crate) surface_m2: Option<f64>,
        /// Its outline, a GeoJSON polygon in WGS84.
        pub(crate) geometrie: Option<String>,
        /// When it was created.
        pub(crate) cree_le: DateTimeUtc,
    }

    socle::entite_par_collectivite!(pub(crate));
}
