//! Migrations of the elections module.

use sea_orm_migration::prelude::*;
use socle::collectivite::schema::{collectivite_fk, collectivite_id};

/// Creates the `elections_bureau` table.
pub(crate) struct CreateBureau;

impl MigrationName for CreateBureau {
    fn name(&self) -> &str {
        "m20261124_000001_create_bureau"
    }
}

#[derive(DeriveIden)]
enum ElectionsBureau {
    Table,
    Id,
    CollectiviteId,
    Code,
    Nom,
    Lieu,
    CreatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for CreateBureau {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(ElectionsBureau::Table)
                    .col(
                        ColumnDef::new(ElectionsBureau::Id)
                            .uuid()
                            .not_null()
                            .primary_key(),
                    )
                    .col(collectivite_id())
                    .col(
                        ColumnDef::new(ElectionsBureau::Code)
                            .string_len(10)
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(ElectionsBureau::Nom)
                            .string_len(200)
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(ElectionsBureau::Lieu)
                            .string_len(500)
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(ElectionsBureau::CreatedAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .foreign_key(&mut collectivite_fk("elections_bureau"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ux_elections_bureau_code")
                    .table(ElectionsBureau::Table)
                    .col(ElectionsBureau::CollectiviteId)
                    .col(ElectionsBureau::Code)
                    .unique()
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(ElectionsBureau::Table).to_owned())
            .await
    }
}

/// Creates the `elections_inscription` table: the electoral list.
pub(crate) struct CreateInscription;

impl MigrationName for CreateInscription {
    fn name(&self) -> &str {
        "m20261124_000002_create_inscription"
    }
}

#[derive(DeriveIden)]
enum ElectionsInscription {
    Table,
    Id,
    CollectiviteId,
    UsagerId,
    BureauId,
    DateInscription,
    AVerifier,
    CreatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for CreateInscription {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(ElectionsInscription::Table)
                    .col(
                        ColumnDef::new(ElectionsInscription::Id)
                            .uuid()
                            .not_null()
                            .primary_key(),
                    )
                    .col(collectivite_id())
                    .col(
                        ColumnDef::new(ElectionsInscription::UsagerId)
                            .uuid()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(ElectionsInscription::BureauId)
                            .uuid()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(ElectionsInscription::DateInscription)
                            .date()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(ElectionsInscription::AVerifier)
                            .string_len(300)
                            .null(),
                    )
                    .col(
                        ColumnDef::new(ElectionsInscription::CreatedAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .foreign_key(&mut collectivite_fk("elections_inscription"))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_elections_inscription_bureau")
                            .from(ElectionsInscription::Table, ElectionsInscription::BureauId)
                            .to(ElectionsBureau::Table, ElectionsBureau::Id)
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ux_elections_inscription_usager")
                    .table(ElectionsInscription::Table)
                    .col(ElectionsInscription::CollectiviteId)
                    .col(ElectionsInscription::UsagerId)
                    .unique()
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(ElectionsInscription::Table).to_owned())
            .await
    }
}
