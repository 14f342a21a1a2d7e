//! The bodies cross-appointment is measured between: each community's two
//! committees (社区"两委") with members, the property companies' own party
//! organisations (红色物业) and the posts people hold in the companies.
//!
//! Generated after everything else, so the rest of the demo is the same
//! whether or not these exist. The first commodity-housing compound (the
//! demo accounts') shows every fact: a residents' committee member on its
//! owners' committee, its project lead on the community party committee,
//! and a party committee member holding a seat in its company.

use chrono::Months;
use compound_api::domain::kinds::{
    BranchRole, CommunityCommitteeKind, CommunityCommitteeRole, CompanyPostKind,
};
use compound_api::entity::{
    community_committee, community_committee_member, company_party_member, company_party_org,
    company_post,
};

use super::{FIRST_ID, Gen};
use crate::names::COMPANIES;

impl Gen {
    /// A new adult party member of `community`, aged 30–58.
    fn party_adult(&mut self, community: usize) -> usize {
        let p = self.adult_person(community, 30, 58);
        self.d.persons[p].is_party_member = true;
        p
    }

    /// One committee term of `kind` for `community`, serving today, with a
    /// head and `extra` more members; returns its index.
    fn community_committee(
        &mut self,
        community: usize,
        kind: CommunityCommitteeKind,
        extra: &[usize],
    ) -> usize {
        let starts = self.some_day_ago(200, 1_500);
        let ends = starts
            .checked_add_months(Months::new(60))
            .and_then(|d| d.pred_opt())
            .unwrap_or(starts);
        let idx = self.d.community_committees.len();
        let name = match kind {
            CommunityCommitteeKind::PartyCommittee => {
                format!("{}党委", self.d.communities[community].name)
            }
            CommunityCommitteeKind::ResidentsCommittee => {
                format!("{}居民委员会", self.d.communities[community].name)
            }
        };
        self.d
            .community_committees
            .push(community_committee::Model {
                id: FIRST_ID + idx as i64,
                community_id: FIRST_ID + community as i64,
                kind,
                name,
                term_starts_on: starts,
                term_ends_on: ends,
                created_at: self.now,
            });
        let party = kind == CommunityCommitteeKind::PartyCommittee;
        let head = if party {
            self.party_adult(community)
        } else {
            self.adult_person(community, 35, 58)
        };
        let mut seats = vec![(head, CommunityCommitteeRole::Head)];
        for _ in 0..4 {
            let p = if party {
                self.party_adult(community)
            } else {
                self.adult_person(community, 28, 60)
            };
            seats.push((p, CommunityCommitteeRole::Member));
        }
        seats.extend(extra.iter().map(|p| (*p, CommunityCommitteeRole::Member)));
        for (p, role) in seats {
            if party {
                self.d.persons[p].is_party_member = true;
            }
            let id = FIRST_ID + self.d.community_committee_members.len() as i64;
            self.d
                .community_committee_members
                .push(community_committee_member::Model {
                    id,
                    committee_id: FIRST_ID + idx as i64,
                    person_id: self.pid(p),
                    role,
                    starts_on: starts,
                    ends_on: None,
                });
        }
        idx
    }

    /// Company heads, project leads, red companies' organisations, and the
    /// communities' two committees.
    pub(super) fn bodies(&mut self) {
        let linked = (self.d.links.compound_id - FIRST_ID) as usize;
        let linked_company = self
            .d
            .contracts
            .iter()
            .find(|k| k.compound_id == self.d.links.compound_id && k.ended_on.is_none())
            .map(|k| k.company_id);
        // Posts: a head per company (registered in the first community) and
        // the project lead of each compound under contract.
        for (i, _) in COMPANIES.iter().enumerate() {
            let head = self.adult_person(0, 40, 60);
            self.post(
                FIRST_ID + i as i64,
                head,
                CompanyPostKind::Head,
                None,
                "总经理",
                900,
            );
        }
        let leads: Vec<(i64, i64, usize)> = self
            .d
            .contracts
            .iter()
            .filter(|k| k.ended_on.is_none())
            .filter_map(|k| {
                let c = (k.compound_id - FIRST_ID) as usize;
                self.compounds[c]
                    .manager
                    .map(|m| (k.company_id, k.compound_id, m))
            })
            .collect();
        for (company, compound, manager) in &leads {
            self.post(
                *company,
                *manager,
                CompanyPostKind::ProjectLead,
                Some(*compound),
                "项目经理",
                300,
            );
        }
        // Red companies: an organisation with a secretary and two members.
        for (i, (_, org, _)) in COMPANIES.iter().enumerate() {
            let Some(org) = org else { continue };
            let established = self.some_day_ago(800, 2_500);
            let idx = self.d.company_orgs.len();
            self.d.company_orgs.push(company_party_org::Model {
                id: FIRST_ID + idx as i64,
                company_id: FIRST_ID + i as i64,
                name: (*org).to_owned(),
                established_on: established,
                dissolved_on: None,
                created_at: self.now,
            });
            for role in [
                BranchRole::Secretary,
                BranchRole::Member,
                BranchRole::Member,
            ] {
                let p = self.party_adult(0);
                self.company_party_seat(idx, p, role, established);
            }
        }
        // The two committees of each community. In the first community the
        // linked compound's project lead sits on the party committee (兼职委员)
        // and one of its owners' committee members on the residents' committee.
        let manager = self.compounds[linked].manager;
        let committee_member = self.d.links.committee.0;
        for community in 0..self.d.communities.len() {
            let first = community == self.compounds[linked].community;
            let pc_extra: Vec<usize> = manager.filter(|_| first).into_iter().collect();
            let pc = self.community_committee(
                community,
                CommunityCommitteeKind::PartyCommittee,
                &pc_extra,
            );
            let rc_extra: Vec<usize> = if first {
                vec![(committee_member - FIRST_ID) as usize]
            } else {
                Vec::new()
            };
            self.community_committee(
                community,
                CommunityCommitteeKind::ResidentsCommittee,
                &rc_extra,
            );
            // Two-way: a party committee member holds a seat in the linked
            // company's organisation, or else a post in its management.
            if first && let Some(company) = linked_company {
                let member = self
                    .d
                    .community_committee_members
                    .iter()
                    .rev()
                    .find(|m| {
                        m.committee_id == FIRST_ID + pc as i64
                            && m.role == CommunityCommitteeRole::Member
                            && Some(m.person_id) != manager.map(|p| self.pid(p))
                    })
                    .map(|m| (m.person_id - FIRST_ID) as usize);
                let Some(member) = member else { continue };
                let starts = self.d.community_committees[pc].term_starts_on;
                match self
                    .d
                    .company_orgs
                    .iter()
                    .position(|o| o.company_id == company)
                {
                    Some(org) => {
                        let since = starts.max(self.d.company_orgs[org].established_on);
                        self.company_party_seat(org, member, BranchRole::Member, since);
                    }
                    None => self.post(
                        company,
                        member,
                        CompanyPostKind::Management,
                        None,
                        "党建指导员",
                        200,
                    ),
                }
            }
        }
    }

    fn post(
        &mut self,
        company_id: i64,
        p: usize,
        post: CompanyPostKind,
        compound_id: Option<i64>,
        title: &str,
        days: i64,
    ) {
        let starts_on = self.some_day_ago(30, days);
        let id = FIRST_ID + self.d.company_posts.len() as i64;
        self.d.company_posts.push(company_post::Model {
            id,
            company_id,
            person_id: self.pid(p),
            post,
            compound_id,
            title: Some(title.to_owned()),
            starts_on,
            ends_on: None,
            created_at: self.now,
        });
    }

    fn company_party_seat(
        &mut self,
        org: usize,
        p: usize,
        role: BranchRole,
        starts_on: chrono::NaiveDate,
    ) {
        self.d.persons[p].is_party_member = true;
        let id = FIRST_ID + self.d.company_party_members.len() as i64;
        self.d
            .company_party_members
            .push(company_party_member::Model {
                id,
                org_id: FIRST_ID + org as i64,
                person_id: self.pid(p),
                role,
                starts_on,
                ends_on: None,
            });
    }
}
