//! Counted receipts between instances: a local proposal's published list as a paged
//! `OrderedCollection` at `<proposal>/receipts`, and fetching a remote community's list into our
//! copy of its proposal so that our members can check their receipts here.
//!
//! The close's `coop:outcome` names the list (`receipts`) instead of carrying it: a count of
//! 10,000 ballots lists 670 KB of hashes, more than an inbox takes in one activity.

use activitypub_federation::config::Data;
use serde_json::Value;
use url::Url;

use super::error::FedError;
use super::protocol::objects::{Collection, CollectionType};
use crate::domain::governance::receipts::{self, MissingList, PAGE_SIZE};
use crate::domain::governance::{proposals, Checked, GovernanceError, Proposal, ReceiptCheck};
use crate::state::AppState;
use crate::store::DbConn;

/// Most pages read from one remote list: a million ballots.
const MAX_PAGES: usize = 1000;

/// The address of a local proposal's counted receipts.
pub fn collection_id(p: &Proposal) -> String {
    format!("{}/receipts", p.ap_id)
}

/// The collection (`page` `None`: its size and first page) or one of its pages (from 1) of a
/// local closed proposal's counted receipt hashes; `None` while none are published, and for a
/// page number below 1 (there is no such page).
pub fn document(
    conn: &mut DbConn,
    p: &Proposal,
    page: Option<i64>,
) -> Result<Option<Collection>, FedError> {
    if page.is_some_and(|n| n < 1) {
        return Ok(None);
    }
    let id = Url::parse(&collection_id(p))?;
    let at = |n: i64| -> Result<Url, FedError> {
        let mut u = id.clone();
        u.set_query(Some(&format!("page={n}")));
        Ok(u)
    };
    let number = page.unwrap_or(1);
    let Some((items, total)) = receipts::page(conn, p, number - 1)? else {
        return Ok(None);
    };
    let total_items = Some(u64::try_from(total).unwrap_or(0));
    let Some(number) = page else {
        return Ok(Some(Collection {
            kind: CollectionType::OrderedCollection,
            first: (total > 0).then(|| at(1)).transpose()?,
            id,
            total_items,
            ordered_items: None,
            items: None,
            next: None,
            part_of: None,
        }));
    };
    Ok(Some(Collection {
        kind: CollectionType::OrderedCollectionPage,
        id: at(number)?,
        total_items,
        ordered_items: Some(items.into_iter().map(Value::String).collect()),
        items: None,
        first: None,
        next: (number.saturating_mul(PAGE_SIZE) < total)
            .then(|| at(number + 1))
            .transpose()?,
        part_of: Some(id),
    }))
}

/// Fetches the counted receipts our copy of a remote closed proposal lacks, if it lacks any,
/// from its community's instance. Returns how many are stored now.
pub async fn fetch_missing(data: &Data<AppState>, proposal_id: i64) -> Result<usize, FedError> {
    let missing = data
        .db(move |c| {
            let p = proposals::get(c, proposal_id)?;
            receipts::missing(c, &p)
        })
        .await
        .map_err(FedError::from)?;
    let Some(MissingList { url, ballots }) = missing else {
        return Ok(0);
    };
    let hashes = fetch_list(data, &url, usize::try_from(ballots).unwrap_or(usize::MAX)).await?;
    let stored = data
        .db(move |c| receipts::take_remote(c, proposal_id, hashes))
        .await?;
    Ok(stored)
}

/// Reads the list at `url` page by page (every page on its host), at most `most` hashes.
async fn fetch_list(
    data: &Data<AppState>,
    url: &str,
    most: usize,
) -> Result<Vec<String>, FedError> {
    let start = Url::parse(url)?;
    let collection = fetch(data, &start).await?;
    let mut hashes = Vec::new();
    take(&mut hashes, &collection, most);
    let mut next = collection.first.or(collection.next);
    let mut pages = 0;
    while let Some(page) = next.take() {
        if pages == MAX_PAGES || hashes.len() >= most || page.host_str() != start.host_str() {
            break;
        }
        let doc = fetch(data, &page).await?;
        take(&mut hashes, &doc, most);
        next = doc.next;
        pages += 1;
    }
    Ok(hashes)
}

async fn fetch(data: &Data<AppState>, url: &Url) -> Result<Collection, FedError> {
    // Each page is one request; the limit on requests is per activity, not per list.
    let data = data.reset_request_count();
    Ok(
        activitypub_federation::fetch::fetch_object_http::<_, Collection>(url, &data)
            .await?
            .object,
    )
}

fn take(hashes: &mut Vec<String>, doc: &Collection, most: usize) {
    let items = doc.ordered_items.iter().chain(doc.items.iter()).flatten();
    let room = most.saturating_sub(hashes.len());
    hashes.extend(
        items
            .filter_map(Value::as_str)
            .map(str::to_owned)
            .take(room),
    );
}

/// Checks a receipt against a proposal's count; for our copy of a remote proposal, first
/// fetches the counted receipts if they have not arrived yet.
pub async fn check(
    data: &Data<AppState>,
    proposal_id: i64,
    receipt: String,
) -> Result<ReceiptCheck, GovernanceError> {
    let again = receipt.clone();
    match data
        .db(move |c| receipts::check(c, proposal_id, &receipt))
        .await?
    {
        Checked::Done(r) => return Ok(r),
        Checked::Missing(list) => {
            if let Err(e) = fetch_missing(data, proposal_id).await {
                tracing::info!(list = %list.url, error = %e, "could not fetch counted receipts");
            }
        }
    }
    match data
        .db(move |c| receipts::check(c, proposal_id, &again))
        .await?
    {
        Checked::Done(r) => Ok(r),
        Checked::Missing(_) => Err(GovernanceError::Conflict(
            "The community's instance has not yet sent its list of counted receipts; try again later."
                .into(),
        )),
    }
}
