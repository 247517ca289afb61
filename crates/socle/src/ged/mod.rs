//! Documents (GED): files kept once, named by their content, described and attached to any
//! record of any module.
//!
//! - [`stockage`] — where the bytes live: a directory of the server by default, an
//!   S3-compatible bucket as an option; blobs are named by their SHA-256, so the same content
//!   deposited twice takes one blob.
//! - [`types`] — which files are accepted, told from their content.
//! - [`service`] — what modules call: deposit, add a version, attach to or detach from a record,
//!   read back, purge at the end of the retention period, clean up unused blobs.
//! - [`entity`] — the tables: blobs, documents (title, kind, retention, collectivité), versions,
//!   attachments.
//!
//! An attachment names its record by module, kind and id, with no foreign key to the module's
//! table: a record archived, radiated or deleted keeps its documents, which stay listed under
//! it and downloadable. Every deposit, download and deletion is journaled. The routes live
//! under `/api/v1/ged` (see `docs/ged.md`).

mod api;
pub mod entity;
mod migration;
pub mod service;
pub mod stockage;
pub mod types;

use async_trait::async_trait;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use utoipa_axum::router::OpenApiRouter;

use crate::http::AppState;
use crate::module::{DonneesUsager, FusionUsager, Migrations, Module, Permission, PurgeContext};

pub(crate) use api::{capitale, verifier_acces, verifier_module};
pub use service::{Contenu, Ged, GedError, NouveauDocument, Objet};
pub use stockage::{Empreinte, ReglagesS3, Stockage, StockageFichiers, StockageObjet};

crate::migrator!(Migrator, "ged", [migration::CreateGed]);

/// The kind of record of documents, in the journal.
pub const OBJET_DOCUMENT: &str = "ged.document";

const PERMISSIONS: &[Permission] = &[
    Permission::new(
        "ged.document.lire",
        "Consulter et télécharger les documents (avec le droit de lire l'enregistrement auquel ils sont rattachés)",
    ),
    Permission::new(
        "ged.document.deposer",
        "Déposer des documents et leurs versions, les rattacher à des enregistrements",
    ),
    Permission::new(
        "ged.document.supprimer",
        "Supprimer un document déposé par erreur",
    ),
];

/// The core module of documents. Always present.
#[derive(Debug, Clone, Copy)]
pub struct Documents;

#[async_trait]
impl Module for Documents {
    fn id(&self) -> &'static str {
        "ged"
    }

    fn name(&self) -> &'static str {
        "Documents (GED)"
    }

    fn version(&self) -> &'static str {
        env!("CARGO_PKG_VERSION")
    }

    fn description(&self) -> &'static str {
        "Dépôt, versions, rattachement à tout enregistrement, téléchargement journalisé, durées de conservation ; stockage en dossier ou S3."
    }

    fn dependencies(&self) -> &'static [&'static str] {
        &["collectivites"]
    }

    fn migrations(&self) -> Option<Migrations> {
        Some(Migrations::of::<Migrator>())
    }

    fn routes(&self) -> OpenApiRouter<AppState> {
        api::routes()
    }

    fn permissions(&self) -> &'static [Permission] {
        PERMISSIONS
    }

    async fn purger_donnees(&self, ctx: &PurgeContext<'_>) -> Result<u64, sea_orm::DbErr> {
        service::purger(ctx.db, ctx.today).await
    }

    async fn usager_fusionne(
        &self,
        ctx: &FusionUsager<'_>,
    ) -> Result<(), crate::usager::UsagerError> {
        service::repointer_usager(ctx.db, ctx.collectivite_id, ctx.absorbe, ctx.conserve).await?;
        Ok(())
    }

    async fn donnees_usager(
        &self,
        ctx: &DonneesUsager<'_>,
    ) -> Result<Option<serde_json::Value>, sea_orm::DbErr> {
        let objet = Objet::new(service::USAGER.0, service::USAGER.1, ctx.usager_id);
        let documents = service::documents_de(ctx.db, ctx.collectivite_id, &objet).await?;
        if documents.is_empty() {
            return Ok(None);
        }
        let mut liste = Vec::with_capacity(documents.len());
        for d in documents {
            let versions = entity::version::Entity::find()
                .filter(entity::version::Column::DocumentId.eq(d.id))
                .order_by_asc(entity::version::Column::Numero)
                .all(ctx.db)
                .await?;
            liste.push(serde_json::json!({
                "id": d.id,
                "titre": d.titre,
                "type_document": d.type_document,
                "conserver_jusqu_au": d.conserver_jusqu_au,
                "versions": versions.iter().map(|v| serde_json::json!({
                    "numero": v.numero,
                    "nom_fichier": v.nom_fichier,
                    "empreinte": v.empreinte,
                    "cree_le": v.cree_le,
                })).collect::<Vec<_>>(),
                "telechargement": format!("/api/v1/ged/documents/{}/contenu", d.id),
            }));
        }
        Ok(Some(serde_json::json!({ "documents": liste })))
    }
}
