//! The responsibility placards (责任牌 / 亮牌): one posted for every
//! compound, naming its branch secretary (小区责任人), its community's
//! community chief (社区责任人) and whoever manages it (小区管理责任人): the
//! property company's project manager, else the owners' committee chair,
//! else the secretary for a self-managed compound. Contacts are office
//! landlines given for the placard, never the people's own phones. The
//! compound of the demo accounts has an older posting too, so its placard
//! has a history. Written through `domain::placards::post_placard` by
//! [`write`], which `crate::write` calls.

use compound_api::domain::kinds::{ChiefLevel, CommitteeRole, PartyBranchKind};
use compound_api::domain::placards::{self, Listing, NewPlacard};
use compound_api::domain::unit_of_work::UnitOfWork;
use compound_api::domain::values::{Name, Phone};
use compound_api::error::AppResult;

use chrono::NaiveDate;

use super::{FIRST_ID, Gen};

/// One person a posting names: local person id, title, public contact.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Named {
    /// The person (local id).
    pub(crate) person_id: i64,
    /// The title on the placard.
    pub(crate) title: String,
    /// The office landline given for the placard.
    pub(crate) contact_phone: String,
}

/// A placard posting of a compound (local ids).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Posting {
    /// The compound.
    pub(crate) compound_id: i64,
    /// The day it was posted.
    pub(crate) posted_on: NaiveDate,
    /// 小区责任人, 社区责任人, 小区管理责任人, in that order.
    pub(crate) named: [Named; 3],
}

impl Gen {
    /// An office landline of the city (area code 027).
    fn office_phone(&mut self) -> String {
        format!("027-8{:07}", self.rng.next() % 10_000_000)
    }

    /// The three names of compound `c`'s placard, with fresh contacts.
    fn placard_names(&mut self, c: usize) -> [Named; 3] {
        let compound_id = FIRST_ID + c as i64;
        let info = self.compounds[c].clone();
        let secretary = self.pid(info.secretary.unwrap_or(0));
        let temporary = self
            .d
            .branches
            .iter()
            .any(|b| b.compound_id == compound_id && b.kind == PartyBranchKind::Temporary);
        let community_id = self.d.compounds[c].community_id;
        let community_chief = self
            .d
            .chiefs
            .iter()
            .find(|a| a.level == ChiefLevel::CommunityChief && a.community_id == community_id)
            .map_or(secretary, |a| a.person_id);
        let chair = info
            .committee
            .iter()
            .find(|(_, r)| *r == CommitteeRole::Chair)
            .map(|(p, _)| self.pid(*p));
        let (manager, manager_title) = match (info.manager, chair) {
            (Some(m), _) => (self.pid(m), "物业项目经理"),
            (None, Some(chair)) => (chair, "业主委员会主任"),
            (None, None) => (secretary, "小区自管小组组长"),
        };
        let secretary_title = if temporary {
            "小区临时党支部书记"
        } else {
            "小区党支部书记"
        };
        [
            (secretary, secretary_title),
            (community_chief, "社区党委委员、社区长"),
            (manager, manager_title),
        ]
        .map(|(person_id, title)| Named {
            person_id,
            title: title.to_owned(),
            contact_phone: self.office_phone(),
        })
    }

    /// A placard for every compound; the demo accounts' compound posted an
    /// earlier one, superseded by the current posting.
    pub(super) fn placards(&mut self) {
        for c in 0..self.d.compounds.len() {
            let compound_id = FIRST_ID + c as i64;
            if compound_id == self.d.links.compound_id {
                let posted_on = self.some_day_ago(400, 700);
                let named = self.placard_names(c);
                self.d.placards.push(Posting {
                    compound_id,
                    posted_on,
                    named,
                });
            }
            let posted_on = self.some_day_ago(7, 200);
            let named = self.placard_names(c);
            self.d.placards.push(Posting {
                compound_id,
                posted_on,
                named,
            });
        }
    }
}

/// Posts `postings` in order, mapping local ids with `compound` and `person`.
pub(crate) async fn write(
    uow: &UnitOfWork<'_>,
    postings: &[Posting],
    compound: impl Fn(i64) -> i64,
    person: impl Fn(i64) -> i64,
) -> AppResult<()> {
    for p in postings {
        let [a, b, c] = &p.named;
        let listing = |n: &Named| -> AppResult<Listing> {
            Ok(Listing {
                person_id: person(n.person_id),
                title: Name::parse(&n.title, "title")?,
                contact_phone: Phone::parse(&n.contact_phone, "contact_phone")?,
            })
        };
        placards::post_placard(
            uow,
            NewPlacard {
                compound_id: compound(p.compound_id),
                posted_on: p.posted_on,
                compound_responsible: listing(a)?,
                community_responsible: listing(b)?,
                management_responsible: listing(c)?,
            },
        )
        .await?;
    }
    Ok(())
}
