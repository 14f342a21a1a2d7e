//! The document guard (src/graphql/guard.rs): every limit refuses a
//! document before it runs, with a 400 and a message that names the limit.

use std::time::{Duration, Instant};

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{PASSWORD, TestApp, spawn_app};

/// POSTs `body` and returns the status and the JSON body.
async fn post(app: &TestApp, token: Option<&str>, body: &Value) -> (StatusCode, Value) {
    let mut req = app.client.post(app.graphql_url()).json(body);
    if let Some(t) = token {
        req = req.bearer_auth(t);
    }
    let resp = req.send().await.expect("request");
    let status = resp.status();
    (status, resp.json().await.expect("json body"))
}

/// Asserts a refusal before execution: 400, no data, the code and a
/// message that names `words`.
fn assert_refused(status: StatusCode, body: &Value, code: &str, words: &str) {
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body:#}");
    assert!(body.get("data").is_none(), "{body:#}");
    assert_eq!(body["errors"][0]["extensions"]["code"], code, "{body:#}");
    let message = body["errors"][0]["message"].as_str().unwrap_or("");
    assert!(message.contains(words), "{message}");
}

/// `levels` fragments, each spreading the next twice: 2^levels fields.
fn fragment_bomb(levels: usize) -> String {
    let mut q = String::from("query { ...F0 } fragment F0 on Query { ...F1 ...F1 }\n");
    for i in 1..levels {
        q.push_str(&format!(
            "fragment F{i} on Query {{ ...F{} ...F{} }}\n",
            i + 1,
            i + 1
        ));
    }
    q.push_str(&format!("fragment F{levels} on Query {{ __typename }}"));
    q
}

#[tokio::test]
async fn a_fragment_bomb_is_refused_in_milliseconds_and_health_stays_up() {
    let app = spawn_app().await;
    let bomb = fragment_bomb(22);
    assert!(bomb.len() < 1_500, "{} bytes", bomb.len());
    let started = Instant::now();
    let (status, body) = post(&app, None, &json!({ "query": bomb })).await;
    let took = started.elapsed();
    assert_refused(status, &body, "LIMIT_EXCEEDED", "cost");
    // Expanding it took about 2 s; measuring it is linear in its size.
    assert!(took < Duration::from_millis(500), "took {took:?}");
    // Two at once do not stall the health probe.
    let bigger = json!({ "query": fragment_bomb(30) });
    let (a, b, health) = tokio::join!(
        post(&app, None, &bigger),
        post(&app, None, &bigger),
        app.client.get(format!("{}/healthz", app.address)).send(),
    );
    assert_eq!(a.0, StatusCode::BAD_REQUEST);
    assert_eq!(b.0, StatusCode::BAD_REQUEST);
    assert_eq!(health.expect("health").status(), StatusCode::OK);
}

#[tokio::test]
async fn aliases_and_cheap_fields_all_count() {
    let app = spawn_app().await;
    let aliases = |n: usize| {
        let fields: Vec<String> = (0..n).map(|i| format!("a{i}: __typename")).collect();
        json!({ "query": format!("{{ {} }}", fields.join(" ")) })
    };
    let (status, body) = post(&app, None, &aliases(15)).await;
    assert_eq!(status, StatusCode::OK, "{body:#}");
    assert_eq!(body["data"]["a14"], "Query");
    let (status, body) = post(&app, None, &aliases(16)).await;
    assert_refused(
        status,
        &body,
        "LIMIT_EXCEEDED",
        "aliases limit: 16 found, at most 15",
    );
    // Thousands of aliases in one body stop at the token count, unparsed.
    let (status, body) = post(&app, None, &aliases(40_000)).await;
    assert_refused(status, &body, "LIMIT_EXCEEDED", "tokens");
}

#[tokio::test]
async fn directives_count_through_fragments() {
    let app = spawn_app().await;
    // 26 directives in a fragment spread twice: 52 > 50.
    let skips = vec!["__typename @skip(if: false)"; 26].join(" ");
    let query = format!("query {{ ...D ...D }} fragment D on Query {{ {skips} }}");
    let (status, body) = post(&app, None, &json!({ "query": query })).await;
    assert_refused(
        status,
        &body,
        "LIMIT_EXCEEDED",
        "directives limit: 52 found",
    );
}

#[tokio::test]
async fn signed_in_callers_may_send_longer_documents() {
    let app = spawn_app().await;
    // About 1,200 tokens: a selection repeated, merged into one field.
    let query = format!("{{ {} }}", vec!["__typename"; 1_200].join(" "));
    let (status, body) = post(&app, None, &json!({ "query": query })).await;
    assert_refused(status, &body, "LIMIT_EXCEEDED", "tokens limit");
    let (status, body) = post(&app, Some(&app.admin_token), &json!({ "query": query })).await;
    // Past the token count, each field still costs: 1,200 is within 5,000.
    assert_eq!(status, StatusCode::OK, "{body:#}");
    assert_eq!(body["data"]["__typename"], "Query");
}

#[tokio::test]
async fn depth_counts_through_fragments_but_not_introspection() {
    let app = spawn_app().await;
    // 11 levels, 5 of them inside a fragment.
    let query = "{ compounds { edges { node { community { subdistrict { ...S } } } } } } \
                 fragment S on Subdistrict { communities { edges { node { subdistrict { communities { edges { cursor } } } } } } }";
    let (status, body) = post(&app, None, &json!({ "query": query })).await;
    assert_refused(status, &body, "LIMIT_EXCEEDED", "depth limit");
}

const LOGIN: &str =
    "mutation($input: LoginInput!) { login(input: $input) { token userErrors { message } } }";

#[tokio::test]
async fn one_login_per_request_whatever_the_aliases_or_batch() {
    let app = spawn_app().await;
    let input = json!({ "input": { "username": "admin", "password": PASSWORD } });
    let aliased = json!({
        "query": "mutation($input: LoginInput!) { a: login(input: $input) { token } b: login(input: $input) { token } }",
        "variables": input,
    });
    let (status, body) = post(&app, None, &aliased).await;
    assert_refused(status, &body, "LIMIT_EXCEEDED", "log in once");
    let one = json!({ "query": LOGIN, "variables": input });
    let (status, body) = post(&app, None, &json!([one, one])).await;
    assert_refused(status, &body, "LIMIT_EXCEEDED", "log in once");
    // One login alone, or beside other operations, is answered.
    let (status, body) = post(&app, None, &json!([one, { "query": "{ __typename }" }])).await;
    assert_eq!(status, StatusCode::OK, "{body:#}");
    assert!(body[0]["data"]["login"]["token"].is_string(), "{body:#}");
}

#[tokio::test]
async fn control_characters_are_bad_user_input_before_any_database() {
    let app = spawn_app().await;
    let nul_login = json!({
        "query": LOGIN,
        "variables": { "input": { "username": "ad\u{0000}min", "password": PASSWORD } },
    });
    let (status, body) = post(&app, None, &nul_login).await;
    assert_refused(
        status,
        &body,
        "BAD_USER_INPUT",
        "U+0000 found in variables.input.username",
    );
    let literal = json!({
        "query": "{ compounds(filter: { nameContains: \"a\\u0000\" }) { edges { cursor } } }"
    });
    let (status, body) = post(&app, None, &literal).await;
    assert_refused(
        status,
        &body,
        "BAD_USER_INPUT",
        "U+0000 found in the document",
    );
    let escape = json!({
        "query": "query($n: String) { compounds(filter: { nameContains: $n }) { edges { cursor } } }",
        "variables": { "n": "\u{001b}[31m" },
    });
    let (status, body) = post(&app, None, &escape).await;
    assert_refused(status, &body, "BAD_USER_INPUT", "U+001B");
    // Over GET too.
    let resp = app
        .client
        .get(app.graphql_url())
        .query(&[(
            "query",
            "{ compounds(filter: { nameContains: \"\u{0000}\" }) { edges { cursor } } }",
        )])
        .send()
        .await
        .expect("request");
    let status = resp.status();
    let body: Value = resp.json().await.expect("json");
    assert_refused(status, &body, "BAD_USER_INPUT", "U+0000");
    // Line breaks and tabs are text.
    let text = json!({
        "query": "query($n: String) { compounds(filter: { nameContains: $n }) { edges { cursor } } }",
        "variables": { "n": "a\tb\nc" },
    });
    let (status, body) = post(&app, None, &text).await;
    assert_eq!(status, StatusCode::OK, "{body:#}");
}

#[tokio::test]
async fn strings_past_the_longest_input_are_bad_user_input_before_any_database() {
    let app = spawn_app().await;
    let max = compound_api::graphql::guard::MAX_STRING_LEN;
    // In the variables, refused at their place, signed in or not.
    let load = json!({
        "query": "mutation($input: LoadRubricInput!) { loadRubric(input: $input) { userErrors { code } } }",
        "variables": { "input": { "format": "TOML", "document": "#".repeat(max + 1) } },
    });
    let (status, body) = post(&app, Some(&app.admin_token), &load).await;
    assert_refused(
        status,
        &body,
        "BAD_USER_INPUT",
        &format!("{} found in variables.input.document", max + 1),
    );
    // In a literal of the document.
    let literal = json!({
        "query": format!(
            "{{ compounds(filter: {{ nameContains: \"{}\" }}) {{ edges {{ cursor }} }} }}",
            "a".repeat(max + 1)
        )
    });
    let (status, body) = post(&app, None, &literal).await;
    assert_refused(status, &body, "BAD_USER_INPUT", "found in the document");
    // At the bound, the edge lets it through to the input's own maximum.
    let at_bound = json!({
        "query": "query($n: String) { compounds(filter: { nameContains: $n }) { edges { cursor } } }",
        "variables": { "n": "a".repeat(max) },
    });
    let (_, body) = post(&app, None, &at_bound).await;
    assert_eq!(
        body["errors"][0]["extensions"]["code"], "BAD_USER_INPUT",
        "{body:#}"
    );
    let message = body["errors"][0]["message"].as_str().unwrap_or("");
    assert!(
        message.contains("`nameContains` is at most 100 characters"),
        "{message}"
    );
}
