//! The demo subdistrict loaded by `--demo`: one subdistrict (东湖街道)
//! modelled on the seed figures of DOMAIN.md, so that frontend teams can
//! work against realistic data from the first day.
//!
//! The content is generated, not shipped: a seeded PRNG makes every load
//! produce the same names, sizes and appointments. Dates are offsets from
//! the day of loading, so committees, contracts and chiefs are current
//! whenever the demo is loaded.
//!
//! Rows are written with bulk inserts inside one transaction, so a failure
//! leaves nothing half-loaded. Bulk inserts report only the last id, so the
//! generator assigns ids itself, continuing each table's current maximum;
//! on PostgreSQL the identity sequences are then moved past them, or the
//! next ordinary insert would collide.
//!
//! The data respects every rule the domain enforces, because the API will
//! be used on it: one active branch, committee and contract per compound,
//! one secretary and one chair, committee members who own a dwelling in the
//! compound, terms of at most five years, one holder per chief position and
//! non-overlapping floor ranges.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Datelike, Duration, Months, NaiveDate, Utc};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ConnectionTrait, DatabaseConnection, DatabaseTransaction,
    DbBackend, EntityName, EntityTrait, IntoActiveModel, Iterable, PaginatorTrait, Statement,
    TransactionTrait,
};

use crate::domain::access::Scope;
use crate::domain::accounts::{grant_row, hash_password_async, level_grant};
use crate::domain::clock::Clock;
use crate::domain::kinds::{
    BranchRole, BuildingKind, ChainVariant, ChiefLevel, CommitteeRole, CompoundKind,
    ContractStatus, Duty, MeetingParty, PartyBranchKind, ResidencyKind, Role,
};
use crate::entity::{
    account, audit_record, building, chief_appointment, committee_member, community, compound,
    dwelling, entrance, grid, joint_meeting, joint_meeting_attendee, joint_meeting_resolution,
    owners_committee, ownership, party_branch, party_branch_member, person, property_company,
    property_contract, residency, subdistrict,
};
use crate::startup::StartupError;

/// The password of every demo account.
pub const DEMO_PASSWORD: &str = "demo-password-2026";

/// The name of the demo subdistrict.
pub const SUBDISTRICT_NAME: &str = "东湖街道";

/// Bound parameters per bulk insert. Far below SQLite's and PostgreSQL's
/// limits; it is this small for PostgreSQL over TCP, where a statement
/// whose bound values exceed about 16 KB stalls some 40 ms with both ends
/// idle (sqlx does not set TCP_NODELAY: apparently Nagle's algorithm
/// meeting the server's delayed ACK). Measured: the full demo took 18 s in
/// 500-row chunks over TCP, under 4 s over a Unix socket or in chunks of
/// this size.
const PARAMS_PER_CHUNK: usize = 900;

/// Seed of the generator: fixed, so every load produces the same demo.
const SEED: u64 = 0x00D0_6E57_2026;

/// How much of the demo subdistrict to generate. `FULL` follows DOMAIN.md's
/// seed figures; tests use `SMALL`, which keeps every kind of thing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Scale {
    /// Communities (社区); each gets one area chief and one community chief.
    pub communities: usize,
    /// Grids, spread over the communities; each gets a grid chief and a grid worker.
    pub grids: usize,
    /// Apartment buildings, each with one building chief.
    pub apartment_buildings: usize,
    /// Floor chiefs, spread over the apartment buildings (2–3 floors each).
    pub floor_chiefs: usize,
    /// Alleys of the bungalow areas, each with one alley chief.
    pub alleys: usize,
    /// Courtyards of the bungalow areas, each with one courtyard chief.
    pub courtyards: usize,
    /// Shop blocks of the commercial streets (about ten shops each), each with one shop chief.
    pub shop_blocks: usize,
    /// People living in the dwellings (owners, family members, tenants).
    pub residents: usize,
}

impl Scale {
    /// DOMAIN.md's seed figures for one subdistrict.
    pub const FULL: Scale = Scale {
        communities: 7,
        grids: 64,
        apartment_buildings: 181,
        floor_chiefs: 562,
        alleys: 520,
        courtyards: 2_765,
        shop_blocks: 24,
        residents: 57_125,
    };

    /// A small demo that still has every compound kind and every chief level.
    pub const SMALL: Scale = Scale {
        communities: 2,
        grids: 4,
        apartment_buildings: 6,
        floor_chiefs: 18,
        alleys: 4,
        courtyards: 12,
        shop_blocks: 2,
        residents: 400,
    };

    /// Refuses scales that cannot hold every kind of compound and chief.
    fn check(&self) -> Result<(), String> {
        let problems = [
            (self.communities == 0, "at least one community"),
            (
                self.grids < self.communities,
                "at least one grid per community",
            ),
            (
                self.apartment_buildings < 3,
                "at least three apartment buildings (one per apartment compound kind)",
            ),
            (
                self.floor_chiefs < self.apartment_buildings,
                "at least one floor chief per apartment building",
            ),
            (
                self.floor_chiefs > self.apartment_buildings * 60,
                "at most 60 floor chiefs per apartment building (a building has at most 200 floors)",
            ),
            (self.alleys == 0, "at least one alley"),
            (
                self.courtyards < self.alleys,
                "at least one courtyard per alley",
            ),
            (self.shop_blocks == 0, "at least one shop block"),
        ];
        match problems.iter().find(|(bad, _)| *bad) {
            Some((_, need)) => Err(format!("demo scale needs {need}")),
            None => Ok(()),
        }
    }
}

/// Loads the full demo once; `None` when the database already holds a
/// subdistrict or an account, in which case nothing is touched.
pub async fn load(db: &DatabaseConnection) -> Result<Option<String>, StartupError> {
    load_scaled(db, Scale::FULL).await
}

/// Loads the demo at `scale` once, in one transaction; returns a one-line
/// summary of what was loaded, or `None` when the database already holds a
/// subdistrict or an account.
pub async fn load_scaled(
    db: &DatabaseConnection,
    scale: Scale,
) -> Result<Option<String>, StartupError> {
    scale.check()?;
    if holds_data(db).await? {
        return Ok(None);
    }
    // Hashing is deliberately slow: once for all accounts, on the blocking
    // pool, and outside the transaction so the database is not held while it runs.
    let password_hash = hash_password_async(DEMO_PASSWORD.to_owned())
        .await
        .map_err(|e| format!("cannot hash the demo password: {}", e.public_message()))?;
    let txn = db.begin().await?;
    // Loaders started together must not both load: each takes the write
    // lock first, so the later one waits and then finds the demo there.
    // (SQLite would otherwise refuse to upgrade the later one's read lock.)
    match txn.get_database_backend() {
        DbBackend::Postgres => {
            txn.execute_unprepared("SELECT pg_advisory_xact_lock(7201120261122)")
                .await?;
        }
        DbBackend::Sqlite => {
            txn.execute_unprepared("UPDATE subdistrict SET name = name WHERE id < 0")
                .await?;
        }
        _ => {}
    }
    // Checked again inside the transaction: another instance may have
    // loaded the demo since the first look.
    if holds_data(&txn).await? {
        txn.rollback().await?;
        return Ok(None);
    }
    let bases = Bases::read(&txn).await?;
    let clock = Clock::system();
    let demo = generate(scale, clock.today(), clock.now(), bases);
    let summary = demo.summary();
    write(&txn, demo, &password_hash).await?;
    txn.commit().await?;
    Ok(Some(summary))
}

/// Whether the database already holds a subdistrict or an account.
async fn holds_data(db: &impl ConnectionTrait) -> Result<bool, StartupError> {
    Ok(subdistrict::Entity::find().count(db).await? > 0
        || account::Entity::find().count(db).await? > 0)
}

/// Declares `Bases`, the first free id of every bulk-filled table, in the
/// order the tables are written (parents before children).
macro_rules! bases {
    ($($table:ident),+ $(,)?) => {
        /// The first free id of every table the demo fills in bulk.
        #[derive(Debug, Clone, Copy)]
        struct Bases {
            $(
                #[doc = concat!("First free id of `", stringify!($table), "`.")]
                $table: i64,
            )+
        }

        impl Bases {
            /// The names of the tables, parents first.
            const TABLES: &'static [&'static str] = &[$(stringify!($table)),+];

            /// Reads each table's maximum id.
            async fn read(db: &impl ConnectionTrait) -> Result<Self, sea_orm::DbErr> {
                Ok(Self { $($table: max_id(db, stringify!($table)).await? + 1,)+ })
            }

            /// Ids from 1 in every table, for generating without a database.
            #[cfg(test)]
            fn empty() -> Self {
                Self { $($table: 1,)+ }
            }
        }
    };
}

bases!(
    subdistrict,
    community,
    grid,
    compound,
    building,
    entrance,
    dwelling,
    person,
    residency,
    ownership,
    party_branch,
    party_branch_member,
    owners_committee,
    committee_member,
    property_company,
    property_contract,
    joint_meeting,
    joint_meeting_attendee,
    joint_meeting_resolution,
    chief_appointment,
);

/// The largest id in `table`, 0 when it is empty. `table` is one of our
/// own constant names, never input.
async fn max_id(db: &impl ConnectionTrait, table: &str) -> Result<i64, sea_orm::DbErr> {
    let backend = db.get_database_backend();
    let row = db
        .query_one_raw(Statement::from_string(
            backend,
            format!("SELECT MAX(id) AS m FROM {table}"),
        ))
        .await?;
    Ok(match row {
        Some(r) => r.try_get::<Option<i64>>("", "m")?.unwrap_or(0),
        None => 0,
    })
}

/// Writes every generated row, the demo accounts and the audit record.
async fn write(
    txn: &DatabaseTransaction,
    demo: Demo,
    password_hash: &str,
) -> Result<(), StartupError> {
    let after = demo.audit_json();
    let links = demo.links;
    let subdistrict_id = demo.subdistrict.id;
    insert_all(txn, vec![demo.subdistrict]).await?;
    insert_all(txn, demo.communities).await?;
    insert_all(txn, demo.grids).await?;
    insert_all(txn, demo.compounds).await?;
    insert_all(txn, demo.buildings).await?;
    insert_all(txn, demo.entrances).await?;
    insert_all(txn, demo.dwellings).await?;
    insert_all(txn, demo.persons).await?;
    insert_all(txn, demo.residencies).await?;
    insert_all(txn, demo.ownerships).await?;
    insert_all(txn, demo.branches).await?;
    insert_all(txn, demo.branch_members).await?;
    insert_all(txn, demo.committees).await?;
    insert_all(txn, demo.committee_members).await?;
    insert_all(txn, demo.companies).await?;
    insert_all(txn, demo.contracts).await?;
    insert_all(txn, demo.meetings).await?;
    insert_all(txn, demo.attendees).await?;
    insert_all(txn, demo.resolutions).await?;
    insert_all(txn, demo.chiefs).await?;
    if txn.get_database_backend() == DbBackend::Postgres {
        for table in Bases::TABLES {
            txn.execute_unprepared(&format!(
                "SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT MAX(id) FROM {table}))"
            ))
            .await?;
        }
    }
    write_accounts(txn, &links, password_hash).await?;
    audit_record::ActiveModel {
        account_id: Set(None),
        operation: Set("loadDemo".into()),
        entity_type: Set("Subdistrict".into()),
        entity_id: Set(subdistrict_id),
        community_id: Set(None),
        compound_id: Set(None),
        before_json: Set(None),
        after_json: Set(Some(after)),
        at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(txn)
    .await?;
    Ok(())
}

/// Inserts `models` with their ids, a chunk at a time.
async fn insert_all<M, A>(txn: &DatabaseTransaction, models: Vec<M>) -> Result<(), sea_orm::DbErr>
where
    M: IntoActiveModel<A>,
    A: ActiveModelTrait + Send,
{
    let started = std::time::Instant::now();
    let count = models.len();
    let columns = <A::Entity as EntityTrait>::Column::iter().count();
    let per_chunk = (PARAMS_PER_CHUNK / columns.max(1)).max(1);
    let mut rows = models
        .into_iter()
        // A model converts to an active model of unchanged values, which an
        // insert would leave out; reset marks every column, the id included, as set.
        .map(|m| m.into_active_model().reset_all())
        .peekable();
    while rows.peek().is_some() {
        let chunk: Vec<A> = rows.by_ref().take(per_chunk).collect();
        A::Entity::insert_many(chunk)
            .exec_without_returning(txn)
            .await?;
    }
    tracing::debug!(
        table = A::Entity::default().table_name(),
        rows = count,
        ms = started.elapsed().as_millis() as u64,
        "demo rows written"
    );
    Ok(())
}

/// The demo accounts, one per role, each with its grant.
async fn write_accounts(
    txn: &DatabaseTransaction,
    links: &Links,
    password_hash: &str,
) -> Result<(), StartupError> {
    let compound = Scope {
        compound_id: Some(links.compound_id),
        ..Scope::GLOBAL
    };
    let accounts: [(&str, String, Option<i64>, Role, Scope); 8] = [
        (
            "admin",
            "平台管理员".into(),
            None,
            Role::PlatformAdmin,
            Scope::GLOBAL,
        ),
        (
            "subdistrict",
            format!("{SUBDISTRICT_NAME}工作人员"),
            None,
            Role::SubdistrictStaff,
            Scope {
                subdistrict_id: Some(links.subdistrict_id),
                ..Scope::GLOBAL
            },
        ),
        (
            "community",
            format!("{}工作人员", links.community_name),
            None,
            Role::CommunityStaff,
            Scope {
                community_id: Some(links.community_id),
                ..Scope::GLOBAL
            },
        ),
        (
            "secretary",
            links.secretary.1.clone(),
            Some(links.secretary.0),
            Role::BranchSecretary,
            compound,
        ),
        (
            "committee",
            links.committee.1.clone(),
            Some(links.committee.0),
            Role::CommitteeMember,
            compound,
        ),
        (
            "property",
            links.property.1.clone(),
            Some(links.property.0),
            Role::PropertyManager,
            compound,
        ),
        (
            "resident",
            links.resident.1.clone(),
            Some(links.resident.0),
            Role::Resident,
            Scope {
                dwelling_id: Some(links.resident_dwelling_id),
                ..Scope::GLOBAL
            },
        ),
        (
            "evaluator",
            "评审专家".into(),
            None,
            Role::Evaluator,
            Scope::GLOBAL,
        ),
    ];
    for (username, display_name, person_id, role, scope) in accounts {
        let acc = account::ActiveModel {
            username: Set(username.into()),
            password_hash: Set(password_hash.into()),
            display_name: Set(display_name),
            person_id: Set(person_id),
            disabled: Set(false),
            created_at: Set(Utc::now()),
            ..Default::default()
        }
        .insert(txn)
        .await?;
        grant_row(acc.id, &level_grant(role, &scope), Utc::now())
            .insert(txn)
            .await?;
    }
    Ok(())
}

/// What the demo accounts are tied to: ids with the linked person's name.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct Links {
    /// The subdistrict (for `subdistrict`).
    subdistrict_id: i64,
    /// The first community (for `community`).
    community_id: i64,
    /// Its name, for the account's display name.
    community_name: String,
    /// The first commodity-housing compound (for `secretary`, `committee`, `property`).
    compound_id: i64,
    /// Its branch secretary.
    secretary: (i64, String),
    /// A member of its owners' committee (not the secretary).
    committee: (i64, String),
    /// Its property company's project manager.
    property: (i64, String),
    /// An owner living in one of its dwellings.
    resident: (i64, String),
    /// That dwelling.
    resident_dwelling_id: i64,
}

/// Every generated row, ids assigned, plus what the accounts link to.
#[derive(Debug, Clone, PartialEq)]
struct Demo {
    /// The subdistrict.
    subdistrict: subdistrict::Model,
    /// Its communities.
    communities: Vec<community::Model>,
    /// Their grids.
    grids: Vec<grid::Model>,
    /// Compounds, bungalow areas and commercial streets.
    compounds: Vec<compound::Model>,
    /// Apartment buildings, courtyards and shop blocks.
    buildings: Vec<building::Model>,
    /// Entrances of the apartment buildings.
    entrances: Vec<entrance::Model>,
    /// Dwellings and shops.
    dwellings: Vec<dwelling::Model>,
    /// Everyone: residents, owners, chiefs, staff.
    persons: Vec<person::Model>,
    /// Who lives where.
    residencies: Vec<residency::Model>,
    /// Who owns what.
    ownerships: Vec<ownership::Model>,
    /// Party branches.
    branches: Vec<party_branch::Model>,
    /// Their members.
    branch_members: Vec<party_branch_member::Model>,
    /// Owners' committees.
    committees: Vec<owners_committee::Model>,
    /// Their members.
    committee_members: Vec<committee_member::Model>,
    /// Property companies.
    companies: Vec<property_company::Model>,
    /// Their contracts.
    contracts: Vec<property_contract::Model>,
    /// Joint meetings of the three parties.
    meetings: Vec<joint_meeting::Model>,
    /// Their attendance.
    attendees: Vec<joint_meeting_attendee::Model>,
    /// Their resolutions.
    resolutions: Vec<joint_meeting_resolution::Model>,
    /// The chain of chiefs.
    chiefs: Vec<chief_appointment::Model>,
    /// How many people live in a dwelling.
    residents: usize,
    /// What the demo accounts are tied to.
    links: Links,
}

impl Demo {
    /// The one-line count of what is loaded.
    fn summary(&self) -> String {
        let count = |level: ChiefLevel| self.chiefs.iter().filter(|c| c.level == level).count();
        format!(
            "{}: {} communities, {} grids, {} compounds, {} buildings, {} entrances, {} dwellings, \
             {} persons ({} residents), {} residencies, {} ownerships, {} party branches ({} members), \
             {} owners' committees ({} members), {} property companies ({} contracts), \
             {} joint meetings, {} chief appointments ({} area, {} community, {} grid chiefs, \
             {} grid workers, {} building, {} floor, {} alley, {} courtyard, {} market supervisors, \
             {} shop chiefs), 8 accounts",
            self.subdistrict.name,
            self.communities.len(),
            self.grids.len(),
            self.compounds.len(),
            self.buildings.len(),
            self.entrances.len(),
            self.dwellings.len(),
            self.persons.len(),
            self.residents,
            self.residencies.len(),
            self.ownerships.len(),
            self.branches.len(),
            self.branch_members.len(),
            self.committees.len(),
            self.committee_members.len(),
            self.companies.len(),
            self.contracts.len(),
            self.meetings.len(),
            self.chiefs.len(),
            count(ChiefLevel::AreaChief),
            count(ChiefLevel::CommunityChief),
            count(ChiefLevel::GridChief),
            count(ChiefLevel::GridWorker),
            count(ChiefLevel::BuildingChief),
            count(ChiefLevel::FloorChief),
            count(ChiefLevel::AlleyChief),
            count(ChiefLevel::CourtyardChief),
            count(ChiefLevel::MarketSupervisor),
            count(ChiefLevel::ShopChief),
        )
    }

    /// The audit record's "after": the counts, not the rows.
    fn audit_json(&self) -> String {
        serde_json::json!({
            "subdistrict": self.subdistrict.name,
            "communities": self.communities.len(),
            "grids": self.grids.len(),
            "compounds": self.compounds.len(),
            "buildings": self.buildings.len(),
            "dwellings": self.dwellings.len(),
            "persons": self.persons.len(),
            "residents": self.residents,
            "partyBranches": self.branches.len(),
            "ownersCommittees": self.committees.len(),
            "propertyContracts": self.contracts.len(),
            "jointMeetings": self.meetings.len(),
            "chiefAppointments": self.chiefs.len(),
            "accounts": 8,
        })
        .to_string()
    }
}

/// splitmix64: tiny, fast, and plenty for plausible names and sizes.
struct Rng(u64);

impl Rng {
    /// The next 64 random bits.
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `lo..=hi`.
    fn range(&mut self, lo: i64, hi: i64) -> i64 {
        if hi <= lo {
            return lo;
        }
        lo + (self.next() % (hi - lo + 1) as u64) as i64
    }

    /// An index below `n` (which must not be 0).
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    /// True `percent` times in a hundred.
    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }

    /// One item of a non-empty slice.
    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

/// Common surnames, the most frequent first (they are drawn more often).
const SURNAMES: &[&str] = &[
    "王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱", "胡", "郭",
    "何", "高", "林", "罗", "郑", "梁", "谢", "宋", "唐", "许", "韩", "冯", "邓", "曹", "彭", "曾",
    "肖", "田", "董", "袁", "潘", "于", "蒋", "蔡", "余", "杜", "叶", "程", "苏", "魏", "吕", "丁",
    "任", "沈", "姚", "卢", "姜", "崔", "钟", "谭", "陆", "汪", "范", "金", "石", "廖", "贾", "夏",
    "韦", "付", "方", "白", "邹", "孟", "熊", "秦", "邱", "江", "尹", "薛", "段", "雷", "侯", "龙",
];

/// Characters of men's given names.
const MALE_CHARS: &[&str] = &[
    "伟", "强", "磊", "军", "勇", "杰", "涛", "明", "超", "辉", "华", "平", "刚", "斌", "鹏", "飞",
    "宇", "浩", "俊", "峰", "建", "国", "志", "文", "海", "波", "东", "林", "成", "龙", "晨", "博",
    "轩", "子", "豪", "凯", "旭", "鑫", "亮", "健", "德", "荣", "永", "庆", "立", "新",
];

/// Characters of women's given names.
const FEMALE_CHARS: &[&str] = &[
    "芳", "娜", "敏", "静", "丽", "艳", "娟", "霞", "燕", "玲", "婷", "雪", "慧", "莉", "萍", "红",
    "琳", "颖", "倩", "洁", "佳", "欣", "怡", "梅", "兰", "月", "秀", "英", "桂", "珍", "晶", "蕾",
    "璐", "瑶", "琪", "彤", "媛", "悦", "诗", "雨", "凤", "云",
];

/// Community names.
const COMMUNITY_NAMES: &[&str] = &[
    "翠苑社区",
    "东湖社区",
    "桃园社区",
    "新华社区",
    "团结社区",
    "幸福社区",
    "锦绣社区",
    "和平社区",
    "光明社区",
    "青山社区",
];

/// Commodity-housing compound names.
const COMMODITY_NAMES: &[&str] = &[
    "翠苑一区",
    "金色家园",
    "东湖名苑",
    "锦绣华庭",
    "阳光新城",
    "滨湖花园",
    "书香雅苑",
    "御景湾",
    "东湖春晓",
    "天悦府",
];

/// Old compound names: former work units' housing.
const OLD_NAMES: &[&str] = &[
    "纺织厂宿舍",
    "机床厂小区",
    "粮食局家属院",
    "铁路新村",
    "水电宿舍",
    "邮电小区",
    "供销社宿舍",
    "园林局小区",
];

/// Village-to-residence compound names.
const VILLAGE_NAMES: &[&str] = &[
    "桃园村还建小区",
    "东村还建小区",
    "李家墩还建小区",
    "张家湾还建小区",
    "王家店还建小区",
    "刘湾还建小区",
];

/// Bungalow area names.
const BUNGALOW_NAMES: &[&str] = &[
    "团结路平房片区",
    "老城平房片区",
    "解放巷平房片区",
    "胜利街平房片区",
    "文化路平房片区",
    "北门平房片区",
    "南关平房片区",
    "河滨平房片区",
    "东关平房片区",
    "西城平房片区",
    "红旗平房片区",
    "建设路平房片区",
];

/// Commercial street names.
const COMMERCIAL_NAMES: &[&str] = &[
    "东湖商业步行街",
    "美食街商区",
    "建材市场商区",
    "夜市商区",
    "五金街商区",
];

/// Words alley names are made of ("团结一巷").
const ALLEY_WORDS: &[&str] = &[
    "团结", "幸福", "和平", "友谊", "光明", "胜利", "建设", "民主", "向阳", "红星", "文化", "育才",
    "兴隆", "永安", "富强", "安康", "长寿", "吉祥", "如意", "春风",
];

/// Roads for compound addresses.
const ROADS: &[&str] = &[
    "东湖路",
    "中北路",
    "八一路",
    "珞喻路",
    "武珞路",
    "徐东大街",
    "团结大道",
    "和平大道",
];

/// Pioneer posts party members hold (党员先锋岗).
const PIONEER_POSTS: &[&str] = &[
    "党员先锋岗·楼道管家",
    "党员先锋岗·邻里调解",
    "党员先锋岗·政策宣讲",
    "党员先锋岗·助老服务",
    "党员先锋岗·垃圾分类督导",
    "党员先锋岗·安全巡查",
    "党员先锋岗·文明劝导",
];

/// Property companies: name, own party organisation (红色物业), star rating.
const COMPANIES: &[(&str, Option<&str>, i32)] = &[
    (
        "东湖物业服务有限公司",
        Some("东湖物业服务有限公司党支部"),
        5,
    ),
    (
        "湖城物业管理有限公司",
        Some("湖城物业管理有限公司党总支"),
        4,
    ),
    ("安居物业服务有限公司", None, 3),
    (
        "锦华物业服务有限公司",
        Some("锦华物业服务有限公司党支部"),
        4,
    ),
    ("恒信物业管理有限公司", None, 2),
    ("惠民商业运营管理有限公司", None, 3),
];

/// Chinese numerals for ordinal names ("第十二网格").
fn chinese_number(n: usize) -> String {
    const DIGITS: [&str; 10] = ["零", "一", "二", "三", "四", "五", "六", "七", "八", "九"];
    match n {
        0..=9 => DIGITS[n].to_owned(),
        10..=19 => format!("十{}", if n == 10 { "" } else { DIGITS[n % 10] }),
        20..=99 => format!(
            "{}十{}",
            DIGITS[n / 10],
            if n.is_multiple_of(10) {
                ""
            } else {
                DIGITS[n % 10]
            }
        ),
        _ => n.to_string(),
    }
}

/// The `i`-th name of a list, with a phase suffix once the list runs out.
fn nth_name(list: &[&str], i: usize) -> String {
    let base = list[i % list.len()];
    match i / list.len() {
        0 => base.to_owned(),
        round => format!("{base}{}期", chinese_number(round + 1)),
    }
}

/// `total` split into `parts` nearly equal shares.
fn split_even(total: usize, parts: usize) -> Vec<usize> {
    (0..parts)
        .map(|i| (i + 1) * total / parts - i * total / parts)
        .collect()
}

/// `total` split into `parts` shares that vary by up to `jitter` while
/// keeping the sum and every share at least `min` (when the even share is).
fn split_varied(rng: &mut Rng, total: usize, parts: usize, min: usize, jitter: i64) -> Vec<usize> {
    let mut shares = split_even(total, parts);
    for i in (0..parts.saturating_sub(1)).step_by(2) {
        let d = rng.range(-jitter, jitter);
        let (a, b) = (shares[i] as i64 + d, shares[i + 1] as i64 - d);
        if a >= min as i64 && b >= min as i64 {
            shares[i] = a as usize;
            shares[i + 1] = b as usize;
        }
    }
    shares
}

/// A person's sex, which picks the given name and the identity number's parity.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Sex {
    /// Male.
    Male,
    /// Female.
    Female,
}

impl Sex {
    /// The other sex.
    fn other(self) -> Self {
        match self {
            Self::Male => Self::Female,
            Self::Female => Self::Male,
        }
    }
}

/// What a generated person looks like, before they get an id.
struct Looks {
    /// Their community.
    community: usize,
    /// Sex.
    sex: Sex,
    /// Age in years on the anchor day.
    age: i64,
    /// The family's surname, or `None` for a new one.
    surname: Option<String>,
}

/// How a dwelling is used.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Occupancy {
    /// The developer's, unsold: no owner, nobody living there.
    DeveloperHeld,
    /// Owned, nobody living there.
    Vacant,
    /// Owned by a landlord, tenants living there.
    Rented,
    /// The owner lives there with their family.
    OwnerOccupied,
}

/// What the generator remembers about a compound.
#[derive(Debug, Clone, Default)]
struct CompoundInfo {
    /// Index of its community.
    community: usize,
    /// Its buildings.
    buildings: Vec<usize>,
    /// Alley names (bungalow areas), unique within the area.
    alleys: Vec<String>,
    /// Whether it has an owners' committee.
    has_committee: bool,
    /// Whether its branch secretary chairs the committee (交叉任职).
    secretary_chairs: bool,
    /// Owners and the day they became owners, each once.
    owners: Vec<(usize, NaiveDate)>,
    /// Owners who live in the compound, with the day they became owners.
    resident_owners: Vec<(usize, NaiveDate)>,
    /// Adults living in the compound.
    adults: Vec<usize>,
    /// The branch secretary, once chosen.
    secretary: Option<usize>,
    /// Branch members, once chosen.
    branch_members: Vec<usize>,
    /// Committee members with their roles, once elected.
    committee: Vec<(usize, CommitteeRole)>,
    /// The property company's project manager, while it has an active contract.
    manager: Option<usize>,
}

/// What the generator remembers about a building.
#[derive(Debug, Clone, Default)]
struct BuildingInfo {
    /// Index of its compound.
    compound: usize,
    /// Floor ranges of its floor chiefs (apartment buildings).
    floor_ranges: Vec<(i32, i32)>,
    /// Index of its alley in its compound's alley list (courtyards).
    alley: Option<usize>,
    /// Its dwellings.
    dwellings: Vec<usize>,
    /// Adults living there, with their floor and whether they own their home.
    adults: Vec<(i32, usize, bool)>,
    /// Owners of its shops (shop blocks).
    shop_owners: Vec<usize>,
    /// The landlord who owns the whole building (rental buildings).
    landlord: Option<usize>,
}

/// The generator: the PRNG, the rows made so far and what it remembers.
struct Gen {
    /// The PRNG.
    rng: Rng,
    /// The scale.
    scale: Scale,
    /// The day the demo is loaded; every date is an offset from it.
    anchor: NaiveDate,
    /// The load instant, for `created_at`.
    now: DateTime<Utc>,
    /// First free ids.
    base: Bases,
    /// The rows.
    d: Demo,
    /// Per compound.
    compounds: Vec<CompoundInfo>,
    /// Per building.
    buildings: Vec<BuildingInfo>,
    /// Per community, its grids.
    grids_of: Vec<Vec<usize>>,
    /// Per person, whether they are an adult.
    adult: Vec<bool>,
    /// Identity numbers handed out, to keep them unique.
    id_numbers: HashSet<String>,
    /// People already holding a chief position.
    chiefs: HashSet<usize>,
}

/// Generates the whole demo at `scale`, dated from `anchor`, with ids from `base`.
fn generate(scale: Scale, anchor: NaiveDate, now: DateTime<Utc>, base: Bases) -> Demo {
    let mut g = Gen {
        rng: Rng(SEED),
        scale,
        anchor,
        now,
        base,
        d: Demo {
            subdistrict: subdistrict::Model {
                id: base.subdistrict,
                name: SUBDISTRICT_NAME.into(),
                code: Some("420106001000".into()),
                created_at: now,
            },
            communities: Vec::new(),
            grids: Vec::new(),
            compounds: Vec::new(),
            buildings: Vec::new(),
            entrances: Vec::new(),
            dwellings: Vec::new(),
            persons: Vec::new(),
            residencies: Vec::new(),
            ownerships: Vec::new(),
            branches: Vec::new(),
            branch_members: Vec::new(),
            committees: Vec::new(),
            committee_members: Vec::new(),
            companies: Vec::new(),
            contracts: Vec::new(),
            meetings: Vec::new(),
            attendees: Vec::new(),
            resolutions: Vec::new(),
            chiefs: Vec::new(),
            residents: 0,
            links: Links::default(),
        },
        compounds: Vec::new(),
        buildings: Vec::new(),
        grids_of: Vec::new(),
        adult: Vec::new(),
        id_numbers: HashSet::new(),
        chiefs: HashSet::new(),
    };
    g.administrative_units();
    g.compounds_and_buildings();
    g.assign_grids();
    g.populate();
    g.shops();
    g.parties();
    g.property();
    g.meetings();
    g.chain_of_chiefs();
    g.links();
    g.d
}

impl Gen {
    /// `days` days before the anchor.
    fn days_ago(&self, days: i64) -> NaiveDate {
        self.anchor - Duration::days(days)
    }

    /// A random day between `hi` and `lo` days ago.
    fn some_day_ago(&mut self, lo: i64, hi: i64) -> NaiveDate {
        let days = self.rng.range(lo, hi);
        self.days_ago(days)
    }

    /// The id of person `p`.
    fn pid(&self, p: usize) -> i64 {
        self.base.person + p as i64
    }

    /// A valid-format mobile number (1[3-9] and nine digits).
    fn phone(&mut self) -> String {
        let second = *self.rng.pick(&[3, 5, 7, 8, 9]);
        format!("1{second}{:09}", self.rng.next() % 1_000_000_000)
    }

    /// A unique identity number with a correct GB 11643 check character.
    fn id_number(&mut self, birth: NaiveDate, sex: Sex) -> String {
        const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
        const CHECK: &[u8; 11] = b"10X98765432";
        // Districts of the city: 武昌, 洪山, 江岸, 青山, and some from elsewhere.
        let region = *self.rng.pick(&[
            "420106", "420111", "420102", "420107", "420106", "421002", "430102",
        ]);
        let mut seq = self.rng.below(500) * 2 + usize::from(sex == Sex::Male);
        loop {
            let body = format!("{region}{}{:03}", birth.format("%Y%m%d"), seq);
            let sum: u32 = body
                .bytes()
                .zip(WEIGHTS)
                .map(|(b, w)| u32::from(b - b'0') * w)
                .sum();
            let full = format!("{body}{}", CHECK[(sum % 11) as usize] as char);
            if self.id_numbers.insert(full.clone()) {
                return full;
            }
            seq = (seq + 2) % 1000;
        }
    }

    /// Creates a person; returns their index and birthday.
    fn person(&mut self, looks: Looks) -> (usize, NaiveDate) {
        let surname = match looks.surname {
            Some(s) => s,
            None if self.rng.chance(40) => SURNAMES[self.rng.below(10)].to_owned(),
            None => self.rng.pick(SURNAMES).to_string(),
        };
        let chars = match looks.sex {
            Sex::Male => MALE_CHARS,
            Sex::Female => FEMALE_CHARS,
        };
        let mut name = surname;
        name.push_str(self.rng.pick::<&str>(chars));
        if self.rng.chance(65) {
            name.push_str(self.rng.pick::<&str>(chars));
        }
        let year = self.anchor.year() - looks.age as i32;
        let month = self.rng.range(1, 12) as u32;
        let day = self.rng.range(1, 28) as u32;
        let birth = NaiveDate::from_ymd_opt(year, month, day).unwrap_or(self.anchor);
        let adult = looks.age >= 18;
        let has_phone = looks.age >= 18 || (looks.age >= 12 && self.rng.chance(50));
        let phone = has_phone.then(|| self.phone());
        let party = adult && self.rng.chance(if looks.age >= 45 { 9 } else { 5 });
        let id_number = self.id_number(birth, looks.sex);
        let idx = self.d.persons.len();
        self.d.persons.push(person::Model {
            id: self.pid(idx),
            community_id: self.base.community + looks.community as i64,
            name,
            phone,
            id_number: Some(id_number),
            is_party_member: party,
            created_at: self.now,
            updated_at: self.now,
        });
        self.adult.push(adult);
        (idx, birth)
    }

    /// A new adult of random sex aged `lo..=hi`, registered in `community`.
    fn adult_person(&mut self, community: usize, lo: i64, hi: i64) -> usize {
        let sex = if self.rng.chance(50) {
            Sex::Male
        } else {
            Sex::Female
        };
        let age = self.rng.range(lo, hi);
        self.person(Looks {
            community,
            sex,
            age,
            surname: None,
        })
        .0
    }

    /// The surname of person `p` (names here have a one-character surname).
    fn surname_of(&self, p: usize) -> String {
        self.d.persons[p].name.chars().take(1).collect()
    }

    /// The subdistrict's communities and grids.
    fn administrative_units(&mut self) {
        for c in 0..self.scale.communities {
            self.d.communities.push(community::Model {
                id: self.base.community + c as i64,
                subdistrict_id: self.base.subdistrict,
                name: nth_name(COMMUNITY_NAMES, c),
                created_at: self.now,
            });
        }
        let per_community = split_even(self.scale.grids, self.scale.communities);
        for (c, count) in per_community.into_iter().enumerate() {
            let mut mine = Vec::new();
            for n in 0..count {
                let idx = self.d.grids.len();
                self.d.grids.push(grid::Model {
                    id: self.base.grid + idx as i64,
                    community_id: self.base.community + c as i64,
                    name: format!("第{}网格", chinese_number(n + 1)),
                    code: Some(format!("420106001{:02}{:02}", c + 1, n + 1)),
                    created_at: self.now,
                });
                mine.push(idx);
            }
            self.grids_of.push(mine);
        }
    }

    /// Adds a compound of `kind` named from `names`, in the next community in turn.
    fn add_compound(&mut self, kind: CompoundKind, name: String) -> usize {
        let idx = self.d.compounds.len();
        let community = idx % self.scale.communities;
        let road = self.rng.pick(ROADS).to_string();
        let number = self.rng.range(1, 399);
        self.d.compounds.push(compound::Model {
            id: self.base.compound + idx as i64,
            community_id: self.base.community + community as i64,
            name,
            kind,
            address: Some(format!("{SUBDISTRICT_NAME}{road}{number}号")),
            created_at: self.now,
            updated_at: self.now,
        });
        self.compounds.push(CompoundInfo {
            community,
            ..Default::default()
        });
        idx
    }

    /// Adds a building to compound `c`.
    fn add_building(&mut self, c: usize, name: String, kind: BuildingKind, floors: i32) -> usize {
        let idx = self.d.buildings.len();
        self.d.buildings.push(building::Model {
            id: self.base.building + idx as i64,
            compound_id: self.base.compound + c as i64,
            grid_id: None,
            name,
            kind,
            floors: Some(floors),
            alley: None,
            is_rental: false,
            created_at: self.now,
        });
        self.buildings.push(BuildingInfo {
            compound: c,
            ..Default::default()
        });
        self.compounds[c].buildings.push(idx);
        idx
    }

    /// Adds a dwelling (or shop) to building `b`.
    fn add_dwelling(
        &mut self,
        b: usize,
        entrance: Option<usize>,
        floor: i32,
        number: String,
        area_centi: i64,
    ) -> usize {
        let idx = self.d.dwellings.len();
        self.d.dwellings.push(dwelling::Model {
            id: self.base.dwelling + idx as i64,
            building_id: self.base.building + b as i64,
            entrance_id: entrance.map(|e| self.base.entrance + e as i64),
            floor: Some(floor),
            number,
            exclusive_area_centi: area_centi,
            developer_held: false,
            created_at: self.now,
        });
        self.buildings[b].dwellings.push(idx);
        idx
    }

    /// Compounds of every kind with their buildings, entrances and dwellings.
    fn compounds_and_buildings(&mut self) {
        let s = self.scale;
        // Mostly commodity housing, then old compounds, then village-to-residence.
        const PATTERN: [CompoundKind; 9] = [
            CompoundKind::CommodityHousing,
            CompoundKind::OldCompound,
            CompoundKind::VillageToResidence,
            CompoundKind::CommodityHousing,
            CompoundKind::OldCompound,
            CompoundKind::CommodityHousing,
            CompoundKind::VillageToResidence,
            CompoundKind::OldCompound,
            CompoundKind::CommodityHousing,
        ];
        let apartment_compounds = s
            .apartment_buildings
            .div_ceil(10)
            .clamp(3, s.apartment_buildings);
        let building_counts = split_varied(
            &mut self.rng,
            s.apartment_buildings,
            apartment_compounds,
            1,
            3,
        );
        let min_ranges = 2.min(s.floor_chiefs / s.apartment_buildings);
        let range_counts = split_varied(
            &mut self.rng,
            s.floor_chiefs,
            s.apartment_buildings,
            min_ranges,
            1,
        );
        let commodity_total = (0..apartment_compounds)
            .filter(|i| PATTERN[i % PATTERN.len()] == CompoundKind::CommodityHousing)
            .count();
        let mut per_kind: HashMap<CompoundKind, usize> = HashMap::new();
        let mut next_range = 0;
        for (i, buildings) in building_counts.into_iter().enumerate() {
            let kind = PATTERN[i % PATTERN.len()];
            let nth = *per_kind.entry(kind).and_modify(|n| *n += 1).or_insert(0);
            let names = match kind {
                CompoundKind::CommodityHousing => COMMODITY_NAMES,
                CompoundKind::OldCompound => OLD_NAMES,
                _ => VILLAGE_NAMES,
            };
            let c = self.add_compound(kind, nth_name(names, nth));
            self.compounds[c].has_committee = match kind {
                // The newest commodity compound has not elected one yet.
                CompoundKind::CommodityHousing => nth + 1 < commodity_total || commodity_total == 1,
                CompoundKind::OldCompound => nth % 2 == 1,
                _ => nth == 0,
            };
            self.compounds[c].secretary_chairs = nth.is_multiple_of(2);
            let newest_commodity =
                kind == CompoundKind::CommodityHousing && nth + 1 == commodity_total;
            for n in 0..buildings {
                let ranges = range_counts[next_range];
                next_range += 1;
                let last = newest_commodity && n + 1 == buildings;
                self.apartment_building(c, kind, n + 1, ranges, last);
            }
        }
        let areas = (s.alleys / 52).max(1);
        let alley_counts = split_varied(&mut self.rng, s.alleys, areas, 1, 4);
        let courtyard_counts = split_varied(&mut self.rng, s.courtyards, s.alleys, 1, 2);
        let mut next_alley = 0;
        for (i, alleys) in alley_counts.into_iter().enumerate() {
            let c = self.add_compound(CompoundKind::BungalowArea, nth_name(BUNGALOW_NAMES, i));
            for a in 0..alleys {
                let word = ALLEY_WORDS[(i * 3 + a / 9) % ALLEY_WORDS.len()];
                let round = a / (9 * ALLEY_WORDS.len());
                let mut alley = format!("{word}{}巷", chinese_number(a % 9 + 1));
                if round > 0 {
                    alley.push_str(&(round + 1).to_string());
                }
                self.compounds[c].alleys.push(alley.clone());
                for k in 0..courtyard_counts[next_alley] {
                    let b = self.add_building(
                        c,
                        format!("{alley}{}号院", k + 1),
                        BuildingKind::Courtyard,
                        1,
                    );
                    self.d.buildings[b].alley = Some(alley.clone());
                    self.buildings[b].alley = Some(a);
                    for h in 0..self.rng.range(2, 5) {
                        let area = self.rng.range(6_000, 16_000);
                        self.add_dwelling(b, None, 1, format!("{}-{}", k + 1, h + 1), area);
                    }
                }
                next_alley += 1;
            }
        }
        let streets = (s.shop_blocks / 8).max(1);
        let block_counts = split_varied(&mut self.rng, s.shop_blocks, streets, 1, 2);
        for (i, blocks) in block_counts.into_iter().enumerate() {
            let c = self.add_compound(
                CompoundKind::CommercialStreet,
                nth_name(COMMERCIAL_NAMES, i),
            );
            let mut house = 1;
            for k in 0..blocks {
                let b = self.add_building(
                    c,
                    format!("门店{}组", chinese_number(k + 1)),
                    BuildingKind::ShopBlock,
                    1,
                );
                for _ in 0..self.rng.range(8, 12) {
                    let area = self.rng.range(1_800, 9_000);
                    self.add_dwelling(b, None, 1, format!("{house}号"), area);
                    house += 1;
                }
            }
        }
    }

    /// One apartment building with `ranges` floor-chief ranges of 2–3 floors
    /// that together cover every floor; `unsold` marks the developer's units
    /// on its upper floors.
    fn apartment_building(
        &mut self,
        c: usize,
        kind: CompoundKind,
        number: usize,
        ranges: usize,
        unsold: bool,
    ) {
        let r = ranges.max(1) as i64;
        let floors = self.rng.range(2 * r, 3 * r) as i32;
        let b = self.add_building(c, format!("{number}号楼"), BuildingKind::Apartment, floors);
        // Ranges from the ground up: the first (floors - 2r) cover three floors.
        let threes = floors as i64 - 2 * r;
        let mut from = 1;
        for j in 0..r {
            let size = if j < threes { 3 } else { 2 };
            self.buildings[b].floor_ranges.push((from, from + size - 1));
            from += size;
        }
        // In villages some buildings are let out whole by their landlord.
        self.d.buildings[b].is_rental =
            kind == CompoundKind::VillageToResidence && self.rng.chance(25);
        let (entrances, lo, hi) = match kind {
            CompoundKind::CommodityHousing => (self.rng.range(1, 3), 8_500, 14_500),
            CompoundKind::OldCompound => (self.rng.range(2, 4), 5_200, 8_800),
            _ => (self.rng.range(1, 2), 7_000, 12_500),
        };
        for e in 1..=entrances {
            let ent = self.d.entrances.len();
            self.d.entrances.push(entrance::Model {
                id: self.base.entrance + ent as i64,
                building_id: self.base.building + b as i64,
                name: format!("{e}单元"),
            });
            // The same flat on every floor has the same registered area.
            let areas = [self.rng.range(lo, hi), self.rng.range(lo, hi)];
            for floor in 1..=floors {
                for (room, area) in areas.iter().enumerate() {
                    let d = self.add_dwelling(
                        b,
                        Some(ent),
                        floor,
                        format!("{e}-{floor}{:02}", room + 1),
                        *area,
                    );
                    if unsold && floor > floors / 2 {
                        self.d.dwellings[d].developer_held = true;
                    }
                }
            }
        }
    }

    /// Puts every building on a grid of its compound's community, each grid
    /// covering a similar number of homes.
    fn assign_grids(&mut self) {
        for (c, grids) in self.grids_of.clone().into_iter().enumerate() {
            let mine: Vec<usize> = (0..self.d.buildings.len())
                .filter(|b| self.compounds[self.buildings[*b].compound].community == c)
                .collect();
            let total: usize = mine
                .iter()
                .map(|b| self.buildings[*b].dwellings.len())
                .sum();
            let mut before = 0;
            for b in mine {
                let size = self.buildings[b].dwellings.len();
                let middle = before + size / 2;
                let g = (middle * grids.len() / total.max(1)).min(grids.len() - 1);
                self.d.buildings[b].grid_id = Some(self.base.grid + grids[g] as i64);
                before += size;
            }
        }
    }

    /// The kind of the compound of building `b`.
    fn kind_of_building(&self, b: usize) -> CompoundKind {
        self.d.compounds[self.buildings[b].compound].kind
    }

    /// Records that `p` owns dwelling `d` from `since`.
    fn own(&mut self, p: usize, d: usize, since: NaiveDate, lives_there: bool) {
        let idx = self.d.ownerships.len();
        self.d.ownerships.push(ownership::Model {
            id: self.base.ownership + idx as i64,
            person_id: self.pid(p),
            dwelling_id: self.base.dwelling + d as i64,
            starts_on: since,
            ends_on: None,
        });
        let c = self.buildings[self.dwelling_building(d)].compound;
        let info = &mut self.compounds[c];
        if !info.owners.iter().any(|(o, _)| *o == p) {
            info.owners.push((p, since));
        }
        if lives_there && !info.resident_owners.iter().any(|(o, _)| *o == p) {
            info.resident_owners.push((p, since));
        }
    }

    /// The building of dwelling `d`.
    fn dwelling_building(&self, d: usize) -> usize {
        (self.d.dwellings[d].building_id - self.base.building) as usize
    }

    /// Records that `p` lives in dwelling `d` from `since` (not before their birth).
    fn live(
        &mut self,
        p: usize,
        d: usize,
        kind: ResidencyKind,
        since: NaiveDate,
        birth: NaiveDate,
    ) {
        let idx = self.d.residencies.len();
        self.d.residencies.push(residency::Model {
            id: self.base.residency + idx as i64,
            person_id: self.pid(p),
            dwelling_id: self.base.dwelling + d as i64,
            kind,
            starts_on: since.max(birth),
            ends_on: None,
        });
        self.d.residents += 1;
        if self.adult[p] {
            let b = self.dwelling_building(d);
            let floor = self.d.dwellings[d].floor.unwrap_or(1);
            self.buildings[b]
                .adults
                .push((floor, p, kind == ResidencyKind::Owner));
            let c = self.buildings[b].compound;
            self.compounds[c].adults.push(p);
        }
    }

    /// Owners and residents of every home, with exactly `scale.residents` residents.
    fn populate(&mut self) {
        let homes: Vec<usize> = (0..self.d.dwellings.len())
            .filter(|d| {
                self.d.buildings[self.dwelling_building(*d)].kind != BuildingKind::ShopBlock
            })
            .collect();
        let mut use_of = Vec::with_capacity(homes.len());
        for &d in &homes {
            let b = self.dwelling_building(d);
            let occupancy = if self.d.dwellings[d].developer_held {
                Occupancy::DeveloperHeld
            } else if self.d.buildings[b].is_rental {
                Occupancy::Rented
            } else {
                let rented = match self.kind_of_building(b) {
                    CompoundKind::CommodityHousing => 10,
                    CompoundKind::OldCompound => 18,
                    CompoundKind::VillageToResidence => 22,
                    _ => 12,
                };
                match self.rng.below(100) as u64 {
                    n if n < 4 => Occupancy::Vacant,
                    n if n < 4 + rented => Occupancy::Rented,
                    _ => Occupancy::OwnerOccupied,
                }
            };
            use_of.push(occupancy);
        }
        let lived_in = use_of
            .iter()
            .filter(|o| matches!(o, Occupancy::Rented | Occupancy::OwnerOccupied))
            .count();
        let mut sizes = split_even(self.scale.residents, lived_in.max(1));
        // Vary household sizes in pairs, so the total stays exact.
        for i in (0..sizes.len().saturating_sub(1)).step_by(2) {
            let d = self.rng.range(-2, 2);
            let (a, b) = (sizes[i] as i64 + d, sizes[i + 1] as i64 - d);
            if a >= 1 && b >= 1 && sizes[i] >= 1 && sizes[i + 1] >= 1 {
                sizes[i] = a as usize;
                sizes[i + 1] = b as usize;
            }
        }
        let mut sizes = sizes.into_iter();
        let mut investors: HashMap<usize, usize> = HashMap::new();
        for (&d, occupancy) in homes.iter().zip(use_of) {
            let b = self.dwelling_building(d);
            let c = self.buildings[b].compound;
            let community = self.compounds[c].community;
            let size = match occupancy {
                Occupancy::Rented | Occupancy::OwnerOccupied => sizes.next().unwrap_or(0),
                _ => 0,
            };
            match occupancy {
                Occupancy::DeveloperHeld => {}
                Occupancy::OwnerOccupied if size > 0 => {
                    let since = self.some_day_ago(60, 7_000);
                    self.household(d, community, size, since);
                }
                Occupancy::OwnerOccupied | Occupancy::Vacant => {
                    let owner = self.adult_person(community, 30, 72);
                    let since = self.some_day_ago(60, 7_000);
                    self.own(owner, d, since, false);
                }
                Occupancy::Rented => {
                    let landlord = if self.d.buildings[b].is_rental {
                        match self.buildings[b].landlord {
                            Some(l) => l,
                            None => {
                                let l = self.adult_person(community, 40, 70);
                                self.buildings[b].landlord = Some(l);
                                l
                            }
                        }
                    } else {
                        match investors.get(&c) {
                            Some(&l) if self.rng.chance(25) => l,
                            _ => {
                                let l = self.adult_person(community, 32, 70);
                                investors.insert(c, l);
                                l
                            }
                        }
                    };
                    // A landlord's building was theirs long before it was let out.
                    let since = if self.d.buildings[b].is_rental {
                        self.days_ago(2_500)
                    } else {
                        self.some_day_ago(200, 6_000)
                    };
                    self.own(landlord, d, since, false);
                    if size > 0 {
                        self.tenants(d, community, size);
                    }
                }
            }
        }
    }

    /// An owner's household of `size` living in dwelling `d`.
    fn household(&mut self, d: usize, community: usize, size: usize, since: NaiveDate) {
        let sex = if self.rng.chance(55) {
            Sex::Male
        } else {
            Sex::Female
        };
        let owner_age = self.rng.range(28, 75);
        let (owner, birth) = self.person(Looks {
            community,
            sex,
            age: owner_age,
            surname: None,
        });
        self.own(owner, d, since, true);
        self.live(owner, d, ResidencyKind::Owner, since, birth);
        let mut family_name = self.surname_of(owner);
        let mut youngest_parent = owner_age;
        if size >= 2 {
            let age = (owner_age + self.rng.range(-6, 6)).max(22);
            let (spouse, birth) = self.person(Looks {
                community,
                sex: sex.other(),
                age,
                surname: None,
            });
            if self.rng.chance(35) {
                self.own(spouse, d, since, true);
            }
            self.live(spouse, d, ResidencyKind::FamilyMember, since, birth);
            if sex == Sex::Female {
                family_name = self.surname_of(spouse);
            }
            youngest_parent = youngest_parent.min(age);
        }
        let mut rest = size.saturating_sub(2);
        if rest >= 2 && owner_age <= 62 && self.rng.chance(50) {
            let surname = Some(self.surname_of(owner));
            let age = (owner_age + self.rng.range(22, 30)).min(95);
            let sex = if self.rng.chance(50) {
                Sex::Male
            } else {
                Sex::Female
            };
            let (parent, birth) = self.person(Looks {
                community,
                sex,
                age,
                surname,
            });
            self.live(parent, d, ResidencyKind::FamilyMember, since, birth);
            rest -= 1;
        }
        for _ in 0..rest {
            let age = self.rng.range(0, (youngest_parent - 20).clamp(0, 35));
            let sex = if self.rng.chance(50) {
                Sex::Male
            } else {
                Sex::Female
            };
            let (child, birth) = self.person(Looks {
                community,
                sex,
                age,
                surname: Some(family_name.clone()),
            });
            self.live(child, d, ResidencyKind::FamilyMember, since, birth);
        }
    }

    /// A tenant household of `size` in dwelling `d`.
    fn tenants(&mut self, d: usize, community: usize, size: usize) {
        let since = self.some_day_ago(20, 1_500);
        let sex = if self.rng.chance(55) {
            Sex::Male
        } else {
            Sex::Female
        };
        let head_age = self.rng.range(20, 55);
        let (head, birth) = self.person(Looks {
            community,
            sex,
            age: head_age,
            surname: None,
        });
        self.live(head, d, ResidencyKind::Tenant, since, birth);
        let family_name = self.surname_of(head);
        for i in 1..size {
            let (age, sex, surname) = if i == 1 {
                (
                    (head_age + self.rng.range(-5, 5)).max(19),
                    sex.other(),
                    None,
                )
            } else {
                let sex = if self.rng.chance(50) {
                    Sex::Male
                } else {
                    Sex::Female
                };
                let age = self.rng.range(0, (head_age - 20).clamp(0, 30));
                (age, sex, Some(family_name.clone()))
            };
            let (p, birth) = self.person(Looks {
                community,
                sex,
                age,
                surname,
            });
            self.live(p, d, ResidencyKind::Tenant, since, birth);
        }
    }

    /// Shopkeepers owning the shops of the commercial streets; some own two.
    fn shops(&mut self) {
        for b in 0..self.d.buildings.len() {
            if self.d.buildings[b].kind != BuildingKind::ShopBlock {
                continue;
            }
            let community = self.compounds[self.buildings[b].compound].community;
            let mut previous: Option<usize> = None;
            for d in self.buildings[b].dwellings.clone() {
                let owner = match previous {
                    Some(p) if self.rng.chance(20) => p,
                    _ => self.adult_person(community, 25, 65),
                };
                let since = self.some_day_ago(100, 4_000);
                self.own(owner, d, since, false);
                if !self.buildings[b].shop_owners.contains(&owner) {
                    self.buildings[b].shop_owners.push(owner);
                }
                previous = Some(owner);
            }
        }
    }

    /// Party branches, owners' committees and the cross-appointments between them.
    fn parties(&mut self) {
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
                id: self.base.party_branch + branch as i64,
                compound_id: self.base.compound + c as i64,
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
                    id: self.base.party_branch_member + idx as i64,
                    branch_id: self.base.party_branch + branch as i64,
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
    fn choose_party_member(&mut self, people: &[usize]) -> Option<usize> {
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
    fn committee(
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
            id: self.base.owners_committee + committee as i64,
            compound_id: self.base.compound + c as i64,
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
                id: self.base.committee_member + idx as i64,
                committee_id: self.base.owners_committee + committee as i64,
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
    fn contract(
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
            id: self.base.property_contract + idx as i64,
            compound_id: self.base.compound + c as i64,
            company_id: self.base.property_company + company as i64,
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
    fn property(&mut self) {
        for (i, (name, party_org, stars)) in COMPANIES.iter().enumerate() {
            let phone = format!("027-8{:07}", self.rng.next() % 10_000_000);
            self.d.companies.push(property_company::Model {
                id: self.base.property_company + i as i64,
                name: (*name).to_owned(),
                credit_code: Some(format!(
                    "91420106MA4K{:05}{}",
                    10_000 + i * 7_919,
                    ['X', '3', '7', 'L', 'Q', '5'][i % 6]
                )),
                phone: Some(phone),
                star_rating: Some(*stars),
                party_org_name: party_org.map(str::to_owned),
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
                CompoundKind::CommercialStreet => self.contract(c, 5, starts, None),
            }
        }
    }

    /// Records a joint meeting of compound `c` held `days_ago` days ago.
    fn meeting(&mut self, c: usize, days_ago: i64, topic: &Topic) {
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
            id: self.base.joint_meeting + meeting as i64,
            compound_id: self.base.compound + c as i64,
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
                id: self.base.joint_meeting_attendee + idx as i64,
                meeting_id: self.base.joint_meeting + meeting as i64,
                person_id: self.pid(p),
                party,
            });
        }
        for (i, text) in topic.resolutions.iter().enumerate() {
            let idx = self.d.resolutions.len();
            self.d.resolutions.push(joint_meeting_resolution::Model {
                id: self.base.joint_meeting_resolution + idx as i64,
                meeting_id: self.base.joint_meeting + meeting as i64,
                position: i as i32 + 1,
                text: (*text).to_owned(),
            });
        }
    }

    /// A few joint meetings where the parties are in place.
    fn meetings(&mut self) {
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

    /// Appoints `p` to `level` over the scope in `at`.
    fn appoint(&mut self, level: ChiefLevel, p: usize, at: ChiefScope) {
        self.chiefs.insert(p);
        let contact_phone = match self.d.persons[p].phone.clone() {
            Some(phone) => phone,
            None => {
                let phone = self.phone();
                self.d.persons[p].phone = Some(phone.clone());
                phone
            }
        };
        let starts_on = self.some_day_ago(30, 1_200);
        let idx = self.d.chiefs.len();
        self.d.chiefs.push(chief_appointment::Model {
            id: self.base.chief_appointment + idx as i64,
            level,
            person_id: self.pid(p),
            community_id: self.base.community + at.community as i64,
            grid_id: at.grid.map(|g| self.base.grid + g as i64),
            compound_id: at.compound.map(|c| self.base.compound + c as i64),
            building_id: at.building.map(|b| self.base.building + b as i64),
            floor_from: at.floors.map(|f| f.0),
            floor_to: at.floors.map(|f| f.1),
            scope_label: at.label,
            contact_phone,
            duties: Duty::to_bits(&Duty::ALL),
            starts_on,
            ends_on: None,
            created_at: self.now,
        });
    }

    /// Someone from `people` holding no chief position yet (preferring
    /// owners when `owners_first`), or a new volunteer registered in `community`.
    fn pick_chief(&mut self, people: &[(usize, bool)], community: usize) -> usize {
        let free: Vec<(usize, bool)> = people
            .iter()
            .copied()
            .filter(|(p, _)| !self.chiefs.contains(p))
            .collect();
        let owners: Vec<usize> = free.iter().filter(|(_, o)| *o).map(|(p, _)| *p).collect();
        if !owners.is_empty() {
            return *self.rng.pick(&owners);
        }
        if !free.is_empty() {
            return self.rng.pick(&free).0;
        }
        self.adult_person(community, 30, 65)
    }

    /// The chain of chiefs: levels 1–3 for every community and grid, levels
    /// 4–5 in the variant of each compound.
    fn chain_of_chiefs(&mut self) {
        for c in 0..self.scale.communities {
            let area = self.adult_person(c, 38, 55);
            self.appoint(ChiefLevel::AreaChief, area, ChiefScope::community(c));
            let chief = self.adult_person(c, 35, 58);
            self.appoint(ChiefLevel::CommunityChief, chief, ChiefScope::community(c));
            for g in self.grids_of[c].clone() {
                let chief = self.adult_person(c, 30, 55);
                self.appoint(ChiefLevel::GridChief, chief, ChiefScope::grid(c, g));
                let worker = self.adult_person(c, 23, 45);
                self.appoint(ChiefLevel::GridWorker, worker, ChiefScope::grid(c, g));
            }
        }
        for c in 0..self.d.compounds.len() {
            let community = self.compounds[c].community;
            match self.d.compounds[c].kind.chain_variant() {
                ChainVariant::ApartmentCompound => {
                    for b in self.compounds[c].buildings.clone() {
                        let adults = self.buildings[b].adults.clone();
                        for (from, to) in self.buildings[b].floor_ranges.clone() {
                            let on_floors: Vec<(usize, bool)> = adults
                                .iter()
                                .filter(|(f, _, _)| (from..=to).contains(f))
                                .map(|(_, p, o)| (*p, *o))
                                .collect();
                            let candidates =
                                if on_floors.iter().any(|(p, _)| !self.chiefs.contains(p)) {
                                    on_floors
                                } else {
                                    adults.iter().map(|(_, p, o)| (*p, *o)).collect()
                                };
                            let p = self.pick_chief(&candidates, community);
                            let mut at = ChiefScope::building(community, c, b);
                            at.floors = Some((from, to));
                            self.appoint(ChiefLevel::FloorChief, p, at);
                        }
                        // In a rental building the landlord must provide the building chief.
                        let p = match self.buildings[b].landlord {
                            Some(l) if !self.chiefs.contains(&l) => l,
                            _ => {
                                let all: Vec<(usize, bool)> =
                                    adults.iter().map(|(_, p, o)| (*p, *o)).collect();
                                self.pick_chief(&all, community)
                            }
                        };
                        self.appoint(
                            ChiefLevel::BuildingChief,
                            p,
                            ChiefScope::building(community, c, b),
                        );
                    }
                }
                ChainVariant::BungalowArea => {
                    let alleys = self.compounds[c].alleys.clone();
                    let mut on_alley: Vec<Vec<(usize, bool)>> = vec![Vec::new(); alleys.len()];
                    for b in self.compounds[c].buildings.clone() {
                        let adults: Vec<(usize, bool)> = self.buildings[b]
                            .adults
                            .iter()
                            .map(|(_, p, o)| (*p, *o))
                            .collect();
                        let p = self.pick_chief(&adults, community);
                        self.appoint(
                            ChiefLevel::CourtyardChief,
                            p,
                            ChiefScope::building(community, c, b),
                        );
                        if let Some(a) = self.buildings[b].alley {
                            on_alley[a].extend(adults);
                        }
                    }
                    for (a, name) in alleys.into_iter().enumerate() {
                        let p = self.pick_chief(&on_alley[a], community);
                        let mut at = ChiefScope::compound(community, c);
                        at.label = Some(name);
                        self.appoint(ChiefLevel::AlleyChief, p, at);
                    }
                }
                ChainVariant::CommercialStreet => {
                    // A market-regulation officer, not a shopkeeper.
                    let officer = self.adult_person(community, 30, 55);
                    self.appoint(
                        ChiefLevel::MarketSupervisor,
                        officer,
                        ChiefScope::compound(community, c),
                    );
                    for b in self.compounds[c].buildings.clone() {
                        let owners: Vec<(usize, bool)> = self.buildings[b]
                            .shop_owners
                            .iter()
                            .map(|p| (*p, true))
                            .collect();
                        let p = self.pick_chief(&owners, community);
                        self.appoint(
                            ChiefLevel::ShopChief,
                            p,
                            ChiefScope::building(community, c, b),
                        );
                    }
                }
            }
        }
    }

    /// What the demo accounts are tied to, in the first commodity compound.
    fn links(&mut self) {
        let c = self
            .d
            .compounds
            .iter()
            .position(|c| c.kind == CompoundKind::CommodityHousing)
            .unwrap_or(0);
        let info = self.compounds[c].clone();
        let named = |g: &Gen, p: usize| (g.pid(p), g.d.persons[p].name.clone());
        let secretary = info.secretary.unwrap_or(0);
        let committee = info
            .committee
            .iter()
            .map(|(p, _)| *p)
            .find(|p| Some(*p) != info.secretary)
            .unwrap_or(secretary);
        let manager = info.manager.unwrap_or(secretary);
        // An ordinary owner at home: no seat, no chief position.
        let busy: HashSet<usize> = info
            .branch_members
            .iter()
            .copied()
            .chain(info.committee.iter().map(|(p, _)| *p))
            .chain(self.chiefs.iter().copied())
            .collect();
        let home = self
            .d
            .residencies
            .iter()
            .filter(|r| r.kind == ResidencyKind::Owner)
            .map(|r| {
                (
                    (r.person_id - self.base.person) as usize,
                    (r.dwelling_id - self.base.dwelling) as usize,
                )
            })
            .filter(|(_, d)| self.buildings[self.dwelling_building(*d)].compound == c)
            .min_by_key(|(p, _)| busy.contains(p));
        let (resident, dwelling) = home.unwrap_or((secretary, 0));
        self.d.links = Links {
            subdistrict_id: self.base.subdistrict,
            community_id: self.d.compounds[c].community_id,
            community_name: self.d.communities
                [(self.d.compounds[c].community_id - self.base.community) as usize]
                .name
                .clone(),
            compound_id: self.base.compound + c as i64,
            secretary: named(self, secretary),
            committee: named(self, committee),
            property: named(self, manager),
            resident: named(self, resident),
            resident_dwelling_id: self.base.dwelling + dwelling as i64,
        };
    }
}

/// Where a chief serves, as generator indices.
struct ChiefScope {
    /// The community (always).
    community: usize,
    /// The grid (grid levels).
    grid: Option<usize>,
    /// The compound (levels 4–5).
    compound: Option<usize>,
    /// The building, courtyard or shop block.
    building: Option<usize>,
    /// The floors (floor chiefs).
    floors: Option<(i32, i32)>,
    /// The alley's name (alley chiefs).
    label: Option<String>,
}

impl ChiefScope {
    /// A community.
    fn community(community: usize) -> Self {
        Self {
            community,
            grid: None,
            compound: None,
            building: None,
            floors: None,
            label: None,
        }
    }

    /// A grid of a community.
    fn grid(community: usize, grid: usize) -> Self {
        Self {
            grid: Some(grid),
            ..Self::community(community)
        }
    }

    /// A whole compound.
    fn compound(community: usize, compound: usize) -> Self {
        Self {
            compound: Some(compound),
            ..Self::community(community)
        }
    }

    /// A building of a compound.
    fn building(community: usize, compound: usize, building: usize) -> Self {
        Self {
            building: Some(building),
            ..Self::compound(community, compound)
        }
    }
}

/// What a joint meeting is about.
struct Topic {
    /// Title; `{year}` and `{quarter}` are filled in from the meeting day.
    title: &'static str,
    /// Agenda.
    agenda: &'static str,
    /// Minutes.
    minutes: &'static str,
    /// Resolutions adopted, in order.
    resolutions: &'static [&'static str],
}

/// The joint meetings' topics.
const TOPICS: [Topic; 4] = [
    Topic {
        title: "{year}年第{quarter}季度三方联席会议",
        agenda: "一、通报本季度物业服务及安全隐患排查情况;二、研究地下车库渗水维修方案;三、讨论垃圾分类投放点调整",
        minutes: "会议由小区党支部书记主持。物业服务企业通报了本季度服务情况和车库渗水点位;业主委员会反映了业主意见。三方逐项讨论,形成决议如下。",
        resolutions: &[
            "物业服务企业于30日内完成地下车库渗水点修复,业主委员会全程监督并组织验收",
            "垃圾分类投放点由4处调整为6处,由党员先锋岗志愿者在早晚高峰值守督导",
            "下季度联席会议通报整改结果并向全体业主公示",
        ],
    },
    Topic {
        title: "关于使用专项维修资金更换电梯的三方联席会议",
        agenda: "一、听取电梯检验报告;二、研究使用专项维修资金更换3号楼电梯的方案;三、确定提交业主大会表决的事项",
        minutes: "电梯检验报告显示3号楼两部电梯已达报废年限。三方一致同意启动专项维修资金使用程序,方案提交业主大会表决。",
        resolutions: &[
            "拟使用专项维修资金更换3号楼两部电梯,方案提交业主大会表决(民法典第二百七十八条第五项)",
            "表决前由业主委员会将方案、预算和报价在小区公示栏及业主群公示不少于7日",
        ],
    },
    Topic {
        title: "小区停车秩序整治三方联席会议",
        agenda: "一、通报消防通道占用情况;二、研究停车位划线及临时停车管理办法",
        minutes: "网格员通报近一个月巡查发现消防通道占用12起。三方议定整治措施。",
        resolutions: &[
            "物业服务企业于两周内完成消防通道标线和警示牌设置",
            "临时停车管理办法(草案)由业主委员会征求业主意见后提交业主大会",
        ],
    },
    Topic {
        title: "出租房屋安全管理三方联席会议",
        agenda: "一、通报出租楼栋消防安全检查情况;二、落实出租楼栋楼栋长",
        minutes: "社区网格员通报出租楼栋电动车违规充电问题。党支部提出由房东落实楼栋长,物业配合日常巡查。",
        resolutions: &[
            "每栋出租楼由房东提供一名楼栋长,报社区备案",
            "物业服务企业在各出租楼栋增设电动车集中充电点",
        ],
    },
];

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::values::{IdNumber, Phone};

    /// The small demo, generated without a database.
    fn small() -> Demo {
        let anchor = NaiveDate::from_ymd_opt(2026, 11, 22).unwrap();
        generate(Scale::SMALL, anchor, Utc::now(), Bases::empty())
    }

    #[test]
    fn generation_is_deterministic() {
        let (a, b) = (small(), small());
        assert_eq!(a.persons.len(), b.persons.len());
        assert!(
            a.persons
                .iter()
                .zip(&b.persons)
                .all(|(x, y)| x.name == y.name && x.id_number == y.id_number)
        );
        assert_eq!(a.chiefs.len(), b.chiefs.len());
        assert_eq!(a.summary(), b.summary());
    }

    #[test]
    fn personal_data_has_valid_formats() {
        let d = small();
        for p in &d.persons {
            let id = p.id_number.as_deref().unwrap();
            assert!(IdNumber::parse(id, "id").is_ok(), "{id}");
            if let Some(phone) = &p.phone {
                assert!(Phone::parse(phone, "phone").is_ok(), "{phone}");
            }
        }
        for c in &d.chiefs {
            assert!(Phone::parse(&c.contact_phone, "phone").is_ok());
        }
        let unique: HashSet<_> = d.persons.iter().map(|p| &p.id_number).collect();
        assert_eq!(unique.len(), d.persons.len());
    }

    #[test]
    fn the_small_demo_has_its_residents_and_every_level() {
        let d = small();
        assert_eq!(d.residents, Scale::SMALL.residents);
        assert_eq!(d.residencies.len(), Scale::SMALL.residents);
        let levels: HashSet<ChiefLevel> = d.chiefs.iter().map(|c| c.level).collect();
        assert_eq!(levels.len(), 10);
        let count = |l: ChiefLevel| d.chiefs.iter().filter(|c| c.level == l).count();
        assert_eq!(count(ChiefLevel::FloorChief), Scale::SMALL.floor_chiefs);
        assert_eq!(count(ChiefLevel::CourtyardChief), Scale::SMALL.courtyards);
        assert_eq!(count(ChiefLevel::AlleyChief), Scale::SMALL.alleys);
    }

    #[test]
    fn the_full_scale_matches_the_seed_figures() {
        let anchor = NaiveDate::from_ymd_opt(2026, 11, 22).unwrap();
        let d = generate(Scale::FULL, anchor, Utc::now(), Bases::empty());
        let count = |l: ChiefLevel| d.chiefs.iter().filter(|c| c.level == l).count();
        assert_eq!(count(ChiefLevel::AreaChief), 7);
        assert_eq!(count(ChiefLevel::CommunityChief), 7);
        assert_eq!(count(ChiefLevel::GridChief), 64);
        assert_eq!(count(ChiefLevel::GridWorker), 64);
        assert_eq!(count(ChiefLevel::BuildingChief), 181);
        assert_eq!(count(ChiefLevel::FloorChief), 562);
        assert_eq!(count(ChiefLevel::AlleyChief), 520);
        assert_eq!(count(ChiefLevel::CourtyardChief), 2_765);
        assert_eq!(d.residents, 57_125);
        // Floor ranges are 2–3 floors, cover the building and never overlap.
        let mut by_building: HashMap<i64, Vec<(i32, i32)>> = HashMap::new();
        for c in d
            .chiefs
            .iter()
            .filter(|c| c.level == ChiefLevel::FloorChief)
        {
            let (f, t) = (c.floor_from.unwrap(), c.floor_to.unwrap());
            assert!((2..=3).contains(&(t - f + 1)));
            by_building
                .entry(c.building_id.unwrap())
                .or_default()
                .push((f, t));
        }
        for b in d
            .buildings
            .iter()
            .filter(|b| b.kind == BuildingKind::Apartment)
        {
            let mut ranges = by_building.remove(&b.id).unwrap();
            ranges.sort();
            let mut next = 1;
            for (f, t) in ranges {
                assert_eq!(f, next);
                next = t + 1;
            }
            assert_eq!(next - 1, b.floors.unwrap());
        }
    }
}
