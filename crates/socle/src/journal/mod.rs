//! Journal: who read or changed which protected record, when, and why.
//!
//! An append-only, hash-chained audit journal kept in its own table (`journal_entree`). Each
//! entry records the actor (agent, API token or the system), the collectivité, the action, the
//! record, an optional reason (`X-Motif` header, for sensitive reads) and the instant; its hash
//! covers the previous entry's hash and all of its own fields ([`chain::hash_entry`]). Changes
//! are journaled in the same transaction as the change itself.
//!
//! [`verifier`] (`socle journal verifier`) walks the chain and reports each edited, deleted,
//! inserted or reordered entry by position; [`purger`] applies the retention period (6 months
//! to 3 years, CNIL 2021), keeping the last purged hash as the anchor of what remains.
//!
//! What the chain proves: nobody changed the journal through the application, and any change
//! made directly in the database shows. What it cannot prove on its own: that the whole table
//! and its head were not rewritten together — keep the head hash that `verifier` prints
//! somewhere else (a daily e-mail, an archive) to anchor it.

mod api;
pub mod chain;
pub mod entity;
mod migration;

use std::sync::{Arc, OnceLock};

use chrono::{DateTime, SubsecRound, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, DatabaseTransaction, DbErr,
    EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, Set,
};
use serde::Serialize;
use tokio::sync::{mpsc, oneshot};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::droits::{Auth, Principal};
use crate::http::AppState;
use crate::module::{Migrations, Module, Permission};
use crate::rgpd::{BaseLegale, Effacement, Traitement};
use crate::unite::UniteDeTravail;
use chain::{Anomalie, Verifier};
use entity::{entree, tete};
use utoipa_axum::router::OpenApiRouter;

crate::migrator!(Migrator, "journal", [migration::CreateJournal]);

/// Shortest retention the CNIL recommends for access logs, in months.
pub const MIN_RETENTION_MONTHS: u32 = 6;
/// Longest retention without a specific justification, in months.
pub const MAX_RETENTION_MONTHS: u32 = 36;
/// Retention when none is configured, in months.
pub const DEFAULT_RETENTION_MONTHS: u32 = 12;

/// Who acted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Acteur {
    /// An agent.
    Agent(Uuid),
    /// An API token.
    Jeton(Uuid),
    /// The server itself (imports, retention, command line).
    Systeme,
}

impl Acteur {
    fn parts(self) -> (&'static str, Option<Uuid>) {
        match self {
            Self::Agent(id) => ("agent", Some(id)),
            Self::Jeton(id) => ("jeton", Some(id)),
            Self::Systeme => ("systeme", None),
        }
    }
}

impl From<&Auth> for Acteur {
    fn from(auth: &Auth) -> Self {
        match &auth.principal {
            Principal::Agent { id, .. } => Self::Agent(*id),
            Principal::Jeton { id, .. } => Self::Jeton(*id),
        }
    }
}

/// What to journal.
#[derive(Debug, Clone)]
pub struct Evenement {
    /// Who acted.
    pub acteur: Acteur,
    /// The collectivité concerned.
    pub collectivite_id: Option<Uuid>,
    /// `lecture`, `liste`, `creation`, `modification`, `suppression`, `export`, `connexion`…
    pub action: &'static str,
    /// `<module>.<resource>`.
    pub objet_type: &'static str,
    /// The record's id, `*` for a list.
    pub objet_id: String,
    /// Why (sensitive reads).
    pub motif: Option<String>,
    /// Minimal details.
    pub details: Option<serde_json::Value>,
}

impl Evenement {
    /// An event by the caller of a request, in the collectivité it acts for, with its reason.
    #[must_use]
    pub fn par(
        auth: &Auth,
        action: &'static str,
        objet_type: &'static str,
        objet_id: impl ToString,
    ) -> Self {
        Self {
            acteur: auth.into(),
            collectivite_id: auth.collectivite.as_ref().map(|c| c.id),
            action,
            objet_type,
            objet_id: objet_id.to_string(),
            motif: auth.motif.clone(),
            details: None,
        }
    }

    /// An event of the server itself (command line, retention, demo), in no collectivité.
    #[must_use]
    pub fn systeme(
        action: &'static str,
        objet_type: &'static str,
        objet_id: impl ToString,
    ) -> Self {
        Self {
            acteur: Acteur::Systeme,
            collectivite_id: None,
            action,
            objet_type,
            objet_id: objet_id.to_string(),
            motif: None,
            details: None,
        }
    }

    /// The same event with a reason.
    #[must_use]
    pub fn motif(mut self, motif: impl Into<String>) -> Self {
        self.motif = Some(motif.into());
        self
    }

    /// The same event with details.
    #[must_use]
    pub fn avec(mut self, details: serde_json::Value) -> Self {
        self.details = Some(details);
        self
    }
}

/// Records an entry in the unit of work of a change: it is appended, chained, at the commit,
/// and exists if and only if the change it records is committed.
pub fn consigner(unite: &mut UniteDeTravail, evenement: Evenement) {
    unite.consigner(evenement);
}

/// Appends one entry in `txn` now (the head row stays locked until the transaction ends): for
/// the journal's own transactions (purges, reads standing alone).
async fn consigner_dans(
    txn: &DatabaseTransaction,
    evenement: Evenement,
    now: DateTime<Utc>,
) -> Result<entree::Model, DbErr> {
    let mut entries = consigner_lot(txn, vec![(evenement, now)]).await?;
    entries.pop().ok_or_else(|| DbErr::RecordNotInserted)
}

/// Locks the head of the chain until the end of the transaction and reads it. Writing the head
/// first takes the lock (row lock on PostgreSQL, write lock on SQLite) before anything is read,
/// so no other append or purge can slip in between.
async fn lock_head<C: ConnectionTrait>(txn: &C) -> Result<tete::Model, DbErr> {
    tete::Entity::update_many()
        .col_expr(tete::Column::Seq, Expr::col(tete::Column::Seq))
        .filter(tete::Column::Id.eq(1))
        .exec(txn)
        .await?;
    tete::Entity::find_by_id(1)
        .one(txn)
        .await?
        .ok_or_else(|| DbErr::RecordNotFound("journal_tete".into()))
}

/// Takes, until the end of the transaction, the lock that orders the commits of changes (the
/// journal's head, which every change appends to): what the transaction numbers after it (the
/// position of an event in the outbox) is numbered in the order of the commits.
///
/// # Errors
/// A database failure.
pub(crate) async fn ordonner<C: ConnectionTrait>(txn: &C) -> Result<(), DbErr> {
    lock_head(txn).await.map(drop)
}

/// Appends several entries, in order, in the caller's transaction, with one lock of the head,
/// one insert and one update of the head. Changes reach it through their unit of work
/// ([`UniteDeTravail::valider`]).
///
/// # Errors
/// A database failure.
pub(crate) async fn consigner_lot(
    txn: &DatabaseTransaction,
    evenements: Vec<(Evenement, DateTime<Utc>)>,
) -> Result<Vec<entree::Model>, DbErr> {
    if evenements.is_empty() {
        return Ok(Vec::new());
    }
    let head = lock_head(txn).await?;
    let mut previous = head.empreinte;
    let mut seq = head.seq;
    let mut entries = Vec::with_capacity(evenements.len());
    for (evenement, now) in evenements {
        seq += 1;
        let (acteur_type, acteur_id) = evenement.acteur.parts();
        let mut entry = entree::Model {
            seq,
            horodatage: now.trunc_subsecs(6),
            collectivite_id: evenement.collectivite_id,
            acteur_type: acteur_type.to_owned(),
            acteur_id,
            action: evenement.action.to_owned(),
            objet_type: evenement.objet_type.to_owned(),
            objet_id: evenement.objet_id,
            motif: evenement.motif,
            details: evenement.details,
            empreinte_precedente: previous.clone(),
            empreinte: String::new(),
        };
        entry.empreinte = chain::hash_entry(&previous, &entry);
        previous.clone_from(&entry.empreinte);
        entries.push(entry);
    }
    entree::Entity::insert_many(entries.iter().cloned().map(entree::ActiveModel::from))
        .exec_without_returning(txn)
        .await?;
    tete::ActiveModel {
        id: Set(1),
        seq: Set(seq),
        empreinte: Set(previous),
        ..Default::default()
    }
    .update(txn)
    .await?;
    Ok(entries)
}

/// Appends an entry in a transaction of its own (reads, which change nothing else).
///
/// # Errors
/// A database failure.
pub async fn consigner_seul(
    db: &DatabaseConnection,
    evenement: Evenement,
    now: DateTime<Utc>,
) -> Result<entree::Model, DbErr> {
    let txn = crate::db::ecriture(db).await?;
    let entry = consigner_dans(&txn, evenement, now).await?;
    txn.commit().await?;
    Ok(entry)
}

type Demande = (
    Evenement,
    DateTime<Utc>,
    oneshot::Sender<Result<(), String>>,
);

/// Largest number of entries committed together.
const LOT_MAX: usize = 256;

/// Group commit of the entries that stand alone (reads): concurrent requests hand their entry
/// to one task, which chains and commits whatever is waiting in one transaction. Each request
/// still waits for the commit of its own entry before answering: a read is never served
/// unjournaled, yet a busy server pays one commit for many reads.
#[derive(Debug, Clone, Default)]
pub struct Ecrivain {
    sender: Arc<OnceLock<mpsc::Sender<Demande>>>,
}

impl Ecrivain {
    fn sender(&self, db: &DatabaseConnection) -> &mpsc::Sender<Demande> {
        self.sender.get_or_init(|| {
            let (sender, receiver) = mpsc::channel(4 * LOT_MAX);
            tokio::spawn(ecrire(db.clone(), receiver));
            sender
        })
    }

    /// Journals `evenement` and returns once it is committed.
    ///
    /// # Errors
    /// The database failed, or the writing task stopped.
    pub async fn consigner(
        &self,
        db: &DatabaseConnection,
        evenement: Evenement,
        now: DateTime<Utc>,
    ) -> Result<(), DbErr> {
        let (done, committed) = oneshot::channel();
        self.sender(db)
            .send((evenement, now, done))
            .await
            .map_err(|_| DbErr::Custom("journal : tâche d'écriture arrêtée".into()))?;
        committed
            .await
            .map_err(|_| DbErr::Custom("journal : tâche d'écriture arrêtée".into()))?
            .map_err(DbErr::Custom)
    }
}

async fn ecrire(db: DatabaseConnection, mut receiver: mpsc::Receiver<Demande>) {
    while let Some(first) = receiver.recv().await {
        let mut lot = vec![first];
        while lot.len() < LOT_MAX {
            match receiver.try_recv() {
                Ok(next) => lot.push(next),
                Err(_) => break,
            }
        }
        let (evenements, replies): (Vec<_>, Vec<_>) = lot
            .into_iter()
            .map(|(evenement, now, done)| ((evenement, now), done))
            .unzip();
        let outcome = async {
            let txn = crate::db::ecriture(&db).await?;
            consigner_lot(&txn, evenements).await?;
            txn.commit().await
        }
        .await
        .map_err(|e| e.to_string());
        if let Err(err) = &outcome {
            tracing::error!(%err, "journal entries could not be written");
        }
        for done in replies {
            // A request that gave up waiting is not an error.
            let _ = done.send(outcome.clone());
        }
    }
}

/// Journals that the caller of a request read one record (with its `X-Motif` reason, if any).
///
/// # Errors
/// A database failure.
pub async fn lecture(
    state: &AppState,
    auth: &Auth,
    objet_type: &'static str,
    objet_id: impl ToString,
) -> Result<(), DbErr> {
    let evenement = Evenement::par(auth, "lecture", objet_type, objet_id);
    state
        .journal()
        .consigner(state.db(), evenement, state.clock().now())
        .await
}

/// Journals that the caller of a request listed `nombre` records of a kind.
///
/// # Errors
/// A database failure.
pub async fn liste(
    state: &AppState,
    auth: &Auth,
    objet_type: &'static str,
    nombre: usize,
) -> Result<(), DbErr> {
    let evenement = Evenement::par(auth, "liste", objet_type, "*")
        .avec(serde_json::json!({ "nombre": nombre }));
    state
        .journal()
        .consigner(state.db(), evenement, state.clock().now())
        .await
}

/// Records, in the unit of work of a change, that its author created a record.
pub fn creation(unite: &mut UniteDeTravail, objet_type: &'static str, objet_id: impl ToString) {
    let evenement = unite.evenement("creation", objet_type, objet_id);
    unite.consigner(evenement);
}

/// What [`verifier`] found.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Rapport {
    /// Entries read.
    pub entrees_verifiees: u64,
    /// Position of the last entry, as the head records it.
    pub derniere_seq: i64,
    /// Hash of the last entry: keep it elsewhere to anchor the journal.
    pub empreinte_finale: String,
    /// Every break found; empty when the journal is intact.
    pub anomalies: Vec<Anomalie>,
}

/// Walks the whole chain, a page at a time, and reports every break.
///
/// # Errors
/// A database failure.
pub async fn verifier<C: ConnectionTrait>(db: &C) -> Result<Rapport, DbErr> {
    verifier_avec_ancre(db, None).await
}

/// [`verifier`], also checking that entry `seq` still has the hash kept outside the server
/// (`ancre = (seq, hash)`, as a previous verification printed it).
///
/// # Errors
/// A database failure.
pub async fn verifier_avec_ancre<C: ConnectionTrait>(
    db: &C,
    ancre: Option<(i64, &str)>,
) -> Result<Rapport, DbErr> {
    const PAGE: u64 = 10_000;
    let head = tete::Entity::find_by_id(1)
        .one(db)
        .await?
        .ok_or_else(|| DbErr::RecordNotFound("journal_tete".into()))?;
    let mut verifier = Verifier::new(head.premiere_seq, &head.ancre);
    let before_start = entree::Entity::find()
        .filter(entree::Column::Seq.lt(head.premiere_seq))
        .count(db)
        .await?;
    let mut anchor_seen = false;
    let mut after = head.premiere_seq - 1;
    loop {
        let page = entree::Entity::find()
            .filter(entree::Column::Seq.gt(after))
            .order_by_asc(entree::Column::Seq)
            .limit(PAGE)
            .all(db)
            .await?;
        for entry in &page {
            verifier.check(entry);
            if let Some((seq, hash)) = ancre
                && entry.seq == seq
            {
                anchor_seen = true;
                if entry.empreinte != hash {
                    verifier
                        .anomalies
                        .push(Anomalie::AncreExterneDifferente { seq });
                }
            }
        }
        match page.last() {
            Some(last) if page.len() as u64 == PAGE => after = last.seq,
            _ => break,
        }
    }
    if let Some((seq, _)) = ancre {
        // An anchor before the starting point was purged by retention: nothing to compare.
        if !anchor_seen && seq >= head.premiere_seq {
            verifier
                .anomalies
                .push(Anomalie::AncreExterneDifferente { seq });
        }
    }
    let entrees_verifiees = verifier.checked;
    let empreinte_finale = verifier.last_hash().to_owned();
    let mut anomalies = verifier.finish(head.seq, &head.empreinte);
    if before_start > 0 {
        anomalies.insert(
            0,
            Anomalie::EntreesAvantDepart {
                nombre: before_start,
                premiere_seq: head.premiere_seq,
            },
        );
    }
    Ok(Rapport {
        entrees_verifiees,
        derniere_seq: head.seq,
        empreinte_finale,
        anomalies,
    })
}

/// Deletes the entries older than `avant` (the retention period), keeping the hash of the last
/// one deleted as the anchor the remaining chain starts from, and journals the purge — with that
/// anchor — in the same transaction. Returns how many entries were deleted.
///
/// # Errors
/// A database failure.
pub async fn purger(
    db: &DatabaseConnection,
    avant: DateTime<Utc>,
    motif: String,
) -> Result<u64, DbErr> {
    let txn = crate::db::ecriture(db).await?;
    lock_head(&txn).await?;
    let last_old = entree::Entity::find()
        .filter(entree::Column::Horodatage.lt(avant))
        .order_by_desc(entree::Column::Seq)
        .one(&txn)
        .await?;
    let Some(last_old) = last_old else {
        // Nothing old enough: the run is still journaled, as evidence that retention runs.
        let evenement = Evenement::systeme("purge", "journal.entree", "*")
            .motif(motif)
            .avec(serde_json::json!({ "supprimees": 0, "avant": avant }));
        consigner_dans(&txn, evenement, Utc::now()).await?;
        txn.commit().await?;
        return Ok(0);
    };
    let deleted = entree::Entity::delete_many()
        .filter(entree::Column::Seq.lte(last_old.seq))
        .exec(&txn)
        .await?
        .rows_affected;
    tete::ActiveModel {
        id: Set(1),
        premiere_seq: Set(last_old.seq + 1),
        ancre: Set(last_old.empreinte.clone()),
        ..Default::default()
    }
    .update(&txn)
    .await?;
    let evenement = Evenement::systeme("purge", "journal.entree", "*")
        .motif(motif)
        .avec(serde_json::json!({
            "supprimees": deleted,
            "avant": avant,
            "premiere_seq": last_old.seq + 1,
            "ancre": last_old.empreinte,
        }));
    consigner_dans(&txn, evenement, Utc::now()).await?;
    txn.commit().await?;
    Ok(deleted)
}

const PERMISSIONS: &[Permission] = &[
    Permission::new(
        "journal.entree.lire",
        "Consulter le journal des accès de la collectivité",
    ),
    Permission::new(
        "journal.export",
        "Exporter le journal de la collectivité pour un auditeur",
    ),
    Permission::plateforme("journal.verifier", "Vérifier l'intégrité du journal"),
];

/// The core module that owns the audit journal. Always present.
#[derive(Debug, Clone, Copy)]
pub struct Journal;

impl Module for Journal {
    fn id(&self) -> &'static str {
        "journal"
    }

    fn name(&self) -> &'static str {
        "Journal"
    }

    fn version(&self) -> &'static str {
        env!("CARGO_PKG_VERSION")
    }

    fn description(&self) -> &'static str {
        "Journal d'audit chaîné : qui a consulté ou modifié quel enregistrement, quand et pourquoi."
    }

    fn dependencies(&self) -> &'static [&'static str] {
        &["droits"]
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

    fn traitements(&self) -> &'static [Traitement] {
        TRAITEMENTS
    }
}

const TRAITEMENTS: &[Traitement] = &[Traitement {
    objet_type: "journal.entree",
    finalite: "Traçabilité des accès et des modifications des données protégées",
    base_legale: BaseLegale::ObligationLegale,
    textes: "RGPD art. 5.1.f et 32 ; délibération CNIL 2021-122",
    conservation: "6 mois à 3 ans selon le réglage (12 mois par défaut)",
    effacement: Effacement::Refuse {
        motif: "Le journal des accès est conservé pour la sécurité des données pendant la durée réglementaire ; il ne peut être effacé sur demande (RGPD art. 17.3.b).",
    },
}];
