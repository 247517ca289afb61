//! The tables of the editions service: what each collectivité changes of the shipped templates,
//! its letterhead and its logo.

/// Templates a collectivité rewrote, in place of those the modules ship.
pub mod modele {
    use sea_orm::entity::prelude::*;

    /// One template as a collectivité rewrote it.
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "editions_modele")]
    pub struct Model {
        /// Identifier.
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        /// The collectivité.
        pub collectivite_id: Uuid,
        /// The module that ships the template (`elections`).
        pub module: String,
        /// The template's name in that module (`attestation-inscription`); unique with the
        /// module in the collectivité.
        pub nom: String,
        /// The source used in place of the shipped one.
        pub source: String,
        /// When it was last saved.
        pub modifie_le: DateTimeUtc,
        /// Who saved it: the agent's login, or the API token's name.
        pub modifie_par: String,
    }

    crate::entite_par_collectivite!(pub);
}

/// The letterhead of each collectivité: what its documents say about it.
pub mod entete {
    use sea_orm::entity::prelude::*;

    /// One collectivité's letterhead.
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "editions_entete")]
    pub struct Model {
        /// The collectivité.
        #[sea_orm(primary_key, auto_increment = false)]
        pub collectivite_id: Uuid,
        /// Postal address, one line per line.
        pub adresse: Option<String>,
        /// Telephone.
        pub telephone: Option<String>,
        /// E-mail.
        pub courriel: Option<String>,
        /// Web site.
        pub site_web: Option<String>,
        /// Who signs by default: name.
        pub signataire_nom: Option<String>,
        /// Who signs by default: title (« Le maire », « L'adjointe déléguée »).
        pub signataire_qualite: Option<String>,
        /// When it was last saved.
        pub modifie_le: DateTimeUtc,
        /// Who saved it.
        pub modifie_par: String,
    }

    /// Relations are declared where a query needs them.
    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

/// The logo of each collectivité.
pub mod logo {
    use sea_orm::entity::prelude::*;

    /// One collectivité's logo.
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "editions_logo")]
    pub struct Model {
        /// The collectivité.
        #[sea_orm(primary_key, auto_increment = false)]
        pub collectivite_id: Uuid,
        /// `image/png` or `image/jpeg`.
        pub type_media: String,
        /// The image as uploaded.
        pub octets: Vec<u8>,
        /// Width, in pixels.
        pub largeur: i32,
        /// Height, in pixels.
        pub hauteur: i32,
        /// When it was uploaded.
        pub modifie_le: DateTimeUtc,
        /// Who uploaded it.
        pub modifie_par: String,
    }

    /// Relations are declared where a query needs them.
    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}
