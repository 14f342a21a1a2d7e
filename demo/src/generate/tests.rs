//! The generator, without a database.

use std::collections::{HashMap, HashSet};

use chrono::{NaiveDate, Utc};
use compound_api::domain::kinds::{BuildingKind, ChiefLevel};
use compound_api::domain::values::{IdNumber, Phone};

use super::{Demo, generate};
use crate::{Place, Scale};

/// The small demo, generated without a database.
fn small() -> Demo {
    let anchor = NaiveDate::from_ymd_opt(2026, 11, 22).unwrap();
    generate(Scale::SMALL, &Place::demo(), anchor, Utc::now())
}

#[test]
fn generation_is_deterministic() {
    let (a, b) = (small(), small());
    assert_eq!(a.persons.len(), b.persons.len());
    assert!(
        a.persons
            .iter()
            .zip(&b.persons)
            .all(|(x, y)| x.name == y.name && x.id_number == y.id_number)
    );
    assert_eq!(a.chiefs.len(), b.chiefs.len());
    assert_eq!(a.summary(), b.summary());
}

#[test]
fn personal_data_has_valid_formats() {
    let d = small();
    for p in &d.persons {
        let id = p.id_number.as_deref().unwrap();
        assert!(IdNumber::parse(id, "id").is_ok(), "{id}");
        if let Some(phone) = &p.phone {
            assert!(Phone::parse(phone, "phone").is_ok(), "{phone}");
        }
    }
    for c in &d.chiefs {
        assert!(Phone::parse(&c.contact_phone, "phone").is_ok());
    }
    let unique: HashSet<_> = d.persons.iter().map(|p| &p.id_number).collect();
    assert_eq!(unique.len(), d.persons.len());
}

#[test]
fn the_small_demo_has_its_residents_and_every_level() {
    let d = small();
    assert_eq!(d.residents, Scale::SMALL.residents);
    assert_eq!(d.residencies.len(), Scale::SMALL.residents);
    let levels: HashSet<ChiefLevel> = d.chiefs.iter().map(|c| c.level).collect();
    assert_eq!(levels.len(), 10);
    let count = |l: ChiefLevel| d.chiefs.iter().filter(|c| c.level == l).count();
    assert_eq!(count(ChiefLevel::FloorChief), Scale::SMALL.floor_chiefs);
    assert_eq!(count(ChiefLevel::CourtyardChief), Scale::SMALL.courtyards);
    assert_eq!(count(ChiefLevel::AlleyChief), Scale::SMALL.alleys);
}

#[test]
fn the_full_scale_matches_the_seed_figures() {
    let anchor = NaiveDate::from_ymd_opt(2026, 11, 22).unwrap();
    let d = generate(Scale::FULL, &Place::demo(), anchor, Utc::now());
    let count = |l: ChiefLevel| d.chiefs.iter().filter(|c| c.level == l).count();
    assert_eq!(count(ChiefLevel::AreaChief), 7);
    assert_eq!(count(ChiefLevel::CommunityChief), 7);
    assert_eq!(count(ChiefLevel::GridChief), 64);
    assert_eq!(count(ChiefLevel::GridWorker), 64);
    assert_eq!(count(ChiefLevel::BuildingChief), 181);
    assert_eq!(count(ChiefLevel::FloorChief), 562);
    assert_eq!(count(ChiefLevel::AlleyChief), 520);
    assert_eq!(count(ChiefLevel::CourtyardChief), 2_765);
    // DOMAIN.md's sum: 7 + 7 + 64 + 64 + 181 + 562 + 520 + 2,765 = 4,170.
    let seeded = [
        ChiefLevel::AreaChief,
        ChiefLevel::CommunityChief,
        ChiefLevel::GridChief,
        ChiefLevel::GridWorker,
        ChiefLevel::BuildingChief,
        ChiefLevel::FloorChief,
        ChiefLevel::AlleyChief,
        ChiefLevel::CourtyardChief,
    ];
    assert_eq!(seeded.iter().map(|l| count(*l)).sum::<usize>(), 4_170);
    assert_eq!(d.residents, 57_125);
    // Floor ranges are 2–3 floors, cover the building and never overlap.
    let mut by_building: HashMap<i64, Vec<(i32, i32)>> = HashMap::new();
    for c in d
        .chiefs
        .iter()
        .filter(|c| c.level == ChiefLevel::FloorChief)
    {
        let (f, t) = (c.floor_from.unwrap(), c.floor_to.unwrap());
        assert!((2..=3).contains(&(t - f + 1)));
        by_building
            .entry(c.building_id.unwrap())
            .or_default()
            .push((f, t));
    }
    for b in d
        .buildings
        .iter()
        .filter(|b| b.kind == BuildingKind::Apartment)
    {
        let mut ranges = by_building.remove(&b.id).unwrap();
        ranges.sort();
        let mut next = 1;
        for (f, t) in ranges {
            assert_eq!(f, next);
            next = t + 1;
        }
        assert_eq!(next - 1, b.floors.unwrap());
    }
}

#[test]
fn a_city_subdistrict_has_its_own_names_codes_and_people() {
    let anchor = NaiveDate::from_ymd_opt(2026, 11, 22).unwrap();
    let demo = generate(Scale::SMALL, &Place::nth(0), anchor, Utc::now());
    let other = generate(Scale::SMALL, &Place::nth(11), anchor, Utc::now());
    assert_eq!(demo.subdistrict.name, crate::SUBDISTRICT_NAME);
    assert_eq!(demo.subdistrict.code.as_deref(), Some("420106001000"));
    // The twelfth subdistrict is the second of the second district.
    assert_eq!(other.district.name, "洪山区");
    assert_eq!(other.subdistrict.code.as_deref(), Some("420111002000"));
    assert_ne!(other.subdistrict.name, demo.subdistrict.name);
    let grid_code = other.grids[0].code.clone().unwrap();
    assert!(grid_code.starts_with("420111002"), "{grid_code}");
    // What the city holds once: company names and credit codes, identity numbers.
    let names =
        |d: &Demo| -> HashSet<String> { d.companies.iter().map(|c| c.name.clone()).collect() };
    assert!(names(&demo).is_disjoint(&names(&other)));
    let codes = |d: &Demo| -> HashSet<String> {
        d.companies
            .iter()
            .filter_map(|c| c.credit_code.clone())
            .collect()
    };
    assert!(codes(&demo).is_disjoint(&codes(&other)));
    let ids = |d: &Demo| -> HashSet<String> {
        d.persons
            .iter()
            .filter_map(|p| p.id_number.clone())
            .collect()
    };
    assert!(ids(&demo).is_disjoint(&ids(&other)));
    assert!(
        other
            .persons
            .iter()
            .filter_map(|p| p.id_number.as_deref())
            .all(|n| IdNumber::parse(n, "id").is_ok())
    );
    // Another seed: other people.
    assert_ne!(demo.persons[0].name, other.persons[0].name);
}

#[test]
fn the_large_compound_has_the_dwellings_asked_for_and_its_owners() {
    let anchor = NaiveDate::from_ymd_opt(2026, 11, 22).unwrap();
    let scale = Scale {
        large_compound: 600,
        residents: Scale::SMALL.residents + 1_500,
        ..Scale::SMALL
    };
    let d = generate(scale, &Place::demo(), anchor, Utc::now());
    let large = d
        .compounds
        .iter()
        .find(|c| c.name == crate::names::LARGE_COMPOUND_NAME)
        .expect("the large compound");
    let buildings: HashSet<i64> = d
        .buildings
        .iter()
        .filter(|b| b.compound_id == large.id)
        .map(|b| b.id)
        .collect();
    let homes: HashSet<i64> = d
        .dwellings
        .iter()
        .filter(|w| buildings.contains(&w.building_id))
        .map(|w| w.id)
        .collect();
    // Whole buildings: up to one building (18 floors, 3 entrances, 2 flats) more.
    assert!((600..600 + 108).contains(&homes.len()), "{}", homes.len());
    let owned: HashSet<i64> = d
        .ownerships
        .iter()
        .filter(|o| homes.contains(&o.dwelling_id))
        .map(|o| o.dwelling_id)
        .collect();
    assert_eq!(owned.len(), homes.len(), "every home there has an owner");
    assert_eq!(d.residents, scale.residents);
}
