//! `Create` and `Update` of posts, comments, proposals, votes, communities and people: one generic `CreateOrUpdate<T>`.

use serde::{Deserialize, Serialize};
use url::Url;

use crate::federation::protocol::lenient::{opt_url_ref, url_ref};
use crate::federation::protocol::objects::{Group, Note, Page, Person, Question, Vote};
use crate::federation::protocol::values::{HasId, OneOrMany, Tag, Timestamp};

/// `type` of a create or an update.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum CreateOrUpdateType {
    /// `Create`.
    Create,
    /// `Update`.
    Update,
}

/// `actor` creates or updates the embedded `object`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CreateOrUpdate<T> {
    /// `Create` or `Update`.
    #[serde(rename = "type")]
    pub kind: CreateOrUpdateType,
    /// Activity id.
    pub id: Url,
    /// Who acts (the author; a moderator for `Update{Group}`; the community
    /// for `Update{Question}` tallies).
    #[serde(deserialize_with = "url_ref")]
    pub actor: Url,
    /// The object, always embedded.
    pub object: T,
    /// Addressees.
    #[serde(default, skip_serializing_if = "OneOrMany::is_empty")]
    pub to: OneOrMany<Url>,
    /// Secondary addressees.
    #[serde(default, skip_serializing_if = "OneOrMany::is_empty")]
    pub cc: OneOrMany<Url>,
    /// The community (FEP-1b12).
    #[serde(
        default,
        deserialize_with = "opt_url_ref",
        skip_serializing_if = "Option::is_none"
    )]
    pub audience: Option<Url>,
    /// Mentions, repeated from the object so that Mastodon notifies them.
    #[serde(default, skip_serializing_if = "OneOrMany::is_empty")]
    pub tag: OneOrMany<Tag>,
    /// When (Mastodon, Friendica).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub published: Option<Timestamp>,
}

impl<T> HasId for CreateOrUpdate<T> {
    fn id(&self) -> &Url {
        &self.id
    }
}

impl<T> CreateOrUpdate<T> {
    /// `Create{object}`.
    pub fn create(id: Url, actor: Url, object: T, to: OneOrMany<Url>, cc: OneOrMany<Url>) -> Self {
        Self::new(CreateOrUpdateType::Create, id, actor, object, to, cc)
    }

    /// `Update{object}`.
    pub fn update(id: Url, actor: Url, object: T, to: OneOrMany<Url>, cc: OneOrMany<Url>) -> Self {
        Self::new(CreateOrUpdateType::Update, id, actor, object, to, cc)
    }

    fn new(
        kind: CreateOrUpdateType,
        id: Url,
        actor: Url,
        object: T,
        to: OneOrMany<Url>,
        cc: OneOrMany<Url>,
    ) -> Self {
        Self {
            kind,
            id,
            actor,
            object,
            to,
            cc,
            audience: None,
            tag: OneOrMany::default(),
            published: None,
        }
    }
}

/// A post created or edited.
pub type CreateOrUpdatePage = CreateOrUpdate<Page>;
/// A comment created or edited.
pub type CreateOrUpdateNote = CreateOrUpdate<Note>;
/// A proposal opened, or its tally/outcome updated.
pub type CreateOrUpdateQuestion = CreateOrUpdate<Question>;
/// A vote cast (`Create` only).
pub type CreateVote = CreateOrUpdate<Vote>;
/// A profile updated.
pub type UpdatePerson = CreateOrUpdate<Person>;
/// A community's settings or rules updated.
pub type UpdateGroup = CreateOrUpdate<Group>;
