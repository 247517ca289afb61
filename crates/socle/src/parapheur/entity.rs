//! The tables of the parapheur: signature folders and the steps of their circuit.

/// Signature folders: a GED document version submitted to a circuit of signatories.
pub mod dossier {
    use sea_orm::entity::prelude::*;

    /// A folder and its outcome.
    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "parapheur_dossier")]
    pub struct Model {
        /// Identifier.
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        /// The collectivité.
        pub collectivite_id: Uuid,
        /// What is signed, as agents read it in their list (« Arrêté de voirie n° 2026-041 »).
        pub titre: String,
        /// The GED document submitted.
        pub document_id: Uuid,
        /// The version submitted.
        pub version: i32,
        /// SHA-256 of the version submitted: what every signatory signs.
        pub empreinte: String,
        /// The version that holds the signed document once signed (the same one with the
        /// built-in parapheur, a new one deposited by an external parapheur).
        pub version_signee: Option<i32>,
        /// Module of the record the signature decides about, if any.
        pub module: Option<String>,
        /// Kind of that record.
        pub objet_type: Option<String>,
        /// Its id.
        pub objet_id: Option<String>,
        /// Which parapheur carries it (`local`, or an external one's name).
        pub fournisseur: String,
        /// The folder's reference in the external parapheur.
        pub reference_externe: Option<String>,
        /// `en_cours`, `signe` or `refuse`.
        pub etat: String,
        /// The agent who submitted it.
        pub soumis_par: Option<Uuid>,
        /// When it was submitted.
        pub soumis_le: DateTimeUtc,
        /// When it was signed by the last signatory, or refused.
        pub termine_le: Option<DateTimeUtc>,
        /// Why it was refused.
        pub motif_refus: Option<String>,
    }

    crate::entite_par_collectivite!(pub);
}

/// The steps of a circuit: one signatory each, in order.
pub mod etape {
    use sea_orm::entity::prelude::*;

    /// One signatory's step.
    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "parapheur_etape")]
    pub struct Model {
        /// Identifier.
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        /// The folder.
        pub dossier_id: Uuid,
        /// 1 for the first signatory.
        pub ordre: i32,
        /// The agent who signs at this step.
        pub signataire_id: Uuid,
        /// The agent's name when the folder was submitted.
        pub signataire: String,
        /// `en_attente`, `signee` or `refusee`.
        pub etat: String,
        /// When the signatory decided.
        pub decide_le: Option<DateTimeUtc>,
        /// SHA-256 of the content the signatory signed, checked against the store.
        pub empreinte: Option<String>,
        /// The signatory's comment, or the reason of a refusal.
        pub commentaire: Option<String>,
    }

    /// Relations are declared where a query needs them.
    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}
