//! Governance activities: a local community's proposal as `Create{Question}` when it opens and
//! `Update{Question}` when it is extended or closes (with a short `Page` announced for software
//! that cannot show a `Question`, such as Lemmy), its new rules as the community's `Update{Group}`, and our
//! members' ballots on a remote community's proposal as `Create{Note}`s to that community.
//! Ballots on our own proposals are never sent anywhere.

use super::{announce, queue, targets, url, Origin};
use crate::domain::events::{Event, PublishError};
use crate::domain::governance::{ballots, proposals, GovernanceError, Proposal, Status};
use crate::federation::objects::{ballot, notice, question};
use crate::federation::protocol::activities::CreateOrUpdate;
use crate::federation::protocol::values::{public, OneOrMany};
use crate::store::actors::{self, Actor};
use crate::store::communities::{self, Community};
use crate::store::DbConn;

fn failed(e: GovernanceError) -> PublishError {
    PublishError(e.to_string())
}

/// Queues what a governance event means for other instances.
pub fn queue_for_event(
    conn: &mut DbConn,
    origin: &Origin,
    event: Event,
) -> Result<(), PublishError> {
    match event {
        Event::ProposalOpened { proposal_id } => proposal(conn, origin, proposal_id, true),
        Event::ProposalExtended { proposal_id } | Event::ProposalClosed { proposal_id } => {
            proposal(conn, origin, proposal_id, false)
        }
        // The community's `Update{Group}` carries its rules.
        Event::RulesChanged { community_id } => {
            super::queue_for_event(conn, origin, Event::CommunityUpdated { community_id })
        }
        Event::BallotCast {
            proposal_id,
            voter_id,
        } => ballot_cast(conn, origin, proposal_id, voter_id),
        _ => Ok(()),
    }
}

fn community_of(conn: &mut DbConn, p: &Proposal) -> Result<(Community, Actor), PublishError> {
    Ok(communities::by_id(conn, p.community_id)?)
}

/// `Create{Question}` (opening) or `Update{Question}` (extension, close) from the community to
/// its remote followers and members, and the short `Page` beside it.
fn proposal(
    conn: &mut DbConn,
    origin: &Origin,
    proposal_id: i64,
    opened: bool,
) -> Result<(), PublishError> {
    let p = proposals::get(conn, proposal_id).map_err(failed)?;
    let (community, community_actor) = community_of(conn, &p)?;
    if !community.local {
        return Ok(());
    }
    let audience = targets::community_audience(conn, community.id, None)?;
    if audience.is_empty() {
        return Ok(());
    }
    let q = question::document(conn, p.id).map_err(failed)?;
    let group = url(&community_actor.ap_id)?;
    let followers = url(&format!("{}/followers", community_actor.ap_id))?;
    let (to, cc) = (
        OneOrMany::from(vec![group.clone(), public()]),
        OneOrMany::one(followers),
    );
    let kind = if opened { "create" } else { "update" };
    let id = url(&origin.instance.activity_id(kind))?;
    let mut activity = if opened {
        CreateOrUpdate::create(id.clone(), group.clone(), q, to.clone(), cc.clone())
    } else {
        CreateOrUpdate::update(id.clone(), group.clone(), q, to.clone(), cc.clone())
    };
    activity.audience = Some(group.clone());
    queue(conn, origin, &community_actor, &id, &activity, audience)?;
    if opened || p.status == Status::Closed {
        notice(conn, origin, &p, &community, &community_actor, opened)?;
    }
    Ok(())
}

/// The short `Page` for Lemmy and other software without `Question`: the proposal when it
/// opens, its outcome when it closes, announced by the community as its posts are (and served at
/// its id, see [`crate::federation::routes::proposals::notice`]).
fn notice(
    conn: &mut DbConn,
    origin: &Origin,
    p: &Proposal,
    community: &Community,
    community_actor: &Actor,
    opened: bool,
) -> Result<(), PublishError> {
    let page = notice::page(p, &community_actor.ap_id).map_err(failed)?;
    let id = url(&origin
        .instance
        .activity_id(if opened { "create" } else { "update" }))?;
    let (to, cc) = (page.to.clone(), page.cc.clone());
    let actor = url(&community_actor.ap_id)?;
    let activity = if opened {
        CreateOrUpdate::create(id, actor, page, to, cc)
    } else {
        CreateOrUpdate::update(id, actor, page, to, cc)
    };
    let inner = serde_json::to_value(&activity).map_err(|e| PublishError(e.to_string()))?;
    announce(conn, origin, community, community_actor, inner, None)
}

/// One of our people's ballot on a remote community's proposal, as the `Create{Note}`s a
/// Mastodon server would send, to the community's inbox, each with the hash of the receipt the
/// voter was shown here (`coop:receipt`).
fn ballot_cast(
    conn: &mut DbConn,
    origin: &Origin,
    proposal_id: i64,
    voter_id: i64,
) -> Result<(), PublishError> {
    let p = proposals::get(conn, proposal_id).map_err(failed)?;
    let (community, community_actor) = community_of(conn, &p)?;
    if community.local {
        return Ok(());
    }
    let voter = actors::by_id(conn, voter_id)?;
    let Some((choice, receipt_hash)) =
        ballots::my_ballot_and_receipt(conn, p.id, voter_id).map_err(failed)?
    else {
        return Ok(());
    };
    let voter_url = url(&voter.ap_id)?;
    let group = url(&community_actor.ap_id)?;
    let question_id = url(&p.ap_id)?;
    // One id per Note: the vote's id with the option's position appended.
    let base = url(&origin.instance.activity_id("vote"))?;
    let mut n = 0;
    let notes = ballot::notes(&p, &choice, &voter_url, &group, &question_id, || {
        n += 1;
        let mut id = base.clone();
        id.set_path(&format!("{}/{n}", base.path()));
        id
    });
    for mut note in notes {
        // The community counts the ballot under the receipt our voter was shown.
        note.receipt = Some(receipt_hash.clone());
        let id = url(&format!("{}/activity", note.id))?;
        let to = OneOrMany::one(group.clone());
        let create = CreateOrUpdate::create(
            id.clone(),
            voter_url.clone(),
            note,
            to,
            OneOrMany::default(),
        );
        queue(
            conn,
            origin,
            &voter,
            &id,
            &create,
            [targets::inbox_of(&community_actor)],
        )?;
    }
    Ok(())
}
