//! `InboxActivity`: everything an inbox accepts, read by dispatching on `type` (and the embedded object's `type`) before reading one struct; `Ignored` for well-formed things we do not handle.
//!
//! Policy (answer `Ignored` with a 202, an `Err` with a 400):
//! - `Create`/`Update` of a `ChatMessage`, or of a `Note`/`Page`/`Question`
//!   addressed neither to the public nor to a community (`audience`): a
//!   private message → `Ignored(PrivateMessage)`. Votes are exempt.
//! - `Create{Note}` with `name`, `inReplyTo` and no content (or with
//!   `coop:ranking`) is a poll vote → `CreateVote`.
//! - A public `Note` without `inReplyTo` is a post → `CreatePage`/`UpdatePage`
//!   (its `kind` stays `PageType::Note`).
//! - Objects we do not import (`Event`, `Application`, …), `Undo` of
//!   anything but Follow/Like/Dislike/Delete/Remove/Block/Lock, `Undo` by
//!   bare id, and activity types we do not know (`Resolve`, `Warn`,
//!   `EmojiReact`, `Move`, …) → `Ignored`.
//! - A bare object (`Note`, `Person`, …) posted to the inbox →
//!   `Ignored(NotAnActivity)`.
//! - `Announce` of an ignored activity, or of an object other than a post,
//!   comment or proposal, is ignored as `Announce{…}`; `Announce{Announce}`
//!   is not unwrapped.

use serde_json::Value;
use url::Url;

use crate::federation::protocol::activities::{
    Accept, Announce, Announced, Block, CollectionChange, CreateOrUpdate, Delete, Flag, Follow,
    Join, Leave, LikeOrDislike, Lock, Reject, Undo,
};
use crate::federation::protocol::error::ParseError;
use crate::federation::protocol::objects::{Group, Note, Page, Person, Question, Vote};
use crate::federation::protocol::shape::parse_json;

mod dispatch;
mod fast;

/// Why a well-formed document is not handled.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum IgnoreReason {
    /// An activity type we do not handle (`Resolve`, `Warn`, `Move`, …).
    UnsupportedActivity,
    /// A known activity about an object type we do not handle (`Event`, an
    /// `Undo` of an `Announce`, …), or given only by id where we need it.
    UnsupportedObject,
    /// A direct or followers-only message (`ChatMessage`, or content
    /// addressed neither to the public nor to a community).
    PrivateMessage,
    /// A bare object, not an activity.
    NotAnActivity,
}

/// An activity received in an inbox, by what it means to us.
#[derive(Clone, Debug, PartialEq)]
pub enum InboxActivity {
    /// Subscribe to a community or person.
    Follow(Follow),
    /// A follow accepted (the object may be a bare id).
    AcceptFollow(Accept<Follow>),
    /// A follow refused.
    RejectFollow(Reject<Follow>),
    /// Unsubscribe.
    UndoFollow(Undo<Follow>),
    /// Ask to become a member.
    Join(Join),
    /// Membership granted.
    AcceptJoin(Accept<Join>),
    /// Membership refused.
    RejectJoin(Reject<Join>),
    /// Membership ended.
    Leave(Leave),
    /// New post.
    CreatePage(CreateOrUpdate<Page>),
    /// Edited post.
    UpdatePage(CreateOrUpdate<Page>),
    /// New comment.
    CreateNote(CreateOrUpdate<Note>),
    /// Edited comment.
    UpdateNote(CreateOrUpdate<Note>),
    /// New proposal (or a remote poll).
    CreateQuestion(CreateOrUpdate<Question>),
    /// Proposal tally or outcome.
    UpdateQuestion(CreateOrUpdate<Question>),
    /// A ballot on a proposal.
    CreateVote(CreateOrUpdate<Vote>),
    /// Community settings or rules changed.
    UpdateGroup(CreateOrUpdate<Group>),
    /// Profile changed.
    UpdatePerson(CreateOrUpdate<Person>),
    /// Deletion (by the author), or removal (by a moderator, with `summary`).
    Delete(Delete),
    /// Deletion or removal taken back.
    UndoDelete(Undo<Delete>),
    /// Added to the moderators or featured collection.
    Add(CollectionChange),
    /// Removed from the moderators or featured collection.
    Remove(CollectionChange),
    /// A `Remove` taken back.
    UndoRemove(Undo<CollectionChange>),
    /// Up- or down-vote.
    LikeOrDislike(LikeOrDislike),
    /// Up- or down-vote taken back.
    UndoLikeOrDislike(Undo<LikeOrDislike>),
    /// Something forwarded by a community (or boosted).
    Announce(Announce<Announced>),
    /// A report.
    Flag(Flag),
    /// A ban.
    Block(Block),
    /// A ban lifted.
    UndoBlock(Undo<Block>),
    /// Comments closed.
    Lock(Lock),
    /// Comments reopened.
    UndoLock(Undo<Lock>),
    /// Well-formed, not handled: answer 202.
    Ignored {
        /// The type read, with the object's type in braces
        /// (`Create{ChatMessage}`, `Undo{Announce}`, `Resolve`).
        kind: String,
        /// The id, if it had a valid one.
        id: Option<Url>,
        /// Why it is not handled.
        reason: IgnoreReason,
    },
}

impl InboxActivity {
    /// Reads an inbox body.
    pub fn parse(json: &str) -> Result<Self, ParseError> {
        Self::from_value(&parse_json(json)?)
    }

    /// Reads an inbox body straight from its bytes when it is one of the common activity
    /// types (see `fast`); `None` leaves it to [`InboxActivity::from_value`], which reads
    /// everything, and reads these the same.
    pub fn read_common(body: &[u8]) -> Option<Self> {
        fast::read(body)
    }

    /// Reads an inbox body already parsed as JSON.
    pub fn from_value(value: &Value) -> Result<Self, ParseError> {
        dispatch::dispatch(value, false)
    }

    /// The activity's id (`None` only for an ignored one without a valid id).
    pub fn id(&self) -> Option<&Url> {
        use InboxActivity as A;
        Some(match self {
            A::Follow(a) => &a.id,
            A::AcceptFollow(a) => &a.id,
            A::RejectFollow(a) => &a.id,
            A::UndoFollow(a) => &a.id,
            A::Join(a) => &a.id,
            A::AcceptJoin(a) => &a.id,
            A::RejectJoin(a) => &a.id,
            A::Leave(a) => &a.id,
            A::CreatePage(a) | A::UpdatePage(a) => &a.id,
            A::CreateNote(a) | A::UpdateNote(a) => &a.id,
            A::CreateQuestion(a) | A::UpdateQuestion(a) => &a.id,
            A::CreateVote(a) => &a.id,
            A::UpdateGroup(a) => &a.id,
            A::UpdatePerson(a) => &a.id,
            A::Delete(a) => &a.id,
            A::UndoDelete(a) => &a.id,
            A::Add(a) | A::Remove(a) => &a.id,
            A::UndoRemove(a) => &a.id,
            A::LikeOrDislike(a) => &a.id,
            A::UndoLikeOrDislike(a) => &a.id,
            A::Announce(a) => &a.id,
            A::Flag(a) => &a.id,
            A::Block(a) => &a.id,
            A::UndoBlock(a) => &a.id,
            A::Lock(a) => &a.id,
            A::UndoLock(a) => &a.id,
            A::Ignored { id, .. } => return id.as_ref(),
        })
    }

    /// Who sent it (to compare with the HTTP signature's key owner); `None`
    /// for ignored ones.
    pub fn actor(&self) -> Option<&Url> {
        use InboxActivity as A;
        Some(match self {
            A::Follow(a) => &a.actor,
            A::AcceptFollow(a) => &a.actor,
            A::RejectFollow(a) => &a.actor,
            A::UndoFollow(a) => &a.actor,
            A::Join(a) => &a.actor,
            A::AcceptJoin(a) => &a.actor,
            A::RejectJoin(a) => &a.actor,
            A::Leave(a) => &a.actor,
            A::CreatePage(a) | A::UpdatePage(a) => &a.actor,
            A::CreateNote(a) | A::UpdateNote(a) => &a.actor,
            A::CreateQuestion(a) | A::UpdateQuestion(a) => &a.actor,
            A::CreateVote(a) => &a.actor,
            A::UpdateGroup(a) => &a.actor,
            A::UpdatePerson(a) => &a.actor,
            A::Delete(a) => &a.actor,
            A::UndoDelete(a) => &a.actor,
            A::Add(a) | A::Remove(a) => &a.actor,
            A::UndoRemove(a) => &a.actor,
            A::LikeOrDislike(a) => &a.actor,
            A::UndoLikeOrDislike(a) => &a.actor,
            A::Announce(a) => &a.actor,
            A::Flag(a) => &a.actor,
            A::Block(a) => &a.actor,
            A::UndoBlock(a) => &a.actor,
            A::Lock(a) => &a.actor,
            A::UndoLock(a) => &a.actor,
            A::Ignored { .. } => return None,
        })
    }
}
