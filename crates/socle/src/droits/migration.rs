//! Migrations of the `droits` module.

use sea_orm_migration::prelude::*;

use crate::collectivite::schema::{collectivite_fk, collectivite_id};

/// Creates agents, roles, attributions, sessions and API tokens.
pub(super) struct CreateDroits;

impl MigrationName for CreateDroits {
    fn name(&self) -> &str {
        "m20261124_000001_create_droits"
    }
}

#[derive(DeriveIden)]
enum DroitsAgent {
    Table,
    Id,
    Identifiant,
    Nom,
    MotDePasse,
    Administrateur,
    Actif,
    CreatedAt,
}

#[derive(DeriveIden)]
enum DroitsRole {
    Table,
    Id,
    CollectiviteId,
    Nom,
    Permissions,
    CreatedAt,
}

#[derive(DeriveIden)]
enum DroitsAttribution {
    Table,
    AgentId,
    RoleId,
    CreatedAt,
}

#[derive(DeriveIden)]
enum DroitsSession {
    Table,
    Id,
    AgentId,
    Empreinte,
    CreatedAt,
    ExpireLe,
    RevoqueLe,
}

#[derive(DeriveIden)]
enum DroitsJeton {
    Table,
    Id,
    Nom,
    Empreinte,
    Permissions,
    CreePar,
    CreatedAt,
    ExpireLe,
    RevoqueLe,
}

fn created_at<T: IntoIden>(name: T) -> ColumnDef {
    ColumnDef::new(name)
        .timestamp_with_time_zone()
        .not_null()
        .to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for CreateDroits {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(DroitsAgent::Table)
                    .col(
                        ColumnDef::new(DroitsAgent::Id)
                            .uuid()
                            .not_null()
                            .primary_key(),
                    )
                    .col(
                        ColumnDef::new(DroitsAgent::Identifiant)
                            .string_len(100)
                            .not_null()
                            .unique_key(),
                    )
                    .col(ColumnDef::new(DroitsAgent::Nom).string_len(200).not_null())
                    .col(
                        ColumnDef::new(DroitsAgent::MotDePasse)
                            .string_len(200)
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(DroitsAgent::Administrateur)
                            .boolean()
                            .not_null(),
                    )
                    .col(ColumnDef::new(DroitsAgent::Actif).boolean().not_null())
                    .col(created_at(DroitsAgent::CreatedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(DroitsRole::Table)
                    .col(
                        ColumnDef::new(DroitsRole::Id)
                            .uuid()
                            .not_null()
                            .primary_key(),
                    )
                    .col(collectivite_id())
                    .col(ColumnDef::new(DroitsRole::Nom).string_len(200).not_null())
                    .col(ColumnDef::new(DroitsRole::Permissions).json().not_null())
                    .col(created_at(DroitsRole::CreatedAt))
                    .foreign_key(&mut collectivite_fk("droits_role"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ux_droits_role_nom")
                    .table(DroitsRole::Table)
                    .col(DroitsRole::CollectiviteId)
                    .col(DroitsRole::Nom)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(DroitsAttribution::Table)
                    .col(ColumnDef::new(DroitsAttribution::AgentId).uuid().not_null())
                    .col(ColumnDef::new(DroitsAttribution::RoleId).uuid().not_null())
                    .col(created_at(DroitsAttribution::CreatedAt))
                    .primary_key(
                        Index::create()
                            .col(DroitsAttribution::AgentId)
                            .col(DroitsAttribution::RoleId),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_droits_attribution_agent")
                            .from(DroitsAttribution::Table, DroitsAttribution::AgentId)
                            .to(DroitsAgent::Table, DroitsAgent::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_droits_attribution_role")
                            .from(DroitsAttribution::Table, DroitsAttribution::RoleId)
                            .to(DroitsRole::Table, DroitsRole::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(DroitsSession::Table)
                    .col(
                        ColumnDef::new(DroitsSession::Id)
                            .uuid()
                            .not_null()
                            .primary_key(),
                    )
                    .col(ColumnDef::new(DroitsSession::AgentId).uuid().not_null())
                    .col(
                        ColumnDef::new(DroitsSession::Empreinte)
                            .string_len(64)
                            .not_null()
                            .unique_key(),
                    )
                    .col(created_at(DroitsSession::CreatedAt))
                    .col(
                        ColumnDef::new(DroitsSession::ExpireLe)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(DroitsSession::RevoqueLe)
                            .timestamp_with_time_zone()
                            .null(),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_droits_session_agent")
                            .from(DroitsSession::Table, DroitsSession::AgentId)
                            .to(DroitsAgent::Table, DroitsAgent::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(DroitsJeton::Table)
                    .col(
                        ColumnDef::new(DroitsJeton::Id)
                            .uuid()
                            .not_null()
                            .primary_key(),
                    )
                    .col(collectivite_id())
                    .col(ColumnDef::new(DroitsJeton::Nom).string_len(200).not_null())
                    .col(
                        ColumnDef::new(DroitsJeton::Empreinte)
                            .string_len(64)
                            .not_null()
                            .unique_key(),
                    )
                    .col(ColumnDef::new(DroitsJeton::Permissions).json().not_null())
                    .col(ColumnDef::new(DroitsJeton::CreePar).uuid().not_null())
                    .col(created_at(DroitsJeton::CreatedAt))
                    .col(
                        ColumnDef::new(DroitsJeton::ExpireLe)
                            .timestamp_with_time_zone()
                            .null(),
                    )
                    .col(
                        ColumnDef::new(DroitsJeton::RevoqueLe)
                            .timestamp_with_time_zone()
                            .null(),
                    )
                    .foreign_key(&mut collectivite_fk("droits_jeton"))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_droits_jeton_agent")
                            .from(DroitsJeton::Table, DroitsJeton::CreePar)
                            .to(DroitsAgent::Table, DroitsAgent::Id)
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            DroitsJeton::Table.into_iden(),
            DroitsSession::Table.into_iden(),
            DroitsAttribution::Table.into_iden(),
            DroitsRole::Table.into_iden(),
            DroitsAgent::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}

/// Adds the OpenID Connect subject of agents.
pub(super) struct AddAgentOidcSub;

impl MigrationName for AddAgentOidcSub {
    fn name(&self) -> &str {
        "m20261124_000002_add_agent_oidc_sub"
    }
}

#[derive(DeriveIden)]
enum DroitsAgentOidc {
    #[sea_orm(iden = "droits_agent")]
    Table,
    OidcSub,
}

#[async_trait::async_trait]
impl MigrationTrait for AddAgentOidcSub {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(DroitsAgentOidc::Table)
                    .add_column(
                        ColumnDef::new(DroitsAgentOidc::OidcSub)
                            .string_len(255)
                            .null(),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ux_droits_agent_oidc_sub")
                    .table(DroitsAgentOidc::Table)
                    .col(DroitsAgentOidc::OidcSub)
                    .unique()
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_index(
                Index::drop()
                    .name("ux_droits_agent_oidc_sub")
                    .table(DroitsAgentOidc::Table)
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(DroitsAgentOidc::Table)
                    .drop_column(DroitsAgentOidc::OidcSub)
                    .to_owned(),
            )
            .await
    }
}
