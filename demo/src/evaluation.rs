//! A subdistrict's evaluations: a county-level demonstration-compound
//! campaign of its district taken from application to publication, and
//! its quarterly star ratings.
//!
//! - The campaign scores `entries` of the subdistrict's residential
//!   compounds against the shipped demonstration-compound rubric. Its
//!   `evaluators` are outsiders registered for it (a person each, in the
//!   subdistrict's first community, living nowhere and holding nothing,
//!   with an account holding the `EVALUATOR` role and the demo password):
//!   each is assigned to every entry and submits a sheet for each, under
//!   their own account. The campaign keeps the trimmed mean, selects half
//!   its entries, singles out three, and is published.
//! - `rounds` star-rating rounds, the quarters before this one, rate every
//!   commodity-housing compound under contract with its company and are
//!   published with their notice naming the bottom place (and its ties).
//!
//! Points are drawn from a seed of the subdistrict's own, so every load
//! writes the same. The campaign's name makes it once: a subdistrict that
//! has it is left alone.

use chrono::Datelike;
use compound_api::domain::access::Caller;
use compound_api::domain::accounts::{self, GrantTarget, NewAccount};
use compound_api::domain::clock::Clock;
use compound_api::domain::evaluation::campaigns::{self, NewCampaign};
use compound_api::domain::evaluation::entries::{self, NewEntry};
use compound_api::domain::evaluation::scoring::{self, LineInput};
use compound_api::domain::evaluation::star_ratings::{self, NewRound};
use compound_api::domain::kinds::{
    AggregationRule, CompoundKind, EvaluationKind, EvaluationLevel, Role, RubricStatus,
};
use compound_api::domain::people::{self, PersonFields};
use compound_api::domain::unit_of_work::UnitOfWork;
use compound_api::domain::values::Name;
use compound_api::entity::{
    community, compound, evaluation_campaign, rubric, rubric_indicator, rubric_version, subdistrict,
};
use compound_api::error::{AppError, AppResult};
use compound_api::events::Events;
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder};

use crate::names::Rng;
use crate::{Lock, Place, lock};

/// How much evaluation a subdistrict gets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Evaluation {
    /// Compounds entered in the campaign (at most the residential ones there are).
    pub entries: usize,
    /// Evaluators, each scoring every entry.
    pub evaluators: usize,
    /// Published star-rating rounds, the quarters before this one.
    pub rounds: usize,
}

impl Evaluation {
    /// The small demo's.
    pub const SMALL: Evaluation = Evaluation {
        entries: 4,
        evaluators: 5,
        rounds: 1,
    };
    /// The full demo subdistrict's.
    pub const FULL: Evaluation = Evaluation {
        entries: 20,
        evaluators: 5,
        rounds: 2,
    };
    /// Each subdistrict of the city's.
    pub const CITY: Evaluation = Evaluation {
        entries: 10,
        evaluators: 5,
        rounds: 1,
    };
}

/// What an evaluation load wrote.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Written {
    /// Entries of the campaign.
    pub entries: usize,
    /// Score sheets submitted.
    pub sheets: usize,
    /// Star ratings given.
    pub ratings: usize,
    /// Star-rating rounds published.
    pub rounds: usize,
}

impl Written {
    /// The one-line summary.
    pub fn summary(&self) -> String {
        format!(
            "a campaign of {} entries ({} score sheets), {} star-rating rounds ({} ratings)",
            self.entries, self.sheets, self.rounds, self.ratings
        )
    }
}

/// How long an evaluator's token lives.
const TOKEN_TTL: std::time::Duration = std::time::Duration::from_secs(3600);

/// The campaign's name for subdistrict `s`.
fn campaign_name(s: &subdistrict::Model) -> String {
    format!("{}示范小区评选", s.name)
}

fn failed(e: &str) -> AppError {
    AppError::Internal(format!("evaluation load: {e}"))
}

/// The quarters before today's, newest first: (year, quarter).
fn quarters_before(today: chrono::NaiveDate, n: usize) -> Vec<(i32, i32)> {
    let mut year = today.year();
    let mut quarter = (today.month() as i32 - 1) / 3 + 1;
    let mut out = Vec::with_capacity(n);
    for _ in 0..n {
        quarter -= 1;
        if quarter == 0 {
            quarter = 4;
            year -= 1;
        }
        out.push((year, quarter));
    }
    out
}

/// Writes the evaluations of subdistrict `place` as `admin`, with
/// evaluator accounts carrying `password_hash`; `None` when the
/// subdistrict is not loaded or has its campaign already.
pub(crate) async fn write(
    db: &DatabaseConnection,
    events: &Events,
    place: &Place,
    plan: &Evaluation,
    admin: &Caller,
    password_hash: &str,
) -> AppResult<Option<Written>> {
    let Some(s) = subdistrict::Entity::find()
        .filter(subdistrict::Column::Name.eq(place.subdistrict.as_str()))
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    let name = campaign_name(&s);
    let present = evaluation_campaign::Entity::find()
        .filter(evaluation_campaign::Column::Name.eq(name.as_str()))
        .one(db)
        .await?;
    let Some(district_id) = s.district_id.filter(|_| present.is_none()) else {
        return Ok(None);
    };
    let communities: Vec<i64> = community::Entity::find()
        .filter(community::Column::SubdistrictId.eq(s.id))
        .order_by_asc(community::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(|c| c.id)
        .collect();
    let Some(&home) = communities.first() else {
        return Ok(None);
    };
    let residential: Vec<compound::Model> = compound::Entity::find()
        .filter(compound::Column::CommunityId.is_in(communities))
        .filter(compound::Column::Kind.is_in([
            CompoundKind::CommodityHousing,
            CompoundKind::OldCompound,
            CompoundKind::VillageToResidence,
        ]))
        .order_by_asc(compound::Column::Id)
        .all(db)
        .await?;
    let version = shipped_version(db).await?;
    let indicators = rubric_indicator::Entity::find()
        .filter(rubric_indicator::Column::VersionId.eq(version))
        .order_by_asc(rubric_indicator::Column::Id)
        .all(db)
        .await?;
    let mut rng = Rng(0x0000_E7A1_2026 ^ (place.index as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15));
    let clock = Clock::system();
    let mut written = Written::default();

    // The campaign, its entries, its evaluators and their assignments.
    let uow = UnitOfWork::begin(db, admin, &clock).await?;
    lock(uow.db(), Lock::Activity(place.index)).await?;
    let c = campaigns::create(
        &uow,
        NewCampaign {
            name: Name::parse(&name, "name")?,
            kind: EvaluationKind::DemonstrationCompound,
            level: EvaluationLevel::County,
            year: clock.today().year(),
            district_id: Some(district_id),
            rubric_version_id: version,
            quota: (plan.entries.div_ceil(2)).max(1) as i32,
            single_out: 3.min(plan.entries.div_ceil(2)) as i32,
            aggregation: AggregationRule::TrimmedMean,
            eligibility: None,
        },
    )
    .await?;
    let mut entry_ids = Vec::new();
    for co in residential.iter().take(plan.entries) {
        let e = entries::enter(
            &uow,
            NewEntry {
                campaign_id: c.id,
                compound_id: Some(co.id),
                community_id: None,
                note: format!("{}推荐", s.name),
            },
        )
        .await?;
        entry_ids.push(e.id);
    }
    let mut tokens = Vec::with_capacity(plan.evaluators);
    for n in 0..plan.evaluators {
        let person = people::create_person(
            &uow,
            home,
            PersonFields {
                name: Some(Name::parse(
                    &format!("评审专家{}-{n}", place.index),
                    "name",
                )?),
                phone: None,
                id_number: None,
                is_party_member: Some(false),
            },
        )
        .await?;
        let acc = accounts::create_account(
            &uow,
            NewAccount {
                username: format!("evaluator-{}-{n}", place.index),
                password_hash: password_hash.to_owned(),
                display_name: Name::parse(&format!("评审专家{n}"), "display_name")?,
                person_id: Some(person.id),
            },
        )
        .await?;
        accounts::grant_role(
            &uow,
            acc.id,
            GrantTarget {
                role: Role::Evaluator,
                unit_id: None,
            },
        )
        .await?;
        for e in &entry_ids {
            scoring::assign(&uow, *e, acc.id).await?;
        }
        tokens.push(accounts::issue_token(uow.db(), uow.now(), acc, TOKEN_TTL).await?);
    }
    for _ in 0..2 {
        campaigns::advance(&uow, c.id).await?;
    }
    uow.commit(events).await?;
    written.entries = entry_ids.len();

    // Each evaluator scores every entry under their own account.
    let mut token_ids = Vec::with_capacity(tokens.len());
    for t in &tokens {
        let caller = accounts::authenticate(db, &clock, Some(&t.token)).await?;
        token_ids.push(caller.actor()?.token_id);
        let uow = UnitOfWork::begin(db, &caller, &clock).await?;
        for e in &entry_ids {
            let lines: Vec<LineInput> = indicators
                .iter()
                .map(|i| {
                    let off = (rng.next() % 3) as i32;
                    LineInput {
                        indicator_id: i.id,
                        points: (i.max_score - off).max(0),
                        comment: if off == 0 {
                            "符合标准".to_owned()
                        } else {
                            "台账不够完整".to_owned()
                        },
                        evidence_ids: Vec::new(),
                    }
                })
                .collect();
            scoring::save(&uow, *e, &lines).await?;
            scoring::submit(&uow, *e).await?;
            written.sheets += 1;
        }
        uow.commit(events).await?;
    }

    // Selection, publication and the star-rating rounds.
    let uow = UnitOfWork::begin(db, admin, &clock).await?;
    for _ in 0..2 {
        campaigns::advance(&uow, c.id).await?;
    }
    for (year, quarter) in quarters_before(clock.today(), plan.rounds) {
        let (round, ratings) = match star_ratings::open(
            &uow,
            NewRound {
                subdistrict_id: s.id,
                year,
                quarter,
                bottom_count: 1,
            },
            5,
        )
        .await
        {
            Ok(r) => r,
            // A subdistrict with no compound under contract has nothing to rate.
            Err(AppError::Invalid(_)) => break,
            Err(e) => return Err(e),
        };
        for r in &ratings {
            let points = 55 + (rng.next() % 46) as i32;
            star_ratings::rate(&uow, r.id, points, "季度检查").await?;
            written.ratings += 1;
        }
        star_ratings::publish(&uow, round.id).await?;
        written.rounds += 1;
    }
    for id in token_ids {
        accounts::logout(uow.db(), clock.now(), id).await?;
    }
    uow.commit(events).await?;
    Ok(Some(written))
}

/// The published version of the shipped demonstration-compound rubric.
async fn shipped_version(db: &DatabaseConnection) -> AppResult<i64> {
    let r = rubric::Entity::find()
        .filter(rubric::Column::Code.eq("demonstration-compound"))
        .one(db)
        .await?
        .ok_or_else(|| failed("the shipped demonstration-compound rubric is missing"))?;
    rubric_version::Entity::find()
        .filter(rubric_version::Column::RubricId.eq(r.id))
        .filter(rubric_version::Column::Status.eq(RubricStatus::Published))
        .order_by_desc(rubric_version::Column::Number)
        .one(db)
        .await?
        .map(|v| v.id)
        .ok_or_else(|| failed("the demonstration-compound rubric has no published version"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_rounds_are_the_quarters_before_this_one() {
        let d = |y, m| chrono::NaiveDate::from_ymd_opt(y, m, 7).unwrap();
        assert_eq!(quarters_before(d(2026, 12), 2), [(2026, 3), (2026, 2)]);
        assert_eq!(quarters_before(d(2026, 2), 2), [(2025, 4), (2025, 3)]);
    }
}
