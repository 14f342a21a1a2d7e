//! The three parties: party branches and their members, owners' committees
//! and their seats, property companies and contracts, joint meetings.

use std::collections::HashMap;

use chrono::{Datelike, Duration, Months, NaiveDate};
use compound_api::domain::kinds::{
    BranchRole, CommitteeRole, CompoundKind, ContractStatus, MeetingParty, PartyBranchKind,
};
use compound_api::entity::{
    committee_member, joint_meeting, joint_meeting_attendee, joint_meeting_resolution,
    owners_committee, party_branch, party_branch_member, property_company, property_contract,
};

use super::{FIRST_ID, Gen};
use crate::names::*;

impl Gen {
    /// Party branches, owners' committees and the cross-appointments between them.
    pub(super) fn parties(&mut self) {
        let mut temporary_done = false;
        for c in 0..self.d.compounds.len() {
            let kind = self.d.compounds[c].kind;
            let community = self.compounds[c].community;
            // The committee's term is fixed first: a secretary who chairs it
            // must have owned a home in the compound when the term began.
            let term = if self.compounds[c].has_committee {
                let months = if self.rng.chance(60) { 60 } else { 36 };
                let length = i64::from(months) * 30;
                let starts = self.some_day_ago(60, length - 60);
                let ends = starts
                    .checked_add_months(Months::new(months))
                    .and_then(|d| d.pred_opt())
                    .unwrap_or(starts);
                let eligible: Vec<(usize, NaiveDate)> = self.compounds[c]
                    .owners
                    .iter()
                    .filter(|(_, since)| *since <= starts)
                    .copied()
                    .collect();
                (eligible.len() >= 5).then_some((starts, ends, eligible))
            } else {
                None
            };
            // Branch members: adult party members living there, shopkeepers on a street.
            let mut candidates: Vec<usize> = if kind == CompoundKind::CommercialStreet {
                self.compounds[c]
                    .buildings
                    .iter()
                    .flat_map(|b| self.buildings[*b].shop_owners.clone())
                    .collect()
            } else {
                self.compounds[c].adults.clone()
            };
            candidates.dedup();
            let secretary = match &term {
                Some((starts, _, _)) if self.compounds[c].secretary_chairs => {
                    let owners: Vec<usize> = self.compounds[c]
                        .resident_owners
                        .iter()
                        .filter(|(_, since)| since <= starts)
                        .map(|(p, _)| *p)
                        .collect();
                    self.choose_party_member(&owners)
                }
                _ => self.choose_party_member(&candidates),
            };
            let secretary = match secretary {
                Some(s) => s,
                // Nobody lives there yet: the community sends a secretary.
                None => self.adult_person(community, 40, 60),
            };
            self.d.persons[secretary].is_party_member = true;
            let size = self.rng.range(4, 9) as usize;
            let mut members = vec![secretary];
            let mut party_members: Vec<usize> = candidates
                .iter()
                .copied()
                .filter(|p| self.d.persons[*p].is_party_member && *p != secretary)
                .collect();
            party_members.dedup();
            let mut others = candidates
                .iter()
                .copied()
                .filter(|p| !self.d.persons[*p].is_party_member)
                .collect::<Vec<usize>>()
                .into_iter();
            while members.len() < size {
                let next = if party_members.is_empty() {
                    // Too few registered here: a resident member transfers their membership in.
                    match others.next() {
                        Some(p) => p,
                        None => break,
                    }
                } else {
                    party_members.remove(self.rng.below(party_members.len()))
                };
                if !members.contains(&next) {
                    members.push(next);
                }
            }
            let temporary = kind == CompoundKind::CommercialStreet && !temporary_done;
            temporary_done |= temporary;
            let established = if temporary {
                self.some_day_ago(90, 400)
            } else {
                self.some_day_ago(700, 3_000)
            };
            let branch = self.d.branches.len();
            let compound_name = self.d.compounds[c].name.clone();
            self.d.branches.push(party_branch::Model {
                id: FIRST_ID + branch as i64,
                compound_id: FIRST_ID + c as i64,
                name: if temporary {
                    format!("{compound_name}商户临时党支部")
                } else {
                    format!("{compound_name}党支部")
                },
                kind: if temporary {
                    PartyBranchKind::Temporary
                } else {
                    PartyBranchKind::Standing
                },
                established_on: established,
                dissolved_on: None,
                created_at: self.now,
            });
            let since_established = (self.anchor - established).num_days();
            for (i, &p) in members.iter().enumerate() {
                self.d.persons[p].is_party_member = true;
                let role = match i {
                    0 => BranchRole::Secretary,
                    1 if members.len() >= 5 => BranchRole::DeputySecretary,
                    _ => BranchRole::Member,
                };
                let starts_on = if i == 0 {
                    established
                } else {
                    established + Duration::days(self.rng.range(0, (since_established - 1).min(90)))
                };
                let pioneer_post = (i > 0 && self.rng.chance(50))
                    .then(|| self.rng.pick(PIONEER_POSTS).to_string());
                let idx = self.d.branch_members.len();
                self.d.branch_members.push(party_branch_member::Model {
                    id: FIRST_ID + idx as i64,
                    branch_id: FIRST_ID + branch as i64,
                    person_id: self.pid(p),
                    role,
                    pioneer_post,
                    starts_on,
                    ends_on: None,
                });
            }
            self.compounds[c].secretary = Some(secretary);
            self.compounds[c].branch_members = members;
            match term {
                Some((starts, ends, eligible)) => self.committee(c, starts, ends, eligible),
                None => self.compounds[c].has_committee = false,
            }
        }
    }

    /// A party member among `people`, or someone among them who is made one.
    pub(super) fn choose_party_member(&mut self, people: &[usize]) -> Option<usize> {
        let members: Vec<usize> = people
            .iter()
            .copied()
            .filter(|p| self.d.persons[*p].is_party_member)
            .collect();
        if !members.is_empty() {
            return Some(*self.rng.pick(&members));
        }
        (!people.is_empty()).then(|| *self.rng.pick(people))
    }

    /// The owners' committee of compound `c`, elected for `starts..=ends`
    /// from the owners in `eligible`.
    pub(super) fn committee(
        &mut self,
        c: usize,
        starts: NaiveDate,
        ends: NaiveDate,
        eligible: Vec<(usize, NaiveDate)>,
    ) {
        let elected = starts - Duration::days(self.rng.range(0, 14));
        let ordinal = chinese_number(self.rng.range(1, 3) as usize + 1);
        let committee = self.d.committees.len();
        self.d.committees.push(owners_committee::Model {
            id: FIRST_ID + committee as i64,
            compound_id: FIRST_ID + c as i64,
            name: format!("第{ordinal}届业主委员会"),
            elected_on: elected,
            term_starts_on: starts,
            term_ends_on: ends,
            dissolved_on: None,
            created_at: self.now,
            vote_id: None,
        });
        let eligible: Vec<usize> = eligible.into_iter().map(|(p, _)| p).collect();
        let resident_owners: Vec<usize> = self.compounds[c]
            .resident_owners
            .iter()
            .map(|(p, _)| *p)
            .filter(|p| eligible.contains(p))
            .collect();
        let size = (*self.rng.pick(&[5, 7, 9])).min(eligible.len());
        let secretary = self.compounds[c].secretary;
        let mut seats: Vec<(usize, CommitteeRole)> = Vec::new();
        if self.compounds[c].secretary_chairs
            && let Some(s) = secretary.filter(|s| eligible.contains(s))
        {
            seats.push((s, CommitteeRole::Chair));
        } else {
            // A branch member who owns a home takes an ordinary seat.
            if let Some(&m) = self.compounds[c]
                .branch_members
                .iter()
                .find(|m| Some(**m) != secretary && eligible.contains(m))
            {
                seats.push((m, CommitteeRole::Member));
            }
        }
        let mut pool: Vec<usize> = resident_owners;
        pool.extend(eligible.iter().copied());
        let mut pool = pool.into_iter();
        while seats.len() < size {
            let Some(p) = pool.next() else { break };
            if seats.iter().any(|(s, _)| *s == p) || Some(p) == secretary {
                continue;
            }
            let has_chair = seats.iter().any(|(_, r)| *r == CommitteeRole::Chair);
            let vice = seats
                .iter()
                .filter(|(_, r)| *r == CommitteeRole::ViceChair)
                .count();
            let role = if !has_chair {
                CommitteeRole::Chair
            } else if vice < if size >= 7 { 2 } else { 1 } {
                CommitteeRole::ViceChair
            } else {
                CommitteeRole::Member
            };
            seats.push((p, role));
        }
        // Order seats chair first, for readability of the stored rows.
        seats.sort_by_key(|(_, r)| match r {
            CommitteeRole::Chair => 0,
            CommitteeRole::ViceChair => 1,
            CommitteeRole::Member => 2,
        });
        for &(p, role) in &seats {
            let idx = self.d.committee_members.len();
            self.d.committee_members.push(committee_member::Model {
                id: FIRST_ID + idx as i64,
                committee_id: FIRST_ID + committee as i64,
                person_id: self.pid(p),
                role,
                starts_on: starts,
                ends_on: None,
                end_reason: None,
                replaces_id: None,
                vote_id: None,
            });
        }
        self.compounds[c].committee = seats;
    }

    /// Signs a contract between compound `c` and company `company`.
    pub(super) fn contract(
        &mut self,
        c: usize,
        company: usize,
        starts: NaiveDate,
        ended: Option<(NaiveDate, &str)>,
    ) {
        let idx = self.d.contracts.len();
        let ends_on = starts
            .checked_add_months(Months::new(36))
            .and_then(|d| d.pred_opt())
            .unwrap_or(starts);
        self.d.contracts.push(property_contract::Model {
            id: FIRST_ID + idx as i64,
            compound_id: FIRST_ID + c as i64,
            company_id: FIRST_ID + company as i64,
            starts_on: starts,
            ends_on: ended.map(|(on, _)| on.max(starts)).unwrap_or(ends_on),
            status: if ended.is_some() {
                ContractStatus::Ended
            } else {
                ContractStatus::Active
            },
            ended_on: ended.map(|(on, _)| on.max(starts)),
            end_reason: ended.map(|(_, why)| why.to_owned()),
            created_at: self.now,
            vote_id: None,
            end_vote_id: None,
        });
        if ended.is_none() {
            let community = self.compounds[c].community;
            let manager = self.adult_person(community, 30, 52);
            self.compounds[c].manager = Some(manager);
        }
    }

    /// Property companies and their contracts; some old compounds have none.
    pub(super) fn property(&mut self) {
        for (i, (name, _, stars)) in COMPANIES.iter().enumerate() {
            let phone = format!("027-8{:07}", self.rng.next() % 10_000_000);
            self.d.companies.push(property_company::Model {
                id: FIRST_ID + i as i64,
                name: self.local_name(name),
                credit_code: Some(format!(
                    "91{}MA4K{:05}{}",
                    self.place.district_code,
                    10_000 + i * 7_919 + self.place.index * 97,
                    ['X', '3', '7', 'L', 'Q', '5'][i % 6]
                )),
                phone: Some(phone),
                star_rating: Some(*stars),
                created_at: self.now,
            });
        }
        let mut per_kind: HashMap<CompoundKind, usize> = HashMap::new();
        for c in 0..self.d.compounds.len() {
            let kind = self.d.compounds[c].kind;
            let nth = *per_kind.entry(kind).and_modify(|n| *n += 1).or_insert(0);
            let starts = self.some_day_ago(120, 1_000);
            match kind {
                CompoundKind::CommodityHousing => {
                    if nth == 0 {
                        // The owners' assembly did not renew the previous company.
                        let before = starts.checked_sub_months(Months::new(36)).unwrap_or(starts);
                        let last_day = starts.pred_opt().unwrap_or(starts);
                        self.contract(
                            c,
                            4,
                            before,
                            Some((
                                last_day,
                                "合同期满,业主大会决定不再续聘(民法典第二百七十八条第四项)",
                            )),
                        );
                    }
                    self.contract(c, [0, 1, 3, 2][nth % 4], starts, None);
                }
                CompoundKind::OldCompound if nth == 0 => {
                    // The company left; the community runs the compound now.
                    let before = self.some_day_ago(2_000, 2_600);
                    let left = self.some_day_ago(500, 900);
                    self.contract(c, 4, before, Some((left, "物业服务企业撤场,由社区托管")));
                }
                CompoundKind::OldCompound if nth % 2 == 1 => self.contract(c, 2, starts, None),
                CompoundKind::OldCompound => {}
                CompoundKind::VillageToResidence => {
                    self.contract(c, [1, 3][nth % 2], starts, None);
                }
                CompoundKind::BungalowArea => {}
                CompoundKind::CommercialStreet | CompoundKind::IndustrialZone => {
                    self.contract(c, 5, starts, None)
                }
            }
        }
    }

    /// Records a joint meeting of compound `c` held `days_ago` days ago.
    pub(super) fn meeting(&mut self, c: usize, days_ago: i64, topic: &Topic) {
        let held_on = self.days_ago(days_ago);
        let info = &self.compounds[c];
        let mut present: Vec<(usize, MeetingParty)> = Vec::new();
        let add = |present: &mut Vec<(usize, MeetingParty)>, p: usize, party: MeetingParty| {
            if !present.iter().any(|(q, _)| *q == p) {
                present.push((p, party));
            }
        };
        for &p in info.branch_members.iter().take(2) {
            add(&mut present, p, MeetingParty::PartyBranch);
        }
        for &(p, _) in info.committee.iter().take(3) {
            add(&mut present, p, MeetingParty::OwnersCommittee);
        }
        if let Some(m) = info.manager {
            add(&mut present, m, MeetingParty::PropertyCompany);
        }
        let meeting = self.d.meetings.len();
        let year = held_on.year();
        let quarter = held_on.month0() / 3 + 1;
        self.d.meetings.push(joint_meeting::Model {
            id: FIRST_ID + meeting as i64,
            compound_id: FIRST_ID + c as i64,
            held_on,
            title: topic
                .title
                .replace("{year}", &year.to_string())
                .replace("{quarter}", &chinese_number(quarter as usize)),
            agenda: topic.agenda.to_owned(),
            minutes: Some(topic.minutes.to_owned()),
            created_at: self.now,
        });
        for (p, party) in present {
            let idx = self.d.attendees.len();
            self.d.attendees.push(joint_meeting_attendee::Model {
                id: FIRST_ID + idx as i64,
                meeting_id: FIRST_ID + meeting as i64,
                person_id: self.pid(p),
                party,
            });
        }
        for (i, text) in topic.resolutions.iter().enumerate() {
            let idx = self.d.resolutions.len();
            self.d.resolutions.push(joint_meeting_resolution::Model {
                id: FIRST_ID + idx as i64,
                meeting_id: FIRST_ID + meeting as i64,
                position: i as i32 + 1,
                text: (*text).to_owned(),
            });
        }
    }

    /// A few joint meetings where the parties are in place.
    pub(super) fn meetings(&mut self) {
        let full: Vec<usize> = (0..self.d.compounds.len())
            .filter(|c| {
                let i = &self.compounds[*c];
                !i.committee.is_empty() && i.manager.is_some() && !i.branch_members.is_empty()
            })
            .collect();
        let branch_and_company = (0..self.d.compounds.len()).find(|c| {
            let i = &self.compounds[*c];
            i.committee.is_empty() && i.manager.is_some() && !i.branch_members.is_empty()
        });
        if let Some(&c) = full.first() {
            self.meeting(c, 110, &TOPICS[0]);
            self.meeting(c, 20, &TOPICS[1]);
        }
        if let Some(&c) = full.get(1) {
            self.meeting(c, 45, &TOPICS[2]);
        }
        if let Some(c) = branch_and_company {
            self.meeting(c, 70, &TOPICS[3]);
        }
    }
}
