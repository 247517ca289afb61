//! Answering an edition over HTTP: the format asked for, the response, the journal entry, and
//! the problem+json of each failure.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use utoipa::IntoParams;
use utoipa::openapi::path::{Parameter, ParameterBuilder, ParameterIn};
use utoipa::openapi::{ObjectBuilder, Required, Type};
use uuid::Uuid;

use super::modele::ErreurModele;
use super::service::{self, Edition, EditionError, Rendu};
use crate::droits::Auth;
use crate::http::{ApiError, AppState, FieldError};
use crate::journal::Evenement;

/// The format of a rendered edition.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// A PDF document (A4, fonts embedded).
    Pdf,
    /// An HTML page.
    Html,
}

impl Format {
    /// `pdf` or `html`.
    #[must_use]
    pub fn code(self) -> &'static str {
        match self {
            Self::Pdf => "pdf",
            Self::Html => "html",
        }
    }
}

/// The format a request asks for: `?format=pdf` or `?format=html`, else the first of
/// `application/pdf` and `text/html` its `Accept` header names, else PDF. Take it as an
/// extractor and list it in the route's `params(…)` to document `format`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FormatEdition(pub Format);

impl<S: Send + Sync> FromRequestParts<S> for FormatEdition {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, ApiError> {
        let demande = parts.uri.query().and_then(|q| {
            form_urlencoded::parse(q.as_bytes())
                .find(|(nom, _)| nom == "format")
                .map(|(_, valeur)| valeur.into_owned())
        });
        if let Some(demande) = demande {
            return match demande.trim().to_ascii_lowercase().as_str() {
                "pdf" => Ok(Self(Format::Pdf)),
                "html" => Ok(Self(Format::Html)),
                _ => Err(ApiError::bad_request(
                    "parametre-invalide",
                    format!("Le paramètre « format » vaut « pdf » ou « html », pas « {demande} »."),
                )
                .with_field_errors(vec![FieldError::new(
                    "format",
                    "valeur",
                    "valeurs possibles : pdf, html",
                )])),
            };
        }
        let accepte = parts
            .headers
            .get(header::ACCEPT)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default();
        let premier = accepte
            .split(',')
            .map(|t| t.split(';').next().unwrap_or_default().trim())
            .find_map(|t| match t {
                "application/pdf" => Some(Format::Pdf),
                "text/html" => Some(Format::Html),
                _ => None,
            });
        Ok(Self(premier.unwrap_or(Format::Pdf)))
    }
}

impl IntoParams for FormatEdition {
    fn into_params(_: impl Fn() -> Option<ParameterIn>) -> Vec<Parameter> {
        vec![
            ParameterBuilder::new()
                .name("format")
                .parameter_in(ParameterIn::Query)
                .required(Required::False)
                .description(Some(
                    "pdf ou html ; sans lui, l'en-tête Accept (application/pdf ou text/html), sinon pdf",
                ))
                .schema(Some(
                    ObjectBuilder::new()
                        .schema_type(Type::String)
                        .enum_values(Some(["pdf", "html"])),
                ))
                .build(),
        ]
    }
}

/// An HTML edition as a response: not cached (it holds personal data), and unable to run
/// scripts or load anything but its inline images and styles, whatever its template says.
#[must_use]
pub fn reponse_html(rendu: Rendu) -> Response {
    let mut reponse = (StatusCode::OK, rendu.html).into_response();
    let entetes = reponse.headers_mut();
    entetes.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    entetes.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(
            "default-src 'none'; img-src data:; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
        ),
    );
    entetes.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    entetes.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    reponse
}

/// A PDF edition as a response, shown in the browser and saved as `<nom_fichier>.pdf`.
#[must_use]
pub fn reponse_pdf(rendu: &Rendu, octets: Vec<u8>) -> Response {
    let mut reponse = (StatusCode::OK, octets).into_response();
    let entetes = reponse.headers_mut();
    entetes.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/pdf"),
    );
    let nom: String = rendu
        .nom_fichier
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
        .collect();
    if let Ok(disposition) = HeaderValue::from_str(&format!("inline; filename=\"{nom}.pdf\"")) {
        entetes.insert(header::CONTENT_DISPOSITION, disposition);
    }
    entetes.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    entetes.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    reponse
}

/// Renders `edition` for a collectivité in `format` and answers it: what a module's route
/// returns.
///
/// # Errors
/// The failure as problem+json (see [`EditionError`]'s conversion).
pub async fn repondre(
    state: &AppState,
    collectivite_id: Uuid,
    edition: &Edition,
    format: Format,
) -> Result<Response, ApiError> {
    Ok(match format {
        Format::Html => reponse_html(service::rendre(state, collectivite_id, edition).await?),
        Format::Pdf => {
            let (rendu, octets) = service::rendre_pdf(state, collectivite_id, edition).await?;
            reponse_pdf(&rendu, octets)
        }
    })
}

/// Journals that the caller edited a document about a record (`objet_type`, `objet_id`): action
/// `edition`, with the template and the format.
///
/// # Errors
/// A database failure.
pub async fn journaliser(
    state: &AppState,
    auth: &Auth,
    objet_type: &'static str,
    objet_id: impl ToString,
    edition: &Edition,
    format: Format,
) -> Result<(), sea_orm::DbErr> {
    let evenement = Evenement::par(auth, "edition", objet_type, objet_id)
        .avec(serde_json::json!({"modele": edition.nom_complet(), "format": format.code()}));
    state
        .journal()
        .consigner(state.db(), evenement, state.clock().now())
        .await
}

/// Answers an edition about a record and journals it: what a module's edition route does
/// ([`repondre`] then [`journaliser`]).
///
/// # Errors
/// As [`repondre`]; a database failure journaling it.
pub async fn delivrer(
    state: &AppState,
    auth: &Auth,
    collectivite_id: Uuid,
    (objet_type, objet_id): (&'static str, Uuid),
    edition: &Edition,
    format: Format,
) -> Result<Response, ApiError> {
    let reponse = repondre(state, collectivite_id, edition, format).await?;
    journaliser(state, auth, objet_type, objet_id, edition, format).await?;
    Ok(reponse)
}

impl From<ErreurModele> for ApiError {
    fn from(erreur: ErreurModele) -> Self {
        let detail = erreur.to_string();
        match &erreur {
            ErreurModele::Syntaxe { .. } => Self::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "modele-invalide",
                "Modèle invalide",
                format!("Le modèle ne peut pas être compilé : {detail}."),
            )
            // The detail of the field starts with « ligne N : » when the line is known.
            .with_field_errors(vec![FieldError::new("source", "syntaxe", detail)]),
            ErreurModele::ChampManquant { .. } => Self::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "champ-de-fusion-manquant",
                "Champ de fusion manquant",
                format!("Édition impossible : {detail}."),
            ),
            ErreurModele::Rendu { .. } => Self::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "edition-impossible",
                "Édition impossible",
                format!("Édition impossible : {detail}."),
            ),
        }
    }
}

impl From<EditionError> for ApiError {
    fn from(erreur: EditionError) -> Self {
        match erreur {
            EditionError::ModeleInconnu { module, nom } => {
                Self::not_found(&format!("Modèle d'édition « {module}/{nom} »"))
            }
            EditionError::Modele(e) => e.into(),
            EditionError::LogoInvalide(motif) => Self::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "logo-invalide",
                "Logo refusé",
                format!("Logo refusé : {motif}."),
            ),
            EditionError::Pdf(super::pdf::PdfError::Image(motif)) => Self::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "edition-impossible",
                "Édition impossible",
                format!("Édition impossible : une image du modèle est illisible ({motif})."),
            ),
            EditionError::Db(e) => e.into(),
            autre @ (EditionError::Pdf(_) | EditionError::Tache(_)) => Self::internal(autre),
        }
    }
}
