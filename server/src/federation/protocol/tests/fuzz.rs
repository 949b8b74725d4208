//! Fuzz-ish robustness over the fixtures: every prefix of every fixture, and every field of every fixture replaced by values of the wrong type or removed, parses or errs, never panics.

use serde_json::{json, Value};

use super::support::{all_fixtures, at_path, fixture, paths};
use crate::federation::protocol::{ApObject, InboxActivity};

fn read_both(text: &str) {
    if let Ok(activity) = InboxActivity::parse(text) {
        if !matches!(activity, InboxActivity::Ignored { .. }) {
            assert!(activity.id().is_some() && activity.actor().is_some());
        }
    }
    let _ = ApObject::parse(text);
}

#[test]
fn every_fixture_is_covered_by_a_test() {
    let sources = [
        include_str!("fixtures_lemmy_activities.rs"),
        include_str!("fixtures_lemmy_objects.rs"),
        include_str!("fixtures_others.rs"),
    ]
    .concat();
    let files = all_fixtures();
    assert!(files.len() >= 83, "fixtures missing: {}", files.len());
    for path in files {
        let short = path.strip_prefix("lemmy/activities/").unwrap_or(&path);
        assert!(
            sources.contains(&format!("\"{short}\"")),
            "no parse test names fixture {path}"
        );
    }
}

#[test]
fn every_prefix_parses_or_errs() {
    for path in all_fixtures() {
        let text = fixture(&path);
        // Prefixes at every char boundary; long files at every 3rd byte in
        // their middle to keep the test quick in debug builds.
        let len = text.len();
        for cut in (0..=len).filter(|&i| text.is_char_boundary(i)) {
            if len > 4096 && cut > 512 && cut + 512 < len && cut % 3 != 0 {
                continue;
            }
            read_both(&text[..cut]);
        }
    }
}

#[test]
fn every_field_mutated_parses_or_errs() {
    let replacements = [
        json!(null),
        json!(0),
        json!(true),
        json!("x"),
        json!("https://evil.example/"),
        json!([]),
        json!(["https://evil.example/", 1]),
        json!({}),
        json!({"type": "Note"}),
    ];
    for path in all_fixtures() {
        let original: Value = serde_json::from_str(&fixture(&path)).expect("fixture is JSON");
        let mut positions = Vec::new();
        paths(&original, 3, &mut Vec::new(), &mut positions);
        for position in positions {
            for replacement in &replacements {
                let mut doc = original.clone();
                if let Some(slot) = at_path(&mut doc, &position) {
                    *slot = replacement.clone();
                }
                let _ = InboxActivity::from_value(&doc);
                let _ = ApObject::from_value(&doc);
            }
            let mut doc = original.clone();
            let (last, parent) = position.split_last().expect("non-empty path");
            if let Some(Value::Object(map)) = at_path(&mut doc, parent) {
                map.remove(last);
            }
            let _ = InboxActivity::from_value(&doc);
            let _ = ApObject::from_value(&doc);
        }
    }
}
