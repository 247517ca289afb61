//! HTTP routes of `/api/v1/editions`: the templates of the linked modules and each
//! collectivité's versions of them, previews, the letterhead and the logo.

use axum::Json;
use axum::body::Bytes;
use axum::extract::State;
use axum::extract::rejection::BytesRejection;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use base64::Engine;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use validator::Validate;

use super::contexte::Signataire;
use super::entity::{entete, logo, modele};
use super::reponse::{FormatEdition, repondre};
use super::service::{self, Edition, NouvelEntete, TAILLE_MAX_LOGO, TAILLE_MAX_SOURCE};
use super::{OBJET_ENTETE, OBJET_MODELE};
use crate::collectivite::CollectiviteCourante;
use crate::droits::Auth;
use crate::http::{ApiError, AppState, FieldError, Path, Problem, ValidatedJson};
use crate::journal::{self, Evenement};

pub(super) fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(lister_modeles))
        .routes(routes!(lire_modele, personnaliser_modele, retablir_modele))
        .routes(routes!(apercu))
        .routes(routes!(lire_entete, enregistrer_entete))
        .routes(routes!(deposer_logo, retirer_logo))
}

/// A template, in the list.
#[derive(Debug, Serialize, ToSchema)]
pub(super) struct ModeleResume {
    /// The module that ships it.
    #[schema(example = "elections")]
    module: &'static str,
    /// Its name in the module.
    #[schema(example = "attestation-inscription")]
    nom: &'static str,
    /// Its title.
    #[schema(example = "Attestation d'inscription sur la liste électorale")]
    titre: &'static str,
    /// Whether the collectivité uses its own version.
    personnalise: bool,
    /// When the collectivité's version was saved.
    modifie_le: Option<DateTime<Utc>>,
    /// Who saved it.
    modifie_par: Option<String>,
}

/// The templates of the linked modules.
#[derive(Debug, Serialize, ToSchema)]
pub(super) struct ListeModeles {
    /// Every template, by module then name.
    items: Vec<ModeleResume>,
}

/// A template, with its sources.
#[derive(Debug, Serialize, ToSchema)]
pub(super) struct ModeleDto {
    /// The module that ships it.
    module: &'static str,
    /// Its name in the module.
    nom: &'static str,
    /// Its title.
    titre: &'static str,
    /// Whether the collectivité uses its own version.
    personnalise: bool,
    /// The source the collectivité's editions use: its own version, else the shipped one.
    source: String,
    /// The source the module ships.
    source_livree: &'static str,
    /// When the collectivité's version was saved.
    modifie_le: Option<DateTime<Utc>>,
    /// Who saved it.
    modifie_par: Option<String>,
}

/// `"…"`: the first 16 hexadecimal digits of the SHA-256 of the effective source.
fn etag(source: &str) -> String {
    let empreinte = hex::encode(Sha256::digest(source.as_bytes()));
    format!("\"{}\"", &empreinte[..16])
}

/// Checks an optional `If-Match` against the current `ETag`.
fn verifier_if_match(entetes: &HeaderMap, actuel: &str) -> Result<(), ApiError> {
    let Some(valeur) = entetes.get(header::IF_MATCH) else {
        return Ok(());
    };
    let texte = valeur.to_str().unwrap_or("").trim();
    if texte == "*" {
        return Ok(());
    }
    let attendu = texte.trim_start_matches("W/");
    if !(attendu.len() >= 2 && attendu.starts_with('"') && attendu.ends_with('"')) {
        return Err(ApiError::bad_request(
            "if-match-invalide",
            "L'en-tête If-Match doit reprendre l'ETag rendu par la lecture du modèle (ex. \"3fa2c1d09b7e4410\").",
        ));
    }
    if attendu == actuel {
        Ok(())
    } else {
        Err(ApiError::new(
            StatusCode::PRECONDITION_FAILED,
            "version-perimee",
            "Version périmée",
            "Le modèle a changé depuis sa lecture : relisez-le avant de le modifier.",
        )
        .with_header(header::ETAG, actuel.to_owned()))
    }
}

async fn modele_dto(
    state: &AppState,
    collectivite_id: uuid::Uuid,
    module: &str,
    nom: &str,
) -> Result<ModeleDto, ApiError> {
    let (module_id, livre) = service::modeles_livres(state.registry())
        .into_iter()
        .find(|(m, e)| *m == module && e.name == nom)
        .ok_or_else(|| ApiError::not_found(&format!("Modèle d'édition « {module}/{nom} »")))?;
    let version = service::personnalisation(state.db(), collectivite_id, module, nom).await?;
    Ok(ModeleDto {
        module: module_id,
        nom: livre.name,
        titre: livre.title,
        personnalise: version.is_some(),
        source: version
            .as_ref()
            .map_or_else(|| livre.source.to_owned(), |v| v.source.clone()),
        source_livree: livre.source,
        modifie_le: version.as_ref().map(|v| v.modifie_le),
        modifie_par: version.map(|v| v.modifie_par),
    })
}

fn avec_etag(dto: ModeleDto) -> Response {
    let valeur = etag(&dto.source);
    let mut reponse = Json(dto).into_response();
    if let Ok(valeur) = HeaderValue::from_str(&valeur) {
        reponse.headers_mut().insert(header::ETAG, valeur);
    }
    reponse
}

/// The templates of every linked module, and whether the collectivité rewrote each one.
#[utoipa::path(
    get,
    path = "/modeles",
    tag = "editions",
    security(("jeton" = ["editions.modele.lire"])),
    params(CollectiviteCourante),
    responses((status = 200, description = "Les modèles, par module puis par nom", body = ListeModeles))
)]
async fn lister_modeles(
    State(state): State<AppState>,
    collectivite: CollectiviteCourante,
) -> Result<Json<ListeModeles>, ApiError> {
    let versions: Vec<modele::Model> =
        service::personnalisations(state.db(), collectivite.id).await?;
    let items = service::modeles_livres(state.registry())
        .into_iter()
        .map(|(module, livre)| {
            let version = versions
                .iter()
                .find(|v| v.module == module && v.nom == livre.name);
            ModeleResume {
                module,
                nom: livre.name,
                titre: livre.title,
                personnalise: version.is_some(),
                modifie_le: version.map(|v| v.modifie_le),
                modifie_par: version.map(|v| v.modifie_par.clone()),
            }
        })
        .collect();
    Ok(Json(ListeModeles { items }))
}

/// One template: the source the collectivité's editions use (its own version, else the shipped
/// one), and the shipped source. The `ETag` goes back in `If-Match` to save a change.
#[utoipa::path(
    get,
    path = "/modeles/{module}/{nom}",
    tag = "editions",
    security(("jeton" = ["editions.modele.lire"])),
    params(
        ("module" = String, Path, description = "Module qui livre le modèle", example = "elections"),
        ("nom" = String, Path, description = "Nom du modèle dans le module", example = "attestation-inscription"),
        CollectiviteCourante
    ),
    responses(
        (status = 200, description = "Le modèle", body = ModeleDto, headers(("ETag" = String, description = "Version de la source en vigueur"))),
        (status = 404, description = "Aucun module installé ne livre ce modèle", body = Problem, content_type = "application/problem+json"),
    )
)]
async fn lire_modele(
    State(state): State<AppState>,
    collectivite: CollectiviteCourante,
    Path((module, nom)): Path<(String, String)>,
) -> Result<Response, ApiError> {
    Ok(avec_etag(
        modele_dto(&state, collectivite.id, &module, &nom).await?,
    ))
}

/// A collectivité's version of a template.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub(super) struct ModeleSaisi {
    /// The template's source: HTML with merge fields (`{{ usager.nom }}`).
    #[validate(length(min = 1, max = TAILLE_MAX_SOURCE))]
    source: String,
}

/// Save the collectivité's own version of a template (logo, wording…): its editions use it at
/// once, without any rebuild. It is compiled first: a syntax error is refused (422
/// `modele-invalide`, with the line). `If-Match` (optional) refuses to overwrite a version saved
/// meanwhile.
#[utoipa::path(
    put,
    path = "/modeles/{module}/{nom}",
    tag = "editions",
    security(("jeton" = ["editions.modele.modifier"])),
    params(
        ("module" = String, Path, description = "Module qui livre le modèle"),
        ("nom" = String, Path, description = "Nom du modèle dans le module"),
        ("If-Match" = Option<String>, Header, description = "ETag de la version lue (facultatif)"),
        CollectiviteCourante
    ),
    request_body = ModeleSaisi,
    responses(
        (status = 200, description = "Version enregistrée", body = ModeleDto, headers(("ETag" = String, description = "Version de la source en vigueur"))),
        (status = 404, description = "Aucun module installé ne livre ce modèle", body = Problem, content_type = "application/problem+json"),
        (status = 412, description = "Le modèle a changé depuis sa lecture", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Source vide, trop longue, ou qui ne compile pas (modele-invalide, avec la ligne)", body = Problem, content_type = "application/problem+json"),
    )
)]
async fn personnaliser_modele(
    State(state): State<AppState>,
    auth: Auth,
    collectivite: CollectiviteCourante,
    Path((module, nom)): Path<(String, String)>,
    entetes: HeaderMap,
    ValidatedJson(saisi): ValidatedJson<ModeleSaisi>,
) -> Result<Response, ApiError> {
    let actuel = modele_dto(&state, collectivite.id, &module, &nom).await?;
    verifier_if_match(&entetes, &etag(&actuel.source))?;
    let now = state.clock().now();
    let mut txn = state.ecrire(&auth).await?;
    service::enregistrer(
        &*txn,
        state.registry(),
        collectivite.id,
        (&module, &nom),
        &saisi.source,
        &service::auteur(&auth),
        now,
    )
    .await?;
    journal::consigner(
        &mut txn,
        Evenement::par(
            &auth,
            "modification",
            OBJET_MODELE,
            format!("{module}/{nom}"),
        ),
    );
    txn.valider().await?;
    Ok(avec_etag(
        modele_dto(&state, collectivite.id, &module, &nom).await?,
    ))
}

/// Drop the collectivité's version of a template: the shipped one applies again.
#[utoipa::path(
    delete,
    path = "/modeles/{module}/{nom}",
    tag = "editions",
    security(("jeton" = ["editions.modele.modifier"])),
    params(
        ("module" = String, Path, description = "Module qui livre le modèle"),
        ("nom" = String, Path, description = "Nom du modèle dans le module"),
        ("If-Match" = Option<String>, Header, description = "ETag de la version lue (facultatif)"),
        CollectiviteCourante
    ),
    responses(
        (status = 204, description = "Le modèle livré s'applique de nouveau"),
        (status = 404, description = "La collectivité n'a pas de version propre de ce modèle", body = Problem, content_type = "application/problem+json"),
        (status = 412, description = "Le modèle a changé depuis sa lecture", body = Problem, content_type = "application/problem+json"),
    )
)]
async fn retablir_modele(
    State(state): State<AppState>,
    auth: Auth,
    collectivite: CollectiviteCourante,
    Path((module, nom)): Path<(String, String)>,
    entetes: HeaderMap,
) -> Result<StatusCode, ApiError> {
    let actuel = modele_dto(&state, collectivite.id, &module, &nom).await?;
    verifier_if_match(&entetes, &etag(&actuel.source))?;
    let mut txn = state.ecrire(&auth).await?;
    if !service::retirer(&*txn, collectivite.id, &module, &nom).await? {
        return Err(ApiError::not_found(&format!(
            "Version propre du modèle « {module}/{nom} »"
        )));
    }
    journal::consigner(
        &mut txn,
        Evenement::par(
            &auth,
            "suppression",
            OBJET_MODELE,
            format!("{module}/{nom}"),
        ),
    );
    txn.valider().await?;
    Ok(StatusCode::NO_CONTENT)
}

/// What to preview.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub(super) struct Apercu {
    /// Sample merge fields of the module, as an object (`{"usager": {"nom": "Roussel", …}}`).
    #[serde(default)]
    #[schema(value_type = Object)]
    donnees: serde_json::Value,
    /// A draft source to render instead of the one in force (nothing is saved).
    #[validate(length(min = 1, max = TAILLE_MAX_SOURCE))]
    source: Option<String>,
    /// Who signs, instead of the collectivité's default signatory.
    #[validate(nested)]
    signataire: Option<Signataire>,
}

/// Preview a template with sample data, in HTML or PDF (`?format=`, or `Accept`): the
/// collectivité's version, or a draft `source` before saving it — a draft needs the right to
/// change templates, as saving it would. Nothing is saved.
#[utoipa::path(
    post,
    path = "/modeles/{module}/{nom}/apercu",
    tag = "editions",
    security(("jeton" = ["editions.modele.lire"])),
    params(
        ("module" = String, Path, description = "Module qui livre le modèle"),
        ("nom" = String, Path, description = "Nom du modèle dans le module"),
        FormatEdition,
        CollectiviteCourante
    ),
    request_body = Apercu,
    responses(
        (status = 200, description = "Le document, en PDF ou en HTML", content(
            (String = "application/pdf"),
            (String = "text/html"),
        )),
        (status = 400, description = "Format inconnu", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Brouillon sans le droit de modifier les modèles", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "Aucun module installé ne livre ce modèle", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Données qui ne sont pas un objet, brouillon qui ne compile pas (modele-invalide), champ de fusion absent des données (champ-de-fusion-manquant) ou autre échec du modèle (edition-impossible)", body = Problem, content_type = "application/problem+json"),
    )
)]
async fn apercu(
    State(state): State<AppState>,
    auth: Auth,
    collectivite: CollectiviteCourante,
    Path((module, nom)): Path<(String, String)>,
    FormatEdition(format): FormatEdition,
    ValidatedJson(apercu): ValidatedJson<Apercu>,
) -> Result<Response, ApiError> {
    if !(apercu.donnees.is_object() || apercu.donnees.is_null()) {
        return Err(ApiError::validation(vec![FieldError::new(
            "donnees",
            "type",
            "type invalide (attendu : un objet)",
        )]));
    }
    if apercu.source.is_some() && !auth.peut("editions.modele.modifier") {
        return Err(crate::droits::guard::interdit("editions.modele.modifier"));
    }
    let mut edition = Edition::new(module, nom, apercu.donnees);
    edition.signataire = apercu.signataire;
    edition.brouillon = apercu.source;
    repondre(&state, collectivite.id, &edition, format).await
}

/// The collectivité's logo.
#[derive(Debug, Serialize, ToSchema)]
pub(super) struct LogoDto {
    /// `image/png` or `image/jpeg`.
    type_media: String,
    /// Size, in bytes.
    taille: usize,
    /// Width, in pixels.
    largeur: i32,
    /// Height, in pixels.
    hauteur: i32,
    /// The image as a `data:` URI, as templates get it in `collectivite.logo`.
    data_uri: String,
    /// When it was uploaded.
    modifie_le: DateTime<Utc>,
    /// Who uploaded it.
    modifie_par: String,
}

impl From<logo::Model> for LogoDto {
    fn from(l: logo::Model) -> Self {
        Self {
            data_uri: format!(
                "data:{};base64,{}",
                l.type_media,
                base64::engine::general_purpose::STANDARD.encode(&l.octets)
            ),
            taille: l.octets.len(),
            type_media: l.type_media,
            largeur: l.largeur,
            hauteur: l.hauteur,
            modifie_le: l.modifie_le,
            modifie_par: l.modifie_par,
        }
    }
}

/// What the collectivité's documents say about it.
#[derive(Debug, Serialize, ToSchema)]
pub(super) struct EnteteDto {
    /// The collectivité's name.
    nom: String,
    /// Its COG code or SIREN.
    code: String,
    /// Postal address, one line per line.
    adresse: Option<String>,
    /// Telephone.
    telephone: Option<String>,
    /// E-mail.
    courriel: Option<String>,
    /// Web site.
    site_web: Option<String>,
    /// Who signs by default.
    signataire: Option<Signataire>,
    /// The logo, if any.
    logo: Option<LogoDto>,
    /// When the letterhead was saved.
    modifie_le: Option<DateTime<Utc>>,
    /// Who saved it.
    modifie_par: Option<String>,
}

async fn entete_dto(
    state: &AppState,
    collectivite: &CollectiviteCourante,
) -> Result<EnteteDto, ApiError> {
    let entete: Option<entete::Model> = service::entete(state.db(), collectivite.id).await?;
    let logo = service::logo(state.db(), collectivite.id).await?;
    let signataire = super::contexte::signataire_par_defaut(entete.as_ref());
    let entete = entete.as_ref();
    Ok(EnteteDto {
        nom: collectivite.nom.clone(),
        code: collectivite.code.clone(),
        adresse: entete.and_then(|e| e.adresse.clone()),
        telephone: entete.and_then(|e| e.telephone.clone()),
        courriel: entete.and_then(|e| e.courriel.clone()),
        site_web: entete.and_then(|e| e.site_web.clone()),
        signataire,
        logo: logo.map(LogoDto::from),
        modifie_le: entete.map(|e| e.modifie_le),
        modifie_par: entete.map(|e| e.modifie_par.clone()),
    })
}

/// The collectivité's letterhead: address, contacts, default signatory, logo — what templates
/// get in `collectivite.*` and `signataire`.
#[utoipa::path(
    get,
    path = "/entete",
    tag = "editions",
    security(("jeton" = ["editions.modele.lire"])),
    params(CollectiviteCourante),
    responses((status = 200, description = "L'en-tête de la collectivité", body = EnteteDto))
)]
async fn lire_entete(
    State(state): State<AppState>,
    collectivite: CollectiviteCourante,
) -> Result<Json<EnteteDto>, ApiError> {
    Ok(Json(entete_dto(&state, &collectivite).await?))
}

/// The collectivité's letterhead, as written.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub(super) struct EnteteSaisi {
    /// Postal address, one line per line.
    #[schema(example = "Place de la Mairie\n54111 Mont-Bonvillers")]
    #[validate(length(max = 500))]
    adresse: Option<String>,
    /// Telephone.
    #[schema(example = "03 82 00 00 00")]
    #[validate(length(max = 30))]
    telephone: Option<String>,
    /// E-mail.
    #[schema(example = "mairie@mont-bonvillers.fr")]
    #[validate(email(message = "adresse électronique invalide"), length(max = 254))]
    courriel: Option<String>,
    /// Web site.
    #[validate(length(max = 200))]
    site_web: Option<String>,
    /// Who signs by default.
    #[validate(nested)]
    signataire: Option<Signataire>,
}

/// Save the collectivité's letterhead (it replaces the previous one; the logo is kept).
#[utoipa::path(
    put,
    path = "/entete",
    tag = "editions",
    security(("jeton" = ["editions.modele.modifier"])),
    params(CollectiviteCourante),
    request_body = EnteteSaisi,
    responses(
        (status = 200, description = "En-tête enregistré", body = EnteteDto),
        (status = 422, description = "Données invalides", body = Problem, content_type = "application/problem+json"),
    )
)]
async fn enregistrer_entete(
    State(state): State<AppState>,
    auth: Auth,
    collectivite: CollectiviteCourante,
    ValidatedJson(saisi): ValidatedJson<EnteteSaisi>,
) -> Result<Json<EnteteDto>, ApiError> {
    let now = state.clock().now();
    let mut txn = state.ecrire(&auth).await?;
    service::enregistrer_entete(
        &*txn,
        collectivite.id,
        NouvelEntete {
            adresse: saisi.adresse,
            telephone: saisi.telephone,
            courriel: saisi.courriel,
            site_web: saisi.site_web,
            signataire: saisi.signataire,
        },
        &service::auteur(&auth),
        now,
    )
    .await?;
    journal::consigner(
        &mut txn,
        Evenement::par(&auth, "modification", OBJET_ENTETE, collectivite.id),
    );
    txn.valider().await?;
    Ok(Json(entete_dto(&state, &collectivite).await?))
}

/// Upload the collectivité's logo (the body is the image: `Content-Type: image/png` or
/// `image/jpeg`, at most 512 Kio and 4,000 pixels a side). Templates show it through
/// `collectivite.logo`.
#[utoipa::path(
    put,
    path = "/entete/logo",
    tag = "editions",
    security(("jeton" = ["editions.modele.modifier"])),
    params(CollectiviteCourante),
    request_body(content(
        (String = "image/png"),
        (String = "image/jpeg"),
    ), description = "L'image du logo"),
    responses(
        (status = 200, description = "Logo enregistré", body = LogoDto),
        (status = 413, description = "Image de plus de 512 Kio", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "Corps qui n'est pas déclaré image/png ni image/jpeg", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Image illisible, d'un autre type que celui déclaré, ou trop grande (logo-invalide)", body = Problem, content_type = "application/problem+json"),
    )
)]
async fn deposer_logo(
    State(state): State<AppState>,
    auth: Auth,
    collectivite: CollectiviteCourante,
    entetes: HeaderMap,
    corps: Result<Bytes, BytesRejection>,
) -> Result<Json<LogoDto>, ApiError> {
    let declare = entetes
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .map(|v| v.trim().to_ascii_lowercase())
        .unwrap_or_default();
    if declare != "image/png" && declare != "image/jpeg" {
        return Err(ApiError::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "type-de-contenu",
            "Type de contenu non pris en charge",
            "Le logo s'envoie tel quel dans le corps, déclaré Content-Type: image/png ou image/jpeg.",
        ));
    }
    let trop_gros = || {
        ApiError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "corps-trop-volumineux",
            "Requête trop volumineuse",
            format!("Le logo dépasse {} Kio.", TAILLE_MAX_LOGO / 1024),
        )
    };
    let octets = corps.map_err(|rejet| {
        if rejet.status() == StatusCode::PAYLOAD_TOO_LARGE {
            trop_gros()
        } else {
            ApiError::bad_request(
                "corps-illisible",
                "Le corps de la requête n'a pas pu être lu.",
            )
        }
    })?;
    if octets.len() > TAILLE_MAX_LOGO {
        return Err(trop_gros());
    }
    let recu = if octets.starts_with(b"\x89PNG") {
        "image/png"
    } else {
        "image/jpeg"
    };
    if recu != declare {
        return Err(ApiError::from(service::EditionError::LogoInvalide(
            format!(
                "le corps n'est pas une image {}",
                if declare == "image/png" {
                    "PNG"
                } else {
                    "JPEG"
                }
            ),
        )));
    }
    let now = state.clock().now();
    let mut txn = state.ecrire(&auth).await?;
    let enregistre = service::enregistrer_logo(
        &*txn,
        collectivite.id,
        octets.to_vec(),
        &service::auteur(&auth),
        now,
    )
    .await?;
    journal::consigner(
        &mut txn,
        Evenement::par(&auth, "modification", OBJET_ENTETE, collectivite.id)
            .avec(serde_json::json!({"logo": enregistre.type_media})),
    );
    txn.valider().await?;
    Ok(Json(enregistre.into()))
}

/// Remove the collectivité's logo.
#[utoipa::path(
    delete,
    path = "/entete/logo",
    tag = "editions",
    security(("jeton" = ["editions.modele.modifier"])),
    params(CollectiviteCourante),
    responses(
        (status = 204, description = "Logo retiré"),
        (status = 404, description = "La collectivité n'a pas de logo", body = Problem, content_type = "application/problem+json"),
    )
)]
async fn retirer_logo(
    State(state): State<AppState>,
    auth: Auth,
    collectivite: CollectiviteCourante,
) -> Result<StatusCode, ApiError> {
    let mut txn = state.ecrire(&auth).await?;
    if !service::retirer_logo(&*txn, collectivite.id).await? {
        return Err(ApiError::not_found("Logo de la collectivité"));
    }
    journal::consigner(
        &mut txn,
        Evenement::par(&auth, "suppression", OBJET_ENTETE, collectivite.id)
            .avec(serde_json::json!({"logo": null})),
    );
    txn.valider().await?;
    Ok(StatusCode::NO_CONTENT)
}
