//! The journal's tables.

/// The entries, in chain order.
pub mod entree {
    use sea_orm::entity::prelude::*;

    /// One journal entry.
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "journal_entree")]
    pub struct Model {
        /// Position in the chain, from 1, without gaps.
        #[sea_orm(primary_key, auto_increment = false)]
        pub seq: i64,
        /// When it happened (microseconds).
        pub horodatage: DateTimeUtc,
        /// The collectivité concerned, if any.
        pub collectivite_id: Option<Uuid>,
        /// `agent`, `jeton` or `systeme`.
        pub acteur_type: String,
        /// The agent or token, if any.
        pub acteur_id: Option<Uuid>,
        /// What was done: `lecture`, `liste`, `creation`, `modification`, `suppression`, `export`…
        pub action: String,
        /// The kind of record, `<module>.<resource>` (`etat-civil.acte`).
        pub objet_type: String,
        /// The record's id (`*` for a list).
        pub objet_id: String,
        /// Why, for sensitive reads.
        pub motif: Option<String>,
        /// Minimal details (no personal data beyond what identifies the record).
        pub details: Option<Json>,
        /// Hash of the previous entry (64 zeros for the first).
        pub empreinte_precedente: String,
        /// SHA-256 of the previous hash and of every field of this entry.
        pub empreinte: String,
    }

    /// Relations are declared where a query needs them.
    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

/// The head of the chain: one row, locked by every append so that entries are chained one at
/// a time, even with several servers on one database.
pub mod tete {
    use sea_orm::entity::prelude::*;

    /// The last entry's position and hash.
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "journal_tete")]
    pub struct Model {
        /// Always 1.
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: i32,
        /// Position of the last entry (0 when empty).
        pub seq: i64,
        /// Hash of the last entry (64 zeros when empty).
        pub empreinte: String,
        /// Position of the first entry kept (entries before were purged by retention).
        pub premiere_seq: i64,
        /// Hash the first kept entry must chain from.
        pub ancre: String,
    }

    /// Relations are declared where a query needs them.
    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}
