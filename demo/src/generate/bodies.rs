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
    AssociationRole, BranchRole, ChiefLevel, CommunityCommitteeKind, CommunityCommitteeRole,
    CompanyPostKind, ConductKind,
};
use compound_api::entity::{
    chief_association, chief_association_member, chief_conduct_record, community_committee,
    community_committee_member, company_party_member, company_party_org, company_post,
};

use super::{FIRST_ID, Gen};
use crate::names::COMPANIES;

/// The code of conduct of the demo's associations of chiefs.
const CODE_OF_CONDUCT: &str = "第一条 热心服务群众,履行“六员”职责;第二条 每周巡查楼栋不少于一次;第三条 发现安全隐患及时上报;第四条 公道调解邻里矛盾;第五条 按时上报楼栋情况,不得瞒报漏报。";

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
                name: self.local_name(org),
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

    /// Each community's association of chiefs, its first building chiefs as
    /// members, and a commendation and a penalty in every community.
    pub(super) fn associations(&mut self) {
        for community in 0..self.d.communities.len() {
            let cid = FIRST_ID + community as i64;
            let chiefs: Vec<(i64, i64, chrono::NaiveDate)> = self
                .d
                .chiefs
                .iter()
                .filter(|c| c.community_id == cid && c.level == ChiefLevel::BuildingChief)
                .map(|c| (c.id, c.person_id, c.starts_on))
                .take(3)
                .collect();
            let Some(founded) = chiefs.iter().map(|c| c.2).min() else {
                continue;
            };
            let idx = self.d.associations.len();
            self.d.associations.push(chief_association::Model {
                id: FIRST_ID + idx as i64,
                community_id: cid,
                name: format!("{}楼栋长协会", self.d.communities[community].name),
                founded_on: founded,
                code_of_conduct: CODE_OF_CONDUCT.to_owned(),
                created_at: self.now,
            });
            let roles = [
                AssociationRole::President,
                AssociationRole::VicePresident,
                AssociationRole::Member,
            ];
            let mut seen = Vec::new();
            for ((_, person, starts), role) in chiefs.iter().zip(roles) {
                if seen.contains(person) {
                    continue;
                }
                seen.push(*person);
                let id = FIRST_ID + self.d.association_members.len() as i64;
                self.d
                    .association_members
                    .push(chief_association_member::Model {
                        id,
                        association_id: FIRST_ID + idx as i64,
                        person_id: *person,
                        role,
                        joined_on: *starts,
                        left_on: None,
                    });
            }
            for (i, (appointment, _, starts)) in chiefs.iter().take(2).enumerate() {
                let (kind, reason, article) = if i == 0 {
                    (
                        ConductKind::Commendation,
                        "汛期连续三周组织本栋排查积水隐患",
                        "第三条",
                    )
                } else {
                    (ConductKind::Penalty, "两次未按时上报楼道堆物隐患", "第五条")
                };
                let decided_on = (*starts + chrono::Duration::days(20)).min(self.anchor);
                let id = FIRST_ID + self.d.conduct_records.len() as i64;
                self.d.conduct_records.push(chief_conduct_record::Model {
                    id,
                    appointment_id: *appointment,
                    kind,
                    decided_on,
                    reason: reason.to_owned(),
                    code_article: Some(article.to_owned()),
                    decided_by: format!("{}楼栋长协会理事会", self.d.communities[community].name),
                    created_at: self.now,
                });
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
