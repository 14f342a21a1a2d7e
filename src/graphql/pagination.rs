//! Relay cursor connections over any table, keyed by row id.
//!
//! Pages are cut with keyset conditions on `id` (never OFFSET), so a page
//! costs the same wherever it is. Page size defaults to 20 and is capped at
//! `MAX_PAGE_SIZE`; asking for more is a request error, not a silent cut.

use async_graphql::{
    SimpleObject,
    connection::{CursorType, OpaqueCursor, PageInfo},
};
use sea_orm::{ColumnTrait, ConnectionTrait, QueryFilter, QueryOrder, QuerySelect, Select};

pub use crate::domain::store::Keyed;
use crate::error::AppError;
use crate::graphql::types::{
    Compound,
    audit::AuditRecord,
    chiefs::ChiefAppointment,
    decisions::{AssemblyVote, Ballot, CouncilMatter, Objection, Publication, VoteVoter},
    parties::{JointMeeting, PropertyCompany, PropertyContract},
    register::{Building, Community, District, Dwelling, Entrance, Grid, Subdistrict},
};

/// Largest page a client may ask for.
pub const MAX_PAGE_SIZE: usize = 100;
/// Page size when neither `first` nor `last` is given.
pub const DEFAULT_PAGE_SIZE: usize = 20;
/// Longest cursor, in characters: a cursor is an id of at most 20
/// characters in JSON, base64-encoded in at most 27.
pub const MAX_CURSOR_LEN: usize = 32;

type Cursor = OpaqueCursor<i64>;

/// A page of items, before it takes the shape of its connection type.
pub struct Page<T> {
    /// Items with their cursors.
    pub edges: Vec<(String, T)>,
    /// Where the page lies.
    pub page_info: PageInfo,
}

/// Declares the connection and edge types of one kind of node.
macro_rules! connection {
    ($conn:ident, $edge:ident, $node:ty, $conn_doc:literal, $edge_doc:literal) => {
        #[doc = $conn_doc]
        #[derive(SimpleObject)]
        pub struct $conn {
            /// The items of this page, each with its cursor.
            pub edges: Vec<$edge>,
            /// Where this page lies: whether there are items before and after it.
            pub page_info: PageInfo,
        }

        #[doc = $edge_doc]
        #[derive(SimpleObject)]
        pub struct $edge {
            /// The item.
            pub node: $node,
            /// The item's position; pass it as `after` or `before` to page on from it.
            pub cursor: String,
        }

        impl From<Page<$node>> for $conn {
            fn from(page: Page<$node>) -> Self {
                Self {
                    edges: page
                        .edges
                        .into_iter()
                        .map(|(cursor, node)| $edge { node, cursor })
                        .collect(),
                    page_info: page.page_info,
                }
            }
        }
    };
}

connection!(
    DistrictConnection,
    DistrictEdge,
    District,
    "A page of districts.",
    "A district in a page, with its cursor."
);
connection!(
    SubdistrictConnection,
    SubdistrictEdge,
    Subdistrict,
    "A page of subdistricts.",
    "A subdistrict in a page, with its cursor."
);
connection!(
    CommunityConnection,
    CommunityEdge,
    Community,
    "A page of communities.",
    "A community in a page, with its cursor."
);
connection!(
    GridConnection,
    GridEdge,
    Grid,
    "A page of grids.",
    "A grid in a page, with its cursor."
);
connection!(
    CompoundConnection,
    CompoundEdge,
    Compound,
    "A page of compounds.",
    "A compound in a page, with its cursor."
);
connection!(
    BuildingConnection,
    BuildingEdge,
    Building,
    "A page of buildings.",
    "A building in a page, with its cursor."
);
connection!(
    EntranceConnection,
    EntranceEdge,
    Entrance,
    "A page of entrances.",
    "An entrance in a page, with its cursor."
);
connection!(
    DwellingConnection,
    DwellingEdge,
    Dwelling,
    "A page of dwellings.",
    "A dwelling in a page, with its cursor."
);
connection!(
    ChiefAppointmentConnection,
    ChiefAppointmentEdge,
    ChiefAppointment,
    "A page of chief appointments.",
    "A chief appointment in a page, with its cursor."
);
connection!(
    JointMeetingConnection,
    JointMeetingEdge,
    JointMeeting,
    "A page of joint meetings.",
    "A joint meeting in a page, with its cursor."
);
connection!(
    PropertyCompanyConnection,
    PropertyCompanyEdge,
    PropertyCompany,
    "A page of property companies.",
    "A property company in a page, with its cursor."
);
connection!(
    PropertyContractConnection,
    PropertyContractEdge,
    PropertyContract,
    "A page of property contracts.",
    "A property contract in a page, with its cursor."
);
connection!(
    CouncilMatterConnection,
    CouncilMatterEdge,
    CouncilMatter,
    "A page of council matters.",
    "A council matter in a page, with its cursor."
);
connection!(
    ObjectionConnection,
    ObjectionEdge,
    Objection,
    "A page of objections.",
    "An objection in a page, with its cursor."
);
connection!(
    PublicationConnection,
    PublicationEdge,
    Publication,
    "A page of publications.",
    "A publication in a page, with its cursor."
);
connection!(
    AssemblyVoteConnection,
    AssemblyVoteEdge,
    AssemblyVote,
    "A page of assembly votes.",
    "An assembly vote in a page, with its cursor."
);
connection!(
    VoteVoterConnection,
    VoteVoterEdge,
    VoteVoter,
    "A page of a vote's register.",
    "A counted owner in a page, with its cursor."
);
connection!(
    BallotConnection,
    BallotEdge,
    Ballot,
    "A page of ballots.",
    "A ballot in a page, with its cursor."
);
connection!(
    AuditRecordConnection,
    AuditRecordEdge,
    AuditRecord,
    "A page of audit records.",
    "An audit record in a page, with its cursor."
);
connection!(
    ResponsibilityPlacardConnection,
    ResponsibilityPlacardEdge,
    crate::graphql::types::placards::ResponsibilityPlacard,
    "A page of responsibility placard postings.",
    "A responsibility placard posting in a page, with its cursor."
);
connection!(
    PlacardDwellingConnection,
    PlacardDwellingEdge,
    crate::graphql::types::placards::PlacardDwelling,
    "A page of a placard's dwellings, each with the chain answering for it.",
    "A dwelling of a placard in a page, with its cursor."
);
connection!(
    ServiceTeamConnection,
    ServiceTeamEdge,
    crate::graphql::types::teams::ServiceTeam,
    "A page of service teams.",
    "A service team in a page, with its cursor."
);
connection!(
    ServiceTeamMemberConnection,
    ServiceTeamMemberEdge,
    crate::graphql::types::teams::ServiceTeamMember,
    "A page of service team members.",
    "A service team member in a page, with its cursor."
);
connection!(
    ServiceActivityConnection,
    ServiceActivityEdge,
    crate::graphql::types::teams::ServiceActivity,
    "A page of a service team's activity log.",
    "An entry of the activity log in a page, with its cursor."
);
connection!(
    ResponsibilityListConnection,
    ResponsibilityListEdge,
    crate::graphql::types::duties::ResponsibilityList,
    "A page of responsibility lists.",
    "A responsibility list in a page, with its cursor."
);
connection!(
    ResponsibilityListVersionConnection,
    ResponsibilityListVersionEdge,
    crate::graphql::types::duties::ResponsibilityListVersion,
    "A page of versions of a responsibility list.",
    "A version of a responsibility list in a page, with its cursor."
);
connection!(
    ResponsibilityLinkConnection,
    ResponsibilityLinkEdge,
    crate::graphql::types::duties::ResponsibilityLink,
    "A page of parties linked to responsibility lists.",
    "A responsibility link in a page, with its cursor."
);

/// The four Relay arguments.
#[derive(Debug, Clone, Default)]
pub struct PageArgs {
    /// Items after this cursor.
    pub after: Option<String>,
    /// Items before this cursor.
    pub before: Option<String>,
    /// The first n items.
    pub first: Option<i32>,
    /// The last n items.
    pub last: Option<i32>,
}

/// How many rows to take and in which direction.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Window {
    /// Rows with a greater id only.
    pub after: Option<i64>,
    /// Rows with a smaller id only.
    pub before: Option<i64>,
    /// Rows in the page.
    pub limit: usize,
    /// Whether the page is counted from the end (`last`).
    pub backward: bool,
}

fn decode(cursor: Option<&str>, arg: &str) -> Result<Option<i64>, AppError> {
    let refused = || AppError::BadRequest(format!("`{arg}` is not a cursor of this list"));
    cursor
        .map(|c| {
            // Longer than any cursor this server gives: not decoded at all.
            if c.chars().count() > MAX_CURSOR_LEN {
                return Err(refused());
            }
            Cursor::decode_cursor(c).map(|c| c.0).map_err(|_| refused())
        })
        .transpose()
}

/// Checks the Relay arguments and turns them into a window of rows.
pub fn window(args: &PageArgs) -> Result<Window, AppError> {
    if args.first.is_some() && args.last.is_some() {
        return Err(AppError::BadRequest(
            "give `first` or `last`, not both".into(),
        ));
    }
    let n = match args.first.or(args.last) {
        None => DEFAULT_PAGE_SIZE,
        Some(n) if n < 0 => {
            return Err(AppError::BadRequest(
                "`first` and `last` cannot be negative".into(),
            ));
        }
        Some(n) => n as usize,
    };
    if n > MAX_PAGE_SIZE {
        return Err(AppError::BadRequest(format!(
            "a page holds at most {MAX_PAGE_SIZE} items"
        )));
    }
    Ok(Window {
        after: decode(args.after.as_deref(), "after")?,
        before: decode(args.before.as_deref(), "before")?,
        limit: n,
        backward: args.last.is_some(),
    })
}

fn assemble<M, T>(
    mut rows: Vec<M>,
    w: &Window,
    id_of: impl Fn(&M) -> i64,
    to_node: impl Fn(M) -> T,
) -> Page<T> {
    let more = rows.len() > w.limit;
    rows.truncate(w.limit);
    if w.backward {
        rows.reverse();
    }
    let (has_previous_page, has_next_page) = if w.backward {
        (more, w.before.is_some())
    } else {
        (w.after.is_some(), more)
    };
    let edges: Vec<(String, T)> = rows
        .into_iter()
        .map(|m| (OpaqueCursor(id_of(&m)).encode_cursor(), to_node(m)))
        .collect();
    Page {
        page_info: PageInfo {
            has_previous_page,
            has_next_page,
            start_cursor: edges.first().map(|e| e.0.clone()),
            end_cursor: edges.last().map(|e| e.0.clone()),
        },
        edges,
    }
}

/// One page of the rows `select` finds, ordered by id.
pub async fn paginate<E, T, C>(
    db: &impl ConnectionTrait,
    select: Select<E>,
    args: PageArgs,
    to_node: impl Fn(E::Model) -> T,
) -> async_graphql::Result<C>
where
    E: Keyed,
    C: From<Page<T>>,
{
    paginate_ordered(db, select, args, false, to_node).await
}

/// One page of the rows `select` finds, newest (highest id) first.
pub async fn paginate_newest_first<E, T, C>(
    db: &impl ConnectionTrait,
    select: Select<E>,
    args: PageArgs,
    to_node: impl Fn(E::Model) -> T,
) -> async_graphql::Result<C>
where
    E: Keyed,
    C: From<Page<T>>,
{
    paginate_ordered(db, select, args, true, to_node).await
}

async fn paginate_ordered<E, T, C>(
    db: &impl ConnectionTrait,
    select: Select<E>,
    args: PageArgs,
    newest_first: bool,
    to_node: impl Fn(E::Model) -> T,
) -> async_graphql::Result<C>
where
    E: Keyed,
    C: From<Page<T>>,
{
    let w = window(&args)?;
    let id = E::id_column();
    // In newest-first order, items "after" a cursor have smaller ids.
    let (above, below) = if newest_first {
        (w.before, w.after)
    } else {
        (w.after, w.before)
    };
    let mut q = select;
    if let Some(a) = above {
        q = q.filter(id.gt(a));
    }
    if let Some(b) = below {
        q = q.filter(id.lt(b));
    }
    q = if newest_first != w.backward {
        q.order_by_desc(id)
    } else {
        q.order_by_asc(id)
    };
    let rows = q
        .limit(w.limit as u64 + 1)
        .all(db)
        .await
        .map_err(AppError::from)?;
    Ok(assemble(rows, &w, E::id_of, to_node).into())
}

/// One page of rows already loaded (by a DataLoader, for many parents at
/// once).
pub async fn paginate_loaded<M, T, C>(
    rows: Vec<M>,
    args: PageArgs,
    id_of: impl Fn(&M) -> i64,
    to_node: impl Fn(M) -> T,
) -> async_graphql::Result<C>
where
    C: From<Page<T>>,
{
    let w = window(&args)?;
    let mut kept: Vec<M> = rows
        .into_iter()
        .filter(|m| w.after.is_none_or(|a| id_of(m) > a))
        .filter(|m| w.before.is_none_or(|b| id_of(m) < b))
        .collect();
    kept.sort_by_key(|m| id_of(m));
    if w.backward {
        kept.reverse();
    }
    kept.truncate(w.limit + 1);
    Ok(assemble(kept, &w, &id_of, to_node).into())
}

/// The complexity of a connection field: its page size times the cost of one item.
pub fn cost(first: Option<i32>, last: Option<i32>, child: usize) -> usize {
    let n = first
        .or(last)
        .map(|n| n.clamp(0, MAX_PAGE_SIZE as i32) as usize)
        .unwrap_or(DEFAULT_PAGE_SIZE);
    n.max(1).saturating_mul(child).saturating_add(1)
}

/// One page of the children of `parent` through relation `R`, fetched for
/// all the parents of a level in one query (see `loaders::PageOf`).
pub async fn page_of_children<R, T, C>(
    loaders: &crate::graphql::Loaders,
    parent: i64,
    args: PageArgs,
    to_node: impl Fn(<R::Child as sea_orm::EntityTrait>::Model) -> T,
) -> async_graphql::Result<C>
where
    R: crate::graphql::loaders::ChildRelation,
    <R::Child as sea_orm::EntityTrait>::Model: Send + Sync + Clone + 'static,
    C: From<Page<T>>,
{
    let w = window(&args)?;
    let rows = crate::graphql::loaders::page_of::<R>(loaders, parent, w).await?;
    paginate_loaded(rows, args, R::Child::id_of, to_node).await
}
connection!(
    ProjectConnection,
    ProjectEdge,
    crate::graphql::types::projects::Project,
    "A page of people's-small-things projects.",
    "A project in a page, with its cursor."
);
connection!(
    ProjectSupportConnection,
    ProjectSupportEdge,
    crate::graphql::types::projects::ProjectSupport,
    "A page of a project's supports.",
    "A support in a page, with its cursor."
);
connection!(
    ProjectUpdateConnection,
    ProjectUpdateEdge,
    crate::graphql::types::projects::ProjectUpdate,
    "A page of a project's progress updates.",
    "A progress update in a page, with its cursor."
);
connection!(
    ProjectRatingConnection,
    ProjectRatingEdge,
    crate::graphql::types::projects::ProjectRating,
    "A page of a project's ratings.",
    "A rating in a page, with its cursor."
);
connection!(
    RubricConnection,
    RubricEdge,
    crate::graphql::types::evaluation::Rubric,
    "A page of evaluation rubrics.",
    "A rubric in a page, with its cursor."
);
connection!(
    RubricVersionConnection,
    RubricVersionEdge,
    crate::graphql::types::evaluation::RubricVersion,
    "A page of a rubric's versions.",
    "A rubric version in a page, with its cursor."
);
connection!(
    NoticeConnection,
    NoticeEdge,
    crate::graphql::types::notices::Notice,
    "A page of notices.",
    "A notice in a page, with its cursor."
);
connection!(
    OpinionConnection,
    OpinionEdge,
    crate::graphql::types::notices::Opinion,
    "A page of residents' opinions.",
    "An opinion in a page, with its cursor."
);
connection!(
    PatrolItemConnection,
    PatrolItemEdge,
    crate::graphql::types::grid_events::PatrolItem,
    "A page of patrol items.",
    "A patrol item in a page, with its cursor."
);
connection!(
    EventCategoryConnection,
    EventCategoryEdge,
    crate::graphql::types::grid_events::EventCategory,
    "A page of event categories.",
    "An event category in a page, with its cursor."
);
connection!(
    EventHandlerConnection,
    EventHandlerEdge,
    crate::graphql::types::grid_events::EventHandler,
    "A page of event handlers.",
    "An event handler in a page, with its cursor."
);
connection!(
    GridEventConnection,
    GridEventEdge,
    crate::graphql::types::grid_events::GridEvent,
    "A page of grid events.",
    "A grid event in a page, with its cursor."
);
connection!(
    EventSupervisionConnection,
    EventSupervisionEdge,
    crate::graphql::types::grid_events::EventSupervision,
    "A page of supervisions of grid events.",
    "A supervision in a page, with its cursor."
);
connection!(
    JointActionConnection,
    JointActionEdge,
    crate::graphql::types::grid_events::JointAction,
    "A page of joint rectification actions.",
    "A joint action in a page, with its cursor."
);
connection!(
    EvaluationCampaignConnection,
    EvaluationCampaignEdge,
    crate::graphql::types::evaluation::EvaluationCampaign,
    "A page of evaluation campaigns.",
    "A campaign in a page, with its cursor."
);
connection!(
    CampaignEntryConnection,
    CampaignEntryEdge,
    crate::graphql::types::evaluation::CampaignEntry,
    "A page of a campaign's entries.",
    "An entry in a page, with its cursor."
);
connection!(
    CampaignStandingConnection,
    CampaignStandingEdge,
    crate::graphql::types::evaluation::CampaignStanding,
    "A page of a campaign's ranking.",
    "A place in the ranking, with its cursor."
);
connection!(
    EvaluationTitleConnection,
    EvaluationTitleEdge,
    crate::graphql::types::evaluation::EvaluationTitle,
    "A page of titles.",
    "A title in a page, with its cursor."
);
connection!(
    EvaluatorAssignmentConnection,
    EvaluatorAssignmentEdge,
    crate::graphql::types::evaluation::EvaluatorAssignment,
    "A page of evaluator assignments.",
    "An assignment in a page, with its cursor."
);
connection!(
    SelfInspectionConnection,
    SelfInspectionEdge,
    crate::graphql::types::evaluation::SelfInspection,
    "A page of a compound's self-inspections.",
    "A self-inspection in a page, with its cursor."
);
connection!(
    StarRatingRoundConnection,
    StarRatingRoundEdge,
    crate::graphql::types::evaluation::StarRatingRound,
    "A page of star-rating rounds.",
    "A round in a page, with its cursor."
);
connection!(
    StarRatingConnection,
    StarRatingEdge,
    crate::graphql::types::evaluation::StarRating,
    "A page of star ratings.",
    "A rating in a page, with its cursor."
);

#[cfg(test)]
mod tests {
    use base64::Engine;

    use super::*;

    #[test]
    fn every_cursor_fits_its_bound_and_longer_ones_are_refused() {
        for id in [0, 1, 4_096, i64::MAX, i64::MIN] {
            let c = OpaqueCursor(id).encode_cursor();
            assert!(c.chars().count() <= MAX_CURSOR_LEN, "{c}");
            assert_eq!(decode(Some(&c), "after").unwrap(), Some(id));
        }
        // JSON allows leading spaces: this decodes to 7, but is longer than
        // any cursor given out.
        let padded = base64::engine::general_purpose::URL_SAFE_NO_PAD
            .encode(format!("{}7", " ".repeat(MAX_CURSOR_LEN)));
        assert_eq!(Cursor::decode_cursor(&padded).unwrap().0, 7);
        assert!(matches!(
            decode(Some(&padded), "after"),
            Err(AppError::BadRequest(m)) if m == "`after` is not a cursor of this list"
        ));
    }
}
