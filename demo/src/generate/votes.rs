//! The owners deciding by vote, as art. 278 has it, over a co-owned home:
//! in the demo accounts' compound two owners co-own one dwelling and one of
//! them alone owns another (two buyer units, one shared person); the owners
//! there elect an owners'-committee member by an item-3 vote the election
//! cites, and a compound without a property company hires one by an item-4
//! vote its contract cites. Ballots are paper ballots the committee records.
//!
//! The co-ownership is generated with the rest; the votes are written last,
//! on the day the demo is loaded, since a vote closes when it is counted.

use chrono::NaiveDate;
use compound_api::domain::decisions::assembly::{self, NewVote};
use compound_api::domain::kinds::{ArticleMatter, BallotChoice, CommitteeRole, CompoundKind};
use compound_api::domain::parties::committee::{self, Election};
use compound_api::domain::parties::linkage::{pick_active_committee, pick_active_contract};
use compound_api::domain::parties::property::{self, NewContract};
use compound_api::domain::unit_of_work::UnitOfWork;
use compound_api::domain::values::Name;
use compound_api::entity::{
    committee_member, compound, owners_committee, ownership, property_company, property_contract,
    vote_voter,
};
use compound_api::error::AppResult;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};

use super::{FIRST_ID, Gen};

impl Gen {
    /// In the linked compound, adds the second owner of one dwelling who
    /// alone owns another: the chain of buyer units a register must keep apart.
    pub(super) fn co_ownership(&mut self) {
        let linked = self.d.links.compound_id;
        let in_linked = |g: &Gen, d: i64| {
            g.buildings[g.dwelling_building((d - FIRST_ID) as usize)].compound
                == (linked - FIRST_ID) as usize
        };
        let sole: Vec<(i64, i64, NaiveDate)> = self
            .d
            .ownerships
            .iter()
            .filter(|o| in_linked(self, o.dwelling_id))
            .filter(|o| {
                self.d
                    .ownerships
                    .iter()
                    .filter(|x| x.dwelling_id == o.dwelling_id || x.person_id == o.person_id)
                    .count()
                    == 1
            })
            .map(|o| (o.person_id, o.dwelling_id, o.starts_on))
            .take(2)
            .collect();
        if let [(_, x, since_a), (b, _, since_b)] = sole[..] {
            let id = FIRST_ID + self.d.ownerships.len() as i64;
            self.d.ownerships.push(ownership::Model {
                id,
                person_id: b,
                dwelling_id: x,
                starts_on: since_a.max(since_b),
                ends_on: None,
            });
        }
    }
}

/// Opens a vote on `matter` in `compound_id`, records every counted owner's
/// paper ballot as agreeing, and closes it; returns the vote's id.
async fn unanimous(
    uow: &UnitOfWork<'_>,
    compound_id: i64,
    matter: ArticleMatter,
    title: &str,
    description: &str,
) -> AppResult<i64> {
    let vote = open(uow, compound_id, matter, title, description).await?;
    let voters = vote_voter::Entity::find()
        .filter(vote_voter::Column::VoteId.eq(vote.id))
        .all(uow.db())
        .await?;
    for v in voters {
        assembly::record_paper_ballot(uow, vote.id, v.id, BallotChoice::Agree).await?;
    }
    assembly::close_vote(uow, vote.id).await?;
    Ok(vote.id)
}

/// Opens a vote on `matter` in `compound_id`, with no closing time fixed.
pub(crate) async fn open(
    uow: &UnitOfWork<'_>,
    compound_id: i64,
    matter: ArticleMatter,
    title: &str,
    description: &str,
) -> AppResult<compound_api::entity::assembly_vote::Model> {
    assembly::open_vote(
        uow,
        NewVote {
            compound_id,
            matter,
            title: Name::parse(title, "title")?,
            description: description.to_owned(),
            closes_at: None,
        },
    )
    .await
}

/// Writes the two cited votes, on the load's day: the election in
/// `linked_compound`, the hiring in an old compound of `compounds` (the
/// subdistrict's) that has no company, of `company` (its first).
pub(crate) async fn write(
    uow: &UnitOfWork<'_>,
    linked_compound: i64,
    compounds: &[i64],
    company: Option<i64>,
) -> AppResult<()> {
    let db = uow.db();
    let today = uow.today();
    // Item 3: an owner of the linked compound joins its committee.
    let committees = owners_committee::Entity::find()
        .filter(owners_committee::Column::CompoundId.eq(linked_compound))
        .all(db)
        .await?;
    if let Some(c) = pick_active_committee(committees, today) {
        let seated: Vec<i64> = committee_member::Entity::find()
            .filter(committee_member::Column::CommitteeId.eq(c.id))
            .all(db)
            .await?
            .into_iter()
            .map(|m| m.person_id)
            .collect();
        let owners = ownership::Entity::find()
            .inner_join(compound_api::entity::dwelling::Entity)
            .filter(
                compound_api::entity::dwelling::Column::BuildingId.in_subquery(
                    sea_orm::sea_query::Query::select()
                        .column(compound_api::entity::building::Column::Id)
                        .from(compound_api::entity::building::Entity)
                        .and_where(
                            compound_api::entity::building::Column::CompoundId.eq(linked_compound),
                        )
                        .to_owned(),
                ),
            )
            .all(db)
            .await?;
        if let Some(newcomer) = owners
            .iter()
            .map(|o| o.person_id)
            .find(|p| !seated.contains(p))
        {
            let vote = unanimous(
                uow,
                linked_compound,
                ArticleMatter::CommitteeElection,
                "增补业主委员会委员",
                "业主大会表决增补一名业主委员会委员(民法典第二百七十八条第三项)",
            )
            .await?;
            committee::elect_member(
                uow,
                Election {
                    committee_id: c.id,
                    person_id: newcomer,
                    role: CommitteeRole::Member,
                    starts_on: Some(today),
                    replaces_id: None,
                    vote_id: Some(vote),
                },
            )
            .await?;
        }
    }
    // Item 4: a compound with no company in force hires one.
    let contracts = property_contract::Entity::find()
        .filter(property_contract::Column::CompoundId.is_in(compounds.iter().copied()))
        .all(db)
        .await?;
    let unserved = compound::Entity::find()
        .filter(compound::Column::Kind.eq(CompoundKind::OldCompound))
        .filter(compound::Column::Id.is_in(compounds.iter().copied()))
        .order_by_asc(compound::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .find(|c| {
            pick_active_contract(
                contracts
                    .iter()
                    .filter(|k| k.compound_id == c.id)
                    .cloned()
                    .collect(),
                today,
            )
            .is_none()
        });
    let company = match company {
        Some(id) => property_company::Entity::find_by_id(id).one(db).await?,
        None => None,
    };
    if let (Some(c), Some(company)) = (unserved, company) {
        let vote = unanimous(
            uow,
            c.id,
            ArticleMatter::PropertyManager,
            "选聘物业服务企业",
            "业主大会表决选聘物业服务企业(民法典第二百七十八条第四项)",
        )
        .await?;
        property::sign_contract(
            uow,
            NewContract {
                compound_id: c.id,
                company_id: company.id,
                starts_on: today,
                ends_on: today
                    .checked_add_months(chrono::Months::new(36))
                    .unwrap_or(today),
                vote_id: Some(vote),
            },
        )
        .await?;
    }
    Ok(())
}
