//! The plug-in contract: the [`Module`] trait, its registration and the registry.
//!
//! A module is a value that implements [`Module`]. It registers once, with
//! [`register_module!`](crate::register_module), in any crate linked into the server; the
//! [`ModuleRegistry`] collects every registration at start-up through `inventory`, adds the core's
//! own modules, refuses duplicates and missing dependencies, and orders the modules so that each
//! one comes after the modules it depends on.
//!
//! Every hook but the id, the display name and the version has a default, so a module only
//! writes what it provides.

mod migrations;
mod registry;

use async_trait::async_trait;
use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::DatabaseTransaction;
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use uuid::Uuid;

use crate::http::AppState;

pub use migrations::Migrations;
pub use registry::{
    AppliedMigrations, ModuleError, ModuleInfo, ModuleRegistry, RegistryBuilder, migration_table,
};

/// A building block of a commune's application: a vertical (cemetery, civil status, elections…)
/// or one of the core's own services.
///
/// Only [`id`](Module::id), [`name`](Module::name) and [`version`](Module::version) are required;
/// every other hook defaults to "nothing".
#[async_trait]
pub trait Module: Send + Sync + 'static {
    /// Stable identifier: lower-case ASCII letters, digits and hyphens (`cimetiere`,
    /// `etat-civil`). It names the routes (`/api/v1/<id>/`), the permissions and events
    /// (`<id>.…`, or with underscores for hyphens: `etat_civil.…`, or in the singular for a
    /// plural id: `usager.cree` for `usagers`), the migration table
    /// (`socle_migrations_<id>`) and prefixes the module's tables, so it never changes once a
    /// commune uses the module. `modules` is reserved.
    fn id(&self) -> &'static str;

    /// Name shown to agents, in French.
    fn name(&self) -> &'static str;

    /// Version of the module, usually `env!("CARGO_PKG_VERSION")`.
    fn version(&self) -> &'static str;

    /// One sentence saying what the module manages, in French.
    fn description(&self) -> &'static str {
        ""
    }

    /// Ids of the modules this one needs (their tables, events or services). The registry
    /// refuses to start when one is missing, and orders migrations after them.
    fn dependencies(&self) -> &'static [&'static str] {
        &[]
    }

    /// The module's database migrations, run in dependency order. See [`Migrations`].
    fn migrations(&self) -> Option<Migrations> {
        None
    }

    /// The module's HTTP routes with their OpenAPI description, mounted under `/api/v1/<id>`.
    fn routes(&self) -> OpenApiRouter<AppState> {
        OpenApiRouter::new()
    }

    /// The actions the module lets a role grant, named `<id>.<resource>.<action>`.
    fn permissions(&self) -> &'static [Permission] {
        &[]
    }

    /// Domain events the module emits, named `<id>.<event>`.
    fn events_emitted(&self) -> &'static [EventDecl] {
        &[]
    }

    /// Names of the events (of any module) this module reacts to, or prefixes ending in `*`;
    /// each one is given to [`Module::traiter_evenement`].
    fn events_handled(&self) -> &'static [&'static str] {
        &[]
    }

    /// Reacts to one event named in [`Module::events_handled`]. Events come in publication
    /// order, at least once: the handler runs in a transaction that also records the event as
    /// handled by this module, so its changes and that record are committed together; an
    /// error rolls both back and the event comes again at the next pass (the following events
    /// wait). A module installed later first catches up with the events still kept (90 days):
    /// handlers must accept an event twice.
    ///
    /// # Errors
    /// Any database error: the event is presented again.
    async fn traiter_evenement(&self, _ctx: &EvenementRecu<'_>) -> Result<(), sea_orm::DbErr> {
        Ok(())
    }

    /// Document templates (lettres-types) the module ships.
    fn editions(&self) -> &'static [EditionTemplate] {
        &[]
    }

    /// The processing activities of personal data the module carries out, one per kind of
    /// record: purpose, legal basis, retention, and whether erasure can be granted.
    fn traitements(&self) -> &'static [crate::rgpd::Traitement] {
        &[]
    }

    /// Deletes what the module's retention periods no longer allow it to keep (e.g. electoral
    /// data three years after radiation). Run by `socle rgpd purger`, in one transaction per
    /// module; returns how many records were deleted.
    ///
    /// # Errors
    /// Any database error rolls the module's sweep back.
    async fn purger_donnees(&self, _ctx: &PurgeContext<'_>) -> Result<u64, sea_orm::DbErr> {
        Ok(0)
    }

    /// Re-points the module's records from one usager to another when an agent merges two
    /// usagers (the core has already moved the links of [`crate::usager::lier`]). Runs in the
    /// merge's transaction.
    ///
    /// # Errors
    /// [`crate::usager::UsagerError::FusionImpossible`] refuses the merge with a reason for the
    /// agent (e.g. both usagers hold a record only one person may hold); any error rolls the
    /// whole merge back.
    async fn usager_fusionne(
        &self,
        _ctx: &FusionUsager<'_>,
    ) -> Result<(), crate::usager::UsagerError> {
        Ok(())
    }

    /// Everything the module holds on a usager, for the subject-access export (RGPD art. 15):
    /// `None` when it holds nothing.
    ///
    /// # Errors
    /// A database error fails the export.
    async fn donnees_usager(
        &self,
        _ctx: &DonneesUsager<'_>,
    ) -> Result<Option<serde_json::Value>, sea_orm::DbErr> {
        Ok(None)
    }

    /// The Rust type of the module, used to name it in start-up errors. Not to be overridden.
    #[doc(hidden)]
    fn type_name(&self) -> &'static str {
        std::any::type_name::<Self>()
    }

    /// The identity of the module's type, to keep a module named twice once. Not to be
    /// overridden.
    #[doc(hidden)]
    fn type_id(&self) -> std::any::TypeId {
        std::any::TypeId::of::<Self>()
    }

    /// Fills the demo collectivité with realistic records. Called inside one transaction, after
    /// every migration, in dependency order; it must do nothing when the module's demo records
    /// are already there, so that `socle demo` can be run again.
    ///
    /// # Errors
    /// Any database error aborts the whole demo transaction.
    async fn seed_demo(&self, _ctx: &DemoContext<'_>) -> Result<(), sea_orm::DbErr> {
        Ok(())
    }
}

/// What [`Module::seed_demo`] receives.
#[derive(Debug)]
pub struct DemoContext<'a> {
    /// The transaction every demo record is written in.
    pub db: &'a DatabaseTransaction,
    /// The demo collectivité.
    pub collectivite_id: Uuid,
    /// The date the demo is built on (the server's clock).
    pub today: NaiveDate,
    /// The instant the demo is built at (the server's clock), for `created_at` columns.
    pub now: DateTime<Utc>,
}

/// What [`Module::traiter_evenement`] receives.
#[derive(Debug)]
pub struct EvenementRecu<'a> {
    /// The transaction the handler writes in (committed with the event's acknowledgement).
    pub db: &'a DatabaseTransaction,
    /// The collectivité the event belongs to.
    pub collectivite_id: Uuid,
    /// `<module>.<event>`.
    pub type_: &'a str,
    /// What it is about (a usager's id for `usager.*`).
    pub sujet: &'a str,
    /// The event's data.
    pub donnees: &'a serde_json::Value,
    /// When it was published.
    pub publie_le: DateTime<Utc>,
    /// Today, for dated rules.
    pub today: NaiveDate,
    /// Now, for `created_at` columns.
    pub now: DateTime<Utc>,
}

/// What [`Module::usager_fusionne`] receives.
#[derive(Debug)]
pub struct FusionUsager<'a> {
    /// The merge's transaction.
    pub db: &'a DatabaseTransaction,
    /// The collectivité.
    pub collectivite_id: Uuid,
    /// The usager kept.
    pub conserve: Uuid,
    /// The usager merged into it, now a tombstone.
    pub absorbe: Uuid,
}

/// What [`Module::donnees_usager`] receives.
#[derive(Debug)]
pub struct DonneesUsager<'a> {
    /// A transaction (one snapshot for the whole export).
    pub db: &'a DatabaseTransaction,
    /// The collectivité.
    pub collectivite_id: Uuid,
    /// The usager.
    pub usager_id: Uuid,
}

/// What [`Module::purger_donnees`] receives.
#[derive(Debug)]
pub struct PurgeContext<'a> {
    /// The transaction of the module's sweep.
    pub db: &'a DatabaseTransaction,
    /// The date retention periods are counted to.
    pub today: NaiveDate,
}

/// An action a module lets a role grant.
#[derive(Debug, Clone, Copy, Serialize, ToSchema)]
pub struct Permission {
    /// `<module>.<resource>.<action>`, e.g. `cimetiere.concession.vendre`.
    pub action: &'static str,
    /// What the action allows, in French.
    pub description: &'static str,
    /// Reserved to platform administrators: no role of a collectivité can grant it (creating
    /// collectivités or agent accounts, for instance).
    pub plateforme: bool,
}

impl Permission {
    /// A permission roles can grant; usable in a `const` or `static` list.
    #[must_use]
    pub const fn new(action: &'static str, description: &'static str) -> Self {
        Self {
            action,
            description,
            plateforme: false,
        }
    }

    /// A permission only platform administrators hold.
    #[must_use]
    pub const fn plateforme(action: &'static str, description: &'static str) -> Self {
        Self {
            action,
            description,
            plateforme: true,
        }
    }
}

/// A domain event a module emits.
#[derive(Debug, Clone, Copy, Serialize, ToSchema)]
pub struct EventDecl {
    /// `<module>.<event>`, e.g. `etat-civil.deces_enregistre`.
    pub name: &'static str,
    /// When it is emitted, in French.
    pub description: &'static str,
}

impl EventDecl {
    /// An event declaration; usable in a `const` or `static` list.
    #[must_use]
    pub const fn new(name: &'static str, description: &'static str) -> Self {
        Self { name, description }
    }
}

/// A document template (lettre-type) a module ships.
#[derive(Debug, Clone, Copy, Serialize, ToSchema)]
pub struct EditionTemplate {
    /// Stable name, unique within the module, e.g. `titre-de-concession`.
    pub name: &'static str,
    /// Title shown to agents, in French.
    pub title: &'static str,
    /// The template source (usually `include_str!` of a file in `templates/editions/`).
    #[serde(skip)]
    pub source: &'static str,
}

impl EditionTemplate {
    /// A template; usable in a `const` or `static` list.
    #[must_use]
    pub const fn new(name: &'static str, title: &'static str, source: &'static str) -> Self {
        Self {
            name,
            title,
            source,
        }
    }
}

/// One `inventory` registration: a module linked into the binary.
///
/// Built by [`register_module!`](crate::register_module); plug-in authors do not name it.
#[doc(hidden)]
#[derive(Clone, Copy)]
pub struct Registration {
    module: &'static dyn Module,
}

impl Registration {
    /// Wraps a module for `inventory::submit!`.
    #[must_use]
    pub const fn new(module: &'static dyn Module) -> Self {
        Self { module }
    }

    /// The registered module.
    #[must_use]
    pub fn module(&self) -> &'static dyn Module {
        self.module
    }
}

inventory::collect!(Registration);

/// Registers a module with the core, so that every server it is linked into finds it.
///
/// The argument is a constant expression of a type implementing [`Module`], usually a unit
/// struct. Registration order means nothing: the [`ModuleRegistry`] orders modules by their
/// declared dependencies, then by id.
///
/// ```
/// use socle::prelude::*;
///
/// /// A module that only says hello.
/// pub struct Bonjour;
/// impl Module for Bonjour {
///     fn id(&self) -> &'static str { "bonjour" }
///     fn name(&self) -> &'static str { "Bonjour" }
///     fn version(&self) -> &'static str { "1.0.0" }
/// }
/// socle::register_module!(Bonjour);
///
/// let registry = socle::ModuleRegistry::discover().expect("modules cohérents");
/// assert!(registry.get("bonjour").is_some());
/// ```
#[macro_export]
macro_rules! register_module {
    ($module:expr) => {
        $crate::__private::inventory::submit! {
            $crate::module::Registration::new(&$module)
        }
    };
}

/// Declares a module's migrator: a sea-orm-migration `MigratorTrait` whose tracking table is
/// the module's own (`socle_migrations_<id>`), so modules never see each other's history.
///
/// ```ignore
/// socle::migrator!(Migrator, "cimetiere", [m20261124_000001_create_cimetiere::Migration]);
/// // then, in `impl Module`:
/// fn migrations(&self) -> Option<Migrations> { Some(Migrations::of::<Migrator>()) }
/// ```
#[macro_export]
macro_rules! migrator {
    ($name:ident, $module_id:literal, [$($migration:expr),* $(,)?]) => {
        /// The module's migrator: its migrations, in order, and its own tracking table.
        pub struct $name;

        #[$crate::prelude::async_trait]
        impl $crate::__private::sea_orm_migration::MigratorTrait for $name {
            fn migration_table_name() -> $crate::__private::sea_orm_migration::sea_orm::DynIden {
                use $crate::__private::sea_orm_migration::sea_orm::sea_query::IntoIden;
                $crate::__private::sea_orm_migration::sea_orm::sea_query::Alias::new(
                    concat!("socle_migrations_", $module_id),
                )
                .into_iden()
            }

            fn migrations() -> Vec<Box<dyn $crate::__private::sea_orm_migration::MigrationTrait>> {
                vec![$(Box::new($migration)),*]
            }
        }
    };
}
