//! Collections peers read: a community's outbox (recent posts, as Lemmy backfills) and this instance's community directory.

use activitypub_federation::config::Data;
use actix_web::{web, HttpResponse};
use serde::Serialize;
use url::Url;

use super::objects::activity_json;
use crate::federation::error::FedError;
use crate::federation::objects::content;
use crate::federation::protocol::activities::{Announce, CreateOrUpdate};
use crate::federation::protocol::values::{public, OneOrMany};
use crate::state::AppState;
use crate::store::posts::{self, Scope, Sort};
use crate::store::{communities, StoreError};

/// Posts shown in a community's outbox.
pub const OUTBOX_ITEMS: i64 = 20;

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct OrderedCollection<T> {
    id: String,
    #[serde(rename = "type")]
    kind: &'static str,
    total_items: usize,
    ordered_items: Vec<T>,
}

fn url(s: &str) -> Result<Url, FedError> {
    Ok(Url::parse(s)?)
}

/// `/c/{name}/outbox`: the latest posts, each as the community's `Announce{Create{Page}}`.
pub async fn group_outbox(
    data: Data<AppState>,
    name: web::Path<String>,
) -> Result<HttpResponse, FedError> {
    let name = name.into_inner();
    let (ap_id, items) = data
        .db(move |c| {
            let (community, actor) = communities::local_by_name(c, &name)?
                .ok_or(StoreError::Query(diesel::result::Error::NotFound))?;
            let rows = posts::feed(
                c,
                &Scope::Communities(vec![community.id]),
                &[],
                Sort::New,
                None,
                OUTBOX_ITEMS,
            )?;
            let mut items = Vec::with_capacity(rows.len());
            for p in rows {
                let ctx =
                    content::post_context(c, p.id).map_err(|e| StoreError::Task(e.to_string()))?;
                items.push(ctx);
            }
            Ok::<_, StoreError>((actor.ap_id, items))
        })
        .await
        .map_err(|e| match e {
            StoreError::Query(diesel::result::Error::NotFound) => FedError::NotFound,
            other => other.into(),
        })?;
    let community = url(&ap_id)?;
    let followers = url(&format!("{ap_id}/followers"))?;
    let mut ordered = Vec::with_capacity(items.len());
    for ctx in &items {
        let page = content::page(ctx).map_err(|e| FedError::Domain(e.to_string()))?;
        // Stable ids, so a peer reading the outbox twice de-duplicates.
        let create_id = url(&format!("{}/create", ctx.post.ap_id))?;
        let create = CreateOrUpdate::create(
            create_id,
            url(&ctx.author.ap_id)?,
            page,
            vec![community.clone(), public()].into(),
            OneOrMany::default(),
        );
        let announce_id = url(&format!("{}/announce", ctx.post.ap_id))?;
        ordered.push(Announce::new(
            announce_id,
            community.clone(),
            create,
            followers.clone(),
        ));
    }
    activity_json(OrderedCollection {
        id: format!("{ap_id}/outbox"),
        kind: "OrderedCollection",
        total_items: ordered.len(),
        ordered_items: ordered,
    })
}

/// `/communities`: the ids of this instance's communities, for co-op
/// instances that follow this one as a whole.
pub async fn directory(data: Data<AppState>) -> Result<HttpResponse, FedError> {
    let ids = data
        .db(|c| {
            Ok::<_, StoreError>(
                communities::list(c, true)?
                    .into_iter()
                    .map(|(_, a)| a.ap_id)
                    .collect::<Vec<_>>(),
            )
        })
        .await?;
    activity_json(OrderedCollection {
        id: format!("{}/communities", data.instance.base_url),
        kind: "OrderedCollection",
        total_items: ids.len(),
        ordered_items: ids,
    })
}
