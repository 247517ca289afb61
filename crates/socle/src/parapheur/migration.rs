//! Migrations of the `parapheur` module.

use sea_orm_migration::prelude::*;

use crate::collectivite::schema::{
    collectivite_fk, collectivite_id, index, instant, texte, texte_null, uuid_pk,
};

/// Creates the folders and their steps.
pub(super) struct CreateParapheur;

impl MigrationName for CreateParapheur {
    fn name(&self) -> &str {
        "m20261202_000001_create_parapheur"
    }
}

#[derive(DeriveIden)]
enum ParapheurDossier {
    Table,
    Id,
    Titre,
    DocumentId,
    Version,
    Empreinte,
    VersionSignee,
    Module,
    ObjetType,
    ObjetId,
    Fournisseur,
    ReferenceExterne,
    Etat,
    SoumisPar,
    SoumisLe,
    TermineLe,
    MotifRefus,
}

#[derive(DeriveIden)]
enum ParapheurEtape {
    Table,
    Id,
    DossierId,
    Ordre,
    SignataireId,
    Signataire,
    Etat,
    DecideLe,
    Empreinte,
    Commentaire,
}

#[async_trait::async_trait]
impl MigrationTrait for CreateParapheur {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(ParapheurDossier::Table)
                    .col(uuid_pk(ParapheurDossier::Id))
                    .col(collectivite_id())
                    .col(texte(ParapheurDossier::Titre, 200))
                    .col(
                        ColumnDef::new(ParapheurDossier::DocumentId)
                            .uuid()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(ParapheurDossier::Version)
                            .integer()
                            .not_null(),
                    )
                    .col(texte(ParapheurDossier::Empreinte, 64))
                    .col(
                        ColumnDef::new(ParapheurDossier::VersionSignee)
                            .integer()
                            .null(),
                    )
                    .col(texte_null(ParapheurDossier::Module, 50))
                    .col(texte_null(ParapheurDossier::ObjetType, 50))
                    .col(texte_null(ParapheurDossier::ObjetId, 100))
                    .col(texte(ParapheurDossier::Fournisseur, 50))
                    .col(texte_null(ParapheurDossier::ReferenceExterne, 200))
                    .col(texte(ParapheurDossier::Etat, 20))
                    .col(ColumnDef::new(ParapheurDossier::SoumisPar).uuid().null())
                    .col(instant(ParapheurDossier::SoumisLe))
                    .col(
                        ColumnDef::new(ParapheurDossier::TermineLe)
                            .timestamp_with_time_zone()
                            .null(),
                    )
                    .col(texte_null(ParapheurDossier::MotifRefus, 1000))
                    .foreign_key(&mut collectivite_fk("parapheur_dossier"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index(
                "ix_parapheur_dossier_objet",
                ParapheurDossier::Table,
                &["collectivite_id", "module", "objet_type", "objet_id"],
            ))
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(ParapheurEtape::Table)
                    .col(uuid_pk(ParapheurEtape::Id))
                    .col(ColumnDef::new(ParapheurEtape::DossierId).uuid().not_null())
                    .col(ColumnDef::new(ParapheurEtape::Ordre).integer().not_null())
                    .col(
                        ColumnDef::new(ParapheurEtape::SignataireId)
                            .uuid()
                            .not_null(),
                    )
                    .col(texte(ParapheurEtape::Signataire, 200))
                    .col(texte(ParapheurEtape::Etat, 20))
                    .col(
                        ColumnDef::new(ParapheurEtape::DecideLe)
                            .timestamp_with_time_zone()
                            .null(),
                    )
                    .col(texte_null(ParapheurEtape::Empreinte, 64))
                    .col(texte_null(ParapheurEtape::Commentaire, 1000))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_parapheur_etape_dossier")
                            .from(ParapheurEtape::Table, ParapheurEtape::DossierId)
                            .to(ParapheurDossier::Table, ParapheurDossier::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                index(
                    "ux_parapheur_etape_ordre",
                    ParapheurEtape::Table,
                    &["dossier_id", "ordre"],
                )
                .unique()
                .to_owned(),
            )
            .await?;
        manager
            .create_index(index(
                "ix_parapheur_etape_signataire",
                ParapheurEtape::Table,
                &["signataire_id", "etat"],
            ))
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(ParapheurEtape::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(ParapheurDossier::Table).to_owned())
            .await
    }
}
