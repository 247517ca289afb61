//! Rules and storage of agents, roles, sessions and API tokens, without HTTP.

use std::collections::BTreeSet;
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, Set,
};
use serde::Deserialize;
use utoipa::ToSchema;
use uuid::Uuid;
use validator::Validate;

use super::auth::Auth;
use super::entity::{agent, attribution, jeton, role, session};
use super::limiter::LoginLimiter;
use super::secret::{self, JETON_PREFIX, SESSION_PREFIX, SecretError};
use crate::db::on_unique;
use crate::module::ModuleRegistry;

/// How long a back-office session lasts.
pub const SESSION_DURATION: chrono::TimeDelta = chrono::TimeDelta::hours(10);
/// Shortest password accepted.
pub const MIN_PASSWORD_LENGTH: u64 = 12;

/// Why a request about agents, roles or tokens is refused.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum DroitsError {
    /// Wrong login or password (which one is not said).
    #[error("identifiant ou mot de passe incorrect")]
    Identifiants,
    /// Too many failed logins on this account.
    #[error("trop de tentatives ; réessayez dans {} min", .0.as_secs().div_ceil(60))]
    TropDeTentatives(Duration),
    /// The login is taken.
    #[error("l'identifiant « {0} » est déjà pris")]
    IdentifiantPris(String),
    /// A role of this name exists in the collectivité.
    #[error("un rôle « {0} » existe déjà")]
    RoleExistant(String),
    /// No module declares this permission.
    #[error("permission inconnue « {0} »")]
    PermissionInconnue(String),
    /// Platform permissions cannot be granted by a role or a token.
    #[error("la permission « {0} » est réservée aux administrateurs de la plateforme")]
    PermissionPlateforme(String),
    /// A caller cannot give a token more than it holds.
    #[error("vous ne détenez pas la permission « {0} », vous ne pouvez pas la confier à un jeton")]
    PermissionNonDetenue(String),
    /// Only a platform administrator can create an administrator.
    #[error("seul un administrateur de la plateforme peut créer un administrateur")]
    AdministrateurRequis,
    /// The record does not exist (or is another collectivité's).
    #[error("{0} introuvable")]
    Introuvable(&'static str),
    /// A token that would be expired before it is created.
    #[error("un jeton ne peut expirer avant sa création ({0})")]
    ExpireDejaCree(DateTime<Utc>),
    /// No randomness.
    #[error(transparent)]
    Secret(#[from] SecretError),
    /// The OpenID Connect login failed.
    #[error(transparent)]
    Oidc(#[from] super::oidc::OidcError),
    /// The database failed.
    #[error(transparent)]
    Db(#[from] DbErr),
}

/// An agent account to create.
#[derive(Clone, Deserialize, Validate, ToSchema)]
pub struct NouvelAgent {
    /// Login: lower-case letters, digits, `.`, `_`, `-`.
    #[schema(example = "m.durand")]
    #[validate(length(min = 2, max = 100), regex(path = *IDENTIFIANT, message = "lettres minuscules, chiffres, point, tiret ou souligné"))]
    pub identifiant: String,
    /// Display name.
    #[schema(example = "Marie Durand")]
    #[validate(length(max = 200), custom(function = "crate::validation::non_blank"))]
    pub nom: String,
    /// At least 12 characters.
    #[validate(length(min = 12, max = 200))]
    pub mot_de_passe: String,
    /// Platform administrator (only an administrator can grant it).
    #[serde(default)]
    pub administrateur: bool,
    /// The agent's subject (`sub`) at the OpenID Connect provider, to let it log in there.
    #[validate(length(min = 1, max = 255))]
    pub oidc_sub: Option<String>,
}

impl std::fmt::Debug for NouvelAgent {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("NouvelAgent")
            .field("identifiant", &self.identifiant)
            .field("nom", &self.nom)
            .field("mot_de_passe", &"***")
            .field("administrateur", &self.administrateur)
            .field("oidc_sub", &self.oidc_sub)
            .finish()
    }
}

static IDENTIFIANT: std::sync::LazyLock<regex::Regex> =
    std::sync::LazyLock::new(|| regex::Regex::new(r"^[a-z0-9._-]+$").expect("constant regex"));

/// Creates an agent account.
///
/// # Errors
/// The login is taken; a non-administrator asks for an administrator.
pub async fn creer_agent<C: ConnectionTrait>(
    db: &C,
    new: NouvelAgent,
    par_administrateur: bool,
    now: DateTime<Utc>,
) -> Result<agent::Model, DroitsError> {
    if new.administrateur && !par_administrateur {
        return Err(DroitsError::AdministrateurRequis);
    }
    let identifiant = new.identifiant.clone();
    agent::ActiveModel {
        id: Set(Uuid::now_v7()),
        identifiant: Set(new.identifiant),
        nom: Set(new.nom.trim().to_owned()),
        mot_de_passe: Set(secret::hash_password(&new.mot_de_passe)?),
        administrateur: Set(new.administrateur),
        actif: Set(true),
        oidc_sub: Set(new.oidc_sub),
        created_at: Set(now),
    }
    .insert(db)
    .await
    .map_err(|e| on_unique(e, || DroitsError::IdentifiantPris(identifiant)))
}

/// A hash to verify against when the login is unknown, so that a wrong login takes as long as
/// a wrong password and reveals nothing.
static DUMMY_HASH: std::sync::LazyLock<String> =
    std::sync::LazyLock::new(|| secret::hash_password("mot de passe factice").unwrap_or_default());

/// Opens a session; returns the token (shown once) and the agent.
///
/// # Errors
/// Wrong login or password, a disabled account, or too many recent failures on the account.
pub async fn connexion<C: ConnectionTrait>(
    db: &C,
    limiter: &LoginLimiter,
    identifiant: &str,
    mot_de_passe: &str,
    now: DateTime<Utc>,
) -> Result<(String, session::Model, agent::Model), DroitsError> {
    let account = identifiant.trim().to_lowercase();
    limiter
        .check(&account, Instant::now())
        .map_err(DroitsError::TropDeTentatives)?;
    let found = agent::Entity::find()
        .filter(agent::Column::Identifiant.eq(account.as_str()))
        .one(db)
        .await?;
    // Counted before the check, so that concurrent attempts cannot all slip through; a
    // success clears the count.
    limiter.failed(&account, Instant::now());
    let hash = found
        .as_ref()
        .map_or_else(|| DUMMY_HASH.clone(), |a| a.mot_de_passe.clone());
    let password = mot_de_passe.to_owned();
    // Argon2 is deliberately slow: keep it off the threads that serve other requests.
    let password_ok =
        tokio::task::spawn_blocking(move || secret::verify_password(&password, &hash))
            .await
            .unwrap_or(false);
    let Some(agent) = found.filter(|a| password_ok && a.actif) else {
        return Err(DroitsError::Identifiants);
    };
    limiter.succeeded(&account);
    let (token, session) = ouvrir_session(db, &agent, now).await?;
    Ok((token, session, agent))
}

/// Opens a session for an agent who proved who it is; returns the token (shown once).
///
/// # Errors
/// No randomness, or a database failure.
pub async fn ouvrir_session<C: ConnectionTrait>(
    db: &C,
    agent: &agent::Model,
    now: DateTime<Utc>,
) -> Result<(String, session::Model), DroitsError> {
    let token = secret::new_token(SESSION_PREFIX)?;
    let session = session::ActiveModel {
        id: Set(Uuid::now_v7()),
        agent_id: Set(agent.id),
        empreinte: Set(secret::fingerprint(&token)),
        created_at: Set(now),
        expire_le: Set(now + SESSION_DURATION),
        revoque_le: Set(None),
    }
    .insert(db)
    .await?;
    Ok((token, session))
}

/// The agent account an OpenID Connect identity logs in to: the active account an
/// administrator linked to its subject (`oidc_sub`). Nothing is linked or created by a login: a
/// name the provider sends (`preferred_username`) proves nothing.
///
/// # Errors
/// No such active account.
pub async fn agent_oidc<C: ConnectionTrait>(
    db: &C,
    identite: &super::oidc::Identite,
) -> Result<agent::Model, DroitsError> {
    use super::oidc::OidcError;
    agent::Entity::find()
        .filter(agent::Column::OidcSub.eq(identite.sub.as_str()))
        .filter(agent::Column::Actif.eq(true))
        .one(db)
        .await?
        .ok_or_else(|| {
            let name = identite
                .preferred_username
                .clone()
                .unwrap_or_else(|| identite.sub.clone());
            DroitsError::Oidc(OidcError::AgentInconnu(name))
        })
}

/// Closes a session.
///
/// # Errors
/// A database failure.
pub async fn deconnexion<C: ConnectionTrait>(
    db: &C,
    session_id: Uuid,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    session::Entity::update_many()
        .col_expr(
            session::Column::RevoqueLe,
            sea_orm::sea_query::Expr::value(now),
        )
        .filter(session::Column::Id.eq(session_id))
        .exec(db)
        .await?;
    Ok(())
}

/// A role to create in the current collectivité.
#[derive(Debug, Clone, Deserialize, Validate, ToSchema)]
pub struct NouveauRole {
    /// Name, unique within the collectivité.
    #[schema(example = "Agent du cimetière")]
    #[validate(length(max = 200), custom(function = "crate::validation::non_blank"))]
    pub nom: String,
    /// The permissions it grants.
    #[schema(example = json!(["cimetiere.cimetiere.lire", "cimetiere.cimetiere.creer"]))]
    pub permissions: Vec<String>,
}

fn check_grantable(registry: &ModuleRegistry, actions: &[String]) -> Result<(), DroitsError> {
    for action in actions {
        let declared = registry
            .iter()
            .flat_map(|m| m.permissions().iter())
            .find(|p| p.action == action);
        match declared {
            None => return Err(DroitsError::PermissionInconnue(action.clone())),
            Some(p) if p.plateforme => {
                return Err(DroitsError::PermissionPlateforme(action.clone()));
            }
            Some(_) => {}
        }
    }
    Ok(())
}

fn check_held(createur: &Auth, actions: &[String]) -> Result<(), DroitsError> {
    match actions.iter().find(|p| !createur.peut(p)) {
        Some(missing) => Err(DroitsError::PermissionNonDetenue(missing.clone())),
        None => Ok(()),
    }
}

/// Creates a role in a collectivité; the creator must hold every permission it grants.
///
/// # Errors
/// An unknown or platform permission, one the creator does not hold; a role of that name
/// exists.
pub async fn creer_role<C: ConnectionTrait>(
    db: &C,
    registry: &ModuleRegistry,
    createur: &Auth,
    collectivite_id: Uuid,
    new: NouveauRole,
    now: DateTime<Utc>,
) -> Result<role::Model, DroitsError> {
    check_grantable(registry, &new.permissions)?;
    check_held(createur, &new.permissions)?;
    let permissions: BTreeSet<String> = new.permissions.into_iter().collect();
    let nom = new.nom.trim().to_owned();
    role::ActiveModel {
        id: Set(Uuid::now_v7()),
        collectivite_id: Set(collectivite_id),
        nom: Set(nom.clone()),
        permissions: Set(serde_json::json!(permissions)),
        created_at: Set(now),
    }
    .insert(db)
    .await
    .map_err(|e| on_unique(e, || DroitsError::RoleExistant(nom)))
}

/// Gives an agent a role of the collectivité; the giver must hold every permission of the
/// role. Giving it twice changes nothing.
///
/// # Errors
/// The agent does not exist, the role is not the collectivité's, or it grants a permission the
/// giver does not hold.
pub async fn attribuer<C: ConnectionTrait>(
    db: &C,
    donneur: &Auth,
    collectivite_id: Uuid,
    agent_id: Uuid,
    role_id: Uuid,
    now: DateTime<Utc>,
) -> Result<(), DroitsError> {
    use crate::collectivite::TenantScoped;
    if agent::Entity::find_by_id(agent_id).one(db).await?.is_none() {
        return Err(DroitsError::Introuvable("Agent"));
    }
    let Some(role) = role::Entity::find_one_in(db, collectivite_id, role_id).await? else {
        return Err(DroitsError::Introuvable("Rôle"));
    };
    let granted: Vec<String> = super::auth::json_actions(&role.permissions)
        .into_iter()
        .collect();
    check_held(donneur, &granted)?;
    // A role already held stays as it is: the insert does nothing rather than fail, which on
    // PostgreSQL would abort the rest of the transaction.
    attribution::Entity::insert(attribution::ActiveModel {
        agent_id: Set(agent_id),
        role_id: Set(role_id),
        created_at: Set(now),
    })
    .on_conflict(
        sea_orm::sea_query::OnConflict::columns([
            attribution::Column::AgentId,
            attribution::Column::RoleId,
        ])
        .do_nothing()
        .to_owned(),
    )
    .exec_without_returning(db)
    .await?;
    Ok(())
}

/// An API token to create for the current collectivité.
#[derive(Debug, Clone, Deserialize, Validate, ToSchema)]
pub struct NouveauJeton {
    /// What it is for (« GRU Publik », « Logiciel funéraire »).
    #[validate(length(max = 200), custom(function = "crate::validation::non_blank"))]
    pub nom: String,
    /// The permissions it carries; the creator must hold each of them.
    pub permissions: Vec<String>,
    /// When it stops working; never when absent.
    pub expire_le: Option<DateTime<Utc>>,
}

/// Creates an API token; returns the token (shown once) and its record.
///
/// # Errors
/// A permission the creator does not hold, unknown, or reserved to the platform.
pub async fn creer_jeton<C: ConnectionTrait>(
    db: &C,
    registry: &ModuleRegistry,
    createur: &Auth,
    collectivite_id: Uuid,
    new: NouveauJeton,
    now: DateTime<Utc>,
) -> Result<(String, jeton::Model), DroitsError> {
    if let Some(expire) = new.expire_le.filter(|e| *e <= now) {
        return Err(DroitsError::ExpireDejaCree(expire));
    }
    check_grantable(registry, &new.permissions)?;
    check_held(createur, &new.permissions)?;
    let Some(cree_par) = createur.agent_id() else {
        return Err(DroitsError::PermissionNonDetenue(
            "droits.jeton.gerer".into(),
        ));
    };
    let token = secret::new_token(JETON_PREFIX)?;
    let permissions: BTreeSet<String> = new.permissions.into_iter().collect();
    let model = jeton::ActiveModel {
        id: Set(Uuid::now_v7()),
        collectivite_id: Set(collectivite_id),
        nom: Set(new.nom.trim().to_owned()),
        empreinte: Set(secret::fingerprint(&token)),
        permissions: Set(serde_json::json!(permissions)),
        cree_par: Set(cree_par),
        created_at: Set(now),
        expire_le: Set(new.expire_le),
        revoque_le: Set(None),
    }
    .insert(db)
    .await?;
    Ok((token, model))
}

/// Revokes an API token of the collectivité; it stops working at once.
///
/// # Errors
/// The token is not the collectivité's.
pub async fn revoquer_jeton<C: ConnectionTrait>(
    db: &C,
    collectivite_id: Uuid,
    id: Uuid,
    now: DateTime<Utc>,
) -> Result<jeton::Model, DroitsError> {
    use crate::collectivite::TenantScoped;
    let Some(found) = jeton::Entity::find_one_in(db, collectivite_id, id).await? else {
        return Err(DroitsError::Introuvable("Jeton"));
    };
    let mut active: jeton::ActiveModel = found.into();
    active.revoque_le = Set(Some(now));
    Ok(active.update(db).await?)
}
