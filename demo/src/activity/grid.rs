//! Grid events (巡、拨、办、督) of the activity: the district's patrol
//! catalogue (with seasonal frequencies) and event categories (with its
//! list of small events), the subdistrict's handlers, each with a member
//! account, and in every grid a few events that its grid worker reported
//! and checked: dispatched and rectified, failed checks, two escalated to
//! supervision (督办) at the fourth failure, small events handled on the
//! spot or told to their party (one refused and went to the enforcement
//! team), urgent ones fast-reported (快采快报), and a share still open.

use chrono::{DateTime, Duration, Utc};
use compound_api::domain::accounts::GrantTarget;
use compound_api::domain::grid_events::{
    self, NewCategory, NewEvent, NewPatrolItem, Place as EventPlace,
};
use compound_api::domain::kinds::{
    EventHandlerKind, EventUrgency, PatrolKind, PatrolPeriod, Role, Season,
};
use compound_api::domain::unit_of_work::UnitOfWork;
use compound_api::domain::values::Name;
use compound_api::entity::{event_category, patrol_item};
use compound_api::error::{AppError, AppResult};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use std::collections::HashMap;

use super::facts::Facts;
use super::{Activity, NewActor, Plan, Stored, What, Who, Written, after, username};
use crate::Place;
use crate::names::Rng;

/// A category of the district's catalogue.
struct Category {
    name: &'static str,
    /// On the list of small events (微小事件).
    small: bool,
    supervision_days: i32,
    /// The handler (in `HANDLERS`) its events are dispatched to.
    handler: usize,
    /// Found at a building of the grid, or at a place in words (after the grid's name).
    at_building: bool,
    place: &'static str,
    /// The patrol item (in `PATROL`) it is found on, if any.
    patrol: Option<usize>,
    texts: [&'static str; 2],
}

const CATEGORIES: &[Category] = &[
    Category {
        name: "道路破损",
        small: false,
        supervision_days: 10,
        handler: 0,
        at_building: false,
        place: "主干道",
        patrol: Some(0),
        texts: ["路面坑洼约2平方米,雨天积水", "人行道地砖松动翘起"],
    },
    Category {
        name: "井盖缺失破损",
        small: false,
        supervision_days: 3,
        handler: 0,
        at_building: false,
        place: "人行道",
        patrol: Some(0),
        texts: ["雨水井盖缺失,已设临时警示", "污水井盖破损下陷"],
    },
    Category {
        name: "违章搭建",
        small: false,
        supervision_days: 15,
        handler: 3,
        at_building: true,
        place: "辖区",
        patrol: Some(0),
        texts: ["楼顶私搭彩钢棚约20平方米", "一楼住户违规扩建院墙"],
    },
    Category {
        name: "供水管道漏水",
        small: false,
        supervision_days: 5,
        handler: 1,
        at_building: true,
        place: "辖区",
        patrol: None,
        texts: ["楼栋进户水管接口渗漏", "楼前供水管爆裂冒水"],
    },
    Category {
        name: "路灯损坏",
        small: false,
        supervision_days: 7,
        handler: 0,
        at_building: false,
        place: "背街小巷",
        patrol: Some(0),
        texts: ["连续三盏路灯不亮", "路灯杆倾斜存在隐患"],
    },
    Category {
        name: "燃气安全隐患",
        small: false,
        supervision_days: 3,
        handler: 4,
        at_building: true,
        place: "辖区",
        patrol: None,
        texts: ["楼道燃气立管锈蚀有异味", "底商违规使用液化气瓶"],
    },
    Category {
        name: "树木倒伏",
        small: false,
        supervision_days: 5,
        handler: 2,
        at_building: false,
        place: "绿化带",
        patrol: Some(0),
        texts: ["大风后行道树倾倒压住围栏", "枯死树木存在倒伏隐患"],
    },
    Category {
        name: "楼道杂物堆放",
        small: true,
        supervision_days: 5,
        handler: 3,
        at_building: true,
        place: "辖区",
        patrol: Some(0),
        texts: ["楼道堆放纸箱旧家具堵塞通道", "楼梯间停放电动自行车"],
    },
    Category {
        name: "小广告张贴",
        small: true,
        supervision_days: 3,
        handler: 3,
        at_building: false,
        place: "公交站台",
        patrol: None,
        texts: ["站台及电杆张贴小广告", "墙面喷涂办证小广告"],
    },
    Category {
        name: "绿化带垃圾",
        small: true,
        supervision_days: 3,
        handler: 3,
        at_building: false,
        place: "绿化带",
        patrol: Some(0),
        texts: ["绿化带内堆积生活垃圾", "绿化带内丢弃建筑垃圾"],
    },
    Category {
        name: "占道经营",
        small: true,
        supervision_days: 5,
        handler: 3,
        at_building: false,
        place: "农贸市场出入口",
        patrol: Some(1),
        texts: ["流动摊贩占用人行道经营", "店外摆摊占道经营"],
    },
];

/// Standard categories for routine events, urgent ones, small ones, and
/// those of escalated events left open (short deadlines, so overdue).
const ROUTINE: [usize; 5] = [0, 2, 3, 4, 6];
const URGENT: [usize; 2] = [1, 5];
const SMALL: [usize; 4] = [7, 8, 9, 10];
const OVERDUE: [usize; 2] = [3, 6];

/// A patrol item: name, kind, guidance, fixed point, and its frequencies
/// (the whole year's and one season's).
type Patrol = (
    &'static str,
    PatrolKind,
    &'static str,
    Option<&'static str>,
    [(Season, i32, PatrolPeriod); 2],
);

const PATROL: &[Patrol] = &[
    (
        "网格日常综合巡查",
        PatrolKind::Comprehensive,
        "道路、井盖、路灯、绿化、违章搭建、占道经营、楼道堆物",
        None,
        [
            (Season::AllYear, 1, PatrolPeriod::Day),
            (Season::Summer, 2, PatrolPeriod::Day),
        ],
    ),
    (
        "农贸市场周边定点巡查",
        PatrolKind::FixedPoint,
        "占道经营、垃圾清运、油烟排放",
        Some("农贸市场出入口"),
        [
            (Season::AllYear, 3, PatrolPeriod::Week),
            (Season::Winter, 2, PatrolPeriod::Week),
        ],
    ),
    (
        "学校周边定点巡查",
        PatrolKind::FixedPoint,
        "上下学时段交通秩序、流动摊贩、校园周边安全",
        Some("小学校门口"),
        [
            (Season::AllYear, 2, PatrolPeriod::Day),
            (Season::Summer, 1, PatrolPeriod::Week),
        ],
    ),
    (
        "沿湖防汛定点巡查",
        PatrolKind::FixedPoint,
        "堤岸、排水口、防汛警示标志",
        Some("湖堤沿线"),
        [
            (Season::AllYear, 1, PatrolPeriod::Week),
            (Season::Summer, 1, PatrolPeriod::Day),
        ],
    ),
];

/// The handlers of a subdistrict (after its name), each with one member.
const HANDLERS: &[(&str, EventHandlerKind)] = &[
    ("市政设施养护所", EventHandlerKind::Organisation),
    ("供水服务站", EventHandlerKind::Organisation),
    ("园林绿化所", EventHandlerKind::Organisation),
    ("综合整治队", EventHandlerKind::EnforcementTeam),
    ("应急管理办公室", EventHandlerKind::Department),
];

/// The department urgent events are fast-reported to, and the enforcement team.
const DEPARTMENT: usize = 4;
const ENFORCEMENT: usize = 3;

/// The stored catalogue of the district and the subdistrict's handlers.
#[derive(Default)]
pub(super) struct Catalogue {
    categories: Vec<i64>,
    patrol_items: Vec<i64>,
    pub(super) handlers: Vec<i64>,
}

/// Finds the district's catalogue, making what it lacks, and makes the
/// subdistrict's handlers.
pub(super) async fn catalogue(uow: &UnitOfWork<'_>, facts: &Facts) -> AppResult<Catalogue> {
    let d = facts.district_id;
    let db = uow.db();
    let mut out = Catalogue::default();
    let existing: HashMap<String, i64> = event_category::Entity::find()
        .filter(event_category::Column::DistrictId.eq(d))
        .all(db)
        .await?
        .into_iter()
        .map(|c| (c.name, c.id))
        .collect();
    for c in CATEGORIES {
        let id = match existing.get(c.name) {
            Some(id) => *id,
            None => {
                grid_events::create_category(
                    uow,
                    NewCategory {
                        district_id: d,
                        name: Name::parse(c.name, "name")?,
                        small: c.small,
                        supervision_days: c.supervision_days,
                    },
                )
                .await?
                .id
            }
        };
        out.categories.push(id);
    }
    let existing: HashMap<String, i64> = patrol_item::Entity::find()
        .filter(patrol_item::Column::DistrictId.eq(d))
        .all(db)
        .await?
        .into_iter()
        .map(|p| (p.name, p.id))
        .collect();
    for (name, kind, guidance, fixed, frequencies) in PATROL {
        let id = match existing.get(*name) {
            Some(id) => *id,
            None => {
                let item = grid_events::create_patrol_item(
                    uow,
                    NewPatrolItem {
                        district_id: d,
                        kind: *kind,
                        name: Name::parse(name, "name")?,
                        guidance: (*guidance).to_owned(),
                        fixed_place: fixed.map(|f| Name::parse(f, "fixed_place")).transpose()?,
                    },
                )
                .await?;
                for (season, times, period) in frequencies {
                    grid_events::set_frequency(uow, item.id, *season, *times, *period).await?;
                }
                item.id
            }
        };
        out.patrol_items.push(id);
    }
    for (name, kind) in HANDLERS {
        let h = grid_events::create_handler(
            uow,
            facts.subdistrict.id,
            Name::parse(&format!("{}{name}", facts.subdistrict.name), "name")?,
            *kind,
        )
        .await?;
        out.handlers.push(h.id);
    }
    Ok(out)
}

/// Where an event ends up.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Fate {
    /// Dispatched, rectified, the check passed.
    Closed,
    /// The first check failed, the second passed.
    FailedOnce,
    /// Urgent: fast-reported, dispatched, rectified, passed.
    Urgent,
    /// Four checks failed, escalated, then rectified and passed.
    EscalatedClosed,
    /// Four checks failed: under supervision, past its deadline.
    Supervised,
    /// Small: handled on the spot.
    OnSpot,
    /// Small: its party was told and fixed it.
    NotifiedFixed,
    /// Small: its party refused; the enforcement team rectified it.
    Enforced,
    /// Open: reported, not yet dispatched.
    Reported,
    /// Open: with its handler.
    Dispatched,
    /// Open: rectified, waiting for the reporter's check.
    Handled,
    /// Open, small: its party was told.
    Notified,
}

impl Fate {
    fn is_open(self) -> bool {
        matches!(
            self,
            Fate::Supervised | Fate::Reported | Fate::Dispatched | Fate::Handled | Fate::Notified
        )
    }

    fn is_small(self) -> bool {
        matches!(
            self,
            Fate::OnSpot | Fate::NotifiedFixed | Fate::Enforced | Fate::Notified
        )
    }
}

/// The fates in turn, event by event of a subdistrict: five in sixteen open.
const FATES: [Fate; 16] = [
    Fate::Closed,
    Fate::OnSpot,
    Fate::FailedOnce,
    Fate::Urgent,
    Fate::Dispatched,
    Fate::NotifiedFixed,
    Fate::Closed,
    Fate::EscalatedClosed,
    Fate::Reported,
    Fate::Enforced,
    Fate::Handled,
    Fate::OnSpot,
    Fate::Notified,
    Fate::Closed,
    Fate::Supervised,
    Fate::FailedOnce,
];

/// One move of an event.
#[derive(Debug, Clone, Copy)]
pub(super) enum Step {
    Report,
    Dispatch,
    Handle,
    Check(bool),
    OnSpot,
    Notify,
    Enforce,
}

/// One planned event.
pub(super) struct Event {
    grid_id: i64,
    category: usize,
    fate: Fate,
    building_id: Option<i64>,
    place: Option<String>,
    description: &'static str,
    /// The handler (in `HANDLERS`) it is dispatched or handed to.
    handler: usize,
}

const HANDLED: &[&str] = &[
    "已组织人员现场整改完毕",
    "已维修完毕并清理现场",
    "已处置到位,加强日常巡查",
];
const FAILED: &[&str] = &[
    "复查整改不到位,问题仍然存在",
    "现场复核未达到结案标准",
    "整改后问题反弹",
];

/// Plans the handlers' members, the grid workers' accounts and the events
/// of every grid; returns who reports in each grid (its grid worker, or
/// the admin where a grid has none).
pub(super) fn plan(
    plan: &mut Plan,
    facts: &Facts,
    place: &Place,
    activity: &Activity,
    rng: &mut Rng,
    end: DateTime<Utc>,
) -> HashMap<i64, Who> {
    let members: Vec<Who> = HANDLERS
        .iter()
        .enumerate()
        .map(|(h, (name, _))| {
            Who::Account(plan.actor(NewActor {
                username: username("handler", place, h + 1),
                display_name: format!("{}{name}工作人员", facts.subdistrict.name),
                person_id: None,
                grant: None,
                member_of: Some(h),
            }))
        })
        .collect();
    let mut reporters = HashMap::new();
    for (gi, g) in facts.grids.iter().enumerate() {
        let reporter = match facts.grid_workers.get(&g.id) {
            Some((person, name)) => Who::Account(plan.actor(NewActor {
                username: username("grid", place, gi + 1),
                display_name: name.clone(),
                person_id: Some(*person),
                grant: Some(GrantTarget {
                    role: Role::GridWorker,
                    unit_id: Some(g.id),
                }),
                member_of: None,
            })),
            None => Who::Admin,
        };
        reporters.insert(g.id, reporter);
        let buildings = facts.buildings_of_grid(g.id);
        for _ in 0..activity.events_per_grid {
            let n = plan.events.len();
            let fate = FATES[n % FATES.len()];
            let pool: &[usize] = match fate {
                Fate::Urgent => &URGENT,
                Fate::Supervised => &OVERDUE,
                f if f.is_small() => &SMALL,
                _ => &ROUTINE,
            };
            let category = *rng.pick(pool);
            let c = &CATEGORIES[category];
            let (building_id, described) = if c.at_building && !buildings.is_empty() {
                (Some(rng.pick(&buildings).id), None)
            } else {
                let words = if c.at_building { "辖区" } else { c.place };
                (None, Some(format!("{}{words}", g.name)))
            };
            let handler = if fate == Fate::Enforced {
                ENFORCEMENT
            } else {
                c.handler
            };
            plan.events.push(Event {
                grid_id: g.id,
                category,
                fate,
                building_id,
                place: described,
                description: rng.pick::<&str>(&c.texts),
                handler,
            });
            schedule(plan, rng, end, n, fate, reporter, members[handler]);
        }
    }
    reporters
}

/// Puts the acts of event `n` on the timeline: each move some minutes
/// after the one before, the last one before `end` by a margin that
/// leaves open events recent and closed ones spread over the months.
fn schedule(
    plan: &mut Plan,
    rng: &mut Rng,
    end: DateTime<Utc>,
    n: usize,
    fate: Fate,
    reporter: Who,
    handler: Who,
) {
    const HOUR: i64 = 60;
    const DAY: i64 = 24 * HOUR;
    // (minutes after the report, who, step), in order.
    let mut steps: Vec<(i64, Who, Step)> = vec![(0, reporter, Step::Report)];
    let mut t = 0;
    let mut next = |steps: &mut Vec<(i64, Who, Step)>, lo: i64, hi: i64, who: Who, s: Step| {
        t += rng.range(lo, hi);
        steps.push((t, who, s));
    };
    match fate {
        Fate::Closed => {
            next(&mut steps, 2 * HOUR, 6 * HOUR, Who::Admin, Step::Dispatch);
            next(&mut steps, DAY, 3 * DAY, handler, Step::Handle);
            next(&mut steps, 4 * HOUR, 12 * HOUR, reporter, Step::Check(true));
        }
        Fate::FailedOnce => {
            next(&mut steps, 2 * HOUR, 6 * HOUR, Who::Admin, Step::Dispatch);
            next(&mut steps, DAY, 2 * DAY, handler, Step::Handle);
            next(
                &mut steps,
                4 * HOUR,
                10 * HOUR,
                reporter,
                Step::Check(false),
            );
            next(&mut steps, DAY, 2 * DAY, handler, Step::Handle);
            next(&mut steps, 4 * HOUR, 10 * HOUR, reporter, Step::Check(true));
        }
        Fate::Urgent => {
            next(&mut steps, 30, 90, Who::Admin, Step::Dispatch);
            next(&mut steps, 4 * HOUR, 10 * HOUR, handler, Step::Handle);
            next(&mut steps, 2 * HOUR, 6 * HOUR, reporter, Step::Check(true));
        }
        Fate::EscalatedClosed | Fate::Supervised => {
            next(&mut steps, 2 * HOUR, 4 * HOUR, Who::Admin, Step::Dispatch);
            // The fourth failed check escalates it (督办).
            for _ in 0..4 {
                next(&mut steps, DAY, 2 * DAY, handler, Step::Handle);
                next(
                    &mut steps,
                    4 * HOUR,
                    10 * HOUR,
                    reporter,
                    Step::Check(false),
                );
            }
            if fate == Fate::EscalatedClosed {
                next(&mut steps, 2 * DAY, 3 * DAY, handler, Step::Handle);
                next(&mut steps, 4 * HOUR, 10 * HOUR, reporter, Step::Check(true));
            }
        }
        Fate::OnSpot => next(&mut steps, 10, 40, reporter, Step::OnSpot),
        Fate::NotifiedFixed => {
            next(&mut steps, 10, 40, reporter, Step::Notify);
            next(&mut steps, DAY, 3 * DAY, reporter, Step::Check(true));
        }
        Fate::Enforced => {
            next(&mut steps, 10, 40, reporter, Step::Notify);
            next(&mut steps, 2 * DAY, 3 * DAY, reporter, Step::Enforce);
            next(&mut steps, DAY, 2 * DAY, handler, Step::Handle);
            next(&mut steps, 4 * HOUR, 10 * HOUR, reporter, Step::Check(true));
        }
        Fate::Reported => {}
        Fate::Dispatched => next(&mut steps, HOUR, 4 * HOUR, Who::Admin, Step::Dispatch),
        Fate::Handled => {
            next(&mut steps, HOUR, 4 * HOUR, Who::Admin, Step::Dispatch);
            next(&mut steps, 10 * HOUR, DAY, handler, Step::Handle);
        }
        Fate::Notified => next(&mut steps, 10, 40, reporter, Step::Notify),
    }
    let last = steps.last().map(|s| s.0).unwrap_or(0);
    let margin = match fate {
        Fate::Reported => rng.range(HOUR, 2 * DAY),
        Fate::Dispatched | Fate::Notified => rng.range(HOUR, 3 * DAY),
        Fate::Handled => rng.range(HOUR, 2 * DAY),
        // Escalated long enough ago for its deadline to have passed.
        Fate::Supervised => rng.range(8 * DAY, 20 * DAY),
        _ => rng.range(HOUR, 150 * DAY),
    };
    let reported = end - Duration::minutes(last + margin);
    for (minutes, who, step) in steps {
        plan.act(after(reported, minutes), who, What::Event(n, step));
    }
}

/// Counts what the plan leaves open and under supervision.
pub(super) fn count(plan: &Plan, written: &mut Written) {
    for e in &plan.events {
        written.open_events += usize::from(e.fate.is_open());
        written.supervisions +=
            usize::from(matches!(e.fate, Fate::EscalatedClosed | Fate::Supervised));
    }
}

/// Runs `step` of event `n`.
pub(super) async fn run(
    uow: &UnitOfWork<'_>,
    plan: &Plan,
    stored: &mut Stored,
    written: &mut Written,
    n: usize,
    step: &Step,
) -> AppResult<()> {
    let e = &plan.events[n];
    let c = &CATEGORIES[e.category];
    let catalogue = &stored.catalogue;
    if let Step::Report = step {
        let urgent = e.fate == Fate::Urgent;
        let m = grid_events::report(
            uow,
            NewEvent {
                grid_id: e.grid_id,
                category_id: catalogue.categories[e.category],
                place: EventPlace {
                    building_id: e.building_id,
                    dwelling_id: None,
                    described: e.place.clone(),
                },
                urgency: if urgent {
                    EventUrgency::Urgent
                } else {
                    EventUrgency::Normal
                },
                description: e.description.to_owned(),
                patrol_item_id: c.patrol.map(|p| catalogue.patrol_items[p]),
                fast_report_to: urgent.then(|| catalogue.handlers[DEPARTMENT]),
                photo_ids: Vec::new(),
            },
        )
        .await?;
        stored.events[n] = Some(m.id);
        written.events += 1;
        return Ok(());
    }
    let id = stored.events[n]
        .ok_or_else(|| AppError::Internal("an event's move before its report".into()))?;
    let handler = catalogue.handlers[e.handler];
    match step {
        Step::Report => {}
        Step::Dispatch => {
            grid_events::dispatch(uow, id, handler, "请按时限处置并反馈").await?;
        }
        Step::Handle => {
            let note = HANDLED[n % HANDLED.len()];
            grid_events::handle(uow, id, note, &[]).await?;
        }
        Step::Check(true) => {
            grid_events::check(uow, id, true, "复查已整改到位,同意结案", &[]).await?;
        }
        Step::Check(false) => {
            let note = FAILED[n % FAILED.len()];
            grid_events::check(uow, id, false, note, &[]).await?;
        }
        Step::OnSpot => {
            grid_events::handle_on_spot(uow, id, "现场劝导并当场处置完毕", &[]).await?;
        }
        Step::Notify => {
            let party = if e.building_id.is_some() {
                "小区物业服务中心"
            } else {
                "沿街商户"
            };
            grid_events::notify_party(
                uow,
                id,
                Name::parse(party, "party")?,
                "已告知责任方限期整改",
            )
            .await?;
        }
        Step::Enforce => {
            grid_events::hand_to_enforcement(uow, id, handler, "责任方拒不整改,移交综合整治队")
                .await?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_catalogue_refers_only_to_its_own_items_and_handlers() {
        for c in CATEGORIES {
            assert!(c.handler < HANDLERS.len(), "{}", c.name);
            assert!(c.patrol.is_none_or(|p| p < PATROL.len()), "{}", c.name);
        }
        for pool in [&ROUTINE[..], &URGENT, &SMALL, &OVERDUE] {
            assert!(pool.iter().all(|c| *c < CATEGORIES.len()));
        }
        assert!(SMALL.iter().all(|c| CATEGORIES[*c].small));
        assert!(ROUTINE.iter().chain(&URGENT).all(|c| !CATEGORIES[*c].small));
        assert_eq!(HANDLERS[DEPARTMENT].1, EventHandlerKind::Department);
        assert_eq!(HANDLERS[ENFORCEMENT].1, EventHandlerKind::EnforcementTeam);
        // Escalated events left open are past their deadline (8 days at least).
        assert!(OVERDUE.iter().all(|c| CATEGORIES[*c].supervision_days < 8));
    }
}
