//! Who owns and who lives in every home: owners' households, landlords and
//! tenants, shopkeepers.

use std::collections::HashMap;

use chrono::NaiveDate;
use compound_api::domain::kinds::{BuildingKind, CompoundKind, ResidencyKind};
use compound_api::entity::{ownership, residency};

use super::{FIRST_ID, Gen, Looks, Occupancy, Sex};
use crate::names::*;

impl Gen {
    /// The kind of the compound of building `b`.
    pub(super) fn kind_of_building(&self, b: usize) -> CompoundKind {
        self.d.compounds[self.buildings[b].compound].kind
    }

    /// Whether building `b` is let out whole by one owner: a landlord's
    /// rental building, or a dormitory of an industrial zone, which its
    /// operator lets to the workers.
    pub(super) fn let_whole(&self, b: usize) -> bool {
        self.d.buildings[b].is_rental || self.kind_of_building(b) == CompoundKind::IndustrialZone
    }

    /// Records that `p` owns dwelling `d` from `since`.
    pub(super) fn own(&mut self, p: usize, d: usize, since: NaiveDate, lives_there: bool) {
        let idx = self.d.ownerships.len();
        self.d.ownerships.push(ownership::Model {
            id: FIRST_ID + idx as i64,
            person_id: self.pid(p),
            dwelling_id: FIRST_ID + d as i64,
            starts_on: since,
            ends_on: None,
        });
        let c = self.buildings[self.dwelling_building(d)].compound;
        let info = &mut self.compounds[c];
        if !info.owners.iter().any(|(o, _)| *o == p) {
            info.owners.push((p, since));
        }
        if lives_there && !info.resident_owners.iter().any(|(o, _)| *o == p) {
            info.resident_owners.push((p, since));
        }
    }

    /// The building of dwelling `d`.
    pub(super) fn dwelling_building(&self, d: usize) -> usize {
        (self.d.dwellings[d].building_id - FIRST_ID) as usize
    }

    /// Records that `p` lives in dwelling `d` from `since` (not before their birth).
    pub(super) fn live(
        &mut self,
        p: usize,
        d: usize,
        kind: ResidencyKind,
        since: NaiveDate,
        birth: NaiveDate,
    ) {
        let idx = self.d.residencies.len();
        self.d.residencies.push(residency::Model {
            id: FIRST_ID + idx as i64,
            person_id: self.pid(p),
            dwelling_id: FIRST_ID + d as i64,
            kind,
            starts_on: since.max(birth),
            ends_on: None,
        });
        self.d.residents += 1;
        if self.adult[p] {
            let b = self.dwelling_building(d);
            let floor = self.d.dwellings[d].floor.unwrap_or(1);
            self.buildings[b]
                .adults
                .push((floor, p, kind == ResidencyKind::Owner));
            let c = self.buildings[b].compound;
            self.compounds[c].adults.push(p);
        }
    }

    /// Owners and residents of every home, with exactly `scale.residents` residents.
    pub(super) fn populate(&mut self) {
        let homes: Vec<usize> = (0..self.d.dwellings.len())
            .filter(|d| {
                self.d.buildings[self.dwelling_building(*d)].kind != BuildingKind::ShopBlock
            })
            .collect();
        let mut use_of = Vec::with_capacity(homes.len());
        for &d in &homes {
            let b = self.dwelling_building(d);
            let occupancy = if self.d.dwellings[d].developer_held {
                Occupancy::DeveloperHeld
            } else if self.let_whole(b) {
                Occupancy::Rented
            } else {
                let rented = match self.kind_of_building(b) {
                    CompoundKind::CommodityHousing => 10,
                    CompoundKind::OldCompound => 18,
                    CompoundKind::VillageToResidence => 22,
                    _ => 12,
                };
                match self.rng.below(100) as u64 {
                    n if n < 4 => Occupancy::Vacant,
                    n if n < 4 + rented => Occupancy::Rented,
                    _ => Occupancy::OwnerOccupied,
                }
            };
            use_of.push(occupancy);
        }
        let lived_in = use_of
            .iter()
            .filter(|o| matches!(o, Occupancy::Rented | Occupancy::OwnerOccupied))
            .count();
        let mut sizes = split_even(self.scale.residents, lived_in.max(1));
        // Vary household sizes in pairs, so the total stays exact.
        for i in (0..sizes.len().saturating_sub(1)).step_by(2) {
            let d = self.rng.range(-2, 2);
            let (a, b) = (sizes[i] as i64 + d, sizes[i + 1] as i64 - d);
            if a >= 1 && b >= 1 && sizes[i] >= 1 && sizes[i + 1] >= 1 {
                sizes[i] = a as usize;
                sizes[i + 1] = b as usize;
            }
        }
        let mut sizes = sizes.into_iter();
        let mut investors: HashMap<usize, usize> = HashMap::new();
        for (&d, occupancy) in homes.iter().zip(use_of) {
            let b = self.dwelling_building(d);
            let c = self.buildings[b].compound;
            let community = self.compounds[c].community;
            let size = match occupancy {
                Occupancy::Rented | Occupancy::OwnerOccupied => sizes.next().unwrap_or(0),
                _ => 0,
            };
            match occupancy {
                Occupancy::DeveloperHeld => {}
                Occupancy::OwnerOccupied if size > 0 => {
                    let since = self.some_day_ago(60, 7_000);
                    self.household(d, community, size, since);
                }
                Occupancy::OwnerOccupied | Occupancy::Vacant => {
                    let owner = self.adult_person(community, 30, 72);
                    let since = self.some_day_ago(60, 7_000);
                    self.own(owner, d, since, false);
                }
                Occupancy::Rented => {
                    let landlord = if self.let_whole(b) {
                        match self.buildings[b].landlord {
                            Some(l) => l,
                            None => {
                                let l = self.adult_person(community, 40, 70);
                                self.buildings[b].landlord = Some(l);
                                l
                            }
                        }
                    } else {
                        match investors.get(&c) {
                            Some(&l) if self.rng.chance(25) => l,
                            _ => {
                                let l = self.adult_person(community, 32, 70);
                                investors.insert(c, l);
                                l
                            }
                        }
                    };
                    // A landlord's building was theirs long before it was let out.
                    let since = if self.let_whole(b) {
                        self.days_ago(2_500)
                    } else {
                        self.some_day_ago(200, 6_000)
                    };
                    self.own(landlord, d, since, false);
                    if size > 0 {
                        self.tenants(d, community, size);
                    }
                }
            }
        }
    }

    /// An owner's household of `size` living in dwelling `d`.
    pub(super) fn household(&mut self, d: usize, community: usize, size: usize, since: NaiveDate) {
        let sex = if self.rng.chance(55) {
            Sex::Male
        } else {
            Sex::Female
        };
        let owner_age = self.rng.range(28, 75);
        let (owner, birth) = self.person(Looks {
            community,
            sex,
            age: owner_age,
            surname: None,
        });
        self.own(owner, d, since, true);
        self.live(owner, d, ResidencyKind::Owner, since, birth);
        let mut family_name = self.surname_of(owner);
        let mut youngest_parent = owner_age;
        if size >= 2 {
            let age = (owner_age + self.rng.range(-6, 6)).max(22);
            let (spouse, birth) = self.person(Looks {
                community,
                sex: sex.other(),
                age,
                surname: None,
            });
            if self.rng.chance(35) {
                self.own(spouse, d, since, true);
            }
            self.live(spouse, d, ResidencyKind::FamilyMember, since, birth);
            if sex == Sex::Female {
                family_name = self.surname_of(spouse);
            }
            youngest_parent = youngest_parent.min(age);
        }
        let mut rest = size.saturating_sub(2);
        if rest >= 2 && owner_age <= 62 && self.rng.chance(50) {
            let surname = Some(self.surname_of(owner));
            let age = (owner_age + self.rng.range(22, 30)).min(95);
            let sex = if self.rng.chance(50) {
                Sex::Male
            } else {
                Sex::Female
            };
            let (parent, birth) = self.person(Looks {
                community,
                sex,
                age,
                surname,
            });
            self.live(parent, d, ResidencyKind::FamilyMember, since, birth);
            rest -= 1;
        }
        for _ in 0..rest {
            let age = self.rng.range(0, (youngest_parent - 20).clamp(0, 35));
            let sex = if self.rng.chance(50) {
                Sex::Male
            } else {
                Sex::Female
            };
            let (child, birth) = self.person(Looks {
                community,
                sex,
                age,
                surname: Some(family_name.clone()),
            });
            self.live(child, d, ResidencyKind::FamilyMember, since, birth);
        }
    }

    /// A tenant household of `size` in dwelling `d`.
    pub(super) fn tenants(&mut self, d: usize, community: usize, size: usize) {
        let since = self.some_day_ago(20, 1_500);
        let sex = if self.rng.chance(55) {
            Sex::Male
        } else {
            Sex::Female
        };
        let head_age = self.rng.range(20, 55);
        let (head, birth) = self.person(Looks {
            community,
            sex,
            age: head_age,
            surname: None,
        });
        self.live(head, d, ResidencyKind::Tenant, since, birth);
        let family_name = self.surname_of(head);
        for i in 1..size {
            let (age, sex, surname) = if i == 1 {
                (
                    (head_age + self.rng.range(-5, 5)).max(19),
                    sex.other(),
                    None,
                )
            } else {
                let sex = if self.rng.chance(50) {
                    Sex::Male
                } else {
                    Sex::Female
                };
                let age = self.rng.range(0, (head_age - 20).clamp(0, 30));
                (age, sex, Some(family_name.clone()))
            };
            let (p, birth) = self.person(Looks {
                community,
                sex,
                age,
                surname,
            });
            self.live(p, d, ResidencyKind::Tenant, since, birth);
        }
    }

    /// Shopkeepers owning the shops of the commercial streets; some own two.
    pub(super) fn shops(&mut self) {
        for b in 0..self.d.buildings.len() {
            if self.d.buildings[b].kind != BuildingKind::ShopBlock {
                continue;
            }
            let community = self.compounds[self.buildings[b].compound].community;
            let mut previous: Option<usize> = None;
            for d in self.buildings[b].dwellings.clone() {
                let owner = match previous {
                    Some(p) if self.rng.chance(20) => p,
                    _ => self.adult_person(community, 25, 65),
                };
                let since = self.some_day_ago(100, 4_000);
                self.own(owner, d, since, false);
                if !self.buildings[b].shop_owners.contains(&owner) {
                    self.buildings[b].shop_owners.push(owner);
                }
                previous = Some(owner);
            }
        }
    }
}
