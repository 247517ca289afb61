//! The unit of work every change goes through.
//!
//! A route that writes opens one with [`crate::http::AppState::ecrire`] (or
//! [`UniteDeTravail::ouvrir`] outside a request), makes its changes in it — it dereferences to
//! the write transaction, so services take it as any connection —, records what the journal
//! must keep ([`UniteDeTravail::consigner`], [`crate::journal::consigner`],
//! [`crate::journal::creation`]) and ends with [`UniteDeTravail::valider`]:
//!
//! ```ignore
//! let mut txn = state.ecrire(&auth).await?;
//! let salle = service::creer(&txn, collectivite.id, nouvelle).await?;
//! socle::journal::creation(&mut txn, "salles.salle", salle.id);
//! txn.valider().await?;
//! ```
//!
//! What it guarantees, so that no route has to remember it:
//!
//! - the transaction is a writer's (`BEGIN IMMEDIATE` on SQLite): on SQLite it waits for its turn
//!   in the process's queue and takes the write lock at once, so concurrent writes never fail
//!   with « database is locked »;
//! - the journal entries are chained at commit, in one append: the lock on the journal's head,
//!   which orders every change, is held from there to the commit only;
//! - a change with no journal entry is not committed, unless the route said why
//!   ([`UniteDeTravail::sans_journal`]);
//! - once committed, the webhook sender is woken, so the events the change published leave at
//!   once; dropped without [`UniteDeTravail::valider`], nothing is written.

use std::sync::Arc;

use chrono::{DateTime, Utc};
use sea_orm::{DatabaseConnection, DbErr};
use tokio::sync::Notify;
use uuid::Uuid;

use crate::db::Ecriture;
use crate::droits::Auth;
use crate::journal::{Acteur, Evenement};
use crate::temps::{Clock, SystemClock};

/// A change in progress: its write transaction, the journal entries it will append, and who
/// makes it. See the [module documentation](self).
pub struct UniteDeTravail {
    ecriture: Ecriture,
    horloge: Arc<dyn Clock>,
    reveil: Option<Arc<Notify>>,
    acteur: Acteur,
    collectivite_id: Option<Uuid>,
    motif: Option<String>,
    entrees: Vec<(Evenement, DateTime<Utc>)>,
    sans_journal: Option<&'static str>,
}

impl std::fmt::Debug for UniteDeTravail {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("UniteDeTravail")
            .field("acteur", &self.acteur)
            .field("collectivite_id", &self.collectivite_id)
            .field("entrees", &self.entrees.len())
            .field("sans_journal", &self.sans_journal)
            .finish_non_exhaustive()
    }
}

/// Who makes a change, for the journal entries of a unit of work.
#[derive(Debug, Clone)]
pub struct Auteur {
    /// Who acts.
    pub acteur: Acteur,
    /// The collectivité they act for.
    pub collectivite_id: Option<Uuid>,
    /// Why, when they said it (`X-Motif`).
    pub motif: Option<String>,
}

impl Auteur {
    /// The server itself (command line, imports, retention, demo), in no collectivité.
    #[must_use]
    pub const fn systeme() -> Self {
        Self {
            acteur: Acteur::Systeme,
            collectivite_id: None,
            motif: None,
        }
    }
}

impl From<&Auth> for Auteur {
    fn from(auth: &Auth) -> Self {
        Self {
            acteur: auth.into(),
            collectivite_id: auth.collectivite.as_ref().map(|c| c.id),
            motif: auth.motif.clone(),
        }
    }
}

impl UniteDeTravail {
    /// Opens a unit of work on `db` for `auteur`, dated by `horloge`; `reveil` wakes the webhook
    /// sender after the commit.
    ///
    /// # Errors
    /// The database refused the transaction, or no write was possible for 30 s (SQLite).
    pub async fn ouvrir(
        db: &DatabaseConnection,
        auteur: Auteur,
        horloge: Arc<dyn Clock>,
        reveil: Option<Arc<Notify>>,
    ) -> Result<Self, DbErr> {
        Ok(Self {
            ecriture: crate::db::ecriture(db).await?,
            horloge,
            reveil,
            acteur: auteur.acteur,
            collectivite_id: auteur.collectivite_id,
            motif: auteur.motif,
            entrees: Vec::new(),
            sans_journal: None,
        })
    }

    /// A unit of work of the server itself (command line, imports), acting in `collectivite_id`
    /// when given, on the system clock.
    ///
    /// # Errors
    /// The database refused the transaction, or no write was possible for 30 s (SQLite).
    pub async fn systeme(
        db: &DatabaseConnection,
        collectivite_id: Option<Uuid>,
    ) -> Result<Self, DbErr> {
        let auteur = Auteur {
            collectivite_id,
            ..Auteur::systeme()
        };
        Self::ouvrir(db, auteur, Arc::new(SystemClock::default()), None).await
    }

    /// An entry by this unit's author (the collectivité they act for, their reason), to
    /// complete with [`Evenement::avec`] and record with [`Self::consigner`].
    #[must_use]
    pub fn evenement(
        &self,
        action: &'static str,
        objet_type: &'static str,
        objet_id: impl ToString,
    ) -> Evenement {
        Evenement {
            acteur: self.acteur,
            collectivite_id: self.collectivite_id,
            action,
            objet_type,
            objet_id: objet_id.to_string(),
            motif: self.motif.clone(),
            details: None,
        }
    }

    /// Records a journal entry, appended at commit with the instant of this call.
    pub fn consigner(&mut self, evenement: Evenement) {
        let maintenant = self.horloge.now();
        self.entrees.push((evenement, maintenant));
    }

    /// Records a journal entry dated `instant` (a long import dates each line as it reads it).
    pub fn consigner_a(&mut self, evenement: Evenement, instant: DateTime<Utc>) {
        self.entrees.push((evenement, instant));
    }

    /// Commits a change that needs no journal entry, saying why (« file d'attente technique »):
    /// the reason documents the exception where it is made.
    pub fn sans_journal(&mut self, pourquoi: &'static str) {
        self.sans_journal = Some(pourquoi);
    }

    /// The instant by this unit's clock.
    #[must_use]
    pub fn maintenant(&self) -> DateTime<Utc> {
        self.horloge.now()
    }

    /// Appends the journal entries (taking the lock on the journal's head), commits, and wakes
    /// the webhook sender.
    ///
    /// # Errors
    /// A change with no journal entry and no reason given (a fault of the route: nothing is
    /// written); the database failed, and nothing was written.
    pub async fn valider(self) -> Result<(), DbErr> {
        if self.entrees.is_empty() && self.sans_journal.is_none() {
            return Err(DbErr::Custom(
                "unité de travail sans entrée de journal : la modification n'est pas enregistrée"
                    .to_owned(),
            ));
        }
        crate::journal::consigner_lot(&self.ecriture, self.entrees).await?;
        self.ecriture.commit().await?;
        if let Some(reveil) = self.reveil {
            reveil.notify_one();
        }
        Ok(())
    }
}

impl std::ops::Deref for UniteDeTravail {
    type Target = sea_orm::DatabaseTransaction;

    fn deref(&self) -> &sea_orm::DatabaseTransaction {
        &self.ecriture
    }
}

#[async_trait::async_trait]
impl sea_orm::ConnectionTrait for UniteDeTravail {
    fn get_database_backend(&self) -> sea_orm::DbBackend {
        self.ecriture.get_database_backend()
    }

    async fn execute_raw(&self, stmt: sea_orm::Statement) -> Result<sea_orm::ExecResult, DbErr> {
        self.ecriture.execute_raw(stmt).await
    }

    async fn execute_unprepared(&self, sql: &str) -> Result<sea_orm::ExecResult, DbErr> {
        self.ecriture.execute_unprepared(sql).await
    }

    async fn query_one_raw(
        &self,
        stmt: sea_orm::Statement,
    ) -> Result<Option<sea_orm::QueryResult>, DbErr> {
        self.ecriture.query_one_raw(stmt).await
    }

    async fn query_all_raw(
        &self,
        stmt: sea_orm::Statement,
    ) -> Result<Vec<sea_orm::QueryResult>, DbErr> {
        self.ecriture.query_all_raw(stmt).await
    }

    fn support_returning(&self) -> bool {
        self.ecriture.support_returning()
    }
}
