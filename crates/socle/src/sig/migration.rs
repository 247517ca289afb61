//! Migrations of the `sig` module.

use sea_orm_migration::prelude::*;

use crate::collectivite::schema::{
    collectivite_fk, collectivite_id, index, instant, texte, texte_null,
};

/// Creates the addresses and the areas.
pub(super) struct CreateSig;

impl MigrationName for CreateSig {
    fn name(&self) -> &str {
        "m20261125_000001_create_sig"
    }
}

#[derive(DeriveIden)]
enum SigAdresse {
    Table,
    Id,
    CleInterop,
    CommuneInsee,
    CommuneNom,
    CodePostal,
    VoieNom,
    Lieudit,
    Numero,
    Suffixe,
    Libelle,
    Position,
    X,
    Y,
    Lon,
    Lat,
    Recherche,
    CreeLe,
    ModifieLe,
}

#[derive(DeriveIden)]
enum SigZone {
    Table,
    Id,
    Nature,
    Reference,
    Nom,
    Geometrie,
    MinLon,
    MinLat,
    MaxLon,
    MaxLat,
    CreeLe,
}

fn reel(col: impl IntoIden) -> ColumnDef {
    ColumnDef::new(col).double().not_null().to_owned()
}

fn reel_null(col: impl IntoIden) -> ColumnDef {
    ColumnDef::new(col).double().null().to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for CreateSig {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(SigAdresse::Table)
                    .col(
                        ColumnDef::new(SigAdresse::Id)
                            .uuid()
                            .not_null()
                            .primary_key(),
                    )
                    .col(collectivite_id())
                    .col(texte(SigAdresse::CleInterop, 40))
                    .col(texte(SigAdresse::CommuneInsee, 5))
                    .col(texte_null(SigAdresse::CommuneNom, 100))
                    .col(texte_null(SigAdresse::CodePostal, 5))
                    .col(texte(SigAdresse::VoieNom, 200))
                    .col(texte_null(SigAdresse::Lieudit, 200))
                    .col(ColumnDef::new(SigAdresse::Numero).integer().not_null())
                    .col(texte_null(SigAdresse::Suffixe, 10))
                    .col(texte(SigAdresse::Libelle, 230))
                    .col(texte_null(SigAdresse::Position, 30))
                    .col(reel_null(SigAdresse::X))
                    .col(reel_null(SigAdresse::Y))
                    .col(reel(SigAdresse::Lon))
                    .col(reel(SigAdresse::Lat))
                    .col(texte(SigAdresse::Recherche, 600))
                    .col(instant(SigAdresse::CreeLe))
                    .col(instant(SigAdresse::ModifieLe))
                    .foreign_key(&mut collectivite_fk("sig_adresse"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                index(
                    "ux_sig_adresse_cle",
                    SigAdresse::Table,
                    &["collectivite_id", "cle_interop"],
                )
                .unique()
                .to_owned(),
            )
            .await?;
        manager
            .create_index(index(
                "ix_sig_adresse_voie",
                SigAdresse::Table,
                &["collectivite_id", "voie_nom", "numero"],
            ))
            .await?;
        manager
            .create_index(index(
                "ix_sig_adresse_numero",
                SigAdresse::Table,
                &["collectivite_id", "numero"],
            ))
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(SigZone::Table)
                    .col(ColumnDef::new(SigZone::Id).uuid().not_null().primary_key())
                    .col(collectivite_id())
                    .col(texte(SigZone::Nature, 50))
                    .col(texte(SigZone::Reference, 100))
                    .col(texte(SigZone::Nom, 200))
                    .col(ColumnDef::new(SigZone::Geometrie).text().not_null())
                    .col(reel(SigZone::MinLon))
                    .col(reel(SigZone::MinLat))
                    .col(reel(SigZone::MaxLon))
                    .col(reel(SigZone::MaxLat))
                    .col(instant(SigZone::CreeLe))
                    .foreign_key(&mut collectivite_fk("sig_zone"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                index(
                    "ux_sig_zone_reference",
                    SigZone::Table,
                    &["collectivite_id", "nature", "reference"],
                )
                .unique()
                .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [SigZone::Table.into_iden(), SigAdresse::Table.into_iden()] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}
