//! A readable line diff between two versions of a community's rules, as the history and
//! rule-change proposals show it.

use serde::Serialize;
use similar::{ChangeTag, TextDiff};

use super::Rule;

/// Whether a diff line is unchanged, added or removed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DiffTag {
    Same,
    Added,
    Removed,
}

/// One line of a diff (without its line end).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct DiffLine {
    pub tag: DiffTag,
    pub text: String,
}

/// A readable line diff between two versions of the rules.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct RulesDiff {
    /// Every line of both texts, marked, in reading order.
    pub lines: Vec<DiffLine>,
    /// The same as a unified diff (3 lines of context).
    pub unified: String,
    pub added: usize,
    pub removed: usize,
}

/// The rules as one text: a `## title` line, then the text, per rule. Numbers are left out so
/// that adding a rule does not show every later rule as changed.
pub fn render(rules: &[Rule]) -> String {
    let mut out = String::new();
    for r in rules {
        out.push_str("## ");
        out.push_str(&r.title);
        out.push_str("\n\n");
        out.push_str(r.text.trim_end());
        out.push_str("\n\n");
    }
    out
}

/// Line diff from `old` to `new`.
pub fn diff(old: &[Rule], new: &[Rule], old_label: &str, new_label: &str) -> RulesDiff {
    let (a, b) = (render(old), render(new));
    let d = TextDiff::from_lines(&a, &b);
    let mut lines = Vec::new();
    let (mut added, mut removed) = (0, 0);
    for change in d.iter_all_changes() {
        let tag = match change.tag() {
            ChangeTag::Equal => DiffTag::Same,
            ChangeTag::Insert => {
                added += 1;
                DiffTag::Added
            }
            ChangeTag::Delete => {
                removed += 1;
                DiffTag::Removed
            }
        };
        lines.push(DiffLine {
            tag,
            text: change.value().trim_end_matches('\n').to_string(),
        });
    }
    let unified = d
        .unified_diff()
        .context_radius(3)
        .header(old_label, new_label)
        .to_string();
    RulesDiff {
        lines,
        unified,
        added,
        removed,
    }
}
