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

/// Completes an entity whose rows each belong to one collectivité, once its `Model` is
/// declared: a `Relation` enum without relations (they are declared where a query needs them),
/// the default `ActiveModelBehavior`, and [`TenantScoped`] on its `collectivite_id` column.
/// Call it in the entity's module, after `Model`, with the visibility its `Relation` should
/// have; the module imports `sea_orm::entity::prelude::*` as every entity does.
///
/// ```ignore
/// pub(crate) mod travaux {
///     use sea_orm::entity::prelude::*;
///
///     #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
///     #[sea_orm(table_name = "cimetiere_travaux")]
///     pub(crate) struct Model {
///         #[sea_orm(primary_key, auto_increment = false)]
///         pub(crate) id: Uuid,
///         pub(crate) collectivite_id: Uuid,
///         // …
///     }
///
///     socle::entite_par_collectivite!(pub(crate));
/// }
/// ```
#[macro_export]
macro_rules! entite_par_collectivite {
    ($visibilite:vis) => {
        /// Relations are declared where a query needs them.
        #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
        $visibilite enum Relation {}

        impl ActiveModelBehavior for ActiveModel {}

        impl $crate::collectivite::TenantScoped for Entity {
            fn collectivite_column() -> Column {
                Column::CollectiviteId
            }
        }
    };
}
