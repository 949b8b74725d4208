//! A vote on a `Question`: Mastodon's poll answer shape, a `Note` with `name` = the chosen option, `inReplyTo` = the question and no content; ranked ballots add `coop:ranking`, multiple choice `coop:choices`, score `coop:scores`; ours carry `coop:receipt`.

use serde::{Deserialize, Serialize};
use url::Url;

use crate::federation::protocol::lenient::url_ref;
use crate::federation::protocol::objects::note::NoteType;
use crate::federation::protocol::values::{impl_has_id, AttributedTo, HasId, OneOrMany, Timestamp};

/// One chosen option (one `Note` per option for multiple choice).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Vote {
    /// `Note`.
    #[serde(rename = "type")]
    pub kind: NoteType,
    /// Vote id.
    pub id: Url,
    /// The voter.
    #[serde(default, skip_serializing_if = "AttributedTo::is_empty")]
    pub attributed_to: AttributedTo,
    /// The community only: votes are never public.
    #[serde(default, skip_serializing_if = "OneOrMany::is_empty")]
    pub to: OneOrMany<Url>,
    /// Normally empty.
    #[serde(default, skip_serializing_if = "OneOrMany::is_empty")]
    pub cc: OneOrMany<Url>,
    /// The chosen option's `name`.
    pub name: String,
    /// The `Question` voted on.
    #[serde(deserialize_with = "url_ref")]
    pub in_reply_to: Url,
    /// Ours: all options in order of preference (ranked ballots).
    #[serde(
        rename = "coop:ranking",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub ranking: Option<Vec<String>>,
    /// Ours: every option chosen (multiple choice), repeated in each of the ballot's Notes, so
    /// that the whole ballot replaces an earlier one. Mastodon sends one Note per option without
    /// it.
    #[serde(
        rename = "coop:choices",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub choices: Option<Vec<String>>,
    /// Ours: score ballots, a score 0–5 for every option by name.
    #[serde(
        rename = "coop:scores",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub scores: Option<std::collections::BTreeMap<String, u8>>,
    /// Ours: the hex SHA-256 of the receipt the voter's own instance gave them, repeated in each
    /// of the ballot's Notes. The community counts the ballot under it, so the voter can find it
    /// in the published count (`counted_receipts` in `coop:outcome`) from home.
    #[serde(
        rename = "coop:receipt",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub receipt: Option<String>,
    /// When the vote was cast.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub published: Option<Timestamp>,
}

impl_has_id!(Vote);

impl Vote {
    /// A vote by `voter` for `option` of `question`, sent to `community`.
    pub fn new(id: Url, voter: Url, question: Url, community: Url, option: String) -> Self {
        Self {
            kind: NoteType::Note,
            id,
            attributed_to: AttributedTo::one(voter),
            to: OneOrMany::one(community),
            cc: OneOrMany::default(),
            name: option,
            in_reply_to: question,
            ranking: None,
            choices: None,
            scores: None,
            receipt: None,
            published: None,
        }
    }
}
