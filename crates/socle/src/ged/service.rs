//! What modules call: deposit a document, add a version, attach it to a record, read it back,
//! purge what its retention period no longer allows to keep.
//!
//! A deposit happens in two steps: [`Ged::preparer`] checks the file (size, type) and computes its
//! digest, [`Ged::stocker`] writes the blob, then [`deposer`] (or [`versionner`]) records the
//! metadata in the caller's transaction. A blob written for a transaction that then fails is
//! only an orphan: [`nettoyer`] removes it. A blob is never removed while a version uses it.

use std::sync::Arc;

use axum::body::Bytes;
use chrono::{DateTime, Datelike, NaiveDate, Utc};
use sea_orm::sea_query::{Expr, OnConflict, Query};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, QueryTrait, Set,
};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use super::entity::{blob, document, rattachement, version};
use super::stockage::{Empreinte, Stockage, StockageError, StockageObjet};
use super::types::{TypeAccepte, TypeRefuse, reconnaitre};
use crate::collectivite::TenantScoped;
use crate::http::FieldError;

/// Default largest file accepted: 25 MiB (a scanned register of a few dozen pages).
pub const TAILLE_MAX_DEFAUT: u64 = 25 * 1024 * 1024;

/// How a usager is named as a record documents are attached to: module `usagers`, kind
/// `usager`.
pub const USAGER: (&str, &str) = ("usagers", "usager");

/// Longest retention period one can set, in years.
pub const CONSERVATION_MAX_ANS: u16 = 200;

/// Everything that can go wrong with a document.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum GedError {
    /// No document of the collectivité has this id.
    #[error("aucun document n'a l'identifiant {0}")]
    Introuvable(Uuid),
    /// The document has no such version.
    #[error("le document n'a pas de version {0}")]
    VersionIntrouvable(i32),
    /// The file is larger than the server accepts.
    #[error(
        "le fichier « {nom} » pèse {} Mo ; le maximum accepté est {} Mo",
        mo(*taille),
        mo(*maximum)
    )]
    TropVolumineux {
        /// The file name.
        nom: String,
        /// Its size, in bytes (or at least this many).
        taille: u64,
        /// The limit, in bytes.
        maximum: u64,
    },
    /// The file is empty.
    #[error("le fichier « {0} » est vide")]
    Vide(String),
    /// The file's type is refused.
    #[error(transparent)]
    Type(#[from] TypeRefuse),
    /// The new version has the same content as the current one.
    #[error("cette version est identique à la version {0} du document (même contenu)")]
    VersionIdentique(i32),
    /// Fields of the request are invalid.
    #[error("données invalides")]
    Champs(Vec<FieldError>),
    /// The store of blobs failed.
    #[error(transparent)]
    Stockage(#[from] StockageError),
    /// A version's blob is missing from the store.
    #[error("le contenu {0} manque dans le stockage des documents")]
    ContenuManquant(String),
    /// The document is held (by a signature folder…): it is not deleted.
    #[error("le document est retenu ({0}) : il ne peut pas être supprimé")]
    Retenu(String),
    /// Another version of the document was deposited at the same moment.
    #[error("une autre version du document vient d'être déposée ; rechargez-le puis recommencez")]
    Concurrence,
    /// The database failed.
    #[error(transparent)]
    Db(#[from] DbErr),
}

#[allow(
    clippy::cast_precision_loss,
    reason = "a size in megabytes for a message, to one decimal"
)]
fn mo(octets: u64) -> String {
    format!("{:.1}", octets as f64 / (1024.0 * 1024.0)).replace('.', ",")
}

/// The GED of an application: where blobs go and how large a file may be. Cheap to clone.
#[derive(Debug, Clone)]
pub struct Ged {
    stockage: Arc<dyn Stockage>,
    taille_max: u64,
}

impl Default for Ged {
    /// Blobs in memory (tests); the server sets a directory or a bucket.
    fn default() -> Self {
        Self::new(Arc::new(StockageObjet::memoire()), TAILLE_MAX_DEFAUT)
    }
}

impl Ged {
    /// A GED keeping its blobs in `stockage`, refusing files over `taille_max` bytes.
    #[must_use]
    pub fn new(stockage: Arc<dyn Stockage>, taille_max: u64) -> Self {
        Self {
            stockage,
            taille_max,
        }
    }

    /// The store of blobs.
    #[must_use]
    pub fn stockage(&self) -> &dyn Stockage {
        self.stockage.as_ref()
    }

    /// The largest file accepted, in bytes.
    #[must_use]
    pub fn taille_max(&self) -> u64 {
        self.taille_max
    }

    /// Checks a file (not empty, not too large, an accepted type whose name agrees) and
    /// computes its digest.
    ///
    /// # Errors
    /// [`GedError::Vide`], [`GedError::TropVolumineux`], [`GedError::Type`].
    pub fn preparer(&self, nom: &str, octets: Bytes) -> Result<Contenu, GedError> {
        let nom = nom_de_fichier(nom);
        let taille = octets.len() as u64;
        if taille == 0 {
            return Err(GedError::Vide(nom));
        }
        if taille > self.taille_max {
            return Err(GedError::TropVolumineux {
                nom,
                taille,
                maximum: self.taille_max,
            });
        }
        let type_fichier = reconnaitre(&nom, &octets)?;
        Ok(Contenu {
            empreinte: Empreinte::de(&octets),
            type_fichier,
            nom,
            octets,
        })
    }

    /// Writes the blob of a prepared content (nothing if the store already has it). Call it
    /// before recording the version, outside the transaction. The blob's row is first marked
    /// seen `now`, in its own commit: [`nettoyer`] then leaves the blob alone for its grace
    /// period, and a cleanup that removed it just before finds it written again.
    ///
    /// # Errors
    /// The database or the store failed.
    pub async fn stocker(
        &self,
        db: &sea_orm::DatabaseConnection,
        contenu: &Contenu,
        now: DateTime<Utc>,
    ) -> Result<(), GedError> {
        let txn = crate::db::ecriture(db).await?;
        enregistrer_blob(&*txn, contenu, now).await?;
        txn.commit().await?;
        self.stockage
            .ecrire(&contenu.empreinte, contenu.octets.clone())
            .await?;
        Ok(())
    }

    /// The content of a version.
    ///
    /// # Errors
    /// [`GedError::ContenuManquant`] when the store lost it; the store failed.
    pub async fn lire(&self, version: &version::Model) -> Result<Bytes, GedError> {
        let empreinte = Empreinte::lire(&version.empreinte)
            .ok_or_else(|| GedError::ContenuManquant(version.empreinte.clone()))?;
        self.stockage
            .lire(&empreinte)
            .await?
            .ok_or_else(|| GedError::ContenuManquant(version.empreinte.clone()))
    }
}

/// Keeps the last part of a path an agent's browser may send, and at most 255 characters.
fn nom_de_fichier(nom: &str) -> String {
    let nom = nom.rsplit(['/', '\\']).next().unwrap_or(nom).trim();
    let nom: String = nom.chars().filter(|c| !c.is_control()).take(255).collect();
    if nom.is_empty() {
        "document".to_owned()
    } else {
        nom
    }
}

/// A file checked by [`Ged::preparer`], ready to store.
#[derive(Debug, Clone)]
pub struct Contenu {
    /// SHA-256 of the bytes.
    pub empreinte: Empreinte,
    /// The type told from the content.
    pub type_fichier: &'static TypeAccepte,
    /// The file name, without any directory.
    pub nom: String,
    /// The bytes.
    pub octets: Bytes,
}

/// A record of a module, to which documents are attached.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Objet {
    /// The module (`elections`, `usagers`, `cimetiere`…).
    #[schema(example = "elections")]
    pub module: String,
    /// The kind of record in that module.
    #[schema(example = "inscription")]
    pub objet_type: String,
    /// The record's id.
    #[schema(example = "0b0e7f4c-6f7a-4c61-9a3f-3d2b9a6f1c10")]
    pub objet_id: String,
}

impl Objet {
    /// A record.
    #[must_use]
    pub fn new(module: &str, objet_type: &str, objet_id: impl ToString) -> Self {
        Self {
            module: module.to_owned(),
            objet_type: objet_type.to_owned(),
            objet_id: objet_id.to_string(),
        }
    }

    /// Checks the lengths and characters; `champ` prefixes the field names in errors. The
    /// module and the kind of record are identifiers (lower-case letters, digits, `-`, `_`)
    /// and no value has surrounding spaces: the record named is the one the rights are checked
    /// on, as written.
    pub(crate) fn verifier(&self, champ: &str, erreurs: &mut Vec<FieldError>) {
        for (nom, valeur, max) in [
            ("module", &self.module, 50),
            ("objet_type", &self.objet_type, 50),
            ("objet_id", &self.objet_id, 100),
        ] {
            let identifiant = nom != "objet_id";
            if valeur.is_empty() || valeur.chars().count() > max {
                erreurs.push(FieldError::new(
                    format!("{champ}{nom}"),
                    "longueur",
                    format!("obligatoire, {max} caractères au plus"),
                ));
            } else if identifiant
                && !valeur
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_')
            {
                erreurs.push(FieldError::new(
                    format!("{champ}{nom}"),
                    "format",
                    "un identifiant : lettres minuscules sans accent, chiffres, « - » ou « _ »",
                ));
            } else if valeur.trim() != valeur.as_str() || valeur.chars().any(char::is_control) {
                erreurs.push(FieldError::new(
                    format!("{champ}{nom}"),
                    "format",
                    "ni espace au début ou à la fin, ni caractère de contrôle",
                ));
            }
        }
    }
}

/// The metadata of a new document.
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct NouveauDocument {
    /// Title shown to agents.
    #[schema(example = "Justificatif de domicile")]
    pub titre: String,
    /// Kind of document (`acte`, `photo`, `justificatif`…).
    #[schema(example = "justificatif")]
    pub type_document: String,
    /// Retention period in years from the deposit (1 to 200); absent: kept until deleted.
    #[schema(example = 6)]
    pub conservation_ans: Option<u16>,
    /// Records to attach it to at once.
    #[serde(default)]
    pub rattacher_a: Vec<Objet>,
}

impl NouveauDocument {
    /// Every invalid field, in French.
    #[must_use]
    pub fn erreurs(&self) -> Vec<FieldError> {
        let mut erreurs = Vec::new();
        if self.titre.trim().is_empty() || self.titre.chars().count() > 200 {
            erreurs.push(FieldError::new(
                "titre",
                "longueur",
                "obligatoire, 200 caractères au plus",
            ));
        }
        if self.type_document.trim().is_empty()
            || self.type_document.chars().count() > 50
            || !self
                .type_document
                .chars()
                .all(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | '.'))
        {
            erreurs.push(FieldError::new(
                "type_document",
                "format",
                "obligatoire : un code de 50 caractères au plus, lettres, chiffres, « - », « _ » ou « . » (ex. « justificatif »)",
            ));
        }
        if let Some(ans) = self.conservation_ans
            && !(1..=CONSERVATION_MAX_ANS).contains(&ans)
        {
            erreurs.push(FieldError::new(
                "conservation_ans",
                "intervalle",
                format!("entre 1 et {CONSERVATION_MAX_ANS} ans, ou absent pour une conservation sans limite"),
            ));
        }
        for (i, objet) in self.rattacher_a.iter().enumerate() {
            objet.verifier(&format!("rattacher_a[{i}]."), &mut erreurs);
        }
        erreurs
    }
}

/// The last day a document deposited on `depot` must be kept for `ans` years.
#[must_use]
pub fn fin_de_conservation(depot: NaiveDate, ans: u16) -> NaiveDate {
    let annee = depot.year() + i32::from(ans);
    // 29 February kept until 28 February of a common year.
    NaiveDate::from_ymd_opt(annee, depot.month(), depot.day())
        .or_else(|| NaiveDate::from_ymd_opt(annee, depot.month(), 28))
        .unwrap_or(depot)
}

/// Records the blob row of a content, or marks it seen `now` if it is known.
async fn enregistrer_blob<C: ConnectionTrait>(
    db: &C,
    contenu: &Contenu,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    let ligne = blob::ActiveModel {
        empreinte: Set(contenu.empreinte.to_string()),
        taille: Set(i64::try_from(contenu.octets.len()).unwrap_or(i64::MAX)),
        cree_le: Set(now),
        vu_le: Set(now),
    };
    blob::Entity::insert(ligne)
        .on_conflict(
            OnConflict::column(blob::Column::Empreinte)
                .update_column(blob::Column::VuLe)
                .to_owned(),
        )
        .exec_without_returning(db)
        .await?;
    Ok(())
}

async fn inserer_version<C: ConnectionTrait>(
    db: &C,
    document_id: Uuid,
    numero: i32,
    contenu: &Contenu,
    commentaire: Option<String>,
    depose_par: Option<Uuid>,
    now: DateTime<Utc>,
) -> Result<version::Model, DbErr> {
    enregistrer_blob(db, contenu, now).await?;
    version::ActiveModel {
        id: Set(Uuid::now_v7()),
        document_id: Set(document_id),
        numero: Set(numero),
        empreinte: Set(contenu.empreinte.to_string()),
        taille: Set(i64::try_from(contenu.octets.len()).unwrap_or(i64::MAX)),
        type_mime: Set(contenu.type_fichier.type_mime.to_owned()),
        nom_fichier: Set(contenu.nom.clone()),
        commentaire: Set(commentaire),
        depose_par: Set(depose_par),
        cree_le: Set(now),
    }
    .insert(db)
    .await
}

/// Records a new document (version 1 is `contenu`, already stored by [`Ged::stocker`]) and
/// attaches it to the records `nouveau.rattacher_a` names.
///
/// # Errors
/// [`GedError::Champs`] for invalid metadata; the database failed.
pub async fn deposer<C: ConnectionTrait>(
    db: &C,
    collectivite_id: Uuid,
    nouveau: NouveauDocument,
    contenu: &Contenu,
    depose_par: Option<Uuid>,
    now: DateTime<Utc>,
) -> Result<(document::Model, version::Model), GedError> {
    let erreurs = nouveau.erreurs();
    if !erreurs.is_empty() {
        return Err(GedError::Champs(erreurs));
    }
    let id = Uuid::now_v7();
    let cree = document::ActiveModel {
        id: Set(id),
        collectivite_id: Set(collectivite_id),
        titre: Set(nouveau.titre.trim().to_owned()),
        type_document: Set(nouveau.type_document.trim().to_owned()),
        conservation_ans: Set(nouveau.conservation_ans.map(i32::from)),
        conserver_jusqu_au: Set(nouveau
            .conservation_ans
            .map(|ans| fin_de_conservation(now.date_naive(), ans))),
        version_courante: Set(1),
        retenu_par: Set(None),
        cree_le: Set(now),
        modifie_le: Set(now),
    }
    .insert(db)
    .await?;
    let version = inserer_version(db, id, 1, contenu, None, depose_par, now).await?;
    for objet in &nouveau.rattacher_a {
        rattacher(db, collectivite_id, id, objet, now).await?;
    }
    Ok((cree, version))
}

/// The collectivité's document `id`.
///
/// # Errors
/// [`GedError::Introuvable`]; the database failed.
pub async fn document<C: ConnectionTrait>(
    db: &C,
    collectivite_id: Uuid,
    id: Uuid,
) -> Result<document::Model, GedError> {
    document::Entity::find_in(collectivite_id)
        .filter(document::Column::Id.eq(id))
        .one(db)
        .await?
        .ok_or(GedError::Introuvable(id))
}

/// Adds a version to a document (`contenu` already stored by [`Ged::stocker`]); it becomes the
/// current one.
///
/// # Errors
/// [`GedError::Introuvable`], [`GedError::VersionIdentique`] when the content is the current
/// version's; the database failed.
pub async fn versionner<C: ConnectionTrait>(
    db: &C,
    collectivite_id: Uuid,
    document_id: Uuid,
    contenu: &Contenu,
    commentaire: Option<String>,
    depose_par: Option<Uuid>,
    now: DateTime<Utc>,
) -> Result<version::Model, GedError> {
    if let Some(c) = &commentaire
        && c.chars().count() > 500
    {
        return Err(GedError::Champs(vec![FieldError::new(
            "commentaire",
            "longueur",
            "500 caractères au plus",
        )]));
    }
    let courant = document(db, collectivite_id, document_id).await?;
    let derniere = une_version(db, &courant, None).await?;
    if derniere.empreinte == contenu.empreinte.as_str() {
        return Err(GedError::VersionIdentique(derniere.numero));
    }
    let numero = courant.version_courante + 1;
    // Compare-and-set on the version number: of two concurrent deposits, one wins and the
    // other finds no row to update (the unique index on (document, numero) backs it).
    let maj = document::Entity::update_many()
        .col_expr(document::Column::VersionCourante, Expr::value(numero))
        .col_expr(document::Column::ModifieLe, Expr::value(now))
        .filter(document::Column::Id.eq(document_id))
        .filter(document::Column::VersionCourante.eq(courant.version_courante))
        .exec(db)
        .await?;
    if maj.rows_affected != 1 {
        return Err(GedError::Concurrence);
    }
    Ok(inserer_version(
        db,
        document_id,
        numero,
        contenu,
        commentaire,
        depose_par,
        now,
    )
    .await?)
}

/// Version `numero` of a document, or its current one.
///
/// # Errors
/// [`GedError::VersionIntrouvable`]; the database failed.
pub async fn une_version<C: ConnectionTrait>(
    db: &C,
    doc: &document::Model,
    numero: Option<i32>,
) -> Result<version::Model, GedError> {
    let numero = numero.unwrap_or(doc.version_courante);
    version::Entity::find()
        .filter(version::Column::DocumentId.eq(doc.id))
        .filter(version::Column::Numero.eq(numero))
        .one(db)
        .await?
        .ok_or(GedError::VersionIntrouvable(numero))
}

/// Every version of a document, the first first.
///
/// # Errors
/// The database failed.
pub async fn versions<C: ConnectionTrait>(
    db: &C,
    document_id: Uuid,
) -> Result<Vec<version::Model>, DbErr> {
    version::Entity::find()
        .filter(version::Column::DocumentId.eq(document_id))
        .order_by_asc(version::Column::Numero)
        .all(db)
        .await
}

/// Attaches a document to a record (nothing if it already is).
///
/// # Errors
/// [`GedError::Champs`] for an invalid record reference; the database failed.
pub async fn rattacher<C: ConnectionTrait>(
    db: &C,
    collectivite_id: Uuid,
    document_id: Uuid,
    objet: &Objet,
    now: DateTime<Utc>,
) -> Result<(), GedError> {
    let mut erreurs = Vec::new();
    objet.verifier("", &mut erreurs);
    if !erreurs.is_empty() {
        return Err(GedError::Champs(erreurs));
    }
    let ligne = rattachement::ActiveModel {
        id: Set(Uuid::now_v7()),
        collectivite_id: Set(collectivite_id),
        document_id: Set(document_id),
        module: Set(objet.module.trim().to_owned()),
        objet_type: Set(objet.objet_type.trim().to_owned()),
        objet_id: Set(objet.objet_id.trim().to_owned()),
        rattache_le: Set(now),
    };
    rattachement::Entity::insert(ligne)
        .on_conflict(
            OnConflict::columns([
                rattachement::Column::DocumentId,
                rattachement::Column::Module,
                rattachement::Column::ObjetType,
                rattachement::Column::ObjetId,
            ])
            .do_nothing()
            .to_owned(),
        )
        .exec_without_returning(db)
        .await?;
    Ok(())
}

/// Detaches a document from a record; `false` if it was not attached.
///
/// # Errors
/// The database failed.
pub async fn detacher<C: ConnectionTrait>(
    db: &C,
    collectivite_id: Uuid,
    document_id: Uuid,
    objet: &Objet,
) -> Result<bool, DbErr> {
    let fait = rattachement::Entity::delete_many()
        .filter(rattachement::Column::CollectiviteId.eq(collectivite_id))
        .filter(rattachement::Column::DocumentId.eq(document_id))
        .filter(rattachement::Column::Module.eq(objet.module.as_str()))
        .filter(rattachement::Column::ObjetType.eq(objet.objet_type.as_str()))
        .filter(rattachement::Column::ObjetId.eq(objet.objet_id.as_str()))
        .exec(db)
        .await?;
    Ok(fait.rows_affected > 0)
}

/// The records a document is attached to.
///
/// # Errors
/// The database failed.
pub async fn rattachements<C: ConnectionTrait>(
    db: &C,
    document_id: Uuid,
) -> Result<Vec<Objet>, DbErr> {
    Ok(rattachement::Entity::find()
        .filter(rattachement::Column::DocumentId.eq(document_id))
        .order_by_asc(rattachement::Column::RattacheLe)
        .order_by_asc(rattachement::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(|r| Objet {
            module: r.module,
            objet_type: r.objet_type,
            objet_id: r.objet_id,
        })
        .collect())
}

/// The documents attached to a record, the most recent first. The record itself may have been
/// archived or deleted by its module: its documents remain.
///
/// # Errors
/// The database failed.
pub async fn documents_de<C: ConnectionTrait>(
    db: &C,
    collectivite_id: Uuid,
    objet: &Objet,
) -> Result<Vec<document::Model>, DbErr> {
    let ids: Vec<Uuid> = rattachement::Entity::find_in(collectivite_id)
        .filter(rattachement::Column::Module.eq(objet.module.as_str()))
        .filter(rattachement::Column::ObjetType.eq(objet.objet_type.as_str()))
        .filter(rattachement::Column::ObjetId.eq(objet.objet_id.as_str()))
        .select_only()
        .column(rattachement::Column::DocumentId)
        .into_tuple()
        .all(db)
        .await?;
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    document::Entity::find_in(collectivite_id)
        .filter(document::Column::Id.is_in(ids))
        .order_by_desc(document::Column::CreeLe)
        .order_by_asc(document::Column::Id)
        .all(db)
        .await
}

/// One page of the collectivité's documents, in deposit order — only those attached to `objet`
/// when given.
///
/// # Errors
/// The database failed.
pub async fn page_documents<C: ConnectionTrait>(
    db: &C,
    collectivite_id: Uuid,
    objet: Option<&Objet>,
    params: &crate::http::PageParams,
) -> Result<crate::http::Page<document::Model>, DbErr> {
    let mut select = document::Entity::find_in(collectivite_id);
    if let Some(objet) = objet {
        let rattaches = rattachement::Entity::find_in(collectivite_id)
            .filter(rattachement::Column::Module.eq(objet.module.as_str()))
            .filter(rattachement::Column::ObjetType.eq(objet.objet_type.as_str()))
            .filter(rattachement::Column::ObjetId.eq(objet.objet_id.as_str()))
            .select_only()
            .column(rattachement::Column::DocumentId)
            .into_query();
        select = select.filter(document::Column::Id.in_subquery(rattaches));
    }
    crate::http::pagination::fetch_page(db, select, document::Column::Id, |d| d.id, params).await
}

/// Moves the attachments of usager `absorbe` to usager `conserve` (a merge).
///
/// # Errors
/// The database failed.
pub async fn repointer_usager<C: ConnectionTrait>(
    db: &C,
    collectivite_id: Uuid,
    absorbe: Uuid,
    conserve: Uuid,
) -> Result<(), DbErr> {
    let de = |id: Uuid| {
        rattachement::Entity::find_in(collectivite_id)
            .filter(rattachement::Column::Module.eq(USAGER.0))
            .filter(rattachement::Column::ObjetType.eq(USAGER.1))
            .filter(rattachement::Column::ObjetId.eq(id.to_string()))
    };
    let deja: Vec<Uuid> = de(conserve)
        .select_only()
        .column(rattachement::Column::DocumentId)
        .into_tuple()
        .all(db)
        .await?;
    for ligne in de(absorbe).all(db).await? {
        if deja.contains(&ligne.document_id) {
            rattachement::Entity::delete_by_id(ligne.id)
                .exec(db)
                .await?;
        } else {
            let mut am: rattachement::ActiveModel = ligne.into();
            am.objet_id = Set(conserve.to_string());
            am.update(db).await?;
        }
    }
    Ok(())
}

/// Deletes a document, its versions and attachments. Its blobs go at the next [`nettoyer`].
///
/// # Errors
/// [`GedError::Introuvable`]; the database failed.
pub async fn supprimer<C: ConnectionTrait>(
    db: &C,
    collectivite_id: Uuid,
    id: Uuid,
) -> Result<(), GedError> {
    if let Some(motif) = document(db, collectivite_id, id).await?.retenu_par {
        return Err(GedError::Retenu(motif));
    }
    rattachement::Entity::delete_many()
        .filter(rattachement::Column::DocumentId.eq(id))
        .exec(db)
        .await?;
    version::Entity::delete_many()
        .filter(version::Column::DocumentId.eq(id))
        .exec(db)
        .await?;
    document::Entity::delete_by_id(id).exec(db).await?;
    Ok(())
}

/// Holds a document for `motif` (« dossier de signature … »): it can then be neither deleted
/// nor purged at the end of its retention period.
///
/// # Errors
/// [`GedError::Introuvable`]; the database failed.
pub async fn retenir<C: ConnectionTrait>(
    db: &C,
    collectivite_id: Uuid,
    id: Uuid,
    motif: &str,
) -> Result<(), GedError> {
    document(db, collectivite_id, id).await?;
    document::Entity::update_many()
        .col_expr(
            document::Column::RetenuPar,
            Expr::value(motif.chars().take(200).collect::<String>()),
        )
        .filter(document::Column::Id.eq(id))
        .exec(db)
        .await?;
    Ok(())
}

/// Deletes the documents whose retention period ended before `today` (the day after their
/// last day to keep), with their versions and attachments. Returns how many.
///
/// # Errors
/// The database failed.
pub async fn purger<C: ConnectionTrait>(db: &C, today: NaiveDate) -> Result<u64, DbErr> {
    let expires: Vec<Uuid> = document::Entity::find()
        .filter(document::Column::ConserverJusquAu.lt(today))
        .filter(document::Column::RetenuPar.is_null())
        .select_only()
        .column(document::Column::Id)
        .into_tuple()
        .all(db)
        .await?;
    for lot in expires.chunks(500) {
        rattachement::Entity::delete_many()
            .filter(rattachement::Column::DocumentId.is_in(lot.iter().copied()))
            .exec(db)
            .await?;
        version::Entity::delete_many()
            .filter(version::Column::DocumentId.is_in(lot.iter().copied()))
            .exec(db)
            .await?;
        document::Entity::delete_many()
            .filter(document::Column::Id.is_in(lot.iter().copied()))
            .exec(db)
            .await?;
    }
    Ok(expires.len() as u64)
}

/// How long a blob no version uses is kept: a deposit announces its blob, writes it, then
/// records its version; the cleanup leaves it alone meanwhile.
pub const DELAI_NETTOYAGE: chrono::TimeDelta = chrono::TimeDelta::hours(1);

/// Removes the blobs no version uses and no deposit announced since `avant` (now less
/// [`DELAI_NETTOYAGE`]): those of purged or deleted documents, and those of deposits whose
/// transaction failed. Each row is deleted, and its content removed from the store, in one
/// transaction that a deposit of the same content waits for: it then writes the content again.
/// Returns how many blobs were removed.
///
/// # Errors
/// The database or the store failed (a content not removed keeps its row).
pub async fn nettoyer(
    db: &sea_orm::DatabaseConnection,
    stockage: &dyn Stockage,
    avant: DateTime<Utc>,
) -> Result<u64, GedError> {
    let inutilises = || {
        blob::Column::Empreinte.not_in_subquery(
            Query::select()
                .column(version::Column::Empreinte)
                .from(version::Entity)
                .to_owned(),
        )
    };
    let orphelins: Vec<String> = blob::Entity::find()
        .filter(inutilises())
        .filter(blob::Column::VuLe.lt(avant))
        .select_only()
        .column(blob::Column::Empreinte)
        .into_tuple()
        .all(db)
        .await?;
    let mut retires = 0;
    for texte in orphelins {
        let Some(empreinte) = Empreinte::lire(&texte) else {
            continue;
        };
        let txn = crate::db::ecriture(db).await?;
        let supprime = blob::Entity::delete_many()
            .filter(blob::Column::Empreinte.eq(texte.as_str()))
            .filter(blob::Column::VuLe.lt(avant))
            .filter(inutilises())
            .exec(&*txn)
            .await?;
        if supprime.rows_affected == 1 {
            stockage.supprimer(&empreinte).await?;
            retires += 1;
        }
        txn.commit().await?;
    }
    Ok(retires)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn jour(a: i32, m: u32, j: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(a, m, j).expect("date")
    }

    #[test]
    fn retention_counts_whole_years_from_the_deposit() {
        assert_eq!(
            fin_de_conservation(jour(2026, 11, 24), 6),
            jour(2032, 11, 24)
        );
        assert_eq!(fin_de_conservation(jour(2024, 2, 29), 1), jour(2025, 2, 28));
    }

    #[test]
    fn a_file_is_checked_before_it_is_stored() {
        let ged = Ged::new(Arc::new(StockageObjet::memoire()), 16);
        assert!(matches!(
            ged.preparer("vide.pdf", Bytes::new()),
            Err(GedError::Vide(_))
        ));
        let err = ged
            .preparer("gros.txt", Bytes::from(vec![b'a'; 17]))
            .expect_err("too large");
        assert!(matches!(err, GedError::TropVolumineux { taille: 17, .. }));
        let pret = ged
            .preparer("C:\\Users\\agent\\note.txt", Bytes::from_static(b"bonjour"))
            .expect("accepted");
        assert_eq!(pret.nom, "note.txt");
        assert_eq!(pret.type_fichier.type_mime, "text/plain");
    }

    #[test]
    fn metadata_errors_name_their_field() {
        let nouveau = NouveauDocument {
            titre: " ".into(),
            type_document: "pièce jointe".into(),
            conservation_ans: Some(0),
            rattacher_a: vec![Objet::new("", "inscription", "x")],
        };
        let champs: Vec<String> = nouveau.erreurs().into_iter().map(|e| e.field).collect();
        assert_eq!(
            champs,
            [
                "titre",
                "type_document",
                "conservation_ans",
                "rattacher_a[0].module"
            ]
        );
    }
}
