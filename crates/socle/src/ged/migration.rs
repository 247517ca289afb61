//! Migrations of the `ged` module.

use sea_orm_migration::prelude::*;

use crate::collectivite::schema::{
    collectivite_fk, collectivite_id, index, instant, texte, texte_null, uuid_pk,
};

/// Creates the blobs, documents, versions and attachments.
pub(super) struct CreateGed;

impl MigrationName for CreateGed {
    fn name(&self) -> &str {
        "m20261201_000001_create_ged"
    }
}

#[derive(DeriveIden)]
enum GedBlob {
    Table,
    Empreinte,
    Taille,
    CreeLe,
    VuLe,
}

#[derive(DeriveIden)]
enum GedDocument {
    Table,
    Id,
    Titre,
    TypeDocument,
    ConservationAns,
    ConserverJusquAu,
    VersionCourante,
    RetenuPar,
    CreeLe,
    ModifieLe,
}

#[derive(DeriveIden)]
enum GedVersion {
    Table,
    Id,
    DocumentId,
    Numero,
    Empreinte,
    Taille,
    TypeMime,
    NomFichier,
    Commentaire,
    DeposePar,
    CreeLe,
}

#[derive(DeriveIden)]
enum GedRattachement {
    Table,
    Id,
    DocumentId,
    Module,
    ObjetType,
    ObjetId,
    RattacheLe,
}

fn document_fk(table: &str) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .name(format!("fk_{table}_document"))
        .from(Alias::new(table), Alias::new("document_id"))
        .to(GedDocument::Table, GedDocument::Id)
        .on_delete(ForeignKeyAction::Cascade)
        .to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for CreateGed {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(GedBlob::Table)
                    .col(texte(GedBlob::Empreinte, 64).primary_key())
                    .col(ColumnDef::new(GedBlob::Taille).big_integer().not_null())
                    .col(instant(GedBlob::CreeLe))
                    .col(instant(GedBlob::VuLe))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(GedDocument::Table)
                    .col(uuid_pk(GedDocument::Id))
                    .col(collectivite_id())
                    .col(texte(GedDocument::Titre, 200))
                    .col(texte(GedDocument::TypeDocument, 50))
                    .col(
                        ColumnDef::new(GedDocument::ConservationAns)
                            .integer()
                            .null(),
                    )
                    .col(ColumnDef::new(GedDocument::ConserverJusquAu).date().null())
                    .col(
                        ColumnDef::new(GedDocument::VersionCourante)
                            .integer()
                            .not_null(),
                    )
                    .col(texte_null(GedDocument::RetenuPar, 200))
                    .col(instant(GedDocument::CreeLe))
                    .col(instant(GedDocument::ModifieLe))
                    .foreign_key(&mut collectivite_fk("ged_document"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index(
                "ix_ged_document_conservation",
                GedDocument::Table,
                &["conserver_jusqu_au"],
            ))
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(GedVersion::Table)
                    .col(uuid_pk(GedVersion::Id))
                    .col(ColumnDef::new(GedVersion::DocumentId).uuid().not_null())
                    .col(ColumnDef::new(GedVersion::Numero).integer().not_null())
                    .col(texte(GedVersion::Empreinte, 64))
                    .col(ColumnDef::new(GedVersion::Taille).big_integer().not_null())
                    .col(texte(GedVersion::TypeMime, 100))
                    .col(texte(GedVersion::NomFichier, 255))
                    .col(texte_null(GedVersion::Commentaire, 500))
                    .col(ColumnDef::new(GedVersion::DeposePar).uuid().null())
                    .col(instant(GedVersion::CreeLe))
                    .foreign_key(&mut document_fk("ged_version"))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_ged_version_blob")
                            .from(GedVersion::Table, GedVersion::Empreinte)
                            .to(GedBlob::Table, GedBlob::Empreinte),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                index(
                    "ux_ged_version_numero",
                    GedVersion::Table,
                    &["document_id", "numero"],
                )
                .unique()
                .to_owned(),
            )
            .await?;
        manager
            .create_index(index(
                "ix_ged_version_empreinte",
                GedVersion::Table,
                &["empreinte"],
            ))
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(GedRattachement::Table)
                    .col(uuid_pk(GedRattachement::Id))
                    .col(collectivite_id())
                    .col(
                        ColumnDef::new(GedRattachement::DocumentId)
                            .uuid()
                            .not_null(),
                    )
                    .col(texte(GedRattachement::Module, 50))
                    .col(texte(GedRattachement::ObjetType, 50))
                    .col(texte(GedRattachement::ObjetId, 100))
                    .col(instant(GedRattachement::RattacheLe))
                    .foreign_key(&mut collectivite_fk("ged_rattachement"))
                    .foreign_key(&mut document_fk("ged_rattachement"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                index(
                    "ux_ged_rattachement",
                    GedRattachement::Table,
                    &["document_id", "module", "objet_type", "objet_id"],
                )
                .unique()
                .to_owned(),
            )
            .await?;
        manager
            .create_index(index(
                "ix_ged_rattachement_objet",
                GedRattachement::Table,
                &["collectivite_id", "module", "objet_type", "objet_id"],
            ))
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            GedRattachement::Table.into_iden(),
            GedVersion::Table.into_iden(),
            GedDocument::Table.into_iden(),
            GedBlob::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}
