//! Trusted documents (persisted queries): the operations an operator
//! registers, by the SHA-256 of their text, from a manifest file named by
//! `TRUSTED_DOCUMENTS`:
//!
//! ```json
//! { "<sha256 hex of the document>": "query Home { … }", … }
//! ```
//!
//! With a manifest, a client may send `extensions.persistedQuery.sha256Hash`
//! (Apollo's format) in place of the text, and an anonymous caller may run
//! only registered documents; signed-in callers may still send any.

use std::collections::HashMap;
use std::sync::Arc;

use async_graphql::Request;
use sha2::{Digest, Sha256};

/// The registered documents, by the hex SHA-256 of their text.
#[derive(Clone, Debug, Default)]
pub struct TrustedDocuments(Arc<HashMap<String, String>>);

impl TrustedDocuments {
    /// Reads a manifest, refusing any entry whose key is not its
    /// document's SHA-256.
    pub fn from_manifest(json: &str) -> Result<Self, String> {
        let entries: HashMap<String, String> = serde_json::from_str(json)
            .map_err(|e| format!("not a JSON object of documents: {e}"))?;
        let mut documents = HashMap::with_capacity(entries.len());
        for (hash, text) in entries {
            let actual = digest(&text);
            if !hash.eq_ignore_ascii_case(&actual) {
                return Err(format!(
                    "the document registered as {hash} has the SHA-256 {actual}"
                ));
            }
            documents.insert(actual, text);
        }
        Ok(Self(Arc::new(documents)))
    }

    /// How many documents are registered.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether none is.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Whether `text` is a registered document.
    pub fn holds(&self, text: &str) -> bool {
        self.0.contains_key(&digest(text))
    }

    /// Puts the registered text in a request that names its document by
    /// hash; a request with text keeps it (and its hash must match).
    pub fn resolve(&self, request: &mut Request) -> Result<(), String> {
        let Some(hash) = requested_hash(request) else {
            return Ok(());
        };
        if !request.query.trim().is_empty() {
            return if digest(&request.query).eq_ignore_ascii_case(&hash) {
                Ok(())
            } else {
                Err("the persisted query's hash is not the SHA-256 of the query sent".into())
            };
        }
        match self.0.get(&hash.to_ascii_lowercase()) {
            Some(text) => {
                request.query = text.clone();
                Ok(())
            }
            None => Err("PersistedQueryNotFound: no document is registered with this hash".into()),
        }
    }
}

/// The hex SHA-256 of a document's text, as the manifest keys it.
pub fn digest(text: &str) -> String {
    hex::encode(Sha256::digest(text.as_bytes()))
}

fn requested_hash(request: &Request) -> Option<String> {
    let persisted = request.extensions.get("persistedQuery")?;
    let async_graphql::Value::Object(fields) = persisted else {
        return None;
    };
    match fields.get("sha256Hash")? {
        async_graphql::Value::String(hash) => Some(hash.clone()),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_manifest_entry_must_carry_its_own_hash() {
        let text = "query Home { __typename }";
        let good = format!("{{ \"{}\": \"{text}\" }}", digest(text));
        let docs = TrustedDocuments::from_manifest(&good).unwrap();
        assert!(docs.holds(text));
        assert!(!docs.holds("{ __typename }"));
        let bad = format!("{{ \"{}\": \"{text}\" }}", digest("other"));
        assert!(TrustedDocuments::from_manifest(&bad).is_err());
    }
}
