//! A community's rules on its `Group` document (`coop:rules`, `coop:rulesVersion`): ours as we
//! publish them, a remote community's taken as our copy.

use crate::domain::governance::remote::{self, RemoteRule};
use crate::domain::governance::rules;
use crate::domain::governance::GovernanceError;
use crate::federation::protocol::objects::{Group, Rule};
use crate::store::DbConn;

/// Adds a local community's rules in force to its `Group` (nothing before its first rules).
pub fn publish(conn: &mut DbConn, community_id: i64, g: &mut Group) -> Result<(), GovernanceError> {
    let current = rules::current(conn, community_id)?;
    if current.version == 0 {
        return Ok(());
    }
    g.rules = Some(
        current
            .numbered()
            .into_iter()
            .map(|r| Rule {
                id: Some(r.id),
                number: u32::try_from(r.number).unwrap_or(u32::MAX),
                title: r.title,
                content: r.text,
            })
            .collect(),
    );
    g.rules_version = u64::try_from(current.version).ok();
    Ok(())
}

/// Takes the rules a remote community's `Group` carries as our copy's newest version. Returns
/// whether they were new.
pub fn mirror(conn: &mut DbConn, community_id: i64, g: &Group) -> Result<bool, GovernanceError> {
    let (Some(list), Some(version)) = (&g.rules, g.rules_version) else {
        return Ok(false);
    };
    let mut list = list.clone();
    list.sort_by_key(|r| r.number);
    let published: Vec<RemoteRule> = list
        .into_iter()
        .map(|r| RemoteRule {
            id: r.id,
            title: r.title,
            text: r.content,
        })
        .collect();
    let version = i64::try_from(version)
        .map_err(|_| GovernanceError::Invalid("Unreadable rules version.".into()))?;
    remote::mirror_rules(conn, community_id, version, &published)
}
