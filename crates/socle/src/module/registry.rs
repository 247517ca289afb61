//! The registry: every module linked into the binary, validated and ordered.
//!
//! Why the order matters: a module's tables reference the tables of the modules it depends on
//! (every domain table references `collectivite`), so its migrations must run after theirs, and
//! its demo data may use theirs. `inventory` gives registrations in no particular order, so the
//! registry sorts them itself: dependencies first, then by id, the same on every start.

use std::collections::{BTreeMap, BTreeSet};

use sea_orm::{ConnectionTrait, DatabaseConnection, DbBackend, TransactionTrait};
use serde::Serialize;
use utoipa::ToSchema;

use super::{EditionTemplate, EventDecl, Migrations, Module, Permission, Registration};
use crate::db::DbError;

/// Why the set of linked modules cannot start.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[non_exhaustive]
pub enum ModuleError {
    /// Two different modules declare the same id.
    #[error(
        "deux modules déclarent l'identifiant « {id} » : {first} et {second} ; retirez l'un des deux ou changez son identifiant"
    )]
    DuplicateId {
        /// The id both declare.
        id: String,
        /// Rust type of the first module found.
        first: String,
        /// Rust type of the second one.
        second: String,
    },
    /// A module needs another one that is not linked (or not enabled).
    #[error(
        "le module « {module} » ({module_type}) dépend du module « {missing} », qui n'est pas présent dans ce serveur ; ajoutez-le ou retirez « {module} »"
    )]
    MissingDependency {
        /// The module that declares the dependency.
        module: String,
        /// Its Rust type.
        module_type: String,
        /// The id it needs.
        missing: String,
    },
    /// Modules depend on each other in a circle.
    #[error("dépendances circulaires entre les modules : {}", modules.join(", "))]
    DependencyCycle {
        /// The modules caught in the cycle.
        modules: Vec<String>,
    },
    /// A module id the core itself uses.
    #[error("l'identifiant de module « {id} » ({module_type}) est réservé par le cœur")]
    ReservedId {
        /// The id.
        id: String,
        /// The module's Rust type.
        module_type: String,
    },
    /// A module's migrations are tracked in a table that is not its own.
    #[error(
        "les migrations du module « {module} » doivent être suivies dans la table « {expected} », pas « {actual} » (déclarez-les avec socle::migrator!(…, \"{module}\", …))"
    )]
    MigrationTable {
        /// The module.
        module: String,
        /// `socle_migrations_<id>`.
        expected: String,
        /// The table its migrator declares.
        actual: String,
    },
    /// A route does not declare who may call it.
    #[error(
        "la route {method} {path} ne déclare pas qui peut l'appeler : ajoutez security(...) à son #[utoipa::path]"
    )]
    UndeclaredAccess {
        /// HTTP method.
        method: String,
        /// Path template.
        path: String,
    },
    /// Two operations of the API would share one `operationId`, which generated clients name
    /// their methods after.
    #[error(
        "deux opérations de l'API s'appelleraient « {0} » : renommez le gestionnaire de l'une d'elles"
    )]
    OperationEnDouble(String),
    /// A route requires a permission that no module declares (a typo, or a missing module).
    #[error("la route {path} exige la permission « {action} », qu'aucun module ne déclare")]
    UnknownPermission {
        /// Path template.
        path: String,
        /// The permission.
        action: String,
    },
    /// A module id that cannot name a route or a table.
    #[error(
        "identifiant de module invalide « {id} » ({module_type}) : lettres minuscules sans accent, chiffres et tirets seulement, commençant par une lettre"
    )]
    InvalidId {
        /// The id as declared.
        id: String,
        /// The module's Rust type.
        module_type: String,
    },
    /// A permission or event name outside the module's namespace.
    #[error(
        "le nom « {name} » déclaré par le module « {module} » doit commencer par « {module}. »"
    )]
    OutsideNamespace {
        /// The module.
        module: String,
        /// The permission or event name.
        name: String,
    },
    /// The configuration enables a module that is not linked into this binary.
    #[error("le module « {id} » est activé dans la configuration mais n'est pas présent dans ce serveur ; modules présents : {}", available.join(", "))]
    UnknownEnabled {
        /// The id asked for.
        id: String,
        /// The ids that are linked.
        available: Vec<String>,
    },
}

/// The core's own modules: always present, always enabled.
fn core_modules() -> [&'static dyn Module; 10] {
    [
        &crate::collectivite::Collectivites,
        &crate::droits::Droits,
        &crate::editions::Editions,
        &crate::evenements::Evenements,
        &crate::ged::Documents,
        &crate::journal::Journal,
        &crate::parapheur::Signatures,
        &crate::rgpd::Rgpd,
        &crate::sig::Sig,
        &crate::usager::Usagers,
    ]
}

/// Every module of this application, validated and in start-up order.
#[derive(Clone)]
pub struct ModuleRegistry {
    modules: Vec<&'static dyn Module>,
}

impl std::fmt::Debug for ModuleRegistry {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list().entries(self.ids()).finish()
    }
}

/// Builds a [`ModuleRegistry`]: the core's modules, plus those discovered through `inventory`
/// or named explicitly, optionally narrowed to the ones a commune enables.
#[derive(Default)]
pub struct RegistryBuilder {
    modules: Vec<&'static dyn Module>,
    enabled: Option<Vec<String>>,
}

impl RegistryBuilder {
    /// Adds every module registered with [`register_module!`](crate::register_module) in the
    /// crates linked into this binary.
    #[must_use]
    pub fn discovered(mut self) -> Self {
        self.modules
            .extend(inventory::iter::<Registration>().map(Registration::module));
        self
    }

    /// Adds one module by value. Naming a module that is also registered is harmless: the same
    /// module is kept once.
    #[must_use]
    pub fn module(mut self, module: &'static dyn Module) -> Self {
        self.modules.push(module);
        self
    }

    /// Keeps only these modules (and the core's). Each id must be linked; the others are left
    /// out: not migrated, not mounted.
    #[must_use]
    pub fn enable_only<I, S>(mut self, ids: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.enabled = Some(ids.into_iter().map(Into::into).collect());
        self
    }

    /// Validates the set and orders it.
    ///
    /// # Errors
    /// A malformed id, two modules with one id, an enabled module that is not linked, a missing
    /// dependency, a dependency cycle, or a permission or event outside its module's namespace.
    pub fn build(self) -> Result<ModuleRegistry, ModuleError> {
        let mut by_id: BTreeMap<&'static str, &'static dyn Module> = BTreeMap::new();
        for module in core_modules().into_iter().chain(self.modules) {
            check_module(module)?;
            if let Some(existing) = by_id.get(module.id()) {
                if existing.type_id() == module.type_id() {
                    continue;
                }
                return Err(ModuleError::DuplicateId {
                    id: module.id().to_owned(),
                    first: type_of(*existing).to_owned(),
                    second: type_of(module).to_owned(),
                });
            }
            by_id.insert(module.id(), module);
        }

        if let Some(enabled) = self.enabled {
            let core: BTreeSet<&str> = core_modules().iter().map(|m| m.id()).collect();
            for id in &enabled {
                if !by_id.contains_key(id.as_str()) {
                    return Err(ModuleError::UnknownEnabled {
                        id: id.clone(),
                        available: by_id.keys().map(|k| (*k).to_owned()).collect(),
                    });
                }
            }
            by_id.retain(|id, _| core.contains(id) || enabled.iter().any(|e| e == id));
        }

        for module in by_id.values() {
            for dep in module.dependencies() {
                if !by_id.contains_key(dep) {
                    return Err(ModuleError::MissingDependency {
                        module: module.id().to_owned(),
                        module_type: type_of(*module).to_owned(),
                        missing: (*dep).to_owned(),
                    });
                }
            }
        }

        Ok(ModuleRegistry {
            modules: dependency_order(&by_id)?,
        })
    }
}

fn type_of(module: &dyn Module) -> &'static str {
    module.type_name()
}

fn valid_id(id: &str) -> bool {
    let mut chars = id.chars();
    chars.next().is_some_and(|c| c.is_ascii_lowercase())
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        && !id.ends_with('-')
        && id.len() <= 40
}

/// Ids the core's own routes use under `/api/v1/`.
const RESERVED_IDS: &[&str] = &["modules"];

/// The migration tracking table of module `id`.
#[must_use]
pub fn migration_table(id: &str) -> String {
    format!("socle_migrations_{id}")
}

fn check_module(module: &'static dyn Module) -> Result<(), ModuleError> {
    let id = module.id();
    if !valid_id(id) {
        return Err(ModuleError::InvalidId {
            id: id.to_owned(),
            module_type: type_of(module).to_owned(),
        });
    }
    if RESERVED_IDS.contains(&id) {
        return Err(ModuleError::ReservedId {
            id: id.to_owned(),
            module_type: type_of(module).to_owned(),
        });
    }
    if let Some(migrations) = module.migrations() {
        let (expected, actual) = (migration_table(id), migrations.table_name());
        if expected != actual {
            return Err(ModuleError::MigrationTable {
                module: id.to_owned(),
                expected,
                actual,
            });
        }
    }
    let snake = id.replace('-', "_");
    let names = module
        .permissions()
        .iter()
        .map(|p| p.action)
        .chain(module.events_emitted().iter().map(|e| e.name))
        .chain(module.traitements().iter().map(|t| t.objet_type));
    for name in names {
        // A plural id may name its events in the singular: `usagers` emits `usager.cree`.
        let singular = snake.strip_suffix('s').unwrap_or(&snake);
        let inside = [id, snake.as_str(), singular].iter().any(|prefix| {
            name.strip_prefix(prefix)
                .is_some_and(|rest| rest.starts_with('.') && rest.len() > 1)
        });
        if !inside {
            return Err(ModuleError::OutsideNamespace {
                module: id.to_owned(),
                name: name.to_owned(),
            });
        }
    }
    Ok(())
}

/// Kahn's algorithm; among the modules whose dependencies are met, the smallest id goes first.
fn dependency_order(
    by_id: &BTreeMap<&'static str, &'static dyn Module>,
) -> Result<Vec<&'static dyn Module>, ModuleError> {
    let mut remaining: BTreeMap<&str, BTreeSet<&str>> = by_id
        .iter()
        .map(|(id, m)| (*id, m.dependencies().iter().copied().collect()))
        .collect();
    let mut ordered = Vec::with_capacity(by_id.len());
    while !remaining.is_empty() {
        let Some(next) = remaining
            .iter()
            .find(|(_, deps)| deps.is_empty())
            .map(|(id, _)| *id)
        else {
            return Err(ModuleError::DependencyCycle {
                modules: remaining.keys().map(|k| (*k).to_owned()).collect(),
            });
        };
        remaining.remove(next);
        for deps in remaining.values_mut() {
            deps.remove(next);
        }
        ordered.push(by_id[next]);
    }
    Ok(ordered)
}

impl ModuleRegistry {
    /// A builder that starts with the core's modules.
    #[must_use]
    pub fn builder() -> RegistryBuilder {
        RegistryBuilder::default()
    }

    /// The core's modules and every module registered in a linked crate.
    ///
    /// # Errors
    /// See [`RegistryBuilder::build`].
    pub fn discover() -> Result<Self, ModuleError> {
        Self::builder().discovered().build()
    }

    /// The modules, dependencies first.
    pub fn iter(&self) -> impl Iterator<Item = &'static dyn Module> + '_ {
        self.modules.iter().copied()
    }

    /// The module with this id.
    #[must_use]
    pub fn get(&self, id: &str) -> Option<&'static dyn Module> {
        self.iter().find(|m| m.id() == id)
    }

    /// The ids, in start-up order.
    #[must_use]
    pub fn ids(&self) -> Vec<&'static str> {
        self.iter().map(|m| m.id()).collect()
    }

    /// What each module declares, for `/api/v1/modules` and `socle modules`.
    #[must_use]
    pub fn infos(&self) -> Vec<ModuleInfo> {
        self.iter().map(ModuleInfo::of).collect()
    }

    /// Applies every module's pending migrations, in start-up order. Running it again applies
    /// nothing. On PostgreSQL, a transaction-level advisory lock makes concurrent servers wait
    /// for each other instead of migrating the same database twice.
    ///
    /// # Errors
    /// The first module whose migration fails, named.
    pub async fn migrate(
        &self,
        db: &DatabaseConnection,
    ) -> Result<Vec<AppliedMigrations>, DbError> {
        let lock = match db.get_database_backend() {
            DbBackend::Postgres => {
                #[allow(
                    clippy::disallowed_methods,
                    reason = "migrations run before any change, under their own advisory lock"
                )]
                let txn = db.begin().await.map_err(|source| DbError::Migration {
                    module: "*".into(),
                    source,
                })?;
                txn.execute_unprepared("SELECT pg_advisory_xact_lock(hashtext('socle_migrations.' || current_schema()))")
                    .await
                    .map_err(|source| DbError::Migration {
                        module: "*".into(),
                        source,
                    })?;
                Some(txn)
            }
            _ => None,
        };
        let mut report = Vec::new();
        for (module, migrations, pending) in self.pending(db).await? {
            if !pending.is_empty() {
                tracing::info!(module, count = pending.len(), "applying migrations");
                migrations
                    .up(db)
                    .await
                    .map_err(|source| DbError::Migration {
                        module: module.to_owned(),
                        source,
                    })?;
            }
            report.push(AppliedMigrations {
                module,
                applied: pending,
            });
        }
        if let Some(txn) = lock {
            // Committing releases the advisory lock.
            txn.commit().await.map_err(|source| DbError::Migration {
                module: "*".into(),
                source,
            })?;
        }
        Ok(report)
    }

    /// The migrations not yet applied, for each module that has some.
    ///
    /// # Errors
    /// A tracking table could not be read.
    pub async fn pending_migrations(
        &self,
        db: &DatabaseConnection,
    ) -> Result<Vec<AppliedMigrations>, DbError> {
        Ok(self
            .pending(db)
            .await?
            .into_iter()
            .filter(|(_, _, pending)| !pending.is_empty())
            .map(|(module, _, applied)| AppliedMigrations { module, applied })
            .collect())
    }

    async fn pending(
        &self,
        db: &DatabaseConnection,
    ) -> Result<Vec<(&'static str, Migrations, Vec<String>)>, DbError> {
        let mut all = Vec::new();
        for module in self.iter() {
            if let Some(migrations) = module.migrations() {
                let pending =
                    migrations
                        .pending(db)
                        .await
                        .map_err(|source| DbError::Migration {
                            module: module.id().to_owned(),
                            source,
                        })?;
                all.push((module.id(), migrations, pending));
            }
        }
        Ok(all)
    }
}

/// The migrations one module applied (or would apply).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AppliedMigrations {
    /// The module id.
    pub module: &'static str,
    /// Names of the migrations, in order.
    pub applied: Vec<String>,
}

/// What a module declares, as shown by `/api/v1/modules`.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ModuleInfo {
    /// Stable id; the module's routes are under `/api/v1/<id>/`.
    pub id: &'static str,
    /// Name shown to agents.
    pub name: &'static str,
    /// Module version.
    pub version: &'static str,
    /// What the module manages.
    pub description: &'static str,
    /// Ids of the modules it needs.
    pub dependencies: Vec<&'static str>,
    /// Actions a role can grant.
    pub permissions: Vec<Permission>,
    /// Events it emits.
    pub events_emitted: Vec<EventDecl>,
    /// Events it reacts to.
    pub events_handled: Vec<&'static str>,
    /// Document templates it ships.
    pub editions: Vec<EditionTemplate>,
}

impl ModuleInfo {
    fn of(module: &'static dyn Module) -> Self {
        Self {
            id: module.id(),
            name: module.name(),
            version: module.version(),
            description: module.description(),
            dependencies: module.dependencies().to_vec(),
            permissions: module.permissions().to_vec(),
            events_emitted: module.events_emitted().to_vec(),
            events_handled: module.events_handled().to_vec(),
            editions: module.editions().to_vec(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    macro_rules! test_module {
        ($ty:ident, $id:literal, [$($dep:literal),*]) => {
            struct $ty;
            impl Module for $ty {
                fn id(&self) -> &'static str { $id }
                fn name(&self) -> &'static str { $id }
                fn version(&self) -> &'static str { "0.0.0" }
                fn dependencies(&self) -> &'static [&'static str] { &[$($dep),*] }
            }
        };
    }

    test_module!(Zeta, "zeta", ["collectivites"]);
    test_module!(Alpha, "alpha", ["zeta"]);
    test_module!(Beta, "beta", ["collectivites"]);
    test_module!(OtherZeta, "zeta", []);
    test_module!(NeedsGhost, "orphelin", ["fantome"]);
    test_module!(LoopA, "boucle-a", ["boucle-b"]);
    test_module!(LoopB, "boucle-b", ["boucle-a"]);
    test_module!(BadId, "État-Civil", []);

    struct Leaky;
    impl Module for Leaky {
        fn id(&self) -> &'static str {
            "fuite"
        }
        fn name(&self) -> &'static str {
            "Fuite"
        }
        fn version(&self) -> &'static str {
            "0.0.0"
        }
        fn permissions(&self) -> &'static [Permission] {
            &[Permission {
                action: "autre.chose.lire",
                description: "lire",
                plateforme: false,
            }]
        }
    }

    #[test]
    fn orders_by_dependencies_then_id() {
        let registry = ModuleRegistry::builder()
            .module(&Alpha)
            .module(&Beta)
            .module(&Zeta)
            .build()
            .expect("valid set");
        assert_eq!(
            registry.ids(),
            [
                "collectivites",
                "beta",
                "droits",
                "editions",
                "evenements",
                "ged",
                "journal",
                "parapheur",
                "rgpd",
                "sig",
                "usagers",
                "zeta",
                "alpha"
            ]
        );
    }

    #[test]
    fn same_module_twice_is_kept_once() {
        let registry = ModuleRegistry::builder()
            .module(&Beta)
            .module(&Beta)
            .build()
            .expect("valid set");
        assert_eq!(
            registry.ids(),
            [
                "collectivites",
                "beta",
                "droits",
                "editions",
                "evenements",
                "ged",
                "journal",
                "parapheur",
                "rgpd",
                "sig",
                "usagers"
            ]
        );
    }

    #[test]
    fn duplicate_id_names_both_modules() {
        let err = ModuleRegistry::builder()
            .module(&Zeta)
            .module(&OtherZeta)
            .build()
            .expect_err("duplicate id");
        let ModuleError::DuplicateId { id, first, second } = &err else {
            panic!("unexpected error {err:?}");
        };
        assert_eq!(id, "zeta");
        assert!(first.ends_with("::Zeta"), "{first}");
        assert!(second.ends_with("::OtherZeta"), "{second}");
        let text = err.to_string();
        assert!(
            text.contains("Zeta") && text.contains("OtherZeta"),
            "{text}"
        );
    }

    #[test]
    fn missing_dependency_names_both_modules() {
        let err = ModuleRegistry::builder()
            .module(&NeedsGhost)
            .build()
            .expect_err("missing dependency");
        assert_eq!(
            err,
            ModuleError::MissingDependency {
                module: "orphelin".into(),
                module_type: std::any::type_name::<NeedsGhost>().into(),
                missing: "fantome".into(),
            }
        );
        assert!(err.to_string().contains("« orphelin »"));
        assert!(err.to_string().contains("« fantome »"));
    }

    #[test]
    fn disabling_a_dependency_is_a_missing_dependency() {
        let err = ModuleRegistry::builder()
            .module(&Alpha)
            .module(&Zeta)
            .enable_only(["alpha"])
            .build()
            .expect_err("zeta disabled");
        assert!(
            matches!(err, ModuleError::MissingDependency { ref missing, .. } if missing == "zeta")
        );
    }

    #[test]
    fn enable_only_keeps_core_and_named_modules() {
        let registry = ModuleRegistry::builder()
            .module(&Alpha)
            .module(&Zeta)
            .module(&Beta)
            .enable_only(["zeta", "alpha"])
            .build()
            .expect("valid set");
        assert_eq!(
            registry.ids(),
            [
                "collectivites",
                "droits",
                "editions",
                "evenements",
                "ged",
                "journal",
                "parapheur",
                "rgpd",
                "sig",
                "usagers",
                "zeta",
                "alpha"
            ]
        );
    }

    #[test]
    fn enabling_an_unlinked_module_is_refused() {
        let err = ModuleRegistry::builder()
            .module(&Beta)
            .enable_only(["cimetiere"])
            .build()
            .expect_err("not linked");
        assert_eq!(
            err,
            ModuleError::UnknownEnabled {
                id: "cimetiere".into(),
                available: vec![
                    "beta".into(),
                    "collectivites".into(),
                    "droits".into(),
                    "editions".into(),
                    "evenements".into(),
                    "ged".into(),
                    "journal".into(),
                    "parapheur".into(),
                    "rgpd".into(),
                    "sig".into(),
                    "usagers".into()
                ],
            }
        );
    }

    #[test]
    fn cycle_is_refused() {
        let err = ModuleRegistry::builder()
            .module(&LoopA)
            .module(&LoopB)
            .build()
            .expect_err("cycle");
        assert_eq!(
            err,
            ModuleError::DependencyCycle {
                modules: vec!["boucle-a".into(), "boucle-b".into()]
            }
        );
    }

    #[test]
    fn bad_id_is_refused() {
        let err = ModuleRegistry::builder()
            .module(&BadId)
            .build()
            .expect_err("bad id");
        assert!(matches!(err, ModuleError::InvalidId { .. }));
        for good in ["cimetiere", "etat-civil", "salles2"] {
            assert!(valid_id(good), "{good}");
        }
        for bad in ["", "-x", "x-", "Cimetiere", "état", "a_b", "2a"] {
            assert!(!valid_id(bad), "{bad}");
        }
    }

    test_module!(Reserved, "modules", []);

    #[test]
    fn reserved_id_is_refused() {
        let err = ModuleRegistry::builder()
            .module(&Reserved)
            .build()
            .expect_err("reserved");
        assert!(matches!(err, ModuleError::ReservedId { ref id, .. } if id == "modules"));
    }

    struct Hyphen;
    impl Module for Hyphen {
        fn id(&self) -> &'static str {
            "etat-civil"
        }
        fn name(&self) -> &'static str {
            "État civil"
        }
        fn version(&self) -> &'static str {
            "0.0.0"
        }
        fn events_emitted(&self) -> &'static [EventDecl] {
            const E: &[EventDecl] = &[
                EventDecl::new("etat_civil.deces_enregistre", "décès"),
                EventDecl::new("etat-civil.naissance_enregistree", "naissance"),
            ];
            E
        }
    }

    #[test]
    fn names_may_use_the_id_with_underscores() {
        let registry = ModuleRegistry::builder()
            .module(&Hyphen)
            .build()
            .expect("both spellings of the namespace");
        assert!(registry.get("etat-civil").is_some());
    }

    #[test]
    fn permission_outside_namespace_is_refused() {
        let err = ModuleRegistry::builder()
            .module(&Leaky)
            .build()
            .expect_err("namespace");
        assert_eq!(
            err,
            ModuleError::OutsideNamespace {
                module: "fuite".into(),
                name: "autre.chose.lire".into()
            }
        );
    }
}
