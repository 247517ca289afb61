//! Migrations of the `evenements` module.

use sea_orm_migration::prelude::*;

use crate::collectivite::schema::{collectivite_fk, collectivite_id, index, instant};

/// Creates the outbox, the subscriptions, the deliveries and their attempts.
pub(super) struct CreateEvenements;

impl MigrationName for CreateEvenements {
    fn name(&self) -> &str {
        "m20261124_000001_create_evenements"
    }
}

#[derive(DeriveIden)]
enum Evenement {
    Table,
    Seq,
    Id,
    Type,
    Sujet,
    Donnees,
    CreeLe,
}

#[derive(DeriveIden)]
enum WebhookAbonnement {
    Table,
    Id,
    Url,
    Description,
    Types,
    Secret,
    Actif,
    CreeLe,
}

#[derive(DeriveIden)]
enum WebhookLivraison {
    Table,
    Id,
    AbonnementId,
    EvenementSeq,
    Sujet,
    Statut,
    Tentatives,
    ProchaineTentative,
    ReserveeJusquA,
    DernierStatutHttp,
    DerniereErreur,
    LivreeLe,
    CreeLe,
}

#[derive(DeriveIden)]
enum WebhookTentative {
    Table,
    Id,
    LivraisonId,
    Horodatage,
    StatutHttp,
    Erreur,
    DureeMs,
}

#[async_trait::async_trait]
impl MigrationTrait for CreateEvenements {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Evenement::Table)
                    .col(
                        ColumnDef::new(Evenement::Seq)
                            .big_integer()
                            .not_null()
                            .auto_increment()
                            .primary_key(),
                    )
                    .col(ColumnDef::new(Evenement::Id).uuid().not_null().unique_key())
                    .col(collectivite_id())
                    .col(ColumnDef::new(Evenement::Type).string_len(100).not_null())
                    .col(ColumnDef::new(Evenement::Sujet).string_len(100).not_null())
                    .col(ColumnDef::new(Evenement::Donnees).json().not_null())
                    .col(instant(Evenement::CreeLe))
                    .foreign_key(&mut collectivite_fk("evenement"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index(
                "ix_evenement_collectivite_seq",
                Evenement::Table,
                &["collectivite_id", "seq"],
            ))
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(WebhookAbonnement::Table)
                    .col(
                        ColumnDef::new(WebhookAbonnement::Id)
                            .uuid()
                            .not_null()
                            .primary_key(),
                    )
                    .col(collectivite_id())
                    .col(
                        ColumnDef::new(WebhookAbonnement::Url)
                            .string_len(2000)
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(WebhookAbonnement::Description)
                            .string_len(200)
                            .null(),
                    )
                    .col(ColumnDef::new(WebhookAbonnement::Types).json().not_null())
                    .col(
                        ColumnDef::new(WebhookAbonnement::Secret)
                            .string_len(100)
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(WebhookAbonnement::Actif)
                            .boolean()
                            .not_null(),
                    )
                    .col(instant(WebhookAbonnement::CreeLe))
                    .foreign_key(&mut collectivite_fk("webhook_abonnement"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(WebhookLivraison::Table)
                    .col(
                        ColumnDef::new(WebhookLivraison::Id)
                            .uuid()
                            .not_null()
                            .primary_key(),
                    )
                    .col(
                        ColumnDef::new(WebhookLivraison::AbonnementId)
                            .uuid()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(WebhookLivraison::EvenementSeq)
                            .big_integer()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(WebhookLivraison::Sujet)
                            .string_len(100)
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(WebhookLivraison::Statut)
                            .string_len(20)
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(WebhookLivraison::Tentatives)
                            .integer()
                            .not_null(),
                    )
                    .col(instant(WebhookLivraison::ProchaineTentative))
                    .col(
                        ColumnDef::new(WebhookLivraison::ReserveeJusquA)
                            .timestamp_with_time_zone()
                            .null(),
                    )
                    .col(
                        ColumnDef::new(WebhookLivraison::DernierStatutHttp)
                            .integer()
                            .null(),
                    )
                    .col(
                        ColumnDef::new(WebhookLivraison::DerniereErreur)
                            .string_len(500)
                            .null(),
                    )
                    .col(
                        ColumnDef::new(WebhookLivraison::LivreeLe)
                            .timestamp_with_time_zone()
                            .null(),
                    )
                    .col(instant(WebhookLivraison::CreeLe))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_webhook_livraison_abonnement")
                            .from(WebhookLivraison::Table, WebhookLivraison::AbonnementId)
                            .to(WebhookAbonnement::Table, WebhookAbonnement::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_webhook_livraison_evenement")
                            .from(WebhookLivraison::Table, WebhookLivraison::EvenementSeq)
                            .to(Evenement::Table, Evenement::Seq)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index(
                "ix_webhook_livraison_file",
                WebhookLivraison::Table,
                &["abonnement_id", "statut", "evenement_seq"],
            ))
            .await?;
        manager
            .create_index(index(
                "ix_webhook_livraison_sujet",
                WebhookLivraison::Table,
                &["abonnement_id", "sujet", "statut", "evenement_seq"],
            ))
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(WebhookTentative::Table)
                    .col(
                        ColumnDef::new(WebhookTentative::Id)
                            .uuid()
                            .not_null()
                            .primary_key(),
                    )
                    .col(
                        ColumnDef::new(WebhookTentative::LivraisonId)
                            .uuid()
                            .not_null(),
                    )
                    .col(instant(WebhookTentative::Horodatage))
                    .col(
                        ColumnDef::new(WebhookTentative::StatutHttp)
                            .integer()
                            .null(),
                    )
                    .col(
                        ColumnDef::new(WebhookTentative::Erreur)
                            .string_len(500)
                            .null(),
                    )
                    .col(
                        ColumnDef::new(WebhookTentative::DureeMs)
                            .big_integer()
                            .not_null(),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_webhook_tentative_livraison")
                            .from(WebhookTentative::Table, WebhookTentative::LivraisonId)
                            .to(WebhookLivraison::Table, WebhookLivraison::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index(
                "ix_webhook_tentative_livraison",
                WebhookTentative::Table,
                &["livraison_id"],
            ))
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            WebhookTentative::Table.into_iden(),
            WebhookLivraison::Table.into_iden(),
            WebhookAbonnement::Table.into_iden(),
            Evenement::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}

/// Creates the modules' positions in the outbox.
pub(super) struct CreateCurseurs;

impl MigrationName for CreateCurseurs {
    fn name(&self) -> &str {
        "m20261124_000002_create_curseurs"
    }
}

#[derive(DeriveIden)]
enum EvenementCurseur {
    Table,
    Module,
    Seq,
}

#[async_trait::async_trait]
impl MigrationTrait for CreateCurseurs {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(EvenementCurseur::Table)
                    .col(
                        ColumnDef::new(EvenementCurseur::Module)
                            .string_len(40)
                            .not_null()
                            .primary_key(),
                    )
                    .col(
                        ColumnDef::new(EvenementCurseur::Seq)
                            .big_integer()
                            .not_null(),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(EvenementCurseur::Table).to_owned())
            .await
    }
}
