//! Migrations of the cemetery module.

use sea_orm_migration::prelude::*;
use socle::collectivite::schema::{
    collectivite_fk, collectivite_id, date, date_null, identifiant, identifiant_null, index,
    instant, texte, texte_null, uuid_pk,
};

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
                    .col(uuid_pk(Cimetiere::Id))
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

/// Creates the zones, allées and emplacements of the cemeteries.
pub(crate) struct CreateLieux;

impl MigrationName for CreateLieux {
    fn name(&self) -> &str {
        "m20261202_000001_create_lieux"
    }
}

#[derive(DeriveIden)]
enum CimetiereZone {
    Table,
    Id,
    CimetiereId,
    Code,
    Nom,
    Geometrie,
    CreeLe,
}

#[derive(DeriveIden)]
enum CimetiereAllee {
    Table,
    Id,
    ZoneId,
    Code,
    Nom,
    CreeLe,
}

#[derive(DeriveIden)]
enum CimetiereEmplacement {
    Table,
    Id,
    CimetiereId,
    ZoneId,
    AlleeId,
    Numero,
    Nature,
    Places,
    SurfaceM2,
    Geometrie,
    CreeLe,
}

fn vers(table: &str, colonne: &str, cible: impl IntoIden) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .name(format!("fk_{table}_{colonne}"))
        .from(Alias::new(table), Alias::new(colonne))
        .to(cible, Alias::new("id"))
        .on_delete(ForeignKeyAction::Restrict)
        .to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for CreateLieux {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(CimetiereZone::Table)
                    .col(uuid_pk(CimetiereZone::Id))
                    .col(collectivite_id())
                    .col(identifiant(CimetiereZone::CimetiereId))
                    .col(texte(CimetiereZone::Code, 30))
                    .col(texte_null(CimetiereZone::Nom, 200))
                    .col(ColumnDef::new(CimetiereZone::Geometrie).text().null())
                    .col(instant(CimetiereZone::CreeLe))
                    .foreign_key(&mut collectivite_fk("cimetiere_zone"))
                    .foreign_key(&mut vers(
                        "cimetiere_zone",
                        "cimetiere_id",
                        Cimetiere::Table,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                index(
                    "ux_cimetiere_zone_code",
                    CimetiereZone::Table,
                    &["cimetiere_id", "code"],
                )
                .unique()
                .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(CimetiereAllee::Table)
                    .col(uuid_pk(CimetiereAllee::Id))
                    .col(collectivite_id())
                    .col(identifiant(CimetiereAllee::ZoneId))
                    .col(texte(CimetiereAllee::Code, 30))
                    .col(texte_null(CimetiereAllee::Nom, 200))
                    .col(instant(CimetiereAllee::CreeLe))
                    .foreign_key(&mut collectivite_fk("cimetiere_allee"))
                    .foreign_key(&mut vers(
                        "cimetiere_allee",
                        "zone_id",
                        CimetiereZone::Table,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                index(
                    "ux_cimetiere_allee_code",
                    CimetiereAllee::Table,
                    &["zone_id", "code"],
                )
                .unique()
                .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(CimetiereEmplacement::Table)
                    .col(uuid_pk(CimetiereEmplacement::Id))
                    .col(collectivite_id())
                    .col(identifiant(CimetiereEmplacement::CimetiereId))
                    .col(identifiant(CimetiereEmplacement::ZoneId))
                    .col(identifiant_null(CimetiereEmplacement::AlleeId))
                    .col(texte(CimetiereEmplacement::Numero, 30))
                    .col(texte(CimetiereEmplacement::Nature, 30))
                    .col(
                        ColumnDef::new(CimetiereEmplacement::Places)
                            .integer()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(CimetiereEmplacement::SurfaceM2)
                            .double()
                            .null(),
                    )
                    .col(
                        ColumnDef::new(CimetiereEmplacement::Geometrie)
                            .text()
                            .null(),
                    )
                    .col(instant(CimetiereEmplacement::CreeLe))
                    .foreign_key(&mut collectivite_fk("cimetiere_emplacement"))
                    .foreign_key(&mut vers(
                        "cimetiere_emplacement",
                        "cimetiere_id",
                        Cimetiere::Table,
                    ))
                    .foreign_key(&mut vers(
                        "cimetiere_emplacement",
                        "zone_id",
                        CimetiereZone::Table,
                    ))
                    .foreign_key(&mut vers(
                        "cimetiere_emplacement",
                        "allee_id",
                        CimetiereAllee::Table,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                index(
                    "ux_cimetiere_emplacement_numero",
                    CimetiereEmplacement::Table,
                    &["cimetiere_id", "numero"],
                )
                .unique()
                .to_owned(),
            )
            .await?;
        manager
            .create_index(index(
                "ix_cimetiere_emplacement_zone",
                CimetiereEmplacement::Table,
                &["zone_id", "numero"],
            ))
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            CimetiereEmplacement::Table.into_iden(),
            CimetiereAllee::Table.into_iden(),
            CimetiereZone::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}

/// Creates the tariff schedule of concessions.
pub(crate) struct CreateTarifs;

impl MigrationName for CreateTarifs {
    fn name(&self) -> &str {
        "m20261202_000002_create_tarifs"
    }
}

#[derive(DeriveIden)]
enum CimetiereTarif {
    Table,
    Id,
    TypeConcession,
    DureeAns,
    NatureEmplacement,
    MontantCentimes,
    DateEffet,
    Deliberation,
    CreeLe,
}

#[async_trait::async_trait]
impl MigrationTrait for CreateTarifs {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(CimetiereTarif::Table)
                    .col(uuid_pk(CimetiereTarif::Id))
                    .col(collectivite_id())
                    .col(texte(CimetiereTarif::TypeConcession, 20))
                    .col(
                        ColumnDef::new(CimetiereTarif::DureeAns)
                            .integer()
                            .not_null(),
                    )
                    .col(texte(CimetiereTarif::NatureEmplacement, 30))
                    .col(
                        ColumnDef::new(CimetiereTarif::MontantCentimes)
                            .big_integer()
                            .null(),
                    )
                    .col(date(CimetiereTarif::DateEffet))
                    .col(texte_null(CimetiereTarif::Deliberation, 200))
                    .col(instant(CimetiereTarif::CreeLe))
                    .foreign_key(&mut collectivite_fk("cimetiere_tarif"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                index(
                    "ux_cimetiere_tarif",
                    CimetiereTarif::Table,
                    &[
                        "collectivite_id",
                        "nature_emplacement",
                        "type_concession",
                        "duree_ans",
                        "date_effet",
                    ],
                )
                .unique()
                .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(CimetiereTarif::Table).to_owned())
            .await
    }
}

/// Creates the concessions and the people their acts name.
pub(crate) struct CreateConcessions;

impl MigrationName for CreateConcessions {
    fn name(&self) -> &str {
        "m20261202_000003_create_concessions"
    }
}

#[derive(DeriveIden)]
enum CimetiereConcession {
    Table,
    Id,
    EmplacementId,
    NumeroActe,
    DateActe,
    TypeConcession,
    DureeAns,
    Forme,
    DateEcheance,
    MontantCentimes,
    ConcessionnaireId,
    CreeLe,
    FinLe,
    MotifFin,
}

#[derive(DeriveIden)]
enum CimetiereConcessionPersonne {
    Table,
    Id,
    ConcessionId,
    Role,
    UsagerId,
    Nom,
    Lien,
}

#[async_trait::async_trait]
impl MigrationTrait for CreateConcessions {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(CimetiereConcession::Table)
                    .col(uuid_pk(CimetiereConcession::Id))
                    .col(collectivite_id())
                    .col(identifiant(CimetiereConcession::EmplacementId))
                    .col(texte(CimetiereConcession::NumeroActe, 50))
                    .col(date(CimetiereConcession::DateActe))
                    .col(texte(CimetiereConcession::TypeConcession, 20))
                    .col(
                        ColumnDef::new(CimetiereConcession::DureeAns)
                            .integer()
                            .not_null(),
                    )
                    .col(texte(CimetiereConcession::Forme, 20))
                    .col(date_null(CimetiereConcession::DateEcheance))
                    .col(
                        ColumnDef::new(CimetiereConcession::MontantCentimes)
                            .big_integer()
                            .not_null(),
                    )
                    .col(identifiant(CimetiereConcession::ConcessionnaireId))
                    .col(instant(CimetiereConcession::CreeLe))
                    .foreign_key(&mut collectivite_fk("cimetiere_concession"))
                    .foreign_key(&mut vers(
                        "cimetiere_concession",
                        "emplacement_id",
                        CimetiereEmplacement::Table,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                index(
                    "ux_cimetiere_concession_acte",
                    CimetiereConcession::Table,
                    &["collectivite_id", "numero_acte"],
                )
                .unique()
                .to_owned(),
            )
            .await?;
        manager
            .create_index(index(
                "ix_cimetiere_concession_echeance",
                CimetiereConcession::Table,
                &["collectivite_id", "date_echeance"],
            ))
            .await?;
        manager
            .create_index(index(
                "ix_cimetiere_concession_emplacement",
                CimetiereConcession::Table,
                &["emplacement_id", "date_acte"],
            ))
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(CimetiereConcessionPersonne::Table)
                    .col(uuid_pk(CimetiereConcessionPersonne::Id))
                    .col(identifiant(CimetiereConcessionPersonne::ConcessionId))
                    .col(texte(CimetiereConcessionPersonne::Role, 20))
                    .col(identifiant_null(CimetiereConcessionPersonne::UsagerId))
                    .col(texte(CimetiereConcessionPersonne::Nom, 200))
                    .col(texte_null(CimetiereConcessionPersonne::Lien, 100))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_cimetiere_concession_personne_concession")
                            .from(
                                CimetiereConcessionPersonne::Table,
                                CimetiereConcessionPersonne::ConcessionId,
                            )
                            .to(CimetiereConcession::Table, CimetiereConcession::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index(
                "ix_cimetiere_concession_personne",
                CimetiereConcessionPersonne::Table,
                &["concession_id"],
            ))
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(
                Table::drop()
                    .table(CimetiereConcessionPersonne::Table)
                    .to_owned(),
            )
            .await?;
        manager
            .drop_table(Table::drop().table(CimetiereConcession::Table).to_owned())
            .await
    }
}

/// Creates the renewals of concessions.
pub(crate) struct CreateRenouvellements;

impl MigrationName for CreateRenouvellements {
    fn name(&self) -> &str {
        "m20261202_000004_create_renouvellements"
    }
}

#[derive(DeriveIden)]
enum CimetiereRenouvellement {
    Table,
    Id,
    ConcessionId,
    DateRenouvellement,
    DureeAns,
    AncienneEcheance,
    NouvelleEcheance,
    MontantCentimes,
    DemandeurId,
    CreeLe,
}

#[async_trait::async_trait]
impl MigrationTrait for CreateRenouvellements {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(CimetiereRenouvellement::Table)
                    .col(uuid_pk(CimetiereRenouvellement::Id))
                    .col(collectivite_id())
                    .col(identifiant(CimetiereRenouvellement::ConcessionId))
                    .col(date(CimetiereRenouvellement::DateRenouvellement))
                    .col(
                        ColumnDef::new(CimetiereRenouvellement::DureeAns)
                            .integer()
                            .not_null(),
                    )
                    .col(date(CimetiereRenouvellement::AncienneEcheance))
                    .col(date(CimetiereRenouvellement::NouvelleEcheance))
                    .col(
                        ColumnDef::new(CimetiereRenouvellement::MontantCentimes)
                            .big_integer()
                            .not_null(),
                    )
                    .col(identifiant(CimetiereRenouvellement::DemandeurId))
                    .col(instant(CimetiereRenouvellement::CreeLe))
                    .foreign_key(&mut collectivite_fk("cimetiere_renouvellement"))
                    .foreign_key(&mut vers(
                        "cimetiere_renouvellement",
                        "concession_id",
                        CimetiereConcession::Table,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                index(
                    "ux_cimetiere_renouvellement",
                    CimetiereRenouvellement::Table,
                    &["concession_id", "ancienne_echeance"],
                )
                .unique()
                .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(
                Table::drop()
                    .table(CimetiereRenouvellement::Table)
                    .to_owned(),
            )
            .await
    }
}

/// Creates the conversions of concessions.
pub(crate) struct CreateConversions;

impl MigrationName for CreateConversions {
    fn name(&self) -> &str {
        "m20261202_000005_create_conversions"
    }
}

#[derive(DeriveIden)]
enum CimetiereConversion {
    Table,
    Id,
    ConcessionId,
    DateConversion,
    AncienType,
    AncienneDuree,
    AncienneEcheance,
    NouveauType,
    NouvelleDuree,
    NouvelleEcheance,
    PrixCentimes,
    CreditCentimes,
    APayerCentimes,
    CreeLe,
}

#[async_trait::async_trait]
impl MigrationTrait for CreateConversions {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let entier = |col: CimetiereConversion| ColumnDef::new(col).integer().not_null().to_owned();
        let montant =
            |col: CimetiereConversion| ColumnDef::new(col).big_integer().not_null().to_owned();
        manager
            .create_table(
                Table::create()
                    .table(CimetiereConversion::Table)
                    .col(uuid_pk(CimetiereConversion::Id))
                    .col(collectivite_id())
                    .col(identifiant(CimetiereConversion::ConcessionId))
                    .col(date(CimetiereConversion::DateConversion))
                    .col(texte(CimetiereConversion::AncienType, 20))
                    .col(entier(CimetiereConversion::AncienneDuree))
                    .col(date_null(CimetiereConversion::AncienneEcheance))
                    .col(texte(CimetiereConversion::NouveauType, 20))
                    .col(entier(CimetiereConversion::NouvelleDuree))
                    .col(date_null(CimetiereConversion::NouvelleEcheance))
                    .col(montant(CimetiereConversion::PrixCentimes))
                    .col(montant(CimetiereConversion::CreditCentimes))
                    .col(montant(CimetiereConversion::APayerCentimes))
                    .col(instant(CimetiereConversion::CreeLe))
                    .foreign_key(&mut collectivite_fk("cimetiere_conversion"))
                    .foreign_key(&mut vers(
                        "cimetiere_conversion",
                        "concession_id",
                        CimetiereConcession::Table,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index(
                "ix_cimetiere_conversion_concession",
                CimetiereConversion::Table,
                &["concession_id"],
            ))
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(CimetiereConversion::Table).to_owned())
            .await
    }
}

/// Creates the inhumations.
pub(crate) struct CreateInhumations;

impl MigrationName for CreateInhumations {
    fn name(&self) -> &str {
        "m20261202_000006_create_inhumations"
    }
}

#[derive(DeriveIden)]
enum CimetiereInhumation {
    Table,
    Id,
    EmplacementId,
    ConcessionId,
    DefuntId,
    DefuntNom,
    DateDeces,
    DateInhumation,
    Derogation,
    Droit,
    ExhumeLe,
    CreeLe,
}

#[async_trait::async_trait]
impl MigrationTrait for CreateInhumations {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(CimetiereInhumation::Table)
                    .col(uuid_pk(CimetiereInhumation::Id))
                    .col(collectivite_id())
                    .col(identifiant(CimetiereInhumation::EmplacementId))
                    .col(identifiant_null(CimetiereInhumation::ConcessionId))
                    .col(identifiant_null(CimetiereInhumation::DefuntId))
                    .col(texte(CimetiereInhumation::DefuntNom, 200))
                    .col(date(CimetiereInhumation::DateDeces))
                    .col(date(CimetiereInhumation::DateInhumation))
                    .col(texte_null(CimetiereInhumation::Derogation, 200))
                    .col(texte(CimetiereInhumation::Droit, 300))
                    .col(date_null(CimetiereInhumation::ExhumeLe))
                    .col(instant(CimetiereInhumation::CreeLe))
                    .foreign_key(&mut collectivite_fk("cimetiere_inhumation"))
                    .foreign_key(&mut vers(
                        "cimetiere_inhumation",
                        "emplacement_id",
                        CimetiereEmplacement::Table,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index(
                "ix_cimetiere_inhumation_emplacement",
                CimetiereInhumation::Table,
                &["emplacement_id", "date_inhumation"],
            ))
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(CimetiereInhumation::Table).to_owned())
            .await
    }
}

/// Creates the exhumations and the family disputes.
pub(crate) struct CreateExhumations;

impl MigrationName for CreateExhumations {
    fn name(&self) -> &str {
        "m20261202_000007_create_exhumations"
    }
}

#[derive(DeriveIden)]
enum CimetiereExhumation {
    Table,
    Id,
    InhumationId,
    Nature,
    DateOperation,
    DemandeurId,
    Lien,
    Destination,
    CreeLe,
}

#[derive(DeriveIden)]
enum CimetiereLitige {
    Table,
    Id,
    EmplacementId,
    Motif,
    OuvertLe,
    ClosLe,
}

#[async_trait::async_trait]
impl MigrationTrait for CreateExhumations {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(CimetiereExhumation::Table)
                    .col(uuid_pk(CimetiereExhumation::Id))
                    .col(collectivite_id())
                    .col(identifiant(CimetiereExhumation::InhumationId))
                    .col(texte(CimetiereExhumation::Nature, 20))
                    .col(date(CimetiereExhumation::DateOperation))
                    .col(identifiant(CimetiereExhumation::DemandeurId))
                    .col(texte(CimetiereExhumation::Lien, 100))
                    .col(texte_null(CimetiereExhumation::Destination, 300))
                    .col(instant(CimetiereExhumation::CreeLe))
                    .foreign_key(&mut collectivite_fk("cimetiere_exhumation"))
                    .foreign_key(&mut vers(
                        "cimetiere_exhumation",
                        "inhumation_id",
                        Alias::new("cimetiere_inhumation"),
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(CimetiereLitige::Table)
                    .col(uuid_pk(CimetiereLitige::Id))
                    .col(collectivite_id())
                    .col(identifiant(CimetiereLitige::EmplacementId))
                    .col(texte(CimetiereLitige::Motif, 500))
                    .col(date(CimetiereLitige::OuvertLe))
                    .col(date_null(CimetiereLitige::ClosLe))
                    .foreign_key(&mut collectivite_fk("cimetiere_litige"))
                    .foreign_key(&mut vers(
                        "cimetiere_litige",
                        "emplacement_id",
                        CimetiereEmplacement::Table,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index(
                "ix_cimetiere_litige_emplacement",
                CimetiereLitige::Table,
                &["emplacement_id"],
            ))
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            CimetiereLitige::Table.into_iden(),
            CimetiereExhumation::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}

/// Creates the reprise procedures.
pub(crate) struct CreateReprises;

impl MigrationName for CreateReprises {
    fn name(&self) -> &str {
        "m20261202_000008_create_reprises"
    }
}

#[derive(DeriveIden)]
enum CimetiereReprise {
    Table,
    Id,
    ConcessionId,
    Etape,
    ConvocationLe,
    ModeConvocation,
    ConstatLe,
    PublicationLe,
    SecondConstatLe,
    DeliberationLe,
    DeliberationRef,
    ArreteLe,
    ArreteRef,
    CreeLe,
}

#[async_trait::async_trait]
impl MigrationTrait for CreateReprises {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(CimetiereReprise::Table)
                    .col(uuid_pk(CimetiereReprise::Id))
                    .col(collectivite_id())
                    .col(identifiant(CimetiereReprise::ConcessionId))
                    .col(texte(CimetiereReprise::Etape, 20))
                    .col(date(CimetiereReprise::ConvocationLe))
                    .col(texte(CimetiereReprise::ModeConvocation, 30))
                    .col(date(CimetiereReprise::ConstatLe))
                    .col(date_null(CimetiereReprise::PublicationLe))
                    .col(date_null(CimetiereReprise::SecondConstatLe))
                    .col(date_null(CimetiereReprise::DeliberationLe))
                    .col(texte_null(CimetiereReprise::DeliberationRef, 100))
                    .col(date_null(CimetiereReprise::ArreteLe))
                    .col(texte_null(CimetiereReprise::ArreteRef, 100))
                    .col(instant(CimetiereReprise::CreeLe))
                    .foreign_key(&mut collectivite_fk("cimetiere_reprise"))
                    .foreign_key(&mut vers(
                        "cimetiere_reprise",
                        "concession_id",
                        CimetiereConcession::Table,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index(
                "ix_cimetiere_reprise_concession",
                CimetiereReprise::Table,
                &["concession_id"],
            ))
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(CimetiereReprise::Table).to_owned())
            .await
    }
}

/// Ends concessions taken back by the commune and creates the ossuaire's register.
pub(crate) struct CreateOssuaire;

impl MigrationName for CreateOssuaire {
    fn name(&self) -> &str {
        "m20261202_000009_create_ossuaire"
    }
}

#[derive(DeriveIden)]
enum CimetiereOssuaireDepot {
    Table,
    Id,
    OssuaireId,
    InhumationId,
    DefuntNom,
    DateDeces,
    DateInhumation,
    EmplacementId,
    Provenance,
    ConcessionId,
    Motif,
    DateDepot,
    Devenir,
    OppositionCremation,
    ProchesInformesLe,
    MoyenInformation,
    CreeLe,
}

#[async_trait::async_trait]
impl MigrationTrait for CreateOssuaire {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(CimetiereConcession::Table)
                    .add_column(date_null(CimetiereConcession::FinLe))
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(CimetiereConcession::Table)
                    .add_column(texte_null(CimetiereConcession::MotifFin, 20))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(CimetiereOssuaireDepot::Table)
                    .col(uuid_pk(CimetiereOssuaireDepot::Id))
                    .col(collectivite_id())
                    .col(identifiant(CimetiereOssuaireDepot::OssuaireId))
                    .col(identifiant(CimetiereOssuaireDepot::InhumationId))
                    .col(texte(CimetiereOssuaireDepot::DefuntNom, 200))
                    .col(date(CimetiereOssuaireDepot::DateDeces))
                    .col(date(CimetiereOssuaireDepot::DateInhumation))
                    .col(identifiant(CimetiereOssuaireDepot::EmplacementId))
                    .col(texte(CimetiereOssuaireDepot::Provenance, 300))
                    .col(identifiant_null(CimetiereOssuaireDepot::ConcessionId))
                    .col(texte(CimetiereOssuaireDepot::Motif, 20))
                    .col(date(CimetiereOssuaireDepot::DateDepot))
                    .col(texte(CimetiereOssuaireDepot::Devenir, 20))
                    .col(
                        ColumnDef::new(CimetiereOssuaireDepot::OppositionCremation)
                            .boolean()
                            .not_null()
                            .default(false),
                    )
                    .col(date_null(CimetiereOssuaireDepot::ProchesInformesLe))
                    .col(texte_null(CimetiereOssuaireDepot::MoyenInformation, 300))
                    .col(instant(CimetiereOssuaireDepot::CreeLe))
                    .foreign_key(&mut collectivite_fk("cimetiere_ossuaire_depot"))
                    .foreign_key(&mut vers(
                        "cimetiere_ossuaire_depot",
                        "ossuaire_id",
                        CimetiereEmplacement::Table,
                    ))
                    .foreign_key(&mut vers(
                        "cimetiere_ossuaire_depot",
                        "inhumation_id",
                        CimetiereInhumation::Table,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index(
                "ix_cimetiere_ossuaire_depot_nom",
                CimetiereOssuaireDepot::Table,
                &["ossuaire_id", "defunt_nom"],
            ))
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(
                Table::drop()
                    .table(CimetiereOssuaireDepot::Table)
                    .to_owned(),
            )
            .await?;
        for colonne in [CimetiereConcession::FinLe, CimetiereConcession::MotifFin] {
            manager
                .alter_table(
                    Table::alter()
                        .table(CimetiereConcession::Table)
                        .drop_column(colonne)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }
}

/// Creates the works declarations.
pub(crate) struct CreateTravaux;

impl MigrationName for CreateTravaux {
    fn name(&self) -> &str {
        "m20261202_000010_create_travaux"
    }
}

#[derive(DeriveIden)]
enum CimetiereTravaux {
    Table,
    Id,
    EmplacementId,
    DeclarantId,
    Nature,
    Description,
    Entreprise,
    Debut,
    FinPrevue,
    TermineLe,
    CreeLe,
}

#[async_trait::async_trait]
impl MigrationTrait for CreateTravaux {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(CimetiereTravaux::Table)
                    .col(uuid_pk(CimetiereTravaux::Id))
                    .col(collectivite_id())
                    .col(identifiant(CimetiereTravaux::EmplacementId))
                    .col(identifiant(CimetiereTravaux::DeclarantId))
                    .col(texte(CimetiereTravaux::Nature, 30))
                    .col(texte_null(CimetiereTravaux::Description, 500))
                    .col(texte_null(CimetiereTravaux::Entreprise, 200))
                    .col(date(CimetiereTravaux::Debut))
                    .col(date(CimetiereTravaux::FinPrevue))
                    .col(date_null(CimetiereTravaux::TermineLe))
                    .col(instant(CimetiereTravaux::CreeLe))
                    .foreign_key(&mut collectivite_fk("cimetiere_travaux"))
                    .foreign_key(&mut vers(
                        "cimetiere_travaux",
                        "emplacement_id",
                        CimetiereEmplacement::Table,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index(
                "ix_cimetiere_travaux_emplacement",
                CimetiereTravaux::Table,
                &["emplacement_id"],
            ))
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(CimetiereTravaux::Table).to_owned())
            .await
    }
}

/// Creates the deaths the module has heard of, to propose linking a deceased to a usager.
pub(crate) struct CreateDecesConnus;

impl MigrationName for CreateDecesConnus {
    fn name(&self) -> &str {
        "m20261202_000011_create_deces_connus"
    }
}

#[derive(DeriveIden)]
enum CimetiereDecesConnu {
    Table,
    Id,
    UsagerId,
    Nom,
    DateDeces,
    Source,
    RecuLe,
}

#[async_trait::async_trait]
impl MigrationTrait for CreateDecesConnus {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(CimetiereDecesConnu::Table)
                    .col(uuid_pk(CimetiereDecesConnu::Id))
                    .col(collectivite_id())
                    .col(identifiant(CimetiereDecesConnu::UsagerId))
                    .col(texte(CimetiereDecesConnu::Nom, 300))
                    .col(date(CimetiereDecesConnu::DateDeces))
                    .col(texte(CimetiereDecesConnu::Source, 60))
                    .col(instant(CimetiereDecesConnu::RecuLe))
                    .foreign_key(&mut collectivite_fk("cimetiere_deces_connu"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                index(
                    "ux_cimetiere_deces_connu_usager",
                    CimetiereDecesConnu::Table,
                    &["collectivite_id", "usager_id"],
                )
                .unique()
                .to_owned(),
            )
            .await?;
        manager
            .create_index(index(
                "ix_cimetiere_deces_connu_date",
                CimetiereDecesConnu::Table,
                &["collectivite_id", "date_deces"],
            ))
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(CimetiereDecesConnu::Table).to_owned())
            .await
    }
}

/// Records when the second procès-verbal and the arrêté of a reprise were notified, and which
/// deceased were « Morts pour la France ».
pub(crate) struct AddNotifications;

impl MigrationName for AddNotifications {
    fn name(&self) -> &str {
        "m20261202_000012_add_notifications"
    }
}

#[derive(DeriveIden)]
enum Notifications {
    #[sea_orm(iden = "cimetiere_reprise")]
    Reprise,
    SecondNotificationLe,
    ArreteNotificationLe,
    #[sea_orm(iden = "cimetiere_inhumation")]
    Inhumation,
    MortPourLaFrance,
}

#[async_trait::async_trait]
impl MigrationTrait for AddNotifications {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for colonne in [
            Notifications::SecondNotificationLe,
            Notifications::ArreteNotificationLe,
        ] {
            manager
                .alter_table(
                    Table::alter()
                        .table(Notifications::Reprise)
                        .add_column(ColumnDef::new(colonne).date().null())
                        .to_owned(),
                )
                .await?;
        }
        manager
            .alter_table(
                Table::alter()
                    .table(Notifications::Inhumation)
                    .add_column(
                        ColumnDef::new(Notifications::MortPourLaFrance)
                            .boolean()
                            .not_null()
                            .default(false),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for (table, colonne) in [
            (Notifications::Reprise, Notifications::SecondNotificationLe),
            (Notifications::Reprise, Notifications::ArreteNotificationLe),
            (Notifications::Inhumation, Notifications::MortPourLaFrance),
        ] {
            manager
                .alter_table(Table::alter().table(table).drop_column(colonne).to_owned())
                .await?;
        }
        Ok(())
    }
}

/// Kinship as data: the typed kinship of the people an act names, of an inhumation in a family
/// concession and of a requester of exhumation, with the free text kept as an explanation; the
/// heirs' consent recorded with an inhumation; the proof an heir gave; the requester of a
/// conversion; the objections of relatives to an exhumation. Free texts written before are read
/// into a kinship where a word agents use names one, and kept as the explanation.
pub(crate) struct RecordKinship;

impl MigrationName for RecordKinship {
    fn name(&self) -> &str {
        "m20261204_000013_record_kinship"
    }
}

#[derive(DeriveIden, Clone, Copy)]
enum Parentes {
    #[sea_orm(iden = "cimetiere_concession_personne")]
    Personne,
    #[sea_orm(iden = "cimetiere_exhumation")]
    Exhumation,
    #[sea_orm(iden = "cimetiere_inhumation")]
    Inhumation,
    #[sea_orm(iden = "cimetiere_conversion")]
    Conversion,
    Id,
    Lien,
    LienPrecision,
    Justificatif,
    ConsentementAyantsDroit,
    DemandeurId,
    Droit,
}

#[derive(DeriveIden)]
enum CimetiereOpposition {
    Table,
    Id,
    InhumationId,
    OpposantId,
    Lien,
    LienPrecision,
    Motif,
    RecueLe,
    LeveeLe,
}

/// Reads the free texts of `table.lien` into kinship codes, keeping each text in
/// `lien_precision`; a text no word names stays as it was.
async fn lire_les_liens(manager: &SchemaManager<'_>, table: Parentes) -> Result<(), DbErr> {
    use sea_orm::ConnectionTrait;
    let lignes = manager
        .get_connection()
        .query_all(
            &Query::select()
                .columns([Parentes::Id, Parentes::Lien])
                .from(table)
                .and_where(Expr::col(Parentes::Lien).is_not_null())
                .to_owned(),
        )
        .await?;
    for ligne in lignes {
        let id: sea_orm::prelude::Uuid = ligne.try_get("", "id")?;
        let texte: String = ligne.try_get("", "lien")?;
        let code = socle::usager::Parente::depuis_mot(&texte).map(|p| p.code());
        manager
            .exec_stmt(
                Query::update()
                    .table(table)
                    .value(Parentes::LienPrecision, texte.clone())
                    .value(Parentes::Lien, code.unwrap_or(&texte))
                    .and_where(Expr::col(Parentes::Id).eq(id))
                    .to_owned(),
            )
            .await?;
    }
    Ok(())
}

/// Reads, in the right recorded with each inhumation in a family concession (« concession
/// familiale (acte F-1) : épouse du titulaire[, hors de sa famille, avec le consentement
/// unanime des ayants droit] »), the kinship and the heirs' consent.
async fn lire_les_droits(manager: &SchemaManager<'_>) -> Result<(), DbErr> {
    use sea_orm::ConnectionTrait;
    let lignes = manager
        .get_connection()
        .query_all(
            &Query::select()
                .columns([Parentes::Id, Parentes::Droit])
                .from(Parentes::Inhumation)
                .and_where(Expr::col(Parentes::Droit).like("concession familiale%"))
                .to_owned(),
        )
        .await?;
    for ligne in lignes {
        let id: sea_orm::prelude::Uuid = ligne.try_get("", "id")?;
        let droit: String = ligne.try_get("", "droit")?;
        let consentement = droit.contains("consentement unanime des ayants droit");
        let mot = droit
            .split_once(") : ")
            .and_then(|(_, reste)| reste.split_once(" du titulaire"))
            .map(|(mot, _)| mot.trim().to_owned());
        let parente = mot.as_deref().and_then(socle::usager::Parente::depuis_mot);
        manager
            .exec_stmt(
                Query::update()
                    .table(Parentes::Inhumation)
                    .value(Parentes::ConsentementAyantsDroit, consentement)
                    .value(Parentes::Lien, parente.map(|p| p.code()))
                    .value(
                        Parentes::LienPrecision,
                        mot.filter(|_| parente.is_some())
                            .map(|m| m.chars().take(200).collect::<String>()),
                    )
                    .and_where(Expr::col(Parentes::Id).eq(id))
                    .to_owned(),
            )
            .await?;
    }
    Ok(())
}

#[async_trait::async_trait]
impl MigrationTrait for RecordKinship {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let colonnes = [
            (Parentes::Personne, texte_null(Parentes::LienPrecision, 200)),
            (Parentes::Personne, texte_null(Parentes::Justificatif, 300)),
            (
                Parentes::Exhumation,
                texte_null(Parentes::LienPrecision, 200),
            ),
            (Parentes::Inhumation, texte_null(Parentes::Lien, 30)),
            (
                Parentes::Inhumation,
                texte_null(Parentes::LienPrecision, 200),
            ),
            (
                Parentes::Inhumation,
                ColumnDef::new(Parentes::ConsentementAyantsDroit)
                    .boolean()
                    .not_null()
                    .default(false)
                    .to_owned(),
            ),
            (
                Parentes::Conversion,
                identifiant_null(Parentes::DemandeurId),
            ),
        ];
        for (table, mut colonne) in colonnes {
            manager
                .alter_table(
                    Table::alter()
                        .table(table)
                        .add_column(&mut colonne)
                        .to_owned(),
                )
                .await?;
        }
        lire_les_liens(manager, Parentes::Personne).await?;
        lire_les_liens(manager, Parentes::Exhumation).await?;
        lire_les_droits(manager).await?;
        manager
            .create_table(
                Table::create()
                    .table(CimetiereOpposition::Table)
                    .col(uuid_pk(CimetiereOpposition::Id))
                    .col(collectivite_id())
                    .col(identifiant(CimetiereOpposition::InhumationId))
                    .col(identifiant(CimetiereOpposition::OpposantId))
                    .col(texte(CimetiereOpposition::Lien, 30))
                    .col(texte_null(CimetiereOpposition::LienPrecision, 200))
                    .col(texte(CimetiereOpposition::Motif, 500))
                    .col(date(CimetiereOpposition::RecueLe))
                    .col(date_null(CimetiereOpposition::LeveeLe))
                    .foreign_key(&mut collectivite_fk("cimetiere_opposition"))
                    .foreign_key(&mut vers(
                        "cimetiere_opposition",
                        "inhumation_id",
                        Alias::new("cimetiere_inhumation"),
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index(
                "ix_cimetiere_opposition_inhumation",
                CimetiereOpposition::Table,
                &["inhumation_id"],
            ))
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(CimetiereOpposition::Table).to_owned())
            .await?;
        // The free texts come back where they were, when they fit the old column.
        for table in [Parentes::Personne, Parentes::Exhumation] {
            manager
                .exec_stmt(
                    Query::update()
                        .table(table)
                        .value(Parentes::Lien, Expr::col(Parentes::LienPrecision))
                        .and_where(Expr::col(Parentes::LienPrecision).is_not_null())
                        .and_where(Expr::cust("LENGTH(lien_precision) <= 100"))
                        .to_owned(),
                )
                .await?;
        }
        for (table, colonne) in [
            (Parentes::Personne, Parentes::LienPrecision),
            (Parentes::Personne, Parentes::Justificatif),
            (Parentes::Exhumation, Parentes::LienPrecision),
            (Parentes::Inhumation, Parentes::Lien),
            (Parentes::Inhumation, Parentes::LienPrecision),
            (Parentes::Inhumation, Parentes::ConsentementAyantsDroit),
            (Parentes::Conversion, Parentes::DemandeurId),
        ] {
            manager
                .alter_table(Table::alter().table(table).drop_column(colonne).to_owned())
                .await?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use sea_orm::{ConnectionTrait, prelude::Uuid};
    use sea_orm_migration::prelude::*;

    use super::{Parentes, lire_les_droits, lire_les_liens};

    /// Reads the kinship and the consent out of the rights recorded with three inhumations.
    async fn droits_lus(
        base: &socle::testing::TestDb,
    ) -> Vec<(Option<String>, Option<String>, bool)> {
        let manager = SchemaManager::new(&base.db);
        manager
            .create_table(
                Table::create()
                    .table(Parentes::Inhumation)
                    .col(ColumnDef::new(Parentes::Id).uuid().primary_key())
                    .col(ColumnDef::new(Parentes::Droit).string_len(300).not_null())
                    .col(ColumnDef::new(Parentes::Lien).string_len(30).null())
                    .col(
                        ColumnDef::new(Parentes::LienPrecision)
                            .string_len(200)
                            .null(),
                    )
                    .col(
                        ColumnDef::new(Parentes::ConsentementAyantsDroit)
                            .boolean()
                            .not_null()
                            .default(false),
                    )
                    .to_owned(),
            )
            .await
            .expect("table");
        let droits = [
            "concession familiale (acte F-1) : épouse du titulaire",
            "concession familiale (acte F-1) : frère du titulaire, hors de sa famille, avec le consentement unanime des ayants droit",
            "décédé dans la commune (CGCT L2223-3, 1°)",
        ];
        let mut ids = Vec::new();
        for droit in droits {
            let id = Uuid::now_v7();
            manager
                .exec_stmt(
                    Query::insert()
                        .into_table(Parentes::Inhumation)
                        .columns([Parentes::Id, Parentes::Droit])
                        .values_panic([id.into(), droit.into()])
                        .to_owned(),
                )
                .await
                .expect("row");
            ids.push(id);
        }
        lire_les_droits(&manager).await.expect("read");
        let mut lus = Vec::new();
        for id in ids {
            let ligne = base
                .db
                .query_one(
                    &Query::select()
                        .columns([
                            Parentes::Lien,
                            Parentes::LienPrecision,
                            Parentes::ConsentementAyantsDroit,
                        ])
                        .from(Parentes::Inhumation)
                        .and_where(Expr::col(Parentes::Id).eq(id))
                        .to_owned(),
                )
                .await
                .expect("select")
                .expect("row");
            lus.push((
                ligne.try_get("", "lien").expect("lien"),
                ligne.try_get("", "lien_precision").expect("precision"),
                ligne
                    .try_get("", "consentement_ayants_droit")
                    .expect("consent"),
            ));
        }
        lus
    }

    /// The free texts written before kinship was typed are read into codes where a word names
    /// one, and each is kept as the explanation; so are the kinship and consent of the rights
    /// recorded with inhumations.
    #[tokio::test]
    async fn free_texts_of_kinship_are_read_into_codes_and_kept() {
        let base = socle::testing::TestDb::new().await;
        let manager = SchemaManager::new(&base.db);
        manager
            .create_table(
                Table::create()
                    .table(Parentes::Personne)
                    .col(ColumnDef::new(Parentes::Id).uuid().primary_key())
                    .col(ColumnDef::new(Parentes::Lien).string_len(100).null())
                    .col(
                        ColumnDef::new(Parentes::LienPrecision)
                            .string_len(200)
                            .null(),
                    )
                    .to_owned(),
            )
            .await
            .expect("table");
        let lignes = [
            (Uuid::now_v7(), Some("Petite-fille")),
            (Uuid::now_v7(), Some("gendre")),
            (Uuid::now_v7(), Some("cousine par alliance")),
            (Uuid::now_v7(), None),
        ];
        for (id, lien) in lignes {
            manager
                .exec_stmt(
                    Query::insert()
                        .into_table(Parentes::Personne)
                        .columns([Parentes::Id, Parentes::Lien])
                        .values_panic([id.into(), lien.into()])
                        .to_owned(),
                )
                .await
                .expect("row");
        }
        lire_les_liens(&manager, Parentes::Personne)
            .await
            .expect("read");
        let mut lus = Vec::new();
        for (id, _) in lignes {
            let ligne = base
                .db
                .query_one(
                    &Query::select()
                        .columns([Parentes::Lien, Parentes::LienPrecision])
                        .from(Parentes::Personne)
                        .and_where(Expr::col(Parentes::Id).eq(id))
                        .to_owned(),
                )
                .await
                .expect("select")
                .expect("row");
            let lien: Option<String> = ligne.try_get("", "lien").expect("lien");
            let precision: Option<String> = ligne.try_get("", "lien_precision").expect("precision");
            lus.push((lien, precision));
        }
        let texte = |t: &str| Some(t.to_owned());
        let attendu_des_droits = droits_lus(&base).await;
        assert_eq!(
            attendu_des_droits,
            [
                (texte("conjoint"), texte("épouse"), false),
                (texte("frere_soeur"), texte("frère"), true),
                (None, None, false),
            ]
        );
        assert_eq!(
            lus,
            [
                (texte("petit_enfant"), texte("Petite-fille")),
                (texte("allie"), texte("gendre")),
                (texte("cousine par alliance"), texte("cousine par alliance")),
                (None, None),
            ]
        );
    }
}
