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

    /// Relations are declared where a query needs them.
    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub(crate) enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}

    impl socle::collectivite::TenantScoped for Entity {
        fn collectivite_column() -> Column {
            Column::CollectiviteId
        }
    }
}
