//! The tables of events and webhooks.

/// The outbox: every domain event, written in the transaction of the change it reports.
pub mod evenement {
    use sea_orm::entity::prelude::*;

    /// One domain event.
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "evenement")]
    pub struct Model {
        /// Order of publication (increasing, may have gaps).
        #[sea_orm(primary_key)]
        pub seq: i64,
        /// Public identifier, the `webhook-id` of every delivery of the event.
        pub id: Uuid,
        /// The collectivité the event belongs to.
        pub collectivite_id: Uuid,
        /// `<module>.<event>`, e.g. `usager.cree`.
        #[sea_orm(column_name = "type")]
        pub type_: String,
        /// What the event is about (a usager's id): deliveries of one subject keep their order.
        pub sujet: String,
        /// The event's data.
        pub donnees: Json,
        /// When it was published.
        pub cree_le: DateTimeUtc,
    }

    /// Relations are declared where a query needs them.
    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

/// Webhook subscriptions of partners.
pub mod abonnement {
    use sea_orm::entity::prelude::*;

    /// One subscription: where to send which events.
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "webhook_abonnement")]
    pub struct Model {
        /// Identifier.
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        /// The collectivité whose events are sent.
        pub collectivite_id: Uuid,
        /// The receiver's URL.
        pub url: String,
        /// What the subscription is for.
        pub description: Option<String>,
        /// Event names, or prefixes ending in `*` (`usager.*`).
        pub types: Json,
        /// `whsec_…` signing secret.
        pub secret: String,
        /// Paused subscriptions receive nothing (deliveries wait).
        pub actif: bool,
        /// When it was created.
        pub cree_le: DateTimeUtc,
    }

    /// Relations are declared where a query needs them.
    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

/// One event to deliver to one subscription.
pub mod livraison {
    use sea_orm::entity::prelude::*;

    /// A delivery and its state.
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "webhook_livraison")]
    pub struct Model {
        /// Identifier.
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        /// The subscription.
        pub abonnement_id: Uuid,
        /// The event (`evenement.seq`).
        pub evenement_seq: i64,
        /// The event's subject, copied to keep each subject's deliveries in order.
        pub sujet: String,
        /// `en_attente`, `livree` or `abandonnee`.
        pub statut: String,
        /// Attempts made.
        pub tentatives: i32,
        /// Not sent before this instant.
        pub prochaine_tentative: DateTimeUtc,
        /// Reserved by a sender until this instant.
        pub reservee_jusqu_a: Option<DateTimeUtc>,
        /// HTTP status of the last attempt.
        pub dernier_statut_http: Option<i32>,
        /// Error of the last attempt.
        pub derniere_erreur: Option<String>,
        /// When the receiver accepted it.
        pub livree_le: Option<DateTimeUtc>,
        /// When it was queued.
        pub cree_le: DateTimeUtc,
    }

    /// Relations are declared where a query needs them.
    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

/// The log of every delivery attempt.
pub mod tentative {
    use sea_orm::entity::prelude::*;

    /// One attempt.
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "webhook_tentative")]
    pub struct Model {
        /// Identifier.
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        /// The delivery.
        pub livraison_id: Uuid,
        /// When it was made.
        pub horodatage: DateTimeUtc,
        /// The receiver's HTTP status, if it answered.
        pub statut_http: Option<i32>,
        /// Why it failed, if it did.
        pub erreur: Option<String>,
        /// How long it took, in milliseconds.
        pub duree_ms: i64,
    }

    /// Relations are declared where a query needs them.
    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

/// How far each module has handled the events.
pub mod curseur {
    use sea_orm::entity::prelude::*;

    /// One module's position in the outbox.
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "evenement_curseur")]
    pub struct Model {
        /// The module's id.
        #[sea_orm(primary_key, auto_increment = false)]
        pub module: String,
        /// The last event it handled (`evenement.seq`).
        pub seq: i64,
    }

    /// Relations are declared where a query needs them.
    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}
