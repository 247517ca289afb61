//! The application state shared by every handler.

use std::sync::Arc;

use chrono::NaiveDate;
use sea_orm::DatabaseConnection;
use tokio::sync::Notify;

use crate::droits::limiter::LoginLimiter;
use crate::droits::oidc::{Oidc, OidcConfig};
use crate::journal::Ecrivain;
use crate::module::ModuleRegistry;
use crate::temps::Clock;

/// What every handler can reach: the database, the clock and the registry of modules.
///
/// Cheap to clone: everything inside is shared.
#[derive(Clone)]
pub struct AppState {
    db: DatabaseConnection,
    clock: Arc<dyn Clock>,
    registry: Arc<ModuleRegistry>,
    default_collectivite: Option<Arc<str>>,
    login_limiter: Arc<LoginLimiter>,
    journal: Ecrivain,
    oidc: Option<Arc<Oidc>>,
    reveil_livreur: Arc<Notify>,
    ged: crate::ged::Ged,
    parapheur: Arc<dyn crate::parapheur::Parapheur>,
}

impl std::fmt::Debug for AppState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AppState")
            .field("clock", &self.clock)
            .field("registry", &self.registry)
            .field("default_collectivite", &self.default_collectivite)
            .field("ged", &self.ged)
            .field("parapheur", &self.parapheur.fournisseur())
            .finish_non_exhaustive()
    }
}

impl AppState {
    /// The state for an application made of `registry`'s modules.
    #[must_use]
    pub fn new(db: DatabaseConnection, clock: Arc<dyn Clock>, registry: ModuleRegistry) -> Self {
        Self {
            db,
            clock,
            registry: Arc::new(registry),
            default_collectivite: None,
            login_limiter: Arc::default(),
            journal: Ecrivain::default(),
            oidc: None,
            reveil_livreur: Arc::new(Notify::new()),
            ged: crate::ged::Ged::default(),
            parapheur: Arc::new(crate::parapheur::ParapheurLocal),
        }
    }

    /// The same state, acting for the collectivité `reference` (code or id) when a request does
    /// not name one: the setting of a server that hosts a single collectivité.
    #[must_use]
    pub fn with_default_collectivite(mut self, reference: impl Into<String>) -> Self {
        self.default_collectivite = Some(Arc::from(reference.into()));
        self
    }

    /// The same state, keeping documents in `ged` (the default keeps them in memory, for
    /// tests: the server always sets a directory or a bucket).
    #[must_use]
    pub fn with_ged(mut self, ged: crate::ged::Ged) -> Self {
        self.ged = ged;
        self
    }

    /// The GED: where documents' contents are kept, and the largest file accepted.
    #[must_use]
    pub fn ged(&self) -> &crate::ged::Ged {
        &self.ged
    }

    /// The same state, with documents signed by `parapheur` (an external one's adapter); the
    /// built-in [`ParapheurLocal`](crate::parapheur::ParapheurLocal) by default.
    #[must_use]
    pub fn with_parapheur(mut self, parapheur: Arc<dyn crate::parapheur::Parapheur>) -> Self {
        self.parapheur = parapheur;
        self
    }

    /// The parapheur documents are signed in.
    #[must_use]
    pub fn parapheur(&self) -> &dyn crate::parapheur::Parapheur {
        self.parapheur.as_ref()
    }

    /// The journal's group-commit writer, for entries that stand alone (reads).
    #[must_use]
    pub fn journal(&self) -> &Ecrivain {
        &self.journal
    }

    /// The same state, letting agents log in through an OpenID Connect provider.
    #[must_use]
    pub fn with_oidc(mut self, config: OidcConfig) -> Self {
        self.oidc = Some(Oidc::new(config));
        self
    }

    /// The OpenID Connect provider, when one is configured.
    #[must_use]
    pub fn oidc(&self) -> Option<&Oidc> {
        self.oidc.as_deref()
    }

    /// The failed-login counters.
    #[must_use]
    pub fn login_limiter(&self) -> &LoginLimiter {
        &self.login_limiter
    }

    /// The collectivité requests act for when they name none.
    #[must_use]
    pub fn default_collectivite(&self) -> Option<&str> {
        self.default_collectivite.as_deref()
    }

    /// The database connection pool.
    #[must_use]
    pub fn db(&self) -> &DatabaseConnection {
        &self.db
    }

    /// The clock.
    #[must_use]
    pub fn clock(&self) -> &dyn Clock {
        self.clock.as_ref()
    }

    /// Today's date, as domain rules must see it.
    #[must_use]
    pub fn today(&self) -> NaiveDate {
        self.clock.today()
    }

    /// The modules of this application.
    #[must_use]
    pub fn registry(&self) -> &ModuleRegistry {
        &self.registry
    }

    /// The modules, shared.
    #[must_use]
    pub fn registry_arc(&self) -> Arc<ModuleRegistry> {
        Arc::clone(&self.registry)
    }

    /// The clock, shared.
    #[must_use]
    pub fn clock_arc(&self) -> Arc<dyn Clock> {
        Arc::clone(&self.clock)
    }

    /// What wakes the webhook sender ([`crate::evenements::Livreur`]).
    #[must_use]
    pub fn reveil_livreur(&self) -> Arc<Notify> {
        Arc::clone(&self.reveil_livreur)
    }

    /// Wakes the webhook sender: call it after committing a change that published events.
    pub fn livreur_reveil(&self) {
        self.reveil_livreur.notify_one();
    }

    /// Opens the unit of work of a change made by the caller of a request
    /// ([`crate::unite::UniteDeTravail`]): its write transaction, its journal entries, the
    /// webhook sender woken once it is committed.
    ///
    /// # Errors
    /// The database refused the transaction, or no write was possible for 30 s (SQLite).
    pub async fn ecrire(
        &self,
        auth: &crate::droits::Auth,
    ) -> Result<crate::unite::UniteDeTravail, sea_orm::DbErr> {
        self.ecrire_pour(auth.into()).await
    }

    /// [`Self::ecrire`] for another author (the server itself, a login before it is known).
    ///
    /// # Errors
    /// The database refused the transaction, or no write was possible for 30 s (SQLite).
    pub async fn ecrire_pour(
        &self,
        auteur: crate::unite::Auteur,
    ) -> Result<crate::unite::UniteDeTravail, sea_orm::DbErr> {
        crate::unite::UniteDeTravail::ouvrir(
            self.db(),
            auteur,
            self.clock_arc(),
            Some(self.reveil_livreur()),
        )
        .await
    }
}
