//! The tables of the GED: blobs, documents, their versions and their attachments.

/// The blobs: one row per distinct content, whoever stored it.
pub mod blob {
    use sea_orm::entity::prelude::*;

    /// A content, named by its SHA-256 digest.
    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "ged_blob")]
    pub struct Model {
        /// SHA-256 digest in hexadecimal: the blob's name in the store.
        #[sea_orm(primary_key, auto_increment = false)]
        pub empreinte: String,
        /// Size in bytes.
        pub taille: i64,
        /// When it was first stored.
        pub cree_le: DateTimeUtc,
        /// When a deposit last announced it (before writing it to the store): the cleanup
        /// leaves alone the blobs seen within its grace period.
        pub vu_le: DateTimeUtc,
    }

    /// Relations are declared where a query needs them.
    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

/// The documents: what agents name, keep and attach.
pub mod document {
    use sea_orm::entity::prelude::*;

    /// A document and its metadata; its content is its versions'.
    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "ged_document")]
    pub struct Model {
        /// Identifier.
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        /// The collectivité.
        pub collectivite_id: Uuid,
        /// Title shown to agents.
        pub titre: String,
        /// Kind of document (`acte`, `photo`, `justificatif`…), chosen by the module.
        pub type_document: String,
        /// Retention period in years; `None`: kept until deleted (permanent archives).
        pub conservation_ans: Option<i32>,
        /// Last day the document must be kept; the purge deletes it afterwards.
        pub conserver_jusqu_au: Option<Date>,
        /// Number of the current version (the latest).
        pub version_courante: i32,
        /// Why the document is held (a signature folder, a procedure): neither deletion nor
        /// the retention purge removes it while held.
        pub retenu_par: Option<String>,
        /// When it was deposited.
        pub cree_le: DateTimeUtc,
        /// When its last version was deposited.
        pub modifie_le: DateTimeUtc,
    }

    crate::entite_par_collectivite!(pub);
}

/// The versions of a document, each a blob.
pub mod version {
    use sea_orm::entity::prelude::*;

    /// One version: who deposited which content when.
    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "ged_version")]
    pub struct Model {
        /// Identifier.
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        /// The document.
        pub document_id: Uuid,
        /// 1 for the first, then 2, 3…
        pub numero: i32,
        /// The blob (SHA-256 digest).
        pub empreinte: String,
        /// Size in bytes.
        pub taille: i64,
        /// Media type, told from the content.
        pub type_mime: String,
        /// The file name given by the agent.
        pub nom_fichier: String,
        /// Why this version (« version signée », « erreur de date corrigée »…).
        pub commentaire: Option<String>,
        /// The agent who deposited it, if an agent did.
        pub depose_par: Option<Uuid>,
        /// When.
        pub cree_le: DateTimeUtc,
    }

    /// Relations are declared where a query needs them.
    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

/// Which record of which module a document is attached to.
pub mod rattachement {
    use sea_orm::entity::prelude::*;

    /// One attachment. It names the record by module, kind and id, without a foreign key: a
    /// record archived or deleted by its module keeps its documents.
    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "ged_rattachement")]
    pub struct Model {
        /// Identifier.
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        /// The collectivité.
        pub collectivite_id: Uuid,
        /// The document.
        pub document_id: Uuid,
        /// The module of the record (`elections`, `usagers`…).
        pub module: String,
        /// The kind of record in that module (`inscription`, `usager`…).
        pub objet_type: String,
        /// The record's id.
        pub objet_id: String,
        /// When it was attached.
        pub rattache_le: DateTimeUtc,
    }

    crate::entite_par_collectivite!(pub);
}
