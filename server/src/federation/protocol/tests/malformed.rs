//! Malformed input is an `Err` naming what was being read, never a panic: not JSON, not an object, no `type`, missing `id`/`actor`/`object`, wrong types, absurd nesting.

use serde_json::json;

use crate::federation::protocol::{ApObject, IgnoreReason, InboxActivity, ParseError};

fn err(json: &str) -> ParseError {
    let e = InboxActivity::parse(json).expect_err(json);
    // Fetched-object reading must fail the same input too, or ignore it.
    let _ = ApObject::parse(json);
    e
}

fn malformed_kind(e: &ParseError) -> &str {
    match e {
        ParseError::Malformed { kind, .. } => kind,
        other => panic!("expected Malformed, got {other:?}"),
    }
}

const ID: &str = "https://a.example/activities/1";
const ACTOR: &str = "https://a.example/u/alice";
const GROUP: &str = "https://b.example/c/music";

#[test]
fn not_json_or_not_an_object() {
    assert!(matches!(err("not json"), ParseError::Json(_)));
    assert!(matches!(err(""), ParseError::Json(_)));
    assert!(matches!(err("{\"type\": \"Follow\""), ParseError::Json(_)));
    assert!(matches!(err("[1, 2]"), ParseError::NotAnObject("an array")));
    assert!(matches!(
        err("\"Follow\""),
        ParseError::NotAnObject("a string")
    ));
    assert!(matches!(err("null"), ParseError::NotAnObject("null")));
    assert!(matches!(
        ApObject::parse("[]"),
        Err(ParseError::NotAnObject(_))
    ));
}

#[test]
fn missing_or_bad_type() {
    assert!(matches!(err("{}"), ParseError::MissingType));
    assert!(matches!(
        err(r#"{"type": 5, "id": "https://a.example/1"}"#),
        ParseError::MissingType
    ));
    assert!(matches!(
        ApObject::parse(r#"{"id": "https://a.example/1"}"#),
        Err(ParseError::MissingType)
    ));
}

#[test]
fn missing_id_or_actor() {
    let e = err(&json!({"type": "Follow", "actor": ACTOR, "object": GROUP}).to_string());
    assert_eq!(malformed_kind(&e), "Follow");
    assert!(e.to_string().contains("`id`"), "{e}");
    let e = err(&json!({"type": "Like", "id": ID, "object": GROUP}).to_string());
    assert!(e.to_string().contains("`actor`"), "{e}");
    let e = err(
        &json!({"type": "Follow", "id": "not a url", "actor": ACTOR, "object": GROUP}).to_string(),
    );
    assert!(e.to_string().contains("Follow"), "{e}");
}

#[test]
fn wrong_types() {
    let page = json!({"type": "Page", "id": "https://a.example/post/1", "attributedTo": ACTOR,
        "to": ["https://www.w3.org/ns/activitystreams#Public"], "name": "x"});
    let create = |extra: serde_json::Value| {
        let mut a = json!({"type": "Create", "id": ID, "actor": ACTOR, "object": page});
        for (k, v) in extra.as_object().expect("object") {
            a[k] = v.clone();
        }
        a.to_string()
    };
    let e = err(&create(json!({"to": 5})));
    assert_eq!(malformed_kind(&e), "Create{Page}");
    let e = err(&create(json!({"to": [ACTOR, {"no": "id"}]})));
    assert!(e.to_string().contains("item 1"), "{e}");
    let e = err(&create(json!({"actor": ["x"]})));
    assert_eq!(malformed_kind(&e), "Create{Page}");
    let mut bad_page = page.clone();
    bad_page["name"] = json!(["a"]);
    assert!(err(&create(json!({"object": bad_page})))
        .to_string()
        .contains("Create{Page}"));
    let mut bad_date = page.clone();
    bad_date["published"] = json!("yesterday");
    err(&create(json!({"object": bad_date})));
    let note = json!({"type": "Note", "id": "https://a.example/c/1", "inReplyTo": "https://a.example/post/1",
        "to": "https://www.w3.org/ns/activitystreams#Public", "content": 5});
    let e = err(&create(json!({"object": note})));
    assert_eq!(malformed_kind(&e), "Create{Note}");
}

#[test]
fn missing_or_bad_object() {
    for kind in ["Create", "Update", "Undo", "Accept", "Reject"] {
        let e = err(&json!({"type": kind, "id": ID, "actor": ACTOR}).to_string());
        assert!(e.to_string().contains("object"), "{kind}: {e}");
        let e = err(&json!({"type": kind, "id": ID, "actor": ACTOR, "object": 5}).to_string());
        assert_eq!(malformed_kind(&e), kind);
        let e = err(
            &json!({"type": kind, "id": ID, "actor": ACTOR, "object": {"id": GROUP}}).to_string(),
        );
        assert!(e.to_string().contains("no `type`"), "{kind}: {e}");
    }
    err(&json!({"type": "Announce", "id": ID, "actor": GROUP, "object": 5}).to_string());
    err(&json!({"type": "Announce", "id": ID, "actor": GROUP, "object": "not a url"}).to_string());
    err(
        &json!({"type": "Delete", "id": ID, "actor": ACTOR, "object": {"type": "Tombstone"}})
            .to_string(),
    );
}

#[test]
fn malformed_inside_announce_names_both() {
    let inner = json!({"type": "Create", "id": ID, "to": "https://www.w3.org/ns/activitystreams#Public",
        "object": {"type": "Page", "id": "https://a.example/post/1"}});
    let e =
        err(&json!({"type": "Announce", "id": ID, "actor": GROUP, "object": inner}).to_string());
    assert_eq!(malformed_kind(&e), "Announce{Create{Page}}");
    assert!(e.to_string().contains("actor"), "{e}");
}

#[test]
fn absurd_nesting_is_an_error_not_a_crash() {
    let deep_array = "[".repeat(100_000);
    assert!(matches!(err(&deep_array), ParseError::Json(_)));
    let mut deep = String::new();
    for _ in 0..10_000 {
        deep.push_str(r#"{"type":"Announce","id":"https://a.example/1","actor":"https://a.example/c","object":"#);
    }
    deep.push_str(r#""https://a.example/post/1""#);
    deep.push_str(&"}".repeat(10_000));
    assert!(matches!(err(&deep), ParseError::Json(_)));
    // Within serde_json's limit: Announce{Announce{…}} is not unwrapped.
    let mut nested = json!("https://a.example/post/1");
    for i in 0..40 {
        nested = json!({"type": "Announce", "id": format!("https://a.example/{i}"), "actor": GROUP, "object": nested});
    }
    let read = InboxActivity::from_value(&nested).expect("well-formed");
    assert!(
        matches!(
            read,
            InboxActivity::Ignored {
                reason: IgnoreReason::UnsupportedActivity,
                ..
            }
        ),
        "{read:?}"
    );
    let mut content = json!("x");
    for _ in 0..100 {
        content = json!({"a": content});
    }
    let note = json!({"type": "Create", "id": ID, "actor": ACTOR, "object": {"type": "Note",
        "id": "https://a.example/c/1", "inReplyTo": "https://a.example/post/1",
        "to": "https://www.w3.org/ns/activitystreams#Public", "content": content}});
    assert!(InboxActivity::from_value(&note).is_err());
}

#[test]
fn unknown_activity_is_ignored_even_without_id() {
    let read =
        InboxActivity::parse(r#"{"type": "EmojiReact", "content": "🎵"}"#).expect("well-formed");
    assert_eq!(
        read,
        InboxActivity::Ignored {
            kind: "EmojiReact".into(),
            id: None,
            reason: IgnoreReason::UnsupportedActivity
        }
    );
}
