//! The tariffs of concessions.

/// One tariff: a kind and duration of concession, its price, from a date of effect.
pub(crate) mod tarif {
    use sea_orm::entity::prelude::*;

    /// One row of the commune's tariff schedule.
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "cimetiere_tarif")]
    pub(crate) struct Model {
        /// Identifier.
        #[sea_orm(primary_key, auto_increment = false)]
        pub(crate) id: Uuid,
        /// The collectivité.
        pub(crate) collectivite_id: Uuid,
        /// The kind of concession (`temporaire`, `trentenaire`, `cinquantenaire`, `perpetuelle`).
        pub(crate) type_concession: String,
        /// Its duration in years; 0 for a perpetual concession.
        pub(crate) duree_ans: i32,
        /// The kind of emplacement it applies to (`concession`, `case_columbarium`…).
        pub(crate) nature_emplacement: String,
        /// The price in euro cents; `None` when the commune stops offering it from that date.
        pub(crate) montant_centimes: Option<i64>,
        /// The first day it applies.
        pub(crate) date_effet: Date,
        /// The council deliberation that set it.
        pub(crate) deliberation: Option<String>,
        /// When it was recorded.
        pub(crate) cree_le: DateTimeUtc,
    }

    socle::entite_par_collectivite!(pub(crate));
}

/// Concessions granted: which emplacement, to whom, for how long.
pub(crate) mod concession {
    use sea_orm::entity::prelude::*;

    /// One concession.
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "cimetiere_concession")]
    pub(crate) struct Model {
        /// Identifier.
        #[sea_orm(primary_key, auto_increment = false)]
        pub(crate) id: Uuid,
        /// The collectivité.
        pub(crate) collectivite_id: Uuid,
        /// The emplacement granted.
        pub(crate) emplacement_id: Uuid,
        /// The number of the act of concession, unique in the collectivité.
        pub(crate) numero_acte: String,
        /// The date of the act: the concession runs from it.
        pub(crate) date_acte: Date,
        /// Its kind (`temporaire`, `trentenaire`, `cinquantenaire`, `perpetuelle`).
        pub(crate) type_concession: String,
        /// Its duration in years (0: perpetual).
        pub(crate) duree_ans: i32,
        /// `individuelle`, `collective` or `familiale`.
        pub(crate) forme: String,
        /// The day it expires (the anniversary of the act); `None` for a perpetual one.
        pub(crate) date_echeance: Option<Date>,
        /// The price paid, in euro cents (the tariff in force on the date of the act).
        pub(crate) montant_centimes: i64,
        /// The concessionnaire, a usager of the registry.
        pub(crate) concessionnaire_id: Uuid,
        /// When it was recorded.
        pub(crate) cree_le: DateTimeUtc,
        /// The day the commune took the emplacement back (the concession has ended).
        pub(crate) fin_le: Option<Date>,
        /// Why: `echeance` (not renewed in time) or `abandon` (reprise procedure).
        pub(crate) motif_fin: Option<String>,
    }

    socle::entite_par_collectivite!(pub(crate));
}

/// The people an act of concession names: ayants droit, people it names for burial, people the
/// holder excludes.
pub(crate) mod personne {
    use sea_orm::entity::prelude::*;

    /// One person of an act.
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "cimetiere_concession_personne")]
    pub(crate) struct Model {
        /// Identifier.
        #[sea_orm(primary_key, auto_increment = false)]
        pub(crate) id: Uuid,
        /// The concession.
        pub(crate) concession_id: Uuid,
        /// `ayant_droit`, `nomme` or `exclu`.
        pub(crate) role: String,
        /// The usager, when known in the registry.
        pub(crate) usager_id: Option<Uuid>,
        /// Their name as the act gives it.
        pub(crate) nom: String,
        /// Their kinship with the holder: the code of a `socle::usager::Parente` (a free text
        /// written before kinship was typed when no word named one).
        pub(crate) lien: Option<String>,
        /// What explains the kinship, as the agent wrote it.
        pub(crate) lien_precision: Option<String>,
        /// For an heir who proved their quality at a request: the document (acte de notoriété,
        /// attestation de dévolution successorale…).
        pub(crate) justificatif: Option<String>,
    }

    /// Relations are declared where a query needs them.
    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub(crate) enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

/// Renewals of concessions (CGCT L2223-15).
pub(crate) mod renouvellement {
    use sea_orm::entity::prelude::*;

    /// One renewal: a new period from the previous expiry.
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "cimetiere_renouvellement")]
    pub(crate) struct Model {
        /// Identifier.
        #[sea_orm(primary_key, auto_increment = false)]
        pub(crate) id: Uuid,
        /// The collectivité.
        pub(crate) collectivite_id: Uuid,
        /// The concession renewed.
        pub(crate) concession_id: Uuid,
        /// The day it was renewed (the tariff of that day applies).
        pub(crate) date_renouvellement: Date,
        /// The duration of the new period, in years.
        pub(crate) duree_ans: i32,
        /// The expiry it replaces: the new period starts there.
        pub(crate) ancienne_echeance: Date,
        /// The new expiry.
        pub(crate) nouvelle_echeance: Date,
        /// The price paid, in euro cents.
        pub(crate) montant_centimes: i64,
        /// Who asked for it (the concessionnaire or an heir), a usager.
        pub(crate) demandeur_id: Uuid,
        /// When it was recorded.
        pub(crate) cree_le: DateTimeUtc,
    }

    socle::entite_par_collectivite!(pub(crate));
}

/// Conversions of concessions into a longer kind (CGCT L2223-16).
pub(crate) mod conversion {
    use sea_orm::entity::prelude::*;

    /// One conversion: the kind before and after, the value credited, the price.
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "cimetiere_conversion")]
    pub(crate) struct Model {
        /// Identifier.
        #[sea_orm(primary_key, auto_increment = false)]
        pub(crate) id: Uuid,
        /// The collectivité.
        pub(crate) collectivite_id: Uuid,
        /// The concession converted.
        pub(crate) concession_id: Uuid,
        /// The day of the conversion: the new period starts on it.
        pub(crate) date_conversion: Date,
        /// The kind before.
        pub(crate) ancien_type: String,
        /// Its duration before.
        pub(crate) ancienne_duree: i32,
        /// The expiry before.
        pub(crate) ancienne_echeance: Option<Date>,
        /// The kind after.
        pub(crate) nouveau_type: String,
        /// Its duration after (0: perpetual).
        pub(crate) nouvelle_duree: i32,
        /// The expiry after; `None` when perpetual.
        pub(crate) nouvelle_echeance: Option<Date>,
        /// The tariff of the new kind on that day, in euro cents.
        pub(crate) prix_centimes: i64,
        /// The value of the time left on the old period, credited, in euro cents.
        pub(crate) credit_centimes: i64,
        /// What the concessionnaire pays: the price less the credit, not below zero.
        pub(crate) a_payer_centimes: i64,
        /// When it was recorded.
        pub(crate) cree_le: DateTimeUtc,
        /// Who asked for it (the concessionnaire or an heir), a usager; `None` for conversions
        /// recorded before the requester was.
        pub(crate) demandeur_id: Option<Uuid>,
    }

    socle::entite_par_collectivite!(pub(crate));
}
