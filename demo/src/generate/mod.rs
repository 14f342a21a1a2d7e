//! The generator: the whole demo subdistrict as rows in memory, before
//! anything is written. A seeded PRNG makes every run produce the same
//! names, sizes and appointments; dates are offsets from the day of loading.
//!
//! The rows carry local ids: each table's rows are numbered from `FIRST_ID`
//! in the order they are made, which is the order `write` stores them in,
//! so the writer maps a local id to the one the database gave that row.
//!
//! The data respects every rule the domain enforces, because it is written
//! through the domain's write functions, which refuse anything else: one
//! active branch, committee and contract per compound, one secretary and
//! one chair, committee members who own a dwelling in the compound, terms
//! of at most five years, one holder per chief position and non-overlapping
//! floor ranges.
//!
//! Parts of the generator live in the submodules: `places` (units,
//! compounds, buildings, dwellings), `households` (owners and residents),
//! `parties` (branches, committees, contracts, meetings), `chiefs` (the
//! chain of chiefs and the demo accounts' links).
//! `placards` posts every compound's responsibility placard (and writes it).

mod bodies;
mod chiefs;
pub(crate) mod council;
pub(crate) mod duties;
mod households;
mod parties;
pub(crate) mod placards;
mod places;
pub(crate) mod teams;
#[cfg(test)]
mod tests;
pub(crate) mod votes;

use std::collections::HashSet;

use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc};
use compound_api::domain::kinds::{ChiefLevel, CommitteeRole};
use compound_api::entity::{
    building, chief_appointment, chief_association, chief_association_member, chief_conduct_record,
    committee_member, community, community_committee, community_committee_member,
    company_party_member, company_party_org, company_post, compound, district, dwelling, entrance,
    grid, joint_meeting, joint_meeting_attendee, joint_meeting_resolution, owners_committee,
    ownership, party_branch, party_branch_member, person, property_company, property_contract,
    residency, subdistrict,
};

use crate::names::{FEMALE_CHARS, MALE_CHARS, Rng, SURNAMES};
use crate::{Place, Scale};

/// The local id of each table's first row.
pub(crate) const FIRST_ID: i64 = 1;

/// Seed of the generator: fixed, so every load produces the same demo.
const SEED: u64 = 0x00D0_6E57_2026;

/// The seed of subdistrict `index` of a city: the demo's own for the
/// first, another fixed one for each of the others.
fn seed_of(index: usize) -> u64 {
    SEED ^ (index as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15)
}

/// What the demo accounts are tied to: ids with the linked person's name.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Links {
    /// The subdistrict (for `subdistrict`).
    pub(crate) subdistrict_id: i64,
    /// The first community (for `community`).
    pub(crate) community_id: i64,
    /// Its name, for the account's display name.
    pub(crate) community_name: String,
    /// The first commodity-housing compound (for `secretary`, `committee`, `property`).
    pub(crate) compound_id: i64,
    /// Its branch secretary.
    pub(crate) secretary: (i64, String),
    /// A member of its owners' committee (not the secretary).
    pub(crate) committee: (i64, String),
    /// Its property company's project manager.
    pub(crate) property: (i64, String),
    /// An owner living in one of its dwellings.
    pub(crate) resident: (i64, String),
    /// That dwelling.
    pub(crate) resident_dwelling_id: i64,
}

/// Every generated row, ids assigned, plus what the accounts link to.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Demo {
    /// The district above the subdistrict.
    pub(crate) district: district::Model,
    /// The subdistrict.
    pub(crate) subdistrict: subdistrict::Model,
    /// Its communities.
    pub(crate) communities: Vec<community::Model>,
    /// Their grids.
    pub(crate) grids: Vec<grid::Model>,
    /// Compounds, bungalow areas and commercial streets.
    pub(crate) compounds: Vec<compound::Model>,
    /// Apartment buildings, courtyards and shop blocks.
    pub(crate) buildings: Vec<building::Model>,
    /// Entrances of the apartment buildings.
    pub(crate) entrances: Vec<entrance::Model>,
    /// Dwellings and shops.
    pub(crate) dwellings: Vec<dwelling::Model>,
    /// Everyone: residents, owners, chiefs, staff.
    pub(crate) persons: Vec<person::Model>,
    /// Who lives where.
    pub(crate) residencies: Vec<residency::Model>,
    /// Who owns what.
    pub(crate) ownerships: Vec<ownership::Model>,
    /// Party branches.
    pub(crate) branches: Vec<party_branch::Model>,
    /// Their members.
    pub(crate) branch_members: Vec<party_branch_member::Model>,
    /// Owners' committees.
    pub(crate) committees: Vec<owners_committee::Model>,
    /// Their members.
    pub(crate) committee_members: Vec<committee_member::Model>,
    /// Property companies.
    pub(crate) companies: Vec<property_company::Model>,
    /// Their contracts.
    pub(crate) contracts: Vec<property_contract::Model>,
    /// Joint meetings of the three parties.
    pub(crate) meetings: Vec<joint_meeting::Model>,
    /// Their attendance.
    pub(crate) attendees: Vec<joint_meeting_attendee::Model>,
    /// Their resolutions.
    pub(crate) resolutions: Vec<joint_meeting_resolution::Model>,
    /// The chain of chiefs.
    pub(crate) chiefs: Vec<chief_appointment::Model>,
    /// Terms of the communities' two committees.
    pub(crate) community_committees: Vec<community_committee::Model>,
    /// Their members.
    pub(crate) community_committee_members: Vec<community_committee_member::Model>,
    /// Property companies' own party organisations.
    pub(crate) company_orgs: Vec<company_party_org::Model>,
    /// Their members.
    pub(crate) company_party_members: Vec<company_party_member::Model>,
    /// Posts held in property companies.
    pub(crate) company_posts: Vec<company_post::Model>,
    /// The communities' associations of chiefs.
    pub(crate) associations: Vec<chief_association::Model>,
    /// Their members.
    pub(crate) association_members: Vec<chief_association_member::Model>,
    /// Commendations and penalties of chiefs.
    pub(crate) conduct_records: Vec<chief_conduct_record::Model>,
    /// How many people live in a dwelling.
    pub(crate) residents: usize,
    /// What the demo accounts are tied to.
    pub(crate) links: Links,
    /// Responsibility placard postings.
    pub(crate) placards: Vec<placards::Posting>,
}

impl Demo {
    /// The one-line count of what is loaded.
    pub(crate) fn summary(&self) -> String {
        let count = |level: ChiefLevel| self.chiefs.iter().filter(|c| c.level == level).count();
        format!(
            "{}: {} communities, {} grids, {} compounds, {} buildings, {} entrances, {} dwellings, \
             {} persons ({} residents), {} residencies, {} ownerships, {} party branches ({} members), \
             {} owners' committees ({} members), {} property companies ({} contracts), \
             {} joint meetings, {} chief appointments ({} area, {} community, {} grid chiefs, \
             {} grid workers, {} building, {} floor, {} alley, {} courtyard, {} market supervisors, \
             {} shop chiefs), 9 accounts",
            self.subdistrict.name,
            self.communities.len(),
            self.grids.len(),
            self.compounds.len(),
            self.buildings.len(),
            self.entrances.len(),
            self.dwellings.len(),
            self.persons.len(),
            self.residents,
            self.residencies.len(),
            self.ownerships.len(),
            self.branches.len(),
            self.branch_members.len(),
            self.committees.len(),
            self.committee_members.len(),
            self.companies.len(),
            self.contracts.len(),
            self.meetings.len(),
            self.chiefs.len(),
            count(ChiefLevel::AreaChief),
            count(ChiefLevel::CommunityChief),
            count(ChiefLevel::GridChief),
            count(ChiefLevel::GridWorker),
            count(ChiefLevel::BuildingChief),
            count(ChiefLevel::FloorChief),
            count(ChiefLevel::AlleyChief),
            count(ChiefLevel::CourtyardChief),
            count(ChiefLevel::MarketSupervisor),
            count(ChiefLevel::ShopChief),
        )
    }
}

/// A person's sex, which picks the given name and the identity number's parity.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Sex {
    /// Male.
    Male,
    /// Female.
    Female,
}

impl Sex {
    /// The other sex.
    fn other(self) -> Self {
        match self {
            Self::Male => Self::Female,
            Self::Female => Self::Male,
        }
    }
}

/// What a generated person looks like, before they get an id.
struct Looks {
    /// Their community.
    community: usize,
    /// Sex.
    sex: Sex,
    /// Age in years on the anchor day.
    age: i64,
    /// The family's surname, or `None` for a new one.
    surname: Option<String>,
}

/// How a dwelling is used.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Occupancy {
    /// The developer's, unsold: no owner, nobody living there.
    DeveloperHeld,
    /// Owned, nobody living there.
    Vacant,
    /// Owned by a landlord, tenants living there.
    Rented,
    /// The owner lives there with their family.
    OwnerOccupied,
}

/// What the generator remembers about a compound.
#[derive(Debug, Clone, Default)]
struct CompoundInfo {
    /// Index of its community.
    community: usize,
    /// Its buildings.
    buildings: Vec<usize>,
    /// Alley names (bungalow areas), unique within the area.
    alleys: Vec<String>,
    /// Whether it has an owners' committee.
    has_committee: bool,
    /// Whether its branch secretary chairs the committee (交叉任职).
    secretary_chairs: bool,
    /// Owners and the day they became owners, each once.
    owners: Vec<(usize, NaiveDate)>,
    /// Owners who live in the compound, with the day they became owners.
    resident_owners: Vec<(usize, NaiveDate)>,
    /// Adults living in the compound.
    adults: Vec<usize>,
    /// The branch secretary, once chosen.
    secretary: Option<usize>,
    /// Branch members, once chosen.
    branch_members: Vec<usize>,
    /// Committee members with their roles, once elected.
    committee: Vec<(usize, CommitteeRole)>,
    /// The property company's project manager, while it has an active contract.
    manager: Option<usize>,
}

/// What the generator remembers about a building.
#[derive(Debug, Clone, Default)]
struct BuildingInfo {
    /// Index of its compound.
    compound: usize,
    /// Floor ranges of its floor chiefs (apartment buildings).
    floor_ranges: Vec<(i32, i32)>,
    /// Index of its alley in its compound's alley list (courtyards).
    alley: Option<usize>,
    /// Its dwellings.
    dwellings: Vec<usize>,
    /// Adults living there, with their floor and whether they own their home.
    adults: Vec<(i32, usize, bool)>,
    /// Owners of its shops (shop blocks).
    shop_owners: Vec<usize>,
    /// The landlord who owns the whole building (rental buildings).
    landlord: Option<usize>,
}

/// The generator: the PRNG, the rows made so far and what it remembers.
struct Gen {
    /// The PRNG.
    rng: Rng,
    /// The scale.
    scale: Scale,
    /// Where the subdistrict lies.
    place: Place,
    /// The day the demo is loaded; every date is an offset from it.
    anchor: NaiveDate,
    /// The load instant, for `created_at`.
    now: DateTime<Utc>,
    /// The rows.
    d: Demo,
    /// Per compound.
    compounds: Vec<CompoundInfo>,
    /// Per building.
    buildings: Vec<BuildingInfo>,
    /// Per community, its grids.
    grids_of: Vec<Vec<usize>>,
    /// Per person, whether they are an adult.
    adult: Vec<bool>,
    /// Identity numbers handed out, to keep them unique.
    id_numbers: HashSet<String>,
    /// People already holding a chief position.
    chiefs: HashSet<usize>,
}

/// Generates the whole subdistrict at `scale` and `place`, dated from `anchor`.
pub(crate) fn generate(scale: Scale, place: &Place, anchor: NaiveDate, now: DateTime<Utc>) -> Demo {
    let mut g = Gen {
        rng: Rng(seed_of(place.index)),
        scale,
        place: place.clone(),
        anchor,
        now,
        d: Demo {
            district: district::Model {
                id: FIRST_ID,
                name: place.district.clone(),
                code: Some(place.district_code.clone()),
                created_at: now,
            },
            subdistrict: subdistrict::Model {
                id: FIRST_ID,
                name: place.subdistrict.clone(),
                code: Some(place.subdistrict_code.clone()),
                created_at: now,
                district_id: Some(FIRST_ID),
            },
            communities: Vec::new(),
            grids: Vec::new(),
            compounds: Vec::new(),
            buildings: Vec::new(),
            entrances: Vec::new(),
            dwellings: Vec::new(),
            persons: Vec::new(),
            residencies: Vec::new(),
            ownerships: Vec::new(),
            branches: Vec::new(),
            branch_members: Vec::new(),
            committees: Vec::new(),
            committee_members: Vec::new(),
            companies: Vec::new(),
            contracts: Vec::new(),
            meetings: Vec::new(),
            attendees: Vec::new(),
            resolutions: Vec::new(),
            chiefs: Vec::new(),
            community_committees: Vec::new(),
            community_committee_members: Vec::new(),
            company_orgs: Vec::new(),
            company_party_members: Vec::new(),
            company_posts: Vec::new(),
            associations: Vec::new(),
            association_members: Vec::new(),
            conduct_records: Vec::new(),
            residents: 0,
            links: Links::default(),
            placards: Vec::new(),
        },
        compounds: Vec::new(),
        buildings: Vec::new(),
        grids_of: Vec::new(),
        adult: Vec::new(),
        id_numbers: HashSet::new(),
        chiefs: HashSet::new(),
    };
    g.administrative_units();
    g.compounds_and_buildings();
    g.large_compound();
    g.assign_grids();
    g.populate();
    g.shops();
    g.parties();
    g.property();
    g.meetings();
    g.chain_of_chiefs();
    g.links();
    g.co_ownership();
    g.bodies();
    g.associations();
    g.placards();
    g.d
}

impl Gen {
    /// `days` days before the anchor.
    fn days_ago(&self, days: i64) -> NaiveDate {
        self.anchor - Duration::days(days)
    }

    /// A random day between `hi` and `lo` days ago.
    fn some_day_ago(&mut self, lo: i64, hi: i64) -> NaiveDate {
        let days = self.rng.range(lo, hi);
        self.days_ago(days)
    }

    /// The id of person `p`.
    fn pid(&self, p: usize) -> i64 {
        FIRST_ID + p as i64
    }

    /// A valid-format mobile number (1[3-9] and nine digits).
    fn phone(&mut self) -> String {
        let second = *self.rng.pick(&[3, 5, 7, 8, 9]);
        format!("1{second}{:09}", self.rng.next() % 1_000_000_000)
    }

    /// A unique identity number with a correct GB 11643 check character.
    fn id_number(&mut self, birth: NaiveDate, sex: Sex) -> String {
        const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
        const CHECK: &[u8; 11] = b"10X98765432";
        // Districts of the city: 武昌, 洪山, 江岸, 青山, and some from elsewhere.
        let regions = [
            "420106", "420111", "420102", "420107", "420106", "421002", "430102",
        ];
        let region = *self.rng.pick(&regions);
        // Past the demo's own subdistrict, people are registered in their
        // district, each subdistrict of it with its own block of sequence
        // numbers, so numbers stay unique across the city's subdistricts.
        let (region, mut seq) = match self.place.index {
            0 => (region, self.rng.below(500) * 2),
            n => (
                self.place.district_code.as_str(),
                (n % 10 * 50 + self.rng.below(50)) * 2,
            ),
        };
        seq += usize::from(sex == Sex::Male);
        loop {
            let body = format!("{region}{}{:03}", birth.format("%Y%m%d"), seq);
            let sum: u32 = body
                .bytes()
                .zip(WEIGHTS)
                .map(|(b, w)| u32::from(b - b'0') * w)
                .sum();
            let full = format!("{body}{}", CHECK[(sum % 11) as usize] as char);
            if self.id_numbers.insert(full.clone()) {
                return full;
            }
            seq = (seq + 2) % 1000;
        }
    }

    /// Creates a person; returns their index and birthday.
    fn person(&mut self, looks: Looks) -> (usize, NaiveDate) {
        let surname = match looks.surname {
            Some(s) => s,
            None if self.rng.chance(40) => SURNAMES[self.rng.below(10)].to_owned(),
            None => self.rng.pick(SURNAMES).to_string(),
        };
        let chars = match looks.sex {
            Sex::Male => MALE_CHARS,
            Sex::Female => FEMALE_CHARS,
        };
        let mut name = surname;
        name.push_str(self.rng.pick::<&str>(chars));
        if self.rng.chance(65) {
            name.push_str(self.rng.pick::<&str>(chars));
        }
        let year = self.anchor.year() - looks.age as i32;
        let month = self.rng.range(1, 12) as u32;
        let day = self.rng.range(1, 28) as u32;
        let birth = NaiveDate::from_ymd_opt(year, month, day).unwrap_or(self.anchor);
        let adult = looks.age >= 18;
        let has_phone = looks.age >= 18 || (looks.age >= 12 && self.rng.chance(50));
        let phone = has_phone.then(|| self.phone());
        let party = adult && self.rng.chance(if looks.age >= 45 { 9 } else { 5 });
        let id_number = self.id_number(birth, looks.sex);
        let idx = self.d.persons.len();
        self.d.persons.push(person::Model {
            id: self.pid(idx),
            community_id: FIRST_ID + looks.community as i64,
            name,
            phone,
            id_number: Some(id_number),
            is_party_member: party,
            created_at: self.now,
            updated_at: self.now,
        });
        self.adult.push(adult);
        (idx, birth)
    }

    /// A new adult of random sex aged `lo..=hi`, registered in `community`.
    fn adult_person(&mut self, community: usize, lo: i64, hi: i64) -> usize {
        let sex = if self.rng.chance(50) {
            Sex::Male
        } else {
            Sex::Female
        };
        let age = self.rng.range(lo, hi);
        self.person(Looks {
            community,
            sex,
            age,
            surname: None,
        })
        .0
    }

    /// A name that must be unique in the city (a property company's, its
    /// party organisation's): as given in the demo's own subdistrict, with
    /// the subdistrict's name before it in the others.
    fn local_name(&self, base: &str) -> String {
        match self.place.index {
            0 => base.to_owned(),
            _ => format!("{}{base}", self.place.subdistrict.trim_end_matches("街道")),
        }
    }

    /// The surname of person `p` (names here have a one-character surname).
    fn surname_of(&self, p: usize) -> String {
        self.d.persons[p].name.chars().take(1).collect()
    }
}
