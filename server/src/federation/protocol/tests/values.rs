//! Unit tests of the shared values: one-or-many, references, `source`, media types, public addressing.

use serde_json::json;

use super::support::u;
use crate::federation::protocol::objects::Group;
use crate::federation::protocol::values::*;

#[test]
fn one_or_many_reads_one_many_null_and_missing() {
    let one: OneOrMany<url::Url> =
        serde_json::from_value(json!("https://a.example/")).expect("one");
    assert_eq!(one.0, vec![u("https://a.example/")]);
    let many: OneOrMany<url::Url> =
        serde_json::from_value(json!(["https://a.example/", "https://b.example/"])).expect("many");
    assert_eq!(many.len(), 2);
    let none: OneOrMany<url::Url> = serde_json::from_value(json!(null)).expect("null");
    assert!(none.is_empty());
    let err = serde_json::from_value::<OneOrMany<url::Url>>(json!(["https://a.example/", 5]))
        .expect_err("a number is not a URL");
    assert!(err.to_string().contains("item 1"), "{err}");
    assert_eq!(
        serde_json::to_value(&one).expect("ser"),
        json!(["https://a.example/"])
    );
}

#[test]
fn object_refs_read_ids_objects_and_arrays() {
    let refs: AttributedTo = serde_json::from_value(json!([
        {"type": "Group", "id": "https://p.example/c/x"},
        {"type": "Person", "id": "https://p.example/u/y"}
    ]))
    .expect("peertube attributedTo");
    assert_eq!(refs.primary(), Some(&u("https://p.example/u/y")));
    assert!(refs.contains(&u("https://p.example/c/x")));
    let single: AttributedTo =
        serde_json::from_value(json!({"id": "https://a.example/u/z"})).expect("object");
    assert_eq!(
        serde_json::to_value(&single).expect("ser"),
        json!("https://a.example/u/z")
    );
    assert!(serde_json::from_value::<ObjectRef>(json!({"type": "Note"})).is_err());
    assert!(serde_json::from_value::<ObjectRef>(json!(true)).is_err());
}

#[test]
fn source_reads_string_and_object() {
    let s: Source = serde_json::from_value(json!("plain")).expect("string");
    assert_eq!(s.media_type, None);
    let s: Source = serde_json::from_value(json!({"content": "*x*", "mediaType": "text/markdown"}))
        .expect("object");
    assert!(s.is_markdown());
    let s: Source =
        serde_json::from_value(json!({"content": "[b]x[/b]", "mediaType": "text/bbcode"}))
            .expect("bbcode");
    assert_eq!(s.media_type, Some(MediaType::Other("text/bbcode".into())));
    assert_eq!(
        serde_json::to_value(&s).expect("ser")["mediaType"],
        "text/bbcode"
    );
    assert!(serde_json::from_value::<Source>(json!(3)).is_err());
}

#[test]
fn public_addressing() {
    assert!(is_public(&public()));
    assert!(is_public(&u("as:Public")));
    assert!(!is_public(&u("https://a.example/followers")));
}

#[test]
fn unknown_join_policy_and_missing_extensions_are_accepted() {
    let mut g = serde_json::to_value(super::samples::group()).expect("ser");
    g["coop:joinPolicy"] = json!("lottery");
    g.as_object_mut().expect("object").remove("coop:rules");
    let g: Group = serde_json::from_value(g).expect("liberal");
    assert_eq!(
        g.join_policy,
        Some(crate::federation::protocol::objects::JoinPolicy::Other(
            "lottery".into()
        ))
    );
    assert_eq!(g.rules, None);
}

#[test]
fn quorum_as_number_is_read_as_string() {
    let p: crate::federation::protocol::objects::Proposal = serde_json::from_value(
        json!({"kind": "amend_rules", "quorum": 0.5, "threshold": "majority"}),
    )
    .expect("proposal");
    assert_eq!(p.quorum.as_deref(), Some("0.5"));
}
