//! People's small things (民生微实事) of the activity: in every residential
//! compound a few owners, each with an account, propose projects and
//! support one another's; the party branch (the demo's admin) puts them
//! before the residents' council, decides them, delivers them with
//! progress and spending, and hands them over; the residents rate them and
//! the branch accepts them, or sends one back first. The projects are
//! spread over every status (`FATES`), each dated so that its last move
//! lies in the recent past.

use std::collections::HashMap;

use chrono::{DateTime, Duration, Utc};
use compound_api::domain::accounts::GrantTarget;
use compound_api::domain::decisions::council::{self, StepRecord};
use compound_api::domain::kinds::{AcceptanceOutcome, Role};
use compound_api::domain::projects::{
    self, Decision, Fen, Implementation, NewProject, Progress, Spending,
};
use compound_api::domain::unit_of_work::UnitOfWork;
use compound_api::domain::values::Name;
use compound_api::error::{AppError, AppResult};

use super::facts::Facts;
use super::{Activity, NewActor, Plan, Stored, What, Who, Written, after, username};
use crate::Place;
use crate::names::Rng;

/// Where a project ends up.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Fate {
    /// Still collecting support (征集).
    Solicitation,
    /// Before the council (评议).
    Deliberation,
    /// Rejected.
    Rejected,
    /// Approved, not yet started.
    Approved,
    /// Being delivered, with progress and spending.
    Implementation,
    /// Handed over; the residents are rating it.
    Acceptance,
    /// Accepted at the first hand-over.
    Closed,
    /// Sent back once, delivered again, rated again and accepted.
    ClosedAfterSendBack,
}

/// The fates in turn, project by project of a subdistrict.
const FATES: [Fate; 8] = [
    Fate::Closed,
    Fate::Implementation,
    Fate::Solicitation,
    Fate::Acceptance,
    Fate::Approved,
    Fate::Deliberation,
    Fate::Rejected,
    Fate::ClosedAfterSendBack,
];

/// One move of a project's lifecycle.
#[derive(Debug, Clone)]
pub(super) enum Step {
    Propose,
    Support,
    Deliberate,
    Decide,
    Start,
    Progress(usize),
    Spend(usize),
    Submit,
    Rate { stars: i32, comment: &'static str },
    Accept(AcceptanceOutcome),
}

/// A subject residents propose: title, what and why, who delivers it, the
/// contractor, and the progress of its three rounds of work.
type Topic = (
    &'static str,
    &'static str,
    &'static str,
    Option<&'static str>,
    [&'static str; 3],
);

const TOPICS: &[Topic] = &[
    (
        "楼道照明改造",
        "楼道声控灯老化损坏,夜间上下楼不便,建议更换为感应式LED灯",
        "社区党委",
        Some("武汉明辉电气安装有限公司"),
        [
            "完成各单元灯具勘查",
            "更换一至六层灯具",
            "全部灯具更换完毕并调试",
        ],
    ),
    (
        "休闲座椅加装",
        "中心花园缺少休息座椅,老人散步无处歇脚,建议加装防腐木座椅",
        "小区党支部",
        None,
        ["确定座椅位置并征求意见", "座椅基础施工", "座椅安装完成"],
    ),
    (
        "非机动车充电棚",
        "电动自行车飞线充电隐患大,建议在东侧空地新建集中充电棚",
        "社区党委",
        Some("湖北安畅消防科技有限公司"),
        ["充电棚选址公示", "钢结构搭建", "充电桩接电并验收消防设施"],
    ),
    (
        "雨水管网疏通",
        "雨季南门一带积水严重,建议疏通雨水管网并更换破损篦子",
        "社区党委",
        Some("武汉市政排水养护有限公司"),
        [
            "管网清淤",
            "更换破损雨水篦子",
            "管网疏通完毕,雨后复查无积水",
        ],
    ),
    (
        "健身器材更新",
        "广场健身器材锈蚀松动存在安全隐患,建议整体更新",
        "小区党支部",
        Some("武汉康体设施有限公司"),
        ["拆除老旧器材", "铺设安全地垫", "新器材安装完成"],
    ),
    (
        "监控盲区补装",
        "车棚和北门监控存在盲区,电动车失窃多发,建议补装摄像头",
        "社区党委",
        Some("武汉天眼安防工程有限公司"),
        ["盲区勘查", "布线施工", "摄像头接入监控室"],
    ),
    (
        "单元门禁维修",
        "多个单元门禁损坏,陌生人随意进出,建议维修更换门禁",
        "小区党支部",
        None,
        ["门禁故障排查", "更换损坏门禁主机", "全部单元门禁恢复使用"],
    ),
    (
        "适老化扶手加装",
        "老年住户多,楼梯缺少扶手,建议在楼道加装适老化扶手",
        "社区党委",
        Some("武汉康居适老化改造有限公司"),
        ["逐户征求意见", "扶手定制加工", "扶手安装完成"],
    ),
    (
        "儿童游乐区改造",
        "儿童游乐区地面破损、设施陈旧,建议翻新改造",
        "小区党支部",
        Some("武汉童趣游乐设备有限公司"),
        ["方案征求家长意见", "地面翻新", "游乐设施安装完成"],
    ),
    (
        "垃圾分类亭建设",
        "现有垃圾桶露天摆放,异味扰民,建议建设带洗手池的垃圾分类亭",
        "社区党委",
        Some("武汉绿洁环境工程有限公司"),
        ["选址公示", "分类亭基础施工", "分类亭建成投入使用"],
    ),
];

/// What residents say when they rate a project.
const COMMENTS: &[&str] = &[
    "办到了大家心坎上,感谢党支部",
    "施工期间有些噪音,但效果很好",
    "质量不错,希望后期做好维护",
    "整体满意,个别细节还需完善",
    "非常实用,老人孩子都受益",
];

/// One planned project.
pub(super) struct Project {
    compound_id: i64,
    topic: usize,
    fate: Fate,
    estimate_fen: i64,
    budget_fen: i64,
}

/// One round of spending: the share of the budget, in per cent.
const SPENDING: [i64; 3] = [35, 40, 15];

/// Plans the projects of the subdistrict and the accounts of the owners
/// who act for them; returns, per compound, the numbers of those accounts.
pub(super) fn plan(
    plan: &mut Plan,
    facts: &Facts,
    place: &Place,
    activity: &Activity,
    rng: &mut Rng,
    end: DateTime<Utc>,
) -> HashMap<i64, Vec<usize>> {
    let mut residents: HashMap<i64, Vec<usize>> = HashMap::new();
    let mut made = 0;
    for (ci, c) in facts.residential().enumerate() {
        let Some(owners) = facts.owners.get(&c.id) else {
            continue;
        };
        let mine: Vec<usize> = owners
            .iter()
            .take(activity.residents_per_compound)
            .map(|o| {
                made += 1;
                plan.actor(NewActor {
                    username: username("resident", place, made),
                    display_name: o.name.clone(),
                    person_id: Some(o.person_id),
                    grant: Some(GrantTarget {
                        role: Role::Resident,
                        unit_id: Some(o.dwelling_id),
                    }),
                    member_of: None,
                })
            })
            .collect();
        if mine.is_empty() {
            continue;
        }
        for j in 0..activity.projects_per_compound {
            let n = plan.projects.len();
            let fate = FATES[n % FATES.len()];
            // Ten thousand to two hundred thousand yuan, in fen.
            let estimate_fen = rng.range(10, 200) * 1_000 * 100;
            let budget_fen = estimate_fen / 100 * rng.range(85, 105);
            plan.projects.push(Project {
                compound_id: c.id,
                topic: (ci * 3 + j) % TOPICS.len(),
                fate,
                estimate_fen,
                budget_fen,
            });
            let proposer = mine[j % mine.len()];
            let others: Vec<usize> = mine.iter().copied().filter(|a| *a != proposer).collect();
            schedule(plan, rng, end, n, fate, proposer, &others, &mine);
        }
        residents.insert(c.id, mine);
    }
    residents
}

/// The day (counted from the proposal) of each of a project's moves, and
/// how many days before `end` its last move may lie at most.
fn last_day(fate: Fate) -> (i64, i64) {
    match fate {
        Fate::Solicitation => (8, 10),
        Fate::Deliberation => (14, 15),
        Fate::Rejected => (21, 60),
        Fate::Approved => (21, 10),
        Fate::Implementation => (60, 14),
        Fate::Acceptance => (80, 3),
        Fate::Closed => (85, 85),
        Fate::ClosedAfterSendBack => (110, 55),
    }
}

/// Puts the acts of project `n` on the timeline.
#[allow(clippy::too_many_arguments)]
fn schedule(
    plan: &mut Plan,
    rng: &mut Rng,
    end: DateTime<Utc>,
    n: usize,
    fate: Fate,
    proposer: usize,
    supporters: &[usize],
    raters: &[usize],
) {
    let (last, slack) = last_day(fate);
    let proposed = end - Duration::days(last + rng.range(1, slack)) - Duration::hours(12);
    let day =
        |d: i64, rng: &mut Rng| proposed + Duration::days(d) + Duration::minutes(rng.range(0, 600));
    let step = |s: Step| What::Project(n, s);
    plan.act(proposed, Who::Account(proposer), step(Step::Propose));
    for s in supporters {
        let at = day(rng.range(1, 7), rng);
        plan.act(at, Who::Account(*s), step(Step::Support));
    }
    if fate == Fate::Solicitation {
        return;
    }
    plan.act(day(14, rng), Who::Admin, step(Step::Deliberate));
    if fate == Fate::Deliberation {
        return;
    }
    plan.act(day(21, rng), Who::Admin, step(Step::Decide));
    if matches!(fate, Fate::Rejected | Fate::Approved) {
        return;
    }
    plan.act(day(28, rng), Who::Admin, step(Step::Start));
    for (round, d) in [(0, 40), (1, 60)] {
        let at = day(d, rng);
        plan.act(at, Who::Admin, step(Step::Progress(round)));
        plan.act(after(at, 60), Who::Admin, step(Step::Spend(round)));
    }
    if fate == Fate::Implementation {
        return;
    }
    let rounds: &[(i64, AcceptanceOutcome)] = match fate {
        Fate::ClosedAfterSendBack => &[
            (75, AcceptanceOutcome::SentBack),
            (100, AcceptanceOutcome::Accepted),
        ],
        _ => &[(75, AcceptanceOutcome::Accepted)],
    };
    for (k, (d, outcome)) in rounds.iter().enumerate() {
        if k > 0 {
            let at = day(d - 5, rng);
            plan.act(at, Who::Admin, step(Step::Progress(2)));
            plan.act(after(at, 60), Who::Admin, step(Step::Spend(2)));
        }
        plan.act(day(*d, rng), Who::Admin, step(Step::Submit));
        for r in raters {
            let at = day(d + rng.range(1, 4), rng);
            let stars = match rng.below(10) {
                0 => 3,
                1..=4 => 4,
                _ => 5,
            };
            let stars = if *outcome == AcceptanceOutcome::SentBack {
                stars - 1
            } else {
                stars
            };
            let comment = *rng.pick(COMMENTS);
            plan.act(at, Who::Account(*r), step(Step::Rate { stars, comment }));
        }
        if fate == Fate::Acceptance {
            return;
        }
        plan.act(day(d + 10, rng), Who::Admin, step(Step::Accept(*outcome)));
    }
}

fn name(raw: &str, field: &str) -> AppResult<Name> {
    Name::parse(raw, field)
}

/// Runs `step` of project `n`.
pub(super) async fn run(
    uow: &UnitOfWork<'_>,
    plan: &Plan,
    stored: &mut Stored,
    written: &mut Written,
    n: usize,
    step: &Step,
) -> AppResult<()> {
    let p = &plan.projects[n];
    let (title, description, implementer, contractor, progress) = TOPICS[p.topic];
    if let Step::Propose = step {
        let m = projects::propose(
            uow,
            NewProject {
                compound_id: p.compound_id,
                title: name(title, "title")?,
                description: description.to_owned(),
                estimated_cost: Fen::parse(p.estimate_fen, "estimated_cost_fen", true)?,
            },
        )
        .await?;
        stored.projects[n] = Some(m.id);
        written.projects += 1;
        return Ok(());
    }
    let id = stored.projects[n]
        .ok_or_else(|| AppError::Internal("a project's move before its proposal".into()))?;
    let today = uow.today();
    match step {
        Step::Propose => {}
        Step::Support => {
            projects::support(uow, id).await?;
            written.supports += 1;
        }
        Step::Deliberate => {
            let council = match stored.councils.get(&p.compound_id) {
                Some(c) => *c,
                None => {
                    let (c, _) = crate::generate::council::create(uow, p.compound_id).await?;
                    stored.councils.insert(p.compound_id, c);
                    c
                }
            };
            let (matter, _) = council::propose_matter(
                uow,
                council,
                name(&format!("民生微实事:{title}"), "title")?,
                format!("居民提议并获联名支持的民生微实事项目:{description}"),
                StepRecord {
                    held_on: today,
                    body: name("小区党支部", "body")?,
                    attendance: "支部委员5人".into(),
                    minutes: None,
                },
            )
            .await?;
            projects::deliberate(uow, id, matter.id).await?;
        }
        Step::Decide => {
            let decision = match p.fate {
                Fate::Rejected => Decision::Reject {
                    reason:
                        "经居民议事会评议,该事项属物业服务合同约定的维修范围,由物业服务企业负责实施"
                            .into(),
                },
                _ => Decision::Approve {
                    budget: Fen::parse(p.budget_fen, "budget_fen", true)?,
                },
            };
            projects::decide(uow, id, decision, today).await?;
        }
        Step::Start => {
            projects::start_implementation(
                uow,
                id,
                Implementation {
                    implementer: name(implementer, "implementer")?,
                    contractor: contractor.map(|c| name(c, "contractor")).transpose()?,
                },
            )
            .await?;
        }
        Step::Progress(round) => {
            let text = match round {
                2 => "按验收意见整改完毕".to_owned(),
                r => progress[*r].to_owned(),
            };
            projects::record_progress(
                uow,
                id,
                Progress {
                    happened_on: today,
                    text,
                    photo_ids: Vec::new(),
                },
            )
            .await?;
        }
        Step::Spend(round) => {
            let amount = p.budget_fen * SPENDING[*round] / 100;
            let what = match round {
                0 => "材料费",
                1 => "施工费",
                _ => "整改费用",
            };
            projects::record_spending(
                uow,
                id,
                Spending {
                    amount: Fen::parse(amount, "amount_fen", true)?,
                    spent_on: today,
                    description: format!("{title}{what}"),
                },
            )
            .await?;
        }
        Step::Submit => {
            projects::submit_for_acceptance(uow, id, format!("{title}已完工,请居民验收评价"))
                .await?;
        }
        Step::Rate { stars, comment } => {
            projects::rate(uow, id, *stars, (*comment).to_owned()).await?;
            written.ratings += 1;
        }
        Step::Accept(outcome) => {
            let summary = match outcome {
                AcceptanceOutcome::Accepted => "经党支部组织居民代表验收,项目达到预期效果,同意验收",
                AcceptanceOutcome::SentBack => "居民反映部分细节未完成,退回整改后再行验收",
            };
            projects::record_acceptance(uow, id, *outcome, summary.into()).await?;
        }
    }
    Ok(())
}
