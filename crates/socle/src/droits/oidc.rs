//! OpenID Connect login for agents (optional).
//!
//! When the server is given an identity provider (`SOCLE_OIDC_ISSUER`, `SOCLE_OIDC_CLIENT_ID`,
//! `SOCLE_OIDC_CLIENT_SECRET`, `SOCLE_OIDC_REDIRECT_URI`), an agent can log in through it with
//! the authorization-code flow and PKCE:
//!
//! 1. `GET /api/v1/droits/oidc/connexion` redirects to the provider, with a random `state`,
//!    `nonce` and PKCE challenge kept in an HttpOnly cookie (no server-side state: any instance
//!    can take the return);
//! 2. `GET /api/v1/droits/oidc/retour?code=…&state=…` checks the state against the cookie,
//!    exchanges the code, validates the ID token (signature — RS256/ES256 through the
//!    provider's JWKS, or HS256 with the client secret —, issuer, audience, expiry, nonce) and
//!    opens a Socle session for the agent whose account carries that identity.
//!
//! Accounts are never created by a login: an agent logs in only if an administrator created its
//! account. The first login links the provider's subject (`sub`) to the account whose
//! identifiant equals `preferred_username`; later logins go by `sub` alone.

use std::sync::Arc;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use jsonwebtoken::{Algorithm, DecodingKey, Validation, decode, decode_header};
use serde::Deserialize;
use sha2::{Digest, Sha256};
use tokio::sync::OnceCell;

use super::secret;

/// Name of the cookie that carries the state of a login in progress.
pub const OIDC_COOKIE: &str = "socle_oidc";

/// How the server talks to the identity provider.
#[derive(Clone)]
pub struct OidcConfig {
    /// The provider's issuer URL (its discovery document is under
    /// `/.well-known/openid-configuration`).
    pub issuer: String,
    /// Socle's client id at the provider.
    pub client_id: String,
    /// Socle's client secret at the provider.
    pub client_secret: String,
    /// Where the provider sends the agent back: `…/api/v1/droits/oidc/retour`.
    pub redirect_uri: String,
}

impl std::fmt::Debug for OidcConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OidcConfig")
            .field("issuer", &self.issuer)
            .field("client_id", &self.client_id)
            .field("client_secret", &"***")
            .field("redirect_uri", &self.redirect_uri)
            .finish()
    }
}

/// Why an OpenID Connect login failed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum OidcError {
    /// The server has no identity provider configured.
    #[error("la connexion par fournisseur d'identité n'est pas configurée sur ce serveur")]
    NonConfigure,
    /// The return does not match the login started in this browser.
    #[error(
        "le retour du fournisseur d'identité ne correspond à aucune connexion en cours ; recommencez"
    )]
    EtatInvalide,
    /// The provider could not be reached or answered wrongly.
    #[error("le fournisseur d'identité ne répond pas correctement : {0}")]
    Fournisseur(String),
    /// The ID token is invalid (signature, issuer, audience, expiry or nonce).
    #[error("jeton d'identité refusé : {0}")]
    JetonIdentite(String),
    /// No agent account carries this identity.
    #[error(
        "aucun compte d'agent ne correspond à l'identité « {0} » ; demandez à l'administrateur de le créer"
    )]
    AgentInconnu(String),
}

#[derive(Debug, Deserialize)]
struct Discovery {
    authorization_endpoint: String,
    token_endpoint: String,
    jwks_uri: Option<String>,
    /// The algorithms the provider signs ID tokens with; RS256 when it does not say.
    #[serde(default)]
    id_token_signing_alg_values_supported: Vec<String>,
}

/// The identity provider, with its discovery document fetched once.
#[derive(Debug)]
pub struct Oidc {
    config: OidcConfig,
    http: reqwest::Client,
    discovery: OnceCell<Discovery>,
}

/// A login started: the redirection to follow and the cookie to set.
pub struct Depart {
    /// The provider's authorization URL.
    pub url: String,
    /// The value of the [`OIDC_COOKIE`] cookie.
    pub cookie: String,
}

impl std::fmt::Debug for Depart {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Depart")
            .field("url", &self.url)
            .field("cookie", &"***")
            .finish()
    }
}

/// The identity the provider vouches for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Identite {
    /// The provider's stable subject.
    pub sub: String,
    /// The login the provider suggests.
    pub preferred_username: Option<String>,
}

#[derive(Debug, Deserialize)]
struct Claims {
    sub: String,
    nonce: Option<String>,
    preferred_username: Option<String>,
}

#[derive(Debug, Deserialize)]
struct TokenResponse {
    id_token: String,
}

fn random_hex() -> Result<String, OidcError> {
    secret::new_token("").map_err(|e| OidcError::Fournisseur(e.to_string()))
}

impl Oidc {
    /// A provider client for `config`.
    #[must_use]
    pub fn new(config: OidcConfig) -> Arc<Self> {
        Arc::new(Self {
            config,
            http: reqwest::Client::new(),
            discovery: OnceCell::new(),
        })
    }

    async fn discovery(&self) -> Result<&Discovery, OidcError> {
        self.discovery
            .get_or_try_init(|| async {
                let url = format!(
                    "{}/.well-known/openid-configuration",
                    self.config.issuer.trim_end_matches('/')
                );
                self.http
                    .get(url)
                    .send()
                    .await
                    .and_then(reqwest::Response::error_for_status)
                    .map_err(|e| OidcError::Fournisseur(e.to_string()))?
                    .json::<Discovery>()
                    .await
                    .map_err(|e| OidcError::Fournisseur(e.to_string()))
            })
            .await
    }

    /// Starts a login: where to send the agent, and the cookie that remembers the login.
    ///
    /// # Errors
    /// The provider's discovery document cannot be fetched.
    pub async fn depart(&self) -> Result<Depart, OidcError> {
        let discovery = self.discovery().await?;
        let (state, nonce, verifier) = (random_hex()?, random_hex()?, random_hex()?);
        let challenge = URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes()));
        let mut url = url::Url::parse(&discovery.authorization_endpoint)
            .map_err(|e| OidcError::Fournisseur(e.to_string()))?;
        url.query_pairs_mut()
            .append_pair("response_type", "code")
            .append_pair("client_id", &self.config.client_id)
            .append_pair("redirect_uri", &self.config.redirect_uri)
            .append_pair("scope", "openid profile")
            .append_pair("state", &state)
            .append_pair("nonce", &nonce)
            .append_pair("code_challenge", &challenge)
            .append_pair("code_challenge_method", "S256");
        Ok(Depart {
            url: url.into(),
            cookie: format!("{state}.{nonce}.{verifier}"),
        })
    }

    /// Finishes a login: checks `state` against the cookie, exchanges `code`, validates the ID
    /// token.
    ///
    /// # Errors
    /// A state that does not match, a provider that fails, an invalid ID token.
    pub async fn retour(
        &self,
        cookie: Option<&str>,
        code: &str,
        state: &str,
    ) -> Result<Identite, OidcError> {
        let mut parts = cookie.unwrap_or_default().split('.');
        let (Some(expected_state), Some(nonce), Some(verifier)) =
            (parts.next(), parts.next(), parts.next())
        else {
            return Err(OidcError::EtatInvalide);
        };
        if expected_state.is_empty() || expected_state != state {
            return Err(OidcError::EtatInvalide);
        }
        let discovery = self.discovery().await?;
        let response = self
            .http
            .post(&discovery.token_endpoint)
            .form(&[
                ("grant_type", "authorization_code"),
                ("code", code),
                ("redirect_uri", &self.config.redirect_uri),
                ("client_id", &self.config.client_id),
                ("client_secret", &self.config.client_secret),
                ("code_verifier", verifier),
            ])
            .send()
            .await
            .and_then(reqwest::Response::error_for_status)
            .map_err(|e| OidcError::Fournisseur(e.to_string()))?
            .json::<TokenResponse>()
            .await
            .map_err(|e| OidcError::Fournisseur(e.to_string()))?;
        let claims = self.validate(&response.id_token, discovery).await?;
        if claims.nonce.as_deref() != Some(nonce) {
            return Err(OidcError::JetonIdentite(
                "nonce différent de celui de la connexion".into(),
            ));
        }
        Ok(Identite {
            sub: claims.sub,
            preferred_username: claims.preferred_username,
        })
    }

    async fn validate(&self, id_token: &str, discovery: &Discovery) -> Result<Claims, OidcError> {
        let refuse = |e: jsonwebtoken::errors::Error| OidcError::JetonIdentite(e.to_string());
        let header = decode_header(id_token).map_err(refuse)?;
        // Only the algorithms the provider announces: a token cannot choose to be checked
        // with the client secret when the provider signs with its private key.
        let announced = &discovery.id_token_signing_alg_values_supported;
        let alg_name = format!("{:?}", header.alg);
        let allowed = if announced.is_empty() {
            header.alg == Algorithm::RS256
        } else {
            announced.contains(&alg_name)
        };
        if !allowed {
            return Err(OidcError::JetonIdentite(format!(
                "algorithme {alg_name} non annoncé par le fournisseur"
            )));
        }
        let key = match header.alg {
            Algorithm::HS256 | Algorithm::HS384 | Algorithm::HS512 => {
                DecodingKey::from_secret(self.config.client_secret.as_bytes())
            }
            _ => {
                let jwks_uri = discovery
                    .jwks_uri
                    .as_deref()
                    .ok_or_else(|| OidcError::Fournisseur("pas de jwks_uri".into()))?;
                let jwks: jsonwebtoken::jwk::JwkSet = self
                    .http
                    .get(jwks_uri)
                    .send()
                    .await
                    .and_then(reqwest::Response::error_for_status)
                    .map_err(|e| OidcError::Fournisseur(e.to_string()))?
                    .json()
                    .await
                    .map_err(|e| OidcError::Fournisseur(e.to_string()))?;
                let jwk = match header.kid.as_deref() {
                    Some(kid) => jwks.find(kid),
                    None => jwks.keys.first(),
                }
                .ok_or_else(|| OidcError::JetonIdentite("clé de signature inconnue".into()))?;
                DecodingKey::from_jwk(jwk).map_err(refuse)?
            }
        };
        let mut validation = Validation::new(header.alg);
        validation.set_audience(&[&self.config.client_id]);
        validation.set_issuer(&[&self.config.issuer]);
        validation.set_required_spec_claims(&["exp", "iss", "aud", "sub"]);
        decode::<Claims>(id_token, &key, &validation)
            .map(|data| data.claims)
            .map_err(refuse)
    }
}
