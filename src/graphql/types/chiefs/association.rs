//! Chiefs as people the community manages: the association of chiefs
//! (楼栋长协会) and its members, commendations and penalties (奖惩), who
//! provides each chief, and the community's rental and industrial buildings
//! missing a full-time building chief. Rules are in
//! `domain::chiefs::association` and `domain::chiefs`.

use async_graphql::{Context, ID, InputObject, Object, Result, SimpleObject};

use crate::domain::chiefs::association::{self, NewConduct};
use crate::domain::kinds::{AssociationRole, ChiefProvider, ConductKind};
use crate::domain::values::{Name, Term};
use crate::entity::{
    chief_appointment, chief_association, chief_association_member, chief_conduct_record,
    community, person, property_company,
};
use crate::graphql::id::{NodeKind, encode, input_id};
use crate::graphql::loaders::{MembersOfAssociation, by_id, by_id_opt, children};
use crate::graphql::scalars::Date;
use crate::graphql::types::chiefs::ChiefAppointment;
use crate::graphql::types::parties::PropertyCompany;
use crate::graphql::types::people::Person;
use crate::graphql::types::register::Community;
use crate::graphql::{loaders, mutate, payload, today};

/// Who provides a chief.
#[derive(SimpleObject)]
#[graphql(complex)]
pub struct ChiefProviderView {
    /// Who: the community, the property company, a landlord, a zone operator or the market regulator.
    pub kind: ChiefProvider,
    /// The landlord's or operator's name, when they provide.
    pub name: Option<String>,
    #[graphql(skip)]
    pub company_id: Option<i64>,
}

#[async_graphql::ComplexObject]
impl ChiefProviderView {
    /// The property company, when it provides.
    async fn company(&self, ctx: &Context<'_>) -> Result<Option<PropertyCompany>> {
        Ok(
            by_id_opt::<property_company::Entity>(loaders(ctx)?, self.company_id)
                .await?
                .map(PropertyCompany),
        )
    }
}

/// The provider recorded with an appointment; null for one made before providers were recorded.
pub fn provider_of(m: &chief_appointment::Model) -> Option<ChiefProviderView> {
    m.provider_kind.map(|kind| ChiefProviderView {
        kind,
        name: m.provider_name.clone(),
        company_id: m.provider_company_id,
    })
}

/// A community's association of chiefs (楼栋长协会), with its code of conduct.
pub struct ChiefAssociation(pub chief_association::Model);

/// A community's association of chiefs (楼栋长协会), with its code of conduct.
#[Object]
impl ChiefAssociation {
    /// Global ID.
    pub async fn id(&self) -> ID {
        encode(NodeKind::ChiefAssociation, self.0.id)
    }
    /// Name.
    async fn name(&self) -> &str {
        &self.0.name
    }
    /// Founded on.
    async fn founded_on(&self) -> Date {
        self.0.founded_on.into()
    }
    /// The code of conduct its commendations and penalties rest on.
    async fn code_of_conduct(&self) -> &str {
        &self.0.code_of_conduct
    }
    /// The community.
    async fn community(&self, ctx: &Context<'_>) -> Result<Option<Community>> {
        Ok(
            by_id::<community::Entity>(loaders(ctx)?, self.0.community_id)
                .await?
                .map(Community),
        )
    }
    /// Members; by default only those belonging today.
    async fn members(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Include members who have left.", default = false)] include_past: bool,
    ) -> Result<Vec<ChiefAssociationMember>> {
        let day = today(ctx)?;
        Ok(children::<MembersOfAssociation>(loaders(ctx)?, self.0.id)
            .await?
            .into_iter()
            .filter(|m| {
                include_past
                    || Term {
                        starts_on: m.joined_on,
                        ends_on: m.left_on,
                    }
                    .contains(day)
            })
            .map(ChiefAssociationMember)
            .collect())
    }
}

/// A chief's membership of the association.
pub struct ChiefAssociationMember(pub chief_association_member::Model);

/// A chief's membership of the association.
#[Object]
impl ChiefAssociationMember {
    /// Global ID.
    pub async fn id(&self) -> ID {
        encode(NodeKind::ChiefAssociationMember, self.0.id)
    }
    /// Role.
    async fn role(&self) -> AssociationRole {
        self.0.role
    }
    /// Joined on.
    async fn joined_on(&self) -> Date {
        self.0.joined_on.into()
    }
    /// Left on; null while a member.
    async fn left_on(&self) -> Option<Date> {
        self.0.left_on.map(Date)
    }
    /// The chief.
    async fn person(&self, ctx: &Context<'_>) -> Result<Option<Person>> {
        Ok(by_id::<person::Entity>(loaders(ctx)?, self.0.person_id)
            .await?
            .map(Person))
    }
}

/// A commendation or penalty of a chief (奖惩), as decided; never edited.
pub struct ChiefConductRecord(pub chief_conduct_record::Model);

/// A commendation or penalty of a chief (奖惩), as decided; never edited.
#[Object]
impl ChiefConductRecord {
    /// Global ID.
    pub async fn id(&self) -> ID {
        encode(NodeKind::ChiefConductRecord, self.0.id)
    }
    /// Commendation or penalty.
    async fn kind(&self) -> ConductKind {
        self.0.kind
    }
    /// The day it was decided.
    async fn decided_on(&self) -> Date {
        self.0.decided_on.into()
    }
    /// Why.
    async fn reason(&self) -> &str {
        &self.0.reason
    }
    /// The article of the code of conduct it rests on.
    async fn code_article(&self) -> Option<&str> {
        self.0.code_article.as_deref()
    }
    /// Who decided.
    async fn decided_by(&self) -> &str {
        &self.0.decided_by
    }
    /// The appointment it concerns.
    async fn appointment(&self, ctx: &Context<'_>) -> Result<Option<ChiefAppointment>> {
        Ok(
            by_id::<chief_appointment::Entity>(loaders(ctx)?, self.0.appointment_id)
                .await?
                .map(ChiefAppointment),
        )
    }
}

/// Input of `createChiefAssociation`.
#[derive(InputObject)]
pub struct CreateChiefAssociationInput {
    /// The community.
    pub community_id: ID,
    /// Name, such as 某某社区楼栋长协会 (at most 100 characters).
    pub name: String,
    /// Founded on.
    pub founded_on: Date,
    /// Its code of conduct (at most 20,000 characters).
    pub code_of_conduct: String,
}

/// Input of `addChiefAssociationMember`.
#[derive(InputObject)]
pub struct AddChiefAssociationMemberInput {
    /// The association.
    pub association_id: ID,
    /// A chief of the community on the day they join.
    pub person_id: ID,
    /// Role.
    pub role: AssociationRole,
    /// Joined on.
    pub starts_on: Date,
}

/// Input of `endChiefAssociationMember`.
#[derive(InputObject)]
pub struct EndChiefAssociationMemberInput {
    /// The membership.
    pub member_id: ID,
    /// The last day as a member.
    pub left_on: Date,
}

/// Input of `recordChiefConduct`.
#[derive(InputObject)]
pub struct RecordChiefConductInput {
    /// The appointment it concerns.
    pub appointment_id: ID,
    /// Commendation or penalty.
    pub kind: ConductKind,
    /// The day it was decided, within the term and not in the future.
    pub decided_on: Date,
    /// Why (at most 20,000 characters).
    pub reason: String,
    /// The article of the code of conduct it rests on (at most 20,000 characters).
    pub code_article: Option<String>,
    /// Who decided (at most 100 characters).
    pub decided_by: String,
}

payload!(
    /// Result of founding an association of chiefs.
    ChiefAssociationPayload {
        /// The association as saved.
        association: ChiefAssociation
    }
);
payload!(
    /// Result of changing a membership of the association.
    ChiefAssociationMemberPayload {
        /// The membership as saved.
        member: ChiefAssociationMember
    }
);
payload!(
    /// Result of recording a commendation or penalty.
    ChiefConductRecordPayload {
        /// The record as saved.
        record: ChiefConductRecord
    }
);

/// Mutations of the association of chiefs and their conduct records.
#[derive(Default)]
pub struct AssociationMutation;

/// Mutations of the association of chiefs and their conduct records; those
/// who appoint the chiefs make them.
#[Object]
impl AssociationMutation {
    /// Founds the community's association of chiefs; one per community.
    async fn create_chief_association(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to do: see the input type.")] input: CreateChiefAssociationInput,
    ) -> Result<ChiefAssociationPayload> {
        let outcome = mutate(ctx, async |uow| {
            let c = input_id(&input.community_id, NodeKind::Community, "community_id")?;
            let name = Name::parse(&input.name, "name")?;
            association::create_association(
                uow,
                c,
                name,
                input.founded_on.0,
                &input.code_of_conduct,
            )
            .await
        })
        .await?;
        Ok(outcome.map(ChiefAssociation).into())
    }

    /// Admits a chief of the community to the association; one president at a time.
    async fn add_chief_association_member(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to do: see the input type.")] input: AddChiefAssociationMemberInput,
    ) -> Result<ChiefAssociationMemberPayload> {
        let outcome = mutate(ctx, async |uow| {
            let a = input_id(
                &input.association_id,
                NodeKind::ChiefAssociation,
                "association_id",
            )?;
            let p = input_id(&input.person_id, NodeKind::Person, "person_id")?;
            let term = Term {
                starts_on: input.starts_on.0,
                ends_on: None,
            };
            association::add_member(uow, a, p, input.role, term).await
        })
        .await?;
        Ok(outcome.map(ChiefAssociationMember).into())
    }

    /// Records that a member left the association.
    async fn end_chief_association_member(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to do: see the input type.")] input: EndChiefAssociationMemberInput,
    ) -> Result<ChiefAssociationMemberPayload> {
        let outcome = mutate(ctx, async |uow| {
            let id = input_id(
                &input.member_id,
                NodeKind::ChiefAssociationMember,
                "member_id",
            )?;
            association::end_member(uow, id, input.left_on.0)
                .await
                .map_err(|e| e.at_field("id", "member_id"))
        })
        .await?;
        Ok(outcome.map(ChiefAssociationMember).into())
    }

    /// Records a commendation or penalty of a chief against the code of conduct.
    async fn record_chief_conduct(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to do: see the input type.")] input: RecordChiefConductInput,
    ) -> Result<ChiefConductRecordPayload> {
        let outcome = mutate(ctx, async |uow| {
            let a = input_id(
                &input.appointment_id,
                NodeKind::ChiefAppointment,
                "appointment_id",
            )?;
            association::record_conduct(
                uow,
                NewConduct {
                    appointment_id: a,
                    kind: input.kind,
                    decided_on: input.decided_on.0,
                    reason: &input.reason,
                    code_article: input.code_article.as_deref(),
                    decided_by: &input.decided_by,
                },
            )
            .await
        })
        .await?;
        Ok(outcome.map(ChiefConductRecord).into())
    }
}

/// The community's association of chiefs, if founded.
pub async fn chiefs_association(
    ctx: &Context<'_>,
    community_id: i64,
) -> Result<Option<ChiefAssociation>> {
    Ok(
        children::<crate::graphql::loaders::AssociationOfCommunity>(loaders(ctx)?, community_id)
            .await?
            .into_iter()
            .next()
            .map(ChiefAssociation),
    )
}

/// The community's rental and industrial-zone buildings with no full-time
/// building chief on `on` (today when omitted), a page at a time.
pub async fn buildings_missing_full_time_chief(
    ctx: &Context<'_>,
    community_id: i64,
    on: Option<Date>,
    args: crate::graphql::pagination::PageArgs,
) -> Result<crate::graphql::pagination::BuildingConnection> {
    let day = match on {
        Some(d) => d.0,
        None => today(ctx)?,
    };
    crate::graphql::pagination::paginate(
        crate::graphql::db(ctx)?,
        crate::domain::chiefs::buildings_missing_full_time_chief(community_id, day),
        args,
        crate::graphql::types::register::Building,
    )
    .await
}
