//! HTTP routes of `/api/v1/ged`.
//!
//! Reading a document needs `ged.document.lire` and, when the document is attached to records,
//! the right to read one of them: the permission `<module>.<objet_type>.lire` when the module
//! declares it (`elections.inscription.lire` for a document of an inscription).

use axum::Json;
use axum::body::Bytes;
use axum::extract::multipart::MultipartRejection;
use axum::extract::{DefaultBodyLimit, Multipart, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

use super::OBJET_DOCUMENT;
use super::entity::{document, version};
use super::service::{self, GedError, NouveauDocument, Objet};
use super::types::TypeRefuse;
use crate::collectivite::CollectiviteCourante;
use crate::droits::Auth;
use crate::http::{ApiError, AppState, CorpsJson, FieldError, PageParams, Path, Problem, Query};
use crate::journal::{self, Evenement};

pub(super) fn routes() -> OpenApiRouter<AppState> {
    // Uploads carry files: the body limit is the GED's own, checked while reading.
    let depots = OpenApiRouter::new()
        .routes(routes!(deposer))
        .routes(routes!(nouvelle_version))
        .layer(DefaultBodyLimit::disable());
    OpenApiRouter::new()
        .routes(routes!(documents))
        .routes(routes!(lire_document, supprimer_document))
        .routes(routes!(telecharger))
        .routes(routes!(rattacher, detacher))
        .merge(depots)
}

impl From<GedError> for ApiError {
    fn from(err: GedError) -> Self {
        let detail = format!("{}.", capitale(&err.to_string()));
        match err {
            GedError::Introuvable(id) => Self::not_found(&format!("Document {id}")),
            GedError::VersionIntrouvable(_) => Self::new(
                StatusCode::NOT_FOUND,
                "version-introuvable",
                "Version introuvable",
                detail,
            ),
            GedError::TropVolumineux { .. } => Self::new(
                StatusCode::PAYLOAD_TOO_LARGE,
                "fichier-trop-volumineux",
                "Fichier trop volumineux",
                detail,
            ),
            GedError::Vide(_) => Self::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "fichier-vide",
                "Fichier vide",
                detail,
            ),
            GedError::Type(TypeRefuse::Incoherent { .. }) => Self::new(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "type-incoherent",
                "Type de fichier incohérent",
                detail,
            ),
            GedError::Type(_) => Self::new(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "type-non-autorise",
                "Type de fichier refusé",
                detail,
            ),
            GedError::VersionIdentique(_) => Self::conflict("version-identique", detail),
            GedError::Retenu(_) => Self::conflict("document-retenu", detail),
            GedError::Concurrence => Self::conflict("version-concurrente", detail),
            GedError::Champs(erreurs) => Self::validation(erreurs),
            GedError::Db(err) => err.into(),
            GedError::Stockage(super::stockage::StockageError::Altere(_))
            | GedError::ContenuManquant(_) => {
                // The store does not hold what the database says: an integrity fault to
                // investigate (restore from backup), not a passing failure.
                tracing::error!(erreur = %err, "document altéré ou manquant dans le stockage");
                Self::new(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "contenu-altere",
                    "Contenu du document altéré ou manquant",
                    detail,
                )
            }
            err @ GedError::Stockage(_) => Self::internal(err),
        }
    }
}

pub(crate) fn capitale(texte: &str) -> String {
    let mut lettres = texte.chars();
    lettres
        .next()
        .map(|p| p.to_uppercase().chain(lettres).collect())
        .unwrap_or_default()
}

/// Checks the caller may see the records a document is attached to: with none, `ged.document.*`
/// suffices; otherwise one of them must be readable (`<module>.<objet_type>.lire` when the
/// module declares that permission).
pub(crate) fn verifier_acces(
    state: &AppState,
    auth: &Auth,
    objets: &[Objet],
) -> Result<(), ApiError> {
    let declaree = |permission: &str| {
        state
            .registry()
            .iter()
            .any(|m| m.permissions().iter().any(|p| p.action == permission))
    };
    let lisible = |o: &Objet| {
        let permission = format!("{}.{}.lire", o.module, o.objet_type);
        !declaree(&permission) || auth.peut(&permission)
    };
    if objets.is_empty() || objets.iter().any(lisible) {
        return Ok(());
    }
    let permission = format!("{}.{}.lire", objets[0].module, objets[0].objet_type);
    Err(crate::droits::guard::interdit(&permission))
}

/// Checks a record named by a request is well written and belongs to a linked module.
pub(crate) fn verifier_module(
    state: &AppState,
    objet: &Objet,
    champ: &str,
) -> Result<(), ApiError> {
    let mut erreurs = Vec::new();
    objet.verifier(champ, &mut erreurs);
    if !erreurs.is_empty() {
        return Err(ApiError::validation(erreurs));
    }
    if state.registry().get(&objet.module).is_some() {
        Ok(())
    } else {
        Err(ApiError::validation(vec![FieldError::new(
            format!("{champ}module"),
            "inconnu",
            format!(
                "aucun module « {} » dans cette application (modules : {})",
                objet.module,
                state.registry().ids().join(", ")
            ),
        )]))
    }
}

/// A version as the API shows it.
#[derive(Debug, Serialize, ToSchema)]
pub(super) struct VersionDto {
    /// 1 for the first.
    numero: i32,
    /// The file name given on deposit.
    nom_fichier: String,
    /// Media type, told from the content.
    type_mime: String,
    /// Size in bytes.
    taille: i64,
    /// SHA-256 of the content (hexadecimal).
    empreinte: String,
    /// Why this version.
    commentaire: Option<String>,
    /// The agent who deposited it.
    depose_par: Option<Uuid>,
    /// When.
    cree_le: DateTime<Utc>,
}

impl From<version::Model> for VersionDto {
    fn from(v: version::Model) -> Self {
        Self {
            numero: v.numero,
            nom_fichier: v.nom_fichier,
            type_mime: v.type_mime,
            taille: v.taille,
            empreinte: v.empreinte,
            commentaire: v.commentaire,
            depose_par: v.depose_par,
            cree_le: v.cree_le,
        }
    }
}

/// A document, its versions and the records it is attached to.
#[derive(Debug, Serialize, ToSchema)]
pub(super) struct DocumentDto {
    /// Identifier.
    id: Uuid,
    /// Title.
    titre: String,
    /// Kind of document.
    type_document: String,
    /// Retention period in years; absent: kept until deleted.
    conservation_ans: Option<i32>,
    /// Last day it must be kept.
    conserver_jusqu_au: Option<NaiveDate>,
    /// Why it is held (a signature folder…): neither deleted nor purged meanwhile.
    retenu_par: Option<String>,
    /// Number of the current version.
    version_courante: i32,
    /// Every version, the first first.
    versions: Vec<VersionDto>,
    /// The records it is attached to.
    rattachements: Vec<Objet>,
    /// When it was deposited.
    cree_le: DateTime<Utc>,
    /// When its last version was deposited.
    modifie_le: DateTime<Utc>,
}

impl DocumentDto {
    fn new(d: document::Model, versions: Vec<version::Model>, rattachements: Vec<Objet>) -> Self {
        Self {
            id: d.id,
            titre: d.titre,
            type_document: d.type_document,
            conservation_ans: d.conservation_ans,
            conserver_jusqu_au: d.conserver_jusqu_au,
            retenu_par: d.retenu_par,
            version_courante: d.version_courante,
            versions: versions.into_iter().map(VersionDto::from).collect(),
            rattachements,
            cree_le: d.cree_le,
            modifie_le: d.modifie_le,
        }
    }
}

/// The whole document, read in one place for the routes that answer it.
async fn document_complet(
    state: &AppState,
    collectivite_id: Uuid,
    id: Uuid,
) -> Result<(document::Model, Vec<version::Model>, Vec<Objet>), ApiError> {
    let doc = service::document(state.db(), collectivite_id, id).await?;
    let versions = service::versions(state.db(), id).await?;
    let objets = service::rattachements(state.db(), id).await?;
    Ok((doc, versions, objets))
}

/// The form of a deposit (`multipart/form-data`).
#[derive(Debug, ToSchema)]
#[allow(
    dead_code,
    reason = "describes the multipart form for the OpenAPI document"
)]
pub(super) struct FormulaireDepot {
    /// The file.
    #[schema(format = Binary, value_type = String)]
    fichier: Vec<u8>,
    /// Title shown to agents.
    titre: String,
    /// Kind of document (`acte`, `photo`, `justificatif`…).
    type_document: String,
    /// Retention period in years (1 to 200); absent: kept until deleted.
    conservation_ans: Option<u16>,
    /// Module of a record to attach it to (with `objet_type` and `objet_id`).
    module: Option<String>,
    /// Kind of that record.
    objet_type: Option<String>,
    /// Id of that record.
    objet_id: Option<String>,
}

/// The form of a new version (`multipart/form-data`).
#[derive(Debug, ToSchema)]
#[allow(
    dead_code,
    reason = "describes the multipart form for the OpenAPI document"
)]
pub(super) struct FormulaireVersion {
    /// The file.
    #[schema(format = Binary, value_type = String)]
    fichier: Vec<u8>,
    /// Why this version (« version signée », « erreur corrigée »…).
    commentaire: Option<String>,
}

/// The parts of a multipart form: its file and its text fields.
struct Formulaire {
    fichier: Option<(String, Bytes)>,
    champs: Vec<(String, String)>,
}

impl Formulaire {
    fn champ(&self, nom: &str) -> Option<&str> {
        self.champs
            .iter()
            .find(|(n, _)| n == nom)
            .map(|(_, v)| v.as_str())
            .filter(|v| !v.trim().is_empty())
    }
}

fn formulaire_invalide(detail: impl std::fmt::Display) -> ApiError {
    ApiError::bad_request(
        "formulaire-invalide",
        format!("Le formulaire multipart/form-data est illisible : {detail}."),
    )
}

/// The longest text field of a form, in bytes.
const CHAMP_MAX: usize = 10_000;
/// The most parts a form may have.
const PARTIES_MAX: usize = 20;

/// Reads a multipart form, refusing a file larger than the GED accepts as soon as it passes
/// the limit, a text field longer than [`CHAMP_MAX`] as soon as it does, more than
/// [`PARTIES_MAX`] parts or a second file: nothing more is read, and memory stays bounded by
/// the file limit.
async fn lire_formulaire(
    state: &AppState,
    multipart: Result<Multipart, MultipartRejection>,
) -> Result<Formulaire, ApiError> {
    let mut multipart = multipart.map_err(formulaire_invalide)?;
    let maximum = state.ged().taille_max();
    let mut formulaire = Formulaire {
        fichier: None,
        champs: Vec::new(),
    };
    let mut parties = 0;
    while let Some(mut part) = multipart.next_field().await.map_err(formulaire_invalide)? {
        parties += 1;
        if parties > PARTIES_MAX {
            return Err(formulaire_invalide(format!(
                "plus de {PARTIES_MAX} parties"
            )));
        }
        let nom = part.name().unwrap_or_default().to_owned();
        if nom == "fichier" {
            if formulaire.fichier.is_some() {
                return Err(formulaire_invalide("un seul fichier par dépôt"));
            }
            let nom_fichier = part.file_name().unwrap_or("document").to_owned();
            let mut octets = Vec::new();
            while let Some(morceau) = part.chunk().await.map_err(formulaire_invalide)? {
                if (octets.len() + morceau.len()) as u64 > maximum {
                    return Err(GedError::TropVolumineux {
                        nom: nom_fichier,
                        taille: (octets.len() + morceau.len()) as u64,
                        maximum,
                    }
                    .into());
                }
                octets.extend_from_slice(&morceau);
            }
            formulaire.fichier = Some((nom_fichier, Bytes::from(octets)));
        } else {
            let mut octets = Vec::new();
            while let Some(morceau) = part.chunk().await.map_err(formulaire_invalide)? {
                if octets.len() + morceau.len() > CHAMP_MAX {
                    return Err(formulaire_invalide(format!(
                        "le champ « {nom} » dépasse {CHAMP_MAX} octets"
                    )));
                }
                octets.extend_from_slice(&morceau);
            }
            let valeur = String::from_utf8(octets).map_err(|_| {
                formulaire_invalide(format!("le champ « {nom} » n'est pas du texte UTF-8"))
            })?;
            formulaire.champs.push((nom, valeur));
        }
    }
    Ok(formulaire)
}

fn fichier_requis(formulaire: &mut Formulaire) -> Result<(String, Bytes), ApiError> {
    formulaire.fichier.take().ok_or_else(|| {
        ApiError::validation(vec![FieldError::new(
            "fichier",
            "obligatoire",
            "joignez le fichier dans la partie « fichier » du formulaire",
        )])
    })
}

fn reponse_document(dto: DocumentDto, statut: StatusCode) -> Response {
    let location = format!("/api/v1/ged/documents/{}", dto.id);
    let mut reponse = (statut, Json(dto)).into_response();
    if let Ok(valeur) = HeaderValue::from_str(&location) {
        reponse.headers_mut().insert(header::LOCATION, valeur);
    }
    reponse
}

/// Deposit a document (`multipart/form-data`: `fichier`, `titre`, `type_document`, optionally
/// `conservation_ans` and a record to attach it to: `module`, `objet_type`, `objet_id`).
/// The type is told from the content; the same content deposited twice is stored once.
#[utoipa::path(
    post,
    path = "/documents",
    tag = "ged",
    security(("jeton" = ["ged.document.deposer"])),
    params(CollectiviteCourante),
    request_body(content = FormulaireDepot, content_type = "multipart/form-data"),
    responses(
        (status = 201, description = "Document déposé", body = DocumentDto, headers(("Location" = String, description = "Adresse du document"))),
        (status = 400, description = "Formulaire illisible", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Droit de lire l'enregistrement visé non détenu", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "Fichier trop volumineux", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "Type de fichier refusé, ou nom incohérent avec le contenu", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Champ invalide ou fichier vide", body = Problem, content_type = "application/problem+json"),
    )
)]
async fn deposer(
    State(state): State<AppState>,
    auth: Auth,
    collectivite: CollectiviteCourante,
    multipart: Result<Multipart, MultipartRejection>,
) -> Result<Response, ApiError> {
    let mut formulaire = lire_formulaire(&state, multipart).await?;
    let (nom, octets) = fichier_requis(&mut formulaire)?;
    let conservation_ans = match formulaire.champ("conservation_ans") {
        None => None,
        Some(texte) => Some(texte.trim().parse::<u16>().map_err(|_| {
            ApiError::validation(vec![FieldError::new(
                "conservation_ans",
                "type",
                "un nombre entier d'années (ex. 6)",
            )])
        })?),
    };
    let rattacher_a = match (
        formulaire.champ("module"),
        formulaire.champ("objet_type"),
        formulaire.champ("objet_id"),
    ) {
        (None, None, None) => Vec::new(),
        (Some(module), Some(objet_type), Some(objet_id)) => {
            vec![Objet::new(module, objet_type, objet_id)]
        }
        _ => {
            return Err(ApiError::validation(vec![FieldError::new(
                "module",
                "incomplet",
                "pour rattacher le document, donnez ensemble module, objet_type et objet_id",
            )]));
        }
    };
    let nouveau = NouveauDocument {
        titre: formulaire.champ("titre").unwrap_or_default().to_owned(),
        type_document: formulaire
            .champ("type_document")
            .unwrap_or_default()
            .to_owned(),
        conservation_ans,
        rattacher_a,
    };
    let erreurs = nouveau.erreurs();
    if !erreurs.is_empty() {
        return Err(ApiError::validation(erreurs));
    }
    for objet in &nouveau.rattacher_a {
        verifier_module(&state, objet, "")?;
    }
    verifier_acces(&state, &auth, &nouveau.rattacher_a)?;
    let contenu = state.ged().preparer(&nom, octets)?;
    let now = state.clock().now();
    state.ged().stocker(state.db(), &contenu, now).await?;
    let mut txn = state.ecrire(&auth).await?;
    let (doc, _) = service::deposer(
        &*txn,
        collectivite.id,
        nouveau,
        &contenu,
        auth.agent_id(),
        now,
    )
    .await?;
    let evenement =
        Evenement::par(&auth, "creation", OBJET_DOCUMENT, doc.id).avec(serde_json::json!({
            "titre": doc.titre,
            "empreinte": contenu.empreinte.as_str(),
            "taille": contenu.octets.len(),
        }));
    journal::consigner(&mut txn, evenement);
    txn.valider().await?;
    let (doc, versions, objets) = document_complet(&state, collectivite.id, doc.id).await?;
    Ok(reponse_document(
        DocumentDto::new(doc, versions, objets),
        StatusCode::CREATED,
    ))
}

/// Deposit a new version of a document (`multipart/form-data`: `fichier`, optionally
/// `commentaire`). It becomes the current version; earlier ones stay readable.
#[utoipa::path(
    post,
    path = "/documents/{id}/versions",
    tag = "ged",
    security(("jeton" = ["ged.document.deposer"])),
    params(("id" = Uuid, Path, description = "Identifiant du document"), CollectiviteCourante),
    request_body(content = FormulaireVersion, content_type = "multipart/form-data"),
    responses(
        (status = 201, description = "Version déposée ; le document complet", body = DocumentDto),
        (status = 400, description = "Formulaire illisible", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Droit de lire l'enregistrement du document non détenu", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "Document introuvable", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Contenu identique à la version courante, ou version déposée au même moment", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "Fichier trop volumineux", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "Type de fichier refusé", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Champ invalide ou fichier vide", body = Problem, content_type = "application/problem+json"),
    )
)]
async fn nouvelle_version(
    State(state): State<AppState>,
    auth: Auth,
    collectivite: CollectiviteCourante,
    Path(id): Path<Uuid>,
    multipart: Result<Multipart, MultipartRejection>,
) -> Result<Response, ApiError> {
    service::document(state.db(), collectivite.id, id).await?;
    verifier_acces(
        &state,
        &auth,
        &service::rattachements(state.db(), id).await?,
    )?;
    let mut formulaire = lire_formulaire(&state, multipart).await?;
    let (nom, octets) = fichier_requis(&mut formulaire)?;
    let commentaire = formulaire.champ("commentaire").map(|c| c.trim().to_owned());
    let contenu = state.ged().preparer(&nom, octets)?;
    let now = state.clock().now();
    state.ged().stocker(state.db(), &contenu, now).await?;
    let mut txn = state.ecrire(&auth).await?;
    let version = service::versionner(
        &*txn,
        collectivite.id,
        id,
        &contenu,
        commentaire,
        auth.agent_id(),
        now,
    )
    .await?;
    let evenement =
        Evenement::par(&auth, "modification", OBJET_DOCUMENT, id).avec(serde_json::json!({
            "version": version.numero,
            "empreinte": version.empreinte,
            "taille": version.taille,
        }));
    journal::consigner(&mut txn, evenement);
    txn.valider().await?;
    let (doc, versions, objets) = document_complet(&state, collectivite.id, id).await?;
    Ok(reponse_document(
        DocumentDto::new(doc, versions, objets),
        StatusCode::CREATED,
    ))
}

/// Which record's documents: the three fields together, or none for all the documents.
#[derive(Debug, Deserialize, validator::Validate, IntoParams)]
#[into_params(parameter_in = Query)]
pub(super) struct FiltreObjet {
    /// The module of the record (`elections`).
    #[validate(length(min = 1, max = 50))]
    module: Option<String>,
    /// The kind of record (`inscription`).
    #[validate(length(min = 1, max = 50))]
    objet_type: Option<String>,
    /// The record's id.
    #[validate(length(min = 1, max = 100))]
    objet_id: Option<String>,
    /// How many documents at most (1 to 500, 50 by default).
    #[validate(range(min = 1, max = 500))]
    limit: Option<u64>,
    /// The `next_cursor` of the previous page.
    cursor: Option<Uuid>,
}

impl FiltreObjet {
    /// The record named, if any; a partial name is refused with the fields missing.
    fn objet(&self) -> Result<Option<Objet>, ApiError> {
        match (&self.module, &self.objet_type, &self.objet_id) {
            (None, None, None) => Ok(None),
            (Some(module), Some(objet_type), Some(objet_id)) => {
                Ok(Some(Objet::new(module, objet_type, objet_id)))
            }
            (module, objet_type, objet_id) => Err(ApiError::bad_request(
                "parametre-invalide",
                "module, objet_type et objet_id se donnent ensemble pour nommer un enregistrement.",
            )
            .with_field_errors(
                [
                    ("module", module),
                    ("objet_type", objet_type),
                    ("objet_id", objet_id),
                ]
                .into_iter()
                .filter(|(_, valeur)| valeur.is_none())
                .map(|(champ, _)| {
                    FieldError::new(
                        champ,
                        "obligatoire",
                        "module, objet_type et objet_id se donnent ensemble pour nommer un enregistrement",
                    )
                })
                .collect(),
            )),
        }
    }
}

/// The collectivité's documents in deposit order, or those attached to one record — including
/// after the record was archived or deleted by its module. Without a record, documents
/// attached only to records the caller may not read are left out of the page.
#[utoipa::path(
    get,
    path = "/documents",
    tag = "ged",
    security(("jeton" = ["ged.document.lire"])),
    params(FiltreObjet, CollectiviteCourante),
    responses(
        (status = 200, description = "Une page de documents", body = PageDocuments),
        (status = 400, description = "Paramètre manquant ou invalide", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Droit de lire l'enregistrement non détenu", body = Problem, content_type = "application/problem+json"),
    )
)]
async fn documents(
    State(state): State<AppState>,
    auth: Auth,
    collectivite: CollectiviteCourante,
    Query(filtre): Query<FiltreObjet>,
) -> Result<Json<PageDocuments>, ApiError> {
    let objet = filtre.objet()?;
    if let Some(objet) = &objet {
        verifier_acces(&state, &auth, std::slice::from_ref(objet))?;
    }
    let params = PageParams {
        limit: filtre.limit,
        cursor: filtre.cursor,
    };
    let page =
        service::page_documents(state.db(), collectivite.id, objet.as_ref(), &params).await?;
    let mut items = Vec::with_capacity(page.items.len());
    for doc in page.items {
        let objets = service::rattachements(state.db(), doc.id).await?;
        if objet.is_none() && verifier_acces(&state, &auth, &objets).is_err() {
            continue;
        }
        let versions = service::versions(state.db(), doc.id).await?;
        items.push(DocumentDto::new(doc, versions, objets));
    }
    journal::liste(&state, &auth, OBJET_DOCUMENT, items.len()).await?;
    Ok(Json(PageDocuments {
        items,
        next_cursor: page.next_cursor,
    }))
}

/// One page of documents.
#[derive(Debug, Serialize, ToSchema)]
pub(super) struct PageDocuments {
    /// The documents of this page, oldest first.
    items: Vec<DocumentDto>,
    /// Pass it as `cursor` to get the next page; absent on the last page.
    next_cursor: Option<Uuid>,
}

/// A document: metadata, versions, attachments.
#[utoipa::path(
    get,
    path = "/documents/{id}",
    tag = "ged",
    security(("jeton" = ["ged.document.lire"])),
    params(("id" = Uuid, Path, description = "Identifiant du document"), CollectiviteCourante),
    responses(
        (status = 200, description = "Le document", body = DocumentDto),
        (status = 403, description = "Droit de lire l'enregistrement du document non détenu", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "Document introuvable", body = Problem, content_type = "application/problem+json"),
    )
)]
async fn lire_document(
    State(state): State<AppState>,
    auth: Auth,
    collectivite: CollectiviteCourante,
    Path(id): Path<Uuid>,
) -> Result<Json<DocumentDto>, ApiError> {
    let (doc, versions, objets) = document_complet(&state, collectivite.id, id).await?;
    verifier_acces(&state, &auth, &objets)?;
    journal::lecture(&state, &auth, OBJET_DOCUMENT, id).await?;
    Ok(Json(DocumentDto::new(doc, versions, objets)))
}

/// Which version to download.
#[derive(Debug, Deserialize, validator::Validate, IntoParams)]
#[into_params(parameter_in = Query)]
pub(super) struct ChoixVersion {
    /// The version's number; the current one by default.
    #[validate(range(min = 1))]
    version: Option<i32>,
}

/// Download a document's content (its current version, or `?version=`), journaled. `ETag` is
/// the SHA-256 of the content.
#[utoipa::path(
    get,
    path = "/documents/{id}/contenu",
    tag = "ged",
    security(("jeton" = ["ged.document.lire"])),
    params(("id" = Uuid, Path, description = "Identifiant du document"), ChoixVersion, CollectiviteCourante),
    responses(
        (status = 200, description = "Le fichier", content_type = "application/octet-stream", headers(("ETag" = String, description = "SHA-256 du contenu"), ("Content-Disposition" = String, description = "Nom du fichier"))),
        (status = 403, description = "Droit de lire l'enregistrement du document non détenu", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "Document ou version introuvable", body = Problem, content_type = "application/problem+json"),
    )
)]
async fn telecharger(
    State(state): State<AppState>,
    auth: Auth,
    collectivite: CollectiviteCourante,
    Path(id): Path<Uuid>,
    Query(choix): Query<ChoixVersion>,
) -> Result<Response, ApiError> {
    let doc = service::document(state.db(), collectivite.id, id).await?;
    verifier_acces(
        &state,
        &auth,
        &service::rattachements(state.db(), id).await?,
    )?;
    let version = service::une_version(state.db(), &doc, choix.version).await?;
    let octets = state.ged().lire(&version).await?;
    let evenement = Evenement::par(&auth, "lecture", OBJET_DOCUMENT, id)
        .avec(serde_json::json!({ "version": version.numero, "empreinte": version.empreinte }));
    state
        .journal()
        .consigner(state.db(), evenement, state.clock().now())
        .await?;
    Ok(reponse_fichier(&version, octets))
}

/// A file answer: its type, its name for the browser, its digest as `ETag`.
fn reponse_fichier(version: &version::Model, octets: Bytes) -> Response {
    let ascii: String = version
        .nom_fichier
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_') {
                c
            } else {
                '_'
            }
        })
        .collect();
    let utf8: String = form_urlencoded::byte_serialize(version.nom_fichier.as_bytes())
        .collect::<String>()
        .replace('+', "%20");
    let disposition = format!("attachment; filename=\"{ascii}\"; filename*=UTF-8''{utf8}");
    let mut reponse = octets.into_response();
    let entetes = reponse.headers_mut();
    for (nom, valeur) in [
        (header::CONTENT_TYPE, version.type_mime.clone()),
        (header::CONTENT_DISPOSITION, disposition),
        (header::ETAG, format!("\"{}\"", version.empreinte)),
        (header::CACHE_CONTROL, "private, no-store".to_owned()),
    ] {
        if let Ok(valeur) = HeaderValue::from_str(&valeur) {
            entetes.insert(nom, valeur);
        }
    }
    reponse
}

/// Why a document is deleted, for the journal.
#[derive(Debug, Deserialize, validator::Validate, IntoParams)]
#[into_params(parameter_in = Query)]
pub(super) struct MotifSuppression {
    /// Why (« déposé par erreur »), required: the journal keeps it.
    #[validate(length(min = 3, max = 500))]
    motif: String,
}

/// Delete a document and all its versions (a wrong deposit). Documents whose retention period
/// ends are deleted by `socle rgpd purger`.
#[utoipa::path(
    delete,
    path = "/documents/{id}",
    tag = "ged",
    security(("jeton" = ["ged.document.supprimer"])),
    params(("id" = Uuid, Path, description = "Identifiant du document"), MotifSuppression, CollectiviteCourante),
    responses(
        (status = 204, description = "Document supprimé"),
        (status = 400, description = "Motif manquant", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Droit de lire l'enregistrement du document non détenu", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "Document introuvable", body = Problem, content_type = "application/problem+json"),
    )
)]
async fn supprimer_document(
    State(state): State<AppState>,
    auth: Auth,
    collectivite: CollectiviteCourante,
    Path(id): Path<Uuid>,
    Query(motif): Query<MotifSuppression>,
) -> Result<StatusCode, ApiError> {
    // Another collectivité's document is not found, before anything is said of its rights.
    service::document(state.db(), collectivite.id, id).await?;
    verifier_acces(
        &state,
        &auth,
        &service::rattachements(state.db(), id).await?,
    )?;
    let mut txn = state.ecrire(&auth).await?;
    service::supprimer(&*txn, collectivite.id, id).await?;
    let evenement =
        Evenement::par(&auth, "suppression", OBJET_DOCUMENT, id).motif(motif.motif.trim());
    journal::consigner(&mut txn, evenement);
    txn.valider().await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Attach a document to one more record (nothing if it already is).
#[utoipa::path(
    post,
    path = "/documents/{id}/rattachements",
    tag = "ged",
    security(("jeton" = ["ged.document.deposer"])),
    params(("id" = Uuid, Path, description = "Identifiant du document"), CollectiviteCourante),
    request_body = Objet,
    responses(
        (status = 200, description = "Le document et ses rattachements", body = DocumentDto),
        (status = 403, description = "Droit de lire l'enregistrement non détenu", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "Document introuvable", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Enregistrement mal désigné ou module inconnu", body = Problem, content_type = "application/problem+json"),
    )
)]
async fn rattacher(
    State(state): State<AppState>,
    auth: Auth,
    collectivite: CollectiviteCourante,
    Path(id): Path<Uuid>,
    CorpsJson(corps): CorpsJson,
) -> Result<Json<DocumentDto>, ApiError> {
    let objet: Objet = crate::http::parse_json(&corps)?;
    verifier_module(&state, &objet, "")?;
    verifier_acces(&state, &auth, std::slice::from_ref(&objet))?;
    service::document(state.db(), collectivite.id, id).await?;
    verifier_acces(
        &state,
        &auth,
        &service::rattachements(state.db(), id).await?,
    )?;
    let now = state.clock().now();
    let mut txn = state.ecrire(&auth).await?;
    service::rattacher(&*txn, collectivite.id, id, &objet, now).await?;
    let evenement = Evenement::par(&auth, "rattachement", OBJET_DOCUMENT, id)
        .avec(serde_json::to_value(&objet).unwrap_or_default());
    journal::consigner(&mut txn, evenement);
    txn.valider().await?;
    let (doc, versions, objets) = document_complet(&state, collectivite.id, id).await?;
    Ok(Json(DocumentDto::new(doc, versions, objets)))
}

/// A record named in a query.
#[derive(Debug, Deserialize, validator::Validate, IntoParams)]
#[into_params(parameter_in = Query)]
pub(super) struct ObjetNomme {
    /// The module of the record (`elections`).
    #[validate(length(min = 1, max = 50))]
    module: String,
    /// The kind of record (`inscription`).
    #[validate(length(min = 1, max = 50))]
    objet_type: String,
    /// The record's id.
    #[validate(length(min = 1, max = 100))]
    objet_id: String,
}

/// Detach a document from a record. The document remains, with its other attachments.
#[utoipa::path(
    delete,
    path = "/documents/{id}/rattachements",
    tag = "ged",
    security(("jeton" = ["ged.document.deposer"])),
    params(("id" = Uuid, Path, description = "Identifiant du document"), ObjetNomme, CollectiviteCourante),
    responses(
        (status = 204, description = "Rattachement retiré"),
        (status = 403, description = "Droit de lire l'enregistrement non détenu", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "Document introuvable, ou non rattaché à cet enregistrement", body = Problem, content_type = "application/problem+json"),
    )
)]
async fn detacher(
    State(state): State<AppState>,
    auth: Auth,
    collectivite: CollectiviteCourante,
    Path(id): Path<Uuid>,
    Query(filtre): Query<ObjetNomme>,
) -> Result<StatusCode, ApiError> {
    let objet = Objet::new(&filtre.module, &filtre.objet_type, &filtre.objet_id);
    verifier_acces(&state, &auth, std::slice::from_ref(&objet))?;
    service::document(state.db(), collectivite.id, id).await?;
    let mut txn = state.ecrire(&auth).await?;
    if !service::detacher(&*txn, collectivite.id, id, &objet).await? {
        return Err(ApiError::not_found(&format!(
            "Rattachement du document {id} à {}/{}/{}",
            objet.module, objet.objet_type, objet.objet_id
        )));
    }
    let evenement = Evenement::par(&auth, "detachement", OBJET_DOCUMENT, id)
        .avec(serde_json::to_value(&objet).unwrap_or_default());
    journal::consigner(&mut txn, evenement);
    txn.valider().await?;
    Ok(StatusCode::NO_CONTENT)
}
