//! Migration helpers: every domain table carries its collectivité; common column and index
//! shapes.
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

/// A `uuid NOT NULL PRIMARY KEY` column.
#[must_use]
pub fn uuid_pk(col: impl IntoIden) -> ColumnDef {
    ColumnDef::new(col)
        .uuid()
        .not_null()
        .primary_key()
        .to_owned()
}

/// A `NOT NULL` timestamp with time zone column.
#[must_use]
pub fn instant(col: impl IntoIden) -> ColumnDef {
    ColumnDef::new(col)
        .timestamp_with_time_zone()
        .not_null()
        .to_owned()
}

/// A `NOT NULL` text column of at most `len` characters.
#[must_use]
pub fn texte(col: impl IntoIden, len: u32) -> ColumnDef {
    ColumnDef::new(col).string_len(len).not_null().to_owned()
}

/// A nullable text column of at most `len` characters.
#[must_use]
pub fn texte_null(col: impl IntoIden, len: u32) -> ColumnDef {
    ColumnDef::new(col).string_len(len).null().to_owned()
}

/// A `NOT NULL` date column.
#[must_use]
pub fn date(col: impl IntoIden) -> ColumnDef {
    ColumnDef::new(col).date().not_null().to_owned()
}

/// A nullable date column.
#[must_use]
pub fn date_null(col: impl IntoIden) -> ColumnDef {
    ColumnDef::new(col).date().null().to_owned()
}

/// A `NOT NULL` UUID column referring to a record (of this module or another).
#[must_use]
pub fn identifiant(col: impl IntoIden) -> ColumnDef {
    ColumnDef::new(col).uuid().not_null().to_owned()
}

/// A nullable UUID column referring to a record.
#[must_use]
pub fn identifiant_null(col: impl IntoIden) -> ColumnDef {
    ColumnDef::new(col).uuid().null().to_owned()
}

/// An index named `name` on `table`'s columns `cols`, in order (add `.unique()` if it is).
#[must_use]
pub fn index(name: &str, table: impl IntoIden, cols: &[&str]) -> IndexCreateStatement {
    let mut index = Index::create().name(name).table(table).to_owned();
    for col in cols {
        index.col(Alias::new(*col));
    }
    index
}
