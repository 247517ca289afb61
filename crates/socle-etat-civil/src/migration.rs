//! Migrations of the civil-status module.

use sea_orm_migration::prelude::*;
use socle::collectivite::schema::{collectivite_fk, collectivite_id};

/// Creates the `registre` table; one register per collectivité, year and kind.
pub(crate) struct CreateRegistre;

impl MigrationName for CreateRegistre {
    fn name(&self) -> &str {
        "m20261124_000001_create_registre"
    }
}

#[derive(DeriveIden)]
enum Registre {
    Table,
    Id,
    CollectiviteId,
    Annee,
    Nature,
    OuvertLe,
    ClosLe,
    CreatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for CreateRegistre {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Registre::Table)
                    .col(ColumnDef::new(Registre::Id).uuid().not_null().primary_key())
                    .col(collectivite_id())
                    .col(ColumnDef::new(Registre::Annee).integer().not_null())
                    .col(ColumnDef::new(Registre::Nature).string_len(20).not_null())
                    .col(ColumnDef::new(Registre::OuvertLe).date().not_null())
                    .col(ColumnDef::new(Registre::ClosLe).date().null())
                    .col(
                        ColumnDef::new(Registre::CreatedAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .foreign_key(&mut collectivite_fk("registre"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ux_registre_annee_nature")
                    .table(Registre::Table)
                    .col(Registre::CollectiviteId)
                    .col(Registre::Annee)
                    .col(Registre::Nature)
                    .unique()
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(Registre::Table).to_owned())
            .await
    }
}
