//! The document guard: what a request's document may cost, checked before
//! async-graphql parses it for execution, validates or runs it.
//!
//! Validation expands fragments, so a document of a few hundred bytes whose
//! fragments spread each other twice, twenty levels deep, costs millions of
//! steps there. The guard measures every document in time linear in its
//! size instead:
//!
//! 1. [`scan`] counts the lexical tokens and the nesting of brackets on the
//!    raw text, before anything parses it (graphql-armor's `maxTokens`);
//! 2. [`measure`] walks the parsed document once, sizing each fragment once
//!    and reusing that size at every spread, so expansion is counted without
//!    being performed: fields (each costs at least 1, `__typename`
//!    included), aliases, directives, depth and `login` fields, with
//!    fragment cycles refused;
//! 3. [`text_refusal`] finds, in one walk of every string of the document
//!    and the variables, NUL and other control characters, refused at the
//!    edge on both databases, and a string longer than [`MAX_STRING_LEN`],
//!    the longest maximum any input of the schema states (each input is
//!    held to its own maximum where it is read; this is the backstop).
//!
//! The limits' defaults follow graphql-armor and are listed, with their
//! anchors, in docs/SECURITY.md.

use std::collections::HashMap;

use async_graphql::parser::types::{
    DocumentOperations, ExecutableDocument, OperationType, Selection, SelectionSet,
};
use async_graphql::{Name, Value, Variables};

/// The longest string, in characters, a document's literals or its
/// variables may hold: the longest maximum an input of the schema states (a
/// rubric document's). The schema test `every_text_input_states_its_maximum`
/// holds every stated maximum to it.
pub const MAX_STRING_LEN: usize = crate::domain::evaluation::rubrics::MAX_DOCUMENT_LEN;

/// What one document may hold.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DocumentLimits {
    /// Most lexical tokens in an anonymous caller's document.
    pub tokens_anonymous: usize,
    /// Most lexical tokens in a signed-in caller's document.
    pub tokens_authenticated: usize,
    /// Most aliases, counted where fragments expand them.
    pub aliases: usize,
    /// Most directives, counted where fragments expand them.
    pub directives: usize,
    /// Deepest field nesting, counted through fragments (introspection's
    /// `__schema` and `__type` are exempt).
    pub depth: usize,
    /// Highest cost: every field, alias and directive where fragments
    /// expand them.
    pub cost: usize,
    /// Whether `__schema` and `__type` may be asked (not in production).
    pub introspection: bool,
}

impl Default for DocumentLimits {
    fn default() -> Self {
        Self {
            tokens_anonymous: 1_000,
            tokens_authenticated: 10_000,
            aliases: 15,
            directives: 50,
            depth: 10,
            cost: 5_000,
            introspection: true,
        }
    }
}

/// Why a document was refused before it ran.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Refusal {
    /// A counted quantity is over its limit.
    Limit {
        /// Which limit: `tokens`, `nesting` (brackets, before parsing),
        /// `aliases`, `directives`, `depth`, `cost` or `logins`.
        limit: &'static str,
        /// The limit.
        max: u64,
        /// What the document holds (at least; counting stops past the limit).
        found: u64,
    },
    /// Fragments that spread each other in a cycle.
    FragmentCycle(String),
    /// Introspection, which production mode turns off.
    Introspection,
    /// A document not registered, from an anonymous caller, where the
    /// operator registers the documents anonymous callers may run.
    Untrusted,
    /// A string holds a control character.
    ControlCharacter {
        /// Where: `variables.input.name`, or `document` for a literal.
        at: String,
        /// The character, as `U+0000`.
        character: String,
    },
    /// A string longer than [`MAX_STRING_LEN`].
    TooLong {
        /// Where: `variables.input.name`, or `the document.nameContains`
        /// for a literal.
        at: String,
        /// The most characters a string may hold.
        max: usize,
        /// The characters it holds.
        found: usize,
    },
}

impl Refusal {
    /// A message a client developer can act on.
    pub fn message(&self) -> String {
        match self {
            Self::Limit {
                limit: "logins", ..
            } => "a request may log in once: send one `login` field, without aliases or batching"
                .to_owned(),
            Self::Limit { limit, max, found } => format!(
                "the document exceeds the {limit} limit: {found} found, at most {max} allowed"
            ),
            Self::FragmentCycle(name) => format!("fragment `{name}` spreads itself"),
            Self::Untrusted => "this server runs only registered documents for callers without a token: send a registered document or its persistedQuery hash, or sign in".to_owned(),
            Self::Introspection => {
                "introspection is off on this server; the schema is published as schema.graphql"
                    .to_owned()
            }
            Self::ControlCharacter { at, character } => {
                format!("text must not contain control characters: {character} found in {at}")
            }
            Self::TooLong { at, max, found } => format!(
                "text is at most {max} characters (each input states its own maximum in the schema): {found} found in {at}"
            ),
        }
    }

    /// The `extensions.code` it is answered with.
    pub fn code(&self) -> &'static str {
        match self {
            Self::Limit { .. } => "LIMIT_EXCEEDED",
            Self::Introspection | Self::Untrusted => "FORBIDDEN",
            Self::FragmentCycle(_) | Self::ControlCharacter { .. } | Self::TooLong { .. } => {
                "BAD_USER_INPUT"
            }
        }
    }

    /// The limit's name, for metrics; `None` for malformed input.
    pub fn limit(&self) -> Option<&'static str> {
        match self {
            Self::Limit { limit, .. } => Some(limit),
            _ => None,
        }
    }
}

fn over(limit: &'static str, max: usize, found: u64) -> Result<(), Refusal> {
    if found > max as u64 {
        Err(Refusal::Limit {
            limit,
            max: max as u64,
            found,
        })
    } else {
        Ok(())
    }
}

/// Counts the lexical tokens of `text`, returning the count, (GraphQL's Ignored tokens, commas
/// and comments, are not counted) and refuses it past `max_tokens`, or when
/// brackets nest deeper than any document within `max_depth` needs. Stops
/// reading at the first count past a limit.
pub fn scan(text: &str, max_tokens: usize, max_depth: usize) -> Result<u64, Refusal> {
    // A field at depth d sits in d selection sets; arguments, lists and
    // input objects nest a few more brackets within one field, and
    // introspection (exempt from depth) nests `ofType` some 15 deep.
    let max_nesting = (2 * max_depth + 16).max(64);
    let bytes = text.as_bytes();
    let (mut i, mut tokens, mut nesting) = (0usize, 0u64, 0usize);
    while i < bytes.len() {
        let b = bytes[i];
        match b {
            b' ' | b'\t' | b'\n' | b'\r' | b',' => {
                i += 1;
                continue;
            }
            b'#' => {
                while i < bytes.len() && bytes[i] != b'\n' && bytes[i] != b'\r' {
                    i += 1;
                }
                continue;
            }
            b'"' => {
                i = if bytes[i..].starts_with(b"\"\"\"") {
                    block_string_end(bytes, i + 3)
                } else {
                    string_end(bytes, i + 1)
                };
            }
            b'{' | b'(' | b'[' => {
                nesting += 1;
                if nesting > max_nesting {
                    return Err(Refusal::Limit {
                        limit: "nesting",
                        max: max_nesting as u64,
                        found: nesting as u64,
                    });
                }
                i += 1;
            }
            b'}' | b')' | b']' => {
                nesting = nesting.saturating_sub(1);
                i += 1;
            }
            b'.' if bytes[i..].starts_with(b"...") => i += 3,
            b'_' | b'a'..=b'z' | b'A'..=b'Z' => {
                while i < bytes.len() && (bytes[i] == b'_' || bytes[i].is_ascii_alphanumeric()) {
                    i += 1;
                }
            }
            b'-' | b'0'..=b'9' => {
                i += 1;
                while i < bytes.len()
                    && (bytes[i].is_ascii_alphanumeric() || matches!(bytes[i], b'.' | b'+' | b'-'))
                {
                    i += 1;
                }
            }
            // A byte-order mark is ignored; anything else is one token
            // (a punctuator, or a character the parser will refuse).
            0xEF if bytes[i..].starts_with(&[0xEF, 0xBB, 0xBF]) => {
                i += 3;
                continue;
            }
            _ => i += utf8_len(b),
        }
        tokens += 1;
        if tokens > max_tokens as u64 {
            return Err(Refusal::Limit {
                limit: "tokens",
                max: max_tokens as u64,
                found: tokens,
            });
        }
    }
    Ok(tokens)
}

fn utf8_len(first: u8) -> usize {
    match first {
        0xF0..=0xFF => 4,
        0xE0..=0xEF => 3,
        0xC0..=0xDF => 2,
        _ => 1,
    }
}

/// The index after a string's closing quote (`from` is after the opening one).
fn string_end(bytes: &[u8], mut from: usize) -> usize {
    while from < bytes.len() {
        match bytes[from] {
            b'\\' => from += 2,
            b'"' => return from + 1,
            b'\n' | b'\r' => return from,
            _ => from += 1,
        }
    }
    bytes.len()
}

/// The index after a block string's closing `"""`.
fn block_string_end(bytes: &[u8], mut from: usize) -> usize {
    while from < bytes.len() {
        if bytes[from..].starts_with(b"\\\"\"\"") {
            from += 4;
        } else if bytes[from..].starts_with(b"\"\"\"") {
            return from + 3;
        } else {
            from += 1;
        }
    }
    bytes.len()
}

/// What a document costs, with fragments counted where they are spread.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Measure {
    /// Fields, `__typename` included.
    pub fields: u64,
    /// Aliases.
    pub aliases: u64,
    /// Directives.
    pub directives: u64,
    /// Deepest field nesting.
    pub depth: u64,
    /// `login` fields at the root of mutations.
    pub logins: u64,
    /// Introspection fields (`__schema`, `__type`).
    pub introspection: u64,
}

impl Measure {
    /// The cost the `cost` limit holds: every field, alias and directive.
    pub fn cost(&self) -> u64 {
        self.fields
            .saturating_add(self.aliases)
            .saturating_add(self.directives)
    }

    fn add(&mut self, other: &Measure) {
        self.fields = self.fields.saturating_add(other.fields);
        self.aliases = self.aliases.saturating_add(other.aliases);
        self.directives = self.directives.saturating_add(other.directives);
        self.depth = self.depth.max(other.depth);
        self.logins = self.logins.saturating_add(other.logins);
        self.introspection = self.introspection.saturating_add(other.introspection);
    }

    /// Refuses a measure past `limits` (tokens are [`scan`]'s).
    pub fn check(&self, limits: &DocumentLimits) -> Result<(), Refusal> {
        over("depth", limits.depth, self.depth)?;
        over("aliases", limits.aliases, self.aliases)?;
        over("directives", limits.directives, self.directives)?;
        over("cost", limits.cost, self.cost())?;
        over("logins", 1, self.logins)?;
        if !limits.introspection && self.introspection > 0 {
            return Err(Refusal::Introspection);
        }
        Ok(())
    }
}

/// Where a fragment is in the walk: being sized (a spread of it now is a
/// cycle) or sized.
enum Sizing {
    Open,
    Done(Measure),
}

struct Walk<'a> {
    doc: &'a ExecutableDocument,
    fragments: HashMap<&'a Name, Sizing>,
}

impl<'a> Walk<'a> {
    fn set(&mut self, set: &'a SelectionSet) -> Result<Measure, Refusal> {
        let mut m = Measure::default();
        for item in &set.items {
            match &item.node {
                Selection::Field(field) => {
                    let f = &field.node;
                    let child = self.set(&f.selection_set.node)?;
                    // Counts add up; depth is the field's own, below.
                    m.add(&Measure { depth: 0, ..child });
                    m.fields = m.fields.saturating_add(1);
                    m.aliases = m.aliases.saturating_add(f.alias.is_some() as u64);
                    m.directives = m.directives.saturating_add(f.directives.len() as u64);
                    // Introspection is exempt from depth, as in graphql-armor:
                    // its `ofType` chains are as deep as the schema's types.
                    if matches!(f.name.node.as_str(), "__schema" | "__type") {
                        m.introspection = m.introspection.saturating_add(1);
                    } else {
                        m.depth = m.depth.max(child.depth.saturating_add(1));
                    }
                }
                Selection::FragmentSpread(spread) => {
                    let s = &spread.node;
                    m.directives = m.directives.saturating_add(s.directives.len() as u64);
                    m.add(&self.fragment(&s.fragment_name.node)?);
                }
                Selection::InlineFragment(inline) => {
                    let i = &inline.node;
                    m.directives = m.directives.saturating_add(i.directives.len() as u64);
                    m.add(&self.set(&i.selection_set.node)?);
                }
            }
        }
        Ok(m)
    }

    /// A fragment's measure, computed once and reused at every spread.
    fn fragment(&mut self, name: &'a Name) -> Result<Measure, Refusal> {
        match self.fragments.get(name) {
            Some(Sizing::Done(m)) => return Ok(*m),
            Some(Sizing::Open) => return Err(Refusal::FragmentCycle(name.to_string())),
            None => {}
        }
        // An unknown fragment costs nothing here; validation names it.
        let Some(def) = self.doc.fragments.get(name) else {
            return Ok(Measure::default());
        };
        self.fragments.insert(name, Sizing::Open);
        let mut m = self.set(&def.node.selection_set.node)?;
        m.directives = m
            .directives
            .saturating_add(def.node.directives.len() as u64);
        self.fragments.insert(name, Sizing::Done(m));
        Ok(m)
    }

    /// The `login` fields of a mutation's root selection set, through the
    /// fragments spread there (each counted once per spread; cycles were
    /// refused by the sizing that ran first).
    fn logins(&self, set: &'a SelectionSet, memo: &mut HashMap<&'a Name, u64>) -> u64 {
        let mut n = 0u64;
        for item in &set.items {
            let more = match &item.node {
                Selection::Field(field) => (field.node.name.node == "login") as u64,
                Selection::InlineFragment(inline) => {
                    self.logins(&inline.node.selection_set.node, memo)
                }
                Selection::FragmentSpread(spread) => {
                    let name = &spread.node.fragment_name.node;
                    match (memo.get(name), self.doc.fragments.get(name)) {
                        (Some(n), _) => *n,
                        (None, Some(def)) => {
                            // Marked first, so a cycle (refused anyway) ends here.
                            memo.insert(name, 0);
                            let found = self.logins(&def.node.selection_set.node, memo);
                            memo.insert(name, found);
                            found
                        }
                        (None, None) => 0,
                    }
                }
            };
            n = n.saturating_add(more);
        }
        n
    }
}

/// Measures every operation of `doc`, summed, and every fragment no
/// operation spreads (the validator visits those too).
pub fn measure(doc: &ExecutableDocument) -> Result<Measure, Refusal> {
    let mut walk = Walk {
        doc,
        fragments: HashMap::new(),
    };
    let mut total = Measure::default();
    let operations: Vec<_> = match &doc.operations {
        DocumentOperations::Single(op) => vec![op],
        DocumentOperations::Multiple(ops) => ops.values().collect(),
    };
    let mut login_memo = HashMap::new();
    for op in operations {
        let op = &op.node;
        let mut m = walk.set(&op.selection_set.node)?;
        m.directives = m.directives.saturating_add(op.directives.len() as u64);
        for var in &op.variable_definitions {
            m.directives = m
                .directives
                .saturating_add(var.node.directives.len() as u64);
        }
        if op.ty == OperationType::Mutation {
            m.logins = walk.logins(&op.selection_set.node, &mut login_memo);
        }
        total.add(&m);
    }
    let unused: Vec<&Name> = doc
        .fragments
        .keys()
        .filter(|name| !walk.fragments.contains_key(name))
        .collect();
    for name in unused {
        if !walk.fragments.contains_key(name) {
            let m = walk.fragment(name)?;
            total.add(&m);
        }
    }
    Ok(total)
}

/// The first string of the document's literals or the variables that is
/// refused as text: longer than [`MAX_STRING_LEN`] characters, or holding a
/// control character. Tab, line feed and carriage return are text; every
/// other control character (NUL among them) is refused. One walk checks both.
pub fn text_refusal(doc: &ExecutableDocument, variables: &Variables) -> Option<Refusal> {
    first_refused(doc, variables, &|s, at| {
        longer_than_any_input(s, at).or_else(|| control_character_in(s, at))
    })
}

/// The first control character in the document's string literals or the
/// variables.
#[cfg(test)]
fn control_character(doc: &ExecutableDocument, variables: &Variables) -> Option<Refusal> {
    first_refused(doc, variables, &control_character_in)
}

/// The first string of the document's literals or the variables longer
/// than [`MAX_STRING_LEN`] characters.
#[cfg(test)]
fn too_long(doc: &ExecutableDocument, variables: &Variables) -> Option<Refusal> {
    first_refused(doc, variables, &longer_than_any_input)
}

fn control_character_in(s: &str, at: &str) -> Option<Refusal> {
    s.chars()
        .find(|c| c.is_control() && !matches!(c, '\t' | '\n' | '\r'))
        .map(|c| Refusal::ControlCharacter {
            at: at.to_owned(),
            character: format!("U+{:04X}", c as u32),
        })
}

fn longer_than_any_input(s: &str, at: &str) -> Option<Refusal> {
    // A string of at most as many bytes holds at most as many characters.
    if s.len() <= MAX_STRING_LEN {
        return None;
    }
    let found = s.chars().count();
    (found > MAX_STRING_LEN).then(|| Refusal::TooLong {
        at: at.to_owned(),
        max: MAX_STRING_LEN,
        found,
    })
}

/// What a check makes of one string (or object key) at a place.
type Check<'c> = &'c dyn Fn(&str, &str) -> Option<Refusal>;

/// The first refusal `check` makes of a string in the variables or in the
/// document's literals (arguments of fields and of their directives).
fn first_refused(
    doc: &ExecutableDocument,
    variables: &Variables,
    check: Check<'_>,
) -> Option<Refusal> {
    for (name, value) in variables.iter() {
        if let Some(found) = in_value(value, &mut format!("variables.{name}"), check) {
            return Some(found);
        }
    }
    let operations: Vec<_> = match &doc.operations {
        DocumentOperations::Single(op) => vec![&op.node],
        DocumentOperations::Multiple(ops) => ops.values().map(|op| &op.node).collect(),
    };
    // A variable's default stands where the request gives no value.
    for var in operations.iter().flat_map(|op| &op.variable_definitions) {
        if let Some(default) = &var.node.default_value {
            let mut at = format!("the document's default of ${}", var.node.name.node);
            if let Some(found) = in_value(&default.node, &mut at, check) {
                return Some(found);
            }
        }
    }
    let mut sets: Vec<&SelectionSet> = operations.iter().map(|op| &op.selection_set.node).collect();
    sets.extend(doc.fragments.values().map(|f| &f.node.selection_set.node));
    // Each selection set is visited once: the document is a tree, and
    // spreads are not followed (fragments are visited as definitions).
    while let Some(set) = sets.pop() {
        for item in &set.items {
            match &item.node {
                Selection::Field(field) => {
                    for (_, arg) in &field.node.arguments {
                        if let Some(found) = in_literal(&arg.node, check) {
                            return Some(found);
                        }
                    }
                    for d in &field.node.directives {
                        for (_, arg) in &d.node.arguments {
                            if let Some(found) = in_literal(&arg.node, check) {
                                return Some(found);
                            }
                        }
                    }
                    sets.push(&field.node.selection_set.node);
                }
                Selection::InlineFragment(inline) => sets.push(&inline.node.selection_set.node),
                Selection::FragmentSpread(_) => {}
            }
        }
    }
    None
}

fn in_value(value: &Value, at: &mut String, check: Check<'_>) -> Option<Refusal> {
    match value {
        Value::String(s) => check(s, at),
        Value::List(items) => items.iter().enumerate().find_map(|(i, v)| {
            let len = at.len();
            at.push_str(&format!(".{i}"));
            let found = in_value(v, at, check);
            at.truncate(len);
            found
        }),
        Value::Object(map) => map.iter().find_map(|(k, v)| {
            if let Some(found) = check(k, at) {
                return Some(found);
            }
            let len = at.len();
            at.push('.');
            at.push_str(k);
            let found = in_value(v, at, check);
            at.truncate(len);
            found
        }),
        _ => None,
    }
}

/// A literal's refusals; variables it names are checked with the request's
/// variables, so they stand for null here.
fn in_literal(value: &async_graphql_value::Value, check: Check<'_>) -> Option<Refusal> {
    let constant = value
        .clone()
        .into_const_with(|_| Ok::<_, std::convert::Infallible>(Value::Null))
        .unwrap_or(Value::Null);
    in_value(&constant, &mut "the document".to_owned(), check)
}

#[cfg(test)]
mod tests {
    use super::*;
    use async_graphql::parser::parse_query;

    fn measured(query: &str) -> Result<Measure, Refusal> {
        measure(&parse_query(query).expect("parses"))
    }

    /// `levels` fragments, each spreading the one below twice: 2^levels
    /// `__typename` fields once expanded, in a document of a few hundred bytes.
    fn bomb(levels: usize) -> String {
        let mut q = String::from("query { ...F0 }\nfragment F0 on Query { ...F1 ...F1 }\n");
        for i in 1..levels {
            q.push_str(&format!(
                "fragment F{i} on Query {{ ...F{} ...F{} }}\n",
                i + 1,
                i + 1
            ));
        }
        q.push_str(&format!("fragment F{levels} on Query {{ __typename }}\n"));
        q
    }

    #[test]
    fn tokens_are_counted_without_ignored_ones() {
        // query, {, a, (, x, :, "s, t", ), {, b, }, }, and a comment.
        let q = "query { a(x: \"s, t\") { b } } # a comment , , ,";
        assert_eq!(scan(q, 100, 15), Ok(12));
        assert_eq!(scan("{ a ...F }", 100, 15), Ok(5));
        assert_eq!(
            scan("{ a(x: \"\"\"block \\\"\"\" \"\"\") }", 100, 15),
            Ok(8)
        );
        assert!(matches!(
            scan(&"{ a ".repeat(20), 5, 100),
            Err(Refusal::Limit {
                limit: "tokens",
                max: 5,
                found: 6
            })
        ));
    }

    #[test]
    fn nesting_is_refused_before_parsing() {
        let deep = format!("{}{}", "{ a ".repeat(200), "}".repeat(200));
        assert!(matches!(
            scan(&deep, 100_000, 15),
            Err(Refusal::Limit {
                limit: "nesting",
                ..
            })
        ));
    }

    #[test]
    fn every_field_alias_and_directive_costs() {
        let m = measured("{ a: __typename b: __typename __typename @include(if: true) }").unwrap();
        assert_eq!((m.fields, m.aliases, m.directives), (3, 2, 1));
        assert_eq!(m.cost(), 6);
    }

    #[test]
    fn fragments_count_where_they_spread() {
        let m = measured(
            "query { x { ...F } y: x { ...F } } fragment F on X { a b: c @skip(if: false) }",
        )
        .unwrap();
        // x, y, and a, b twice.
        assert_eq!(m.fields, 6);
        assert_eq!(m.aliases, 1 + 2);
        assert_eq!(m.directives, 2);
        assert_eq!(m.depth, 2);
    }

    #[test]
    fn a_fragment_bomb_is_measured_without_expanding_it() {
        let q = bomb(40);
        assert!(q.len() < 2_000, "{} bytes", q.len());
        let started = std::time::Instant::now();
        let m = measured(&q).unwrap();
        assert_eq!(m.fields, 1 << 40);
        assert!(matches!(
            m.check(&DocumentLimits::default()),
            Err(Refusal::Limit { limit: "cost", .. })
        ));
        // Linear work: far below the seconds expansion takes.
        assert!(started.elapsed() < std::time::Duration::from_millis(100));
    }

    #[test]
    fn cycles_are_refused() {
        assert_eq!(
            measured("{ ...A } fragment A on Q { ...B } fragment B on Q { ...A }")
                .map(|_| ())
                .map_err(|r| r.code()),
            Err("BAD_USER_INPUT")
        );
    }

    #[test]
    fn unused_fragments_count_too() {
        let m = measured("{ a } fragment U on Q { b c d }").unwrap();
        assert_eq!(m.fields, 4);
    }

    #[test]
    fn logins_are_counted_through_aliases_and_fragments() {
        let q = "mutation { a: login(input: $i) { token } ...L } fragment L on Mutation { login(input: $i) { token } }";
        assert_eq!(measured(q).unwrap().logins, 2);
        assert_eq!(measured("query { login }").unwrap().logins, 0);
        assert!(matches!(
            measured(q).unwrap().check(&DocumentLimits::default()),
            Err(Refusal::Limit {
                limit: "logins",
                ..
            })
        ));
    }

    #[test]
    fn control_characters_are_found_in_literals_and_variables() {
        let doc =
            parse_query("{ compounds(filter: { nameContains: \"a\\u0000b\" }) { id } }").unwrap();
        assert!(control_character(&doc, &Variables::default()).is_some());
        let doc = parse_query("query($i: LoginInput!) { x(input: $i) }").unwrap();
        let vars =
            Variables::from_json(serde_json::json!({ "i": { "username": "ad\u{0007}min" } }));
        assert_eq!(
            control_character(&doc, &vars),
            Some(Refusal::ControlCharacter {
                at: "variables.i.username".into(),
                character: "U+0007".into()
            })
        );
        let vars =
            Variables::from_json(serde_json::json!({ "i": { "text": "line\nnext\tcol\r\n" } }));
        assert_eq!(control_character(&doc, &vars), None);
    }

    #[test]
    fn strings_longer_than_the_longest_input_are_found_in_literals_and_variables() {
        let doc = parse_query("query($i: LoadRubricInput!) { x(input: $i) }").unwrap();
        // At the bound, in characters: 4 bytes each, so bytes alone would refuse it.
        let longest = "𝄞".repeat(MAX_STRING_LEN);
        let vars = Variables::from_json(serde_json::json!({ "i": { "document": longest } }));
        assert_eq!(too_long(&doc, &vars), None);
        let vars = Variables::from_json(serde_json::json!({
            "i": { "lines": ["short", "x".repeat(MAX_STRING_LEN + 1)] }
        }));
        let refusal = too_long(&doc, &vars).expect("refused");
        assert_eq!(
            refusal,
            Refusal::TooLong {
                at: "variables.i.lines.1".into(),
                max: MAX_STRING_LEN,
                found: MAX_STRING_LEN + 1
            }
        );
        assert_eq!(refusal.code(), "BAD_USER_INPUT");
        assert!(
            refusal
                .message()
                .contains("262145 found in variables.i.lines.1")
        );
        let literal = format!(
            "{{ compounds(filter: {{ nameContains: \"{}\" }}) {{ id }} }}",
            "a".repeat(MAX_STRING_LEN + 1)
        );
        let doc = parse_query(&literal).unwrap();
        assert!(matches!(
            too_long(&doc, &Variables::default()),
            Some(Refusal::TooLong { at, .. }) if at == "the document.nameContains"
        ));
        // A variable's default is a literal too.
        let default = format!(
            "query($n: String = \"{}\") {{ x(n: $n) }}",
            "a".repeat(MAX_STRING_LEN + 1)
        );
        let doc = parse_query(&default).unwrap();
        assert!(matches!(
            too_long(&doc, &Variables::default()),
            Some(Refusal::TooLong { at, .. }) if at == "the document's default of $n"
        ));
        let doc = parse_query("query($n: String = \"a\\u0000\") { x(n: $n) }").unwrap();
        assert!(control_character(&doc, &Variables::default()).is_some());
        // The longest free text passes.
        let doc = parse_query("query($n: String) { x(n: $n) }").unwrap();
        let vars = Variables::from_json(serde_json::json!({ "n": "字".repeat(20_000) }));
        assert_eq!(too_long(&doc, &vars), None);
    }

    /// The portal's and the benchmark's own documents pass the default
    /// limits; the deepest of them sets the default depth (docs/SECURITY.md).
    #[test]
    fn legitimate_documents_pass_the_defaults() {
        let limits = DocumentLimits::default();
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/bench/queries");
        let mut deepest = (0, String::new());
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            let text = std::fs::read_to_string(&path).unwrap();
            let tokens = scan(&text, limits.tokens_anonymous, limits.depth).unwrap();
            let m = measured(&text).unwrap();
            m.check(&limits)
                .unwrap_or_else(|r| panic!("{}: {}", path.display(), r.message()));
            assert!(tokens <= limits.tokens_anonymous as u64);
            if m.depth > deepest.0 {
                deepest = (m.depth, path.display().to_string());
            }
        }
        // The compound page, at 8: the default leaves two levels to spare.
        assert_eq!(deepest.0 + 2, limits.depth as u64, "{deepest:?}");
    }
}
