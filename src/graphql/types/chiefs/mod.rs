//! The chain of chiefs: appointments, the six duties, and the
//! responsibility placard of a dwelling ("who answers for my home?"), with
//! the mutations that appoint, change and end chiefs and the `chiefs` of a
//! compound. Chiefs' names and placard contacts are public by design.
//!
//! Which positions a compound's kind needs and who may appoint are rules of
//! `domain::chiefs`; the dwellings and buildings covered are the register's.

use std::sync::Arc;

mod association;

pub use association::{
    AssociationMutation, ChiefAssociation, ChiefAssociationMember, ChiefConductRecord,
    ChiefProviderView, buildings_missing_full_time_chief, chiefs_association,
};

use async_graphql::{Context, ID, InputObject, Object, Result};

use crate::domain::chiefs::{self, Appointment, ScopeInput};
use crate::domain::kinds::{ChainVariant, ChiefEmployment, ChiefLevel, Duty, ScopeKind};
use crate::domain::values::{Phone, Term};
use crate::entity::{building, chief_appointment, community, compound, grid, person};
use crate::error::AppError;
use crate::graphql::id::{NodeKind, encode, input_id, input_id_opt};
use crate::graphql::loaders::{
    ChainOf, ChiefsOfCompound, ConductOfAppointment, by_id, by_id_opt, children,
};
use crate::graphql::pagination::{ChiefAppointmentConnection, cost, paginate_loaded};
use crate::graphql::scalars::Date;
use crate::graphql::types::people::Person;
use crate::graphql::types::register::{Building, Community, Grid};
use crate::graphql::types::{Compound, page};
use crate::graphql::{loaders, mutate, payload, today};

/// A chief's appointment to a position over a scope, for a term (五级五长).
pub struct ChiefAppointment(pub chief_appointment::Model);

/// A chief's appointment to a position over a scope, for a term (五级五长).
#[Object]
impl ChiefAppointment {
    /// Global ID.
    pub async fn id(&self) -> ID {
        encode(NodeKind::ChiefAppointment, self.0.id)
    }
    /// The position.
    async fn level(&self) -> ChiefLevel {
        self.0.level
    }
    /// The rung of the chain: 1 (area chief) to 5 (the chief covering households).
    async fn rank(&self) -> i32 {
        self.0.level.rank()
    }
    /// The chain variant the position belongs to; null for levels 1–3, which serve every variant.
    async fn variant(&self) -> Option<ChainVariant> {
        self.0.level.variant()
    }
    /// The kind of scope covered.
    async fn scope_kind(&self) -> ScopeKind {
        self.0.level.scope_kind()
    }
    /// A readable description of the scope, e.g. "3号楼 5–7层".
    async fn scope_description(&self, ctx: &Context<'_>) -> Result<String> {
        describe_scope(ctx, &self.0).await
    }
    /// The holder's name (public on the placard).
    async fn holder_name(&self, ctx: &Context<'_>) -> Result<Option<String>> {
        Ok(by_id::<person::Entity>(loaders(ctx)?, self.0.person_id)
            .await?
            .map(|p| p.name))
    }
    /// The holder; their personal data stays masked unless the caller is entitled to it.
    async fn holder(&self, ctx: &Context<'_>) -> Result<Option<Person>> {
        Ok(by_id::<person::Entity>(loaders(ctx)?, self.0.person_id)
            .await?
            .map(Person))
    }
    /// The public contact number on the responsibility placard.
    async fn contact_phone(&self) -> &str {
        &self.0.contact_phone
    }
    /// The duties carried (六员).
    async fn duties(&self) -> Vec<Duty> {
        Duty::from_bits(self.0.duties)
    }
    /// First day of the term.
    async fn starts_on(&self) -> Date {
        self.0.starts_on.into()
    }
    /// Last day of the term; null while open.
    async fn ends_on(&self) -> Option<Date> {
        self.0.ends_on.map(Date)
    }
    /// The community of the scope.
    async fn community(&self, ctx: &Context<'_>) -> Result<Option<Community>> {
        Ok(
            by_id::<community::Entity>(loaders(ctx)?, self.0.community_id)
                .await?
                .map(Community),
        )
    }
    /// The grid, for grid chiefs and grid workers.
    async fn grid(&self, ctx: &Context<'_>) -> Result<Option<Grid>> {
        Ok(by_id_opt::<grid::Entity>(loaders(ctx)?, self.0.grid_id)
            .await?
            .map(Grid))
    }
    /// The compound, for positions within one.
    async fn compound(&self, ctx: &Context<'_>) -> Result<Option<Compound>> {
        Ok(
            by_id_opt::<compound::Entity>(loaders(ctx)?, self.0.compound_id)
                .await?
                .map(Compound::new),
        )
    }
    /// The building, courtyard or shop block, for positions over one.
    async fn building(&self, ctx: &Context<'_>) -> Result<Option<Building>> {
        Ok(
            by_id_opt::<building::Entity>(loaders(ctx)?, self.0.building_id)
                .await?
                .map(Building),
        )
    }
    /// First floor covered (floor chiefs).
    async fn floor_from(&self) -> Option<i32> {
        self.0.floor_from
    }
    /// Last floor covered (floor chiefs).
    async fn floor_to(&self) -> Option<i32> {
        self.0.floor_to
    }
    /// The alley's name (alley chiefs) or the shop group's label.
    async fn scope_label(&self) -> Option<&str> {
        self.0.scope_label.as_deref()
    }
    /// Full- or part-time (专职/兼职); null for an appointment made before this was recorded.
    async fn employment(&self) -> Option<ChiefEmployment> {
        self.0.employment
    }
    /// Who provides the chief; null for an appointment made before this was recorded.
    async fn provider(&self) -> Option<ChiefProviderView> {
        association::provider_of(&self.0)
    }
    /// Commendations and penalties (奖惩) recorded against the code of conduct, oldest first.
    async fn conduct_records(&self, ctx: &Context<'_>) -> Result<Vec<ChiefConductRecord>> {
        Ok(children::<ConductOfAppointment>(loaders(ctx)?, self.0.id)
            .await?
            .into_iter()
            .map(ChiefConductRecord)
            .collect())
    }
    /// The building chiefs' responsibility list (谁受益、谁担责) this appointment is linked to.
    async fn responsibility_list(
        &self,
        ctx: &Context<'_>,
    ) -> Result<Option<crate::graphql::types::duties::ResponsibilityList>> {
        crate::graphql::types::duties::linked_list::<
            crate::graphql::loaders::ResponsibilityLinksOfChief,
        >(ctx, self.0.id)
        .await
    }
}

async fn describe_scope(ctx: &Context<'_>, m: &chief_appointment::Model) -> Result<String> {
    let l = loaders(ctx)?;
    let community = by_id::<community::Entity>(l, m.community_id)
        .await?
        .map(|c| c.name)
        .unwrap_or_default();
    let text = match m.level.scope_kind() {
        ScopeKind::Community => community,
        ScopeKind::Grid => match m.grid_id {
            Some(g) => by_id::<grid::Entity>(l, g)
                .await?
                .map(|g| format!("{community} {}", g.name))
                .unwrap_or(community),
            None => community,
        },
        ScopeKind::Compound | ScopeKind::Alley => {
            let c = match m.compound_id {
                Some(c) => by_id::<compound::Entity>(l, c)
                    .await?
                    .map(|c| c.name)
                    .unwrap_or_default(),
                None => String::new(),
            };
            match &m.scope_label {
                Some(label) => format!("{c} {label}"),
                None => c,
            }
        }
        ScopeKind::Building
        | ScopeKind::FloorRange
        | ScopeKind::Courtyard
        | ScopeKind::ShopGroup => {
            let b = match m.building_id {
                Some(b) => by_id::<building::Entity>(l, b)
                    .await?
                    .map(|b| b.name)
                    .unwrap_or_default(),
                None => String::new(),
            };
            match (m.floor_from, m.floor_to) {
                (Some(a), Some(z)) if a == z => format!("{b} {a}层"),
                (Some(a), Some(z)) => format!("{b} {a}–{z}层"),
                _ => b,
            }
        }
    };
    Ok(text)
}

/// The chain answering for a dwelling today, nearest chief first.
pub async fn chain_of(ctx: &Context<'_>, dwelling_id: i64) -> Result<Vec<ChiefAppointment>> {
    Ok(loaders(ctx)?
        .load_one(ChainOf(dwelling_id))
        .await
        .map_err(|e| AppError::Internal(format!("chain: {e:?}")))?
        .unwrap_or_default()
        .into_iter()
        .map(ChiefAppointment)
        .collect())
}

/// Narrows a list of chiefs.
#[derive(InputObject, Default)]
pub struct ChiefFilter {
    /// Include appointments that have ended or not begun (default false).
    #[graphql(default)]
    pub include_past: bool,
    /// Only this position.
    pub level: Option<ChiefLevel>,
}

/// The chiefs of a compound.
pub struct CompoundChiefs(pub Arc<compound::Model>);

/// The chiefs of a compound.
#[Object]
impl CompoundChiefs {
    /// Chiefs over the compound or anything in it (market supervisors, alley, building, floor, courtyard and shop chiefs).
    #[graphql(complexity = "cost(first, last, child_complexity)")]
    async fn chiefs(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Which appointments to list; by default those serving today.")]
        filter: Option<ChiefFilter>,
        #[graphql(desc = "Returns the first n items (at most 100).")] first: Option<i32>,
        #[graphql(desc = "Returns items after this cursor (at most 32 characters).")] after: Option<
            String,
        >,
        #[graphql(desc = "Returns the last n items (at most 100).")] last: Option<i32>,
        #[graphql(desc = "Returns items before this cursor (at most 32 characters).")]
        before: Option<String>,
    ) -> Result<ChiefAppointmentConnection> {
        let day = today(ctx)?;
        let filter = filter.unwrap_or_default();
        let rows: Vec<_> = children::<ChiefsOfCompound>(loaders(ctx)?, self.0.id)
            .await?
            .into_iter()
            .filter(|m| {
                filter.include_past
                    || Term {
                        starts_on: m.starts_on,
                        ends_on: m.ends_on,
                    }
                    .contains(day)
            })
            .filter(|m| filter.level.is_none_or(|l| m.level == l))
            .collect();
        paginate_loaded(
            rows,
            page(first, after, last, before),
            |m| m.id,
            ChiefAppointment,
        )
        .await
    }
}

/// Where a position is: give the fields its level needs.
#[derive(InputObject, Default)]
pub struct ChiefScopeInput {
    /// For area and community chiefs.
    pub community_id: Option<ID>,
    /// For grid chiefs and grid workers.
    pub grid_id: Option<ID>,
    /// For market supervisors and alley chiefs.
    pub compound_id: Option<ID>,
    /// For building, floor, courtyard and shop chiefs (a building, a courtyard or a shop block).
    pub building_id: Option<ID>,
    /// First floor covered (floor chiefs).
    pub floor_from: Option<i32>,
    /// Last floor covered (floor chiefs).
    pub floor_to: Option<i32>,
    /// The alley's name (alley chiefs), or a label for a shop group (at most 100 characters).
    pub label: Option<String>,
}

/// Input of `appointChief`.
#[derive(InputObject)]
pub struct AppointChiefInput {
    /// The position.
    pub level: ChiefLevel,
    /// The holder.
    pub person_id: ID,
    /// Where.
    pub scope: ChiefScopeInput,
    /// Public contact number for the responsibility placard (at most 20 characters).
    pub contact_phone: String,
    /// The duties carried; all six when omitted or empty.
    pub duties: Option<Vec<Duty>>,
    /// First day.
    pub starts_on: Date,
    /// Last day, if fixed.
    pub ends_on: Option<Date>,
    /// Full- or part-time; when omitted, full-time for levels 1–3 and market
    /// supervisors, part-time for the chiefs near households.
    pub employment: Option<ChiefEmployment>,
    /// The landlord of a rental building, or the operator of an industrial
    /// zone, providing this chief, at most 100 characters (required there, refused elsewhere).
    pub provider_name: Option<String>,
}

/// Input of `updateChief`.
#[derive(InputObject)]
pub struct UpdateChiefInput {
    /// The appointment.
    pub id: ID,
    /// New public contact number (at most 20 characters).
    pub contact_phone: Option<String>,
    /// New set of duties (at least one).
    pub duties: Option<Vec<Duty>>,
}

/// Input of `endChief`.
#[derive(InputObject)]
pub struct EndChiefInput {
    /// The appointment.
    pub id: ID,
    /// Its last day.
    pub ends_on: Date,
}

payload!(
    /// Result of appointing, changing or ending a chief.
    ChiefAppointmentPayload {
        /// The appointment as saved.
        appointment: ChiefAppointment
    }
);

/// Mutations of the chain of chiefs.
#[derive(Default)]
pub struct ChiefsMutation;

/// Mutations of the chain of chiefs.
#[Object]
impl ChiefsMutation {
    /// Appoints a chief; a single-holder position has one holder per scope at a time.
    async fn appoint_chief(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to do: see the input type.")] input: AppointChiefInput,
    ) -> Result<ChiefAppointmentPayload> {
        let outcome = mutate(ctx, async |uow| {
            let s = &input.scope;
            let scope = ScopeInput {
                community_id: input_id_opt(
                    s.community_id.as_ref(),
                    NodeKind::Community,
                    "scope.community_id",
                )?,
                grid_id: input_id_opt(s.grid_id.as_ref(), NodeKind::Grid, "scope.grid_id")?,
                compound_id: input_id_opt(
                    s.compound_id.as_ref(),
                    NodeKind::Compound,
                    "scope.compound_id",
                )?,
                building_id: input_id_opt(
                    s.building_id.as_ref(),
                    NodeKind::Building,
                    "scope.building_id",
                )?,
                floor_from: s.floor_from,
                floor_to: s.floor_to,
                label: s.label.clone(),
            };
            let a = Appointment {
                level: input.level,
                person_id: input_id(&input.person_id, NodeKind::Person, "person_id")?,
                scope,
                contact_phone: Phone::parse(&input.contact_phone, "contact_phone")?,
                duties: input.duties.unwrap_or_default(),
                term: Term::parse(input.starts_on.0, input.ends_on.map(|d| d.0), "ends_on")?,
                employment: input.employment,
                provider_name: input
                    .provider_name
                    .as_deref()
                    .map(|n| crate::domain::values::Name::parse(n, "provider_name"))
                    .transpose()?,
            };
            chiefs::appoint(uow, a).await
        })
        .await?;
        Ok(outcome.map(ChiefAppointment).into())
    }

    /// Changes a chief's public contact or duties.
    async fn update_chief(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to do: see the input type.")] input: UpdateChiefInput,
    ) -> Result<ChiefAppointmentPayload> {
        let outcome = mutate(ctx, async |uow| {
            let id = input_id(&input.id, NodeKind::ChiefAppointment, "id")?;
            let phone = input
                .contact_phone
                .as_deref()
                .map(|p| Phone::parse(p, "contact_phone"))
                .transpose()?;
            chiefs::update(uow, id, phone, input.duties).await
        })
        .await?;
        Ok(outcome.map(ChiefAppointment).into())
    }

    /// Ends a chief's appointment.
    async fn end_chief(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to do: see the input type.")] input: EndChiefInput,
    ) -> Result<ChiefAppointmentPayload> {
        let outcome = mutate(ctx, async |uow| {
            let id = input_id(&input.id, NodeKind::ChiefAppointment, "id")?;
            chiefs::end(uow, id, input.ends_on.0).await
        })
        .await?;
        Ok(outcome.map(ChiefAppointment).into())
    }
}
