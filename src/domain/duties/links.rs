//! Linking a party to the responsibility list of its kind in its
//! community: a property company serving a compound of the community (its
//! PROPERTY_COMPANY list), a rental building (its landlord's LANDLORD
//! list), a shop (MERCHANT), a building chief's appointment
//! (BUILDING_CHIEF), or, for kinds the register has no table for
//! (FACTORY, CLEANING_COMPANY, TENANT), a party named within the community.
//! A link of the wrong kind, or to a party of another community, is refused.

use sea_orm::{ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter};

use crate::domain::access::{Permission, Scope};
use crate::domain::audit::{self, Subject};
use crate::domain::kinds::{BuildingKind, ChiefLevel, CompoundKind, ResponsiblePartyKind};
use crate::domain::operation::Operation;
use crate::domain::parties::linkage::contract_period;
use crate::domain::store::must_exist;
use crate::domain::unit_of_work::UnitOfWork;
use crate::domain::values::{Name, Term};
use crate::entity::{
    building, chief_appointment, compound, dwelling, property_company, property_contract,
    responsibility_link as link, responsibility_list as list,
};
use crate::error::{AppError, AppResult, UserErrorCode};

/// The party to link, as given: exactly one of these is expected, which
/// is checked once the caller may link parties in the list's community.
#[derive(Debug, Clone, Default)]
pub struct PartyInput {
    /// A property company (PROPERTY_COMPANY).
    pub property_company_id: Option<i64>,
    /// A rental building (LANDLORD).
    pub building_id: Option<i64>,
    /// A shop: a dwelling of a shop block or a commercial street (MERCHANT).
    pub dwelling_id: Option<i64>,
    /// A building chief's appointment (BUILDING_CHIEF).
    pub chief_appointment_id: Option<i64>,
    /// A party named within the community (FACTORY, CLEANING_COMPANY, TENANT).
    pub party_name: Option<String>,
}

/// The party, once exactly one was given.
enum Party {
    PropertyCompany(i64),
    Building(i64),
    Shop(i64),
    Chief(i64),
    Named(String),
}

impl PartyInput {
    fn party(self) -> AppResult<Party> {
        let given = [
            self.property_company_id.map(Party::PropertyCompany),
            self.building_id.map(Party::Building),
            self.dwelling_id.map(Party::Shop),
            self.chief_appointment_id.map(Party::Chief),
            self.party_name.map(Party::Named),
        ];
        let mut given = given.into_iter().flatten();
        match (given.next(), given.next()) {
            (Some(p), None) => Ok(p),
            _ => Err(AppError::invalid(
                "",
                UserErrorCode::Invalid,
                "name exactly one party: a property company, a building, a shop, a chief's appointment or a party name",
            )),
        }
    }
}

/// The kinds linked by name rather than through the register.
fn named_kind(kind: ResponsiblePartyKind) -> bool {
    matches!(
        kind,
        ResponsiblePartyKind::Factory
            | ResponsiblePartyKind::CleaningCompany
            | ResponsiblePartyKind::Tenant
    )
}

/// Refuses the link unless the list is of kind `needed`.
fn kind_must_be(
    list: &list::Model,
    needed: ResponsiblePartyKind,
    field: &str,
    what: &str,
) -> AppResult<()> {
    if list.party_kind == needed {
        Ok(())
    } else {
        Err(AppError::invalid(
            field,
            UserErrorCode::Invalid,
            format!(
                "{what} answers to the {} list, not to the {} list",
                needed.as_str(),
                list.party_kind.as_str()
            ),
        ))
    }
}

fn other_community(field: &str, what: &str) -> AppError {
    AppError::invalid(
        field,
        UserErrorCode::Invalid,
        format!("{what} lies in another community than the list"),
    )
}

/// Links a party to the list of its kind.
pub async fn link(uow: &UnitOfWork<'_>, list_id: i64, party: PartyInput) -> AppResult<link::Model> {
    let db = uow.db();
    let the_list = uow
        .target::<list::Entity>(
            Permission::ManageResponsibilityLists,
            list_id,
            "responsibility_list_id",
            "responsibility list",
        )
        .await?;
    let scope = Scope::of_community(db, the_list.community_id).await?;
    let permit = uow.permit(Permission::ManageResponsibilityLists, &scope)?;
    let community = the_list.community_id;
    let today = uow.today();
    let mut row = link::ActiveModel {
        list_id: Set(list_id),
        property_company_id: Set(None),
        building_id: Set(None),
        dwelling_id: Set(None),
        chief_appointment_id: Set(None),
        party_name: Set(None),
        linked_by: Set(permit.actor().account_id),
        created_at: Set(uow.now()),
        ..Default::default()
    };
    match party.party()? {
        Party::PropertyCompany(id) => {
            const F: &str = "property_company_id";
            let what = "a property company";
            kind_must_be(&the_list, ResponsiblePartyKind::PropertyCompany, F, what)?;
            must_exist::<property_company::Entity>(db, id, F, "property company").await?;
            // Serving: a contract with a compound of the community, in force
            // today or signed to begin later.
            let from_today = Term {
                starts_on: today,
                ends_on: None,
            };
            let serves = property_contract::Entity::find()
                .filter(property_contract::Column::CompanyId.eq(id))
                .find_also_related(compound::Entity)
                .all(db)
                .await?
                .into_iter()
                .any(|(contract, c)| {
                    c.is_some_and(|c| c.community_id == community)
                        && contract_period(&contract).overlaps(&from_today)
                });
            if !serves {
                return Err(AppError::invalid(
                    F,
                    UserErrorCode::Invalid,
                    "the company serves no compound of the list's community",
                ));
            }
            row.property_company_id = Set(Some(id));
        }
        Party::Building(id) => {
            const F: &str = "building_id";
            kind_must_be(
                &the_list,
                ResponsiblePartyKind::Landlord,
                F,
                "a rental building",
            )?;
            let b = must_exist::<building::Entity>(db, id, F, "building").await?;
            if !b.is_rental {
                return Err(AppError::invalid(
                    F,
                    UserErrorCode::Invalid,
                    "only a rental building answers to a landlord's list",
                ));
            }
            let c = must_exist::<compound::Entity>(db, b.compound_id, F, "compound").await?;
            if c.community_id != community {
                return Err(other_community(F, "the building"));
            }
            row.building_id = Set(Some(id));
        }
        Party::Shop(id) => {
            const F: &str = "dwelling_id";
            kind_must_be(&the_list, ResponsiblePartyKind::Merchant, F, "a shop")?;
            let d = must_exist::<dwelling::Entity>(db, id, F, "dwelling").await?;
            let b = must_exist::<building::Entity>(db, d.building_id, F, "building").await?;
            let c = must_exist::<compound::Entity>(db, b.compound_id, F, "compound").await?;
            if b.kind != BuildingKind::ShopBlock && c.kind != CompoundKind::CommercialStreet {
                return Err(AppError::invalid(
                    F,
                    UserErrorCode::Invalid,
                    "only a shop (of a shop block or a commercial street) answers to a merchant's list",
                ));
            }
            if c.community_id != community {
                return Err(other_community(F, "the shop"));
            }
            row.dwelling_id = Set(Some(id));
        }
        Party::Chief(id) => {
            const F: &str = "chief_appointment_id";
            kind_must_be(
                &the_list,
                ResponsiblePartyKind::BuildingChief,
                F,
                "a building chief",
            )?;
            let a = must_exist::<chief_appointment::Entity>(db, id, F, "appointment").await?;
            if a.level != ChiefLevel::BuildingChief {
                return Err(AppError::invalid(
                    F,
                    UserErrorCode::Invalid,
                    "only a building chief's appointment answers to the building chiefs' list",
                ));
            }
            if a.community_id != community {
                return Err(other_community(F, "the appointment"));
            }
            if a.ends_on.is_some_and(|e| e < today) {
                return Err(AppError::invalid(
                    F,
                    UserErrorCode::InvalidState,
                    "the appointment has ended",
                ));
            }
            row.chief_appointment_id = Set(Some(id));
        }
        Party::Named(raw) => {
            const F: &str = "party_name";
            if !named_kind(the_list.party_kind) {
                return Err(AppError::invalid(
                    F,
                    UserErrorCode::Invalid,
                    format!(
                        "a party of the {} list is linked through the register, not by name",
                        the_list.party_kind.as_str()
                    ),
                ));
            }
            row.party_name = Set(Some(Name::parse(&raw, F)?.into_inner()));
        }
    }
    let m = row.insert(db).await?;
    audit::created(
        uow,
        &permit,
        Subject::new(
            Operation::LinkResponsibleParty,
            "ResponsibilityLink",
            m.id,
            &scope,
        ),
        &m,
    )
    .await?;
    Ok(m)
}
