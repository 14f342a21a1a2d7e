//! The three parties over HTTP: the party branch and its members, the
//! owners' committee and its elections, property companies and contracts,
//! joint meetings, and cross-appointment.
//!
//! Longer than 800 lines on purpose: each test is a whole scenario told
//! from setup to last assertion, and the area's scenarios share the setup
//! helpers of this one file; splitting it would scatter both.

use chrono::{Duration, Months, NaiveDate, Utc};
use serde_json::{Value, json};

use crate::helpers::{Fixture, TestApp, fixture, nodes, own, page_by_one, person, spawn_app};
use crate::register::{assert_error, id, node, refused, run};

/// Today in China Standard Time, the calendar the API's rules use.
fn today() -> NaiveDate {
    (Utc::now() + Duration::hours(8)).date_naive()
}

fn ymd(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

fn days_from_today(n: i64) -> String {
    ymd(today() + Duration::days(n))
}

const BRANCH: &str = "partyBranch { id name kind establishedOn dissolvedOn compound { id } }";
const BRANCH_MEMBER: &str =
    "member { id role pioneerPost startsOn endsOn person { id name } branch { id } }";
const COMMITTEE: &str = "ownersCommittee { id name electedOn termStartsOn termEndsOn dissolvedOn }";
const SEAT: &str = "member { id role startsOn endsOn endedEarly endReason person { id name }
    replaces { id role startsOn endsOn endedEarly endReason person { name } } committee { id } }";
const COMPANY: &str = "propertyCompany { id name starRating isRed partyOrganisation { name } }";
const CONTRACT: &str =
    "contract { id startsOn endsOn status endedOn endReason company { id name } compound { id } }";
const MEETING: &str = "jointMeeting { id heldOn title agenda minutes
    attendees { party person { id name } } resolutions { position text } compound { id } }";

/// Another compound of the fixture's community, with one building and two dwellings.
async fn other_compound(app: &TestApp, f: &Fixture, name: &str) -> (String, Vec<String>) {
    let compound = id(&run(
        app,
        "createCompound",
        "compound { id }",
        json!({ "communityId": f.community, "name": name, "kind": "OLD_COMPOUND" }),
    )
    .await["compound"]);
    let building = id(&run(
        app,
        "createBuilding",
        "building { id }",
        json!({ "compoundId": compound, "name": "1幢", "gridId": f.grid, "floors": 5 }),
    )
    .await["building"]);
    let mut dwellings = Vec::new();
    for number in ["101", "102", "201"] {
        dwellings.push(id(&run(
            app,
            "createDwelling",
            "dwelling { id }",
            json!({ "buildingId": building, "floor": 1, "number": number, "exclusiveArea": "75.00" }),
        )
        .await["dwelling"]));
    }
    (compound, dwellings)
}

async fn branch(app: &TestApp, compound: &str) -> String {
    id(&run(
        app,
        "createPartyBranch",
        BRANCH,
        json!({ "compoundId": compound, "name": "党支部", "kind": "STANDING", "establishedOn": "2022-01-01" }),
    )
    .await["partyBranch"])
}

async fn branch_member(
    app: &TestApp,
    branch: &str,
    person: &str,
    role: &str,
    from: &str,
) -> String {
    id(&run(
        app,
        "addBranchMember",
        BRANCH_MEMBER,
        json!({ "branchId": branch, "personId": person, "role": role, "startsOn": from }),
    )
    .await["member"])
}

/// A committee serving today: its term started 400 days ago and lasts the
/// longest allowed, five years.
async fn committee(app: &TestApp, compound: &str) -> (String, NaiveDate) {
    let start = today() - Duration::days(400);
    let end = start + Months::new(60) - Duration::days(1);
    let c = run(
        app,
        "createOwnersCommittee",
        COMMITTEE,
        json!({ "compoundId": compound, "name": "第一届业主委员会", "electedOn": ymd(start - Duration::days(10)),
                "termStartsOn": ymd(start), "termEndsOn": ymd(end) }),
    )
    .await;
    (id(&c["ownersCommittee"]), start)
}

async fn elect(app: &TestApp, committee: &str, person: &str, role: &str) -> String {
    id(&run(
        app,
        "electCommitteeMember",
        SEAT,
        json!({ "committeeId": committee, "personId": person, "role": role }),
    )
    .await["member"])
}

fn names_of(list: &Value, path: &[&str]) -> Vec<String> {
    list.as_array()
        .unwrap_or_else(|| panic!("not a list: {list:#}"))
        .iter()
        .map(|item| {
            let mut v = item;
            for p in path {
                v = &v[*p];
            }
            v.as_str().unwrap_or_default().to_owned()
        })
        .collect()
}

#[tokio::test]
async fn party_branch_has_one_active_branch_and_members_by_the_rules() {
    let app = spawn_app().await;
    let f = fixture(&app).await;
    let chen = person(&app, &f, "陈书记", true).await;
    let lin = person(&app, &f, "林书记", true).await;
    let zhou = person(&app, &f, "周党员", true).await;
    let wu = person(&app, &f, "吴群众", false).await;

    let b = run(
        &app,
        "createPartyBranch",
        BRANCH,
        json!({ "compoundId": f.compound, "name": "翠苑一区临时党支部", "kind": "TEMPORARY", "establishedOn": "2023-01-01" }),
    )
    .await["partyBranch"]
        .clone();
    assert_eq!(b["kind"], "TEMPORARY");
    assert_eq!(b["establishedOn"], "2023-01-01");
    assert_eq!(b["dissolvedOn"], Value::Null);
    assert_eq!(b["compound"]["id"], f.compound.as_str());
    let b = id(&b);
    let c = node(&app, &f.compound, "... on Compound { partyBranch { id } }").await;
    assert_eq!(c["partyBranch"]["id"], b.as_str());

    // A second active branch is refused.
    let p = refused(
        &app,
        "createPartyBranch",
        BRANCH,
        json!({ "compoundId": f.compound, "name": "翠苑一区党支部", "kind": "STANDING", "establishedOn": "2024-01-01" }),
    )
    .await;
    assert_eq!(p["partyBranch"], Value::Null);
    assert_error(&p, &["input", "compoundId"], "CONFLICT");

    // The temporary branch is made standing.
    let u = run(
        &app,
        "updatePartyBranch",
        BRANCH,
        json!({ "id": b, "kind": "STANDING", "name": "翠苑一区党支部" }),
    )
    .await;
    assert_eq!(u["partyBranch"]["kind"], "STANDING");
    assert_eq!(u["partyBranch"]["name"], "翠苑一区党支部");

    // Only party members join.
    let p = refused(
        &app,
        "addBranchMember",
        BRANCH_MEMBER,
        json!({ "branchId": b, "personId": wu, "role": "MEMBER", "startsOn": "2023-01-01" }),
    )
    .await;
    assert_eq!(p["member"], Value::Null);
    assert_error(&p, &["input", "personId"], "INVALID");

    // One secretary at a time.
    let s1 = run(
        &app,
        "addBranchMember",
        BRANCH_MEMBER,
        json!({ "branchId": b, "personId": chen, "role": "SECRETARY", "startsOn": "2023-01-01", "endsOn": "2024-06-30" }),
    )
    .await["member"]
        .clone();
    assert_eq!(s1["role"], "SECRETARY");
    assert_eq!(s1["endsOn"], "2024-06-30");
    assert_eq!(s1["branch"]["id"], b.as_str());
    let p = refused(
        &app,
        "addBranchMember",
        BRANCH_MEMBER,
        json!({ "branchId": b, "personId": lin, "role": "SECRETARY", "startsOn": "2024-06-30" }),
    )
    .await;
    assert_error(&p, &["input", "role"], "CONFLICT");
    let s2 = branch_member(&app, &b, &lin, "SECRETARY", "2024-07-01").await;

    // A person's terms never overlap.
    let z1 = run(
        &app,
        "addBranchMember",
        BRANCH_MEMBER,
        json!({ "branchId": b, "personId": zhou, "role": "MEMBER", "pioneerPost": "环境卫生先锋岗", "startsOn": "2023-03-01" }),
    )
    .await["member"]
        .clone();
    assert_eq!(z1["pioneerPost"], "环境卫生先锋岗");
    let z1 = id(&z1);
    let p = refused(
        &app,
        "addBranchMember",
        BRANCH_MEMBER,
        json!({ "branchId": b, "personId": zhou, "role": "DEPUTY_SECRETARY", "startsOn": "2025-01-01" }),
    )
    .await;
    assert_error(&p, &["input", "startsOn"], "CONFLICT");
    run(
        &app,
        "endBranchMember",
        BRANCH_MEMBER,
        json!({ "memberId": z1, "endsOn": "2024-12-31" }),
    )
    .await;
    let p = refused(
        &app,
        "endBranchMember",
        BRANCH_MEMBER,
        json!({ "memberId": z1, "endsOn": "2025-12-31" }),
    )
    .await;
    assert_error(&p, &["input", "id"], "INVALID_STATE");
    let z2 = branch_member(&app, &b, &zhou, "DEPUTY_SECRETARY", "2025-01-01").await;
    // Nobody joins before the branch exists.
    let zheng = person(&app, &f, "郑党员", true).await;
    let p = refused(
        &app,
        "addBranchMember",
        BRANCH_MEMBER,
        json!({ "branchId": b, "personId": zheng, "role": "MEMBER", "startsOn": "2022-12-31", "endsOn": "2023-01-31" }),
    )
    .await;
    assert_error(&p, &["input", "startsOn"], "OUT_OF_RANGE");

    let q = "... on PartyBranch { secretary { id person { name } }
        serving: members { id role person { name } }
        all: members(includePast: true) { id role endsOn person { name } } }";
    let view = node(&app, &b, q).await;
    assert_eq!(view["secretary"]["id"], s2.as_str());
    assert_eq!(view["secretary"]["person"]["name"], "林书记");
    assert_eq!(
        names_of(&view["serving"], &["person", "name"]),
        ["林书记", "周党员"]
    );
    assert_eq!(view["serving"][1]["id"], z2.as_str());
    assert_eq!(view["serving"][1]["role"], "DEPUTY_SECRETARY");
    assert_eq!(
        names_of(&view["all"], &["person", "name"]),
        ["陈书记", "林书记", "周党员", "周党员"]
    );

    // Dissolving the branch ends every open term on its last day.
    let last_day = days_from_today(-1);
    let d = run(
        &app,
        "updatePartyBranch",
        BRANCH,
        json!({ "id": b, "dissolvedOn": last_day }),
    )
    .await;
    assert_eq!(d["partyBranch"]["dissolvedOn"], last_day.as_str());
    let view = node(&app, &b, q).await;
    assert_eq!(view["secretary"], Value::Null);
    assert_eq!(view["serving"], json!([]));
    let ends: Vec<Value> = view["all"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["endsOn"].clone())
        .collect();
    assert_eq!(
        ends,
        [
            json!("2024-06-30"),
            json!(last_day),
            json!("2024-12-31"),
            json!(last_day)
        ]
    );
    let c = node(&app, &f.compound, "... on Compound { partyBranch { id } }").await;
    assert_eq!(c["partyBranch"], Value::Null);
    let p = refused(
        &app,
        "addBranchMember",
        BRANCH_MEMBER,
        json!({ "branchId": b, "personId": wu, "role": "MEMBER", "startsOn": "2024-01-01" }),
    )
    .await;
    assert_error(&p, &["input", "branchId"], "INVALID_STATE");

    // With the old one dissolved, a new branch may be set up after its last day.
    let nb = id(&run(
        &app,
        "createPartyBranch",
        BRANCH,
        json!({ "compoundId": f.compound, "name": "翠苑一区第二党支部", "kind": "STANDING", "establishedOn": days_from_today(0) }),
    )
    .await["partyBranch"]);
    let c = node(&app, &f.compound, "... on Compound { partyBranch { id } }").await;
    assert_eq!(c["partyBranch"]["id"], nb.as_str());
}

#[tokio::test]
async fn owners_committee_terms_elections_and_replacements() {
    let app = spawn_app().await;
    let f = fixture(&app).await;
    let (_, elsewhere) = other_compound(&app, &f, "翠苑二区").await;
    let o1 = person(&app, &f, "业主甲", false).await;
    let o2 = person(&app, &f, "业主乙", false).await;
    let o3 = person(&app, &f, "业主丙", false).await;
    let tenant = person(&app, &f, "租户丁", false).await;
    let outsider = person(&app, &f, "邻区业主戊", false).await;
    own(&app, &o1, &f.dwellings[0]).await;
    own(&app, &o2, &f.dwellings[1]).await;
    own(&app, &o3, &f.dwellings[0]).await;
    own(&app, &outsider, &elsewhere[0]).await;
    run(
        &app,
        "addResidency",
        "residency { id }",
        json!({ "personId": tenant, "dwellingId": f.dwellings[1], "kind": "TENANT", "startsOn": "2020-01-01" }),
    )
    .await;

    // A term is at most five years.
    let start = today() - Duration::days(400);
    let five_years = start + Months::new(60) - Duration::days(1);
    for too_long in [start + Months::new(60), start + Months::new(72)] {
        let p = refused(
            &app,
            "createOwnersCommittee",
            COMMITTEE,
            json!({ "compoundId": f.compound, "name": "第一届业主委员会", "electedOn": ymd(start),
                    "termStartsOn": ymd(start), "termEndsOn": ymd(too_long) }),
        )
        .await;
        assert_eq!(p["ownersCommittee"], Value::Null);
        assert_error(&p, &["input", "termEndsOn"], "OUT_OF_RANGE");
    }
    let c = run(
        &app,
        "createOwnersCommittee",
        COMMITTEE,
        json!({ "compoundId": f.compound, "name": "第一届业主委员会", "electedOn": ymd(start),
                "termStartsOn": ymd(start), "termEndsOn": ymd(five_years) }),
    )
    .await["ownersCommittee"]
        .clone();
    assert_eq!(c["termStartsOn"], ymd(start).as_str());
    assert_eq!(c["termEndsOn"], ymd(five_years).as_str());
    let c = id(&c);
    let view = node(
        &app,
        &f.compound,
        "... on Compound { ownersCommittee { id } }",
    )
    .await;
    assert_eq!(view["ownersCommittee"]["id"], c.as_str());

    // A second committee overlapping the first is refused.
    let p = refused(
        &app,
        "createOwnersCommittee",
        COMMITTEE,
        json!({ "compoundId": f.compound, "name": "第二届业主委员会", "electedOn": ymd(start + Duration::days(365)),
                "termStartsOn": ymd(start + Duration::days(365)), "termEndsOn": ymd(start + Duration::days(1000)) }),
    )
    .await;
    assert_error(&p, &["input", "termStartsOn"], "CONFLICT");

    // Members are owners in the compound; one chair; one seat per person.
    let chair = run(
        &app,
        "electCommitteeMember",
        SEAT,
        json!({ "committeeId": c, "personId": o1, "role": "CHAIR" }),
    )
    .await["member"]
        .clone();
    assert_eq!(chair["role"], "CHAIR");
    assert_eq!(chair["startsOn"], ymd(start).as_str());
    assert_eq!(chair["endsOn"], ymd(five_years).as_str());
    assert_eq!(chair["endedEarly"], false);
    assert_eq!(chair["committee"]["id"], c.as_str());
    let chair = id(&chair);
    let p = refused(
        &app,
        "electCommitteeMember",
        SEAT,
        json!({ "committeeId": c, "personId": o2, "role": "CHAIR" }),
    )
    .await;
    assert_error(&p, &["input", "role"], "CONFLICT");
    let vice = elect(&app, &c, &o2, "VICE_CHAIR").await;
    let p = refused(
        &app,
        "electCommitteeMember",
        SEAT,
        json!({ "committeeId": c, "personId": tenant, "role": "MEMBER" }),
    )
    .await;
    assert_eq!(p["member"], Value::Null);
    assert_error(&p, &["input", "personId"], "INVALID");
    let p = refused(
        &app,
        "electCommitteeMember",
        SEAT,
        json!({ "committeeId": c, "personId": outsider, "role": "MEMBER" }),
    )
    .await;
    assert_error(&p, &["input", "personId"], "INVALID");
    let p = refused(
        &app,
        "electCommitteeMember",
        SEAT,
        json!({ "committeeId": c, "personId": o1, "role": "MEMBER" }),
    )
    .await;
    assert_error(&p, &["input", "personId"], "CONFLICT");

    // A replacement by a non-owner is refused and leaves the seat as it was.
    let on = start + Duration::days(30);
    let p = refused(
        &app,
        "replaceCommitteeMember",
        SEAT,
        json!({ "memberId": vice, "personId": tenant, "on": ymd(on), "reason": "辞职" }),
    )
    .await;
    assert_error(&p, &["input", "personId"], "INVALID");
    let seat = node(
        &app,
        &vice,
        "... on CommitteeMember { endedEarly endReason endsOn }",
    )
    .await;
    assert_eq!(seat["endedEarly"], false, "{seat:#}");
    assert_eq!(seat["endReason"], Value::Null);
    assert_eq!(seat["endsOn"], ymd(five_years).as_str());

    // Replacing: the old seat ends the day before, the new one points back at it.
    let new = run(
        &app,
        "replaceCommitteeMember",
        SEAT,
        json!({ "memberId": vice, "personId": o3, "on": ymd(on), "reason": "辞职" }),
    )
    .await["member"]
        .clone();
    assert_eq!(new["role"], "VICE_CHAIR");
    assert_eq!(new["startsOn"], ymd(on).as_str());
    assert_eq!(new["endsOn"], ymd(five_years).as_str());
    assert_eq!(new["person"]["name"], "业主丙");
    assert_eq!(new["replaces"]["id"], vice.as_str());
    assert_eq!(new["replaces"]["person"]["name"], "业主乙");
    assert_eq!(
        new["replaces"]["endsOn"],
        ymd(on - Duration::days(1)).as_str()
    );
    assert_eq!(new["replaces"]["endedEarly"], true);
    assert_eq!(new["replaces"]["endReason"], "辞职");
    let new = id(&new);
    let p = refused(
        &app,
        "replaceCommitteeMember",
        SEAT,
        json!({ "memberId": vice, "personId": o3, "on": ymd(on + Duration::days(1)), "reason": "再次" }),
    )
    .await;
    assert_error(&p, &["input", "memberId"], "INVALID_STATE");

    let q = "... on OwnersCommittee { chair { id } serving: members { id person { name } }
        all: members(includePast: true) { id role endsOn endedEarly endReason person { name } replaces { id } } }";
    let view = node(&app, &c, q).await;
    assert_eq!(view["chair"]["id"], chair.as_str());
    assert_eq!(
        names_of(&view["serving"], &["person", "name"]),
        ["业主甲", "业主丙"]
    );
    assert_eq!(
        names_of(&view["all"], &["person", "name"]),
        ["业主甲", "业主乙", "业主丙"]
    );
    assert_eq!(view["all"][2]["replaces"]["id"], vice.as_str());

    // Ending a seat early.
    let end = on + Duration::days(10);
    let ended = run(
        &app,
        "endCommitteeMember",
        SEAT,
        json!({ "memberId": new, "endsOn": ymd(end), "reason": "迁出小区" }),
    )
    .await["member"]
        .clone();
    assert_eq!(ended["endsOn"], ymd(end).as_str());
    assert_eq!(ended["endedEarly"], true);
    assert_eq!(ended["endReason"], "迁出小区");
    let p = refused(
        &app,
        "endCommitteeMember",
        SEAT,
        json!({ "memberId": new, "endsOn": ymd(end), "reason": "迁出小区" }),
    )
    .await;
    assert_error(&p, &["input", "id"], "INVALID_STATE");
    let view = node(&app, &c, q).await;
    assert_eq!(names_of(&view["serving"], &["person", "name"]), ["业主甲"]);
    assert_eq!(view["all"].as_array().unwrap().len(), 3);
    assert_eq!(view["all"][2]["endReason"], "迁出小区");
}

#[tokio::test]
async fn property_companies_and_one_active_contract() {
    let app = spawn_app().await;
    let f = fixture(&app).await;

    for stars in [6, 0] {
        let p = refused(
            &app,
            "createPropertyCompany",
            COMPANY,
            json!({ "name": "绿城物业", "starRating": stars }),
        )
        .await;
        assert_eq!(p["propertyCompany"], Value::Null);
        assert_error(&p, &["input", "starRating"], "OUT_OF_RANGE");
    }
    let green = run(
        &app,
        "createPropertyCompany",
        COMPANY,
        json!({ "name": "绿城物业", "starRating": 5, "phone": "0571-88888888" }),
    )
    .await["propertyCompany"]
        .clone();
    assert_eq!(green["starRating"], 5);
    assert_eq!(green["isRed"], false);
    let green = id(&green);
    // Red (红色物业) once its own party organisation is in being.
    run(
        &app,
        "createCompanyPartyOrganisation",
        "organisation { id }",
        json!({ "companyId": green, "name": "绿城物业党委", "establishedOn": "2020-01-01" }),
    )
    .await;
    let p = refused(
        &app,
        "createPropertyCompany",
        COMPANY,
        json!({ "name": "绿城物业", "starRating": 3 }),
    )
    .await;
    assert_error(&p, &["input", "name"], "CONFLICT");
    let blue = run(
        &app,
        "createPropertyCompany",
        COMPANY,
        json!({ "name": "蓝天物业", "starRating": 3 }),
    )
    .await["propertyCompany"]
        .clone();
    assert_eq!(blue["isRed"], false);
    let blue = id(&blue);
    let p = refused(
        &app,
        "updatePropertyCompany",
        COMPANY,
        json!({ "id": blue, "starRating": 6 }),
    )
    .await;
    assert_error(&p, &["input", "starRating"], "OUT_OF_RANGE");
    let red = app
        .ok(
            None,
            "{ propertyCompanies(redOnly: true) { edges { node { name } } } }",
            json!({}),
        )
        .await;
    assert_eq!(
        red["propertyCompanies"]["edges"],
        json!([{ "node": { "name": "绿城物业" } }])
    );

    let view_q = "... on Compound { propertyCompany { id name } propertyContract { id status }
        propertyContracts { edges { node { id status company { name } } } } }";
    let view = node(&app, &f.compound, view_q).await;
    assert_eq!(view["propertyCompany"], Value::Null);
    assert_eq!(view["propertyContract"], Value::Null);

    // A contract ends on or after it starts.
    let p = refused(
        &app,
        "signPropertyContract",
        CONTRACT,
        json!({ "compoundId": f.compound, "companyId": green, "startsOn": "2024-01-01", "endsOn": "2023-12-31" }),
    )
    .await;
    assert_error(&p, &["input", "endsOn"], "OUT_OF_RANGE");

    let first = run(
        &app,
        "signPropertyContract",
        CONTRACT,
        json!({ "compoundId": f.compound, "companyId": green, "startsOn": "2024-01-01", "endsOn": "2026-12-31" }),
    )
    .await["contract"]
        .clone();
    assert_eq!(first["status"], "ACTIVE");
    assert_eq!(first["company"]["name"], "绿城物业");
    assert_eq!(first["compound"]["id"], f.compound.as_str());
    let first = id(&first);
    let view = node(&app, &f.compound, view_q).await;
    assert_eq!(view["propertyCompany"]["id"], green.as_str());
    assert_eq!(view["propertyContract"]["id"], first.as_str());

    // A second active contract is refused.
    let p = refused(
        &app,
        "signPropertyContract",
        CONTRACT,
        json!({ "compoundId": f.compound, "companyId": blue, "startsOn": "2025-01-01", "endsOn": "2027-12-31" }),
    )
    .await;
    assert_eq!(p["contract"], Value::Null);
    assert_error(&p, &["input", "compoundId"], "CONFLICT");

    // Ending it; ending twice is refused.
    let ended = run(
        &app,
        "endPropertyContract",
        CONTRACT,
        json!({ "contractId": first, "endedOn": "2025-06-30", "reason": "业主大会决定解聘" }),
    )
    .await["contract"]
        .clone();
    assert_eq!(ended["status"], "ENDED");
    assert_eq!(ended["endedOn"], "2025-06-30");
    assert_eq!(ended["endReason"], "业主大会决定解聘");
    let p = refused(
        &app,
        "endPropertyContract",
        CONTRACT,
        json!({ "contractId": first, "endedOn": "2025-07-31", "reason": "再次" }),
    )
    .await;
    assert_error(&p, &["input", "id"], "INVALID_STATE");
    let view = node(&app, &f.compound, view_q).await;
    assert_eq!(view["propertyCompany"], Value::Null);
    assert_eq!(view["propertyContract"], Value::Null);

    // Then a new company is hired.
    let second = id(&run(
        &app,
        "signPropertyContract",
        CONTRACT,
        json!({ "compoundId": f.compound, "companyId": blue, "startsOn": "2025-07-01", "endsOn": "2028-06-30" }),
    )
    .await["contract"]);
    let view = node(&app, &f.compound, view_q).await;
    assert_eq!(view["propertyCompany"]["name"], "蓝天物业");
    assert_eq!(view["propertyContract"]["id"], second.as_str());
    assert_eq!(
        nodes(&view["propertyContracts"]),
        json!([
            { "id": first, "status": "ENDED", "company": { "name": "绿城物业" } },
            { "id": second, "status": "ACTIVE", "company": { "name": "蓝天物业" } },
        ])
    );
    let company = node(
        &app,
        &green,
        "... on PropertyCompany { contracts { edges { node { id status } } } }",
    )
    .await;
    assert_eq!(
        nodes(&company["contracts"]),
        json!([{ "id": first, "status": "ENDED" }])
    );
}

#[tokio::test]
async fn property_contracts_are_paged_oldest_first() {
    let app = spawn_app().await;
    let f = fixture(&app).await;
    let company = id(&run(
        &app,
        "createPropertyCompany",
        COMPANY,
        json!({ "name": "绿城物业" }),
    )
    .await["propertyCompany"]);
    let first = id(&run(
        &app,
        "signPropertyContract",
        CONTRACT,
        json!({ "compoundId": f.compound, "companyId": company, "startsOn": "2024-01-01", "endsOn": "2026-12-31" }),
    )
    .await["contract"]);
    run(
        &app,
        "endPropertyContract",
        CONTRACT,
        json!({ "contractId": first, "endedOn": "2025-06-30", "reason": "续签" }),
    )
    .await;
    let second = id(&run(
        &app,
        "signPropertyContract",
        CONTRACT,
        json!({ "compoundId": f.compound, "companyId": company, "startsOn": "2025-07-01", "endsOn": "2028-06-30" }),
    )
    .await["contract"]);
    let token = Some(app.admin_token.as_str());
    assert_eq!(
        page_by_one(&app, token, &f.compound, "Compound", "propertyContracts").await,
        (first.clone(), second.clone())
    );
    assert_eq!(
        page_by_one(&app, token, &company, "PropertyCompany", "contracts").await,
        (first, second)
    );
}

#[tokio::test]
async fn joint_meetings_are_recorded_by_the_rules() {
    let app = spawn_app().await;
    let f = fixture(&app).await;
    let secretary = person(&app, &f, "陈书记", true).await;
    let chair = person(&app, &f, "业主甲", false).await;
    let manager = person(&app, &f, "物业经理", false).await;
    let staff = person(&app, &f, "社区干事", false).await;
    own(&app, &chair, &f.dwellings[0]).await;
    let b = branch(&app, &f.compound).await;
    branch_member(&app, &b, &secretary, "SECRETARY", "2022-01-01").await;
    let (c, _) = committee(&app, &f.compound).await;
    elect(&app, &c, &chair, "CHAIR").await;

    let held_on = days_from_today(-7);
    let m = run(
        &app,
        "recordJointMeeting",
        MEETING,
        json!({
            "compoundId": f.compound, "heldOn": held_on, "title": "三方联席会议（第一次）",
            "agenda": "电梯更新；充电桩；维修资金", "minutes": "与会各方同意……",
            "attendees": [
                { "personId": secretary, "party": "PARTY_BRANCH" },
                { "personId": chair, "party": "OWNERS_COMMITTEE" },
                { "personId": manager, "party": "PROPERTY_COMPANY" },
                { "personId": staff, "party": "OTHER" },
            ],
            "resolutions": ["更新 3 号楼电梯", "增设电动车充电桩", "公示维修资金使用情况"],
        }),
    )
    .await["jointMeeting"]
        .clone();
    assert_eq!(m["heldOn"], held_on.as_str());
    assert_eq!(m["compound"]["id"], f.compound.as_str());
    assert_eq!(
        m["attendees"],
        json!([
            { "party": "PARTY_BRANCH", "person": { "id": secretary, "name": "陈书记" } },
            { "party": "OWNERS_COMMITTEE", "person": { "id": chair, "name": "业主甲" } },
            { "party": "PROPERTY_COMPANY", "person": { "id": manager, "name": "物业经理" } },
            { "party": "OTHER", "person": { "id": staff, "name": "社区干事" } },
        ])
    );
    assert_eq!(
        m["resolutions"],
        json!([
            { "position": 1, "text": "更新 3 号楼电梯" },
            { "position": 2, "text": "增设电动车充电桩" },
            { "position": 3, "text": "公示维修资金使用情况" },
        ])
    );
    let meeting = id(&m);

    let base = |attendees: Value, held_on: &str| {
        json!({ "compoundId": f.compound, "heldOn": held_on, "title": "联席会议", "agenda": "议程",
                "attendees": attendees, "resolutions": ["决议一"] })
    };
    // Without the party branch.
    let p = refused(
        &app,
        "recordJointMeeting",
        MEETING,
        base(
            json!([
                { "personId": chair, "party": "OWNERS_COMMITTEE" },
                { "personId": manager, "party": "PROPERTY_COMPANY" },
            ]),
            &held_on,
        ),
    )
    .await;
    assert_eq!(p["jointMeeting"], Value::Null);
    assert_error(&p, &["input", "attendees"], "INVALID");
    // With only one of the three parties (others attending don't count).
    let p = refused(
        &app,
        "recordJointMeeting",
        MEETING,
        base(
            json!([
                { "personId": secretary, "party": "PARTY_BRANCH" },
                { "personId": staff, "party": "OTHER" },
            ]),
            &held_on,
        ),
    )
    .await;
    assert_error(&p, &["input", "attendees"], "INVALID");
    // A person listed twice.
    let p = refused(
        &app,
        "recordJointMeeting",
        MEETING,
        base(
            json!([
                { "personId": secretary, "party": "PARTY_BRANCH" },
                { "personId": chair, "party": "OWNERS_COMMITTEE" },
                { "personId": secretary, "party": "OWNERS_COMMITTEE" },
            ]),
            &held_on,
        ),
    )
    .await;
    assert_error(&p, &["input", "attendees", "2", "personId"], "INVALID");
    // Not before it is held.
    let p = refused(
        &app,
        "recordJointMeeting",
        MEETING,
        base(
            json!([
                { "personId": secretary, "party": "PARTY_BRANCH" },
                { "personId": chair, "party": "OWNERS_COMMITTEE" },
            ]),
            &days_from_today(3),
        ),
    )
    .await;
    assert_error(&p, &["input", "heldOn"], "OUT_OF_RANGE");

    let list_q = "... on Compound { jointMeetings { edges { node { id title } } } }";
    let list = node(&app, &f.compound, list_q).await;
    assert_eq!(
        list["jointMeetings"]["edges"],
        json!([{ "node": { "id": meeting, "title": "三方联席会议（第一次）" } }])
    );

    // Minutes are corrected; the rest stays as recorded.
    let u = run(
        &app,
        "updateJointMeeting",
        MEETING,
        json!({ "id": meeting, "minutes": "更正：与会各方一致同意。" }),
    )
    .await["jointMeeting"]
        .clone();
    assert_eq!(u["minutes"], "更正：与会各方一致同意。");
    assert_eq!(u["title"], "三方联席会议（第一次）");
    assert_eq!(u["agenda"], "电梯更新；充电桩；维修资金");
    assert_eq!(u["resolutions"], m["resolutions"]);
    assert_eq!(u["attendees"], m["attendees"]);
    let again = node(
        &app,
        &meeting,
        "... on JointMeeting { minutes resolutions { position text } }",
    )
    .await;
    assert_eq!(again["minutes"], "更正：与会各方一致同意。");
    assert_eq!(again["resolutions"], m["resolutions"]);
    let u = run(
        &app,
        "updateJointMeeting",
        MEETING,
        json!({ "id": meeting, "minutes": null }),
    )
    .await;
    assert_eq!(u["jointMeeting"]["minutes"], Value::Null);
}

const CROSS: &str = "... on Compound { crossAppointment { bothBodiesPresent branchMembersOnCommittee
    secretaryChairsCommittee seats { person { name } branchSeat { role } committeeSeat { role } } } }";

#[tokio::test]
async fn cross_appointment_tells_who_sits_in_both_bodies() {
    let app = spawn_app().await;
    let f = fixture(&app).await;

    // Compound A: the secretary chairs the committee and another branch member sits on it.
    let sec = person(&app, &f, "陈书记", true).await;
    let member = person(&app, &f, "周党员", true).await;
    let owner = person(&app, &f, "业主甲", false).await;
    let branch_only = person(&app, &f, "林党员", true).await;
    for p in [&sec, &member] {
        own(&app, p, &f.dwellings[0]).await;
    }
    own(&app, &owner, &f.dwellings[1]).await;
    let b = branch(&app, &f.compound).await;
    let sec_seat = branch_member(&app, &b, &sec, "SECRETARY", "2022-01-01").await;
    branch_member(&app, &b, &member, "MEMBER", "2022-01-01").await;
    branch_member(&app, &b, &branch_only, "MEMBER", "2022-01-01").await;
    let (c, _) = committee(&app, &f.compound).await;
    elect(&app, &c, &sec, "CHAIR").await;
    elect(&app, &c, &owner, "VICE_CHAIR").await;
    elect(&app, &c, &member, "MEMBER").await;
    let view = node(&app, &f.compound, CROSS).await["crossAppointment"].clone();
    assert_eq!(view["bothBodiesPresent"], true);
    assert_eq!(view["branchMembersOnCommittee"], true);
    assert_eq!(view["secretaryChairsCommittee"], true);
    let mut seats: Vec<(String, String, String)> = view["seats"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            (
                s["person"]["name"].as_str().unwrap().to_owned(),
                s["branchSeat"]["role"].as_str().unwrap().to_owned(),
                s["committeeSeat"]["role"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    seats.sort();
    let mut expected = vec![
        (
            "陈书记".to_owned(),
            "SECRETARY".to_owned(),
            "CHAIR".to_owned(),
        ),
        (
            "周党员".to_owned(),
            "MEMBER".to_owned(),
            "MEMBER".to_owned(),
        ),
    ];
    expected.sort();
    assert_eq!(seats, expected);

    // When the secretary's branch term has ended, the secretary no longer chairs it.
    run(
        &app,
        "endBranchMember",
        BRANCH_MEMBER,
        json!({ "memberId": sec_seat, "endsOn": days_from_today(-1) }),
    )
    .await;
    let view = node(&app, &f.compound, CROSS).await["crossAppointment"].clone();
    assert_eq!(view["secretaryChairsCommittee"], false);
    assert_eq!(view["branchMembersOnCommittee"], true);
    assert_eq!(names_of(&view["seats"], &["person", "name"]), ["周党员"]);

    // Compound B: the secretary sits on the committee but someone else chairs it.
    let (b_compound, b_dwellings) = other_compound(&app, &f, "翠苑二区").await;
    let b_sec = person(&app, &f, "王书记", true).await;
    let b_chair = person(&app, &f, "业主乙", false).await;
    own(&app, &b_sec, &b_dwellings[0]).await;
    own(&app, &b_chair, &b_dwellings[1]).await;
    let bb = branch(&app, &b_compound).await;
    branch_member(&app, &bb, &b_sec, "SECRETARY", "2022-01-01").await;
    let (bc, _) = committee(&app, &b_compound).await;
    elect(&app, &bc, &b_chair, "CHAIR").await;
    elect(&app, &bc, &b_sec, "MEMBER").await;
    let view = node(&app, &b_compound, CROSS).await["crossAppointment"].clone();
    assert_eq!(view["bothBodiesPresent"], true);
    assert_eq!(view["branchMembersOnCommittee"], true);
    assert_eq!(view["secretaryChairsCommittee"], false);
    assert_eq!(
        view["seats"],
        json!([{ "person": { "name": "王书记" }, "branchSeat": { "role": "SECRETARY" }, "committeeSeat": { "role": "MEMBER" } }])
    );

    // Compound C: both bodies, nobody in both.
    let (c_compound, c_dwellings) = other_compound(&app, &f, "翠苑三区").await;
    let c_sec = person(&app, &f, "赵书记", true).await;
    let c_chair = person(&app, &f, "业主丙", false).await;
    own(&app, &c_chair, &c_dwellings[0]).await;
    let cb = branch(&app, &c_compound).await;
    branch_member(&app, &cb, &c_sec, "SECRETARY", "2022-01-01").await;
    let (cc, _) = committee(&app, &c_compound).await;
    elect(&app, &cc, &c_chair, "CHAIR").await;
    let view = node(&app, &c_compound, CROSS).await["crossAppointment"].clone();
    assert_eq!(
        view,
        json!({ "bothBodiesPresent": true, "branchMembersOnCommittee": false, "secretaryChairsCommittee": false, "seats": [] })
    );

    // Compound D: a branch but no committee.
    let (d_compound, _) = other_compound(&app, &f, "翠苑四区").await;
    let d_sec = person(&app, &f, "孙书记", true).await;
    let db = branch(&app, &d_compound).await;
    branch_member(&app, &db, &d_sec, "SECRETARY", "2022-01-01").await;
    let view = node(&app, &d_compound, CROSS).await["crossAppointment"].clone();
    assert_eq!(
        view,
        json!({ "bothBodiesPresent": false, "branchMembersOnCommittee": false, "secretaryChairsCommittee": false, "seats": [] })
    );
    let view = node(
        &app,
        &d_compound,
        "... on Compound { partyBranch { id } ownersCommittee { id } }",
    )
    .await;
    assert_eq!(view["partyBranch"]["id"], db.as_str());
    assert_eq!(view["ownersCommittee"], Value::Null);
}

/// Dissolving a branch ends every term still running on its last day, not
/// only those recorded without an end: a dissolved branch has nobody serving.
#[tokio::test]
async fn dissolving_a_branch_ends_every_term_still_running() {
    let app = spawn_app().await;
    let f = fixture(&app).await;
    let sec = person(&app, &f, "陈书记", true).await;
    let b = branch(&app, &f.compound).await;
    let seat = id(&run(
        &app,
        "addBranchMember",
        BRANCH_MEMBER,
        json!({ "branchId": b, "personId": sec, "role": "SECRETARY", "startsOn": "2022-01-01",
                "endsOn": days_from_today(365) }),
    )
    .await["member"]);
    let last_day = days_from_today(-1);
    run(
        &app,
        "updatePartyBranch",
        BRANCH,
        json!({ "id": b, "dissolvedOn": last_day }),
    )
    .await;
    let view = node(
        &app,
        &b,
        "... on PartyBranch { secretary { id } members { id } all: members(includePast: true) { id endsOn } }",
    )
    .await;
    assert_eq!(view["secretary"], Value::Null, "{view:#}");
    assert_eq!(view["members"], json!([]), "{view:#}");
    assert_eq!(
        view["all"],
        json!([{ "id": seat, "endsOn": last_day }]),
        "{view:#}"
    );
}

/// A branch dissolved on a future day is the compound's one active branch
/// until then (or the future day is refused): never two at once.
#[tokio::test]
async fn a_branch_dissolved_on_a_future_day_stays_the_only_active_one_until_then() {
    let app = spawn_app().await;
    let f = fixture(&app).await;
    let b = branch(&app, &f.compound).await;
    let data = app
        .ok(
            Some(&app.admin_token),
            &crate::register::op("updatePartyBranch", BRANCH),
            json!({ "input": { "id": b, "dissolvedOn": days_from_today(30) } }),
        )
        .await;
    if !data["updatePartyBranch"]["userErrors"]
        .as_array()
        .unwrap()
        .is_empty()
    {
        return; // refusing a future day keeps the rule too
    }
    let p = refused(
        &app,
        "createPartyBranch",
        BRANCH,
        json!({ "compoundId": f.compound, "name": "新党支部", "kind": "STANDING", "establishedOn": days_from_today(0) }),
    )
    .await;
    assert_error(&p, &["input", "compoundId"], "CONFLICT");
    let view = node(&app, &f.compound, "... on Compound { partyBranch { id } }").await;
    assert_eq!(view["partyBranch"]["id"], b.as_str(), "{view:#}");
}

/// A committee dissolved on a future day serves until then (or the future
/// day is refused): the compound still shows it, and no overlapping
/// committee can be recorded.
#[tokio::test]
async fn a_committee_dissolved_on_a_future_day_serves_until_then() {
    let app = spawn_app().await;
    let f = fixture(&app).await;
    let chair = person(&app, &f, "业主甲", false).await;
    own(&app, &chair, &f.dwellings[0]).await;
    let (c, _) = committee(&app, &f.compound).await;
    elect(&app, &c, &chair, "CHAIR").await;
    let data = app
        .ok(
            Some(&app.admin_token),
            &crate::register::op("dissolveOwnersCommittee", COMMITTEE),
            json!({ "input": { "committeeId": c, "dissolvedOn": days_from_today(30) } }),
        )
        .await;
    if !data["dissolveOwnersCommittee"]["userErrors"]
        .as_array()
        .unwrap()
        .is_empty()
    {
        return; // refusing a future day keeps the rule too
    }
    let p = refused(
        &app,
        "createOwnersCommittee",
        COMMITTEE,
        json!({ "compoundId": f.compound, "name": "第二届业主委员会", "electedOn": days_from_today(0),
                "termStartsOn": days_from_today(0), "termEndsOn": days_from_today(1000) }),
    )
    .await;
    assert_error(&p, &["input", "termStartsOn"], "CONFLICT");
    let view = node(
        &app,
        &f.compound,
        "... on Compound { ownersCommittee { id chair { person { name } } } }",
    )
    .await;
    assert_eq!(view["ownersCommittee"]["id"], c.as_str(), "{view:#}");
    assert_eq!(view["ownersCommittee"]["chair"]["person"]["name"], "业主甲");
}

/// A contract ended on a future day is still the contract in force today
/// (or the future day is refused).
#[tokio::test]
async fn a_contract_ended_on_a_future_day_stays_in_force_until_then() {
    let app = spawn_app().await;
    let f = fixture(&app).await;
    let company = id(&run(
        &app,
        "createPropertyCompany",
        COMPANY,
        json!({ "name": "绿城物业", "starRating": 4 }),
    )
    .await["propertyCompany"]);
    let contract = id(&run(
        &app,
        "signPropertyContract",
        CONTRACT,
        json!({ "compoundId": f.compound, "companyId": company, "startsOn": "2024-01-01", "endsOn": "2030-12-31" }),
    )
    .await["contract"]);
    let data = app
        .ok(
            Some(&app.admin_token),
            &crate::register::op("endPropertyContract", CONTRACT),
            json!({ "input": { "contractId": contract, "endedOn": days_from_today(30), "reason": "业主大会决定解聘" } }),
        )
        .await;
    if !data["endPropertyContract"]["userErrors"]
        .as_array()
        .unwrap()
        .is_empty()
    {
        return; // refusing a future day is consistent too
    }
    let view = node(
        &app,
        &f.compound,
        "... on Compound { propertyContract { id } propertyCompany { id } }",
    )
    .await;
    assert_eq!(
        view["propertyContract"]["id"],
        contract.as_str(),
        "{view:#}"
    );
    assert_eq!(view["propertyCompany"]["id"], company.as_str(), "{view:#}");
}

/// A pioneer post, stored as given before, is a name: at most 100
/// characters when a member is added and when it is set; blank is none.
#[tokio::test]
async fn a_pioneer_post_past_its_stated_maximum_is_refused() {
    let app = spawn_app().await;
    let f = fixture(&app).await;
    let b = branch(&app, &f.compound).await;
    let wu = person(&app, &f, "吴党员", true).await;
    let post = "先".repeat(101);
    let p = refused(
        &app,
        "addBranchMember",
        BRANCH_MEMBER,
        json!({ "branchId": b, "personId": wu, "role": "MEMBER", "pioneerPost": post, "startsOn": "2023-03-01" }),
    )
    .await;
    assert_error(&p, &["input", "pioneerPost"], "TOO_LONG");
    let m = run(
        &app,
        "addBranchMember",
        BRANCH_MEMBER,
        json!({ "branchId": b, "personId": wu, "role": "MEMBER", "pioneerPost": "  ", "startsOn": "2023-03-01" }),
    )
    .await["member"]
        .clone();
    assert_eq!(m["pioneerPost"], Value::Null);
    let p = refused(
        &app,
        "setPioneerPost",
        BRANCH_MEMBER,
        json!({ "memberId": id(&m), "pioneerPost": post }),
    )
    .await;
    assert_error(&p, &["input", "pioneerPost"], "TOO_LONG");
    let set = run(
        &app,
        "setPioneerPost",
        BRANCH_MEMBER,
        json!({ "memberId": id(&m), "pioneerPost": &post[..post.len() - "先".len()] }),
    )
    .await;
    assert_eq!(set["member"]["pioneerPost"], json!("先".repeat(100)));
}
