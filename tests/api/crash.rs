//! A crash in the middle of voting: the built binary takes ballots from
//! many owners at once and is killed with SIGKILL. Every ballot it
//! acknowledged is on record after a restart, none is recorded twice, and
//! the decision chain is intact. On SQLite by default, on PostgreSQL when
//! `TEST_DATABASE_URL` is set.

use std::collections::HashSet;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use crate::assembly::{ballots_of, estate_of_owners, firsts_and_superseded, open_vote};
use crate::helpers::{fixture, spawn_app};
use crate::register::id;
use crate::server::start_binary;

const OWNERS: usize = 12;
/// Acknowledged ballots to wait for before the kill.
const BEFORE_KILL: usize = 100;

/// Casts ballots as one owner, one after another, until the server is gone;
/// returns those it acknowledged (ID and choice) and how many were sent.
async fn cast_until_gone(
    url: String,
    token: String,
    vote: String,
    acknowledged: Arc<AtomicUsize>,
) -> (Vec<(String, &'static str)>, usize) {
    const CHOICES: [&str; 3] = ["AGREE", "DISAGREE", "ABSTAIN"];
    let client = reqwest::Client::new();
    let mut taken = Vec::new();
    let mut sent = 0;
    loop {
        let choice = CHOICES[sent % 3];
        sent += 1;
        let body = json!({
            "query": "mutation($input: CastBallotInput!) { castBallot(input: $input) { ballot { id choice } userErrors { message } } }",
            "variables": { "input": { "voteId": vote, "choice": choice } }
        });
        let answer = async {
            let resp = client
                .post(&url)
                .bearer_auth(&token)
                .json(&body)
                .send()
                .await
                .ok()?;
            resp.json::<Value>().await.ok()
        };
        let Some(answer) = answer.await else {
            // No answer (the server died with it in flight): it may or may not be on record.
            return (taken, sent);
        };
        let ballot = &answer["data"]["castBallot"]["ballot"];
        let ballot_id = ballot["id"]
            .as_str()
            .unwrap_or_else(|| panic!("a ballot taken while the server runs: {answer:#}"));
        assert_eq!(ballot["choice"], choice);
        taken.push((ballot_id.to_owned(), choice));
        acknowledged.fetch_add(1, Ordering::SeqCst);
    }
}

#[cfg(unix)]
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn ballots_acknowledged_before_a_kill_are_all_there_once_after_restart() {
    let app = spawn_app().await;
    let f = fixture(&app).await;
    let (e, member, owners) = estate_of_owners(&app, &f, "断电小区", "crash", OWNERS).await;
    let vote = id(&open_vote(&app, &member, &e.compound, "OTHER_MAJOR_MATTER").await);

    // The binary over the same database takes the ballots.
    let dir = std::env::temp_dir().join(format!("capi-crash-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("dir");
    let database = app.config.database_url.clone();
    let (mut child, base) = start_binary(&database, &dir, &[]).await;
    let acknowledged = Arc::new(AtomicUsize::new(0));
    let casting: Vec<_> = owners
        .iter()
        .map(|o| {
            tokio::spawn(cast_until_gone(
                format!("{base}/graphql"),
                o.token.clone(),
                vote.clone(),
                acknowledged.clone(),
            ))
        })
        .collect();
    let deadline = Instant::now() + Duration::from_secs(60);
    while acknowledged.load(Ordering::SeqCst) < BEFORE_KILL {
        assert!(Instant::now() < deadline, "ballots were not taken");
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    child.start_kill().expect("SIGKILL");
    child.wait().await.expect("the killed binary");
    let mut acked: Vec<(String, &str)> = Vec::new();
    let mut sent = 0;
    for task in casting {
        let (taken, n) = task.await.expect("a casting task");
        acked.extend(taken);
        sent += n;
    }
    assert!(acked.len() >= BEFORE_KILL);

    // Restarted over the same files, it answers, and its chain check finds every link intact.
    let (_restarted, base) = start_binary(&database, &dir, &[]).await;
    let chain: Value = reqwest::Client::new()
        .post(format!("{base}/graphql"))
        .bearer_auth(&member)
        .json(&json!({
            "query": "query($c: ID!) { verifyDecisionChain(compoundId: $c) { intact links reason } }",
            "variables": { "c": e.compound }
        }))
        .send()
        .await
        .expect("the restarted binary answers")
        .json()
        .await
        .expect("json");
    let chain = &chain["data"]["verifyDecisionChain"];

    // Every acknowledged ballot is on record; none is there twice; each change supersedes
    // exactly one earlier ballot; at most the ballots in flight at the kill are extra.
    let ballots = ballots_of(&app, &member, &vote).await;
    let recorded: HashSet<&str> = ballots.iter().map(|b| b["id"].as_str().unwrap()).collect();
    assert_eq!(recorded.len(), ballots.len(), "no ballot listed twice");
    for (ballot, choice) in &acked {
        assert!(
            recorded.contains(ballot.as_str()),
            "acknowledged {ballot} ({choice}) is lost"
        );
        let on_record = ballots.iter().find(|b| b["id"] == ballot.as_str()).unwrap();
        assert_eq!(on_record["choice"], *choice);
    }
    assert!(
        ballots.len() <= sent && ballots.len() - acked.len() <= OWNERS,
        "{} recorded, {} acknowledged, {sent} sent",
        ballots.len(),
        acked.len()
    );
    let (firsts, _) = firsts_and_superseded(&ballots);
    let voters: HashSet<&str> = ballots
        .iter()
        .map(|b| b["voter"]["id"].as_str().unwrap())
        .collect();
    assert_eq!(firsts, voters.len(), "one first ballot per owner");
    assert_eq!(chain["intact"], true, "{chain:#}");
    assert_eq!(chain["links"], 1 + ballots.len() as i64, "{chain:#}");
    let _ = std::fs::remove_dir_all(&dir);
}
