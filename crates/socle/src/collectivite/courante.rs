//! Which collectivité a request acts for.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use utoipa::IntoParams;
use utoipa::openapi::path::{Parameter, ParameterBuilder, ParameterIn};
use utoipa::openapi::{Object, Required, Type};
use uuid::Uuid;

use super::entity;
use crate::droits::Auth;
use crate::http::ApiError;

/// Request header naming the collectivité (its code or its id).
pub const HEADER: &str = "x-collectivite";

/// The collectivité a request acts for: every query of a handler that takes it is scoped to it.
///
/// For an API token, its own collectivité; for an agent, the one the `X-Collectivite` header
/// names (COG code, SIREN or id) or else the server's default (`SOCLE_COLLECTIVITE`), provided
/// the agent holds a role there. The guard resolves it; list it in a route's `params(…)` to
/// document the header in OpenAPI.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CollectiviteCourante {
    /// Its id; every domain table's `collectivite_id`.
    pub id: Uuid,
    /// Its COG code or SIREN.
    pub code: String,
    /// Its name.
    pub nom: String,
}

impl From<entity::Model> for CollectiviteCourante {
    fn from(model: entity::Model) -> Self {
        Self {
            id: model.id,
            code: model.code,
            nom: model.nom,
        }
    }
}

impl<S: Send + Sync> FromRequestParts<S> for CollectiviteCourante {
    type Rejection = ApiError;

    /// The collectivité the guard resolved for this request (see [`crate::droits::guard`]).
    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ApiError> {
        let auth = Auth::from_request_parts(parts, state).await?;
        auth.collectivite.ok_or_else(|| {
            ApiError::bad_request(
                "collectivite-requise",
                "Précisez la collectivité dans l'en-tête X-Collectivite (code INSEE, SIREN ou identifiant) ; un serveur qui n'en héberge qu'une peut la fixer avec SOCLE_COLLECTIVITE.",
            )
        })
    }
}

impl IntoParams for CollectiviteCourante {
    fn into_params(_: impl Fn() -> Option<ParameterIn>) -> Vec<Parameter> {
        vec![
            ParameterBuilder::new()
                .name("X-Collectivite")
                .parameter_in(ParameterIn::Header)
                .required(Required::False)
                .description(Some(
                    "Code INSEE, SIREN ou identifiant de la collectivité ; facultatif si le serveur a une collectivité par défaut",
                ))
                .schema(Some(Object::with_type(Type::String)))
                .example(Some(serde_json::json!("54084")))
                .build(),
        ]
    }
}
