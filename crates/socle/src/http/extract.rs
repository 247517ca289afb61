//! Extractors whose rejections answer problem+json, in French, naming the field at fault.

use axum::body::Bytes;
use axum::extract::rejection::{BytesRejection, PathRejection};
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::{StatusCode, header};
use serde::de::DeserializeOwned;
use validator::Validate;

use super::problem::{ApiError, FieldError};

/// A JSON request body, deserialized then checked with `validator`.
///
/// Rejections: 415 when the body is not declared as JSON, 413 when it is too large, 400 when
/// it is not JSON, 422 with the list of fields at fault when a field is missing, of the wrong
/// type, or breaks a validation rule.
#[derive(Debug, Clone, Copy, Default)]
pub struct ValidatedJson<T>(pub T);

impl<S, T> FromRequest<S> for ValidatedJson<T>
where
    T: DeserializeOwned + Validate,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        exiger_json(req.headers())?;
        let bytes = Bytes::from_request(req, state)
            .await
            .map_err(body_rejection)?;
        let value = parse_json::<T>(&bytes)?;
        value.validate()?;
        Ok(Self(value))
    }
}

/// Refuses a body not declared as JSON (`application/json` or any `+json` type).
///
/// # Errors
/// 415 `type-de-contenu`.
fn exiger_json(headers: &axum::http::HeaderMap) -> Result<(), ApiError> {
    let is_json = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .map(str::trim)
        .is_some_and(|mime| mime == "application/json" || mime.ends_with("+json"));
    if is_json {
        Ok(())
    } else {
        Err(ApiError::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "type-de-contenu",
            "Type de contenu non pris en charge",
            "Le corps de la requête doit être du JSON (en-tête Content-Type: application/json).",
        ))
    }
}

/// A JSON request body kept as bytes, for handlers that need them as sent (an
/// `Idempotency-Key` fingerprint, a JSON Merge Patch). Same rejections as [`ValidatedJson`] for
/// the content type and size.
#[derive(Debug, Clone, Default)]
pub struct CorpsJson(pub Bytes);

impl<S: Send + Sync> FromRequest<S> for CorpsJson {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        exiger_json(req.headers())?;
        Bytes::from_request(req, state)
            .await
            .map(Self)
            .map_err(body_rejection)
    }
}

fn body_rejection(rejection: BytesRejection) -> ApiError {
    if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
        ApiError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "corps-trop-volumineux",
            "Requête trop volumineuse",
            "Le corps de la requête dépasse la taille autorisée par le serveur.",
        )
    } else {
        ApiError::bad_request(
            "corps-illisible",
            "Le corps de la requête n'a pas pu être lu.",
        )
    }
}

/// Deserializes a JSON body, turning serde's errors into French field errors, after the input
/// policy every body follows, the same on every database:
///
/// - one JSON value and nothing after it (`{…}xxx`, `{…} {…}` are malformed);
/// - no control character in a text (U+0000 included; tab, line feed and carriage return are
///   text) and no bidirectional override or isolate (U+202A–U+202E, U+2066–U+2069), which can
///   make a name read otherwise than it is stored;
/// - dates from the year 1000 to the year 9999.
///
/// # Errors
/// 400 `json-invalide` for malformed JSON, 422 `validation` for data of the wrong shape or
/// against the policy (code `caractere-interdit` or `date-hors-bornes`, naming the field).
pub fn parse_json<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, ApiError> {
    let valeur: serde_json::Value = serde_json::from_slice(bytes).map_err(|err| {
        ApiError::bad_request(
            "json-invalide",
            format!(
                "Le corps de la requête n'est pas un JSON valide (ligne {}, colonne {}) : un seul objet JSON, sans rien après.",
                err.line(),
                err.column()
            ),
        )
    })?;
    let mut erreurs = Vec::new();
    verifier_textes(&valeur, &mut String::new(), &mut erreurs);
    if !erreurs.is_empty() {
        return Err(ApiError::validation(erreurs));
    }
    serde_path_to_error::deserialize(valeur).map_err(|err| {
        let path = err.path().to_string();
        ApiError::validation(vec![serde_field_error(
            &path,
            &err.into_inner().to_string(),
        )])
    })
}

/// The year of a text that starts as an ISO date (`AAAA-MM-JJ`, alone or followed by a time).
fn annee_iso(texte: &str) -> Option<u32> {
    let octets = texte.as_bytes();
    let date = octets.get(..10)?;
    let chiffres = |r: std::ops::Range<usize>| date[r].iter().all(u8::is_ascii_digit);
    let forme = chiffres(0..4)
        && date[4] == b'-'
        && chiffres(5..7)
        && date[7] == b'-'
        && chiffres(8..10)
        && octets
            .get(10)
            .is_none_or(|c| matches!(c, b'T' | b't' | b' '));
    if !forme {
        return None;
    }
    let nombre = |r: std::ops::Range<usize>| {
        date[r]
            .iter()
            .fold(0_u32, |n, c| n * 10 + u32::from(c - b'0'))
    };
    ((1..=12).contains(&nombre(5..7)) && (1..=31).contains(&nombre(8..10))).then(|| nombre(0..4))
}

/// Adds to `erreurs` each text of `valeur` (keys included) that breaks the input policy, named
/// by its path (`personnes[0].nom`).
fn verifier_textes(valeur: &serde_json::Value, chemin: &mut String, erreurs: &mut Vec<FieldError>) {
    use serde_json::Value;
    let texte = |t: &str, chemin: &str, erreurs: &mut Vec<FieldError>| {
        if let Some(c) = t
            .chars()
            .find(|c| crate::validation::caractere_interdit(*c))
        {
            erreurs.push(FieldError::new(
                chemin,
                "caractere-interdit",
                format!(
                    "caractère interdit U+{:04X} : ni caractère de contrôle, ni inversion du sens de lecture",
                    u32::from(c)
                ),
            ));
        } else if annee_iso(t).is_some_and(|annee| annee < 1000) {
            erreurs.push(FieldError::new(
                chemin,
                "date-hors-bornes",
                "une date de l'an 1000 à l'an 9999",
            ));
        }
    };
    match valeur {
        Value::String(t) => texte(t, chemin, erreurs),
        Value::Array(elements) => {
            for (i, element) in elements.iter().enumerate() {
                let longueur = chemin.len();
                chemin.push_str(&format!("[{i}]"));
                verifier_textes(element, chemin, erreurs);
                chemin.truncate(longueur);
            }
        }
        Value::Object(membres) => {
            for (cle, element) in membres {
                let longueur = chemin.len();
                if !chemin.is_empty() {
                    chemin.push('.');
                }
                chemin.push_str(cle);
                if cle.chars().any(crate::validation::caractere_interdit) {
                    texte(cle, chemin, erreurs);
                } else {
                    verifier_textes(element, chemin, erreurs);
                }
                chemin.truncate(longueur);
            }
        }
        Value::Null | Value::Bool(_) | Value::Number(_) => {}
    }
}

/// One serde data error as a French field error. `path` is serde_path_to_error's rendering
/// (`.` for the root, `a.b[2].c` below it).
pub(crate) fn serde_field_error(path: &str, message: &str) -> FieldError {
    let path = if path == "." { "" } else { path };
    // serde_json appends the position; it means nothing to the caller once the field is named.
    let message = message
        .rsplit_once(" at line ")
        .map_or(message, |(head, _)| head);
    let quoted = |s: &str| -> Option<String> {
        let start = s.find('`')? + 1;
        let end = start + s[start..].find('`')?;
        Some(s[start..end].to_owned())
    };
    let join = |name: &str| {
        if path.is_empty() {
            name.to_owned()
        } else {
            format!("{path}.{name}")
        }
    };
    if let Some(rest) = message.strip_prefix("missing field ") {
        let name = quoted(rest).unwrap_or_default();
        return FieldError::new(join(&name), "obligatoire", "champ obligatoire manquant");
    }
    if let Some(rest) = message.strip_prefix("unknown field ") {
        // serde_path_to_error's path already ends with the unknown member.
        let name = quoted(rest).unwrap_or_default();
        let already = path == name || path.ends_with(&format!(".{name}"));
        let field = if already {
            path.to_owned()
        } else {
            join(&name)
        };
        return FieldError::new(field, "inconnu", "champ inconnu");
    }
    if let Some(rest) = message.strip_prefix("unknown variant ") {
        let value = quoted(rest).unwrap_or_default();
        let expected = rest
            .split_once("expected ")
            .map(|(_, e)| {
                e.replace("one of ", "")
                    .replace("` or `", ", ")
                    .replace('`', "")
            })
            .unwrap_or_default();
        return FieldError::new(
            path,
            "valeur",
            format!("valeur « {value} » non reconnue ; valeurs possibles : {expected}"),
        );
    }
    if let Some(rest) = message.strip_prefix("invalid type: ") {
        let expected = rest.split_once(", expected ").map_or("", |(_, e)| e);
        return FieldError::new(
            path,
            "type",
            format!("type invalide (attendu : {})", french_type(expected)),
        );
    }
    FieldError::new(path, "invalide", format!("valeur invalide ({message})"))
}

fn french_type(expected: &str) -> &str {
    match expected {
        "a string" => "une chaîne de caractères",
        "a boolean" => "un booléen",
        "u8" | "u16" | "u32" | "u64" | "i8" | "i16" | "i32" | "i64" | "usize" | "isize" => {
            "un nombre entier"
        }
        "f32" | "f64" => "un nombre",
        "a sequence" => "une liste",
        "a map" => "un objet",
        other if other.starts_with("struct ") => "un objet",
        other => other,
    }
}

/// A path parameter; a value that does not parse is a 400 `parametre-invalide`.
#[derive(Debug, Clone, Copy, Default)]
pub struct Path<T>(pub T);

impl<S, T> FromRequestParts<S> for Path<T>
where
    T: DeserializeOwned + Send,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        match axum::extract::Path::<T>::from_request_parts(parts, state).await {
            Ok(axum::extract::Path(value)) => Ok(Self(value)),
            Err(PathRejection::FailedToDeserializePathParams(err)) => {
                let detail = match err.kind() {
                    axum::extract::path::ErrorKind::ParseErrorAtKey { key, value, .. } => {
                        format!("Le paramètre « {key} » a une valeur invalide : « {value} ».")
                    }
                    axum::extract::path::ErrorKind::ParseError { value, .. } => {
                        format!("Valeur invalide dans le chemin : « {value} ».")
                    }
                    _ => "Paramètre de chemin invalide.".to_owned(),
                };
                Err(ApiError::bad_request("parametre-invalide", detail))
            }
            Err(other) => Err(ApiError::internal(other)),
        }
    }
}

/// Query-string parameters; a value that does not parse is a 400 naming the parameter.
#[derive(Debug, Clone, Copy, Default)]
pub struct Query<T>(pub T);

impl<S, T> FromRequestParts<S> for Query<T>
where
    T: DeserializeOwned + Validate,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        let query = parts.uri.query().unwrap_or_default();
        let de = serde_urlencoded::Deserializer::new(form_urlencoded::parse(query.as_bytes()));
        let value: T = serde_path_to_error::deserialize(de).map_err(|err| {
            let path = err.path().to_string();
            let field = serde_field_error(&path, &err.into_inner().to_string());
            as_query_error(ApiError::validation(vec![field]))
        })?;
        value
            .validate()
            .map_err(|errors| as_query_error(ApiError::from(errors)))?;
        Ok(Self(value))
    }
}

/// Invalid query parameters are a 400 (the resource address is wrong), not a 422.
fn as_query_error(validation: ApiError) -> ApiError {
    ApiError::bad_request("parametre-invalide", validation.detail().to_owned())
        .with_field_errors(validation.field_errors().to_vec())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Debug, Deserialize, Validate)]
    #[allow(dead_code, reason = "fields are only deserialized")]
    struct Acte {
        nom: String,
        places: u32,
        nature: Nature,
        lignes: Vec<Ligne>,
    }

    #[derive(Debug, Deserialize)]
    #[serde(rename_all = "snake_case")]
    enum Nature {
        Naissance,
        Deces,
    }

    #[derive(Debug, Deserialize)]
    #[allow(dead_code, reason = "fields are only deserialized")]
    struct Ligne {
        texte: String,
    }

    fn error_of(json: &str) -> ApiError {
        parse_json::<Acte>(json.as_bytes()).expect_err("invalid")
    }

    #[test]
    fn trailing_data_after_the_body_is_malformed() {
        for corps in [
            r#"{"nom": "x", "places": 1, "nature": "deces", "lignes": []}xxx"#,
            r#"{"nom": "x", "places": 1, "nature": "deces", "lignes": []} {}"#,
        ] {
            let err = error_of(corps);
            assert_eq!(err.status(), StatusCode::BAD_REQUEST, "{corps}");
        }
        let lu = parse_json::<Acte>(
            b"{\"nom\": \"x\", \"places\": 1, \"nature\": \"deces\", \"lignes\": []}\n  ",
        );
        assert!(lu.is_ok(), "whitespace after the body is not data");
    }

    #[test]
    fn control_characters_and_bidi_overrides_are_refused_naming_the_field() {
        for (texte, code) in [
            ("a\\u0000b", "U+0000"),
            ("\\u202eevil", "U+202E"),
            ("x\\u2066y", "U+2066"),
            ("bip\\u0007", "U+0007"),
            ("c\\u0085", "U+0085"),
        ] {
            let err = error_of(&format!(
                r#"{{"nom": "x", "places": 1, "nature": "deces", "lignes": [{{"texte": "{texte}"}}]}}"#
            ));
            assert_eq!(err.status(), StatusCode::UNPROCESSABLE_ENTITY, "{texte}");
            let champ = &err.field_errors()[0];
            assert_eq!(champ.field, "lignes[0].texte");
            assert_eq!(champ.code, "caractere-interdit");
            assert!(champ.detail.contains(code), "{}", champ.detail);
        }
        let lu = parse_json::<Acte>(
            r#"{"nom": "Ligne 1\nLigne 2\tfin\r", "places": 1, "nature": "deces", "lignes": [{"texte": "الاسم"}]}"#
                .as_bytes(),
        );
        assert!(
            lu.is_ok(),
            "line breaks, tabs and right-to-left letters are text"
        );
    }

    #[test]
    fn dates_before_the_year_1000_are_refused() {
        for (texte, refuse) in [
            ("0000-01-01", true),
            ("0999-12-31T10:00:00Z", true),
            ("1000-01-01", false),
            ("0042-13-01", false),
            ("0042 ans", false),
            ("2026-11-24", false),
        ] {
            let resultat = parse_json::<Acte>(
                format!(r#"{{"nom": "{texte}", "places": 1, "nature": "deces", "lignes": []}}"#)
                    .as_bytes(),
            );
            match resultat {
                Err(err) => {
                    assert!(refuse, "{texte}");
                    assert_eq!(err.field_errors()[0].code, "date-hors-bornes");
                }
                Ok(_) => assert!(!refuse, "{texte}"),
            }
        }
    }

    #[test]
    fn missing_field_is_named() {
        let err = error_of(r#"{"places": 1, "nature": "deces", "lignes": []}"#);
        assert_eq!(err.status(), StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(
            err.field_errors(),
            [FieldError::new(
                "nom",
                "obligatoire",
                "champ obligatoire manquant"
            )]
        );
    }

    #[test]
    fn nested_missing_field_has_its_path() {
        let err = error_of(
            r#"{"nom": "x", "places": 1, "nature": "deces", "lignes": [{"texte": "a"}, {}]}"#,
        );
        assert_eq!(err.field_errors()[0].field, "lignes[1].texte");
    }

    #[test]
    fn wrong_type_and_unknown_variant_are_explained() {
        let err = error_of(r#"{"nom": "x", "places": "deux", "nature": "deces", "lignes": []}"#);
        assert_eq!(
            err.field_errors(),
            [FieldError::new(
                "places",
                "type",
                "type invalide (attendu : un nombre entier)"
            )]
        );
        let err = error_of(r#"{"nom": "x", "places": 2, "nature": "mariage", "lignes": []}"#);
        assert_eq!(
            err.field_errors(),
            [FieldError::new(
                "nature",
                "valeur",
                "valeur « mariage » non reconnue ; valeurs possibles : naissance, deces"
            )]
        );
    }

    #[test]
    fn malformed_json_is_a_400() {
        let err = error_of(r#"{"nom": "#);
        assert_eq!(err.status(), StatusCode::BAD_REQUEST);
        assert_eq!(err.code(), "json-invalide");
        assert!(err.detail().contains("ligne 1"), "{}", err.detail());
    }
}
