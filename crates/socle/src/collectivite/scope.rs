//! Tenant scoping, applied once: every query of a module's records goes through
//! [`TenantScoped`], so no handler can forget the collectivité.

use sea_orm::{
    ColumnTrait, ConnectionTrait, DbErr, EntityTrait, PrimaryKeyTrait, QueryFilter, Select,
};
use uuid::Uuid;

/// An entity whose rows each belong to one collectivité.
pub trait TenantScoped: EntityTrait {
    /// The entity's `collectivite_id` column.
    fn collectivite_column() -> Self::Column;

    /// All rows of one collectivité.
    fn find_in(collectivite_id: Uuid) -> Select<Self> {
        Self::find().filter(Self::collectivite_column().eq(collectivite_id))
    }

    /// The row `id` if it belongs to the collectivité; a row of another collectivité is not
    /// found, exactly like a row that does not exist.
    ///
    /// # Errors
    /// The query failed.
    #[allow(
        async_fn_in_trait,
        reason = "used from handlers on a multi-threaded runtime only through concrete types"
    )]
    async fn find_one_in<C: ConnectionTrait>(
        db: &C,
        collectivite_id: Uuid,
        id: Uuid,
    ) -> Result<Option<Self::Model>, DbErr>
    where
        <Self::PrimaryKey as PrimaryKeyTrait>::ValueType: From<Uuid>,
    {
        Self::find_by_id(id)
            .filter(Self::collectivite_column().eq(collectivite_id))
            .one(db)
            .await
    }
}
