//! The committed `schema.graphql` equals the served schema, every part of
//! the schema is documented, and every text input states its maximum length.

/// Fails with a diff when `schema.graphql` drifts from the code; rewrites
/// it when run with `UPDATE_SCHEMA=1`.
#[test]
fn schema_graphql_matches_the_code() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("schema.graphql");
    let sdl = compound_api::graphql::sdl();
    if std::env::var("UPDATE_SCHEMA").is_ok_and(|v| v == "1") {
        std::fs::write(&path, &sdl).expect("write schema.graphql");
        return;
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    if committed != sdl {
        let old: Vec<&str> = committed.lines().collect();
        let new: Vec<&str> = sdl.lines().collect();
        let first = old.iter().zip(&new).take_while(|(a, b)| a == b).count();
        let window = |lines: &[&str]| {
            lines
                .iter()
                .skip(first.saturating_sub(2))
                .take(8)
                .cloned()
                .collect::<Vec<_>>()
                .join("\n")
        };
        panic!(
            "schema.graphql is out of date: the first difference is at line {}.\n--- committed\n{}\n+++ generated\n{}\nRun `UPDATE_SCHEMA=1 cargo test --test api schema_graphql` to update it.",
            first + 1,
            window(&old),
            window(&new),
        );
    }
}

/// Every text input (an argument or input field whose type is `String`, or
/// a list of it) states its maximum length as "at most N characters", and
/// no stated maximum exceeds the longest string the edge lets through
/// (`guard::MAX_STRING_LEN`), which is the longest of them. Each maximum is
/// enforced where its input is read; the tests of each area refuse one past it.
#[test]
fn every_text_input_states_its_maximum() {
    use async_graphql::parser::types::{InputValueDefinition, TypeKind, TypeSystemDefinition};
    let sdl = compound_api::graphql::sdl();
    let doc = async_graphql::parser::parse_schema(&sdl).expect("the SDL parses");
    let backstop = compound_api::graphql::guard::MAX_STRING_LEN;
    // (where, description) of every text input; directive definitions are
    // async-graphql's own.
    let mut inputs: Vec<(String, Option<String>)> = Vec::new();
    let mut add = |at: String, v: &InputValueDefinition| {
        if is_text(&v.ty.node) {
            inputs.push((at, v.description.as_ref().map(|d| d.node.clone())));
        }
    };
    for def in &doc.definitions {
        let TypeSystemDefinition::Type(t) = def else {
            continue;
        };
        let owner = t.node.name.node.as_str();
        let fields = match &t.node.kind {
            TypeKind::Object(o) => &o.fields,
            TypeKind::Interface(i) => &i.fields,
            TypeKind::InputObject(i) => {
                for f in &i.fields {
                    add(format!("{owner}.{}", f.node.name.node), &f.node);
                }
                continue;
            }
            _ => continue,
        };
        for f in fields {
            for a in &f.node.arguments {
                let at = format!("{owner}.{}({})", f.node.name.node, a.node.name.node);
                add(at, &a.node);
            }
        }
    }
    // The walk found the inputs: cursors alone are over a hundred.
    assert!(
        inputs.len() > 250,
        "only {} text inputs found",
        inputs.len()
    );
    let mut offenders = Vec::new();
    let mut longest = 0;
    for (at, description) in &inputs {
        match stated_maximum(description.as_deref().unwrap_or_default()) {
            Err(why) => offenders.push(format!("{at}: {why}: {description:?}")),
            Ok(n) if n > backstop => offenders.push(format!(
                "{at}: at most {n} characters, but the edge refuses past {backstop} \
                 (guard::MAX_STRING_LEN)"
            )),
            Ok(n) => longest = longest.max(n),
        }
    }
    assert!(
        offenders.is_empty(),
        "{} of {} text inputs do not state a maximum the edge allows:\n{}",
        offenders.len(),
        inputs.len(),
        offenders.join("\n")
    );
    assert_eq!(
        longest, backstop,
        "guard::MAX_STRING_LEN lets through strings longer than any input takes"
    );
}

/// Whether a type is `String`, or a list of it.
fn is_text(ty: &async_graphql::parser::types::Type) -> bool {
    use async_graphql::parser::types::BaseType;
    match &ty.base {
        BaseType::Named(name) => name.as_str() == "String",
        BaseType::List(inner) => is_text(inner),
    }
}

/// The N of the first "at most N characters" in `text`, N written as the
/// schema writes it: plain below 1,000, in groups of three digits separated
/// by commas from 1,000 on (`20,000`).
fn stated_maximum(text: &str) -> Result<usize, String> {
    for (i, phrase) in text.match_indices("at most ") {
        let rest = &text[i + phrase.len()..];
        let written: String = rest
            .chars()
            .take_while(|c| c.is_ascii_digit() || *c == ',')
            .collect();
        if written.is_empty() || !rest[written.len()..].starts_with(" characters") {
            continue;
        }
        let n: usize = written
            .replace(',', "")
            .parse()
            .map_err(|_| format!("`{written}` is not a number"))?;
        let digits = n.to_string();
        let mut grouped = String::new();
        for (k, d) in digits.chars().enumerate() {
            if k > 0 && (digits.len() - k).is_multiple_of(3) {
                grouped.push(',');
            }
            grouped.push(d);
        }
        return if grouped == written {
            Ok(n)
        } else {
            Err(format!("write {written} as {grouped}"))
        };
    }
    Err("no \"at most N characters\"".to_owned())
}

#[test]
fn a_stated_maximum_is_read_as_written() {
    assert_eq!(
        stated_maximum("Why (at most 20,000 characters)."),
        Ok(20_000)
    );
    assert_eq!(stated_maximum("Name (at most 100 characters)."), Ok(100));
    assert_eq!(
        stated_maximum("at least 10 and at most 262,144 characters"),
        Ok(262_144)
    );
    // Lists and numbers that are not lengths do not count.
    assert!(stated_maximum("The duties (at most 100).").is_err());
    assert!(stated_maximum("at most 20000 characters").is_err());
    assert!(stated_maximum("at most 1,00 characters").is_err());
    assert!(stated_maximum("").is_err());
}

/// Every type, field, argument, input field and enum value of our own has a description.
#[tokio::test]
async fn every_part_of_the_schema_is_documented() {
    // The served schema, subscriptions included.
    let schema = compound_api::graphql::bare_schema();
    let resp = schema
        .execute(
            r#"{ __schema { types { name kind description
                 fields(includeDeprecated: true) { name description args { name description } }
                 inputFields { name description }
                 enumValues(includeDeprecated: true) { name description } } } }"#,
        )
        .await;
    assert!(resp.errors.is_empty(), "{:?}", resp.errors);
    let data = resp.data.into_json().unwrap();
    let mut missing = Vec::new();
    let blank = |v: &serde_json::Value| v.as_str().is_none_or(|s| s.trim().is_empty());
    for t in data["__schema"]["types"].as_array().unwrap() {
        let name = t["name"].as_str().unwrap();
        if name.starts_with("__") || ["String", "Int", "Float", "Boolean", "ID"].contains(&name) {
            continue;
        }
        if blank(&t["description"]) {
            missing.push(name.to_owned());
        }
        for f in t["fields"].as_array().into_iter().flatten() {
            if blank(&f["description"]) {
                missing.push(format!("{name}.{}", f["name"]));
            }
            for a in f["args"].as_array().into_iter().flatten() {
                if blank(&a["description"]) {
                    missing.push(format!("{name}.{}({})", f["name"], a["name"]));
                }
            }
        }
        for f in t["inputFields"].as_array().into_iter().flatten() {
            if blank(&f["description"]) {
                missing.push(format!("{name}.{}", f["name"]));
            }
        }
        for v in t["enumValues"].as_array().into_iter().flatten() {
            if blank(&v["description"]) {
                missing.push(format!("{name}.{}", v["name"]));
            }
        }
    }
    assert!(missing.is_empty(), "undocumented: {missing:#?}");
}

/// Every unique index of the migrated database is classified in
/// `domain::constraints`: answered at an input field, or known to be
/// unreachable from input. A new unique constraint without a line there
/// fails here instead of surfacing as an internal error.
#[tokio::test]
async fn every_unique_constraint_answers_somewhere() {
    use sea_orm::{ConnectionTrait, DbBackend, Statement};
    let app = crate::helpers::spawn_app().await;
    let backend = app.db.get_database_backend();
    let sql = match backend {
        DbBackend::Postgres => {
            "SELECT indexname AS name FROM pg_indexes WHERE schemaname = current_schema() \
             AND indexdef LIKE 'CREATE UNIQUE INDEX uq_%'"
        }
        _ => {
            "SELECT name FROM sqlite_master WHERE type = 'index' AND name LIKE 'uq\\_%' ESCAPE '\\'"
        }
    };
    let rows = app
        .db
        .query_all_raw(Statement::from_string(backend, sql))
        .await
        .expect("list unique indexes");
    let mut in_schema: Vec<String> = rows
        .iter()
        .map(|r| r.try_get::<String>("", "name").expect("name"))
        .collect();
    in_schema.sort();
    let mut known: Vec<String> = compound_api::domain::constraints::known()
        .map(str::to_owned)
        .collect();
    known.sort();
    assert!(!in_schema.is_empty());
    assert_eq!(in_schema, known);
}
