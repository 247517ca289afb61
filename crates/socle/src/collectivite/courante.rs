//! Which collectivité a request acts for.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use utoipa::IntoParams;
use utoipa::openapi::path::{Parameter, ParameterBuilder, ParameterIn};
use utoipa::openapi::{Object, Required, Type};
use uuid::Uuid;

use super::{entity, service};
use crate::http::{ApiError, AppState};

/// Request header naming the collectivité (its code or its id).
pub const HEADER: &str = "x-collectivite";

/// The collectivité a request acts for: every query of a handler that takes it is scoped to it.
///
/// Taken from the `X-Collectivite` header (COG code, SIREN or id); without the header, the
/// server's default collectivité (`SOCLE_COLLECTIVITE`), if it has one. List it in a route's
/// `params(…)` to document the header in OpenAPI.
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

impl FromRequestParts<AppState> for CollectiviteCourante {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let header = parts
            .headers
            .get(HEADER)
            .map(|v| {
                v.to_str().map_err(|_| {
                    ApiError::bad_request(
                        "collectivite-invalide",
                        "L'en-tête X-Collectivite doit contenir un code ou un identifiant.",
                    )
                })
            })
            .transpose()?;
        let Some(reference) = header.or(state.default_collectivite()) else {
            return Err(ApiError::bad_request(
                "collectivite-requise",
                "Précisez la collectivité dans l'en-tête X-Collectivite (code INSEE, SIREN ou identifiant) ; un serveur qui n'en héberge qu'une peut la fixer avec SOCLE_COLLECTIVITE.",
            ));
        };
        service::find(state.db(), reference)
            .await?
            .map(Self::from)
            .ok_or_else(|| ApiError::not_found(&format!("Collectivité « {reference} »")))
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
