//! Object shapes (actors, posts, comments, proposals, votes, tombstones, collections) and `ApObject`, the reader for a fetched object of unknown type.

pub mod collections;
pub mod group;
pub mod instance;
pub mod note;
pub mod page;
pub mod person;
pub mod question;
pub mod tombstone;
pub mod vote;

use serde_json::Value;
use url::Url;

pub use collections::{Collection, CollectionType};
pub use group::{Group, GroupType, JoinPolicy, Rule};
pub use instance::{Instance, InstanceType};
pub use note::{Note, NoteType};
pub use page::{Page, PageType};
pub use person::{Person, PersonType};
pub use question::{Ballot, Closed, OptionReplies, PollOption, Proposal, Question, QuestionType};
pub use tombstone::{Tombstone, TombstoneType};
pub use vote::Vote;

use crate::federation::protocol::error::ParseError;
use crate::federation::protocol::inbox::IgnoreReason;
use crate::federation::protocol::shape::{
    classify_note, id_of, is_public_content, parse_json, read, type_of, NoteShape,
};

/// Any object we may fetch or find embedded, read by its `type`.
#[derive(Clone, Debug, PartialEq)]
pub enum ApObject {
    /// `Person`, `Service`, `Organization`.
    Person(Box<Person>),
    /// `Group`.
    Group(Box<Group>),
    /// `Application`: an instance actor.
    Instance(Box<Instance>),
    /// `Page`, `Article`, `Video`, or a public `Note` without `inReplyTo`.
    Page(Box<Page>),
    /// A public `Note` with `inReplyTo`.
    Note(Box<Note>),
    /// `Question`.
    Question(Box<Question>),
    /// `Tombstone`.
    Tombstone(Box<Tombstone>),
    /// Any collection or collection page.
    Collection(Box<Collection>),
    /// Well-formed but not ours to read (an `Event`, a `ChatMessage`, a
    /// private `Note`, an activity, …).
    Unsupported {
        /// Its `type`.
        kind: String,
        /// Its `id`, if it had a valid one.
        id: Option<Url>,
        /// Why it is not read.
        reason: IgnoreReason,
    },
}

impl ApObject {
    /// Reads a fetched document.
    pub fn parse(json: &str) -> Result<Self, ParseError> {
        Self::from_value(&parse_json(json)?)
    }

    /// Reads an object already parsed as JSON.
    pub fn from_value(value: &Value) -> Result<Self, ParseError> {
        crate::federation::protocol::shape::ensure_object(value)?;
        let kind = type_of(value).ok_or(ParseError::MissingType)?;
        let unsupported = |reason| {
            Ok(Self::Unsupported {
                kind: kind.to_owned(),
                id: id_of(value),
                reason,
            })
        };
        match kind {
            "Person" | "Service" | "Organization" => {
                read(value, kind).map(|p| Self::Person(Box::new(p)))
            }
            "Group" => read(value, kind).map(|g| Self::Group(Box::new(g))),
            "Application" => read(value, kind).map(|i| Self::Instance(Box::new(i))),
            "Page" | "Article" | "Video" | "Question" if !is_public_content(value, None) => {
                unsupported(IgnoreReason::PrivateMessage)
            }
            "Page" | "Article" | "Video" => read(value, kind).map(|p| Self::Page(Box::new(p))),
            "Question" => read(value, kind).map(|q| Self::Question(Box::new(q))),
            "Note" => match classify_note(value, None) {
                NoteShape::Private | NoteShape::Vote => unsupported(IgnoreReason::PrivateMessage),
                NoteShape::Comment => read(value, kind).map(|n| Self::Note(Box::new(n))),
                NoteShape::TopLevel => read(value, kind).map(|p| Self::Page(Box::new(p))),
            },
            "ChatMessage" => unsupported(IgnoreReason::PrivateMessage),
            "Tombstone" => read(value, kind).map(|t| Self::Tombstone(Box::new(t))),
            "Collection" | "OrderedCollection" | "CollectionPage" | "OrderedCollectionPage" => {
                read(value, kind).map(|c| Self::Collection(Box::new(c)))
            }
            _ => unsupported(IgnoreReason::UnsupportedObject),
        }
    }

    /// The object's id (`None` only for an unsupported object without one).
    pub fn id(&self) -> Option<&Url> {
        match self {
            Self::Person(o) => Some(&o.id),
            Self::Group(o) => Some(&o.id),
            Self::Instance(o) => Some(&o.id),
            Self::Page(o) => Some(&o.id),
            Self::Note(o) => Some(&o.id),
            Self::Question(o) => Some(&o.id),
            Self::Tombstone(o) => Some(&o.id),
            Self::Collection(o) => Some(&o.id),
            Self::Unsupported { id, .. } => id.as_ref(),
        }
    }
}
