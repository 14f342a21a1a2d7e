//! The register: communities and grids, compounds of every kind with their
//! buildings, entrances and dwellings, and the grids that cover them.

use std::collections::HashMap;

use compound_api::domain::kinds::{BuildingKind, CompoundKind};
use compound_api::entity::{building, community, compound, dwelling, entrance, grid};

use super::{BuildingInfo, CompoundInfo, FIRST_ID, Gen};
use crate::names::*;

impl Gen {
    /// The subdistrict's communities and grids.
    pub(super) fn administrative_units(&mut self) {
        for c in 0..self.scale.communities {
            self.d.communities.push(community::Model {
                id: FIRST_ID + c as i64,
                subdistrict_id: FIRST_ID,
                name: nth_name(COMMUNITY_NAMES, c),
                created_at: self.now,
            });
        }
        let per_community = split_even(self.scale.grids, self.scale.communities);
        for (c, count) in per_community.into_iter().enumerate() {
            let mut mine = Vec::new();
            for n in 0..count {
                let idx = self.d.grids.len();
                self.d.grids.push(grid::Model {
                    id: FIRST_ID + idx as i64,
                    community_id: FIRST_ID + c as i64,
                    name: format!("第{}网格", chinese_number(n + 1)),
                    code: Some(format!(
                        "{}{:02}{:02}",
                        &self.place.subdistrict_code[..9],
                        c + 1,
                        n + 1
                    )),
                    created_at: self.now,
                });
                mine.push(idx);
            }
            self.grids_of.push(mine);
        }
    }

    /// Adds a compound of `kind` named from `names`, in the next community in turn.
    pub(super) fn add_compound(&mut self, kind: CompoundKind, name: String) -> usize {
        let idx = self.d.compounds.len();
        let community = idx % self.scale.communities;
        let road = self.rng.pick(ROADS).to_string();
        let number = self.rng.range(1, 399);
        self.d.compounds.push(compound::Model {
            id: FIRST_ID + idx as i64,
            community_id: FIRST_ID + community as i64,
            name,
            kind,
            address: Some(format!("{}{road}{number}号", self.place.subdistrict)),
            created_at: self.now,
            updated_at: self.now,
        });
        self.compounds.push(CompoundInfo {
            community,
            ..Default::default()
        });
        idx
    }

    /// Adds a building to compound `c`.
    pub(super) fn add_building(
        &mut self,
        c: usize,
        name: String,
        kind: BuildingKind,
        floors: i32,
    ) -> usize {
        let idx = self.d.buildings.len();
        self.d.buildings.push(building::Model {
            id: FIRST_ID + idx as i64,
            compound_id: FIRST_ID + c as i64,
            grid_id: None,
            name,
            kind,
            floors: Some(floors),
            alley: None,
            is_rental: false,
            created_at: self.now,
        });
        self.buildings.push(BuildingInfo {
            compound: c,
            ..Default::default()
        });
        self.compounds[c].buildings.push(idx);
        idx
    }

    /// Adds a dwelling (or shop) to building `b`.
    pub(super) fn add_dwelling(
        &mut self,
        b: usize,
        entrance: Option<usize>,
        floor: i32,
        number: String,
        area_centi: i64,
    ) -> usize {
        let idx = self.d.dwellings.len();
        self.d.dwellings.push(dwelling::Model {
            id: FIRST_ID + idx as i64,
            building_id: FIRST_ID + b as i64,
            entrance_id: entrance.map(|e| FIRST_ID + e as i64),
            floor: Some(floor),
            number,
            exclusive_area_centi: area_centi,
            developer_held: false,
            created_at: self.now,
        });
        self.buildings[b].dwellings.push(idx);
        idx
    }

    /// Compounds of every kind with their buildings, entrances and dwellings.
    pub(super) fn compounds_and_buildings(&mut self) {
        let s = self.scale;
        // Mostly commodity housing, then old compounds, then village-to-residence.
        const PATTERN: [CompoundKind; 9] = [
            CompoundKind::CommodityHousing,
            CompoundKind::OldCompound,
            CompoundKind::VillageToResidence,
            CompoundKind::CommodityHousing,
            CompoundKind::OldCompound,
            CompoundKind::CommodityHousing,
            CompoundKind::VillageToResidence,
            CompoundKind::OldCompound,
            CompoundKind::CommodityHousing,
        ];
        // The last apartment compound is an industrial zone's dormitories.
        let apartment_compounds = s
            .apartment_buildings
            .div_ceil(s.buildings_per_compound)
            .clamp(4, s.apartment_buildings);
        let building_counts = split_varied(
            &mut self.rng,
            s.apartment_buildings,
            apartment_compounds,
            1,
            3,
        );
        let min_ranges = 2.min(s.floor_chiefs / s.apartment_buildings);
        let range_counts = split_varied(
            &mut self.rng,
            s.floor_chiefs,
            s.apartment_buildings,
            min_ranges,
            1,
        );
        let commodity_total = (0..apartment_compounds - 1)
            .filter(|i| PATTERN[i % PATTERN.len()] == CompoundKind::CommodityHousing)
            .count();
        let mut per_kind: HashMap<CompoundKind, usize> = HashMap::new();
        let mut next_range = 0;
        for (i, buildings) in building_counts.into_iter().enumerate() {
            let kind = if i + 1 == apartment_compounds {
                CompoundKind::IndustrialZone
            } else {
                PATTERN[i % PATTERN.len()]
            };
            let nth = *per_kind.entry(kind).and_modify(|n| *n += 1).or_insert(0);
            let names = match kind {
                CompoundKind::CommodityHousing => COMMODITY_NAMES,
                CompoundKind::OldCompound => OLD_NAMES,
                CompoundKind::IndustrialZone => ZONE_NAMES,
                _ => VILLAGE_NAMES,
            };
            let c = self.add_compound(kind, nth_name(names, nth));
            self.compounds[c].has_committee = match kind {
                // Workers rent from the operator: no owners to elect one.
                CompoundKind::IndustrialZone => false,
                // The newest commodity compound has not elected one yet.
                CompoundKind::CommodityHousing => nth + 1 < commodity_total || commodity_total == 1,
                CompoundKind::OldCompound => nth % 2 == 1,
                _ => nth == 0,
            };
            self.compounds[c].secretary_chairs = nth.is_multiple_of(2);
            let newest_commodity =
                kind == CompoundKind::CommodityHousing && nth + 1 == commodity_total;
            for n in 0..buildings {
                let ranges = range_counts[next_range];
                next_range += 1;
                let last = newest_commodity && n + 1 == buildings;
                self.apartment_building(c, kind, n + 1, ranges, last);
            }
        }
        let areas = (s.alleys / s.alleys_per_area).max(1);
        let alley_counts = split_varied(&mut self.rng, s.alleys, areas, 1, 4);
        let courtyard_counts = split_varied(&mut self.rng, s.courtyards, s.alleys, 1, 2);
        let mut next_alley = 0;
        for (i, alleys) in alley_counts.into_iter().enumerate() {
            let c = self.add_compound(CompoundKind::BungalowArea, nth_name(BUNGALOW_NAMES, i));
            for a in 0..alleys {
                let word = ALLEY_WORDS[(i * 3 + a / 9) % ALLEY_WORDS.len()];
                let round = a / (9 * ALLEY_WORDS.len());
                let mut alley = format!("{word}{}巷", chinese_number(a % 9 + 1));
                if round > 0 {
                    alley.push_str(&(round + 1).to_string());
                }
                self.compounds[c].alleys.push(alley.clone());
                for k in 0..courtyard_counts[next_alley] {
                    let b = self.add_building(
                        c,
                        format!("{alley}{}号院", k + 1),
                        BuildingKind::Courtyard,
                        1,
                    );
                    self.d.buildings[b].alley = Some(alley.clone());
                    self.buildings[b].alley = Some(a);
                    for h in 0..self.rng.range(2, 5) {
                        let area = self.rng.range(6_000, 16_000);
                        self.add_dwelling(b, None, 1, format!("{}-{}", k + 1, h + 1), area);
                    }
                }
                next_alley += 1;
            }
        }
        let streets = (s.shop_blocks / s.blocks_per_street).max(1);
        let block_counts = split_varied(&mut self.rng, s.shop_blocks, streets, 1, 2);
        for (i, blocks) in block_counts.into_iter().enumerate() {
            let c = self.add_compound(
                CompoundKind::CommercialStreet,
                nth_name(COMMERCIAL_NAMES, i),
            );
            let mut house = 1;
            for k in 0..blocks {
                let b = self.add_building(
                    c,
                    format!("门店{}组", chinese_number(k + 1)),
                    BuildingKind::ShopBlock,
                    1,
                );
                for _ in 0..self.rng.range(8, 12) {
                    let area = self.rng.range(1_800, 9_000);
                    self.add_dwelling(b, None, 1, format!("{house}号"), area);
                    house += 1;
                }
            }
        }
    }

    /// The extra large commodity compound of `scale.large_compound`
    /// dwellings, if any: high-rises of 12–18 floors, one owners' assembly
    /// of several thousand owners (the benchmark's 5,000-owner vote).
    pub(super) fn large_compound(&mut self) {
        let wanted = self.scale.large_compound;
        if wanted == 0 {
            return;
        }
        let kind = CompoundKind::CommodityHousing;
        let c = self.add_compound(kind, LARGE_COMPOUND_NAME.to_owned());
        self.compounds[c].has_committee = true;
        let mut dwellings = 0;
        let mut number = 1;
        while dwellings < wanted {
            let before = self.d.dwellings.len();
            self.apartment_building(c, kind, number, 6, false);
            dwellings += self.d.dwellings.len() - before;
            number += 1;
        }
    }

    /// One apartment building with `ranges` floor-chief ranges of 2–3 floors
    /// that together cover every floor; `unsold` marks the developer's units
    /// on its upper floors.
    pub(super) fn apartment_building(
        &mut self,
        c: usize,
        kind: CompoundKind,
        number: usize,
        ranges: usize,
        unsold: bool,
    ) {
        let r = ranges.max(1) as i64;
        let floors = self.rng.range(2 * r, 3 * r) as i32;
        let b = self.add_building(c, format!("{number}号楼"), BuildingKind::Apartment, floors);
        // Ranges from the ground up: the first (floors - 2r) cover three floors.
        let threes = floors as i64 - 2 * r;
        let mut from = 1;
        for j in 0..r {
            let size = if j < threes { 3 } else { 2 };
            self.buildings[b].floor_ranges.push((from, from + size - 1));
            from += size;
        }
        // In villages some buildings are let out whole by their landlord.
        self.d.buildings[b].is_rental =
            kind == CompoundKind::VillageToResidence && self.rng.chance(25);
        let (entrances, lo, hi) = match kind {
            CompoundKind::CommodityHousing => (self.rng.range(1, 3), 8_500, 14_500),
            CompoundKind::OldCompound => (self.rng.range(2, 4), 5_200, 8_800),
            _ => (self.rng.range(1, 2), 7_000, 12_500),
        };
        for e in 1..=entrances {
            let ent = self.d.entrances.len();
            self.d.entrances.push(entrance::Model {
                id: FIRST_ID + ent as i64,
                building_id: FIRST_ID + b as i64,
                name: format!("{e}单元"),
            });
            // The same flat on every floor has the same registered area.
            let areas = [self.rng.range(lo, hi), self.rng.range(lo, hi)];
            for floor in 1..=floors {
                for (room, area) in areas.iter().enumerate() {
                    let d = self.add_dwelling(
                        b,
                        Some(ent),
                        floor,
                        format!("{e}-{floor}{:02}", room + 1),
                        *area,
                    );
                    if unsold && floor > floors / 2 {
                        self.d.dwellings[d].developer_held = true;
                    }
                }
            }
        }
    }

    /// Puts every building on a grid of its compound's community, each grid
    /// covering a similar number of homes.
    pub(super) fn assign_grids(&mut self) {
        for (c, grids) in self.grids_of.clone().into_iter().enumerate() {
            let mine: Vec<usize> = (0..self.d.buildings.len())
                .filter(|b| self.compounds[self.buildings[*b].compound].community == c)
                .collect();
            let total: usize = mine
                .iter()
                .map(|b| self.buildings[*b].dwellings.len())
                .sum();
            let mut before = 0;
            for b in mine {
                let size = self.buildings[b].dwellings.len();
                let middle = before + size / 2;
                let g = (middle * grids.len() / total.max(1)).min(grids.len() - 1);
                self.d.buildings[b].grid_id = Some(FIRST_ID + grids[g] as i64);
                before += size;
            }
        }
    }
}
