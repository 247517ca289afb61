//! Migration helpers: every domain table carries its collectivité.
//!
//! ```ignore
//! Table::create()
//!     .table(Cimetiere::Table)
//!     .col(ColumnDef::new(Cimetiere::Id).uuid().not_null().primary_key())
//!     .col(socle::collectivite::schema::collectivite_id())
//!     .foreign_key(&mut socle::collectivite::schema::collectivite_fk("cimetiere"))
//! ```

use sea_orm_migration::prelude::*;

/// Name of the column that ties a row to its collectivité.
pub const COLUMN: &str = "collectivite_id";

/// The `collectivite_id uuid NOT NULL` column.
#[must_use]
pub fn collectivite_id() -> ColumnDef {
    ColumnDef::new(Alias::new(COLUMN))
        .uuid()
        .not_null()
        .to_owned()
}

/// The foreign key from `table.collectivite_id` to `collectivite.id`; a collectivité that still
/// owns rows cannot be deleted.
#[must_use]
pub fn collectivite_fk(table: &str) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .name(format!("fk_{table}_collectivite"))
        .from(Alias::new(table), Alias::new(COLUMN))
        .to(Alias::new("collectivite"), Alias::new("id"))
        .on_delete(ForeignKeyAction::Restrict)
        .to_owned()
}
