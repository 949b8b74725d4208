//! The instance actor (`Application`, or `Service`): one per co-op, signs instance-level fetches and activities.

use serde::{Deserialize, Serialize};
use url::Url;

use crate::federation::protocol::values::{
    impl_has_id, Endpoints, HasId, Image, LanguageTag, MediaType, OneOrMany, PublicKey, Source,
    Timestamp,
};

/// `type` of an instance actor.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum InstanceType {
    /// What we and Lemmy send.
    Application,
    /// What some other software sends.
    Service,
}

/// An instance actor document.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Instance {
    /// `Application` when we send it.
    #[serde(rename = "type")]
    pub kind: InstanceType,
    /// Actor id (Lemmy uses the site root, `https://host/`).
    pub id: Url,
    /// Site name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Usually the host name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub preferred_username: Option<String>,
    /// Short description.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub summary: Option<String>,
    /// Sidebar, HTML (Lemmy).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub content: Option<String>,
    /// Media type of `content`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub media_type: Option<MediaType>,
    /// Sidebar as written.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<Source>,
    /// Icon.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub icon: Option<Image>,
    /// Banner.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image: Option<Image>,
    /// Instance inbox.
    pub inbox: Url,
    /// Outbox.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub outbox: Option<Url>,
    /// `sharedInbox` lives here.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub endpoints: Option<Endpoints>,
    /// Key for HTTP signatures.
    pub public_key: PublicKey,
    /// Languages of the site.
    #[serde(default, skip_serializing_if = "OneOrMany::is_empty")]
    pub language: OneOrMany<LanguageTag>,
    /// Creation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub published: Option<Timestamp>,
    /// Last change.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub updated: Option<Timestamp>,
}

impl_has_id!(Instance);

impl Instance {
    /// An `Application` with the required fields; fill the rest as needed.
    pub fn new(id: Url, inbox: Url, public_key: PublicKey) -> Self {
        Self {
            kind: InstanceType::Application,
            id,
            name: None,
            preferred_username: None,
            summary: None,
            content: None,
            media_type: None,
            source: None,
            icon: None,
            image: None,
            inbox,
            outbox: None,
            endpoints: None,
            public_key,
            language: OneOrMany::default(),
            published: None,
            updated: None,
        }
    }
}
