//! Small bounded in-memory caches for the inbox's hot path: a map whose
//! entries expire, and a set of recently seen activity ids.

use std::collections::hash_map::RandomState;
use std::collections::{HashMap, HashSet, VecDeque};
use std::hash::{BuildHasher, Hash};
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// A map of at most `capacity` entries, each forgotten `ttl` after it was put in.
///
/// When full, expired entries go first, then the oldest one. Lookups clone
/// the value, so keep values small or behind an `Arc`.
#[derive(Debug)]
pub struct TtlMap<K, V> {
    entries: Mutex<HashMap<K, (V, Instant)>>,
    capacity: usize,
    ttl: Duration,
}

impl<K: Eq + Hash + Clone, V: Clone> TtlMap<K, V> {
    pub fn new(capacity: usize, ttl: Duration) -> Self {
        TtlMap {
            entries: Mutex::new(HashMap::new()),
            capacity: capacity.max(1),
            ttl,
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<K, (V, Instant)>> {
        // A panic while holding the lock leaves a consistent map: keep using it.
        self.entries
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// The value for `key`, unless absent or expired.
    pub fn get<Q>(&self, key: &Q) -> Option<V>
    where
        K: std::borrow::Borrow<Q>,
        Q: Hash + Eq + ?Sized,
    {
        let mut map = self.lock();
        match map.get(key) {
            Some((v, at)) if at.elapsed() < self.ttl => Some(v.clone()),
            Some(_) => {
                map.remove(key);
                None
            }
            None => None,
        }
    }

    pub fn insert(&self, key: K, value: V) {
        self.put(key, value, true);
    }

    /// Inserts unless a live entry is there: for values read from the
    /// database, which must not overwrite a newer one put in meanwhile.
    pub fn insert_if_absent(&self, key: K, value: V) {
        self.put(key, value, false);
    }

    fn put(&self, key: K, value: V, overwrite: bool) {
        let mut map = self.lock();
        if !overwrite && map.get(&key).is_some_and(|(_, at)| at.elapsed() < self.ttl) {
            return;
        }
        if map.len() >= self.capacity && !map.contains_key(&key) {
            let ttl = self.ttl;
            map.retain(|_, (_, at)| at.elapsed() < ttl);
            if map.len() >= self.capacity {
                let oldest = map
                    .iter()
                    .min_by_key(|(_, (_, at))| *at)
                    .map(|(k, _)| k.clone());
                if let Some(k) = oldest {
                    map.remove(&k);
                }
            }
        }
        map.insert(key, (value, Instant::now()));
    }

    pub fn remove<Q>(&self, key: &Q)
    where
        K: std::borrow::Borrow<Q>,
        Q: Hash + Eq + ?Sized,
    {
        self.lock().remove(key);
    }

    pub fn len(&self) -> usize {
        self.lock().len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// The last `capacity` activity ids seen, as keyed 64-bit hashes (a few
/// bytes each), so a quick re-delivery is answered without the database.
/// The database row stays the authority: an id not found here may still
/// have been seen.
#[derive(Debug)]
pub struct RecentIds {
    inner: Mutex<Recent>,
    hasher: RandomState,
    capacity: usize,
}

#[derive(Debug, Default)]
struct Recent {
    set: HashSet<u64>,
    order: VecDeque<u64>,
}

impl RecentIds {
    pub fn new(capacity: usize) -> Self {
        RecentIds {
            inner: Mutex::new(Recent::default()),
            hasher: RandomState::new(),
            capacity: capacity.max(1),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Recent> {
        self.inner
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Records `id`; false when it was already among the recent ones.
    pub fn first_sighting(&self, id: &str) -> bool {
        let h = self.hasher.hash_one(id);
        let mut r = self.lock();
        if !r.set.insert(h) {
            return false;
        }
        r.order.push_back(h);
        while r.order.len() > self.capacity {
            if let Some(old) = r.order.pop_front() {
                r.set.remove(&old);
            }
        }
        true
    }

    /// Forgets `id`, so that a re-delivery is processed again.
    pub fn forget(&self, id: &str) {
        let h = self.hasher.hash_one(id);
        let mut r = self.lock();
        if r.set.remove(&h) {
            r.order.retain(|x| *x != h);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_expire_and_the_map_stays_bounded() {
        let m: TtlMap<String, u32> = TtlMap::new(3, Duration::from_secs(60));
        for (i, k) in ["a", "b", "c", "d"].into_iter().enumerate() {
            m.insert(k.to_string(), i as u32);
        }
        assert_eq!(m.len(), 3);
        assert_eq!(m.get("a"), None, "the oldest went first");
        assert_eq!(m.get("d"), Some(3));
        m.remove("d");
        assert_eq!(m.get("d"), None);

        let short: TtlMap<&str, u32> = TtlMap::new(3, Duration::ZERO);
        short.insert("x", 1);
        assert_eq!(short.get("x"), None, "expired at once");
        assert!(short.is_empty());
    }

    #[test]
    fn recent_ids_remember_a_bounded_number() {
        let r = RecentIds::new(2);
        assert!(r.first_sighting("1"));
        assert!(!r.first_sighting("1"));
        assert!(r.first_sighting("2"));
        assert!(r.first_sighting("3"));
        assert!(r.first_sighting("1"), "the oldest was forgotten");
        r.forget("3");
        assert!(r.first_sighting("3"));
    }
}
