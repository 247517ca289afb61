//! Migrations of the module.

use sea_orm_migration::prelude::*;
use socle::collectivite::schema::{collectivite_fk, collectivite_id};

/// Creates the `modele_element` table.
pub(crate) struct CreateElement;

impl MigrationName for CreateElement {
    fn name(&self) -> &str {
        "m20261124_000001_create_element"
    }
}

#[derive(DeriveIden)]
enum ModeleElement {
    Table,
    Id,
    CollectiviteId,
    Nom,
    CreatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for CreateElement {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(ModeleElement::Table)
                    .col(
                        ColumnDef::new(ModeleElement::Id)
                            .uuid()
                            .not_null()
                            .primary_key(),
                    )
                    .col(collectivite_id())
                    .col(
                        ColumnDef::new(ModeleElement::Nom)
                            .string_len(200)
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(ModeleElement::CreatedAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .foreign_key(&mut collectivite_fk("modele_element"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ux_modele_element_nom")
                    .table(ModeleElement::Table)
                    .col(ModeleElement::CollectiviteId)
                    .col(ModeleElement::Nom)
                    .unique()
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(ModeleElement::Table).to_owned())
            .await
    }
}
