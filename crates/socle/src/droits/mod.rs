//! Droits: who may do what, in which collectivité.
//!
//! This core module owns:
//! - **agents** (back-office accounts, Argon2id passwords, sessions opened by
//!   `POST /api/v1/droits/connexion`, sent back as a bearer token or an HttpOnly cookie);
//! - **API tokens** of partner software: named, bound to one collectivité, carrying a list of
//!   permissions, with an optional expiry, stored hashed, revocable;
//! - **roles**: named bundles of the permissions modules declare, defined per collectivité and
//!   given to agents — an agent's permissions are those of its roles in the collectivité a
//!   request acts for; platform administrators hold every permission;
//! - **the guard** ([`guard::guard`]): every route declares its access in its OpenAPI
//!   description, and one middleware enforces exactly that.
//!
//! Failed logins are limited per account ([`limiter`]). Secrets (passwords, tokens) are never
//! stored in clear nor logged.

mod api;
pub mod auth;
pub mod entity;
pub mod guard;
pub mod limiter;
mod migration;
pub mod oidc;
pub mod secret;
pub mod service;

use crate::http::AppState;
use crate::module::{Migrations, Module, Permission};
use crate::rgpd::{BaseLegale, Effacement, Traitement};
use utoipa_axum::router::OpenApiRouter;

pub use auth::{Auth, Principal};
pub use guard::{Access, AccessMap};

crate::migrator!(
    Migrator,
    "droits",
    [migration::CreateDroits, migration::AddAgentOidcSub]
);

const PERMISSIONS: &[Permission] = &[
    Permission::plateforme("droits.agent.gerer", "Créer et lister les comptes d'agents"),
    Permission::new(
        "droits.role.gerer",
        "Définir les rôles de la collectivité et les attribuer",
    ),
    Permission::new(
        "droits.jeton.gerer",
        "Créer et révoquer les jetons d'API de la collectivité",
    ),
];

/// The core module that owns agents, roles and API tokens. Always present.
#[derive(Debug, Clone, Copy)]
pub struct Droits;

impl Module for Droits {
    fn id(&self) -> &'static str {
        "droits"
    }

    fn name(&self) -> &'static str {
        "Droits"
    }

    fn version(&self) -> &'static str {
        env!("CARGO_PKG_VERSION")
    }

    fn description(&self) -> &'static str {
        "Agents, sessions, jetons d'API et rôles par collectivité."
    }

    fn dependencies(&self) -> &'static [&'static str] {
        &["collectivites"]
    }

    fn migrations(&self) -> Option<Migrations> {
        Some(Migrations::of::<Migrator>())
    }

    fn routes(&self) -> OpenApiRouter<AppState> {
        api::routes()
    }

    fn permissions(&self) -> &'static [Permission] {
        PERMISSIONS
    }

    fn traitements(&self) -> &'static [Traitement] {
        TRAITEMENTS
    }
}

const TRAITEMENTS: &[Traitement] = &[Traitement {
    objet_type: "droits.agent",
    finalite: "Gestion des comptes des agents et de leurs habilitations",
    base_legale: BaseLegale::MissionInteretPublic,
    textes: "RGPD art. 6.1.e ; délibération CNIL 2021-122 (journalisation)",
    conservation: "Durée des fonctions de l'agent",
    effacement: Effacement::Possible,
}];
