//! Following another co-op instance as a whole: the admin names its host, and
//! its public communities become known here (the network view).

use activitypub_federation::config::Data;
use activitypub_federation::fetch::object_id::ObjectId;
use serde::Deserialize;
use url::Url;

use super::error::FedError;
use super::objects::actor::ApubActor;
use crate::state::AppState;
use crate::store::{instances, StoreError};

/// At most this many communities are taken from one instance's directory.
pub const MAX_COMMUNITIES: usize = 200;

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Directory {
    #[serde(default)]
    ordered_items: Vec<Url>,
}

/// Marks `host` followed and learns its communities; returns how many.
pub async fn follow_instance(host: &str, data: &Data<AppState>) -> Result<usize, FedError> {
    let host = super::policy::normalise_host(host, &data.settings.hostname)?;
    super::policy::require_allowed(data, &host).await?;
    let directory = Url::parse(&format!("{}://{host}/communities", data.settings.scheme()))?;
    let fetched: Directory = activitypub_federation::fetch::fetch_object_http(&directory, data)
        .await?
        .object;
    let h = host.clone();
    data.db(move |c| {
        instances::set_followed(c, &h, true)?;
        Ok::<_, StoreError>(instances::contacted(c, &h)?)
    })
    .await?;
    let mut known = 0;
    for id in fetched.ordered_items.into_iter().take(MAX_COMMUNITIES) {
        if super::config::host_of(&id).as_deref() != Some(host.as_str()) {
            continue;
        }
        match ObjectId::<ApubActor>::from(id.clone())
            .dereference(data)
            .await
        {
            Ok(actor) if actor.row.kind == "group" => known += 1,
            Ok(_) => {}
            Err(e) => {
                tracing::info!(community = %id, error = %e, "could not fetch a community of a followed instance")
            }
        }
    }
    Ok(known)
}

pub async fn unfollow_instance(host: &str, data: &Data<AppState>) -> Result<(), FedError> {
    let host = host.trim().to_lowercase();
    data.db(move |c| Ok::<_, StoreError>(instances::set_followed(c, &host, false)?))
        .await?;
    Ok(())
}

/// The network view: each followed instance with the communities known from it.
pub fn communities(
    conn: &mut crate::store::DbConn,
) -> Result<Vec<(String, Vec<crate::store::communities::WithActor>)>, StoreError> {
    let mut out = Vec::new();
    for host in instances::followed_hosts(conn)? {
        let list = crate::store::communities::remote_on_host(conn, &host)?;
        out.push((host, list));
    }
    Ok(out)
}
