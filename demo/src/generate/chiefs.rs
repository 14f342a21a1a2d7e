//! The chain of chiefs in its three variants, and what the demo accounts
//! are tied to.

use std::collections::HashSet;

use compound_api::domain::kinds::{
    ChainVariant, ChiefEmployment, ChiefLevel, CompoundKind, Duty, ResidencyKind,
};
use compound_api::entity::chief_appointment;

use super::{FIRST_ID, Gen, Links};

impl Gen {
    /// Appoints `p` to `level` over the scope in `at`.
    fn appoint(&mut self, level: ChiefLevel, p: usize, at: ChiefScope) {
        self.chiefs.insert(p);
        let contact_phone = match self.d.persons[p].phone.clone() {
            Some(phone) => phone,
            None => {
                let phone = self.phone();
                self.d.persons[p].phone = Some(phone.clone());
                phone
            }
        };
        let starts_on = self.some_day_ago(30, 1_200);
        let idx = self.d.chiefs.len();
        // A rental building's landlord provides its chiefs, full-time for
        // the building chief — but for the first rental building, whose
        // landlord has given only a part-time one, so the community's list
        // of buildings missing a full-time chief is not empty.
        // In an industrial zone the operator provides them all, and its
        // building chiefs are full-time.
        let rental = at.building.filter(|b| self.d.buildings[*b].is_rental);
        let zone = at
            .compound
            .filter(|c| self.d.compounds[*c].kind == CompoundKind::IndustrialZone);
        let provider_name = match (zone, rental) {
            (Some(c), _) => Some(crate::zone_operator(&self.d.compounds[c].name)),
            (None, Some(b)) => Some(match self.buildings[b].landlord {
                Some(l) => self.d.persons[l].name.clone(),
                None => format!("{}业主", self.d.buildings[b].name),
            }),
            (None, None) => None,
        };
        // Everyone else takes the domain's default for their position.
        let employment = match (level, rental) {
            (ChiefLevel::BuildingChief, _) if zone.is_some() => Some(ChiefEmployment::FullTime),
            (ChiefLevel::BuildingChief, Some(b)) => {
                let first_rental = self.d.buildings.iter().position(|x| x.is_rental) == Some(b);
                Some(if first_rental {
                    ChiefEmployment::PartTime
                } else {
                    ChiefEmployment::FullTime
                })
            }
            _ => None,
        };
        self.d.chiefs.push(chief_appointment::Model {
            id: FIRST_ID + idx as i64,
            level,
            person_id: self.pid(p),
            community_id: FIRST_ID + at.community as i64,
            grid_id: at.grid.map(|g| FIRST_ID + g as i64),
            compound_id: at.compound.map(|c| FIRST_ID + c as i64),
            building_id: at.building.map(|b| FIRST_ID + b as i64),
            floor_from: at.floors.map(|f| f.0),
            floor_to: at.floors.map(|f| f.1),
            scope_label: at.label,
            contact_phone,
            duties: Duty::to_bits(&Duty::ALL),
            starts_on,
            ends_on: None,
            created_at: self.now,
            employment,
            provider_kind: None,
            provider_company_id: None,
            provider_name,
        });
    }

    /// Someone from `people` holding no chief position yet (preferring
    /// owners when `owners_first`), or a new volunteer registered in `community`.
    fn pick_chief(&mut self, people: &[(usize, bool)], community: usize) -> usize {
        let free: Vec<(usize, bool)> = people
            .iter()
            .copied()
            .filter(|(p, _)| !self.chiefs.contains(p))
            .collect();
        let owners: Vec<usize> = free.iter().filter(|(_, o)| *o).map(|(p, _)| *p).collect();
        if !owners.is_empty() {
            return *self.rng.pick(&owners);
        }
        if !free.is_empty() {
            return self.rng.pick(&free).0;
        }
        self.adult_person(community, 30, 65)
    }

    /// The chain of chiefs: levels 1–3 for every community and grid, levels
    /// 4–5 in the variant of each compound.
    pub(super) fn chain_of_chiefs(&mut self) {
        for c in 0..self.scale.communities {
            let area = self.adult_person(c, 38, 55);
            self.appoint(ChiefLevel::AreaChief, area, ChiefScope::community(c));
            let chief = self.adult_person(c, 35, 58);
            self.appoint(ChiefLevel::CommunityChief, chief, ChiefScope::community(c));
            for g in self.grids_of[c].clone() {
                let chief = self.adult_person(c, 30, 55);
                self.appoint(ChiefLevel::GridChief, chief, ChiefScope::grid(c, g));
                let worker = self.adult_person(c, 23, 45);
                self.appoint(ChiefLevel::GridWorker, worker, ChiefScope::grid(c, g));
            }
        }
        for c in 0..self.d.compounds.len() {
            let community = self.compounds[c].community;
            match self.d.compounds[c].kind.chain_variant() {
                ChainVariant::ApartmentCompound => {
                    for b in self.compounds[c].buildings.clone() {
                        let adults = self.buildings[b].adults.clone();
                        for (from, to) in self.buildings[b].floor_ranges.clone() {
                            let on_floors: Vec<(usize, bool)> = adults
                                .iter()
                                .filter(|(f, _, _)| (from..=to).contains(f))
                                .map(|(_, p, o)| (*p, *o))
                                .collect();
                            let candidates =
                                if on_floors.iter().any(|(p, _)| !self.chiefs.contains(p)) {
                                    on_floors
                                } else {
                                    adults.iter().map(|(_, p, o)| (*p, *o)).collect()
                                };
                            let p = self.pick_chief(&candidates, community);
                            let mut at = ChiefScope::building(community, c, b);
                            at.floors = Some((from, to));
                            self.appoint(ChiefLevel::FloorChief, p, at);
                        }
                        // In a rental building the landlord must provide the building chief.
                        let p = match self.buildings[b].landlord {
                            Some(l) if !self.chiefs.contains(&l) => l,
                            _ => {
                                let all: Vec<(usize, bool)> =
                                    adults.iter().map(|(_, p, o)| (*p, *o)).collect();
                                self.pick_chief(&all, community)
                            }
                        };
                        self.appoint(
                            ChiefLevel::BuildingChief,
                            p,
                            ChiefScope::building(community, c, b),
                        );
                    }
                }
                ChainVariant::BungalowArea => {
                    let alleys = self.compounds[c].alleys.clone();
                    let mut on_alley: Vec<Vec<(usize, bool)>> = vec![Vec::new(); alleys.len()];
                    for b in self.compounds[c].buildings.clone() {
                        let adults: Vec<(usize, bool)> = self.buildings[b]
                            .adults
                            .iter()
                            .map(|(_, p, o)| (*p, *o))
                            .collect();
                        let p = self.pick_chief(&adults, community);
                        self.appoint(
                            ChiefLevel::CourtyardChief,
                            p,
                            ChiefScope::building(community, c, b),
                        );
                        if let Some(a) = self.buildings[b].alley {
                            on_alley[a].extend(adults);
                        }
                    }
                    for (a, name) in alleys.into_iter().enumerate() {
                        let p = self.pick_chief(&on_alley[a], community);
                        let mut at = ChiefScope::compound(community, c);
                        at.label = Some(name);
                        self.appoint(ChiefLevel::AlleyChief, p, at);
                    }
                }
                ChainVariant::CommercialStreet => {
                    // A market-regulation officer, not a shopkeeper.
                    let officer = self.adult_person(community, 30, 55);
                    self.appoint(
                        ChiefLevel::MarketSupervisor,
                        officer,
                        ChiefScope::compound(community, c),
                    );
                    for b in self.compounds[c].buildings.clone() {
                        let owners: Vec<(usize, bool)> = self.buildings[b]
                            .shop_owners
                            .iter()
                            .map(|p| (*p, true))
                            .collect();
                        let p = self.pick_chief(&owners, community);
                        self.appoint(
                            ChiefLevel::ShopChief,
                            p,
                            ChiefScope::building(community, c, b),
                        );
                    }
                }
            }
        }
    }

    /// What the demo accounts are tied to, in the first commodity compound.
    pub(super) fn links(&mut self) {
        let c = self
            .d
            .compounds
            .iter()
            .position(|c| c.kind == CompoundKind::CommodityHousing)
            .unwrap_or(0);
        let info = self.compounds[c].clone();
        let named = |g: &Gen, p: usize| (g.pid(p), g.d.persons[p].name.clone());
        let secretary = info.secretary.unwrap_or(0);
        let committee = info
            .committee
            .iter()
            .map(|(p, _)| *p)
            .find(|p| Some(*p) != info.secretary)
            .unwrap_or(secretary);
        let manager = info.manager.unwrap_or(secretary);
        // An ordinary owner at home: no seat, no chief position.
        let busy: HashSet<usize> = info
            .branch_members
            .iter()
            .copied()
            .chain(info.committee.iter().map(|(p, _)| *p))
            .chain(self.chiefs.iter().copied())
            .collect();
        let home = self
            .d
            .residencies
            .iter()
            .filter(|r| r.kind == ResidencyKind::Owner)
            .map(|r| {
                (
                    (r.person_id - FIRST_ID) as usize,
                    (r.dwelling_id - FIRST_ID) as usize,
                )
            })
            .filter(|(_, d)| self.buildings[self.dwelling_building(*d)].compound == c)
            .min_by_key(|(p, _)| busy.contains(p));
        let (resident, dwelling) = home.unwrap_or((secretary, 0));
        self.d.links = Links {
            subdistrict_id: FIRST_ID,
            community_id: self.d.compounds[c].community_id,
            community_name: self.d.communities
                [(self.d.compounds[c].community_id - FIRST_ID) as usize]
                .name
                .clone(),
            compound_id: FIRST_ID + c as i64,
            secretary: named(self, secretary),
            committee: named(self, committee),
            property: named(self, manager),
            resident: named(self, resident),
            resident_dwelling_id: FIRST_ID + dwelling as i64,
        };
    }
}

/// Where a chief serves, as generator indices.
struct ChiefScope {
    /// The community (always).
    community: usize,
    /// The grid (grid levels).
    grid: Option<usize>,
    /// The compound (levels 4–5).
    compound: Option<usize>,
    /// The building, courtyard or shop block.
    building: Option<usize>,
    /// The floors (floor chiefs).
    floors: Option<(i32, i32)>,
    /// The alley's name (alley chiefs).
    label: Option<String>,
}

impl ChiefScope {
    /// A community.
    pub(super) fn community(community: usize) -> Self {
        Self {
            community,
            grid: None,
            compound: None,
            building: None,
            floors: None,
            label: None,
        }
    }

    /// A grid of a community.
    pub(super) fn grid(community: usize, grid: usize) -> Self {
        Self {
            grid: Some(grid),
            ..Self::community(community)
        }
    }

    /// A whole compound.
    pub(super) fn compound(community: usize, compound: usize) -> Self {
        Self {
            compound: Some(compound),
            ..Self::community(community)
        }
    }

    /// A building of a compound.
    pub(super) fn building(community: usize, compound: usize, building: usize) -> Self {
        Self {
            building: Some(building),
            ..Self::compound(community, compound)
        }
    }
}
