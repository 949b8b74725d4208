//! `Question`: a governance proposal authored by a community (also reads Mastodon polls), with its options, tallies and our `coop:proposal`/`coop:outcome`.

use serde::{Deserialize, Serialize};
use url::Url;

use crate::federation::protocol::lenient::{opt_string_or_number, opt_url_ref};
use crate::federation::protocol::objects::collections::CollectionType;
use crate::federation::protocol::objects::note::NoteType;
use crate::federation::protocol::values::{
    impl_has_id, public, AttributedTo, HasId, MediaType, OneOrMany, Source, Tag, Timestamp,
};

/// `type` of a proposal.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum QuestionType {
    /// `Question`.
    Question,
}

/// `replies` of a poll option: only its count is published.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct OptionReplies {
    /// `Collection`.
    #[serde(rename = "type")]
    pub kind: CollectionType,
    /// Votes for this option so far.
    #[serde(default)]
    pub total_items: u64,
}

/// One option of `oneOf`/`anyOf`: `{type: "Note", name, replies}`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PollOption {
    /// `Note`.
    #[serde(rename = "type")]
    pub kind: NoteType,
    /// The option's text; votes name it.
    pub name: String,
    /// Vote count.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub replies: Option<OptionReplies>,
}

impl PollOption {
    /// An option with `votes` votes.
    pub fn new(name: impl Into<String>, votes: u64) -> Self {
        Self {
            kind: NoteType::Note,
            name: name.into(),
            replies: Some(OptionReplies {
                kind: CollectionType::Collection,
                total_items: votes,
            }),
        }
    }
    /// Votes counted for this option (0 when not published).
    pub fn votes(&self) -> u64 {
        self.replies.as_ref().map_or(0, |r| r.total_items)
    }
}

/// `closed`: Mastodon sends the closing time; ActivityStreams also allows a
/// boolean.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Closed {
    /// Closed at this time (what we send).
    At(Timestamp),
    /// Closed or not.
    Flag(bool),
}

/// `coop:proposal.ballot`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Ballot {
    /// Voters may be published.
    Open,
    /// Voters' names are never published.
    Secret,
    /// A value a newer peer knows and we do not.
    #[serde(untagged)]
    Other(String),
}

/// `coop:proposal`: how the proposal is decided. Inner keys are plain (the
/// whole value is a JSON literal in our context).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Proposal {
    /// What passing does (`amend_rules`, …).
    pub kind: String,
    /// Voting method (`single_choice`, `ranked`, …).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub method: Option<String>,
    /// Share of eligible members who must vote, as a decimal string (`"0.5"`;
    /// a JSON number is read too).
    #[serde(
        default,
        deserialize_with = "opt_string_or_number",
        skip_serializing_if = "Option::is_none"
    )]
    pub quorum: Option<String>,
    /// What counts as passing (`majority`, `"0.66"`, …).
    #[serde(
        default,
        deserialize_with = "opt_string_or_number",
        skip_serializing_if = "Option::is_none"
    )]
    pub threshold: Option<String>,
    /// How stakeholder classes combine (`concurrent_majorities`, …).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub class_policy: Option<String>,
    /// Open or secret ballot.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ballot: Option<Ballot>,
    /// Members eligible when the proposal opened.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub eligible_count: Option<u64>,
    /// A quorum given as a number of ballots rather than a share.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quorum_count: Option<u64>,
    /// Winners to elect (approval and ranked methods; 1 otherwise).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seats: Option<u32>,
    /// `weighted_classes`: each class's fixed share of the result.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub class_shares: Option<Vec<ClassShare>>,
    /// Members eligible per stakeholder class when the proposal opened.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub electorate: Option<std::collections::BTreeMap<String, u64>>,
    /// Rule changes: the exact operations proposed (`add`, `amend`, `repeal`, `reorder`),
    /// naming rules by the ids published in `coop:rules`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rule_changes: Option<serde_json::Value>,
    /// Rule changes: the `coop:rulesVersion` they were written against.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub base_rules_version: Option<i64>,
}

/// One class's share in `coop:proposal.classShares`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClassShare {
    /// The stakeholder class.
    pub class: String,
    /// Its share, a fraction or decimal string (`"2/5"`, `"0.4"`).
    pub share: String,
}

/// A proposal (or a remote poll).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Question {
    /// `Question`.
    #[serde(rename = "type")]
    pub kind: QuestionType,
    /// Proposal id.
    pub id: Url,
    /// The community (ours), or the poll's author (Mastodon).
    #[serde(default, skip_serializing_if = "AttributedTo::is_empty")]
    pub attributed_to: AttributedTo,
    /// Primary addressees.
    #[serde(default, skip_serializing_if = "OneOrMany::is_empty")]
    pub to: OneOrMany<Url>,
    /// Secondary addressees.
    #[serde(default, skip_serializing_if = "OneOrMany::is_empty")]
    pub cc: OneOrMany<Url>,
    /// The community.
    #[serde(
        default,
        deserialize_with = "opt_url_ref",
        skip_serializing_if = "Option::is_none"
    )]
    pub audience: Option<Url>,
    /// Title (Mastodon polls have none).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// The proposal text, HTML.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub content: Option<String>,
    /// Media type of `content`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub media_type: Option<MediaType>,
    /// The proposal text as written.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<Source>,
    /// When voting ends.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end_time: Option<Timestamp>,
    /// Set once voting has closed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub closed: Option<Closed>,
    /// Distinct voters so far.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub voters_count: Option<u64>,
    /// Options of a single-choice vote.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub one_of: Option<Vec<PollOption>>,
    /// Options of a multiple-choice vote.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub any_of: Option<Vec<PollOption>>,
    /// NSFW.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sensitive: Option<bool>,
    /// Mentions, hashtags.
    #[serde(default, skip_serializing_if = "OneOrMany::is_empty")]
    pub tag: OneOrMany<Tag>,
    /// Opening.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub published: Option<Timestamp>,
    /// Last tally.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub updated: Option<Timestamp>,
    /// Ours: how the proposal is decided.
    #[serde(
        rename = "coop:proposal",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub proposal: Option<Proposal>,
    /// Ours: the result once closed (per option, per class, turnout, quorum
    /// met, passed), opaque at this layer.
    #[serde(
        rename = "coop:outcome",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub outcome: Option<serde_json::Value>,
}

impl_has_id!(Question);

impl Question {
    /// A proposal authored by `community`, addressed to it and its followers'
    /// public view.
    pub fn new(id: Url, community: Url, followers: Url, name: String) -> Self {
        Self {
            kind: QuestionType::Question,
            id,
            attributed_to: AttributedTo::one(community.clone()),
            to: vec![community.clone(), public()].into(),
            cc: OneOrMany::one(followers),
            audience: Some(community),
            name: Some(name),
            content: None,
            media_type: Some(MediaType::Html),
            source: None,
            end_time: None,
            closed: None,
            voters_count: None,
            one_of: None,
            any_of: None,
            sensitive: None,
            tag: OneOrMany::default(),
            published: None,
            updated: None,
            proposal: None,
            outcome: None,
        }
    }

    /// The options, single- or multiple-choice.
    pub fn options(&self) -> &[PollOption] {
        self.one_of
            .as_deref()
            .or(self.any_of.as_deref())
            .unwrap_or(&[])
    }

    /// Whether voters may choose several options (`anyOf`).
    pub fn is_multiple_choice(&self) -> bool {
        self.one_of.is_none() && self.any_of.is_some()
    }
}
