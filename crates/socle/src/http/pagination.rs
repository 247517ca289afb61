//! Cursor pagination: stable pages over lists that change while a client walks them.
//!
//! Records are identified by UUID v7, which sort in creation order; a page lists the records
//! after the cursor (the last id of the previous page), so no record is shown twice and records
//! created after the walk began come at its end. (A record whose id was drawn before the cursor
//! but committed after the page was read can be missed; incremental synchronisation uses a
//! modification date, not this cursor.)

use sea_orm::{
    ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Select,
};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;
use validator::Validate;

/// Default page size.
pub const DEFAULT_LIMIT: u64 = 50;
/// Largest page size.
pub const MAX_LIMIT: u64 = 500;

/// Query parameters of a paginated list.
#[derive(Debug, Clone, Default, Deserialize, Validate, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PageParams {
    /// How many records at most (1 to 500, 50 by default).
    #[validate(range(min = 1, max = 500))]
    #[param(minimum = 1, maximum = 500, default = 50)]
    pub limit: Option<u64>,
    /// The `next_cursor` of the previous page; absent for the first page.
    pub cursor: Option<Uuid>,
}

/// One page of a list.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Page<T> {
    /// The records of this page, oldest first.
    pub items: Vec<T>,
    /// Pass it as `cursor` to get the next page; absent on the last page.
    pub next_cursor: Option<Uuid>,
}

impl<T> Page<T> {
    /// The same page with each item converted.
    #[must_use]
    pub fn map<U>(self, f: impl FnMut(T) -> U) -> Page<U> {
        Page {
            items: self.items.into_iter().map(f).collect(),
            next_cursor: self.next_cursor,
        }
    }
}

/// Fetches one page of `select`, ordered by the UUID column `id`.
///
/// # Errors
/// The query failed.
pub async fn fetch_page<E, C>(
    db: &C,
    select: Select<E>,
    id: E::Column,
    id_of: fn(&E::Model) -> Uuid,
    params: &PageParams,
) -> Result<Page<E::Model>, DbErr>
where
    E: EntityTrait,
    C: ConnectionTrait,
{
    let limit = params.limit.unwrap_or(DEFAULT_LIMIT).clamp(1, MAX_LIMIT);
    let mut select = select.order_by_asc(id).limit(limit + 1);
    if let Some(cursor) = params.cursor {
        select = select.filter(id.gt(cursor));
    }
    let mut items = select.all(db).await?;
    let next_cursor = if items.len() as u64 > limit {
        items.truncate(usize::try_from(limit).unwrap_or(usize::MAX));
        items.last().map(id_of)
    } else {
        None
    };
    Ok(Page { items, next_cursor })
}
