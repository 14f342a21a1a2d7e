//! Writing the generated demo through the domain's write functions, all in
//! the caller's one unit of work: every row is checked by the rules the API
//! enforces, under a permit of the demo's platform admin, with its audit
//! record. The large tables go through the domain's batch functions (one
//! permit per scope, bulk statements); the rest row by row.
//!
//! The generated rows carry local ids (see `generate`); `Ids` maps each to
//! the id the database gave it, table by table, parents first.

use std::collections::BTreeMap;

use compound_api::domain::accounts::{self, GrantTarget, NewAccount};
use compound_api::domain::chiefs::{self, Appointment, ScopeInput, association};
use compound_api::domain::kinds::{ContractStatus, Duty, Role};
use compound_api::domain::parties::committee::{self, Election, NewCommittee};
use compound_api::domain::parties::company::{self, NewPost};
use compound_api::domain::parties::meetings::{self, NewMeeting};
use compound_api::domain::parties::{community, party, property};
use compound_api::domain::people::{self, NewTie, PersonFields};
use compound_api::domain::register::{
    self, BuildingFields, DwellingFields, NewCompound, NewSubdistrict,
};
use compound_api::domain::unit_of_work::UnitOfWork;
use compound_api::domain::values::{Area, IdNumber, Name, Phone, Term};
use compound_api::entity::district;
use compound_api::error::AppResult;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

use crate::generate::{Demo, FIRST_ID};

/// The ids the database gave the rows of one table, by local id.
#[derive(Default)]
struct Map(Vec<i64>);

impl Map {
    /// The stored id of local id `local`.
    fn of(&self, local: i64) -> i64 {
        self.0[(local - FIRST_ID) as usize]
    }

    /// Records the stored id of the next local id.
    fn push(&mut self, id: i64) {
        self.0.push(id);
    }
}

/// The stored ids of every table written so far.
#[derive(Default)]
struct Ids {
    district: i64,
    subdistrict: i64,
    community: Map,
    grid: Map,
    compound: Map,
    building: Map,
    entrance: Map,
    dwelling: Map,
    person: Map,
    company: Map,
    branch: Map,
    committee: Map,
    meeting: Map,
    chief: Map,
}

fn name(raw: &str, field: &str) -> AppResult<Name> {
    Name::parse(raw, field)
}

/// Writes the whole demo in `uow`; the demo accounts other than the admin
/// (the caller) get the admin's password hash, so the shared demo password
/// is hashed once.
///
/// The demo accounts are made only with `accounts` (the demo's own
/// subdistrict); the city's other subdistricts have none, their usernames
/// being the city's one set.
pub(crate) async fn write(
    uow: &UnitOfWork<'_>,
    demo: Demo,
    password_hash: &str,
    accounts: bool,
) -> AppResult<()> {
    let mut ids = Ids::default();
    let mut phase = Phase::start();
    register_units(uow, &demo, &mut ids).await?;
    phase.done("register units");
    register_homes(uow, &demo, &mut ids).await?;
    phase.done("buildings, entrances and dwellings");
    register_people(uow, &demo, &mut ids).await?;
    phase.done("people, residencies and ownerships");
    parties(uow, &demo, &mut ids).await?;
    phase.done("the three parties");
    meetings(uow, &demo, &mut ids).await?;
    phase.done("joint meetings");
    chain_of_chiefs(uow, &demo, &mut ids).await?;
    phase.done("the chain of chiefs");
    bodies(uow, &demo, &ids).await?;
    phase.done("community committees, company organisations and posts");
    let compounds: Vec<i64> = ids.compound.0.clone();
    let company = ids.company.0.first().copied();
    let linked = ids.compound.of(demo.links.compound_id);
    crate::generate::votes::write(uow, linked, &compounds, company).await?;
    phase.done("votes cited by an election and a contract");
    let today = uow.today();
    crate::generate::council::write(uow, ids.compound.of(demo.links.compound_id), today).await?;
    phase.done("two years of the residents' council");
    crate::generate::duties::write(uow, ids.subdistrict).await?;
    phase.done("responsibility lists");
    if accounts {
        demo_accounts(uow, &demo, &ids, password_hash).await?;
        phase.done("accounts");
    }
    let (compound, person) = (|c| ids.compound.of(c), |p| ids.person.of(p));
    crate::generate::placards::write(uow, &demo.placards, compound, person).await?;
    phase.done("responsibility placards");
    let (p, c, k) = (&ids.person, &ids.compound, &ids.community);
    crate::generate::teams::write_teams(uow, &demo, |x| p.of(x), |x| c.of(x), |x| k.of(x)).await?;
    phase.done("service teams");
    Ok(())
}

/// Logs how long each phase of the load took (at `debug`), for finding
/// where a slow load spends its time.
struct Phase(std::time::Instant);

impl Phase {
    fn start() -> Self {
        Self(std::time::Instant::now())
    }

    fn done(&mut self, what: &str) {
        tracing::debug!(
            phase = what,
            ms = self.0.elapsed().as_millis() as u64,
            "demo phase written"
        );
        self.0 = std::time::Instant::now();
    }
}

/// The district, the subdistrict, its communities and grids, the compounds.
async fn register_units(uow: &UnitOfWork<'_>, d: &Demo, ids: &mut Ids) -> AppResult<()> {
    // A city's subdistricts share their district: the first one makes it.
    let existing = district::Entity::find()
        .filter(district::Column::Name.eq(d.district.name.as_str()))
        .one(uow.db())
        .await?;
    let district = match existing {
        Some(district) => district,
        None => {
            register::create_district(
                uow,
                name(&d.district.name, "name")?,
                d.district.code.clone(),
            )
            .await?
        }
    };
    ids.district = district.id;
    let s = register::create_subdistrict(
        uow,
        NewSubdistrict {
            district_id: district.id,
            name: name(&d.subdistrict.name, "name")?,
            code: d.subdistrict.code.clone(),
        },
    )
    .await?;
    ids.subdistrict = s.id;
    for c in &d.communities {
        let m = register::create_community(uow, s.id, name(&c.name, "name")?).await?;
        ids.community.push(m.id);
    }
    for g in &d.grids {
        let community = ids.community.of(g.community_id);
        let m =
            register::create_grid(uow, community, name(&g.name, "name")?, g.code.clone()).await?;
        ids.grid.push(m.id);
    }
    for c in &d.compounds {
        let m = register::create_compound(
            uow,
            NewCompound {
                community_id: ids.community.of(c.community_id),
                name: name(&c.name, "name")?,
                kind: c.kind,
                address: c.address.clone(),
            },
        )
        .await?;
        ids.compound.push(m.id);
    }
    Ok(())
}

/// Buildings, entrances and dwellings.
async fn register_homes(uow: &UnitOfWork<'_>, d: &Demo, ids: &mut Ids) -> AppResult<()> {
    for b in &d.buildings {
        let m = register::create_building(
            uow,
            ids.compound.of(b.compound_id),
            BuildingFields {
                name: Some(name(&b.name, "name")?),
                kind: Some(b.kind),
                grid_id: Some(b.grid_id.map(|g| ids.grid.of(g))),
                floors: Some(b.floors),
                alley: Some(b.alley.clone()),
                is_rental: Some(b.is_rental),
            },
        )
        .await?;
        ids.building.push(m.id);
    }
    for e in &d.entrances {
        let m = register::save_entrance(
            uow,
            Some(ids.building.of(e.building_id)),
            None,
            name(&e.name, "name")?,
        )
        .await?;
        ids.entrance.push(m.id);
    }
    // The generator makes each building's dwellings one after another.
    let mut start = 0;
    while start < d.dwellings.len() {
        let building = d.dwellings[start].building_id;
        let end = start
            + d.dwellings[start..]
                .iter()
                .take_while(|w| w.building_id == building)
                .count();
        let mut items = Vec::with_capacity(end - start);
        for w in &d.dwellings[start..end] {
            items.push(DwellingFields {
                entrance_id: Some(w.entrance_id.map(|e| ids.entrance.of(e))),
                floor: Some(w.floor),
                number: Some(name(&w.number, "number")?),
                exclusive_area: Some(Area::from_centi(w.exclusive_area_centi)),
                developer_held: Some(w.developer_held),
            });
        }
        for m in register::add_dwellings(uow, ids.building.of(building), items).await? {
            ids.dwelling.push(m.id);
        }
        start = end;
    }
    Ok(())
}

/// People, by community, and their residencies and ownerships, by compound.
async fn register_people(uow: &UnitOfWork<'_>, d: &Demo, ids: &mut Ids) -> AppResult<()> {
    let mut by_community: BTreeMap<i64, Vec<usize>> = BTreeMap::new();
    for (i, p) in d.persons.iter().enumerate() {
        by_community.entry(p.community_id).or_default().push(i);
    }
    let mut person_ids = vec![0; d.persons.len()];
    for (community, members) in &by_community {
        let mut items = Vec::with_capacity(members.len());
        for &i in members {
            let p = &d.persons[i];
            items.push(PersonFields {
                name: Some(name(&p.name, "name")?),
                phone: Some(
                    p.phone
                        .as_deref()
                        .map(|x| Phone::parse(x, "phone"))
                        .transpose()?,
                ),
                id_number: Some(
                    p.id_number
                        .as_deref()
                        .map(|x| IdNumber::parse(x, "id_number"))
                        .transpose()?,
                ),
                is_party_member: Some(p.is_party_member),
            });
        }
        let stored = people::register_people(uow, ids.community.of(*community), items).await?;
        for (&i, m) in members.iter().zip(stored) {
            person_ids[i] = m.id;
        }
    }
    ids.person = Map(person_ids);
    // The compound of each local dwelling, for grouping ties by compound.
    let compound_of = |dwelling: i64| {
        let w = &d.dwellings[(dwelling - FIRST_ID) as usize];
        d.buildings[(w.building_id - FIRST_ID) as usize].compound_id
    };
    let tie = |person: i64, dwelling: i64, starts_on, ends_on| NewTie {
        person_id: ids.person.of(person),
        dwelling_id: ids.dwelling.of(dwelling),
        term: Term { starts_on, ends_on },
    };
    let mut residencies: BTreeMap<i64, Vec<_>> = BTreeMap::new();
    for r in &d.residencies {
        residencies
            .entry(compound_of(r.dwelling_id))
            .or_default()
            .push((
                tie(r.person_id, r.dwelling_id, r.starts_on, r.ends_on),
                r.kind,
            ));
    }
    for (compound, items) in residencies {
        people::add_residencies(uow, ids.compound.of(compound), items).await?;
    }
    let mut ownerships: BTreeMap<i64, Vec<_>> = BTreeMap::new();
    for o in &d.ownerships {
        ownerships
            .entry(compound_of(o.dwelling_id))
            .or_default()
            .push(tie(o.person_id, o.dwelling_id, o.starts_on, o.ends_on));
    }
    for (compound, items) in ownerships {
        people::add_ownerships(uow, ids.compound.of(compound), items).await?;
    }
    Ok(())
}

/// Party branches, owners' committees, property companies and contracts.
async fn parties(uow: &UnitOfWork<'_>, d: &Demo, ids: &mut Ids) -> AppResult<()> {
    for b in &d.branches {
        let m = party::create_branch(
            uow,
            ids.compound.of(b.compound_id),
            name(&b.name, "name")?,
            b.kind,
            b.established_on,
        )
        .await?;
        ids.branch.push(m.id);
    }
    for m in &d.branch_members {
        party::add_member(
            uow,
            ids.branch.of(m.branch_id),
            ids.person.of(m.person_id),
            m.role,
            m.pioneer_post.clone(),
            Term {
                starts_on: m.starts_on,
                ends_on: m.ends_on,
            },
        )
        .await?;
    }
    for c in &d.committees {
        let m = committee::create_committee(
            uow,
            NewCommittee {
                compound_id: ids.compound.of(c.compound_id),
                name: name(&c.name, "name")?,
                elected_on: c.elected_on,
                term_starts_on: c.term_starts_on,
                term_ends_on: c.term_ends_on,
                vote_id: None,
            },
        )
        .await?;
        ids.committee.push(m.id);
    }
    for s in &d.committee_members {
        committee::elect_member(
            uow,
            Election {
                committee_id: ids.committee.of(s.committee_id),
                person_id: ids.person.of(s.person_id),
                role: s.role,
                starts_on: Some(s.starts_on),
                replaces_id: None,
                vote_id: None,
            },
        )
        .await?;
    }
    for c in &d.companies {
        let m = property::create_company(
            uow,
            property::CompanyFields {
                name: Some(name(&c.name, "name")?),
                credit_code: Some(c.credit_code.clone()),
                phone: Some(
                    c.phone
                        .as_deref()
                        .map(|x| Phone::parse(x, "phone"))
                        .transpose()?,
                ),
                star_rating: Some(c.star_rating),
            },
        )
        .await?;
        ids.company.push(m.id);
    }
    // An ended contract is signed and then ended, as it happened.
    for k in &d.contracts {
        let m = property::sign_contract(
            uow,
            property::NewContract {
                compound_id: ids.compound.of(k.compound_id),
                company_id: ids.company.of(k.company_id),
                starts_on: k.starts_on,
                ends_on: k.ends_on,
                vote_id: None,
            },
        )
        .await?;
        if k.status == ContractStatus::Ended
            && let Some(ended_on) = k.ended_on
        {
            let reason = k.end_reason.clone().unwrap_or_default();
            property::end_contract(uow, m.id, ended_on, reason, None).await?;
        }
    }
    Ok(())
}

/// Joint meetings with their attendance and resolutions.
async fn meetings(uow: &UnitOfWork<'_>, d: &Demo, ids: &mut Ids) -> AppResult<()> {
    for (i, m) in d.meetings.iter().enumerate() {
        let local = FIRST_ID + i as i64;
        let stored = meetings::record_meeting(
            uow,
            NewMeeting {
                compound_id: ids.compound.of(m.compound_id),
                held_on: m.held_on,
                title: name(&m.title, "title")?,
                agenda: m.agenda.clone(),
                minutes: m.minutes.clone(),
                attendees: d
                    .attendees
                    .iter()
                    .filter(|a| a.meeting_id == local)
                    .map(|a| (ids.person.of(a.person_id), a.party))
                    .collect(),
                resolutions: d
                    .resolutions
                    .iter()
                    .filter(|r| r.meeting_id == local)
                    .map(|r| r.text.clone())
                    .collect(),
            },
        )
        .await?;
        ids.meeting.push(stored.id);
    }
    Ok(())
}

/// Every chief, appointed one by one.
async fn chain_of_chiefs(uow: &UnitOfWork<'_>, d: &Demo, ids: &mut Ids) -> AppResult<()> {
    for c in &d.chiefs {
        let m = chiefs::appoint(
            uow,
            Appointment {
                level: c.level,
                person_id: ids.person.of(c.person_id),
                scope: ScopeInput {
                    community_id: Some(ids.community.of(c.community_id)),
                    grid_id: c.grid_id.map(|g| ids.grid.of(g)),
                    compound_id: c.compound_id.map(|x| ids.compound.of(x)),
                    building_id: c.building_id.map(|b| ids.building.of(b)),
                    floor_from: c.floor_from,
                    floor_to: c.floor_to,
                    label: c.scope_label.clone(),
                },
                contact_phone: Phone::parse(&c.contact_phone, "contact_phone")?,
                duties: Duty::ALL.to_vec(),
                term: Term {
                    starts_on: c.starts_on,
                    ends_on: c.ends_on,
                },
                employment: c.employment,
                provider_name: c
                    .provider_name
                    .as_deref()
                    .map(|n| name(n, "provider_name"))
                    .transpose()?,
            },
        )
        .await?;
        ids.chief.push(m.id);
    }
    Ok(())
}

/// The communities' two committees, the companies' party organisations
/// and posts.
async fn bodies(uow: &UnitOfWork<'_>, d: &Demo, ids: &Ids) -> AppResult<()> {
    let mut committees = Map::default();
    for c in &d.community_committees {
        let m = community::create_committee(
            uow,
            ids.community.of(c.community_id),
            c.kind,
            name(&c.name, "name")?,
            c.term_starts_on,
            c.term_ends_on,
        )
        .await?;
        committees.push(m.id);
    }
    for m in &d.community_committee_members {
        let term = Term {
            starts_on: m.starts_on,
            ends_on: m.ends_on,
        };
        community::add_member(
            uow,
            committees.of(m.committee_id),
            ids.person.of(m.person_id),
            m.role,
            term,
        )
        .await?;
    }
    let mut orgs = Map::default();
    for o in &d.company_orgs {
        let m = company::create_org(
            uow,
            ids.company.of(o.company_id),
            name(&o.name, "name")?,
            o.established_on,
        )
        .await?;
        orgs.push(m.id);
    }
    for m in &d.company_party_members {
        let term = Term {
            starts_on: m.starts_on,
            ends_on: m.ends_on,
        };
        company::add_member(
            uow,
            orgs.of(m.org_id),
            ids.person.of(m.person_id),
            m.role,
            term,
        )
        .await?;
    }
    let mut associations = Map::default();
    for a in &d.associations {
        let m = association::create_association(
            uow,
            ids.community.of(a.community_id),
            name(&a.name, "name")?,
            a.founded_on,
            &a.code_of_conduct,
        )
        .await?;
        associations.push(m.id);
    }
    for m in &d.association_members {
        let term = Term {
            starts_on: m.joined_on,
            ends_on: m.left_on,
        };
        association::add_member(
            uow,
            associations.of(m.association_id),
            ids.person.of(m.person_id),
            m.role,
            term,
        )
        .await?;
    }
    for r in &d.conduct_records {
        association::record_conduct(
            uow,
            association::NewConduct {
                appointment_id: ids.chief.of(r.appointment_id),
                kind: r.kind,
                decided_on: r.decided_on,
                reason: &r.reason,
                code_article: r.code_article.as_deref(),
                decided_by: &r.decided_by,
            },
        )
        .await?;
    }
    for p in &d.company_posts {
        company::add_post(
            uow,
            NewPost {
                company_id: ids.company.of(p.company_id),
                person_id: ids.person.of(p.person_id),
                post: p.post,
                compound_id: p.compound_id.map(|c| ids.compound.of(c)),
                title: p.title.as_deref().map(|t| name(t, "title")).transpose()?,
                term: Term {
                    starts_on: p.starts_on,
                    ends_on: p.ends_on,
                },
            },
        )
        .await?;
    }
    Ok(())
}

/// A demo account: username, display name and linked person, role, and
/// the id of the unit the role is granted over.
type DemoAccount<'a> = (&'a str, (String, Option<i64>), Role, Option<i64>);

/// The demo accounts besides the admin, one per role, each with its grant.
async fn demo_accounts(
    uow: &UnitOfWork<'_>,
    d: &Demo,
    ids: &Ids,
    password_hash: &str,
) -> AppResult<()> {
    let l = &d.links;
    let compound = Some(ids.compound.of(l.compound_id));
    let person = |p: &(i64, String)| (p.1.clone(), Some(ids.person.of(p.0)));
    let accounts: [DemoAccount; 8] = [
        (
            "district",
            (format!("{}工作人员", d.district.name), None),
            Role::DistrictStaff,
            Some(ids.district),
        ),
        (
            "subdistrict",
            (format!("{}工作人员", d.subdistrict.name), None),
            Role::SubdistrictStaff,
            Some(ids.subdistrict),
        ),
        (
            "community",
            (format!("{}工作人员", l.community_name), None),
            Role::CommunityStaff,
            Some(ids.community.of(l.community_id)),
        ),
        (
            "secretary",
            person(&l.secretary),
            Role::BranchSecretary,
            compound,
        ),
        (
            "committee",
            person(&l.committee),
            Role::CommitteeMember,
            compound,
        ),
        (
            "property",
            person(&l.property),
            Role::PropertyManager,
            compound,
        ),
        (
            "resident",
            person(&l.resident),
            Role::Resident,
            Some(ids.dwelling.of(l.resident_dwelling_id)),
        ),
        (
            "evaluator",
            ("评审专家".into(), None),
            Role::Evaluator,
            None,
        ),
    ];
    for (username, (display_name, person_id), role, unit_id) in accounts {
        let acc = accounts::create_account(
            uow,
            NewAccount {
                username: username.into(),
                password_hash: password_hash.to_owned(),
                display_name: name(&display_name, "display_name")?,
                person_id,
            },
        )
        .await?;
        accounts::grant_role(uow, acc.id, GrantTarget { role, unit_id }).await?;
    }
    Ok(())
}
