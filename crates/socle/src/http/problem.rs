//! RFC 9457 problem details: the one error format of the API.

use std::borrow::Cow;
use std::collections::HashMap;

use axum::http::{HeaderName, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use sea_orm::{DbErr, SqlErr};
use serde::Serialize;
use utoipa::ToSchema;
use validator::{ValidationError, ValidationErrors, ValidationErrorsKind};

/// The body of every error response (`application/problem+json`, RFC 9457).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Problem {
    /// URI naming the kind of problem: `urn:socle:erreur:<code>`.
    #[serde(rename = "type")]
    pub type_uri: String,
    /// Short title of the kind of problem, in French.
    pub title: String,
    /// HTTP status code.
    pub status: u16,
    /// Stable machine-readable code; clients branch on it, never on the text.
    pub code: String,
    /// What went wrong in this case, in French, for the agent or the citizen.
    pub detail: String,
    /// For invalid input: each field in error and why.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<FieldError>,
}

/// One invalid field of a request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct FieldError {
    /// Path of the field in the request body, e.g. `adresse.code_postal` or `lignes[2].nom`.
    pub field: String,
    /// Stable code of the rule broken (`obligatoire`, `longueur`, `format`, `type`…).
    pub code: String,
    /// Why, in French.
    pub detail: String,
}

impl FieldError {
    /// A field error.
    #[must_use]
    pub fn new(
        field: impl Into<String>,
        code: impl Into<String>,
        detail: impl Into<String>,
    ) -> Self {
        Self {
            field: field.into(),
            code: code.into(),
            detail: detail.into(),
        }
    }
}

/// An error answered to an API client as problem+json.
///
/// Build it with the named constructors; domain errors of each module convert into it. A 5xx
/// keeps its cause for the logs and shows the client only a generic French sentence.
#[derive(Debug)]
pub struct ApiError {
    inner: Box<Inner>,
}

#[derive(Debug)]
struct Inner {
    status: StatusCode,
    code: Cow<'static, str>,
    title: &'static str,
    detail: String,
    errors: Vec<FieldError>,
    internal: Option<String>,
    headers: Vec<(HeaderName, String)>,
}

impl ApiError {
    /// Any error: status, stable code, French title and detail.
    #[must_use]
    pub fn new(
        status: StatusCode,
        code: impl Into<Cow<'static, str>>,
        title: &'static str,
        detail: impl Into<String>,
    ) -> Self {
        Self {
            inner: Box::new(Inner {
                status,
                code: code.into(),
                title,
                detail: detail.into(),
                errors: Vec::new(),
                internal: None,
                headers: Vec::new(),
            }),
        }
    }

    /// 422: the request is well-formed but some fields are invalid.
    #[must_use]
    pub fn validation(errors: Vec<FieldError>) -> Self {
        let detail = match errors.as_slice() {
            [one] => format!("Le champ « {} » est invalide : {}.", one.field, one.detail),
            _ => format!("{} champs sont invalides.", errors.len()),
        };
        Self::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation",
            "Données invalides",
            detail,
        )
        .with_field_errors(errors)
    }

    /// 400: the request cannot be understood.
    #[must_use]
    pub fn bad_request(code: impl Into<Cow<'static, str>>, detail: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, code, "Requête incorrecte", detail)
    }

    /// 404: no such record (or not visible to the caller). `what` names it, e.g.
    /// « Cimetière » or « Collectivité « 54084 » »; the detail reads « `what` : introuvable. ».
    #[must_use]
    pub fn not_found(what: &str) -> Self {
        Self::new(
            StatusCode::NOT_FOUND,
            "introuvable",
            "Ressource introuvable",
            format!("{what} : introuvable."),
        )
    }

    /// 409: the request conflicts with the current state of the records.
    #[must_use]
    pub fn conflict(code: impl Into<Cow<'static, str>>, detail: impl Into<String>) -> Self {
        Self::new(StatusCode::CONFLICT, code, "Conflit", detail)
    }

    /// 500: something failed on the server. `cause` goes to the logs only.
    #[must_use]
    pub fn internal(cause: impl std::fmt::Display) -> Self {
        let mut err = Self::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "erreur-interne",
            "Erreur interne",
            "Une erreur interne est survenue ; elle a été consignée dans le journal du serveur.",
        );
        err.inner.internal = Some(cause.to_string());
        err
    }

    /// The same error, listing the fields at fault.
    #[must_use]
    pub fn with_field_errors(mut self, errors: Vec<FieldError>) -> Self {
        self.inner.errors = errors;
        self
    }

    /// The same error with a response header (e.g. `Retry-After`).
    #[must_use]
    pub fn with_header(mut self, name: HeaderName, value: String) -> Self {
        self.inner.headers.push((name, value));
        self
    }

    /// The HTTP status.
    #[must_use]
    pub fn status(&self) -> StatusCode {
        self.inner.status
    }

    /// The stable code.
    #[must_use]
    pub fn code(&self) -> &str {
        &self.inner.code
    }

    /// The French detail.
    #[must_use]
    pub fn detail(&self) -> &str {
        &self.inner.detail
    }

    /// The invalid fields, if any.
    #[must_use]
    pub fn field_errors(&self) -> &[FieldError] {
        &self.inner.errors
    }

    /// The response body.
    #[must_use]
    pub fn problem(&self) -> Problem {
        Problem {
            type_uri: format!("urn:socle:erreur:{}", self.inner.code),
            title: self.inner.title.to_owned(),
            status: self.inner.status.as_u16(),
            code: self.inner.code.to_string(),
            detail: self.inner.detail.clone(),
            errors: self.inner.errors.clone(),
        }
    }
}

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} {}: {}",
            self.inner.status.as_u16(),
            self.inner.code,
            self.inner.detail
        )
    }
}

impl std::error::Error for ApiError {}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        if let Some(cause) = &self.inner.internal {
            tracing::error!(code = %self.inner.code, %cause, "request failed");
        } else {
            tracing::debug!(status = self.inner.status.as_u16(), code = %self.inner.code, "request refused");
        }
        let mut response = (self.inner.status, axum::Json(self.problem())).into_response();
        response.headers_mut().insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/problem+json"),
        );
        for (name, value) in self.inner.headers {
            if let Ok(value) = HeaderValue::from_str(&value) {
                response.headers_mut().insert(name, value);
            }
        }
        if self.inner.status == StatusCode::UNAUTHORIZED {
            response
                .headers_mut()
                .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
        }
        response
    }
}

impl From<DbErr> for ApiError {
    fn from(err: DbErr) -> Self {
        match err.sql_err() {
            Some(SqlErr::UniqueConstraintViolation(_)) => Self::conflict(
                "doublon",
                "Un enregistrement portant les mêmes références existe déjà.",
            ),
            Some(SqlErr::ForeignKeyConstraintViolation(_)) => Self::conflict(
                "reference-invalide",
                "L'enregistrement fait référence à un élément qui n'existe pas, ou est encore utilisé par un autre.",
            ),
            _ => match err {
                DbErr::RecordNotFound(_) => Self::not_found("Enregistrement"),
                other => Self::internal(other),
            },
        }
    }
}

impl From<ValidationErrors> for ApiError {
    fn from(errors: ValidationErrors) -> Self {
        let mut fields = Vec::new();
        collect_field_errors("", &errors, &mut fields);
        fields.sort_by(|a, b| a.field.cmp(&b.field));
        Self::validation(fields)
    }
}

fn join(prefix: &str, name: &str) -> String {
    if prefix.is_empty() {
        name.to_owned()
    } else {
        format!("{prefix}.{name}")
    }
}

fn collect_field_errors(prefix: &str, errors: &ValidationErrors, out: &mut Vec<FieldError>) {
    for (name, kind) in errors.errors() {
        let path = if name == "__all__" {
            prefix.to_owned()
        } else {
            join(prefix, name)
        };
        match kind {
            ValidationErrorsKind::Field(list) => {
                out.extend(list.iter().map(|e| {
                    let (code, detail) = french_reason(e);
                    FieldError::new(path.clone(), code, detail)
                }));
            }
            ValidationErrorsKind::Struct(inner) => collect_field_errors(&path, inner, out),
            ValidationErrorsKind::List(items) => {
                for (index, inner) in items {
                    collect_field_errors(&format!("{path}[{index}]"), inner, out);
                }
            }
        }
    }
}

fn param(params: &HashMap<Cow<'static, str>, serde_json::Value>, name: &str) -> Option<String> {
    params.get(name).map(|v| match v {
        serde_json::Value::String(s) => s.clone(),
        other => other.to_string(),
    })
}

/// The stable code and the French reason of one broken `validator` rule. A message given in the
/// rule (`#[validate(length(min = 1, message = "…"))]`) is used as is.
fn french_reason(error: &ValidationError) -> (String, String) {
    let p = |name| param(&error.params, name);
    let (code, default) = match error.code.as_ref() {
        "length" => {
            let unit = match error.params.get("value") {
                Some(serde_json::Value::Array(_)) => "éléments",
                _ => "caractères",
            };
            (
                "longueur",
                match (p("equal"), p("min"), p("max")) {
                    (Some(n), _, _) => format!("doit contenir exactement {n} {unit}"),
                    (None, Some(min), Some(max)) => {
                        format!("doit contenir entre {min} et {max} {unit}")
                    }
                    (None, Some(min), None) if min == "1" => "ne doit pas être vide".to_owned(),
                    (None, Some(min), None) => format!("doit contenir au moins {min} {unit}"),
                    (None, None, Some(max)) => format!("doit contenir au plus {max} {unit}"),
                    _ => "longueur incorrecte".to_owned(),
                },
            )
        }
        "range" => (
            "plage",
            match (p("min"), p("max")) {
                (Some(min), Some(max)) => format!("doit être compris entre {min} et {max}"),
                (Some(min), None) => format!("doit être supérieur ou égal à {min}"),
                (None, Some(max)) => format!("doit être inférieur ou égal à {max}"),
                _ => "valeur hors limites".to_owned(),
            },
        ),
        "email" => ("format", "adresse électronique invalide".to_owned()),
        "url" => ("format", "adresse web invalide".to_owned()),
        "regex" => ("format", "format invalide".to_owned()),
        "required" => ("obligatoire", "champ obligatoire".to_owned()),
        "must_match" => (
            "correspondance",
            "ne correspond pas au champ attendu".to_owned(),
        ),
        other => (other, "valeur invalide".to_owned()),
    };
    let detail = error
        .message
        .as_ref()
        .map_or(default, |message| message.to_string());
    (code.to_owned(), detail)
}

#[cfg(test)]
mod tests {
    use super::*;
    use validator::Validate;

    #[derive(Validate)]
    struct Adresse {
        #[validate(length(equal = 5))]
        code_postal: String,
    }

    #[derive(Validate)]
    struct Demande {
        #[validate(length(min = 1))]
        nom: String,
        #[validate(email)]
        courriel: String,
        #[validate(range(min = 1, max = 99))]
        places: u32,
        #[validate(length(max = 3, message = "trois au plus"))]
        prenoms: Vec<String>,
        #[validate(length(min = 2))]
        temoins: Vec<String>,
        #[validate(nested)]
        adresse: Adresse,
        #[validate(nested)]
        autres: Vec<Adresse>,
    }

    #[test]
    fn validation_errors_name_each_field_in_french() {
        let demande = Demande {
            nom: String::new(),
            courriel: "pas-un-courriel".into(),
            places: 0,
            prenoms: vec!["A".into(), "B".into(), "C".into(), "D".into()],
            temoins: vec!["E".into()],
            adresse: Adresse {
                code_postal: "541".into(),
            },
            autres: vec![
                Adresse {
                    code_postal: "54000".into(),
                },
                Adresse {
                    code_postal: "5".into(),
                },
            ],
        };
        let err = ApiError::from(demande.validate().expect_err("invalid"));
        assert_eq!(err.status(), StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(err.code(), "validation");
        assert_eq!(
            err.field_errors(),
            [
                FieldError::new(
                    "adresse.code_postal",
                    "longueur",
                    "doit contenir exactement 5 caractères"
                ),
                FieldError::new(
                    "autres[1].code_postal",
                    "longueur",
                    "doit contenir exactement 5 caractères"
                ),
                FieldError::new("courriel", "format", "adresse électronique invalide"),
                FieldError::new("nom", "longueur", "ne doit pas être vide"),
                FieldError::new("places", "plage", "doit être compris entre 1 et 99"),
                FieldError::new("prenoms", "longueur", "trois au plus"),
                FieldError::new("temoins", "longueur", "doit contenir au moins 2 éléments"),
            ]
        );
        assert_eq!(err.detail(), "7 champs sont invalides.");
    }

    #[test]
    fn problem_body_follows_rfc_9457() {
        let problem = ApiError::conflict("doublon", "Déjà là.").problem();
        let json = serde_json::to_value(&problem).expect("serializable");
        assert_eq!(json["type"], "urn:socle:erreur:doublon");
        assert_eq!(json["status"], 409);
        assert_eq!(json["title"], "Conflit");
        assert_eq!(json["detail"], "Déjà là.");
        assert!(json.get("errors").is_none());
    }

    #[test]
    fn internal_errors_hide_their_cause() {
        let err = ApiError::internal("password authentication failed for user admin");
        assert_eq!(err.status(), StatusCode::INTERNAL_SERVER_ERROR);
        assert!(!err.problem().detail.contains("password"));
    }
}
