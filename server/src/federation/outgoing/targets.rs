//! Who receives an outgoing activity: inboxes, de-duplicated, grouped by instance, minus blocked ones.

use std::collections::BTreeSet;

use url::Url;

use crate::federation::config::host_of;
use crate::store::actors::Actor;
use crate::store::{follows, instances, memberships, DbConn};

/// Where to deliver to an actor: its shared inbox when it has one.
pub fn inbox_of(actor: &Actor) -> String {
    actor
        .shared_inbox_url
        .clone()
        .unwrap_or_else(|| actor.inbox_url.clone())
}

/// Remote followers and members of a local community, except those on `skip_host`
/// (the instance an activity came from already has it).
pub fn community_audience(
    conn: &mut DbConn,
    community_id: i64,
    skip_host: Option<&str>,
) -> diesel::QueryResult<BTreeSet<String>> {
    let mut inboxes = BTreeSet::new();
    for actor in follows::remote_followers(conn, community_id)? {
        inboxes.insert(inbox_of(&actor));
    }
    for (m, actor) in memberships::list(conn, community_id, "active")? {
        if !actor.local && m.is_active() {
            inboxes.insert(inbox_of(&actor));
        }
    }
    if let Some(skip) = skip_host {
        inboxes.retain(|i| Url::parse(i).ok().and_then(|u| host_of(&u)).as_deref() != Some(skip));
    }
    Ok(inboxes)
}

/// Turns inbox URLs into queue targets: (instance id, inbox), skipping our
/// own host, unparsable URLs and blocked instances.
pub fn resolve(
    conn: &mut DbConn,
    own_host: &str,
    allowlist_only: bool,
    inboxes: impl IntoIterator<Item = String>,
) -> diesel::QueryResult<Vec<(i64, String)>> {
    let mut out = Vec::new();
    for inbox in inboxes {
        let Some(host) = Url::parse(&inbox).ok().and_then(|u| host_of(&u)) else {
            continue;
        };
        if host.eq_ignore_ascii_case(own_host) {
            continue;
        }
        let instance = instances::ensure(conn, &host)?;
        let allowed = match instance.policy.as_str() {
            "block" => false,
            "allow" => true,
            _ => !allowlist_only,
        };
        if allowed {
            out.push((instance.id, inbox));
        }
    }
    Ok(out)
}
