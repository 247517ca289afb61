//! The table of reprise procedures.

/// Reprise procedures for abandonment, one per concession at most while in progress.
pub(crate) mod reprise {
    use sea_orm::entity::prelude::*;

    /// One procedure and the dates of its steps.
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "cimetiere_reprise")]
    pub(crate) struct Model {
        /// Identifier.
        #[sea_orm(primary_key, auto_increment = false)]
        pub(crate) id: Uuid,
        /// The collectivité.
        pub(crate) collectivite_id: Uuid,
        /// The concession.
        pub(crate) concession_id: Uuid,
        /// The last step done (`constat`, `publication`, `second_constat`, `deliberation`,
        /// `arrete`), or `abandonnee`.
        pub(crate) etape: String,
        /// The day the heirs were convoked (registered letter) or the notice posted.
        pub(crate) convocation_le: Date,
        /// `lettre_recommandee` or `affichage`.
        pub(crate) mode_convocation: String,
        /// The first procès-verbal on site.
        pub(crate) constat_le: Date,
        /// Its publication.
        pub(crate) publication_le: Option<Date>,
        /// The second procès-verbal.
        pub(crate) second_constat_le: Option<Date>,
        /// The council's deliberation.
        pub(crate) deliberation_le: Option<Date>,
        /// Its reference.
        pub(crate) deliberation_ref: Option<String>,
        /// The maire's arrêté of reprise.
        pub(crate) arrete_le: Option<Date>,
        /// Its reference.
        pub(crate) arrete_ref: Option<String>,
        /// When the procedure was opened.
        pub(crate) cree_le: DateTimeUtc,
        /// The day the second procès-verbal was notified (the council's month runs from it).
        pub(crate) second_notification_le: Option<Date>,
        /// The day the arrêté was published and notified (the thirty days before the
        /// emplacement is cleared run from it).
        pub(crate) arrete_notification_le: Option<Date>,
    }

    socle::entite_par_collectivite!(pub(crate));
}
