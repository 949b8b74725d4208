//! JSON-LD: every key and `type` we emit is declared by the offline contexts we reference (`shared/jsonld-contexts/`) or by our inline context, and every `coop:` key is one of ours.

use std::collections::BTreeSet;

use serde_json::{Map, Value};

use super::samples::all_outgoing;
use super::support::contexts_dir;
use crate::federation::protocol::context::{context, ACTIVITYSTREAMS, COOP_TERMS, SECURITY_V1};

/// Terms defined by a context document's `@context` object.
fn terms_of(file: &str) -> BTreeSet<String> {
    let path = contexts_dir().join(file);
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("context {} not readable: {e}", path.display()));
    let doc: Value = serde_json::from_str(&text).expect("context is JSON");
    let parts = match &doc["@context"] {
        Value::Array(parts) => parts.clone(),
        other => vec![other.clone()],
    };
    parts
        .iter()
        .filter_map(Value::as_object)
        .flat_map(|m| m.keys().cloned())
        .collect()
}

/// Our inline context object (the third entry of `context()`).
fn inline() -> Map<String, Value> {
    let ctx = context();
    assert_eq!(ctx[0], ACTIVITYSTREAMS);
    assert_eq!(ctx[1], SECURITY_V1);
    ctx[2].as_object().expect("inline context").clone()
}

/// JSON literal terms (`@type: @json`): their values are not walked.
fn json_literals(inline: &Map<String, Value>) -> BTreeSet<String> {
    inline
        .iter()
        .filter(|(_, v)| v.get("@type") == Some(&Value::from("@json")))
        .map(|(k, _)| k.clone())
        .collect()
}

fn collect(
    value: &Value,
    literals: &BTreeSet<String>,
    keys: &mut BTreeSet<String>,
    types: &mut BTreeSet<String>,
) {
    match value {
        Value::Object(map) => {
            for (k, v) in map {
                if k == "@context" {
                    continue;
                }
                keys.insert(k.clone());
                if k == "type" {
                    if let Some(t) = v.as_str() {
                        types.insert(t.to_owned());
                    }
                }
                if !literals.contains(k) {
                    collect(v, literals, keys, types);
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|i| collect(i, literals, keys, types)),
        _ => {}
    }
}

#[test]
fn every_emitted_term_is_declared() {
    let inline = inline();
    let literals = json_literals(&inline);
    let mut declared = terms_of("activitystreams.json");
    declared.extend(terms_of("security-v1.json"));
    declared.extend(inline.keys().cloned());
    let mut keys = BTreeSet::new();
    let mut types = BTreeSet::new();
    for (_, doc) in all_outgoing() {
        assert_eq!(doc["@context"], context());
        collect(&doc, &literals, &mut keys, &mut types);
    }
    let undeclared: Vec<_> = keys
        .union(&types)
        .filter(|t| !declared.contains(*t))
        .collect();
    assert!(undeclared.is_empty(), "undeclared terms: {undeclared:?}");
}

#[test]
fn coop_terms_are_ours_declared_and_used() {
    let inline = inline();
    assert_eq!(
        inline["coop"],
        crate::federation::protocol::context::COOP_NS
    );
    for term in COOP_TERMS {
        let def = inline
            .get(*term)
            .unwrap_or_else(|| panic!("{term} not declared"));
        assert_eq!(def["@id"], *term, "{term} must map to itself");
    }
    let mut keys = BTreeSet::new();
    let mut types = BTreeSet::new();
    for (_, doc) in all_outgoing() {
        collect(&doc, &BTreeSet::new(), &mut keys, &mut types);
    }
    let ours: BTreeSet<_> = keys
        .iter()
        .filter(|k| k.starts_with("coop:"))
        .cloned()
        .collect();
    let expected: BTreeSet<_> = COOP_TERMS.iter().map(|t| t.to_string()).collect();
    assert_eq!(ours, expected, "every coop: key emitted, and only those");
}

#[test]
fn lemmy_terms_agree_with_lemmys_context() {
    // Where Lemmy's context defines a term we also define, ours expands
    // the same way (prefixes aside).
    let lemmy = terms_of("join-lemmy.json");
    let inline = inline();
    for term in [
        "stickied",
        "distinguished",
        "postingRestrictedToMods",
        "sensitive",
        "commentsEnabled",
        "language",
    ] {
        assert!(lemmy.contains(term), "{term} missing from Lemmy's context");
        assert!(inline.contains_key(term), "{term} missing from ours");
    }
}
