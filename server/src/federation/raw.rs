//! A queued activity as stored: any JSON with an `id` and an `actor`, signed and sent as it is.

use activitypub_federation::config::Data;
use activitypub_federation::traits::Activity;
use async_trait::async_trait;
use serde::{Deserialize, Serialize};
use url::Url;

use super::error::FedError;
use crate::state::AppState;

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct RawActivity {
    pub id: Url,
    pub actor: Url,
    #[serde(flatten)]
    pub rest: serde_json::Map<String, serde_json::Value>,
}

/// Outgoing only: the queue signs and sends these; the inbox never receives them.
#[async_trait]
impl Activity for RawActivity {
    type DataType = AppState;
    type Error = FedError;

    fn id(&self) -> &Url {
        &self.id
    }

    fn actor(&self) -> &Url {
        &self.actor
    }

    async fn verify(&self, _data: &Data<AppState>) -> Result<(), FedError> {
        Err(FedError::Refused(
            "queued activities are only sent, never received".into(),
        ))
    }

    async fn receive(self, _data: &Data<AppState>) -> Result<(), FedError> {
        Err(FedError::Refused(
            "queued activities are only sent, never received".into(),
        ))
    }
}
