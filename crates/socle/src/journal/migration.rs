//! Migrations of the `journal` module.

use sea_orm_migration::prelude::*;

use super::chain::GENESIS;

/// Creates the journal and its head.
pub(super) struct CreateJournal;

impl MigrationName for CreateJournal {
    fn name(&self) -> &str {
        "m20261124_000001_create_journal"
    }
}

#[derive(DeriveIden)]
enum JournalEntree {
    Table,
    Seq,
    Horodatage,
    CollectiviteId,
    ActeurType,
    ActeurId,
    Action,
    ObjetType,
    ObjetId,
    Motif,
    Details,
    EmpreintePrecedente,
    Empreinte,
}

#[derive(DeriveIden)]
enum JournalTete {
    Table,
    Id,
    Seq,
    Empreinte,
    PremiereSeq,
    Ancre,
}

#[async_trait::async_trait]
impl MigrationTrait for CreateJournal {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(JournalEntree::Table)
                    .col(
                        ColumnDef::new(JournalEntree::Seq)
                            .big_integer()
                            .not_null()
                            .primary_key(),
                    )
                    .col(
                        ColumnDef::new(JournalEntree::Horodatage)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .col(ColumnDef::new(JournalEntree::CollectiviteId).uuid().null())
                    .col(
                        ColumnDef::new(JournalEntree::ActeurType)
                            .string_len(20)
                            .not_null(),
                    )
                    .col(ColumnDef::new(JournalEntree::ActeurId).uuid().null())
                    .col(
                        ColumnDef::new(JournalEntree::Action)
                            .string_len(40)
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(JournalEntree::ObjetType)
                            .string_len(100)
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(JournalEntree::ObjetId)
                            .string_len(100)
                            .not_null(),
                    )
                    .col(ColumnDef::new(JournalEntree::Motif).string_len(500).null())
                    .col(ColumnDef::new(JournalEntree::Details).json().null())
                    .col(
                        ColumnDef::new(JournalEntree::EmpreintePrecedente)
                            .string_len(64)
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(JournalEntree::Empreinte)
                            .string_len(64)
                            .not_null(),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_journal_entree_objet")
                    .table(JournalEntree::Table)
                    .col(JournalEntree::ObjetType)
                    .col(JournalEntree::ObjetId)
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_journal_entree_horodatage")
                    .table(JournalEntree::Table)
                    .col(JournalEntree::Horodatage)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(JournalTete::Table)
                    .col(
                        ColumnDef::new(JournalTete::Id)
                            .integer()
                            .not_null()
                            .primary_key(),
                    )
                    .col(ColumnDef::new(JournalTete::Seq).big_integer().not_null())
                    .col(
                        ColumnDef::new(JournalTete::Empreinte)
                            .string_len(64)
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(JournalTete::PremiereSeq)
                            .big_integer()
                            .not_null(),
                    )
                    .col(ColumnDef::new(JournalTete::Ancre).string_len(64).not_null())
                    .to_owned(),
            )
            .await?;
        manager
            .exec_stmt(
                Query::insert()
                    .into_table(JournalTete::Table)
                    .columns([
                        JournalTete::Id,
                        JournalTete::Seq,
                        JournalTete::Empreinte,
                        JournalTete::PremiereSeq,
                        JournalTete::Ancre,
                    ])
                    .values_panic([
                        1.into(),
                        0i64.into(),
                        GENESIS.into(),
                        1i64.into(),
                        GENESIS.into(),
                    ])
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(JournalTete::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(JournalEntree::Table).to_owned())
            .await
    }
}
