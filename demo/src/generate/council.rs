//! Two years of the residents' council (四议两公开) in the demo accounts'
//! compound: a matter a month, each taken through the four deliberations and
//! the two publications on past days, a few stopped where a deliberation
//! rejected them, and the newest still in its publicity period. It gives the
//! compound's publications page (a read of the benchmark mix) its rows.
//!
//! Written through the council's domain functions, so every step keeps the
//! procedure's order, dates and counts, and lands on the decision chain.

use chrono::{Days, NaiveDate};
use compound_api::domain::decisions::council::{
    self, CouncilFields, Decision, Resolution, StepInput, StepRecord,
};
use compound_api::domain::kinds::CouncilStepKind;
use compound_api::domain::unit_of_work::UnitOfWork;
use compound_api::domain::values::Name;
use compound_api::error::AppResult;

/// Representatives on the demo council.
const REPRESENTATIVES: i32 = 15;

/// Matters, one a month over two years.
const MATTERS: u64 = 24;

/// The subjects of the matters, in turn.
const TOPICS: &[(&str, &str)] = &[
    ("加装电梯", "3号楼居民申请加装电梯,费用按楼层分摊"),
    ("停车位划线", "重新规划地面停车位,优先保障业主车辆"),
    ("垃圾分类亭改造", "改造东门垃圾分类亭,增加洗手池"),
    ("楼道照明更换", "更换各楼栋楼道声控灯为节能灯"),
    ("健身器材更新", "更新中心广场老旧健身器材"),
    ("非机动车充电棚", "新建电动自行车集中充电棚,杜绝飞线充电"),
    ("绿化补植", "补植南区草坪与行道树"),
    ("雨污管网疏通", "疏通小区雨水与污水管网"),
];

/// What a step's record says: the day, the body, who attended.
fn record(on: NaiveDate, body: &str, attendance: &str) -> AppResult<StepRecord> {
    Ok(StepRecord {
        held_on: on,
        body: Name::parse(body, "body")?,
        attendance: attendance.to_owned(),
        minutes: None,
    })
}

/// Writes the council and its matters in `compound_id`, dated back from `today`.
pub(crate) async fn write(
    uow: &UnitOfWork<'_>,
    compound_id: i64,
    today: NaiveDate,
) -> AppResult<()> {
    let (council, publicity) = create(uow, compound_id).await?;
    for m in 0..MATTERS {
        // The newest matter is proposed a week and a half ago.
        let start = today - Days::new(10 + (MATTERS - 1 - m) * 30);
        matter(uow, council, publicity, m, start).await?;
    }
    Ok(())
}

/// Sets up the residents' council of `compound_id`; its id and publicity days.
pub(crate) async fn create(uow: &UnitOfWork<'_>, compound_id: i64) -> AppResult<(i64, u64)> {
    let c = council::create_council(
        uow,
        compound_id,
        CouncilFields {
            name: Some(Name::parse("小区居民议事会", "name")?),
            representatives: Some(REPRESENTATIVES),
            ..CouncilFields::default()
        },
    )
    .await?;
    Ok((c.id, u64::try_from(c.publicity_days).unwrap_or(7)))
}

/// The last day matter number `m`, proposed on `start`, reaches: its
/// result's publication, or the deliberation that stopped it. The result is
/// published only once that day is past.
pub(crate) fn last_day(m: u64, start: NaiveDate, publicity: u64) -> NaiveDate {
    match rejected(m) {
        true => start + Days::new(2),
        false => start + Days::new(7 + publicity + 14),
    }
}

/// Every seventh matter the two committees turn down.
fn rejected(m: u64) -> bool {
    m % 7 == 3
}

/// Matter number `m` of council `council_id`, proposed on `start` and taken
/// through every step whose day has come by the unit of work's today.
pub(crate) async fn matter(
    uow: &UnitOfWork<'_>,
    council_id: i64,
    publicity: u64,
    m: u64,
    start: NaiveDate,
) -> AppResult<()> {
    let today = uow.today();
    let (topic, description) = TOPICS[m as usize % TOPICS.len()];
    let round = m as usize / TOPICS.len();
    let title = match round {
        0 => topic.to_owned(),
        n => format!("{topic}(第{}期)", n + 1),
    };
    let day = |n: u64| start + Days::new(n);
    let (matter, _) = council::propose_matter(
        uow,
        council_id,
        Name::parse(&title, "title")?,
        description.to_owned(),
        record(day(0), "小区党支部", "支部委员5人")?,
    )
    .await?;
    let decision = if rejected(m) {
        Decision::Reject
    } else {
        Decision::Approve
    };
    council::record_step(
        uow,
        matter.id,
        record(day(2), "社区两委联席会议", "两委委员7人")?,
        StepInput::Deliberation(CouncilStepKind::CommitteesDeliberation, decision),
    )
    .await?;
    if rejected(m) {
        return Ok(());
    }
    council::record_step(
        uow,
        matter.id,
        record(day(4), "小区党员大会", "党员23人")?,
        StepInput::Deliberation(CouncilStepKind::PartyMembersReview, Decision::Approve),
    )
    .await?;
    council::record_step(
        uow,
        matter.id,
        record(day(6), "居民代表会议", "居民代表13人")?,
        StepInput::Resolution(Resolution {
            present: 13,
            votes_for: 11,
            votes_against: 1,
            votes_abstain: 1,
        }),
    )
    .await?;
    council::record_step(
        uow,
        matter.id,
        record(day(7), "小区居民议事会", "议事会成员")?,
        StepInput::PublishResolution {
            title: Name::parse(&format!("关于{title}的决议公示"), "title")?,
            text: format!(
                "经居民代表会议表决通过:{description}。公示期内如有异议,请向议事会提出。"
            ),
        },
    )
    .await?;
    let result_on = day(7 + publicity + 14);
    if result_on < today {
        council::record_step(
            uow,
            matter.id,
            record(result_on, "小区居民议事会", "议事会成员")?,
            StepInput::PublishResult {
                title: Name::parse(&format!("关于{title}的实施结果公开"), "title")?,
                text: format!("{description},已完成,经居民代表验收合格。"),
            },
        )
        .await?;
    }
    Ok(())
}
