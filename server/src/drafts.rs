//! Refused form submissions, kept for a few minutes so that a form posted without JavaScript
//! comes back filled in with what the member typed, next to the reason it was refused.
//!
//! Small and bounded on purpose: a handful of entries, each capped in size, forgotten after a
//! while or when read. Nothing here survives a restart, and nothing needs to.

use std::collections::VecDeque;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use serde::de::DeserializeOwned;
use serde::Serialize;

/// How many drafts are kept at most (the oldest goes first).
pub const CAPACITY: usize = 64;
/// The largest draft kept, serialised; larger ones are not kept.
pub const MAX_BYTES: usize = 64 * 1024;
/// How long a draft waits for its form to be shown again.
pub const LIFETIME: Duration = Duration::from_secs(15 * 60);

struct Draft {
    owner: i64,
    form: String,
    kept_at: Instant,
    json: String,
}

#[derive(Default)]
pub struct Drafts {
    kept: Mutex<VecDeque<Draft>>,
}

impl Drafts {
    fn with_kept<R>(&self, f: impl FnOnce(&mut VecDeque<Draft>) -> R) -> R {
        let mut kept = self.kept.lock().unwrap_or_else(|p| p.into_inner());
        kept.retain(|d| d.kept_at.elapsed() < LIFETIME);
        f(&mut kept)
    }

    /// Keeps `value` as `owner`'s draft of `form`, replacing an earlier one.
    pub fn keep(&self, owner: i64, form: &str, value: &impl Serialize) {
        let Ok(json) = serde_json::to_string(value) else {
            return;
        };
        if json.len() > MAX_BYTES {
            return;
        }
        self.with_kept(|kept| {
            kept.retain(|d| !(d.owner == owner && d.form == form));
            while kept.len() >= CAPACITY {
                kept.pop_front();
            }
            kept.push_back(Draft {
                owner,
                form: form.to_string(),
                kept_at: Instant::now(),
                json,
            });
        });
    }

    /// `owner`'s draft of `form`, if one is kept; reading it forgets it.
    pub fn take<T: DeserializeOwned>(&self, owner: i64, form: &str) -> Option<T> {
        let draft = self.with_kept(|kept| {
            let at = kept
                .iter()
                .position(|d| d.owner == owner && d.form == form)?;
            kept.remove(at)
        })?;
        serde_json::from_str(&draft.json).ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_draft_is_read_once_by_its_owner_for_its_form() {
        let d = Drafts::default();
        d.keep(1, "proposal:garden", &"typed text");
        assert_eq!(d.take::<String>(2, "proposal:garden"), None);
        assert_eq!(d.take::<String>(1, "proposal:music"), None);
        assert_eq!(d.take(1, "proposal:garden"), Some("typed text".to_string()));
        assert_eq!(d.take::<String>(1, "proposal:garden"), None);
    }

    #[test]
    fn a_newer_draft_replaces_the_older_one() {
        let d = Drafts::default();
        d.keep(1, "f", &1);
        d.keep(1, "f", &2);
        assert_eq!(d.take(1, "f"), Some(2));
        assert_eq!(d.take::<i32>(1, "f"), None);
    }

    #[test]
    fn it_stays_small() {
        let d = Drafts::default();
        for owner in 0..(CAPACITY as i64 + 10) {
            d.keep(owner, "f", &owner);
        }
        assert_eq!(d.with_kept(|k| k.len()), CAPACITY);
        assert_eq!(d.take::<i64>(0, "f"), None, "the oldest went first");
        assert_eq!(d.take(CAPACITY as i64 + 9, "f"), Some(CAPACITY as i64 + 9));
        d.keep(7, "big", &"x".repeat(MAX_BYTES + 1));
        assert_eq!(d.take::<String>(7, "big"), None, "too large to keep");
    }
}
