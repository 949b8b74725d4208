//! The inbox's fast path (`inbox::fast`) against the dispatcher: every fixture, and every
//! field of every fixture replaced by values of the wrong type, removed or repeated, is either
//! left to the dispatcher or read exactly as the dispatcher reads it.

use serde_json::{json, Value};

use super::support::{all_fixtures, at_path, fixture, paths};
use crate::federation::protocol::InboxActivity;

/// Whether the fast path took `body`; panics when it read it otherwise than the dispatcher.
fn same_as_dispatcher(body: &[u8], what: &str) -> bool {
    let Some(fast) = InboxActivity::read_common(body) else {
        return false;
    };
    let value: Value = serde_json::from_slice(body)
        .unwrap_or_else(|e| panic!("{what}: the fast path read what is not JSON: {e}"));
    match InboxActivity::from_value(&value) {
        Ok(slow) => assert_eq!(fast, slow, "{what}"),
        Err(e) => panic!("{what}: the fast path read what the dispatcher refuses: {e}"),
    }
    true
}

#[test]
fn fixtures_read_the_same_through_the_fast_path() {
    let mut taken = Vec::new();
    for path in all_fixtures() {
        if same_as_dispatcher(fixture(&path).as_bytes(), &path) {
            taken.push(path);
        }
    }
    // Lemmy's follows, votes, deletions, moderation and reports, and the others' likes.
    assert!(taken.len() >= 25, "the fast path took only {taken:?}");
    for kind in [
        "like_page",
        "undo_like_page",
        "follow",
        "accept",
        "delete_page",
        "block_user",
    ] {
        assert!(
            taken.iter().any(|p| p.contains(kind)),
            "no {kind} fixture took the fast path: {taken:?}"
        );
    }
}

#[test]
fn mutated_fixtures_read_the_same_through_the_fast_path() {
    let replacements = [
        json!(null),
        json!(0),
        json!(true),
        json!("x"),
        json!("https://evil.example/"),
        json!([]),
        json!(["https://evil.example/", 1]),
        json!(["Follow", "Like"]),
        json!({}),
        json!({"type": "Note"}),
        json!({"type": "Follow"}),
        json!({"type": "Join"}),
        json!("Dislike"),
        json!("Undo"),
    ];
    let mut taken = 0;
    for path in all_fixtures() {
        let text = fixture(&path);
        let original: Value = serde_json::from_str(&text).expect("fixture is JSON");
        let mut positions = Vec::new();
        paths(&original, 3, &mut Vec::new(), &mut positions);
        for position in positions {
            let what = format!("{path} at {position:?}");
            for replacement in &replacements {
                let mut doc = original.clone();
                if let Some(slot) = at_path(&mut doc, &position) {
                    *slot = replacement.clone();
                }
                let body = serde_json::to_vec(&doc).expect("JSON");
                taken += usize::from(same_as_dispatcher(
                    &body,
                    &format!("{what} = {replacement}"),
                ));
            }
            let mut doc = original.clone();
            let (last, parent) = position.split_last().expect("non-empty path");
            if let Some(Value::Object(map)) = at_path(&mut doc, parent) {
                map.remove(last);
            }
            let body = serde_json::to_vec(&doc).expect("JSON");
            taken += usize::from(same_as_dispatcher(&body, &format!("{what} removed")));
        }
        // Text-level changes a JSON value cannot carry: a repeated key, an escaped key, an
        // escaped type, an array at the top.
        let body = text.trim_start();
        if let Some(rest) = body.strip_prefix('{') {
            for extra in [
                r#""type": "Follow","#,
                r#""typ\u0065": "Follow","#,
                r#""object": {"type": "Join"},"#,
                r#""object": {"typ\u0065": "Join", "type": "Follow"},"#,
            ] {
                let changed = format!("{{{extra}{rest}");
                same_as_dispatcher(changed.as_bytes(), &format!("{path} with {extra}"));
            }
        }
        let escaped = text.replacen(r#""type": "Like""#, r#""type": "Lik\u0065""#, 1);
        same_as_dispatcher(escaped.as_bytes(), &format!("{path}, escaped type"));
        same_as_dispatcher(
            format!("[{text}]").as_bytes(),
            &format!("{path} in an array"),
        );
    }
    assert!(taken > 500, "the fast path took only {taken} mutations");
}
