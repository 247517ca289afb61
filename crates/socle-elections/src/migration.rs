//! Migrations of the elections module.

use sea_orm_migration::prelude::*;
use socle::collectivite::schema::{collectivite_fk, collectivite_id};

/// Creates the `bureau_de_vote` table.
pub(crate) struct CreateBureau;

impl MigrationName for CreateBureau {
    fn name(&self) -> &str {
        "m20261124_000001_create_bureau_de_vote"
    }
}

#[derive(DeriveIden)]
enum BureauDeVote {
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
                    .table(BureauDeVote::Table)
                    .col(
                        ColumnDef::new(BureauDeVote::Id)
                            .uuid()
                            .not_null()
                            .primary_key(),
                    )
                    .col(collectivite_id())
                    .col(ColumnDef::new(BureauDeVote::Code).string_len(10).not_null())
                    .col(ColumnDef::new(BureauDeVote::Nom).string_len(200).not_null())
                    .col(
                        ColumnDef::new(BureauDeVote::Lieu)
                            .string_len(500)
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(BureauDeVote::CreatedAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .foreign_key(&mut collectivite_fk("bureau_de_vote"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ux_bureau_de_vote_code")
                    .table(BureauDeVote::Table)
                    .col(BureauDeVote::CollectiviteId)
                    .col(BureauDeVote::Code)
                    .unique()
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(BureauDeVote::Table).to_owned())
            .await
    }
}
