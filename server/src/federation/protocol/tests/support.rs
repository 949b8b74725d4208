//! Test helpers: locating and loading fixtures, parsing them, walking JSON for `null`s, and its field paths.

use std::path::{Path, PathBuf};

use serde_json::Value;
use url::Url;

use crate::federation::protocol::{ApObject, InboxActivity};

/// The fixtures folder: `$COMMONHALL_FIXTURES`, or `shared/` beside the repo.
pub fn fixtures_dir() -> PathBuf {
    match std::env::var_os("COMMONHALL_FIXTURES") {
        Some(dir) => PathBuf::from(dir),
        None => PathBuf::from(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../shared/fixtures/activitypub"
        )),
    }
}

/// The offline JSON-LD contexts, beside the fixtures folder.
pub fn contexts_dir() -> PathBuf {
    fixtures_dir().join("../../jsonld-contexts")
}

/// The text of a fixture (path relative to the fixtures folder).
pub fn fixture(path: &str) -> String {
    let full = fixtures_dir().join(path);
    std::fs::read_to_string(&full).unwrap_or_else(|e| {
        panic!(
            "fixture {} not readable ({e}); set COMMONHALL_FIXTURES to the \
             shared/fixtures/activitypub folder",
            full.display()
        )
    })
}

/// Every fixture file (relative paths, sorted), README excluded.
pub fn all_fixtures() -> Vec<String> {
    fn walk(root: &Path, dir: &Path, out: &mut Vec<String>) {
        let entries =
            std::fs::read_dir(dir).unwrap_or_else(|e| panic!("cannot list {}: {e}", dir.display()));
        for entry in entries {
            let path = entry.expect("directory entry").path();
            if path.is_dir() {
                walk(root, &path, out);
            } else if path.extension().is_some_and(|e| e == "json") {
                let rel = path.strip_prefix(root).expect("inside root");
                out.push(rel.to_string_lossy().replace('\\', "/"));
            }
        }
    }
    let root = fixtures_dir();
    let mut out = Vec::new();
    walk(&root, &root, &mut out);
    out.sort();
    out
}

/// Parses a fixture as an inbox activity, panicking with the error.
pub fn inbox(path: &str) -> InboxActivity {
    InboxActivity::parse(&fixture(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// Parses a fixture as a fetched object, panicking with the error.
pub fn object(path: &str) -> ApObject {
    ApObject::parse(&fixture(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// A URL literal.
pub fn u(s: &str) -> Url {
    Url::parse(s).unwrap_or_else(|e| panic!("bad test URL {s}: {e}"))
}

/// Panics if `value` contains a `null` anywhere, naming its path.
pub fn assert_no_nulls(value: &Value) {
    fn walk(value: &Value, path: &str) {
        match value {
            Value::Null => panic!("null at {path}"),
            Value::Array(items) => {
                for (i, item) in items.iter().enumerate() {
                    walk(item, &format!("{path}[{i}]"));
                }
            }
            Value::Object(map) => {
                for (k, v) in map {
                    walk(v, &format!("{path}.{k}"));
                }
            }
            _ => {}
        }
    }
    walk(value, "$");
}

/// Expects an `Ignored` result with this kind and reason.
#[track_caller]
pub fn assert_ignored(
    activity: &InboxActivity,
    kind: &str,
    reason: crate::federation::protocol::IgnoreReason,
) {
    match activity {
        InboxActivity::Ignored {
            kind: k, reason: r, ..
        } => {
            assert_eq!(k, kind);
            assert_eq!(*r, reason);
        }
        other => panic!("expected Ignored({kind}), got {other:?}"),
    }
}

/// Unwraps an enum variant with one field, panicking with what was found.
macro_rules! expect_variant {
    ($value:expr, $variant:path) => {
        match $value {
            $variant(inner) => inner,
            other => panic!("expected {}, got {other:?}", stringify!($variant)),
        }
    };
}
pub(crate) use expect_variant;

/// Every (path, value) position in a document, up to `depth` levels.
pub fn paths(value: &Value, depth: usize, prefix: &mut Vec<String>, out: &mut Vec<Vec<String>>) {
    if depth == 0 {
        return;
    }
    if let Value::Object(map) = value {
        for (k, v) in map {
            prefix.push(k.clone());
            out.push(prefix.clone());
            paths(v, depth - 1, prefix, out);
            prefix.pop();
        }
    }
}

pub fn at_path<'a>(value: &'a mut Value, path: &[String]) -> Option<&'a mut Value> {
    path.iter().try_fold(value, |v, k| v.get_mut(k))
}
