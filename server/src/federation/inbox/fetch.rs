//! Fetching a document the inbox needs but was not sent: a reply's unknown parent, an announced id.

use activitypub_federation::config::Data;
use url::Url;

use crate::federation::error::FedError;
use crate::state::AppState;

/// The JSON document at `url`, fetched from its origin (signed, through the
/// instance policy and, outside debug mode, never from private addresses).
/// The federation crate checks that the document's `id` is the URL it was
/// served from, so what comes back speaks for its own origin.
pub async fn document(url: &Url, data: &Data<AppState>) -> Result<serde_json::Value, FedError> {
    let fetched =
        activitypub_federation::fetch::fetch_object_http::<_, serde_json::Value>(url, data).await?;
    Ok(fetched.object)
}
