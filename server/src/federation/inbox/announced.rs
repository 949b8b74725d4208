//! What a community we follow forwards to us: an embedded activity (Lemmy), an object (Mastodon) or only an id.

use activitypub_federation::config::Data;
use activitypub_federation::protocol::verification::verify_domains_match;

use super::content::{author_of, delete, like, note, page, unlike};
use super::fetch;
use crate::federation::error::FedError;
use crate::federation::objects::actor::ApubActor;
use crate::federation::protocol::activities::{Announce, Announced};
use crate::federation::protocol::inbox::IgnoreReason;
use crate::federation::protocol::objects::ApObject;
use crate::federation::protocol::InboxActivity;
use crate::state::AppState;
use crate::store::communities::{self, Community};
use crate::store::{activities, posts, StoreError};

/// A community we follow forwards an activity (or an object) to us.
pub async fn announced(
    a: Announce<Announced>,
    signer: ApubActor,
    data: &Data<AppState>,
) -> Result<(), FedError> {
    let signer_url = signer.url.clone();
    let community = data
        .db(move |c| {
            Ok::<_, StoreError>(communities::by_ap_id(c, signer_url.as_str())?.map(|(c, _)| c))
        })
        .await?;
    let Some(community) = community.filter(|c| !c.local) else {
        return Ok(());
    };
    let object = match a.object {
        // Only an id: fetch it from its origin, then handle what it is.
        Announced::Id(url) => {
            let document = fetch::document(&url, data).await?;
            match InboxActivity::from_value(&document) {
                Ok(InboxActivity::Ignored {
                    reason: IgnoreReason::NotAnActivity,
                    ..
                }) => Announced::Object(Box::new(
                    ApObject::from_value(&document)
                        .map_err(|e| FedError::Refused(e.to_string()))?,
                )),
                Ok(activity) => Announced::Activity(Box::new(activity)),
                Err(e) => return Err(FedError::Refused(e.to_string())),
            }
        }
        other => other,
    };
    match object {
        Announced::Activity(inner) => activity(*inner, community, data).await,
        Announced::Object(object) => self::object(*object, community, data).await,
        Announced::Id(_) => Ok(()),
    }
}

/// An announced activity, handled as if its own actor had sent it, once.
async fn activity(
    inner: InboxActivity,
    community: Community,
    data: &Data<AppState>,
) -> Result<(), FedError> {
    let (Some(id), Some(actor)) = (inner.id().cloned(), inner.actor().cloned()) else {
        return Ok(());
    };
    verify_domains_match(&id, &actor)?;
    let seen = id.to_string();
    let first = data
        .db(move |c| Ok::<_, StoreError>(activities::first_sighting(c, &seen)?))
        .await?;
    if !first {
        return Ok(());
    }
    let via = Some(community);
    let raw = serde_json::Value::Null;
    match inner {
        InboxActivity::CreatePage(c) | InboxActivity::UpdatePage(c) => {
            page(c.object, &actor, raw, via, data).await
        }
        InboxActivity::CreateNote(c) | InboxActivity::UpdateNote(c) => {
            note(c.object, &actor, raw, via, data).await
        }
        InboxActivity::Delete(d) => delete(d.object.id.clone(), &actor, raw, via, data).await,
        InboxActivity::LikeOrDislike(l) => like(l, &actor, via, data).await,
        InboxActivity::UndoLikeOrDislike(u) => unlike(u, &actor, via, data).await,
        _ => Ok(()),
    }
}

/// An announced post or comment (Mastodon-style boosts by the Group).
async fn object(
    object: ApObject,
    community: Community,
    data: &Data<AppState>,
) -> Result<(), FedError> {
    match object {
        ApObject::Page(p) => {
            let author = author_of(&p.attributed_to)?;
            let known = p.id.to_string();
            let exists = data
                .db(move |c| Ok::<_, StoreError>(posts::by_ap_id(c, &known)?.is_some()))
                .await?;
            if exists {
                return Ok(());
            }
            page(*p, &author, serde_json::Value::Null, Some(community), data).await
        }
        ApObject::Note(n) => {
            let author = author_of(&n.attributed_to)?;
            note(*n, &author, serde_json::Value::Null, Some(community), data).await
        }
        _ => Ok(()),
    }
}
