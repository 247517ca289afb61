//! Where the content of documents lives: blobs named by their SHA-256 digest, so the same
//! content stored twice takes one blob.
//!
//! - [`StockageFichiers`] — a directory of the server (the default): `sha256/ab/cd/abcd…`,
//!   written to a temporary file, flushed to disk, then renamed into place (a blob is whole or
//!   absent, never half-written).
//! - [`StockageObjet`] — any `object_store` store: an S3-compatible bucket
//!   ([`StockageObjet::s3`]: AWS, MinIO, Garage, Scaleway, OVHcloud…) or memory (tests).
//!
//! The database says which blobs a document's versions use; a blob no version uses any more is
//! removed by [`super::service::nettoyer`].

use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use axum::body::Bytes;
use object_store::ObjectStore;
use object_store::path::Path as CheminObjet;
use sha2::{Digest, Sha256};

/// The SHA-256 digest of a content, in lower-case hexadecimal: the blob's name.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Empreinte(String);

impl Empreinte {
    /// The digest of `octets`.
    #[must_use]
    pub fn de(octets: &[u8]) -> Self {
        Self(hex::encode(Sha256::digest(octets)))
    }

    /// A digest read back from the database or a request: 64 hexadecimal characters.
    #[must_use]
    pub fn lire(texte: &str) -> Option<Self> {
        (texte.len() == 64 && texte.bytes().all(|b| b.is_ascii_hexdigit()))
            .then(|| Self(texte.to_ascii_lowercase()))
    }

    /// The hexadecimal text.
    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The blob's path under a store's root: `sha256/ab/cd/abcd…`, two levels of 256
    /// directories so that no directory holds more than a few thousand files.
    fn chemin(&self) -> String {
        format!("sha256/{}/{}/{}", &self.0[..2], &self.0[2..4], self.0)
    }
}

impl fmt::Display for Empreinte {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A store could not read or write a blob.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum StockageError {
    /// The filesystem refused.
    #[error("stockage des documents ({chemin}) : {source}")]
    Fichier {
        /// The file or directory.
        chemin: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// The object store (S3…) refused or could not be reached.
    #[error("stockage objet des documents : {0}")]
    Objet(#[from] object_store::Error),
    /// A blob read back does not have the digest it is stored under.
    #[error("le contenu {0} est altéré : son empreinte SHA-256 ne correspond plus")]
    Altere(Empreinte),
}

/// A place to keep blobs. Shared by every request (`Arc<dyn Stockage>` in the application
/// state); an implementation must be safe to call concurrently, including for the same digest.
#[async_trait::async_trait]
pub trait Stockage: Send + Sync + fmt::Debug {
    /// Keeps `octets` under `empreinte` (their digest). Returns `false` when the blob was already
    /// there (nothing written).
    ///
    /// # Errors
    /// The store refused.
    async fn ecrire(&self, empreinte: &Empreinte, octets: Bytes) -> Result<bool, StockageError>;

    /// The blob, or `None` if the store does not have it. The content is checked against its
    /// digest.
    ///
    /// # Errors
    /// The store refused, or the content no longer matches its digest.
    async fn lire(&self, empreinte: &Empreinte) -> Result<Option<Bytes>, StockageError>;

    /// Whether the store has the blob.
    ///
    /// # Errors
    /// The store refused.
    async fn existe(&self, empreinte: &Empreinte) -> Result<bool, StockageError>;

    /// Removes the blob (nothing if it is absent).
    ///
    /// # Errors
    /// The store refused.
    async fn supprimer(&self, empreinte: &Empreinte) -> Result<(), StockageError>;

    /// Where the blobs are, for logs and `socle modules`.
    fn decrire(&self) -> String;
}

/// Checks a blob read back against its digest.
fn verifie(empreinte: &Empreinte, octets: Bytes) -> Result<Bytes, StockageError> {
    if Empreinte::de(&octets) == *empreinte {
        Ok(octets)
    } else {
        Err(StockageError::Altere(empreinte.clone()))
    }
}

/// Blobs in a directory of the server.
#[derive(Debug, Clone)]
pub struct StockageFichiers {
    racine: PathBuf,
}

impl StockageFichiers {
    /// A store rooted at `racine` (created on first write).
    #[must_use]
    pub fn new(racine: impl Into<PathBuf>) -> Self {
        Self {
            racine: racine.into(),
        }
    }

    /// The root directory.
    #[must_use]
    pub fn racine(&self) -> &Path {
        &self.racine
    }

    fn fichier(&self, empreinte: &Empreinte) -> PathBuf {
        self.racine.join(empreinte.chemin())
    }
}

fn erreur_fichier(chemin: &Path) -> impl FnOnce(std::io::Error) -> StockageError + '_ {
    move |source| StockageError::Fichier {
        chemin: chemin.to_path_buf(),
        source,
    }
}

/// Writes `octets` to `cible` whole or not at all: a temporary file beside it, flushed to
/// disk, then renamed.
fn ecrire_atomique(racine: &Path, cible: &Path, octets: &[u8]) -> Result<(), StockageError> {
    use std::io::Write;
    let dossier = cible.parent().unwrap_or(racine);
    std::fs::create_dir_all(dossier).map_err(erreur_fichier(dossier))?;
    let temporaires = racine.join("tmp");
    std::fs::create_dir_all(&temporaires).map_err(erreur_fichier(&temporaires))?;
    let mut fichier =
        tempfile::NamedTempFile::new_in(&temporaires).map_err(erreur_fichier(&temporaires))?;
    fichier.write_all(octets).map_err(erreur_fichier(cible))?;
    fichier
        .as_file()
        .sync_all()
        .map_err(erreur_fichier(cible))?;
    fichier
        .persist(cible)
        .map_err(|e| erreur_fichier(cible)(e.error))?;
    // The rename itself reaches the disk: the database may commit the version right after.
    #[cfg(unix)]
    std::fs::File::open(dossier)
        .and_then(|d| d.sync_all())
        .map_err(erreur_fichier(dossier))?;
    Ok(())
}

#[async_trait::async_trait]
impl Stockage for StockageFichiers {
    async fn ecrire(&self, empreinte: &Empreinte, octets: Bytes) -> Result<bool, StockageError> {
        let cible = self.fichier(empreinte);
        let racine = self.racine.clone();
        tokio::task::spawn_blocking(move || {
            if cible.is_file() {
                return Ok(false);
            }
            ecrire_atomique(&racine, &cible, &octets).map(|()| true)
        })
        .await
        .map_err(|e| StockageError::Fichier {
            chemin: self.racine.clone(),
            source: std::io::Error::other(e),
        })?
    }

    async fn lire(&self, empreinte: &Empreinte) -> Result<Option<Bytes>, StockageError> {
        let chemin = self.fichier(empreinte);
        match tokio::fs::read(&chemin).await {
            Ok(octets) => verifie(empreinte, Bytes::from(octets)).map(Some),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(erreur_fichier(&chemin)(e)),
        }
    }

    async fn existe(&self, empreinte: &Empreinte) -> Result<bool, StockageError> {
        let chemin = self.fichier(empreinte);
        tokio::fs::try_exists(&chemin)
            .await
            .map_err(erreur_fichier(&chemin))
    }

    async fn supprimer(&self, empreinte: &Empreinte) -> Result<(), StockageError> {
        let chemin = self.fichier(empreinte);
        match tokio::fs::remove_file(&chemin).await {
            Ok(()) => Ok(()),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
            Err(e) => Err(erreur_fichier(&chemin)(e)),
        }
    }

    fn decrire(&self) -> String {
        format!("dossier {}", self.racine.display())
    }
}

/// Blobs in an `object_store` store: an S3-compatible bucket, or memory for tests.
#[derive(Debug, Clone)]
pub struct StockageObjet {
    store: Arc<dyn ObjectStore>,
    prefixe: String,
    description: String,
}

/// The settings of an S3-compatible bucket (`Debug` hides the secret key).
#[derive(Clone, Default)]
pub struct ReglagesS3 {
    /// The bucket.
    pub bucket: String,
    /// The region (`fr-par`, `eu-west-3`…; any value for MinIO).
    pub region: Option<String>,
    /// The endpoint of a provider other than AWS (`https://s3.fr-par.scw.cloud`,
    /// `http://127.0.0.1:9000` for MinIO).
    pub endpoint: Option<String>,
    /// The access key.
    pub cle: String,
    /// The secret key.
    pub secret: String,
    /// A folder inside the bucket (`socle/`), empty for the bucket's root.
    pub prefixe: String,
}

impl std::fmt::Debug for ReglagesS3 {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ReglagesS3")
            .field("bucket", &self.bucket)
            .field("region", &self.region)
            .field("endpoint", &self.endpoint)
            .field("cle", &self.cle)
            .field("secret", &"***")
            .field("prefixe", &self.prefixe)
            .finish()
    }
}

impl StockageObjet {
    /// A store over any `object_store` implementation, blobs under `prefixe`.
    #[must_use]
    pub fn new(store: Arc<dyn ObjectStore>, prefixe: &str, description: &str) -> Self {
        Self {
            store,
            prefixe: prefixe.trim_matches('/').to_owned(),
            description: description.to_owned(),
        }
    }

    /// A store in memory (tests, trials): everything is lost when the process stops.
    #[must_use]
    pub fn memoire() -> Self {
        Self::new(
            Arc::new(object_store::memory::InMemory::new()),
            "",
            "mémoire (perdue à l'arrêt)",
        )
    }

    /// An S3-compatible bucket. Plain `http://` endpoints are allowed (a MinIO on the
    /// intranet).
    ///
    /// # Errors
    /// The settings are incomplete.
    pub fn s3(reglages: &ReglagesS3) -> Result<Self, StockageError> {
        let mut builder = object_store::aws::AmazonS3Builder::new()
            .with_bucket_name(&reglages.bucket)
            .with_access_key_id(&reglages.cle)
            .with_secret_access_key(&reglages.secret)
            .with_region(reglages.region.as_deref().unwrap_or("us-east-1"));
        if let Some(endpoint) = &reglages.endpoint {
            builder = builder
                .with_endpoint(endpoint)
                .with_allow_http(endpoint.starts_with("http://"))
                .with_virtual_hosted_style_request(false);
        }
        let store = builder.build()?;
        let description = format!(
            "S3 {}{}/{}",
            reglages
                .endpoint
                .as_deref()
                .map(|e| format!("{e} "))
                .unwrap_or_default(),
            reglages.bucket,
            reglages.prefixe.trim_matches('/')
        );
        Ok(Self::new(Arc::new(store), &reglages.prefixe, &description))
    }

    fn cle(&self, empreinte: &Empreinte) -> CheminObjet {
        if self.prefixe.is_empty() {
            CheminObjet::from(empreinte.chemin())
        } else {
            CheminObjet::from(format!("{}/{}", self.prefixe, empreinte.chemin()))
        }
    }
}

#[async_trait::async_trait]
impl Stockage for StockageObjet {
    async fn ecrire(&self, empreinte: &Empreinte, octets: Bytes) -> Result<bool, StockageError> {
        if self.existe(empreinte).await? {
            return Ok(false);
        }
        // An object store's put is atomic: readers see the whole object or none.
        self.store.put(&self.cle(empreinte), octets.into()).await?;
        Ok(true)
    }

    async fn lire(&self, empreinte: &Empreinte) -> Result<Option<Bytes>, StockageError> {
        match self.store.get(&self.cle(empreinte)).await {
            Ok(resultat) => verifie(empreinte, resultat.bytes().await?).map(Some),
            Err(object_store::Error::NotFound { .. }) => Ok(None),
            Err(e) => Err(e.into()),
        }
    }

    async fn existe(&self, empreinte: &Empreinte) -> Result<bool, StockageError> {
        match self.store.head(&self.cle(empreinte)).await {
            Ok(_) => Ok(true),
            Err(object_store::Error::NotFound { .. }) => Ok(false),
            Err(e) => Err(e.into()),
        }
    }

    async fn supprimer(&self, empreinte: &Empreinte) -> Result<(), StockageError> {
        match self.store.delete(&self.cle(empreinte)).await {
            Ok(()) | Err(object_store::Error::NotFound { .. }) => Ok(()),
            Err(e) => Err(e.into()),
        }
    }

    fn decrire(&self) -> String {
        self.description.clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    async fn aller_retour(stockage: &dyn Stockage) {
        let octets = Bytes::from_static(b"Arr\xc3\xaat\xc3\xa9 du maire");
        let empreinte = Empreinte::de(&octets);
        assert!(!stockage.existe(&empreinte).await.expect("existe"));
        assert!(stockage.lire(&empreinte).await.expect("lire").is_none());
        assert!(
            stockage
                .ecrire(&empreinte, octets.clone())
                .await
                .expect("écrit")
        );
        assert!(
            !stockage
                .ecrire(&empreinte, octets.clone())
                .await
                .expect("déjà là"),
            "the same content is written once"
        );
        assert_eq!(
            stockage.lire(&empreinte).await.expect("lire"),
            Some(octets.clone())
        );
        stockage.supprimer(&empreinte).await.expect("supprime");
        stockage.supprimer(&empreinte).await.expect("absent: rien");
        assert!(!stockage.existe(&empreinte).await.expect("existe"));
    }

    #[tokio::test]
    async fn a_directory_keeps_one_blob_per_content() {
        let dossier = tempfile::tempdir().expect("tempdir");
        let stockage = StockageFichiers::new(dossier.path());
        aller_retour(&stockage).await;
        // No temporary file is left behind.
        let restes = std::fs::read_dir(dossier.path().join("tmp"))
            .expect("tmp")
            .count();
        assert_eq!(restes, 0);
    }

    #[tokio::test]
    async fn an_object_store_keeps_one_blob_per_content() {
        aller_retour(&StockageObjet::memoire()).await;
    }

    #[tokio::test]
    async fn a_tampered_blob_is_refused() {
        let dossier = tempfile::tempdir().expect("tempdir");
        let stockage = StockageFichiers::new(dossier.path());
        let octets = Bytes::from_static(b"original");
        let empreinte = Empreinte::de(&octets);
        stockage.ecrire(&empreinte, octets).await.expect("écrit");
        std::fs::write(dossier.path().join(empreinte.chemin()), b"modifie").expect("altère");
        assert!(matches!(
            stockage.lire(&empreinte).await,
            Err(StockageError::Altere(_))
        ));
    }

    #[test]
    fn digests_are_read_back_only_when_well_formed() {
        let e = Empreinte::de(b"abc");
        assert_eq!(
            e.as_str(),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        assert_eq!(Empreinte::lire(&e.as_str().to_uppercase()), Some(e));
        assert_eq!(Empreinte::lire("abc"), None);
        assert_eq!(Empreinte::lire(&"g".repeat(64)), None);
    }
}
