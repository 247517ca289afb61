//! Which collectivité a request acts for.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use sea_orm::{EntityTrait, QuerySelect};
use uuid::Uuid;

use super::{entity, service};
use crate::http::{ApiError, AppState};

/// Request header naming the collectivité (its code or its id).
pub const HEADER: &str = "x-collectivite";

/// The collectivité a request acts for: every query of a handler that takes it is scoped to it.
///
/// Taken from the `X-Collectivite` header (COG code, SIREN or id). A server that hosts a single
/// collectivité needs no header.
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
        let db = state.db();
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
        if let Some(reference) = header {
            return service::find(db, reference)
                .await?
                .map(Self::from)
                .ok_or_else(|| {
                    ApiError::not_found(&format!("La collectivité « {reference} » est"))
                });
        }
        // A server hosting a single collectivité needs no header.
        let mut first_two = entity::Entity::find().limit(2).all(db).await?;
        if let (Some(only), None) = (first_two.pop(), first_two.pop()) {
            return Ok(only.into());
        }
        Err(ApiError::bad_request(
            "collectivite-requise",
            "Ce serveur héberge plusieurs collectivités (ou aucune) : précisez laquelle dans l'en-tête X-Collectivite (code INSEE, SIREN ou identifiant).",
        ))
    }
}
