//! The inbox's fast path: the common activity types (Like, Dislike, Follow, Join, Leave, Delete,
//! Add, Remove, Flag, Block, Lock, Accept, Reject, Undo) read straight from the body's bytes into
//! their structs, without building a JSON value first.
//!
//! A skim of the body (no allocation) finds `type` and the embedded object's `type`; the struct
//! the dispatcher would choose is then read from the same bytes. Anything else, and anything this
//! path cannot read, is left to the dispatcher (`None`): the fast path only ever answers what the
//! dispatcher would (a test checks every fixture, and mutations of each, both ways).

use std::fmt;

use serde::de::{DeserializeOwned, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde::Deserialize;

use crate::federation::protocol::inbox::InboxActivity;

/// A `type`: a string, or the first string of an array (as `shape::type_of` reads it); `None`
/// when that string has escapes (left to the dispatcher).
struct TypeName<'a>(Option<&'a str>);

impl<'de: 'a, 'a> Deserialize<'de> for TypeName<'a> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = TypeName<'de>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a type name")
            }
            fn visit_borrowed_str<E>(self, s: &'de str) -> Result<Self::Value, E> {
                Ok(TypeName(Some(s)))
            }
            fn visit_str<E>(self, _: &str) -> Result<Self::Value, E> {
                Ok(TypeName(None))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
                let mut first = None;
                while let Some(item) = seq.next_element::<Skim<'de>>()? {
                    if first.is_none() {
                        first = match item {
                            Skim::Str(s) => Some(TypeName(Some(s))),
                            Skim::Escaped => Some(TypeName(None)),
                            Skim::Other => None,
                        };
                    }
                }
                Ok(first.unwrap_or(TypeName(None)))
            }
        }
        d.deserialize_any(V)
    }
}

/// Any JSON value, skipped, keeping a string only when it borrows from the body.
enum Skim<'a> {
    Str(&'a str),
    /// A string with escapes.
    Escaped,
    Other,
}

impl<'de: 'a, 'a> Deserialize<'de> for Skim<'a> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Skim<'de>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("any value")
            }
            fn visit_borrowed_str<E>(self, s: &'de str) -> Result<Self::Value, E> {
                Ok(Skim::Str(s))
            }
            fn visit_str<E>(self, _: &str) -> Result<Self::Value, E> {
                Ok(Skim::Escaped)
            }
            fn visit_bool<E>(self, _: bool) -> Result<Self::Value, E> {
                Ok(Skim::Other)
            }
            fn visit_i64<E>(self, _: i64) -> Result<Self::Value, E> {
                Ok(Skim::Other)
            }
            fn visit_u64<E>(self, _: u64) -> Result<Self::Value, E> {
                Ok(Skim::Other)
            }
            fn visit_f64<E>(self, _: f64) -> Result<Self::Value, E> {
                Ok(Skim::Other)
            }
            fn visit_unit<E>(self) -> Result<Self::Value, E> {
                Ok(Skim::Other)
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
                while seq.next_element::<IgnoredAny>()?.is_some() {}
                Ok(Skim::Other)
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
                Ok(Skim::Other)
            }
        }
        d.deserialize_any(V)
    }
}

/// An activity's `object`, skimmed: a bare id, an embedded object with its `type`, or anything
/// else.
enum ObjectHead<'a> {
    Id,
    Typed(&'a str),
    Other,
}

impl<'de: 'a, 'a> Deserialize<'de> for ObjectHead<'a> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = ObjectHead<'de>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("an id or an object")
            }
            fn visit_str<E>(self, _: &str) -> Result<Self::Value, E> {
                Ok(ObjectHead::Id)
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                // A repeated `type`, or a key with escapes (which could spell `type`), is
                // left to the dispatcher.
                let (mut kind, mut types, mut unsure) = (None, 0, false);
                while let Some(key) = map.next_key::<Skim<'de>>()? {
                    match key {
                        Skim::Str("type") => {
                            types += 1;
                            kind = map.next_value::<TypeName<'de>>()?.0;
                        }
                        Skim::Escaped => {
                            unsure = true;
                            map.next_value::<IgnoredAny>()?;
                        }
                        _ => {
                            map.next_value::<IgnoredAny>()?;
                        }
                    }
                }
                Ok(match kind {
                    Some(kind) if types == 1 && !unsure => ObjectHead::Typed(kind),
                    _ => ObjectHead::Other,
                })
            }
            fn visit_bool<E>(self, _: bool) -> Result<Self::Value, E> {
                Ok(ObjectHead::Other)
            }
            fn visit_i64<E>(self, _: i64) -> Result<Self::Value, E> {
                Ok(ObjectHead::Other)
            }
            fn visit_u64<E>(self, _: u64) -> Result<Self::Value, E> {
                Ok(ObjectHead::Other)
            }
            fn visit_f64<E>(self, _: f64) -> Result<Self::Value, E> {
                Ok(ObjectHead::Other)
            }
            fn visit_unit<E>(self) -> Result<Self::Value, E> {
                Ok(ObjectHead::Other)
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
                while seq.next_element::<IgnoredAny>()?.is_some() {}
                Ok(ObjectHead::Other)
            }
        }
        d.deserialize_any(V)
    }
}

/// The activity's `type` and its `object`'s.
#[derive(Deserialize)]
struct Head<'a> {
    #[serde(rename = "type", borrow)]
    kind: TypeName<'a>,
    #[serde(borrow)]
    object: Option<ObjectHead<'a>>,
}

/// `body` read as the dispatcher would read it, for the common activity types; `None` for
/// anything else and for anything that does not read cleanly (the dispatcher then decides).
pub fn read(body: &[u8]) -> Option<InboxActivity> {
    use InboxActivity as A;
    // Only an object: a struct would also read from an array, where the dispatcher refuses.
    if body.iter().find(|b| !b.is_ascii_whitespace()) != Some(&b'{') {
        return None;
    }
    let head: Head<'_> = serde_json::from_slice(body).ok()?;
    let object = head.object;
    match head.kind.0? {
        "Follow" => typed(body).map(A::Follow),
        "Join" => typed(body).map(A::Join),
        "Leave" => typed(body).map(A::Leave),
        "Delete" => typed(body).map(A::Delete),
        "Add" => typed(body).map(A::Add),
        "Remove" => typed(body).map(A::Remove),
        "Like" | "Dislike" => typed(body).map(A::LikeOrDislike),
        "Flag" => typed(body).map(A::Flag),
        "Block" => typed(body).map(A::Block),
        "Lock" => typed(body).map(A::Lock),
        kind @ ("Accept" | "Reject") => {
            let accept = kind == "Accept";
            match object? {
                ObjectHead::Id | ObjectHead::Typed("Follow") if accept => {
                    typed(body).map(A::AcceptFollow)
                }
                ObjectHead::Id | ObjectHead::Typed("Follow") => typed(body).map(A::RejectFollow),
                ObjectHead::Typed("Join") if accept => typed(body).map(A::AcceptJoin),
                ObjectHead::Typed("Join") => typed(body).map(A::RejectJoin),
                _ => None,
            }
        }
        "Undo" => match object? {
            ObjectHead::Typed("Follow") => typed(body).map(A::UndoFollow),
            ObjectHead::Typed("Like" | "Dislike") => typed(body).map(A::UndoLikeOrDislike),
            ObjectHead::Typed("Delete") => typed(body).map(A::UndoDelete),
            ObjectHead::Typed("Remove") => typed(body).map(A::UndoRemove),
            ObjectHead::Typed("Block") => typed(body).map(A::UndoBlock),
            ObjectHead::Typed("Lock") => typed(body).map(A::UndoLock),
            _ => None,
        },
        _ => None,
    }
}

fn typed<T: DeserializeOwned>(body: &[u8]) -> Option<T> {
    serde_json::from_slice(body).ok()
}
