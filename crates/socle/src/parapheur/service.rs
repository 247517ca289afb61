//! The [`Parapheur`] contract, the built-in implementation, and what every implementation
//! shares: recording a folder, its signatures and its outcome, and announcing them.
//!
//! A folder is always recorded in the core's tables, whoever carries it: [`enregistrer`] when
//! it is submitted, [`conclure`] when it is signed or refused. The built-in parapheur
//! ([`ParapheurLocal`]) has agents sign in the back office, in the circuit's order
//! ([`signer`], [`refuser`]); an adapter to an external parapheur sends the document there in
//! [`Parapheur::soumettre`], then, when the external side has decided, deposits the signed file
//! as a new GED version and calls [`conclure`]. Either way the events `parapheur.soumis`,
//! `parapheur.signe` and `parapheur.refuse` are published in the same transaction as the
//! change, and modules react to them ([`crate::Module::events_handled`]).

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, DatabaseTransaction, DbErr,
    EntityTrait, QueryFilter, QueryOrder, QuerySelect, QueryTrait, Set,
};
use serde::Serialize;
use serde_json::json;
use utoipa::ToSchema;
use uuid::Uuid;

use super::entity::{dossier, etape};
use crate::collectivite::TenantScoped;
use crate::droits::entity::agent;
use crate::evenements::{self, Publication};
use crate::ged::service as ged;
use crate::ged::{Ged, GedError, Objet};
use crate::http::{FieldError, Page, PageParams};

/// The name of the built-in parapheur.
pub const LOCAL: &str = "local";
/// Event: a folder was submitted for signature.
pub const SOUMIS: &str = "parapheur.soumis";
/// Event: the last signatory signed.
pub const SIGNE: &str = "parapheur.signe";
/// Event: a signatory refused.
pub const REFUSE: &str = "parapheur.refuse";
/// The permission a signatory holds.
pub const DROIT_SIGNER: &str = "parapheur.dossier.signer";
/// The most signatories in one circuit.
pub const CIRCUIT_MAX: usize = 20;

/// Where a folder stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum EtatDossier {
    /// Signatories still have to sign.
    EnCours,
    /// Every signatory signed.
    Signe,
    /// A signatory refused.
    Refuse,
}

impl EtatDossier {
    /// The value kept in the table.
    #[must_use]
    pub const fn code(self) -> &'static str {
        match self {
            Self::EnCours => "en_cours",
            Self::Signe => "signe",
            Self::Refuse => "refuse",
        }
    }

    fn lire(code: &str) -> Self {
        match code {
            "signe" => Self::Signe,
            "refuse" => Self::Refuse,
            _ => Self::EnCours,
        }
    }

    /// In a sentence.
    #[must_use]
    pub const fn libelle(self) -> &'static str {
        match self {
            Self::EnCours => "en cours de signature",
            Self::Signe => "signé",
            Self::Refuse => "refusé",
        }
    }
}

/// Where a step stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum EtatEtape {
    /// The signatory has not decided (or an earlier one has not yet).
    EnAttente,
    /// Signed.
    Signee,
    /// Refused.
    Refusee,
}

impl EtatEtape {
    const fn code(self) -> &'static str {
        match self {
            Self::EnAttente => "en_attente",
            Self::Signee => "signee",
            Self::Refusee => "refusee",
        }
    }

    fn lire(code: &str) -> Self {
        match code {
            "signee" => Self::Signee,
            "refusee" => Self::Refusee,
            _ => Self::EnAttente,
        }
    }
}

/// Why the parapheur refuses.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ParapheurError {
    /// No folder of the collectivité has this id.
    #[error("aucun dossier de signature n'a l'identifiant {0}")]
    Introuvable(Uuid),
    /// Fields of the submission are invalid.
    #[error("données invalides")]
    Champs(Vec<FieldError>),
    /// The caller is not the signatory expected now.
    #[error("ce n'est pas à vous de signer : l'étape {ordre} du circuit attend {attendu}")]
    PasVotreTour {
        /// The step waiting.
        ordre: i32,
        /// The name of its signatory.
        attendu: String,
    },
    /// The folder is signed or refused: it does not change any more.
    #[error("le dossier est déjà {} ; il ne change plus", .0.libelle())]
    Clos(EtatDossier),
    /// The signed document of a folder that is not signed.
    #[error("le dossier n'est pas signé : il est {}", .0.libelle())]
    NonSigne(EtatDossier),
    /// Only an agent signs: an API token does not.
    #[error("seul un agent connecté signe ; un jeton d'API ne signe pas")]
    AgentRequis,
    /// The folder is carried by an external parapheur: it is signed there.
    #[error("ce dossier est signé dans le parapheur « {0} », pas ici")]
    Externe(String),
    /// The external parapheur failed or refused the folder.
    #[error("le parapheur externe a répondu : {0}")]
    Fournisseur(String),
    /// Another decision on the folder was recorded at the same moment.
    #[error("le dossier vient de changer ; rechargez-le puis recommencez")]
    Concurrence,
    /// The document or its content.
    #[error(transparent)]
    Ged(#[from] GedError),
    /// The database failed.
    #[error(transparent)]
    Db(#[from] DbErr),
}

/// A document submitted for signature.
#[derive(Debug, Clone)]
pub struct Soumission {
    /// The collectivité.
    pub collectivite_id: Uuid,
    /// What is signed, as signatories read it.
    pub titre: String,
    /// The GED document.
    pub document_id: Uuid,
    /// Its version to sign; the current one when `None`.
    pub version: Option<i32>,
    /// The signatories (agents), in the order they sign.
    pub circuit: Vec<Uuid>,
    /// The record the signature decides about (an arrêté, an act…), told in the events.
    pub objet: Option<Objet>,
    /// The agent who submits.
    pub soumis_par: Option<Uuid>,
}

/// One step of a circuit, as shown.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Etape {
    /// 1 for the first signatory.
    pub ordre: i32,
    /// The signatory.
    pub signataire_id: Uuid,
    /// The signatory's name.
    pub signataire: String,
    /// Where the step stands.
    pub etat: EtatEtape,
    /// When the signatory signed or refused.
    pub decide_le: Option<DateTime<Utc>>,
    /// SHA-256 of the content signed, read back from the store at signing time.
    pub empreinte: Option<String>,
    /// The signatory's comment, or the reason of the refusal.
    pub commentaire: Option<String>,
}

/// A folder, as shown.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Dossier {
    /// Identifier.
    pub id: Uuid,
    /// What is signed.
    pub titre: String,
    /// The GED document.
    pub document_id: Uuid,
    /// The version submitted.
    pub version: i32,
    /// Its SHA-256: what every signatory signs.
    pub empreinte: String,
    /// The version holding the signed document, once signed.
    pub version_signee: Option<i32>,
    /// The record the signature decides about.
    pub objet: Option<Objet>,
    /// The parapheur that carries it.
    pub fournisseur: String,
    /// Its reference in an external parapheur.
    pub reference_externe: Option<String>,
    /// Where it stands.
    pub etat: EtatDossier,
    /// The step waiting for its signatory, while in progress.
    pub etape_courante: Option<i32>,
    /// The agent who submitted it.
    pub soumis_par: Option<Uuid>,
    /// When it was submitted.
    pub soumis_le: DateTime<Utc>,
    /// When it was signed or refused.
    pub termine_le: Option<DateTime<Utc>>,
    /// Why it was refused.
    pub motif_refus: Option<String>,
    /// The circuit, in order.
    pub etapes: Vec<Etape>,
}

impl Dossier {
    fn new(model: dossier::Model, etapes: Vec<etape::Model>) -> Self {
        let etapes: Vec<Etape> = etapes
            .into_iter()
            .map(|e| Etape {
                ordre: e.ordre,
                signataire_id: e.signataire_id,
                signataire: e.signataire,
                etat: EtatEtape::lire(&e.etat),
                decide_le: e.decide_le,
                empreinte: e.empreinte,
                commentaire: e.commentaire,
            })
            .collect();
        let etat = EtatDossier::lire(&model.etat);
        let etape_courante = (etat == EtatDossier::EnCours)
            .then(|| etapes.iter().find(|e| e.etat == EtatEtape::EnAttente))
            .flatten()
            .map(|e| e.ordre);
        let objet = match (model.module, model.objet_type, model.objet_id) {
            (Some(module), Some(objet_type), Some(objet_id)) => Some(Objet {
                module,
                objet_type,
                objet_id,
            }),
            _ => None,
        };
        Self {
            id: model.id,
            titre: model.titre,
            document_id: model.document_id,
            version: model.version,
            empreinte: model.empreinte,
            version_signee: model.version_signee,
            objet,
            fournisseur: model.fournisseur,
            reference_externe: model.reference_externe,
            etat,
            etape_courante,
            soumis_par: model.soumis_par,
            soumis_le: model.soumis_le,
            termine_le: model.termine_le,
            motif_refus: model.motif_refus,
            etapes,
        }
    }

    /// The signatory expected now, while in progress.
    #[must_use]
    pub fn etape_en_attente(&self) -> Option<&Etape> {
        let ordre = self.etape_courante?;
        self.etapes.iter().find(|e| e.ordre == ordre)
    }
}

/// One signature of a signed document.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Signature {
    /// Its place in the circuit.
    pub ordre: i32,
    /// Who signed.
    pub signataire_id: Uuid,
    /// Their name.
    pub signataire: String,
    /// When.
    pub signe_le: Option<DateTime<Utc>>,
    /// SHA-256 of what they signed.
    pub empreinte: Option<String>,
}

/// The signed document of a folder: a GED version, and who signed it when.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct DocumentSigne {
    /// The folder.
    pub dossier_id: Uuid,
    /// The GED document.
    pub document_id: Uuid,
    /// The version holding the signed document.
    pub version: i32,
    /// SHA-256 of that version.
    pub empreinte: String,
    /// Where to download it.
    pub contenu: String,
    /// The signatures, in the circuit's order.
    pub signatures: Vec<Signature>,
}

/// A parapheur: where documents are signed. The built-in one is [`ParapheurLocal`]; an
/// adapter to an external parapheur (iParapheur, Pastell…) implements this trait and is given
/// to the server with `AppState::with_parapheur`.
#[async_trait]
pub trait Parapheur: Send + Sync + std::fmt::Debug {
    /// The name recorded on the folders it carries (`local`, `iparapheur`…).
    fn fournisseur(&self) -> &'static str;

    /// Submits a document version to a circuit of signatories, in the caller's transaction.
    /// Implementations record the folder with [`enregistrer`] (which checks the submission
    /// and announces it) and, for an external parapheur, send the document there.
    ///
    /// # Errors
    /// [`ParapheurError::Champs`] for an invalid submission, the document's errors, the
    /// external parapheur's.
    async fn soumettre(
        &self,
        txn: &DatabaseTransaction,
        soumission: Soumission,
        now: DateTime<Utc>,
    ) -> Result<Dossier, ParapheurError>;

    /// Where a folder stands (an external adapter may ask its parapheur first).
    ///
    /// # Errors
    /// [`ParapheurError::Introuvable`]; the database or the external parapheur failed.
    async fn etat(
        &self,
        db: &DatabaseConnection,
        collectivite_id: Uuid,
        id: Uuid,
    ) -> Result<Dossier, ParapheurError>;

    /// The signed document of a signed folder.
    ///
    /// # Errors
    /// [`ParapheurError::NonSigne`] while it is not signed; [`ParapheurError::Introuvable`].
    async fn document_signe(
        &self,
        db: &DatabaseConnection,
        collectivite_id: Uuid,
        id: Uuid,
    ) -> Result<DocumentSigne, ParapheurError> {
        document_signe(db, collectivite_id, id).await
    }
}

/// The built-in parapheur: agents sign in the back office or through the API, in the
/// circuit's order; each signature records who, when, and the SHA-256 of the content read
/// back from the store at that moment.
#[derive(Debug, Clone, Copy, Default)]
pub struct ParapheurLocal;

#[async_trait]
impl Parapheur for ParapheurLocal {
    fn fournisseur(&self) -> &'static str {
        LOCAL
    }

    async fn soumettre(
        &self,
        txn: &DatabaseTransaction,
        soumission: Soumission,
        now: DateTime<Utc>,
    ) -> Result<Dossier, ParapheurError> {
        enregistrer(txn, soumission, LOCAL, None, now).await
    }

    async fn etat(
        &self,
        db: &DatabaseConnection,
        collectivite_id: Uuid,
        id: Uuid,
    ) -> Result<Dossier, ParapheurError> {
        dossier(db, collectivite_id, id).await
    }
}

/// Checks a submission and records its folder, carried by `fournisseur`, with one step per
/// signatory; publishes `parapheur.soumis`.
///
/// The circuit holds 1 to [`CIRCUIT_MAX`] distinct active agents, each holding
/// `parapheur.dossier.signer` in the collectivité.
///
/// # Errors
/// [`ParapheurError::Champs`] naming each field at fault; the document or its version is
/// unknown; the database failed.
pub async fn enregistrer(
    txn: &DatabaseTransaction,
    soumission: Soumission,
    fournisseur: &str,
    reference_externe: Option<String>,
    now: DateTime<Utc>,
) -> Result<Dossier, ParapheurError> {
    let collectivite_id = soumission.collectivite_id;
    let mut erreurs = Vec::new();
    let titre = soumission.titre.trim();
    if titre.is_empty() || titre.chars().count() > 200 {
        erreurs.push(FieldError::new(
            "titre",
            "longueur",
            "le titre est obligatoire, 200 caractères au plus",
        ));
    }
    if let Some(objet) = &soumission.objet {
        objet.verifier("objet.", &mut erreurs);
    }
    let signataires = signataires(txn, collectivite_id, &soumission.circuit, &mut erreurs).await?;
    if !erreurs.is_empty() {
        return Err(ParapheurError::Champs(erreurs));
    }
    let document = ged::document(txn, collectivite_id, soumission.document_id).await?;
    let version = ged::une_version(txn, &document, soumission.version).await?;
    if let Some(objet) = &soumission.objet
        && !ged::rattachements(txn, document.id).await?.contains(objet)
    {
        // The event will make this record final: the document signed must be its own.
        return Err(ParapheurError::Champs(vec![FieldError::new(
            "objet",
            "non-rattache",
            "le document n'est pas rattaché à cet enregistrement : rattachez-le d'abord (GED)",
        )]));
    }
    let id = Uuid::now_v7();
    // The document is the folder's proof: held while the folder exists.
    ged::retenir(
        txn,
        collectivite_id,
        document.id,
        &format!("dossier de signature {id}"),
    )
    .await?;
    let objet = soumission.objet.as_ref();
    dossier::ActiveModel {
        id: Set(id),
        collectivite_id: Set(collectivite_id),
        titre: Set(titre.to_owned()),
        document_id: Set(document.id),
        version: Set(version.numero),
        empreinte: Set(version.empreinte.clone()),
        version_signee: Set(None),
        module: Set(objet.map(|o| o.module.clone())),
        objet_type: Set(objet.map(|o| o.objet_type.clone())),
        objet_id: Set(objet.map(|o| o.objet_id.clone())),
        fournisseur: Set(fournisseur.to_owned()),
        reference_externe: Set(reference_externe),
        etat: Set(EtatDossier::EnCours.code().to_owned()),
        soumis_par: Set(soumission.soumis_par),
        soumis_le: Set(now),
        termine_le: Set(None),
        motif_refus: Set(None),
    }
    .insert(txn)
    .await?;
    let etapes = signataires
        .into_iter()
        .zip(1..)
        .map(|(signataire, ordre)| etape::ActiveModel {
            id: Set(Uuid::now_v7()),
            dossier_id: Set(id),
            ordre: Set(ordre),
            signataire_id: Set(signataire.id),
            signataire: Set(signataire.nom),
            etat: Set(EtatEtape::EnAttente.code().to_owned()),
            decide_le: Set(None),
            empreinte: Set(None),
            commentaire: Set(None),
        });
    etape::Entity::insert_many(etapes).exec(txn).await?;
    let enregistre = dossier(txn, collectivite_id, id).await?;
    annoncer(txn, collectivite_id, SOUMIS, &enregistre, now).await?;
    Ok(enregistre)
}

/// The agents of a circuit, checked: known, active, distinct, allowed to sign here.
async fn signataires<C: ConnectionTrait>(
    db: &C,
    collectivite_id: Uuid,
    circuit: &[Uuid],
    erreurs: &mut Vec<FieldError>,
) -> Result<Vec<agent::Model>, DbErr> {
    if circuit.is_empty() || circuit.len() > CIRCUIT_MAX {
        erreurs.push(FieldError::new(
            "circuit",
            "longueur",
            format!("le circuit compte de 1 à {CIRCUIT_MAX} signataires"),
        ));
        return Ok(Vec::new());
    }
    let mut agents = Vec::with_capacity(circuit.len());
    for (rang, id) in circuit.iter().enumerate() {
        let champ = format!("circuit[{rang}]");
        if circuit[..rang].contains(id) {
            erreurs.push(FieldError::new(
                champ,
                "doublon",
                "cet agent figure déjà plus haut dans le circuit",
            ));
            continue;
        }
        let Some(agent) = agent::Entity::find_by_id(*id).one(db).await? else {
            erreurs.push(FieldError::new(
                champ,
                "inconnu",
                format!("aucun agent n'a l'identifiant {id}"),
            ));
            continue;
        };
        if !agent.actif {
            erreurs.push(FieldError::new(
                champ,
                "inactif",
                format!("le compte de l'agent « {} » est désactivé", agent.nom),
            ));
        } else if !agent.administrateur
            && !crate::droits::auth::agent_permissions(db, agent.id, collectivite_id)
                .await?
                .contains(DROIT_SIGNER)
        {
            erreurs.push(FieldError::new(
                champ,
                "droit",
                format!(
                    "l'agent « {} » ne détient pas le droit {DROIT_SIGNER} dans cette collectivité",
                    agent.nom
                ),
            ));
        }
        agents.push(agent);
    }
    Ok(agents)
}

/// A folder of the collectivité with its circuit.
///
/// # Errors
/// [`ParapheurError::Introuvable`]; the database failed.
pub async fn dossier<C: ConnectionTrait>(
    db: &C,
    collectivite_id: Uuid,
    id: Uuid,
) -> Result<Dossier, ParapheurError> {
    let model = dossier::Entity::find_in(collectivite_id)
        .filter(dossier::Column::Id.eq(id))
        .one(db)
        .await?
        .ok_or(ParapheurError::Introuvable(id))?;
    let etapes = etapes(db, id).await?;
    Ok(Dossier::new(model, etapes))
}

async fn etapes<C: ConnectionTrait>(db: &C, dossier_id: Uuid) -> Result<Vec<etape::Model>, DbErr> {
    etape::Entity::find()
        .filter(etape::Column::DossierId.eq(dossier_id))
        .order_by_asc(etape::Column::Ordre)
        .all(db)
        .await
}

/// Which folders a list shows.
#[derive(Debug, Clone, Default)]
pub struct Filtre {
    /// Only those in this state.
    pub etat: Option<EtatDossier>,
    /// Only those waiting for this agent's signature now.
    pub a_signer_par: Option<Uuid>,
}

/// One page of the collectivité's folders, in submission order.
///
/// # Errors
/// The database failed.
pub async fn page<C: ConnectionTrait>(
    db: &C,
    collectivite_id: Uuid,
    filtre: &Filtre,
    params: &PageParams,
) -> Result<Page<Dossier>, DbErr> {
    let mut select = dossier::Entity::find_in(collectivite_id);
    if let Some(etat) = filtre.etat {
        select = select.filter(dossier::Column::Etat.eq(etat.code()));
    }
    if let Some(agent_id) = filtre.a_signer_par {
        let miens = etape::Entity::find()
            .filter(etape::Column::SignataireId.eq(agent_id))
            .filter(etape::Column::Etat.eq(EtatEtape::EnAttente.code()))
            .select_only()
            .column(etape::Column::DossierId)
            .into_query();
        select = select
            .filter(dossier::Column::Etat.eq(EtatDossier::EnCours.code()))
            .filter(dossier::Column::Id.in_subquery(miens));
    }
    let page =
        crate::http::pagination::fetch_page(db, select, dossier::Column::Id, |d| d.id, params)
            .await?;
    let mut items = Vec::with_capacity(page.items.len());
    for model in page.items {
        let etapes = etapes(db, model.id).await?;
        let dossier = Dossier::new(model, etapes);
        // A signatory further down the circuit waits for the earlier ones: not theirs yet.
        let a_moi = filtre.a_signer_par.is_none_or(|agent| {
            dossier
                .etape_en_attente()
                .is_some_and(|e| e.signataire_id == agent)
        });
        if a_moi {
            items.push(dossier);
        }
    }
    Ok(Page {
        items,
        next_cursor: page.next_cursor,
    })
}

/// The folder in progress of the built-in parapheur, and the step `agent_id` may decide now.
async fn etape_de(
    txn: &DatabaseTransaction,
    collectivite_id: Uuid,
    id: Uuid,
    agent_id: Uuid,
) -> Result<(Dossier, Etape), ParapheurError> {
    let dossier = dossier(txn, collectivite_id, id).await?;
    if dossier.fournisseur != LOCAL {
        return Err(ParapheurError::Externe(dossier.fournisseur));
    }
    if dossier.etat != EtatDossier::EnCours {
        return Err(ParapheurError::Clos(dossier.etat));
    }
    let etape = dossier
        .etape_en_attente()
        .cloned()
        .ok_or(ParapheurError::Clos(dossier.etat))?;
    if etape.signataire_id != agent_id {
        return Err(ParapheurError::PasVotreTour {
            ordre: etape.ordre,
            attendu: etape.signataire,
        });
    }
    Ok((dossier, etape))
}

/// Records a step's decision, if the step is still waiting (another request may have decided
/// it a moment before).
async fn decider(
    txn: &DatabaseTransaction,
    dossier_id: Uuid,
    ordre: i32,
    etat: EtatEtape,
    empreinte: Option<String>,
    commentaire: Option<String>,
    now: DateTime<Utc>,
) -> Result<(), ParapheurError> {
    let fait = etape::Entity::update_many()
        .col_expr(etape::Column::Etat, etat.code().into())
        .col_expr(etape::Column::DecideLe, now.into())
        .col_expr(etape::Column::Empreinte, empreinte.into())
        .col_expr(etape::Column::Commentaire, commentaire.into())
        .filter(etape::Column::DossierId.eq(dossier_id))
        .filter(etape::Column::Ordre.eq(ordre))
        .filter(etape::Column::Etat.eq(EtatEtape::EnAttente.code()))
        .exec(txn)
        .await?;
    if fait.rows_affected == 1 {
        Ok(())
    } else {
        Err(ParapheurError::Concurrence)
    }
}

/// The content of a folder's document, read back from the store and found to have the
/// SHA-256 submitted: what a signature is put on. Only [`verifier_contenu`] makes one.
#[derive(Debug, Clone)]
pub struct ContenuVerifie {
    dossier_id: Uuid,
    empreinte: String,
}

/// Reads the document version of the folder `id` back from the store (which checks the
/// content against its digest) and checks that digest is the one submitted. Done before the
/// signature's transaction: reading a large file does not hold the database's writers.
///
/// # Errors
/// [`ParapheurError::Introuvable`]; the content is missing or altered in the store.
pub async fn verifier_contenu<C: ConnectionTrait>(
    db: &C,
    documents: &Ged,
    collectivite_id: Uuid,
    id: Uuid,
) -> Result<ContenuVerifie, ParapheurError> {
    let dossier = dossier(db, collectivite_id, id).await?;
    let document = ged::document(db, collectivite_id, dossier.document_id).await?;
    let version = ged::une_version(db, &document, Some(dossier.version)).await?;
    documents.lire(&version).await?;
    if version.empreinte != dossier.empreinte {
        return Err(GedError::ContenuManquant(dossier.empreinte).into());
    }
    Ok(ContenuVerifie {
        dossier_id: id,
        empreinte: version.empreinte,
    })
}

/// `agent_id` signs the folder `id` of the built-in parapheur at its step, on the content
/// [`verifier_contenu`] read back: the signature records the signatory, the time and that
/// SHA-256. After the last signatory the folder is signed (`parapheur.signe`).
///
/// # Errors
/// [`ParapheurError::PasVotreTour`] when another signatory is expected, [`ParapheurError::Clos`]
/// for a folder already decided, [`ParapheurError::Externe`] for one carried elsewhere; the
/// database failed.
#[allow(
    clippy::too_many_arguments,
    reason = "a signature: the folder, who, on what, with which comment, when"
)]
pub async fn signer(
    txn: &DatabaseTransaction,
    collectivite_id: Uuid,
    id: Uuid,
    agent_id: Uuid,
    contenu: &ContenuVerifie,
    commentaire: Option<String>,
    now: DateTime<Utc>,
) -> Result<Dossier, ParapheurError> {
    let (dossier, etape) = etape_de(txn, collectivite_id, id, agent_id).await?;
    if contenu.dossier_id != id || contenu.empreinte != dossier.empreinte {
        return Err(GedError::ContenuManquant(dossier.empreinte).into());
    }
    decider(
        txn,
        id,
        etape.ordre,
        EtatEtape::Signee,
        Some(contenu.empreinte.clone()),
        commentaire,
        now,
    )
    .await?;
    let derniere = dossier
        .etapes
        .last()
        .is_some_and(|e| e.ordre == etape.ordre);
    if derniere {
        conclure(
            txn,
            collectivite_id,
            id,
            Issue::Signe {
                version_signee: dossier.version,
            },
            now,
        )
        .await
    } else {
        self::dossier(txn, collectivite_id, id).await
    }
}

/// `agent_id` refuses the folder `id` of the built-in parapheur at its step, for `motif`: the
/// folder is refused (`parapheur.refuse`) and the following signatories are not asked.
///
/// # Errors
/// As [`signer`]; [`ParapheurError::Champs`] without a reason.
pub async fn refuser(
    txn: &DatabaseTransaction,
    collectivite_id: Uuid,
    id: Uuid,
    agent_id: Uuid,
    motif: &str,
    now: DateTime<Utc>,
) -> Result<Dossier, ParapheurError> {
    let motif = motif.trim();
    if motif.is_empty() || motif.chars().count() > 1000 {
        return Err(ParapheurError::Champs(vec![FieldError::new(
            "motif",
            "longueur",
            "le motif du refus est obligatoire, 1000 caractères au plus",
        )]));
    }
    let (_, etape) = etape_de(txn, collectivite_id, id, agent_id).await?;
    decider(
        txn,
        id,
        etape.ordre,
        EtatEtape::Refusee,
        None,
        Some(motif.to_owned()),
        now,
    )
    .await?;
    conclure(
        txn,
        collectivite_id,
        id,
        Issue::Refuse {
            motif: motif.to_owned(),
        },
        now,
    )
    .await
}

/// How a folder ends.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Issue {
    /// Signed; the signed document is this version of the GED document (the one submitted
    /// with the built-in parapheur, the file returned by an external one).
    Signe {
        /// The version holding the signed document.
        version_signee: i32,
    },
    /// Refused, for this reason.
    Refuse {
        /// Why.
        motif: String,
    },
}

/// Records how a folder in progress ends and announces it (`parapheur.signe` or
/// `parapheur.refuse`). The built-in parapheur calls it after the last signature or a refusal;
/// an external adapter calls it when its parapheur has decided.
///
/// # Errors
/// [`ParapheurError::Clos`] for a folder already decided, [`ParapheurError::Concurrence`] when
/// it was decided at the same moment; the database failed.
pub async fn conclure(
    txn: &DatabaseTransaction,
    collectivite_id: Uuid,
    id: Uuid,
    issue: Issue,
    now: DateTime<Utc>,
) -> Result<Dossier, ParapheurError> {
    let avant = dossier(txn, collectivite_id, id).await?;
    if avant.etat != EtatDossier::EnCours {
        return Err(ParapheurError::Clos(avant.etat));
    }
    let (etat, version_signee, motif, evenement) = match issue {
        Issue::Signe { version_signee } => (EtatDossier::Signe, Some(version_signee), None, SIGNE),
        Issue::Refuse { motif } => (EtatDossier::Refuse, None, Some(motif), REFUSE),
    };
    let fait = dossier::Entity::update_many()
        .col_expr(dossier::Column::Etat, etat.code().into())
        .col_expr(dossier::Column::VersionSignee, version_signee.into())
        .col_expr(dossier::Column::MotifRefus, motif.into())
        .col_expr(dossier::Column::TermineLe, Some(now).into())
        .filter(dossier::Column::Id.eq(id))
        .filter(dossier::Column::Etat.eq(EtatDossier::EnCours.code()))
        .exec(txn)
        .await?;
    if fait.rows_affected != 1 {
        return Err(ParapheurError::Concurrence);
    }
    let apres = dossier(txn, collectivite_id, id).await?;
    annoncer(txn, collectivite_id, evenement, &apres, now).await?;
    Ok(apres)
}

/// The signed document of a signed folder, with its signatures.
///
/// # Errors
/// [`ParapheurError::NonSigne`] while it is not signed; [`ParapheurError::Introuvable`].
pub async fn document_signe<C: ConnectionTrait>(
    db: &C,
    collectivite_id: Uuid,
    id: Uuid,
) -> Result<DocumentSigne, ParapheurError> {
    let dossier = dossier(db, collectivite_id, id).await?;
    let Some(numero) = dossier
        .version_signee
        .filter(|_| dossier.etat == EtatDossier::Signe)
    else {
        return Err(ParapheurError::NonSigne(dossier.etat));
    };
    let document = ged::document(db, collectivite_id, dossier.document_id).await?;
    let version = ged::une_version(db, &document, Some(numero)).await?;
    Ok(DocumentSigne {
        dossier_id: dossier.id,
        document_id: document.id,
        version: numero,
        empreinte: version.empreinte,
        contenu: format!(
            "/api/v1/ged/documents/{}/contenu?version={numero}",
            document.id
        ),
        signatures: dossier
            .etapes
            .into_iter()
            .filter(|e| e.etat == EtatEtape::Signee)
            .map(|e| Signature {
                ordre: e.ordre,
                signataire_id: e.signataire_id,
                signataire: e.signataire,
                signe_le: e.decide_le,
                empreinte: e.empreinte,
            })
            .collect(),
    })
}

/// Publishes one of the parapheur's events about `dossier`; its subject is the folder, so a
/// folder's events keep their order.
async fn annoncer(
    txn: &DatabaseTransaction,
    collectivite_id: Uuid,
    type_: &str,
    dossier: &Dossier,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    let donnees = json!({
        "dossier_id": dossier.id,
        "titre": dossier.titre,
        "document_id": dossier.document_id,
        "version": dossier.version,
        "empreinte": dossier.empreinte,
        "version_signee": dossier.version_signee,
        "objet": dossier.objet,
        "fournisseur": dossier.fournisseur,
        "etat": dossier.etat,
        "motif_refus": dossier.motif_refus,
    });
    evenements::publier(
        txn,
        Publication {
            collectivite_id,
            type_,
            sujet: dossier.id.to_string(),
            donnees,
        },
        now,
    )
    .await?;
    Ok(())
}
