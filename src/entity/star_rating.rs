//! The `star_rating` table.

use sea_orm::entity::prelude::*;

/// A compound's rating in a round, together with its property company.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize, serde::Deserialize)]
#[sea_orm(table_name = "star_rating")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub round_id: i64,
    pub compound_id: i64,
    /// The company under contract with the compound when the round opened.
    pub company_id: i64,
    /// Points from 0 to 100; empty until rated.
    pub score: Option<i32>,
    /// Stars from 1 to the round's scale, from the score.
    pub stars: Option<i32>,
    pub note: String,
    /// Its place once the round is published, 1 the best.
    pub rank: Option<i32>,
    /// Named at the bottom in the round's notice (通报).
    pub named_in_notice: bool,
    pub rated_by: Option<i64>,
    pub rated_at: Option<DateTimeUtc>,
}

/// Relations are followed through DataLoaders and explicit queries, not joins.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
