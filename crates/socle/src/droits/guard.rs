//! The guard: one place that enforces who may call which route.
//!
//! Each route declares its access in its OpenAPI description, with the `security` attribute of
//! `#[utoipa::path]`:
//!
//! - `security(())`: public (only `/health` is);
//! - `security(("jeton" = []))`: any authenticated caller;
//! - `security(("jeton" = ["cimetiere.concession.vendre"]))`: callers holding that permission
//!   in the request's collectivité.
//!
//! [`AccessMap::from_openapi`] reads these declarations from the assembled document — a route
//! without one, or naming a permission no module declares, stops the start-up — and [`guard`]
//! applies them to every request. What the documentation says is therefore exactly what is
//! enforced.

use std::collections::{BTreeSet, HashMap};
use std::sync::Arc;

use axum::extract::{MatchedPath, Request, State};
use axum::http::{Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use utoipa::openapi::OpenApi;

use super::auth::authenticate;
use crate::http::{ApiError, AppState};
use crate::module::{ModuleError, ModuleRegistry};

/// Name of the OpenAPI security scheme of Socle tokens.
pub const SECURITY_SCHEME: &str = "jeton";

/// Who may call a route.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Access {
    /// Anyone.
    Public,
    /// Any authenticated caller.
    Authenticated,
    /// Callers holding every one of these permissions.
    Permissions(Vec<String>),
}

/// The access of every route, by method and path template.
#[derive(Debug, Clone, Default)]
pub struct AccessMap {
    routes: HashMap<(Method, String), Access>,
}

impl AccessMap {
    /// Reads each operation's `security` declaration.
    ///
    /// # Errors
    /// [`ModuleError::UndeclaredAccess`] for an operation without one,
    /// [`ModuleError::UnknownPermission`] for a permission no module of `registry` declares.
    pub fn from_openapi(openapi: &OpenApi, registry: &ModuleRegistry) -> Result<Self, ModuleError> {
        let declared: BTreeSet<&str> = registry
            .iter()
            .flat_map(|m| m.permissions().iter().map(|p| p.action))
            .collect();
        let document = serde_json::to_value(openapi).unwrap_or_default();
        let mut routes = HashMap::new();
        let Some(paths) = document.get("paths").and_then(|p| p.as_object()) else {
            return Ok(Self { routes });
        };
        for (path, item) in paths {
            let Some(item) = item.as_object() else {
                continue;
            };
            for (method, operation) in item {
                let Ok(method) = method.to_uppercase().parse::<Method>() else {
                    continue;
                };
                let undeclared = || ModuleError::UndeclaredAccess {
                    method: method.to_string(),
                    path: path.clone(),
                };
                let requirements = operation
                    .get("security")
                    .and_then(|s| s.as_array())
                    .ok_or_else(undeclared)?;
                let access = match requirements.as_slice() {
                    [only] if only.as_object().is_some_and(serde_json::Map::is_empty) => {
                        Access::Public
                    }
                    [only] => {
                        let scopes = only
                            .get(SECURITY_SCHEME)
                            .and_then(|s| s.as_array())
                            .ok_or_else(undeclared)?;
                        let actions: Vec<String> = scopes
                            .iter()
                            .filter_map(|s| s.as_str().map(str::to_owned))
                            .collect();
                        if let Some(unknown) =
                            actions.iter().find(|a| !declared.contains(a.as_str()))
                        {
                            return Err(ModuleError::UnknownPermission {
                                path: path.clone(),
                                action: unknown.clone(),
                            });
                        }
                        if actions.is_empty() {
                            Access::Authenticated
                        } else {
                            Access::Permissions(actions)
                        }
                    }
                    _ => return Err(undeclared()),
                };
                routes.insert((method, path.clone()), access);
            }
        }
        Ok(Self { routes })
    }

    /// The access of a route, if the document declares it.
    #[must_use]
    pub fn access(&self, method: &Method, path: &str) -> Option<&Access> {
        let method = if method == Method::HEAD {
            &Method::GET
        } else {
            method
        };
        self.routes.get(&(method.clone(), path.to_owned()))
    }

    /// Every route with its access, for tests that walk them all.
    pub fn iter(&self) -> impl Iterator<Item = (&Method, &str, &Access)> {
        self.routes.iter().map(|((m, p), a)| (m, p.as_str(), a))
    }
}

/// What the guard middleware needs.
#[derive(Debug, Clone)]
pub struct Guard {
    /// The application state (database, clock, registry).
    pub state: AppState,
    /// The access of every route.
    pub access: Arc<AccessMap>,
}

/// 403: the caller lacks `action` in this collectivité.
pub(crate) fn interdit(action: &str) -> ApiError {
    ApiError::new(
        StatusCode::FORBIDDEN,
        "droit-insuffisant",
        "Droit insuffisant",
        format!(
            "Cette action demande la permission « {action} », que vous n'avez pas dans cette collectivité."
        ),
    )
}

/// The middleware: authenticates the caller, resolves the collectivité and checks the route's
/// permissions, then hands the [`super::Auth`] to the handler through the request extensions.
pub async fn guard(State(guard): State<Guard>, mut request: Request, next: Next) -> Response {
    let path = request
        .extensions()
        .get::<MatchedPath>()
        .map(|m| m.as_str().to_owned())
        .unwrap_or_default();
    // A route the document does not declare (mounted around the OpenAPI router) is refused:
    // the guard fails closed.
    let Some(access) = guard.access.access(request.method(), &path).cloned() else {
        return ApiError::new(
            StatusCode::FORBIDDEN,
            "route-non-declaree",
            "Route non déclarée",
            "Cette route ne déclare pas qui peut l'appeler ; elle est refusée.",
        )
        .into_response();
    };
    if access == Access::Public {
        return next.run(request).await;
    }
    let auth = match authenticate(&guard.state, request.headers()).await {
        Ok(auth) => auth,
        Err(err) => return err.into_response(),
    };
    if let Access::Permissions(actions) = &access {
        if auth.collectivite.is_none() && !auth.est_administrateur() {
            return ApiError::bad_request(
                "collectivite-requise",
                "Précisez la collectivité dans l'en-tête X-Collectivite (code INSEE, SIREN ou identifiant).",
            )
            .into_response();
        }
        if let Some(missing) = actions.iter().find(|a| !auth.peut(a)) {
            return interdit(missing).into_response();
        }
    }
    request.extensions_mut().insert(auth);
    next.run(request).await
}
