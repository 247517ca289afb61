//! The tables of agents, roles, sessions and API tokens.

/// Agents: the people who use the back office. One account may work for several collectivités,
/// through roles held in each.
pub mod agent {
    use sea_orm::entity::prelude::*;

    /// One agent account.
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "droits_agent")]
    pub struct Model {
        /// Public identifier.
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        /// Login, unique, lower-case.
        #[sea_orm(unique)]
        pub identifiant: String,
        /// Display name.
        pub nom: String,
        /// Argon2id PHC string; never leaves the server.
        pub mot_de_passe: String,
        /// Platform administrator: every permission in every collectivité.
        pub administrateur: bool,
        /// A disabled account cannot log in, and its sessions stop working.
        pub actif: bool,
        /// The subject of the agent's identity at the OpenID Connect provider, once linked.
        pub oidc_sub: Option<String>,
        /// When it was created.
        pub created_at: DateTimeUtc,
    }

    /// Relations are declared where a query needs them.
    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

/// Roles: named bundles of permissions, defined by each collectivité.
pub mod role {
    use sea_orm::entity::prelude::*;

    /// One role of a collectivité.
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "droits_role")]
    pub struct Model {
        /// Public identifier.
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        /// The collectivité that defines it.
        pub collectivite_id: Uuid,
        /// Name, unique within the collectivité (« Officier d'état civil »).
        pub nom: String,
        /// The permissions it grants, as a JSON list of action names.
        pub permissions: Json,
        /// When it was created.
        pub created_at: DateTimeUtc,
    }

    crate::entite_par_collectivite!(pub);
}

/// Which agent holds which role.
pub mod attribution {
    use sea_orm::entity::prelude::*;

    /// An agent holds a role (and so its permissions in the role's collectivité).
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "droits_attribution")]
    pub struct Model {
        /// The agent.
        #[sea_orm(primary_key, auto_increment = false)]
        pub agent_id: Uuid,
        /// The role.
        #[sea_orm(primary_key, auto_increment = false)]
        pub role_id: Uuid,
        /// When it was granted.
        pub created_at: DateTimeUtc,
    }

    /// Relations are declared where a query needs them.
    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

/// Back-office sessions opened by a login.
pub mod session {
    use sea_orm::entity::prelude::*;

    /// One session; the client holds the token, the server only its hash.
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "droits_session")]
    pub struct Model {
        /// Public identifier.
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        /// The agent.
        pub agent_id: Uuid,
        /// SHA-256 of the token, hex.
        #[sea_orm(unique)]
        pub empreinte: String,
        /// When it was opened.
        pub created_at: DateTimeUtc,
        /// When it stops working.
        pub expire_le: DateTimeUtc,
        /// When it was closed, if it was.
        pub revoque_le: Option<DateTimeUtc>,
    }

    /// Relations are declared where a query needs them.
    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

/// API tokens of partner software, each bound to one collectivité.
pub mod jeton {
    use sea_orm::entity::prelude::*;

    /// One named API token.
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "droits_jeton")]
    pub struct Model {
        /// Public identifier.
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        /// The collectivité it acts for.
        pub collectivite_id: Uuid,
        /// Name of the partner or use (« GRU Publik »).
        pub nom: String,
        /// SHA-256 of the token, hex.
        #[sea_orm(unique)]
        pub empreinte: String,
        /// The permissions (scopes) it carries, as a JSON list of action names.
        pub permissions: Json,
        /// The agent who created it.
        pub cree_par: Uuid,
        /// When it was created.
        pub created_at: DateTimeUtc,
        /// When it stops working, if ever.
        pub expire_le: Option<DateTimeUtc>,
        /// When it was revoked, if it was.
        pub revoque_le: Option<DateTimeUtc>,
    }

    crate::entite_par_collectivite!(pub);
}
