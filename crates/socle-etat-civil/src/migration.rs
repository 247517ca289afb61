//! Migrations of the civil-status module.

use sea_orm_migration::prelude::*;
use socle::collectivite::schema::{collectivite_fk, collectivite_id};

/// Creates the `etat_civil_registre` table; one register per collectivité, year and kind.
pub(crate) struct CreateRegistre;

impl MigrationName for CreateRegistre {
    fn name(&self) -> &str {
        "m20261124_000001_create_registre"
    }
}

#[derive(DeriveIden)]
enum EtatCivilRegistre {
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
                    .table(EtatCivilRegistre::Table)
                    .col(
                        ColumnDef::new(EtatCivilRegistre::Id)
                            .uuid()
                            .not_null()
                            .primary_key(),
                    )
                    .col(collectivite_id())
                    .col(
                        ColumnDef::new(EtatCivilRegistre::Annee)
                            .integer()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(EtatCivilRegistre::Nature)
                            .string_len(20)
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(EtatCivilRegistre::OuvertLe)
                            .date()
                            .not_null(),
                    )
                    .col(ColumnDef::new(EtatCivilRegistre::ClosLe).date().null())
                    .col(
                        ColumnDef::new(EtatCivilRegistre::CreatedAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .foreign_key(&mut collectivite_fk("etat_civil_registre"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ux_etat_civil_registre_annee_nature")
                    .table(EtatCivilRegistre::Table)
                    .col(EtatCivilRegistre::CollectiviteId)
                    .col(EtatCivilRegistre::Annee)
                    .col(EtatCivilRegistre::Nature)
                    .unique()
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(EtatCivilRegistre::Table).to_owned())
            .await
    }
}
