//! The annual summary of people's small things, for the secretaries'
//! annual review: per community or subdistrict and year, how many
//! projects stand in each status, what was budgeted and spent, and how
//! residents rated them. At most five statements whatever the number of
//! projects: the subdistrict's communities, the projects, then the rows of
//! their budgets, spending and ratings, summed here.

use std::collections::HashMap;

use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};

use crate::domain::kinds::ProjectStatus;
use crate::entity::{community, project, project_budget, project_rating, project_spending};
use crate::error::AppResult;

/// The unit a summary covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SummaryUnit {
    /// One community.
    Community(i64),
    /// Every community of one subdistrict.
    Subdistrict(i64),
}

/// The figures of one unit and year.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Summary {
    /// Projects proposed in the year, by their status now, in lifecycle order.
    pub by_status: Vec<(ProjectStatus, i64)>,
    /// All projects proposed in the year.
    pub projects: i64,
    /// The budgets in force of the approved ones, in fen.
    pub budget_fen: i64,
    /// What was spent on them, in fen.
    pub spent_fen: i64,
    /// Ratings given, in every round.
    pub ratings: i64,
    /// Their stars, added up.
    pub stars_total: i64,
}

/// The summary of `unit` for the projects proposed in `year`.
pub async fn summary(
    db: &impl ConnectionTrait,
    unit: SummaryUnit,
    year: i32,
) -> AppResult<Summary> {
    let communities: Vec<i64> = match unit {
        SummaryUnit::Community(c) => vec![c],
        SummaryUnit::Subdistrict(s) => community::Entity::find()
            .filter(community::Column::SubdistrictId.eq(s))
            .all(db)
            .await?
            .into_iter()
            .map(|c| c.id)
            .collect(),
    };
    let projects = project::Entity::find()
        .filter(project::Column::CommunityId.is_in(communities))
        .filter(project::Column::Year.eq(year))
        .all(db)
        .await?;
    let ids: Vec<i64> = projects.iter().map(|p| p.id).collect();
    let mut out = Summary {
        projects: i64::try_from(projects.len()).unwrap_or(i64::MAX),
        ..Summary::default()
    };
    let mut counts: HashMap<ProjectStatus, i64> = HashMap::new();
    for p in &projects {
        *counts.entry(p.status).or_default() += 1;
    }
    out.by_status = ProjectStatus::ALL
        .iter()
        .map(|s| (*s, counts.get(s).copied().unwrap_or(0)))
        .collect();
    if ids.is_empty() {
        return Ok(out);
    }
    let mut decisions: HashMap<i64, Vec<project_budget::Model>> = HashMap::new();
    for b in project_budget::Entity::find()
        .filter(project_budget::Column::ProjectId.is_in(ids.clone()))
        .all(db)
        .await?
    {
        decisions.entry(b.project_id).or_default().push(b);
    }
    out.budget_fen = decisions
        .values()
        .filter_map(|d| super::budget_in_force(d))
        .sum();
    out.spent_fen = project_spending::Entity::find()
        .filter(project_spending::Column::ProjectId.is_in(ids.clone()))
        .all(db)
        .await?
        .iter()
        .map(|s| s.amount_fen)
        .sum();
    let ratings = project_rating::Entity::find()
        .filter(project_rating::Column::ProjectId.is_in(ids))
        .all(db)
        .await?;
    out.ratings = i64::try_from(ratings.len()).unwrap_or(i64::MAX);
    out.stars_total = ratings.iter().map(|r| i64::from(r.stars)).sum();
    Ok(out)
}
