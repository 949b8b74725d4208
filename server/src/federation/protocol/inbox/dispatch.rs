//! The inbox dispatcher: reads `type` (and the embedded object's `type`), applies the policy documented in `inbox`, then reads one struct.

use serde::de::Error as _;
use serde_json::Value;

use crate::federation::protocol::activities::{Announce, Announced};
use crate::federation::protocol::error::ParseError;
use crate::federation::protocol::inbox::{IgnoreReason, InboxActivity};
use crate::federation::protocol::lenient::url_of_ref;
use crate::federation::protocol::objects::ApObject;
use crate::federation::protocol::shape::{
    classify_note, id_of, is_object_type, is_public_content, read, type_of, NoteShape,
};

/// What an activity's `object` is.
enum Nested<'a> {
    /// A bare id.
    Id,
    /// An embedded object with this `type`.
    Typed(&'a str, &'a Value),
}

fn nested<'a>(value: &'a Value, kind: &str) -> Result<Nested<'a>, ParseError> {
    match value.get("object") {
        None | Some(Value::Null) => Err(ParseError::malformed(
            kind,
            serde_json::Error::missing_field("object"),
        )),
        Some(Value::String(_)) => Ok(Nested::Id),
        Some(object @ Value::Object(_)) => match type_of(object) {
            Some(t) => Ok(Nested::Typed(t, object)),
            None => Err(ParseError::malformed(
                kind,
                serde_json::Error::custom("embedded `object` has no `type`"),
            )),
        },
        Some(_) => Err(ParseError::malformed(
            kind,
            serde_json::Error::custom("`object` must be a URL or an object"),
        )),
    }
}

fn ignored(value: &Value, kind: String, reason: IgnoreReason) -> Result<InboxActivity, ParseError> {
    Ok(InboxActivity::Ignored {
        kind,
        id: id_of(value),
        reason,
    })
}

pub(super) fn dispatch(value: &Value, in_announce: bool) -> Result<InboxActivity, ParseError> {
    use InboxActivity as A;
    crate::federation::protocol::shape::ensure_object(value)?;
    let kind = type_of(value).ok_or(ParseError::MissingType)?;
    match kind {
        "Follow" => read(value, kind).map(A::Follow),
        "Join" => read(value, kind).map(A::Join),
        "Leave" => read(value, kind).map(A::Leave),
        "Accept" | "Reject" => answer(value, kind),
        "Undo" => undo(value),
        "Create" | "Update" => create_or_update(value, kind),
        "Delete" => read(value, kind).map(A::Delete),
        "Add" => read(value, kind).map(A::Add),
        "Remove" => read(value, kind).map(A::Remove),
        "Like" | "Dislike" => read(value, kind).map(A::LikeOrDislike),
        "Flag" => read(value, kind).map(A::Flag),
        "Block" => read(value, kind).map(A::Block),
        "Lock" => read(value, kind).map(A::Lock),
        "Announce" if in_announce => ignored(
            value,
            "Announce".to_owned(),
            IgnoreReason::UnsupportedActivity,
        ),
        "Announce" => announce(value),
        other if is_object_type(other) => {
            ignored(value, other.to_owned(), IgnoreReason::NotAnActivity)
        }
        other => ignored(value, other.to_owned(), IgnoreReason::UnsupportedActivity),
    }
}

fn answer(value: &Value, kind: &str) -> Result<InboxActivity, ParseError> {
    use InboxActivity as A;
    let accept = kind == "Accept";
    match nested(value, kind)? {
        Nested::Id | Nested::Typed("Follow", _) => {
            let label = format!("{kind}{{Follow}}");
            if accept {
                read(value, &label).map(A::AcceptFollow)
            } else {
                read(value, &label).map(A::RejectFollow)
            }
        }
        Nested::Typed("Join", _) => {
            let label = format!("{kind}{{Join}}");
            if accept {
                read(value, &label).map(A::AcceptJoin)
            } else {
                read(value, &label).map(A::RejectJoin)
            }
        }
        Nested::Typed(other, _) => ignored(
            value,
            format!("{kind}{{{other}}}"),
            IgnoreReason::UnsupportedObject,
        ),
    }
}

fn undo(value: &Value) -> Result<InboxActivity, ParseError> {
    use InboxActivity as A;
    let inner = match nested(value, "Undo")? {
        Nested::Id => {
            return ignored(value, "Undo".to_owned(), IgnoreReason::UnsupportedObject);
        }
        Nested::Typed(inner, _) => inner,
    };
    let label = format!("Undo{{{inner}}}");
    match inner {
        "Follow" => read(value, &label).map(A::UndoFollow),
        "Like" | "Dislike" => read(value, &label).map(A::UndoLikeOrDislike),
        "Delete" => read(value, &label).map(A::UndoDelete),
        "Remove" => read(value, &label).map(A::UndoRemove),
        "Block" => read(value, &label).map(A::UndoBlock),
        "Lock" => read(value, &label).map(A::UndoLock),
        _ => ignored(value, label, IgnoreReason::UnsupportedObject),
    }
}

fn create_or_update(value: &Value, kind: &str) -> Result<InboxActivity, ParseError> {
    use InboxActivity as A;
    let (inner, object) = match nested(value, kind)? {
        Nested::Id => return ignored(value, kind.to_owned(), IgnoreReason::UnsupportedObject),
        Nested::Typed(inner, object) => (inner, object),
    };
    let label = format!("{kind}{{{inner}}}");
    let create = kind == "Create";
    let private = || ignored(value, label.clone(), IgnoreReason::PrivateMessage);
    let page = |label: &str| -> Result<InboxActivity, ParseError> {
        let activity = read(value, label)?;
        Ok(if create {
            A::CreatePage(activity)
        } else {
            A::UpdatePage(activity)
        })
    };
    match inner {
        "Page" | "Article" | "Video" | "Question" if !is_public_content(object, Some(value)) => {
            private()
        }
        "Page" | "Article" | "Video" => page(&label),
        "Question" => {
            let activity = read(value, &label)?;
            Ok(if create {
                A::CreateQuestion(activity)
            } else {
                A::UpdateQuestion(activity)
            })
        }
        "Note" => match classify_note(object, Some(value)) {
            NoteShape::Vote if create => read(value, "Create{Note} (vote)").map(A::CreateVote),
            NoteShape::Vote => ignored(value, label, IgnoreReason::UnsupportedActivity),
            NoteShape::Private => private(),
            NoteShape::TopLevel => page(&label),
            NoteShape::Comment => {
                let activity = read(value, &label)?;
                Ok(if create {
                    A::CreateNote(activity)
                } else {
                    A::UpdateNote(activity)
                })
            }
        },
        "Group" if !create => read(value, &label).map(A::UpdateGroup),
        "Person" | "Service" | "Organization" if !create => {
            read(value, &label).map(A::UpdatePerson)
        }
        "ChatMessage" => private(),
        _ => ignored(value, label, IgnoreReason::UnsupportedObject),
    }
}

fn announce(value: &Value) -> Result<InboxActivity, ParseError> {
    let outer: Announce<Value> = read(value, "Announce")?;
    let wrap = |e: ParseError| match e {
        ParseError::Malformed { kind, source } => ParseError::Malformed {
            kind: format!("Announce{{{kind}}}"),
            source,
        },
        other => other,
    };
    let as_ignored = |kind: String, reason| {
        Ok(InboxActivity::Ignored {
            kind: format!("Announce{{{kind}}}"),
            id: Some(outer.id.clone()),
            reason,
        })
    };
    let announced = match &outer.object {
        Value::String(_) => Announced::Id(
            url_of_ref(&outer.object)
                .map_err(|e| ParseError::malformed("Announce", serde_json::Error::custom(e)))?,
        ),
        object @ Value::Object(_) => {
            let inner = type_of(object).ok_or_else(|| {
                ParseError::malformed(
                    "Announce",
                    serde_json::Error::custom("embedded `object` has no `type`"),
                )
            })?;
            if is_object_type(inner) {
                match ApObject::from_value(object).map_err(wrap)? {
                    ApObject::Unsupported { kind, reason, .. } => return as_ignored(kind, reason),
                    found @ (ApObject::Page(_) | ApObject::Note(_) | ApObject::Question(_)) => {
                        Announced::Object(Box::new(found))
                    }
                    _ => {
                        return as_ignored(inner.to_owned(), IgnoreReason::UnsupportedObject);
                    }
                }
            } else {
                match dispatch(object, true).map_err(wrap)? {
                    InboxActivity::Ignored { kind, reason, .. } => return as_ignored(kind, reason),
                    found => Announced::Activity(Box::new(found)),
                }
            }
        }
        _ => {
            return Err(ParseError::malformed(
                "Announce",
                serde_json::Error::custom("`object` must be a URL or an object"),
            ))
        }
    };
    Ok(InboxActivity::Announce(outer.with_object(announced)))
}
