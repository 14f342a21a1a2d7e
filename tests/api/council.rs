//! The residents' council and 四议两公开 over HTTP: councils and their voting
//! rules, the six steps in order, rejections, the step-4 vote at the edges of
//! both rules, publications with their publicity period and objections,
//! append-only corrections, the per-compound hash chain of decision records,
//! and who may run and read all of it.
//!
//! Longer than 800 lines on purpose: each test is a whole scenario told
//! from setup to last assertion, and the area's scenarios share the setup
//! helpers of this one file; splitting it would scatter both.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{Duration, NaiveDate, Utc};
use compound_api::entity::{council_step, decision_record, publication};
use sea_orm::{ConnectionTrait, EntityTrait, PaginatorTrait};
use serde_json::{Value, json};

use crate::helpers::{
    Fixture, PASSWORD, TestApp, fixture, nodes, own, page_by_one, person, spawn_app, spawn_app_with,
};

const TWO_WEEKS: std::time::Duration = std::time::Duration::from_secs(14 * 24 * 3600);
use crate::register::{assert_error, assert_request_error, id, op, refused, run};

/// The six steps, in order.
const KINDS: [&str; 6] = [
    "PARTY_PROPOSAL",
    "COMMITTEES_DELIBERATION",
    "PARTY_MEMBERS_REVIEW",
    "REPRESENTATIVES_RESOLUTION",
    "RESOLUTION_PUBLICATION",
    "RESULT_PUBLICATION",
];

/// Step dates (days from today) of a matter whose publicity period (7 days
/// from step 5, ten days ago) is over, with step 6 today.
const PERIOD_OVER: [i64; 6] = [-14, -13, -12, -11, -10, 0];
/// Step dates of a matter published two days ago: its period runs on.
const PERIOD_OPEN: [i64; 6] = [-6, -5, -4, -3, -2, 0];

const COUNCIL: &str = "council { id name rule representatives publicityDays compound { id } }";
const MATTER: &str =
    "matter { id title nextStep rejected completed steps { id step number outcome } }";
const STEP: &str = "step { id step number heldOn body attendance minutes outcome representatives
    present votesFor votesAgainst votesAbstain rule quorumMet corrects { id } corrections { id } }";
const PUBLICATION: &str = "publication { id kind title body publishedOn publicityEndsOn
    openForObjections corrects { id } corrections { id } matter { id } }";
const OBJECTION: &str = "objection { id text answered lodgedBy { id name } answers { text } }";
const CHAIN: &str = "intact links firstBrokenSeq firstBrokenKind firstBrokenRecord reason";

/// Today in China Standard Time, the calendar the API's rules use.
fn today() -> NaiveDate {
    (Utc::now() + Duration::hours(8)).date_naive()
}

fn day(n: i64) -> NaiveDate {
    today() + Duration::days(n)
}

fn ymd(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

/// The row id behind a global ID (`base64url("Kind:n")`).
fn row_id(global: &str) -> i64 {
    let raw = URL_SAFE_NO_PAD.decode(global).expect("a global ID");
    let text = String::from_utf8(raw).expect("utf-8 global ID");
    text.rsplit_once(':')
        .and_then(|(_, n)| n.parse().ok())
        .unwrap_or_else(|| panic!("not a global ID: {text}"))
}

/// The record of a step held `held_on`.
fn record(held_on: NaiveDate) -> Value {
    json!({ "heldOn": ymd(held_on), "body": "居民代表会议", "attendance": "代表8人出席", "minutes": "会议纪要" })
}

/// A complete, valid input for step `kind` of `matter`, held `held_on`.
fn step_input(matter: &str, kind: &str, held_on: NaiveDate) -> Value {
    let mut input = json!({ "matterId": matter, "step": kind, "record": record(held_on) });
    match kind {
        "PARTY_PROPOSAL" | "COMMITTEES_DELIBERATION" | "PARTY_MEMBERS_REVIEW" => {
            input["decision"] = json!("APPROVE");
        }
        "REPRESENTATIVES_RESOLUTION" => {
            input["present"] = json!(8);
            input["votesFor"] = json!(6);
            input["votesAgainst"] = json!(1);
            input["votesAbstain"] = json!(1);
        }
        _ => {
            input["publicationTitle"] = json!(format!("{kind} 公示"));
            input["publicationText"] = json!("加装电梯方案及费用分摊");
        }
    }
    input
}

/// Step 4 with the given counts (no abstentions).
fn vote(matter: &str, held_on: NaiveDate, present: i32, for_: i32, against: i32) -> Value {
    let mut input = step_input(matter, "REPRESENTATIVES_RESOLUTION", held_on);
    input["present"] = json!(present);
    input["votesFor"] = json!(for_);
    input["votesAgainst"] = json!(against);
    input["votesAbstain"] = json!(0);
    input
}

/// Creates a council over `compound` as the admin; `extra` adds or overrides input fields.
async fn create_council(app: &TestApp, compound: &str, extra: Value) -> Value {
    let mut input =
        json!({ "compoundId": compound, "name": "翠苑居民议事会", "representatives": 10 });
    if let Value::Object(m) = extra {
        for (k, v) in m {
            input[k] = v;
        }
    }
    run(app, "createResidentsCouncil", COUNCIL, input).await["council"].clone()
}

/// Runs a mutation as `token` (anonymous when `None`); returns the whole response body.
async fn call(
    app: &TestApp,
    token: Option<&str>,
    name: &str,
    selection: &str,
    input: Value,
) -> Value {
    app.gql(token, &op(name, selection), json!({ "input": input }))
        .await
}

/// Runs a mutation as `token`; it must answer without request errors. Returns its payload.
async fn payload(app: &TestApp, token: &str, name: &str, selection: &str, input: Value) -> Value {
    let body = call(app, Some(token), name, selection, input).await;
    assert!(body.get("errors").is_none(), "unexpected errors: {body:#}");
    body["data"][name].clone()
}

/// Opens a matter with its proposal held `held_on`, as `token`.
async fn propose_as(app: &TestApp, token: &str, council: &str, held_on: NaiveDate) -> String {
    id(&app
        .mutate(
            token,
            "proposeCouncilMatter",
            &op("proposeCouncilMatter", MATTER),
            json!({ "councilId": council, "title": "加装电梯", "description": "1号楼加装电梯", "record": record(held_on) }),
        )
        .await["matter"])
}

async fn propose(app: &TestApp, council: &str, held_on: NaiveDate) -> String {
    propose_as(app, &app.admin_token, council, held_on).await
}

/// Records a step as the admin; it must succeed. Returns the step.
async fn step(app: &TestApp, input: Value) -> Value {
    run(app, "recordCouncilStep", STEP, input).await["step"].clone()
}

/// Records a step as the admin; it must be refused. Returns the payload.
async fn step_refused(app: &TestApp, input: Value) -> Value {
    let p = refused(app, "recordCouncilStep", STEP, input).await;
    assert_eq!(
        p["step"],
        Value::Null,
        "a refused step returns no step: {p:#}"
    );
    p
}

/// Opens a matter and takes it through steps 1..=`last`, dated `dates` (days from today).
async fn matter_through(app: &TestApp, council: &str, last: usize, dates: [i64; 6]) -> String {
    let matter = propose(app, council, day(dates[0])).await;
    for (kind, d) in KINDS.iter().zip(dates).take(last).skip(1) {
        step(app, step_input(&matter, kind, day(d))).await;
    }
    matter
}

async fn matter(app: &TestApp, matter: &str) -> Value {
    let q = "query($id: ID!) { node(id: $id) { ... on CouncilMatter { id title rejected completed nextStep
        steps { id step number outcome heldOn body minutes corrections { id minutes } }
        publications { id kind title publishedOn publicityEndsOn corrects { id } } } } }";
    app.ok(Some(&app.admin_token), q, json!({ "id": matter }))
        .await["node"]
        .clone()
}

async fn read(app: &TestApp, token: Option<&str>, id: &str, fragment: &str) -> Value {
    let q = format!("query($id: ID!) {{ node(id: $id) {{ __typename id {fragment} }} }}");
    app.ok(token, &q, json!({ "id": id })).await["node"].clone()
}

/// The chain verification, by `verifyDecisionChain` and by `compound.decisionChain`,
/// which must agree. Asked as the admin, so each is made anew (an anonymous caller may be
/// answered one made up to a minute before: see
/// `chain_verification_is_paid_by_rows_and_anonymous_callers_get_a_recent_one`).
async fn chain(app: &TestApp, compound: &str) -> Value {
    let q = format!(
        "query($c: ID!) {{ verifyDecisionChain(compoundId: $c) {{ {CHAIN} }}
            node(id: $c) {{ ... on Compound {{ decisionChain {{ {CHAIN} }} }} }} }}"
    );
    let data = app
        .ok(Some(&app.admin_token), &q, json!({ "c": compound }))
        .await;
    assert_eq!(
        data["verifyDecisionChain"], data["node"]["decisionChain"],
        "both ways of verifying agree"
    );
    data["verifyDecisionChain"].clone()
}

async fn links_in_db(app: &TestApp) -> u64 {
    decision_record::Entity::find()
        .count(&app.db)
        .await
        .expect("count links")
}

async fn steps_in_db(app: &TestApp) -> u64 {
    council_step::Entity::find()
        .count(&app.db)
        .await
        .expect("count steps")
}

async fn sql(app: &TestApp, statement: &str) {
    app.db
        .execute_unprepared(statement)
        .await
        .unwrap_or_else(|e| panic!("{statement}: {e}"));
}

/// The user error's code, asserting there is exactly the one error and its field ends with `last`.
fn assert_refusal(payload: &Value, last: &str, code: &str) {
    let errors = payload["userErrors"].as_array().expect("userErrors");
    assert!(
        errors.iter().any(|e| e["code"] == code
            && e["field"]
                .as_array()
                .and_then(|f| f.last())
                .is_some_and(|f| f == last)),
        "expected a {code} error at …{last}, got {payload:#}"
    );
}

/// Creates an account, optionally tied to a person, and returns its ID and token.
async fn account(app: &TestApp, username: &str, person: Option<&str>) -> (String, String) {
    let a = run(
        app,
        "createAccount",
        "account { id }",
        json!({ "username": username, "password": PASSWORD, "displayName": username, "personId": person }),
    )
    .await;
    (id(&a["account"]), app.login(username, PASSWORD).await)
}

async fn grant(app: &TestApp, account: &str, role: &str, scope: &str) {
    run(
        app,
        "grantRole",
        "grant { id }",
        json!({ "accountId": account, "role": role, "scopeId": scope }),
    )
    .await;
}

/// Another compound of the fixture's community with one dwelling.
async fn other_compound(app: &TestApp, f: &Fixture) -> (String, String) {
    let compound = id(&run(
        app,
        "createCompound",
        "compound { id }",
        json!({ "communityId": f.community, "name": "翠苑二区", "kind": "OLD_COMPOUND" }),
    )
    .await["compound"]);
    let building = id(&run(
        app,
        "createBuilding",
        "building { id }",
        json!({ "compoundId": compound, "name": "1幢", "gridId": f.grid, "floors": 5 }),
    )
    .await["building"]);
    let dwelling = id(&run(
        app,
        "createDwelling",
        "dwelling { id }",
        json!({ "buildingId": building, "floor": 1, "number": "101", "exclusiveArea": "75.00" }),
    )
    .await["dwelling"]);
    (compound, dwelling)
}

/// The original resolution publication of a matter.
fn resolution_of(matter: &Value) -> Value {
    matter["publications"]
        .as_array()
        .expect("publications")
        .iter()
        .find(|p| p["kind"] == "RESOLUTION" && p["corrects"].is_null())
        .unwrap_or_else(|| panic!("no resolution publication in {matter:#}"))
        .clone()
}

fn kinds(steps: &Value) -> Vec<String> {
    steps
        .as_array()
        .expect("steps")
        .iter()
        .map(|s| s["step"].as_str().expect("step kind").to_owned())
        .collect()
}

#[tokio::test]
async fn a_council_takes_the_urban_rule_and_seven_days_by_default() {
    let app = spawn_app().await;
    let f = fixture(&app).await;
    let c = create_council(&app, &f.compound, json!({})).await;
    assert_eq!(c["name"], "翠苑居民议事会");
    assert_eq!(c["rule"], "URBAN_RESIDENTS");
    assert_eq!(c["representatives"], 10);
    assert_eq!(c["publicityDays"], 7);
    assert_eq!(c["compound"]["id"], f.compound.as_str());

    let read_back = read(
        &app,
        None,
        &f.compound,
        "... on Compound { residentsCouncil { id rule publicityDays } }",
    )
    .await;
    assert_eq!(read_back["residentsCouncil"]["id"], c["id"]);

    // One council per compound.
    let p = refused(
        &app,
        "createResidentsCouncil",
        COUNCIL,
        json!({ "compoundId": f.compound, "name": "第二个议事会", "representatives": 5 }),
    )
    .await;
    assert_error(&p, &["input", "compoundId"], "CONFLICT");

    // Bounds, and the villagers' rule with its own period.
    let (other, _) = other_compound(&app, &f).await;
    for (extra, field) in [
        (json!({ "representatives": 0 }), "representatives"),
        (json!({ "publicityDays": 0 }), "publicityDays"),
        (json!({ "publicityDays": 366 }), "publicityDays"),
    ] {
        let mut input = json!({ "compoundId": other, "name": "议事会", "representatives": 9 });
        for (k, v) in extra.as_object().expect("object") {
            input[k] = v.clone();
        }
        let p = refused(&app, "createResidentsCouncil", COUNCIL, input).await;
        assert_error(&p, &["input", field], "OUT_OF_RANGE");
    }
    let v = create_council(
        &app,
        &other,
        json!({ "rule": "VILLAGERS", "representatives": 9, "publicityDays": 3 }),
    )
    .await;
    assert_eq!(v["rule"], "VILLAGERS");
    assert_eq!(v["publicityDays"], 3);
}

#[tokio::test]
async fn a_matter_goes_through_all_six_steps_in_order() {
    let app = spawn_app().await;
    let f = fixture(&app).await;
    let council = id(&create_council(&app, &f.compound, json!({})).await);

    let m = propose(&app, &council, day(PERIOD_OVER[0])).await;
    let read_m = matter(&app, &m).await;
    assert_eq!(kinds(&read_m["steps"]), ["PARTY_PROPOSAL"]);
    assert_eq!(read_m["steps"][0]["outcome"], "APPROVED");
    assert_eq!(read_m["nextStep"], "COMMITTEES_DELIBERATION");

    for (i, kind) in KINDS.iter().enumerate().skip(1) {
        let held = day(PERIOD_OVER[i]);
        let s = step(&app, step_input(&m, kind, held)).await;
        assert_eq!(s["step"], *kind);
        assert_eq!(s["number"], i + 1);
        assert_eq!(s["heldOn"], ymd(held));
        assert_eq!(s["body"], "居民代表会议");
        assert_eq!(s["attendance"], "代表8人出席");
        assert_eq!(s["minutes"], "会议纪要");
        assert_eq!(s["corrects"], Value::Null);
        match i + 1 {
            2 | 3 => assert_eq!(s["outcome"], "APPROVED"),
            4 => {
                assert_eq!(s["outcome"], "APPROVED");
                assert_eq!(s["representatives"], 10);
                assert_eq!(s["present"], 8);
                assert_eq!(s["votesFor"], 6);
                assert_eq!(s["votesAgainst"], 1);
                assert_eq!(s["votesAbstain"], 1);
                assert_eq!(s["rule"], "URBAN_RESIDENTS");
                assert_eq!(s["quorumMet"], true);
            }
            _ => {
                assert_eq!(s["outcome"], "PUBLISHED");
                assert_eq!(s["present"], Value::Null);
            }
        }
        let now = matter(&app, &m).await;
        assert_eq!(now["steps"].as_array().expect("steps").len(), i + 1);
        assert_eq!(now["rejected"], false);
        if i + 1 < 6 {
            assert_eq!(now["nextStep"], KINDS[i + 1]);
            assert_eq!(now["completed"], false);
        }
    }

    let done = matter(&app, &m).await;
    assert_eq!(kinds(&done["steps"]), KINDS);
    assert_eq!(done["nextStep"], Value::Null);
    assert_eq!(done["completed"], true);
    assert_eq!(done["rejected"], false);

    // The two publications: the resolution with its 7-day period from step 5's day,
    // then the implementation result.
    let pubs = done["publications"].as_array().expect("publications");
    assert_eq!(pubs.len(), 2, "{done:#}");
    assert_eq!(pubs[0]["kind"], "RESOLUTION");
    assert_eq!(pubs[0]["publishedOn"], ymd(day(PERIOD_OVER[4])));
    assert_eq!(pubs[0]["publicityEndsOn"], ymd(day(PERIOD_OVER[4] + 6)));
    assert_eq!(pubs[0]["title"], "RESOLUTION_PUBLICATION 公示");
    assert_eq!(pubs[1]["kind"], "IMPLEMENTATION_RESULT");
    assert_eq!(pubs[1]["publishedOn"], ymd(today()));

    // A completed matter takes no further step.
    let p = step_refused(&app, step_input(&m, "RESULT_PUBLICATION", today())).await;
    assert_error(&p, &["input", "step"], "INVALID_STATE");

    // The matter, its six steps and its two publications: nine intact links.
    let c = chain(&app, &f.compound).await;
    assert_eq!(c["intact"], true, "{c:#}");
    assert_eq!(c["links"], 9);
    assert_eq!(c["firstBrokenSeq"], Value::Null);
    assert_eq!(c["firstBrokenRecord"], Value::Null);
    assert_eq!(c["reason"], Value::Null);
    assert_eq!(links_in_db(&app).await, 9);

    // Residents read the council's matters and steps.
    let anon = read(
        &app,
        None,
        &council,
        "... on ResidentsCouncil { matters { edges { node { id completed steps { step outcome } } } } }",
    )
    .await;
    let matters = nodes(&anon["matters"]);
    assert_eq!(matters[0]["id"], m.as_str());
    assert_eq!(matters[0]["steps"].as_array().map(Vec::len), Some(6));
}

#[tokio::test]
async fn a_councils_matters_are_paged_oldest_first() {
    let app = spawn_app().await;
    let f = fixture(&app).await;
    let council = id(&create_council(&app, &f.compound, json!({})).await);
    let first = propose(&app, &council, day(-2)).await;
    let second = propose(&app, &council, day(-1)).await;
    assert_eq!(
        page_by_one(&app, None, &council, "ResidentsCouncil", "matters").await,
        (first, second)
    );
}

#[tokio::test]
async fn steps_out_of_order_are_refused_and_nothing_is_recorded() {
    let app = spawn_app().await;
    let f = fixture(&app).await;
    let council = id(&create_council(&app, &f.compound, json!({})).await);
    let m = propose(&app, &council, day(-10)).await;

    // Each attempt is complete and valid but for its place in the order.
    let attempts_after = |done: usize| -> Vec<&str> {
        KINDS
            .iter()
            .enumerate()
            .filter(|(i, _)| *i != done)
            .map(|(_, k)| *k)
            .collect()
    };
    for (done, next) in KINDS.iter().enumerate().skip(1) {
        let steps_before = steps_in_db(&app).await;
        let links_before = links_in_db(&app).await;
        for kind in attempts_after(done) {
            let p = step_refused(&app, step_input(&m, kind, day(-9 + done as i64))).await;
            assert_error(&p, &["input", "step"], "INVALID_STATE");
        }
        assert_eq!(steps_in_db(&app).await, steps_before, "nothing recorded");
        assert_eq!(links_in_db(&app).await, links_before, "nothing chained");
        let now = matter(&app, &m).await;
        assert_eq!(now["steps"].as_array().map(Vec::len), Some(done));
        assert_eq!(now["nextStep"], *next);
        if done < 5 {
            // Step 6 would wait for step 5's period: only take steps 2–5 here.
            step(&app, step_input(&m, next, day(-9 + done as i64))).await;
        }
    }
    assert_eq!(kinds(&matter(&app, &m).await["steps"]), KINDS[..5].to_vec());
    assert_eq!(chain(&app, &f.compound).await["intact"], true);
}

#[tokio::test]
async fn a_rejection_stops_the_matter_with_its_record() {
    let app = spawn_app().await;
    let f = fixture(&app).await;
    let council = id(&create_council(&app, &f.compound, json!({})).await);

    for rejected_at in [2, 3] {
        let m = matter_through(&app, &council, rejected_at - 1, PERIOD_OVER).await;
        let mut input = step_input(
            &m,
            KINDS[rejected_at - 1],
            day(PERIOD_OVER[rejected_at - 1]),
        );
        input["decision"] = json!("REJECT");
        input["record"]["minutes"] = json!("多数意见认为费用分摊不合理");
        let s = step(&app, input).await;
        assert_eq!(s["outcome"], "REJECTED");

        let read_m = matter(&app, &m).await;
        assert_eq!(read_m["rejected"], true);
        assert_eq!(read_m["nextStep"], Value::Null);
        assert_eq!(read_m["completed"], false);
        let steps = read_m["steps"].as_array().expect("steps");
        assert_eq!(steps.len(), rejected_at);
        assert_eq!(steps[rejected_at - 1]["outcome"], "REJECTED");
        assert_eq!(
            steps[rejected_at - 1]["minutes"],
            "多数意见认为费用分摊不合理"
        );

        let steps_before = steps_in_db(&app).await;
        let links_before = links_in_db(&app).await;
        // Neither the next step, nor the same step again, nor any later one.
        for kind in &KINDS[rejected_at - 1..] {
            let p = step_refused(&app, step_input(&m, kind, today())).await;
            assert_error(&p, &["input", "step"], "INVALID_STATE");
        }
        assert_eq!(steps_in_db(&app).await, steps_before);
        assert_eq!(links_in_db(&app).await, links_before);
        // The rejected step is still readable, anonymously too.
        let anon = read(
            &app,
            None,
            &id(&s),
            "... on CouncilStep { step outcome minutes }",
        )
        .await;
        assert_eq!(anon["outcome"], "REJECTED");
        assert_eq!(anon["step"], KINDS[rejected_at - 1]);
    }
    assert_eq!(chain(&app, &f.compound).await["intact"], true);
}

#[tokio::test]
async fn the_urban_rule_needs_more_than_half_present_and_more_than_half_of_them_agreeing() {
    let app = spawn_app().await;
    let f = fixture(&app).await;
    let council = id(&create_council(&app, &f.compound, json!({ "representatives": 10 })).await);

    // (present, for, against) → (outcome, quorum met)
    for (present, for_, against, outcome, quorum) in [
        (5, 5, 0, "REJECTED", false), // exactly half present: no quorum
        (6, 4, 2, "APPROVED", true),  // 6 of 10 present, 4 of 6 for
        (6, 3, 3, "REJECTED", true),  // exactly half of those present is not more than half
        (10, 6, 4, "APPROVED", true),
    ] {
        let m = matter_through(&app, &council, 3, PERIOD_OVER).await;
        let s = step(&app, vote(&m, day(PERIOD_OVER[3]), present, for_, against)).await;
        assert_eq!(
            s["outcome"], outcome,
            "{present} present, {for_} for: {s:#}"
        );
        assert_eq!(s["quorumMet"], quorum, "{present} present: {s:#}");
        assert_eq!(s["rule"], "URBAN_RESIDENTS");
        assert_eq!(s["representatives"], 10);
        assert_eq!(s["present"], present);
        assert_eq!(s["votesFor"], for_);
        assert_eq!(s["votesAgainst"], against);
        let read_m = matter(&app, &m).await;
        if outcome == "REJECTED" {
            assert_eq!(read_m["rejected"], true);
            assert_eq!(read_m["nextStep"], Value::Null);
            let p = step_refused(
                &app,
                step_input(&m, "RESOLUTION_PUBLICATION", day(PERIOD_OVER[4])),
            )
            .await;
            assert_error(&p, &["input", "step"], "INVALID_STATE");
        } else {
            assert_eq!(read_m["rejected"], false);
            assert_eq!(read_m["nextStep"], "RESOLUTION_PUBLICATION");
        }
    }
}

#[tokio::test]
async fn the_villagers_rule_needs_two_thirds_present_and_is_kept_with_each_resolution() {
    let app = spawn_app().await;
    let f = fixture(&app).await;
    let council = create_council(
        &app,
        &f.compound,
        json!({ "rule": "VILLAGERS", "representatives": 9 }),
    )
    .await;
    let council = id(&council);

    for (present, for_, outcome, quorum) in [
        (6, 4, "APPROVED", true),  // 6 of 9 is exactly two thirds: enough
        (5, 5, "REJECTED", false), // 5 of 9 is not, even though all agree
        (6, 3, "REJECTED", true),  // half of those present is not enough
    ] {
        let m = matter_through(&app, &council, 3, PERIOD_OVER).await;
        let s = step(&app, vote(&m, day(PERIOD_OVER[3]), present, for_, 0)).await;
        assert_eq!(s["outcome"], outcome, "{present} present: {s:#}");
        assert_eq!(s["quorumMet"], quorum, "{present} present: {s:#}");
        assert_eq!(s["rule"], "VILLAGERS");
        assert_eq!(s["representatives"], 9);
    }

    // 5 of 9 present would not do under the villagers' rule; under the urban rule
    // (more than half) it does. A resolution keeps the rule it was decided by.
    let m = matter_through(&app, &council, 3, PERIOD_OVER).await;
    let villagers = step(&app, vote(&m, day(PERIOD_OVER[3]), 6, 4, 2)).await;
    run(
        &app,
        "updateResidentsCouncil",
        COUNCIL,
        json!({ "id": council, "rule": "URBAN_RESIDENTS" }),
    )
    .await;
    let m2 = matter_through(&app, &council, 3, PERIOD_OVER).await;
    let urban = step(&app, vote(&m2, day(PERIOD_OVER[3]), 5, 3, 2)).await;
    assert_eq!(urban["outcome"], "APPROVED", "{urban:#}");
    assert_eq!(urban["rule"], "URBAN_RESIDENTS");
    let kept = read(
        &app,
        None,
        &id(&villagers),
        "... on CouncilStep { rule quorumMet outcome }",
    )
    .await;
    assert_eq!(kept["rule"], "VILLAGERS");
    assert_eq!(kept["outcome"], "APPROVED");
    assert_eq!(kept["quorumMet"], true);
}

#[tokio::test]
async fn vote_counts_must_fit_those_present_and_the_council() {
    let app = spawn_app().await;
    let f = fixture(&app).await;
    let council = id(&create_council(&app, &f.compound, json!({ "representatives": 10 })).await);
    let m = matter_through(&app, &council, 3, PERIOD_OVER).await;
    let held = day(PERIOD_OVER[3]);
    let steps_before = steps_in_db(&app).await;

    // More votes than representatives present.
    let p = step_refused(&app, vote(&m, held, 6, 4, 3)).await;
    assert_error(&p, &["input", "votesFor"], "OUT_OF_RANGE");
    let mut abstaining = vote(&m, held, 6, 4, 2);
    abstaining["votesAbstain"] = json!(1);
    let p = step_refused(&app, abstaining).await;
    assert_error(&p, &["input", "votesFor"], "OUT_OF_RANGE");
    let p = step_refused(&app, vote(&m, held, 6, 7, 0)).await;
    assert_error(&p, &["input", "votesFor"], "OUT_OF_RANGE");
    // More present than the council has representatives.
    let p = step_refused(&app, vote(&m, held, 11, 6, 0)).await;
    assert_error(&p, &["input", "present"], "OUT_OF_RANGE");
    // Negative counts.
    let p = step_refused(&app, vote(&m, held, 6, 4, -1)).await;
    assert_refusal(&p, "present", "OUT_OF_RANGE");

    assert_eq!(steps_in_db(&app).await, steps_before);
    assert_eq!(
        matter(&app, &m).await["nextStep"],
        "REPRESENTATIVES_RESOLUTION"
    );
    // All ten present, all votes cast: accepted.
    let s = step(&app, {
        let mut v = vote(&m, held, 10, 6, 3);
        v["votesAbstain"] = json!(1);
        v
    })
    .await;
    assert_eq!(s["outcome"], "APPROVED");
}

#[tokio::test]
async fn each_step_requires_its_own_fields() {
    let app = spawn_app().await;
    let f = fixture(&app).await;
    let council = id(&create_council(&app, &f.compound, json!({})).await);
    let m = propose(&app, &council, day(PERIOD_OVER[0])).await;
    let steps_before = steps_in_db(&app).await;

    // Steps 2 and 3 need a decision.
    for kind in ["COMMITTEES_DELIBERATION", "PARTY_MEMBERS_REVIEW"] {
        let mut input = step_input(&m, kind, day(PERIOD_OVER[1]));
        input.as_object_mut().expect("object").remove("decision");
        let p = step_refused(&app, input).await;
        assert_error(&p, &["input", "decision"], "REQUIRED");
    }
    assert_eq!(steps_in_db(&app).await, steps_before);

    let m = matter_through(&app, &council, 3, PERIOD_OVER).await;
    // Step 4 needs those present and the votes for.
    for field in ["present", "votesFor"] {
        let mut input = step_input(&m, "REPRESENTATIVES_RESOLUTION", day(PERIOD_OVER[3]));
        input.as_object_mut().expect("object").remove(field);
        let p = step_refused(&app, input).await;
        assert_error(&p, &["input", field], "REQUIRED");
    }
    step(
        &app,
        step_input(&m, "REPRESENTATIVES_RESOLUTION", day(PERIOD_OVER[3])),
    )
    .await;
    // Steps 5 and 6 need the publication's title and text, not blank.
    for kind in ["RESOLUTION_PUBLICATION", "RESULT_PUBLICATION"] {
        for field in ["publicationTitle", "publicationText"] {
            let mut input = step_input(&m, kind, day(PERIOD_OVER[4]));
            input.as_object_mut().expect("object").remove(field);
            let p = step_refused(&app, input).await;
            assert_error(&p, &["input", field], "REQUIRED");
            let mut blank = step_input(&m, kind, day(PERIOD_OVER[4]));
            blank[field] = json!("   ");
            let p = step_refused(&app, blank).await;
            assert_error(&p, &["input", field], "REQUIRED");
        }
    }
    let read_m = matter(&app, &m).await;
    assert_eq!(read_m["steps"].as_array().map(Vec::len), Some(4));
    assert_eq!(read_m["publications"], json!([]));
    assert_eq!(read_m["nextStep"], "RESOLUTION_PUBLICATION");
}

#[tokio::test]
async fn a_step_cannot_be_held_before_the_previous_one_or_in_the_future() {
    let app = spawn_app().await;
    let f = fixture(&app).await;
    let council = id(&create_council(&app, &f.compound, json!({})).await);

    // Not even the proposal may be dated tomorrow.
    let p = refused(
        &app,
        "proposeCouncilMatter",
        MATTER,
        json!({ "councilId": council, "title": "加装电梯", "description": "d", "record": record(day(1)) }),
    )
    .await;
    assert_refusal(&p, "heldOn", "OUT_OF_RANGE");
    assert_eq!(steps_in_db(&app).await, 0);
    assert_eq!(links_in_db(&app).await, 0, "not even the matter is chained");

    let m = propose(&app, &council, day(-3)).await;
    let p = step_refused(&app, step_input(&m, "COMMITTEES_DELIBERATION", day(-4))).await;
    assert_refusal(&p, "heldOn", "OUT_OF_RANGE");
    let p = step_refused(&app, step_input(&m, "COMMITTEES_DELIBERATION", day(1))).await;
    assert_refusal(&p, "heldOn", "OUT_OF_RANGE");
    assert_eq!(steps_in_db(&app).await, 1);
    // The same day as the previous step, and today, are fine.
    step(&app, step_input(&m, "COMMITTEES_DELIBERATION", day(-3))).await;
    step(&app, step_input(&m, "PARTY_MEMBERS_REVIEW", today())).await;
    let p = step_refused(&app, step_input(&m, "REPRESENTATIVES_RESOLUTION", day(-1))).await;
    assert_refusal(&p, "heldOn", "OUT_OF_RANGE");
}

/// The user error of a step's date points at the input field that holds it,
/// `input.record.heldOn`.
#[tokio::test]
async fn a_date_refusal_points_at_the_records_held_on() {
    let app = spawn_app().await;
    let f = fixture(&app).await;
    let council = id(&create_council(&app, &f.compound, json!({})).await);
    let m = propose(&app, &council, day(-3)).await;
    let p = step_refused(&app, step_input(&m, "COMMITTEES_DELIBERATION", day(1))).await;
    assert_error(&p, &["input", "record", "heldOn"], "OUT_OF_RANGE");
    let p = step_refused(&app, step_input(&m, "COMMITTEES_DELIBERATION", day(-4))).await;
    assert_error(&p, &["input", "record", "heldOn"], "OUT_OF_RANGE");
}

#[tokio::test]
async fn the_resolution_is_published_for_the_councils_publicity_period() {
    let app = spawn_app().await;
    let f = fixture(&app).await;
    let council = id(&create_council(&app, &f.compound, json!({})).await);

    // Published two days ago for 7 days: open until four days from now.
    let m = matter_through(&app, &council, 5, PERIOD_OPEN).await;
    let r = resolution_of(&matter(&app, &m).await);
    assert_eq!(r["publishedOn"], ymd(day(-2)));
    assert_eq!(r["publicityEndsOn"], ymd(day(4)));
    let p = read(
        &app,
        None,
        &id(&r),
        "... on Publication { openForObjections matter { id } }",
    )
    .await;
    assert_eq!(p["openForObjections"], true);
    assert_eq!(p["matter"]["id"], m.as_str());
    // Step 6 waits for the end of the period, whatever day it claims.
    for d in [-1, 0] {
        let p = step_refused(&app, step_input(&m, "RESULT_PUBLICATION", day(d))).await;
        assert_refusal(&p, "heldOn", "INVALID_STATE");
    }
    assert_eq!(matter(&app, &m).await["completed"], false);

    // Published ten days ago for 7 days: over four days ago. Step 6 is due, but not
    // dated within the period.
    let m = matter_through(&app, &council, 5, PERIOD_OVER).await;
    let r = resolution_of(&matter(&app, &m).await);
    assert_eq!(r["publishedOn"], ymd(day(-10)));
    assert_eq!(r["publicityEndsOn"], ymd(day(-4)));
    let p = read(
        &app,
        None,
        &id(&r),
        "... on Publication { openForObjections }",
    )
    .await;
    assert_eq!(p["openForObjections"], false);
    let p = step_refused(&app, step_input(&m, "RESULT_PUBLICATION", day(-4))).await;
    assert_refusal(&p, "heldOn", "INVALID_STATE");
    let s = step(&app, step_input(&m, "RESULT_PUBLICATION", day(-3))).await;
    assert_eq!(s["outcome"], "PUBLISHED");

    // A council's own period: three days means the day of publication and two more.
    run(
        &app,
        "updateResidentsCouncil",
        COUNCIL,
        json!({ "id": council, "publicityDays": 3 }),
    )
    .await;
    let m = matter_through(&app, &council, 5, PERIOD_OPEN).await;
    let r = resolution_of(&matter(&app, &m).await);
    assert_eq!(r["publishedOn"], ymd(day(-2)));
    assert_eq!(r["publicityEndsOn"], ymd(today()));
    let p = step_refused(&app, step_input(&m, "RESULT_PUBLICATION", today())).await;
    assert_refusal(&p, "heldOn", "INVALID_STATE");
}

#[tokio::test]
async fn residents_object_during_the_period_and_implementation_waits_for_every_answer() {
    // Tokens outlive the ten days the clock moves forward.
    let app = spawn_app_with(|c| c.token_ttl = TWO_WEEKS).await;
    let f = fixture(&app).await;
    let council = id(&create_council(&app, &f.compound, json!({})).await);
    let m = matter_through(&app, &council, 5, PERIOD_OPEN).await;
    let resolution = id(&resolution_of(&matter(&app, &m).await));

    // An owner of a dwelling of the compound.
    let owner = person(&app, &f, "王业主", false).await;
    own(&app, &owner, &f.dwellings[0]).await;
    let (_, owner_token) = account(&app, "owner", Some(&owner)).await;
    // A tenant living in one.
    let tenant = person(&app, &f, "李租户", false).await;
    run(
        &app,
        "addResidency",
        "residency { id }",
        json!({ "personId": tenant, "dwellingId": f.dwellings[1], "kind": "TENANT", "startsOn": ymd(day(-100)) }),
    )
    .await;
    let (_, tenant_token) = account(&app, "tenant", Some(&tenant)).await;
    // A tenant who moved out.
    let former = person(&app, &f, "周前租户", false).await;
    run(
        &app,
        "addResidency",
        "residency { id }",
        json!({ "personId": former, "dwellingId": f.dwellings[0], "kind": "TENANT",
                "startsOn": ymd(day(-400)), "endsOn": ymd(day(-30)) }),
    )
    .await;
    let (_, former_token) = account(&app, "former", Some(&former)).await;
    // A person holding the resident role over a dwelling of the compound.
    let family = person(&app, &f, "赵家属", false).await;
    let (family_account, family_token) = account(&app, "family", Some(&family)).await;
    grant(&app, &family_account, "RESIDENT", &f.dwellings[1]).await;
    // An owner in another compound, and an account of nobody in particular.
    let (_, elsewhere_dwelling) = other_compound(&app, &f).await;
    let stranger = person(&app, &f, "孙外人", false).await;
    own(&app, &stranger, &elsewhere_dwelling).await;
    let (_, stranger_token) = account(&app, "stranger", Some(&stranger)).await;
    let (_, nobody_token) = account(&app, "nobody", None).await;

    let lodge = |text: &str| json!({ "publicationId": resolution, "text": text });
    let o1 = payload(
        &app,
        &owner_token,
        "lodgeObjection",
        OBJECTION,
        lodge("费用分摊不公"),
    )
    .await;
    assert_eq!(o1["userErrors"], json!([]), "{o1:#}");
    let o1 = o1["objection"].clone();
    assert_eq!(o1["text"], "费用分摊不公");
    assert_eq!(o1["answered"], false);
    assert_eq!(
        o1["lodgedBy"]["id"],
        owner.as_str(),
        "the resident sees their own name"
    );
    for (token, text) in [(&tenant_token, "噪音问题"), (&family_token, "施工时间")] {
        let o = payload(&app, token, "lodgeObjection", OBJECTION, lodge(text)).await;
        assert_eq!(o["userErrors"], json!([]), "{o:#}");
    }
    // Not a resident of this compound: refused.
    for token in [&stranger_token, &nobody_token, &former_token] {
        let body = call(
            &app,
            Some(token),
            "lodgeObjection",
            OBJECTION,
            lodge("我也反对"),
        )
        .await;
        assert_request_error(&body, "FORBIDDEN");
    }
    let body = call(&app, None, "lodgeObjection", OBJECTION, lodge("匿名反对")).await;
    assert_request_error(&body, "UNAUTHENTICATED");
    // Something to say.
    let p = payload(&app, &owner_token, "lodgeObjection", OBJECTION, lodge("  ")).await;
    assert_error(&p, &["input", "text"], "REQUIRED");

    // Objections are public, the objector's name only to those who run the council.
    let q = "... on Publication { objections { edges { node { id text answered lodgedBy { id name } } } } }";
    let read_objections = |token: Option<String>| {
        let app = &app;
        let resolution = &resolution;
        async move {
            let mut seen = read(app, token.as_deref(), resolution, q).await;
            seen["objections"] = nodes(&seen["objections"]);
            seen
        }
    };
    let seen = read_objections(None).await;
    let objections = seen["objections"].as_array().expect("objections");
    assert_eq!(objections.len(), 3);
    // Paged one at a time, oldest first.
    let (a, b) = page_by_one(&app, None, &resolution, "Publication", "objections").await;
    assert_eq!([a, b], [id(&objections[0]), id(&objections[1])]);
    assert_eq!(objections[0]["text"], "费用分摊不公");
    assert!(
        objections.iter().all(|o| o["lodgedBy"].is_null()),
        "{seen:#}"
    );
    let by_tenant = read_objections(Some(tenant_token.clone())).await;
    assert_eq!(by_tenant["objections"][0]["lodgedBy"], Value::Null);
    assert_eq!(
        by_tenant["objections"][1]["lodgedBy"]["id"],
        tenant.as_str()
    );
    let (secretary_account, secretary) = account(&app, "secretary", None).await;
    grant(&app, &secretary_account, "BRANCH_SECRETARY", &f.compound).await;
    let by_runner = read_objections(Some(secretary.clone())).await;
    assert_eq!(by_runner["objections"][0]["lodgedBy"]["id"], owner.as_str());
    assert_eq!(by_runner["objections"][0]["lodgedBy"]["name"], "王业主");
    assert_eq!(
        by_runner["objections"][2]["lodgedBy"]["id"],
        family.as_str()
    );

    // Let the period pass: ten days later by the app's clock.
    app.clock.advance(chrono::Duration::days(10)).unwrap();
    // Too late to object now.
    let p = payload(
        &app,
        &owner_token,
        "lodgeObjection",
        OBJECTION,
        lodge("还是反对"),
    )
    .await;
    assert_error(&p, &["input", "publicationId"], "INVALID_STATE");

    // Three unanswered objections hold up step 6.
    let o_ids: Vec<String> = objections.iter().map(id).collect();
    let p = step_refused(
        &app,
        step_input(&m, "RESULT_PUBLICATION", app.clock.today()),
    )
    .await;
    assert_error(&p, &["input", "step"], "INVALID_STATE");
    // Residents cannot answer.
    let answer = |o: &str| json!({ "objectionId": o, "text": "已研究，费用按面积分摊" });
    let body = call(
        &app,
        Some(&owner_token),
        "answerObjection",
        OBJECTION,
        answer(&o_ids[0]),
    )
    .await;
    assert_request_error(&body, "FORBIDDEN");
    // The council answers two: one is still open.
    for o in &o_ids[..2] {
        let a = payload(&app, &secretary, "answerObjection", OBJECTION, answer(o)).await;
        assert_eq!(a["userErrors"], json!([]), "{a:#}");
        assert_eq!(a["objection"]["answered"], true);
        assert_eq!(
            a["objection"]["answers"][0]["text"],
            "已研究，费用按面积分摊"
        );
    }
    let p = step_refused(
        &app,
        step_input(&m, "RESULT_PUBLICATION", app.clock.today()),
    )
    .await;
    assert_error(&p, &["input", "step"], "INVALID_STATE");
    let a = payload(
        &app,
        &secretary,
        "answerObjection",
        OBJECTION,
        answer(&o_ids[2]),
    )
    .await;
    assert_eq!(a["userErrors"], json!([]), "{a:#}");
    // Every objection answered, the period over: the result is published.
    let s = step(
        &app,
        step_input(&m, "RESULT_PUBLICATION", app.clock.today()),
    )
    .await;
    assert_eq!(s["outcome"], "PUBLISHED");
    assert_eq!(matter(&app, &m).await["completed"], true);
}

#[tokio::test]
async fn objections_after_the_period_are_refused() {
    let app = spawn_app().await;
    let f = fixture(&app).await;
    let council = id(&create_council(&app, &f.compound, json!({})).await);
    let m = matter_through(&app, &council, 5, PERIOD_OVER).await;
    let resolution = id(&resolution_of(&matter(&app, &m).await));
    let owner = person(&app, &f, "王业主", false).await;
    own(&app, &owner, &f.dwellings[0]).await;
    let (_, token) = account(&app, "owner", Some(&owner)).await;

    let links_before = links_in_db(&app).await;
    let p = payload(
        &app,
        &token,
        "lodgeObjection",
        OBJECTION,
        json!({ "publicationId": resolution, "text": "反对" }),
    )
    .await;
    assert_error(&p, &["input", "publicationId"], "INVALID_STATE");
    assert_eq!(p["objection"], Value::Null);
    assert_eq!(links_in_db(&app).await, links_before);
    let seen = read(
        &app,
        None,
        &resolution,
        "... on Publication { objections { edges { node { id } } } }",
    )
    .await;
    assert_eq!(nodes(&seen["objections"]), json!([]));
}

#[tokio::test]
async fn publications_are_listed_newest_first_and_paged_for_anyone() {
    let app = spawn_app().await;
    let f = fixture(&app).await;
    let council = id(&create_council(&app, &f.compound, json!({})).await);

    // A's resolution (ten days ago), B's resolution (two days ago), A's result (today).
    let a = matter_through(&app, &council, 5, PERIOD_OVER).await;
    let b = matter_through(&app, &council, 5, PERIOD_OPEN).await;
    step(&app, step_input(&a, "RESULT_PUBLICATION", today())).await;
    let read_a = matter(&app, &a).await;
    let a_res = id(&read_a["publications"][0]);
    let a_result = id(&read_a["publications"][1]);
    let b_res = id(&resolution_of(&matter(&app, &b).await));

    let q = "query($c: ID!, $first: Int, $after: String) { node(id: $c) { ... on Compound {
        publications(first: $first, after: $after) {
            edges { cursor node { id kind publishedOn } } pageInfo { hasNextPage endCursor } } } } }";
    let ids = |page: &Value| -> Vec<String> {
        page["edges"]
            .as_array()
            .expect("edges")
            .iter()
            .map(|e| id(&e["node"]))
            .collect()
    };
    let all = app.ok(None, q, json!({ "c": f.compound })).await["node"]["publications"].clone();
    assert_eq!(ids(&all), [a_result.clone(), b_res.clone(), a_res.clone()]);
    let dates: Vec<&str> = all["edges"]
        .as_array()
        .expect("edges")
        .iter()
        .map(|e| e["node"]["publishedOn"].as_str().expect("date"))
        .collect();
    assert_eq!(dates, [ymd(today()), ymd(day(-2)), ymd(day(-10))]);
    assert_eq!(all["edges"][0]["node"]["kind"], "IMPLEMENTATION_RESULT");

    let first = app
        .ok(None, q, json!({ "c": f.compound, "first": 2 }))
        .await["node"]["publications"]
        .clone();
    assert_eq!(ids(&first), [a_result, b_res]);
    assert_eq!(first["pageInfo"]["hasNextPage"], true);
    let second = app
        .ok(
            None,
            q,
            json!({ "c": f.compound, "first": 2, "after": first["pageInfo"]["endCursor"] }),
        )
        .await["node"]["publications"]
        .clone();
    assert_eq!(ids(&second), [a_res]);
    assert_eq!(second["pageInfo"]["hasNextPage"], false);

    // Another compound's list does not show them.
    let (other, _) = other_compound(&app, &f).await;
    let none = app.ok(None, q, json!({ "c": other })).await["node"]["publications"].clone();
    assert_eq!(none["edges"], json!([]));
}

#[tokio::test]
async fn corrections_are_new_records_and_the_originals_stay() {
    let app = spawn_app().await;
    let f = fixture(&app).await;
    let council = id(&create_council(&app, &f.compound, json!({})).await);
    let m = matter_through(&app, &council, 5, PERIOD_OPEN).await;
    let before = matter(&app, &m).await;
    let original = before["steps"][1].clone();
    let links_before = chain(&app, &f.compound).await["links"]
        .as_i64()
        .expect("links");

    // A step: new minutes and attendance.
    let mut rec = record(day(PERIOD_OPEN[1]));
    rec["minutes"] = json!("更正：两委一致同意");
    rec["attendance"] = json!("两委委员7人");
    let c = run(
        &app,
        "correctCouncilStep",
        STEP,
        json!({ "stepId": id(&original), "record": rec }),
    )
    .await["step"]
        .clone();
    assert_ne!(c["id"], original["id"]);
    assert_eq!(c["corrects"]["id"], original["id"]);
    assert_eq!(c["minutes"], "更正：两委一致同意");
    assert_eq!(c["attendance"], "两委委员7人");
    assert_eq!(c["step"], "COMMITTEES_DELIBERATION");
    assert_eq!(c["outcome"], "APPROVED");
    let orig = read(
        &app,
        None,
        &id(&original),
        "... on CouncilStep { minutes attendance corrects { id } corrections { id minutes } }",
    )
    .await;
    assert_eq!(orig["minutes"], "会议纪要", "the original is unchanged");
    assert_eq!(orig["attendance"], "代表8人出席");
    assert_eq!(orig["corrects"], Value::Null);
    assert_eq!(
        orig["corrections"],
        json!([{ "id": c["id"], "minutes": "更正：两委一致同意" }])
    );
    // The procedure is where it was: same steps, same next step.
    let after = matter(&app, &m).await;
    assert_eq!(kinds(&after["steps"]), kinds(&before["steps"]));
    assert_eq!(after["steps"][1]["id"], original["id"]);
    assert_eq!(after["nextStep"], before["nextStep"]);
    assert_eq!(after["nextStep"], "RESULT_PUBLICATION");

    // A publication: a new one pointing at the original, with its period.
    let res = resolution_of(&after);
    let pc = run(
        &app,
        "correctPublication",
        PUBLICATION,
        json!({ "publicationId": id(&res), "title": "决议公示（更正）", "text": "更正后的方案" }),
    )
    .await["publication"]
        .clone();
    assert_ne!(pc["id"], res["id"]);
    assert_eq!(pc["corrects"]["id"], res["id"]);
    assert_eq!(pc["kind"], "RESOLUTION");
    assert_eq!(pc["title"], "决议公示（更正）");
    assert_eq!(pc["body"], "更正后的方案");
    assert_eq!(pc["publishedOn"], res["publishedOn"]);
    assert_eq!(pc["publicityEndsOn"], res["publicityEndsOn"]);
    assert_eq!(pc["matter"]["id"], m.as_str());
    let orig_pub = read(
        &app,
        None,
        &id(&res),
        "... on Publication { title body corrects { id } corrections { id title } }",
    )
    .await;
    assert_eq!(orig_pub["title"], "RESOLUTION_PUBLICATION 公示");
    assert_eq!(orig_pub["body"], "加装电梯方案及费用分摊");
    assert_eq!(
        orig_pub["corrections"],
        json!([{ "id": pc["id"], "title": "决议公示（更正）" }])
    );
    assert_eq!(
        publication::Entity::find()
            .count(&app.db)
            .await
            .expect("count"),
        2
    );
    // Both are listed to residents.
    let listed = read(
        &app,
        None,
        &f.compound,
        "... on Compound { publications { edges { node { id } } } }",
    )
    .await;
    assert_eq!(
        listed["publications"]["edges"],
        json!([{ "node": { "id": pc["id"] } }, { "node": { "id": res["id"] } }])
    );
    assert_eq!(matter(&app, &m).await["nextStep"], "RESULT_PUBLICATION");

    // Both corrections are chained.
    let c = chain(&app, &f.compound).await;
    assert_eq!(c["intact"], true, "{c:#}");
    assert_eq!(c["links"], links_before + 2);
}

/// A correction states when a step was held; it is held to the same calendar
/// as the step: not in the future, not before the step it follows.
#[tokio::test]
async fn a_correction_cannot_date_a_step_in_the_future_or_before_the_previous_step() {
    let app = spawn_app().await;
    let f = fixture(&app).await;
    let council = id(&create_council(&app, &f.compound, json!({})).await);
    let m = matter_through(&app, &council, 3, PERIOD_OPEN).await;
    let second = id(&matter(&app, &m).await["steps"][1]);
    let steps_before = steps_in_db(&app).await;
    for held in [day(1), day(PERIOD_OPEN[0] - 1)] {
        let p = refused(
            &app,
            "correctCouncilStep",
            STEP,
            json!({ "stepId": second, "record": record(held) }),
        )
        .await;
        assert_refusal(&p, "heldOn", "OUT_OF_RANGE");
    }
    assert_eq!(steps_in_db(&app).await, steps_before);
}

/// Verifying a chain reads every link and record, so each caller pays for it by the rows it
/// reads (three per link), from an allowance a minute; anonymous callers (residents
/// checking) are answered a verification up to `CHAIN_CACHE_SECS` old, and told when it was
/// made.
#[tokio::test]
async fn chain_verification_is_paid_by_rows_and_anonymous_callers_get_a_recent_one() {
    // Nine links read 28 rows: an allowance of 60 a minute pays for two verifications.
    let app = spawn_app_with(|c| {
        c.limits.chain_rows_per_minute = 60;
        c.limits.chain_cache = std::time::Duration::from_secs(60);
    })
    .await;
    let f = fixture(&app).await;
    let council = id(&create_council(&app, &f.compound, json!({})).await);
    let m = matter_through(&app, &council, 6, PERIOD_OVER).await;
    let step3 = id(&matter(&app, &m).await["steps"][2]);
    let q = "query($c: ID!) { verifyDecisionChain(compoundId: $c) { intact links checkedAt } }";
    let vars = json!({ "c": f.compound });
    let admin = Some(app.admin_token.as_str());

    let first = app.ok(None, q, vars.clone()).await["verifyDecisionChain"].clone();
    assert_eq!(first["intact"], true);
    assert_eq!(first["links"], 9);
    sql(
        &app,
        &format!(
            "UPDATE council_step SET minutes = 'x' WHERE id = {}",
            row_id(&step3)
        ),
    )
    .await;
    // Within the minute, anonymous callers are answered the verification already made.
    let kept = app.ok(None, q, vars.clone()).await["verifyDecisionChain"].clone();
    assert_eq!(kept, first, "the kept verification, with when it was made");

    // A signed-in caller's is made anew, and finds the edit; anonymous callers then get it.
    let fresh = app.ok(admin, q, vars.clone()).await["verifyDecisionChain"].clone();
    assert_eq!(fresh["intact"], false, "{fresh:#}");
    assert_ne!(fresh["checkedAt"], first["checkedAt"]);
    let kept = app.ok(None, q, vars.clone()).await["verifyDecisionChain"].clone();
    assert_eq!(kept, fresh);

    // The admin's second verification (56 rows of 60) is paid for; the third is refused
    // with when to try again, and the rest of the request is still answered.
    assert_eq!(
        app.ok(admin, q, vars.clone()).await["verifyDecisionChain"]["intact"],
        false
    );
    let answer = app
        .gql(
            admin,
            "query($c: ID!) { verifyDecisionChain(compoundId: $c) { intact } me { account { username } } }",
            vars.clone(),
        )
        .await;
    let error = &answer["errors"][0];
    assert_eq!(error["extensions"]["code"], "RATE_LIMITED", "{answer:#}");
    assert_eq!(error["path"][0], "verifyDecisionChain");
    let wait = error["extensions"]["retryAfterSeconds"]
        .as_i64()
        .expect("retryAfterSeconds");
    assert!((1..=60).contains(&wait), "{answer:#}");
    assert!(
        error["message"].as_str().unwrap().contains("28 rows"),
        "{answer:#}"
    );
    assert_eq!(answer["data"]["me"]["account"]["username"], "admin");

    // Once the allowance has come back, the admin verifies again; past the minute an
    // anonymous caller's verification is made anew too (and paid from the address's own).
    app.clock.advance(Duration::seconds(61)).expect("advance");
    assert_eq!(
        app.ok(admin, q, vars.clone()).await["verifyDecisionChain"]["links"],
        9
    );
    app.clock.advance(Duration::seconds(61)).expect("advance");
    let later = app.ok(None, q, vars.clone()).await["verifyDecisionChain"].clone();
    assert_eq!(later["intact"], false);
    assert_ne!(later["checkedAt"], fresh["checkedAt"]);
}

#[tokio::test]
async fn the_chain_finds_the_first_tampered_record() {
    let app = spawn_app().await;
    let f = fixture(&app).await;
    let council = id(&create_council(&app, &f.compound, json!({})).await);
    let m = matter_through(&app, &council, 6, PERIOD_OVER).await;
    let read_m = matter(&app, &m).await;
    let ok = chain(&app, &f.compound).await;
    assert_eq!(ok["intact"], true);
    assert_eq!(ok["links"], 9);

    // Links: 1 matter, 2–7 steps 1–5 with the resolution after step 5 (so step 3
    // is link 4), then step 6 and its publication.
    let step3 = id(&read_m["steps"][2]);
    let result_pub = id(&read_m["publications"][1]);
    sql(
        &app,
        &format!(
            "UPDATE council_step SET minutes = 'x' WHERE id = {}",
            row_id(&step3)
        ),
    )
    .await;
    let c = chain(&app, &f.compound).await;
    assert_eq!(c["intact"], false, "{c:#}");
    assert_eq!(c["links"], 9);
    assert_eq!(c["firstBrokenSeq"], 4);
    assert_eq!(c["firstBrokenKind"], "CouncilStep");
    assert_eq!(c["firstBrokenRecord"], step3.as_str());
    assert!(c["reason"].as_str().is_some_and(|r| !r.is_empty()));

    // A later edit too: still the first one is reported.
    sql(
        &app,
        &format!(
            "UPDATE publication SET body = '已完工' WHERE id = {}",
            row_id(&result_pub)
        ),
    )
    .await;
    let c = chain(&app, &f.compound).await;
    assert_eq!(c["firstBrokenSeq"], 4);
    assert_eq!(c["firstBrokenRecord"], step3.as_str());

    // Put step 3 back: now the publication is the first broken record.
    sql(
        &app,
        &format!(
            "UPDATE council_step SET minutes = '会议纪要' WHERE id = {}",
            row_id(&step3)
        ),
    )
    .await;
    let c = chain(&app, &f.compound).await;
    assert_eq!(c["intact"], false);
    assert_eq!(c["firstBrokenSeq"], 9);
    assert_eq!(c["firstBrokenKind"], "Publication");
    assert_eq!(c["firstBrokenRecord"], result_pub.as_str());

    // A link's own payload edited: found at that link, before the publication.
    sql(
        &app,
        "UPDATE decision_record SET payload = replace(payload, '加装电梯', '拆除电梯') WHERE seq = 1",
    )
    .await;
    let c = chain(&app, &f.compound).await;
    assert_eq!(c["intact"], false);
    assert_eq!(c["firstBrokenSeq"], 1);
    assert_eq!(c["firstBrokenKind"], "CouncilMatter");
    assert_eq!(c["firstBrokenRecord"], m.as_str());
}

#[tokio::test]
async fn a_deleted_record_or_a_rewritten_hash_is_found() {
    let app = spawn_app().await;
    let f = fixture(&app).await;
    let council = id(&create_council(&app, &f.compound, json!({})).await);
    let m = matter_through(&app, &council, 6, PERIOD_OVER).await;
    let read_m = matter(&app, &m).await;
    let result_pub = id(&read_m["publications"][1]);
    let step2 = id(&read_m["steps"][1]);

    // The last record deleted, its link kept.
    sql(
        &app,
        &format!("DELETE FROM publication WHERE id = {}", row_id(&result_pub)),
    )
    .await;
    let c = chain(&app, &f.compound).await;
    assert_eq!(c["intact"], false, "{c:#}");
    assert_eq!(c["firstBrokenSeq"], 9);
    assert_eq!(c["firstBrokenRecord"], result_pub.as_str());

    // A link's hash rewritten in the middle: found there.
    sql(&app, "UPDATE decision_record SET hash = 'ff' WHERE seq = 3").await;
    let c = chain(&app, &f.compound).await;
    assert_eq!(c["firstBrokenSeq"], 3);
    assert_eq!(c["firstBrokenKind"], "CouncilStep");
    assert_eq!(c["firstBrokenRecord"], step2.as_str());

    // Another compound's chain is untouched (and empty).
    let (other, _) = other_compound(&app, &f).await;
    let c = chain(&app, &other).await;
    assert_eq!(c["intact"], true);
    assert_eq!(c["links"], 0);
}

/// Deleting the newest link leaves its record unchained: every record must be
/// intact, so the chain is not.
#[tokio::test]
async fn a_deleted_last_link_is_found() {
    let app = spawn_app().await;
    let f = fixture(&app).await;
    let council = id(&create_council(&app, &f.compound, json!({})).await);
    let m = matter_through(&app, &council, 6, PERIOD_OVER).await;
    let result_pub = id(&matter(&app, &m).await["publications"][1]);
    sql(&app, "DELETE FROM decision_record WHERE seq = 9").await;
    let c = chain(&app, &f.compound).await;
    assert_eq!(c["intact"], false, "a record without its link: {c:#}");
    assert_eq!(c["firstBrokenKind"], "Publication", "{c:#}");
    assert_eq!(c["firstBrokenRecord"], result_pub.as_str(), "{c:#}");
}

#[tokio::test]
async fn the_party_branch_or_community_staff_run_the_council_and_others_are_refused() {
    let app = spawn_app().await;
    let f = fixture(&app).await;
    let (other, _) = other_compound(&app, &f).await;

    let (secretary_account, secretary) = account(&app, "secretary", None).await;
    grant(&app, &secretary_account, "BRANCH_SECRETARY", &f.compound).await;
    let (staff_account, staff) = account(&app, "staff", None).await;
    grant(&app, &staff_account, "COMMUNITY_STAFF", &f.community).await;
    let (member_account, other_member) = account(&app, "member", None).await;
    grant(&app, &member_account, "COMMITTEE_MEMBER", &other).await;
    let (other_secretary_account, other_secretary) = account(&app, "othersec", None).await;
    grant(&app, &other_secretary_account, "BRANCH_SECRETARY", &other).await;
    let owner = person(&app, &f, "王业主", false).await;
    own(&app, &owner, &f.dwellings[0]).await;
    let (resident_account, resident) = account(&app, "resident", Some(&owner)).await;
    grant(&app, &resident_account, "RESIDENT", &f.dwellings[0]).await;

    // The branch secretary sets up the council and opens a matter; community staff go on.
    let council = payload(
        &app,
        &secretary,
        "createResidentsCouncil",
        COUNCIL,
        json!({ "compoundId": f.compound, "name": "议事会", "representatives": 10 }),
    )
    .await;
    assert_eq!(council["userErrors"], json!([]), "{council:#}");
    let council = id(&council["council"]);
    let m = propose_as(&app, &secretary, &council, day(PERIOD_OVER[0])).await;
    let s2 = payload(
        &app,
        &staff,
        "recordCouncilStep",
        STEP,
        step_input(&m, "COMMITTEES_DELIBERATION", day(PERIOD_OVER[1])),
    )
    .await;
    assert_eq!(s2["userErrors"], json!([]), "{s2:#}");
    let s3 = payload(
        &app,
        &secretary,
        "recordCouncilStep",
        STEP,
        step_input(&m, "PARTY_MEMBERS_REVIEW", day(PERIOD_OVER[2])),
    )
    .await;
    assert_eq!(s3["userErrors"], json!([]), "{s3:#}");

    // Others: refused, and nothing is recorded.
    let steps_before = steps_in_db(&app).await;
    let links_before = links_in_db(&app).await;
    let next = step_input(&m, "REPRESENTATIVES_RESOLUTION", day(PERIOD_OVER[3]));
    for token in [&other_member, &other_secretary, &resident] {
        let body = call(&app, Some(token), "recordCouncilStep", STEP, next.clone()).await;
        assert_request_error(&body, "FORBIDDEN");
        let body = call(
            &app,
            Some(token),
            "proposeCouncilMatter",
            MATTER,
            json!({ "councilId": council, "title": "t", "description": "d", "record": record(today()) }),
        )
        .await;
        assert_request_error(&body, "FORBIDDEN");
        let body = call(
            &app,
            Some(token),
            "correctCouncilStep",
            STEP,
            json!({ "stepId": id(&s2["step"]), "record": record(today()) }),
        )
        .await;
        assert_request_error(&body, "FORBIDDEN");
        let body = call(
            &app,
            Some(token),
            "createResidentsCouncil",
            COUNCIL,
            json!({ "compoundId": f.compound, "name": "议事会", "representatives": 5 }),
        )
        .await;
        assert_request_error(&body, "FORBIDDEN");
        let body = call(
            &app,
            Some(token),
            "updateResidentsCouncil",
            COUNCIL,
            json!({ "id": council, "publicityDays": 1 }),
        )
        .await;
        assert_request_error(&body, "FORBIDDEN");
    }
    let body = call(&app, None, "recordCouncilStep", STEP, next.clone()).await;
    assert_request_error(&body, "UNAUTHENTICATED");
    assert_eq!(steps_in_db(&app).await, steps_before);
    assert_eq!(links_in_db(&app).await, links_before);

    // The secretary finishes steps 4 and 5; the other compound's people cannot
    // correct the publication, and anyone may read it.
    for (i, kind) in KINDS.iter().enumerate().take(5).skip(3) {
        let s = payload(
            &app,
            &secretary,
            "recordCouncilStep",
            STEP,
            step_input(&m, kind, day(PERIOD_OVER[i])),
        )
        .await;
        assert_eq!(s["userErrors"], json!([]), "{s:#}");
    }
    let res = id(&resolution_of(&matter(&app, &m).await));
    for token in [&other_member, &resident] {
        let body = call(
            &app,
            Some(token),
            "correctPublication",
            PUBLICATION,
            json!({ "publicationId": res, "title": "t", "text": "x" }),
        )
        .await;
        assert_request_error(&body, "FORBIDDEN");
    }
    let anon = app
        .ok(
            None,
            "query($c: ID!) { node(id: $c) { ... on Compound { publications { edges { node { id kind title body publishedOn publicityEndsOn publishedBy } } } } } }",
            json!({ "c": f.compound }),
        )
        .await;
    let edges = &anon["node"]["publications"]["edges"];
    assert_eq!(edges.as_array().map(Vec::len), Some(1));
    assert_eq!(edges[0]["node"]["id"], res.as_str());
    assert_eq!(edges[0]["node"]["kind"], "RESOLUTION");
    assert_eq!(edges[0]["node"]["body"], "加装电梯方案及费用分摊");
    let by_resident = app
        .ok(
            Some(&resident),
            "query($c: ID!) { node(id: $c) { ... on Compound { publications { edges { node { id } } } } } }",
            json!({ "c": f.compound }),
        )
        .await;
    assert_eq!(
        by_resident["node"]["publications"]["edges"][0]["node"]["id"],
        res.as_str()
    );
}

/// Concurrent requests on one compound are serialised: one of several
/// identical step-2 requests is recorded, the rest are out of order, and
/// concurrent new matters all join one unforked chain.
#[tokio::test]
async fn concurrent_steps_record_once_and_keep_one_chain() {
    let app = spawn_app().await;
    let f = fixture(&app).await;
    let council = id(&create_council(&app, &f.compound, json!({})).await);
    let m = propose(&app, &council, day(-5)).await;

    let query = op("recordCouncilStep", STEP);
    let input = step_input(&m, "COMMITTEES_DELIBERATION", day(-4));
    let bodies = futures_util::future::join_all((0..6).map(|_| {
        app.gql(
            Some(&app.admin_token),
            &query,
            json!({ "input": input.clone() }),
        )
    }))
    .await;
    let mut recorded = 0;
    for body in &bodies {
        assert!(body.get("errors").is_none(), "no request error: {body:#}");
        let p = &body["data"]["recordCouncilStep"];
        if p["userErrors"] == json!([]) {
            recorded += 1;
        } else {
            assert_error(p, &["input", "step"], "INVALID_STATE");
        }
    }
    assert_eq!(recorded, 1, "{bodies:#?}");
    assert_eq!(
        kinds(&matter(&app, &m).await["steps"]),
        ["PARTY_PROPOSAL", "COMMITTEES_DELIBERATION"]
    );

    let query = op("proposeCouncilMatter", MATTER);
    let bodies = futures_util::future::join_all((0..6).map(|i| {
        app.gql(
            Some(&app.admin_token),
            &query,
            json!({ "input": { "councilId": council, "title": format!("议题{i}"), "description": "d", "record": record(today()) } }),
        )
    }))
    .await;
    for body in &bodies {
        assert!(body.get("errors").is_none(), "no request error: {body:#}");
        assert_eq!(
            body["data"]["proposeCouncilMatter"]["userErrors"],
            json!([])
        );
    }
    // 1 + 6 matters with their proposals, and one step 2.
    let c = chain(&app, &f.compound).await;
    assert_eq!(c["intact"], true, "{c:#}");
    assert_eq!(c["links"], 15);
}

/// Objections to a corrected resolution hold up the implementation as
/// objections to the original do.
#[tokio::test]
async fn an_objection_to_a_correction_also_waits_for_an_answer() {
    // Tokens outlive the ten days the clock moves forward.
    let app = spawn_app_with(|c| c.token_ttl = TWO_WEEKS).await;
    let f = fixture(&app).await;
    let council = id(&create_council(&app, &f.compound, json!({})).await);
    let m = matter_through(&app, &council, 5, PERIOD_OPEN).await;
    let res = id(&resolution_of(&matter(&app, &m).await));
    let corrected = id(&run(
        &app,
        "correctPublication",
        PUBLICATION,
        json!({ "publicationId": res, "title": "决议公示（更正）", "text": "更正后的方案" }),
    )
    .await["publication"]);
    let owner = person(&app, &f, "王业主", false).await;
    own(&app, &owner, &f.dwellings[0]).await;
    let (_, token) = account(&app, "owner", Some(&owner)).await;
    let o = payload(
        &app,
        &token,
        "lodgeObjection",
        OBJECTION,
        json!({ "publicationId": corrected, "text": "更正后仍不合理" }),
    )
    .await;
    assert_eq!(o["userErrors"], json!([]), "{o:#}");
    let objection = id(&o["objection"]);

    // Let the period of both publications pass: ten days later by the app's clock.
    app.clock.advance(chrono::Duration::days(10)).unwrap();
    let p = step_refused(
        &app,
        step_input(&m, "RESULT_PUBLICATION", app.clock.today()),
    )
    .await;
    assert_error(&p, &["input", "step"], "INVALID_STATE");
    run(
        &app,
        "answerObjection",
        OBJECTION,
        json!({ "objectionId": objection, "text": "已答复" }),
    )
    .await;
    let s = step(
        &app,
        step_input(&m, "RESULT_PUBLICATION", app.clock.today()),
    )
    .await;
    assert_eq!(s["outcome"], "PUBLISHED");
}

/// The chain commits to explicit, versioned payloads, not to the rows as the
/// tables look today: a nullable column added to a chained table (here by a
/// test-only migration step) leaves every old link verifying, while a change
/// to a chained field is still found.
#[tokio::test]
async fn a_column_added_to_a_chained_table_leaves_old_links_intact() {
    use migration::{Alias, ColumnDef, SchemaManager, Table};

    let app = spawn_app().await;
    let f = fixture(&app).await;
    let council = id(&create_council(&app, &f.compound, json!({})).await);
    let m = matter_through(&app, &council, 6, PERIOD_OVER).await;
    assert_eq!(chain(&app, &f.compound).await["intact"], true);

    let manager = SchemaManager::new(&app.db);
    for table in ["publication", "council_step"] {
        manager
            .alter_table(
                Table::alter()
                    .table(Alias::new(table))
                    .add_column(ColumnDef::new(Alias::new("remark")).string().null())
                    .to_owned(),
            )
            .await
            .expect("add a nullable column");
        sql(&app, &format!("UPDATE {table} SET remark = '补充说明'")).await;
    }
    let c = chain(&app, &f.compound).await;
    assert_eq!(c["intact"], true, "{c:#}");
    assert_eq!(c["links"], 9);

    // A chained field changed is still found.
    let read_m = matter(&app, &m).await;
    let result_pub = id(&read_m["publications"][1]);
    sql(
        &app,
        &format!(
            "UPDATE publication SET title = '改过的标题' WHERE id = {}",
            row_id(&result_pub)
        ),
    )
    .await;
    let c = chain(&app, &f.compound).await;
    assert_eq!(c["intact"], false, "{c:#}");
    assert_eq!(c["firstBrokenRecord"], result_pub.as_str());
}
