//! The JSON-LD `@context` we send, its namespaces, and `WithContext<T>` to wrap an outgoing document with it.
//!
//! Every non-standard key we emit is declared here: the Lemmy/Mastodon terms
//! (so that processors read `sensitive`, `stickied`, … as those projects do)
//! and our `coop:` extensions. Structured `coop:` values (`coop:proposal`,
//! `coop:outcome`, `coop:rules`) are JSON literals (`@type: @json`, JSON-LD
//! 1.1), so their inner keys need no declaration.

use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

/// ActivityStreams context URL.
pub const ACTIVITYSTREAMS: &str = "https://www.w3.org/ns/activitystreams";
/// Security vocabulary (`publicKey`, `publicKeyPem`, …).
pub const SECURITY_V1: &str = "https://w3id.org/security/v1";
/// Our extension namespace, the `coop:` prefix.
pub const COOP_NS: &str = "https://chicommons.coop/ns#";
/// Lemmy's namespace, the `lemmy:` prefix.
pub const LEMMY_NS: &str = "https://join-lemmy.org/ns#";
/// Mastodon's namespace, the `toot:` prefix.
pub const MASTODON_NS: &str = "http://joinmastodon.org/ns#";
/// PeerTube's namespace, the `pt:` prefix.
pub const PEERTUBE_NS: &str = "https://joinpeertube.org/ns#";
/// LitePub's namespace, the `litepub:` prefix.
pub const LITEPUB_NS: &str = "http://litepub.social/ns#";
/// schema.org, the `sc:` prefix.
pub const SCHEMA_NS: &str = "http://schema.org/";

/// Every `coop:` key we emit, each declared by [`context`].
pub const COOP_TERMS: &[&str] = &[
    "coop:joinPolicy",
    "coop:stakeholderClasses",
    "coop:stakeholderClass",
    "coop:rules",
    "coop:rulesVersion",
    "coop:proposal",
    "coop:outcome",
    "coop:ranking",
    "coop:choices",
    "coop:scores",
    "coop:receipt",
];

/// The `@context` of every document we send.
pub fn context() -> Value {
    json!([
        ACTIVITYSTREAMS,
        SECURITY_V1,
        {
            "coop": COOP_NS,
            "lemmy": LEMMY_NS,
            "toot": MASTODON_NS,
            "pt": PEERTUBE_NS,
            "litepub": LITEPUB_NS,
            "sc": SCHEMA_NS,
            "sensitive": "as:sensitive",
            "manuallyApprovesFollowers": "as:manuallyApprovesFollowers",
            "Hashtag": "as:Hashtag",
            "stickied": "lemmy:stickied",
            "distinguished": "lemmy:distinguished",
            "postingRestrictedToMods": "lemmy:postingRestrictedToMods",
            "removeData": "lemmy:removeData",
            "matrixUserId": "lemmy:matrixUserId",
            "moderators": {"@type": "@id", "@id": "lemmy:moderators"},
            "commentsEnabled": "pt:commentsEnabled",
            "featured": {"@type": "@id", "@id": "toot:featured"},
            "discoverable": "toot:discoverable",
            "votersCount": "toot:votersCount",
            "ChatMessage": "litepub:ChatMessage",
            "Lock": "lemmy:Lock",
            "language": "sc:inLanguage",
            "identifier": "sc:identifier",
            "coop:joinPolicy": {"@id": "coop:joinPolicy"},
            "coop:stakeholderClasses": {"@id": "coop:stakeholderClasses", "@container": "@set"},
            "coop:stakeholderClass": {"@id": "coop:stakeholderClass"},
            "coop:rules": {"@id": "coop:rules", "@type": "@json"},
            "coop:rulesVersion": {"@id": "coop:rulesVersion", "@type": "xsd:integer"},
            "coop:proposal": {"@id": "coop:proposal", "@type": "@json"},
            "coop:outcome": {"@id": "coop:outcome", "@type": "@json"},
            "coop:ranking": {"@id": "coop:ranking", "@container": "@list"},
            "coop:choices": {"@id": "coop:choices", "@container": "@set"},
            "coop:scores": {"@id": "coop:scores", "@type": "@json"},
            "coop:receipt": {"@id": "coop:receipt"}
        }
    ])
}

fn default_context() -> Value {
    context()
}

/// An outgoing document with our `@context` first. Reading accepts any
/// `@context` (or none).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct WithContext<T> {
    /// The JSON-LD context.
    #[serde(rename = "@context", default = "default_context")]
    pub context: Value,
    /// The document.
    #[serde(flatten)]
    pub inner: T,
}

impl<T> WithContext<T> {
    /// Wraps `inner` with [`context`].
    pub fn new(inner: T) -> Self {
        Self {
            context: context(),
            inner,
        }
    }
}
