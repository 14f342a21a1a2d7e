//! Notices (公告) and residents' opinions (社情民意) of the activity: each
//! compound's parties publish a notice or two to its residents (some
//! pinned, some already expired), and residents give their opinions, in
//! person (the owners with accounts) or through their grid worker, who
//! records one collected at a building of their grid; most are answered.

use std::collections::HashMap;

use chrono::{DateTime, Duration, Utc};
use compound_api::domain::clock::china_date;
use compound_api::domain::kinds::NoticePublisher;
use compound_api::domain::notices::{self, NewNotice};
use compound_api::domain::opinions::{self, NewOpinion};
use compound_api::domain::unit_of_work::UnitOfWork;
use compound_api::domain::values::Name;
use compound_api::error::AppResult;

use super::facts::Facts;
use super::{Activity, Plan, What, Who};
use crate::names::Rng;

/// A notice: title, text, and the days it is shown, if it expires.
type Text = (&'static str, &'static str, Option<i64>);

/// What each party publishes.
fn texts(publisher: NoticePublisher) -> &'static [Text] {
    match publisher {
        NoticePublisher::PropertyCompany => &[
            (
                "停水通知",
                "因市政供水管网检修,明日8:00至18:00小区停水,请住户提前储水。",
                Some(2),
            ),
            (
                "电梯年度检验公告",
                "本月中旬对小区电梯进行年度检验,检验期间部分电梯暂停使用,请住户合理安排出行。",
                Some(20),
            ),
            (
                "消防设施检测通知",
                "下周对小区消防栓、烟感报警器等设施进行检测,请住户予以配合。",
                Some(10),
            ),
        ],
        NoticePublisher::PartyBranch => &[
            (
                "民生微实事项目征集",
                "小区党支部面向全体居民征集民生微实事项目,欢迎提出建议并联名支持。",
                None,
            ),
            (
                "主题党日活动通知",
                "本月主题党日开展\"我为群众办实事\"志愿服务,欢迎党员和居民参加。",
                Some(15),
            ),
        ],
        NoticePublisher::OwnersCommittee => &[
            (
                "业主委员会季度工作报告",
                "现将本季度业主委员会工作情况及公共收益收支情况予以公示,欢迎业主监督。",
                None,
            ),
            (
                "公共收益公示",
                "本年度小区公共收益收支明细已张贴于公告栏,欢迎业主查阅监督。",
                None,
            ),
        ],
    }
}

const OPINIONS: &[&str] = &[
    "小区东门晚上路灯太暗,希望增加照明",
    "楼下广场舞音响太大,影响老人休息",
    "电动自行车充电桩不够用,晚上要排队",
    "希望物业及时清理楼道里的小广告",
    "外来车辆随意停放,业主车位紧张",
    "垃圾清运不及时,夏天有异味",
    "希望在花园增设老年人休息座椅",
    "雨天南门积水严重,出行不便",
];

const ANSWERS: &[&str] = &[
    "已转物业服务中心处理,本周内整改到位",
    "已列入下月居民议事会议题,将征求居民意见",
    "已协调城管部门加强巡查管理",
    "感谢反映,已安排专人跟进并及时反馈",
];

/// One planned notice.
pub(super) struct Notice {
    compound_id: i64,
    publisher: NoticePublisher,
    text: Text,
    pinned: bool,
}

/// One planned opinion.
pub(super) struct Opinion {
    compound_id: i64,
    building_id: Option<i64>,
    /// The resident it is from, when a grid worker records it for them.
    person_id: Option<i64>,
    text: &'static str,
    answer: &'static str,
}

/// Plans the notices of every compound and the opinions of every
/// residential compound: residents' own (by the accounts of `residents`,
/// per compound) and those their grid workers (`reporters`, per grid)
/// collect.
pub(super) fn plan(
    plan: &mut Plan,
    facts: &Facts,
    activity: &Activity,
    residents: &HashMap<i64, Vec<usize>>,
    reporters: &HashMap<i64, Who>,
    rng: &mut Rng,
    end: DateTime<Utc>,
) {
    for (ci, c) in facts.compounds.iter().enumerate() {
        let Some(bodies) = facts.publishers.get(&c.id) else {
            continue;
        };
        for j in 0..activity.notices_per_compound {
            let at = end - Duration::minutes(rng.range(60, 90 * 24 * 60));
            // Only a body the compound has on the day publishes.
            let day = china_date(at);
            let mut publishers: Vec<NoticePublisher> = Vec::with_capacity(3);
            for (publisher, term) in bodies {
                if term.contains(day) && !publishers.contains(publisher) {
                    publishers.push(*publisher);
                }
            }
            if publishers.is_empty() {
                continue;
            }
            let publisher = publishers[(ci + j) % publishers.len()];
            let list = texts(publisher);
            let n = plan.notices.len();
            plan.notices.push(Notice {
                compound_id: c.id,
                publisher,
                text: list[(ci / publishers.len() + j) % list.len()],
                pinned: j == 0 && ci % 3 == 0,
            });
            plan.act(at, Who::Admin, What::Notice(n));
        }
    }
    for c in facts.residential() {
        let own = residents.get(&c.id).filter(|r| !r.is_empty());
        let buildings = facts.buildings_of_compound(c.id);
        let owners = facts.owners.get(&c.id);
        for j in 0..activity.opinions_per_compound {
            let (who, building_id, person_id) = match own {
                Some(r) if j % 2 == 0 => (Who::Account(r[j / 2 % r.len()]), None, None),
                _ if !buildings.is_empty() => {
                    let b = rng.pick(&buildings);
                    let who = b
                        .grid_id
                        .and_then(|g| reporters.get(&g).copied())
                        .unwrap_or(Who::Admin);
                    let person = owners
                        .filter(|o| !o.is_empty())
                        .map(|o| rng.pick(o).person_id);
                    (who, Some(b.id), person)
                }
                _ => continue,
            };
            let n = plan.opinions.len();
            plan.opinions.push(Opinion {
                compound_id: c.id,
                building_id,
                person_id,
                text: rng.pick::<&str>(OPINIONS),
                answer: rng.pick::<&str>(ANSWERS),
            });
            let at = end - Duration::minutes(rng.range(7 * 24 * 60, 100 * 24 * 60));
            plan.act(at, who, What::Opinion(n));
            // Two in three are answered, within days.
            if rng.below(3) < 2 {
                let answered = at + Duration::minutes(rng.range(2 * 60, 5 * 24 * 60));
                plan.act(answered, Who::Admin, What::Answer(n));
            }
        }
    }
}

/// Publishes notice `n`.
pub(super) async fn publish(uow: &UnitOfWork<'_>, n: &Notice) -> AppResult<()> {
    let (title, body, days) = n.text;
    notices::publish(
        uow,
        NewNotice {
            compound_id: n.compound_id,
            publisher: n.publisher,
            title: Name::parse(title, "title")?,
            body: body.to_owned(),
            pinned: n.pinned,
            expires_on: days.map(|d| uow.today() + Duration::days(d)),
        },
    )
    .await?;
    Ok(())
}

/// Records opinion `o`; returns its id.
pub(super) async fn record(uow: &UnitOfWork<'_>, o: &Opinion) -> AppResult<i64> {
    Ok(opinions::record(
        uow,
        NewOpinion {
            compound_id: o.compound_id,
            building_id: o.building_id,
            person_id: o.person_id,
            text: o.text.to_owned(),
        },
    )
    .await?
    .id)
}

/// Answers opinion `id` as `o` plans.
pub(super) async fn answer(uow: &UnitOfWork<'_>, id: i64, o: &Opinion) -> AppResult<()> {
    opinions::answer(uow, id, o.answer.to_owned()).await?;
    Ok(())
}
