//! Evaluation rubrics over HTTP: the three the product ships are there on
//! a fresh database; a city loads its own from TOML or JSON or saves one
//! through the structured mutation; a draft may be replaced until it is
//! published, and a published version never changes (a new draft follows
//! it); bad documents and content are user errors at the field at fault;
//! drafts are shown only to those who keep the rubrics, and only a
//! platform-wide grant keeps them.

use serde_json::{Value, json};

use crate::helpers::{TestApp, fixture, nodes, spawn_app};

const VERSION: &str = "id number name status example maxTotal note createdBy publishedBy \
    rubric { id code kind shipped } \
    aspects { position title description maxTotal indicators { position title maxScore guidance } }";

fn op(name: &str) -> String {
    let input = format!("{}{}Input", name[..1].to_uppercase(), &name[1..]);
    format!(
        "mutation($input: {input}!) {{ {name}(input: $input) {{ version {{ {VERSION} }} userErrors {{ field message code }} }} }}"
    )
}

/// Runs mutation `name` as `token`; returns its payload (errors included).
async fn call(app: &TestApp, token: Option<&str>, name: &str, input: Value) -> Value {
    let body = app.gql(token, &op(name), json!({ "input": input })).await;
    body["data"][name].clone()
}

/// Runs mutation `name` as `token`; it must succeed. Returns the version.
async fn run(app: &TestApp, token: &str, name: &str, input: Value) -> Value {
    let p = call(app, Some(token), name, input).await;
    assert_eq!(p["userErrors"], json!([]), "{name}: {p:#}");
    p["version"].clone()
}

/// The one user error of a payload, as (its field's path joined by dots, code).
fn refusal(p: &Value) -> (String, String) {
    let e = &p["userErrors"][0];
    assert!(p["version"].is_null(), "{p:#}");
    let path: Vec<&str> = e["field"]
        .as_array()
        .map(|a| a.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    (
        path.join("."),
        e["code"].as_str().unwrap_or_default().to_owned(),
    )
}

const PARK_TOML: &str = r#"
code = "wuchang-park"
name = "武昌区公园小区评价细则"
kind = "DEMONSTRATION_COMPOUND"

[[aspects]]
title = "组织体系"
description = "组织健全"

[[aspects.indicators]]
title = "党支部"
max_score = 40
guidance = "建立并运转的得满分"

[[aspects.indicators]]
title = "业委会"
max_score = 35
guidance = "在任期内的得满分"

[[aspects]]
title = "治理成效"

[[aspects.indicators]]
title = "环境整洁"
max_score = 25
guidance = "现场查看"
"#;

#[tokio::test]
async fn the_shipped_rubrics_are_there_published_and_public() {
    let app = spawn_app().await;
    let q = "{ rubrics(first: 10) { edges { node { code kind shipped draft { id } \
             current { number status example maxTotal createdBy publishedBy \
             aspects { title maxTotal indicators { title maxScore } } } } } } }";
    // Anyone reads them, signed in or not.
    let data = app.ok(None, q, json!({})).await;
    let rubrics = nodes(&data["rubrics"]);
    let summary: Vec<(String, String, bool, usize, usize, i64, bool)> = rubrics
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            let v = &r["current"];
            let aspects = v["aspects"].as_array().unwrap();
            let indicators: usize = aspects
                .iter()
                .map(|a| a["indicators"].as_array().unwrap().len())
                .sum();
            assert_eq!(v["status"], "PUBLISHED");
            assert_eq!(v["number"], 1);
            assert!(v["createdBy"].is_null() && v["publishedBy"].is_null());
            assert!(r["draft"].is_null());
            // Each aspect's maximum is the sum of its indicators'.
            for a in aspects {
                let sum: i64 = a["indicators"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|i| i["maxScore"].as_i64().unwrap())
                    .sum();
                assert_eq!(a["maxTotal"].as_i64().unwrap(), sum);
            }
            (
                r["code"].as_str().unwrap().to_owned(),
                r["kind"].as_str().unwrap().to_owned(),
                r["shipped"].as_bool().unwrap(),
                aspects.len(),
                indicators,
                v["maxTotal"].as_i64().unwrap(),
                v["example"].as_bool().unwrap(),
            )
        })
        .collect();
    let row = |code: &str, kind: &str, aspects, indicators, example| {
        (
            code.to_owned(),
            kind.to_owned(),
            true,
            aspects,
            indicators,
            100,
            example,
        )
    };
    assert_eq!(
        summary,
        [
            row(
                "demonstration-compound",
                "DEMONSTRATION_COMPOUND",
                4,
                15,
                false
            ),
            row("epidemic-free", "EPIDEMIC_FREE", 7, 20, true),
            row("top-ten", "TOP_TEN", 5, 10, false),
        ]
    );
    // The four aspects are the demonstration criteria's.
    let demo = &rubrics[0]["current"]["aspects"];
    let titles: Vec<&str> = demo
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["title"].as_str().unwrap())
        .collect();
    assert_eq!(
        titles,
        [
            "组织体系健全",
            "治理机制完善",
            "服务体系完善",
            "治理成效明显"
        ]
    );
    // Filtered by kind, and found by code.
    let data = app
        .ok(
            None,
            "{ rubrics(kind: EPIDEMIC_FREE, first: 10) { edges { node { code } } } \
             rubric(code: \"top-ten\") { kind } none: rubric(code: \"nope\") { kind } }",
            json!({}),
        )
        .await;
    assert_eq!(
        nodes(&data["rubrics"]),
        json!([{ "code": "epidemic-free" }])
    );
    assert_eq!(data["rubric"]["kind"], "TOP_TEN");
    assert!(data["none"].is_null());
}

#[tokio::test]
async fn a_city_loads_its_own_drafts_replace_and_a_published_version_never_changes() {
    let app = spawn_app().await;
    let admin = app.admin_token.clone();

    // Loaded from TOML as a draft, numbered 1, with its totals summed.
    let v1 = run(
        &app,
        &admin,
        "loadRubric",
        json!({ "format": "TOML", "document": PARK_TOML }),
    )
    .await;
    assert_eq!(v1["number"], 1);
    assert_eq!(v1["status"], "DRAFT");
    assert_eq!(v1["maxTotal"], 100);
    assert_eq!(v1["createdBy"], "admin");
    assert_eq!(v1["rubric"]["shipped"], false);
    assert_eq!(v1["aspects"][0]["maxTotal"], 75);
    assert_eq!(v1["aspects"][1]["description"], "");
    assert_eq!(
        v1["aspects"][0]["indicators"][1],
        json!({ "position": 2, "title": "业委会", "maxScore": 35, "guidance": "在任期内的得满分" })
    );

    // A draft is shown to those who keep the rubrics only.
    let draft_q = "query($id: ID!) { node(id: $id) { ... on RubricVersion { number status } } }";
    let vars = json!({ "id": v1["id"] });
    assert!(app.ok(None, draft_q, vars.clone()).await["node"].is_null());
    assert_eq!(
        app.ok(Some(&admin), draft_q, vars.clone()).await["node"]["status"],
        "DRAFT"
    );

    // Saving again replaces the open draft's content: still version 1.
    let structured = json!({
        "code": "wuchang-park", "name": "武昌区公园小区评价细则（修订）",
        "kind": "DEMONSTRATION_COMPOUND", "note": "合并为一个方面",
        "aspects": [{ "title": "组织体系", "indicators": [
            { "title": "党支部", "maxScore": 60, "guidance": "建立并运转的得满分" },
            { "title": "业委会", "maxScore": 40, "guidance": "在任期内的得满分" } ] }]
    });
    let v1b = run(&app, &admin, "saveRubricDraft", structured.clone()).await;
    assert_eq!(v1b["id"], v1["id"]);
    assert_eq!(v1b["number"], 1);
    assert_eq!(v1b["name"], "武昌区公园小区评价细则（修订）");
    assert_eq!(v1b["note"], "合并为一个方面");
    assert_eq!(v1b["aspects"].as_array().unwrap().len(), 1);

    // Published: it never changes again.
    let published = run(
        &app,
        &admin,
        "publishRubricVersion",
        json!({ "versionId": v1["id"] }),
    )
    .await;
    assert_eq!(published["status"], "PUBLISHED");
    assert_eq!(published["publishedBy"], "admin");
    let again = call(
        &app,
        Some(&admin),
        "publishRubricVersion",
        json!({ "versionId": v1["id"] }),
    )
    .await;
    assert_eq!(
        refusal(&again),
        ("input.versionId".to_owned(), "INVALID_STATE".to_owned())
    );
    assert!(
        again["userErrors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("PUBLISHED"),
        "{again:#}"
    );

    // Saving the same code now opens version 2, leaving version 1 as it was.
    let json_doc = json!({
        "code": "wuchang-park", "name": "武昌区公园小区评价细则（第二版）", "kind": "DEMONSTRATION_COMPOUND",
        "aspects": [{ "title": "组织体系", "indicators": [
            { "title": "党支部", "max_score": 50, "guidance": "建立并运转的得满分" } ] }]
    });
    let v2 = run(
        &app,
        &admin,
        "loadRubric",
        json!({ "format": "JSON", "document": json_doc.to_string(), "publish": true }),
    )
    .await;
    assert_eq!(v2["number"], 2);
    assert_eq!(v2["status"], "PUBLISHED");
    assert_eq!(v2["maxTotal"], 50);
    let v1_now = app
        .ok(
            None,
            &format!(
                "query($id: ID!) {{ node(id: $id) {{ ... on RubricVersion {{ {VERSION} }} }} }}"
            ),
            vars.clone(),
        )
        .await["node"]
        .clone();
    assert_eq!(v1_now, published, "version 1 as published");

    // The rubric lists both by number; its current version is 2.
    let data = app
        .ok(
            None,
            "{ rubric(code: \"wuchang-park\") { current { number } draft { number } \
             versions(first: 10) { edges { node { number status } } } } }",
            json!({}),
        )
        .await;
    assert_eq!(data["rubric"]["current"]["number"], 2);
    assert!(data["rubric"]["draft"].is_null());
    assert_eq!(
        nodes(&data["rubric"]["versions"]),
        json!([{ "number": 1, "status": "PUBLISHED" }, { "number": 2, "status": "PUBLISHED" }])
    );

    // A version's document loads back to the same content.
    let doc = app
        .ok(
            None,
            "query($id: ID!) { node(id: $id) { ... on RubricVersion { document(format: TOML) } } }",
            json!({ "id": v2["id"] }),
        )
        .await["node"]["document"]
        .as_str()
        .unwrap()
        .to_owned();
    let v3 = run(
        &app,
        &admin,
        "loadRubric",
        json!({ "format": "TOML", "document": doc }),
    )
    .await;
    assert_eq!(v3["number"], 3);
    assert_eq!(v3["aspects"], v2["aspects"]);
    assert_eq!(v3["name"], v2["name"]);
}

#[tokio::test]
async fn bad_documents_and_content_are_refused_at_the_field_at_fault() {
    let app = spawn_app().await;
    let admin = app.admin_token.clone();
    let load = |format: &str, document: String| json!({ "format": format, "document": document });
    let cases: Vec<(Value, &str, &str)> = vec![
        // Not TOML at all, and an unknown key.
        (
            load("TOML", "code = \n".into()),
            "input.document",
            "INVALID",
        ),
        (
            load(
                "TOML",
                PARK_TOML.replace(
                    "guidance = \"现场查看\"",
                    "guidance = \"现场查看\"\ncolour = 1",
                ),
            ),
            "input.document",
            "INVALID",
        ),
        (
            load("JSON", "{\"code\": 1}".into()),
            "input.document",
            "INVALID",
        ),
        // A score over the limit, none, and no guidance.
        (
            load(
                "TOML",
                PARK_TOML.replace("max_score = 25", "max_score = 1001"),
            ),
            "input.document.aspects.1.indicators.0.maxScore",
            "OUT_OF_RANGE",
        ),
        (
            load("TOML", PARK_TOML.replace("max_score = 40", "max_score = 0")),
            "input.document.aspects.0.indicators.0.maxScore",
            "OUT_OF_RANGE",
        ),
        (
            load(
                "TOML",
                PARK_TOML.replace("guidance = \"现场查看\"", "guidance = \" \""),
            ),
            "input.document.aspects.1.indicators.0.guidance",
            "REQUIRED",
        ),
        // A bad code, and a rubric with no aspect.
        (
            load("TOML", PARK_TOML.replace("wuchang-park", "Wuchang Park")),
            "input.document.code",
            "INVALID",
        ),
        (
            load(
                "JSON",
                json!({ "code": "empty", "name": "空", "kind": "TOP_TEN", "aspects": [] })
                    .to_string(),
            ),
            "input.document.aspects",
            "REQUIRED",
        ),
    ];
    for (input, field, code) in cases {
        let p = call(&app, Some(&admin), "loadRubric", input.clone()).await;
        assert_eq!(
            refusal(&p),
            (field.to_owned(), code.to_owned()),
            "{input:#}: {p:#}"
        );
    }
    let p = call(
        &app,
        Some(&admin),
        "loadRubric",
        load("TOML", "code = \"x\"\nname = \n".into()),
    )
    .await;
    assert!(
        p["userErrors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("line 2"),
        "{p:#}"
    );
    // Given as a structure, the same rule answers at the input's own field.
    let p = call(
        &app,
        Some(&admin),
        "saveRubricDraft",
        json!({ "code": "structured", "name": "结构", "kind": "TOP_TEN",
                "aspects": [{ "title": "一", "indicators": [
                    { "title": "甲", "maxScore": 5, "guidance": "看" },
                    { "title": "乙", "maxScore": -3, "guidance": "看" } ] }] }),
    )
    .await;
    assert_eq!(
        refusal(&p),
        (
            "input.aspects.0.indicators.1.maxScore".to_owned(),
            "OUT_OF_RANGE".to_owned()
        )
    );
    // A rubric's kind never changes: not even a shipped one's.
    let p = call(
        &app,
        Some(&admin),
        "loadRubric",
        load("TOML", PARK_TOML.replace("wuchang-park", "top-ten")),
    )
    .await;
    assert_eq!(
        refusal(&p),
        ("input.document.kind".to_owned(), "INVALID".to_owned())
    );
    // Nothing of the refused loads was kept.
    let data = app
        .ok(
            Some(&admin),
            "{ rubrics(first: 10) { edges { node { code } } } }",
            json!({}),
        )
        .await;
    assert_eq!(nodes(&data["rubrics"]).as_array().unwrap().len(), 3);
}

#[tokio::test]
async fn only_a_platform_wide_grant_keeps_the_rubrics() {
    let app = spawn_app().await;
    let f = fixture(&app).await;
    let district = app
        .user_with_role("district.staff", "DISTRICT_STAFF", Some(&f.district))
        .await;
    let evaluator = app.user_with_role("an.evaluator", "EVALUATOR", None).await;
    let input = json!({ "format": "TOML", "document": PARK_TOML });
    for token in [&district, &evaluator] {
        let body = app
            .gql(Some(token), &op("loadRubric"), json!({ "input": input }))
            .await;
        assert_eq!(
            body["errors"][0]["extensions"]["code"], "FORBIDDEN",
            "{body:#}"
        );
    }
    let body = app
        .gql(None, &op("loadRubric"), json!({ "input": input }))
        .await;
    assert_eq!(
        body["errors"][0]["extensions"]["code"], "UNAUTHENTICATED",
        "{body:#}"
    );

    // The admin's draft stays hidden from district staff, and they cannot publish it.
    let v = run(&app, &app.admin_token, "loadRubric", input).await;
    let data = app
        .ok(
            Some(&district),
            "{ rubric(code: \"wuchang-park\") { current { id } draft { id } versions(first: 5) { edges { node { id } } } } }",
            json!({}),
        )
        .await;
    assert_eq!(
        data["rubric"],
        json!({ "current": null, "draft": null, "versions": { "edges": [] } })
    );
    let body = app
        .gql(
            Some(&district),
            &op("publishRubricVersion"),
            json!({ "input": { "versionId": v["id"] } }),
        )
        .await;
    assert_eq!(
        body["errors"][0]["extensions"]["code"], "FORBIDDEN",
        "{body:#}"
    );
}

/// A rubric document is at most 262,144 characters, counted as characters:
/// one at the bound in Chinese (three times as many bytes) loads, one past
/// it is refused at the edge; a code to look up is at most 64 characters.
#[tokio::test]
async fn rubric_text_is_held_to_its_stated_maximum() {
    let app = spawn_app().await;
    let admin = app.admin_token.clone();
    let max = compound_api::domain::evaluation::rubrics::MAX_DOCUMENT_LEN;
    let base = PARK_TOML.replace("wuchang-park", "long-park");
    let comment = |n: usize| format!("{base}# {}", "注".repeat(n - base.chars().count() - 2));
    let longest = comment(max);
    assert_eq!(longest.chars().count(), max);
    assert!(longest.len() > 2 * max);
    let v = run(
        &app,
        &admin,
        "loadRubric",
        json!({ "format": "TOML", "document": longest }),
    )
    .await;
    assert_eq!(v["rubric"]["code"], "long-park");
    let body = app
        .gql(
            Some(&admin),
            &op("loadRubric"),
            json!({ "input": { "format": "TOML", "document": comment(max + 1) } }),
        )
        .await;
    assert_eq!(
        body["errors"][0]["extensions"]["code"], "BAD_USER_INPUT",
        "{body:#}"
    );

    let found = app
        .ok(
            None,
            "query($c: String!) { rubric(code: $c) { code } }",
            json!({ "c": "x".repeat(64) }),
        )
        .await;
    assert!(found["rubric"].is_null());
    let body = app
        .gql(
            None,
            "query($c: String!) { rubric(code: $c) { code } }",
            json!({ "c": "x".repeat(65) }),
        )
        .await;
    assert_eq!(
        body["errors"][0]["extensions"]["code"], "BAD_USER_INPUT",
        "{body:#}"
    );
    assert!(
        body["errors"][0]["message"]
            .as_str()
            .unwrap_or_default()
            .contains("at most 64 characters"),
        "{body:#}"
    );
}
