//! What a link of the decision chain commits to: for each kind of record an
//! explicit, versioned payload — the chained fields, in a fixed order —
//! never "the row as the table looks today". A column added to a chained
//! table later is not part of any existing payload, so old links still
//! verify; a change to a chained field is still found.
//!
//! Version 1 is the layout the first chains were written in. It carries no
//! version field; a later version starts its payload with `"v": n`, and a
//! link is verified against the version it was written in (the idea of
//! RFC 6962's versioned leaves).

use serde::Serialize;

use crate::domain::decisions::ledger::RecordKind;
use crate::domain::kinds::{
    ArticleMatter, BallotChoice, CouncilRule, CouncilStepKind, PublicationKind, StepOutcome,
    VoteRule, VoteStatus,
};
use crate::entity::{
    assembly_vote, ballot, council_matter, council_step, objection, objection_answer, publication,
    vote_result,
};
use crate::error::{AppError, AppResult};

/// The version new links are written in.
pub const CURRENT_VERSION: u32 = 1;

type Instant = chrono::DateTime<chrono::Utc>;

/// Declares the version-1 payload of one kind: the listed fields of its
/// row, borrowed, in this order.
macro_rules! payload_v1 {
    ($(#[$meta:meta])* $name:ident from $model:ty { $($field:ident: $ty:ty,)+ }) => {
        $(#[$meta])*
        #[derive(Serialize)]
        struct $name<'a> {
            $($field: &'a $ty,)+
        }

        impl<'a> From<&'a $model> for $name<'a> {
            fn from(m: &'a $model) -> Self {
                Self { $($field: &m.$field,)+ }
            }
        }
    };
}

payload_v1!(
    /// A council matter as proposed.
    MatterV1 from council_matter::Model {
        id: i64,
        council_id: i64,
        compound_id: i64,
        title: String,
        description: String,
        created_by: i64,
        created_at: Instant,
    }
);

payload_v1!(
    /// A recorded step of the council procedure.
    StepV1 from council_step::Model {
        id: i64,
        matter_id: i64,
        compound_id: i64,
        step: CouncilStepKind,
        held_on: chrono::NaiveDate,
        body: String,
        attendance: String,
        present: Option<i32>,
        minutes: Option<String>,
        outcome: StepOutcome,
        representatives: Option<i32>,
        votes_for: Option<i32>,
        votes_against: Option<i32>,
        votes_abstain: Option<i32>,
        rule: Option<CouncilRule>,
        corrects_id: Option<i64>,
        recorded_by: i64,
        created_at: Instant,
    }
);

payload_v1!(
    /// A publication (公示).
    PublicationV1 from publication::Model {
        id: i64,
        compound_id: i64,
        matter_id: Option<i64>,
        vote_id: Option<i64>,
        kind: PublicationKind,
        title: String,
        body: String,
        published_on: chrono::NaiveDate,
        publicity_ends_on: chrono::NaiveDate,
        corrects_id: Option<i64>,
        published_by: i64,
        created_at: Instant,
    }
);

payload_v1!(
    /// An objection to a publication.
    ObjectionV1 from objection::Model {
        id: i64,
        publication_id: i64,
        compound_id: i64,
        person_id: i64,
        account_id: i64,
        text: String,
        lodged_at: Instant,
    }
);

payload_v1!(
    /// The council's answer to an objection.
    AnswerV1 from objection_answer::Model {
        id: i64,
        objection_id: i64,
        text: String,
        answered_by: i64,
        answered_at: Instant,
    }
);

payload_v1!(
    /// A ballot.
    BallotV1 from ballot::Model {
        id: i64,
        vote_id: i64,
        voter_id: i64,
        choice: BallotChoice,
        cast_by_person_id: Option<i64>,
        recorded_by: i64,
        paper: bool,
        supersedes_id: Option<i64>,
        cast_at: Instant,
    }
);

payload_v1!(
    /// The stored result of a closed vote, with its basis.
    ResultV1 from vote_result::Model {
        id: i64,
        vote_id: i64,
        total_area_centi: i64,
        total_heads: i32,
        participating_area_centi: i64,
        participating_heads: i32,
        agree_area_centi: i64,
        agree_heads: i32,
        disagree_area_centi: i64,
        disagree_heads: i32,
        abstain_area_centi: i64,
        abstain_heads: i32,
        quorum_met: bool,
        adopted: bool,
        rule: VoteRule,
        closed_at: Instant,
    }
);

payload_v1!(
    /// A vote as opened (closing is the result's own link).
    VoteV1 from assembly_vote::Model {
        id: i64,
        compound_id: i64,
        matter: ArticleMatter,
        title: String,
        description: String,
        status: VoteStatus,
        total_area_centi: i64,
        total_heads: i32,
        opened_at: Instant,
        opened_by: i64,
        closes_at: Option<Instant>,
        closed_at: Option<Instant>,
        closed_by: Option<i64>,
    }
);

/// A vote's link: the vote as opened and a digest of its register.
#[derive(Serialize)]
struct VoteRecordV1<'a> {
    vote: VoteV1<'a>,
    register_digest: &'a str,
}

/// One record to chain, borrowed from its row.
#[derive(Debug, Clone, Copy)]
pub enum Chained<'a> {
    /// A council matter.
    CouncilMatter(&'a council_matter::Model),
    /// A step of a council matter.
    CouncilStep(&'a council_step::Model),
    /// A publication.
    Publication(&'a publication::Model),
    /// An objection.
    Objection(&'a objection::Model),
    /// An answer to an objection.
    ObjectionAnswer(&'a objection_answer::Model),
    /// A vote as opened (`ledger::opened_state`), with its register digest.
    AssemblyVote(&'a assembly_vote::Model, &'a str),
    /// A ballot.
    Ballot(&'a ballot::Model),
    /// The result of a closed vote.
    VoteResult(&'a vote_result::Model),
}

impl Chained<'_> {
    /// The kind of record.
    pub fn kind(&self) -> RecordKind {
        match self {
            Self::CouncilMatter(_) => RecordKind::CouncilMatter,
            Self::CouncilStep(_) => RecordKind::CouncilStep,
            Self::Publication(_) => RecordKind::Publication,
            Self::Objection(_) => RecordKind::Objection,
            Self::ObjectionAnswer(_) => RecordKind::ObjectionAnswer,
            Self::AssemblyVote(..) => RecordKind::AssemblyVote,
            Self::Ballot(_) => RecordKind::Ballot,
            Self::VoteResult(_) => RecordKind::VoteResult,
        }
    }

    /// The record's row id.
    pub fn id(&self) -> i64 {
        match self {
            Self::CouncilMatter(m) => m.id,
            Self::CouncilStep(m) => m.id,
            Self::Publication(m) => m.id,
            Self::Objection(m) => m.id,
            Self::ObjectionAnswer(m) => m.id,
            Self::AssemblyVote(m, _) => m.id,
            Self::Ballot(m) => m.id,
            Self::VoteResult(m) => m.id,
        }
    }

    /// The record as the audit trail keeps it: the whole row, except a
    /// ballot's choice. The audit trail is readable by all who may read a
    /// compound's history; how an owner voted is for those who run the vote.
    pub fn audit_json(&self) -> AppResult<serde_json::Value> {
        let json = match *self {
            Self::CouncilMatter(m) => serde_json::to_value(m),
            Self::CouncilStep(m) => serde_json::to_value(m),
            Self::Publication(m) => serde_json::to_value(m),
            Self::Objection(m) => serde_json::to_value(m),
            Self::ObjectionAnswer(m) => serde_json::to_value(m),
            Self::AssemblyVote(m, digest) => Ok(serde_json::json!({
                "vote": m,
                "register_digest": digest,
            })),
            Self::Ballot(m) => serde_json::to_value(m).map(|mut v| {
                if let Some(fields) = v.as_object_mut() {
                    fields.remove("choice");
                }
                v
            }),
            Self::VoteResult(m) => serde_json::to_value(m),
        };
        json.map_err(|e| AppError::Internal(format!("audit: {e}")))
    }

    /// The payload of this record in `version`, as the chain stores it.
    pub fn payload(&self, version: u32) -> AppResult<String> {
        if version != 1 {
            return Err(AppError::Internal(format!(
                "no chain payload version {version}"
            )));
        }
        let json = match *self {
            Self::CouncilMatter(m) => serde_json::to_string(&MatterV1::from(m)),
            Self::CouncilStep(m) => serde_json::to_string(&StepV1::from(m)),
            Self::Publication(m) => serde_json::to_string(&PublicationV1::from(m)),
            Self::Objection(m) => serde_json::to_string(&ObjectionV1::from(m)),
            Self::ObjectionAnswer(m) => serde_json::to_string(&AnswerV1::from(m)),
            Self::AssemblyVote(m, digest) => serde_json::to_string(&VoteRecordV1 {
                vote: VoteV1::from(m),
                register_digest: digest,
            }),
            Self::Ballot(m) => serde_json::to_string(&BallotV1::from(m)),
            Self::VoteResult(m) => serde_json::to_string(&ResultV1::from(m)),
        };
        json.map_err(|e| AppError::Internal(format!("chain payload: {e}")))
    }
}

/// The version a stored payload was written in: its `"v"`, or 1 when it has none.
pub fn version_of(payload: &str) -> u32 {
    serde_json::from_str::<serde_json::Value>(payload)
        .ok()
        .and_then(|v| v.get("v").and_then(serde_json::Value::as_u64))
        .and_then(|v| u32::try_from(v).ok())
        .unwrap_or(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Version 1 is the layout chains were first written in (the row's own
    /// serialisation at the time); a payload written then must read the same now.
    #[test]
    fn version_one_is_the_original_layout() {
        let at = chrono::DateTime::parse_from_rfc3339("2026-11-22T08:00:00.123456Z")
            .unwrap()
            .with_timezone(&chrono::Utc);
        let m = objection_answer::Model {
            id: 7,
            objection_id: 3,
            text: "已答复".into(),
            answered_by: 2,
            answered_at: at,
        };
        let p = Chained::ObjectionAnswer(&m).payload(1).unwrap();
        assert_eq!(p, serde_json::to_string(&m).unwrap());
        assert_eq!(version_of(&p), 1);
        assert_eq!(version_of(r#"{"v":2,"id":1}"#), 2);
        assert!(Chained::ObjectionAnswer(&m).payload(2).is_err());
    }
}
