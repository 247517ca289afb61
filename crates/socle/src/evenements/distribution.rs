//! Delivery of events to the modules that handle them ([`crate::Module::events_handled`]).
//!
//! Each module has a position in the outbox (`evenement_curseur`). A pass takes the write
//! transaction, reads the events after that position in publication order, gives each one the
//! module handles to [`crate::Module::traiter_evenement`] inside a savepoint, and moves the
//! position past it in the same transaction: a handler's changes and the acknowledgement are
//! committed together. A handler that fails is rolled back to its savepoint; the position stays
//! before its event, which comes again at the next pass, and the module's later events wait.

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseConnection, DbErr, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, Set, TransactionTrait,
};

use super::correspond;
use super::entity::{curseur, evenement};
use crate::module::{EvenementRecu, Module, ModuleRegistry};

/// Events read per module and pass.
const LOT: u64 = 200;

/// What a pass did for one module.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Distribution {
    /// The module.
    pub module: &'static str,
    /// Events it handled.
    pub traites: u64,
    /// The event whose handler failed (presented again at the next pass), and why.
    pub echec: Option<(i64, String)>,
}

/// One pass for every module that handles events.
///
/// # Errors
/// A database failure outside a handler.
pub async fn distribuer(
    db: &DatabaseConnection,
    registry: &ModuleRegistry,
    today: NaiveDate,
    now: DateTime<Utc>,
) -> Result<Vec<Distribution>, DbErr> {
    let mut report = Vec::new();
    for module in registry.iter().filter(|m| !m.events_handled().is_empty()) {
        report.push(pour_module(db, module, today, now).await?);
    }
    Ok(report)
}

async fn pour_module(
    db: &DatabaseConnection,
    module: &'static dyn Module,
    today: NaiveDate,
    now: DateTime<Utc>,
) -> Result<Distribution, DbErr> {
    let txn = crate::db::ecriture(db).await?;
    // Take the position's row first: one server at a time handles a module's events.
    curseur::Entity::update_many()
        .col_expr(curseur::Column::Seq, Expr::col(curseur::Column::Seq))
        .filter(curseur::Column::Module.eq(module.id()))
        .exec(&*txn)
        .await?;
    let position = match curseur::Entity::find_by_id(module.id()).one(&*txn).await? {
        Some(row) => row.seq,
        None => {
            // A module seen for the first time catches up with the events still kept.
            curseur::ActiveModel {
                module: Set(module.id().to_owned()),
                seq: Set(0),
            }
            .insert(&*txn)
            .await?;
            0
        }
    };
    let events = evenement::Entity::find()
        .filter(evenement::Column::Seq.gt(position))
        .order_by_asc(evenement::Column::Seq)
        .limit(LOT)
        .all(&*txn)
        .await?;
    let mut done = Distribution {
        module: module.id(),
        traites: 0,
        echec: None,
    };
    let mut reached = position;
    for event in &events {
        if module
            .events_handled()
            .iter()
            .any(|pattern| correspond(pattern, &event.type_))
        {
            #[allow(
                clippy::disallowed_methods,
                reason = "a savepoint inside the distribution's write transaction: a failing handler undoes only its own changes"
            )]
            let savepoint = txn.begin().await?;
            let ctx = EvenementRecu {
                db: &savepoint,
                collectivite_id: event.collectivite_id,
                type_: &event.type_,
                sujet: &event.sujet,
                donnees: &event.donnees,
                publie_le: event.cree_le,
                today,
                now,
            };
            match module.traiter_evenement(&ctx).await {
                Ok(()) => {
                    savepoint.commit().await?;
                    done.traites += 1;
                }
                Err(err) => {
                    savepoint.rollback().await?;
                    tracing::warn!(module = module.id(), seq = event.seq, %err, "event handler failed; retried at the next pass");
                    done.echec = Some((event.seq, err.to_string()));
                    break;
                }
            }
        }
        reached = event.seq;
    }
    if reached != position {
        curseur::Entity::update_many()
            .col_expr(curseur::Column::Seq, Expr::value(reached))
            .filter(curseur::Column::Module.eq(module.id()))
            .exec(&*txn)
            .await?;
    }
    txn.commit().await?;
    Ok(done)
}
