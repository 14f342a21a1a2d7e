//! What the activity of a subdistrict is planned from: its register as
//! stored (compounds, buildings and their grids, owners, grid workers, the
//! three parties), read once before anything is written. Every list is in
//! id order, so the plan is the same on every load of the same data.

use std::collections::{BTreeMap, HashMap, HashSet};

use chrono::NaiveDate;
use compound_api::domain::kinds::{ChiefLevel, CompoundKind, NoticePublisher};
use compound_api::domain::parties::linkage;
use compound_api::domain::values::Term;
use compound_api::entity::{
    account, building, chief_appointment, community, compound, dwelling, grid, owners_committee,
    ownership, party_branch, person, property_contract, residents_council, subdistrict,
};
use compound_api::error::{AppError, AppResult};
use sea_orm::sea_query::{Query, SelectStatement};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};

/// A building: its compound and grid.
#[derive(Debug, Clone)]
pub(super) struct Building {
    pub(super) id: i64,
    pub(super) compound_id: i64,
    pub(super) grid_id: Option<i64>,
}

/// An owner who may act as a resident of a compound: their person, name
/// and a dwelling of theirs there.
#[derive(Debug, Clone)]
pub(super) struct Owner {
    pub(super) person_id: i64,
    pub(super) name: String,
    pub(super) dwelling_id: i64,
}

/// The stored facts of one subdistrict.
pub(super) struct Facts {
    /// The subdistrict.
    pub(super) subdistrict: subdistrict::Model,
    /// Its district.
    pub(super) district_id: i64,
    /// Its grids, by id.
    pub(super) grids: Vec<grid::Model>,
    /// Its compounds, by id.
    pub(super) compounds: Vec<compound::Model>,
    /// Its buildings, by id.
    pub(super) buildings: Vec<Building>,
    /// The grid worker of each grid that has one: person and name.
    pub(super) grid_workers: HashMap<i64, (i64, String)>,
    /// Per compound, its owners of record on the first day of the
    /// activity and still, each once, by person id, who have no account
    /// and are no grid worker.
    pub(super) owners: HashMap<i64, Vec<Owner>>,
    /// Per compound, who may publish to it: the bodies it has had, each
    /// with the days it serves (a notice is published only as a body the
    /// compound has on the day).
    pub(super) publishers: HashMap<i64, Vec<(NoticePublisher, Term)>>,
    /// Per compound, its residents' council, if it has one.
    pub(super) councils: HashMap<i64, i64>,
}

impl Facts {
    /// Residential compounds: where residents propose people's small things.
    pub(super) fn residential(&self) -> impl Iterator<Item = &compound::Model> {
        self.compounds.iter().filter(|c| {
            matches!(
                c.kind,
                CompoundKind::CommodityHousing
                    | CompoundKind::OldCompound
                    | CompoundKind::VillageToResidence
                    | CompoundKind::BungalowArea
            )
        })
    }

    /// The buildings of grid `grid_id`, by id.
    pub(super) fn buildings_of_grid(&self, grid_id: i64) -> Vec<&Building> {
        self.buildings
            .iter()
            .filter(|b| b.grid_id == Some(grid_id))
            .collect()
    }

    /// The buildings of compound `compound_id` that lie in a grid, by id.
    pub(super) fn buildings_of_compound(&self, compound_id: i64) -> Vec<&Building> {
        self.buildings
            .iter()
            .filter(|b| b.compound_id == compound_id && b.grid_id.is_some())
            .collect()
    }
}

/// The ids of `subdistrict_id`'s compounds, as a subquery.
pub(crate) fn compounds_of(subdistrict_id: i64) -> SelectStatement {
    Query::select()
        .column(compound::Column::Id)
        .from(compound::Entity)
        .and_where(
            compound::Column::CommunityId.in_subquery(
                Query::select()
                    .column(community::Column::Id)
                    .from(community::Entity)
                    .and_where(community::Column::SubdistrictId.eq(subdistrict_id))
                    .to_owned(),
            ),
        )
        .to_owned()
}

/// The ids of the dwellings in `subdistrict_id`, as a subquery.
fn dwellings_of(subdistrict_id: i64) -> SelectStatement {
    Query::select()
        .column(dwelling::Column::Id)
        .from(dwelling::Entity)
        .and_where(
            dwelling::Column::BuildingId.in_subquery(
                Query::select()
                    .column(building::Column::Id)
                    .from(building::Entity)
                    .and_where(
                        building::Column::CompoundId.in_subquery(compounds_of(subdistrict_id)),
                    )
                    .to_owned(),
            ),
        )
        .to_owned()
}

/// Reads the facts of subdistrict `s`; owners are those of record from
/// `since` on, with no end.
pub(super) async fn read(
    db: &impl ConnectionTrait,
    s: subdistrict::Model,
    since: NaiveDate,
) -> AppResult<Facts> {
    let district_id = s
        .district_id
        .ok_or_else(|| AppError::Internal(format!("{} lies in no district", s.name)))?;
    let communities: Vec<i64> = community::Entity::find()
        .filter(community::Column::SubdistrictId.eq(s.id))
        .select_only()
        .column(community::Column::Id)
        .into_tuple()
        .all(db)
        .await?;
    let grids = grid::Entity::find()
        .filter(grid::Column::CommunityId.is_in(communities.clone()))
        .order_by_asc(grid::Column::Id)
        .all(db)
        .await?;
    let compounds = compound::Entity::find()
        .filter(compound::Column::CommunityId.is_in(communities))
        .order_by_asc(compound::Column::Id)
        .all(db)
        .await?;
    let buildings: Vec<Building> = building::Entity::find()
        .filter(building::Column::CompoundId.in_subquery(compounds_of(s.id)))
        .order_by_asc(building::Column::Id)
        .select_only()
        .column(building::Column::Id)
        .column(building::Column::CompoundId)
        .column(building::Column::GridId)
        .into_tuple::<(i64, i64, Option<i64>)>()
        .all(db)
        .await?
        .into_iter()
        .map(|(id, compound_id, grid_id)| Building {
            id,
            compound_id,
            grid_id,
        })
        .collect();
    let workers: Vec<(i64, i64)> = chief_appointment::Entity::find()
        .filter(chief_appointment::Column::Level.eq(ChiefLevel::GridWorker))
        .filter(chief_appointment::Column::GridId.is_in(grids.iter().map(|g| g.id)))
        .filter(chief_appointment::Column::EndsOn.is_null())
        .order_by_asc(chief_appointment::Column::Id)
        .select_only()
        .column(chief_appointment::Column::GridId)
        .column(chief_appointment::Column::PersonId)
        .into_tuple::<(Option<i64>, i64)>()
        .all(db)
        .await?
        .into_iter()
        .filter_map(|(g, p)| Some((g?, p)))
        .collect();

    // Owners of record since `since`, with the building of each dwelling.
    let building_of: HashMap<i64, i64> = dwelling::Entity::find()
        .filter(dwelling::Column::Id.in_subquery(dwellings_of(s.id)))
        .select_only()
        .column(dwelling::Column::Id)
        .column(dwelling::Column::BuildingId)
        .into_tuple::<(i64, i64)>()
        .all(db)
        .await?
        .into_iter()
        .collect();
    let compound_of: HashMap<i64, i64> = buildings.iter().map(|b| (b.id, b.compound_id)).collect();
    // Those who have an account, or get one as grid workers, act as
    // residents under no second one.
    let mut with_accounts: HashSet<i64> = account::Entity::find()
        .filter(account::Column::PersonId.is_not_null())
        .select_only()
        .column(account::Column::PersonId)
        .into_tuple::<Option<i64>>()
        .all(db)
        .await?
        .into_iter()
        .flatten()
        .collect();
    with_accounts.extend(workers.iter().map(|(_, p)| *p));
    let held: Vec<(i64, i64)> = ownership::Entity::find()
        .filter(ownership::Column::DwellingId.in_subquery(dwellings_of(s.id)))
        .filter(ownership::Column::StartsOn.lte(since))
        .filter(ownership::Column::EndsOn.is_null())
        .order_by_asc(ownership::Column::PersonId)
        .order_by_asc(ownership::Column::DwellingId)
        .select_only()
        .column(ownership::Column::PersonId)
        .column(ownership::Column::DwellingId)
        .into_tuple()
        .all(db)
        .await?;
    let mut by_compound: BTreeMap<i64, Vec<(i64, i64)>> = BTreeMap::new();
    let mut seen: HashSet<(i64, i64)> = HashSet::new();
    for (person_id, dwelling_id) in held {
        if with_accounts.contains(&person_id) {
            continue;
        }
        let Some(c) = building_of
            .get(&dwelling_id)
            .and_then(|b| compound_of.get(b))
        else {
            continue;
        };
        if seen.insert((*c, person_id)) {
            by_compound
                .entry(*c)
                .or_default()
                .push((person_id, dwelling_id));
        }
    }
    let wanted: Vec<i64> = by_compound
        .values()
        .flat_map(|o| o.iter().map(|(p, _)| *p))
        .chain(workers.iter().map(|(_, p)| *p))
        .collect();
    let mut names: HashMap<i64, String> = HashMap::new();
    for chunk in wanted.chunks(500) {
        for (id, name) in person::Entity::find()
            .filter(person::Column::Id.is_in(chunk.to_vec()))
            .select_only()
            .column(person::Column::Id)
            .column(person::Column::Name)
            .into_tuple::<(i64, String)>()
            .all(db)
            .await?
        {
            names.insert(id, name);
        }
    }
    let name_of = |p: i64| names.get(&p).cloned().unwrap_or_default();
    let owners = by_compound
        .into_iter()
        .map(|(c, list)| {
            let list = list
                .into_iter()
                .map(|(person_id, dwelling_id)| Owner {
                    person_id,
                    name: name_of(person_id),
                    dwelling_id,
                })
                .collect();
            (c, list)
        })
        .collect();
    let mut grid_workers = HashMap::new();
    for (g, p) in workers {
        grid_workers.entry(g).or_insert_with(|| (p, name_of(p)));
    }

    let ids: Vec<i64> = compounds.iter().map(|c| c.id).collect();
    // Each body with the days it serves, for notices published as it.
    let mut publishers: HashMap<i64, Vec<(NoticePublisher, Term)>> = HashMap::new();
    let contracts = property_contract::Entity::find()
        .filter(property_contract::Column::CompoundId.is_in(ids.clone()))
        .order_by_asc(property_contract::Column::Id)
        .all(db)
        .await?;
    for c in &contracts {
        publishers.entry(c.compound_id).or_default().push((
            NoticePublisher::PropertyCompany,
            linkage::contract_period(c),
        ));
    }
    let branches = party_branch::Entity::find()
        .filter(party_branch::Column::CompoundId.is_in(ids.clone()))
        .order_by_asc(party_branch::Column::Id)
        .all(db)
        .await?;
    for b in &branches {
        publishers
            .entry(b.compound_id)
            .or_default()
            .push((NoticePublisher::PartyBranch, linkage::branch_period(b)));
    }
    let committees = owners_committee::Entity::find()
        .filter(owners_committee::Column::CompoundId.is_in(ids.clone()))
        .order_by_asc(owners_committee::Column::Id)
        .all(db)
        .await?;
    for c in &committees {
        publishers.entry(c.compound_id).or_default().push((
            NoticePublisher::OwnersCommittee,
            linkage::committee_period(c),
        ));
    }
    let councils = residents_council::Entity::find()
        .filter(residents_council::Column::CompoundId.is_in(ids))
        .select_only()
        .column(residents_council::Column::CompoundId)
        .column(residents_council::Column::Id)
        .into_tuple::<(i64, i64)>()
        .all(db)
        .await?
        .into_iter()
        .collect();
    Ok(Facts {
        subdistrict: s,
        district_id,
        grids,
        compounds,
        buildings,
        grid_workers,
        owners,
        publishers,
        councils,
    })
}
