//! The `event_handler` table.

use crate::domain::kinds::EventHandlerKind;
use sea_orm::entity::prelude::*;

/// An organisation or person of a subdistrict grid events are dispatched to.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize, serde::Deserialize)]
#[sea_orm(table_name = "event_handler")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub subdistrict_id: i64,
    pub name: String,
    pub kind: EventHandlerKind,
    pub created_by: i64,
    pub created_at: DateTimeUtc,
}

/// Relations are followed through DataLoaders and explicit queries, not joins.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
