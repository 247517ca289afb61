//! A module's migrations, as a value the registry can run.

use std::future::Future;
use std::pin::Pin;

use sea_orm::{DatabaseConnection, DbErr};
use sea_orm_migration::MigratorTrait;

type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;
type UpFn = for<'a> fn(&'a DatabaseConnection) -> BoxFuture<'a, Result<(), DbErr>>;
type PendingFn = for<'a> fn(&'a DatabaseConnection) -> BoxFuture<'a, Result<Vec<String>, DbErr>>;

/// The migrations of one module, wrapped from a sea-orm-migration `MigratorTrait` (usually
/// declared with [`migrator!`](crate::migrator)).
///
/// Migrations are versioned, named `mYYYYMMDD_NNNNNN_<verb>_<noun>`, have `up` and `down`, and are
/// tracked in the module's own table: running them twice applies nothing the second time.
#[derive(Clone, Copy)]
pub struct Migrations {
    up: UpFn,
    pending: PendingFn,
    table: fn() -> String,
}

impl std::fmt::Debug for Migrations {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Migrations")
            .field("table", &(self.table)())
            .finish()
    }
}

fn up_of<M: MigratorTrait>(db: &DatabaseConnection) -> BoxFuture<'_, Result<(), DbErr>> {
    Box::pin(async move { M::up(db, None).await })
}

fn pending_of<M: MigratorTrait>(
    db: &DatabaseConnection,
) -> BoxFuture<'_, Result<Vec<String>, DbErr>> {
    Box::pin(async move {
        Ok(M::get_pending_migrations(db)
            .await?
            .iter()
            .map(|m| m.name().to_owned())
            .collect())
    })
}

fn table_of<M: MigratorTrait>() -> String {
    M::migration_table_name().to_string()
}

impl Migrations {
    /// The migrations of the migrator `M`.
    #[must_use]
    pub const fn of<M: MigratorTrait>() -> Self {
        Self {
            up: up_of::<M>,
            pending: pending_of::<M>,
            table: table_of::<M>,
        }
    }

    /// Applies every pending migration, in order.
    ///
    /// # Errors
    /// The first migration that fails; what it had done is rolled back where the database
    /// allows transactional DDL (PostgreSQL).
    pub async fn up(&self, db: &DatabaseConnection) -> Result<(), DbErr> {
        (self.up)(db).await
    }

    /// Names of the migrations not yet applied.
    ///
    /// # Errors
    /// The tracking table could not be read.
    pub async fn pending(&self, db: &DatabaseConnection) -> Result<Vec<String>, DbErr> {
        (self.pending)(db).await
    }

    /// Name of the table that records which migrations were applied.
    #[must_use]
    pub fn table_name(&self) -> String {
        (self.table)()
    }
}
