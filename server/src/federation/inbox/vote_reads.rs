//! What one batch of incoming likes and dislikes reads once and shares: the
//! posts and comments voted on, their communities, who may vote there, and
//! the audience a local community forwards the votes to; and the targets to
//! recount once the batch's votes are written.
//!
//! Nothing a vote does changes these reads (a refused vote leaves nothing
//! written), and the batch is one write transaction, so
//! reading them once per batch answers as reading them per vote would.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::rc::Rc;

use crate::domain::content::{may_take_part, remote, ContentError};
use crate::federation::error::FedError;
use crate::federation::outgoing::targets;
use crate::store::actors::Actor;
use crate::store::communities::{self, Community};
use crate::store::votes::{self, Target};
use crate::store::DbConn;

/// A community and its actor.
pub type CommunityRow = Rc<(Community, Actor)>;

#[derive(Default)]
pub struct BatchReads {
    /// By object id: the target and its community id (`None`: unknown or deleted).
    targets: HashMap<String, Option<(Target, i64)>>,
    communities: HashMap<i64, CommunityRow>,
    /// By (community id, actor id): a member or follower.
    allowed: HashMap<(i64, i64), bool>,
    /// By (community id, host left out): the inboxes a forward goes to.
    audiences: HashMap<(i64, Option<String>), Rc<BTreeSet<String>>>,
    /// Targets whose votes changed, to recount at the end.
    touched: HashSet<Target>,
}

impl BatchReads {
    /// The post or comment `object` names, and its community id.
    pub fn target(
        &mut self,
        c: &mut DbConn,
        object: &str,
    ) -> Result<Option<(Target, i64)>, FedError> {
        if let Some(found) = self.targets.get(object) {
            return Ok(*found);
        }
        let found = remote::target_of(c, object)?;
        self.targets.insert(object.to_string(), found);
        Ok(found)
    }

    pub fn community(&mut self, c: &mut DbConn, id: i64) -> Result<CommunityRow, FedError> {
        if let Some(row) = self.communities.get(&id) {
            return Ok(row.clone());
        }
        let row = Rc::new(communities::by_id(c, id)?);
        self.communities.insert(id, row.clone());
        Ok(row)
    }

    /// Whether `actor` is a member or follower of `community` (see `may_take_part`).
    pub fn may_take_part(
        &mut self,
        c: &mut DbConn,
        community: i64,
        actor: i64,
    ) -> Result<bool, ContentError> {
        if let Some(&allowed) = self.allowed.get(&(community, actor)) {
            return Ok(allowed);
        }
        let allowed = may_take_part(c, community, actor)?;
        self.allowed.insert((community, actor), allowed);
        Ok(allowed)
    }

    /// The remote followers' and members' inboxes of a local community, but those on `skip`.
    pub fn audience(
        &mut self,
        c: &mut DbConn,
        community: i64,
        skip: Option<String>,
    ) -> Result<Rc<BTreeSet<String>>, FedError> {
        let key = (community, skip);
        if let Some(found) = self.audiences.get(&key) {
            return Ok(found.clone());
        }
        let found = Rc::new(targets::community_audience(c, community, key.1.as_deref())?);
        self.audiences.insert(key, found.clone());
        Ok(found)
    }

    /// Remembers that `target`'s votes changed.
    pub fn touch(&mut self, target: Target) {
        self.touched.insert(target);
    }

    /// Recounts every target whose votes changed, once each.
    pub fn recount(&mut self, c: &mut DbConn) -> Result<(), FedError> {
        for target in self.touched.drain() {
            votes::recount(c, target)?;
        }
        Ok(())
    }
}
