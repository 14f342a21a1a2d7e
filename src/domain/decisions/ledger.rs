//! Tamper evidence: every decision record of a compound (council matters
//! and steps, publications, objections and answers, votes, ballots and
//! results) is appended to the compound's hash chain, in the transaction
//! that writes it.
//!
//! A link stores the record's payload (`chain_payload`: explicit, versioned
//! fields) and `hash = SHA-256(prev_hash ‖ seq ‖ kind ‖ ref_id ‖ payload)`.
//! Verifying recomputes every hash in order *and* rebuilds each referenced
//! row's payload, in the link's version, from the row as it is now, so an
//! edit of a chained field, of its link, or a removed link is found, and the
//! first broken link is reported; a column added to a chained table is not.
//!
//! Appends are serialised per compound by `lock_compound`, taken first in
//! every decision transaction, so the chain never forks.

use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder,
};
use sha2::{Digest, Sha256};

use crate::domain::access::{Permit, Scope};
use crate::domain::audit::{self, Subject};
use crate::domain::decisions::chain_payload::{CURRENT_VERSION, Chained, version_of};
use crate::domain::operation::Operation;
use crate::domain::unit_of_work::UnitOfWork;
use crate::entity::{
    assembly_vote, ballot, council_matter, council_step, decision_record, objection,
    objection_answer, publication, vote_result, vote_voter, vote_voter_owner, vote_voter_part,
};
use crate::error::AppResult;

/// The `prev_hash` of a compound's first link.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// The kinds of record chained, stored under their GraphQL type names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, strum::EnumIter, strum::IntoStaticStr)]
pub enum RecordKind {
    /// A council matter.
    CouncilMatter,
    /// A step of a council matter.
    CouncilStep,
    /// A publication.
    Publication,
    /// An objection.
    Objection,
    /// An answer to an objection.
    ObjectionAnswer,
    /// An assembly vote with its register snapshot.
    AssemblyVote,
    /// A ballot.
    Ballot,
    /// The result of a closed vote.
    VoteResult,
}

impl RecordKind {
    /// The stored name.
    pub fn as_str(self) -> &'static str {
        self.into()
    }

    fn parse(s: &str) -> Option<Self> {
        <Self as strum::IntoEnumIterator>::iter().find(|k| k.as_str() == s)
    }
}

/// Serialises every decision transaction of one compound: on PostgreSQL a
/// row lock on the compound; on SQLite a write that takes the database's
/// write lock at once, so no transaction works from a stale snapshot.
pub async fn lock_compound(db: &impl ConnectionTrait, compound_id: i64) -> AppResult<()> {
    crate::domain::store::lock_row::<crate::entity::compound::Entity>(db, compound_id).await
}

fn digest(prev: &str, seq: i64, kind: &str, ref_id: i64, payload: &str) -> String {
    let mut h = Sha256::new();
    for part in [prev, &seq.to_string(), kind, &ref_id.to_string(), payload] {
        h.update(part.as_bytes());
        h.update([0u8]);
    }
    hex::encode(h.finalize())
}

/// Appends `record`, made under `permit` by `operation`, to the chain of
/// `compound_id` in its current payload version, and writes its audit
/// record (`Chained::audit_json`). Call `lock_compound` first in the same
/// transaction.
pub async fn append(
    uow: &UnitOfWork<'_>,
    permit: &Permit<'_>,
    operation: Operation,
    compound_id: i64,
    record: Chained<'_>,
) -> AppResult<decision_record::Model> {
    let mut links = append_all(uow, compound_id, &[(permit, operation, record)]).await?;
    links
        .pop()
        .ok_or_else(|| crate::error::AppError::Internal("no chain link written".into()))
}

/// Appends `records` in the order given, each made under its permit by its
/// operation, to the chain of `compound_id`, with their audit records: the
/// chain's head is read once and the links and audit records are written in
/// bulk statements (a group of ballots committed together). Call
/// `lock_compound` first in the same transaction.
pub async fn append_all(
    uow: &UnitOfWork<'_>,
    compound_id: i64,
    records: &[(&Permit<'_>, Operation, Chained<'_>)],
) -> AppResult<Vec<decision_record::Model>> {
    let db = uow.db();
    let mut scopes = Vec::with_capacity(records.len());
    let mut audited = Vec::with_capacity(records.len());
    for (permit, _, record) in records {
        // A permit taken over the compound's scope names the same one in its
        // audit record, without looking it up again under the lock.
        let held = permit.scope();
        scopes.push(
            if held.compound_id == Some(compound_id)
                && held.building_id.is_none()
                && held.dwelling_id.is_none()
                && held.grid_id.is_none()
                && held.community_id.is_some()
            {
                *held
            } else {
                Scope::of_compound(db, compound_id).await?
            },
        );
        audited.push(record.audit_json()?);
    }
    audit::created_many(
        uow,
        records.iter().zip(&scopes).zip(&audited).map(
            |(((permit, operation, record), scope), json)| {
                (
                    *permit,
                    Subject::new(*operation, record.kind().as_str(), record.id(), scope),
                    json,
                )
            },
        ),
    )
    .await?;
    let last = decision_record::Entity::find()
        .filter(decision_record::Column::CompoundId.eq(compound_id))
        .order_by_desc(decision_record::Column::Seq)
        .one(db)
        .await?;
    let (mut seq, mut prev_hash) = match last {
        Some(l) => (l.seq, l.hash),
        None => (0, GENESIS.to_owned()),
    };
    let mut links = Vec::with_capacity(records.len());
    for (_, _, record) in records {
        let (kind, ref_id) = (record.kind(), record.id());
        seq += 1;
        let payload = record.payload(CURRENT_VERSION)?;
        let hash = digest(&prev_hash, seq, kind.as_str(), ref_id, &payload);
        links.push(decision_record::ActiveModel {
            compound_id: Set(compound_id),
            seq: Set(seq),
            kind: Set(kind.as_str().to_owned()),
            ref_id: Set(ref_id),
            payload: Set(payload),
            prev_hash: Set(std::mem::replace(&mut prev_hash, hash.clone())),
            hash: Set(hash),
            created_at: Set(uow.now()),
            ..Default::default()
        });
    }
    crate::domain::batch::insert_returning(db, links).await
}

/// The digest of a vote's register snapshot: counted owners, the persons
/// who are each of them and (for registers fixed since buyer units) their
/// dwellings. A register fixed before it has no dwelling rows, and its
/// digest is what it was then.
pub fn register_digest(
    voters: &[vote_voter::Model],
    owners: &[vote_voter_owner::Model],
    parts: &[vote_voter_part::Model],
) -> String {
    let mut voters: Vec<&vote_voter::Model> = voters.iter().collect();
    voters.sort_by_key(|v| v.id);
    let mut owners: Vec<&vote_voter_owner::Model> = owners.iter().collect();
    owners.sort_by_key(|o| o.id);
    let mut h = Sha256::new();
    for v in voters {
        h.update(format!(
            "v|{}|{}|{}|{}\n",
            v.id, v.unit_key, v.area_centi, v.is_developer
        ));
    }
    for o in owners {
        h.update(format!("o|{}|{}|{}\n", o.id, o.voter_id, o.person_id));
    }
    let mut parts: Vec<&vote_voter_part::Model> = parts.iter().collect();
    parts.sort_by_key(|p| p.id);
    for p in parts {
        h.update(format!(
            "p|{}|{}|{}|{}\n",
            p.id, p.voter_id, p.dwelling_id, p.area_centi
        ));
    }
    hex::encode(h.finalize())
}

/// The payload of the row a link refers to, as the row is now, in the
/// payload version the link was written in; `None` when the row is gone.
async fn current_payload(
    db: &impl ConnectionTrait,
    kind: RecordKind,
    id: i64,
    version: u32,
) -> AppResult<Option<String>> {
    macro_rules! row {
        ($table:ident, $variant:ident) => {
            match $table::Entity::find_by_id(id).one(db).await? {
                Some(m) => Some(Chained::$variant(&m).payload(version)?),
                None => None,
            }
        };
    }
    Ok(match kind {
        RecordKind::CouncilMatter => row!(council_matter, CouncilMatter),
        RecordKind::CouncilStep => row!(council_step, CouncilStep),
        RecordKind::Publication => row!(publication, Publication),
        RecordKind::Objection => row!(objection, Objection),
        RecordKind::ObjectionAnswer => row!(objection_answer, ObjectionAnswer),
        RecordKind::Ballot => row!(ballot, Ballot),
        RecordKind::VoteResult => row!(vote_result, VoteResult),
        RecordKind::AssemblyVote => match assembly_vote::Entity::find_by_id(id).one(db).await? {
            None => None,
            Some(vote) => {
                let voters = vote_voter::Entity::find()
                    .filter(vote_voter::Column::VoteId.eq(id))
                    .all(db)
                    .await?;
                let owners = vote_voter_owner::Entity::find()
                    .filter(vote_voter_owner::Column::VoteId.eq(id))
                    .all(db)
                    .await?;
                let parts = vote_voter_part::Entity::find()
                    .filter(vote_voter_part::Column::VoteId.eq(id))
                    .all(db)
                    .await?;
                let digest = register_digest(&voters, &owners, &parts);
                Some(Chained::AssemblyVote(&opened_state(&vote), &digest).payload(version)?)
            }
        },
    })
}

/// A vote as it was when opened: closing changes its status and closing
/// fields, which the result's own link records.
pub fn opened_state(vote: &assembly_vote::Model) -> assembly_vote::Model {
    assembly_vote::Model {
        status: crate::domain::kinds::VoteStatus::Open,
        closed_at: None,
        closed_by: None,
        ..vote.clone()
    }
}

/// The outcome of verifying a compound's chain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verification {
    /// Links checked.
    pub links: i64,
    /// The hash of the last link (`GENESIS` for an empty chain): published or
    /// kept elsewhere, it lets a later check tell that no link was cut from the end.
    pub head_hash: String,
    /// The first link that fails, with the reason; `None` when all are intact.
    pub first_broken: Option<BrokenLink>,
}

/// A link that failed verification.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BrokenLink {
    /// Its position in the chain, from 1.
    pub seq: i64,
    /// The kind of record.
    pub kind: String,
    /// The record's row id.
    pub ref_id: i64,
    /// What is wrong.
    pub reason: String,
}

/// How many rows verifying the chain of `compound_id` reads, from one
/// count of its links: each link, the record it names, and the listing of
/// every record that must be chained (one row each), plus one for an empty chain.
pub async fn verification_rows(db: &impl ConnectionTrait, compound_id: i64) -> AppResult<u64> {
    let links = decision_record::Entity::find()
        .filter(decision_record::Column::CompoundId.eq(compound_id))
        .count(db)
        .await?;
    Ok(links.saturating_mul(3).saturating_add(1))
}

/// Recomputes the chain of `compound_id`.
pub async fn verify(db: &impl ConnectionTrait, compound_id: i64) -> AppResult<Verification> {
    let links = decision_record::Entity::find()
        .filter(decision_record::Column::CompoundId.eq(compound_id))
        .order_by_asc(decision_record::Column::Seq)
        .all(db)
        .await?;
    let mut prev = GENESIS.to_owned();
    let mut chained: std::collections::HashSet<(String, i64)> = std::collections::HashSet::new();
    let count = links.len() as i64;
    for (i, link) in links.into_iter().enumerate() {
        let broken = |reason: &str| BrokenLink {
            seq: link.seq,
            kind: link.kind.clone(),
            ref_id: link.ref_id,
            reason: reason.to_owned(),
        };
        let expected_seq = i as i64 + 1;
        let failure = if link.seq != expected_seq {
            Some(broken(&format!("link {expected_seq} is missing")))
        } else if link.prev_hash != prev {
            Some(broken("it does not follow the previous link"))
        } else if digest(
            &link.prev_hash,
            link.seq,
            &link.kind,
            link.ref_id,
            &link.payload,
        ) != link.hash
        {
            Some(broken("its hash does not match its content"))
        } else {
            match RecordKind::parse(&link.kind) {
                None => Some(broken("unknown kind of record")),
                Some(kind) => {
                    match current_payload(db, kind, link.ref_id, version_of(&link.payload)).await? {
                        None => Some(broken("the record is gone")),
                        Some(now) if now != link.payload => {
                            Some(broken("the record was changed after it was chained"))
                        }
                        Some(_) => None,
                    }
                }
            }
        };
        if let Some(b) = failure {
            return Ok(Verification {
                links: count,
                head_hash: prev,
                first_broken: Some(b),
            });
        }
        chained.insert((link.kind.clone(), link.ref_id));
        prev = link.hash;
    }
    // Every decision record of the compound must be in the chain: a record
    // whose link was removed (from the middle or the end) is found here.
    let first_unchained = records_of(db, compound_id)
        .await?
        .into_iter()
        .find(|(kind, id)| !chained.contains(&(kind.as_str().to_owned(), *id)));
    Ok(Verification {
        links: count,
        head_hash: prev,
        first_broken: first_unchained.map(|(kind, id)| BrokenLink {
            seq: count + 1,
            kind: kind.as_str().to_owned(),
            ref_id: id,
            reason: "the record is missing from the chain: a link was removed".to_owned(),
        }),
    })
}

/// Every decision record of a compound, oldest first within each kind.
async fn records_of(
    db: &impl ConnectionTrait,
    compound_id: i64,
) -> AppResult<Vec<(RecordKind, i64)>> {
    let mut out = Vec::new();
    macro_rules! ids {
        ($table:ident, $kind:expr) => {
            for m in $table::Entity::find()
                .filter($table::Column::CompoundId.eq(compound_id))
                .order_by_asc($table::Column::Id)
                .all(db)
                .await?
            {
                out.push(($kind, m.id));
            }
        };
    }
    ids!(council_matter, RecordKind::CouncilMatter);
    ids!(council_step, RecordKind::CouncilStep);
    ids!(publication, RecordKind::Publication);
    ids!(objection, RecordKind::Objection);
    ids!(assembly_vote, RecordKind::AssemblyVote);
    let objections: Vec<i64> = out
        .iter()
        .filter(|(k, _)| *k == RecordKind::Objection)
        .map(|(_, id)| *id)
        .collect();
    for a in objection_answer::Entity::find()
        .filter(objection_answer::Column::ObjectionId.is_in(objections))
        .order_by_asc(objection_answer::Column::Id)
        .all(db)
        .await?
    {
        out.push((RecordKind::ObjectionAnswer, a.id));
    }
    let votes: Vec<i64> = out
        .iter()
        .filter(|(k, _)| *k == RecordKind::AssemblyVote)
        .map(|(_, id)| *id)
        .collect();
    for b in ballot::Entity::find()
        .filter(ballot::Column::VoteId.is_in(votes.clone()))
        .order_by_asc(ballot::Column::Id)
        .all(db)
        .await?
    {
        out.push((RecordKind::Ballot, b.id));
    }
    for r in vote_result::Entity::find()
        .filter(vote_result::Column::VoteId.is_in(votes))
        .order_by_asc(vote_result::Column::Id)
        .all(db)
        .await?
    {
        out.push((RecordKind::VoteResult, r.id));
    }
    Ok(out)
}
