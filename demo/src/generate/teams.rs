//! The demo's volunteer and service teams: each community's volunteers'
//! association (公益性), and in the first compounds a team of each kind in
//! turn (服务性、公益性、互助性), with owners of the compound as members, a
//! leader, a log of past activities and one corrected entry, so a portal
//! can show the log's history and the services figures are not empty.
//!
//! The facts follow from the generated register alone (its communities,
//! compounds and owners), with dates counted back from the day of loading,
//! so they are the same on every load; they are written through the
//! domain's team functions, after the register, in the loader's unit of
//! work.

use std::collections::HashMap;

use chrono::{Duration, NaiveDate};
use compound_api::domain::kinds::{ServiceTeamKind, ServiceTeamRole};
use compound_api::domain::teams::{self, ActivityRecord, Correction, NewTeam};
use compound_api::domain::unit_of_work::UnitOfWork;
use compound_api::domain::values::{Name, Term};
use compound_api::error::AppResult;

use super::Demo;

/// Compounds that get a team of their own (the first ones of the demo).
const COMPOUND_TEAMS: usize = 9;
/// Most members of one team.
const MEMBERS: usize = 8;
/// Activities in each team's log.
const ACTIVITIES: i64 = 4;

/// What each kind of team is called and does, and what its log records.
fn style(kind: ServiceTeamKind) -> (&'static str, &'static str, [&'static str; 4]) {
    match kind {
        ServiceTeamKind::Service => (
            "便民服务队",
            "水电维修、代购代办、助老助残",
            [
                "义务维修家电",
                "为独居老人代购",
                "上门理发",
                "义诊与健康咨询",
            ],
        ),
        ServiceTeamKind::PublicWelfare => (
            "环境卫生志愿队",
            "楼道清理、垃圾分类宣传、文明劝导",
            [
                "楼道杂物清理",
                "垃圾分类宣传",
                "文明养犬劝导",
                "绿地认养补种",
            ],
        ),
        ServiceTeamKind::MutualAid => (
            "邻里互助队",
            "邻里守望、结对帮扶、互助托管",
            [
                "结对探访独居老人",
                "四点半课堂",
                "邻里闲置物品交换",
                "雨天接送互助",
            ],
        ),
    }
}

/// One team to write, in the demo's local ids.
struct Team {
    compound_id: Option<i64>,
    community_id: Option<i64>,
    name: String,
    kind: ServiceTeamKind,
    description: String,
    founded_on: NaiveDate,
    /// Local person ids, the leader first, with the day each joined.
    members: Vec<(i64, NaiveDate)>,
    /// Day, title, and how many took part beyond the members named.
    activities: Vec<(NaiveDate, &'static str, i32)>,
}

/// The teams the demo's register gives rise to.
fn plan(d: &Demo, anchor: NaiveDate) -> Vec<Team> {
    // Owners by compound, each once, in the order they were registered.
    let building_compound: HashMap<i64, i64> =
        d.buildings.iter().map(|b| (b.id, b.compound_id)).collect();
    let dwelling_compound: HashMap<i64, i64> = d
        .dwellings
        .iter()
        .filter_map(|w| building_compound.get(&w.building_id).map(|c| (w.id, *c)))
        .collect();
    let mut owners: HashMap<i64, Vec<i64>> = HashMap::new();
    for o in &d.ownerships {
        if let Some(c) = dwelling_compound.get(&o.dwelling_id) {
            let list = owners.entry(*c).or_default();
            if !list.contains(&o.person_id) {
                list.push(o.person_id);
            }
        }
    }
    let founded = |back: i64| anchor - Duration::days(back);
    let team = |compound_id, community_id, name: String, kind, back: i64, pool: &[i64]| {
        let (_, description, titles) = style(kind);
        let founded_on = founded(back);
        Team {
            compound_id,
            community_id,
            name,
            kind,
            description: description.to_owned(),
            founded_on,
            members: pool
                .iter()
                .take(MEMBERS)
                .enumerate()
                .map(|(i, p)| (*p, founded_on + Duration::days(20 * i as i64)))
                .collect(),
            activities: (0..ACTIVITIES)
                .map(|j| {
                    (
                        anchor - Duration::days(25 + 70 * j),
                        titles[j as usize % titles.len()],
                        (j as i32 % 3) + 2,
                    )
                })
                .collect(),
        }
    };
    let mut out = Vec::new();
    for (i, c) in d.communities.iter().enumerate() {
        let mut pool: Vec<i64> = Vec::new();
        for p in d
            .compounds
            .iter()
            .filter(|k| k.community_id == c.id)
            .filter_map(|k| owners.get(&k.id).and_then(|o| o.first().copied()))
        {
            if !pool.contains(&p) {
                pool.push(p);
            }
        }
        if !pool.is_empty() {
            out.push(team(
                None,
                Some(c.id),
                format!("{}志愿者协会", c.name),
                ServiceTeamKind::PublicWelfare,
                900 + 30 * i as i64,
                &pool,
            ));
        }
    }
    for (i, k) in d
        .compounds
        .iter()
        .filter(|k| owners.get(&k.id).is_some_and(|o| o.len() >= 3))
        .take(COMPOUND_TEAMS)
        .enumerate()
    {
        let kind = ServiceTeamKind::ALL[i % ServiceTeamKind::ALL.len()];
        out.push(team(
            Some(k.id),
            None,
            format!("{}{}", k.name, style(kind).0),
            kind,
            600 + 15 * i as i64,
            &owners[&k.id],
        ));
    }
    out
}

/// Writes the demo's teams, members and logs in `uow`; the closures map the
/// demo's local ids of persons, compounds and communities to stored ones.
/// Returns how many teams were written.
pub(crate) async fn write_teams(
    uow: &UnitOfWork<'_>,
    d: &Demo,
    person: impl Fn(i64) -> i64,
    compound: impl Fn(i64) -> i64,
    community: impl Fn(i64) -> i64,
) -> AppResult<usize> {
    let anchor = uow.today();
    let planned = plan(d, anchor);
    let mut first_entry = None;
    for t in &planned {
        let stored = teams::create_team(
            uow,
            NewTeam {
                compound_id: t.compound_id.map(&compound),
                community_id: t.community_id.map(&community),
                name: Name::parse(&t.name, "name")?,
                kind: t.kind,
                description: t.description.clone(),
                founded_on: t.founded_on,
            },
        )
        .await?;
        let mut members = Vec::new();
        for (i, (p, joined_on)) in t.members.iter().enumerate() {
            let role = if i == 0 {
                ServiceTeamRole::Leader
            } else {
                ServiceTeamRole::Member
            };
            let term = Term {
                starts_on: *joined_on,
                ends_on: None,
            };
            let m = teams::add_member(uow, stored.id, person(*p), role, term).await?;
            members.push(m);
        }
        for (held_on, title, extra) in &t.activities {
            let named: Vec<i64> = members
                .iter()
                .filter(|m| m.joined_on <= *held_on)
                .take(3)
                .map(|m| m.id)
                .collect();
            let count = named.len() as i32 + extra;
            let entry = teams::record_activity(
                uow,
                stored.id,
                ActivityRecord {
                    held_on: *held_on,
                    title: Name::parse(title, "title")?,
                    description: String::new(),
                    participant_count: Some(count),
                    participant_ids: named,
                    service_minutes: Some(count * 90),
                },
            )
            .await?;
            first_entry.get_or_insert(entry);
        }
    }
    // One entry corrected, so the log's history has something to show.
    if let Some(entry) = first_entry {
        teams::correct_activity(
            uow,
            entry.id,
            Correction {
                reason: "补登当天临时参加的居民".into(),
                participant_count: Some(entry.participant_count + 2),
                service_minutes: Some(entry.service_minutes.map(|m| m + 180)),
                ..Correction::default()
            },
        )
        .await?;
    }
    Ok(planned.len())
}
