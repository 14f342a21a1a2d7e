//! Writing a response in the order of its selection set.
//!
//! The GraphQL specification (7.1.3, "Serialized Map Ordering") asks that a
//! response's keys follow the order in which the fields were requested, as
//! CollectFields gathers them. async-graphql resolves the fields of a query
//! concurrently and keeps them in the order they finish, so its response
//! maps are ordered by completion. The HTTP layer therefore writes each
//! response through [`Ordered`], which walks the response together with an
//! [`Order`] built from the document: keys in the order of the selection
//! set, fragments expanded where they are spread, in one pass straight into
//! the output bytes (no intermediate JSON value).
//!
//! Fragments on different types that select the same fields in different
//! orders are ordered by first appearance: the response does not say which
//! type an object of an abstract field has. Keys the order does not name
//! (none, in a response async-graphql produced) are written after the
//! named ones, so nothing is ever dropped.

use async_graphql::parser::types::{
    DocumentOperations, ExecutableDocument, OperationType, Selection, SelectionSet,
};
use async_graphql::{Name, Value};
use serde::ser::{SerializeMap, SerializeSeq, SerializeStruct};
use serde::{Serialize, Serializer};

/// The most selections an order may expand (fragment spreads included);
/// beyond it the response is written in the order execution produced. A
/// document that large is refused by the complexity limit anyway: the cap
/// only keeps a hostile document from costing more here than there.
const MAX_EXPANDED: usize = 20_000;

/// The order of the keys of one selection set, with the order of each
/// key's own sub-selection.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Order {
    keys: Vec<(Name, Order)>,
}

impl Order {
    /// The order of the operation `operation_name` selects in `query`, or
    /// `None` when the document does not parse, names no such operation,
    /// or expands past the cap.
    #[cfg(test)]
    pub fn of_request(query: &str, operation_name: Option<&str>) -> Option<Order> {
        let doc = async_graphql::parser::parse_query(query).ok()?;
        Self::in_document(&doc, operation_name).map(|(order, _)| order)
    }

    /// The order of the operation `operation_name` of a document already
    /// parsed, with whether it is a query, a mutation or a subscription.
    pub fn in_document(
        doc: &ExecutableDocument,
        operation_name: Option<&str>,
    ) -> Option<(Order, OperationType)> {
        let operation = match (&doc.operations, operation_name) {
            (DocumentOperations::Single(op), _) => op,
            (DocumentOperations::Multiple(ops), Some(name)) => ops.get(name)?,
            (DocumentOperations::Multiple(ops), None) if ops.len() == 1 => ops.values().next()?,
            (DocumentOperations::Multiple(_), None) => return None,
        };
        let mut order = Order::default();
        let mut budget = MAX_EXPANDED;
        order
            .collect(doc, &operation.node.selection_set.node, &mut budget, 0)
            .then_some((order, operation.node.ty))
    }

    /// Adds the fields of `set` in order, merging repeated keys; false when
    /// the budget runs out or fragments nest past any valid depth.
    fn collect(
        &mut self,
        doc: &ExecutableDocument,
        set: &SelectionSet,
        budget: &mut usize,
        depth: usize,
    ) -> bool {
        if depth > 256 {
            return false;
        }
        for item in &set.items {
            if *budget == 0 {
                return false;
            }
            *budget -= 1;
            let more = match &item.node {
                Selection::Field(field) => {
                    let key = &field.node.response_key().node;
                    let at = match self.keys.iter().position(|(k, _)| k == key) {
                        Some(at) => at,
                        None => {
                            self.keys.push((key.clone(), Order::default()));
                            self.keys.len() - 1
                        }
                    };
                    self.keys[at]
                        .1
                        .collect(doc, &field.node.selection_set.node, budget, depth + 1)
                }
                Selection::FragmentSpread(spread) => {
                    match doc.fragments.get(&spread.node.fragment_name.node) {
                        Some(fragment) => {
                            self.collect(doc, &fragment.node.selection_set.node, budget, depth + 1)
                        }
                        None => true,
                    }
                }
                Selection::InlineFragment(inline) => {
                    self.collect(doc, &inline.node.selection_set.node, budget, depth + 1)
                }
            };
            if !more {
                return false;
            }
        }
        true
    }
}

/// A response value written with its keys in `order`.
pub struct Ordered<'a> {
    /// The value.
    pub value: &'a Value,
    /// Its order, when known.
    pub order: Option<&'a Order>,
}

impl Serialize for Ordered<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match (self.value, self.order) {
            (Value::Object(map), Some(order)) => {
                let mut out = serializer.serialize_map(Some(map.len()))?;
                let mut written = 0;
                for (key, sub) in &order.keys {
                    if let Some(value) = map.get(key) {
                        let value = Ordered {
                            value,
                            order: Some(sub),
                        };
                        out.serialize_entry(key.as_str(), &value)?;
                        written += 1;
                    }
                }
                if written < map.len() {
                    for (key, value) in map {
                        if !order.keys.iter().any(|(k, _)| k == key) {
                            out.serialize_entry(key.as_str(), value)?;
                        }
                    }
                }
                out.end()
            }
            (Value::List(items), Some(order)) => {
                let mut out = serializer.serialize_seq(Some(items.len()))?;
                for value in items {
                    out.serialize_element(&Ordered {
                        value,
                        order: Some(order),
                    })?;
                }
                out.end()
            }
            (value, _) => value.serialize(serializer),
        }
    }
}

/// A whole response written with its data in `order`, with the fields and
/// the omissions of async-graphql's own `Response` serialisation.
pub struct OrderedResponse<'a> {
    /// The response.
    pub response: &'a async_graphql::Response,
    /// The order of its data, when known.
    pub order: Option<&'a Order>,
}

impl Serialize for OrderedResponse<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let r = self.response;
        let mut out = serializer.serialize_struct("Response", 3)?;
        out.serialize_field(
            "data",
            &Ordered {
                value: &r.data,
                order: self.order,
            },
        )?;
        if r.extensions.is_empty() {
            out.skip_field("extensions")?;
        } else {
            out.serialize_field("extensions", &r.extensions)?;
        }
        if r.errors.is_empty() {
            out.skip_field("errors")?;
        } else {
            out.serialize_field("errors", &r.errors)?;
        }
        out.end()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(order: &Order) -> Vec<&str> {
        order.keys.iter().map(|(k, _)| k.as_str()).collect()
    }

    #[test]
    fn fragments_are_expanded_where_they_are_spread_and_repeated_keys_merge() {
        let order = Order::of_request(
            "query Q { b: x ...F c { z } ... on Query { d } c { y } } fragment F on Query { a c { w } }",
            Some("Q"),
        )
        .unwrap();
        assert_eq!(keys(&order), ["b", "a", "c", "d"]);
        assert_eq!(keys(&order.keys[2].1), ["w", "z", "y"]);
    }

    #[test]
    fn documents_without_a_chosen_operation_or_past_the_cap_have_no_order() {
        assert_eq!(Order::of_request("{ a", None), None);
        assert_eq!(Order::of_request("query A { a } query B { b }", None), None);
        assert_eq!(Order::of_request("query A { a }", Some("B")), None);
        let mut bomb = String::from("query { ...F0 }");
        for i in 0..20 {
            bomb.push_str(&format!(
                " fragment F{i} on Query {{ ...F{n} ...F{n} }}",
                n = i + 1
            ));
        }
        bomb.push_str(" fragment F20 on Query { a }");
        assert_eq!(Order::of_request(&bomb, None), None);
    }

    #[test]
    fn values_are_written_in_order_and_unnamed_keys_are_kept() {
        let order = Order::of_request("{ b { y x } a }", None).unwrap();
        let value = async_graphql::value!({ "a": 1, "b": [{ "x": 1, "y": 2 }], "extra": true });
        let text = serde_json::to_string(&Ordered {
            value: &value,
            order: Some(&order),
        })
        .unwrap();
        assert_eq!(text, r#"{"b":[{"y":2,"x":1}],"a":1,"extra":true}"#);
    }
}
