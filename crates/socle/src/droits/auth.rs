//! Who is calling, for which collectivité, with which permissions.

use std::collections::BTreeSet;

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{HeaderMap, StatusCode, header};
use chrono::{DateTime, Utc};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

use super::entity::{agent, attribution, jeton, role, session};
use super::secret::{JETON_PREFIX, SESSION_PREFIX, fingerprint};
use crate::collectivite::{self, CollectiviteCourante};
use crate::http::{ApiError, AppState};

/// Name of the back-office session cookie.
pub const SESSION_COOKIE: &str = "socle_session";

/// The caller of a request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Principal {
    /// An agent logged in to the back office.
    Agent {
        /// The agent's id.
        id: Uuid,
        /// The agent's login.
        identifiant: String,
        /// Platform administrator.
        administrateur: bool,
        /// The session used.
        session_id: Uuid,
    },
    /// Partner software holding an API token.
    Jeton {
        /// The token's id.
        id: Uuid,
        /// The token's name.
        nom: String,
        /// The collectivité it is bound to.
        collectivite_id: Uuid,
    },
}

impl Principal {
    /// The id of the agent or token, as the journal records it.
    #[must_use]
    pub fn id(&self) -> Uuid {
        match self {
            Self::Agent { id, .. } | Self::Jeton { id, .. } => *id,
        }
    }
}

/// An authenticated request: who, for which collectivité, allowed to do what. The guard puts
/// it in the request's extensions; handlers take it as an extractor.
#[derive(Debug, Clone)]
pub struct Auth {
    /// Who calls.
    pub principal: Principal,
    /// The collectivité the request acts for, when it names or implies one.
    pub collectivite: Option<CollectiviteCourante>,
    /// The permissions the caller holds in that collectivité.
    pub permissions: BTreeSet<String>,
    /// Why the caller reads, from the `X-Motif` header: journaled with sensitive reads.
    pub motif: Option<String>,
}

/// Request header giving the reason of a read, for the journal.
pub const MOTIF_HEADER: &str = "x-motif";

impl Auth {
    /// Whether the caller holds `action`.
    #[must_use]
    pub fn peut(&self, action: &str) -> bool {
        self.permissions.contains(action)
    }

    /// The agent id, for an agent; `None` for an API token.
    #[must_use]
    pub fn agent_id(&self) -> Option<Uuid> {
        match &self.principal {
            Principal::Agent { id, .. } => Some(*id),
            Principal::Jeton { .. } => None,
        }
    }

    /// Whether the caller is a platform administrator.
    #[must_use]
    pub fn est_administrateur(&self) -> bool {
        matches!(
            self.principal,
            Principal::Agent {
                administrateur: true,
                ..
            }
        )
    }
}

impl<S: Send + Sync> FromRequestParts<S> for Auth {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, ApiError> {
        parts
            .extensions
            .get::<Self>()
            .cloned()
            .ok_or_else(authentication_required)
    }
}

/// 401: no credentials, or credentials that do not work.
pub(crate) fn authentication_required() -> ApiError {
    ApiError::new(
        StatusCode::UNAUTHORIZED,
        "authentification-requise",
        "Authentification requise",
        "Connectez-vous (POST /api/v1/droits/connexion) ou présentez un jeton d'API valide dans l'en-tête Authorization: Bearer.",
    )
}

fn invalid_token() -> ApiError {
    ApiError::new(
        StatusCode::UNAUTHORIZED,
        "jeton-invalide",
        "Jeton invalide",
        "Le jeton présenté est inconnu, expiré ou révoqué.",
    )
}

/// The bearer token or session cookie of a request.
pub(crate) fn presented_token(headers: &HeaderMap) -> Option<String> {
    if let Some(value) = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
    {
        let (scheme, token) = value.split_once(' ')?;
        return scheme
            .eq_ignore_ascii_case("bearer")
            .then(|| token.trim().to_owned());
    }
    cookie(headers, SESSION_COOKIE)
}

/// The value of the cookie `name` of a request.
pub(crate) fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(key, _)| *key == name)
        .map(|(_, value)| value.to_owned())
}

/// Who holds `token`, if it is a live session or API token.
///
/// # Errors
/// 401 `jeton-invalide` for an unknown, expired or revoked token; a database failure.
pub(crate) async fn principal_of<C: ConnectionTrait>(
    db: &C,
    token: &str,
    now: DateTime<Utc>,
) -> Result<(Principal, Option<BTreeSet<String>>), ApiError> {
    let empreinte = fingerprint(token);
    if token.starts_with(SESSION_PREFIX) {
        let Some(session) = session::Entity::find()
            .filter(session::Column::Empreinte.eq(empreinte))
            .one(db)
            .await?
        else {
            return Err(invalid_token());
        };
        if session.revoque_le.is_some() || session.expire_le <= now {
            return Err(invalid_token());
        }
        let Some(agent) = agent::Entity::find_by_id(session.agent_id).one(db).await? else {
            return Err(invalid_token());
        };
        if !agent.actif {
            return Err(invalid_token());
        }
        return Ok((
            Principal::Agent {
                id: agent.id,
                identifiant: agent.identifiant,
                administrateur: agent.administrateur,
                session_id: session.id,
            },
            None,
        ));
    }
    if token.starts_with(JETON_PREFIX) {
        let Some(jeton) = jeton::Entity::find()
            .filter(jeton::Column::Empreinte.eq(empreinte))
            .one(db)
            .await?
        else {
            return Err(invalid_token());
        };
        if jeton.revoque_le.is_some() || jeton.expire_le.is_some_and(|end| end <= now) {
            return Err(invalid_token());
        }
        // A token never carries more than its creator still holds: disabling the creator, or
        // taking a permission away from it, narrows its tokens at once.
        let Some(createur) = agent::Entity::find_by_id(jeton.cree_par).one(db).await? else {
            return Err(invalid_token());
        };
        if !createur.actif {
            return Err(invalid_token());
        }
        let mut permissions = json_actions(&jeton.permissions);
        if !createur.administrateur {
            let held = agent_permissions(db, createur.id, jeton.collectivite_id).await?;
            permissions.retain(|p| held.contains(p));
        }
        return Ok((
            Principal::Jeton {
                id: jeton.id,
                nom: jeton.nom,
                collectivite_id: jeton.collectivite_id,
            },
            Some(permissions),
        ));
    }
    Err(invalid_token())
}

/// The action names of a JSON list.
pub(crate) fn json_actions(value: &serde_json::Value) -> BTreeSet<String> {
    value
        .as_array()
        .map(|list| {
            list.iter()
                .filter_map(|v| v.as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default()
}

/// The permissions an agent holds in a collectivité: those of its roles there.
///
/// # Errors
/// A database failure.
pub(crate) async fn agent_permissions<C: ConnectionTrait>(
    db: &C,
    agent_id: Uuid,
    collectivite_id: Uuid,
) -> Result<BTreeSet<String>, sea_orm::DbErr> {
    let role_ids: Vec<Uuid> = attribution::Entity::find()
        .filter(attribution::Column::AgentId.eq(agent_id))
        .all(db)
        .await?
        .into_iter()
        .map(|a| a.role_id)
        .collect();
    if role_ids.is_empty() {
        return Ok(BTreeSet::new());
    }
    let roles = role::Entity::find()
        .filter(role::Column::Id.is_in(role_ids))
        .filter(role::Column::CollectiviteId.eq(collectivite_id))
        .all(db)
        .await?;
    Ok(roles
        .iter()
        .flat_map(|r| json_actions(&r.permissions))
        .collect())
}

/// Resolves who calls, for which collectivité, with which permissions.
///
/// # Errors
/// 401 without a valid token; 404 for an unknown collectivité; 403 when a token is used for
/// another collectivité than its own, or an agent holds no role in the collectivité named.
pub(crate) async fn authenticate(state: &AppState, headers: &HeaderMap) -> Result<Auth, ApiError> {
    let token = presented_token(headers).ok_or_else(authentication_required)?;
    let db = state.db();
    let (principal, token_permissions) = principal_of(db, &token, state.clock().now()).await?;
    let named = headers
        .get(collectivite::HEADER)
        .map(|v| {
            v.to_str().map_err(|_| {
                ApiError::bad_request(
                    "collectivite-invalide",
                    "L'en-tête X-Collectivite doit contenir un code ou un identifiant.",
                )
            })
        })
        .transpose()?;
    let motif = headers
        .get(MOTIF_HEADER)
        .map(|v| {
            String::from_utf8_lossy(v.as_bytes())
                .trim()
                .chars()
                .take(500)
                .collect::<String>()
        })
        .filter(|v| !v.is_empty());
    let find = |reference: String| async move {
        collectivite::find(db, &reference)
            .await?
            .map(CollectiviteCourante::from)
            .ok_or_else(|| ApiError::not_found(&format!("Collectivité « {reference} »")))
    };
    match principal {
        Principal::Jeton {
            collectivite_id, ..
        } => {
            let own = find(collectivite_id.to_string()).await?;
            if let Some(reference) = named {
                let asked = find(reference.to_owned()).await?;
                if asked.id != own.id {
                    return Err(ApiError::new(
                        StatusCode::FORBIDDEN,
                        "jeton-autre-collectivite",
                        "Collectivité interdite",
                        "Ce jeton d'API appartient à une autre collectivité.",
                    ));
                }
            }
            Ok(Auth {
                principal,
                collectivite: Some(own),
                permissions: token_permissions.unwrap_or_default(),
                motif,
            })
        }
        Principal::Agent {
            id, administrateur, ..
        } => {
            let collectivite = match (named, state.default_collectivite()) {
                (Some(reference), _) => Some(find(reference.to_owned()).await?),
                // The server's default may not exist yet (before its creation): no collectivité.
                (None, Some(default)) => collectivite::find(db, default)
                    .await?
                    .map(CollectiviteCourante::from),
                (None, None) => None,
            };
            let mut collectivite = collectivite;
            let permissions = if administrateur {
                state
                    .registry()
                    .iter()
                    .flat_map(|m| m.permissions().iter().map(|p| p.action.to_owned()))
                    .collect()
            } else if let Some(c) = &collectivite {
                let held = agent_permissions(db, id, c.id).await?;
                if held.is_empty() {
                    if named.is_some() {
                        return Err(ApiError::new(
                            StatusCode::FORBIDDEN,
                            "collectivite-interdite",
                            "Collectivité interdite",
                            format!("Vous n'avez aucun rôle dans la collectivité {}.", c.nom),
                        ));
                    }
                    // Not a member of the server's default collectivité: act for none, so that
                    // the agent can still see who it is and log out.
                    collectivite = None;
                }
                held
            } else {
                BTreeSet::new()
            };
            Ok(Auth {
                principal,
                collectivite,
                permissions,
                motif,
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    #[test]
    fn token_from_bearer_or_cookie() {
        let mut headers = HeaderMap::new();
        assert_eq!(presented_token(&headers), None);
        headers.insert(
            header::COOKIE,
            HeaderValue::from_static("a=b; socle_session=socle_s_abc; c=d"),
        );
        assert_eq!(presented_token(&headers).as_deref(), Some("socle_s_abc"));
        headers.insert(
            header::AUTHORIZATION,
            HeaderValue::from_static("Bearer socle_j_xyz"),
        );
        assert_eq!(presented_token(&headers).as_deref(), Some("socle_j_xyz"));
        headers.insert(
            header::AUTHORIZATION,
            HeaderValue::from_static("Basic dXNlcjpwdw=="),
        );
        assert_eq!(presented_token(&headers), None);
    }
}
