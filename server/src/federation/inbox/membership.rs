//! Incoming follows, joins, leaves and actor updates.

use activitypub_federation::config::Data;
use url::Url;

use crate::domain::communities::{follow, membership};
use crate::federation::error::FedError;
use crate::federation::objects::actor::{store_remote, ActorDocument, ApubActor};
use crate::federation::protocol::activities::{Follow, Join, Leave, Undo};
use crate::federation::protocol::objects::{Group, Person};
use crate::state::AppState;
use crate::store::{communities, follows, memberships};

/// Someone follows one of our communities: accepted at once.
pub async fn follow(f: Follow, signer: ApubActor, data: &Data<AppState>) -> Result<(), FedError> {
    let publisher = data.publisher.clone();
    data.db(move |c| {
        let Some((community, _)) = communities::by_ap_id(c, f.object.as_str())? else {
            return Ok(());
        };
        if community.local {
            follow::remote_follow(c, &*publisher, community.id, signer.row.id, f.id.as_str())?;
        }
        Ok(())
    })
    .await
}

/// A community answered one of our people's `Follow`.
pub async fn follow_answered(
    follow_id: Url,
    signer: ApubActor,
    accepted: bool,
    data: &Data<AppState>,
) -> Result<(), FedError> {
    data.db(move |c| {
        let Some(f) = follows::by_activity_id(c, follow_id.as_str())? else {
            return Ok(());
        };
        let (community, _) = communities::by_id(c, f.community_id)?;
        if community.actor_id != signer.row.id {
            return Err(FedError::Refused(
                "only the followed community may answer".into(),
            ));
        }
        if accepted {
            follow::remote_follow_accepted(c, community.id, f.follower_id)?;
        } else {
            follows::delete(c, community.id, f.follower_id)?;
        }
        Ok(())
    })
    .await
}

pub async fn unfollow(
    u: Undo<Follow>,
    signer: ApubActor,
    data: &Data<AppState>,
) -> Result<(), FedError> {
    if u.object.actor != signer.url {
        return Err(FedError::Refused(
            "only the follower may undo a follow".into(),
        ));
    }
    data.db(move |c| {
        if let Some((community, _)) = communities::by_ap_id(c, u.object.object.as_str())? {
            follow::remote_unfollow(c, community.id, signer.row.id)?;
        }
        Ok(())
    })
    .await
}

/// Someone asks to become a member of one of our communities.
pub async fn join(j: Join, signer: ApubActor, data: &Data<AppState>) -> Result<(), FedError> {
    let publisher = data.publisher.clone();
    data.db(move |c| {
        let Some((community, _)) = communities::by_ap_id(c, j.object.as_str())? else {
            return Ok(());
        };
        if !community.local {
            return Ok(());
        }
        let req = membership::JoinRequest {
            class: j.class.clone(),
            application: j.summary.clone(),
            activity_id: Some(j.id.to_string()),
        };
        membership::request_join(c, &*publisher, community.id, signer.row.id, &req)?;
        Ok(())
    })
    .await
}

/// A community answered one of our people's `Join`.
pub async fn join_answered(
    join_id: Url,
    joiner: Option<Url>,
    signer: ApubActor,
    accepted: bool,
    data: &Data<AppState>,
) -> Result<(), FedError> {
    data.db(move |c| {
        let m = match memberships::by_join_activity(c, join_id.as_str())? {
            Some(m) => Some(m),
            None => match (joiner, communities::by_actor(c, signer.row.id)?) {
                (Some(person), Some((community, _))) => {
                    match crate::store::actors::by_ap_id(c, person.as_str())? {
                        Some(p) => memberships::find(c, community.id, p.id)?,
                        None => None,
                    }
                }
                _ => None,
            },
        };
        let Some(m) = m else { return Ok(()) };
        let (community, _) = communities::by_id(c, m.community_id)?;
        if community.actor_id != signer.row.id {
            return Err(FedError::Refused(
                "only the community may answer a join".into(),
            ));
        }
        membership::remote_decision(c, community.id, m.person_id, accepted)?;
        Ok(())
    })
    .await
}

pub async fn leave(l: Leave, signer: ApubActor, data: &Data<AppState>) -> Result<(), FedError> {
    data.db(move |c| {
        if let Some((community, _)) = communities::by_ap_id(c, l.object.as_str())? {
            if community.local {
                membership::remote_left(c, community.id, signer.row.id)?;
            }
        }
        Ok(())
    })
    .await
}

pub async fn group_updated(
    group: Group,
    signer: ApubActor,
    data: &Data<AppState>,
) -> Result<(), FedError> {
    if group.id != signer.url {
        return Err(FedError::Refused(
            "a community may only update itself".into(),
        ));
    }
    store_actor(ActorDocument::Group(Box::new(group)), data).await
}

pub async fn person_updated(
    person: Person,
    signer: ApubActor,
    data: &Data<AppState>,
) -> Result<(), FedError> {
    if person.id != signer.url {
        return Err(FedError::Refused(
            "a person may only update themselves".into(),
        ));
    }
    store_actor(ActorDocument::Person(Box::new(person)), data).await
}

/// Stores an actor's new document and drops its cached key (it may have changed).
async fn store_actor(doc: ActorDocument, data: &Data<AppState>) -> Result<(), FedError> {
    let id = doc.id().to_string();
    data.db(move |c| store_remote(c, &doc).map(|_| ())).await?;
    data.inbox.keys.remove(id.as_str());
    Ok(())
}
