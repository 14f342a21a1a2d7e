//! Volunteer and service teams: teams, their members and their activity
//! log, the mutations that keep them, the `serviceTeams` list and the
//! `serviceFigures` that feed the services aspect of evaluation, and the
//! `serviceTeams` of a compound.
//!
//! Teams, kinds, the log and the figures are public (residents' portals
//! show them); members are people of the register, whose phones and ID
//! numbers `people::Person` masks for callers not entitled to them. No rule
//! lives here: who may write, terms and corrections are `domain::teams`'.

use std::collections::HashMap;
use std::sync::Arc;

use async_graphql::dataloader::Loader;
use async_graphql::{Context, ID, InputObject, MaybeUndefined, Object, Result, SimpleObject};
use chrono::{DateTime, Utc};
use sea_orm::{
    ColumnTrait, Condition, EntityTrait, QueryFilter, Statement,
    sea_query::{Query, SimpleExpr},
};

use crate::domain::kinds::{ServiceTeamKind, ServiceTeamRole};
use crate::domain::teams::{
    self, ActivityRecord, Correction, Figures, FiguresUnit, NewTeam, TeamChange,
};
use crate::domain::values::{Name, Term, parse_text};
use crate::entity::{
    account, community, compound, person, service_activity, service_team, service_team_member,
};
use crate::error::AppError;
use crate::graphql::id::{NodeKind, arg_id, encode, input_id, input_id_opt};
use crate::graphql::loaders::{
    CorrectionsOfServiceActivity, Db, LoadError, MembersOfServiceTeam,
    ParticipantsOfServiceActivity, ServiceTeamsOfCompound, by_id, by_id_opt, children,
};
use crate::graphql::pagination::{
    ServiceActivityConnection, ServiceTeamConnection, ServiceTeamMemberConnection, Window, cost,
    paginate, paginate_loaded, window,
};
use crate::graphql::scalars::Date;
use crate::graphql::types::people::Person;
use crate::graphql::types::register::Community;
use crate::graphql::types::{Compound, name_opt, page, patch};
use crate::graphql::{db, loaders, mutate, payload, today};

/// A volunteer or service team (志愿服务队伍) of a compound or a community.
pub struct ServiceTeam(pub service_team::Model);

/// A volunteer or service team (志愿服务队伍) of a compound or a community.
#[Object]
impl ServiceTeam {
    /// Global ID.
    pub async fn id(&self) -> ID {
        encode(NodeKind::ServiceTeam, self.0.id)
    }
    /// Name, unique within its compound or community.
    async fn name(&self) -> &str {
        &self.0.name
    }
    /// Service, public-welfare or mutual-aid (服务性、公益性、互助性).
    async fn kind(&self) -> ServiceTeamKind {
        self.0.kind
    }
    /// What the team does (may be empty).
    async fn description(&self) -> &str {
        &self.0.description
    }
    /// Its first day.
    async fn founded_on(&self) -> Date {
        self.0.founded_on.into()
    }
    /// Its last day, once it is disbanded; null while it goes on.
    async fn disbanded_on(&self) -> Option<Date> {
        self.0.disbanded_on.map(Date)
    }
    /// Whether the team exists today.
    async fn active(&self, ctx: &Context<'_>) -> Result<bool> {
        Ok(teams::team_period(&self.0).contains(today(ctx)?))
    }
    /// The compound it belongs to; null for a team of a community.
    async fn compound(&self, ctx: &Context<'_>) -> Result<Option<Compound>> {
        Ok(
            by_id_opt::<compound::Entity>(loaders(ctx)?, self.0.compound_id)
                .await?
                .map(Compound::new),
        )
    }
    /// The community it belongs to; null for a team of a compound (see `compound.community`).
    async fn community(&self, ctx: &Context<'_>) -> Result<Option<Community>> {
        Ok(
            by_id_opt::<community::Entity>(loaders(ctx)?, self.0.community_id)
                .await?
                .map(Community),
        )
    }
    /// The leader (队长) serving today, if any.
    async fn leader(&self, ctx: &Context<'_>) -> Result<Option<ServiceTeamMember>> {
        let day = today(ctx)?;
        Ok(children::<MembersOfServiceTeam>(loaders(ctx)?, self.0.id)
            .await?
            .into_iter()
            .find(|m| m.role == ServiceTeamRole::Leader && teams::member_term(m).contains(day))
            .map(ServiceTeamMember))
    }
    /// Members, in the order they joined the register of the team; by default only those serving today.
    #[graphql(complexity = "cost(first, last, child_complexity)")]
    async fn members(
        &self,
        ctx: &Context<'_>,
        #[graphql(
            desc = "Include members whose terms have ended or not begun.",
            default = false
        )]
        include_past: bool,
        #[graphql(desc = "Returns the first n items (at most 100).")] first: Option<i32>,
        #[graphql(desc = "Returns items after this cursor (at most 32 characters).")] after: Option<
            String,
        >,
        #[graphql(desc = "Returns the last n items (at most 100).")] last: Option<i32>,
        #[graphql(desc = "Returns items before this cursor (at most 32 characters).")]
        before: Option<String>,
    ) -> Result<ServiceTeamMemberConnection> {
        let day = today(ctx)?;
        let rows: Vec<_> = children::<MembersOfServiceTeam>(loaders(ctx)?, self.0.id)
            .await?
            .into_iter()
            .filter(|m| include_past || teams::member_term(m).contains(day))
            .collect();
        paginate_loaded(
            rows,
            page(first, after, last, before),
            |m| m.id,
            ServiceTeamMember,
        )
        .await
    }
    /// The activity log: each entry as it stands (its newest record, withdrawn ones flagged),
    /// in the order the entries were first recorded; `last` gives the newest.
    #[graphql(complexity = "cost(first, last, child_complexity)")]
    async fn activities(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Returns the first n items (at most 100).")] first: Option<i32>,
        #[graphql(desc = "Returns items after this cursor (at most 32 characters).")] after: Option<
            String,
        >,
        #[graphql(desc = "Returns the last n items (at most 100).")] last: Option<i32>,
        #[graphql(desc = "Returns items before this cursor (at most 32 characters).")]
        before: Option<String>,
    ) -> Result<ServiceActivityConnection> {
        let args = page(first, after, last, before);
        let w = window(&args)?;
        let rows = loaders(ctx)?
            .load_one(LogPage(self.0.id, w))
            .await
            .map_err(shared)?
            .unwrap_or_default();
        paginate_loaded(rows, args, entry_of, ServiceActivity).await
    }
}

/// A membership of a service team, in a role, for a term.
pub struct ServiceTeamMember(pub service_team_member::Model);

/// A membership of a service team, in a role, for a term.
#[Object]
impl ServiceTeamMember {
    /// Global ID.
    pub async fn id(&self) -> ID {
        encode(NodeKind::ServiceTeamMember, self.0.id)
    }
    /// Leader or member.
    async fn role(&self) -> ServiceTeamRole {
        self.0.role
    }
    /// First day of the term.
    async fn joined_on(&self) -> Date {
        self.0.joined_on.into()
    }
    /// Last day of the term; null while open.
    async fn left_on(&self) -> Option<Date> {
        self.0.left_on.map(Date)
    }
    /// Whether the member serves today.
    async fn serving(&self, ctx: &Context<'_>) -> Result<bool> {
        Ok(teams::member_term(&self.0).contains(today(ctx)?))
    }
    /// The person; their phone and ID numbers stay masked unless the caller is entitled to them.
    async fn person(&self, ctx: &Context<'_>) -> Result<Option<Person>> {
        Ok(by_id::<person::Entity>(loaders(ctx)?, self.0.person_id)
            .await?
            .map(Person))
    }
    /// The team.
    async fn team(&self, ctx: &Context<'_>) -> Result<Option<ServiceTeam>> {
        Ok(by_id::<service_team::Entity>(loaders(ctx)?, self.0.team_id)
            .await?
            .map(ServiceTeam))
    }
}

/// The original entry a record of the log belongs to.
fn entry_of(m: &service_activity::Model) -> i64 {
    m.corrects_id.unwrap_or(m.id)
}

/// One record of a service team's activity log: an original entry or a
/// correction of one. Records are never edited.
pub struct ServiceActivity(pub service_activity::Model);

/// One record of a service team's activity log: an original entry or a
/// correction of one. Records are never edited.
#[Object]
impl ServiceActivity {
    /// Global ID.
    pub async fn id(&self) -> ID {
        encode(NodeKind::ServiceActivity, self.0.id)
    }
    /// The day of the activity.
    async fn held_on(&self) -> Date {
        self.0.held_on.into()
    }
    /// What it was.
    async fn title(&self) -> &str {
        &self.0.title
    }
    /// What was done (may be empty).
    async fn description(&self) -> &str {
        &self.0.description
    }
    /// How many people took part, the members named among them.
    async fn participant_count(&self) -> i32 {
        self.0.participant_count
    }
    /// The team's members named as taking part.
    async fn participants(&self, ctx: &Context<'_>) -> Result<Vec<ServiceTeamMember>> {
        let l = loaders(ctx)?;
        let named = children::<ParticipantsOfServiceActivity>(l, self.0.id).await?;
        let members = futures_util::future::try_join_all(
            named
                .iter()
                .map(|p| by_id::<service_team_member::Entity>(l, p.member_id)),
        )
        .await?;
        Ok(members
            .into_iter()
            .flatten()
            .map(ServiceTeamMember)
            .collect())
    }
    /// Minutes of service given by all participants together (志愿服务时长), if recorded.
    async fn service_minutes(&self) -> Option<i32> {
        self.0.service_minutes
    }
    /// Whether this record withdraws the entry (the activity did not take place, or was recorded twice).
    async fn withdrawn(&self) -> bool {
        self.0.withdrawn
    }
    /// Why the entry was corrected, when this record is a correction.
    async fn correction_reason(&self) -> Option<&str> {
        self.0.correction_reason.as_deref()
    }
    /// The original entry this record corrects; null when it is the original.
    async fn corrects(&self, ctx: &Context<'_>) -> Result<Option<ServiceActivity>> {
        Ok(
            by_id_opt::<service_activity::Entity>(loaders(ctx)?, self.0.corrects_id)
                .await?
                .map(ServiceActivity),
        )
    }
    /// Every record of the entry, the original first; the last one stands.
    async fn history(&self, ctx: &Context<'_>) -> Result<Vec<ServiceActivity>> {
        let l = loaders(ctx)?;
        let entry = entry_of(&self.0);
        let original = by_id::<service_activity::Entity>(l, entry).await?;
        let corrections = children::<CorrectionsOfServiceActivity>(l, entry).await?;
        Ok(original
            .into_iter()
            .chain(corrections)
            .map(ServiceActivity)
            .collect())
    }
    /// Whether this record is the one that stands for its entry (no later correction).
    async fn standing(&self, ctx: &Context<'_>) -> Result<bool> {
        let corrections =
            children::<CorrectionsOfServiceActivity>(loaders(ctx)?, entry_of(&self.0)).await?;
        Ok(corrections.last().is_none_or(|c| c.id == self.0.id))
    }
    /// The team.
    async fn team(&self, ctx: &Context<'_>) -> Result<Option<ServiceTeam>> {
        Ok(by_id::<service_team::Entity>(loaders(ctx)?, self.0.team_id)
            .await?
            .map(ServiceTeam))
    }
    /// Who recorded it (the account's display name).
    async fn recorded_by(&self, ctx: &Context<'_>) -> Result<Option<String>> {
        Ok(by_id::<account::Entity>(loaders(ctx)?, self.0.recorded_by)
            .await?
            .map(|a| a.display_name))
    }
    /// When it was recorded.
    async fn recorded_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
}

/// One page of a team's log, as it stands: the newest record of each entry,
/// ordered by entry. Keys with the same window load together, one query for
/// all their teams (as `loaders::PageOf`, with the standing condition).
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct LogPage(pub i64, pub Window);

impl Loader<LogPage> for Db {
    type Value = Vec<service_activity::Model>;
    type Error = LoadError;

    async fn load(&self, keys: &[LogPage]) -> Result<HashMap<LogPage, Self::Value>, LoadError> {
        let mut windows: HashMap<Window, Vec<i64>> = HashMap::new();
        for k in keys {
            windows.entry(k.1).or_default().push(k.0);
        }
        let backend = self.0.get_database_backend();
        let mut out = HashMap::new();
        for (w, team_ids) in windows {
            // Only integers are spliced into the text: team ids, cursor
            // entries and the limit, all formatted from i64/usize here.
            let ids = team_ids
                .iter()
                .map(i64::to_string)
                .collect::<Vec<_>>()
                .join(",");
            let entry = "COALESCE(t.corrects_id, t.id)";
            let mut cond = format!(
                "t.team_id IN ({ids}) AND NOT EXISTS (SELECT 1 FROM service_activity newer \
                 WHERE newer.corrects_id = {entry} AND newer.id > t.id)"
            );
            if let Some(a) = w.after {
                cond.push_str(&format!(" AND {entry} > {a}"));
            }
            if let Some(b) = w.before {
                cond.push_str(&format!(" AND {entry} < {b}"));
            }
            let order = if w.backward { "DESC" } else { "ASC" };
            let sql = format!(
                "SELECT * FROM (SELECT t.*, ROW_NUMBER() OVER (PARTITION BY t.team_id ORDER BY {entry} {order}) AS page_row \
                 FROM service_activity t WHERE {cond}) paged WHERE page_row <= {}",
                w.limit + 1
            );
            let rows = service_activity::Entity::find()
                .from_raw_sql(Statement::from_string(backend, sql))
                .all(&self.0)
                .await
                .map_err(|e| Arc::new(AppError::from(e)))?;
            for t in &team_ids {
                out.insert(LogPage(*t, w), Vec::new());
            }
            for row in rows {
                out.entry(LogPage(row.team_id, w))
                    .or_insert_with(Vec::new)
                    .push(row);
            }
        }
        Ok(out)
    }
}

fn shared(e: LoadError) -> async_graphql::Error {
    match Arc::try_unwrap(e) {
        Ok(err) => err.into(),
        Err(shared) => AppError::Internal(format!("log page: {shared:?}")).into(),
    }
}

/// The service teams of a compound.
pub struct CompoundTeams(pub Arc<compound::Model>);

/// The service teams of a compound.
#[Object]
impl CompoundTeams {
    /// The compound's own volunteer and service teams (the community's teams are listed by
    /// `serviceTeams(filter: {communityId})`); by default those not disbanded.
    #[graphql(complexity = "cost(first, last, child_complexity)")]
    async fn service_teams(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Include teams disbanded before today.", default = false)]
        include_disbanded: bool,
        #[graphql(desc = "Returns the first n items (at most 100).")] first: Option<i32>,
        #[graphql(desc = "Returns items after this cursor (at most 32 characters).")] after: Option<
            String,
        >,
        #[graphql(desc = "Returns the last n items (at most 100).")] last: Option<i32>,
        #[graphql(desc = "Returns items before this cursor (at most 32 characters).")]
        before: Option<String>,
    ) -> Result<ServiceTeamConnection> {
        let day = today(ctx)?;
        let rows: Vec<_> = children::<ServiceTeamsOfCompound>(loaders(ctx)?, self.0.id)
            .await?
            .into_iter()
            .filter(|t| include_disbanded || t.disbanded_on.is_none_or(|d| d >= day))
            .collect();
        paginate_loaded(
            rows,
            page(first, after, last, before),
            |t| t.id,
            ServiceTeam,
        )
        .await
    }
}

/// Narrows the list of service teams.
#[derive(InputObject, Default)]
pub struct ServiceTeamFilter {
    /// Only the teams of this compound.
    pub compound_id: Option<ID>,
    /// Only the teams of this community, its own and its compounds'.
    pub community_id: Option<ID>,
    /// Only teams of this kind.
    pub kind: Option<ServiceTeamKind>,
    /// Include teams disbanded before today (default false).
    #[graphql(default)]
    pub include_disbanded: bool,
}

/// How many active teams of one kind.
#[derive(SimpleObject)]
pub struct ServiceTeamKindCount {
    /// The kind.
    pub kind: ServiceTeamKind,
    /// Active teams of this kind.
    pub teams: i32,
}

/// The figures of a compound's or a community's volunteer and service teams over a
/// date range (both ends included): the input of the services aspect of evaluation
/// (服务体系完善: 志愿服务队伍活跃). A compound's figures cover its own teams; a
/// community's, its own teams and those of its compounds.
pub struct ServiceFigures {
    unit: FiguresUnit,
    from: Date,
    to: Date,
    figures: Figures,
}

fn count(n: i64) -> i32 {
    i32::try_from(n).unwrap_or(i32::MAX)
}

/// The figures of a compound's or a community's volunteer and service teams over a
/// date range (both ends included): the input of the services aspect of evaluation
/// (服务体系完善: 志愿服务队伍活跃). A compound's figures cover its own teams; a
/// community's, its own teams and those of its compounds.
#[Object]
impl ServiceFigures {
    /// The compound counted; null for a community's figures.
    async fn compound(&self, ctx: &Context<'_>) -> Result<Option<Compound>> {
        let FiguresUnit::Compound(id) = self.unit else {
            return Ok(None);
        };
        Ok(by_id::<compound::Entity>(loaders(ctx)?, id)
            .await?
            .map(Compound::new))
    }
    /// The community counted; null for a compound's figures.
    async fn community(&self, ctx: &Context<'_>) -> Result<Option<Community>> {
        let FiguresUnit::Community(id) = self.unit else {
            return Ok(None);
        };
        Ok(by_id::<community::Entity>(loaders(ctx)?, id)
            .await?
            .map(Community))
    }
    /// First day of the range.
    async fn from(&self) -> Date {
        self.from
    }
    /// Last day of the range.
    async fn to(&self) -> Date {
        self.to
    }
    /// Teams whose life (founded to disbanded) shares a day with the range.
    async fn active_teams(&self) -> i32 {
        count(self.figures.active_teams())
    }
    /// Active teams by kind; every kind is listed, zero included.
    async fn active_teams_by_kind(&self) -> Vec<ServiceTeamKindCount> {
        self.figures
            .teams_by_kind
            .iter()
            .map(|(kind, n)| ServiceTeamKindCount {
                kind: *kind,
                teams: count(*n),
            })
            .collect()
    }
    /// Distinct people whose membership of one of the teams shares a day with the range.
    async fn active_members(&self) -> i32 {
        count(self.figures.active_members)
    }
    /// Entries of the teams' logs held within the range, as they stand (a corrected entry counts
    /// once, a withdrawn one not at all).
    async fn activities(&self) -> i32 {
        count(self.figures.activities)
    }
    /// The sum of those entries' participant counts (person-times, 人次).
    async fn participations(&self) -> i32 {
        count(self.figures.participations)
    }
    /// The sum of those entries' minutes of service (志愿服务时长).
    async fn service_minutes(&self) -> i32 {
        count(self.figures.service_minutes)
    }
}

/// Queries of service teams.
#[derive(Default)]
pub struct TeamsQuery;

/// Queries of service teams.
#[Object]
impl TeamsQuery {
    /// Volunteer and service teams, optionally narrowed to a compound or a community and a kind;
    /// by default those not disbanded.
    #[graphql(complexity = "cost(first, last, child_complexity)")]
    async fn service_teams(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Which teams to list.")] filter: Option<ServiceTeamFilter>,
        #[graphql(desc = "Returns the first n items (at most 100).")] first: Option<i32>,
        #[graphql(desc = "Returns items after this cursor (at most 32 characters).")] after: Option<
            String,
        >,
        #[graphql(desc = "Returns the last n items (at most 100).")] last: Option<i32>,
        #[graphql(desc = "Returns items before this cursor (at most 32 characters).")]
        before: Option<String>,
    ) -> Result<ServiceTeamConnection> {
        let filter = filter.unwrap_or_default();
        let mut select = service_team::Entity::find();
        if let Some(c) = &filter.compound_id {
            select =
                select.filter(service_team::Column::CompoundId.eq(arg_id(c, NodeKind::Compound)?));
        }
        if let Some(c) = &filter.community_id {
            select = select.filter(of_community(arg_id(c, NodeKind::Community)?));
        }
        if let Some(kind) = filter.kind {
            select = select.filter(service_team::Column::Kind.eq(kind));
        }
        if !filter.include_disbanded {
            select = select.filter(
                Condition::any()
                    .add(service_team::Column::DisbandedOn.is_null())
                    .add(service_team::Column::DisbandedOn.gte(today(ctx)?)),
            );
        }
        paginate(
            db(ctx)?,
            select,
            page(first, after, last, before),
            ServiceTeam,
        )
        .await
    }

    /// The figures of one compound's or one community's teams over `from ..= to`: give
    /// `compoundId` or `communityId`.
    async fn service_figures(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The compound whose own teams are counted.")] compound_id: Option<ID>,
        #[graphql(desc = "The community whose teams, and its compounds' teams, are counted.")]
        community_id: Option<ID>,
        #[graphql(desc = "First day of the range.")] from: Date,
        #[graphql(desc = "Last day of the range (included).")] to: Date,
    ) -> Result<ServiceFigures> {
        let unit = match (&compound_id, &community_id) {
            (Some(c), None) => FiguresUnit::Compound(arg_id(c, NodeKind::Compound)?),
            (None, Some(c)) => FiguresUnit::Community(arg_id(c, NodeKind::Community)?),
            _ => {
                return Err(AppError::BadRequest(
                    "give `compoundId` or `communityId`, one of the two".into(),
                )
                .into());
            }
        };
        if to.0 < from.0 {
            return Err(AppError::BadRequest("`to` is before `from`".into()).into());
        }
        let figures = teams::figures(db(ctx)?, unit, from.0, to.0).await?;
        Ok(ServiceFigures {
            unit,
            from,
            to,
            figures,
        })
    }
}

/// Teams of community `id`: its own and its compounds'.
fn of_community(id: i64) -> Condition {
    let compounds: SimpleExpr = service_team::Column::CompoundId.in_subquery(
        Query::select()
            .column(compound::Column::Id)
            .from(compound::Entity)
            .and_where(compound::Column::CommunityId.eq(id))
            .to_owned(),
    );
    Condition::any()
        .add(service_team::Column::CommunityId.eq(id))
        .add(compounds)
}

/// Parses an optional free text at `field`.
fn text_opt(raw: Option<&str>, field: &str) -> crate::error::AppResult<Option<String>> {
    raw.map(|s| parse_text(s, field)).transpose()
}

/// Input of `createServiceTeam`: give `compoundId` or `communityId`.
#[derive(InputObject)]
pub struct CreateServiceTeamInput {
    /// The compound the team belongs to (or give `communityId`).
    pub compound_id: Option<ID>,
    /// The community the team belongs to (or give `compoundId`).
    pub community_id: Option<ID>,
    /// Name, unique within the compound or community (at most 100 characters).
    pub name: String,
    /// Service, public-welfare or mutual-aid.
    pub kind: ServiceTeamKind,
    /// What the team does (at most 20,000 characters).
    pub description: Option<String>,
    /// Its first day.
    pub founded_on: Date,
}

/// Input of `updateServiceTeam`; omitted fields stay as they are.
#[derive(InputObject)]
pub struct UpdateServiceTeamInput {
    /// The team.
    pub id: ID,
    /// New name (at most 100 characters).
    pub name: Option<String>,
    /// New kind.
    pub kind: Option<ServiceTeamKind>,
    /// New description (at most 20,000 characters).
    pub description: Option<String>,
    /// Disbands the team on this day, its last; members' open terms end with it.
    pub disbanded_on: Option<Date>,
}

/// Input of `addServiceTeamMember`.
#[derive(InputObject)]
pub struct AddServiceTeamMemberInput {
    /// The team.
    pub service_team_id: ID,
    /// A person of the register.
    pub person_id: ID,
    /// Leader or member; a team has one leader at a time.
    pub role: ServiceTeamRole,
    /// First day.
    pub joined_on: Date,
    /// Last day, if fixed.
    pub left_on: Option<Date>,
}

/// Input of `endServiceTeamMember`.
#[derive(InputObject)]
pub struct EndServiceTeamMemberInput {
    /// The membership.
    pub id: ID,
    /// Its last day.
    pub left_on: Date,
}

/// Input of `recordServiceActivity`.
#[derive(InputObject)]
pub struct RecordServiceActivityInput {
    /// The team.
    pub service_team_id: ID,
    /// The day of the activity (not in the future, within the team's life).
    pub held_on: Date,
    /// What it was (at most 100 characters).
    pub title: String,
    /// What was done (at most 20,000 characters).
    pub description: Option<String>,
    /// How many people took part; when omitted, the members named.
    pub participant_count: Option<i32>,
    /// The team's members who took part (memberships serving that day).
    #[graphql(default)]
    pub participant_ids: Vec<ID>,
    /// Minutes of service given by all participants together.
    pub service_minutes: Option<i32>,
}

/// Input of `correctServiceActivity`: why, and what changes; omitted fields keep what the
/// standing record says. Or withdraw the entry.
#[derive(InputObject)]
pub struct CorrectServiceActivityInput {
    /// Any record of the entry to correct.
    pub id: ID,
    /// Why the entry is corrected (at most 20,000 characters).
    pub reason: String,
    /// Withdraws the entry (the activity did not take place, or was recorded twice); nothing
    /// else may change with it.
    #[graphql(default)]
    pub withdraw: bool,
    /// The corrected day.
    pub held_on: Option<Date>,
    /// The corrected title (at most 100 characters).
    pub title: Option<String>,
    /// The corrected description (at most 20,000 characters).
    pub description: Option<String>,
    /// The corrected number of participants.
    pub participant_count: Option<i32>,
    /// The corrected list of members who took part.
    pub participant_ids: Option<Vec<ID>>,
    /// The corrected minutes of service; null clears them.
    pub service_minutes: MaybeUndefined<i32>,
}

payload!(
    /// Result of founding or changing a service team.
    ServiceTeamPayload {
        /// The team as saved.
        service_team: ServiceTeam
    }
);
payload!(
    /// Result of adding or ending a membership.
    ServiceTeamMemberPayload {
        /// The membership as saved.
        member: ServiceTeamMember
    }
);
payload!(
    /// Result of recording or correcting an activity.
    ServiceActivityPayload {
        /// The record as saved.
        activity: ServiceActivity
    }
);

fn member_ids(ids: &[ID]) -> crate::error::AppResult<Vec<i64>> {
    ids.iter()
        .enumerate()
        .map(|(i, id)| {
            input_id(
                id,
                NodeKind::ServiceTeamMember,
                &format!("participant_ids.{i}"),
            )
        })
        .collect()
}

/// Mutations of service teams.
#[derive(Default)]
pub struct TeamsMutation;

/// Mutations of service teams.
#[Object]
impl TeamsMutation {
    /// Founds a volunteer or service team in a compound or a community.
    async fn create_service_team(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to do: see the input type.")] input: CreateServiceTeamInput,
    ) -> Result<ServiceTeamPayload> {
        let outcome = mutate(ctx, async |uow| {
            let t = NewTeam {
                compound_id: input_id_opt(
                    input.compound_id.as_ref(),
                    NodeKind::Compound,
                    "compound_id",
                )?,
                community_id: input_id_opt(
                    input.community_id.as_ref(),
                    NodeKind::Community,
                    "community_id",
                )?,
                name: Name::parse(&input.name, "name")?,
                kind: input.kind,
                description: text_opt(input.description.as_deref(), "description")?
                    .unwrap_or_default(),
                founded_on: input.founded_on.0,
            };
            teams::create_team(uow, t).await
        })
        .await?;
        Ok(outcome.map(ServiceTeam).into())
    }

    /// Renames a team, changes its kind or description, or disbands it.
    async fn update_service_team(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to do: see the input type.")] input: UpdateServiceTeamInput,
    ) -> Result<ServiceTeamPayload> {
        let outcome = mutate(ctx, async |uow| {
            let id = input_id(&input.id, NodeKind::ServiceTeam, "id")?;
            let change = TeamChange {
                name: name_opt(input.name.as_deref(), "name")?,
                kind: input.kind,
                description: text_opt(input.description.as_deref(), "description")?,
                disbanded_on: input.disbanded_on.map(|d| d.0),
            };
            teams::update_team(uow, id, change).await
        })
        .await?;
        Ok(outcome.map(ServiceTeam).into())
    }

    /// Adds a person of the register to a team; terms of one person never overlap and a team
    /// has one leader at a time.
    async fn add_service_team_member(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to do: see the input type.")] input: AddServiceTeamMemberInput,
    ) -> Result<ServiceTeamMemberPayload> {
        let outcome = mutate(ctx, async |uow| {
            let team = input_id(
                &input.service_team_id,
                NodeKind::ServiceTeam,
                "service_team_id",
            )?;
            let person = input_id(&input.person_id, NodeKind::Person, "person_id")?;
            let term = Term::parse(input.joined_on.0, input.left_on.map(|d| d.0), "left_on")?;
            teams::add_member(uow, team, person, input.role, term).await
        })
        .await?;
        Ok(outcome.map(ServiceTeamMember).into())
    }

    /// Ends a membership; a change of role is the end of one term and the start of another.
    async fn end_service_team_member(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to do: see the input type.")] input: EndServiceTeamMemberInput,
    ) -> Result<ServiceTeamMemberPayload> {
        let outcome = mutate(ctx, async |uow| {
            let id = input_id(&input.id, NodeKind::ServiceTeamMember, "id")?;
            teams::end_member(uow, id, input.left_on.0).await
        })
        .await?;
        Ok(outcome.map(ServiceTeamMember).into())
    }

    /// Records an activity in a team's log; also open to the team's leader serving today.
    async fn record_service_activity(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to do: see the input type.")] input: RecordServiceActivityInput,
    ) -> Result<ServiceActivityPayload> {
        let outcome = mutate(ctx, async |uow| {
            let team = input_id(
                &input.service_team_id,
                NodeKind::ServiceTeam,
                "service_team_id",
            )?;
            let r = ActivityRecord {
                held_on: input.held_on.0,
                title: Name::parse(&input.title, "title")?,
                description: text_opt(input.description.as_deref(), "description")?
                    .unwrap_or_default(),
                participant_count: input.participant_count,
                participant_ids: member_ids(&input.participant_ids)?,
                service_minutes: input.service_minutes,
            };
            teams::record_activity(uow, team, r).await
        })
        .await?;
        Ok(outcome.map(ServiceActivity).into())
    }

    /// Corrects or withdraws an entry of a team's log with a new record that says why; the
    /// earlier records stay readable. Also open to the team's leader serving today.
    async fn correct_service_activity(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to do: see the input type.")] input: CorrectServiceActivityInput,
    ) -> Result<ServiceActivityPayload> {
        let outcome = mutate(ctx, async |uow| {
            let id = input_id(&input.id, NodeKind::ServiceActivity, "id")?;
            let c = Correction {
                reason: input.reason.clone(),
                withdraw: input.withdraw,
                held_on: input.held_on.map(|d| d.0),
                title: name_opt(input.title.as_deref(), "title")?,
                description: text_opt(input.description.as_deref(), "description")?,
                participant_count: input.participant_count,
                participant_ids: input
                    .participant_ids
                    .as_deref()
                    .map(member_ids)
                    .transpose()?,
                service_minutes: patch(input.service_minutes),
            };
            teams::correct_activity(uow, id, c).await
        })
        .await?;
        Ok(outcome.map(ServiceActivity).into())
    }
}
