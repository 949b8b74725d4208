//! Finding a community on another instance from what a member types: `name@host`, `!name@host` or its URL.

use activitypub_federation::config::Data;
use activitypub_federation::fetch::object_id::ObjectId;
use activitypub_federation::fetch::webfinger::webfinger_resolve_actor;
use url::Url;

use super::error::FedError;
use super::objects::actor::ApubActor;
use crate::state::AppState;
use crate::store::{communities, instances, StoreError};

/// Resolves and stores a community; returns its id here.
pub async fn community(query: &str, data: &Data<AppState>) -> Result<i64, FedError> {
    let q = query.trim();
    if q.is_empty() || q.len() > 500 {
        return Err(FedError::Refused(
            "type a community's name@host or its address".into(),
        ));
    }
    let actor: ApubActor = if q.starts_with("http://") || q.starts_with("https://") {
        let url =
            Url::parse(q).map_err(|_| FedError::Refused("that address is not valid".into()))?;
        let host = super::config::host_of(&url)
            .ok_or_else(|| FedError::Refused("that address has no host".into()))?;
        super::policy::require_allowed(data, &host).await?;
        ObjectId::<ApubActor>::from(url).dereference(data).await?
    } else {
        let handle = q.trim_start_matches(['!', '@']);
        let (name, host) = handle
            .split_once('@')
            .ok_or_else(|| FedError::Refused("write the community as name@host".into()))?;
        if host.eq_ignore_ascii_case(&data.settings.hostname) {
            let name = name.to_lowercase();
            let local = data
                .db(move |c| {
                    Ok::<_, StoreError>(communities::local_by_name(c, &name)?.map(|(c, _)| c.id))
                })
                .await?;
            return local.ok_or(FedError::NotFound);
        }
        super::policy::require_allowed(data, &host.to_lowercase()).await?;
        webfinger_resolve_actor::<AppState, ApubActor>(handle, data)
            .await
            .map_err(unknown_name)?
    };
    // The actor may live elsewhere than the name said (a redirect, an alias).
    super::policy::require_allowed(data, &actor.row.domain).await?;
    let domain = actor.row.domain.clone();
    data.db(move |c| Ok::<_, StoreError>(instances::contacted(c, &domain)?))
        .await?;
    if actor.row.kind != "group" {
        return Err(FedError::Refused("that is not a community".into()));
    }
    let actor_id = actor.row.id;
    data.db(move |c| Ok::<_, StoreError>(communities::by_actor(c, actor_id)?.map(|(c, _)| c.id)))
        .await?
        .ok_or(FedError::NotFound)
}

/// A WebFinger answer that is not a WebFinger document is the peer's "no
/// such name" (a 404 with an error body): say so, not "unreadable".
fn unknown_name(e: FedError) -> FedError {
    match e {
        FedError::Federation(activitypub_federation::error::Error::ParseFetchedObject(..)) => {
            FedError::NotFound
        }
        other => other,
    }
}
