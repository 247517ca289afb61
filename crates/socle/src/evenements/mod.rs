//! Domain events: an outbox written in the transaction of each change, delivered at least once
//! to partners' webhooks, signed, retried, in order per subject.
//!
//! - [`publier`] writes an event in the caller's transaction, with one delivery per active
//!   subscription whose types match: the event exists if and only if the change is committed,
//!   and no delivery can be lost between the two.
//! - The [`livreur`] sends pending deliveries, signed per Standard Webhooks ([`signature`]),
//!   retries with exponential backoff while the receiver fails (one hour apart at most, for
//!   three days by default), and keeps each subject's deliveries in order: a usager's
//!   `usager.modifie` never overtakes its `usager.cree`. Several servers can share the work:
//!   a delivery is reserved before it is sent.
//! - Subscriptions, the delivery log and replays are managed through `/api/v1/evenements`.
//! - [`distribuer`] gives each event to the modules that handle it
//!   ([`crate::Module::traiter_evenement`]), in order, at least once, the handler's changes
//!   committed with the module's position in the outbox.

mod api;
pub mod distribution;
pub mod entity;
pub mod livreur;
mod migration;
pub mod signature;

use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, Set,
};
use serde::Serialize;
use utoipa_axum::router::OpenApiRouter;
use uuid::Uuid;

use crate::http::AppState;
use crate::module::{Migrations, Module, Permission, PurgeContext};
use entity::{abonnement, evenement, livraison};

pub use distribution::{Distribution, distribuer};
pub use livreur::{Livreur, LivreurConfig};

crate::migrator!(
    Migrator,
    "evenements",
    [migration::CreateEvenements, migration::CreateCurseurs]
);

/// Status of a delivery still to be made.
pub const EN_ATTENTE: &str = "en_attente";
/// Status of a delivery the receiver accepted (2xx).
pub const LIVREE: &str = "livree";
/// Status of a delivery given up after the retry period; a replay queues it again.
pub const ABANDONNEE: &str = "abandonnee";

/// An event to publish.
#[derive(Debug, Clone)]
pub struct Publication<'a> {
    /// The collectivité it belongs to.
    pub collectivite_id: Uuid,
    /// `<module>.<event>`.
    pub type_: &'a str,
    /// What it is about; deliveries of one subject keep their order.
    pub sujet: String,
    /// The data partners receive (the `data` member of the message).
    pub donnees: serde_json::Value,
}

/// Whether an event name matches a subscription's pattern: the exact name, a prefix ending in
/// `*` (`usager.*`), or `*` alone.
#[must_use]
pub fn correspond(motif: &str, type_: &str) -> bool {
    match motif.strip_suffix('*') {
        Some(prefix) => type_.starts_with(prefix),
        None => motif == type_,
    }
}

/// Publishes an event in the caller's transaction and queues its deliveries.
///
/// The event's position in the outbox is taken under the lock that orders commits (the
/// journal's head, held until the transaction ends): positions follow the order of the
/// commits, so a reader that saw position 11 never misses a position 10 committed later.
///
/// # Errors
/// A database failure (the caller's transaction then rolls back with its change).
pub async fn publier<C: ConnectionTrait>(
    txn: &C,
    publication: Publication<'_>,
    now: DateTime<Utc>,
) -> Result<evenement::Model, DbErr> {
    crate::journal::ordonner(txn).await?;
    let event = evenement::ActiveModel {
        id: Set(Uuid::now_v7()),
        collectivite_id: Set(publication.collectivite_id),
        type_: Set(publication.type_.to_owned()),
        sujet: Set(publication.sujet.clone()),
        donnees: Set(publication.donnees),
        cree_le: Set(now),
        ..Default::default()
    }
    .insert(txn)
    .await?;
    let subscriptions = abonnement::Entity::find()
        .filter(abonnement::Column::CollectiviteId.eq(publication.collectivite_id))
        .all(txn)
        .await?;
    let deliveries: Vec<_> = subscriptions
        .iter()
        .filter(|s| types_of(s).iter().any(|m| correspond(m, &event.type_)))
        .map(|s| nouvelle_livraison(s.id, &event, now))
        .collect();
    if !deliveries.is_empty() {
        livraison::Entity::insert_many(deliveries)
            .exec_without_returning(txn)
            .await?;
    }
    Ok(event)
}

/// The patterns of a subscription.
pub(crate) fn types_of(subscription: &abonnement::Model) -> Vec<String> {
    serde_json::from_value(subscription.types.clone()).unwrap_or_default()
}

pub(crate) fn nouvelle_livraison(
    abonnement_id: Uuid,
    event: &evenement::Model,
    now: DateTime<Utc>,
) -> livraison::ActiveModel {
    livraison::ActiveModel {
        id: Set(Uuid::now_v7()),
        abonnement_id: Set(abonnement_id),
        evenement_seq: Set(event.seq),
        sujet: Set(event.sujet.clone()),
        statut: Set(EN_ATTENTE.to_owned()),
        tentatives: Set(0),
        prochaine_tentative: Set(now),
        reservee_jusqu_a: Set(None),
        dernier_statut_http: Set(None),
        derniere_erreur: Set(None),
        livree_le: Set(None),
        cree_le: Set(now),
    }
}

/// The body partners receive: `{"type", "timestamp", "data"}` as Standard Webhooks suggests,
/// plus the collectivité's id and the event's id.
#[derive(Debug, Clone, Serialize)]
pub struct Message<'a> {
    /// The event's id (also the `webhook-id` header).
    pub id: Uuid,
    /// `<module>.<event>`.
    #[serde(rename = "type")]
    pub type_: &'a str,
    /// When the event was published (RFC 3339).
    pub timestamp: DateTime<Utc>,
    /// The collectivité.
    pub collectivite_id: Uuid,
    /// The event's data.
    pub data: &'a serde_json::Value,
}

impl<'a> From<&'a evenement::Model> for Message<'a> {
    fn from(event: &'a evenement::Model) -> Self {
        Self {
            id: event.id,
            type_: &event.type_,
            timestamp: event.cree_le,
            collectivite_id: event.collectivite_id,
            data: &event.donnees,
        }
    }
}

const PERMISSIONS: &[Permission] = &[
    Permission::new(
        "evenements.abonnement.lire",
        "Consulter les abonnements aux événements et le journal des livraisons",
    ),
    Permission::new(
        "evenements.abonnement.gerer",
        "Créer, modifier, supprimer des abonnements et rejouer des livraisons",
    ),
];

/// The core module that owns the outbox and webhooks. Always present.
#[derive(Debug, Clone, Copy)]
pub struct Evenements;

#[async_trait::async_trait]
impl Module for Evenements {
    fn id(&self) -> &'static str {
        "evenements"
    }

    fn name(&self) -> &'static str {
        "Événements"
    }

    fn version(&self) -> &'static str {
        env!("CARGO_PKG_VERSION")
    }

    fn description(&self) -> &'static str {
        "Événements métier et webhooks signés vers les partenaires, avec reprises et rejeu."
    }

    fn dependencies(&self) -> &'static [&'static str] {
        &["collectivites"]
    }

    fn migrations(&self) -> Option<Migrations> {
        Some(Migrations::of::<Migrator>())
    }

    fn routes(&self) -> OpenApiRouter<AppState> {
        api::routes()
    }

    fn permissions(&self) -> &'static [Permission] {
        PERMISSIONS
    }

    /// Deletes the events older than [`CONSERVATION_JOURS`] whose deliveries are all settled,
    /// with their delivery log.
    async fn purger_donnees(&self, ctx: &PurgeContext<'_>) -> Result<u64, DbErr> {
        purger(ctx.db, ctx.today).await
    }
}

/// How long events and their delivery log are kept, in days (a replay reaches this far back).
pub const CONSERVATION_JOURS: i64 = 90;

/// Deletes the events published more than [`CONSERVATION_JOURS`] before `today` that have no
/// pending delivery, with their deliveries and attempts; returns how many events.
///
/// # Errors
/// A database failure.
pub async fn purger<C: ConnectionTrait>(db: &C, today: chrono::NaiveDate) -> Result<u64, DbErr> {
    use sea_orm::{QuerySelect, QueryTrait};

    let cutoff = (today - chrono::Duration::days(CONSERVATION_JOURS))
        .and_time(chrono::NaiveTime::MIN)
        .and_utc();
    let pending = livraison::Entity::find()
        .select_only()
        .column(livraison::Column::EvenementSeq)
        .filter(livraison::Column::Statut.eq(EN_ATTENTE))
        .into_query();
    let old: Vec<i64> = evenement::Entity::find()
        .select_only()
        .column(evenement::Column::Seq)
        .filter(evenement::Column::CreeLe.lt(cutoff))
        .filter(evenement::Column::Seq.not_in_subquery(pending))
        .into_tuple()
        .all(db)
        .await?;
    let mut deleted = 0;
    for chunk in old.chunks(500) {
        let deliveries = livraison::Entity::find()
            .select_only()
            .column(livraison::Column::Id)
            .filter(livraison::Column::EvenementSeq.is_in(chunk.to_vec()))
            .into_query();
        entity::tentative::Entity::delete_many()
            .filter(entity::tentative::Column::LivraisonId.in_subquery(deliveries))
            .exec(db)
            .await?;
        livraison::Entity::delete_many()
            .filter(livraison::Column::EvenementSeq.is_in(chunk.to_vec()))
            .exec(db)
            .await?;
        deleted += evenement::Entity::delete_many()
            .filter(evenement::Column::Seq.is_in(chunk.to_vec()))
            .exec(db)
            .await?
            .rows_affected;
    }
    Ok(deleted)
}

#[cfg(test)]
mod tests {
    use super::correspond;

    #[test]
    fn patterns_match_names_and_prefixes() {
        assert!(correspond("usager.cree", "usager.cree"));
        assert!(!correspond("usager.cree", "usager.modifie"));
        assert!(correspond("usager.*", "usager.deces"));
        assert!(!correspond("usager.*", "etat_civil.deces_enregistre"));
        assert!(correspond("*", "cimetiere.concession_vendue"));
    }
}
