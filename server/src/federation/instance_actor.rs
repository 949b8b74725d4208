//! The co-op instance's own actor (`Application`): signs instance-level fetches and activities.

use crate::domain::keys;
use crate::startup::StartError;
use crate::state::AppState;
use crate::store::actors::{self, Actor, NewActor};
use crate::store::{self, StoreError};

/// `{base}/actor`, as Mastodon does it.
pub fn id(state: &AppState) -> String {
    format!("{}/actor", state.instance.base_url)
}

/// Creates the instance actor and its keys on first start.
pub async fn ensure(state: &AppState) -> Result<Actor, StartError> {
    let ap_id = id(state);
    let instance = state.instance.clone();
    let actor = state
        .db(move |c| {
            if let Some(a) = actors::by_ap_id(c, &ap_id)? {
                return Ok(a);
            }
            let keys = keys::generate().map_err(|e| StoreError::Task(e.to_string()))?;
            let now = store::now();
            let inbox = format!("{}/inbox", instance.base_url);
            Ok::<_, StoreError>(actors::insert(
                c,
                &NewActor {
                    ap_id: &ap_id,
                    kind: "application",
                    name: &instance.domain,
                    domain: &instance.domain,
                    local: true,
                    display_name: None,
                    summary: None,
                    inbox_url: &inbox,
                    shared_inbox_url: Some(&inbox),
                    public_key_pem: &keys.public_pem,
                    private_key_pem: Some(&keys.private_pem),
                    created_at: now,
                    updated_at: now,
                    last_refreshed_at: now,
                    followers_url: None,
                    outbox_url: None,
                },
            )?)
        })
        .await?;
    Ok(actor)
}
