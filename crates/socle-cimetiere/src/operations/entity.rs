//! The table of inhumations.

/// Inhumations: who rests in which emplacement since when.
pub(crate) mod inhumation {
    use sea_orm::entity::prelude::*;

    /// One inhumation.
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "cimetiere_inhumation")]
    pub(crate) struct Model {
        /// Identifier.
        #[sea_orm(primary_key, auto_increment = false)]
        pub(crate) id: Uuid,
        /// The collectivité.
        pub(crate) collectivite_id: Uuid,
        /// The emplacement.
        pub(crate) emplacement_id: Uuid,
        /// The concession it was made in, if any.
        pub(crate) concession_id: Option<Uuid>,
        /// The deceased, a usager of the registry when known.
        pub(crate) defunt_id: Option<Uuid>,
        /// The deceased's name as the authorisation gives it.
        pub(crate) defunt_nom: String,
        /// The day of death.
        pub(crate) date_deces: Date,
        /// The day of the inhumation.
        pub(crate) date_inhumation: Date,
        /// The prefectoral derogation to the delays, when one was needed (its reference).
        pub(crate) derogation: Option<String>,
        /// Why the deceased may be buried here (ground of L2223-3, kinship with the holder…).
        pub(crate) droit: String,
        /// When the remains were exhumed (the place is free again).
        pub(crate) exhume_le: Option<Date>,
        /// When it was recorded.
        pub(crate) cree_le: DateTimeUtc,
        /// The deceased bears the mention « Mort pour la France ».
        pub(crate) mort_pour_la_france: bool,
    }

    socle::entite_par_collectivite!(pub(crate));
}

/// Exhumations, réductions and réunions de corps.
pub(crate) mod exhumation {
    use sea_orm::entity::prelude::*;

    /// One operation on the remains of an inhumation.
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "cimetiere_exhumation")]
    pub(crate) struct Model {
        /// Identifier.
        #[sea_orm(primary_key, auto_increment = false)]
        pub(crate) id: Uuid,
        /// The collectivité.
        pub(crate) collectivite_id: Uuid,
        /// The inhumation concerned.
        pub(crate) inhumation_id: Uuid,
        /// `exhumation`, `reduction` or `reunion`.
        pub(crate) nature: String,
        /// The day of the operation.
        pub(crate) date_operation: Date,
        /// The closest relative who asked, a usager.
        pub(crate) demandeur_id: Uuid,
        /// Their kinship with the deceased.
        pub(crate) lien: String,
        /// Where the remains go (another cemetery, the ossuaire, cremation…).
        pub(crate) destination: Option<String>,
        /// When it was recorded.
        pub(crate) cree_le: DateTimeUtc,
    }

    socle::entite_par_collectivite!(pub(crate));
}

/// Family disputes recorded on an emplacement: no exhumation while one is open.
pub(crate) mod litige {
    use sea_orm::entity::prelude::*;

    /// One dispute.
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "cimetiere_litige")]
    pub(crate) struct Model {
        /// Identifier.
        #[sea_orm(primary_key, auto_increment = false)]
        pub(crate) id: Uuid,
        /// The collectivité.
        pub(crate) collectivite_id: Uuid,
        /// The emplacement.
        pub(crate) emplacement_id: Uuid,
        /// What it is about (« opposition de la sœur du défunt, courrier du 3 mars »).
        pub(crate) motif: String,
        /// When it was recorded.
        pub(crate) ouvert_le: Date,
        /// When it ended (agreement, court decision), if it has.
        pub(crate) clos_le: Option<Date>,
    }

    socle::entite_par_collectivite!(pub(crate));
}

/// Deaths the module heard of through events, to propose linking a deceased to a usager.
pub(crate) mod deces_connu {
    use sea_orm::entity::prelude::*;

    /// One death known.
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "cimetiere_deces_connu")]
    pub(crate) struct Model {
        /// Identifier.
        #[sea_orm(primary_key, auto_increment = false)]
        pub(crate) id: Uuid,
        /// The collectivité.
        pub(crate) collectivite_id: Uuid,
        /// The deceased usager.
        pub(crate) usager_id: Uuid,
        /// Their name, as the proposal shows it.
        pub(crate) nom: String,
        /// The day of death.
        pub(crate) date_deces: Date,
        /// The event that told it (`usager.deces`, `etat-civil.deces_enregistre`).
        pub(crate) source: String,
        /// When it was received.
        pub(crate) recu_le: DateTimeUtc,
    }

    socle::entite_par_collectivite!(pub(crate));
}
