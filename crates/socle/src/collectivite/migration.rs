//! Migrations of the `collectivites` module.

use sea_orm_migration::prelude::*;

/// Creates the `collectivite` table.
pub(super) struct CreateCollectivite;

impl MigrationName for CreateCollectivite {
    fn name(&self) -> &str {
        "m20261124_000001_create_collectivite"
    }
}

/// Table and columns.
#[derive(DeriveIden)]
enum Collectivite {
    Table,
    Id,
    Code,
    Nature,
    Nom,
    CreatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for CreateCollectivite {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Collectivite::Table)
                    .col(
                        ColumnDef::new(Collectivite::Id)
                            .uuid()
                            .not_null()
                            .primary_key(),
                    )
                    .col(
                        ColumnDef::new(Collectivite::Code)
                            .string_len(9)
                            .not_null()
                            .unique_key(),
                    )
                    .col(
                        ColumnDef::new(Collectivite::Nature)
                            .string_len(20)
                            .not_null(),
                    )
                    .col(ColumnDef::new(Collectivite::Nom).string_len(200).not_null())
                    .col(
                        ColumnDef::new(Collectivite::CreatedAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(Collectivite::Table).to_owned())
            .await
    }
}
