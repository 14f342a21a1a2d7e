//! Owners' assembly votes under Civil Code art. 278.
//!
//! Opening a vote fixes the register: the compound's exclusive parts and
//! their owners on that day, counted by heads as the Supreme People's
//! Court's interpretation on building ownership says (art. 9), by buyer
//! unit (买受人): the persons who together hold a part are one owner for
//! it; the same buyer holding several parts counts once; different buyers
//! stay different owners even when they share a person; the developer's
//! unsold or undelivered parts count once together. The register keeps
//! each owner's persons and parts. Each counted owner has one standing
//! ballot — agree, disagree or abstain —
//! which may be changed until the vote closes (a change is a new ballot
//! superseding the last). Closing computes the result with `tally` and
//! keeps its whole basis. Every record joins the compound's hash chain.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Alias, Expr, ExprTrait, OnConflict, Order, Query};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, FromQueryResult,
    QueryFilter, QueryOrder,
};

use crate::domain::access::{self, Caller, Permission, Scope, SelfService};
use crate::domain::decisions::chain_payload::Chained;
use crate::domain::decisions::ledger;
use crate::domain::decisions::tally::{self, Tally, Weight};
use crate::domain::event::DecisionEvent;
use crate::domain::kinds::{ArticleMatter, BallotChoice, PublicationKind, VoteStatus};
use crate::domain::operation::Operation;
use crate::domain::store::must_exist;
use crate::domain::unit_of_work::UnitOfWork;
use crate::domain::values::{Name, Term, parse_text};
use crate::entity::{
    assembly_vote, ballot, building, community, compound, dwelling, ownership, publication,
    standing_ballot, subdistrict, vote_result, vote_voter, vote_voter_owner, vote_voter_part,
};
use crate::error::{AppError, AppResult, UserErrorCode};

/// An exclusive part as the register sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Part {
    /// The dwelling.
    pub dwelling_id: i64,
    /// Its registered exclusive area.
    pub area_centi: i64,
    /// Whether it is the developer's, unsold or undelivered.
    pub developer_held: bool,
    /// Its owners of record on the register's day.
    pub owners: Vec<i64>,
}

/// One counted owner: a buyer unit (买受人) — the persons who together hold
/// its parts — with its parts and their summed area.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CountedOwner {
    /// A stable key: `developer`, `owners:<person ids>` or `part:<dwelling id>` for a part with no owner of record.
    pub key: String,
    /// Summed exclusive area.
    pub area_centi: i64,
    /// Whether this is the developer's share.
    pub is_developer: bool,
    /// The persons who together are this owner; any of them may cast its ballot.
    pub owners: Vec<i64>,
    /// Its parts: (dwelling, exclusive area), by dwelling.
    pub parts: Vec<(i64, i64)>,
}

/// Counts heads over `parts` by buyer unit, as the Supreme People's
/// Court's interpretation says: the persons who together hold a part are
/// one owner for it; the same buyer — the same set of persons — holding
/// several parts counts once; the developer's unsold or undelivered parts
/// count once together; a part with no owner of record counts as one.
/// Different buyers stay different owners even when they share a person:
/// A and B co-owning one part and B alone owning another are two owners.
pub fn count_heads(parts: &[Part]) -> Vec<CountedOwner> {
    let mut by_key: BTreeMap<String, CountedOwner> = BTreeMap::new();
    for p in parts {
        let buyer: BTreeSet<i64> = p.owners.iter().copied().collect();
        let (key, is_developer) = if p.developer_held {
            ("developer".to_owned(), true)
        } else if buyer.is_empty() {
            (format!("part:{}", p.dwelling_id), false)
        } else {
            let ids: Vec<String> = buyer.iter().map(i64::to_string).collect();
            (format!("owners:{}", ids.join(",")), false)
        };
        let owner = by_key.entry(key.clone()).or_insert_with(|| CountedOwner {
            key,
            area_centi: 0,
            is_developer,
            owners: if is_developer {
                Vec::new()
            } else {
                buyer.iter().copied().collect()
            },
            parts: Vec::new(),
        });
        owner.area_centi += p.area_centi;
        owner.parts.push((p.dwelling_id, p.area_centi));
    }
    let mut out: Vec<CountedOwner> = by_key.into_values().collect();
    for o in &mut out {
        o.parts.sort_unstable();
    }
    // The developer's share first, then the others by key.
    out.sort_by_key(|o| (!o.is_developer, o.key.clone()));
    out
}

/// The exclusive parts of a compound and their owners on `day`.
pub async fn parts_of(
    db: &impl ConnectionTrait,
    compound_id: i64,
    day: chrono::NaiveDate,
) -> AppResult<Vec<Part>> {
    let buildings: Vec<i64> = building::Entity::find()
        .filter(building::Column::CompoundId.eq(compound_id))
        .all(db)
        .await?
        .into_iter()
        .map(|b| b.id)
        .collect();
    let dwellings = dwelling::Entity::find()
        .filter(dwelling::Column::BuildingId.is_in(buildings))
        .order_by_asc(dwelling::Column::Id)
        .all(db)
        .await?;
    let ids: Vec<i64> = dwellings.iter().map(|d| d.id).collect();
    let mut owners: HashMap<i64, Vec<i64>> = HashMap::new();
    for o in ownership::Entity::find()
        .filter(ownership::Column::DwellingId.is_in(ids))
        .all(db)
        .await?
    {
        if (Term {
            starts_on: o.starts_on,
            ends_on: o.ends_on,
        })
        .contains(day)
        {
            owners.entry(o.dwelling_id).or_default().push(o.person_id);
        }
    }
    Ok(dwellings
        .into_iter()
        .map(|d| Part {
            dwelling_id: d.id,
            area_centi: d.exclusive_area_centi,
            developer_held: d.developer_held,
            owners: owners.remove(&d.id).unwrap_or_default(),
        })
        .collect())
}

/// A vote to open.
pub struct NewVote {
    /// The compound.
    pub compound_id: i64,
    /// The matter of art. 278.
    pub matter: ArticleMatter,
    /// Title.
    pub title: Name,
    /// What is proposed.
    pub description: String,
    /// When ballots stop being taken, if fixed in advance.
    pub closes_at: Option<DateTime<Utc>>,
}

/// Opens a vote and fixes its register.
pub async fn open_vote(uow: &UnitOfWork<'_>, new: NewVote) -> AppResult<assembly_vote::Model> {
    let db = uow.db();
    uow.target::<compound::Entity>(
        Permission::ManageCommittee,
        new.compound_id,
        "compound_id",
        "compound",
    )
    .await?;
    let scope = Scope::of_compound(db, new.compound_id).await?;
    let permit = uow.permit(Permission::ManageCommittee, &scope)?;
    ledger::lock_compound(db, new.compound_id).await?;
    let opened_at = uow.now();
    if new.closes_at.is_some_and(|c| c <= opened_at) {
        return Err(AppError::invalid(
            "closes_at",
            UserErrorCode::OutOfRange,
            "a vote closes in the future",
        ));
    }
    let register = count_heads(&parts_of(db, new.compound_id, uow.today()).await?);
    if register.is_empty() {
        return Err(AppError::invalid(
            "compound_id",
            UserErrorCode::InvalidState,
            "the compound has no exclusive parts on its register",
        ));
    }
    let vote = assembly_vote::ActiveModel {
        compound_id: Set(new.compound_id),
        matter: Set(new.matter),
        title: Set(new.title.into_inner()),
        description: Set(parse_text(&new.description, "description")?),
        status: Set(VoteStatus::Open),
        total_area_centi: Set(register.iter().map(|c| c.area_centi).sum()),
        total_heads: Set(register.len() as i32),
        opened_at: Set(opened_at),
        opened_by: Set(permit.actor().account_id),
        closes_at: Set(new.closes_at),
        closed_at: Set(None),
        closed_by: Set(None),
        ..Default::default()
    }
    .insert(db)
    .await?;
    let mut voters = Vec::with_capacity(register.len());
    let mut owners = Vec::new();
    for chunk in register.chunks(200) {
        let rows: Vec<vote_voter::ActiveModel> = chunk
            .iter()
            .map(|c| vote_voter::ActiveModel {
                vote_id: Set(vote.id),
                unit_key: Set(c.key.clone()),
                area_centi: Set(c.area_centi),
                is_developer: Set(c.is_developer),
                ..Default::default()
            })
            .collect();
        vote_voter::Entity::insert_many(rows).exec(db).await?;
    }
    let stored = vote_voter::Entity::find()
        .filter(vote_voter::Column::VoteId.eq(vote.id))
        .all(db)
        .await?;
    let by_key: HashMap<&str, i64> = stored.iter().map(|v| (v.unit_key.as_str(), v.id)).collect();
    let owner_rows: Vec<vote_voter_owner::ActiveModel> = register
        .iter()
        .flat_map(|c| {
            let voter_id = by_key.get(c.key.as_str()).copied().unwrap_or_default();
            c.owners.iter().map(move |p| vote_voter_owner::ActiveModel {
                vote_id: Set(vote.id),
                voter_id: Set(voter_id),
                person_id: Set(*p),
                ..Default::default()
            })
        })
        .collect();
    for chunk in owner_rows.chunks(200) {
        vote_voter_owner::Entity::insert_many(chunk.to_vec())
            .exec(db)
            .await?;
    }
    if !owner_rows.is_empty() {
        owners = vote_voter_owner::Entity::find()
            .filter(vote_voter_owner::Column::VoteId.eq(vote.id))
            .all(db)
            .await?;
    }
    let part_rows: Vec<vote_voter_part::ActiveModel> = register
        .iter()
        .flat_map(|c| {
            let voter_id = by_key.get(c.key.as_str()).copied().unwrap_or_default();
            c.parts
                .iter()
                .map(move |(dwelling_id, area)| vote_voter_part::ActiveModel {
                    vote_id: Set(vote.id),
                    voter_id: Set(voter_id),
                    dwelling_id: Set(*dwelling_id),
                    area_centi: Set(*area),
                    ..Default::default()
                })
        })
        .collect();
    for chunk in part_rows.chunks(200) {
        vote_voter_part::Entity::insert_many(chunk.to_vec())
            .exec(db)
            .await?;
    }
    let parts = vote_voter_part::Entity::find()
        .filter(vote_voter_part::Column::VoteId.eq(vote.id))
        .all(db)
        .await?;
    voters.extend(stored);
    let digest = ledger::register_digest(&voters, &owners, &parts);
    ledger::append(
        uow,
        &permit,
        Operation::OpenAssemblyVote,
        vote.compound_id,
        Chained::AssemblyVote(&vote, &digest),
    )
    .await?;
    Ok(vote)
}

fn open_for_ballots(vote: &assembly_vote::Model, at: DateTime<Utc>) -> AppResult<()> {
    if vote.status == VoteStatus::Closed || vote.closes_at.is_some_and(|c| at >= c) {
        return Err(AppError::invalid(
            "vote_id",
            UserErrorCode::InvalidState,
            "the vote is closed",
        ));
    }
    Ok(())
}

/// The counted owners of vote `vote_id` that `person` is one of the
/// persons of, by voter id: usually one, several for a person who co-owns
/// one dwelling and owns another alone.
pub async fn seats_of(db: &impl ConnectionTrait, vote_id: i64, person: i64) -> AppResult<Vec<i64>> {
    Ok(vote_voter_owner::Entity::find()
        .filter(vote_voter_owner::Column::VoteId.eq(vote_id))
        .filter(vote_voter_owner::Column::PersonId.eq(person))
        .order_by_asc(vote_voter_owner::Column::VoterId)
        .all(db)
        .await?
        .into_iter()
        .map(|s| s.voter_id)
        .collect())
}

/// `person`'s seats on vote `vote_id`, each with its standing ballot (none
/// until one is cast): three indexed queries, whatever the register's size
/// and however often the owners changed their ballots.
pub async fn my_seats(
    db: &impl ConnectionTrait,
    vote_id: i64,
    person: i64,
) -> AppResult<Vec<(vote_voter::Model, Option<ballot::Model>)>> {
    let seats = seats_of(db, vote_id, person).await?;
    if seats.is_empty() {
        return Ok(Vec::new());
    }
    let voters = vote_voter::Entity::find()
        .filter(vote_voter::Column::Id.is_in(seats.clone()))
        .order_by_asc(vote_voter::Column::Id)
        .all(db)
        .await?;
    let standing = Query::select()
        .column(standing_ballot::Column::BallotId)
        .from(standing_ballot::Entity)
        .and_where(Expr::col(standing_ballot::Column::VoterId).is_in(seats))
        .to_owned();
    let mut ballots: HashMap<i64, ballot::Model> = ballot::Entity::find()
        .filter(ballot::Column::Id.in_subquery(standing))
        .all(db)
        .await?
        .into_iter()
        .map(|b| (b.voter_id, b))
        .collect();
    Ok(voters
        .into_iter()
        .map(|v| {
            let b = ballots.remove(&v.id);
            (v, b)
        })
        .collect())
}

/// Who a ballot comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum By {
    /// The owner, person `0`, casting their own.
    Owner(i64),
    /// The committee, recording an owner's paper ballot.
    Committee,
}

/// A ballot asked for and checked, ready to be written: everything about it
/// that does not need the compound's lock. The register is fixed when the
/// vote opens, so the owner on it is known before the lock; whether the
/// vote is still open, and the ballot it supersedes, are read under it.
#[derive(Debug, Clone, Copy)]
pub struct Ask {
    /// The vote.
    pub vote_id: i64,
    /// The vote's compound, whose chain the ballot joins.
    pub compound_id: i64,
    /// The compound's scope, the permit's.
    pub scope: Scope,
    /// The counted owner the ballot is for.
    pub voter_id: i64,
    /// That owner's exclusive area on the register, which its standing
    /// ballot counts with.
    pub area_centi: i64,
    /// The choice.
    pub choice: BallotChoice,
    /// Who casts or records it.
    pub by: By,
}

/// Where a vote is: its compound and the compound's scope, and, asked for a
/// person, that person's seats on its register (the counted owners they
/// are a person of, in order, with their rows).
struct VotePlace {
    compound_id: i64,
    scope: Scope,
    seats: Vec<vote_voter::Model>,
}

/// Where vote `vote_id` is, or `None` when there is no such vote: one
/// statement for the vote, its compound, community and subdistrict, and
/// `person`'s seats on its register (a ballot asks it on every cast).
async fn vote_place(
    db: &impl ConnectionTrait,
    vote_id: i64,
    person: Option<i64>,
) -> AppResult<Option<VotePlace>> {
    #[derive(FromQueryResult)]
    struct Row {
        compound_id: i64,
        community_id: i64,
        subdistrict_id: i64,
        district_id: Option<i64>,
        seat: Option<i64>,
        unit_key: Option<String>,
        area_centi: Option<i64>,
        is_developer: Option<bool>,
    }
    let query = Query::select()
        .column((assembly_vote::Entity, assembly_vote::Column::CompoundId))
        .column((compound::Entity, compound::Column::CommunityId))
        .column((community::Entity, community::Column::SubdistrictId))
        .column((subdistrict::Entity, subdistrict::Column::DistrictId))
        .from(assembly_vote::Entity)
        .inner_join(
            compound::Entity,
            Expr::col((compound::Entity, compound::Column::Id))
                .equals((assembly_vote::Entity, assembly_vote::Column::CompoundId)),
        )
        .inner_join(
            community::Entity,
            Expr::col((community::Entity, community::Column::Id))
                .equals((compound::Entity, compound::Column::CommunityId)),
        )
        .left_join(
            subdistrict::Entity,
            Expr::col((subdistrict::Entity, subdistrict::Column::Id))
                .equals((community::Entity, community::Column::SubdistrictId)),
        )
        .expr_as(
            Expr::col((vote_voter::Entity, vote_voter::Column::Id)),
            Alias::new("seat"),
        )
        .columns([
            (vote_voter::Entity, vote_voter::Column::UnitKey),
            (vote_voter::Entity, vote_voter::Column::AreaCenti),
            (vote_voter::Entity, vote_voter::Column::IsDeveloper),
        ])
        // With no person the condition is `= NULL`, which no row meets: one
        // row, and no seats.
        .left_join(
            vote_voter_owner::Entity,
            Expr::col((vote_voter_owner::Entity, vote_voter_owner::Column::VoteId))
                .equals((assembly_vote::Entity, assembly_vote::Column::Id))
                .and(
                    Expr::col((vote_voter_owner::Entity, vote_voter_owner::Column::PersonId))
                        .eq(person),
                ),
        )
        .left_join(
            vote_voter::Entity,
            Expr::col((vote_voter::Entity, vote_voter::Column::Id))
                .equals((vote_voter_owner::Entity, vote_voter_owner::Column::VoterId)),
        )
        .and_where(Expr::col((assembly_vote::Entity, assembly_vote::Column::Id)).eq(vote_id))
        .order_by(
            (vote_voter_owner::Entity, vote_voter_owner::Column::VoterId),
            Order::Asc,
        )
        .to_owned();
    let rows = Row::find_by_statement(db.get_database_backend().build(&query))
        .all(db)
        .await?;
    let Some(r) = rows.first() else {
        return Ok(None);
    };
    Ok(Some(VotePlace {
        compound_id: r.compound_id,
        scope: Scope {
            district_id: r.district_id,
            subdistrict_id: Some(r.subdistrict_id),
            community_id: Some(r.community_id),
            compound_id: Some(r.compound_id),
            ..Scope::GLOBAL
        },
        seats: rows
            .into_iter()
            .filter_map(|r| {
                Some(vote_voter::Model {
                    id: r.seat?,
                    vote_id,
                    unit_key: r.unit_key?,
                    area_centi: r.area_centi?,
                    is_developer: r.is_developer?,
                })
            })
            .collect(),
    }))
}

/// Checks an owner's own ballot (cast or changed) by `caller`. A person who
/// belongs to several counted owners (co-owner of one dwelling, sole owner
/// of another) says which one the ballot is for with `voter_id`; a person
/// of one owner may leave it out.
pub async fn ask_cast(
    db: &impl ConnectionTrait,
    caller: &Caller,
    vote_id: i64,
    voter_id: Option<i64>,
    choice: BallotChoice,
) -> AppResult<(Ask, vote_voter::Model)> {
    let person = caller.actor()?.person_id;
    let VotePlace {
        compound_id,
        scope,
        seats,
    } = vote_place(db, vote_id, person)
        .await?
        .ok_or_else(|| AppError::invalid("vote_id", UserErrorCode::NotFound, "no such vote"))?;
    access::self_service(caller, SelfService::CastOwnBallot, &scope)?;
    let Some(person) = person else {
        return Err(AppError::Forbidden(
            "only owners vote, and this account is not linked to a person".into(),
        ));
    };
    if seats.is_empty() {
        return Err(AppError::Forbidden(
            "you are not an owner on this vote's register".into(),
        ));
    }
    let seat = match (voter_id, seats.as_slice()) {
        (Some(v), _) => match seats.iter().find(|s| s.id == v) {
            Some(s) => s.clone(),
            None => {
                return Err(AppError::invalid(
                    "voter_id",
                    UserErrorCode::Invalid,
                    "you are not one of the persons of this owner on the register",
                ));
            }
        },
        (None, [only]) => only.clone(),
        (None, _) => {
            return Err(AppError::invalid(
                "voter_id",
                UserErrorCode::Required,
                format!(
                    "you belong to {} owners on this register: say which owner this ballot is for",
                    seats.len()
                ),
            ));
        }
    };
    let ask = Ask {
        vote_id,
        compound_id,
        scope,
        voter_id: seat.id,
        area_centi: seat.area_centi,
        choice,
        by: By::Owner(person),
    };
    Ok((ask, seat))
}

/// Checks a paper ballot the committee, through `caller`, records for a
/// counted owner.
pub async fn ask_paper(
    db: &impl ConnectionTrait,
    caller: &Caller,
    vote_id: i64,
    voter_id: i64,
    choice: BallotChoice,
) -> AppResult<(Ask, vote_voter::Model)> {
    // As `store::target`: the right first, then the lookup.
    access::may_hold(caller, Permission::ManageCommittee)?;
    let VotePlace {
        compound_id, scope, ..
    } = vote_place(db, vote_id, None)
        .await?
        .ok_or_else(|| access::missing(caller, Permission::ManageCommittee, "vote_id", "vote"))?;
    access::permit(caller, Permission::ManageCommittee, &scope)?;
    let voter =
        must_exist::<vote_voter::Entity>(db, voter_id, "voter_id", "owner on the register").await?;
    if voter.vote_id != vote_id {
        return Err(AppError::invalid(
            "voter_id",
            UserErrorCode::Invalid,
            "this owner is on another vote's register",
        ));
    }
    let ask = Ask {
        vote_id,
        compound_id,
        scope,
        voter_id,
        area_centi: voter.area_centi,
        choice,
        by: By::Committee,
    };
    Ok((ask, voter))
}

/// The committee records a paper ballot for a counted owner, in `uow`.
pub async fn record_paper_ballot(
    uow: &UnitOfWork<'_>,
    vote_id: i64,
    voter_id: i64,
    choice: BallotChoice,
) -> AppResult<ballot::Model> {
    let (ask, _) = ask_paper(uow.db(), uow.caller(), vote_id, voter_id, choice).await?;
    write_ballots(uow, &[(uow.caller(), ask)])
        .await?
        .pop()
        .unwrap_or_else(|| Err(AppError::Internal("no ballot written".into())))
}

/// Writes `asks` of one compound, each asked by its caller, in `uow`: under
/// the compound's lock, each vote is read once and must still be open, each
/// ballot supersedes its owner's standing one, and the ballots, their
/// audit records and their chain links are written in bulk, in the order
/// given. Each vote's tally is announced once. The answer says, ask by ask,
/// the stored ballot or why it was refused; a refused ask writes nothing
/// and does not stop the others. An owner may appear once only (the second
/// ballot would supersede the first: write it in a later group).
pub async fn write_ballots(
    uow: &UnitOfWork<'_>,
    asks: &[(&Caller, Ask)],
) -> AppResult<Vec<AppResult<ballot::Model>>> {
    let Some((_, first)) = asks.first() else {
        return Ok(Vec::new());
    };
    let compound_id = first.compound_id;
    if asks.iter().any(|(_, a)| a.compound_id != compound_id) {
        return Err(AppError::Internal(
            "a group of ballots spans two compounds".into(),
        ));
    }
    let voters: BTreeSet<i64> = asks.iter().map(|(_, a)| a.voter_id).collect();
    if voters.len() != asks.len() {
        return Err(AppError::Internal(
            "a group of ballots holds two for one owner".into(),
        ));
    }
    let db = uow.db();
    ledger::lock_compound(db, compound_id).await?;
    let vote_ids: BTreeSet<i64> = asks.iter().map(|(_, a)| a.vote_id).collect();
    let votes: HashMap<i64, assembly_vote::Model> = assembly_vote::Entity::find()
        .filter(assembly_vote::Column::Id.is_in(vote_ids))
        .all(db)
        .await?
        .into_iter()
        .map(|v| (v.id, v))
        .collect();
    let standing = standing_ids(db, voters.iter().copied()).await?;
    let now = uow.now();
    let mut outcome: Vec<Option<AppResult<ballot::Model>>> = Vec::with_capacity(asks.len());
    let mut permits = Vec::with_capacity(asks.len());
    let mut rows = Vec::with_capacity(asks.len());
    let mut areas = Vec::with_capacity(asks.len());
    for (caller, ask) in asks {
        let checked = votes
            .get(&ask.vote_id)
            .ok_or_else(|| AppError::invalid("vote_id", UserErrorCode::NotFound, "no such vote"))
            .and_then(|vote| open_for_ballots(vote, now))
            .and_then(|()| match ask.by {
                By::Owner(_) => uow.self_service_of(caller, SelfService::CastOwnBallot, &ask.scope),
                By::Committee => uow.permit_of(caller, Permission::ManageCommittee, &ask.scope),
            });
        match checked {
            Ok(permit) => {
                rows.push(ballot::ActiveModel {
                    vote_id: Set(ask.vote_id),
                    voter_id: Set(ask.voter_id),
                    choice: Set(ask.choice),
                    cast_by_person_id: Set(match ask.by {
                        By::Owner(person) => Some(person),
                        By::Committee => None,
                    }),
                    recorded_by: Set(permit.actor().account_id),
                    paper: Set(ask.by == By::Committee),
                    supersedes_id: Set(standing.get(&ask.voter_id).copied()),
                    cast_at: Set(now),
                    ..Default::default()
                });
                permits.push(permit);
                areas.push(ask.area_centi);
                outcome.push(None);
            }
            Err(e) => outcome.push(Some(Err(e))),
        }
    }
    if rows.is_empty() {
        return Ok(outcome.into_iter().flatten().collect());
    }
    let stored = crate::domain::batch::insert_returning(db, rows).await?;
    stand(db, &stored, &areas).await?;
    let records: Vec<_> = permits
        .iter()
        .zip(&stored)
        .map(|(permit, b)| {
            let operation = if b.paper {
                Operation::RecordPaperBallot
            } else {
                Operation::CastBallot
            };
            (permit, operation, Chained::Ballot(b))
        })
        .collect();
    ledger::append_all(uow, compound_id, &records).await?;
    let changed: BTreeSet<i64> = stored.iter().map(|b| b.vote_id).collect();
    for vote_id in changed {
        uow.emit(DecisionEvent::TallyChanged { vote_id });
    }
    let mut stored = stored.into_iter();
    Ok(outcome
        .into_iter()
        .map(|o| {
            o.unwrap_or_else(|| {
                stored
                    .next()
                    .ok_or_else(|| AppError::Internal("a ballot was not stored".into()))
            })
        })
        .collect())
}

/// The standing ballot's id of each of `voters` that has cast one, from
/// `standing_ballot` by its unique key: the same cost however often they
/// changed their ballots.
async fn standing_ids(
    db: &impl ConnectionTrait,
    voters: impl IntoIterator<Item = i64>,
) -> AppResult<HashMap<i64, i64>> {
    Ok(standing_ballot::Entity::find()
        .filter(standing_ballot::Column::VoterId.is_in(voters))
        .all(db)
        .await?
        .into_iter()
        .map(|s| (s.voter_id, s.ballot_id))
        .collect())
}

/// Makes each of `stored`, ballots of distinct owners just written, its
/// owner's standing ballot, counted with the owner's area in `areas`
/// (ballot by ballot): one statement, inserting the owner's row or
/// pointing it at the new ballot and its choice. Called under the
/// compound's lock, in the ballots' own transaction, so the table never
/// disagrees with them.
async fn stand(
    db: &impl ConnectionTrait,
    stored: &[ballot::Model],
    areas: &[i64],
) -> AppResult<()> {
    let rows = stored
        .iter()
        .zip(areas)
        .map(|(b, area)| standing_ballot::ActiveModel {
            voter_id: Set(b.voter_id),
            vote_id: Set(b.vote_id),
            ballot_id: Set(b.id),
            choice: Set(b.choice),
            area_centi: Set(*area),
            ..Default::default()
        });
    standing_ballot::Entity::insert_many(rows)
        .on_conflict(
            OnConflict::column(standing_ballot::Column::VoterId)
                .update_columns([
                    standing_ballot::Column::BallotId,
                    standing_ballot::Column::Choice,
                ])
                .to_owned(),
        )
        .exec_without_returning(db)
        .await?;
    Ok(())
}

/// Checks that the assembly vote `vote_id` may be cited, at `field`, as the
/// owners' decision on `matter` for compound `compound_id` that took effect
/// on `on`: a vote of that compound, on that matter, closed on or before
/// `on`, and adopted. Elections of committee members (item 3) and the
/// hiring or dismissal of a property company (item 4) cite their vote so.
pub async fn check_citation(
    db: &impl ConnectionTrait,
    vote_id: i64,
    compound_id: i64,
    matter: ArticleMatter,
    on: chrono::NaiveDate,
    field: &str,
) -> AppResult<assembly_vote::Model> {
    let vote = must_exist::<assembly_vote::Entity>(db, vote_id, field, "vote").await?;
    let refuse = |code, message: String| Err(AppError::invalid(field, code, message));
    if vote.compound_id != compound_id {
        return refuse(
            UserErrorCode::Invalid,
            "the vote is another compound's".into(),
        );
    }
    if vote.matter != matter {
        return refuse(
            UserErrorCode::Invalid,
            format!(
                "the vote decided a matter of art. 278 item {}; this needs item {}",
                vote.matter.item(),
                matter.item()
            ),
        );
    }
    let (VoteStatus::Closed, Some(closed_at)) = (vote.status, vote.closed_at) else {
        return refuse(UserErrorCode::InvalidState, "the vote is still open".into());
    };
    let result = vote_result::Entity::find()
        .filter(vote_result::Column::VoteId.eq(vote.id))
        .one(db)
        .await?;
    if !result.is_some_and(|r| r.adopted) {
        return refuse(
            UserErrorCode::InvalidState,
            "the vote was not adopted".into(),
        );
    }
    let closed_on = crate::domain::clock::china_date(closed_at);
    if closed_on > on {
        return refuse(
            UserErrorCode::OutOfRange,
            format!("the vote closed on {closed_on}, after {on}"),
        );
    }
    Ok(vote)
}

/// The standing ballots of each of `vote_ids`, summed by choice: heads
/// and exclusive area of the owners whose standing ballot is that choice.
/// One aggregate statement for all the votes over their rows of
/// `standing_ballot` alone, which carry each owner's choice and area: the
/// database reads one row per owner who voted, and only a handful come
/// back, whatever the register's size, the ballots' history or the city's.
pub async fn standing_totals(
    db: &impl ConnectionTrait,
    vote_ids: &[i64],
) -> AppResult<HashMap<i64, Vec<(BallotChoice, Weight)>>> {
    #[derive(FromQueryResult)]
    struct Row {
        vote_id: i64,
        choice: BallotChoice,
        heads: i64,
        area_centi: i64,
    }
    let mut out: HashMap<i64, Vec<(BallotChoice, Weight)>> =
        vote_ids.iter().map(|v| (*v, Vec::new())).collect();
    if vote_ids.is_empty() {
        return Ok(out);
    }
    let query = Query::select()
        .column(standing_ballot::Column::VoteId)
        .column(standing_ballot::Column::Choice)
        .expr_as(Expr::cust("COUNT(*)"), "heads")
        // PostgreSQL sums a BIGINT into a NUMERIC; the sum of areas in
        // hundredths of a square metre fits a BIGINT with room to spare.
        .expr_as(Expr::cust("CAST(SUM(area_centi) AS BIGINT)"), "area_centi")
        .from(standing_ballot::Entity)
        .and_where(Expr::col(standing_ballot::Column::VoteId).is_in(vote_ids.to_vec()))
        .group_by_col(standing_ballot::Column::VoteId)
        .group_by_col(standing_ballot::Column::Choice)
        .to_owned();
    let rows = Row::find_by_statement(db.get_database_backend().build(&query))
        .all(db)
        .await?;
    for r in rows {
        out.entry(r.vote_id).or_default().push((
            r.choice,
            Weight {
                area_centi: r.area_centi,
                heads: r.heads,
            },
        ));
    }
    Ok(out)
}

/// The tally of `vote` from its register's totals and its standing
/// ballots summed by choice (see [`standing_totals`]).
pub fn tally_of_totals(vote: &assembly_vote::Model, totals: &[(BallotChoice, Weight)]) -> Tally {
    let mut t = Tally::new(Weight {
        area_centi: vote.total_area_centi,
        heads: i64::from(vote.total_heads),
    });
    for (choice, w) in totals {
        t.count_all(*choice, *w);
    }
    t
}

/// The tally of a vote now, read from the database.
pub async fn current_tally(
    db: &impl ConnectionTrait,
    vote: &assembly_vote::Model,
) -> AppResult<Tally> {
    let totals = standing_totals(db, &[vote.id]).await?;
    Ok(tally_of_totals(
        vote,
        totals.get(&vote.id).map_or(&[], Vec::as_slice),
    ))
}

/// Closes a vote: no more ballots; the result and its basis are stored and
/// published to the compound.
pub async fn close_vote(
    uow: &UnitOfWork<'_>,
    vote_id: i64,
) -> AppResult<(assembly_vote::Model, vote_result::Model, publication::Model)> {
    let db = uow.db();
    let vote = uow
        .target::<assembly_vote::Entity>(Permission::ManageCommittee, vote_id, "vote_id", "vote")
        .await?;
    let scope = Scope::of_compound(db, vote.compound_id).await?;
    let permit = uow.permit(Permission::ManageCommittee, &scope)?;
    ledger::lock_compound(db, vote.compound_id).await?;
    let vote = must_exist::<assembly_vote::Entity>(db, vote_id, "vote_id", "vote").await?;
    if vote.status == VoteStatus::Closed {
        return Err(AppError::invalid(
            "vote_id",
            UserErrorCode::InvalidState,
            "the vote is already closed",
        ));
    }
    let t = current_tally(db, &vote).await?;
    let rule = vote.matter.rule();
    let closed_at = uow.now();
    let result = vote_result::ActiveModel {
        vote_id: Set(vote.id),
        total_area_centi: Set(t.total.area_centi),
        total_heads: Set(t.total.heads as i32),
        participating_area_centi: Set(t.participating.area_centi),
        participating_heads: Set(t.participating.heads as i32),
        agree_area_centi: Set(t.agree.area_centi),
        agree_heads: Set(t.agree.heads as i32),
        disagree_area_centi: Set(t.disagree.area_centi),
        disagree_heads: Set(t.disagree.heads as i32),
        abstain_area_centi: Set(t.abstain.area_centi),
        abstain_heads: Set(t.abstain.heads as i32),
        quorum_met: Set(tally::quorum_met(&t)),
        adopted: Set(tally::adopted(&t, rule)),
        rule: Set(rule),
        closed_at: Set(closed_at),
        ..Default::default()
    }
    .insert(db)
    .await?;
    let mut am: assembly_vote::ActiveModel = vote.clone().into();
    am.status = Set(VoteStatus::Closed);
    am.closed_at = Set(Some(closed_at));
    am.closed_by = Set(Some(permit.actor().account_id));
    let vote = am.update(db).await?;
    ledger::append(
        uow,
        &permit,
        Operation::CloseAssemblyVote,
        vote.compound_id,
        Chained::VoteResult(&result),
    )
    .await?;
    uow.emit(DecisionEvent::TallyChanged { vote_id: vote.id });
    let body = result_text(&vote, &result);
    let day = uow.today();
    let publication = crate::domain::decisions::publications::insert_publication(
        uow,
        &permit,
        crate::domain::decisions::publications::NewPublication {
            compound_id: vote.compound_id,
            matter_id: None,
            vote_id: Some(vote.id),
            kind: PublicationKind::VoteResult,
            title: format!("表决结果：{}", vote.title),
            body,
            published_on: day,
            publicity_days: 7,
            corrects_id: None,
        },
    )
    .await?;
    Ok((vote, result, publication))
}

fn area_text(centi: i64) -> String {
    crate::domain::values::Area::from_centi(centi).to_string()
}

/// The published text of a result: the basis, not only the verdict.
fn result_text(vote: &assembly_vote::Model, r: &vote_result::Model) -> String {
    format!(
        "《民法典》第二百七十八条第{}项事项。参与表决：专有部分面积 {} / {} 平方米，人数 {} / {}（法定：均不少于三分之二）——{}。同意：面积 {} 平方米、人数 {}；反对：面积 {} 平方米、人数 {}；弃权：面积 {} 平方米、人数 {}。适用规则：{}。结果：{}。",
        vote.matter.item(),
        area_text(r.participating_area_centi),
        area_text(r.total_area_centi),
        r.participating_heads,
        r.total_heads,
        if r.quorum_met { "达到" } else { "未达到" },
        area_text(r.agree_area_centi),
        r.agree_heads,
        area_text(r.disagree_area_centi),
        r.disagree_heads,
        area_text(r.abstain_area_centi),
        r.abstain_heads,
        match r.rule {
            crate::domain::kinds::VoteRule::ThreeQuarters => "参与表决面积与人数均四分之三以上同意",
            crate::domain::kinds::VoteRule::MoreThanHalf => "参与表决面积与人数均过半数同意",
        },
        if r.adopted { "通过" } else { "未通过" },
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn part(id: i64, area: i64, dev: bool, owners: &[i64]) -> Part {
        Part {
            dwelling_id: id,
            area_centi: area,
            developer_held: dev,
            owners: owners.to_vec(),
        }
    }

    fn keys(register: &[CountedOwner]) -> Vec<&str> {
        register.iter().map(|c| c.key.as_str()).collect()
    }

    #[test]
    fn heads_follow_the_interpretation() {
        let register = count_heads(&[
            part(1, 100, false, &[10]),
            part(2, 200, false, &[10]), // the same buyer: one head with part 1
            part(3, 300, false, &[11, 12]), // co-owners of one part: one head
            part(4, 400, true, &[]),    // developer's
            part(5, 500, true, &[]),    // developer's: one head together
            part(6, 600, false, &[]),   // no owner of record: still one part, one head
            part(7, 700, false, &[12]), // 12 alone is another buyer than 11 and 12
        ]);
        assert_eq!(
            keys(&register),
            [
                "developer",
                "owners:10",
                "owners:11,12",
                "owners:12",
                "part:6"
            ]
        );
        let area: HashMap<&str, i64> = register
            .iter()
            .map(|c| (c.key.as_str(), c.area_centi))
            .collect();
        assert_eq!(area["developer"], 900);
        assert_eq!(area["owners:10"], 300);
        assert_eq!(area["owners:11,12"], 300);
        assert_eq!(area["owners:12"], 700);
        assert_eq!(area["part:6"], 600);
        assert_eq!(register.iter().map(|c| c.area_centi).sum::<i64>(), 2800);
        let ten = register.iter().find(|c| c.key == "owners:10").unwrap();
        assert_eq!(ten.parts, [(1, 100), (2, 200)]);
    }

    #[test]
    fn a_shared_person_does_not_merge_buyers() {
        // A (1) and B (2) co-own dwelling 10; B alone owns dwelling 11;
        // A and B together also own dwelling 12, in the other order.
        let register = count_heads(&[
            part(10, 8_000, false, &[1, 2]),
            part(11, 9_000, false, &[2]),
            part(12, 5_000, false, &[2, 1]),
        ]);
        assert_eq!(keys(&register), ["owners:1,2", "owners:2"]);
        assert_eq!(register[0].owners, [1, 2]);
        assert_eq!(register[0].parts, [(10, 8_000), (12, 5_000)]);
        assert_eq!(register[1].owners, [2]);
        assert_eq!(register[1].parts, [(11, 9_000)]);
    }
}
