//! The bodies cross-appointment is measured between: the community's two
//! committees (社区"两委") with members and terms, a property company's own
//! party organisation (红色物业) and the posts held in the company; and the
//! facts a compound's `crossAppointment` derives from them — two-committee
//! members on the owners' committee, and two-way appointment (双向任职)
//! between the community party committee and the company's head.

use chrono::{Duration, Months, NaiveDate, Utc};
use serde_json::{Value, json};

use crate::helpers::{Fixture, TestApp, fixture, own, person, spawn_app};
use crate::register::{assert_error, assert_request_error, id, node, refused, run};

fn today() -> NaiveDate {
    (Utc::now() + Duration::hours(8)).date_naive()
}

fn ymd(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

const COMMUNITY_COMMITTEE: &str = "committee { id kind name termStartsOn termEndsOn serving }";
const SEAT: &str = "member { id role startsOn endsOn person { name } committee { id } }";
const ORG: &str = "organisation { id name establishedOn dissolvedOn active }";
const ORG_SEAT: &str = "member { id role startsOn endsOn person { name } }";
const POST: &str = "post { id post title compound { id } person { name } }";
const CROSS: &str = "... on Compound { crossAppointment {
    communityCommitteeMembersOnCommittee
    communitySeats { kind person { name } communitySeat { role } committeeSeat { role } }
    twoWay { companyHeadOnPartyCommittee partyCommitteeMemberInCompany bothWays
      headsOnPartyCommittee { post { post person { name } } partyCommitteeSeat { role } }
      partyCommitteeInCompany { partyCommitteeSeat { person { name } } companyPost { post } companyPartySeat { role } } } } }";

/// A term of `kind` serving today: it began 300 days ago and lasts five years.
async fn community_committee(app: &TestApp, f: &Fixture, kind: &str) -> String {
    let start = today() - Duration::days(300);
    let end = start + Months::new(60) - Duration::days(1);
    id(&run(
        app,
        "createCommunityCommittee",
        COMMUNITY_COMMITTEE,
        json!({ "communityId": f.community, "kind": kind, "name": format!("第十届{kind}"),
                "termStartsOn": ymd(start), "termEndsOn": ymd(end) }),
    )
    .await["committee"])
}

async fn seat(app: &TestApp, committee: &str, person: &str, role: &str) -> String {
    id(&run(
        app,
        "addCommunityCommitteeMember",
        SEAT,
        json!({ "committeeId": committee, "personId": person, "role": role,
                "startsOn": ymd(today() - Duration::days(300)) }),
    )
    .await["member"])
}

async fn company(app: &TestApp, name: &str) -> String {
    id(&run(
        app,
        "createPropertyCompany",
        "propertyCompany { id }",
        json!({ "name": name }),
    )
    .await["propertyCompany"])
}

#[tokio::test]
async fn the_two_committees_are_kept_term_by_term_with_their_members() {
    let app = spawn_app().await;
    let f = fixture(&app).await;
    let pc = community_committee(&app, &f, "PARTY_COMMITTEE").await;
    let rc = community_committee(&app, &f, "RESIDENTS_COMMITTEE").await;
    let secretary = person(&app, &f, "郑书记", true).await;
    let director = person(&app, &f, "钱主任", false).await;
    let other = person(&app, &f, "孙委员", true).await;
    seat(&app, &pc, &secretary, "HEAD").await;
    seat(&app, &rc, &director, "HEAD").await;
    seat(&app, &pc, &other, "MEMBER").await;

    let c = app
        .ok(
            None,
            "query($id: ID!) { node(id: $id) { ... on Community {
                partyCommittee { id kind serving head { person { name } } members { role person { name } } }
                residentsCommittee { id head { person { name } } }
                committees { kind } } } }",
            json!({ "id": f.community }),
        )
        .await["node"]
        .clone();
    assert_eq!(c["partyCommittee"]["id"], pc.as_str());
    assert_eq!(c["partyCommittee"]["serving"], true);
    assert_eq!(c["partyCommittee"]["head"]["person"]["name"], "郑书记");
    assert_eq!(c["partyCommittee"]["members"].as_array().unwrap().len(), 2);
    assert_eq!(c["residentsCommittee"]["head"]["person"]["name"], "钱主任");
    assert_eq!(
        c["committees"],
        json!([{ "kind": "PARTY_COMMITTEE" }, { "kind": "RESIDENTS_COMMITTEE" }])
    );

    // One committee of a kind at a time; a new term starts after the old one's last day.
    let p = refused(
        &app,
        "createCommunityCommittee",
        COMMUNITY_COMMITTEE,
        json!({ "communityId": f.community, "kind": "PARTY_COMMITTEE", "name": "重叠",
                "termStartsOn": ymd(today()), "termEndsOn": ymd(today() + Duration::days(30)) }),
    )
    .await;
    assert_error(&p, &["input", "termStartsOn"], "CONFLICT");
    let p = refused(
        &app,
        "createCommunityCommittee",
        COMMUNITY_COMMITTEE,
        json!({ "communityId": f.community, "kind": "RESIDENTS_COMMITTEE", "name": "倒置",
                "termStartsOn": "2030-01-01", "termEndsOn": "2029-01-01" }),
    )
    .await;
    assert_error(&p, &["input", "termEndsOn"], "OUT_OF_RANGE");
    // One head at a time; party members only on the party committee; seats within the term.
    let p = refused(
        &app,
        "addCommunityCommitteeMember",
        SEAT,
        json!({ "committeeId": pc, "personId": other, "role": "HEAD", "startsOn": ymd(today()) }),
    )
    .await;
    assert_error(&p, &["input", "startsOn"], "CONFLICT");
    let fresh = person(&app, &f, "吴党员", true).await;
    let p = refused(
        &app,
        "addCommunityCommitteeMember",
        SEAT,
        json!({ "committeeId": pc, "personId": fresh, "role": "HEAD", "startsOn": ymd(today()) }),
    )
    .await;
    assert_error(&p, &["input", "role"], "CONFLICT");
    let p = refused(
        &app,
        "addCommunityCommitteeMember",
        SEAT,
        json!({ "committeeId": pc, "personId": director, "role": "MEMBER", "startsOn": ymd(today()) }),
    )
    .await;
    assert_error(&p, &["input", "personId"], "INVALID");
    let p = refused(
        &app,
        "addCommunityCommitteeMember",
        SEAT,
        json!({ "committeeId": rc, "personId": fresh, "role": "MEMBER", "startsOn": "2000-01-01" }),
    )
    .await;
    assert_error(&p, &["input", "startsOn"], "OUT_OF_RANGE");
    // An ended seat leaves the members serving today.
    let s = seat(&app, &rc, &fresh, "MEMBER").await;
    run(
        &app,
        "endCommunityCommitteeMember",
        SEAT,
        json!({ "memberId": s, "endsOn": ymd(today() - Duration::days(1)) }),
    )
    .await;
    let p = refused(
        &app,
        "endCommunityCommitteeMember",
        SEAT,
        json!({ "memberId": s, "endsOn": ymd(today()) }),
    )
    .await;
    assert_error(&p, &["input", "memberId"], "INVALID_STATE");
    let members = node(&app, &rc, "... on CommunityCommittee { members { person { name } } all: members(includePast: true) { person { name } } }").await;
    assert_eq!(members["members"].as_array().unwrap().len(), 1);
    assert_eq!(members["all"].as_array().unwrap().len(), 2);
}

#[tokio::test]
async fn a_red_company_is_one_whose_party_organisation_is_in_being() {
    let app = spawn_app().await;
    let f = fixture(&app).await;
    let co = company(&app, "红星物业").await;
    let org = id(&run(
        &app,
        "createCompanyPartyOrganisation",
        ORG,
        json!({ "companyId": co, "name": "红星物业党支部", "establishedOn": "2020-05-01" }),
    )
    .await["organisation"]);
    let p = refused(
        &app,
        "createCompanyPartyOrganisation",
        ORG,
        json!({ "companyId": co, "name": "第二个", "establishedOn": "2024-01-01" }),
    )
    .await;
    assert_error(&p, &["input", "companyId"], "CONFLICT");
    let sec = person(&app, &f, "党支部书记", true).await;
    let member = person(&app, &f, "物业党员", true).await;
    let outsider = person(&app, &f, "群众", false).await;
    let sec_seat = |p: &str, role: &str, from: &str| json!({ "organisationId": org, "personId": p, "role": role, "startsOn": from });
    run(
        &app,
        "addCompanyPartyMember",
        ORG_SEAT,
        sec_seat(&sec, "SECRETARY", "2020-05-01"),
    )
    .await;
    run(
        &app,
        "addCompanyPartyMember",
        ORG_SEAT,
        sec_seat(&member, "MEMBER", "2021-01-01"),
    )
    .await;
    let p = refused(
        &app,
        "addCompanyPartyMember",
        ORG_SEAT,
        sec_seat(&member, "SECRETARY", "2019-01-01"),
    )
    .await;
    assert_error(&p, &["input", "startsOn"], "OUT_OF_RANGE");
    let p = refused(
        &app,
        "addCompanyPartyMember",
        ORG_SEAT,
        sec_seat(&outsider, "MEMBER", "2021-01-01"),
    )
    .await;
    assert_error(&p, &["input", "personId"], "INVALID");
    let other = person(&app, &f, "另一书记", true).await;
    let p = refused(
        &app,
        "addCompanyPartyMember",
        ORG_SEAT,
        sec_seat(&other, "SECRETARY", "2022-01-01"),
    )
    .await;
    assert_error(&p, &["input", "role"], "CONFLICT");

    let read = "query($id: ID!) { node(id: $id) { ... on PropertyCompany { isRed
        partyOrganisation { name secretary { person { name } } members { role } }
        partyOrganisations { name dissolvedOn } } } }";
    let c = app.ok(None, read, json!({ "id": co })).await["node"].clone();
    assert_eq!(c["isRed"], true);
    assert_eq!(c["partyOrganisation"]["name"], "红星物业党支部");
    assert_eq!(
        c["partyOrganisation"]["secretary"]["person"]["name"],
        "党支部书记"
    );
    assert_eq!(
        c["partyOrganisation"]["members"].as_array().unwrap().len(),
        2
    );

    // Dissolved yesterday: no longer red, the seats end with it, the history stays.
    let yesterday = ymd(today() - Duration::days(1));
    let o = run(
        &app,
        "dissolveCompanyPartyOrganisation",
        ORG,
        json!({ "id": org, "dissolvedOn": yesterday }),
    )
    .await;
    assert_eq!(o["organisation"]["active"], false);
    let c = app.ok(None, read, json!({ "id": co })).await["node"].clone();
    assert_eq!(c["isRed"], false);
    assert_eq!(c["partyOrganisation"], Value::Null);
    assert_eq!(
        c["partyOrganisations"][0]["dissolvedOn"],
        yesterday.as_str()
    );
    let seats = node(
        &app,
        &org,
        "... on CompanyPartyOrganisation { members(includePast: true) { endsOn } }",
    )
    .await;
    assert!(
        seats["members"]
            .as_array()
            .unwrap()
            .iter()
            .all(|m| m["endsOn"] == yesterday.as_str())
    );
    let red = app
        .ok(
            None,
            "{ propertyCompanies(redOnly: true) { edges { node { id } } } }",
            json!({}),
        )
        .await;
    assert_eq!(red["propertyCompanies"]["edges"], json!([]));
}

#[tokio::test]
async fn cross_appointment_covers_the_two_committees_and_the_company_both_ways() {
    let app = spawn_app().await;
    let f = fixture(&app).await;
    // The owners' committee, with a residents' committee member on it.
    let director = person(&app, &f, "钱主任", false).await;
    let owner = person(&app, &f, "业主乙", false).await;
    own(&app, &director, &f.dwellings[0]).await;
    own(&app, &owner, &f.dwellings[1]).await;
    let start = today() - Duration::days(400);
    let oc = id(&run(
        &app,
        "createOwnersCommittee",
        "ownersCommittee { id }",
        json!({ "compoundId": f.compound, "name": "第一届业主委员会", "electedOn": ymd(start - Duration::days(10)),
                "termStartsOn": ymd(start), "termEndsOn": ymd(start + Months::new(60) - Duration::days(1)) }),
    )
    .await["ownersCommittee"]);
    for (p, role) in [(&director, "CHAIR"), (&owner, "MEMBER")] {
        run(
            &app,
            "electCommitteeMember",
            "member { id }",
            json!({ "committeeId": oc, "personId": p, "role": role }),
        )
        .await;
    }
    let view = node(&app, &f.compound, CROSS).await["crossAppointment"].clone();
    assert_eq!(view["communityCommitteeMembersOnCommittee"], false);
    assert_eq!(view["twoWay"]["bothWays"], false);

    let pc = community_committee(&app, &f, "PARTY_COMMITTEE").await;
    let rc = community_committee(&app, &f, "RESIDENTS_COMMITTEE").await;
    seat(&app, &rc, &director, "HEAD").await;
    let view = node(&app, &f.compound, CROSS).await["crossAppointment"].clone();
    assert_eq!(view["communityCommitteeMembersOnCommittee"], true);
    assert_eq!(
        view["communitySeats"],
        json!([{ "kind": "RESIDENTS_COMMITTEE", "person": { "name": "钱主任" },
                 "communitySeat": { "role": "HEAD" }, "committeeSeat": { "role": "CHAIR" } }])
    );

    // The company under contract: its project lead here sits on the party
    // committee; a party committee member sits in its party organisation.
    let co = company(&app, "红星物业").await;
    run(
        &app,
        "signPropertyContract",
        "contract { id }",
        json!({ "compoundId": f.compound, "companyId": co, "startsOn": "2024-01-01", "endsOn": "2027-12-31" }),
    )
    .await;
    let lead = person(&app, &f, "项目经理", true).await;
    let elsewhere_lead = person(&app, &f, "别处经理", true).await;
    let (other_compound, _) = (
        id(&run(
            &app,
            "createCompound",
            "compound { id }",
            json!({ "communityId": f.community, "name": "翠苑三区", "kind": "COMMODITY_HOUSING" }),
        )
        .await["compound"]),
        (),
    );
    let post = |p: &str, c: &str| {
        json!({ "companyId": co, "personId": p, "post": "PROJECT_LEAD", "compoundId": c,
                "title": "项目经理", "startsOn": "2024-01-01" })
    };
    run(&app, "addCompanyPost", POST, post(&lead, &f.compound)).await;
    run(
        &app,
        "addCompanyPost",
        POST,
        post(&elsewhere_lead, &other_compound),
    )
    .await;
    // One lead per compound at a time; a project lead names the compound.
    let p = refused(
        &app,
        "addCompanyPost",
        POST,
        post(&elsewhere_lead, &f.compound),
    )
    .await;
    assert_error(&p, &["input", "post"], "CONFLICT");
    let p = refused(
        &app,
        "addCompanyPost",
        POST,
        json!({ "companyId": co, "personId": lead, "post": "PROJECT_LEAD", "startsOn": "2024-01-01" }),
    )
    .await;
    assert_error(&p, &["input", "compoundId"], "REQUIRED");
    // The other compound's lead on the party committee does not count here.
    seat(&app, &pc, &elsewhere_lead, "MEMBER").await;
    let two = node(&app, &f.compound, CROSS).await["crossAppointment"]["twoWay"].clone();
    assert_eq!(two["companyHeadOnPartyCommittee"], false);
    seat(&app, &pc, &lead, "MEMBER").await;
    let two = node(&app, &f.compound, CROSS).await["crossAppointment"]["twoWay"].clone();
    assert_eq!(two["companyHeadOnPartyCommittee"], true);
    assert_eq!(
        two["headsOnPartyCommittee"],
        json!([{ "post": { "post": "PROJECT_LEAD", "person": { "name": "项目经理" } },
                 "partyCommitteeSeat": { "role": "MEMBER" } }])
    );
    // Both leads hold posts in the company and sit on the party committee.
    assert_eq!(two["partyCommitteeMemberInCompany"], true);
    assert_eq!(two["bothWays"], true);

    // A committee member with no post, seated in the company's organisation.
    let member = person(&app, &f, "党委委员", true).await;
    seat(&app, &pc, &member, "MEMBER").await;
    let org = id(&run(
        &app,
        "createCompanyPartyOrganisation",
        ORG,
        json!({ "companyId": co, "name": "红星物业党支部", "establishedOn": "2024-01-01" }),
    )
    .await["organisation"]);
    run(
        &app,
        "addCompanyPartyMember",
        ORG_SEAT,
        json!({ "organisationId": org, "personId": member, "role": "MEMBER", "startsOn": "2024-02-01" }),
    )
    .await;
    let two = node(&app, &f.compound, CROSS).await["crossAppointment"]["twoWay"].clone();
    let in_company = two["partyCommitteeInCompany"].as_array().unwrap();
    assert!(
        in_company
            .iter()
            .any(|m| m["partyCommitteeSeat"]["person"]["name"] == "党委委员"
                && m["companyPartySeat"]["role"] == "MEMBER"
                && m["companyPost"].is_null())
    );
    assert_eq!(in_company.len(), 3);
}

#[tokio::test]
async fn only_those_over_the_community_record_its_committees() {
    let app = spawn_app().await;
    let f = fixture(&app).await;
    let other = id(&run(
        &app,
        "createCommunity",
        "community { id }",
        json!({ "subdistrictId": f.subdistrict, "name": "文新社区" }),
    )
    .await["community"]);
    let mine = app
        .user_with_role("wu.community", "COMMUNITY_STAFF", Some(&f.community))
        .await;
    let secretary = app
        .user_with_role("chen.secretary", "BRANCH_SECRETARY", Some(&f.compound))
        .await;
    let create = |c: &str| {
        json!({ "input": { "communityId": c, "kind": "RESIDENTS_COMMITTEE", "name": "第十届",
                           "termStartsOn": "2024-01-01", "termEndsOn": "2028-12-31" } })
    };
    let q = crate::register::op("createCommunityCommittee", COMMUNITY_COMMITTEE);
    let body = app.gql(None, &q, create(&f.community)).await;
    assert_request_error(&body, "UNAUTHENTICATED");
    let body = app.gql(Some(&secretary), &q, create(&f.community)).await;
    assert_request_error(&body, "FORBIDDEN");
    // Another community, and one that does not exist, answer alike.
    let mut answers = Vec::new();
    for c in [other.as_str(), "Q29tbXVuaXR5Ojk4NzY1NA"] {
        let body = app.gql(Some(&mine), &q, create(c)).await;
        assert_request_error(&body, "FORBIDDEN");
        answers.push(body["errors"][0]["message"].clone());
    }
    assert_eq!(answers[0], answers[1]);
    let body = app.gql(Some(&mine), &q, create(&f.community)).await;
    assert_eq!(
        body["data"]["createCommunityCommittee"]["userErrors"],
        json!([]),
        "{body:#}"
    );
    // Companies are registered above communities: community staff do not
    // found their party organisations or record their posts.
    let co = company(&app, "红星物业").await;
    let body = app
        .gql(
            Some(&mine),
            &crate::register::op("createCompanyPartyOrganisation", ORG),
            json!({ "input": { "companyId": co, "name": "党支部", "establishedOn": "2024-01-01" } }),
        )
        .await;
    assert_request_error(&body, "FORBIDDEN");
}
