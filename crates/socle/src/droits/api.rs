//! HTTP routes of `/api/v1/droits`: login, logout, who am I, agents, roles, API tokens.

use std::collections::BTreeSet;

use axum::Json;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use chrono::{DateTime, Utc};
use sea_orm::{EntityTrait, QueryOrder};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;
use validator::Validate;

use super::auth::{Auth, Principal, SESSION_COOKIE};
use super::entity::{agent, jeton, role};
use super::oidc::{OIDC_COOKIE, OidcError};
use super::service::{self, DroitsError, NouveauJeton, NouveauRole, NouvelAgent};
use crate::collectivite::{CollectiviteCourante, TenantScoped};
use crate::http::{ApiError, AppState, Path, Problem, ValidatedJson};
use crate::journal;

impl std::fmt::Debug for Identifiants {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Identifiants")
            .field("identifiant", &self.identifiant)
            .field("mot_de_passe", &"***")
            .finish()
    }
}

impl From<DroitsError> for ApiError {
    fn from(err: DroitsError) -> Self {
        let detail = format!("{}.", capitalize(&err.to_string()));
        match err {
            DroitsError::Identifiants => Self::new(
                StatusCode::UNAUTHORIZED,
                "identifiants-incorrects",
                "Identifiants incorrects",
                detail,
            ),
            DroitsError::TropDeTentatives(_) => Self::new(
                StatusCode::TOO_MANY_REQUESTS,
                "trop-de-tentatives",
                "Trop de tentatives",
                detail,
            ),
            DroitsError::IdentifiantPris(_) => Self::conflict("identifiant-pris", detail),
            DroitsError::RoleExistant(_) => Self::conflict("role-existant", detail),
            DroitsError::PermissionInconnue(_) | DroitsError::PermissionPlateforme(_) => {
                Self::validation(vec![crate::http::FieldError::new(
                    "permissions",
                    "permission",
                    err.to_string(),
                )])
            }
            DroitsError::PermissionNonDetenue(_) | DroitsError::AdministrateurRequis => Self::new(
                StatusCode::FORBIDDEN,
                "droit-insuffisant",
                "Droit insuffisant",
                detail,
            ),
            DroitsError::Introuvable(what) => Self::not_found(what),
            DroitsError::ExpireDejaCree(_) => Self::validation(vec![crate::http::FieldError::new(
                "expire_le",
                "passee",
                "une date d'expiration à venir",
            )]),
            DroitsError::Oidc(oidc) => {
                use super::oidc::OidcError;
                let (status, code, title) = match oidc {
                    OidcError::NonConfigure => (
                        StatusCode::NOT_FOUND,
                        "oidc-non-configure",
                        "Connexion OpenID Connect non configurée",
                    ),
                    OidcError::EtatInvalide => (
                        StatusCode::BAD_REQUEST,
                        "oidc-etat-invalide",
                        "Retour de connexion inattendu",
                    ),
                    OidcError::Fournisseur(_) => (
                        StatusCode::BAD_GATEWAY,
                        "oidc-fournisseur",
                        "Fournisseur d'identité injoignable",
                    ),
                    OidcError::JetonIdentite(_) => (
                        StatusCode::UNAUTHORIZED,
                        "oidc-jeton-invalide",
                        "Jeton d'identité refusé",
                    ),
                    OidcError::AgentInconnu(_) => (
                        StatusCode::FORBIDDEN,
                        "agent-inconnu",
                        "Compte d'agent inconnu",
                    ),
                };
                Self::new(status, code, title, detail)
            }
            DroitsError::Secret(e) => Self::internal(e),
            DroitsError::Db(e) => e.into(),
        }
    }
}

fn capitalize(text: &str) -> String {
    let mut chars = text.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

pub(super) fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(connexion))
        .routes(routes!(oidc_connexion))
        .routes(routes!(oidc_retour))
        .routes(routes!(deconnexion))
        .routes(routes!(moi))
        .routes(routes!(lister_agents, creer_agent))
        .routes(routes!(lister_roles, creer_role))
        .routes(routes!(attribuer_role))
        .routes(routes!(lister_jetons, creer_jeton))
        .routes(routes!(revoquer_jeton))
}

/// Login and password.
#[derive(Deserialize, Validate, ToSchema)]
struct Identifiants {
    /// The agent's login.
    #[schema(example = "demo")]
    #[validate(length(max = 100))]
    identifiant: String,
    /// The password.
    mot_de_passe: String,
}

/// An agent as the API shows it (never the password hash).
#[derive(Debug, Serialize, ToSchema)]
struct AgentDto {
    id: Uuid,
    identifiant: String,
    nom: String,
    administrateur: bool,
    actif: bool,
}

impl From<agent::Model> for AgentDto {
    fn from(m: agent::Model) -> Self {
        Self {
            id: m.id,
            identifiant: m.identifiant,
            nom: m.nom,
            administrateur: m.administrateur,
            actif: m.actif,
        }
    }
}

/// An opened session.
#[derive(Debug, Serialize, ToSchema)]
struct Session {
    /// The session token, to send as `Authorization: Bearer …` (also set as a cookie).
    jeton: String,
    /// When it stops working.
    expire_le: DateTime<Utc>,
    /// The agent.
    agent: AgentDto,
}

/// Log in: opens a back-office session.
#[utoipa::path(
    post,
    path = "/connexion",
    tag = "droits",
    security(()),
    request_body = Identifiants,
    responses(
        (status = 200, description = "Session ouverte", body = Session),
        (status = 401, description = "Identifiant ou mot de passe incorrect", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Trop de tentatives sur ce compte", body = Problem, content_type = "application/problem+json"),
    )
)]
async fn connexion(
    State(state): State<AppState>,
    ValidatedJson(body): ValidatedJson<Identifiants>,
) -> Result<(HeaderMap, Json<Session>), ApiError> {
    let outcome = service::connexion(
        state.db(),
        state.login_limiter(),
        &body.identifiant,
        &body.mot_de_passe,
        state.clock().now(),
    )
    .await;
    let (token, session, agent) = match outcome {
        Err(DroitsError::TropDeTentatives(wait)) => {
            let mut err = ApiError::from(DroitsError::TropDeTentatives(wait));
            err = err.with_header(header::RETRY_AFTER, wait.as_secs().max(1).to_string());
            return Err(err);
        }
        other => other?,
    };
    let connexion = journal::Evenement {
        acteur: journal::Acteur::Agent(agent.id),
        collectivite_id: None,
        action: "connexion",
        objet_type: "droits.session",
        objet_id: session.id.to_string(),
        motif: None,
        details: None,
    };
    journal::consigner_seul(state.db(), connexion, state.clock().now()).await?;
    let mut headers = HeaderMap::new();
    let cookie = format!(
        "{SESSION_COOKIE}={token}; Path=/; HttpOnly; Secure; SameSite=Strict; Max-Age={}",
        service::SESSION_DURATION.num_seconds()
    );
    if let Ok(value) = HeaderValue::from_str(&cookie) {
        headers.insert(header::SET_COOKIE, value);
    }
    Ok((
        headers,
        Json(Session {
            jeton: token,
            expire_le: session.expire_le,
            agent: agent.into(),
        }),
    ))
}

/// Log out: closes the session used. An API token is not logged out: it is revoked.
#[utoipa::path(
    post,
    path = "/deconnexion",
    tag = "droits",
    security(("jeton" = [])),
    responses(
        (status = 204, description = "Session fermée"),
        (status = 400, description = "Un jeton d'API ne se déconnecte pas : il se révoque (deconnexion-jeton-api)", body = Problem, content_type = "application/problem+json"),
    )
)]
async fn deconnexion(
    State(state): State<AppState>,
    auth: Auth,
) -> Result<(StatusCode, HeaderMap), ApiError> {
    let Principal::Agent { session_id, .. } = &auth.principal else {
        return Err(ApiError::bad_request(
            "deconnexion-jeton-api",
            "Un jeton d'API ne se déconnecte pas : révoquez-le (DELETE /api/v1/droits/jetons/{id}) pour qu'il cesse de fonctionner.",
        ));
    };
    let session_id = *session_id;
    let mut txn = state.ecrire(&auth).await?;
    service::deconnexion(&txn, session_id, state.clock().now()).await?;
    let evenement = txn.evenement("deconnexion", "droits.session", session_id);
    journal::consigner(&mut txn, evenement);
    txn.valider().await?;
    let mut headers = HeaderMap::new();
    headers.insert(
        header::SET_COOKIE,
        HeaderValue::from_static(
            "socle_session=; Path=/; HttpOnly; Secure; SameSite=Strict; Max-Age=0",
        ),
    );
    Ok((StatusCode::NO_CONTENT, headers))
}

/// Who is calling.
#[derive(Debug, Serialize, ToSchema)]
struct Moi {
    /// The agent or API token.
    principal: Principal,
    /// The collectivité the request acts for.
    collectivite: Option<String>,
    /// The permissions held there.
    permissions: BTreeSet<String>,
}

/// Who am I, for which collectivité, with which permissions?
#[utoipa::path(
    get,
    path = "/moi",
    tag = "droits",
    security(("jeton" = [])),
    params(CollectiviteCourante),
    responses((status = 200, description = "L'appelant", body = Moi))
)]
async fn moi(auth: Auth) -> Json<Moi> {
    Json(Moi {
        collectivite: auth.collectivite.map(|c| c.code),
        principal: auth.principal,
        permissions: auth.permissions,
    })
}

/// List agent accounts.
#[utoipa::path(
    get,
    path = "/agents",
    tag = "droits",
    security(("jeton" = ["droits.agent.gerer"])),
    responses((status = 200, description = "Les comptes d'agents", body = Vec<AgentDto>))
)]
async fn lister_agents(State(state): State<AppState>) -> Result<Json<Vec<AgentDto>>, ApiError> {
    let agents = agent::Entity::find()
        .order_by_asc(agent::Column::Identifiant)
        .all(state.db())
        .await?;
    Ok(Json(agents.into_iter().map(AgentDto::from).collect()))
}

/// Create an agent account.
#[utoipa::path(
    post,
    path = "/agents",
    tag = "droits",
    security(("jeton" = ["droits.agent.gerer"])),
    request_body = NouvelAgent,
    responses(
        (status = 201, description = "Compte créé", body = AgentDto),
        (status = 409, description = "Identifiant déjà pris", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Données invalides", body = Problem, content_type = "application/problem+json"),
    )
)]
async fn creer_agent(
    State(state): State<AppState>,
    auth: Auth,
    ValidatedJson(new): ValidatedJson<NouvelAgent>,
) -> Result<(StatusCode, Json<AgentDto>), ApiError> {
    let mut txn = state.ecrire(&auth).await?;
    let created =
        service::creer_agent(&txn, new, auth.est_administrateur(), state.clock().now()).await?;
    journal::consigner(
        &mut txn,
        journal::Evenement::par(&auth, "creation", "droits.agent", created.id),
    );
    txn.valider().await?;
    Ok((StatusCode::CREATED, Json(created.into())))
}

/// A role as the API shows it.
#[derive(Debug, Serialize, ToSchema)]
struct RoleDto {
    id: Uuid,
    nom: String,
    permissions: BTreeSet<String>,
}

impl From<role::Model> for RoleDto {
    fn from(m: role::Model) -> Self {
        Self {
            id: m.id,
            nom: m.nom,
            permissions: super::auth::json_actions(&m.permissions),
        }
    }
}

/// List the roles of the collectivité.
#[utoipa::path(
    get,
    path = "/roles",
    tag = "droits",
    security(("jeton" = ["droits.role.gerer"])),
    params(CollectiviteCourante),
    responses((status = 200, description = "Les rôles", body = Vec<RoleDto>))
)]
async fn lister_roles(
    State(state): State<AppState>,
    collectivite: CollectiviteCourante,
) -> Result<Json<Vec<RoleDto>>, ApiError> {
    let roles = role::Entity::find_in(collectivite.id)
        .order_by_asc(role::Column::Nom)
        .all(state.db())
        .await?;
    Ok(Json(roles.into_iter().map(RoleDto::from).collect()))
}

/// Create a role in the collectivité.
#[utoipa::path(
    post,
    path = "/roles",
    tag = "droits",
    security(("jeton" = ["droits.role.gerer"])),
    params(CollectiviteCourante),
    request_body = NouveauRole,
    responses(
        (status = 201, description = "Rôle créé", body = RoleDto),
        (status = 409, description = "Un rôle porte déjà ce nom", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Permission inconnue ou réservée", body = Problem, content_type = "application/problem+json"),
    )
)]
async fn creer_role(
    State(state): State<AppState>,
    auth: Auth,
    collectivite: CollectiviteCourante,
    ValidatedJson(new): ValidatedJson<NouveauRole>,
) -> Result<(StatusCode, Json<RoleDto>), ApiError> {
    let mut txn = state.ecrire(&auth).await?;
    let created = service::creer_role(
        &txn,
        state.registry(),
        &auth,
        collectivite.id,
        new,
        state.clock().now(),
    )
    .await?;
    journal::consigner(
        &mut txn,
        journal::Evenement::par(&auth, "creation", "droits.role", created.id),
    );
    txn.valider().await?;
    Ok((StatusCode::CREATED, Json(created.into())))
}

/// The role to give.
#[derive(Debug, Deserialize, Validate, ToSchema)]
struct Attribution {
    /// A role of the collectivité.
    role_id: Uuid,
}

/// Give an agent a role of the collectivité.
#[utoipa::path(
    post,
    path = "/agents/{id}/roles",
    tag = "droits",
    security(("jeton" = ["droits.role.gerer"])),
    params(("id" = Uuid, Path, description = "Identifiant de l'agent"), CollectiviteCourante),
    request_body = Attribution,
    responses(
        (status = 204, description = "Rôle attribué"),
        (status = 404, description = "Agent ou rôle introuvable", body = Problem, content_type = "application/problem+json"),
    )
)]
async fn attribuer_role(
    State(state): State<AppState>,
    auth: Auth,
    collectivite: CollectiviteCourante,
    Path(agent_id): Path<Uuid>,
    ValidatedJson(body): ValidatedJson<Attribution>,
) -> Result<StatusCode, ApiError> {
    let mut txn = state.ecrire(&auth).await?;
    service::attribuer(
        &txn,
        &auth,
        collectivite.id,
        agent_id,
        body.role_id,
        state.clock().now(),
    )
    .await?;
    journal::consigner(
        &mut txn,
        journal::Evenement::par(&auth, "modification", "droits.attribution", agent_id),
    );
    txn.valider().await?;
    Ok(StatusCode::NO_CONTENT)
}

/// An API token as the API shows it (never the token itself, but at creation).
#[derive(Debug, Serialize, ToSchema)]
struct JetonDto {
    id: Uuid,
    nom: String,
    permissions: BTreeSet<String>,
    created_at: DateTime<Utc>,
    expire_le: Option<DateTime<Utc>>,
    revoque_le: Option<DateTime<Utc>>,
}

impl From<jeton::Model> for JetonDto {
    fn from(m: jeton::Model) -> Self {
        Self {
            id: m.id,
            nom: m.nom,
            permissions: super::auth::json_actions(&m.permissions),
            created_at: m.created_at,
            expire_le: m.expire_le,
            revoque_le: m.revoque_le,
        }
    }
}

/// A token just created: the only time its secret is shown.
#[derive(Debug, Serialize, ToSchema)]
struct JetonCree {
    /// The secret, to give to the partner; it is not kept and cannot be shown again.
    jeton: String,
    /// The token's record.
    #[serde(flatten)]
    fiche: JetonDto,
}

/// List the API tokens of the collectivité.
#[utoipa::path(
    get,
    path = "/jetons",
    tag = "droits",
    security(("jeton" = ["droits.jeton.gerer"])),
    params(CollectiviteCourante),
    responses((status = 200, description = "Les jetons", body = Vec<JetonDto>))
)]
async fn lister_jetons(
    State(state): State<AppState>,
    collectivite: CollectiviteCourante,
) -> Result<Json<Vec<JetonDto>>, ApiError> {
    let jetons = jeton::Entity::find_in(collectivite.id)
        .order_by_asc(jeton::Column::Id)
        .all(state.db())
        .await?;
    Ok(Json(jetons.into_iter().map(JetonDto::from).collect()))
}

/// Create an API token for a partner software.
#[utoipa::path(
    post,
    path = "/jetons",
    tag = "droits",
    security(("jeton" = ["droits.jeton.gerer"])),
    params(CollectiviteCourante),
    request_body = NouveauJeton,
    responses(
        (status = 201, description = "Jeton créé ; son secret n'est montré qu'ici", body = JetonCree),
        (status = 403, description = "Permission non détenue par le créateur", body = Problem, content_type = "application/problem+json"),
    )
)]
async fn creer_jeton(
    State(state): State<AppState>,
    auth: Auth,
    collectivite: CollectiviteCourante,
    ValidatedJson(new): ValidatedJson<NouveauJeton>,
) -> Result<(StatusCode, Json<JetonCree>), ApiError> {
    let mut txn = state.ecrire(&auth).await?;
    let (token, model) = service::creer_jeton(
        &txn,
        state.registry(),
        &auth,
        collectivite.id,
        new,
        state.clock().now(),
    )
    .await?;
    journal::consigner(
        &mut txn,
        journal::Evenement::par(&auth, "creation", "droits.jeton", model.id),
    );
    txn.valider().await?;
    Ok((
        StatusCode::CREATED,
        Json(JetonCree {
            jeton: token,
            fiche: model.into(),
        }),
    ))
}

/// Revoke an API token: it stops working at once.
#[utoipa::path(
    delete,
    path = "/jetons/{id}",
    tag = "droits",
    security(("jeton" = ["droits.jeton.gerer"])),
    params(("id" = Uuid, Path, description = "Identifiant du jeton"), CollectiviteCourante),
    responses(
        (status = 200, description = "Jeton révoqué", body = JetonDto),
        (status = 404, description = "Jeton introuvable", body = Problem, content_type = "application/problem+json"),
    )
)]
async fn revoquer_jeton(
    State(state): State<AppState>,
    auth: Auth,
    collectivite: CollectiviteCourante,
    Path(id): Path<Uuid>,
) -> Result<Json<JetonDto>, ApiError> {
    let mut txn = state.ecrire(&auth).await?;
    let revoked = service::revoquer_jeton(&txn, collectivite.id, id, state.clock().now()).await?;
    journal::consigner(
        &mut txn,
        journal::Evenement::par(&auth, "revocation", "droits.jeton", id),
    );
    txn.valider().await?;
    Ok(Json(revoked.into()))
}

/// Log in through the OpenID Connect provider: redirects to it.
#[utoipa::path(
    get,
    path = "/oidc/connexion",
    tag = "droits",
    security(()),
    responses(
        (status = 302, description = "Redirection vers le fournisseur d'identité"),
        (status = 404, description = "Aucun fournisseur configuré", body = Problem, content_type = "application/problem+json"),
    )
)]
async fn oidc_connexion(
    State(state): State<AppState>,
) -> Result<(StatusCode, HeaderMap), ApiError> {
    let oidc = state
        .oidc()
        .ok_or(DroitsError::Oidc(OidcError::NonConfigure))?;
    let depart = oidc.depart().await.map_err(DroitsError::Oidc)?;
    let mut headers = HeaderMap::new();
    if let Ok(location) = HeaderValue::from_str(&depart.url) {
        headers.insert(header::LOCATION, location);
    }
    // SameSite=Lax: the provider sends the browser back with a top-level GET.
    let cookie = format!(
        "{OIDC_COOKIE}={}; Path=/api/v1/droits/oidc; HttpOnly; Secure; SameSite=Lax; Max-Age=600",
        depart.cookie
    );
    if let Ok(value) = HeaderValue::from_str(&cookie) {
        headers.insert(header::SET_COOKIE, value);
    }
    Ok((StatusCode::FOUND, headers))
}

/// What the provider sends back.
#[derive(Debug, Deserialize, Validate, IntoParams)]
#[into_params(parameter_in = Query)]
struct Retour {
    /// The authorization code.
    code: String,
    /// The state of the login.
    state: String,
}

/// Return from the OpenID Connect provider: opens a session for the agent.
#[utoipa::path(
    get,
    path = "/oidc/retour",
    tag = "droits",
    security(()),
    params(Retour),
    responses(
        (status = 200, description = "Session ouverte", body = Session),
        (status = 400, description = "Retour inattendu (état différent)", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Jeton d'identité refusé", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Aucun compte d'agent pour cette identité", body = Problem, content_type = "application/problem+json"),
    )
)]
async fn oidc_retour(
    State(state): State<AppState>,
    request_headers: HeaderMap,
    crate::http::Query(retour): crate::http::Query<Retour>,
) -> Result<(HeaderMap, Json<Session>), ApiError> {
    let oidc = state
        .oidc()
        .ok_or(DroitsError::Oidc(OidcError::NonConfigure))?;
    let cookie = super::auth::cookie(&request_headers, OIDC_COOKIE);
    let identite = oidc
        .retour(cookie.as_deref(), &retour.code, &retour.state)
        .await
        .map_err(DroitsError::Oidc)?;
    let agent = service::agent_oidc(state.db(), &identite).await?;
    let (token, session) = service::ouvrir_session(state.db(), &agent, state.clock().now()).await?;
    let connexion = journal::Evenement {
        acteur: journal::Acteur::Agent(agent.id),
        collectivite_id: None,
        action: "connexion",
        objet_type: "droits.session",
        objet_id: session.id.to_string(),
        motif: None,
        details: Some(serde_json::json!({ "methode": "oidc" })),
    };
    journal::consigner_seul(state.db(), connexion, state.clock().now()).await?;
    let mut headers = HeaderMap::new();
    let cookies = [
        format!(
            "{SESSION_COOKIE}={token}; Path=/; HttpOnly; Secure; SameSite=Strict; Max-Age={}",
            service::SESSION_DURATION.num_seconds()
        ),
        format!(
            "{OIDC_COOKIE}=; Path=/api/v1/droits/oidc; HttpOnly; Secure; SameSite=Lax; Max-Age=0"
        ),
    ];
    for cookie in cookies {
        if let Ok(value) = HeaderValue::from_str(&cookie) {
            headers.append(header::SET_COOKIE, value);
        }
    }
    Ok((
        headers,
        Json(Session {
            jeton: token,
            expire_le: session.expire_le,
            agent: agent.into(),
        }),
    ))
}
