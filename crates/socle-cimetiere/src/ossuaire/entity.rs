//! The table of the ossuaire's register.

/// Each person's remains placed in an ossuaire (or cremated) when a grave was taken back.
pub(crate) mod depot {
    use sea_orm::entity::prelude::*;

    /// One line of the register.
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "cimetiere_ossuaire_depot")]
    pub(crate) struct Model {
        /// Identifier.
        #[sea_orm(primary_key, auto_increment = false)]
        pub(crate) id: Uuid,
        /// The collectivité.
        pub(crate) collectivite_id: Uuid,
        /// The ossuaire (an emplacement of that kind).
        pub(crate) ossuaire_id: Uuid,
        /// The inhumation the remains come from.
        pub(crate) inhumation_id: Uuid,
        /// The deceased's name.
        pub(crate) defunt_nom: String,
        /// The day of death.
        pub(crate) date_deces: Date,
        /// The day of the inhumation.
        pub(crate) date_inhumation: Date,
        /// The emplacement taken back.
        pub(crate) emplacement_id: Uuid,
        /// Where the remains come from, as the register prints it (cemetery, emplacement).
        pub(crate) provenance: String,
        /// The concession that ended, if any.
        pub(crate) concession_id: Option<Uuid>,
        /// Why the grave was taken back: `echeance`, `abandon` or `terrain_commun`.
        pub(crate) motif: String,
        /// The day of the deposit.
        pub(crate) date_depot: Date,
        /// `ossuaire` or `cremation`.
        pub(crate) devenir: String,
        /// The deceased objected to cremation: the remains are set apart in the ossuaire.
        pub(crate) opposition_cremation: bool,
        /// For a cremation: the day the relatives were told.
        pub(crate) proches_informes_le: Option<Date>,
        /// For a cremation: how they were told.
        pub(crate) moyen_information: Option<String>,
        /// When it was recorded.
        pub(crate) cree_le: DateTimeUtc,
    }

    socle::entite_par_collectivite!(pub(crate));
}
