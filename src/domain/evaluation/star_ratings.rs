//! The quarterly star rating (星级评定、每季评比) of a subdistrict's
//! commodity-housing compounds under property management, together with
//! their companies (DOMAIN.md, "Per compound").
//!
//! - A round is one subdistrict's quarter, opened by its staff (or those
//!   above). Opening takes every commodity-housing compound of the
//!   subdistrict with a property contract in force that day, each with its
//!   company, and the configured scale (`STAR_SCALE`, default 5 stars),
//!   which the round keeps.
//! - Each compound is rated 0 to 100 points; its stars follow from the
//!   points on the round's scale: ⌈points × scale / 100⌉, at least one.
//! - Publishing needs every compound rated. The ranking is by points,
//!   highest first; equal points share a rank (1, 2, 2, 4). The notice
//!   (通报) names the compound and its company for each of the
//!   `bottom_count` lowest places, every compound tied with the last of
//!   them included. A published round is public and never changes, and a
//!   company's ratings across rounds are its history.

use std::collections::HashMap;

use chrono::Datelike;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel,
    QueryFilter,
};

use crate::domain::access::{Caller, Permission, Scope};
use crate::domain::audit::{self, Subject};
use crate::domain::batch;
use crate::domain::evaluation::campaigns::YEARS;
use crate::domain::kinds::{CompoundKind, StarRoundStatus};
use crate::domain::operation::Operation;
use crate::domain::parties::linkage::contract_period;
use crate::domain::store::{lock_row, must_exist};
use crate::domain::unit_of_work::UnitOfWork;
use crate::domain::values::parse_text;
use crate::entity::{
    community, compound, property_contract, star_rating as rating, star_rating_round as round,
    subdistrict,
};
use crate::error::{AppError, AppResult, UserErrorCode};

const MANAGE: Permission = Permission::ManageEvaluations;

/// The most points a rating gives.
pub const MAX_POINTS: i32 = 100;

/// The stars `points` earn on a scale of `scale`: ⌈points × scale / 100⌉,
/// at least one.
pub fn stars(points: i32, scale: i32) -> i32 {
    ((points * scale + MAX_POINTS - 1) / MAX_POINTS).max(1)
}

/// The place of each rating by points (competition ranking), and whether
/// the notice names it: the `bottom` lowest places, ties with the last
/// included. `points` are given in any order; the answer is in the same.
pub fn rank(points: &[i32], bottom: usize) -> Vec<(i32, bool)> {
    let mut sorted = points.to_vec();
    sorted.sort_unstable_by(|a, b| b.cmp(a));
    let threshold = if bottom == 0 || sorted.is_empty() {
        None
    } else {
        Some(sorted[sorted.len() - bottom.min(sorted.len())])
    };
    points
        .iter()
        .map(|p| {
            let above = sorted.iter().take_while(|q| *q > p).count() as i32;
            (above + 1, threshold.is_some_and(|t| *p <= t))
        })
        .collect()
}

/// Whether `caller` sees round `r`'s ratings: anyone once it is published,
/// the staff over its subdistrict before.
pub async fn may_read(
    db: &impl ConnectionTrait,
    caller: &Caller,
    r: &round::Model,
) -> AppResult<bool> {
    if r.status == StarRoundStatus::Published {
        return Ok(true);
    }
    let scope = Scope::of_subdistrict(db, r.subdistrict_id).await?;
    Ok(caller.actor().is_ok_and(|a| a.can(MANAGE, &scope)))
}

/// A round to open.
pub struct NewRound {
    /// The subdistrict.
    pub subdistrict_id: i64,
    /// The year.
    pub year: i32,
    /// The quarter, 1 to 4.
    pub quarter: i32,
    /// How many of the lowest places the notice names.
    pub bottom_count: i32,
}

/// Opens a round with one rating to give for each commodity-housing
/// compound under a property contract today; `scale` is the configured
/// number of stars.
pub async fn open(
    uow: &UnitOfWork<'_>,
    new: NewRound,
    scale: i32,
) -> AppResult<(round::Model, Vec<rating::Model>)> {
    let db = uow.db();
    let s = uow
        .target::<subdistrict::Entity>(MANAGE, new.subdistrict_id, "subdistrict_id", "subdistrict")
        .await?;
    let scope = Scope::within_subdistrict(&s);
    let permit = uow.permit(MANAGE, &scope)?;
    if !YEARS.contains(&new.year) || new.year > uow.today().year() {
        return Err(AppError::invalid(
            "year",
            UserErrorCode::OutOfRange,
            format!("a year from {} to this year", YEARS.start()),
        ));
    }
    if !(1..=4).contains(&new.quarter) {
        return Err(AppError::invalid(
            "quarter",
            UserErrorCode::OutOfRange,
            "a quarter from 1 to 4",
        ));
    }
    let communities: Vec<i64> = community::Entity::find()
        .filter(community::Column::SubdistrictId.eq(s.id))
        .all(db)
        .await?
        .into_iter()
        .map(|c| c.id)
        .collect();
    let compounds: Vec<i64> = compound::Entity::find()
        .filter(compound::Column::CommunityId.is_in(communities))
        .filter(compound::Column::Kind.eq(CompoundKind::CommodityHousing))
        .all(db)
        .await?
        .into_iter()
        .map(|c| c.id)
        .collect();
    let today = uow.today();
    let mut company_of: HashMap<i64, i64> = HashMap::new();
    if !compounds.is_empty() {
        for c in property_contract::Entity::find()
            .filter(property_contract::Column::CompoundId.is_in(compounds))
            .all(db)
            .await?
        {
            if contract_period(&c).contains(today) {
                company_of.insert(c.compound_id, c.company_id);
            }
        }
    }
    if company_of.is_empty() {
        return Err(AppError::invalid(
            "subdistrict_id",
            UserErrorCode::Invalid,
            "the subdistrict has no commodity-housing compound under a property contract today: nothing to rate",
        ));
    }
    if !(0..=company_of.len() as i32).contains(&new.bottom_count) {
        return Err(AppError::invalid(
            "bottom_count",
            UserErrorCode::OutOfRange,
            format!("from 0 to the {} compounds rated", company_of.len()),
        ));
    }
    let m = round::ActiveModel {
        subdistrict_id: Set(s.id),
        year: Set(new.year),
        quarter: Set(new.quarter),
        scale: Set(scale),
        bottom_count: Set(new.bottom_count),
        status: Set(StarRoundStatus::Open),
        opened_by: Set(permit.actor().account_id),
        opened_at: Set(uow.now()),
        published_by: Set(None),
        published_at: Set(None),
        ..Default::default()
    }
    .insert(db)
    .await?;
    let mut pairs: Vec<(i64, i64)> = company_of.into_iter().collect();
    pairs.sort_unstable();
    let ratings = batch::insert_returning(
        db,
        pairs
            .into_iter()
            .map(|(compound_id, company_id)| rating::ActiveModel {
                round_id: Set(m.id),
                compound_id: Set(compound_id),
                company_id: Set(company_id),
                score: Set(None),
                stars: Set(None),
                note: Set(String::new()),
                rank: Set(None),
                named_in_notice: Set(false),
                rated_by: Set(None),
                rated_at: Set(None),
                ..Default::default()
            })
            .collect(),
    )
    .await?;
    audit::created(
        uow,
        &permit,
        Subject::new(
            Operation::OpenStarRatingRound,
            "StarRatingRound",
            m.id,
            &scope,
        ),
        &(&m, &ratings),
    )
    .await?;
    Ok((m, ratings))
}

/// Rates one compound of an open round: 0 to 100 points and a note; its
/// stars follow. A compound may be rated again until the round is
/// published.
pub async fn rate(
    uow: &UnitOfWork<'_>,
    rating_id: i64,
    points: i32,
    note: &str,
) -> AppResult<rating::Model> {
    let db = uow.db();
    let r = uow
        .target::<rating::Entity>(MANAGE, rating_id, "rating_id", "rating")
        .await?;
    let scope = Scope::of_compound(db, r.compound_id).await?;
    let permit = uow.permit(MANAGE, &scope)?;
    lock_row::<round::Entity>(db, r.round_id).await?;
    let o = must_exist::<round::Entity>(db, r.round_id, "rating_id", "round").await?;
    if o.status != StarRoundStatus::Open {
        return Err(AppError::invalid(
            "rating_id",
            UserErrorCode::InvalidState,
            "the round is published: its ratings never change",
        ));
    }
    if !(0..=MAX_POINTS).contains(&points) {
        return Err(AppError::invalid(
            "points",
            UserErrorCode::OutOfRange,
            format!("from 0 to {MAX_POINTS} points"),
        ));
    }
    let note = parse_text(note, "note")?;
    let r = must_exist::<rating::Entity>(db, r.id, "rating_id", "rating").await?;
    let before = r.clone();
    let mut am = r.into_active_model();
    am.score = Set(Some(points));
    am.stars = Set(Some(stars(points, o.scale)));
    am.note = Set(note);
    am.rated_by = Set(Some(permit.actor().account_id));
    am.rated_at = Set(Some(uow.now()));
    let after = am.update(db).await?;
    audit::updated(
        uow,
        &permit,
        Subject::new(Operation::RateCompound, "StarRating", after.id, &scope),
        &before,
        &after,
    )
    .await?;
    Ok(after)
}

/// Publishes an open round once every compound is rated: ranks it and
/// names the bottom in its notice.
pub async fn publish(uow: &UnitOfWork<'_>, round_id: i64) -> AppResult<round::Model> {
    let db = uow.db();
    let o = uow
        .target::<round::Entity>(MANAGE, round_id, "round_id", "round")
        .await?;
    let scope = Scope::of_subdistrict(db, o.subdistrict_id).await?;
    let permit = uow.permit(MANAGE, &scope)?;
    lock_row::<round::Entity>(db, o.id).await?;
    let o = must_exist::<round::Entity>(db, o.id, "round_id", "round").await?;
    if o.status != StarRoundStatus::Open {
        return Err(AppError::invalid(
            "round_id",
            UserErrorCode::InvalidState,
            "the round is published already",
        ));
    }
    let ratings = ratings_of(db, o.id).await?;
    let unrated = ratings.iter().filter(|r| r.score.is_none()).count();
    if unrated > 0 {
        return Err(AppError::invalid(
            "round_id",
            UserErrorCode::Required,
            format!("every compound is rated before the round is published; {unrated} are not"),
        ));
    }
    let points: Vec<i32> = ratings.iter().map(|r| r.score.unwrap_or(0)).collect();
    let places = rank(&points, o.bottom_count as usize);
    for (r, (place, named)) in ratings.into_iter().zip(places) {
        let mut am = r.into_active_model();
        am.rank = Set(Some(place));
        am.named_in_notice = Set(named);
        am.update(db).await?;
    }
    let before = o.clone();
    let mut am = o.into_active_model();
    am.status = Set(StarRoundStatus::Published);
    am.published_by = Set(Some(permit.actor().account_id));
    am.published_at = Set(Some(uow.now()));
    let after = am.update(db).await?;
    let ranked = ratings_of(db, after.id).await?;
    audit::record(
        uow,
        &permit,
        Subject::new(
            Operation::PublishStarRatingRound,
            "StarRatingRound",
            after.id,
            &scope,
        ),
        Some(&before),
        Some(&(&after, &ranked)),
    )
    .await?;
    Ok(after)
}

/// The ratings of round `round_id`, ranked first (by place, then
/// compound), then the unranked by compound.
pub async fn ratings_of(db: &impl ConnectionTrait, round_id: i64) -> AppResult<Vec<rating::Model>> {
    let mut rows = rating::Entity::find()
        .filter(rating::Column::RoundId.eq(round_id))
        .all(db)
        .await?;
    rows.sort_by_key(|r| (r.rank.is_none(), r.rank, r.compound_id));
    Ok(rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stars_follow_the_points_on_the_scale() {
        // On five stars: 100 → 5, 81 → 5 (4.05 rounds up), 80 → 4, 1 → 1, 0 → 1.
        let five: Vec<i32> = [100, 81, 80, 61, 60, 1, 0]
            .iter()
            .map(|p| stars(*p, 5))
            .collect();
        assert_eq!(five, [5, 5, 4, 4, 3, 1, 1]);
        // On three: 67 → 3 (2.01), 66 → 2 (1.98).
        assert_eq!((stars(67, 3), stars(66, 3)), (3, 2));
    }

    #[test]
    fn the_notice_names_the_bottom_places_with_their_ties() {
        // 92, 75, 75, 60, 60, 88: places 1, 3, 3, 5, 5, 2.
        let points = [92, 75, 75, 60, 60, 88];
        let two = rank(&points, 2);
        assert_eq!(
            two,
            [
                (1, false),
                (3, false),
                (3, false),
                (5, true),
                (5, true),
                (2, false)
            ]
        );
        // The bottom three: the 60s and, tied at the third-lowest, both 75s.
        let three: Vec<bool> = rank(&points, 3).into_iter().map(|(_, n)| n).collect();
        assert_eq!(three, [false, true, true, true, true, false]);
        assert!(rank(&points, 0).iter().all(|(_, n)| !n));
    }
}
