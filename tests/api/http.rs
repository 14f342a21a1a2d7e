//! GraphQL over HTTP: media types, status codes, GET, batches, limits and
//! health probes, as documented in `src/http.rs`.

use reqwest::{Response, StatusCode, header};
use serde_json::{Value, json};

use crate::helpers::{TestApp, spawn_app, spawn_app_with};

const GRAPHQL_RESPONSE_JSON: &str = "application/graphql-response+json";

/// POSTs `body` as `application/json`, with `accept` if given.
async fn post(app: &TestApp, accept: Option<&str>, body: &Value) -> Response {
    let mut req = app.client.post(app.graphql_url()).json(body);
    if let Some(a) = accept {
        req = req.header(header::ACCEPT, a);
    }
    req.send().await.expect("request")
}

/// POSTs raw bytes with the given content type (none when `None`).
async fn post_raw(
    app: &TestApp,
    content_type: Option<&str>,
    body: impl Into<reqwest::Body>,
) -> Response {
    let mut req = app.client.post(app.graphql_url()).body(body);
    if let Some(ct) = content_type {
        req = req.header(header::CONTENT_TYPE, ct);
    }
    req.send().await.expect("request")
}

/// GETs `/graphql` with the given query-string pairs and Accept header.
async fn get(app: &TestApp, accept: Option<&str>, params: &[(&str, &str)]) -> Response {
    let mut req = app.client.get(app.graphql_url()).query(params);
    if let Some(a) = accept {
        req = req.header(header::ACCEPT, a);
    }
    req.send().await.expect("request")
}

fn content_type(resp: &Response) -> String {
    resp.headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_owned()
}

/// The status, content type and JSON body of a response.
async fn parts(resp: Response) -> (StatusCode, String, Value) {
    let status = resp.status();
    let ct = content_type(&resp);
    let text = resp.text().await.expect("body");
    let body = serde_json::from_str(&text)
        .unwrap_or_else(|e| panic!("not JSON ({e}), status {status}: {text}"));
    (status, ct, body)
}

/// The `extensions.code` of the first error.
fn first_code(body: &Value) -> &str {
    body["errors"][0]["extensions"]["code"]
        .as_str()
        .unwrap_or_else(|| panic!("no error code in {body:#}"))
}

/// Asserts `body` is a request error: errors, and no `data` key at all.
fn assert_request_error(body: &Value) {
    assert!(
        body["errors"].as_array().is_some_and(|e| !e.is_empty()),
        "expected errors: {body:#}"
    );
    assert!(body.get("data").is_none(), "expected no data key: {body:#}");
}

#[tokio::test]
async fn post_answers_in_the_negotiated_media_type() {
    let app = spawn_app().await;
    let query = json!({ "query": "{ __typename }" });
    for accept in [
        None,
        Some(GRAPHQL_RESPONSE_JSON),
        Some("*/*"),
        Some("application/graphql-response+json, application/json;q=0.9"),
    ] {
        let (status, ct, body) = parts(post(&app, accept, &query).await).await;
        assert_eq!(status, StatusCode::OK, "Accept {accept:?}");
        assert!(
            ct.starts_with(GRAPHQL_RESPONSE_JSON),
            "Accept {accept:?} gave content type {ct}"
        );
        assert_eq!(body["data"]["__typename"], "Query", "Accept {accept:?}");
    }
    let (status, ct, body) = parts(post(&app, Some("application/json"), &query).await).await;
    assert_eq!(status, StatusCode::OK);
    assert!(ct.starts_with("application/json"), "content type {ct}");
    assert_eq!(body["data"]["__typename"], "Query");
}

#[tokio::test]
async fn an_accept_header_without_json_is_406() {
    let app = spawn_app().await;
    let query = json!({ "query": "{ __typename }" });
    let resp = post(&app, Some("text/xml"), &query).await;
    assert_eq!(resp.status(), StatusCode::NOT_ACCEPTABLE);
    let resp = get(&app, Some("text/xml"), &[("query", "{ __typename }")]).await;
    assert_eq!(resp.status(), StatusCode::NOT_ACCEPTABLE);
}

#[tokio::test]
async fn post_bodies_that_are_not_application_json_are_415() {
    let app = spawn_app().await;
    let body = r#"{"query":"{ __typename }"}"#;
    let (status, _, json) = parts(post_raw(&app, Some("text/plain"), body).await).await;
    assert_eq!(status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    assert_request_error(&json);
    let (status, _, json) = parts(post_raw(&app, None, body).await).await;
    assert_eq!(status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    assert_request_error(&json);
    // The same body as application/json (with a charset parameter) runs.
    let (status, _, json) =
        parts(post_raw(&app, Some("application/json; charset=utf-8"), body).await).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(json["data"]["__typename"], "Query");
}

#[tokio::test]
async fn an_unparsable_body_is_400() {
    let app = spawn_app().await;
    for body in [
        r#"{"query": "{ __typename }""#,
        "not json",
        r#"{"variables": {}}"#,
    ] {
        let (status, ct, json) = parts(post_raw(&app, Some("application/json"), body).await).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "body {body}");
        assert!(ct.starts_with(GRAPHQL_RESPONSE_JSON), "content type {ct}");
        assert_request_error(&json);
    }
}

#[tokio::test]
async fn syntax_and_validation_errors_are_400_without_data_unless_json_was_asked_for() {
    let app = spawn_app().await;
    for query in [
        "{ __typename",
        "{ noSuchField }",
        "query { me { account { nope } } }",
    ] {
        let body = json!({ "query": query });
        let (status, ct, json) = parts(post(&app, None, &body).await).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "query {query}: {json:#}");
        assert!(ct.starts_with(GRAPHQL_RESPONSE_JSON), "content type {ct}");
        assert_request_error(&json);

        // Under application/json a well-formed request is always 200.
        let (status, ct, json) = parts(post(&app, Some("application/json"), &body).await).await;
        assert_eq!(status, StatusCode::OK, "query {query}: {json:#}");
        assert!(ct.starts_with("application/json"), "content type {ct}");
        assert_request_error(&json);
    }
}

#[tokio::test]
async fn get_runs_queries() {
    let app = spawn_app().await;
    let (status, ct, body) = parts(get(&app, None, &[("query", "{ __typename }")]).await).await;
    assert_eq!(status, StatusCode::OK);
    assert!(ct.starts_with(GRAPHQL_RESPONSE_JSON), "content type {ct}");
    assert_eq!(body["data"]["__typename"], "Query");

    // Variables travel JSON-encoded in the query string; the bearer token works too.
    let resp = app
        .client
        .get(app.graphql_url())
        .query(&[
            ("query", "query($n: Int) { compounds(first: $n) { edges { cursor } } me { account { username } } }"),
            ("variables", r#"{"n": 5}"#),
        ])
        .bearer_auth(&app.admin_token)
        .send()
        .await
        .expect("request");
    let (status, _, body) = parts(resp).await;
    assert_eq!(status, StatusCode::OK, "{body:#}");
    assert_eq!(body["data"]["me"]["account"]["username"], "admin");
    assert_eq!(body["data"]["compounds"]["edges"], json!([]));
}

#[tokio::test]
async fn a_mutation_over_get_is_405_and_changes_nothing() {
    let app = spawn_app().await;
    let district = app
        .mutate(
            &app.admin_token,
            "createDistrict",
            "mutation($input: CreateDistrictInput!) { createDistrict(input: $input) { district { id } userErrors { message } } }",
            serde_json::json!({ "name": "西湖区" }),
        )
        .await["district"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let mutation = format!(
        r#"mutation {{ createSubdistrict(input: {{ districtId: "{district}", name: "西湖街道" }}) {{ subdistrict {{ id }} userErrors {{ message }} }} }}"#
    );
    let resp = app
        .client
        .get(app.graphql_url())
        .query(&[("query", mutation.as_str())])
        .bearer_auth(&app.admin_token)
        .send()
        .await
        .expect("request");
    assert_eq!(resp.status(), StatusCode::METHOD_NOT_ALLOWED);
    let allow = resp
        .headers()
        .get(header::ALLOW)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_owned();
    assert_eq!(allow, "POST");
    let data = app
        .ok(
            Some(&app.admin_token),
            "{ subdistricts { edges { node { name } } } }",
            json!({}),
        )
        .await;
    assert_eq!(data["subdistricts"]["edges"], json!([]));
}

#[tokio::test]
async fn a_browser_get_serves_graphiql() {
    let app = spawn_app().await;
    let resp = get(
        &app,
        Some("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"),
        &[],
    )
    .await;
    assert_eq!(resp.status(), StatusCode::OK);
    let ct = content_type(&resp);
    assert!(ct.starts_with("text/html"), "content type {ct}");
    let page = resp.text().await.expect("body");
    assert!(page.to_lowercase().contains("graphiql"), "{page}");
    assert!(page.contains("/graphql"), "the page points at the endpoint");
}

#[tokio::test]
async fn batches_run_within_the_limit_and_are_400_beyond_it() {
    let app = spawn_app_with(|c| c.limits.max_batch = 2).await;
    let two = json!([
        { "query": "{ __typename }" },
        { "query": "query { me { isPlatformAdmin } }" },
    ]);
    let (status, _, body) = parts(post(&app, None, &two).await).await;
    assert_eq!(status, StatusCode::OK);
    let items = body.as_array().expect("a batch answers with an array");
    assert_eq!(items.len(), 2);
    assert_eq!(items[0]["data"]["__typename"], "Query");
    assert_eq!(items[1]["data"]["me"], Value::Null);

    let three = json!([
        { "query": "{ __typename }" },
        { "query": "{ __typename }" },
        { "query": "{ __typename }" },
    ]);
    let (status, _, body) = parts(post(&app, None, &three).await).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_request_error(&body);

    let (status, _, body) = parts(post(&app, None, &json!([])).await).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_request_error(&body);
}

#[tokio::test]
async fn a_body_over_the_limit_is_413() {
    let app = spawn_app_with(|c| c.limits.max_body_bytes = 2048).await;
    let padding = " ".repeat(4096);
    let big = json!({ "query": format!("{{ __typename {padding} }}") });
    let resp = post(&app, None, &big).await;
    assert_eq!(resp.status(), StatusCode::PAYLOAD_TOO_LARGE);

    let small = json!({ "query": "{ __typename }" });
    let (status, _, body) = parts(post(&app, None, &small).await).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["data"]["__typename"], "Query");
}

#[tokio::test]
async fn a_query_deeper_than_the_limit_is_refused() {
    let app = spawn_app_with(|c| c.limits.max_depth = 4).await;
    let shallow = json!({ "query": "{ compounds { edges { cursor } } }" });
    let (status, _, body) = parts(post(&app, None, &shallow).await).await;
    assert_eq!(status, StatusCode::OK, "{body:#}");
    assert!(body.get("errors").is_none(), "{body:#}");

    let deep = json!({
        "query": "{ compounds { edges { node { community { subdistrict { name } } } } } }"
    });
    let (status, _, body) = parts(post(&app, None, &deep).await).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body:#}");
    assert_request_error(&body);
    assert_eq!(first_code(&body), "LIMIT_EXCEEDED");
}

#[tokio::test]
async fn a_query_more_complex_than_the_limit_is_refused() {
    let app = spawn_app_with(|c| c.limits.max_complexity = 50).await;
    let cheap = json!({ "query": "{ compounds(first: 5) { edges { node { id } } } }" });
    let (status, _, body) = parts(post(&app, None, &cheap).await).await;
    assert_eq!(status, StatusCode::OK, "{body:#}");
    assert!(body.get("errors").is_none(), "{body:#}");

    let costly = json!({
        "query": "{ compounds(first: 100) { edges { node { id name community { name } } } } }"
    });
    let (status, _, body) = parts(post(&app, None, &costly).await).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body:#}");
    assert_request_error(&body);
    assert_eq!(first_code(&body), "LIMIT_EXCEEDED");
}

#[tokio::test]
async fn a_page_over_100_items_is_bad_user_input() {
    let app = spawn_app().await;
    let body = app
        .gql(
            None,
            "{ compounds(first: 101) { edges { node { id } } } }",
            json!({}),
        )
        .await;
    assert_eq!(first_code(&body), "BAD_USER_INPUT", "{body:#}");
    assert!(body["data"].is_null(), "{body:#}");
    let body = app
        .gql(
            None,
            "{ subdistricts(last: 101) { edges { cursor } } }",
            json!({}),
        )
        .await;
    assert_eq!(first_code(&body), "BAD_USER_INPUT", "{body:#}");
    // 100 is allowed.
    app.ok(
        None,
        "{ compounds(first: 100) { edges { node { id } } } }",
        json!({}),
    )
    .await;
}

#[tokio::test]
async fn health_probes_answer_200() {
    let app = spawn_app().await;
    for path in ["/healthz", "/readyz"] {
        let resp = app
            .client
            .get(format!("{}{path}", app.address))
            .send()
            .await
            .expect("request");
        assert_eq!(resp.status(), StatusCode::OK, "{path}");
    }
}

#[tokio::test]
async fn a_get_naming_a_mutation_of_a_larger_document_is_405() {
    let app = spawn_app().await;
    let document = "query Who { me { isPlatformAdmin } } mutation Out { logout { revoked } }";
    let resp = app
        .client
        .get(app.graphql_url())
        .query(&[("query", document), ("operationName", "Out")])
        .bearer_auth(&app.admin_token)
        .send()
        .await
        .expect("request");
    assert_eq!(resp.status(), StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(
        resp.headers()
            .get(header::ALLOW)
            .and_then(|v| v.to_str().ok()),
        Some("POST")
    );
    // The token was not revoked, and the query of the same document runs over GET.
    let resp = app
        .client
        .get(app.graphql_url())
        .query(&[("query", document), ("operationName", "Who")])
        .bearer_auth(&app.admin_token)
        .send()
        .await
        .expect("request");
    let (status, _, body) = parts(resp).await;
    assert_eq!(status, StatusCode::OK, "{body:#}");
    assert_eq!(body["data"]["me"]["isPlatformAdmin"], true);
}

#[tokio::test]
async fn internal_errors_do_not_show_their_cause() {
    use sea_orm::{ConnectionTrait, DatabaseBackend};
    let app = spawn_app().await;
    let sql = match app.db.get_database_backend() {
        DatabaseBackend::Postgres => "DROP TABLE property_company CASCADE",
        _ => "DROP TABLE property_company",
    };
    app.db.execute_unprepared(sql).await.expect("drop a table");
    let body = app
        .gql(
            Some(&app.admin_token),
            "{ propertyCompanies { edges { node { id name } } } }",
            json!({}),
        )
        .await;
    assert_eq!(first_code(&body), "INTERNAL", "{body:#}");
    assert_eq!(body["errors"][0]["message"], "internal error", "{body:#}");
    let text = body.to_string().to_lowercase();
    for leak in [
        "property_company",
        "select",
        "table",
        "relation",
        "sqlx",
        "sqlite",
        "postgres",
    ] {
        assert!(
            !text.contains(leak),
            "the response shows `{leak}`: {body:#}"
        );
    }
}

/// The introspection query GraphiQL sends (graphql-js `getIntrospectionQuery`).
const INTROSPECTION: &str = r#"
query IntrospectionQuery {
  __schema {
    queryType { name }
    mutationType { name }
    subscriptionType { name }
    types { ...FullType }
    directives { name description locations args { ...InputValue } }
  }
}
fragment FullType on __Type {
  kind name description
  fields(includeDeprecated: true) {
    name description args { ...InputValue } type { ...TypeRef } isDeprecated deprecationReason
  }
  inputFields { ...InputValue }
  interfaces { ...TypeRef }
  enumValues(includeDeprecated: true) { name description isDeprecated deprecationReason }
  possibleTypes { ...TypeRef }
}
fragment InputValue on __InputValue { name description type { ...TypeRef } defaultValue }
fragment TypeRef on __Type {
  kind name
  ofType { kind name ofType { kind name ofType { kind name ofType { kind name
    ofType { kind name ofType { kind name ofType { kind name } } } } } } }
}
"#;

#[tokio::test]
async fn graphiql_introspection_fits_the_default_limits() {
    let app = spawn_app().await;
    let (status, _, body) = parts(post(&app, None, &json!({ "query": INTROSPECTION })).await).await;
    assert_eq!(status, StatusCode::OK, "{body:#}");
    assert!(body.get("errors").is_none(), "{body:#}");
    assert_eq!(body["data"]["__schema"]["queryType"]["name"], "Query");
    assert_eq!(body["data"]["__schema"]["mutationType"]["name"], "Mutation");
}

#[tokio::test]
async fn bad_variables_and_unknown_operations_are_request_errors() {
    let app = spawn_app().await;
    let query = "query Page($n: Int!) { compounds(first: $n) { edges { cursor } } }";
    for request in [
        json!({ "query": query, "variables": { "n": "many" } }),
        json!({ "query": query, "variables": {} }),
        json!({ "query": query, "operationName": "Other" }),
    ] {
        let (status, _, body) = parts(post(&app, None, &request).await).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{request}: {body:#}");
        assert_request_error(&body);
        let (status, _, body) = parts(post(&app, Some("application/json"), &request).await).await;
        assert_eq!(status, StatusCode::OK, "{request}: {body:#}");
        assert_request_error(&body);
    }
    // A GET without a query (and not from a browser) is a bad request.
    let (status, _, body) = parts(get(&app, None, &[]).await).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body:#}");
    assert_request_error(&body);
}

/// Verifying a decision chain reads every record of a compound: it counts
/// for much more than a plain field, so a page of compounds cannot ask for
/// the chains of all of them in one request.
#[tokio::test]
async fn decision_chains_count_for_their_work_in_the_complexity_limit() {
    let app = spawn_app().await;
    let few = json!({ "query": "{ compounds(first: 10) { edges { node { decisionChain { intact } } } } }" });
    let (status, _, body) = parts(post(&app, None, &few).await).await;
    assert_eq!(status, StatusCode::OK, "{body:#}");
    assert!(body.get("errors").is_none(), "{body:#}");

    let many = json!({ "query": "{ compounds(first: 30) { edges { node { decisionChain { intact } } } } }" });
    let (status, _, body) = parts(post(&app, None, &many).await).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body:#}");
    assert_eq!(first_code(&body), "LIMIT_EXCEEDED");
}

/// A response lists its keys in the order of the selection set, at every
/// depth (the specification's ordering rule), in one JSON document as sent.
#[tokio::test]
async fn responses_keep_the_order_of_the_selection_set() {
    let app = spawn_app().await;
    crate::helpers::fixture(&app).await;
    let query = "{ zeta: __typename subdistricts(first: 1) {
        pageInfo { hasNextPage endCursor }
        edges { node { name id communities(first: 1) { edges { node { name id } } } } cursor } }
        alpha: __typename }";
    for (batch, body) in [
        (false, json!({ "query": query })),
        (true, json!([{ "query": query }])),
    ] {
        let resp = post(&app, None, &body).await;
        assert_eq!(resp.status(), StatusCode::OK);
        let text = resp.text().await.expect("body");
        let keys = [
            r#""data":{"zeta""#,
            r#""subdistricts":{"pageInfo":{"hasNextPage""#,
            r#""endCursor""#,
            r#""edges":[{"node":{"name""#,
            r#""id""#,
            r#""communities":{"edges":[{"node":{"name""#,
            r#""cursor""#,
            r#""alpha":"Query"}"#,
        ];
        let mut from = 0;
        for key in keys {
            let at = text[from..]
                .find(key)
                .unwrap_or_else(|| panic!("{key} not after byte {from} in {text}"));
            from += at + key.len();
        }
        assert_eq!(text.starts_with('['), batch, "{text}");
    }
}

/// A value async-graphql itself fails to parse while executing (a malformed date inside
/// an input object) is answered, like every error, with a code: the caller's input.
#[tokio::test]
async fn a_value_that_does_not_parse_inside_an_input_is_bad_user_input() {
    let app = spawn_app().await;
    let body = app
        .gql(
            Some(&app.admin_token),
            "mutation { addOwnership(input: { personId: \"UGVyc29uOjE\", dwellingId: \"RHdlbGxpbmc6MQ\", startsOn: \"\" }) { ownership { id } } }",
            json!({}),
        )
        .await;
    let error = &body["errors"][0];
    assert!(
        error["message"].as_str().unwrap_or("").contains("Date"),
        "{body:#}"
    );
    assert_eq!(error["extensions"]["code"], "BAD_USER_INPUT", "{body:#}");
}
