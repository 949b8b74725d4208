//! `Electorate`: how many members of each stakeholder class were eligible when a proposal opened.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::error::RulesError;

/// Eligible members per class, snapshotted when the proposal opened. A class may have 0 members.
///
/// Serialised as a JSON object `{"worker": 12, "user": 40}`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Electorate {
    classes: BTreeMap<String, u64>,
}

impl Electorate {
    /// An electorate with no classes (nobody eligible).
    pub fn new() -> Electorate {
        Electorate::default()
    }

    /// An electorate with a single class (co-ops without stakeholder classes).
    pub fn single(class: impl Into<String>, eligible: u64) -> Electorate {
        let mut classes = BTreeMap::new();
        classes.insert(class.into(), eligible);
        Electorate { classes }
    }

    /// Builds an electorate from `(class, eligible)` pairs, refusing duplicate or empty class names.
    pub fn from_counts<I, S>(counts: I) -> Result<Electorate, RulesError>
    where
        I: IntoIterator<Item = (S, u64)>,
        S: Into<String>,
    {
        let mut classes = BTreeMap::new();
        for (class, eligible) in counts {
            let class: String = class.into();
            if class.trim().is_empty() {
                return Err(RulesError::BlankClass);
            }
            if classes.contains_key(&class) {
                return Err(RulesError::DuplicateClass(class));
            }
            classes.insert(class, eligible);
        }
        Ok(Electorate { classes })
    }

    /// Eligible members of `class`, `None` if the class is not part of the electorate.
    pub fn eligible(&self, class: &str) -> Option<u64> {
        self.classes.get(class).copied()
    }

    /// All eligible members (saturating; no electorate comes near `u64::MAX`).
    pub fn total(&self) -> u64 {
        self.classes
            .values()
            .fold(0u64, |a, &b| a.saturating_add(b))
    }

    /// `(class, eligible)` in class-name order.
    pub fn classes(&self) -> impl Iterator<Item = (&str, u64)> + '_ {
        self.classes.iter().map(|(c, &n)| (c.as_str(), n))
    }
}
