//! HTTP routes of `/api/v1/parapheur`: submit a document, follow a folder, sign or refuse at
//! one's turn, fetch the signed document.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

use super::OBJET_DOSSIER;
use super::service::{
    self, DocumentSigne, Dossier, EtatDossier, Filtre, ParapheurError, Soumission,
};
use crate::collectivite::CollectiviteCourante;
use crate::droits::Auth;
use crate::ged::Objet;
use crate::http::{
    ApiError, AppState, CorpsJson, FieldError, Page, PageParams, Path, Problem, Query,
};
use crate::journal::{self, Evenement};

pub(super) fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(dossiers, soumettre))
        .routes(routes!(lire))
        .routes(routes!(signer))
        .routes(routes!(refuser))
        .routes(routes!(document_signe))
}

impl From<ParapheurError> for ApiError {
    fn from(err: ParapheurError) -> Self {
        let detail = format!("{}.", crate::ged::capitale(&err.to_string()));
        match err {
            ParapheurError::Introuvable(id) => {
                Self::not_found(&format!("Dossier de signature {id}"))
            }
            ParapheurError::Champs(erreurs) => Self::validation(erreurs),
            ParapheurError::PasVotreTour { .. } => Self::new(
                StatusCode::FORBIDDEN,
                "pas-votre-tour",
                "Pas votre tour de signer",
                detail,
            ),
            ParapheurError::AgentRequis => Self::new(
                StatusCode::FORBIDDEN,
                "signataire-agent",
                "Signature réservée aux agents",
                detail,
            ),
            ParapheurError::Clos(_) => Self::conflict("dossier-clos", detail),
            ParapheurError::NonSigne(_) => Self::conflict("dossier-non-signe", detail),
            ParapheurError::Externe(_) => Self::conflict("dossier-externe", detail),
            ParapheurError::Concurrence => Self::conflict("dossier-concurrent", detail),
            ParapheurError::Fournisseur(_) => Self::new(
                StatusCode::BAD_GATEWAY,
                "parapheur-externe",
                "Parapheur externe en erreur",
                detail,
            ),
            ParapheurError::Ged(err) => err.into(),
            ParapheurError::Db(err) => err.into(),
        }
    }
}

/// A document to sign.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(super) struct NouvelleSoumission {
    /// What is signed, as signatories read it.
    #[schema(example = "Arrêté de reprise de concessions n° 2026-12")]
    titre: String,
    /// The GED document.
    document_id: Uuid,
    /// Its version to sign; the current one by default.
    version: Option<i32>,
    /// The signatories (agents' ids), in the order they sign.
    circuit: Vec<Uuid>,
    /// The record the signature decides about; it is told in the events.
    objet: Option<Objet>,
}

/// Which folders.
#[derive(Debug, Deserialize, validator::Validate, IntoParams)]
#[into_params(parameter_in = Query)]
pub(super) struct FiltreDossiers {
    /// Only those in this state (`en_cours`, `signe`, `refuse`).
    etat: Option<String>,
    /// `true`: only those waiting for the caller's signature now.
    a_signer: Option<bool>,
    /// How many at most (1 to 500, 50 by default).
    #[validate(range(min = 1, max = 500))]
    limit: Option<u64>,
    /// The `next_cursor` of the previous page.
    cursor: Option<Uuid>,
}

/// The collectivité's signature folders, in submission order; `a_signer=true` keeps those
/// waiting for the caller's signature.
#[utoipa::path(
    get,
    path = "/dossiers",
    tag = "parapheur",
    security(("jeton" = ["parapheur.dossier.lire"])),
    params(FiltreDossiers, CollectiviteCourante),
    responses(
        (status = 200, description = "Une page de dossiers", body = Page<Dossier>),
        (status = 400, description = "Paramètre invalide", body = Problem, content_type = "application/problem+json"),
    )
)]
async fn dossiers(
    State(state): State<AppState>,
    auth: Auth,
    collectivite: CollectiviteCourante,
    Query(filtre): Query<FiltreDossiers>,
) -> Result<Json<Page<Dossier>>, ApiError> {
    let etat = match filtre.etat.as_deref() {
        None => None,
        Some("en_cours") => Some(EtatDossier::EnCours),
        Some("signe") => Some(EtatDossier::Signe),
        Some("refuse") => Some(EtatDossier::Refuse),
        Some(autre) => {
            return Err(ApiError::bad_request(
                "parametre-invalide",
                format!("L'état « {autre} » n'existe pas : en_cours, signe ou refuse."),
            )
            .with_field_errors(vec![FieldError::new(
                "etat",
                "valeur",
                "en_cours, signe ou refuse",
            )]));
        }
    };
    let a_signer_par = if filtre.a_signer == Some(true) {
        Some(auth.agent_id().ok_or(ParapheurError::AgentRequis)?)
    } else {
        None
    };
    let params = PageParams {
        limit: filtre.limit,
        cursor: filtre.cursor,
    };
    let mut page = service::page(
        state.db(),
        collectivite.id,
        &Filtre { etat, a_signer_par },
        &params,
    )
    .await?;
    // Folders about records the caller may not read are left out of the page.
    let mut lisibles = Vec::with_capacity(page.items.len());
    for dossier in page.items {
        if verifier_lecture(&state, &auth, &dossier).await.is_ok() {
            lisibles.push(dossier);
        }
    }
    page.items = lisibles;
    journal::liste(&state, &auth, OBJET_DOSSIER, page.items.len()).await?;
    Ok(Json(page))
}

/// Submit a version of a GED document to a circuit of signatories, in order. Each signatory
/// must be an active agent holding `parapheur.dossier.signer` in the collectivité; the
/// caller must be able to read the document.
#[utoipa::path(
    post,
    path = "/dossiers",
    tag = "parapheur",
    security(("jeton" = ["parapheur.dossier.soumettre"])),
    params(CollectiviteCourante),
    request_body = NouvelleSoumission,
    responses(
        (status = 201, description = "Le dossier, en cours de signature", body = Dossier),
        (status = 403, description = "Document ou enregistrement non lisible par l'appelant", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "Document ou version introuvable", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Titre ou circuit invalide", body = Problem, content_type = "application/problem+json"),
    )
)]
async fn soumettre(
    State(state): State<AppState>,
    auth: Auth,
    collectivite: CollectiviteCourante,
    CorpsJson(corps): CorpsJson,
) -> Result<(StatusCode, Json<Dossier>), ApiError> {
    let demande: NouvelleSoumission = crate::http::parse_json(&corps)?;
    if let Some(objet) = &demande.objet {
        crate::ged::verifier_module(&state, objet, "objet.")?;
        crate::ged::verifier_acces(&state, &auth, std::slice::from_ref(objet))?;
    }
    crate::ged::service::document(state.db(), collectivite.id, demande.document_id).await?;
    let rattachements = crate::ged::service::rattachements(state.db(), demande.document_id).await?;
    crate::ged::verifier_acces(&state, &auth, &rattachements)?;
    let now = state.clock().now();
    let mut txn = state.ecrire(&auth).await?;
    let dossier = state
        .parapheur()
        .soumettre(
            &txn,
            Soumission {
                collectivite_id: collectivite.id,
                titre: demande.titre,
                document_id: demande.document_id,
                version: demande.version,
                circuit: demande.circuit,
                objet: demande.objet,
                soumis_par: auth.agent_id(),
            },
            now,
        )
        .await?;
    let evenement =
        Evenement::par(&auth, "soumission", OBJET_DOSSIER, dossier.id).avec(serde_json::json!({
            "titre": dossier.titre,
            "document_id": dossier.document_id,
            "version": dossier.version,
            "empreinte": dossier.empreinte,
            "circuit": dossier.etapes.iter().map(|e| e.signataire_id).collect::<Vec<_>>(),
        }));
    journal::consigner(&mut txn, evenement);
    txn.valider().await?;
    Ok((StatusCode::CREATED, Json(dossier)))
}

/// Checks the caller may read the folder's document: the records it is attached to (and the
/// record the folder decides about).
async fn verifier_lecture(
    state: &AppState,
    auth: &Auth,
    dossier: &Dossier,
) -> Result<(), ApiError> {
    let mut objets = crate::ged::service::rattachements(state.db(), dossier.document_id).await?;
    if let Some(objet) = &dossier.objet
        && !objets.contains(objet)
    {
        objets.push(objet.clone());
    }
    crate::ged::verifier_acces(state, auth, &objets)
}

/// A folder: its circuit, who signed when, where it stands.
#[utoipa::path(
    get,
    path = "/dossiers/{id}",
    tag = "parapheur",
    security(("jeton" = ["parapheur.dossier.lire"])),
    params(("id" = Uuid, Path, description = "Identifiant du dossier"), CollectiviteCourante),
    responses(
        (status = 200, description = "Le dossier", body = Dossier),
        (status = 404, description = "Dossier introuvable", body = Problem, content_type = "application/problem+json"),
    )
)]
async fn lire(
    State(state): State<AppState>,
    auth: Auth,
    collectivite: CollectiviteCourante,
    Path(id): Path<Uuid>,
) -> Result<Json<Dossier>, ApiError> {
    let dossier = state
        .parapheur()
        .etat(state.db(), collectivite.id, id)
        .await?;
    verifier_lecture(&state, &auth, &dossier).await?;
    journal::lecture(&state, &auth, OBJET_DOSSIER, id).await?;
    Ok(Json(dossier))
}

/// A signatory's comment.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(super) struct Visa {
    /// A comment kept with the signature.
    commentaire: Option<String>,
}

/// Sign the folder at one's step (the built-in parapheur). The content is read back from the
/// store and its SHA-256 checked against the one submitted; the signature records the agent,
/// the time and that digest. After the last signatory the folder is signed and
/// `parapheur.signe` is published.
#[utoipa::path(
    post,
    path = "/dossiers/{id}/signature",
    tag = "parapheur",
    security(("jeton" = ["parapheur.dossier.signer"])),
    params(("id" = Uuid, Path, description = "Identifiant du dossier"), CollectiviteCourante),
    request_body = Visa,
    responses(
        (status = 200, description = "Le dossier, signé à cette étape", body = Dossier),
        (status = 403, description = "Pas le tour de l'appelant, ou appel par un jeton d'API", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "Dossier introuvable", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Dossier déjà signé ou refusé, ou porté par un parapheur externe", body = Problem, content_type = "application/problem+json"),
    )
)]
async fn signer(
    State(state): State<AppState>,
    auth: Auth,
    collectivite: CollectiviteCourante,
    Path(id): Path<Uuid>,
    CorpsJson(corps): CorpsJson,
) -> Result<Json<Dossier>, ApiError> {
    let visa: Visa = if corps.is_empty() {
        Visa::default()
    } else {
        crate::http::parse_json(&corps)?
    };
    let agent = auth.agent_id().ok_or(ParapheurError::AgentRequis)?;
    let commentaire = visa
        .commentaire
        .map(|c| c.trim().to_owned())
        .filter(|c| !c.is_empty());
    if commentaire
        .as_ref()
        .is_some_and(|c| c.chars().count() > 1000)
    {
        return Err(ApiError::validation(vec![FieldError::new(
            "commentaire",
            "longueur",
            "1000 caractères au plus",
        )]));
    }
    let dossier = state
        .parapheur()
        .etat(state.db(), collectivite.id, id)
        .await?;
    verifier_lecture(&state, &auth, &dossier).await?;
    let contenu = service::verifier_contenu(state.db(), state.ged(), collectivite.id, id).await?;
    let now = state.clock().now();
    let mut txn = state.ecrire(&auth).await?;
    let dossier =
        service::signer(&txn, collectivite.id, id, agent, &contenu, commentaire, now).await?;
    let evenement = Evenement::par(&auth, "signature", OBJET_DOSSIER, id).avec(serde_json::json!({
        "empreinte": dossier.empreinte,
        "etat": dossier.etat,
    }));
    journal::consigner(&mut txn, evenement);
    txn.valider().await?;
    Ok(Json(dossier))
}

/// Why a signatory refuses.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(super) struct Refus {
    /// The reason, told to the submitter and kept with the folder.
    motif: String,
}

/// Refuse the folder at one's step (the built-in parapheur): the folder is refused, the
/// following signatories are not asked, and `parapheur.refuse` is published.
#[utoipa::path(
    post,
    path = "/dossiers/{id}/refus",
    tag = "parapheur",
    security(("jeton" = ["parapheur.dossier.signer"])),
    params(("id" = Uuid, Path, description = "Identifiant du dossier"), CollectiviteCourante),
    request_body = Refus,
    responses(
        (status = 200, description = "Le dossier, refusé", body = Dossier),
        (status = 403, description = "Pas le tour de l'appelant, ou appel par un jeton d'API", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "Dossier introuvable", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Dossier déjà signé ou refusé", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Motif manquant", body = Problem, content_type = "application/problem+json"),
    )
)]
async fn refuser(
    State(state): State<AppState>,
    auth: Auth,
    collectivite: CollectiviteCourante,
    Path(id): Path<Uuid>,
    CorpsJson(corps): CorpsJson,
) -> Result<Json<Dossier>, ApiError> {
    let refus: Refus = crate::http::parse_json(&corps)?;
    let agent = auth.agent_id().ok_or(ParapheurError::AgentRequis)?;
    let now = state.clock().now();
    let mut txn = state.ecrire(&auth).await?;
    let dossier = service::refuser(&txn, collectivite.id, id, agent, &refus.motif, now).await?;
    let evenement = Evenement::par(&auth, "refus", OBJET_DOSSIER, id).motif(refus.motif.trim());
    journal::consigner(&mut txn, evenement);
    txn.valider().await?;
    Ok(Json(dossier))
}

/// The signed document of a signed folder: which GED version holds it, its SHA-256, where to
/// download it, and each signature.
#[utoipa::path(
    get,
    path = "/dossiers/{id}/document-signe",
    tag = "parapheur",
    security(("jeton" = ["parapheur.dossier.lire"])),
    params(("id" = Uuid, Path, description = "Identifiant du dossier"), CollectiviteCourante),
    responses(
        (status = 200, description = "Le document signé et ses signatures", body = DocumentSigne),
        (status = 404, description = "Dossier introuvable", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Dossier pas (encore) signé", body = Problem, content_type = "application/problem+json"),
    )
)]
async fn document_signe(
    State(state): State<AppState>,
    auth: Auth,
    collectivite: CollectiviteCourante,
    Path(id): Path<Uuid>,
) -> Result<Json<DocumentSigne>, ApiError> {
    let dossier = state
        .parapheur()
        .etat(state.db(), collectivite.id, id)
        .await?;
    verifier_lecture(&state, &auth, &dossier).await?;
    let signe = state
        .parapheur()
        .document_signe(state.db(), collectivite.id, id)
        .await?;
    journal::lecture(&state, &auth, OBJET_DOSSIER, id).await?;
    Ok(Json(signe))
}
