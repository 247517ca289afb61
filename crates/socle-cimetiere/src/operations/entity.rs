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
        /// In a family concession: the deceased's kinship with the holder (a
        /// `socle::usager::Parente` code).
        pub(crate) lien: Option<String>,
        /// What explains the kinship, as the agent wrote it.
        pub(crate) lien_precision: Option<String>,
        /// The heirs' unanimous consent was given (a person outside the holder's family).
        pub(crate) consentement_ayants_droit: bool,
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
        /// Their kinship with the deceased: the code of a `socle::usager::Parente` (a free text
        /// written before kinship was typed when no word named one).
        pub(crate) lien: String,
        /// Where the remains go (another cemetery, the ossuaire, cremation…).
        pub(crate) destination: Option<String>,
        /// When it was recorded.
        pub(crate) cree_le: DateTimeUtc,
        /// What explains the kinship, as the agent wrote it.
        pub(crate) lien_precision: Option<String>,
    }

    socle::entite_par_collectivite!(pub(crate));
}

/// Objections of relatives to the exhumation of a deceased: one of the same or a closer degree
/// than the requester blocks it while it stands.
pub(crate) mod opposition {
    use sea_orm::entity::prelude::*;

    /// One objection.
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "cimetiere_opposition")]
    pub(crate) struct Model {
        /// Identifier.
        #[sea_orm(primary_key, auto_increment = false)]
        pub(crate) id: Uuid,
        /// The collectivité.
        pub(crate) collectivite_id: Uuid,
        /// The inhumation whose remains are concerned.
        pub(crate) inhumation_id: Uuid,
        /// The relative who objects, a usager.
        pub(crate) opposant_id: Uuid,
        /// Their kinship with the deceased (a `socle::usager::Parente` code).
        pub(crate) lien: String,
        /// What explains the kinship, as the agent wrote it.
        pub(crate) lien_precision: Option<String>,
        /// What the relative says (their letter, its date).
        pub(crate) motif: String,
        /// The day the objection was received.
        pub(crate) recue_le: Date,
        /// The day it was withdrawn or settled (a court decision); `None` while it stands.
        pub(crate) levee_le: Option<Date>,
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
