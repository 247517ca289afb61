//! Migrations of the `editions` module.

use sea_orm_migration::prelude::*;

use crate::collectivite::schema::{
    collectivite_fk, collectivite_id, index, instant, texte, texte_null,
};

/// Creates the templates rewritten by collectivités, their letterheads and logos.
pub(super) struct CreateEditions;

impl MigrationName for CreateEditions {
    fn name(&self) -> &str {
        "m20261126_000001_create_editions"
    }
}

#[derive(DeriveIden)]
enum EditionsModele {
    Table,
    Id,
    Module,
    Nom,
    Source,
    ModifieLe,
    ModifiePar,
}

#[derive(DeriveIden)]
enum EditionsEntete {
    Table,
    CollectiviteId,
    Adresse,
    Telephone,
    Courriel,
    SiteWeb,
    SignataireNom,
    SignataireQualite,
    ModifieLe,
    ModifiePar,
}

#[derive(DeriveIden)]
enum EditionsLogo {
    Table,
    CollectiviteId,
    TypeMedia,
    Octets,
    Largeur,
    Hauteur,
    ModifieLe,
    ModifiePar,
}

/// The collectivité as the primary key of a one-row-per-collectivité table.
fn cle_collectivite(col: impl IntoIden) -> ColumnDef {
    ColumnDef::new(col)
        .uuid()
        .not_null()
        .primary_key()
        .to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for CreateEditions {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(EditionsModele::Table)
                    .col(
                        ColumnDef::new(EditionsModele::Id)
                            .uuid()
                            .not_null()
                            .primary_key(),
                    )
                    .col(collectivite_id())
                    .col(texte(EditionsModele::Module, 40))
                    .col(texte(EditionsModele::Nom, 100))
                    .col(ColumnDef::new(EditionsModele::Source).text().not_null())
                    .col(instant(EditionsModele::ModifieLe))
                    .col(texte(EditionsModele::ModifiePar, 200))
                    .foreign_key(&mut collectivite_fk("editions_modele"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                index(
                    "ux_editions_modele_nom",
                    EditionsModele::Table,
                    &["collectivite_id", "module", "nom"],
                )
                .unique()
                .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(EditionsEntete::Table)
                    .col(cle_collectivite(EditionsEntete::CollectiviteId))
                    .col(texte_null(EditionsEntete::Adresse, 500))
                    .col(texte_null(EditionsEntete::Telephone, 30))
                    .col(texte_null(EditionsEntete::Courriel, 254))
                    .col(texte_null(EditionsEntete::SiteWeb, 200))
                    .col(texte_null(EditionsEntete::SignataireNom, 200))
                    .col(texte_null(EditionsEntete::SignataireQualite, 200))
                    .col(instant(EditionsEntete::ModifieLe))
                    .col(texte(EditionsEntete::ModifiePar, 200))
                    .foreign_key(&mut collectivite_fk("editions_entete"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(EditionsLogo::Table)
                    .col(cle_collectivite(EditionsLogo::CollectiviteId))
                    .col(texte(EditionsLogo::TypeMedia, 20))
                    .col(ColumnDef::new(EditionsLogo::Octets).blob().not_null())
                    .col(ColumnDef::new(EditionsLogo::Largeur).integer().not_null())
                    .col(ColumnDef::new(EditionsLogo::Hauteur).integer().not_null())
                    .col(instant(EditionsLogo::ModifieLe))
                    .col(texte(EditionsLogo::ModifiePar, 200))
                    .foreign_key(&mut collectivite_fk("editions_logo"))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            EditionsLogo::Table.into_iden(),
            EditionsEntete::Table.into_iden(),
            EditionsModele::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}
