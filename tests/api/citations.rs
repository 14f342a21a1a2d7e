//! Elections and hiring follow the owners' votes (Civil Code art. 278 items
//! 3 and 4): an owners' committee, its members and a property contract
//! cite the adopted vote that decided them, and a citation of a vote that
//! is not adopted, not closed, of another compound, on another matter or
//! closed after the decision took effect is refused.

use chrono::Duration;
use serde_json::{Value, json};

use crate::assembly::{Estate, cast, close, committee_member, dwelling, estate, open_vote, owner};
use crate::helpers::{Fixture, TestApp, fixture, spawn_app};
use crate::register::{assert_error, id, refused, run};

const COMMITTEE: &str = "ownersCommittee { id vote { id matter } }";
const SEAT: &str = "member { id vote { id } }";
const CONTRACT: &str = "contract { id vote { id } endVote { id } }";

/// A compound of two owners; returns the estate, a committee member's
/// token and the two owners' (person, token).
async fn compound_of_two(
    app: &TestApp,
    f: &Fixture,
    name: &str,
    tag: &str,
) -> (Estate, String, Vec<(String, String)>) {
    let e = estate(app, f, name).await;
    let member = committee_member(app, &e.compound, &format!("{tag}.member")).await;
    let mut owners = Vec::new();
    for number in ["101", "102"] {
        let d = dwelling(app, &e, number, "100.00", false).await;
        let o = owner(
            app,
            f,
            &format!("{tag}{number}"),
            &format!("{tag}.{number}"),
            &[&d],
        )
        .await;
        owners.push((o.person, o.token));
    }
    (e, member, owners)
}

/// Opens a vote on `matter`, casts `choice` for every owner and, when
/// `closed`, closes it. Returns the vote's ID.
async fn decided(
    app: &TestApp,
    member: &str,
    compound: &str,
    owners: &[(String, String)],
    matter: &str,
    choice: &str,
    closed: bool,
) -> String {
    let vote = id(&open_vote(app, member, compound, matter).await);
    for (_, token) in owners {
        cast(app, token, &vote, choice).await;
    }
    if closed {
        close(app, member, &vote).await;
    }
    vote
}

fn ymd(d: chrono::NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

fn committee_input(compound: &str, on: chrono::NaiveDate, vote: &str) -> Value {
    json!({ "compoundId": compound, "name": "第二届业主委员会", "electedOn": ymd(on),
            "termStartsOn": ymd(on), "termEndsOn": ymd(on + Duration::days(365 * 3)),
            "voteId": vote })
}

#[tokio::test]
async fn elections_and_contracts_cite_only_the_adopted_vote_on_their_matter() {
    let app = spawn_app().await;
    let f = fixture(&app).await;
    let (e, member, owners) = compound_of_two(&app, &f, "选举小区", "cite").await;
    let (other, other_member, other_owners) = compound_of_two(&app, &f, "邻近小区", "near").await;
    let today = app.clock.today();

    let election = decided(
        &app,
        &member,
        &e.compound,
        &owners,
        "COMMITTEE_ELECTION",
        "AGREE",
        true,
    )
    .await;
    let hiring = decided(
        &app,
        &member,
        &e.compound,
        &owners,
        "PROPERTY_MANAGER",
        "AGREE",
        true,
    )
    .await;
    let rejected = decided(
        &app,
        &member,
        &e.compound,
        &owners,
        "COMMITTEE_ELECTION",
        "DISAGREE",
        true,
    )
    .await;
    let open = decided(
        &app,
        &member,
        &e.compound,
        &owners,
        "COMMITTEE_ELECTION",
        "AGREE",
        false,
    )
    .await;
    let elsewhere = decided(
        &app,
        &other_member,
        &other.compound,
        &other_owners,
        "COMMITTEE_ELECTION",
        "AGREE",
        true,
    )
    .await;

    // Every wrong citation is refused at the vote, and nothing is recorded.
    for (vote, code, what) in [
        (&rejected, "INVALID_STATE", "a vote not adopted"),
        (&open, "INVALID_STATE", "a vote still open"),
        (&elsewhere, "INVALID", "another compound's vote"),
        (&hiring, "INVALID", "a vote on another matter (item 4)"),
    ] {
        let p = refused(
            &app,
            "createOwnersCommittee",
            COMMITTEE,
            committee_input(&e.compound, today, vote),
        )
        .await;
        assert_eq!(p["ownersCommittee"], Value::Null, "{what}");
        assert_error(&p, &["input", "voteId"], code);
    }
    // An election cannot rest on a vote that closed after it.
    let p = refused(
        &app,
        "createOwnersCommittee",
        COMMITTEE,
        committee_input(&e.compound, today - Duration::days(1), &election),
    )
    .await;
    assert_error(&p, &["input", "voteId"], "OUT_OF_RANGE");

    // The adopted election vote: the committee and its member show it.
    let c = run(
        &app,
        "createOwnersCommittee",
        COMMITTEE,
        committee_input(&e.compound, today, &election),
    )
    .await;
    assert_eq!(c["ownersCommittee"]["vote"]["id"], election.as_str());
    assert_eq!(c["ownersCommittee"]["vote"]["matter"], "COMMITTEE_ELECTION");
    let committee = id(&c["ownersCommittee"]);
    let p = refused(
        &app,
        "electCommitteeMember",
        SEAT,
        json!({ "committeeId": committee, "personId": owners[0].0, "role": "CHAIR", "voteId": hiring }),
    )
    .await;
    assert_error(&p, &["input", "voteId"], "INVALID");
    let seat = run(
        &app,
        "electCommitteeMember",
        SEAT,
        json!({ "committeeId": committee, "personId": owners[0].0, "role": "CHAIR", "voteId": election }),
    )
    .await;
    assert_eq!(seat["member"]["vote"]["id"], election.as_str());

    // Hiring and dismissal (item 4).
    let company = id(&run(
        &app,
        "createPropertyCompany",
        "propertyCompany { id }",
        json!({ "name": "选聘物业" }),
    )
    .await["propertyCompany"]);
    let p = refused(
        &app,
        "signPropertyContract",
        CONTRACT,
        json!({ "compoundId": e.compound, "companyId": company, "startsOn": ymd(today),
                "endsOn": ymd(today + Duration::days(730)), "voteId": election }),
    )
    .await;
    assert_error(&p, &["input", "voteId"], "INVALID");
    let contract = run(
        &app,
        "signPropertyContract",
        CONTRACT,
        json!({ "compoundId": e.compound, "companyId": company, "startsOn": ymd(today),
                "endsOn": ymd(today + Duration::days(730)), "voteId": hiring }),
    )
    .await;
    assert_eq!(contract["contract"]["vote"]["id"], hiring.as_str());
    assert_eq!(contract["contract"]["endVote"], Value::Null);

    app.clock
        .advance(Duration::hours(2))
        .expect("an adjustable clock");
    let dismissal = decided(
        &app,
        &member,
        &e.compound,
        &owners,
        "PROPERTY_MANAGER",
        "AGREE",
        true,
    )
    .await;
    let ended = run(
        &app,
        "endPropertyContract",
        CONTRACT,
        json!({ "contractId": id(&contract["contract"]), "endedOn": ymd(app.clock.today()),
                "reason": "业主大会决定解聘", "voteId": dismissal }),
    )
    .await;
    assert_eq!(ended["contract"]["endVote"]["id"], dismissal.as_str());
    assert_eq!(ended["contract"]["vote"]["id"], hiring.as_str());

    // A resident reading the committee sees the vote it rests on.
    let q = "query($id: ID!) { node(id: $id) { ... on OwnersCommittee { vote { id } } } }";
    let seen = app
        .ok(Some(&owners[1].1), q, json!({ "id": committee }))
        .await;
    assert_eq!(seen["node"]["vote"]["id"], election.as_str());
}
