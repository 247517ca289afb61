//! The tables of the citizen registry.

/// The usagers. A deleted or merged usager stays as a tombstone (identity cleared,
/// `supprime_le` set) so that partners synchronising by `modifie_depuis` learn of it.
pub mod usager {
    use sea_orm::entity::prelude::*;

    /// One person.
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "usager")]
    pub struct Model {
        /// Identifier.
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        /// The collectivité whose registry holds the person.
        pub collectivite_id: Uuid,
        /// Nom de naissance (FranceConnect `family_name`).
        pub nom_naissance: String,
        /// Every first name, space-separated (FranceConnect `given_name`).
        pub prenoms: String,
        /// Nom d'usage (FranceConnect `preferred_username`).
        pub nom_usage: Option<String>,
        /// `M` or `F`.
        pub sexe: Option<String>,
        /// `AAAA-MM-JJ`, `00` for an unknown month or day.
        pub date_naissance: Option<String>,
        /// Year of birth, for duplicate lookups.
        pub annee_naissance: Option<i32>,
        /// COG code of the commune of birth (born in France).
        pub commune_naissance: Option<String>,
        /// COG code of the country of birth (`99100` France).
        pub pays_naissance: Option<String>,
        /// Postal addresses.
        pub adresses: Json,
        /// E-mail, telephone.
        pub contacts: Json,
        /// `vivant` or `decede`.
        pub statut: String,
        /// Date of death, possibly partial.
        pub date_deces: Option<String>,
        /// How the death is known.
        pub source_deces: Option<String>,
        /// Normalised birth name.
        pub cle_nom: String,
        /// Normalised usage name.
        pub cle_nom_usage: Option<String>,
        /// Phonetic key of the birth name.
        pub phon_nom: String,
        /// Phonetic key of the usage name.
        pub phon_nom_usage: Option<String>,
        /// Normalised names and first names, searched by `q=`.
        pub recherche: String,
        /// Increases with every change: the `ETag`.
        pub version: i64,
        /// When it was created.
        pub cree_le: DateTimeUtc,
        /// When it last changed (deletion included).
        pub modifie_le: DateTimeUtc,
        /// The same instant in microseconds since 1970: the synchronisation order, compared
        /// exactly on every database.
        pub modifie_us: i64,
        /// When it was deleted (tombstone).
        pub supprime_le: Option<DateTimeUtc>,
        /// The usager it was merged into.
        pub fusionne_dans: Option<Uuid>,
    }

    crate::entite_par_collectivite!(pub);
}

/// Links from the records modules hold to the usager they concern.
pub mod lien {
    use sea_orm::entity::prelude::*;

    /// One record of a module about a usager.
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "usager_lien")]
    pub struct Model {
        /// Identifier.
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        /// The collectivité.
        pub collectivite_id: Uuid,
        /// The usager.
        pub usager_id: Uuid,
        /// The kind of record, `<module>.<resource>` as declared in the module's processing
        /// activities (`elections.inscription`).
        pub objet_type: String,
        /// The record's id.
        pub objet_id: String,
        /// What the record is, in French, for agents (`Inscription au bureau 1`).
        pub libelle: String,
        /// When the link was made.
        pub cree_le: DateTimeUtc,
    }

    /// Relations are declared where a query needs them.
    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

/// Answers kept for `Idempotency-Key` replays.
pub mod idempotence {
    use sea_orm::entity::prelude::*;

    /// The first answer to a keyed request.
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "usager_idempotence")]
    pub struct Model {
        /// The collectivité.
        #[sea_orm(primary_key, auto_increment = false)]
        pub collectivite_id: Uuid,
        /// The client's key.
        #[sea_orm(primary_key, auto_increment = false)]
        pub cle: String,
        /// SHA-256 of the request (method, path, body).
        pub empreinte: String,
        /// The answer's status.
        pub statut: i32,
        /// The answer's body.
        pub corps: String,
        /// When it was first answered.
        pub cree_le: DateTimeUtc,
    }

    /// Relations are declared where a query needs them.
    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}
