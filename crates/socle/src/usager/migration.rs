//! Migrations of the `usagers` module.

use sea_orm_migration::prelude::*;

use crate::collectivite::schema::{
    collectivite_fk, collectivite_id, index, instant, texte, texte_null,
};

/// Creates the registry, the links and the idempotency keys.
pub(super) struct CreateUsagers;

impl MigrationName for CreateUsagers {
    fn name(&self) -> &str {
        "m20261124_000001_create_usagers"
    }
}

#[derive(DeriveIden)]
enum Usager {
    Table,
    Id,
    NomNaissance,
    Prenoms,
    NomUsage,
    Sexe,
    DateNaissance,
    AnneeNaissance,
    CommuneNaissance,
    PaysNaissance,
    Adresses,
    Contacts,
    Statut,
    DateDeces,
    SourceDeces,
    CleNom,
    CleNomUsage,
    PhonNom,
    PhonNomUsage,
    Recherche,
    Version,
    CreeLe,
    ModifieLe,
    ModifieUs,
    SupprimeLe,
    FusionneDans,
}

#[derive(DeriveIden)]
enum UsagerLien {
    Table,
    Id,
    UsagerId,
    ObjetType,
    ObjetId,
    Libelle,
    CreeLe,
}

#[derive(DeriveIden)]
enum UsagerIdempotence {
    Table,
    Cle,
    Empreinte,
    Statut,
    Corps,
    CreeLe,
}

#[async_trait::async_trait]
impl MigrationTrait for CreateUsagers {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Usager::Table)
                    .col(ColumnDef::new(Usager::Id).uuid().not_null().primary_key())
                    .col(collectivite_id())
                    .col(texte(Usager::NomNaissance, 100))
                    .col(texte(Usager::Prenoms, 200))
                    .col(texte_null(Usager::NomUsage, 100))
                    .col(texte_null(Usager::Sexe, 1))
                    .col(texte_null(Usager::DateNaissance, 10))
                    .col(ColumnDef::new(Usager::AnneeNaissance).integer().null())
                    .col(texte_null(Usager::CommuneNaissance, 5))
                    .col(texte_null(Usager::PaysNaissance, 5))
                    .col(ColumnDef::new(Usager::Adresses).json().not_null())
                    .col(ColumnDef::new(Usager::Contacts).json().not_null())
                    .col(texte(Usager::Statut, 10))
                    .col(texte_null(Usager::DateDeces, 10))
                    .col(texte_null(Usager::SourceDeces, 40))
                    .col(texte(Usager::CleNom, 100))
                    .col(texte_null(Usager::CleNomUsage, 100))
                    .col(texte(Usager::PhonNom, 100))
                    .col(texte_null(Usager::PhonNomUsage, 100))
                    .col(texte(Usager::Recherche, 420))
                    .col(ColumnDef::new(Usager::Version).big_integer().not_null())
                    .col(instant(Usager::CreeLe))
                    .col(instant(Usager::ModifieLe))
                    .col(ColumnDef::new(Usager::ModifieUs).big_integer().not_null())
                    .col(
                        ColumnDef::new(Usager::SupprimeLe)
                            .timestamp_with_time_zone()
                            .null(),
                    )
                    .col(ColumnDef::new(Usager::FusionneDans).uuid().null())
                    .foreign_key(&mut collectivite_fk("usager"))
                    .to_owned(),
            )
            .await?;
        for (name, cols) in [
            (
                "ix_usager_modifie",
                &["collectivite_id", "modifie_le", "id"][..],
            ),
            (
                "ix_usager_phon_nom",
                &["collectivite_id", "phon_nom", "annee_naissance"][..],
            ),
            (
                "ix_usager_phon_nom_usage",
                &["collectivite_id", "phon_nom_usage", "annee_naissance"][..],
            ),
            ("ix_usager_cle_nom", &["collectivite_id", "cle_nom"][..]),
        ] {
            manager
                .create_index(index(name, Usager::Table, cols))
                .await?;
        }
        manager
            .create_table(
                Table::create()
                    .table(UsagerLien::Table)
                    .col(
                        ColumnDef::new(UsagerLien::Id)
                            .uuid()
                            .not_null()
                            .primary_key(),
                    )
                    .col(collectivite_id())
                    .col(ColumnDef::new(UsagerLien::UsagerId).uuid().not_null())
                    .col(texte(UsagerLien::ObjetType, 100))
                    .col(texte(UsagerLien::ObjetId, 100))
                    .col(texte(UsagerLien::Libelle, 200))
                    .col(instant(UsagerLien::CreeLe))
                    .foreign_key(&mut collectivite_fk("usager_lien"))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_usager_lien_usager")
                            .from(UsagerLien::Table, UsagerLien::UsagerId)
                            .to(Usager::Table, Usager::Id)
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                index(
                    "ux_usager_lien_objet",
                    UsagerLien::Table,
                    &["collectivite_id", "objet_type", "objet_id"],
                )
                .unique()
                .to_owned(),
            )
            .await?;
        manager
            .create_index(index(
                "ix_usager_lien_usager",
                UsagerLien::Table,
                &["usager_id"],
            ))
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(UsagerIdempotence::Table)
                    .col(collectivite_id())
                    .col(texte(UsagerIdempotence::Cle, 255))
                    .col(texte(UsagerIdempotence::Empreinte, 64))
                    .col(
                        ColumnDef::new(UsagerIdempotence::Statut)
                            .integer()
                            .not_null(),
                    )
                    .col(ColumnDef::new(UsagerIdempotence::Corps).text().not_null())
                    .col(instant(UsagerIdempotence::CreeLe))
                    .primary_key(
                        Index::create()
                            .col(Alias::new("collectivite_id"))
                            .col(UsagerIdempotence::Cle),
                    )
                    .foreign_key(&mut collectivite_fk("usager_idempotence"))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            UsagerIdempotence::Table.into_iden(),
            UsagerLien::Table.into_iden(),
            Usager::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}
