//! Migrations of the cemetery module.

use sea_orm_migration::prelude::*;
use socle::collectivite::schema::{collectivite_fk, collectivite_id};

/// Creates the `cimetiere` table.
pub(crate) struct CreateCimetiere;

impl MigrationName for CreateCimetiere {
    fn name(&self) -> &str {
        "m20261124_000001_create_cimetiere"
    }
}

#[derive(DeriveIden)]
enum Cimetiere {
    Table,
    Id,
    CollectiviteId,
    Nom,
    Adresse,
    CreatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for CreateCimetiere {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Cimetiere::Table)
                    .col(
                        ColumnDef::new(Cimetiere::Id)
                            .uuid()
                            .not_null()
                            .primary_key(),
                    )
                    .col(collectivite_id())
                    .col(ColumnDef::new(Cimetiere::Nom).string_len(200).not_null())
                    .col(ColumnDef::new(Cimetiere::Adresse).string_len(500).null())
                    .col(
                        ColumnDef::new(Cimetiere::CreatedAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .foreign_key(&mut collectivite_fk("cimetiere"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ux_cimetiere_nom")
                    .table(Cimetiere::Table)
                    .col(Cimetiere::CollectiviteId)
                    .col(Cimetiere::Nom)
                    .unique()
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(Cimetiere::Table).to_owned())
            .await
    }
}
