//! The chain of responsible persons (五级五长): appointments of chiefs to
//! positions over scopes, for terms, with the six duties; and the chain
//! that answers "who answers for my home?".
//!
//! Rules: the level fixes the kind of scope; levels 4 and 5 exist only in
//! compounds of their variant (building and floor chiefs in apartment
//! compounds, alley and courtyard chiefs in bungalow areas, market
//! supervisors and shop chiefs on commercial streets); a single-holder
//! position has at most one holder per scope at any date (for floor chiefs:
//! no two holders' floor ranges of one building overlap at one date); a
//! person's terms in one position never overlap.
//!
//! Who provides a chief follows from the place ("出租屋业主、工业区经营者
//! 配备专职楼栋长"): the community provides levels 1–3; the market regulator
//! its market supervisors; in a building of an industrial zone the zone's
//! operator, in a rental building its landlord, in commodity housing the
//! property company under contract; elsewhere the community. Landlords and
//! operators must provide full-time chiefs: a rental or industrial building
//! whose building chief is not full-time is listed for the community
//! (`buildings_missing_full_time_chief`).
//!
//! The association of chiefs and the record of commendations and penalties
//! are in `association`.

pub mod association;

use std::collections::{BTreeSet, HashMap};

use chrono::NaiveDate;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, Condition, ConnectionTrait, EntityTrait,
    QueryFilter,
};

use crate::domain::access::{Permission, Scope};
use crate::domain::audit::{self, Subject};
use crate::domain::kinds::{
    BuildingKind, ChiefEmployment, ChiefLevel, ChiefProvider, CompoundKind, Duty, ScopeKind,
};
use crate::domain::operation::Operation;
use crate::domain::parties::linkage::active_contract;
use crate::domain::people::check_end;
use crate::domain::store::must_exist;
use crate::domain::unit_of_work::UnitOfWork;
use crate::domain::values::{Name, Phone, Term};
use crate::entity::{building, chief_appointment, community, compound, dwelling, grid, person};
use crate::error::{AppError, AppResult, UserErrorCode};

/// Where a position is, as given by the caller: the fields its level needs.
#[derive(Debug, Clone, Default)]
pub struct ScopeInput {
    /// For area and community chiefs.
    pub community_id: Option<i64>,
    /// For grid chiefs and grid workers.
    pub grid_id: Option<i64>,
    /// For market supervisors and alley chiefs.
    pub compound_id: Option<i64>,
    /// For building, floor, courtyard and shop chiefs.
    pub building_id: Option<i64>,
    /// First floor covered (floor chiefs).
    pub floor_from: Option<i32>,
    /// Last floor covered (floor chiefs).
    pub floor_to: Option<i32>,
    /// The alley's name (alley chiefs) or a label for the shop group.
    pub label: Option<String>,
}

/// A scope, checked and completed with its community and compound.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResolvedScope {
    community_id: i64,
    grid_id: Option<i64>,
    compound_id: Option<i64>,
    building_id: Option<i64>,
    floor_from: Option<i32>,
    floor_to: Option<i32>,
    label: Option<String>,
}

fn required<T>(value: Option<T>, field: &str, what: &str) -> AppResult<T> {
    value.ok_or_else(|| {
        AppError::invalid(
            field,
            UserErrorCode::Required,
            format!("this position needs {what}"),
        )
    })
}

fn wrong_variant(level: ChiefLevel) -> AppError {
    AppError::invalid(
        "level",
        UserErrorCode::Invalid,
        format!(
            "a {} serves only in {} compounds",
            level.as_str().to_lowercase().replace('_', " "),
            level
                .variant()
                .map(|v| v.as_str().to_lowercase().replace('_', " "))
                .unwrap_or_default()
        ),
    )
}

/// The compound and building a scope lies in, as `resolve_place` loaded
/// them, so deciding who provides a chief reads them no second time.
struct Place {
    compound: Option<compound::Model>,
    building: Option<building::Model>,
}

const NOWHERE: Place = Place {
    compound: None,
    building: None,
};

/// Checks that the scope fits the level and completes it.
pub async fn resolve_scope(
    db: &impl ConnectionTrait,
    level: ChiefLevel,
    input: &ScopeInput,
) -> AppResult<ResolvedScope> {
    resolve_place(db, level, input)
        .await
        .map(|(scope, _)| scope)
}

/// `resolve_scope`, keeping the compound and building it loaded.
async fn resolve_place(
    db: &impl ConnectionTrait,
    level: ChiefLevel,
    input: &ScopeInput,
) -> AppResult<(ResolvedScope, Place)> {
    let kind = level.scope_kind();
    match kind {
        ScopeKind::Community => {
            let id = required(input.community_id, "scope.community_id", "a community")?;
            must_exist::<community::Entity>(db, id, "scope.community_id", "community").await?;
            Ok((
                ResolvedScope {
                    community_id: id,
                    grid_id: None,
                    compound_id: None,
                    building_id: None,
                    floor_from: None,
                    floor_to: None,
                    label: None,
                },
                NOWHERE,
            ))
        }
        ScopeKind::Grid => {
            let id = required(input.grid_id, "scope.grid_id", "a grid")?;
            let g = must_exist::<grid::Entity>(db, id, "scope.grid_id", "grid").await?;
            Ok((
                ResolvedScope {
                    community_id: g.community_id,
                    grid_id: Some(id),
                    compound_id: None,
                    building_id: None,
                    floor_from: None,
                    floor_to: None,
                    label: None,
                },
                NOWHERE,
            ))
        }
        ScopeKind::Compound | ScopeKind::Alley => {
            let id = required(input.compound_id, "scope.compound_id", "a compound")?;
            let c = must_exist::<compound::Entity>(db, id, "scope.compound_id", "compound").await?;
            if level.variant() != Some(c.kind.chain_variant()) {
                return Err(wrong_variant(level));
            }
            let label = if kind == ScopeKind::Alley {
                let raw = required(input.label.as_deref(), "scope.label", "the alley's name")?;
                Some(Name::parse(raw, "scope.label")?.into_inner())
            } else {
                None
            };
            Ok((
                ResolvedScope {
                    community_id: c.community_id,
                    grid_id: None,
                    compound_id: Some(id),
                    building_id: None,
                    floor_from: None,
                    floor_to: None,
                    label,
                },
                Place {
                    compound: Some(c),
                    building: None,
                },
            ))
        }
        ScopeKind::Building
        | ScopeKind::FloorRange
        | ScopeKind::Courtyard
        | ScopeKind::ShopGroup => {
            let id = required(input.building_id, "scope.building_id", "a building")?;
            let b = must_exist::<building::Entity>(db, id, "scope.building_id", "building").await?;
            let c =
                must_exist::<compound::Entity>(db, b.compound_id, "scope.building_id", "compound")
                    .await?;
            if level.variant() != Some(c.kind.chain_variant()) {
                return Err(wrong_variant(level));
            }
            let expected_kind = match kind {
                ScopeKind::Courtyard => BuildingKind::Courtyard,
                ScopeKind::ShopGroup => BuildingKind::ShopBlock,
                _ => BuildingKind::Apartment,
            };
            if b.kind != expected_kind {
                return Err(AppError::invalid(
                    "scope.building_id",
                    UserErrorCode::Invalid,
                    format!(
                        "this position covers a building of kind {}",
                        expected_kind.as_str()
                    ),
                ));
            }
            let (floor_from, floor_to) = if kind == ScopeKind::FloorRange {
                let from = required(input.floor_from, "scope.floor_from", "the first floor")?;
                let to = required(input.floor_to, "scope.floor_to", "the last floor")?;
                let top = b.floors.unwrap_or(i32::MAX);
                if from < 1 || to < from || to > top {
                    return Err(AppError::invalid(
                        "scope.floor_to",
                        UserErrorCode::OutOfRange,
                        format!(
                            "the floors must lie within 1 to {}",
                            b.floors.map_or("the top".into(), |f| f.to_string())
                        ),
                    ));
                }
                (Some(from), Some(to))
            } else {
                (None, None)
            };
            let label = match (kind, input.label.as_deref()) {
                (ScopeKind::ShopGroup, Some(raw)) => {
                    Some(Name::parse(raw, "scope.label")?.into_inner())
                }
                _ => None,
            };
            Ok((
                ResolvedScope {
                    community_id: c.community_id,
                    grid_id: None,
                    compound_id: Some(c.id),
                    building_id: Some(id),
                    floor_from,
                    floor_to,
                    label,
                },
                Place {
                    compound: Some(c),
                    building: Some(b),
                },
            ))
        }
    }
}

impl ResolvedScope {
    /// The access scope: community-level positions are run by community
    /// staff, compound-level ones also by the compound's secretary and
    /// property manager.
    async fn access_scope(&self, db: &impl ConnectionTrait) -> AppResult<Scope> {
        match self.compound_id {
            Some(c) => Scope::of_compound(db, c).await,
            None => Scope::of_community(db, self.community_id).await,
        }
    }

    /// Whether the appointment `m` of the same level covers this same scope
    /// (for floor chiefs: an overlapping floor range of the same building).
    fn clashes_with(&self, m: &chief_appointment::Model) -> bool {
        let same_unit = m.community_id == self.community_id
            && m.grid_id == self.grid_id
            && m.compound_id == self.compound_id
            && m.building_id == self.building_id
            && m.scope_label == self.label;
        match (self.floor_from, self.floor_to, m.floor_from, m.floor_to) {
            (Some(a1), Some(a2), Some(b1), Some(b2)) => same_unit && a1 <= b2 && b1 <= a2,
            _ => same_unit,
        }
    }
}

/// An appointment to make.
pub struct Appointment {
    /// The position.
    pub level: ChiefLevel,
    /// The holder.
    pub person_id: i64,
    /// Where.
    pub scope: ScopeInput,
    /// The public contact number shown on the responsibility placard.
    pub contact_phone: Phone,
    /// The duties carried; all six when empty.
    pub duties: Vec<Duty>,
    /// The term.
    pub term: Term,
    /// Full- or part-time; when omitted, full-time for levels 1–3 and market
    /// supervisors, part-time for the chiefs near households (so a rental
    /// building whose landlord has not given a full-time chief is listed).
    pub employment: Option<ChiefEmployment>,
    /// The landlord's or the zone operator's name, for the chiefs they provide.
    pub provider_name: Option<Name>,
}

/// Who provides a chief: the kind, the company, and the named landlord or operator.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Provider {
    /// Who.
    pub kind: ChiefProvider,
    /// The property company, when it provides.
    pub company_id: Option<i64>,
    /// The landlord or operator named.
    pub name: Option<String>,
}

/// Who provides a chief of `level` over a scope in `place` from `starts_on`.
async fn provider_of(
    db: &impl ConnectionTrait,
    level: ChiefLevel,
    place: &Place,
    starts_on: NaiveDate,
    name: Option<Name>,
) -> AppResult<Provider> {
    let named = |kind, name: Option<Name>, whom: &str| match name {
        Some(n) => Ok(Provider {
            kind,
            company_id: None,
            name: Some(n.into_inner()),
        }),
        None => Err(AppError::invalid(
            "provider_name",
            UserErrorCode::Required,
            format!("{whom} provides this chief: give their name"),
        )),
    };
    let plain = |kind, name: Option<Name>| match name {
        Some(_) => Err(AppError::invalid(
            "provider_name",
            UserErrorCode::Invalid,
            "only a rental building's landlord or an industrial zone's operator is named",
        )),
        None => Ok(Provider {
            kind,
            company_id: None,
            name: None,
        }),
    };
    if level.rank() <= 3 {
        return plain(ChiefProvider::Community, name);
    }
    if level == ChiefLevel::MarketSupervisor {
        return plain(ChiefProvider::MarketRegulator, name);
    }
    let Some(c) = &place.compound else {
        return plain(ChiefProvider::Community, name);
    };
    if c.kind == CompoundKind::IndustrialZone {
        return named(ChiefProvider::ZoneOperator, name, "the zone's operator");
    }
    if place.building.as_ref().is_some_and(|b| b.is_rental) {
        return named(ChiefProvider::Landlord, name, "the building's landlord");
    }
    if c.kind == CompoundKind::CommodityHousing
        && let Some(k) = active_contract(db, c.id, starts_on).await?
    {
        return plain(ChiefProvider::PropertyCompany, name).map(|p| Provider {
            company_id: Some(k.company_id),
            ..p
        });
    }
    plain(ChiefProvider::Community, name)
}

fn term_of(m: &chief_appointment::Model) -> Term {
    Term {
        starts_on: m.starts_on,
        ends_on: m.ends_on,
    }
}

/// Appoints a chief.
pub async fn appoint(uow: &UnitOfWork<'_>, a: Appointment) -> AppResult<chief_appointment::Model> {
    let db = uow.db();
    crate::domain::access::may_hold(uow.caller(), Permission::ManageChiefs)?;
    let (scope, place) = resolve_place(db, a.level, &a.scope).await?;
    let access = scope.access_scope(db).await?;
    let permit = uow.permit(Permission::ManageChiefs, &access)?;
    must_exist::<person::Entity>(db, a.person_id, "person_id", "person").await?;
    let provider = provider_of(db, a.level, &place, a.term.starts_on, a.provider_name).await?;
    let employment = a.employment.unwrap_or(
        if a.level.rank() <= 3 || a.level == ChiefLevel::MarketSupervisor {
            ChiefEmployment::FullTime
        } else {
            ChiefEmployment::PartTime
        },
    );
    // Only appointments of the same unit can clash: narrowed in SQL, so a
    // community with thousands of courtyard chiefs reads a handful of rows.
    use chief_appointment::Column as C;
    let same_unit = [
        (C::GridId, scope.grid_id),
        (C::CompoundId, scope.compound_id),
        (C::BuildingId, scope.building_id),
    ]
    .into_iter()
    .fold(Condition::all(), |all, (column, value)| {
        all.add(match value {
            Some(v) => column.eq(v),
            None => column.is_null(),
        })
    })
    .add(match &scope.label {
        Some(label) => C::ScopeLabel.eq(label.clone()),
        None => C::ScopeLabel.is_null(),
    });
    let same_level = chief_appointment::Entity::find()
        .filter(chief_appointment::Column::Level.eq(a.level))
        .filter(chief_appointment::Column::CommunityId.eq(scope.community_id))
        .filter(same_unit)
        .filter(
            Condition::any()
                .add(chief_appointment::Column::EndsOn.is_null())
                .add(chief_appointment::Column::EndsOn.gte(a.term.starts_on)),
        )
        .all(db)
        .await?;
    let overlapping: Vec<&chief_appointment::Model> = same_level
        .iter()
        .filter(|m| scope.clashes_with(m) && term_of(m).overlaps(&a.term))
        .collect();
    if overlapping.iter().any(|m| m.person_id == a.person_id) {
        return Err(AppError::invalid(
            "starts_on",
            UserErrorCode::Conflict,
            "the person already holds this position during this term",
        ));
    }
    if a.level.single_holder() && !overlapping.is_empty() {
        return Err(AppError::invalid(
            "scope",
            UserErrorCode::Conflict,
            "this position already has a holder during this term; end that appointment first",
        ));
    }
    let duties = if a.duties.is_empty() {
        Duty::ALL.to_vec()
    } else {
        a.duties
    };
    let m = chief_appointment::ActiveModel {
        level: Set(a.level),
        person_id: Set(a.person_id),
        community_id: Set(scope.community_id),
        grid_id: Set(scope.grid_id),
        compound_id: Set(scope.compound_id),
        building_id: Set(scope.building_id),
        floor_from: Set(scope.floor_from),
        floor_to: Set(scope.floor_to),
        scope_label: Set(scope.label),
        contact_phone: Set(a.contact_phone.into_inner()),
        duties: Set(Duty::to_bits(&duties)),
        starts_on: Set(a.term.starts_on),
        ends_on: Set(a.term.ends_on),
        created_at: Set(uow.now()),
        employment: Set(Some(employment)),
        provider_kind: Set(Some(provider.kind)),
        provider_company_id: Set(provider.company_id),
        provider_name: Set(provider.name),
        ..Default::default()
    }
    .insert(db)
    .await?;
    audit::created(
        uow,
        &permit,
        Subject::new(Operation::AppointChief, "ChiefAppointment", m.id, &access),
        &m,
    )
    .await?;
    Ok(m)
}

async fn access_of(db: &impl ConnectionTrait, m: &chief_appointment::Model) -> AppResult<Scope> {
    match m.compound_id {
        Some(c) => Scope::of_compound(db, c).await,
        None => Scope::of_community(db, m.community_id).await,
    }
}

/// Changes a chief's public contact or duties.
pub async fn update(
    uow: &UnitOfWork<'_>,
    id: i64,
    contact_phone: Option<Phone>,
    duties: Option<Vec<Duty>>,
) -> AppResult<chief_appointment::Model> {
    let db = uow.db();
    let before = uow
        .target::<chief_appointment::Entity>(Permission::ManageChiefs, id, "id", "appointment")
        .await?;
    let access = access_of(db, &before).await?;
    let permit = uow.permit(Permission::ManageChiefs, &access)?;
    let mut am: chief_appointment::ActiveModel = before.clone().into();
    if let Some(p) = contact_phone {
        am.contact_phone = Set(p.into_inner());
    }
    if let Some(d) = duties {
        if d.is_empty() {
            return Err(AppError::invalid(
                "duties",
                UserErrorCode::Required,
                "a chief carries at least one duty",
            ));
        }
        am.duties = Set(Duty::to_bits(&d));
    }
    let after = am.update(db).await?;
    audit::updated(
        uow,
        &permit,
        Subject::new(Operation::UpdateChief, "ChiefAppointment", id, &access),
        &before,
        &after,
    )
    .await?;
    Ok(after)
}

/// Ends an appointment.
pub async fn end(
    uow: &UnitOfWork<'_>,
    id: i64,
    ends_on: NaiveDate,
) -> AppResult<chief_appointment::Model> {
    let db = uow.db();
    let before = uow
        .target::<chief_appointment::Entity>(Permission::ManageChiefs, id, "id", "appointment")
        .await?;
    let access = access_of(db, &before).await?;
    let permit = uow.permit(Permission::ManageChiefs, &access)?;
    check_end(before.starts_on, before.ends_on, ends_on)?;
    let mut am: chief_appointment::ActiveModel = before.clone().into();
    am.ends_on = Set(Some(ends_on));
    let after = am.update(db).await?;
    audit::updated(
        uow,
        &permit,
        Subject::new(Operation::EndChief, "ChiefAppointment", id, &access),
        &before,
        &after,
    )
    .await?;
    Ok(after)
}

/// The chains of chiefs answering for each of `dwelling_ids` on `day`,
/// from the chief nearest the household (level 5) up to the area chief
/// (level 1): one query for the dwellings' physical context and one for all
/// candidate appointments, however many dwellings are asked for. Levels
/// with no holder that day are left out; grid workers stand beside their
/// grid chief. Unknown dwellings are absent from the map.
pub async fn responsible_chains(
    db: &impl ConnectionTrait,
    dwelling_ids: &[i64],
    day: NaiveDate,
) -> AppResult<HashMap<i64, Vec<chief_appointment::Model>>> {
    let dwellings = dwelling::Entity::find()
        .filter(dwelling::Column::Id.is_in(dwelling_ids.to_vec()))
        .find_also_related(building::Entity)
        .all(db)
        .await?;
    let compound_ids: Vec<i64> = dwellings
        .iter()
        .filter_map(|(_, b)| b.as_ref().map(|b| b.compound_id))
        .collect::<BTreeSet<i64>>()
        .into_iter()
        .collect();
    let compounds: HashMap<i64, compound::Model> = compound::Entity::find()
        .filter(compound::Column::Id.is_in(compound_ids.clone()))
        .all(db)
        .await?
        .into_iter()
        .map(|c| (c.id, c))
        .collect();
    let building_ids: Vec<i64> = dwellings
        .iter()
        .filter_map(|(_, b)| b.as_ref().map(|b| b.id))
        .collect::<BTreeSet<i64>>()
        .into_iter()
        .collect();
    let grid_ids: Vec<i64> = dwellings
        .iter()
        .filter_map(|(_, b)| b.as_ref().and_then(|b| b.grid_id))
        .collect::<BTreeSet<i64>>()
        .into_iter()
        .collect();
    let community_ids: Vec<i64> = compounds
        .values()
        .map(|c| c.community_id)
        .collect::<BTreeSet<i64>>()
        .into_iter()
        .collect();
    let candidates = chief_appointment::Entity::find()
        .filter(
            Condition::any()
                .add(chief_appointment::Column::BuildingId.is_in(building_ids))
                .add(
                    Condition::all()
                        .add(chief_appointment::Column::CompoundId.is_in(compound_ids))
                        .add(chief_appointment::Column::BuildingId.is_null()),
                )
                .add(chief_appointment::Column::GridId.is_in(grid_ids))
                .add(
                    Condition::all()
                        .add(chief_appointment::Column::CommunityId.is_in(community_ids))
                        .add(chief_appointment::Column::CompoundId.is_null())
                        .add(chief_appointment::Column::GridId.is_null()),
                ),
        )
        .filter(chief_appointment::Column::StartsOn.lte(day))
        .filter(
            Condition::any()
                .add(chief_appointment::Column::EndsOn.is_null())
                .add(chief_appointment::Column::EndsOn.gte(day)),
        )
        .all(db)
        .await?;
    let mut out = HashMap::new();
    for (d, b) in &dwellings {
        let Some(b) = b else { continue };
        let Some(c) = compounds.get(&b.compound_id) else {
            continue;
        };
        out.insert(d.id, chain_for(d, b, c, &candidates));
    }
    Ok(out)
}

/// The chain of one dwelling among candidate appointments already known to
/// be in force.
fn chain_for(
    d: &dwelling::Model,
    b: &building::Model,
    c: &compound::Model,
    candidates: &[chief_appointment::Model],
) -> Vec<chief_appointment::Model> {
    let variant = c.kind.chain_variant();
    let mut chain: Vec<chief_appointment::Model> = candidates
        .iter()
        .filter(|m| match m.level.scope_kind() {
            ScopeKind::Community => m.community_id == c.community_id,
            ScopeKind::Grid => b.grid_id.is_some() && m.grid_id == b.grid_id,
            ScopeKind::Compound => m.compound_id == Some(c.id),
            ScopeKind::Alley => {
                m.compound_id == Some(c.id) && b.alley.is_some() && m.scope_label == b.alley
            }
            ScopeKind::Building | ScopeKind::Courtyard | ScopeKind::ShopGroup => {
                m.building_id == Some(b.id)
            }
            ScopeKind::FloorRange => {
                m.building_id == Some(b.id)
                    && match (d.floor, m.floor_from, m.floor_to) {
                        (Some(f), Some(lo), Some(hi)) => lo <= f && f <= hi,
                        _ => false,
                    }
            }
        })
        .filter(|m| m.level.variant().is_none_or(|v| v == variant))
        .cloned()
        .collect();
    chain.sort_by_key(|m| (-m.level.rank(), m.level == ChiefLevel::GridWorker, m.id));
    chain
}

/// The rental and industrial-zone buildings of `community_id` with no
/// full-time building chief in force on `day` (their landlord or operator
/// must provide one), as a query to page through.
pub fn buildings_missing_full_time_chief(
    community_id: i64,
    day: NaiveDate,
) -> sea_orm::Select<building::Entity> {
    use sea_orm::sea_query::Query;
    let compounds = Query::select()
        .column(compound::Column::Id)
        .from(compound::Entity)
        .and_where(compound::Column::CommunityId.eq(community_id))
        .to_owned();
    let zones = Query::select()
        .column(compound::Column::Id)
        .from(compound::Entity)
        .and_where(compound::Column::CommunityId.eq(community_id))
        .and_where(compound::Column::Kind.eq(CompoundKind::IndustrialZone))
        .to_owned();
    let staffed = Query::select()
        .column(chief_appointment::Column::BuildingId)
        .from(chief_appointment::Entity)
        .and_where(chief_appointment::Column::Level.eq(ChiefLevel::BuildingChief))
        .and_where(chief_appointment::Column::Employment.eq(ChiefEmployment::FullTime))
        .and_where(chief_appointment::Column::BuildingId.is_not_null())
        .and_where(chief_appointment::Column::StartsOn.lte(day))
        .cond_where(
            Condition::any()
                .add(chief_appointment::Column::EndsOn.is_null())
                .add(chief_appointment::Column::EndsOn.gte(day)),
        )
        .to_owned();
    building::Entity::find()
        .filter(building::Column::CompoundId.in_subquery(compounds))
        .filter(building::Column::Kind.eq(BuildingKind::Apartment))
        .filter(
            Condition::any()
                .add(building::Column::IsRental.eq(true))
                .add(building::Column::CompoundId.in_subquery(zones)),
        )
        .filter(building::Column::Id.not_in_subquery(staffed))
}
