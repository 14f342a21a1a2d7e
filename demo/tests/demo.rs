//! The demo loader: it loads once, keeps every rule the domain enforces
//! (the API will be used on this data), and answers a resident portal's
//! first questions through the real HTTP application.

use std::collections::{HashMap, HashSet};
use std::sync::atomic::{AtomicU32, Ordering};

use chrono::Months;
use compound_api::config::Config;
use compound_api::domain::chiefs::{ScopeInput, resolve_scope, responsible_chains};
use compound_api::domain::clock::Clock;
use compound_api::domain::kinds::{
    BranchRole, ChiefEmployment, ChiefLevel, ChiefProvider, CommitteeRole, CompoundKind,
    ContractStatus, Duty, Role,
};
use compound_api::domain::parties::committee::owns_in_compound;
use compound_api::domain::parties::linkage::cross_appointment;
use compound_api::entity::{
    account, audit_record, building, chief_appointment, chief_conduct_record, committee_member,
    compound, dwelling, owners_committee, party_branch, party_branch_member, person,
    property_contract, role_grant,
};
use compound_api::startup;
use compound_demo::{self as demo, Scale};
use sea_orm::{
    ColumnTrait, ConnectionTrait, Database, DatabaseConnection, EntityTrait, PaginatorTrait,
    QueryFilter, Statement,
};
use serde_json::{Value, json};

/// Every table, for counting rows before and after a second load.
const TABLES: &[&str] = &[
    "district",
    "subdistrict",
    "community",
    "grid",
    "compound",
    "building",
    "entrance",
    "dwelling",
    "person",
    "residency",
    "ownership",
    "party_branch",
    "party_branch_member",
    "owners_committee",
    "committee_member",
    "property_company",
    "property_contract",
    "joint_meeting",
    "joint_meeting_attendee",
    "joint_meeting_resolution",
    "chief_appointment",
    "community_committee",
    "community_committee_member",
    "company_party_org",
    "company_party_member",
    "company_post",
    "chief_association",
    "chief_association_member",
    "chief_conduct_record",
    "account",
    "auth_token",
    "role_grant",
    "audit_record",
    "placard",
    "placard_person",
    "service_team",
    "service_team_member",
    "service_activity",
    "service_activity_participant",
    "responsibility_list",
    "responsibility_list_version",
    "responsibility_item",
    "responsibility_link",
    "residents_council",
    "council_matter",
    "council_step",
    "publication",
    "objection",
    "objection_answer",
    "assembly_vote",
    "vote_voter",
    "vote_voter_owner",
    "vote_voter_part",
    "ballot",
    "vote_result",
    "decision_record",
    "evaluation_campaign",
    "campaign_entry",
    "score_sheet",
    "score_line",
    "campaign_result",
    "evaluation_title",
    "star_rating_round",
    "star_rating",
    "project",
    "project_support",
    "project_transition",
    "project_budget",
    "project_update",
    "project_spending",
    "project_rating",
    "project_acceptance",
    "notice",
    "opinion",
    "opinion_answer",
    "patrol_item",
    "patrol_frequency",
    "event_category",
    "event_handler",
    "event_handler_member",
    "grid_event",
    "grid_event_step",
    "event_supervision",
];

/// The tables the demo fills, each with the type its audit records name.
const AUDITED: &[(&str, &str)] = &[
    ("district", "District"),
    ("subdistrict", "Subdistrict"),
    ("community", "Community"),
    ("grid", "Grid"),
    ("compound", "Compound"),
    ("building", "Building"),
    ("entrance", "Entrance"),
    ("dwelling", "Dwelling"),
    ("person", "Person"),
    ("residency", "Residency"),
    ("ownership", "Ownership"),
    ("party_branch", "PartyBranch"),
    ("party_branch_member", "PartyBranchMember"),
    ("owners_committee", "OwnersCommittee"),
    ("committee_member", "CommitteeMember"),
    ("property_company", "PropertyCompany"),
    ("property_contract", "PropertyContract"),
    ("joint_meeting", "JointMeeting"),
    ("chief_appointment", "ChiefAppointment"),
    ("community_committee", "CommunityCommittee"),
    ("community_committee_member", "CommunityCommitteeMember"),
    ("company_party_org", "CompanyPartyOrganisation"),
    ("company_party_member", "CompanyPartyMember"),
    ("company_post", "CompanyPost"),
    ("chief_association", "ChiefAssociation"),
    ("chief_association_member", "ChiefAssociationMember"),
    ("chief_conduct_record", "ChiefConductRecord"),
    ("account", "Account"),
    ("role_grant", "RoleGrant"),
    ("placard", "ResponsibilityPlacard"),
    ("service_team", "ServiceTeam"),
    ("service_team_member", "ServiceTeamMember"),
    ("service_activity", "ServiceActivity"),
    ("responsibility_list", "ResponsibilityList"),
    ("responsibility_list_version", "ResponsibilityListVersion"),
    ("responsibility_link", "ResponsibilityLink"),
    ("residents_council", "ResidentsCouncil"),
    ("project_support", "ProjectSupport"),
    ("project_rating", "ProjectRating"),
    ("project_spending", "ProjectSpending"),
    ("project_update", "ProjectUpdate"),
    ("notice", "Notice"),
    ("opinion_answer", "OpinionAnswer"),
    ("patrol_item", "PatrolItem"),
    ("patrol_frequency", "PatrolFrequency"),
    ("event_category", "EventCategory"),
    ("event_handler", "EventHandler"),
    ("event_handler_member", "EventHandlerMember"),
];

static COUNTER: AtomicU32 = AtomicU32::new(0);

/// A migrated database with nothing in it, not even the bootstrap admin
/// that `helpers::spawn_app` creates (the demo loads only into an empty one).
struct FreshDb {
    /// The connection.
    db: DatabaseConnection,
    /// The configuration it was opened with.
    config: Config,
    /// The PostgreSQL server and database to drop afterwards.
    pg: Option<(String, String)>,
    /// The SQLite file to remove afterwards.
    file: Option<std::path::PathBuf>,
}

/// Opens a fresh database: an SQLite file, or a new PostgreSQL database on
/// the server of `TEST_DATABASE_URL` when it is set.
async fn fresh_db() -> FreshDb {
    compound_api::telemetry::init();
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or(0);
    let name = format!(
        "capi_demo_{}_{}_{}",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::SeqCst),
        nanos
    );
    let (url, pg, file) = match std::env::var("TEST_DATABASE_URL") {
        Ok(server) if !server.is_empty() => {
            let admin = Database::connect(&server)
                .await
                .expect("connect to TEST_DATABASE_URL");
            admin
                .execute_unprepared(&format!("CREATE DATABASE {name}"))
                .await
                .expect("create test database");
            admin.close().await.ok();
            let base = server.rsplit_once('/').map(|(b, _)| b).unwrap_or(&server);
            (format!("{base}/{name}"), Some((server.clone(), name)), None)
        }
        _ => {
            let path = std::env::temp_dir().join(format!("{name}.db"));
            (
                format!("sqlite://{}?mode=rwc", path.display()),
                None,
                Some(path),
            )
        }
    };
    let config = Config::from_lookup(|k| match k {
        "DATABASE_URL" => Some(url.clone()),
        "BIND_ADDR" => Some("127.0.0.1:0".into()),
        "DATABASE_MAX_CONNECTIONS" => Some("5".into()),
        // The tests' requests all come from one address, in bursts.
        "RATE_LIMIT_PER_MINUTE" => Some("0".into()),
        "ATTACHMENT_STORE" => Some(
            std::env::temp_dir()
                .join("compound-demo-test-files")
                .display()
                .to_string(),
        ),
        _ => None,
    })
    .expect("test configuration");
    let db = startup::connect_and_migrate(&config)
        .await
        .expect("migrate");
    FreshDb {
        db,
        config,
        pg,
        file,
    }
}

impl Drop for FreshDb {
    fn drop(&mut self) {
        if let Some(path) = self.file.take() {
            for suffix in ["", "-wal", "-shm"] {
                let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
            }
        }
        // Dropped from a thread of its own: the test's runtime is shutting down.
        if let Some((server, name)) = self.pg.take() {
            let _ = std::thread::spawn(move || {
                let rt = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build();
                if let Ok(rt) = rt {
                    rt.block_on(async {
                        if let Ok(admin) = Database::connect(&server).await {
                            let _ = admin
                                .execute_unprepared(&format!(
                                    "DROP DATABASE IF EXISTS {name} WITH (FORCE)"
                                ))
                                .await;
                        }
                    });
                }
            })
            .join();
        }
    }
}

/// Rows per table.
async fn counts(db: &DatabaseConnection) -> HashMap<&'static str, i64> {
    let mut out = HashMap::new();
    for table in TABLES {
        let row = db
            .query_one_raw(Statement::from_string(
                db.get_database_backend(),
                format!("SELECT COUNT(*) AS n FROM {table}"),
            ))
            .await
            .expect("count")
            .expect("a row");
        out.insert(*table, row.try_get::<i64>("", "n").expect("n"));
    }
    out
}

/// The ids of `table` (one of our constant names).
async fn ids(db: &DatabaseConnection, table: &str) -> Vec<i64> {
    db.query_all_raw(Statement::from_string(
        db.get_database_backend(),
        format!("SELECT id FROM {table}"),
    ))
    .await
    .expect("ids")
    .iter()
    .map(|r| r.try_get::<i64>("", "id").expect("id"))
    .collect()
}

/// The accounts the activity made (`resident-`, `grid-` and `handler-`),
/// by id.
async fn activity_accounts(db: &DatabaseConnection) -> HashMap<i64, String> {
    account::Entity::find()
        .all(db)
        .await
        .unwrap()
        .into_iter()
        .filter(|a| {
            ["resident-", "grid-", "handler-", "evaluator-"]
                .iter()
                .any(|p| a.username.starts_with(p))
        })
        .map(|a| (a.id, a.username))
        .collect()
}

/// Contracts still in force (never ended).
async fn contracts_in_force(db: &DatabaseConnection) -> i64 {
    property_contract::Entity::find()
        .filter(property_contract::Column::Status.eq(ContractStatus::Active))
        .all(db)
        .await
        .unwrap()
        .len() as i64
}

#[tokio::test]
async fn demo_loads_once_and_keeps_the_domain_rules() {
    let fresh = fresh_db().await;
    let db = &fresh.db;
    let summary = demo::load_scaled(db, Scale::SMALL)
        .await
        .expect("load")
        .expect("loaded into an empty database");
    assert!(summary.starts_with(demo::SUBDISTRICT_NAME), "{summary}");
    assert!(
        summary.contains(&format!("({} residents)", Scale::SMALL.residents)),
        "{summary}"
    );
    let before = counts(db).await;
    assert_eq!(before["district"], 1);
    assert_eq!(before["subdistrict"], 1);
    // The nine demo accounts, and those of the residents, grid workers and
    // handlers' members who act in the activity (the members hold no role).
    let activity_accounts = activity_accounts(db).await;
    assert_eq!(before["account"], 9 + activity_accounts.len() as i64);
    let members = activity_accounts
        .values()
        .filter(|u| u.starts_with("handler-"))
        .count() as i64;
    assert_eq!(before["role_grant"], before["account"] - members);
    // The evaluations: a campaign published with a sheet from each evaluator for every
    // entry, a result for each entry and a title for each of the half selected, and a
    // published star-rating round.
    let plan = demo::Evaluation::SMALL;
    let entries = before["campaign_entry"];
    assert!((1..=plan.entries as i64).contains(&entries), "{entries}");
    assert_eq!(before["evaluation_campaign"], 1);
    assert_eq!(before["score_sheet"], entries * plan.evaluators as i64);
    assert_eq!(before["score_line"], before["score_sheet"] * 15);
    assert_eq!(before["campaign_result"], entries);
    assert_eq!(before["evaluation_title"], (entries + 1) / 2);
    assert_eq!(before["star_rating_round"], plan.rounds as i64);
    assert!(before["star_rating"] > 0);

    // Loaded once: later calls, at any scale, change nothing.
    assert_eq!(
        demo::load_scaled(db, Scale::SMALL).await.expect("second"),
        None
    );
    assert_eq!(demo::load(db).await.expect("full"), None);
    assert_eq!(counts(db).await, before);

    // Written through the domain: every row has its audit record, by the
    // demo's admin (the bootstrapped account, which has none of its own).
    let audit = audit_record::Entity::find().all(db).await.unwrap();
    let admin = account::Entity::find()
        .filter(account::Column::Username.eq("admin"))
        .one(db)
        .await
        .unwrap()
        .unwrap();
    // The demo's admin made every change but those of the activity's own
    // actors, each of whom made only what their part in life is.
    for r in &audit {
        let Some(who) = r.account_id.filter(|a| *a != admin.id) else {
            continue;
        };
        let username = activity_accounts
            .get(&who)
            .unwrap_or_else(|| panic!("audit record {} by account {who}", r.id));
        let theirs: &[&str] = match username.split('-').next() {
            Some("resident") => &["Project", "ProjectSupport", "ProjectRating", "Opinion"],
            Some("grid") => &["GridEvent", "EventSupervision", "Opinion"],
            Some("handler") => &["GridEvent"],
            Some("evaluator") => &["ScoreSheet"],
            _ => &[],
        };
        assert!(
            theirs.contains(&r.entity_type.as_str()),
            "{username} made a {}",
            r.entity_type
        );
    }
    let admin_grant = role_grant::Entity::find()
        .filter(role_grant::Column::AccountId.eq(admin.id))
        .one(db)
        .await
        .unwrap()
        .unwrap();
    // The bootstrap path that creates the first admin writes no record.
    let bootstrapped = [("account", admin.id), ("role_grant", admin_grant.id)];
    let mut audited: HashMap<&str, HashSet<i64>> = HashMap::new();
    for r in &audit {
        audited
            .entry(r.entity_type.as_str())
            .or_default()
            .insert(r.entity_id);
    }
    for (table, entity_type) in AUDITED {
        let stored = ids(db, table).await;
        let missing: Vec<&i64> = stored
            .iter()
            .filter(|id| !bootstrapped.contains(&(table, **id)))
            .filter(|id| !audited.get(entity_type).is_some_and(|a| a.contains(id)))
            .collect();
        assert!(
            missing.is_empty(),
            "{table}: {} of {} rows have no audit record, e.g. {:?}",
            missing.len(),
            stored.len(),
            &missing[..missing.len().min(5)]
        );
    }
    // One record a change: a creation per row, and an ended contract was
    // signed and then ended.
    let created: i64 = AUDITED.iter().map(|(t, _)| before[t]).sum::<i64>() - 2;
    let ended = before["property_contract"] - contracts_in_force(db).await;
    // (The owners' votes keep their own records, on the decision chain.)
    let of_tables = audit
        .iter()
        .filter(|r| AUDITED.iter().any(|(_, ty)| *ty == r.entity_type))
        .count();
    assert_eq!(of_tables as i64, created + ended);

    let compounds = compound::Entity::find().all(db).await.unwrap();
    let kinds: HashSet<CompoundKind> = compounds.iter().map(|c| c.kind).collect();
    for kind in [
        CompoundKind::CommodityHousing,
        CompoundKind::OldCompound,
        CompoundKind::VillageToResidence,
        CompoundKind::BungalowArea,
        CompoundKind::CommercialStreet,
        CompoundKind::IndustrialZone,
    ] {
        assert!(kinds.contains(&kind), "no {kind:?}");
    }

    // Chiefs: every level, all six duties, open terms begun in the past,
    // and the scope columns exactly as appointing through the domain stores them.
    let chiefs = chief_appointment::Entity::find().all(db).await.unwrap();
    let levels: HashSet<ChiefLevel> = chiefs.iter().map(|c| c.level).collect();
    assert_eq!(levels.len(), 10, "levels present: {levels:?}");
    let day = Clock::system().today();
    let mut holders = HashSet::new();
    let mut ranges: HashMap<i64, Vec<(i32, i32)>> = HashMap::new();
    for c in &chiefs {
        assert_eq!(c.duties, Duty::to_bits(&Duty::ALL));
        assert!(c.starts_on < day && c.ends_on.is_none());
        let input = ScopeInput {
            community_id: Some(c.community_id),
            grid_id: c.grid_id,
            compound_id: c.compound_id,
            building_id: c.building_id,
            floor_from: c.floor_from,
            floor_to: c.floor_to,
            label: c.scope_label.clone(),
        };
        let resolved = resolve_scope(db, c.level, &input)
            .await
            .unwrap_or_else(|e| panic!("{:?} #{}: {}", c.level, c.id, e.public_message()));
        assert_eq!(
            format!("{resolved:?}"),
            format!(
                "ResolvedScope {{ community_id: {}, grid_id: {:?}, compound_id: {:?}, building_id: {:?}, floor_from: {:?}, floor_to: {:?}, label: {:?} }}",
                c.community_id,
                c.grid_id,
                c.compound_id,
                c.building_id,
                c.floor_from,
                c.floor_to,
                c.scope_label
            ),
            "{:?} #{}",
            c.level,
            c.id
        );
        if c.level == ChiefLevel::FloorChief {
            let (f, t) = (c.floor_from.unwrap(), c.floor_to.unwrap());
            assert!((2..=3).contains(&(t - f + 1)), "floors {f}–{t}");
            ranges
                .entry(c.building_id.unwrap())
                .or_default()
                .push((f, t));
        } else if c.level.single_holder() {
            let key = (
                c.level,
                c.community_id,
                c.grid_id,
                c.compound_id,
                c.building_id,
                c.scope_label.clone(),
            );
            assert!(
                holders.insert(key),
                "two holders of one position: #{}",
                c.id
            );
        }
    }
    for (building, mut list) in ranges {
        list.sort();
        for pair in list.windows(2) {
            assert!(pair[0].1 < pair[1].0, "overlapping floors in {building}");
        }
    }

    // Every home has its whole chain: 5 (floor/courtyard/shop chief) up to 1.
    let homes = dwelling::Entity::find().all(db).await.unwrap();
    let ids: Vec<i64> = homes.iter().map(|d| d.id).collect();
    let chains = responsible_chains(db, &ids, day).await.unwrap();
    for d in &homes {
        let ranks: Vec<i32> = chains[&d.id].iter().map(|c| c.level.rank()).collect();
        assert_eq!(ranks, vec![5, 4, 3, 3, 2, 1], "dwelling {}", d.number);
    }

    // Three parties: one active branch, committee and contract per compound.
    let branches = party_branch::Entity::find().all(db).await.unwrap();
    let committees = owners_committee::Entity::find().all(db).await.unwrap();
    let contracts = property_contract::Entity::find().all(db).await.unwrap();
    for c in &compounds {
        assert!(
            branches
                .iter()
                .filter(|b| b.compound_id == c.id && b.dissolved_on.is_none())
                .count()
                <= 1
        );
        assert!(
            committees
                .iter()
                .filter(|m| m.compound_id == c.id && m.dissolved_on.is_none())
                .count()
                <= 1
        );
        assert!(
            contracts
                .iter()
                .filter(|k| k.compound_id == c.id && k.status == ContractStatus::Active)
                .count()
                <= 1
        );
    }
    assert!(
        branches
            .iter()
            .any(|b| b.kind == compound_api::domain::kinds::PartyBranchKind::Temporary)
    );
    let members = party_branch_member::Entity::find()
        .find_also_related(person::Entity)
        .all(db)
        .await
        .unwrap();
    for b in &branches {
        let mine: Vec<_> = members
            .iter()
            .filter(|(m, _)| m.branch_id == b.id)
            .collect();
        assert_eq!(
            mine.iter()
                .filter(|(m, _)| m.role == BranchRole::Secretary)
                .count(),
            1,
            "{}",
            b.name
        );
        assert!(mine.iter().all(|(m, p)| {
            p.as_ref().is_some_and(|p| p.is_party_member) && m.starts_on >= b.established_on
        }));
    }
    assert!(members.iter().any(|(m, _)| m.pioneer_post.is_some()));
    let seats = committee_member::Entity::find().all(db).await.unwrap();
    assert!(!committees.is_empty());
    for c in &committees {
        assert!(c.elected_on <= c.term_starts_on && c.term_ends_on > c.term_starts_on);
        assert!(
            c.term_ends_on
                < c.term_starts_on
                    .checked_add_months(Months::new(60))
                    .unwrap()
        );
        assert!(c.term_starts_on <= day && day <= c.term_ends_on);
        let mine: Vec<_> = seats.iter().filter(|s| s.committee_id == c.id).collect();
        assert_eq!(
            mine.iter()
                .filter(|s| s.role == CommitteeRole::Chair)
                .count(),
            1
        );
        for s in mine {
            assert!(
                owns_in_compound(db, s.person_id, c.compound_id, s.starts_on)
                    .await
                    .unwrap(),
                "committee member {} owns nothing in compound {}",
                s.person_id,
                c.compound_id
            );
        }
    }
    let mut secretary_chairs = false;
    for c in &compounds {
        secretary_chairs |= cross_appointment(db, c.id, day)
            .await
            .unwrap()
            .secretary_chairs_committee;
    }
    assert!(
        secretary_chairs,
        "no compound where the secretary chairs the committee"
    );
    assert!(
        dwelling::Entity::find()
            .filter(dwelling::Column::DeveloperHeld.eq(true))
            .one(db)
            .await
            .unwrap()
            .is_some()
    );

    if db.get_database_backend() == sea_orm::DbBackend::Postgres {
        for table in &TABLES[..20] {
            let seq = db
                .query_one_raw(Statement::from_string(
                    sea_orm::DbBackend::Postgres,
                    format!("SELECT pg_get_serial_sequence('{table}', 'id') AS s"),
                ))
                .await
                .unwrap()
                .unwrap()
                .try_get::<String>("", "s")
                .unwrap();
            let row = db
                .query_one_raw(Statement::from_string(
                    sea_orm::DbBackend::Postgres,
                    format!(
                        "SELECT last_value AS v, (SELECT MAX(id) FROM {table}) AS m FROM {seq}"
                    ),
                ))
                .await
                .unwrap()
                .unwrap();
            let (v, m) = (
                row.try_get::<i64>("", "v").unwrap(),
                row.try_get::<Option<i64>>("", "m").unwrap(),
            );
            assert!(
                m.is_none_or(|m| v >= m),
                "{table}: sequence at {v}, max id {m:?}"
            );
        }
    }

    // Accounts share one hash and each holds the grant of its role.
    let accounts = account::Entity::find().all(db).await.unwrap();
    assert!(
        accounts
            .iter()
            .all(|a| a.password_hash == accounts[0].password_hash)
    );
    let grants = role_grant::Entity::find().all(db).await.unwrap();
    for (username, role) in [
        ("admin", Role::PlatformAdmin),
        ("district", Role::DistrictStaff),
        ("subdistrict", Role::SubdistrictStaff),
        ("community", Role::CommunityStaff),
        ("secretary", Role::BranchSecretary),
        ("committee", Role::CommitteeMember),
        ("property", Role::PropertyManager),
        ("resident", Role::Resident),
        ("evaluator", Role::Evaluator),
    ] {
        let acc = accounts.iter().find(|a| a.username == username).unwrap();
        let g = grants.iter().find(|g| g.account_id == acc.id).unwrap();
        assert_eq!(g.role, role, "{username}");
    }
}

#[tokio::test]
async fn demo_loaders_started_together_load_once() {
    let fresh = fresh_db().await;
    let (a, b) = tokio::join!(
        demo::load_scaled(&fresh.db, Scale::SMALL),
        demo::load_scaled(&fresh.db, Scale::SMALL)
    );
    let (a, b) = (a.expect("first loader"), b.expect("second loader"));
    assert!(
        a.is_some() != b.is_some(),
        "exactly one loads: {a:?} / {b:?}"
    );
    let n = counts(&fresh.db).await;
    assert_eq!(n["subdistrict"], 1);
    let activity = activity_accounts(&fresh.db).await.len() as i64;
    assert_eq!(n["account"], 9 + activity);
    assert_eq!(n["event_handler"], 5, "the activity is written once");
    assert_eq!(n["residency"], Scale::SMALL.residents as i64);
}

/// The HTTP application over `fresh`, on a free local port; returns its GraphQL URL.
async fn serve(fresh: &FreshDb) -> String {
    let app = startup::app(fresh.db.clone(), &fresh.config)
        .await
        .expect("app");
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let url = format!("http://{}/graphql", listener.local_addr().expect("addr"));
    let config = fresh.config.clone();
    tokio::spawn(async move {
        startup::serve(listener, app, &config, std::future::pending())
            .await
            .ok();
    });
    url
}

/// Runs an operation that must succeed without errors; returns `data`.
async fn gql(url: &str, token: Option<&str>, query: &str, variables: Value) -> Value {
    let mut req = reqwest::Client::new()
        .post(url)
        .json(&json!({ "query": query, "variables": variables }));
    if let Some(t) = token {
        req = req.bearer_auth(t);
    }
    let body: Value = req
        .send()
        .await
        .expect("request")
        .json()
        .await
        .expect("json");
    assert!(body.get("errors").is_none(), "unexpected errors: {body:#}");
    body["data"].clone()
}

/// The ID of the unit the caller's first grant is over.
async fn scope_of(url: &str, token: &str) -> String {
    let me = gql(url, Some(token), "{ me { grants { scopeId } } }", json!({})).await;
    me["me"]["grants"][0]["scopeId"]
        .as_str()
        .unwrap_or_else(|| panic!("no grant: {me}"))
        .to_owned()
}

/// Logs in with the demo password; returns the token.
async fn login(url: &str, username: &str) -> String {
    let data = gql(
        url,
        None,
        "mutation($input: LoginInput!) { login(input: $input) { token userErrors { message } } }",
        json!({ "input": { "username": username, "password": demo::DEMO_PASSWORD } }),
    )
    .await;
    data["login"]["token"]
        .as_str()
        .unwrap_or_else(|| panic!("{username} cannot log in: {data}"))
        .to_owned()
}

#[tokio::test]
async fn demo_answers_the_resident_portal() {
    let fresh = fresh_db().await;
    demo::load_scaled(&fresh.db, Scale::SMALL)
        .await
        .expect("load")
        .expect("loaded");
    let url = serve(&fresh).await;

    let token = login(&url, "resident").await;
    let me = gql(
        &url,
        Some(&token),
        "{ me { account { username personId } grants { role scopeLevel scopeId } } }",
        json!({}),
    )
    .await;
    assert_eq!(me["me"]["account"]["username"], "resident");
    let person_id = me["me"]["account"]["personId"]
        .as_str()
        .expect("the resident account is linked to a person")
        .to_owned();
    let grant = &me["me"]["grants"][0];
    assert_eq!(grant["role"], "RESIDENT");
    assert_eq!(grant["scopeLevel"], "DWELLING");
    let home = grant["scopeId"].as_str().expect("a dwelling").to_owned();

    let placard = gql(
        &url,
        Some(&token),
        "query($id: ID!) { node(id: $id) { ... on Dwelling { number
            residencies { kind person { id } }
            responsibleChain { rank level holderName contactPhone } } } }",
        json!({ "id": home }),
    )
    .await;
    let dwelling = &placard["node"];
    assert!(
        dwelling["residencies"]
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r["kind"] == "OWNER" && r["person"]["id"] == json!(person_id)),
        "the resident owns and lives in the dwelling: {dwelling:#}"
    );
    let chain = dwelling["responsibleChain"].as_array().unwrap();
    let ranks: Vec<i64> = chain.iter().map(|c| c["rank"].as_i64().unwrap()).collect();
    assert_eq!(ranks, vec![5, 4, 3, 3, 2, 1], "{dwelling:#}");
    assert_eq!(chain[0]["level"], "FLOOR_CHIEF");
    assert_eq!(chain[1]["level"], "BUILDING_CHIEF");
    assert_eq!(chain[5]["level"], "AREA_CHIEF");
    assert!(
        chain
            .iter()
            .all(|c| c["holderName"].is_string() && c["contactPhone"].is_string())
    );

    // The compound of the compound-level accounts shows the three parties
    // and the branch secretary chairing the owners' committee.
    let token = login(&url, "committee").await;
    let compound = scope_of(&url, &token).await;
    let data = gql(
        &url,
        Some(&token),
        "query($id: ID!) { node(id: $id) { ... on Compound { kind
            partyBranch { name } ownersCommittee { name } propertyCompany { name partyOrganisationName }
            crossAppointment { secretaryChairsCommittee } } } }",
        json!({ "id": compound }),
    )
    .await;
    let c = &data["node"];
    assert_eq!(c["kind"], "COMMODITY_HOUSING");
    assert!(c["partyBranch"]["name"].is_string(), "{c:#}");
    assert!(c["ownersCommittee"]["name"].is_string(), "{c:#}");
    assert!(c["propertyCompany"]["name"].is_string(), "{c:#}");
    assert_eq!(c["crossAppointment"]["secretaryChairsCommittee"], true);

    // New rows get fresh ids after the demo's own.
    let token = login(&url, "community").await;
    let community = scope_of(&url, &token).await;
    let created = gql(
        &url,
        Some(&token),
        "mutation($input: CreatePersonInput!) { createPerson(input: $input) { person { id } userErrors { message } } }",
        json!({ "input": { "communityId": community, "name": "新居民" } }),
    )
    .await;
    assert!(
        created["createPerson"]["person"]["id"].is_string(),
        "{created:#}"
    );

    // Every other demo account logs in with the demo password and holds its role.
    for (username, role) in [
        ("admin", "PLATFORM_ADMIN"),
        ("district", "DISTRICT_STAFF"),
        ("subdistrict", "SUBDISTRICT_STAFF"),
        ("community", "COMMUNITY_STAFF"),
        ("secretary", "BRANCH_SECRETARY"),
        ("property", "PROPERTY_MANAGER"),
        ("evaluator", "EVALUATOR"),
    ] {
        let token = login(&url, username).await;
        let me = gql(&url, Some(&token), "{ me { grants { role } } }", json!({})).await;
        assert_eq!(me["me"]["grants"][0]["role"], role, "{username}");
    }
}

/// Issue 7's facts, as a portal reads them from the demo: the linked
/// compound's cross-appointment with the community's two committees and its
/// company both ways, a red company with its organisation, chiefs of each
/// provider and status, a rental building missing its full-time chief, and
/// the associations with their commendations and penalties.
#[tokio::test]
async fn demo_shows_the_three_parties_and_the_chiefs_as_the_rules_have_them() {
    let fresh = fresh_db().await;
    demo::load_scaled(&fresh.db, Scale::SMALL)
        .await
        .expect("load")
        .expect("loaded");
    let url = serve(&fresh).await;
    let token = login(&url, "secretary").await;
    let compound = scope_of(&url, &token).await;
    let data = gql(
        &url,
        None,
        "query($id: ID!) { node(id: $id) { ... on Compound { community {
            partyCommittee { head { person { name } } members { role } }
            residentsCommittee { head { person { name } } }
            chiefsAssociation { codeOfConduct members { role } }
            buildingsMissingFullTimeChief { edges { node { name isRental } } } }
          crossAppointment { communityCommitteeMembersOnCommittee
            twoWay { companyHeadOnPartyCommittee partyCommitteeMemberInCompany bothWays } } } } }",
        json!({ "id": compound }),
    )
    .await["node"]
        .clone();
    let community = &data["community"];
    assert!(
        community["partyCommittee"]["head"]["person"]["name"].is_string(),
        "{data:#}"
    );
    assert!(community["residentsCommittee"]["head"]["person"]["name"].is_string());
    assert!(
        !community["chiefsAssociation"]["members"]
            .as_array()
            .unwrap()
            .is_empty()
    );
    let cross = &data["crossAppointment"];
    assert_eq!(
        cross["communityCommitteeMembersOnCommittee"], true,
        "{data:#}"
    );
    assert_eq!(cross["twoWay"]["bothWays"], true, "{data:#}");

    // Red companies carry their organisation; chiefs record who provides them.
    let red = gql(
        &url,
        None,
        "{ propertyCompanies(redOnly: true) { edges { node { isRed partyOrganisation { secretary { person { name } } members { role } } } } } }",
        json!({}),
    )
    .await;
    let red = red["propertyCompanies"]["edges"].as_array().unwrap();
    assert!(!red.is_empty());
    assert!(
        red.iter()
            .all(|e| e["node"]["partyOrganisation"]["secretary"].is_object())
    );
    let chiefs = chief_appointment::Entity::find()
        .all(&fresh.db)
        .await
        .unwrap();
    let providers: HashSet<_> = chiefs.iter().filter_map(|c| c.provider_kind).collect();
    for p in [
        ChiefProvider::Community,
        ChiefProvider::PropertyCompany,
        ChiefProvider::MarketRegulator,
        ChiefProvider::ZoneOperator,
    ] {
        assert!(providers.contains(&p), "{p:?}");
    }
    // An industrial zone's operator provides its chiefs, by name, and its
    // building chiefs full-time.
    let zone_chiefs: Vec<_> = chiefs
        .iter()
        .filter(|c| c.provider_kind == Some(ChiefProvider::ZoneOperator))
        .collect();
    assert!(zone_chiefs.iter().all(|c| c.provider_name.is_some()));
    assert!(
        zone_chiefs
            .iter()
            .filter(|c| c.level == ChiefLevel::BuildingChief)
            .all(|c| c.employment == Some(ChiefEmployment::FullTime))
    );
    let statuses: HashSet<_> = chiefs.iter().filter_map(|c| c.employment).collect();
    assert_eq!(statuses.len(), 2);
    // Rental buildings: each landlord's building chief is full-time but one's.
    let rentals = building::Entity::find()
        .filter(building::Column::IsRental.eq(true))
        .all(&fresh.db)
        .await
        .unwrap();
    if !rentals.is_empty() {
        assert!(providers.contains(&ChiefProvider::Landlord));
        let communities = gql(
            &url,
            None,
            "{ subdistricts { edges { node { communities { edges { node {
                buildingsMissingFullTimeChief { edges { node { isRental } } } } } } } } } }",
            json!({}),
        )
        .await;
        let missing: usize =
            communities["subdistricts"]["edges"][0]["node"]["communities"]["edges"]
                .as_array()
                .unwrap()
                .iter()
                .map(|c| {
                    c["node"]["buildingsMissingFullTimeChief"]["edges"]
                        .as_array()
                        .unwrap()
                        .len()
                })
                .sum();
        assert_eq!(missing, 1);
    }
    // Votes cited: an election (art. 278 item 3) and a contract (item 4),
    // and a co-ownership chain (A and B co-own one home, B alone another).
    let cited_member = committee_member::Entity::find()
        .filter(committee_member::Column::VoteId.is_not_null())
        .count(&fresh.db)
        .await
        .unwrap();
    assert_eq!(cited_member, 1);
    let cited_contract = property_contract::Entity::find()
        .filter(property_contract::Column::VoteId.is_not_null())
        .count(&fresh.db)
        .await
        .unwrap();
    assert_eq!(cited_contract, 1);
    let owners = compound_api::entity::ownership::Entity::find()
        .all(&fresh.db)
        .await
        .unwrap();
    let chain = owners.iter().any(|o| {
        let co = owners
            .iter()
            .filter(|x| x.dwelling_id == o.dwelling_id)
            .count();
        co == 2
            && owners
                .iter()
                .any(|x| x.person_id == o.person_id && x.dwelling_id != o.dwelling_id)
    });
    assert!(chain, "a co-ownership chain");
    let records = chief_conduct_record::Entity::find()
        .all(&fresh.db)
        .await
        .unwrap();
    let kinds: HashSet<_> = records.iter().map(|r| r.kind).collect();
    assert_eq!(kinds.len(), 2, "a commendation and a penalty");
}

/// The full demo, as the `demo` binary loads it. Slow in a debug build, so
/// only on request: `cargo test --release -p compound-demo demo_full -- --ignored`.
#[tokio::test]
#[ignore = "loads 57,125 residents; run with --ignored"]
async fn demo_full_scale_has_the_seed_figures() {
    let fresh = fresh_db().await;
    let started = std::time::Instant::now();
    let summary = demo::load(&fresh.db).await.expect("load").expect("loaded");
    eprintln!("{summary} — in {:?}", started.elapsed());
    let chiefs = chief_appointment::Entity::find()
        .all(&fresh.db)
        .await
        .unwrap();
    let count = |l: ChiefLevel| chiefs.iter().filter(|c| c.level == l).count();
    assert_eq!(count(ChiefLevel::AreaChief), 7);
    assert_eq!(count(ChiefLevel::CommunityChief), 7);
    assert_eq!(count(ChiefLevel::GridChief), 64);
    assert_eq!(count(ChiefLevel::GridWorker), 64);
    assert_eq!(count(ChiefLevel::BuildingChief), 181);
    assert_eq!(count(ChiefLevel::FloorChief), 562);
    assert_eq!(count(ChiefLevel::AlleyChief), 520);
    assert_eq!(count(ChiefLevel::CourtyardChief), 2_765);
    assert_eq!(counts(&fresh.db).await["residency"], 57_125);
}

#[tokio::test]
async fn demo_posts_a_placard_for_every_compound() {
    let fresh = fresh_db().await;
    demo::load_scaled(&fresh.db, Scale::SMALL)
        .await
        .expect("load")
        .expect("loaded");
    let url = serve(&fresh).await;
    let compounds = compound::Entity::find().all(&fresh.db).await.unwrap();
    let private: HashSet<String> = person::Entity::find()
        .all(&fresh.db)
        .await
        .unwrap()
        .into_iter()
        .filter_map(|p| p.phone)
        .collect();
    let q = "query($id: ID!) { responsibilityPlacard(compoundId: $id) { postedOn inForce
        persons { post name title contactPhone }
        dwellings(first: 1) { edges { node { dwelling { id } chain { rank name contactPhone } } } }
        history { edges { node { postedOn } } } } }";
    let mut with_history = 0;
    for c in &compounds {
        let id =
            compound_api::graphql::id::encode(compound_api::graphql::id::NodeKind::Compound, c.id);
        // Public by design: read without a token.
        let data = gql(&url, None, q, json!({ "id": id })).await;
        let p = &data["responsibilityPlacard"];
        assert_eq!(p["inForce"], true, "{}: {p:#}", c.name);
        let persons = p["persons"].as_array().unwrap();
        let posts: Vec<&str> = persons
            .iter()
            .map(|n| n["post"].as_str().unwrap())
            .collect();
        assert_eq!(
            posts,
            [
                "COMPOUND_RESPONSIBLE",
                "COMMUNITY_RESPONSIBLE",
                "MANAGEMENT_RESPONSIBLE"
            ],
            "{}",
            c.name
        );
        for n in persons {
            assert!(n["name"].is_string() && n["title"].is_string(), "{n:#}");
            let contact = n["contactPhone"].as_str().unwrap();
            assert!(contact.starts_with("027-"), "{contact}");
            assert!(
                !private.contains(contact),
                "a private phone on the placard: {contact}"
            );
        }
        let line = &p["dwellings"]["edges"][0]["node"];
        assert!(line["dwelling"]["id"].is_string(), "{}: {p:#}", c.name);
        assert!(
            line["chain"]
                .as_array()
                .is_some_and(|chain| !chain.is_empty()),
            "{}: {line:#}",
            c.name
        );
        let history = p["history"]["edges"].as_array().unwrap().len();
        assert!(history >= 1);
        if history > 1 {
            with_history += 1;
        }
    }
    // The demo accounts' compound replaced an older placard.
    assert_eq!(with_history, 1);
}

/// The demo's volunteer and service teams: every kind, teams of compounds
/// and of communities, each with a leader serving today, members and a log,
/// one entry corrected, and the services figures of every community filled.
#[tokio::test]
async fn demo_has_service_teams_with_members_and_logs() {
    use compound_api::domain::kinds::{ServiceTeamKind, ServiceTeamRole};
    use compound_api::domain::teams::{FiguresUnit, figures};
    use compound_api::entity::{community, service_activity, service_team, service_team_member};

    let fresh = fresh_db().await;
    let db = &fresh.db;
    demo::load_scaled(db, Scale::SMALL)
        .await
        .expect("load")
        .expect("loaded");
    let today = Clock::system().today();
    let teams = service_team::Entity::find().all(db).await.unwrap();
    let kinds: HashSet<ServiceTeamKind> = teams.iter().map(|t| t.kind).collect();
    assert_eq!(kinds.len(), 3, "{kinds:?}");
    assert!(teams.iter().any(|t| t.compound_id.is_some()));
    assert!(teams.iter().any(|t| t.community_id.is_some()));
    let members = service_team_member::Entity::find().all(db).await.unwrap();
    let log = service_activity::Entity::find().all(db).await.unwrap();
    for t in &teams {
        let own: Vec<_> = members.iter().filter(|m| m.team_id == t.id).collect();
        assert_eq!(
            own.iter()
                .filter(|m| m.role == ServiceTeamRole::Leader
                    && m.joined_on <= today
                    && m.left_on.is_none_or(|l| l >= today))
                .count(),
            1,
            "{}",
            t.name
        );
        assert!(log.iter().any(|a| a.team_id == t.id), "{}", t.name);
    }
    assert_eq!(log.iter().filter(|a| a.corrects_id.is_some()).count(), 1);
    let year_ago = today - chrono::Duration::days(365);
    for c in community::Entity::find().all(db).await.unwrap() {
        let f = figures(db, FiguresUnit::Community(c.id), year_ago, today)
            .await
            .unwrap();
        assert!(
            f.active_teams() > 0 && f.active_members > 0,
            "{}: {f:?}",
            c.name
        );
        assert!(
            f.activities > 0 && f.participations >= f.activities,
            "{}: {f:?}",
            c.name
        );
    }
}

/// Every community publishes a responsibility list for each kind of party,
/// and the demo's property companies, rental buildings and shops are linked
/// to the list of their kind in their own community; anyone reads them.
#[tokio::test]
async fn demo_publishes_responsibility_lists_and_links_its_parties() {
    use compound_api::domain::kinds::{BuildingKind, ResponsiblePartyKind};
    use compound_api::domain::parties::linkage::contract_period;
    use compound_api::entity::{
        building, community, responsibility_link, responsibility_list, responsibility_list_version,
    };
    let fresh = fresh_db().await;
    let db = &fresh.db;
    demo::load_scaled(db, Scale::SMALL)
        .await
        .expect("load")
        .expect("loaded");
    let communities = community::Entity::find().all(db).await.unwrap();
    let lists = responsibility_list::Entity::find().all(db).await.unwrap();
    let versions = responsibility_list_version::Entity::find()
        .all(db)
        .await
        .unwrap();
    let today = Clock::system().today();
    for c in &communities {
        for kind in ResponsiblePartyKind::ALL {
            let list = lists
                .iter()
                .find(|l| l.community_id == c.id && l.party_kind == kind)
                .unwrap_or_else(|| panic!("{} has no {kind:?} list", c.name));
            let of_list: Vec<_> = versions
                .iter()
                .filter(|v| v.list_id == list.id)
                .cloned()
                .collect();
            assert!(
                compound_api::domain::duties::in_force(&of_list, today).is_some(),
                "{} {kind:?}: nothing in force",
                c.name
            );
        }
    }
    let list_of = |id: i64| lists.iter().find(|l| l.id == id).unwrap();
    let links = responsibility_link::Entity::find().all(db).await.unwrap();
    let compounds: HashMap<i64, compound::Model> = compound::Entity::find()
        .all(db)
        .await
        .unwrap()
        .into_iter()
        .map(|c| (c.id, c))
        .collect();
    let buildings = building::Entity::find().all(db).await.unwrap();
    let community_of_building =
        |b: &building::Model| compounds.get(&b.compound_id).unwrap().community_id;

    let rentals: Vec<&building::Model> = buildings.iter().filter(|b| b.is_rental).collect();
    // The small demo may have no rental building (villages let a quarter of theirs).
    for b in &rentals {
        let link = links
            .iter()
            .find(|l| l.building_id == Some(b.id))
            .unwrap_or_else(|| panic!("rental building {} is not linked", b.name));
        let list = list_of(link.list_id);
        assert_eq!(list.party_kind, ResponsiblePartyKind::Landlord);
        assert_eq!(list.community_id, community_of_building(b));
    }
    let shops: Vec<dwelling::Model> = dwelling::Entity::find()
        .all(db)
        .await
        .unwrap()
        .into_iter()
        .filter(|d| {
            buildings.iter().any(|b| {
                b.id == d.building_id
                    && (b.kind == BuildingKind::ShopBlock
                        || compounds[&b.compound_id].kind == CompoundKind::CommercialStreet)
            })
        })
        .collect();
    assert!(!shops.is_empty(), "the demo has shops");
    for d in &shops {
        let link = links
            .iter()
            .find(|l| l.dwelling_id == Some(d.id))
            .unwrap_or_else(|| panic!("shop {} is not linked", d.number));
        assert_eq!(
            list_of(link.list_id).party_kind,
            ResponsiblePartyKind::Merchant
        );
    }
    // Each industrial zone's operator is linked, by name, to its community's factory list.
    let zones: Vec<&compound::Model> = compounds
        .values()
        .filter(|c| c.kind == CompoundKind::IndustrialZone)
        .collect();
    assert!(!zones.is_empty(), "the demo has an industrial zone");
    for z in zones {
        let operator = demo::zone_operator(&z.name);
        let link = links
            .iter()
            .find(|l| l.party_name.as_deref() == Some(operator.as_str()))
            .unwrap_or_else(|| panic!("{operator} is not linked"));
        let list = list_of(link.list_id);
        assert_eq!(list.party_kind, ResponsiblePartyKind::Factory);
        assert_eq!(list.community_id, z.community_id);
    }
    let contracts = property_contract::Entity::find().all(db).await.unwrap();
    let serving: HashSet<(i64, i64)> = contracts
        .iter()
        .filter(|c| contract_period(c).contains(today))
        .map(|c| (compounds[&c.compound_id].community_id, c.company_id))
        .collect();
    assert!(!serving.is_empty(), "the demo has companies serving");
    let linked: HashSet<(i64, i64)> = links
        .iter()
        .filter_map(|l| {
            l.property_company_id
                .map(|company| (list_of(l.list_id).community_id, company))
        })
        .collect();
    assert_eq!(linked, serving);

    // A resident portal reads a shop's duties with no account.
    let url = serve(&fresh).await;
    let id = compound_api::graphql::id::encode(
        compound_api::graphql::id::NodeKind::Dwelling,
        shops[0].id,
    );
    let data = gql(
        &url,
        None,
        "query($id: ID!) { node(id: $id) { ... on Dwelling { responsibilityList {
            partyKind current { title items { field text } } } } } }",
        json!({ "id": id.to_string() }),
    )
    .await;
    let list = &data["node"]["responsibilityList"];
    assert_eq!(list["partyKind"], "MERCHANT");
    assert_eq!(list["current"]["title"], "商户责任清单");
    assert_eq!(list["current"]["items"].as_array().map(Vec::len), Some(4));
}

/// The reads of the benchmark mix (`bench/`) on the demo data: each costs the
/// same number of SQL statements whatever its page size, so no read of the
/// mix runs a statement per row (N+1). Counts statements, never times.
#[tokio::test]
async fn reads_cost_the_same_statements_at_every_page_size() {
    use std::sync::Arc;
    use std::sync::atomic::AtomicUsize;
    let mut fresh = fresh_db().await;
    demo::load_scaled(&fresh.db, Scale::SMALL)
        .await
        .expect("load")
        .expect("loaded");
    let statements = Arc::new(AtomicUsize::new(0));
    let counter = statements.clone();
    fresh.db.set_metric_callback(move |info| {
        counter.fetch_add(1, Ordering::SeqCst);
        // SHOW_SQL=1 prints each statement, to see which read a count comes from.
        if std::env::var("SHOW_SQL").is_ok() {
            let sql = info.statement.sql.chars().take(110).collect::<String>();
            eprintln!("SQL {sql}");
        }
    });
    // The statements of each read are counted, so none may come from the
    // read cache.
    fresh.config.read_cache_bytes = 0;
    let url = serve(&fresh).await;
    let token = login(&url, "subdistrict").await;
    let compound = compound::Entity::find()
        .filter(compound::Column::Kind.eq(CompoundKind::OldCompound))
        .one(&fresh.db)
        .await
        .unwrap()
        .unwrap();
    let compound = compound_api::graphql::id::encode(
        compound_api::graphql::id::NodeKind::Compound,
        compound.id,
    )
    .to_string();
    let votes = gql(
        &url,
        Some(&token),
        "{ compounds(first: 50) { edges { node { assemblyVotes(first: 1) { edges { node { id } } } } } } }",
        json!({}),
    )
    .await;
    let vote = votes["compounds"]["edges"]
        .as_array()
        .unwrap()
        .iter()
        .find_map(|c| c["node"]["assemblyVotes"]["edges"][0]["node"]["id"].as_str())
        .expect("the demo has a vote")
        .to_owned();
    // The demo accounts' compound keeps two years of council matters.
    let linked = scope_of(&url, &login(&url, "secretary").await).await;
    // The activity's reads (bench/queries projects, grid_events and
    // handler_performance, here with every handler of the subdistrict): the
    // community with the most projects, the grid with the most events.
    let busiest = |table: &'static str, column: &'static str| {
        let db = fresh.db.clone();
        async move {
            let row = db
                .query_one_raw(Statement::from_string(
                    db.get_database_backend(),
                    format!(
                        "SELECT {column} AS id FROM {table} GROUP BY {column} \
                         ORDER BY COUNT(*) DESC, {column} LIMIT 1"
                    ),
                ))
                .await
                .unwrap()
                .expect("the demo has an activity");
            row.try_get::<i64>("", "id").unwrap()
        }
    };
    use compound_api::graphql::id::{NodeKind, encode};
    let community = encode(
        NodeKind::Community,
        busiest("project", "community_id").await,
    )
    .to_string();
    let grid = encode(NodeKind::Grid, busiest("grid_event", "grid_id").await).to_string();
    // The evaluation's read (bench/queries/campaign_ranking): the published campaign.
    let campaign = encode(
        NodeKind::EvaluationCampaign,
        busiest("campaign_entry", "campaign_id").await,
    )
    .to_string();
    let subdistrict = scope_of(&url, &token).await;
    let today = Clock::system().today();
    let (from, to) = (today - chrono::Duration::days(200), today);
    let reads = [
        (
            "publications page",
            "query($first: Int!, $linked: ID!) { node(id: $linked) { ... on Compound {
                publications(first: $first) { edges { node { title kind publishedOn publicityEndsOn
                    matter { title } vote { title } corrections { title } } } } } } }",
        ),
        (
            "compound page",
            "query($first: Int!) { compounds(first: $first) { edges { node { id name
                partyBranch { name secretary { person { name } } }
                ownersCommittee { name chair { person { name } } }
                propertyCompany { name }
                buildings(first: $first) { edges { node { name grid { name } } } }
                chiefs(first: $first) { edges { node { level holderName holder { name } } } } } } } }",
        ),
        (
            "placard",
            "query($first: Int!, $compound: ID!) { responsibilityPlacard(compoundId: $compound) {
                persons { post name contactPhone }
                dwellings(first: $first) { edges { node { dwelling { id number } chain { rank name contactPhone } } } } } }",
        ),
        (
            "vote register and tally",
            "query($first: Int!, $vote: ID!) { node(id: $vote) { ... on AssemblyVote { title
                tally { participatingHeads agreeHeads adopted }
                register(first: $first) { edges { node { area persons { name } dwellings { area } } } } } } }",
        ),
        (
            "projects with their 惠从何来",
            "query($first: Int!, $community: ID!) { projects(filter: { communityId: $community }, first: $first) {
                edges { node { title status budgetFen spentFen compound { name }
                    origin { proposer { name } supporters { name } supportCount deliberatedIn { title }
                        deliberation { recordedBy recordedAt } decision { toStatus note recordedBy recordedAt }
                        implementer contractor delivery { recordedAt } budgetFen spentFen
                        rating { count mean } acceptance { recordedBy recordedAt } } } } } }",
        ),
        (
            "events of a grid",
            "query($first: Int!, $grid: ID!) { gridEvents(gridId: $grid, openOnly: false, first: $first) {
                edges { node { id status urgency description reportedBy category { name } handler { name }
                    building { name } supervision { deadline overdue }
                    steps { action recordedAt recordedBy handler { name } } } } } }",
        ),
        (
            "a campaign's ranking",
            "query($first: Int!, $campaign: ID!) { node(id: $campaign) { ... on EvaluationCampaign {
                name phase ranking(first: $first) { edges { node { rank scoreCenti lowestTotal
                    highestTotal counted sheets selected singledOut entry { route compound { name } } } } } } } }",
        ),
        (
            "handlers' performance",
            "query($first: Int!, $subdistrict: ID!, $from: Date!, $to: Date!) {
                eventHandlers(subdistrictId: $subdistrict, first: $first) { edges { node { name kind members
                    performance(from: $from, to: $to) { received closed failedChecks escalations meanHoursToClose } } } } }",
        ),
    ];
    // One loader serves the people of a page at several depths (a branch's
    // secretary, a committee's chair, a chief's holder): whether their loads
    // meet in one batch or run as two or three depends on timing, so the
    // fewest of three runs is compared and two statements are allowed for
    // it. A statement per row would add at least eighteen.
    const WAVES: usize = 2;
    for (read, query) in reads {
        let mut costs = Vec::new();
        for first in [2, 20] {
            let vars = json!({
                "first": first, "compound": compound, "vote": vote, "linked": linked,
                "community": community, "grid": grid, "subdistrict": subdistrict,
                "campaign": campaign,
                "from": from.to_string(), "to": to.to_string(),
            });
            let mut fewest = usize::MAX;
            let mut data = Value::Null;
            for _ in 0..3 {
                let before = statements.load(Ordering::SeqCst);
                data = gql(&url, Some(&token), query, vars.clone()).await;
                fewest = fewest.min(statements.load(Ordering::SeqCst) - before);
            }
            costs.push((fewest, data));
        }
        let (small, large) = (&costs[0], &costs[1]);
        // The larger page really holds more rows, or the check says nothing.
        assert!(
            large.1.to_string().len() > small.1.to_string().len(),
            "{read}: the larger page is no larger: {:#}",
            large.1
        );
        assert!(small.0 > 0, "{read}: no statement was counted");
        assert!(
            large.0 <= small.0 + WAVES,
            "{read}: {} statements for pages of 2, {} for pages of 20",
            small.0,
            large.0
        );
        eprintln!(
            "{read}: {} statements for pages of 2, {} for pages of 20",
            small.0, large.0
        );
    }
    // bench/queries/handler_performance.graphql reads one handler's
    // figures: no page, a few statements.
    let row = fresh
        .db
        .query_one_raw(Statement::from_string(
            fresh.db.get_database_backend(),
            "SELECT handler_id AS id FROM grid_event WHERE handler_id IS NOT NULL \
             GROUP BY handler_id ORDER BY COUNT(*) DESC, handler_id LIMIT 1",
        ))
        .await
        .unwrap()
        .expect("events were dispatched");
    let handler = encode(
        NodeKind::EventHandler,
        row.try_get::<i64>("", "id").unwrap(),
    )
    .to_string();
    let before = statements.load(Ordering::SeqCst);
    let data = gql(
        &url,
        Some(&token),
        "query($h: ID!, $from: Date!, $to: Date!) { handlerPerformance(handlerId: $h, from: $from, to: $to) {
            received closed failedChecks escalations meanHoursToClose } }",
        json!({ "h": handler, "from": from.to_string(), "to": to.to_string() }),
    )
    .await;
    let cost = statements.load(Ordering::SeqCst) - before;
    assert!(
        data["handlerPerformance"]["received"].as_i64() > Some(0),
        "{data}"
    );
    eprintln!("handlerPerformance: {cost} statements");
}

/// What the activity wrote, independent of ids and instants: per compound
/// its projects (status, supports, ratings, spending), notices and
/// opinions; per grid its events (category, status, failed checks, steps).
async fn activity_fingerprint(db: &DatabaseConnection) -> Vec<String> {
    let queries = [
        "SELECT 'project ' || c.name || ' ' || p.title || ' ' || p.status || ' ' || \
           CAST((SELECT COUNT(*) FROM project_support x WHERE x.project_id = p.id) AS VARCHAR(20)) || ' ' || \
           CAST((SELECT COUNT(*) FROM project_rating x WHERE x.project_id = p.id) AS VARCHAR(20)) || ' ' || \
           CAST((SELECT COALESCE(SUM(x.amount_fen), 0) FROM project_spending x WHERE x.project_id = p.id) AS VARCHAR(20)) AS line \
         FROM project p JOIN compound c ON c.id = p.compound_id",
        "SELECT 'event ' || g.name || ' ' || k.name || ' ' || e.status || ' ' || e.description || ' ' || \
           CAST(e.failed_checks AS VARCHAR(20)) || ' ' || \
           CAST((SELECT COUNT(*) FROM grid_event_step x WHERE x.event_id = e.id) AS VARCHAR(20)) AS line \
         FROM grid_event e JOIN grid g ON g.id = e.grid_id JOIN event_category k ON k.id = e.category_id",
        "SELECT 'notice ' || c.name || ' ' || n.title || ' ' || n.publisher AS line \
         FROM notice n JOIN compound c ON c.id = n.compound_id",
        "SELECT 'opinion ' || c.name || ' ' || o.text || ' ' || o.status AS line \
         FROM opinion o JOIN compound c ON c.id = o.compound_id",
    ];
    let mut out = Vec::new();
    for sql in queries {
        for r in db
            .query_all_raw(Statement::from_string(db.get_database_backend(), sql))
            .await
            .expect("fingerprint")
        {
            out.push(r.try_get::<String>("", "line").expect("line"));
        }
    }
    out.sort();
    out
}

/// The demo's civic life (`demo::activity`): people's small things in
/// every status, notices and answered opinions, grid events in every fate
/// with a share still open, each change made by whoever makes it in life,
/// every actor's token revoked, and the same on every load.
#[tokio::test]
async fn demo_lives_its_civic_life_the_same_on_every_load() {
    use compound_api::domain::kinds::{GridEventAction, GridEventStatus, ProjectStatus};
    use compound_api::entity::{
        auth_token, event_supervision, grid, grid_event, grid_event_step, project,
        project_acceptance, project_budget, project_spending,
    };
    let (a, b) = (fresh_db().await, fresh_db().await);
    for f in [&a, &b] {
        let summary = demo::load_scaled(&f.db, Scale::SMALL)
            .await
            .expect("load")
            .expect("loaded");
        assert!(summary.contains(" grid events ("), "{summary}");
    }
    let db = &a.db;
    let print = activity_fingerprint(db).await;
    assert_eq!(print, activity_fingerprint(&b.db).await, "deterministic");
    assert!(print.len() > 50, "{print:#?}");

    // Projects in every status; those past deliberation before a council
    // matter of their own compound; spending within the budget in force.
    let projects = project::Entity::find().all(db).await.unwrap();
    let statuses: HashSet<ProjectStatus> = projects.iter().map(|p| p.status).collect();
    assert_eq!(statuses.len(), ProjectStatus::ALL.len(), "{statuses:?}");
    let matters = compound_api::entity::council_matter::Entity::find()
        .all(db)
        .await
        .unwrap();
    for p in &projects {
        let deliberated = p.status != ProjectStatus::Solicitation;
        assert_eq!(p.council_matter_id.is_some(), deliberated, "{}", p.title);
        if let Some(m) = p.council_matter_id {
            assert!(
                matters
                    .iter()
                    .any(|x| x.id == m && x.compound_id == p.compound_id)
            );
        }
        let budgets = project_budget::Entity::find()
            .filter(project_budget::Column::ProjectId.eq(p.id))
            .all(db)
            .await
            .unwrap();
        let spent: i64 = project_spending::Entity::find()
            .filter(project_spending::Column::ProjectId.eq(p.id))
            .all(db)
            .await
            .unwrap()
            .iter()
            .map(|s| s.amount_fen)
            .sum();
        let budget = compound_api::domain::projects::budget_in_force(&budgets).unwrap_or(0);
        assert!(spent <= budget, "{}: {spent} of {budget}", p.title);
    }
    let outcomes: HashSet<_> = project_acceptance::Entity::find()
        .all(db)
        .await
        .unwrap()
        .into_iter()
        .map(|a| a.outcome)
        .collect();
    assert_eq!(outcomes.len(), 2, "accepted, and sent back once");
    let n = counts(db).await;
    assert!(n["project_support"] > 0 && n["project_rating"] > 0, "{n:?}");
    assert!(n["notice"] > 0, "{n:?}");
    assert!(
        0 < n["opinion_answer"] && n["opinion_answer"] < n["opinion"],
        "{n:?}"
    );
    assert_eq!(
        (n["patrol_item"], n["event_category"], n["event_handler"]),
        (4, 11, 5)
    );

    // Events in every grid, in every status, a share of them open; both
    // escalations at the fourth failed check, one closed since and one
    // past its deadline; every procedure's moves.
    let events = grid_event::Entity::find().all(db).await.unwrap();
    let grids = grid::Entity::find().all(db).await.unwrap();
    assert!(
        grids
            .iter()
            .all(|g| events.iter().any(|e| e.grid_id == g.id))
    );
    let statuses: HashSet<GridEventStatus> = events.iter().map(|e| e.status).collect();
    assert_eq!(statuses.len(), 6, "{statuses:?}");
    let open = events
        .iter()
        .filter(|e| GridEventStatus::OPEN.contains(&e.status))
        .count();
    assert!(
        open > 0 && open < events.len() / 2,
        "{open} of {}",
        events.len()
    );
    let supervisions = event_supervision::Entity::find().all(db).await.unwrap();
    assert!(supervisions.iter().any(|s| s.closed_at.is_some()));
    let today = Clock::system().today();
    assert!(
        supervisions
            .iter()
            .any(|s| s.closed_at.is_none() && s.deadline < today)
    );
    for s in &supervisions {
        let e = events.iter().find(|e| e.id == s.event_id).unwrap();
        assert!(e.failed_checks >= 4);
    }
    let actions: HashSet<GridEventAction> = grid_event_step::Entity::find()
        .all(db)
        .await
        .unwrap()
        .into_iter()
        .map(|s| s.action)
        .collect();
    assert_eq!(actions.len(), 10, "{actions:?}");
    // Closed events closed after they were reported; all of it in the past.
    let now = chrono::Utc::now();
    for e in &events {
        assert!(e.reported_at < now);
        assert!(e.closed_at.is_none_or(|c| c > e.reported_at && c < now));
    }

    // Every actor's token ends with the load, the admin's too.
    let live = auth_token::Entity::find()
        .filter(auth_token::Column::RevokedAt.is_null())
        .count(db)
        .await
        .unwrap();
    assert_eq!(live, 0);

    // Written once: a second load changes nothing.
    let before = counts(db).await;
    assert_eq!(demo::load_scaled(db, Scale::SMALL).await.unwrap(), None);
    assert_eq!(counts(db).await, before);
}

/// What a city load wrote, independent of ids and instants: the subdistricts,
/// and per compound name the matters, votes, ballots and results.
async fn city_fingerprint(db: &DatabaseConnection) -> Vec<String> {
    db.query_all_raw(Statement::from_string(
        db.get_database_backend(),
        "SELECT s.name AS s, c.name AS c, \
           (SELECT COUNT(*) FROM council_matter m WHERE m.compound_id = c.id) AS matters, \
           (SELECT COUNT(*) FROM assembly_vote v WHERE v.compound_id = c.id) AS votes, \
           (SELECT COUNT(*) FROM ballot b JOIN assembly_vote v ON v.id = b.vote_id \
             WHERE v.compound_id = c.id) AS ballots, \
           (SELECT COALESCE(SUM(r.agree_heads), 0) FROM vote_result r JOIN assembly_vote v \
             ON v.id = r.vote_id WHERE v.compound_id = c.id) AS agree \
         FROM compound c JOIN community k ON k.id = c.community_id \
         JOIN subdistrict s ON s.id = k.subdistrict_id ORDER BY s.name, k.name, c.name"
            .to_owned(),
    ))
    .await
    .expect("fingerprint")
    .iter()
    .map(|r| {
        let n = |col: &str| r.try_get::<i64>("", col).expect(col);
        format!(
            "{}/{}: {} matters, {} votes, {} ballots, {} agree",
            r.try_get::<String>("", "s").expect("s"),
            r.try_get::<String>("", "c").expect("c"),
            n("matters"),
            n("votes"),
            n("ballots"),
            n("agree")
        )
    })
    .collect()
}

/// Loads two subdistricts of a small city with their histories.
async fn small_city(db: &DatabaseConnection, history: &demo::History) {
    let loader = demo::Loader::new(db).await.expect("loader");
    for n in 0..2 {
        small_subdistrict(&loader, n, history).await;
    }
}

#[tokio::test]
async fn a_city_loads_its_past_in_every_compound_the_same_every_time() {
    let history = demo::History {
        council_matters: 2,
        votes: 2,
        turnout: 70,
    };
    let (a, b) = (fresh_db().await, fresh_db().await);
    small_city(&a.db, &history).await;
    small_city(&b.db, &history).await;
    let print = city_fingerprint(&a.db).await;
    assert_eq!(print, city_fingerprint(&b.db).await, "deterministic");

    // Both subdistricts lie in 武昌区, the district the first one made.
    let n = counts(&a.db).await;
    assert_eq!((n["district"], n["subdistrict"]), (1, 2));
    // The second subdistrict has no accounts of its own.
    assert_eq!(n["account"], 9);
    // Every compound of the second subdistrict has its two years, two
    // matters and two closed votes with ballots, except the two whose
    // chain the subdistrict's own load began (the election's and the
    // hiring's cited votes, on the day of loading), which keep just those.
    let second: Vec<&String> = print
        .iter()
        .filter(|l| l.starts_with(&demo::Place::nth(1).subdistrict))
        .collect();
    let with_past: Vec<&&String> = second
        .iter()
        .filter(|l| l.contains(": 2 matters, 2 votes, ") && !l.contains(" 0 ballots"))
        .collect();
    assert!(second.len() > 2, "{second:?}");
    assert_eq!(with_past.len(), second.len() - 2, "{second:?}");
    // Votes happened in the past, each closed, on the day it opened.
    let votes = compound_api::entity::assembly_vote::Entity::find()
        .all(&a.db)
        .await
        .unwrap();
    let now = chrono::Utc::now();
    let past: Vec<_> = votes
        .iter()
        .filter(|v| v.opened_at < now - chrono::Duration::days(30))
        .collect();
    assert!(past.len() >= 2 * with_past.len());
    assert!(
        past.iter()
            .all(|v| v.closed_at.is_some_and(|c| c >= v.opened_at))
    );
    // Each compound's decision chain is intact and in time order.
    for c in compound::Entity::find().all(&a.db).await.unwrap() {
        let check = compound_api::domain::decisions::ledger::verify(&a.db, c.id)
            .await
            .unwrap();
        assert_eq!(check.first_broken, None, "{}", c.name);
    }
    // A second run loads nothing more (but the login tokens each history
    // run takes and revokes).
    let without_tokens = |mut n: HashMap<&'static str, i64>| {
        n.remove("auth_token");
        n
    };
    let before = without_tokens(counts(&a.db).await);
    let loader = demo::Loader::new(&a.db).await.unwrap();
    for n in 0..2 {
        let place = demo::Place::nth(n);
        assert_eq!(
            loader.subdistrict(Scale::SMALL, &place).await.unwrap(),
            None
        );
        let again = loader.history(&place, &history).await.unwrap().unwrap();
        assert_eq!((again.compounds, again.ballots), (0, 0));
    }
    assert_eq!(without_tokens(counts(&a.db).await), before);
}

/// Loads subdistrict `n` of a small city and its history.
async fn small_subdistrict(loader: &demo::Loader<'_>, n: usize, history: &demo::History) {
    let place = demo::Place::nth(n);
    loader
        .subdistrict(Scale::SMALL, &place)
        .await
        .expect("subdistrict")
        .expect("loaded");
    loader
        .history(&place, history)
        .await
        .expect("history")
        .expect("the subdistrict is there");
}

/// `bench-data` loads a city's subdistricts side by side: two of one
/// district (which take turns for its row) and one of another, each once,
/// give the same city as loading them one after the other.
#[tokio::test]
async fn a_city_loads_side_by_side_as_it_does_in_turn() {
    let history = demo::History {
        council_matters: 1,
        votes: 1,
        turnout: 70,
    };
    let (a, b) = (fresh_db().await, fresh_db().await);
    let in_turn = demo::Loader::new(&a.db).await.expect("loader");
    for n in [0, 1, 2, 10] {
        small_subdistrict(&in_turn, n, &history).await;
    }
    let side_by_side = demo::Loader::new(&b.db).await.expect("loader");
    small_subdistrict(&side_by_side, 0, &history).await;
    tokio::join!(
        small_subdistrict(&side_by_side, 1, &history),
        small_subdistrict(&side_by_side, 2, &history),
        small_subdistrict(&side_by_side, 10, &history),
    );
    let print = city_fingerprint(&b.db).await;
    assert_eq!(print, city_fingerprint(&a.db).await);
    let n = counts(&b.db).await;
    // 武昌区 once for its three subdistricts, and the second district.
    assert_eq!((n["district"], n["subdistrict"]), (2, 4));
    assert_eq!(counts(&a.db).await, n);
}

/// `open_votes`, the benchmarks' votes: each voter account casts its own
/// owner's ballot online and changes it, and the live tally counts that
/// owner once, with the last choice; a second call touches nothing.
#[tokio::test]
async fn opened_votes_take_each_voter_accounts_own_ballot_once() {
    let fresh = fresh_db().await;
    let db = &fresh.db;
    demo::load_scaled(db, Scale::SMALL)
        .await
        .expect("load")
        .expect("loaded");
    let summary = demo::open_votes(db, 3, 4)
        .await
        .expect("open votes")
        .expect("opened on a fresh demo");
    eprintln!("{summary}");
    assert!(summary.starts_with("opened 3 assembly votes"), "{summary}");
    assert!(summary.contains("12 voter accounts"), "{summary}");

    // Once: a second call, with any figures, changes nothing.
    let before = counts(db).await;
    assert_eq!(demo::open_votes(db, 8, 64).await.expect("again"), None);
    assert_eq!(counts(db).await, before);

    // Largest register first; every new account and grant has its audit
    // record, by the demo's admin, whose token is revoked again.
    let votes = compound_api::entity::assembly_vote::Entity::find()
        .filter(compound_api::entity::assembly_vote::Column::Title.eq(demo::open_votes::VOTE_TITLE))
        .all(db)
        .await
        .unwrap();
    assert_eq!(votes.len(), 3);
    assert!(
        votes
            .windows(2)
            .all(|w| w[0].id < w[1].id && w[0].total_heads >= w[1].total_heads)
    );
    let voters = account::Entity::find()
        .filter(account::Column::Username.starts_with("voter-"))
        .all(db)
        .await
        .unwrap();
    assert_eq!(voters.len(), 12);
    let audit = audit_record::Entity::find().all(db).await.unwrap();
    for acc in &voters {
        assert!(acc.person_id.is_some(), "{}", acc.username);
        let grants = role_grant::Entity::find()
            .filter(role_grant::Column::AccountId.eq(acc.id))
            .all(db)
            .await
            .unwrap();
        assert_eq!(grants.len(), 1, "{}", acc.username);
        assert_eq!(grants[0].role, Role::Resident);
        assert!(grants[0].dwelling_id.is_some());
        for (ty, id) in [("Account", acc.id), ("RoleGrant", grants[0].id)] {
            assert!(
                audit
                    .iter()
                    .any(|r| r.entity_type == ty && r.entity_id == id),
                "{ty} {id} of {} has no audit record",
                acc.username
            );
        }
    }
    let live_tokens = compound_api::entity::auth_token::Entity::find()
        .filter(compound_api::entity::auth_token::Column::RevokedAt.is_null())
        .count(db)
        .await
        .unwrap();
    assert_eq!(live_tokens, 0, "the admin's token is left unrevoked");

    // The owner of voter-1-1 finds the vote from their home, as a portal
    // would, and sees their own seat on it.
    let url = serve(&fresh).await;
    let token = login(&url, "voter-1-1").await;
    let home = scope_of(&url, &token).await;
    let data = gql(
        &url,
        Some(&token),
        "query($id: ID!) { node(id: $id) { ... on Dwelling { building { compound {
            assemblyVotes(first: 10) { edges { node { id title status myBallots { voter { id } ballot { id } } } } } } } } } }",
        json!({ "id": home }),
    )
    .await;
    let vote = data["node"]["building"]["compound"]["assemblyVotes"]["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| &e["node"])
        .find(|v| v["title"] == demo::open_votes::VOTE_TITLE && v["status"] == "OPEN")
        .unwrap_or_else(|| panic!("no open vote in voter-1-1's compound: {data:#}"))
        .clone();
    let seats = vote["myBallots"].as_array().unwrap();
    assert_eq!(
        seats.len(),
        1,
        "one seat, so no voterId is needed: {vote:#}"
    );
    assert!(seats[0]["ballot"].is_null());
    let vote_id = vote["id"].as_str().unwrap().to_owned();
    assert_eq!(
        vote_id,
        compound_api::graphql::id::encode(
            compound_api::graphql::id::NodeKind::AssemblyVote,
            votes[0].id
        )
        .to_string(),
        "voter-1-1 is an owner on the first, largest vote"
    );

    let cast = |choice: &'static str| {
        let (url, token, vote_id) = (url.clone(), token.clone(), vote_id.clone());
        async move {
            let data = gql(
                &url,
                Some(&token),
                "mutation($input: CastBallotInput!) { castBallot(input: $input) {
                    ballot { id choice paper recordedBy supersedes { id } voter { id } } userErrors { field message code } } }",
                json!({ "input": { "voteId": vote_id, "choice": choice } }),
            )
            .await;
            let payload = data["castBallot"].clone();
            assert_eq!(payload["userErrors"], json!([]), "{payload:#}");
            payload["ballot"].clone()
        }
    };
    let first = cast("DISAGREE").await;
    assert_eq!(first["choice"], "DISAGREE");
    assert_eq!(first["paper"], false);
    // Recorded by the owner's own account (shown by its display name).
    let own = voters.iter().find(|a| a.username == "voter-1-1").unwrap();
    assert_eq!(first["recordedBy"], own.display_name.as_str());
    assert!(first["supersedes"].is_null());
    assert_eq!(first["voter"]["id"], seats[0]["voter"]["id"]);
    let second = cast("AGREE").await;
    assert_eq!(second["choice"], "AGREE");
    assert_eq!(second["supersedes"]["id"], first["id"]);
    assert_eq!(second["voter"]["id"], first["voter"]["id"]);

    // The live tally, which anyone may read: that owner once, agreeing.
    let data = gql(
        &url,
        None,
        "query($id: ID!) { node(id: $id) { ... on AssemblyVote { tally {
            isFinal totalHeads participatingHeads agreeHeads disagreeHeads abstainHeads } } } }",
        json!({ "id": vote_id }),
    )
    .await;
    let tally = &data["node"]["tally"];
    assert_eq!(tally["isFinal"], false);
    assert_eq!(tally["totalHeads"], votes[0].total_heads);
    assert_eq!(tally["participatingHeads"], 1, "{tally:#}");
    assert_eq!(tally["agreeHeads"], 1, "{tally:#}");
    assert_eq!(tally["disagreeHeads"], 0, "{tally:#}");
    assert_eq!(tally["abstainHeads"], 0, "{tally:#}");
    let ballots = compound_api::entity::ballot::Entity::find()
        .filter(compound_api::entity::ballot::Column::VoteId.eq(votes[0].id))
        .count(db)
        .await
        .unwrap();
    assert_eq!(ballots, 2, "both ballots are kept, the first superseded");
}
